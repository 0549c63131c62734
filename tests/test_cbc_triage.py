"""The blood-count reader never lets a dangerous count pass without an urgency (independent clinical review of
issue 11, R11-1 to R11-4 and R11-13): every count that mixes low lines, a very high white count, severe neutropenia
or anaemia, or blasts with any sign of a coagulopathy is named, with an urgency of at least "immediate"."""

from __future__ import annotations

import pytest

from petechiae_edu.calibrated import interpret_cbc

ADULT = {"age_years": 45, "sex": "female"}
FAST = ("emergency", "immediate")


def read(**values):
    return interpret_cbc(**{**ADULT, **values})


# (what the count is, the count, the pattern that must be named, the urgency it must reach)
DANGEROUS_COUNTS = [
    (
        "a 4-year-old with the commonest ALL count: anaemia and low platelets, white count normal",
        dict(age_years=4, sex="male", haemoglobin=7, wbc=7, anc=2.5, lymphocytes=4, platelets=20),
        "bicytopenia",
        "immediate",
    ),
    (
        "an adult with anaemia and platelets 15, no film yet (TTP until the film says otherwise)",
        dict(haemoglobin=7, wbc=8, anc=5, lymphocytes=2, platelets=15),
        "bicytopenia",
        "immediate",
    ),
    (
        "an adult with a white count of 60, anaemia and low platelets, no film yet",
        dict(age_years=60, sex="male", haemoglobin=8, wbc=60, anc=20, lymphocytes=3, platelets=30),
        "leukocytosis_with_cytopenia",
        "immediate",
    ),
    (
        "platelets 15 with a raised white count",
        dict(haemoglobin=13.5, wbc=14, anc=10, lymphocytes=2, platelets=15),
        "leukocytosis_with_cytopenia",
        "immediate",
    ),
    (
        "platelets 15 with a low white count",
        dict(haemoglobin=13.5, wbc=3.5, anc=2.0, lymphocytes=1.2, platelets=15),
        "bicytopenia",
        "immediate",
    ),
    (
        "an adult with platelets 10 and a high lymphocyte count (no more specific pattern)",
        dict(age_years=30, sex="female", haemoglobin=13, wbc=10.5, anc=3, lymphocytes=6.5, platelets=10),
        "thrombocytopenia_with_other_changes",
        "immediate",
    ),
    (
        "an adult with isolated neutrophils of 0.1",
        dict(haemoglobin=13.5, wbc=2.5, anc=0.1, lymphocytes=2.0, platelets=250),
        "severe_neutropenia",
        "immediate",
    ),
    (
        "a 2-year-old with neutrophils of 0.3",
        dict(age_years=2, sex="male", haemoglobin=12, wbc=6, anc=0.3, lymphocytes=5, platelets=300),
        "severe_neutropenia",
        "immediate",
    ),
    (
        "an adult with haemoglobin 4 g/dL and the rest normal",
        dict(haemoglobin=4, wbc=7, anc=4, lymphocytes=2, platelets=250),
        "severe_anaemia",
        "immediate",
    ),
    (
        "blasts with a low fibrinogen and raised D-dimer but a normal PT and APTT",
        dict(
            haemoglobin=9,
            wbc=2,
            anc=0.5,
            lymphocytes=1.0,
            platelets=25,
            blasts_percent=40,
            fibrinogen=0.8,
            d_dimer=20,
            pt_seconds=13,
            aptt_seconds=30,
        ),
        "suspected_apl",
        "emergency",
    ),
    (
        "abnormal promyelocytes on the film with a low fibrinogen",
        dict(
            haemoglobin=9,
            wbc=2,
            anc=0.5,
            lymphocytes=1.0,
            platelets=25,
            film=["abnormal_promyelocytes"],
            fibrinogen=1.2,
        ),
        "suspected_apl",
        "emergency",
    ),
    (
        "a white count of 150 with blasts",
        dict(haemoglobin=8, wbc=150, anc=5, lymphocytes=5, platelets=40, blasts_percent=80),
        "hyperleukocytosis",
        "emergency",
    ),
]


@pytest.mark.parametrize(
    ("label", "count", "pattern", "urgency"), DANGEROUS_COUNTS, ids=[c[0] for c in DANGEROUS_COUNTS]
)
def test_a_dangerous_count_is_named_and_never_left_routine(label, count, pattern, urgency):
    result = read(**count)
    assert pattern in result.pattern_keys, f"{label}: named {result.pattern_keys}"
    assert result.most_urgent == urgency


@pytest.mark.parametrize(
    "count",
    [
        dict(age_years=72, sex="male", haemoglobin=13, wbc=155, anc=4, lymphocytes=150, platelets=180),
        dict(age_years=50, sex="male", haemoglobin=12, wbc=150, anc=110, lymphocytes=5, platelets=450, basophils=6),
    ],
    ids=["CLL with lymphocytes 150", "chronic-phase CML with a white count of 150"],
)
def test_a_white_count_over_100_without_blasts_is_same_day_not_an_emergency(count):
    result = read(**count)
    assert "hyperleukocytosis" not in result.pattern_keys
    assert "very_high_white_count" in result.pattern_keys
    assert result.most_urgent == "immediate"


def test_any_low_platelet_count_gets_an_urgency_at_every_age():
    for age in (0.5, 2, 4, 8, 15, 30, 80):
        for other in ({}, {"wbc": 14, "lymphocytes": 9.5}, {"wbc": 25, "anc": 20}, {"haemoglobin": 6}):
            count = {"age_years": age, "sex": "male", "haemoglobin": 12.5, "wbc": 8, "anc": 4, "lymphocytes": 3}
            result = interpret_cbc(**{**count, **other, "platelets": 12})
            assert result.most_urgent in FAST, f"age {age}, {other}: {result.pattern_keys}"


def test_the_cml_picture_needs_no_left_shift_tick_and_silences_leukaemia_and_lymphocytosis_alarms():
    result = read(
        haemoglobin=12,
        wbc=60,
        anc=45,
        lymphocytes=4,
        platelets=450,
        basophils=4,
        monocytes=2,
        eosinophils=2,
        blasts_percent=3,
    )
    assert result.pattern_keys == ("neutrophilia_left_shift_basophilia",)
    assert result.most_urgent == "immediate"  # discuss with haematology the same day, as the CML case says


def test_lymphocytosis_is_not_offered_beside_an_acute_leukaemia():
    result = read(haemoglobin=11.5, wbc=150, anc=5, lymphocytes=10, platelets=100, blasts_percent=85)
    assert "lymphocytosis" not in result.pattern_keys
    assert result.pattern_keys[0] == "hyperleukocytosis"


def test_with_no_named_pattern_the_summary_says_flagged_values_are_not_routine():
    result = read(haemoglobin=11.0, wbc=7, anc=4, lymphocytes=2, platelets=250)  # mild anaemia only
    assert result.pattern_keys == ()
    assert "not 'routine'" in result.summary()
    assert read(haemoglobin=13.5, wbc=7, anc=4, lymphocytes=2, platelets=250).summary().endswith("no pattern named.")


def test_healthy_counts_stay_quiet():
    assert read(haemoglobin=13.8, wbc=7, anc=4.2, lymphocytes=2.1, platelets=250).pattern_keys == ()
    toddler = interpret_cbc(
        age_years=1.5, sex="male", haemoglobin=11.8, wbc=10.5, anc=3.1, lymphocytes=6.4, platelets=320
    )
    assert toddler.pattern_keys == ()


@pytest.mark.parametrize("age_days", [0.5, 2, 5, 6, 20])
def test_a_newborns_low_neutrophils_are_never_called_their_normal(age_days):
    # Independent clinical review, round 3 (N1): in the first month low neutrophils can be a sign of sepsis.
    newborn = interpret_cbc(
        age_years=age_days / 365.25, sex="male", haemoglobin=16, wbc=12, anc=1.2, lymphocytes=6, platelets=250
    )
    assert "neutrophils_mildly_low_otherwise_normal" not in newborn.pattern_keys


def test_a_value_with_no_range_at_this_age_does_not_make_low_platelets_look_mixed():
    # Round 3 (N3): a day-2 baby's neutrophils have no range; low platelets with the rest normal stay isolated.
    baby = interpret_cbc(age_years=2 / 365.25, sex="female", haemoglobin=17, wbc=15, anc=8, lymphocytes=5, platelets=90)
    assert baby.pattern_keys == ("isolated_thrombocytopenia",)
