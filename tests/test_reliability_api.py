"""Regression tests for the public model API rows of the reliability review (section 1, rows A1–A77).

Each test names its row. A bad input gets an error that names the parameter and the value (never a raw traceback
from numpy or math, never a silent wrong answer); see petechiae_edu.validation for the one set of rules.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import petechiae_edu as pe
from petechiae_edu import calibrated, citations
from petechiae_edu.models.cohort import MAX_PATIENTS, CohortSettings

nan = math.nan
ADULT = dict(age_years=40, sex="female", wbc=6, anc=3, lymphocytes=2, haemoglobin=13)


def _refused(call, *words, kind=ValueError):
    with pytest.raises(kind) as error:
        call()
    message = str(error.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


# --- bleeding model ------------------------------------------------------------------------------------------


def test_A3_a_missing_count_is_called_missing_not_nan():
    message = _refused(lambda: pe.daily_bleeding_risk(None), "platelet_count", "missing", kind=TypeError)
    assert "nan" not in message


def test_A7_a_count_beyond_the_model_is_refused_with_the_per_microlitre_hint():
    _refused(lambda: pe.daily_bleeding_risk(1500), "platelet_count = 1500", "1.5 ×10^9/L")


def test_A9_true_is_not_a_platelet_count():
    _refused(lambda: pe.daily_bleeding_risk(True), "platelet_count = True", "not a number", kind=TypeError)


@pytest.mark.parametrize("ratio", ["2", None])
def test_A13_an_odds_ratio_that_is_not_a_number_is_named(ratio):
    _refused(lambda: calibrated.bleeding_probability(8, odds_ratio=ratio), "odds_ratio", kind=TypeError)


@pytest.mark.parametrize("covariates", ["fever", {"fever": "fever_38_or_more"}])
def test_A15_covariates_must_be_a_covariates_record(covariates):
    _refused(lambda: pe.daily_bleeding_risk(8, covariates), "covariates", "Covariates", kind=TypeError)


@pytest.mark.parametrize("grade", [4, "x", 1, True])
def test_A17_count_where_risk_multiplies_answers_only_for_grade_2_or_3(grade):
    _refused(lambda: pe.count_where_risk_multiplies(20, grade=grade), "grade", "2", "3")


def test_A17_grade_2_is_answered_for_grade_2_not_grade_3():
    grade3 = pe.count_where_risk_multiplies(20, grade=3)
    grade2 = pe.count_where_risk_multiplies(20, grade=2)  # issue 15: the grade ≥2 curve now doubles, barely
    assert 0 < grade2 < grade3 < 20
    with pytest.raises(ValueError, match="grade ≥2 risk never reaches"):  # but never triples
        pe.count_where_risk_multiplies(20, 3.0, grade=2)


def test_A18_a_factor_given_as_text_is_named():
    _refused(lambda: pe.count_where_risk_multiplies(20, factor="2"), "factor = '2'", kind=TypeError)


def test_A19_count_where_risk_multiplies_takes_one_count():
    _refused(lambda: pe.count_where_risk_multiplies([10, 20]), "reference_count", "one platelet count")


# --- transfusion cohort --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["patients", "days"])
def test_A22_true_is_not_a_number_of_patients_or_days(field):
    _refused(lambda: CohortSettings(**{field: True}), f"{field} = True", kind=TypeError)


@pytest.mark.parametrize("seed, kind", [(-1, ValueError), (1.5, TypeError), ("a", TypeError)])
def test_A23_a_bad_seed_is_named(seed, kind):
    _refused(lambda: CohortSettings(seed=seed), "seed", kind=kind)


def test_A24_seed_none_is_refused_so_every_run_gives_the_same_cohort():
    _refused(lambda: CohortSettings(seed=None), "seed", "None", kind=TypeError)


@pytest.mark.parametrize("field, value", [("nadir_count_median", "4"), ("fever_day_share", "0.1")])
def test_A27_settings_given_as_text_are_named(field, value):
    _refused(lambda: CohortSettings(**{field: value}), field, "not a number", kind=TypeError)


@pytest.mark.parametrize(
    "field, value",
    [
        ("at_risk_below", -1.0),
        ("at_risk_below", nan),
        ("bleeding_tendency_sd", nan),
        ("bleeding_tendency_sd", -3.0),
        ("nadir_count_sd", nan),
        ("transfusion_increment_sd", math.inf),
    ],
)
def test_A28_unchecked_cohort_settings_are_now_checked(field, value):
    _refused(lambda: CohortSettings(**{field: value}), field)


@pytest.mark.parametrize("value", [0, -1])
def test_A29_a_recovered_count_of_zero_or_less_is_refused(value):
    _refused(lambda: CohortSettings(recovered_count=value), "recovered_count")


@pytest.mark.parametrize("value", [(10.0, 5.0), (0.0, 0.0)])
def test_A30_a_reversed_or_empty_nadir_day_range_is_refused(value):
    _refused(lambda: CohortSettings(nadir_day_range=value), "nadir_day_range")


def test_A31_a_platelet_survival_under_one_day_is_refused():
    _refused(lambda: CohortSettings(platelet_survival_days=0.5), "platelet_survival_days = 0.5")


@pytest.mark.parametrize("ratio", [0, -1, nan])
def test_A32_A33_a_fever_odds_ratio_that_is_not_positive_and_finite_is_refused(ratio):
    _refused(lambda: pe.simulate_cohort(CohortSettings(patients=20), fever_odds_ratio=ratio), "fever_odds_ratio")


def test_A35_no_strategy_is_refused():
    _refused(lambda: pe.simulate_cohort(CohortSettings(patients=20), strategies=()), "strategies", "empty")


def test_A36_a_strategy_given_as_text_asks_for_a_tuple():
    _refused(
        lambda: pe.simulate_cohort(CohortSettings(patients=20), strategies="prophylactic <10"),
        "strategies = 'prophylactic <10'",
        "tuple",
        kind=TypeError,
    )


def test_A37_settings_must_be_cohort_settings():
    _refused(lambda: pe.simulate_cohort("x"), "settings = 'x'", "CohortSettings", kind=TypeError)


def test_A40_a_cohort_too_large_is_refused_before_anything_is_allocated():
    _refused(lambda: CohortSettings(patients=10**7), "patients = 10000000", f"{MAX_PATIENTS}")


# --- progression and symptoms --------------------------------------------------------------------------------


def test_A44_an_absurd_clone_growth_is_refused_not_an_overflow():
    _refused(lambda: pe.simulate("aml", clone_net_growth=1e300), "clone_net_growth")


def test_A45_treatment_must_be_true_or_false():
    _refused(lambda: pe.simulate("aml", treatment="no"), "treatment = 'no'", kind=TypeError)


@pytest.mark.parametrize("call", [lambda: pe.treatment_response("aml"), lambda: pe.symptom_timeline(None)])
def test_A47_a_progression_result_is_required(call):
    _refused(call, "result", "ProgressionResult", kind=TypeError)


def test_A48_symptom_timeline_refuses_a_nan_day():
    result = pe.simulate("aml", days=400)
    _refused(lambda: pe.symptom_timeline(result, after=nan), "after = nan")


# --- blood count ---------------------------------------------------------------------------------------------


def test_A53_A7_the_interpreter_and_the_bleeding_model_share_one_per_microlitre_rule():
    for value in (2500, 4999):
        _refused(lambda v=value: pe.interpret_cbc(**ADULT, platelets=v), "per µL", f"{value / 1000:g} ×10^9/L")
        _refused(lambda v=value: pe.daily_bleeding_risk(v), "per µL", f"{value / 1000:g} ×10^9/L")


def test_A54_a_differential_above_the_white_count_is_refused():
    _refused(
        lambda: pe.interpret_cbc(**{**ADULT, "wbc": 6, "anc": 5, "lymphocytes": 5}, platelets=32),
        "cannot exceed wbc = 6",
    )


@pytest.mark.parametrize("anc", [-1, -math.inf])
def test_A55_a_negative_anc_is_refused_not_called_profound_neutropenia(anc):
    _refused(lambda: pe.neutropenia_grade(anc), "anc")


@pytest.mark.parametrize("anc", [nan, math.inf])
def test_A56_a_non_finite_anc_is_refused_not_called_normal(anc):
    _refused(lambda: pe.neutropenia_grade(anc), "anc", "not a finite number")


def test_A57_a_per_microlitre_anc_is_refused_with_the_conversion():
    _refused(lambda: pe.neutropenia_grade(1500), "anc = 1500", "per µL", "1.5 ×10^9/L")


@pytest.mark.parametrize("anc", ["x", None])
def test_A58_an_anc_that_is_not_a_number_is_named(anc):
    _refused(lambda: pe.neutropenia_grade(anc), "anc", kind=TypeError)


def test_A55_the_grades_themselves_are_unchanged():
    assert pe.neutropenia_grade(0.05) == "profound neutropenia"
    assert pe.neutropenia_grade(1.2) == "mild neutropenia"
    assert pe.neutropenia_grade(np.float64(3.0)) is None


# --- lesions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, word", [((2, nan), "petechia_below_mm"), ((5, math.inf, None), "petechia_below_mm"), ((2, -1, 10), "-1")]
)
def test_A61_cut_offs_must_be_finite_and_positive(args, word):
    _refused(lambda: pe.classify_lesion(*args), word)


def test_A62_a_cut_off_given_as_text_is_named():
    _refused(lambda: pe.classify_lesion(2, "x"), "petechia_below_mm = 'x'", kind=TypeError)


@pytest.mark.parametrize("diameter", [np.float32(1.0), np.int64(1)])
def test_A63_numpy_numbers_are_numbers(diameter):
    assert pe.classify_lesion(diameter).name == "petechia"


# --- scenarios and widgets (input handling only) -------------------------------------------------------------


def test_A73_load_scenario_without_a_name_says_so():
    from petechiae_edu.scenarios import ScenarioError, find_scenario

    _refused(lambda: find_scenario(None), "scenario name = None", kind=ScenarioError)


@pytest.mark.parametrize("value", ["8", None])
def test_A75_a_widget_start_value_that_is_not_a_number_is_named(value):
    _refused(lambda: pe.bleeding_explorer(platelet_count=value), "Platelet count", "start value", kind=TypeError)


@pytest.mark.parametrize("patients", [0, -1, 1, 2.5, "10"])
def test_A76_the_cohort_explorer_offers_1000_or_10000_patients(patients):
    _refused(lambda: pe.transfusion_strategy_explorer(patients=patients), "patients", "1000", "10000")


def test_A77_log_time_must_be_true_or_false():
    _refused(lambda: pe.progression_explorer("aml", log_time="yes"), "log_time = 'yes'", kind=TypeError)


# --- sources are registered when a calibrated function runs (the PyBaMM pattern) ---------------------------


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: pe.daily_bleeding_risk(8), "gmur1991"),
        (lambda: pe.count_where_risk_multiplies(20), "slichter2010plado"),
        (lambda: pe.simulate_cohort(CohortSettings(patients=20)), "harker1977"),
        (lambda: pe.simulate("aml", days=30), "kantarjian2010"),
        (lambda: pe.interpret_cbc(**ADULT, platelets=32), "ctcae_v5"),
        (lambda: pe.generate_case("child-itp", seed=1), None),
        (lambda: pe.symptom_timeline(pe.simulate("aml", days=200)), None),
    ],
)
def test_a_calibrated_function_alone_registers_its_models_sources(call, expected):
    citations.reset()
    call()
    used = citations.used()
    assert used, "no sources registered"
    if expected is not None:
        assert expected in used
    assert expected is None or expected in str(pe.show_sources())


@pytest.mark.parametrize("lesson", ["../sources", "../../../tmp/x", "3", "003", "٠٣", None])
def test_A67_self_check_takes_only_a_two_digit_lesson_number_and_never_follows_a_path(lesson):
    from petechiae_edu import self_check
    from petechiae_edu.content.errors import ContentError

    with pytest.raises(ContentError, match="expected a two-digit lesson number; available: 00, 01"):
        self_check(lesson)
