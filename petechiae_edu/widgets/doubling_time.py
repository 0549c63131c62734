"""Lesson 08's doubling-time explorer: two lymphocyte counts and the months between them give the doubling time,
read against the iwCLL 2018 progressive-lymphocytosis criterion — with sliders, so no student writes Python.

The arithmetic is :func:`petechiae_edu.models.cbc_grades.lymphocyte_trend` (steady exponential growth between two
counts: doubling time = months × ln 2 / ln(later / earlier)); this module only wires controls to it and says the
result in words. Counts in ×10^9/L, time in months.
"""

from __future__ import annotations

import math
from html import escape

import ipywidgets as widgets

from .. import citations
from ..models.cbc_grades import LymphocyteTrend, lymphocyte_trend
from .app import DescribedApp
from .controls import labelled_slider

EARLIER_RANGE = (1.0, 100.0)  # lymphocytes ×10^9/L: from a normal count to a high CLL count
LATER_RANGE = (1.0, 200.0)
MONTHS_RANGE = (0.5, 24.0)
SOURCES = ("hallek2018_iwcll", "molica1987_ldt")  # the iwCLL 2018 criteria; doubling time judged over several counts


class DoublingTimeExplorer(DescribedApp):
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
        self.result_html = widgets.HTML()
        self.controls = [self.earlier.box, self.later.box, self.months.box]
        for control in (self.earlier, self.later, self.months):
            control.observe(lambda _change: self.update())
        self.update()

    @property
    def trend(self) -> LymphocyteTrend:
        return lymphocyte_trend(self.earlier.value, self.later.value, self.months.value)

    def update(self) -> None:
        trend = self.trend
        doubling = "not rising" if math.isinf(trend.doubling_months) else f"{trend.doubling_months:.1f} months"
        self.result_html.value = (
            f"<p style='font-size:1.3em'>Doubling time: <strong>{escape(doubling)}</strong> "
            f"(rise {trend.rise_fraction:+.0%})</p>"
        )
        self.describe(trend.summary())

    def shown(self) -> list[widgets.Widget]:
        return [self.result_html]


def doubling_time_explorer(
    earlier: float = 12.0, later: float = 18.0, months_apart: float = 6.0
) -> DoublingTimeExplorer:
    """Move two lymphocyte counts (×10^9/L) and the months between them; see the doubling time and whether it
    meets the iwCLL 2018 progressive-lymphocytosis criterion (doubling under 6 months, or a rise of 50 % or more
    within 2 months). Start values outside the sliders' ranges are refused with the range in the message."""
    citations.cite(*SOURCES, by="doubling-time explorer")
    return DoublingTimeExplorer(earlier, later, months_apart)
