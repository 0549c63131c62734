"""The README's promise and the wheel: two set-up commands, and a wheel that carries the whole course."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- readme: ([\w-]+) -->\n```bash\n(.+)\n```", text))


def test_the_readme_has_exactly_two_set_up_commands():
    commands = _readme_commands()
    assert set(commands) == {"open-lessons", "test-suite"}
    assert commands["open-lessons"].endswith("petechiae-edu lab")
    assert commands["test-suite"].endswith("python -m pytest")
    assert "Educational use only, not for diagnosis" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "readme: test-suite" in script and 'eval "$test_command"' in script


def test_the_readme_lists_every_lesson_that_ships():
    from petechiae_edu.lessons import lessons

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for lesson in lessons():
        assert f"| {lesson.number} | {lesson.title} |" in text


@pytest.mark.slow
def test_the_built_wheel_installs_into_a_clean_venv_and_runs_a_lesson(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(dist.glob("petechiae_edu-*.whl"))
    environment = tmp_path / "clean-venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)

    outside = tmp_path / "elsewhere"  # run away from the checkout so nothing can be found there by accident
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")  # no user kernels from this machine

    def run(*arguments: str) -> str:
        result = subprocess.run(arguments, cwd=outside, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    root = run(str(python), "-c", "from petechiae_edu import paths; print(paths.course_root())")
    assert "site-packages" in root and "_course" in root
    check = run(str(environment / "bin" / "petechiae-edu"), "check")
    assert "All checks passed." in check
    listing = run(str(environment / "bin" / "petechiae-edu"), "list")
    assert "01  Petechiae: what the tiny red spots are" in listing
    run(str(environment / "bin" / "petechiae-edu"), "copy", str(tmp_path / "workspace"))
    assert (tmp_path / "workspace" / "01-petechiae.ipynb").exists()
    executed = run(
        str(python),
        "-c",
        "from petechiae_edu.authoring import execute_notebook; from petechiae_edu.citations import lesson_path; "
        "nb = execute_notebook(lesson_path('01')); "
        "print(sum(len(c.get('outputs', [])) for c in nb.cells), 'outputs')",
    )
    assert int(executed.split()[0]) > 5


def test_the_readme_sets_up_windows_macos_and_linux_with_two_commands_each_and_says_how_to_get_the_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "git clone https://github.com/petechiae-edu/petechiae-edu.git" in text and "ZIP" in text
    assert "### Linux and macOS" in text and "### Windows" in text
    windows = re.findall(r"```powershell\n(.+)\n```", text)
    assert len(windows) == 2
    assert windows[0].endswith(r".venv\Scripts\petechiae-edu lab")
    assert windows[1].endswith(r".venv\Scripts\python -m pytest") and '".[test]"' in windows[1]
