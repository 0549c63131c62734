"""Benchmark of simulation 2 (lesson 05): model solve time and explorer update time.

Prints: the 5-year daily solve (ms), the explorer's kernel-side update per slider move (median ms), the naive
pattern (a new figure drawn and encoded as PNG per move, median ms) and the ratio. No assertions.

    /work/venv/bin/python benchmarks/bench_progression.py
"""

from __future__ import annotations

import statistics
import time

from petechiae_edu.calibrated import preset_parameters
from petechiae_edu.figures.progression import ProgressionFigure
from petechiae_edu.figures.render import png_bytes
from petechiae_edu.models.progression import simulate
from petechiae_edu.models.symptoms import symptom_timeline
from petechiae_edu.widgets.progression import describe_course, progression_explorer

GROWTH_VALUES = [3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5] * 3


def solve_ms(repeats: int = 50) -> float:
    params = preset_parameters("cml")
    simulate(params)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        simulate(params)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def explorer_ms() -> float:
    app = progression_explorer("aml")
    times = []
    for value in GROWTH_VALUES:
        start = time.perf_counter()
        app.growth.value = value
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def naive_ms() -> float:
    """The pattern the explorer replaces: build a new figure, draw everything, encode it, every move."""
    params = preset_parameters("aml")
    times = []
    for value in GROWTH_VALUES[:10]:
        start = time.perf_counter()
        result = simulate(params, clone_net_growth=value / 100)
        timeline = symptom_timeline(result)
        describe_course(result, timeline)
        plot = ProgressionFigure(540)
        plot.set_title("AML")
        plot.update(result, timeline)
        png_bytes(plot.figure)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    solve = solve_ms()
    explorer = explorer_ms()
    naive = naive_ms()
    print(f"5-year daily solve (CML preset, 1826 days): {solve:.2f} ms (median of 50)")
    print(f"explorer update per slider move: {explorer:.1f} ms (median of {len(GROWTH_VALUES)})")
    print(f"naive new figure + PNG per move: {naive:.1f} ms (median of 10)")
    print(f"speed-up: {naive / explorer:.1f}x")


if __name__ == "__main__":
    main()
