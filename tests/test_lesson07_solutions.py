"""Lesson 07's instructor solutions say what the interpreter says (independent clinical review R11b-3): each task's
count is run here and the pattern names, urgencies and ranges the solution quotes must be the interpreter's own, so
the lesson cannot drift from the code as the rules and ranges change."""

from __future__ import annotations

import nbformat
import pytest

from petechiae_edu import paths
from petechiae_edu.calibrated import interpret_cbc, reference_band
from petechiae_edu.widgets.cbc_examples import EXAMPLES


def solution(number: int) -> str:
    notebook = nbformat.read(paths.lessons_dir() / "07-diagnosis.ipynb", as_version=4)
    cell = next(c.source for c in notebook.cells if c.source.startswith("### Instructor: solutions to the"))
    start = cell.index(f"\n{number}. ")
    end = cell.find(f"\n{number + 1}. ", start)
    return cell[start : end if end > 0 else None]


def count(example: str, **changes):
    return interpret_cbc(**{**EXAMPLES[example].values(), **changes})


@pytest.mark.parametrize(
    ("task", "result"),
    [
        (2, lambda: count("pancytopenia", wbc=30, blasts_percent=40)),
        (6, lambda: count("dic_pattern", pt_seconds=None, aptt_seconds=None, fibrinogen=None, d_dimer=None)),
        (6, lambda: count("dic_pattern")),
    ],
)
def test_each_pattern_the_interpreter_names_is_quoted_with_its_urgency(task, result):
    text = solution(task)
    interpretation = result()
    assert interpretation.patterns, "the task's count should name a pattern"
    for pattern in interpretation.patterns:
        assert f"*{pattern.name}*" in text, f"solution {task} does not name '{pattern.name}'"
        assert f"*{pattern.urgency}*" in text, f"solution {task} does not give urgency '{pattern.urgency}'"


def test_the_toddler_solution_quotes_the_range_the_interpreter_uses():
    band = reference_band("lymphocytes", EXAMPLES["healthy_toddler"].age_years, EXAMPLES["healthy_toddler"].sex)
    assert f"{band.low:g}–{band.high:g} ×10^9/L" in solution(5)
    assert count("healthy_toddler").pattern_keys == ()


def test_the_grades_solution_matches_the_ctcae_steps_the_interpreter_gives():
    grades = {
        platelets: next(
            f.grade for f in count("isolated_thrombocytopenia", platelets=platelets).findings if f.field == "platelets"
        )
        for platelets in (140, 75, 74, 50, 49, 25, 24)
    }
    assert grades == {
        140: "CTCAE grade 1",
        75: "CTCAE grade 1",
        74: "CTCAE grade 2",
        50: "CTCAE grade 2",
        49: "CTCAE grade 3",
        25: "CTCAE grade 3",
        24: "CTCAE grade 4",
    }
    assert "grade 1 from 140 down to 75, grade 2 from 74 to 50, grade 3 from 49 to 25 and grade 4 at 24" in solution(1)
