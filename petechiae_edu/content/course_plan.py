"""The course map's records: each lesson of ``data/course.toml`` and its learning objectives."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError
from .loader import content_schema


@dataclass(frozen=True)
class Objective:
    """One learning objective of a lesson; self-check items name the objective they assess by its key."""

    key: str
    text: str

    def __post_init__(self) -> None:
        if not self.key or not all(part.isalnum() for part in self.key.split("-")):
            raise FieldError("key", f"'{self.key}' must be lower-case words joined by hyphens, e.g. 'read-a-count'")


@content_schema("course", array="lesson")
@dataclass(frozen=True)
class LessonPlan:
    """One lesson of the course map."""

    key: str
    number: str
    title: str
    summary: str
    formerly: tuple[str, ...] = field(default=(), metadata={"help": "earlier keys of this lesson, e.g. ['04-x']"})
    objectives: tuple[Objective, ...] = field(
        default=(),
        metadata={"help": 'the learning objectives: [[lesson.objectives]] key = "…", text = "…"'},
    )

    def __post_init__(self) -> None:
        if not (len(self.number) == 2 and self.number.isdigit()):
            raise FieldError("number", f"'{self.number}' must be two digits, e.g. '03'")
        keys = [objective.key for objective in self.objectives]
        if len(set(keys)) != len(keys):
            twice = sorted({key for key in keys if keys.count(key) > 1})
            raise FieldError("objectives", f"objective key(s) {', '.join(twice)} appear twice in this lesson")

    def objective(self, key: str) -> Objective | None:
        """The objective with this key, or None."""
        return next((objective for objective in self.objectives if objective.key == key), None)
