"""Drawn examples for lesson 01: a lesion at true scale on a skin patch, and the glass-press (diascopy) test."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon, Rectangle

from ..models.lesions import LesionClass
from .palette import COLOURS
from .render import new_figure

PATCH_WIDTH_MM = 60.0
PATCH_HEIGHT_MM = 36.0
_LESION_CENTRE = (24.0, 18.0)


def lesion_outline(diameter_mm: float, centre: tuple[float, float] = _LESION_CENTRE, seed: int = 3) -> np.ndarray:
    """A slightly irregular round outline (x, y in mm) of the given mean diameter."""
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    wobble = 1 + 0.06 * np.random.default_rng(seed).standard_normal(angles.size).cumsum() / 8
    wobble /= wobble.mean()
    radius = diameter_mm / 2 * wobble
    return np.column_stack([centre[0] + radius * np.cos(angles), centre[1] + radius * np.sin(angles)])


class LesionFigure:
    """The static layer of the live size classifier: both glass states drawn, what moves carries a ``gid``.

    ``lesion`` (the outline, redrawn per diameter), ``size_label`` (its text) move; the glass panel draws the
    rash unpressed (``erythema``) and pressed (``erythema_pressed``), the glass (``glass``) and both captions
    (``glass_label_off``, ``glass_label_on``), and the front end shows the pair that matches the checkbox.
    """

    GIDS = ("lesion", "size_label", "erythema", "erythema_pressed", "glass", "glass_label_off", "glass_label_on")

    def __init__(self, lesion: LesionClass) -> None:
        self.figure: Figure = new_figure(8.0, 3.4, dpi=90)
        self.size_axes, self.glass_axes = self.figure.subplots(1, 2, width_ratios=[1.6, 1])
        self._draw_static()
        self.lesion = Polygon(
            lesion_outline(lesion.diameter_mm), closed=True, facecolor=COLOURS["blood"], edgecolor=COLOURS["blood_edge"]
        )
        self.size_axes.add_patch(self.lesion)
        self.size_label = self.size_axes.text(
            PATCH_WIDTH_MM / 2, PATCH_HEIGHT_MM + 1.5, size_label(lesion), ha="center", va="bottom", fontsize=12,
            weight="bold",
        )  # fmt: skip
        # glass test panel: a petechia (left) and a blanching red macule (right) under an optional glass slide;
        # under the glass, blood inside vessels is pushed out (blanches), blood outside vessels stays
        self.erythema = Circle((21, 12), 5, facecolor=COLOURS["erythema"], edgecolor="none")
        self.erythema_pressed = Circle(
            (21, 12), 5, facecolor=COLOURS["skin"], edgecolor=COLOURS["erythema"], linestyle="--"
        )
        # the glass is drawn as an outline so that nothing under it looks paler than it is
        self.glass = Rectangle((1, 1.2), 28, 17.3, facecolor="none", edgecolor=COLOURS["glass"], lw=2.5)
        for artist in (self.erythema, self.erythema_pressed, self.glass):
            self.glass_axes.add_patch(artist)
        self.glass_label_off = self.glass_axes.text(15, 20.5, "Glass not pressed", ha="center", va="bottom", fontsize=9)
        self.glass_label_on = self.glass_axes.text(
            15, 20.5, "Glass pressed (blue frame):\nthe rash fades, the petechiae stay", ha="center", va="bottom",
            fontsize=9,
        )  # fmt: skip
        for gid in self.GIDS:
            getattr(self, gid).set_gid(gid)  # the live front end finds what moves by these ids in the SVG

    def _draw_static(self) -> None:
        axes = self.size_axes
        axes.add_patch(Rectangle((0, 0), PATCH_WIDTH_MM, PATCH_HEIGHT_MM, facecolor=COLOURS["skin"], edgecolor="none"))
        # pinpoint comparison spots of 1 mm, as petechiae look
        for x, y in ((46, 26), (49, 24), (47.5, 21), (51, 27.5)):
            axes.add_patch(Circle((x, y), 0.5, facecolor=COLOURS["blood"], edgecolor="none"))
        axes.text(48.5, 30, "1 mm spots", ha="center", fontsize=8)
        # 10 mm scale bar
        axes.plot([42, 52], [6, 6], color="black", lw=3, solid_capstyle="butt")
        axes.text(47, 7.2, "10 mm", ha="center", fontsize=9)
        _frame(axes, PATCH_WIDTH_MM, PATCH_HEIGHT_MM + 6)
        axes.set_title("Skin patch drawn to scale", fontsize=10)

        glass_axes = self.glass_axes
        glass_axes.add_patch(Rectangle((0, 0), 30, 20, facecolor=COLOURS["skin"], edgecolor="none"))
        for x, y in ((7, 11), (9, 8), (6, 7.5), (10.5, 12), (8, 13.5)):
            glass_axes.add_patch(Circle((x, y), 0.7, facecolor=COLOURS["blood"], edgecolor="none", zorder=3))
        glass_axes.text(8, 3.2, "petechiae", ha="center", fontsize=8, zorder=4)
        glass_axes.text(21, 2.2, "red rash of\nwidened vessels", ha="center", fontsize=8, zorder=4)
        _frame(glass_axes, 30, 27)
        glass_axes.set_title("The glass test (diascopy)", fontsize=10)


def size_label(lesion: LesionClass) -> str:
    """The label above the drawn lesion: '12.0 mm: ecchymosis (above 10 mm)'."""
    return f"{lesion.diameter_mm:.1f} mm: {lesion.name} ({lesion.rule})"


def _frame(axes: Axes, width: float, height: float) -> None:
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_aspect("equal")
    axes.axis("off")
