"""The body outline of the bleeding explorer and the petechiae model's geometry (figures.body, models.petechiae)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from petechiae_edu import bleeding_explorer
from petechiae_edu.figures.bleeding import draw_body_map
from petechiae_edu.figures.body import body_outline_path, spot_colour
from petechiae_edu.figures.render import new_figure
from petechiae_edu.models.petechiae import NIPPLE_LINE, REGIONS, PetechiaeSampler, poisson_quantile, region

# Spot counts per region drawn by the scipy.stats.poisson version of the sampler (before issue 15 removed scipy
# at run time), for (seed, platelet count ×10^9/L, days, straining): the numpy version must give the same.
SCIPY_COUNTS = {
    (7, 0.5, 7, True): (329, 132, 198, 288, 410),
    (7, 8, 3, False): (23, 55, 81, 112, 161),
    (7, 8, 3, True): (132, 55, 81, 112, 161),
    (7, 20, 3, False): (4, 11, 15, 17, 25),
    (4, 3, 5, False): (62, 117, 204, 272, 414),
    (4, 50, 7, True): (5, 1, 3, 1, 4),
    (11, 20, 3, False): (2, 8, 13, 14, 23),
    (11, 50, 7, True): (1, 1, 2, 0, 2),
    (11, 150, 7, False): (0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("case, expected", SCIPY_COUNTS.items())
def test_spot_counts_are_unchanged_from_the_scipy_version(case, expected):
    seed, count, days, straining = case
    sample = PetechiaeSampler(seed).sample(count, days, straining=straining)
    assert tuple(sample.counts_by_region[r.key] for r in REGIONS) == expected


def test_the_numpy_poisson_quantile_agrees_with_scipy():
    poisson = pytest.importorskip("scipy.stats").poisson
    rng = np.random.default_rng(0)
    for mean in np.concatenate([rng.uniform(0.01, 5, 60), rng.uniform(5, 800, 60)]):
        for probability in rng.uniform(0.05, 0.95, 5):
            assert poisson_quantile(probability, mean) == int(poisson.ppf(probability, mean))


def test_the_poisson_quantile_refuses_nonsense():
    with pytest.raises(ValueError):
        poisson_quantile(1.5, 3.0)
    with pytest.raises(ValueError):
        poisson_quantile(0.5, -1.0)


def test_every_petechiae_region_lies_inside_the_body_outline():
    outline = body_outline_path()
    sampler = PetechiaeSampler(seed=3)
    for r in REGIONS:
        for polygon in r.polygons:
            assert outline.contains_points(polygon).all(), f"a corner of region {r.key} is outside the body"
        pool = sampler._pool[r.key]
        assert outline.contains_points(pool).all(), f"spots of region {r.key} fall outside the body"


def test_regions_sit_where_their_names_say():
    assert all(p[:, 1].min() >= NIPPLE_LINE - 1e-9 for p in region("face_neck_chest").polygons)
    assert all(p[:, 1].max() <= NIPPLE_LINE + 1e-9 for p in region("trunk").polygons)
    lower_legs = np.vstack(region("lower_legs").polygons)
    thighs = np.vstack(region("thighs").polygons)
    assert lower_legs[:, 1].max() <= thighs[:, 1].min() + 1e-9  # below the knee


def test_the_body_is_a_smooth_spline_not_a_set_of_boxes():
    path = body_outline_path()
    assert (path.codes == path.CURVE4).sum() > 100
    width = path.vertices[:, 0].max() - path.vertices[:, 0].min()
    height = path.vertices[:, 1].max() - path.vertices[:, 1].min()
    assert 0.3 < width / height < 0.45  # a human front view, arms by the sides


def test_the_body_map_returns_the_spots_in_the_colour_of_a_petechia_on_that_skin():
    figure = new_figure(3, 5)
    light = draw_body_map(figure.add_subplot(1, 2, 1), skin_tone=1)
    dark = draw_body_map(figure.add_subplot(1, 2, 2), skin_tone=6)
    assert isinstance(light, PathCollection)
    np.testing.assert_allclose(light.get_facecolor()[0][:3], spot_colour(1))
    assert light.get_facecolor()[0][:3].sum() > dark.get_facecolor()[0][:3].sum()


def test_the_skin_tone_dropdown_redraws_the_body_and_says_so():
    app = bleeding_explorer(platelet_count=5)
    before = (app.live.svg, app.description)  # the body is in the static SVG layer, redrawn from Python
    assert "Fitzpatrick" in app.skin_tone.description
    assert all("Fitzpatrick" in label for label, _ in app.skin_tone.options)
    app.skin_tone.value = 6
    assert app.live.svg != before[0]
    assert "Fitzpatrick type VI" in app.description and "Fitzpatrick type VI" not in before[1]
    count_text = before[1].split("the body shows ")[1].split(" petechiae")[0]
    assert f"the body shows {count_text} petechiae" in app.description  # the tone changes colour, not numbers


def test_a_skin_tone_off_the_scale_is_refused_by_name():
    figure = new_figure(3, 5)
    with pytest.raises(ValueError, match="skin_tone"):
        draw_body_map(figure.add_subplot(), skin_tone=7)
