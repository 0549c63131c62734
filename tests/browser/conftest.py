"""Real-browser fixtures: Debian's Chromium driven by Playwright, Voilà and JupyterLab on 127.0.0.1.

Follows DESIGN.md "Real browser": no browser download (``executable_path=/usr/bin/chromium``), headless flags,
a fresh user-data dir, servers on 127.0.0.1 only, temporary ``JUPYTER_*`` dirs, and throw-away copies of the
lessons (JupyterLab autosaves outputs into the notebooks it runs). Without ``/usr/bin/chromium`` the tests
skip with the reason, unless ``CI`` is set: then they fail, because CI must run them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from petechiae_edu.classroom.editions import lesson_paths
from petechiae_edu.classroom.present import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 120


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Debian chromium + playwright) against Voilà and JupyterLab"
    )


def require_chromium() -> None:
    """Skip (or, with CI set, fail) when there is no Chromium to drive."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} is missing; install it with: apt-get install -y chromium"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the browser tests must run, but {reason}")
    pytest.skip(reason)


def _jupyter_env(root: Path) -> dict[str, str]:
    """Environment for a Jupyter server whose config, data, runtime, settings and workspaces are all temporary."""
    folders = {
        "JUPYTER_CONFIG_DIR": root / "config",
        "JUPYTER_DATA_DIR": root / "data",
        "JUPYTER_RUNTIME_DIR": root / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": root / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": root / "lab-workspaces",
        "IPYTHONDIR": root / "ipython",
        "MPLCONFIGDIR": root / "matplotlib",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    # Render every cell (no virtual scrolling) and keep the news/update toasts away.
    settings = folders["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = {**os.environ, **{name: str(path) for name, path in folders.items()}}
    env.pop("JUPYTER_PATH", None)
    return env


@dataclass
class Server:
    """A running Jupyter server on 127.0.0.1."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path
    token: str = ""

    def page_url(self, path: str) -> str:
        separator = "&" if "?" in path else "?"
        return f"{self.url}{path}{separator}token={self.token}" if self.token else f"{self.url}{path}"


def _wait_until_up(server: Server, probe: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited early; its log:\n{server.log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(server.page_url(probe), timeout=10):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"{server.name} did not answer within {SERVER_START_SECONDS} s; log:\n{server.log.read_text()}")


def _start(name: str, command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT)


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def lesson_copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Throw-away copies of every lesson (servers write into what they serve)."""
    folder = tmp_path_factory.mktemp("lessons")
    for lesson in lesson_paths():
        shutil.copyfile(lesson, folder / lesson.name)
    return folder


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    """One headless Chromium with a fresh user-data dir for the whole session."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    user_data = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture(scope="session")
def voila_server(lesson_copies: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Voilà serving the lesson copies as apps; a lesson is at /voila/render/NAME.ipynb."""
    require_chromium()
    root = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = [
        sys.executable, "-m", "voila", str(lesson_copies), "--no-browser", f"--port={port}",
        "--Voila.ip=127.0.0.1", "--show_tracebacks=True",
    ]  # fmt: skip
    log = root / "voila.log"
    server = Server("Voilà", f"http://127.0.0.1:{port}", _start("voila", command, _jupyter_env(root), root, log), log)
    try:
        _wait_until_up(server, "/")
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def lab_server(lesson_copies: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """JupyterLab on the lesson copies, with the app object exposed so a test can run all cells."""
    require_chromium()
    root = tmp_path_factory.mktemp("jupyterlab")
    port = free_port()
    token = secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
        f"--ServerApp.root_dir={lesson_copies}", "--LabApp.news_url=",
    ]  # fmt: skip
    log = root / "jupyterlab.log"
    process = _start("jupyterlab", command, _jupyter_env(root), root, log)
    server = Server("JupyterLab", f"http://127.0.0.1:{port}", process, log, token)
    try:
        _wait_until_up(server, "/api/status")
        yield server
    finally:
        _stop(server)


PRESENT_TOKEN = "present-" + secrets.token_hex(16)


@pytest.fixture(scope="session")
def present_lesson(lesson_copies: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start ``petechiae-edu present`` on a lesson copy; returns the running server. All stop at the end."""
    require_chromium()
    started: list[Server] = []

    def start(lesson_name: str) -> Server:
        root = tmp_path_factory.mktemp("present")
        port = free_port()
        command = [
            sys.executable, "-m", "petechiae_edu.classroom.present", str(lesson_copies / lesson_name),
            "--port", str(port), "--token", PRESENT_TOKEN,
        ]  # fmt: skip
        log = root / "present.log"
        server = Server(
            "present",
            f"http://127.0.0.1:{port}",
            _start("present", command, _jupyter_env(root), root, log),
            log,
            token=PRESENT_TOKEN,
        )
        started.append(server)
        _wait_until_up(server, "/voila/static/voila.js")
        return server

    try:
        yield start
    finally:
        for server in started:
            _stop(server)
