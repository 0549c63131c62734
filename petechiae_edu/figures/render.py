"""Figures without pyplot, and the fast path from a figure to PNG bytes.

Widgets keep one persistent figure, change only what moves, and push the PNG bytes into an
``ipywidgets.Image``. Two things dominate the cost (see DESIGN.md "Fast interaction"): drawing text and
encoding the PNG. So figures here have a fixed layout (no ``bbox_inches="tight"``), and the PNG is written
by :func:`encode_png`: RGB rows with no PNG filter, deflated at zlib level 1. Pillow picks a filter for every
row by trying them all; on the 720 × 336 bleeding explorer figure that took 7.3 ms and gave 53 KB, against
2.9 ms and 42 KB here (benchmarks/bench_bleeding.py prints both): flat plot colours compress well unfiltered.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .palette import BASE_STYLE, PROJECTOR_STYLE

FAST_PNG_COMPRESSION = 1  # zlib level: 1 is ~3x faster than the default 6 and only slightly larger
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_style = dict(BASE_STYLE)


def use_projector_style(enabled: bool = True) -> None:
    """Larger fonts and thicker lines for figures created from now on (for presenting in class)."""
    _style.clear()
    _style.update(PROJECTOR_STYLE if enabled else BASE_STYLE)


@contextmanager
def course_style() -> Iterator[None]:
    """Apply the course's matplotlib style while a figure is built."""
    with matplotlib.rc_context(_style):
        yield


def new_figure(width_inches: float = 7.0, height_inches: float = 4.0, dpi: int = 90) -> Figure:
    """A figure with its own Agg canvas (no pyplot: nothing leaks into notebook output)."""
    with course_style():
        figure = Figure(figsize=(width_inches, height_inches), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def freeze_layout(figure: Figure) -> None:
    """Compute the layout once, then keep it fixed so later redraws cost no layout work."""
    figure.canvas.draw()
    figure.set_layout_engine("none")


def png_bytes(figure: Figure, *, compression: int = FAST_PNG_COMPRESSION) -> bytes:
    """Draw the whole figure and encode it as PNG (fixed layout, cheap compression)."""
    figure.canvas.draw()
    return _encode_canvas(figure.canvas, compression)


def encode_png(rgba: np.ndarray, *, compression: int = FAST_PNG_COMPRESSION) -> bytes:
    """PNG bytes of an RGBA pixel array (height × width × 4, uint8), written as opaque RGB.

    Every row uses PNG filter 0 (none) and the pixel data is deflated at zlib ``compression`` (0–9).
    The alpha channel is dropped: course figures have an opaque white background.
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
    return b"".join(
        (_PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(rows, compression)),
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
