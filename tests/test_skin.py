"""Specification of the drawn skin (petechiae_edu.models.skin, figures.skin and data/skin.toml)."""

from __future__ import annotations

import itertools
import re

import nbformat
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from petechiae_edu import content, draw_skin, paths, skin_description, skin_picture
from petechiae_edu.content.skin_data import skin_lesions, skin_sites, skin_tones
from petechiae_edu.figures.skin import lesion_patch, size_cutoffs
from petechiae_edu.models import skin as model

NON_BLANCHING = ("petechiae", "purpura", "ecchymosis", "palpable purpura")
SKIN_SITES = ("leg", "chest", "buttocks")


def _cutoffs():
    chosen = [d for d in content.lesion_size_definitions().values() if d.used_in_lessons]
    return chosen[0].petechia_below_mm, chosen[0].ecchymosis_above_mm


# --- the scale and the colours ------------------------------------------------------------------------------


def test_six_tones_named_by_fitzpatrick_type_and_coloured_by_monk_swatches():
    tones = skin_tones()
    assert list(tones) == [1, 2, 3, 4, 5, 6]
    assert [t.fitzpatrick for t in tones.values()] == ["I", "II", "III", "IV", "V", "VI"]
    monk = [t.monk_tone for t in tones.values()]
    assert monk == sorted(monk) and len(set(monk)) == 6
    assert all({"fitzpatrick1988", "monk_skin_tone_scale"} <= set(t.sources) for t in tones.values())


def test_the_skin_gets_darker_from_tone_1_to_tone_6():
    luminance = [model.relative_luminance(model.hex_to_srgb(t.srgb)) for t in skin_tones().values()]
    assert all(a > b for a, b in itertools.pairwise(luminance))


@pytest.mark.parametrize("lesion", NON_BLANCHING)
def test_petechiae_and_purpura_are_harder_to_see_on_darker_skin(lesion):
    """The contrast is measured from the model's colours, not chosen. The luminance ratio falls at every step;
    ΔE (which also counts hue) falls overall and never rises by a just-noticeable difference (2.3) between
    neighbouring tones: types I and II are both very light, II a little yellower."""
    absorbance = skin_lesions()[lesion].absorbance
    contrasts = [model.lesion_contrast(model.hex_to_srgb(t.srgb), absorbance) for t in skin_tones().values()]
    delta_e = [c.delta_e for c in contrasts]
    ratios = [c.contrast_ratio for c in contrasts]
    assert all(a > b for a, b in itertools.pairwise(ratios)), ratios
    assert all(b < a + 2.3 for a, b in itertools.pairwise(delta_e)), delta_e
    assert all(a > b for a, b in itertools.pairwise(delta_e[1:])), delta_e
    assert delta_e[0] > 3 * delta_e[-1]  # clearly visible on type I, faint on type VI
    assert delta_e[-1] > 2.3  # still there on type VI: darker, not painted out


def test_a_lesion_is_the_skin_multiplied_so_it_is_never_lighter_than_the_skin():
    for tone in skin_tones().values():
        skin = model.hex_to_srgb(tone.srgb)
        for lesion in skin_lesions().values():
            assert np.all(model.lesion_srgb(skin, lesion.absorbance) <= skin + 1e-12)


def test_on_dark_skin_petechiae_look_dark_not_bright_red():
    skin = model.hex_to_srgb(skin_tones()[6].srgb)
    colour = model.lesion_srgb(skin, skin_lesions()["petechiae"].absorbance)
    assert colour.max() < 0.2  # a dark brown-violet, nothing like the red of a petechia on light skin
    light = model.lesion_srgb(model.hex_to_srgb(skin_tones()[1].srgb), skin_lesions()["petechiae"].absorbance)
    assert light[0] > 0.5 and light[0] > 2 * light[1]


def test_mucosa_keeps_its_colour_whatever_the_skin_tone():
    light = lesion_patch("petechiae", skin_tone=1, site="palate")
    dark = lesion_patch("petechiae", skin_tone=6, site="palate")
    np.testing.assert_array_equal(light.base_srgb, dark.base_srgb)
    np.testing.assert_array_equal(light.layer_srgb, dark.layer_srgb)
    assert "same pink on every skin tone" in skin_description("petechiae", skin_tone=6, site="conjunctiva")


def test_delta_e_of_identical_colours_is_zero_and_of_black_and_white_is_100():
    assert model.delta_e([0.5, 0.4, 0.3], [0.5, 0.4, 0.3]) == pytest.approx(0)
    assert model.delta_e([0, 0, 0], [1, 1, 1]) == pytest.approx(100, abs=0.1)


# --- sizes, counts and seeds --------------------------------------------------------------------------------


def test_the_picture_uses_the_course_cut_offs_from_the_data_file():
    assert size_cutoffs() == _cutoffs()


@pytest.mark.parametrize("site", ["leg", "palate"])
def test_drawn_diameters_fall_in_the_size_band_the_cut_offs_give(site):
    petechia_below, ecchymosis_above = _cutoffs()
    petechiae = lesion_patch("petechiae", skin_tone=3, site=site, seed=5).diameters_mm
    purpura = lesion_patch("purpura", skin_tone=3, site=site, seed=5).diameters_mm
    ecchymoses = lesion_patch("ecchymosis", skin_tone=3, site=site, seed=5).diameters_mm
    assert petechiae.max() < petechia_below
    assert purpura.min() >= petechia_below and purpura.max() <= ecchymosis_above
    assert ecchymoses.min() > ecchymosis_above


def test_other_cut_offs_move_the_drawn_sizes():
    assert model.diameter_range_mm("petechia", 3.0, 10.0)[1] > model.diameter_range_mm("petechia", 2.0, 10.0)[1]
    low, high = model.diameter_range_mm("purpura", 3.0, 10.0)
    assert 3.0 <= low < high <= 10.0


def test_a_picture_draws_the_count_the_data_file_gives():
    for key, lesion in skin_lesions().items():
        assert lesion_patch(key, skin_tone=2, site="leg").count == lesion.count_on_skin
        assert lesion_patch(key, skin_tone=2, site="palate").count == lesion.count_on_mucosa


def test_the_same_seed_draws_the_same_lesions_and_another_seed_does_not():
    first = lesion_patch("purpura", skin_tone=4, site="chest", seed=3)
    again = lesion_patch("purpura", skin_tone=4, site="chest", seed=3)
    other = lesion_patch("purpura", skin_tone=4, site="chest", seed=4)
    np.testing.assert_array_equal(first.centres_mm, again.centres_mm)
    np.testing.assert_array_equal(first.diameters_mm, again.diameters_mm)
    assert not np.allclose(first.centres_mm, other.centres_mm)


def test_statistics_of_a_seeded_picture():
    patch = lesion_patch("petechiae", skin_tone=1, site="leg", seed=0)
    assert patch.count == 45
    assert 0.7 <= patch.diameters_mm.min() and patch.diameters_mm.max() < 2.0
    assert 0.9 < np.median(patch.diameters_mm) < 1.5
    assert np.all(model.points_in_polygon(patch.centres_mm, model.site_shapes("leg")["lesions"]))


def test_the_tone_changes_the_colours_but_not_where_the_lesions_are():
    light = lesion_patch("petechiae", skin_tone=1, site="leg", seed=2)
    dark = lesion_patch("petechiae", skin_tone=6, site="leg", seed=2)
    np.testing.assert_array_equal(light.centres_mm, dark.centres_mm)
    assert light.layer_srgb[-1].mean() > dark.layer_srgb[-1].mean()


def test_palpable_purpura_is_drawn_raised_and_the_others_flat():
    assert lesion_patch("palpable purpura", skin_tone=2, site="buttocks").raised
    assert not any(lesion_patch(k, skin_tone=2, site="leg").raised for k in ("petechiae", "purpura", "ecchymosis"))


# --- the glass test -----------------------------------------------------------------------------------------


def test_the_glass_empties_a_blanching_rash_under_it_and_nothing_else():
    before = lesion_patch("erythema", skin_tone=2, site="chest", seed=1)
    pressed = lesion_patch("erythema", skin_tone=2, site="chest", seed=1, glass=True)
    np.testing.assert_array_equal(before.centres_mm, pressed.centres_mm)
    assert pressed.under_glass.any() and (~pressed.under_glass).any()
    assert np.all(pressed.densities[pressed.under_glass] == 0)
    np.testing.assert_array_equal(pressed.densities[~pressed.under_glass], before.densities[~pressed.under_glass])


@pytest.mark.parametrize("lesion", NON_BLANCHING)
def test_non_blanching_lesions_stay_visible_under_the_glass(lesion):
    before = lesion_patch(lesion, skin_tone=5, site="leg", seed=1)
    pressed = lesion_patch(lesion, skin_tone=5, site="leg", seed=1, glass=True)
    np.testing.assert_array_equal(before.densities, pressed.densities)
    assert pressed.visible.all()


def test_the_glass_is_not_pressed_on_the_palate_or_the_conjunctiva():
    for site in ("palate", "conjunctiva"):
        with pytest.raises(ValueError, match="glass"):
            draw_skin("petechiae", skin_tone=2, site=site, glass=True)


# --- the picture and its text ------------------------------------------------------------------------------


@pytest.mark.parametrize("site", sorted(skin_sites()))
@pytest.mark.parametrize("lesion", sorted(skin_lesions()))
def test_every_lesion_draws_at_every_site(lesion, site):
    picture = skin_picture(lesion, skin_tone=4, site=site)
    assert isinstance(picture.figure, Figure)
    assert picture.lesion_count > 0
    collections = [c for ax in picture.figure.axes for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(collections) >= 2  # lesions are drawn as collections (one per soft-edge layer)


def test_draw_skin_returns_a_figure_that_says_it_is_a_drawing():
    figure = draw_skin("petechiae", skin_tone=6, site="leg")
    texts = [t.get_text() for t in figure.texts] + [t.get_text() for ax in figure.axes for t in ax.texts]
    assert any("Drawing, not a photograph" in text for text in texts)
    assert any(text == "10 mm" for text in texts)
    assert figure.get_label() == skin_description("petechiae", skin_tone=6, site="leg")


def test_the_glass_picture_shows_the_patch_before_and_under_the_glass():
    figure = draw_skin("erythema", skin_tone=3, site="leg", glass=True)
    assert [ax.get_title() for ax in figure.axes] == ["Before", "Glass pressed"]


def test_the_description_names_the_lesion_the_site_the_tone_the_size_and_the_glass():
    text = skin_description("purpura", skin_tone=5, site="leg", glass=True)
    assert text.startswith("Drawing, not a photograph: purpura on the front of the lower leg")
    assert "Fitzpatrick type V" in text and "mm" in text and "ΔE" in text
    assert "stay visible" in text
    assert "fades under it" in skin_description("erythema", skin_tone=5, site="leg", glass=True)


def test_the_description_does_not_depend_on_the_seed():
    first = skin_picture("petechiae", skin_tone=3, site="chest", seed=1).description
    assert first == skin_picture("petechiae", skin_tone=3, site="chest", seed=9).description
    assert first == skin_description("petechiae", skin_tone=3, site="chest")


@pytest.mark.parametrize(
    "kwargs, named",
    [
        ({"lesion": "rash", "skin_tone": 2}, "lesion"),
        ({"lesion": "petechiae", "skin_tone": 7}, "skin_tone"),
        ({"lesion": "petechiae", "skin_tone": 2.0}, "skin_tone"),
        ({"lesion": "petechiae", "skin_tone": 2, "site": "elbow"}, "site"),
        ({"lesion": "petechiae", "skin_tone": 2, "seed": -1}, "seed"),
        ({"lesion": "petechiae", "skin_tone": 2, "glass": "yes"}, "glass"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(kwargs, named):
    lesion = kwargs.pop("lesion")
    with pytest.raises(ValueError, match=named):
        draw_skin(lesion, **kwargs)


def test_a_kept_canvas_draws_each_picture_whole_with_nothing_left_from_the_last():
    from petechiae_edu.figures.skin import SkinCanvas

    canvas = SkinCanvas()
    canvas.picture("ecchymosis", skin_tone=2, site="leg", seed=1)
    again = canvas.picture("petechiae", skin_tone=5, site="chest", seed=3)
    fresh = skin_picture("petechiae", skin_tone=5, site="chest", seed=3)
    for kept, new in zip(again.figure.axes, fresh.figure.axes, strict=True):
        assert len(kept.collections) == len(new.collections)
        assert len(kept.patches) == len(new.patches) and len(kept.images) == len(new.images)
    assert (
        again.figure.texts[0].get_text()
        == fresh.figure.texts[0].get_text()
        == "Petechiae · upper chest · Fitzpatrick V"
    )
    assert again.description == fresh.description and again.lesion_count == fresh.lesion_count


# --- a rash that fades is not a safe rash (clinical review R17-1) -------------------------------------------


def test_every_picture_of_a_blanching_rash_says_that_fading_does_not_make_it_safe():
    blanching = [key for key, record in skin_lesions().items() if record.blanches]
    assert blanching, "the gallery should draw at least one blanching rash for the glass test"
    for lesion, glass in itertools.product(skin_lesions(), (False, True)):
        text = skin_description(lesion, skin_tone=4, site="leg", glass=glass)
        if lesion in blanching:
            assert "early meningococcal rash can blanch" in text
            assert "goes to hospital now, whatever the glass shows" in text
            assert "cannot make a rash safe" in text
        else:
            assert "cannot make a rash safe" not in text


def test_the_blanching_rash_look_itself_warns_and_cites_the_sources_that_say_so():
    erythema = skin_lesions()["erythema"]
    assert "meningococcal" in erythema.look
    assert {"mrf_paediatric_guide", "nhs_meningitis_symptoms", "meningitisnow_rash"} <= set(erythema.sources)


def _lesson_01_cell(heading: str) -> str:
    notebook = nbformat.read(paths.lessons_dir() / "01-petechiae.ipynb", as_version=4)
    return next(cell.source for cell in notebook.cells if cell.source.startswith(heading))


@pytest.mark.parametrize("heading", ["### The glass test, drawn", "### Instructor: solutions to the gallery"])
def test_lesson_01_says_the_glass_cannot_make_a_rash_safe(heading):
    text = _lesson_01_cell(heading)
    assert re.search(r"early meningococcal rash can blanch", text)
    assert "cannot make a rash safe" in text
    assert "mrf_paediatric_guide" in text  # the claim carries its source


def test_the_mucosa_sentence_is_about_the_drawing_not_about_life():
    text = skin_description("petechiae", skin_tone=6, site="palate")
    assert "as well on dark skin as on light skin" not in text
    assert "In the drawing the palate is the same pink" in text and "in life it is usually paler" in text
    solution = _lesson_01_cell("### Instructor: solutions to the gallery")
    assert "keeps the mucosa pink: this is why" not in solution  # the drawing is not the reason; paler places are
    assert "only in the drawing" in solution and "usually paler than dark skin" in solution


def test_an_ecchymosis_on_the_conjunctiva_is_named_a_subconjunctival_haemorrhage():
    assert "subconjunctival haemorrhage" in skin_description("ecchymosis", skin_tone=3, site="conjunctiva")
    assert "subconjunctival" not in skin_description("petechiae", skin_tone=3, site="conjunctiva")
