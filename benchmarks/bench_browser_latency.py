"""Browser latency of the explorers: key press on a slider → the new figure image shown.

Serves throw-away copies of the lessons with Voilà and with JupyterLab on 127.0.0.1, opens them in Debian's
Chromium (headless, driven by playwright), and for every explorer (an app with a live description, an image
and a slider) presses the arrow keys on its first enabled slider: each press is one move, timed in the page
from the ``keydown`` event to the ``load`` event of the new image. Prints the median and 90th percentile per
explorer and per front end. Target: ≤ 60 ms median.

    /work/venv/bin/python benchmarks/bench_browser_latency.py               # every lesson, 20 moves each
    /work/venv/bin/python benchmarks/bench_browser_latency.py --moves 40 --lessons 03 05
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from petechiae_edu.classroom.editions import lesson_paths

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

# Explorer containers: a box with a heading, a live description, an image and at least one enabled slider.
FIND_EXPLORERS_JS = """(root) => {
  const apps = [];
  for (const box of root.querySelectorAll('.widget-vbox')) {
    const heading = box.querySelector(':scope > .widget-html h3');
    const image = box.querySelector(':scope > img.widget-image');
    const description = box.querySelector('.petechiae-edu-description');
    const handle = Array.from(box.querySelectorAll('.widget-slider .noUi-handle'))
      .find((h) => !h.closest('[disabled]') && !h.hasAttribute('disabled'));
    if (heading && image && description && handle) {
      const id = 'bench-' + apps.length;
      box.setAttribute('data-bench', id);
      apps.push({id, title: heading.textContent.trim()});
    }
  }
  return apps;
}"""

INSTRUMENT_JS = """(id) => {
  const box = document.querySelector(`[data-bench="${id}"]`);
  const image = box.querySelector(':scope > img.widget-image');
  window.__bench = {key: 0, loads: []};
  if (!window.__benchKeys) {
    document.addEventListener('keydown', () => { window.__bench.key = performance.now(); }, true);
    window.__benchKeys = true;
  }
  image.addEventListener('load', () => window.__bench.loads.push(performance.now()));
}"""


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


def measure_explorer(page, app_id: str, moves: int) -> list[float]:
    """Press arrow keys on the explorer's first enabled slider; return key → new image times in ms."""
    page.evaluate(INSTRUMENT_JS, app_id)
    box = page.locator(f'[data-bench="{app_id}"]')
    handle = box.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    latencies = []
    half = max(1, moves // 2)
    for move in range(moves):
        key = "ArrowRight" if move < half else "ArrowLeft"
        before = page.evaluate("window.__bench.loads.length")
        page.keyboard.press(key)
        try:
            page.wait_for_function("(n) => window.__bench.loads.length > n", arg=before, timeout=30_000)
        except Exception:
            continue
        # let trailing updates settle so they are not charged to the next key press
        page.wait_for_timeout(150)
        latencies.append(page.evaluate("(n) => window.__bench.loads[n] - window.__bench.key", before))
    return latencies


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


def run(lessons: list[Path], moves: int) -> dict[tuple[str, str, str], list[float]]:
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as scratch:
        scratch_dir = Path(scratch)
        copies = scratch_dir / "lessons"
        copies.mkdir()
        for lesson in lessons:
            shutil.copyfile(lesson, copies / lesson.name)
        voila_port, lab_port, token = free_port(), free_port(), secrets.token_hex(16)
        (scratch_dir / "voila").mkdir()
        (scratch_dir / "lab").mkdir()
        voila = start(
            [sys.executable, "-m", "voila", str(copies), "--no-browser", f"--port={voila_port}",
             "--Voila.ip=127.0.0.1"],
            scratch_dir / "voila", f"http://127.0.0.1:{voila_port}/",
        )  # fmt: skip
        lab = start(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={lab_port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
             "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={copies}"],
            scratch_dir / "lab", f"http://127.0.0.1:{lab_port}/api/status?token={token}",
        )  # fmt: skip
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(scratch_dir / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                    viewport={"width": 1400, "height": 1000},
                )  # fmt: skip
                front_ends = (
                    ("Voilà", open_voila, lambda name: f"http://127.0.0.1:{voila_port}/voila/render/{name}"),
                    (
                        "JupyterLab",
                        open_lab,
                        lambda name: f"http://127.0.0.1:{lab_port}/lab/tree/{name}?token={token}&reset",
                    ),
                )
                for front_end, opener, address in front_ends:
                    for lesson in lessons:
                        page = context.new_page()
                        root = opener(page, address(lesson.name))
                        for app in page.evaluate(FIND_EXPLORERS_JS, page.locator(root).first.element_handle()):
                            times = measure_explorer(page, app["id"], moves)
                            results[(front_end, lesson.stem, app["title"])] = times
                            print(f"{front_end:10s} {lesson.stem:26s} {app['title'][:48]:48s} "
                                  f"{summary(times)}", flush=True)  # fmt: skip
                        if front_end == "JupyterLab":
                            page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                        page.close(run_before_unload=True)
                context.close()
        finally:
            for process in (voila, lab):
                process.terminate()
                process.wait(timeout=30)
    return results


def summary(times: list[float]) -> str:
    if not times:
        return "no image changes seen"
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(times):6.1f} ms  p90 {p90:6.1f} ms  (n={len(times)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=20, help="key presses per explorer (default 20)")
    parser.add_argument("--lessons", nargs="*", default=None, help="lesson numbers or stems (default: all)")
    arguments = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    lessons = lesson_paths()
    if arguments.lessons:
        lessons = [p for p in lessons if any(p.stem == x or p.stem.split("-")[0] == x for x in arguments.lessons)]
    results = run(lessons, arguments.moves)
    print("\nMedians, key press → new image (target ≤ 60 ms):")
    for front_end in ("Voilà", "JupyterLab"):
        per_explorer = {key: times for key, times in results.items() if key[0] == front_end and times}
        every = [t for times in per_explorer.values() for t in times]
        medians = [statistics.median(times) for times in per_explorer.values()]
        print(f"  {front_end:10s} all moves pooled: {summary(every)}")
        if medians:
            print(
                f"  {front_end:10s} median of the {len(medians)} explorer medians: {statistics.median(medians):.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
