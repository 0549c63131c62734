"""`build` and `export` never overwrite what they did not write; a failing lesson leaves the old site intact.

Issue 13, point 3.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from petechiae_edu import cli
from petechiae_edu.classroom.editions import build_edition
from petechiae_edu.classroom.export import ExportError, export_site
from petechiae_edu.classroom.output_folder import OUTPUT_MANIFEST, OutputFolderError


def _lesson(folder: Path, name: str = "01-a.ipynb", code: str = "print('platelets 8 ×10^9/L')") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), nbformat.v4.new_code_cell(code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_build_refuses_a_folder_with_a_students_work(tmp_path):
    lesson = _lesson(tmp_path / "course")
    out = tmp_path / "class"
    out.mkdir()
    (out / "01-a.ipynb").write_text("a student's edited lesson")
    (out / "README.md").write_text("our class notes")
    with pytest.raises(OutputFolderError, match=r"class is not empty and was not written by 'petechiae-edu build'"):
        build_edition("student", out, lessons=[lesson])
    assert (out / "01-a.ipynb").read_text() == "a student's edited lesson"
    assert (out / "README.md").read_text() == "our class notes"


def test_build_can_rebuild_its_own_folder_and_leaves_other_files_alone(tmp_path):
    first, second = _lesson(tmp_path / "course"), _lesson(tmp_path / "course", "02-b.ipynb")
    out = tmp_path / "class"
    build_edition("student", out, lessons=[first, second])
    (out / "my-notes.md").write_text("mine")
    build_edition("student", out, lessons=[first])  # the course dropped lesson 02
    assert (out / "01-a.ipynb").exists() and not (out / "02-b.ipynb").exists()
    assert (out / "my-notes.md").read_text() == "mine"
    assert (out / OUTPUT_MANIFEST).exists()


def test_a_built_file_changed_since_is_not_replaced_without_force(tmp_path):
    lesson = _lesson(tmp_path / "course")
    out = tmp_path / "class"
    build_edition("student", out, lessons=[lesson])
    (out / "01-a.ipynb").write_text("edited after the build")
    with pytest.raises(OutputFolderError, match=r"01-a\.ipynb was changed since the last 'petechiae-edu build'"):
        build_edition("student", out, lessons=[lesson])
    assert (out / "01-a.ipynb").read_text() == "edited after the build"
    build_edition("student", out, lessons=[lesson], force=True)
    assert nbformat.read(out / "01-a.ipynb", as_version=4).cells


def test_the_build_command_says_what_is_in_the_way_and_how_to_force(tmp_path, capsys):
    out = tmp_path / "class"
    out.mkdir()
    (out / "README.md").write_text("ours")
    assert cli.main(["build", "--edition", "student", str(out)]) == 2
    error = capsys.readouterr().err
    assert "README.md" in error and "--force" in error
    assert (out / "README.md").read_text() == "ours"


def test_export_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "handouts"
    out.mkdir()
    (out / "index.html").write_text("the department's own page")
    with pytest.raises(OutputFolderError, match="not written by 'petechiae-edu export'"):
        export_site(out, lessons=[_lesson(tmp_path / "course")], progress=lambda _: None)
    assert (out / "index.html").read_text() == "the department's own page"


@pytest.mark.slow
def test_a_lesson_that_fails_names_itself_and_leaves_the_previous_site_intact(tmp_path):
    out = tmp_path / "handouts"
    good = _lesson(tmp_path / "course")
    export_site(out, lessons=[good], progress=lambda _: None)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    broken = _lesson(tmp_path / "course", "02-broken.ipynb", code="raise ValueError('platelet count missing')")

    with pytest.raises(ExportError, match=r"lesson 02-broken\.ipynb failed while it ran .*platelet count missing"):
        export_site(out, lessons=[good, broken], progress=lambda _: None)

    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    assert not [path for path in tmp_path.iterdir() if ".staging-" in path.name], "the staging folder is removed"
