"""The case generator: a seeded version of a clinical case, with counts varied within their stated ranges.

Each blood value in a case file is written as ``{ value, low, high, units }``. A generated version draws
each value from a triangular distribution between ``low`` and ``high`` that peaks at the written value, and
rounds it (platelets to whole numbers, the rest to one decimal). The same case and seed always give the same
version; different seeds give different versions of the same story.

Assumptions and limits
    * The ranges are the case author's choice, set so that the story and its feedback stay true anywhere
      inside them (for example, "very low platelets" holds at every value of the range). They are not
      population distributions: the generator does not say how common a count is.
    * Values of one step are drawn independently, except that the parts of the white count (neutrophils,
      lymphocytes) are drawn after the total and capped so that their sum never exceeds the WBC.
    * Steps are independent of each other: a later count is not derived from an earlier one. Every step is varied,
      branch steps (reached only after a delaying choice, :mod:`petechiae_edu.models.case_path`) included, so a
      version is the same whichever path a student takes through it.

An infant may be given in months (``age_months`` on the case's patient, 0–23): the version then calls him a
"4-month-old boy" and :attr:`CaseVersion.age` (months / 12, in years) is the age its counts are read against.

Units: cell counts ×10^9/L (= ×10^3/µL), haemoglobin g/dL; ages in years (months for an infant).

Pure: :func:`vary_case` takes a loaded case and the table of analytes (label, units, decimals kept) and does
no I/O; :func:`petechiae_edu.calibrated.generate_case` (``petechiae_edu.generate_case``) loads a case by key
from ``data/cases/`` and varies it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .. import validation

# analyte -> (label shown to students, units, decimals a generated version keeps)
AnalyteTable = Mapping[str, tuple[str, str, int]]


class MeasurementLike(Protocol):
    """A blood value as written in a case, with the range a version may vary it in."""

    @property
    def value(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def units(self) -> str: ...


class ResultsLike(Protocol):
    """What a step of a case reveals: counts and written findings."""

    @property
    def findings(self) -> tuple[str, ...]: ...

    def measurements(self) -> tuple[tuple[str, MeasurementLike], ...]: ...


class StepLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def results(self) -> ResultsLike | None: ...
    @property
    def decision(self) -> Any: ...
    @property
    def key(self) -> str | None: ...
    @property
    def branch(self) -> bool: ...


class PatientLike(Protocol):
    @property
    def age_years(self) -> int: ...
    @property
    def sex(self) -> str: ...


class CaseLike(Protocol):
    """A loaded case (``petechiae_edu.content.cases.Case``): what :func:`vary_case` reads from it.

    Members are read-only properties, so frozen dataclass records satisfy the protocols.
    """

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def diagnosis(self) -> str: ...
    @property
    def patient(self) -> PatientLike: ...
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def teaching_points(self) -> tuple[str, ...]: ...
    @property
    def sources(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class CountValue:
    """One blood value of a generated version, with the range it was drawn from."""

    analyte: str
    label: str
    value: float
    units: str
    range_low: float
    range_high: float
    decimals: int  # as the report prints it: platelets whole, the rest to one decimal

    @property
    def shown(self) -> str:
        """The value as a report prints it (platelets whole, the rest to one decimal)."""
        return f"{self.value:.{self.decimals}f}"

    def text(self) -> str:
        """E.g. 'Platelets 23 ×10^9/L'."""
        return f"{self.label} {self.shown} {self.units}"


@dataclass(frozen=True)
class StepVersion:
    """One step of a generated version: the text, the drawn counts, written findings, the decision."""

    title: str
    text: str
    counts: tuple[CountValue, ...]
    findings: tuple[str, ...]
    decision: Any  # the case's decision (prompt and options), passed through unchanged; None: no decision
    key: str | None = None  # the step's key in the case file (options' ``next`` name it)
    branch: bool = False  # reached only through an option's ``next`` (a consequence of a choice)

    def count(self, analyte: str) -> CountValue:
        for value in self.counts:
            if value.analyte == analyte:
                return value
        shown = ", ".join(v.analyte for v in self.counts) or "none"
        raise KeyError(f"this step has no '{analyte}' result; it has: {shown}")

    @property
    def has_results(self) -> bool:
        return bool(self.counts or self.findings)


@dataclass(frozen=True)
class CaseVersion:
    """A generated version of a case: what a student sees, fixed by ``case_key`` and ``seed``."""

    case_key: str
    seed: int
    title: str
    kind: str
    diagnosis: str
    age_years: int
    sex: str
    steps: tuple[StepVersion, ...]
    teaching_points: tuple[str, ...]
    sources: tuple[str, ...]
    age_months: int | None = None  # an infant's age in months (0–23), when the case gives it

    @property
    def age(self) -> float:
        """The age in years the reference ranges are read at: months / 12 for an infant given in months."""
        return self.age_months / 12 if self.age_months is not None else float(self.age_years)

    @property
    def patient(self) -> str:
        """E.g. '4-month-old boy', '4-year-old boy', '58-year-old woman'."""
        if self.age_years < 18:
            noun = "boy" if self.sex == "male" else "girl"
        else:
            noun = "man" if self.sex == "male" else "woman"
        if self.age_months is not None:
            return f"{self.age_months}-month-old {noun}"
        return f"{self.age_years}-year-old {noun}"

    def all_counts(self) -> tuple[tuple[int, CountValue], ...]:
        """(step number counting from 1, value) for every count in the version."""
        return tuple((number, value) for number, step in enumerate(self.steps, start=1) for value in step.counts)

    def counts_summary(self) -> str:
        """Every count of the version on one line per step that has counts."""
        lines = []
        for number, step in enumerate(self.steps, start=1):
            if step.counts:
                values = "; ".join(value.text() for value in step.counts)
                lines.append(f"step {number} ({step.title}): {values}")
        return "\n".join(lines) if lines else "no counts in this case"


def check_seed(seed: object) -> int:
    """``seed`` as an int (:func:`petechiae_edu.validation.seed`): TypeError unless it is a whole number, ValueError
    when negative."""
    return validation.seed(seed)


def _round_down(value: float, decimals: int) -> float:
    factor = 10**decimals
    return math.floor(value * factor + 1e-9) / factor


def _draw(rng: np.random.Generator, low: float, mode: float, high: float, decimals: int) -> float:
    """A triangular draw on [low, high] peaking at ``mode``, rounded and kept inside the range."""
    if high <= low:
        return round(low, decimals)
    mode = min(max(mode, low), high)
    drawn = float(rng.triangular(low, mode, high))
    return min(max(round(drawn, decimals), low), high)


def _vary_results(
    results: ResultsLike, rng: np.random.Generator, analytes: AnalyteTable, white_cell_parts: Sequence[str]
) -> tuple[CountValue, ...]:
    drawn: dict[str, float] = {}
    given = dict(results.measurements())
    if "wbc" in given:
        wbc = given["wbc"]
        drawn["wbc"] = _draw(rng, wbc.low, wbc.value, wbc.high, analytes["wbc"][2])
        parts = [name for name in white_cell_parts if name in given]
        for index, name in enumerate(parts):
            part = given[name]
            decimals = analytes[name][2]
            still_to_draw = sum(given[later].low for later in parts[index + 1 :])
            already = sum(drawn[earlier] for earlier in parts[:index])
            cap = _round_down(drawn["wbc"] - already - still_to_draw, decimals)
            value = _draw(rng, part.low, part.value, min(part.high, cap), decimals)
            drawn[name] = min(value, max(cap, part.low))
    for name, measurement in given.items():
        if name not in drawn:
            drawn[name] = _draw(rng, measurement.low, measurement.value, measurement.high, analytes[name][2])
    return tuple(_count_value(name, given[name], drawn[name], analytes) for name in given)


def _count_value(name: str, measurement: MeasurementLike, value: float, analytes: AnalyteTable) -> CountValue:
    label, _units, decimals = analytes[name]
    return CountValue(name, label, value, measurement.units, measurement.low, measurement.high, decimals)


def vary_case(case: CaseLike, seed: int, *, analytes: AnalyteTable, white_cell_parts: Sequence[str]) -> CaseVersion:
    """A version of ``case`` whose counts are drawn within their stated ranges; deterministic for ``seed``.

    Pure: takes a loaded :class:`~petechiae_edu.content.cases.Case`, the analyte table (analyte → label,
    units, decimals kept) and the parts of the white count (drawn after the WBC, their sum capped by it);
    does no I/O.
    """
    seed = check_seed(seed)
    rng = np.random.default_rng([seed, zlib.crc32(case.key.encode("utf-8"))])
    steps = []
    for step in case.steps:
        counts: tuple[CountValue, ...] = ()
        findings: tuple[str, ...] = ()
        if step.results is not None:
            counts = _vary_results(step.results, rng, analytes, white_cell_parts)
            findings = step.results.findings
        steps.append(StepVersion(step.title, step.text, counts, findings, step.decision, step.key, step.branch))
    return CaseVersion(
        case_key=case.key,
        seed=seed,
        title=case.title,
        kind=case.kind,
        diagnosis=case.diagnosis,
        age_years=case.patient.age_years,
        sex=case.patient.sex,
        steps=tuple(steps),
        teaching_points=case.teaching_points,
        sources=case.sources,
        age_months=getattr(case.patient, "age_months", None),
    )
