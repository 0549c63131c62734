"""Copy the lessons into a student's workspace and update them without ever losing the student's work.

Students get the **student edition** by default (instructor cells left out; :mod:`.classroom.editions`).

The workspace keeps a manifest (``.petechiae-edu.json``): for every lesson, the fingerprint of the file as the
course last wrote it, and that version itself (the *base*), so that an update can tell what the student changed.
The manifest is verified against the files: a base whose fingerprint does not match is not used.

On update, for each lesson (:func:`sync_workspace`):

- the file is still the course's own copy (same fingerprint) → it is refreshed;
- the student only **ran** it (outputs, counts, widget state differ; no cell source, no cell added or deleted)
  → it is refreshed too (their outputs go; a copy of their file is kept in ``.petechiae-edu-backup/``);
- the student **edited** it → the new version is merged in cell by cell (:mod:`.notebook_merge`): course cells
  they did not touch are updated, their edits and their own cells stay in place, and where the course changed a
  cell they had edited, both versions are kept with a note (a copy of their file goes to the backup folder);
- it cannot be merged (not a notebook, cells without ids, no trusted base) → the student's file stays byte for
  byte and the new lesson is written beside it as ``NAME.new-vVERSION.ipynb``.

A save that races an update never loses the student's save: the student's file is moved aside, checked to be
the one that was merged, and the merged lesson is put in place only if no new file appeared meanwhile
(:func:`_replace_if_unchanged`). Files are written with the user's umask, so a shared class folder stays
readable. Nothing the student made is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, paths
from .classroom import EDITIONS
from .lessons import lesson_files
from .notebook_merge import NotMergeable, merge_update, only_ran
from .safe_files import atomic_write, free_name, replace_if_unchanged

MANIFEST_NAME = ".petechiae-edu.json"
BACKUP_FOLDER = ".petechiae-edu-backup"


@dataclass
class SyncReport:
    """What an update did, file by file."""

    workspace: Path
    added: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    refreshed_after_run: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (lesson, what the merge did)
    unchanged: list[str] = field(default_factory=list)
    kept_student_version: list[tuple[str, str]] = field(default_factory=list)  # (student's file, new beside it)
    kept_student_no_update: list[str] = field(default_factory=list)
    saved_during_update: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name): the course renamed it
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why): left alone, not a lesson file

    def lines(self) -> list[str]:
        out = [f"Workspace: {self.workspace}"]
        out += [f"  renamed    {old} -> {new} (the course renamed this lesson)" for old, new in self.renamed]
        out += [f"  added      {name}" for name in self.added]
        out += [f"  refreshed  {name} (you had not changed it)" for name in self.refreshed]
        out += [
            f"  refreshed  {name} (you had run it but not edited it; its outputs were cleared)"
            for name in self.refreshed_after_run
        ]
        out += [f"  merged     {name}: {summary}" for name, summary in self.merged]
        out += [
            f"  kept       {name} (you changed it); the new version is beside it as {beside}"
            for name, beside in self.kept_student_version
        ]
        out += [f"  kept       {name} (you changed it; no newer lesson)" for name in self.kept_student_no_update]
        out += [
            f"  kept       {name} (you saved it while the update ran; run the update again to merge)"
            for name in self.saved_during_update
        ]
        out += [f"  skipped    {name}: {why}; move it away to get the lesson" for name, why in self.skipped]
        if self.unchanged:
            out.append(f"  unchanged  {len(self.unchanged)} lesson(s) already up to date")
        if self.merged or self.refreshed_after_run:
            out.append(f"  Your files as they were before this update are in {BACKUP_FOLDER}/.")
        return out

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.added
            or self.refreshed
            or self.refreshed_after_run
            or self.merged
            or self.kept_student_version
            or self.renamed
        )


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Manifest:
    files: dict[str, str]  # lesson -> fingerprint of the course's copy as last written
    base: dict[str, str]  # lesson -> that copy's text (notebooks only), verified against ``files``
    edition: str


def _read_manifest(workspace: Path) -> _Manifest:
    path = workspace / MANIFEST_NAME
    if not path.exists():
        return _Manifest({}, {}, "")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        base = manifest.get("base", {})
        if not isinstance(files, dict) or not isinstance(base, dict):
            raise TypeError("files or base is not a table")
        edition = str(manifest.get("edition", ""))
        for name, value in files.items():
            if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
                raise TypeError(f"the fingerprint of {name!r} is {value!r}, not a SHA-256 hex digest")
        for name, value in base.items():
            if not isinstance(value, str):
                raise TypeError(f"the course's copy of {name!r} is not text")
        return _Manifest({str(k): v for k, v in files.items()}, {str(k): v for k, v in base.items()}, edition)
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{path}: the workspace manifest is damaged ({error}). Your lessons are untouched; move the manifest "
            f"aside and run: petechiae-edu copy {workspace} (every lesson that differs from the course will then be "
            "treated as yours and kept)."
        ) from None


def beside_name(name: str, version: str = __version__) -> str:
    """Where a newer lesson goes when the student changed theirs: ``01-petechiae.new-v0.2.0.ipynb``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.new-v{version}.{suffix}" if dot else f"{name}.new-v{version}"


def _lesson_bytes(lesson: Path, edition: str) -> bytes:
    """The lesson as the workspace receives it: the student edition unless ``edition`` says otherwise.

    A file that is not a notebook (no list of cells) is copied as it is.
    """
    data = lesson.read_bytes()
    if edition == "instructor":
        return data
    try:
        parsed = json.loads(data)
    except ValueError:
        return data
    if not isinstance(parsed, dict) or not isinstance(parsed.get("cells"), list):
        return data
    import nbformat

    from .classroom.editions import make_edition

    notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    return nbformat.writes(make_edition(notebook, edition, name=lesson.name)).encode("utf-8") + b"\n"


def _as_notebook(data: bytes | str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(data)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and isinstance(parsed.get("cells"), list) else None


def _refuse_course_folders(workspace: Path, source: Path) -> None:
    """A workspace may not be the course's own lessons folder or lie inside the installed package."""
    where = workspace.resolve()
    package = Path(__file__).resolve().parent
    if where == Path(source).resolve() or where == package or package in where.parents:
        raise ValueError(
            f"{workspace} holds the course itself (its lessons or the installed package); a workspace must be a "
            "folder of your own, e.g. ~/petechiae-edu"
        )


def course_renames() -> dict[str, str]:
    """Old lesson file name -> new one, from the course map's ``formerly`` keys (data/course.toml)."""
    from .content.store import course_plan

    return {f"{old}.ipynb": f"{plan.key}.ipynb" for plan in course_plan().values() for old in plan.formerly}


def _carry_over_renames(workspace: Path, manifest: _Manifest, renames: Mapping[str, str], report: SyncReport) -> None:
    """A lesson the course renamed: the student's copy takes the new name, with its manifest entries (its base),
    so the update below merges it like any other lesson. A file already at the new name is never touched."""
    for old, new in renames.items():
        old_path, new_path = workspace / old, workspace / new
        if not old_path.is_file() or new_path.exists():
            continue
        os.rename(old_path, new_path)
        if old in manifest.files:
            manifest.files[new] = manifest.files.pop(old)
        if old in manifest.base:
            manifest.base[new] = manifest.base.pop(old)
        report.renamed.append((old, new))


def sync_workspace(
    workspace: Path,
    source: Path | None = None,
    version: str = __version__,
    *,
    edition: str = "student",
    renames: Mapping[str, str] | None = None,
) -> SyncReport:
    """Bring the workspace's lessons up to date with ``source`` (default: the shipped lessons), as ``edition``.

    ``renames`` maps old lesson file names to new ones (default: the course map's ``formerly`` keys when
    ``source`` is the shipped course; none otherwise).
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition = {edition!r} is not an edition; expected one of: {', '.join(EDITIONS)}")
    source = source or paths.lessons_dir()
    workspace = Path(workspace).expanduser()
    if workspace.exists() and not workspace.is_dir():
        raise NotADirectoryError(f"{workspace} is a file, not a folder; give a folder for the lessons")
    _refuse_course_folders(workspace, source)
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace)
    report = SyncReport(workspace)
    if renames is None:
        renames = course_renames() if source == paths.lessons_dir() else {}
    _carry_over_renames(workspace, manifest, renames, report)
    for lesson in lesson_files(source):
        _sync_lesson(workspace, lesson.name, _lesson_bytes(lesson, edition), manifest, report, version)
    manifest_data = {
        "course_version": version,
        "edition": edition,
        "files": dict(sorted(manifest.files.items())),
        "base": dict(sorted(manifest.base.items())),
    }
    atomic_write(workspace / MANIFEST_NAME, (json.dumps(manifest_data, indent=1) + "\n").encode())
    return report


def _record(manifest: _Manifest, name: str, data: bytes) -> None:
    manifest.files[name] = fingerprint(data)
    if _as_notebook(data) is not None:
        manifest.base[name] = data.decode("utf-8")
    else:
        manifest.base.pop(name, None)


def _course_copy(manifest: _Manifest, name: str, current: bytes) -> bool:
    """True when the file is still the course's copy: its fingerprint is the manifest's, and the course's own copy
    kept in the manifest (when there is one) agrees. A manifest that disagrees with itself is not believed."""
    recorded = manifest.files.get(name)
    if recorded != fingerprint(current):
        return False
    base = manifest.base.get(name)
    return base is None or fingerprint(base.encode("utf-8")) == recorded


def _backup_path(workspace: Path, name: str, version: str) -> Path:
    return workspace / BACKUP_FOLDER / beside_name(name, f"before-v{version}").replace(".new-v", ".")


def _trusted_base(manifest: _Manifest, name: str) -> dict[str, Any] | None:
    """The course's earlier copy, only if it matches the fingerprint the manifest recorded for the file."""
    text = manifest.base.get(name)
    if text is None or fingerprint(text.encode("utf-8")) != manifest.files.get(name):
        return None
    return _as_notebook(text)


def _sync_lesson(
    workspace: Path, name: str, new_bytes: bytes, manifest: _Manifest, report: SyncReport, version: str
) -> None:
    target = workspace / name
    if not target.exists():
        atomic_write(target, new_bytes)
        _record(manifest, name, new_bytes)
        report.added.append(name)
        return
    if not target.is_file():  # a folder, a pipe or a device with a lesson's name: never read or replaced
        report.skipped.append((name, "it is not a file (a folder or a special file has its name)"))
        return
    current = target.read_bytes()
    if current == new_bytes:
        _record(manifest, name, new_bytes)
        report.unchanged.append(name)
        return
    if _course_copy(manifest, name, current):
        # the manifest says the course wrote it; without the course's own copy to confirm, keep a backup anyway
        backup = None if name in manifest.base else _backup_path(workspace, name, version)
        if replace_if_unchanged(target, current, new_bytes, backup=backup):
            _record(manifest, name, new_bytes)
            report.refreshed.append(name)
        else:
            report.saved_during_update.append(name)
        return
    base, student, new = _trusted_base(manifest, name), _as_notebook(current), _as_notebook(new_bytes)
    if base is not None and student is not None and new is not None:
        try:
            if _merge(workspace, name, current, (base, student, new), new_bytes, manifest, report, version):
                return
        except NotMergeable:
            pass
    if manifest.files.get(name) == fingerprint(new_bytes):
        report.kept_student_no_update.append(name)  # their change; the course has nothing newer
        return
    _write_beside(workspace, name, new_bytes, report, version)


def _merge(
    workspace: Path,
    name: str,
    current: bytes,
    versions: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
    new_bytes: bytes,
    manifest: _Manifest,
    report: SyncReport,
    version: str,
) -> bool:
    """Refresh a lesson the student only ran, or merge one they edited; False when there is nothing to do."""
    base, student, new = versions
    if only_ran(base, student) and only_ran(base, new):
        report.kept_student_no_update.append(name)  # the course changed nothing a student can see
        return True
    backup = _backup_path(workspace, name, version)
    if only_ran(base, student):
        if replace_if_unchanged(target := workspace / name, current, new_bytes, backup):
            _record(manifest, name, new_bytes)
            report.refreshed_after_run.append(name)
        else:
            report.saved_during_update.append(target.name)
        return True
    if only_ran(base, new):
        report.kept_student_no_update.append(name)  # their edits; the course has nothing newer to bring
        return True
    result = merge_update(base, student, new, version=version)
    merged = (json.dumps(result.notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    if replace_if_unchanged(workspace / name, current, merged, backup):
        _record(manifest, name, new_bytes)  # the base is now the course's new lesson
        report.merged.append((name, result.summary()))
    else:
        report.saved_during_update.append(name)
    return True


def _write_beside(workspace: Path, name: str, new_bytes: bytes, report: SyncReport, version: str) -> None:
    beside = workspace / beside_name(name, version)
    if beside.exists() and fingerprint(beside.read_bytes()) == fingerprint(new_bytes):
        report.unchanged.append(name)
        return
    if beside.exists():
        # the student edited even the earlier beside copy: keep it too, under another name
        beside = free_name(beside)
    atomic_write(beside, new_bytes)
    report.kept_student_version.append((name, beside.name))
    # the manifest keeps the old fingerprint, so the student's file stays recognised as theirs


def is_workspace(folder: Path) -> bool:
    return (Path(folder).expanduser() / MANIFEST_NAME).exists()
