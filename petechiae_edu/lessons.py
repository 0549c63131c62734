"""The lessons that ship with the package, and the course map shown in lesson 00."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import content, paths


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its number, file and the title from its first heading."""

    number: str
    stem: str
    title: str
    path: Path


def lesson_title(path: Path) -> str:
    """The text of the first level-1 heading of a notebook, without its '# NN · ' prefix."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for line in source.splitlines():
            if line.startswith("# "):
                heading = line[2:].strip()
                number, _, rest = heading.partition(" · ")
                return rest if number.isdigit() and rest else heading
    raise ValueError(f"{path.name}: the lesson has no level-1 heading ('# NN · Title') in a markdown cell")


def lessons(folder: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson notebook in teaching order (default: the shipped lessons)."""
    folder = folder or paths.lessons_dir()
    found = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        found.append(Lesson(path.name[:2], path.stem, lesson_title(path), path))
    return tuple(found)


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
        items = "".join(
            f"<tr><td>{escape(number)}</td><td>{escape(title)}</td><td>{escape(summary)}</td>"
            f"<td>{'ready' if available else 'coming'}</td></tr>"
            for number, title, summary, available in self.rows
        )
        return (
            '<table><caption style="text-align:left;font-weight:bold">Course map</caption><thead><tr>'
            '<th scope="col">Lesson</th><th scope="col">Title</th><th scope="col">What you will learn</th>'
            f'<th scope="col">Status</th></tr></thead><tbody>{items}</tbody></table>'
        )


def course_map() -> CourseMap:
    """The course map: every planned lesson, marked ready when its notebook ships."""
    shipped = {lesson.stem for lesson in lessons()}
    rows = tuple(
        (plan.number, plan.title, plan.summary, plan.key in shipped) for plan in content.course_plan().values()
    )
    return CourseMap(rows)
