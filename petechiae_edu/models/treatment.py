"""Treatment schedules for the progression model, as extra death rates and output divisors per day.

- **Induction chemotherapy** (acute presets): for ``induction_days`` the clone dies at an extra rate that
  removes ``induction_clone_log_kill`` logs of it, and normal stem tissue and precursor pools die at a rate
  that removes ``induction_normal_log_kill`` logs. Counts then fall (aplasia) and recover as normal stem
  tissue regrows faster than what is left of the clone: remission, if the clone was cut deep enough, or a
  relapse later. An optional **continuation** phase keeps a small extra death rate on the clone (standing in
  for consolidation and maintenance, which are not modelled course by course).
- **Tyrosine-kinase inhibitor** (CML), as in Michor 2005 (parameters read in the myelo reimplementation):
  from the start day on, leukaemic stem cells make 100 times fewer progenitors and progenitors 750 times fewer
  differentiated cells; the leukaemic stem cells themselves are untouched.
- **Watch and wait** (CLL) and **none**: no change to the model.

All numbers except the TKI divisors are teaching choices (see ``data/presets/progression.toml``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .haematopoiesis import Schedule

TREATMENTS = ("none", "induction", "tki", "watch_and_wait")


@dataclass(frozen=True)
class TreatmentPlan:
    """What is given and when. Days are counted from day 0 of the simulation."""

    kind: str
    start_day: float
    induction_days: float = 7.0
    induction_clone_log_kill: float = 0.0
    induction_normal_log_kill: float = 0.0
    continuation_kill_rate: float = 0.0
    continuation_days: float = 0.0
    tki_stem_output_divisor: float = 100.0
    tki_progenitor_output_divisor: float = 750.0

    def __post_init__(self) -> None:
        if self.kind not in TREATMENTS:
            raise ValueError(f"treatment '{self.kind}' is not one of: {', '.join(TREATMENTS)}")
        for name in (
            "start_day",
            "induction_days",
            "induction_clone_log_kill",
            "induction_normal_log_kill",
            "continuation_kill_rate",
            "continuation_days",
        ):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} = {value!r} must be a finite number ≥ 0")
        for name in ("tki_stem_output_divisor", "tki_progenitor_output_divisor"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 1:
                raise ValueError(f"{name} = {value!r} must be a finite number ≥ 1 (1 means no effect)")
        if self.kind == "induction" and self.induction_days <= 0:
            raise ValueError(f"induction_days = {self.induction_days!r} must be > 0 for induction chemotherapy")

    @property
    def active(self) -> bool:
        return self.kind in ("induction", "tki")

    @property
    def induction_end_day(self) -> float:
        return self.start_day + self.induction_days


def build_schedule(plan: TreatmentPlan | None, days: int) -> Schedule:
    """Daily extra death rates (per day) and TKI divisors for days 0..days (the value of day d acts on d→d+1)."""
    day = np.arange(days + 1, dtype=float)
    clone_kill = np.zeros(days + 1)
    normal_kill = np.zeros(days + 1)
    a_div = np.ones(days + 1)
    b_div = np.ones(days + 1)
    if plan is not None and plan.kind == "induction":
        during = (day >= plan.start_day) & (day < plan.induction_end_day)
        clone_kill[during] = plan.induction_clone_log_kill * math.log(10) / plan.induction_days
        normal_kill[during] = plan.induction_normal_log_kill * math.log(10) / plan.induction_days
        after = (day >= plan.induction_end_day) & (day < plan.induction_end_day + plan.continuation_days)
        clone_kill[after] = plan.continuation_kill_rate
    elif plan is not None and plan.kind == "tki":
        on = day >= plan.start_day
        a_div[on] = plan.tki_stem_output_divisor
        b_div[on] = plan.tki_progenitor_output_divisor
    return Schedule(clone_kill, normal_kill, a_div, b_div)
