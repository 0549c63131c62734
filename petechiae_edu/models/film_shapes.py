"""Shape primitives for the drawn blood film (pure numpy): outlines, nuclei, schistocytes, points inside shapes.

Every shape is an ``(n, 2)`` array of vertices in µm. Colours are RGBA rows of floats 0–1. Nothing here draws;
:mod:`petechiae_edu.models.blood_film` assembles these into a field and :mod:`petechiae_edu.figures.blood_film`
draws them with matplotlib collections.
"""

from __future__ import annotations

import numpy as np

VERTICES = 40
_THETA = np.linspace(0, 2 * np.pi, VERTICES, endpoint=False)
_COS, _SIN = np.cos(_THETA), np.sin(_THETA)


def rgba(hex_colour: str, alpha: float = 1.0) -> np.ndarray:
    """``'#a9c4ea'`` as an RGBA row of floats 0–1."""
    value = hex_colour.lstrip("#")
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)] + [alpha])


def mix(colour: np.ndarray, other: np.ndarray | tuple[float, ...], amount: float) -> np.ndarray:
    """``colour`` moved ``amount`` (0–1) of the way towards ``other`` (RGB only; alpha kept)."""
    out = colour.copy()
    out[:3] = (1 - amount) * colour[:3] + amount * np.asarray(other, dtype=float)[:3]
    return out


WHITE = np.array([1.0, 1.0, 1.0])
BLACK = np.array([0.0, 0.0, 0.0])


def blob(
    rng: np.random.Generator,
    cx: float,
    cy: float,
    radius: float,
    *,
    wobble: float = 0.04,
    aspect: float = 1.0,
    angle: float | None = None,
) -> np.ndarray:
    """A round outline of ``radius`` µm with a gentle random wobble, squashed to ``aspect`` and rotated."""
    u = rng.random(10)  # one draw per outline: the layout of a field makes hundreds of these
    harmonics = 2 + (u[:3] * 4).astype(int)
    weights = 0.3 + 0.7 * u[6:9]
    bump = weights @ np.sin(np.outer(harmonics, _THETA) + 2 * np.pi * u[3:6, None]) / weights.sum()
    r = radius * (1 + wobble * bump)
    turn = 2 * np.pi * u[9] if angle is None else angle
    return _turn(np.column_stack((r * _COS, aspect * r * _SIN)), turn, cx, cy)


def kidney(
    rng: np.random.Generator, cx: float, cy: float, radius: float, *, depth: float = 0.38, angle: float | None = None
) -> np.ndarray:
    """A kidney-bean outline: a squashed circle with one side pushed in by ``depth`` of its radius."""
    # the dent faces angle 0; the bean is long across the dent
    dent = depth * np.exp(-((((_THETA + np.pi) % (2 * np.pi) - np.pi) / 0.7) ** 2))
    r = radius * (1 - dent) * (1 + 0.03 * np.sin(3 * _THETA + rng.uniform(0, 6.3)))
    return _place(np.column_stack((0.75 * r * _COS, r * _SIN)), rng, cx, cy, angle)


def schistocyte(rng: np.random.Generator, cx: float, cy: float, radius: float, form: str) -> np.ndarray:
    """A red-cell fragment: ``'helmet'`` (a disc cut by a straight edge with two horns), ``'triangle'`` (sharp
    angles, straight edges) or ``'crescent'``."""
    if form == "helmet":
        cut = np.arccos(-0.15)
        arc = np.linspace(-cut, cut, 24)
        outline = np.column_stack((np.cos(arc), np.sin(arc)))
        horn = 0.28
        chord = np.array([[-0.15 - horn, np.sin(cut) + 0.08], [-0.15 - horn, -np.sin(cut) - 0.08]])
        points = np.vstack((outline, chord)) * radius
    elif form == "triangle":
        corners = np.sort(rng.uniform(0, 2 * np.pi, 3) + np.array([0, 2.1, 4.2]))
        lengths = rng.uniform(0.85, 1.15, 3)
        points = np.column_stack((lengths * np.cos(corners), lengths * np.sin(corners))) * radius
    elif form == "crescent":
        outer = np.linspace(-np.pi / 2, np.pi / 2, 20)
        inner = outer[::-1]
        points = np.vstack(
            (np.column_stack((np.cos(outer), np.sin(outer))), np.column_stack((0.4 * np.cos(inner), np.sin(inner))))
        ) * np.array([radius * 0.9, radius * 1.1])
    else:
        raise ValueError(f"form = {form!r} is not one of 'helmet', 'triangle', 'crescent'")
    return _place(points, rng, cx, cy, None)


def _place(points: np.ndarray, rng: np.random.Generator, cx: float, cy: float, angle: float | None) -> np.ndarray:
    return _turn(points, rng.uniform(0, 2 * np.pi) if angle is None else angle, cx, cy)


def _turn(points: np.ndarray, turn: float, cx: float, cy: float) -> np.ndarray:
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    return points @ rotation.T + np.array([cx, cy])


def _polar(polygon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A star-shaped outline as (centre, vertex angles sorted, their radii): every shape here is star-shaped
    about its vertex mean, so a point is inside when it is nearer the centre than the outline in its direction."""
    centre = polygon.mean(axis=0)
    offset = polygon - centre
    angles = np.arctan2(offset[:, 1], offset[:, 0])
    order = np.argsort(angles)
    return centre, angles[order], np.hypot(offset[:, 0], offset[:, 1])[order]


def inside(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which of ``points`` (m, 2) lie inside the star-shaped ``polygon`` (n, 2) (outlines, lobes, nuclei)."""
    centre, angles, radii = _polar(polygon)
    offset = points - centre
    edge = np.interp(np.arctan2(offset[:, 1], offset[:, 0]), angles, radii, period=2 * np.pi)
    return np.hypot(offset[:, 0], offset[:, 1]) < edge


def scatter_inside(
    rng: np.random.Generator,
    polygon: np.ndarray,
    count: int,
    *,
    avoid: list[np.ndarray] | tuple[np.ndarray, ...] = (),
    shrink: float = 0.92,
) -> np.ndarray:
    """Up to ``count`` random points inside ``polygon`` (shrunk towards its centre) and outside every ``avoid``.

    Points are drawn in polar coordinates about the outline's centre (no rejection against the outline itself),
    so this stays cheap for the hundreds of granules and chromatin dots of a field.
    """
    if count <= 0:
        return np.empty((0, 2))
    centre, angles, radii = _polar(polygon)
    wanted = count * 2 + 4 if avoid else count
    theta = rng.uniform(-np.pi, np.pi, wanted)
    reach = shrink * np.sqrt(rng.random(wanted)) * np.interp(theta, angles, radii, period=2 * np.pi)
    points = centre + np.column_stack((reach * np.cos(theta), reach * np.sin(theta)))
    if avoid:
        keep = np.ones(wanted, dtype=bool)
        for region in avoid:
            keep &= ~inside(points, region)
        points = points[keep]
    return points[:count]
