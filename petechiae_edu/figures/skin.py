"""Drawn skin: petechiae, purpura, ecchymoses, palpable purpura and a blanching rash on six skin tones.

:func:`skin_picture` builds one picture (a :class:`SkinPicture`: the figure, its text description and the number
of lesions drawn); :func:`draw_skin` returns only the figure; :func:`skin_description` gives the description
without drawing. Everything is to scale: axes are in millimetres, with a 10 mm bar. Geometry and colours come
from :mod:`petechiae_edu.models.skin`; tones, sites and lesions from ``data/skin.toml``; the size cut-offs from
``data/lesion_sizes.toml`` (the set the lessons use). Lesions are drawn as collections, so a picture is fast.
Under every picture of a rash that blanches the description adds :data:`BLANCHING_CAVEAT`: a rash that fades is
not a safe rash (an early meningococcal rash can blanch); the glass only ever confirms a non-blanching rash.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, PathPatch, Polygon
from matplotlib.path import Path

from .. import validation
from ..content import lesion_size_definitions
from ..content.skin_data import SkinLesion, skin_lesions, skin_sites, skin_tones
from ..models import skin as model
from .render import css_size, new_figure, png_bytes

NOT_A_PHOTOGRAPH = "Drawing, not a photograph"
SCALE_BAR_MM = 10.0
_BELOW_MM = 8.0  # room under the drawing for the scale bar
_MOUTH_SRGB = "#2b1114"
_LINE = "#222222"
# Said under every picture of a rash that blanches (R17-1): the glass test only ever confirms a non-blanching rash.
# Sources: the erythema entry of data/skin.toml (mrf_paediatric_guide: the early rash may be blanching;
# nhs_meningitis_symptoms: the rash may fade under pressure early, go to A&E if someone might be seriously ill;
# meningitisnow_rash: it may fade at first, so keep checking).
BLANCHING_CAVEAT = (
    "A rash that fades is not a safe rash: an early meningococcal rash can blanch, so a child with fever (now or "
    "earlier) who seems unwell goes to hospital now, whatever the glass shows, and in any child with fever the rash "
    "is checked again and the whole child is assessed. The glass can confirm that a rash does not blanch; it cannot "
    "make a rash safe."
)
BLANCHING_CAVEAT_SOURCES = ("mrf_paediatric_guide", "nhs_meningitis_symptoms", "meningitisnow_rash")


def size_cutoffs() -> tuple[float, float]:
    """The course's cut-offs (mm): below the first a petechia, above the second an ecchymosis."""
    chosen = [d for d in lesion_size_definitions().values() if d.used_in_lessons]
    definition = chosen[0]
    return definition.petechia_below_mm, definition.ecchymosis_above_mm


def _checked(lesion: str, skin_tone: int, site: str, glass: bool) -> tuple[SkinLesion, int, str, bool]:
    lesions = skin_lesions()
    record = lesions[validation.choice(lesion, "lesion", lesions)]
    tone = validation.whole_number(skin_tone, "skin_tone", low=1, high=6, unit="Fitzpatrick type (1 = I … 6 = VI)")
    site = validation.choice(site, "site", skin_sites())
    glass = validation.flag(glass, "glass")
    if glass and not skin_sites()[site].glass_test:
        raise validation.InputValueError(
            f"glass = True at site = {site!r}: the glass test is done on skin (leg, chest, buttocks), "
            "not on the palate or the conjunctiva"
        )
    return record, tone, site, glass


def base_colour(site: str, skin_tone: int, lesion: SkinLesion) -> str:
    """The colour a lesion sits on: the skin tone, the site's mucosa, or the white of the eye for a bleed there."""
    record = skin_sites()[site]
    if record.kind == "skin":
        return skin_tones()[skin_tone].srgb
    if site == "conjunctiva" and lesion.size_class == "ecchymosis":
        return model.SCLERA_SRGB
    return record.mucosa_srgb or model.SCLERA_SRGB


def lesion_look(lesion: SkinLesion, site: str) -> model.LesionLook:
    count = lesion.count_on_skin if skin_sites()[site].kind == "skin" else lesion.count_on_mucosa
    absorbance = lesion.absorbance
    if site == "conjunctiva" and lesion.size_class == "ecchymosis":  # a bleed on the white of the eye
        absorbance = model.SUBCONJUNCTIVAL_ABSORBANCE
    return model.LesionLook(lesion.key, lesion.size_class, lesion.blanches, lesion.raised, absorbance, count)


def lesion_patch(lesion: str, *, skin_tone: int, site: str = "leg", seed: int = 0, glass: bool = False):
    """The model's lesions (:class:`~petechiae_edu.models.skin.SkinPatch`) for one picture, without drawing."""
    record, tone, site, glass = _checked(lesion, skin_tone, site, glass)
    petechia_below, ecchymosis_above = size_cutoffs()
    return model.lay_out_lesions(
        lesion_look(record, site),
        base_srgb=model.hex_to_srgb(base_colour(site, tone, record)),
        site=site,
        petechia_below_mm=petechia_below,
        ecchymosis_above_mm=ecchymosis_above,
        seed=seed,
        glass=glass,
    )


def _size_words(record: SkinLesion) -> str:
    petechia_below, ecchymosis_above = size_cutoffs()
    low, high = model.diameter_range_mm(record.size_class, petechia_below, ecchymosis_above)
    rule = {
        "petechia": f"petechiae are below {petechia_below:g} mm",
        "purpura": f"purpura lies between {petechia_below:g} and {ecchymosis_above:g} mm",
        "ecchymosis": f"an ecchymosis is above {ecchymosis_above:g} mm",
        "petechia_to_purpura": f"petechiae below {petechia_below:g} mm and purpura above",
        "macule": "a rash of widened vessels is named by blanching, not by size",
    }[record.size_class]
    shown = f"{high:.1f}" if high < 10 else f"{high:.0f}"
    return f"drawn {low:.1f}–{shown} mm across ({rule}) beside a {SCALE_BAR_MM:g} mm scale bar"


def skin_description(lesion: str, *, skin_tone: int, site: str = "leg", glass: bool = False) -> str:
    """A text description of the picture :func:`draw_skin` draws (for screen readers, and as alt text).

    Does not depend on the seed: it says what is drawn, where, on which tone, at what size and contrast.
    """
    record, tone, site, glass = _checked(lesion, skin_tone, site, glass)
    tone_record, site_record = skin_tones()[tone], skin_sites()[site]
    look = lesion_look(record, site)
    contrast = model.lesion_contrast(model.hex_to_srgb(base_colour(site, tone, record)), look.absorbance)
    parts = [
        f"{NOT_A_PHOTOGRAPH}: {record.name} on {site_record.where}, on Fitzpatrick type {tone_record.fitzpatrick} "
        f"skin ({tone_record.words}).",
        f"They are {record.look}; {_size_words(record)}.",
    ]
    if site_record.kind == "mucosa":
        parts.append(
            f"In the drawing the {site_record.name} is the same pink on every skin tone, so the spots show there "
            "equally on every tone; in life it is usually paler than dark skin, which is why the sources send you "
            "there, but it varies too."
        )
    if site == "conjunctiva" and record.size_class == "ecchymosis":
        parts.append("A bleed this size over the white of the eye is a subconjunctival haemorrhage.")
    under = "skin" if site_record.kind == "skin" else site_record.name
    parts.append(f"Colour difference from the {under}: ΔE {contrast.delta_e:.0f} (about 2 is just noticeable).")
    if site not in record.typical_sites:
        parts.append(f"The {site_record.name} is not where the sources usually place {record.name}.")
    if glass:
        parts.append(
            "Right, a glass pressed on the middle of the patch: the rash fades under it, because pressure empties "
            "widened vessels."
            if record.blanches
            else "Right, a glass pressed on the middle of the patch: the spots stay visible through it, because the "
            "blood is outside the vessels (non-blanching)."
        )
    if record.blanches:
        parts.append(BLANCHING_CAVEAT)
    return " ".join(parts)


def lesion_contrast_by_tone(lesion: str, site: str = "leg") -> dict[int, float]:
    """CIE ΔE between the skin (or mucosa) and a full-density ``lesion`` at ``site``, per skin tone 1–6."""
    result = {}
    for tone in skin_tones():
        record, tone, site, _glass = _checked(lesion, tone, site, False)
        base = model.hex_to_srgb(base_colour(site, tone, record))
        result[tone] = model.lesion_contrast(base, lesion_look(record, site).absorbance).delta_e
    return result


@dataclass(frozen=True)
class SkinPicture:
    """A drawn picture: the figure, its text description, and how many lesions it drew."""

    figure: Figure
    description: str
    lesion_count: int
    patch: model.SkinPatch

    def _repr_html_(self) -> str:
        """The picture as an HTML image whose alt text is the description (JupyterLab reads alt only there)."""
        png = png_bytes(self.figure)
        encoded = base64.b64encode(png).decode("ascii")
        text = escape(self.description)
        width = css_size(png)[0]  # a 2x PNG shown at its CSS width: sharp on high-density screens
        return (
            f'<figure style="margin:0.5em 0"><img src="data:image/png;base64,{encoded}" alt="{text}" width="{width:g}" '
            f'style="max-width:100%;height:auto"/><figcaption><small>{text}</small></figcaption></figure>'
        )


def skin_picture(
    lesion: str,
    *,
    skin_tone: int,
    site: str = "leg",
    seed: int = 0,
    glass: bool = False,
    width_inches: float | None = None,
    dpi: int = 80,
) -> SkinPicture:
    """Draw ``lesion`` at ``site`` on skin tone ``skin_tone`` (Fitzpatrick 1–6); with ``glass`` the same patch
    before (left) and under a pressed glass (right)."""
    record, tone, site, glass = _checked(lesion, skin_tone, site, glass)
    figure = _empty_figure(site, glass, width_inches, dpi)
    return _draw_picture(figure, record, tone, site, seed, glass)


def _empty_figure(site: str, glass: bool, width_inches: float | None = None, dpi: int = 80) -> Figure:
    """A figure with one axes per panel, sized so that the site's millimetres are square."""
    width, height = model.site_field_mm(site)
    panels = 2 if glass else 1
    inches = width_inches or (4.9 if panels == 1 else 8.4)
    axes_width = inches * (1 / panels - 0.02)
    axes_height = axes_width * (height + _BELOW_MM) / width
    figure_height = axes_height + (0.9 if glass else 0.62)
    figure = new_figure(inches, figure_height, dpi=dpi)
    figure.set_layout_engine("none")
    rect_height = axes_height / figure_height
    for i in range(panels):
        figure.add_axes((0.01 + i / panels, 0.01, 1 / panels - 0.02, rect_height))
    top = 1 - 0.04 / figure_height
    figure.text(0.5, top, "", ha="center", va="top", fontsize=11, weight="bold")
    figure.text(0.5, top - 0.24 / figure_height, f"{NOT_A_PHOTOGRAPH} · to scale", ha="center", va="top",
                fontsize=9, color="#444444")  # fmt: skip
    return figure


def _draw_picture(figure: Figure, record: SkinLesion, tone: int, site: str, seed: int, glass: bool) -> SkinPicture:
    before = lesion_patch(record.key, skin_tone=tone, site=site, seed=seed)
    axes_list = figure.axes
    draw_site(axes_list[0], site, tone, before, seed=seed)
    if glass:
        pressed = lesion_patch(record.key, skin_tone=tone, site=site, seed=seed, glass=True)
        draw_site(axes_list[1], site, tone, pressed, seed=seed, cutoffs=False)
        axes_list[0].set_title("Before", fontsize=10)
        axes_list[1].set_title("Glass pressed", fontsize=10)
    tone_record, site_record = skin_tones()[tone], skin_sites()[site]
    figure.texts[0].set_text(f"{record.name.capitalize()} · {site_record.name} · Fitzpatrick {tone_record.fitzpatrick}")
    description = skin_description(record.key, skin_tone=tone, site=site, glass=glass)
    figure.set_label(description)  # the text travels with the figure: ``figure.get_label()``
    return SkinPicture(figure, description, before.count, before)


class SkinCanvas:
    """Draws pictures into kept figures (one per site and glass layout), so a new picture skips building a figure
    and its axes: what an app redrawing on every choice wants. Each picture is drawn whole, never blended."""

    def __init__(self, dpi: int = 80) -> None:
        self.dpi = dpi
        self._figures: dict[tuple[tuple[float, float], bool], Figure] = {}

    def picture(self, lesion: str, *, skin_tone: int, site: str = "leg", seed: int = 0, glass: bool = False):
        """The :class:`SkinPicture` of :func:`skin_picture`, drawn into a kept figure (valid until the next call)."""
        record, tone, site, glass = _checked(lesion, skin_tone, site, glass)
        key = (model.site_field_mm(site), glass)
        figure = self._figures.get(key)
        if figure is None:
            figure = self._figures[key] = _empty_figure(site, glass, dpi=self.dpi)
        else:
            for ax in figure.axes:
                for artist in [*ax.images, *ax.patches, *ax.collections, *ax.lines, *ax.texts]:
                    artist.remove()
        return _draw_picture(figure, record, tone, site, validation.seed(seed), glass)


def draw_skin(lesion: str, *, skin_tone: int, seed: int = 0, site: str = "leg", glass: bool = False) -> Figure:
    """The picture of :func:`skin_picture` as a matplotlib Figure; its text description is ``figure.get_label()``
    (the same as :func:`skin_description`).

    ``lesion``: "petechiae", "purpura", "ecchymosis", "palpable purpura" or "erythema" (blanching);
    ``skin_tone``: Fitzpatrick type 1–6; ``site``: "leg", "chest", "buttocks", "palate" or "conjunctiva";
    ``glass``: show the same patch under a pressed glass beside it (skin sites only). Sizes are in millimetres.
    """
    return skin_picture(lesion, skin_tone=skin_tone, site=site, seed=seed, glass=glass).figure


# ------------------------------------------------------------------------------------------------ drawing


def draw_site(
    ax: Axes, site: str, skin_tone: int, patch: model.SkinPatch, *, seed: int = 0, cutoffs: bool = True
) -> None:
    """Draw the site's sketch, its lesions (clipped to where they can be), a glass if pressed, and a scale bar
    (with the course's size cut-offs written under it when ``cutoffs``)."""
    width, height = patch.field_mm
    skin = model.hex_to_srgb(skin_tones()[skin_tone].srgb)
    shapes = model.site_shapes(site)
    image = model.textured_skin(skin, model.skin_texture(site, seed))
    ax.imshow(image, extent=(0, width, 0, height), origin="lower", interpolation="bilinear", zorder=0)
    clip = None
    if site == "palate":
        clip = _draw_mouth(ax, shapes, skin, skin_sites()[site].mucosa_srgb)
    elif site == "conjunctiva":
        clip = _draw_eye(ax, shapes, skin, skin_sites()[site].mucosa_srgb, bulbar=patch.base_srgb)
    elif patch.glass is not None and patch.blanches:
        # a blanching lesion empties wherever the glass presses: clip it to the skin outside the glass
        x, y, radius = patch.glass
        hole = model._ellipse(x, y, radius, radius, 90)[::-1]  # wound the other way round: a hole in the patch
        outside = Path.make_compound_path(Path(shapes["skin"], closed=True), Path(hole, closed=True))
        clip = PathPatch(outside, fc="none", ec="none")
        ax.add_patch(clip)
    else:
        clip = Polygon(shapes["skin"], closed=True, fc="none", ec="none")
        ax.add_patch(clip)
    draw_lesions(ax, patch, clip)
    if patch.glass is not None:
        x, y, radius = patch.glass
        # rims only: a tint over the glass would fade what lies under it, and only blanching lesions may fade
        ax.add_patch(Circle((x, y), radius, fc="none", ec="#5b8db8", lw=3, zorder=6))
        ax.add_patch(Circle((x, y), radius * 0.94, fc="none", ec=(1, 1, 1, 0.45), lw=1.0, zorder=6))
    ax.plot([1, 1 + SCALE_BAR_MM], [-2.2, -2.2], color="black", lw=3, solid_capstyle="butt")
    ax.text(2 + SCALE_BAR_MM, -2.2, f"{SCALE_BAR_MM:g} mm", ha="left", va="center", fontsize=8)
    if cutoffs:  # text is the slowest thing to draw: a two-panel picture writes this once
        petechia_below, ecchymosis_above = size_cutoffs()
        rule = f"course cut-offs: petechia < {petechia_below:g} mm, ecchymosis > {ecchymosis_above:g} mm"
        ax.text(1, -5.8, rule, ha="left", va="center", fontsize=7, color="#444444")
    ax.set_xlim(0, width)
    ax.set_ylim(-_BELOW_MM, height)
    ax.set_aspect("equal")
    ax.axis("off")


def draw_lesions(ax: Axes, patch: model.SkinPatch, clip) -> list:
    """The lesions as one PolyCollection per soft-edge layer (plus shadow and highlight when raised)."""
    shown = patch.visible
    artists = []
    if patch.raised and shown.any():
        shadow, highlight, colours = model.raised_highlights(patch)
        artists.append(PolyCollection(shadow[shown], facecolors=(0.1, 0.03, 0.03, 0.28), edgecolors="none"))
    for (scale, _fraction), colours in zip(patch.layers, patch.layer_srgb, strict=True):
        outlines = model.layer_outlines(patch, scale)
        artists.append(PolyCollection(outlines[shown], facecolors=colours[shown], edgecolors="none"))
    if patch.raised and shown.any():
        artists.append(PolyCollection(highlight[shown], facecolors=colours[shown], edgecolors="none", alpha=0.8))
    for artist in artists:
        artist.set_zorder(3)
        ax.add_collection(artist)
        if clip is not None:
            artist.set_clip_path(clip)
    return artists


def _darker(srgb, factor: float) -> np.ndarray:
    return model.linear_to_srgb(model.srgb_to_linear(srgb) * factor)


def _draw_mouth(ax: Axes, shapes: dict, skin: np.ndarray, mucosa: str) -> Polygon:
    """An open mouth seen from below: lips in the skin's tone, the palate and throat in mucosa colours."""
    lips = model.lesion_srgb(skin, (0.35, 0.8, 0.6))
    ax.add_patch(Polygon(model._ellipse(25, 20, 23.8, 19.6), closed=True, fc=lips, ec=_darker(lips, 0.7), lw=1))
    ax.add_patch(Polygon(shapes["mouth"], closed=True, fc=_MOUTH_SRGB, ec="none"))
    palate = Polygon(shapes["mucosa"], closed=True, fc=mucosa, ec=_darker(model.hex_to_srgb(mucosa), 0.6), lw=1)
    ax.add_patch(palate)
    ridge = _darker(model.hex_to_srgb(mucosa), 0.82)
    rugae = [  # faint ridges across the front of the hard palate, and the midline raphe
        [(25 + side * 1.5, 29.5 - 2.3 * row), (25 + side * 7.5, 28.7 - 2.3 * row)]
        for side in (-1, 1)
        for row in range(3)
    ]
    ax.add_collection(LineCollection([*rugae, [(25, 14), (25, 33)]], colors=ridge, linewidths=1.1, zorder=2))
    ax.add_patch(Polygon(shapes["throat"], closed=True, fc=_MOUTH_SRGB, ec="none", zorder=2))
    uvula = _darker(model.hex_to_srgb(mucosa), 0.85)
    ax.add_patch(Polygon(shapes["uvula"], closed=True, fc=uvula, ec=_darker(uvula, 0.7), lw=0.8, zorder=4))
    angles = np.linspace(np.radians(25), np.radians(155), 12)  # upper teeth along the front of the arch
    tooth = model._ellipse(0, 0, 1.55, 1.55, 16)
    teeth = [tooth + np.array([25 + 19.5 * np.cos(a), 20 + 16.8 * np.sin(a)]) for a in angles]
    ax.add_collection(PolyCollection(teeth, facecolors="#f4f1e6", edgecolors="#b9b4a4", linewidths=0.6, zorder=4))
    return palate


def _draw_eye(ax: Axes, shapes: dict, skin: np.ndarray, mucosa: str, *, bulbar) -> Polygon:
    """An eye with the lower lid gently pulled down: white of the eye, iris, and the pink lining of the lid."""
    ax.add_patch(Polygon(shapes["sclera"], closed=True, fc=model.SCLERA_SRGB, ec=_darker(skin, 0.55), lw=1.5))
    ax.add_patch(Polygon(shapes["iris"], closed=True, fc=model.IRIS_SRGB, ec="#2a1a10", lw=0.8, zorder=2))
    ax.add_patch(Polygon(shapes["pupil"], closed=True, fc="#111111", ec="none", zorder=2))
    ax.add_patch(Circle((20.3, 20.2), 0.9, fc="white", ec="none", alpha=0.85, zorder=2))
    upper = shapes["sclera"][: len(shapes["sclera"]) // 2]
    ax.plot(upper[:, 0], upper[:, 1], color=_LINE, lw=2.2, zorder=5)  # upper lid margin with lashes
    lashes = [[(x, y), (x - 0.4 * (22 - x) / 16, y + 2.2)] for x, y in upper[4:-4:3]]
    ax.add_collection(LineCollection(lashes, colors=_LINE, linewidths=0.9, zorder=5))
    lining = Polygon(shapes["mucosa"], closed=True, fc=mucosa, ec=_darker(model.hex_to_srgb(mucosa), 0.65), lw=1)
    ax.add_patch(lining)
    if np.allclose(bulbar, model.hex_to_srgb(model.SCLERA_SRGB)):
        sclera = Polygon(shapes["sclera"], closed=True, fc="none", ec="none")
        ax.add_patch(sclera)
        return sclera
    return lining
