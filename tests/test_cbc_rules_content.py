"""The blood-count rules are content: data/cbc_patterns.toml, data/symptom_rules.toml and the age bands of
data/reference_ranges.toml are refused with the file, the entry and the field when they are wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu import content
from petechiae_edu.content import ContentError, cbc_rules
from petechiae_edu.content.vocabulary import URGENCIES


def _break(folder: Path, filename: str, old: str, new: str) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_rule_file_loads_and_validates():
    counts = content.validate_all()
    assert counts["cbc_patterns.toml"] >= 12
    assert counts["symptom_rules.toml"] == 17
    assert counts["reference_ranges.toml"] > 30


def test_every_pattern_has_a_known_urgency_next_steps_and_sources():
    for pattern in cbc_rules.cbc_patterns().values():
        assert pattern.urgency in URGENCIES, pattern.key
        assert pattern.next_steps and pattern.sources, pattern.key
        assert all(threshold.units for threshold in pattern.thresholds), pattern.key


def test_the_patterns_are_listed_most_urgent_first():
    order = [URGENCIES.index(p.urgency) for p in cbc_rules.cbc_patterns().values()]
    emergencies = order.count(0)
    assert order[:emergencies] == [0] * emergencies


def test_a_pattern_with_an_unknown_urgency_word_is_refused(scratch_data):
    _break(scratch_data, "cbc_patterns.toml", 'urgency = "emergency"', 'urgency = "asap"')
    with pytest.raises(ContentError) as caught:
        cbc_rules.cbc_patterns(scratch_data)
    message = str(caught.value)
    assert message.startswith("data/cbc_patterns.toml, entry 'hyperleukocytosis' (pattern #1), field 'urgency'")
    assert "'asap' is not one of emergency, immediate, very urgent, urgent, routine" in message


def test_a_pattern_without_sources_is_refused(scratch_data):
    _break(
        scratch_data,
        "cbc_patterns.toml",
        'sources = ["rollig2015", "behjati2019_acute_leukaemia", "arber2016_who"]\n',
        "",
    )
    with pytest.raises(
        ContentError,
        match=r"data/cbc_patterns.toml, entry 'hyperleukocytosis' \(pattern #1\), "
        r"field 'sources': required field is missing",
    ):
        cbc_rules.cbc_patterns(scratch_data)


def test_a_pattern_with_an_empty_source_list_is_refused(scratch_data):
    _break(
        scratch_data,
        "cbc_patterns.toml",
        'sources = ["rollig2015", "behjati2019_acute_leukaemia", "arber2016_who"]',
        "sources = []",
    )
    with pytest.raises(ContentError, match=r"field 'sources': a clinical statement needs at least one source key"):
        cbc_rules.cbc_patterns(scratch_data)


def test_a_threshold_without_units_is_refused(scratch_data):
    _break(scratch_data, "cbc_patterns.toml", 'value = 100, units = "×10^9/L", ', "value = 100, ")
    with pytest.raises(ContentError, match=r"entry 'hyperleukocytosis' \(pattern #1\), field 'thresholds'.*'units'"):
        cbc_rules.cbc_patterns(scratch_data)


def test_a_not_with_naming_no_pattern_is_refused(scratch_data):
    _break(
        scratch_data, "cbc_patterns.toml", 'not_with = ["leukocytosis_with_blasts", ', 'not_with = ["leukocytosis", '
    )
    with pytest.raises(
        ContentError, match=r"entry 'blasts_on_film', field 'not_with': 'leukocytosis' is not a pattern"
    ):
        content.validate_all(scratch_data)


def test_overlapping_childrens_bands_are_refused_naming_the_entry_and_field(scratch_data):
    _break(scratch_data, "reference_ranges.toml", "age_min_years = 6\n", "age_min_years = 5\n")
    with pytest.raises(ContentError) as caught:
        content.validate_all(scratch_data)
    message = str(caught.value)
    assert "data/reference_ranges.toml, entry 'haemoglobin_6_to_9y', field 'age_min_years'" in message
    assert "overlaps 'haemoglobin_1_to_6y'" in message


def test_an_age_band_past_110_or_upside_down_is_refused(scratch_data):
    _break(scratch_data, "reference_ranges.toml", "age_max_years = 0.0192\n", "age_max_years = 0\n")
    with pytest.raises(
        ContentError,
        match=r"entry 'haemoglobin_0_to_1wk' \(paediatric_range #1\), "
        r"field 'age_max_years': the age band 0–0 years",
    ):
        cbc_rules.reference_intervals(scratch_data)


def test_a_range_in_the_wrong_unit_for_its_value_is_refused(scratch_data):
    _break(
        scratch_data,
        "reference_ranges.toml",
        'units = "g/dL"\nsex = "any"\nage_min_years = 0\n',
        'units = "×10^9/L"\nsex = "any"\nage_min_years = 0\n',
    )
    with pytest.raises(ContentError, match=r"field 'units': haemoglobin is written in 'g/dL', not '×10\^9/L'"):
        cbc_rules.reference_intervals(scratch_data)


def test_a_symptom_rule_in_the_wrong_unit_or_direction_is_refused(scratch_data):
    _break(scratch_data, "symptom_rules.toml", 'direction = "below"', 'direction = "under"')
    with pytest.raises(
        ContentError,
        match=r"symptom_rules.toml, entry 'platelets_below_range' \(rule #1\), "
        r"field 'direction': 'under' is not one of below, above",
    ):
        cbc_rules.symptom_rules(scratch_data)


def test_a_symptom_rule_for_haemoglobin_in_cell_count_units_is_refused(scratch_data):
    _break(
        scratch_data, "symptom_rules.toml", 'threshold = 12.0\nunits = "g/dL"', 'threshold = 12.0\nunits = "×10^9/L"'
    )
    with pytest.raises(ContentError, match=r"entry 'anaemia' \(rule #7\), field 'units'"):
        cbc_rules.symptom_rules(scratch_data)


def test_the_adult_ranges_keep_their_shape_for_the_rest_of_the_course():
    adult = content.reference_ranges()
    assert list(adult) == ["platelets", "wbc", "anc", "lymphocytes", "haemoglobin_male", "haemoglobin_female"]
    assert all(r.age_min_years == 18 and r.age_max_years == 110 for r in adult.values())
    assert all("one laboratory's reference limits" in r.population for r in adult.values())


def test_a_symptom_rule_with_an_urgency_but_no_next_step_is_refused(scratch_data):
    _break(
        scratch_data,
        "symptom_rules.toml",
        'urgency = "immediate"\nnext_step = ',
        'urgency = "immediate"\n# next_step = ',
    )
    with pytest.raises(
        ContentError,
        match=r"entry 'petechiae' \(rule #5\), field 'next_step': give an urgency and a "
        r"next step together",
    ):
        cbc_rules.symptom_rules(scratch_data)


def test_a_symptom_rule_with_an_unknown_urgency_word_is_refused(scratch_data):
    _break(scratch_data, "symptom_rules.toml", 'urgency = "immediate"', 'urgency = "soon"')
    with pytest.raises(ContentError, match=r"entry 'petechiae' \(rule #5\), field 'urgency': 'soon' is not one of"):
        cbc_rules.symptom_rules(scratch_data)
