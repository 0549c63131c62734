"""A lint of the self-check banks (shown by ``petechiae-edu check``): what a medical school's assessment lead looks
at first. Pure functions over the question records.

Per bank: the number of items; where the key sits (option 1, 2, 3, 4 …); how often the key is the (strictly)
longest option — test-wise students pick the longest option, so a bank where the key is usually longest can be
passed without reading; distractors with absolute words ("always", "never", "proves" …), which test-wise students
rule out; and stems that appear twice in the course.

Targets (issue 14): at least :data:`MIN_ITEMS` items a bank, the key the longest option in at most
:data:`MAX_LONGEST_KEY_SHARE` of items, no position holding the key in more than :data:`MAX_POSITION_SHARE`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .quizzes import QuizQuestion

MIN_ITEMS = 8
MAX_LONGEST_KEY_SHARE = 0.40
MAX_POSITION_SHARE = 0.35
ABSOLUTE_WORDS = ("always", "never", "proves", "proven", "impossible", "guarantees", "all patients", "no patient")
_ABSOLUTE = re.compile(r"\b(" + "|".join(re.escape(word) for word in ABSOLUTE_WORDS) + r")\b", re.IGNORECASE)


def _stem(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def key_is_longest(question: QuizQuestion) -> bool:
    """True when the key is strictly longer than every distractor (characters)."""
    key = len(question.good_option.text)
    return all(key > len(option.text) for option in question.options if not option.good)


@dataclass(frozen=True)
class BankLint:
    lesson: str
    items: int
    key_positions: Mapping[int, int]  # option number -> items keyed there
    longest_key_share: float
    absolute_distractors: tuple[tuple[str, str], ...]  # (question key, the word)
    duplicate_stems: tuple[str, ...]  # question keys whose stem appears elsewhere in the course

    @property
    def commonest_position_share(self) -> float:
        return max(self.key_positions.values()) / self.items if self.items else 0.0

    def targets_missed(self) -> list[str]:
        missed = []
        if self.items < MIN_ITEMS:
            missed.append(f"fewer than {MIN_ITEMS} items")
        if self.longest_key_share > MAX_LONGEST_KEY_SHARE:
            missed.append(f"key longest in more than {MAX_LONGEST_KEY_SHARE:.0%}")
        if self.commonest_position_share > MAX_POSITION_SHARE:
            missed.append(f"one position holds the key in more than {MAX_POSITION_SHARE:.0%}")
        if self.absolute_distractors:
            missed.append("absolute words in distractors")
        return missed

    def line(self) -> str:
        spread = " ".join(f"{position}:{count}" for position, count in sorted(self.key_positions.items()))
        words = ", ".join(f"{key} ({word})" for key, word in self.absolute_distractors) or "none"
        missed = self.targets_missed()
        verdict = "meets the targets" if not missed else "targets missed: " + "; ".join(missed)
        return (
            f"{self.items} items; key positions {spread}; key is the longest option in {self.longest_key_share:.0%}; "
            f"absolute words in distractors: {words}; {verdict}"
        )


def lint_banks(banks: Mapping[str, Sequence[QuizQuestion]]) -> list[BankLint]:
    """One :class:`BankLint` per bank (lesson number -> its questions), duplicate stems checked across banks."""
    stems = Counter(_stem(question.prompt) for questions in banks.values() for question in questions)
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
        lints.append(
            BankLint(
                lesson=lesson,
                items=len(questions),
                key_positions=dict(positions),
                longest_key_share=(sum(key_is_longest(q) for q in questions) / len(questions)) if questions else 0.0,
                absolute_distractors=absolute,
                duplicate_stems=tuple(q.key for q in questions if stems[_stem(q.prompt)] > 1),
            )
        )
    return lints
