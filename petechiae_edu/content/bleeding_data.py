"""Record types for the bleeding-risk calibration data in ``data/calibration/bleeding.toml``.

The file keeps four arrays of tables:

- ``[[point]]``: published figures the bleeding model is fitted to (or checked against);
- ``[[covariate]]``: odds (or hazard) ratios for risk factors beyond the platelet count;
- ``[[threshold]]``: guideline platelet-transfusion thresholds and what they mean;
- ``[[trial]]``: results of the transfusion threshold and strategy trials, for the lesson.

Platelet counts are always ×10^9/L. Daily probabilities are fractions of days (0.019 = 1.9 % of days).
:func:`calibration_points`, :func:`covariate_effects` and :func:`transfusion_thresholds` read the arrays
(cached); the bleeding model in :mod:`petechiae_edu.models.bleeding` takes them as arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import FieldError, require_one_of
from .loader import content_schema
from .store import entries

CALIBRATION_FILE = "calibration/bleeding.toml"

BLEEDING_OUTCOMES = ("who_grade_2_or_more", "who_grade_3_or_more")
CALIBRATION_MEASURES = ("daily_probability", "band_ratio", "minimum_daily_probability", "minimum_band_ratio")
CALIBRATION_USES = ("fit", "check")
COUNT_DISTRIBUTIONS = ("log-uniform", "uniform")


def _check_band(name_low: str, low: float, name_high: str, high: float) -> None:
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0:
        raise FieldError(name_low, f"platelet band {low}–{high} ×10^9/L must be finite and non-negative")
    if not low < high:
        raise FieldError(name_high, f"band upper edge {high} must be above the lower edge {low} ×10^9/L")
    if high > 1000:
        raise FieldError(name_high, f"{high} looks like a per-µL value; give platelet counts in ×10^9/L")


@content_schema("bleeding_calibration", array="point")
@dataclass(frozen=True)
class BleedingCalibrationPoint:
    """One published figure about bleeding by platelet count.

    ``measure`` says how the model reproduces it:

    - ``daily_probability``: the share of days with the outcome, averaged over counts in
      ``count_low``–``count_high`` ×10^9/L (spread as ``count_distribution`` says);
    - ``band_ratio``: the average daily probability in band ``count_low``–``count_high`` divided by that in
      ``reference_low``–``reference_high``;
    - ``minimum_daily_probability``: a floor the model should not fall below in the band (a subset of the
      outcome was measured, e.g. intracranial bleeding within major bleeding);
    - ``minimum_band_ratio``: a qualitative shape constraint, the band's risk must be at least ``value``
      times the reference band's.
    """

    key: str
    description: str
    outcome: str = field(metadata={"help": "who_grade_2_or_more or who_grade_3_or_more"})
    measure: str = field(metadata={"help": "daily_probability, band_ratio or minimum_daily_probability"})
    value: float
    count_low: float
    count_high: float
    band_is_assumed: bool = field(metadata={"help": "true when the count band is our assumption"})
    log_odds_se: float = field(metadata={"help": "standard error on the log-odds (or log-ratio) scale"})
    use: str = field(metadata={"help": "fit (the calibration uses it) or check (reported only)"})
    sources: tuple[str, ...]
    count_distribution: str = "log-uniform"
    reference_low: float | None = None
    reference_high: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        require_one_of("outcome", self.outcome, BLEEDING_OUTCOMES)
        require_one_of("measure", self.measure, CALIBRATION_MEASURES)
        require_one_of("use", self.use, CALIBRATION_USES)
        require_one_of("count_distribution", self.count_distribution, COUNT_DISTRIBUTIONS)
        _check_band("count_low", self.count_low, "count_high", self.count_high)
        if self.measure in ("band_ratio", "minimum_band_ratio"):
            if self.reference_low is None or self.reference_high is None:
                raise FieldError("reference_low", "a band_ratio needs reference_low and reference_high")
            _check_band("reference_low", self.reference_low, "reference_high", self.reference_high)
            if not self.value > 0:
                raise FieldError("value", f"a ratio must be positive, got {self.value}")
        elif not 0 < self.value < 1:
            raise FieldError("value", f"a daily probability is a fraction between 0 and 1, got {self.value}")
        if not self.log_odds_se > 0:
            raise FieldError("log_odds_se", f"must be positive, got {self.log_odds_se}")
        if (self.interval_low is None) != (self.interval_high is None):
            raise FieldError("interval_low", "give both interval_low and interval_high, or neither")
        if self.interval_low is not None and not self.interval_low <= self.value <= self.interval_high:
            interval = f"{self.interval_low}–{self.interval_high}"
            raise FieldError("value", f"{self.value} lies outside its interval {interval}")


@content_schema("bleeding_covariate", array="covariate", part_of="bleeding_calibration")
@dataclass(frozen=True)
class BleedingCovariate:
    """A risk factor for bleeding on a day, with its published ratio and 95 % interval.

    ``group`` collects mutually exclusive levels (e.g. the INR bands); the reference level of a group has no
    entry (ratio 1).
    """

    key: str
    group: str
    label: str
    ratio: float
    ratio_low: float
    ratio_high: float
    ratio_kind: str = field(metadata={"help": "odds ratio or hazard ratio"})
    reference_level: str
    outcome: str
    sources: tuple[str, ...]
    note: str = ""

    def __post_init__(self) -> None:
        if self.ratio_kind not in ("odds ratio", "hazard ratio"):
            raise FieldError("ratio_kind", f"'{self.ratio_kind}' is not 'odds ratio' or 'hazard ratio'")
        if not 0 < self.ratio_low <= self.ratio <= self.ratio_high:
            given = f"{self.ratio_low}, {self.ratio}, {self.ratio_high}"
            raise FieldError("ratio", f"need 0 < low ≤ ratio ≤ high, got {given}")
        require_one_of("outcome", self.outcome, BLEEDING_OUTCOMES)


@content_schema("platelet_threshold", array="threshold", part_of="bleeding_calibration")
@dataclass(frozen=True)
class TransfusionThreshold:
    """A guideline platelet-transfusion threshold (×10^9/L) and what it means in which setting."""

    key: str
    platelet_count: float
    setting: str
    meaning: str
    guideline: str
    strength: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 0 < self.platelet_count <= 1000:
            raise FieldError("platelet_count", f"{self.platelet_count} is not a count in ×10^9/L (expected 1–1000)")


@content_schema("threshold_trial", array="trial", part_of="bleeding_calibration")
@dataclass(frozen=True)
class ThresholdTrial:
    """A trial of transfusion thresholds, doses or strategies, summarised for the lesson."""

    key: str
    name: str
    comparison: str
    finding: str
    sources: tuple[str, ...]
    lower_strategy_share: float | None = None
    higher_strategy_share: float | None = None
    outcome: str = ""

    def __post_init__(self) -> None:
        for name in ("lower_strategy_share", "higher_strategy_share"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise FieldError(name, f"a share of patients is a fraction 0–1, got {value}")


def calibration_points() -> tuple[BleedingCalibrationPoint, ...]:
    """The published figures of ``data/calibration/bleeding.toml``."""
    return entries(CALIBRATION_FILE, BleedingCalibrationPoint, array="point")


def covariate_effects() -> tuple[BleedingCovariate, ...]:
    """The risk factors with their published ratios."""
    return entries(CALIBRATION_FILE, BleedingCovariate, array="covariate")


def transfusion_thresholds() -> tuple[TransfusionThreshold, ...]:
    """Guideline thresholds (×10^9/L) with their meaning and source."""
    return entries(CALIBRATION_FILE, TransfusionThreshold, array="threshold")
