"""Browser latency of every explorer: key press on its slider → the new figure painted, old path beside new.

What is measured
    For each explorer (the live, anywidget ones of issue 16) the benchmark presses arrow keys on its first slider
    that needs no kernel and times, inside the page, from the ``keydown`` event's time stamp to the first moment
    after the next paint that follows the update (a ``requestAnimationFrame`` callback, then a message posted from
    it: that message runs once the frame is painted). A move counts only if the description changed.

    - **new** (browser path): the live explorer as a lesson shows it; the front end looks the state up and moves
      the SVG, no kernel round trip. Measured in JupyterLab, in Voilà and in the offline handout (the same
      module and inline state as ``petechiae-edu export`` writes, opened from file:// with every network
      request refused).
    - **old** (kernel path, same run, same page): an ipywidgets slider + image; each move goes to the kernel,
      which sets the explorer's control (Python recomputes the description), draws the figure to PNG and sends
      it back; timed to the image's ``load`` then the next paint. The PNG is the explorer's own from-scratch
      path where it kept one (``BleedingExplorer.naive_png``: a new figure per move;
      ``VirtualPatientExplorer.png_from_scratch``), else its figure redrawn with the layout frozen and the new
      description written into it (``render.png_bytes``: the full draw + encode + send ``FigureApp`` paid per move;
      its moving parts stay put in that PNG, as they now live in the browser). A handout has no kernel: no old
      path there.

    Target (issue 16, item 9): median ≤ 20 ms for the new path in all three front ends (a 60 Hz frame is 16.7 ms).

How to run (Debian chromium at /usr/bin/chromium, the ``playwright`` package, no browser download; servers on
127.0.0.1 only, stopped at the end; takes a few minutes, most of it building explorers in two kernels)::

    .venv/bin/python benchmarks/bench_browser_latency.py                    # 10 moves per explorer and path
    .venv/bin/python benchmarks/bench_browser_latency.py --moves 30 --explorers bleeding lesions
    .venv/bin/python benchmarks/bench_browser_latency.py --front-ends handout   # no Jupyter servers at all
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
FRONT_ENDS = ("JupyterLab", "Voilà", "handout")

# key -> (title, the expression that builds the explorer, its class name: the front end's data-pe-live)
EXPLORERS = {
    "bleeding": ("Bleeding risk (04)", "pe.bleeding_explorer()", "BleedingExplorer"),
    "transfusion": ("Transfusion strategies (04)", "pe.transfusion_strategy_explorer()", "TransfusionStrategyExplorer"),
    "lesions": ("Lesion size (01)", "pe.lesion_size_classifier()", "LesionSizeClassifier"),
    "balance": ("Platelet balance (02)", "pe.platelet_balance_explorer()", "PlateletBalanceExplorer"),
    "progression": ("Progression, AML (05)", "pe.progression_explorer('aml')", "ProgressionExplorer"),
    "patient": ("Virtual patient (05)", "pe.virtual_patient()", "VirtualPatientExplorer"),
    "doubling": ("Doubling time (08)", "pe.doubling_time_explorer()", "DoublingTimeExplorer"),
}


# ---------------------------------------------------------------------------------- the old path (kernel side)


def first_browser_slider(app) -> str:
    """The name of the explorer's first bound slider that needs no kernel (the one the benchmark presses)."""
    for spec in app.live.spec["controls"]:
        if spec["kind"] == "slider" and not spec["kernel"]:
            return spec["name"]
    raise ValueError(f"{type(app).__name__} has no slider that works without a kernel")


def old_png(app) -> bytes:
    """The explorer's figure as PNG, drawn in the kernel as before issue 16."""
    from petechiae_edu.figures.render import png_bytes

    if hasattr(app, "naive_png"):
        return app.naive_png()
    if hasattr(app, "png_from_scratch"):
        return app.png_from_scratch()
    # No from-scratch function kept: redraw the explorer's figure with the current description written into it,
    # so each move is a full draw + PNG encode + send with new bytes (the cost FigureApp paid per move).
    label = getattr(app, "_bench_label", None)
    if label is None:
        label = app._bench_label = app.figure.text(0.01, 0.005, "", fontsize=7, va="bottom")
    label.set_text(app.description[:160])
    return png_bytes(app.figure)


def old_path(key: str):
    """An ipywidgets slider + image driving explorer ``key`` through the kernel (the pre-issue-16 round trip)."""
    import ipywidgets as widgets

    import petechiae_edu as pe

    title, expression, _name = EXPLORERS[key]
    app = eval(expression, {"pe": pe})
    name = first_browser_slider(app)
    spec = next(s for s in app.live.spec["controls"] if s["name"] == name)
    slider = widgets.FloatSlider(
        value=float(app.bound[name].value), min=spec["min"], max=spec["max"], step=spec["step"],
        description=spec["label"], continuous_update=True,
    )  # fmt: skip
    description = widgets.HTML(f'<p class="petechiae-edu-description">{app.description}</p>')
    image = widgets.Image(value=old_png(app), format="png", layout=widgets.Layout(width="100%", max_width="60rem"))

    def moved(change) -> None:
        app.bound[name].value = change["new"]
        image.value = old_png(app)
        description.value = f'<p class="petechiae-edu-description">{app.description}</p>'

    slider.observe(moved, names="value")
    box = widgets.VBox([widgets.HTML(f"<h3>old path: {title}</h3>"), slider, description, image])
    box.add_class(f"bench-old-{key}")
    return box


def notebook(keys: list[str]) -> dict:
    """A notebook showing, for each explorer, the live explorer and its old kernel path."""
    import nbformat

    cells = [
        nbformat.v4.new_code_cell(
            f"import sys\nsys.path.insert(0, {str(BENCHMARKS)!r})\nimport petechiae_edu as pe\n"
            "from bench_browser_latency import old_path"
        )
    ]
    for key in keys:
        cells.append(nbformat.v4.new_code_cell(f"{EXPLORERS[key][1]}.widget"))
        cells.append(nbformat.v4.new_code_cell(f"old_path({key!r})"))
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return book


def handout(keys: list[str]) -> str:
    """The offline page: every live explorer with the export's inline module and state (no kernel, no network)."""
    import petechiae_edu as pe
    from petechiae_edu.live.offline import live_state, standalone_page

    apps = [(eval(EXPLORERS[key][1], {"pe": pe}), EXPLORERS[key][0]) for key in keys]
    return standalone_page([(live_state(app.live), title) for app, title in apps], "latency benchmark handout")


# ---------------------------------------------------------------------------------- the page side

INSTRUMENT_JS = """() => {
  if (window.__bench) return;
  const bench = window.__bench = {t0: 0, times: [], mode: 'live', image: null};
  const painted = () => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => bench.times.push(performance.now() - bench.t0);
    channel.port2.postMessage(0);
  });
  document.addEventListener('keydown', (event) => {
    bench.t0 = event.timeStamp;
    if (bench.mode === 'live') painted();  // the front end updates in this very task: time the next paint
  }, true);
  bench.imageLoaded = painted;
}"""

TARGET_JS = """([mode, selector]) => {
  const bench = window.__bench;
  bench.mode = mode;
  const box = document.querySelector(selector);
  if (mode === 'old') {
    const image = box.querySelector('img');
    if (bench.image !== image) { image.addEventListener('load', () => bench.imageLoaded()); bench.image = image; }
  }
  return box.querySelector('.petechiae-edu-description').textContent;
}"""


def measure(page, mode: str, selector: str, moves: int) -> list[float]:
    """Press arrow keys on the slider in ``selector`` (there and back); key → painted times of real changes, ms."""
    page.evaluate(INSTRUMENT_JS)
    box = page.locator(selector).first
    if mode == "live":
        handle = box.locator(".pe-live-control:not([data-kernel]) input[type=range]").first
    else:
        handle = box.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.wait_for_timeout(300)
    description = page.evaluate(TARGET_JS, [mode, selector])
    latencies: list[float] = []
    half = max(1, moves // 2)
    for move in range(moves):
        key = "ArrowRight" if move < half else "ArrowLeft"
        before = page.evaluate("window.__bench.times.length")
        page.keyboard.press(key)
        try:
            page.wait_for_function("(n) => window.__bench.times.length > n", arg=before, timeout=10_000)
        except Exception:
            continue
        page.wait_for_timeout(150 if mode == "old" else 40)  # trailing work is not charged to the next press
        now = page.evaluate(
            "(s) => document.querySelector(s).querySelector('.petechiae-edu-description').textContent", selector
        )
        if now != description:
            latencies.append(page.evaluate("(n) => window.__bench.times[n]", before))
        description = now
    return latencies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def jupyter_env(root: Path) -> dict[str, str]:
    names = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
             "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR", "MPLCONFIGDIR")  # fmt: skip
    env = dict(os.environ)
    for name in names:
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env.pop("JUPYTER_PATH", None)
    return env


def start(command: list[str], root: Path, probe_url: str) -> subprocess.Popen:
    log = (root / "server.log").open("w")
    process = subprocess.Popen(command, env=jupyter_env(root), cwd=root, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {(root / 'server.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(probe_url, timeout=10):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"server did not answer at {probe_url}")


def open_voila(page, url: str) -> str:
    page.goto(url, timeout=300_000)
    page.wait_for_function(
        "() => { const c = document.querySelector('#rendered_cells'); return c && getComputedStyle(c).display "
        "!== 'none'; }",
        timeout=300_000,
    )
    page.wait_for_timeout(1500)
    return "#rendered_cells"


def open_lab(page, url: str) -> str:
    page.goto(url, timeout=300_000)
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-NotebookPanel .jp-Cell')")
    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=3000)
    except Exception:
        pass
    page.wait_for_function(
        "() => { const p = window.jupyterapp.shell.currentWidget; const k = p && p.sessionContext.session"
        " && p.sessionContext.session.kernel; return !!k && k.status === 'idle'; }",
        timeout=120_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const ps = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-CodeCell .jp-InputPrompt')); return ps.length && ps.every((p) => /\\[\\d+\\]/.test(p.textContent)); }",
        timeout=300_000,
    )
    page.wait_for_timeout(1500)
    return ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"


def measure_page(page, keys: list[str], moves: int, front_end: str, results: dict) -> None:
    for key in keys:
        title, _expression, name = EXPLORERS[key]
        paths = [("new", "live", f'.pe-live[data-pe-live="{name}"]')]
        if front_end != "handout":
            paths.append(("old", "old", f".bench-old-{key}"))
        for path, mode, selector in paths:
            try:
                times = measure(page, mode, selector, moves)
            except Exception as error:  # one broken explorer must not hide the others' numbers
                print(f"  {front_end} {title} {path}: failed: {str(error).splitlines()[0]}", flush=True)
                times = []
            results[(front_end, key, path)] = times
            print(f"{front_end:10s} {title:30s} {path}: {summary(times)}", flush=True)


def run(keys: list[str], moves: int, front_ends: list[str]) -> dict[tuple[str, str, str], list[float]]:
    import nbformat
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as scratch:
        root = Path(scratch)
        copies = root / "lessons"
        copies.mkdir()
        nbformat.write(nbformat.from_dict(notebook(keys)), copies / "bench-latency.ipynb")
        servers = []
        try:
            if "Voilà" in front_ends:
                voila_port = free_port()
                (root / "voila").mkdir()
                servers.append(start(
                    [sys.executable, "-m", "voila", str(copies), "--no-browser", f"--port={voila_port}",
                     "--Voila.ip=127.0.0.1"],
                    root / "voila", f"http://127.0.0.1:{voila_port}/",
                ))  # fmt: skip
            if "JupyterLab" in front_ends:
                lab_port, token = free_port(), secrets.token_hex(16)
                (root / "lab").mkdir()
                servers.append(start(
                    [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={lab_port}",
                     "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                     "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={copies}"],
                    root / "lab", f"http://127.0.0.1:{lab_port}/api/status?token={token}",
                ))  # fmt: skip
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(root / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                    viewport={"width": 1366, "height": 900},
                )  # fmt: skip
                for front_end in front_ends:
                    page = context.new_page()
                    if front_end == "handout":
                        page_file = root / "handout.html"
                        page_file.write_text(handout(keys), encoding="utf-8")
                        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                        page.goto(page_file.as_uri())
                        page.wait_for_selector(".pe-live")
                    elif front_end == "Voilà":
                        open_voila(page, f"http://127.0.0.1:{voila_port}/voila/render/bench-latency.ipynb")
                    else:
                        open_lab(page, f"http://127.0.0.1:{lab_port}/lab/tree/bench-latency.ipynb?token={token}&reset")
                    measure_page(page, keys, moves, front_end, results)
                    if front_end == "JupyterLab":
                        page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                    page.close(run_before_unload=True)
                context.close()
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=30)
    return results


def summary(times: list[float]) -> str:
    if not times:
        return "no change seen"
    return f"median {statistics.median(times):6.1f} ms  p90 {p90(times):6.1f} ms  (n={len(times)})"


def p90(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def table(results: dict, keys: list[str], front_ends: list[str]) -> str:
    """Front end × explorer: median / p90 ms of the new (browser) path and the old (kernel) path."""

    def cell(times: list[float] | None) -> str:
        return f"{statistics.median(times):5.1f} / {p90(times):5.1f}" if times else "—"

    header = f"{'explorer':30s}" + "".join(f" | {fe + ' new':>15s} | {fe + ' old':>15s}" for fe in front_ends)
    lines = [header, "-" * len(header)]
    for key in keys:
        line = f"{EXPLORERS[key][0]:30s}"
        for front_end in front_ends:
            old = "n/a (no kernel)" if front_end == "handout" else cell(results.get((front_end, key, "old")))
            line += f" | {cell(results.get((front_end, key, 'new'))):>15s} | {old:>15s}"
        lines.append(line)
    for path in ("new", "old"):
        line = f"{'all explorers, pooled, ' + path:30s}"
        for front_end in front_ends:
            pooled = [t for k in keys for t in results.get((front_end, k, path), [])]
            line += f" | {cell(pooled) if path == 'new' else '':>15s} | {cell(pooled) if path == 'old' else '':>15s}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=10, help="key presses per explorer and path (default 10)")
    parser.add_argument("--explorers", nargs="*", choices=sorted(EXPLORERS), default=None, help="default: all")
    parser.add_argument("--front-ends", nargs="*", choices=FRONT_ENDS, default=None, help="default: all three")
    arguments = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    keys = arguments.explorers or list(EXPLORERS)
    front_ends = arguments.front_ends or list(FRONT_ENDS)
    began = time.monotonic()
    results = run(keys, arguments.moves, front_ends)
    print(f"\nKey press → new figure painted, ms: median / 90th percentile ({arguments.moves} presses per cell; "
          "target: new ≤ 20 ms median; a move counts if the description changed)")  # fmt: skip
    print(table(results, keys, front_ends))
    print(f"(whole run {time.monotonic() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
