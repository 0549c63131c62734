"""The transfusion-strategy comparison (lesson 04) as a live figure in a real browser, offline (file://, network
refused): for 24 nadir counts set through the page's own slider the description equals Python's ``sentence()``;
arrow keys on the nadir slider change the description and move the bars; the kernel paths (fever share, cohort
size) are disabled with their note.
"""

from __future__ import annotations

import pytest
from test_live_explorers_browser import SET_STATE_JS, open_offline_page

from petechiae_edu import transfusion_strategy_explorer

pytestmark = pytest.mark.browser
NADIRS = [1.0 + 0.5 * k for k in range(0, 39, 2)] + [1.5, 3.5, 4.5, 19.5]
BAR_JS = "() => document.querySelector('.pe-live [id=\"bar_transfusions_1\"] path').getAttribute('d')"


@pytest.fixture(scope="module")
def app():
    return transfusion_strategy_explorer(patients=1000)


@pytest.fixture
def page(app, tmp_path, browser_context):
    app.nadir.value = 4.0
    page = open_offline_page(browser_context, tmp_path / "strategies.html", app, "strategies")
    yield page
    page.close()


def test_the_offline_front_end_says_exactly_what_python_says_for_24_nadirs(app, page):
    mismatches = []
    for nadir in NADIRS:
        app.nadir.value = nadir
        shown = page.evaluate(SET_STATE_JS, {"nadir": nadir})
        if shown != app.sentence():
            mismatches.append(f"nadir {nadir}:\n  page:   {shown}\n  python: {app.sentence()}")
    assert len(set(NADIRS)) >= 20
    assert not page.blocked and not page.errors, (page.blocked, page.errors)
    assert not mismatches, "\n".join(mismatches)


def test_arrow_keys_move_the_nadir_and_the_kernel_paths_are_disabled(app, page, tmp_path_factory):
    explorer = page.locator(".pe-live").first
    slider = explorer.locator('.pe-live-control[data-control="nadir"] input[type=range]')
    before = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(BAR_JS))
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    after = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(BAR_JS))
    typed = explorer.locator('.pe-live-control[data-control="nadir"] input[type=number]').input_value()
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "transfusion-strategies-offline.png"))
    app.nadir.value = 6.0
    assert typed == "6" and after[0] == app.sentence() and after[0] != before[0]
    assert after[1] != before[1], "the bar did not move"
    for name in ("fever_share", "patients"):
        box = explorer.locator(f'.pe-live-control[data-control="{name}"]')
        assert box.locator("input, select").first.is_disabled() and "Needs Python" in box.inner_text()
    assert not page.blocked and not page.errors, (page.blocked, page.errors)
