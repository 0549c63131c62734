"""Lesson 01's size classifier: diameter slider → petechia / purpura / ecchymosis, drawn to scale."""

from __future__ import annotations

import ipywidgets as widgets

from .. import citations, content
from ..figures.lesions import LesionFigure
from ..figures.render import BlitRenderer
from ..models.lesions import LesionClass, classify_lesion
from .app import FigureApp
from .controls import labelled_slider


class LesionSizeClassifier(FigureApp):
    """Move the diameter; see the name each source's cut-offs give and the lesion drawn at true scale."""

    def __init__(self, diameter_mm: float = 1.5) -> None:
        super().__init__("Name a skin lesion by its size")
        self.definitions = content.lesion_size_definitions()
        chosen = [d for d in self.definitions.values() if d.used_in_lessons]
        self.default_definition = chosen[0] if chosen else next(iter(self.definitions.values()))
        for definition in self.definitions.values():
            citations.cite(*definition.sources, by="size classifier")
        self.diameter = labelled_slider(
            "Lesion diameter", minimum=0.5, maximum=30.0, step=0.5, value=diameter_mm, unit="mm"
        )
        self.definition_choice = widgets.Dropdown(
            options=[(d.name, d.key) for d in self.definitions.values()],
            value=self.default_definition.key,
            description="Cut-offs from:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.glass_pressed = widgets.Checkbox(value=False, description="Press a glass slide on the skin")
        self.controls = [self.diameter.box, self.definition_choice, self.glass_pressed]
        self.drawing = LesionFigure()
        self.drawing.update(self.classify(), glass_pressed=False)
        self.renderer = BlitRenderer(self.drawing.figure, self.drawing.animated)
        self.diameter.observe(self._on_change)
        self.definition_choice.observe(self._on_change, names="value")
        self.glass_pressed.observe(self._on_change, names="value")
        self.refresh()

    def classify(self) -> LesionClass:
        definition = self.definitions[self.definition_choice.value]
        return classify_lesion(self.diameter.value, definition.petechia_below_mm, definition.ecchymosis_above_mm)

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        lesion = self.classify()
        definition = self.definitions[self.definition_choice.value]
        glass = (
            " Under a pressed glass it does not fade, because the blood is outside the vessels."
            if (self.glass_pressed.value)
            else ""
        )
        self.describe(
            f"A {lesion.diameter_mm:.1f} mm non-blanching spot is called {_NAME_PHRASES[lesion.name]} "
            f"by the cut-offs of {definition.name} ({lesion.rule}).{glass}"
        )
        self.drawing.update(lesion, glass_pressed=self.glass_pressed.value)
        self.show_figure(self.renderer.render())


_NAME_PHRASES = {"petechia": "a petechia", "purpura": "purpura", "ecchymosis": "an ecchymosis"}


def lesion_size_classifier(diameter_mm: float = 1.5) -> LesionSizeClassifier:
    """The interactive size classifier of lesson 01 (diameter in millimetres)."""
    return LesionSizeClassifier(diameter_mm)
