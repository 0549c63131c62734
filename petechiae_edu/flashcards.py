"""Spaced retrieval: the self-check banks as an Anki deck (``petechiae-edu flashcards DIR``), built with genanki.

One note per self-check question, in a sub-deck per lesson (``petechiae-edu::07 Diagnosis``). The front is the
vignette and its options; the back is the answer, why it is best, the explanation and the sources. A question that
shows a drawing (a blood film, a patch of skin) carries it as a picture on the front, drawn without the film's name.

Every note has a stable id made from the lesson and the question's key, so importing a newer deck updates the
cards a student already has and keeps their review history. Educational use only, not for diagnosis.
"""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

from . import DISCLAIMER, citations, content
from .lessons import lessons

DECK_FILE = "petechiae-edu.apkg"
# Fixed ids (Anki needs numbers that never change for the same model and decks); chosen at random once.
MODEL_ID = 1_607_392_319
DECK_ID_BASE = 2_059_400_110
_OPTION_LETTERS = "ABCDEFGHIJ"

_CARD_CSS = """
.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: #111; background: #fff;
        line-height: 1.4; max-width: 44em; margin: 0 auto; }
.options { margin: 0.5em 0 0 1.2em; padding: 0; }
.answer { font-weight: bold; }
.sources, .disclaimer { font-size: 0.8em; color: #444; }
img { max-width: 100%; height: auto; }
"""


def _model():
    import genanki

    return genanki.Model(
        MODEL_ID,
        "petechiae-edu single best answer",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Lesson"}, {"name": "Key"}],
        templates=[
            {
                "name": "Single best answer",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
            }
        ],
        css=_CARD_CSS,
    )


def _front(question, picture_file: str | None) -> str:
    picture = ""
    if picture_file is not None:
        picture = f'<p><img src="{escape(picture_file)}" alt="A drawing for this question (not a photograph)"></p>'
    options = "".join(
        f"<li>{_OPTION_LETTERS[i]}. {escape(option.text)}</li>" for i, option in enumerate(question.options)
    )
    return f'{picture}<p>{escape(question.prompt)}</p><ol class="options" style="list-style:none">{options}</ol>'


def _back(question) -> str:
    position = next(i for i, option in enumerate(question.options) if option.good)
    sources = citations.references_text(question.sources)
    return (
        f'<p class="answer">{_OPTION_LETTERS[position]}. {escape(question.good_option.text)}</p>'
        f"<p>{escape(question.good_option.feedback)}</p>"
        f"<p>{escape(question.explanation)}</p>"
        f'<p class="sources">Sources: {escape(sources)}</p>'
        f'<p class="disclaimer">{escape(DISCLAIMER)}</p>'
    )


def build_package(out_file: Path, lesson_numbers: list[str] | None = None) -> dict[str, int]:
    """Write the deck to ``out_file`` (an ``.apkg``); returns the number of cards per lesson."""
    import genanki

    from .pictures import render_picture

    model = _model()
    chosen = [lesson for lesson in lessons() if lesson_numbers is None or lesson.number in lesson_numbers]
    unknown = sorted(set(lesson_numbers or ()) - {lesson.number for lesson in chosen})
    if unknown:
        known = ", ".join(lesson.number for lesson in lessons())
        raise ValueError(f"no lesson {', '.join(unknown)}; expected lesson numbers from: {known}")
    decks, counts, media = [], {}, []
    with tempfile.TemporaryDirectory(prefix="petechiae-flashcards-") as scratch:
        for lesson in chosen:
            try:
                questions = content.quiz(lesson.number)
            except LookupError:
                continue
            deck = genanki.Deck(DECK_ID_BASE + int(lesson.number), f"petechiae-edu::{lesson.number} {lesson.title}")
            for question in questions:
                picture_file = None
                if question.picture is not None:
                    picture_file = f"petechiae-edu-{lesson.number}-{question.key}.png"
                    path = Path(scratch) / picture_file
                    path.write_bytes(render_picture(question.picture, named=False).png)
                    media.append(str(path))
                deck.add_note(
                    genanki.Note(
                        model=model,
                        fields=[_front(question, picture_file), _back(question), lesson.number, question.key],
                        guid=genanki.guid_for("petechiae-edu", lesson.number, question.key),
                        tags=[f"lesson{lesson.number}", "petechiae-edu"],
                    )
                )
            decks.append(deck)
            counts[lesson.number] = len(questions)
        package = genanki.Package(decks)
        package.media_files = media
        package.write_to_file(str(out_file))
    return counts


def write_flashcards(out_dir: Path, lesson_numbers: list[str] | None = None) -> tuple[Path, dict[str, int]]:
    """Write ``petechiae-edu.apkg`` into ``out_dir`` (created if missing); an existing deck is never written over."""
    out_dir = Path(out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} is a file, not a folder; give a folder for the deck")
    target = out_dir / DECK_FILE
    if target.exists():
        raise FileExistsError(f"{target} already exists; nothing was written. Move it away or choose another folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / f".{DECK_FILE}.partial"
    try:
        counts = build_package(partial, lesson_numbers)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target, counts
