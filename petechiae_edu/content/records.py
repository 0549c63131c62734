"""The typed records of the core content store (one dataclass per kind of content file).

Every record that states a clinical fact carries ``sources``: keys into ``data/sources.toml``.
Numbers carry their units in a field of their own.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..units import BLOOD_COUNT_UNITS
from .errors import ContentError, FieldError, require_one_of
from .loader import content_schema, did_you_mean, file_check
from .vocabulary import SIGNS, URGENCIES, require_words

SOURCE_KEY = re.compile(r"[a-z0-9_]+")
SOURCE_KINDS = ("article", "guideline", "book", "web", "dataset", "abstract")
CONFIDENCE_LEVELS = ("read", "secondary")
# What kind of evidence a source is, strongest first; "secondary web" (a page that repeats others) can support a
# clinical statement only beside a stronger source (see content.store.source_rule_problems).
EVIDENCE_LEVELS = (
    "guideline",
    "systematic review",
    "trial",
    "cohort",
    "case series",
    "review",
    "textbook",
    "reference page",
    "secondary web",
)
SECONDARY_WEB = "secondary web"
# Hosts that copy, proxy or pirate other people's work: a locator must be the DOI, PubMed or the publisher's page.
# Matched against the host of a source's url (a suffix match, so sub-domains are caught too).
FORBIDDEN_URL_HOSTS = (
    "1library.net",
    "bibliotheek.ehb.be",
    "docksci.com",
    "docslib.org",
    "dokumen.pub",
    "epdf.pub",
    "homsy-staging.cambridgecore.org",
    "idoc.pub",
    "integ.idsociety.org",
    "kupdf.net",
    "libgen.is",
    "libgen.rs",
    "paperai.life",
    "pdfcoffee.com",
    "pdffox.com",
    "proxy.weglot.com",
    "pubmedcentralcanada.ca",
    "researcher.life",
    "sci-hub.se",
    "sci-hub.ru",
    "scribd.com",
    "scholarhub.vn",
    "studylib.net",
    "suppr.wilddata.cn",
    "vdocument.in",
    "zendy.io",
)


@content_schema("sources", array="source")
@dataclass(frozen=True)
class Source:
    """One reference of the bibliography."""

    key: str
    kind: str
    authors: tuple[str, ...]
    title: str
    confidence: str = field(metadata={"help": "'read' or 'secondary'"})
    evidence_level: str = field(metadata={"help": ", ".join(EVIDENCE_LEVELS)})
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    read_in: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not SOURCE_KEY.fullmatch(self.key):
            raise FieldError("key", f"'{self.key}' must be lowercase letters, digits and underscores")
        require_one_of("kind", self.kind, SOURCE_KINDS)
        require_one_of("confidence", self.confidence, CONFIDENCE_LEVELS)
        require_one_of("evidence_level", self.evidence_level, EVIDENCE_LEVELS)
        if self.confidence == "secondary" and not self.read_in:
            raise FieldError("read_in", "a source whose figures were read elsewhere must say where (read_in)")
        if not (self.doi or self.pmid or self.pmcid or self.url):
            raise FieldError("url", "give at least one of doi, pmid, pmcid or url so a reader can find it")
        if self.year is not None and not 1800 <= self.year <= 2100:
            raise FieldError("year", f"{self.year} is not a plausible publication year")

    def forbidden_locator(self) -> str | None:
        """Why this source's url may not be used (a raw IP address, a mirror or a proxy), or None if it may."""
        if not self.url:
            return None
        host = (urlsplit(self.url.strip()).hostname or "").lower().rstrip(".")
        if not host:
            return f"'{self.url}' has no host"
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return f"'{host}' is a raw IP address, not a publisher"
        for banned in FORBIDDEN_URL_HOSTS:
            if host == banned or host.endswith("." + banned):
                return f"'{host}' copies or proxies other people's work"
        return None

    def formatted(self) -> str:
        """The reference in a compact Vancouver-like style, as plain text."""
        parts = []
        if self.authors:
            shown = list(self.authors[:6])
            if len(self.authors) > 6 and "et al." not in shown:
                shown.append("et al.")
            parts.append(", ".join(shown) + ".")
        parts.append(self.title.rstrip(".") + ".")
        venue = ""
        if self.journal:
            venue = self.journal
        if self.year:
            venue += f" {self.year}" if venue else str(self.year)
        if self.volume:
            venue += f";{self.volume}"
            if self.issue:
                venue += f"({self.issue})"
        if self.pages:
            venue += f":{self.pages}"
        if venue:
            parts.append(venue.strip() + ".")
        if self.doi:
            parts.append(f"doi:{self.doi}.")
        elif self.pmid:
            parts.append(f"PMID {self.pmid}.")
        elif self.pmcid:
            parts.append(f"{self.pmcid}.")
        if self.url and not self.doi:
            parts.append(self.url)
        if self.read_in:
            parts.append(f"(Figures read in: {self.read_in})")
        return " ".join(parts)


@content_schema("glossary", array="term")
@dataclass(frozen=True)
class GlossaryTerm:
    """A term a student meets in the lessons, defined in plain words."""

    key: str
    term: str
    definition: str
    sources: tuple[str, ...]
    see_also: tuple[str, ...] = ()


@file_check("glossary")
def _see_also_names_a_term(path: Path, terms: tuple[GlossaryTerm, ...]) -> None:
    """Every ``see_also`` key must be a term of the same file (the file's header asks editors to check it)."""
    keys = {term.key for term in terms}
    for number, term in enumerate(terms, start=1):
        for other in term.see_also:
            if other not in keys:
                raise ContentError(
                    path,
                    f"'{other}' is not a term of this file{did_you_mean(other, keys)}",
                    entry=f"'{term.key}' (term #{number})",
                    field="see_also",
                )


LINEAGES = ("myeloid", "lymphoid")
COURSES = ("acute", "chronic")


@content_schema("leukaemia_types", array="leukaemia")
@dataclass(frozen=True)
class LeukaemiaType:
    """One kind of leukaemia: lineage, pace, who gets it, what marks it, how common it is."""

    key: str
    name: str
    abbreviation: str
    lineage: str = field(metadata={"help": "'myeloid' or 'lymphoid'"})
    course: str = field(metadata={"help": "'acute' or 'chronic'"})
    typical_age: str
    hallmarks: tuple[str, ...]
    epidemiology: str
    sources: tuple[str, ...]
    median_age_years: float | None = None
    incidence_per_100000: float | None = None
    five_year_survival: str | None = None

    def __post_init__(self) -> None:
        require_one_of("lineage", self.lineage, LINEAGES)
        require_one_of("course", self.course, COURSES)
        if self.median_age_years is not None and not 0 <= self.median_age_years <= 110:
            raise FieldError("median_age_years", f"{self.median_age_years} is not an age in years (0–110)")
        if self.incidence_per_100000 is not None and not 0 <= self.incidence_per_100000 <= 100_000:
            raise FieldError(
                "incidence_per_100000",
                f"{self.incidence_per_100000} is not a number of new cases per 100,000 people (0–100,000)",
            )


@content_schema("petechiae_causes", array="cause")
@dataclass(frozen=True)
class PetechiaeCause:
    """One condition in the differential diagnosis of petechiae, with what sets it apart."""

    key: str
    name: str
    category: str
    distinguishing_features: tuple[str, ...]
    platelets: str = field(metadata={"help": "what the platelet count usually shows, e.g. 'low' or 'normal'"})
    fever: str = field(metadata={"help": "'usual', 'possible' or 'absent'"})
    urgency: str
    urgency_tier: str = field(metadata={"help": "the tier of data/urgency_tiers.toml that the urgency text names"})
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("fever", self.fever, ("usual", "possible", "absent"))
        require_one_of("urgency_tier", self.urgency_tier, URGENCIES)


@content_schema("risk_factors", array="factor")
@dataclass(frozen=True)
class RiskFactor:
    """Something that raises the chance of leukaemia, with its measured effect size."""

    key: str
    name: str
    leukaemias: tuple[str, ...]
    effect: str = field(metadata={"help": "the measured effect in words with its numbers"})
    measure: str = field(metadata={"help": "what the number is: SIR, HR, RR, O/E, EAR ..."})
    headline_value: float
    population: str
    sources: tuple[str, ...]
    interval_low: float | None = None
    interval_high: float | None = None

    def __post_init__(self) -> None:
        if self.headline_value <= 0:
            raise FieldError("headline_value", f"{self.headline_value} must be a positive ratio")
        if (self.interval_low is None) != (self.interval_high is None):
            raise FieldError("interval_low", "give both ends of the interval or neither")
        if (
            self.interval_low is not None
            and self.interval_high is not None
            and not self.interval_low <= self.headline_value <= self.interval_high
        ):
            raise FieldError(
                "headline_value",
                f"{self.headline_value} lies outside its interval {self.interval_low}–{self.interval_high}",
            )


SEXES = ("any", "male", "female")


def check_not_per_microlitre(quantity: str, field_name: str, value: float) -> None:
    """The package's one per-µL rule (:data:`petechiae_edu.validation.PER_MICROLITRE_ABOVE`) applied to content:
    a count written per µL (150000 platelets) where ×10^9/L is expected (150) is refused with the conversion."""
    from ..validation import PER_MICROLITRE_ABOVE  # imported here: numpy only when counts are loaded

    limit = PER_MICROLITRE_ABOVE.get(quantity)
    if limit is not None and value > limit:
        unit = BLOOD_COUNT_UNITS.get(quantity, "")
        fix = "divide by 1000" if unit == "×10^9/L" else "divide by 10 (g/L → g/dL)"
        raise FieldError(
            field_name,
            f"{value:g} looks like a {quantity} value in the wrong unit (above {limit:g} {unit}); "
            f"expected {unit}: {fix}",
        )


# The blood values a reference range may measure, with the one unit each is written in.
RANGE_QUANTITIES = BLOOD_COUNT_UNITS
OLDEST_AGE_YEARS = 110.0
ADULT_FROM_YEARS = 18.0


@content_schema("reference_ranges", array="range")
@dataclass(frozen=True)
class ReferenceRange:
    """The usual range of one blood value in healthy people of one age band (and sex), with its units.

    ``[[range]]`` entries are the adult ranges (ages 18–110 unless stated); ``[[paediatric_range]]`` entries are
    the children's bands. Bands are half-open: ``age_min_years`` ≤ age < ``age_max_years``. Whether the bands of one
    quantity overlap or leave gaps is checked over the whole file (``content.cbc_rules``).
    """

    key: str
    analyte: str
    low: float
    high: float
    units: str = field(metadata={"help": "units of low and high, e.g. '×10^9/L' or 'g/dL'"})
    sources: tuple[str, ...]
    sex: str = "any"
    population: str = "adults"
    note: str | None = None
    quantity: str | None = field(
        default=None,
        metadata={"help": f"what is measured: {', '.join(RANGE_QUANTITIES)} (default: the key up to its first '_')"},
    )
    age_min_years: float = field(default=ADULT_FROM_YEARS, metadata={"help": "youngest age of the band, years"})
    age_max_years: float = field(
        default=OLDEST_AGE_YEARS, metadata={"help": "the band ends just before this age, years (at most 110)"}
    )

    def __post_init__(self) -> None:
        require_one_of("sex", self.sex, SEXES)
        if not 0 <= self.low < self.high:
            raise FieldError("high", f"the range {self.low}–{self.high} {self.units} must have 0 ≤ low < high")
        if self.measures not in RANGE_QUANTITIES:
            field_name = "quantity" if self.quantity is not None else "key"
            raise FieldError(
                field_name, f"'{self.measures}' is not a blood value the course knows: {', '.join(RANGE_QUANTITIES)}"
            )
        expected_units = RANGE_QUANTITIES[self.measures]
        if self.units != expected_units:
            raise FieldError("units", f"{self.measures} is written in '{expected_units}', not '{self.units}'")
        check_not_per_microlitre(self.measures, "high", self.high)
        if not 0 <= self.age_min_years < self.age_max_years <= OLDEST_AGE_YEARS:
            raise FieldError(
                "age_max_years",
                f"the age band {self.age_min_years:g}–{self.age_max_years:g} years must have "
                f"0 ≤ age_min_years < age_max_years ≤ {OLDEST_AGE_YEARS:g}",
            )

    @property
    def measures(self) -> str:
        """The blood value this range is for (``haemoglobin``, ``wbc``, ``anc``, ``platelets`` ...)."""
        return self.quantity if self.quantity is not None else self.key.split("_")[0]


# Children's bands live in the same file, in their own array, so the adult table keeps its shape.
content_schema("paediatric_reference_ranges", array="paediatric_range", part_of="reference_ranges")(ReferenceRange)


@content_schema("urgency_tiers", array="tier")
@dataclass(frozen=True)
class UrgencyTier:
    """One step of the course's urgency scale, defined as its source defines it."""

    key: str
    name: str
    definition: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("key", self.key, URGENCIES)


@content_schema("red_flags", array="flag")
@dataclass(frozen=True)
class RedFlag:
    """A finding that should prompt a blood count, a specialist or emergency care, and how fast.

    ``signs`` are the controlled words (``content.vocabulary.SIGNS``) that must all be present for the flag to
    apply; the safety tests read them.
    """

    key: str
    finding: str
    population: str = field(metadata={"help": "'children' or 'adults' or 'all'"})
    action: str
    urgency: str
    why: str
    sources: tuple[str, ...]
    signs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_one_of("urgency", self.urgency, URGENCIES)
        require_one_of("population", self.population, ("children", "adults", "all"))
        require_words("signs", self.signs, SIGNS)


@content_schema("lesion_sizes", array="definition_set")
@dataclass(frozen=True)
class LesionSizeDefinition:
    """One source's size cut-offs: below ``petechia_below_mm`` a petechia, above ``ecchymosis_above_mm`` an
    ecchymosis, purpura in between (diameters in mm)."""

    key: str
    name: str
    petechia_below_mm: float = field(metadata={"help": "diameter in mm below which a spot is a petechia"})
    sources: tuple[str, ...]
    ecchymosis_above_mm: float | None = None
    used_in_lessons: bool = False
    note: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.petechia_below_mm <= 10:
            raise FieldError("petechia_below_mm", f"{self.petechia_below_mm} mm is not a plausible cut-off (0–10 mm)")
        if self.ecchymosis_above_mm is not None and self.ecchymosis_above_mm <= self.petechia_below_mm:
            raise FieldError(
                "ecchymosis_above_mm",
                f"{self.ecchymosis_above_mm} mm must be larger than the petechia cut-off {self.petechia_below_mm} mm",
            )
