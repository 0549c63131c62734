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


def check_content(data_dir: Path | None = None) -> list[Finding]:
    """One finding per content problem (every one, each naming file, entry and field), or one OK finding."""
    from . import content

    report = content.check_store(data_dir)
    if report.ok:
        entries = sum(report.counts.values())
        return [
            Finding("content store", True, f"{len(report.counts)} files, {entries} entries, every source key resolves")
        ]
    return [Finding("content store", False, str(problem)) for problem in report.all_problems]


def check_scenarios(data_dir: Path | None = None) -> list[Finding]:
    """Each classroom scenario names an explorer that exists, and loads into a fresh one (controls in range).

    Builds every explorer a scenario names (widgets and figures), so only ``check`` runs it.
    """
    import difflib

    import petechiae_edu

    from . import content, scenarios

    try:
        every = scenarios.scenarios(data_dir=data_dir)
    except content.ContentError:
        return []  # reported by the content check
    factories = sorted(name for name in petechiae_edu.__all__ if name.endswith(("_explorer", "_picker")))
    findings: list[Finding] = []
    apps: dict[str, object] = {}
    broken: set[str] = set()
    for number, scenario in enumerate(every, start=1):
        where = f"data/{scenarios.SCENARIO_FILE}, entry '{scenario.key}' (scenario #{number})"
        if scenario.explorer not in petechiae_edu.__all__:
            close = difflib.get_close_matches(scenario.explorer, factories, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; explorers: {', '.join(factories)}"
            findings.append(
                Finding(
                    "scenarios", False, f"{where}, field 'explorer': no explorer called '{scenario.explorer}'{hint}"
                )
            )
            continue
        if scenario.explorer in broken:
            continue
        try:
            app = apps.get(scenario.explorer) or getattr(petechiae_edu, scenario.explorer)()
        except Exception as error:  # a broken explorer is reported by check, never a traceback
            findings.append(
                Finding(
                    "scenarios", False, f"{scenario.explorer}() could not be built ({type(error).__name__}: {error})"
                )
            )
            broken.add(scenario.explorer)
            continue
        apps[scenario.explorer] = app
        try:
            scenarios.apply_scenario(app, scenario)
        except (scenarios.ScenarioError, ValueError, TypeError) as error:
            findings.append(Finding("scenarios", False, f"{where}, field 'controls': {error}"))
    if not findings:
        findings.append(Finding("scenarios", True, f"{len(every)} scenarios load into their explorers"))
    return findings


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


def check_question_banks(data_dir: Path | None = None) -> list[Finding]:
    """The self-check banks' lint (:mod:`petechiae_edu.content.bank_lint`): one line of figures per bank, and a
    PROBLEM for every rule a bank breaks (too few items, key positions, longest options, absolute words, missing
    feedback or objectives, a stem or a fact tested twice in the course …), so the check fails until it is fixed.
    """
    from . import content
    from .content.bank_lint import lint_banks
    from .content.store import folder_of

    folder = folder_of(data_dir)
    try:
        banks = {
            path.stem: content.quiz(path.stem, data_dir)
            for path in sorted((folder / "quizzes").glob("[0-9][0-9].toml"))
        }
        plans = content.course_plan(data_dir).values()
    except content.ContentError:
        return []  # reported by the content check
    objectives = {plan.number: frozenset(objective.key for objective in plan.objectives) for plan in plans}
    findings = []
    for lint in lint_banks(banks, objectives):
        where = f"question bank data/quizzes/{lint.lesson}.toml"
        findings.append(Finding(where, True, lint.line()))
        findings.extend(Finding(where, False, problem) for problem in lint.problems())
    return findings


def run_checks(data_dir: Path | None = None) -> list[Finding]:
    """Every finding of ``petechiae-edu check``: the content store (``data_dir``, default the shipped one), the
    classroom scenarios, the lessons, the widget front end and the kernel."""
    return [
        *check_content(data_dir),
        *check_question_banks(data_dir),
        *check_scenarios(data_dir),
        check_lessons(),
        check_widgets_frontend(),
        check_kernel(),
    ]
