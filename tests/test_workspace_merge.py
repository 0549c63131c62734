"""Updates reach students without losing their work: running a lesson is not editing it, edits merge cell by cell.

Issue 13, point 2 (and the umask and student-edition parts of points 1 and 7).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import nbformat
import pytest

from petechiae_edu import workspace as workspace_module
from petechiae_edu.notebook_merge import NotMergeable, merge_update, only_ran
from petechiae_edu.workspace import BACKUP_FOLDER, MANIFEST_NAME, sync_workspace


def _lesson(*cells: tuple[str, str, str], instructor: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    """A lesson from (id, cell type, source) triples; ids in ``instructor`` are tagged for instructors."""
    notebook = nbformat.v4.new_notebook()
    for cell_id, kind, source in cells:
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.id = cell_id
        if cell_id in instructor:
            cell.metadata["tags"] = ["instructor"]
        notebook.cells.append(cell)
    return notebook


V1 = [
    ("intro", "markdown", "# Petechiae\nSpots under 2 mm."),
    ("call", "code", "from petechiae_edu import lesion_size_classifier\nlesion_size_classifier()"),
    ("rule", "markdown", "A febrile child with a non-blanching rash needs same-hour hospital assessment."),
    ("end", "markdown", "## Sources"),
]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    nbformat.write(_lesson(*V1), folder / "01-petechiae.ipynb")
    return folder


def _publish(course: Path, *cells: tuple[str, str, str]) -> None:
    nbformat.write(_lesson(*cells), course / "01-petechiae.ipynb")


def _open(workspace: Path) -> nbformat.NotebookNode:
    return nbformat.read(workspace / "01-petechiae.ipynb", as_version=4)


def _save(workspace: Path, notebook: nbformat.NotebookNode) -> None:
    nbformat.write(notebook, workspace / "01-petechiae.ipynb")


def _sources(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.id, cell.source) for cell in notebook.cells]


def _run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """What running a lesson changes: outputs, execution counts, widget state. No source."""
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            cell.execution_count = number
            cell.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    notebook.metadata["widgets"] = {"state": {"model": 1}}
    return notebook


def test_a_lesson_the_student_only_ran_is_updated(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    _save(workspace, _run(_open(workspace)))
    _publish(course, *V1[:3], ("end", "markdown", "## Sources (updated)"))

    report = sync_workspace(workspace, course, version="2")

    assert report.refreshed_after_run == ["01-petechiae.ipynb"]
    assert report.kept_student_version == []
    assert _open(workspace).cells[-1].source == "## Sources (updated)"
    assert not list(workspace.glob("*.new-v*"))
    assert list((workspace / BACKUP_FOLDER).iterdir()), "the student's run copy is kept in the backup folder"


def test_an_edited_lesson_is_merged_cell_by_cell(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _run(_open(workspace))
    student.cells[1].source += "\n# my note: try 8 ×10^9/L"
    own = nbformat.v4.new_markdown_cell("My summary: petechiae = platelets or vessels.")
    own.id = "mine"
    student.cells.insert(2, own)
    _save(workspace, student)
    _publish(
        course,
        ("intro", "markdown", "# Petechiae\nSpots of 2 mm or less."),  # the course changed a cell she did not touch
        V1[1],
        V1[2],
        ("new", "markdown", "A new paragraph in the course."),
        V1[3],
    )

    report = sync_workspace(workspace, course, version="2")

    assert [name for name, _ in report.merged] == ["01-petechiae.ipynb"]
    merged = _sources(_open(workspace))
    assert merged == [
        ("intro", "# Petechiae\nSpots of 2 mm or less."),
        ("call", V1[1][2] + "\n# my note: try 8 ×10^9/L"),
        ("mine", "My summary: petechiae = platelets or vessels."),
        ("rule", V1[2][2]),
        ("new", "A new paragraph in the course."),
        ("end", "## Sources"),
    ]


def test_a_cell_changed_by_both_keeps_the_students_version_and_puts_the_new_one_below(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells[2].source = "My words: same-hour assessment for fever + non-blanching rash."
    _save(workspace, student)
    corrected = "A febrile child with a non-blanching rash: same-hour hospital assessment, even if well-looking."
    _publish(course, V1[0], V1[1], ("rule", "markdown", corrected), V1[3])

    report = sync_workspace(workspace, course, version="2")

    cells = _open(workspace).cells
    assert cells[2].id == "rule" and cells[2].source.startswith("My words")
    assert "Course update (version 2)" in cells[3].source
    assert cells[4].source == corrected and cells[4].id != "rule"
    assert "also changed by the course" in dict(report.merged)["01-petechiae.ipynb"]


def test_a_deleted_course_cell_comes_back_only_if_the_course_corrected_it(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells = [cell for cell in student.cells if cell.id not in ("intro", "rule")]
    _save(workspace, student)
    _publish(course, V1[0], V1[1], ("rule", "markdown", "Corrected safety rule."), V1[3])

    sync_workspace(workspace, course, version="2")

    assert [cell.id for cell in _open(workspace).cells] == ["call", "rule", "end"]


def test_a_student_edit_is_never_lost_over_two_updates(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells[0].source += "\nMY NOTE"
    _save(workspace, student)
    for version in ("2", "3"):
        _publish(course, V1[0], V1[1], V1[2], ("end", "markdown", f"## Sources v{version}"))
        sync_workspace(workspace, course, version=version)
    cells = _open(workspace).cells
    assert cells[0].source.endswith("MY NOTE")
    assert cells[-1].source == "## Sources v3"


def test_the_manifest_is_verified_not_trusted(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells[0].source = "mine"
    _save(workspace, student)
    manifest = json.loads((workspace / MANIFEST_NAME).read_text())
    manifest["base"]["01-petechiae.ipynb"] = manifest["base"]["01-petechiae.ipynb"].replace("Spots", "Blots")
    (workspace / MANIFEST_NAME).write_text(json.dumps(manifest))
    _publish(course, *V1[:3], ("end", "markdown", "## Sources v2"))

    report = sync_workspace(workspace, course, version="2")

    assert report.merged == [] and report.kept_student_version  # no merge on a base that fails its fingerprint
    assert _open(workspace).cells[0].source == "mine"


def test_a_save_that_races_the_update_is_never_lost(course, tmp_path, monkeypatch):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells[0].source = "first edit"
    _save(workspace, student)
    _publish(course, *V1[:3], ("end", "markdown", "## Sources v2"))
    real_merge = workspace_module.merge_update

    def merge_while_the_student_saves(*args, **kwargs):
        result = real_merge(*args, **kwargs)
        later = _open(workspace)
        later.cells[0].source = "second edit, saved during the update"
        _save(workspace, later)
        return result

    monkeypatch.setattr(workspace_module, "merge_update", merge_while_the_student_saves)
    report = sync_workspace(workspace, course, version="2")

    assert _open(workspace).cells[0].source == "second edit, saved during the update"
    assert report.saved_during_update == ["01-petechiae.ipynb"]
    assert not list(workspace.glob(".*.tmp")), "no temporary files are left behind"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_files_are_written_with_the_users_umask(course, tmp_path):
    old = os.umask(0o022)
    try:
        sync_workspace(tmp_path / "work", course, version="1")
    finally:
        os.umask(old)
    for path in (tmp_path / "work" / "01-petechiae.ipynb", tmp_path / "work" / MANIFEST_NAME):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_students_get_the_student_edition_by_default(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    nbformat.write(_lesson(*V1, ("answer", "markdown", "Solution: 8"), instructor=("answer",)), course / "01-a.ipynb")
    sync_workspace(tmp_path / "student", course, version="1")
    sync_workspace(tmp_path / "teacher", course, version="1", edition="instructor")
    student_ids = [cell.id for cell in nbformat.read(tmp_path / "student" / "01-a.ipynb", as_version=4).cells]
    teacher_ids = [cell.id for cell in nbformat.read(tmp_path / "teacher" / "01-a.ipynb", as_version=4).cells]
    assert "answer" not in student_ids and "answer" in teacher_ids


def test_an_unknown_edition_is_refused(course, tmp_path):
    with pytest.raises(ValueError, match=r"edition = 'teacher' is not an edition; expected one of: student"):
        sync_workspace(tmp_path / "work", course, version="1", edition="teacher")


def test_running_the_real_first_lesson_is_not_editing_it(tmp_path):
    from petechiae_edu import paths

    course = tmp_path / "course"
    course.mkdir()
    lesson = nbformat.read(paths.lessons_dir() / "00-start-here.ipynb", as_version=4)
    nbformat.write(lesson, course / "00-start-here.ipynb")
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    ran = _run(nbformat.read(workspace / "00-start-here.ipynb", as_version=4))
    nbformat.write(ran, workspace / "00-start-here.ipynb")
    lesson.cells[0].source += "\n\n(Updated.)"
    nbformat.write(lesson, course / "00-start-here.ipynb")

    report = sync_workspace(workspace, course, version="2")

    assert report.refreshed_after_run == ["00-start-here.ipynb"]
    assert "(Updated.)" in nbformat.read(workspace / "00-start-here.ipynb", as_version=4).cells[0].source


def test_outputs_never_count_as_edits():
    base = json.loads(nbformat.writes(_lesson(*V1)))
    ran = json.loads(nbformat.writes(_run(_lesson(*V1))))
    assert only_ran(base, ran)


def test_cells_without_ids_are_not_merged():
    base = json.loads(nbformat.writes(_lesson(*V1)))
    old_style = json.loads(nbformat.writes(_lesson(*V1)))
    for cell in old_style["cells"]:
        del cell["id"]
    with pytest.raises(NotMergeable, match="has no id"):
        merge_update(base, old_style, base, version="2")


def test_a_renamed_lesson_keeps_the_students_edits_under_its_new_name(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    nbformat.write(_lesson(*V1), course / "03-bleeding.ipynb")
    nbformat.write(_lesson(("l1", "markdown", "# Leukaemias")), course / "04-leukaemias.ipynb")
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open_named(workspace, "03-bleeding.ipynb")
    student.cells[0].source += "\nMY NOTE"
    nbformat.write(student, workspace / "03-bleeding.ipynb")
    # version 2 teaches the leukaemias first: the two lessons swap numbers, and the bleeding lesson changes a cell
    (course / "03-bleeding.ipynb").unlink()
    (course / "04-leukaemias.ipynb").unlink()
    nbformat.write(_lesson(("l1", "markdown", "# Leukaemias")), course / "03-leukaemias.ipynb")
    nbformat.write(_lesson(*V1[:3], ("end", "markdown", "## Sources v2")), course / "04-bleeding.ipynb")

    report = sync_workspace(
        workspace,
        course,
        version="2",
        renames={"03-bleeding.ipynb": "04-bleeding.ipynb", "04-leukaemias.ipynb": "03-leukaemias.ipynb"},
    )

    assert sorted(p.name for p in workspace.glob("*.ipynb")) == ["03-leukaemias.ipynb", "04-bleeding.ipynb"]
    cells = _open_named(workspace, "04-bleeding.ipynb").cells
    assert cells[0].source.endswith("MY NOTE") and cells[-1].source == "## Sources v2"
    assert ("03-bleeding.ipynb", "04-bleeding.ipynb") in report.renamed
    assert [name for name, _ in report.merged] == ["04-bleeding.ipynb"]


def test_a_student_of_the_old_order_is_carried_over_to_the_leukaemias_before_bleeding_risk(tmp_path):
    """The real reorder of issue 14: a workspace copied when bleeding risk was lesson 03 and the leukaemias 04 keeps
    the student's edits under the new names when the shipped course (and its course map) is synced."""
    from petechiae_edu import paths
    from petechiae_edu.workspace import course_renames

    renames = course_renames()
    assert renames["03-bleeding-risk.ipynb"] == "04-bleeding-risk.ipynb"
    assert renames["04-leukaemias.ipynb"] == "03-leukaemias.ipynb"
    old_course = tmp_path / "old"
    old_course.mkdir()
    for path in paths.lessons_dir().glob("[0-9][0-9]-*.ipynb"):
        old_name = next((old for old, new in renames.items() if new == path.name), path.name)
        (old_course / old_name).write_bytes(path.read_bytes())
    workspace = tmp_path / "work"
    sync_workspace(workspace, old_course, version="old")
    student = _open_named(workspace, "03-bleeding-risk.ipynb")
    student.cells.append(nbformat.v4.new_markdown_cell("My notes on bleeding risk", id="my-notes"))
    nbformat.write(student, workspace / "03-bleeding-risk.ipynb")

    report = sync_workspace(workspace, paths.lessons_dir(), version="new", renames=renames)

    assert not (workspace / "03-bleeding-risk.ipynb").exists()
    moved = _open_named(workspace, "04-bleeding-risk.ipynb")
    assert moved.cells[-1].source == "My notes on bleeding risk"
    assert (
        _open_named(workspace, "03-leukaemias.ipynb")
        .cells[0]
        .source.startswith(_open_named(paths.lessons_dir(), "03-leukaemias.ipynb").cells[0].source[:40])
    )
    assert ("03-bleeding-risk.ipynb", "04-bleeding-risk.ipynb") in report.renamed


def test_the_shipped_course_map_names_earlier_keys_only_for_lessons_that_exist():
    from petechiae_edu.workspace import course_renames

    for old, new in course_renames().items():
        assert old != new and new.endswith(".ipynb")


def _open_named(workspace: Path, name: str) -> nbformat.NotebookNode:
    return nbformat.read(workspace / name, as_version=4)


# --- rows of the reliability review (shared/reviews/reliability-review.md, section W) ------------------------------


def test_W5_a_folder_with_a_lessons_name_is_skipped_and_the_rest_updated(course, tmp_path):
    workspace = tmp_path / "work"
    nbformat.write(_lesson(*V1), course / "02-other.ipynb")
    sync_workspace(workspace, course, version="1")
    (workspace / "01-petechiae.ipynb").unlink()
    (workspace / "01-petechiae.ipynb").mkdir()
    (workspace / "01-petechiae.ipynb" / "notes.txt").write_text("mine")
    _publish(course, *V1[:3], ("end", "markdown", "## Sources v2"))
    nbformat.write(_lesson(*V1[:3], ("end", "markdown", "## v2")), course / "02-other.ipynb")
    report = sync_workspace(workspace, course, version="2")
    assert report.skipped and report.skipped[0][0] == "01-petechiae.ipynb"
    assert report.refreshed == ["02-other.ipynb"]
    assert (workspace / "01-petechiae.ipynb" / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(os.name != "posix", reason="named pipes are POSIX")
def test_W35_a_named_pipe_with_a_lessons_name_never_hangs_the_update(course, tmp_path):
    workspace = tmp_path / "work"
    workspace.mkdir()
    os.mkfifo(workspace / "01-petechiae.ipynb")
    report = sync_workspace(workspace, course, version="1")  # reading the pipe would block for ever
    assert report.skipped[0][0] == "01-petechiae.ipynb"


def test_W13_a_damaged_manifest_says_to_run_copy(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(ValueError, match=r"move the manifest aside and run: petechiae-edu copy .*work"):
        sync_workspace(workspace, course, version="2")


def test_W14_a_manifest_of_numbers_instead_of_fingerprints_is_damaged(course, tmp_path):
    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    (workspace / MANIFEST_NAME).write_text('{"files": {"01-petechiae.ipynb": 1}}')
    with pytest.raises(ValueError, match=r"the fingerprint of '01-petechiae.ipynb' is 1, not a SHA-256"):
        sync_workspace(workspace, course, version="2")


def test_W16_a_manifest_edited_to_call_an_edited_lesson_pristine_is_not_believed(course, tmp_path):
    import hashlib

    workspace = tmp_path / "work"
    sync_workspace(workspace, course, version="1")
    student = _open(workspace)
    student.cells[0].source = "my own words"
    _save(workspace, student)
    manifest = json.loads((workspace / MANIFEST_NAME).read_text())
    edited = (workspace / "01-petechiae.ipynb").read_bytes()
    manifest["files"]["01-petechiae.ipynb"] = hashlib.sha256(edited).hexdigest()
    (workspace / MANIFEST_NAME).write_text(json.dumps(manifest))
    _publish(course, *V1[:3], ("end", "markdown", "## Sources v2"))

    sync_workspace(workspace, course, version="2")

    assert _open(workspace).cells[0].source == "my own words"


@pytest.mark.parametrize("inside", ["lessons", "package"])
def test_W32_W33_a_workspace_inside_the_course_or_the_package_is_refused(inside, tmp_path):
    from petechiae_edu import paths

    folder = paths.lessons_dir() if inside == "lessons" else Path(workspace_module.__file__).parent / "lessons-here"
    with pytest.raises(ValueError, match="holds the course itself"):
        sync_workspace(folder, paths.lessons_dir(), version="1")
    assert not (Path(workspace_module.__file__).parent / "lessons-here").exists()


def test_W34_an_empty_workspace_name_is_refused(capsys):
    from petechiae_edu import cli

    with pytest.raises(SystemExit):
        cli.main(["copy", ""])
    assert "the workspace folder name is empty" in capsys.readouterr().err


def test_W31_the_dry_run_command_can_be_copied_and_run(tmp_path, capsys):
    import shlex

    from petechiae_edu import cli

    folder = tmp_path / "my lessons ü $HOME;'x"
    assert cli.main(["lab", str(folder), "--dry-run"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"--ServerApp.root_dir={folder}" in shlex.split(printed)
