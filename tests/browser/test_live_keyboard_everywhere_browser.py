"""The live front end in a page with no kernel and the network refused: keys, Play, and Python changing the spec.

- every live explorer, written as a handout page (the module and inline state the export writes), answers the
  keyboard: an arrow key on each slider that needs no kernel changes its description;
- the virtual patient's Play button (the front end's own, no kernel) steps the day, is keyboard-operable and
  stops on the last day;
- when Python sends a new spec (a slider range, marks), static layer and tables, the front end redraws from them;
- a scatter mark whose fill is a table reference is painted with the table's colour.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from test_live_explorers_browser import _errors, _refuse_network

import petechiae_edu as pe
from petechiae_edu.live.offline import live_state, standalone_page
from petechiae_edu.live.widget import ESM_PATH

pytestmark = pytest.mark.browser

EXPLORERS = {
    "LesionSizeClassifier": lambda: pe.lesion_size_classifier(),
    "PlateletBalanceExplorer": lambda: pe.platelet_balance_explorer(),
    "DoublingTimeExplorer": lambda: pe.doubling_time_explorer(),
    "BleedingExplorer": lambda: pe.bleeding_explorer(),
    "TransfusionStrategyExplorer": lambda: pe.transfusion_strategy_explorer(),
    "ProgressionExplorer": lambda: pe.progression_explorer("aml"),
    "VirtualPatientExplorer": lambda: pe.virtual_patient(),
}


def _offline_page(browser_context, path):
    page = browser_context.new_page()
    blocked, errors = _refuse_network(page), _errors(page)
    page.goto(path.as_uri())
    page.wait_for_selector(".pe-live .petechiae-edu-description")
    return page, blocked, errors


def _description(page, selector: str) -> str:
    return page.locator(f"{selector} .petechiae-edu-description").inner_text()


def test_every_live_explorer_answers_the_keyboard_offline(tmp_path, browser_context):
    apps = {name: make() for name, make in EXPLORERS.items()}
    page_file = tmp_path / "explorers.html"
    page_file.write_text(standalone_page([(live_state(a.live), a.title) for a in apps.values()], "all"), "utf-8")
    page, blocked, errors = _offline_page(browser_context, page_file)
    silent = []
    try:
        for name, app in apps.items():
            selector = f'.pe-live[data-pe-live="{name}"]'
            for spec in app.live.spec["controls"]:
                if spec["kind"] != "slider" or spec["kernel"]:
                    continue
                slider = page.locator(f'{selector} .pe-live-control[data-control="{spec["name"]}"] input[type=range]')
                slider.scroll_into_view_if_needed()
                slider.focus()
                at_top = float(slider.input_value()) >= spec["max"] - spec["step"] / 2
                before = _description(page, selector)
                page.keyboard.press("ArrowLeft" if at_top else "ArrowRight")
                if _description(page, selector) == before:
                    silent.append(f"{name}.{spec['name']}")
    finally:
        page.close()
    assert not blocked and not errors, (blocked, errors)
    assert not silent, f"these sliders did not change the description: {silent}"


def test_play_steps_the_virtual_patients_day_in_the_browser_and_stops_at_the_end(tmp_path, browser_context):
    app = pe.virtual_patient(days=30)
    page_file = tmp_path / "patient.html"
    page_file.write_text(standalone_page([(live_state(app.live), app.title)], "patient"), encoding="utf-8")
    page, blocked, errors = _offline_page(browser_context, page_file)
    try:
        day = page.locator('.pe-live-control[data-control="day"] input[type=range]')
        button = page.locator('.pe-live-control[data-control="day"] button.pe-live-play')
        name_before = button.get_attribute("aria-label")
        button.focus()
        page.keyboard.press("Space")  # a native button: Space and Enter press it
        pressed = button.get_attribute("aria-pressed")
        page.wait_for_function("(d) => Number(d.value) >= 2", arg=day.element_handle(), timeout=5000)
        page.keyboard.press("Space")  # pause
        paused_at = float(day.input_value())
        page.wait_for_timeout(500)
        still = float(day.input_value())
        page.keyboard.press("Enter")  # play on to the end
        page.wait_for_function(
            "(b) => b.getAttribute('aria-pressed') === 'false'", arg=button.element_handle(), timeout=20_000
        )
        end, description = float(day.input_value()), page.locator(".petechiae-edu-description").inner_text()
    finally:
        page.close()
    assert not blocked and not errors, (blocked, errors)
    assert name_before == "Play the course day by day" and pressed == "true"
    assert paused_at == still, "Pause did not stop the day"
    app.day.value = 30.0
    assert end == 30.0 and description == app.sentence()


HARNESS = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head><body>
<div id="mount"></div>
<script type="module">
MODULE
window.harness = (data) => {
  const listeners = {};
  const model = {
    get: (key) => data[key],
    set(key, value) { data[key] = value; (listeners[`change:${key}`] || []).forEach((f) => f()); },
    on(event, handler) { (listeners[event] = listeners[event] || []).push(handler); },
    off() {}, save_changes() {}, send() {},
  };
  render({ model, el: document.getElementById('mount') });
  return model;
};
</script></body></html>"""


def _harness(tmp_path, browser_context):
    page_file = tmp_path / "harness.html"
    code = ESM_PATH.read_text(encoding="utf-8").replace("export default { render };", "")
    page_file.write_text(HARNESS.replace("MODULE", code), encoding="utf-8")
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.harness")
    return page, errors


def test_the_front_end_redraws_from_a_new_spec_python_sends(tmp_path, browser_context):
    first, second = pe.virtual_patient(days=365), pe.virtual_patient(days=60, seed=3)
    page, errors = _harness(tmp_path, browser_context)
    try:
        page.evaluate("(data) => { window.model = window.harness(data); }", live_state(first.live))
        top_before = page.locator("input[type=range]").get_attribute("max")
        # what hold_sync sends after a new start(): spec, tables, layer and state in one message
        page.evaluate(
            "(data) => { for (const [k, v] of Object.entries(data)) window.model.set(k, v); }", live_state(second.live)
        )
        page.wait_for_function("() => document.querySelector('input[type=range]').max === '60'")
        shown = page.locator(".petechiae-edu-description").inner_text()
        ranges = page.locator("input[type=range]").count()
    finally:
        page.close()
    assert not errors, errors
    assert top_before == "365" and ranges == 1
    assert shown == second.sentence()


def test_a_scatter_fill_given_as_a_table_reference_paints_the_tables_colour(tmp_path, browser_context):
    app = pe.bleeding_explorer()
    state = live_state(app.live)
    colour = {"dims": [], "shape": [], "width": 1, "dtype": "u16", "vocab": ["#aa0033"]}
    colour["data"] = base64.b64encode(np.zeros(1, dtype="<u2").tobytes()).decode()
    state["tables"] = {**state["tables"], "spot_colour": colour}
    state["spec"] = {
        **state["spec"],
        "marks": [
            {**mark, "fill": {"table": "spot_colour"}} if mark["kind"] == "scatter" else mark
            for mark in state["spec"]["marks"]
        ],
    }
    page, errors = _harness(tmp_path, browser_context)
    try:
        page.evaluate("(data) => { window.model = window.harness(data); }", state)
        fill = page.locator("[data-pe-scatter]").first.get_attribute("fill")
    finally:
        page.close()
    assert not errors, errors
    assert fill == "#aa0033"
