"""One self-check widget for every lesson: questions from ``data/quizzes/<lesson>.toml``.

A question may carry a picture (a drawn blood film or patch of skin, :mod:`petechiae_edu.pictures`): it is shown
above the question as an HTML ``<img>`` whose alt text a screen reader reads; after answering, the feedback also
gives the drawing's full description.

Options are shuffled per student (:func:`option_order`): the same learner sees the same order on every reload, a
different learner (usually) another, so "always pick option 2" is no strategy and a neighbour's screen is no key.
The key is stored on the option (``good = true``), never by position. After a check, the student reads the
feedback written for the option they chose, then why the key is best, then the explanation and its sources.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from html import escape

import ipywidgets as widgets

from .. import citations, content
from ..classroom import EDITIONS
from ..content import QuizQuestion
from ..learner import learner_id, learner_seed
from ..markup import live_region
from ..pictures import RenderedPicture, render_picture
from ..results.answers import AnswerLog
from .app import DescribedApp


def option_order(lesson: str, question: QuizQuestion, learner: str) -> tuple[int, ...]:
    """The stored option numbers (from 1) in the order ``learner`` sees them: a shuffle seeded by the learner,
    the lesson and the question's key, so it is stable for one learner and differs between learners."""
    order = list(range(1, len(question.options) + 1))
    random.Random(learner_seed("quiz", lesson, question.key, learner=learner)).shuffle(order)
    return tuple(order)


class QuestionCard:
    """One question: the options (in the learner's order), a check button and the feedback revealed after
    answering. The radio buttons' value is the option's stored number (from 1), whatever place it is shown in."""

    def __init__(self, number: int, question: QuizQuestion, order: Sequence[int] | None = None) -> None:
        self.question = question
        self.order = tuple(order) if order is not None else tuple(range(1, len(question.options) + 1))
        if sorted(self.order) != list(range(1, len(question.options) + 1)):
            raise ValueError(f"order {self.order} is not a reordering of options 1–{len(question.options)}")
        self.choice = widgets.RadioButtons(
            options=[(question.options[stored - 1].text, stored) for stored in self.order],
            value=None,
            description=f"Answer {number}:",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.check_button = widgets.Button(description="Check my answer", tooltip=f"Check answer {number}")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _button: self.check())
        prompt = widgets.HTML(f"<p><strong>{number}. {escape(question.prompt)}</strong></p>")
        self.picture: RenderedPicture | None = None
        self.picture_html: widgets.HTML | None = None
        shown: list[widgets.Widget] = [prompt, self.choice, self.check_button, self.feedback]
        if question.picture is not None:
            self.picture = render_picture(question.picture, named=False)
            self.picture_html = widgets.HTML(self.picture.html(f"Picture for question {number}."))
            shown.insert(0, self.picture_html)
        self.box = widgets.VBox(shown)
        self.answered_correctly: bool | None = None
        self.on_checked: Callable[[QuestionCard], None] | None = None  # the quiz records the answer

    def check(self) -> bool | None:
        """Mark the chosen option; returns True/False, or None when nothing was chosen yet."""
        if self.choice.value is None:
            self.feedback.value = "<p>Choose an option first.</p>"
            return None
        chosen = self.question.options[self.choice.value - 1]
        self.answered_correctly = chosen.good
        verdict = "Correct." if chosen.good else f"Not quite: the best answer is “{self.question.good_option.text}”."
        self.feedback.value = self._explanation_html(verdict, chosen=chosen.feedback)
        if self.on_checked is not None:
            self.on_checked(self)
        return self.answered_correctly

    @property
    def chosen_text(self) -> str:
        return "" if self.choice.value is None else self.question.options[self.choice.value - 1].text

    def reveal(self) -> None:
        """Show the answer and explanation without marking (the instructor's button)."""
        self.feedback.value = self._explanation_html(f"Answer: “{self.question.good_option.text}”.", chosen="")

    def _explanation_html(self, verdict: str, *, chosen: str) -> str:
        key = self.question.good_option
        parts = []
        if chosen and self.answered_correctly is False:
            parts.append(f"<p><em>Your choice:</em> {escape(chosen)}</p>")
        if key.feedback:
            parts.append(f"<p><em>Why “{escape(key.text)}”:</em> {escape(key.feedback)}</p>")
        sources = citations.references_html(self.question.sources)
        about = (
            ""
            if self.picture is None
            else f"<p><small>About the picture: {escape(self.picture.description)}</small></p>"
        )
        return live_region(
            html=f"<p><strong>{escape(verdict)}</strong></p>{''.join(parts)}"
            f"<p>{escape(self.question.explanation)}</p>{about}<p><small>Sources: {sources}</small></p>",
            description=False,
        )


class Quiz(DescribedApp):
    """The self-check of a lesson, with a live tally. ``answer(number, option)`` does what a click would."""

    def __init__(
        self,
        lesson: str,
        questions: tuple[QuizQuestion, ...],
        *,
        reveal: bool = True,
        answer_log: AnswerLog | None = None,
        learner: str | None = None,
    ) -> None:
        super().__init__(f"Self-check for lesson {lesson}")
        self.lesson = lesson
        self.learner = learner_id() if learner is None else learner
        self.answer_log = answer_log if answer_log is not None else AnswerLog(None)
        self.cards = [
            QuestionCard(number, q, option_order(lesson, q, self.learner))
            for number, q in enumerate(questions, start=1)
        ]
        # the student edition has no "reveal all": its answers open only after an attempt, one by one
        self.reveal_button: widgets.Button | None = None
        if reveal:
            self.reveal_button = widgets.Button(
                description="Reveal all answers", tooltip="For instructors: show every answer"
            )
            self.reveal_button.on_click(lambda _button: self.reveal_all())
        for card in self.cards:
            card.on_checked = self._checked
        self.controls = [*(w for card in self.cards for w in (card.choice, card.check_button))]
        if self.reveal_button is not None:
            self.controls.append(self.reveal_button)
        self._update_tally()

    @property
    def widget(self) -> widgets.VBox:
        shown = [*(card.box for card in self.cards), self.description_html]
        return widgets.VBox(shown + ([self.reveal_button] if self.reveal_button is not None else []))

    def _checked(self, card: QuestionCard) -> None:
        self.answer_log.record(self.lesson, card.question.key, card.chosen_text, bool(card.answered_correctly))
        self._update_tally()

    def _update_tally(self) -> None:
        checked = sum(card.answered_correctly is not None for card in self.cards)
        saved = ""
        if self.answer_log.problem:
            saved = f" Note: {self.answer_log.problem}."
        elif self.answer_log.active and checked:
            saved = " Your answers are saved in your workspace (on this computer only)."
        self.describe(f"You have checked {checked} of {len(self)} answers; {self.score} correct.{saved}")

    def __len__(self) -> int:
        return len(self.cards)

    def answer(self, number: int, option: int) -> bool:
        """Choose option ``option`` (its stored number in the bank, counting from 1, wherever the learner's shuffle
        shows it) for question ``number`` and check it."""
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
        pictured = sum(card.picture is not None for card in self.cards)
        pictures = f", {pictured} with a picture" if pictured else ""
        return (
            f"Self-check for lesson {self.lesson}: {len(self)} questions, {sourced} with an explanation and sources"
            f"{pictures}."
        )


def self_check(lesson: str, *, edition: str = "instructor", learner: str | None = None) -> Quiz:
    """The self-check questions of ``lesson`` (e.g. ``"01"``), as a widget; their sources are cited.

    The student edition of a lesson calls ``self_check("01", edition="student")`` (written by
    :func:`petechiae_edu.classroom.editions.student_edition`): no "reveal all answers" button. Inside a student's
    workspace, each checked answer is recorded there (:mod:`petechiae_edu.results.answers`). The options are in
    ``learner``'s order (default: :func:`petechiae_edu.learner.learner_id`, stable for one student).
    """
    if edition not in EDITIONS:
        raise ValueError(f"edition = {edition!r} is not an edition; expected one of: {', '.join(EDITIONS)}")
    questions = content.quiz(lesson)
    for question in questions:
        citations.cite(*question.sources, by=f"self-check {lesson}")
    return Quiz(lesson, questions, reveal=edition == "instructor", answer_log=AnswerLog.here(), learner=learner)
