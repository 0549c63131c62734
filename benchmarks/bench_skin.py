"""Benchmark of the drawn skin (lesson 01): time for a new picture, figure build plus PNG, per lesion and site.

Prints a table of median milliseconds (figure build, PNG render, total, and the CPU time of this process for the
same work) for every lesion × site at skin tones 1 and 6, for the glass test, for a picture drawn into a kept figure
and for a gallery change that draws a new picture. Wall-clock times include waiting for a busy machine; the CPU
column does not. The course's budget for a new picture in the kernel is 100 ms. No assertions.

    .venv/bin/python benchmarks/bench_skin.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time

from petechiae_edu.content.skin_data import skin_lesions, skin_sites
from petechiae_edu.figures.render import png_bytes
from petechiae_edu.figures.skin import SkinCanvas, skin_picture
from petechiae_edu.widgets.skin_gallery import lesion_gallery


def picture_ms(lesion: str, site: str, tone: int, glass: bool, repeats: int) -> tuple[float, float, float]:
    builds, renders, cpu = [], [], []
    for seed in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        picture = skin_picture(lesion, skin_tone=tone, site=site, seed=seed, glass=glass)
        built = time.perf_counter()
        png_bytes(picture.figure)
        builds.append(built - start)
        renders.append(time.perf_counter() - built)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(builds) * 1e3, statistics.median(renders) * 1e3, statistics.median(cpu) * 1e3


def canvas_ms(repeats: int) -> float:
    """A new picture drawn into a kept figure (what the gallery does), PNG included."""
    canvas = SkinCanvas()
    times = []
    for seed in range(repeats):
        for lesion in ("petechiae", "purpura", "palpable purpura"):
            start = time.perf_counter()
            png_bytes(canvas.picture(lesion, skin_tone=1 + seed % 6, site="leg", seed=seed).figure)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def gallery_change_ms(repeats: int) -> float:
    app = lesion_gallery()
    times = []
    for seed in range(repeats):
        app.seed = 1000 + seed  # a seed not drawn before, so every change draws a new picture
        start = time.perf_counter()
        app.skin_tone.value = 6 if app.skin_tone.value != 6 else 2
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main(repeats: int = 7) -> None:
    skin_picture("petechiae", skin_tone=1)  # warm up: content, fonts
    print(f"median over {repeats} seeds, ms   build  render   total     CPU")
    totals, cpus = [], []
    for lesion in skin_lesions():
        for site in skin_sites():
            for tone in (1, 6):
                build, render, cpu = picture_ms(lesion, site, tone, False, repeats)
                totals.append(build + render)
                cpus.append(cpu)
                print(
                    f"{lesion:17s} {site:12s} tone {tone}  {build:6.1f} {render:6.1f} {build + render:7.1f} {cpu:7.1f}"
                )
    for lesion in ("erythema", "petechiae"):
        build, render, cpu = picture_ms(lesion, "leg", 3, True, repeats)
        print(f"{lesion:17s} {'leg + glass':12s} tone 3  {build:6.1f} {render:6.1f} {build + render:7.1f} {cpu:7.1f}")
    print(
        f"single pictures: median {statistics.median(totals):.1f} ms wall ({statistics.median(cpus):.1f} ms CPU), "
        f"slowest {max(totals):.1f} ms wall (budget 100 ms)"
    )
    print(f"kept figure (SkinCanvas): a new picture and its PNG, median {canvas_ms(repeats):.1f} ms")
    print(f"gallery: a change that draws a new picture, median {gallery_change_ms(repeats):.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
