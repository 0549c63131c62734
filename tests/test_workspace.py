"""Copying and updating a student's workspace never overwrites the student's own work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from petechiae_edu.workspace import MANIFEST_NAME, beside_name, sync_workspace


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A small course with two lessons, version 1."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "01-a.ipynb").write_text('{"lesson": "a", "v": 1}')
    (folder / "02-b.ipynb").write_text('{"lesson": "b", "v": 1}')
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_first_copy_adds_every_lesson_and_a_manifest(course, tmp_path):
    workspace = tmp_path / "work"
    report = sync_workspace(workspace, course, version="1")
    assert report.added == ["01-a.ipynb", "02-b.ipynb"]
    assert (workspace / "01-a.ipynb").read_bytes() == (course / "01-a.ipynb").read_bytes()
    manifest = json.loads((workspace / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == {"01-a.ipynb", "02-b.ipynb"}


def test_running_twice_changes_nothing(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    before = _snapshot(workspace)
    report = sync_workspace(workspace, course, version="1")
    assert not report.changed_anything
    assert _snapshot(workspace) == before


def test_unchanged_lessons_are_refreshed_when_the_course_updates(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (course / "01-a.ipynb").write_text('{"lesson": "a", "v": 2}')
    report = sync_workspace(workspace, course, version="2")
    assert report.refreshed == ["01-a.ipynb"]
    assert (workspace / "01-a.ipynb").read_text() == '{"lesson": "a", "v": 2}'


def test_update_never_overwrites_a_student_edit(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    edited = b'{"lesson": "a", "v": 1, "my notes": "platelets below 10 \xc3\x97 10^9/L!"}'
    (workspace / "01-a.ipynb").write_bytes(edited)
    (course / "01-a.ipynb").write_text('{"lesson": "a", "v": 2}')

    report = sync_workspace(workspace, course, version="2")

    assert (workspace / "01-a.ipynb").read_bytes() == edited  # byte for byte
    assert report.kept_student_version == [("01-a.ipynb", "01-a.new-v2.ipynb")]
    assert (workspace / "01-a.new-v2.ipynb").read_text() == '{"lesson": "a", "v": 2}'
    assert any("kept       01-a.ipynb (you changed it)" in line for line in report.lines())


def test_a_second_update_after_a_student_edit_changes_nothing(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / "01-a.ipynb").write_text("student's version")
    (course / "01-a.ipynb").write_text('{"lesson": "a", "v": 2}')
    sync_workspace(workspace, course, version="2")
    before = _snapshot(workspace)
    report = sync_workspace(workspace, course, version="2")
    assert not report.changed_anything
    assert _snapshot(workspace) == before


def test_an_edited_lesson_stays_the_students_through_later_updates(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / "01-a.ipynb").write_text("student's version")
    for version in ("2", "3"):
        (course / "01-a.ipynb").write_text(f'{{"lesson": "a", "v": {version}}}')
        sync_workspace(workspace, course, version=version)
    assert (workspace / "01-a.ipynb").read_text() == "student's version"
    assert (workspace / "01-a.new-v3.ipynb").exists() and (workspace / "01-a.new-v2.ipynb").exists()


def test_a_student_edit_with_no_newer_lesson_is_simply_kept(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / "02-b.ipynb").write_text("my answers")
    report = sync_workspace(workspace, course, version="1")
    assert report.kept_student_no_update == ["02-b.ipynb"]
    assert (workspace / "02-b.ipynb").read_text() == "my answers"
    assert not (workspace / beside_name("02-b.ipynb", "1")).exists()


def test_a_file_of_the_same_name_that_the_course_never_wrote_is_kept(course, tmp_path):
    workspace = tmp_path / "work"
    workspace.mkdir()
    (workspace / "01-a.ipynb").write_text("a file the student made")
    report = sync_workspace(workspace, course, version="1")
    assert (workspace / "01-a.ipynb").read_text() == "a file the student made"
    assert report.kept_student_version == [("01-a.ipynb", "01-a.new-v1.ipynb")]


def test_other_student_files_are_left_alone(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / "my-notes.md").write_text("notes")
    (course / "02-b.ipynb").write_text('{"lesson": "b", "v": 2}')
    sync_workspace(workspace, course, version="2")
    assert (workspace / "my-notes.md").read_text() == "notes"


def test_a_damaged_manifest_is_reported_and_nothing_is_touched(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / MANIFEST_NAME).write_text("{not json")
    (workspace / "01-a.ipynb").write_text("mine")
    with pytest.raises(ValueError, match=r"the workspace manifest is damaged .* Your lessons are untouched"):
        sync_workspace(workspace, course, version="2")
    assert (workspace / "01-a.ipynb").read_text() == "mine"


def test_a_file_in_place_of_the_workspace_folder_is_refused(course, tmp_path):
    not_a_folder = tmp_path / "work"
    not_a_folder.write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        sync_workspace(not_a_folder, course, version="1")
