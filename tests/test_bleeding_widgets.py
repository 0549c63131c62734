"""Widget wiring of simulation 1, tested kernel-side (no browser)."""

from __future__ import annotations

import dataclasses

import pytest

from petechiae_edu import bleeding_explorer, citations, published_bleeding_data, transfusion_strategy_explorer
from petechiae_edu.content import bleeding_data
from petechiae_edu.live import LiveApp
from petechiae_edu.widgets.app import FigureApp
from petechiae_edu.widgets.bleeding import describe_published_data


@pytest.fixture(scope="module")
def explorer():
    return bleeding_explorer(platelet_count=20.0)


def test_the_explorer_is_live_and_the_other_apps_are_figure_apps(explorer):
    assert isinstance(explorer, LiveApp)  # its figure moves in the browser (tests/test_live_bleeding.py)
    assert explorer.live.svg.startswith("<svg")
    assert isinstance(transfusion_strategy_explorer(patients=1000), LiveApp)  # tests/test_bleeding_cohort.py
    assert isinstance(published_bleeding_data(), FigureApp)


def test_moving_the_slider_changes_result_description_and_the_shown_state(explorer):
    explorer.platelets.value = 20.0
    before = (explorer.result.grade3, explorer.description, explorer.live.value)
    explorer.platelets.value = 8.0
    assert explorer.result.platelet_count == 8.0
    assert explorer.result.grade3 > before[0]
    assert explorer.description.startswith("At 8 ×10^9/L")
    assert explorer.description != before[1]
    assert explorer.live.value != before[2] and explorer.live.state["platelets"] == 8.0


def test_a_risk_factor_raises_the_shown_risk_and_is_named(explorer):
    explorer.platelets.value = 8.0
    explorer.fever.value = False
    calm = explorer.result.grade2
    explorer.fever.value = True
    assert explorer.result.grade2 > calm
    assert "fever" in explorer.description
    assert explorer.live.state["fever"] is True
    explorer.fever.value = False


def test_dropdowns_set_the_covariates(explorer):
    explorer.inr.value = "inr_above_1_5"
    assert explorer.covariates.inr == "inr_above_1_5"
    assert "with INR >1.5 (odds" in explorer.description
    explorer.inr.value = "none"


def test_risk_factor_labels_come_from_the_calibration_data(explorer):
    effects = {c.key: c for c in bleeding_data.covariate_effects()}
    assert explorer.fever.description == effects["fever_38_or_more"].label
    assert explorer.haematocrit.description == effects["haematocrit_25_or_less"].label
    assert explorer.inr.options == (
        (effects["inr_1_2_to_1_5"].reference_level, "none"),
        (effects["inr_1_2_to_1_5"].label, "inr_1_2_to_1_5"),
        (effects["inr_above_1_5"].label, "inr_above_1_5"),
    )
    assert [label for label, _ in explorer.aptt.options][1:] == [
        effects["aptt_30_to_50"].label,
        effects["aptt_above_50"].label,
    ]


def test_straining_adds_spots_above_the_nipple_line(explorer):
    explorer.platelets.value = 8.0
    calm = explorer.spots.counts_by_region["face_neck_chest"]
    explorer.straining.value = True
    assert explorer.spots.counts_by_region["face_neck_chest"] > calm
    explorer.straining.value = False


def test_creating_the_explorer_cites_its_sources(explorer):
    bleeding_explorer()
    for key in ("gmur1991", "slichter2010plado", "uhl2017", "kaufman2015", "metcalf2025"):
        assert key in citations.used()


def test_published_data_figure_has_an_image_and_a_text_description():
    app = published_bleeding_data()
    assert bytes(app.image.value[:4]) == b"\x89PNG"
    assert app.description == describe_published_data(
        bleeding_data.calibration_points(), bleeding_data.transfusion_thresholds()
    )


def test_the_published_data_description_states_every_figure_the_data_file_holds():
    # before: "1.9 %", "0.07 %", "0.8 %", "13.3 %" and "10, 20 and 50" were written in the code
    description = published_bleeding_data().description
    drawn = [p for p in bleeding_data.calibration_points() if p.measure == "daily_probability"]
    assert len(drawn) >= 4
    for point in drawn:
        assert f"{100 * point.value:.3g} % of days at {point.count_low:g}–{point.count_high:g} ×10^9/L" in description
        assert citations.references_text(point.sources) in description
    counts = sorted({f"{t.threshold:g}" for t in bleeding_data.transfusion_thresholds()}, key=float)
    assert f"thresholds {', '.join(counts[:-1])} and {counts[-1]} ×10^9/L" in description


def test_the_published_data_description_follows_an_edited_data_file():
    point = next(p for p in bleeding_data.calibration_points() if p.outcome == "who_grade_2_or_more")
    edited = dataclasses.replace(point, value=0.042, count_low=3.0, count_high=30.0, band_is_assumed=False)
    text = describe_published_data([edited], bleeding_data.transfusion_thresholds()[:1])
    assert "Black circle: WHO grade ≥2 bleeding on 4.2 % of days at 3–30 ×10^9/L (" in text
    assert "13.3 %" not in text and "squares" not in text
