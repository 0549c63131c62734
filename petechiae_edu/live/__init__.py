"""Explorers that move in the browser: Python computes once, the front end looks up.

Why this design (issue 16)
    A kernel round trip per slider move (redraw, PNG, send) costs 35–350 ms and dies in an exported handout. So
    an explorer sends, once, everything a student can reach, and the browser only looks it up:

    - the **static layer** is the figure rendered by matplotlib as **SVG** (:func:`svg_layer`): axes, labels,
      bands, published points stay matplotlib's (one drawing engine, the course's palette), and vector output
      is sharp at any zoom and on a projector. SVG was chosen over a device-pixel-ratio raster because the
      moving artists are in it too, with a ``gid``: the front end rewrites their path data or marker positions
      and keeps matplotlib's own colours, dashes, hatching and clip paths, so nothing is styled twice;
    - each axes' **data-to-SVG transform** (:func:`axes_transform`, linear or log, in the SVG's coordinates);
    - the **controls** as specs derived from the ipywidgets controls that hold the values in Python;
    - **tables** (:class:`Tables`) over the slider grid and every combination of the categorical controls. The
      sentence the description shows is assembled from *Python-made strings*, so the browser never formats or
      rounds a number and its text equals Python's ``sentence()`` exactly (a browser test checks it);
    - a **template** for the description and the list of **marks** (what moves, and from which table).

    ``live.js`` (one plain ES module, no build step, nothing fetched) draws native range inputs with a typed
    twin, keeps key presses inside the widget (``stopPropagation``: JupyterLab's notebook shortcuts never see
    the arrows), moves the marks and rewrites the live-region description on each input with no kernel
    round trip, and sends the control values back (``state``, after the frame is painted) so Python code and
    tests keep reading and setting ``.value``. A slider may have a browser-side **Play** button (``bind(...,
    play_interval_ms=...)``) that steps it with no kernel, in a handout too. When Python calls ``start`` again or
    changes the spec, the front end rebuilds its controls, transforms and marks from the new one. A control
    whose state space is too large to precompute is bound with ``kernel=True``: it redraws the static layer
    from Python (:meth:`LiveApp.redraw`), and in a handout (no kernel) it is disabled with a visible note.
    ``petechiae_edu.live.offline`` writes a live figure into a standalone page (inline module, inline data, a
    small fake model with anywidget's ``get/set/on/save_changes``) that runs from file://.

The contract for porting an explorer: /work/brief16/live-api.md (mirrored in :class:`LiveApp`'s docstring), the
reference port is :mod:`petechiae_edu.widgets.bleeding`.
"""

from __future__ import annotations

from .layers import axes_transform, svg_layer
from .tables import Tables, slider_grid
from .widget import KIND, LiveApp, LiveFigure, control_spec

__all__ = ["KIND", "LiveApp", "LiveFigure", "Tables", "axes_transform", "control_spec", "slider_grid", "svg_layer"]
