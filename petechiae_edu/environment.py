"""`petechiae-edu check`: is the content store sound and can this machine show the lessons?"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One line of the check: what was looked at, whether it is fine, and what to do if not."""

    what: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK     ' if self.ok else 'PROBLEM'} {self.what}: {self.detail}"


def check_content() -> Finding:
    from . import content

    try:
        counts = content.validate_all()
    except content.ContentError as error:
        return Finding("content store", False, f"{error}. Fix that entry in the data file.")
    entries = sum(counts.values())
    return Finding("content store", True, f"{len(counts)} files, {entries} entries, every source key resolves")


def check_lessons() -> Finding:
    from . import lessons

    try:
        found = lessons.lessons()
    except (OSError, ValueError, RuntimeError) as error:
        return Finding("lessons", False, f"{error}")
    if not found:
        return Finding("lessons", False, "no lesson notebooks were found; reinstall petechiae-edu")
    return Finding("lessons", True, f"{len(found)} lessons found in {found[0].path.parent}")


def check_widgets_frontend() -> Finding:
    if importlib.util.find_spec("ipywidgets") is None:
        return Finding("ipywidgets", False, "ipywidgets is not installed; run: pip install ipywidgets")
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("labextensions"):
        manifest = Path(folder) / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        if manifest.exists():
            return Finding("widget front end", True, f"JupyterLab widget extension found in {folder}")
    return Finding(
        "widget front end",
        False,
        "the JupyterLab widget extension (jupyterlab_widgets) is missing, so sliders would show as text; "
        "run: pip install jupyterlab_widgets, then restart JupyterLab",
    )


def check_kernel() -> Finding:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Finding("kernel", False, "no 'python3' Jupyter kernel; run: python -m ipykernel install --user")
    python = spec.argv[0]
    if python in ("python", "python3", "{python}"):
        python = sys.executable
    try:
        result = subprocess.run(
            [python, "-c", "import petechiae_edu, ipywidgets, matplotlib"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Finding("kernel", False, f"the python3 kernel ({python}) could not be started: {error}")
    if result.returncode != 0:
        return Finding(
            "kernel",
            False,
            f"the python3 kernel runs {python}, which cannot import petechiae_edu; install the package into that "
            "Python, or run: python -m ipykernel install --user from the environment that has petechiae-edu",
        )
    return Finding("kernel", True, f"python3 kernel ({python}) imports petechiae_edu, ipywidgets and matplotlib")


def run_checks() -> list[Finding]:
    return [check_content(), check_lessons(), check_widgets_frontend(), check_kernel()]
