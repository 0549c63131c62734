"""The case player, driven kernel-side the way a student's clicks would drive it."""

from __future__ import annotations

import re

import pytest

from petechiae_edu import case_player, citations, generate_case
from petechiae_edu.calibrated import reference_band
from petechiae_edu.content.cases import case_keys
from petechiae_edu.models.cases import CountValue
from petechiae_edu.widgets.cases import flag


def _cells(html: str) -> str:
    """The HTML without its inline layout styles, so a test can look for a table cell by its text."""
    return re.sub(r' style="[^"]*"', "", html)


@pytest.fixture
def player(fresh_citations):
    return case_player("child-all", seed=3)


def test_it_starts_at_the_history_and_asks_for_a_decision(player):
    assert player.step_index == 0
    assert "step 1 of 3" in player.description and "choose what to do next" in player.description
    assert len(player.choice.options) == 4
    assert player.next_button.disabled


def test_a_good_choice_is_marked_good_and_explained_with_sources(player):
    assert player.choose(1) is True
    assert "A good choice." in player.feedback.value
    assert 'data-source="nice_ng12_2015"' in player.feedback.value and "[@" not in player.feedback.value
    assert "a good choice" in player.description
    assert not player.next_button.disabled


def test_a_poor_choice_says_why_and_points_to_a_better_one(player):
    assert player.choose(2) is False
    assert "Not the best choice." in player.feedback.value
    assert "43%" in player.feedback.value
    assert "A better choice:" in player.feedback.value


def test_the_first_answer_counts_even_after_a_retry(player):
    player.choose(2)
    player.choose(1)
    assert player.choices == {0: 2}
    assert player.good_choices == 0


def test_next_step_reveals_the_counts_of_this_version(player):
    player.choose(1)
    assert player.next_step() == 2
    version = generate_case("child-all", 3)
    platelets = version.steps[1].count("platelets")
    assert f"<td>{platelets.shown}</td>" in _cells(player.step_html.value)
    assert "with results" in player.description


def test_a_childs_counts_are_flagged_in_words_against_the_ranges_for_her_age(player):
    player.choose(1)
    player.next_step()
    html = player.step_html.value
    assert "LOW ▼" in html
    assert "Reference range" in html and "reference ranges for a 4-year-old boy" in html
    platelets = reference_band("platelets", 4, "male")
    assert platelets.key != "platelets"  # a child's band, not the adult one
    assert f"<td>{platelets.low:g}–{platelets.high:g}</td>" in _cells(html)


def test_an_adults_counts_are_read_against_the_adult_ranges(fresh_citations):
    player = case_player("adult-aml", seed=3)
    player.choose(1)
    player.next_step()
    html = player.step_html.value
    assert "reference ranges for a 58-year-old woman" in html
    assert "<td>150–450</td>" in _cells(html)


def test_a_healthy_toddlers_lymphocytes_are_normal_in_the_case_player_as_in_the_interpreter():
    lymphocytes = CountValue("lymphocytes", "Lymphocytes", 7.0, "×10^9/L", 5.0, 9.0, 1)
    assert flag(lymphocytes, 1.5, "female") == "normal"
    assert flag(lymphocytes, 40, "female") == "high"


def test_you_cannot_skip_a_decision(player):
    with pytest.raises(RuntimeError, match="choose an option first"):
        player.next_step()


def test_an_option_number_out_of_range_is_refused(player):
    with pytest.raises(ValueError, match="expected a whole number from 1 to 4"):
        player.choose(5)


def test_the_end_shows_the_diagnosis_teaching_points_and_score(player):
    player.choose(1)
    player.next_step()
    player.choose(1)
    player.next_step()
    assert player.finished
    assert "Diagnosis: B-cell acute lymphoblastic leukaemia" in player.feedback.value
    assert "Good first choices: 2 of 2" in player.feedback.value
    assert player.next_button.disabled
    with pytest.raises(RuntimeError, match="the case has ended"):
        player.next_step()


def test_a_new_version_changes_the_counts_and_restarts(player):
    player.choose(1)
    player.next_step()
    before = player.step_html.value
    version = player.new_version()
    assert version.seed == 4
    assert player.step_index == 0 and player.choices == {}
    player.choose(1)
    player.next_step()
    assert player.step_html.value != before
    assert "version 4" in player.description


def test_the_dropdown_switches_case_and_keeps_the_seed(player):
    player.select_case("meningococcal")
    assert player.version.case_key == "meningococcal"
    assert player.version.seed == 3
    assert "feverish, drowsy toddler" in player.description


def test_the_dropdown_offers_every_case_without_giving_away_its_kind(player):
    labels = [label for label, _key in player.case_picker.options]
    assert [key for _label, key in player.case_picker.options] == list(case_keys())
    assert not any("mimic" in label or "leukaemia" in label.lower() for label in labels)


def test_playing_a_case_cites_its_sources(player):
    assert "nice_ng12_2015" in citations.used()
    assert "case player" in citations.used_by("clarke2016")


def test_every_case_can_be_played_to_the_end_choosing_good_options(fresh_citations):
    for key in case_keys():
        player = case_player(key, seed=1)
        while True:
            decision = player.step.decision
            if decision is not None:
                good = next(n for n, option in enumerate(decision.options, start=1) if option.good)
                assert player.choose(good)
            if player.finished:
                break
            player.next_step()
        assert "Diagnosis:" in player.feedback.value, key


def test_an_unknown_case_is_refused_with_the_known_keys(fresh_citations):
    with pytest.raises(KeyError, match="unknown case 'leukaemia'"):
        case_player("leukaemia")


def test_without_a_seed_a_random_version_is_chosen(fresh_citations):
    player = case_player("child-itp")
    assert isinstance(player.version.seed, int) and player.version.seed >= 1


def test_the_catalogue_counts_cases_by_kind(player):
    assert player.kinds_summary() == "15 cases: 4 leukaemias, 5 mimics and 6 emergencies."
