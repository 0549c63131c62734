"""The CBC interpreter app: inputs wired to the model, presets, sections that open, accessible labels and output."""

from __future__ import annotations

import re
from html import unescape

import ipywidgets as widgets
import pytest

from petechiae_edu import cbc_interpreter, citations
from petechiae_edu.widgets.cbc import CUSTOM, EXAMPLES, FILM_WORDS, SECTION_TITLES, table_rows

HEALTHY = ("normal", "healthy_toddler")


@pytest.fixture
def app():
    return cbc_interpreter()


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_example_names_the_pattern_it_is_called_after_first(example):
    app = cbc_interpreter(example)
    if example in HEALTHY:
        assert app.result.pattern_keys == ()
    else:
        assert app.result.pattern_keys[0] == example


def test_choosing_a_preset_fills_every_input_and_updates_the_result(app):
    app.preset.value = "pancytopenia"
    example = EXAMPLES["pancytopenia"]
    assert (app.age.value, app.sex.value, app.platelets.value) == (example.age_years, example.sex, example.platelets)
    assert app.result.pattern_keys == ("pancytopenia", "severe_neutropenia")
    assert "Patterns: pancytopenia (immediate), severe neutropenia (immediate)." in app.description


def test_a_preset_with_a_coagulation_screen_opens_its_inputs_and_one_without_closes_them(app):
    app.preset.value = "dic_pattern"
    assert app.coagulation_done.value and not app.pt.disabled
    assert (app.pt.value, app.fibrinogen.value) == (17, 0.9)
    assert app.result.pattern_keys == ("dic_pattern",)
    app.preset.value = "normal"
    assert not app.coagulation_done.value and app.pt.disabled
    assert app.result.coagulation is None


def test_editing_a_value_updates_the_result_and_marks_the_preset_custom(app):
    app.platelets.value = 40
    assert app.preset.value == CUSTOM
    assert app.result.finding("platelets").grade == "CTCAE grade 3"
    assert app.description.startswith("Platelets 40 ×10^9/L: low (CTCAE grade 3)")
    assert "Isolated thrombocytopenia" in app.results_html.value


def test_the_blasts_box_counts_only_when_a_film_was_read(app):
    assert app.film_read.value is False and app.blasts.disabled
    app.blasts.value = 30
    assert app.result.blasts_percent is None
    app.film_read.value = True
    assert not app.blasts.disabled
    assert app.result.pattern_keys == ("blasts_on_film",)


def test_ticking_schistocytes_with_low_platelets_names_the_microangiopathic_emergency(app):
    app.platelets.value = 20
    assert app.result.pattern_keys == ("isolated_thrombocytopenia",)
    app.film_read.value = True
    app.film_boxes["schistocytes"].value = True
    assert app.result.pattern_keys == ("microangiopathic_picture",)
    assert "(emergency)" in app.description
    assert "urgency: <strong>emergency</strong>" in app.results_html.value


def test_the_differential_section_adds_its_counts_and_refuses_parts_above_the_total(app):
    app.differential_counted.value = True
    assert app.result.finding("basophils").value == app.basophils.value
    app.basophils.value = 5
    assert app.result is None
    assert "cannot exceed wbc = 7 ×10^9/L" in app.error
    assert app.description.startswith("Input problem:")


def test_a_coagulation_screen_turns_low_platelets_into_a_dic_pattern(app):
    app.set_values(platelets=40, pt_seconds=18, aptt_seconds=45, fibrinogen=0.8, d_dimer=4)
    assert app.coagulation_done.value
    assert app.result.pattern_keys == ("dic_pattern",)
    assert "DIC pattern (emergency)" in app.description


def test_the_new_inputs_sit_in_three_sections_that_open(app):
    assert isinstance(app.sections, widgets.Accordion)
    assert tuple(app.sections.titles) == SECTION_TITLES
    assert app.sections.selected_index is None  # closed until the student opens one
    assert app.sections in app.controls
    inside = [child for section in app.sections.children for child in section.children]
    for box in (app.monocytes, app.basophils, app.mcv, app.blasts, app.pt, app.aptt, app.fibrinogen, app.d_dimer):
        assert box in inside and box not in app.controls
    assert {app.film_boxes[word] for word in FILM_WORDS} <= set(inside)


def test_every_number_input_is_a_labelled_box_with_its_unit(app):
    boxes = [
        app.haemoglobin,
        app.wbc,
        app.anc,
        app.lymphocytes,
        app.platelets,
        app.monocytes,
        app.eosinophils,
        app.basophils,
        app.mcv,
        app.pt,
        app.aptt,
        app.fibrinogen,
        app.d_dimer,
        app.blasts,
        app.age,
    ]
    assert all(isinstance(box, widgets.BoundedFloatText) and box.description for box in boxes)
    assert "g/dL" in app.haemoglobin.description
    for box in (app.wbc, app.anc, app.lymphocytes, app.platelets, app.monocytes, app.eosinophils, app.basophils):
        assert "×10^9/L" in box.description
    assert "fL" in app.mcv.description and "(s)" in app.pt.description and "(s)" in app.aptt.description
    assert "g/L" in app.fibrinogen.description and "mg/L FEU" in app.d_dimer.description
    assert "years" in app.age.description
    assert isinstance(app.sex, widgets.Dropdown) and isinstance(app.preset, widgets.Dropdown)


def test_flags_are_written_out_not_shown_by_colour_alone():
    app = cbc_interpreter("leukocytosis_with_blasts")
    html = app.results_html.value
    assert "LOW ▼" in html and "HIGH ▲" in html
    assert "color" not in html.lower()
    cells = re.sub(r' style="[^"]*"', "", html)  # the table's inline layout style is not what is tested here
    assert '<th scope="col">Flag</th>' in cells and '<th scope="col">Range for this age</th>' in cells
    flags = {row[0]: row[3] for row in table_rows(app.result)}
    assert flags["White cells (WBC)"] == "HIGH ▲"


def test_the_description_is_a_live_region(app):
    assert 'aria-live="polite"' in app.description_html.value


def test_a_healthy_toddlers_count_is_read_against_the_childrens_range_and_not_flagged():
    app = cbc_interpreter("healthy_toddler")
    assert app.result.finding("lymphocytes").flag == "normal"
    assert "All values within the reference ranges for this age" in app.description
    rows = {row[0]: row[2] for row in table_rows(app.result)}
    assert rows["Lymphocytes"] == "2–14 ×10^9/L (6 months to <4 years)"
    assert "approximate" not in app.description


def test_a_child_is_read_against_childrens_ranges_and_told_so():
    app = cbc_interpreter("pancytopenia")
    assert "children's range for this age" in unescape(app.results_html.value)
    assert "Adult ranges are only approximate" not in app.description


def test_an_impossible_count_shows_a_clear_message_instead_of_failing(app):
    app.anc.value = 50
    assert app.result is None
    assert "cannot exceed wbc" in app.error
    assert 'role="alert"' in app.results_html.value
    assert app.description.startswith("Input problem:")


def test_using_the_interpreter_cites_its_sources():
    citations.reset()
    cbc_interpreter("isolated_thrombocytopenia")
    assert {"oer_reference_ranges", "ctcae_v5", "nice_ng12_2015"} <= set(citations.used())


def test_pattern_sources_are_shown_as_author_year_links_not_keys():
    html = cbc_interpreter("hyperleukocytosis").results_html.value
    assert 'data-source="rollig2015"' in html
    assert "[@" not in html


def test_the_app_is_one_widget_with_heading_controls_description_and_results(app):
    children = app.widget.children
    assert app.preset in children and app.results_html in children and app.description_html in children
    assert app.sections in children


def test_an_unknown_example_is_refused():
    with pytest.raises(ValueError, match="unknown example 'sick'"):
        cbc_interpreter("sick")


def test_set_values_refuses_an_unknown_input(app):
    with pytest.raises(ValueError, match="unknown input"):
        app.set_values(neutrophils=3)


def test_ticking_the_differential_on_a_normal_count_adds_no_abnormal_value(app):
    app.differential_counted.value = True
    assert {app.result.finding(name).flag for name in ("monocytes", "eosinophils", "basophils")} == {"normal"}
    assert app.result.pattern_keys == ()
