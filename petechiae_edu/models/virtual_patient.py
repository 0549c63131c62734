"""Virtual patients: many courses of the progression model with chance events, death and survival from diagnosis.

How it is fast (1,000 patients × 365 days in well under 100 ms once the courses are cached)
    The progression ODE is NOT integrated per patient. The caller (:mod:`petechiae_edu.patients`) integrates a
    small grid of deterministic courses once (clone growth rates spread around the preset's, at the quantiles of a
    log-normal), and each patient is given one course from the grid plus a seeded multiplier on the platelet
    count and one on the neutrophil count (between-patient variation). The daily events are then drawn for all
    patients at once (:mod:`petechiae_edu.models.patient_events`).

Diagnosis and treatment (the model's rules)
    A patient presents on the first day of either (a) a symptom rule of the course met by their course's counts
    (``data/symptom_rules.toml``; which rules count for each preset is listed in
    ``data/calibration/virtual_patient.toml``, e.g. "petechiae expected" below 20 ×10^9/L platelets or "pallor and
    fatigue" below 10 g/dL haemoglobin for acute leukaemia), or (b) an event that brings people to a doctor: WHO
    grade ≥2 bleeding, an infection (fever) or an intracranial bleed. Treatment (``treatment=True``) starts within a
    few days of diagnosis: each course is also integrated with treatment starting on a grid of days (every few days
    up to the rule (a) day), and a patient follows the first grid day on or after their diagnosis. The events are
    drawn twice with the same random numbers, untreated to find the diagnosis day and then on the treated counts,
    which are the same until treatment starts, so the diagnosis day does not move.

Natural history beyond the counts
    - CML (untreated): blast transformation at a low yearly hazard for the first two years after diagnosis, then
      at 22.5 %/year; the early hazard is derived so the chronic phase lasts a median 4.2 years. Both numbers are
      ASSUMED from a secondary reading (20–25 %/year after year 2, median 4.2 years; no primary series read).
      After transformation the counts follow the untreated AML course from the day its platelets start to fall:
      blast phase behaves as acute leukaemia. Under a TKI the model does
      not transform (an ASSUMPTION; since 2001 8-year survival in chronic phase is 87 %, Kantarjian 2012).
    - CLL: immune thrombocytopenia (5 % of 1,278 patients in Visco 2008, median count 14 ×10^9/L) as episodes of
      ASSUMED yearly hazard and length, during which platelets fall to that count. The bleeding model was built
      for marrow failure and overstates bleeding in immune thrombocytopenia (younger, better platelets).

Assumptions and limits
    Every event rate is an ADULT one (Bodey's infection rates, Kuderer's 9.5 % febrile-neutropenia mortality applied
    at every episode, the adult bleeding curve, PLADO's and Gmür's intracranial rates), so the caller refuses the
    childhood ALL preset (:data:`petechiae_edu.patients.REFUSED_PRESETS`). One average older adult per preset;
    between-patient variation only in clone growth and two count multipliers (ASSUMED spreads); no age, comorbidity,
    drug toxicity, mucositis, lines, or refractoriness to transfusion; infection and intracranial bleeding are the
    only causes of death (the intracranial chance rises below 10 ×10^9/L with an ASSUMED log-linear shape,
    :mod:`petechiae_edu.models.patient_events`), and the model's counts stop at death (so haemoglobin never drifts
    to values nobody lives with). Every number is in ``data/calibration/virtual_patient.toml`` with its source or
    marked ASSUMED. No I/O: the caller passes the courses and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .. import validation
from .patient_events import EventParameters, Events, draw_events, first_event_day
from .survival import PatientGroup

DAYS_PER_YEAR = 365.25
_EVENT_ARRAYS = ("infected", "bleeding_grade2", "bleeding_grade3", "intracranial", "petechiae_probability")
MAX_PATIENTS = 100_000


@dataclass(frozen=True)
class Course:
    """One deterministic course of the progression model (course days; counts ×10^9/L, haemoglobin g/dL)."""

    growth_factor: float
    platelets: np.ndarray
    anc: np.ndarray
    haemoglobin: np.ndarray
    presentation_day: int | None  # first day a presenting symptom rule is met; None: never
    treated: tuple[TreatedCourse, ...] = ()  # the same course treated from different days (ascending start)


@dataclass(frozen=True)
class TreatedCourse:
    """A course treated from ``start_day``: identical to the untreated one before that day."""

    start_day: int
    platelets: np.ndarray
    anc: np.ndarray
    haemoglobin: np.ndarray


@dataclass(frozen=True)
class NaturalHistory:
    """Chance events beyond the counts: CML blast transformation and CLL immune thrombocytopenia."""

    count_variation_sd: float = 0.2  # ASSUMED log-scale spread of platelet and neutrophil multipliers
    transformation_early_per_year: float = 0.0  # hazard per year, first ``transformation_late_after_years``
    transformation_late_per_year: float = 0.0  # hazard per year afterwards
    transformation_late_after_years: float = 2.0
    blast_phase: Course | None = None  # counts after transformation, from its day 0
    itp_per_year: float = 0.0
    itp_platelet_count: float = 14.0
    itp_days: int = 28


def growth_factors(points: int, spread_sd: float) -> np.ndarray:
    """Multipliers of the clone's net growth at the mid-quantiles of a log-normal with log-sd ``spread_sd``."""
    points = validation.whole_number(points, "points", low=1, high=101)
    normal = NormalDist()
    z = np.array([normal.inv_cdf((i + 0.5) / points) for i in range(points)])
    return np.exp(spread_sd * z)


def yearly_probability_to_hazard(probability: float) -> float:
    """A yearly probability (e.g. 0.225) as a constant hazard per year."""
    return -float(np.log1p(-probability))


def early_hazard_for_median(median_years: float, late_hazard: float, late_after_years: float) -> float:
    """The early yearly hazard that gives a median time to the event of ``median_years`` when the hazard is
    ``late_hazard`` after ``late_after_years`` (a median beyond the switch; closed form)."""
    need = np.log(2.0) - late_hazard * (median_years - late_after_years)
    if median_years <= late_after_years or need < 0:
        raise ValueError(f"a median of {median_years} years cannot be reached with these hazards")
    return float(need / late_after_years)


def _delay_days(rng, patients: int, early: float, late: float, switch_years: float) -> np.ndarray:
    """Days to a piecewise-constant-hazard event (hazards per year); inf when both hazards are 0."""
    exposure = rng.exponential(size=patients)
    with np.errstate(divide="ignore"):
        early_years = np.where(early > 0, exposure / max(early, 1e-300), np.inf)
        late_years = np.where(late > 0, switch_years + (exposure - early * switch_years) / max(late, 1e-300), np.inf)
    years = np.where(exposure < early * switch_years, early_years, late_years)
    return years * DAYS_PER_YEAR


def simulate_group(
    courses: tuple[Course, ...],
    *,
    preset: str,
    patients: int,
    days: int,
    treatment: bool,
    seed: int,
    events: EventParameters,
    natural: NaturalHistory,
) -> PatientGroup:
    """Give each of ``patients`` patients a course from ``courses`` and draw their days (see the module docstring).

    Every course must cover ``max(presentation day) + days + 1`` days.
    """
    patients = validation.whole_number(patients, "patients", low=1, high=MAX_PATIENTS)
    rng = np.random.default_rng(seed)
    presentation = [c.presentation_day for c in courses]
    window = max([d for d in presentation if d is not None] or [0]) + days + 1
    which = rng.integers(0, len(courses), patients)
    multipliers = np.exp(natural.count_variation_sd * rng.standard_normal((2, patients, 1))).astype(np.float32)
    rule_day = np.array([window if d is None else d for d in presentation])[which]
    platelets, anc, haemoglobin = _counts([(c.platelets, c.anc, c.haemoglobin) for c in courses], which, window)
    platelets *= multipliers[0]
    anc *= multipliers[1]
    transformation = _natural_history(rng, natural, treatment, rule_day, window, multipliers, platelets, anc,
                                      haemoglobin)  # fmt: skip

    def diagnose(drawn: Events) -> np.ndarray:
        first = first_event_day(drawn)
        found = np.where((first >= 0) & (first < rule_day), first, rule_day)
        return np.where(found >= window, 0, found)  # never presents: followed from day 0

    start = np.full(patients, -1)
    if treatment and any(c.treated for c in courses):
        # the diagnosis needs only the days up to the last rule day: draw those, untreated, to choose each start
        horizon = int(min(window, rule_day[rule_day < window].max(initial=0) + 1))
        early = draw_events(platelets[:, :horizon], anc[:, :horizon], haemoglobin[:, :horizon], events, seed)
        start, platelets, anc, haemoglobin = _treated_counts(courses, which, diagnose(early), window, multipliers)
    drawn = draw_events(platelets, anc, haemoglobin, events, seed)
    diagnosis = diagnose(drawn)  # with treatment: as drawn above, the counts are the same until treatment starts

    if events.supportive_care:  # red-cell transfusions: the haemoglobin shown is the transfused one
        np.maximum(haemoglobin, np.float32(events.transfused_haemoglobin), out=haemoglobin)
    after_death = (drawn.death_day[:, None] >= 0) & (np.arange(window)[None, :] > drawn.death_day[:, None])
    for counts in (platelets, anc, haemoglobin):
        counts[after_death] = np.nan  # the counts stop at death
    for array in (platelets, anc, haemoglobin, *(getattr(drawn, f) for f in _EVENT_ARRAYS)):
        array.setflags(write=False)  # the result is frozen: its arrays too
    return PatientGroup(
        preset=preset,
        days=days,
        treatment=treatment,
        supportive_care=events.supportive_care,
        seed=seed,
        diagnosis_day=diagnosis.astype(int),
        death_day=drawn.death_day.astype(int),
        cause_code=drawn.cause_code.astype(int),
        transformation_day=transformation,
        treatment_start_day=np.asarray(start).astype(int),
        platelets=platelets,
        anc=anc,
        haemoglobin=haemoglobin,
        infected=drawn.infected,
        bleeding_grade2=drawn.bleeding_grade2,
        bleeding_grade3=drawn.bleeding_grade3,
        intracranial=drawn.intracranial,
        petechiae_probability=drawn.petechiae_probability,
    )


def _counts(arrays, which: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-patient (P, window) float32 platelets, ANC and haemoglobin from the courses' arrays."""
    # float32 halves the memory traffic of every daily array; counts need no more than 7 digits
    stacked = [np.stack([a[k][:window] for a in arrays]).astype(np.float32) for k in range(3)]
    return stacked[0][which], stacked[1][which], stacked[2][which]


def _treated_counts(courses, which, diagnosis, window, multipliers):
    """Each patient's course treated from the first grid day on or after their diagnosis (else the last)."""
    variants: list[TreatedCourse] = []
    first_index: list[int] = []
    for course in courses:
        first_index.append(len(variants))
        variants += list(course.treated)
    starts = np.array([v.start_day for v in variants])
    counts = np.array([len(c.treated) for c in courses])[which]
    base = np.array(first_index)[which]
    offset = np.zeros_like(base)
    for k in range(int(counts.max())):  # a few grid days: count those before the diagnosis
        inside = k < counts
        offset += inside & (starts[np.minimum(base + k, len(starts) - 1)] < diagnosis) & (k < counts - 1)
    chosen = base + offset
    platelets, anc, haemoglobin = _counts([(v.platelets, v.anc, v.haemoglobin) for v in variants], chosen, window)
    return starts[chosen], platelets * multipliers[0], anc * multipliers[1], haemoglobin


def _natural_history(rng, natural, treatment, rule_day, window, multipliers, platelets, anc, haemoglobin):
    """CML blast transformation and CLL immune thrombocytopenia, in place; returns the transformation days."""
    patients = rule_day.size
    transformation = np.full(patients, -1)
    if natural.blast_phase is not None and not treatment:
        delay = _delay_days(
            rng,
            patients,
            natural.transformation_early_per_year,
            natural.transformation_late_per_year,
            natural.transformation_late_after_years,
        )
        day = rule_day + np.floor(delay)
        blast = natural.blast_phase
        for i in np.flatnonzero((rule_day < window) & (day < window)):
            d = int(day[i])
            platelets[i, d:] = blast.platelets[: window - d] * multipliers[0, i]
            anc[i, d:] = blast.anc[: window - d] * multipliers[1, i]
            haemoglobin[i, d:] = np.minimum(haemoglobin[i, d], blast.haemoglobin[: window - d])
            transformation[i] = d
    if natural.itp_per_year > 0:
        delay = _delay_days(rng, patients, natural.itp_per_year, natural.itp_per_year, 1.0)
        day = rule_day + np.floor(delay)
        for i in np.flatnonzero((rule_day < window) & (day < window)):
            d = int(day[i])
            platelets[i, d : d + natural.itp_days] = np.minimum(
                platelets[i, d : d + natural.itp_days], natural.itp_platelet_count
            )
    return transformation
