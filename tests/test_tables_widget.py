"""The lesson tables: rows from the content store, ordered by the course's vocabulary, sources as readers cite them."""

from __future__ import annotations

import re

import pytest

from petechiae_edu import citations, content, red_flag_table, transfusion_thresholds_table
from petechiae_edu.content.vocabulary import URGENCIES
from petechiae_edu.widgets.tables import glossary_terms


def test_red_flags_come_fastest_first_by_the_course_urgency_scale():
    urgencies = red_flag_table().column("How fast")
    assert [URGENCIES.index(u) for u in urgencies] == sorted(URGENCIES.index(u) for u in urgencies)


@pytest.mark.parametrize("population", sorted({f.population for f in content.red_flags().values()} - {"all"}))
def test_each_population_the_flags_name_gets_its_own_and_everyones_flags(population):
    who = set(red_flag_table(population).column("Who"))
    assert who <= {population, "all"} and population in who


def test_an_unknown_population_is_refused_listing_those_the_data_holds():
    with pytest.raises(ValueError, match=r"population must be one of adults, children \(or None\); got 'teenagers'"):
        red_flag_table("teenagers")


def test_sources_are_shown_as_author_and_year_by_the_one_formatter():
    # before: the thresholds table wrote "[@key]" itself
    table = transfusion_thresholds_table()
    for threshold, row in zip(table.selected, table.rows, strict=True):
        assert row[-1] == citations.references_text(threshold.sources)
    assert "[@" not in str(table) and "[@" not in table.table_html.value
    terms = glossary_terms("blast")
    assert terms.column("Sources") == (citations.references_text(content.glossary()["blast"].sources),)


def test_every_table_renders_through_the_one_accessible_renderer():
    html = red_flag_table("children")._repr_html_()
    assert '<table class="petechiae-edu-table"' in html and "<caption" in html
    assert re.search(r'<th scope="col"[^>]*>How fast</th>', html)


def test_table_sources_are_small_numbered_links_with_the_references_underneath():
    table = red_flag_table("children")
    html = table._repr_html_()
    assert "<sup>[1]</sup>" in html and '<li value="1">' in html
    body = html.split("<ol", 1)[0]
    for label in table.column("Sources"):  # before: 'Thompson et al. 2006; NICE 2024' in a wide column
        assert f">{label}</td>" not in body, "the table body holds numbers, not a wide column of author names"


def test_tables_are_left_and_top_aligned_with_row_rules_and_a_normal_line_height():
    html = glossary_terms("blast")._repr_html_()
    assert "text-align:left;vertical-align:top" in html and "border-bottom:1px solid" in html
    assert "line-height:normal" in html


def test_a_long_table_is_collapsed_under_its_caption_and_a_short_one_is_not():
    long_table = glossary_terms()
    assert len(long_table) > 15
    assert long_table._repr_html_().count("<details>") == 1
    assert "<details>" not in glossary_terms("blast")._repr_html_()
