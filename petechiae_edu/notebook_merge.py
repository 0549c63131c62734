"""Merge a course update into a student's copy of a lesson, cell by cell, keeping everything the student wrote.

Three versions of one lesson take part, each a notebook as parsed JSON (a dict, nbformat 4.5 or later, so that
every cell has an ``id``):

- ``base``: the lesson as the course last wrote it into the student's workspace;
- ``student``: the file as it is now;
- ``new``: the course's new version of the lesson.

What a student can change is the **cell sources and the cells themselves** (added, deleted), by cell id. Outputs,
execution counts, widget state and notebook metadata are not the student's work: running a lesson changes them,
and they are never compared (:func:`student_content`).

The merge, cell by cell (:func:`merge_update`):

- a course cell the student did not touch takes the new version (its outputs stay if the course did not change
  its source);
- a course cell the student edited stays the student's; if the course changed it too, the student's version
  stays and the course's new version is placed right after it, under a short note that says which is which;
- the student's own cells stay, each after the cell it followed in the student's notebook;
- a course cell the student deleted stays deleted unless the course changed it (a corrected teaching point
  comes back);
- a course cell the course removed goes, unless the student had edited it (then it stays, as the student's).

The course's new order wins for course cells. Pure functions: no files, no clock.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Notebook = dict[str, Any]
Cell = dict[str, Any]

_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]")


class NotMergeable(ValueError):
    """The three versions cannot be merged cell by cell (not notebooks, or cells without ids)."""


def cell_source(cell: Mapping[str, Any]) -> str:
    """The cell's source as one string (notebook JSON may store it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _cells(notebook: object, which: str) -> list[Cell]:
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise NotMergeable(f"the {which} version is not a notebook (no list of cells)")
    cells = notebook["cells"]
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("id"), str) or not cell["id"]:
            raise NotMergeable(f"cell {index} of the {which} version has no id (nbformat 4.5 or later is needed)")
        if cell["id"] in seen:
            raise NotMergeable(f"the {which} version has two cells with the id {cell['id']!r}")
        seen.add(cell["id"])
    return cells


def student_content(notebook: Notebook) -> tuple[tuple[str, str, str], ...]:
    """What a student can change: (id, cell type, source) of every cell, in order. Outputs are not in it."""
    return tuple((cell["id"], str(cell.get("cell_type", "")), cell_source(cell)) for cell in _cells(notebook, "given"))


def only_ran(base: Notebook, student: Notebook) -> bool:
    """True when the student's file differs from the course's only in outputs, counts or metadata."""
    return student_content(base) == student_content(student)


@dataclass(frozen=True)
class MergeResult:
    """The merged notebook and what happened to each cell (cell ids)."""

    notebook: Notebook
    updated: tuple[str, ...]  # course cells that took the new version
    kept_edits: tuple[str, ...]  # course cells the student edited, kept as the student's
    conflicts: tuple[str, ...]  # edited by the student AND changed by the course: both kept, new one after
    students_own: tuple[str, ...]  # cells the student added (and edited cells the course removed)
    reinstated: tuple[str, ...]  # course cells the student deleted that the course has since corrected
    removed: tuple[str, ...]  # course cells the course removed that the student had not edited

    def summary(self) -> str:
        """One line for the update report."""
        parts = [f"{len(self.updated)} course cell(s) updated", f"{len(self.kept_edits)} of your edits kept"]
        if self.students_own:
            parts.append(f"{len(self.students_own)} of your own cell(s) kept")
        if self.conflicts:
            parts.append(
                f"{len(self.conflicts)} cell(s) you edited were also changed by the course: your version is kept "
                "and the new one is just below it, marked 'Course update'"
            )
        if self.reinstated:
            parts.append(f"{len(self.reinstated)} corrected course cell(s) you had deleted are back")
        return "; ".join(parts)


def _content(cell: Cell) -> tuple[str, str]:
    return str(cell.get("cell_type", "")), cell_source(cell)


def _fresh_id(cell_id: str, suffix: str, taken: set[str]) -> str:
    stem = _ID_CHARACTERS.sub("-", f"{cell_id}-{suffix}")[:60]
    candidate, number = stem, 2
    while candidate in taken:
        candidate, number = f"{stem[:56]}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _note_cell(cell_id: str, version: str) -> Cell:
    text = (
        f"**Course update (version {version})** · You had edited the cell above, and the course has since "
        "changed it too. Your version is kept above; the course's new version is just below. Keep the one you "
        "want and delete the other (and this note)."
    )
    return {
        "cell_type": "markdown",
        "id": cell_id,
        "metadata": {"petechiae_edu": {"update_note": True}},
        "source": text,
    }


def merge_update(base: Notebook, student: Notebook, new: Notebook, *, version: str) -> MergeResult:
    """Merge the course's ``new`` lesson into the ``student``'s copy of ``base`` (see the module docstring).

    Raises :class:`NotMergeable` when a version is not a notebook with cell ids; the caller then keeps the
    student's file as it is and writes the new lesson beside it.
    """
    base_cells = {cell["id"]: cell for cell in _cells(base, "course's earlier")}
    student_list = _cells(student, "student's")
    new_list = _cells(new, "course's new")
    student_cells = {cell["id"]: cell for cell in student_list}
    new_ids = [cell["id"] for cell in new_list]
    new_id_set = set(new_ids)
    taken = set(student_cells) | new_id_set | set(base_cells)

    # where each student cell that is not a course slot goes: after the nearest course cell before it
    followers: dict[str | None, list[Cell]] = {}
    anchor: str | None = None
    students_own: list[str] = []
    removed: list[str] = []
    new_cells = {cell["id"]: cell for cell in new_list}
    for cell in student_list:
        cell_id = cell["id"]
        if cell_id in new_id_set and (cell_id in base_cells or _content(cell) == _content(new_cells[cell_id])):
            anchor = cell_id
            continue
        if cell_id in new_id_set:
            # the student's own cell has, by chance, the id of a new course cell: keep it under a fresh id
            own = copy.deepcopy(cell)
            own["id"] = _fresh_id(cell_id, "yours", taken)
            students_own.append(own["id"])
            followers.setdefault(anchor, []).append(own)
            continue
        if cell_id in base_cells and _content(cell) == _content(base_cells[cell_id]):
            removed.append(cell_id)  # the course removed it and the student had not changed it
            continue
        students_own.append(cell_id)
        followers.setdefault(anchor, []).append(copy.deepcopy(cell))
    removed += [cell_id for cell_id in base_cells if cell_id not in new_id_set and cell_id not in student_cells]

    merged: list[Cell] = list(followers.get(None, []))
    updated: list[str] = []
    kept: list[str] = []
    conflicts: list[str] = []
    reinstated: list[str] = []
    for new_cell in new_list:
        cell_id = new_cell["id"]
        base_cell = base_cells.get(cell_id)
        student_cell = student_cells.get(cell_id)
        if base_cell is None and student_cell is not None and _content(student_cell) == _content(new_cell):
            merged.append(copy.deepcopy(student_cell))  # the student wrote exactly the new course cell
            updated.append(cell_id)
        elif base_cell is None or (student_cell is None and _content(new_cell) != _content(base_cell)):
            merged.append(copy.deepcopy(new_cell))  # a new course cell, or a deleted one the course corrected
            (reinstated if base_cell is not None else updated).append(cell_id)
        elif student_cell is None:
            pass  # the student deleted it and the course did not change it: it stays deleted
        elif _content(student_cell) == _content(base_cell):
            same = _content(new_cell) == _content(student_cell)
            merged.append(copy.deepcopy(student_cell if same else new_cell))  # same source: keep their outputs
            updated.append(cell_id)
        elif _content(new_cell) in (_content(base_cell), _content(student_cell)):
            merged.append(copy.deepcopy(student_cell))  # their edit; the course has nothing newer for it
            kept.append(cell_id)
        else:
            merged.append(copy.deepcopy(student_cell))
            merged.append(_note_cell(_fresh_id(cell_id, f"note-v{version}", taken), version))
            course_version = copy.deepcopy(new_cell)
            course_version["id"] = _fresh_id(cell_id, f"v{version}", taken)
            merged.append(course_version)
            conflicts.append(cell_id)
        merged += followers.get(cell_id, [])

    notebook = copy.deepcopy(new)
    notebook["cells"] = merged
    notebook.setdefault("metadata", {}).pop("widgets", None)  # widget state is not the student's work
    return MergeResult(
        notebook=notebook,
        updated=tuple(updated),
        kept_edits=tuple(kept),
        conflicts=tuple(conflicts),
        students_own=tuple(students_own),
        reinstated=tuple(reinstated),
        removed=tuple(removed),
    )
