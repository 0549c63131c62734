"""Live explorers in a real browser: the front end says what Python says, works offline, keeps keys to itself.

- an offline page of the bleeding explorer (no kernel, file://, every network request refused): for 24 states
  set through the page's own controls, the description equals Python's ``sentence()`` exactly;
- the exported lesson 04 (``petechiae-edu export``), network refused: arrow keys on the platelet slider change
  the description and move the marker;
- JupyterLab: arrow keys on the slider change the description and do not move the notebook's active cell.
"""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import pytest

from petechiae_edu import bleeding_explorer
from petechiae_edu.live.offline import live_state, standalone_page

pytestmark = pytest.mark.browser
LESSON = "04-bleeding-risk"

SET_STATE_JS = """(state) => {
  for (const [name, value] of Object.entries(state)) {
    const box = document.querySelector(`.pe-live-control[data-control="${name}"]`);
    const range = box.querySelector('input[type=range]');
    const check = box.querySelector('input[type=checkbox]');
    const menu = box.querySelector('select');
    if (range) { range.value = String(value); range.dispatchEvent(new Event('input', {bubbles: true})); }
    else if (check) { check.checked = value; check.dispatchEvent(new Event('change', {bubbles: true})); }
    else { const i = Array.from(menu.options).findIndex((o) => JSON.parse(o.dataset.value) === value);
           menu.value = String(i); menu.dispatchEvent(new Event('change', {bubbles: true})); }
  }
  return document.querySelector('.petechiae-edu-description').textContent;
}"""


def _refuse_network(page) -> list[str]:
    blocked: list[str] = []

    def only_local_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local_files)
    return blocked


def _errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_offline_page(browser_context, page_file, app, name: str):
    """``app`` written as a handout page (the inline module and state the export writes) and opened with every
    network request refused; ``page.blocked`` and ``page.errors`` collect what was refused and what failed."""
    page_file.write_text(standalone_page([(live_state(app.live), app.title)], name), encoding="utf-8")
    page = browser_context.new_page()
    page.blocked, page.errors = _refuse_network(page), _errors(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector(".petechiae-edu-description")
    return page


STATES = list(
    itertools.product(
        [0.5, 2.0, 8.0, 10.5, 20.0, 75.0],
        [(False, "none", "none"), (True, "inr_1_2_to_1_5", "aptt_above_50")],
        [(1.0, False), (7.0, True)],
    )
)


def test_the_offline_front_end_says_exactly_what_python_says_for_24_states(tmp_path, browser_context):
    app = bleeding_explorer(platelet_count=8.0)
    page_file = tmp_path / "bleeding.html"
    page_file.write_text(standalone_page([(live_state(app.live), app.title)], "bleeding"), encoding="utf-8")
    page = browser_context.new_page()
    blocked, errors = _refuse_network(page), _errors(page)
    mismatches = []
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector(".petechiae-edu-description")
        for count, (fever, inr, aptt), (days, straining) in STATES:
            state = {"platelets": count, "fever": fever, "haematocrit": fever, "inr": inr, "aptt": aptt,
                     "days": days, "straining": straining}  # fmt: skip
            for name, value in state.items():
                getattr(app, name).value = value
            shown = page.evaluate(SET_STATE_JS, state)
            if shown != app.sentence():
                mismatches.append(f"{state}:\n  page:   {shown}\n  python: {app.sentence()}")
    finally:
        page.close()
    assert len(STATES) >= 20
    assert not blocked and not errors, (blocked, errors)
    assert not mismatches, "\n".join(mismatches)


@pytest.fixture(scope="module")
def exported_lesson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from petechiae_edu.classroom.export import export_site
    from petechiae_edu.lessons import find_lesson

    folder = tmp_path_factory.mktemp("live-handout")
    export_site(folder, lessons=[find_lesson(LESSON)], progress=lambda _message: None)
    return folder / f"{LESSON}.html"


MARKER_JS = "() => document.querySelector('.pe-live [id=\"marker_line\"] path').getAttribute('d')"


def test_the_exported_lesson_explorer_follows_the_keyboard_with_the_network_refused(exported_lesson, browser_context):
    page = browser_context.new_page()
    blocked, errors = _refuse_network(page), _errors(page)
    try:
        page.goto(exported_lesson.as_uri())
        page.wait_for_selector(".pe-live .petechiae-edu-description")
        banner = page.locator(".petechiae-edu-banner").inner_text()
        explorer = page.locator(".pe-live").first
        before = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(MARKER_JS))
        slider = explorer.locator('.pe-live-control[data-control="platelets"] input[type=range]')
        slider.scroll_into_view_if_needed()
        slider.focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        after = (explorer.locator(".petechiae-edu-description").inner_text(), page.evaluate(MARKER_JS))
        typed = explorer.locator('.pe-live-control[data-control="platelets"] input[type=number]').input_value()
        skin_disabled = explorer.locator('.pe-live-control[data-control="skin_tone"] select').is_disabled()
        spots = explorer.locator("[data-pe-scatter]")
        spot_fill, spot_count = spots.get_attribute("fill"), spots.get_attribute("data-count")
    finally:
        page.close()
    assert not blocked, f"the handout tried to reach the network: {blocked}"
    assert not errors, errors
    assert "Works without Python" in banner and "Skin tone" in banner
    assert before[0].startswith("At 8 ×10^9/L") and after[0].startswith("At 10 ×10^9/L"), after[0]
    assert typed == "10"
    assert after[1] != before[1], "the marker did not move"
    assert skin_disabled
    assert spot_fill.startswith("#") and len(spot_fill) == 7, spot_fill  # the petechia colour for the skin tone
    assert after[0].split("the body shows ")[1].startswith(f"{spot_count} petechiae")


ACTIVE_CELL_JS = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
RUN_SECONDS = 300
KERNEL_IDLE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""
RUN_ALL_DONE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const notebook = panel && panel.node.querySelector('.jp-Notebook');
  if (!notebook) return false;
  if (notebook.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]')) return true;  // stop at an error
  const prompts = Array.from(notebook.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  return prompts.length > 0 && prompts.every((prompt) => /\\[\\d+\\]/.test(prompt.textContent));
}"""


def test_in_jupyterlab_arrow_keys_move_the_live_slider_not_the_notebook(lab_server, browser_context):
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
        explorer = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .pe-live").first
        explorer.wait_for(timeout=60_000)
        slider = explorer.locator('.pe-live-control[data-control="platelets"] input[type=range]')
        slider.scroll_into_view_if_needed()
        page.evaluate("window.jupyterapp.commands.execute('notebook:enter-command-mode')")
        slider.click()  # focus by pointer, as a student would (this also selects the cell)
        cell_before = page.evaluate(ACTIVE_CELL_JS)
        before = explorer.locator(".petechiae-edu-description").inner_text()
        value_before = float(slider.input_value())
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "([el, text]) => el.textContent !== text",
            arg=[explorer.locator(".petechiae-edu-description").element_handle(), before],
            timeout=10_000,
        )
        after = explorer.locator(".petechiae-edu-description").inner_text()
        cell_after = page.evaluate(ACTIVE_CELL_JS)
        value_after = float(slider.input_value())
        page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    finally:
        page.close()
    assert value_after == value_before - 1.5, (value_before, value_after)
    assert after != before and after.startswith(f"At {value_after:g} ×10^9/L"), after
    assert cell_after == cell_before, f"the arrow keys moved the notebook from cell {cell_before} to {cell_after}"
