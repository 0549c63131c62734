"""Student and instructor editions come from one source; no instructor cell reaches students."""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
import pytest

from petechiae_edu.classroom import INSTRUCTOR_TAG
from petechiae_edu.classroom.editions import (
    INSTRUCTOR_LABEL,
    EditionError,
    build_edition,
    is_instructor_cell,
    lesson_paths,
    make_edition,
)

LESSONS = lesson_paths()


def _lesson(tmp_path: Path, name: str = "99-sample.ipynb") -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Sample\n\n> **Educational use only, not for diagnosis.**"),
        nbformat.v4.new_code_cell('from petechiae_edu import start_lesson\nstart_lesson("99")'),
        nbformat.v4.new_markdown_cell("**Try this:** lower the platelet count to 8 ×10^9/L."),
        nbformat.v4.new_markdown_cell(
            "### Solution\n\nThe risk rises steeply below 10 ×10^9/L.", metadata={"tags": [INSTRUCTOR_TAG]}
        ),
        nbformat.v4.new_markdown_cell(
            "Timing: 10 minutes. Misconception: petechiae always mean leukaemia.",
            metadata={"tags": ["instructor", "teaching-note"]},
        ),
        nbformat.v4.new_code_cell("answer = 2 + 2", metadata={"tags": [INSTRUCTOR_TAG]}),
        nbformat.v4.new_code_cell('self_check("99")'),
        nbformat.v4.new_code_cell("print('golden')", metadata={"tags": ["nbval-check-output"]}),
    ]
    path = tmp_path / "source" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_student_edition_drops_every_instructor_cell(tmp_path):
    lesson = _lesson(tmp_path)
    (written,) = build_edition("student", tmp_path / "student", lessons=[lesson])
    cells = nbformat.read(written, as_version=4).cells
    assert not any(is_instructor_cell(cell) for cell in cells)
    assert not any("Solution" in cell.source or "Misconception" in cell.source for cell in cells)
    assert len(cells) == 5


def test_student_edition_keeps_the_self_check_and_golden_cells(tmp_path):
    (written,) = build_edition("student", tmp_path / "student", lessons=[_lesson(tmp_path)])
    sources = [cell.source for cell in nbformat.read(written, as_version=4).cells]
    assert 'self_check("99", edition="student")' in sources  # the student's self-check: no reveal-all
    assert "print('golden')" in sources


def test_instructor_edition_keeps_every_cell_and_labels_instructor_notes(tmp_path):
    lesson = _lesson(tmp_path)
    (written,) = build_edition("instructor", tmp_path / "instructor", lessons=[lesson])
    original = nbformat.read(lesson, as_version=4).cells
    cells = nbformat.read(written, as_version=4).cells
    assert len(cells) == len(original)
    notes = [cell for cell in cells if cell.cell_type == "markdown" and is_instructor_cell(cell)]
    assert notes and all(cell.source.startswith(INSTRUCTOR_LABEL) for cell in notes)
    # a heading keeps its own line, so it still renders as a heading
    assert f"{INSTRUCTOR_LABEL}\n\n### Solution" in notes[0].source


def test_editions_record_which_edition_they_are(tmp_path):
    lesson = _lesson(tmp_path)
    for edition in ("student", "instructor"):
        (written,) = build_edition(edition, tmp_path / edition, lessons=[lesson])
        assert nbformat.read(written, as_version=4).metadata["petechiae_edu"]["edition"] == edition


def test_a_self_check_tagged_for_instructors_is_refused(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell('self_check("99")', metadata={"tags": [INSTRUCTOR_TAG]})]
    with pytest.raises(EditionError, match="self-check"):
        make_edition(notebook, "student", name="99-sample.ipynb")


def test_unknown_edition_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match=r"'teacher'.*student, instructor"):
        build_edition("teacher", tmp_path / "out", lessons=[_lesson(tmp_path)])


def test_building_into_the_authored_lessons_folder_is_refused(tmp_path):
    lesson = _lesson(tmp_path)
    with pytest.raises(EditionError, match="authored lessons"):
        build_edition("student", lesson.parent, lessons=[lesson])


def test_the_source_lesson_is_not_changed(tmp_path):
    lesson = _lesson(tmp_path)
    before = lesson.read_bytes()
    build_edition("student", tmp_path / "student", lessons=[lesson])
    build_edition("instructor", tmp_path / "instructor", lessons=[lesson])
    assert lesson.read_bytes() == before


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_instructor_cell_survives_in_a_real_lesson_student_edition(lesson, tmp_path):
    (written,) = build_edition("student", tmp_path, lessons=[lesson])
    original = nbformat.read(lesson, as_version=4).cells
    cells = nbformat.read(written, as_version=4).cells
    assert not any(is_instructor_cell(cell) for cell in cells)
    assert len(cells) == sum(not is_instructor_cell(cell) for cell in original)
    if any("self_check(" in cell.source for cell in original):
        assert any("self_check(" in cell.source for cell in cells)


def test_build_writes_every_lesson_in_teaching_order(tmp_path):
    first = _lesson(tmp_path, "01-b.ipynb")
    second = _lesson(tmp_path, "00-a.ipynb")
    written = build_edition("student", tmp_path / "out", lessons=lesson_paths(first.parent))
    assert [p.name for p in written] == [second.name, first.name]
    assert "00-a.ipynb" in (tmp_path / "out" / "README.md").read_text()


def test_the_build_command_writes_the_chosen_edition(tmp_path, capsys, monkeypatch):
    from petechiae_edu.classroom import editions
    from petechiae_edu.classroom.commands import register

    parser = argparse.ArgumentParser(prog="petechiae-edu")
    register(parser.add_subparsers(dest="command", required=True))
    lesson = _lesson(tmp_path)
    monkeypatch.setattr(editions, "lesson_paths", lambda source_dir=None: [lesson])
    arguments = parser.parse_args(["build", "--edition", "student", str(tmp_path / "out")])
    assert arguments.handler(arguments) == 0
    assert "student edition of 1 lessons" in capsys.readouterr().out
    assert (tmp_path / "out" / lesson.name).is_file()
