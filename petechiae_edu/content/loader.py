"""Read TOML content files into frozen dataclasses, checking every field on the way.

A content file names its schema at the top (``schema = "glossary"``) and keeps its entries in an array of
tables (``[[term]]``). A record type registers itself with :func:`content_schema`; the loader then checks
types, required and unknown fields, duplicate keys and that every source key resolves. Any problem becomes a
:class:`ContentError` naming the file, the entry and the field.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import ContentError, FieldError

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


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; a syntax error (including a repeated table or key) names the file and line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(path, "file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"not valid TOML ({error})") from None


def load_records(
    path: Path,
    record_type: type[Record],
    *,
    array: str,
    known_sources: frozenset[str] | None = None,
) -> tuple[Record, ...]:
    """Load the entries of ``array`` in ``path`` as ``record_type`` instances, checked.

    ``known_sources`` is the set of valid source keys; when given, every ``sources`` entry must be in it.
    """
    document = read_toml(path)
    entries = document.get(array)
    if entries is None:
        raise ContentError(path, f"no [[{array}]] entries found")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ContentError(path, f"'{array}' must be an array of tables written as [[{array}]]")
    records: list[Record] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(entries, start=1):
        label = _entry_label(array, number, raw)
        record = _build_record(path, label, raw, record_type, known_sources)
        key = record.key  # type: ignore[attr-defined]
        if key in first_seen:
            raise ContentError(
                path,
                f"duplicate key '{key}'; it was already used by {array} #{first_seen[key]}",
                entry=label,
                field="key",
            )
        first_seen[key] = number
        records.append(record)
    return tuple(records)


def load_schema_file(path: Path, known_sources: frozenset[str] | None) -> tuple[Any, ...]:
    """Load every section of a content file whose top-level ``schema`` names a registered file schema.

    A list of tables that the schema does not know is refused, so a misspelt ``[[secton]]`` cannot hide.
    """
    document = read_toml(path)
    name = document.get("schema")
    if name is None:
        raise ContentError(path, "missing top-level 'schema = \"...\"' line naming the kind of content")
    if name not in FILE_SECTIONS:
        known = ", ".join(sorted(FILE_SECTIONS))
        raise ContentError(path, f"unknown schema '{name}'; expected one of: {known}")
    sections = FILE_SECTIONS[name]
    for key, value in document.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and key not in sections:
            expected = ", ".join(f"[[{array}]]" for array in sections)
            raise ContentError(path, f"unknown section [[{key}]] for schema '{name}'; expected {expected}")
    records: list[Any] = []
    for array, record_type in sections.items():
        records += load_records(path, record_type, array=array, known_sources=known_sources)
    check = FILE_CHECKS.get(name)
    if check is not None:
        check(path, tuple(records))
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
) -> Record:
    fields = {f.name: f for f in dataclasses.fields(record_type)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(record_type)
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise ContentError(path, f"unknown field (expected one of: {', '.join(fields)})", entry=label, field=unknown[0])
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in raw:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                help_text = spec.metadata.get("help", "")
                hint = f" ({help_text})" if help_text else ""
                raise ContentError(path, f"required field is missing{hint}", entry=label, field=name)
            continue
        try:
            values[name] = _coerce(raw[name], hints[name])
        except TypeError as error:
            raise ContentError(path, str(error), entry=label, field=name) from None
    if "sources" in fields:
        _check_sources(path, label, values.get("sources", ()), known_sources)
    try:
        return record_type(**values)
    except FieldError as error:
        raise ContentError(path, error.message, entry=label, field=error.field) from None


def _check_sources(path: Path, label: str, sources: tuple[str, ...], known: frozenset[str] | None) -> None:
    if not sources:
        raise ContentError(path, "a clinical statement needs at least one source key", entry=label, field="sources")
    if known is None:
        return
    for key in sources:
        if key not in known:
            raise ContentError(
                path, f"unknown source key '{key}' (not in data/sources.toml)", entry=label, field="sources"
            )


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
        return value
    if dataclasses.is_dataclass(hint):
        return _coerce_table(value, hint)
    raise TypeError(f"unsupported field type {hint!r}")


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
