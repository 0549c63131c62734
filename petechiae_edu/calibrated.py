"""The teaching models bound to the course's content store: the conveniences lessons, widgets and tests use.

The models in :mod:`petechiae_edu.models` are pure: they take their data (calibration points, fitted
parameters, reference ranges, preset parameters, cases) as arguments and never read a file. This module reads
that data from the content store (:mod:`petechiae_edu.content`) and hands it to the models, so a lesson can
write ``daily_bleeding_risk(8)``, ``simulate("aml")`` or ``generate_case("child-all", seed=1)``.
The bleeding model calibrated to ``data/calibration/bleeding.toml`` is fitted once per session and cached.

Every function here registers the sources its model rests on when it runs (the PyBaMM pattern: models stay pure,
this seam cites), so ``show_sources()`` lists them even when a lesson calls ``daily_bleeding_risk(8)`` alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np

from . import citations, content, validation
from .content import bleeding_data, cbc_rules, progression_data
from .content import cases as case_files
from .content import platelet_kinetics as kinetics_data
from .content.bleeding_data import BleedingCalibrationPoint, BleedingCovariate
from .models import (
    anaemia,
    bleeding,
    bleeding_fit,
    bleeding_model,
    cases,
    cbc,
    cbc_patterns,
    cbc_ranges,
    cohort,
    platelet_kinetics,
    progression,
    symptoms,
)
from .models.bleeding import BleedingParameters, Covariates
from .models.bleeding_fit import DEFAULT_BOOTSTRAP_DRAWS, DEFAULT_SEED, BleedingFit
from .models.bleeding_model import BleedingModel, DailyBleedingRisk

FEVER_COVARIATE = "fever_38_or_more"  # the key of the fever odds ratio in data/calibration/bleeding.toml


def _cite(keys, model: str) -> None:
    citations.cite(*keys, by=f"model: {model}")


def _cite_bleeding() -> None:
    _cite(bleeding.SOURCES, "bleeding")


# ---------------------------------------------------------------------------------------------- bleeding risk


@cache
def default_model() -> BleedingModel:
    """The bleeding model fitted to the course's calibration file, with a seeded bootstrap (once per session)."""
    return bleeding_model.calibrate_bleeding_model(
        bleeding_data.calibration_points(), bleeding_data.covariate_effects()
    )


def fit_bleeding_model(points: Sequence[BleedingCalibrationPoint] | None = None) -> BleedingFit:
    """Fit the two grade curves to ``points`` (default: ``data/calibration/bleeding.toml``).

    Re-run it after editing the data file to see the new parameters and misses.
    """
    _cite_bleeding()
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
    _cite_bleeding()
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
    _cite_bleeding()
    return bleeding.bleeding_probability(
        platelet_count, grade=grade, odds_ratio=odds_ratio, parameters=parameters or default_model().parameters
    )


def daily_bleeding_risk(platelet_count: float, covariates: Covariates | None = None) -> DailyBleedingRisk:
    """Daily risk of grade ≥2 and ≥3 bleeding at one count (×10^9/L) under the default model, with its band."""
    _cite_bleeding()
    return bleeding_model.daily_bleeding_risk(platelet_count, covariates, model=default_model())


def count_where_risk_multiplies(
    reference_count: float, factor: float = 2.0, *, grade: int = 3, covariates: Covariates | None = None
) -> float:
    """The count (×10^9/L) below which the default model's daily risk exceeds ``factor`` × its value at
    ``reference_count``. ``grade`` is 2 or 3."""
    _cite_bleeding()
    return bleeding_model.count_where_risk_multiplies(
        reference_count, factor, grade=grade, covariates=covariates, model=default_model()
    )


def course_fever_odds_ratio() -> float:
    """The odds ratio of bleeding on a fever day: the TOPPS figure in ``data/calibration/bleeding.toml``."""
    return default_model().effects[FEVER_COVARIATE]


def normal_kinetics() -> platelet_kinetics.NormalKinetics:
    """Normal platelet production, survival and vascular use from ``data/calibration/platelet_kinetics.toml``."""
    return _normal_kinetics()


@cache
def _normal_kinetics() -> platelet_kinetics.NormalKinetics:
    constants = kinetics_data.kinetics_constants()
    production, survival, vascular = (
        constants[k] for k in ("normal_production", "normal_survival_days", "vascular_integrity_use")
    )
    sources = tuple(dict.fromkeys([*production.sources, *survival.sources, *vascular.sources]))
    return platelet_kinetics.NormalKinetics(production.value, survival.value, vascular.value, sources)


# PlateletBalance fields left at None take the course's values: register them with the model.
platelet_kinetics.use_course_kinetics(normal_kinetics)


def simulate_cohort(
    settings: cohort.CohortSettings | None = None,
    *,
    parameters: BleedingParameters | None = None,
    fever_odds_ratio: float | None = None,
    strategies: tuple[str, ...] = tuple(cohort.STRATEGIES),
) -> cohort.CohortResult:
    """The transfusion-strategy cohort of :mod:`petechiae_edu.models.cohort`, bleeding by the default model.

    The course's data fill in what ``settings`` leave at None (platelet survival, vascular use: from
    ``data/calibration/platelet_kinetics.toml``) and the fever odds ratio (default: the TOPPS ratio in
    ``data/calibration/bleeding.toml``). The cohort's random numbers are kept for the last few (patients, days,
    seed), so moving a slider that changes only the nadir or the fever share reruns the strategies without drawing
    the patients again.
    """
    settings = validation.instance(
        settings if settings is not None else cohort.CohortSettings(),
        "settings",
        cohort.CohortSettings,
        "give CohortSettings(...) or leave it out",
    )
    normal = normal_kinetics()
    filled = {
        name: value
        for name, value in (
            ("platelet_survival_days", normal.survival_days),
            ("vascular_integrity_use", normal.vascular_consumption),
        )
        if getattr(settings, name) is None
    }
    settings = dataclasses.replace(settings, **filled) if filled else settings
    _cite_bleeding()
    _cite((*cohort.SOURCES, *normal.sources), "transfusion cohort")
    return cohort.simulate_cohort(
        settings,
        parameters=parameters or default_model().parameters,
        fever_odds_ratio=course_fever_odds_ratio() if fever_odds_ratio is None else fever_odds_ratio,
        strategies=strategies,
        draws=_cohort_draws(settings.patients, settings.days, settings.seed),
    )


@lru_cache(maxsize=2)
def _cohort_draws(patients: int, days: int, seed: int) -> cohort.CohortDraws:
    return cohort.draw_cohort(cohort.CohortSettings(patients=patients, days=days, seed=seed))


# ---------------------------------------------------------------------------------------------- blood count


def course_ranges() -> cbc_ranges.ReferenceTable:
    """The course's reference ranges by age band and sex (adults and children), from ``data/reference_ranges.toml``."""
    return _course_table()


@cache
def _course_table() -> cbc_ranges.ReferenceTable:
    bands = tuple(
        cbc_ranges.AgeBand(
            quantity=record.measures,
            low=record.low,
            high=record.high,
            units=record.units,
            age_min=record.age_min_years,
            age_max=record.age_max_years,
            sex=record.sex,
            sources=tuple(record.sources),
            population=record.population,
            key=record.key,
        )
        for record in cbc_rules.reference_intervals()
    )
    return cbc_ranges.ReferenceTable(bands)


def reference_band(quantity: str, age_years: float, sex: str) -> cbc_ranges.AgeBand | None:
    """The course's reference range of ``quantity`` (``haemoglobin``, ``wbc``, ``anc``, ``platelets`` ...) for a
    patient of ``age_years`` and ``sex``, or None when the course has no range at that age.

    >>> band = reference_band("lymphocytes", 1.5, "female")
    >>> (band.low, band.high, band.units)
    (2.0, 14.0, '×10^9/L')
    """
    return course_ranges().lookup(quantity, age_years, sex)


def course_adult_ranges() -> cbc.CbcRanges:
    """The adult reference ranges only (one laboratory's limits), as one range per value."""
    return cbc.ranges_from_records(content.reference_ranges())


@cache
def course_patterns() -> tuple[cbc_patterns.PatternRule, ...]:
    """The patterns the CBC interpreter names, from ``data/cbc_patterns.toml``, checked against the model's tests."""
    rules = tuple(
        cbc_patterns.PatternRule(
            key=record.key,
            name=record.name,
            definition=record.definition,
            urgency=record.urgency,
            next_steps=record.next_steps,
            sources=tuple(record.sources),
            thresholds=tuple((t.name, t.value, t.units) for t in record.thresholds),
            not_with=record.not_with,
        )
        for record in cbc_rules.cbc_patterns().values()
    )
    cbc_patterns.check_rules(rules)
    return rules


@cache
def course_anaemia_cutoffs() -> tuple[anaemia.AnaemiaCutoff, ...]:
    """The WHO haemoglobin cut-offs that define anaemia, from ``data/anaemia_cutoffs.toml`` (g/dL)."""
    return tuple(
        anaemia.AnaemiaCutoff(
            key=r.key,
            population=r.population,
            age_min=r.age_min_years,
            age_max=r.age_max_years,
            sex=r.sex,
            pregnancy=r.pregnancy,
            below=r.below,
            sources=tuple(r.sources),
        )
        for r in cbc_rules.anaemia_cutoffs()
    )


def interpret_cbc(
    *,
    ranges: cbc.CbcRanges | cbc_ranges.ReferenceTable | None = None,
    patterns: tuple[cbc_patterns.PatternRule, ...] | None = None,
    **blood_count: object,
) -> cbc.CbcInterpretation:
    """Flag, grade and name the patterns of one blood count against ``ranges`` (default: the course's, for the
    patient's age and sex) and ``patterns`` (default: ``data/cbc_patterns.toml``).

    Takes the keyword arguments of :func:`petechiae_edu.models.cbc.interpret_cbc`: ``age_years``, ``sex``,
    ``haemoglobin`` (g/dL), ``wbc``, ``anc``, ``lymphocytes``, ``platelets`` (×10^9/L) and, optionally,
    ``monocytes``, ``eosinophils``, ``basophils`` (×10^9/L), ``mcv`` (fL), ``blasts_percent`` (% of white cells on
    the film; None when no film was read), ``film`` (words such as ``"schistocytes"``, ``"platelet_clumps"``), and a
    coagulation screen: ``pt_seconds``, ``aptt_seconds`` (s), ``fibrinogen`` (g/L), ``d_dimer`` (mg/L FEU).

    >>> result = interpret_cbc(age_years=40, sex="female", platelets=32, wbc=6, anc=3, lymphocytes=2,
    ...                        haemoglobin=13)
    >>> result.pattern_names, result.most_urgent
    (('isolated thrombocytopenia',), 'immediate')
    """
    result = cbc.interpret_cbc(
        ranges=ranges if ranges is not None else course_ranges(),
        patterns=patterns if patterns is not None else course_patterns(),
        anaemia_cutoffs=course_anaemia_cutoffs(),
        **blood_count,  # type: ignore[arg-type]
    )
    _cite(result.sources, "blood count interpreter")
    return result


# ---------------------------------------------------------------------------------------------- symptom timeline


@cache
def symptom_rules() -> symptoms.SymptomRuleSet:
    """Lesson 05's symptom rules from ``data/symptom_rules.toml``, with the adult reference limits that define the
    first abnormal count (haemoglobin: below both sexes' ranges, above both)."""
    rules = tuple(
        symptoms.SymptomRule(
            key=r.key,
            label=r.label,
            quantity=r.quantity,
            threshold=r.threshold,
            below=r.direction == "below",
            unit=r.units,
            group=r.group,
            sources=tuple(r.sources),
            teaching_choice=r.teaching_choice,
            presets=r.presets,
            urgency=r.urgency,
            next_step=r.next_step,
        )
        for r in cbc_rules.symptom_rules()
    )
    adult = course_adult_ranges()
    limits = {
        "platelets": (adult.platelets.low, adult.platelets.high),
        "wbc": (adult.wbc.low, adult.wbc.high),
        "anc": (adult.anc.low, adult.anc.high),
        "haemoglobin": (
            min(adult.haemoglobin_male.low, adult.haemoglobin_female.low),
            max(adult.haemoglobin_male.high, adult.haemoglobin_female.high),
        ),
    }
    return symptoms.SymptomRuleSet(rules, limits)


def symptom_timeline(result: progression.ProgressionResult, *, after: float = 0) -> symptoms.SymptomTimeline:
    """The day each expected sign first appears in a simulated course, by the course's symptom rules.

    ``result`` is a simulated course (:func:`simulate`), ``after`` a day ≥ 0.
    """
    timeline = symptoms.symptom_timeline(result, symptom_rules(), after=after)
    _cite(timeline.source_keys(), "symptom timeline")
    return timeline


# The symptom model takes its rules as data; register the course's so that
# ``petechiae_edu.models.symptoms.symptom_timeline(result)`` keeps working for lessons that call it directly.
symptoms.use_course_rules(symptom_rules)


# ---------------------------------------------------------------------------------------------- progression


def preset_parameters(name: str) -> progression.ProgressionParameters:
    """The parameters of a preset (``healthy``, ``aml``, ``all``, ``cml``, ``cll``) from the content store, with
    what it does not set inherited from the healthy preset (:func:`petechiae_edu.content.progression_data.
    merged_preset` holds that rule); registers the preset's sources."""
    preset = progression_data.merged_preset(name)
    _cite(preset.sources, f"progression ({preset.key})")
    return progression.ProgressionParameters(
        preset=preset.key, treatment=preset.treatment, units=preset.units, **preset.values
    )


def simulate(
    parameters: progression.ProgressionParameters | str,
    *,
    days: int = progression.FIVE_YEARS_DAYS,
    treatment: bool = True,
    treatment_start_day: float | None = None,
    clone_net_growth: float | None = None,
    steps_per_day: int = 1,
) -> progression.ProgressionResult:
    """Simulate ``days`` days of blood counts for a preset name (e.g. ``"aml"``) or :class:`ProgressionParameters`.

    The other arguments are those of :func:`petechiae_edu.models.progression.simulate`.
    """
    validation.instance(
        parameters, "parameters", (str, progression.ProgressionParameters), "give a preset name such as 'aml'"
    )
    return progression.simulate(
        preset_parameters(parameters) if isinstance(parameters, str) else parameters,
        days=days,
        treatment=treatment,
        treatment_start_day=treatment_start_day,
        clone_net_growth=clone_net_growth,
        steps_per_day=steps_per_day,
    )


# ---------------------------------------------------------------------------------------------- clinical cases


def generate_case(case_key: str, seed: int) -> cases.CaseVersion:
    """The version ``seed`` of the case ``case_key`` from ``data/cases/`` (counts ×10^9/L, Hb g/dL).

    >>> version = generate_case("child-itp", seed=1)
    >>> version.steps[1].count("platelets").range_low <= version.steps[1].count("platelets").value <= 25
    True

    Raises KeyError for an unknown case key (listing the known ones), TypeError for a seed that is not a
    whole number and ValueError for a negative seed.
    """
    cases.check_seed(seed)
    case = case_files.case(case_key)
    _cite(case.sources, f"case {case.key}")
    return cases.vary_case(case, seed, analytes=case_files.ANALYTES, white_cell_parts=case_files.WHITE_CELL_PARTS)


# What is cached here was built from the content store: content.clear_cache() forgets it too.
for _built_from_content in (
    default_model,
    _normal_kinetics,
    _course_table,
    course_patterns,
    course_anaemia_cutoffs,
    symptom_rules,
):
    content.on_clear_cache(_built_from_content.cache_clear)
