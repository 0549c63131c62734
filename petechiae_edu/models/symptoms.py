"""A symptom timeline read off simulated blood counts: the day each expected sign first appears.

Each rule is "quantity below (or above) a threshold", with the source keys it rests on and a flag saying
when the link from the number to the sign is a teaching choice. Counts are ×10^9/L, haemoglobin g/dL.

Rules and where they come from
    * Platelets: below the reference range (<150; OER ranges); CTCAE grades 2–4 (<75, <50, <25; read in a
      textbook copy); the teaching heuristic of bands (<50 purpura and easy bruising increasingly common,
      bleeding risk greater <20 and further increased <10; a handbook-style page). Placing the **first
      expected petechiae** at <20 ×10^9/L is a teaching choice built on that heuristic: petechiae can appear
      at higher counts, and many people have none even lower.
    * Haemoglobin: below 12.3 g/dL (under both the female 12.3–15.3 and male 14–17.5 g/dL ranges). Pallor and
      fatigue at <10 g/dL and "marked anaemia" at <8 g/dL are teaching choices (the CTCAE anaemia grades were not
      verified for this course); pallor (54 %) and fatigue (46 %) are common in childhood leukaemia (Clarke
      2016) and the median haemoglobin at ALL diagnosis was 7.5 g/dL in one cohort.
    * Neutrophils: neutropenia mild <1.5, moderate <1.0, severe <0.5 ×10^9/L (ASCO/IDSA, Taplitz 2018, read
      in a glossary; the same cut-offs as CTCAE grades 2–4) and profound <0.1 ×10^9/L (a children's hospital
      pathway). Infection risk rises as neutropenia deepens.
    * White cells: above the reference range (>11.0); above 100 ×10^9/L, often called hyperleukocytosis: this
      threshold is a teaching choice (no sourced definition in the course's evidence); the CML WBC at
      presentation is often 100–300 ×10^9/L (handbook and LabCE pages).
    * Clonal lymphocytes (CLL preset only): above 5 ×10^9/L, the diagnostic threshold (Commun Med 2022).

Limits: symptoms depend on far more than one count (fever raises bleeding risk; age, speed of the fall and
other illnesses change how anaemia feels). The timeline shows when a sign becomes *likely*, not when a person
will have it. Sources are registered by the widgets (``cite``); this module stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .progression import ProgressionResult


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

    def applies_to(self, preset: str) -> bool:
        return not self.presets or preset in self.presets

    @property
    def condition(self) -> str:
        return f"{self.quantity} {'<' if self.below else '>'} {self.threshold:g} {self.unit}"


PLT = "×10^9/L"
RULES: tuple[SymptomRule, ...] = (
    SymptomRule("platelets_below_range", "Platelets below the reference range", "platelets", 150, True, PLT,
                "bleeding", ("oer_reference_ranges",)),
    SymptomRule("platelets_ctcae_grade2", "Platelet count decreased, CTCAE grade 2", "platelets", 75, True, PLT,
                "bleeding", ("clinicalpub_ctrt",)),
    SymptomRule("purpura_bruising", "Purpura and easy bruising increasingly common (CTCAE grade 3)", "platelets",
                50, True, PLT, "bleeding", ("alpfmedical_thrombocytopenia", "clinicalpub_ctrt")),
    SymptomRule("platelets_ctcae_grade4", "Platelet count decreased, CTCAE grade 4", "platelets", 25, True, PLT,
                "bleeding", ("clinicalpub_ctrt",)),
    SymptomRule("petechiae", "Petechiae expected: bleeding risk greater", "platelets", 20, True, PLT,
                "bleeding", ("alpfmedical_thrombocytopenia",), teaching_choice=True),
    SymptomRule("bleeding_risk_high", "Spontaneous bleeding risk further increased", "platelets", 10, True, PLT,
                "bleeding", ("alpfmedical_thrombocytopenia", "kaufman2015")),
    SymptomRule("anaemia", "Anaemia: haemoglobin below both reference ranges", "haemoglobin", 12.3, True, "g/dL",
                "anaemia", ("oer_reference_ranges",)),
    SymptomRule("pallor_fatigue", "Pallor and fatigue likely", "haemoglobin", 10, True, "g/dL", "anaemia",
                ("clarke2016",), teaching_choice=True),
    SymptomRule("marked_anaemia", "Marked anaemia (median at childhood ALL diagnosis 7.5 g/dL)", "haemoglobin",
                8, True, "g/dL", "anaemia", ("scielo_all_hispanic_cohort",), teaching_choice=True),
    SymptomRule("neutropenia_mild", "Mild neutropenia: infection risk starts to rise", "anc", 1.5, True, PLT,
                "infection", ("taplitz2018", "techoverflow2019")),
    SymptomRule("neutropenia_moderate", "Moderate neutropenia", "anc", 1.0, True, PLT, "infection",
                ("taplitz2018", "techoverflow2019")),
    SymptomRule("neutropenia_severe", "Severe neutropenia: high infection risk", "anc", 0.5, True, PLT,
                "infection", ("taplitz2018", "techoverflow2019")),
    SymptomRule("neutropenia_profound", "Profound neutropenia", "anc", 0.1, True, PLT, "infection",
                ("spectrum_alberta_childrens",)),
    SymptomRule("leukocytosis", "White cells above the reference range", "wbc", 11.0, False, PLT, "white_cells",
                ("oer_reference_ranges",)),
    SymptomRule("hyperleukocytosis", "WBC above 100 ×10^9/L (hyperleukocytosis; threshold a teaching choice)",
                "wbc", 100.0, False, PLT, "white_cells", ("labce_cml_features",), teaching_choice=True),
    SymptomRule("cll_threshold", "Clonal B cells above 5 ×10^9/L (CLL diagnostic threshold)",
                "clone_blood_count", 5.0, False, PLT, "clone", ("communmed2022_cll",), presets=("cll",)),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}

# reference ranges used for "first abnormal count" (OER; haemoglobin: below both the male and female range)
FIRST_ABNORMAL_LIMITS: dict[str, tuple[float, float]] = {
    "platelets": (150.0, 450.0),
    "wbc": (4.5, 11.0),
    "anc": (1.8, 7.8),
    "haemoglobin": (12.3, 17.5),
}


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
        raise ValueError(f"no symptom rule {key!r} for preset {self.preset!r}; known: "
                         f"{', '.join(e.rule.key for e in self.events)}")

    def appearing(self) -> tuple[SymptomEvent, ...]:
        """The events that happen, in order of their day."""
        happened = [e for e in self.events if e.first_day is not None]
        return tuple(sorted(happened, key=lambda e: e.first_day))

    @property
    def days_from_first_abnormal_to_petechiae(self) -> int | None:
        petechiae = self.first_day("petechiae")
        if petechiae is None or self.first_abnormal_day is None:
            return None
        return petechiae - self.first_abnormal_day

    def source_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for e in self.events for key in e.rule.sources))

    def summary(self) -> str:
        lines = [f"{self.preset}: first abnormal count on day {self.first_abnormal_day} ({self.first_abnormal_count})"
                 if self.first_abnormal_day is not None else f"{self.preset}: counts stay in range"]
        lines += [f"  day {e.first_day:>4}: {e.rule.label}" for e in self.appearing()]
        return "\n".join(lines)


def first_abnormal(result: ProgressionResult, after: float = 0) -> tuple[int | None, str | None]:
    """The first day any of platelets, WBC, ANC or haemoglobin leaves its reference range, and which."""
    best: tuple[int | None, str | None] = (None, None)
    for quantity, (low, high) in FIRST_ABNORMAL_LIMITS.items():
        days = [d for d in (result.first_day(quantity, below=low, after=after),
                            result.first_day(quantity, above=high, after=after)) if d is not None]
        if days and (best[0] is None or min(days) < best[0]):
            best = (min(days), quantity)
    return best


def symptom_timeline(result: ProgressionResult, *, after: float = 0) -> SymptomTimeline:
    """The day each sign first becomes likely (on or after day ``after``)."""
    events = []
    for rule in RULES:
        if not rule.applies_to(result.preset):
            continue
        if rule.below:
            day = result.first_day(rule.quantity, below=rule.threshold, after=after)
        else:
            day = result.first_day(rule.quantity, above=rule.threshold, after=after)
        events.append(SymptomEvent(rule, day))
    day, quantity = first_abnormal(result, after)
    return SymptomTimeline(result.preset, tuple(events), day, quantity)
