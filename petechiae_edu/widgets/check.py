"""Lesson 00's check that interactive widgets render and talk to the kernel."""

from __future__ import annotations

import ipywidgets as widgets

from .app import WidgetApp


class WidgetCheck(WidgetApp):
    """A slider whose value the kernel echoes back in words: if the words change, widgets work."""

    def __init__(self) -> None:
        self.slider = widgets.IntSlider(value=3, min=0, max=10, description="Move me:")
        # the labelled number twin every slider has (sliders have no accessible name of their own)
        self.number = widgets.BoundedIntText(
            value=3, min=0, max=10, description="Or type a number:", style={"description_width": "initial"}
        )
        widgets.jslink((self.slider, "value"), (self.number, "value"))
        self.echo = widgets.HTML()
        self.slider.observe(self._echo, names="value")
        self._echo()
        self.widget = widgets.VBox(
            [
                widgets.HTML("<p>If you can see a slider, the widget front end is installed.</p>"),
                widgets.HBox([self.slider, self.number]),
                self.echo,
            ]
        )

    def _echo(self, _change: object = None) -> None:
        self.echo.value = (
            f'<p role="status" aria-live="polite">The kernel received the value {self.slider.value}. '
            "If this number follows the slider, widgets work.</p>"
        )


def widget_check() -> WidgetCheck:
    """Show a slider wired to the kernel (lesson 00)."""
    return WidgetCheck()
