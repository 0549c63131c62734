"""Print how long the blood-film atlas takes to lay out, draw and encode a new picture (issue 17: under 100 ms).

Run: ``.venv/bin/python benchmarks/bench_blood_film.py``. Times are medians over several seeds per film, after one
warm-up picture (fonts and caches loaded); no timing is asserted anywhere in the tests.
"""

from __future__ import annotations

import statistics
import time

from petechiae_edu.content.film_data import film_cells, films
from petechiae_edu.figures.blood_film import blood_film_picture
from petechiae_edu.figures.render import png_bytes
from petechiae_edu.models.blood_film import lay_out_field

SEEDS = range(1, 8)


def main() -> None:
    png_bytes(blood_film_picture("normal", seed=0).figure)  # warm-up
    columns = ("layout ms", "figure ms", "png ms", "total ms", "CPU ms", "labelled ms", "PNG KB")
    print(f"{'film':<12}" + "".join(f"{name:>12}" for name in columns))
    for key, film in films().items():
        times: dict[str, list[float]] = {name: [] for name in columns}
        for seed in SEEDS:
            start = time.perf_counter()
            lay_out_field(key, film.composition(), film_cells(), seed=seed)
            times["layout ms"].append(time.perf_counter() - start)
            start, cpu_start = time.perf_counter(), time.process_time()
            picture = blood_film_picture(key, seed=seed)
            drawn = time.perf_counter()
            png = png_bytes(picture.figure)
            done = time.perf_counter()
            times["CPU ms"].append(time.process_time() - cpu_start)
            times["figure ms"].append(drawn - start)
            times["png ms"].append(done - drawn)
            times["total ms"].append(done - start)
            times["PNG KB"].append(len(png) / 1024 / 1000)
            start = time.perf_counter()
            png_bytes(blood_film_picture(key, seed=seed, labelled=True).figure)
            times["labelled ms"].append(time.perf_counter() - start)
        print(f"{key:<12}" + "".join(f"{statistics.median(times[name]) * 1000:12.1f}" for name in columns))
    print("figure includes the layout; total = figure + png: a new picture, as draw_blood_film + png_bytes.")
    print("CPU ms: this process's CPU time for the same new picture (less sensitive to other load on the machine).")


if __name__ == "__main__":
    main()
