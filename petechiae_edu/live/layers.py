"""The static layer of a live figure: matplotlib's SVG, and each axes' data-to-SVG transform.

The SVG is rendered with text as ``<text>`` (``svg.fonttype = "none"``: small, sharp and selectable) and a fixed
hash salt and no date, so the same figure always gives the same bytes. Artists that move carry a ``gid``; the
front end rewrites their path data (``d``) or marker positions, keeping matplotlib's own style, clip path and
hatching. The transform of an axis is ``svg = a + b * v`` with ``v`` the value (linear) or its log10 (log axis), in
the SVG's own coordinates (points, y down), so it holds at any zoom.
"""

from __future__ import annotations

import io
import math

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": "petechiae-edu", "svg.image_inline": True}


def svg_layer(figure: Figure) -> str:
    """The figure as an SVG element (no XML prolog), its moving artists included at their current state."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    start, end = text.find("<metadata>"), text.find("</metadata>")  # RDF namespaces only: drop them
    return text[:start] + text[end + len("</metadata>") :] if 0 <= start < end else text


def _axis(scale: str, low: float, high: float, svg_low: float, svg_high: float) -> list:
    log = scale == "log"
    v0, v1 = (math.log10(low), math.log10(high)) if log else (low, high)
    b = (svg_high - svg_low) / (v1 - v0)
    return ["log" if log else "linear", svg_low - b * v0, b, [low, high]]


def axes_transform(ax: Axes, *, draw: bool = True) -> dict:
    """``{"x": [scale, a, b, [low, high]], "y": [...], "box": [x0, y0, x1, y1]}`` in SVG coordinates (points).

    Only linear and log axes are supported (what the course draws); any other scale is refused by name.
    ``draw=False`` skips drawing the figure first: for a figure just drawn (e.g. by :func:`svg_layer`) whose
    layout is frozen, the transform is then the one the SVG was drawn with.
    """
    figure = ax.figure
    if draw:
        figure.canvas.draw()  # fix the layout, so the transform is the one the SVG was drawn with
    scale_of_points = 72.0 / figure.dpi
    height = figure.bbox.height
    (x0, y0), (x1, y1) = ax.transAxes.transform([(0, 0), (1, 1)])
    spec = {}
    for name, limits, (d0, d1) in (("x", ax.get_xlim(), (x0, x1)), ("y", ax.get_ylim(), (y0, y1))):
        scale = ax.get_xscale() if name == "x" else ax.get_yscale()
        if scale not in ("linear", "log"):
            raise ValueError(f"axes_transform: {name} axis scale {scale!r} is not supported; expected linear or log")
        if name == "x":
            spec[name] = _axis(scale, *limits, d0 * scale_of_points, d1 * scale_of_points)
        else:
            spec[name] = _axis(scale, *limits, (height - d0) * scale_of_points, (height - d1) * scale_of_points)
    spec["box"] = [
        x0 * scale_of_points,
        (height - y1) * scale_of_points,
        x1 * scale_of_points,
        (height - y0) * scale_of_points,
    ]
    return spec
