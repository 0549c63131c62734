"""The source registry: what a lesson used, so it can end with exactly what to cite.

In the spirit of PyBaMM's citations: code that shows a fact or runs a model calls :func:`cite` with the
source keys it rests on; a lesson calls :func:`start_lesson` at the top (which clears the registry and
registers the sources its text cites as ``[@key]``) and :func:`show_sources` at the end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import content, paths

_CITATION_GROUP = re.compile(r"\[(@[a-z0-9_]+(?:\s*;\s*@[a-z0-9_]+)*)\]")
_CITATION_KEY = re.compile(r"@([a-z0-9_]+)")

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
    """Source keys written as ``[@key]`` or ``[@key1; @key2]`` in lesson text, in order, without repeats."""
    keys = (key for group in _CITATION_GROUP.findall(text) for key in _CITATION_KEY.findall(group))
    return tuple(dict.fromkeys(keys))


def lesson_path(lesson: str) -> Path:
    """The shipped notebook of a lesson given by number ('01') or file stem ('01-petechiae')."""
    folder = paths.lessons_dir()
    matches = sorted(folder.glob(f"{lesson}*.ipynb"))
    if not matches:
        available = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb")))
        raise FileNotFoundError(f"no lesson '{lesson}' in {folder}; available: {available}")
    return matches[0]


def start_lesson(lesson: str) -> tuple[str, ...]:
    """Clear the registry and register every ``[@key]`` cited in the lesson's text.

    Returns the keys found, so a lesson can show how many sources its text rests on.
    """
    reset()
    notebook = json.loads(lesson_path(lesson).read_text(encoding="utf-8"))
    text = "\n".join(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in notebook["cells"]
        if cell["cell_type"] == "markdown"
    )
    keys = cited_in_text(text)
    cite(*keys, by=f"lesson {lesson} text")
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
            f'<li id="source-{escape(key)}"><code>[@{escape(key)}]</code> {_linkify(text)}</li>'
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
