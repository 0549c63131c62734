"""Widget wiring of simulation 2, tested kernel-side (no browser)."""

from __future__ import annotations

import dataclasses

import pytest

from petechiae_edu import citations, compare_progression, progression_explorer
from petechiae_edu.calibrated import preset_parameters, symptom_rules
from petechiae_edu.models.progression import FIVE_YEARS_DAYS, PRESETS, simulate
from petechiae_edu.models.symptoms import SymptomRuleSet, symptom_timeline
from petechiae_edu.widgets import progression as progression_widgets


@pytest.fixture(scope="module")
def app():
    return progression_explorer("aml")


def test_explorer_starts_with_a_figure_and_a_description(app):
    assert app.image.value[:4] == b"\x89PNG"
    assert "Platelets fall below 20 ×10^9/L on day" in app.description
    assert "petechiae expected from day" in app.description


def test_explorer_cites_the_preset_sources_when_created(app):
    assert "kantarjian2010" in citations.used()
    assert "alpfmedical_thrombocytopenia" in citations.used()


def test_faster_clone_growth_changes_result_description_and_image(app):
    app.growth.value = 5.0
    before = (app.result.first_day("platelets", below=20), app.description, app.image.value)
    app.growth.value = 9.0
    after = (app.result.first_day("platelets", below=20), app.description, app.image.value)
    assert after[0] < before[0]
    assert after[1] != before[1] and after[2] != before[2]


def test_treatment_start_slider_moves_the_induction(app):
    app.start.value = 250
    assert app.result.parameters.treatment_start_day == 250
    assert "Induction from day 250" in app.description


def test_treatment_toggle_removes_the_treatment(app):
    app.treat.value = False
    assert not app.result.treated and "Induction" not in app.description
    app.treat.value = True
    assert app.result.treated


def test_preset_change_resets_sliders_and_changes_image():
    explorer = progression_explorer("aml")
    image = explorer.image.value
    explorer.preset_menu.value = "cml"
    assert explorer.growth.value == pytest.approx(0.5)
    assert explorer.start.value == 730
    assert explorer.result.preset == "cml" and "TKI from day 730" in explorer.description
    assert explorer.image.value != image
    assert "michor2005" in citations.used()


def test_log_time_axis_changes_the_image():
    explorer = progression_explorer("all")
    image = explorer.image.value
    explorer.time_axis.value = True
    assert explorer.image.value != image


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="'zzz'"):
        progression_explorer("zzz")


def test_comparison_shows_acute_and_chronic_side_by_side():
    comparison = compare_progression("aml", "cml")
    assert comparison.image.value[:4] == b"\x89PNG"
    assert "Acute myeloid" in comparison.description and "Chronic myeloid" in comparison.description
    assert [r.preset for r in comparison.results] == ["aml", "cml"]


def test_the_description_reads_its_thresholds_from_the_symptom_rules(monkeypatch):
    # before: 20, 0.5 and 11.0 ×10^9/L were written in the widget; now an edit of data/symptom_rules.toml shows
    rules = symptom_rules()
    edited = SymptomRuleSet(
        tuple(
            dataclasses.replace(
                rule, threshold={"petechiae": 30.0, "neutropenia_severe": 0.7}.get(rule.key, rule.threshold)
            )
            for rule in rules.rules
        ),
        rules.first_abnormal_limits,
    )
    monkeypatch.setattr(progression_widgets, "course_rules", lambda: edited)
    text = progression_widgets.describe_course(*_aml_course())
    assert "Platelets fall below 30 ×10^9/L on day" in text and "ANC below 0.7 ×10^9/L from day" in text


def test_the_figure_bands_are_the_course_reference_ranges_and_the_petechiae_threshold():
    rules = symptom_rules()
    bands = progression_widgets.figure_bands()
    assert bands["bleeding_band"] == rules.by_key["petechiae"].threshold
    assert bands["reference_ranges"] == rules.first_abnormal_limits
    assert set(bands["reference_ranges"]) >= {"wbc", "anc", "haemoglobin", "platelets"}


def test_the_explorer_offers_every_preset_of_the_model_with_the_healthy_reference_last(app):
    offered = [key for _label, key in app.preset_menu.options]
    assert sorted(offered) == sorted(PRESETS) and offered[-1] == "healthy"
    assert progression_widgets.SIMULATED_DAYS == FIVE_YEARS_DAYS


def _aml_course():
    result = simulate(preset_parameters("aml"), treatment=False)
    return result, symptom_timeline(result, symptom_rules())
