"""The CBC interpreter reads the whole count: ranges for the patient's age, the differential, film and clotting,
and the patterns of data/cbc_patterns.toml with their urgency."""

from __future__ import annotations

import pytest

from petechiae_edu import calibrated
from petechiae_edu.content import cbc_rules
from petechiae_edu.models import cbc_patterns
from petechiae_edu.models.cbc import interpret_cbc as model_interpret

ADULT = dict(age_years=40, sex="female", haemoglobin=13.5, wbc=7.0, anc=4.0, lymphocytes=2.0, platelets=250)
TODDLER = dict(age_years=1.5, sex="male", haemoglobin=11.8, wbc=10.5, anc=3.1, lymphocytes=6.4, platelets=320)
TEENAGER = dict(age_years=15, sex="male", haemoglobin=14.5, wbc=6.5, anc=3.5, lymphocytes=2.2, platelets=250)
DIC_SCREEN = dict(pt_seconds=18, aptt_seconds=45, fibrinogen=0.8, d_dimer=6)


def read(base=ADULT, **changes):
    return calibrated.interpret_cbc(**{**base, **changes})


def flags(result):
    return {finding.field: finding.flag for finding in result.findings}


# --- ranges for the patient's age ------------------------------------------------------------------------------


def test_a_healthy_toddlers_count_is_not_flagged():
    result = read(TODDLER)
    assert set(flags(result).values()) == {"normal"}
    assert result.patterns == ()


def test_the_same_toddler_read_against_adult_ranges_would_be_called_a_lymphocytosis():
    result = model_interpret(**TODDLER, ranges=calibrated.course_adult_ranges(), patterns=calibrated.course_patterns())
    assert result.pattern_keys == ("lymphocytosis",)
    assert "ADULT ranges" in result.caveats[0]


def test_a_healthy_15_year_old_is_not_flagged():
    assert set(flags(read(TEENAGER)).values()) == {"normal"}
    girl = read(TEENAGER, sex="female", haemoglobin=12.0, platelets=390)
    assert set(flags(girl).values()) == {"normal"}  # the adult laboratory range would call 12.0 g/dL low


def test_a_child_is_told_that_the_childrens_range_for_the_age_was_used():
    caveat = read(TODDLER).caveats[0]
    assert caveat.startswith("Age 1.5 years") and "children's range" in caveat


def test_haemoglobin_bands_follow_the_fall_after_birth():
    newborn, two_months = read(TODDLER, age_years=5 / 365.25), read(TODDLER, age_years=2 / 12)
    assert read(TODDLER, age_years=5 / 365.25, haemoglobin=14).finding("haemoglobin").flag == "low"
    assert two_months.finding("haemoglobin").low == 9.7 and newborn.finding("haemoglobin").low == 15.2


@pytest.mark.parametrize(("age", "flag"), [(3.99, "normal"), (4.0, "high")])
def test_an_age_band_starts_at_its_lower_edge(age, flag):
    # 9.0 ×10^9/L lymphocytes: normal up to 4 years (2.0–14), high from 4 years (1.2–8.0)
    assert read(TODDLER, age_years=age, wbc=13.0, lymphocytes=9.0).finding("lymphocytes").flag == flag


def test_a_two_week_old_is_read_against_the_newborn_white_cell_range():
    assert read(TODDLER, age_years=14 / 365.25, haemoglobin=15, wbc=12, anc=4, lymphocytes=6).finding("wbc").flag == (
        "normal"
    )


def test_an_age_no_band_covers_gets_no_range_and_is_told_so():
    course = calibrated.course_ranges()
    no_newborn_wbc = type(course)(tuple(b for b in course.bands if not (b.quantity == "wbc" and b.age_max <= 1 / 12)))
    result = read(TODDLER, age_years=14 / 365.25, haemoglobin=15, wbc=12, anc=4, lymphocytes=6, ranges=no_newborn_wbc)
    assert result.finding("wbc").flag == "no range"
    assert result.finding("wbc").flag_text == "no range for this age"
    assert result.finding("haemoglobin").flag == "normal"
    assert any("No reference range at age" in caveat and "White cells" in caveat for caveat in result.caveats)
    assert "no range at this age for White cells (WBC)" in result.summary()


def test_platelets_and_haemoglobin_have_a_range_at_every_age_and_only_neutrophils_on_days_1_to_3_have_none():
    gaps = cbc_rules.coverage_gaps(cbc_rules.reference_intervals())
    assert not any(quantity in ("haemoglobin", "platelets") for quantity, _sex in gaps)
    for (quantity, _sex), missing in gaps.items():
        assert (quantity, missing) == ("anc", [(0.0027, 0.011)])


def test_every_childrens_band_names_its_population_and_sources():
    for band in calibrated.course_ranges().bands:
        assert band.sources and band.population, band.key


# --- the patterns, each with its urgency -----------------------------------------------------------------------


def test_isolated_thrombocytopenia_in_a_child_uses_the_childs_ranges():
    child = read(TODDLER, age_years=4, haemoglobin=12, wbc=8, anc=3, lymphocytes=3.5, platelets=12)
    assert child.pattern_keys == ("isolated_thrombocytopenia",)
    assert child.patterns[0].urgency == "immediate"
    assert child.finding("platelets").low == 176  # the children's range, not the adult laboratory's 150


def test_pancytopenia_in_a_child_is_immediate():
    result = read(TODDLER, age_years=5, haemoglobin=6.9, wbc=2.1, anc=0.4, lymphocytes=1.5, platelets=22)
    assert result.pattern_keys == ("pancytopenia", "severe_neutropenia") and result.most_urgent == "immediate"


def test_pancytopenia_with_large_red_cells_adds_b12_and_folate():
    result = read(haemoglobin=7, wbc=2.5, anc=0.8, lymphocytes=1.4, platelets=60, mcv=112)
    assert result.pattern_keys == ("pancytopenia", "macrocytic_pancytopenia")
    assert any("B12" in step for step in result.patterns[1].next_steps)
    assert (
        "macrocytic_pancytopenia"
        not in read(haemoglobin=7, wbc=2.5, anc=0.8, lymphocytes=1.4, platelets=60, mcv=95).pattern_keys
    )


@pytest.mark.parametrize(("wbc", "named"), [(100, False), (101, True)])
def test_hyperleukocytosis_is_named_above_100_and_is_an_emergency(wbc, named):
    result = read(wbc=wbc, anc=5, lymphocytes=3, blasts_percent=85)
    assert ("hyperleukocytosis" in result.pattern_keys) is named
    if named:
        assert result.most_urgent == "emergency"


def test_leukocytosis_with_blasts_is_immediate():
    result = read(wbc=52, anc=0.9, lymphocytes=3.5, haemoglobin=8.4, platelets=31, blasts_percent=64)
    assert result.pattern_keys == ("leukocytosis_with_blasts",)
    assert result.patterns[0].urgency == "immediate"


def test_neutrophilia_with_left_shift_and_basophilia_suggests_cml():
    cml = dict(wbc=85, anc=60, lymphocytes=4, monocytes=2, eosinophils=3, basophils=5, film=["left_shift"])
    result = read(**cml, blasts_percent=2)
    assert result.pattern_keys == ("neutrophilia_left_shift_basophilia",)
    assert any("BCR::ABL1" in step for step in result.patterns[0].next_steps)
    # Neutrophilia and basophilia with few blasts is the CML picture even before the film's left shift is reported
    # (independent clinical review R11-13); the cells the differential misses then ask for a manual count.
    no_left_shift = read(**{**cml, "film": []})
    assert no_left_shift.pattern_keys == ("neutrophilia_left_shift_basophilia", "differential_shortfall")
    blast_phase = read(**cml, blasts_percent=25)
    assert "leukocytosis_with_blasts" in blast_phase.pattern_keys
    assert "neutrophilia_left_shift_basophilia" not in blast_phase.pattern_keys


def test_lymphocytosis_is_named_for_an_adult_but_not_for_a_toddler_with_the_same_count():
    assert read(wbc=14, anc=4, lymphocytes=9.0).pattern_keys == ("lymphocytosis",)
    assert read(TODDLER, lymphocytes=9.0, wbc=14).pattern_keys == ()


def test_schistocytes_with_low_platelets_are_a_microangiopathic_emergency():
    result = read(platelets=15, haemoglobin=8.5, film=["schistocytes"])
    assert result.pattern_keys == ("microangiopathic_picture",)
    assert result.patterns[0].urgency == "emergency"
    assert any("ADAMTS13" in step for step in result.patterns[0].next_steps)
    assert read(film=["schistocytes"]).pattern_keys == ()  # fragments without low platelets: not this picture


def test_the_dic_pattern_needs_low_platelets_a_raised_d_dimer_and_a_long_clotting_time():
    result = read(platelets=45, **DIC_SCREEN)
    assert result.pattern_keys == ("dic_pattern",) and result.most_urgent == "emergency"
    assert read(platelets=45, **{**DIC_SCREEN, "d_dimer": 0.3}).pattern_keys == ("isolated_thrombocytopenia",)
    assert read(platelets=45, **{**DIC_SCREEN, "pt_seconds": 12, "aptt_seconds": 30}).pattern_keys == (
        "isolated_thrombocytopenia",
    )
    assert any("teaching limits" in caveat for caveat in result.caveats)


def test_dic_with_blasts_is_suspected_apl_an_emergency_with_atra_at_once():
    result = read(
        platelets=25,
        wbc=1.8,
        anc=0.5,
        lymphocytes=1.0,
        haemoglobin=9,
        blasts_percent=30,
        film=["auer_rods"],
        **DIC_SCREEN,
    )
    assert result.pattern_keys[0] == "suspected_apl"
    assert "dic_pattern" not in result.pattern_keys  # the APL pattern already says it
    assert result.patterns[0].urgency == "emergency"
    assert any("ATRA" in step for step in result.patterns[0].next_steps)


def test_platelet_clumps_name_pseudothrombocytopenia_instead_of_isolated_thrombocytopenia():
    result = read(platelets=75, blasts_percent=0, film=["platelet_clumps"])
    assert result.pattern_keys == ("pseudothrombocytopenia",)
    assert result.patterns[0].urgency == "routine"
    assert any("citrate" in step for step in result.patterns[0].next_steps)


@pytest.mark.parametrize(("age_years", "platelets"), [(40, 45), (4, 75), (4, 8)])
def test_clumps_with_a_low_count_or_in_a_child_are_read_as_real_until_the_repeat(age_years, platelets):
    # Independent clinical review R11b-7: clumps and a true thrombocytopenia can coexist.
    result = read(age_years=age_years, platelets=platelets, blasts_percent=0, film=["platelet_clumps"])
    assert "pseudothrombocytopenia" not in result.pattern_keys
    assert result.most_urgent == "immediate"


def test_a_mildly_low_neutrophil_count_in_an_otherwise_normal_count_mentions_the_duffy_null_phenotype():
    result = read(wbc=4.8, anc=1.3, lymphocytes=2.5)
    assert result.pattern_keys == ("neutrophils_mildly_low_otherwise_normal",)
    assert result.patterns[0].urgency == "routine"
    assert "merz2023_duffy" in result.patterns[0].sources
    assert any("Duffy-null" in step for step in result.patterns[0].next_steps)
    assert read(wbc=4.8, anc=0.8, lymphocytes=2.5).pattern_keys == ()  # moderate neutropenia: no reassurance
    assert "neutrophils_mildly_low_otherwise_normal" not in read(wbc=4.8, anc=1.3, platelets=90).pattern_keys


@pytest.mark.parametrize("key", ["hyperleukocytosis", "suspected_apl", "microangiopathic_picture", "dic_pattern"])
def test_each_emergency_pattern_carries_the_emergency_urgency_and_sources(key):
    rule = {rule.key: rule for rule in calibrated.course_patterns()}[key]
    assert rule.urgency == "emergency"
    assert rule.sources and rule.next_steps


# --- the differential must add up ------------------------------------------------------------------------------


def test_a_differential_above_the_total_is_refused_naming_the_values():
    with pytest.raises(ValueError) as caught:
        read(wbc=7, anc=4, lymphocytes=2, monocytes=0.6, eosinophils=0.4, basophils=0.3)
    message = str(caught.value)
    assert "anc 4 + lymphocytes 2 + monocytes 0.6 + eosinophils 0.4 + basophils 0.3" in message
    assert "adds up to 7.3 ×10^9/L" in message and "cannot exceed wbc = 7 ×10^9/L" in message


def test_rounding_in_a_reported_differential_is_tolerated():
    result = read(wbc=7, anc=4.1, lymphocytes=2.1, monocytes=0.5, eosinophils=0.2, basophils=0.1)
    assert result.finding("monocytes").value == 0.5


def test_a_differential_well_short_of_the_total_without_blasts_is_reported():
    result = read(wbc=10, anc=5, lymphocytes=2, monocytes=0.5, eosinophils=0.2, basophils=0.05)
    assert result.pattern_keys == ("differential_shortfall",)
    assert any("manual blood film" in step for step in result.patterns[0].next_steps)
    with_blasts = read(wbc=10, anc=5, lymphocytes=2, monocytes=0.5, eosinophils=0.2, basophils=0.05, blasts_percent=20)
    assert "differential_shortfall" not in with_blasts.pattern_keys


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"platelets": 150000}, r"platelets = 150000 looks like a count per µL; expected ×10\^9/L .*150 ×10\^9/L"),
        ({"basophils": 2000}, "basophils = 2000 looks like a count per µL"),
        (
            {"fibrinogen": 250},
            r"fibrinogen = 250 looks like mg/dL \(divide by 100: 250 mg/dL = 2.5 g/L\); expected g/L",
        ),
        ({"d_dimer": 500}, r"d_dimer = 500 looks like µg/L or ng/mL FEU .*= 0.5 mg/L\); expected mg/L FEU"),
        ({"mcv": 5}, "mcv = 5 fL is outside 40–200 fL"),
        ({"pt_seconds": -1}, "pt_seconds = -1 is negative; expected a number ≥ 0 in s"),
        ({"film": ["blast cells"]}, "film finding 'blast cells' is not one of blasts, auer_rods"),
        ({"aptt_seconds": "long"}, "aptt_seconds = 'long' is not a number; expected a number in s"),
    ],
)
def test_bad_input_names_the_parameter_the_value_and_what_was_expected(changes, message):
    with pytest.raises(ValueError, match=message):
        read(**changes)


# --- data and code agree ---------------------------------------------------------------------------------------


def test_every_pattern_in_the_data_has_a_test_and_every_test_a_pattern():
    keys = [rule.key for rule in calibrated.course_patterns()]
    assert sorted(keys) == sorted(cbc_patterns.TESTS)


def test_rules_that_leave_out_or_add_a_pattern_are_refused():
    rules = calibrated.course_patterns()
    with pytest.raises(ValueError, match="leave out the pattern"):
        cbc_patterns.check_rules(rules[1:])
    extra = cbc_patterns.PatternRule("leukaemia_cutis", "x", "x", "urgent", ("x",), ("x",))
    with pytest.raises(ValueError, match="no test for the pattern"):
        cbc_patterns.check_rules((*rules, extra))


def test_a_pattern_test_asking_for_a_threshold_its_rule_lacks_says_which():
    rule = cbc_patterns.PatternRule("hyperleukocytosis", "x", "x", "emergency", ("x",), ("x",))
    with pytest.raises(KeyError, match="pattern 'hyperleukocytosis' needs a threshold 'wbc_above'"):
        rule.threshold("wbc_above")
