"""Bytes and time of each static figure as a 1x PNG (before issue 16) and as a 2x PNG (sharp), at zlib 1 and 6.

Run: ``.venv/bin/python benchmarks/bench_figure_sharpness.py``. Prints one row per figure: CSS size, bytes at 1x,
bytes at 2x (zlib level 1, what the course sends) and at 2x zlib 6, and the time to draw and encode at 2x.
"""

from __future__ import annotations

import time

from petechiae_edu.figures import render


def _figures():
    import petechiae_edu as pe

    yield "spleen studies chart (lesson 02)", lambda: pe.spleen_studies_chart().png
    yield "risk-factor chart (lesson 03)", lambda: pe.risk_factor_chart().image.value
    yield "published bleeding data (lesson 04)", lambda: pe.published_bleeding_data().image.value
    yield "bleeding age curves (lesson 04)", lambda: pe.bleeding_age_curves().image.value
    yield "presenting features, children (lesson 06)", lambda: pe.presenting_features_chart().image.value
    yield "presenting features, adults (lesson 06)", lambda: pe.presenting_features_chart("adults").image.value
    yield "survival chart (virtual patient)", lambda: pe.survival_chart(patients_per_group=300).image.value
    yield "film atlas, AML field (lesson 07)", lambda: pe.film_atlas("aml").canvas.image
    yield "skin gallery, petechiae tone 5 (lesson 01)", lambda: pe.lesion_gallery(skin_tone=5).image.value


def _measure(make, pixel_ratio: int, compression: int) -> tuple[bytes, float]:
    defaults = render.png_bytes.__kwdefaults__
    saved = dict(defaults)
    defaults.update(pixel_ratio=pixel_ratio, compression=compression)
    try:
        start = time.perf_counter()
        value = make()
        elapsed = time.perf_counter() - start
    finally:
        defaults.update(saved)
    if isinstance(value, str):  # a data URL
        import base64

        value = base64.b64decode(value.split(",", 1)[1])
    return value, elapsed


def main() -> None:
    print(f"{'figure':44} {'CSS px':>10} {'1x z1':>9} {'2x z1':>9} {'2x z6':>9} {'ratio':>6} {'2x build ms':>11}")
    for name, make in _figures():
        one, _ = _measure(make, 1, 1)
        two, seconds = _measure(make, 2, 1)
        six, _ = _measure(make, 2, 6)
        width, height = render.css_size(two)
        print(
            f"{name:44} {f'{width:g}x{height:g}':>10} {len(one):>9,} {len(two):>9,} {len(six):>9,}"
            f" {len(two) / len(one):>6.2f} {1000 * seconds:>11.0f}"
        )


if __name__ == "__main__":
    main()
