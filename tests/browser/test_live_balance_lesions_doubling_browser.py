"""Lessons 01, 02 and 08's live explorers in a real browser, offline (file://, every network request refused).

For each explorer (size classifier, platelet balance, doubling time): the front end's description equals Python's
``sentence()`` for ≥20 states set through the page's own controls; arrow keys on a slider change the description
(to Python's for the new value) and move the figure; a control on the kernel path is disabled with its note.
Uses the helpers of 16A's tests/browser/test_live_explorers_browser.py.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from test_live_explorers_browser import SET_STATE_JS, _errors, _refuse_network

from petechiae_edu import doubling_time_explorer, lesion_size_classifier, platelet_balance_explorer
from petechiae_edu.live.offline import live_state, standalone_page

pytestmark = pytest.mark.browser
PICTURES = Path(os.environ.get("PETECHIAE_EDU_PICTURES", "")) if os.environ.get("PETECHIAE_EDU_PICTURES") else None

DESCRIPTION_JS = "() => document.querySelector('.petechiae-edu-description').textContent"


def _open(browser_context, tmp_path: Path, app, name: str):
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(standalone_page([(live_state(app.live), app.title)], name), encoding="utf-8")
    page = browser_context.new_page()
    blocked, errors = _refuse_network(page), _errors(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector(".petechiae-edu-description")
    return page, blocked, errors


def _compare(page, app, states: list[dict]) -> list[str]:
    """Set each state in Python and through the page's controls; the texts that differ."""
    mismatches = []
    for state in states:
        for name, value in state.items():
            app.bound[name].value = value
        shown = page.evaluate(SET_STATE_JS, state)
        if shown != app.sentence():
            mismatches.append(f"{state}:\n  page:   {shown}\n  python: {app.sentence()}")
    return mismatches


def _press(page, app, control: str, key: str, times: int, mark_js: str) -> tuple[str, str, str, str]:
    """Press ``key`` on the slider of ``control``; (description and mark before, after)."""
    before = (page.evaluate(DESCRIPTION_JS), page.evaluate(mark_js))
    slider = page.locator(f'.pe-live-control[data-control="{control}"] input[type=range]')
    slider.focus()
    for _ in range(times):
        page.keyboard.press(key)
    app.bound[control].value = float(slider.input_value())
    return (*before, page.evaluate(DESCRIPTION_JS), page.evaluate(mark_js))


def _kernel_control_is_disabled(page, control: str) -> tuple[bool, str]:
    box = page.locator(f'.pe-live-control[data-control="{control}"]')
    return box.locator("input[type=range]").is_disabled(), box.locator(".pe-live-note").inner_text()


def _screenshot(page, name: str) -> None:
    if PICTURES is not None:
        page.screenshot(path=str(PICTURES / f"{name}.png"), full_page=True)


LESION_STATES = [
    {"diameter": d, "definition": key, "glass": glass}
    for d, key, glass in itertools.product(
        [0.5, 2.0, 2.5, 3.0, 10.0, 10.5, 30.0], ["leung_chan", "five_minute_consult"], [False, True]
    )
]


def test_the_size_classifier_offline_says_what_python_says_and_follows_the_keyboard(tmp_path, browser_context):
    app = lesion_size_classifier(1.5)
    page, blocked, errors = _open(browser_context, tmp_path, app, "lesions")
    try:
        mismatches = _compare(page, app, LESION_STATES)
        glass_shown = page.evaluate("() => getComputedStyle(document.querySelector('[id=\"glass\"]')).display")
        page.evaluate(SET_STATE_JS, {"diameter": 1.5, "definition": "leung_chan", "glass": False})
        app.diameter.value, app.definition_choice.value, app.glass_pressed.value = 1.5, "leung_chan", False
        glass_hidden = page.evaluate("() => getComputedStyle(document.querySelector('[id=\"glass\"]')).display")
        outline_js = "() => document.querySelector('[id=\"lesion\"] path').getAttribute('d')"
        moved = _press(page, app, "diameter", "ArrowRight", 3, outline_js)
        _screenshot(page, "16c-lesions-offline")
    finally:
        page.close()
    assert len(LESION_STATES) >= 20 and not mismatches, "\n".join(mismatches)
    assert not blocked and not errors, (blocked, errors)
    assert glass_shown != "none" and glass_hidden == "none"
    assert moved[0].startswith("A 1.5 mm") and moved[2] == app.sentence() and moved[2].startswith("A 3.0 mm")
    assert moved[1] != moved[3], "the lesion outline did not change"


BALANCE_STATES = [
    {"production": p, "survival": s} for p, s in itertools.product([0, 15, 25, 50, 100, 200], [2.0, 6.2, 12.0])
]


@pytest.mark.parametrize("pooling", [0.33, 0.8])
def test_the_platelet_balance_offline_says_what_python_says_and_follows_the_keyboard(
    pooling, tmp_path, browser_context
):
    app = platelet_balance_explorer(pooled_fraction=pooling)
    page, blocked, errors = _open(browser_context, tmp_path, app, f"balance-{pooling}")
    try:
        mismatches = _compare(page, app, BALANCE_STATES)
        page.evaluate(SET_STATE_JS, {"production": 100, "survival": 9.5})
        app.production.value, app.survival.value = 100, 9.5
        curve_js = "() => document.querySelector('[id=\"curve\"] path').getAttribute('d')"
        moved = _press(page, app, "production", "ArrowLeft", 2, curve_js)
        disabled, note = _kernel_control_is_disabled(page, "pooling")
        _screenshot(page, f"16c-balance-offline-{pooling}")
    finally:
        page.close()
    assert len(BALANCE_STATES) >= 18 and not mismatches, "\n".join(mismatches)
    assert not blocked and not errors, (blocked, errors)
    assert moved[0].startswith("At 100% of normal production") and moved[2].startswith("At 90% of normal production")
    assert moved[2] == app.sentence() and moved[1] != moved[3], "the curve did not move"
    assert disabled and "needs Python" in note


DOUBLING_STATES = [
    {"later": later, "months": months}
    for later, months in itertools.product([1.0, 12.0, 18.5, 24.5, 200.0], [0.5, 2.0, 6.0, 24.0])
]


@pytest.mark.parametrize("earlier", [12.0, 10.0])
def test_the_doubling_time_offline_says_what_python_says_and_follows_the_keyboard(earlier, tmp_path, browser_context):
    app = doubling_time_explorer(earlier, 18.0, 6.0)
    page, blocked, errors = _open(browser_context, tmp_path, app, f"doubling-{earlier}")
    try:
        mismatches = _compare(page, app, DOUBLING_STATES)
        page.evaluate(SET_STATE_JS, {"later": 18.0, "months": 6.0})
        app.later.value, app.months.value = 18.0, 6.0
        headline_js = "() => document.querySelector('[id=\"doubling_line\"] text').textContent"
        moved = _press(page, app, "later", "ArrowRight", 13, headline_js)
        disabled, note = _kernel_control_is_disabled(page, "earlier")
        _screenshot(page, f"16c-doubling-offline-{earlier:g}")
    finally:
        page.close()
    assert len(DOUBLING_STATES) >= 20 and not mismatches, "\n".join(mismatches)
    assert not blocked and not errors, (blocked, errors)
    assert moved[2] == app.sentence() and "→ 24.5 ×10^9/L" in moved[2]
    assert moved[1] != moved[3] and moved[3] == app.headline().split(" · ")[0]
    assert disabled and "needs Python" in note


def test_in_voila_the_earlier_count_takes_the_kernel_path_and_the_later_count_stays_in_the_browser(
    voila_server, browser_context
):
    """Lesson 08 served by Voilà (a kernel behind the page): moving the earlier count makes Python send new
    tables (the sentence's earlier count changes only then); the later count answers from the tables at once."""
    from petechiae_edu import lymphocyte_trend

    page = browser_context.new_page()
    errors = _errors(page)
    try:
        page.goto(voila_server.page_url("/voila/render/08-treatment.ipynb"), timeout=300_000)
        explorer = page.locator('.pe-live[data-pe-live="DoublingTimeExplorer"]')
        explorer.wait_for(timeout=300_000)
        description = explorer.locator(".petechiae-edu-description")
        start = description.inner_text()
        earlier = explorer.locator('.pe-live-control[data-control="earlier"] input[type=range]')
        earlier.scroll_into_view_if_needed()
        earlier.focus()
        for _ in range(4):
            page.keyboard.press("ArrowLeft")
        expected = lymphocyte_trend(10, 18, 6).summary()
        page.wait_for_function("([el, text]) => el.textContent === text", arg=[description.element_handle(), expected])
        later = explorer.locator('.pe-live-control[data-control="later"] input[type=range]')
        later.focus()
        page.keyboard.press("ArrowRight")
        after_later = description.inner_text()
        enabled = not earlier.is_disabled()
        _screenshot(page, "16c-lesson08-voila")
    finally:
        page.close()
    assert start == lymphocyte_trend(12, 18, 6).summary()
    assert enabled, "with a kernel, the earlier count is not disabled"
    assert after_later == lymphocyte_trend(10, 18.5, 6).summary()
    assert not errors, errors
