"""A picture spec → PNG bytes and the text a screen reader reads: drawings in self-checks, cases and the CBC reader.

The drawings are made by :mod:`petechiae_edu.figures.skin` (``draw_skin``, ``skin_description``) and
:mod:`petechiae_edu.figures.blood_film` (``draw_blood_film``, ``film_description``). They are imported only when a
picture is first drawn, so a question bank, a case or the CBC interpreter can be loaded, checked and tested without
them, and importing this module costs no matplotlib.

Every picture is shown as an HTML ``<img>`` with its alt text in the tag itself (JupyterLab ignores alt text given
only in output metadata; DESIGN.md, Accessibility) inside a ``<figure>`` whose caption says it is a drawing, not a
photograph. A picture is drawn once per spec and kept (cached), so showing a question again, or the same film for
another count, costs nothing.

A blood film drawn for a self-check or a case is drawn **unnamed** (``named=False``): the film's name ("Acute
promyelocytic leukaemia (APL)") is taken out of the caption drawn under the field, and the alt text lists the
cells drawn instead of the drawing's own description, which names the film. Otherwise the picture would answer the
question for the student. The full description is still kept (:attr:`RenderedPicture.description`) for the
feedback shown after answering.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from . import citations
from .content.pictures import Picture, film_picture

DRAWING_NOTE = "A drawing made by the course, not a photograph."
_CACHE_SIZE = 64  # pictures kept: every picture of the quizzes, the cases and the CBC reader fits


@dataclass(frozen=True)
class RenderedPicture:
    """A drawn picture: PNG bytes, the alt text a screen reader reads, and the drawing's own full description.

    ``alt`` is the spec's own ``alt`` when it has one; otherwise the drawing's description, or for an unnamed film
    the list of cells drawn. ``counts`` are the cells a blood film drew, by cell type (empty for skin).
    ``cited`` are the (source key, by) pairs the drawing registered: cited again each time the picture is shown,
    so a cached picture still puts its atlas sources in the lesson's source list.
    """

    picture: Picture
    named: bool
    png: bytes
    alt: str
    description: str
    counts: tuple[tuple[str, int], ...] = ()
    cited: tuple[tuple[str, str], ...] = ()

    def html(self, caption: str | None = None) -> str:
        """A ``<figure>``: the image with its alt text, and a caption (``caption``, then the drawing note)."""
        from .figures.render import css_size

        encoded = base64.b64encode(self.png).decode("ascii")
        shown = f"{caption} {DRAWING_NOTE}" if caption else DRAWING_NOTE
        width = css_size(self.png)[0]  # a 2x PNG shown at its CSS width: sharp on high-density screens
        return (
            '<figure class="petechiae-edu-picture" style="margin:0.5em 0">'
            f'<img src="data:image/png;base64,{encoded}" alt="{escape(self.alt)}" width="{width:g}" '
            'style="max-width:100%;height:auto"/>'
            f"<figcaption><small>{escape(shown)}</small></figcaption></figure>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return f"RenderedPicture({self.picture.label()}: {self.alt})"


def render_picture(picture: Picture, *, named: bool = True) -> RenderedPicture:
    """Draw ``picture`` (a :class:`~petechiae_edu.content.pictures.Picture`) and encode it; cached by spec.

    ``named=False`` draws a film without its name (for a question or a case that has not revealed it yet).
    """
    if not isinstance(picture, Picture):
        raise TypeError(f"picture must be a Picture spec (content.pictures.Picture), got {picture!r}")
    if not isinstance(named, bool):
        raise TypeError(f"named must be True or False, got {named!r}")
    rendered = _render(picture, named)
    for key, by in rendered.cited:
        citations.cite(key, by=by)
    return rendered


def render_film(film: str, *, seed: int = 0, labelled: bool = False, named: bool = True) -> RenderedPicture:
    """Draw one of the nine blood films (``"apl"``, ``"ttp"``, ...); a bad name raises a clear ValueError."""
    return render_picture(film_picture(film, seed=seed, labelled=labelled), named=named)


@lru_cache(maxsize=_CACHE_SIZE)
def _render(picture: Picture, named: bool) -> RenderedPicture:
    """Draw with an empty citation registry, to learn exactly what the drawing cites; then restore the registry."""
    before = [(key, by) for key in citations.used() for by in citations.used_by(key)]
    citations.reset()
    try:
        rendered = _draw(picture, named)
    finally:
        cited = tuple((key, by) for key in citations.used() for by in citations.used_by(key))
        citations.reset()
        for key, by in before:
            citations.cite(key, by=by)
    return dataclasses.replace(rendered, cited=cited)


def _draw(picture: Picture, named: bool) -> RenderedPicture:
    if picture.kind == "film":
        figure, counts, description = _draw_film(picture)
        alt = description if named else cells_sentence(counts)
        if not named:
            _unname(figure, picture)
    else:
        figure, description = _draw_skin(picture)
        counts, alt = {}, description
    _release(figure)
    png = _png(figure)
    return RenderedPicture(
        picture=picture,
        named=named,
        png=png,
        alt=_one_line(picture.alt or alt),
        description=_one_line(description),
        counts=tuple((str(kind), int(n)) for kind, n in counts.items()),
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def cells_sentence(counts: dict[str, int]) -> str:
    """What a drawn film field holds, without naming the film: 'Drawing (not a photograph) of a blood film field:
    26 red cells, 2 large platelets and 1 neutrophil.'"""
    from .content.film_data import film_cells

    looks = film_cells()
    parts = [
        f"{number} {looks[key].name if number == 1 else looks[key].plural}"
        for key, number in counts.items()
        if number > 0 and key in looks
    ]
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "no cells"
    return f"Drawing (not a photograph) of a blood film field: {listed}."


def _draw_film(picture: Picture) -> tuple[Any, dict[str, int], str]:
    from .figures.blood_film import draw_blood_film, film_description

    film = str(picture.film)
    figure, counts = draw_blood_film(film, seed=picture.seed, labelled=picture.labelled)
    return figure, dict(counts), film_description(film, counts)


def _unname(figure: Any, picture: Picture) -> None:
    """Take the film's name out of the text drawn on the figure (the caption under the field)."""
    from .content.film_data import films

    title = films()[str(picture.film)].title
    for text in figure.texts:
        shown = text.get_text()
        if title in shown:
            parts = [part for part in shown.split(" · ") if part.strip() != title]
            text.set_text(" · ".join(parts) if parts else "")


def _draw_skin(picture: Picture) -> tuple[Any, str]:
    from .figures.skin import draw_skin, skin_description

    lesion, tone, site = str(picture.lesion), int(picture.skin_tone or 0), picture.where
    figure = draw_skin(lesion, skin_tone=tone, seed=picture.seed, site=site, glass=picture.glass)
    return figure, skin_description(lesion, skin_tone=tone, site=site, glass=picture.glass)


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from .figures.render import png_bytes

    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    return png_bytes(figure)


def _release(figure: Any) -> None:
    """Close a figure that pyplot is tracking (a drawing function may use pyplot), so none accumulate."""
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and getattr(figure.canvas, "manager", None) is not None:
        pyplot.close(figure)


def clear_cache() -> None:
    """Forget the pictures drawn so far (after a drawing function changed)."""
    _render.cache_clear()
