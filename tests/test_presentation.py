"""Lesson 06's presenting-features data and chart: content rules, views, descriptions and wiring."""

from __future__ import annotations

import dataclasses

import pytest

from petechiae_edu import citations, content
from petechiae_edu.content.presentation import PresentingFeature
from petechiae_edu.widgets.presentation import (
    VIEWS,
    by_frequency,
    describe_view,
    presenting_features,
    presenting_features_chart,
    view_sources,
)


def test_children_view_holds_clarke_percentages_and_adults_view_shephard_odds_ratios():
    children = presenting_features("children")
    adults = presenting_features("adults")
    assert {f.measure for f in children} == {"percent_of_cases"}
    assert {f.measure for f in adults} == {"odds_ratio"}
    assert all("clarke2016" in f.sources for f in children)
    assert all("shephard2016" in f.sources for f in adults)


def test_hepatomegaly_is_the_commonest_feature_in_children():
    ordered = by_frequency(presenting_features("children"))
    assert ordered[0].feature == "Hepatomegaly" and ordered[0].value == 64
    assert [f.value for f in ordered] == sorted((f.value for f in ordered), reverse=True)


def test_no_childhood_feature_is_present_in_every_child():
    assert max(f.value for f in presenting_features("children")) < 100


def test_acute_and_chronic_views_split_the_adult_estimates():
    acute = presenting_features("adults_acute")
    chronic = presenting_features("adults_chronic")
    assert len(acute) + len(chronic) == len(presenting_features("adults"))
    assert {f.leukaemia_group for f in acute} == {"acute"}


def test_unknown_view_is_refused_with_the_allowed_views():
    with pytest.raises(ValueError, match="view must be one of children"):
        presenting_features("teenagers")


def test_a_percentage_above_100_is_refused():
    good = presenting_features("children")[0]
    fields = {f.name: getattr(good, f.name) for f in dataclasses.fields(good)}
    with pytest.raises(content.FieldError, match="percentage"):
        PresentingFeature(**{**fields, "value": 140})


def test_an_odds_ratio_outside_its_interval_is_refused():
    good = presenting_features("adults")[0]
    fields = {f.name: getattr(good, f.name) for f in dataclasses.fields(good)}
    with pytest.raises(content.FieldError, match="outside its interval"):
        PresentingFeature(**{**fields, "value": 100.0})


def test_children_description_names_the_skin_signs_and_the_asymptomatic_share():
    text = describe_view("children")
    assert "hepatomegaly 64%" in text
    assert "bruising/petechiae 42%" in text
    assert "6% had no symptoms" in text


def test_adult_description_says_no_symptom_predicts_above_one_percent():
    text = describe_view("adults")
    assert "lymphadenopathy OR 22 (13–36) for chronic leukaemia" in text
    assert "positive predictive value above 1%" in text


def test_dropdown_switches_view_description_and_image():
    chart = presenting_features_chart()
    first_image, first_text = chart.image.value, chart.description
    chart.view.value = "adults_acute"
    assert chart.description != first_text
    assert chart.image.value != first_image
    assert {f.leukaemia_group for f in chart.features} == {"acute"}
    assert "nosebleeds and/or bleeding gums OR 5.7" in chart.description


def test_chart_cites_both_studies():
    citations.reset()
    presenting_features_chart()
    assert {"clarke2016", "shephard2016"} <= set(citations.used())


def test_every_view_has_a_dropdown_option():
    chart = presenting_features_chart()
    assert [value for _, value in chart.view.options] == list(VIEWS)


def test_the_studies_are_named_from_the_records_sources_through_the_citations():
    # before: "(Clarke 2016)" and "(Shephard 2016)" were written in the widget
    chart = presenting_features_chart()
    labels = dict((value, label) for label, value in chart.view.options)
    assert labels["children"].endswith(f"({citations.references_text(['clarke2016'])})")
    assert labels["adults"].endswith(f"({citations.references_text(['shephard2016'])})")
    for view in VIEWS:
        keys = {key for record in presenting_features(view) for key in record.sources}
        assert set(view_sources(view)) == keys


def test_the_predictive_value_statement_names_its_source():
    text = describe_view("adults")
    assert text.endswith(f"positive predictive value above 1% ({citations.references_text(['shephard2016'])}).")
