"""The one error the content store raises, and the small one records use to point at a field."""

from __future__ import annotations

from pathlib import Path


class FieldError(ValueError):
    """Raised by a record's own checks; the loader adds the file and entry to it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def require_one_of(field: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise a :class:`FieldError` unless ``value`` is one of the ``allowed`` words."""
    if value not in allowed:
        raise FieldError(field, f"'{value}' is not one of {', '.join(allowed)}")


class ContentError(ValueError):
    """Bad content: names the file, the entry and the field, and says what was expected."""

    def __init__(self, path: Path | str, message: str, *, entry: str | None = None, field: str | None = None):
        self.path = Path(path)
        self.entry = entry
        self.field = field
        self.message = message
        where = _display_path(self.path)
        if entry is not None:
            where += f", entry {entry}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


def _display_path(path: Path) -> str:
    """Show data files relative to their data/ folder, which is how an editor knows them."""
    parts = path.parts
    if "data" in parts:
        index = len(parts) - 1 - parts[::-1].index("data")
        return "/".join(parts[index:])
    return str(path)
