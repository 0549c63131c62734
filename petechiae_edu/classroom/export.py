"""Handouts: a static HTML site of the executed lessons that renders offline, with an index page.

Each lesson is executed in a fresh kernel with its widget state stored, then written as HTML with that state
embedded, so the initial figures show without a kernel. By default nbconvert loads the widget renderer,
require.js and MathJax from CDNs, and offline the widgets then show blank; here the pages load local copies
from ``_static/`` inside the site:

- ``require.min.js``: the copy that Voilà installs (``share/jupyter/voila/templates/base/static``);
- the widget renderer (``@jupyter-widgets/html-manager``, ``dist/embed-amd.js`` and its fonts) and MathJax 3:
  no Python package ships them, so they are fetched once from the npm registry at build time (pinned
  versions, checked against the registry's sha512 integrity) into a cache folder, then copied into every
  site. On a machine without network, copy a filled cache folder there first (``--assets DIR``).

    petechiae-edu export DIR                      # student edition, the default
    petechiae-edu export DIR --edition instructor
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import nbformat

from .. import DISCLAIMER
from .editions import EditionError, lesson_paths, make_edition

STATIC = "_static"
REQUIRE_JS = "require.min.js"
WIDGET_RENDERER = "html-manager/embed-amd.js"
MATHJAX = "mathjax/tex-chtml-full.js"
NPM_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmAsset:
    """Files taken from one pinned npm package: package-relative folder or file → folder in the cache."""

    name: str
    version: str
    integrity: str  # the registry's dist.integrity (sha512, base64)
    members: tuple[tuple[str, str], ...]
    skip: tuple[str, ...] = ()  # file names (or endings) inside a member folder that the pages never load

    @property
    def tarball_url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{NPM_REGISTRY}/{self.name}/-/{base}-{self.version}.tgz"


NPM_ASSETS = (
    NpmAsset(
        "@jupyter-widgets/html-manager",
        "1.0.15",  # renders ipywidgets 8 state (widget protocol 2)
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        (("dist", "html-manager"),),
        skip=(".map", "/embed.js", "/libembed-amd.js", ".LICENSE.txt"),
    ),
    NpmAsset(
        "mathjax",
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        (
            ("es5/tex-chtml-full.js", "mathjax"),
            ("es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
        ),
    ),
    NpmAsset(  # only if no installed package ships require.js
        "requirejs",
        "2.3.7",
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        (("require.js", "requirejs"),),
    ),
)

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
    """An offline web asset (widget renderer, require.js, MathJax) could not be found or fetched."""


def assets_cache_dir() -> Path:
    """Where fetched web assets are kept: ``$PETECHIAE_EDU_WEB_ASSETS``, else the user's cache folder."""
    configured = os.environ.get("PETECHIAE_EDU_WEB_ASSETS")
    if configured:
        return Path(configured)
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "petechiae-edu" / "web-assets"


def installed_require_js() -> Path | None:
    """require.js from an installed package (Voilà ships a copy), if any."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("voila", "templates", "base", "static"):
        candidate = Path(folder) / REQUIRE_JS
        if candidate.is_file():
            return candidate
    return None


def _required_files(cache: Path) -> list[Path]:
    return [cache / WIDGET_RENDERER, cache / MATHJAX, cache / REQUIRE_JS]


def fetch_web_assets(cache_dir: Path | None = None, *, allow_download: bool = True) -> Path:
    """Make sure ``cache_dir`` holds the widget renderer, require.js and MathJax; return the folder.

    Downloads the pinned npm packages only for what is missing (and only if ``allow_download``).
    """
    cache = Path(cache_dir) if cache_dir is not None else assets_cache_dir()
    if not (cache / REQUIRE_JS).is_file() and (local := installed_require_js()) is not None:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, cache / REQUIRE_JS)
    for asset in NPM_ASSETS:
        needed = {
            "html-manager": cache / WIDGET_RENDERER,
            "mathjax": cache / MATHJAX,
            "requirejs": cache / REQUIRE_JS,
        }[asset.name.rsplit("/", 1)[-1]]
        if needed.is_file():
            continue
        if not allow_download:
            raise AssetError(
                f"{needed} is missing and downloading is off; fill {cache} on a machine with network "
                "(petechiae-edu export --fetch-assets) and copy it here, or pass --assets DIR"
            )
        _install_npm_asset(asset, cache)
        if asset.name == "requirejs":
            shutil.copyfile(cache / "requirejs" / "require.js", cache / REQUIRE_JS)
    missing = [str(path) for path in _required_files(cache) if not path.is_file()]
    if missing:
        raise AssetError(f"web assets still missing after fetching: {', '.join(missing)}")
    return cache


def _install_npm_asset(asset: NpmAsset, cache: Path) -> None:
    try:
        with urllib.request.urlopen(asset.tarball_url, timeout=120) as response:
            payload = response.read()
    except OSError as error:
        raise AssetError(
            f"could not download {asset.name}@{asset.version} from {asset.tarball_url} ({error}); "
            "the offline handouts need it once, at build time"
        ) from None
    algorithm, expected = asset.integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, payload).digest()).decode()
    if actual != expected:
        raise AssetError(f"{asset.tarball_url} does not match its registry integrity {asset.integrity}")
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            inner = member.name.split("/", 1)[1]  # npm tarballs put everything under package/
            if any(inner.endswith(ending) for ending in asset.skip):
                continue
            for source, target in asset.members:
                if inner == source:
                    destination = cache / target / Path(source).name
                elif inner.startswith(source + "/"):
                    destination = cache / target / inner[len(source) + 1 :]
                else:
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                extracted = archive.extractfile(member)
                assert extracted is not None
                destination.write_bytes(extracted.read())


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


def export_site(
    out_dir: Path,
    *,
    lessons: Sequence[Path] | None = None,
    edition: str = "student",
    assets: Path | None = None,
    allow_download: bool = True,
    hide_code: bool = False,
    timeout_seconds: int = 300,
    progress=print,
) -> list[Path]:
    """Execute every lesson and write the handout site into ``out_dir``; return the lesson pages written.

    ``lessons`` defaults to every notebook in :func:`petechiae_edu.paths.lessons_dir` (teaching order).
    """
    sources = list(lessons) if lessons is not None else lesson_paths()
    if not sources:
        raise EditionError("no lessons (*.ipynb) to export")
    cache = fetch_web_assets(assets, allow_download=allow_download)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _copy_assets(cache, out_dir / STATIC)
    pages: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="petechiae-export-") as scratch:
        for source in sources:
            progress(f"executing {source.name}")
            notebook = make_edition(nbformat.read(source, as_version=4), edition, name=source.name)
            execute_lesson(notebook, Path(scratch), timeout_seconds)
            page = out_dir / f"{source.stem}.html"
            page.write_text(lesson_html(notebook, hide_code=hide_code), encoding="utf-8")
            pages.append((page, lesson_title(notebook, source.stem)))
    (out_dir / "index.html").write_text(index_html(pages, edition), encoding="utf-8")
    progress(f"wrote {len(pages)} lessons and index.html to {out_dir}")
    return [page for page, _ in pages]


def _copy_assets(cache: Path, static_dir: Path) -> None:
    static_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache / REQUIRE_JS, static_dir / REQUIRE_JS)
    for folder in ("html-manager", "mathjax"):
        shutil.copytree(cache / folder, static_dir / folder, dirs_exist_ok=True)


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
  <p>Handouts ({escape(edition)} edition): each page shows a lesson as it runs, with its first figures.
  To move the sliders, open the lesson in Jupyter.</p>
  <ol>
{items}
  </ol>
</main>
</body>
</html>
"""
