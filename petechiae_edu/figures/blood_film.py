"""The drawn blood film: a field at ×100 oil as a matplotlib figure, its text description, and cell hotspots.

:func:`draw_blood_film` is the public entry (``petechiae_edu.draw_blood_film``): one call lays out a field with
:func:`petechiae_edu.models.blood_film.lay_out_field` from the atlas in ``data/blood_films.toml`` and draws it with
a handful of collections (one per layer), so a new picture takes tens of milliseconds
(``benchmarks/bench_blood_film.py`` prints the times). Every picture says "drawing, not a photograph" and carries
a 10 µm scale bar. :func:`film_description` is the one-paragraph text for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import citations, validation
from ..content.film_data import Film, FilmCell, film_cells, films
from ..models.blood_film import LAYERS, FilmField, PlacedCell, lay_out_field
from .render import new_figure

FIGURE_WIDTH_IN = 7.2
FIELD_HEIGHT_IN = 4.5
CAPTION_HEIGHT_IN = 0.42
DPI = 100
FILM_BACKGROUND = "#f6efe8"
SCALE_BAR_UM = 10.0
CAPTION = "Drawing, not a photograph"
_SCALE_BAR_CLEAR = (71.5, 3.0, 6.8)  # a disc (x, y, radius µm) over the scale bar's box, kept free of cells
_LAYER_Z = {layer: 1 + number for number, layer in enumerate(LAYERS)}


@dataclass
class FilmPicture:
    """A drawn field: the figure, what it holds (cell key -> number drawn) and the shapes it was drawn from."""

    film: Film
    seed: int
    labelled: bool
    figure: Figure
    axes: Axes
    field: FilmField
    counts: dict[str, int]


def film_keys() -> tuple[str, ...]:
    """The films the atlas can draw, in teaching order."""
    return tuple(films())


def _film(film: str | Film) -> Film:
    if isinstance(film, Film):
        return film
    available = films()
    return available[validation.choice(film, "film", available)]


def blood_film_picture(film: str | Film, *, seed: int = 0, labelled: bool = False) -> FilmPicture:
    """Lay out and draw one field of ``film`` (a key such as ``"aml"``); see :func:`draw_blood_film`."""
    record = _film(film)
    seed = validation.seed(seed)
    labelled = validation.flag(labelled, "labelled")
    looks = film_cells()
    field = lay_out_field(record.key, record.composition(), looks, seed=seed, keep_clear=(_SCALE_BAR_CLEAR,))
    citations.cite(*record.sources, by=f"figure: blood film '{record.key}'")
    cell_sources = dict.fromkeys(s for key in field.counts() for s in looks[key].sources)
    citations.cite(*cell_sources, by="figure: blood-film cell descriptions")
    figure = new_figure(FIGURE_WIDTH_IN, FIELD_HEIGHT_IN + CAPTION_HEIGHT_IN, dpi=DPI)
    figure.set_layout_engine("none")
    axes = figure.add_axes((0.0, CAPTION_HEIGHT_IN / (FIELD_HEIGHT_IN + CAPTION_HEIGHT_IN), 1.0, 1.0))
    axes.set_position(
        (
            0.0,
            CAPTION_HEIGHT_IN / (FIELD_HEIGHT_IN + CAPTION_HEIGHT_IN),
            1.0,
            FIELD_HEIGHT_IN / (FIELD_HEIGHT_IN + CAPTION_HEIGHT_IN),
        )
    )
    _draw_field(axes, field)
    _draw_scale_bar(axes, field)
    if labelled:
        _draw_labels(axes, field, looks)
    figure.text(
        0.01, 0.5 * CAPTION_HEIGHT_IN / (FIELD_HEIGHT_IN + CAPTION_HEIGHT_IN),
        f"{CAPTION} · {record.title} · field {seed}",
        va="center", ha="left", fontsize=9, color="#333333",
    )  # fmt: skip
    return FilmPicture(record, seed, labelled, figure, axes, field, field.counts())


def draw_blood_film(film: str, *, seed: int = 0, labelled: bool = False) -> tuple[Figure, dict[str, int]]:
    """Draw one field of a stained blood film at ×100 oil: a drawing, not a photograph.

    ``film``: one of ``"normal"``, ``"aml"``, ``"apl"``, ``"all"``, ``"cll"``, ``"cml"``, ``"itp"``, ``"ttp"``,
    ``"edta_clumps"`` (the atlas in ``data/blood_films.toml``). ``seed``: a whole number ≥ 0; the same seed gives
    the same field. ``labelled``: name one example of each kind of cell. Sizes follow the cited atlas
    descriptions (a red cell is 7–8 µm; the scale bar is 10 µm).

    Returns the figure and the counts drawn (cell key -> number), e.g. ``{"myeloblast": 4, "red_cell": 26, ...}``.

    >>> figure, counts = draw_blood_film("aml", seed=1)
    >>> counts["myeloblast_auer_rod"]
    1
    """
    picture = blood_film_picture(film, seed=seed, labelled=labelled)
    return picture.figure, picture.counts


def _draw_field(axes: Axes, field: FilmField) -> None:
    axes.set_xlim(0, field.width)
    axes.set_ylim(0, field.height)
    axes.set_axis_off()  # no ticks or spines to draw
    axes.add_patch(Rectangle((0, 0), field.width, field.height, facecolor=FILM_BACKGROUND, edgecolor="none", zorder=0))
    points_per_um = _points_per_um(axes, field)
    for layer in LAYERS:
        if field.polygons[layer]:
            axes.add_collection(
                PolyCollection(
                    field.polygons[layer],
                    facecolors=np.asarray(field.faces[layer]),
                    edgecolors=np.asarray(field.edges[layer]),
                    linewidths=0.6 if layer in ("red", "cytoplasm") else 0.3,
                    zorder=_LAYER_Z[layer],
                    antialiased=True,
                )
            )
    xy, size, colour = field.points()
    if len(xy):
        axes.scatter(xy[:, 0], xy[:, 1], s=(size * points_per_um) ** 2, c=colour, linewidths=0, zorder=len(LAYERS) + 1)
    if field.segments:
        axes.add_collection(
            LineCollection(
                list(field.segments),
                linewidths=np.asarray(field.segment_width) * points_per_um,
                colors=np.asarray(field.segment_colour),
                capstyle="round",
                zorder=len(LAYERS) + 2,
            )
        )


def _points_per_um(axes: Axes, field: FilmField) -> float:
    width_inches = axes.get_position().width * FIGURE_WIDTH_IN
    return width_inches * 72 / field.width


def _draw_scale_bar(axes: Axes, field: FilmField) -> None:
    right, bottom = field.width - 2.5, 2.2
    axes.fill_between(
        [right - SCALE_BAR_UM - 1.2, right + 1.2], bottom - 1.3, bottom + 3.4, color="white", alpha=0.8, zorder=20
    )
    axes.plot([right - SCALE_BAR_UM, right], [bottom, bottom], color="black", lw=3, solid_capstyle="butt", zorder=21)
    axes.text(right - SCALE_BAR_UM / 2, bottom + 0.7, f"{SCALE_BAR_UM:g} µm", ha="center", va="bottom", fontsize=9,
              zorder=21)  # fmt: skip


def _draw_labels(axes: Axes, field: FilmField, looks: dict[str, FilmCell]) -> None:
    """Name one example of each kind of cell, with a short leader line; a label never covers another label or
    another white cell (it would seem to name that one)."""
    seen: set[str] = set()
    boxes: list[tuple[float, float, float, float]] = []  # left, bottom, right, top in µm
    for cell in sorted(field.cells, key=lambda c: (c.key == "red_cell", -c.radius)):
        inside = cell.radius < cell.x < field.width - cell.radius and cell.radius < cell.y < field.height - cell.radius
        if cell.key in seen or not inside:
            continue
        text = looks[cell.key].name
        others = [c for c in field.cells if c is not cell and looks[c.key].kind == "white cell"]
        # a crowded field may leave no place clear of other cells: then a label may cover a cell, never a label
        spot = _label_spot(cell, len(text), field, boxes, others) or _label_spot(cell, len(text), field, boxes, [])
        if spot is None:
            continue
        seen.add(cell.key)
        towards = np.array(spot) - (cell.x, cell.y)
        edge = np.array((cell.x, cell.y)) + 0.85 * cell.radius * towards / max(np.hypot(*towards), 1e-9)
        axes.annotate(
            text, xy=tuple(edge), xytext=spot, ha="center", va="center", fontsize=8, zorder=30,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#555555", "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "#222222", "lw": 0.8, "shrinkA": 0, "shrinkB": 0},
        )  # fmt: skip


_CHAR_UM = 0.72  # width of one 8-pt character in µm at this figure's scale (6.5 pt per µm)
_LABEL_HEIGHT_UM = 2.6


def _label_spot(
    cell: PlacedCell,
    characters: int,
    field: FilmField,
    boxes: list[tuple[float, float, float, float]],
    others: list[PlacedCell],
) -> tuple[float, float] | None:
    """The centre of a label box near the cell (above, below, beside, then a little further along) that stays in
    the field and touches no other label and no other white cell."""
    half_width, half_height = characters * _CHAR_UM / 2 + 0.8, _LABEL_HEIGHT_UM / 2
    gap = cell.radius + 1.8
    places = [(0.0, gap + half_height), (0.0, -gap - half_height)]
    places += [(gap + half_width, 0.0), (-gap - half_width, 0.0)]
    places += [(dx, dy) for dx in (-8.0, 8.0, -14.0, 14.0) for dy in (gap + half_height, -gap - half_height)]
    for dx, dy in places:
        x, y = cell.x + dx, cell.y + dy
        box = (x - half_width, y - half_height, x + half_width, y + half_height)
        if box[0] < 0.5 or box[2] > field.width - 0.5 or box[1] < 0.5 or box[3] > field.height - 0.5:
            continue
        if not all(_box_misses_disc(box, other) for other in others):
            continue
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            return x, y
    return None


def _box_misses_disc(box: tuple[float, float, float, float], cell: PlacedCell) -> bool:
    nearest_x = min(max(cell.x, box[0]), box[2])
    nearest_y = min(max(cell.y, box[1]), box[3])
    return bool(np.hypot(cell.x - nearest_x, cell.y - nearest_y) > cell.radius)


def film_description(film: str | Film, counts: dict[str, int]) -> str:
    """A text description of a drawn field, for screen readers: what the field holds and what to look for.

    >>> film_description("itp", {"red_cell": 34, "neutrophil": 1, "lymphocyte": 1, "large_platelet": 1})[:40]
    'Drawing (not a photograph) of a blood fi'
    """
    record = _film(film)
    looks = film_cells()
    parts = []
    for key, number in counts.items():
        if number <= 0:
            continue
        look = looks[validation.choice(key, "cell type", looks)]
        parts.append(f"{number} {look.name if number == 1 else look.plural}")
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "no cells"
    return (
        f"Drawing (not a photograph) of a blood film field, {record.title}: {listed}. "
        f"{record.summary} Look for {record.look_for}."
    )


def cell_hotspots(picture: FilmPicture) -> list[dict[str, Any]]:
    """Where each drawn object sits in the rendered image, for clickable hotspots.

    Each entry: ``index``, ``key``, ``name``, ``left`` and ``top`` (the centre, as fractions 0–1 of the image's
    width and height, top-left origin) and ``radius`` (a fraction of the image width). Computed with the axes'
    data-to-pixel transform, so it matches the PNG from :func:`petechiae_edu.figures.render.png_bytes`.
    """
    figure = picture.figure
    width_px, height_px = figure.get_figwidth() * figure.dpi, figure.get_figheight() * figure.dpi
    looks = film_cells()
    transform = picture.axes.transData
    spots = []
    for index, cell in enumerate(picture.field.cells):
        x_px, y_px = transform.transform((cell.x, cell.y))
        edge_px, _ = transform.transform((cell.x + cell.radius, cell.y))
        spots.append(
            {
                "index": index,
                "key": cell.key,
                "name": looks[cell.key].name,
                "left": float(x_px / width_px),
                "top": float(1 - y_px / height_px),
                "radius": float((edge_px - x_px) / width_px),
            }
        )
    return spots
