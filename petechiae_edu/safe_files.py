"""Write files in a student's workspace without ever losing what is there.

- :func:`atomic_write`: a new file appears whole or not at all (written beside, then renamed), with the user's
  umask (never 0600 whatever the umask, so a shared class folder stays readable);
- :func:`replace_if_unchanged`: put new bytes in place of a file only if it still holds what was read, never
  losing a save that races the update;
- :func:`free_name`: a name beside a file that is not taken yet.
"""

from __future__ import annotations

import os
from pathlib import Path


def _new_file(path: Path) -> tuple[int, Path]:
    """A new, unique file beside ``path``, created with the user's umask (never 0600 whatever the umask)."""
    for number in range(1000):
        candidate = path.with_name(f".{path.name}.{os.getpid()}-{number}.tmp")
        try:
            return os.open(
                candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            ), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def _temporary_copy(path: Path, data: bytes) -> Path:
    handle, temporary = _new_file(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so an interrupted update never leaves half a lesson."""
    temporary = _temporary_copy(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def replace_if_unchanged(target: Path, expected: bytes, data: bytes, backup: Path | None) -> bool:
    """Put ``data`` in place of ``target`` only if ``target`` still holds ``expected``; never lose a save.

    The student's file is first moved aside (an atomic rename). If what was moved is not what the merge read,
    the student saved meanwhile: it goes back and nothing is replaced. The new file is then *linked* into place,
    which fails if a save created ``target`` again in the meantime: the student's save wins. Returns True when
    ``target`` now holds ``data``. With ``backup``, the student's previous file is kept there.
    """
    temporary = _temporary_copy(target, data)
    handle, aside = _new_file(target)
    os.close(handle)
    try:
        try:
            os.replace(target, aside)
        except FileNotFoundError:
            aside.unlink(missing_ok=True)
            return False  # the student moved or deleted it just now: leave it to them
        if aside.read_bytes() != expected:
            _put_back(aside, target)
            return False
        if not _link_into_place(temporary, target):
            _keep(aside, backup)  # saved again while we worked: their newest save stays in place
            return False
        _keep(aside, backup)
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _link_into_place(temporary: Path, target: Path) -> bool:
    """Create ``target`` from ``temporary`` only if ``target`` does not exist (a hard link fails if it does)."""
    try:
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (a FAT-formatted USB stick): check, then rename
        if target.exists():
            return False
        os.replace(temporary, target)
        return True


def _keep(aside: Path, backup: Path | None) -> None:
    """The student's earlier file goes to ``backup`` (or away, when it was the course's own copy)."""
    if backup is None:
        aside.unlink()
        return
    backup.parent.mkdir(exist_ok=True)
    os.replace(aside, free_name(backup) if backup.exists() else backup)


def _put_back(aside: Path, target: Path) -> None:
    if _link_into_place(aside, target):
        aside.unlink(missing_ok=True)
    # else a newer save exists; ``aside`` (an older save) stays beside it as a hidden file, never deleted


def free_name(path: Path) -> Path:
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(f"too many copies of {path.name} in {path.parent}")
