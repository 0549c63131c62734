"""Lesson 07's blood-film atlas: pick a film, label it or not, and click a cell to name it.

:func:`film_atlas` builds a :class:`FilmAtlas` app: a film Dropdown, a "label the cells" Checkbox, a "another
field" Button, the live one-sentence description, and a :class:`FilmCanvas` (anywidget, ES module in
``film_atlas.js``, no build step, nothing downloaded) that shows the drawn field with an invisible hotspot on each
cell. A click (or a pick from the keyboard list) selects a cell; the student picks a name; Python judges it and
the feedback appears in a polite live region ("Correct: this is a myeloblast with an Auer rod ...").

The picture and the hotspot positions are computed once per field in Python (the hotspots from matplotlib's
data-to-pixel transform); answers are judged in the kernel, so the names of the cells never reach the page
before the student answers.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from .. import validation
from ..content.film_data import film_cells, films
from ..figures.blood_film import blood_film_picture, cell_hotspots, film_description
from ..figures.render import css_size, png_bytes
from .app import DescribedApp

RED_CELLS_TO_NAME = 2
_ESM = Path(__file__).with_name("film_atlas.js")


class FilmCanvas(anywidget.AnyWidget):
    """The drawn field with clickable hotspots, a keyboard list of the same cells, names and live feedback."""

    _esm = _ESM.read_text(encoding="utf-8")
    image = traitlets.Unicode("").tag(sync=True)  # a data: URL of the PNG
    image_width = traitlets.Float(0.0).tag(sync=True)  # CSS px it is shown at, at most (a 2x PNG: half its pixels)
    alt = traitlets.Unicode("").tag(sync=True)
    hotspots = traitlets.List(traitlets.Dict()).tag(sync=True)  # index, label, left, top, radius (fractions)
    choices = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Int(-1).tag(sync=True)
    feedback = traitlets.Unicode("").tag(sync=True)

    @property
    def value(self) -> str:
        """What the canvas shows now (the picture's data URL), as other shown widgets expose ``value``."""
        return self.image


class FilmAtlas(DescribedApp):
    """Choose a film, show or hide the labels, and name the cells of the drawn field."""

    def __init__(self, film: str = "normal", *, labelled: bool = False, seed: int = 0) -> None:
        super().__init__("Blood-film atlas: the count raises the question, the film answers it")
        self.films = films()
        self.looks = film_cells()
        film = validation.choice(film, "film", tuple(self.films))
        self.seed = validation.seed(seed)
        self.film_choice = widgets.Dropdown(
            options=[(record.title, key) for key, record in self.films.items()],
            value=film,
            description="Film:",
            layout=widgets.Layout(width="auto"),
        )
        self.labelled = widgets.Checkbox(value=validation.flag(labelled, "labelled"), description="Label the cells")
        self.another = widgets.Button(description="Another field", tooltip="Draw another field of the same film")
        self.controls = [widgets.HBox([self.film_choice, self.labelled, self.another])]
        self.canvas = FilmCanvas(choices=sorted(look.name for look in self.looks.values()))
        self.canvas.on_msg(self._on_message)
        self.canvas.observe(self._on_select, names="selected")
        self.film_choice.observe(self._on_change, names="value")
        self.labelled.observe(self._on_change, names="value")
        self.another.on_click(self._on_another)
        self.answers: dict[int, str] = {}  # hotspot index -> cell key, for the field shown now
        self.named: dict[int, bool] = {}  # hotspot index -> named correctly at the last try
        self.counts: dict[str, int] = {}
        self.refresh()

    def shown(self) -> list[widgets.Widget]:
        return [self.canvas]

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def _on_another(self, _button: object = None) -> None:
        self.seed += 1
        self.refresh()

    def refresh(self) -> None:
        """Draw the chosen film at the current seed and send the picture and its hotspots to the page."""
        picture = blood_film_picture(self.film_choice.value, seed=self.seed, labelled=self.labelled.value)
        self.counts = picture.counts
        spots = _spots_to_name(cell_hotspots(picture))
        self.answers = {int(spot["index"]): str(spot["key"]) for spot in spots}
        self.named = {}
        description = film_description(picture.film, picture.counts)
        png = png_bytes(picture.figure)
        self.canvas.hotspots = [
            {key: spot[key] for key in ("index", "left", "top", "radius")} | {"label": _spot_label(number, spot)}
            for number, spot in enumerate(spots, start=1)
        ]
        self.canvas.image = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        self.canvas.image_width = css_size(png)[0]
        self.canvas.alt = description
        self.canvas.selected = -1
        self.canvas.feedback = f"{len(spots)} cells to name: click one in the picture or pick it from the list."
        self.describe(description)

    def _on_select(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index in self.answers:
            self.canvas.feedback = "Cell selected: now choose its name and press Name it."

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object = None) -> None:
        if isinstance(content, dict) and content.get("type") == "name":
            self.name_cell(content.get("index", -1), content.get("name", ""))

    def name_cell(self, index: int, name: str) -> str:
        """Judge the student's name for hotspot ``index``; the feedback goes to the page and is returned."""
        if index not in self.answers:
            feedback = "Select a cell first: click it in the picture or pick it from the list."
        else:
            look = self.looks[self.answers[index]]
            chosen = next((c for c in self.looks.values() if c.name == name), None)
            correct = chosen is not None and chosen.key == look.key
            self.named[index] = correct
            if correct:
                feedback = f"Correct: this is {_article(look.name)}. {_sentence(look.look)}"
            elif chosen is None:
                feedback = f"Not quite: '{name}' is not one of the cell names; this is {_article(look.name)}."
            else:
                feedback = (
                    f"Not quite: this is {_article(look.name)}, not {_article(chosen.name)}. {_sentence(look.look)}"
                )
            right = sum(self.named.values())
            feedback += f" Named correctly so far: {right} of {len(self.answers)} cells in this field."
        self.canvas.feedback = feedback
        return feedback


def _spots_to_name(spots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every cell but the red cells, plus a couple of red cells well inside the field (there are dozens)."""
    inside = [
        s for s in spots if s["key"] == "red_cell" and 0.08 < s["left"] < 0.92 and 0.1 < s["top"] < 0.8
    ]  # fmt: skip
    chosen = [s for s in spots if s["key"] != "red_cell"] + inside[:RED_CELLS_TO_NAME]
    return sorted(chosen, key=lambda s: (round(s["top"] * 4), s["left"]))  # reading order, in four bands


def _spot_label(number: int, spot: dict[str, Any]) -> str:
    row = "top" if spot["top"] < 0.33 else "middle" if spot["top"] < 0.6 else "bottom"
    column = "left" if spot["left"] < 0.33 else "centre" if spot["left"] < 0.67 else "right"
    return f"Cell {number} ({row} {column})"


def _article(name: str) -> str:
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def film_atlas(film: str = "normal", *, labelled: bool = False, seed: int = 0) -> FilmAtlas:
    """The blood-film atlas of lesson 07: ``film`` is one of normal, aml, apl, all, cll, cml, itp, ttp,
    edta_clumps; ``labelled`` names one example of each kind of cell; ``seed`` (≥ 0) picks the field."""
    return FilmAtlas(film, labelled=labelled, seed=seed)
