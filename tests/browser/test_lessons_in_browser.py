"""Every lesson in a real browser: JupyterLab, the Voilà app view and the offline HTML handouts.

For each lesson, in JupyterLab and in Voilà: it runs without an error output or "Error displaying widget";
every input has an accessible label and every slider a labelled number twin; every figure has a text
description or alt text; and for each explorer, moving a slider with the keyboard changes the figure image and
the description to the expected final state. The expected state is computed in this process: the lesson's code
cells run here too, the same slider is moved to the same value, and the app's description is read.

The exported handouts are opened with the network blocked and must show every lesson's initial figures.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest

from petechiae_edu.classroom.editions import lesson_paths
from petechiae_edu.classroom.present import SCENARIO_CELL_TAG
from petechiae_edu.widgets.app import DescribedApp, FigureApp

pytestmark = pytest.mark.browser

LESSONS = lesson_paths()
LESSON_IDS = [lesson.stem for lesson in LESSONS]
PRESS_COUNTS = (3, 10, 30)  # try more key presses until the description changes
RUN_SECONDS = 180


# ---------------------------------------------------------------- the expected state, computed in this process


@dataclass(frozen=True)
class SliderMove:
    """One explorer's slider moved with the keyboard, and the state the app must end in."""

    title: str
    occurrence: int  # which app with this title, counting from 0, in display order
    slider_index: int  # which slider inside the app, in document order
    key: str
    presses: int
    expected_readout: str
    initial_description: str
    expected_description: str


def _displayed_values(lesson: Path, notebook: nbformat.NotebookNode | None = None) -> list[object]:
    """Run the lesson's code cells here, like a kernel, and return what each cell's last expression shows."""
    namespace: dict[str, object] = {"__name__": "__lesson__"}
    shown: list[object] = []
    notebook = notebook if notebook is not None else nbformat.read(lesson, as_version=4)
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook.cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            tree = ast.parse(cell.source)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            body = tree.body[:-1] if last is not None else tree.body
            exec(compile(ast.Module(body=body, type_ignores=[]), lesson.name, "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), lesson.name, "eval"), namespace)
                if value is not None:
                    shown.append(value)
    return shown


def _walk(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _sliders(app: FigureApp) -> list[widgets.Widget]:
    return [w for w in _walk(app.widget) if isinstance(w, widgets.FloatSlider | widgets.IntSlider)]


def _normal(text: str) -> str:
    return " ".join(text.split())


@cache
def expected_moves(lesson: Path) -> tuple[int, tuple[SliderMove, ...]]:
    """How many apps the lesson shows, and one keyboard move per explorer that has an enabled slider."""
    shown = _displayed_values(lesson)
    apps = [value for value in shown if isinstance(value, FigureApp)]
    moves = []
    seen: dict[str, int] = {}
    for app in apps:
        occurrence = seen.get(app.title, 0)
        seen[app.title] = occurrence + 1
        sliders = _sliders(app)
        enabled = [i for i, slider in enumerate(sliders) if not slider.disabled]
        if not enabled:
            continue
        index = enabled[0]
        slider = sliders[index]
        start, before = slider.value, _normal(app.description)
        for presses in PRESS_COUNTS:
            up = start + presses * slider.step <= slider.max
            target = start + presses * slider.step if up else start - presses * slider.step
            target = round(min(max(target, slider.min), slider.max), 10)
            slider.value = target
            if _normal(app.description) != before:
                break
        else:
            raise AssertionError(f"{lesson.name}: moving a slider of '{app.title}' never changes its description")
        moves.append(
            SliderMove(
                title=app.title,
                occurrence=occurrence,
                slider_index=index,
                key="ArrowRight" if up else "ArrowLeft",
                presses=presses,
                expected_readout=format(target, slider.readout_format),
                initial_description=before,
                expected_description=_normal(app.description),
            )
        )
    # every app (not only the figures) writes a live description: wait for all of them
    return sum(isinstance(value, DescribedApp) for value in shown), tuple(moves)


# ---------------------------------------------------------------- checks made in the page


PAGE_PROBLEMS_JS = """(root) => {
  const problems = [];
  const text = root.innerText;
  if (text.includes('Error displaying widget')) problems.push('a widget shows "Error displaying widget"');
  if (text.includes('There was an error when executing cell')) problems.push('Voilà reports a cell error');
  for (const output of root.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"], .jp-mod-error')) {
    problems.push('error output: ' + output.textContent.trim().slice(0, 300));
  }
  const named = (el) => (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby')
    || (el.labels && Array.from(el.labels).some((label) => label.textContent.trim())) || (el.title || '').trim()
    || (el.tagName === 'BUTTON' && el.textContent.trim());
  for (const input of root.querySelectorAll('input, select, textarea, button')) {
    if (input.closest('.jp-Cell-inputWrapper, .jp-Toolbar, .jp-InputArea')) continue;  // the editor, not the lesson
    if (!named(input)) problems.push('input without an accessible label: ' + input.outerHTML.slice(0, 200));
  }
  for (const slider of root.querySelectorAll('.widget-slider')) {
    const handle = slider.querySelector('[role="slider"]');
    if (handle && named(handle)) continue;
    const box = slider.parentElement;
    const twin = box && Array.from(box.querySelectorAll('input[type="number"]')).find((input) => named(input));
    if (!twin) problems.push('slider without a labelled number twin: ' + slider.textContent.trim().slice(0, 80));
  }
  for (const image of root.querySelectorAll('img')) {
    if ((image.alt || '').trim() || image.getAttribute('aria-describedby')) continue;
    const app = image.closest('.widget-vbox');
    const description = app && app.querySelector('.petechiae-edu-description');
    if (!(description && description.textContent.trim())) {
      problems.push('figure without a text description or alt: ' + image.outerHTML.slice(0, 120));
    }
  }
  return problems;
}"""

SLIDER_DONE_JS = """([app, index, readout, description, oldSource]) => {
  const slider = app.querySelectorAll('.widget-slider')[index];
  const shown = slider && slider.querySelector('.widget-readout');
  const text = app.querySelector('.petechiae-edu-description');
  const image = app.querySelector(':scope > img.widget-image') || app.querySelector('img.widget-image');
  // the labelled number twin beside the slider (linked through the kernel) shows the same value
  const twin = slider && slider.parentElement.querySelector('.widget-text input');
  const decimals = (readout.split('.')[1] || '').length;
  const twinAgrees = !twin || Math.abs(parseFloat(twin.value) - parseFloat(readout)) <= 0.5 * 10 ** -decimals + 1e-9;
  return !!(shown && text && image) && shown.textContent.trim() === readout && twinAgrees
    && text.textContent.split(/\\s+/).join(' ').trim() === description && image.src !== oldSource;
}"""

SLIDER_STATE_JS = """([app, index]) => {
  const slider = app.querySelectorAll('.widget-slider')[index];
  const text = app.querySelector('.petechiae-edu-description');
  const twin = slider && slider.parentElement.querySelector('.widget-text input');
  return {readout: slider && slider.querySelector('.widget-readout').textContent.trim(),
          twin: twin ? twin.value : '(none)',
          description: text && text.textContent.split(/\\s+/).join(' ').trim()};
}"""


def _app_locator(root, move: SliderMove):
    heading = json.dumps(move.title)
    return root.locator(f".widget-vbox:has(> .widget-html h3:text-is({heading}))").nth(move.occurrence)


def _move_slider_with_keyboard(page, root, move: SliderMove) -> list[str]:
    app = _app_locator(root, move)
    if app.count() == 0:
        return [f"explorer '{move.title}' #{move.occurrence + 1} is not on the page"]
    text = _normal(app.locator(".petechiae-edu-description").first.text_content() or "")
    if text != move.initial_description:
        return [
            f"'{move.title}' starts with a different description:\n  page: {text}\n  here: {move.initial_description}"
        ]
    image = app.locator("img.widget-image").last
    old_source = image.get_attribute("src")
    handle = app.locator(".widget-slider").nth(move.slider_index).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(move.presses):
        page.keyboard.press(move.key)
    element = app.element_handle()
    try:
        page.wait_for_function(
            SLIDER_DONE_JS,
            arg=[element, move.slider_index, move.expected_readout, move.expected_description, old_source],
            timeout=60_000,
        )
    except Exception:
        state = page.evaluate(SLIDER_STATE_JS, [element, move.slider_index])
        return [
            f"after {move.presses} × {move.key} on '{move.title}': expected readout {move.expected_readout!r} "
            f"(number box the same) and description\n  {move.expected_description}\nbut the page shows "
            f"{state['readout']!r} (number box {state['twin']!r}) and\n  {state['description']}"
        ]
    return []


def _wait_for_apps(page, root_selector: str, count: int) -> None:
    page.wait_for_function(
        "([selector, count]) => { const root = document.querySelector(selector);"
        " return root && root.querySelectorAll('.petechiae-edu-description').length >= count; }",
        arg=[root_selector, count],
        timeout=RUN_SECONDS * 1000,
    )
    page.wait_for_timeout(500)  # let the last images decode


def _check_page(page, root_selector: str, lesson: Path) -> list[str]:
    app_count, moves = expected_moves(lesson)
    _wait_for_apps(page, root_selector, app_count)
    root = page.locator(root_selector).first
    problems = list(page.evaluate(PAGE_PROBLEMS_JS, root.element_handle()))
    for move in moves:
        problems += _move_slider_with_keyboard(page, root, move)
    return problems


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_lesson_in_voila_runs_cleanly_is_labelled_and_its_explorers_follow_the_keyboard(
    lesson, voila_server, browser_context
):
    page = browser_context.new_page()
    try:
        page.goto(voila_server.page_url(f"/voila/render/{lesson.name}"), timeout=RUN_SECONDS * 1000)
        page.wait_for_function(
            "() => { const cells = document.querySelector('#rendered_cells');"
            " return cells && getComputedStyle(cells).display !== 'none'; }",
            timeout=RUN_SECONDS * 1000,
        )
        problems = _check_page(page, "#rendered_cells", lesson)
    finally:
        page.close(run_before_unload=True)  # Voilà shuts the lesson's kernel down on unload
    assert not problems, f"{lesson.name} in Voilà:\n" + "\n".join(problems)


RUN_ALL_DONE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const notebook = panel && panel.node.querySelector('.jp-Notebook');
  if (!notebook) return false;
  if (notebook.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]')) return true;  // stop at an error
  const prompts = Array.from(notebook.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  return prompts.length > 0 && prompts.every((prompt) => /\\[\\d+\\]/.test(prompt.textContent));
}"""

KERNEL_IDLE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_lesson_in_jupyterlab_runs_cleanly_is_labelled_and_its_explorers_follow_the_keyboard(
    lesson, lab_server, browser_context
):
    page = browser_context.new_page()
    try:
        page.goto(lab_server.page_url(f"/lab/tree/{lesson.name}") + "&reset", timeout=RUN_SECONDS * 1000)
        page.wait_for_function(
            "() => window.jupyterapp && document.querySelector('.jp-NotebookPanel .jp-Cell')", timeout=120_000
        )
        with contextlib.suppress(Exception):  # a "Select Kernel" dialog may come first
            page.locator(".jp-Dialog .jp-mod-accept").click(timeout=3_000)
        page.wait_for_function(KERNEL_IDLE_JS, timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(RUN_ALL_DONE_JS, timeout=RUN_SECONDS * 1000)
        problems = _check_page(page, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook", lesson)
        page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    finally:
        page.close()
    assert not problems, f"{lesson.name} in JupyterLab:\n" + "\n".join(problems)


# ---------------------------------------------------------------- presenting


def _with_pickers(lesson: Path) -> nbformat.NotebookNode:
    from petechiae_edu.classroom.present import add_scenario_pickers

    return add_scenario_pickers(nbformat.read(lesson, as_version=4))


PRESENTED = [
    lesson
    for lesson in LESSONS
    if any(SCENARIO_CELL_TAG in cell.metadata.get("tags", []) for cell in _with_pickers(lesson).cells)
]


@pytest.mark.parametrize("lesson", PRESENTED, ids=[lesson.stem for lesson in PRESENTED])
def test_presenting_a_lesson_uses_the_projector_theme_and_its_scenario_menu_loads_a_scenario(
    lesson, present_lesson, browser_context
):
    from petechiae_edu.scenarios import find_scenario

    shown = _displayed_values(lesson, _with_pickers(lesson))
    index = next(i for i, value in enumerate(shown) if isinstance(value, widgets.Dropdown) and i > 0)
    picker, app = shown[index], shown[index - 1]
    assert isinstance(app, DescribedApp)
    scenario = find_scenario(next(key for _, key in picker.options if key is not None))
    picker.value = scenario.key
    expected = _normal(app.description)
    occurrence = sum(isinstance(v, DescribedApp) and v.title == app.title for v in shown[: index - 1])

    server = present_lesson(lesson.name)
    page = browser_context.new_page()
    try:
        page.goto(server.page_url("/"), timeout=RUN_SECONDS * 1000)
        page.wait_for_selector("style#petechiae-edu-present", state="attached")
        menu = page.locator("select:has(option:text-is('Choose a prepared scenario…'))").first
        menu.wait_for(timeout=RUN_SECONDS * 1000)
        menu.scroll_into_view_if_needed()
        menu.select_option(label=scenario.name)
        heading = json.dumps(app.title)
        box = page.locator(f".widget-vbox:has(> .widget-html h3:text-is({heading}))").nth(occurrence)
        page.wait_for_function(
            "([box, text]) => { const d = box.querySelector('.petechiae-edu-description');"
            " return d && d.textContent.split(/\\s+/).join(' ').trim() === text; }",
            arg=[box.element_handle(), expected],
            timeout=60_000,
        )
        code_shown = page.locator(".jp-CodeMirrorEditor, .cm-editor").count()
    finally:
        page.close(run_before_unload=True)
    assert code_shown == 0, "presenting must hide the code"


# ---------------------------------------------------------------- offline handouts


@pytest.fixture(scope="session")
def exported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from petechiae_edu.classroom.export import export_site

    folder = tmp_path_factory.mktemp("handouts")
    export_site(folder, progress=lambda _message: None)
    return folder


def _displayed_image_count(html: str) -> int:
    """Image widgets reachable from the page's displayed widget views (embedded widget state)."""
    match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    if not match:
        return 0
    state = json.loads(match.group(1))["state"]
    views = re.findall(r'"model_id": "([0-9a-f]+)"', " ".join(re.findall(
        r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>', html, re.S)))  # fmt: skip
    seen, stack = set(), list(views)
    while stack:
        model_id = stack.pop()
        if model_id in seen or model_id not in state:
            continue
        seen.add(model_id)
        stack += [ref.removeprefix("IPY_MODEL_") for ref in state[model_id]["state"].get("children", [])]
    return sum(state[m]["model_name"] == "ImageModel" for m in seen)


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_exported_handout_shows_its_initial_figures_with_the_network_blocked(lesson, exported_site, browser_context):
    page_file = exported_site / f"{lesson.stem}.html"
    expected_images = _displayed_image_count(page_file.read_text(encoding="utf-8"))
    blocked: list[str] = []

    def only_local_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page = browser_context.new_page()
    page.route("**/*", only_local_files)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "(count) => Array.from(document.querySelectorAll('img.widget-image'))"
            ".filter((image) => image.complete && image.naturalWidth > 0).length >= count",
            arg=expected_images,
            timeout=60_000,
        )
        problems = list(page.evaluate(PAGE_PROBLEMS_JS, page.locator("main").element_handle()))
        placeholders = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        views = page.locator(".jupyter-widgets.widget-container, .jupyter-widgets").count()
    finally:
        page.close()
    assert not blocked, f"{page_file.name} tried to reach the network: {blocked}"
    assert not problems, f"{page_file.name}:\n" + "\n".join(problems)
    assert placeholders == 0 or views > 0, f"{page_file.name}: no widget was rendered"


def test_the_handout_index_links_every_lesson(exported_site):
    index = (exported_site / "index.html").read_text(encoding="utf-8")
    for lesson in LESSONS:
        assert f'href="{lesson.stem}.html"' in index


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_every_explorer_of_an_exported_lesson_answers_the_keyboard_with_the_network_refused(
    lesson, exported_site, browser_context
):
    """Issue 16, item 10: each exported page, opened from a folder with every network request refused; every live
    explorer's slider that needs no Python answers an arrow key (its description changes); a slider that needs
    Python is disabled there, with its note."""
    from test_live_explorers_browser import _errors, _refuse_network

    page_file = exported_site / f"{lesson.stem}.html"
    page = browser_context.new_page()
    blocked, errors = _refuse_network(page), _errors(page)
    silent: list[str] = []
    checked = 0
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        explorers = page.locator(".pe-live")
        for index in range(explorers.count()):
            explorer = explorers.nth(index)
            explorer.locator(".petechiae-edu-description").first.wait_for(timeout=30_000)
            controls = explorer.locator(".pe-live-control")
            for number in range(controls.count()):
                control = controls.nth(number)
                slider = control.locator("input[type=range]")
                if slider.count() == 0:
                    continue
                if control.get_attribute("data-kernel") == "true":
                    assert slider.is_disabled(), f"{lesson.stem}: a slider that needs Python is not disabled"
                    continue
                slider.scroll_into_view_if_needed()
                slider.focus()
                at_top = (
                    float(slider.input_value())
                    >= float(slider.get_attribute("max")) - float(slider.get_attribute("step")) / 2
                )
                description = explorer.locator(".petechiae-edu-description").first
                before = description.inner_text()
                page.keyboard.press("ArrowLeft" if at_top else "ArrowRight")
                checked += 1
                if description.inner_text() == before:
                    silent.append(f"explorer {index + 1}, slider {number + 1}")
    finally:
        page.close()
    assert not blocked and not errors, (blocked, errors)
    assert not silent, f"{lesson.stem}: these sliders did not change their explorer's description: {silent}"
    if explorers_expected := EXPLORER_LESSONS.get(lesson.stem[:2]):
        assert checked >= explorers_expected, f"{lesson.stem}: only {checked} live sliders answered"


# lesson number -> how many live sliders (needing no Python) its exported page has at least
EXPLORER_LESSONS = {"01": 1, "02": 2, "04": 3, "05": 2, "08": 2}
