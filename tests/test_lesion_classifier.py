"""Lesson 01's size classifier: the model names lesions by diameter; the live widget draws and describes."""

from __future__ import annotations

import itertools
import math

import pytest
from live_template import lookup, template_text

from petechiae_edu.live import LiveApp
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


def test_a_start_diameter_outside_the_slider_is_refused_with_the_range():
    with pytest.raises(ValueError, match=r"outside 0.5–30.0 mm"):
        lesion_size_classifier(45.0)


@pytest.fixture(scope="module")
def app():
    return lesion_size_classifier(1.5)


def test_the_classifier_is_a_live_app_whose_moving_parts_carry_ids(app):
    assert isinstance(app, LiveApp) and app.shown() == [app.live]
    assert app.live.svg.startswith("<svg") and "<image" not in app.live.svg
    for gid in ("lesion", "size_label", "erythema", "erythema_pressed", "glass", "glass_label_off", "glass_label_on"):
        assert f'id="{gid}"' in app.live.svg
    assert not any(spec["kernel"] for spec in app.live.spec["controls"])  # everything is precomputed
    print(f"lesion classifier payload: {app.live.payload_bytes():,} bytes")
    assert app.live.payload_bytes() < 150_000


def test_every_diameter_has_its_own_outline_and_label(app):
    assert app.live.tables["outline_x"]["shape"] == [60]
    assert app.live.tables["size_label"]["dims"] == ["diameter", "definition"]
    app.diameter.value = 1.5
    small_x, label = lookup(app, "outline_x"), lookup(app, "size_label")[0]
    app.diameter.value = 12.0
    large_x = lookup(app, "outline_x")
    assert max(large_x) - min(large_x) > 5 * (max(small_x) - min(small_x))
    assert label == "1.5 mm: petechia (below 2 mm)"
    assert lookup(app, "size_label")[0] == "12.0 mm: ecchymosis (above 10 mm)"
    assert large_x[0] == large_x[-1]  # the outline is closed


def test_moving_the_slider_changes_the_name_and_description(app):
    app.diameter.value = 1.5
    assert "called a petechia" in app.description
    app.diameter.slider.value = 12.0
    assert app.live.state["diameter"] == 12.0
    assert "12.0 mm" in app.description and "an ecchymosis" in app.description


def test_a_move_in_the_browser_sets_the_python_control_and_description(app):
    app.live.state = {**app.live.state, "diameter": 4.5}
    assert app.diameter.value == 4.5 and "A 4.5 mm non-blanching spot is called purpura" in app.description


def test_switching_definitions_renames_the_same_spot():
    app = lesion_size_classifier(2.5)
    assert "called purpura" in app.description
    app.definition_choice.value = "five_minute_consult"
    assert "called a petechia" in app.description and template_text(app) == app.description


def test_pressing_the_glass_is_described_and_swaps_the_drawn_rash():
    app = lesion_size_classifier(1.0)
    assert lookup(app, "glass_off") == [1.0]
    app.glass_pressed.value = True
    assert "does not fade" in app.description
    assert lookup(app, "glass_off") == [0.0] and app.live.state["glass"] is True
    shows = {mark["gid"]: mark["when"] for mark in app.live.spec["marks"] if mark["kind"] == "show"}
    assert shows["glass"] == shows["erythema_pressed"] == {"control": "glass"}
    assert shows["erythema"] == {"table": "glass_off"}


def test_the_front_end_template_says_exactly_what_python_says_in_every_state():
    app = lesion_size_classifier(1.5)
    keys = [key for _name, key in app.definition_choice.options]
    for diameter, key, glass in itertools.product([0.5, 1.5, 2.0, 2.5, 3.0, 9.5, 10.0, 10.5, 30.0], keys, (0, 1)):
        app.diameter.value, app.definition_choice.value, app.glass_pressed.value = diameter, key, bool(glass)
        assert template_text(app) == app.sentence() == app.description
