"""Classroom scenarios load into their explorers with one call or a drop-down, and bad ones fail clearly."""

from __future__ import annotations

import shutil
from functools import cache

import pytest

import petechiae_edu
from petechiae_edu import citations, load_scenario
from petechiae_edu.content import ContentError, load_records, source_keys
from petechiae_edu.content.scenarios import Scenario
from petechiae_edu.paths import data_dir
from petechiae_edu.scenarios import ScenarioError, find_scenario, scenario_picker, scenarios

SCENARIOS = scenarios()
REQUIRED_NAMES = ("AML at diagnosis", "Day 10 of induction", "CML at presentation", "ITP mimic")


@cache
def _app(factory_name: str):
    return getattr(petechiae_edu, factory_name)()


def _value(app, path: str):
    target = app
    for part in path.split("."):
        target = getattr(target, part)
    return target


def test_the_classroom_scenarios_exist():
    names = {s.name for s in SCENARIOS}
    assert set(REQUIRED_NAMES) <= names
    assert any(s.explorer == "bleeding_explorer" and "fever" in s.name.lower() for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.key for s in SCENARIOS])
def test_every_scenario_loads_into_its_explorer_and_sets_every_value(scenario):
    app = _app(scenario.explorer)
    loaded = load_scenario(app, scenario.name)
    assert loaded == scenario
    for path, value in scenario.controls.items():
        assert _value(app, path) == pytest.approx(value) if isinstance(value, float) else _value(app, path) == value
    assert app.description  # the live description follows the new state


@pytest.mark.parametrize("explorer", sorted({s.explorer for s in SCENARIOS}))
def test_scenarios_for_one_explorer_set_the_same_controls_so_nothing_carries_over(explorer):
    control_sets = {frozenset(s.controls) for s in scenarios(explorer)}
    assert len(control_sets) == 1


def test_loading_a_scenario_changes_the_figure_and_the_description():
    app = _app("bleeding_explorer")
    load_scenario(app, "ITP mimic")
    before_state, before_text = app.live.value, app.description  # a live explorer: the browser draws this state
    load_scenario(app, "Platelets 8 with fever")
    assert app.live.value != before_state
    assert app.description != before_text
    assert app.description.startswith("At 8 ×10^9/L") and "fever" in app.description


def test_scenarios_are_found_by_name_in_any_case_or_by_key():
    assert find_scenario("itp MIMIC").key == "itp-mimic"
    assert find_scenario("itp-mimic").name == "ITP mimic"


def test_an_unknown_scenario_is_refused_with_the_known_ones_listed():
    with pytest.raises(ScenarioError, match=r"no scenario called 'leukaemia now'.*ITP mimic"):
        load_scenario(_app("bleeding_explorer"), "leukaemia now")


def test_a_scenario_for_another_explorer_is_refused():
    with pytest.raises(ScenarioError, match=r"is for progression_explorer\(\).*BleedingExplorer"):
        load_scenario(_app("bleeding_explorer"), "AML at diagnosis")


def _fake(monkeypatch, **controls):
    scenario = Scenario(
        key="fake", name="Fake", explorer="bleeding_explorer", summary="s", controls=controls, sources=("uhl2017",)
    )
    monkeypatch.setattr("petechiae_edu.scenarios.find_scenario", lambda name, data_dir=None: scenario)
    return scenario


def test_an_unknown_control_is_refused_naming_the_controls_the_app_has(monkeypatch):
    _fake(monkeypatch, **{"platelet_slider.value": 8.0})
    with pytest.raises(ScenarioError, match=r"no control 'platelet_slider'.*platelets"):
        load_scenario(_app("bleeding_explorer"), "Fake")


def test_an_unknown_attribute_is_refused(monkeypatch):
    _fake(monkeypatch, **{"fever.checked": True})
    with pytest.raises(ScenarioError, match=r"no attribute 'checked'"):
        load_scenario(_app("bleeding_explorer"), "Fake")


def test_a_value_outside_a_slider_range_is_refused_not_clamped(monkeypatch):
    app = _app("bleeding_explorer")
    before = app.platelets.value
    _fake(monkeypatch, **{"platelets.value": 900.0})
    with pytest.raises(ScenarioError, match="outside the control's range"):
        load_scenario(app, "Fake")
    assert app.platelets.value == before  # nothing was set


def test_a_value_not_in_a_menu_is_refused(monkeypatch):
    _fake(monkeypatch, **{"inr.value": "very high"})
    with pytest.raises(ScenarioError, match=r"not one of the menu's values.*'none'"):
        load_scenario(_app("bleeding_explorer"), "Fake")


def test_a_loaded_scenario_registers_its_sources():
    citations.reset()
    load_scenario(_app("bleeding_explorer"), "Platelets 8 with fever")
    assert "topps_fever_haematologica" in citations.used()


def test_the_picker_lists_only_this_explorers_scenarios_and_loads_the_choice():
    app = _app("bleeding_explorer")
    picker = scenario_picker(app)
    keys = [key for _, key in picker.options if key is not None]
    assert keys == [s.key for s in scenarios("bleeding_explorer")]
    picker.value = "platelets-8-with-fever"
    assert app.fever.value is True and app.platelets.value == 8.0
    assert "TOPPS" in picker.tooltip


def test_a_bad_attribute_path_in_the_data_file_names_file_entry_and_field(tmp_path):
    shutil.copyfile(data_dir() / "sources.toml", tmp_path / "sources.toml")
    (tmp_path / "scenarios.toml").write_text(
        'schema = "scenario"\n[[scenario]]\nkey = "x"\nname = "X"\nexplorer = "bleeding_explorer"\n'
        'summary = "s"\nsources = ["uhl2017"]\ncontrols = { "platelets" = 8.0 }\n'
    )
    with pytest.raises(ContentError, match=r"scenarios.toml.*'x'.*controls.*attribute path"):
        load_records(tmp_path / "scenarios.toml", Scenario, array="scenario", known_sources=source_keys(tmp_path))
