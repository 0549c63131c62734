"""Calibration of the bleeding-risk teaching model: fit, check against published points, bootstrap the band.

The risk curve itself (its form, what it is and is not) is in :mod:`petechiae_edu.models.bleeding`, the only
module this one imports; :mod:`petechiae_edu.models.bleeding_model` binds the fit and its bootstrap into a
``BleedingModel``. This module does no I/O: the calibration points and covariate effects are passed in. The
course's own come from ``data/calibration/bleeding.toml``; the maintainer's ``python -m petechiae_edu.authoring
refit`` runs this fit and ships its result in ``data/calibration/bleeding_fitted.toml``, which the package reads
at run time (no fitting when a lesson starts).

Calibration (re-runnable: :func:`fit_bleeding_model`; numpy only)
    Each ``use = "fit"`` point is a share of days, a ratio of shares or an odds ratio between two bands of
    morning platelet counts. The fit is weighted least squares on the log-odds (or log-ratio) scale with weight
    ``1 / log_odds_se²``, solved per grade by a damped Gauss–Newton (Levenberg–Marquardt) iteration with the
    slope held at or below 0 (risk never rises as platelets rise: a physiological prior, not a fit result):

    - grade ≥2, **by count band**: PLADO's odds ratio of bleeding on days at ≤5 vs ≥81 ×10^9/L (3.1, 95 % CI
      2.0–4.8; Uhl 2017, 16,320 patient-days of 1,077 adults) sets the slope; PLADO's grade ≥2A bleeding on
      13.3 % of study days sets the level. The study days' count spread is not published in what we read, so
      that level point ASSUMES the days spread log-uniformly over 5–80 ×10^9/L (the slope does not rest on it);
    - grade ≥3: Gmür 1991 major bleeding on 1.9 % of days at ≤10 and 0.07 % at 10–20 ×10^9/L (by band), and
      PLADO grade ≥3 bleeding on 0.8 % of study days (same assumed spread). **These disagree**: Gmür's "major
      bleeding" is narrower than WHO grade ≥3, so the fit compromises in proportion to the stated errors and
      :class:`BleedingFit` reports how far each point is missed.

    ``use = "check"`` points are never seen by the fit (:func:`fit_bleeding_model` drops them before fitting):
    they are reported beside the model's value and its bootstrap interval (:func:`check_table`). A floor is
    reported as met or not; a qualitative shape constraint as words, not as a published number; and a shape
    constraint that every fitted curve meets (the slope is held at or below 0; :func:`holds_by_construction`)
    is labelled as holding by construction: it tests nothing.

Uncertainty
    A parametric bootstrap (:func:`bootstrap_bleeding_model`): each fitted figure is redrawn on its log-odds
    scale with its error, the fit is repeated, and covariate odds ratios are drawn log-normally from their 95 %
    intervals. The band is the 2.5–97.5 percentile of the resulting curves. It shows how loosely the data pin
    the curve, not a confidence interval for a patient.

Not used, because unverified: Gaydos 1962 band values, Slichter & Harker 1978 stool volumes, and the share of
PLADO bleeding days by morning count quoted in secondary sources.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from .bleeding import BleedingParameters, grade_probabilities, logit

BAND_GRID_POINTS = 48
DEFAULT_BOOTSTRAP_DRAWS = 200
DEFAULT_SEED = 20240601
FIT_TOLERANCE_SE = 2.0  # a fitted point counts as reproduced within this many of its stated errors
RATIO_MEASURES = ("band_ratio", "band_odds_ratio", "minimum_band_ratio")


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
    ) -> str: ...  # daily_probability, band_ratio, band_odds_ratio, minimum_daily_probability, minimum_band_ratio
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
    if point.measure in RATIO_MEASURES:
        if reference is None:
            raise ValueError(
                f"calibration point {point.key!r}: a {point.measure} needs reference_low and reference_high (×10^9/L)"
            )
        band, base = float(np.mean(_curve(point, counts, params))), float(np.mean(_curve(point, reference, params)))
        if point.measure == "band_odds_ratio":
            return (band / (1 - band)) / (base / (1 - base))
        return band / base
    if point.measure == "minimum_daily_probability":
        return float(np.min(_curve(point, counts, params)))
    return float(np.mean(_curve(point, counts, params)))


def _residual(point: CalibrationPoint, params: np.ndarray, target: float) -> float:
    """Standardised miss on the log-odds (probabilities) or log (ratios) scale; ``target`` on that scale."""
    value = model_value(point, params)
    if "ratio" in point.measure:
        return (math.log(max(value, 1e-300)) - target) / point.log_odds_se
    value = min(max(value, 1e-12), 1 - 1e-12)
    return (logit(value) - target) / point.log_odds_se


def _target(point: CalibrationPoint) -> float:
    return math.log(point.value) if "ratio" in point.measure else logit(point.value)


def holds_by_construction(point: CalibrationPoint) -> bool:
    """True for a shape check the fit cannot break: "a lower band's risk is at least its higher band's".

    The fit holds each slope at or below 0 (:data:`_BOUNDS`), so the risk never rises with the count and a
    ``minimum_band_ratio`` of 1 or less between a band and a reference band lying wholly above it is met by every
    fitted curve, whatever the data. Such a point tests nothing; the tables label it.
    """
    return (
        point.measure == "minimum_band_ratio"
        and point.value <= 1
        and point.reference_low is not None
        and point.count_high <= point.reference_low
    )


@dataclass(frozen=True)
class PointCheck:
    """How well the fitted model reproduces one calibration point (and, with bootstrap draws, its interval)."""

    key: str
    use: str
    measure: str
    published: float
    model: float
    standardised_miss: float  # model minus published, in units of the point's stated error (log scale)
    satisfied: bool  # fit points: within FIT_TOLERANCE_SE errors; check points: the constraint holds
    model_low: float | None = None  # 2.5th percentile of the model's value over the bootstrap draws
    model_high: float | None = None  # 97.5th percentile
    by_construction: bool = False  # a check no fitted curve can fail (see holds_by_construction)

    @property
    def role(self) -> str:
        """``fit``, ``check`` (could fail) or ``by construction`` (a check no fitted curve can fail)."""
        if self.use == "fit":
            return "fit"
        return "by construction" if self.by_construction else "check"

    def _shown(self, value: float) -> str:
        return f"{value:.3g}" if "ratio" in self.measure else f"{100 * value:.3g} %"

    def cells(self) -> tuple[str, str]:
        """The published figure and the model's value (with its 95 % interval) as short texts.

        A floor is shown as a floor and a qualitative shape constraint as the words it stands for, never as a
        published number.
        """
        interval = ""
        if self.model_low is not None and self.model_high is not None:
            interval = f" ({self._shown(self.model_low)}–{self._shown(self.model_high)})"
        model = f"{self._shown(self.model)}{interval}"
        if self.measure == "minimum_daily_probability":
            return f"floor {self._shown(self.published)} per day: {'met' if self.satisfied else 'NOT met'}", model
        if self.measure == "minimum_band_ratio":
            verdict = "met" if self.satisfied else "NOT met"
            return (
                f"qualitative, no number: risk ≥ {self.published:g}× the reference band's, {verdict}",
                model,
            )
        return self._shown(self.published), model

    def summary(self) -> str:
        published, model = self.cells()
        if self.measure.startswith("minimum"):
            kind = "floor per day" if self.measure == "minimum_daily_probability" else "qualitative ratio"
            text = f"{self.key} ({self.use}, {kind}): {published}; model {model}"
            if self.by_construction:
                text += "; holds by construction (the fitted curve never rises with the count), so it cannot fail"
            return text
        scale = "ratio" if "ratio" in self.measure else "per day"
        verdict = "ok" if self.satisfied else f"outside {FIT_TOLERANCE_SE:g} SE"
        return (
            f"{self.key} ({self.use}, {scale}): published {published}, model {model}, "
            f"miss {self.standardised_miss:+.2f} SE [{verdict}]"
        )


@dataclass(frozen=True)
class BleedingFit:
    """The fitted parameters and how each calibration point (fit and check) is reproduced."""

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
        titles = (
            ("fit", "Fitted figures"),
            ("check", "Check figures (never seen by the fit)"),
            ("by construction", "Shape constraints that hold by construction (never fitted, cannot fail)"),
        )
        for role, title in titles:
            own = [c for c in self.checks if c.role == role]
            if own:
                lines.append(f"  {title}; model value with its 95 % bootstrap interval:")
                lines += ["    " + c.summary() for c in own]
        return "\n".join(lines)


_START = np.array([-2.0, -0.1, -2.0, -2.0])
_BOUNDS = (np.array([-20.0, -10.0]), np.array([20.0, 0.0]))  # intercept, slope (slope ≤ 0: never rises)
_MAX_ITERATIONS = 100
_STEP = 1e-6  # finite-difference step on the parameters (log-odds units)


def _solve(residuals, start: np.ndarray) -> tuple[np.ndarray, bool]:
    """Minimise ``sum(residuals(theta)²)`` within :data:`_BOUNDS` by Levenberg–Marquardt (numpy only).

    A bound is enforced by projection: a step that would cross it stops at it. Deterministic (no random
    numbers), so the same inputs give the same parameters to the last bit on one machine.
    """
    low, high = _BOUNDS
    theta = np.clip(np.asarray(start, dtype=float), low, high)
    r = residuals(theta)
    cost = float(r @ r)
    damping = 1e-3
    for _ in range(_MAX_ITERATIONS):
        jacobian = np.empty((r.size, theta.size))
        for j in range(theta.size):
            moved = theta.copy()
            moved[j] += _STEP if moved[j] + _STEP <= high[j] else -_STEP
            jacobian[:, j] = (residuals(moved) - r) / (moved[j] - theta[j])
        gradient = jacobian.T @ r
        normal = jacobian.T @ jacobian
        improved = False
        while damping < 1e10:
            step = np.linalg.solve(normal + damping * np.diag(np.diag(normal) + 1e-12), -gradient)
            trial = np.clip(theta + step, low, high)
            trial_r = residuals(trial)
            trial_cost = float(trial_r @ trial_r)
            if trial_cost < cost:
                converged = cost - trial_cost <= 1e-14 * max(cost, 1e-30) or np.max(np.abs(trial - theta)) < 1e-10
                theta, r, cost = trial, trial_r, trial_cost
                damping = max(damping / 10, 1e-12)
                improved = True
                break
            damping *= 10
        if not improved or converged:
            return theta, True
    return theta, False


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

        solution, ok = _solve(residuals, np.minimum(result_params[slots], [np.inf, -1e-6]))
        result_params[slots] = solution
        converged = converged and ok
    return result_params, converged


def fit_points(points: Sequence[CalibrationPoint]) -> tuple[CalibrationPoint, ...]:
    """The points the fit may see: ``use = "fit"`` only (a check figure never reaches the fit)."""
    return tuple(p for p in points if p.use == "fit")


def fit_bleeding_model(points: Sequence[CalibrationPoint], parameter_draws: np.ndarray | None = None) -> BleedingFit:
    """Fit the two grade curves to the ``use = "fit"`` points; report every point (fit and check).

    ``parameter_draws`` (draws × 4, from :func:`bootstrap_bleeding_model`) add each point's 95 % interval.
    Re-run it on edited points to see the new parameters and misses.
    """
    points = tuple(points)
    used = fit_points(points)
    params, converged = _fit_parameters(used, [_target(p) for p in used])
    return BleedingFit(BleedingParameters.from_array(params), check_table(points, params, parameter_draws), converged)


def check_table(
    points: Sequence[CalibrationPoint], params: np.ndarray, parameter_draws: np.ndarray | None = None
) -> tuple[PointCheck, ...]:
    """Each point beside the model's value (and its 2.5–97.5 percentile over ``parameter_draws``)."""
    return tuple(_point_check(p, np.asarray(params), parameter_draws) for p in points)


def _point_check(point: CalibrationPoint, params: np.ndarray, draws: np.ndarray | None = None) -> PointCheck:
    value = model_value(point, params)
    if "ratio" in point.measure:
        miss = (math.log(max(value, 1e-300)) - math.log(point.value)) / point.log_odds_se
    else:
        miss = (logit(min(max(value, 1e-12), 1 - 1e-12)) - logit(point.value)) / point.log_odds_se
    satisfied = value >= point.value if point.measure.startswith("minimum") else abs(miss) <= FIT_TOLERANCE_SE
    low = high = None
    if draws is not None and len(draws):
        values = np.array([model_value(point, row) for row in np.asarray(draws)])
        low, high = (float(v) for v in np.percentile(values, [2.5, 97.5]))
    constructed = point.use == "check" and holds_by_construction(point)
    return PointCheck(point.key, point.use, point.measure, point.value, value, miss, satisfied, low, high, constructed)


def bootstrap_bleeding_model(
    points: Sequence[CalibrationPoint],
    covariates: Sequence[CovariateEffect],
    *,
    draws: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parameter draws (draws × 4) and log odds-ratio draws per covariate key, from a parametric bootstrap.

    Only ``use = "fit"`` points are redrawn and refitted; check points play no part.
    """
    points = fit_points(points)
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
