"""The clinical rules of the blood-count lessons as typed records: CBC patterns, symptom rules, age-banded ranges.

* ``data/cbc_patterns.toml`` → :class:`CbcPatternRule`: each pattern the CBC interpreter can name, with its
  definition, thresholds (units explicit), urgency (a word of ``vocabulary.URGENCIES``), next steps and sources.
* ``data/symptom_rules.toml`` → :class:`SymptomRuleRecord`: lesson 05's "sign expected once a count crosses a
  threshold" rules.
* ``data/reference_ranges.toml`` → every :class:`~petechiae_edu.content.records.ReferenceRange`, adults and
  children: :func:`reference_intervals`. The whole file is checked once loaded: two bands of one blood value
  and sex may not overlap, and no key may be used twice across the two arrays.

The models never import this module: :mod:`petechiae_edu.calibrated` turns these records into the plain data
the models take.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from .. import paths
from .errors import ContentError, FieldError, require_one_of
from .loader import content_schema, file_check, load_schema_file
from .pictures import FILM_NAMES, require_film
from .records import RANGE_QUANTITIES, ReferenceRange
from .store import on_clear_cache, source_keys
from .vocabulary import URGENCIES

PATTERNS_FILE = "cbc_patterns.toml"
SYMPTOM_RULES_FILE = "symptom_rules.toml"
REFERENCE_RANGES_FILE = "reference_ranges.toml"
ANAEMIA_CUTOFFS_FILE = "anaemia_cutoffs.toml"
PREGNANCY = ("not pregnant", "first or third trimester", "second trimester")


@dataclass(frozen=True)
class PatternThreshold:
    """A number a pattern's test uses, with its unit and, when it is a teaching value, where it comes from."""

    name: str
    value: float
    units: str
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.name.replace("_", "").isalnum():
            raise FieldError("name", f"'{self.name}' must be letters, digits and underscores")


@content_schema("cbc_patterns", array="pattern")
@dataclass(frozen=True)
class CbcPatternRule:
    """One pattern of the whole blood count, how fast to act on it and what to do next.

    ``film`` names the drawn blood film (``content.pictures.FILMS``) that shows what the film of this pattern
    typically looks like, only where the pattern implies one film; ``film_note`` (required with it) says what the
    drawing shows and where the patient's own film may differ; ``film_from_age_years`` (optional) shows the drawing
    only from that age (a film of an adult's disease is not drawn for a child's count).
    """

    key: str
    name: str
    definition: str
    urgency: str = field(metadata={"help": ", ".join(URGENCIES)})
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]
    thresholds: tuple[PatternThreshold, ...] = ()
    not_with: tuple[str, ...] = ()
    teaching_choice: bool = False
    film: str | None = field(default=None, metadata={"help": ", ".join(FILM_NAMES)})
    film_note: str | None = None
    film_from_age_years: float | None = None

    def __post_init__(self) -> None:
        require_one_of("urgency", self.urgency, URGENCIES)
        if self.film is not None:
            require_film("film", self.film)
        if (self.film is None) != (self.film_note is None):
            raise FieldError(
                "film_note", "give a film and a film_note together (what the drawing shows and its limits), or neither"
            )
        if self.film_from_age_years is not None and (self.film is None or not 0 <= self.film_from_age_years <= 110):
            raise FieldError(
                "film_from_age_years",
                f"{self.film_from_age_years:g} years: expected an age 0–110 years, given together with a film",
            )

    def film_for_age(self, age_years: float) -> str | None:
        """The film drawn for a patient of ``age_years`` (years) with this pattern, or None."""
        if self.film_from_age_years is not None and age_years < self.film_from_age_years:
            return None
        return self.film
        if not self.next_steps:
            raise FieldError("next_steps", "a pattern needs at least one next step")
        names = [threshold.name for threshold in self.thresholds]
        if len(set(names)) != len(names):
            raise FieldError("thresholds", f"a threshold name is used twice in {names}")
        if self.key in self.not_with:
            raise FieldError("not_with", f"'{self.key}' cannot list itself")


SYMPTOM_QUANTITIES = {
    "platelets": "×10^9/L",
    "haemoglobin": "g/dL",
    "anc": "×10^9/L",
    "wbc": "×10^9/L",
    "clone_blood_count": "×10^9/L",
}
SYMPTOM_GROUPS = ("bleeding", "anaemia", "infection", "white_cells", "clone")
DIRECTIONS = ("below", "above")


@content_schema("symptom_rules", array="rule")
@dataclass(frozen=True)
class SymptomRuleRecord:
    """A sign that becomes likely once a simulated count crosses ``threshold`` (``direction`` below or above)."""

    key: str
    label: str
    quantity: str = field(metadata={"help": ", ".join(SYMPTOM_QUANTITIES)})
    direction: str = field(metadata={"help": "'below' or 'above'"})
    threshold: float
    units: str
    group: str = field(metadata={"help": ", ".join(SYMPTOM_GROUPS)})
    sources: tuple[str, ...]
    teaching_choice: bool = False
    presets: tuple[str, ...] = ()
    urgency: str | None = field(
        default=None, metadata={"help": "how fast to act once the sign appears: " + ", ".join(URGENCIES)}
    )
    next_step: str | None = None

    def __post_init__(self) -> None:
        require_one_of("quantity", self.quantity, tuple(SYMPTOM_QUANTITIES))
        if self.urgency is not None:
            require_one_of("urgency", self.urgency, URGENCIES)
        if (self.urgency is None) != (self.next_step is None):
            raise FieldError("next_step", "give an urgency and a next step together, or neither")
        require_one_of("direction", self.direction, DIRECTIONS)
        require_one_of("group", self.group, SYMPTOM_GROUPS)
        expected = SYMPTOM_QUANTITIES[self.quantity]
        if self.units != expected:
            raise FieldError("units", f"{self.quantity} is written in '{expected}', not '{self.units}'")
        if self.threshold <= 0:
            raise FieldError("threshold", f"{self.threshold} must be above 0 {self.units}")


@content_schema("anaemia_cutoffs", array="cutoff")
@dataclass(frozen=True)
class AnaemiaCutoffRecord:
    """A WHO haemoglobin cut-off below which a person of this age, sex and pregnancy has anaemia (g/dL)."""

    key: str
    population: str
    age_min_years: float
    age_max_years: float
    sex: str = field(metadata={"help": "any, male or female"})
    pregnancy: str = field(metadata={"help": ", ".join(PREGNANCY)})
    below: float
    units: str = field(metadata={"help": "g/dL"})
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("sex", self.sex, ("any", "male", "female"))
        require_one_of("pregnancy", self.pregnancy, PREGNANCY)
        if self.units != "g/dL":
            raise FieldError("units", f"haemoglobin cut-offs are written in 'g/dL', not '{self.units}'")
        if not 0 <= self.age_min_years < self.age_max_years <= 120:
            raise FieldError("age_max_years", f"{self.age_min_years:g}–{self.age_max_years:g} is not an age band")
        if not 5 <= self.below <= 20:
            raise FieldError("below", f"{self.below:g} g/dL is not a haemoglobin cut-off (expected 5–20 g/dL)")


# --- checks across a whole file ----------------------------------------------------------------------------------


def _band(record: ReferenceRange) -> str:
    return f"{record.age_min_years:g}–{record.age_max_years:g} years"


@file_check("reference_ranges")
def check_reference_bands(path: Path, records: tuple[Any, ...]) -> None:
    """Refuse a key used twice across the arrays, and two bands of one value and sex that overlap in age."""
    seen: set[str] = set()
    for record in records:
        if record.key in seen:
            raise ContentError(
                path,
                f"duplicate key '{record.key}' (adult and children's ranges share keys)",
                entry=f"'{record.key}'",
                field="key",
            )
        seen.add(record.key)
    by_quantity: dict[str, list[ReferenceRange]] = defaultdict(list)
    for record in records:
        by_quantity[record.measures].append(record)
    for bands in by_quantity.values():
        for sex in ("male", "female"):
            applicable = sorted((b for b in bands if b.sex in (sex, "any")), key=lambda b: b.age_min_years)
            for earlier, later in pairwise(applicable):
                if later.age_min_years < earlier.age_max_years:
                    raise ContentError(
                        path,
                        f"the age band {_band(later)} overlaps '{earlier.key}' ({_band(earlier)}) for "
                        f"{later.measures}"
                        + ("" if later.sex == earlier.sex == "any" else f" ({sex})")
                        + "; bands of one value and sex must not overlap",
                        entry=f"'{later.key}'",
                        field="age_min_years",
                    )


@file_check("cbc_patterns")
def check_pattern_references(path: Path, records: tuple[Any, ...]) -> None:
    """Every key a pattern names in ``not_with`` must be another pattern of the file."""
    keys = {record.key for record in records}
    for record in records:
        for other in record.not_with:
            if other not in keys:
                raise ContentError(
                    path, f"'{other}' is not a pattern of this file", entry=f"'{record.key}'", field="not_with"
                )


# --- cached access -------------------------------------------------------------------------------------------


def _folder(data_dir: Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else paths.data_dir()


@cache
def _whole_file(folder: Path, filename: str) -> tuple[Any, ...]:
    return load_schema_file(folder / filename, source_keys(folder))


def cbc_patterns(data_dir: Path | None = None) -> dict[str, CbcPatternRule]:
    """The patterns the CBC interpreter names, by key, in the file's order (most urgent first)."""
    return {record.key: record for record in _whole_file(_folder(data_dir), PATTERNS_FILE)}


def symptom_rules(data_dir: Path | None = None) -> tuple[SymptomRuleRecord, ...]:
    """Lesson 05's symptom rules, in the file's order."""
    return _whole_file(_folder(data_dir), SYMPTOM_RULES_FILE)


def reference_intervals(data_dir: Path | None = None) -> tuple[ReferenceRange, ...]:
    """Every reference range, adults and children, checked as a whole (no overlapping age bands)."""
    return _whole_file(_folder(data_dir), REFERENCE_RANGES_FILE)


def anaemia_cutoffs(data_dir: Path | None = None) -> tuple[AnaemiaCutoffRecord, ...]:
    """The WHO cut-offs that define anaemia, by age, sex and pregnancy, in the file's order."""
    return _whole_file(_folder(data_dir), ANAEMIA_CUTOFFS_FILE)


def coverage_gaps(
    ranges: tuple[ReferenceRange, ...], oldest: float = 110.0
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """The ages (from, to) no band covers, for each (blood value, sex); empty lists are left out.

    The interpreter says it has no range at these ages; this lets a test or an editor list them.
    """
    gaps: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for quantity in RANGE_QUANTITIES:
        for sex in ("male", "female"):
            bands = sorted(
                (r for r in ranges if r.measures == quantity and r.sex in (sex, "any")), key=lambda r: r.age_min_years
            )
            reached, missing = 0.0, []
            for band in bands:
                if band.age_min_years > reached:
                    missing.append((reached, band.age_min_years))
                reached = max(reached, band.age_max_years)
            if reached < oldest:
                missing.append((reached, oldest))
            if missing:
                gaps[(quantity, sex)] = missing
    return gaps


def clear_cache() -> None:
    """Forget the files loaded here (after an editor changed one); :func:`content.clear_cache` calls it too."""
    _whole_file.cache_clear()


on_clear_cache(clear_cache)
