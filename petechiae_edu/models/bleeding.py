"""Daily bleeding risk by platelet count: the risk curve of a calibrated teaching model.

What it is
    A teaching model of **hospitalised adults with hypoproliferative thrombocytopenia** (marrow that makes too
    few platelets: chemotherapy, stem-cell transplant, acute leukaemia). For a platelet count in ×10^9/L it
    gives the probability that a given day brings WHO grade ≥2 bleeding, and WHO grade ≥3 bleeding, with the
    risk factors the literature quantifies as odds ratios (fever ≥38 °C, haematocrit ≤25 %, INR and aPTT bands).

What it is not
    Not a clinical tool, not a prediction for any patient, and not valid for immune thrombocytopenia (ITP,
    where young platelets work better), for consumptive or drug-induced thrombocytopenia, for platelet
    function defects, or above ~100 ×10^9/L, where low platelets are not the reason for bleeding.

Children (``age_group="child"``)
    The paediatric PLADO analysis (Josephson 2012) found that children given the same prophylaxis bled more
    than adults "over a wide range of platelet counts": more of them had WHO grade ≥2 bleeding (86 %, 88 % and
    77 % at ages 0–5, 6–12 and 13–18 vs 67 % of adults). The abstract gives no by-count figures, so the child
    curve is the adult grade ≥2 curve shifted up by one log-odds offset (the same slope: the excess is not a
    count effect), fitted so that a virtual cohort reproduces the children's higher share of patients who bled
    (:mod:`petechiae_edu.models.cohort_fit`). The child grade ≥3 curve is ASSUMED equal to the adult one (the
    abstract gives no grade ≥3 figure). The children's DAILY risks are therefore model output, not data: they
    rest on the cohort's assumed spread of bleeding tendency between patients and its illustrative courses.
    The one day-level figure, median days with grade ≥2 bleeding (children 3, adults 1), is a check the fit
    never sees. The abstract also says the effect of age differed by treatment group and was most pronounced
    after autologous transplant; one offset for every child is a simplification.

Form
    For each grade, ``logit p = intercept + slope · ln(count + 1) + Σ ln(odds ratio)``. The ``+ 1`` keeps a
    count of 0 finite. Grade ≥2 includes grade ≥3, so the grade ≥2 probability is never below the grade ≥3
    one (the larger of the two curves is used). Covariate odds ratios are applied to both grades; the
    published ratios were measured for grade ≥2 bleeding (Uhl 2017) or grade 2–4 (TOPPS fever hazard ratio,
    used as an odds ratio).

Calibration and uncertainty
    The parameters and the bootstrap band come from :mod:`petechiae_edu.models.bleeding_fit` (numpy only), which
    states the calibration figures, which are fitted and which only checked, where they disagree and what is not
    used. The adult grade ≥2 slope rests on PLADO's by-band odds ratio (≤5 vs ≥81 ×10^9/L); its level on PLADO's
    13.3 % of days, for which the spread of counts over 5–80 ×10^9/L is ASSUMED. A maintainer runs the fit
    (``python -m petechiae_edu.authoring refit``) and ships it as data; at run time nothing is fitted. This
    module is the leaf of the three: the curve, the covariates and the input check;
    :mod:`petechiae_edu.models.bleeding_model` binds a fit and its bootstrap into
    :class:`~petechiae_edu.models.bleeding_model.BleedingModel` and answers
    :func:`~petechiae_edu.models.bleeding_model.daily_bleeding_risk`. No I/O: every function takes its
    parameters as an argument. The model as shipped with the course is :func:`petechiae_edu.calibrated.default_model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .. import validation

GRADES = (2, 3)
AGE_GROUPS = ("adult", "child")
# ×10^9/L: the highest count the model answers for. It is fitted below 100 and flat above; a count above this (and
# below the per-µL ceiling of petechiae_edu.validation) is refused with the per-µL conversion as a hint.
MAX_PLATELET_COUNT = 1000.0

SOURCES = (
    "gmur1991",
    "slichter2010plado",
    "plado_organ_bleeding",
    "wandt1998",
    "uhl2017",
    "topps_fever_haematologica",
    "slichter2004",
    "slichter2021",
    "josephson2012",
)

# The covariate groups a student can switch, with the level keys in data/calibration/bleeding.toml.
COVARIATE_LEVELS: dict[str, tuple[str, ...]] = {
    "fever": ("none", "fever_38_or_more"),
    "haematocrit": ("none", "haematocrit_25_or_less"),
    "inr": ("none", "inr_1_2_to_1_5", "inr_above_1_5"),
    "aptt": ("none", "aptt_30_to_50", "aptt_above_50"),
}


# ---------------------------------------------------------------------------------------------- input checks


def check_platelet_count(platelet_count: object, name: str = "platelet_count") -> np.ndarray:
    """Return the count(s) as a float array, or raise an error naming the bad value and the unit expected.

    Platelet counts are ×10^9/L (= ×10^3/µL). Checked by :func:`petechiae_edu.validation.count_array`: a bool or
    text is not a count; NaN, inf and negative counts are refused; a value above 2000 is taken for a per-µL count
    (e.g. 8000 where 8 ×10^9/L was meant), and one above :data:`MAX_PLATELET_COUNT` is outside the model.
    """
    return validation.count_array(platelet_count, name, quantity="platelets", high=MAX_PLATELET_COUNT)


def check_grade(grade: object) -> int:
    """The WHO grade asked for: 2 (grade ≥2) or 3 (grade ≥3); anything else is refused."""
    if grade not in GRADES or isinstance(grade, bool) or not isinstance(grade, int | np.integer):
        raise validation.InputValueError(
            f"grade = {grade!r} is not modelled; expected 2 (WHO grade ≥2) or 3 (WHO grade ≥3)"
        )
    return int(grade)


def check_age_group(age_group: object) -> str:
    """``"adult"`` or ``"child"`` (the paediatric curve); anything else is refused."""
    if not isinstance(age_group, str) or age_group not in AGE_GROUPS:
        raise validation.InputValueError(
            f"age_group = {age_group!r} is not modelled; expected 'adult' or 'child' (0–18 years)"
        )
    return age_group


def check_odds_ratio(odds_ratio: object, name: str = "odds_ratio") -> float:
    """A positive, finite odds ratio (1 = no extra risk)."""
    return validation.number(odds_ratio, name, above=0.0, expected="a positive odds ratio (1 = no extra risk)")


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
    def from_array(cls, values: Sequence[float] | np.ndarray) -> BleedingParameters:
        return cls(*(float(v) for v in values))


def _logistic(log_odds: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * log_odds))  # numerically safe logistic


def logit(probability: float) -> float:
    """The log-odds of a probability (0 < p < 1)."""
    return math.log(probability / (1.0 - probability))


def grade_probabilities(
    counts: np.ndarray,
    params: np.ndarray,
    log_odds_ratio: np.ndarray | float = 0.0,
    grade2_shift: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Grade ≥2 and grade ≥3 probabilities per day at already-checked ``counts`` (×10^9/L).

    ``params`` is ``BleedingParameters.as_array()`` (4,) or many curves at once (draws, 4); ``log_odds_ratio``
    is added to both grades and ``grade2_shift`` (the child offset) to grade ≥2 only (each a scalar, or one per
    draw). The curve is ``intercept + slope · ln(count + 1)``.
    """
    x = np.log1p(counts)
    p = np.asarray(params)
    if p.ndim == 2:
        p = p.T[:, :, None]  # (4, draws, 1) against counts (1, n)
        x = x.reshape(1, -1)
        if np.ndim(log_odds_ratio) == 1:
            log_odds_ratio = np.asarray(log_odds_ratio)[:, None]
        if np.ndim(grade2_shift) == 1:
            grade2_shift = np.asarray(grade2_shift)[:, None]
    grade3 = _logistic(p[2] + p[3] * x + log_odds_ratio)
    grade2 = np.maximum(_logistic(p[0] + p[1] * x + log_odds_ratio + grade2_shift), grade3)
    return grade2, grade3


def bleeding_probability(
    platelet_count: float | Sequence[float] | np.ndarray,
    *,
    grade: int = 2,
    odds_ratio: float = 1.0,
    parameters: BleedingParameters,
    age_group: str = "adult",
    child_grade2_log_odds: float = 0.0,
) -> np.ndarray | float:
    """Probability per day of WHO grade ≥``grade`` bleeding at ``platelet_count`` ×10^9/L (one count or an array).

    ``odds_ratio`` is the product of the covariate odds ratios (1 = none); ``parameters`` are the fitted
    curves (e.g. ``default_model().parameters`` from :mod:`petechiae_edu.calibrated`). ``age_group="child"``
    adds ``child_grade2_log_odds`` (the fitted paediatric offset) to the grade ≥2 curve. A scalar count gives
    a float.

    >>> curves = BleedingParameters(-1.0, -0.5, -2.0, -1.5)
    >>> bleeding_probability(8, grade=3, parameters=curves) > bleeding_probability(30, grade=3, parameters=curves)
    True
    """
    grade = check_grade(grade)
    ratio = check_odds_ratio(odds_ratio)
    shift = child_grade2_log_odds if check_age_group(age_group) == "child" else 0.0
    counts = check_platelet_count(platelet_count)
    grade2, grade3 = grade_probabilities(counts, parameters.as_array(), math.log(ratio), shift)
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


def check_covariates(covariates: object) -> Covariates:
    """``covariates`` if it is a :class:`Covariates` (None: no risk factors); text or a dict is refused."""
    if covariates is None:
        return Covariates()
    return validation.instance(
        covariates, "covariates", Covariates, "give Covariates(fever='fever_38_or_more') or None for no risk factors"
    )


def with_level(covariates: Covariates, group: str, level: str) -> Covariates:
    """A copy of ``covariates`` with one group set to ``level``."""
    if group not in COVARIATE_LEVELS:
        raise ValueError(f"unknown risk-factor group {group!r}; expected one of {', '.join(COVARIATE_LEVELS)}")
    return Covariates(**{**{g: getattr(covariates, g) for g in COVARIATE_LEVELS}, group: level})


def covariate_odds_ratio(covariates: Covariates, effects: Mapping[str, float]) -> float:
    """The product of the odds ratios of the risk factors present (1.0 when none); ``effects``: key → ratio."""
    return float(np.prod([effects[key] for key in covariates.active()])) if covariates.active() else 1.0
