"""Student and instructor editions of the lessons, built from one authored source.

Lessons are written once. Cells for instructors only (solutions to the "try this" tasks, teaching notes,
timing suggestions, common misconceptions) carry the cell tag ``instructor``. The student edition drops
those cells and keeps everything else, including the self-check and its feedback; the instructor edition
keeps every cell and labels the instructor-only markdown so it stands out on screen.

    petechiae-edu build --edition student DIR
    petechiae-edu build --edition instructor DIR
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat

from .. import paths
from ..lessons import lesson_files
from . import EDITIONS, INSTRUCTOR_TAG
from .output_folder import check_output_folder, publish, staging

INSTRUCTOR_LABEL = "**For instructors** · "
SELF_CHECK_CALL = "self_check("
# self_check("07") in a lesson -> self_check("07", edition="student") in its student edition (no "reveal all")
STUDENT_SELF_CHECK = re.compile(r"""self_check\((["'])(\d\d)\1\)""")


class EditionError(ValueError):
    """A lesson cannot be turned into an edition (for example a self-check tagged for instructors)."""


def lesson_paths(source_dir: Path | None = None) -> list[Path]:
    """Every lesson notebook, in teaching order (``NN-slug.ipynb``; :func:`petechiae_edu.lessons.lesson_files`)."""
    return lesson_files(source_dir)


def is_instructor_cell(cell: nbformat.NotebookNode) -> bool:
    """True for a cell tagged ``instructor`` (solutions, teaching notes, timing, misconceptions)."""
    return INSTRUCTOR_TAG in cell.get("metadata", {}).get("tags", [])


def _source(cell: nbformat.NotebookNode) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def student_edition(notebook: nbformat.NotebookNode, *, name: str = "lesson") -> nbformat.NotebookNode:
    """A copy of ``notebook`` without its instructor cells; the self-check stays.

    Raises :class:`EditionError` if a cell that runs the self-check is tagged ``instructor``: students
    would lose their feedback.
    """
    edition = copy.deepcopy(notebook)
    kept = []
    for index, cell in enumerate(edition.cells):
        if not is_instructor_cell(cell):
            kept.append(cell)
            continue
        if cell.cell_type == "code" and SELF_CHECK_CALL in _source(cell):
            raise EditionError(
                f"{name}: cell {index} runs the self-check but is tagged '{INSTRUCTOR_TAG}'; "
                "the student edition must keep its self-check, so remove the tag from that cell"
            )
    for cell in kept:
        if cell.cell_type == "code" and SELF_CHECK_CALL in _source(cell):
            cell.source = STUDENT_SELF_CHECK.sub(r'self_check("\2", edition="student")', _source(cell))
    edition.cells = kept
    edition.metadata.setdefault("petechiae_edu", {})["edition"] = "student"
    return edition


def instructor_edition(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with every cell; instructor-only markdown starts with a visible label."""
    edition = copy.deepcopy(notebook)
    for cell in edition.cells:
        if cell.cell_type == "markdown" and is_instructor_cell(cell):
            text = _source(cell)
            if not text.startswith(INSTRUCTOR_LABEL):
                # a heading must stay a heading: put the label on its own line
                separator = "\n\n" if text.lstrip().startswith("#") else ""
                cell.source = INSTRUCTOR_LABEL + separator + text
    edition.metadata.setdefault("petechiae_edu", {})["edition"] = "instructor"
    return edition


def make_edition(notebook: nbformat.NotebookNode, edition: str, *, name: str = "lesson") -> nbformat.NotebookNode:
    """The ``edition`` ("student" or "instructor") of one lesson."""
    if edition == "student":
        return student_edition(notebook, name=name)
    if edition == "instructor":
        return instructor_edition(notebook)
    raise ValueError(f"unknown edition {edition!r}; expected one of: {', '.join(EDITIONS)}")


def build_edition(
    edition: str,
    out_dir: Path,
    *,
    lessons: Sequence[Path] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the ``edition`` of every lesson into ``out_dir`` (same file names); return the written paths.

    ``lessons`` defaults to every notebook in :func:`petechiae_edu.paths.lessons_dir`, so new lessons are
    picked up as they land. Refuses to write over the authored lessons themselves, and into a folder that holds
    files this command did not write (:mod:`.output_folder`; ``force`` writes anyway, replacing only files of
    the same names). The edition is written to a staging folder first, so a failure changes nothing.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; expected one of: {', '.join(EDITIONS)}")
    sources = list(lessons) if lessons is not None else lesson_paths()
    if not sources:
        raise EditionError(f"no lessons (NN-name.ipynb) found in {paths.lessons_dir()}")
    out_dir = Path(out_dir)
    _refuse_source_folder(out_dir, sources)
    check_output_folder(out_dir, "build", [], force=force)
    with staging(out_dir) as stage:
        for source in sources:
            notebook = nbformat.read(source, as_version=4)
            nbformat.write(make_edition(notebook, edition, name=source.name), stage / source.name)
        (stage / "README.md").write_text(_readme(edition, [stage / s.name for s in sources]), encoding="utf-8")
        written = publish(stage, out_dir, "build", force=force)
    return [path for path in written if path.suffix == ".ipynb"]


def _refuse_source_folder(out_dir: Path, sources: Iterable[Path]) -> None:
    resolved = out_dir.resolve()
    for source in sources:
        if source.resolve().parent == resolved:
            raise EditionError(f"{out_dir} holds the authored lessons; build an edition into another folder")


def _readme(edition: str, written: Sequence[Path]) -> str:
    lines = [
        f"# petechiae-edu lessons: {edition} edition",
        "",
        "Educational use only, not for diagnosis.",
        "",
    ]
    if edition == "student":
        lines.append("Work through the lessons in order. Each ends with a self-check and its sources.")
    else:
        lines.append(
            "Every cell is here, including those marked **For instructors** (solutions, teaching notes, "
            "timing and common misconceptions), which the student edition leaves out."
        )
    lines += ["", *(f"- {path.name}" for path in written), ""]
    return "\n".join(lines)
