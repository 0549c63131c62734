"""Drawn skin lesions as numbers: seeded positions and sizes in millimetres, and colours layered over the skin.

What the model does
    - Places ``count`` lesions at random (seeded) inside the lesion region of a site (a skin patch of the lower
      leg, upper chest or buttocks, the palate, or the conjunctiva of an everted lower eyelid), with diameters
      drawn from the size band the course's cut-offs give (``data/lesion_sizes.toml``: below the petechia
      cut-off, between the cut-offs for purpura, above the ecchymosis cut-off).
    - Colours a lesion by MULTIPLYING the colour under it by the light its blood lets through:
      ``lesion = base × exp(-density × absorbance)`` per linear-RGB channel. Extravasated blood absorbs light on
      top of whatever the skin already absorbs, so the same lesion shows less contrast on darker skin.
      Nothing is tuned per tone: the fall in contrast is a consequence of the multiplication, and
      :func:`lesion_contrast` measures it (CIE 1976 ΔE and the luminance contrast ratio).
    - Models the glass test: under a pressed glass, a lesion that blanches (blood inside widened vessels)
      empties and shows the skin; a lesion that does not blanch (blood outside the vessels) keeps its colour.

What is ASSUMED (illustrative, not measured)
    - the absorbances of the lesions' blood and the counts per picture (``data/skin.toml``);
    - where in each size band the diameters fall (:data:`SIZE_BANDS`, fractions of the cut-offs);
    - the soft edges (layers of lower density), the outline wobble, the skin texture and the shading;
    - the shapes of the sites, in millimetres (:func:`site_shapes`), drawn as a teaching sketch.

Limits: a drawing, not a photograph. Real lesions change colour with age (a bruise turns green and yellow), real
skin and mucosa vary within a person, and light, camera and screen change what is seen. Pure numpy, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import validation

SKIN_FIELD_MM = (60.0, 40.0)  # a skin patch 6 cm × 4 cm
SKIN_SITES = ("leg", "chest", "buttocks")
MUCOSA_SITES = ("palate", "conjunctiva")
SITES = (*SKIN_SITES, *MUCOSA_SITES)
SCLERA_SRGB = "#f3efe9"  # illustrative: the white of the eye
IRIS_SRGB = "#5b3a24"  # illustrative: a brown iris
# size class -> (low, high) diameter as (multiple of a cut-off, which cut-off): illustrative places in each band
SIZE_BANDS: dict[str, tuple[tuple[float, str], tuple[float, str]]] = {
    "petechia": ((0.35, "petechia"), (0.95, "petechia")),
    "purpura": ((1.25, "petechia"), (0.8, "ecchymosis")),
    "ecchymosis": ((1.3, "ecchymosis"), (2.8, "ecchymosis")),
    "petechia_to_purpura": ((0.5, "petechia"), (0.6, "ecchymosis")),
    "macule": ((1.5, "petechia"), (1.2, "ecchymosis")),
}


def _soft_edge(layers: int, inner_scale: float, edge_density: float) -> tuple[tuple[float, float], ...]:
    """(outline scale, density fraction) per layer, outermost first: a soft edge fading to the rim."""
    scales = np.linspace(1.0, inner_scale, layers)
    fractions = np.linspace(edge_density, 1.0, layers)
    return tuple((float(s), float(f)) for s, f in zip(scales, fractions, strict=True))


# size class -> soft edge as layers (scale of the outline, fraction of the density), drawn outermost first
EDGE_LAYERS: dict[str, tuple[tuple[float, float], ...]] = {
    "petechia": _soft_edge(2, 0.8, 0.7),
    "purpura": _soft_edge(4, 0.6, 0.55),
    "ecchymosis": _soft_edge(7, 0.35, 0.25),
    "petechia_to_purpura": _soft_edge(3, 0.7, 0.65),
    "macule": _soft_edge(6, 0.35, 0.2),
}
SUBCONJUNCTIVAL_ABSORBANCE = (0.45, 2.6, 2.2)  # illustrative: a thin, bright red bleed on the white of the eye
WOBBLE = {"petechia": 0.06, "purpura": 0.14, "ecchymosis": 0.22, "petechia_to_purpura": 0.08, "macule": 0.2}
OUTLINE_POINTS = 22
GLASS_RESIDUAL_DENSITY = 0.0  # a blanching lesion under the glass empties completely (assumed)


# ------------------------------------------------------------------------------------------------ colour


def hex_to_srgb(colour: str) -> np.ndarray:
    """'#rrggbb' as three sRGB values 0–1."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {colour!r} is not '#rrggbb'")
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def srgb_to_linear(rgb) -> np.ndarray:
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(linear) -> np.ndarray:
    linear = np.clip(np.asarray(linear, dtype=float), 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


_RGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def srgb_to_lab(rgb) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB colours (..., 3)."""
    xyz = srgb_to_linear(rgb) @ _RGB_TO_XYZ.T / _WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e(first, second) -> float:
    """CIE 1976 colour difference ΔE*ab between two sRGB colours (about 2.3 is a just-noticeable difference)."""
    return float(np.linalg.norm(srgb_to_lab(first) - srgb_to_lab(second)))


def relative_luminance(rgb) -> float:
    """Relative luminance (0 black – 1 white) of an sRGB colour."""
    return float(srgb_to_linear(rgb) @ _RGB_TO_XYZ[1])


def contrast_ratio(first, second) -> float:
    """Luminance contrast ratio (lighter + 0.05) / (darker + 0.05), 1 (none) to 21, as in WCAG."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lesion_srgb(base_srgb, absorbance, density=1.0) -> np.ndarray:
    """The colour of blood with ``absorbance`` [r, g, b] at ``density`` (0–1+) over a base sRGB colour.

    ``density`` may be an array (n,): the result is then (n, 3).
    """
    transmitted = np.exp(-np.multiply.outer(np.asarray(density, dtype=float), np.asarray(absorbance, dtype=float)))
    return linear_to_srgb(srgb_to_linear(base_srgb) * transmitted)


@dataclass(frozen=True)
class LesionContrast:
    """How far a full-density lesion stands out from the skin under it."""

    delta_e: float  # CIE 1976 ΔE*ab
    contrast_ratio: float  # luminance ratio, 1 = none
    lesion_srgb: tuple[float, float, float]


def lesion_contrast(skin_srgb, absorbance) -> LesionContrast:
    """ΔE and luminance ratio between the skin and a lesion of full density drawn on it."""
    lesion = lesion_srgb(skin_srgb, absorbance)
    red, green, blue = (float(channel) for channel in lesion)
    return LesionContrast(delta_e(skin_srgb, lesion), contrast_ratio(skin_srgb, lesion), (red, green, blue))


# ------------------------------------------------------------------------------------------------ geometry


def diameter_range_mm(size_class: str, petechia_below_mm: float, ecchymosis_above_mm: float) -> tuple[float, float]:
    """The (smallest, largest) drawn diameter in mm for a size class under the given cut-offs (mm)."""
    bands = validation.choice(size_class, "size_class", SIZE_BANDS)
    cut = {"petechia": petechia_below_mm, "ecchymosis": ecchymosis_above_mm}
    (low, which_low), (high, which_high) = SIZE_BANDS[bands]
    return low * cut[which_low], high * cut[which_high]


def _arc(x0: float, x1: float, y: float, rise: float, n: int = 40) -> np.ndarray:
    """Points of a parabolic arc from (x0, y) to (x1, y) rising ``rise`` mm in the middle."""
    x = np.linspace(x0, x1, n)
    s = 1 - ((x - (x0 + x1) / 2) / ((x1 - x0) / 2)) ** 2
    return np.column_stack([x, y + rise * s])


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 72) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def site_field_mm(site: str) -> tuple[float, float]:
    """Width and height (mm) of the drawn field of a site."""
    return {"palate": (50.0, 40.0), "conjunctiva": (44.0, 30.0)}.get(site, SKIN_FIELD_MM)


def site_shapes(site: str) -> dict[str, np.ndarray]:
    """Named polygons (mm) of a site's sketch; ``"lesions"`` is where lesions may sit (``"lesions_bulbar"`` for
    a bleed on the white of the eye)."""
    validation.choice(site, "site", SITES)
    width, height = site_field_mm(site)
    if site in SKIN_SITES:
        patch = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=float)
        return {"skin": patch, "lesions": np.array([[2, 2], [width - 2, 2], [width - 2, height - 2], [2, height - 2]])}
    if site == "palate":
        return {
            "mouth": _ellipse(25, 20, 22, 18.5),
            "mucosa": _ellipse(25, 21.5, 18.5, 15.5),
            "throat": _ellipse(25, 6.5, 9.5, 5.0),
            "uvula": _ellipse(25, 10.5, 2.2, 4.2, 30),
            "lesions": _ellipse(25, 19.5, 15.0, 9.5),
        }
    upper = _arc(6, 38, 17, 9)  # the upper lid margin, over the eye
    lower = _arc(6, 38, 17, -6)[::-1]
    sclera = np.vstack([upper, lower])
    crescent_top = _arc(7.5, 36.5, 10.4, -1.5)
    crescent_bottom = _arc(7.5, 36.5, 10.4, -7.5)[::-1]
    return {
        "sclera": sclera,
        "iris": _ellipse(22, 18.5, 5.8, 5.8),
        "pupil": _ellipse(22, 18.5, 2.3, 2.3),
        "mucosa": np.vstack([crescent_top, crescent_bottom]),
        "lesions": np.vstack([_arc(9, 35, 10.0, -1.8), _arc(9, 35, 10.0, -6.8)[::-1]]),
        "lesions_bulbar": np.vstack([_arc(29, 37, 17, 6), _arc(29, 37, 17, -4.5)[::-1]]),
    }


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which of ``points`` (n, 2) lie inside ``polygon`` (k, 2) (even-odd rule, vectorised)."""
    x, y = points[:, 0][:, None], points[:, 1][:, None]
    x0, y0 = polygon[:, 0][None, :], polygon[:, 1][None, :]
    x1, y1 = np.roll(polygon[:, 0], -1)[None, :], np.roll(polygon[:, 1], -1)[None, :]
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return ((crosses & (x < x_cross)).sum(axis=1) % 2) == 1


def sample_in_polygon(rng: np.random.Generator, polygon: np.ndarray, n: int) -> np.ndarray:
    """``n`` points uniform inside ``polygon`` (rejection sampling in its bounding box)."""
    low, high = polygon.min(axis=0), polygon.max(axis=0)
    found = np.empty((0, 2))
    while len(found) < n:
        candidates = low + rng.uniform(size=(max(4 * n, 64), 2)) * (high - low)
        found = np.vstack([found, candidates[points_in_polygon(candidates, polygon)]])
    return found[:n]


# ------------------------------------------------------------------------------------------------ lesions


@dataclass(frozen=True)
class LesionLook:
    """What the model needs to know about a lesion (from ``data/skin.toml``)."""

    key: str
    size_class: str
    blanches: bool
    raised: bool
    absorbance: tuple[float, float, float]
    count: int


@dataclass(frozen=True)
class SkinPatch:
    """The lesions of one picture: geometry in mm, colours in sRGB (0–1), before or under a pressed glass."""

    site: str
    field_mm: tuple[float, float]
    base_srgb: np.ndarray  # the colour the lesions sit on (skin, mucosa or sclera)
    centres_mm: np.ndarray  # (n, 2)
    diameters_mm: np.ndarray  # (n,)
    outlines_mm: np.ndarray  # (n, OUTLINE_POINTS, 2)
    densities: np.ndarray  # (n,) after the glass, 0 = emptied
    layers: tuple[tuple[float, float], ...]  # (outline scale, density fraction), outermost first
    layer_srgb: np.ndarray  # (layers, n, 3)
    raised: bool
    blanches: bool
    glass: tuple[float, float, float] | None  # (x, y, radius) mm of the pressed glass, or None
    under_glass: np.ndarray  # (n,) bool

    @property
    def count(self) -> int:
        return len(self.centres_mm)

    @property
    def visible(self) -> np.ndarray:
        """Which lesions still show (all of them unless a glass emptied them)."""
        return self.densities > 0


def glass_circle(site: str) -> tuple[float, float, float]:
    """Where the glass is pressed on a skin site: (x, y, radius) in mm, covering the middle of the patch."""
    width, height = site_field_mm(site)
    return width / 2, height / 2, 0.42 * height


def lay_out_lesions(
    look: LesionLook,
    *,
    base_srgb,
    site: str,
    petechia_below_mm: float,
    ecchymosis_above_mm: float,
    seed: int = 0,
    glass: bool = False,
) -> SkinPatch:
    """Seeded lesions for one picture. The same ``seed`` gives the same lesions with and without the glass."""
    seed = validation.seed(seed)
    validation.choice(site, "site", SITES)
    glass = validation.flag(glass, "glass")
    if glass and site not in SKIN_SITES:
        raise validation.InputValueError(
            f"glass = True at site = {site!r}: the glass test is done on skin ({', '.join(SKIN_SITES)}), "
            "not on the palate or the conjunctiva"
        )
    rng = np.random.default_rng([seed, look.count, SITES.index(site)])  # each site its own pattern
    shapes = site_shapes(site)
    region = (
        shapes["lesions_bulbar"] if site == "conjunctiva" and look.size_class == "ecchymosis" else shapes["lesions"]
    )
    low, high = diameter_range_mm(look.size_class, petechia_below_mm, ecchymosis_above_mm)
    n = look.count
    centres = sample_in_polygon(rng, region, n)
    if look.size_class in ("petechia", "petechia_to_purpura"):  # small spots: more small than large ones
        diameters = low * (high / low) ** rng.uniform(size=n) ** 1.4
    else:
        diameters = rng.uniform(low, high, size=n)
    angles = np.linspace(0, 2 * np.pi, OUTLINE_POINTS, endpoint=False)
    harmonics = np.arange(2, 5)
    amplitude = WOBBLE[look.size_class] * rng.uniform(0.4, 1.0, size=(n, harmonics.size)) / harmonics
    phase = rng.uniform(0, 2 * np.pi, size=(n, harmonics.size))
    wobble = 1 + (amplitude[:, :, None] * np.cos(harmonics[None, :, None] * angles + phase[:, :, None])).sum(axis=1)
    stretch = 1 + 0.25 * WOBBLE[look.size_class] / 0.22 * rng.uniform(-1, 1, size=(n, 1))
    radius = diameters[:, None] / 2 * wobble
    outlines = np.stack([radius * np.cos(angles) * stretch, radius * np.sin(angles) / stretch], axis=-1)
    outlines = outlines + centres[:, None, :]
    densities = rng.uniform(0.75, 1.1, size=n)
    circle = glass_circle(site) if glass else None
    under = np.zeros(n, dtype=bool)
    if circle is not None:
        under = np.hypot(centres[:, 0] - circle[0], centres[:, 1] - circle[1]) < circle[2]
        if look.blanches:
            densities = np.where(under, GLASS_RESIDUAL_DENSITY * densities, densities)
    base = np.asarray(base_srgb, dtype=float)
    layers = EDGE_LAYERS[look.size_class]
    layer_srgb = np.stack([lesion_srgb(base, look.absorbance, densities * fraction) for _scale, fraction in layers])
    return SkinPatch(
        site, site_field_mm(site), base, centres, diameters, outlines, densities, layers, layer_srgb,
        look.raised, look.blanches, circle, under,
    )  # fmt: skip


def layer_outlines(patch: SkinPatch, scale: float) -> np.ndarray:
    """The lesion outlines shrunk about their centres by ``scale`` (n, k, 2) mm."""
    centres = patch.centres_mm[:, None, :]
    return centres + scale * (patch.outlines_mm - centres)


def raised_highlights(patch: SkinPatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For raised lesions: shadow outlines (shifted down-right), highlight outlines (small, up-left) and the
    highlight colours (the lesion colour mixed a quarter of the way to white: light catching the dome)."""
    centres = patch.centres_mm[:, None, :]
    radius = patch.diameters_mm[:, None, None] / 2
    shadow = patch.outlines_mm + np.array([0.12, -0.16]) * radius
    highlight = centres + 0.38 * (patch.outlines_mm - centres) + np.array([-0.3, 0.32]) * radius
    colours = 0.75 * patch.layer_srgb[-1] + 0.25
    return shadow, highlight, colours


def skin_texture(site: str, seed: int = 0, shape: tuple[int, int] = (30, 45)) -> np.ndarray:
    """Brightness factors (rows × columns, about 0.8–1.05) for a site's skin: faint mottling, and on the leg the
    shading of a curved shin (darker at the sides). Illustrative."""
    rng = np.random.default_rng([validation.seed(seed), 99])
    coarse = rng.normal(size=(shape[0] // 5 + 2, shape[1] // 5 + 2))
    rows = np.linspace(0, coarse.shape[0] - 1.001, shape[0])
    cols = np.linspace(0, coarse.shape[1] - 1.001, shape[1])
    r0, c0 = rows.astype(int), cols.astype(int)
    fr, fc = (rows - r0)[:, None], (cols - c0)[None, :]
    smooth = (
        coarse[r0][:, c0] * (1 - fr) * (1 - fc) + coarse[r0 + 1][:, c0] * fr * (1 - fc)
        + coarse[r0][:, c0 + 1] * (1 - fr) * fc + coarse[r0 + 1][:, c0 + 1] * fr * fc
    )  # fmt: skip
    factors = 1 + 0.025 * smooth + 0.008 * rng.normal(size=shape)
    across = np.linspace(-1, 1, shape[1])[None, :]
    if site == "leg":
        factors = factors * (1 - 0.16 * across**2)
    elif site == "buttocks":
        down = np.linspace(-1, 1, shape[0])[:, None]
        factors = factors * (1 - 0.08 * (across**2 + down**2))
    return factors


def textured_skin(skin_srgb, factors: np.ndarray) -> np.ndarray:
    """An sRGB image (rows × columns × 3) of the skin colour scaled by ``factors`` in linear light."""
    return linear_to_srgb(srgb_to_linear(skin_srgb)[None, None, :] * factors[:, :, None])
