"""Lesson 08's doubling-time explorer has no chart: its figure is one big line of text (the headline number)."""

from __future__ import annotations

from matplotlib.figure import Figure

from .palette import COLOURS
from .render import new_figure

HEADLINE_GIDS = ("doubling_line", "rise_line")


def headline_figure(doubling_line: str, rise_line: str) -> Figure:
    """A strip that shows the doubling time large on the left and the rise on the right (the live front end
    rewrites both texts: ``gid`` s :data:`HEADLINE_GIDS`)."""
    figure = new_figure(7.0, 0.75, dpi=90)
    figure.set_layout_engine("none")
    left = figure.text(0.01, 0.5, doubling_line, fontsize=20, va="center", ha="left", color=COLOURS["data"])
    right = figure.text(0.99, 0.5, rise_line, fontsize=16, va="center", ha="right", color=COLOURS["annotation"])
    for text, gid in zip((left, right), HEADLINE_GIDS, strict=True):
        text.set_gid(gid)
    return figure
