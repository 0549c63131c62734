"""The citation registry records what a lesson used and renders it as formatted references."""

from __future__ import annotations

import pytest

from petechiae_edu import citations, content


def test_cite_records_keys_in_first_use_order_without_repeats(fresh_citations):
    citations.cite("gmur1991", "leung2001", by="a model")
    citations.cite("leung2001", "clarke2016", by="a table")
    assert citations.used() == ("gmur1991", "leung2001", "clarke2016")
    assert citations.used_by("leung2001") == ("a model", "a table")


def test_an_unknown_key_is_refused_with_its_name_and_user(fresh_citations):
    with pytest.raises(KeyError, match="unknown source key 'made_up_2099' cited by lesson 99"):
        citations.cite("made_up_2099", by="lesson 99")


def test_citations_in_lesson_text_are_found_in_order():
    text = "Petechiae are small [@leung2001]. See also [@baselga1997; @leung2001] and [@clarke2016]."
    assert citations.cited_in_text(text) == ("leung2001", "baselga1997", "clarke2016")


def test_grouped_citations_are_found_too():
    # the lessons write groups as [@a; @b]: every key in a group must be found
    assert set(citations.cited_in_text("x [@baselga1997; @leung2001]")) == {"baselga1997", "leung2001"}


def test_start_lesson_resets_and_registers_the_lessons_text_citations(fresh_citations):
    citations.cite("gmur1991", by="an earlier lesson")
    keys = citations.start_lesson("01")
    assert "gmur1991" not in citations.used() or "gmur1991" in keys
    assert "leung2001" in keys
    assert set(keys) <= set(citations.used())


def test_bibliography_formats_every_used_source(fresh_citations):
    citations.cite("clarke2016", "metcalf2025", by="test")
    bibliography = citations.show_sources()
    assert len(bibliography) == 2
    text = str(bibliography)
    assert text.startswith("Sources used in this lesson")
    assert "1. [clarke2016] Clarke RT" in text
    assert "Arch Dis Child 2016;101(10):894–901." in text
    assert "Figures read in:" in text  # metcalf2025 was read in a secondary source and says so
    html = bibliography._repr_html_()
    assert "<h2>Sources used in this lesson</h2>" in html and html.count("<li") == 2


def test_every_source_formats_to_text_with_a_locator():
    for source in content.sources().values():
        formatted = source.formatted()
        assert source.title.rstrip(".")[:20] in formatted
        assert any(marker in formatted for marker in ("doi:", "PMID", "PMC", "http")), source.key


def test_a_citation_is_rendered_as_readers_cite_author_and_year_linked_to_the_doi():
    rendered = citations.render_citations("Early signs come first [@thompson2006].")
    assert rendered == (
        "Early signs come first ([Thompson et al. 2006]"
        '(https://doi.org/10.1016/S0140-6736%2806%2967932-4 "thompson2006")).'
    )
    assert "[@" not in rendered


def test_a_group_renders_as_one_bracket_and_keeps_every_key_findable():
    rendered = citations.render_citations("Spots [@baselga1997; @leung2001].")
    assert rendered.startswith("Spots ([Baselga et al. 1997](") and '"baselga1997"); [Leung & Chan 2001](' in rendered
    assert rendered.endswith('"leung2001")).')
    assert citations.cited_in_text(rendered) == ("baselga1997", "leung2001")


def test_rendering_is_idempotent_and_refreshes_a_stale_label():
    once = citations.render_citations("x [@clarke2016] y")
    assert citations.render_citations(once) == once
    stale = once.replace("Clarke et al. 2016", "Clarke 1999")
    assert citations.render_citations(stale) == once


def test_rendering_an_unknown_key_names_it():
    with pytest.raises(KeyError, match="unknown source key 'made_up_2099'"):
        citations.render_citations("x [@made_up_2099]")


def test_organisations_are_cited_by_their_initials_and_shared_labels_get_letters():
    catalogue = content.sources()
    assert citations.source_label(catalogue["nice_ng240_2024"]).startswith("NICE 2024")
    labels = [citations.source_label(source) for source in catalogue.values()]
    assert len(labels) == len(set(labels)), "two sources would read the same in the text"


def test_widgets_show_sources_as_author_year_links_with_the_full_reference_on_hover():
    html = citations.references_html(["clarke2016"])
    assert html.startswith('<a href="https://doi.org/') and "Clarke et al. 2016</a>" in html
    assert 'title="Clarke RT' in html and "[@" not in html
    assert citations.references_text(["clarke2016", "leung2001"]) == "Clarke et al. 2016; Leung & Chan 2001"
