"""The result of a simulated group of virtual patients: survival from diagnosis, causes of death, daily shares.

Times
    Arrays indexed by *course day* run from day 0 of the progression model (a clone of 1 in 10,000 marrow cells
    for the acute presets). Each patient's *diagnosis day* is the day they present (the rule is stated in
    :mod:`petechiae_edu.models.virtual_patient`); :meth:`PatientGroup.dead_by`, the survival curve and the daily
    shares count days **after diagnosis**, from 0 to ``days``. A patient who never presents (the healthy preset)
    is followed from course day 0.

No I/O, no plotting: :mod:`petechiae_edu.figures.virtual_patient` draws these results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import validation

CAUSES = ("bleeding", "infection")  # cause codes 1, 2 (0: alive at the end of the window)


@dataclass(frozen=True)
class PatientCourse:
    """One patient's course, day by day (course days; counts ×10^9/L, haemoglobin g/dL)."""

    index: int
    diagnosis_day: int
    death_day: int | None  # course day of death, None if alive at the end
    cause: str | None
    treatment_start_day: int | None
    transformation_day: int | None
    platelets: np.ndarray
    anc: np.ndarray
    haemoglobin: np.ndarray
    infected: np.ndarray
    bleeding_grade2: np.ndarray
    bleeding_grade3: np.ndarray
    intracranial: np.ndarray

    @property
    def last_day(self) -> int:
        """The last course day shown: the day of death, or the end of the window."""
        return self.death_day if self.death_day is not None else len(self.platelets) - 1


@dataclass(frozen=True)
class PatientGroup:
    """A simulated group: per patient (P) and per course day (T) arrays, read-only; see the module docstring."""

    preset: str
    days: int
    treatment: bool
    supportive_care: bool
    seed: int
    diagnosis_day: np.ndarray  # (P,) course day
    death_day: np.ndarray  # (P,) course day of death, -1 if alive at the end
    cause_code: np.ndarray  # (P,) 0 alive, 1 bleeding, 2 infection
    transformation_day: np.ndarray  # (P,) course day of CML blast transformation, -1 if none
    treatment_start_day: np.ndarray  # (P,) course day induction/TKI starts, -1 if none
    platelets: np.ndarray = field(repr=False)  # (P, T)
    anc: np.ndarray = field(repr=False)
    haemoglobin: np.ndarray = field(repr=False)
    infected: np.ndarray = field(repr=False)  # (P, T) bool: a day with an infection (fever)
    bleeding_grade2: np.ndarray = field(repr=False)
    bleeding_grade3: np.ndarray = field(repr=False)
    intracranial: np.ndarray = field(repr=False)
    petechiae_probability: np.ndarray = field(repr=False)  # (P, T) chance that spots are visible that day

    @property
    def patients(self) -> int:
        return int(self.diagnosis_day.size)

    @property
    def survival_days(self) -> np.ndarray:
        """Days from diagnosis to death (float; inf for those alive at the end of their window)."""
        dead = self.death_day >= 0
        return np.where(dead, self.death_day - self.diagnosis_day, np.inf).astype(float)

    def dead_by(self, day: float) -> float:
        """Share of patients (0–1) dead by ``day`` days after diagnosis (0 ≤ day ≤ ``days``)."""
        day = validation.number(day, "day", unit="days after diagnosis", low=0.0, high=float(self.days))
        return float(np.mean(self.survival_days <= day))

    @property
    def deaths_by_cause(self) -> dict[str, int]:
        """Number of patients who died within ``days`` days of diagnosis, by cause."""
        within = self.survival_days <= self.days
        return {cause: int(np.sum(within & (self.cause_code == code))) for code, cause in enumerate(CAUSES, 1)}

    def deaths_per_1000_days(self, cause: str) -> float:
        """Deaths from ``cause`` (``"bleeding"`` or ``"infection"``) per 1,000 days lived after diagnosis, within
        ``days``: a rate, so a group that lives longer does not show more deaths just for having more days at risk."""
        if cause not in CAUSES:
            raise validation.InputValueError(f"cause = {cause!r}; expected one of {', '.join(CAUSES)}")
        lived = float(np.minimum(self.survival_days, self.days).sum())
        return 1000.0 * self.deaths_by_cause[cause] / lived if lived else 0.0

    def intracranial_bleeds_per_1000_days(self) -> float:
        """Intracranial bleeds (fatal or not) per 1,000 days lived after diagnosis, within ``days``: more events than
        bleeding deaths, so a steadier measure of what prophylactic platelets change."""
        offsets = self.diagnosis_day[:, None] + np.arange(self.days + 1)[None, :]
        inside = offsets < self.intracranial.shape[1]
        bleeds = np.take_along_axis(self.intracranial, np.minimum(offsets, self.intracranial.shape[1] - 1), axis=1)
        lived = float(np.minimum(self.survival_days, self.days).sum())
        return 1000.0 * float(np.sum(bleeds & inside)) / lived if lived else 0.0

    @property
    def dead(self) -> int:
        """Number of patients dead within ``days`` days of diagnosis."""
        return int(np.sum(self.survival_days <= self.days))

    def survival_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(days after diagnosis 0..``days``, share alive 0–1) for plotting."""
        days = np.arange(self.days + 1)
        deaths = np.sort(self.survival_days)
        alive = 1.0 - np.searchsorted(deaths, days, side="right") / self.patients
        return days, alive

    def median_survival_days(self) -> float | None:
        """Median days from diagnosis to death, or None when half are alive at the end."""
        days, alive = self.survival_curve()
        below = np.flatnonzero(alive <= 0.5)
        return float(days[below[0]]) if below.size else None

    def _from_diagnosis(self, daily: np.ndarray) -> np.ndarray:
        """Share (0–1) of patients alive on each day after diagnosis for whom ``daily`` holds (mean of a chance)."""
        offsets = np.arange(self.days + 1)
        index = self.diagnosis_day[:, None] + offsets[None, :]
        inside = index < daily.shape[1]
        values = np.take_along_axis(daily, np.minimum(index, daily.shape[1] - 1), axis=1).astype(float)
        alive = (self.death_day[:, None] < 0) | (index <= self.death_day[:, None])
        counted = inside & alive
        total = counted.sum(axis=0)
        return np.where(total > 0, (values * counted).sum(axis=0) / np.maximum(total, 1), 0.0)

    def share_with_petechiae(self) -> np.ndarray:
        """Per day after diagnosis, the expected share of living patients with at least one visible petechia (from
        the illustrative petechiae model's rate at the day's platelet count, spots visible for its 5 days)."""
        return self._from_diagnosis(self.petechiae_probability)

    def share_bleeding(self, grade: int = 2) -> np.ndarray:
        """Per day after diagnosis, the share of living patients with WHO grade ≥``grade`` bleeding (2 or 3)."""
        if grade not in (2, 3):
            raise validation.InputValueError(f"grade = {grade!r}; expected 2 (WHO grade ≥2) or 3 (grade ≥3)")
        return self._from_diagnosis(self.bleeding_grade2 if grade == 2 else self.bleeding_grade3)

    def share_infected(self) -> np.ndarray:
        """Per day after diagnosis, the share of living patients with an infection (fever) that day."""
        return self._from_diagnosis(self.infected)

    def patient(self, index: int) -> PatientCourse:
        """One patient's course (for the day-by-day explorer)."""
        index = validation.whole_number(index, "index", low=0, high=self.patients - 1)

        def day_or_none(value: int) -> int | None:
            return int(value) if value >= 0 else None

        code = int(self.cause_code[index])
        return PatientCourse(
            index=index,
            diagnosis_day=int(self.diagnosis_day[index]),
            death_day=day_or_none(self.death_day[index]),
            cause=CAUSES[code - 1] if code else None,
            treatment_start_day=day_or_none(self.treatment_start_day[index]),
            transformation_day=day_or_none(self.transformation_day[index]),
            platelets=self.platelets[index],
            anc=self.anc[index],
            haemoglobin=self.haemoglobin[index],
            infected=self.infected[index],
            bleeding_grade2=self.bleeding_grade2[index],
            bleeding_grade3=self.bleeding_grade3[index],
            intracranial=self.intracranial[index],
        )

    def summary(self) -> dict[str, float | int | None]:
        """Rounded headline figures: dead by 30/90/180 days after diagnosis, deaths by cause, median survival."""
        out: dict[str, float | int | None] = {
            f"dead_by_{d}": round(self.dead_by(d), 2) for d in (30, 90, 180) if d <= self.days
        }
        out.update(self.deaths_by_cause)
        out["median_survival_days"] = self.median_survival_days()
        return out
