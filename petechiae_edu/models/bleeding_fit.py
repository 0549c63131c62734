"""Calibration of the bleeding-risk teaching model: fit, check against published points, bootstrap the band.

The risk curve itself (its form, what it is and is not) is in :mod:`petechiae_edu.models.bleeding`, the only
module this one imports; :mod:`petechiae_edu.models.bleeding_model` binds the fit and its bootstrap into a
``BleedingModel``. This module does no I/O: the calibration points and covariate effects are passed in (the
course's own come from :mod:`petechiae_edu.content.bleeding_data`; :mod:`petechiae_edu.calibrated` fits them once
per session).

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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from scipy.optimize import least_squares

from .bleeding import BleedingParameters, grade_probabilities, logit

BAND_GRID_POINTS = 48
DEFAULT_BOOTSTRAP_DRAWS = 200
DEFAULT_SEED = 20240601
FIT_TOLERANCE_SE = 2.0  # a fitted point counts as reproduced within this many of its stated errors


class CalibrationPoint(Protocol):
    """What the fit reads from a published figure (``BleedingCalibrationPoint`` in the content store).

    Read-only members, so that frozen dataclass records satisfy the protocol.
    """

    @property
    def key(self) -> str: ...
    @property
    def outcome(self) -> str: ...  # "who_grade_2_or_more" or "who_grade_3_or_more"
    @property
    def measure(
        self,
    ) -> str: ...  # "daily_probability", "band_ratio", "minimum_daily_probability", "minimum_band_ratio"
    @property
    def value(self) -> float: ...  # a share of days (fraction) or a ratio
    @property
    def count_low(self) -> float: ...  # ×10^9/L
    @property
    def count_high(self) -> float: ...  # ×10^9/L
    @property
    def count_distribution(self) -> str: ...  # "log-uniform" or "uniform"
    @property
    def reference_low(self) -> float | None: ...  # ×10^9/L, for ratios
    @property
    def reference_high(self) -> float | None: ...
    @property
    def log_odds_se(self) -> float: ...
    @property
    def use(self) -> str: ...  # "fit" or "check"
    def __hash__(self) -> int: ...  # frozen records are hashable: _point_counts caches per point


class CovariateEffect(Protocol):
    """What the bootstrap reads from a risk factor (``BleedingCovariate`` in the content store); read-only."""

    @property
    def key(self) -> str: ...
    @property
    def ratio(self) -> float: ...
    @property
    def ratio_low(self) -> float: ...  # 95 % interval
    @property
    def ratio_high(self) -> float: ...


def _band_counts(low: float, high: float, distribution: str) -> np.ndarray:
    """Midpoints of equal-probability slices of the band: the counts a band average is taken over."""
    edges = (
        np.geomspace(max(low, 1e-3), high, BAND_GRID_POINTS + 1)
        if distribution == "log-uniform"
        else np.linspace(low, high, BAND_GRID_POINTS + 1)
    )
    return 0.5 * (edges[:-1] + edges[1:])


@cache
def _point_counts(point: CalibrationPoint) -> tuple[np.ndarray, np.ndarray | None]:
    """The counts a point's band (and reference band) is averaged over; cached, points are frozen."""
    counts = _band_counts(point.count_low, point.count_high, point.count_distribution)
    reference = None
    if point.reference_low is not None and point.reference_high is not None:
        reference = _band_counts(point.reference_low, point.reference_high, point.count_distribution)
    return counts, reference


def _curve(point: CalibrationPoint, counts: np.ndarray, params: np.ndarray) -> np.ndarray:
    grade2, grade3 = grade_probabilities(counts, params)
    return grade2 if point.outcome == "who_grade_2_or_more" else grade3


def model_value(point: CalibrationPoint, parameters: BleedingParameters | np.ndarray) -> float:
    """What the model says for a calibration point, on the point's own scale (share of days, or ratio)."""
    params = parameters.as_array() if isinstance(parameters, BleedingParameters) else np.asarray(parameters)
    counts, reference = _point_counts(point)
    if point.measure in ("band_ratio", "minimum_band_ratio"):
        if reference is None:
            raise ValueError(
                f"calibration point {point.key!r}: a {point.measure} needs reference_low and reference_high (×10^9/L)"
            )
        return float(np.mean(_curve(point, counts, params)) / np.mean(_curve(point, reference, params)))
    if point.measure == "minimum_daily_probability":
        return float(np.min(_curve(point, counts, params)))
    return float(np.mean(_curve(point, counts, params)))


def _residual(point: CalibrationPoint, params: np.ndarray, target: float) -> float:
    """Standardised miss on the log-odds (probabilities) or log (ratios) scale; ``target`` on that scale."""
    value = model_value(point, params)
    if "ratio" in point.measure:
        return (math.log(value) - target) / point.log_odds_se
    value = min(max(value, 1e-12), 1 - 1e-12)
    return (logit(value) - target) / point.log_odds_se


def _target(point: CalibrationPoint) -> float:
    return math.log(point.value) if "ratio" in point.measure else logit(point.value)


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
    points: Sequence[CalibrationPoint], targets: Sequence[float] | np.ndarray, start: np.ndarray = _START
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


def fit_bleeding_model(points: Sequence[CalibrationPoint]) -> BleedingFit:
    """Fit the two grade curves to the calibration ``points`` by weighted least squares.

    Re-run it on edited points to see the new parameters and misses.
    """
    points = tuple(points)
    params, converged = _fit_parameters(points, [_target(p) for p in points])
    checks = tuple(_point_check(p, params) for p in points)
    return BleedingFit(BleedingParameters.from_array(params), checks, converged)


def _point_check(point: CalibrationPoint, params: np.ndarray) -> PointCheck:
    value = model_value(point, params)
    if point.measure in ("band_ratio", "minimum_band_ratio"):
        miss = (math.log(value) - math.log(point.value)) / point.log_odds_se
    else:
        miss = (logit(min(max(value, 1e-12), 1 - 1e-12)) - logit(point.value)) / point.log_odds_se
    satisfied = value >= point.value if point.measure.startswith("minimum") else abs(miss) <= FIT_TOLERANCE_SE
    return PointCheck(point.key, point.use, point.measure, point.value, value, miss, satisfied)


def bootstrap_bleeding_model(
    points: Sequence[CalibrationPoint],
    covariates: Sequence[CovariateEffect],
    *,
    draws: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parameter draws (draws × 4) and log odds-ratio draws per covariate key, from a parametric bootstrap."""
    points = tuple(points)
    covariates = tuple(covariates)
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
