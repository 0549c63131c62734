"""Shared controls: every slider comes with a labelled number box (ipywidgets sliders have no accessible name)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from .. import validation

NUMBER_BOX_CHARACTERS = 7  # room for the longest value a slider shows, e.g. "150.0" or "0.33", with its arrows


def step_decimals(step: float) -> int:
    """How many decimals a value on a grid of ``step`` needs: 0.5 -> 1, 0.01 -> 2, 5 -> 0."""
    decimals = 0
    while decimals < 6 and not math.isclose(round(step, decimals), step, rel_tol=0, abs_tol=1e-9):
        decimals += 1
    return decimals


def rounder(step: float):
    """Round to the slider's step, so a box never shows 0.33000000000000007 for 0.33."""
    decimals = step_decimals(step)
    return lambda value: round(float(value), decimals)


@dataclass
class LabelledSlider:
    """A slider and its labelled numeric twin, kept equal by the kernel so typing and dragging agree.

    The link is made in the kernel (``widgets.link``), not in the browser (``jslink``): a browser link makes
    the twin send its own message to the kernel on every slider move, and that second message made each move
    about 5–10 ms slower in JupyterLab (benchmarks/bench_browser_latency.py). With the kernel link one key
    press is one message; the twin shows the new number when the kernel's reply arrives. In an exported
    handout, which has no kernel, the two no longer follow each other (neither does the figure).
    """

    slider: widgets.FloatSlider
    number: widgets.BoundedFloatText
    box: widgets.HBox

    @property
    def value(self) -> float:
        return float(self.slider.value)

    @value.setter
    def value(self, new_value: float) -> None:
        self.slider.value = new_value
        self.number.value = rounder(self.slider.step)(self.slider.value)

    def observe(self, handler, names: str = "value") -> None:
        self.slider.observe(handler, names=names)


def labelled_slider(
    label: str,
    *,
    minimum: float,
    maximum: float,
    step: float,
    value: float,
    unit: str,
    readout_format: str = ".1f",
    continuous_update: bool = True,
) -> LabelledSlider:
    """A slider for a clinical quantity: ``label`` names it, ``unit`` is shown beside the number box."""
    validation.number(value, f"{label}: start value", unit=unit)  # a number, not text, None or a bool
    if not minimum <= value <= maximum:
        raise ValueError(f"{label}: start value {value} {unit} is outside {minimum}–{maximum} {unit}")
    full_label = f"{label} ({unit})"
    style = {"description_width": "initial"}
    slider = widgets.FloatSlider(
        value=value,
        min=minimum,
        max=maximum,
        step=step,
        description=full_label,
        readout=True,
        readout_format=readout_format,
        continuous_update=continuous_update,
        style=style,
        layout=widgets.Layout(width="60%"),
    )
    typed_label = f"{label}, typed:"
    number = widgets.BoundedFloatText(
        value=value,
        min=minimum,
        max=maximum,
        step=step,
        description=typed_label,
        style=style,
        # the label takes about 0.6 em a character; the box keeps room for its value whatever the label's length
        layout=widgets.Layout(width=f"{0.6 * len(typed_label) + NUMBER_BOX_CHARACTERS + 3:.1f}em"),
        tooltip=full_label,
    )
    to_step = rounder(step)
    # in the kernel: one message per move (see LabelledSlider); both directions rounded to the step
    traitlets.link((slider, "value"), (number, "value"), transform=(to_step, to_step))
    unit_label = widgets.HTML(f"<span>{unit}</span>")
    row = widgets.HBox([slider, number, unit_label], layout=widgets.Layout(flex_flow="row wrap", max_width="100%"))
    return LabelledSlider(slider, number, row)


def skin_tone_dropdown(skin_tone: int, *, by: str) -> widgets.Dropdown:
    """The skin-tone choice (Fitzpatrick types I–VI, data/skin.toml), citing the scale's sources for ``by``."""
    from .. import citations
    from ..content.skin_data import skin_tones

    tones = skin_tones()
    citations.cite(*dict.fromkeys(key for tone in tones.values() for key in tone.sources), by=by)
    return widgets.Dropdown(
        options=[(tone.label, number) for number, tone in tones.items()],
        value=validation.choice(skin_tone, "skin_tone", tuple(tones)),
        description="Skin tone (Fitzpatrick type):",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )
