"""Charts of how a class did (petechiae_edu.results.summary): completion per lesson, difficulty against
discrimination per question. Colour-blind safe palette; every mark also labelled."""

from __future__ import annotations

from matplotlib.figure import Figure

from .palette import COLOURS


def class_charts(summary) -> Figure:
    """Two panels: per-lesson completion (bars) and per-question difficulty vs discrimination (points)."""
    figure = Figure(figsize=(10, 4.2), layout="constrained")
    completion, items = figure.subplots(1, 2)
    lessons = [lesson.lesson for lesson in summary.lessons]
    completion.bar(lessons, [100 * lesson.completion for lesson in summary.lessons], color=COLOURS["model"])
    completion.set(ylim=(0, 100), xlabel="Lesson", ylabel="Students who answered every question (%)")
    completion.set_title("Completion by lesson")
    rated = [q for q in summary.questions if q.discrimination is not None]
    items.axhspan(-1, 0.2, color=COLOURS["neutral"], alpha=0.25, zorder=0)
    items.scatter(
        [100 * q.difficulty for q in rated], [q.discrimination for q in rated], color=COLOURS["marker"], zorder=2
    )
    for q in rated:
        items.annotate(f"{q.lesson}/{q.question}", (100 * q.difficulty, q.discrimination), fontsize=7)
    if not rated:
        items.text(
            50, 0.5, "Discrimination needs answers from at least 5 students", ha="center", va="center", wrap=True
        )
    items.set(xlim=(0, 100), ylim=(-1, 1), xlabel="Right at first attempt (%)", ylabel="Discrimination (r)")
    items.set_title("Questions (grey: discriminates poorly)")
    return figure
