"""The teaching models bound to the course's content store: the conveniences lessons, widgets and tests use.

The models in :mod:`petechiae_edu.models` are pure: they take their data (calibration points, fitted
parameters, reference ranges) as arguments and never read a file. This module reads that data from the content store
(:mod:`petechiae_edu.content`) and hands it to the models, so a lesson can write ``daily_bleeding_risk(8)``.
The bleeding model calibrated to ``data/calibration/bleeding.toml`` is fitted once per session and cached.
Nothing here registers citations: the widgets and the lessons' markdown do that.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from . import content
from .content import bleeding_data
from .content.bleeding_data import BleedingCalibrationPoint, BleedingCovariate
from .models import bleeding, bleeding_fit, cbc, cohort
from .models.bleeding import BleedingModel, BleedingParameters, Covariates, DailyBleedingRisk
from .models.bleeding_fit import DEFAULT_BOOTSTRAP_DRAWS, DEFAULT_SEED, BleedingFit

# ---------------------------------------------------------------------------------------------- bleeding risk


@cache
def default_model() -> BleedingModel:
    """The bleeding model fitted to the course's calibration file, with a seeded bootstrap (once per session)."""
    return bleeding_fit.calibrate_bleeding_model(bleeding_data.calibration_points(), bleeding_data.covariate_effects())


def fit_bleeding_model(points: Sequence[BleedingCalibrationPoint] | None = None) -> BleedingFit:
    """Fit the two grade curves to ``points`` (default: ``data/calibration/bleeding.toml``).

    Re-run it after editing the data file to see the new parameters and misses.
    """
    return bleeding_fit.fit_bleeding_model(points if points is not None else bleeding_data.calibration_points())


def bootstrap_bleeding_model(
    points: Sequence[BleedingCalibrationPoint] | None = None,
    covariates: Sequence[BleedingCovariate] | None = None,
    *,
    draws: int = DEFAULT_BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The parametric bootstrap of :func:`petechiae_edu.models.bleeding_fit.bootstrap_bleeding_model` on the
    course's points and covariates (or those given)."""
    return bleeding_fit.bootstrap_bleeding_model(
        points if points is not None else bleeding_data.calibration_points(),
        covariates if covariates is not None else bleeding_data.covariate_effects(),
        draws=draws,
        seed=seed,
    )


def bleeding_probability(
    platelet_count: float | Sequence[float] | np.ndarray,
    *,
    grade: int = 2,
    odds_ratio: float = 1.0,
    parameters: BleedingParameters | None = None,
) -> np.ndarray | float:
    """Probability per day of WHO grade ≥``grade`` bleeding at ``platelet_count`` ×10^9/L (default model)."""
    return bleeding.bleeding_probability(
        platelet_count, grade=grade, odds_ratio=odds_ratio, parameters=parameters or default_model().parameters
    )


def daily_bleeding_risk(platelet_count: float, covariates: Covariates | None = None) -> DailyBleedingRisk:
    """Daily risk of grade ≥2 and ≥3 bleeding at one count (×10^9/L) under the default model, with its band."""
    return bleeding.daily_bleeding_risk(platelet_count, covariates, model=default_model())


def count_where_risk_multiplies(
    reference_count: float, factor: float = 2.0, *, grade: int = 3, covariates: Covariates | None = None
) -> float:
    """The count (×10^9/L) below which the default model's daily risk exceeds ``factor`` × its value at
    ``reference_count``."""
    return bleeding.count_where_risk_multiplies(
        reference_count, factor, grade=grade, covariates=covariates, model=default_model()
    )


def simulate_cohort(
    settings: cohort.CohortSettings | None = None,
    *,
    parameters: BleedingParameters | None = None,
    fever_odds_ratio: float = 1.7,
    strategies: tuple[str, ...] = tuple(cohort.STRATEGIES),
) -> cohort.CohortResult:
    """The transfusion-strategy cohort of :mod:`petechiae_edu.models.cohort`, bleeding by the default model."""
    return cohort.simulate_cohort(
        settings,
        parameters=parameters or default_model().parameters,
        fever_odds_ratio=fever_odds_ratio,
        strategies=strategies,
    )


# ---------------------------------------------------------------------------------------------- blood count


def course_ranges() -> cbc.CbcRanges:
    """The course's adult reference ranges from ``data/reference_ranges.toml``."""
    return cbc.ranges_from_records(content.reference_ranges())


def interpret_cbc(
    *,
    age_years: float | None = None,
    sex: str | None = None,
    platelets: float | None = None,
    wbc: float | None = None,
    anc: float | None = None,
    lymphocytes: float | None = None,
    haemoglobin: float | None = None,
    blasts_percent: float | None = None,
    ranges: cbc.CbcRanges | None = None,
) -> cbc.CbcInterpretation:
    """Flag, grade and name the patterns of one blood count against ``ranges`` (default: the course's).

    Counts in ×10^9/L (= ×10^3/µL), haemoglobin in g/dL, blasts as % of white cells on the film (None when no
    film was read), age in years, sex 'male' or 'female'; see :func:`petechiae_edu.models.cbc.interpret_cbc`.

    >>> result = interpret_cbc(age_years=40, sex="female", platelets=32, wbc=6, anc=3, lymphocytes=2,
    ...                        haemoglobin=13)
    >>> result.pattern_names
    ('isolated thrombocytopenia',)
    """
    return cbc.interpret_cbc(
        age_years=age_years,
        sex=sex,
        platelets=platelets,
        wbc=wbc,
        anc=anc,
        lymphocytes=lymphocytes,
        haemoglobin=haemoglobin,
        blasts_percent=blasts_percent,
        ranges=ranges if ranges is not None else course_ranges(),
    )
