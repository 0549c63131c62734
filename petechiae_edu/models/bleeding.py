"""Daily bleeding risk by platelet count: the risk curve of a calibrated teaching model.

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

Calibration and uncertainty
    The parameters and the bootstrap band come from :mod:`petechiae_edu.models.bleeding_fit`, which states the
    calibration points, where they disagree, and what is not used. This module does no I/O: every function
    takes its parameters (or a :class:`BleedingModel`) as an argument. The model calibrated to the course's
    data file is :func:`petechiae_edu.calibrated.default_model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .bleeding_fit import BleedingFit

GRADES = (2, 3)
MAX_PLATELET_COUNT = 2000.0  # ×10^9/L; above this a value is almost surely per µL

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
    parameters: BleedingParameters,
) -> np.ndarray | float:
    """Probability per day of WHO grade ≥``grade`` bleeding at ``platelet_count`` ×10^9/L.

    ``odds_ratio`` is the product of the covariate odds ratios (1 = none); ``parameters`` are the fitted
    curves (e.g. ``default_model().parameters`` from :mod:`petechiae_edu.calibrated`). A scalar count gives
    a float.

    >>> curves = BleedingParameters(-1.0, -0.5, -2.0, -1.5)
    >>> bleeding_probability(8, grade=3, parameters=curves) > bleeding_probability(30, grade=3, parameters=curves)
    True
    """
    if grade not in GRADES:
        raise ValueError(f"grade {grade!r} is not modelled; expected 2 (WHO grade ≥2) or 3 (WHO grade ≥3)")
    if not (math.isfinite(odds_ratio) and odds_ratio > 0):
        raise ValueError(f"odds ratio {odds_ratio!r} must be a positive number (1 = no extra risk)")
    counts = check_platelet_count(platelet_count)
    grade2, grade3 = _raw_probabilities(counts, parameters.as_array(), math.log(odds_ratio))
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


def covariate_odds_ratio(covariates: Covariates, effects: Mapping[str, float]) -> float:
    """The product of the odds ratios of the risk factors present (1.0 when none); ``effects``: key → ratio."""
    return float(np.prod([effects[key] for key in covariates.active()])) if covariates.active() else 1.0


@dataclass(frozen=True)
class DailyBleedingRisk:
    """The model's answer for one count and one set of risk factors (probabilities per day)."""

    platelet_count: float
    grade2: float
    grade3: float
    grade2_band: tuple[float, float]
    grade3_band: tuple[float, float]
    odds_ratio: float


def daily_bleeding_risk(
    platelet_count: float, covariates: Covariates | None = None, *, model: BleedingModel
) -> DailyBleedingRisk:
    """Daily risk of grade ≥2 and ≥3 bleeding at one count (×10^9/L) under ``model``, with its uncertainty band."""
    covariates = covariates or Covariates()
    count = check_platelet_count(platelet_count)
    if count.ndim != 0:
        raise ValueError(f"give one platelet count, got {count.size}; use bleeding_probability for arrays")
    ratio = covariate_odds_ratio(covariates, model.effects)
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


# ---------------------------------------------------------------------------------------------- the fitted model


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


def count_where_risk_multiplies(
    reference_count: float,
    factor: float = 2.0,
    *,
    grade: int = 3,
    covariates: Covariates | None = None,
    model: BleedingModel,
) -> float:
    """The count (×10^9/L) below which the daily risk exceeds ``factor`` × the risk at ``reference_count``.

    Solved on a fine grid (0.1 ×10^9/L steps); the curve falls monotonically, so there is one crossing.
    """
    reference = float(check_platelet_count(reference_count))
    if not factor > 1:
        raise ValueError(f"factor {factor!r} must be above 1 (2 = risk doubles)")
    grid = np.arange(0.0, reference + 1e-9, 0.1)
    grade2, grade3 = model.probabilities(grid, covariates)
    curve = grade2 if grade == 2 else grade3
    above = curve >= factor * curve[-1]
    if not above.any():
        raise ValueError(f"the grade ≥{grade} risk never reaches {factor}× its value at {reference:g} ×10^9/L")
    return float(grid[np.nonzero(above)[0].max()])
