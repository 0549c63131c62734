"""The bleeding explorer on the live framework, kernel side: what it sends once, and Python ⇄ browser state."""

from __future__ import annotations

import base64
import itertools
import json

import numpy as np
import pytest

from petechiae_edu import bleeding_explorer
from petechiae_edu.live import LiveApp, LiveFigure, Tables, slider_grid
from petechiae_edu.live.offline import live_state, standalone_page


@pytest.fixture(scope="module")
def explorer():
    return bleeding_explorer(platelet_count=8.0)


def _lookup(tables: dict, name: str, state: dict, specs: dict) -> list:
    """What live.js looks up: the same index arithmetic, in Python (to check the tables, not the browser)."""
    table = tables[name]
    offset = 0
    for dim, size in zip(table["dims"], table["shape"], strict=True):
        spec, value = specs[dim], state[dim]
        if spec["kind"] == "slider":
            index = round((value - spec["min"]) / spec["step"])
        elif spec["kind"] == "checkbox":
            index = int(value)
        else:
            index = [option[1] for option in spec["options"]].index(value)
        offset = offset * size + index
    dtype = {"f32": "<f4", "u16": "<u2", "u8": "u1", "i32": "<i4"}[table["dtype"]]
    raw = np.frombuffer(base64.b64decode(table["data"]), dtype=dtype)[offset * table["width"] :][: table["width"]]
    return [table["vocab"][k] for k in raw] if "vocab" in table else [str(int(v)) for v in raw]


def template_text(app) -> str:
    """The description the front end builds from the template and tables for the app's current state."""
    specs = {c["name"]: c for c in app.live.spec["controls"]}
    parts = []
    for part in app.live.spec["description"]:
        if isinstance(part, str):
            parts.append(part)
        else:
            parts.append(_lookup(app.live.tables, part["table"], app.live.state, specs)[part.get("item", 0)])
    return "".join(parts)


def test_the_explorer_is_a_live_app_with_a_vector_static_layer(explorer):
    assert isinstance(explorer, LiveApp) and isinstance(explorer.live, LiveFigure)
    assert explorer.live.svg.startswith("<svg") and "<image" not in explorer.live.svg  # no bitmap inside
    for gid in ("grade2_line", "grade3_line", "grade2_band", "grade3_band", "marker_line", "marker_points"):
        assert f'id="{gid}"' in explorer.live.svg
    assert explorer.shown() == [explorer.live]


def test_the_payload_covers_every_slider_step_and_risk_factor_combination(explorer):
    risk = explorer.live.tables["risk"]
    assert risk["dims"] == ["fever", "haematocrit", "inr", "aptt", "platelets"]
    assert risk["shape"] == [2, 2, 3, 3, len(slider_grid(0.5, 150.0, 0.5))] == [2, 2, 3, 3, 300]
    spots = explorer.live.tables["spots"]
    assert spots["dims"] == ["platelets", "days", "straining"] and spots["shape"] == [300, 7, 2]
    print(f"bleeding explorer payload: {explorer.live.payload_bytes():,} bytes")
    assert explorer.live.payload_bytes() < 700_000


def test_controls_are_sent_with_label_unit_range_and_step(explorer):
    specs = {c["name"]: c for c in explorer.live.spec["controls"]}
    assert specs["platelets"] == {
        "name": "platelets", "kernel": False, "kind": "slider", "label": "Platelet count", "unit": "×10^9/L",
        "min": 0.5, "max": 150.0, "step": 0.5,
    }  # fmt: skip
    assert specs["skin_tone"]["kernel"] and "needs Python" in specs["skin_tone"]["note"]
    assert specs["inr"]["options"][0] == [explorer.inr.options[0][0], "none"]


def test_setting_a_control_in_python_moves_the_front_end_state(explorer):
    explorer.platelets.value = 20.0
    explorer.inr.value = "inr_above_1_5"
    assert explorer.live.state["platelets"] == 20.0 and explorer.live.state["inr"] == "inr_above_1_5"
    assert explorer.live.value == explorer.live.state
    explorer.inr.value = "none"


def test_a_move_in_the_browser_sets_the_python_controls_and_description(explorer):
    explorer.live.state = {**explorer.live.state, "platelets": 3.5, "fever": True}
    assert explorer.platelets.value == 3.5 and explorer.fever.value is True
    assert explorer.description.startswith("At 3.5 ×10^9/L, with fever")
    explorer.fever.value = False


STATES = list(
    itertools.product([0.5, 1.0, 7.5, 10.0, 19.5, 50.0, 150.0], [False, True], ["none", "inr_above_1_5"], [1.0, 7.0])
)


@pytest.mark.parametrize(("count", "fever", "inr", "days"), STATES)
def test_the_front_end_template_says_exactly_what_python_says(explorer, count, fever, inr, days):
    explorer.platelets.value, explorer.fever.value, explorer.inr.value, explorer.days.value = count, fever, inr, days
    explorer.straining.value = fever  # vary straining too
    assert template_text(explorer) == explorer.sentence() == explorer.description


def test_the_skin_tone_redraws_the_static_layer_from_python():
    app = bleeding_explorer(platelet_count=5)
    before = app.live.svg
    app.skin_tone.value = 6
    assert app.live.svg != before and app.live.state["skin_tone"] == 6
    assert "Fitzpatrick type VI" in template_text(app)


def test_a_table_refuses_a_shape_that_is_not_the_grid(explorer):
    tables = Tables({c["name"]: c for c in explorer.live.spec["controls"]})
    with pytest.raises(ValueError, match="leading shape"):
        tables.numbers("wrong", np.zeros(299), ["platelets"])


def test_the_offline_page_inlines_module_and_data_and_fetches_nothing(explorer):
    html = standalone_page([(live_state(explorer.live), explorer.title)], "bleeding")
    assert '<script type="module">' in html and "function render" in html and "export default" not in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    data = html.split('type="application/json" id="pe-live-state-0">')[1].split("</script>")[0]
    assert json.loads(data)["state"]["platelets"] == explorer.platelets.value


def test_in_projector_style_the_front_end_is_told_to_present():
    from petechiae_edu.figures.render import use_projector_style

    use_projector_style(True)
    try:
        app = bleeding_explorer()
    finally:
        use_projector_style(False)
    assert app.live.presentation and not bleeding_explorer().live.presentation
