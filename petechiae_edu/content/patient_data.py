"""Record types for the virtual patient's calibration data, ``data/calibration/virtual_patient.toml``.

The file keeps three arrays of tables:

- ``[[figure]]``: a published figure with its source, marked ``use = "fit"`` (the model takes it as a
  parameter or is fitted to it) or ``use = "check"`` (reported beside the model's value, never used by it);
- ``[[assumption]]``: a number the model ASSUMES, with why (no source gives it);
- ``[[presentation]]``: for each progression preset, which symptom rules of ``data/symptom_rules.toml`` bring a
  patient to a doctor (the model's diagnosis rule), with why.

Units are in each record (``unit``): counts ×10^9/L, days, probabilities as fractions 0–1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import FieldError, require_one_of
from .loader import content_schema
from .store import entries

PATIENT_FILE = "calibration/virtual_patient.toml"
USES = ("fit", "check")


@content_schema("virtual_patient_calibration", array="figure")
@dataclass(frozen=True)
class PatientFigure:
    """One published figure the virtual patient rests on (fit) or is compared with (check)."""

    key: str
    description: str
    value: float
    unit: str
    use: str
    sources: tuple[str, ...]
    preset: str = ""
    confidence: str = "read"
    interval_low: float | None = None
    interval_high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        require_one_of("use", self.use, USES)
        require_one_of("confidence", self.confidence, ("read", "secondary"))
        if not math.isfinite(self.value):
            raise FieldError("value", f"{self.value} is not a finite number")
        if self.unit in ("probability", "share", "fraction") and not 0 <= self.value <= 1:
            raise FieldError("value", f"a {self.unit} is between 0 and 1, got {self.value}")
        if (self.interval_low is None) != (self.interval_high is None):
            raise FieldError("interval_low", "give both interval_low and interval_high, or neither")


@content_schema("virtual_patient_assumption", array="assumption", part_of="virtual_patient_calibration")
@dataclass(frozen=True)
class PatientAssumption:
    """A number the model ASSUMES: no source gives it; ``why`` says how it was chosen."""

    key: str
    value: float
    unit: str
    why: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise FieldError("value", f"{self.value} is not a finite number")
        if not self.why.strip():
            raise FieldError("why", "an assumption must say why it was chosen")


@content_schema("virtual_patient_presentation", array="presentation", part_of="virtual_patient_calibration")
@dataclass(frozen=True)
class PresentationRule:
    """Which symptom rules (keys in ``data/symptom_rules.toml``) make a patient of ``preset`` seek care."""

    key: str
    symptom_rules: tuple[str, ...]
    why: str


def figures() -> dict[str, PatientFigure]:
    """The published figures by key."""
    return {f.key: f for f in entries(PATIENT_FILE, PatientFigure, array="figure")}


def assumptions() -> dict[str, PatientAssumption]:
    """The model's assumptions by key."""
    return {a.key: a for a in entries(PATIENT_FILE, PatientAssumption, array="assumption")}


def presentation_rules() -> dict[str, PresentationRule]:
    """The diagnosis rule per preset (key = preset)."""
    return {r.key: r for r in entries(PATIENT_FILE, PresentationRule, array="presentation")}
