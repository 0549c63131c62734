"""The virtual cohort's two fitted numbers, and its patient-level shares beside the trials' (numpy only, no I/O).

What is fitted (only ``use = "fit"`` targets; :func:`fit_targets` drops the rest before anything is fitted)
    - ``bleeding_tendency_sd``: the patient-to-patient spread of bleeding tendency (sd of a normal offset on every
      day's log-odds), found by bisection so that the ``prophylactic <10`` arm of the adult cohort reproduces
      PLADO's share of adults with grade ≥2A bleeding (57.2 %). More spread concentrates bleeds in fewer patients,
      so the share falls as the spread grows;
    - the child offset on the grade ≥2 log-odds: the paediatric PLADO analysis gives each age group's share of
      children who bled beside the adults' share in the same paper. Their odds ratios (child / adult) are
      averaged on the log scale (the groups' sizes were not read, so they weigh equally) and applied to the
      cohort's adult share; the offset is the one at which a cohort of children, on the same count courses,
      reaches that share. Its bootstrap draws redraw the log odds ratio with the spread between the age groups
      (standard error = their standard deviation / √groups).

What is only checked (``use = "check"``): PLADO's grade ≥3 share, the paediatric analysis's median days with
grade ≥2 bleeding (children 3, adults 1: the fit saw only shares of patients), and the strategy trials (TOPPS,
Wandt 2012), whose contrast is the out-of-sample comparison. A check whose model value is a fitted quantity (the
same measure under the same strategy as a fitted target: the PLADO primary paper's grade ≥2 share, TOPPS's share
under prophylaxis) cannot fail: :func:`same_as_fit` finds such rows and the tables show them as context.

The cohort itself is :mod:`petechiae_edu.models.cohort`; its count courses are illustrative, so the fitted spread
and offset hold for those courses only.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .bleeding import BleedingParameters
from .cohort import CohortDraws, CohortResult, CohortSettings, simulate_cohort

TENDENCY_RANGE = (0.0, 5.0)  # log-odds sd searched
CHILD_SHIFT_GRID = np.linspace(0.0, 4.0, 81)  # log-odds offsets tried for the child curve
BISECTION_STEPS = 30


class CohortTargetLike(Protocol):
    """What the cohort fit reads from a patient-level figure (``CohortTarget`` in the content store)."""

    @property
    def key(self) -> str: ...
    @property
    def measure(self) -> str: ...
    @property
    def strategy(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def reference_value(self) -> float | None: ...
    @property
    def use(self) -> str: ...


def fit_targets(targets: Sequence[CohortTargetLike]) -> tuple[CohortTargetLike, ...]:
    """The targets the fit may see: ``use = "fit"`` only."""
    return tuple(t for t in targets if t.use == "fit")


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class CohortInputs:
    """Everything the cohort runs need besides the spread and the offset being fitted."""

    settings: CohortSettings  # with platelet survival and vascular use filled in
    parameters: BleedingParameters
    fever_odds_ratio: float
    draws: CohortDraws

    def run(self, tendency_sd: float, shift: float = 0.0, strategies=("prophylactic <10",)) -> CohortResult:
        settings = dataclasses.replace(self.settings, bleeding_tendency_sd=float(tendency_sd))
        return simulate_cohort(
            settings,
            parameters=self.parameters,
            fever_odds_ratio=self.fever_odds_ratio,
            strategies=tuple(strategies),
            draws=self.draws,
            grade2_log_odds_shift=float(shift),
        )


def _only(targets: Sequence[CohortTargetLike], measure: str) -> list[CohortTargetLike]:
    return [t for t in fit_targets(targets) if t.measure == measure]


def fit_tendency_sd(inputs: CohortInputs, targets: Sequence[CohortTargetLike]) -> float:
    """The spread of bleeding tendency at which the adult cohort reproduces the fitted patient share (bisection)."""
    (target,) = _only(targets, "patients_with_grade2")  # one adult share is fitted
    low, high = TENDENCY_RANGE

    def share(sd: float) -> float:
        return inputs.run(sd, strategies=(target.strategy,)).outcomes[target.strategy].share_with_grade2_bleeding

    if not share(high) <= target.value <= share(low):
        raise ValueError(f"no spread in {TENDENCY_RANGE} gives {target.value:.1%} of patients with grade ≥2 bleeding")
    for _ in range(BISECTION_STEPS):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if share(middle) > target.value else (low, middle)
    return 0.5 * (low + high)


def child_log_odds_ratio(targets: Sequence[CohortTargetLike]) -> tuple[float, float]:
    """Mean and standard error of the children's log odds ratio (child / adult share) over the fitted age groups."""
    children = _only(targets, "child_patients_with_grade2")
    if not children:
        raise ValueError("no 'fit' target of measure child_patients_with_grade2")
    ratios = np.array([_logit(t.value) - _logit(t.reference_value) for t in children])  # type: ignore[arg-type]
    spread = float(np.std(ratios, ddof=1) / math.sqrt(len(ratios))) if len(ratios) > 1 else 0.25
    return float(ratios.mean()), spread


def child_share_curve(inputs: CohortInputs, tendency_sd: float) -> np.ndarray:
    """The cohort's share of children with grade ≥2 bleeding at each offset of :data:`CHILD_SHIFT_GRID`."""
    return np.array(
        [
            inputs.run(tendency_sd, shift).outcomes["prophylactic <10"].share_with_grade2_bleeding
            for shift in CHILD_SHIFT_GRID
        ]
    )


def shift_for_share(curve: np.ndarray, share: float | np.ndarray) -> np.ndarray:
    """Invert :func:`child_share_curve` by linear interpolation (the share rises with the offset)."""
    increasing = np.maximum.accumulate(curve)  # guard against sampling wiggles at the top
    return np.asarray(np.interp(share, increasing, CHILD_SHIFT_GRID))


def fit_child_shift(
    inputs: CohortInputs, targets: Sequence[CohortTargetLike], tendency_sd: float, *, draws: int, seed: int
) -> tuple[float, np.ndarray]:
    """The child offset and its ``draws`` bootstrap draws (seeded)."""
    adult = inputs.run(tendency_sd).outcomes["prophylactic <10"].share_with_grade2_bleeding
    mean, spread = child_log_odds_ratio(targets)
    curve = child_share_curve(inputs, tendency_sd)
    centre = float(shift_for_share(curve, _logistic(_logit(adult) + mean)))
    ratios = mean + spread * np.random.default_rng(seed).standard_normal(draws)
    shares = 1 / (1 + np.exp(-(_logit(adult) + ratios)))
    return centre, shift_for_share(curve, shares)


@dataclass(frozen=True)
class TargetCheck:
    """One patient-level figure beside the cohort's value and its bootstrap interval.

    Shares are fractions; for a child share the compared quantity is the odds ratio child / adult (the paper's
    against the cohort's), which is what the child offset is fitted to; ``strategy_contrast`` is a difference in
    shares (therapeutic only minus prophylactic <10); ``child_median_grade2_days`` compares the children's median
    number of days with grade ≥2 bleeding (days), with the adults' median beside it (``published_reference``,
    ``model_reference``).

    ``same_as_fit`` names the fitted target whose quantity this check's model value IS (same measure, same
    strategy): such a row cannot fail whatever the data say, so it is shown as context, not as a check.
    """

    key: str
    use: str
    measure: str
    strategy: str
    published: float
    model: float
    model_low: float
    model_high: float
    published_reference: float | None = None  # the adults' figure beside a children's one
    model_reference: float | None = None
    same_as_fit: str = ""

    @property
    def role(self) -> str:
        """``fit``, ``check`` (could fail), or ``context`` (a check whose model value is a fitted one)."""
        if self.use == "fit":
            return "fit"
        return "context" if self.same_as_fit else "check"

    def cells(self, units: bool = True) -> tuple[str, str]:
        """The published figure and the model's (with its 95 % interval) as short texts; ``units`` spells them out."""
        values = (self.published, self.model, self.model_low, self.model_high)
        if self.measure == "child_median_grade2_days":
            return (
                f"children {self.published:g} vs adults {self.published_reference:g} days (median)",
                f"children {self.model:g} vs adults {self.model_reference:g} days "
                f"(children {self.model_low:.1f} to {self.model_high:.1f})",
            )
        if self.measure == "child_patients_with_grade2":
            shown, unit = [f"{v:.2f}" for v in values], ""
            shown[:2] = [f"{'odds ratio ' if units else ''}{v}" for v in shown[:2]]
        elif self.measure == "strategy_contrast":
            shown, unit = [f"{100 * v:+.1f}" for v in values], " points"
        elif self.measure == "transfusion_reduction":
            shown, unit = [f"{100 * v:.1f} %" for v in values], " fewer transfusions" if units else ""
        else:
            shown, unit = [f"{100 * v:.1f} %" for v in values], " of patients" if units else ""
        return shown[0] + unit, f"{shown[1]}{unit} ({shown[2]} to {shown[3]})"

    def summary(self) -> str:
        labels = {
            "child_patients_with_grade2": "odds ratio child/adult",
            "strategy_contrast": "therapeutic only minus prophylactic <10, grade ≥2 share",
            "child_median_grade2_days": "days with grade ≥2 bleeding",
            "transfusion_reduction": "fewer transfusions than prophylactic <10",
        }
        label = labels.get(self.measure, self.strategy)
        published, model = self.cells(units=False)
        text = f"{self.key} ({self.use}, {label}): published {published}, model {model}"
        if self.role == "context":
            text += f"; cannot fail: the model value is the fitted {self.same_as_fit}"
        return text


ROLE_TITLES = (
    ("fit", "Fitted figures"),
    ("check", "Check figures (never seen by any fit)"),
    ("context", "Context, not checks (never fitted, but the model value is a fitted one, so they cannot fail)"),
)


def check_summary_text(rows: Sequence[TargetCheck]) -> str:
    """The rows grouped as fitted, checks and context, one line each (lesson 04's deep dive prints it)."""
    lines = ["Virtual cohort (prophylaxis below 10 ×10^9/L unless named); model value with its 95 % bootstrap interval"]
    for role, title in ROLE_TITLES:
        own = [row for row in rows if row.role == role]
        if own:
            lines.append(f"  {title}:")
            lines += ["    " + row.summary() for row in own]
    return "\n".join(lines)


def _odds(p: float) -> float:
    return p / (1 - p)


def _published(target: CohortTargetLike) -> float:
    if target.measure == "child_patients_with_grade2":
        return _odds(target.value) / _odds(target.reference_value)  # type: ignore[arg-type]
    return target.value


def _value(target: CohortTargetLike, adult: CohortResult, child: CohortResult) -> float:
    prophylaxis = adult.outcomes["prophylactic <10"]
    if target.measure == "child_patients_with_grade2":
        return _odds(child.outcomes[target.strategy].share_with_grade2_bleeding) / _odds(
            prophylaxis.share_with_grade2_bleeding
        )
    if target.measure == "child_median_grade2_days":
        return child.outcomes[target.strategy].median_grade2_bleeding_days
    outcome = adult.outcomes[target.strategy]
    if target.measure == "patients_with_grade3":
        return outcome.share_with_grade3_bleeding
    if target.measure == "transfusion_reduction":
        return 1 - outcome.mean_transfusions / prophylaxis.mean_transfusions
    return outcome.share_with_grade2_bleeding


def same_as_fit(target: CohortTargetLike, targets: Sequence[CohortTargetLike]) -> str:
    """The key of the fitted target whose model quantity a check target shares (same measure and strategy), or ""."""
    if target.use == "fit" or target.measure not in ("patients_with_grade2", "patients_with_grade3"):
        return ""
    for fitted in fit_targets(targets):
        if fitted.measure == target.measure and fitted.strategy == target.strategy:
            return fitted.key
    return ""


def _contrast(adult: CohortResult) -> float:
    outcomes = adult.outcomes
    return (
        outcomes["therapeutic only"].share_with_grade2_bleeding
        - outcomes["prophylactic <10"].share_with_grade2_bleeding
    )


def cohort_check_table(
    inputs: CohortInputs,
    targets: Sequence[CohortTargetLike],
    tendency_sd: float,
    child_shift: float,
    parameter_draws: np.ndarray,
    child_draws: np.ndarray,
    interval_inputs: CohortInputs | None = None,
    contrast: tuple[str, str] | None = None,
) -> tuple[TargetCheck, ...]:
    """Every target beside the cohort's value, with the 2.5–97.5 percentile over the given bootstrap draws.

    ``interval_inputs`` (default ``inputs``) may be a smaller cohort for the draws. ``contrast`` names two
    targets (therapeutic only, prophylactic <10) of one trial: a last row compares their difference with the
    cohort's.
    """
    strategies = ("prophylactic <10", "therapeutic only")

    def values(inp: CohortInputs, shift: float) -> list[float]:
        adult = inp.run(tendency_sd, strategies=strategies)
        child = inp.run(tendency_sd, shift)
        adult_days = adult.outcomes["prophylactic <10"].median_grade2_bleeding_days
        return [_value(t, adult, child) for t in targets] + [_contrast(adult), adult_days]

    central = values(inputs, child_shift)
    base = interval_inputs or inputs
    spread = np.array(
        [
            values(dataclasses.replace(base, parameters=BleedingParameters.from_array(row)), float(shift))
            for row, shift in zip(parameter_draws, child_draws, strict=True)
        ]
    )
    low, high = np.percentile(spread, [2.5, 97.5], axis=0) if len(spread) else (central, central)
    rows = [
        TargetCheck(
            t.key, t.use, t.measure, t.strategy, _published(t), central[i], float(low[i]), float(high[i]),
            published_reference=t.reference_value if t.measure == "child_median_grade2_days" else None,
            model_reference=central[-1] if t.measure == "child_median_grade2_days" else None,
            same_as_fit=same_as_fit(t, targets),
        )
        for i, t in enumerate(targets)
    ]  # fmt: skip
    if contrast is not None:
        by_key = {t.key: t for t in targets}
        published = by_key[contrast[0]].value - by_key[contrast[1]].value
        rows.append(
            TargetCheck(
                f"{contrast[0]} − {contrast[1]}", "check", "strategy_contrast", "therapeutic only",
                published, central[-2], float(low[-2]), float(high[-2]),
            )
        )  # fmt: skip
    return tuple(rows)
