"""The source registry: what a lesson used, so it can end with exactly what to cite.

In the spirit of PyBaMM's citations: code that shows a fact or runs a model calls :func:`cite` with the
source keys it rests on; a lesson calls :func:`start_lesson` at the top (which clears the registry and
registers the sources its text cites) and :func:`show_sources` at the end.

Authors write citations as ``[@key]`` or ``[@a; @b]``. Students never see that: ``authoring refresh`` renders each
group as people read references, author and year linked to the DOI or PubMed, with the key kept in the link's
title (``([Thompson et al. 2006](https://doi.org/… "thompson2006"))``), so the rendered text is still checkable.
Widgets show sources the same way (:func:`references_html`, :func:`references_text`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import content, lessons

_CITATION_GROUP = re.compile(r"\[(@[a-z0-9_]+(?:\s*;\s*@[a-z0-9_]+)*)\]")
_CITATION_KEY = re.compile(r"@([a-z0-9_]+)")
# a rendered citation: [label](link "key"); the link has no spaces or parentheses (they are %-encoded)
_RENDERED = re.compile(r'\[([^\]\n]+)\]\(([^\s()]+) "([a-z0-9_]+)"\)')

# key -> the places that used it, in first-use order (dicts keep insertion order)
_registry: dict[str, list[str]] = {}


def cite(*keys: str, by: str) -> None:
    """Record that ``by`` (a lesson section, a model, a widget) rests on the sources ``keys``."""
    known = content.source_keys()
    for key in keys:
        if key not in known:
            raise KeyError(f"unknown source key '{key}' cited by {by}; it is not in data/sources.toml")
        places = _registry.setdefault(key, [])
        if by not in places:
            places.append(by)


def used() -> tuple[str, ...]:
    """The source keys cited so far, in the order they were first used."""
    return tuple(_registry)


def used_by(key: str) -> tuple[str, ...]:
    """Which parts of the lesson cited ``key``."""
    return tuple(_registry.get(key, ()))


def reset() -> None:
    """Forget all citations (a new lesson starts)."""
    _registry.clear()


def cited_in_text(text: str) -> tuple[str, ...]:
    """Source keys cited in lesson text, as ``[@key]`` / ``[@a; @b]`` or rendered, in order, without repeats."""
    found: list[tuple[int, str]] = []
    for group in _CITATION_GROUP.finditer(text):
        found += [(group.start(), key) for key in _CITATION_KEY.findall(group.group(1))]
    found += [(match.start(), match.group(3)) for match in _RENDERED.finditer(text)]
    return tuple(dict.fromkeys(key for _, key in sorted(found, key=lambda item: item[0])))


def unrendered_citations(text: str) -> tuple[str, ...]:
    """The ``[@…]`` groups still in ``text`` (a shipped lesson must have none: run ``authoring refresh``)."""
    return tuple(match.group(0) for match in _CITATION_GROUP.finditer(text))


_INITIALS = re.compile(r"^(?P<surname>.+?)\s+[A-Z]{1,4}$")


def _surname(author: str) -> str:
    """'Thompson MJ' -> 'Thompson'; an organisation ('World Health Organization') stays whole."""
    match = _INITIALS.match(author.strip())
    return match.group("surname") if match else author.strip()


# organisations that readers know by their initials
_SHORT_NAMES = {
    "National Institute for Health and Care Excellence": "NICE",
    "World Health Organization": "WHO",
    "National Cancer Institute": "NCI",
    "American Society of Hematology": "ASH",
    "British Society for Haematology": "BSH",
    "Centers for Disease Control and Prevention": "CDC",
}


def _base_label(source: content.Source) -> str:
    authors = [a.strip() for a in source.authors if a.strip() and a.strip() != "et al."]
    more = "et al." in source.authors
    if not authors:
        name = source.journal or source.title
        name = name if len(name) <= 40 else name[:37].rsplit(" ", 1)[0] + "…"
    elif len(authors) == 1 and not more:
        name = _SHORT_NAMES.get(authors[0], _surname(authors[0]))
    elif len(authors) == 2 and not more:
        name = f"{_surname(authors[0])} & {_surname(authors[1])}"
    else:
        name = f"{_surname(authors[0])} et al."
    return f"{name} {source.year}" if source.year else name


_label_cache: dict[int, dict[str, str]] = {}


def _labels() -> dict[str, str]:
    """Every source's label; sources that would share one get 2020a, 2020b … in key order."""
    catalogue = content.sources()
    cached = _label_cache.get(id(catalogue))
    if cached is None:
        base = {key: _base_label(source) for key, source in catalogue.items()}
        groups: dict[str, list[str]] = {}
        for key in sorted(base):
            groups.setdefault(base[key], []).append(key)
        cached = {}
        for label, keys in groups.items():
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", keys, strict=False):
                suffix = letter if len(keys) > 1 and catalogue[key].year else ""
                cached[key] = label + suffix if suffix else (label if len(keys) == 1 else f"{label} ({key})")
        _label_cache.clear()
        _label_cache[id(catalogue)] = cached
    return cached


def source_label(source: content.Source) -> str:
    """How people cite a source in running text: 'Thompson et al. 2006', 'Slichter & Harker 1978', 'NICE 2024'."""
    return _labels().get(source.key) or _base_label(source)


def source_link(source: content.Source) -> str:
    """Where a reader finds the source: the DOI, else PubMed, else PubMed Central, else its own page."""
    if source.doi:
        return f"https://doi.org/{source.doi}"
    if source.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    if source.pmcid:
        return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{source.pmcid}/"
    return source.url or ""


def _source(key: str) -> content.Source:
    catalogue = content.sources()
    if key not in catalogue:
        raise KeyError(f"unknown source key '{key}'; it is not in data/sources.toml")
    return catalogue[key]


def _markdown_link(key: str) -> str:
    source = _source(key)
    link = source_link(source).replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f'[{source_label(source)}]({link} "{key}")'


def render_citations(text: str) -> str:
    """Lesson markdown with every citation rendered as author–year links (idempotent: rendered ones refresh)."""
    text = _RENDERED.sub(lambda match: _markdown_link(match.group(3)), text)
    return _CITATION_GROUP.sub(
        lambda group: "(" + "; ".join(_markdown_link(key) for key in _CITATION_KEY.findall(group.group(1))) + ")",
        text,
    )


def references_text(keys: tuple[str, ...] | list[str]) -> str:
    """Sources as people read them, e.g. 'Thompson et al. 2006; NICE 2024' (for plain-text places)."""
    return "; ".join(source_label(_source(key)) for key in keys)


def references_html(keys: tuple[str, ...] | list[str]) -> str:
    """Sources as author–year links to the DOI, PubMed or publisher page, the full reference on hover."""
    links = []
    for key in keys:
        source = _source(key)
        links.append(
            f'<a href="{escape(source_link(source), quote=True)}" title="{escape(source.formatted(), quote=True)}" '
            f'target="_blank" rel="noopener" data-source="{escape(key)}">{escape(source_label(source))}</a>'
        )
    return "; ".join(links)


def numbered_sources(keys_per_row: Sequence[Sequence[str]]) -> tuple[list[str], str]:
    """Sources of a table as small numbered links: one cell per row (``[1] [3]``, already HTML) and the notes
    under the table (the numbered list of full references, linked). Numbers follow first use, top to bottom."""
    numbers: dict[str, int] = {}
    cells = []
    for keys in keys_per_row:
        links = []
        for key in keys:
            number = numbers.setdefault(key, len(numbers) + 1)
            source = _source(key)
            links.append(
                f'<a href="{escape(source_link(source), quote=True)}" target="_blank" rel="noopener" '
                f'title="{escape(source.formatted(), quote=True)}" data-source="{escape(key)}">'
                f"<sup>[{number}]</sup></a>"
            )
        cells.append(" ".join(links))
    if not numbers:
        return cells, ""
    items = "".join(f'<li value="{number}">{references_html([key])}</li>' for key, number in numbers.items())
    notes = f'<ol style="font-size:smaller;margin:0.3em 0 0.6em 1.5em;padding:0;line-height:1.35">{items}</ol>'
    return cells, notes


def lesson_path(lesson: str | os.PathLike[str]) -> Path:
    """The shipped notebook of a lesson ('1', '01', '01-petechiae', 'petechiae' or a path): see
    :func:`petechiae_edu.lessons.find_lesson`, which owns lesson lookup."""
    return lessons.find_lesson(lesson)


def start_lesson(lesson: str) -> tuple[str, ...]:
    """Clear the registry and register every citation in the text of ``lesson`` (``"01"``, ``"1"`` or its name).

    Returns the keys found, so a lesson can show how many sources its text rests on. An unknown or ambiguous
    lesson raises :class:`~petechiae_edu.lessons.LessonNotFoundError` listing the lessons.
    """
    path = lessons.find_lesson(lesson)
    reset()
    keys = cited_in_text(lessons.markdown_text(path))
    cite(*keys, by=f"lesson {path.stem.split('-', 1)[0]} text")
    return keys


@dataclass(frozen=True)
class Bibliography:
    """Formatted references, shown as HTML in a notebook and as numbered text elsewhere."""

    entries: tuple[tuple[str, str], ...]  # (key, formatted reference)
    heading: str = "Sources used in this lesson"

    def __len__(self) -> int:
        return len(self.entries)

    def __str__(self) -> str:
        lines = [self.heading]
        lines += [f"{number}. [{key}] {text}" for number, (key, text) in enumerate(self.entries, start=1)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li id="source-{escape(key)}"><strong>{escape(references_text([key]))}</strong>. {_linkify(text)}</li>'
            for key, text in self.entries
        )
        return f"<h2>{escape(self.heading)}</h2><ol>{items}</ol>"


def _linkify(text: str) -> str:
    escaped = escape(text)
    return re.sub(r"(https?://[^\s)]+)", r'<a href="\1" target="_blank" rel="noopener">\1</a>', escaped)


def bibliography(keys: tuple[str, ...] | None = None) -> Bibliography:
    """Formatted references for ``keys`` (default: everything cited so far)."""
    chosen = used() if keys is None else keys
    catalogue = content.sources()
    missing = [key for key in chosen if key not in catalogue]
    if missing:
        raise KeyError(f"unknown source keys {missing}; they are not in data/sources.toml")
    return Bibliography(tuple((key, catalogue[key].formatted()) for key in chosen))


def show_sources() -> Bibliography:
    """The lesson's closing cell: every source its text cited and its code used, formatted."""
    return bibliography()
