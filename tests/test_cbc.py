"""The CBC interpreter read against one adult range per value: flags, grades, patterns and clear errors for bad input.

Age bands, children's ranges and the new patterns are specified in tests/test_cbc_patterns.py."""

from __future__ import annotations

import math

import pytest

from petechiae_edu import calibrated
from petechiae_edu.models.cbc import CbcRanges, Range, interpret_cbc
from petechiae_edu.models.cbc_grades import lymphocyte_trend, neutropenia_grade

# The course's adult ranges (OER), written out so that these tests pin the interpreter, not the data file.
RANGES = CbcRanges(
    platelets=Range(150, 450, "×10^9/L", ("oer_reference_ranges",)),
    wbc=Range(4.5, 11.0, "×10^9/L", ("oer_reference_ranges",)),
    anc=Range(1.8, 7.8, "×10^9/L", ("oer_reference_ranges",)),
    lymphocytes=Range(1.0, 4.8, "×10^9/L", ("oer_reference_ranges",)),
    haemoglobin_male=Range(14.0, 17.5, "g/dL", ("oer_reference_ranges",)),
    haemoglobin_female=Range(12.3, 15.3, "g/dL", ("oer_reference_ranges",)),
)

PATTERNS = calibrated.course_patterns()  # the pattern rules of data/cbc_patterns.toml

NORMAL_ADULT = dict(
    age_years=40, sex="female", platelets=250, wbc=7, anc=4, lymphocytes=2, haemoglobin=13.5, blasts_percent=None
)


def interpret(**changes):
    return interpret_cbc(**{**NORMAL_ADULT, **changes}, ranges=RANGES, patterns=PATTERNS)


# --- flags ---------------------------------------------------------------------------------------------------


def test_a_normal_count_has_no_flags_and_no_pattern():
    result = interpret()
    assert all(f.flag == "normal" for f in result.findings)
    assert result.patterns == ()
    assert "All values within" in result.summary()


@pytest.mark.parametrize(
    ("field", "low_value", "high_value"),
    [
        ("platelets", 100, 500),
        ("wbc", 4.0, 12.0),
        ("anc", 1.7, 7.9),
        ("lymphocytes", 0.9, 4.9),
        ("haemoglobin", 12.0, 16),
    ],
)
def test_each_value_is_flagged_low_below_and_high_above_its_range(field, low_value, high_value):
    low = {field: low_value}
    if field == "wbc":
        low.update(anc=2.5, lymphocytes=1.2)  # the parts of a low total must still fit inside it
    assert interpret(**low).finding(field).flag == "low"
    changes = {field: high_value}
    if field in ("anc", "lymphocytes"):
        changes["wbc"] = 10.5  # a raised part must still fit inside the total white count
    assert interpret(**changes).finding(field).flag == "high"


def test_the_limits_of_a_range_count_as_normal():
    assert interpret(platelets=150).finding("platelets").flag == "normal"
    assert interpret(platelets=450).finding("platelets").flag == "normal"


def test_haemoglobin_uses_the_range_for_the_given_sex():
    assert interpret(sex="female", haemoglobin=13.0).finding("haemoglobin").flag == "normal"
    assert interpret(sex="male", haemoglobin=13.0).finding("haemoglobin").flag == "low"


def test_a_flag_is_written_in_words_and_symbols_not_only_colour():
    finding = interpret(platelets=20).finding("platelets")
    assert finding.flag_text == "LOW ▼"
    assert interpret(wbc=15).finding("wbc").flag_text == "HIGH ▲"


# --- grades --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platelets", "grade"),
    [
        (149, "CTCAE grade 1"),
        (75, "CTCAE grade 1"),
        (74.9, "CTCAE grade 2"),
        (50, "CTCAE grade 2"),
        (49, "CTCAE grade 3"),
        (25, "CTCAE grade 3"),
        (24, "CTCAE grade 4"),
        (3, "CTCAE grade 4"),
    ],
)
def test_low_platelets_are_graded_by_ctcae(platelets, grade):
    finding = interpret(platelets=platelets).finding("platelets")
    assert finding.grade == grade
    assert "ctcae_v5" in finding.sources


def test_normal_platelets_carry_no_grade():
    assert interpret(platelets=200).finding("platelets").grade is None


@pytest.mark.parametrize(
    ("anc", "grade"),
    [
        (1.7, None),
        (1.5, None),
        (1.49, "mild neutropenia"),
        (1.0, "mild neutropenia"),
        (0.99, "moderate neutropenia"),
        (0.5, "moderate neutropenia"),
        (0.49, "severe neutropenia"),
        (0.1, "severe neutropenia"),
        (0.05, "profound neutropenia"),
    ],
)
def test_neutropenia_is_graded_mild_moderate_severe_profound(anc, grade):
    assert neutropenia_grade(anc) == grade
    finding = interpret(anc=anc).finding("anc")
    assert finding.flag == "low"
    assert finding.grade == grade
    assert "taplitz2018" in finding.sources


def test_an_anc_below_range_but_above_mild_neutropenia_says_so():
    assert "1.5" in interpret(anc=1.6).finding("anc").note


def test_anaemia_is_flagged_but_never_graded_by_ctcae():
    finding = interpret(haemoglobin=7.0).finding("haemoglobin")
    assert finding.flag == "low"
    assert finding.grade is None
    assert "not verified" in finding.note


# --- patterns ------------------------------------------------------------------------------------------------


def test_isolated_thrombocytopenia_is_named_when_only_platelets_are_low():
    result = interpret(platelets=32)
    assert result.pattern_keys == ("isolated_thrombocytopenia",)
    pattern = result.patterns[0]
    assert any("film" in step for step in pattern.next_steps)
    assert "nice_ng12_2015" in pattern.sources


def test_thrombocytopenia_with_anaemia_is_not_isolated():
    assert "isolated_thrombocytopenia" not in interpret(platelets=32, haemoglobin=9).pattern_keys


def test_pancytopenia_needs_all_three_lines_low():
    result = interpret(platelets=40, haemoglobin=8, wbc=2.0, anc=0.6, lymphocytes=1.2)
    assert result.pattern_keys == ("pancytopenia",)
    assert "three cell lines" in result.patterns[0].definition
    assert any("marrow" in step for step in result.patterns[0].next_steps)
    assert "pancytopenia" not in interpret(platelets=40, haemoglobin=8).pattern_keys


def test_a_low_neutrophil_count_completes_pancytopenia_even_with_a_normal_total():
    result = interpret(platelets=40, haemoglobin=8, wbc=5.0, anc=0.4, lymphocytes=4.0)
    assert "pancytopenia" in result.pattern_keys


def test_leukocytosis_with_blasts_is_named_and_not_mistaken_for_pancytopenia():
    result = interpret(wbc=48, anc=0.8, lymphocytes=4, haemoglobin=8, platelets=40, blasts_percent=62)
    assert result.pattern_keys == ("leukocytosis_with_blasts",)
    assert any("immediate" in step.lower() for step in result.patterns[0].next_steps)
    assert any("flow cytometry" in step for step in result.patterns[0].next_steps)


def test_blasts_with_a_normal_white_count_are_still_named():
    result = interpret(blasts_percent=5)
    assert result.pattern_keys == ("blasts_on_film",)


def test_leukocytosis_without_blasts_names_no_blast_pattern():
    assert interpret(wbc=15, anc=11, blasts_percent=0).pattern_keys == ()
    assert interpret(wbc=15, anc=11, blasts_percent=None).pattern_keys == ()


def test_lymphocytosis_is_named_with_the_cll_threshold():
    result = interpret(age_years=72, sex="male", wbc=14, anc=4, lymphocytes=9.5, haemoglobin=14.5)
    assert result.pattern_keys == ("lymphocytosis",)
    pattern = result.patterns[0]
    assert any("5 ×10^9/L" in step and "clonal B cells" in step for step in pattern.next_steps)
    assert pattern.sources == (
        "hallek2018_iwcll",
        "strati2015_mbl",
        "nowakowski2009_smudge",
        "ash_imagebank_smudge_cells",
    )


def test_hyperleukocytosis_is_named_above_100_as_an_emergency():
    result = interpret(wbc=300, anc=5, lymphocytes=3, blasts_percent=80)
    assert result.pattern_keys[0] == "hyperleukocytosis"
    assert result.patterns[0].urgency == "emergency" and result.most_urgent == "emergency"
    assert "rollig2015" in result.patterns[0].sources
    assert "hyperleukocytosis" not in interpret(wbc=100, anc=5, lymphocytes=3, blasts_percent=80).pattern_keys


def test_a_child_is_told_that_adult_ranges_are_only_approximate():
    child = interpret(age_years=6)
    assert "ADULT ranges" in child.caveats[0]
    assert "approximate" in child.caveats[0]
    assert not any("ADULT ranges" in caveat for caveat in interpret(age_years=30).caveats)


def test_the_result_collects_the_sources_it_rests_on():
    result = interpret(platelets=32, anc=0.05, wbc=4.6, lymphocytes=4.0)
    assert {
        "oer_reference_ranges",
        "ctcae_v5",
        "taplitz2018",
        "freifeld2011_idsa",
        "spectrum_alberta_childrens",
    } <= set(result.sources)


def test_the_summary_names_abnormal_values_and_patterns():
    text = interpret(platelets=32).summary()
    assert text.startswith("Platelets 32 ×10^9/L: low (CTCAE grade 3)")
    assert text.endswith("Patterns: isolated thrombocytopenia (immediate).")


def test_the_course_adult_ranges_are_the_oer_laboratory_limits():
    ranges = calibrated.course_adult_ranges()
    assert (ranges.platelets.low, ranges.platelets.high, ranges.platelets.units) == (150, 450, "×10^9/L")
    assert (ranges.haemoglobin_male.low, ranges.haemoglobin_female.low) == (14.0, 12.3)
    result = calibrated.interpret_cbc(**{**NORMAL_ADULT, "platelets": 32})
    assert result.pattern_keys == ("isolated_thrombocytopenia",)


# --- bad input -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["platelets", "wbc", "anc", "lymphocytes", "haemoglobin"])
def test_a_negative_value_is_refused_naming_field_value_and_unit(field):
    with pytest.raises(ValueError, match=rf"{field} = -1 is negative; expected a number ≥ 0 in (×10\^9/L|g/dL)"):
        interpret(**{field: -1})


@pytest.mark.parametrize("field", ["platelets", "wbc", "anc", "lymphocytes", "haemoglobin", "age_years"])
def test_a_missing_value_is_refused_naming_the_field_and_unit(field):
    with pytest.raises(ValueError, match=rf"{field} is missing; expected a number in (×10\^9/L|g/dL|years)"):
        interpret(**{field: None})


def test_a_value_left_out_altogether_is_refused():
    with pytest.raises(ValueError, match="platelets is missing"):
        interpret_cbc(
            age_years=40, sex="male", wbc=7, anc=4, lymphocytes=2, haemoglobin=15, ranges=RANGES, patterns=PATTERNS
        )


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_non_finite_value_is_refused(bad):
    expected = r"platelets = (nan|inf) is not a finite number; expected a number in ×10\^9/L"
    with pytest.raises(ValueError, match=expected):
        interpret(platelets=bad)


def test_text_instead_of_a_number_is_refused():
    with pytest.raises(ValueError, match=r"wbc = '7' is not a number; expected a number in ×10\^9/L"):
        interpret(wbc="7")


def test_platelets_per_microlitre_are_refused_with_the_conversion():
    with pytest.raises(ValueError) as error:
        interpret(platelets=150000)
    message = str(error.value)
    assert "platelets = 150000 looks like a count per µL" in message
    assert "expected ×10^9/L" in message
    assert "150 ×10^9/L" in message


def test_white_cells_per_microlitre_are_refused_with_the_conversion():
    expected = r"wbc = 7000 looks like a count per µL; expected ×10\^9/L .*= 7 ×10\^9/L"
    with pytest.raises(ValueError, match=expected):
        interpret(wbc=7000, anc=4, lymphocytes=2)


@pytest.mark.parametrize("field", ["anc", "lymphocytes"])
def test_differential_counts_per_microlitre_are_refused(field):
    with pytest.raises(ValueError, match=rf"{field} = 4000 looks like a count per µL"):
        interpret(**{field: 4000, "wbc": 7})


def test_haemoglobin_in_grams_per_litre_is_refused_with_the_conversion():
    with pytest.raises(ValueError, match=r"haemoglobin = 135 looks like g/L; expected g/dL .*= 13.5 g/dL"):
        interpret(haemoglobin=135)


def test_a_very_high_but_real_white_count_is_accepted():
    assert interpret(wbc=300, anc=10, lymphocytes=5).finding("wbc").flag == "high"


def test_parts_of_the_white_count_cannot_exceed_the_total():
    with pytest.raises(ValueError, match=r"cannot exceed wbc = 3 ×10\^9/L"):
        interpret(wbc=3, anc=4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sex": "m"}, "sex = 'm' is not one of male, female"),
        ({"sex": None}, "sex is missing"),
        ({"age_years": -2}, "age_years = -2 is negative; expected a number ≥ 0 in years"),
        ({"age_years": 130}, r"age_years = 130 is not an age in years \(expected 0–120\)"),
        ({"blasts_percent": 120}, "blasts_percent = 120 is over 100; expected a percentage 0–100"),
        ({"blasts_percent": -5}, "blasts_percent = -5 is negative; expected a number ≥ 0 in % of white cells"),
    ],
)
def test_other_bad_inputs_are_refused_clearly(changes, message):
    with pytest.raises(ValueError, match=message):
        interpret(**changes)


# --- CLL lymphocyte trend ------------------------------------------------------------------------------------


def test_a_doubling_time_under_6_months_meets_the_cll_treatment_criterion():
    trend = lymphocyte_trend(12, 20, 3)
    assert round(trend.doubling_months, 1) == 4.1
    assert trend.doubling_under_6_months and trend.meets_a_treatment_criterion


def test_a_slow_rise_meets_no_criterion():
    trend = lymphocyte_trend(12, 14, 6)
    assert round(trend.doubling_months) == 27
    assert not trend.meets_a_treatment_criterion
    assert "does not meet" in trend.summary()


def test_a_rise_over_50_percent_within_2_months_counts_only_inside_the_window():
    assert lymphocyte_trend(8, 12.5, 2).rise_over_50_percent_in_2_months
    assert not lymphocyte_trend(8, 12.5, 5).rise_over_50_percent_in_2_months


def test_a_falling_count_has_no_doubling_time():
    trend = lymphocyte_trend(20, 15, 3)
    assert math.isinf(trend.doubling_months)
    assert "not rising" in trend.summary()


def test_the_trend_refuses_bad_counts_clearly():
    with pytest.raises(ValueError, match="lymphocytes = 12000 looks like a count per µL"):
        lymphocyte_trend(12000, 20, 3)
    with pytest.raises(ValueError, match="must both be above 0"):
        lymphocyte_trend(12, 20, 0)
