"""Lesson 02's platelet balance figure: where the platelets are, and how the count moves over the days."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..content.platelet_kinetics import PlateletKineticsGroup
from ..models.platelet_kinetics import Approach
from .palette import COLOURS, SERIES
from .render import new_figure

COUNT_LIMIT = 800.0  # ×10^9/L, top of both count axes
_ROWS = {"normal": 1.0, "now": 0.0}
_BAR_HEIGHT = 0.55
MOVING = ("now_circulating", "now_pooled", "now_label", "curve", "target", "curve_label")


def now_bar_y() -> list[float]:
    """The y values (rows axis) of the 'now' bars' corners, in the order of :func:`bar_outline`."""
    low = _ROWS["now"] - _BAR_HEIGHT / 2
    return [low, low, low + _BAR_HEIGHT, low + _BAR_HEIGHT, low]


def bar_ends(circulating: float, pooled: float) -> tuple[float, float, float]:
    """Where the bars start and end on the count axis (×10^9/L), cut at the axis' end: (0, end of the
    circulating bar, end of the pooled bar)."""
    first = min(circulating, COUNT_LIMIT)
    return 0.0, first, first + max(0.0, min(pooled, COUNT_LIMIT - circulating))


def now_label(circulating: float, pooled: float) -> str:
    return f"{circulating:.0f} circulating + {pooled:.0f} pooled"


def curve_label(circulating: float) -> str:
    return f"settles at {circulating:.0f} ×10^9/L"


class PlateletBalanceFigure:
    """A persistent two-panel figure; :meth:`update` moves only the 'now' bars, the curve and the labels.

    The moving artists carry a ``gid`` (:data:`MOVING`): the live explorer renders this figure once as SVG and the
    browser rewrites those artists from precomputed tables (:mod:`petechiae_edu.widgets.platelet_balance_live`).
    """

    def __init__(self, reference_range: tuple[float, float] = (150.0, 450.0), days: float = 30.0) -> None:
        self.reference_range = reference_range
        self.figure: Figure = new_figure(9.0, 3.6, dpi=90)
        self.mass_axes, self.time_axes = self.figure.subplots(1, 2, width_ratios=[1, 1.5])
        self._draw_static(days)
        y_now = _ROWS["now"] - _BAR_HEIGHT / 2
        self.now_circulating = Rectangle((0, y_now), 0, _BAR_HEIGHT, facecolor=COLOURS["model"])
        self.now_pooled = Rectangle((0, y_now), 0, _BAR_HEIGHT, facecolor=COLOURS["neutral"], hatch="//")
        for bar in (self.now_circulating, self.now_pooled):
            self.mass_axes.add_patch(bar)
        self.now_label = self.mass_axes.text(5, _ROWS["now"] - 0.32, "", fontsize=8, va="top")
        (self.curve,) = self.time_axes.plot([], [], color=COLOURS["model"], lw=2.2, label="circulating count")
        (self.target,) = self.time_axes.plot([], [], color=COLOURS["marker"], lw=1.5, ls=":", label="settles at")
        self.curve_label = self.time_axes.text(days * 0.98, COUNT_LIMIT * 0.95, "", ha="right", va="top", fontsize=9)
        self.time_axes.legend(loc="upper left", frameon=False, fontsize=8)
        self.animated = [
            self.now_circulating,
            self.now_pooled,
            self.now_label,
            self.curve,
            self.target,
            self.curve_label,
        ]
        for gid in MOVING:
            getattr(self, gid).set_gid(gid)  # the live front end finds what moves by these ids in the SVG

    def _draw_static(self, days: float) -> None:
        low, high = self.reference_range
        axes = self.mass_axes
        axes.set_xlim(0, COUNT_LIMIT)
        axes.set_ylim(-0.9, 1.6)
        axes.set_yticks(list(_ROWS.values()), labels=["normal", "now"])
        axes.set_xlabel("platelets, ×10^9/L of blood")
        axes.set_title("Circulating (solid) and in the spleen (hatched)", fontsize=10)
        self.normal_bars = (
            axes.add_patch(Rectangle((0, 1 - _BAR_HEIGHT / 2), 0, _BAR_HEIGHT, facecolor=COLOURS["model"])),
            axes.add_patch(
                Rectangle((0, 1 - _BAR_HEIGHT / 2), 0, _BAR_HEIGHT, facecolor=COLOURS["neutral"], hatch="//")
            ),
        )
        self.normal_label = axes.text(5, 1 - 0.32, "", fontsize=8, va="top")

        time_axes = self.time_axes
        time_axes.axhspan(low, high, color=COLOURS["normal"], alpha=0.15, lw=0)
        time_axes.text(
            days * 0.98,
            (low + high) / 2,
            f"reference range\n{low:g}–{high:g}",
            ha="right",
            va="center",
            fontsize=8,
            color=COLOURS["normal_text"],
        )
        time_axes.set_xlim(0, days)
        time_axes.set_ylim(0, COUNT_LIMIT)
        time_axes.set_xlabel("days after the change")
        time_axes.set_ylabel("circulating platelets, ×10^9/L")
        time_axes.set_title("The count after the change on day 0", fontsize=10)

    def set_normal(self, circulating: float, pooled: float) -> None:
        """Draw the 'normal' row (static: call before the renderer caches its background)."""
        _set_bars(self.normal_bars, circulating, pooled)
        self.normal_label.set_text(f"{circulating:.0f} circulating + {pooled:.0f} pooled")
        self.time_axes.axhline(circulating, color=COLOURS["neutral"], lw=1.2, ls="--")
        self.time_axes.text(
            0.5,
            circulating + 8,
            f"normal settings: {circulating:.0f}",
            fontsize=8,
            color=COLOURS["annotation"],
            va="bottom",
        )

    def update(self, result: Approach) -> None:
        end = result.end
        _set_bars((self.now_circulating, self.now_pooled), end.circulating_count, end.pooled_in_spleen)
        self.now_label.set_text(now_label(end.circulating_count, end.pooled_in_spleen))
        self.curve.set_data(result.days, result.circulating_count)
        self.target.set_data([result.days[0], result.days[-1]], [end.circulating_count] * 2)
        self.curve_label.set_text(curve_label(end.circulating_count))


def _set_bars(bars: tuple[Rectangle, Rectangle], circulating: float, pooled: float) -> None:
    first, second = bars
    start, first_end, second_end = bar_ends(circulating, pooled)
    first.set_width(first_end - start)
    second.set_x(first_end)
    second.set_width(second_end - first_end)


def draw_spleen_studies(groups: Sequence[PlateletKineticsGroup]) -> Figure:
    """Two panels: platelet survival (days) and recovery in the blood (%) by spleen status, mean ± SD."""
    figure = new_figure(8.0, 3.0, dpi=90)
    survival_axes, recovery_axes = figure.subplots(1, 2)
    names = [group.name.replace(" (", "\n(") for group in groups]
    positions = list(range(len(groups)))
    colours = [SERIES[i % len(SERIES)] for i in positions]
    survival_axes.barh(
        positions,
        [g.survival_days for g in groups],
        xerr=[g.survival_sd_days for g in groups],
        color=colours,
        capsize=3,
    )
    survival_axes.set_yticks(positions, labels=names, fontsize=8)
    survival_axes.invert_yaxis()
    survival_axes.set_xlabel("platelet survival, days (mean ± SD)")
    survival_axes.set_title("How long a platelet lasts", fontsize=10)
    recovery_axes.barh(
        positions,
        [g.recovery_percent for g in groups],
        xerr=[g.recovery_sd_percent for g in groups],
        color=colours,
        capsize=3,
    )
    recovery_axes.set_yticks(positions, labels=[])
    recovery_axes.invert_yaxis()
    recovery_axes.set_xlim(0, 110)
    recovery_axes.set_xlabel("% circulating (mean ± SD)")
    recovery_axes.set_title("How many stay in the blood", fontsize=10)
    for position, group in zip(positions, groups, strict=True):
        survival_axes.text(0.3, position, f"{group.survival_days:g} d", va="center", color="white", fontsize=8)
        recovery_axes.text(2, position, f"{group.recovery_percent:g}%", va="center", color="white", fontsize=8)
    return figure
