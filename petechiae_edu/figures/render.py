"""Figures without pyplot, and the fast path from a figure to PNG bytes.

Widgets keep one persistent figure, change only what moves, and push the PNG bytes into an
``ipywidgets.Image``. Two things dominate the cost (see DESIGN.md "Fast interaction"): drawing text and
encoding the PNG. So figures here have a fixed layout (no ``bbox_inches="tight"``), and the PNG is written
by :func:`encode_png`: RGB rows with no PNG filter, deflated at zlib level 1. Pillow picks a filter for every
row by trying them all; on the 720 × 336 bleeding explorer figure that took 7.3 ms and gave 53 KB, against
2.9 ms and 42 KB here (benchmarks/bench_bleeding.py prints both): flat plot colours compress well unfiltered.

Sharp on any screen (issue 16): :func:`png_bytes` draws the figure at ``FIGURE_PIXEL_RATIO`` (2) times its own
dpi and writes that ratio into the PNG (a ``tEXt`` chunk, :data:`PIXEL_RATIO_KEYWORD`). A figure's *CSS size* is
its size in inches times its own dpi (:func:`css_size`): whoever shows the PNG (``FigureApp.show_figure``, the
``<img>`` of a picture) gives it that width, so a high-density screen or a zoomed projector page gets 2 image
pixels per CSS pixel and never an upscaled bitmap. PNG rather than SVG because the drawn pictures (skin, films:
thousands of small patches) would make SVGs of megabytes, and because matplotlib's SVG text depends on the
browser having the figure's font; the live explorers (:mod:`petechiae_edu.live`) use SVG for their own reasons.

The projector style (:func:`use_projector_style`, turned on by ``petechiae-edu present``) zooms every figure
created afterwards by ``PROJECTOR_SCALE``: the figure keeps its size in pixels but is laid out on a canvas that
many times smaller in inches, so *all* type (also labels given an explicit ``fontsize``), lines, markers and
hatching come out that many times larger, and the constrained layout makes room for them. On top of the zoom,
:func:`png_bytes` draws the lines of such a figure ``PROJECTOR_LINE_SCALE`` times thicker (the rc style alone
would not do it: it is applied while the figure is created, and the axes and lines are added afterwards).
"""

from __future__ import annotations

import struct
import weakref
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .palette import BASE_STYLE, PROJECTOR_LINE_SCALE, PROJECTOR_SCALE, PROJECTOR_STYLE

FAST_PNG_COMPRESSION = 1  # zlib level: 1 is ~3x faster than the default 6 and only slightly larger
FIGURE_PIXEL_RATIO = 2  # image pixels per CSS pixel of a figure PNG (2: sharp on high-density screens)
PIXEL_RATIO_KEYWORD = b"petechiae-edu:pixel-ratio"  # the tEXt chunk that carries it
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_style = dict(BASE_STYLE)
_zoom = [1.0]  # PROJECTOR_SCALE while the projector style is on
_projector_figures: weakref.WeakSet[Figure] = weakref.WeakSet()  # made in the projector style
_thickened: weakref.WeakSet[Artist] = weakref.WeakSet()  # lines already drawn thicker (never twice)


def use_projector_style(enabled: bool = True) -> None:
    """Larger type and thicker lines for figures created from now on (for presenting in class).

    Every figure made by :func:`new_figure` afterwards is zoomed by ``PROJECTOR_SCALE`` (same size in pixels,
    everything drawn in points that many times larger) and drawn with the projector rc style.
    """
    _style.clear()
    _style.update(PROJECTOR_STYLE if enabled else BASE_STYLE)
    _zoom[0] = PROJECTOR_SCALE if enabled else 1.0


def projector_style_on() -> bool:
    """Whether figures created now get the projector style."""
    return _zoom[0] != 1.0


@contextmanager
def course_style() -> Iterator[None]:
    """Apply the course's matplotlib style while a figure is built."""
    with matplotlib.rc_context(_style):
        yield


def new_figure(width_inches: float = 7.0, height_inches: float = 4.0, dpi: float = 90) -> Figure:
    """A figure with its own Agg canvas (no pyplot: nothing leaks into notebook output).

    Its CSS size is ``width_inches × dpi`` by ``height_inches × dpi`` pixels, in the projector style too (there the
    inches shrink and the dpi grows by ``PROJECTOR_SCALE``, so type and lines are larger relative to the figure).
    """
    zoom = _zoom[0]
    with course_style():
        figure = Figure(figsize=(width_inches / zoom, height_inches / zoom), dpi=dpi * zoom, layout="constrained")
    if zoom != 1.0:
        _projector_figures.add(figure)
    FigureCanvasAgg(figure)
    return figure


def freeze_layout(figure: Figure) -> None:
    """Compute the layout once, then keep it fixed so later redraws cost no layout work."""
    figure.canvas.draw()
    figure.set_layout_engine("none")


def png_bytes(
    figure: Figure, *, compression: int = FAST_PNG_COMPRESSION, pixel_ratio: int = FIGURE_PIXEL_RATIO
) -> bytes:
    """Draw the whole figure at ``pixel_ratio`` × its dpi and encode it as PNG (cheap compression).

    The PNG carries ``pixel_ratio`` (see :func:`css_size`); the figure's own dpi is restored afterwards, so a
    persistent figure (or a :class:`BlitRenderer` on it) is left as it was.
    """
    if pixel_ratio not in (1, 2, 3, 4):
        raise ValueError(f"pixel_ratio must be 1, 2, 3 or 4 image pixels per CSS pixel, got {pixel_ratio!r}")
    if figure in _projector_figures:
        _thicken_lines(figure)
    dpi = figure.dpi
    try:
        if pixel_ratio != 1:
            figure.set_dpi(dpi * pixel_ratio)
        figure.canvas.draw()
        return encode_png(np.asarray(figure.canvas.buffer_rgba()), compression=compression, pixel_ratio=pixel_ratio)
    finally:
        if pixel_ratio != 1:
            figure.set_dpi(dpi)


def _thicken_lines(figure: Figure) -> None:
    """Draw the lines of a projector figure ``PROJECTOR_LINE_SCALE`` times thicker (each line once)."""
    for line in figure.findobj(Line2D):
        if line not in _thickened:
            line.set_linewidth(line.get_linewidth() * PROJECTOR_LINE_SCALE)
            _thickened.add(line)


def css_size(png: bytes | memoryview) -> tuple[float, float]:
    """The (width, height) in CSS pixels at which a PNG should be shown: its pixels over its pixel ratio.

    The ratio is the one :func:`png_bytes` wrote (1 for a PNG that carries none). Raises ``ValueError`` for bytes
    that are not a PNG. Accepts any bytes-like value (an ``ipywidgets.Image`` value is a ``memoryview``).
    """
    png = bytes(png)
    if png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise ValueError(f"css_size: expected PNG bytes, got {png[:16]!r}")
    width, height = struct.unpack(">II", png[16:24])
    ratio = 1
    position = 8
    while position + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        if kind == b"tEXt":
            keyword, _, value = png[position + 8 : position + 8 + length].partition(b"\0")
            if keyword == PIXEL_RATIO_KEYWORD and value.isdigit() and int(value) > 0:
                ratio = int(value)
                break
        if kind in (b"IDAT", b"IEND"):
            break
        position += 12 + length
    return width / ratio, height / ratio


def encode_png(rgba: np.ndarray, *, compression: int = FAST_PNG_COMPRESSION, pixel_ratio: int = 1) -> bytes:
    """PNG bytes of an RGBA pixel array (height × width × 4, uint8), written as opaque RGB.

    Every row uses PNG filter 0 (none) and the pixel data is deflated at zlib ``compression`` (0–9).
    The alpha channel is dropped: course figures have an opaque white background. A ``pixel_ratio`` above 1 is
    written as a ``tEXt`` chunk (image pixels per CSS pixel, read back by :func:`css_size`).
    """
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"expected an RGBA uint8 array of shape (height, width, 4), got {rgba.dtype} {rgba.shape}")
    if not 0 <= compression <= 9:
        raise ValueError(f"compression must be a zlib level 0–9, got {compression!r}")
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) for every row
    rows[:, 1:].reshape(height, width, 3)[...] = rgba[:, :, :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, deflate, no interlace
    ratio = _chunk(b"tEXt", PIXEL_RATIO_KEYWORD + b"\0" + str(pixel_ratio).encode()) if pixel_ratio != 1 else b""
    return b"".join(
        (_PNG_SIGNATURE, _chunk(b"IHDR", header), ratio, _chunk(b"IDAT", zlib.compress(rows, compression)),
         _chunk(b"IEND", b""))
    )  # fmt: skip


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class BlitRenderer:
    """Redraw only the moving artists of a persistent figure, then encode it.

    The static parts (axes, labels, data points, bands) are drawn once into a cached background; each update
    restores that background, draws the animated artists and encodes the canvas buffer.
    """

    def __init__(self, figure: Figure, animated: Sequence[Artist], *, compression: int = FAST_PNG_COMPRESSION):
        self.figure = figure
        self.animated = list(animated)
        self.compression = compression
        for artist in self.animated:
            artist.set_animated(True)
        freeze_layout(figure)
        self._background = None
        self.refresh_background()

    def refresh_background(self) -> None:
        """Redraw the static parts (call after changing anything that is not animated)."""
        canvas = self.figure.canvas
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.figure.bbox)

    def render(self) -> bytes:
        """Draw the animated artists over the cached background and return PNG bytes."""
        canvas = self.figure.canvas
        canvas.restore_region(self._background)
        for artist in self.animated:
            self.figure.draw_artist(artist)
        return _encode_canvas(canvas, self.compression)


def _encode_canvas(canvas: FigureCanvasAgg, compression: int) -> bytes:
    """PNG-encode what the Agg buffer holds now, without drawing again."""
    return encode_png(np.asarray(canvas.buffer_rgba()), compression=compression)
