"""Lesson 01's size classifier: the model names lesions by diameter; the widget redraws and describes."""

from __future__ import annotations

import math

import pytest

from petechiae_edu.models.lesions import classify_lesion
from petechiae_edu.widgets.lesions import lesion_size_classifier


@pytest.mark.parametrize(
    ("diameter_mm", "name"),
    [(0.5, "petechia"), (1.9, "petechia"), (2.0, "purpura"), (10.0, "purpura"), (10.1, "ecchymosis")],
)
def test_leung_and_chan_cut_offs(diameter_mm, name):
    assert classify_lesion(diameter_mm).name == name


def test_a_source_without_an_ecchymosis_line_calls_every_larger_spot_purpura():
    assert classify_lesion(2.5, 3.0, None).name == "petechia"
    assert classify_lesion(40.0, 3.0, None).name == "purpura"


def test_the_same_spot_can_have_two_names_under_two_definitions():
    assert classify_lesion(2.5).name != classify_lesion(2.5, 3.0, None).name


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf])
def test_impossible_diameters_are_refused_with_the_value(bad):
    with pytest.raises(ValueError, match=rf"diameter(_mm =)? {bad}"):
        classify_lesion(bad)


def test_a_diameter_in_micrometres_is_caught():
    with pytest.raises(ValueError, match="was the value given in micrometres"):
        classify_lesion(1500.0)


def test_crossed_cut_offs_are_refused():
    with pytest.raises(ValueError, match="must be larger than the petechia cut-off"):
        classify_lesion(3.0, 5.0, 4.0)


def test_moving_the_slider_changes_the_name_description_and_picture():
    app = lesion_size_classifier(1.5)
    first_image = app.image.value
    assert "called a petechia" in app.description
    app.diameter.slider.value = 12.0
    assert "12.0 mm" in app.description and "an ecchymosis" in app.description
    assert app.image.value != first_image and app.image.value[:4] == b"\x89PNG"


def test_switching_definitions_renames_the_same_spot():
    app = lesion_size_classifier(2.5)
    assert "called purpura" in app.description
    app.definition_choice.value = "five_minute_consult"
    assert "called a petechia" in app.description


def test_pressing_the_glass_is_described():
    app = lesion_size_classifier(1.0)
    app.glass_pressed.value = True
    assert "does not fade" in app.description
