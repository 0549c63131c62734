"""Copy the lessons into a student's workspace and update them without ever overwriting the student's work.

The workspace keeps a manifest (``.petechiae-edu.json``) with the fingerprint of every lesson file as the
course last wrote it. On update, a file whose current fingerprint still matches is the course's own copy and
is refreshed; a file that differs was changed by the student (edited, or simply run and saved) and is left
byte for byte as it is — the newer lesson is written beside it as ``NAME.new-vVERSION.ipynb``. Nothing the
student made is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .lessons import lesson_files

MANIFEST_NAME = ".petechiae-edu.json"


@dataclass
class SyncReport:
    """What an update did, file by file."""

    workspace: Path
    added: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_student_version: list[tuple[str, str]] = field(default_factory=list)  # (student's file, new beside it)
    kept_student_no_update: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Workspace: {self.workspace}"]
        out += [f"  added      {name}" for name in self.added]
        out += [f"  refreshed  {name} (you had not changed it)" for name in self.refreshed]
        out += [
            f"  kept       {name} (you changed it); the new version is beside it as {beside}"
            for name, beside in self.kept_student_version
        ]
        out += [f"  kept       {name} (you changed it; no newer lesson)" for name in self.kept_student_no_update]
        if self.unchanged:
            out.append(f"  unchanged  {len(self.unchanged)} lesson(s) already up to date")
        return out

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.refreshed or self.kept_student_version)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(workspace: Path) -> dict[str, str]:
    path = workspace / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a table")
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{path}: the workspace manifest is damaged ({error}). Your lessons are untouched; move the manifest "
            "aside and run the command again: every lesson that differs from the course will be treated as yours."
        ) from None


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so an interrupted update never leaves half a lesson."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def beside_name(name: str, version: str = __version__) -> str:
    """Where a newer lesson goes when the student changed theirs: ``01-petechiae.new-v0.2.0.ipynb``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.new-v{version}.{suffix}" if dot else f"{name}.new-v{version}"


def sync_workspace(workspace: Path, source: Path | None = None, version: str = __version__) -> SyncReport:
    """Bring the workspace's lessons up to date with ``source`` (default: the shipped lessons)."""
    source = source or paths.lessons_dir()
    workspace = Path(workspace).expanduser()
    if workspace.exists() and not workspace.is_dir():
        raise NotADirectoryError(f"{workspace} is a file, not a folder; give a folder for the lessons")
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace)
    report = SyncReport(workspace)
    for lesson in lesson_files(source):
        name = lesson.name
        new_bytes = lesson.read_bytes()
        new_print = fingerprint(new_bytes)
        target = workspace / name
        if not target.exists():
            _atomic_write(target, new_bytes)
            manifest[name] = new_print
            report.added.append(name)
            continue
        current_print = fingerprint(target.read_bytes())
        if current_print == new_print:
            manifest[name] = new_print
            report.unchanged.append(name)
        elif manifest.get(name) == current_print:
            _atomic_write(target, new_bytes)
            manifest[name] = new_print
            report.refreshed.append(name)
        elif manifest.get(name) == new_print:
            # the student changed it and the course has nothing newer than what they started from
            report.kept_student_no_update.append(name)
        else:
            beside = workspace / beside_name(name, version)
            if beside.exists() and fingerprint(beside.read_bytes()) == new_print:
                report.unchanged.append(name)
            else:
                if beside.exists():
                    # the student edited even the earlier beside copy: keep it too, under another name
                    beside = _free_name(beside)
                _atomic_write(beside, new_bytes)
                report.kept_student_version.append((name, beside.name))
            # the manifest keeps the old fingerprint, so the student's file stays recognised as theirs
    manifest_data = {"course_version": version, "files": dict(sorted(manifest.items()))}
    _atomic_write(workspace / MANIFEST_NAME, (json.dumps(manifest_data, indent=2) + "\n").encode())
    return report


def _free_name(path: Path) -> Path:
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(f"too many copies of {path.name} in {path.parent}")


def is_workspace(folder: Path) -> bool:
    return (Path(folder).expanduser() / MANIFEST_NAME).exists()
