"""Lesson 08's doubling-time explorer: sliders instead of Python, the same arithmetic as lymphocyte_trend."""

from __future__ import annotations

import pytest

from petechiae_edu import doubling_time_explorer, lymphocyte_trend


def test_the_explorer_describes_what_lymphocyte_trend_computes():
    explorer = doubling_time_explorer(12, 24.5, 6)
    assert explorer.description == lymphocyte_trend(12, 24.5, 6).summary()
    assert "doubling time 5.8 months; meets" in explorer.description
    assert "5.8 months" in explorer.result_html.value


def test_moving_a_slider_updates_the_doubling_time_and_the_verdict():
    explorer = doubling_time_explorer(12, 24.5, 6)
    explorer.later.value = 20
    assert "doubling time 8.1 months; does not meet" in explorer.description
    explorer.months.value = 2
    explorer.later.value = 18.5
    assert "(rise +54%)" in explorer.description and "meets" in explorer.description


def test_a_falling_count_is_not_rising():
    explorer = doubling_time_explorer(20, 15, 3)
    assert "not rising" in explorer.description and "does not meet" in explorer.description


def test_each_slider_has_a_typed_twin_with_units_in_its_label():
    explorer = doubling_time_explorer()
    labels = [control.slider.description for control in (explorer.earlier, explorer.later, explorer.months)]
    assert labels == [
        "Earlier lymphocyte count (×10^9/L)",
        "Later lymphocyte count (×10^9/L)",
        "Months between the counts (months)",
    ]
    assert explorer.earlier.number.description == "Earlier lymphocyte count, typed:"


def test_a_start_value_outside_the_range_is_refused_with_the_range():
    with pytest.raises(ValueError, match=r"outside 1.0–100.0 ×10\^9/L"):
        doubling_time_explorer(earlier=150)
