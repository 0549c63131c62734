"""Handouts: a static HTML site of the executed lessons that renders offline, with an index page.

Each lesson is executed in a fresh kernel with its widget state stored, then written as HTML with that state
embedded, so the initial figures show without a kernel. By default nbconvert loads the widget renderer,
require.js and MathJax from CDNs, and offline the widgets then show blank; here the pages load local copies
from ``_static/`` inside the site.

Those copies ship inside this package, in ``web_assets/`` (the widget renderer ``@jupyter-widgets/html-manager``
with its fonts, MathJax 3 with its fonts, require.js, and their licences; ``web_assets/README.md`` says which
versions and where they come from). Export copies the files listed in ``web_assets/SHA256SUMS`` into every
site and never uses the network.

    petechiae-edu export DIR                      # student edition, the default
    petechiae-edu export DIR --edition instructor
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

import nbformat

from .. import DISCLAIMER
from .editions import EditionError, lesson_paths, make_edition
from .live_pages import finish_page, inline_live_figures
from .output_folder import check_output_folder, publish, staging

STATIC = "_static"
REQUIRE_JS = "require.min.js"
WIDGET_RENDERER = "html-manager/embed-amd.js"
MATHJAX = "mathjax/tex-chtml-full.js"
WEB_ASSETS = Path(__file__).resolve().with_name("web_assets")  # shipped in the package (and the wheel)
ASSET_LIST = "SHA256SUMS"  # "<sha256>  <path>" per line: every file export copies into _static/


# MathJax 3 is configured by a plain object; nbconvert's default block is MathJax 2 syntax. The widget
# renderer still typesets labels the MathJax 2 way (MathJax.Hub.Queue), so a small shim forwards those calls.
_HANDOUT_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_mathjax -%}
<script>
(function () {
  var waiting = [];
  function typeset(element) {
    if (window.MathJax && window.MathJax.typesetPromise) {
      window.MathJax.typesetPromise(element ? [element] : undefined).catch(function () {});
    } else {
      waiting.push(element);
    }
  }
  var hub = {Queue: function () {
    for (var i = 0; i < arguments.length; i++) {
      var job = arguments[i];
      if (Array.isArray(job) && job[0] === 'Typeset') { typeset(job[2]); }
    }
  }};
  window.MathJax = {
    tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
          processEscapes: true, processEnvironments: true},
    options: {enableMenu: false},
    startup: {ready: function () {
      window.MathJax.startup.defaultReady();
      window.MathJax.Hub = hub;
      waiting.splice(0).forEach(typeset);
    }},
    Hub: hub
  };
}());
</script>
<script src="{{ resources.mathjax_url }}" async></script>
{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}
<style>
  /* the widget renderer's own style sheet falls back to a serif font without JupyterLab's variables */
  .jupyter-widgets, .widget-label, .widget-readout, .widget-html-content, .widget-inline-hbox {
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  .petechiae-edu-nav { font-family: system-ui, sans-serif; padding: 0.5em 1em; border-bottom: 1px solid #999; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="petechiae-edu-nav" aria-label="Course">
  <p><a href="index.html">All lessons</a> · {{ resources.petechiae_disclaimer | e }}</p>
</nav>
{%- endblock body_header -%}
"""


class AssetError(RuntimeError):
    """A web asset that ships in the package (widget renderer, require.js, MathJax) is missing: a broken install."""


def packaged_assets(folder: Path | None = None) -> list[str]:
    """The web assets the pages need, as paths inside ``folder`` (default :data:`WEB_ASSETS`).

    Raises :class:`AssetError` naming every file that is missing.
    """
    folder = Path(folder) if folder is not None else WEB_ASSETS
    listing = folder / ASSET_LIST
    names = (
        [line.split("  ", 1)[1] for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()]
        if listing.is_file()
        else []
    )
    needed = dict.fromkeys([ASSET_LIST, REQUIRE_JS, WIDGET_RENDERER, MATHJAX, *names])
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise AssetError(
            f"the web assets of the handouts are missing from {folder}: {shown}. This petechiae-edu installation "
            "is broken; reinstall it (pip install --force-reinstall petechiae-edu, or pip install -e . in a checkout)"
        )
    return [name for name in needed if name != ASSET_LIST]


def copy_web_assets(static_dir: Path, folder: Path | None = None) -> list[Path]:
    """Copy the packaged web assets into a site's ``_static`` folder; return the files written."""
    folder = Path(folder) if folder is not None else WEB_ASSETS
    written = []
    for name in packaged_assets(folder):
        target = Path(static_dir) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, target)
        written.append(target)
    return written


def lesson_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The lesson's first-level heading (``# 03 · Bleeding risk``), or ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+?)\s*$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1)
    return fallback


def execute_lesson(notebook: nbformat.NotebookNode, working_dir: Path, timeout_seconds: int = 300) -> None:
    """Run every cell in a fresh python3 kernel, keeping the widget state in the notebook metadata."""
    from nbclient import NotebookClient

    NotebookClient(
        notebook,
        timeout=timeout_seconds,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(working_dir)}},
    ).execute()


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Widgets whose front end is not in the handout's widget renderer: the renderer would fetch their code from a CDN,
# which an offline handout must never do (and which fails offline anyway).
KERNEL_ONLY_MODULES = ("anywidget",)
KERNEL_ONLY_NOTE = (
    '<p class="petechiae-edu-needs-python" role="note" style="border-left:4px solid #555;padding:0.3em 0.8em;'
    'background:#f3f3f3"><strong>This explorer needs Python.</strong> Open the lesson in JupyterLab '
    "(petechiae-edu lab) to use it; the handout cannot run it.</p>"
)


def _model_ids(value: object) -> list[str]:
    """Widget references ('IPY_MODEL_<id>') anywhere inside a widget's state."""
    if isinstance(value, str):
        return [value[len("IPY_MODEL_") :]] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, list):
        return [found for item in value for found in _model_ids(item)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _model_ids(item)]
    return []


def remove_kernel_only_widgets(notebook: nbformat.NotebookNode) -> int:
    """Replace each displayed widget that needs a kernel-side front end (anywidget) with a visible note.

    Their models leave the stored widget state, so the page never asks a CDN for their code. Returns how many
    outputs were replaced.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    kernel_only = {model_id for model_id, model in state.items() if model.get("model_module") in KERNEL_ONLY_MODULES}
    if not kernel_only:
        return 0

    def needs_kernel(model_id: str, seen: set[str]) -> bool:
        if model_id in kernel_only:
            return True
        if model_id in seen or model_id not in state:
            return False
        seen.add(model_id)
        return any(needs_kernel(child, seen) for child in _model_ids(state[model_id].get("state", {})))

    replaced = 0
    for cell in notebook.cells:
        for index, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view and needs_kernel(view.get("model_id", ""), set()):
                cell.outputs[index] = nbformat.v4.new_output("display_data", data={"text/html": KERNEL_ONLY_NOTE})
                replaced += 1
    for model_id in [model_id for model_id in state if needs_kernel(model_id, set())]:
        state.pop(model_id)  # the kernel-only models and every model that holds one
    return replaced


def lesson_html(notebook: nbformat.NotebookNode, *, hide_code: bool = False) -> str:
    """One executed lesson as a standalone page that loads its scripts from ``_static/``."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"petechiae_handout.html.j2": _HANDOUT_TEMPLATE})],
        template_file="petechiae_handout.html.j2",
        require_js_url=f"{STATIC}/{REQUIRE_JS}",
        widget_renderer_url=f"{STATIC}/{WIDGET_RENDERER}",
        mathjax_url=f"{STATIC}/{MATHJAX}",
        exclude_input=hide_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"petechiae_disclaimer": DISCLAIMER})
    return body


class ExportError(RuntimeError):
    """A lesson failed while it ran for the handouts; the message names the lesson."""


def export_site(
    out_dir: Path,
    *,
    lessons: Sequence[Path] | None = None,
    edition: str = "student",
    hide_code: bool = False,
    timeout_seconds: int = 300,
    progress=print,
    force: bool = False,
) -> list[Path]:
    """Execute every lesson and write the handout site into ``out_dir``; return the lesson pages written.

    ``lessons`` defaults to every notebook in :func:`petechiae_edu.paths.lessons_dir` (teaching order). The
    web assets are copied first, so a broken installation fails (:class:`AssetError`) before any lesson runs.
    The site is built in a staging folder and moved into ``out_dir`` only when every lesson ran: a lesson that
    fails raises :class:`ExportError` naming it, and the previous site stays as it was. ``out_dir`` must be
    new, empty or an earlier export (:mod:`.output_folder`), unless ``force``.
    """
    sources = list(lessons) if lessons is not None else lesson_paths()
    if not sources:
        raise EditionError("no lessons (*.ipynb) to export")
    out_dir = Path(out_dir)
    check_output_folder(out_dir, "export", [], force=force)
    pages: list[tuple[Path, str]] = []
    with staging(out_dir) as stage, tempfile.TemporaryDirectory(prefix="petechiae-export-") as scratch:
        copy_web_assets(stage / STATIC)
        for source in sources:
            progress(f"executing {source.name}")
            notebook = make_edition(nbformat.read(source, as_version=4), edition, name=source.name)
            try:
                execute_lesson(notebook, Path(scratch), timeout_seconds)
            except Exception as error:  # nbclient raises CellExecutionError, timeouts, dead kernels
                summary = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
                raise ExportError(
                    f"lesson {source.name} failed while it ran ({summary[:300]}); nothing was written, and "
                    f"{out_dir} is as it was. Run the lesson in JupyterLab to see the failing cell"
                ) from error
            live = inline_live_figures(notebook)
            replaced = remove_kernel_only_widgets(notebook)
            live.needs_python += [f"{replaced} widget(s) marked 'This explorer needs Python'"] if replaced else []
            page = stage / f"{source.stem}.html"
            page.write_text(finish_page(lesson_html(notebook, hide_code=hide_code), live), encoding="utf-8")
            pages.append((out_dir / page.name, lesson_title(notebook, source.stem)))
        (stage / "index.html").write_text(index_html(pages, edition), encoding="utf-8")
        publish(stage, out_dir, "export", force=force)
    progress(f"wrote {len(pages)} lessons and index.html to {out_dir}")
    return [page for page, _ in pages]


def index_html(pages: Sequence[tuple[Path, str]], edition: str) -> str:
    """The site's front page: the lessons in order, with the disclaimer."""
    items = "\n".join(f'    <li><a href="{escape(page.name)}">{escape(title)}</a></li>' for page, title in pages)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>petechiae-edu: lessons</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em;
         color: #111; background: #fff; line-height: 1.5; }}
  li {{ margin: 0.4em 0; font-size: 1.15em; }}
  .disclaimer {{ border-left: 4px solid #111; padding: 0.3em 0.8em; background: #f3f3f3; }}
</style>
</head>
<body>
<main>
  <h1>Petechiae, platelets and leukaemia: the lessons</h1>
  <p class="disclaimer"><strong>{escape(DISCLAIMER)}</strong></p>
  <p>Handouts ({escape(edition)} edition): each page shows a lesson as it runs. The explorers work here,
  with no Python and no network; a note at the top of each page says what in it needs Python (open the lesson
  in Jupyter for that).</p>
  <ol>
{items}
  </ol>
</main>
</body>
</html>
"""
