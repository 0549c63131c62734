"""What the progression explorer (lesson 05) sends to the browser: its tables, marks and description template.

What is precomputed, and what keeps a kernel path
    A state of the explorer is (preset, clone growth, treatment start, treatment on/off, time scale). The clone
    growth slider has 301 steps (0–15 % per day by 0.05) and the treatment start 1826 (day 0–1825), so the whole
    grid is 5 presets × 301 × 1826 × 2 ≈ 5.5 million simulated courses (about 5.6 ms each here: 8 hours, and
    gigabytes of curves). So the browser gets, for the current preset and treatment start, the course of every
    growth step with and without treatment (602 courses, about 3.5 s to compute, cached per process): the four
    count curves at about 100 days of the window (all days would be five times the bytes for no visible
    difference at this width), the day each symptom rule is first met, whether the treatment line shows, and the
    whole description sentence as Python wrote it (so the browser's text equals ``describe_course`` exactly).
    The growth slider and the treatment toggle therefore move in the browser with no kernel round trip.

    Three controls keep a kernel path (``kernel=True``; disabled, with a note, in an offline handout):

    - the **treatment start**: each start day is a new set of 301 treated courses (about 1.7 s in Python);
    - the **preset**: it resets both sliders to the preset's values and changes the time window;
    - the **time scale**: the courses' positions for both scales are in the tables (so the curves switch at
      once), but the tick labels are part of the static layer, which Python redraws.

    The time axis of the live figure runs from 0 to 1 (:func:`~petechiae_edu.figures.progression.time_position`),
    so the axes' data-to-SVG transforms never change when the window or the scale does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..figures.progression import GROUP_ROW, HIDDEN_POSITION, PANELS, SYMPTOM_GROUPS, time_position
from ..live import Tables
from ..models.progression import ProgressionResult
from ..models.symptoms import SymptomRuleSet, SymptomTimeline

QUANTITIES = tuple(quantity for quantity, _label, _limits, _log in PANELS)
LINEAR_POINTS, LOG_POINTS = 80, 30  # days sampled evenly across the window, and log-spaced from day 1

# (growth % per day or None, treated) -> (result, timeline, sentence); the caller simulates
Course = Callable[[float | None, bool], tuple[ProgressionResult, SymptomTimeline, str]]


def curve_days(window: int) -> np.ndarray:
    """The days the curves are sampled at: evenly across the window, plus log-spaced days for the log scale."""
    even = np.linspace(0, window, LINEAR_POINTS)
    early = np.geomspace(1, window, LOG_POINTS)
    return np.unique(np.round(np.concatenate([even, early])).astype(int))


def rule_slots(rules: SymptomRuleSet) -> list[tuple[str, str]]:
    """(group, rule key) of every rule, grouped in the strip's row order: one marker per slot."""
    return [
        (group, rule.key) for group, _label, _marker in SYMPTOM_GROUPS for rule in rules.rules if rule.group == group
    ]


def marker_counts(rules: SymptomRuleSet) -> dict[str, int]:
    """How many markers each strip row holds (one per rule of its group, whatever the preset)."""
    slots = rule_slots(rules)
    return {group: sum(1 for g, _key in slots if g == group) for group, _label, _marker in SYMPTOM_GROUPS}


def shown_events(timeline: SymptomTimeline, rules: SymptomRuleSet, window: int) -> list[float | None]:
    """Per slot, the day its sign first appears within the window (None: not shown)."""
    days = {event.rule.key: event.first_day for event in timeline.events}
    return [
        float(days[key]) if days.get(key) is not None and days[key] <= window else None
        for _group, key in rule_slots(rules)
    ]


def _positions(days: list[float | None], window: int, log_time: bool) -> list[float]:
    return [HIDDEN_POSITION if d is None else float(time_position(d, window, log_time)) for d in days]


_COURSES: dict[tuple, tuple] = {}  # (model, growth, treated, start, window) -> (curves, event days, line, sentence)


def course_entry(
    model: tuple, growth: float, treated: bool, start: float, window: int, grows: bool, rules, course: Course
) -> tuple:
    """(curves at :func:`curve_days`, event days per slot, treatment line shown, sentence) of one state, cached.

    ``model`` identifies what the course depends on besides the controls: the preset's parameters (hashable) and
    the rules; the rules object is kept in the cache with the entry, so its id cannot be reused meanwhile.
    """
    value = growth if grows else None
    key = (model, id(rules), value, treated, start if treated else None, window)
    if key not in _COURSES:
        if len(_COURSES) > 20_000:
            _COURSES.clear()
        result, timeline, sentence = course(value, treated)
        curves = np.stack([result.series(q)[curve_days(window)] for q in QUANTITIES])
        shows_line = result.treatment_start_day is not None
        _COURSES[key] = (curves, shown_events(timeline, rules, window), shows_line, sentence, rules)
    return _COURSES[key][:4]


def explorer_tables(
    control_specs: dict,
    *,
    model: tuple,
    start: float,
    window: int,
    grows: bool,
    rules: SymptomRuleSet,
    course: Course,
) -> Tables:
    """Tables over (growth, treatment on/off) for one preset and treatment start; positions for both time scales.

    ``model`` identifies the preset's parameters (see :func:`course_entry`); ``grows`` False (no clone: the
    healthy reference) means the growth slider changes nothing, so one course per treatment state is simulated
    and repeated along the growth axis.
    """
    tables = Tables(control_specs)
    growth_grid = tables.grid("growth")
    scales = tables.grid("time_axis")  # [False, True]: linear, log
    days = curve_days(window)
    curves = np.empty((len(growth_grid), 2, len(QUANTITIES), len(days)))
    events = np.empty((len(growth_grid), 2, len(scales), len(rule_slots(rules))))
    treated = np.zeros((len(growth_grid), 2), dtype=int)
    sentences = np.empty((len(growth_grid), 2), dtype=object)
    for i, growth in enumerate(growth_grid):
        for t in (0, 1):
            found = course_entry(model, growth, bool(t), start, window, grows, rules, course)
            curves[i, t], event_days, treated[i, t], sentences[i, t] = found
            events[i, t] = [_positions(event_days, window, log) for log in scales]
    for q, (quantity, _label, (low, high), log) in enumerate(PANELS):
        values = np.clip(curves[:, :, q], low / 2, high * 2) if log else curves[:, :, q]
        tables.numbers(quantity, values, ["growth", "treat"])
    tables.numbers("x", [time_position(days, window, log) for log in scales], ["time_axis"])
    tables.numbers("start_x", [[time_position(start, window, log)] for log in scales], ["time_axis"])
    tables.numbers("events", events, ["growth", "treat", "time_axis"])
    tables.numbers("treated", treated, ["growth", "treat"], dtype="u8")
    tables.texts("sentence", sentences, ["growth", "treat"])
    return tables


def picture(entry: tuple, window: int, log_time: bool, start: float, rules: SymptomRuleSet) -> dict:
    """Arguments of :meth:`LiveProgressionFigure.show` for one :func:`course_entry` (the SVG's first state)."""
    curves, event_days, shows_line, _sentence = entry
    positions = _positions(event_days, window, log_time)
    slots = rule_slots(rules)
    return {
        "x": time_position(curve_days(window), window, log_time),
        "series": dict(zip(QUANTITIES, curves, strict=True)),
        "events": {
            g: [p for p, (s, _k) in zip(positions, slots, strict=True) if s == g] for g, _l, _m in SYMPTOM_GROUPS
        },
        "start": float(time_position(start, window, log_time)) if shows_line else None,
    }


def marks(rules: SymptomRuleSet) -> list[dict]:
    """What moves: the four count curves, the treatment line in each panel, the symptom markers."""
    found: list[dict] = [
        {"kind": "path", "gid": f"count_{q}", "axes": q, "x": {"table": "x"}, "y": {"table": q}} for q in QUANTITIES
    ]
    for index, axes in enumerate([*QUANTITIES, "strip"]):
        found.append({"kind": "vline", "gid": f"treatment_{index}", "axes": axes, "x": {"table": "start_x"}})
        found.append({"kind": "show", "gid": f"treatment_{index}", "when": {"table": "treated"}})
    slots = rule_slots(rules)
    for group, _label, _marker in SYMPTOM_GROUPS:
        items = [k for k, (g, _key) in enumerate(slots) if g == group]
        if items:
            found.append({
                "kind": "points", "gid": f"symptoms_{group}", "axes": "strip",
                "x": [{"table": "events", "item": k} for k in items], "y": [GROUP_ROW[group]] * len(items),
            })  # fmt: skip
    return found


def description() -> list:
    """The description: the whole sentence Python wrote for the state."""
    return [{"table": "sentence"}]
