"""Record types for the blood-film atlas in ``data/blood_films.toml`` (issue 17).

- ``[[cell]]``: one cell type as a haematology atlas describes it (size in µm, nucleus shape and chromatin,
  cytoplasm colour, granules, Auer rods), with the sources of that description;
- ``[[film]]``: one drawn field of a film (which white cells and how many, how many red cells, platelets,
  platelet clumps and schistocytes), with the blood-count pattern it answers and its sources.

The colours are drawing choices meant to look like a Romanowsky stain; the sizes and shapes come from the
sources. :func:`film_cells` and :func:`films` read the file (cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, FieldError, require_one_of
from .loader import content_schema, file_check

FILM_FILE = "blood_films.toml"
CELL_KINDS = ("red cell", "white cell", "platelet")
NUCLEUS_SHAPES = ("none", "round", "oval", "kidney", "bilobed", "segmented", "smudged")
CHROMATIN = ("none", "fine", "condensed")
GRANULES = ("none", "fine", "coarse azurophilic", "eosinophilic", "basophilic", "platelet")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
# Cells drawn by their own film fields, not in white_cells
_COUNTED_APART = ("red_cell", "schistocyte", "platelet", "large_platelet", "platelet_clump")
MAX_CELLS_PER_FIELD = 80


@content_schema("blood_films", array="cell")
@dataclass(frozen=True)
class FilmCell:
    """How one cell type looks on a stained film at ×100 oil, as the cited atlas describes it."""

    key: str
    name: str
    plural: str
    kind: str = field(metadata={"help": "red cell, white cell or platelet"})
    diameter_low_um: float
    diameter_high_um: float
    nucleus: str = field(metadata={"help": ", ".join(NUCLEUS_SHAPES)})
    nucleus_fraction: float = field(metadata={"help": "nucleus diameter / cell diameter, 0–1"})
    chromatin: str = field(metadata={"help": ", ".join(CHROMATIN)})
    nucleoli: int
    cytoplasm_colour: str = field(metadata={"help": "hex colour such as #a9c4ea"})
    nucleus_colour: str = field(metadata={"help": "hex colour such as #3f1d63"})
    granules: str = field(metadata={"help": ", ".join(GRANULES)})
    granule_count: int
    auer_rods: int
    look: str = field(metadata={"help": "what a student should see, in one sentence"})
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("kind", self.kind, CELL_KINDS)
        require_one_of("nucleus", self.nucleus, NUCLEUS_SHAPES)
        require_one_of("chromatin", self.chromatin, CHROMATIN)
        require_one_of("granules", self.granules, GRANULES)
        if not 0.5 <= self.diameter_low_um <= self.diameter_high_um <= 30:
            raise FieldError(
                "diameter_high_um",
                f"size {self.diameter_low_um}–{self.diameter_high_um} µm must satisfy 0.5 ≤ low ≤ high ≤ 30 µm "
                "(blood cells on a film are 1.5–25 µm across)",
            )
        if not 0 <= self.nucleus_fraction <= 1:
            raise FieldError("nucleus_fraction", f"{self.nucleus_fraction} must be a fraction from 0 to 1")
        if (self.nucleus == "none") != (self.nucleus_fraction == 0):
            raise FieldError("nucleus_fraction", "must be 0 exactly when nucleus = 'none'")
        for name in ("nucleoli", "granule_count", "auer_rods"):
            value = getattr(self, name)
            if not 0 <= value <= 400:
                raise FieldError(name, f"{value} must be a whole number from 0 to 400")
        for name in ("cytoplasm_colour", "nucleus_colour"):
            if not _HEX.fullmatch(getattr(self, name)):
                raise FieldError(name, f"{getattr(self, name)!r} is not a hex colour such as '#a9c4ea'")


@content_schema("blood_film", array="film", part_of="blood_films")
@dataclass(frozen=True)
class Film:
    """One drawn field of a blood film: what it holds and what it teaches."""

    key: str
    title: str
    pattern: str = field(metadata={"help": "the blood-count pattern that makes you look at this film"})
    white_cells: dict[str, Any] = field(metadata={"help": "cell key -> how many are drawn, e.g. {neutrophil = 3}"})
    red_cells: int
    platelets: int
    large_platelets: int
    platelet_clumps: int
    schistocytes: int
    summary: str
    look_for: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        for name in ("red_cells", "platelets", "large_platelets", "platelet_clumps", "schistocytes"):
            value = getattr(self, name)
            if not 0 <= value <= MAX_CELLS_PER_FIELD:
                raise FieldError(name, f"{value} must be a whole number from 0 to {MAX_CELLS_PER_FIELD} per field")
        if not self.white_cells:
            raise FieldError("white_cells", "a film field needs at least one white cell to look at")
        for cell, number in self.white_cells.items():
            if cell in _COUNTED_APART:
                raise FieldError("white_cells", f"'{cell}' is drawn by its own field (e.g. red_cells), not here")
            if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= 20:
                raise FieldError("white_cells", f"{cell} = {number!r}: expected a whole number of cells from 1 to 20")

    def composition(self) -> dict[str, int]:
        """Cell key -> how many the field should hold (white cells first, then red cells and platelets)."""
        wanted = {cell: int(number) for cell, number in self.white_cells.items()}
        extras = {
            "schistocyte": self.schistocytes,
            "platelet_clump": self.platelet_clumps,
            "large_platelet": self.large_platelets,
            "red_cell": self.red_cells,
            "platelet": self.platelets,
        }
        wanted.update({cell: number for cell, number in extras.items() if number})
        return wanted


@file_check("blood_films")
def _white_cells_are_known(path: Path, records: tuple[Any, ...]) -> None:
    cells = {record.key: record for record in records if isinstance(record, FilmCell)}
    for record in records:
        if not isinstance(record, Film):
            continue
        for cell in record.white_cells:
            if cell not in cells:
                known = ", ".join(sorted(k for k, c in cells.items() if c.kind == "white cell"))
                raise ContentError(
                    path, f"unknown cell '{cell}' (known white cells: {known})", entry=record.key, field="white_cells"
                )
    for needed in _COUNTED_APART:
        if needed not in cells:
            raise ContentError(path, f"the atlas needs a [[cell]] with key = '{needed}'", field="key")


def film_cells(data_dir: Path | None = None) -> dict[str, FilmCell]:
    """Every cell type of the atlas, by key (cached)."""
    from . import store

    return {c.key: c for c in store.entries(FILM_FILE, FilmCell, array="cell", data_dir=data_dir)}


def films(data_dir: Path | None = None) -> dict[str, Film]:
    """Every film of the atlas, by key, in file order (cached)."""
    from . import store

    return {f.key: f for f in store.entries(FILM_FILE, Film, array="film", data_dir=data_dir)}
