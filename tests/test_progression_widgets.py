"""Widget wiring of simulation 2, tested kernel-side (no browser): the live explorer's tables, marks and SVG."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import dataclasses

import numpy as np
import pytest

from petechiae_edu import citations, compare_progression, progression_explorer
from petechiae_edu.calibrated import preset_parameters, symptom_rules
from petechiae_edu.models.progression import FIVE_YEARS_DAYS, PRESETS, simulate
from petechiae_edu.models.symptoms import SymptomRuleSet, symptom_timeline
from petechiae_edu.widgets import progression as progression_widgets
from petechiae_edu.widgets import progression_live


@pytest.fixture(scope="module")
def app():
    return progression_explorer("aml")


def _looked_up(app, name: str) -> np.ndarray:
    """The vector the front end reads from table ``name`` at the app's current state (as live.js indexes it)."""
    table = app.live.tables[name]
    grids = {dim: progression_live.Tables(app.control_specs).grid(dim) for dim in table["dims"]}
    offset = 0
    for dim, size in zip(table["dims"], table["shape"], strict=True):
        value = app.live.state[dim]
        index = round((value - grids[dim][0]) / 0.05) if dim == "growth" else grids[dim].index(value)
        offset = offset * size + index
    dtype = {"f32": "<f4", "u16": "<u2", "u8": "u1"}[table["dtype"]]
    data = np.frombuffer(base64.b64decode(table["data"]), dtype=dtype)
    return data[offset * table["width"] : (offset + 1) * table["width"]]


def _front_end_sentence(app) -> str:
    table = app.live.tables["sentence"]
    return table["vocab"][int(_looked_up(app, "sentence")[0])]


def test_explorer_starts_with_a_live_svg_figure_and_a_description(app):
    assert app.shown() == [app.live] and app.live.svg.startswith("<svg")
    for gid in ("count_platelets", "treatment_0", "symptoms_bleeding"):
        assert f'id="{gid}"' in app.live.svg
    assert "Platelets fall below 20 ×10^9/L on day" in app.description
    assert "petechiae expected from day" in app.description


def test_explorer_cites_the_preset_sources_when_created(app):
    assert "kantarjian2010" in citations.used()
    assert "alpfmedical_thrombocytopenia" in citations.used()


def test_faster_clone_growth_changes_result_description_and_the_curve_the_front_end_draws(app):
    app.growth.value = 5.0
    before = (app.result.first_day("platelets", below=20), app.description, _looked_up(app, "platelets").copy())
    app.growth.value = 9.0
    after = (app.result.first_day("platelets", below=20), app.description, _looked_up(app, "platelets"))
    assert after[0] < before[0]
    assert after[1] != before[1] and not np.array_equal(after[2], before[2])


def test_the_tables_cover_every_growth_step_with_and_without_treatment(app):
    tables = app.live.tables
    assert tables["platelets"]["dims"] == ["growth", "treat"] and tables["platelets"]["shape"] == [301, 2]
    assert tables["x"]["dims"] == ["time_axis"] and tables["x"]["width"] == tables["platelets"]["width"]
    assert tables["sentence"]["shape"] == [301, 2]
    assert app.control_specs["start"]["kernel"] and app.control_specs["preset"]["kernel"]
    assert not app.control_specs["growth"]["kernel"] and not app.control_specs["treat"]["kernel"]
    assert app.live.payload_bytes() < 2_000_000


@pytest.mark.parametrize("growth", [0.0, 0.05, 2.5, 4.95, 6.9, 11.35, 15.0])
@pytest.mark.parametrize("treat", [False, True])
def test_the_front_end_sentence_equals_python_sentence(app, growth, treat):
    app.growth.value, app.treat.value = growth, treat
    assert app.live.state["growth"] == growth and app.live.state["treat"] is treat
    assert _front_end_sentence(app) == app.sentence() == app.description


def test_the_symptom_markers_sit_on_the_day_python_finds_each_sign(app):
    app.growth.value, app.treat.value, app.time_axis.value = 5.0, False, False
    rules = symptom_rules()
    slots = progression_live.rule_slots(rules)
    positions = _looked_up(app, "events")
    petechiae = app.timeline.first_day("petechiae")
    assert positions[slots.index(("bleeding", "petechiae"))] == pytest.approx(petechiae / app.window, abs=1e-6)
    shown = [p for p in positions if p >= 0]
    assert len(shown) == sum(1 for e in app.timeline.appearing() if e.first_day <= app.window)


def test_the_treatment_line_shows_only_when_treated(app):
    app.growth.value, app.treat.value = 5.0, False
    assert _looked_up(app, "treated")[0] == 0
    app.treat.value = True
    assert _looked_up(app, "treated")[0] == 1


def test_treatment_start_slider_moves_the_induction_and_recomputes_the_tables(app):
    app.growth.value, app.treat.value = 5.0, True
    app.start.value = 250
    assert app.result.parameters.treatment_start_day == 250
    assert "Induction from day 250" in app.description
    assert _front_end_sentence(app) == app.sentence()


def test_treatment_toggle_removes_the_treatment(app):
    app.treat.value = False
    assert not app.result.treated and "Induction" not in app.description
    app.treat.value = True
    assert app.result.treated


def test_a_dragged_treatment_start_recomputes_the_tables_once_it_rests(app, monkeypatch):
    # in a kernel (an event loop runs) the 301 treated courses are recomputed for the last start day only
    app.growth.value, app.treat.value = 5.0, True
    built, tables = [], app._tables
    monkeypatch.setattr(app, "_tables", lambda rules: built.append(app.start.value) or tables(rules))

    monkeypatch.setattr(progression_widgets, "in_kernel", lambda: True)

    async def drag() -> str:
        for day in (240, 241, 242, 243):
            app.start.value = day
        stale = _front_end_sentence(app)
        await asyncio.sleep(progression_widgets.REST_SECONDS + 0.2)
        return stale

    # the kernel's loop, in a thread of its own: the test process may already run a loop (Playwright's) here
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        stale = pool.submit(asyncio.run, drag()).result()
    assert built == [243]
    assert "Induction from day 243" not in stale
    assert _front_end_sentence(app) == app.sentence() and "Induction from day 243" in app.sentence()


def test_preset_change_resets_sliders_and_redraws_the_static_layer():
    explorer = progression_explorer("aml")
    svg = explorer.live.svg
    explorer.preset_menu.value = "cml"
    assert explorer.growth.value == pytest.approx(0.5)
    assert explorer.start.value == 730
    assert explorer.live.state["growth"] == pytest.approx(0.5) and explorer.live.state["start"] == 730
    assert explorer.result.preset == "cml" and "TKI from day 730" in explorer.description
    assert explorer.live.svg != svg and "Chronic myeloid" in explorer.live.svg
    assert _front_end_sentence(explorer) == explorer.sentence()
    assert "michor2005" in citations.used()


def test_log_time_axis_redraws_the_ticks_and_keeps_the_axes_transforms():
    explorer = progression_explorer("all")
    svg, axes = explorer.live.svg, explorer.live.spec["axes"]
    explorer.time_axis.value = True
    assert explorer.live.svg != svg and "(log scale)" in explorer.live.svg
    assert explorer.live.spec["axes"] == axes  # the front end keeps its transforms: time runs 0–1 either way


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="'zzz'"):
        progression_explorer("zzz")


def test_comparison_shows_acute_and_chronic_side_by_side():
    comparison = compare_progression("aml", "cml")
    assert comparison.live.svg.startswith("<svg") and comparison.live.spec["description"] == [comparison.description]
    assert "Acute myeloid" in comparison.description and "Chronic myeloid" in comparison.description
    assert [r.preset for r in comparison.results] == ["aml", "cml"]


def test_the_description_reads_its_thresholds_from_the_symptom_rules(monkeypatch):
    # before: 20, 0.5 and 11.0 ×10^9/L were written in the widget; now an edit of data/symptom_rules.toml shows
    rules = symptom_rules()
    edited = SymptomRuleSet(
        tuple(
            dataclasses.replace(
                rule, threshold={"petechiae": 30.0, "neutropenia_severe": 0.7}.get(rule.key, rule.threshold)
            )
            for rule in rules.rules
        ),
        rules.first_abnormal_limits,
    )
    monkeypatch.setattr(progression_widgets, "course_rules", lambda: edited)
    text = progression_widgets.describe_course(*_aml_course())
    assert "Platelets fall below 30 ×10^9/L on day" in text and "ANC below 0.7 ×10^9/L from day" in text


def test_the_figure_bands_are_the_course_reference_ranges_and_the_petechiae_threshold():
    rules = symptom_rules()
    bands = progression_widgets.figure_bands()
    assert bands["bleeding_band"] == rules.by_key["petechiae"].threshold
    assert bands["reference_ranges"] == rules.first_abnormal_limits
    assert set(bands["reference_ranges"]) >= {"wbc", "anc", "haemoglobin", "platelets"}


def test_the_explorer_offers_every_preset_of_the_model_with_the_healthy_reference_last(app):
    offered = [key for _label, key in app.preset_menu.options]
    assert sorted(offered) == sorted(PRESETS) and offered[-1] == "healthy"
    assert progression_widgets.SIMULATED_DAYS == FIVE_YEARS_DAYS


def _aml_course():
    result = simulate(preset_parameters("aml"), treatment=False)
    return result, symptom_timeline(result, symptom_rules())
