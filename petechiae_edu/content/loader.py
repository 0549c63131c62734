"""Read TOML content files into frozen dataclasses, checking every field on the way.

A content file names its schema at the top (``schema = "glossary"``) and keeps its entries in an array of
tables (``[[term]]``). A record type registers itself with :func:`content_schema`; the loader then checks
types, required and unknown fields, duplicate keys and that every source key resolves. Any problem becomes a
:class:`ContentError` naming the file, the entry and the field.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import ContentError, FieldError
from .files import read_toml

Record = TypeVar("Record")


@dataclass(frozen=True)
class Schema:
    """How one kind of content file is laid out."""

    name: str
    array: str
    record_type: type
    needs_sources: bool


SCHEMAS: dict[str, Schema] = {}

# file schema -> {array name -> record type}: every array a file of that schema may hold
FILE_SECTIONS: dict[str, dict[str, type]] = {}

# file schema -> a check over all the records of one file (rules that span entries, such as age bands that must
# not overlap); it raises ContentError naming the file, the entry and the field.
FileCheck = Callable[[Path, tuple[Any, ...]], None]
FILE_CHECKS: dict[str, FileCheck] = {}


def file_check(schema: str) -> Callable[[FileCheck], FileCheck]:
    """Decorator: run ``check(path, records)`` whenever a file of ``schema`` is loaded whole."""

    def register(check: FileCheck) -> FileCheck:
        FILE_CHECKS[schema] = check
        return check

    return register


def content_schema(name: str, *, array: str, part_of: str | None = None) -> Callable[[type[Record]], type[Record]]:
    """Class decorator: register a frozen dataclass as the record type of schema ``name``.

    ``part_of`` names the file schema whose files also hold these records in ``[[array]]`` (a calibration file,
    say, with points, covariates and thresholds side by side). A record type with a ``sources`` field must list at
    least one source key per entry, and every key must resolve in ``data/sources.toml``.
    """

    def register(record_type: type[Record]) -> type[Record]:
        if not dataclasses.is_dataclass(record_type):
            raise TypeError(f"{record_type.__name__} must be a dataclass to be a content schema")
        field_names = {f.name for f in dataclasses.fields(record_type)}
        if "key" not in field_names:
            raise TypeError(f"{record_type.__name__} needs a 'key' field to be a content schema")
        SCHEMAS[name] = Schema(name, array, record_type, needs_sources="sources" in field_names)
        FILE_SECTIONS.setdefault(part_of or name, {})[array] = record_type
        return record_type

    return register


# Every key of an entry: lowercase ASCII letters, digits, '_' and '-', single spaces between words ("very urgent").
# Look-alike keys ("Petechia", "petechia" + a zero-width space) cannot then sit beside the real one.
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*(?: [a-z0-9_-]+)*")


def load_records(
    path: Path,
    record_type: type[Record],
    *,
    array: str,
    known_sources: frozenset[str] | None = None,
    problems: list[ContentError] | None = None,
    document: dict[str, Any] | None = None,
) -> tuple[Record, ...]:
    """Load the entries of ``array`` in ``path`` as ``record_type`` instances, checked.

    ``known_sources`` is the set of valid source keys; when given, every ``sources`` entry must be in it.
    Without ``problems`` the first bad entry raises its :class:`ContentError`; with a list, every problem is
    appended to it, each bad entry is left out and the good ones are returned. ``document`` is the parsed file,
    when the caller has read it already.
    """
    problems_found: list[ContentError] = []
    records = _collect_records(
        path, record_type, array, known_sources, problems_found, read_toml(path) if document is None else document
    )
    if problems is None and problems_found:
        raise problems_found[0]
    if problems is not None:
        problems.extend(problems_found)
    return records


def _collect_records(
    path: Path,
    record_type: type[Record],
    array: str,
    known_sources: frozenset[str] | None,
    problems: list[ContentError],
    document: dict[str, Any],
) -> tuple[Record, ...]:
    entries = document.get(array)
    if entries is None:
        problems.append(ContentError(path, f"no [[{array}]] entries found"))
        return ()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(ContentError(path, f"'{array}' must be an array of tables written as [[{array}]]"))
        return ()
    records: list[Record] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(entries, start=1):
        label = _entry_label(array, number, raw)
        record, entry_problems = _build_record(path, label, raw, record_type, known_sources)
        key = raw.get("key")
        if isinstance(key, str) and key in first_seen:
            entry_problems.append(
                ContentError(
                    path,
                    f"duplicate key '{key}'; it was already used by {array} #{first_seen[key]}",
                    entry=label,
                    field="key",
                )
            )
        elif isinstance(key, str):
            first_seen[key] = number
        if entry_problems:
            problems.extend(entry_problems)
        elif record is not None:
            records.append(record)
    return tuple(records)


def load_schema_file(
    path: Path, known_sources: frozenset[str] | None, problems: list[ContentError] | None = None
) -> tuple[Any, ...]:
    """Load every section of a content file whose top-level ``schema`` names a registered file schema.

    A list of tables that the schema does not know is refused, so a misspelt ``[[secton]]`` cannot hide.
    Without ``problems`` the first problem raises; with a list, every problem is appended and the good records
    are returned.
    """
    found: list[ContentError] = []
    records = _schema_file_records(path, known_sources, found)
    if problems is None and found:
        raise found[0]
    if problems is not None:
        problems.extend(found)
    return records


def _schema_file_records(
    path: Path, known_sources: frozenset[str] | None, problems: list[ContentError]
) -> tuple[Any, ...]:
    try:
        document = read_toml(path)
    except ContentError as error:
        problems.append(error)
        return ()
    name = document.get("schema")
    if name is None:
        problems.append(ContentError(path, "missing top-level 'schema = \"...\"' line naming the kind of content"))
        return ()
    if name not in FILE_SECTIONS:
        known = ", ".join(sorted(FILE_SECTIONS))
        problems.append(ContentError(path, f"unknown schema '{name}'; expected one of: {known}"))
        return ()
    sections = FILE_SECTIONS[name]
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and key not in sections:
            expected = ", ".join(f"[[{array}]]" for array in sections)
            problems.append(ContentError(path, f"unknown section [[{key}]] for schema '{name}'; expected {expected}"))
    records: list[Any] = []
    file_problems: list[ContentError] = []
    for array, record_type in sections.items():
        records += _collect_records(path, record_type, array, known_sources, file_problems, document)
    problems.extend(file_problems)
    check = FILE_CHECKS.get(name)
    if check is not None and not file_problems:
        try:
            check(path, tuple(records))
        except ContentError as error:
            problems.append(error)
    return tuple(records)


def _entry_label(array: str, number: int, raw: dict[str, Any]) -> str:
    key = raw.get("key")
    return f"'{key}' ({array} #{number})" if isinstance(key, str) else f"{array} #{number}"


def _build_record(
    path: Path,
    label: str,
    raw: dict[str, Any],
    record_type: type[Record],
    known_sources: frozenset[str] | None,
) -> tuple[Record | None, list[ContentError]]:
    """The record of one entry and every problem found in it (each naming its field); no record if any."""
    fields = {f.name: f for f in dataclasses.fields(record_type)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(record_type)
    problems = [
        ContentError(path, f"unknown field (expected one of: {', '.join(fields)})", entry=label, field=name)
        for name in sorted(set(raw) - set(fields))
    ]
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in raw:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                help_text = spec.metadata.get("help", "")
                hint = f" ({help_text})" if help_text else ""
                problems.append(ContentError(path, f"required field is missing{hint}", entry=label, field=name))
            continue
        try:
            values[name] = _coerce(raw[name], hints[name])
        except TypeError as error:
            problems.append(ContentError(path, str(error), entry=label, field=name))
    if isinstance(values.get("key"), str) and not KEY_PATTERN.fullmatch(values["key"]):
        problems.append(
            ContentError(
                path,
                f"{values['key']!r} is not a valid key; use lowercase ASCII letters, digits, '_' or '-'",
                entry=label,
                field="key",
            )
        )
    if "sources" in fields and "sources" in values:
        problems += _source_problems(path, label, values["sources"], known_sources)
    if problems:
        return None, problems
    try:
        return record_type(**values), []
    except FieldError as error:
        return None, [ContentError(path, error.message, entry=label, field=error.field)]


def _source_problems(
    path: Path, label: str, sources: tuple[str, ...], known: frozenset[str] | None
) -> list[ContentError]:
    if not sources:
        return [ContentError(path, "a clinical statement needs at least one source key", entry=label, field="sources")]
    if known is None:
        return []
    return [
        ContentError(
            path,
            f"unknown source key '{key}' (not in data/sources.toml){did_you_mean(key, known)}",
            entry=label,
            field="sources",
        )
        for key in sources
        if key not in known
    ]


def did_you_mean(word: str, known: typing.Iterable[str]) -> str:
    """``"; did you mean 'kaufman2015'?"`` for the closest known word, or an empty string."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def _coerce(value: Any, hint: Any) -> Any:
    """Convert a TOML value to the annotated type, or raise TypeError saying what was expected."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            return _coerce(value, options[0])
        for option in options:
            try:
                return _coerce(value, option)
            except TypeError:
                continue
        raise TypeError(f"expected one of {options}, got {_describe(value)}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {_describe(value)}")
        item_type = args[0]
        try:
            return tuple(_coerce(item, item_type) for item in value)
        except TypeError as error:
            raise TypeError(f"in the list: {error}") from None
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise TypeError(f"expected a table, got {_describe(value)}")
        return dict(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {_describe(value)}")
        if not math.isfinite(value):
            raise TypeError(f"expected a finite number, got {value}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected a whole number, got {_describe(value)}")
        return value
    if hint in (str, bool):
        if not isinstance(value, hint):
            raise TypeError(f"expected {_TYPE_WORDS[hint]}, got {_describe(value)}")
        if hint is str and not value.strip():
            raise TypeError("expected text, got an empty string")
        if hint is str:
            _check_visible(value)
        return value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _coerce_table(value, hint)
    raise TypeError(f"unsupported field type {hint!r}")


def _check_visible(text: str) -> None:
    """Refuse control and invisible formatting characters (NUL, right-to-left override, zero-width space...)."""
    for position, character in enumerate(text):
        if character in "\n\t":
            continue
        if unicodedata.category(character) in ("Cc", "Cf", "Co", "Cs"):
            name = unicodedata.name(character, "a control character")
            raise TypeError(
                f"the text holds an invisible or control character U+{ord(character):04X} ({name}) at position "
                f"{position + 1}; retype the text without it"
            )


def _coerce_table(value: Any, record_type: type) -> Any:
    """A nested table (for example one step of a clinical case) checked like a top-level entry."""
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {_describe(value)}")
    fields = {f.name: f for f in dataclasses.fields(record_type)}
    hints = typing.get_type_hints(record_type)
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise TypeError(f"unknown field '{unknown[0]}' in a nested table (expected one of: {', '.join(fields)})")
    values = {}
    for name, spec in fields.items():
        if name in value:
            try:
                values[name] = _coerce(value[name], hints[name])
            except TypeError as error:
                raise TypeError(f"in nested field '{name}': {error}") from None
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise TypeError(f"a nested table is missing its required field '{name}'")
    try:
        return record_type(**values)
    except FieldError as error:
        raise TypeError(f"in nested field '{error.field}': {error.message}") from None
