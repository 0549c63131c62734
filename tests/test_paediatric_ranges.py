"""The children's, neonates' and adults' white-cell ranges do not call healthy people abnormal (issue 11, review
R11-5, R11-6, R11-7, R11-17): a toddler's high lymphocyte count, a child's lower neutrophil count, a newborn's falling
neutrophil count in the first week and an adult's monocytes of 0.6 ×10^9/L are normal; every blood value has a band at
every age from birth to 110 years; and the children's neutrophil bands say that Duffy-null children run lower."""

from __future__ import annotations

import pytest

from petechiae_edu import calibrated
from petechiae_edu.content import cbc_rules
from petechiae_edu.units import BLOOD_COUNT_UNITS

DAY = 1 / 365.25
HEALTHY_TODDLER = dict(
    sex="female", haemoglobin=12.0, wbc=11.5, anc=3.0, lymphocytes=7.0, monocytes=0.6, eosinophils=0.3, platelets=300
)
HEALTHY_ADULT = dict(
    age_years=40,
    sex="male",
    haemoglobin=15.0,
    wbc=7.0,
    anc=4.0,
    lymphocytes=2.0,
    monocytes=0.6,
    eosinophils=0.2,
    basophils=0.05,
    platelets=250,
)


def flags(result) -> dict[str, str]:
    return {finding.field: finding.flag for finding in result.findings}


@pytest.mark.parametrize("age_years", [1.5, 2, 3, 4])
def test_a_healthy_toddler_with_lymphocytes_7_is_not_called_a_lymphocytosis(age_years):
    result = calibrated.interpret_cbc(age_years=age_years, **HEALTHY_TODDLER)
    assert set(flags(result).values()) == {"normal"}, flags(result)
    assert "lymphocytosis" not in result.pattern_keys
    assert result.patterns == ()


def test_a_healthy_four_year_old_with_neutrophils_1_8_is_not_called_neutropenic():
    result = calibrated.interpret_cbc(**{**HEALTHY_TODDLER, "age_years": 4, "anc": 1.8, "wbc": 10.0})
    assert result.finding("anc").flag == "normal"
    assert result.patterns == ()


def test_a_healthy_day_5_newborn_with_neutrophils_5_is_not_called_low():
    result = calibrated.interpret_cbc(
        age_years=5 * DAY, sex="male", haemoglobin=17.0, wbc=12.0, anc=5.0, lymphocytes=5.0, platelets=250
    )
    assert result.finding("anc").flag == "normal"
    assert set(flags(result).values()) == {"normal"}, flags(result)


def test_the_first_week_has_neutrophil_bands_by_postnatal_age():
    first_day, day_5 = (
        calibrated.reference_band("anc", 0.5 * DAY, "male"),
        calibrated.reference_band("anc", 5 * DAY, "male"),
    )
    assert first_day is not None and day_5 is not None
    assert first_day.key != day_5.key
    assert day_5.low < first_day.low  # the count falls after the first day


@pytest.mark.parametrize("days", [8, 14, 21, 28])
def test_a_baby_between_1_week_and_1_month_has_a_white_cell_range(days):
    band = calibrated.reference_band("wbc", days * DAY, "female")
    assert band is not None, f"no WBC range at {days} days"
    result = calibrated.interpret_cbc(
        age_years=days * DAY, sex="female", haemoglobin=15.0, wbc=11.0, anc=3.0, lymphocytes=6.0, platelets=300
    )
    assert result.finding("wbc").flag == "normal"


def test_an_adult_with_monocytes_0_6_is_not_flagged():
    result = calibrated.interpret_cbc(**HEALTHY_ADULT)
    assert result.finding("monocytes").flag == "normal"
    assert set(flags(result).values()) == {"normal"}, flags(result)


# Neutrophils on days 1-3 have no band on purpose (independent clinical review R11b-4): their lower limit is still
# falling from its peak, and the interpreter says "no range at this age" rather than calling a low count normal.
NEUTROPHIL_GAP = (1 * DAY, 0.011)


def test_every_blood_value_has_a_band_at_every_age_from_birth_to_110_years_but_neutrophils_on_days_1_to_3():
    gaps = cbc_rules.coverage_gaps(cbc_rules.reference_intervals())
    assert set(gaps) == {("anc", "male"), ("anc", "female")}
    for spans in gaps.values():
        assert len(spans) == 1 and spans[0][0] == pytest.approx(0.0027) and spans[0][1] == pytest.approx(0.011)
    ages = [0, 0.5 * DAY, 3 * DAY, 10 * DAY, 21 * DAY, 0.1, 0.4, 0.9, 1.5, 3, 5, 10, 14, 16, 17.99, 18, 40, 109.9]
    for quantity in BLOOD_COUNT_UNITS:
        for sex in ("male", "female"):
            for age in ages:
                if quantity == "anc" and NEUTROPHIL_GAP[0] <= age < NEUTROPHIL_GAP[1]:
                    assert calibrated.reference_band(quantity, age, sex) is None
                else:
                    assert calibrated.reference_band(quantity, age, sex) is not None, (quantity, sex, age)


def test_a_day_2_neutrophil_count_of_1_5_is_never_read_as_normal():
    result = calibrated.interpret_cbc(
        age_years=2 * DAY, sex="male", haemoglobin=17, wbc=9.5, anc=1.5, lymphocytes=5, platelets=250
    )
    anc = next(f for f in result.findings if f.field == "anc")
    assert anc.flag == "no range"
    assert any("neonatal reference" in caveat for caveat in result.caveats)


def test_a_healthy_newborns_white_count_of_28_on_day_0_is_normal():
    result = calibrated.interpret_cbc(
        age_years=0.5 * DAY, sex="female", haemoglobin=17, wbc=28, anc=20, lymphocytes=6, platelets=250
    )
    assert next(f for f in result.findings if f.field == "wbc").flag == "normal"


def test_the_childrens_neutrophil_bands_carry_the_duffy_null_note():
    childrens_anc = [r for r in cbc_rules.reference_intervals() if r.measures == "anc" and r.age_min_years < 18]
    assert len(childrens_anc) >= 4
    for band in childrens_anc:
        assert "Duffy-null" in (band.note or ""), band.key
        assert "biovu2023_duffy_wbc" in band.sources, band.key


def test_every_white_cell_band_says_whose_range_it_is_and_cites_it():
    for band in cbc_rules.reference_intervals():
        assert band.population and band.note and band.sources, band.key
