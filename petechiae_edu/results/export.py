"""``petechiae-edu results export``: one file a student hands in through the school's learning platform.

The file (JSON, ``format = "petechiae-edu-results"``) holds every recorded answer with its time, and per lesson
how many of its self-check questions were answered. A name is included only if the student gives one
(``--name``). The file is never written over: an existing file is refused.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from .answers import find_workspace, read_answers

RESULTS_FORMAT = "petechiae-edu-results"
RESULTS_VERSION = 1


def question_counts() -> dict[str, int]:
    """How many self-check questions each lesson has (from the course's banks)."""
    from .. import content
    from ..lessons import lessons

    counts = {}
    for lesson in lessons():
        try:
            counts[lesson.number] = len(content.quiz(lesson.number))
        except LookupError:
            continue
    return counts


def results_document(workspace: Path, *, name: str | None = None) -> dict[str, Any]:
    """The contents of the results file for ``workspace``."""
    answers = read_answers(workspace)
    counts = question_counts()
    answered: dict[str, set[str]] = {}
    for answer in answers:
        answered.setdefault(answer.lesson, set()).add(answer.question)
    return {
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "course_version": __version__,
        "exported": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "student": name or None,
        "lessons": {
            lesson: {"questions": total, "answered": len(answered.get(lesson, ()))} for lesson, total in counts.items()
        },
        "answers": [
            {"lesson": a.lesson, "question": a.question, "chosen": a.chosen, "correct": a.correct, "time": a.time}
            for a in answers
        ],
    }


def export_results(out_file: Path, *, workspace: Path | None = None, name: str | None = None) -> Path:
    """Write the results of ``workspace`` (default: the one holding the current folder) to ``out_file``."""
    folder = find_workspace(workspace) if workspace is not None else find_workspace()
    if folder is None:
        where = workspace if workspace is not None else Path.cwd()
        raise ValueError(
            f"{where} is not in a petechiae-edu workspace (no .petechiae-edu.json); give the folder your lessons "
            "are in, e.g. petechiae-edu results export my-results.json --workspace ~/petechiae-edu"
        )
    out_file = Path(out_file).expanduser()
    if out_file.exists():
        raise FileExistsError(f"{out_file} already exists; nothing was written. Choose another file name")
    document = results_document(folder, name=name)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    with open(out_file, "x", encoding="utf-8") as stream:  # "x": never over a file that appeared meanwhile
        json.dump(document, stream, indent=1, ensure_ascii=False)
        stream.write("\n")
    return out_file
