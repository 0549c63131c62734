"""A virtual cohort through 30 days of chemotherapy-induced thrombocytopenia under transfusion strategies.

What it is
    A vectorised teaching simulation: N patients, one step per day. Each patient's own platelet count falls
    from its starting value to a nadir, stays there a few days and recovers (log-linear pieces, random per
    patient). Transfused platelets add to the count and wear off; each day's grade ≥2 and ≥3 bleeding is
    drawn from :mod:`petechiae_edu.models.bleeding` at that day's count (fever days raise the odds).

Strategies
    - ``prophylactic <10``: transfuse on a morning when the count is below 10 ×10^9/L (the AABB 2015 and
      AABB/ICTMG 2025 threshold);
    - ``prophylactic <20``: the same at 20 ×10^9/L (the older, higher trigger);
    - ``therapeutic only``: transfuse only the morning after a grade ≥2 bleed (Wandt 2012 tested this).
    Every strategy also transfuses the morning after a grade ≥2 bleed.

Sourced
    Transfused platelets survive about 9–10 days (Harker 1977: 9.5 days used); about 7.1 ×10^9/L a day
    are used up keeping vessels intact (Slichter 2004), which is why a transfusion lasts only a few days in
    a patient with no production. Bleeding per day comes from the calibrated bleeding model, whose
    parameters are passed in (``petechiae_edu.calibrated.simulate_cohort`` passes the course's own).

Illustrative (no source in the course gives them; chosen to resemble a course of induction chemotherapy)
    The starting count, nadir depth, nadir day, plateau and recovery times, the count rise per transfusion
    (median 25 ×10^9/L), the share of fever days, and the patient-to-patient spread of bleeding tendency
    (:attr:`CohortSettings.bleeding_tendency_sd`, which makes bleeds cluster in some patients as they do in
    trials). Days count towards bleeding only while the patient's own count is below
    :attr:`CohortSettings.at_risk_below` ×10^9/L: the bleeding model is a model of thrombocytopenic days.

Common random numbers: every strategy sees the same patients, the same fever days and the same random
draws for bleeding, so differences between strategies come from the strategies, not from chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .bleeding import BleedingParameters

STRATEGIES: dict[str, float | None] = {
    "prophylactic <10": 10.0,
    "prophylactic <20": 20.0,
    "therapeutic only": None,
}

SOURCES = ("harker1977", "slichter2004", "kaufman2015", "metcalf2025", "wandt2012", "wandt1998")


@dataclass(frozen=True)
class CohortSettings:
    """Inputs of the cohort simulation; counts in ×10^9/L, times in days."""

    patients: int = 10_000
    days: int = 30
    seed: int = 2025
    starting_count_median: float = 60.0  # illustrative: day 0 is when counts have started to fall
    nadir_count_median: float = 4.0  # illustrative
    nadir_count_sd: float = 0.7  # illustrative, sd of ln(nadir)
    nadir_day_range: tuple[float, float] = (5.0, 10.0)  # illustrative
    plateau_days_range: tuple[float, float] = (4.0, 12.0)  # illustrative
    recovery_days_range: tuple[float, float] = (6.0, 12.0)  # illustrative
    recovered_count: float = 120.0  # illustrative
    transfusion_increment_median: float = 25.0  # illustrative count rise per transfusion
    transfusion_increment_sd: float = 0.35  # illustrative, sd of ln(increment)
    platelet_survival_days: float = 9.5  # Harker: about 9–10 days
    vascular_integrity_use: float = 7.1  # Slichter 2004: ×10^9/L per day
    fever_day_share: float = 0.15  # illustrative
    bleeding_tendency_sd: float = 1.5  # illustrative, sd of a patient's log-odds offset
    at_risk_below: float = 50.0  # own count below which days count towards bleeding

    def __post_init__(self) -> None:
        if not (isinstance(self.patients, int) and self.patients >= 1):
            raise ValueError(f"patients must be a whole number ≥1, got {self.patients!r}")
        if not (isinstance(self.days, int) and 1 <= self.days <= 365):
            raise ValueError(f"days must be a whole number 1–365, got {self.days!r}")
        for name in ("starting_count_median", "nadir_count_median", "transfusion_increment_median",
                     "platelet_survival_days"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if not 0 <= self.fever_day_share <= 1:
            raise ValueError(f"fever_day_share must be a fraction 0–1, got {self.fever_day_share!r}")


@dataclass(frozen=True)
class StrategyOutcome:
    """What one strategy did to the cohort (per patient unless said otherwise)."""

    strategy: str
    share_with_grade2_bleeding: float
    share_with_grade3_bleeding: float
    mean_grade2_bleeding_days: float
    mean_transfusions: float
    mean_days_below_10: float
    mean_platelet_count_by_day: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class CohortResult:
    settings: CohortSettings
    outcomes: dict[str, StrategyOutcome]

    def table(self) -> str:
        """The outcomes as a small text table (rounded)."""
        lines = [f"{'strategy':<18} {'≥G2 pts':>8} {'≥G3 pts':>8} {'G2 days':>8} {'transf.':>8}"]
        for o in self.outcomes.values():
            lines.append(
                f"{o.strategy:<18} {100 * o.share_with_grade2_bleeding:7.1f}% "
                f"{100 * o.share_with_grade3_bleeding:7.1f}% "
                f"{o.mean_grade2_bleeding_days:8.2f} {o.mean_transfusions:8.2f}"
            )
        return "\n".join(lines)


def own_platelet_counts(settings: CohortSettings, rng: np.random.Generator) -> np.ndarray:
    """Each patient's own count by day (patients × days, ×10^9/L): fall, nadir plateau, recovery."""
    n = settings.patients
    start = settings.starting_count_median * np.exp(0.3 * rng.standard_normal(n))
    spread = np.exp(settings.nadir_count_sd * rng.standard_normal(n))
    nadir = np.clip(settings.nadir_count_median * spread, 0.5, None)
    nadir = np.minimum(nadir, 0.9 * start)
    nadir_day = rng.uniform(*settings.nadir_day_range, n)
    plateau_end = nadir_day + rng.uniform(*settings.plateau_days_range, n)
    recovered_day = plateau_end + rng.uniform(*settings.recovery_days_range, n)
    day = np.arange(settings.days, dtype=float)[None, :]
    falling = np.clip(day / nadir_day[:, None], 0.0, 1.0)
    rising = np.clip((day - plateau_end[:, None]) / (recovered_day - plateau_end)[:, None], 0.0, 1.0)
    log_count = (
        np.log(start)[:, None]
        + falling * (np.log(nadir) - np.log(start))[:, None]
        + rising * (np.log(settings.recovered_count) - np.log(nadir))[:, None]
    )
    return np.exp(log_count)


def _logistic(log_odds: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * log_odds))


def simulate_cohort(
    settings: CohortSettings | None = None,
    *,
    parameters: BleedingParameters,
    fever_odds_ratio: float = 1.7,
    strategies: tuple[str, ...] = tuple(STRATEGIES),
) -> CohortResult:
    """Run every strategy on the same virtual patients; seeded, so the same settings give the same result.

    ``parameters`` are the bleeding model's fitted curves (e.g. ``default_model().parameters``).
    """
    settings = settings or CohortSettings()
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"unknown strategy {unknown[0]!r}; expected one of {', '.join(STRATEGIES)}")
    a2, b2, a3, b3 = parameters.as_array()
    rng = np.random.default_rng(settings.seed)
    own = own_platelet_counts(settings, rng)
    n, days = own.shape
    fever = rng.uniform(size=(n, days)) < settings.fever_day_share
    tendency = settings.bleeding_tendency_sd * rng.standard_normal(n)
    offset = tendency[:, None] + np.where(fever, math.log(fever_odds_ratio), 0.0)
    increments = settings.transfusion_increment_median * np.exp(
        settings.transfusion_increment_sd * rng.standard_normal((n, days))
    )
    bleeding_draw = rng.uniform(size=(n, days))
    at_risk = own < settings.at_risk_below
    keep = 1.0 - 1.0 / settings.platelet_survival_days

    outcomes = {}
    for name in strategies:
        trigger = STRATEGIES[name]
        transfused = np.zeros(n)
        bled_yesterday = np.zeros(n, dtype=bool)
        grade2_days = np.zeros(n)
        any_grade3 = np.zeros(n, dtype=bool)
        transfusions = np.zeros(n)
        days_below_10 = np.zeros(n)
        mean_count = np.empty(days)
        for d in range(days):
            morning = own[:, d] + transfused
            give = bled_yesterday.copy()
            if trigger is not None:
                give |= morning < trigger
            transfused = transfused + np.where(give, increments[:, d], 0.0)
            transfusions += give
            count = own[:, d] + transfused
            x = np.log1p(count)
            p3 = _logistic(a3 + b3 * x + offset[:, d])
            p2 = np.maximum(_logistic(a2 + b2 * x + offset[:, d]), p3)
            grade2 = (bleeding_draw[:, d] < p2) & at_risk[:, d]
            any_grade3 |= (bleeding_draw[:, d] < p3) & at_risk[:, d]
            grade2_days += grade2
            days_below_10 += count < 10
            mean_count[d] = count.mean()
            bled_yesterday = grade2
            transfused = np.maximum(transfused * keep - settings.vascular_integrity_use, 0.0)
        outcomes[name] = StrategyOutcome(
            strategy=name,
            share_with_grade2_bleeding=float(np.mean(grade2_days > 0)),
            share_with_grade3_bleeding=float(np.mean(any_grade3)),
            mean_grade2_bleeding_days=float(grade2_days.mean()),
            mean_transfusions=float(transfusions.mean()),
            mean_days_below_10=float(days_below_10.mean()),
            mean_platelet_count_by_day=mean_count,
        )
    return CohortResult(settings, outcomes)


def with_changes(settings: CohortSettings, **changes) -> CohortSettings:
    """A copy of ``settings`` with some inputs changed (checked again)."""
    return replace(settings, **changes)
