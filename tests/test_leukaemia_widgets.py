"""Lesson 03's leukaemia table and risk-factor chart: filtering, descriptions, bad input and wiring."""

from __future__ import annotations

import pytest

from petechiae_edu import citations, content
from petechiae_edu.figures.risk_factors import RATIO_MEASURES, by_measure, is_ratio
from petechiae_edu.widgets.leukaemias import (
    describe_risk_chart,
    leukaemia_table,
    risk_factor_chart,
    select_leukaemias,
    select_risk_factors,
)


def test_the_course_teaches_five_leukaemias_two_acute_and_three_chronic():
    assert len(select_leukaemias()) == 5
    assert {t.abbreviation for t in select_leukaemias(course="acute")} == {"AML", "ALL"}
    assert len(select_leukaemias(course="chronic")) == 3


def test_filters_combine_lineage_and_course():
    chosen = select_leukaemias(lineage="myeloid", course="chronic")
    assert [t.abbreviation for t in chosen] == ["CML"]


@pytest.mark.parametrize(("lineage", "course"), [("marrow", "any"), ("any", "slow"), ("Myeloid", "any")])
def test_unknown_filter_values_are_refused_with_the_allowed_values(lineage, course):
    with pytest.raises(ValueError, match="must be one of any"):
        select_leukaemias(lineage=lineage, course=course)


def test_table_dropdowns_refilter_rows_and_description():
    table = leukaemia_table()
    assert "Showing 5 of 5" in table.description
    table.course.value = "acute"
    assert len(table.table) == 2
    assert table.description == "Showing 2 of 5 leukaemias (acute): AML, ALL."
    table.lineage.value = "lymphoid"
    assert table.table.column("Leukaemia") == ("Acute lymphoblastic leukaemia (ALL)",)
    assert "<table" in table.table_html.value


def test_table_cites_every_leukaemia_source():
    citations.reset()
    leukaemia_table()
    for t in content.leukaemia_types().values():
        for key in t.sources:
            assert key in citations.used()


def test_cml_row_names_its_hallmark_fusion_gene():
    table = leukaemia_table(lineage="myeloid", course="chronic")
    assert "BCR-ABL1" in table.table.column("Hallmarks")[0]


def test_chart_never_puts_different_measures_in_one_panel():
    groups = by_measure(select_risk_factors())
    for measure, group in groups.items():
        assert {f.measure for f in group} == {measure}
    assert set(groups) <= set(RATIO_MEASURES)


def test_non_ratio_estimates_are_kept_off_the_log_chart():
    factors = select_risk_factors()
    others = [f for f in factors if not is_ratio(f)]
    assert others, "the content store has EAR and % estimates"
    drawn = [f for group in by_measure(factors).values() for f in group]
    assert not set(f.key for f in others) & set(f.key for f in drawn)


def test_description_says_measures_are_not_comparable():
    text = describe_risk_chart(select_risk_factors(), "any")
    assert "not comparable across panels" in text
    assert "SIR up to 56" in text


def test_chart_dropdowns_refilter_and_redraw():
    chart = risk_factor_chart()
    first = chart.image.value
    chart.leukaemia.value = "cml"
    assert all("cml" in f.leukaemias for f in chart.factors)
    assert "for CML in 1 panel" in chart.description
    assert chart.image.value != first
    chart.leukaemia.value = "any"
    chart.measure.value = "SIR"
    assert {f.measure for f in chart.factors} == {"SIR"}
    assert "not a ratio" not in chart.description


def test_bad_leukaemia_or_measure_is_refused():
    with pytest.raises(ValueError, match="leukaemia must be one of"):
        select_risk_factors(leukaemia="lymphoma")
    with pytest.raises(ValueError, match="measure must be one of"):
        risk_factor_chart(measure="odds ratio")


def test_risk_estimates_with_intervals_contain_their_headline_value():
    for factor in select_risk_factors():
        if factor.interval_low is not None:
            assert factor.interval_low <= factor.headline_value <= factor.interval_high
