"""Reading one content file safely: regular files only, UTF-8 text, flat TOML.

Nothing here ever opens a FIFO, a socket or a device (a reader would wait for ever), and every problem (a missing
file, a folder or a link loop where a file should be, binary data, a byte-order mark, bytes that are not UTF-8,
nesting deep enough to exhaust the parser) becomes a :class:`ContentError` naming the file and saying how to fix it.
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from .errors import ContentError

# Content files are small text files; a nesting deeper than this is damage (or an attack), not content.
MAX_NESTING = 32
_TEXT_BOMS = {
    b"\xef\xbb\xbf": "a UTF-8 byte-order mark (BOM), which TOML does not allow; save it as UTF-8 without BOM",
    b"\xff\xfe": "UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8",
    b"\xfe\xff": "UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8",
}


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_content_bytes(path: Path) -> bytes:
    """The bytes of one content file, refusing (without ever opening it) anything but a regular file.

    A FIFO, a socket or a device named like a content file would block a reader for ever; a folder, a dangling
    link or a link loop is named as such. Raises :class:`ContentError` naming the file.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        kind = "a link to a missing file" if os.path.islink(path) else None
        raise ContentError(path, f"file not found ({kind})" if kind else "file not found") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ContentError(path, "a loop of symbolic links; point the link at a real file") from None
        raise ContentError(path, f"cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        raise ContentError(path, f"is {_kind_of(mode)}, not a content file; it was not read")
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since the stat above, opening must not wait for a writer
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ContentError(path, "is not a regular file; it was not read")
        return handle.read()


def decode_content(path: Path, data: bytes) -> str:
    """UTF-8 text of a content file; a BOM, UTF-16, binary data or invalid UTF-8 is named, with the fix."""
    for bom, problem in _TEXT_BOMS.items():
        if data.startswith(bom):
            raise ContentError(path, f"starts with {problem}")
    if b"\x00" in data:
        raise ContentError(path, "is a binary file (it holds NUL bytes), not TOML text; restore the text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise ContentError(
            path, f"is not UTF-8 text (byte 0x{byte} on line {line} cannot be decoded); save the file as UTF-8"
        ) from None


def nesting_depth(value: Any) -> int:
    """How deep arrays and tables sit inside each other in ``value`` (0 for a plain value); no recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_NESTING:
            break
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; a syntax error (including a repeated table or key) names the file and line.

    Unreadable, binary or non-UTF-8 files, FIFOs and other non-regular files, and nesting deeper than
    :data:`MAX_NESTING` levels are refused with a :class:`ContentError` naming the file.
    """
    text = decode_content(path, read_content_bytes(path))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, f"not valid TOML ({error})") from None
    except RecursionError:
        document = None
    if document is None or nesting_depth(document) > MAX_NESTING:
        raise ContentError(
            path, f"arrays or tables are nested more than {MAX_NESTING} levels deep; content files are flat tables"
        )
    return document
