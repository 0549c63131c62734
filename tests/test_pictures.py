"""Drawn pictures in the self-checks, the case player and the CBC interpreter (issue 17, items 4 and 6).

A picture spec is content: a bad one is refused naming the file, the entry, the field, the bad value and what was
expected, and ``petechiae-edu check`` reports it. A shown picture is an ``<img>`` with its alt text in the tag.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from petechiae_edu import citations, cli, content
from petechiae_edu.content import ContentError, cbc_rules
from petechiae_edu.content.cases import cases
from petechiae_edu.content.pictures import (
    FILM_NAMES,
    FILMS,
    GLASS_SITES,
    SKIN_LESIONS,
    SKIN_SITES,
    Picture,
    film_picture,
)
from petechiae_edu.pictures import DRAWING_NOTE, _unname, render_film, render_picture
from petechiae_edu.widgets.cases import CasePlayer
from petechiae_edu.widgets.cbc import CbcInterpreter
from petechiae_edu.widgets.quiz import self_check

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
IMG = re.compile(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"')


def _edit(folder, filename: str, old: str, new: str) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _picture_cards(lesson: str):
    return [card for card in self_check(lesson).cards if card.question.picture is not None]


# --- the spec ------------------------------------------------------------------------------------------------


def test_a_film_spec_and_a_skin_spec_are_accepted_and_labelled():
    assert film_picture("apl", seed=3).label() == "film 'apl' (seed 3)"
    skin = Picture(kind="skin", lesion="petechiae", skin_tone=6, site="palate", seed=1)
    assert skin.label() == "skin 'petechiae' on the palate, tone 6 (seed 1)"
    assert Picture(kind="skin", lesion="purpura", skin_tone=1).where == "leg"


@pytest.mark.parametrize(
    "spec, field, words",
    [
        ({"kind": "film", "film": "apx"}, "film", ["'apx'", "'edta_clumps'"]),
        ({"kind": "skin", "lesion": "petechiae", "skin_tone": 7}, "skin_tone", ["7", "1 to 6", "Fitzpatrick"]),
        ({"kind": "skin", "lesion": "petechiae", "skin_tone": 0}, "skin_tone", ["0", "1 to 6"]),
        ({"kind": "skin", "lesion": "rash", "skin_tone": 3}, "lesion", ["'rash'", "'palpable purpura'"]),
        ({"kind": "skin", "lesion": "petechiae", "skin_tone": 3, "site": "back"}, "site", ["'back'", "'palate'"]),
        ({"kind": "photo"}, "kind", ["'photo'", "'skin'", "'film'"]),
        ({"kind": "film", "film": "apl", "skin_tone": 4}, "skin_tone", ['kind = "skin"']),
        ({"kind": "film", "film": "apl", "seed": -1}, "seed", ["-1", "whole number"]),
        ({"kind": "skin", "skin_tone": 4}, "lesion", ["needs lesion"]),
    ],
)
def test_a_bad_spec_is_refused_naming_the_field_the_value_and_what_was_expected(spec, field, words):
    with pytest.raises(content.FieldError) as refused:
        Picture(**spec)
    assert refused.value.field == field
    for word in words:
        assert word in refused.value.message, refused.value.message


def test_the_spec_lists_agree_with_what_the_drawing_modules_draw():
    from petechiae_edu.content.skin_data import skin_lesions, skin_sites
    from petechiae_edu.figures.blood_film import film_keys

    assert set(film_keys()) == set(FILMS) == set(FILM_NAMES)
    assert set(skin_lesions()) == set(SKIN_LESIONS)
    assert set(skin_sites()) == set(SKIN_SITES)
    assert {key for key, site in skin_sites().items() if site.glass_test} == set(GLASS_SITES)


def test_the_glass_test_is_refused_on_the_palate_and_the_conjunctiva():
    with pytest.raises(content.FieldError, match="glass test is done on skin"):
        Picture(kind="skin", lesion="petechiae", skin_tone=3, site="palate", glass=True)
    assert Picture(kind="skin", lesion="erythema", skin_tone=3, site="chest", glass=True).glass


# --- in a question bank --------------------------------------------------------------------------------------


def test_a_bad_film_in_a_question_names_the_file_the_question_the_field_the_value_and_the_films(scratch_data):
    _edit(scratch_data, "quizzes/07.toml", 'film = "apl"', 'film = "apml"')
    with pytest.raises(ContentError) as refused:
        content.quiz("07", scratch_data)
    message = str(refused.value)
    assert "data/quizzes/07.toml, entry 'film-granules-and-rods'" in message
    assert "field 'picture'" in message and "nested field 'film'" in message
    assert "'apml' is not a film the course draws; expected one of 'normal', 'aml', 'apl'" in message


def test_check_reports_every_bad_picture_spec_and_exits_1(scratch_data, capsys):
    _edit(scratch_data, "quizzes/01.toml", "skin_tone = 6", "skin_tone = 9")
    _edit(scratch_data, "quizzes/07.toml", 'film = "cll"', 'film = "clumps"')
    _edit(scratch_data, "cbc_patterns.toml", 'film = "cml"', 'film = "lymphoma"')
    _edit(scratch_data, "cases/ttp.toml", 'film = "ttp"', 'film = "tma"')
    assert cli.main(["check", "--data", str(scratch_data)]) == 1
    out = capsys.readouterr().out
    assert "data/quizzes/01.toml, entry 'fever-rash-rule-conjunctiva'" in out and "9 is not a skin tone" in out
    assert "data/quizzes/07.toml, entry 'film-small-lymphocytes-and-smudges'" in out and "'clumps' is not a film" in out
    assert "data/cbc_patterns.toml, entry 'neutrophilia_left_shift_basophilia'" in out
    assert "'lymphoma' is not a film" in out
    assert "data/cases/ttp.toml" in out and "'tma' is not a film" in out


def test_a_picture_question_shows_an_image_with_alt_text_above_the_question(fresh_citations):
    quiz = self_check("07")
    cards = [card for card in quiz.cards if card.question.picture is not None]
    assert len(cards) >= 2
    for card in cards:
        assert card.box.children[0] is card.picture_html
        html = card.picture_html.value
        found = IMG.search(html)
        assert found, html[:200]
        assert unescape(found.group(1)) == card.picture.alt and len(card.picture.alt) > 40
        assert DRAWING_NOTE in html
        assert card.picture.png.startswith(PNG_SIGNATURE)
    assert "4 with a picture" in quiz.summary()


def test_after_answering_the_feedback_gives_the_drawings_full_description(fresh_citations):
    quiz = self_check("07")
    number = next(n for n, card in enumerate(quiz.cards, start=1) if card.question.picture is not None)
    card = quiz.cards[number - 1]
    quiz.answer(number, card.question.good_number)
    assert "About the picture:" in card.feedback.value


def test_a_question_picture_does_not_name_the_diagnosis_to_a_screen_reader():
    for lesson in ("01", "07"):
        for card in _picture_cards(lesson):
            picture = card.question.picture
            if picture.kind != "film" or picture.film == "normal":
                continue
            alt = card.picture.alt.lower()
            name = FILM_NAMES[picture.film].lower()
            spelled_out = name.split(" (")[0].removeprefix("a ")
            acronym = re.search(r"\(([a-z]+)\)", name)
            assert spelled_out not in alt, (card.question.key, alt)
            assert not acronym or not re.search(rf"\b{acronym.group(1)}\b", alt), (card.question.key, alt)
            assert not card.picture.named


def test_an_unnamed_film_loses_its_name_from_the_drawn_caption():
    from petechiae_edu.content.film_data import films
    from petechiae_edu.figures.blood_film import draw_blood_film

    figure, _counts = draw_blood_film("itp", seed=1)
    title = films()["itp"].title
    assert any(title in text.get_text() for text in figure.texts)
    _unname(figure, film_picture("itp", seed=1))
    assert not any(title in text.get_text() for text in figure.texts)
    assert any("not a photograph" in text.get_text() for text in figure.texts)


# The alt texts written in data/quizzes/07.toml describe these fields; if the drawing of a seed changes, rewrite
# the alt text and this table together.
ALT_TEXT_COUNTS = {
    "film-granules-and-rods": {"abnormal_promyelocyte": 3, "faggot_cell": 1, "platelet": 1},
    "film-confused-and-anaemic": {"schistocyte": 6, "neutrophil": 1, "platelet": 0, "large_platelet": 0},
    "film-small-lymphocytes-and-smudges": {"lymphocyte": 6, "smudge_cell": 2, "neutrophil": 1, "platelet": 2},
    "blasts-without-rods-which-lineage": {"lymphoblast": 5, "lymphocyte": 1, "platelet": 1},
}


def test_the_written_alt_texts_still_match_the_fields_drawn():
    cards = {card.question.key: card for card in _picture_cards("07")}
    for key, expected in ALT_TEXT_COUNTS.items():
        counts = dict(cards[key].picture.counts)
        assert {cell: counts.get(cell, 0) for cell in expected} == expected, key


def test_lesson_01_has_a_dark_skin_picture_item_whose_key_is_same_hour_hospital_assessment():
    cards = _picture_cards("01")
    dark = [card for card in cards if card.question.picture.kind == "skin" and card.question.picture.skin_tone >= 5]
    assert dark, "expected a picture of petechiae on dark skin"
    for card in dark:
        assert card.question.picture.where in ("palate", "conjunctiva")
        assert "same-hour hospital assessment" in card.question.good_option.text.lower()
        assert "nice_ng240_2024" in card.question.sources


# --- drawing ---------------------------------------------------------------------------------------------------


def test_the_same_spec_draws_once_and_another_seed_draws_another_picture():
    first = render_film("itp", seed=5)
    assert render_film("itp", seed=5) is first
    other = render_film("itp", seed=6)
    assert other.png != first.png
    assert first.counts and all(n >= 0 for _kind, n in first.counts)


def test_a_picture_shown_again_from_the_cache_still_cites_its_atlas_sources(fresh_citations):
    render_film("cml", seed=8)
    first = set(citations.used())
    assert "ash_cml_smear_figure" in first, "the CML drawing cites the atlas it follows"
    citations.reset()
    render_film("cml", seed=8)  # cached: not drawn again
    assert set(citations.used()) == first


def test_a_bad_film_name_asked_of_the_renderer_is_a_clear_error():
    with pytest.raises(ValueError, match="'leukaemia' is not a film the course draws"):
        render_film("leukaemia")
    with pytest.raises(TypeError, match="Picture spec"):
        render_picture("apl")  # type: ignore[arg-type]


# --- cases -----------------------------------------------------------------------------------------------------

# Film findings with no drawing, and why (each one reviewed): the drawn films do not show these.
NO_DRAWING = {
    "hit": "the finding is negative (no clumps, no fragments) at a moderately low count; the ITP drawing's few, large "
    "platelets would teach something the HIT film does not show",
    "hyperleukocytosis": "sheets of blasts with monocytic features: the AML drawing shows myeloblasts with an Auer rod "
    "at an ordinary count, not a monocytic leukaemia at 186 ×10^9/L",
    "aplastic-anaemia": "few normal-looking cells and no abnormal ones: the course has no drawing of an empty film, and "
    "the normal drawing's full count would contradict the pancytopenia",
    "infectious-mononucleosis": "reactive (atypical) lymphocytes: the course has no drawing of them, and the CLL or ALL "
    "drawings would teach the wrong diagnosis",
    "neuroblastoma": "a film with no blasts and fewer cells: no drawing shows marrow infiltration by a solid tumour, and "
    "the ALL drawing would suggest the mimic the case warns against",
}


def test_every_case_step_with_a_blood_film_finding_names_its_drawing_or_is_a_stated_exception():
    for key, case in cases().items():
        for number, step in enumerate(case.steps, start=1):
            results = step.results
            mentions = results is not None and any(f.lower().startswith("blood film") for f in results.findings)
            if mentions and results.film is None:
                assert key in NO_DRAWING, f"{key} step {number} has a blood-film finding but no film"
            if key in NO_DRAWING:
                assert results is None or results.film is None


def test_a_case_film_without_a_written_film_finding_is_refused(scratch_data):
    _edit(scratch_data, "cases/apl-dic.toml", 'findings = ["D-dimer', 'film = "apl"\nfindings = ["D-dimer')
    with pytest.raises(ContentError, match="film = 'apl' illustrates a written blood-film finding"):
        content.cases.cases(scratch_data)


def test_a_case_step_with_a_film_shows_the_drawing_when_the_step_is_revealed(fresh_citations):
    player = CasePlayer("apl-dic", seed=2)
    assert player.picture is not None and player.picture.picture.film == "apl"
    found = IMG.search(player.step_html.value)
    assert found and unescape(found.group(1)) == player.picture.alt
    assert "not this patient's film" in unescape(player.step_html.value)
    assert "a drawing of the blood film" in player.description
    player.choose(2)
    player.next_step()  # the coagulation screen: no film
    assert player.picture is None and "<img" not in player.step_html.value


def test_a_case_caption_never_names_the_diagnosis_before_the_case_does(fresh_citations):
    player = CasePlayer("child-itp", seed=1)
    player.choose(next(n for n, o in enumerate(player.step.decision.options, start=1) if o.good))
    player.next_step()
    assert player.picture is not None and player.picture.picture.film == "itp"
    caption = player.step_html.value.split("<figcaption>")[1]
    assert "ITP" not in caption and "immune" not in caption.lower()


def test_a_new_version_of_a_case_draws_a_new_film():
    first = CasePlayer("cll-older-adult", seed=4)
    while first.picture is None:
        step = first.step
        if step.decision is not None:
            first.choose(1)
        first.next_step()
    second = CasePlayer("cll-older-adult", seed=5)
    while second.picture is None:
        if second.step.decision is not None:
            second.choose(1)
        second.next_step()
    assert first.picture.png != second.picture.png


# --- the CBC interpreter ---------------------------------------------------------------------------------------


def test_the_cbc_interpreter_shows_the_apl_film_for_suspected_apl(fresh_citations):
    app = CbcInterpreter("suspected_apl")
    assert app.film == "apl" and app.film_pattern == "suspected_apl"
    html = unescape(app.film_html.value)
    assert IMG.search(app.film_html.value)
    assert "an illustration of the typical film" in html and "not this patient's film" in html
    assert "A drawing shows the typical film of acute promyelocytic leukaemia" in app.description
    assert app.film_html in app.shown()


def test_the_cbc_interpreter_shows_no_film_for_a_pattern_that_implies_none(fresh_citations):
    app = CbcInterpreter("suspected_apl")
    app.preset.value = "dic_pattern"
    assert app.result.pattern_names == ("DIC pattern",)
    assert app.film is None and app.film_html.value == "" and "drawing" not in app.description
    app.preset.value = "leukocytosis_with_blasts"  # blasts of an unnamed leukaemia: AML or ALL, no one film
    assert app.film is None


@pytest.mark.parametrize(
    "example, film",
    [
        ("microangiopathic_picture", "ttp"),
        ("pseudothrombocytopenia", "edta_clumps"),
        ("isolated_thrombocytopenia", "itp"),
        ("neutrophilia_left_shift_basophilia", "cml"),
    ],
)
def test_each_example_with_a_one_film_pattern_shows_that_film(example, film, fresh_citations):
    assert CbcInterpreter(example).film == film


def test_a_lymphocytosis_shows_no_film_because_most_are_reactive(fresh_citations):
    """Clinical review R17-3: a CLL drawing under every adult lymphocytosis would anchor students to CLL."""
    app = CbcInterpreter("lymphocytosis")  # an older adult with lymphocytes 11.2 ×10^9/L
    assert "lymphocytosis" in app.result.pattern_names
    assert app.film is None and app.film_html.value == ""
    app.set_values(age_years=10, lymphocytes=9.0, wbc=14.0)
    assert "lymphocytosis" in app.result.pattern_names
    assert app.film is None


def test_a_pattern_film_needs_its_note(scratch_data):
    path = scratch_data / "cbc_patterns.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    note = next(line for line in lines if line.startswith('film_note = "The drawing shows platelet clumps'))
    path.write_text("".join(line for line in lines if line is not note), encoding="utf-8")
    with pytest.raises(ContentError, match=r"entry 'pseudothrombocytopenia'.*give a film and a film_note together"):
        cbc_rules.cbc_patterns(scratch_data)


def test_only_patterns_that_imply_one_film_carry_one():
    films = {key: rule.film for key, rule in cbc_rules.cbc_patterns().items() if rule.film}
    assert films == {
        "suspected_apl": "apl",
        "microangiopathic_picture": "ttp",
        "neutrophilia_left_shift_basophilia": "cml",
        "pseudothrombocytopenia": "edta_clumps",
        "isolated_thrombocytopenia": "itp",
    }


def test_the_itp_film_note_says_a_film_with_blasts_or_fragments_is_not_its_film():
    """Clinical review R17-3: the ITP drawing illustrates one cause; a child's film with blasts is another story."""
    note = cbc_rules.cbc_patterns()["isolated_thrombocytopenia"].film_note
    assert "blasts or red-cell fragments" in note and "this is not its film" in note
