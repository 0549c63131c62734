"""Benchmark of simulation 1: explorer update time vs the naive pattern, and the cohort run time.

Run: /work/venv/bin/python benchmarks/bench_bleeding.py
Prints medians in milliseconds; no assertions (timings depend on the machine).
"""

from __future__ import annotations

import statistics
import time

from petechiae_edu.calibrated import simulate_cohort
from petechiae_edu.models.cohort import CohortSettings
from petechiae_edu.widgets.bleeding import bleeding_explorer

COUNTS = [2.0, 5.0, 8.0, 12.0, 20.0, 35.0, 60.0, 100.0, 3.5, 7.5, 15.0, 45.0]


def median_ms(timings: list[float]) -> float:
    return 1000 * statistics.median(timings)


def main() -> None:
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

    settings = CohortSettings(patients=10_000, days=30)
    simulate_cohort(settings, strategies=("prophylactic <10",))
    one_strategy, three_strategies = [], []
    for _ in range(5):
        start = time.perf_counter()
        simulate_cohort(settings, strategies=("prophylactic <10",))
        one_strategy.append(time.perf_counter() - start)
        start = time.perf_counter()
        simulate_cohort(settings)
        three_strategies.append(time.perf_counter() - start)

    update, naive = median_ms(explorer_times), median_ms(naive_times)
    print(f"explorer update (slider move -> new PNG in the Image), median: {update:.1f} ms "
          f"over {len(explorer_times)} moves")
    print(f"naive pattern (new figure + PNG per move), median: {naive:.1f} ms over {len(naive_times)} moves")
    print(f"ratio naive / explorer: {naive / update:.1f}x")
    print(f"cohort 10,000 patients x 30 days, one strategy, median: {median_ms(one_strategy):.0f} ms")
    print(f"cohort 10,000 patients x 30 days, all three strategies, median: {median_ms(three_strategies):.0f} ms")


if __name__ == "__main__":
    main()
