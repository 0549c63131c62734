"""`petechiae-edu lab`: stopping it stops JupyterLab, the news pop-up is off, students get the student edition.

Issue 13, points 1 and 7.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from petechiae_edu import cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    log = Path(sys.argv[1])
    def stop(number, frame):
        time.sleep(0.5)  # JupyterLab takes a moment to shut its kernels down
        log.write_text(f"stopped by signal {number}")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.write_text("running")
    while True:
        time.sleep(0.1)
    """
)

PARENT = textwrap.dedent(
    """
    import sys
    from petechiae_edu import cli
    cli.lab_command = lambda workspace, extra: [sys.executable, sys.argv[1], sys.argv[2]]
    sys.exit(cli.main(["lab", sys.argv[3]]))
    """
)


def _wait_for(path: Path, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().startswith(text):
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never said {text!r}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_stopping_lab_stops_jupyterlab_and_waits_for_it(tmp_path, stop_signal):
    child, log = tmp_path / "fake_jupyterlab.py", tmp_path / "log.txt"
    child.write_text(CHILD)
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(child), str(log), str(tmp_path / "work")],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for(log, "running")
        parent.send_signal(stop_signal)
        assert parent.wait(timeout=30) == 0
        # the parent returned only after JupyterLab had stopped: the child's last words are already written
        assert log.read_text() == f"stopped by signal {int(stop_signal)}"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_lessons_jupyterlab_has_no_news_pop_up(tmp_path):
    environment = cli.lab_environment({"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
    probe = (
        "import json; from jupyterlab_server.config import get_static_page_config; "
        "print(json.dumps(get_static_page_config(level='all').get('disabledExtensions', {})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stdout).get("@jupyterlab/apputils-extension:announcements") is True


def test_lab_keeps_the_students_own_jupyter_config_path():
    environment = cli.lab_environment({"JUPYTER_CONFIG_PATH": "/srv/class-config"})
    assert environment["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(cli.LAB_CONFIG_DIR), "/srv/class-config"]


def test_copy_gives_the_student_edition_and_instructor_on_request(tmp_path, capsys):
    assert cli.main(["copy", str(tmp_path / "student")]) == 0
    assert cli.main(["copy", str(tmp_path / "teacher"), "--edition", "instructor"]) == 0

    def instructor_cells(folder: Path) -> int:
        return sum(
            "instructor" in cell.metadata.get("tags", [])
            for lesson in sorted(folder.glob("[0-9][0-9]-*.ipynb"))
            for cell in nbformat.read(lesson, as_version=4).cells
        )

    assert instructor_cells(tmp_path / "student") == 0
    assert instructor_cells(tmp_path / "teacher") > 0
