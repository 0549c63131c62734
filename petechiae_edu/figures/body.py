"""A front-view body outline (head, neck, trunk, arms, hands, legs, feet) as one smooth closed spline path.

The outline is drawn in the body-map units of :mod:`petechiae_edu.models.petechiae` (0–100 wide and high), through
the control points below (the figure's right half; the left half is its mirror image), smoothed by a closed
Catmull–Rom spline turned into cubic Bézier segments. The petechiae regions of the model lie inside it
(``tests/test_body_map.py`` checks). It is a teaching sketch: proportions are the course's own.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path

from .. import validation
from ..content.skin_data import skin_lesions, skin_tones
from ..models import skin as skin_model
from ..models.petechiae import NIPPLE_LINE

# Right half (x ≥ 50), from the top of the head down the outside and back up the inside of the leg to the crotch.
RIGHT_HALF = (
    (50.0, 99.5), (53.2, 98.8), (55.4, 96.5), (56.0, 93.0), (55.3, 89.5), (53.8, 86.8),  # head
    (53.0, 85.5), (53.0, 83.2),  # neck
    (56.5, 81.8), (61.0, 80.8), (63.8, 79.2), (65.2, 76.0),  # shoulder
    (65.8, 70.0), (66.6, 62.0), (67.2, 56.0), (68.2, 49.0), (69.0, 43.5),  # outside of the arm
    (70.0, 40.5), (70.2, 37.0), (69.0, 34.8), (67.3, 35.5), (66.6, 38.5),  # hand
    (66.3, 41.5), (65.6, 48.0), (64.8, 55.0), (64.0, 62.0), (63.0, 70.0), (62.0, 73.5),  # inside of the arm
    (61.5, 70.0), (60.6, 64.0), (59.8, 58.5), (60.6, 53.0), (61.8, 48.0),  # side of the trunk, waist, hip
    (61.6, 42.0), (60.6, 35.0), (59.6, 29.0), (59.8, 24.0), (60.0, 19.0), (58.8, 12.0), (57.6, 6.5),  # leg
    (58.6, 3.5), (59.5, 1.6), (58.0, 0.6), (54.5, 0.5), (52.8, 1.2),  # foot
    (53.2, 4.5), (52.6, 10.0), (52.3, 18.0), (52.2, 24.0), (51.9, 29.0), (51.6, 36.0), (51.0, 42.5),  # inner leg
    (50.0, 45.5),  # crotch
)  # fmt: skip


def outline_points() -> np.ndarray:
    """The closed outline's control points (k, 2): the right half, then the left half mirrored."""
    right = np.array(RIGHT_HALF)
    left = np.column_stack([100 - right[1:-1, 0], right[1:-1, 1]])[::-1]
    return np.vstack([right, left])


def body_outline_path(tension: float = 0.5) -> Path:
    """The outline as a closed Path of cubic Bézier segments (a Catmull–Rom spline through the control points)."""
    points = outline_points()
    before, after = np.roll(points, 1, axis=0), np.roll(points, -1, axis=0)
    after2 = np.roll(points, -2, axis=0)
    control1 = points + (after - before) * tension / 3
    control2 = after - (after2 - points) * tension / 3
    vertices = [points[0]]
    for c1, c2, end in zip(control1, control2, after, strict=True):
        vertices += [c1, c2, end]
    codes = [Path.MOVETO] + [Path.CURVE4] * (len(vertices) - 1)
    vertices.append(points[0])
    codes.append(Path.CLOSEPOLY)
    return Path(np.array(vertices), codes)


def skin_colour(skin_tone: int) -> str:
    """The sRGB colour ('#rrggbb') of skin tone ``skin_tone`` (Fitzpatrick 1–6) from ``data/skin.toml``."""
    tones = skin_tones()
    return tones[validation.choice(skin_tone, "skin_tone", tuple(tones))].srgb


def spot_colour(skin_tone: int) -> np.ndarray:
    """The colour of a petechia on skin tone ``skin_tone``: the skin multiplied by the light blood lets through."""
    skin = skin_model.hex_to_srgb(skin_colour(skin_tone))
    return skin_model.lesion_srgb(skin, skin_lesions()["petechiae"].absorbance)


def draw_body(ax: Axes, *, skin_tone: int = 2) -> PathPatch:
    """Draw the filled outline in the skin tone, with the nipples and the nipple line marked; return the patch."""
    skin = skin_model.hex_to_srgb(skin_colour(skin_tone))
    edge = skin_model.linear_to_srgb(skin_model.srgb_to_linear(skin) * 0.35)
    body = PathPatch(body_outline_path(), facecolor=skin, edgecolor=edge, lw=1.2, zorder=1)
    ax.add_patch(body)
    for x in (45.5, 54.5):
        ax.add_patch(Circle((x, NIPPLE_LINE), 0.55, fc=edge, ec="none", alpha=0.6, zorder=2))
    ax.plot([38.5, 61.5], [NIPPLE_LINE, NIPPLE_LINE], color="#666666", lw=0.8, ls="--", zorder=2)
    ax.text(70.5, NIPPLE_LINE, "nipple line", fontsize=7, va="center", color="#555555")
    return body
