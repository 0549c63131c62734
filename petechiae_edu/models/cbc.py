"""A teaching interpreter for a full blood count (FBC / CBC): flags, grades and named patterns.

Inputs, all in the units a UK or US laboratory report uses:
    age in years, sex ('male' or 'female'), platelets ×10^9/L, white cells (WBC) ×10^9/L, absolute
    neutrophil count (ANC) ×10^9/L, lymphocytes ×10^9/L, haemoglobin g/dL, blasts on the blood film %
    (None: no film read).
    (×10^9/L is the same number as ×10^3/µL: 150,000/µL = 150 ×10^9/L.)

What it does
    * flags each value low / normal / high against an ADULT reference range passed in as plain numbers
      (:class:`CbcRanges`; the model does no I/O: :func:`petechiae_edu.calibrated.course_ranges` loads the
      course's ranges, and ``petechiae_edu.interpret_cbc`` uses them by default);
    * grades a low platelet count by CTCAE and a low ANC as neutropenia per ASCO/IDSA (the grades, their
      cut-offs and sources are in :mod:`petechiae_edu.models.cbc_grades`);
    * flags a low haemoglobin WITHOUT a grade: CTCAE anaemia grades were not verified for this course;
    * names patterns (isolated thrombocytopenia, pancytopenia, leukocytosis with blasts, blasts on the film,
      lymphocytosis) with what each suggests next and the sources it rests on.

Assumptions and limits
    * Adult ranges only: the course has no sourced paediatric ranges. For a child the result says that the
      adult ranges are used and are only approximate (young children normally have different counts).
    * Pancytopenia is defined here as all three cell lines low: haemoglobin, white cells (WBC or ANC) and
      platelets below their ranges.
    * Hyperleukocytosis is NOT named: no sourced threshold is in the course's evidence.
    * A lymphocyte count cannot show clonality; the CLL threshold (>5 ×10^9/L clonal B cells) needs flow
      cytometry.
    * A teaching aid: it never diagnoses, it names patterns and the next step a student should think of.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cbc_grades import (
    NEUTROPENIA_SOURCES,
    PLATELET_GRADE_SOURCES,
    PROFOUND_NEUTROPENIA_SOURCES,
    check_count,
    check_number,
    neutropenia_grade,
    platelet_grade,
)

LOW, NORMAL, HIGH = "low", "normal", "high"
SEXES = ("male", "female")
ADULT_AGE_YEARS = 18.0

_LABEL = {
    "platelets": "Platelets",
    "wbc": "White cells (WBC)",
    "anc": "Neutrophils (ANC)",
    "lymphocytes": "Lymphocytes",
    "haemoglobin": "Haemoglobin",
}
FIELDS = ("haemoglobin", "wbc", "anc", "lymphocytes", "platelets")
_OTHER_LINES = ("haemoglobin", "wbc", "anc", "lymphocytes")

REFERRAL_SOURCES = ("nice_ng12_2015",)
CLL_SOURCES = ("communmed2022_cll",)


@dataclass(frozen=True)
class Range:
    """One reference range: ``low``–``high`` in ``units``."""

    low: float
    high: float
    units: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class CbcRanges:
    """The adult reference ranges the interpreter compares against (counts ×10^9/L, haemoglobin g/dL)."""

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
class CbcFinding:
    """One value of the count, compared with its range."""

    field: str
    label: str
    value: float
    units: str
    low: float
    high: float
    flag: str  # "low", "normal" or "high"
    grade: str | None
    note: str
    sources: tuple[str, ...]

    @property
    def flag_text(self) -> str:
        """The flag in words and a symbol, so it never rests on colour alone."""
        return {LOW: "LOW ▼", HIGH: "HIGH ▲"}.get(self.flag, "normal")

    def sentence(self) -> str:
        grade = f" ({self.grade})" if self.grade else ""
        return f"{self.label} {self.value:g} {self.units}: {self.flag}{grade}"


@dataclass(frozen=True)
class CbcPattern:
    """A named pattern of the whole count and what a student should think of next."""

    key: str
    name: str
    definition: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CbcInterpretation:
    """The result of :func:`interpret_cbc`: one finding per value, the patterns named, caveats."""

    age_years: float
    sex: str
    blasts_percent: float | None
    findings: tuple[CbcFinding, ...]
    patterns: tuple[CbcPattern, ...]
    caveats: tuple[str, ...]

    def finding(self, field: str) -> CbcFinding:
        for finding in self.findings:
            if finding.field == field:
                return finding
        raise KeyError(f"no finding '{field}'; expected one of {', '.join(FIELDS)}")

    @property
    def pattern_names(self) -> tuple[str, ...]:
        return tuple(pattern.name for pattern in self.patterns)

    @property
    def pattern_keys(self) -> tuple[str, ...]:
        return tuple(pattern.key for pattern in self.patterns)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key the flags, grades and patterns rest on, in order, without repeats."""
        keys: list[str] = []
        for item in (*self.findings, *self.patterns):
            keys.extend(item.sources)
        return tuple(dict.fromkeys(keys))

    def summary(self) -> str:
        """A short plain-text account: abnormal values, then the patterns named."""
        abnormal = [f.sentence() for f in self.findings if f.flag != NORMAL]
        values = "; ".join(abnormal) if abnormal else "All values within the adult reference ranges"
        patterns = ", ".join(self.pattern_names) if self.patterns else "no pattern named"
        blasts = "" if self.blasts_percent is None else f"; blasts on film {self.blasts_percent:g}%"
        return f"{values}{blasts}. Patterns: {patterns}."


def _flag(value: float, reference: Range) -> str:
    if value < reference.low:
        return LOW
    if value > reference.high:
        return HIGH
    return NORMAL


def _finding(field: str, value: float, reference: Range, sex: str) -> CbcFinding:
    flag = _flag(value, reference)
    grade: str | None = None
    note = ""
    sources = tuple(reference.sources)
    if field == "platelets" and flag == LOW:
        grade = platelet_grade(value, reference.low)
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
        note = "Below the range (anaemia). Not graded: CTCAE anaemia grades were not verified for the course."
    elif field == "lymphocytes" and flag == HIGH:
        note = "Lymphocytosis. A count cannot tell clonal from reactive lymphocytes."
    elif field == "wbc" and flag == HIGH:
        note = "Leukocytosis: look at which cells are raised (differential and film)."
    label = _LABEL[field]
    if field == "haemoglobin":
        label = f"Haemoglobin (adult {sex} range)"
    return CbcFinding(
        field, label, value, reference.units, reference.low, reference.high, flag, grade, note, sources
    )


def _patterns(by_field: dict[str, CbcFinding], blasts_percent: float | None) -> list[CbcPattern]:
    flags = {field: finding.flag for field, finding in by_field.items()}
    patterns: list[CbcPattern] = []
    # A high total count with few neutrophils (blasts crowding the blood) is not pancytopenia.
    white_low = flags["wbc"] == LOW or (flags["anc"] == LOW and flags["wbc"] != HIGH)
    blasts_seen = blasts_percent is not None and blasts_percent > 0
    if flags["platelets"] == LOW and flags["haemoglobin"] == LOW and white_low:
        patterns.append(
            CbcPattern(
                "pancytopenia",
                "pancytopenia",
                "All three cell lines low: haemoglobin, white cells (WBC or neutrophils) and platelets below "
                "their ranges.",
                (
                    "Ask for a blood film at once: look for blasts and abnormal cells.",
                    "Refer urgently to haematology (NICE NG12: a count or film suggesting acute leukaemia "
                    "means immediate referral).",
                    "Expect a bone-marrow aspirate and biopsy: the marrow shows why all three lines are low.",
                ),
                REFERRAL_SOURCES,
            )
        )
    elif flags["platelets"] == LOW and all(flags[f] == NORMAL for f in _OTHER_LINES):
        patterns.append(
            CbcPattern(
                "isolated_thrombocytopenia",
                "isolated thrombocytopenia",
                "Platelets below the range while haemoglobin and white cells are normal.",
                (
                    "Repeat the count and look at a blood film: clumped platelets in the tube "
                    "(pseudothrombocytopenia) give a falsely low count.",
                    "Think of the wider differential: ITP, drugs, infection, liver disease, hypersplenism.",
                    "A child with unexplained petechiae needs immediate specialist assessment (NICE NG12).",
                ),
                ("swain2019", *REFERRAL_SOURCES),
            )
        )
    if blasts_seen and flags["wbc"] == HIGH:
        patterns.append(
            CbcPattern(
                "leukocytosis_with_blasts",
                "leukocytosis with blasts",
                "White cells above the range with blasts on the blood film.",
                (
                    "Refer immediately to haematology: a film reported as acute leukaemia calls for "
                    "immediate referral (NICE NG12).",
                    "Bone-marrow aspirate with flow cytometry and cytogenetics to confirm and classify the "
                    "leukaemia.",
                ),
                REFERRAL_SOURCES,
            )
        )
    elif blasts_seen:
        patterns.append(
            CbcPattern(
                "blasts_on_film",
                "blasts on the film",
                "Blasts on the blood film without a raised white count (acute leukaemia need not raise it).",
                (
                    "Refer immediately to haematology (NICE NG12).",
                    "Bone-marrow aspirate with flow cytometry and cytogenetics.",
                ),
                REFERRAL_SOURCES,
            )
        )
    if flags["lymphocytes"] == HIGH:
        patterns.append(
            CbcPattern(
                "lymphocytosis",
                "lymphocytosis",
                "Lymphocytes above the range.",
                (
                    "Repeat the count and read a blood film; many lymphocytoses are reactive and pass.",
                    "In an adult with a persistent rise, flow cytometry of the blood: CLL is diagnosed when "
                    "clonal B cells exceed 5 ×10^9/L.",
                ),
                CLL_SOURCES,
            )
        )
    return patterns


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
    ranges: CbcRanges,
) -> CbcInterpretation:
    """Flag, grade and name the patterns of one blood count.

    Counts in ×10^9/L (= ×10^3/µL), haemoglobin in g/dL, blasts as % of white cells on the film (None when no
    film was read), age in years, sex 'male' or 'female'; ``ranges`` are the adult reference ranges to compare
    against (the course's come from :func:`petechiae_edu.calibrated.course_ranges`, and
    :func:`petechiae_edu.calibrated.interpret_cbc` passes them for you). Every value but ``blasts_percent``
    is required. Raises ValueError naming the value, the field and the expected unit for a missing, negative
    or non-finite value, a count that looks per µL, or haemoglobin that looks in g/L.
    """
    age = check_number(age_years, "age_years", "years")
    if age > 120:
        raise ValueError(f"age_years = {age:g} is not an age in years (expected 0–120)")
    if sex is None:
        raise ValueError("sex is missing; expected 'male' or 'female' (it selects the haemoglobin range)")
    if sex not in SEXES:
        raise ValueError(f"sex = {sex!r} is not one of {', '.join(SEXES)}")
    values = {
        "haemoglobin": check_count(haemoglobin, "haemoglobin"),
        "wbc": check_count(wbc, "wbc"),
        "anc": check_count(anc, "anc"),
        "lymphocytes": check_count(lymphocytes, "lymphocytes"),
        "platelets": check_count(platelets, "platelets"),
    }
    blasts: float | None = None
    if blasts_percent is not None:
        blasts = check_number(blasts_percent, "blasts_percent", "% of white cells on the film")
        if blasts > 100:
            raise ValueError(f"blasts_percent = {blasts:g} is over 100; expected a percentage 0–100")
    if values["anc"] > values["wbc"] or values["lymphocytes"] > values["wbc"]:
        raise ValueError(
            f"anc = {values['anc']:g} and lymphocytes = {values['lymphocytes']:g} ×10^9/L are parts of the "
            f"white count and cannot exceed wbc = {values['wbc']:g} ×10^9/L"
        )
    findings = {field: _finding(field, values[field], ranges.for_field(field, sex), sex) for field in FIELDS}
    caveats = ["Adult reference ranges; laboratories differ. A teaching aid, not for diagnosis."]
    if age < ADULT_AGE_YEARS:
        caveats.insert(
            0,
            f"Age {age:g} years: the ranges are ADULT ranges and only approximate for a child "
            "(children's normal counts differ, and the course has no sourced paediatric ranges).",
        )
    return CbcInterpretation(
        age_years=age,
        sex=sex,
        blasts_percent=blasts,
        findings=tuple(findings[field] for field in FIELDS),
        patterns=tuple(_patterns(findings, blasts)),
        caveats=tuple(caveats),
    )


def ranges_from_records(records: dict) -> CbcRanges:  # type: ignore[type-arg]
    """Build :class:`CbcRanges` from range records (with ``low``, ``high``, ``units``, ``sources``)."""

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

