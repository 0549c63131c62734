"""Figures for simulation 2: four blood-count panels over time and a symptom timeline strip.

:class:`LiveProgressionFigure` is the static layer of lesson 05's live explorer (rendered as SVG by
:mod:`petechiae_edu.live`): reference-range bands, the bleeding-risk band (platelets below the count where petechiae
are expected), the axes and labels, with gids on the count lines, treatment lines and symptom markers that the
browser moves. Its time axis runs from 0 to 1 (:func:`time_position`) on a fixed layout, so the axes' transforms
stay the same when the window or the time scale changes. :class:`ProgressionFigure` is the older persistent figure
of the kernel path (kept for the benchmark's old-versus-new comparison): :meth:`ProgressionFigure.update` moves
only the moving artists, for a :class:`~petechiae_edu.figures.render.BlitRenderer`. :func:`comparison_figure`
draws presets side by side on a linear and a log time axis. The bands' numbers come in as arguments, from the
course's data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..models.progression import FIVE_YEARS_DAYS, ProgressionResult
from ..models.symptoms import SymptomTimeline
from .palette import COLOURS, SERIES
from .render import course_style, new_figure

# (quantity, axis label, y limits, log scale); the reference ranges and the bleeding band come in as data
PANELS: tuple[tuple[str, str, tuple[float, float], bool], ...] = (
    ("wbc", "WBC (×10^9/L)", (0.1, 500.0), True),
    ("anc", "ANC (×10^9/L)", (0.01, 500.0), True),
    ("haemoglobin", "Haemoglobin (g/dL)", (0.0, 18.0), False),
    ("platelets", "Platelets (×10^9/L)", (1.0, 1000.0), True),
)
SYMPTOM_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("bleeding", "Bleeding", "v"),
    ("anaemia", "Anaemia", "s"),
    ("infection", "Infection", "o"),
    ("white_cells", "White cells", "^"),
    ("clone", "Clone", "D"),
)
GROUP_ROW = {group: row for row, (group, _label, _marker) in enumerate(SYMPTOM_GROUPS)}


def _style_count_axes(
    ax: Axes,
    label: str,
    limits: tuple[float, float],
    log: bool,
    quantity: str,
    reference_ranges: Mapping[str, tuple[float, float]],
    bleeding_band: float | None,
) -> None:
    if log:
        ax.set_yscale("log")
    ax.set_ylim(*limits)
    if quantity in reference_ranges:
        ax.axhspan(*reference_ranges[quantity], color=COLOURS["normal"], alpha=0.15, lw=0, label="reference range")
    if quantity == "platelets" and bleeding_band is not None:
        ax.axhspan(
            limits[0],
            bleeding_band,
            color=COLOURS["threshold"],
            alpha=0.25,
            lw=0,
            label=f"bleeding risk greater (<{bleeding_band:g})",
        )
    ax.set_ylabel(label, fontsize=9)
    ax.tick_params(labelsize=8)


def _set_time_axis(ax: Axes, days: int, log_time: bool) -> None:
    if log_time:
        ax.set_xscale("log")
        ax.set_xlim(1, days)
    else:
        ax.set_xlim(0, days)


class ProgressionFigure:
    """The explorer's figure: four count panels and a symptom strip, updated in place.

    ``reference_ranges`` maps a quantity (wbc, anc, haemoglobin, platelets) to its (low, high) reference range, drawn
    as a green band; ``bleeding_band`` (platelets ×10^9/L) shades the counts where bleeding becomes likely. Both come
    from the course's data (the symptom rules and reference ranges); without them no band is drawn.
    """

    def __init__(
        self,
        days: int = 365,
        *,
        log_time: bool = False,
        reference_ranges: Mapping[str, tuple[float, float]] | None = None,
        bleeding_band: float | None = None,
        width: float = 7.6,
        height: float = 7.4,
        dpi: int = 72,
    ) -> None:
        self.figure: Figure = new_figure(width, height, dpi)
        self.days = days
        self.log_time = log_time
        with course_style():
            axes = self.figure.subplots(5, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1, 1, 1, 0.9]})
        self.count_axes = list(axes[:4])
        self.strip_axes = axes[4]
        self.lines = {}
        for ax, (quantity, label, limits, log) in zip(self.count_axes, PANELS, strict=True):
            _style_count_axes(ax, label, limits, log, quantity, reference_ranges or {}, bleeding_band)
            (self.lines[quantity],) = ax.plot([], [], color=COLOURS["model"], lw=2)
        self.treatment_lines = [
            ax.axvline(-10, color=COLOURS["marker"], lw=1.5, ls="--") for ax in [*self.count_axes, self.strip_axes]
        ]
        strip = self.strip_axes
        strip.set_ylim(-0.6, len(SYMPTOM_GROUPS) - 0.4)
        strip.set_yticks(range(len(SYMPTOM_GROUPS)), [label for _g, label, _m in SYMPTOM_GROUPS], fontsize=8)
        strip.invert_yaxis()
        strip.tick_params(labelsize=8)
        strip.set_xlabel("Day" + (" (log scale)" if log_time else ""), fontsize=9)
        self.symptom_markers = {
            group: strip.plot([], [], ls="none", marker=marker, ms=7, color=SERIES[row], mec="black", mew=0.5)[0]
            for row, (group, _label, marker) in enumerate(SYMPTOM_GROUPS)
        }
        self.title = self.figure.suptitle("", fontsize=11)
        self.count_axes[3].legend(loc="upper right", fontsize=7, frameon=False)
        _set_time_axis(strip, days, log_time)

    @property
    def animated(self) -> list:
        return [*self.lines.values(), *self.treatment_lines, *self.symptom_markers.values()]

    def set_time_axis(self, days: int, log_time: bool) -> None:
        """Change the time window or scale (static parts change: refresh the blit background after this)."""
        self.days, self.log_time = days, log_time
        _set_time_axis(self.strip_axes, days, log_time)
        self.strip_axes.set_xlabel("Day" + (" (log scale)" if log_time else ""), fontsize=9)

    def set_title(self, title: str) -> None:
        """The preset's name above the panels (static: refresh the blit background after this)."""
        self.title.set_text(title)

    def update(self, result: ProgressionResult, timeline: SymptomTimeline) -> None:
        """Move the lines and markers to a new result (only animated artists change)."""
        days = result.days[: self.days + 1]
        x = np.maximum(days, 1) if self.log_time else days
        for quantity, line in self.lines.items():
            line.set_data(x, result.series(quantity)[: self.days + 1])
        start = result.treatment_start_day
        for line in self.treatment_lines:
            line.set_xdata([start, start] if start is not None else [-10, -10])
            line.set_visible(start is not None)
        for group, marker in self.symptom_markers.items():
            hits = [e.first_day for e in timeline.appearing() if e.rule.group == group and e.first_day <= self.days]
            xs = np.maximum(hits, 1) if self.log_time else np.asarray(hits, dtype=float)
            marker.set_data(xs, np.full(len(hits), GROUP_ROW[group]))


def comparison_figure(
    results: Sequence[ProgressionResult],
    labels: Sequence[str],
    *,
    reference_ranges: Mapping[str, tuple[float, float]] | None = None,
    bleeding_band: float | None = None,
    days: int = FIVE_YEARS_DAYS,
    dpi: int = 80,
) -> Figure:
    """Presets overlaid on the same axes: a linear time axis (left) and a log time axis (right); bands as in
    :class:`ProgressionFigure`."""
    figure = new_figure(10.0, 7.4, dpi)
    with course_style():
        axes = figure.subplots(4, 2, sharex="col")
    for row, (quantity, label, limits, log) in enumerate(PANELS):
        for col, log_time in enumerate((False, True)):
            ax = axes[row, col]
            _style_count_axes(
                ax, label if col == 0 else "", limits, log, quantity, reference_ranges or {}, bleeding_band
            )
            for index, (result, name) in enumerate(zip(results, labels, strict=True)):
                x = result.days[: days + 1]
                ax.plot(
                    np.maximum(x, 1) if log_time else x,
                    result.series(quantity)[: days + 1],
                    color=SERIES[index],
                    lw=2,
                    ls=("-", "--", ":", "-.")[index % 4],
                    label=name,
                )
            _set_time_axis(ax, days, log_time)
    axes[0, 0].legend(loc="upper left", fontsize=8, frameon=False)
    axes[3, 0].set_xlabel("Day (linear)", fontsize=9)
    axes[3, 1].set_xlabel("Day (log scale: weeks and years on one axis)", fontsize=9)
    figure.suptitle("Acute versus chronic: the same blood counts on two time scales", fontsize=11)
    return figure


# --- the live explorer's static layer (petechiae_edu.live): time as a position 0–1 across the axis ---------------

HIDDEN_POSITION = -0.5  # a time position left of the axes: a symptom marker there is clipped away (not shown)


def time_position(days, window: int, log_time: bool) -> np.ndarray:
    """Days as a position from 0 to 1 across the time axis of ``window`` days: linear, or log10 from day 1.

    The live figure's axes run from 0 to 1 whatever the window and scale, so the browser's data-to-SVG transform
    stays the same when the preset (window) or the time scale changes; only the tick labels are redrawn.
    """
    d = np.asarray(days, dtype=float)
    if log_time:
        return np.log10(np.maximum(d, 1.0)) / np.log10(window)
    return d / window


def time_ticks(window: int, log_time: bool) -> tuple[list[float], list[str]]:
    """Tick positions (0–1) and labels (days) for a time axis of ``window`` days."""
    if log_time:
        days = [d for d in (1, 3, 10, 30, 100, 300, 1000) if d <= window]
    else:
        step = 100 if window <= 700 else 365
        days = list(range(0, window + 1, step))
    return [float(p) for p in time_position(days, window, log_time)], [f"{d:g}" for d in days]


class LiveProgressionFigure:
    """The live explorer's figure: the panels of :class:`ProgressionFigure` on a 0–1 time axis, moving artists
    with gids (``count_<quantity>``, ``treatment_<i>``, ``symptoms_<group>``).

    ``marker_counts`` gives, per symptom group, how many markers its strip row holds (one per rule of the group),
    so the browser can place or hide each; bands and limits as in :class:`ProgressionFigure`.
    """

    def __init__(
        self,
        window: int,
        *,
        log_time: bool,
        title: str,
        marker_counts: Mapping[str, int],
        reference_ranges: Mapping[str, tuple[float, float]] | None = None,
        bleeding_band: float | None = None,
        width: float = 7.6,
        height: float = 7.4,
    ) -> None:
        self.figure: Figure = new_figure(width, height, 72)
        # a fixed layout (not constrained): the axes keep their place when the tick labels change, so the
        # browser's data-to-SVG transforms stay true after Python redraws the static layer
        self.figure.set_layout_engine("none")
        with course_style():
            axes = self.figure.subplots(
                5, 1, sharex=True,
                gridspec_kw={"height_ratios": [1, 1, 1, 1, 0.9], "left": 0.13, "right": 0.97, "top": 0.94,
                             "bottom": 0.07, "hspace": 0.12},
            )  # fmt: skip
        self.count_axes, self.strip_axes = list(axes[:4]), axes[4]
        self.lines = {}
        for ax, (quantity, label, limits, log) in zip(self.count_axes, PANELS, strict=True):
            _style_count_axes(ax, label, limits, log, quantity, reference_ranges or {}, bleeding_band)
            (self.lines[quantity],) = ax.plot([0.0, 1.0], [limits[1], limits[1]], color=COLOURS["model"], lw=2)
            self.lines[quantity].set_gid(f"count_{quantity}")
        self.treatment_lines = []
        for index, ax in enumerate([*self.count_axes, self.strip_axes]):
            line = ax.axvline(0.5, color=COLOURS["marker"], lw=1.5, ls="--")
            line.set_gid(f"treatment_{index}")
            self.treatment_lines.append(line)
        strip = self.strip_axes
        strip.set_ylim(-0.6, len(SYMPTOM_GROUPS) - 0.4)
        strip.set_yticks(range(len(SYMPTOM_GROUPS)), [label for _g, label, _m in SYMPTOM_GROUPS], fontsize=8)
        strip.invert_yaxis()
        strip.tick_params(labelsize=8)
        self.symptom_markers = {}
        for row, (group, _label, marker) in enumerate(SYMPTOM_GROUPS):
            count = marker_counts.get(group, 0)
            (line,) = strip.plot(
                np.linspace(0.1, 0.9, count), np.full(count, row), ls="none", marker=marker, ms=7,
                color=SERIES[row], mec="black", mew=0.5,
            )  # fmt: skip
            line.set_gid(f"symptoms_{group}")
            self.symptom_markers[group] = line
        strip.set_xlim(0.0, 1.0)
        positions, labels = time_ticks(window, log_time)
        strip.set_xticks(positions, labels)
        strip.set_xlabel("Day" + (" (log scale)" if log_time else ""), fontsize=9)
        self.figure.suptitle(title, fontsize=11)
        self.count_axes[3].legend(loc="upper right", fontsize=7, frameon=False)

    def show(self, x, series: Mapping[str, np.ndarray], events: Mapping[str, list[float]], start: float | None):
        """Put the moving artists at one state (positions 0–1; ``start`` None hides the treatment lines)."""
        for quantity, line in self.lines.items():
            line.set_data(x, series[quantity])
        for line in self.treatment_lines:
            line.set_xdata([start, start] if start is not None else [HIDDEN_POSITION] * 2)  # stays in the SVG
        for group, line in self.symptom_markers.items():
            xs = list(events.get(group, []))
            line.set_xdata(xs + [HIDDEN_POSITION] * (len(line.get_xdata()) - len(xs)))
