"""Wiring of lesson 01's lesion gallery (petechiae_edu.widgets.skin_gallery), tested kernel-side."""

from __future__ import annotations

import pytest

from petechiae_edu import lesion_gallery, skin_description
from petechiae_edu.content.skin_data import dark_skin_advice
from petechiae_edu.widgets.app import FigureApp


@pytest.fixture(scope="module")
def gallery():
    return lesion_gallery()


def test_the_gallery_is_a_figure_app_with_a_picture_and_a_description(gallery):
    assert isinstance(gallery, FigureApp)
    assert gallery.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert gallery.description.startswith("Drawing, not a photograph: petechiae")


def test_choices_are_dropdowns_labelled_in_the_scale_words(gallery):
    assert next(label for label, _ in gallery.skin_tone.options).startswith("Fitzpatrick I (")
    assert {value for _, value in gallery.lesion.options} >= {"petechiae", "purpura", "ecchymosis", "palpable purpura"}
    assert {value for _, value in gallery.site.options} >= {"leg", "chest", "palate", "conjunctiva"}


@pytest.mark.parametrize(
    "control, value", [("lesion", "purpura"), ("skin_tone", 5), ("site", "chest"), ("glass", True)]
)
def test_each_control_changes_the_picture_and_the_description(control, value):
    app = lesion_gallery()
    before = (app.image.value, app.description)
    getattr(app, control).value = value
    assert app.image.value != before[0]
    assert app.description != before[1]


def test_the_description_is_the_picture_description(gallery):
    gallery.lesion.value, gallery.skin_tone.value, gallery.site.value = "ecchymosis", 3, "leg"
    gallery.glass.value = False
    assert gallery.description == skin_description("ecchymosis", skin_tone=3, site="leg")


def test_dark_skin_brings_where_to_look_advice_with_its_sources():
    app = lesion_gallery(skin_tone=6)
    assert "Where to look on brown or black skin" in app.description
    assert "palms" in app.description and "roof of the mouth" in app.description
    assert "(NHS" in app.description  # each piece of advice carries its references
    assert all(item.advice.split(":")[0][:30] in app.advice.value for item in dark_skin_advice())


def test_the_glass_is_disabled_where_it_cannot_be_pressed():
    app = lesion_gallery(glass=True)
    app.site.value = "palate"
    assert app.glass.disabled
    assert "glass test is done on skin" in app.description
    app.site.value = "leg"
    assert not app.glass.disabled
    assert "stay visible" in app.description


def test_going_back_to_a_picture_gives_the_same_image():
    app = lesion_gallery()
    first = app.image.value
    app.skin_tone.value = 4
    app.skin_tone.value = 1
    assert app.image.value == first


def test_a_blanching_rash_under_the_glass_says_the_glass_cannot_make_it_safe_with_its_sources():
    app = lesion_gallery(lesion="erythema", glass=True)
    assert "fades under it" in app.description
    assert "early meningococcal rash can blanch" in app.description
    assert "cannot make a rash safe" in app.description
    from petechiae_edu import citations, content

    named = [citations.source_label(content.sources()[key]) for key in ("mrf_paediatric_guide",)]
    assert f"({named[0]}; NHS; Meningitis Now)" in app.description
    app.lesion.value = "petechiae"
    assert "cannot make a rash safe" not in app.description and "stay visible" in app.description
