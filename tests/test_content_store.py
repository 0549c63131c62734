"""The content store loads into typed records and refuses bad content with a message naming file, entry, field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from petechiae_edu import content, paths
from petechiae_edu.content import ContentError


def test_every_data_file_loads_and_every_source_key_resolves():
    counts = content.validate_all()
    assert "sources.toml" in counts
    assert counts["sources.toml"] >= 60
    for required in (
        "glossary.toml",
        "leukaemia_types.toml",
        "petechiae_causes.toml",
        "risk_factors.toml",
        "reference_ranges.toml",
        "red_flags.toml",
        "lesion_sizes.toml",
        "course.toml",
    ):
        assert counts[required] > 0, required


def test_records_are_frozen_dataclasses():
    platelets = content.reference_ranges()["platelets"]
    with pytest.raises(AttributeError):
        platelets.low = 0  # type: ignore[misc]


def test_platelet_range_is_150_to_450_per_litre_units():
    platelets = content.reference_ranges()["platelets"]
    assert (platelets.low, platelets.high, platelets.units) == (150, 450, "×10^9/L")


def test_haemoglobin_has_a_range_for_each_sex():
    ranges = content.reference_ranges()
    assert ranges["haemoglobin_male"].sex == "male"
    assert ranges["haemoglobin_female"].sex == "female"
    assert ranges["haemoglobin_male"].units == "g/dL"


def test_the_five_leukaemia_types_are_described():
    types = content.leukaemia_types()
    assert {"aml", "all", "cml", "cll", "hcl"} <= set(types)
    assert types["cml"].course == "chronic" and types["aml"].course == "acute"
    assert any("BCR-ABL1" in hallmark for hallmark in types["cml"].hallmarks)


def test_secondary_sources_say_where_they_were_read():
    for source in content.sources().values():
        if source.confidence == "secondary":
            assert source.read_in, source.key


def test_loading_is_cached():
    assert content.glossary() is content.glossary()


def _break(folder: Path, filename: str, old: str, new: str) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_source_key_names_file_entry_and_field(scratch_data):
    _break(scratch_data, "reference_ranges.toml", 'sources = ["oer_reference_ranges"', 'sources = ["no_such_paper"')
    with pytest.raises(ContentError) as caught:
        content.reference_ranges(scratch_data)
    message = str(caught.value)
    assert "data/reference_ranges.toml" in message
    assert "field 'sources'" in message
    assert "unknown source key 'no_such_paper'" in message
    assert re.search(r"entry '\w+' \(range #\d+\)", message)


def test_missing_units_is_refused(scratch_data):
    path = scratch_data / "reference_ranges.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^units = "×10\^9/L"\n', "", text, count=1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"field 'units': required field is missing \(units of low and high"):
        content.reference_ranges(scratch_data)


def test_wrong_type_is_refused_with_the_bad_value(scratch_data):
    _break(scratch_data, "reference_ranges.toml", "low = 150", 'low = "150"')
    with pytest.raises(
        ContentError, match=r"entry 'platelets' \(range #1\), field 'low': expected a number, got '150'"
    ):
        content.reference_ranges(scratch_data)


def test_duplicate_key_is_refused(scratch_data):
    path = scratch_data / "lesion_sizes.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('key = "five_minute_consult"', 'key = "leung_chan"'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"duplicate key 'leung_chan'; it was already used by definition_set #1"):
        content.lesion_size_definitions(scratch_data)


def test_unknown_field_catches_a_typo(scratch_data):
    _break(scratch_data, "reference_ranges.toml", "low = 150", "lwo = 150")
    with pytest.raises(ContentError, match=r"field 'lwo': unknown field"):
        content.reference_ranges(scratch_data)


def test_an_impossible_range_is_refused(scratch_data):
    _break(scratch_data, "reference_ranges.toml", "low = 150", "low = 500")
    with pytest.raises(ContentError, match=r"field 'high': the range 500.0–450.0 ×10\^9/L must have 0 ≤ low < high"):
        content.reference_ranges(scratch_data)


def test_a_fact_without_sources_is_refused(scratch_data):
    path = scratch_data / "lesion_sizes.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^sources = \[.*\]$", "sources = []", text, count=1), encoding="utf-8")
    with pytest.raises(ContentError, match="a clinical statement needs at least one source key"):
        content.lesion_size_definitions(scratch_data)


def test_invalid_toml_names_the_file_and_line(scratch_data):
    (scratch_data / "glossary.toml").write_text('schema = "glossary"\n[[term]\nkey = "x"\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"data/glossary.toml: not valid TOML \(.*line 2"):
        content.glossary(scratch_data)


def test_a_file_without_a_schema_line_is_refused_by_validate_all(scratch_data):
    (scratch_data / "stray.toml").write_text('[[term]]\nkey = "x"\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"data/stray.toml: missing top-level 'schema"):
        content.validate_all(scratch_data)


SMALL_BANK = """schema = "quiz"

[[question]]
key = "size-name"
prompt = "A well 6-year-old has a 1 mm flat red spot on the shin that stays under a pressed glass. What is it?"
options = [
  { text = "A petechia", good = true, feedback = "Under 2 mm and non-blanching." },
  { text = "Purpura", good = false, feedback = "Purpura is 2 mm to 1 cm." },
  { text = "An ecchymosis", good = false, feedback = "A bruise is over 1 cm." },
  { text = "A naevus", good = false, feedback = "A naevus is a mole, not blood in the skin." },
]
explanation = "Size and blanching name the spot."
sources = ["leung2001"]
"""


@pytest.mark.parametrize(
    ("marking", "found"),
    [
        (("A petechia", "good = true", "good = false"), "no option is"),
        (("Purpura", "good = false", "good = true"), "options 1, 2 are"),
    ],
)
def test_a_quiz_question_marks_exactly_one_option_good(scratch_data, marking, found):
    option, before, after = marking
    path = scratch_data / "quizzes" / "01.toml"
    line = f'{{ text = "{option}", {before},'
    assert line in SMALL_BANK
    path.write_text(SMALL_BANK.replace(line, f'{{ text = "{option}", {after},', 1), encoding="utf-8")
    with pytest.raises(
        ContentError,
        match=rf"data/quizzes/01.toml, entry 'size-name' \(question #1\), field 'options': {found} marked "
        r"good = true; expected exactly one right option per question",
    ):
        content.quiz("01", scratch_data)


def test_reordering_quiz_options_keeps_the_answer(scratch_data):
    path = scratch_data / "quizzes" / "01.toml"
    first = '  { text = "A petechia", good = true, feedback = "Under 2 mm and non-blanching." },\n'
    last = '  { text = "A naevus", good = false, feedback = "A naevus is a mole, not blood in the skin." },\n'
    assert first in SMALL_BANK and last in SMALL_BANK
    path.write_text(SMALL_BANK.replace(first, "", 1).replace(last, last + first, 1), encoding="utf-8")
    question = content.quiz("01", scratch_data)[0]
    assert question.good_option.text == "A petechia" and question.good_number == 4
    assert question.good_option.feedback == "Under 2 mm and non-blanching."


def test_a_secondary_source_without_read_in_is_refused(scratch_data):
    path = scratch_data / "sources.toml"
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r"(?m)^read_in = .*\n", "", text, count=1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(
        ContentError, match=r"field 'read_in': a source whose figures were read elsewhere must say where"
    ):
        content.sources(scratch_data)


def test_every_quiz_question_has_an_explanation_and_resolving_sources():
    known = content.source_keys()
    for path in sorted((paths.data_dir() / "quizzes").glob("*.toml")):
        for question in content.quiz(path.stem):
            assert question.explanation.strip()
            assert set(question.sources) <= known


def test_every_section_of_a_multi_section_file_is_checked(scratch_data):
    path = scratch_data / "calibration" / "bleeding.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[[trial]]", "[[trail]]", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"unknown section \[\[trail\]\] for schema 'bleeding_calibration'"):
        content.validate_all(scratch_data)
