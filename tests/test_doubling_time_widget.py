"""Lesson 08's doubling-time explorer: sliders instead of Python, the same arithmetic as lymphocyte_trend, and a
live figure (a big line and the description) whose later count and months move in the browser."""

from __future__ import annotations

import itertools

import pytest
from live_template import lookup, template_text

from petechiae_edu import doubling_time_explorer, lymphocyte_trend
from petechiae_edu.live import LiveApp


def test_the_explorer_describes_what_lymphocyte_trend_computes():
    explorer = doubling_time_explorer(12, 24.5, 6)
    assert explorer.description == lymphocyte_trend(12, 24.5, 6).summary()
    assert "doubling time 5.8 months; meets" in explorer.description
    assert explorer.headline() == "Doubling time: 5.8 months · rise +104%"
    assert lookup(explorer, "doubling_line") == ["Doubling time: 5.8 months"]
    assert lookup(explorer, "rise_line") == ["rise +104%"]


def test_moving_a_slider_updates_the_doubling_time_and_the_verdict():
    explorer = doubling_time_explorer(12, 24.5, 6)
    explorer.later.value = 20
    assert "doubling time 8.1 months; does not meet" in explorer.description
    explorer.months.value = 2
    explorer.later.value = 18.5
    assert "(rise +54%)" in explorer.description and "meets" in explorer.description
    assert explorer.live.state == {"earlier": 12.0, "later": 18.5, "months": 2.0}


def test_a_falling_count_is_not_rising():
    explorer = doubling_time_explorer(20, 15, 3)
    assert "not rising" in explorer.description and "does not meet" in explorer.description
    assert lookup(explorer, "doubling_line") == ["Doubling time: not rising"]


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


def test_later_count_and_months_are_precomputed_and_the_earlier_count_is_a_kernel_path():
    explorer = doubling_time_explorer()
    assert isinstance(explorer, LiveApp) and explorer.shown() == [explorer.live]
    specs = {c["name"]: c for c in explorer.live.spec["controls"]}
    assert specs["earlier"]["kernel"] and "needs Python" in specs["earlier"]["note"]
    assert not specs["later"]["kernel"] and not specs["months"]["kernel"]
    assert explorer.live.tables["doubling_line"]["shape"] == [399, 48]
    for gid in ("doubling_line", "rise_line"):
        assert f'id="{gid}"' in explorer.live.svg
    print(f"doubling-time payload: {explorer.live.payload_bytes():,} bytes")
    assert explorer.live.payload_bytes() < 400_000


def test_a_new_earlier_count_sends_new_tables_from_python():
    explorer = doubling_time_explorer(12, 24.5, 6)
    explorer.earlier.value = 10
    assert explorer.description.startswith("Lymphocytes 10 → 24.5 ×10^9/L")
    assert template_text(explorer) == explorer.description
    assert lookup(explorer, "doubling_line") == ["Doubling time: 4.6 months"]


def test_a_move_in_the_browser_sets_the_python_controls_and_description():
    explorer = doubling_time_explorer(12, 18, 6)
    explorer.live.state = {**explorer.live.state, "later": 30.0}
    assert explorer.later.value == 30.0 and explorer.description.startswith("Lymphocytes 12 → 30 ×10^9/L")


STATES = list(itertools.product([12.0, 50.5], [1.0, 12.0, 18.5, 24.0, 24.5, 200.0], [0.5, 2.0, 6.0, 24.0]))


def test_the_front_end_template_says_exactly_what_python_says():
    explorer = doubling_time_explorer()
    for earlier, later, months in STATES:
        explorer.earlier.value, explorer.later.value, explorer.months.value = earlier, later, months
        assert template_text(explorer) == explorer.sentence() == explorer.description, (earlier, later, months)
