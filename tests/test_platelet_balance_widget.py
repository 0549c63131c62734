"""Lesson 02's explorer reads the platelet reference range from the content store, with no silent fallback."""

from __future__ import annotations

import pytest

from petechiae_edu import content, platelet_balance_explorer
from petechiae_edu.content.errors import ContentError
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
