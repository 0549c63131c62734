"""The case engine (models/case_path.py): a case branches on a choice, its clock runs on the minutes each choice
takes, deadlines are met or missed, and the best path takes the first good option everywhere. Small cases are
built here as records; the branching checks at load are tested on a copy of the meningococcal case file."""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu import content
from petechiae_edu.content import ContentError
from petechiae_edu.content.cases import Case, Deadline, Decision, Option, Patient, Step, cases
from petechiae_edu.content.errors import FieldError
from petechiae_edu.models.case_path import all_paths, best_path, clock_text, summary_text, walk

SOURCE = ("nice_ng240_2024",)


def option(text: str, good: bool, **extra) -> Option:
    return Option(text=text, good=good, feedback=f"Feedback for {text}.", sources=SOURCE, **extra)


def step(title: str, *options: Option, **extra) -> Step:
    decision = Decision(prompt=f"{title}?", options=options) if options else None
    return Step(title=title, text=f"{title}.", decision=decision, **extra)


def small_case(*steps: Step, deadlines: tuple[Deadline, ...] = ()) -> Case:
    return Case(
        key="small",
        title="Small",
        kind="emergency",
        diagnosis="Test",
        patient=Patient(age_years=2, sex="female"),
        steps=steps,
        teaching_points=("A point.",),
        sources=SOURCE,
        deadlines=deadlines,
    )


ANTIBIOTICS_IN_AN_HOUR = Deadline("parenteral_antibiotics_now", 60, "Within the hour.", SOURCE)


@pytest.fixture
def branching() -> Case:
    """Treat now (minute 0) or wait 40 minutes and meet a shocked patient; then a last question."""
    return small_case(
        step(
            "Arrival",
            option("Treat now", True, actions=("parenteral_antibiotics_now",), minutes=20),
            option("Wait for the count", False, actions=("delay",), minutes=40, next="shock"),
        ),
        step(
            "Shock",
            option("Treat now, late", True, actions=("parenteral_antibiotics_now",), minutes=30),
            option("Wait more", False, actions=("delay",), minutes=30, next="later"),
            key="shock",
            branch=True,
        ),
        step(
            "Later",
            option("Treat at last", True, actions=("parenteral_antibiotics_now",)),
            option("Antibiotics and wait", False, actions=("parenteral_antibiotics_now", "delay")),
            key="later",
            branch=True,
        ),
        step("Ward", option("Right", True), option("Wrong", False)),
        step("Outcome"),
        deadlines=(ANTIBIOTICS_IN_AN_HOUR,),
    )


def test_a_good_choice_skips_the_branch_step_and_a_delay_leads_into_it(branching):
    assert walk(branching, [1, 1]).steps == (0, 3, 4)
    assert walk(branching, [2, 1, 1]).steps == (0, 1, 3, 4)


def test_a_branch_steps_options_rejoin_the_main_path_after_it(branching):
    assert walk(branching, [2, 2, 1, 1]).steps == (0, 1, 2, 3, 4)


def test_the_clock_adds_the_minutes_of_each_choice_and_actions_happen_when_chosen(branching):
    path = walk(branching, [2, 2, 1, 1])
    assert path.arrivals == (0, 40, 70, 70, 70)
    assert [choice.minute for choice in path.choices] == [0, 40, 70, 70]
    assert path.given("parenteral_antibiotics_now") == 70 and path.given("delay") == 0
    assert path.clock == 70


def test_a_deadline_is_met_on_time_and_missed_when_the_action_comes_late_or_never(branching):
    assert walk(branching, [1, 1]).deadlines[0].met
    on_time = walk(branching, [2, 1, 1]).deadlines[0]
    assert on_time.met and on_time.given_at == 40
    late = walk(branching, [2, 2, 1, 1]).deadlines[0]
    assert not late.met and late.given_at == 70
    assert late.text() == "parenteral antibiotics now within 60 minutes: missed (given at minute 70)"


def test_a_deadline_met_only_after_a_deterioration_step_says_the_best_path_avoided_the_delay(branching):
    delayed = walk(branching, [2, 1, 1]).deadlines[0]
    assert delayed.met and delayed.after_delay
    assert delayed.text() == (
        "parenteral antibiotics now within 60 minutes: met, but after a delay the best path avoided "
        "(given at minute 40)"
    )
    assert not walk(branching, [1, 1]).deadlines[0].after_delay


def test_a_deadline_from_a_step_counts_from_the_minute_that_step_is_reached():
    ward_fever = Deadline("antibiotics_within_1h", 60, "Within the hour of the fever.", SOURCE, from_step="fever")
    case = small_case(
        step("Admission", option("Admit", True, minutes=600), option("Send home", False, minutes=30, end=True)),
        step(
            "Fever",
            option("Antibiotics now", True, actions=("antibiotics_within_1h",), minutes=60),
            option("Paracetamol and wait", False, actions=("delay",), minutes=120, next="worse"),
            key="fever",
        ),
        step(
            "Worse",
            option("Antibiotics, late", True, actions=("antibiotics_within_1h",)),
            option("Still wait", False),
            key="worse",
            branch=True,
        ),
        step("Outcome"),
        deadlines=(ward_fever,),
    )
    on_time = walk(case, [1, 1]).deadlines[0]
    assert on_time.starts_at == 600 and on_time.given_at == 600 and on_time.met
    assert "within 60 minutes of reaching “Fever” (minute 600): met (given on reaching it)" in on_time.text()
    late = walk(case, [1, 2, 1]).deadlines[0]
    assert late.missed and late.given_at == 720
    assert late.text().endswith("missed (given 2 hours after reaching it)")
    never_reached = walk(case, [2]).deadlines[0]
    assert not never_reached.reached and not never_reached.met and not never_reached.missed
    assert never_reached.text().endswith("does not apply (that step was not on this path)")
    assert walk(case, [2]).missed == ()


def test_a_deadline_from_an_unknown_step_is_refused():
    with pytest.raises(FieldError, match="from_step = 'ward' names no step; the step keys are: 'arrival'"):
        small_case(step("A", option("On", True), option("Off", False), key="arrival"),
                   deadlines=(Deadline("parenteral_antibiotics_now", 60, "Now.", SOURCE, from_step="ward"),))  # fmt: skip


def test_a_deadline_never_given_says_so():
    case = small_case(
        step("Arrival", option("Wait", False, actions=("delay",)), option("Also wait", True)),
        deadlines=(ANTIBIOTICS_IN_AN_HOUR,),
    )
    assert walk(case, [1]).deadlines[0].text().endswith("missed (never given)")


def test_the_best_path_takes_the_first_good_option_everywhere(branching):
    best = best_path(branching)
    assert [choice.option_number for choice in best.choices] == [1, 1]
    assert best.is_best and best.all_good and best.finished
    assert not walk(branching, [2, 1, 1]).is_best


def test_a_walk_stops_at_the_decision_still_to_make(branching):
    path = walk(branching, [2])
    assert not path.finished and path.steps == (0, 1) and not path.is_best


def test_a_choice_out_of_range_or_left_over_is_refused(branching):
    with pytest.raises(ValueError, match=r"choice 3 at step 1 \('Arrival'\) of 'small'; expected a whole number"):
        walk(branching, [3])
    with pytest.raises(ValueError, match="left over"):
        walk(branching, [1, 1, 1])


def test_all_paths_enumerates_every_way_through(branching):
    paths = all_paths(branching)
    assert len(paths) == 2 + 2 + 4  # treat now; wait then treat; wait twice (two ways) — then right or wrong
    assert sum(path.is_best for path in paths) == 1
    with pytest.raises(ValueError, match="more than 3 paths"):
        all_paths(branching, limit=3)


def test_an_option_can_end_the_case_early():
    case = small_case(
        step("Clinic", option("Discharge", True, end=True), option("Admit", False)),
        step("Ward", option("Fine", True), option("Not fine", False)),
    )
    assert walk(case, [1]).steps == (0,) and walk(case, [1]).finished
    assert walk(case, [2, 1]).steps == (0, 1)


def test_the_summary_names_each_decision_its_time_the_deadline_and_the_best_path(branching):
    text = summary_text(branching, walk(branching, [2, 2, 1, 1]))
    assert "minute 40: Shock: “Wait more” (not the best choice)" in text
    assert "missed (given at minute 70)" in text
    assert "The best path:" in text and "minute 0: Arrival: “Treat now”" in text
    assert "You took the best path." in summary_text(branching, best_path(branching))


def test_the_clock_reads_in_minutes_then_in_days():
    assert clock_text(40) == "Minute 40 since arrival"
    assert clock_text(150) == "Minute 150 (2 h 30 min) since arrival"
    assert clock_text(3 * 1440) == "Day 3 (3 days since the start of the case)"
    assert clock_text(70, short=True) == "minute 70"


# --- the checks at load -------------------------------------------------------------------------------------


def test_a_next_that_names_no_step_is_refused_with_the_keys_there_are():
    with pytest.raises(FieldError, match=r"step 1 \('Arrival'\) option 'Go': next = 'shok' names no step"):
        small_case(step("Arrival", option("Go", True, next="shok"), option("Stay", False)), step("Shock", key="shock"))


def test_a_loop_is_refused_because_that_path_would_never_end():
    with pytest.raises(FieldError, match=r"a path loops \(step 2 \('B'\) → step 3 \('C'\) → step 2 \('B'\)\)"):
        small_case(
            step("A", option("On", True), option("Also on", False)),
            step("B", option("On", True), option("Also on", False), key="b"),
            step("C", option("Back", True, next="b"), option("Also back", False, next="b")),
        )


def test_an_unreachable_branch_step_is_refused():
    with pytest.raises(FieldError, match=r"step 2 \('Shock'\) can never be reached: no option's next names it"):
        small_case(step("A", option("On", True), option("Also on", False)), step("Shock", key="shock", branch=True))


def test_negative_minutes_and_next_with_end_are_refused():
    with pytest.raises(FieldError, match=r"minutes = -5; expected 0 or more minutes"):
        small_case(step("A", option("On", True, minutes=-5), option("Off", False)))
    with pytest.raises(FieldError, match="has both end = true and next = 'a'"):
        small_case(step("A", option("On", True, end=True, next="a"), option("Off", False), key="a"))


def test_a_deadline_with_an_unknown_action_or_no_time_is_refused():
    with pytest.raises(FieldError, match="action 'antibiotics_soon' is not one of the ACTIONS words"):
        small_case(step("A", option("On", True), option("Off", False)),
                   deadlines=(Deadline("antibiotics_soon", 60, "Soon.", SOURCE),))  # fmt: skip
    with pytest.raises(FieldError, match="within_minutes = 0; expected a positive number"):
        small_case(step("A", option("On", True), option("Off", False)),
                   deadlines=(Deadline("parenteral_antibiotics_now", 0, "Now.", SOURCE),))  # fmt: skip


def _break_meningococcal(folder: Path, old: str, new: str) -> None:
    path = folder / "cases" / "meningococcal.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: '{old}' is not in the meningococcal case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    content.clear_cache()


def test_a_broken_next_in_a_case_file_names_the_file_the_case_the_step_and_the_option(scratch_data):
    _break_meningococcal(scratch_data, 'next = "shock"', 'next = "shok"')
    with pytest.raises(ContentError) as error:
        cases(scratch_data)
    message = str(error.value)
    assert "cases/meningococcal.toml" in message and "meningococcal" in message and "field 'steps'" in message
    assert "step 1 ('History and examination') option 'Take bloods" in message
    assert "next = 'shok' names no step of this case; the step keys are: 'first-minutes', 'shock'" in message


def test_a_deadline_citing_a_source_the_case_does_not_list_is_refused(scratch_data):
    _break_meningococcal(
        scratch_data,
        'sources = ["nice_ng240_2024"]\n\n[[case.deadlines]]',
        'sources = ["thompson2006x"]\n\n[[case.deadlines]]',
    )
    with pytest.raises(ContentError, match="field 'deadlines'"):
        cases(scratch_data)
