"""Shared controls: every slider comes with a labelled number box (ipywidgets sliders have no accessible name)."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .. import validation


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
        self.number.value = self.slider.value

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
    number = widgets.BoundedFloatText(
        value=value,
        min=minimum,
        max=maximum,
        step=step,
        description=f"{label}, typed:",
        style=style,
        layout=widgets.Layout(width="16em"),
        tooltip=full_label,
    )
    widgets.link((slider, "value"), (number, "value"))  # in the kernel: one message per move (see LabelledSlider)
    unit_label = widgets.HTML(f"<span>{unit}</span>")
    return LabelledSlider(slider, number, widgets.HBox([slider, number, unit_label]))
