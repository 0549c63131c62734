"""Cached access to the content store in ``data/``, and a check of every file in it.

Loading is cached per data folder. Functions take ``data_dir`` so that tests (and editors checking a
draft) can point them at another folder.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from .. import paths
from .errors import ContentError
from .loader import SCHEMAS, load_records, load_schema_file, read_toml
from .quizzes import QuizQuestion
from .records import (
    SECONDARY_WEB,
    GlossaryTerm,
    LesionSizeDefinition,
    LessonPlan,
    LeukaemiaType,
    PetechiaeCause,
    RedFlag,
    ReferenceRange,
    RiskFactor,
    Source,
    UrgencyTier,
)


def _folder(data_dir: Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else paths.data_dir()


@cache
def _sources(folder: Path) -> dict[str, Source]:
    records = load_records(folder / "sources.toml", Source, array="source")
    return {record.key: record for record in records}


def sources(data_dir: Path | None = None) -> dict[str, Source]:
    """The bibliography, by key."""
    return _sources(_folder(data_dir))


def source_keys(data_dir: Path | None = None) -> frozenset[str]:
    """Every valid source key."""
    return frozenset(sources(data_dir))


@cache
def _records(folder: Path, filename: str, record_type: type, array: str) -> tuple[Any, ...]:
    return load_records(folder / filename, record_type, array=array, known_sources=source_keys(folder))


def entries(filename: str, record_type: type, *, array: str, data_dir: Path | None = None) -> tuple[Any, ...]:
    """Load (cached) and check the entries of any content file, e.g. a calibration dataset of a model."""
    return _records(_folder(data_dir), filename, record_type, array)


@cache
def _keyed_records(folder: Path, filename: str, record_type: type, array: str) -> dict[str, Any]:
    return {r.key: r for r in _records(folder, filename, record_type, array)}


def _keyed(data_dir: Path | None, filename: str, record_type: type, array: str) -> dict[str, Any]:
    return _keyed_records(_folder(data_dir), filename, record_type, array)


def glossary(data_dir: Path | None = None) -> dict[str, GlossaryTerm]:
    """Glossary terms, by key."""
    return _keyed(data_dir, "glossary.toml", GlossaryTerm, "term")


def leukaemia_types(data_dir: Path | None = None) -> dict[str, LeukaemiaType]:
    """AML, ALL, CML, CLL and hairy cell leukaemia, by key."""
    return _keyed(data_dir, "leukaemia_types.toml", LeukaemiaType, "leukaemia")


def petechiae_causes(data_dir: Path | None = None) -> dict[str, PetechiaeCause]:
    """The differential diagnosis of petechiae, by key."""
    return _keyed(data_dir, "petechiae_causes.toml", PetechiaeCause, "cause")


def risk_factors(data_dir: Path | None = None) -> dict[str, RiskFactor]:
    """Risk factors for leukaemia with their measured effects, by key."""
    return _keyed(data_dir, "risk_factors.toml", RiskFactor, "factor")


def reference_ranges(data_dir: Path | None = None) -> dict[str, ReferenceRange]:
    """Adult reference ranges, by key (for example ``platelets``, ``haemoglobin_male``)."""
    return _keyed(data_dir, "reference_ranges.toml", ReferenceRange, "range")


def red_flags(data_dir: Path | None = None) -> dict[str, RedFlag]:
    """Findings that call for a blood count or a specialist, by key."""
    return _keyed(data_dir, "red_flags.toml", RedFlag, "flag")


def urgency_tiers(data_dir: Path | None = None) -> dict[str, UrgencyTier]:
    """The course's urgency scale, fastest first, each tier defined as its source defines it."""
    return _keyed(data_dir, "urgency_tiers.toml", UrgencyTier, "tier")


def lesion_size_definitions(data_dir: Path | None = None) -> dict[str, LesionSizeDefinition]:
    """The competing size cut-offs for petechiae, purpura and ecchymoses, by key."""
    return _keyed(data_dir, "lesion_sizes.toml", LesionSizeDefinition, "definition_set")


def course_plan(data_dir: Path | None = None) -> dict[str, LessonPlan]:
    """The course map: every planned lesson in teaching order, by key."""
    return _keyed(data_dir, "course.toml", LessonPlan, "lesson")


def quiz(lesson: str, data_dir: Path | None = None) -> tuple[QuizQuestion, ...]:
    """The self-check questions of a lesson, from ``data/quizzes/<lesson>.toml``."""
    folder = _folder(data_dir)
    path = folder / "quizzes" / f"{lesson}.toml"
    if not path.exists():
        available = sorted(p.stem for p in (folder / "quizzes").glob("*.toml"))
        raise ContentError(path, f"no question bank for lesson '{lesson}'; available: {', '.join(available)}")
    return _records(folder, f"quizzes/{lesson}.toml", QuizQuestion, "question")


def _import_schema_modules() -> None:
    """Import every module of the content package so each content schema is registered."""
    package = importlib.import_module("petechiae_edu.content")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"petechiae_edu.content.{module.name}")


class SourceRuleError(ContentError):
    """The content loads, but breaks the source rules; ``problems`` holds one :class:`ContentError` per record."""

    def __init__(self, folder: Path, problems: list[ContentError]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(folder, f"{len(problems)} record(s) refused by the source rules:\n{listing}")


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
    folder = _folder(data_dir)
    bibliography = sources(folder)
    problems: list[ContentError] = []
    sources_path = folder / "sources.toml"
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
    for path in sorted(folder.rglob("*.toml")):
        if path == sources_path:
            continue
        document = read_toml(path)
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

    Raises the first :class:`ContentError` found. Each file names its schema on its first line. Content that loads
    but breaks the source rules (see :func:`source_rule_problems`) raises a :class:`SourceRuleError` listing every
    record refused; ``source_rules=False`` checks only that the content loads.
    """
    _import_schema_modules()
    folder = _folder(data_dir)
    known = source_keys(folder)
    counts: dict[str, int] = {}
    for path in sorted(folder.rglob("*.toml")):
        relative = path.relative_to(folder).as_posix()
        counts[relative] = len(load_schema_file(path, known))
    problems = source_rule_problems(folder) if source_rules else []
    if problems:
        raise SourceRuleError(folder, problems)
    return counts


def schema_of(path: Path) -> str | None:
    """The schema a content file declares, or None."""
    return read_toml(path).get("schema")


def clear_cache() -> None:
    """Forget everything loaded (an editor changed a file and wants to see the change)."""
    _sources.cache_clear()
    _records.cache_clear()
    _keyed_records.cache_clear()


__all__ = [
    "SCHEMAS",
    "SourceRuleError",
    "clear_cache",
    "course_plan",
    "entries",
    "glossary",
    "lesion_size_definitions",
    "leukaemia_types",
    "petechiae_causes",
    "quiz",
    "red_flags",
    "reference_ranges",
    "risk_factors",
    "schema_of",
    "source_keys",
    "source_rule_problems",
    "sources",
    "urgency_tiers",
    "validate_all",
]
