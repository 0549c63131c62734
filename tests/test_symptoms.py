"""Specification of the symptom timeline (petechiae_edu.models.symptoms)."""

from __future__ import annotations

import pytest

from petechiae_edu.calibrated import simulate
from petechiae_edu.content import source_keys
from petechiae_edu.models.symptoms import RULES, RULES_BY_KEY, symptom_timeline


def test_every_rule_rests_on_known_sources():
    known = source_keys()
    for rule in RULES:
        assert rule.sources and set(rule.sources) <= known, rule.key


def test_thresholds_match_the_published_bands():
    assert RULES_BY_KEY["petechiae"].threshold == 20
    assert RULES_BY_KEY["purpura_bruising"].threshold == 50
    assert RULES_BY_KEY["bleeding_risk_high"].threshold == 10
    assert [RULES_BY_KEY[k].threshold for k in ("neutropenia_mild", "neutropenia_moderate",
            "neutropenia_severe", "neutropenia_profound")] == [1.5, 1.0, 0.5, 0.1]
    assert RULES_BY_KEY["hyperleukocytosis"].teaching_choice


def test_healthy_person_has_no_symptoms():
    timeline = symptom_timeline(simulate("healthy"))
    assert timeline.appearing() == ()
    assert timeline.first_abnormal_day is None


def test_acute_leukaemia_signs_appear_in_order_of_falling_platelets():
    timeline = symptom_timeline(simulate("aml", treatment=False))
    days = [timeline.first_day(k) for k in ("platelets_below_range", "purpura_bruising", "petechiae",
                                             "bleeding_risk_high")]
    assert None not in days and days == sorted(days)
    assert timeline.first_day("neutropenia_severe") is not None
    assert timeline.days_from_first_abnormal_to_petechiae > 0


def test_cml_brings_hyperleukocytosis_but_no_petechiae():
    timeline = symptom_timeline(simulate("cml", treatment=False))
    assert timeline.first_day("hyperleukocytosis") is not None
    assert timeline.first_day("petechiae") is None


def test_cll_rule_applies_only_to_cll():
    assert symptom_timeline(simulate("cll")).first_day("cll_threshold") is not None
    with pytest.raises(ValueError, match="cll_threshold"):
        symptom_timeline(simulate("aml")).first_day("cll_threshold")


def test_summary_lists_the_day_of_each_sign():
    text = symptom_timeline(simulate("all", treatment=False)).summary()
    assert "first abnormal count on day" in text and "Petechiae expected" in text
