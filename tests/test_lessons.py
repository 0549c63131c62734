"""Every committed lesson is clean, titled as in the course map, disclaimed, cited and self-checked."""

from __future__ import annotations

import itertools
import re

import nbformat
import pytest

from petechiae_edu import content
from petechiae_edu.authoring import GOLDEN_TAG, citation_problems, hygiene_problems
from petechiae_edu.citations import cited_in_text
from petechiae_edu.lessons import course_map, lessons

LESSONS = lessons()
IDS = [lesson.stem for lesson in LESSONS]


def _markdown(notebook) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def _code(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_the_first_two_lessons_ship():
    assert {"00-start-here", "01-petechiae"} <= set(IDS)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_outputs_only_on_golden_cells_and_kernel_python3(lesson):
    assert hygiene_problems(lesson.path) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_each_lesson_has_a_few_golden_cells_that_print(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    golden = [c for c in notebook.cells if GOLDEN_TAG in c.metadata.get("tags", [])]
    assert 2 <= len(golden) <= 8, f"{lesson.stem} has {len(golden)} golden cells"
    for cell in golden:
        assert cell.outputs, f"{lesson.stem}: a golden cell has no stored output to check"
        assert "print(" in cell.source


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_title_matches_the_course_map(lesson):
    plan = content.course_plan()
    assert lesson.stem in plan, f"{lesson.stem} is not in data/course.toml"
    assert lesson.title == plan[lesson.stem].title


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_lesson_carries_the_educational_use_note(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    assert "Educational use only, not for diagnosis" in notebook.cells[0].source


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_headings_go_down_one_level_at_a_time(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    levels = [len(m.group(1)) for m in re.finditer(r"(?m)^(#{1,6}) ", _markdown(notebook))]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{lesson.stem}: heading level jumps from {before} to {after}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_citations_in_the_text_resolve(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    keys = cited_in_text(_markdown(notebook))
    assert keys, f"{lesson.stem} cites nothing"
    unknown = set(keys) - content.source_keys()
    assert not unknown, f"{lesson.stem} cites unknown sources {sorted(unknown)}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_starts_the_registry_self_checks_and_ends_with_its_sources(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    code = _code(notebook)
    assert f'start_lesson("{lesson.number}")' in code[0]
    assert any(f'self_check("{lesson.number}")' in cell for cell in code)
    assert code[-1].strip() == "show_sources()"
    assert "## Sources used in this lesson" in _markdown(notebook)
    assert "## Learning objectives" in notebook.cells[0].source
    assert len(content.quiz(lesson.number)) >= 5


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_code_cells_stay_short(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    for source in _code(notebook):
        assert len(source.strip().splitlines()) <= 6, f"{lesson.stem}: a code cell is long:\n{source}"


def test_course_map_lists_every_planned_lesson_and_marks_shipped_ones_ready():
    course = course_map()
    assert len(course) == len(content.course_plan()) == 12
    assert course.available == len(LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_students_read_references_as_author_and_year_never_as_keys(lesson):
    # authors write [@key]; `python -m petechiae_edu.authoring cite` renders it for readers
    assert not citation_problems(lesson.path), citation_problems(lesson.path)
