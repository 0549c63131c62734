"""Class results without a server of ours (issue 13, point 6): answers recorded in the workspace, exported by the
student, summarised for the instructor. Tested with a synthetic class whose answers we know."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from petechiae_edu import cli
from petechiae_edu.results.answers import AnswerLog, answers_path, find_workspace, read_answers
from petechiae_edu.results.export import export_results
from petechiae_edu.results.summary import ResultsFileError, read_results, summarise
from petechiae_edu.workspace import MANIFEST_NAME


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "petechiae-edu"
    folder.mkdir()
    (folder / MANIFEST_NAME).write_text('{"files": {}}')
    return folder


def test_answers_are_recorded_only_inside_a_workspace(workspace, tmp_path):
    assert find_workspace(workspace / "sub" / "deeper") == workspace
    assert find_workspace(tmp_path) is None
    AnswerLog(find_workspace(tmp_path)).record("03", "q1", "an option", True)  # outside: nothing written
    assert not list(tmp_path.rglob("answers.jsonl"))
    log = AnswerLog(workspace)
    log.record("03", "q1", "8 ×10^9/L", False)
    log.record("03", "q1", "10 ×10^9/L", True)
    answers = read_answers(workspace)
    assert [(a.question, a.chosen, a.correct) for a in answers] == [
        ("q1", "8 ×10^9/L", False),
        ("q1", "10 ×10^9/L", True),
    ]
    assert "name" not in answers_path(workspace).read_text()


def test_a_folder_that_cannot_be_written_never_breaks_the_self_check(tmp_path):
    blocked = tmp_path / "ws"
    blocked.mkdir()
    (blocked / ".petechiae-edu-results").write_text("a file where the folder should be")
    log = AnswerLog(blocked)
    log.record("01", "q", "x", True)  # no exception
    assert log.problem and "could not be saved" in log.problem


def test_the_export_is_one_file_never_written_over(workspace, tmp_path):
    AnswerLog(workspace).record("07", "units-per-microlitre", "45 ×10^9/L", True)
    out = export_results(tmp_path / "me.json", workspace=workspace)
    document = json.loads(out.read_text())
    assert document["format"] == "petechiae-edu-results" and document["student"] is None
    assert document["lessons"]["07"]["answered"] == 1 and document["lessons"]["07"]["questions"] >= 8
    with pytest.raises(FileExistsError, match="already exists; nothing was written"):
        export_results(out, workspace=workspace)
    named = json.loads(export_results(tmp_path / "named.json", workspace=workspace, name="Student 42").read_text())
    assert named["student"] == "Student 42"


def test_export_outside_a_workspace_says_where_to_point_it(tmp_path):
    with pytest.raises(ValueError, match=r"is not in a petechiae-edu workspace .* --workspace"):
        export_results(tmp_path / "me.json", workspace=tmp_path)


def _synthetic_class(students: int = 40, seed: int = 1) -> list[dict]:
    """Students of known ability; 'good' tracks ability, 'noise' is a coin toss, 'trap' catches the able."""
    rng = random.Random(seed)
    documents = []
    for number in range(students):
        ability = number / (students - 1)
        answers = []
        for question in ("good", "noise", "trap"):
            if question == "good":
                right = ability > 0.5
            elif question == "noise":
                right = rng.random() < 0.5
            else:
                right = ability < 0.5
            chosen = "the key" if right else ("the common error" if number % 3 else "a rarer error")
            answers.append({"lesson": "03", "question": question, "chosen": chosen, "correct": right, "time": "t"})
        for extra in ("e1", "e2", "e3", "e4"):  # the rest of the test: tracks ability
            answers.append({"lesson": "03", "question": extra, "chosen": "x", "correct": ability > 0.3, "time": "t"})
        if number % 2 == 0:  # half the class also did lesson 05, all of it
            answers += [
                {"lesson": "05", "question": f"q{i}", "chosen": "k", "correct": True, "time": "t"} for i in range(2)
            ]
        documents.append(
            {
                "format": "petechiae-edu-results",
                "version": 1,
                "lessons": {"03": {"questions": 7}, "05": {"questions": 2}},
                "answers": answers,
            }
        )
    return documents


def test_the_summary_finds_the_item_that_discriminates_and_the_ones_that_do_not():
    summary = summarise([read_results(f"s{i}.json", d) for i, d in enumerate(_synthetic_class())])
    by_key = {q.question: q for q in summary.questions}
    assert summary.students == 40
    assert by_key["good"].difficulty == pytest.approx(20 / 40)
    assert by_key["good"].discrimination > 0.4
    assert abs(by_key["noise"].discrimination) < 0.35
    assert by_key["trap"].discrimination < -0.3
    assert {q.question for q in summary.flagged()} >= {"noise", "trap"}
    assert "good" not in {q.question for q in summary.flagged()}
    assert by_key["good"].wrong_options[0][0] == "the common error"


def test_completion_is_the_share_who_answered_every_question_of_a_lesson():
    summary = summarise([read_results(f"s{i}.json", d) for i, d in enumerate(_synthetic_class())])
    lessons = {lesson.lesson: lesson for lesson in summary.lessons}
    assert lessons["03"].completion == 1.0
    assert lessons["05"].completion == pytest.approx(0.5)
    assert lessons["05"].mean_answered == pytest.approx(0.5)


def test_only_the_first_attempt_counts():
    document = _synthetic_class(students=5)[0]
    document["answers"].append({"lesson": "03", "question": "good", "chosen": "the key", "correct": True, "time": "t"})
    student = read_results("s.json", document)
    assert student.first_attempts[("03", "good")][0] is False


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "something else"}, "not a petechiae-edu results file"),
        ({"format": "petechiae-edu-results", "version": 99}, "version 99"),
        ({"format": "petechiae-edu-results", "version": 1, "answers": [{}], "lessons": {}}, "answer 1 lacks"),
    ],
)
def test_a_bad_results_file_is_named_with_what_was_expected(document, message):
    with pytest.raises(ResultsFileError, match=rf"broken\.json: .*{message}"):
        read_results("broken.json", document)


def test_the_summary_command_prints_a_table_and_writes_an_html_report(tmp_path, capsys):
    files = []
    for number, document in enumerate(_synthetic_class(students=8)):
        path = tmp_path / f"student{number}.json"
        path.write_text(json.dumps(document))
        files.append(str(path))
    report = tmp_path / "class.html"
    assert cli.main(["results", "summary", *files, "--html", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Results of 8 student(s)" in out and "03/good" in out
    html = report.read_text()
    assert "<svg" in html and "Class results: 8 student(s)" in html and "the common error" in html
    assert cli.main(["results", "summary", *files, "--html", str(report)]) == 2  # never written over


def test_a_student_exports_from_the_command_line(workspace, tmp_path, capsys, monkeypatch):
    AnswerLog(workspace).record("01", "q", "x", True)
    monkeypatch.chdir(workspace)
    assert cli.main(["results", "export", str(tmp_path / "mine.json")]) == 0
    assert json.loads((tmp_path / "mine.json").read_text())["answers"][0]["question"] == "q"
