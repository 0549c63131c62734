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
    Transfused platelets survive about 9–10 days (Harker 1977); a fixed number a day is used up keeping vessels
    intact (Slichter 2004), which is why a transfusion lasts only a few days in a patient with no production. Both
    figures live in ``data/calibration/platelet_kinetics.toml`` and come in through
    :attr:`CohortSettings.platelet_survival_days` and :attr:`CohortSettings.vascular_integrity_use`; the fever odds
    ratio (TOPPS) comes from ``data/calibration/bleeding.toml``. Bleeding per day comes from the calibrated bleeding
    model, whose parameters are passed in. ``petechiae_edu.calibrated.simulate_cohort`` (``petechiae_edu.
    simulate_cohort``) passes the course's own for all of these.

Fitted to PLADO's patients, not to the strategy trials
    The patient-to-patient spread of bleeding tendency (:attr:`CohortSettings.bleeding_tendency_sd`, a normal
    offset on the log-odds of every day, which makes bleeds cluster in some patients as they do in trials) is
    fitted so that the ``prophylactic <10`` arm reproduces PLADO's share of adults with grade ≥2A bleeding
    (57.2 %); :mod:`petechiae_edu.models.cohort_fit` does it and the refit ships the value. The trials that compared
    prophylaxis with therapeutic-only transfusion (TOPPS, Wandt 2012) are never fitted: the lesson compares the
    cohort's strategy contrast with them as an out-of-sample check. Children: ``grade2_log_odds_shift`` adds the
    bleeding model's paediatric offset to every day's grade ≥2 log-odds.

    The bleeding model's curves are population averages (PLADO's share of all days), while a patient's tendency
    is a patient-level offset. So that the spread clusters bleeds without changing the average day's risk, each
    day's population-average log-odds ℓ (curve, fever, child offset) is turned into the patient-specific log-odds
    c with ``E_z[logistic(c + sd·z)] = logistic(ℓ)`` (z standard normal; 40-point Gauss–Hermite quadrature,
    tabulated once per spread and read by interpolation: :func:`marginal_to_conditional`). The average over
    patients of a day's risk is then the curve's, whatever the spread.

Illustrative (no source in the course gives them; chosen to resemble a course of induction chemotherapy)
    The starting count, nadir depth, nadir day, plateau and recovery times, the count rise per transfusion
    (median 25 ×10^9/L) and the share of fever days. Days count towards bleeding only while the patient's own
    count is below :attr:`CohortSettings.at_risk_below` ×10^9/L: the bleeding model is a model of
    thrombocytopenic days. The fitted spread of tendency holds for these illustrative courses only.

Common random numbers: every strategy sees the same patients, the same fever days and the same random
draws for bleeding, so differences between strategies come from the strategies, not from chance.

Precision: the day-by-day arithmetic runs in single precision (float32, about 7 significant digits), which is
far finer than any count or share the lesson shows and makes a slider move in the explorer about 30 % faster.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from .. import validation
from .bleeding import BleedingParameters, check_odds_ratio

STRATEGIES: dict[str, float | None] = {
    "prophylactic <10": 10.0,
    "prophylactic <20": 20.0,
    "therapeutic only": None,
}

SOURCES = ("harker1977", "slichter2004", "kaufman2015", "metcalf2025", "wandt2012", "wandt1998")
MAX_PATIENTS = validation.MAX_PATIENTS  # 10^6 patients take about 17 s and 1.5 GB; more is refused up front
MAX_DAYS = 365


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
    # the course's values (data/calibration/platelet_kinetics.toml) when None; petechiae_edu.simulate_cohort fills them
    platelet_survival_days: float | None = None  # days (Harker 1977)
    vascular_integrity_use: float | None = None  # ×10^9/L per day (Slichter 2004)
    fever_day_share: float = 0.15  # illustrative
    # sd of a patient's log-odds offset; None: the value fitted to PLADO (petechiae_edu.simulate_cohort fills it in)
    bleeding_tendency_sd: float | None = None
    at_risk_below: float = 50.0  # own count below which days count towards bleeding

    def __post_init__(self) -> None:
        validation.size(self.patients, "patients", high=MAX_PATIENTS, unit="patients")
        validation.whole_number(self.days, "days", low=1, high=MAX_DAYS, unit="days")
        validation.seed(self.seed)
        for name in (
            "starting_count_median",
            "nadir_count_median",
            "recovered_count",
            "transfusion_increment_median",
            "at_risk_below",
        ):
            validation.count(getattr(self, name), name)  # type, finiteness, sign and the per-µL rule
            validation.number(getattr(self, name), name, unit="×10^9/L", above=0.0)
        for name in ("nadir_count_sd", "transfusion_increment_sd", "bleeding_tendency_sd"):
            if getattr(self, name) is None and name == "bleeding_tendency_sd":
                continue
            validation.number(
                getattr(self, name), name, low=0.0, high=5.0, expected="a spread (sd on the log scale) 0–5"
            )
        for name in ("nadir_day_range", "plateau_days_range", "recovery_days_range"):
            validation.value_range(getattr(self, name), name, unit="days", low=0.0, high=float(MAX_DAYS))
        for name in ("nadir_day_range", "recovery_days_range"):
            if getattr(self, name)[0] <= 0:
                raise validation.InputValueError(
                    f"{name} = {getattr(self, name)!r} starts at day 0; expected (low, high) days above 0 "
                    "(a fall or a recovery takes time)"
                )
        if self.platelet_survival_days is not None:
            validation.number(self.platelet_survival_days, "platelet_survival_days", unit="days", low=1.0, high=30.0)
        if self.vascular_integrity_use is not None:
            validation.number(
                self.vascular_integrity_use, "vascular_integrity_use", unit="×10^9/L/day", low=0.0, high=100.0
            )
        validation.fraction(self.fever_day_share, "fever_day_share")


@dataclass(frozen=True)
class StrategyOutcome:
    """What one strategy did to the cohort (per patient unless said otherwise)."""

    strategy: str
    share_with_grade2_bleeding: float
    share_with_grade3_bleeding: float
    mean_grade2_bleeding_days: float
    median_grade2_bleeding_days: float  # over all patients, those who never bled count 0 days
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


@dataclass(frozen=True)
class CohortDraws:
    """The cohort's random numbers, drawn once per (patients, days, seed) and shared by every setting.

    They do not depend on the nadir, the fever share or the strategy, so an explorer can keep them while a
    slider moves: the same virtual patients meet every setting (and the curves do not jitter from chance).
    ``bleeding_log_odds`` holds logit(u) of each day's uniform bleeding draw u, so a bleed is simply
    "``bleeding_log_odds`` < the day's log-odds of bleeding". Arrays by day are stored days × patients, so
    that one day's values lie side by side in memory (the simulation walks through the days), and in single
    precision (see "Precision" in the module notes).
    """

    patients: int
    days: int
    seed: int
    start: np.ndarray = field(repr=False)  # standard normal, per patient
    nadir_spread: np.ndarray = field(repr=False)  # standard normal, per patient
    nadir_day: np.ndarray = field(repr=False)  # uniform 0–1, per patient
    plateau: np.ndarray = field(repr=False)  # uniform 0–1, per patient
    recovery: np.ndarray = field(repr=False)  # uniform 0–1, per patient
    fever: np.ndarray = field(repr=False)  # uniform 0–1, days × patients
    tendency: np.ndarray = field(repr=False)  # standard normal, per patient
    increment: np.ndarray = field(repr=False)  # standard normal, days × patients
    bleeding_log_odds: np.ndarray = field(repr=False)  # logit of uniform 0–1, days × patients


def draw_cohort(settings: CohortSettings) -> CohortDraws:
    """Every random number the cohort needs, from ``settings.seed`` (same seed, same patients)."""
    n, days = settings.patients, settings.days
    rng = np.random.default_rng(settings.seed)
    start, nadir_spread = rng.standard_normal(n), rng.standard_normal(n)
    nadir_day, plateau, recovery = rng.uniform(size=n), rng.uniform(size=n), rng.uniform(size=n)
    # drawn patient by patient (the order the seed has always given), then stored day by day
    fever: np.ndarray = np.ascontiguousarray(rng.uniform(size=(n, days)).T)  # float64 now, float32 below
    tendency = rng.standard_normal(n)
    increment: np.ndarray = np.ascontiguousarray(rng.standard_normal((n, days)).T)
    bleeding = np.ascontiguousarray(rng.uniform(size=(n, days)).T)
    with np.errstate(divide="ignore"):  # a draw of exactly 0 is log-odds −inf: it bleeds at any risk
        bleeding_log_odds = np.log(bleeding) - np.log1p(-bleeding)
    fever, increment, bleeding_log_odds = (a.astype(np.float32) for a in (fever, increment, bleeding_log_odds))
    arrays = (start, nadir_spread, nadir_day, plateau, recovery, fever, tendency, increment, bleeding_log_odds)
    for array in arrays:
        array.setflags(write=False)  # shared between runs: nobody may change them
    return CohortDraws(n, days, settings.seed, *arrays)


@dataclass(frozen=True)
class PatientCourses:
    """Each patient's own count course: start, nadir and the days it is reached, left and regained."""

    log_start: np.ndarray  # ln(×10^9/L), per patient
    log_nadir: np.ndarray  # ln(×10^9/L), per patient
    log_recovered: float  # ln(×10^9/L), the same for everyone
    nadir_day: np.ndarray  # day the fall reaches the nadir
    plateau_end: np.ndarray  # day the recovery starts
    recovery_days: np.ndarray  # days from plateau end to the recovered count

    def own_count(self, day: int) -> np.ndarray:
        """Every patient's own count on ``day`` (×10^9/L): log-linear fall, plateau, log-linear recovery."""
        falling = np.minimum(day / self.nadir_day, 1.0)
        rising = np.minimum(np.maximum((day - self.plateau_end) / self.recovery_days, 0.0), 1.0)
        log_start, log_nadir = self.log_start, self.log_nadir
        return np.exp(log_start + falling * (log_nadir - log_start) + rising * (self.log_recovered - log_nadir))


def patient_courses(settings: CohortSettings, draws: CohortDraws) -> PatientCourses:
    """The count course of every patient for these settings (the random parts come from ``draws``)."""
    start = settings.starting_count_median * np.exp(0.3 * draws.start)
    spread = np.exp(settings.nadir_count_sd * draws.nadir_spread)
    nadir = np.clip(settings.nadir_count_median * spread, 0.5, None)
    nadir = np.minimum(nadir, 0.9 * start)
    nadir_day = _within(settings.nadir_day_range, draws.nadir_day)
    plateau_end = nadir_day + _within(settings.plateau_days_range, draws.plateau)
    recovered_day = plateau_end + _within(settings.recovery_days_range, draws.recovery)
    single = np.float32  # see "Precision" above
    return PatientCourses(
        np.log(start).astype(single), np.log(nadir).astype(single), math.log(settings.recovered_count),
        nadir_day.astype(single), plateau_end.astype(single), (recovered_day - plateau_end).astype(single),
    )  # fmt: skip


def own_platelet_counts(settings: CohortSettings, draws: CohortDraws) -> np.ndarray:
    """Each patient's own count by day (days × patients, ×10^9/L): fall, nadir plateau, recovery."""
    courses = patient_courses(settings, draws)
    return np.stack([courses.own_count(day) for day in range(settings.days)])


def check_strategies(strategies: object) -> tuple[str, ...]:
    """A non-empty tuple (or list) of strategy names from :data:`STRATEGIES`."""
    if isinstance(strategies, str) or not isinstance(strategies, tuple | list):
        raise validation.InputTypeError(
            f"strategies = {strategies!r} is not a tuple of strategy names; expected e.g. ('prophylactic <10',)"
        )
    if not strategies:
        raise validation.InputValueError(
            f"strategies = {strategies!r} is empty; expected one or more of {', '.join(STRATEGIES)}"
        )
    for name in strategies:
        if name not in STRATEGIES:
            raise validation.InputValueError(f"unknown strategy {name!r}; expected one of {', '.join(STRATEGIES)}")
    return tuple(strategies)


@functools.lru_cache(maxsize=8)
def marginal_to_conditional(tendency_sd: float) -> tuple[np.ndarray, np.ndarray]:
    """A table (population-average log-odds, patient-specific log-odds) for a spread ``tendency_sd``.

    For patient-specific log-odds c, the population average is ``logit E_z[logistic(c + sd·z)]``, z standard
    normal (Gauss–Hermite, 40 points). The table is returned on an evenly spaced grid of population-average
    log-odds (−30 to 30, step 0.01), so :class:`_Lookup` reads it without a search.
    """
    marginal = np.linspace(-30.0, 30.0, 6001)
    if tendency_sd == 0:
        return marginal, marginal.copy()
    conditional = np.linspace(-60.0, 60.0, 4001)
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    mean = (0.5 * (1.0 + np.tanh(0.5 * (conditional[:, None] + tendency_sd * nodes[None, :])))) @ weights
    mean = np.clip(mean, 1e-300, 1 - 1e-16)
    averaged = np.maximum.accumulate(np.log(mean) - np.log1p(-mean))
    return marginal, np.interp(marginal, averaged, conditional)


class _Lookup:
    """Linear interpolation in an evenly spaced table, in single precision (no binary search: fast per day)."""

    def __init__(self, table: tuple[np.ndarray, np.ndarray]) -> None:
        grid, values = table
        self.low, self.step = float(grid[0]), float(grid[1] - grid[0])
        self.values = values.astype(np.float32)
        self.slopes = np.diff(values).astype(np.float32)
        self.last = len(values) - 2

    def __call__(self, x: np.ndarray) -> np.ndarray:
        position = (x - np.float32(self.low)) * np.float32(1 / self.step)
        np.clip(position, 0, self.last + 1, out=position)
        index = np.minimum(position.astype(np.int32), self.last)
        return self.values[index] + (position - index) * self.slopes[index]


def _within(bounds: tuple[float, float], uniform: np.ndarray) -> np.ndarray:
    low, high = bounds
    return low + (high - low) * uniform


def simulate_cohort(
    settings: CohortSettings | None = None,
    *,
    parameters: BleedingParameters,
    fever_odds_ratio: float,
    strategies: tuple[str, ...] = tuple(STRATEGIES),
    draws: CohortDraws | None = None,
    grade2_log_odds_shift: float = 0.0,
) -> CohortResult:
    """Run every strategy on the same virtual patients; seeded, so the same settings give the same result.

    ``parameters`` are the bleeding model's fitted curves (e.g. ``default_model().parameters``) and
    ``fever_odds_ratio`` the odds ratio of bleeding on a fever day; ``settings`` must give the platelet survival
    (days) and the vascular use (×10^9/L/day). :func:`petechiae_edu.simulate_cohort` passes the course's values for
    all three. ``draws`` may be passed to reuse the random numbers of :func:`draw_cohort` for these settings
    (faster, same result). ``grade2_log_odds_shift`` is added to every day's grade ≥2 log-odds (the bleeding
    model's child offset for a cohort of children; 0 for adults).
    """
    settings = validation.instance(
        settings if settings is not None else CohortSettings(), "settings", CohortSettings, "give CohortSettings(...)"
    )
    strategies = check_strategies(strategies)
    fever_odds_ratio = check_odds_ratio(fever_odds_ratio, "fever_odds_ratio")
    grade2_log_odds_shift = float(
        validation.number(grade2_log_odds_shift, "grade2_log_odds_shift", low=-10.0, high=10.0, expected="log-odds")
    )
    names = ("platelet_survival_days", "vascular_integrity_use", "bleeding_tendency_sd")
    missing = [n for n in names if getattr(settings, n) is None]
    if missing:
        raise validation.InputValueError(
            f"settings.{missing[0]} is None; give it, or use petechiae_edu.simulate_cohort, which fills in the "
            "course's value from data/calibration/"
        )
    if draws is None:
        draws = draw_cohort(settings)
    elif (draws.patients, draws.days, draws.seed) != (settings.patients, settings.days, settings.seed):
        raise ValueError(
            f"the draws are for {draws.patients} patients, {draws.days} days, seed {draws.seed}; the settings "
            f"ask for {settings.patients} patients, {settings.days} days, seed {settings.seed}"
        )
    a2, b2, a3, b3 = (float(value) for value in parameters.as_array())  # Python floats keep float32 arrays float32
    a2 += grade2_log_odds_shift
    # population-average log-odds -> patient-specific log-odds (see "Fitted to PLADO's patients" in the notes)
    patient_specific = _Lookup(marginal_to_conditional(settings.bleeding_tendency_sd))
    courses = patient_courses(settings, draws)
    days, n = settings.days, settings.patients
    fever_log_odds = math.log(fever_odds_ratio)
    tendency = (settings.bleeding_tendency_sd * draws.tendency).astype(np.float32)
    keep = 1.0 - 1.0 / settings.platelet_survival_days  # type: ignore[operator]
    # every strategy steps through the days together: one row per strategy
    triggers = np.array([[-np.inf if STRATEGIES[s] is None else STRATEGIES[s]] for s in strategies], np.float32)
    shape = (len(strategies), n)
    transfused, count = np.zeros(shape, np.float32), np.empty(shape, np.float32)
    bled_yesterday = np.zeros(shape, dtype=bool)
    any_grade3 = np.zeros(shape, dtype=bool)
    grade2_days, transfusions, days_below_10 = (np.zeros(shape, dtype=np.int32) for _ in range(3))
    mean_count = np.empty((len(strategies), days))
    for d in range(days):
        # what this day holds for each patient, whatever the strategy (computed a day at a time: the rows stay
        # in the processor's cache, and no days × patients arrays are built)
        own = courses.own_count(d)
        increment_spread = np.exp(settings.transfusion_increment_sd * draws.increment[d])
        increments = settings.transfusion_increment_median * increment_spread
        # A patient bleeds when the day's patient-specific log-odds (the population-average curve + fever, turned
        # into a patient-specific value, + the patient's tendency) exceed logit(draw). Days on which the patient's
        # own count is not low (not at risk) get an infinite threshold: no bleed.
        threshold = draws.bleeding_log_odds[d] - tendency
        threshold[own >= settings.at_risk_below] = np.inf
        fever_today = np.where(draws.fever[d] < settings.fever_day_share, np.float32(fever_log_odds), np.float32(0))
        # the strategies
        np.add(own, transfused, out=count)  # the morning count
        give = bled_yesterday | (count < triggers)  # a bleed yesterday, or below the trigger this morning
        transfused += give * increments
        transfusions += give
        np.add(own, transfused, out=count)
        log_count = np.log1p(count)
        grade3 = patient_specific(a3 + b3 * log_count + fever_today) > threshold
        grade2 = patient_specific(a2 + b2 * log_count + fever_today) > threshold
        grade2 |= grade3  # grade ≥2 includes grade ≥3
        any_grade3 |= grade3
        grade2_days += grade2
        days_below_10 += count < 10
        mean_count[:, d] = count.sum(axis=1) / n
        bled_yesterday = grade2
        transfused *= keep  # transfused platelets age and are used up keeping vessels intact
        transfused -= settings.vascular_integrity_use
        np.maximum(transfused, 0.0, out=transfused)
    outcomes = {
        name: StrategyOutcome(
            strategy=name,
            share_with_grade2_bleeding=float(np.mean(grade2_days[i] > 0)),
            share_with_grade3_bleeding=float(np.mean(any_grade3[i])),
            mean_grade2_bleeding_days=float(grade2_days[i].mean()),
            median_grade2_bleeding_days=float(np.median(grade2_days[i])),
            mean_transfusions=float(transfusions[i].mean()),
            mean_days_below_10=float(days_below_10[i].mean()),
            mean_platelet_count_by_day=mean_count[i],
        )
        for i, name in enumerate(strategies)
    }
    return CohortResult(settings, outcomes)
