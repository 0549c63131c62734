"""The live figure (an anywidget) and :class:`LiveApp`, the base of explorers whose motion lives in the browser."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..widgets.app import DescribedApp
from ..widgets.controls import LabelledSlider
from .layers import axes_transform, svg_layer
from .tables import Tables

ESM_PATH = Path(__file__).with_name("live.js")
KIND = "petechiae-edu-live"  # the export finds live figures in a notebook's widget state by this
DEFAULT_KERNEL_NOTE = "Needs Python: open the lesson in Jupyter to change this."


class LiveFigure(anywidget.AnyWidget):
    """Static SVG + control specs + look-up tables, sent once; ``state`` (control name -> value) syncs both ways."""

    _esm = ESM_PATH.read_text(encoding="utf-8")
    kind = traitlets.Unicode(KIND).tag(sync=True)
    svg = traitlets.Unicode("").tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)  # name, controls, rows, axes, marks, description
    tables = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    presentation = traitlets.Bool(False).tag(sync=True)
    offline = traitlets.Bool(False).tag(sync=True)  # True only in an exported page (kernel controls disabled)

    @property
    def value(self) -> dict:
        """The control values shown now (as other shown widgets expose ``value``)."""
        return dict(self.state)

    def payload_bytes(self) -> int:
        """Bytes of what is sent once: the SVG, the spec and the tables (as JSON)."""
        import json

        return len(self.svg.encode()) + len(json.dumps(self.spec)) + len(json.dumps(self.tables))


def play_spec(name: str, interval_ms: float, label: str | None, step_count: int = 1) -> dict:
    """A browser-side Play for slider ``name``: one step of ``step_count`` slider steps every ``interval_ms`` ms."""
    if not (isinstance(interval_ms, (int, float)) and 16 <= interval_ms <= 10_000):
        raise ValueError(f"play interval_ms for {name!r} = {interval_ms!r}: expected 16 to 10000 milliseconds")
    if not (isinstance(step_count, int) and step_count >= 1):
        raise ValueError(f"play step_count for {name!r} = {step_count!r}: expected a whole number of steps >= 1")
    spec: dict[str, Any] = {"interval_ms": float(interval_ms), "step_count": step_count}
    if label:
        spec["label"] = label
    return spec


def control_spec(
    name: str, control: Any, *, kernel: bool = False, note: str | None = None, play: dict | None = None
) -> dict:
    """The front end's description of a bound control, read from the ipywidgets control that holds its value.

    ``play`` (sliders only; see :func:`play_spec`) adds a Play/Pause button that steps the slider in the browser.
    """
    spec: dict[str, Any] = {"name": name, "kernel": kernel}
    if kernel:
        spec["note"] = note or DEFAULT_KERNEL_NOTE
    if isinstance(control, LabelledSlider):
        label = control.slider.description
        label, _, unit = label.rpartition(" (")
        spec.update(
            kind="slider",
            label=label,
            unit=unit.rstrip(")"),
            min=float(control.slider.min),
            max=float(control.slider.max),
            step=float(control.slider.step),
        )
    elif isinstance(control, widgets.Checkbox):
        spec.update(kind="checkbox", label=control.description)
    elif isinstance(control, widgets.Dropdown):
        spec.update(
            kind="dropdown",
            label=control.description.rstrip(":"),
            options=[[str(label), value] for label, value in control.options],
        )
    else:
        raise TypeError(
            f"control {name!r}: {type(control).__name__} cannot be bound; use a labelled slider, "
            "a Checkbox or a Dropdown"
        )
    if play is not None:
        if spec["kind"] != "slider":
            raise ValueError(f"play for {name!r}: only a slider can play, got a {spec['kind']}")
        spec["play"] = play
    return spec


class LiveApp(DescribedApp):
    """An app whose figure moves in the browser: bind controls, then :meth:`start` with the figure and tables.

    The ipywidgets controls stay the Python-side holders of the values (tests and scenarios set ``.value``); the
    front end draws its own controls from them and keeps them in step through ``live.state``. Subclasses
    implement :meth:`update` (recompute the description in Python) and optionally :meth:`on_kernel_control`.
    """

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.live = LiveFigure()
        self.bound: dict[str, Any] = {}
        self.control_specs: dict[str, dict] = {}
        self._syncing = False
        self.live.observe(self._from_front_end, names="state")

    def bind(
        self,
        name: str,
        control: Any,
        *,
        kernel: bool = False,
        note: str | None = None,
        play_interval_ms: float | None = None,
        play_label: str | None = None,
        play_step_count: int = 1,
    ) -> None:
        """Register ``control`` under ``name``; ``kernel=True`` marks a control whose change needs Python.

        ``play_interval_ms`` (a slider only) adds a browser-side Play/Pause button (``play_label`` is its
        accessible name) that moves the slider ``play_step_count`` steps every ``play_interval_ms``
        milliseconds and stops at the end; it needs no kernel, so it plays in a handout too.
        """
        play = None if play_interval_ms is None else play_spec(name, play_interval_ms, play_label, play_step_count)
        self.bound[name] = control
        self.control_specs[name] = control_spec(name, control, kernel=kernel, note=note, play=play)
        target = control.slider if isinstance(control, LabelledSlider) else control
        target.observe(lambda _change, name=name: self._from_python(name), names="value")

    def tables(self) -> Tables:
        """An empty table set indexed by the bound controls."""
        return Tables(self.control_specs)

    def current_state(self) -> dict[str, Any]:
        """The bound controls' values (slider values as floats, as the front end sends them)."""
        return {
            name: float(control.value) if self.control_specs[name]["kind"] == "slider" else control.value
            for name, control in self.bound.items()
        }

    def start(
        self,
        figure: Figure,
        *,
        axes: dict[str, Axes],
        rows: Sequence[Sequence[str]],
        marks: list[dict],
        description: list,
        tables: Tables | dict,
    ) -> None:
        """Send the static layer, specs and tables once, then show the current state.

        The figure is drawn once: rendering the SVG runs its layout engine, the layout is then frozen and
        each axes' transform read from it without another draw. Everything goes to the front end in one
        message, so calling ``start`` again (a new patient, a new preset) replaces spec, layer and tables at once.
        """
        from ..figures import render
        from ..figures.palette import PROJECTOR_STYLE

        svg = svg_layer(figure)
        figure.set_layout_engine("none")  # the layout the SVG was drawn with stays (what freeze_layout does)
        spec = {
            "name": type(self).__name__,
            "controls": [self.control_specs[name] for name in self.bound],
            "rows": [list(row) for row in rows],
            "axes": {name: axes_transform(ax, draw=False) for name, ax in axes.items()},
            "marks": marks,
            "description": description,
        }
        self.figure = figure
        with self.live.hold_sync():
            self.live.spec = spec
            self.live.tables = tables.tables if isinstance(tables, Tables) else tables
            self.live.svg = svg
            self.live.presentation = render._style == dict(PROJECTOR_STYLE)
            self._from_python(None)

    def redraw(self, figure: Figure) -> None:
        """A kernel path: re-render the static layer (e.g. after a change that was not precomputed)."""
        self.live.svg = svg_layer(figure)

    def _from_python(self, name: str | None) -> None:
        if self._syncing:
            return
        if name is not None and self.control_specs[name]["kernel"]:
            self.on_kernel_control(name)
        self.update()
        self._syncing = True
        try:
            self.live.state = self.current_state()
        finally:
            self._syncing = False

    def _from_front_end(self, change) -> None:
        if self._syncing:
            return
        new = change["new"]
        self._syncing = True
        kernel_changes = []
        try:
            for name, value in new.items():
                control = self.bound.get(name)
                if control is not None and control.value != value:
                    control.value = value
                    if self.control_specs[name]["kernel"]:
                        kernel_changes.append(name)
        finally:
            self._syncing = False
        for name in kernel_changes:
            self.on_kernel_control(name)
        self.update()

    def on_kernel_control(self, name: str) -> None:
        """A control bound with ``kernel=True`` changed: redraw what the tables do not cover."""

    def update(self) -> None:
        """Recompute the description (and anything kernel-side) for the current control values."""
        raise NotImplementedError

    def shown(self) -> list[widgets.Widget]:
        return [self.live]

    @property
    def widget(self) -> widgets.VBox:
        """Title and the live figure (its own controls and description live region inside)."""
        from html import escape

        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        return widgets.VBox([heading, self.live])
