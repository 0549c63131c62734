"""The platelet balance of lesson 02: model properties, bad input, and the explorer's wiring."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petechiae_edu import citations
from petechiae_edu.models.platelet_kinetics import (
    NORMAL_PRODUCTION,
    VASCULAR_CONSUMPTION,
    PlateletBalance,
    approach,
    mass_over_time,
    steady_state,
)

productions = st.floats(min_value=0, max_value=300)
pooled = st.floats(min_value=0, max_value=0.9)
survivals = st.floats(min_value=1, max_value=15)


def test_normal_settings_settle_inside_the_reference_range():
    normal = steady_state()
    assert 150 <= normal.circulating_count <= 450
    assert normal.circulating_count == pytest.approx(9.5 * (35 - 7.1) * 2 / 3)


def test_the_spleen_holds_its_share_of_the_platelet_mass():
    state = steady_state(PlateletBalance(pooled_fraction=0.5))
    assert state.pooled_in_spleen == pytest.approx(state.circulating_count)
    assert state.pooled_in_spleen + state.circulating_count == pytest.approx(state.platelet_mass)


def test_halving_production_more_than_halves_the_count_because_vessels_take_a_fixed_share():
    normal = steady_state().circulating_count
    half = steady_state(PlateletBalance(production_percent=50)).circulating_count
    assert half < normal / 2
    assert round(half) == 66


def test_count_is_zero_when_production_cannot_cover_vascular_consumption():
    percent = 100 * VASCULAR_CONSUMPTION / NORMAL_PRODUCTION * 0.9
    state = steady_state(PlateletBalance(production_percent=percent))
    assert state.circulating_count == 0
    assert state.used_for_vessels == pytest.approx(state.production)


@given(productions, productions, pooled, survivals)
@settings(max_examples=60, deadline=None)
def test_count_never_falls_when_production_rises(p1, p2, fraction, survival):
    low, high = sorted((p1, p2))
    count_low = steady_state(PlateletBalance(low, fraction, survival)).circulating_count
    count_high = steady_state(PlateletBalance(high, fraction, survival)).circulating_count
    assert count_high >= count_low - 1e-9


@given(productions, pooled, pooled, survivals)
@settings(max_examples=60, deadline=None)
def test_count_never_rises_when_the_spleen_holds_more(production, f1, f2, survival):
    small, large = sorted((f1, f2))
    count_small = steady_state(PlateletBalance(production, small, survival)).circulating_count
    count_large = steady_state(PlateletBalance(production, large, survival)).circulating_count
    assert count_large <= count_small + 1e-9


@given(productions, pooled, survivals)
@settings(max_examples=60, deadline=None)
def test_steady_state_balances_inflow_and_outflow(production, fraction, survival):
    state = steady_state(PlateletBalance(production, fraction, survival))
    if state.platelet_mass > 0:
        assert state.production == pytest.approx(state.removed_by_age + state.used_for_vessels)
    assert state.circulating_count >= 0


def test_approach_starts_at_the_old_steady_state_and_ends_near_the_new_one():
    after = PlateletBalance(production_percent=50)
    result = approach(after, days=200)
    assert result.circulating_count[0] == pytest.approx(steady_state().circulating_count)
    assert result.circulating_count[-1] == pytest.approx(result.end.circulating_count, rel=1e-6)


def test_half_the_change_is_reached_after_survival_times_ln2():
    after = PlateletBalance(production_percent=50)
    result = approach(after, days=60, points=6001)
    start, end = result.start.circulating_count, result.end.circulating_count
    halfway = result.count_on_day(after.survival_days * math.log(2))
    assert halfway == pytest.approx((start + end) / 2, rel=1e-3)


def test_a_bigger_spleen_lowers_the_count_on_day_zero():
    result = approach(PlateletBalance(pooled_fraction=0.9))
    assert result.circulating_count[0] == pytest.approx(0.1 * steady_state().platelet_mass)


def test_count_falls_monotonically_after_production_stops():
    result = approach(PlateletBalance(production_percent=0), days=40)
    assert np.all(np.diff(result.circulating_count) <= 1e-12)
    assert result.first_day_below(1.0) is not None


def test_mass_never_goes_negative():
    mass = mass_over_time(10.0, PlateletBalance(production_percent=0), np.linspace(0, 100, 50))
    assert mass.min() == 0


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("production_percent", -5, "production_percent"),
        ("pooled_fraction", 33, "fraction"),
        ("survival_days", 0, "survival_days"),
        ("survival_days", float("nan"), "finite"),
        ("production_percent", "100", "not a number"),
    ],
)
def test_bad_input_names_the_value_and_what_was_expected(field, value, expected):
    with pytest.raises(ValueError, match=expected):
        PlateletBalance(**{field: value})


def test_bad_time_span_is_refused():
    with pytest.raises(ValueError, match="days"):
        approach(PlateletBalance(), days=-1)
    with pytest.raises(ValueError, match="start_mass"):
        mass_over_time(-1.0, PlateletBalance(), np.array([0.0]))


# --- the explorer (kernel side) ---


@pytest.fixture
def explorer():
    from petechiae_edu.widgets.platelet_balance import platelet_balance_explorer

    return platelet_balance_explorer()


def test_explorer_cites_the_sources_of_its_model(explorer):
    for key in ("harker1977", "slichter2004", "labce_splenic_sequestration"):
        assert key in citations.used()


def test_moving_production_updates_model_description_and_live_state(explorer):
    explorer.production.value = 50
    assert explorer.result.end.balance.production_percent == 50
    assert "settles at 66 ×10^9/L" in explorer.description
    assert "below the 150–450" in explorer.description
    assert explorer.live.state["production"] == 50  # the live figure (browser side) follows


def test_enlarged_spleen_is_described_as_below_range(explorer):
    explorer.pooling.value = 0.9
    explorer.survival.value = 6.2
    assert "90% held in the spleen" in explorer.description
    assert "below the" in explorer.description


def test_failed_production_is_described_as_falling_towards_zero(explorer):
    explorer.production.value = 10
    assert "falls towards zero" in explorer.description
    assert explorer.result.end.circulating_count == 0


def test_explorer_widget_shows_three_labelled_controls(explorer):
    assert len(explorer.controls) == 3
    labels = [control.children[0].description for control in explorer.controls]
    assert any("production" in label for label in labels)
    assert any("spleen" in label for label in labels)
    assert any("survival" in label for label in labels)


def test_spleen_studies_chart_describes_the_measured_groups_in_words():
    from petechiae_edu.widgets.platelet_balance import spleen_studies_chart

    chart = spleen_studies_chart()
    assert "survival 8.4 days, 59.2%" in chart.description
    assert "enlarged spleen (splenomegaly): survival 6.2 days, 26.3%" in chart.description
    assert f'alt="{chart.description}"' in chart._repr_html_()
