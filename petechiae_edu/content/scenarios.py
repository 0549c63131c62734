"""Classroom scenarios: named, prepared states of an explorer (``data/scenarios.toml``).

Each scenario names the explorer it is for (its public factory, e.g. ``bleeding_explorer``) and the values to
set on that explorer's controls, as attribute paths from the app object (``"platelets.value" = 8.0``). The
paths are applied in the order written, so a control that resets others (a preset menu) comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FieldError
from .loader import content_schema

ControlValue = float | int | str | bool

_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")
_FACTORY = re.compile(r"^[a-z_][a-z0-9_]*$")


@content_schema("scenario", array="scenario")
@dataclass(frozen=True)
class Scenario:
    """A prepared explorer state an instructor can jump to in class."""

    key: str
    name: str
    explorer: str
    summary: str
    controls: dict[str, ControlValue]
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if not _FACTORY.match(self.explorer):
            raise FieldError("explorer", f"{self.explorer!r} is not a factory name; expected e.g. 'bleeding_explorer'")
        if not self.controls:
            raise FieldError("controls", "a scenario must set at least one control")
        for path, value in self.controls.items():
            if not _PATH.match(path):
                raise FieldError(
                    "controls",
                    f'{path!r} is not an attribute path; expected e.g. "platelets.value" (attribute, dot, trait)',
                )
            if not isinstance(value, bool | int | float | str):
                raise FieldError("controls", f"{path}: {value!r} is not a number, text or true/false value")
