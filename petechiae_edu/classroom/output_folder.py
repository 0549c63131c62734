"""Write a command's output folder without ever overwriting what the command did not write.

``build`` and ``export`` write into a folder the user names, which may already hold a student's lessons or a
README. The rules (issue 13, point 3):

- a new or empty folder is fine;
- a folder this command wrote before (it holds :data:`OUTPUT_MANIFEST`, listing each file it wrote with its
  fingerprint) is fine, as long as none of those files was changed since and no file of the same name as a new
  one appeared; only the command's own files are replaced or removed, every other file stays;
- anything else is refused with a message that names the folder and a file in the way, unless ``force`` is
  given (then files of the same names are replaced; other files still stay).

The output is first written to a staging folder beside the target (:func:`staging`) and moved in only when the
whole command succeeded (:func:`publish`), so a failure half-way leaves the previous output as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OUTPUT_MANIFEST = ".petechiae-edu-output.json"


class OutputFolderError(ValueError):
    """The output folder holds files this command did not write (or that were changed since)."""


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _own_files(folder: Path, command: str) -> dict[str, str]:
    """The files ``command`` wrote into ``folder`` last time (relative path -> fingerprint)."""
    manifest = folder / OUTPUT_MANIFEST
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["files"]
        if data.get("command") != command or not isinstance(files, dict):
            return {}
        return {str(name): str(value) for name, value in files.items()}
    except (ValueError, KeyError, TypeError):
        return {}


def _files_in(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() or path.is_symlink()
        if path.name != OUTPUT_MANIFEST
    )


def check_output_folder(folder: Path, command: str, new_files: list[str], *, force: bool = False) -> None:
    """Refuse (:class:`OutputFolderError`) to write ``new_files`` into ``folder`` if that could lose a file."""
    folder = Path(folder)
    if force or not folder.exists():
        return
    if not folder.is_dir():
        raise OutputFolderError(f"{folder} is a file, not a folder; give a new or empty folder for the {command}")
    own = _own_files(folder, command)
    present = _files_in(folder)
    if not own and present:
        shown = ", ".join(present[:3]) + (f" and {len(present) - 3} more" if len(present) > 3 else "")
        raise OutputFolderError(
            f"{folder} is not empty and was not written by 'petechiae-edu {command}' (it holds {shown}); "
            f"nothing was written. Choose a new or empty folder, or add --force to write into it anyway "
            "(files with the same names as the output will be replaced; other files stay)"
        )
    changed = [
        name for name, print_ in own.items() if (folder / name).is_file() and _fingerprint(folder / name) != print_
    ]
    in_the_way = [name for name in new_files if (folder / name).exists() and name not in own]
    trouble = changed + in_the_way
    if trouble:
        reason = "was changed since" if changed else "was not written by"
        raise OutputFolderError(
            f"{folder / trouble[0]} {reason} the last 'petechiae-edu {command}' into this folder, and it would "
            "be replaced; nothing was written. Move it away, choose another folder, or add --force"
        )


@contextmanager
def staging(folder: Path) -> Iterator[Path]:
    """A fresh folder beside ``folder`` to write the output into; removed afterwards whatever happens."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, folder: Path, command: str, *, force: bool = False) -> list[Path]:
    """Move everything in ``stage`` into ``folder`` (after :func:`check_output_folder`); return the files.

    The command's own files from last time that are not in the new output are removed; no other file is touched.
    """
    stage, folder = Path(stage), Path(folder)
    new_files = _files_in(stage)
    check_output_folder(folder, command, new_files, force=force)
    old_own = _own_files(folder, command) if folder.exists() else {}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in new_files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / name, target)
        written.append(target)
    for name in old_own:
        if name not in new_files and (folder / name).is_file():
            (folder / name).unlink()
    manifest = {"command": command, "files": {name: _fingerprint(folder / name) for name in new_files}}
    (folder / OUTPUT_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return written
