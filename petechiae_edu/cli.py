"""The `petechiae-edu` command: copy and update lessons safely, open them, list them, check the set-up.

The command must answer at once: this module and what it imports to build the parser stay light (no numpy,
matplotlib, ipywidgets, nbformat or Jupyter); each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from . import DISCLAIMER, __version__
from .classroom import EDITIONS
from .classroom.commands import register as register_classroom_commands

DEFAULT_WORKSPACE = Path("~/petechiae-edu")


# JupyterLab settings for the lessons' server only: its news pop-up (which asks every student whether to fetch
# news from the internet) is off. Added to JUPYTER_CONFIG_PATH for the server we start, never written to the
# student's own settings.
LAB_CONFIG_DIR = Path(__file__).with_name("jupyter_config")


def _sync(workspace: Path, edition: str = "student") -> int:
    from .workspace import sync_workspace

    report = sync_workspace(workspace, edition=edition)
    print("\n".join(report.lines()))
    return 0


def cmd_copy(arguments: argparse.Namespace) -> int:
    return _sync(arguments.directory, arguments.edition)


def cmd_update(arguments: argparse.Namespace) -> int:
    from .workspace import is_workspace

    if not is_workspace(arguments.directory):
        print(
            f"{arguments.directory} is not a petechiae-edu workspace yet (no .petechiae-edu.json); "
            f"create one with: petechiae-edu copy {arguments.directory}",
            file=sys.stderr,
        )
        return 2
    return _sync(arguments.directory, arguments.edition)


def lab_command(workspace: Path, extra: list[str]) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        command.append("--allow-root")  # containers and class servers often run as root
    return command + extra


def lab_environment(environment: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the lessons' JupyterLab: our settings first on JUPYTER_CONFIG_PATH."""
    environment = dict(os.environ if environment is None else environment)
    existing = environment.get("JUPYTER_CONFIG_PATH", "")
    environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(LAB_CONFIG_DIR), existing) if p)
    return environment


def run_until_stopped(command: list[str], cwd: Path, environment: dict[str, str]) -> int:
    """Run ``command``; SIGTERM and SIGINT (Ctrl+C) are passed on to it, and we wait until it has stopped."""
    process = subprocess.Popen(command, cwd=cwd, env=environment)
    forwarded = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])

    def forward(signal_number: int, _frame: object) -> None:
        if process.poll() is None:
            process.send_signal(signal_number)

    previous = {number: signal.signal(number, forward) for number in forwarded}
    try:
        while True:
            try:
                return_code = process.wait()
                break
            except KeyboardInterrupt:  # a second Ctrl+C while JupyterLab shuts down: keep waiting
                continue
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if return_code in (0, -signal.SIGINT, -signal.SIGTERM) else return_code


def cmd_lab(arguments: argparse.Namespace) -> int:
    workspace = Path(arguments.directory).expanduser()
    _sync(workspace, arguments.edition)
    command = lab_command(workspace, arguments.jupyter_args)
    if arguments.dry_run:
        print(shlex.join(command))  # quoted: a path with spaces or quotes can be copied and run as printed
        return 0
    print(f"Starting JupyterLab in {workspace} (stop it with Ctrl+C). {DISCLAIMER}")
    return run_until_stopped(command, workspace, lab_environment())


def cmd_list(_arguments: argparse.Namespace) -> int:
    from .lessons import lessons

    for lesson in lessons():
        print(f"{lesson.number}  {lesson.title}  ({lesson.path.name})")
    return 0


def cmd_check(arguments: argparse.Namespace) -> int:
    from .environment import run_checks

    findings = run_checks(arguments.data)
    for finding in findings:
        print(finding.line())
    problems = [f for f in findings if not f.ok]
    if not problems:
        print("All checks passed.")
        return 0
    print(
        f"{len(problems)} problem(s) found; see above for what to do. Fix each content entry named above in its "
        "data file, then run petechiae-edu check again."
    )
    return 1


def _workspace_folder(text: str) -> Path:
    """A workspace argument: a folder name, never empty (an empty name would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the workspace folder name is empty; give a folder, e.g. ~/petechiae-edu")
    return Path(text)


def _data_folder(text: str) -> Path:
    """``--data DIR``: an existing folder (a usage error, exit status 2, otherwise)."""
    folder = Path(text).expanduser()
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a folder; give the data folder to check, e.g. ./data")
    return folder


def cmd_results_export(arguments: argparse.Namespace) -> int:
    from .results.export import export_results

    written = export_results(arguments.out_file, workspace=arguments.workspace, name=arguments.name)
    print(f"Wrote your self-check results to {written}; hand this file in as your course asks.")
    return 0


def cmd_results_summary(arguments: argparse.Namespace) -> int:
    import json

    from .results.report import summary_html, summary_table
    from .results.summary import read_results, summarise

    results = []
    for path in arguments.files:
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ValueError(f"{path}: cannot read a results file ({error})") from None
        results.append(read_results(str(path), document))
    summary = summarise(results)
    print(summary_table(summary))
    if arguments.html is not None:
        if arguments.html.exists():
            raise FileExistsError(f"{arguments.html} already exists; nothing was written. Choose another file name")
        arguments.html.write_text(summary_html(summary), encoding="utf-8")
        print(f"\nWrote the report with charts to {arguments.html}")
    return 0


def cmd_flashcards(arguments: argparse.Namespace) -> int:
    from .flashcards import write_flashcards

    written, counts = write_flashcards(arguments.directory, arguments.lesson or None)
    print(f"Wrote {sum(counts.values())} cards from {len(counts)} lessons to {written}; import it into Anki.")
    return 0


def _add_results_commands(commands: argparse._SubParsersAction) -> None:
    flashcards = commands.add_parser(
        "flashcards",
        help="the self-check questions as an Anki deck, for spaced retrieval",
        description="Write DIR/petechiae-edu.apkg: one card per self-check question (vignette and options on the "
        "front; answer, explanation and sources on the back), a sub-deck per lesson. Importing a newer deck "
        "updates your cards and keeps your review history.",
    )
    flashcards.add_argument("directory", type=Path, metavar="DIR", help="folder for the deck (created if missing)")
    flashcards.add_argument(
        "--lesson", action="append", metavar="NN", help="only this lesson (repeat for more; default: all)"
    )
    flashcards.set_defaults(handler=cmd_flashcards)

    results = commands.add_parser(
        "results",
        help="self-check results: export yours to hand in, or summarise a class's",
        description="Your self-check answers are recorded in your workspace (on your computer only, no name). "
        "'export' writes them to one file you can hand in; 'summary' gives an instructor the class picture.",
    )
    actions = results.add_subparsers(dest="results_command", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write your results to one file to hand in")
    export.add_argument("out_file", type=Path, metavar="FILE", help="the file to write (e.g. my-results.json)")
    export.add_argument(
        "--workspace", type=Path, default=None, metavar="DIR", help="your workspace (default: the current folder)"
    )
    export.add_argument("--name", default=None, help="your name or student number, if your course asks for it")
    export.set_defaults(handler=cmd_results_export)
    summary = actions.add_parser(
        "summary", help="per-question difficulty and discrimination, per-lesson completion, common wrong options"
    )
    summary.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the students' results files")
    summary.add_argument("--html", type=Path, default=None, metavar="FILE", help="also write an HTML report")
    summary.set_defaults(handler=cmd_results_summary)


def _edition_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default="student",
        help="student (default: without the instructors' notes and solutions) or instructor (every cell)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="petechiae-edu",
        description=f"Interactive lessons on petechiae, platelets and leukaemia. {DISCLAIMER}",
    )
    parser.add_argument("--version", action="version", version=f"petechiae-edu {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lab = commands.add_parser(
        "lab",
        help="copy the lessons into your workspace (keeping your edits) and open them in JupyterLab",
        description="Copy or update the lessons in DIR without overwriting your changes, then start JupyterLab "
        "there. Arguments after -- go to JupyterLab (e.g. -- --no-browser --port 8890).",
    )
    lab.add_argument(
        "directory",
        nargs="?",
        type=_workspace_folder,
        default=DEFAULT_WORKSPACE,
        metavar="DIR",
        help=f"your workspace (default {DEFAULT_WORKSPACE})",
    )
    lab.add_argument("--dry-run", action="store_true", help="update the workspace and print the JupyterLab command")
    _edition_option(lab)
    lab.set_defaults(handler=cmd_lab)

    for name, handler, summary in (
        ("copy", cmd_copy, "copy the lessons into DIR (creating it); never overwrites a lesson you changed"),
        (
            "update",
            cmd_update,
            "bring the lessons in DIR up to date without losing your work: a lesson you only ran is "
            "updated, a lesson you edited is merged cell by cell (your edits and your own cells stay)",
        ),
    ):
        sub = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        sub.add_argument("directory", type=_workspace_folder, metavar="DIR", help="the workspace folder")
        _edition_option(sub)
        sub.set_defaults(handler=handler)

    listing = commands.add_parser(
        "list",
        help="list the lessons with their titles",
        description="List the lessons that ship with this version, in teaching order.",
    )
    listing.set_defaults(handler=cmd_list)

    check = commands.add_parser(
        "check",
        help="check the content store (or a draft data folder) and that this machine can show the lessons",
        description="Validate every content file and report every problem (file, entry and field), then check "
        "the classroom scenarios, the lessons, the widget front end and the Jupyter kernel. Exit status: 0 when "
        "all is well, 1 when a problem was found, 2 on a usage error.",
    )
    check.add_argument(
        "--data",
        type=_data_folder,
        default=None,
        metavar="DIR",
        help="check this data folder (a draft) instead of the shipped content",
    )
    check.set_defaults(handler=cmd_check)

    register_classroom_commands(commands)
    _add_results_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # everything after a bare -- is passed to JupyterLab untouched
    jupyter_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = build_parser()
    arguments = parser.parse_args(argv)
    arguments.jupyter_args = jupyter_args
    try:
        return arguments.handler(arguments)
    except BrokenPipeError:  # the output went to a pager or `head` that closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, ValueError) as error:
        print(f"petechiae-edu {arguments.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
