"""Jargon is linked to the glossary on first use: the first time a lesson's student-visible text uses one of its
glossary terms, the word links to the lesson's glossary heading with the definition as its hover title."""

from __future__ import annotations

import nbformat
import pytest

from petechiae_edu import content, paths
from petechiae_edu.glossary_links import (
    glossary_entries,
    link_first_uses,
    term_forms,
    unlinked_first_uses,
)

GLOSSARY = {
    "itp": ("Immune thrombocytopenia (ITP)", "An autoimmune fall in platelets. It is common in children."),
    "petechia": ("Petechia (plural: petechiae)", 'A pinpoint "red" spot. It does not blanch.'),
}
TITLE = "# 01 · Spots\n\n## Learning objectives\n\n- tell petechiae apart"
GLOSSARY_CELLS = [("markdown", "## Glossary"), ("code", 'glossary_terms("petechia", "itp")')]


def test_the_forms_of_a_term_come_from_its_name_and_brackets():
    assert term_forms("itp", *GLOSSARY["itp"]).forms == ("immune thrombocytopenia", "ITP")
    assert term_forms("petechia", *GLOSSARY["petechia"]).forms == ("petechia", "petechiae")
    assert term_forms("petechia", *GLOSSARY["petechia"]).title == "Glossary: A pinpoint 'red' spot."


def test_the_first_use_is_linked_and_later_uses_are_not():
    cells = [
        ("markdown", TITLE),
        ("markdown", "Petechiae appear first. More petechiae later; see ITP."),
        *GLOSSARY_CELLS,
    ]
    sources, linked = link_first_uses(cells, GLOSSARY)
    assert linked == ["petechia", "itp"]
    assert sources[0] == TITLE, "the title, disclaimer and objectives cell is left as the course map writes it"
    assert sources[1] == (
        "[Petechiae](#Glossary \"Glossary: A pinpoint 'red' spot.\") appear first. More petechiae later; see "
        '[ITP](#Glossary "Glossary: An autoimmune fall in platelets.").'
    )
    assert unlinked_first_uses([(kind, s) for (kind, _), s in zip(cells, sources, strict=True)], GLOSSARY) == []


def test_linking_twice_changes_nothing():
    cells = [("markdown", TITLE), ("markdown", "Petechiae and ITP."), *GLOSSARY_CELLS]
    once, _ = link_first_uses(cells, GLOSSARY)
    twice, linked = link_first_uses([(kind, s) for (kind, _), s in zip(cells, once, strict=True)], GLOSSARY)
    assert twice == once and linked == []


def test_headings_code_existing_links_instructor_notes_and_lower_case_abbreviations_are_skipped():
    cells = [
        ("markdown", TITLE),
        ("markdown", "### Instructor: notes\n\nITP here is for teachers."),
        ("markdown", "## Petechiae\n\n`petechiae` in code, [petechiae](https://x.org), itp in lower case, all of it."),
        ("markdown", "Then real petechiae and ITP."),
        *GLOSSARY_CELLS,
    ]
    sources, _ = link_first_uses(cells, GLOSSARY)
    assert sources[1] == cells[1][1] and sources[2] == cells[2][1]
    assert sources[3].startswith("Then real [petechiae](#Glossary") and "[ITP](#Glossary" in sources[3]


def test_an_unlinked_first_use_is_reported():
    cells = [
        ("markdown", TITLE),
        ("markdown", "ITP first."),
        ("markdown", '[ITP](#Glossary "Glossary: An autoimmune fall in platelets.")'),
        *GLOSSARY_CELLS,
    ]
    assert unlinked_first_uses(cells, GLOSSARY) == ["itp"]


def test_a_lesson_without_a_glossary_heading_is_left_alone():
    cells = [("markdown", TITLE), ("markdown", "Petechiae.")]
    assert link_first_uses(cells, GLOSSARY) == (["" + TITLE, "Petechiae."], [])


@pytest.mark.parametrize("lesson", sorted(paths.lessons_dir().glob("[0-9][0-9]-*.ipynb")), ids=lambda p: p.stem)
def test_every_lesson_links_its_glossary_terms_at_first_use(lesson):
    notebook = nbformat.read(lesson, as_version=4)
    cells = [(cell.cell_type, cell.source) for cell in notebook.cells]
    assert unlinked_first_uses(cells, glossary_entries(content.glossary().values())) == []


def test_a_term_inside_another_links_title_is_not_linked():
    glossary = {
        "fbc": ("Full blood count (FBC)", "The count of cells (FBC) in blood, each platelet too. More."),
        "platelet": ("Platelet", "A cell fragment counted in a full blood count. More."),
    }
    cells = [("markdown", TITLE), ("markdown", "A full blood count counts each platelet."), *GLOSSARY_CELLS]
    cells[-1] = ("code", 'glossary_terms("fbc", "platelet")')
    sources, linked = link_first_uses(cells, glossary)
    assert linked == ["fbc", "platelet"]
    assert sources[1].count("](#Glossary") == 2
    assert (
        '[full blood count](#Glossary "Glossary: The count of cells (FBC) in blood, each platelet too.")' in sources[1]
    )
    assert sources[1].endswith('[platelet](#Glossary "Glossary: A cell fragment counted in a full blood count.").')
