"""A symptom timeline read off simulated blood counts: the day each expected sign first appears.

Each rule is "quantity below (or above) a threshold", with the source keys it rests on and a flag saying when
the link from the number to the sign is a teaching choice. Counts are ×10^9/L, haemoglobin g/dL.

The rules are data, not code: ``data/symptom_rules.toml`` holds every threshold with its unit, sign, sources and
teaching-choice flag, where a clinician can review them in one file (the file's comments say where each number
comes from). :mod:`petechiae_edu.calibrated` turns the records into a :class:`SymptomRuleSet` (the rules plus the
adult reference limits used for "first abnormal count") and registers it here as the course's default when it is
imported; this module never reads a file. Pass ``rules=`` to :func:`symptom_timeline` to use other rules.

Limits: symptoms depend on far more than one count (fever raises bleeding risk; age, speed of the fall and
other illnesses change how anaemia feels). The timeline shows when a sign becomes *likely*, not when a person
will have it. Sources are registered by :func:`petechiae_edu.calibrated.symptom_timeline` (``petechiae_edu.
symptom_timeline``) and the widgets; this module stays pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .. import validation
from .progression import ProgressionResult, check_result


@dataclass(frozen=True)
class SymptomRule:
    """A sign that becomes likely when ``quantity`` crosses ``threshold`` (below or above)."""

    key: str
    label: str
    quantity: str  # a ProgressionResult series: platelets, haemoglobin, anc, wbc, clone_blood_count
    threshold: float
    below: bool
    unit: str
    group: str  # bleeding, anaemia, infection, white_cells, clone
    sources: tuple[str, ...]
    teaching_choice: bool = False
    presets: tuple[str, ...] = ()  # empty: every preset
    urgency: str | None = None  # how fast to act once the sign appears (a word of the course's urgency scale)
    next_step: str | None = None

    def applies_to(self, preset: str) -> bool:
        return not self.presets or preset in self.presets

    @property
    def condition(self) -> str:
        return f"{self.quantity} {'<' if self.below else '>'} {self.threshold:g} {self.unit}"


@dataclass(frozen=True)
class SymptomRuleSet:
    """The rules, in order, and the reference limits (low, high) per quantity that define "first abnormal"."""

    rules: tuple[SymptomRule, ...]
    first_abnormal_limits: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = [rule.key for rule in self.rules]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a symptom rule key is used twice: {keys}")

    @property
    def by_key(self) -> dict[str, SymptomRule]:
        return {rule.key: rule for rule in self.rules}


_course_rules: Callable[[], SymptomRuleSet] | None = None


def use_course_rules(provider: Callable[[], SymptomRuleSet]) -> None:
    """Register the function that returns the course's rules (petechiae_edu.calibrated does this on import)."""
    global _course_rules
    _course_rules = provider


def course_rules() -> SymptomRuleSet:
    """The registered course rules; a clear error when none are registered and none were passed."""
    if _course_rules is None:
        raise ValueError(
            "no symptom rules: pass rules= (e.g. petechiae_edu.calibrated.symptom_rules()) or import "
            "petechiae_edu.calibrated, which registers the course's rules from data/symptom_rules.toml"
        )
    return _course_rules()


def __getattr__(name: str) -> object:
    # RULES and RULES_BY_KEY were module constants before the rules moved to data/; kept readable for old callers.
    if name == "RULES":
        return course_rules().rules
    if name == "RULES_BY_KEY":
        return course_rules().by_key
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class SymptomEvent:
    """A rule and the first day it was met (None: never within the simulated days)."""

    rule: SymptomRule
    first_day: int | None


@dataclass(frozen=True)
class SymptomTimeline:
    """Every rule that applies to the preset, with the day it first applies."""

    preset: str
    events: tuple[SymptomEvent, ...]
    first_abnormal_day: int | None
    first_abnormal_count: str | None

    def first_day(self, key: str) -> int | None:
        for event in self.events:
            if event.rule.key == key:
                return event.first_day
        raise ValueError(
            f"no symptom rule {key!r} for preset {self.preset!r}; known: {', '.join(e.rule.key for e in self.events)}"
        )

    def appearing(self) -> tuple[SymptomEvent, ...]:
        """The events that happen, in order of their day."""
        happened = [e for e in self.events if e.first_day is not None]
        return tuple(sorted(happened, key=lambda e: e.first_day or 0))  # every event here has a day

    @property
    def days_from_first_abnormal_to_petechiae(self) -> int | None:
        petechiae = self.first_day("petechiae")
        if petechiae is None or self.first_abnormal_day is None:
            return None
        return petechiae - self.first_abnormal_day

    def source_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for e in self.events for key in e.rule.sources))

    def summary(self) -> str:
        lines = [
            f"{self.preset}: first abnormal count on day {self.first_abnormal_day} ({self.first_abnormal_count})"
            if self.first_abnormal_day is not None
            else f"{self.preset}: counts stay in range"
        ]
        lines += [f"  day {e.first_day:>4}: {e.rule.label}" for e in self.appearing()]
        return "\n".join(lines)


def first_abnormal(
    result: ProgressionResult, after: float = 0, limits: dict[str, tuple[float, float]] | None = None
) -> tuple[int | None, str | None]:
    """The first day any quantity of ``limits`` (default: the course's platelets, WBC, ANC and haemoglobin limits)
    leaves its reference range, and which."""
    limits = limits if limits is not None else course_rules().first_abnormal_limits
    best: tuple[int | None, str | None] = (None, None)
    for quantity, (low, high) in limits.items():
        days = [
            d
            for d in (
                result.first_day(quantity, below=low, after=after),
                result.first_day(quantity, above=high, after=after),
            )
            if d is not None
        ]
        if days and (best[0] is None or min(days) < best[0]):
            best = (min(days), quantity)
    return best


def symptom_timeline(
    result: ProgressionResult, rules: SymptomRuleSet | None = None, *, after: float = 0
) -> SymptomTimeline:
    """The day each sign first becomes likely (on or after day ``after``), by ``rules`` (default: the course's).

    ``result`` is a simulated course (:func:`petechiae_edu.simulate`); ``after`` a day ≥ 0.
    """
    result = check_result(result)
    after = validation.days(after, "after")
    if rules is not None:
        validation.instance(rules, "rules", SymptomRuleSet, "give a SymptomRuleSet or leave it out")
    rule_set = rules if rules is not None else course_rules()
    events = []
    for rule in rule_set.rules:
        if not rule.applies_to(result.preset):
            continue
        if rule.below:
            day = result.first_day(rule.quantity, below=rule.threshold, after=after)
        else:
            day = result.first_day(rule.quantity, above=rule.threshold, after=after)
        events.append(SymptomEvent(rule, day))
    day, quantity = first_abnormal(result, after, rule_set.first_abnormal_limits)
    return SymptomTimeline(result.preset, tuple(events), day, quantity)
