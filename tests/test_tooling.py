"""The tools run where they should: one lint script for CI and pre-commit, a notebook-hygiene check that fails on
a stray output or another kernel, mypy configured and installed by the README's test command, and a package that
can be imported module by module (as doctest collection does) without side effects."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from petechiae_edu import authoring
from petechiae_edu.lessons import lessons

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "lint"


def _lint_checks() -> list[str]:
    result = subprocess.run(
        [sys.executable, str(LINT), "--list"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return re.findall(r"(?m)^(\w+) ", result.stdout)


@pytest.fixture
def lesson_copy(tmp_path: Path) -> Path:
    """A clean copy of lesson 01 that a test may dirty."""
    path = tmp_path / "01-petechiae.ipynb"
    path.write_bytes(next(lesson for lesson in lessons() if lesson.number == "01").path.read_bytes())
    return path


def _first_plain_code_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if c.cell_type == "code" and not authoring.is_golden(c))


# ------------------------------------------------------------------------------------------ notebook hygiene


def test_a_clean_lesson_passes_the_hygiene_check(lesson_copy, capsys):
    assert authoring.main(["check", str(lesson_copy)]) == 0
    assert capsys.readouterr().out.startswith("1 lessons checked")


def test_the_hygiene_check_fails_on_a_stray_output(lesson_copy, capsys):
    notebook = nbformat.read(lesson_copy, as_version=4)
    cell = _first_plain_code_cell(notebook)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="left over\n")]
    nbformat.write(notebook, lesson_copy)
    assert authoring.main(["check", str(lesson_copy)]) == 1
    index = notebook.cells.index(cell)
    assert f"01-petechiae.ipynb: cell {index} keeps outputs but is not a golden cell" in capsys.readouterr().out


def test_the_hygiene_check_fails_on_another_kernel(lesson_copy, capsys):
    notebook = nbformat.read(lesson_copy, as_version=4)
    notebook.metadata["kernelspec"] = {"name": "conda-env-py", "display_name": "Python (conda)", "language": "python"}
    nbformat.write(notebook, lesson_copy)
    assert authoring.main(["check", str(lesson_copy)]) == 1
    assert "01-petechiae.ipynb: kernelspec name is not python3" in capsys.readouterr().out


def test_the_hygiene_check_fails_on_saved_widget_state(lesson_copy, capsys):
    notebook = nbformat.read(lesson_copy, as_version=4)
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(notebook, lesson_copy)
    assert authoring.main(["check", str(lesson_copy)]) == 1
    assert "notebook metadata keeps widget state" in capsys.readouterr().out


def test_check_without_names_checks_every_shipped_lesson(capsys):
    assert authoring.main(["check"]) == 0
    assert capsys.readouterr().out.startswith(f"{len(lessons())} lessons checked")


def test_the_other_actions_still_need_named_notebooks(capsys):
    with pytest.raises(SystemExit):
        authoring.main(["strip"])
    assert "name the notebooks to strip" in capsys.readouterr().err


# ------------------------------------------------------------------------------ one lint script, run everywhere


def test_the_lint_script_runs_every_tool_the_issue_names():
    assert _lint_checks() == ["ruff", "format", "notebooks", "mypy", "doctest"]


def test_the_lint_script_refuses_an_unknown_check_by_name():
    result = subprocess.run(
        [sys.executable, str(LINT), "rufff"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert "unknown check rufff; expected any of: ruff, format, notebooks, mypy, doctest" in result.stderr


def test_ci_runs_the_readme_test_command_first_then_the_lint_script_from_the_venv():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme_command = script.index('eval "$test_command"')
    lint = script.index(".venv/bin/python tools/lint")
    assert readme_command < lint


def test_pre_commit_runs_each_lint_check_with_the_project_venv():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "repo: local" in config and "repo: https" not in config  # nothing downloads at commit time
    entries = re.findall(r"(?m)^\s+entry: (.+)$", config)
    assert entries == [f".venv/bin/python tools/lint {name}" for name in _lint_checks()]


def test_the_readme_set_up_installs_the_tools_and_mypy_is_configured():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test_extra = " ".join(pyproject["project"]["optional-dependencies"]["test"])
    assert "ruff" in test_extra and "mypy" in test_extra
    mypy_files = pyproject["tool"]["mypy"]["files"]
    assert {"petechiae_edu/models", "petechiae_edu/content"} <= set(mypy_files)
    assert (ROOT / "petechiae_edu" / "py.typed").is_file()  # PEP 561: the wheel ships the package's types


# ------------------------------------------------------------------------ importing a module changes nothing


def test_importing_every_module_prints_nothing_and_writes_nothing(tmp_path):
    # What doctest collection does: import each module of the package, from an empty folder and an empty home.
    script = (
        "import importlib, pkgutil, petechiae_edu\n"
        "for module in pkgutil.walk_packages(petechiae_edu.__path__, 'petechiae_edu.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    home, work, mpl = tmp_path / "home", tmp_path / "work", tmp_path / "matplotlib-cache"
    for folder in (home, work, mpl):
        folder.mkdir()
    watched = [ROOT / "data", ROOT / "notebooks"]
    before = {p: p.stat().st_mtime_ns for folder in watched for p in folder.rglob("*")}
    env = {**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(mpl), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert list(home.iterdir()) == [] and list(work.iterdir()) == []
    assert {p: p.stat().st_mtime_ns for folder in watched for p in folder.rglob("*")} == before


# ------------------------------------------------------------------------------ what mypy found, pinned by tests


def test_a_bibliography_without_entries_is_reported_not_a_traceback(scratch_data):
    # mypy: check.py iterated document.get("source") without a None guard; this draft raised TypeError before
    from petechiae_edu import content

    (scratch_data / "sources.toml").write_text('schema = "sources"\n', encoding="utf-8")
    report = content.check_store(scratch_data)
    assert not report.ok
    assert any("sources.toml: no [[source]] entries found" in str(p) for p in report.all_problems)
