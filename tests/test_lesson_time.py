"""The core-path estimator: reading time plus stated allowances, deep dives and instructor notes left out."""

from __future__ import annotations

import nbformat
import pytest

from petechiae_edu.lesson_time import (
    CORE_PATH_LIMIT_MINUTES,
    MINUTES_PER_CASE,
    MINUTES_PER_FIGURE,
    MINUTES_PER_PRINTED_RESULT,
    MINUTES_PER_SELF_CHECK_ITEM,
    MINUTES_PER_WIDGET,
    WORDS_PER_MINUTE,
    LessonTime,
    code_cell_kind,
    core_path_time,
    count_words,
    time_table,
)


def _notebook(*cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    return notebook


def _md(text, tags=()):
    cell = nbformat.v4.new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _code(text):
    return nbformat.v4.new_code_cell(text)


def test_reading_time_is_the_words_at_the_stated_speed():
    words = " ".join(["platelet"] * (2 * WORDS_PER_MINUTE))
    estimate = core_path_time(_notebook(_md(words)), self_check_items=0)
    assert estimate.words == 2 * WORDS_PER_MINUTE
    assert estimate.minutes == pytest.approx(2.0)


def test_each_widget_case_figure_printed_result_and_item_adds_its_allowance():
    notebook = _notebook(
        _code("bleeding_explorer(platelet_count=8)"),
        _code('player = case_player("apl-dic", seed=1)\nprint(player.summary())'),
        _code("player"),
        _code("spleen_studies_chart()"),
        _code("print(round(3.14159, 2))"),
        _code("show_sources()"),
    )
    estimate = core_path_time(notebook, self_check_items=8)
    assert (estimate.widgets, estimate.cases, estimate.figures, estimate.printed) == (1, 1, 1, 2)
    expected = (
        MINUTES_PER_WIDGET + MINUTES_PER_CASE + MINUTES_PER_FIGURE + 2 * MINUTES_PER_PRINTED_RESULT
    ) + 8 * MINUTES_PER_SELF_CHECK_ITEM
    assert estimate.minutes == pytest.approx(expected)


def test_deep_dives_and_instructor_notes_are_not_on_the_core_path():
    core = "## The explorer\n\n" + "word " * 130
    notebook = _notebook(
        _md(core),
        _md("### Instructor: solutions\n\n" + "word " * 1000),
        _md("An instructor note tagged but not headed " + "word " * 1000, tags=["instructor"]),
        _md("## Optional deep dive: the fit\n\n" + "word " * 1000),
        _code("bleeding_explorer()"),
    )
    estimate = core_path_time(notebook, self_check_items=0)
    assert estimate.words == count_words(core)
    assert estimate.widgets == 0


def test_citation_links_count_as_the_words_a_reader_sees():
    rendered = '[Slichter 2004](https://pubmed.ncbi.nlm.nih.gov/15248165/ "slichter2004")'
    assert count_words(rendered) == 2
    assert count_words("| a | b |\n|---|---|\n| 1 | 2 |") == 4


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("widget_check()", "widget"),
        ("app = bleeding_explorer()", None),
        ("differential_table()", "figure"),
        ("for x in (1, 2):\n    print(x)", "printed"),
        ('glossary_terms("itp")', None),
        ("_ = start_lesson('04')", None),
        ("", None),
    ],
)
def test_what_a_code_cell_shows_is_read_from_its_last_line(source, kind):
    assert code_cell_kind(source) == kind


def test_a_widget_bound_to_a_name_and_never_shown_again_still_counts():
    estimate = core_path_time(_notebook(_code("checker = claim_checker()")), self_check_items=0)
    assert estimate.widgets == 1


@pytest.mark.parametrize("items", [-1, 1.5, True, "8"])
def test_a_self_check_size_that_is_not_a_count_is_refused(items):
    with pytest.raises(
        (TypeError, ValueError), match=r"self_check_items .*expected a whole number of self-check items"
    ):
        core_path_time(_notebook(), self_check_items=items)


def test_the_time_table_flags_a_lesson_over_the_limit():
    long_text = "word " * int(WORDS_PER_MINUTE * (CORE_PATH_LIMIT_MINUTES + 5))
    over = LessonTime("99-long", core_path_time(_notebook(_md(long_text)), self_check_items=0))
    short = LessonTime("98-short", core_path_time(_notebook(_md("word")), self_check_items=0))
    table = time_table([short, over])
    assert "99-long" in table and f"over {CORE_PATH_LIMIT_MINUTES:.0f}" in table.splitlines()[3]
    assert "over" not in table.splitlines()[2]
    assert f"{WORDS_PER_MINUTE} words a minute" in table
