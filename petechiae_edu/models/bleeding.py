"""Daily bleeding risk by platelet count: a calibrated teaching model.

What it is
    A teaching model of **hospitalised adults with hypoproliferative thrombocytopenia** (marrow that makes too
    few platelets: chemotherapy, stem-cell transplant, acute leukaemia). For a platelet count in ×10^9/L it
    gives the probability that a given day brings WHO grade ≥2 bleeding, and WHO grade ≥3 bleeding, with the
    risk factors the literature quantifies as odds ratios (fever ≥38 °C, haematocrit ≤25 %, INR and aPTT bands).

What it is not
    Not a clinical tool, not a prediction for any patient, and not valid for immune thrombocytopenia (ITP,
    where young platelets work better), for consumptive or drug-induced thrombocytopenia, for platelet
    function defects, for children, or above ~100 ×10^9/L, where low platelets are not the reason for bleeding.

Form
    For each grade, ``logit p = intercept + slope · ln(count + 1) + Σ ln(odds ratio)``. The ``+ 1`` keeps a
    count of 0 finite. Grade ≥2 includes grade ≥3, so the grade ≥2 probability is never below the grade ≥3
    one (the larger of the two curves is used). Covariate odds ratios are applied to both grades; the
    published ratios were measured for grade ≥2 bleeding (Uhl 2017) or grade 2–4 (TOPPS fever hazard ratio,
    used as an odds ratio).

Calibration (re-runnable: :func:`fit_bleeding_model`)
    The points live in ``data/calibration/bleeding.toml`` with their source keys. Each ``use = "fit"`` point
    is a share of days (or a ratio of shares) averaged over a band of counts; the fit is weighted least
    squares on the log-odds scale with weight ``1 / log_odds_se²``:

    - grade ≥3: Gmür 1991 major bleeding on 1.9 % of days below 10 and 0.07 % at 10–20 ×10^9/L, and PLADO
      grade ≥3 bleeding on 0.8 % of all study days. **These disagree**: Gmür's "major bleeding" is narrower
      than WHO grade ≥3, Gmür's cohort is older, and PLADO reports days without their counts (we assume
      5–50 ×10^9/L). The fit does not pick one: it compromises in proportion to the stated errors (Gmür
      0.5, PLADO 0.3 on the log-odds scale) and :class:`BleedingFit` reports how far each point is missed;
    - grade ≥2: PLADO grade ≥2A bleeding on 13.3 % of days sets the level, and Wandt 1998 (18 % vs 17 % of
      cycles at triggers 10 vs 20) sets a shallow slope between 10 and 30 ×10^9/L, with a wide error.

    ``use = "check"`` points are reported, not fitted: intracranial bleeding 0.76 %/day below 1 ×10^9/L (a
    floor for grade ≥3), and Slichter's finding that blood loss rises only at ≤5 ×10^9/L (a shape check).

Uncertainty
    A parametric bootstrap (:func:`bootstrap_bleeding_model`): each fitted figure is redrawn on its
    log-odds scale with its error, the fit is repeated, and covariate odds ratios are drawn log-normally
    from their 95 % intervals. The band is the 2.5–97.5 percentile of the resulting curves. It shows how
    loosely the data pin the curve, not a confidence interval for a patient.

Not used, because unverified: Gaydos 1962 band values, Slichter & Harker 1978 stool volumes, PLADO's share
of bleeding days by morning count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.optimize import least_squares

from ..content import entries
from ..content.bleeding_data import (
    CALIBRATION_FILE,
    BleedingCalibrationPoint,
    BleedingCovariate,
    TransfusionThreshold,
)

GRADES = (2, 3)
MAX_PLATELET_COUNT = 2000.0  # ×10^9/L; above this a value is almost surely per µL
BAND_GRID_POINTS = 48
DEFAULT_BOOTSTRAP_DRAWS = 200
DEFAULT_SEED = 20240601
FIT_TOLERANCE_SE = 2.0  # a fitted point counts as reproduced within this many of its stated errors

SOURCES = (
    "gmur1991",
    "slichter2010plado",
    "plado_organ_bleeding",
    "wandt1998",
    "uhl2017",
    "topps_fever_haematologica",
    "slichter2004",
    "slichter2021",
)

# The covariate groups a student can switch, with the level keys in data/calibration/bleeding.toml.
COVARIATE_LEVELS: dict[str, tuple[str, ...]] = {
    "fever": ("none", "fever_38_or_more"),
    "haematocrit": ("none", "haematocrit_25_or_less"),
    "inr": ("none", "inr_1_2_to_1_5", "inr_above_1_5"),
    "aptt": ("none", "aptt_30_to_50", "aptt_above_50"),
}


# ---------------------------------------------------------------------------------------------- input checks


def check_platelet_count(platelet_count: float | Sequence[float] | np.ndarray) -> np.ndarray:
    """Return the count(s) as a float array, or raise ValueError naming the bad value and the unit expected.

    Platelet counts are ×10^9/L (= ×10^3/µL). A value above 2000 is taken for a per-µL count, e.g. 8000
    where 8 ×10^9/L was meant.
    """
    try:
        counts = np.asarray(platelet_count, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"platelet count {platelet_count!r} is not a number; give a count in ×10^9/L, e.g. 8"
        ) from None
    if counts.size == 0:
        raise ValueError("no platelet count given; give at least one count in ×10^9/L")
    bad = ~np.isfinite(counts)
    if bad.any():
        value = counts[bad].flat[0]
        raise ValueError(f"platelet count {value} is not a finite number; give a count in ×10^9/L, e.g. 8")
    if (counts < 0).any():
        value = counts[counts < 0].flat[0]
        raise ValueError(f"platelet count {value:g} is negative; give a count of 0 or more ×10^9/L")
    if (counts > MAX_PLATELET_COUNT).any():
        value = counts[counts > MAX_PLATELET_COUNT].flat[0]
        raise ValueError(
            f"platelet count {value:g} looks like a count per µL; give it in ×10^9/L "
            f"({value:g} /µL = {value / 1000:g} ×10^9/L)"
        )
    return counts


# ---------------------------------------------------------------------------------------------- the curve


@dataclass(frozen=True)
class BleedingParameters:
    """Log-odds intercepts and slopes (per unit of ln(count + 1)) of the two grade curves."""

    grade2_intercept: float
    grade2_slope: float
    grade3_intercept: float
    grade3_slope: float

    def as_array(self) -> np.ndarray:
        return np.array([self.grade2_intercept, self.grade2_slope, self.grade3_intercept, self.grade3_slope])

    @classmethod
    def from_array(cls, values: Sequence[float]) -> BleedingParameters:
        return cls(*(float(v) for v in values))


def _logistic(log_odds: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * log_odds))  # numerically safe logistic


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


def _raw_probabilities(counts: np.ndarray, params: np.ndarray, log_odds_ratio: np.ndarray | float = 0.0):
    """Grade ≥2 and grade ≥3 probabilities; ``params`` may be (4,) or (draws, 4) for many curves at once."""
    x = np.log1p(counts)
    p = np.asarray(params)
    if p.ndim == 2:
        p = p.T[:, :, None]  # (4, draws, 1) against counts (1, n)
        x = x.reshape(1, -1)
        if np.ndim(log_odds_ratio) == 1:
            log_odds_ratio = np.asarray(log_odds_ratio)[:, None]
    grade3 = _logistic(p[2] + p[3] * x + log_odds_ratio)
    grade2 = np.maximum(_logistic(p[0] + p[1] * x + log_odds_ratio), grade3)
    return grade2, grade3


def bleeding_probability(
    platelet_count: float | Sequence[float] | np.ndarray,
    *,
    grade: int = 2,
    odds_ratio: float = 1.0,
    parameters: BleedingParameters | None = None,
) -> np.ndarray | float:
    """Probability per day of WHO grade ≥``grade`` bleeding at ``platelet_count`` ×10^9/L.

    ``odds_ratio`` is the product of the covariate odds ratios (1 = none). A scalar count gives a float.

    >>> round(bleeding_probability(8, grade=3), 4) > round(bleeding_probability(30, grade=3), 4)
    True
    """
    if grade not in GRADES:
        raise ValueError(f"grade {grade!r} is not modelled; expected 2 (WHO grade ≥2) or 3 (WHO grade ≥3)")
    if not (math.isfinite(odds_ratio) and odds_ratio > 0):
        raise ValueError(f"odds ratio {odds_ratio!r} must be a positive number (1 = no extra risk)")
    counts = check_platelet_count(platelet_count)
    params = (parameters or default_model().parameters).as_array()
    grade2, grade3 = _raw_probabilities(counts, params, math.log(odds_ratio))
    result = grade2 if grade == 2 else grade3
    return float(result) if result.ndim == 0 else result


# ---------------------------------------------------------------------------------------------- covariates


@dataclass(frozen=True)
class Covariates:
    """Risk factors present on the day, as level keys of :data:`COVARIATE_LEVELS` (``"none"`` = reference)."""

    fever: str = "none"
    haematocrit: str = "none"
    inr: str = "none"
    aptt: str = "none"

    def __post_init__(self) -> None:
        for group, levels in COVARIATE_LEVELS.items():
            level = getattr(self, group)
            if level not in levels:
                raise ValueError(f"{group} level {level!r} is not one of {', '.join(levels)}")

    def active(self) -> tuple[str, ...]:
        """The level keys in effect (reference levels left out)."""
        return tuple(getattr(self, g) for g in COVARIATE_LEVELS if getattr(self, g) != "none")


def with_level(covariates: Covariates, group: str, level: str) -> Covariates:
    """A copy of ``covariates`` with one group set to ``level``."""
    if group not in COVARIATE_LEVELS:
        raise ValueError(f"unknown risk-factor group {group!r}; expected one of {', '.join(COVARIATE_LEVELS)}")
    return Covariates(**{**{g: getattr(covariates, g) for g in COVARIATE_LEVELS}, group: level})


def covariate_odds_ratio(covariates: Covariates, effects: Mapping[str, float] | None = None) -> float:
    """The product of the odds ratios of the risk factors present (1.0 when none)."""
    table = effects if effects is not None else {c.key: c.ratio for c in covariate_effects()}
    return float(np.prod([table[key] for key in covariates.active()])) if covariates.active() else 1.0


@dataclass(frozen=True)
class DailyBleedingRisk:
    """The model's answer for one count and one set of risk factors (probabilities per day)."""

    platelet_count: float
    grade2: float
    grade3: float
    grade2_band: tuple[float, float]
    grade3_band: tuple[float, float]
    odds_ratio: float


def daily_bleeding_risk(platelet_count: float, covariates: Covariates | None = None) -> DailyBleedingRisk:
    """Daily risk of grade ≥2 and ≥3 bleeding at one count (×10^9/L), with its uncertainty band."""
    covariates = covariates or Covariates()
    model = default_model()
    count = check_platelet_count(platelet_count)
    if count.ndim != 0:
        raise ValueError(f"give one platelet count, got {count.size}; use bleeding_probability for arrays")
    ratio = covariate_odds_ratio(covariates)
    grade2, grade3 = _raw_probabilities(count, model.parameters.as_array(), math.log(ratio))
    band2, band3 = model.band(count.reshape(1), covariates)
    return DailyBleedingRisk(
        platelet_count=float(count),
        grade2=float(grade2),
        grade3=float(grade3),
        grade2_band=(float(band2[0, 0]), float(band2[1, 0])),
        grade3_band=(float(band3[0, 0]), float(band3[1, 0])),
        odds_ratio=ratio,
    )


# ---------------------------------------------------------------------------------------------- calibration


def _band_counts(low: float, high: float, distribution: str) -> np.ndarray:
    """Midpoints of equal-probability slices of the band: the counts a band average is taken over."""
    edges = (
        np.geomspace(max(low, 1e-3), high, BAND_GRID_POINTS + 1)
        if distribution == "log-uniform"
        else np.linspace(low, high, BAND_GRID_POINTS + 1)
    )
    return 0.5 * (edges[:-1] + edges[1:])


@cache
def _point_counts(point: BleedingCalibrationPoint) -> tuple[np.ndarray, np.ndarray | None]:
    """The counts a point's band (and reference band) is averaged over; cached, points are frozen."""
    counts = _band_counts(point.count_low, point.count_high, point.count_distribution)
    reference = None
    if point.reference_low is not None and point.reference_high is not None:
        reference = _band_counts(point.reference_low, point.reference_high, point.count_distribution)
    return counts, reference


def _curve(point: BleedingCalibrationPoint, counts: np.ndarray, params: np.ndarray) -> np.ndarray:
    grade2, grade3 = _raw_probabilities(counts, params)
    return grade2 if point.outcome == "who_grade_2_or_more" else grade3


def model_value(point: BleedingCalibrationPoint, parameters: BleedingParameters | np.ndarray) -> float:
    """What the model says for a calibration point, on the point's own scale (share of days, or ratio)."""
    params = parameters.as_array() if isinstance(parameters, BleedingParameters) else np.asarray(parameters)
    counts, reference = _point_counts(point)
    if point.measure in ("band_ratio", "minimum_band_ratio"):
        return float(np.mean(_curve(point, counts, params)) / np.mean(_curve(point, reference, params)))
    if point.measure == "minimum_daily_probability":
        return float(np.min(_curve(point, counts, params)))
    return float(np.mean(_curve(point, counts, params)))


def _residual(point: BleedingCalibrationPoint, params: np.ndarray, target: float) -> float:
    """Standardised miss on the log-odds (probabilities) or log (ratios) scale; ``target`` on that scale."""
    value = model_value(point, params)
    if "ratio" in point.measure:
        return (math.log(value) - target) / point.log_odds_se
    value = min(max(value, 1e-12), 1 - 1e-12)
    return (_logit(value) - target) / point.log_odds_se


def _target(point: BleedingCalibrationPoint) -> float:
    return math.log(point.value) if "ratio" in point.measure else _logit(point.value)


@dataclass(frozen=True)
class PointCheck:
    """How well the fitted model reproduces one calibration point."""

    key: str
    use: str
    measure: str
    published: float
    model: float
    standardised_miss: float  # model minus published, in units of the point's stated error (log scale)
    satisfied: bool  # fit points: within FIT_TOLERANCE_SE errors; check points: the constraint holds

    def summary(self) -> str:
        scale = "ratio" if "ratio" in self.measure else "per day"
        if "ratio" in self.measure:
            shown = f"published {self.published:.3g}, model {self.model:.3g}"
        else:
            shown = f"published {100 * self.published:.3g} %, model {100 * self.model:.3g} %"
        verdict = "ok" if self.satisfied else f"outside {FIT_TOLERANCE_SE:g} SE"
        return f"{self.key} ({self.use}, {scale}): {shown}, miss {self.standardised_miss:+.2f} SE [{verdict}]"


@dataclass(frozen=True)
class BleedingFit:
    """The fitted parameters and how each calibration point is reproduced."""

    parameters: BleedingParameters
    checks: tuple[PointCheck, ...]
    converged: bool

    def check(self, key: str) -> PointCheck:
        for item in self.checks:
            if item.key == key:
                return item
        raise KeyError(f"no calibration point '{key}'; known: {', '.join(c.key for c in self.checks)}")

    def summary(self) -> str:
        p = self.parameters
        lines = [
            "Bleeding model fit: logit p = intercept + slope × ln(count + 1)",
            f"  grade ≥2: intercept {p.grade2_intercept:.3f}, slope {p.grade2_slope:.3f}",
            f"  grade ≥3: intercept {p.grade3_intercept:.3f}, slope {p.grade3_slope:.3f}",
        ]
        lines += ["  " + c.summary() for c in self.checks]
        return "\n".join(lines)


_START = np.array([-2.0, -0.1, -2.0, -2.0])


def _fit_parameters(
    points: Sequence[BleedingCalibrationPoint], targets: Sequence[float], start: np.ndarray = _START
) -> tuple[np.ndarray, bool]:
    fitted = [(p, t) for p, t in zip(points, targets, strict=True) if p.use == "fit"]
    result_params = np.array(start, dtype=float)
    converged = True
    for outcome, slots in (("who_grade_2_or_more", slice(0, 2)), ("who_grade_3_or_more", slice(2, 4))):
        own = [(p, t) for p, t in fitted if p.outcome == outcome]
        if len(own) < 2:
            raise ValueError(f"need at least two 'fit' points for {outcome} (intercept and slope), got {len(own)}")

        def residuals(theta: np.ndarray, own=own, slots=slots, outcome=outcome) -> np.ndarray:
            params = result_params.copy()
            params[slots] = theta
            if outcome == "who_grade_2_or_more":
                params[2:] = -50.0, 0.0  # fit the grade ≥2 curve on its own (grade ≥3 switched off)
            return np.array([_residual(p, params, t) for p, t in own])

        # Slopes are bounded at 0: risk never rises as platelets rise (a physiological prior, not a fit result).
        start = np.minimum(result_params[slots], [np.inf, -1e-6])
        solution = least_squares(residuals, start, bounds=([-20.0, -10.0], [20.0, 0.0]), method="trf")
        result_params[slots] = solution.x
        converged = converged and bool(solution.success)
    return result_params, converged


def fit_bleeding_model(points: Sequence[BleedingCalibrationPoint] | None = None) -> BleedingFit:
    """Fit the two grade curves to the calibration points (default: the data file) by weighted least squares.

    Re-run it after editing ``data/calibration/bleeding.toml`` to see the new parameters and misses.
    """
    points = tuple(points if points is not None else calibration_points())
    params, converged = _fit_parameters(points, [_target(p) for p in points])
    checks = tuple(_point_check(p, params) for p in points)
    return BleedingFit(BleedingParameters.from_array(params), checks, converged)


def _point_check(point: BleedingCalibrationPoint, params: np.ndarray) -> PointCheck:
    value = model_value(point, params)
    if point.measure in ("band_ratio", "minimum_band_ratio"):
        miss = (math.log(value) - math.log(point.value)) / point.log_odds_se
    else:
        miss = (_logit(min(max(value, 1e-12), 1 - 1e-12)) - _logit(point.value)) / point.log_odds_se
    satisfied = value >= point.value if point.measure.startswith("minimum") else abs(miss) <= FIT_TOLERANCE_SE
    return PointCheck(point.key, point.use, point.measure, point.value, value, miss, satisfied)


def bootstrap_bleeding_model(
    points: Sequence[BleedingCalibrationPoint] | None = None,
    covariates: Sequence[BleedingCovariate] | None = None,
    *,
    draws: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parameter draws (draws × 4) and log odds-ratio draws per covariate key, from a parametric bootstrap."""
    points = tuple(points if points is not None else calibration_points())
    covariates = tuple(covariates if covariates is not None else covariate_effects())
    rng = np.random.default_rng(seed)
    base = np.array([_target(p) for p in points])
    errors = np.array([p.log_odds_se for p in points])
    centre, _ = _fit_parameters(points, base)
    parameter_draws = np.empty((draws, 4))
    for i in range(draws):
        noisy = base + errors * rng.standard_normal(len(points))
        parameter_draws[i], _ = _fit_parameters(points, noisy, start=centre)
    log_ratio_draws = {}
    for c in covariates:
        spread = (math.log(c.ratio_high) - math.log(c.ratio_low)) / (2 * 1.96)
        log_ratio_draws[c.key] = math.log(c.ratio) + spread * rng.standard_normal(draws)
    return parameter_draws, log_ratio_draws


# ---------------------------------------------------------------------------------------------- the default model


@dataclass(frozen=True)
class BleedingModel:
    """The fitted model with its bootstrap draws; :meth:`band` gives the uncertainty band for any risk factors."""

    fit: BleedingFit
    parameter_draws: np.ndarray
    log_ratio_draws: Mapping[str, np.ndarray]
    effects: Mapping[str, float] = field(default_factory=dict)

    @property
    def parameters(self) -> BleedingParameters:
        return self.fit.parameters

    def probabilities(self, platelet_counts: np.ndarray, covariates: Covariates | None = None):
        """Central grade ≥2 and ≥3 curves (per day) at already-checked counts."""
        ratio = covariate_odds_ratio(covariates or Covariates(), self.effects)
        return _raw_probabilities(np.asarray(platelet_counts, float), self.parameters.as_array(), math.log(ratio))

    def band(self, platelet_counts: np.ndarray, covariates: Covariates | None = None, coverage: float = 0.95):
        """(2, n) arrays of lower and upper band for grade ≥2 and for grade ≥3 at the given counts."""
        covariates = covariates or Covariates()
        log_ratio = np.zeros(len(self.parameter_draws))
        for key in covariates.active():
            log_ratio = log_ratio + self.log_ratio_draws[key]
        grade2, grade3 = _raw_probabilities(np.asarray(platelet_counts, float), self.parameter_draws, log_ratio)
        tail = 100 * (1 - coverage) / 2
        return np.percentile(grade2, [tail, 100 - tail], axis=0), np.percentile(grade3, [tail, 100 - tail], axis=0)


def calibration_points() -> tuple[BleedingCalibrationPoint, ...]:
    """The published figures of ``data/calibration/bleeding.toml``."""
    return entries(CALIBRATION_FILE, BleedingCalibrationPoint, array="point")


def covariate_effects() -> tuple[BleedingCovariate, ...]:
    """The risk factors with their published ratios."""
    return entries(CALIBRATION_FILE, BleedingCovariate, array="covariate")


def transfusion_thresholds() -> tuple[TransfusionThreshold, ...]:
    """Guideline thresholds (×10^9/L) with their meaning and source."""
    return entries(CALIBRATION_FILE, TransfusionThreshold, array="threshold")


@cache
def default_model() -> BleedingModel:
    """The model fitted to the data file, with a seeded bootstrap (computed once per session)."""
    fit = fit_bleeding_model()
    draws, log_ratios = bootstrap_bleeding_model()
    effects = {c.key: c.ratio for c in covariate_effects()}
    return BleedingModel(fit, draws, log_ratios, effects)


def count_where_risk_multiplies(
    reference_count: float, factor: float = 2.0, *, grade: int = 3, covariates: Covariates | None = None
) -> float:
    """The count (×10^9/L) below which the daily risk exceeds ``factor`` × the risk at ``reference_count``.

    Solved on a fine grid (0.1 ×10^9/L steps); the curve falls monotonically, so there is one crossing.
    """
    reference = float(check_platelet_count(reference_count))
    if not factor > 1:
        raise ValueError(f"factor {factor!r} must be above 1 (2 = risk doubles)")
    grid = np.arange(0.0, reference + 1e-9, 0.1)
    grade2, grade3 = default_model().probabilities(grid, covariates)
    curve = grade2 if grade == 2 else grade3
    above = curve >= factor * curve[-1]
    if not above.any():
        raise ValueError(f"the grade ≥{grade} risk never reaches {factor}× its value at {reference:g} ×10^9/L")
    return float(grid[np.nonzero(above)[0].max()])
