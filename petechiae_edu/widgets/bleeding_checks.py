"""Lesson 04's views of the bleeding model's calibration: the adult and child curves, and the fit/check tables.

- :func:`bleeding_age_curves`: a figure app (described for screen readers) with the adult and child curves beside
  the published figures (:mod:`petechiae_edu.figures.bleeding_checks`);
- :func:`bleeding_check_table`: an accessible HTML table of every published figure beside the model's value and
  its 95 % bootstrap interval, day-level figures and the virtual cohort's patient-level ones, fit and check. A
  floor or a qualitative figure is shown in words, never as a published number; a check that cannot fail (it
  holds by construction, or its model value is a fitted one) says so in the "used for" column.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import calibrated, citations
from ..content import bleeding_data
from ..figures.bleeding_checks import age_curves_description, age_curves_figure
from ..figures.render import png_bytes
from ..markup import html_table
from ..models import bleeding
from .app import FigureApp, TableApp

MARKED_COUNTS = (2.0, 5.0, 10.0, 20.0, 50.0)  # ×10^9/L a student can mark on the chart


class AgeCurvesApp(FigureApp):
    """The adult and child daily risk curves with the published figures; a drop-down marks one count."""

    def __init__(self, platelet_count: float = 10.0) -> None:
        super().__init__("Daily bleeding risk by platelet count: adults and children")
        citations.cite(*bleeding.SOURCES, by="figure: adult and child bleeding curves")
        self.model = calibrated.default_model()
        self.points = bleeding_data.calibration_points()
        options = [(f"{c:g} ×10^9/L", c) for c in MARKED_COUNTS]
        self.platelets = widgets.Dropdown(options=options, value=platelet_count, description="Mark the count")
        self.platelets.observe(lambda _: self.update(), names="value")
        self.controls = [self.platelets]
        self.update()

    def update(self) -> None:
        count = float(self.platelets.value)
        figure = age_curves_figure(self.model, self.points, marked_count=count)
        self.show_figure(png_bytes(figure))
        self.describe(age_curves_description(self.model, counts=(count,)))


def bleeding_age_curves(platelet_count: float = 10.0) -> AgeCurvesApp:
    """The adult and paediatric curves (lesson 04, core path); ``platelet_count`` (×10^9/L) is marked."""
    return AgeCurvesApp(platelet_count)


class CheckTableApp(TableApp):
    """Every calibration figure beside the model: which the fits saw, which they never saw (a drop-down filters)."""

    def __init__(self) -> None:
        super().__init__("The bleeding model against the published figures")
        self.day_rows = calibrated.fit_bleeding_model().checks
        self.cohort_rows = calibrated.cohort_checks()
        options = [("all figures", "all"), ("fitted only", "fit"), ("checks only (never fitted)", "check")]
        self.shown_use = widgets.Dropdown(options=options, value="all", description="Show")
        self.shown_use.observe(lambda _: self.update(), names="value")
        self.controls = [self.shown_use]
        self.update()

    def update(self) -> None:
        use = self.shown_use.value
        keep = (lambda c: True) if use == "all" else (lambda c: c.use == use)
        day_rows = [c for c in self.day_rows if keep(c)]
        cohort_rows = [c for c in self.cohort_rows if keep(c)]
        rows = [(c.key, ROLE_LABELS[c.role], *_day_cells(c)) for c in day_rows]
        rows += [(c.key, ROLE_LABELS[c.role], *c.cells()) for c in cohort_rows]
        caption = "Day-level figures (risk per day) first, then the virtual cohort's patient-level figures."
        columns = ("figure", "used for", "published", "model (95 % interval)")
        self.show_table(html_table(caption, columns, rows, row_headers=True, collapse_after=None))
        shown = (*day_rows, *cohort_rows)
        checks = sum(c.role == "check" for c in shown)
        cannot_fail = sum(c.role in ("by construction", "context") for c in shown)
        self.describe(
            f"{len(shown)} published figures beside the model shown; {checks} of them are checks the fits never "
            f"saw, and {cannot_fail} more were never fitted but cannot fail (they hold by construction or restate "
            "a fitted figure)."
        )


ROLE_LABELS = {
    "fit": "fit",
    "check": "check",
    "by construction": "check that holds by construction (cannot fail)",
    "context": "context: its model value is a fitted one (cannot fail)",
}


def _day_cells(check) -> list[str]:
    if check.measure.startswith("minimum"):
        return list(check.cells())
    if "ratio" in check.measure:
        shown = [f"{v:.2f}" for v in (check.published, check.model, check.model_low, check.model_high)]
    else:
        shown = [f"{100 * v:.2f} % of days" for v in (check.published, check.model, check.model_low, check.model_high)]
    return [shown[0], f"{shown[1]} ({shown[2]} to {shown[3]})"]


def bleeding_check_table() -> CheckTableApp:
    """The fit/check table (lesson 04, optional deep dive)."""
    return CheckTableApp()
