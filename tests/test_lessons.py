"""Every committed lesson is clean, titled as in the course map, disclaimed, cited and self-checked."""

from __future__ import annotations

import itertools
import re

import nbformat
import pytest

from petechiae_edu import content
from petechiae_edu.authoring import GOLDEN_TAG, citation_problems, hygiene_problems
from petechiae_edu.citations import cited_in_text, lesson_path, start_lesson, used_by
from petechiae_edu.classroom.editions import lesson_paths
from petechiae_edu.classroom.present import resolve_lesson
from petechiae_edu.lessons import (
    LessonNotFoundError,
    course_map,
    find_lesson,
    lesson_files,
    lessons,
    markdown_text,
)

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


# --- one owner of lesson lookup: petechiae_edu.lessons.find_lesson ------------------------------------------


def _empty_notebooks(folder, *names):
    folder.mkdir(exist_ok=True)
    for name in names:
        nbformat.write(nbformat.v4.new_notebook(), folder / name)
    return lesson_files(folder)


def test_A68_start_lesson_1_registers_lesson_01_not_lesson_10(fresh_citations):
    # before: a prefix glob ('1*.ipynb') made start_lesson('1') read 10-cases, as `present 1` did not
    keys = start_lesson("1")
    first = lessons()[1]
    assert first.number == "01"
    assert keys == cited_in_text(markdown_text(first.path))
    assert "lesson 01 text" in used_by(keys[0])
    assert lesson_path("1") == first.path == find_lesson("1")


def test_start_lesson_and_present_find_the_same_lesson_for_every_way_of_naming_it():
    for lesson in LESSONS:
        names = (str(int(lesson.number)), lesson.number, lesson.stem, lesson.path.name, lesson.stem[3:])
        for name in names:
            assert find_lesson(name) == lesson.path, name
            assert resolve_lesson(name) == lesson_path(name) == lesson.path, name
        assert find_lesson(lesson.path) == lesson.path.resolve()


@pytest.mark.parametrize("name", ["", " ", "?", "*", "1*", "99", "petech", "01-pete"])
def test_A69_A70_an_unknown_lesson_is_refused_with_the_lessons_listed(name, fresh_citations):
    # before: '' and '?' silently gave lesson 00, '*' a pathlib traceback, and prefixes matched
    with pytest.raises(LessonNotFoundError, match=r"no lesson called .*lessons: 00-start-here, 01-petechiae"):
        start_lesson(name)


@pytest.mark.parametrize("name", [None, 1, True, 1.0])
def test_a_lesson_name_that_is_not_text_is_refused_by_type(name):
    with pytest.raises(TypeError, match=r"lesson = .*expected a lesson number such as '01'"):
        find_lesson(name)


def test_an_ambiguous_lesson_name_is_refused_naming_each_match(tmp_path):
    found = _empty_notebooks(tmp_path / "course", "01-a.ipynb", "01-b.ipynb", "10-c.ipynb")
    with pytest.raises(LessonNotFoundError, match=r"'1' is ambiguous: it matches 01-a, 01-b"):
        find_lesson("1", found)
    assert find_lesson("10", found).name == "10-c.ipynb"
    assert find_lesson("c", found).name == "10-c.ipynb"


def test_every_module_lists_lessons_with_the_one_pattern(tmp_path):
    folder = tmp_path / "course"
    _empty_notebooks(folder, "00-a.ipynb", "01-b.ipynb", "notes.ipynb", ".hidden.ipynb", "1-short.ipynb")
    assert [p.name for p in lesson_files(folder)] == ["00-a.ipynb", "01-b.ipynb"]
    assert lesson_paths(folder) == lesson_files(folder)
    assert lesson_paths() == lesson_files() == [lesson.path for lesson in LESSONS]


def test_the_course_map_renders_through_the_one_table_renderer():
    html = course_map()._repr_html_()
    assert '<table class="petechiae-edu-table"' in html
    assert re.search(r'<th scope="col"[^>]*>What you will learn</th>', html)


# --- objectives in one place: data/course.toml -------------------------------------------------------------


def _objective_bullets(notebook) -> list[str]:
    """The '## Learning objectives' bullets of a lesson's first cell, without their list punctuation (; or .)."""
    section = notebook.cells[0].source.split("## Learning objectives", 1)[1]
    bullets = []
    for line in section.strip().splitlines():
        if line.startswith("#"):
            break
        if line.startswith("- "):
            bullets.append(line[2:].strip().rstrip(";.").strip())
    return bullets


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_each_lessons_objectives_are_the_course_maps(lesson):
    # the notebook lists exactly the [[lesson.objectives]] texts of data/course.toml, in the same order
    notebook = nbformat.read(lesson.path, as_version=4)
    promised = [objective.text.rstrip(".") for objective in content.course_plan()[lesson.stem].objectives]
    assert promised, f"{lesson.stem} has no objectives in data/course.toml"
    assert _objective_bullets(notebook) == promised


def test_the_objective_bullets_are_read_without_their_list_punctuation():
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(
        nbformat.v4.new_markdown_cell(
            "# 99 · T\n\n## Learning objectives\n\n- one thing;\n- another.\n\n## Next\n- not one"
        )
    )
    assert _objective_bullets(notebook) == ["one thing", "another"]


# --- a core path a student can follow in one session -------------------------------------------------------


def test_every_lessons_core_path_fits_45_minutes():
    from petechiae_edu.lesson_time import CORE_PATH_LIMIT_MINUTES, course_times, time_table

    rows = course_times()
    assert [row.stem for row in rows] == IDS
    over = [row.stem for row in rows if not row.within_limit]
    assert not over, f"core path over {CORE_PATH_LIMIT_MINUTES:.0f} minutes:\n{time_table(rows)}"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_deep_dives_come_last_before_the_sources_and_start_collapsed(lesson):
    notebook = nbformat.read(lesson.path, as_version=4)
    headings = [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and cell.source.startswith("## Optional deep dive")
    ]
    if not headings:
        return
    first = headings[0][0]
    later_core = [
        cell.source.splitlines()[0]
        for cell in notebook.cells[first:]
        if cell.cell_type == "markdown"
        and cell.source.startswith("## ")
        and not cell.source.startswith(("## Optional deep dive", "## Sources used in this lesson"))
    ]
    assert not later_core, f"{lesson.stem}: core sections after the first deep dive: {later_core}"
    assert not any(f'self_check("{lesson.number}")' in cell.source for cell in notebook.cells[first:])
    for _, cell in headings:
        assert cell.metadata.get("jp-MarkdownHeadingCollapsed") is True, cell.source.splitlines()[0]
