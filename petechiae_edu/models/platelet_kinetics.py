"""Platelet balance: production against removal, with a splenic pool, as a one-compartment teaching model.

All platelet quantities are expressed per litre of blood (×10^9/L), production and consumption per day
(×10^9/L/day), times in days.

Model
-----
The body's platelet mass ``M`` (circulating plus the spleen's pool) changes as

    dM/dt = production − M / survival_days − vascular_consumption      (while M > 0)

- ``production``: the marrow's output, as a percentage of normal production (Harker 1977).
- ``M / survival_days``: platelets retired by age (senescence), a first-order loss whose mean lifetime is the
  platelet survival; normal 9–10 days (Harker 1977), 8.4 days by 111In labelling (platelet_fate_111in).
- ``vascular_consumption``: a fixed number used each day to keep the vessel walls sealed, whatever the count
  (Slichter 2004).

The three normal values (production, survival, vascular use) are data, not code: they live in
``data/calibration/platelet_kinetics.toml`` with their sources, and :class:`NormalKinetics` carries them in.
:class:`PlateletBalance` takes them as fields; a field left at None takes the course's value, which
:mod:`petechiae_edu.calibrated` registers here when it is imported (:func:`use_course_kinetics`).
- The spleen holds a fraction of ``M`` in exchange with the blood (about one-third normally, up to 90% in
  splenomegaly; labce_splenic_sequestration), so the circulating count is ``(1 − pooled_fraction) · M``.
  Exchange with the pool takes minutes, so it is treated as instant.

The steady state is ``M* = survival_days · (production − vascular_consumption)``, or zero when the fixed
consumption is larger than the production; ``M(t)`` approaches it exponentially with time constant
``survival_days``, so half the way is covered in ``survival_days · ln 2`` days.

Limits
------
- The three inputs come from different studies and methods, so the balance at "normal" settings gives one
  count (about 177 ×10^9/L at 9.5 days' survival), not the 150–450 ×10^9/L reference range, and it sits near
  the low end of that range: a reference range describes variation between healthy people, which one
  parameter set cannot show; and Harker's production figure was derived from measured counts and survival,
  so also subtracting Slichter's fixed consumption may count part of the loss twice.
- Real survival is not a single exponential (platelets are removed partly by age, partly at random); the
  spleen also shortens survival when it is enlarged (6.2 days by 111In), which the student must set by hand.
- Thrombopoietin feedback (production rising when the count falls) is left out on purpose: the student
  sets production directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import validation

NORMAL_POOLED_FRACTION = 1 / 3  # about one-third of platelets sit in the spleen

SOURCES = ("harker1977", "slichter2004", "labce_splenic_sequestration", "platelet_fate_111in")

MAX_PRODUCTION_PERCENT = 1000.0
MAX_POOLED_FRACTION = 0.95
MAX_SURVIVAL_DAYS = 30.0


@dataclass(frozen=True)
class NormalKinetics:
    """The normal platelet kinetics the balance is built on (from the course's data file, with sources)."""

    production: float  # ×10^9/L/day (Harker 1977)
    survival_days: float  # days (Harker 1977)
    vascular_consumption: float  # ×10^9/L/day used for vascular integrity (Slichter 2004)
    sources: tuple[str, ...] = ()


_course_kinetics: Callable[[], NormalKinetics] | None = None


def use_course_kinetics(provider: Callable[[], NormalKinetics]) -> None:
    """Register the function that gives the course's normal kinetics (petechiae_edu.calibrated does this)."""
    global _course_kinetics
    _course_kinetics = provider


def course_kinetics() -> NormalKinetics:
    """The registered course kinetics; a clear error when none are registered."""
    if _course_kinetics is None:
        raise ValueError(
            "no normal platelet kinetics: give survival_days, vascular_consumption and normal_production, or "
            "import petechiae_edu.calibrated, which registers the course's from data/calibration/platelet_kinetics.toml"
        )
    return _course_kinetics()


def __getattr__(name: str) -> object:
    # The normal values were module constants before they moved to data/; kept readable for old callers.
    attribute = {
        "NORMAL_PRODUCTION": "production",
        "NORMAL_SURVIVAL_DAYS": "survival_days",
        "VASCULAR_CONSUMPTION": "vascular_consumption",
    }.get(name)
    if attribute is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(course_kinetics(), attribute)


@dataclass(frozen=True)
class PlateletBalance:
    """The inputs of the balance.

    production_percent: marrow output as % of normal (100 = ``normal_production``).
    pooled_fraction: share of the platelet mass held in the spleen (0 to 0.95).
    survival_days: mean platelet lifespan in days (None: the course's normal survival).
    vascular_consumption: fixed daily use for vascular integrity, ×10^9/L/day (None: the course's).
    normal_production: normal marrow output, ×10^9/L/day (None: the course's).
    """

    production_percent: float = 100.0
    pooled_fraction: float = NORMAL_POOLED_FRACTION
    survival_days: float = None  # type: ignore[assignment]  # None: filled in from the course's kinetics
    vascular_consumption: float = None  # type: ignore[assignment]
    normal_production: float = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        normal = None
        for name in ("survival_days", "vascular_consumption", "normal_production"):
            if getattr(self, name) is None:
                normal = normal or course_kinetics()
                value = normal.production if name == "normal_production" else getattr(normal, name)
                object.__setattr__(self, name, value)
        validation.percentage(self.production_percent, "production_percent", high=MAX_PRODUCTION_PERCENT)
        validation.fraction(self.pooled_fraction, "pooled_fraction", high=MAX_POOLED_FRACTION)
        validation.number(self.survival_days, "survival_days", unit="days", low=0.5, high=MAX_SURVIVAL_DAYS)
        validation.number(self.vascular_consumption, "vascular_consumption", unit="×10^9/L/day", low=0.0, high=100.0)
        validation.number(self.normal_production, "normal_production", unit="×10^9/L/day", above=0.0, high=1000.0)

    @property
    def production(self) -> float:
        """Marrow output in ×10^9/L/day."""
        return self.normal_production * self.production_percent / 100.0


@dataclass(frozen=True)
class SteadyState:
    """Where the balance settles. Counts in ×10^9/L, flows in ×10^9/L/day."""

    balance: PlateletBalance
    platelet_mass: float
    circulating_count: float
    pooled_in_spleen: float
    production: float
    removed_by_age: float
    used_for_vessels: float

    @property
    def half_time_days(self) -> float:
        """Days to cover half the distance to this steady state from any start."""
        return self.balance.survival_days * math.log(2)


def steady_state(balance: PlateletBalance | None = None) -> SteadyState:
    """The count the balance settles at (``PlateletBalance()`` gives the normal settings).

    >>> import petechiae_edu.calibrated  # registers the course's normal kinetics
    >>> round(steady_state(PlateletBalance(production_percent=50)).circulating_count)
    66
    """
    b = balance if balance is not None else PlateletBalance()
    mass = max(0.0, b.survival_days * (b.production - b.vascular_consumption))
    circulating = (1.0 - b.pooled_fraction) * mass
    used = b.vascular_consumption if mass > 0 else b.production
    return SteadyState(
        balance=b,
        platelet_mass=mass,
        circulating_count=circulating,
        pooled_in_spleen=mass - circulating,
        production=b.production,
        removed_by_age=mass / b.survival_days,
        used_for_vessels=used,
    )


@dataclass(frozen=True)
class Approach:
    """The circulating count over time after a change. ``days`` in days, ``circulating_count`` in ×10^9/L."""

    days: np.ndarray
    circulating_count: np.ndarray
    start: SteadyState
    end: SteadyState

    def count_on_day(self, day: float) -> float:
        """The circulating count (×10^9/L) on ``day``, interpolated."""
        return float(np.interp(day, self.days, self.circulating_count))

    def first_day_below(self, count: float) -> float | None:
        """The first day the count is below ``count`` ×10^9/L, or None if it never is within the time shown."""
        below = np.nonzero(self.circulating_count < count)[0]
        return float(self.days[below[0]]) if below.size else None


def approach(
    after: PlateletBalance,
    before: PlateletBalance | None = None,
    days: float = 30.0,
    points: int = 301,
) -> Approach:
    """How the circulating count moves from the steady state of ``before`` to that of ``after``.

    The change happens on day 0. The platelet mass follows the exact solution of the balance; the spleen's
    share is re-set at once, so a bigger spleen lowers the count on day 0 itself.
    """
    validation.days(days, "days", low=0.1, high=3650.0)
    validation.size(points, "points", high=1_000_000)
    if points < 2:
        raise validation.InputValueError(f"points = {points} must be at least 2")
    start = steady_state(before)
    end = steady_state(after)
    t = np.linspace(0.0, days, points)
    mass = mass_over_time(start.platelet_mass, after, t)
    return Approach(t, (1.0 - after.pooled_fraction) * mass, start, end)


def mass_over_time(start_mass: float, balance: PlateletBalance, days: np.ndarray) -> np.ndarray:
    """Platelet mass (×10^9/L) on each of ``days`` from ``start_mass``, exact solution of the balance.

    With net input ``production − vascular_consumption`` the mass relaxes towards ``survival · net``; when that
    target is negative the mass reaches zero in finite time and stays there.
    """
    validation.number(start_mass, "start_mass", unit="×10^9/L", low=0.0)
    t = np.asarray(days, dtype=float)
    tau = balance.survival_days
    target = tau * (balance.production - balance.vascular_consumption)
    mass = target + (start_mass - target) * np.exp(-t / tau)
    return np.maximum(mass, 0.0)
