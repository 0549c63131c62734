"""Handouts: the exported site is executed, embeds widget state and loads nothing from a CDN; its web assets
ship inside the package, so exporting never touches the network."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from petechiae_edu import cli
from petechiae_edu.classroom import INSTRUCTOR_TAG, export
from petechiae_edu.classroom.export import (
    ASSET_LIST,
    MATHJAX,
    REQUIRE_JS,
    STATIC,
    WEB_ASSETS,
    WIDGET_RENDERER,
    AssetError,
    export_site,
    index_html,
    lesson_title,
    packaged_assets,
)
from petechiae_edu.classroom.web_assets import refresh

APP_CODE = """\
import ipywidgets as widgets
from petechiae_edu.figures.render import new_figure, png_bytes
figure = new_figure(3, 2)
figure.add_subplot().plot([0, 1], [0, 1])
slider = widgets.FloatSlider(value=20, min=0, max=100, description="Platelet count (×10^9/L)")
widgets.VBox([slider, widgets.Image(value=png_bytes(figure), format="png")])"""


LIVE_CODE = "from petechiae_edu import bleeding_explorer\nbleeding_explorer(platelet_count=8)"


def _lesson(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 98 · Handout sample\n\nA count of $20 \\times 10^9$/L."),
        nbformat.v4.new_code_cell(APP_CODE),
        nbformat.v4.new_code_cell(LIVE_CODE),
        nbformat.v4.new_markdown_cell("Solution: only for instructors.", metadata={"tags": [INSTRUCTOR_TAG]}),
    ]
    path = folder / "98-handout.ipynb"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


FONT_REFERENCE = re.compile(r"\b[0-9a-f]{20}\.(?:woff2|woff|ttf)\b")  # webpack names the renderer's fonts by hash


class NetworkBlocked(OSError):
    pass


@contextmanager
def network_blocked():
    """Refuse (and record) every outgoing connection and URL opened in this process.

    The kernel's ZeroMQ sockets to 127.0.0.1 are not Python sockets and keep working."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what} {args!r}")
            raise NetworkBlocked(f"network access during export: {what}")

        return blocked

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse("connect"))
        patch.setattr(socket.socket, "connect_ex", refuse("connect"))
        patch.setattr(socket, "create_connection", refuse("create_connection"))
        patch.setattr(urllib.request, "urlopen", refuse("urlopen"))
        yield attempts


@pytest.fixture(scope="module")
def network_attempts():
    """The network is blocked while the site below is exported; whatever export tries is recorded here."""
    with network_blocked() as attempts:
        yield attempts


@pytest.fixture(scope="module")
def site(tmp_path_factory, network_attempts):
    """One site exported with the network blocked, for the tests below (execution takes a few seconds)."""
    folder = tmp_path_factory.mktemp("export")
    lesson = _lesson(folder / "lessons")
    pages = export_site(folder / "site", lessons=[lesson], progress=lambda _: None)
    return folder / "site", pages


# --- the exported site -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_lesson_gets_a_page_and_the_index_links_them_in_order(site):
    folder, pages = site
    assert [p.name for p in pages] == ["98-handout.html"]
    index = (folder / "index.html").read_text()
    assert 'href="98-handout.html"' in index and "98 · Handout sample" in index
    assert "not for diagnosis" in index


@pytest.mark.slow
def test_pages_embed_widget_state_so_initial_figures_show_without_a_kernel(site):
    _, (page,) = site
    html = page.read_text()
    match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    assert match, "no widget state embedded"
    state = json.loads(match.group(1))["state"]
    images = [model for model in state.values() if model["model_name"] == "ImageModel"]
    assert images and all(model.get("buffers") for model in images)  # the PNG bytes travel with the page
    assert "application/vnd.jupyter.widget-view+json" in html


@pytest.mark.slow
def test_pages_load_scripts_only_from_local_copies(site):
    folder, (page,) = site
    html = page.read_text()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]*)"', html)
    assert scripts and not [src for src in scripts if "//" in src]
    assert f"'{STATIC}/{WIDGET_RENDERER}'" in html  # the widget renderer, not the CDN default
    assert "cdn.jsdelivr.net/npm/@jupyter-widgets" not in html and "unpkg.com" not in html
    for asset in (REQUIRE_JS, WIDGET_RENDERER, MATHJAX):
        assert (folder / STATIC / asset).is_file()
    assert list((folder / STATIC / "mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))


@pytest.mark.slow
def test_handouts_are_the_student_edition_by_default(site):
    _, (page,) = site
    assert "only for instructors" not in page.read_text()


@pytest.mark.slow
def test_export_never_touches_the_network(site, network_attempts):
    folder, pages = site
    assert pages and (folder / "index.html").is_file()
    assert network_attempts == []


@pytest.mark.slow
def test_the_site_static_folder_holds_a_copy_of_every_packaged_asset(site):
    folder, _ = site
    static = folder / STATIC
    copied = sorted(str(path.relative_to(static)) for path in static.rglob("*") if path.is_file())
    assert copied == sorted(packaged_assets())
    for name in (REQUIRE_JS, WIDGET_RENDERER, MATHJAX):
        assert (static / name).read_bytes() == (WEB_ASSETS / name).read_bytes()


# --- the web assets that ship in the package ---------------------------------------------------------------------


def _listed_checksums() -> dict[str, str]:
    lines = (WEB_ASSETS / ASSET_LIST).read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_every_packaged_asset_exists_is_non_trivial_and_matches_its_checksum():
    listed = _listed_checksums()
    assert {REQUIRE_JS, WIDGET_RENDERER, MATHJAX} <= set(listed)
    for name, digest in listed.items():
        data = (WEB_ASSETS / name).read_bytes()
        assert len(data) > 1000, f"{name} is only {len(data)} bytes"
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} differs from {ASSET_LIST}"
    assert (WEB_ASSETS / WIDGET_RENDERER).stat().st_size > 1_000_000  # the whole renderer, not a stub
    assert b"RequireJS 2.3.7" in (WEB_ASSETS / REQUIRE_JS).read_bytes()[:200]
    assert b'VERSION="3.2.2"' in (WEB_ASSETS / MATHJAX).read_bytes()


def test_the_mathjax_fonts_ship_beside_mathjax():
    fonts = sorted((WEB_ASSETS / "mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))
    assert len(fonts) == 23 and "MathJax_Main-Regular.woff" in [font.name for font in fonts]
    assert all(font.read_bytes()[:4] == b"wOFF" for font in fonts)


def test_every_font_the_widget_renderer_references_ships_beside_it():
    referenced = set(FONT_REFERENCE.findall((WEB_ASSETS / WIDGET_RENDERER).read_text(encoding="utf-8")))
    assert len(referenced) == 9  # Font Awesome 5: brands, regular, solid × woff2, woff, ttf
    for name in referenced:
        assert (WEB_ASSETS / "html-manager" / name).is_file(), f"embed-amd.js loads {name}, which is not shipped"
        assert f"html-manager/{name}" in packaged_assets()


def test_each_package_ships_its_licence():
    assert "Apache License" in (WEB_ASSETS / "mathjax/LICENSE").read_text(encoding="utf-8")
    assert "Redistribution and use in source and binary forms" in (WEB_ASSETS / "html-manager/LICENSE").read_text(
        encoding="utf-8"
    )
    assert "Permission is hereby granted" in (WEB_ASSETS / "require.min.js.LICENSE.txt").read_text(encoding="utf-8")
    assert {"mathjax/LICENSE", "html-manager/LICENSE", "require.min.js.LICENSE.txt"} <= set(packaged_assets())


def test_the_web_assets_readme_names_each_package_version_licence_and_tarball():
    readme = (WEB_ASSETS / "README.md").read_text(encoding="utf-8")
    for asset in refresh.NPM_ASSETS:
        assert f"`{asset.name}` {asset.version}" in readme
        assert asset.licence in readme
        assert asset.tarball_url in readme and asset.integrity in readme
    for name in (REQUIRE_JS, WIDGET_RENDERER, MATHJAX):
        assert f"`{name}`" in readme


def test_a_missing_packaged_asset_is_named_and_the_message_says_to_reinstall(tmp_path, monkeypatch):
    broken = tmp_path / "web_assets"  # a broken installation: one file lost
    shutil.copytree(WEB_ASSETS, broken)
    (broken / MATHJAX).unlink()
    monkeypatch.setattr(export, "WEB_ASSETS", broken)
    with pytest.raises(AssetError, match=r"mathjax/tex-chtml-full\.js\. .*reinstall"):
        export_site(tmp_path / "site", lessons=[_lesson(tmp_path)], progress=lambda _: None)
    assert not (tmp_path / "site" / "index.html").exists()  # it fails before running any lesson


def test_the_export_command_reports_a_broken_installation_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, "WEB_ASSETS", tmp_path / "nothing here")
    assert cli.main(["export", str(tmp_path / "site")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("petechiae-edu export: ") and error.count("\n") == 1
    assert "SHA256SUMS" in error and "reinstall" in error


def test_a_lesson_title_is_its_first_heading():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("> note\n\n# 03 · Bleeding risk\n\n## Objectives")]
    assert lesson_title(notebook, "fallback") == "03 · Bleeding risk"
    assert lesson_title(nbformat.v4.new_notebook(), "fallback") == "fallback"


def test_the_index_escapes_titles():
    html = index_html([(Path("01-a.html"), "Fish & <chips>")], "student")
    assert "Fish &amp; &lt;chips&gt;" in html


def test_the_network_block_refuses_sockets_and_urls():
    with network_blocked() as attempts:
        with socket.socket() as connection, pytest.raises(NetworkBlocked):
            connection.connect(("192.0.2.1", 80))
        with pytest.raises(NetworkBlocked):
            urllib.request.urlopen("https://registry.npmjs.org/mathjax")
    assert len(attempts) == 2


def test_export_offers_no_download_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    help_text = capsys.readouterr().out
    assert "--assets" not in help_text and "--no-download" not in help_text
    assert "_static" in help_text


def test_export_has_no_download_code():
    source = (WEB_ASSETS.parent / "export.py").read_text(encoding="utf-8")
    assert "urllib" not in source and "refresh" not in source  # the maintainer tool is never imported


# --- the maintainer tool that refreshes the packaged assets (never run by export) --------------------------------


def test_pinned_npm_packages_point_at_the_registry():
    urls = [asset.tarball_url for asset in refresh.NPM_ASSETS]
    assert "https://registry.npmjs.org/@jupyter-widgets/html-manager/-/html-manager-1.0.15.tgz" in urls
    assert "https://registry.npmjs.org/mathjax/-/mathjax-3.2.2.tgz" in urls
    assert "https://registry.npmjs.org/requirejs/-/requirejs-2.3.7.tgz" in urls


def test_refresh_refuses_a_tarball_that_does_not_match_its_integrity(tmp_path):
    asset = refresh.NpmAsset("mathjax", "3.2.2", "sha512-AAAA", "Apache-2.0", (("LICENSE", "mathjax/LICENSE"),))
    (tmp_path / asset.tarball_name).write_bytes(b"not the package")
    with pytest.raises(refresh.RefreshError, match="integrity"):
        refresh.tarball(asset, tmp_path)


def test_an_explorer_with_its_own_front_end_becomes_a_visible_note_in_the_handout():
    import nbformat

    from petechiae_edu.classroom.export import KERNEL_ONLY_NOTE, WIDGET_STATE, WIDGET_VIEW, remove_kernel_only_widgets

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("film_atlas()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "box"}})]
    slider = nbformat.v4.new_code_cell("explorer()")
    slider.outputs = [nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "slider"}})]
    notebook.cells = [cell, slider]
    notebook.metadata["widgets"] = {
        WIDGET_STATE: {
            "state": {
                "box": {"model_module": "@jupyter-widgets/controls", "state": {"children": ["IPY_MODEL_atlas"]}},
                "atlas": {"model_module": "anywidget", "state": {}},
                "slider": {"model_module": "@jupyter-widgets/controls", "state": {}},
            }
        }
    }
    assert remove_kernel_only_widgets(notebook) == 1
    assert cell.outputs[0]["data"] == {"text/html": KERNEL_ONLY_NOTE}
    assert set(notebook.metadata["widgets"][WIDGET_STATE]["state"]) == {"slider"}  # nothing asks a CDN for code
    assert slider.outputs[0]["data"][WIDGET_VIEW]["model_id"] == "slider"


# --- live explorers in handouts -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_live_explorer_is_written_into_the_page_with_its_module_and_data(site):
    _, (page,) = site
    html = page.read_text()
    assert html.count("function fakeModel") == 1 and "function render({ model, el })" in html  # once per page
    assert 'class="pe-live-mount"' in html
    data = re.search(r'<script[^>]*\bid="pe-live-state-[^>]*>(.*?)</script>', html, re.S)
    state = json.loads(data.group(1))
    assert state["state"]["platelets"] == 8.0 and state["svg"].startswith("<svg") and state["tables"]["risk"]
    assert "This explorer needs Python" not in html  # the old note is gone for explorers that work
    widget_state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    models = json.loads(widget_state.group(1))["state"].values()
    assert not [m for m in models if m.get("model_module") == "anywidget"]  # the renderer never asks a CDN


@pytest.mark.slow
def test_the_banner_says_what_works_without_python_and_what_needs_it(site):
    _, (page,) = site
    html = page.read_text()
    banner = re.search(r'<aside class="petechiae-edu-banner" role="note"[^>]*>(.*?)</aside>', html, re.S).group(1)
    assert "Works without Python:</strong> Platelet count and bleeding risk (teaching model)" in banner
    assert "Needs Python" in banner and "Skin tone (Fitzpatrick type)" in banner  # the kernel-path control
    assert "an interactive widget" in banner  # the plain ipywidgets sample app
    assert html.index("petechiae-edu-banner") < html.index("pe-live-mount")


@pytest.mark.slow
def test_a_handout_page_names_no_web_address_to_fetch(site):
    _, (page,) = site
    html = page.read_text()
    assert re.findall(r'(?:src|href)\s*=\s*["\'](?:https?:)?//', html) == []
    modules = re.findall(r'<script type="module">(.*?)</script>', html, re.S)
    (live_module,) = [module for module in modules if "function fakeModel" in module]
    assert "import(" not in live_module and "fetch(" not in live_module and "import " not in live_module


def test_a_page_with_only_live_explorers_says_everything_works_without_python():
    from petechiae_edu.classroom.live_pages import LivePage

    banner = LivePage(live=["Explorer A"]).banner()
    assert "Everything on this page works without Python." in banner and "Needs Python" not in banner
    assert LivePage().banner() == ""


def test_export_takes_lessons_by_number_or_name(tmp_path, monkeypatch, capsys):
    chosen = []
    monkeypatch.setattr(export, "export_site", lambda folder, lessons=None, **_: chosen.append(lessons) or [])
    (tmp_path / "site").mkdir()
    assert cli.main(["export", str(tmp_path / "site"), "04", "leukaemias"]) == 0
    assert [path.stem for path in chosen[0]] == ["04-bleeding-risk", "03-leukaemias"]
    assert "Exported in" in capsys.readouterr().out
    assert cli.main(["export", str(tmp_path / "site"), "no-such-lesson"]) == 2
    assert "no lesson called 'no-such-lesson'" in capsys.readouterr().err
