"""Lesson 03's forest-style chart of leukaemia risk factors: one panel, and one log scale, per measure.

Standardised incidence ratios, hazard ratios, observed/expected ratios and relative risks come from different
study designs and compare different groups, so each measure gets its own panel and its own axis: the chart
never lines up an SIR of 56 against an RR of 1.4 on one scale.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..content.records import RiskFactor
from .palette import COLOURS, SERIES
from .render import new_figure, projector_style_on

# The ratio measures the chart can draw, in panel order, with what each one compares.
RATIO_MEASURES: dict[str, str] = {
    "SIR": "SIR: cases seen in a cohort ÷ cases expected from the general population",
    "O/E": "O/E: observed ÷ expected cases (read like an SIR)",
    "HR": "HR: rate over time compared with an unaffected comparison group",
    "RR": "RR: risk in exposed ÷ unexposed people, pooled across studies",
}
MEASURE_COLOURS = dict(zip(RATIO_MEASURES, SERIES, strict=False))
MEASURE_MARKERS = {"SIR": "s", "O/E": "D", "HR": "o", "RR": "^"}


def is_ratio(factor: RiskFactor) -> bool:
    """True if the factor's number is one of the ratio measures the chart draws."""
    return factor.measure in RATIO_MEASURES


def by_measure(factors: Sequence[RiskFactor]) -> dict[str, list[RiskFactor]]:
    """Ratio estimates grouped by measure, in panel order; each group sorted by its headline value."""
    groups: dict[str, list[RiskFactor]] = {}
    for measure in RATIO_MEASURES:
        chosen = sorted((f for f in factors if f.measure == measure), key=lambda f: f.headline_value)
        if chosen:
            groups[measure] = chosen
    return groups


def draw_risk_factor_forest(factors: Sequence[RiskFactor], width_inches: float = 9.0) -> Figure:
    """A figure with one panel per ratio measure: each estimate as a marker with its 95% CI on a log scale."""
    groups = by_measure(factors)
    rows = [len(group) for group in groups.values()]
    height = 0.9 + sum(0.32 * n + 0.75 for n in rows) if rows else 1.5
    figure = new_figure(width_inches, height, dpi=90)
    if not groups:
        axes = figure.subplots()
        axes.axis("off")
        axes.text(0.5, 0.5, "No ratio estimates for this choice", ha="center", va="center")
        return figure
    axes_list = figure.subplots(len(groups), 1, height_ratios=[n + 1.4 for n in rows], squeeze=False)[:, 0]
    for axes, (measure, group) in zip(axes_list, groups.items(), strict=True):
        _draw_panel(axes, measure, group)
    figure.suptitle(
        "Each panel is a different measure on its own scale: do not compare across panels",
        fontsize=10,
        color=COLOURS["title_text"],
    )
    return figure


def _draw_panel(axes, measure: str, group: list[RiskFactor]) -> None:
    colour = MEASURE_COLOURS[measure]
    positions = np.arange(len(group))
    lows = [f.interval_low if f.interval_low is not None else f.headline_value for f in group]
    highs = [f.interval_high if f.interval_high is not None else f.headline_value for f in group]
    values = [f.headline_value for f in group]
    for y, low, high, factor in zip(positions, lows, highs, group, strict=True):
        if factor.interval_low is not None:
            axes.plot([low, high], [y, y], color=colour, lw=2)
    axes.scatter(values, positions, color=colour, marker=MEASURE_MARKERS[measure], s=40, zorder=3)
    smallest = min(min(lows), 1.0)
    largest = max(highs)
    axes.set_xscale("log")
    room = 3.5 if all(f.interval_low is not None for f in group) else 40.0  # "(no CI given)" needs more room
    axes.set_xlim(smallest / 1.6, largest * room)
    axes.axvline(1.0, color=COLOURS["neutral"], lw=1, ls="--")
    axes.set_yticks(positions, labels=[_short(f.name) for f in group], fontsize=8)
    axes.set_ylim(-0.7, len(group) - 0.3)
    for y, high, factor in zip(positions, highs, group, strict=True):
        no_ci = "" if factor.interval_low is not None else " (no CI given)"
        gap = 1.15 if factor.interval_low is not None else 1.5  # clear of the marker when no CI line is drawn
        axes.text(high * gap, y, f"{factor.headline_value:g}{no_ci}", va="center", fontsize=8)
    # the projector style draws type 1.3x larger: wrap the panel title so it stays inside the figure
    title = textwrap.fill(RATIO_MEASURES[measure], 55) if projector_style_on() else RATIO_MEASURES[measure]
    axes.set_title(title, fontsize=9, loc="left")
    axes.tick_params(axis="x", labelsize=8)


def _short(name: str, limit: int = 52) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
