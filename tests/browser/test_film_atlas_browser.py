"""The film atlas in a real browser (lesson 07 in Voilà): a click on a drawn cell selects it, and naming it brings
feedback into the live region; the same cells are reachable from the keyboard list."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LESSON = "07-diagnosis.ipynb"
RUN_SECONDS = 180


def test_clicking_a_drawn_cell_and_naming_it_gives_feedback(voila_server, browser_context):
    page = browser_context.new_page()
    try:
        page.goto(voila_server.page_url(f"/voila/render/{LESSON}"), timeout=RUN_SECONDS * 1000)
        page.wait_for_function(
            "() => { const img = document.querySelector('.pe-film img');"
            " return img && img.src.startsWith('data:image/png') && img.alt.startsWith('Drawing'); }",
            timeout=RUN_SECONDS * 1000,
        )
        atlas = page.locator(".pe-film").first
        spots, listed = atlas.locator(".pe-film-spot"), atlas.locator(".pe-film-cells button")
        assert spots.count() == listed.count() >= 5

        spots.nth(0).click()
        page.wait_for_function("() => document.querySelector('.pe-film-spot').getAttribute('aria-pressed') === 'true'")
        feedback = atlas.locator("[aria-live='polite']")
        page.wait_for_function(
            "() => document.querySelector('.pe-film-feedback').textContent.startsWith('Cell selected')"
        )

        atlas.locator("select").select_option(label="neutrophil")
        atlas.locator(".pe-film-answer button").click()
        page.wait_for_function(
            "() => /^(Correct|Not quite): this is /.test(document.querySelector('.pe-film-feedback').textContent)",
            timeout=30_000,
        )
        assert "Named correctly so far" in feedback.text_content()

        listed.nth(1).focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelectorAll('.pe-film-cells button')[1].getAttribute('aria-pressed') === 'true'"
        )
    finally:
        page.close(run_before_unload=True)  # Voilà shuts the lesson's kernel down on unload
