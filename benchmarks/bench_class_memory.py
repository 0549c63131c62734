"""Memory per student on a class JupyterHub: each student's server plus its kernel after lesson 04 ran.

    .venv/bin/python benchmarks/bench_class_memory.py            # 3 students
    .venv/bin/python benchmarks/bench_class_memory.py 6          # 6 students
    .venv/bin/python benchmarks/bench_class_memory.py --imports  # also: what the kernel spends its memory on

Starts a real JupyterHub with deploy/jupyterhub_config.py through tests/hub_harness.py (127.0.0.1 only, state in
a temporary folder), publishes the student edition to a local git branch, lets every student pull it through
nbgitpuller and run lesson 04 in their own server, keeps the kernels alive and then reads, for each process:

- RSS: resident memory (counts shared libraries in full for every process);
- PSS: proportional set size from /proc/PID/smaps_rollup (a page shared by k processes counts 1/k for each), so
  the PSS of all students adds up to what the class really uses.

The issue's target is at most 200 MB per student (server + kernel). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hub_harness import ClassHub, course_repository

LESSON = "04-bleeding-risk.ipynb"
MB = 1024 * 1024

KERNEL_REPORT = """
import sys
top = sorted({name.split('.')[0] for name in sys.modules})
watch = ('scipy', 'matplotlib', 'matplotlib.pyplot', 'PIL', 'pandas', 'anywidget', 'ipywidgets', 'numpy', 'nbconvert')
heavy = [name for name in watch if name in sys.modules]
print('modules', len(sys.modules), 'top-level', len(top))
print('heavy', ' '.join(heavy))
"""


def pss_bytes(pid: int) -> int:
    """Proportional set size of a process in bytes (Linux /proc/PID/smaps_rollup; 0 where it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def memory(process: psutil.Process) -> tuple[int, int]:
    return process.memory_info().rss, pss_bytes(process.pid)


def import_profile(top: int = 15) -> str:
    """``python -X importtime`` of what lesson 04's first cell imports: the slowest cumulative imports."""
    code = (
        "from petechiae_edu import bleeding_explorer, transfusion_strategy_explorer, published_bleeding_data\n"
        "from petechiae_edu import fit_bleeding_model, daily_bleeding_risk\n"
    )
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative_us, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        rows.append((int(cumulative_us), int(self_us), name))
    rows.sort(reverse=True)
    lines = [f"{'cumulative ms':>14} {'self ms':>8}  module"]
    lines += [f"{c / 1000:14.1f} {s / 1000:8.1f}  {n}" for c, s, n in rows[:top]]
    return "\n".join(lines)


def kernel_rss_by_import(modules: list[str]) -> str:
    """RSS of a fresh interpreter after importing each module in turn (what each import adds, in MB)."""
    code = (
        "import importlib, sys\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 1048576\n"
        "print(f'python at start: {rss():.1f}')\n"
        "for name in sys.argv[1:]:\n"
        "    before = rss()\n"
        "    importlib.import_module(name)\n"
        "    print(f'{name}: +{rss() - before:.1f} (total {rss():.1f})')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True)
    return result.stdout + result.stderr[-2000:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("students", nargs="?", type=int, default=3, help="number of students (default 3)")
    parser.add_argument("--imports", action="store_true", help="also profile what the kernel imports")
    args = parser.parse_args(argv)
    names = [f"student{i + 1}" for i in range(args.students)]

    with tempfile.TemporaryDirectory(prefix="bench-class-memory-") as scratch:
        folder = Path(scratch)
        started = time.monotonic()
        _, course_url = course_repository(folder)
        with ClassHub(folder, names, course_url) as hub:
            hub_ready = time.monotonic()
            for name in names:
                hub.log_in(name)
            hub.start_servers(names)
            servers_ready = time.monotonic()
            for name in names:
                hub.pull_course(name)
            pulled = time.monotonic()
            hub.run_notebooks(names, hub.lesson_path(LESSON), keep_kernel=True)
            ran = time.monotonic()
            time.sleep(2)  # let the servers settle after the websockets closed

            print(f"{args.students} students, lesson 04 run in each (student edition), kernels kept alive")
            print(
                f"times: hub up {hub_ready - started:.1f} s, servers ready {servers_ready - hub_ready:.1f} s, "
                f"pulls {pulled - servers_ready:.1f} s, lesson 04 in all kernels at once {ran - pulled:.1f} s"
            )
            print()
            print(f"{'student':<10} {'process':<8} {'RSS MB':>8} {'PSS MB':>8} {'CPU s':>7}")
            totals = []
            for name in names:
                server = hub.server_process(name)
                kernels = hub.kernel_processes(name)
                if server is None or not kernels:
                    print(f"{name:<10} server or kernel not found")
                    continue
                rss_sum = pss_sum = cpu_sum = 0.0
                for label, process in [("server", server), *(("kernel", k) for k in kernels)]:
                    rss, pss = memory(process)
                    cpu = sum(process.cpu_times()[:2])  # user + system seconds since the process started
                    rss_sum, pss_sum, cpu_sum = rss_sum + rss, pss_sum + pss, cpu_sum + cpu
                    print(f"{name:<10} {label:<8} {rss / MB:8.1f} {pss / MB:8.1f} {cpu:7.1f}")
                print(f"{name:<10} {'total':<8} {rss_sum / MB:8.1f} {pss_sum / MB:8.1f} {cpu_sum:7.1f}")
                totals.append((rss_sum, pss_sum))
            if totals:
                mean_rss = sum(t[0] for t in totals) / len(totals) / MB
                mean_pss = sum(t[1] for t in totals) / len(totals) / MB
                print(f"{'per student (mean)':<19} {mean_rss:8.1f} {mean_pss:8.1f}   target: at most 200 MB")
            shared = [("hub", psutil.Process(hub.process.pid))]
            for child in psutil.Process(hub.process.pid).children():
                command = " ".join(child.cmdline())
                if "configurable-http-proxy" in command:
                    shared.append(("proxy", child))
                elif "idle_culler" in command:
                    shared.append(("culler", child))
            print()
            print("shared by the class (once per server):")
            for label, process in shared:
                rss, pss = memory(process)
                print(f"  {label:<8} RSS {rss / MB:7.1f} MB  PSS {pss / MB:7.1f} MB")
            if totals:
                print()
                print(f"in {names[0]}'s kernel after lesson 04:")
                print(hub.run_code(names[0], KERNEL_REPORT).rstrip())

    if args.imports:
        print()
        print("What lesson 04's imports cost (fresh interpreter, RSS after each import, MB):")
        print(
            kernel_rss_by_import(
                [
                    "numpy",
                    "matplotlib",
                    "matplotlib.pyplot",
                    "ipywidgets",
                    "anywidget",
                    "scipy.optimize",
                    "petechiae_edu",
                ]
            )
        )
        print("Slowest imports of lesson 04's first cell (python -X importtime):")
        print(import_profile())
    return 0


if __name__ == "__main__":
    sys.exit(main())
