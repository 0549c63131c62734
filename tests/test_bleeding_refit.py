"""Specification of the bleeding model's shipped fit (issue 15): fit/check split, the numpy refit, the child curve."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import tomllib

import numpy as np
import pytest

from petechiae_edu import calibrated, calibrated_bleeding, paths
from petechiae_edu.content import bleeding_data
from petechiae_edu.models import bleeding_fit, cohort_fit
from petechiae_edu.models.bleeding import BleedingParameters, grade_probabilities
from petechiae_edu.validation import InputValueError

COUNTS = np.array([0.0, 0.5, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 80, 100, 150, 300, 1000])
REFIT_TOLERANCE = 1e-9  # relative: the refit is deterministic numpy; this allows only last-bit differences


def _replace(records, key, **changes):
    return tuple(dataclasses.replace(r, **changes) if r.key == key else r for r in records)


# ---------------------------------------------------------------------------------------------- the shipped file


def test_refitting_reproduces_the_shipped_file():
    shipped = tomllib.loads((paths.data_dir() / bleeding_data.FITTED_FILE).read_text(encoding="utf-8"))["fit"][0]
    refitted = tomllib.loads(calibrated.fitted_model_text())["fit"][0]
    assert shipped.keys() == refitted.keys()
    for name, value in shipped.items():
        if isinstance(value, list) and value and isinstance(value[0], float):
            np.testing.assert_allclose(refitted[name], value, rtol=REFIT_TOLERANCE, atol=1e-12, err_msg=name)
        elif isinstance(value, float):
            assert refitted[name] == pytest.approx(value, rel=REFIT_TOLERANCE), name
        else:
            assert refitted[name] == value, name


def test_the_default_model_is_read_from_the_shipped_file_not_fitted():
    shipped = bleeding_data.fitted_model()
    model = calibrated.default_model()
    assert model.parameters.grade2_slope == shipped.grade2_slope
    assert model.child_grade2_log_odds == shipped.child_grade2_log_odds
    assert model.parameter_draws.shape == (shipped.draws, 4)


def test_a_fresh_kernel_answers_without_scipy():
    code = "import petechiae_edu, sys; petechiae_edu.daily_bleeding_risk(8); assert 'scipy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# ---------------------------------------------------------------------------------------------- fit never sees checks


def test_perturbing_a_check_figure_leaves_the_fit_unchanged():
    points = bleeding_data.calibration_points()
    checks = [p for p in points if p.use == "check"]
    assert checks, "the calibration file should hold check figures"
    perturbed = points
    for point in checks:
        perturbed = _replace(perturbed, point.key, value=point.value * 3 if "ratio" in point.measure else 0.5)
    before, after = bleeding_fit.fit_bleeding_model(points), bleeding_fit.fit_bleeding_model(perturbed)
    assert before.parameters == after.parameters
    draws_before, _ = bleeding_fit.bootstrap_bleeding_model(points, (), draws=5, seed=1)
    draws_after, _ = bleeding_fit.bootstrap_bleeding_model(perturbed, (), draws=5, seed=1)
    np.testing.assert_array_equal(draws_before, draws_after)


def test_perturbing_a_fit_figure_moves_the_fit():
    points = bleeding_data.calibration_points()
    moved = _replace(points, "uhl2017_odds_ratio_5_or_less", value=6.0, interval_high=8.0)
    assert bleeding_fit.fit_bleeding_model(moved).parameters.grade2_slope < (
        bleeding_fit.fit_bleeding_model(points).parameters.grade2_slope
    )


def test_the_strategy_trials_are_never_fitted():
    targets = bleeding_data.cohort_targets()
    trials = [t for t in targets if any(s in ("stanworth2013_topps", "wandt2012") for s in t.sources)]
    assert len(trials) == 3 and all(t.use == "check" for t in trials)
    assert all(t.key not in {f.key for f in cohort_fit.fit_targets(targets)} for t in trials)


def test_perturbing_a_strategy_trial_leaves_the_cohort_fit_unchanged():
    model = calibrated.default_model()
    inputs = calibrated_bleeding._cohort_inputs(model.parameters, patients=2000)
    targets = bleeding_data.cohort_targets()
    perturbed = _replace(_replace(targets, "topps_prophylaxis", value=0.05), "plado_patients_grade3", value=0.9)
    assert cohort_fit.fit_tendency_sd(inputs, targets) == cohort_fit.fit_tendency_sd(inputs, perturbed)
    assert cohort_fit.child_log_odds_ratio(targets) == cohort_fit.child_log_odds_ratio(perturbed)


def test_every_figure_says_where_it_was_read():
    for record in (*bleeding_data.calibration_points(), *bleeding_data.cohort_targets()):
        assert record.location and record.confidence in ("read", "secondary"), record.key
        assert record.confidence == "read" or record.read_in, record.key


# ---------------------------------------------------------------------------------------------- the numpy fit


def test_the_numpy_fit_recovers_a_known_curve():
    truth = np.array([-1.0, -0.4, -3.0, -1.2])

    def point(key, outcome, low, high):
        counts, _ = bleeding_fit._point_counts(_Point(key, outcome, "daily_probability", 0.5, low, high))
        grade2, grade3 = grade_probabilities(counts, truth)
        value = float(np.mean(grade2 if outcome == "who_grade_2_or_more" else grade3))
        return _Point(key, outcome, "daily_probability", value, low, high)

    points = [
        point("a", "who_grade_2_or_more", 1, 5),
        point("b", "who_grade_2_or_more", 20, 60),
        point("c", "who_grade_3_or_more", 1, 5),
        point("d", "who_grade_3_or_more", 20, 60),
    ]
    fit = bleeding_fit.fit_bleeding_model(points)
    assert fit.converged
    np.testing.assert_allclose(fit.parameters.as_array(), truth, atol=1e-4)


@dataclasses.dataclass(frozen=True)
class _Point:
    key: str
    outcome: str
    measure: str
    value: float
    count_low: float
    count_high: float
    count_distribution: str = "log-uniform"
    reference_low: float | None = None
    reference_high: float | None = None
    log_odds_se: float = 0.1
    use: str = "fit"


def test_the_fit_never_lets_risk_rise_with_the_count():
    """A point set that would want a rising curve is held at a flat one (slope bound at 0)."""
    rising = [
        _Point("low", "who_grade_2_or_more", "daily_probability", 0.05, 1, 5),
        _Point("high", "who_grade_2_or_more", "daily_probability", 0.20, 50, 100),
        _Point("g3a", "who_grade_3_or_more", "daily_probability", 0.02, 1, 5),
        _Point("g3b", "who_grade_3_or_more", "daily_probability", 0.01, 50, 100),
    ]
    assert bleeding_fit.fit_bleeding_model(rising).parameters.grade2_slope <= 0


# ---------------------------------------------------------------------------------------------- the child curve


@pytest.mark.parametrize("grade", [2, 3])
def test_child_risks_are_probabilities_that_never_rise_with_the_count(grade):
    risks = calibrated.bleeding_probability(COUNTS, grade=grade, age_group="child")
    assert np.all((risks >= 0) & (risks <= 1))
    assert np.all(np.diff(risks) <= 0)


def test_children_bleed_at_least_as_often_as_adults_at_every_count():
    """Josephson 2012: children bled more than adults over a wide range of counts (grade ≥2)."""
    child = calibrated.bleeding_probability(COUNTS, grade=2, age_group="child")
    adult = calibrated.bleeding_probability(COUNTS, grade=2)
    assert np.all(child > adult)
    # grade ≥3: no paediatric figure was read, so the child curve is the adult one (an assumption, stated)
    np.testing.assert_array_equal(
        calibrated.bleeding_probability(COUNTS, grade=3, age_group="child"),
        calibrated.bleeding_probability(COUNTS, grade=3),
    )


def test_the_child_band_holds_the_child_curve():
    risk = calibrated.daily_bleeding_risk(8, age_group="child")
    assert risk.age_group == "child"
    assert risk.grade2_band[0] <= risk.grade2 <= risk.grade2_band[1]
    assert risk.grade2 > calibrated.daily_bleeding_risk(8).grade2


def test_an_unknown_age_group_is_refused_with_the_choices_named():
    with pytest.raises(InputValueError, match=r"age_group = 'baby'.*'adult' or 'child'"):
        calibrated.daily_bleeding_risk(8, age_group="baby")


def test_the_child_offset_reproduces_the_papers_odds_ratio_in_the_cohort():
    mean, _ = cohort_fit.child_log_odds_ratio(bleeding_data.cohort_targets())
    rows = {row.key: row for row in calibrated.cohort_checks()}
    assert math.log(rows["josephson_children_0_5"].model) == pytest.approx(mean, abs=0.05)


def test_the_cohort_strategy_contrast_is_reported_beside_topps(cohort_rows):
    rows = cohort_rows
    contrast = rows["topps_no_prophylaxis − topps_prophylaxis"]
    assert contrast.published == pytest.approx(0.07)
    assert contrast.model_low <= contrast.model <= contrast.model_high
    assert "published +7.0 points" in contrast.summary()


def test_the_fit_summary_shows_every_check_figure_with_its_interval():
    summary = calibrated.fit_bleeding_model().summary()
    for point in bleeding_data.calibration_points():
        line = next(line for line in summary.splitlines() if line.strip().startswith(point.key))
        assert f"({point.use}," in line and ")" in line.split("model", 1)[1], line


def test_bleeding_probability_stays_vectorised_for_the_virtual_patient():
    counts = np.linspace(0, 200, 7)
    fever = calibrated.course_fever_odds_ratio()
    plain = calibrated.bleeding_probability(counts, grade=3)
    feverish = calibrated.bleeding_probability(counts, grade=3, odds_ratio=fever)
    assert plain.shape == counts.shape and np.all(feverish > plain)
    assert isinstance(calibrated.bleeding_probability(8.0, parameters=BleedingParameters(-1, -0.3, -3, -1)), float)


# ---------------------------------------------------------------------------------------------- lesson 04's views


def test_marking_another_count_redraws_the_curves_and_rewrites_the_description():
    from petechiae_edu.widgets.bleeding_checks import bleeding_age_curves

    app = bleeding_age_curves(platelet_count=10.0)
    before_png, before_text = bytes(app.image.value), app.description
    assert "at 10 ×10^9/L adults 16 %, children 32 %" in before_text
    app.platelets.value = 2.0
    assert bytes(app.image.value) != before_png
    assert "at 2 ×10^9/L adults 22 %, children 42 %" in app.description


def test_the_check_table_filters_fitted_and_check_figures():
    from petechiae_edu.widgets.bleeding_checks import bleeding_check_table

    app = bleeding_check_table()
    assert "wandt1998_trigger_ratio" in app.table_html.value and "plado_grade2a_days" in app.table_html.value
    app.shown_use.value = "check"
    assert "wandt1998_trigger_ratio" in app.table_html.value and "plado_grade2a_days" not in app.table_html.value
    assert "topps_no_prophylaxis − topps_prophylaxis" in app.table_html.value
    assert app.description.startswith("11 published figures") and "7 of them are checks" in app.description
    assert "4 more were never fitted but cannot fail" in app.description


def test_the_check_table_says_which_checks_cannot_fail_and_never_shows_a_qualitative_figure_as_a_number():
    from petechiae_edu.widgets.bleeding_checks import bleeding_check_table

    app = bleeding_check_table()
    html = app.table_html.value
    assert "check that holds by construction (cannot fail)" in html
    assert "context: its model value is a fitted one (cannot fail)" in html
    assert "floor 0.76 % per day: met" in html and "qualitative, no number" in html
    assert "33.5 % fewer transfusions" in html and "33.5 % of patients" not in html


# ---------------------------------------------------------------------------------------------- honest checks (R15-8)


def _summary_line(summary: str, key: str) -> str:
    return next(line for line in summary.splitlines() if line.strip().startswith(key))


def test_a_qualitative_figure_is_never_printed_as_a_published_number():
    line = _summary_line(calibrated.fit_bleeding_model().summary(), "uhl2017_middle_band_raised")
    assert "published 1" not in line and "qualitative, no number" in line


def test_a_floor_is_reported_as_met_or_not_not_as_a_miss_in_standard_errors():
    line = _summary_line(calibrated.fit_bleeding_model().summary(), "gmur_ich_below_1")
    assert "floor 0.76 % per day: met" in line and " SE [" not in line


def test_shape_checks_that_every_fitted_curve_meets_are_labelled_as_holding_by_construction():
    points = {p.key: p for p in bleeding_data.calibration_points()}
    constructed = {key for key, p in points.items() if bleeding_fit.holds_by_construction(p)}
    assert constructed == {"uhl2017_middle_band_raised", "slichter_rise_below_5"}
    # the claim itself: any curve the fit can return (slopes ≤ 0) meets them, however flat or steep
    for slope in (0.0, -0.01, -1.0, -5.0):
        params = np.array([-1.0, slope, -2.0, slope])
        assert all(bleeding_fit.model_value(points[key], params) >= points[key].value for key in constructed)
    fit = calibrated.fit_bleeding_model()
    assert {c.key for c in fit.checks if c.role == "by construction"} == constructed
    heading, *_ = (line for line in fit.summary().splitlines() if "hold by construction" in line)
    assert fit.summary().index(heading) < fit.summary().index("uhl2017_middle_band_raised")


@pytest.fixture(scope="module")
def cohort_rows():
    return {row.key: row for row in calibrated.cohort_checks()}


def test_a_check_whose_model_value_is_the_fitted_share_is_shown_as_context(cohort_rows):
    for key in ("plado_nejm_patients_grade2", "topps_prophylaxis"):
        assert cohort_rows[key].role == "context" and cohort_rows[key].same_as_fit == "plado_patients_grade2a"
        assert cohort_rows[key].model == cohort_rows["plado_patients_grade2a"].model
    assert cohort_rows["plado_patients_grade3"].role == "check"
    assert cohort_rows["topps_no_prophylaxis − topps_prophylaxis"].role == "check"
    summary = calibrated.cohort_check_summary()
    assert summary.index("Context, not checks") < summary.index("plado_nejm_patients_grade2")


def test_the_childrens_median_bleeding_days_are_checked_beside_the_adults(cohort_rows):
    row = cohort_rows["josephson_children_median_days"]
    assert row.use == "check" and row.role == "check"
    assert (row.published, row.published_reference) == (3.0, 1.0)
    assert row.model > row.model_reference  # children bleed on more days than adults on the same courses
    assert row.model_low <= row.model <= row.model_high
    assert "published children 3 vs adults 1 days (median)" in row.summary()


def test_a_median_number_of_days_is_validated_as_days_with_the_adults_figure_beside_it():
    target = next(t for t in bleeding_data.cohort_targets() if t.key == "josephson_children_median_days")
    with pytest.raises(Exception, match="days"):
        dataclasses.replace(target, value=-1.0)
    with pytest.raises(Exception, match="reference_value"):
        dataclasses.replace(target, reference_value=None)
    with pytest.raises(Exception, match="fraction"):
        dataclasses.replace(target, measure="patients_with_grade2", reference_value=None)  # 3.0 is not a share
