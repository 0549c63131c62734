"""The lessons that ship with the package: the one place that finds, names and reads lesson notebooks.

Every module that needs a lesson file asks here: :func:`lesson_files` lists them (one pattern, ``NN-slug.ipynb``),
:func:`find_lesson` resolves what a person types (``"1"``, ``"01"``, ``"01-petechiae"``, ``"petechiae"``, a file
name or a path), and :func:`markdown_text` joins a lesson's markdown. The course map of lesson 00 lives here too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import content, paths
from .markup import html_table

LESSON_PATTERN = "[0-9][0-9]-*.ipynb"
_LESSON_NAME = re.compile(r"^(?P<number>[0-9]{2})-(?P<slug>.+)$")


class LessonNotFoundError(ValueError):
    """A lesson name that matches no lesson, or more than one; the message lists the lessons there are."""


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its number, file and the title from its first heading."""

    number: str
    stem: str
    title: str
    path: Path


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _read_notebook(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def lesson_title(path: Path) -> str:
    """The text of the first level-1 heading of a notebook, without its '# NN · ' prefix."""
    for cell in _read_notebook(path).get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in _cell_source(cell).splitlines():
            if line.startswith("# "):
                heading = line[2:].strip()
                number, _, rest = heading.partition(" · ")
                return rest if number.isdigit() and rest else heading
    raise ValueError(f"{path.name}: the lesson has no level-1 heading ('# NN · Title') in a markdown cell")


def markdown_text(path: Path) -> str:
    """All markdown cells of a lesson notebook, joined by newlines (where its citations are written)."""
    cells = _read_notebook(path).get("cells", [])
    return "\n".join(_cell_source(cell) for cell in cells if cell.get("cell_type") == "markdown")


def lesson_files(folder: Path | None = None) -> list[Path]:
    """Every lesson notebook (``NN-slug.ipynb``) in ``folder`` (default: the shipped lessons), in teaching order."""
    folder = Path(folder) if folder is not None else paths.lessons_dir()
    return sorted(path for path in folder.glob(LESSON_PATTERN) if path.is_file())


def lessons(folder: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson notebook in teaching order, with its number and title (default: the shipped lessons)."""
    return tuple(Lesson(path.name[:2], path.stem, lesson_title(path), path) for path in lesson_files(folder))


def find_lesson(name: str | os.PathLike[str], candidates: Sequence[Path] | None = None) -> Path:
    """The lesson notebook ``name`` means, among ``candidates`` (default: the shipped lessons).

    ``name`` may be a number (``"1"`` or ``"01"``: lesson 01, never lesson 10), a file stem (``"01-petechiae"``),
    a file name (``"01-petechiae.ipynb"``), the stem without its number (``"petechiae"``) or the path of an
    existing ``.ipynb`` file. A name that matches no lesson, or several, raises :class:`LessonNotFoundError`
    listing the lessons there are.
    """
    if isinstance(name, bool) or not isinstance(name, str | os.PathLike):
        raise TypeError(
            f"lesson = {name!r}; expected a lesson number such as '01', a name such as '01-petechiae', or a path"
        )
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    found = list(candidates) if candidates is not None else lesson_files()
    text = os.fspath(name).strip().removesuffix(".ipynb")
    matches = _matches(text, found) if text else []
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(lesson.stem for lesson in found) or "none found"
    if len(matches) > 1:
        which = ", ".join(lesson.stem for lesson in matches)
        raise LessonNotFoundError(f"lesson = {os.fspath(name)!r} is ambiguous: it matches {which} (lessons: {known})")
    raise LessonNotFoundError(
        f"no lesson called {os.fspath(name)!r}; expected a number such as '01', a name such as '01-petechiae' "
        f"or a path (lessons: {known})"
    )


def _matches(text: str, candidates: Sequence[Path]) -> list[Path]:
    """Exact file name or stem first; then the lesson number; then the slug (the stem without 'NN-')."""
    exact = [lesson for lesson in candidates if text in (lesson.name, lesson.stem)]
    if exact:
        return exact
    parts = [(lesson, _LESSON_NAME.match(lesson.stem)) for lesson in candidates]
    if text.isdigit():
        return [lesson for lesson, match in parts if match and int(match["number"]) == int(text)]
    wanted = text.casefold()
    return [lesson for lesson, match in parts if match and match["slug"].casefold() == wanted]


@dataclass(frozen=True)
class CourseMap:
    """The planned course with what is available now."""

    rows: tuple[tuple[str, str, str, bool], ...]  # (number, title, summary, available)

    def __str__(self) -> str:
        return "\n".join(
            f"{number} {title}{'' if available else ' (coming)'}" for number, title, _, available in self.rows
        )

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def available(self) -> int:
        return sum(row[3] for row in self.rows)

    def _repr_html_(self) -> str:
        rows = [
            (number, title, summary, "ready" if available else "coming")
            for number, title, summary, available in self.rows
        ]
        return html_table("Course map", ("Lesson", "Title", "What you will learn", "Status"), rows)


def course_map() -> CourseMap:
    """The course map: every planned lesson, marked ready when its notebook ships."""
    shipped = {lesson.stem for lesson in lessons()}
    rows = tuple(
        (plan.number, plan.title, plan.summary, plan.key in shipped) for plan in content.course_plan().values()
    )
    return CourseMap(rows)
