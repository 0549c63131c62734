"""The one app base: controls, what the app shows, and a live text description of it.

Every public app of the course derives from :class:`DescribedApp`:

- :class:`FigureApp` shows a figure as an image (the explorers and charts);
- :class:`TableApp` shows an accessible HTML table (the leukaemias, the transfusion thresholds);
- the players (cases, claims, self-checks) lay out their own widgets but keep the same description line.

The description is one ARIA live region (:func:`petechiae_edu.markup.live_region`): screen readers read it when it
changes, the projector shows it, and tests check it. ``controls`` lists the widgets a student moves, in order.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..markup import live_region


class DescribedApp:
    """An app with controls and a live one-sentence description of what it shows now.

    The description is an ARIA live region for screen readers, readable on the projector, and checkable in tests.
    Subclasses put what they show below the description by overriding :meth:`shown`, or lay out their own
    ``widget``.
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
        """Set the description (plain text; escaped into the live region)."""
        self._description_text = text
        self.description_html.value = live_region(text)

    def shown(self) -> list[widgets.Widget]:
        """The widgets that show the result (a figure, a table), below the description."""
        return []

    @property
    def widget(self) -> widgets.VBox:
        """The whole app as one widget (for display or embedding): title, controls, description, result."""
        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        return widgets.VBox([heading, *self.controls, self.description_html, *self.shown()])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


class FigureApp(DescribedApp):
    """Base for explorers: subclasses build controls and call :meth:`show_figure` and :meth:`describe`.

    The description is a one-sentence account of what the figure shows now: for screen readers (an ARIA live
    region), for the projector, and as a checkable output in tests.
    """

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))

    def show_figure(self, png: bytes) -> None:
        """Show PNG bytes at their CSS size (pixels over the pixel ratio :func:`~..figures.render.png_bytes` wrote).

        A 2× PNG is given half its pixel width, so on a high-density screen or a zoomed projector page each CSS
        pixel gets two image pixels; a narrow column still shrinks it (``max-width: 100%``, height kept in ratio).
        """
        from ..figures.render import css_size  # matplotlib only for apps that show a figure

        width, _height = css_size(png)
        self.image.layout.width = f"{width:g}px"
        self.image.value = png

    def shown(self) -> list[widgets.Widget]:
        return [self.image]


class TableApp(DescribedApp):
    """Base for apps that show a filtered table: subclasses call :meth:`show_table` and :meth:`describe`."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.table_html = widgets.HTML()

    def show_table(self, html: str) -> None:
        """Show a table (from :func:`petechiae_edu.markup.html_table`) or a sentence saying there is none."""
        self.table_html.value = html

    def shown(self) -> list[widgets.Widget]:
        return [self.table_html]
