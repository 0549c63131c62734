"""The source rule reaches lesson sentences: no paragraph of a lesson rests only on secondary web pages.

A statement a student reads in a lesson is held to the same rule as a record in ``data/``: every paragraph, list
item or table row that cites sources must cite at least one source whose ``evidence_level`` is not
``secondary web`` (a guideline, paper, registry, textbook or reference page). A figure read only on a patient
information page may stay beside such a source when the text says where it was read.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from petechiae_edu import content
from petechiae_edu.citations import cited_in_text
from petechiae_edu.content.records import SECONDARY_WEB
from petechiae_edu.lessons import lessons

LESSONS = lessons()
IDS = [lesson.stem for lesson in LESSONS]

# a list item ("- ", "* ", "1. ") or a table row ("| … |") starts a new statement
_ITEM_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")


def statements(markdown: str) -> list[str]:
    """The paragraphs, list items and table rows of one markdown cell, each as one string."""
    found: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        current: list[str] = []
        for line in block.splitlines():
            if _ITEM_START.match(line) and current:
                found.append("\n".join(current))
                current = []
            current.append(line)
        if current:
            found.append("\n".join(current))
    return [text for text in found if text.strip()]


def web_only_statements(path) -> list[tuple[int, tuple[str, ...], str]]:
    """(cell number, keys, text) of each statement in a lesson whose citations are all secondary web pages."""
    catalogue = content.sources()
    notebook = nbformat.read(path, as_version=4)
    problems = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for text in statements(cell.source):
            keys = [key for key in cited_in_text(text) if key in catalogue]
            if keys and all(catalogue[key].evidence_level == SECONDARY_WEB for key in keys):
                problems.append((number, tuple(keys), text))
    return problems


def test_statements_split_paragraphs_list_items_and_table_rows():
    text = "One paragraph\nwrapped [@a].\n\n- item one [@b]\n- item two\n  continued [@c]\n\n| x | y |\n| 1 | 2 [@d] |"
    assert statements(text) == [
        "One paragraph\nwrapped [@a].",
        "- item one [@b]",
        "- item two\n  continued [@c]",
        "| x | y |",
        "| 1 | 2 [@d] |",
    ]


def test_a_paragraph_citing_only_secondary_web_pages_is_found(tmp_path):
    catalogue = content.sources()
    web = next(key for key, source in catalogue.items() if source.evidence_level == SECONDARY_WEB)
    paper = next(key for key, source in catalogue.items() if source.evidence_level != SECONDARY_WEB)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"Only a web page [@{web}].\n\nA web page and a paper [@{web}; @{paper}]."),
        nbformat.v4.new_code_cell(f"# [@{web}] in code is not lesson text"),
    ]
    path = tmp_path / "99-test.ipynb"
    nbformat.write(notebook, path)
    assert web_only_statements(path) == [(0, (web,), f"Only a web page [@{web}].")]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_no_lesson_statement_rests_only_on_secondary_web_pages(lesson):
    problems = web_only_statements(lesson.path)
    listing = "\n".join(f"  cell {number} ({', '.join(keys)}): {text[:160]!r}" for number, keys, text in problems)
    assert not problems, f"{lesson.stem}: statements citing only secondary web pages:\n{listing}"
