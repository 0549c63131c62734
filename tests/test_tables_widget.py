"""The lesson tables: rows from the content store, ordered by the course's vocabulary, sources as readers cite them."""

from __future__ import annotations

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
    assert html.startswith('<table class="petechiae-edu-table"><caption')
    assert '<th scope="col">How fast</th>' in html
