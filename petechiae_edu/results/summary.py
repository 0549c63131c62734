"""How the class did: per-question difficulty and discrimination, per-lesson completion, the wrong options
chosen most. Pure functions over the results files the students handed in (:mod:`.export`).

Definitions (classical test theory, on each student's **first** attempt at a question):

- *difficulty* (the facility index): the share of students who answered the question right the first time;
  0.3–0.9 is the useful range of a self-check item;
- *discrimination*: the corrected item–total correlation (point-biserial): the correlation between being right
  on this question and the student's score on the *other* questions they answered. Above about 0.2 the item
  separates students who know the material from those who do not; near zero or negative, look at the item (a
  misleading stem, two defensible options, a wrong key). It needs at least :data:`MIN_STUDENTS_FOR_DISCRIMINATION`
  students with both outcomes, else it is ``None``;
- *completion*: the share of students who answered every question of a lesson.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .export import RESULTS_FORMAT, RESULTS_VERSION

MIN_STUDENTS_FOR_DISCRIMINATION = 5


class ResultsFileError(ValueError):
    """A results file is not one ``petechiae-edu results export`` wrote."""


@dataclass(frozen=True)
class StudentResults:
    """One student's first attempts: (lesson, question) -> (right?, chosen option text)."""

    source: str  # the file it came from
    first_attempts: Mapping[tuple[str, str], tuple[bool, str]]
    questions_per_lesson: Mapping[str, int]


def read_results(source: str, document: Any) -> StudentResults:
    """Check one parsed results file; errors name the file and what was expected."""
    if not isinstance(document, dict) or document.get("format") != RESULTS_FORMAT:
        raise ResultsFileError(f"{source}: not a petechiae-edu results file (expected format = '{RESULTS_FORMAT}')")
    if document.get("version") != RESULTS_VERSION:
        raise ResultsFileError(
            f"{source}: results file version {document.get('version')!r}; this petechiae-edu reads version "
            f"{RESULTS_VERSION}"
        )
    answers, lessons = document.get("answers"), document.get("lessons")
    if not isinstance(answers, list) or not isinstance(lessons, dict):
        raise ResultsFileError(f"{source}: 'answers' must be a list and 'lessons' a table")
    first: dict[tuple[str, str], tuple[bool, str]] = {}
    for index, answer in enumerate(answers):
        try:
            key = (str(answer["lesson"]), str(answer["question"]))
            outcome = (bool(answer["correct"]), str(answer["chosen"]))
        except (KeyError, TypeError):
            raise ResultsFileError(f"{source}: answer {index + 1} lacks lesson, question, chosen or correct") from None
        first.setdefault(key, outcome)  # answers are in the order given: the first one counts
    try:
        counts = {str(lesson): int(entry["questions"]) for lesson, entry in lessons.items()}
    except (KeyError, TypeError, ValueError):
        raise ResultsFileError(f"{source}: each lesson needs a whole number of 'questions'") from None
    return StudentResults(source, first, counts)


@dataclass(frozen=True)
class QuestionStatistics:
    lesson: str
    question: str
    students: int  # who answered it
    difficulty: float  # share right at the first attempt
    discrimination: float | None  # corrected item-total correlation
    wrong_options: tuple[tuple[str, int], ...]  # (option text, students who chose it first), most chosen first


@dataclass(frozen=True)
class LessonStatistics:
    lesson: str
    questions: int
    completion: float  # share of students who answered every question
    mean_answered: float  # mean share of its questions a student answered


@dataclass(frozen=True)
class ClassSummary:
    students: int
    questions: tuple[QuestionStatistics, ...]
    lessons: tuple[LessonStatistics, ...]

    def flagged(self) -> tuple[QuestionStatistics, ...]:
        """Questions to look at: very hard or very easy, or discriminating poorly."""
        return tuple(
            q
            for q in self.questions
            if q.difficulty < 0.3 or q.difficulty > 0.95 or (q.discrimination is not None and q.discrimination < 0.2)
        )


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def summarise(results: Sequence[StudentResults]) -> ClassSummary:
    """The class summary of ``results`` (one per student)."""
    if not results:
        raise ResultsFileError("no results files given; expected one file per student")
    keys = sorted({key for student in results for key in student.first_attempts})
    questions = []
    for key in keys:
        answered = [student for student in results if key in student.first_attempts]
        right = [student.first_attempts[key][0] for student in answered]
        rest = []
        for student in answered:
            others = [ok for other, (ok, _) in student.first_attempts.items() if other != key]
            rest.append(sum(others) / len(others) if others else 0.0)
        enough = len(answered) >= MIN_STUDENTS_FOR_DISCRIMINATION and 0 < sum(right) < len(right)
        wrong = Counter(student.first_attempts[key][1] for student in answered if not student.first_attempts[key][0])
        questions.append(
            QuestionStatistics(
                lesson=key[0],
                question=key[1],
                students=len(answered),
                difficulty=sum(right) / len(answered),
                discrimination=_correlation([float(r) for r in right], rest) if enough else None,
                wrong_options=tuple(wrong.most_common(3)),
            )
        )
    lessons = []
    totals: dict[str, int] = {}
    for student in results:
        for lesson, count in student.questions_per_lesson.items():
            totals[lesson] = max(totals.get(lesson, 0), count)
    for lesson, total in sorted(totals.items()):
        if total == 0:
            continue
        shares = [
            min(1.0, sum(1 for (les, _q) in student.first_attempts if les == lesson) / total) for student in results
        ]
        lessons.append(
            LessonStatistics(
                lesson=lesson,
                questions=total,
                completion=sum(share >= 1.0 for share in shares) / len(results),
                mean_answered=sum(shares) / len(results),
            )
        )
    return ClassSummary(students=len(results), questions=tuple(questions), lessons=tuple(lessons))
