"""Lesson 01's lesion gallery: a drawn lesion × skin tone × site, with the glass test and where to look on dark skin.

A :class:`FigureApp`: three Dropdowns (lesion, skin tone, site) and a checkbox for the glass; the picture is drawn
by :func:`petechiae_edu.figures.skin.skin_picture` and its text description is the app's live description, with
the advice on where to look on brown or black skin from ``data/skin.toml`` (with its sources), and under a rash that
blanches the references of the caveat that a fading rash is not a safe rash. Pictures already
drawn are kept (at most a few hundred small PNGs), so going back to one is instant.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import citations, validation
from ..content.skin_data import dark_skin_advice, skin_lesions, skin_sites, skin_tones
from ..figures.render import png_bytes
from ..figures.skin import BLANCHING_CAVEAT_SOURCES, SkinCanvas
from .app import FigureApp
from .controls import skin_tone_dropdown

DARK_SKIN_TONES = (5, 6)  # Fitzpatrick V and VI: brown and black skin, the words the sources use


def where_to_look_text() -> str:
    """The advice on looking at brown or black skin, one sentence per entry, each with its references."""
    return " ".join(
        f"{item.advice.rstrip('.')} ({citations.references_text(item.sources)})." for item in dark_skin_advice()
    )


def where_to_look_html() -> str:
    """The same advice as an HTML list, each item with linked references."""
    items = "".join(
        f"<li><b>{escape(item.place[:1].upper() + item.place[1:])}</b>: {escape(item.advice)} "
        f"{citations.references_html(item.sources)}</li>"
        for item in dark_skin_advice()
    )
    return f"<details open><summary><b>Where to look on brown or black skin</b></summary><ul>{items}</ul></details>"


class LesionGallery(FigureApp):
    """Choose a lesion, a skin tone and a site; press the glass; read what the drawing shows."""

    def __init__(
        self, lesion: str = "petechiae", skin_tone: int = 1, site: str = "leg", glass: bool = False, seed: int = 0
    ) -> None:
        super().__init__("Lesion gallery: drawn skin on six skin tones")
        lesions, tones, sites = skin_lesions(), skin_tones(), skin_sites()
        self.seed = validation.seed(seed)
        for record in (*lesions.values(), *tones.values(), *sites.values(), *dark_skin_advice()):
            citations.cite(*record.sources, by="lesion gallery")
        citations.cite(*BLANCHING_CAVEAT_SOURCES, by="lesion gallery")
        layout = widgets.Layout(width="auto")
        self.lesion = widgets.Dropdown(
            options=[(record.name.capitalize(), key) for key, record in lesions.items()],
            value=validation.choice(lesion, "lesion", tuple(lesions)),
            description="Lesion:",
        )
        self.skin_tone = skin_tone_dropdown(skin_tone, by="lesion gallery")
        self.site = widgets.Dropdown(
            options=[(record.where[:1].upper() + record.where[1:], key) for key, record in sites.items()],
            value=validation.choice(site, "site", tuple(sites)),
            description="Site:",
            layout=layout,
        )
        self.glass = widgets.Checkbox(
            value=validation.flag(glass, "glass"), description="Press a glass on the skin", indent=False
        )
        self.advice = widgets.HTML(where_to_look_html())
        self.lesion_count = 0
        self._pictures: dict[tuple, tuple[bytes, str, int]] = {}
        self.canvas = SkinCanvas()
        for control in (self.lesion, self.skin_tone, self.site, self.glass):
            control.observe(self._on_change, names="value")
        self.controls = [widgets.HBox([self.lesion, self.site]), widgets.HBox([self.skin_tone, self.glass])]
        self.update()

    def shown(self) -> list[widgets.Widget]:
        return [self.image, self.advice]

    def _on_change(self, _change: object = None) -> None:
        self.update()

    def update(self) -> None:
        """Draw (or recall) the picture for the current choices; the description first, then the image."""
        site = skin_sites()[self.site.value]
        self.glass.disabled = not site.glass_test
        glass = self.glass.value and site.glass_test
        key = (self.lesion.value, self.skin_tone.value, self.site.value, glass, self.seed)
        if key not in self._pictures:
            picture = self.canvas.picture(
                self.lesion.value, skin_tone=self.skin_tone.value, site=self.site.value, seed=self.seed, glass=glass
            )
            self._pictures[key] = (png_bytes(picture.figure), picture.description, picture.lesion_count)
        png, description, self.lesion_count = self._pictures[key]
        notes = []
        if skin_lesions()[self.lesion.value].blanches:  # the description ends with the caveat; these are its sources
            notes.append(f"({citations.references_text(BLANCHING_CAVEAT_SOURCES)}).")
        if self.glass.value and not site.glass_test:
            notes.append(f"The glass test is done on skin, not on the {site.name}.")
        if self.skin_tone.value in DARK_SKIN_TONES and site.kind == "skin":
            notes.append(f"Where to look on brown or black skin: {where_to_look_text()}")
        self.describe(" ".join([description, *notes]))
        self.show_figure(png)


def lesion_gallery(
    lesion: str = "petechiae", skin_tone: int = 1, site: str = "leg", glass: bool = False, seed: int = 0
) -> LesionGallery:
    """The lesion gallery of lesson 01: ``lesion`` × ``skin_tone`` (Fitzpatrick 1–6) × ``site``, with the glass test."""
    return LesionGallery(lesion, skin_tone, site, glass, seed)
