"""A class on a real JupyterHub: deploy/jupyterhub_config.py serves three students the student edition.

One hub for the whole class cycle (it takes a minute or two on two cores): the instructor publishes the student
edition to a git branch; three students log in and pull it through the nbgitpuller link; each runs lesson 04 in
their own server; one edits a cell and saves (with the outputs of the run, as JupyterLab saves); the instructor
publishes an update that changes another cell; everyone pulls again. The student's edit must survive and the
update must arrive. Everything listens on 127.0.0.1 and lives in a temporary folder; the hub, the proxy, the
servers and the kernels are stopped at the end whatever happened.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("jupyterhub", reason="JupyterHub is not installed: pip install -e '.[hub]' (the test extra has it)")
pytest.importorskip("nbgitpuller", reason="nbgitpuller is not installed: pip install -e '.[hub]'")

import nbformat
import psutil
from hub_harness import BRANCH, GIT_IDENTITY, ClassHub, course_repository, publish_student_edition, saved_outputs

from petechiae_edu import paths

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"

STUDENTS = ("ana", "ben", "chloe")
LESSON = "04-bleeding-risk.ipynb"
STUDENT_EDIT = "bleeding_explorer(platelet_count=15)  # ana: what changes between 8 and 15?"
COURSE_UPDATE = "\n\n*Course update: read the check figures beside the model before you trust its curve.*"
COURSE_EXPLORER = "bleeding_explorer(platelet_count=5)"


def _source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _golden_text(cell: dict) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output["output_type"] == "stream")


def _is_update_note(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("petechiae_edu", {}).get("update_note"))


def _authored_update(folder: Path) -> Path:
    """The instructor's lessons with lesson 04 changed in two cells: the introduction and the explorer call."""
    authored = folder / "authored"
    shutil.copytree(paths.lessons_dir(), authored, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    notebook = nbformat.read(authored / LESSON, as_version=4)
    first_markdown = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    first_markdown.source += COURSE_UPDATE
    explorer = next(cell for cell in notebook.cells if cell.source.startswith("bleeding_explorer(platelet_count=8)"))
    explorer.source = COURSE_EXPLORER
    nbformat.write(notebook, authored / LESSON)
    return authored


def test_publishing_the_student_edition_never_touches_the_instructors_checkout(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git = ["git", "-C", str(checkout)]
    subprocess.run([*git, "init", "--quiet", "--initial-branch=main"], check=True)
    (checkout / "notes.md").write_text("work in progress\n")
    subprocess.run([*git, "add", "notes.md"], check=True)
    subprocess.run(
        [*git, "commit", "--quiet", "-m", "instructor's work"], check=True, env={**os.environ, **GIT_IDENTITY}
    )
    (checkout / "notes.md").write_text("uncommitted change\n")

    first = publish_student_edition(checkout)
    second = publish_student_edition(checkout)

    assert "committed" in first and "nothing committed" in second
    log = subprocess.run([*git, "log", "--format=%s", BRANCH], capture_output=True, text=True, check=True).stdout
    assert len(log.splitlines()) == 1
    files = subprocess.run([*git, "ls-tree", "--name-only", BRANCH], capture_output=True, text=True, check=True)
    assert {LESSON, "README.md", ".gitattributes"} <= set(files.stdout.split())
    assert not any(name.endswith(".json") for name in files.stdout.split())  # no build manifest for students
    head = subprocess.run([*git, "branch", "--show-current"], capture_output=True, text=True, check=True).stdout
    assert head.strip() == "main" and (checkout / "notes.md").read_text() == "uncommitted change\n"
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert status.strip() == "M notes.md"


def test_nbgitpuller_merges_a_course_correction_beside_a_students_edit(tmp_path, monkeypatch):
    """Without a hub: the published branch, nbgitpuller's own pull and the merge driver the hub configures."""
    import runpy

    from nbgitpuller.pull import GitPuller

    driver = runpy.run_path(str(DEPLOY / "git_notebook_merge.py"))
    for key, value in driver["git_config_environment"](sys.executable).items():
        monkeypatch.setenv(key, value)
    repo, course_url = course_repository(tmp_path)
    copy = tmp_path / "home" / "petechiae-edu"

    def pull():
        return list(GitPuller(course_url, str(copy), branch=BRANCH, depth=1).pull())

    pull()
    lesson = copy / LESSON
    notebook = nbformat.read(lesson, as_version=4)
    for index, cell in enumerate(notebook.cells):  # she ran everything (outputs saved) and edited the explorer
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"ran cell {index}\n")]
            cell.execution_count = index
            if cell.source.startswith("bleeding_explorer(platelet_count=8)"):
                cell.source = STUDENT_EDIT
    nbformat.write(notebook, lesson)
    publish_student_edition(repo, lessons=_authored_update(tmp_path))
    pull()

    merged = nbformat.read(lesson, as_version=4)
    nbformat.validate(merged)
    sources = [_source(cell) for cell in merged.cells]
    assert any(source.endswith(COURSE_UPDATE) for source in sources), "the course update did not arrive"
    mine = sources.index(STUDENT_EDIT)
    assert _is_update_note(merged.cells[mine + 1]) and sources[mine + 2] == COURSE_EXPLORER
    assert merged.cells[mine].outputs, "her outputs were dropped from her own cell"


@pytest.mark.slow
def test_a_class_pulls_runs_edits_and_updates_the_student_edition_on_a_real_hub(tmp_path):
    repo, course_url = course_repository(tmp_path)
    hub = ClassHub(tmp_path, STUDENTS, course_url)
    leftovers: list[psutil.Process] = []
    try:
        hub.start()
        for name in STUDENTS:
            hub.log_in(name)
        hub.start_servers(STUDENTS)

        # The idle culler started with a role that lets it list users and their servers (JupyterHub 5+ scopes).
        deadline = time.monotonic() + 60  # the culler's first round runs as soon as its process is up
        while time.monotonic() < deadline:
            log = hub.log_path.read_text(encoding="utf-8")
            if "200 GET /hub/api/users?state=" in log and "(jupyterhub-idle-culler@" in log:
                break
            time.sleep(1)
        assert "200 GET /hub/api/users?state=" in log and "(jupyterhub-idle-culler@" in log, hub.log_tail()
        culler_lines = [line for line in log.splitlines() if "idle-culler" in line]
        # a refused request logs "] 403 GET ..." (not a timestamp such as 20:59:47.403)
        assert not [line for line in culler_lines if re.search(r"\] 40[13] ", line)], culler_lines

        # Logging in opens the nbgitpuller link for the student edition (the spawner's default URL).
        landing = hub.open_link("ana", "/user/ana/")
        assert urlparse(landing.url).path == "/user/ana/git-pull", landing.url
        assert parse_qs(urlparse(landing.url).query)["branch"] == [BRANCH]

        # Each student follows the instructor's link, then the page's event stream pulls the course.
        for name in STUDENTS:
            output = hub.pull_course(name, LESSON)
            assert any("git clone" in line for line in output), output
            lesson = nbformat.read(hub.students[name].home / "petechiae-edu" / LESSON, as_version=4)
            assert lesson.metadata["petechiae_edu"]["edition"] == "student"
            assert not any("instructor" in cell.metadata.get("tags", []) for cell in lesson.cells)

        # The news pop-up is off in every student's JupyterLab (page_config.json on JUPYTER_CONFIG_PATH).
        lab = hub.request("ben", "GET", "/user/ben/lab")
        assert lab.status_code == 200
        assert "@jupyterlab/apputils-extension:announcements" in lab.text

        # Lesson 04 runs in each student's own server and kernel; each golden cell prints its summary (the exact
        # figures are nbval's business in tests of the lessons themselves).
        path = hub.lesson_path(LESSON)
        runs = hub.run_notebooks(STUDENTS, path)
        authored = nbformat.read(hub.students["ana"].home / "petechiae-edu" / LESSON, as_version=4)
        golden = {
            index: _golden_text(cell)
            for index, cell in enumerate(authored.cells)
            if "nbval-check-output" in cell.metadata.get("tags", [])
        }
        assert golden, "lesson 04 has no golden cells to compare"
        for name, cells in runs.items():
            printed = {run.index: _golden_text(run.__dict__) for run in cells}
            for index, expected in golden.items():
                first_line = expected.splitlines()[0]
                assert printed[index].startswith(first_line), f"{name}: cell {index} printed\n{printed[index]}"
            leftovers += hub.kernel_processes(name)

        # Ana changes the explorer cell and saves the lesson with her outputs, as JupyterLab does.
        notebook = hub.read_notebook("ana", path)
        for count, run in enumerate(runs["ana"], start=1):
            notebook["cells"][run.index]["outputs"] = saved_outputs(run, count)
            notebook["cells"][run.index]["execution_count"] = count
        explorer = next(
            cell for cell in notebook["cells"] if _source(cell).startswith("bleeding_explorer(platelet_count=8)")
        )
        explorer["source"] = STUDENT_EDIT
        hub.write_notebook("ana", path, notebook)

        # The instructor publishes an update that changes the introduction and the very cell Ana edited.
        report = publish_student_edition(repo, lessons=_authored_update(tmp_path), message="Clearer introduction")
        assert "committed" in report, report
        for name in STUDENTS:
            hub.pull_course(name, LESSON)

        for name in STUDENTS:
            text = (hub.students[name].home / "petechiae-edu" / LESSON).read_text(encoding="utf-8")
            assert "<<<<<<<" not in text
            notebook = nbformat.reads(text, as_version=4)
            nbformat.validate(notebook)
            sources = [_source(cell) for cell in notebook.cells]
            assert any(source.endswith(COURSE_UPDATE) for source in sources), f"{name} did not get the update"
            if name == "ana":
                # her edit stays where it was; the course's new version of that cell follows it, under a note
                mine = sources.index(STUDENT_EDIT)
                assert _is_update_note(notebook.cells[mine + 1]), sources[mine : mine + 3]
                assert sources[mine + 2] == COURSE_EXPLORER
            else:
                assert STUDENT_EDIT not in sources
                assert COURSE_EXPLORER in sources and not any(_is_update_note(cell) for cell in notebook.cells)

        for name in STUDENTS:
            server = hub.server_process(name)
            assert server is not None, f"{name}'s server is not running"
            leftovers.append(server)
        leftovers.append(psutil.Process(hub.process.pid))
        leftovers += psutil.Process(hub.process.pid).children(recursive=True)
    finally:
        hub.stop()
    _, alive = psutil.wait_procs(leftovers, timeout=10)
    assert not alive, f"still running after the hub stopped: {[p.cmdline() for p in alive]}"
