"""Which blood count falls first when the marrow fails: read off a simulated course of the progression model.

Two ways the marrow can fail are compared:

- **it stops abruptly** (:func:`marrow_stop_parameters`): a block of chemotherapy kills dividing normal cells in a
  healthy adult, as induction does. The counts then fall in the order of how long each cell lives in the blood and
  how long the marrow's store of maturing cells can top it up: neutrophils first, platelets next, haemoglobin last;
- **it is crowded out over weeks** (an acute leukaemia preset): all lines fall together, and the order is read as
  the day each count first falls to a given share of its own starting value.

:func:`count_falls` returns, for the neutrophils (ANC), platelets and haemoglobin, the day each reaches each share
of its start and the day it first goes below a lower reference limit passed in by the caller. The order of
*crossings* of reference limits also depends on how far above its limit each count started (the set points), so
the order of *relative* falls is the one that reflects the biology.

Days are counted from ``from_day`` (the day the marrow stops, or day 0 of an untreated course). Counts ×10^9/L,
haemoglobin g/dL. Pure: the caller passes parameters, a result and limits; nothing is read here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .progression import ProgressionParameters, ProgressionResult

FALLING_COUNTS = ("anc", "platelets", "haemoglobin")
COUNT_NAMES = {"anc": "neutrophils", "platelets": "platelets", "haemoglobin": "haemoglobin"}
COUNT_UNITS = {"anc": "×10^9/L", "platelets": "×10^9/L", "haemoglobin": "g/dL"}
DEFAULT_SHARES = (0.75, 0.5)


@dataclass(frozen=True)
class CountFall:
    """How one count fell: ``days_to_share[share]`` is the first day (after ``from_day``) the count was at or below
    ``share`` × its starting value, None if it never was; ``days_below_limit`` likewise for ``lower_limit``."""

    quantity: str
    start_value: float
    units: str
    days_to_share: Mapping[float, int | None]
    lower_limit: float | None
    days_below_limit: int | None

    @property
    def name(self) -> str:
        return COUNT_NAMES[self.quantity]


def marrow_stop_parameters(
    healthy: ProgressionParameters, *, stop_day: float, normal_log_kill: float, block_days: float
) -> ProgressionParameters:
    """The healthy parameters with one block of chemotherapy from ``stop_day`` (days) that kills ``normal_log_kill``
    logs (base 10) of dividing normal cells over ``block_days`` days, and no leukaemic clone."""
    for name, value in (("stop_day", stop_day), ("normal_log_kill", normal_log_kill), ("block_days", block_days)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} = {value!r}; expected a finite number > 0 (days, or logs for the kill)")
    return dataclasses.replace(
        healthy,
        preset=f"{healthy.preset} (marrow stopped)",
        clone_start_fraction=0.0,
        treatment="induction",
        treatment_start_day=float(stop_day),
        induction_days=float(block_days),
        induction_normal_log_kill=float(normal_log_kill),
        induction_clone_log_kill=0.0,
        continuation_kill_rate=0.0,
        continuation_days=0.0,
    )


def _first_day(values: np.ndarray, level: float) -> int | None:
    hits = np.nonzero(values <= level)[0]
    return int(hits[0]) if hits.size else None


def count_falls(
    result: ProgressionResult,
    *,
    from_day: int = 0,
    lower_limits: Mapping[str, float] | None = None,
    shares: Sequence[float] = DEFAULT_SHARES,
) -> tuple[CountFall, ...]:
    """For the ANC, platelets and haemoglobin of ``result``: the first day, counted from ``from_day``, on which each
    count was at or below each share of its value on ``from_day`` (shares between 0 and 1), and below its lower
    limit (``lower_limits``: quantity → limit in the count's units; a missing quantity has no limit)."""
    limits = dict(lower_limits or {})
    unknown = sorted(set(limits) - set(FALLING_COUNTS))
    if unknown:
        raise ValueError(f"lower_limits has {', '.join(unknown)}; expected only {', '.join(FALLING_COUNTS)}")
    for share in shares:
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
            raise ValueError(f"share = {share!r}; expected a fraction between 0 and 1 (0.5 means half the start)")
    length = len(result.days)
    if isinstance(from_day, bool) or not isinstance(from_day, int) or not 0 <= from_day < length:
        raise ValueError(f"from_day = {from_day!r}; expected a whole day from 0 to {length - 1}")
    falls = []
    for quantity in FALLING_COUNTS:
        values = np.asarray(getattr(result, quantity), dtype=float)[from_day:]
        start = float(values[0])
        limit = limits.get(quantity)
        falls.append(
            CountFall(
                quantity=quantity,
                start_value=start,
                units=COUNT_UNITS[quantity],
                days_to_share={float(share): _first_day(values, share * start) for share in shares},
                lower_limit=limit,
                days_below_limit=None if limit is None else _first_day(values, limit - 1e-9),
            )
        )
    return tuple(falls)


def _order(days: Mapping[str, int | None]) -> tuple[str, ...]:
    never = math.inf
    return tuple(sorted(days, key=lambda quantity: never if (day := days[quantity]) is None else day))


def order_of_relative_fall(falls: Sequence[CountFall], share: float) -> tuple[str, ...]:
    """The counts in the order they first reached ``share`` of their start (a count that never did comes last)."""
    return _order({fall.quantity: fall.days_to_share[float(share)] for fall in falls})


def order_of_leaving_range(falls: Sequence[CountFall]) -> tuple[str, ...]:
    """The counts in the order they first went below their lower limits (never, or no limit: last)."""
    return _order({fall.quantity: fall.days_below_limit for fall in falls})
