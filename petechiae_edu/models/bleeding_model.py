"""The calibrated bleeding model: a fitted curve with its bootstrap band, and the answers a lesson asks of it.

:mod:`petechiae_edu.models.bleeding` holds the curve (its form, what it is and is not, the covariates and the input
check) and :mod:`petechiae_edu.models.bleeding_fit` the calibration and the bootstrap; this module binds the two
into :class:`BleedingModel` and answers :func:`daily_bleeding_risk` (one count, with its band) and
:func:`count_where_risk_multiplies`, for adults or children (``age_group``). Imports run one way: ``bleeding`` ←
``bleeding_fit`` ← ``bleeding_model``. No I/O: :func:`petechiae_edu.calibrated.default_model` builds the course's
model from the shipped fit (``data/calibration/bleeding_fitted.toml``) without fitting anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import validation
from .bleeding import (
    BleedingParameters,
    Covariates,
    check_age_group,
    check_covariates,
    check_grade,
    check_platelet_count,
    covariate_odds_ratio,
    grade_probabilities,
)
from .bleeding_fit import (
    DEFAULT_BOOTSTRAP_DRAWS,
    DEFAULT_SEED,
    BleedingFit,
    CalibrationPoint,
    CovariateEffect,
    bootstrap_bleeding_model,
    fit_bleeding_model,
)


@dataclass(frozen=True)
class DailyBleedingRisk:
    """The model's answer for one count and one set of risk factors (probabilities per day)."""

    platelet_count: float
    grade2: float
    grade3: float
    grade2_band: tuple[float, float]
    grade3_band: tuple[float, float]
    odds_ratio: float
    age_group: str = "adult"


@dataclass(frozen=True)
class BleedingModel:
    """The fitted model with its bootstrap draws; :meth:`band` gives the uncertainty band for any risk factors.

    ``child_grade2_log_odds`` is the paediatric offset on the grade ≥2 log-odds (``child_draws`` its bootstrap
    draws, one per row of ``parameter_draws``); ``bleeding_tendency_sd`` the cohort's fitted spread between
    patients (log-odds sd).
    """

    fit: BleedingFit
    parameter_draws: np.ndarray
    log_ratio_draws: Mapping[str, np.ndarray]
    effects: Mapping[str, float] = field(default_factory=dict)
    child_grade2_log_odds: float = 0.0
    child_draws: np.ndarray | None = None
    bleeding_tendency_sd: float | None = None

    @property
    def parameters(self) -> BleedingParameters:
        return self.fit.parameters

    def grade2_shift(self, age_group: str = "adult") -> float:
        """The log-odds added to the grade ≥2 curve for ``age_group`` (0 for adults)."""
        return self.child_grade2_log_odds if check_age_group(age_group) == "child" else 0.0

    def probabilities(
        self, platelet_counts: np.ndarray, covariates: Covariates | None = None, age_group: str = "adult"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Central grade ≥2 and ≥3 curves (per day) at already-checked counts (×10^9/L)."""
        ratio = covariate_odds_ratio(covariates or Covariates(), self.effects)
        return grade_probabilities(
            np.asarray(platelet_counts, float),
            self.parameters.as_array(),
            math.log(ratio),
            self.grade2_shift(age_group),
        )

    def band(
        self,
        platelet_counts: np.ndarray,
        covariates: Covariates | None = None,
        coverage: float = 0.95,
        age_group: str = "adult",
    ) -> tuple[np.ndarray, np.ndarray]:
        """(2, n) arrays of lower and upper band for grade ≥2 and for grade ≥3 at the given counts."""
        covariates = covariates or Covariates()
        log_ratio = np.zeros(len(self.parameter_draws))
        for key in covariates.active():
            log_ratio = log_ratio + self.log_ratio_draws[key]
        shift: np.ndarray | float = 0.0
        if check_age_group(age_group) == "child":
            shift = self.child_draws if self.child_draws is not None else self.child_grade2_log_odds
        grade2, grade3 = grade_probabilities(np.asarray(platelet_counts, float), self.parameter_draws, log_ratio, shift)
        tail = 100 * (1 - coverage) / 2
        return np.percentile(grade2, [tail, 100 - tail], axis=0), np.percentile(grade3, [tail, 100 - tail], axis=0)


def calibrate_bleeding_model(
    points: Sequence[CalibrationPoint],
    covariates: Sequence[CovariateEffect],
    *,
    draws: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
) -> BleedingModel:
    """The model fitted to ``points``, with a seeded bootstrap band and the covariates' central ratios."""
    fit = fit_bleeding_model(points)
    parameter_draws, log_ratios = bootstrap_bleeding_model(points, covariates, draws=draws, seed=seed)
    effects = {c.key: c.ratio for c in covariates}
    return BleedingModel(fit, parameter_draws, log_ratios, effects)


def shipped_bleeding_model(
    fit: BleedingFit,
    parameter_draws: np.ndarray,
    log_ratio_draws: Mapping[str, np.ndarray],
    covariates: Sequence[CovariateEffect],
    *,
    child_grade2_log_odds: float,
    child_draws: np.ndarray,
    bleeding_tendency_sd: float,
) -> BleedingModel:
    """The model from a shipped fit and its draws (nothing is fitted here)."""
    effects = {c.key: c.ratio for c in covariates}
    return BleedingModel(
        fit, parameter_draws, log_ratio_draws, effects, child_grade2_log_odds, child_draws, bleeding_tendency_sd
    )


def _one_count(platelet_count: object, name: str) -> np.ndarray:
    count = check_platelet_count(platelet_count, name)
    if count.ndim != 0:
        raise validation.InputValueError(
            f"{name}: give one platelet count, got {count.size}; use bleeding_probability for arrays"
        )
    return count


def daily_bleeding_risk(
    platelet_count: float,
    covariates: Covariates | None = None,
    *,
    model: BleedingModel,
    age_group: str = "adult",
) -> DailyBleedingRisk:
    """Daily risk of grade ≥2 and ≥3 bleeding at one count (×10^9/L) under ``model``, with its uncertainty band.

    ``age_group`` is ``"adult"`` or ``"child"`` (the paediatric grade ≥2 curve).
    """
    covariates = check_covariates(covariates)
    age_group = check_age_group(age_group)
    count = _one_count(platelet_count, "platelet_count")
    ratio = covariate_odds_ratio(covariates, model.effects)
    grade2, grade3 = grade_probabilities(
        count, model.parameters.as_array(), math.log(ratio), model.grade2_shift(age_group)
    )
    band2, band3 = model.band(count.reshape(1), covariates, age_group=age_group)
    return DailyBleedingRisk(
        platelet_count=float(count),
        grade2=float(grade2),
        grade3=float(grade3),
        grade2_band=(float(band2[0, 0]), float(band2[1, 0])),
        grade3_band=(float(band3[0, 0]), float(band3[1, 0])),
        odds_ratio=ratio,
        age_group=age_group,
    )


def count_where_risk_multiplies(
    reference_count: float,
    factor: float = 2.0,
    *,
    grade: int = 3,
    covariates: Covariates | None = None,
    model: BleedingModel,
    age_group: str = "adult",
) -> float:
    """The count (×10^9/L) below which the daily risk of grade ≥``grade`` bleeding exceeds ``factor`` × the risk at
    ``reference_count`` (×10^9/L). ``grade`` is 2 or 3; ``factor`` a number above 1.

    Solved on a fine grid (0.1 ×10^9/L steps); the curve falls monotonically, so there is one crossing.
    """
    reference = float(_one_count(reference_count, "reference_count"))
    factor = validation.number(factor, "factor", above=1.0, expected="a number above 1 (2 = risk doubles)")
    grade = check_grade(grade)
    covariates = check_covariates(covariates)
    grid = np.arange(0.0, reference + 1e-9, 0.1)
    grade2, grade3 = model.probabilities(grid, covariates, age_group)
    curve = grade2 if grade == 2 else grade3
    above = curve >= factor * curve[-1]
    if not above.any():
        raise ValueError(f"the grade ≥{grade} risk never reaches {factor:g}× its value at {reference:g} ×10^9/L")
    return float(grid[np.nonzero(above)[0].max()])
