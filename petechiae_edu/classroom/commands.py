"""Classroom subcommands of ``petechiae-edu``: ``build``, ``present`` and ``export``.

``petechiae_edu.cli`` calls :func:`register` with its subparsers; each subcommand sets ``handler`` to a
function that takes the parsed arguments and returns an exit status.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import EDITIONS  # light: importing this module must not import nbformat (the CLI starts at once)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``build``, ``present`` and ``export`` to the ``petechiae-edu`` command line."""
    build = subparsers.add_parser(
        "build",
        help="write the student or instructor edition of every lesson into DIR",
        description="Write the student or instructor edition of every lesson into DIR. The student edition "
        "leaves out cells tagged 'instructor' (solutions, teaching notes, timing, misconceptions) and keeps "
        "the self-checks; the instructor edition keeps every cell.",
    )
    build.add_argument("--edition", choices=EDITIONS, required=True, help="which edition to write")
    build.add_argument("directory", type=Path, metavar="DIR", help="output folder (created if missing)")
    _force_option(build)
    build.set_defaults(handler=cmd_build)

    present = subparsers.add_parser(
        "present",
        help="serve a lesson as an app for the projector (Voilà, code hidden, on 127.0.0.1)",
        description="Serve a lesson as an app (Voilà, code hidden) on 127.0.0.1 with a presentation theme: "
        "large fonts, high-contrast page and figures. Stop it with Ctrl+C.",
    )
    add_present_arguments(present)
    present.set_defaults(handler=cmd_present)

    export = subparsers.add_parser(
        "export",
        help="write a static HTML site of the executed lessons (handouts that work offline)",
        description="Execute every lesson and write a static HTML site into DIR: one page per lesson with its "
        "initial figures (widget state embedded, no kernel needed) and an index page. The pages load the "
        "widget renderer, require.js and MathJax from DIR/_static, copied from the petechiae-edu package, so "
        "the site works offline (from a USB stick or a learning platform). Export needs no network.",
    )
    export.add_argument("directory", type=Path, metavar="DIR", help="output folder (created if missing)")
    export.add_argument(
        "lessons",
        nargs="*",
        metavar="LESSON",
        help="lessons to export: numbers (04) or names (04-bleeding-risk); default: every lesson",
    )
    export.add_argument(
        "--edition", choices=EDITIONS, default="student", help="which edition to export (default: student)"
    )
    export.add_argument("--hide-code", action="store_true", help="leave the code cells out of the pages")
    _force_option(export)
    export.set_defaults(handler=cmd_export)


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into DIR even if it holds files this command did not write (files with the same names as "
        "the output are replaced; other files stay)",
    )


def add_present_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``present`` (also used by ``python -m petechiae_edu.classroom.present``)."""
    parser.add_argument("lesson", help="lesson number (03), name (04-bleeding-risk) or path to a notebook")
    parser.add_argument(
        "--port", type=port_number, default=None, help="port on 127.0.0.1, 1024-65535 (default: a free port)"
    )
    parser.add_argument("--open", action="store_true", help="open the lesson in the default web browser")
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default="student",
        help="student (default: what the class sees) or instructor (with the teaching notes, to rehearse)",
    )
    parser.add_argument(
        "--token",
        default=None,
        help="the secret in the lesson's address (default: a new random one each time; it is printed)",
    )


def port_number(text: str) -> int:
    """``--port``: a whole number from 1024 to 65535 (an argparse usage error, exit status 2, otherwise)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {text!r} is not a whole number; expected 1024-65535") from None
    if not 1024 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range; expected 1024-65535 (e.g. 8899)")
    return port


def cmd_build(arguments: argparse.Namespace) -> int:
    from .editions import build_edition
    from .output_folder import OutputFolderError

    try:
        written = build_edition(arguments.edition, arguments.directory, force=arguments.force)
    except OutputFolderError as error:
        print(f"petechiae-edu build: {error}", file=sys.stderr)
        return 2
    print(f"Wrote the {arguments.edition} edition of {len(written)} lessons to {arguments.directory}")
    return 0


def cmd_present(arguments: argparse.Namespace) -> int:
    from .present import run

    return run(arguments)


def cmd_export(arguments: argparse.Namespace) -> int:
    import time

    from ..lessons import LessonNotFoundError, find_lesson
    from .export import AssetError, ExportError, export_site
    from .output_folder import OutputFolderError

    started = time.perf_counter()
    try:
        chosen = [find_lesson(name) for name in getattr(arguments, "lessons", None) or []] or None
        export_site(
            arguments.directory,
            lessons=chosen,
            edition=arguments.edition,
            hide_code=arguments.hide_code,
            force=arguments.force,
        )
    except (AssetError, OutputFolderError, LessonNotFoundError) as error:
        print(f"petechiae-edu export: {error}", file=sys.stderr)
        return 2
    except ExportError as error:
        print(f"petechiae-edu export: {error}", file=sys.stderr)
        return 1
    site = Path(arguments.directory)
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    pages = sum(path.stat().st_size for path in site.glob("*.html"))
    print(
        f"Exported in {time.perf_counter() - started:.1f} s: {size / 1e6:.1f} MB in all "
        f"({pages / 1e6:.1f} MB of pages, the rest shared scripts and fonts in _static/)."
    )
    print(f"Open {site / 'index.html'} in a web browser.")
    return 0
