"""A lint of the self-check banks (``petechiae-edu check`` and the test suite): the rules a medical school's
assessment lead applies to single-best-answer items. Pure functions over the question records.

Every rule is a failure, not advice: ``petechiae-edu check`` reports a broken rule as a PROBLEM (exit status 1)
and ``tests/test_bank_lint.py`` runs the lint over the shipped banks, so a new item that breaks a rule fails CI.

Per bank (one lesson):
    * at least :data:`MIN_ITEMS` items; at least :data:`MIN_HIGHER_ORDER_SHARE` at the apply or analyse level;
      at most :data:`MAX_EVIDENCE_ITEMS` evidence-reading item;
    * the key in no one position in more than :data:`MAX_POSITION_SHARE` of items (students see a per-student
      shuffle, but the stored order is balanced too), and the key the strictly longest option in at most
      :data:`MAX_LONGEST_KEY_SHARE` of items — test-wise students pick the longest option, so a bank where the key
      is usually longest can be passed without reading;
    * no absolute words ("always", "never", "proves" …) in distractors: test-wise students rule them out;
Per item: 4 or 5 options, each with its own feedback; an objective of its lesson, a Bloom level, a kind and the
fact it tests; a vignette stem of at least :data:`MIN_VIGNETTE_CHARACTERS` characters ending in a question; no
word about the course's own mechanics in the stem.
Across the course: no stem and no fact twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .quizzes import LEVELS, QuizQuestion

MIN_ITEMS = 8
MIN_HIGHER_ORDER_SHARE = 0.60
MAX_EVIDENCE_ITEMS = 1
MAX_LONGEST_KEY_SHARE = 0.40
MAX_POSITION_SHARE = 0.35
OPTION_COUNTS = (4, 5)
MIN_VIGNETTE_CHARACTERS = 120
ABSOLUTE_WORDS = ("always", "never", "proves", "proven", "impossible", "guarantees", "all patients", "no patient")
MECHANICS_WORDS = ("explorer", "slider", "widget", "this lesson", "the course", "teaching model", "notebook")
_ABSOLUTE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)
_MECHANICS = re.compile(r"\b(" + "|".join(re.escape(word) for word in MECHANICS_WORDS) + r")\b", re.IGNORECASE)


def _stem(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def key_is_longest(question: QuizQuestion) -> bool:
    """True when the key is strictly longer than every distractor (characters)."""
    key = len(question.good_option.text)
    return all(key > len(option.text) for option in question.options if not option.good)


def item_problems(question: QuizQuestion, objectives: frozenset[str] | None = None) -> list[str]:
    """What is wrong with one item on its own (empty when nothing is)."""
    problems = []
    missing = [name for name in ("objective", "level", "kind", "fact") if not getattr(question, name)]
    if missing:
        problems.append(f"no {', '.join(missing)}")
    if objectives is not None and question.objective and question.objective not in objectives:
        problems.append(
            f"objective '{question.objective}' is not one of the lesson's ({', '.join(sorted(objectives))})"
        )
    if len(question.options) not in OPTION_COUNTS:
        problems.append(f"{len(question.options)} options (expected 4 or 5)")
    without = [number for number, option in enumerate(question.options, start=1) if not option.feedback.strip()]
    if without:
        problems.append(f"option(s) {', '.join(map(str, without))} have no feedback")
    mechanics = _MECHANICS.search(question.prompt)
    if mechanics:
        problems.append(f"the stem is about the course's mechanics ('{mechanics.group(1)}')")
    if question.kind == "vignette":
        stem = question.prompt.strip()
        if len(stem) < MIN_VIGNETTE_CHARACTERS or not stem.endswith("?"):
            problems.append(
                f"a vignette stem needs a patient and a lead-in question: at least {MIN_VIGNETTE_CHARACTERS} "
                f"characters ending in '?' (it has {len(stem)})"
            )
    return problems


@dataclass(frozen=True)
class BankLint:
    """The lint of one bank: its figures, and every rule it breaks (:meth:`problems`)."""

    lesson: str
    items: int
    key_positions: Mapping[int, int]  # option number -> items keyed there
    longest_key_share: float
    levels: Mapping[str, int]  # Bloom level -> items
    evidence_items: int
    objectives_assessed: tuple[str, ...]
    absolute_distractors: tuple[tuple[str, str], ...]  # (question key, the word)
    duplicate_stems: tuple[str, ...]  # question keys whose stem appears elsewhere in the course
    duplicate_facts: tuple[str, ...]  # question keys whose fact another item also tests
    item_problems: tuple[tuple[str, str], ...] = ()  # (question key, what is wrong)

    @property
    def commonest_position_share(self) -> float:
        return max(self.key_positions.values()) / self.items if self.items else 0.0

    @property
    def higher_order_share(self) -> float:
        """The share of items at the apply or analyse level."""
        return (self.levels.get("apply", 0) + self.levels.get("analyse", 0)) / self.items if self.items else 0.0

    def problems(self) -> list[str]:
        """Every rule the bank breaks, in words; empty when it meets them all."""
        found = []
        if self.items < MIN_ITEMS:
            found.append(f"{self.items} items (at least {MIN_ITEMS})")
        if self.higher_order_share < MIN_HIGHER_ORDER_SHARE:
            found.append(f"{self.higher_order_share:.0%} at apply/analyse (at least {MIN_HIGHER_ORDER_SHARE:.0%})")
        if self.evidence_items > MAX_EVIDENCE_ITEMS:
            found.append(f"{self.evidence_items} evidence items (at most {MAX_EVIDENCE_ITEMS})")
        if self.longest_key_share > MAX_LONGEST_KEY_SHARE:
            found.append(
                f"the key is the longest option in {self.longest_key_share:.0%} (at most {MAX_LONGEST_KEY_SHARE:.0%})"
            )
        if self.commonest_position_share > MAX_POSITION_SHARE:
            found.append(
                f"one position holds the key in {self.commonest_position_share:.0%} (at most {MAX_POSITION_SHARE:.0%})"
            )
        if self.absolute_distractors:
            words = ", ".join(f"{key} ('{word}')" for key, word in self.absolute_distractors)
            found.append(f"absolute words in distractors: {words}")
        if self.duplicate_stems:
            found.append(f"the stem of {', '.join(self.duplicate_stems)} appears twice in the course")
        if self.duplicate_facts:
            found.append(f"the fact of {', '.join(self.duplicate_facts)} is tested twice in the course")
        found.extend(f"item '{key}': {problem}" for key, problem in self.item_problems)
        return found

    def line(self) -> str:
        """The bank's figures on one line (what ``petechiae-edu check`` prints)."""
        spread = " ".join(f"{position}:{count}" for position, count in sorted(self.key_positions.items()))
        bloom = "/".join(str(self.levels.get(level, 0)) for level in LEVELS)
        return (
            f"{self.items} items; Bloom recall/apply/analyse {bloom}; key positions {spread}; key is the longest "
            f"option in {self.longest_key_share:.0%}; {self.evidence_items} evidence item(s); "
            f"{len(self.objectives_assessed)} objective(s) assessed"
        )


def lint_banks(
    banks: Mapping[str, Sequence[QuizQuestion]], objectives: Mapping[str, frozenset[str]] | None = None
) -> list[BankLint]:
    """One :class:`BankLint` per bank (lesson number -> its questions); stems and facts are checked across banks.

    ``objectives`` (lesson number -> its objective keys, from ``data/course.toml``) lets the lint check that each
    item names an objective of its own lesson; without it that check is skipped.
    """
    stems = Counter(_stem(question.prompt) for questions in banks.values() for question in questions)
    facts = Counter(question.fact for questions in banks.values() for question in questions if question.fact)
    lints = []
    for lesson, questions in sorted(banks.items()):
        positions = Counter(question.good_number for question in questions)
        absolute = tuple(
            (question.key, match.group(1).lower())
            for question in questions
            for option in question.options
            if not option.good
            for match in [_ABSOLUTE.search(option.text)]
            if match
        )
        allowed = None if objectives is None else objectives.get(lesson, frozenset())
        lints.append(
            BankLint(
                lesson=lesson,
                items=len(questions),
                key_positions=dict(positions),
                longest_key_share=(sum(key_is_longest(q) for q in questions) / len(questions)) if questions else 0.0,
                levels=dict(Counter(q.level for q in questions if q.level)),
                evidence_items=sum(q.kind == "evidence" for q in questions),
                objectives_assessed=tuple(sorted({q.objective for q in questions if q.objective})),
                absolute_distractors=absolute,
                duplicate_stems=tuple(q.key for q in questions if stems[_stem(q.prompt)] > 1),
                duplicate_facts=tuple(q.key for q in questions if q.fact and facts[q.fact] > 1),
                item_problems=tuple((q.key, problem) for q in questions for problem in item_problems(q, allowed)),
            )
        )
    return lints
