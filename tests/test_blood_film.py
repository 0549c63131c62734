"""The drawn blood film (issue 17): each film draws what its data say, each cell looks as its atlas says, and a
seed always draws the same field. Statistics of the drawn objects are compared, never pixels of a snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from petechiae_edu import draw_blood_film, film_description
from petechiae_edu.content.errors import ContentError
from petechiae_edu.content.film_data import film_cells, films
from petechiae_edu.content.loader import load_schema_file
from petechiae_edu.figures.blood_film import blood_film_picture, cell_hotspots
from petechiae_edu.figures.render import png_bytes
from petechiae_edu.models.blood_film import AUER_ROD_COLOUR, lay_out_field
from petechiae_edu.models.film_shapes import rgba
from petechiae_edu.validation import InputTypeError, InputValueError

FILMS = ("normal", "aml", "apl", "all", "cll", "cml", "itp", "ttp", "edta_clumps")


def field_of(film: str, seed: int = 0):
    return lay_out_field(film, films()[film].composition(), film_cells(), seed=seed)


def radii(field, key: str) -> np.ndarray:
    return np.array([cell.radius for cell in field.cells if cell.key == key])


def auer_rods(field) -> int:
    colour = rgba(AUER_ROD_COLOUR)
    return sum(np.allclose(c, colour) for c in field.segment_colour)


def test_the_atlas_has_every_film_the_course_teaches():
    assert tuple(films()) == FILMS


@pytest.mark.parametrize("film", FILMS)
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_every_film_draws_exactly_the_cells_its_data_ask_for(film, seed):
    _, counts = draw_blood_film(film, seed=seed)
    assert counts == films()[film].composition()


@pytest.mark.parametrize("film", ["normal", "apl", "ttp"])
def test_the_same_seed_draws_the_same_field(film):
    first, second = field_of(film, seed=3), field_of(film, seed=3)
    assert first.cells == second.cells
    assert np.array_equal(first.points()[0], second.points()[0])
    assert all(np.array_equal(a, b) for a, b in zip(first.segments, second.segments, strict=True))


def test_another_seed_draws_another_field_with_the_same_cells():
    first, second = field_of("cml", seed=1), field_of("cml", seed=2)
    assert first.counts() == second.counts()
    assert [(c.x, c.y) for c in first.cells] != [(c.x, c.y) for c in second.cells]


def test_white_cells_lie_wholly_inside_the_field_and_never_overlap():
    for film in FILMS:
        field = field_of(film, seed=5)
        white = [c for c in field.cells if film_cells()[c.key].kind == "white cell"]
        for cell in white:
            assert cell.radius <= cell.x <= field.width - cell.radius
            assert cell.radius <= cell.y <= field.height - cell.radius
        for i, a in enumerate(white):
            for b in white[i + 1 :]:
                assert np.hypot(a.x - b.x, a.y - b.y) >= a.radius + b.radius


def test_red_cells_are_7_to_8_um_and_schistocytes_are_smaller_than_any_red_cell():
    field = field_of("ttp", seed=2)
    red, fragments = 2 * radii(field, "red_cell"), 2 * radii(field, "schistocyte")
    assert red.min() >= 7.0 and red.max() <= 8.0
    assert len(fragments) >= 5 and fragments.max() < red.min()


def test_an_acute_myeloid_leukaemia_field_is_mostly_large_blasts_with_one_auer_rod():
    field = field_of("aml", seed=4)
    counts = field.counts()
    blasts = counts["myeloblast"] + counts["myeloblast_auer_rod"]
    assert blasts > sum(n for k, n in counts.items() if film_cells()[k].kind == "white cell") / 2
    assert auer_rods(field) == 1
    assert 2 * radii(field, "myeloblast").min() >= 2 * 7.5  # a blast is about twice a red cell across


def test_a_faggot_cell_holds_a_bundle_of_auer_rods():
    field = field_of("apl", seed=0)
    assert field.counts()["faggot_cell"] == 1
    assert auer_rods(field) >= 5


def test_the_lymphoblasts_of_all_carry_no_auer_rods():
    assert auer_rods(field_of("all", seed=0)) == 0


def test_cll_shows_small_lymphocytes_barely_larger_than_red_cells_and_smudge_cells():
    field = field_of("cll", seed=1)
    lymphocytes, red = radii(field, "lymphocyte"), radii(field, "red_cell")
    assert field.counts()["smudge_cell"] >= 1
    assert lymphocytes.mean() < 1.3 * red.mean()


def test_cml_shows_the_myelocyte_bulge_and_a_basophil():
    counts = field_of("cml", seed=0).counts()
    assert counts["myelocyte"] + counts["metamyelocyte"] >= counts["neutrophil"]
    assert counts["basophil"] >= 1 and counts["eosinophil"] >= 1
    assert "myeloblast" not in counts  # blasts are few in chronic phase


def test_itp_shows_few_platelets_and_they_are_large():
    itp, normal = field_of("itp", seed=0), field_of("normal", seed=0)
    itp_platelets = itp.counts().get("platelet", 0) + itp.counts().get("large_platelet", 0)
    assert itp_platelets < normal.counts()["platelet"]
    assert radii(itp, "large_platelet").min() > radii(normal, "platelet").max()


def test_ttp_shows_fragments_among_normal_red_cells_and_no_platelets():
    counts = field_of("ttp", seed=0).counts()
    assert counts["schistocyte"] >= 3 and counts["red_cell"] > counts["schistocyte"]
    assert "platelet" not in counts and "large_platelet" not in counts


def test_the_edta_film_shows_platelets_in_clumps_not_singly():
    counts = field_of("edta_clumps", seed=0).counts()
    assert counts["platelet_clump"] >= 1 and "platelet" not in counts


def test_blast_chromatin_is_finer_than_a_small_lymphocytes_clumped_chromatin():
    looks = film_cells()
    blast = lay_out_field("x", {"myeloblast": 1}, looks, seed=0).points()[1]
    lymphocyte = lay_out_field("x", {"lymphocyte": 1}, looks, seed=0).points()[1]
    assert blast.mean() < 0.7 * lymphocyte.mean()


def test_the_picture_says_it_is_a_drawing_and_carries_a_scale_bar_in_micrometres():
    figure, _ = draw_blood_film("normal", seed=0)
    texts = [t.get_text() for t in figure.texts] + [t.get_text() for ax in figure.axes for t in ax.texts]
    assert any("Drawing, not a photograph" in t for t in texts)
    assert "10 µm" in texts


@pytest.mark.parametrize("film", FILMS)
def test_a_labelled_picture_names_one_example_of_each_kind_of_cell_drawn(film):
    picture = blood_film_picture(film, seed=1, labelled=True)
    labels = [t.get_text() for t in picture.axes.texts if t.get_text() != "10 µm"]
    assert sorted(labels) == sorted(film_cells()[key].name for key in picture.counts)


def test_the_description_names_every_kind_of_cell_drawn_and_says_it_is_a_drawing():
    _, counts = draw_blood_film("cml", seed=0)
    text = film_description("cml", counts)
    assert text.startswith("Drawing (not a photograph)")
    for key in counts:
        assert film_cells()[key].name in text or film_cells()[key].plural in text


def test_hotspots_land_on_the_cells_they_name():
    picture = blood_film_picture("cll", seed=0)
    png_bytes(picture.figure)
    pixels = np.asarray(picture.figure.canvas.buffer_rgba())[:, :, :3].astype(int)
    height, width = pixels.shape[:2]
    background = np.array([0xF6, 0xEF, 0xE8])
    for spot in cell_hotspots(picture):
        if spot["key"] in ("lymphocyte", "neutrophil", "smudge_cell"):
            row, column = int(spot["top"] * height), int(spot["left"] * width)
            assert np.abs(pixels[row, column] - background).sum() > 30, spot


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: draw_blood_film("leukaemia"), InputValueError, "film = 'leukaemia' is not one of"),
        (lambda: draw_blood_film("aml", seed=-1), InputValueError, "seed"),
        (lambda: draw_blood_film("aml", labelled="yes"), InputTypeError, "labelled"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_film_naming_a_cell_the_atlas_does_not_describe_is_refused(tmp_path):
    text = open_data("blood_films.toml").replace("white_cells = { neutrophil = 3,", "white_cells = { neutrofil = 3,")
    path = tmp_path / "blood_films.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="unknown cell 'neutrofil'"):
        load_schema_file(path, None)


def open_data(name: str) -> str:
    from petechiae_edu import paths

    return (paths.data_dir() / name).read_text(encoding="utf-8")
