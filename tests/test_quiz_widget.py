"""The one self-check widget: marks answers, explains them, and cites the sources behind them."""

from __future__ import annotations

from html import escape

from petechiae_edu import citations, content
from petechiae_edu.widgets.quiz import self_check


def test_a_right_answer_is_marked_and_explained(fresh_citations):
    quiz = self_check("01")
    right = quiz.cards[0].question.good_number
    assert quiz.answer(1, right) is True
    feedback = quiz.cards[0].feedback.value
    assert "Correct." in feedback and 'data-source="leung2001"' in feedback and "[@" not in feedback
    assert quiz.score == 1


def test_a_wrong_answer_shows_the_right_one(fresh_citations):
    quiz = self_check("01")
    question = quiz.cards[1].question
    wrong = 1 if question.good_number != 1 else 2
    assert quiz.answer(2, wrong) is False
    assert question.good_option.text in quiz.cards[1].feedback.value
    assert quiz.score == 0


def test_checking_without_a_choice_asks_for_one(fresh_citations):
    quiz = self_check("01")
    assert quiz.cards[0].check() is None
    assert "Choose an option first" in quiz.cards[0].feedback.value


def test_reveal_all_shows_every_answer(fresh_citations):
    quiz = self_check("00")
    quiz.reveal_all()
    for card in quiz.cards:
        assert escape(card.question.good_option.text) in card.feedback.value


def test_the_self_check_cites_its_sources(fresh_citations):
    quiz = self_check("00")
    assert "oer_reference_ranges" in citations.used()
    items = len(content.quiz("00"))
    assert items >= 8
    assert quiz.summary() == f"Self-check for lesson 00: {items} questions, {items} with an explanation and sources."


def test_every_option_has_an_accessible_label():
    quiz = self_check("01")
    for number, card in enumerate(quiz.cards, start=1):
        assert card.choice.description == f"Answer {number}:"


def test_whatever_place_an_option_is_shown_in_the_good_one_is_marked_right(fresh_citations):
    quiz = self_check("04", learner="ana")
    for number, card in enumerate(quiz.cards, start=1):
        shown = [label for label, _stored in card.choice.options]
        assert sorted(shown) == sorted(o.text for o in card.question.options)
        for stored, option in enumerate(card.question.options, start=1):
            assert quiz.answer(number, stored) is option.good


def test_the_same_learner_sees_the_same_order_on_reload_and_other_learners_see_other_orders():
    def orders(learner):
        return [tuple(label for label, _ in card.choice.options) for card in self_check("09", learner=learner).cards]

    assert orders("ana") == orders("ana")
    others = [orders(name) for name in ("ben", "chloe", "dev", "emeka")]
    assert all(other != orders("ana") for other in others)


def test_across_learners_the_key_lands_in_every_position():
    from collections import Counter

    shown_at = Counter()
    for learner in [f"student-{n}" for n in range(40)]:
        card = self_check("07", learner=learner).cards[0]
        shown_at[card.order.index(card.question.good_number) + 1] += 1
    assert set(shown_at) == set(range(1, len(card.question.options) + 1))
    assert max(shown_at.values()) <= 20, shown_at


def test_a_wrong_answer_shows_the_feedback_for_the_chosen_option_and_why_the_key_is_best():
    quiz = self_check("08", learner="ana")
    card = quiz.cards[0]
    wrong = next(n for n, option in enumerate(card.question.options, start=1) if not option.good)
    assert quiz.answer(1, wrong) is False
    shown = card.feedback.value
    assert "Your choice:" in shown and escape(card.question.options[wrong - 1].feedback) in shown
    assert escape(card.question.good_option.feedback) in shown and escape(card.question.explanation) in shown


def test_a_right_answer_shows_why_it_is_right_without_a_your_choice_note():
    quiz = self_check("08", learner="ana")
    assert quiz.answer(1, quiz.cards[0].question.good_number) is True
    assert "Your choice:" not in quiz.cards[0].feedback.value
    assert escape(quiz.cards[0].question.good_option.feedback) in quiz.cards[0].feedback.value


def test_a_students_order_comes_from_their_hub_name_or_their_workspace(tmp_path, monkeypatch):
    from petechiae_edu.learner import LEARNER_FILE, learner_id
    from petechiae_edu.results.answers import MANIFEST_NAME

    monkeypatch.delenv("PETECHIAE_EDU_LEARNER", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "student7")
    assert learner_id() == "student7"
    monkeypatch.delenv("JUPYTERHUB_USER")
    (tmp_path / MANIFEST_NAME).write_text('{"files": {}}')
    monkeypatch.chdir(tmp_path)
    first = learner_id()
    assert (tmp_path / LEARNER_FILE).read_text().strip() == first == learner_id()


def test_the_student_edition_has_no_reveal_all_button_and_the_instructor_edition_has_one():
    from petechiae_edu.widgets.quiz import self_check

    student, instructor = self_check("04", edition="student"), self_check("04")
    assert student.reveal_button is None and student.reveal_button not in student.controls
    assert instructor.reveal_button is not None and instructor.reveal_button in instructor.widget.children


def test_the_student_edition_of_every_lesson_calls_the_student_self_check():
    import nbformat

    from petechiae_edu.classroom.editions import student_edition
    from petechiae_edu.lessons import lesson_files

    for path in lesson_files():
        cells = student_edition(nbformat.read(path, as_version=4), name=path.name).cells
        calls = [cell.source for cell in cells if "self_check(" in cell.source]
        assert calls and all('edition="student"' in call for call in calls), path.name


def test_a_checked_answer_is_recorded_in_the_students_workspace(tmp_path, monkeypatch):
    from petechiae_edu.results.answers import read_answers
    from petechiae_edu.widgets.quiz import self_check
    from petechiae_edu.workspace import MANIFEST_NAME

    (tmp_path / MANIFEST_NAME).write_text('{"files": {}}')
    monkeypatch.chdir(tmp_path)
    quiz = self_check("04", edition="student")
    quiz.answer(1, quiz.cards[0].question.good_number)
    (answer,) = read_answers(tmp_path)
    assert (answer.lesson, answer.question, answer.correct) == ("04", quiz.cards[0].question.key, True)
    assert "saved in your workspace" in quiz.description


def test_outside_a_workspace_nothing_is_written(tmp_path, monkeypatch):
    from petechiae_edu.widgets.quiz import self_check

    monkeypatch.chdir(tmp_path)
    quiz = self_check("04")
    quiz.answer(1, 1)
    assert list(tmp_path.iterdir()) == []
