"""What the virtual-patient explorer sends to the browser once per patient: its tables, marks and description.

The day slider runs over a fixed window, from :data:`DAYS_BEFORE_DIAGNOSIS` days before diagnosis to the
simulation's last day after it (365 by default), whatever the patient: the figure's x axis spans the same window,
so the data-to-SVG transform the front end holds stays right when another patient is drawn. For each day of that
window this module computes, once: the description sentence (the whole sentence, a Python-made string, so the
front end shows exactly what :meth:`VirtualPatientExplorer.sentence` says), the three counts the dots sit on,
whether the patient is alive and inside the simulated course that day (the dots are hidden otherwise), and the
petechiae per body region. The spot sampler keeps a fixed seeded pool per region and shows its first n spots
(:class:`~petechiae_edu.models.petechiae.PetechiaeSampler`), so one pool per region and n per region and day
reproduce every picture. About 430 days: the tables are about 40 KB of JSON.
"""

from __future__ import annotations

import numpy as np

from ..live import Tables
from ..models import petechiae
from ..models.survival import PatientCourse

DAYS_BEFORE_DIAGNOSIS = 60  # the player starts two months before diagnosis, as the counts start to fall
SPOT_DAYS = 3.0  # the petechiae shown are those of about three days at that day's count (illustrative)
SPOT_RADIUS_POINTS = float(np.sqrt(5.0) / 2)  # the body map's scatter, s=5 points², as a circle radius in points
DOT_GIDS = ("vp_dot_platelets", "vp_dot_anc", "vp_dot_haemoglobin")
LOWEST_SHOWN = 0.01  # ×10^9/L: the log axis' floor (a count of 0 is drawn there)


def first_day(course: PatientCourse) -> int:
    """The first course day drawn: two months before diagnosis, or the start of the simulation."""
    return max(course.diagnosis_day - DAYS_BEFORE_DIAGNOSIS, 0)


def what_happens(course: PatientCourse, day: int, spots: int) -> str:
    """The events of course day ``day`` in words ('an infection with fever (≥38 °C), 12 petechiae visible')."""
    if course.death_day is not None and day >= course.death_day:
        return f"the patient died of {course.cause} on this day; the model's counts stop at death"
    events = []
    if course.intracranial[day]:
        events.append("an intracranial bleed")
    if course.bleeding_grade3[day]:
        events.append("WHO grade ≥3 bleeding")
    elif course.bleeding_grade2[day]:
        events.append("WHO grade 2 bleeding")
    if course.infected[day]:
        events.append("an infection with fever (≥38 °C)")
    if course.treatment_start_day is not None and course.treatment_start_day <= day < course.treatment_start_day + 7:
        events.append("treatment under way")
    if course.transformation_day is not None and day >= course.transformation_day:
        events.append("blast phase")
    events.append(f"{spots} petechiae visible" if spots else "no petechiae")
    return ", ".join(events)


def shown_on(course: PatientCourse, day: int) -> bool:
    """True if course day ``day`` is inside the drawn course and the patient is alive (counts exist)."""
    inside = first_day(course) <= day <= course.last_day
    return inside and bool(np.isfinite(course.platelets[day]))


def spots_on(course: PatientCourse, day: int, sampler: petechiae.PetechiaeSampler) -> petechiae.PetechiaeSample | None:
    """The petechiae of course day ``day`` (None when there are no counts that day)."""
    if not shown_on(course, day):
        return None
    return sampler.sample(float(course.platelets[day]), SPOT_DAYS)


def day_sentence(course: PatientCourse, preset: str, after: int, sampler: petechiae.PetechiaeSampler) -> str:
    """The description for day ``after`` after diagnosis (negative: before it); counts ×10^9/L, Hb g/dL."""
    day = course.diagnosis_day + after
    name = preset.upper()
    when = f"Day {after} after diagnosis" if after >= 0 else f"{-after} days before diagnosis"
    if day < first_day(course):
        start = course.diagnosis_day - first_day(course)
        return f"{when} ({name}): before the simulated course, which starts {start} days before diagnosis."
    if course.death_day is not None and day > course.death_day:
        died = course.death_day - course.diagnosis_day
        return (
            f"{when} ({name}): no counts after death; the patient died of {course.cause} on day {died} after "
            "diagnosis and the model's counts stop at death."
        )
    if day > course.last_day:
        return f"{when} ({name}): after the end of the simulated course."
    sample = spots_on(course, day, sampler)
    counts = (
        f"platelets {course.platelets[day]:.0f} ×10^9/L, neutrophils {course.anc[day]:.2f} ×10^9/L, "
        f"haemoglobin {course.haemoglobin[day]:.1f} g/dL"
    )
    return f"{when} ({name}): {counts}; {what_happens(course, day, sample.total if sample else 0)}."


def course_tables(
    control_specs: dict, course: PatientCourse, preset: str, sampler: petechiae.PetechiaeSampler
) -> tuple[dict, list[str]]:
    """(tables, region keys) over the day slider's grid for one patient."""
    tables = Tables(control_specs)
    afters = [round(value) for value in tables.grid("day")]
    regions = [region.key for region in petechiae.REGIONS]
    sentences, dots = [], np.zeros((len(afters), 3))
    shown = np.zeros(len(afters), dtype=int)
    spots = np.zeros((len(afters), len(regions) + 1), dtype=int)
    for i, after in enumerate(afters):
        day = course.diagnosis_day + after
        sentences.append(day_sentence(course, preset, after, sampler))
        if 0 <= day < course.platelets.size and shown_on(course, day):
            shown[i] = 1
            values = (course.platelets[day], course.anc[day], course.haemoglobin[day])
            dots[i] = [max(float(v), LOWEST_SHOWN) for v in values]
            sample = spots_on(course, day, sampler)
            spots[i, :-1] = [sample.counts_by_region[key] for key in regions]
            spots[i, -1] = sample.total
        else:
            dots[i] = [LOWEST_SHOWN, LOWEST_SHOWN, 0.0]
    tables.texts("sentence", np.asarray(sentences, dtype=object), ["day"])
    tables.numbers("dots", dots, ["day"])
    tables.numbers("shown", shown, ["day"], dtype="u8")
    tables.numbers("spots", spots, ["day"], dtype="u16")
    most = sampler.sample(float(np.nanmin(course.platelets[first_day(course) : course.last_day + 1])), SPOT_DAYS)
    keys = np.asarray(most.region_keys)
    largest = spots.max(axis=0)
    for position, key in enumerate(regions):
        pool = most.positions[keys == key]
        if len(pool) < largest[position]:
            raise RuntimeError(f"the {key} pool holds {len(pool)} spots, but a day shows {largest[position]}")
        tables.numbers(f"pool_{key}", np.round(pool[: largest[position]], 2))
    return tables.tables, regions


def marks(regions: list[str], fill: str) -> list[dict]:
    """The day line, the three dots (hidden with no counts) and the petechiae (``fill``: their CSS colour)."""
    day = {"control": "day"}
    moving: list[dict] = [{"kind": "vline", "gid": "vp_day_line", "axes": "course", "x": day, "clamp": True}]
    for item, gid in enumerate(DOT_GIDS):
        axes = "haemoglobin" if gid == "vp_dot_haemoglobin" else "course"
        y = [{"table": "dots", "item": item}]
        moving.append({"kind": "points", "gid": gid, "axes": axes, "x": [day], "y": y, "clamp": True})
        moving.append({"kind": "show", "gid": gid, "when": {"table": "shown"}})
    moving.append(
        {"kind": "scatter", "gid": "vp_spots", "axes": "body", "radius": SPOT_RADIUS_POINTS, "fill": fill,
         "pools": [{"table": f"pool_{key}"} for key in regions],
         "counts": [{"table": "spots", "item": i} for i in range(len(regions))]}
    )  # fmt: skip
    return moving


def description() -> list:
    """The sentence is one Python-made string per day."""
    return [{"table": "sentence"}]
