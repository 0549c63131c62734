"""The film atlas of lesson 07, wired kernel-side: choose a film, toggle the labels, click a cell and name it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from petechiae_edu import film_atlas
from petechiae_edu.content.film_data import film_cells
from petechiae_edu.validation import InputValueError
from petechiae_edu.widgets import film_atlas as module


def index_of(atlas, key: str) -> int:
    return next(index for index, cell in atlas.answers.items() if cell == key)


def test_the_atlas_opens_on_a_normal_film_with_a_picture_hotspots_and_a_description():
    atlas = film_atlas()
    assert atlas.canvas.image.startswith("data:image/png;base64,")
    assert atlas.description.startswith("Drawing (not a photograph) of a blood film field, Normal blood film")
    assert atlas.canvas.alt == atlas.description
    assert len(atlas.canvas.hotspots) == len(atlas.answers) >= 5


def test_choosing_a_film_redraws_the_picture_and_the_description():
    atlas = film_atlas()
    before = (atlas.canvas.image, atlas.description)
    atlas.film_choice.value = "apl"
    assert atlas.canvas.image != before[0]
    assert "faggot cell" in atlas.description and atlas.description != before[1]
    assert "faggot_cell" in atlas.answers.values()


def test_labels_change_the_picture_but_not_the_cells():
    atlas = film_atlas("cml")
    image, counts = atlas.canvas.image, atlas.counts
    atlas.labelled.value = True
    assert atlas.canvas.image != image and atlas.counts == counts


def test_another_field_draws_new_cells_of_the_same_film():
    atlas = film_atlas("cll")
    image, spots = atlas.canvas.image, atlas.canvas.hotspots
    atlas.another.click()
    assert atlas.seed == 1 and atlas.canvas.image != image and atlas.canvas.hotspots != spots


def test_naming_a_blast_with_an_auer_rod_correctly_says_so():
    atlas = film_atlas("aml")
    index = index_of(atlas, "myeloblast_auer_rod")
    atlas.canvas.selected = index
    feedback = atlas.name_cell(index, "myeloblast with an Auer rod")
    assert feedback.startswith("Correct: this is a myeloblast with an Auer rod.")
    assert atlas.canvas.feedback == feedback
    assert "Named correctly so far: 1 of" in feedback


def test_a_wrong_name_says_not_quite_and_gives_the_right_one():
    atlas = film_atlas("cll")
    feedback = atlas.name_cell(index_of(atlas, "smudge_cell"), "lymphoblast")
    assert feedback.startswith("Not quite: this is a smudge cell, not a lymphoblast.")


def test_naming_before_selecting_a_cell_asks_for_a_cell_first():
    atlas = film_atlas()
    assert atlas.name_cell(-1, "neutrophil").startswith("Select a cell first")


def test_an_answer_sent_from_the_page_is_judged_in_the_kernel():
    atlas = film_atlas("ttp")
    index = index_of(atlas, "schistocyte")
    atlas.canvas._handle_custom_msg({"type": "name", "index": index, "name": "schistocyte (red-cell fragment)"}, [])
    assert atlas.canvas.feedback.startswith("Correct: this is a schistocyte")


def test_selecting_a_cell_on_the_page_prompts_for_its_name():
    atlas = film_atlas("itp")
    atlas.canvas.selected = index_of(atlas, "large_platelet")
    assert "choose its name" in atlas.canvas.feedback


def test_the_page_never_receives_the_answers_before_the_student_names_a_cell():
    atlas = film_atlas("apl")
    for spot in atlas.canvas.hotspots:
        assert set(spot) == {"index", "label", "left", "top", "radius"}
        assert not any(look.name in spot["label"] for look in film_cells().values())


def test_every_cell_has_a_distinct_keyboard_label_and_only_two_red_cells_are_asked():
    atlas = film_atlas("normal")
    labels = [spot["label"] for spot in atlas.canvas.hotspots]
    assert len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"Cell \d+ \((top|middle|bottom) (left|centre|right)\)", label) for label in labels)
    assert list(atlas.answers.values()).count("red_cell") == module.RED_CELLS_TO_NAME


def test_every_cell_name_of_the_atlas_is_offered():
    atlas = film_atlas()
    assert set(atlas.canvas.choices) == {look.name for look in film_cells().values()}


def test_hotspots_sit_inside_the_picture():
    atlas = film_atlas("cml")
    for spot in atlas.canvas.hotspots:
        assert 0 < spot["left"] < 1 and 0 < spot["top"] < 1 and 0 < spot["radius"] < 0.2


def test_the_front_end_is_a_plain_es_module_that_fetches_nothing_and_speaks_to_screen_readers():
    source = Path(module.__file__).with_name("film_atlas.js").read_text(encoding="utf-8")
    assert "export default" in source and "import " not in source
    assert "http" not in source and "fetch(" not in source
    assert 'setAttribute("aria-live", "polite")' in source
    assert "stopPropagation" in source  # keys stay in the widget in JupyterLab


def test_an_unknown_film_is_refused_naming_the_choices():
    with pytest.raises(InputValueError, match="film = 'leukemia' is not one of"):
        film_atlas("leukemia")
