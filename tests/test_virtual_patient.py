"""The virtual patient: daily risks, deaths, survival from diagnosis, natural history and the explorer's wiring."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petechiae_edu import calibrated, citations, simulate_patients, survival_chart, virtual_patient
from petechiae_edu import patients as patients_module
from petechiae_edu.content import patient_data
from petechiae_edu.live import LiveApp
from petechiae_edu.models import petechiae
from petechiae_edu.models.infection import (
    InfectionParameters,
    days_neutropenic,
    episode_infection_probability,
    infection_hazard,
)
from petechiae_edu.validation import InputValueError

INFECTION = InfectionParameters(hazard_scale=0.0134)


@pytest.fixture(scope="module")
def untreated_aml():
    return simulate_patients("aml", patients=1000, supportive_care=True, seed=0)


# ---------------------------------------------------------------------------------------------- daily risks


@settings(max_examples=60, deadline=None)
@given(
    anc=st.floats(0.0, 20.0, allow_nan=False),
    more=st.floats(0.0, 5.0, allow_nan=False),
    days_low=st.integers(0, 120),
)
def test_infection_risk_is_a_probability_that_never_rises_when_neutrophils_rise(anc, more, days_low):
    low = infection_hazard(np.array([anc]), np.array([days_low]), INFECTION)[0]
    high = infection_hazard(np.array([anc + more]), np.array([days_low]), INFECTION)[0]
    assert 0.0 <= high <= low <= 1.0


@settings(max_examples=60, deadline=None)
@given(anc=st.floats(0.0, 0.99, allow_nan=False), days_low=st.integers(0, 120), extra=st.integers(0, 60))
def test_infection_risk_never_falls_as_neutropenia_lasts_longer(anc, days_low, extra):
    shorter = infection_hazard(np.array([anc]), np.array([days_low]), INFECTION)[0]
    longer = infection_hazard(np.array([anc]), np.array([days_low + extra]), INFECTION)[0]
    assert shorter <= longer <= 1.0


def test_no_infection_is_drawn_at_or_above_one_neutrophil():
    assert infection_hazard(np.array([1.0, 4.0]), np.array([30, 30]), INFECTION).tolist() == [0.0, 0.0]


def test_days_neutropenic_counts_the_current_run_and_resets():
    anc = np.array([2.0, 0.5, 0.4, 3.0, 0.2, 0.1, 0.1])
    assert days_neutropenic(anc, 1.0).tolist() == [0, 1, 2, 0, 1, 2, 3]


def test_infection_scale_is_fitted_to_bodeys_39_percent_per_episode():
    fitted = patients_module.infection_parameters()
    assumptions = patient_data.assumptions()
    share = episode_infection_probability(
        assumptions["reference_episode_anc"].value, int(assumptions["reference_episode_days"].value), fitted
    )
    assert share == pytest.approx(patient_data.figures()["bodey_episode_infection_share"].value, abs=0.005)


def test_a_week_of_falling_neutrophils_carries_at_least_bodeys_severe_infection_share():
    fitted = patients_module.infection_parameters()
    anc = np.geomspace(0.99, 0.1, 7)
    hazard = infection_hazard(anc, np.arange(1, 8), fitted)
    check = patient_data.figures()["bodey_weekly_fall_severe_infection"]
    assert check.use == "check"
    assert 1 - np.prod(1 - hazard) >= check.value


@pytest.mark.parametrize("table_index", [0, 1])
def test_bleeding_and_petechiae_tables_are_probabilities_that_fall_as_platelets_rise(table_index):
    table = patients_module._tables()[table_index]
    values = table.values.reshape(-1, table.values.shape[-1])
    assert np.all((values >= 0) & (values <= 1))
    assert np.all(np.diff(values, axis=-1) <= 1e-12)


def test_the_virtual_patient_bleeds_only_by_the_excess_over_the_risk_at_the_upper_count():
    """Assumption 'bleeding_excess_over_reference': the bleeding model's floor (treated inpatients bleed from other
    causes too) is taken off, so no bleeding is drawn at or above the upper count and the rest is the excess."""
    table = patients_module._tables()[0]
    upper = patient_data.assumptions()["bleeding_upper_count"].value
    grid = table.grid(table.low, table.high, table.values.shape[-1])
    assert np.all(table.values[..., grid >= upper] == 0.0)
    at_ten = grid[table.index(np.array([10.0]))[0]]
    for g, grade in enumerate((2, 3)):
        risk_at_ten, risk_at_upper = calibrated.bleeding_probability(np.array([at_ten, upper]), grade=grade)
        assert risk_at_upper > 0.0
        assert table.values[g, 0, 0, table.index(np.array([10.0]))[0]] == pytest.approx(risk_at_ten - risk_at_upper)


def test_fever_raises_the_bleeding_risk_at_every_count():
    bleeding = patients_module._tables()[0].values
    assert np.all(bleeding[:, 1] >= bleeding[:, 0])


# ---------------------------------------------------------------------------------------------- the group


def test_deaths_never_exceed_patients_and_causes_sum_to_the_dead(untreated_aml):
    causes = untreated_aml.deaths_by_cause
    assert set(causes) >= {"bleeding", "infection"}
    assert sum(causes.values()) == untreated_aml.dead <= untreated_aml.patients
    assert 0.0 <= untreated_aml.dead_by(30) <= untreated_aml.dead_by(90) <= untreated_aml.dead_by(365) <= 1.0


def test_daily_shares_are_fractions_and_the_survival_curve_never_rises(untreated_aml):
    for share in (
        untreated_aml.share_with_petechiae(),
        untreated_aml.share_bleeding(2),
        untreated_aml.share_bleeding(3),
        untreated_aml.share_infected(),
    ):
        assert share.shape == (366,) and np.all((share >= 0) & (share <= 1))
    assert np.all(untreated_aml.share_bleeding(3) <= untreated_aml.share_bleeding(2) + 1e-12)
    days, alive = untreated_aml.survival_curve()
    assert days[0] == 0 and days[-1] == 365 and np.all(np.diff(alive) <= 0)


def test_counts_stop_at_death(untreated_aml):
    course = untreated_aml.patient(int(np.flatnonzero(untreated_aml.death_day >= 0)[0]))
    assert np.all(np.isnan(course.platelets[course.death_day + 1 :]))
    assert np.isfinite(course.platelets[course.death_day])


def test_same_seed_same_patients_and_another_seed_other_patients():
    first = simulate_patients("aml", patients=300, seed=4)
    again = simulate_patients("aml", patients=300, seed=4)
    other = simulate_patients("aml", patients=300, seed=5)
    assert np.array_equal(first.death_day, again.death_day) and np.array_equal(first.infected, again.infected)
    assert not np.array_equal(first.death_day, other.death_day)


def test_healthy_people_do_not_die_of_cytopenias_within_a_year():
    healthy = simulate_patients("healthy", patients=1000, seed=0)
    assert healthy.dead == 0 and healthy.dead_by(365) == 0.0
    assert healthy.share_infected().max() == 0.0 and healthy.share_bleeding(2).max() == 0.0


def test_untreated_aml_median_survival_is_within_one_to_four_months_of_diagnosis(untreated_aml):
    """Check series (never fitted): SEER–Medicare, adults ≥65 not given leukaemia therapy, median 2 months (Oran
    2012). The stated window is 1–4 months (30–122 days): the model's one average patient cannot match a registry's
    mix, but it must die of its cytopenias on the same time scale, not over years."""
    published = patient_data.figures()["oran_untreated_median_months"]
    assert published.use == "check"
    median = untreated_aml.median_survival_days()
    assert median is not None and 30 <= median <= 122


def test_untreated_aml_presents_with_a_bleed_in_a_minority_and_only_at_low_counts(untreated_aml):
    """With the excess-risk assumption a bleed brings a patient in only when the count is low: fewer than a third
    present with a grade >=2 bleed, at a median platelet count below 60 and never at or above the upper count
    (before it, about 78 % presented with a bleed at 60-90 x10^9/L)."""
    index = np.arange(untreated_aml.patients)
    day = untreated_aml.diagnosis_day
    bled = untreated_aml.bleeding_grade2[index, day]
    platelets = untreated_aml.platelets[index, day][bled]
    assert 0.0 < bled.mean() < 1 / 3
    assert np.median(platelets) < 60.0
    assert platelets.max() < patient_data.assumptions()["bleeding_upper_count"].value


def test_untreated_acute_leukaemia_dies_mostly_of_infection_then_bleeding(untreated_aml):
    causes = untreated_aml.deaths_by_cause
    assert causes["infection"] > causes["bleeding"] > 0


def test_supportive_care_and_induction_each_lengthen_survival():
    bare = simulate_patients("aml", patients=800, seed=1)
    care = simulate_patients("aml", patients=800, supportive_care=True, seed=1)
    induction = simulate_patients("aml", patients=800, treatment=True, supportive_care=True, seed=1)
    assert bare.dead_by(90) > care.dead_by(90) > induction.dead_by(90)


def test_induction_starts_within_days_of_diagnosis():
    treated = simulate_patients("aml", patients=500, treatment=True, supportive_care=True, seed=2)
    wait = treated.treatment_start_day - treated.diagnosis_day
    assert np.all(treated.treatment_start_day >= 0)
    assert np.median(wait) <= patient_data.assumptions()["treatment_start_step"].value


def test_untreated_cml_transforms_rarely_at_first_then_about_a_fifth_a_year():
    """Fit figures (secondary): transformation least likely in years 0–2, then 20–25 %/year."""
    group = simulate_patients("cml", patients=4000, days=6 * 365, seed=0)
    years = (group.transformation_day - group.diagnosis_day) / 365.25
    transformed = group.transformation_day >= 0

    def yearly(year: int) -> float:
        at_risk = np.sum(~transformed | (years >= year))
        return np.sum(transformed & (years >= year) & (years < year + 1)) / at_risk

    assert yearly(0) < 0.10 and yearly(1) < 0.10
    assert all(0.17 <= yearly(y) <= 0.28 for y in (2, 3, 4))


def test_cml_under_a_tki_does_not_transform_in_the_model():
    treated = simulate_patients("cml", patients=300, days=3 * 365, treatment=True, seed=0)
    assert np.all(treated.transformation_day < 0) and treated.dead == 0


def test_cll_immune_thrombocytopenia_drops_platelets_in_about_one_in_twenty_over_five_years():
    group = simulate_patients("cll", patients=3000, days=5 * 365, seed=0)
    lowest = np.nanmin(group.platelets, axis=1)
    share = np.mean(lowest <= patient_data.figures()["visco_cll_itp_count"].value * 1.5)
    assert 0.03 <= share <= 0.08


def test_the_model_never_reads_a_check_figure(monkeypatch):
    """Remove every check figure from the data: the simulation must give exactly the same patients."""
    before = simulate_patients("aml", patients=200, treatment=True, supportive_care=True, seed=3)
    fit_only = {k: f for k, f in patient_data.figures().items() if f.use == "fit"}
    monkeypatch.setattr(patient_data, "figures", lambda: fit_only)
    for cached in (patients_module.infection_parameters, patients_module.courses, patients_module._blast_phase):
        cached.cache_clear()
    after = simulate_patients("aml", patients=200, treatment=True, supportive_care=True, seed=3)
    assert np.array_equal(before.death_day, after.death_day)


def test_every_figure_is_marked_fit_or_check_and_every_assumption_says_why():
    assert {f.use for f in patient_data.figures().values()} == {"fit", "check"}
    assert all(a.why for a in patient_data.assumptions().values())
    assert set(patient_data.presentation_rules()) == {"aml", "all", "cml", "cll", "healthy"}


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"preset": "AML"}, "preset"),
        ({"preset": "aml", "patients": 0}, "patients"),
        ({"preset": "aml", "days": -3}, "days"),
        ({"preset": "aml", "treatment": "yes"}, "treatment"),
    ],
)
def test_bad_input_is_refused_with_the_parameter_named(arguments, named):
    preset = arguments.pop("preset")
    with pytest.raises((InputValueError, TypeError, ValueError)) as error:
        simulate_patients(preset, **arguments)
    assert named in str(error.value)


def test_simulating_registers_the_sources_it_rests_on(fresh_citations):
    simulate_patients("aml", patients=10, seed=0)
    assert {"bodey1966", "kuderer2006", "plado_organ_bleeding"} <= set(citations.used())


# ---------------------------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def app():
    return virtual_patient("aml", seed=3)


def _looked_up(app, name: str, day: float) -> list:
    """What the front end looks up in table ``name`` on slider day ``day`` (live.js's index arithmetic)."""
    table, spec = app.live.tables[name], app.control_specs["day"]
    index = round((day - spec["min"]) / spec["step"])
    dtype = {"f32": "<f4", "u16": "<u2", "u8": "u1"}[table["dtype"]]
    raw = np.frombuffer(base64.b64decode(table["data"]), dtype=dtype)[index * table["width"] :][: table["width"]]
    return [table["vocab"][k] for k in raw] if "vocab" in table else raw.tolist()


def test_the_explorer_is_live_with_its_moving_artists_in_the_svg(app):
    assert isinstance(app, LiveApp) and app.shown() == [app.live]
    for gid in ("vp_day_line", "vp_dot_platelets", "vp_dot_anc", "vp_dot_haemoglobin"):
        assert f'id="{gid}"' in app.live.svg
    spec = app.control_specs["day"]
    assert (spec["min"], spec["max"], spec["step"]) == (-60.0, 365.0, 1.0)
    assert app.live.tables["sentence"]["shape"] == [426] and app.live.tables["dots"]["width"] == 3
    assert app.live.payload_bytes() < 400_000


@pytest.mark.parametrize("day", [-60.0, -30.0, -1.0, 0.0, 3.0, 8.0, 11.0, 12.0, 100.0, 365.0])
def test_the_front_ends_sentence_for_a_day_is_pythons_sentence(app, day):
    app.day.value = day
    assert app.live.value["day"] == day
    assert _looked_up(app, "sentence", day) == [app.sentence()] and app.description == app.sentence()


def test_setting_the_day_changes_the_description_and_the_state_sent_to_the_browser(app):
    app.day.value = 0.0
    before = (app.description, app.live.value)
    app.day.value = 5.0
    assert app.description != before[0] and app.live.value != before[1]
    assert "×10^9/L" in before[0] and "g/dL" in before[0]


def test_the_dots_sit_on_the_days_counts_and_hide_after_death(app):
    course = app.course
    for after in (-20, 0, 5):
        day = course.diagnosis_day + after
        expected = [course.platelets[day], course.anc[day], course.haemoglobin[day]]
        assert _looked_up(app, "dots", after) == pytest.approx([max(v, 0.01) for v in expected], rel=1e-6)
        assert _looked_up(app, "shown", after) == [1]
    assert _looked_up(app, "shown", 300.0) == [0] and _looked_up(app, "spots", 300.0)[-1] == 0


def test_the_spots_of_a_day_are_the_first_of_each_region_pool_the_sampler_draws(app):
    regions = [region.key for region in petechiae.REGIONS]
    for after in (-10, 0, 8):
        day = app.course.diagnosis_day + after
        sample = app.sampler.sample(float(app.course.platelets[day]), 3.0)
        counts = _looked_up(app, "spots", after)
        assert counts[-1] == sample.total
        keys = np.asarray(sample.region_keys)
        for i, key in enumerate(regions):
            pool = np.frombuffer(base64.b64decode(app.live.tables[f"pool_{key}"]["data"]), dtype="<f4")
            expected = np.round(sample.positions[keys == key], 2)
            assert counts[i] == len(expected)
            np.testing.assert_allclose(pool[: 2 * counts[i]].reshape(-1, 2), expected, atol=1e-5)


def test_the_day_slider_plays_in_the_browser_two_days_a_step(app):
    # Play is the live front end's own button (it needs no kernel, so it plays in a handout too); the browser suite
    # clicks it (tests/browser/test_live_keyboard_everywhere_browser.py)
    day = next(spec for spec in app.live.spec["controls"] if spec["name"] == "day")
    assert day["play"] == {"interval_ms": 150.0, "step_count": 2, "label": "Play the course day by day"}
    assert not day["kernel"]


def test_only_the_patient_number_is_a_kernel_control_beside_the_figure(app):
    # ipywidgets' Play has three icon-only buttons that a screen reader cannot name: none is shown
    shown = app.widget.children
    assert not any(isinstance(w, widgets.Play) for w in shown[1].children)
    assert app.patient_number in shown[1].children
    assert "need" in app.kernel_note.value and "Play work without Python" in app.kernel_note.value
    assert shown[-1] is app.live


def test_the_last_day_of_a_fatal_course_says_the_counts_stop(app):
    assert app.course.death_day is not None
    app.day.value = float(app.course.death_day - app.course.diagnosis_day)
    assert "died of" in app.description and "stop at death" in app.description
    app.day.value = float(app.day.slider.max)
    assert "no counts after death" in app.description and "stop at death" in app.description


def test_the_skin_tone_is_a_kernel_path_that_redraws_the_body(app):
    assert app.control_specs["skin_tone"]["kernel"] and app.control_specs["skin_tone"]["note"]
    app.day.value = 20.0
    before = app.live.svg
    app.skin_tone.value = 6
    assert app.live.svg != before and 'id="vp_day_line"' in app.live.svg


def test_another_patient_number_gives_another_course_with_the_same_axes(app):
    first, axes, sentences = app.course, app.live.spec["axes"], app.live.tables["sentence"]
    app.patient_number.value = 8
    assert app.course.diagnosis_day != first.diagnosis_day or app.course.death_day != first.death_day
    assert app.live.tables["sentence"] != sentences
    assert app.live.spec["axes"] == axes  # the browser keeps its transforms: the window is fixed
    assert app.description == app.sentence() == _looked_up(app, "sentence", app.day.value)[0]


def test_a_bad_patient_number_is_refused_with_the_parameter_named():
    with pytest.raises(InputValueError, match="seed"):
        virtual_patient("aml", seed=-1)


def test_survival_chart_describes_each_line_and_the_published_marks():
    chart = survival_chart(patients_per_group=300)
    assert chart.image.value[:4] == b"\x89PNG"
    assert "Untreated, supportive care" in chart.description and "never fitted" in chart.description


# ---------------------------------------------------------------------------------------------- review issue 15


@pytest.mark.parametrize("make", [simulate_patients, virtual_patient, lambda preset: survival_chart(preset=preset)])
def test_the_childhood_all_preset_is_refused_because_the_event_rates_are_adult_ones(make):
    """R15-1: with adult infection, bleeding and case-fatality rates the model killed about a third of treated
    children; over 90 % of children with ALL survive 5 years on protocols (Pui 2018), so the preset is refused."""
    with pytest.raises(InputValueError) as error:
        make("all")
    message = str(error.value)
    assert "preset = 'all'" in message and "adults" in message and "90 %" in message and "Pui 2018" in message


def test_the_survival_chart_does_not_offer_childhood_all():
    from petechiae_edu.widgets.virtual_patient import SurvivalChart

    assert [key for _label, key in SurvivalChart.PRESETS] == ["aml"]


def test_intracranial_bleeding_rises_from_plados_rate_to_gmurs_as_the_count_falls():
    """R15-2: 0.2 % of days at on-prophylaxis counts (10 ×10^9/L and up to 50), 0.76 % at 1 ×10^9/L or below,
    log-linear in the count between (ASSUMED), none at or above 50."""
    from petechiae_edu.models.patient_events import intracranial_probability

    events = patients_module.event_parameters(supportive_care=False)
    counts = np.array([0.2, 1.0, 3.0, 5.0, 10.0, 30.0, 49.0, 50.0, 200.0])
    chance = intracranial_probability(counts, events)
    figures = patient_data.figures()
    assert chance[0] == pytest.approx(figures["gmur_ich_below_1"].value)
    assert chance[1] == pytest.approx(figures["gmur_ich_below_1"].value)
    assert chance[4] == chance[5] == chance[6] == pytest.approx(figures["plado_cns_bleeding_days"].value)
    assert chance[7] == chance[8] == 0.0
    assert np.all(np.diff(chance) <= 0) and chance[1] > chance[2] > chance[3] > chance[4]
    assert np.log(chance[3]) == pytest.approx((np.log(chance[1]) * 5 + np.log(chance[4]) * 4) / 9)  # log-linear


def test_prophylactic_platelets_prevent_intracranial_bleeds_at_very_low_counts():
    """R15-2: at a count of 3 ×10^9/L prophylaxis (the transfused count, 20) brings the daily chance down to
    PLADO's 0.2 %, so fewer patients bleed into the brain than without it."""
    from petechiae_edu.models.patient_events import draw_events

    shape = (20_000, 60)
    platelets, anc, haemoglobin = np.full(shape, 3.0), np.full(shape, 5.0), np.full(shape, 12.0)
    bleeds = {}
    for care in (False, True):
        drawn = draw_events(platelets, anc, haemoglobin, patients_module.event_parameters(care), seed=0)
        bleeds[care] = int(drawn.intracranial.sum())
    assert bleeds[True] < 0.5 * bleeds[False]


def test_the_check_table_reports_every_check_figure_of_the_data_file_with_a_model_value():
    """R15-6: every use = "check" figure (AML with and without care and with induction, Bodey, CML blast phase,
    CLL immune thrombocytopenia, Hersh's bleeding share) appears beside a model value."""
    rows = patients_module.check_table(patients=300)
    checks = {k for k, f in patient_data.figures().items() if f.use == "check"}
    assert {row["key"] for row in rows} == checks
    added = {"kantarjian2010_median_months", "kantarjian2010_alive_1_year", "dharmani_no_care_dead_60_days",
             "dharmani_no_care_dead_180_days", "hersh_haemorrhage_death_share", "visco_cll_itp_share",
             "kantarjian_blast_median_months", "bodey_weekly_fall_severe_infection"}  # fmt: skip
    assert added <= checks
    assert all(row["model"] is not None and row["compared_with"] for row in rows)


def test_gmurs_figure_is_a_fit_of_the_virtual_patient_and_the_fever_episode_length_an_assumption():
    figures, assumptions = patient_data.figures(), patient_data.assumptions()
    assert figures["gmur_ich_below_1"].use == "fit"
    assert "kuderer_fn_stay_days" not in figures and assumptions["infection_episode_days"].value == 6


def test_bleeding_death_rate_counts_days_lived_and_names_bad_causes(untreated_aml):
    rate = untreated_aml.deaths_per_1000_days("bleeding")
    lived = np.minimum(untreated_aml.survival_days, untreated_aml.days).sum()
    assert rate == pytest.approx(1000 * untreated_aml.deaths_by_cause["bleeding"] / lived)
    with pytest.raises(InputValueError, match="cause"):
        untreated_aml.deaths_per_1000_days("old age")


def test_supportive_care_lowers_intracranial_bleeds_per_day_lived_in_untreated_aml():
    """R15-2: the group-level effect of prophylaxis; before the fix both arms bled into the brain on 0.2 % of days."""
    bare = simulate_patients("aml", patients=2000, seed=0)
    care = simulate_patients("aml", patients=2000, supportive_care=True, seed=0)
    assert care.intracranial_bleeds_per_1000_days() < 0.8 * bare.intracranial_bleeds_per_1000_days()


def test_hiding_the_published_series_redraws_the_chart_and_says_so():
    chart = survival_chart(patients_per_group=300)
    before = (chart.description, chart.image.value)
    chart.show_checks.value = False
    assert "Published series hidden" in chart.description and "never fitted" not in chart.description
    assert chart.image.value != before[1]
    assert chart.preset.disabled and chart.preset.options == (("AML in older adults (published series shown)", "aml"),)
