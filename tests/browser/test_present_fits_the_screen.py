"""`petechiae-edu present` fits the projector's screen: no horizontal scroll, every figure and control inside the
viewport, at 1024×768, 1280×720 and 1920×1080 (issue 16, point 7)."""

from __future__ import annotations

import pytest

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
LESSONS = ["02-blood-and-platelets.ipynb", "04-bleeding-risk.ipynb", "05-progression.ipynb"]

# What lies outside the viewport horizontally, once the page has rendered its widgets.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const selector = '.jupyter-widgets img, .widget-image, .widget-slider, .widget-dropdown select, '
    + '.widget-text input, .widget-button, .widget-readout, .widget-radio-box, .jp-OutputArea-output img, '
    + '.pe-live svg, .pe-live input, .pe-live select, .pe-live button';
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not displayed
    if (box.left < -1 || box.right > width + 1) {
      out.push(`${element.className || element.tagName} at ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, outside: out.slice(0, 8)};
}
"""


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_presented_lesson_fits_the_screen(lesson, present_lesson, browser_context):
    server = present_lesson(lesson)
    page = browser_context.new_page()
    problems = []
    try:
        page.goto(server.page_url("/"), timeout=180_000)
        page.wait_for_selector("style#petechiae-edu-present", state="attached")
        page.wait_for_selector(".widget-image, .jupyter-widgets img, .pe-live svg", timeout=180_000)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)  # let the layout settle
            found = page.evaluate(OVERFLOW_JS)
            if found["scrollWidth"] > found["width"] + 1:
                problems.append(f"{width}×{height}: the page scrolls sideways ({found['scrollWidth']} px wide)")
            problems += [f"{width}×{height}: outside the screen: {item}" for item in found["outside"]]
    finally:
        page.close(run_before_unload=True)
    assert not problems, f"{lesson} presented:\n" + "\n".join(problems)
