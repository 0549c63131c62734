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


# Tables are shown inside widgets too, where JupyterLab's notebook table style does not reach (and the widget's
# fixed line height squashes wrapped cells): so the style is inline. Left- and top-aligned, row rules, normal line
# height; a table wider than its column scrolls inside its own box; a long table is collapsed under its caption.
TABLE_STYLE = "border-collapse:collapse;line-height:1.35;margin:0.4em 0;font-size:inherit"
CELL_STYLE = "text-align:left;vertical-align:top;padding:0.3em 0.6em;border-bottom:1px solid #c8c8c8"
HEADER_STYLE = CELL_STYLE + ";border-bottom:2px solid #555555"
WRAP_STYLE = "line-height:normal;overflow-x:auto;max-width:100%"
COLLAPSE_AFTER_ROWS = 15


class Emphasis(str):
    """A table cell to show in bold (a flag that is not 'normal'); still escaped like every cell."""

    __slots__ = ()


class Markup(str):
    """A table cell that is already HTML, escaped by the code that made it (e.g. numbered source links)."""

    __slots__ = ()


def _cell(tag: str, text: str, scope: str | None = None) -> str:
    if isinstance(text, Markup):
        inner = str(text)
    else:
        inner = f"<strong>{escape(text)}</strong>" if isinstance(text, Emphasis) else escape(str(text))
    attribute = f' scope="{scope}"' if scope else ""
    style = HEADER_STYLE if tag == "th" and scope == "col" else CELL_STYLE
    return f'<{tag}{attribute} style="{style}">{inner}</{tag}>'


def html_table(
    caption: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    row_headers: bool = False,
    notes: str = "",
    collapse_after: int | None = COLLAPSE_AFTER_ROWS,
) -> str:
    """An accessible table: a caption, header cells with ``scope``, and every cell escaped (but :class:`Markup`).

    With ``row_headers`` the first cell of each row is a row header (``<th scope="row">``). ``notes`` is HTML
    shown under the table (e.g. the numbered sources). A table of more than ``collapse_after`` rows is folded
    under its caption (``<details>``), which the reader opens.
    """
    head = "".join(_cell("th", column, "col") for column in columns)
    body = []
    for row in rows:
        cells = [_cell("th", row[0], "row") if row_headers else _cell("td", row[0])] if row else []
        cells += [_cell("td", cell) for cell in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    table = (
        f'<table class="{TABLE_CLASS}" style="{TABLE_STYLE}">'
        f'<caption style="text-align:left;font-weight:bold;padding:0.2em 0">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{notes}"
    )
    if collapse_after is not None and len(body) > collapse_after:
        table = f"<details><summary>{escape(caption)}: {len(body)} rows (open to read)</summary>{table}</details>"
    return f'<div class="{TABLE_CLASS}-wrap" style="{WRAP_STYLE}">{table}</div>'


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
