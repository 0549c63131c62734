"""Lesson 03: a filterable table of the leukaemias and a forest-style chart of their risk factors."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from .. import citations, content
from ..content.records import COURSES, LINEAGES, LeukaemiaType, RiskFactor
from ..figures.render import png_bytes
from ..figures.risk_factors import RATIO_MEASURES, by_measure, draw_risk_factor_forest, is_ratio
from .app import FigureApp, TableApp
from .tables import Table

ANY = "any"


def select_leukaemias(lineage: str = ANY, course: str = ANY) -> tuple[LeukaemiaType, ...]:
    """The leukaemia types of the content store matching ``lineage`` and ``course`` ('any' for all)."""
    _check_choice("lineage", lineage, LINEAGES)
    _check_choice("course", course, COURSES)
    return tuple(
        t for t in content.leukaemia_types().values() if lineage in (ANY, t.lineage) and course in (ANY, t.course)
    )


def _check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value != ANY and value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join((ANY, *allowed))}; got {value!r}")


def leukaemia_rows(types: Sequence[LeukaemiaType]) -> Table:
    """The chosen leukaemias as a captioned table (one row each)."""
    rows = tuple(
        (
            f"{t.name} ({t.abbreviation})",
            t.lineage,
            t.course,
            t.typical_age,
            "; ".join(t.hallmarks),
            t.epidemiology,
            f"{t.median_age_years:g}" if t.median_age_years is not None else "not given",
            t.five_year_survival or "not given",
            citations.references_text(t.sources),
        )
        for t in types
    )
    return Table(
        "The leukaemias: lineage, pace, who gets them, hallmarks and numbers (US figures unless stated)",
        (
            "Leukaemia",
            "Lineage",
            "Course",
            "Who gets it",
            "Hallmarks",
            "Epidemiology",
            "Median age (years)",
            "5-year survival",
            "Sources",
        ),
        rows,
    )


def describe_selection(types: Sequence[LeukaemiaType], lineage: str, course: str) -> str:
    """One sentence naming what the filtered table shows."""
    total = len(content.leukaemia_types())
    filters = [f for f in (course if course != ANY else "", lineage if lineage != ANY else "") if f]
    label = " ".join(filters) if filters else "all"
    if not types:
        return f"No leukaemia in the course is {label}."
    names = ", ".join(t.abbreviation for t in types)
    return f"Showing {len(types)} of {total} leukaemias ({label}): {names}."


class LeukaemiaTable(TableApp):
    """The five leukaemias as a table, filtered by lineage and course with two Dropdowns."""

    def __init__(self, lineage: str = ANY, course: str = ANY) -> None:
        super().__init__("The leukaemias")
        _check_choice("lineage", lineage, LINEAGES)
        _check_choice("course", course, COURSES)
        for t in content.leukaemia_types().values():
            citations.cite(*t.sources, by="leukaemia table")
        style = {"description_width": "initial"}
        self.lineage = widgets.Dropdown(
            options=[("any lineage", ANY)] + [(name, name) for name in LINEAGES],
            value=lineage,
            description="Lineage:",
            style=style,
        )
        self.course = widgets.Dropdown(
            options=[("acute or chronic", ANY)] + [(name, name) for name in COURSES],
            value=course,
            description="Course:",
            style=style,
        )
        self.controls = [self.lineage, self.course]
        self.lineage.observe(self._on_change, names="value")
        self.course.observe(self._on_change, names="value")
        self.types: tuple[LeukaemiaType, ...] = ()
        self.table: Table | None = None
        self.refresh()

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.types = select_leukaemias(self.lineage.value, self.course.value)
        self.table = leukaemia_rows(self.types)
        self.describe(describe_selection(self.types, self.lineage.value, self.course.value))
        self.show_table(self.table._repr_html_())

    @property
    def widget(self) -> widgets.VBox:
        return widgets.VBox([widgets.HBox([self.lineage, self.course]), self.description_html, self.table_html])


def leukaemia_table(lineage: str = ANY, course: str = ANY) -> LeukaemiaTable:
    """Lesson 03's table of AML, ALL, CML, CLL and hairy cell leukaemia; ``lineage`` is 'myeloid',
    'lymphoid' or 'any', ``course`` 'acute', 'chronic' or 'any'."""
    return LeukaemiaTable(lineage, course)


# --- risk factors ---


def select_risk_factors(leukaemia: str = ANY, measure: str = ANY) -> tuple[RiskFactor, ...]:
    """Risk-factor estimates about ``leukaemia`` (a key such as 'aml', or 'any') with ``measure`` (or 'any')."""
    types = content.leukaemia_types()
    if leukaemia != ANY and leukaemia not in types:
        raise ValueError(f"leukaemia must be one of {', '.join((ANY, *types))}; got {leukaemia!r}")
    factors = content.risk_factors().values()
    measures = sorted({f.measure for f in factors})
    if measure != ANY and measure not in measures:
        raise ValueError(f"measure must be one of {', '.join((ANY, *measures))}; got {measure!r}")
    return tuple(
        f
        for f in factors
        if (leukaemia == ANY or leukaemia in f.leukaemias) and (measure == ANY or f.measure == measure)
    )


def describe_risk_chart(factors: Sequence[RiskFactor], leukaemia: str) -> str:
    """One sentence: what the chart shows, the largest estimate of each measure, and what is left out."""
    who = "any leukaemia" if leukaemia == ANY else content.leukaemia_types()[leukaemia].abbreviation
    groups = by_measure(factors)
    others = [f for f in factors if not is_ratio(f)]
    if not groups:
        text = f"No ratio estimates for {who}."
    else:
        tops = "; ".join(
            f"{measure} up to {group[-1].headline_value:g} ({group[-1].name})" for measure, group in groups.items()
        )
        count = sum(len(g) for g in groups.values())
        panels = "1 panel" if len(groups) == 1 else f"{len(groups)} separate panels, each on its own log scale"
        text = f"{count} ratio estimate{'s' * (count != 1)} for {who} in {panels}: {tops}."
        if len(groups) > 1:
            text += " These measures come from different designs and are not comparable across panels."
    if others:
        kinds = ", ".join(sorted({f.measure for f in others}))
        if len(others) == 1:
            text += f" 1 estimate that is not a ratio ({kinds}) is listed below the chart."
        else:
            text += f" {len(others)} estimates that are not ratios ({kinds}) are listed below the chart."
    return text


class RiskFactorChart(FigureApp):
    """Risk factors as a forest-style chart, one panel per measure, filtered by leukaemia and measure."""

    def __init__(self, leukaemia: str = ANY, measure: str = ANY) -> None:
        super().__init__("Risk factors for leukaemia and their measured effect sizes")
        select_risk_factors(leukaemia, measure)  # checks the arguments
        for factor in content.risk_factors().values():
            citations.cite(*factor.sources, by="risk factor chart")
        style = {"description_width": "initial"}
        types = content.leukaemia_types()
        self.leukaemia = widgets.Dropdown(
            options=[("any leukaemia", ANY)] + [(f"{t.abbreviation}: {t.name}", key) for key, t in types.items()],
            value=leukaemia,
            description="Leukaemia:",
            style=style,
        )
        self.measure = widgets.Dropdown(
            options=[("every ratio measure", ANY)] + [(text, key) for key, text in RATIO_MEASURES.items()],
            value=measure,
            description="Measure:",
            style=style,
            layout=widgets.Layout(width="auto"),
        )
        self.controls = [widgets.HBox([self.leukaemia, self.measure])]
        self.other_estimates = widgets.HTML()
        self.factors: tuple[RiskFactor, ...] = ()
        self.leukaemia.observe(self._on_change, names="value")
        self.measure.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        chosen = select_risk_factors(self.leukaemia.value, self.measure.value)
        self.factors = chosen
        self.describe(describe_risk_chart(chosen, self.leukaemia.value))
        others = [f for f in chosen if not is_ratio(f)]
        items = "".join(
            f"<li><strong>{escape(f.name)}</strong> ({escape(f.measure)} {f.headline_value:g}): {escape(f.effect)}</li>"
            for f in others
        )
        self.other_estimates.value = f"<p>Not ratios, so not on the chart:</p><ul>{items}</ul>" if others else ""
        self.show_figure(png_bytes(draw_risk_factor_forest([f for f in chosen if is_ratio(f)])))

    def shown(self) -> list[widgets.Widget]:
        return [*super().shown(), self.other_estimates]


def risk_factor_chart(leukaemia: str = ANY, measure: str = ANY) -> RiskFactorChart:
    """Lesson 03's chart of risk-factor effect sizes; ``leukaemia`` is a type key ('aml', ...) or 'any',
    ``measure`` one of 'SIR', 'O/E', 'HR', 'RR' or 'any'."""
    return RiskFactorChart(leukaemia, measure)
