"""Lesson 02's platelet balance explorer: production, splenic pooling and survival → the circulating count."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

from .. import calibrated, citations, content, paths  # noqa: F401  (calibrated registers the course's normal kinetics)
from ..content.cbc_rules import REFERENCE_RANGES_FILE
from ..content.errors import ContentError
from ..content.platelet_kinetics import PlateletKineticsGroup
from ..figures.platelet_balance import PlateletBalanceFigure, draw_spleen_studies
from ..figures.render import BlitRenderer, png_bytes
from ..models.platelet_kinetics import (
    NORMAL_POOLED_FRACTION,
    NORMAL_SURVIVAL_DAYS,
    SOURCES,
    Approach,
    PlateletBalance,
    approach,
    steady_state,
)
from .app import FigureApp
from .controls import labelled_slider

DAYS_SHOWN = 30.0
PLATELET_RANGE = "platelets"  # the adult platelet range's key in data/reference_ranges.toml


def platelet_reference_range() -> tuple[tuple[float, float], tuple[str, ...]]:
    """The adult platelet reference range (×10^9/L) and its sources, from ``data/reference_ranges.toml``.

    A content store without it is an error that names the file and the entry (there is no built-in fallback).
    """
    record = content.reference_ranges().get(PLATELET_RANGE)
    if record is None:
        raise ContentError(
            paths.data_dir() / REFERENCE_RANGES_FILE,
            "no adult platelet range; lesson 02's explorer needs it",
            entry=PLATELET_RANGE,
        )
    return (record.low, record.high), tuple(record.sources)


class PlateletBalanceExplorer(FigureApp):
    """Move production, splenic pooling and survival; see where the count settles and how fast."""

    def __init__(
        self,
        production_percent: float = 100.0,
        pooled_fraction: float = NORMAL_POOLED_FRACTION,
        survival_days: float = NORMAL_SURVIVAL_DAYS,
    ) -> None:
        super().__init__("Platelet balance: production, the spleen and survival")
        self.reference_range, range_sources = platelet_reference_range()
        citations.cite(*SOURCES, by="model: platelet balance")
        citations.cite(*range_sources, by="model: platelet balance")
        self.production = labelled_slider(
            "Marrow production",
            minimum=0,
            maximum=200,
            step=5,
            value=production_percent,
            unit="% of normal",
            readout_format=".0f",
        )
        self.pooling = labelled_slider(
            "Share held in the spleen",
            minimum=0,
            maximum=0.9,
            step=0.01,
            value=round(pooled_fraction, 2),
            unit="fraction",
            readout_format=".2f",
        )
        self.survival = labelled_slider(
            "Platelet survival",
            minimum=2,
            maximum=12,
            step=0.1,
            value=survival_days,
            unit="days",
        )
        self.controls = [self.production.box, self.pooling.box, self.survival.box]
        self.drawing = PlateletBalanceFigure(self.reference_range, days=DAYS_SHOWN)
        normal = steady_state()
        self.drawing.set_normal(normal.circulating_count, normal.pooled_in_spleen)
        self.result = self.compute()
        self.drawing.update(self.result)
        self.renderer = BlitRenderer(self.drawing.figure, self.drawing.animated)
        for control in (self.production, self.pooling, self.survival):
            control.observe(self._on_change)
        self.refresh()

    @property
    def balance(self) -> PlateletBalance:
        return PlateletBalance(
            production_percent=self.production.value,
            pooled_fraction=self.pooling.value,
            survival_days=self.survival.value,
        )

    def compute(self) -> Approach:
        return approach(self.balance, days=DAYS_SHOWN)

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.result = self.compute()
        self.describe(describe_approach(self.result, self.reference_range))
        self.drawing.update(self.result)
        self.show_figure(self.renderer.render())


def describe_approach(result: Approach, reference_range: tuple[float, float]) -> str:
    """One sentence: the settings, where the count settles against the range, and how fast."""
    end = result.end
    b = end.balance
    low, high = reference_range
    count = end.circulating_count
    if count < low:
        where = f"below the {low:g}–{high:g} reference range"
    elif count > high:
        where = f"above the {low:g}–{high:g} reference range"
    else:
        where = f"within the {low:g}–{high:g} reference range"
    settings = (
        f"At {b.production_percent:.0f}% of normal production, {b.pooled_fraction:.0%} held in the spleen "
        f"and {b.survival_days:.1f}-day survival"
    )
    if end.platelet_mass == 0:
        pace = (
            f"production ({end.production:.1f} ×10^9/L/day) no longer covers the fixed "
            f"{b.vascular_consumption:.1f} ×10^9/L/day used to seal vessels, so the count falls towards zero"
        )
        zero_day = result.first_day_below(1.0)
        if zero_day is not None:
            pace += f" (below 1 ×10^9/L by day {zero_day:.0f})"
        return f"{settings}, {pace}."
    return (
        f"{settings}, the circulating count settles at {count:.0f} ×10^9/L, {where}; "
        f"{end.pooled_in_spleen:.0f} ×10^9/L sit in the spleen, and half of any change is reached "
        f"in {end.half_time_days:.1f} days (day 0 count {result.circulating_count[0]:.0f})."
    )


def platelet_balance_explorer(
    production_percent: float = 100.0,
    pooled_fraction: float = NORMAL_POOLED_FRACTION,
    survival_days: float = NORMAL_SURVIVAL_DAYS,
) -> PlateletBalanceExplorer:
    """The platelet balance explorer of lesson 02 (production in % of normal, pooled fraction 0–0.9,
    survival in days)."""
    return PlateletBalanceExplorer(production_percent, pooled_fraction, survival_days)


@dataclass(frozen=True)
class StaticChart:
    """A drawn figure shown as an HTML ``<img>`` whose alt text is the description (screen readers, nbval)."""

    png: bytes
    description: str

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.png).decode("ascii")
        text = escape(self.description)
        image = f'<img src="data:image/png;base64,{encoded}" alt="{text}"/>'
        return f"<figure>{image}<figcaption>{text}</figcaption></figure>"

    def __repr__(self) -> str:
        return self.description


def measured_kinetics() -> tuple[PlateletKineticsGroup, ...]:
    """Measured 111In platelet survival and recovery by spleen status (``data/calibration/platelet_kinetics.toml``)."""
    groups = content.entries("calibration/platelet_kinetics.toml", PlateletKineticsGroup, array="group")
    for group in groups:
        citations.cite(*group.sources, by="measured platelet kinetics")
    return groups


def spleen_studies_chart() -> StaticChart:
    """Lesson 02's figure of survival and recovery with a normal spleen, no spleen and an enlarged spleen."""
    groups = measured_kinetics()
    figure = draw_spleen_studies(groups)
    parts = [
        f"{g.name.lower()}: survival {g.survival_days:g} days, {g.recovery_percent:g}% of infused platelets circulating"
        for g in groups
    ]
    description = (
        "Bar charts of labelled-platelet studies (mean ± SD): " + "; ".join(parts) + ". "
        "The bigger the spleen, the fewer platelets stay in the blood and the shorter they last."
    )
    return StaticChart(png_bytes(figure), description)
