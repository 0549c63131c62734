"""Daily risk of a new infection from the neutrophil count and how long it has been low: a teaching model.

What is sourced (``data/calibration/virtual_patient.toml`` holds each figure with its source)
    - Below 1.0 ×10^9/L granulocytes (Bodey's "granulocytopenia", <1000/mm³) any episode, whatever its length,
      ended in identified infection 39 % of the time; the share of time with infection rose as the count fell and
      as the episode lengthened; 12 % of one-week falls of the count ended in severe infection (Bodey 1966,
      abstract). The scale of the hazard is fitted to the 39 %; the 12 % is a check.
    - Febrile neutropenia treated in hospital: in-hospital mortality 9.5 %, median stay 6 days (Kuderer 2006,
      adults with any cancer): the case fatality of an infection under prompt antibiotics and its length.

What the model ASSUMES (no source gives these numbers; each is an ``[[assumption]]`` in the data file)
    - the shape: the hazard rises as (1 / ANC)^k below 1.0 ×10^9/L (ANC floored at a small value), with k
      chosen so that an ANC below 0.1 carries several times the risk of one near 1.0, as Bodey's abstract says
      in words but not in numbers here;
    - that each week spent below 1.0 ×10^9/L raises the hazard by a fixed fraction;
    - the reference episode the fit uses (ANC held at 0.5 ×10^9/L for 14 days) for Bodey's 39 %;
    - the case fatality of an infection without prompt antibiotics.
    - No infections are counted while the ANC is at or above 1.0 ×10^9/L: the model speaks only of infections
      that neutropenia causes. Lymphopenia, low immunoglobulins (CLL), mucositis and lines are left out.

No I/O: every function takes its parameters. Counts in ×10^9/L, durations in days, hazards per day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import validation


@dataclass(frozen=True)
class InfectionParameters:
    """Numbers of the infection model (ANC ×10^9/L, days, per-day hazards)."""

    neutropenia_below: float = 1.0  # ×10^9/L: Bodey's granulocytopenia (<1000/mm³)
    anc_exponent: float = 0.75  # ASSUMED shape
    anc_floor: float = 0.05  # ×10^9/L: ASSUMED, keeps (1/ANC)^k finite
    gain_per_week: float = 0.5  # ASSUMED rise of the hazard per week of neutropenia
    hazard_scale: float = 0.02  # per day at ANC = threshold on the first day (fitted by fit_hazard_scale)
    episode_days: int = 6  # days an infection (fever) lasts
    case_fatality_with_antibiotics: float = 0.095
    case_fatality_without_antibiotics: float = 0.3  # ASSUMED

    def __post_init__(self) -> None:
        validation.number(self.neutropenia_below, "neutropenia_below", unit="×10^9/L", above=0.0)
        validation.number(self.anc_exponent, "anc_exponent", low=0.0)
        validation.number(self.anc_floor, "anc_floor", unit="×10^9/L", above=0.0)
        validation.number(self.gain_per_week, "gain_per_week", low=0.0)
        validation.number(self.hazard_scale, "hazard_scale", unit="per day", low=0.0)
        validation.whole_number(self.episode_days, "episode_days", low=1, unit="days")
        for name in ("case_fatality_with_antibiotics", "case_fatality_without_antibiotics"):
            validation.number(getattr(self, name), name, low=0.0, high=1.0)


def days_neutropenic(anc: np.ndarray, below: float) -> np.ndarray:
    """For each day (last axis), how many days in a row the ANC has been below ``below`` (0 on a day above)."""
    low = np.asarray(anc) < below
    run = np.cumsum(low, axis=-1, dtype=np.int32)
    reset = np.maximum.accumulate(np.where(low, 0, run), axis=-1)
    return run - reset


def infection_hazard(anc: np.ndarray, days_low: np.ndarray, parameters: InfectionParameters) -> np.ndarray:
    """Probability per day of a new infection at ``anc`` ×10^9/L after ``days_low`` days below the threshold.

    Zero at or above ``neutropenia_below``; below it ``scale · (threshold / max(ANC, floor))^k · (1 + gain ·
    weeks)``, capped below 1. Never rises when the ANC rises (for a given duration); never falls as the duration
    lengthens.
    """
    p = parameters
    anc = np.asarray(anc)
    anc = anc if anc.dtype in (np.float32, np.float64) else anc.astype(float)  # float32 stays float32 (speed)
    kind = anc.dtype.type
    # (threshold / ANC)^k as exp(k · log): about 3 times faster than a power on large arrays
    relative = np.exp(kind(p.anc_exponent) * (kind(np.log(p.neutropenia_below)) - np.log(np.maximum(anc, p.anc_floor))))
    duration = kind(1.0) + kind(p.gain_per_week / 7.0) * np.asarray(days_low, dtype=anc.dtype)
    hazard = kind(p.hazard_scale) * relative * duration
    return np.where(anc < p.neutropenia_below, np.minimum(hazard, 0.95), 0.0)


def episode_infection_probability(anc: float, days: int, parameters: InfectionParameters) -> float:
    """Probability of at least one infection during ``days`` days held at ``anc`` ×10^9/L (from the first day)."""
    run = np.arange(1, days + 1)
    hazard = infection_hazard(np.full(days, anc), run, parameters)
    return float(1.0 - np.prod(1.0 - hazard))


def fit_hazard_scale(target: float, anc: float, days: int, parameters: InfectionParameters) -> float:
    """The ``hazard_scale`` at which an episode of ``days`` days at ``anc`` gives infection with probability
    ``target`` (bisection on the log scale; the answer is unique because the probability rises with the scale)."""
    target = validation.number(target, "target", low=0.0, high=1.0, expected="a probability between 0 and 1")
    low, high = 1e-6, 0.9
    for _ in range(80):
        middle = math.sqrt(low * high)
        trial = InfectionParameters(**{**parameters.__dict__, "hazard_scale": middle})
        if episode_infection_probability(anc, days, trial) < target:
            low = middle
        else:
            high = middle
    return math.sqrt(low * high)
