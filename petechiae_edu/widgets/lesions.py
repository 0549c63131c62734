"""Lesson 01's size classifier: diameter slider → petechia / purpura / ecchymosis, drawn to scale.

A live figure (:mod:`petechiae_edu.live`): the whole state space is tiny (60 diameters × the size definitions ×
glass pressed or not), so everything is precomputed and nothing needs the kernel. The static layer is matplotlib's
SVG of :class:`~petechiae_edu.figures.lesions.LesionFigure`, with both states of the glass test drawn and shown or
hidden by the checkbox; the lesion outline is a path per diameter (the same seeded outline Python draws); the
label and the description are Python-made strings per state.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import citations, content
from ..figures.lesions import LesionFigure, lesion_outline, size_label
from ..live import LiveApp, Tables
from ..models.lesions import LesionClass, classify_lesion
from .controls import labelled_slider
from .sentence_live import fragment_grid, fragment_tables

_NAME_PHRASES = {"petechia": "a petechia", "purpura": "purpura", "ecchymosis": "an ecchymosis"}
GLASS_SENTENCE = " Under a pressed glass it does not fade, because the blood is outside the vessels."


def sentence_fragments(lesion: LesionClass, definition_name: str, glass_pressed: bool) -> list[str]:
    """The description in parts (joined, it is :meth:`LesionSizeClassifier.sentence`)."""
    return [
        f"A {lesion.diameter_mm:.1f} mm non-blanching spot is called ",
        _NAME_PHRASES[lesion.name],
        f" by the cut-offs of {definition_name} ",
        f"({lesion.rule}).",
        GLASS_SENTENCE if glass_pressed else "",
    ]


class LesionSizeClassifier(LiveApp):
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
        self.bind("diameter", self.diameter)
        self.bind("definition", self.definition_choice)
        self.bind("glass", self.glass_pressed)
        self.drawing = LesionFigure(self.classify())
        tables, template = self.live_tables()
        self.start(
            self.drawing.figure,
            axes={"size": self.drawing.size_axes},
            rows=[["diameter"], ["definition", "glass"]],
            marks=MARKS,
            description=template,
            tables=tables,
        )

    def classify(self, diameter_mm: float | None = None, definition_key: str | None = None) -> LesionClass:
        """The lesion class at the given (default: current) diameter in mm and size definition."""
        definition = self.definitions[definition_key or self.definition_choice.value]
        diameter = self.diameter.value if diameter_mm is None else diameter_mm
        return classify_lesion(diameter, definition.petechia_below_mm, definition.ecchymosis_above_mm)

    def live_tables(self) -> tuple[Tables, list]:
        """Every state: the outline per diameter, the label per (diameter, definition), the sentence's parts."""
        tables = self.tables()
        diameters = tables.grid("diameter")
        outlines = np.array([lesion_outline(d) for d in diameters])
        closed = np.concatenate([outlines, outlines[:, :1]], axis=1)  # back to the first point: a closed outline
        tables.numbers("outline_x", closed[:, :, 0], ["diameter"])
        tables.numbers("outline_y", closed[:, :, 1], ["diameter"])
        labels = [[size_label(self.classify(d, key)) for key in tables.grid("definition")] for d in diameters]
        tables.texts("size_label", labels, ["diameter", "definition"])
        tables.numbers("glass_off", [1, 0], ["glass"], dtype="u8")
        dims = ["diameter", "definition", "glass"]
        grid, _ = fragment_grid(
            tables,
            dims,
            lambda d, key, glass: sentence_fragments(self.classify(d, key), self.definitions[key].name, glass),
        )
        return tables, fragment_tables(tables, "sentence", grid, dims)

    def update(self) -> None:
        self.describe(self.sentence())

    def sentence(self) -> str:
        definition = self.definitions[self.definition_choice.value]
        return "".join(sentence_fragments(self.classify(), definition.name, self.glass_pressed.value))


MARKS = [
    {"kind": "path", "gid": "lesion", "axes": "size", "x": {"table": "outline_x"}, "y": {"table": "outline_y"}},
    {"kind": "text", "gid": "size_label", "text": {"table": "size_label"}},
    {"kind": "show", "gid": "erythema", "when": {"table": "glass_off"}},
    {"kind": "show", "gid": "glass_label_off", "when": {"table": "glass_off"}},
    {"kind": "show", "gid": "erythema_pressed", "when": {"control": "glass"}},
    {"kind": "show", "gid": "glass", "when": {"control": "glass"}},
    {"kind": "show", "gid": "glass_label_on", "when": {"control": "glass"}},
]


def lesion_size_classifier(diameter_mm: float = 1.5) -> LesionSizeClassifier:
    """The interactive size classifier of lesson 01 (diameter in millimetres)."""
    return LesionSizeClassifier(diameter_mm)
