"""A field of a stained blood film at ×100 oil, laid out as shapes (pure numpy): the model behind the film atlas.

:func:`lay_out_field` takes what a film holds (cell key -> how many, from ``data/blood_films.toml``) and how each
cell type looks (size in µm, nucleus shape and chromatin, cytoplasm colour, granules, Auer rods: an atlas
description with sources, :class:`petechiae_edu.content.film_data.FilmCell`) and returns a :class:`FilmField`:
polygons, points and line segments in µm, with RGBA colours, ready for matplotlib collections.

Assumptions and limits (a teaching drawing, not a photograph and not a simulation of a smear):

- the field is 80 × 50 µm of the thin "monolayer" part of the film, where red cells lie side by side without
  overlapping much; red cells are placed on a jittered hexagonal grid with spacing 1.08 red-cell diameters, so a
  film with fewer red cells (anaemia) shows more gaps;
- the field is chosen around white cells, as an atlas plate is: white cells are far commoner here than in blood;
- sizes are drawn uniformly inside the range the atlas gives; shapes are simple (ellipses, lobes joined by
  filaments, a kidney bean) and chromatin is a texture: many fine pale dots for open blast chromatin, fewer
  coarse dark clumps for condensed chromatin;
- colours are drawing choices that imitate a Romanowsky stain; they are not calibrated to any stain or camera.

Same ``seed`` and inputs give exactly the same field. Sizes in µm throughout.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .film_shapes import BLACK, WHITE, blob, kidney, mix, rgba, scatter_inside, schistocyte

FIELD_WIDTH_UM = 80.0
FIELD_HEIGHT_UM = 50.0
RED_CELL_SPACING = 1.08  # hexagonal grid spacing, in red-cell diameters
AUER_ROD_COLOUR = "#b3174f"
NUCLEOLUS_LIGHTEN = 0.42
LAYERS = ("red", "pallor", "platelet", "cytoplasm", "nucleus", "nucleolus")


@dataclass(frozen=True)
class PlacedCell:
    """One object drawn in the field: its cell key, centre (µm from the field's lower-left corner), radius (µm)."""

    key: str
    x: float
    y: float
    radius: float


@dataclass
class FilmField:
    """Everything to draw one field, in µm: polygons per layer, points (granules, chromatin) and segments."""

    width: float
    height: float
    cells: list[PlacedCell] = field(default_factory=list)
    polygons: dict[str, list[np.ndarray]] = field(default_factory=lambda: {layer: [] for layer in LAYERS})
    faces: dict[str, list[np.ndarray]] = field(default_factory=lambda: {layer: [] for layer in LAYERS})
    edges: dict[str, list[np.ndarray]] = field(default_factory=lambda: {layer: [] for layer in LAYERS})
    point_xy: list[np.ndarray] = field(default_factory=list)
    point_size: list[np.ndarray] = field(default_factory=list)  # diameters, µm
    point_colour: list[np.ndarray] = field(default_factory=list)
    segments: list[np.ndarray] = field(default_factory=list)  # (2, 2) each
    segment_width: list[float] = field(default_factory=list)  # µm
    segment_colour: list[np.ndarray] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Cell key -> how many were drawn."""
        found: dict[str, int] = {}
        for cell in self.cells:
            found[cell.key] = found.get(cell.key, 0) + 1
        return found

    def points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All points as arrays: positions (n, 2) µm, diameters (n,) µm, colours (n, 4)."""
        if not self.point_xy:
            return np.empty((0, 2)), np.empty(0), np.empty((0, 4))
        return np.vstack(self.point_xy), np.concatenate(self.point_size), np.vstack(self.point_colour)

    def _shape(self, layer: str, polygon: np.ndarray, face: np.ndarray, edge: np.ndarray | None = None) -> None:
        self.polygons[layer].append(polygon)
        self.faces[layer].append(face)
        self.edges[layer].append(mix(face, BLACK, 0.25) if edge is None else edge)

    def _dots(self, xy: np.ndarray, size: np.ndarray | float, colour: np.ndarray) -> None:
        if len(xy):
            self.point_xy.append(xy)
            self.point_size.append(np.broadcast_to(np.asarray(size, dtype=float), (len(xy),)).copy())
            self.point_colour.append(np.tile(colour, (len(xy), 1)))

    def _line(self, start: np.ndarray, end: np.ndarray, width: float, colour: np.ndarray) -> None:
        self.segments.append(np.array([start, end]))
        self.segment_width.append(width)
        self.segment_colour.append(colour)


def film_seed(film_key: str, seed: int) -> np.random.Generator:
    """The random generator of one film and seed (different films differ at the same seed; stable across runs)."""
    return np.random.default_rng([seed, zlib.crc32(film_key.encode())])


def lay_out_field(
    film_key: str,
    composition: Mapping[str, int],
    looks: Mapping[str, Any],
    *,
    seed: int = 0,
    width: float = FIELD_WIDTH_UM,
    height: float = FIELD_HEIGHT_UM,
    keep_clear: tuple[tuple[float, float, float], ...] = (),
) -> FilmField:
    """Place and shape every cell of one field.

    ``composition``: cell key -> how many (white cells first; ``red_cell``, ``platelet``, ``large_platelet``,
    ``platelet_clump``, ``schistocyte`` as the film says). ``looks``: cell key -> an object with the attributes of
    :class:`~petechiae_edu.content.film_data.FilmCell`. ``keep_clear``: discs (x, y, radius in µm) where nothing
    is placed, e.g. under a scale bar. Objects that do not fit are left out (see
    :meth:`FilmField.counts` for what was drawn).
    """
    rng = film_seed(film_key, seed)
    out = FilmField(width, height)
    taken: list[tuple[float, float, float]] = list(keep_clear)  # x, y, radius of everything placed so far
    big_first = sorted(
        (k for k in composition if looks[k].kind == "white cell"), key=lambda k: -looks[k].diameter_high_um
    )
    for key in big_first:
        for _ in range(composition[key]):
            radius = rng.uniform(looks[key].diameter_low_um, looks[key].diameter_high_um) / 2
            spot = _free_spot(rng, taken, radius, width, height, margin=radius + 0.5, gap=0.8, tries=600)
            if spot is None:  # a crowded field: try once more at the smallest size the atlas allows
                radius = looks[key].diameter_low_um / 2
                spot = _free_spot(rng, taken, radius, width, height, margin=radius + 0.3, gap=0.4, tries=1500)
            if spot is not None:
                _draw_white_cell(out, rng, looks[key], key, *spot, radius)
                taken.append((*spot, radius))
    for key in ("platelet_clump", "large_platelet", "schistocyte"):
        for _ in range(composition.get(key, 0)):
            radius = rng.uniform(looks[key].diameter_low_um, looks[key].diameter_high_um) / 2
            spot = _free_spot(rng, taken, radius, width, height, margin=radius + 0.3, gap=0.4)
            if spot is not None:
                _draw_small(out, rng, looks, key, *spot, radius)
                taken.append((*spot, radius))
    _place_red_cells(out, rng, looks["red_cell"], composition.get("red_cell", 0), taken)
    for _ in range(composition.get("platelet", 0)):
        radius = rng.uniform(looks["platelet"].diameter_low_um, looks["platelet"].diameter_high_um) / 2
        spot = _free_spot(rng, taken, radius, width, height, margin=radius + 0.3, gap=0.3)
        if spot is not None:
            _draw_small(out, rng, looks, "platelet", *spot, radius)
            taken.append((*spot, radius))
    return out


def _free_spot(
    rng: np.random.Generator,
    taken: list[tuple[float, float, float]],
    radius: float,
    width: float,
    height: float,
    *,
    margin: float,
    gap: float,
    tries: int = 300,
) -> tuple[float, float] | None:
    if margin * 2 >= min(width, height):
        return None
    candidates = rng.uniform((margin, margin), (width - margin, height - margin), size=(tries, 2))
    if not taken:
        return float(candidates[0, 0]), float(candidates[0, 1])
    placed = np.asarray(taken)
    distance = np.hypot(candidates[:, None, 0] - placed[None, :, 0], candidates[:, None, 1] - placed[None, :, 1])
    free = np.all(distance >= placed[None, :, 2] + radius + gap, axis=1)
    if not free.any():
        return None
    x, y = candidates[np.argmax(free)]
    return float(x), float(y)


def _place_red_cells(
    out: FilmField, rng: np.random.Generator, look: Any, wanted: int, taken: list[tuple[float, float, float]]
) -> None:
    """Red cells on a jittered hexagonal grid (the monolayer), keeping clear of what is already placed."""
    if wanted <= 0:
        return
    mean_diameter = (look.diameter_low_um + look.diameter_high_um) / 2
    step = RED_CELL_SPACING * mean_diameter
    rows = np.arange(-0.3 * step, out.height + 0.3 * step, step * np.sqrt(3) / 2)
    grid = [
        (x + (step / 2 if row % 2 else 0.0), y)
        for row, y in enumerate(rows)
        for x in np.arange(-0.2 * step, out.width + 0.2 * step, step)
    ]
    sites = np.asarray(grid) + rng.uniform(-0.06, 0.06, size=(len(grid), 2)) * step
    radii = rng.uniform(look.diameter_low_um, look.diameter_high_um, size=len(sites)) / 2
    if taken:
        placed = np.asarray(taken)
        distance = np.hypot(sites[:, None, 0] - placed[None, :, 0], sites[:, None, 1] - placed[None, :, 1])
        clear = np.all(distance >= placed[None, :, 2] + radii[:, None] * 0.92 + 0.2, axis=1)
        sites, radii = sites[clear], radii[clear]
    chosen = np.sort(rng.permutation(len(sites))[:wanted])
    body = rgba(look.cytoplasm_colour)
    rim, ring, pallor = mix(body, BLACK, 0.18), mix(body, WHITE, 0.28), mix(body, WHITE, 0.55)
    for (x, y), radius in zip(sites[chosen], radii[chosen], strict=True):
        outline = blob(rng, x, y, radius, wobble=0.025, aspect=0.93 + 0.07 * rng.random())
        centre = np.array([x, y])
        out._shape("red", outline, body, rim)
        # central pallor about a third of the diameter, with a softer ring around it (the biconcave dip)
        out._shape("pallor", centre + 0.56 * (outline - centre), ring, ring)
        out._shape("pallor", centre + 0.34 * (outline - centre), pallor, pallor)
        out.cells.append(PlacedCell("red_cell", float(x), float(y), float(radius)))
        taken.append((float(x), float(y), float(radius)))


def _draw_small(
    out: FilmField, rng: np.random.Generator, looks: Mapping[str, Any], key: str, x: float, y: float, radius: float
) -> None:
    look = looks[key]
    if key == "schistocyte":
        form = ("helmet", "triangle", "crescent")[int(rng.integers(3))]
        body = rgba(look.cytoplasm_colour)
        out._shape("red", schistocyte(rng, x, y, radius, form), body, mix(body, BLACK, 0.2))
    elif key == "platelet_clump":
        single = looks["platelet"]
        pieces = int(rng.integers(9, 15))
        spread = rng.normal(0, radius * 0.38, size=(pieces, 2))
        spread *= np.minimum(1, radius * 0.75 / np.maximum(np.hypot(*spread.T), 1e-9))[:, None]
        for dx, dy in spread:
            size = rng.uniform(single.diameter_low_um, single.diameter_high_um) / 2 * 1.15
            _platelet(out, rng, single, x + dx, y + dy, size, granules=int(rng.integers(3, 7)))
    else:
        _platelet(out, rng, look, x, y, radius, granules=look.granule_count)
    out.cells.append(PlacedCell(key, x, y, radius))


def _platelet(out: FilmField, rng: np.random.Generator, look: Any, x: float, y: float, r: float, granules: int):
    shape = blob(rng, x, y, r, wobble=0.16, aspect=rng.uniform(0.75, 1.0))
    out._shape("platelet", shape, rgba(look.cytoplasm_colour, 0.95))
    centre = np.array([x, y]) + 0.2 * (shape.mean(axis=0) - np.array([x, y]))
    core = np.vstack([centre + 0.55 * (shape - centre)])
    out._dots(scatter_inside(rng, core, granules), rng.uniform(0.28, 0.45), rgba(look.nucleus_colour, 0.9))


def _draw_white_cell(
    out: FilmField, rng: np.random.Generator, look: Any, key: str, x: float, y: float, radius: float
) -> None:
    cytoplasm = rgba(look.cytoplasm_colour)
    if look.nucleus == "smudged":
        _smudge(out, rng, look, x, y, radius)
        out.cells.append(PlacedCell(key, x, y, radius))
        return
    outline = blob(rng, x, y, radius, wobble=0.035, aspect=rng.uniform(0.9, 1.0))
    out._shape("cytoplasm", outline, cytoplasm, mix(cytoplasm, BLACK, 0.2))
    rod_angle = rng.uniform(0, 2 * np.pi)
    nuclei = _nucleus(rng, look, x, y, radius, away_from=rod_angle if look.auer_rods else None)
    nucleus_colour = rgba(look.nucleus_colour)
    for part in nuclei:
        out._shape("nucleus", part, nucleus_colour, mix(nucleus_colour, BLACK, 0.25))
    if look.nucleus == "segmented":
        centres = [part.mean(axis=0) for part in nuclei]
        for a, b in itertools.pairwise(centres):
            out._line(a, b, 0.45, nucleus_colour)
    _chromatin(out, rng, look, nuclei, nucleus_colour)
    _nucleoli(out, rng, look, nuclei, nucleus_colour)
    _granules(out, rng, look, outline, nuclei)
    if look.nucleus == "kidney" and key == "monocyte":
        vacuoles = scatter_inside(rng, outline, int(rng.integers(1, 4)), avoid=nuclei, shrink=0.8)
        out._dots(vacuoles, rng.uniform(0.9, 1.5), mix(cytoplasm, WHITE, 0.7))
    if look.auer_rods:
        _auer_rods(out, rng, look.auer_rods, x, y, radius, rod_angle)
    out.cells.append(PlacedCell(key, x, y, radius))


def _nucleus(
    rng: np.random.Generator, look: Any, x: float, y: float, radius: float, away_from: float | None
) -> list[np.ndarray]:
    """The nucleus as one or more polygons (lobes), inside a cell of ``radius`` µm centred at (x, y)."""
    r = radius * look.nucleus_fraction
    shift_angle = rng.uniform(0, 2 * np.pi) if away_from is None else away_from + np.pi
    shift = (radius - r) * {"round": 0.45, "oval": 0.7, "kidney": 0.55, "bilobed": 0.3}.get(look.nucleus, 0.0)
    cx, cy = x + shift * np.cos(shift_angle), y + shift * np.sin(shift_angle)
    if look.nucleus == "round":
        return [blob(rng, cx, cy, r, wobble=0.04, aspect=rng.uniform(0.88, 1.0))]
    if look.nucleus == "oval":
        return [blob(rng, cx, cy, r, wobble=0.04, aspect=0.78)]
    if look.nucleus == "kidney":
        return [kidney(rng, cx, cy, r * 1.1, depth=0.5, angle=shift_angle + np.pi)]
    if look.nucleus == "bilobed":
        turn = rng.uniform(0, np.pi)
        apart = 0.5 if look.chromatin == "condensed" else 0.32
        offsets = np.array([np.cos(turn), np.sin(turn)]) * r * apart
        lobe = r * (0.56 if look.chromatin == "condensed" else 0.68)
        return [blob(rng, cx + s * offsets[0], cy + s * offsets[1], lobe, wobble=0.06, aspect=0.85) for s in (-1, 1)]
    # segmented: 2–5 lobes (mostly 3–4) along a C-shaped arc
    lobes = int(rng.choice([2, 3, 3, 3, 4, 4, 5]))
    start = rng.uniform(0, 2 * np.pi)
    arc = start + 1.15 * np.arange(lobes) - 0.575 * (lobes - 1)
    path = radius * (0.45 if lobes > 2 else 0.32)
    return [blob(rng, x + path * np.cos(a), y + path * np.sin(a), radius * 0.29, wobble=0.1, aspect=0.78) for a in arc]


def _chromatin(
    out: FilmField, rng: np.random.Generator, look: Any, nuclei: list[np.ndarray], colour: np.ndarray
) -> None:
    """Texture: fine pale stipple for open (blast) chromatin, coarse dark clumps for condensed chromatin."""
    for part in nuclei:
        area = 0.5 * abs(np.dot(part[:, 0], np.roll(part[:, 1], 1)) - np.dot(part[:, 1], np.roll(part[:, 0], 1)))
        if look.chromatin == "fine":
            dots = scatter_inside(rng, part, int(area * 1.6), shrink=0.9)
            out._dots(dots, rng.uniform(0.3, 0.5, len(dots)), mix(colour, WHITE, 0.22))
        elif look.chromatin == "condensed":
            dots = scatter_inside(rng, part, int(area * 0.7), shrink=0.85)
            out._dots(dots, rng.uniform(0.45, 0.85, len(dots)), mix(colour, BLACK, 0.22))


def _nucleoli(
    out: FilmField, rng: np.random.Generator, look: Any, nuclei: list[np.ndarray], colour: np.ndarray
) -> None:
    if not look.nucleoli:
        return
    spots = scatter_inside(rng, nuclei[0], look.nucleoli, shrink=0.6)
    pale = mix(colour, (0.72, 0.78, 0.92), NUCLEOLUS_LIGHTEN)
    for sx, sy in spots:
        out._shape("nucleolus", blob(rng, sx, sy, rng.uniform(0.7, 1.1), wobble=0.1), pale, mix(colour, BLACK, 0.1))


GRANULE_LOOK = {  # kind -> (colour, diameter low, high µm, share allowed over the nucleus)
    "fine": ("#c08aa8", 0.2, 0.32, 0.0),
    "coarse azurophilic": ("#8e1c5a", 0.4, 0.7, 0.45),
    "eosinophilic": ("#e0592e", 0.6, 0.85, 0.0),
    "basophilic": ("#2a0b3d", 0.7, 1.15, 0.5),
    "platelet": ("#5a2d82", 0.3, 0.45, 0.0),
}


def _granules(
    out: FilmField, rng: np.random.Generator, look: Any, outline: np.ndarray, nuclei: list[np.ndarray]
) -> None:
    if look.granules == "none" or not look.granule_count:
        return
    hex_colour, low, high, over_nucleus = GRANULE_LOOK[look.granules]
    on_top = int(look.granule_count * over_nucleus)
    beside = scatter_inside(rng, outline, look.granule_count - on_top, avoid=nuclei, shrink=0.93)
    above = scatter_inside(rng, outline, on_top, shrink=0.85)
    both = np.vstack((beside, above))
    out._dots(both, rng.uniform(low, high, len(both)), rgba(hex_colour, 0.9))


def _auer_rods(
    out: FilmField, rng: np.random.Generator, rods: int, x: float, y: float, radius: float, angle: float
) -> None:
    """Auer rods: thin reddish needles in the cytoplasm; several in bundles for a faggot cell."""
    colour = rgba(AUER_ROD_COLOUR)
    bundles = 1 if rods < 4 else 2
    for bundle in range(bundles):
        at = angle + (bundle * 1.9 if bundles > 1 else 0.0)
        centre = np.array([x, y]) + radius * 0.8 * np.array([np.cos(at), np.sin(at)])
        tangent = np.array([-np.sin(at), np.cos(at)])
        normal = np.array([np.cos(at), np.sin(at)])
        in_bundle = rods if bundles == 1 else (rods + 1 - bundle) // 2
        for i in range(in_bundle):
            tilt = rng.normal(0, 0.08)
            direction = tangent * np.cos(tilt) + normal * np.sin(tilt)
            half = rng.uniform(1.5, 2.6) if rods > 1 else rng.uniform(1.9, 2.5)
            middle = centre + normal * 0.32 * (i - (in_bundle - 1) / 2) - normal * 0.25 * (in_bundle > 1)
            out._line(middle - half * direction, middle + half * direction, 0.32 if rods > 1 else 0.42, colour)


def _smudge(out: FilmField, rng: np.random.Generator, look: Any, x: float, y: float, radius: float) -> None:
    """A smudge cell: a ragged, pale smear of nuclear chromatin with no cytoplasm, streaked where it was crushed."""
    colour = rgba(look.cytoplasm_colour, 0.85)
    shape = blob(rng, x, y, radius, wobble=0.22, aspect=rng.uniform(0.65, 0.9))
    out._shape("nucleus", shape, colour, mix(colour, BLACK, 0.15))
    streak = rgba(look.nucleus_colour, 0.8)
    for _ in range(int(rng.integers(7, 12))):
        a = rng.uniform(0, 2 * np.pi)
        start = np.array([x, y]) + rng.uniform(0, 0.3) * radius * np.array([np.cos(a), np.sin(a)])
        end = np.array([x, y]) + rng.uniform(0.6, 0.95) * radius * np.array([np.cos(a), np.sin(a)])
        out._line(start, end, rng.uniform(0.2, 0.45), streak)
    clumps = scatter_inside(rng, shape, 25, shrink=0.7)
    out._dots(clumps, rng.uniform(0.5, 0.9, len(clumps)), mix(streak, WHITE, 0.1))
