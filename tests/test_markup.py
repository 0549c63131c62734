"""The package's HTML is written once: one accessible table renderer and one live region (petechiae_edu.markup)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import petechiae_edu
from petechiae_edu.markup import Emphasis, html_table, live_region

PACKAGE = Path(petechiae_edu.__file__).parent
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "web_assets" not in p.parts and p.name != "markup.py")


def test_a_table_escapes_every_cell_caption_and_header():
    html = html_table("<b>caption</b>", ("<i>col</i>",), [("<script>x</script>",), (Emphasis("<low>"),)])
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "<low>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<strong>&lt;low&gt;</strong>" in html
    assert re.search(r'<th scope="col"[^>]*>&lt;i&gt;col&lt;/i&gt;</th>', html)


def test_a_table_is_accessible_caption_header_scope_and_optional_row_headers():
    html = html_table("Results", ("Test", "Value"), [("Platelets", "22")], row_headers=True)
    assert '<table class="petechiae-edu-table"' in html and "<caption" in html
    assert re.search(r'<th scope="row"[^>]*>Platelets</th><td[^>]*>22</td>', html)


def test_a_live_region_escapes_text_and_marks_an_apps_description():
    assert live_region("a < b") == '<p role="status" aria-live="polite" class="petechiae-edu-description">a &lt; b</p>'
    feedback = live_region(html="<p>ok</p>", description=False)
    assert feedback == '<div role="status" aria-live="polite"><p>ok</p></div>'
    assert live_region("bad", description=False, alert=True) == '<p role="alert">bad</p>'


@pytest.mark.parametrize("marker", ["<table", "aria-live", 'role="alert"', "role='status'", "[@{"])
def test_no_other_module_builds_a_table_a_live_region_or_a_source_key_by_hand(marker):
    # before: five hand-built tables, six live regions and a "[@key]" formatter in widgets/treatment.py
    found = [str(p.relative_to(PACKAGE)) for p in SOURCES if marker in p.read_text(encoding="utf-8")]
    assert not found, f"{marker!r} is written by hand in {found}; use petechiae_edu.markup / citations"
