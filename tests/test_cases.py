"""Clinical cases: the content is valid, broken case files are refused clearly, and the generator is
deterministic per seed and never leaves a value's stated range."""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu import content, generate_case, paths
from petechiae_edu.content import ContentError
from petechiae_edu.content.cases import ANALYTES, WHITE_CELL_PARTS, Case, Patient, case_keys, cases
from petechiae_edu.content.errors import FieldError
from petechiae_edu.models.case_path import all_paths, best_path

SEEDS = range(40)


@pytest.fixture(scope="module")
def every_case() -> dict[str, Case]:
    return cases()


# --- content -------------------------------------------------------------------------------------


def test_at_least_eight_cases_four_leukaemias_and_four_mimics(every_case):
    kinds = [case.kind for case in every_case.values()]
    assert len(every_case) >= 8
    assert kinds.count("leukaemia") >= 4
    assert kinds.count("mimic") >= 4


def test_each_case_file_holds_the_case_named_after_it(every_case):
    folder = paths.data_dir() / "cases"
    for path in folder.glob("*.toml"):
        assert path.stem in every_case, f"{path.name} should hold the case keyed '{path.stem}'"


def test_the_required_scenarios_are_covered(every_case):
    expected = {
        "child-all",
        "adult-aml",
        "cml-routine",
        "cll-older-adult",
        "child-itp",
        "viral-petechiae",
        "meningococcal",
        "valsalva-petechiae",
        "drug-induced-thrombocytopenia",
    }
    assert expected <= set(every_case)


def test_children_and_adults_and_acute_and_chronic_leukaemias_appear(every_case):
    leukaemias = [c for c in every_case.values() if c.kind == "leukaemia"]
    assert any(c.patient.age_years < 18 for c in leukaemias)
    assert any(c.patient.age_years >= 18 for c in leukaemias)
    diagnoses = " ".join(c.diagnosis.lower() for c in leukaemias)
    assert "acute" in diagnoses and "chronic" in diagnoses


def test_every_decision_has_a_good_option_and_every_option_explains_with_sources(every_case):
    known = content.source_keys()
    for case in every_case.values():
        for step in case.steps:
            if step.decision is None:
                continue
            assert any(option.good for option in step.decision.options), case.key
            assert len(step.decision.options) >= 2
            for option in step.decision.options:
                assert option.feedback.strip()
                assert option.sources and set(option.sources) <= known, (case.key, option.text)


def test_every_count_lies_within_its_range_and_has_the_expected_units(every_case):
    for case in every_case.values():
        for step in case.steps:
            if step.results is None:
                continue
            for name, measurement in step.results.measurements():
                assert measurement.low <= measurement.value <= measurement.high
                assert measurement.units == ANALYTES[name][1]


def test_every_case_shows_results_somewhere(every_case):
    for case in every_case.values():
        assert any(step.results is not None for step in case.steps), case.key


def test_case_sources_resolve_in_the_bibliography(every_case):
    known = content.source_keys()
    for case in every_case.values():
        assert set(case.sources) <= known, case.key


# --- broken case files ---------------------------------------------------------------------------


def _break(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / "cases" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: '{old}' not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load(folder: Path) -> dict[str, Case]:
    content.clear_cache()
    return cases(folder)


def test_a_value_outside_its_range_names_file_entry_field_and_range(scratch_data):
    _break(scratch_data, "child-itp.toml", "platelets = { value = 9, low = 3,", "platelets = { value = 40, low = 3,")
    with pytest.raises(ContentError) as error:
        _load(scratch_data)
    message = str(error.value)
    assert "cases/child-itp.toml" in message and "child-itp" in message and "'steps'" in message
    assert "40" in message and "outside its stated range 3.0–25.0" in message


def test_wrong_units_are_refused(scratch_data):
    _break(scratch_data, "child-itp.toml", 'high = 25, units = "×10^9/L"', 'high = 25, units = "/µL"')
    with pytest.raises(ContentError, match=r"units '/µL' are not the expected '×10\^9/L' for platelets"):
        _load(scratch_data)


def test_an_unknown_kind_is_refused(scratch_data):
    _break(scratch_data, "child-itp.toml", 'kind = "mimic"', 'kind = "lymphoma"')
    with pytest.raises(ContentError, match=r"field 'kind': 'lymphoma' is not one of leukaemia, mimic, emergency"):
        _load(scratch_data)


def test_an_option_without_sources_is_refused(scratch_data):
    _break(scratch_data, "child-itp.toml", 'sources = ["calpin1998", "provan2010_icr_itp"]\n', "sources = []\n")
    with pytest.raises(ContentError, match="must cite at least one source"):
        _load(scratch_data)


def test_an_option_citing_a_key_missing_from_the_case_sources_is_refused(scratch_data):
    _break(
        scratch_data, "child-itp.toml", 'sources = ["calpin1998", "provan2010_icr_itp"]\n', 'sources = ["baker1989"]\n'
    )
    with pytest.raises(ContentError, match="cites baker1989, which the case's own sources list does not include"):
        _load(scratch_data)


def test_an_unknown_source_key_in_the_case_is_refused(scratch_data):
    _break(
        scratch_data,
        "child-itp.toml",
        'sources = ["nice_ng12_2015", "nice_ng240_2024", "pediatrics_petechiae_table"',
        'sources = ["nice_ng12_2015", "nice_ng240_2024", "pediatrics_petechiae_table", "nobody2099"',
    )
    with pytest.raises(ContentError, match="unknown source key 'nobody2099'"):
        _load(scratch_data)


def test_a_decision_without_a_good_option_is_refused(scratch_data):
    _break(scratch_data, "valsalva-petechiae.toml", "good = true", "good = false")
    with pytest.raises(ContentError, match="no option of 'What best explains the spots, and what do you do\\?'"):
        _load(scratch_data)


def test_a_case_without_any_decision_is_refused(scratch_data):
    path = scratch_data / "cases" / "child-itp.toml"
    text = path.read_text(encoding="utf-8")
    kept = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("[case.steps.decision"):
            skipping = True
        elif line.startswith("[[case.steps]]") or line.startswith("[case.steps.results]"):
            skipping = False
        if not skipping:
            kept.append(line)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(ContentError, match="at least one step with a decision"):
        _load(scratch_data)


def test_differential_counts_larger_than_the_wbc_are_refused(scratch_data):
    _break(
        scratch_data,
        "cll-older-adult.toml",
        "lymphocytes = { value = 27.0, low = 15.0",
        "lymphocytes = { value = 27.0, low = 19.0",
    )
    with pytest.raises(ContentError, match=r"lowest neutrophils \+ lymphocytes \(22\) exceed the lowest WBC"):
        _load(scratch_data)


def test_an_unknown_analyte_is_refused(scratch_data):
    _break(
        scratch_data,
        "child-itp.toml",
        "haemoglobin = {",
        'ferritin = { value = 1, low = 0, high = 2, units = "x" }\nhaemoglobin = {',
    )
    with pytest.raises(ContentError, match="unknown field 'ferritin'"):
        _load(scratch_data)


def test_two_files_with_the_same_case_key_are_refused(scratch_data):
    original = scratch_data / "cases" / "child-itp.toml"
    (scratch_data / "cases" / "zz-copy.toml").write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError, match="duplicate case key 'child-itp'"):
        _load(scratch_data)


# --- the generator -------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_version():
    for key in case_keys():
        assert generate_case(key, 7) == generate_case(key, 7)


def test_different_seeds_give_different_counts():
    versions = {generate_case("child-all", seed).counts_summary() for seed in range(10)}
    assert len(versions) >= 8


def test_versions_are_frozen():
    version = generate_case("child-all", 1)
    with pytest.raises(AttributeError):
        version.seed = 2  # type: ignore[misc]


def test_every_generated_count_stays_within_its_stated_range():
    for key in case_keys():
        for seed in SEEDS:
            for _step, value in generate_case(key, seed).all_counts():
                assert value.range_low <= value.value <= value.range_high, (key, seed, value)


def test_parts_of_the_white_count_never_exceed_the_wbc():
    for key in case_keys():
        for seed in SEEDS:
            for step in generate_case(key, seed).steps:
                values = {count.analyte: count.value for count in step.counts}
                if "wbc" in values:
                    parts = sum(values.get(name, 0.0) for name in WHITE_CELL_PARTS)
                    assert parts <= values["wbc"] + 1e-9, (key, seed, values)


def test_platelets_are_whole_numbers_and_other_counts_have_one_decimal():
    for _step, value in generate_case("adult-aml", 3).all_counts():
        decimals = ANALYTES[value.analyte][2]
        assert round(value.value, decimals) == value.value


def test_the_story_text_and_decisions_do_not_change_between_versions():
    one, two = generate_case("child-itp", 1), generate_case("child-itp", 2)
    assert [s.text for s in one.steps] == [s.text for s in two.steps]
    assert [s.decision for s in one.steps] == [s.decision for s in two.steps]


def test_an_unknown_case_key_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"unknown case 'child-aml'; expected one of: .*child-all"):
        generate_case("child-aml", 1)


@pytest.mark.parametrize("seed", ["7", 1.5, None, True])
def test_a_seed_that_is_not_a_whole_number_is_refused(seed):
    with pytest.raises(TypeError, match=r"seed( = .* is not a whole number| is missing)"):
        generate_case("child-all", seed)  # type: ignore[arg-type]


def test_a_negative_seed_is_refused():
    with pytest.raises(ValueError, match="seed = -1 is negative"):
        generate_case("child-all", -1)


def test_the_patient_is_described_in_words():
    assert generate_case("child-all", 1).patient == "4-year-old boy"
    assert generate_case("adult-aml", 1).patient == "58-year-old woman"


# --- branching (issue 14): every case file walks, and its best path teaches ----------------------------------


def test_every_case_has_at_least_three_decisions_on_its_best_path(every_case):
    short = {key: len(best_path(case).choices) for key, case in every_case.items() if len(best_path(case).choices) < 3}
    assert not short, f"cases whose best path asks fewer than 3 decisions: {short}"


def test_every_case_best_path_meets_every_deadline(every_case):
    for key, case in every_case.items():
        missed = [result.text() for result in best_path(case).missed]
        assert not missed, f"{key}: the best path misses {missed}"


def test_every_path_through_every_case_ends_and_the_best_is_one_of_them(every_case):
    for key, case in every_case.items():
        paths = all_paths(case)
        assert all(path.finished for path in paths), key
        assert sum(path.is_best for path in paths) == 1, key


def test_the_meningococcal_case_is_filed_with_the_emergencies(every_case):
    assert every_case["meningococcal"].kind == "emergency"


def test_an_infants_age_can_be_given_in_months_and_must_agree_with_the_years():
    assert Patient(age_years=0, sex="male", age_months=4).age == pytest.approx(4 / 12)
    assert Patient(age_years=1, sex="female", age_months=18).age == pytest.approx(1.5)
    assert Patient(age_years=4, sex="male").age == 4
    with pytest.raises(FieldError, match="13 months does not agree with age_years = 0; expected 0–11 months"):
        Patient(age_years=0, sex="male", age_months=13)
    with pytest.raises(FieldError, match="age_months is for infants"):
        Patient(age_years=3, sex="male", age_months=40)


def test_the_four_month_old_is_called_a_4_month_old_not_a_0_year_old():
    version = generate_case("non-accidental-injury", 1)
    assert version.patient == "4-month-old boy" and version.age_months == 4
    assert "-year-old " in generate_case("child-itp", 1).patient


def test_every_emergency_case_has_a_consequence_branch_a_delay_leads_into(every_case):
    for key, case in every_case.items():
        if case.kind != "emergency":
            continue
        branches = {index for index, step in enumerate(case.steps) if step.branch}
        led_there_by_a_delay = [
            (index, option.text)
            for index, step in enumerate(case.steps)
            if step.decision
            for option in step.decision.options
            if not option.good and option.minutes > 0 and case.next_step_index(index, option) in branches
        ]
        assert led_there_by_a_delay, f"{key}: no poor option takes time and leads to a branch step (a consequence)"


def test_every_case_shows_a_blood_count_or_a_blood_film(every_case):
    for key, case in every_case.items():
        shown = [step.results for step in case.steps if step.results is not None]
        assert any(results.measurements() or results.film for results in shown), key


def test_every_step_of_a_version_is_varied_branch_steps_included():
    case = cases()["meningococcal"]
    version = generate_case("meningococcal", 5)
    assert [(s.key, s.branch) for s in version.steps] == [(s.key, s.branch) for s in case.steps]
    for step, varied in zip(case.steps, version.steps, strict=True):
        given = step.results.measurements() if step.results is not None else ()
        assert [name for name, _m in given] == [count.analyte for count in varied.counts]
