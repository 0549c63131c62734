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

The body map is a front view in abstract units (0–100 wide, 0–100 high, the nipple line at
:data:`NIPPLE_LINE`); each region is a union of polygons that lie inside the drawn body outline
(``petechiae_edu.figures.body``). Spot positions are sampled with a fixed seed, so a lower count only ever adds
spots to the picture. The number of spots per region is a Poisson quantile (computed here with numpy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .bleeding import check_platelet_count

MAXIMUM_RATE_PER_100_CM2 = 6.0  # illustrative: new petechiae per 100 cm² per day on the lower legs at count 0
HALF_RATE_PLATELET_COUNT = 10.0  # illustrative: ×10^9/L at which the rate is half its maximum
HILL_EXPONENT = 3.0  # illustrative steepness
STRAINING_FACTOR = 6.0  # illustrative: coughing/vomiting raises the rate above the nipple line this much
VISIBLE_DAYS = 5.0  # illustrative: a petechia fades over several days
DEFAULT_SEED = 7
NIPPLE_LINE = 76.5  # body-map height of the nipple line

SOURCES = ("medicalalgorithms_who_bleeding", "mdwiki_petechiae", "klinkhammer2008", "buchanan_itp_grade")


def _mirrored(points) -> tuple[np.ndarray, np.ndarray]:
    """A polygon on the body's left side (x ≥ 50 in the picture) and its mirror image on the right."""
    right = np.asarray(points, dtype=float)
    return np.column_stack([100 - right[:, 0], right[:, 1]])[::-1], right


def _symmetric(half) -> np.ndarray:
    """One polygon across the midline from its half on x ≥ 50, listed from bottom to top."""
    half = np.asarray(half, dtype=float)
    return np.vstack([half, np.column_stack([100 - half[::-1, 0], half[::-1, 1]])])


@dataclass(frozen=True)
class SkinRegion:
    """A body region: its relative rate (lower legs = 1), front skin area and polygons on the body map."""

    key: str
    label: str
    relative_rate: float  # illustrative
    area_cm2: float  # illustrative front-of-body skin area
    polygons: tuple[np.ndarray, ...]  # (k, 2) vertices in body-map units, inside the body outline
    above_nipple_line: bool = False

    @property
    def boxes(self) -> tuple[tuple[float, float, float, float], ...]:
        """The bounding box (x0, y0, x1, y1) of each polygon."""
        boxes = []
        for polygon in self.polygons:
            (x0, y0), (x1, y1) = polygon.min(axis=0), polygon.max(axis=0)
            boxes.append((float(x0), float(y0), float(x1), float(y1)))
        return tuple(boxes)


_HEAD = np.column_stack(
    [50 + 4.8 * np.cos(np.linspace(0, 2 * np.pi, 40)), 93.2 + 5.2 * np.sin(np.linspace(0, 2 * np.pi, 40))]
)
_NECK = np.array([[47.6, 83.5], [52.4, 83.5], [52.4, 87.5], [47.6, 87.5]])
_UPPER_CHEST = _symmetric(
    [[50, NIPPLE_LINE], [61.2, NIPPLE_LINE], [62.2, 78.0], [60.4, 80.0], [56.3, 81.0], [50, 81.6]]
)
_TRUNK = _symmetric([[50, 46.0], [61.0, 46.0], [60.0, 52.0], [59.2, 58.5], [59.9, 64.0], [60.8, 70.0], [61.2, 74.0],
                     [61.2, NIPPLE_LINE], [50, NIPPLE_LINE]])  # fmt: skip
_ARM = [[62.9, 75.0], [65.0, 75.0], [65.3, 70.0], [66.1, 62.0], [66.7, 56.0], [67.7, 49.0], [68.5, 43.5],
        [66.7, 42.5], [66.0, 48.0], [65.2, 55.0], [64.4, 62.0], [63.5, 70.0]]  # fmt: skip
_THIGH = [[52.5, 28.0], [59.0, 28.0], [59.9, 33.0], [60.5, 38.0], [60.9, 42.0], [60.9, 45.0], [51.2, 45.0],
          [51.6, 43.0], [51.9, 36.0], [52.3, 30.0]]  # fmt: skip
_LOWER_LEG = [[53.5, 6.0], [57.1, 6.5], [58.3, 12.0], [59.3, 19.0], [59.3, 24.0], [59.0, 28.0], [52.5, 28.0],
              [52.7, 18.0], [53.0, 10.0]]  # fmt: skip

REGIONS: tuple[SkinRegion, ...] = (
    SkinRegion(
        "face_neck_chest", "Face, neck and upper chest (above the nipple line)", 0.15, 1200.0,
        (_HEAD, _NECK, _UPPER_CHEST), True,
    ),
    SkinRegion("trunk", "Trunk below the nipple line", 0.2, 2000.0, (_TRUNK,)),
    SkinRegion("arms", "Arms", 0.35, 1800.0, _mirrored(_ARM)),
    SkinRegion("thighs", "Thighs", 0.5, 2000.0, _mirrored(_THIGH)),
    SkinRegion("lower_legs", "Lower legs", 1.0, 1400.0, _mirrored(_LOWER_LEG)),
)  # fmt: skip
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
        self._pool = {r.key: _sample_in_polygons(rng, r.polygons, pool_size) for r in REGIONS}
        self.pool_size = pool_size

    def sample(self, platelet_count: float, days: float = 3.0, *, straining: bool = False) -> PetechiaeSample:
        expected = expected_visible_petechiae(platelet_count, days, straining=straining)
        parts, keys, counts = [], [], {}
        for key, mean in expected.items():
            n = min(poisson_quantile(self._quantile[key], mean), self.pool_size) if mean > 0 else 0
            counts[key] = n
            parts.append(self._pool[key][:n])
            keys += [key] * n
        positions = np.concatenate(parts) if parts else np.empty((0, 2))
        return PetechiaeSample(positions, tuple(keys), counts)


def poisson_quantile(probability: float, mean: float) -> int:
    """The smallest k with P(X ≤ k) ≥ ``probability`` for X ~ Poisson(``mean``) (numpy; as scipy's ``ppf``)."""
    if not 0 < probability < 1 or not (np.isfinite(mean) and mean > 0):
        raise ValueError(f"need 0 < probability < 1 and a finite mean > 0, got {probability!r}, {mean!r}")
    largest = int(mean + 12 * math.sqrt(mean) + 30)
    ks = np.arange(largest + 1)
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(ks[1:]))])
    cumulative = np.cumsum(np.exp(ks * math.log(mean) - mean - log_factorial))
    return min(int(np.searchsorted(cumulative, probability, side="left")), largest)


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which of ``points`` (n, 2) lie inside ``polygon`` (k, 2), by the even-odd rule."""
    x, y = points[:, :1], points[:, 1:]
    x0, y0 = polygon[None, :, 0], polygon[None, :, 1]
    x1, y1 = np.roll(polygon[:, 0], -1)[None, :], np.roll(polygon[:, 1], -1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = ((y0 > y) != (y1 > y)) & (x < x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return crossing.sum(axis=1) % 2 == 1


def polygon_area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _sample_in_polygons(rng: np.random.Generator, polygons, n: int) -> np.ndarray:
    """``n`` points spread uniformly over the polygons (each gets points in proportion to its area)."""
    areas = np.array([polygon_area(p) for p in polygons])
    which = rng.choice(len(polygons), size=n, p=areas / areas.sum())
    points = np.empty((n, 2))
    for index, polygon in enumerate(polygons):
        wanted = int((which == index).sum())
        low, high = polygon.min(axis=0), polygon.max(axis=0)
        found = np.empty((0, 2))
        while len(found) < wanted:
            candidates = low + rng.uniform(size=(2 * wanted + 16, 2)) * (high - low)
            found = np.vstack([found, candidates[points_in_polygon(candidates, polygon)]])
        points[which == index] = found[:wanted]
    return points


def sample_petechiae(
    platelet_count: float, days: float = 3.0, *, straining: bool = False, seed: int = DEFAULT_SEED
) -> PetechiaeSample:
    """Spot positions after ``days`` at ``platelet_count`` ×10^9/L, reproducible for a given seed."""
    return PetechiaeSampler(seed).sample(platelet_count, days, straining=straining)
