"""The CBC interpreter app: inputs wired to the model, presets, accessible labels and output."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from petechiae_edu import cbc_interpreter, citations
from petechiae_edu.widgets.cbc import CUSTOM, EXAMPLES, table_rows


@pytest.fixture
def app():
    return cbc_interpreter()


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_example_names_the_pattern_it_is_called_after(example):
    app = cbc_interpreter(example)
    expected = () if example == "normal" else (example,)
    assert app.result.pattern_keys == expected


def test_choosing_a_preset_fills_every_input_and_updates_the_result(app):
    app.preset.value = "pancytopenia"
    example = EXAMPLES["pancytopenia"]
    assert (app.age.value, app.sex.value, app.platelets.value) == (example.age_years, example.sex, example.platelets)
    assert app.result.pattern_keys == ("pancytopenia",)
    assert "Patterns: pancytopenia." in app.description


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


def test_every_number_input_is_a_labelled_box_with_its_unit(app):
    boxes = [app.haemoglobin, app.wbc, app.anc, app.lymphocytes, app.platelets]
    assert all(isinstance(box, widgets.BoundedFloatText) for box in boxes)
    assert "g/dL" in app.haemoglobin.description
    for box in (app.wbc, app.anc, app.lymphocytes, app.platelets):
        assert "×10^9/L" in box.description
    assert "years" in app.age.description
    assert isinstance(app.sex, widgets.Dropdown) and isinstance(app.preset, widgets.Dropdown)


def test_flags_are_written_out_not_shown_by_colour_alone():
    app = cbc_interpreter("leukocytosis_with_blasts")
    html = app.results_html.value
    assert "LOW ▼" in html and "HIGH ▲" in html
    assert "color" not in html.lower()
    assert '<th scope="col">Flag</th>' in html
    flags = {row[0]: row[3] for row in table_rows(app.result)}
    assert flags["White cells (WBC)"] == "HIGH ▲"


def test_the_description_is_a_live_region(app):
    assert 'aria-live="polite"' in app.description_html.value


def test_a_child_is_told_the_ranges_are_adult_ranges():
    app = cbc_interpreter("pancytopenia")
    assert "approximate" in app.description
    assert "ADULT ranges" in app.results_html.value


def test_an_impossible_count_shows_a_clear_message_instead_of_failing(app):
    app.anc.value = 50
    assert app.result is None
    assert "cannot exceed wbc" in app.error
    assert 'role="alert"' in app.results_html.value
    assert app.description.startswith("Input problem:")


def test_using_the_interpreter_cites_its_sources():
    citations.reset()
    cbc_interpreter("isolated_thrombocytopenia")
    assert {"oer_reference_ranges", "clinicalpub_ctrt", "nice_ng12_2015"} <= set(citations.used())


def test_the_app_is_one_widget_with_heading_controls_description_and_results(app):
    children = app.widget.children
    assert app.preset in children and app.results_html in children and app.description_html in children


def test_an_unknown_example_is_refused():
    with pytest.raises(ValueError, match="unknown example 'sick'"):
        cbc_interpreter("sick")
