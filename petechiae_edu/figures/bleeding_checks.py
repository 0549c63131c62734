"""The bleeding model's adult and child curves beside the published figures they were fitted to or checked against.

Left panel: risk per day (%) against the morning platelet count (×10^9/L, log axes): adult and child grade ≥2
curves with their 95 % bootstrap bands, the grade ≥3 curve, and every published daily share as a bar over its
count band (filled marker: fitted; open marker: check, never seen by the fit; open triangle: a floor the risk should
not fall below; dotted bar: count band assumed).
Right panel: the odds of grade ≥2 bleeding at each count relative to the ≥81 ×10^9/L band, with PLADO's odds
ratio for ≤5 ×10^9/L and its 95 % interval (Uhl 2017), which sets the slope.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..models.bleeding_model import BleedingModel
from .palette import COLOURS, SERIES
from .render import new_figure

GRID = np.geomspace(0.5, 150, 160)  # ×10^9/L
REFERENCE_BAND = np.linspace(81, 150, 48)  # ×10^9/L: PLADO's top band (upper edge ours)


def _odds(p: np.ndarray) -> np.ndarray:
    return p / (1 - p)


def odds_ratio_curve(model: BleedingModel, counts: np.ndarray = GRID, age_group: str = "adult") -> np.ndarray:
    """The model's odds of grade ≥2 bleeding at ``counts`` over its odds averaged over 81–150 ×10^9/L."""
    grade2, _ = model.probabilities(counts, age_group=age_group)
    reference, _ = model.probabilities(REFERENCE_BAND, age_group=age_group)
    return _odds(grade2) / _odds(float(np.mean(reference)))


def _daily_points(ax, points: Sequence) -> None:
    for point in points:
        if point.measure not in ("daily_probability", "minimum_daily_probability"):
            continue
        low = max(point.count_low, 0.5)
        middle = float(np.sqrt(low * point.count_high))
        marker = "o" if point.outcome == "who_grade_2_or_more" else "s"
        if point.measure == "minimum_daily_probability":
            marker = "^"  # a floor: the risk should be at least this, not equal to it
        face = COLOURS["data"] if point.use == "fit" else "white"
        ax.plot([low, point.count_high], [100 * point.value] * 2, color=COLOURS["data"], lw=1.4,
                ls=":" if point.band_is_assumed else "-")  # fmt: skip
        ax.plot([middle], [100 * point.value], marker=marker, mfc=face, mec=COLOURS["data"], ms=7, ls="none")


def draw_age_curves(ax, model: BleedingModel, points: Sequence, marked_count: float | None = None) -> None:
    """Adult and child daily risk curves with their bands, the published daily shares, and a marked count."""
    adult2, grade3 = model.probabilities(GRID)
    child2, _ = model.probabilities(GRID, age_group="child")
    adult_band, _ = model.band(GRID)
    child_band, _ = model.band(GRID, age_group="child")
    ax.fill_between(GRID, 100 * adult_band[0], 100 * adult_band[1], color=COLOURS["band"], alpha=0.3, lw=0)
    ax.fill_between(GRID, 100 * child_band[0], 100 * child_band[1], color=SERIES[3], alpha=0.15, lw=0, hatch="\\\\")
    ax.plot(GRID, 100 * adult2, color=COLOURS["model"], lw=2, label="adults, grade ≥2")
    ax.plot(GRID, 100 * child2, color=SERIES[3], lw=2, ls="-.", label="children, grade ≥2")
    ax.plot(GRID, 100 * grade3, color=COLOURS["model"], lw=1.6, ls="--", label="adults and children, grade ≥3")
    _daily_points(ax, points)
    if marked_count is not None:
        ax.axvline(marked_count, color=COLOURS["marker"], lw=1.5, ls="-", label=f"{marked_count:g} ×10^9/L")
    ax.plot([], [], marker="o", color=COLOURS["data"], ls="none", label="published, fitted")
    ax.plot([], [], marker="o", mfc="white", mec=COLOURS["data"], ls="none", label="published, check only")
    if any(p.measure == "minimum_daily_probability" for p in points):
        ax.plot([], [], marker="^", mfc="white", mec=COLOURS["data"], ls="none", label="published floor (at least)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.5, 150)
    ax.set_ylim(0.02, 100)
    ax.set_xticks([1, 2, 5, 10, 20, 50, 100], ["1", "2", "5", "10", "20", "50", "100"])
    ax.set_yticks([0.1, 1, 10, 100], ["0.1", "1", "10", "100"])
    ax.set_xlabel("Morning platelet count (×10^9/L)")
    ax.set_ylabel("Risk per day (% of days)")
    ax.set_title("Daily bleeding risk: adults and children", fontsize=10)
    ax.legend(loc="lower left", frameon=False, fontsize=8)


def draw_odds_ratio_panel(ax, model: BleedingModel, points: Sequence) -> None:
    """Odds of grade ≥2 bleeding against the ≥81 band: the model's curve and PLADO's by-band odds ratio."""
    ax.plot(GRID, odds_ratio_curve(model), color=COLOURS["model"], lw=2, label="model (adults)")
    for point in points:
        if point.measure != "band_odds_ratio":
            continue
        middle = float(np.sqrt(point.count_low * point.count_high))
        low, high = point.interval_low or point.value, point.interval_high or point.value
        label = f"PLADO ≤{point.count_high:g} vs ≥{point.reference_low:g}"
        ax.errorbar([middle], [point.value], yerr=[[point.value - low], [high - point.value]], fmt="o",
                    color=COLOURS["data"], capsize=3, label=label)  # fmt: skip
        ax.plot([point.count_low, point.count_high], [point.value] * 2, color=COLOURS["data"], lw=1.4)
    ax.axhline(1.0, color=COLOURS["neutral"], lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_xlim(0.5, 150)
    ax.set_ylim(0.5, 6)
    ax.set_xticks([1, 2, 5, 10, 20, 50, 100], ["1", "2", "5", "10", "20", "50", "100"])
    ax.set_xlabel("Morning platelet count (×10^9/L)")
    ax.set_ylabel("Odds ratio vs days at ≥81 ×10^9/L")
    ax.set_title("Slope: PLADO's by-band odds ratio", fontsize=10)
    ax.legend(loc="upper right", frameon=False, fontsize=8)


def age_curves_figure(model: BleedingModel, points: Sequence, marked_count: float | None = None) -> Figure:
    """The two panels side by side (white background, readable on a projector); ``marked_count`` in ×10^9/L."""
    figure = new_figure(10.0, 4.2)
    left, right = figure.subplots(1, 2, width_ratios=[1.5, 1])
    draw_age_curves(left, model, points, marked_count)
    draw_odds_ratio_panel(right, model, points)
    return figure


def age_curves_description(model: BleedingModel, counts: Sequence[float] = (2, 10, 50)) -> str:
    """One sentence a screen reader (or a projector) can read in place of the figure."""
    parts = []
    for count in counts:
        adult, _ = model.probabilities(np.array([float(count)]))
        child, _ = model.probabilities(np.array([float(count)]), age_group="child")
        parts.append(f"at {count:g} ×10^9/L adults {100 * adult[0]:.0f} %, children {100 * child[0]:.0f} %")
    return (
        "Daily risk of WHO grade ≥2 bleeding falls as the platelet count rises, and children's curve lies above "
        "adults' at every count: " + "; ".join(parts) + " of days."
    )
