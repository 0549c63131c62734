"""Class deployment: the Binder/JupyterHub configuration installs a working course into a fresh environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from petechiae_edu.classroom.editions import lesson_paths

REPOSITORY = Path(__file__).resolve().parents[1]
BINDER = REPOSITORY / "binder"
PYPROJECT = REPOSITORY / "pyproject.toml"


def _requirement_names(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def _pypi_reachable() -> bool:
    from urllib.parse import urlparse

    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    parsed = urlparse(index)
    try:
        socket.create_connection((parsed.hostname or "pypi.org", parsed.port or 443), timeout=10).close()
    except OSError:
        return False
    return True


def test_binder_requirements_cover_the_package_dependencies():
    import tomllib

    declared = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    needed = _requirement_names("\n".join(declared))
    listed = _requirement_names((BINDER / "requirements.txt").read_text())
    assert needed <= listed, f"binder/requirements.txt misses {sorted(needed - listed)}"
    assert {"voila", "nbgitpuller", "ipykernel"} <= listed


def test_post_build_installs_the_package_from_the_checkout():
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR, "postBuild must be executable for repo2docker"
    text = post_build.read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert "pip install" in text and "--no-deps ." in text


def _repository_copy(folder: Path) -> Path:
    """What repo2docker sees: a copy of the repository (never run postBuild in the real checkout)."""
    copy = folder / "repo"
    copy.mkdir()
    for name in ("petechiae_edu", "data", "notebooks", "binder"):
        shutil.copytree(REPOSITORY / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPOSITORY / name, copy / name)
    return copy


def _python_without_pip(folder: Path) -> Path:
    """A bin folder whose ``python`` skips ``python -m pip`` (no network here) and runs everything else."""
    shims = folder / "shims"
    shims.mkdir()
    python = shims / "python"
    python.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "(pip skipped in this test)"; exit 0; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    python.chmod(0o755)
    return shims


def test_binder_opens_the_student_edition_and_hides_the_authored_lessons(tmp_path):
    repo = _repository_copy(tmp_path)
    path = f"{_python_without_pip(tmp_path)}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "REPO_DIR": str(repo)}
    result = subprocess.run(["bash", repo / "binder" / "postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

    lessons = sorted((repo / "lessons").glob("*.ipynb"))
    assert [lesson.name for lesson in lessons] == [lesson.name for lesson in lesson_paths()]
    for lesson in lessons:
        notebook = nbformat.read(lesson, as_version=4)
        assert notebook.metadata["petechiae_edu"]["edition"] == "student", lesson.name
        assert not any("instructor" in cell.metadata.get("tags", []) for cell in notebook.cells), lesson.name
    assert not (repo / "notebooks").exists(), "the authored lessons (instructor cells) stay in the Binder image"


def test_post_build_run_by_hand_leaves_the_authored_lessons_alone(tmp_path):
    repo = _repository_copy(tmp_path)
    path = f"{_python_without_pip(tmp_path)}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {key: value for key, value in os.environ.items() if key != "REPO_DIR"} | {"PATH": path}
    result = subprocess.run(["bash", repo / "binder" / "postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (repo / "notebooks").glob("*.ipynb")) == [p.name for p in lesson_paths()]


def test_binder_sessions_start_with_the_news_pop_up_off():
    start = BINDER / "start"
    assert start.stat().st_mode & stat.S_IXUSR, "binder/start must be executable for repo2docker"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("JUPYTER_CONFIG_PATH", None)
    shown = subprocess.run(
        ["bash", start, sys.executable, "-c", "import os; print(os.environ['JUPYTER_CONFIG_PATH'])"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    page_config = json.loads((Path(shown.split(os.pathsep)[0]) / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True


@pytest.mark.slow
def test_a_fresh_environment_from_the_binder_files_runs_a_lesson(tmp_path):
    if not _pypi_reachable():
        if os.environ.get("CI"):
            pytest.fail("PyPI is not reachable, so the binder environment cannot be built")
        pytest.skip("PyPI is not reachable from this machine; the binder test installs from it")
    lessons = lesson_paths()
    if not lessons:
        pytest.skip("no lessons yet")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", "-r", BINDER / "requirements.txt"],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    # repo2docker runs postBuild from (a clone of) the repository folder, with REPO_DIR set to it
    repo = _repository_copy(tmp_path)
    subprocess.run(["bash", repo / "binder" / "postBuild"], check=True, env={**env, "REPO_DIR": str(repo)}, cwd=repo)

    # the lesson a Binder link opens: the student edition in lessons/
    lesson = repo / "lessons" / lessons[0].name
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys, petechiae_edu\nprint('PREFIX', sys.prefix)"))
    nbformat.write(notebook, lesson)
    script = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3').execute()\n"
        "print(nb.cells[-1].outputs[0]['text'])\n"
    )
    result = subprocess.run(
        [bin_dir / "python", "-c", script, lesson],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"PREFIX {venv}" in result.stdout  # the lesson ran in the binder environment's own kernel
    voila = subprocess.run([bin_dir / "voila", "--version"], env=env, capture_output=True, text=True)
    assert voila.returncode == 0
