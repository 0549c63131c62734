"""The branching case player in a real browser (Voilà): a student clicks a delaying option in the meningococcal
case, meets the shocked child 40 minutes later with the case clock showing it, finishes the case and reads a
summary naming the missed deadline; then presses "Play this case again", takes the best path and meets it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "case-player-check.ipynb"
RUN_SECONDS = 180

DELAY_PATH = (
    "Take bloods, then wait for the blood count and film",
    "Give the fluid bolus now, and start the antibiotic once",
    "Give intravenous ceftriaxone now, call senior help and intensive care",
    "If she had arrived earlier",
    "That the team telephoned the local health protection team",
)
BEST_PATH = (
    "Treat as meningococcal disease now",
    "If she had arrived earlier",
    "That the team telephoned the local health protection team",
)


@pytest.fixture
def case_notebook(lesson_copies: Path) -> str:
    """A one-cell notebook beside the lesson copies that shows the player on a fixed version."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('from petechiae_edu import case_player\ncase_player("meningococcal", seed=3)')
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, lesson_copies / NOTEBOOK)
    return NOTEBOOK


def _take(page, option_start: str) -> None:
    """Pick the option that starts with ``option_start``, submit it, and go on when the case goes on."""
    page.locator(".widget-radio-box label", has_text=option_start).click()
    page.get_by_role("button", name="Submit my choice").click()
    page.wait_for_function("() => /(A good choice|Not the best choice)/.test(document.body.innerText)", timeout=30_000)
    next_button = page.get_by_role("button", name="Next step")
    summary = page.locator(".pe-case-summary")
    if summary.count() == 0 and next_button.is_enabled():
        next_button.click()


def _wait_for_text(page, text: str) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=30_000)


def _clock(page) -> str:
    return page.locator(".pe-case-clock").inner_text()


def test_a_delay_leads_to_shock_a_missed_deadline_and_a_replay_takes_the_best_path(
    voila_server, browser_context, case_notebook
):
    page = browser_context.new_page()
    try:
        page.goto(voila_server.page_url(f"/voila/render/{case_notebook}"), timeout=RUN_SECONDS * 1000)
        page.wait_for_selector(".pe-case-clock", timeout=RUN_SECONDS * 1000)
        assert "Minute 0 since arrival" in _clock(page)

        page.locator(".widget-radio-box label", has_text=DELAY_PATH[0]).click()
        page.get_by_role("button", name="Submit my choice").click()
        _wait_for_text(page, "Not the best choice.")
        page.get_by_role("button", name="Next step").click()
        _wait_for_text(page, "A consequence of your last choice")
        assert "Minute 40 since arrival" in _clock(page)
        step = page.locator(".pe-case-consequence").locator("xpath=..").inner_text()
        assert "Capillary refill time: 6 seconds" in step and "septic shock" in step
        assert page.locator(".pe-case-consequence [role='alert']").count() == 1
        assert "are illustrative, written by the course" in step

        for option in DELAY_PATH[1:]:
            _take(page, option)
        page.wait_for_selector(".pe-case-summary", timeout=30_000)
        summary = page.locator(".pe-case-summary").inner_text()
        assert "✘ Missed" in summary and "parenteral antibiotics now within 60 minutes" in summary
        assert "missed (given at minute 70)" in summary
        assert "parenteral antibiotics now within 15 minutes: missed (given at minute 70)" in summary
        assert "The best path, with its timings" in summary

        page.get_by_role("button", name="Play this case again").click()
        page.wait_for_function("() => !document.querySelector('.pe-case-summary')", timeout=30_000)
        assert "Minute 0 since arrival" in _clock(page)
        for option in BEST_PATH:
            _take(page, option)
        page.wait_for_selector(".pe-case-summary", timeout=30_000)
        summary = page.locator(".pe-case-summary").inner_text()
        assert "You took the best path." in summary and "attempt 2" in summary
        assert "✔ Met" in summary and "met (given at minute 0)" in summary
    finally:
        page.close(run_before_unload=True)  # Voilà shuts the kernel down on unload
