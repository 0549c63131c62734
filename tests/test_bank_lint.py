"""`petechiae-edu check` lints every self-check bank: items, key positions, longest-option share, absolute words in
distractors, duplicate stems (issue 14)."""

from __future__ import annotations

from petechiae_edu import environment
from petechiae_edu.content.bank_lint import key_is_longest, lint_banks
from petechiae_edu.content.quizzes import QuizOption, QuizQuestion


def _question(key: str, prompt: str, texts: list[str], good: int) -> QuizQuestion:
    options = tuple(QuizOption(text, position == good) for position, text in enumerate(texts))
    return QuizQuestion(key=key, prompt=prompt, options=options, explanation="Because.", sources=("kaufman2015",))


def test_the_lint_counts_key_positions_longest_keys_and_absolute_distractors():
    bank = [
        _question("a", "Most likely diagnosis?", ["ITP", "Acute lymphoblastic leukaemia", "It is always viral"], 1),
        _question("b", "Next step?", ["Blood count and film today", "Reassure", "Wait"], 0),
        _question("c", "Most urgent?", ["IV antibiotics", "Platelets", "An ultrasound scan of the abdomen"], 0),
    ]
    (lint,) = lint_banks({"03": bank})
    assert lint.items == 3
    assert lint.key_positions == {2: 1, 1: 2}
    assert lint.longest_key_share == 2 / 3
    assert lint.absolute_distractors == (("a", "always"),)
    missed = lint.targets_missed()
    assert any("fewer than 8" in m for m in missed) and any("longest" in m for m in missed)


def test_a_stem_used_twice_across_the_course_is_a_problem_in_check(tmp_path):
    first = _question("x", "A child with petechiae: next step?", ["Count", "Wait"], 0)
    second = _question("y", "A child with petechiae - next step?", ["Count", "Wait"], 1)
    lints = lint_banks({"01": [first], "06": [second]})
    assert [lint.duplicate_stems for lint in lints] == [("x",), ("y",)]


def test_a_tie_is_not_a_longest_key():
    assert not key_is_longest(_question("t", "?", ["abc", "xyz"], 0))


def test_check_reports_one_lint_line_per_shipped_bank():
    findings = environment.check_question_banks()
    lines = [f for f in findings if f.ok]
    assert len(lines) == 12
    assert all("key positions" in f.detail and "longest option" in f.detail for f in lines)
    assert not [f for f in findings if not f.ok], "no stem appears twice in the course"
