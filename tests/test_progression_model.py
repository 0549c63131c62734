"""Specification of simulation 2: the progression model (petechiae_edu.models.progression), run on the course's
presets (petechiae_edu.calibrated)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petechiae_edu.calibrated import preset_parameters, simulate
from petechiae_edu.content import progression_data, validate_all
from petechiae_edu.models.progression import PRESETS, treatment_response

FIVE_YEARS = 1826


def test_every_preset_parameter_has_sources_or_is_a_marked_teaching_choice():
    presets = progression_data.progression_presets()
    assert set(PRESETS) <= set(presets)
    for preset in presets.values():
        for name, parameter in preset.parameters().items():
            assert parameter.sources or (parameter.teaching_choice and parameter.why), name
            assert parameter.unit


def test_preset_file_passes_the_content_check():
    assert validate_all()["presets/progression.toml"] == 5


def test_healthy_person_stays_at_steady_state_within_reference_ranges_for_five_years():
    result = simulate("healthy", days=FIVE_YEARS)
    assert np.all((result.platelets >= 150) & (result.platelets <= 450))
    assert np.all((result.wbc >= 4.5) & (result.wbc <= 11.0))
    assert np.all((result.anc >= 1.8) & (result.anc <= 7.8))
    # inside both the male (14–17.5) and the female (12.3–15.3) haemoglobin range
    assert np.all((result.haemoglobin >= 14.0) & (result.haemoglobin <= 15.3))
    assert np.ptp(result.platelets) < 1e-6
    assert np.all(result.blast_share == 0)


def test_no_clone_means_steady_state_even_with_other_preset_settings():
    params = dataclasses.replace(preset_parameters("all"), clone_start_fraction=0.0)
    result = simulate(params, treatment=False)
    assert np.ptp(result.platelets) < 1e-6 and np.ptp(result.haemoglobin) < 1e-6


@pytest.mark.parametrize("preset", ["aml", "all"])
def test_acute_leukaemia_brings_platelets_below_20_within_weeks_to_months(preset):
    result = simulate(preset, treatment=False, days=730)
    first_low = result.first_day("platelets", below=150)
    below_20 = result.first_day("platelets", below=20)
    assert first_low is not None and below_20 is not None
    assert 14 <= below_20 - first_low <= 120  # weeks, not years, from the first low count to < 20
    assert below_20 < 365


def test_all_clone_grows_at_the_published_net_rate_while_small():
    result = simulate("all", treatment=False, days=120)
    clone = result.trajectory.clone
    rate = math.log(clone[60] / clone[0]) / 60
    assert rate == pytest.approx(0.069, abs=0.002)  # Br J Haematol 1997: 6.9 %/day, doubling ≈ 10 days
    assert math.log(2) / rate == pytest.approx(10, abs=0.5)


def test_chronic_myeloid_leukaemia_keeps_a_high_white_count_for_years_without_cytopenia():
    result = simulate("cml", treatment=False)
    above_100 = result.wbc > 100
    assert above_100.sum() > 2 * 365  # more than two years with WBC > 100 ×10^9/L
    assert result.wbc.max() < 300  # within the published 100–300 ×10^9/L
    assert result.platelets.min() > 150
    assert result.first_day("anc", below=1.5) is None


def test_cll_grows_slowly_and_crosses_the_diagnostic_threshold_after_months():
    result = simulate("cll")
    day = result.first_day("clone_blood_count", above=5.0)
    assert day is not None and day > 180
    assert result.first_day("platelets", below=100) is None


def test_tki_gives_a_biphasic_decline_with_michor_slopes():
    response = treatment_response(simulate("cml"))
    assert response.fast_slope_per_day == pytest.approx(-0.05, abs=0.008)
    assert response.slow_slope_per_day == pytest.approx(-0.008, abs=0.003)
    assert abs(response.fast_slope_per_day) > 4 * abs(response.slow_slope_per_day)


def test_tki_brings_the_white_count_back_to_the_reference_range():
    result = simulate("cml")
    start = int(result.parameters.treatment_start_day)
    assert result.wbc[start] > 50
    assert 4.5 <= result.wbc[start + 180] <= 11.0


def test_induction_causes_aplasia_then_remission():
    result = simulate("all")
    response = treatment_response(result)
    assert response.aplasia_start_day is not None and response.remission_day is not None
    assert response.remission_day > response.aplasia_start_day
    assert response.clone_eradicated and response.relapse_day is None


def test_older_adult_aml_relapses_months_after_remission():
    response = treatment_response(simulate("aml"))
    assert response.remission_day is not None and response.relapse_day is not None
    assert 30 <= response.relapse_day - response.remission_day <= 240


def test_without_treatment_there_is_no_response():
    assert treatment_response(simulate("aml", treatment=False)).kind == "none"


def test_later_treatment_start_means_later_remission():
    early = treatment_response(simulate("all", treatment_start_day=160)).remission_day
    late = treatment_response(simulate("all", treatment_start_day=200)).remission_day
    assert early < late


def test_faster_clone_growth_brings_petechiae_sooner():
    slow = simulate("aml", treatment=False, clone_net_growth=0.04).first_day("platelets", below=20)
    fast = simulate("aml", treatment=False, clone_net_growth=0.08).first_day("platelets", below=20)
    assert fast < slow


def test_one_step_per_day_agrees_with_a_fine_step():
    coarse = simulate("all", treatment=False, days=365)
    fine = simulate("all", treatment=False, days=365, steps_per_day=8)
    assert abs(coarse.first_day("platelets", below=20) - fine.first_day("platelets", below=20)) <= 4


def test_result_arrays_are_read_only():
    result = simulate("healthy", days=10)
    with pytest.raises(ValueError):
        result.platelets[0] = 1.0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"clone_death_rate": -0.1}, "clone_death_rate = -0.1"),
        ({"clone_birth_rate": float("nan")}, "clone_birth_rate = nan"),
        ({"platelet_lifespan_days": 0.0}, "platelet_lifespan_days"),
        ({"treatment": "magic"}, "magic"),
    ],
)
def test_bad_parameters_give_errors_naming_the_value(change, words):
    with pytest.raises(ValueError, match=words):
        dataclasses.replace(preset_parameters("aml"), **change)


def test_unknown_preset_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"'xyz'.*aml"):
        simulate("xyz")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 0},
        {"days": 2.5},
        {"treatment_start_day": -3},
        {"clone_net_growth": float("inf")},
        {"clone_net_growth": -1.0},
    ],
)
def test_bad_simulation_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        simulate("aml", **kwargs)


@settings(max_examples=40, deadline=None)
@given(
    preset=st.sampled_from(["aml", "all", "cml", "cll"]),
    birth=st.floats(0.0, 0.5),
    death=st.floats(0.0, 0.5),
    start_fraction=st.floats(0.0, 2.0),
    capacity=st.floats(0.01, 5.0),
    normal_kill=st.floats(0.0, 8.0),
    clone_kill=st.floats(0.0, 8.0),
    start_day=st.floats(0.0, 400.0),
    treated=st.booleans(),
)
def test_counts_are_never_negative(
    preset, birth, death, start_fraction, capacity, normal_kill, clone_kill, start_day, treated
):
    params = dataclasses.replace(
        preset_parameters(preset),
        clone_birth_rate=birth,
        clone_death_rate=death,
        clone_start_fraction=start_fraction,
        clone_capacity=capacity,
        induction_normal_log_kill=normal_kill,
        induction_clone_log_kill=clone_kill,
        treatment_start_day=start_day,
    )
    result = simulate(params, days=500, treatment=treated)
    for quantity in ("wbc", "anc", "haemoglobin", "platelets", "blast_share"):
        values = result.series(quantity)
        assert np.all(np.isfinite(values)) and np.all(values >= 0), quantity
    assert np.all(result.blast_share <= 1.0)
