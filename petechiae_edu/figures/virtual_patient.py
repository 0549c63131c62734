"""Drawing the virtual patient: survival curves from diagnosis, and one patient's course with a moving day marker.

:func:`draw_survival` draws share alive against days after diagnosis for one or more simulated groups, with the
published check figures as black marks. :func:`build_course_figure` draws one patient's counts (static: the
lines, infection days, bleeding marks, treatment and death) beside the body map, and returns the artists that
move (the day line, the dots on the counts, the petechiae) so the explorer can blit them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..models.survival import PatientCourse, PatientGroup
from .bleeding import draw_body_map
from .palette import COLOURS
from .render import new_figure

LINE_STYLES = ("-", "--", ":", "-.")
MOVING_GIDS = ("vp_day_line", "vp_dot_platelets", "vp_dot_anc", "vp_dot_haemoglobin", "vp_spots")
SERIES = (  # attribute, label, colour, marker
    ("platelets", "Platelets (×10^9/L)", COLOURS["model"], "o"),
    ("anc", "Neutrophils (×10^9/L)", COLOURS["leukaemia"], "s"),
)


def draw_survival(
    ax: Axes, groups: Mapping[str, PatientGroup], checks: Sequence[tuple[float, float, str, str]] = ()
) -> None:
    """Share alive (%) against days after diagnosis for each labelled group. ``checks`` are published points
    (day, share alive 0–1, series label, label of the group they compare with; never fitted), drawn with a black
    edge in the colour of that group's line, one marker shape and one legend entry per series."""
    colours = (COLOURS["model"], COLOURS["marker"], COLOURS["leukaemia"], COLOURS["normal"])
    colour_of = {}
    for i, (label, group) in enumerate(groups.items()):
        days, alive = group.survival_curve()
        colour_of[label] = colours[i % 4]
        ax.step(days, 100 * alive, where="post", color=colours[i % 4], ls=LINE_STYLES[i % 4], lw=2, label=label)
    markers = ("D", "s", "^", "o", "v")
    series = list(dict.fromkeys(check[2] for check in checks))
    for day, share, label, group_label in checks:
        ax.plot(
            [day], [100 * share], marker=markers[series.index(label) % 5], ls="none", ms=8,
            color=colour_of.get(group_label, COLOURS["data"]), markeredgecolor=COLOURS["data"], markeredgewidth=1.5,
            label="_nolegend_" if label in ax.get_legend_handles_labels()[1] else label,
        )  # fmt: skip
    ax.set_xlabel("Days after diagnosis")
    ax.set_ylabel("Alive (%)")
    ax.set_ylim(0, 102)
    ax.set_xlim(left=0)
    ax.legend(loc="upper right", fontsize=8, frameon=False)


def survival_figure(groups: Mapping[str, PatientGroup], checks: Sequence[tuple[float, float, str, str]] = ()) -> Figure:
    """A one-panel survival figure (the lesson's chart)."""
    figure = new_figure(7.5, 4.0, dpi=90)
    ax = figure.add_subplot()
    draw_survival(ax, groups, checks)
    ax.set_title("Virtual patients: survival from diagnosis (teaching model)", fontsize=11)
    return figure


@dataclass
class CourseArtists:
    """What moves in the course figure: the day line, the dots on the counts and the petechiae."""

    day_line: object
    dots: list
    spots: object
    body_ax: Axes

    @property
    def animated(self) -> list:
        return [self.day_line, *self.dots, self.spots]


def _spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def draw_course(ax: Axes, course: PatientCourse, first_day: int, window: tuple[int, int] | None = None) -> list:
    """One patient's counts from course day ``first_day`` to the end (x: days after diagnosis); returns the dots
    that mark the current day. ``window`` (first, last day after diagnosis) fixes the x axis whatever the patient
    (the live explorer keeps one data-to-SVG transform for every patient); the counts stop at its end."""
    days = np.arange(course.platelets.size) - course.diagnosis_day
    last = course.last_day if window is None else min(course.last_day, course.diagnosis_day + window[1])
    shown = slice(first_day, last + 1)
    dots = []
    for attribute, label, colour, marker in SERIES:
        values = np.maximum(getattr(course, attribute)[shown], 0.01)
        ax.plot(days[shown], values, color=colour, lw=1.8, label=label)
        (dot,) = ax.plot([], [], marker=marker, color=colour, ms=7, ls="none")
        dots.append(dot)
    ax.set_yscale("log")
    ax.set_ylim(0.01, 1000)
    top = ax.get_ylim()[1]
    for start, end in _spans(course.infected):
        ax.axvspan(days[start] - 0.5, days[end] + 0.5, color=COLOURS["threshold"], alpha=0.25, lw=0)
    for mask, marker, size, label in (
        (course.bleeding_grade2 & ~course.bleeding_grade3, "v", 5, "Grade 2 bleeding"),
        (course.bleeding_grade3, "X", 8, "Grade ≥3 bleeding"),
        (course.intracranial, "*", 12, "Intracranial bleed"),
    ):
        hit = np.flatnonzero(mask)
        if hit.size:
            ax.plot(days[hit], np.full(hit.size, top * 0.5), marker=marker, ms=size, ls="none",
                    color=COLOURS["blood"], label=label)  # fmt: skip
    ax.axvline(0, color=COLOURS["neutral"], lw=1, ls="--")
    ax.text(0, 0.013, " diagnosis", fontsize=8, color=COLOURS["annotation"])
    if course.treatment_start_day is not None:
        start = course.treatment_start_day - course.diagnosis_day
        ax.axvline(start, color=COLOURS["normal"], lw=2)
        ax.text(start, 0.2, " treatment", fontsize=8, color=COLOURS["normal_text"])
    if course.transformation_day is not None:
        ax.axvline(course.transformation_day - course.diagnosis_day, color=COLOURS["leukaemia"], lw=2, ls=":")
    if course.death_day is not None:
        death = course.death_day - course.diagnosis_day
        ax.axvline(death, color=COLOURS["data"], lw=2.5)
        ax.text(death, 300, f" died ({course.cause})", fontsize=9, color=COLOURS["data"], ha="right")
    twin = ax.twinx()
    twin.plot(days[shown], course.haemoglobin[shown], color=COLOURS["marker"], lw=1.5, ls="--", label="Haemoglobin")
    twin.set_ylim(0, 18)
    twin.set_ylabel("Haemoglobin (g/dL, dashed)")
    (hb_dot,) = twin.plot([], [], marker="D", color=COLOURS["marker"], ms=6, ls="none")
    dots.append(hb_dot)
    ax.set_xlabel("Days after diagnosis (orange bands: infection with fever)")
    ax.set_ylabel("Count (×10^9/L, log scale)")
    ax.set_xlim(*((days[first_day], days[course.last_day] + 1) if window is None else (window[0], window[1] + 1)))
    ax.legend(loc="center left", fontsize=7, frameon=False)
    return dots


def build_course_figure(
    course: PatientCourse, first_day: int, skin_tone: int, window: tuple[int, int] | None = None
) -> tuple[Figure, CourseArtists]:
    """The persistent two-panel figure of the virtual-patient explorer (counts, body map). The moving artists carry
    gids (:data:`MOVING_GIDS`) for the live front end; ``window`` as in :func:`draw_course`."""
    figure = new_figure(10.0, 4.2, dpi=80)
    grid = figure.add_gridspec(1, 3)
    ax = figure.add_subplot(grid[0, :2])
    body = figure.add_subplot(grid[0, 2])
    dots = draw_course(ax, course, first_day, window)
    day_line = ax.axvline(0, color=COLOURS["annotation"], lw=2.5, alpha=0.8)
    spots = draw_body_map(body, skin_tone=skin_tone)
    artists = CourseArtists(day_line, dots, spots, body)
    for artist, gid in zip(artists.animated, MOVING_GIDS, strict=True):
        artist.set_gid(gid)
    return figure, artists


def move_day(artists: CourseArtists, course: PatientCourse, day: int, spot_positions: np.ndarray) -> None:
    """Put the day line and dots on course day ``day`` and show ``spot_positions`` (n × 2 body-map units)."""
    x = day - course.diagnosis_day
    artists.day_line.set_xdata([x, x])
    values = (course.platelets[day], course.anc[day], course.haemoglobin[day])
    for dot, value in zip(artists.dots, values, strict=True):
        dot.set_data([x], [max(value, 0.01)] if np.isfinite(value) else [np.nan])
    artists.spots.set_offsets(spot_positions if len(spot_positions) else np.empty((0, 2)))
