"""The case player, driven kernel-side the way a student's clicks would drive it. The branching tests use the
meningococcal case, the reference example of the branching format: a delay leads to a shocked child 40 minutes
later, and the summary scores antibiotics within the hour of arrival."""

from __future__ import annotations

import re

import pytest

from petechiae_edu import case_player, citations, generate_case
from petechiae_edu.calibrated import reference_band
from petechiae_edu.content.cases import case, case_keys
from petechiae_edu.learner import learner_seed
from petechiae_edu.models.case_path import best_choices
from petechiae_edu.models.cases import CountValue
from petechiae_edu.widgets.cases import flag

TREAT_NOW, WAIT_FOR_COUNT = 1, 2  # the first decision of the meningococcal case
BOLUS_AND_WAIT = 2  # the poor option of its shock step


def _cells(html: str) -> str:
    """The HTML without its inline layout styles, so a test can look for a table cell by its text."""
    return re.sub(r' style="[^"]*"', "", html)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def player(fresh_citations):
    return case_player("meningococcal", seed=3)


def play_good_until_counts(player) -> None:
    """Choose the first good option and go on until the step shown has counts."""
    while not player.step.counts:
        decision = player.step.decision
        if decision is not None and player.step_index not in player.choices:
            player.choose(next(n for n, option in enumerate(decision.options, start=1) if option.good))
        player.next_step()


def play_to_the_end(player, choices) -> None:
    for number in choices:
        while player.step.decision is None:
            player.next_step()
        player.choose(number)
        if not player.finished:
            player.next_step()
    while not player.finished:
        player.next_step()


def test_it_starts_at_the_history_with_the_clock_at_minute_0_and_asks_for_a_decision(player):
    assert player.step_index == 0 and player.clock == 0
    assert "step 1 (Minute 0 since arrival)" in player.description
    assert "choose what to do next" in player.description
    assert "Case clock: Minute 0 since arrival" in player.header.value
    assert len(player.choice.options) == 4
    assert player.next_button.disabled


def test_a_good_choice_is_marked_good_and_explained_with_sources(player):
    assert player.choose(TREAT_NOW) is True
    assert "A good choice." in player.feedback.value
    assert 'data-source="nice_ng240_2024"' in player.feedback.value and "[@" not in player.feedback.value
    assert "a good choice" in player.description
    assert not player.next_button.disabled


def test_a_poor_choice_says_why_and_points_to_a_better_one(player):
    assert player.choose(WAIT_FOR_COUNT) is False
    assert "Not the best choice." in player.feedback.value
    assert "A better choice:" in player.feedback.value
    assert "the case clock moves on by 40 minutes" in player.feedback.value


def test_waiting_for_the_count_leads_to_a_shocked_child_40_minutes_later(player):
    player.choose(WAIT_FOR_COUNT)
    player.next_step()
    assert player.step.branch and player.clock == 40
    assert "Case clock: Minute 40 since arrival" in player.header.value
    assert "A consequence of your last choice" in player.step_html.value
    assert 'role="alert"' in player.step_html.value  # announced, not only shown
    assert "Capillary refill time: 6 seconds" in player.step_html.value
    assert "The patient has deteriorated after your last choice." in player.description
    assert "are illustrative, written by the course" in player.step_html.value


def test_treating_at_once_never_meets_the_shock_step(player):
    player.choose(TREAT_NOW)
    player.next_step()
    assert not player.step.branch and player.step.title == "Results"
    assert player.clock == 120


def test_the_first_answer_sets_the_path_even_after_a_retry(player):
    player.choose(WAIT_FOR_COUNT)
    player.choose(TREAT_NOW)
    assert player.choices == {0: WAIT_FOR_COUNT}
    assert "sets the path the case follows" in player.feedback.value
    player.next_step()
    assert player.step.branch


def test_the_feedback_of_each_choice_is_kept_as_the_case_goes_on(player):
    player.choose(WAIT_FOR_COUNT)
    player.next_step()
    player.choose(BOLUS_AND_WAIT)
    assert "Your choices so far (2)" in player.history.value
    assert "Minute 0, History and examination" in player.history.value
    assert "Minute 40, She is worse" in player.history.value


def test_next_step_reveals_the_counts_of_this_version(player):
    play_good_until_counts(player)
    version = generate_case("meningococcal", 3)
    platelets = version.steps[player.step_index].count("platelets")
    assert f"<td>{platelets.shown}</td>" in _cells(player.step_html.value)
    assert "with results" in player.description


def test_a_childs_counts_are_flagged_in_words_against_the_ranges_for_her_age(player):
    play_good_until_counts(player)
    html = player.step_html.value
    assert "LOW ▼" in html
    assert "Reference range" in html and "reference ranges for a 2-year-old girl" in html
    platelets = reference_band("platelets", 2, "female")
    assert platelets.key != "platelets"  # a child's band, not the adult one
    assert f"<td>{platelets.low:g}–{platelets.high:g}</td>" in _cells(html)


def test_an_adults_counts_are_read_against_the_adult_ranges(fresh_citations):
    player = case_player("adult-aml", seed=3)
    play_good_until_counts(player)
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


def test_the_best_path_ends_with_the_diagnosis_teaching_points_and_a_deadline_met(player):
    play_to_the_end(player, best_choices(case("meningococcal")))
    summary = _text(player.feedback.value)
    assert "Diagnosis: Meningococcal septicaemia" in summary
    assert "You took the best path." in summary
    assert "✔ Met: parenteral antibiotics now within 60 minutes: met (given at minute 0)" in summary
    assert "✔ Met: parenteral antibiotics now within 15 minutes: met (given at minute 0)" in summary
    assert "Good first choices: 3 of 3." in summary
    assert player.next_button.disabled
    with pytest.raises(RuntimeError, match="the case has ended"):
        player.next_step()


def test_a_delayed_path_ends_with_a_summary_naming_the_missed_deadline_and_the_best_path(player):
    play_to_the_end(player, [WAIT_FOR_COUNT, BOLUS_AND_WAIT, 1, 1, 1])
    summary = _text(player.summary())
    assert "✘ Missed: parenteral antibiotics now within 60 minutes: missed (given at minute 70)" in summary
    assert "The best path gives it at minute 0." in summary
    assert "The best path, with its timings" in summary
    rows = _text(_cells(player.feedback.value))
    assert "Take bloods, then wait for the blood count and film before deciding on treatment minute 0 ✘" in rows
    assert "Good first choices: 3 of 5." in summary


def test_waiting_40_minutes_for_the_count_misses_the_at_once_deadline_and_meets_the_hour_only_after_a_delay(player):
    play_to_the_end(player, [WAIT_FOR_COUNT, TREAT_NOW, 1, 1])
    summary = _text(player.summary())
    assert "✘ Missed: parenteral antibiotics now within 15 minutes: missed (given at minute 40)" in summary
    assert (
        "✔ Met after a delay: parenteral antibiotics now within 60 minutes: met, but after a delay the best path "
        "avoided (given at minute 40)"
    ) in summary
    assert "own figure for" in summary and "not NICE" in summary


def test_an_infant_is_shown_in_months_and_his_counts_are_read_against_the_infant_ranges(fresh_citations):
    infant = case_player("non-accidental-injury", seed=1)
    assert "A 4-month-old boy" in infant.header.value
    assert infant.version.age == pytest.approx(4 / 12)
    play_good_until_counts(infant)
    table = _text(_cells(infant.step_html.value))
    assert "reference ranges for a 4-month-old boy" in _text(infant.step_html.value)
    assert "Haemoglobin" in table and "9.3–13.3" in table  # the 3–12 month band, not the newborn one
    assert "6.1–17.5" in table  # the white count band for 1 month to 2 years
    counts = [count for step in infant.version.steps for count in step.counts]
    for count in (c for c in counts if c.analyte in ("haemoglobin", "wbc", "platelets")):
        for value in (count.range_low, count.value, count.range_high):  # normal wherever the version draws it
            drawn = CountValue(count.analyte, count.label, value, count.units, count.range_low, count.range_high, 1)
            assert flag(drawn, infant.version.age, infant.version.sex) == "normal", drawn.text()


def test_play_this_case_again_keeps_the_version_and_lets_the_student_take_another_path(player):
    play_to_the_end(player, [WAIT_FOR_COUNT, BOLUS_AND_WAIT, 1, 1, 1])
    counts = player.version.counts_summary()
    player.replay_button.click()
    assert player.step_index == 0 and player.choices == {} and player.clock == 0
    assert player.version.seed == 3 and player.version.counts_summary() == counts
    assert len(player.attempts) == 1 and not player.attempts[0].is_best
    play_to_the_end(player, best_choices(case("meningococcal")))
    assert player.path.is_best
    assert "attempt 2" in player.feedback.value and "met (given at minute 0)" in player.feedback.value


def test_a_new_version_changes_the_counts_and_restarts(player):
    play_good_until_counts(player)
    before = player.step_html.value
    version = player.new_version()
    assert version.seed == 4
    assert player.step_index == 0 and player.choices == {} and player.attempts == []
    play_good_until_counts(player)
    assert player.step_html.value != before
    assert "version 4" in player.description


def test_without_a_seed_each_learner_gets_their_own_stable_version(fresh_citations, monkeypatch):
    monkeypatch.setenv("PETECHIAE_EDU_LEARNER", "student-a")
    first = case_player("meningococcal")
    again = case_player("meningococcal")
    assert first.version.seed == again.version.seed == learner_seed("case", "meningococcal", learner="student-a")
    monkeypatch.setenv("PETECHIAE_EDU_LEARNER", "student-b")
    other = case_player("meningococcal")
    assert other.version.seed != first.version.seed
    assert other.version.counts_summary() != first.version.counts_summary()


def test_different_learners_get_different_versions_of_most_cases():
    seeds = {learner_seed("case", "ttp", learner=f"student-{n}") for n in range(20)}
    assert len(seeds) == 20


def test_the_dropdown_switches_case_and_a_given_seed_is_kept(player):
    player.select_case("child-itp")
    assert player.version.case_key == "child-itp"
    assert player.version.seed == 3
    assert player.record.key == "child-itp"


def test_the_dropdown_gives_a_learner_without_a_seed_their_own_version_of_the_new_case(fresh_citations, monkeypatch):
    monkeypatch.setenv("PETECHIAE_EDU_LEARNER", "student-a")
    player = case_player("meningococcal")
    player.select_case("child-itp")
    assert player.version.seed == learner_seed("case", "child-itp", learner="student-a")


def test_the_dropdown_offers_every_case_without_giving_away_its_kind(player):
    labels = [label for label, _key in player.case_picker.options]
    assert [key for _label, key in player.case_picker.options] == list(case_keys())
    assert not any("mimic" in label or "leukaemia" in label.lower() for label in labels)


def test_playing_a_case_cites_its_sources(player):
    assert "nice_ng240_2024" in citations.used()
    assert "case player" in citations.used_by("thompson2006")


def test_every_case_can_be_played_to_the_end_along_its_best_path(fresh_citations):
    for key in case_keys():
        player = case_player(key, seed=1)
        play_to_the_end(player, best_choices(case(key)))
        assert player.path.is_best, key
        assert "Diagnosis:" in player.feedback.value and "You took the best path." in player.feedback.value, key


def test_an_unknown_case_is_refused_with_the_known_keys(fresh_citations):
    with pytest.raises(KeyError, match="unknown case 'leukaemia'"):
        case_player("leukaemia")


def test_the_catalogue_counts_cases_by_kind(player):
    kinds = [case(key).kind for key in case_keys()]
    summary = player.kinds_summary()
    assert summary.startswith(f"{len(kinds)} cases: {kinds.count('leukaemia')} leukaemias")
    assert f"{kinds.count('emergency')} emergencies." in summary
