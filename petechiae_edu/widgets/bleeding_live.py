"""What the bleeding explorer sends to the browser once: its tables, marks and description template.

Every state a student can reach is computed here: the daily risks (central value and band, grade ≥2 and ≥3) for
each platelet count on the slider (0.5–150 ×10^9/L by 0.5) under each of the 36 risk-factor combinations, as the
strings the description shows (so the browser never rounds); the curves and bands over the figure's count grid per
combination; and the petechiae. The spot sampler keeps a fixed seeded pool per body region and shows its first n
spots (``PetechiaeSampler``), so one pool per region plus the count per region for each (count, days, straining)
state reproduces every picture. Tables are cached per process (they depend only on the shipped model and seed).
"""

from __future__ import annotations

import itertools
import json

import numpy as np

from ..content.skin_data import skin_tones
from ..figures import bleeding as drawing
from ..figures.body import spot_colour
from ..live import Tables
from ..models import petechiae
from ..models.bleeding import COVARIATE_LEVELS, Covariates, covariate_odds_ratio
from ..models.bleeding_model import BleedingModel

RISK_FACTORS = ("fever", "haematocrit", "inr", "aptt")
CURVE_COUNTS = np.append(drawing.CURVE_GRID[::2], drawing.CURVE_GRID[-1])  # 81 counts: smooth on a log axis
RISK_ITEMS = ("grade2", "grade2_low", "grade2_high", "grade3", "grade3_low", "grade3_high")
SPOT_RADIUS_POINTS = float(np.sqrt(5.0) / 2)  # the scatter's s=5 points² as a circle radius in SVG points


# The words of the description, shared by Python's sentence and the tables (so both say exactly the same).


def percent(probability: float) -> str:
    """A daily probability as the description shows it: 2 significant digits below 1 %, 3 below 10 %, else whole."""
    value = 100 * probability
    return f"{value:.2g} %" if value < 1 else f"{value:.3g} %" if value < 10 else f"{value:.0f} %"


def risk_factor_phrase(factor_labels: list[str], odds_ratio: float) -> str:
    """'with fever ≥38 °C, INR >1.5 (odds × 2.31)' or 'with no extra risk factors'."""
    if not factor_labels:
        return "with no extra risk factors"
    return f"with {', '.join(in_sentence(label) for label in factor_labels)} (odds × {odds_ratio:.2f})"


def in_sentence(label: str) -> str:
    """'Fever ≥38 °C' -> 'fever ≥38 °C'; abbreviations such as 'INR' and 'aPTT' keep their capitals."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def days_phrase(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _combinations():
    """(index tuple, Covariates) for every combination, in the tables' order (checkbox False/True, menu order)."""
    levels = [COVARIATE_LEVELS[group] for group in RISK_FACTORS]
    for index in itertools.product(*(range(len(group)) for group in levels)):
        yield index, Covariates(**{g: levels[i][k] for i, (g, k) in enumerate(zip(RISK_FACTORS, index, strict=True))})


def _number(text: str) -> float:
    return float(text.split(" ")[0])


def risk_tables(tables: Tables, model: BleedingModel, factor_labels: dict[str, list[str]]) -> None:
    """Risk texts per (risk factors, count), the risk-factor phrase per combination, curves and bands."""
    counts = np.asarray(tables.grid("platelets"))
    shape = [len(COVARIATE_LEVELS[g]) for g in RISK_FACTORS]
    texts = np.empty((*shape, len(counts), len(RISK_ITEMS)), dtype=object)
    phrases = np.empty(shape, dtype=object)
    curves = {name: np.empty((*shape, len(CURVE_COUNTS))) for name in ("g2", "g3", "b2l", "b2h", "b3l", "b3h")}
    for index, covariates in _combinations():
        grade2, grade3 = model.probabilities(counts, covariates)
        band2, band3 = model.band(counts, covariates)
        for k in range(len(counts)):
            values = (grade2[k], band2[0, k], band2[1, k], grade3[k], band3[0, k], band3[1, k])
            texts[(*index, k)] = [percent(float(v)) for v in values]
        named = [factor_labels[g][i] for g, i in zip(RISK_FACTORS, index, strict=True) if i]
        phrases[index] = risk_factor_phrase(named, covariate_odds_ratio(covariates, model.effects))
        c2, c3 = model.probabilities(CURVE_COUNTS, covariates)
        cb2, cb3 = model.band(CURVE_COUNTS, covariates)
        for name, values in zip(curves, (c2, c3, cb2[0], cb2[1], cb3[0], cb3[1]), strict=True):
            curves[name][index] = 100 * values
    dims = list(RISK_FACTORS)
    tables.texts("risk", texts, [*dims, "platelets"], numbers=np.vectorize(_number, otypes=[float])(texts))
    tables.texts("factors", phrases, dims)
    tables.numbers("curve_x", CURVE_COUNTS)
    for name, values in curves.items():
        tables.numbers(f"curve_{name}", values, dims)
    tables.texts("count", [f"{count:g}" for count in counts], ["platelets"])


def spot_tables(tables: Tables, sampler: petechiae.PetechiaeSampler) -> list[str]:
    """The first n spots of each region's seeded pool, and n per region (and the total) per state."""
    counts = tables.grid("platelets")
    days = tables.grid("days")
    regions = [region.key for region in petechiae.REGIONS]
    numbers = np.zeros((len(counts), len(days), 2, len(regions) + 1), dtype=int)
    for (i, count), (j, day), straining in itertools.product(enumerate(counts), enumerate(days), (0, 1)):
        sample = sampler.sample(count, day, straining=bool(straining))
        numbers[i, j, straining, :-1] = [sample.counts_by_region[key] for key in regions]
        numbers[i, j, straining, -1] = sample.total
    tables.numbers("spots", numbers, ["platelets", "days", "straining"], dtype="u16")
    largest = numbers.max(axis=(0, 1, 2))
    # the lowest count, the longest stay and straining show the most spots of every region: a prefix of each pool
    most = sampler.sample(counts[0], days[-1], straining=True)
    keys = np.asarray(most.region_keys)
    for position, key in enumerate(regions):
        pool = most.positions[keys == key]
        if len(pool) != largest[position]:
            raise RuntimeError(
                f"the {key} pool holds {len(pool)} spots at the most, but a state shows {largest[position]}"
            )
        tables.numbers(f"pool_{key}", np.round(pool, 2))
    tables.texts("days_text", [days_phrase(int(day)) for day in days], ["days"])
    return regions


def tone_tables(tables: Tables) -> None:
    tones = skin_tones()
    tables.texts("fitzpatrick", [tones[number].fitzpatrick for number in tables.grid("skin_tone")], ["skin_tone"])
    colours = [
        "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in spot_colour(n))) for n in tables.grid("skin_tone")
    ]
    tables.texts("spot_colour", colours, ["skin_tone"])


_CACHE: dict[tuple, tuple] = {}  # the model is kept in the value, so its id stays its own


def explorer_tables(
    control_specs: dict, model: BleedingModel, factor_labels: dict[str, list[str]]
) -> tuple[dict, list[str]]:
    """(tables, region keys) for the explorer's bound controls; cached per model, controls and labels."""
    key = (id(model), json.dumps(control_specs, sort_keys=True), json.dumps(factor_labels, sort_keys=True))
    if key not in _CACHE:
        if len(_CACHE) > 4:
            _CACHE.clear()
        tables = Tables(control_specs)
        risk_tables(tables, model, factor_labels)
        regions = spot_tables(tables, petechiae.PetechiaeSampler())
        tone_tables(tables)
        _CACHE[key] = (tables.tables, regions, model)
    found = _CACHE[key]
    return found[0], found[1]


def marks(regions: list[str]) -> list[dict]:
    x = {"table": "curve_x"}
    return [
        {"kind": "band", "gid": "grade2_band", "axes": "risk", "x": x, "low": {"table": "curve_b2l"},
         "high": {"table": "curve_b2h"}},
        {"kind": "band", "gid": "grade3_band", "axes": "risk", "x": x, "low": {"table": "curve_b3l"},
         "high": {"table": "curve_b3h"}},
        {"kind": "path", "gid": "grade2_line", "axes": "risk", "x": x, "y": {"table": "curve_g2"}},
        {"kind": "path", "gid": "grade3_line", "axes": "risk", "x": x, "y": {"table": "curve_g3"}},
        {"kind": "vline", "gid": "marker_line", "axes": "risk", "x": {"control": "platelets"}, "clamp": True},
        {"kind": "points", "gid": "marker_points", "axes": "risk", "clamp": True,
         "x": [{"control": "platelets"}, {"control": "platelets"}],
         "y": [{"table": "risk", "item": 0}, {"table": "risk", "item": 3}]},
        {"kind": "scatter", "gid": "spots", "axes": "body", "radius": SPOT_RADIUS_POINTS,
         "fill": {"table": "spot_colour"},
         "pools": [{"table": f"pool_{key}"} for key in regions],
         "counts": [{"table": "spots", "item": i} for i in range(len(regions))]},
    ]  # fmt: skip


def description() -> list:
    """The sentence of :meth:`BleedingExplorer.sentence` as a template over the tables."""
    risk = [{"table": "risk", "item": i} for i in range(len(RISK_ITEMS))]
    return [
        "At ", {"table": "count"}, " ×10^9/L, ", {"table": "factors"}, ", the model gives a ", risk[0],
        " chance per day of WHO grade ≥2 bleeding (band ", risk[1], "–", risk[2], ") and ", risk[3],
        " of grade ≥3 (band ", risk[4], "–", risk[5], "); the body shows ", {"table": "spots", "item": 5},
        " petechiae after ", {"table": "days_text"}, " on Fitzpatrick type ", {"table": "fitzpatrick"},
        " skin (illustrative numbers).",
    ]  # fmt: skip
