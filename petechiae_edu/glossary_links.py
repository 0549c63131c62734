"""Jargon linked to the glossary on first use (lesson authoring, issue 14).

Each lesson lists its glossary terms in a ``glossary_terms("petechia", "itp", …)`` cell under a heading ("##
Glossary" or "## Words used in this lesson"). The first time the lesson's student-visible text uses one of those
terms, the word becomes a link to that heading whose hover title gives the definition's first sentence:
``[petechiae](#Glossary "Glossary: A pinpoint red or purple spot …")``. JupyterLab, Voilà and the exported
handouts give each heading an id made of its words joined by hyphens, so the link works in all three, offline.

What counts as a use: a form of the term (the name before the brackets, each name inside them — "ITP", "glass
test" —, and a plural "s"/"e" ending of a lower-case name) as a whole word, case-insensitive except for
abbreviations written in capitals. Skipped: headings, the first cell (title, disclaimer and objectives, which
mirror ``data/course.toml``), instructor notes (cells starting "### Instructor"), existing links, inline code and
HTML tags. :func:`link_first_uses` is idempotent: run it again and nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

LINK_TITLE_PREFIX = "Glossary: "
GLOSSARY_HEADINGS = ("Glossary", "Words used in this lesson")
# a link (its title may hold brackets: "…(FBC)…"), inline code, an HTML tag, a bare address
_PROTECTED = re.compile(r"\[[^\]]*\]\((?:[^)\"]|\"[^\"]*\")*\)|`[^`]*`|<[^>]+>|https?://\S+")
_CALL = re.compile(r"glossary_terms\(([^)]*)\)")


@dataclass(frozen=True)
class TermForms:
    """A glossary term and the written forms that count as a use of it."""

    key: str
    forms: tuple[str, ...]
    title: str  # the hover text: "Glossary: " and the definition's first sentence

    def pattern(self) -> re.Pattern[str]:
        parts = []
        for form in sorted(self.forms, key=len, reverse=True):
            escaped = re.escape(form).replace(r"\ ", r"[\s-]+")
            if form.isupper() or any(ch.isdigit() for ch in form):
                parts.append(f"(?-i:{escaped})")
            else:
                parts.append(escaped + r"(?:s|es|e)?")
        return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def term_forms(key: str, term: str, definition: str) -> TermForms:
    """The forms of a glossary ``term`` as the glossary writes it, e.g. "Petechia (plural: petechiae)" →
    petechia, petechiae; "Immune thrombocytopenia (ITP)" → immune thrombocytopenia, ITP."""
    inside = re.findall(r"\(([^)]*)\)", term)
    outside = " ".join(re.sub(r"\([^)]*\)", " ", term).split())
    names = [part.strip() for part in re.split(r" and the ", outside) if part.strip()]
    for group in inside:
        for part in re.split(r"[;,]", group):
            part = re.sub(r"^(plural|formerly|also)\s*:?\s*", "", part.strip(), flags=re.IGNORECASE).strip()
            if len(part) >= 2:
                names.append(part)
    forms = tuple(dict.fromkeys(name if name.isupper() else name.lower() for name in names if name))
    sentence = re.split(r"(?<=[.!?])\s", definition.strip(), maxsplit=1)[0]
    title = (LINK_TITLE_PREFIX + sentence).replace('"', "'")
    return TermForms(key, forms, title)


def lesson_glossary(sources: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """(the anchor of the lesson's glossary heading, the term keys its ``glossary_terms(...)`` cell lists), from
    the cells' sources in order; (None, ()) when the lesson has no glossary."""
    anchor = None
    keys: list[str] = []
    for source in sources:
        for line in source.splitlines():
            heading = re.match(r"^#{2,3}\s+(.*\S)\s*$", line)
            if heading and heading.group(1) in GLOSSARY_HEADINGS:
                anchor = heading.group(1).replace(" ", "-")
        for call in _CALL.finditer(source):
            keys.extend(re.findall(r"[\"']([a-z0-9_]+)[\"']", call.group(1)))
    return (anchor, tuple(dict.fromkeys(keys))) if anchor else (None, ())


def _visible(index: int, source: str) -> bool:
    return index > 0 and not source.lstrip().startswith("### Instructor")


def _spans(line: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PROTECTED.finditer(line)]


def _first_use(pattern: re.Pattern[str], text: str) -> tuple[int, int, int] | None:
    """(line number, start, end) of the first unprotected use in ``text``, skipping headings."""
    for number, line in enumerate(text.split("\n")):
        if line.lstrip().startswith("#"):
            continue
        protected = _spans(line)
        for match in pattern.finditer(line):
            if not any(start <= match.start() < end for start, end in protected):
                return number, match.start(), match.end()
    return None


def _already_linked(text: str, forms: TermForms) -> bool:
    return f'"{forms.title}")' in text


def link_first_uses(
    cells: Sequence[tuple[str, str]], glossary: Mapping[str, tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """Link the first use of each of the lesson's glossary terms.

    ``cells``: (cell type, source) in order; ``glossary``: key → (term, definition). Returns the new sources
    (same order; code cells unchanged) and the keys linked now. A term already linked anywhere is left alone.
    """
    sources = [source for _kind, source in cells]
    anchor, keys = lesson_glossary(sources)
    if anchor is None:
        return sources, []
    linked = []
    for key in keys:
        if key not in glossary:
            continue
        forms = term_forms(key, *glossary[key])
        if not forms.forms or any(_already_linked(s, forms) for s in sources):
            continue
        pattern = forms.pattern()
        for index, (kind, _source) in enumerate(cells):
            if kind != "markdown" or not _visible(index, sources[index]):
                continue
            found = _first_use(pattern, sources[index])
            if found is None:
                continue
            number, start, end = found
            lines = sources[index].split("\n")
            line = lines[number]
            lines[number] = f'{line[:start]}[{line[start:end]}](#{anchor} "{forms.title}"){line[end:]}'
            sources[index] = "\n".join(lines)
            linked.append(key)
            break
    return sources, linked


def unlinked_first_uses(cells: Sequence[tuple[str, str]], glossary: Mapping[str, tuple[str, str]]) -> list[str]:
    """The lesson's glossary terms that its text uses but does not link at their first use (empty: all linked)."""
    sources = [source for _kind, source in cells]
    anchor, keys = lesson_glossary(sources)
    if anchor is None:
        return []
    missing = []
    for key in keys:
        if key not in glossary:
            continue
        forms = term_forms(key, *glossary[key])
        pattern = forms.pattern()
        for index, (kind, source) in enumerate(cells):
            if kind != "markdown" or not _visible(index, source):
                continue
            found = _first_use(pattern, source)
            link_at = source.find(f'"{forms.title}")')
            if found is None and link_at < 0:
                continue
            if link_at < 0 or (found is not None and _offset(source, found) < link_at):
                missing.append(key)
            break
    return missing


def _offset(source: str, found: tuple[int, int, int]) -> int:
    number, start, _end = found
    return sum(len(line) + 1 for line in source.split("\n")[:number]) + start


def glossary_entries(terms: Iterable[object]) -> dict[str, tuple[str, str]]:
    """key → (term, definition) from the loaded glossary records."""
    return {term.key: (term.term, term.definition) for term in terms}  # type: ignore[attr-defined]
