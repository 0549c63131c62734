"""Presenting: Voilà serves a lesson on 127.0.0.1, code hidden, with the projector theme."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from petechiae_edu.classroom.editions import lesson_paths
from petechiae_edu.classroom.present import (
    PROJECTOR_CELL_SOURCE,
    PROJECTOR_CELL_TAG,
    SCENARIO_APP,
    SCENARIO_CELL_SOURCE,
    LessonNotFoundError,
    add_projector_cell,
    add_scenario_pickers,
    free_port,
    resolve_lesson,
    voila_arguments,
    write_template,
)

SECRET_CODE = "platelet_count_secret = 8"
INSTRUCTOR_NOTE = "Teaching note: pause here for questions"
TOKEN = "test-token-for-present"


def _status(url: str) -> tuple[int, str]:
    """Status and body of a GET, following no login redirect into a page we could mistake for the lesson."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _sample_lesson(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Sample lesson\n\nPetechiae are pinpoint bleeds."),
        nbformat.v4.new_code_cell(
            f"{SECRET_CODE}\nfrom petechiae_edu.figures.render import new_figure, projector_style_on\n"
            "print('projector style', projector_style_on(), 'figure dpi', new_figure(7, 4, dpi=90).dpi)"
        ),
        nbformat.v4.new_markdown_cell(INSTRUCTOR_NOTE, metadata={"tags": ["instructor"]}),
    ]
    path = folder / "99-sample.ipynb"
    nbformat.write(notebook, path)
    return path


def _fetch(url: str, process: subprocess.Popen, deadline_seconds: float = 120) -> str:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"Voilà exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError(f"Voilà did not answer at {url}")


def test_lessons_are_found_by_number_name_or_path(tmp_path):
    lesson = _sample_lesson(tmp_path)
    lessons = [lesson]
    assert resolve_lesson("99", lessons) == lesson
    assert resolve_lesson("99-sample", lessons) == lesson
    assert resolve_lesson("99-sample.ipynb", lessons) == lesson
    assert resolve_lesson(str(lesson), lessons) == lesson.resolve()


def test_an_unknown_lesson_is_refused_with_the_known_ones_listed(tmp_path):
    with pytest.raises(LessonNotFoundError, match=r"42.*99-sample"):
        resolve_lesson("42", [_sample_lesson(tmp_path)])


def test_the_projector_cell_is_added_once_and_first():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Lesson")]
    add_projector_cell(add_projector_cell(notebook))
    assert notebook.cells[0].source == PROJECTOR_CELL_SOURCE
    assert sum(PROJECTOR_CELL_TAG in c.metadata.get("tags", []) for c in notebook.cells) == 1


def test_voila_listens_only_on_localhost_with_the_projector_template(tmp_path):
    arguments = voila_arguments(tmp_path / "x.ipynb", 9999)
    assert "--Voila.ip=127.0.0.1" in arguments
    assert "--template=petechiae-present" in arguments
    assert "--no-browser" in arguments
    index = (write_template(tmp_path) / "index.html.j2").read_text()
    assert "max-width: 1500px" in index and "clamp(" in index and "zoom" not in index
    assert "extends 'voila/templates/lab/index.html.j2'" in index


@pytest.mark.slow
def test_present_serves_the_lesson_with_code_hidden_and_projector_figures(tmp_path):
    lesson = _sample_lesson(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "petechiae_edu.classroom.present", str(lesson), "--port", str(port), "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    try:
        page = _fetch(f"http://127.0.0.1:{port}/?token={TOKEN}", process)
        bare_status, bare_page = _status(f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Sample lesson" in page
    assert 'id="petechiae-edu-present"' in page  # the projector theme
    assert SECRET_CODE not in page and "use_projector_style" not in page  # code hidden
    assert "projector style True figure dpi 117" in page  # the kernel drew with the projector style (zoom 1.3)
    assert "Traceback" not in page
    assert INSTRUCTOR_NOTE not in page  # the class sees the student edition
    assert "Sample lesson" not in bare_page and bare_status != 200  # no token, no lesson


@pytest.mark.parametrize("lesson", lesson_paths(), ids=[p.stem for p in lesson_paths()])
def test_every_lesson_can_be_named_on_the_command_line(lesson):
    assert resolve_lesson(lesson.stem) == lesson


def _explorer_lesson() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from petechiae_edu import bleeding_explorer\n_ = 'start'"),
        nbformat.v4.new_code_cell("bleeding_explorer(platelet_count=8)"),
        nbformat.v4.new_code_cell("print('no explorer here')"),
    ]
    return notebook


def test_presenting_adds_a_scenario_picker_under_each_explorer_with_scenarios():
    notebook = add_scenario_pickers(_explorer_lesson())
    sources = [cell.source for cell in notebook.cells]
    assert sources[1] == f"{SCENARIO_APP} = bleeding_explorer(platelet_count=8)\n{SCENARIO_APP}"
    assert sources[2] == SCENARIO_CELL_SOURCE
    assert sources[3] == "print('no explorer here')"
    assert len(add_scenario_pickers(notebook).cells) == 4  # added once only


def test_the_added_cells_show_the_same_explorer_and_a_working_picker():
    notebook = add_scenario_pickers(_explorer_lesson())
    namespace: dict = {}
    for cell in notebook.cells[:2]:
        exec(cell.source, namespace)
    import_line, call = SCENARIO_CELL_SOURCE.splitlines()
    exec(import_line, namespace)
    picker = eval(call, namespace)
    picker.value = "platelets-8-with-fever"
    assert namespace[SCENARIO_APP].fever.value is True


@pytest.mark.parametrize("port", ["70000", "80", "0", "-1", "eight"])
def test_a_port_out_of_range_is_refused_before_anything_starts(port, capsys):
    from petechiae_edu import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["present", "03", "--port", port])
    assert stop.value.code == 2
    assert "expected 1024-65535" in capsys.readouterr().err


def test_the_class_sees_the_student_edition_and_the_instructor_can_rehearse(tmp_path):
    from petechiae_edu.classroom.present import presented_copy

    lesson = _sample_lesson(tmp_path)
    (tmp_path / "student").mkdir()
    (tmp_path / "instructor").mkdir()
    student = nbformat.read(presented_copy(lesson, tmp_path / "student", "student"), as_version=4)
    instructor = nbformat.read(presented_copy(lesson, tmp_path / "instructor", "instructor"), as_version=4)
    assert not any(INSTRUCTOR_NOTE in cell.source for cell in student.cells)
    assert any(INSTRUCTOR_NOTE in cell.source for cell in instructor.cells)


def test_the_server_needs_a_token_and_culls_kernels_whose_page_is_gone():
    from petechiae_edu.classroom.present import IDLE_MINUTES, presentation_config

    config = presentation_config("s3cret", open_browser=False)
    assert config.Voila.token == "s3cret"
    assert config.MappingKernelManager.cull_idle_timeout == IDLE_MINUTES * 60 > 0
    assert config.MappingKernelManager.cull_interval > 0
    assert "--Voila.port_retries=0" in voila_arguments(Path("x.ipynb"), 9999)
