"""What the case player shows at the end of a case, and when a choice has sent the patient down a worse path.

The summary (HTML, for the player's feedback area) lists each decision with the choice made, the minute of the
case clock and whether it was good; each deadline met (at minute N), met only after a delay the best path avoided
(a branch step came first), missed, or not applying (its step was not on the path); the best path with its timings;
then the diagnosis, the teaching points and the sources. Verdicts are written in words with a symbol
(✔ / ✘), never shown by colour alone. The engine behind it is :mod:`petechiae_edu.models.case_path`.
"""

from __future__ import annotations

from html import escape

from .. import citations
from ..markup import html_table, live_region
from ..models.case_path import CaseLike, CasePath, best_path, clock_text, summary_rows
from ..models.cases import CaseVersion

# C5 of the issue-14 review: the branches and the clock are the course's own writing, and students are told so
ILLUSTRATIVE_NOTE = (
    "What happens after a delaying choice, and the minutes each choice takes, are illustrative, written by the "
    "course's authors to show what a delay can cost, not taken from a study; only the deadlines and the figures "
    "quoted in the feedback carry sources."
)
SUMMARY_COLUMNS = ("Decision", "Your choice", "When", "Good or not")
BEST_COLUMNS = ("Decision", "Best choice", "When")


def _verdict(good: bool) -> str:
    return "✔ good choice" if good else "✘ not the best choice"


def deadlines_html(path: CasePath, best: CasePath | None = None) -> str:
    """Each deadline of the case: met (at minute N) or missed, with why it matters; '' when the case has none."""
    if not path.deadlines:
        return ""
    items = []
    for number, result in enumerate(path.deadlines):
        mark = "– Does not apply" if not result.reached else "✘ Missed" if not result.met else "✔ Met"
        if result.met and result.after_delay:
            mark = "✔ Met after a delay"
        best_note = ""
        best_given = best.deadlines[number].given_at if best is not None else None
        if best_given is not None:
            best_note = f" The best path gives it at {clock_text(best_given, short=True)}."
        items.append(
            f"<li><strong>{mark}:</strong> {escape(result.text())}.{escape(best_note)} "
            f"<small>{escape(result.why)} {citations.references_html(result.sources)}</small></li>"
        )
    return f'<p><strong>Time-critical actions</strong></p><ul class="pe-case-deadlines">{"".join(items)}</ul>'


def summary_html(case: CaseLike, path: CasePath, version: CaseVersion, attempt: int = 1) -> str:
    """The end-of-case summary for ``path`` through ``case`` (the record) shown with ``version`` (the counts)."""
    rows = [(*row[:3], _verdict(choice.good)) for row, choice in zip(summary_rows(path), path.choices, strict=True)]
    good = sum(choice.good for choice in path.choices)
    parts = [
        f'<div class="pe-case-summary"><h4>Your path through the case (attempt {attempt})</h4>',
        html_table(
            f"Your decisions, with the case clock when you made them; the case ended at "
            f"{clock_text(path.clock, short=True)}",
            SUMMARY_COLUMNS,
            rows,
            row_headers=True,
            collapse_after=None,
        ),
        f"<p>Good first choices: {good} of {len(path.choices)}.</p>",
    ]
    best = None if path.is_best else best_path(case)
    parts.append(deadlines_html(path, best))
    if best is None:
        parts.append("<p><strong>You took the best path.</strong></p>")
    else:
        best_rows = [(title, text, when) for title, text, when, _verdict in summary_rows(best)]
        parts.append(
            html_table(
                "The best path, with its timings", BEST_COLUMNS, best_rows, row_headers=True, collapse_after=None
            )
        )
        parts.append("<p>Press “Play this case again” to try another path through the same case.</p>")
    points = "".join(f"<li>{escape(point)}</li>" for point in version.teaching_points)
    parts.append(
        f"<h4>Diagnosis: {escape(version.diagnosis)}</h4><p><strong>Teaching points</strong></p><ul>{points}</ul>"
        f"<p><small>Sources for this case: {citations.references_html(version.sources)}</small></p></div>"
    )
    return "".join(parts)


def consequence_html(minutes_passed: float, arrived_at: float) -> str:
    """The notice above a branch step: time has passed because of a choice, and the patient has changed; with the
    note that the deterioration and the minutes are the course's illustration (:data:`ILLUSTRATIVE_NOTE`)."""
    notice = (
        "<strong>⚠ A consequence of your last choice:</strong> "
        f"{minutes_passed:g} minutes have passed (now {escape(clock_text(arrived_at, short=True))} since the "
        "start), and the patient has changed. Read what is different before you decide."
    )
    return (
        f'<div class="pe-case-consequence">{live_region(html=notice, description=False, alert=True)}</div>'
        f'<p class="pe-case-illustrative"><small>{escape(ILLUSTRATIVE_NOTE)}</small></p>'
    )
