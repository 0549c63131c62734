"""The virtual patient bound to the course's data: ``simulate_patients("aml")`` and its calibration table.

This module reads ``data/calibration/virtual_patient.toml`` (:mod:`petechiae_edu.content.patient_data`), fits the
infection hazard's scale to Bodey's 39 % (a closed bisection, no scipy), integrates the small grid of deterministic
courses once per (preset, treatment, length) with :func:`petechiae_edu.calibrated.simulate` (cached), builds the
bleeding and petechiae look-up tables from :func:`petechiae_edu.calibrated.bleeding_probability` and
:func:`petechiae_edu.models.petechiae.new_petechiae_rate`, and registers the sources it rests on (the PyBaMM
pattern of :mod:`petechiae_edu.calibrated`). The model is in :mod:`petechiae_edu.models.virtual_patient`.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from . import calibrated, citations, content, validation
from .content import patient_data
from .models import petechiae as petechiae_model
from .models import progression
from .models.infection import InfectionParameters, fit_hazard_scale, infection_hazard
from .models.patient_events import CountTable, EventParameters
from .models.survival import PatientGroup
from .models.virtual_patient import (
    Course,
    NaturalHistory,
    TreatedCourse,
    early_hazard_for_median,
    growth_factors,
    simulate_group,
    yearly_probability_to_hazard,
)

MAX_DAYS = 10 * 366
TABLE_POINTS = 512
DAYS_PER_MONTH = 30.44
REFUSED_PRESETS = {
    "all": (
        "preset = 'all' (childhood acute lymphoblastic leukaemia) is refused by the virtual patient: its event rates "
        "are those of older adults (Bodey's infection rates, Kuderer's 9.5 % febrile-neutropenia mortality per "
        "episode, the adult bleeding curve) and it has no paediatric infection, bleeding or treatment-mortality "
        "rates, so it would kill about a third of treated children in induction. Over 90 % of children with ALL "
        "treated on protocols now survive 5 years (Pui 2018). Use 'aml', 'cml', 'cll' or 'healthy'; the counts of "
        "the ALL preset are still in calibrated.simulate('all')."
    ),
}


def _value(key: str) -> float:
    figures = patient_data.figures()
    return figures[key].value if key in figures else patient_data.assumptions()[key].value


def _cite_patient(model: str = "virtual patient") -> None:
    keys = [k for f in patient_data.figures().values() if f.use == "fit" for k in f.sources]
    citations.cite(*dict.fromkeys(keys), by=f"model: {model}")


@cache
def infection_parameters() -> InfectionParameters:
    """The infection model with its scale fitted to Bodey's 39 % per episode (see the data file)."""
    base = InfectionParameters(
        neutropenia_below=_value("bodey_neutropenia_threshold"),
        anc_exponent=_value("infection_anc_exponent"),
        anc_floor=_value("infection_anc_floor"),
        gain_per_week=_value("infection_gain_per_week"),
        episode_days=int(_value("infection_episode_days")),
        case_fatality_with_antibiotics=_value("kuderer_fn_mortality"),
        case_fatality_without_antibiotics=_value("infection_fatality_without_antibiotics"),
    )
    scale = fit_hazard_scale(
        _value("bodey_episode_infection_share"),
        _value("reference_episode_anc"),
        int(_value("reference_episode_days")),
        base,
    )
    return InfectionParameters(**{**base.__dict__, "hazard_scale": scale})


@cache
def _tables() -> tuple[CountTable, CountTable]:
    model = calibrated.default_model()
    grid = CountTable.grid(0.5, 1000.0, TABLE_POINTS)
    fever = calibrated.course_fever_odds_ratio()
    anaemia = model.effects["haematocrit_25_or_less"]
    values = np.empty((2, 2, 2, TABLE_POINTS))
    # The bleeding model describes patients on treatment in hospital (PLADO), who also bleed from causes other than
    # the count (mucositis, cystitis, procedures): their risk at >=81 x10^9/L is far from zero. A patient with an
    # untreated leukaemia does not have those causes, so the virtual patient bleeds only by the EXCESS risk of a
    # count over the risk at the model's upper count (an assumption: 'bleeding_excess_over_reference' in the data).
    reference = np.array([_value("bleeding_upper_count")])
    for g, grade in enumerate((2, 3)):
        for f, fever_ratio in enumerate((1.0, fever)):
            for h, hct_ratio in enumerate((1.0, anaemia)):
                ratio = fever_ratio * hct_ratio
                at_count = calibrated.bleeding_probability(grid, grade=grade, odds_ratio=ratio)
                at_reference = calibrated.bleeding_probability(reference, grade=grade, odds_ratio=ratio)[0]
                values[g, f, h] = np.clip(at_count - at_reference, 0.0, 1.0)
    expected = sum(
        petechiae_model.new_petechiae_rate(grid, r.key) * r.area_cm2 / 100 * petechiae_model.VISIBLE_DAYS
        for r in petechiae_model.REGIONS
    )
    return CountTable(0.5, 1000.0, values), CountTable(0.5, 1000.0, 1.0 - np.exp(-expected))


def event_parameters(supportive_care: bool) -> EventParameters:
    """The daily-event numbers from the data file (with or without supportive care)."""
    bleeding_table, petechiae_table = _tables()
    return EventParameters(
        infection=infection_parameters(),
        bleeding=bleeding_table,
        petechiae=petechiae_table,
        bleeding_upper_count=_value("bleeding_upper_count"),
        intracranial_daily=_value("plado_cns_bleeding_days"),
        intracranial_below=_value("intracranial_below_count"),
        intracranial_high_count=_value("ich_plado_count"),
        intracranial_low_count=_value("ich_gmur_count"),
        intracranial_daily_low=_value("gmur_ich_below_1"),
        intracranial_fatality=_value("ich_direct_fatality"),
        supportive_care=supportive_care,
        transfusion_trigger=_value("prophylaxis_trigger"),
        transfused_mean_count=_value("transfused_mean_count"),
        transfused_haemoglobin=_value("transfused_haemoglobin"),
    )


def require_adult_preset(preset: str) -> str:
    """``preset`` if the virtual patient may simulate it; a clear refusal (why, with the source) if not."""
    validation.instance(preset, "preset", str, f"a preset name: {', '.join(progression.PRESETS)}")
    if preset not in progression.PRESETS:
        raise validation.InputValueError(f"preset = {preset!r}; expected one of {', '.join(progression.PRESETS)}")
    if preset in REFUSED_PRESETS:
        citations.cite("pui2018", by="refusal: virtual patient (childhood ALL)")
        raise validation.InputValueError(REFUSED_PRESETS[preset])
    return preset


def presentation_day(result: progression.ProgressionResult, rule_keys: tuple[str, ...]) -> int | None:
    """The first day a presenting symptom rule is met in a course (None: never)."""
    if not rule_keys:
        return None
    timeline = calibrated.symptom_timeline(result)
    days = [timeline.first_day(key) for key in rule_keys]
    found = [d for d in days if d is not None]
    return min(found) if found else None


def _counts_of(result: progression.ProgressionResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return result.platelets, result.anc, result.haemoglobin


def treatment_start_grid(course: progression.ProgressionResult, present: int) -> list[int]:
    """Days on which treatment may start: every ``treatment_start_step`` days from the first day the platelets are
    below 120 or the ANC below 1.5 ×10^9/L (when bleeding or infection, and so diagnosis, become possible in a
    patient whose counts run 20 % below the course) up to the rule day ``present``."""
    step = int(_value("treatment_start_step"))
    firsts = [course.first_day("anc", below=1.5), course.first_day("platelets", below=120.0), present]
    earliest = min(day for day in firsts if day is not None)
    return sorted({*range(present, earliest - 1, -step), earliest})


@lru_cache(maxsize=16)
def courses(preset: str, treatment: bool, days: int) -> tuple[Course, ...]:
    """The grid of deterministic courses of ``preset`` (cached), each covering presentation + ``days`` + 1 days."""
    parameters = calibrated.preset_parameters(preset)
    rules = patient_data.presentation_rules()[preset].symptom_rules
    points = 1 if parameters.clone_start_fraction == 0 else int(_value("growth_grid_points"))
    factors = growth_factors(points, _value("growth_spread_sd"))
    growths = [parameters.clone_net_growth * float(f) for f in factors]
    untreated = [
        calibrated.simulate(parameters, days=progression.FIVE_YEARS_DAYS, treatment=False, clone_net_growth=g)
        for g in growths
    ]
    presents = [presentation_day(course, rules) for course in untreated]
    length = max([p for p in presents if p is not None] or [0]) + days + 2
    treat = treatment and parameters.treatment_plan().active
    built = []
    for factor, growth, present, course in zip(factors, growths, presents, untreated, strict=True):
        course = calibrated.simulate(parameters, days=length, treatment=False, clone_net_growth=growth)
        treated = ()
        if treat and present is not None:
            treated = tuple(
                TreatedCourse(start, *_counts_of(calibrated.simulate(
                    parameters, days=length, treatment=True, treatment_start_day=start, clone_net_growth=growth
                )))
                for start in treatment_start_grid(course, present)
            )  # fmt: skip
        built.append(Course(float(factor), *_counts_of(course), present, treated))
    return tuple(built)


@lru_cache(maxsize=4)
def _blast_phase(days: int) -> Course:
    aml = calibrated.simulate("aml", days=progression.FIVE_YEARS_DAYS + days, treatment=False)
    start = aml.first_day("platelets", below=150.0) or 0
    return Course(1.0, aml.platelets[start:], aml.anc[start:], aml.haemoglobin[start:], None)


def natural_history(preset: str, days: int) -> NaturalHistory:
    """The chance events beyond the counts for ``preset`` (CML transformation, CLL immune thrombocytopenia)."""
    spread = _value("count_variation_sd")
    if preset == "cml":
        citations.cite("alpfmedical_cml_natural_history", "kantarjian2012", by="model: virtual patient (CML)")
        late = yearly_probability_to_hazard(_value("cml_late_transformation_yearly"))
        early = early_hazard_for_median(_value("cml_chronic_phase_median_years"), late, 2.0)
        return NaturalHistory(spread, early, late, 2.0, _blast_phase(days))
    if preset == "cll":
        return NaturalHistory(
            spread,
            itp_per_year=_value("cll_itp_per_year"),
            itp_platelet_count=_value("visco_cll_itp_count"),
            itp_days=int(_value("cll_itp_days")),
        )
    return NaturalHistory(spread)


def simulate_patients(
    preset: str,
    *,
    patients: int = 1000,
    days: int = 365,
    treatment: bool = False,
    supportive_care: bool = False,
    seed: int = 0,
) -> PatientGroup:
    """Simulate ``patients`` virtual patients of a progression preset for ``days`` days after diagnosis.

    ``preset``: ``"aml"``, ``"cml"``, ``"cll"`` or ``"healthy"`` (``"all"`` is refused: the model's event rates are
    adult ones, see :data:`REFUSED_PRESETS`); ``treatment``: the preset's treatment
    (induction, TKI) from the day the counts bring the patient to a doctor; ``supportive_care``: prophylactic
    platelets below 10 ×10^9/L, red cells, prompt antibiotics for fever in neutropenia; ``seed``: the random
    numbers (same seed, same patients). Returns a :class:`~petechiae_edu.models.survival.PatientGroup`:
    ``dead_by(90)``, ``deaths_by_cause``, ``survival_curve()``, ``share_infected()`` ...

    >>> group = simulate_patients("aml", patients=200, seed=1)
    >>> 0 <= group.dead_by(90) <= 1
    True
    """
    preset = require_adult_preset(preset)
    days = validation.whole_number(days, "days", low=1, high=MAX_DAYS, unit="days after diagnosis")
    treatment = validation.flag(treatment, "treatment")
    supportive_care = validation.flag(supportive_care, "supportive_care")
    seed = validation.whole_number(seed, "seed", low=0)
    _cite_patient()
    calibrated.preset_parameters(preset)  # registers the preset's sources
    return simulate_group(
        courses(preset, treatment, days),
        preset=preset,
        patients=patients,
        days=days,
        treatment=treatment,
        seed=seed,
        events=event_parameters(supportive_care),
        natural=natural_history(preset, days),
    )


def bleeding_death_share(group: PatientGroup) -> float | None:
    """Share (0–1) of a group's deaths within its follow-up that were from bleeding (None: nobody died)."""
    causes = group.deaths_by_cause
    total = sum(causes.values())
    return causes["bleeding"] / total if total else None


def _blast_phase_median_months(group: PatientGroup) -> float | None:
    """Median months from blast transformation to death among patients transformed at least a year before the end
    of follow-up (so nearly none are still alive when it ends)."""
    end = group.diagnosis_day + group.days
    seen = (group.transformation_day >= 0) & (group.transformation_day <= end - 365) & (group.death_day >= 0)
    if not seen.any():
        return None
    return float(np.median(group.death_day[seen] - group.transformation_day[seen])) / DAYS_PER_MONTH


def _share_with_low_platelets(group: PatientGroup, below: float, days: int) -> float:
    """Share (0–1) of patients whose platelets fall to ``below`` ×10^9/L or less within ``days`` of diagnosis."""
    offsets = group.diagnosis_day[:, None] + np.arange(days + 1)[None, :]
    counts = np.take_along_axis(group.platelets, np.minimum(offsets, group.platelets.shape[1] - 1), axis=1)
    return float(np.mean(np.any(counts <= below, axis=1)))


def _weekly_fall_infection() -> float:
    """Chance of any infection in a week in which the ANC falls from 0.99 to 0.1 ×10^9/L (the fitted hazard)."""
    hazard = infection_hazard(np.geomspace(0.99, 0.1, 7), np.arange(1, 8), infection_parameters())
    return float(1 - np.prod(1 - hazard))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def check_table(
    group_by: dict[tuple[bool, bool], PatientGroup] | None = None, *, patients: int = 2000
) -> list[dict[str, object]]:
    """Every ``use = "check"`` figure of ``data/calibration/virtual_patient.toml`` beside the model's value (never
    fitted).

    ``group_by`` may pass AML groups already simulated, keyed by (treatment, supportive_care); the others are
    simulated with ``patients`` patients, 365 days, seed 0 (the CML and CLL checks over 6 and 5 years). Returns rows
    (key, description, published, model, unit, compared_with, sources) for the lesson and the closing note. Shares
    are fractions 0–1; months are days / 30.44.
    """
    patients = validation.whole_number(patients, "patients", low=100, high=20_000)

    def aml(treatment: bool, care: bool) -> PatientGroup:
        if group_by and (treatment, care) in group_by:
            return group_by[(treatment, care)]
        return simulate_patients("aml", patients=patients, treatment=treatment, supportive_care=care, seed=0)

    bare, care, induction = aml(False, False), aml(False, True), aml(True, True)
    cml = simulate_patients("cml", patients=patients, days=6 * 365, seed=0)
    cll = simulate_patients("cll", patients=patients, days=5 * 365, seed=0)
    itp_count = _value("visco_cll_itp_count")

    def months(group: PatientGroup) -> float | None:
        median = group.median_survival_days()
        return None if median is None else median / DAYS_PER_MONTH

    supportive = "AML, untreated, supportive care"
    no_care = "AML, untreated, no supportive care"
    induced = "AML, induction + supportive care"
    model: dict[str, tuple[float | None, str]] = {
        "oran_untreated_median_months": (_round(months(care), 1), f"{supportive}: median survival"),
        "seer_supportive_dead_3_months": (round(care.dead_by(91), 2), f"{supportive}: dead by day 91"),
        "seer_supportive_dead_6_months": (round(care.dead_by(183), 2), f"{supportive}: dead by day 183"),
        "seer_supportive_alive_1_year": (round(1 - care.dead_by(365), 2), f"{supportive}: alive at day 365"),
        "dharmani_no_care_dead_60_days": (round(bare.dead_by(60), 2), f"{no_care}: dead by day 60"),
        "dharmani_no_care_dead_180_days": (round(bare.dead_by(180), 2), f"{no_care}: dead by day 180"),
        "hersh_haemorrhage_death_share": (
            _round(bleeding_death_share(bare)),
            f"{no_care}: share of deaths from bleeding (one cause each; published: a contributing cause)",
        ),
        "kantarjian2010_4_week_mortality": (round(induction.dead_by(28), 2), f"{induced}: dead by day 28"),
        "kantarjian2010_8_week_mortality": (round(induction.dead_by(56), 2), f"{induced}: dead by day 56"),
        "kantarjian2010_median_months": (_round(months(induction), 1), f"{induced}: median survival"),
        "kantarjian2010_alive_1_year": (round(1 - induction.dead_by(365), 2), f"{induced}: alive at day 365"),
        "bodey_weekly_fall_severe_infection": (
            round(_weekly_fall_infection(), 2),
            "infection model: any infection in a week of ANC 1.0 → 0.1 ×10^9/L (the published severe share is a floor)",
        ),
        "kantarjian_blast_median_months": (
            _round(_blast_phase_median_months(cml), 1),
            "CML, untreated: blast transformation to death, median (published series treated, so longer)",
        ),
        "visco_cll_itp_share": (
            round(_share_with_low_platelets(cll, itp_count, 5 * 365), 3),
            f"CLL, untreated: platelets ≤{itp_count:g} ×10^9/L within 5 years (immune thrombocytopenia)",
        ),
    }
    figures = patient_data.figures()
    unreported = sorted(k for k, f in figures.items() if f.use == "check" and k not in model)
    if unreported:
        raise RuntimeError(f"check figures with no model value in check_table(): {', '.join(unreported)}")
    rows = []
    for key, (value, compared_with) in model.items():
        figure = figures[key]
        citations.cite(*figure.sources, by="check: virtual patient")
        rows.append(
            {"key": key, "description": figure.description, "published": figure.value, "model": value,
             "unit": figure.unit, "compared_with": compared_with, "sources": figure.sources}
        )  # fmt: skip
    return rows


def _shown(value: object, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit in ("share", "probability"):
        return f"{100 * float(value):.1f} %" if float(value) < 0.1 else f"{100 * float(value):.0f} %"
    return f"{float(value):g} {unit}"


def check_report(rows: list[dict[str, object]] | None = None) -> str:
    """:func:`check_table` as lines of text: what the model's value is, the published value, and the figure's key
    (shares as %, months as months). Every line is a check: the model never saw the published number."""
    rows = check_table() if rows is None else rows
    return "\n".join(
        f"{row['compared_with']}: model {_shown(row['model'], str(row['unit']))}, "
        f"published {_shown(row['published'], str(row['unit']))} [{row['key']}]"
        for row in rows
    )


content.on_clear_cache(infection_parameters.cache_clear)
content.on_clear_cache(_tables.cache_clear)
content.on_clear_cache(courses.cache_clear)
content.on_clear_cache(_blast_phase.cache_clear)
