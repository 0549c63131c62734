"""The equations of the progression model: normal blood formation with a leukaemic clone competing for space.

Everything is normalised so that a healthy person sits exactly at 1 in every compartment; clinical units
(×10^9/L, g/dL) are applied only when counts are read out (see :mod:`petechiae_edu.models.progression`).
Times are in days, rates per day.

Compartments
------------
``S``
    Normal stem and early-progenitor tissue of the marrow (1 = a normal marrow). It regrows logistically at
    ``stem_regrowth_rate`` into whatever marrow space is free, and a quiescent reserve feeds it slowly
    (``stem_reserve_rate``), so it never vanishes for good:
    ``dS/dt = stem_reserve_rate·(1 − S) + stem_regrowth_rate·S·(1 − O) − kill_S(t)·S``
    where ``O`` is the marrow occupancy (normal plus leukaemic tissue, 1 = a full normal marrow).
``P_j, M_j``
    For each lineage j (neutrophils, red cells, platelets, other leukocytes) a marrow precursor pool and a
    mature pool in blood. Precursors are made from ``S`` (and, in CML, by the clone), amplified by feedback
    when the mature count is low, and mature after ``transit_days``; mature cells live ``lifespan_days``:
    ``dP_j/dt = (E_j·G(M_j) − P_j)/transit_j − kill_P(t)·P_j``,  ``dM_j/dt = (P_j − M_j)/lifespan_j``,
    ``G(M) = (1 + gain)/(1 + gain·M)`` (1 at health, up to ``1 + gain`` when the count is zero).
``L``
    The leukaemic clone's self-renewing compartment (blasts in acute leukaemia, leukaemic stem cells in CML,
    clonal B lymphocytes in CLL). It grows at its net rate (birth − death) until it fills its own
    capacity, and it ignores the feedback that holds normal cells in check:
    ``dL/dt = (birth − death)·L·(1 − L/capacity) − kill_L(t)·L`` (without the crowding term when death
    exceeds birth: a shrinking clone just dies off).
``y1, y2, y3``
    A differentiating clone (CML) as in Michor et al. 2005: leukaemic progenitors, differentiated cells and
    terminal cells, each normalised to 1 per unit of ``L`` at steady state. A tyrosine-kinase inhibitor
    divides the production of progenitors by ``tki_stem_output_divisor`` (100) and of differentiated cells by
    ``tki_progenitor_output_divisor`` (750), so the burden falls first at ``d2`` then at ``d1`` per day:
    ``dy1/dt = d1·(L/a − y1)``, ``dy2/dt = d2·(y1/b − y2)``, ``dy3/dt = d3·(y2 − y3)``.

Marrow occupancy ``O = S + w_L·L + w_Y·(y1 + y2)/2``: leukaemic tissue takes space from normal tissue, which
is how a clone causes cytopenias here (crowding, not a signal; a teaching simplification).

Integration: a fixed-step exponential (Rosenbrock-free) Euler scheme in plain floats. Each linear decay is
solved exactly over the step with its input held constant, and growth is applied multiplicatively, so every
compartment stays ≥ 0 for any non-negative parameters. One step per day is accurate to a few per cent
against a fine step (tested); a 5-year run takes a few milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LINEAGES = ("neutrophils", "red_cells", "platelets", "other_leukocytes")

# below this share of a normal marrow the clone counts as eradicated (about a thousand cells in ~10^12);
# a teaching choice that lets a cured clone stay cured
ERADICATION_LEVEL = 1e-9


@dataclass(frozen=True)
class Dynamics:
    """Plain-float inputs of :func:`integrate` (already validated by the public API)."""

    stem_regrowth_rate: float
    stem_reserve_rate: float
    feedback_gain: float
    transit_days: tuple[float, float, float, float]
    lifespan_days: tuple[float, float, float, float]
    clone_net_growth: float
    clone_start_fraction: float
    clone_capacity: float
    clone_marrow_weight: float
    cascade: bool
    progenitor_death_rate: float
    differentiated_death_rate: float
    terminal_death_rate: float
    progenitor_marrow_weight: float
    clone_platelet_output: float
    clone_red_cell_output: float


@dataclass(frozen=True)
class Schedule:
    """Treatment as extra death rates and output divisors per day (arrays of length ``days + 1``)."""

    clone_kill: np.ndarray  # per day, on L
    normal_kill: np.ndarray  # per day, on S and the precursor pools
    stem_output_divisor: np.ndarray  # a in dy1/dt = d1 (L/a - y1); 1 without TKI
    progenitor_output_divisor: np.ndarray  # b in dy2/dt = d2 (y1/b - y2)


@dataclass(frozen=True)
class Trajectory:
    """Daily normalised compartments (rows are days 0..days)."""

    stem: np.ndarray
    clone: np.ndarray
    cascade: np.ndarray  # (days+1, 3): y1, y2, y3
    precursors: np.ndarray  # (days+1, 4)
    mature: np.ndarray  # (days+1, 4)
    occupancy: np.ndarray


def clone_marrow_mass(dyn: Dynamics, clone: float, y1: float, y2: float) -> float:
    """Marrow space taken by the clone (1 = a whole normal marrow)."""
    return dyn.clone_marrow_weight * clone + dyn.progenitor_marrow_weight * 0.5 * (y1 + y2)


def integrate(dyn: Dynamics, schedule: Schedule, days: int, steps_per_day: int = 1) -> Trajectory:
    """Solve the model from day 0 to ``days`` and return daily values of every compartment."""
    dt = 1.0 / steps_per_day
    exp = math.exp
    gain = dyn.feedback_gain
    tp = dyn.transit_days
    tm = dyn.lifespan_days
    decay_m = [exp(-dt / t) for t in tm]
    rs, reserve = dyn.stem_regrowth_rate, dyn.stem_reserve_rate
    net, capacity, wl = dyn.clone_net_growth, dyn.clone_capacity, dyn.clone_marrow_weight
    d1, d2, d3 = dyn.progenitor_death_rate, dyn.differentiated_death_rate, dyn.terminal_death_rate
    wy = dyn.progenitor_marrow_weight
    cascade = dyn.cascade
    e1, e2, e3 = (exp(-d * dt) for d in (d1, d2, d3)) if cascade else (1.0, 1.0, 1.0)
    f_red, f_plt = dyn.clone_red_cell_output, dyn.clone_platelet_output

    clone = dyn.clone_start_fraction
    y1 = y2 = y3 = clone if cascade else 0.0
    stem = max(1.0 - clone_marrow_mass(dyn, clone, y1, y2), 0.05)
    p0 = p1 = p2 = p3 = 1.0
    m0 = m1 = m2 = m3 = 1.0

    clone_kill = schedule.clone_kill.tolist()
    normal_kill = schedule.normal_kill.tolist()
    a_div = schedule.stem_output_divisor.tolist()
    b_div = schedule.progenitor_output_divisor.tolist()

    n = days + 1
    out: list[tuple[float, ...] | None] = [None] * n  # one row of compartments per day, filled in order
    amp = 1.0 + gain
    inv0, inv1, inv2, inv3 = (1.0 / t for t in tp)
    dm0, dm1, dm2, dm3 = decay_m
    decay_cache: dict[float, tuple[float, ...]] = {}

    for day in range(n):
        out[day] = (stem, clone, y1, y2, y3, p0, p1, p2, p3, m0, m1, m2, m3)
        if day == days:
            break
        kc, kn, ad, bd = clone_kill[day], normal_kill[day], a_div[day], b_div[day]
        factors = decay_cache.get(kn)
        if factors is None:
            pairs: list[float] = []
            for inv in (inv0, inv1, inv2, inv3):
                lam = inv + kn
                decay = exp(-lam * dt)
                pairs += [decay, inv / lam * (1.0 - decay)]
            factors = decay_cache[kn] = tuple(pairs)
        dp0, gp0, dp1, gp1, dp2, gp2, dp3, gp3 = factors
        for _ in range(steps_per_day):
            occupancy = stem + wl * clone + wy * 0.5 * (y1 + y2)
            # normal stem tissue: logistic regrowth into free space, a slow reserve, and chemotherapy
            stem = stem * exp((rs * (1.0 - occupancy) - kn) * dt) + (reserve * dt * (1.0 - stem) if stem < 1.0 else 0.0)
            # the clone: net growth until it fills its capacity, minus chemotherapy
            if clone > 0.0:
                # a shrinking clone (death above birth) just dies off; crowding only limits growth
                growth = net * (1.0 - clone / capacity) if net > 0.0 else net
                clone = clone * exp((growth - kc) * dt)
                if clone < ERADICATION_LEVEL:
                    clone = 0.0
            if cascade:
                y3 = y3 * e3 + y2 * (1.0 - e3)
                y2 = y2 * e2 + (y1 / bd) * (1.0 - e2)
                y1 = y1 * e1 + (clone / ad) * (1.0 - e1)
            # precursor pools: input from stem tissue (and a CML clone), amplified by low counts (feedback);
            # mature pools: fed by precursors, emptied by age
            n0 = p0 * dp0 + stem * amp / (1.0 + gain * m0) * gp0
            n1 = p1 * dp1 + (stem + f_red * y2) * amp / (1.0 + gain * m1) * gp1
            n2 = p2 * dp2 + (stem + f_plt * y2) * amp / (1.0 + gain * m2) * gp2
            n3 = p3 * dp3 + stem * amp / (1.0 + gain * m3) * gp3
            m0 = m0 * dm0 + p0 * (1.0 - dm0)
            m1 = m1 * dm1 + p1 * (1.0 - dm1)
            m2 = m2 * dm2 + p2 * (1.0 - dm2)
            m3 = m3 * dm3 + p3 * (1.0 - dm3)
            p0, p1, p2, p3 = n0, n1, n2, n3

    table = np.array(out)
    stem_col, clone_col = table[:, 0], table[:, 1]
    y = table[:, 2:5]
    return Trajectory(
        stem=stem_col,
        clone=clone_col,
        cascade=y,
        precursors=table[:, 5:9],
        mature=table[:, 9:13],
        occupancy=stem_col + wl * clone_col + wy * 0.5 * (y[:, 0] + y[:, 1]),
    )
