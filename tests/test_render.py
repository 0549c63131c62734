"""The fast figure-to-PNG path: exact pixels, opaque RGB, and blitting that matches a full redraw."""

import io

import numpy as np
import pytest
from PIL import Image

from petechiae_edu.figures.render import BlitRenderer, encode_png, new_figure, png_bytes


def decoded(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGBA"))


def test_encode_png_keeps_every_pixel_exactly():
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    assert np.array_equal(decoded(encode_png(rgba)), rgba)


def test_encode_png_writes_opaque_rgb_of_the_right_size():
    rgba = np.full((10, 20, 4), 200, dtype=np.uint8)
    with Image.open(io.BytesIO(encode_png(rgba))) as image:
        assert (image.mode, image.size) == ("RGB", (20, 10))


@pytest.mark.parametrize("level", [0, 1, 9])
def test_every_zlib_level_decodes_to_the_same_pixels(level):
    rgba = np.zeros((8, 8, 4), dtype=np.uint8)
    rgba[::2, ::3] = (255, 128, 0, 255)
    rgba[..., 3] = 255
    assert np.array_equal(decoded(encode_png(rgba, compression=level)), rgba)


def test_higher_compression_gives_smaller_files_for_plot_like_images():
    figure = new_figure(4, 3)
    figure.add_subplot().plot([0, 1, 2], [2, 0, 1])
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())
    assert len(encode_png(pixels, compression=9)) < len(encode_png(pixels, compression=0))


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.zeros((4, 4, 3), dtype=np.uint8), "RGBA"),
        (np.zeros((4, 4, 4), dtype=np.float32), "RGBA"),
        (np.zeros((4, 4), dtype=np.uint8), "RGBA"),
    ],
)
def test_encode_png_rejects_arrays_that_are_not_rgba_bytes(array, message):
    with pytest.raises(ValueError, match=message):
        encode_png(array)


def test_encode_png_rejects_a_compression_level_outside_zlib_range():
    with pytest.raises(ValueError, match="0–9, got 12"):
        encode_png(np.zeros((2, 2, 4), dtype=np.uint8), compression=12)


def test_png_bytes_shows_the_figure_at_its_own_pixel_size():
    figure = new_figure(5.0, 2.0, dpi=100)
    figure.add_subplot().plot([0, 1], [0, 1])
    pixels = decoded(png_bytes(figure))
    assert pixels.shape == (200, 500, 4)
    assert (pixels[..., :3] < 250).any(), "the line and axes are drawn, not a blank canvas"


def test_a_blitted_update_gives_the_same_pixels_as_a_full_redraw():
    figure = new_figure(4, 3)
    axes = figure.add_subplot()
    axes.plot([0, 10], [0, 10], color="grey")
    (marker,) = axes.plot([2], [2], "o", color="black")
    axes.set_xlim(0, 10)
    axes.set_ylim(0, 10)
    renderer = BlitRenderer(figure, [marker])
    marker.set_data([7], [3])
    blitted = decoded(renderer.render())
    marker.set_animated(False)
    assert np.array_equal(blitted, decoded(png_bytes(figure)))
