"""A teaching interpreter for a full blood count (FBC / CBC): flags for the patient's age, grades, named patterns.

Inputs, all in the units a UK or US laboratory report uses:
    age in years, sex ('male' or 'female'); haemoglobin g/dL; white cells (WBC) and the differential — neutrophils
    (ANC), lymphocytes and, optionally, monocytes, eosinophils, basophils — ×10^9/L; platelets ×10^9/L; optionally
    the MCV (fL), the blood film (blasts as % of white cells, and the words of :data:`FILM_FINDINGS`) and a
    coagulation screen (PT and APTT in seconds, fibrinogen g/L, D-dimer mg/L FEU).
    (×10^9/L is the same number as ×10^3/µL: 150,000/µL = 150 ×10^9/L.)

What it does
    * flags each value low / normal / high against the reference range for the patient's AGE and sex, from a
      :class:`~petechiae_edu.models.cbc_ranges.ReferenceTable` passed in as plain numbers (the model does no I/O:
      :func:`petechiae_edu.calibrated.course_ranges` builds the course's table from ``data/reference_ranges.toml``).
      An age the table has no band for gets no flag, and the result says so. Given adult-only
      :class:`~petechiae_edu.models.cbc_ranges.CbcRanges`, it warns that adult ranges are approximate for a child;
    * grades a low platelet count by CTCAE and a low ANC as neutropenia per ASCO/IDSA
      (:mod:`petechiae_edu.models.cbc_grades`); flags a low haemoglobin without a grade;
    * checks that the differential adds up: its parts may not exceed the total white count;
    * names the patterns of the whole count (pancytopenia, hyperleukocytosis, a DIC or microangiopathic picture,
      pseudothrombocytopenia ...), each with its urgency, next steps and sources, from rules passed in as data
      (:class:`~petechiae_edu.models.cbc_patterns.PatternRule`, built from ``data/cbc_patterns.toml``). Which
      count meets which pattern is decided in :mod:`petechiae_edu.models.cbc_patterns`.

Assumptions and limits
    * Reference ranges differ between laboratories, analysers and populations; children's ranges come from a
      handbook and two studies (see the data file). A lymphocyte count cannot show clonality (flow cytometry can).
    * A teaching aid: it never diagnoses; it names patterns and the next step a student should think of.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .anaemia import AnaemiaCutoff, annotate_haemoglobin
from .cbc_grades import (
    NEUTROPENIA_SOURCES,
    PLATELET_GRADE_SOURCES,
    PROFOUND_NEUTROPENIA_SOURCES,
    check_count,
    check_differential,
    check_film,
    check_measurement,
    check_number,
    neutropenia_grade,
    platelet_grade,
)
from .cbc_patterns import (
    FILM_FINDINGS,
    HIGH,
    LOW,
    NO_RANGE,
    NORMAL,
    URGENCY_ORDER,
    Coagulation,
    CountPicture,
    PatternRule,
    name_patterns,
)
from .cbc_ranges import ADULT_AGE_YEARS, SEXES, AgeBand, CbcRanges, Range, ReferenceTable, as_table

__all__ = [
    "ADULT_AGE_YEARS",
    "FIELDS",
    "FILM_FINDINGS",
    "HIGH",
    "LOW",
    "NORMAL",
    "NO_RANGE",
    "SEXES",
    "CbcFinding",
    "CbcInterpretation",
    "CbcPattern",
    "CbcRanges",
    "Coagulation",
    "Range",
    "ReferenceTable",
    "interpret_cbc",
    "ranges_from_records",
]

_LABEL = {
    "platelets": "Platelets",
    "wbc": "White cells (WBC)",
    "anc": "Neutrophils (ANC)",
    "lymphocytes": "Lymphocytes",
    "monocytes": "Monocytes",
    "eosinophils": "Eosinophils",
    "basophils": "Basophils",
    "haemoglobin": "Haemoglobin",
}
FIELDS = ("haemoglobin", "wbc", "anc", "lymphocytes", "platelets")
OPTIONAL_PARTS = ("monocytes", "eosinophils", "basophils")
ROUNDING_PER_PART = 0.05  # ×10^9/L: each part of a report is rounded, so the parts may overshoot the total a little


@dataclass(frozen=True)
class CbcFinding:
    """One value of the count, compared with the range for the patient's age and sex (if there is one)."""

    field: str
    label: str
    value: float
    units: str
    low: float  # nan when there is no range for this age
    high: float
    flag: str  # "low", "normal", "high" or "no range"
    grade: str | None
    note: str
    sources: tuple[str, ...]
    range_label: str = ""  # whose range: "adults", "1 to <6 years" ...

    @property
    def flag_text(self) -> str:
        """The flag in words and a symbol, so it never rests on colour alone."""
        return {LOW: "LOW ▼", HIGH: "HIGH ▲", NO_RANGE: "no range for this age"}.get(self.flag, "normal")

    def sentence(self) -> str:
        grade = f" ({self.grade})" if self.grade else ""
        return f"{self.label} {self.value:g} {self.units}: {self.flag}{grade}"


@dataclass(frozen=True)
class CbcPattern:
    """A named pattern of the whole count: how fast to act, what a student should think of next."""

    key: str
    name: str
    definition: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]
    urgency: str = "routine"


@dataclass(frozen=True)
class CbcInterpretation:
    """The result of :func:`interpret_cbc`: one finding per value, the patterns named, caveats."""

    age_years: float
    sex: str
    blasts_percent: float | None
    findings: tuple[CbcFinding, ...]
    patterns: tuple[CbcPattern, ...]
    caveats: tuple[str, ...]
    film: tuple[str, ...] = ()
    coagulation: Coagulation | None = None
    mcv: float | None = None

    def finding(self, field: str) -> CbcFinding:
        for finding in self.findings:
            if finding.field == field:
                return finding
        raise KeyError(f"no finding '{field}'; this count has {', '.join(f.field for f in self.findings)}")

    @property
    def pattern_names(self) -> tuple[str, ...]:
        return tuple(pattern.name for pattern in self.patterns)

    @property
    def pattern_keys(self) -> tuple[str, ...]:
        return tuple(pattern.key for pattern in self.patterns)

    @property
    def most_urgent(self) -> str | None:
        """The fastest urgency among the patterns named (None when no pattern is named)."""
        urgencies = [p.urgency for p in self.patterns]
        return next((u for u in URGENCY_ORDER if u in urgencies), None)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key the flags, grades and patterns rest on, in order, without repeats."""
        keys: list[str] = []
        for finding in self.findings:
            keys.extend(finding.sources)
        for pattern in self.patterns:
            keys.extend(pattern.sources)
        return tuple(dict.fromkeys(keys))

    def summary(self) -> str:
        """A short plain-text account: abnormal values, the film, then the patterns named with their urgency."""
        abnormal = [f.sentence() for f in self.findings if f.flag in (LOW, HIGH)]
        unread = [f.label for f in self.findings if f.flag == NO_RANGE]
        if abnormal:
            values = "; ".join(abnormal)
        elif unread:
            values = "No value outside a range for this age"
        else:
            values = "All values within the reference ranges for this age"
        if unread:
            values += f" (no range at this age for {', '.join(unread)})"
        words = [w.replace("_", " ") for w in self.film if not (w == "blasts" and self.blasts_percent is not None)]
        if self.blasts_percent is not None and not words:
            film = f"; blasts on film {self.blasts_percent:g}%"
        elif words:
            counted = [] if self.blasts_percent is None else [f"blasts {self.blasts_percent:g}%"]
            film = f"; film: {', '.join(counted + words)}"
        else:
            film = ""
        if self.patterns:
            patterns = ", ".join(f"{p.name} ({p.urgency})" for p in self.patterns)
        elif abnormal:
            patterns = "no named pattern (the flagged values still need a clinician's reading; not 'routine')"
        else:
            patterns = "no pattern named"
        return f"{values}{film}. Patterns: {patterns}."


def _finding(field: str, value: float, band: AgeBand | None, units: str) -> CbcFinding:
    label = _LABEL[field]
    if band is None:
        return CbcFinding(
            field,
            label,
            value,
            units,
            math.nan,
            math.nan,
            NO_RANGE,
            None,
            "No reference range for this age in the course's data: not flagged.",
            (),
        )
    flag = LOW if value < band.low else HIGH if value > band.high else NORMAL
    grade: str | None = None
    note = ""
    sources = tuple(band.sources)
    if field == "platelets" and flag == LOW:
        grade = platelet_grade(value, band.low)
        note = "Thrombocytopenia, graded by CTCAE (platelet count decreased)."
        sources += PLATELET_GRADE_SOURCES
    elif field == "anc" and flag == LOW:
        grade = neutropenia_grade(value)
        if grade is None:
            note = "Below the reference range but at or above 1.5 ×10^9/L, where mild neutropenia begins."
        else:
            note = "Neutropenia, graded mild/moderate/severe as in the ASCO/IDSA guideline."
        sources += NEUTROPENIA_SOURCES
        if grade == "profound neutropenia":
            sources += PROFOUND_NEUTROPENIA_SOURCES
    elif field == "haemoglobin" and flag == LOW:
        note = "Below this laboratory's range. Not graded: CTCAE anaemia grades were not verified for the course."
    elif field == "lymphocytes" and flag == HIGH:
        note = "Lymphocytosis for this age. A count cannot tell clonal from reactive lymphocytes."
    elif field == "wbc" and flag == HIGH:
        note = "Leukocytosis: look at which cells are raised (differential and film)."
    return CbcFinding(
        field, label, value, band.units, band.low, band.high, flag, grade, note, sources, band.describe_age()
    )


def interpret_cbc(
    *,
    age_years: float | None = None,
    sex: str | None = None,
    platelets: float | None = None,
    wbc: float | None = None,
    anc: float | None = None,
    lymphocytes: float | None = None,
    haemoglobin: float | None = None,
    blasts_percent: float | None = None,
    monocytes: float | None = None,
    eosinophils: float | None = None,
    basophils: float | None = None,
    mcv: float | None = None,
    film: Iterable[str] | None = None,
    pt_seconds: float | None = None,
    aptt_seconds: float | None = None,
    fibrinogen: float | None = None,
    d_dimer: float | None = None,
    ranges: CbcRanges | ReferenceTable,
    patterns: tuple[PatternRule, ...],
    anaemia_cutoffs: Sequence[AnaemiaCutoff] = (),
) -> CbcInterpretation:
    """Flag, grade and name the patterns of one blood count, read against the ranges for the patient's age.

    Counts in ×10^9/L (= ×10^3/µL), haemoglobin g/dL, age in years, sex 'male' or 'female' — all required, as are
    WBC, ANC and lymphocytes. Optional: monocytes, eosinophils, basophils (×10^9/L); ``mcv`` (fL); the film —
    ``blasts_percent`` (% of white cells; None when no film was read) and ``film``, words of :data:`FILM_FINDINGS`;
    the coagulation screen — ``pt_seconds``, ``aptt_seconds`` (s), ``fibrinogen`` (g/L), ``d_dimer`` (mg/L FEU).
    ``ranges`` is a :class:`ReferenceTable` (or adult-only :class:`CbcRanges`), ``patterns`` the pattern rules;
    :func:`petechiae_edu.calibrated.interpret_cbc` passes the course's for you.

    Raises ValueError naming the parameter, the value and what was expected (unit, range) for a missing, negative or
    non-finite value, a count that looks per µL, haemoglobin in g/L, a fibrinogen in mg/dL, an unknown film word,
    or a differential whose parts exceed the total white count.
    """
    age = check_number(age_years, "age_years", "years")
    if age > 120:
        raise ValueError(f"age_years = {age:g} is not an age in years (expected 0–120)")
    if sex is None:
        raise ValueError("sex is missing; expected 'male' or 'female' (it selects the haemoglobin range)")
    if sex not in SEXES:
        raise ValueError(f"sex = {sex!r} is not one of {', '.join(SEXES)}")
    table = as_table(ranges)
    values = {
        name: check_count(value, name)
        for name, value in (
            ("haemoglobin", haemoglobin),
            ("wbc", wbc),
            ("anc", anc),
            ("lymphocytes", lymphocytes),
            ("platelets", platelets),
        )
    }
    for name, value in (("monocytes", monocytes), ("eosinophils", eosinophils), ("basophils", basophils)):
        if value is not None:
            values[name] = check_count(value, name)
    blasts: float | None = None
    if blasts_percent is not None:
        blasts = check_number(blasts_percent, "blasts_percent", "% of white cells on the film")
        if blasts > 100:
            raise ValueError(f"blasts_percent = {blasts:g} is over 100; expected a percentage 0–100")
    film_words = check_film(film, FILM_FINDINGS)
    cell_volume = None if mcv is None else check_measurement(mcv, "mcv")
    coagulation = Coagulation(
        *(
            None if v is None else check_measurement(v, name)
            for name, v in (
                ("pt_seconds", pt_seconds),
                ("aptt_seconds", aptt_seconds),
                ("fibrinogen", fibrinogen),
                ("d_dimer", d_dimer),
            )
        )
    )
    check_differential(values, ("anc", "lymphocytes", *OPTIONAL_PARTS), ROUNDING_PER_PART)

    order = ("haemoglobin", "wbc", "anc", "lymphocytes", *OPTIONAL_PARTS, "platelets")
    findings = [
        _finding(name, values[name], table.lookup(name, age, sex), _unit(name)) for name in order if name in values
    ]
    findings = [  # anaemia is defined by the WHO cut-offs, not by a laboratory's range
        annotate_haemoglobin(f, age, sex, anaemia_cutoffs, low_flag=LOW) if f.field == "haemoglobin" else f
        for f in findings
    ]
    picture = CountPicture(
        values=values,
        flags={f.field: f.flag for f in findings},
        blasts_percent=blasts,
        film=frozenset(film_words),
        coagulation=coagulation,
        mcv=cell_volume,
        age_years=age,
    )
    named = tuple(
        CbcPattern(rule.key, rule.name, rule.definition, rule.next_steps, tuple(rule.sources), rule.urgency)
        for rule in name_patterns(picture, tuple(patterns))
    )
    return CbcInterpretation(
        age_years=age,
        sex=sex,
        blasts_percent=blasts,
        findings=tuple(findings),
        patterns=named,
        caveats=_caveats(age, table, findings, coagulation, patterns),
        film=film_words,
        coagulation=coagulation if coagulation.measured else None,
        mcv=cell_volume,
    )


def _unit(field: str) -> str:
    return "g/dL" if field == "haemoglobin" else "×10^9/L"


def _caveats(
    age: float,
    table: ReferenceTable,
    findings: list[CbcFinding],
    coagulation: Coagulation,
    patterns: tuple[PatternRule, ...],
) -> tuple[str, ...]:
    caveats = []
    if age < ADULT_AGE_YEARS and table.adult_only:
        caveats.append(
            f"Age {age:g} years: the ranges are ADULT ranges and only approximate for a child "
            "(children's normal counts differ)."
        )
    elif age < ADULT_AGE_YEARS:
        caveats.append(
            f"Age {age:g} years: each value is read against the children's range for this age and sex, "
            "not an adult range (a healthy young child, for one, has more lymphocytes than an adult)."
        )
    missing = [f.label for f in findings if f.flag == NO_RANGE]
    if missing:
        caveats.append(
            f"No reference range at age {age:g} years for: {', '.join(missing)}. "
            "Those values are shown but not flagged; read them against a neonatal reference."
        )
    if coagulation.measured:
        dic = next((rule for rule in patterns if rule.key == "dic_pattern"), None)
        if dic is not None:
            limits = ", ".join(f"{_threshold_words(name)} {value:g} {units}" for name, value, units in dic.thresholds)
            caveats.append(f"Coagulation read against the course's teaching limits ({limits}): use your laboratory's.")
    caveats.append(
        "Reference ranges differ between laboratories (the adult ones are one laboratory's limits). "
        "A teaching aid, not for diagnosis."
    )
    return tuple(caveats)


def _threshold_words(name: str) -> str:
    """A threshold's name in words: 'pt_upper_limit' → 'PT above', 'fibrinogen_below' → 'fibrinogen below'."""
    head, _, rest = name.replace("_upper_limit", " above").replace("_below", " below").partition(" ")
    head = {"pt": "PT", "aptt": "APTT", "d_dimer": "D-dimer"}.get(head, head.replace("_", " "))
    return f"{head} {rest}".strip()


def ranges_from_records(records: dict) -> CbcRanges:
    """Build adult :class:`CbcRanges` from range records (with ``low``, ``high``, ``units``, ``sources``)."""

    def pick(key: str) -> Range:
        if key not in records:
            raise KeyError(
                f"reference range '{key}' is missing; expected keys platelets, wbc, anc, lymphocytes, "
                "haemoglobin_male, haemoglobin_female"
            )
        record = records[key]
        return Range(float(record.low), float(record.high), record.units, tuple(record.sources))

    return CbcRanges(
        platelets=pick("platelets"),
        wbc=pick("wbc"),
        anc=pick("anc"),
        lymphocytes=pick("lymphocytes"),
        haemoglobin_male=pick("haemoglobin_male"),
        haemoglobin_female=pick("haemoglobin_female"),
    )
