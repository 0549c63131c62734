"""Benchmark of simulation 1: a fresh kernel's first answer, explorer update time vs the naive pattern, PNG
encoders, and the cohort run time.

Run: .venv/bin/python benchmarks/bench_bleeding.py
Prints medians in milliseconds; no assertions (timings depend on the machine).
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time

import numpy as np
from PIL import Image

from petechiae_edu.calibrated import _cohort_draws, default_model, simulate_cohort
from petechiae_edu.figures.render import encode_png
from petechiae_edu.models.cohort import CohortSettings
from petechiae_edu.widgets.bleeding import bleeding_explorer, transfusion_strategy_explorer

COUNTS = [2.0, 5.0, 8.0, 12.0, 20.0, 35.0, 60.0, 100.0, 3.5, 7.5, 15.0, 45.0]


def median_ms(timings: list[float]) -> float:
    return 1000 * statistics.median(timings)


FIRST_ANSWER = """
import time
start = time.perf_counter()
import petechiae_edu
petechiae_edu.daily_bleeding_risk(8)
elapsed = time.perf_counter() - start
import sys
print(f"{elapsed:.3f} {'scipy' in sys.modules}")
"""


def fresh_kernel_first_answer(runs: int = 3) -> None:
    """A new Python process: import the package and answer daily_bleeding_risk(8) (the shipped fit is read)."""
    times, scipy_loaded = [], set()
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", FIRST_ANSWER], capture_output=True, text=True, check=True).stdout
        elapsed, loaded = out.split()
        times.append(float(elapsed))
        scipy_loaded.add(loaded)
    print(
        f"fresh process, import petechiae_edu + first daily_bleeding_risk(8): median {statistics.median(times):.2f} s "
        f"over {runs} runs (scipy imported: {', '.join(sorted(scipy_loaded))})"
    )


def main() -> None:
    fresh_kernel_first_answer()
    app = bleeding_explorer()
    for value in COUNTS[:4]:  # warm up (fonts, caches)
        app.platelets.value = value
        app.naive_png()

    explorer_times = []
    for _ in range(5):
        for value in COUNTS:
            start = time.perf_counter()
            app.platelets.value = value  # observe → model → description → blit → PNG → Image.value
            explorer_times.append(time.perf_counter() - start)

    naive_times = []
    for value in COUNTS:
        app.platelets.value = value
        start = time.perf_counter()
        app.naive_png()  # new figure, everything drawn, full PNG
        naive_times.append(time.perf_counter() - start)

    pixels = np.asarray(app.figure.canvas.buffer_rgba())
    pillow_times, course_times = [], []
    for _ in range(20):
        start = time.perf_counter()
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)  # Pillow: a filter per row, tried
        pillow_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        course_png = encode_png(pixels)  # the course's encoder: no filter, zlib level 1
        course_times.append(time.perf_counter() - start)

    settings = CohortSettings(patients=10_000, days=30)
    parameters = default_model().parameters
    simulate_cohort(settings, strategies=("prophylactic <10",))
    one_strategy, three_strategies, fresh_draws = [], [], []
    for _ in range(5):
        start = time.perf_counter()
        simulate_cohort(settings, strategies=("prophylactic <10",))
        one_strategy.append(time.perf_counter() - start)
        start = time.perf_counter()
        simulate_cohort(settings)  # the random numbers of this cohort are kept between runs
        three_strategies.append(time.perf_counter() - start)
        _cohort_draws.cache_clear()  # this run draws the random numbers again
        start = time.perf_counter()
        simulate_cohort(settings, parameters=parameters)
        fresh_draws.append(time.perf_counter() - start)

    strategies = transfusion_strategy_explorer()
    strategy_moves = []
    for value in np.arange(1.0, 20.5, 0.5):  # every nadir the slider offers
        start = time.perf_counter()
        strategies.nadir.value = float(value)  # precomputed cohort → description → state (the browser moves the bars)
        strategy_moves.append(time.perf_counter() - start)

    update, naive = median_ms(explorer_times), median_ms(naive_times)
    print(
        f"explorer update (slider move -> new PNG in the Image), median: {update:.1f} ms "
        f"over {len(explorer_times)} moves"
    )
    print(f"naive pattern (new figure + PNG per move), median: {naive:.1f} ms over {len(naive_times)} moves")
    print(f"ratio naive / explorer: {naive / update:.1f}x")
    height, width = pixels.shape[:2]
    print(f"PNG of the {width}x{height} explorer figure: Pillow {median_ms(pillow_times):.1f} ms "
          f"({len(buffer.getvalue()) / 1024:.0f} KB), course encoder {median_ms(course_times):.1f} ms "
          f"({len(course_png) / 1024:.0f} KB)")  # fmt: skip
    print(f"cohort 10,000 patients x 30 days, one strategy, median: {median_ms(one_strategy):.1f} ms")
    print(f"cohort 10,000 patients x 30 days, all three strategies, median: {median_ms(three_strategies):.1f} ms "
          f"(drawing its random numbers again: {median_ms(fresh_draws):.1f} ms)")  # fmt: skip
    print(f"transfusion strategy explorer, one nadir move (kernel side: precomputed cohort + description), "
          f"median: {median_ms(strategy_moves):.1f} ms "
          f"over {len(strategy_moves)} moves")  # fmt: skip


if __name__ == "__main__":
    main()
