"""Lesson 08's doubling-time explorer: two lymphocyte counts and the months between them give the doubling time,
read against the iwCLL 2018 progressive-lymphocytosis criterion — with sliders, so no student writes Python.

The arithmetic is :func:`petechiae_edu.models.cbc_grades.lymphocyte_trend` (steady exponential growth between two
counts: doubling time = months × ln 2 / ln(later / earlier)); this module only wires controls to it and says the
result in words. Counts in ×10^9/L, time in months.

A live figure (:mod:`petechiae_edu.live`) with no chart: the description and one big line (the doubling time, and
the rise on the right). State space: earlier (199 steps) × later (399) × months (48) is 3.8 million states, too
many to send, so the **earlier count keeps a kernel path**: for the current earlier count every later count ×
months state (19,152) is precomputed as the sentence's parts (each a text table over only the controls it depends
on), and a new earlier count makes Python send the tables for it (cached). Lesson 08's task holds the earlier
count and moves the later count and the months, so what the students move stays instant, also in a handout
(where the earlier count is disabled with a note). Each precomputed sentence is checked against
``LymphocyteTrend.summary()``.
"""

from __future__ import annotations

import math

from .. import citations
from ..figures.doubling_time import HEADLINE_GIDS, headline_figure
from ..live import LiveApp, Tables
from ..models.cbc_grades import LymphocyteTrend, lymphocyte_trend
from .controls import labelled_slider
from .sentence_live import fragment_grid, fragment_tables

EARLIER_RANGE = (1.0, 100.0)  # lymphocytes ×10^9/L: from a normal count to a high CLL count
LATER_RANGE = (1.0, 200.0)
MONTHS_RANGE = (0.5, 24.0)
SOURCES = ("hallek2018_iwcll", "molica1987_ldt")  # the iwCLL 2018 criteria; doubling time judged over several counts
EARLIER_NOTE = (
    "The earlier count needs Python (its tables are sent per count): open the lesson in Jupyter to change it."
)
LIVE_DIMS = ["later", "months"]


def headline(trend: LymphocyteTrend) -> tuple[str, str]:
    """The big line in two parts: ('Doubling time: 5.8 months', 'rise +104%')."""
    doubling = "not rising" if math.isinf(trend.doubling_months) else f"{trend.doubling_months:.1f} months"
    return f"Doubling time: {doubling}", f"rise {trend.rise_fraction:+.0%}"


def summary_fragments(trend: LymphocyteTrend) -> list[str]:
    """``trend.summary()`` in parts (each a text table); :func:`trend_tables` checks that they join to it."""
    doubling = (
        "not rising" if math.isinf(trend.doubling_months) else f"doubling time {trend.doubling_months:.1f} months"
    )
    verdict = "meets" if trend.meets_a_treatment_criterion else "does not meet"
    return [
        f"Lymphocytes {trend.earlier:g} → ",
        f"{trend.later:g} ×10^9/L ",
        f"in {trend.months_apart:g} months ",
        f"(rise {trend.rise_fraction:+.0%}): ",
        f"{doubling}; ",
        verdict,
        " the progressive-lymphocytosis criterion, one of the iwCLL 2018 criteria (marrow failure and symptoms lead "
        "the list).",
    ]


def trend_tables(control_specs: dict, earlier: float) -> tuple[dict, list[dict]]:
    """(tables, description template) for every later count × months at ``earlier`` ×10^9/L."""
    tables = Tables(control_specs)
    trends = {}

    def fragments(later: float, months: float) -> list[str]:
        trend = lymphocyte_trend(earlier, later, months)
        parts = summary_fragments(trend)
        if "".join(parts) != trend.summary():
            raise RuntimeError(f"the live sentence parts no longer join to LymphocyteTrend.summary(): {parts}")
        trends[later, months] = trend
        return parts

    grid, grids = fragment_grid(tables, LIVE_DIMS, fragments)
    template = fragment_tables(tables, "sentence", grid, LIVE_DIMS)
    lines = [[headline(trends[later, months])[0] for months in grids[1]] for later in grids[0]]
    tables.texts("doubling_line", lines, LIVE_DIMS)
    tables.texts("rise_line", [headline(trends[later, grids[1][0]])[1] for later in grids[0]], ["later"])
    return tables.tables, template


_CACHE: dict[tuple, tuple[dict, list[dict]]] = {}


def cached_trend_tables(control_specs: dict, earlier: float) -> tuple[dict, list[dict]]:
    key = (repr(sorted((name, repr(spec)) for name, spec in control_specs.items())), earlier)
    if key not in _CACHE:
        if len(_CACHE) > 24:
            _CACHE.clear()
        _CACHE[key] = trend_tables(control_specs, earlier)
    return _CACHE[key]


class DoublingTimeExplorer(LiveApp):
    """Two counts and an interval; the description gives the rise, the doubling time and the criterion."""

    def __init__(self, earlier: float, later: float, months_apart: float) -> None:
        super().__init__("Lymphocyte doubling time")
        self.earlier = labelled_slider(
            "Earlier lymphocyte count",
            minimum=EARLIER_RANGE[0],
            maximum=EARLIER_RANGE[1],
            step=0.5,
            value=earlier,
            unit="×10^9/L",
        )
        self.later = labelled_slider(
            "Later lymphocyte count",
            minimum=LATER_RANGE[0],
            maximum=LATER_RANGE[1],
            step=0.5,
            value=later,
            unit="×10^9/L",
        )
        self.months = labelled_slider(
            "Months between the counts",
            minimum=MONTHS_RANGE[0],
            maximum=MONTHS_RANGE[1],
            step=0.5,
            value=months_apart,
            unit="months",
        )
        self.controls = [self.earlier.box, self.later.box, self.months.box]
        self.bind("earlier", self.earlier, kernel=True, note=EARLIER_NOTE)
        self.bind("later", self.later)
        self.bind("months", self.months)
        figure = headline_figure(*headline(self.trend))
        tables, template = self.live_tables()
        self.start(
            figure,
            axes={},
            rows=[["earlier"], ["later"], ["months"]],
            marks=[{"kind": "text", "gid": gid, "text": {"table": gid}} for gid in HEADLINE_GIDS],
            description=template,
            tables=tables,
        )

    @property
    def trend(self) -> LymphocyteTrend:
        return lymphocyte_trend(self.earlier.value, self.later.value, self.months.value)

    def live_tables(self) -> tuple[dict, list[dict]]:
        """Tables and the description template for the current earlier count (cached per count)."""
        return cached_trend_tables(self.control_specs, float(self.earlier.value))

    def on_kernel_control(self, name: str) -> None:
        """The earlier count changed: send the tables for it (the front end rewrites the text from them)."""
        self.live.tables = self.live_tables()[0]

    def headline(self) -> str:
        """The big line the figure shows now: 'Doubling time: 5.8 months · rise +104%'."""
        return " · ".join(headline(self.trend))

    def update(self) -> None:
        self.describe(self.sentence())

    def sentence(self) -> str:
        return self.trend.summary()


def doubling_time_explorer(
    earlier: float = 12.0, later: float = 18.0, months_apart: float = 6.0
) -> DoublingTimeExplorer:
    """Move two lymphocyte counts (×10^9/L) and the months between them; see the doubling time and whether it
    meets the iwCLL 2018 progressive-lymphocytosis criterion (doubling under 6 months, or a rise of 50 % or more
    within 2 months). Start values outside the sliders' ranges are refused with the range in the message."""
    citations.cite(*SOURCES, by="doubling-time explorer")
    return DoublingTimeExplorer(earlier, later, months_apart)
