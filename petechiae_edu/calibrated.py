"""The teaching models bound to the course's content store: the conveniences lessons, widgets and tests use.

The models in :mod:`petechiae_edu.models` are pure: they take their data (calibration points, fitted
parameters, reference ranges, preset parameters, cases) as arguments and never read a file. This module reads
that data from the content store (:mod:`petechiae_edu.content`) and hands it to the models, so a lesson can
write ``daily_bleeding_risk(8)``, ``simulate("aml")`` or ``generate_case("child-all", seed=1)``.
The bleeding model and the transfusion cohort live in :mod:`.calibrated_bleeding` (re-exported here): they read
the shipped fit ``data/calibration/bleeding_fitted.toml`` and fit nothing at run time.

Every function here registers the sources its model rests on when it runs (the PyBaMM pattern: models stay pure,
this seam cites), so ``show_sources()`` lists them even when a lesson calls ``daily_bleeding_risk(8)`` alone.
"""

from __future__ import annotations

from functools import cache

from . import citations, content, validation
from .calibrated_bleeding import (  # noqa: F401 (re-exported: lessons, widgets and tests import them from here)
    FEVER_COVARIATE,
    _cohort_draws,
    bleeding_probability,
    bootstrap_bleeding_model,
    cohort_check_summary,
    cohort_checks,
    count_where_risk_multiplies,
    course_fever_odds_ratio,
    daily_bleeding_risk,
    default_model,
    fit_bleeding_model,
    fitted_model_text,
    refit_bleeding_model,
    simulate_cohort,
)
from .content import cases as case_files
from .content import cbc_rules, progression_data
from .content import platelet_kinetics as kinetics_data
from .models import (
    anaemia,
    cases,
    cbc,
    cbc_patterns,
    cbc_ranges,
    platelet_kinetics,
    progression,
    symptoms,
)


def _cite(keys, model: str) -> None:
    citations.cite(*keys, by=f"model: {model}")


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
    >>> blood_count = next(step for step in version.steps if step.title == "The blood count and film")
    >>> blood_count.count("platelets").range_low <= blood_count.count("platelets").value <= 25
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
