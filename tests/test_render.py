"""The fast figure-to-PNG path: exact pixels, opaque RGB, blitting that matches a full redraw, sharp 2x PNGs
shown at their CSS size, and the projector style's zoom."""

import io

import numpy as np
import pytest
from PIL import Image

from petechiae_edu.figures.render import (
    BlitRenderer,
    css_size,
    encode_png,
    new_figure,
    png_bytes,
    use_projector_style,
)


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


def test_png_bytes_draws_twice_the_figures_pixels_and_says_it_is_shown_at_half():
    figure = new_figure(5.0, 2.0, dpi=100)
    figure.add_subplot().plot([0, 1], [0, 1])
    png = png_bytes(figure)
    pixels = decoded(png)
    assert pixels.shape == (400, 1000, 4), "2 image pixels per CSS pixel: sharp on a high-density screen"
    assert (pixels[..., :3] < 250).any(), "the line and axes are drawn, not a blank canvas"
    assert css_size(png) == (500, 200), "shown at the figure's own size (inches x dpi) in CSS pixels"
    assert figure.dpi == 100, "the figure's own dpi is restored after drawing"


def test_a_png_at_pixel_ratio_one_is_the_figure_at_its_own_pixel_size():
    figure = new_figure(5.0, 2.0, dpi=100)
    figure.add_subplot().plot([0, 1], [0, 1])
    png = png_bytes(figure, pixel_ratio=1)
    assert decoded(png).shape == (200, 500, 4)
    assert css_size(png) == (500, 200)


def test_a_plain_png_without_a_pixel_ratio_is_shown_at_its_pixel_size():
    assert css_size(encode_png(np.zeros((3, 7, 4), dtype=np.uint8))) == (7, 3)
    assert css_size(memoryview(encode_png(np.zeros((3, 8, 4), dtype=np.uint8), pixel_ratio=2))) == (4, 1.5)


def test_css_size_refuses_bytes_that_are_not_a_png():
    with pytest.raises(ValueError, match="expected PNG bytes"):
        css_size(b"<svg></svg>")


def test_png_bytes_refuses_an_unsupported_pixel_ratio():
    with pytest.raises(ValueError, match="pixel_ratio must be 1, 2, 3 or 4"):
        png_bytes(new_figure(1, 1), pixel_ratio=0)


def _label_size_in_pixels() -> tuple[tuple[int, ...], float, float]:
    figure = new_figure(5.0, 2.0, dpi=100)
    axes = figure.add_subplot()
    label = axes.set_xlabel("platelets (×10^9/L)", fontsize=9)  # an explicit size scales too
    (line,) = axes.plot([0, 1], [0, 1])
    figure.canvas.draw()
    width = label.get_fontsize() * figure.dpi / 72  # the em size in pixels (Agg hinting rounds extents)
    shape = decoded(png_bytes(figure)).shape
    return shape, width, line.get_linewidth() * figure.dpi / 72


def test_the_projector_style_keeps_the_pixels_but_draws_larger_type_and_thicker_lines():
    plain_shape, plain_label, plain_line = _label_size_in_pixels()
    use_projector_style(True)
    try:
        projector_shape, projector_label, projector_line = _label_size_in_pixels()
    finally:
        use_projector_style(False)
    assert projector_shape == plain_shape, "the same size on the page"
    assert projector_label >= 1.25 * plain_label, "type at least 1.25x larger, also with an explicit fontsize"
    assert projector_line >= 1.8 * plain_line, "lines clearly thicker"
    assert _label_size_in_pixels()[1] == plain_label, "turning the style off restores the classroom figures"


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
    assert np.array_equal(blitted, decoded(png_bytes(figure, pixel_ratio=1)))
