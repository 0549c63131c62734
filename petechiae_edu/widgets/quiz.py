"""One self-check widget for every lesson: questions from ``data/quizzes/<lesson>.toml``."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import citations, content
from ..content import QuizQuestion
from ..markup import live_region
from .app import DescribedApp


class QuestionCard:
    """One question: the options, a check button and the explanation revealed after answering."""

    def __init__(self, number: int, question: QuizQuestion) -> None:
        self.question = question
        self.choice = widgets.RadioButtons(
            options=[(option.text, position) for position, option in enumerate(question.options, start=1)],
            value=None,
            description=f"Answer {number}:",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.check_button = widgets.Button(description="Check my answer", tooltip=f"Check answer {number}")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _button: self.check())
        prompt = widgets.HTML(f"<p><strong>{number}. {escape(question.prompt)}</strong></p>")
        self.box = widgets.VBox([prompt, self.choice, self.check_button, self.feedback])
        self.answered_correctly: bool | None = None

    def check(self) -> bool | None:
        """Mark the chosen option; returns True/False, or None when nothing was chosen yet."""
        if self.choice.value is None:
            self.feedback.value = "<p>Choose an option first.</p>"
            return None
        self.answered_correctly = self.question.options[self.choice.value - 1].good
        verdict = (
            "Correct." if self.answered_correctly else f"Not quite: the answer is “{self.question.good_option.text}”."
        )
        self.feedback.value = self._explanation_html(verdict)
        return self.answered_correctly

    def reveal(self) -> None:
        """Show the answer and explanation without marking (the instructor's button)."""
        self.feedback.value = self._explanation_html(f"Answer: “{self.question.good_option.text}”.")

    def _explanation_html(self, verdict: str) -> str:
        sources = citations.references_html(self.question.sources)
        return live_region(
            html=f"<p><strong>{escape(verdict)}</strong> "
            f"{escape(self.question.explanation)}</p><p><small>Sources: {sources}</small></p>",
            description=False,
        )


class Quiz(DescribedApp):
    """The self-check of a lesson, with a live tally. ``answer(number, option)`` does what a click would."""

    def __init__(self, lesson: str, questions: tuple[QuizQuestion, ...]) -> None:
        super().__init__(f"Self-check for lesson {lesson}")
        self.lesson = lesson
        self.cards = [QuestionCard(number, q) for number, q in enumerate(questions, start=1)]
        self.reveal_button = widgets.Button(
            description="Reveal all answers", tooltip="For instructors: show every answer"
        )
        self.reveal_button.on_click(lambda _button: self.reveal_all())
        for card in self.cards:
            card.check_button.on_click(lambda _button: self._update_tally())
        self.controls = [*(w for card in self.cards for w in (card.choice, card.check_button)), self.reveal_button]
        self._update_tally()

    @property
    def widget(self) -> widgets.VBox:
        return widgets.VBox([*(card.box for card in self.cards), self.description_html, self.reveal_button])

    def _update_tally(self) -> None:
        checked = sum(card.answered_correctly is not None for card in self.cards)
        self.describe(f"You have checked {checked} of {len(self)} answers; {self.score} correct.")

    def __len__(self) -> int:
        return len(self.cards)

    def answer(self, number: int, option: int) -> bool:
        """Choose option ``option`` (counting from 1) for question ``number`` and check it."""
        card = self.cards[number - 1]
        card.choice.value = option
        result = card.check()
        self._update_tally()
        assert result is not None
        return result

    def reveal_all(self) -> None:
        for card in self.cards:
            card.reveal()

    @property
    def score(self) -> int:
        """Questions answered correctly so far."""
        return sum(card.answered_correctly is True for card in self.cards)

    def summary(self) -> str:
        sourced = sum(bool(card.question.sources) for card in self.cards)
        return f"Self-check for lesson {self.lesson}: {len(self)} questions, {sourced} with an explanation and sources."


def self_check(lesson: str) -> Quiz:
    """The self-check questions of ``lesson`` (e.g. ``"01"``), as a widget; their sources are cited."""
    questions = content.quiz(lesson)
    for question in questions:
        citations.cite(*question.sources, by=f"self-check {lesson}")
    return Quiz(lesson, questions)
