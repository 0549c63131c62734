"""Specification of the symptom timeline (petechiae_edu.models.symptoms) and of its rules in data/symptom_rules.toml."""

from __future__ import annotations

import pytest

from petechiae_edu import calibrated
from petechiae_edu.calibrated import simulate, symptom_rules
from petechiae_edu.content import cbc_rules, source_keys
from petechiae_edu.models import symptoms
from petechiae_edu.models.symptoms import SymptomRule, SymptomRuleSet, symptom_timeline


def test_the_rules_come_from_the_data_file_in_its_order():
    records = cbc_rules.symptom_rules()
    rules = symptom_rules().rules
    assert [rule.key for rule in rules] == [record.key for record in records]
    assert all(rule.threshold == record.threshold for rule, record in zip(rules, records, strict=True))
    assert all(rule.below == (record.direction == "below") for rule, record in zip(rules, records, strict=True))


def test_every_rule_rests_on_known_sources_and_states_its_unit():
    known = source_keys()
    for rule in symptom_rules().rules:
        assert rule.sources and set(rule.sources) <= known, rule.key
        assert rule.unit == ("g/dL" if rule.quantity == "haemoglobin" else "×10^9/L"), rule.key


def test_petechiae_at_20_is_flagged_as_a_teaching_choice_and_hyperleukocytosis_rests_on_rollig():
    by_key = symptom_rules().by_key
    assert by_key["petechiae"].teaching_choice
    assert "rollig2015" in by_key["hyperleukocytosis"].sources and not by_key["hyperleukocytosis"].teaching_choice


def test_first_abnormal_limits_are_the_adult_laboratory_ranges():
    adult = calibrated.course_adult_ranges()
    limits = symptom_rules().first_abnormal_limits
    assert limits["platelets"] == (adult.platelets.low, adult.platelets.high)
    assert limits["haemoglobin"] == (adult.haemoglobin_female.low, adult.haemoglobin_male.high)


def test_lesson_05_golden_numbers_do_not_change_when_the_rules_move_to_data():
    aml = symptom_timeline(simulate("aml", treatment=False))
    all_ = symptom_timeline(simulate("all", treatment=False))
    assert (aml.first_abnormal_day, aml.first_abnormal_count, aml.first_day("petechiae")) == (180, "wbc", 245)
    assert (all_.first_abnormal_day, all_.first_abnormal_count, all_.first_day("petechiae")) == (149, "platelets", 188)


def test_the_bound_timeline_and_the_model_with_registered_rules_agree():
    result = simulate("all", treatment=False)
    assert calibrated.symptom_timeline(result).summary() == symptom_timeline(result).summary()


def test_the_model_uses_the_rules_it_is_given():
    only = SymptomRuleSet(
        (SymptomRule("low_platelets", "Platelets below 100", "platelets", 100, True, "×10^9/L", "bleeding", ("x",)),),
        {"platelets": (150.0, 450.0)},
    )
    timeline = symptom_timeline(simulate("all", treatment=False), only)
    assert [event.rule.key for event in timeline.events] == ["low_platelets"]
    assert timeline.first_day("low_platelets") is not None


def test_the_model_without_registered_rules_says_how_to_get_them(monkeypatch):
    monkeypatch.setattr(symptoms, "_course_rules", None)
    with pytest.raises(ValueError, match="no symptom rules: pass rules="):
        symptom_timeline(simulate("healthy"))


def test_a_rule_set_refuses_a_key_used_twice():
    rule = SymptomRule("a", "A", "platelets", 100, True, "×10^9/L", "bleeding", ("x",))
    with pytest.raises(ValueError, match="used twice"):
        SymptomRuleSet((rule, rule))


def test_the_old_module_constants_still_read_the_course_rules():
    assert symptoms.RULES_BY_KEY["petechiae"].threshold == 20
    assert [rule.key for rule in symptoms.RULES] == [rule.key for rule in symptom_rules().rules]


def test_healthy_person_has_no_symptoms():
    timeline = symptom_timeline(simulate("healthy"))
    assert timeline.appearing() == ()
    assert timeline.first_abnormal_day is None


def test_acute_leukaemia_signs_appear_in_order_of_falling_platelets():
    timeline = symptom_timeline(simulate("aml", treatment=False))
    days = [
        timeline.first_day(k) for k in ("platelets_below_range", "purpura_bruising", "petechiae", "bleeding_risk_high")
    ]
    assert None not in days and days == sorted(days)
    assert timeline.first_day("neutropenia_severe") is not None
    assert timeline.days_from_first_abnormal_to_petechiae > 0


def test_cml_brings_a_very_high_white_count_for_the_same_day_not_an_emergency_and_no_petechiae():
    # Independent clinical review R11b-1: the emergency of hyperleukocytosis belongs to the acute leukaemias.
    timeline = symptom_timeline(simulate("cml", treatment=False))
    assert timeline.first_day("very_high_white_count_chronic") is not None
    chronic = next(e.rule for e in timeline.events if e.rule.key == "very_high_white_count_chronic")
    assert chronic.urgency == "immediate"
    with pytest.raises(ValueError, match="no symptom rule 'hyperleukocytosis' for preset 'cml'"):
        timeline.first_day("hyperleukocytosis")
    assert timeline.first_day("petechiae") is None


def test_cll_rule_applies_only_to_cll():
    assert symptom_timeline(simulate("cll")).first_day("cll_threshold") is not None
    with pytest.raises(ValueError, match="cll_threshold"):
        symptom_timeline(simulate("aml")).first_day("cll_threshold")


def test_summary_lists_the_day_of_each_sign():
    text = symptom_timeline(simulate("all", treatment=False)).summary()
    assert "first abnormal count on day" in text and "Petechiae expected" in text


def test_the_signs_that_cannot_wait_carry_their_urgency_and_next_step():
    by_key = symptom_rules().by_key
    assert (by_key["petechiae"].urgency, by_key["hyperleukocytosis"].urgency) == ("immediate", "emergency")
    assert "nice_ng12_2015" in by_key["petechiae"].sources and "within a few hours" in by_key["petechiae"].next_step
    assert by_key["platelets_below_range"].urgency is None
