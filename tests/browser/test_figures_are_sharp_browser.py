"""Static figures are sharp (issue 16, item 6): on a screen of device pixel ratio 2, every figure image of a lesson
has at least two image pixels per CSS pixel it is shown at, or is vector (SVG), in Voilà and in the exported
handout. A figure PNG is drawn at 2x (``petechiae_edu.figures.render.png_bytes``) and given its CSS width by whoever
shows it; an image shown wider than that (an upscaled bitmap) fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu.classroom.editions import lesson_paths

pytestmark = pytest.mark.browser

RUN_SECONDS = 240
SCALE = 2
VIEWPORT = {"width": 1280, "height": 900}

# Lessons with static figures, and how many figure images each shows at least (so a lesson that lost its
# figures, or whose figures never arrived, fails instead of passing with nothing checked).
FIGURE_LESSONS = {
    "01-petechiae": 3,  # the lesson gallery and the skin pictures
    "02-blood-and-platelets": 1,  # the spleen studies chart
    "03-leukaemias": 1,  # the risk-factor chart
    "04-bleeding-risk": 2,  # the published bleeding data and the age curves
    "05-progression": 1,  # the survival chart
    "06-recognising": 1,  # the presenting-features chart
    "07-diagnosis": 2,  # the film atlas and the drawn films
}
LESSONS = {path.stem: path for path in lesson_paths()}

# Every visible image at least 40 CSS px wide inside ``root``: its size and whether it is sharp at this pixel ratio.
FIGURE_IMAGES_JS = """([root, scale]) => Array.from(root.querySelectorAll('img'))
  .filter((img) => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width >= 40)
  .map((img) => {
    const shown = img.getBoundingClientRect();
    const vector = img.src.startsWith('data:image/svg') || /\\.svg($|\\?)/.test(img.src);
    return {
      label: (img.alt || img.closest('[class]')?.className || '').toString().slice(0, 70),
      natural: [img.naturalWidth, img.naturalHeight],
      shown: [Math.round(shown.width * 10) / 10, Math.round(shown.height * 10) / 10],
      sharp: vector || (img.naturalWidth >= scale * shown.width - 1 && img.naturalHeight >= scale * shown.height - 1),
    };
  })"""


def _at_scale(page) -> None:
    """Emulate a high-density screen (Chrome DevTools protocol): CSS viewport VIEWPORT, ``SCALE`` pixels per px."""
    session = page.context.new_cdp_session(page)
    session.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": VIEWPORT["width"], "height": VIEWPORT["height"], "deviceScaleFactor": SCALE, "mobile": False},
    )


def _figure_problems(page, root_selector: str, at_least: int) -> tuple[list[str], list[dict]]:
    page.wait_for_function(
        "([selector, count]) => { const root = document.querySelector(selector); if (!root) return false;"
        " return Array.from(root.querySelectorAll('img')).filter((img) => img.complete && img.naturalWidth > 0"
        " && img.getBoundingClientRect().width >= 40).length >= count; }",
        arg=[root_selector, at_least],
        timeout=RUN_SECONDS * 1000,
    )
    page.wait_for_timeout(1000)  # the last images decode and the layout settles
    assert page.evaluate("() => window.devicePixelRatio") == SCALE
    images = page.evaluate(FIGURE_IMAGES_JS, [page.locator(root_selector).first.element_handle(), SCALE])
    problems = [
        f"{image['label']!r}: {image['natural'][0]}x{image['natural'][1]} image pixels shown at "
        f"{image['shown'][0]}x{image['shown'][1]} CSS px (needs {SCALE}x, or SVG)"
        for image in images
        if not image["sharp"]
    ]
    if len(images) < at_least:
        problems.append(f"found {len(images)} figure images, expected at least {at_least}")
    return problems, images


@pytest.mark.parametrize("name", sorted(FIGURE_LESSONS))
def test_every_figure_of_a_lesson_in_voila_is_sharp_at_device_pixel_ratio_two(name, voila_server, browser_context):
    page = browser_context.new_page()
    try:
        _at_scale(page)
        page.goto(voila_server.page_url(f"/voila/render/{LESSONS[name].name}"), timeout=RUN_SECONDS * 1000)
        page.wait_for_function(
            "() => { const cells = document.querySelector('#rendered_cells');"
            " return cells && getComputedStyle(cells).display !== 'none'; }",
            timeout=RUN_SECONDS * 1000,
        )
        problems, _images = _figure_problems(page, "#rendered_cells", FIGURE_LESSONS[name])
    finally:
        page.close(run_before_unload=True)  # Voilà shuts the lesson's kernel down on unload
    assert not problems, f"{name} in Voilà at device pixel ratio {SCALE}:\n" + "\n".join(problems)


HANDOUT_LESSONS = ("03-leukaemias", "06-recognising")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from petechiae_edu.classroom.export import export_site

    folder = tmp_path_factory.mktemp("sharp-handouts")
    export_site(folder, lessons=[LESSONS[name] for name in HANDOUT_LESSONS], progress=lambda _message: None)
    return folder


@pytest.mark.parametrize("name", HANDOUT_LESSONS)
def test_the_figures_of_an_exported_handout_are_sharp_at_device_pixel_ratio_two(name, handouts, browser_context):
    page = browser_context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    try:
        _at_scale(page)
        page.goto((handouts / f"{name}.html").as_uri())
        problems, _images = _figure_problems(page, "main", FIGURE_LESSONS[name])
    finally:
        page.close()
    assert not problems, f"{name} handout at device pixel ratio {SCALE}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", ["03-leukaemias", "06-recognising"])
def test_the_figures_of_a_presented_lesson_are_sharp_at_device_pixel_ratio_two(name, present_lesson, browser_context):
    server = present_lesson(LESSONS[name].name)
    page = browser_context.new_page()
    try:
        _at_scale(page)
        page.goto(server.page_url("/"), timeout=RUN_SECONDS * 1000)
        page.wait_for_selector("style#petechiae-edu-present", state="attached")
        problems, _images = _figure_problems(page, "#rendered_cells", FIGURE_LESSONS[name])
    finally:
        page.close(run_before_unload=True)
    assert not problems, f"{name} presented at device pixel ratio {SCALE}:\n" + "\n".join(problems)
