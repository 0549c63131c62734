"""Reference ranges as the CBC interpreter uses them: by blood value, age band and sex, in clinical units.

Counts ×10^9/L, haemoglobin g/dL, ages in years. Two ways to give ranges:

* :class:`ReferenceTable`: age bands (``age_min`` ≤ age < ``age_max``), each for one sex or ``"any"``; the course's
  table is built from ``data/reference_ranges.toml`` by :func:`petechiae_edu.calibrated.course_ranges`. An age no
  band covers has no range: the interpreter then says so instead of guessing.
* :class:`CbcRanges`: one adult range per value (the shape the interpreter always took). It is read as an
  adult-only table, and the interpreter warns that adult ranges are only approximate for a child.

Pure data and look-ups; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

SEXES = ("male", "female")
ADULT_AGE_YEARS = 18.0
OLDEST_AGE_YEARS = 110.0


@dataclass(frozen=True)
class Range:
    """One reference range: ``low``–``high`` in ``units``."""

    low: float
    high: float
    units: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class CbcRanges:
    """Adult reference ranges, one per value (counts ×10^9/L, haemoglobin g/dL)."""

    platelets: Range
    wbc: Range
    anc: Range
    lymphocytes: Range
    haemoglobin_male: Range
    haemoglobin_female: Range

    def for_field(self, field: str, sex: str) -> Range:
        if field == "haemoglobin":
            return self.haemoglobin_male if sex == "male" else self.haemoglobin_female
        return getattr(self, field)


@dataclass(frozen=True)
class AgeBand:
    """The range of one blood value for one age band (and sex), with who it was measured in."""

    quantity: str
    low: float
    high: float
    units: str
    age_min: float
    age_max: float
    sex: str = "any"  # "any", "male" or "female"
    sources: tuple[str, ...] = ()
    population: str = ""
    key: str = ""

    def covers(self, age: float, sex: str) -> bool:
        return self.age_min <= age < self.age_max and self.sex in ("any", sex)

    def describe_age(self) -> str:
        """The band in words: 'adults', '1 to <6 years', 'birth to <1 week' ..."""
        if self.age_min >= ADULT_AGE_YEARS:
            return "adults"
        return f"{_age_words(self.age_min)} to <{_age_words(self.age_max)}"


def _age_words(years: float) -> str:
    if years == 0:
        return "birth"
    if years < 1 / 12 - 1e-3:
        weeks = round(years * 365.25 / 7)
        return f"{weeks:g} week" + ("s" if weeks != 1 else "")
    if years < 1:
        months = round(years * 12, 1)
        return f"{months:g} month" + ("s" if months != 1 else "")
    return f"{years:g} years"


@dataclass(frozen=True)
class ReferenceTable:
    """Age- and sex-banded reference ranges; ``adult_only`` when every age is read against adult ranges."""

    bands: tuple[AgeBand, ...]
    adult_only: bool = False

    def lookup(self, quantity: str, age: float, sex: str) -> AgeBand | None:
        """The band of ``quantity`` for ``age`` (years) and ``sex``; a sex-specific band wins over 'any'."""
        matches = [band for band in self.bands if band.quantity == quantity and band.covers(age, sex)]
        if not matches:
            return None
        return sorted(matches, key=lambda band: band.sex == "any")[0]

    @classmethod
    def from_adult_ranges(cls, ranges: CbcRanges) -> ReferenceTable:
        """Read :class:`CbcRanges` as an adult-only table that applies at every age."""
        bands = []
        for quantity in ("platelets", "wbc", "anc", "lymphocytes"):
            r = getattr(ranges, quantity)
            bands.append(
                AgeBand(
                    quantity, r.low, r.high, r.units, 0.0, OLDEST_AGE_YEARS, "any", tuple(r.sources), "adults", quantity
                )
            )
        for sex in SEXES:
            r = ranges.for_field("haemoglobin", sex)
            bands.append(
                AgeBand(
                    "haemoglobin",
                    r.low,
                    r.high,
                    r.units,
                    0.0,
                    OLDEST_AGE_YEARS,
                    sex,
                    tuple(r.sources),
                    f"adult {'men' if sex == 'male' else 'women'}",
                    f"haemoglobin_{sex}",
                )
            )
        return cls(tuple(bands), adult_only=True)


def as_table(ranges: CbcRanges | ReferenceTable) -> ReferenceTable:
    """Either kind of ranges as a :class:`ReferenceTable`."""
    if isinstance(ranges, ReferenceTable):
        return ranges
    if isinstance(ranges, CbcRanges):
        return ReferenceTable.from_adult_ranges(ranges)
    raise TypeError(f"ranges must be a ReferenceTable or CbcRanges, got {type(ranges).__name__}")
