"""Reliability review, section 2 (content store): each failing row, as a specification of what ``check`` and the
loaders now do. Each test names its row (C8 ... C47); the set-up is the row's reproduce command, run on a scratch
copy of ``data/``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from petechiae_edu import content, environment
from petechiae_edu.content import ContentError


def _edit(folder: Path, filename: str, old: str, new: str, count: int = 1) -> None:
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {filename}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    return [str(problem) for problem in content.check_store(folder).all_problems]


def _one_problem_like(folder: Path, *fragments: str) -> str:
    found = [p for p in _problems(folder) if all(fragment in p for fragment in fragments)]
    assert found, f"no problem naming {fragments}; got: {_problems(folder)}"
    return found[0]


def test_C8_look_alike_glossary_keys_are_refused(scratch_data):
    _edit(scratch_data, "glossary.toml", 'key = "purpura"', 'key = "Petechia"')
    _edit(scratch_data, "glossary.toml", 'key = "ecchymosis"', 'key = "petechia\u200b"')
    assert _one_problem_like(scratch_data, "data/glossary.toml", "'Petechia'", "field 'key'")
    assert _one_problem_like(scratch_data, "data/glossary.toml", "field 'key'", "U+200B (ZERO WIDTH SPACE)")


def test_C12_an_infinite_reference_range_is_refused(scratch_data):
    _edit(scratch_data, "reference_ranges.toml", "high = 450\n", "high = inf\n")
    message = _one_problem_like(scratch_data, "data/reference_ranges.toml", "entry 'platelets'", "field 'high'")
    assert "expected a finite number, got inf" in message
    with pytest.raises(ContentError, match="finite number"):
        content.reference_ranges(scratch_data)


def test_C13_a_platelet_range_written_per_microlitre_is_refused(scratch_data):
    _edit(scratch_data, "reference_ranges.toml", "low = 150\n", "low = 150000\n")
    _edit(scratch_data, "reference_ranges.toml", "high = 450\n", "high = 450000\n")
    message = _one_problem_like(scratch_data, "entry 'platelets'", "field 'high'")
    assert "450000" in message and "×10^9/L" in message and "divide by 1000" in message


def test_C14_a_missing_platelet_reference_range_is_reported(scratch_data):
    _edit(scratch_data, "reference_ranges.toml", 'key = "platelets"', 'key = "platelets_x"')
    message = _one_problem_like(scratch_data, "data/reference_ranges.toml", "'platelets'", "missing")
    assert "blood-count interpreter" in message


def test_C14_the_required_ranges_are_the_ones_the_interpreter_needs():
    from petechiae_edu.content.check import REQUIRED_ENTRIES
    from petechiae_edu.models import cbc

    _array, keys, _why = REQUIRED_ENTRIES["reference_ranges.toml"]
    ranges = content.reference_ranges()
    cbc.ranges_from_records({key: ranges[key] for key in keys})  # needs no other key
    for left_out in keys:
        with pytest.raises(KeyError, match=left_out):
            cbc.ranges_from_records({key: ranges[key] for key in keys if key != left_out})


def test_C15_a_nan_risk_factor_value_is_refused(scratch_data):
    path = scratch_data / "risk_factors.toml"
    text = path.read_text(encoding="utf-8")
    broken = re.sub(
        r"headline_value = [0-9.]+\ninterval_low = [0-9.]+\ninterval_high = [0-9.]+",
        "headline_value = nan",
        text,
        count=1,
    )
    assert broken != text, "test set-up"
    path.write_text(broken, encoding="utf-8")
    message = _one_problem_like(scratch_data, "data/risk_factors.toml", "field 'headline_value'")
    assert "expected a finite number, got nan" in message


@pytest.mark.parametrize("value", ["-4.2", "nan"])
def test_C17_a_negative_or_nan_incidence_is_refused(scratch_data, value):
    _edit(scratch_data, "leukaemia_types.toml", "incidence_per_100000 = 4.2", f"incidence_per_100000 = {value}")
    assert _one_problem_like(scratch_data, "data/leukaemia_types.toml", "field 'incidence_per_100000'", value)


def test_C19_a_missing_healthy_preset_is_reported(scratch_data):
    _edit(scratch_data, "presets/progression.toml", 'key = "healthy"', 'key = "healthy_x"', count=-1)
    assert _one_problem_like(scratch_data, "data/presets/progression.toml", "'healthy'", "missing")


def test_C21_case_counts_written_per_microlitre_are_refused(scratch_data):
    _edit(
        scratch_data,
        "cases/child-all.toml",
        "platelets = { value = 47, low = 15, high = 90",
        "platelets = { value = 47000, low = 15000, high = 90000",
    )
    message = _one_problem_like(scratch_data, "data/cases/child-all.toml", "platelets")
    assert "90000" in message and "divide by 1000" in message


def test_C23_an_implausible_log_odds_standard_error_is_refused(scratch_data):
    path = scratch_data / "calibration" / "bleeding.toml"
    path.write_text(re.sub(r"log_odds_se = [0-9.]+", "log_odds_se = 1e300", path.read_text(encoding="utf-8")))
    message = _one_problem_like(scratch_data, "data/calibration/bleeding.toml", "field 'log_odds_se'")
    assert "1e+300" in message and "not a plausible standard error" in message


def test_C27_deep_nesting_is_named_not_a_recursion_traceback(scratch_data):
    _edit(
        scratch_data,
        "glossary.toml",
        'schema = "glossary"',
        'schema = "glossary"\nx = ' + "[" * 100_000 + "]" * 100_000,
    )
    assert _one_problem_like(scratch_data, "data/glossary.toml", "nested more than")
    with pytest.raises(ContentError, match="nested more than"):
        content.glossary(scratch_data)


def test_C28_see_also_must_name_a_term_of_the_glossary(scratch_data):
    _edit(
        scratch_data,
        "glossary.toml",
        'see_also = ["petechia", "ecchymosis", "diascopy", "itp", "hsp"]',
        'see_also = ["no_such_term", "ecchymosys"]',
    )
    assert _one_problem_like(scratch_data, "data/glossary.toml", "field 'see_also'", "'no_such_term'")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (bytes(range(256)) * 16, "binary file"),
        (b'schema = "glossary"\n# caf\xe9\n', "is not UTF-8 text (byte 0xe9 on line 2"),
        ('schema = "glossary"\n'.encode("utf-16"), "UTF-16"),
    ],
)
def test_C30_C31_binary_and_non_utf8_files_are_named(scratch_data, data, expected):
    (scratch_data / "junk.toml").write_bytes(data)
    (scratch_data / "glossary.toml").write_bytes(data)
    assert _one_problem_like(scratch_data, "data/junk.toml", expected)
    with pytest.raises(ContentError, match=re.escape(expected)):  # C31: the loaders raise a ContentError too
        content.glossary(scratch_data)
    with pytest.raises(ContentError, match=r"data/glossary\.toml"):
        content.validate_all(scratch_data)


def test_C32_a_byte_order_mark_is_named(scratch_data):
    path = scratch_data / "glossary.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _one_problem_like(scratch_data, "data/glossary.toml", "byte-order mark (BOM)", "without BOM")


def test_C34_invisible_and_control_characters_are_refused(scratch_data):
    _edit(scratch_data, "glossary.toml", 'term = "Purpura"', 'term = "Pur\\u202epura\\u0000"')
    message = _one_problem_like(scratch_data, "data/glossary.toml", "entry 'purpura'", "field 'term'")
    assert "U+202E" in message and "RIGHT-TO-LEFT OVERRIDE" in message


def test_C35_a_source_key_must_be_ascii(scratch_data):
    _edit(scratch_data, "sources.toml", 'key = "leung2001"', 'key = "leung2001ä"')
    assert _one_problem_like(scratch_data, "data/sources.toml", "'leung2001ä'", "field 'key'")


def test_C37_a_folder_named_like_a_content_file_is_named_and_the_rest_is_checked(scratch_data):
    (scratch_data / "dir.toml").mkdir()
    _edit(scratch_data, "reference_ranges.toml", "low = 150\n", "low = -5\n")
    problems = _problems(scratch_data)
    assert any("data/dir.toml: is a folder" in p for p in problems)
    assert any("data/reference_ranges.toml, entry 'platelets'" in p for p in problems)


def test_C39_a_symlink_loop_is_named(scratch_data):
    os.symlink("b.toml", scratch_data / "a.toml")
    os.symlink("a.toml", scratch_data / "b.toml")
    assert _one_problem_like(scratch_data, "data/a.toml", "loop of symbolic links")
    assert _one_problem_like(scratch_data, "data/b.toml", "loop of symbolic links")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_C42_a_fifo_is_reported_without_being_opened(scratch_data):
    os.mkfifo(scratch_data / "fifo.toml")
    os.remove(scratch_data / "glossary.toml")
    os.mkfifo(scratch_data / "glossary.toml")
    probe = (
        "import sys; from pathlib import Path; from petechiae_edu import content\n"
        "print(*content.check_store(Path(sys.argv[1])).all_problems, sep='\\n')\n"
        "try:\n    content.glossary(Path(sys.argv[1]))\nexcept content.ContentError as error:\n    print(error)\n"
    )
    # a subprocess with a timeout: before the fix, reading the FIFO blocked for ever
    result = subprocess.run(
        [sys.executable, "-c", probe, str(scratch_data)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "data/fifo.toml: is a FIFO (named pipe), not a content file; it was not read" in result.stdout
    assert result.stdout.count("data/glossary.toml: is a FIFO") == 2


def test_C43_a_deleted_glossary_is_reported_as_missing(scratch_data):
    (scratch_data / "glossary.toml").unlink()
    message = _one_problem_like(scratch_data, "data/glossary.toml", "required file is missing")
    assert "glossary" in message


def test_C45_a_lesson_without_its_question_bank_is_reported(scratch_data):
    (scratch_data / "quizzes" / "03.toml").unlink()
    message = _one_problem_like(scratch_data, "data/quizzes/03.toml", "required file is missing")
    assert "lesson 03" in message and "'03-leukaemias'" in message


def _scenario_file(folder: Path, explorer: str, path: str, value: float) -> None:
    (folder / "scenarios.toml").write_text(
        'schema = "scenario"\n\n[[scenario]]\nkey = "test-scenario"\nname = "Test scenario"\n'
        f'explorer = "{explorer}"\nsummary = "For the test."\nsources = ["kaufman2015"]\n\n'
        f'[scenario.controls]\n"{path}" = {value}\n',
        encoding="utf-8",
    )


def test_C47_a_misspelt_explorer_is_reported_with_the_closest_name(scratch_data):
    _scenario_file(scratch_data, "bleeding_explorr", "platelets.value", 5.0)
    lines = [f.line() for f in environment.check_scenarios(scratch_data)]
    assert any(
        "entry 'test-scenario' (scenario #1), field 'explorer': no explorer called 'bleeding_explorr'; "
        "did you mean 'bleeding_explorer'?" in line
        for line in lines
    ), lines


def test_C46_a_control_out_of_range_is_reported_by_check(scratch_data):
    _scenario_file(scratch_data, "bleeding_explorer", "platelets.value", 8000.0)
    lines = [f.line() for f in environment.check_scenarios(scratch_data)]
    problems = [line for line in lines if line.startswith("PROBLEM")]
    assert problems and "entry 'test-scenario'" in problems[0] and "8000" in problems[0], lines
