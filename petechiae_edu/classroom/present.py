"""Present a lesson to a class: Voilà serves it as an app (code hidden) on 127.0.0.1 with a projector theme.

The projector theme has two halves:

- the page: a Voilà template (written at launch into a temporary Jupyter data folder) with large fonts,
  black-on-white text, thick focus outlines and roomy widgets, so the back row can read the controls;
- the figures: a hidden first cell, added by Voilà's prelaunch hook, that calls
  :func:`petechiae_edu.figures.render.use_projector_style` in the lesson's kernel before any figure is built.

    petechiae-edu present 03               # or 04-bleeding-risk, or a path to a notebook
    petechiae-edu present 03 --port 8899
    petechiae-edu present 03 --edition instructor   # rehearse with the teaching notes
    python -m petechiae_edu.classroom.present 03

The class sees the **student edition** (no teaching notes or solutions) unless ``--edition instructor`` is
given. The server is private and frugal: the printed address carries a token (the bare address shows no
lesson), it listens on 127.0.0.1 and on exactly the port it prints, each page load gets one kernel, which is
shut down when the page closes (Voilà's own page-unload handler) and culled after :data:`IDLE_MINUTES` minutes
without a connection.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import secrets
import socket
import sys
import tempfile
from pathlib import Path

import nbformat

from ..lessons import LessonNotFoundError, find_lesson

TEMPLATE_NAME = "petechiae-present"
HOST = "127.0.0.1"
IDLE_MINUTES = 10  # a kernel whose page is gone (closed without the unload message, a crashed tab) goes after this
CULL_INTERVAL_SECONDS = 60
PROJECTOR_CELL_TAG = "petechiae-edu-projector"
PROJECTOR_CELL_SOURCE = "from petechiae_edu.figures.render import use_projector_style\nuse_projector_style()"

SCENARIO_CELL_TAG = "petechiae-edu-scenarios"
SCENARIO_APP = "_petechiae_edu_explorer"
SCENARIO_CELL_SOURCE = f"from petechiae_edu.scenarios import scenario_picker\nscenario_picker({SCENARIO_APP})"

# Large, high-contrast page that fits the screen. Type grows with the screen (clamp on the font variables) and the
# lesson column takes the whole width up to a readable maximum; no CSS zoom (a zoomed fixed-width column ran off
# 1024×768 and 1280×720 projectors). Rows of controls wrap instead of overflowing, and figures shrink to the column.
# Colours are set on the body so they win over the theme's :root values, which Voilà's theme loader adds to the
# page after this style sheet.
PRESENT_MAX_WIDTH_PX = 1500
PRESENT_CSS = f"""
body[data-voila="voila"] {{
  --jp-content-font-color0: #000000;
  --jp-content-font-color1: #000000;
  --jp-content-font-color2: #111111;
  --jp-ui-font-color0: #000000;
  --jp-ui-font-color1: #000000;
  --jp-widgets-color: #000000;
  --jp-widgets-label-color: #000000;
  --jp-widgets-readout-color: #000000;
  --jp-widgets-input-color: #000000;
  --jp-widgets-input-border-color: #000000;
  --jp-widgets-input-border-width: 2px;
  --jp-widgets-slider-handle-border-color: #000000;
  --jp-widgets-slider-active-handle-color: #0072b2;
  --jp-content-link-color: #0047ab;
  --jp-layout-color0: #ffffff;
  --jp-layout-color1: #ffffff;
  background: #ffffff;
  color: #000000;
}}
body[data-voila="voila"] {{
  --jp-content-font-size1: clamp(16px, calc(0.55vw + 11px), 22px);
  --jp-ui-font-size1: clamp(14px, calc(0.5vw + 9px), 20px);
  --jp-widgets-font-size: clamp(14px, calc(0.5vw + 9px), 20px);
  --jp-widgets-inline-height: clamp(28px, calc(0.8vw + 18px), 40px);
  --jp-widgets-inline-label-width: clamp(100px, 12vw, 200px);
  overflow-x: hidden;
}}
body[data-voila="voila"] #rendered_cells {{
  box-sizing: border-box;
  width: 100%;
  max-width: {PRESENT_MAX_WIDTH_PX}px;
  margin: 0 auto;
  padding: 0.5em clamp(0.5em, 2vw, 1.5em);
  line-height: 1.45;
}}
body[data-voila="voila"] .jp-Cell,
body[data-voila="voila"] .jp-OutputArea-output,
body[data-voila="voila"] .jupyter-widgets,
body[data-voila="voila"] .widget-box,
body[data-voila="voila"] .widget-vbox,
body[data-voila="voila"] .widget-hbox {{
  max-width: 100%;
  min-width: 0;
  box-sizing: border-box;
}}
body[data-voila="voila"] .widget-hbox,
body[data-voila="voila"] .widget-radio-box {{
  flex-wrap: wrap;
}}
body[data-voila="voila"] .widget-inline-hbox {{
  max-width: 100%;
  flex-wrap: wrap;
  height: auto;
}}
body[data-voila="voila"] .widget-text input,
body[data-voila="voila"] .widget-inline-hbox input {{
  min-width: 7ch;
}}
body[data-voila="voila"] .jp-RenderedHTMLCommon blockquote {{
  border-left: 6px solid #000000;
  color: #000000;
  background: #f2f2f2;
}}
body[data-voila="voila"] .petechiae-edu-description {{
  font-size: 1.15em;
  font-weight: 600;
}}
body[data-voila="voila"] :focus-visible,
body[data-voila="voila"] .noUi-handle:focus {{
  outline: 3px solid #0072b2 !important;
  outline-offset: 2px;
}}
body[data-voila="voila"] .jupyter-widgets img,
body[data-voila="voila"] .widget-image {{
  max-width: 100%;
  height: auto;
  background: #ffffff;
}}
"""

_TEMPLATE_INDEX = (
    """{%- extends 'voila/templates/lab/index.html.j2' -%}
{%- block notebook_css -%}
{{ super() }}
<style id="petechiae-edu-present">
"""
    + PRESENT_CSS
    + """
</style>
{%- endblock notebook_css -%}
"""
)


class PresentError(RuntimeError):
    """A lesson cannot be presented on this machine (for example, Voilà is missing)."""


def resolve_lesson(name: str | os.PathLike[str], lessons: list[Path] | None = None) -> Path:
    """Find a lesson by path, file name, stem (``04-bleeding-risk``) or number (``03`` or ``3``): see
    :func:`petechiae_edu.lessons.find_lesson`, which owns lesson lookup."""
    return find_lesson(name, lessons)


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def write_template(jupyter_data_dir: Path) -> Path:
    """Write the projector Voilà template into ``jupyter_data_dir`` (a folder to add to ``JUPYTER_PATH``)."""
    folder = Path(jupyter_data_dir) / "voila" / "templates" / TEMPLATE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    (folder / "index.html.j2").write_text(_TEMPLATE_INDEX, encoding="utf-8")
    return folder


def add_projector_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Put the projector-style call first, once (the cell is hidden in Voilà: no input shown, no output)."""
    if not any(PROJECTOR_CELL_TAG in cell.get("metadata", {}).get("tags", []) for cell in notebook.cells):
        cell = nbformat.v4.new_code_cell(PROJECTOR_CELL_SOURCE, metadata={"tags": [PROJECTOR_CELL_TAG]})
        if (notebook.nbformat, notebook.nbformat_minor) < (4, 5):
            cell.pop("id", None)  # cell ids arrived in nbformat 4.5
        notebook.cells.insert(0, cell)
    return notebook


def _explorer_call(source: str, factories: set[str]) -> ast.Expr | None:
    """The cell's last statement if it is a call such as ``bleeding_explorer(platelet_count=8)``."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    last = body[-1] if body else None
    if (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Name)
        and last.value.func.id in factories
    ):
        return last
    return None


def add_scenario_pickers(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Below each cell that shows an explorer with classroom scenarios, add the scenario drop-down.

    Code is hidden when presenting, so the instructor cannot type ``load_scenario``; the drop-down is the way
    to jump to a prepared state. The explorer cell keeps its app in a variable for the drop-down to use.
    """
    from ..scenarios import scenarios

    if any(SCENARIO_CELL_TAG in cell.get("metadata", {}).get("tags", []) for cell in notebook.cells):
        return notebook  # already added
    factories = {scenario.explorer for scenario in scenarios()}
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        last = _explorer_call(cell.source, factories) if cell.cell_type == "code" else None
        if last is None:
            continue
        lines = cell.source.splitlines()
        call = ast.get_source_segment(cell.source, last.value)
        kept = "\n".join(lines[: last.lineno - 1])
        cell.source = f"{kept}\n{SCENARIO_APP} = {call}\n{SCENARIO_APP}".lstrip("\n")
        picker = nbformat.v4.new_code_cell(SCENARIO_CELL_SOURCE, metadata={"tags": [SCENARIO_CELL_TAG]})
        if (notebook.nbformat, notebook.nbformat_minor) < (4, 5):
            picker.pop("id", None)
        cells.append(picker)
    notebook.cells = cells
    return notebook


def projector_hook(request_handler, notebook: nbformat.NotebookNode, cwd: str) -> nbformat.NotebookNode:
    """Voilà prelaunch hook: projector figure style, and a scenario drop-down under each explorer."""
    return add_scenario_pickers(add_projector_cell(notebook))


def voila_arguments(lesson: Path, port: int, *, theme: str = "light") -> list[str]:
    """The Voilà command-line arguments for presenting ``lesson`` on 127.0.0.1:``port``."""
    return [
        str(lesson),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",  # listen on exactly the port we print, or fail
        f"--template={TEMPLATE_NAME}",
        f"--theme={theme}",
        "--strip_sources=True",
    ]


def presented_copy(path: Path, folder: Path, edition: str) -> Path:
    """Write the ``edition`` of the lesson at ``path`` into ``folder``; the class never sees the authored file."""
    from .editions import make_edition

    notebook = make_edition(nbformat.read(path, as_version=4), edition, name=path.name)
    target = Path(folder) / path.name
    nbformat.write(notebook, target)
    return target


def presentation_config(token: str, open_browser: bool):
    """Voilà's settings: the projector hook, the token, and kernel culling."""
    from traitlets.config import Config

    config = Config()
    config.VoilaConfiguration.prelaunch_hook = projector_hook
    config.Voila.open_browser = open_browser
    config.Voila.token = token
    config.MappingKernelManager.cull_idle_timeout = IDLE_MINUTES * 60
    config.MappingKernelManager.cull_interval = CULL_INTERVAL_SECONDS
    config.MappingKernelManager.cull_connected = False  # a class watching a quiet slide keeps its kernel
    return config


def serve(
    lesson: str | os.PathLike[str],
    port: int | None = None,
    *,
    open_browser: bool = False,
    edition: str = "student",
    token: str | None = None,
) -> None:
    """Serve ``lesson`` with Voilà until interrupted (Ctrl-C). Blocks."""
    try:
        from voila.app import Voila
    except ImportError:
        raise PresentError(
            "presenting needs Voilà, which is not installed; install it with: pip install 'petechiae-edu[classroom]'"
        ) from None

    path = resolve_lesson(lesson)
    port = port if port is not None else free_port()
    token = token or secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="petechiae-present-") as data_dir:
        write_template(Path(data_dir))
        copy_dir = Path(data_dir) / "lesson"
        copy_dir.mkdir()
        shown = presented_copy(path, copy_dir, edition)
        # Voilà looks for templates on the Jupyter data path; ours goes first.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [data_dir, os.environ.get("JUPYTER_PATH")]))
        print(
            f"Presenting {path.name} ({edition} edition) at http://{HOST}:{port}/?token={token}  (Ctrl-C to stop)",
            flush=True,
        )
        Voila.launch_instance(argv=voila_arguments(shown, port), config=presentation_config(token, open_browser))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m petechiae_edu.classroom.present",
        description="Serve a lesson as an app (Voilà, code hidden) on 127.0.0.1 with a projector theme.",
    )
    add_arguments(parser)
    arguments = parser.parse_args(argv)
    return run(arguments)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .commands import add_present_arguments  # one definition, kept where the CLI can read it cheaply

    add_present_arguments(parser)


def run(arguments: argparse.Namespace) -> int:
    try:
        serve(
            arguments.lesson,
            arguments.port,
            open_browser=arguments.open,
            edition=arguments.edition,
            token=arguments.token,
        )
    except (LessonNotFoundError, PresentError) as error:
        print(f"petechiae-edu present: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
