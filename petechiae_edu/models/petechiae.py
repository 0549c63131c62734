"""New petechiae per day by body region as platelets fall: an ILLUSTRATIVE teaching model.

What is sourced
    - Petechiae are the mildest visible bleeding: a petechial rash is WHO bleeding grade 1 (modified WHO
      scale as used in trials).
    - They gather where venous pressure is highest: dependent parts (lower legs) in general, and above the
      nipple line (face, neck, upper chest: the superior vena cava territory) after coughing, vomiting or
      straining, which raise pressure there (mdwiki "Petechiae"; Klinkhammer & Colletti 2008).
    - The childhood ITP bleeding grade counts petechiae: ≤100 (grade 1) vs >100 (grade 2).

What is ILLUSTRATIVE (no source gives these numbers; they are chosen to make the picture readable)
    - the rate: at most :data:`MAXIMUM_RATE_PER_100_CM2` new spots per 100 cm² per day on the lower legs,
      half of that at :data:`HALF_RATE_PLATELET_COUNT` ×10^9/L, falling steeply above it (Hill exponent 3);
    - the relative rates of the other regions and the skin areas (:data:`REGIONS`);
    - the factor by which straining raises the rate above the nipple line (:data:`STRAINING_FACTOR`);
    - that each spot stays visible for :data:`VISIBLE_DAYS` days.

The body map is a front view in abstract units (0–100 wide, 0–100 high); regions are unions of rectangles.
Spot positions are sampled with a fixed seed, so a lower count only ever adds spots to the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

from .bleeding import check_platelet_count

MAXIMUM_RATE_PER_100_CM2 = 6.0  # illustrative: new petechiae per 100 cm² per day on the lower legs at count 0
HALF_RATE_PLATELET_COUNT = 10.0  # illustrative: ×10^9/L at which the rate is half its maximum
HILL_EXPONENT = 3.0  # illustrative steepness
STRAINING_FACTOR = 6.0  # illustrative: coughing/vomiting raises the rate above the nipple line this much
VISIBLE_DAYS = 5.0  # illustrative: a petechia fades over several days
DEFAULT_SEED = 7

SOURCES = ("medicalalgorithms_who_bleeding", "mdwiki_petechiae", "klinkhammer2008", "buchanan_itp_grade")


@dataclass(frozen=True)
class SkinRegion:
    """A body region: its relative rate (lower legs = 1), front skin area and rectangles on the body map."""

    key: str
    label: str
    relative_rate: float  # illustrative
    area_cm2: float  # illustrative front-of-body skin area
    boxes: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1) in body-map units
    above_nipple_line: bool = False


REGIONS: tuple[SkinRegion, ...] = (
    SkinRegion(
        "face_neck_chest",
        "Face, neck and upper chest (above the nipple line)",
        0.15,
        1200.0,
        ((44.0, 86.0, 56.0, 98.0), (47.0, 81.0, 53.0, 86.0), (38.0, 73.0, 62.0, 81.0)),
        True,
    ),
    SkinRegion("trunk", "Trunk below the nipple line", 0.2, 2000.0, ((38.0, 50.0, 62.0, 73.0),)),
    SkinRegion("arms", "Arms", 0.35, 1800.0, ((30.0, 48.0, 36.5, 80.0), (63.5, 48.0, 70.0, 80.0))),
    SkinRegion("thighs", "Thighs", 0.5, 2000.0, ((39.0, 27.0, 49.5, 50.0), (50.5, 27.0, 61.0, 50.0))),
    SkinRegion("lower_legs", "Lower legs", 1.0, 1400.0, ((40.0, 2.0, 48.5, 27.0), (51.5, 2.0, 60.0, 27.0))),
)
_REGION_BY_KEY = {region.key: region for region in REGIONS}


def region(key: str) -> SkinRegion:
    """A region of the body map by key."""
    try:
        return _REGION_BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown skin region {key!r}; expected one of {', '.join(_REGION_BY_KEY)}") from None


def new_petechiae_rate(platelet_count, region_key: str = "lower_legs", *, straining: bool = False):
    """Expected new petechiae per 100 cm² per day (illustrative) at ``platelet_count`` ×10^9/L."""
    counts = check_platelet_count(platelet_count)
    chosen = region(region_key)
    factor = chosen.relative_rate * (STRAINING_FACTOR if straining and chosen.above_nipple_line else 1.0)
    rate = MAXIMUM_RATE_PER_100_CM2 * factor / (1.0 + (counts / HALF_RATE_PLATELET_COUNT) ** HILL_EXPONENT)
    return float(rate) if rate.ndim == 0 else rate


def expected_visible_petechiae(platelet_count: float, days: float, *, straining: bool = False) -> dict[str, float]:
    """Expected visible spots per region after ``days`` at a steady count (illustrative)."""
    if not (np.isfinite(days) and days >= 0):
        raise ValueError(f"days {days!r} must be a finite number of days, 0 or more")
    visible_days = min(days, VISIBLE_DAYS)
    return {
        r.key: float(new_petechiae_rate(platelet_count, r.key, straining=straining)) * r.area_cm2 / 100 * visible_days
        for r in REGIONS
    }


@dataclass(frozen=True)
class PetechiaeSample:
    """Spot positions on the body map (n × 2, body-map units) with the region each belongs to."""

    positions: np.ndarray
    region_keys: tuple[str, ...]
    counts_by_region: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.positions)


class PetechiaeSampler:
    """Seeded spot positions: a fixed pool per region, so lowering the count only adds spots.

    Build once (a few ms), then :meth:`sample` is cheap enough to run on every slider move.
    """

    def __init__(self, seed: int = DEFAULT_SEED, pool_size: int = 4000) -> None:
        rng = np.random.default_rng(seed)
        self._quantile = {r.key: float(rng.uniform(0.05, 0.95)) for r in REGIONS}
        self._pool = {r.key: _sample_in_boxes(rng, r.boxes, pool_size) for r in REGIONS}
        self.pool_size = pool_size

    def sample(self, platelet_count: float, days: float = 3.0, *, straining: bool = False) -> PetechiaeSample:
        expected = expected_visible_petechiae(platelet_count, days, straining=straining)
        parts, keys, counts = [], [], {}
        for key, mean in expected.items():
            n = int(min(poisson.ppf(self._quantile[key], mean), self.pool_size)) if mean > 0 else 0
            counts[key] = n
            parts.append(self._pool[key][:n])
            keys += [key] * n
        positions = np.concatenate(parts) if parts else np.empty((0, 2))
        return PetechiaeSample(positions, tuple(keys), counts)


def _sample_in_boxes(rng: np.random.Generator, boxes, n: int) -> np.ndarray:
    areas = np.array([(x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes])
    which = rng.choice(len(boxes), size=n, p=areas / areas.sum())
    lows = np.array([(b[0], b[1]) for b in boxes])[which]
    highs = np.array([(b[2], b[3]) for b in boxes])[which]
    return lows + rng.uniform(size=(n, 2)) * (highs - lows)


def sample_petechiae(
    platelet_count: float, days: float = 3.0, *, straining: bool = False, seed: int = DEFAULT_SEED
) -> PetechiaeSample:
    """Spot positions after ``days`` at ``platelet_count`` ×10^9/L, reproducible for a given seed."""
    return PetechiaeSampler(seed).sample(platelet_count, days, straining=straining)
