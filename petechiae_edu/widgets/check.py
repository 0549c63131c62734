"""Lesson 00's check that interactive widgets render and talk to the kernel."""

from __future__ import annotations

import ipywidgets as widgets

from .app import DescribedApp


class WidgetCheck(DescribedApp):
    """A slider whose value the kernel echoes back in words (the description): if the words change, widgets work."""

    def __init__(self) -> None:
        super().__init__("Do widgets work here?")
        self.slider = widgets.IntSlider(value=3, min=0, max=10, description="Move me:")
        # the labelled number twin every slider has (sliders have no accessible name of their own)
        self.number = widgets.BoundedIntText(
            value=3, min=0, max=10, description="Or type a number:", style={"description_width": "initial"}
        )
        widgets.jslink((self.slider, "value"), (self.number, "value"))
        self.controls = [self.slider, self.number]
        self.slider.observe(self._echo, names="value")
        self._echo()

    def _echo(self, _change: object = None) -> None:
        self.describe(
            f"The kernel received the value {self.slider.value}. If this number follows the slider, widgets work."
        )

    @property
    def echo(self) -> widgets.HTML:
        """The line the kernel writes back (the app's live description)."""
        return self.description_html

    @property
    def widget(self) -> widgets.VBox:
        return widgets.VBox(
            [
                widgets.HTML("<p>If you can see a slider, the widget front end is installed.</p>"),
                widgets.HBox([self.slider, self.number]),
                self.description_html,
            ]
        )


def widget_check() -> WidgetCheck:
    """Show a slider wired to the kernel (lesson 00)."""
    return WidgetCheck()
