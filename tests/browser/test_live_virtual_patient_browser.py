"""The virtual patient (lesson 05) as a live figure in a real browser, offline (file://, network refused).

- for 24 days set through the page's own day slider, the description equals Python's ``sentence()`` exactly, and
  the number of petechiae drawn equals the number the sentence gives;
- arrow keys on the day slider change the description and move the day line; the skin tone (a kernel path) is
  disabled with its note.
"""

from __future__ import annotations

import re

import pytest
from test_live_explorers_browser import SET_STATE_JS, open_offline_page

from petechiae_edu import virtual_patient

pytestmark = pytest.mark.browser
DAYS = [-60, -45, -30, -14, -7, -3, -1, 0, 1, 2, 3, 5, 8, 10, 11, 12, 15, 30, 60, 90, 150, 200, 300, 365]
DAY_LINE_JS = "() => document.querySelector('.pe-live [id=\"vp_day_line\"] path').getAttribute('d')"
SPOTS_JS = "() => Number(document.querySelector('.pe-live [data-pe-scatter]').dataset.count)"


@pytest.fixture(scope="module")
def app():
    return virtual_patient("aml", seed=3, treatment=True, supportive_care=True)


@pytest.fixture
def page(app, tmp_path, browser_context):
    app.day.value = 0.0
    page = open_offline_page(browser_context, tmp_path / "virtual-patient.html", app, "virtual patient")
    yield page
    page.close()


def test_the_offline_front_end_says_exactly_what_python_says_for_24_days(app, page):
    mismatches = []
    for day in DAYS:
        app.day.value = float(day)
        shown = page.evaluate(SET_STATE_JS, {"day": day})
        if shown != app.sentence():
            mismatches.append(f"day {day}:\n  page:   {shown}\n  python: {app.sentence()}")
        found = re.search(r"(\d+) petechiae visible", shown)
        assert page.evaluate(SPOTS_JS) == (int(found.group(1)) if found else 0), shown
    assert len(DAYS) >= 20
    assert not page.blocked and not page.errors, (page.blocked, page.errors)
    assert not mismatches, "\n".join(mismatches)


def test_arrow_keys_move_the_day_and_the_skin_tone_says_it_needs_python(app, page, tmp_path_factory):
    explorer = page.locator(".pe-live").first
    slider = explorer.locator('.pe-live-control[data-control="day"] input[type=range]')
    before = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(DAY_LINE_JS))
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    after = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(DAY_LINE_JS))
    typed = explorer.locator('.pe-live-control[data-control="day"] input[type=number]').input_value()
    skin = explorer.locator('.pe-live-control[data-control="skin_tone"]')
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "virtual-patient-offline.png"))
    app.day.value = 3.0
    assert before[0].startswith("Day 0 after diagnosis") and after[0] == app.sentence()
    assert typed == "3" and after[1] != before[1], "the day line did not move"
    assert skin.locator("select").is_disabled() and "needs Python" in skin.inner_text()
    assert not page.blocked and not page.errors, (page.blocked, page.errors)
