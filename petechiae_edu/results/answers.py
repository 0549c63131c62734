"""Record each self-check answer in the student's own workspace: one JSON line per answer, nothing else.

The log lives in ``<workspace>/.petechiae-edu-results/answers.jsonl`` and is only written when the lesson runs
inside a petechiae-edu workspace (a folder made by ``petechiae-edu copy``/``lab``, marked by its manifest), so
running the course's own notebooks (or the tests) never leaves files behind. A line holds the lesson, the
question key, the chosen option's text, whether it was right, and the time (UTC). No name, no network: the
student decides what to hand in (:mod:`.export`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..workspace import MANIFEST_NAME

RESULTS_FOLDER = ".petechiae-edu-results"
ANSWERS_FILE = "answers.jsonl"


def find_workspace(start: Path | None = None) -> Path | None:
    """The workspace that holds ``start`` (default: the current folder), or None outside a workspace."""
    folder = Path.cwd() if start is None else Path(start)
    for candidate in (folder, *folder.parents):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    return None


def answers_path(workspace: Path) -> Path:
    return Path(workspace) / RESULTS_FOLDER / ANSWERS_FILE


@dataclass(frozen=True)
class Answer:
    """One checked answer."""

    lesson: str
    question: str  # the question's key in data/quizzes/<lesson>.toml
    chosen: str  # the text of the chosen option
    correct: bool
    time: str  # ISO 8601, UTC

    def as_json(self) -> str:
        return json.dumps(
            {"lesson": self.lesson, "question": self.question, "chosen": self.chosen, "correct": self.correct,
             "time": self.time},
            ensure_ascii=False,
        )  # fmt: skip


class AnswerLog:
    """Appends answers to the workspace's log. Recording never breaks the self-check: a failure is remembered
    (``problem``) and the quiz says so, but the student still gets the feedback."""

    def __init__(self, workspace: Path | None) -> None:
        self.workspace = workspace
        self.problem: str | None = None

    @classmethod
    def here(cls) -> AnswerLog:
        return cls(find_workspace())

    @property
    def active(self) -> bool:
        return self.workspace is not None

    def record(self, lesson: str, question: str, chosen: str, correct: bool, *, now: datetime | None = None) -> None:
        if self.workspace is None:
            return
        moment = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = Answer(lesson, question, chosen, bool(correct), moment).as_json() + "\n"
        path = answers_path(self.workspace)
        try:
            path.parent.mkdir(exist_ok=True)
            # O_APPEND: two lessons open at once never interleave half lines; the umask sets the mode
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
            with os.fdopen(handle, "a", encoding="utf-8") as stream:
                stream.write(line)
        except OSError as error:
            self.problem = f"your answers could not be saved in {path.parent} ({error.strerror or error})"


def read_answers(workspace: Path) -> list[Answer]:
    """Every answer recorded in ``workspace``, oldest first. A damaged line is skipped and reported."""
    path = answers_path(workspace)
    if not path.is_file():
        return []
    answers = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            answers.append(
                Answer(str(data["lesson"]), str(data["question"]), str(data["chosen"]), bool(data["correct"]),
                       str(data["time"]))
            )  # fmt: skip
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"{path}, line {number}: not an answer record ({error}); expected a JSON object with lesson, "
                "question, chosen, correct and time. Remove or fix that line and export again"
            ) from None
    return answers
