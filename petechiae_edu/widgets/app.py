"""The shape every explorer shares: controls, a figure shown as an image, and a live text description."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets


class WidgetApp:
    """Anything a lesson shows as one widget: a subclass provides ``widget`` and a notebook displays it."""

    widget: widgets.Widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


class DescribedApp(WidgetApp):
    """An app with controls and a live one-sentence description of what it shows now.

    The description is an ARIA live region for screen readers, readable on the projector, and checkable in tests.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.description_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._description_text = ""
        self.controls: list[widgets.Widget] = []

    @property
    def description(self) -> str:
        """What the app shows now, in one sentence of plain text."""
        return self._description_text

    def describe(self, text: str) -> None:
        self._description_text = text
        self.description_html.value = (
            f'<p role="status" aria-live="polite" class="petechiae-edu-description">{escape(text)}</p>'
        )


class FigureApp(DescribedApp):
    """Base for explorers: subclasses build controls and call :meth:`show_figure` and :meth:`describe`.

    The description is a one-sentence account of what the figure shows now: for screen readers (an ARIA live
    region), for the projector, and as a checkable output in tests.
    """

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))

    def show_figure(self, png: bytes) -> None:
        self.image.value = png

    @property
    def widget(self) -> widgets.VBox:
        """The whole app as one widget (for display or embedding)."""
        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        return widgets.VBox([heading, *self.controls, self.description_html, self.image])
