"""A student who always picks the same position cannot pass the self-checks (lessons review §2.4): across the
course's banks no option position holds the key in more than 35 % of the questions. The key is stored on the
option (``good = true``), so reordering options never changes the answer."""

from __future__ import annotations

from collections import Counter

from petechiae_edu import content
from petechiae_edu.lessons import lesson_files


def all_questions():
    return [question for path in lesson_files() for question in content.quiz(path.name[:2])]


def test_no_key_position_holds_more_than_35_percent_of_the_questions():
    questions = all_questions()
    positions = Counter(question.good_number for question in questions)
    commonest, share = positions.most_common(1)[0][0], positions.most_common(1)[0][1] / len(questions)
    assert share <= 0.35, f"option {commonest} is the key in {share:.0%} of {len(questions)} questions"


def test_every_position_is_the_key_somewhere_in_the_course():
    positions = Counter(question.good_number for question in all_questions())
    assert set(positions) == {1, 2, 3, 4}
