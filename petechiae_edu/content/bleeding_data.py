"""Record types for the bleeding-risk calibration data in ``data/calibration/bleeding.toml``.

The file keeps four arrays of tables:

- ``[[point]]``: published figures about bleeding days by platelet count the bleeding model is fitted to
  (``use = "fit"``) or checked against (``use = "check"``, never seen by the fit);
- ``[[covariate]]``: odds (or hazard) ratios for risk factors beyond the platelet count;
- ``[[cohort_target]]``: patient-level shares the virtual cohort is fitted to or checked against;
- ``[[trial]]``: results of the transfusion threshold and strategy trials, for the lesson.

The fit's result ships in ``data/calibration/bleeding_fitted.toml`` (:class:`FittedBleedingModel`, written by
``python -m petechiae_edu.authoring refit`` through :func:`fitted_model_toml`); the package reads it at run time.

Platelet counts are always ×10^9/L. Daily probabilities are fractions of days (0.019 = 1.9 % of days).
:func:`calibration_points` and :func:`covariate_effects` read the arrays (cached); the bleeding model in
:mod:`petechiae_edu.models.bleeding` takes them as arguments. The guideline transfusion thresholds the figure marks
come from the one table of thresholds, ``data/transfusion_thresholds.toml`` (:mod:`.treatment`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import FieldError, require_one_of
from .loader import content_schema
from .store import entries
from .treatment import TransfusionThreshold, charted_thresholds

CALIBRATION_FILE = "calibration/bleeding.toml"
FITTED_FILE = "calibration/bleeding_fitted.toml"

BLEEDING_OUTCOMES = ("who_grade_2_or_more", "who_grade_3_or_more")
CALIBRATION_MEASURES = (
    "daily_probability",
    "band_ratio",
    "band_odds_ratio",
    "minimum_daily_probability",
    "minimum_band_ratio",
)
RATIO_MEASURES = ("band_ratio", "band_odds_ratio", "minimum_band_ratio")
CALIBRATION_USES = ("fit", "check")
CONFIDENCES = ("read", "secondary")
COHORT_MEASURES = (
    "patients_with_grade2",
    "patients_with_grade3",
    "child_patients_with_grade2",
    "transfusion_reduction",
    "child_median_grade2_days",
)
CHILD_MEASURES = ("child_patients_with_grade2", "child_median_grade2_days")  # carry the adults' figure too
DAY_MEASURES = ("child_median_grade2_days",)  # a number of days, not a share
COUNT_DISTRIBUTIONS = ("log-uniform", "uniform")
# A figure we trust less than this is not a calibration figure: the fit would ignore it and the band would be
# meaningless (an SE of 1e300 collapses the bootstrap band to a line).
MAX_LOG_ODDS_SE = 5.0


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
    - ``band_odds_ratio``: the odds of that band average divided by the odds of the reference band's;
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
    location: str = field(default="", metadata={"help": "where the figure stands: abstract, Table 2, Figure 3 ..."})
    confidence: str = field(default="read", metadata={"help": "read (in the source) or secondary (see read_in)"})
    read_in: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        require_one_of("confidence", self.confidence, CONFIDENCES)
        if self.confidence == "secondary" and not self.read_in:
            raise FieldError("read_in", "a figure read only in a secondary source must name it in read_in")
        require_one_of("outcome", self.outcome, BLEEDING_OUTCOMES)
        require_one_of("measure", self.measure, CALIBRATION_MEASURES)
        require_one_of("use", self.use, CALIBRATION_USES)
        require_one_of("count_distribution", self.count_distribution, COUNT_DISTRIBUTIONS)
        _check_band("count_low", self.count_low, "count_high", self.count_high)
        if self.measure in RATIO_MEASURES:
            if self.reference_low is None or self.reference_high is None:
                raise FieldError("reference_low", "a band_ratio needs reference_low and reference_high")
            _check_band("reference_low", self.reference_low, "reference_high", self.reference_high)
            if not self.value > 0:
                raise FieldError("value", f"a ratio must be positive, got {self.value}")
        elif not 0 < self.value < 1:
            raise FieldError("value", f"a daily probability is a fraction between 0 and 1, got {self.value}")
        if not 0 < self.log_odds_se <= MAX_LOG_ODDS_SE:
            raise FieldError(
                "log_odds_se",
                f"{self.log_odds_se:g} is not a plausible standard error on the log-odds scale; expected "
                f"0 < log_odds_se ≤ {MAX_LOG_ODDS_SE:g} (an SE of {MAX_LOG_ODDS_SE:g} already spans odds "
                f"{math.exp(-2 * MAX_LOG_ODDS_SE):.0e}–{math.exp(2 * MAX_LOG_ODDS_SE):.0e} times the value)",
            )
        if (self.interval_low is None) != (self.interval_high is None):
            raise FieldError("interval_low", "give both interval_low and interval_high, or neither")
        if (
            self.interval_low is not None
            and self.interval_high is not None
            and not self.interval_low <= self.value <= self.interval_high
        ):
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


@content_schema("cohort_target", array="cohort_target", part_of="bleeding_calibration")
@dataclass(frozen=True)
class CohortTarget:
    """A patient-level share from a trial that the virtual cohort is fitted to (``use = "fit"``) or checked against.

    ``measure``: ``patients_with_grade2`` / ``patients_with_grade3`` (share of patients with at least one such
    day under ``strategy``), ``child_patients_with_grade2`` (children's share, with the same paper's adult share
    in ``reference_value``), ``transfusion_reduction`` (1 − transfusions under ``strategy`` / transfusions
    under prophylaxis below 10 ×10^9/L), or ``child_median_grade2_days`` (children's median number of days with
    grade ≥2 bleeding, the adults' in ``reference_value``; days, not a share).
    """

    key: str
    description: str
    measure: str
    strategy: str
    value: float
    use: str
    sources: tuple[str, ...]
    location: str
    confidence: str = "read"
    read_in: str = ""
    reference_value: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        require_one_of("measure", self.measure, COHORT_MEASURES)
        require_one_of("use", self.use, CALIBRATION_USES)
        require_one_of("strategy", self.strategy, ("prophylactic <10", "prophylactic <20", "therapeutic only"))
        require_one_of("confidence", self.confidence, CONFIDENCES)
        if self.confidence == "secondary" and not self.read_in:
            raise FieldError("read_in", "a figure read only in a secondary source must name it in read_in")
        for name in ("value", "reference_value", "interval_low", "interval_high"):
            value = getattr(self, name)
            if self.measure in DAY_MEASURES:
                if value is not None and not 0 <= value <= 366:
                    raise FieldError(name, f"a number of days is 0–366, got {value}")
            elif value is not None and not 0 < value < 1:
                raise FieldError(name, f"a share is a fraction between 0 and 1, got {value}")
        if (self.measure in CHILD_MEASURES) != (self.reference_value is not None):
            raise FieldError(
                "reference_value", "give the adults' figure (reference_value) for, and only for, a child measure"
            )


@content_schema("bleeding_fitted", array="fit")
@dataclass(frozen=True)
class FittedBleedingModel:
    """The fitted bleeding model as shipped: written by ``authoring refit``, read at run time (no fitting).

    Parameters are log-odds intercepts and slopes per unit of ln(count + 1), count in ×10^9/L.
    ``parameter_draws`` holds the bootstrap's (draws × 4) curves row by row; ``child_draws`` the child offset per
    draw; ``covariate_keys`` and ``covariate_draws`` the log odds-ratio draws of each covariate, key by key.
    """

    key: str
    sources: tuple[str, ...]
    seed: int
    draws: int
    grade2_intercept: float
    grade2_slope: float
    grade3_intercept: float
    grade3_slope: float
    child_grade2_log_odds: float
    bleeding_tendency_sd: float
    parameter_draws: tuple[float, ...]
    child_draws: tuple[float, ...]
    covariate_keys: tuple[str, ...]
    covariate_draws: tuple[float, ...]
    note: str = ""

    def __post_init__(self) -> None:
        if self.draws < 1 or len(self.parameter_draws) != 4 * self.draws or len(self.child_draws) != self.draws:
            raise FieldError("parameter_draws", f"expected {self.draws} draws of 4 parameters and of the child offset")
        if len(self.covariate_draws) != len(self.covariate_keys) * self.draws:
            raise FieldError("covariate_draws", f"expected {self.draws} draws for each of {len(self.covariate_keys)}")
        if not 0 <= self.bleeding_tendency_sd <= 5:
            raise FieldError("bleeding_tendency_sd", f"{self.bleeding_tendency_sd} is not a spread 0–5 (log-odds sd)")


def fitted_model_toml(fitted: FittedBleedingModel, header: str) -> str:
    """The text of ``bleeding_fitted.toml`` for ``fitted`` (floats written with ``repr``: they read back exactly)."""

    def floats(values: tuple[float, ...]) -> str:
        return "[\n" + "".join(f"  {v!r},\n" for v in values) + "]"

    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += ['schema = "bleeding_fitted"', "", "[[fit]]", f'key = "{fitted.key}"']
    lines.append("sources = [" + ", ".join(f'"{k}"' for k in fitted.sources) + "]")
    lines.append(f'note = "{fitted.note}"')
    for name in ("seed", "draws"):
        lines.append(f"{name} = {getattr(fitted, name)}")
    for name in ("grade2_intercept", "grade2_slope", "grade3_intercept", "grade3_slope"):
        lines.append(f"{name} = {getattr(fitted, name)!r}")
    lines.append(f"child_grade2_log_odds = {fitted.child_grade2_log_odds!r}")
    lines.append(f"bleeding_tendency_sd = {fitted.bleeding_tendency_sd!r}")
    lines.append("covariate_keys = [" + ", ".join(f'"{k}"' for k in fitted.covariate_keys) + "]")
    for name in ("parameter_draws", "child_draws", "covariate_draws"):
        lines.append(f"{name} = {floats(getattr(fitted, name))}")
    return "\n".join(lines) + "\n"


def calibration_points() -> tuple[BleedingCalibrationPoint, ...]:
    """The published figures of ``data/calibration/bleeding.toml``."""
    return entries(CALIBRATION_FILE, BleedingCalibrationPoint, array="point")


def covariate_effects() -> tuple[BleedingCovariate, ...]:
    """The risk factors with their published ratios."""
    return entries(CALIBRATION_FILE, BleedingCovariate, array="covariate")


def transfusion_thresholds() -> tuple[TransfusionThreshold, ...]:
    """The guideline thresholds (×10^9/L) the bleeding-risk figure marks: the rows of
    ``data/transfusion_thresholds.toml`` with a ``chart_label`` (:func:`.treatment.charted_thresholds`)."""
    return charted_thresholds()


def cohort_targets() -> tuple[CohortTarget, ...]:
    """The patient-level shares of ``data/calibration/bleeding.toml`` (cohort fit and strategy checks)."""
    return entries(CALIBRATION_FILE, CohortTarget, array="cohort_target")


def fitted_model() -> FittedBleedingModel:
    """The shipped fit, ``data/calibration/bleeding_fitted.toml`` (cached; refresh with ``authoring refit``)."""
    (fitted,) = entries(FITTED_FILE, FittedBleedingModel, array="fit")
    return fitted
