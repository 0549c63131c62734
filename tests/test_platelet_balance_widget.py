"""Lesson 02's explorer: the platelet reference range from the content store (no silent fallback), and the live
figure (tables over production × survival, the spleen share on the kernel path)."""

from __future__ import annotations

import itertools

import pytest
from live_template import lookup, template_text

from petechiae_edu import content, platelet_balance_explorer
from petechiae_edu.content.errors import ContentError
from petechiae_edu.live import LiveApp
from petechiae_edu.widgets import platelet_balance


def test_the_explorer_shows_the_adult_platelet_range_of_the_data_file():
    record = content.reference_ranges()["platelets"]
    assert platelet_balance.platelet_reference_range() == ((record.low, record.high), tuple(record.sources))
    app = platelet_balance_explorer()
    assert app.reference_range == (record.low, record.high)
    assert f"{record.low:g}–{record.high:g} reference range" in app.description


def test_a_content_store_without_the_platelet_range_is_an_error_naming_file_and_entry(monkeypatch):
    # before: a blind `except Exception` and a built-in (150, 450) range hid the missing entry
    without = {key: r for key, r in content.reference_ranges().items() if key != "platelets"}
    monkeypatch.setattr(platelet_balance.content, "reference_ranges", lambda: without)
    with pytest.raises(ContentError, match=r"data/reference_ranges.toml, entry platelets: no adult platelet range"):
        platelet_balance_explorer()
    assert not hasattr(platelet_balance, "FALLBACK_RANGE")


# --- the live explorer (kernel side): what it sends once, the spleen's kernel path, Python ⇄ browser ---


@pytest.fixture(scope="module")
def explorer():
    return platelet_balance_explorer()


def test_the_explorer_is_a_live_app_whose_moving_parts_carry_ids(explorer):
    assert isinstance(explorer, LiveApp) and explorer.shown() == [explorer.live]
    assert explorer.live.svg.startswith("<svg") and "<image" not in explorer.live.svg
    for gid in ("now_circulating", "now_pooled", "now_label", "curve", "target", "curve_label"):
        assert f'id="{gid}"' in explorer.live.svg


def test_production_and_survival_are_precomputed_and_the_spleen_share_is_a_kernel_path(explorer):
    specs = {c["name"]: c for c in explorer.live.spec["controls"]}
    assert not specs["production"]["kernel"] and not specs["survival"]["kernel"]
    assert specs["pooling"]["kernel"] and "needs Python" in specs["pooling"]["note"]
    curve = explorer.live.tables["curve_y"]
    assert curve["dims"] == ["production", "survival"] and curve["shape"] == [41, 101]
    assert curve["width"] == explorer.live.tables["curve_x"]["width"]  # one count per time point of the curve
    print(f"platelet balance payload: {explorer.live.payload_bytes():,} bytes")
    assert explorer.live.payload_bytes() < 1_200_000


def test_moving_production_in_python_moves_the_front_end_state_and_curve(explorer):
    explorer.production.value = 100
    before = lookup(explorer, "curve_y")
    explorer.production.value = 50
    assert explorer.live.state["production"] == 50.0
    assert "settles at 66 ×10^9/L" in explorer.description and template_text(explorer) == explorer.description
    after = lookup(explorer, "curve_y")
    assert after[0] == before[0] and after[-1] < before[-1]  # the same day-0 count, a lower end
    assert lookup(explorer, "curve_label") == ["settles at 66 ×10^9/L"]
    explorer.production.value = 100


def test_a_move_in_the_browser_sets_the_python_controls_and_description(explorer):
    explorer.live.state = {**explorer.live.state, "survival": 6.2}
    assert explorer.survival.value == 6.2 and "and 6.2-day survival" in explorer.description
    explorer.survival.value = 9.5


def test_a_new_spleen_share_sends_new_tables_from_python():
    app = platelet_balance_explorer()
    tables = app.live.tables
    app.pooling.value = 0.8
    assert app.live.tables is not tables and app.live.state["pooling"] == 0.8
    assert template_text(app) == app.description and "80% held in the spleen" in app.description


STATES = list(itertools.product([0, 5, 20, 25, 50, 100, 200], [0.0, 0.33, 0.9], [2.0, 6.2, 9.5, 12.0]))


def test_the_front_end_template_says_exactly_what_python_says():
    app = platelet_balance_explorer()
    for production, pooling, survival in STATES:
        app.production.value, app.pooling.value, app.survival.value = production, pooling, survival
        assert template_text(app) == app.sentence() == app.description, (production, pooling, survival)
    assert len(STATES) >= 20


def test_a_start_value_outside_a_slider_is_refused_with_the_range():
    with pytest.raises(ValueError, match=r"outside 0–200 % of normal"):
        platelet_balance_explorer(production_percent=250)
