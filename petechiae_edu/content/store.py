"""Cached access to the content store in ``data/`` (the check of every file is :mod:`.check`).

Loading is cached per data folder. Functions take ``data_dir`` so that tests (and editors checking a
draft) can point them at another folder.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .. import paths
from .course_plan import LessonPlan
from .errors import ContentError
from .files import read_toml
from .loader import load_records
from .quizzes import QuizQuestion
from .records import (
    GlossaryTerm,
    LesionSizeDefinition,
    LeukaemiaType,
    PetechiaeCause,
    RedFlag,
    ReferenceRange,
    RiskFactor,
    Source,
    UrgencyTier,
)


def folder_of(data_dir: Path | None) -> Path:
    """``data_dir`` as a Path, or the shipped ``data/`` folder when it is None."""
    return Path(data_dir) if data_dir is not None else paths.data_dir()


@cache
def _sources(folder: Path) -> dict[str, Source]:
    records = load_records(folder / "sources.toml", Source, array="source")
    return {record.key: record for record in records}


def sources(data_dir: Path | None = None) -> dict[str, Source]:
    """The bibliography, by key."""
    return _sources(folder_of(data_dir))


def source_keys(data_dir: Path | None = None) -> frozenset[str]:
    """Every valid source key."""
    return frozenset(sources(data_dir))


@cache
def _records(folder: Path, filename: str, record_type: type, array: str) -> tuple[Any, ...]:
    return load_records(folder / filename, record_type, array=array, known_sources=source_keys(folder))


def entries(filename: str, record_type: type, *, array: str, data_dir: Path | None = None) -> tuple[Any, ...]:
    """Load (cached) and check the entries of any content file, e.g. a calibration dataset of a model."""
    return _records(folder_of(data_dir), filename, record_type, array)


@cache
def _keyed_records(folder: Path, filename: str, record_type: type, array: str) -> dict[str, Any]:
    return {r.key: r for r in _records(folder, filename, record_type, array)}


def _keyed(data_dir: Path | None, filename: str, record_type: type, array: str) -> dict[str, Any]:
    return _keyed_records(folder_of(data_dir), filename, record_type, array)


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
    folder = folder_of(data_dir)
    available = sorted(p.stem for p in (folder / "quizzes").glob("[0-9][0-9].toml"))
    # Only a two-digit lesson number names a bank: a path ('../sources') must never be followed.
    if not isinstance(lesson, str) or not (len(lesson) == 2 and lesson.isascii() and lesson.isdigit()):
        raise ContentError(
            folder / "quizzes",
            f"no question bank for lesson {lesson!r}: expected a two-digit lesson number; available: "
            + ", ".join(available),
        )
    path = folder / "quizzes" / f"{lesson}.toml"
    if not path.exists():
        raise ContentError(path, f"no question bank for lesson '{lesson}'; available: {', '.join(available)}")
    return _records(folder, f"quizzes/{lesson}.toml", QuizQuestion, "question")


def schema_of(path: Path) -> str | None:
    """The schema a content file declares, or None."""
    return read_toml(path).get("schema")


# Caches elsewhere that hold what was built from the content store (calibrated tables, fitted models, rules).
_CACHE_CLEARERS: list[Callable[[], None]] = []


def on_clear_cache(clear: Callable[[], None]) -> Callable[[], None]:
    """Register ``clear`` (e.g. a cached function's ``cache_clear``) to run whenever :func:`clear_cache` runs."""
    if clear not in _CACHE_CLEARERS:
        _CACHE_CLEARERS.append(clear)
    return clear


def clear_cache() -> None:
    """Forget everything loaded, and everything built from it (an editor changed a file and wants to see it)."""
    _sources.cache_clear()
    _records.cache_clear()
    _keyed_records.cache_clear()
    for clear in _CACHE_CLEARERS:
        clear()
