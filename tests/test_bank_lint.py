"""The self-check banks follow the rules of single-best-answer assessment (issue 14), and a new item that breaks
one fails here: at least 8 items a bank, at least 60 % at apply/analyse, at most one evidence item, keys spread over
the positions and not usually the longest option, no absolute words in distractors, feedback on every option, an
objective of the lesson on every item, vignette stems with a lead-in question, no stem or fact twice."""

from __future__ import annotations

import pytest

from petechiae_edu import content, environment
from petechiae_edu.content.bank_lint import item_problems, key_is_longest, lint_banks
from petechiae_edu.content.quizzes import QuizOption, QuizQuestion

VIGNETTE = (
    "A 4-year-old boy has had bruises on his shins and tiredness for three weeks. His platelet count is "
    "23 ×10^9/L and his haemoglobin 8.1 g/dL. Which is the most appropriate next step?"
)


def _question(key: str, texts: list[str], good: int, **fields) -> QuizQuestion:
    options = tuple(QuizOption(text, position == good, f"Why {text}.") for position, text in enumerate(texts))
    described = {"objective": "o", "level": "apply", "kind": "vignette", "fact": key, "prompt": f"({key}) {VIGNETTE}"}
    described.update(fields)
    return QuizQuestion(key=key, options=options, explanation="Because.", sources=("kaufman2015",), **described)


FOUR = ["Same-day film", "Reassure", "Repeat in a month", "Iron"]


def shipped_banks():
    plans = content.course_plan().values()
    banks = {plan.number: content.quiz(plan.number) for plan in plans}
    objectives = {plan.number: frozenset(o.key for o in plan.objectives) for plan in plans}
    return lint_banks(banks, objectives)


def test_the_lint_counts_key_positions_longest_keys_levels_and_absolute_distractors():
    bank = [
        _question("a", ["ITP", "Acute lymphoblastic leukaemia", "It is always viral", "Scurvy"], 1, level="recall"),
        _question("b", ["Blood count and film today", "Reassure", "Wait", "Iron"], 0),
        _question(
            "c", ["IV antibiotics", "Platelets", "An ultrasound scan of the abdomen", "Fluids"], 0, kind="evidence"
        ),
    ]
    (lint,) = lint_banks({"03": bank})
    assert lint.items == 3
    assert lint.key_positions == {2: 1, 1: 2}
    assert lint.longest_key_share == 2 / 3
    assert lint.levels == {"recall": 1, "apply": 2}
    assert lint.evidence_items == 1
    assert lint.absolute_distractors == (("a", "always"),)
    problems = " | ".join(lint.problems())
    assert "3 items (at least 8)" in problems and "longest option in 67%" in problems and "'always'" in problems


def test_a_balanced_bank_of_eight_good_items_has_no_problems():
    bank = [_question(f"q{n}", [f"{t} {n}" for t in FOUR], n % 4) for n in range(8)]
    (lint,) = lint_banks({"05": bank}, {"05": frozenset({"o"})})
    assert lint.problems() == []


def test_too_many_recall_items_or_evidence_items_fail():
    bank = [
        _question(f"q{n}", [f"{t} {n}" for t in FOUR], n % 4, level="recall" if n < 4 else "analyse") for n in range(8)
    ]
    bank[0] = _question("q0", [f"{t} 0" for t in FOUR], 0, level="recall", kind="evidence")
    bank[1] = _question("q1", [f"{t} 1" for t in FOUR], 1, level="recall", kind="evidence")
    problems = lint_banks({"05": bank})[0].problems()
    assert "50% at apply/analyse (at least 60%)" in problems
    assert "2 evidence items (at most 1)" in problems


def test_an_item_without_feedback_objective_or_a_lead_in_is_named():
    bare = QuizQuestion(
        key="bare",
        prompt="Which platelet count?",
        options=tuple(QuizOption(text, n == 0) for n, text in enumerate(FOUR)),
        explanation="Because.",
        sources=("kaufman2015",),
        kind="vignette",
    )
    problems = " | ".join(item_problems(bare, frozenset({"o"})))
    assert "no objective, level, fact" in problems
    assert "option(s) 1, 2, 3, 4 have no feedback" in problems
    assert "ending in '?'" in problems


def test_an_objective_from_another_lesson_and_the_courses_mechanics_are_refused():
    item = _question("m", FOUR, 0, objective="elsewhere", prompt=VIGNETTE.replace("Which", "In the explorer, which"))
    problems = " | ".join(item_problems(item, frozenset({"o"})))
    assert "objective 'elsewhere' is not one of the lesson's (o)" in problems
    assert "mechanics ('explorer')" in problems


def test_three_options_are_too_few_for_a_single_best_answer_item():
    assert "3 options (expected 4 or 5)" in item_problems(_question("t", FOUR[:3], 0))


def test_a_stem_or_a_fact_used_twice_across_the_course_is_a_problem():
    first = _question("x", FOUR, 0, prompt=VIGNETTE, fact="same")
    second = _question("y", FOUR, 1, prompt=VIGNETTE.replace("?", " ?"), fact="same")
    lints = lint_banks({"01": [first], "06": [second]})
    assert [lint.duplicate_stems for lint in lints] == [("x",), ("y",)]
    assert [lint.duplicate_facts for lint in lints] == [("x",), ("y",)]


def test_a_tie_is_not_a_longest_key():
    assert not key_is_longest(_question("t", ["abc", "xyz", "def", "ghi"], 0))


@pytest.mark.parametrize("lint", shipped_banks(), ids=lambda lint: f"bank-{lint.lesson}")
def test_every_shipped_bank_meets_every_rule(lint):
    assert lint.problems() == [], f"data/quizzes/{lint.lesson}.toml breaks the bank rules"


def test_every_lesson_has_a_bank_and_each_bank_after_start_here_spreads_over_two_objectives_or_more():
    plans = {plan.number: plan for plan in content.course_plan().values()}
    assert {lint.lesson for lint in shipped_banks()} == set(plans)
    for lint in shipped_banks():
        if lint.lesson != "00":  # start-here's objectives are about the lessons themselves, but for one
            assert len(lint.objectives_assessed) >= 2, (lint.lesson, lint.objectives_assessed)


def test_check_reports_the_figures_of_every_bank_and_no_problem():
    findings = [f for f in environment.check_question_banks()]
    assert len([f for f in findings if f.ok]) == 12
    assert all("Bloom recall/apply/analyse" in f.detail for f in findings if f.ok)
    assert [f.line() for f in findings if not f.ok] == []


def test_a_broken_bank_makes_check_report_a_problem(tmp_path):
    import shutil

    from petechiae_edu import paths

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    bank = data / "quizzes" / "05.toml"
    bank.write_text(bank.read_text(encoding="utf-8").replace('level = "apply"', 'level = "recall"'), encoding="utf-8")
    problems = [f.line() for f in environment.check_question_banks(data) if not f.ok]
    assert any("05.toml" in line and "apply/analyse" in line for line in problems)
