"""Figures: model results drawn onto matplotlib Axes, one palette, and fast image rendering."""

from .palette import COLOURS, SERIES
from .render import BlitRenderer, course_style, freeze_layout, new_figure, png_bytes, use_projector_style

__all__ = [
    "COLOURS",
    "SERIES",
    "BlitRenderer",
    "course_style",
    "freeze_layout",
    "new_figure",
    "png_bytes",
    "use_projector_style",
]
