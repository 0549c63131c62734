"""Check a whole content folder and report EVERY problem: what ``petechiae-edu check [--data DIR]`` runs.

:func:`check_store` walks a data folder (the shipped ``data/`` or an editor's draft) and collects one
:class:`ContentError` per problem, each naming the file, the entry and the field:

- every content file is read safely (FIFOs, sockets and devices are never opened; folders, link loops, binary,
  non-UTF-8 or too deeply nested files are named) and every entry of every section is checked, not just the first;
- the files and entries the course cannot work without must be there (:data:`REQUIRED_FILES`, each lesson's
  question bank per ``course.toml``, :data:`REQUIRED_ENTRIES` such as the platelet reference range and the healthy
  preset);
- the source rules hold (:func:`source_rule_problems`): no mirror or proxy URLs, and no clinical statement resting
  only on secondary web pages.

:func:`validate_all` keeps the older interface: it returns the entry counts or raises.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError
from .files import read_toml
from .loader import load_records, load_schema_file
from .records import SECONDARY_WEB, Source
from .store import folder_of

# File (relative to data/) -> what needs it. A missing one is a problem even though nothing else refers to it.
REQUIRED_FILES: dict[str, str] = {
    "sources.toml": "the bibliography every source key points into",
    "course.toml": "the course map (which lessons exist)",
    "glossary.toml": "the glossary the lessons link terms to",
    "reference_ranges.toml": "the blood-count interpreter (lesson 07)",
    "cbc_patterns.toml": "the blood-count interpreter (lesson 07)",
    "anaemia_cutoffs.toml": "the blood-count interpreter's WHO anaemia reading (lesson 07)",
    "symptom_rules.toml": "the symptom timeline (lesson 05)",
    "presets/progression.toml": "the progression model (lesson 05)",
    "calibration/bleeding.toml": "the bleeding-risk model (lesson 04)",
    "calibration/bleeding_fitted.toml": "the bleeding model's shipped fit, read at run time (authoring refit)",
    "calibration/platelet_kinetics.toml": "the platelet balance model (lesson 02)",
    "calibration/virtual_patient.toml": "the virtual patient (lesson 05)",
    "transfusion_thresholds.toml": "the transfusion lesson (08) and the bleeding-risk figure (03)",
    "leukaemia_types.toml": "the leukaemia table (lesson 03)",
    "risk_factors.toml": "the risk-factor chart (lesson 03)",
    "petechiae_causes.toml": "the differential diagnosis table",
    "red_flags.toml": "the red-flag table",
    "urgency_tiers.toml": "the urgency scale of red flags and causes",
    "lesion_sizes.toml": "the lesion size classifier (lesson 01)",
    "skin.toml": "the drawn skin pictures and the lesion gallery (lesson 01)",
    "presenting_features.toml": "the presenting-features chart (lesson 06)",
    "claims.toml": "the health-claims checker (lesson 11)",
    "blood_films.toml": "the blood-film atlas (lesson 07)",
    "scenarios.toml": "the classroom scenarios of the explorers",
}
# File -> (array, keys that must be among its entries, what needs them)
REQUIRED_ENTRIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "reference_ranges.toml": (
        "range",
        ("platelets", "wbc", "anc", "lymphocytes", "haemoglobin_male", "haemoglobin_female"),
        "the blood-count interpreter compares every count with these adult ranges",
    ),
    "presets/progression.toml": ("preset", ("healthy",), "every other preset inherits the healthy one"),
    "anaemia_cutoffs.toml": (
        "cutoff",
        ("men", "women_not_pregnant"),
        "the blood-count interpreter says whether an adult's haemoglobin is anaemia by these cut-offs",
    ),
}
SOURCES_FILE = "sources.toml"
COURSE_FILE = "course.toml"


@dataclass
class StoreReport:
    """What :func:`check_store` found: entries per file (those that loaded) and every problem."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    source_rule_problems: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.source_rule_problems

    @property
    def all_problems(self) -> list[ContentError]:
        return [*self.problems, *self.source_rule_problems]


class SourceRuleError(ContentError):
    """The content loads, but breaks the source rules; ``problems`` holds one :class:`ContentError` per record."""

    def __init__(self, folder: Path, problems: list[ContentError]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(folder, f"{len(problems)} record(s) refused by the source rules:\n{listing}")


class ContentProblems(ContentError):
    """More than one problem in the content store; ``problems`` holds each :class:`ContentError`."""

    def __init__(self, folder: Path, problems: list[ContentError]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(folder, f"{len(problems)} problems in the content store:\n{listing}")


def import_schema_modules() -> None:
    """Import every module of the content package so each content schema is registered."""
    package = importlib.import_module("petechiae_edu.content")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"petechiae_edu.content.{module.name}")


def content_files(folder: Path) -> tuple[list[Path], list[ContentError]]:
    """Every ``*.toml`` under ``folder`` (sorted), and a problem for each folder named like one.

    Linked folders are not followed (a link ``data/loop -> data`` cannot loop); linked files are listed, and
    reading them names a dangling link or a link loop. Nothing here opens a file.
    """
    files: list[Path] = []
    problems: list[ContentError] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                found = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(ContentError(current, f"the folder cannot be read ({error.strerror or error})"))
            continue
        for entry in found:
            path = Path(entry.path)
            is_toml = entry.name.endswith(".toml")
            if entry.is_symlink():
                if is_toml:
                    files.append(path)
            elif entry.is_dir(follow_symlinks=False):
                if is_toml:
                    problems.append(ContentError(path, "is a folder, not a content file; rename or remove it"))
                else:
                    pending.append(path)
            elif is_toml:
                files.append(path)
    return sorted(files), problems


def check_store(data_dir: Path | None = None, *, source_rules: bool = True) -> StoreReport:
    """Check every content file of ``data_dir`` (default: the shipped ``data/``) and collect every problem."""
    import_schema_modules()
    folder = folder_of(data_dir)
    report = StoreReport(folder)
    if not folder.is_dir():
        report.problems.append(ContentError(folder, "the data folder does not exist (or is not a folder)"))
        return report
    paths, report.problems = content_files(folder)
    known, bibliography = _bibliography(folder, report)
    records: dict[str, tuple[Any, ...]] = {}
    clean: set[str] = set()
    for path in paths:
        relative = path.relative_to(folder).as_posix()
        found: list[ContentError] = []
        try:
            records[relative] = load_schema_file(path, known, found)
        except (TypeError, ValueError, KeyError, AttributeError) as error:  # a bug in a record check: say where
            found.append(ContentError(path, f"could not be checked ({type(error).__name__}: {error})"))
        report.counts[relative] = len(records.get(relative, ()))
        report.problems += found
        if not found:
            clean.add(relative)
    report.problems += _missing(folder, records, clean)
    if source_rules and bibliography is not None:
        report.source_rule_problems = _source_rule_problems(folder, bibliography, paths)
    return report


def _bibliography(folder: Path, report: StoreReport) -> tuple[frozenset[str] | None, dict[str, Source] | None]:
    """The source keys other files may cite (None when sources.toml cannot be read: then no key is checked), and
    the bibliography for the source rules (None unless every source loaded)."""
    path = folder / SOURCES_FILE
    try:
        document = read_toml(path)
    except ContentError:
        return None, None  # reported with the other files (or as a missing required file)
    raw = document.get("source")
    raw = raw if isinstance(raw, list) else []  # no [[source]] at all: load_records below reports it
    # a key written in sources.toml resolves even if its entry has a problem: that problem is reported once, there
    written = {entry["key"] for entry in raw if isinstance(entry, dict) and isinstance(entry.get("key"), str)}
    found: list[ContentError] = []
    sources = load_records(path, Source, array="source", problems=found, document=document)
    bibliography = {source.key: source for source in sources}
    return frozenset(written) if isinstance(raw, list) else None, (bibliography if not found else None)


def _missing(folder: Path, records: dict[str, tuple[Any, ...]], clean: set[str]) -> list[ContentError]:
    problems = [
        ContentError(folder / name, f"required file is missing ({needed_by} needs it)")
        for name, needed_by in REQUIRED_FILES.items()
        if name not in records and not (folder / name).is_symlink()
    ]
    if COURSE_FILE in clean:
        for lesson in records[COURSE_FILE]:
            name = f"quizzes/{lesson.number}.toml"
            if name not in records:
                problems.append(
                    ContentError(
                        folder / name,
                        f"required file is missing: lesson {lesson.number} ('{lesson.key}' in {COURSE_FILE}) "
                        "needs its self-check question bank",
                    )
                )
    for name, (array, keys, why) in REQUIRED_ENTRIES.items():
        if name not in clean:
            continue
        present = {record.key for record in records[name]}
        for key in keys:
            if key not in present:
                problems.append(
                    ContentError(
                        folder / name, f"required entry [[{array}]] key = '{key}' is missing ({why})", field="key"
                    )
                )
    return problems


def _statements(entry: Any, where: str) -> Iterator[tuple[str, list[Any]]]:
    """Every ``sources`` list in one entry, nested tables and lists of tables included, with where it sits."""
    if isinstance(entry, dict):
        if isinstance(entry.get("sources"), list):
            yield where, entry["sources"]
        for name, value in entry.items():
            if name != "sources":
                yield from _statements(value, f"{where}.{name}")
    elif isinstance(entry, list):
        for number, item in enumerate(entry, start=1):
            yield from _statements(item, f"{where}[{number}]")


def source_rule_problems(data_dir: Path | None = None) -> list[ContentError]:
    """Records that break the rules on sources, each as an error naming file, entry and field.

    - A source's ``url`` must not be a raw IP address, a mirror, a proxy or a file-sharing copy.
    - A clinical statement (any entry of any content file with a ``sources`` list) must not rest ONLY on
      ``secondary web`` sources: at least one of its keys must be a guideline, paper, textbook or reference page.
    """
    from .store import sources

    folder = folder_of(data_dir)
    paths, _folders = content_files(folder)
    return _source_rule_problems(folder, sources(folder), paths)


def _source_rule_problems(folder: Path, bibliography: dict[str, Source], paths: list[Path]) -> list[ContentError]:
    problems: list[ContentError] = []
    sources_path = folder / SOURCES_FILE
    for number, source in enumerate(bibliography.values(), start=1):
        reason = source.forbidden_locator()
        if reason:
            problems.append(
                ContentError(
                    sources_path,
                    f"{reason}; use the DOI, PubMed or the publisher's page",
                    entry=f"'{source.key}' (source #{number})",
                    field="url",
                )
            )
    for path in paths:
        if path == sources_path:
            continue
        try:
            document = read_toml(path)
        except ContentError:
            continue  # reported by the loader
        for array, entries in document.items():
            if not isinstance(entries, list):
                continue
            for number, entry in enumerate(entries, start=1):
                if not isinstance(entry, dict):
                    continue
                key = entry.get("key")
                label = f"'{key}' ({array} #{number})" if isinstance(key, str) else f"{array} #{number}"
                for where, keys in _statements(entry, ""):
                    known = [k for k in keys if isinstance(k, str) and k in bibliography]
                    if (
                        known
                        and len(known) == len(keys)
                        and all(bibliography[k].evidence_level == SECONDARY_WEB for k in known)
                    ):
                        problems.append(
                            ContentError(
                                path,
                                f"rests only on secondary-web sources ({', '.join(known)}); "
                                "add the guideline or primary paper",
                                entry=label + where,
                                field="sources",
                            )
                        )
    return problems


def validate_all(data_dir: Path | None = None, *, source_rules: bool = True) -> dict[str, int]:
    """Load and check every TOML file under ``data/``; return the number of entries per file.

    Every problem is collected (see :func:`check_store`). One problem is raised as itself; several are raised as
    one :class:`ContentProblems` whose message lists them all. Content that loads but breaks the source rules
    raises a :class:`SourceRuleError` listing every record refused; ``source_rules=False`` checks only that the
    content loads.
    """
    report = check_store(data_dir, source_rules=source_rules)
    if len(report.problems) == 1:
        raise report.problems[0]
    if report.problems:
        raise ContentProblems(report.folder, report.all_problems)
    if report.source_rule_problems:
        raise SourceRuleError(report.folder, report.source_rule_problems)
    return report.counts
