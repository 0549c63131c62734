"""The transfusion-strategy comparison (lesson 04's deep dive) as a live figure: the nadir moves in the browser.

A virtual cohort (:func:`petechiae_edu.calibrated.simulate_cohort`) runs under three strategies (prophylaxis below
10 or 20 ×10^9/L, therapeutic-only transfusion); the figure shows the mean platelet count by day, the share of
patients who bled and the transfusions per patient. For every typical nadir count on the slider (1–20 ×10^9/L by
0.5: 39 cohorts) the outcomes are simulated once and sent as tables: the three mean-count curves, the nine bar
heights and the description sentence (a Python-made string, so the front end says exactly what
:meth:`TransfusionStrategyExplorer.sentence` says). Moving the nadir then costs no kernel round trip, and works
in an offline handout. The transfusions axis has one fixed top for every setting (from the most-transfused corner
of the settings), so the data-to-SVG transform the front end holds stays right.

Kernel paths (and why): the **share of days with fever** and the **cohort size**. Precomputing the fever share
too (11 values) would mean 429 cohorts of 10,000 patients on every start, about 18 s measured here (36–42 ms a
cohort), against about 1.6 s for the 39 nadirs of one fever share; so a new fever share or cohort size
simulates that column of nadirs in Python (1–2 s) and sends new tables. In a handout (no kernel) both are
disabled with a note; the nadir slider works there. Results are cached per process (per cohort size and fever
share; the cohort is seeded, so they depend only on the shipped model).
"""

from __future__ import annotations

import math
from functools import cache

import ipywidgets as widgets
import numpy as np

from .. import calibrated, citations, validation
from ..figures import bleeding as drawing
from ..live import LiveApp, Tables
from ..models import bleeding, cohort
from ..models.cohort import CohortResult
from .controls import labelled_slider

KERNEL_NOTE = "Needs Python (a new cohort is simulated): open the lesson in Jupyter to change this."
BAR_GROUPS = ("grade2", "grade3", "transfusions")


def strategy_sentence(result: CohortResult) -> str:
    """What the description says about one cohort result (shares in %, transfusions per patient)."""
    o = result.outcomes
    low, high, therapeutic = o["prophylactic <10"], o["prophylactic <20"], o["therapeutic only"]
    return (
        f"In {result.settings.patients:,} virtual patients, grade ≥2 bleeding affected "
        f"{100 * low.share_with_grade2_bleeding:.0f} % with prophylaxis below 10, "
        f"{100 * high.share_with_grade2_bleeding:.0f} % below 20 and "
        f"{100 * therapeutic.share_with_grade2_bleeding:.0f} % with therapeutic-only transfusion, "
        f"using {low.mean_transfusions:.1f}, {high.mean_transfusions:.1f} and "
        f"{therapeutic.mean_transfusions:.1f} transfusions per patient; grade ≥3 bleeding "
        f"{100 * low.share_with_grade3_bleeding:.1f} %, {100 * high.share_with_grade3_bleeding:.1f} % and "
        f"{100 * therapeutic.share_with_grade3_bleeding:.1f} %."
    )


def bar_heights(result: CohortResult) -> dict[str, list[float]]:
    """The heights of the figure's bars: % who bled (grade ≥2, ≥3) and transfusions per patient, per strategy."""
    outcomes = list(result.outcomes.values())
    return {
        "grade2": [100 * o.share_with_grade2_bleeding for o in outcomes],
        "grade3": [100 * o.share_with_grade3_bleeding for o in outcomes],
        "transfusions": [o.mean_transfusions for o in outcomes],
    }


@cache
def cohorts(patients: int, fever_share_percent: float, nadirs: tuple[float, ...]) -> tuple[CohortResult, ...]:
    """The cohort result for each nadir count (×10^9/L) at one cohort size and share of fever days (%)."""
    return tuple(
        calibrated.simulate_cohort(
            cohort.CohortSettings(
                patients=patients, nadir_count_median=nadir, fever_day_share=fever_share_percent / 100
            )
        )
        for nadir in nadirs
    )


@cache
def transfusion_top(lowest_nadir: float, highest_fever_percent: float) -> float:
    """One top for the transfusions axis for every setting: 1.2 × the most transfusions per patient at the
    lowest nadir (with and without the most fever), rounded up, at least 12."""
    most = 0.0
    for fever in (0.0, highest_fever_percent):
        result = cohorts(10_000, fever, (lowest_nadir,))[0]
        most = max(most, max(o.mean_transfusions for o in result.outcomes.values()))
    return float(max(12.0, math.ceil(1.2 * most)))


def cohort_tables(tables: Tables, results: tuple[CohortResult, ...], figure_artists) -> None:
    """Tables over the nadir grid: the sentence, the three mean-count curves and every bar's height."""
    tables.texts("sentence", np.asarray([strategy_sentence(r) for r in results], dtype=object), ["nadir"])
    days = results[0].settings.days
    tables.numbers("days", np.arange(days))
    for i in range(len(results[0].outcomes)):
        curves = [list(r.outcomes.values())[i].mean_platelet_count_by_day for r in results]
        tables.numbers(f"trajectory_{i}", np.asarray(curves), ["nadir"])
    heights = [bar_heights(r) for r in results]
    bars = {**figure_artists.bleeding_bars, "transfusions": figure_artists.transfusion_bars["all"]}
    tables.numbers("zero2", [0.0, 0.0])
    for group in BAR_GROUPS:
        for i, bar in enumerate(bars[group]):
            tables.numbers(f"barx_{group}_{i}", [bar.get_x(), bar.get_x() + bar.get_width()])
            tables.numbers(f"bar_{group}_{i}", np.asarray([[h[group][i]] * 2 for h in heights]), ["nadir"])


def cohort_marks(strategies: int) -> list[dict]:
    """Curves (no clamping: the SVG's clip path crops them as matplotlib did) and bars as rectangles."""
    marks: list[dict] = [
        {"kind": "path", "gid": f"trajectory_{i}", "axes": "trajectory", "x": {"table": "days"},
         "y": {"table": f"trajectory_{i}"}}
        for i in range(strategies)
    ]  # fmt: skip
    for group in BAR_GROUPS:
        axes = "transfused" if group == "transfusions" else "bled"
        marks += [
            {"kind": "band", "gid": f"bar_{group}_{i}", "axes": axes, "x": {"table": f"barx_{group}_{i}"},
             "low": {"table": "zero2"}, "high": {"table": f"bar_{group}_{i}"}}
            for i in range(strategies)
        ]  # fmt: skip
    return marks


class TransfusionStrategyExplorer(LiveApp):
    """Run the virtual cohort under three transfusion strategies and compare bleeding and transfusions."""

    def __init__(self, patients: int = 10_000) -> None:
        super().__init__("Transfusion strategies in a virtual cohort (teaching model)")
        citations.cite(*bleeding.SOURCES, by="model: bleeding")
        citations.cite(*cohort.SOURCES, by="model: transfusion cohort")
        self.patients = widgets.Dropdown(
            options=[("1,000 patients", 1000), ("10,000 patients", 10_000)], value=patients, description="Cohort:"
        )
        self.nadir = labelled_slider(
            "Typical nadir count", minimum=1.0, maximum=20.0, step=0.5, value=4.0, unit="×10^9/L"
        )
        self.fever_share = labelled_slider(
            "Days with fever",
            minimum=0.0,
            maximum=50.0,
            step=5.0,
            value=15.0,
            unit="% of days",
            readout_format=".0f",
        )
        self.bind("nadir", self.nadir)
        self.bind("fever_share", self.fever_share, kernel=True, note=KERNEL_NOTE)
        self.bind("patients", self.patients, kernel=True, note=KERNEL_NOTE)
        self.controls = [self.patients, self.nadir.box, self.fever_share.box]
        self.nadirs = tuple(Tables(self.control_specs).grid("nadir"))
        self.top = transfusion_top(self.nadirs[0], float(self.fever_share.slider.max))
        self.results = self._simulate()
        self.result = self._current()
        self.figure, self.artists = drawing.build_cohort_figure(self.result, self.top)
        trajectory, bled, transfused = self.artists.axes
        self.start(
            self.figure,
            axes={"trajectory": trajectory, "bled": bled, "transfused": transfused},
            rows=[["patients"], ["nadir"], ["fever_share"]],
            marks=cohort_marks(len(self.result.outcomes)),
            description=[{"table": "sentence"}],
            tables=self._tables(),
        )

    @property
    def settings(self) -> cohort.CohortSettings:
        return cohort.CohortSettings(
            patients=int(self.patients.value),
            nadir_count_median=self.nadir.value,
            fever_day_share=self.fever_share.value / 100,
        )

    def _simulate(self) -> tuple[CohortResult, ...]:
        return cohorts(int(self.patients.value), float(self.fever_share.value), self.nadirs)

    def _current(self) -> CohortResult:
        spec = self.control_specs["nadir"]
        return self.results[round((float(self.nadir.value) - spec["min"]) / spec["step"])]

    def _tables(self) -> dict:
        tables = Tables(self.control_specs)
        cohort_tables(tables, self.results, self.artists)
        return tables.tables

    def on_kernel_control(self, name: str) -> None:
        """A new fever share or cohort size: simulate its nadirs, send the tables and redraw the static layer."""
        self.results = self._simulate()
        self.result = self._current()
        self.live.tables = self._tables()
        drawing.update_cohort_figure(self.artists, self.result)
        self.artists.axes[2].set_ylim(0, self.top)
        self.redraw(self.figure)

    def update(self) -> None:
        """The cohort of the current nadir (precomputed) and its description (the browser moves the figure)."""
        self.result = self._current()
        self.describe(self.sentence())

    def sentence(self) -> str:
        return strategy_sentence(self.result)


def transfusion_strategy_explorer(patients: int = 10_000) -> TransfusionStrategyExplorer:
    """The transfusion-strategy comparison on a virtual cohort of ``patients`` (1000 or 10000) patients."""
    return TransfusionStrategyExplorer(validation.choice(patients, "patients", (1000, 10_000)))
