"""The daily events of many virtual patients at once: infection, bleeding, intracranial bleeding, death.

Given each patient's daily counts (patients × days arrays), this module draws, with one seeded generator and
vectorised uniforms against daily probabilities:

- **infection** (:mod:`petechiae_edu.models.infection`): a new infection starts with the day's hazard unless one is
  running; it lasts ``episode_days`` (fever days) and is fatal with the case fatality (with or without prompt
  antibiotics), on its last day. This is the only part drawn day by day in a loop, because an episode blocks the
  next; the loop is over days, vectorised over patients.
- **bleeding**: WHO grade ≥2 and ≥3 from the course's bleeding model at the day's platelet count (looked up in a
  table the caller builds from :func:`petechiae_edu.calibrated.bleeding_probability`), with the model's odds ratio
  for fever ≥38 °C on infection days and for a haematocrit ≤25 % (ASSUMED: haemoglobin ≤ 8.3 g/dL, haematocrit ≈ 3 ×
  haemoglobin). One uniform per day decides both grades, so a grade ≥3 day is always a grade ≥2 day. The model is
  applied only below ``bleeding_upper_count`` (above it low platelets are not why people bleed).
- **intracranial bleeding** with a daily chance that depends on the day's platelet count (the transfused count
  under prophylaxis, :func:`intracranial_probability`): PLADO's 0.2 % of days (patients transfused below 10
  ×10^9/L) from ``intracranial_high_count`` (10) up to ``intracranial_below`` (50) ×10^9/L, Gmür's 0.76 % of days
  at or below ``intracranial_low_count`` (1), and between them log-linear in the count (the logarithm of the daily
  chance falls on a straight line from 1 to 10 ×10^9/L: an ASSUMPTION, no source gives the shape). None at or
  above ``intracranial_below``. Fatal with ``intracranial_fatality``. The model ASSUMES that no other bleeding
  kills, so prophylactic platelets save lives only by keeping the count out of the steep part below 10.
- **supportive care** (optional): prophylactic platelet transfusion below ``transfusion_trigger`` ×10^9/L, drawn as
  an ASSUMED time-averaged count between transfusions; prompt antibiotics (the lower case fatality).

Death ends the course: nothing is drawn after it. No I/O; the caller passes every table and number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .infection import InfectionParameters, days_neutropenic, infection_hazard

HAEMATOCRIT_25_AS_HAEMOGLOBIN = 25.0 / 3.0  # g/dL: ASSUMED haematocrit ≈ 3 × haemoglobin


@dataclass(frozen=True)
class CountTable:
    """A probability looked up by platelet count on a log grid (counts ×10^9/L; values: (..., n) arrays)."""

    low: float
    high: float
    values: np.ndarray  # last axis: grid points, log-spaced in (count + 0.5) from low to high

    @staticmethod
    def grid(low: float, high: float, points: int) -> np.ndarray:
        return np.exp(np.linspace(np.log(low + 0.5), np.log(high + 0.5), points)) - 0.5

    def index(self, counts: np.ndarray) -> np.ndarray:
        """Nearest grid index of each count (counts outside the grid take the end points)."""
        n = self.values.shape[-1]
        a, b = np.log(self.low + 0.5), np.log(self.high + 0.5)
        position = (np.log(np.clip(counts, self.low, self.high) + 0.5) - a) * ((n - 1) / (b - a))
        return np.rint(position).astype(np.intp)


@dataclass(frozen=True)
class EventParameters:
    """Everything the daily draw needs besides the counts (per-day probabilities, counts ×10^9/L, g/dL)."""

    infection: InfectionParameters
    bleeding: CountTable  # values (2 grades, 2 fever, 2 haematocrit, n): grade ≥2 then ≥3
    petechiae: CountTable  # values (n,): chance that petechiae are visible on a day at that count
    bleeding_upper_count: float = 100.0
    intracranial_daily: float = 0.002  # at intracranial_high_count and above (below intracranial_below)
    intracranial_below: float = 50.0
    intracranial_high_count: float = 10.0
    intracranial_low_count: float = 1.0
    intracranial_daily_low: float = 0.0076  # at intracranial_low_count and below
    intracranial_fatality: float = 0.24
    supportive_care: bool = False
    transfusion_trigger: float = 10.0
    transfused_mean_count: float = 20.0
    transfused_haemoglobin: float = 7.0


@dataclass(frozen=True)
class Events:
    """What happened, per patient and course day (bool arrays), with each patient's death day and cause."""

    infected: np.ndarray
    infection_onset: np.ndarray
    bleeding_grade2: np.ndarray
    bleeding_grade3: np.ndarray
    intracranial: np.ndarray
    petechiae_probability: np.ndarray
    death_day: np.ndarray  # -1: alive at the end
    cause_code: np.ndarray  # 0 alive, 1 bleeding, 2 infection


def _first_true(mask: np.ndarray) -> np.ndarray:
    """Index of the first True along the last axis, -1 where none."""
    first = np.argmax(mask, axis=-1)
    return np.where(mask.any(axis=-1), first, -1)


def intracranial_probability(counts: np.ndarray, parameters: EventParameters) -> np.ndarray:
    """Daily chance (0–1) of an intracranial bleed at platelet ``counts`` (×10^9/L); see the module docstring.

    ``intracranial_daily_low`` at or below ``intracranial_low_count``, ``intracranial_daily`` from
    ``intracranial_high_count`` up to ``intracranial_below``, log-linear in the count between (ASSUMED), zero at or
    above ``intracranial_below``.
    """
    p = parameters
    counts = np.asarray(counts)
    dtype = counts.dtype if counts.dtype.kind == "f" else np.float64
    chance = np.where(counts < p.intracranial_below, p.intracranial_daily, 0.0).astype(dtype)
    steep = counts < p.intracranial_high_count  # only these need the log-linear part
    if steep.any():
        span = p.intracranial_high_count - p.intracranial_low_count
        position = np.clip((p.intracranial_high_count - counts[steep]) / span, 0.0, 1.0)  # 0 at high, 1 at low
        chance[steep] = p.intracranial_daily * (p.intracranial_daily_low / p.intracranial_daily) ** position
    return chance


def draw_events(
    platelets: np.ndarray, anc: np.ndarray, haemoglobin: np.ndarray, parameters: EventParameters, seed: int
) -> Events:
    """Draw the events of ``P`` patients over ``T`` days from their (P, T) counts; see the module docstring.

    Each kind of chance has its own generator (from ``seed``) and draws day by day (one row of uniforms per day),
    so the draws of the first days do not depend on how many days follow: counts that agree up to a day give the
    same events up to that day.
    """
    p = parameters
    ich_draws, ich_fatal_draws, infection_draws, fatal_draws, bleeding_draws = (
        np.random.default_rng([seed, 7, stream]) for stream in range(5)
    )
    patients, days = platelets.shape
    care = p.supportive_care
    risk_count = np.where(care & (platelets < p.transfusion_trigger), p.transfused_mean_count, platelets)
    index = p.bleeding.index(risk_count)  # the bleeding and petechiae tables share one grid
    petechiae_probability = p.petechiae.values[index]
    # nothing can happen before the first day anyone is neutropenic or thrombocytopenic: draw from there on
    risky = (anc < p.infection.neutropenia_below) | (risk_count < p.bleeding_upper_count)
    first = int(np.argmax(risky.any(axis=0))) if risky.any() else days
    n = days - first
    infected = np.zeros((patients, days), dtype=bool)
    onset_days = np.zeros((patients, days), dtype=bool)
    bleeding2 = np.zeros((patients, days), dtype=bool)
    bleeding3 = np.zeros((patients, days), dtype=bool)
    intracranial = np.zeros((patients, days), dtype=bool)
    death = np.full(patients, days)
    cause = np.zeros(patients, dtype=np.intp)
    if n:
        window = slice(first, days)
        neut = anc[:, window]
        hb = np.maximum(haemoglobin[:, window], p.transfused_haemoglobin) if care else haemoglobin[:, window]
        # intracranial bleeding at the day's (transfused) count, drawn first (fever does not change it)
        ich_chance = intracranial_probability(risk_count[:, window], p)
        ich = ich_draws.random((n, patients), dtype=np.float32).T < ich_chance
        fatal_ich = ich & (ich_fatal_draws.random((n, patients), dtype=np.float32).T < p.intracranial_fatality)
        ich_death = np.where(fatal_ich.any(axis=1), np.argmax(fatal_ich, axis=1), n)
        # infection: a candidate onset is a day whose uniform falls below the hazard (vectorised); the loop then
        # keeps only candidates outside a running episode, over the days that have any candidate
        hazard = infection_hazard(neut, days_neutropenic(neut, p.infection.neutropenia_below), p.infection)
        # day-major (one contiguous row per day) for the loop below
        candidate = (infection_draws.random((n, patients), dtype=np.float32) < hazard.T) & (
            np.arange(n)[:, None] < ich_death[None, :]
        )
        fatality = p.infection.case_fatality_with_antibiotics if care else p.infection.case_fatality_without_antibiotics
        length = p.infection.episode_days
        busy_until = np.zeros(patients, dtype=np.intp)
        infection_death = np.full(patients, n)
        onsets = np.zeros((n, patients), dtype=bool)
        for t in np.flatnonzero(candidate.any(axis=1)):
            onset = candidate[t] & (busy_until <= t)
            onsets[t] = onset
            busy_until[onset] = t + length
            fatal = np.flatnonzero(onset)[fatal_draws.random(int(onset.sum())) < fatality]
            busy_until[fatal] = n + length  # a fatal episode ends the course: no later onset
            infection_death[fatal] = t + length - 1
        running = np.cumsum(onsets, axis=0, dtype=np.int16)
        running[length:] -= running[:-length].copy()
        fever = running > 0
        local_death = np.minimum(ich_death, infection_death)
        dead = local_death < n
        cause = np.where(~dead, 0, np.where(ich_death <= infection_death, 1, 2))
        death = np.where(dead, local_death + first, days)
        alive = np.arange(n)[None, :] <= np.where(dead, local_death, n)[:, None]
        fever = fever.T & alive
        # bleeding grades: one uniform per day, nested grades, fever and haematocrit odds ratios
        low_hct = (hb <= HAEMATOCRIT_25_AS_HAEMOGLOBIN).astype(np.intp)
        local_index = index[:, window]
        grid = p.bleeding.values.shape[-1]
        flat = (fever.astype(np.intp) * 2 + low_hct) * grid + local_index  # one index into (fever, hct, count)
        u = bleeding_draws.random((n, patients), dtype=np.float32).T
        usable = (risk_count[:, window] < p.bleeding_upper_count) & alive
        bleeding2[:, window] = usable & (u < np.take(p.bleeding.values[0].ravel(), flat))
        bleeding3[:, window] = usable & (u < np.take(p.bleeding.values[1].ravel(), flat))
        infected[:, window] = fever
        onset_days[:, window] = onsets.T & alive
        intracranial[:, window] = ich & alive
        petechiae_probability[:, window] *= alive
    dead_any = death < days
    petechiae_probability[dead_any[:, None] & (np.arange(days)[None, :] > death[:, None])] = 0.0
    return Events(
        infected=infected,
        infection_onset=onset_days,
        bleeding_grade2=bleeding2,
        bleeding_grade3=bleeding3,
        intracranial=intracranial,
        petechiae_probability=petechiae_probability,
        death_day=np.where(dead_any, death, -1),
        cause_code=cause,
    )


def first_event_day(events: Events) -> np.ndarray:
    """The first day of a grade ≥2 bleed, an infection or an intracranial bleed, per patient (-1: none)."""
    return _first_true(events.bleeding_grade2 | events.infection_onset | events.intracranial)
