"""Which named patterns a blood count shows: one short test per pattern key, the rules themselves passed in as data.

The clinical content of each pattern (its name, definition, thresholds with units, urgency, next steps and sources)
is a :class:`PatternRule`, built by :mod:`petechiae_edu.calibrated` from ``data/cbc_patterns.toml``. This module
holds only the tests that decide when a pattern applies, keyed by the pattern's key, and reads every number they
need from the rule (``rule.threshold("wbc_above")``). :func:`check_rules` refuses rules that name a pattern no test
exists for, or leave out a pattern the interpreter knows, so the data and the code cannot drift apart silently.

"Low" and "high" mean below or above the range for the patient's age and sex; a value with no range for that age
is neither, so it never completes a pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LOW, NORMAL, HIGH = "low", "normal", "high"
NO_RANGE = "no range"
URGENCY_ORDER = ("emergency", "immediate", "very urgent", "urgent", "routine")
CORE_FIELDS = ("haemoglobin", "wbc", "anc", "lymphocytes", "platelets")
DIFFERENTIAL = ("anc", "lymphocytes", "monocytes", "eosinophils", "basophils")
FILM_FINDINGS = (
    "blasts",
    "auer_rods",
    "smudge_cells",
    "schistocytes",
    "platelet_clumps",
    "large_platelets",
    "left_shift",
    "abnormal_promyelocytes",
)
# Film words that mean blasts or their equivalents (Auer rods sit only in blasts; the abnormal promyelocytes of APL
# are counted with the blasts).
BLAST_WORDS = frozenset({"blasts", "auer_rods", "abnormal_promyelocytes"})


@dataclass(frozen=True)
class PatternRule:
    """One pattern as data: what it is called, when (in words), how fast to act, what next, on what sources."""

    key: str
    name: str
    definition: str
    urgency: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]
    thresholds: tuple[tuple[str, float, str], ...] = ()  # (name, value, units)
    not_with: tuple[str, ...] = ()

    def threshold(self, name: str) -> float:
        """The value of threshold ``name``; KeyError naming the pattern and what it has when it is missing."""
        for threshold_name, value, _units in self.thresholds:
            if threshold_name == name:
                return value
        have = ", ".join(t[0] for t in self.thresholds) or "none"
        raise KeyError(f"pattern '{self.key}' needs a threshold '{name}' in its rule (it has: {have})")


@dataclass(frozen=True)
class Coagulation:
    """A coagulation screen: PT and APTT in seconds, fibrinogen g/L, D-dimer mg/L FEU (None: not measured)."""

    pt_seconds: float | None = None
    aptt_seconds: float | None = None
    fibrinogen: float | None = None
    d_dimer: float | None = None

    @property
    def measured(self) -> bool:
        return any(v is not None for v in (self.pt_seconds, self.aptt_seconds, self.fibrinogen, self.d_dimer))


@dataclass(frozen=True)
class CountPicture:
    """Everything the pattern tests look at: the values, their flags for this age, the film and the clotting."""

    values: dict[str, float]
    flags: dict[str, str]
    blasts_percent: float | None = None
    film: frozenset[str] = frozenset()
    coagulation: Coagulation = field(default_factory=Coagulation)
    mcv: float | None = None
    age_years: float | None = None

    def low(self, name: str) -> bool:
        return self.flags.get(name) == LOW

    def high(self, name: str) -> bool:
        return self.flags.get(name) == HIGH

    def normal(self, name: str) -> bool:
        return self.flags.get(name) == NORMAL

    @property
    def blasts_seen(self) -> bool:
        """Blasts reported (a percentage above 0, or a word of :data:`BLAST_WORDS` on the film)."""
        counted = self.blasts_percent is not None and self.blasts_percent > 0
        return counted or bool(BLAST_WORDS & self.film)

    def acute_blasts(self, blasts_percent_at_least: float) -> bool:
        """Blasts that point to an ACUTE leukaemia: a blast share at or above ``blasts_percent_at_least`` (%), Auer
        rods or abnormal promyelocytes, or blasts on the film with no share counted (chronic-phase CML shows a few
        blasts, so a small counted share does not)."""
        if {"auer_rods", "abnormal_promyelocytes"} & self.film:
            return True
        if self.blasts_percent is None:
            return "blasts" in self.film
        return self.blasts_percent >= blasts_percent_at_least

    @property
    def white_cells_low(self) -> bool:
        """The white line is low: the total, or the neutrophils when the total is not raised (blasts can fill it)."""
        return self.low("wbc") or (self.low("anc") and not self.high("wbc"))

    @property
    def lines_low(self) -> int:
        """How many of the three cell lines (red cells, white cells, platelets) are below their ranges."""
        return sum((self.low("haemoglobin"), self.white_cells_low, self.low("platelets")))


Test = Callable[[CountPicture, PatternRule], bool]


def _hyperleukocytosis(p: CountPicture, rule: PatternRule) -> bool:
    return p.values["wbc"] > rule.threshold("wbc_above") and p.acute_blasts(rule.threshold("blasts_percent_at_least"))


def _very_high_white_count(p: CountPicture, rule: PatternRule) -> bool:
    acute = p.acute_blasts(rule.threshold("blasts_percent_at_least"))
    return p.values["wbc"] > rule.threshold("wbc_above") and not acute


def _dic(p: CountPicture, rule: PatternRule) -> bool:
    c = p.coagulation
    if c.d_dimer is None or (c.pt_seconds is None and c.aptt_seconds is None):
        return False
    pt_long = c.pt_seconds is not None and c.pt_seconds > rule.threshold("pt_upper_limit")
    aptt_long = c.aptt_seconds is not None and c.aptt_seconds > rule.threshold("aptt_upper_limit")
    return p.low("platelets") and c.d_dimer > rule.threshold("d_dimer_upper_limit") and (pt_long or aptt_long)


def _suspected_apl(p: CountPicture, rule: PatternRule, dic_rule: PatternRule | None = None) -> bool:
    """Blasts (or abnormal promyelocytes) with ANY sign of a coagulopathy: a low fibrinogen (the most telling sign in
    APL), a raised D-dimer or a prolonged PT or APTT; the full DIC pattern is not needed."""
    if dic_rule is None or not p.acute_blasts(rule.threshold("blasts_percent_at_least")):
        return False
    c = p.coagulation
    return (
        (c.fibrinogen is not None and c.fibrinogen < rule.threshold("fibrinogen_below"))
        or (c.d_dimer is not None and c.d_dimer > dic_rule.threshold("d_dimer_upper_limit"))
        or (c.pt_seconds is not None and c.pt_seconds > dic_rule.threshold("pt_upper_limit"))
        or (c.aptt_seconds is not None and c.aptt_seconds > dic_rule.threshold("aptt_upper_limit"))
    )


def _microangiopathic(p: CountPicture, rule: PatternRule) -> bool:
    return "schistocytes" in p.film and p.low("platelets")


def _pancytopenia(p: CountPicture, rule: PatternRule) -> bool:
    # A high total count with few neutrophils (blasts crowding the blood) is not pancytopenia.
    return p.lines_low == 3


def _bicytopenia(p: CountPicture, rule: PatternRule) -> bool:
    # With a raised white count the picture is 'leukocytosis with cytopenia' instead.
    return p.lines_low == 2 and not p.high("wbc")


def _leukocytosis_with_cytopenia(p: CountPicture, rule: PatternRule) -> bool:
    return p.high("wbc") and (p.low("haemoglobin") or p.low("platelets")) and not p.blasts_seen


def _thrombocytopenia_with_other_changes(p: CountPicture, rule: PatternRule) -> bool:
    # The catch-all for a low platelet count: it is named only when no more specific pattern is (see not_with).
    return p.low("platelets") and not _isolated_thrombocytopenia(p, rule)


def _severe_neutropenia(p: CountPicture, rule: PatternRule) -> bool:
    return p.values["anc"] <= rule.threshold("anc_at_or_below")


def _severe_anaemia(p: CountPicture, rule: PatternRule) -> bool:
    return p.values["haemoglobin"] < rule.threshold("haemoglobin_below")


def _macrocytic_pancytopenia(p: CountPicture, rule: PatternRule) -> bool:
    return _pancytopenia(p, rule) and p.mcv is not None and p.mcv > rule.threshold("mcv_above")


def _leukocytosis_with_blasts(p: CountPicture, rule: PatternRule) -> bool:
    return p.blasts_seen and p.high("wbc")


def _blasts_on_film(p: CountPicture, rule: PatternRule) -> bool:
    return p.blasts_seen


def _cml_picture(p: CountPicture, rule: PatternRule) -> bool:
    # The left shift is the usual company but not required: neutrophilia and basophilia with few blasts suffice.
    few_blasts = p.blasts_percent is None or p.blasts_percent < rule.threshold("blasts_percent_below")
    return p.high("anc") and p.high("basophils") and few_blasts


def _pseudothrombocytopenia(p: CountPicture, rule: PatternRule) -> bool:
    # Only where a falsely low count can wait for the citrate repeat: an adult with platelets not far down. Clumps
    # and a true thrombocytopenia can coexist, so a child or a low count is read as real until the repeat.
    adult = p.age_years is not None and p.age_years >= rule.threshold("adult_from_years")
    not_far_down = p.values["platelets"] >= rule.threshold("platelets_at_least")
    return "platelet_clumps" in p.film and p.low("platelets") and adult and not_far_down


def _isolated_thrombocytopenia(p: CountPicture, rule: PatternRule) -> bool:
    # A value with no range at this age (a newborn's neutrophils on days 1-3) is not known to be abnormal.
    others = ("haemoglobin", "wbc", "anc", "lymphocytes")
    return p.low("platelets") and all(p.flags.get(name) in (NORMAL, NO_RANGE) for name in others)


def _differential_shortfall(p: CountPicture, rule: PatternRule) -> bool:
    # Blasts or a left shift (immature granulocytes) on the film already account for cells outside the five groups.
    if p.blasts_seen or "left_shift" in p.film or not all(name in p.values for name in DIFFERENTIAL):
        return False
    counted = sum(p.values[name] for name in DIFFERENTIAL)
    return p.values["wbc"] - counted > rule.threshold("unexplained_fraction_above") * p.values["wbc"]


def _lymphocytosis(p: CountPicture, rule: PatternRule) -> bool:
    return p.high("lymphocytes")


def _neutrophils_mildly_low(p: CountPicture, rule: PatternRule) -> bool:
    others_normal = all(p.normal(name) for name in ("haemoglobin", "lymphocytes", "platelets"))
    quiet_film = not (p.film - {"large_platelets"})
    # Not in the first month: a newborn's low neutrophils can be a sign of sepsis, never "their normal".
    old_enough = p.age_years is not None and p.age_years >= rule.threshold("age_from_years")
    return (
        old_enough
        and p.low("anc")
        and p.values["anc"] >= rule.threshold("anc_at_least")
        and others_normal
        and not p.high("wbc")
        and not p.blasts_seen
        and quiet_film
    )


TESTS: dict[str, Test] = {
    "hyperleukocytosis": _hyperleukocytosis,
    "very_high_white_count": _very_high_white_count,
    "suspected_apl": _suspected_apl,  # needs the DIC rule too: see name_patterns
    "microangiopathic_picture": _microangiopathic,
    "dic_pattern": _dic,
    "pancytopenia": _pancytopenia,
    "bicytopenia": _bicytopenia,
    "leukocytosis_with_cytopenia": _leukocytosis_with_cytopenia,
    "macrocytic_pancytopenia": _macrocytic_pancytopenia,
    "leukocytosis_with_blasts": _leukocytosis_with_blasts,
    "blasts_on_film": _blasts_on_film,
    "neutrophilia_left_shift_basophilia": _cml_picture,
    "pseudothrombocytopenia": _pseudothrombocytopenia,
    "isolated_thrombocytopenia": _isolated_thrombocytopenia,
    "thrombocytopenia_with_other_changes": _thrombocytopenia_with_other_changes,
    "severe_neutropenia": _severe_neutropenia,
    "severe_anaemia": _severe_anaemia,
    "differential_shortfall": _differential_shortfall,
    "lymphocytosis": _lymphocytosis,
    "neutrophils_mildly_low_otherwise_normal": _neutrophils_mildly_low,
}


def check_rules(rules: tuple[PatternRule, ...]) -> None:
    """ValueError unless ``rules`` hold exactly the patterns this module can test for, each with a known urgency."""
    keys = [rule.key for rule in rules]
    unknown = [key for key in keys if key not in TESTS]
    missing = [key for key in TESTS if key not in keys]
    if unknown:
        raise ValueError(f"no test for the pattern(s) {', '.join(unknown)}; the interpreter knows: {', '.join(TESTS)}")
    if missing:
        raise ValueError(f"the rules leave out the pattern(s) {', '.join(missing)} that the interpreter tests for")
    for rule in rules:
        if rule.urgency not in URGENCY_ORDER:
            raise ValueError(f"pattern '{rule.key}' has urgency '{rule.urgency}'; expected one of {URGENCY_ORDER}")


def name_patterns(picture: CountPicture, rules: tuple[PatternRule, ...]) -> tuple[PatternRule, ...]:
    """The rules whose test the count meets, in the rules' order, less those another named pattern covers."""
    by_key = {rule.key: rule for rule in rules}
    met = []
    for rule in rules:
        if rule.key == "suspected_apl":
            applies = _suspected_apl(picture, rule, by_key.get("dic_pattern"))
        else:
            applies = TESTS[rule.key](picture, rule)
        if applies:
            met.append(rule)
    named = {rule.key for rule in met}
    return tuple(rule for rule in met if not (set(rule.not_with) & named))
