"""The progression explorer (lesson 05) in a real browser, offline: the front end says what Python says.

An offline page of the explorer (no kernel, file://, every network request refused): for 24 states of the
controls that move in the browser (12 clone-growth steps × treatment on/off), set through the page's own
controls, the description equals Python's ``sentence()`` exactly; arrow keys on the growth slider change the
description and move the platelet curve; the controls with a kernel path (preset, treatment start, time scale)
are disabled with their note. In JupyterLab (lesson 05 run in a kernel) arrow keys on the growth slider change the
description and do not move the notebook's active cell.
"""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import pytest
from test_live_explorers_browser import (
    ACTIVE_CELL_JS,
    KERNEL_IDLE_JS,
    RUN_ALL_DONE_JS,
    RUN_SECONDS,
    SET_STATE_JS,
    open_offline_page,
)

from petechiae_edu import progression_explorer

pytestmark = pytest.mark.browser
PICTURES = Path("/work/brief16/pictures")
LESSON = "05-progression"
GROWTHS = [0.0, 0.05, 0.5, 1.0, 2.0, 3.5, 4.95, 5.0, 6.9, 8.25, 12.0, 15.0]  # % per day
STATES = list(itertools.product(GROWTHS, [False, True]))
CURVE_JS = "() => document.querySelector('.pe-live [id=\"count_platelets\"] path').getAttribute('d')"


@pytest.fixture(scope="module")
def app():
    return progression_explorer("aml")


@pytest.fixture
def page(tmp_path, browser_context, app):
    page = open_offline_page(browser_context, tmp_path / "progression.html", app, "progression")
    yield page
    page.close()


def test_the_offline_front_end_says_exactly_what_python_says_for_24_states(page, app):
    mismatches = []
    for growth, treat in STATES:
        state = {"growth": growth, "treat": treat}
        app.growth.value, app.treat.value = growth, treat
        shown = page.evaluate(SET_STATE_JS, state)
        if shown != app.sentence():
            mismatches.append(f"{state}:\n  page:   {shown}\n  python: {app.sentence()}")
    assert len(STATES) >= 20
    assert not page.blocked and not page.errors, (page.blocked, page.errors)
    assert not mismatches, "\n".join(mismatches)


def test_arrow_keys_on_the_growth_slider_move_the_curve_and_the_description(page, app):
    page.evaluate(SET_STATE_JS, {"growth": 5.0, "treat": False})
    before = (page.locator(".petechiae-edu-description").inner_text(), page.evaluate(CURVE_JS))
    slider = page.locator('.pe-live-control[data-control="growth"] input[type=range]')
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    after = (page.locator(".petechiae-edu-description").inner_text(), page.evaluate(CURVE_JS))
    typed = page.locator('.pe-live-control[data-control="growth"] input[type=number]').input_value()
    disabled = {
        name: page.locator(f'.pe-live-control[data-control="{name}"] :is(input, select)').first.is_disabled()
        for name in ("preset", "start", "time_axis", "growth", "treat")
    }
    if PICTURES.is_dir():
        page.screenshot(path=str(PICTURES / "h16b-progression-offline.png"), full_page=True)
    app.growth.value, app.treat.value = 6.0, False
    assert typed == "6"
    assert after[0] == app.sentence() and after[0] != before[0]
    assert after[1] != before[1], "the platelet curve did not move"
    assert disabled == {"preset": True, "start": True, "time_axis": True, "growth": False, "treat": False}
    assert not page.errors, page.errors


def test_in_jupyterlab_the_growth_slider_answers_arrow_keys_and_python_follows(lab_server, browser_context):
    # lesson 05 run in a real kernel: the keys stay in the explorer (the active cell does not move) and the
    # description changes in the page before any kernel reply is needed
    page = browser_context.new_page()
    try:
        page.goto(lab_server.page_url(f"/lab/tree/{LESSON}.ipynb") + "&reset", timeout=RUN_SECONDS * 1000)
        page.wait_for_function(
            "() => window.jupyterapp && document.querySelector('.jp-NotebookPanel .jp-Cell')", timeout=120_000
        )
        with contextlib.suppress(Exception):  # a "Select Kernel" dialog may come first
            page.locator(".jp-Dialog .jp-mod-accept").click(timeout=3_000)
        page.wait_for_function(KERNEL_IDLE_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(RUN_ALL_DONE_JS, timeout=RUN_SECONDS * 1000)
        explorer = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .pe-live[data-pe-live="ProgressionExplorer"]')
        explorer.wait_for(timeout=60_000)
        slider = explorer.locator('.pe-live-control[data-control="growth"] input[type=range]')
        slider.scroll_into_view_if_needed()
        page.evaluate("window.jupyterapp.commands.execute('notebook:enter-command-mode')")
        slider.click()
        cell_before = page.evaluate(ACTIVE_CELL_JS)
        description = explorer.locator(".petechiae-edu-description")
        before, value_before = description.inner_text(), float(slider.input_value())
        for _ in range(4):
            page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "([el, text]) => el.textContent !== text", arg=[description.element_handle(), before], timeout=10_000
        )
        after, value_after = description.inner_text(), float(slider.input_value())
        cell_after = page.evaluate(ACTIVE_CELL_JS)
        if PICTURES.is_dir():
            explorer.screenshot(path=str(PICTURES / "h16b-progression-jupyterlab.png"))
        page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    finally:
        page.close()
    assert value_after == pytest.approx(value_before - 0.2), (value_before, value_after)
    assert after != before and after.startswith("Acute myeloid leukaemia"), after
    assert cell_after == cell_before, f"the arrow keys moved the notebook from cell {cell_before} to {cell_after}"
