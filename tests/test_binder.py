"""Class deployment: the Binder/JupyterHub configuration installs a working course into a fresh environment."""

from __future__ import annotations

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
    assert "pip install" in text and "--editable ." in text


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
    # repo2docker runs postBuild from the repository folder
    subprocess.run(["bash", BINDER / "postBuild"], check=True, env=env, cwd=REPOSITORY)

    lesson = tmp_path / lessons[0].name
    shutil.copyfile(lessons[0], lesson)
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
