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
from ..figures.render import css_size, png_bytes
from ..live import LiveApp
from ..models.platelet_kinetics import (
    NORMAL_POOLED_FRACTION,
    NORMAL_SURVIVAL_DAYS,
    SOURCES,
    Approach,
    PlateletBalance,
    approach,
    steady_state,
)
from . import platelet_balance_live as live_tables
from .controls import labelled_slider
from .platelet_balance_live import DAYS_SHOWN

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


class PlateletBalanceExplorer(LiveApp):
    """Move production, splenic pooling and survival; see where the count settles and how fast.

    A live figure (:mod:`petechiae_edu.live`): production and survival move in the browser from tables Python
    computed for the current spleen share (:mod:`.platelet_balance_live`); the spleen share is a kernel path
    (Python sends the tables for the new share; disabled in a handout). The docstring of
    :mod:`.platelet_balance_live` says why.
    """

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
        self.bind("production", self.production)
        self.bind("pooling", self.pooling, kernel=True, note=live_tables.SPLEEN_NOTE)
        self.bind("survival", self.survival)
        self.drawing = PlateletBalanceFigure(self.reference_range, days=DAYS_SHOWN)
        normal = steady_state()
        self.drawing.set_normal(normal.circulating_count, normal.pooled_in_spleen)
        self.result = self.compute()
        self.drawing.update(self.result)
        tables, template = self.live_tables()
        self.start(
            self.drawing.figure,
            axes={"mass": self.drawing.mass_axes, "time": self.drawing.time_axes},
            rows=[["production"], ["pooling"], ["survival"]],
            marks=live_tables.MARKS,
            description=template,
            tables=tables,
        )

    @property
    def balance(self) -> PlateletBalance:
        return PlateletBalance(
            production_percent=self.production.value,
            pooled_fraction=self.pooling.value,
            survival_days=self.survival.value,
        )

    def compute(self) -> Approach:
        return approach(self.balance, days=DAYS_SHOWN)

    def live_tables(self) -> tuple[dict, list[dict]]:
        """Tables and the description template for the current spleen share (cached per share)."""
        return live_tables.cached_balance_tables(self.control_specs, self.pooling.value, self.reference_range)

    def on_kernel_control(self, name: str) -> None:
        """The spleen share changed: send the tables for the new share (the front end redraws from them)."""
        self.live.tables = self.live_tables()[0]

    def update(self) -> None:
        self.result = self.compute()
        self.describe(self.sentence())

    def sentence(self) -> str:
        return describe_approach(self.result, self.reference_range)


def describe_approach(result: Approach, reference_range: tuple[float, float]) -> str:
    """One sentence: the settings, where the count settles against the range, and how fast."""
    return "".join(live_tables.result_fragments(result, reference_range))


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
        width = css_size(self.png)[0]  # a 2x PNG shown at its CSS width: sharp on high-density screens
        image = (
            f'<img src="data:image/png;base64,{encoded}" alt="{text}" width="{width:g}" '
            'style="max-width:100%;height:auto"/>'
        )
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
