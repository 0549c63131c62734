"""The petechiae-edu command: help on every command, list, check, copy/update and lab."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from petechiae_edu import cli
from petechiae_edu.lessons import lessons


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "petechiae_edu.cli", *arguments], capture_output=True, text=True, timeout=300
    )


def test_every_command_has_help(capsys):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"lab", "copy", "update", "list", "check", "build", "present", "export"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exited:
            cli.main([name, "--help"])
        assert exited.value.code == 0
        assert "usage: petechiae-edu" in capsys.readouterr().out


def test_list_prints_every_lesson_with_its_title(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for lesson in lessons():
        assert f"{lesson.number}  {lesson.title}" in out
    assert "01  Petechiae: what the tiny red spots are" in out


def test_copy_then_update_keeps_an_edited_lesson_byte_for_byte(tmp_path, capsys):
    workspace = tmp_path / "my lessons"
    assert cli.main(["copy", str(workspace)]) == 0
    assert "added      01-petechiae.ipynb" in capsys.readouterr().out
    lesson = workspace / "01-petechiae.ipynb"
    edited = lesson.read_bytes().replace(b"Learning objectives", b"Learning objectives (my notes: revise ITP)")
    lesson.write_bytes(edited)
    assert cli.main(["update", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert lesson.read_bytes() == edited
    assert "unchanged" in out


def test_update_of_a_folder_that_is_not_a_workspace_says_how_to_create_one(tmp_path, capsys):
    assert cli.main(["update", str(tmp_path / "nowhere")]) == 2
    assert "petechiae-edu copy" in capsys.readouterr().err


def test_lab_dry_run_prepares_the_workspace_and_prints_the_command(tmp_path, capsys):
    workspace = tmp_path / "ws"
    assert cli.main(["lab", str(workspace), "--dry-run", "--", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert (workspace / "00-start-here.ipynb").exists()
    assert "-m jupyterlab" in out and f"--ServerApp.root_dir={workspace}" in out and "--no-browser" in out


def test_check_passes_on_this_installation():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK      content store" in result.stdout
    assert "OK      widget front end" in result.stdout
    assert "OK      kernel" in result.stdout
    assert "All checks passed." in result.stdout


def test_check_names_a_broken_content_entry_in_plain_words(scratch_data, monkeypatch, capsys):
    path = scratch_data / "reference_ranges.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("low = 150", "low = -5", 1), encoding="utf-8")
    from petechiae_edu import paths

    monkeypatch.setattr(paths, "data_dir", lambda: Path(scratch_data))
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM content store: data/reference_ranges.toml, entry 'platelets' (range #1), field 'high'" in out
    assert "Fix each content entry named above in its data file" in out


def test_importing_the_cli_imports_no_heavy_module():
    """The command answers at once: numpy, matplotlib, ipywidgets, nbformat and Jupyter load only in the commands
    that need them (a structural test: which modules are imported, not how long it takes)."""
    probe = (
        "import sys; import petechiae_edu.cli as cli; cli.build_parser()\n"
        "heavy = ('numpy', 'matplotlib', 'ipywidgets', 'nbformat', 'jupyter_client', 'jupyter_core', 'IPython')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_list_imports_no_heavy_module():
    probe = (
        "import sys, contextlib, io; from petechiae_edu import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    cli.main(['list'])\n"
        "print(sorted(m for m in ('numpy', 'matplotlib', 'ipywidgets', 'nbformat') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
