"""A case's counts keep their story in every version when they are read against the ranges for the patient's age
(issue 11 §2): the well children's counts the story calls normal are normal for a child of that age at either end
of the range the case lets them vary in, and the counts the story calls low stay low."""

from __future__ import annotations

import pytest

from petechiae_edu.calibrated import generate_case, reference_band
from petechiae_edu.widgets.cases import flag

# (case, analyte, the flag the story needs at every value the case may draw)
STORY_FLAGS = [
    ("child-itp", "haemoglobin", "normal"),
    ("child-itp", "wbc", "normal"),
    ("child-itp", "neutrophils", "normal"),
    ("child-itp", "platelets", "low"),
    ("viral-petechiae", "haemoglobin", "normal"),
    ("viral-petechiae", "wbc", "normal"),
    ("viral-petechiae", "neutrophils", "normal"),
    ("viral-petechiae", "platelets", "normal"),
    ("valsalva-petechiae", "haemoglobin", "normal"),
    ("valsalva-petechiae", "wbc", "normal"),
    ("valsalva-petechiae", "platelets", "normal"),
    ("child-all", "wbc", "normal"),  # "a white count inside the normal range does not exclude leukaemia"
    ("child-all", "haemoglobin", "low"),
    ("child-all", "neutrophils", "low"),
    ("child-all", "platelets", "low"),
    ("non-accidental-injury", "haemoglobin", "normal"),  # a 4-month-old: read at 4/12 years, not as a newborn
    ("non-accidental-injury", "wbc", "normal"),
    ("non-accidental-injury", "platelets", "normal"),
]


def _counts(case_key: str, analyte: str):
    version = generate_case(case_key, 1)
    found = [(version, count) for step in version.steps for count in step.counts if count.analyte == analyte]
    assert found, f"{case_key} shows no {analyte}"
    return found


@pytest.mark.parametrize(("case_key", "analyte", "story_flag"), STORY_FLAGS)
def test_a_count_keeps_the_flag_its_story_needs_across_its_whole_range(case_key, analyte, story_flag):
    for version, count in _counts(case_key, analyte):
        assert version.age_years < 18
        for value in (count.range_low, count.value, count.range_high):
            drawn = type(count)(count.analyte, count.label, value, count.units, count.range_low, count.range_high, 1)
            assert flag(drawn, version.age, version.sex) == story_flag, (
                f"{case_key}: {analyte} {value} {count.units} is not '{story_flag}' for a {version.patient}"
            )


@pytest.mark.parametrize(
    "case_key", ["child-itp", "child-all", "viral-petechiae", "valsalva-petechiae", "meningococcal"]
)
def test_a_childs_counts_are_read_against_a_childs_band(case_key):
    version = generate_case(case_key, 1)
    band = reference_band("platelets", version.age_years, version.sex)
    assert band is not None and band.key != "platelets" and band.age_max <= 18
