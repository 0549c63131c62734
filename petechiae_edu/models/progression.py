"""Simulation 2: how acute and chronic leukaemias progress: daily blood counts, with and without treatment.

Public API
----------
- :class:`ProgressionParameters`: the presets (``"healthy"``, ``"aml"``, ``"all"``, ``"cml"``, ``"cll"``)
  live in ``data/presets/progression.toml`` (each parameter there carries its sources or is marked a
  teaching choice); :func:`petechiae_edu.calibrated.preset_parameters` reads one, and
  :func:`petechiae_edu.calibrated.simulate` (``petechiae_edu.simulate``) also takes a preset name.
- :func:`simulate` → :class:`ProgressionResult`: daily WBC, ANC and platelets (×10^9/L), haemoglobin (g/dL),
  marrow blast share (fraction 0–1), for ``days`` days (default 5 years). No I/O: it takes the parameters.
- :func:`treatment_response` → aplasia, remission and relapse days (acute) or the two slopes of the decline
  of the leukaemic burden under a tyrosine-kinase inhibitor (CML).

The equations are in :mod:`petechiae_edu.models.haematopoiesis`, the treatments in
:mod:`petechiae_edu.models.treatment`.

Assumptions and limits
----------------------
- One average adult; no sex, age or weight. Healthy counts sit at one point inside the adult reference ranges
  (platelets 150–450, WBC 4.5–11.0, ANC 1.8–7.8 ×10^9/L; haemoglobin men 14–17.5, women 12.3–15.3 g/dL).
- A clone causes cytopenias only by taking marrow space; real leukaemias also suppress normal cells by
  signals. Lymphocytes and monocytes are lumped as "other leukocytes".
- Deterministic: no chance events, no transfusions, infections, bleeding deaths, resistance mutations or
  transformation of CML to blast phase (which the lesson shows as a published time, not a model output).
- Many parameters are teaching choices; the presets are meant to reproduce time scales (weeks versus years)
  and the shape of the response to treatment, not any patient's course.

Sources are registered by :mod:`petechiae_edu.calibrated` (``preset_parameters``, ``simulate``) and the widgets,
not here: models stay pure. Inputs are checked by :mod:`petechiae_edu.validation`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import validation
from .haematopoiesis import Dynamics, Trajectory, integrate
from .treatment import TreatmentPlan, build_schedule

FIVE_YEARS_DAYS = 1826
MAX_DAYS = 36_525
MAX_CLONE_NET_GROWTH = 10.0  # per day
PRESETS = ("healthy", "aml", "all", "cml", "cll")
QUANTITIES = ("wbc", "anc", "haemoglobin", "platelets", "blast_share", "clone_blood_count", "leukaemic_burden")
# a teaching definition of remission in the model (not a clinical response criterion)
REMISSION_BLAST_SHARE = 0.05
REMISSION_PLATELETS = 100.0
REMISSION_ANC = 1.0


@dataclass(frozen=True)
class ProgressionParameters:
    """Every number the model uses, in clinical units (rates per day, times in days, counts ×10^9/L)."""

    preset: str = "custom"
    # normal blood formation
    stem_regrowth_rate: float = 0.15
    stem_reserve_rate: float = 0.0005
    feedback_gain: float = 1.5
    neutrophil_baseline: float = 4.0
    other_leukocyte_baseline: float = 2.5
    haemoglobin_baseline: float = 14.5
    platelet_baseline: float = 250.0
    neutrophil_transit_days: float = 6.0
    neutrophil_lifespan_days: float = 1.0
    red_cell_transit_days: float = 6.0
    red_cell_lifespan_days: float = 120.0
    platelet_transit_days: float = 5.0
    platelet_lifespan_days: float = 9.0
    other_leukocyte_transit_days: float = 10.0
    other_leukocyte_lifespan_days: float = 60.0
    # the leukaemic clone (zero start fraction: no clone)
    clone_birth_rate: float = 0.0
    clone_death_rate: float = 0.0
    clone_start_fraction: float = 0.0
    clone_capacity: float = 1.3
    clone_marrow_weight: float = 1.0
    clone_blood_count: float = 0.0
    clone_blast_fraction: float = 0.0
    # a differentiating clone (Michor cascade); zero death rates switch the cascade off
    progenitor_death_rate: float = 0.0
    differentiated_death_rate: float = 0.0
    terminal_death_rate: float = 0.0
    progenitor_marrow_weight: float = 0.0
    terminal_blood_count: float = 0.0
    clone_platelet_output: float = 0.0
    clone_red_cell_output: float = 0.0
    # treatment
    treatment: str = "none"
    treatment_start_day: float = 0.0
    induction_days: float = 7.0
    induction_clone_log_kill: float = 0.0
    induction_normal_log_kill: float = 0.0
    continuation_kill_rate: float = 0.0
    continuation_days: float = 0.0
    tki_stem_output_divisor: float = 100.0
    tki_progenitor_output_divisor: float = 750.0
    units: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in ("preset", "treatment", "units"):
                continue
            validation.number(value, f.name, unit=self.units.get(f.name, ""), low=0.0)
        positive = [n for n in dataclasses.asdict(self) if n.endswith(("_days", "_baseline"))] + ["clone_capacity"]
        for name in positive:
            if name in ("continuation_days", "treatment_start_day"):
                continue
            validation.number(getattr(self, name), name, unit=self.units.get(name, ""), above=0.0)
        # plan validation (treatment kind, divisors)
        self.treatment_plan()

    @property
    def clone_net_growth(self) -> float:
        """Net growth of the clone while it is small: birth − death, per day."""
        return self.clone_birth_rate - self.clone_death_rate

    @property
    def has_cascade(self) -> bool:
        return self.progenitor_death_rate > 0 and self.differentiated_death_rate > 0 and self.terminal_death_rate > 0

    def treatment_plan(self) -> TreatmentPlan:
        return TreatmentPlan(
            kind=self.treatment,
            start_day=self.treatment_start_day,
            induction_days=self.induction_days,
            induction_clone_log_kill=self.induction_clone_log_kill,
            induction_normal_log_kill=self.induction_normal_log_kill,
            continuation_kill_rate=self.continuation_kill_rate,
            continuation_days=self.continuation_days,
            tki_stem_output_divisor=self.tki_stem_output_divisor,
            tki_progenitor_output_divisor=self.tki_progenitor_output_divisor,
        )

    def dynamics(self) -> Dynamics:
        return Dynamics(
            stem_regrowth_rate=self.stem_regrowth_rate,
            stem_reserve_rate=self.stem_reserve_rate,
            feedback_gain=self.feedback_gain,
            transit_days=(
                self.neutrophil_transit_days,
                self.red_cell_transit_days,
                self.platelet_transit_days,
                self.other_leukocyte_transit_days,
            ),
            lifespan_days=(
                self.neutrophil_lifespan_days,
                self.red_cell_lifespan_days,
                self.platelet_lifespan_days,
                self.other_leukocyte_lifespan_days,
            ),
            clone_net_growth=self.clone_net_growth,
            clone_start_fraction=self.clone_start_fraction,
            clone_capacity=self.clone_capacity,
            clone_marrow_weight=self.clone_marrow_weight,
            cascade=self.has_cascade,
            progenitor_death_rate=self.progenitor_death_rate,
            differentiated_death_rate=self.differentiated_death_rate,
            terminal_death_rate=self.terminal_death_rate,
            progenitor_marrow_weight=self.progenitor_marrow_weight,
            clone_platelet_output=self.clone_platelet_output,
            clone_red_cell_output=self.clone_red_cell_output,
        )


@dataclass(frozen=True)
class ProgressionResult:
    """Daily counts of one simulated course (arrays are read-only; index = day)."""

    parameters: ProgressionParameters
    treated: bool
    days: np.ndarray
    wbc: np.ndarray
    anc: np.ndarray
    haemoglobin: np.ndarray
    platelets: np.ndarray
    blast_share: np.ndarray
    clone_blood_count: np.ndarray
    leukaemic_burden: np.ndarray
    trajectory: Trajectory = field(repr=False)

    @property
    def preset(self) -> str:
        return self.parameters.preset

    @property
    def treatment_start_day(self) -> float | None:
        return self.parameters.treatment_start_day if self.treated else None

    def series(self, quantity: str) -> np.ndarray:
        if quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {quantity!r}; expected one of: {', '.join(QUANTITIES)}")
        return getattr(self, quantity)

    def first_day(
        self, quantity: str, *, below: float | None = None, above: float | None = None, after: float = 0
    ) -> int | None:
        """First day (≥ ``after``) on which ``quantity`` is below ``below`` (or above ``above``); None if never."""
        if (below is None) == (above is None):
            raise ValueError("give exactly one of below= or above=")
        limit = validation.number(below if below is not None else above, "below" if below is not None else "above")
        after = validation.number(after, "after", unit="days", low=0.0)
        values = self.series(quantity)
        hit = values < limit if below is not None else values > limit
        hit &= self.days >= after
        index = np.flatnonzero(hit)
        return int(self.days[index[0]]) if index.size else None


def _readonly(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=float)
    array.setflags(write=False)
    return array


def simulate(
    parameters: ProgressionParameters,
    *,
    days: int = FIVE_YEARS_DAYS,
    treatment: bool = True,
    treatment_start_day: float | None = None,
    clone_net_growth: float | None = None,
    steps_per_day: int = 1,
) -> ProgressionResult:
    """Simulate ``days`` days of blood counts.

    ``parameters`` is a :class:`ProgressionParameters` (``petechiae_edu.simulate`` also takes a preset name,
    e.g. ``"aml"``). ``treatment=False`` leaves the disease
    untreated; ``treatment_start_day`` (day) overrides the preset's start; ``clone_net_growth`` (per day, e.g.
    0.069 for 6.9 %/day) overrides the clone's net growth by changing its birth rate, keeping its death rate.
    """
    params = parameters
    if not isinstance(params, ProgressionParameters):
        raise TypeError(
            f"parameters must be ProgressionParameters, got {type(parameters).__name__}; for a preset name "
            "such as 'aml' use petechiae_edu.simulate"
        )
    days = validation.whole_number(days, "days", low=1, high=MAX_DAYS, unit="days")
    steps_per_day = validation.whole_number(steps_per_day, "steps_per_day", low=1, high=100)
    treatment = validation.flag(treatment, "treatment")
    changes: dict[str, Any] = {}  # field -> new value, for dataclasses.replace
    if treatment_start_day is not None:
        changes["treatment_start_day"] = validation.days(treatment_start_day, "treatment_start_day", high=MAX_DAYS)
    if clone_net_growth is not None:
        # ±10 per day is far beyond any clone (AML doubles in about 10 days: 0.07 per day) and keeps exp() finite
        growth = validation.number(
            clone_net_growth, "clone_net_growth", low=-MAX_CLONE_NET_GROWTH, high=MAX_CLONE_NET_GROWTH,
            expected=f"a net growth per day from -{MAX_CLONE_NET_GROWTH:g} to {MAX_CLONE_NET_GROWTH:g}, e.g. 0.069",
        )  # fmt: skip
        changes["clone_birth_rate"] = params.clone_death_rate + growth
        if changes["clone_birth_rate"] < 0:
            raise ValueError(
                f"clone_net_growth = {clone_net_growth!r} per day would need a negative birth rate "
                f"(death rate is {params.clone_death_rate} per day)"
            )
    if changes:
        params = dataclasses.replace(params, **changes)
    days = int(days)
    plan = params.treatment_plan() if treatment and params.treatment_plan().active else None
    trajectory = integrate(params.dynamics(), build_schedule(plan, days), days, steps_per_day)
    return _read_out(params, plan is not None, trajectory)


def _read_out(params: ProgressionParameters, treated: bool, traj: Trajectory) -> ProgressionResult:
    mature = traj.mature
    y1, y2, y3 = traj.cascade[:, 0], traj.cascade[:, 1], traj.cascade[:, 2]
    anc = params.neutrophil_baseline * mature[:, 0] + params.terminal_blood_count * y3
    clone_blood = params.clone_blood_count * traj.clone
    wbc = anc + params.other_leukocyte_baseline * mature[:, 3] + clone_blood
    clone_mass = params.clone_marrow_weight * traj.clone + params.progenitor_marrow_weight * 0.5 * (y1 + y2)
    blast_share = params.clone_blast_fraction * clone_mass / np.maximum(traj.stem + clone_mass, 1e-12)
    burden = y3 if params.has_cascade else traj.clone
    return ProgressionResult(
        parameters=params,
        treated=treated,
        days=_readonly(np.arange(traj.stem.size)).astype(int),
        wbc=_readonly(wbc),
        anc=_readonly(anc),
        haemoglobin=_readonly(params.haemoglobin_baseline * mature[:, 1]),
        platelets=_readonly(params.platelet_baseline * mature[:, 2]),
        blast_share=_readonly(blast_share),
        clone_blood_count=_readonly(clone_blood),
        leukaemic_burden=_readonly(burden / max(params.clone_capacity, 1e-12)),
        trajectory=traj,
    )


@dataclass(frozen=True)
class TreatmentResponse:
    """What treatment did, read off the counts (days from day 0; None: did not happen)."""

    kind: str
    start_day: float | None
    aplasia_start_day: int | None = None  # ANC < 0.5 ×10^9/L after the start
    aplasia_end_day: int | None = None
    remission_day: int | None = None  # model remission: blasts < 5 %, platelets ≥ 100, ANC ≥ 1.0
    relapse_day: int | None = None  # blasts back to ≥ 5 % after remission
    clone_eradicated: bool = False
    fast_slope_per_day: float | None = None  # TKI: decline of the leukaemic burden, days 10–60 after start
    slow_slope_per_day: float | None = None  # TKI: days 200–400 after start


def check_result(result: object, name: str = "result") -> ProgressionResult:
    """``result`` if it is a :class:`ProgressionResult`; a preset name or anything else is refused."""
    return validation.instance(
        result, name, ProgressionResult, "give the result of petechiae_edu.simulate, e.g. simulate('aml')"
    )


def treatment_response(result: ProgressionResult) -> TreatmentResponse:
    """Aplasia, remission and relapse (induction) or the two slopes of decline (TKI)."""
    params = check_result(result).parameters
    if not result.treated:
        return TreatmentResponse(kind="none", start_day=None)
    start = params.treatment_start_day
    if params.treatment == "tki":
        return TreatmentResponse(
            kind="tki",
            start_day=start,
            fast_slope_per_day=_log_slope(result, start + 10, start + 60),
            slow_slope_per_day=_log_slope(result, start + 200, start + 400),
        )
    aplasia = result.first_day("anc", below=0.5, after=start)
    aplasia_end = result.first_day("anc", above=0.5, after=aplasia) if aplasia is not None else None
    recovered = (
        (result.blast_share < REMISSION_BLAST_SHARE)
        & (result.platelets >= REMISSION_PLATELETS)
        & (result.anc >= REMISSION_ANC)
        & (result.days >= start + params.induction_days)
    )
    hits = np.flatnonzero(recovered)
    remission = int(hits[0]) if hits.size else None
    relapse = None
    if remission is not None:
        relapse = result.first_day("blast_share", above=REMISSION_BLAST_SHARE - 1e-12, after=remission)
    return TreatmentResponse(
        kind="induction",
        start_day=start,
        aplasia_start_day=aplasia,
        aplasia_end_day=aplasia_end,
        remission_day=remission,
        relapse_day=relapse,
        clone_eradicated=bool(result.trajectory.clone[-1] == 0.0),
    )


def _log_slope(result: ProgressionResult, first: float, last: float) -> float | None:
    """Least-squares slope of ln(burden) per day between two days (None if outside the run or zero burden)."""
    days = result.days
    window = (days >= first) & (days <= last)
    burden = result.leukaemic_burden[window]
    if window.sum() < 3 or np.any(burden <= 0):
        return None
    return float(np.polyfit(days[window], np.log(burden), 1)[0])
