"""JupyterHub for a class taking petechiae-edu: one server, The Littlest JupyterHub style.

Run it from the hub's state folder (the systemd unit in this folder does):

    jupyterhub -f /opt/petechiae-edu/deploy/jupyterhub_config.py

What it sets up, and why (docs/deploying.md has the whole recipe):

- **Who logs in**: NativeAuthenticator (package ``jupyterhub-nativeauthenticator``). Students sign up with a
  username and password on the hub's sign-up page; an instructor (an admin) approves each account. No Unix
  accounts, no central IT. A school with single sign-on should use OAuthenticator / LTIAuthenticator instead:
  set ``c.JupyterHub.authenticator_class`` after loading this file.
- **Where each student runs**: SystemdSpawner (package ``jupyterhub-systemdspawner``) with ``dynamic_users``:
  every student's server runs as its own throw-away system user in its own cgroup, with a hard memory and CPU
  limit (a runaway kernel cannot take the class down), and a home that persists between sessions.
- **What a student sees first**: the student edition of the lessons. A login opens an nbgitpuller link that
  clones (first time) or merges (later) the course's ``student-edition`` branch into ``~/petechiae-edu`` and
  opens lesson 00. ``deploy/publish_student_edition.py`` builds and commits that branch.
- **Who pays for idle servers**: kernels idle for 40 minutes are stopped inside each server, and the
  ``jupyterhub-idle-culler`` service stops a whole server after an hour without activity.
- **Students' edits survive updates**: nbgitpuller's merges of lessons go cell by cell
  (deploy/git_notebook_merge.py): a student's edit stays, and a course change to the same cell lands beside it.
- **JupyterLab's news pop-up** is off for students (petechiae_edu/jupyter_config on ``JUPYTER_CONFIG_PATH``).
- The hub listens on **127.0.0.1:8000** only; put a TLS reverse proxy (Caddy, nginx) in front of it, or set
  ``PETECHIAE_HUB_BIND_URL``.

Settings a department changes without editing this file (environment variables of the hub process):

=============================  =====================================================  =================
variable                       meaning                                                default
=============================  =====================================================  =================
PETECHIAE_COURSE_REPO          git URL students pull the lessons from                 the project's
                                                                                      GitHub repository
PETECHIAE_COURSE_BRANCH        branch holding the student edition                     student-edition
PETECHIAE_HUB_BIND_URL         public address of the hub                              http://127.0.0.1:8000
PETECHIAE_HUB_ADMINS           comma-separated instructor user names (admins)         (none)
PETECHIAE_STUDENT_MEMORY       hard memory limit per student (systemd syntax)         1G
PETECHIAE_STUDENT_CPUS         CPU cores per student (a float)                        1.0
PETECHIAE_IDLE_SERVER_MINUTES  stop a student's server after this long idle           60
=============================  =====================================================  =================

Educational use only, not for diagnosis.
"""

# ruff: noqa: F821
# (`c`, `get_config` and `load_subconfig` are the names JupyterHub gives a configuration file)

from __future__ import annotations

import importlib.util
import os
import runpy
import sys
from pathlib import Path
from urllib.parse import urlencode

COURSE_REPO = os.environ.get("PETECHIAE_COURSE_REPO", "https://github.com/petechiae-edu/petechiae-edu")
COURSE_BRANCH = os.environ.get("PETECHIAE_COURSE_BRANCH", "student-edition")
COURSE_FOLDER = "petechiae-edu"  # where nbgitpuller puts the lessons, relative to each student's home
FIRST_LESSON = "00-start-here.ipynb"
BIND_URL = os.environ.get("PETECHIAE_HUB_BIND_URL", "http://127.0.0.1:8000")
ADMINS = {name.strip() for name in os.environ.get("PETECHIAE_HUB_ADMINS", "").split(",") if name.strip()}
STUDENT_MEMORY = os.environ.get("PETECHIAE_STUDENT_MEMORY", "1G")
STUDENT_CPUS = float(os.environ.get("PETECHIAE_STUDENT_CPUS", "1.0"))
IDLE_SERVER_SECONDS = int(float(os.environ.get("PETECHIAE_IDLE_SERVER_MINUTES", "60")) * 60)
IDLE_KERNEL_SECONDS = 40 * 60


def course_link(repo: str, branch: str, lesson: str = FIRST_LESSON, *, folder: str = COURSE_FOLDER) -> str:
    """The nbgitpuller path (relative to a user's server) that pulls ``branch`` of ``repo`` and opens ``lesson``.

    Prefix ``/hub/user-redirect`` and the hub's address to share it as a link:
    ``https://HUB/hub/user-redirect/git-pull?repo=...&branch=...&targetpath=...&urlpath=...``.
    """
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": folder,
            "urlpath": f"lab/tree/{folder}/{lesson}",
        }
    )
    return f"/git-pull?{query}"


def _package_folder(name: str) -> Path | None:
    """Where an installed package lives, without importing it (the hub should not load numpy or matplotlib)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


c = get_config()

# --- the hub and its proxy ---------------------------------------------------------------------------------------
c.JupyterHub.bind_url = BIND_URL
# The proxy is the Python implementation of configurable-http-proxy (package configurable-http-proxy): no Node.js.
_proxy = Path(sys.executable).with_name("configurable-http-proxy")
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
# A whole class logs in at the start of a session: start servers a few at a time rather than all at once.
c.JupyterHub.concurrent_spawn_limit = 10

# --- who logs in -------------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "native"
_native = _package_folder("nativeauthenticator")
if _native is not None:
    c.JupyterHub.template_paths = [str(_native / "templates")]
c.NativeAuthenticator.open_signup = False  # an instructor approves each account at /hub/authorize
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 300
# NativeAuthenticator itself refuses accounts nobody approved, so every approved account may use the hub.
c.Authenticator.allow_all = True
c.Authenticator.admin_users = ADMINS

# --- where each student's server runs ----------------------------------------------------------------------------
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True  # no Unix accounts: a throw-away user per student, home kept
c.SystemdSpawner.mem_limit = STUDENT_MEMORY
c.SystemdSpawner.cpu_limit = STUDENT_CPUS
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
# students' servers run from the hub's own environment (where petechiae-edu and nbgitpuller are installed)
c.SystemdSpawner.extra_paths = [str(Path(sys.executable).parent)]
# jupyterhub-singleuser, less an optional 26 MB import a class server does not need (deploy/class_singleuser.py)
c.Spawner.cmd = [sys.executable, str(Path(__file__).with_name("class_singleuser.py"))]
c.Spawner.start_timeout = 120  # a server starts in a few seconds alone, slower when the whole class logs in
c.Spawner.http_timeout = 60
# Every login pulls the newest student edition (merging it with the student's copy) and opens lesson 00.
c.Spawner.default_url = course_link(COURSE_REPO, COURSE_BRANCH)
# Inside each server: stop a kernel nobody has used for a while, even if its browser tab is still open (a kernel
# with lesson 04 run holds a hundred megabytes or more; students leave tabs open all day).
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={IDLE_KERNEL_SECONDS}",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=True",
    "--MappingKernelManager.cull_busy=False",
    # students do not install JupyterLab extensions, and the server never asks PyPI for a list of them
    "--LabApp.extension_manager=readonly",
    # server extensions a student's server does not need here: the language-server bridge (no language servers
    # are installed) and Voila's app view (`petechiae-edu present` is the instructor's, on their own machine)
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=voila.server_extension=False",
    # the classic-notebook shim (JupyterLab 4 does not need it) and the terminal: a student works in the lessons,
    # and a terminal on a shared class server is more than a lesson needs
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.terminals_enabled=False",
]

_environment = {
    # an nbgitpuller link without urlpath opens JupyterLab (not the classic notebook page)
    "NBGITPULLER_APP": "lab",
    # glibc: large blocks (numpy arrays, figure buffers) are mapped and unmapped, and freed memory goes back to the
    # system, instead of staying in each student's server and kernel after a simulation (a few MB a student;
    # benchmarks/bench_class_memory.py)
    "MALLOC_MMAP_THRESHOLD_": "131072",
    "MALLOC_TRIM_THRESHOLD_": "131072",
}
_course_package = _package_folder("petechiae_edu")
if _course_package is not None and (_course_package / "jupyter_config").is_dir():
    # labconfig/page_config.json there turns JupyterLab's news pop-up off for every student
    _environment["JUPYTER_CONFIG_PATH"] = str(_course_package / "jupyter_config")
# nbgitpuller's merges of a course update go cell by cell (deploy/git_notebook_merge.py), so a course correction
# to a cell the student edited arrives beside the student's version instead of being dropped.
_merge_driver = runpy.run_path(str(Path(__file__).with_name("git_notebook_merge.py")))
_environment.update(_merge_driver["git_config_environment"](sys.executable))
c.Spawner.environment = _environment

# --- stop servers nobody uses ------------------------------------------------------------------------------------
# JupyterHub 5+ grants a service nothing by default: the culler's role lists exactly what it needs.
c.JupyterHub.load_roles = [
    {
        "name": "jupyterhub-idle-culler-role",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "jupyterhub-idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={IDLE_SERVER_SECONDS}",
            f"--cull-every={max(60, IDLE_SERVER_SECONDS // 6)}",
        ],
    }
]
