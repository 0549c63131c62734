"""What the platelet balance explorer sends to the browser: tables over production × survival, for one spleen share.

State space and the kernel path
    Production (0–200 % by 5: 41 steps) × share held in the spleen (0–0.9 by 0.01: 91) × survival (2–12 days by
    0.1: 101) is 376,831 states, and each has a curve over 30 days. All of it would be tens of megabytes, so the
    **share held in the spleen** keeps a kernel path: for the current share, every production × survival state
    (4,141) is precomputed (the curve, the bars, the labels, the sentence's parts; about 0.6 MB), and moving the
    share in Jupyter makes Python send the tables for the new share (cached per share). In a handout the spleen
    slider is disabled with a note. The spleen share was chosen because it is the only input that changes the
    circulating count by a plain factor and neither the pace nor the branch of the sentence (count settling or
    falling to zero), so production and survival, which drive those, stay instant everywhere.

Precision: the curve (over :data:`CURVE_DAYS`, denser where the count moves fastest) and the bars travel as
whole ×10^9/L (u16): one unit is a quarter of a point on the 0–800 axis; every number the sentence and the labels
show is a string Python made from the model's unrounded values.
"""

from __future__ import annotations

import numpy as np

from ..figures.platelet_balance import bar_ends, curve_label, now_bar_y, now_label
from ..live import Tables
from ..models.platelet_kinetics import Approach, PlateletBalance, SteadyState, approach, mass_over_time, steady_state
from .sentence_live import fragment_grid, fragment_tables

DAYS_SHOWN = 30.0
CURVE_DAYS = np.concatenate([np.arange(0, 4, 0.25), np.arange(4, 8, 0.5), np.arange(8, DAYS_SHOWN + 0.5, 1.0)])
DIMS = ["production", "survival"]
SPLEEN_NOTE = (
    "The share held in the spleen needs Python (its tables are sent per share): open the lesson in Jupyter "
    "to change it."
)


def where_in_range(count: float, reference_range: tuple[float, float]) -> str:
    low, high = reference_range
    if count < low:
        return f"below the {low:g}–{high:g} reference range"
    if count > high:
        return f"above the {low:g}–{high:g} reference range"
    return f"within the {low:g}–{high:g} reference range"


def approach_fragments(
    end: SteadyState, day0_count: float, zero_day: float | None, reference_range: tuple[float, float]
) -> list[str]:
    """The sentence of :func:`~petechiae_edu.widgets.platelet_balance.describe_approach` in seven parts (the same
    number of parts whether the count settles or falls to zero, so each part is one text table).

    ``end``: where the balance settles; ``day0_count``: the circulating count on day 0 (×10^9/L);
    ``zero_day``: the first day below 1 ×10^9/L when the count falls to zero (None otherwise).
    """
    b = end.balance
    settings = [
        f"At {b.production_percent:.0f}% of normal production, ",
        f"{b.pooled_fraction:.0%} held in the spleen ",
        f"and {b.survival_days:.1f}-day survival, ",
    ]
    if end.platelet_mass == 0:
        return [
            *settings,
            f"production ({end.production:.1f} ×10^9/L/day) no longer covers the fixed "
            f"{b.vascular_consumption:.1f} ×10^9/L/day used to seal vessels, so the count falls towards zero",
            "" if zero_day is None else f" (below 1 ×10^9/L by day {zero_day:.0f})",
            "",
            ".",
        ]
    count = end.circulating_count
    return [
        *settings,
        f"the circulating count settles at {count:.0f} ×10^9/L, {where_in_range(count, reference_range)}; ",
        f"{end.pooled_in_spleen:.0f} ×10^9/L sit in the spleen, ",
        f"and half of any change is reached in {end.half_time_days:.1f} days ",
        f"(day 0 count {day0_count:.0f}).",
    ]


def result_fragments(result: Approach, reference_range: tuple[float, float]) -> list[str]:
    """:func:`approach_fragments` of a computed approach."""
    zero_day = result.first_day_below(1.0) if result.end.platelet_mass == 0 else None
    return approach_fragments(result.end, float(result.circulating_count[0]), zero_day, reference_range)


def balance_tables(
    tables: Tables, pooled_fraction: float, reference_range: tuple[float, float]
) -> tuple[dict, list[dict]]:
    """(tables, description template) for every production × survival state at ``pooled_fraction``."""
    productions, survivals = tables.grid("production"), tables.grid("survival")
    start_mass = steady_state().platelet_mass
    shape = (len(productions), len(survivals))
    curves = np.zeros((*shape, len(CURVE_DAYS)))
    bars = np.zeros((*shape, 2, 5))
    targets = np.zeros((*shape, 2))
    labels = np.empty((*shape, 2), dtype=object)
    fragments = {}
    for i, production in enumerate(productions):
        for j, survival in enumerate(survivals):
            balance = PlateletBalance(production, pooled_fraction, survival)
            end = steady_state(balance)
            # the curve starts on day 0 (CURVE_DAYS[0] == 0), with the arithmetic approach() uses
            curves[i, j] = (1.0 - pooled_fraction) * mass_over_time(start_mass, balance, CURVE_DAYS)
            if end.platelet_mass == 0:  # only then does the sentence need the day the count falls below 1
                fragments[production, survival] = result_fragments(approach(balance, days=DAYS_SHOWN), reference_range)
            else:
                fragments[production, survival] = approach_fragments(end, curves[i, j, 0], None, reference_range)
            start, first, second = bar_ends(end.circulating_count, end.pooled_in_spleen)
            bars[i, j] = [[start, first, first, start, start], [first, second, second, first, first]]
            targets[i, j] = end.circulating_count
            labels[i, j] = [now_label(end.circulating_count, end.pooled_in_spleen), curve_label(end.circulating_count)]
    tables.numbers("curve_x", CURVE_DAYS)
    tables.numbers("curve_y", np.round(curves), DIMS, dtype="u16")
    tables.numbers("bar_y", now_bar_y())
    tables.numbers("bar_circulating_x", np.round(bars[:, :, 0]), DIMS, dtype="u16")
    tables.numbers("bar_pooled_x", np.round(bars[:, :, 1]), DIMS, dtype="u16")
    tables.numbers("target_x", [0.0, DAYS_SHOWN])
    tables.numbers("target_y", np.round(targets), DIMS, dtype="u16")
    tables.texts("now_label", labels[:, :, 0], DIMS)
    tables.texts("curve_label", labels[:, :, 1], DIMS)
    grid, _ = fragment_grid(tables, DIMS, lambda production, survival: fragments[production, survival])
    return tables.tables, fragment_tables(tables, "sentence", grid, DIMS)


_CACHE: dict[tuple, tuple[dict, list[dict]]] = {}


def cached_balance_tables(
    control_specs: dict, pooled_fraction: float, reference_range: tuple[float, float]
) -> tuple[dict, list[dict]]:
    """:func:`balance_tables`, kept per share and controls (a student moving the spleen slider back and forth)."""
    key = (repr(sorted((name, repr(spec)) for name, spec in control_specs.items())), pooled_fraction, reference_range)
    if key not in _CACHE:
        if len(_CACHE) > 24:
            _CACHE.clear()
        _CACHE[key] = balance_tables(Tables(control_specs), pooled_fraction, reference_range)
    return _CACHE[key]


MARKS = [
    {"kind": "path", "gid": "curve", "axes": "time", "x": {"table": "curve_x"}, "y": {"table": "curve_y"}},
    {"kind": "path", "gid": "target", "axes": "time", "x": {"table": "target_x"}, "y": {"table": "target_y"}},
    {"kind": "path", "gid": "now_circulating", "axes": "mass", "x": {"table": "bar_circulating_x"},
     "y": {"table": "bar_y"}},
    {"kind": "path", "gid": "now_pooled", "axes": "mass", "x": {"table": "bar_pooled_x"}, "y": {"table": "bar_y"}},
    {"kind": "text", "gid": "now_label", "text": {"table": "now_label"}},
    {"kind": "text", "gid": "curve_label", "text": {"table": "curve_label"}},
]  # fmt: skip
