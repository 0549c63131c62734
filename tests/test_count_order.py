"""When the marrow fails, the neutrophils fall first, the platelets next and the haemoglobin last (issue 11 §1):
the course's progression model shows this order, and lesson 05 reads it with one call."""

from __future__ import annotations

import dataclasses

import pytest

import petechiae_edu as pe
from petechiae_edu import calibrated
from petechiae_edu.models import count_order, progression


def _stopped_marrow(log_kill: float = 3.0) -> progression.ProgressionResult:
    parameters = count_order.marrow_stop_parameters(
        calibrated.preset_parameters("healthy"), stop_day=30, normal_log_kill=log_kill, block_days=7
    )
    return progression.simulate(parameters, days=150, treatment=True)


@pytest.mark.parametrize("log_kill", [2.0, 3.0, 4.0])
def test_after_the_marrow_stops_neutrophils_fall_first_then_platelets_then_haemoglobin(log_kill):
    falls = count_order.count_falls(
        _stopped_marrow(log_kill), from_day=30, lower_limits={"anc": 1.8, "platelets": 150, "haemoglobin": 12.3}
    )
    assert count_order.order_of_relative_fall(falls, 0.75) == ("anc", "platelets", "haemoglobin")
    assert count_order.order_of_relative_fall(falls, 0.5)[:2] == ("anc", "platelets")
    assert count_order.order_of_leaving_range(falls) == ("anc", "platelets", "haemoglobin")


def test_neutropenia_comes_days_before_thrombocytopenia_after_the_marrow_stops():
    by_count = {fall.quantity: fall for fall in count_order.count_falls(_stopped_marrow(), from_day=30)}
    assert by_count["anc"].days_to_share[0.5] < by_count["platelets"].days_to_share[0.5]
    # red cells live for months: haemoglobin falls by a quarter only weeks later
    assert by_count["haemoglobin"].days_to_share[0.75] > 3 * by_count["platelets"].days_to_share[0.75]


@pytest.mark.parametrize("preset", ["aml", "all"])
def test_a_leukaemia_crowding_the_marrow_lowers_the_neutrophils_first_relative_to_their_start(preset):
    result = progression.simulate(calibrated.preset_parameters(preset), treatment=False)
    falls = count_order.count_falls(result)
    assert count_order.order_of_relative_fall(falls, 0.75) == ("anc", "platelets", "haemoglobin")
    assert count_order.order_of_relative_fall(falls, 0.5) == ("anc", "platelets", "haemoglobin")


def test_the_healthy_marrow_left_alone_does_not_fall():
    result = progression.simulate(calibrated.preset_parameters("healthy"), days=365, treatment=False)
    falls = count_order.count_falls(result, lower_limits={"anc": 1.8, "platelets": 150})
    assert all(day is None for fall in falls for day in fall.days_to_share.values())
    assert all(fall.days_below_limit is None for fall in falls)


def test_the_lesson_one_liner_names_the_order_and_registers_the_biology_sources():
    pe.citations.reset()
    report = pe.count_fall_order("chemotherapy")
    assert report.order_of_relative_fall == ("anc", "platelets", "haemoglobin")
    assert "Fell to half first → last: neutrophils → platelets → haemoglobin" in str(report)
    assert {"lahoz_beneytez2016", "fliedner2002", "harker1977"} <= set(pe.citations.used())


def test_the_one_liner_reads_limits_from_the_course_ranges_and_refuses_an_unknown_scenario():
    report = pe.count_fall_order("aml")
    limits = {fall.quantity: fall.lower_limit for fall in report.falls}
    assert limits["platelets"] == calibrated.reference_band("platelets", 40, "female").low
    with pytest.raises(ValueError, match="'cml' is not one of: chemotherapy, aml, all"):
        pe.count_fall_order("cml")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"shares": (1.5,)}, "share = 1.5; expected a fraction between 0 and 1"),
        ({"from_day": -1}, "from_day = -1; expected a whole day from 0"),
        ({"lower_limits": {"wbc": 4.0}}, "lower_limits has wbc; expected only anc, platelets, haemoglobin"),
    ],
)
def test_bad_arguments_name_the_value_and_what_was_expected(arguments, message):
    result = progression.simulate(calibrated.preset_parameters("healthy"), days=10, treatment=False)
    with pytest.raises(ValueError, match=message):
        count_order.count_falls(result, **arguments)


def test_a_stop_needs_a_positive_day_kill_and_length():
    healthy = calibrated.preset_parameters("healthy")
    with pytest.raises(ValueError, match="normal_log_kill = 0; expected a finite number > 0"):
        count_order.marrow_stop_parameters(healthy, stop_day=30, normal_log_kill=0, block_days=7)
    stopped = count_order.marrow_stop_parameters(healthy, stop_day=30, normal_log_kill=3, block_days=7)
    assert dataclasses.replace(stopped, preset="x").induction_clone_log_kill == 0.0
