"""Record types for the drawn skin in ``data/skin.toml``: tones, sites, lesions and where to look on dark skin.

The file keeps four arrays of tables:

- ``[[tone]]``: the six skin tones of the drawings, named by Fitzpatrick type, coloured by a Monk Skin Tone swatch;
- ``[[site]]``: where a picture is drawn (skin sites follow the tone; mucosa sites do not);
- ``[[lesion]]``: how each lesion is drawn (size band, blanching, raised, illustrative absorbance of its blood);
- ``[[look]]``: where and how to look for spots on brown or black skin.

Colours are sRGB ``"#rrggbb"``; absorbances are optical densities per linear-RGB channel (red, green, blue).
:func:`skin_tones`, :func:`skin_sites`, :func:`skin_lesions` and :func:`dark_skin_advice` read them (cached).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .errors import FieldError, require_one_of
from .loader import content_schema
from .store import entries

SKIN_FILE = "skin.toml"
SITE_KINDS = ("skin", "mucosa")
SIZE_CLASSES = ("petechia", "purpura", "ecchymosis", "petechia_to_purpura", "macule")
FITZPATRICK_TYPES = ("I", "II", "III", "IV", "V", "VI")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_ABSORBANCE = 6.0  # an optical density above this lets through less than 0.25 % of the light: black


def _check_colour(name: str, value: str) -> None:
    if not _HEX_COLOUR.fullmatch(value):
        raise FieldError(name, f"'{value}' is not an sRGB colour; expected '#rrggbb', e.g. '#a07e56'")


@content_schema("skin", array="tone")
@dataclass(frozen=True)
class SkinTone:
    """One drawn skin tone: Fitzpatrick type ``fitzpatrick`` with the base colour of Monk swatch ``monk_tone``."""

    key: str
    number: int = field(metadata={"help": "1–6, lightest first"})
    fitzpatrick: str = field(metadata={"help": "I, II, III, IV, V or VI"})
    words: str
    monk_tone: int = field(metadata={"help": "the Monk Skin Tone swatch used, 1–10"})
    srgb: str = field(metadata={"help": "'#rrggbb'"})
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 6:
            raise FieldError("number", f"{self.number} is not a tone of the scale; expected 1–6")
        require_one_of("fitzpatrick", self.fitzpatrick, FITZPATRICK_TYPES)
        if FITZPATRICK_TYPES.index(self.fitzpatrick) != self.number - 1:
            raise FieldError("fitzpatrick", f"tone {self.number} must be Fitzpatrick type "
                             f"{FITZPATRICK_TYPES[self.number - 1]}, not {self.fitzpatrick}")  # fmt: skip
        if not 1 <= self.monk_tone <= 10:
            raise FieldError("monk_tone", f"{self.monk_tone} is not a Monk Skin Tone; expected 1–10")
        _check_colour("srgb", self.srgb)

    @property
    def label(self) -> str:
        """How a menu names the tone: 'Fitzpatrick V (very rarely burns, brown skin)'."""
        return f"Fitzpatrick {self.fitzpatrick} ({self.words})"


@content_schema("skin_site", array="site", part_of="skin")
@dataclass(frozen=True)
class SkinSite:
    """A place on the body a picture shows; mucosa keeps its own colour whatever the skin tone."""

    key: str
    name: str
    where: str
    kind: str = field(metadata={"help": "skin or mucosa"})
    glass_test: bool
    note: str
    sources: tuple[str, ...]
    mucosa_srgb: str | None = None

    def __post_init__(self) -> None:
        require_one_of("kind", self.kind, SITE_KINDS)
        if self.kind == "mucosa":
            if self.mucosa_srgb is None:
                raise FieldError("mucosa_srgb", "a mucosa site needs its drawn colour, '#rrggbb'")
            _check_colour("mucosa_srgb", self.mucosa_srgb)
        elif self.mucosa_srgb is not None:
            raise FieldError("mucosa_srgb", "only a mucosa site has its own colour; skin follows the tone")


@content_schema("skin_lesion", array="lesion", part_of="skin")
@dataclass(frozen=True)
class SkinLesion:
    """How a lesion is drawn: its size band, whether it blanches or is raised, and its blood's absorbance."""

    key: str
    name: str
    size_class: str = field(metadata={"help": ", ".join(SIZE_CLASSES)})
    blanches: bool
    raised: bool
    absorbance: tuple[float, ...] = field(metadata={"help": "[red, green, blue] optical densities"})
    count_on_skin: int
    count_on_mucosa: int
    typical_sites: tuple[str, ...]
    look: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("size_class", self.size_class, SIZE_CLASSES)
        if len(self.absorbance) != 3:
            raise FieldError("absorbance", f"expected three optical densities [red, green, blue], got "
                             f"{len(self.absorbance)}")  # fmt: skip
        for value in self.absorbance:
            if not (math.isfinite(value) and 0 <= value <= MAX_ABSORBANCE):
                raise FieldError("absorbance", f"{value} is not an optical density 0–{MAX_ABSORBANCE:g}")
        for name in ("count_on_skin", "count_on_mucosa"):
            if not 1 <= getattr(self, name) <= 500:
                raise FieldError(name, f"{getattr(self, name)} lesions per picture; expected 1–500")


@content_schema("dark_skin_advice", array="look", part_of="skin")
@dataclass(frozen=True)
class DarkSkinAdvice:
    """Where and how to look for spots on brown or black skin."""

    key: str
    place: str
    advice: str
    sources: tuple[str, ...]


def skin_tones() -> dict[int, SkinTone]:
    """The six drawn skin tones by number (1–6, lightest first)."""
    return {tone.number: tone for tone in entries(SKIN_FILE, SkinTone, array="tone")}


def skin_sites() -> dict[str, SkinSite]:
    """The drawn sites by key (leg, chest, buttocks, palate, conjunctiva)."""
    return {site.key: site for site in entries(SKIN_FILE, SkinSite, array="site")}


def skin_lesions() -> dict[str, SkinLesion]:
    """The drawn lesions by key (petechiae, purpura, ecchymosis, palpable purpura, erythema)."""
    return {lesion.key: lesion for lesion in entries(SKIN_FILE, SkinLesion, array="lesion")}


def dark_skin_advice() -> tuple[DarkSkinAdvice, ...]:
    """Where and how to look on brown or black skin, in the file's order."""
    return entries(SKIN_FILE, DarkSkinAdvice, array="look")
