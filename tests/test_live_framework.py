"""The live framework, kernel side: a browser-side Play for sliders, one draw per start, one message per start."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from petechiae_edu.live import LiveApp
from petechiae_edu.widgets.controls import labelled_slider


class Tiny(LiveApp):
    """A one-slider live figure: a vertical line at the slider's value."""

    def __init__(self, top: float = 10.0, *, play: bool = True) -> None:
        super().__init__("Tiny")
        self.day = labelled_slider("Day", minimum=0.0, maximum=top, step=1.0, value=0.0, unit="days")
        self.flag = widgets.Checkbox(value=False, description="Flag")
        self.bind("day", self.day, play_interval_ms=200 if play else None, play_label="Play the days")
        self.bind("flag", self.flag)
        self.controls = [self.day.box, self.flag]
        self.send(top)

    def send(self, top: float) -> None:
        figure = Figure(figsize=(4, 3), layout="constrained")
        ax = figure.add_subplot()
        ax.set_xlim(0, top)
        ax.axvline(0, color="k").set_gid("day_line")
        self.start(
            figure,
            axes={"main": ax},
            rows=[["day"], ["flag"]],
            marks=[{"kind": "vline", "gid": "day_line", "axes": "main", "x": {"control": "day"}}],
            description=["Day ", {"control": "day"}, "."],
            tables=self.tables(),
        )

    def update(self) -> None:
        self.describe(f"Day {self.day.value:g}.")


def test_a_slider_bound_with_a_play_interval_gets_a_browser_side_play_button_spec():
    app = Tiny()
    day = next(spec for spec in app.live.spec["controls"] if spec["name"] == "day")
    assert day["play"] == {"interval_ms": 200.0, "step_count": 1, "label": "Play the days"}
    assert "play" not in next(spec for spec in app.live.spec["controls"] if spec["name"] == "flag")
    assert "play" not in Tiny(play=False).live.spec["controls"][0]


@pytest.mark.parametrize("interval", [0, 5, 20_000, float("nan"), "fast"])
def test_a_play_interval_outside_16_to_10000_ms_is_refused_by_name(interval):
    app = Tiny()
    with pytest.raises(ValueError, match=r"play interval_ms for 'other'.*16 to 10000 milliseconds"):
        app.bind(
            "other",
            labelled_slider("Other", minimum=0, maximum=1, step=0.5, value=0, unit="mm"),
            play_interval_ms=interval,
        )


def test_only_a_slider_can_play():
    app = Tiny()
    with pytest.raises(ValueError, match="only a slider can play, got a checkbox"):
        app.bind("tick", widgets.Checkbox(description="Tick"), play_interval_ms=100)


def test_start_renders_the_figure_once_and_draws_no_raster(monkeypatch):
    raster_draws, svg_renders = [], []
    real_draw, real_savefig = FigureCanvasAgg.draw, Figure.savefig
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda canvas: raster_draws.append(1) or real_draw(canvas))
    monkeypatch.setattr(
        Figure, "savefig", lambda fig, *a, **k: svg_renders.append(k.get("format")) or real_savefig(fig, *a, **k)
    )
    app = Tiny()
    assert svg_renders == ["svg"] and raster_draws == []
    assert (
        app.figure.get_layout_engine() is None
        or app.figure.get_layout_engine().__class__.__name__ == "PlaceHolderLayoutEngine"
    )


def test_the_exported_transform_is_the_one_the_svg_was_drawn_with():
    from petechiae_edu.live.layers import axes_transform

    app = Tiny()
    ax = app.figure.axes[0]
    assert axes_transform(ax, draw=True) == app.live.spec["axes"]["main"]


def test_a_new_start_sends_spec_tables_svg_and_state_in_one_message(monkeypatch):
    app = Tiny(top=10.0)
    sent: list = []
    monkeypatch.setattr(app.live, "send_state", lambda key=None: sent.append(set(key or ())))
    app.send(60.0)
    assert len(sent) == 1, sent  # one message: the front end rebuilds once, from a consistent spec + layer + tables
    assert {"spec", "svg"} <= sent[0]  # (tables and state unchanged here: not re-sent)
    assert app.live.spec["axes"]["main"]["x"][3] == [0.0, 60.0]
