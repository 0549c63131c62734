"""Spaced retrieval: `petechiae-edu flashcards DIR` exports every self-check bank as an Anki deck (issue 14)."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from petechiae_edu import cli, content
from petechiae_edu.flashcards import DECK_FILE, write_flashcards
from petechiae_edu.lessons import lessons


def _notes(deck: Path, tmp_path: Path) -> list[tuple[str, str]]:
    """(guid, fields) of every note in an .apkg (a zip holding an SQLite collection)."""
    with zipfile.ZipFile(deck) as archive:
        archive.extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as database:
        return database.execute("select guid, flds from notes").fetchall()


def test_every_question_becomes_a_card_with_the_explanation_and_sources_on_the_back(tmp_path):
    deck, counts = write_flashcards(tmp_path / "anki")
    expected = {lesson.number: len(content.quiz(lesson.number)) for lesson in lessons()}
    assert counts == expected
    notes = _notes(deck, tmp_path)
    assert len(notes) == sum(expected.values())
    question = content.quiz("07")[0]
    fields = next(flds for _, flds in notes if flds.endswith(f"\x1f07\x1f{question.key}"))
    assert "Sources:" in fields and "Educational use only" in fields
    assert question.explanation.split(" ")[0] in fields


def test_a_newer_deck_updates_the_same_cards(tmp_path):
    first, _ = write_flashcards(tmp_path / "one", ["03"])
    second, _ = write_flashcards(tmp_path / "two", ["03"])
    assert sorted(g for g, _ in _notes(first, tmp_path / "a")) == sorted(g for g, _ in _notes(second, tmp_path / "b"))


def test_a_question_with_a_drawing_carries_it_as_a_picture(tmp_path):
    pictured = [
        (lesson.number, q.key) for lesson in lessons() for q in content.quiz(lesson.number) if q.picture is not None
    ]
    if not pictured:
        pytest.skip("no self-check question shows a drawing yet")
    lesson, key = pictured[0]
    deck, _ = write_flashcards(tmp_path / "anki", [lesson])
    with zipfile.ZipFile(deck) as archive:
        names = archive.namelist()
        media = archive.read("media").decode()
    assert f"petechiae-edu-{lesson}-{key}.png" in media and len(names) > 2


def test_an_existing_deck_is_never_written_over(tmp_path):
    write_flashcards(tmp_path, ["01"])
    before = (tmp_path / DECK_FILE).read_bytes()
    with pytest.raises(FileExistsError, match="already exists; nothing was written"):
        write_flashcards(tmp_path, ["01"])
    assert (tmp_path / DECK_FILE).read_bytes() == before


def test_the_command_names_an_unknown_lesson(tmp_path, capsys):
    assert cli.main(["flashcards", str(tmp_path), "--lesson", "42"]) == 2
    assert "no lesson 42; expected lesson numbers from: 00, 01" in capsys.readouterr().err
    assert cli.main(["flashcards", str(tmp_path), "--lesson", "01"]) == 0
    assert "cards from 1 lessons" in capsys.readouterr().out
