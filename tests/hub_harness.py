"""Drive a real JupyterHub running deploy/jupyterhub_config.py, as a class would use it.

Shared by tests/test_jupyterhub.py and benchmarks/bench_class_memory.py. Everything runs on 127.0.0.1 on free
ports, with all state (hub database, cookie secret, proxy pid, students' homes) under one folder. The hub loads
the department's configuration (deploy/jupyterhub_config.py) and overrides only what a test must:

- DummyAuthenticator (one shared password) for the listed students, instead of NativeAuthenticator sign-ups;
- SimpleLocalProcessSpawner with homes under the folder, instead of SystemdSpawner (no systemd, no root needed);
- the addresses (free ports) and where the hub keeps its state.

Students act through the hub's REST API with a token each requests with their password
(``POST /hub/api/users/NAME/tokens``), scoped to their own server: follow the nbgitpuller link, pull the course
(nbgitpuller's ``git-pull/api`` event stream), read and write notebooks (Jupyter Server's contents API) and run
them cell by cell in a kernel (sessions API and the kernel websocket).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import psutil
import requests

REPOSITORY = Path(__file__).resolve().parents[1]
DEPLOY_CONFIG = REPOSITORY / "deploy" / "jupyterhub_config.py"
PUBLISH_SCRIPT = REPOSITORY / "deploy" / "publish_student_edition.py"
BRANCH = "student-edition"
COURSE_FOLDER = "petechiae-edu"
PASSWORD = "class-password"  # DummyAuthenticator: one password for every test student
BIN = Path(sys.executable).parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Course Instructor",
    "GIT_AUTHOR_EMAIL": "instructor@example.org",
    "GIT_COMMITTER_NAME": "Course Instructor",
    "GIT_COMMITTER_EMAIL": "instructor@example.org",
}


def run_in_fresh_loop(make_coroutine):
    """Run a coroutine to the end in a new event loop on its own thread, and return its result (or raise).

    The test process may already hold an event loop marked as running (a kernel client or a widget test earlier
    in the session), and asyncio.run() refuses to start inside one.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="hub-harness-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


class HubError(RuntimeError):
    """The hub, a student's server or a lesson did not do what the class needs."""


class CellError(HubError):
    """A code cell of a lesson failed in a student's kernel."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def publish_student_edition(repo: Path, lessons: Path | None = None, message: str | None = None) -> str:
    """Run deploy/publish_student_edition.py as an instructor would; return its one-line report."""
    args = [sys.executable, str(PUBLISH_SCRIPT), "--repo", str(repo)]
    if lessons is not None:
        args += ["--lessons", str(lessons)]
    if message is not None:
        args += ["--message", message]
    result = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **GIT_IDENTITY})
    if result.returncode != 0:
        raise HubError(f"publishing the student edition failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def course_repository(folder: Path) -> tuple[Path, str]:
    """A bare git repository with the student edition on ``student-edition``; (path, file:// URL)."""
    repo = folder / "course.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
    publish_student_edition(repo)
    return repo, repo.as_uri()


@dataclass
class Student:
    name: str
    home: Path
    token: str = ""
    session: requests.Session = field(default_factory=requests.Session)


@dataclass
class CellRun:
    index: int
    source: str
    outputs: list[dict]


class ClassHub:
    """A JupyterHub with deploy/jupyterhub_config.py and ``students``; use as a context manager (stops everything)."""

    def __init__(self, folder: Path, students: Sequence[str], course_url: str) -> None:
        self.folder = Path(folder)
        self.state = self.folder / "hub-state"
        self.homes = self.folder / "homes"
        self.course_url = course_url
        self.students = {name: Student(name, self.homes / name) for name in students}
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = self.state / "jupyterhub.log"
        self.kernels: dict[str, str] = {}  # student -> kernel id kept alive by run_notebooks(keep_kernel=True)

    # --- the hub ---------------------------------------------------------------------------------------------------
    def _config(self) -> str:
        return "\n".join(
            [
                "c = get_config()  # noqa: F821",
                f"load_subconfig({str(DEPLOY_CONFIG)!r})  # noqa: F821",
                "# what only a test overrides: who logs in, where servers run, where state lives",
                "c.JupyterHub.authenticator_class = 'dummy'",
                f"c.DummyAuthenticator.password = {PASSWORD!r}",
                "c.Authenticator.allow_all = False",
                f"c.Authenticator.allowed_users = {set(self.students)!r}",
                "c.JupyterHub.template_paths = []",
                "c.JupyterHub.spawner_class = 'simple'",
                f"c.SimpleLocalProcessSpawner.home_dir_template = {str(self.homes)!r} + '/{{username}}'",
                "import os",
                "if os.geteuid() == 0:  # CI containers run as root; a real hub runs students as their own users",
                "    c.Spawner.args = [*c.Spawner.args, '--ServerApp.allow_root=True']",
                f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{self.hub_port}'",
                f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{self.proxy_api_port}'",
                f"c.ConfigurableHTTPProxy.pid_file = {str(self.state / 'proxy.pid')!r}",
                f"c.JupyterHub.db_url = 'sqlite:///{self.state / 'jupyterhub.sqlite'}'",
                f"c.JupyterHub.cookie_secret_file = {str(self.state / 'cookie_secret')!r}",
                "",
            ]
        )

    def start(self, timeout: float = 90) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.homes.mkdir(parents=True, exist_ok=True)
        config = self.state / "jupyterhub_config.py"
        config.write_text(self._config(), encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "PETECHIAE_COURSE_REPO": self.course_url,
            "PETECHIAE_COURSE_BRANCH": BRANCH,
            "PETECHIAE_HUB_BIND_URL": self.url,
        }
        log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise HubError(f"JupyterHub did not answer on {self.url} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no hub log)"
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the hub (which stops the proxy and every student's server), then anything left of its tree."""
        if self.process is None:
            return
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        family += self._single_user_processes()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for leftover in family:
            try:
                leftover.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(family, timeout=10)
        self.process = None

    def __enter__(self) -> ClassHub:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _single_user_processes(self) -> list[psutil.Process]:
        found = []
        for name in self.students:
            server = self.server_process(name)
            if server is not None:
                found.append(server)
                found += server.children(recursive=True)
        return found

    # --- a student ------------------------------------------------------------------------------------------------
    def request(self, name: str, method: str, path: str, **kwargs: object) -> requests.Response:
        """``method`` ``path`` (below the hub's address) as student ``name``, with their token."""
        student = self.students[name]
        kwargs.setdefault("timeout", 60)
        return student.session.request(
            method, self.url + path, headers={"Authorization": f"token {student.token}"}, **kwargs
        )

    def log_in(self, name: str) -> None:
        """The student logs in twice over: in the browser (hub login form, cookies) and for a token.

        The browser session follows links as a student's browser does (the hub's pages accept only cookies); the
        token, which the student asks for with their password, is scoped to their own server and drives the
        REST API (contents, sessions, kernels).
        """
        student = self.students[name]
        page = student.session.get(f"{self.url}/hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
        form = {"username": name, "password": PASSWORD, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
        reply = student.session.post(f"{self.url}/hub/login", data=form, allow_redirects=False, timeout=30)
        if reply.status_code != 302:
            raise HubError(f"{name} could not log in through the form: {reply.status_code} {reply.text[:300]}")
        scopes = [f"{scope}!user={name}" for scope in ("servers", "access:servers", "read:users", "read:servers")]
        body = {"auth": {"username": name, "password": PASSWORD}, "scopes": scopes, "note": "class test"}
        reply = requests.post(f"{self.url}/hub/api/users/{name}/tokens", json=body, timeout=30)
        if reply.status_code != 201:
            raise HubError(f"{name} could not get a token: {reply.status_code} {reply.text}")
        student.token = reply.json()["token"]

    def start_servers(self, names: Iterable[str], timeout: float = 180) -> None:
        """Ask for every student's server at once (a class logging in), then wait until all are ready."""
        names = list(names)
        for name in names:
            reply = self.request(name, "POST", f"/hub/api/users/{name}/server")
            if reply.status_code not in (201, 202):
                raise HubError(f"{name}'s server did not start: {reply.status_code} {reply.text}")
        waiting = set(names)
        deadline = time.monotonic() + timeout
        while waiting and time.monotonic() < deadline:
            for name in sorted(waiting):
                server = self.request(name, "GET", f"/hub/api/users/{name}").json().get("servers", {}).get("")
                if server is None:
                    raise HubError(f"{name}'s server failed to start:\n{self.log_tail()}")
                if server.get("ready"):
                    waiting.discard(name)
            time.sleep(0.5)
        if waiting:
            raise HubError(f"servers of {sorted(waiting)} not ready within {timeout:.0f} s:\n{self.log_tail()}")

    def user_path(self, name: str, path: str) -> str:
        return f"/user/{quote(name)}/{path.lstrip('/')}"

    def course_link(self, lesson: str = "00-start-here.ipynb") -> str:
        """The nbgitpuller link an instructor shares (relative to the hub's address)."""
        query = urlencode(
            {
                "repo": self.course_url,
                "branch": BRANCH,
                "targetpath": COURSE_FOLDER,
                "urlpath": f"lab/tree/{COURSE_FOLDER}/{lesson}",
            }
        )
        return f"/hub/user-redirect/git-pull?{query}"

    def open_link(self, name: str, link: str) -> requests.Response:
        """Follow ``link`` in the student's browser session (hub cookie, OAuth redirects); the final response."""
        return self.students[name].session.get(self.url + link, allow_redirects=True, timeout=60)

    def pull_course(self, name: str, lesson: str = "00-start-here.ipynb") -> list[str]:
        """Click the course link, then do what its page does: nbgitpuller's event stream; the output lines.

        Raises :class:`HubError` if the link does not land on the student's git-pull page or the pull fails.
        """
        page = self.open_link(name, self.course_link(lesson))
        if page.status_code != 200 or urlparse(page.url).path != self.user_path(name, "git-pull"):
            raise HubError(f"{name}: the course link ended at {page.status_code} {page.url}")
        query = urlencode({"repo": self.course_url, "branch": BRANCH, "targetpath": COURSE_FOLDER})
        # the link's page opens this event stream from the browser, with the browser's cookies
        session = self.students[name].session
        reply = session.get(self.url + self.user_path(name, f"git-pull/api?{query}"), stream=True, timeout=120)
        if reply.status_code != 200:
            raise HubError(f"{name}: git-pull answered {reply.status_code} {reply.text[:500]}")
        lines: list[str] = []
        for raw in reply.iter_lines(decode_unicode=True):
            if not raw or not raw.startswith("data:"):
                continue
            event = json.loads(raw[len("data:") :])
            if event.get("output"):
                lines.append(event["output"].rstrip())
            if event.get("phase") == "error":
                raise HubError(f"{name}: nbgitpuller failed: {event.get('message')}\n{event.get('output', '')}")
            if event.get("phase") == "finished":
                return lines
        raise HubError(f"{name}: nbgitpuller's stream ended without 'finished':\n" + "\n".join(lines))

    def lesson_path(self, lesson: str) -> str:
        return f"{COURSE_FOLDER}/{lesson}"

    def read_notebook(self, name: str, path: str) -> dict:
        reply = self.request(name, "GET", self.user_path(name, f"api/contents/{quote(path)}?content=1"))
        if reply.status_code != 200:
            raise HubError(f"{name}: reading {path} answered {reply.status_code} {reply.text[:300]}")
        return reply.json()["content"]

    def write_notebook(self, name: str, path: str, notebook: dict) -> None:
        body = {"type": "notebook", "format": "json", "content": notebook}
        reply = self.request(name, "PUT", self.user_path(name, f"api/contents/{quote(path)}"), json=body)
        if reply.status_code not in (200, 201):
            raise HubError(f"{name}: saving {path} answered {reply.status_code} {reply.text[:300]}")

    # --- running a lesson in a student's kernel ---------------------------------------------------------------------
    def open_session(self, name: str, path: str) -> tuple[str, str]:
        """Start a kernel for the notebook at ``path`` as JupyterLab does; (session id, kernel id)."""
        body = {"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}}
        reply = self.request(name, "POST", self.user_path(name, "api/sessions"), json=body)
        if reply.status_code != 201:
            raise HubError(f"{name}: starting a kernel answered {reply.status_code} {reply.text[:300]}")
        session = reply.json()
        return session["id"], session["kernel"]["id"]

    def close_session(self, name: str, session_id: str) -> None:
        self.request(name, "DELETE", self.user_path(name, f"api/sessions/{session_id}"))

    async def _execute_cells(self, name: str, kernel_id: str, cells: Sequence[tuple[int, str]], timeout: float) -> list:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        student = self.students[name]
        url = "ws" + self.url[len("http") :] + self.user_path(name, f"api/kernels/{kernel_id}/channels")
        request = HTTPRequest(url, headers={"Authorization": f"token {student.token}"}, request_timeout=60)
        connection = await websocket_connect(request)
        session = uuid.uuid4().hex
        runs = []
        try:
            for index, source in cells:
                msg_id = uuid.uuid4().hex
                message = {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": name,
                        "session": session,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": source,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
                await connection.write_message(json.dumps(message))
                runs.append(await self._await_reply(connection, name, index, source, msg_id, timeout))
        finally:
            connection.close()
        return runs

    async def _await_reply(self, connection, name: str, index: int, source: str, msg_id: str, timeout: float):
        outputs: list[dict] = []
        reply = None
        idle = False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CellError(f"{name}: cell {index} did not finish within {timeout:.0f} s:\n{source}")
            raw = await asyncio.wait_for(connection.read_message(), remaining)
            if raw is None:
                raise CellError(f"{name}: the kernel connection closed while cell {index} ran:\n{source}")
            if isinstance(raw, bytes):
                continue  # binary frames carry widget buffers
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append({"output_type": kind, **message["content"]})
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                reply = message["content"]
        if reply.get("status") != "ok":
            traceback = "\n".join(reply.get("traceback", [])) or f"{reply.get('ename')}: {reply.get('evalue')}"
            raise CellError(f"{name}: cell {index} failed:\n{source}\n--- traceback ---\n{traceback}")
        return CellRun(index, source, outputs)

    def run_notebooks(self, names: Iterable[str], path: str, *, keep_kernel: bool = False, timeout: float = 300):
        """Run every code cell of the notebook at ``path`` for every student at once, as a class does.

        Each student's copy is read from their server and run in a fresh kernel there (a session, as JupyterLab
        opens one). Returns {student: [CellRun, ...]}; raises :class:`CellError` naming the student, the cell and
        the traceback on the first failing cell. With ``keep_kernel`` the kernels stay (for measuring them).
        """
        names = list(names)
        plans = {}
        for name in names:
            notebook = self.read_notebook(name, path)
            cells = [
                (index, cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"]))
                for index, cell in enumerate(notebook["cells"])
                if cell["cell_type"] == "code"
            ]
            plans[name] = (cells, *self.open_session(name, path))

        async def everyone():
            runs = [
                self._execute_cells(name, kernel_id, cells, timeout) for name, (cells, _, kernel_id) in plans.items()
            ]
            return dict(zip(plans, await asyncio.gather(*runs), strict=True))

        try:
            return run_in_fresh_loop(everyone)
        finally:
            for name, (_, session_id, kernel_id) in plans.items():
                if keep_kernel:
                    self.kernels[name] = kernel_id
                else:
                    self.close_session(name, session_id)

    def run_code(self, name: str, code: str, timeout: float = 60) -> str:
        """Run ``code`` in the kernel ``run_notebooks(keep_kernel=True)`` left for the student; what it printed."""
        runs = run_in_fresh_loop(lambda: self._execute_cells(name, self.kernels[name], [(0, code)], timeout))
        return "".join(output.get("text", "") for output in runs[0].outputs if output["output_type"] == "stream")

    # --- processes, for the memory benchmark ------------------------------------------------------------------------
    def server_process(self, name: str) -> psutil.Process | None:
        """The student's single-user server process (found by its environment), or None."""
        if self.process is None:
            return None
        try:
            candidates = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return None
        for candidate in candidates:
            try:
                command = " ".join(candidate.cmdline())
                if "jupyterhub-singleuser" not in command and "class_singleuser.py" not in command:
                    continue
                if candidate.environ().get("JUPYTERHUB_USER") == name:
                    return candidate
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return None

    def kernel_processes(self, name: str) -> list[psutil.Process]:
        server = self.server_process(name)
        if server is None:
            return []
        return [child for child in server.children(recursive=True) if "ipykernel" in " ".join(child.cmdline())]


def saved_outputs(run: CellRun, execution_count: int) -> list[dict]:
    """The outputs of a cell run as JupyterLab saves them into the notebook file."""
    saved = []
    for output in run.outputs:
        kind = output["output_type"]
        if kind == "stream":
            saved.append({"output_type": kind, "name": output["name"], "text": output["text"]})
        elif kind in ("display_data", "execute_result"):
            item = {"output_type": kind, "data": output["data"], "metadata": output.get("metadata", {})}
            if kind == "execute_result":
                item["execution_count"] = execution_count
            saved.append(item)
    return saved
