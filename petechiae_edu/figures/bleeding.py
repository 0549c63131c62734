"""Figures for simulation 1: the risk curve, the body map with petechiae, and the cohort comparison.

The explorer figure is built once; :class:`ExplorerArtists` holds what moves (the marker and the spots) and
what changes only with the risk factors (curves and bands). No pyplot: figures come from ``new_figure``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..models.bleeding import Covariates
from ..models.bleeding_model import BleedingModel
from ..models.cohort import CohortResult
from ..models.petechiae import PetechiaeSample
from .body import draw_body, spot_colour
from .palette import COLOURS, SERIES
from .render import new_figure, png_bytes

__all__ = ["build_cohort_figure", "build_explorer_figure", "draw_body_map", "draw_risk_curve", "new_figure"]

COUNT_RANGE = (0.5, 150.0)  # ×10^9/L, the x-axis
PERCENT_RANGE = (0.005, 100.0)  # % of days, the y-axis
CURVE_GRID = np.geomspace(*COUNT_RANGE, 160)
MOVING_GIDS = ("grade2_line", "grade3_line", "grade2_band", "grade3_band", "marker_line", "marker_points", "spots")


def threshold_lines(thresholds) -> list[tuple[float, str]]:
    """(count ×10^9/L, label) per line: rows with one threshold share a line, e.g. "20: CVC / LP" (labels from data)."""
    names: dict[float, list[str]] = {}
    for row in thresholds:
        names.setdefault(row.threshold, []).append(row.chart_label)
    return [(count, f"{count:g}: " + " / ".join(dict.fromkeys(names[count]))) for count in sorted(names)]


@dataclass
class ExplorerArtists:
    """The artists an explorer changes: curves and bands (per risk factors), marker and spots (per move)."""

    risk_axes: Axes
    body_axes: Axes
    grade2_line: Line2D
    grade3_line: Line2D
    grade2_band: PolyCollection
    grade3_band: PolyCollection
    marker_line: Line2D
    marker_points: Line2D
    spots: PathCollection

    @property
    def animated(self) -> list:
        return [self.marker_line, self.marker_points, self.spots]


def _band(ax: Axes, lower: np.ndarray, upper: np.ndarray, colour: str, hatch: str | None) -> PolyCollection:
    return ax.fill_between(CURVE_GRID, 100 * lower, 100 * upper, color=colour, alpha=0.25, hatch=hatch, lw=0)


def draw_risk_curve(ax: Axes, model: BleedingModel, covariates: Covariates | None, points, thresholds):
    """Risk per day (%) against platelet count (log axes): curves, bands, published points, thresholds."""
    grade2, grade3 = model.probabilities(CURVE_GRID, covariates)
    band2, band3 = model.band(CURVE_GRID, covariates)
    band2_artist = _band(ax, band2[0], band2[1], COLOURS["band"], None)
    band3_artist = _band(ax, band3[0], band3[1], COLOURS["neutral"], "///")
    (line2,) = ax.plot(CURVE_GRID, 100 * grade2, color=COLOURS["model"], lw=2, label="model: WHO grade ≥2")
    (line3,) = ax.plot(CURVE_GRID, 100 * grade3, color=COLOURS["model"], lw=2, ls="--", label="model: grade ≥3")
    draw_calibration_points(ax, points)
    for count, label in threshold_lines(thresholds):
        ax.axvline(count, color=COLOURS["threshold"], lw=1.2, ls=":")
        ax.text(
            count * 1.04,
            60,
            label,
            rotation=90,
            va="top",
            fontsize=8,
            color=COLOURS["threshold_text"],
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*COUNT_RANGE)
    ax.set_ylim(*PERCENT_RANGE)
    ax.set_xticks([1, 2, 5, 10, 20, 50, 100], ["1", "2", "5", "10", "20", "50", "100"])
    ax.set_yticks([0.01, 0.1, 1, 10, 100], ["0.01", "0.1", "1", "10", "100"])
    ax.set_xlabel("Platelet count (×10^9/L)")
    ax.set_ylabel("Risk per day (% of days)")
    ax.legend(loc="lower left", frameon=False)
    return line2, line3, band2_artist, band3_artist


def shown_points(points: Sequence) -> list:
    """The calibration points the risk figure draws: the published daily shares (``measure`` daily_probability)."""
    return [point for point in points if point.measure == "daily_probability"]


def draw_calibration_points(ax: Axes, points: Sequence) -> None:
    """Published daily shares as black bars over their count band (circle: grade ≥2, square: grade ≥3)."""
    for point in shown_points(points):
        marker = "o" if point.outcome == "who_grade_2_or_more" else "s"
        middle = float(np.sqrt(max(point.count_low, 0.5) * point.count_high))
        style = ":" if point.band_is_assumed else "-"
        ax.plot(
            [max(point.count_low, 0.5), point.count_high],
            [100 * point.value] * 2,
            color=COLOURS["data"],
            lw=1.5,
            ls=style,
        )
        ax.plot([middle], [100 * point.value], marker=marker, color=COLOURS["data"], ms=6, ls="none")


def draw_body_map(ax: Axes, *, skin_tone: int = 2) -> PathCollection:
    """A front-view body outline in skin tone ``skin_tone`` (Fitzpatrick 1–6); returns the (empty) scatter that
    will hold the petechiae, coloured as a petechia looks on that tone."""
    draw_body(ax, skin_tone=skin_tone)
    spots = ax.scatter([], [], s=5, marker="o", color=spot_colour(skin_tone), linewidths=0, zorder=3)
    ax.set_xlim(20, 80)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Petechiae (illustrative)", fontsize=10)
    return spots


def set_skin_tone(artists: ExplorerArtists, skin_tone: int) -> None:
    """Redraw the body in another skin tone (the static layer; refresh the background after)."""
    ax = artists.body_axes
    for artist in [*ax.patches, *ax.lines, *ax.texts]:
        artist.remove()
    draw_body(ax, skin_tone=skin_tone)
    artists.spots.set_color(spot_colour(skin_tone))


def build_explorer_figure(model: BleedingModel, covariates: Covariates, points, thresholds, *, skin_tone: int = 2):
    """The persistent two-panel figure of the bleeding explorer (width 9 in, 80 dpi)."""
    figure = new_figure(9.0, 4.2, dpi=80)
    grid = figure.add_gridspec(1, 2, width_ratios=[2.3, 1])
    risk_axes = figure.add_subplot(grid[0, 0])
    body_axes = figure.add_subplot(grid[0, 1])
    line2, line3, band2, band3 = draw_risk_curve(risk_axes, model, covariates, points, thresholds)
    marker_line = risk_axes.axvline(8.0, color=COLOURS["marker"], lw=1.5)
    (marker_points,) = risk_axes.plot(
        [8.0, 8.0], [10.0, 1.0], ls="none", marker="D", ms=8, color=COLOURS["marker"], mec="black"
    )
    spots = draw_body_map(body_axes, skin_tone=skin_tone)
    artists = ExplorerArtists(risk_axes, body_axes, line2, line3, band2, band3, marker_line, marker_points, spots)
    for name in MOVING_GIDS:
        getattr(artists, name).set_gid(name)  # the live front end finds what moves by these ids in the SVG
    return figure, artists


def update_curves(artists: ExplorerArtists, model: BleedingModel, covariates: Covariates) -> None:
    """Redraw the curves and bands for new risk factors (the static layer; refresh the background after)."""
    grade2, grade3 = model.probabilities(CURVE_GRID, covariates)
    band2, band3 = model.band(CURVE_GRID, covariates)
    artists.grade2_line.set_ydata(100 * grade2)
    artists.grade3_line.set_ydata(100 * grade3)
    artists.grade2_band.remove()
    artists.grade3_band.remove()
    artists.grade2_band = _band(artists.risk_axes, band2[0], band2[1], COLOURS["band"], None)
    artists.grade3_band = _band(artists.risk_axes, band3[0], band3[1], COLOURS["neutral"], "///")


def update_marker(
    artists: ExplorerArtists, platelet_count: float, grade2: float, grade3: float, spots: PetechiaeSample
) -> None:
    """Move the marker to the current count and put the sampled spots on the body."""
    shown = min(max(platelet_count, COUNT_RANGE[0]), COUNT_RANGE[1])
    artists.marker_line.set_xdata([shown, shown])
    artists.marker_points.set_data(
        [shown, shown], [max(100 * grade2, PERCENT_RANGE[0]), max(100 * grade3, PERCENT_RANGE[0])]
    )
    artists.spots.set_offsets(spots.positions if spots.total else np.empty((0, 2)))


def explorer_png_from_scratch(model, covariates, points, thresholds, platelet_count, grade2, grade3, spots) -> bytes:
    """The naive pattern (a new figure and a full PNG per move): kept for the benchmark's comparison."""
    figure, artists = build_explorer_figure(model, covariates, points, thresholds)
    update_marker(artists, platelet_count, grade2, grade3, spots)
    return png_bytes(figure)


# ---------------------------------------------------------------------------------------------- cohort


@dataclass
class CohortArtists:
    trajectory_lines: dict
    bleeding_bars: dict
    transfusion_bars: dict
    axes: tuple

    @property
    def moving(self) -> list:
        """The artists a new cohort result changes (to be blitted over the fixed axes)."""
        bars = [bar for group in (*self.bleeding_bars.values(), *self.transfusion_bars.values()) for bar in group]
        return [*self.trajectory_lines.values(), *bars]


def build_cohort_figure(result: CohortResult, transfusion_top: float | None = None) -> tuple[Figure, CohortArtists]:
    """Mean platelet count by day per strategy; share of patients who bled; transfusions per patient.

    ``transfusion_top`` fixes the top of the transfusions axis (the live explorer keeps one axis for every nadir);
    the moving artists carry gids (``trajectory_0``…, ``bar_grade2_0``…, ``bar_transfusions_0``…)."""
    figure = new_figure(10.0, 3.8, dpi=80)
    grid = figure.add_gridspec(1, 3, width_ratios=[1.5, 1.2, 0.9])
    trajectory, bled, transfused = (figure.add_subplot(grid[0, i]) for i in range(3))
    names = list(result.outcomes)
    colours = dict(zip(names, SERIES, strict=False))
    days = np.arange(result.settings.days)
    lines = {}
    for name, outcome in result.outcomes.items():
        (lines[name],) = trajectory.plot(
            days,
            outcome.mean_platelet_count_by_day,
            color=colours[name],
            lw=2,
            label=name,
            ls=["-", "--", ":"][names.index(name) % 3],
        )
    for count in (10, 20):
        trajectory.axhline(count, color=COLOURS["threshold"], lw=1, ls=":")
    trajectory.set_yscale("log")
    trajectory.set_ylim(3, 200)
    trajectory.set_yticks([5, 10, 20, 50, 100], ["5", "10", "20", "50", "100"])
    trajectory.set_xlabel("Day")
    trajectory.set_ylabel("Mean platelet count (×10^9/L)")
    trajectory.legend(frameon=False, fontsize=8, loc="upper center")
    positions = np.arange(len(names))
    width = 0.38
    grade2 = [100 * o.share_with_grade2_bleeding for o in result.outcomes.values()]
    grade3 = [100 * o.share_with_grade3_bleeding for o in result.outcomes.values()]
    bleeding_bars = {
        "grade2": bled.bar(positions - width / 2, grade2, width, color=COLOURS["model"], label="grade ≥2"),
        "grade3": bled.bar(positions + width / 2, grade3, width, color=COLOURS["marker"], hatch="//", label="grade ≥3"),
    }
    bled.set_ylim(0, 100)
    bled.set_ylabel("Patients who bled (%)")
    bled.legend(frameon=False, fontsize=8)
    transfusion_bars = {
        "all": transfused.bar(
            positions, [o.mean_transfusions for o in result.outcomes.values()], 0.6, color=[colours[n] for n in names]
        )
    }
    transfused.set_ylabel("Transfusions per patient")
    short = [n.replace("prophylactic ", "").replace("therapeutic only", "therap.") for n in names]
    for ax in (bled, transfused):
        ax.set_xticks(positions, short)
    top = max(12.0, 1.2 * max(o.mean_transfusions for o in result.outcomes.values()))
    transfused.set_ylim(0, top if transfusion_top is None else transfusion_top)
    for i, line in enumerate(lines.values()):
        line.set_gid(f"trajectory_{i}")
    for group, bars in (*bleeding_bars.items(), ("transfusions", transfusion_bars["all"])):
        for i, bar in enumerate(bars):
            bar.set_gid(f"bar_{group}_{i}")
    return figure, CohortArtists(lines, bleeding_bars, transfusion_bars, (trajectory, bled, transfused))


def update_cohort_figure(artists: CohortArtists, result: CohortResult) -> bool:
    """Put a new cohort result into the existing figure; True if an axis range changed (redraw the axes)."""
    outcomes = list(result.outcomes.values())
    for outcome in outcomes:
        artists.trajectory_lines[outcome.strategy].set_ydata(outcome.mean_platelet_count_by_day)
    for bar, outcome in zip(artists.bleeding_bars["grade2"], outcomes, strict=True):
        bar.set_height(100 * outcome.share_with_grade2_bleeding)
    for bar, outcome in zip(artists.bleeding_bars["grade3"], outcomes, strict=True):
        bar.set_height(100 * outcome.share_with_grade3_bleeding)
    for bar, outcome in zip(artists.transfusion_bars["all"], outcomes, strict=True):
        bar.set_height(outcome.mean_transfusions)
    highest = max(o.mean_transfusions for o in outcomes)
    limits = (0, max(12.0, 1.2 * highest))
    if artists.axes[2].get_ylim() == limits:
        return False
    artists.axes[2].set_ylim(*limits)
    return True
