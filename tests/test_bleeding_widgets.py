"""Widget wiring of simulation 1, tested kernel-side (no browser)."""

from __future__ import annotations

import pytest

from petechiae_edu import bleeding_explorer, citations, transfusion_strategy_explorer
from petechiae_edu.widgets.app import FigureApp


@pytest.fixture(scope="module")
def explorer():
    return bleeding_explorer(platelet_count=20.0)


def test_apps_are_figure_apps(explorer):
    assert isinstance(explorer, FigureApp)
    assert bytes(explorer.image.value[:4]) == b"\x89PNG"


def test_moving_the_slider_changes_result_description_and_image(explorer):
    explorer.platelets.value = 20.0
    before = (explorer.result.grade3, explorer.description, explorer.image.value)
    explorer.platelets.value = 8.0
    assert explorer.result.platelet_count == 8.0
    assert explorer.result.grade3 > before[0]
    assert explorer.description.startswith("At 8 ×10^9/L")
    assert explorer.description != before[1]
    assert explorer.image.value != before[2]


def test_a_risk_factor_raises_the_shown_risk_and_is_named(explorer):
    explorer.platelets.value = 8.0
    explorer.fever.value = False
    calm = explorer.result.grade2
    image = explorer.image.value
    explorer.fever.value = True
    assert explorer.result.grade2 > calm
    assert "fever" in explorer.description
    assert explorer.image.value != image
    explorer.fever.value = False


def test_dropdowns_set_the_covariates(explorer):
    explorer.inr.value = "inr_above_1_5"
    assert explorer.covariates.inr == "inr_above_1_5"
    assert "INR raised" in explorer.description
    explorer.inr.value = "none"


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


def test_strategy_explorer_reruns_the_cohort_when_a_control_moves():
    app = transfusion_strategy_explorer(patients=1000)
    before = (app.description, app.image.value)
    app.nadir.value = 15.0
    assert app.result.settings.nadir_count_median == 15.0
    assert app.description != before[0]
    assert app.image.value != before[1]
    assert "virtual patients" in app.description
    assert "harker1977" in citations.used()


def test_published_data_figure_has_an_image_and_a_text_description():
    from petechiae_edu.widgets.bleeding import published_bleeding_data

    app = published_bleeding_data()
    assert bytes(app.image.value[:4]) == b"\x89PNG"
    assert "1.9 %" in app.description and "13.3 %" in app.description
