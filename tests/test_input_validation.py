"""One input validator for the whole package (petechiae_edu.validation), checked from the outside.

Every public function exported from ``petechiae_edu`` that takes numbers (the models and the blood-count
interpreter) is fed an invalid value of every kind that applies to each numeric parameter: text, a bool, None, NaN,
infinity, a negative number, a count per µL, a number out of range. Each must raise a ValueError or a TypeError whose
message names the parameter and the value given.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import petechiae_edu as pe
from petechiae_edu import validation
from petechiae_edu.models.cohort import CohortSettings

ADULT = dict(age_years=40, sex="female", platelets=150, wbc=6, anc=3, lymphocytes=2, haemoglobin=13)

TEXT, BOOL, NONE, NAN, INF, NEGATIVE = "8", True, None, math.nan, math.inf, -1
COMMON = {"text": TEXT, "bool": BOOL, "none": NONE, "nan": NAN, "inf": INF, "negative": NEGATIVE}


def _interpret(field: str) -> Callable[[object], object]:
    return lambda value: pe.interpret_cbc(**{**ADULT, field: value})


def _cohort(field: str) -> Callable[[object], object]:
    return lambda value: pe.simulate_cohort(CohortSettings(**{"patients": 20, field: value}))


# (public function, parameter, call with the bad value, extra kinds: name -> value, kinds that do not apply)
PARAMETERS: list[tuple[str, str, Callable[[object], object], dict[str, object], tuple[str, ...]]] = [
    ("daily_bleeding_risk", "platelet_count", lambda v: pe.daily_bleeding_risk(v), {"per µL": 2500}, ()),
    ("count_where_risk_multiplies", "reference_count", lambda v: pe.count_where_risk_multiplies(v), {"per µL": 2500}, ()),
    ("count_where_risk_multiplies", "factor", lambda v: pe.count_where_risk_multiplies(20, v), {"out of range": 1}, ()),
    ("simulate_cohort", "fever_odds_ratio", lambda v: pe.simulate_cohort(CohortSettings(patients=20), fever_odds_ratio=v), {"out of range": 0}, ("none",)),  # None: the course's ratio
    ("simulate_cohort", "patients", _cohort("patients"), {"out of range": 10**7, "float": 10.0}, ()),
    ("simulate_cohort", "days", _cohort("days"), {"out of range": 366}, ()),
    ("simulate_cohort", "seed", _cohort("seed"), {"float": 1.5}, ("inf",)),
    ("simulate_cohort", "nadir_count_median", _cohort("nadir_count_median"), {"per µL": 4000, "out of range": 0}, ()),
    ("simulate_cohort", "fever_day_share", _cohort("fever_day_share"), {"out of range": 15}, ()),
    ("simulate_cohort", "platelet_survival_days", _cohort("platelet_survival_days"), {"out of range": 0.5}, ("none",)),  # None: the course's
    ("simulate", "days", lambda v: pe.simulate("aml", days=v), {"out of range": 10**9}, ()),
    ("simulate", "treatment_start_day", lambda v: pe.simulate("aml", days=10, treatment_start_day=v), {"out of range": 10**6}, ("none",)),  # None: the preset's
    ("simulate", "clone_net_growth", lambda v: pe.simulate("aml", days=10, clone_net_growth=v), {"out of range": 1e300}, ("none", "negative")),  # a clone may shrink
    ("simulate", "steps_per_day", lambda v: pe.simulate("aml", days=10, steps_per_day=v), {"out of range": 1000}, ()),
    ("simulate", "treatment", lambda v: pe.simulate("aml", days=10, treatment=v), {"text 'no'": "no"}, ("bool", "negative")),
    ("symptom_timeline", "after", lambda v: pe.symptom_timeline(_course(), after=v), {}, ()),
    ("neutropenia_grade", "anc", lambda v: pe.neutropenia_grade(v), {"per µL": 1500}, ()),
    ("lymphocyte_trend", "lymphocytes", lambda v: pe.lymphocyte_trend(v, 10, 1), {"per µL": 5000}, ()),
    ("lymphocyte_trend", "months_apart", lambda v: pe.lymphocyte_trend(5, 10, v), {}, ()),
    ("classify_lesion", "diameter", lambda v: pe.classify_lesion(v), {"out of range": 1500}, ()),
    ("classify_lesion", "petechia_below_mm", lambda v: pe.classify_lesion(2, v), {"out of range": 0}, ()),
    ("classify_lesion", "ecchymosis_above_mm", lambda v: pe.classify_lesion(2, 1, v), {"out of range": 0}, ("none",)),  # None: no cut-off
    ("generate_case", "seed", lambda v: pe.generate_case("child-itp", v), {"float": 1.5}, ("inf",)),
    *[
        ("interpret_cbc", field, _interpret(field), {"per µL": 2500 if field == "platelets" else 6000}, ())
        for field in ("platelets", "wbc", "anc", "lymphocytes")
    ],
    ("interpret_cbc", "haemoglobin", _interpret("haemoglobin"), {"in g/L": 135}, ()),
    ("interpret_cbc", "age_years", _interpret("age_years"), {"out of range": 200}, ()),
    ("interpret_cbc", "blasts_percent", _interpret("blasts_percent"), {"out of range": 150}, ("none",)),  # None: no film
    *[
        ("interpret_cbc", field, _interpret(field), {"out of range": 1e6}, ("none",))  # None: not measured
        for field in ("monocytes", "mcv", "pt_seconds", "aptt_seconds", "fibrinogen", "d_dimer")
    ],
]  # fmt: skip

_COURSE: list[object] = []


def _course():
    if not _COURSE:
        _COURSE.append(pe.simulate("aml", days=200))
    return _COURSE[0]


CASES = [
    pytest.param(call, parameter, kind, value, id=f"{function}-{parameter}-{kind}")
    for function, parameter, call, extra, skip in PARAMETERS
    for kind, value in {**COMMON, **extra}.items()
    if kind not in skip
]


def _shown(value: object) -> str:
    if value is None:
        return "None"  # "missing" is also accepted below
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e16:
        return f"{value:g}"
    return f"{value:g}" if isinstance(value, float) else str(value)


@pytest.mark.parametrize("call, parameter, kind, value", CASES)
def test_every_kind_of_bad_value_is_refused_naming_the_parameter_and_the_value(call, parameter, kind, value):
    with pytest.raises((ValueError, TypeError)) as error:
        call(value)
    message = str(error.value)
    assert parameter in message, f"{parameter!r} not named in {message!r}"
    if value is None:
        assert "missing" in message or "None" in message, message
    else:
        assert _shown(value) in message, f"value {_shown(value)} not named in {message!r}"


def test_every_public_function_that_takes_numbers_is_covered():
    covered = {function for function, *_ in PARAMETERS}
    numeric_functions = {
        "daily_bleeding_risk",
        "count_where_risk_multiplies",
        "simulate_cohort",
        "simulate",
        "symptom_timeline",
        "neutropenia_grade",
        "lymphocyte_trend",
        "classify_lesion",
        "generate_case",
        "interpret_cbc",
    }
    assert numeric_functions <= covered
    assert numeric_functions <= set(pe.__all__)


# --- the validator itself ------------------------------------------------------------------------------------


def test_bool_is_not_a_number_and_text_is_not_parsed():
    for value in (True, np.bool_(False), "8", " 8 ", b"8"):
        with pytest.raises(TypeError):
            validation.number(value, "x")


def test_numpy_numbers_are_numbers():
    assert validation.number(np.float32(1.5), "x") == 1.5
    assert validation.whole_number(np.int64(7), "x") == 7


def test_the_one_per_microlitre_rule_is_the_same_for_the_bleeding_model_and_the_interpreter():
    from petechiae_edu.models import bleeding, cbc_grades

    for value in (2001, 2500, 150_000):
        with pytest.raises(ValueError, match="per µL"):
            bleeding.check_platelet_count(value)
        with pytest.raises(ValueError, match="per µL"):
            cbc_grades.check_count(value, "platelets")
    assert cbc_grades.check_count(2000, "platelets") == 2000  # a real, extreme thrombocytosis is read, not refused


def test_wrong_types_are_caught_as_type_error_and_as_value_error():
    with pytest.raises(TypeError):
        validation.count("8", "platelets")
    with pytest.raises(ValueError):
        validation.count("8", "platelets")


def test_a_seed_of_any_size_is_accepted_but_none_is_not():
    assert validation.seed(2**200) == 2**200
    with pytest.raises(TypeError, match="seed is missing"):
        validation.seed(None)


def test_a_size_is_checked_before_anything_is_allocated():
    with pytest.raises(ValueError, match="patients = 10000000"):
        validation.size(10**7, "patients", high=validation.MAX_PATIENTS)


def test_choices_compare_type_as_well_as_value():
    assert validation.choice(2, "grade", (2, 3)) == 2
    for value in ("2", True, 2.5):
        with pytest.raises(ValueError, match="grade"):
            validation.choice(value, "grade", (2, 3))


def test_a_fraction_typed_as_a_percentage_gets_a_hint():
    with pytest.raises(ValueError, match=r"a percentage\? 15 % = 0.15"):
        validation.fraction(15, "fever_day_share")


def test_a_reversed_range_is_refused():
    with pytest.raises(ValueError, match="reversed"):
        validation.value_range((10, 5), "nadir_day_range", unit="days")
