"""Clinical case vignettes: one TOML file per case in ``data/cases/``.

A case unfolds in steps. Each step has narrative text (history, examination, what happened next), may reveal
results (blood counts with the range a generated version may vary them in, and written findings) and may ask
a decision with options; each option says whether it is a good choice and why, with sources.

Cases branch (issue 14): an option may take time (``minutes``, from the case
clock's minute 0 at arrival; 1 day = 1440 minutes), may lead to a named step (``next = "shock"``) or end the case
(``end = true``). A step marked ``branch = true`` is reached only through an option's ``next``: it is where the
patient has deteriorated after a delay, and its own decision rejoins the main path. Without ``next`` an option leads
to the next non-branch step in file order after its own step. :meth:`Case.next_step_index` is the one place this
rule is written; :mod:`petechiae_edu.models.case_path` walks it. ``[[case.deadlines]]`` name time-critical actions
the case summary scores (``within_minutes`` of minute 0, or of the minute the step named by ``from_step`` is reached).

The loader checks the branching at load: every ``next`` names a step key, no path can revisit a step (so, with a
finite number of steps, every path ends), every step can be reached from the first, deadlines name ACTIONS words
and a positive number of minutes. Errors name the file, the case, the step (number and title), the option and the
field.

Nested source keys (in options) must also be listed in the case's own ``sources``, which the loader checks
against ``data/sources.toml``: so every key a case cites resolves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .case_checks import check_branching, check_deadlines
from .errors import ContentError, FieldError, require_one_of
from .loader import content_schema
from .pictures import require_film
from .records import check_not_per_microlitre
from .vocabulary import ACTIONS, CONDITIONS, SIGNS, require_words

# "emergency": a time-critical case ("what do you do in the next hour?")
CASE_KINDS = ("leukaemia", "mimic", "emergency")
STEP_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PATIENT_SEXES = ("female", "male")

# analyte field -> (label shown to students, units it must be written in, decimals a generated version keeps)
ANALYTES: dict[str, tuple[str, str, int]] = {
    "haemoglobin": ("Haemoglobin", "g/dL", 1),
    "wbc": ("White cells (WBC)", "×10^9/L", 1),
    "neutrophils": ("Neutrophils (ANC)", "×10^9/L", 1),
    "lymphocytes": ("Lymphocytes", "×10^9/L", 1),
    "platelets": ("Platelets", "×10^9/L", 0),
    "pt": ("Prothrombin time (PT)", "s", 1),
    "aptt": ("Activated partial thromboplastin time (APTT)", "s", 1),
    "fibrinogen": ("Fibrinogen", "g/L", 1),
    "potassium": ("Potassium", "mmol/L", 1),
    "phosphate": ("Phosphate", "mmol/L", 2),
    "urate": ("Urate (uric acid)", "µmol/L", 0),
    "creatinine": ("Creatinine", "µmol/L", 0),
    "ldh": ("Lactate dehydrogenase (LDH)", "U/L", 0),
}
# parts of the white count: their sum can never exceed the WBC
WHITE_CELL_PARTS = ("neutrophils", "lymphocytes")
# the blood-count quantity (units.BLOOD_COUNT_UNITS) of each analyte the per-µL rule applies to
COUNT_QUANTITIES = {
    "haemoglobin": "haemoglobin",
    "wbc": "wbc",
    "neutrophils": "anc",
    "lymphocytes": "lymphocytes",
    "platelets": "platelets",
}


@dataclass(frozen=True)
class Measurement:
    """One blood value as written in the case, and the range a generated version may vary it in."""

    value: float
    low: float
    high: float
    units: str

    def __post_init__(self) -> None:
        if not all(math.isfinite(x) for x in (self.value, self.low, self.high)):
            raise FieldError("value", "value, low and high must be finite numbers")
        if self.low < 0:
            raise FieldError("low", f"{self.low} {self.units} is negative; a count cannot be below 0")
        if not self.low <= self.value <= self.high:
            raise FieldError(
                "value",
                f"{self.value} {self.units} lies outside its stated range {self.low}–{self.high}; "
                "expected low ≤ value ≤ high",
            )


@dataclass(frozen=True)
class Results:
    """What a test revealed: blood counts (each optional) and written findings (film, culture, imaging).

    ``film`` names the drawn blood film (one of ``content.pictures.FILMS``) that illustrates a written
    "Blood film: ..." finding; the case player shows it, captioned as the typical film, not this patient's.
    """

    haemoglobin: Measurement | None = None
    wbc: Measurement | None = None
    neutrophils: Measurement | None = None
    lymphocytes: Measurement | None = None
    platelets: Measurement | None = None
    pt: Measurement | None = None
    aptt: Measurement | None = None
    fibrinogen: Measurement | None = None
    potassium: Measurement | None = None
    phosphate: Measurement | None = None
    urate: Measurement | None = None
    creatinine: Measurement | None = None
    ldh: Measurement | None = None
    findings: tuple[str, ...] = ()
    film: str | None = None

    def __post_init__(self) -> None:
        if self.film is not None:
            require_film("film", self.film)
            if not any("film" in finding.lower() for finding in self.findings):
                raise FieldError(
                    "film",
                    f"film = '{self.film}' illustrates a written blood-film finding, and this step has none; "
                    'add the finding ("Blood film: ...") or remove the film',
                )
        for name, (_label, units, _decimals) in ANALYTES.items():
            measurement = getattr(self, name)
            if measurement is not None and measurement.units != units:
                raise FieldError(name, f"units '{measurement.units}' are not the expected '{units}' for {name}")
            if measurement is not None and name in COUNT_QUANTITIES:
                check_not_per_microlitre(COUNT_QUANTITIES[name], name, measurement.high)
        if not self.measurements() and not self.findings:
            raise FieldError("findings", "a results table needs at least one count or one written finding")
        parts = [getattr(self, name) for name in WHITE_CELL_PARTS if getattr(self, name) is not None]
        wbc = self.wbc
        if parts and wbc is None:
            raise FieldError("wbc", "a differential count (neutrophils, lymphocytes) needs the total WBC too")
        if parts and wbc is not None:
            if sum(p.value for p in parts) > wbc.value:
                raise FieldError(
                    "wbc",
                    f"neutrophils + lymphocytes ({sum(p.value for p in parts):g}) exceed the WBC "
                    f"({wbc.value:g} ×10^9/L)",
                )
            if sum(p.low for p in parts) > wbc.low:
                raise FieldError(
                    "wbc",
                    f"the lowest neutrophils + lymphocytes ({sum(p.low for p in parts):g}) exceed the "
                    f"lowest WBC of the range ({wbc.low:g} ×10^9/L), so a version could not stay consistent",
                )

    def measurements(self) -> tuple[tuple[str, Measurement], ...]:
        """(analyte, measurement) for every count given, in a fixed teaching order."""
        return tuple((name, getattr(self, name)) for name in ANALYTES if getattr(self, name) is not None)


@dataclass(frozen=True)
class Option:
    """One answer to a decision, with the feedback that explains it."""

    text: str
    good: bool
    feedback: str
    sources: tuple[str, ...]
    actions: tuple[str, ...] = ()  # controlled words (content.vocabulary.ACTIONS) the safety tests read
    minutes: float = 0.0  # time this choice takes before the next step (1 day = 1440 minutes)
    next: str | None = None  # the key of the step this choice leads to (default: the next non-branch step)
    end: bool = False  # this choice ends the case here

    def __post_init__(self) -> None:
        require_words("actions", self.actions, ACTIONS)
        if not self.sources:
            raise FieldError("sources", f"the feedback of option '{self.text}' must cite at least one source")


@dataclass(frozen=True)
class Decision:
    """A question the student answers before the case goes on."""

    prompt: str
    options: tuple[Option, ...]

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise FieldError("options", f"a decision needs at least two options, got {len(self.options)}")
        texts = [option.text for option in self.options]
        if len(set(texts)) != len(texts):
            raise FieldError("options", "two options have the same text")
        if not any(option.good for option in self.options):
            raise FieldError("options", f"no option of '{self.prompt}' is marked good = true")


@dataclass(frozen=True)
class Step:
    """One stage of a case: what the student reads, what is revealed, what they decide."""

    title: str
    text: str
    results: Results | None = None
    decision: Decision | None = None
    signs: tuple[str, ...] = ()  # controlled words (content.vocabulary.SIGNS) first known at this step
    temperature_celsius: float | None = None  # measured at this step
    key: str | None = None  # a name options can jump to with ``next`` (lower-case-hyphenated)
    branch: bool = False  # reached only through an option's ``next``; the main path (file order) skips it

    def __post_init__(self) -> None:
        require_words("signs", self.signs, SIGNS)
        if self.key is not None and not STEP_KEY.fullmatch(self.key):
            raise FieldError("key", f"step key '{self.key}' must be lower-case words joined by hyphens, e.g. 'shock'")
        if self.temperature_celsius is not None and not 25 <= self.temperature_celsius <= 45:
            raise FieldError(
                "temperature_celsius", f"{self.temperature_celsius} °C is not a body temperature (25–45 °C)"
            )


@dataclass(frozen=True)
class Deadline:
    """A time-critical action the case summary scores: given by ``within_minutes`` of minute 0 (arrival), or of
    the minute step ``from_step`` is reached when the deadline really starts mid-case (a fever on the ward)?"""

    action: str  # a content.vocabulary.ACTIONS word
    within_minutes: float
    why: str  # the rule and where it comes from, in one sentence
    sources: tuple[str, ...]
    from_step: str | None = None  # the key of the step whose arrival starts this deadline's clock (default minute 0)


@dataclass(frozen=True)
class Patient:
    """Who the case is about. ``age_months`` (0–23) gives an infant's age more exactly; it is allowed only when
    ``age_years`` is 0 or 1 and must agree with it (a 4-month-old: age_years = 0, age_months = 4)."""

    age_years: int
    sex: str
    age_months: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.age_years <= 110:
            raise FieldError("age_years", f"{self.age_years} is not an age in years (0–110)")
        require_one_of("sex", self.sex, PATIENT_SEXES)
        if self.age_months is not None:
            if self.age_years > 1:
                raise FieldError(
                    "age_months", f"age_months is for infants (age_years 0 or 1); this patient is {self.age_years}"
                )
            if not 0 <= self.age_months <= 23 or self.age_months // 12 != self.age_years:
                raise FieldError(
                    "age_months",
                    f"{self.age_months} months does not agree with age_years = {self.age_years}; expected "
                    f"{12 * self.age_years}–{12 * self.age_years + 11} months",
                )

    @property
    def age(self) -> float:
        """The age in years used to read reference ranges: months / 12 for an infant given in months."""
        return self.age_months / 12 if self.age_months is not None else float(self.age_years)


@content_schema("case", array="case")
@dataclass(frozen=True)
class Case:
    """A clinical vignette: a leukaemia or one of its mimics, told in steps."""

    key: str
    title: str
    kind: str
    diagnosis: str
    patient: Patient
    steps: tuple[Step, ...]
    teaching_points: tuple[str, ...]
    sources: tuple[str, ...]
    conditions: tuple[str, ...] = ()  # controlled words (content.vocabulary.CONDITIONS) the case is about
    deadlines: tuple[Deadline, ...] = ()  # time-critical actions the summary scores

    def __post_init__(self) -> None:
        require_one_of("kind", self.kind, CASE_KINDS)
        require_words("conditions", self.conditions, CONDITIONS)
        if not self.steps:
            raise FieldError("steps", "a case needs at least one step")
        if not any(step.decision is not None for step in self.steps):
            raise FieldError("steps", "a case needs at least one step with a decision for the student")
        listed = set(self.sources)
        for number, step in enumerate(self.steps, start=1):
            if step.decision is None:
                continue
            for option in step.decision.options:
                missing = [key for key in option.sources if key not in listed]
                if missing:
                    raise FieldError(
                        "sources",
                        f"step {number} option '{option.text}' cites {', '.join(missing)}, "
                        "which the case's own sources list does not include",
                    )
        check_deadlines(self.deadlines, listed, tuple(step.key for step in self.steps if step.key))
        check_branching(self)

    @property
    def decision_steps(self) -> int:
        """How many steps ask the student to decide (on any path, branch steps included)."""
        return sum(step.decision is not None for step in self.steps)

    def step_index(self, step_key: str) -> int:
        """The index (from 0) of the step keyed ``step_key``; KeyError listing the keys when there is none."""
        for index, step in enumerate(self.steps):
            if step.key == step_key:
                return index
        known = ", ".join(repr(step.key) for step in self.steps if step.key) or "none"
        raise KeyError(f"no step keyed '{step_key}' in case '{self.key}'; the step keys are: {known}")

    def default_next_index(self, step_index: int) -> int | None:
        """The next non-branch step after ``step_index`` in file order, or None when the case ends there."""
        for index in range(step_index + 1, len(self.steps)):
            if not self.steps[index].branch:
                return index
        return None

    def next_step_index(self, step_index: int, option: Option | None = None) -> int | None:
        """Where the case goes from step ``step_index`` (from 0) after ``option`` (None for a step without a
        decision): the step ``option.next`` names, None when the option ends the case (``end``) or no step is
        left, else the next non-branch step in file order."""
        if option is not None and option.end:
            return None
        if option is not None and option.next is not None:
            return self.step_index(option.next)
        return self.default_next_index(step_index)


def cases(data_dir: Path | None = None) -> dict[str, Case]:
    """Every case in ``data/cases/*.toml`` (one case per file, usually), by key; loading is cached."""
    from . import store

    folder = Path(data_dir) if data_dir is not None else paths.data_dir()
    found: dict[str, Case] = {}
    for path in sorted((folder / "cases").glob("*.toml")):
        for case in store.entries(f"cases/{path.name}", Case, array="case", data_dir=folder):
            if case.key in found:
                raise ContentError(
                    path,
                    f"duplicate case key '{case.key}'; another case file already uses it",
                    entry=case.key,
                    field="key",
                )
            found[case.key] = case
    return found


def case(case_key: str, data_dir: Path | None = None) -> Case:
    """One case by key, or a clear error listing the keys there are."""
    if not isinstance(case_key, str):
        raise TypeError(f"case_key must be text such as 'child-all', got {case_key!r}")
    available = cases(data_dir)
    if case_key not in available:
        raise KeyError(f"unknown case '{case_key}'; expected one of: {', '.join(sorted(available))}")
    return available[case_key]


def case_keys(data_dir: Path | None = None) -> tuple[str, ...]:
    """The keys of every case in the course, leukaemias first, in file order."""
    every = cases(data_dir)
    return tuple(sorted(every, key=lambda key: (every[key].kind != "leukaemia", key)))
