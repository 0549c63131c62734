"""`petechiae-edu check [--data DIR]`: every problem of a content folder, each naming file, entry and field."""

from __future__ import annotations

import pytest

from petechiae_edu import calibrated, cli, content
from petechiae_edu.content import ContentError, ContentProblems, cbc_rules


def _edit(folder, filename: str, old: str, new: str) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_content_is_clean():
    report = content.check_store()
    assert report.ok, "\n".join(map(str, report.all_problems))
    assert report.counts["sources.toml"] >= 60


def test_check_of_a_draft_folder_reports_every_problem_and_exits_1(scratch_data, capsys):
    _edit(scratch_data, "reference_ranges.toml", "low = 150\n", "low = -5\n")
    _edit(scratch_data, "leukaemia_types.toml", "incidence_per_100000 = 4.2", "incidence_per_100000 = nan")
    (scratch_data / "glossary.toml").unlink()
    assert cli.main(["check", "--data", str(scratch_data)]) == 1
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if line.startswith("PROBLEM content store:")]
    assert len(problems) >= 3, out
    assert any("data/reference_ranges.toml, entry 'platelets' (range #1), field 'high'" in p for p in problems)
    assert any("data/leukaemia_types.toml, entry" in p and "field 'incidence_per_100000'" in p for p in problems)
    assert any("data/glossary.toml: required file is missing" in p for p in problems)
    assert "problem(s) found" in out


def test_check_of_a_clean_draft_folder_exits_0(scratch_data, capsys):
    assert cli.main(["check", "--data", str(scratch_data)]) == 0, capsys.readouterr().out
    assert "OK      content store" in capsys.readouterr().out


def test_check_data_that_is_not_a_folder_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", "--data", str(tmp_path / "nowhere")])
    assert exited.value.code == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_misspelt_source_key_gets_the_closest_key_suggested(scratch_data):
    _edit(
        scratch_data, "reference_ranges.toml", 'sources = ["oer_reference_ranges"', 'sources = ["oer_reference_range"'
    )
    problems = [str(p) for p in content.check_store(scratch_data).problems]
    assert any(
        "unknown source key 'oer_reference_range' (not in data/sources.toml); did you mean 'oer_reference_ranges'?" in p
        for p in problems
    ), problems


def test_every_field_of_one_entry_is_reported(scratch_data):
    _edit(scratch_data, "reference_ranges.toml", "low = 150\n", 'low = "150"\nlwo = 1\n')
    problems = [p for p in content.check_store(scratch_data).problems if p.entry and "'platelets'" in p.entry]
    assert {p.field for p in problems} >= {"low", "lwo"}


def test_validate_all_raises_one_error_listing_every_problem(scratch_data):
    _edit(scratch_data, "reference_ranges.toml", "low = 150\n", "low = -5\n")
    _edit(scratch_data, "lesion_sizes.toml", 'key = "five_minute_consult"', 'key = "leung_chan"')
    with pytest.raises(ContentProblems) as caught:
        content.validate_all(scratch_data)
    assert len(caught.value.problems) == 2
    message = str(caught.value)
    assert "data/reference_ranges.toml, entry 'platelets'" in message and "duplicate key 'leung_chan'" in message
    assert isinstance(caught.value, ContentError)  # existing callers that catch ContentError keep working


def test_clear_cache_also_forgets_the_calibrated_tables_and_cbc_rules():
    patterns, ranges, rules = calibrated.course_patterns(), calibrated.course_ranges(), cbc_rules.cbc_patterns()
    content.clear_cache()
    assert calibrated.course_patterns() is not patterns
    assert calibrated.course_ranges() is not ranges
    assert cbc_rules.cbc_patterns() is not rules
