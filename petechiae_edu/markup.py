"""The HTML the package shows, written once: an accessible table and an ARIA live region.

Every table (glossary, differential, red flags, course map, CBC results, case results, transfusion thresholds)
goes through :func:`html_table`, which escapes every cell; every app's live description and every feedback
message goes through :func:`live_region`. No widget library here: plain strings, so any layer may use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

TABLE_CLASS = "petechiae-edu-table"
DESCRIPTION_CLASS = "petechiae-edu-description"


class Emphasis(str):
    """A table cell to show in bold (a flag that is not 'normal'); still escaped like every cell."""

    __slots__ = ()


def _cell(tag: str, text: str, scope: str | None = None) -> str:
    inner = f"<strong>{escape(text)}</strong>" if isinstance(text, Emphasis) else escape(str(text))
    attribute = f' scope="{scope}"' if scope else ""
    return f"<{tag}{attribute}>{inner}</{tag}>"


def html_table(
    caption: str, columns: Sequence[str], rows: Iterable[Sequence[str]], *, row_headers: bool = False
) -> str:
    """An accessible table: a caption, header cells with ``scope``, and every cell escaped.

    With ``row_headers`` the first cell of each row is a row header (``<th scope="row">``).
    """
    head = "".join(_cell("th", column, "col") for column in columns)
    body = []
    for row in rows:
        cells = [_cell("th", row[0], "row") if row_headers else _cell("td", row[0])] if row else []
        cells += [_cell("td", cell) for cell in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{TABLE_CLASS}"><caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def live_region(text: str = "", *, html: str | None = None, description: bool = True, alert: bool = False) -> str:
    """An ARIA live region (``role="status"``, polite) that screen readers read when it changes.

    ``text`` is plain text (escaped) shown as one paragraph; ``html`` is markup the caller already escaped
    (feedback with links). An app's one-sentence description carries the ``petechiae-edu-description`` class
    (``description=True``), which the projector theme and the browser tests look for. ``alert=True`` makes it an
    assertive ``role="alert"`` region, for an input the app cannot use.
    """
    css = f' class="{DESCRIPTION_CLASS}"' if description else ""
    role = 'role="alert"' if alert else 'role="status" aria-live="polite"'
    if html is None:
        return f"<p {role}{css}>{escape(text)}</p>"
    return f"<div {role}{css}>{html}</div>"
