"""Record types for platelet kinetics (lesson 02 and the transfusion cohort of lesson 04).

``data/calibration/platelet_kinetics.toml`` holds measured survival and splenic pooling by spleen status
(``[[group]]``) and the normal values the models are built on (``[[constant]]``: normal production, platelet
survival, the daily use for vascular integrity), each with its unit and sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import ContentError, FieldError
from .loader import content_schema

KINETICS_FILE = "calibration/platelet_kinetics.toml"
# the constants the models need, with the unit each must be written in
REQUIRED_CONSTANTS = {
    "normal_production": "×10^9/L/day",
    "normal_survival_days": "days",
    "vascular_integrity_use": "×10^9/L/day",
}


@content_schema("platelet_kinetics", array="group")
@dataclass(frozen=True)
class PlateletKineticsGroup:
    """One group of people in a labelled-platelet study: survival (days), recovery and pooling (%)."""

    key: str
    name: str
    survival_days: float = field(metadata={"help": "mean survival of labelled platelets, days"})
    survival_sd_days: float
    recovery_percent: float = field(metadata={"help": "share of infused labelled platelets found circulating, %"})
    recovery_sd_percent: float
    sources: tuple[str, ...]
    pooled_percent: float | None = field(default=None, metadata={"help": "splenic pooling at 30 min, %"})
    pooled_sd_percent: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.survival_days <= 30:
            raise FieldError("survival_days", f"{self.survival_days} is not a platelet survival in days (0–30)")
        for name in ("recovery_percent", "pooled_percent"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 110:
                raise FieldError(name, f"{value} is not a percentage (0–110; recoveries can exceed 100 by error)")


@content_schema("platelet_kinetics_constant", array="constant", part_of="platelet_kinetics")
@dataclass(frozen=True)
class PlateletKineticsConstant:
    """One normal value of platelet kinetics that a model is built on, with its unit and sources."""

    key: str
    value: float
    unit: str
    sources: tuple[str, ...]
    note: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not math.isfinite(self.value) or self.value <= 0:
            raise FieldError("value", f"{self.value!r} is not a finite number above 0")
        expected = REQUIRED_CONSTANTS.get(self.key)
        if expected is not None and self.unit != expected:
            raise FieldError("unit", f"'{self.unit}' is not the expected '{expected}' for {self.key}")


def kinetics_constants(data_dir=None) -> dict[str, PlateletKineticsConstant]:
    """The normal platelet kinetics by key; a missing required constant is a ContentError naming the file."""
    from .store import entries, folder_of

    records = entries(KINETICS_FILE, PlateletKineticsConstant, array="constant", data_dir=data_dir)
    constants = {record.key: record for record in records}
    missing = [key for key in REQUIRED_CONSTANTS if key not in constants]
    if missing:
        raise ContentError(
            folder_of(data_dir) / KINETICS_FILE,
            f"the [[constant]] entries {', '.join(repr(k) for k in missing)} are required (the models use them)",
        )
    return constants
