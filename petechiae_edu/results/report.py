"""The class summary as a plain-text table (for the terminal) and an HTML page with charts (for the instructor).

The HTML page is one self-contained file (the charts are inline SVG): it opens offline and can be shared.
"""

from __future__ import annotations

import io
from html import escape

from .. import DISCLAIMER
from ..markup import html_table
from .summary import ClassSummary


def summary_table(summary: ClassSummary) -> str:
    """Per-lesson completion and per-question statistics as aligned text."""
    lines = [f"Results of {summary.students} student(s)", "", "Lesson  questions  completed all  mean answered"]
    for lesson in summary.lessons:
        lines.append(
            f"{lesson.lesson:<7} {lesson.questions:>9}  {100 * lesson.completion:>12.0f}%  "
            f"{100 * lesson.mean_answered:>12.0f}%"
        )
    lines += ["", "Question                       students  right 1st try  discrimination  wrong option chosen most"]
    for q in summary.questions:
        discrimination = "—" if q.discrimination is None else f"{q.discrimination:+.2f}"
        wrong = f"{q.wrong_options[0][0][:40]} ({q.wrong_options[0][1]})" if q.wrong_options else "—"
        lines.append(
            f"{q.lesson + '/' + q.question:<30} {q.students:>8}  {100 * q.difficulty:>12.0f}%  "
            f"{discrimination:>14}  {wrong}"
        )
    flagged = summary.flagged()
    if flagged:
        lines += ["", "To look at (right <30% or >95% at first try, or discrimination < 0.2):"]
        lines += [f"  {q.lesson}/{q.question}" for q in flagged]
    return "\n".join(lines)


def _charts_svg(summary: ClassSummary) -> str:
    from ..figures.results import class_charts

    buffer = io.StringIO()
    class_charts(summary).savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def summary_html(summary: ClassSummary) -> str:
    """A self-contained HTML report: the charts, then the tables."""
    lesson_table = html_table(
        "Lessons",
        ("Lesson", "Questions", "Completed all", "Mean answered"),
        [
            (
                lesson.lesson,
                str(lesson.questions),
                f"{100 * lesson.completion:.0f}%",
                f"{100 * lesson.mean_answered:.0f}%",
            )
            for lesson in summary.lessons
        ],
        collapse_after=None,
    )
    question_table = html_table(
        "Questions",
        (
            "Lesson",
            "Question",
            "Students",
            "Right at first try",
            "Discrimination",
            "Wrong options chosen most (students)",
        ),
        [
            (
                q.lesson,
                q.question,
                str(q.students),
                f"{100 * q.difficulty:.0f}%",
                "—" if q.discrimination is None else f"{q.discrimination:+.2f}",
                "; ".join(f"{text} ({count})" for text, count in q.wrong_options) or "—",
            )
            for q in summary.questions
        ],
        collapse_after=None,
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>petechiae-edu: class results</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #111; }}
 svg {{ max-width: 100%; height: auto; }}
</style></head>
<body><main>
<h1>Class results: {summary.students} student(s)</h1>
<p><small>{escape(DISCLAIMER)} Difficulty is the share right at the first attempt; discrimination is the
correlation between being right on a question and the score on the other questions (shown from
5 students).</small></p>
<figure>{_charts_svg(summary)}<figcaption>Left: share of students who answered every question of each lesson.
Right: each question's difficulty against its discrimination; questions in the grey band discriminate
poorly.</figcaption></figure>
{lesson_table}
{question_table}
</main></body></html>
"""
