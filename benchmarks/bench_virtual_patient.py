"""Benchmark of the virtual patient (lesson 05): simulate_patients time and the explorer's per-move time.

Prints: the first call (integrating the grid of courses, once per preset, treatment and length), then the median
and best of repeated calls of ``simulate_patients("aml", patients=1000, days=365)`` (target: under 100 ms), the
same with treatment and supportive care, and the explorer's kernel-side update per day move (median, ms: the blitted
figure and PNG). No assertions: times depend on the machine and its load.

    .venv/bin/python benchmarks/bench_virtual_patient.py

On a loaded machine the wall-clock times rise with the load; the CPU time (``time.process_time``) rises less.
"""

from __future__ import annotations

import statistics
import time

from petechiae_edu import simulate_patients, virtual_patient


def timed(call, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU times (ms) of ``call(seed)``; CPU time is less disturbed by other programs on the machine."""
    wall, cpu = [], []
    for seed in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        call(seed)
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return wall, cpu


def main() -> None:
    start = time.perf_counter()
    simulate_patients("aml", patients=1000, days=365, seed=0)
    print(f"first call (courses integrated, tables built): {(time.perf_counter() - start) * 1e3:.0f} ms")
    for label, options in (
        ("untreated", {}),
        ("induction + supportive care", {"treatment": True, "supportive_care": True}),
    ):
        simulate_patients("aml", patients=1000, days=365, seed=0, **options)
        wall, cpu = timed(lambda seed, o=options: simulate_patients("aml", patients=1000, days=365, seed=seed, **o), 15)
        print(
            f"simulate_patients('aml', 1000 patients x 365 days, {label}): median {statistics.median(wall):.1f} ms,"
            f" best {min(wall):.1f} ms wall clock; median {statistics.median(cpu):.1f} ms CPU (target < 100 ms)"
        )
    app = virtual_patient("aml", seed=3)
    low, high = int(app.day.slider.min), int(app.day.slider.max)
    moves = [float(v) for v in range(low, high + 1)] * 2
    times = []
    for value in moves:
        start = time.perf_counter()
        app.day.value = value
        times.append((time.perf_counter() - start) * 1e3)
    print(f"virtual_patient explorer, one day move (kernel side: description + state sent; the browser moves the"
          f" figure): median {statistics.median(times):.1f} ms,"
          f" 90th percentile {sorted(times)[int(0.9 * len(times))]:.1f} ms over {len(times)} moves")  # fmt: skip
    old = []
    for value in moves[:40]:
        app.day.value = value
        start = time.perf_counter()
        png = app.png_from_scratch()
        old.append((time.perf_counter() - start) * 1e3)
    print(
        f"old kernel path (whole figure as PNG per move): median {statistics.median(old):.1f} ms, "
        f"{len(png) / 1024:.0f} KB"
    )
    print(f"live payload sent once per patient: {app.live.payload_bytes() / 1024:.0f} KB (tables + SVG + spec)")


if __name__ == "__main__":
    main()
