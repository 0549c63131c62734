"""Anaemia is defined by the WHO cut-offs for age, sex and pregnancy, not by one laboratory's reference range
(issue 11 §1; independent clinical review R11-10): the interpreter says which, in words, with the WHO source."""

from __future__ import annotations

import pytest

from petechiae_edu.calibrated import course_anaemia_cutoffs, interpret_cbc
from petechiae_edu.content import cbc_rules
from petechiae_edu.models.anaemia import who_cutoff


def haemoglobin_finding(age_years, sex, haemoglobin):
    lymphocytes = 4 if age_years < 6 else 2
    result = interpret_cbc(
        age_years=age_years, sex=sex, haemoglobin=haemoglobin, wbc=9, anc=4, lymphocytes=lymphocytes, platelets=250
    )
    return next(f for f in result.findings if f.field == "haemoglobin")


@pytest.mark.parametrize(
    ("age_years", "sex", "cut_off"),
    [
        (1, "female", 10.5),
        (3, "male", 11.0),
        (8, "female", 11.5),
        (13, "male", 12.0),
        (30, "female", 12.0),
        (30, "male", 13.0),
    ],
)
def test_the_who_2024_cut_offs_by_age_and_sex(age_years, sex, cut_off):
    assert who_cutoff(course_anaemia_cutoffs(), age_years, sex).below == cut_off


def test_pregnancy_has_its_own_lower_cut_offs_and_infants_under_6_months_have_none():
    cutoffs = course_anaemia_cutoffs()
    assert who_cutoff(cutoffs, 28, "female", "second trimester").below == 10.5
    assert who_cutoff(cutoffs, 28, "female", "first or third trimester").below == 11.0
    assert who_cutoff(cutoffs, 0.3, "male") is None


def test_a_man_below_the_laboratory_range_but_above_13_is_not_called_anaemic():
    finding = haemoglobin_finding(40, "male", 13.5)
    assert finding.flag == "low"  # the course's adult range starts at 14.0 g/dL
    assert "not anaemia by the WHO cut-off for men" in finding.note
    assert "who2024_anaemia" in finding.sources


def test_a_woman_below_12_is_anaemic_and_told_the_pregnancy_cut_offs():
    finding = haemoglobin_finding(40, "female", 11.9)
    assert "and anaemia by the WHO cut-off for non-pregnant women" in finding.note
    assert "10.5 g/dL in the second trimester" in finding.note


def test_a_child_inside_the_laboratory_range_can_still_be_anaemic_by_who():
    finding = haemoglobin_finding(3, "female", 10.8)
    assert finding.flag == "normal"
    assert (
        "Within this laboratory's range, but anaemia by the WHO cut-off for children aged 24–59 months" in finding.note
    )


def test_a_normal_haemoglobin_gets_no_anaemia_note():
    assert haemoglobin_finding(40, "female", 13.5).note == ""


def test_a_cut_off_in_the_wrong_unit_is_refused(scratch_data):
    path = scratch_data / "anaemia_cutoffs.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("below = 13.0", "below = 130", 1), encoding="utf-8")
    with pytest.raises(Exception, match=r"entry 'men'.*field 'below'.*130 g/dL is not a haemoglobin cut-off"):
        cbc_rules.anaemia_cutoffs(scratch_data)
