"""Benchmark of the pictures in self-checks, cases and the CBC interpreter (issue 17, items 4 and 6).

Run: .venv/bin/python benchmarks/bench_pictures.py
Prints milliseconds and PNG sizes; no assertions (timings depend on the machine and its load).
"""

from __future__ import annotations

import statistics
import time

from petechiae_edu import pictures
from petechiae_edu.content.pictures import FILMS, Picture
from petechiae_edu.widgets.cases import CasePlayer
from petechiae_edu.widgets.cbc import CbcInterpreter
from petechiae_edu.widgets.quiz import self_check

FILM_EXAMPLES = ["suspected_apl", "microangiopathic_picture", "pseudothrombocytopenia", "isolated_thrombocytopenia",
                 "neutrophilia_left_shift_basophilia", "lymphocytosis"]  # fmt: skip


def ms(seconds: float) -> str:
    return f"{1000 * seconds:6.1f} ms"


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main() -> None:
    first, _ = timed(lambda: pictures.render_film("normal", seed=0))
    print(f"first picture in a fresh kernel (imports, atlas, fonts): {ms(first)}")
    print("a new film picture (spec never drawn before), median of 5 seeds; PNG size:")
    for film in FILMS:
        times, size = [], 0
        for seed in range(100, 105):
            elapsed, rendered = timed(lambda film=film, seed=seed: pictures.render_film(film, seed=seed))
            times.append(elapsed)
            size = len(rendered.png)
        print(f"  {film:12s} {ms(statistics.median(times))}  {size / 1024:5.0f} KB")
    skin = Picture(kind="skin", lesion="petechiae", skin_tone=6, site="conjunctiva", seed=11)
    elapsed, rendered = timed(lambda: pictures.render_picture(skin))
    print(f"  skin (petechiae, conjunctiva, tone 6) {ms(elapsed)}  {len(rendered.png) / 1024:5.0f} KB")
    cached, _ = timed(lambda: pictures.render_film("apl", seed=100))
    print(f"the same spec again (cached): {ms(cached)}")

    pictures.clear_cache()
    for lesson in ("01", "07"):
        elapsed, quiz = timed(lambda lesson=lesson: self_check(lesson))
        print(f"self_check('{lesson}') built, pictures drawn: {ms(elapsed)}  ({quiz.summary()})")

    app = CbcInterpreter("normal")
    times = []
    for example in [*FILM_EXAMPLES, "normal", *FILM_EXAMPLES]:
        elapsed, _ = timed(lambda example=example: setattr(app.preset, "value", example))
        times.append(elapsed)
    print(f"CBC interpreter, switching example (new film drawn or cached): median {ms(statistics.median(times))}, "
          f"slowest {ms(max(times))}")  # fmt: skip

    elapsed, _ = timed(lambda: CasePlayer("apl-dic", seed=77))
    print(f"case player opened on a step with a film (new seed): {ms(elapsed)}")


if __name__ == "__main__":
    main()
