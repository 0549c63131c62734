"""Simulation 1 as apps: the bleeding-risk explorer and the transfusion-strategy comparison.

Both are :class:`FigureApp` subclasses wired with ``observe``. The explorer keeps one figure: moving the
platelet slider moves only the marker and the spots (blitted, see ``BlitRenderer``); changing a risk factor
redraws the curves once and refreshes the cached background.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import calibrated, citations
from ..content import bleeding_data
from ..figures import bleeding as drawing
from ..figures.render import BlitRenderer, png_bytes
from ..models import bleeding, cohort, petechiae
from ..models.bleeding import COVARIATE_LEVELS, Covariates, DailyBleedingRisk
from .app import FigureApp
from .controls import labelled_slider

_LEVEL_LABELS = {
    "inr": [("INR below 1.2", "none"), ("INR 1.2–1.5", "inr_1_2_to_1_5"), ("INR above 1.5", "inr_above_1_5")],
    "aptt": [("aPTT below 30 s", "none"), ("aPTT 30–50 s", "aptt_30_to_50"), ("aPTT above 50 s", "aptt_above_50")],
}


def _percent(probability: float) -> str:
    value = 100 * probability
    return f"{value:.2g} %" if value < 1 else f"{value:.3g} %" if value < 10 else f"{value:.0f} %"


class BleedingExplorer(FigureApp):
    """Platelet count → daily bleeding risk (with band and published points) and petechiae on a body map."""

    def __init__(self, platelet_count: float = 8.0, days: float = 3.0) -> None:
        super().__init__("Platelet count and bleeding risk (teaching model)")
        thresholds = bleeding_data.transfusion_thresholds()
        citations.cite(*bleeding.SOURCES, by="model: bleeding")
        citations.cite(*petechiae.SOURCES, by="model: petechiae (illustrative)")
        citations.cite(*dict.fromkeys(k for t in thresholds for k in t.sources), by="figure: threshold bands")
        self.model = calibrated.default_model()
        self.sampler = petechiae.PetechiaeSampler()
        self.platelets = labelled_slider(
            "Platelet count", minimum=0.5, maximum=150.0, step=0.5, value=platelet_count, unit="×10^9/L"
        )
        self.days = labelled_slider(
            "Days at this count", minimum=1.0, maximum=7.0, step=1.0, value=days, unit="days", readout_format=".0f"
        )
        self.fever = widgets.Checkbox(value=False, description="Fever ≥38 °C", indent=False)
        self.haematocrit = widgets.Checkbox(value=False, description="Haematocrit ≤25 %", indent=False)
        self.straining = widgets.Checkbox(value=False, description="Coughing or vomiting (straining)", indent=False)
        self.inr = widgets.Dropdown(options=_LEVEL_LABELS["inr"], value="none", description="INR:")
        self.aptt = widgets.Dropdown(options=_LEVEL_LABELS["aptt"], value="none", description="aPTT:")
        self.figure, self.artists = drawing.build_explorer_figure(
            self.model, self.covariates, bleeding_data.calibration_points(), thresholds
        )
        self.renderer = BlitRenderer(self.figure, self.artists.animated)
        self.result: DailyBleedingRisk | None = None
        self.spots: petechiae.PetechiaeSample | None = None
        self.platelets.observe(self._on_move)
        self.days.observe(self._on_move)
        self.straining.observe(self._on_move, names="value")
        for control in (self.fever, self.haematocrit, self.inr, self.aptt):
            control.observe(self._on_risk_factors, names="value")
        self.controls = [
            self.platelets.box,
            widgets.HBox([self.fever, self.haematocrit, self.inr, self.aptt]),
            widgets.HBox([self.straining]),
            self.days.box,
        ]
        self.update()

    @property
    def covariates(self) -> Covariates:
        return Covariates(
            fever=COVARIATE_LEVELS["fever"][int(self.fever.value)],
            haematocrit=COVARIATE_LEVELS["haematocrit"][int(self.haematocrit.value)],
            inr=self.inr.value,
            aptt=self.aptt.value,
        )

    def _on_move(self, _change=None) -> None:
        self.update()

    def _on_risk_factors(self, _change=None) -> None:
        drawing.update_curves(self.artists, self.model, self.covariates)
        self.renderer.refresh_background()
        self.update()

    def update(self) -> None:
        """Recompute for the current controls; the description first, then the image."""
        count = self.platelets.value
        self.result = bleeding.daily_bleeding_risk(count, self.covariates, model=self.model)
        self.spots = self.sampler.sample(count, self.days.value, straining=self.straining.value)
        self.describe(self.sentence())
        drawing.update_marker(self.artists, count, self.result.grade2, self.result.grade3, self.spots)
        self.show_figure(self.renderer.render())

    def sentence(self) -> str:
        r = self.result
        factors = [
            label
            for label, on in (
                ("fever", self.fever.value),
                ("haematocrit ≤25 %", self.haematocrit.value),
                ("INR raised", self.inr.value != "none"),
                ("aPTT raised", self.aptt.value != "none"),
            )
            if on
        ]
        extra = f"with {', '.join(factors)} (odds × {r.odds_ratio:.2f})" if factors else "with no extra risk factors"
        days = int(self.days.value)
        return (
            f"At {r.platelet_count:g} ×10^9/L, {extra}, the model gives a {_percent(r.grade2)} chance per day of "
            f"WHO grade ≥2 bleeding (band {_percent(r.grade2_band[0])}–{_percent(r.grade2_band[1])}) and "
            f"{_percent(r.grade3)} of grade ≥3 (band {_percent(r.grade3_band[0])}–{_percent(r.grade3_band[1])}); "
            f"the body shows {self.spots.total} petechiae after {days} day{'s' if days != 1 else ''} "
            f"(illustrative numbers)."
        )

    def naive_png(self) -> bytes:
        """The same picture by the naive pattern (new figure + full PNG), for the benchmark."""
        r = self.result
        return drawing.explorer_png_from_scratch(
            self.model,
            self.covariates,
            bleeding_data.calibration_points(),
            bleeding_data.transfusion_thresholds(),
            r.platelet_count,
            r.grade2,
            r.grade3,
            self.spots,
        )


class TransfusionStrategyExplorer(FigureApp):
    """Run the virtual cohort under three transfusion strategies and compare bleeding and transfusions."""

    def __init__(self, patients: int = 10_000) -> None:
        super().__init__("Transfusion strategies in a virtual cohort (teaching model)")
        citations.cite(*bleeding.SOURCES, by="model: bleeding")
        citations.cite(*cohort.SOURCES, by="model: transfusion cohort")
        self.patients = widgets.Dropdown(
            options=[("1,000 patients", 1000), ("10,000 patients", 10_000)], value=patients, description="Cohort:"
        )
        self.nadir = labelled_slider(
            "Typical nadir count",
            minimum=1.0,
            maximum=20.0,
            step=0.5,
            value=4.0,
            unit="×10^9/L",
            continuous_update=False,
        )
        self.fever_share = labelled_slider(
            "Days with fever",
            minimum=0.0,
            maximum=50.0,
            step=5.0,
            value=15.0,
            unit="% of days",
            readout_format=".0f",
            continuous_update=False,
        )
        self.result = calibrated.simulate_cohort(self.settings)
        self.figure, self.artists = drawing.build_cohort_figure(self.result)
        self.renderer = BlitRenderer(self.figure, self.artists.moving)
        for control in (self.nadir, self.fever_share):
            control.observe(self._on_change)
        self.patients.observe(self._on_change, names="value")
        self.controls = [self.patients, self.nadir.box, self.fever_share.box]
        self._show()

    @property
    def settings(self) -> cohort.CohortSettings:
        return cohort.CohortSettings(
            patients=int(self.patients.value),
            nadir_count_median=self.nadir.value,
            fever_day_share=self.fever_share.value / 100,
        )

    def _on_change(self, _change=None) -> None:
        self.update()

    def update(self) -> None:
        self.result = calibrated.simulate_cohort(self.settings)
        if drawing.update_cohort_figure(self.artists, self.result):
            self.renderer.refresh_background()
        self._show()

    def _show(self) -> None:
        o = self.result.outcomes
        low, high, therapeutic = o["prophylactic <10"], o["prophylactic <20"], o["therapeutic only"]
        self.describe(
            f"In {self.result.settings.patients:,} virtual patients, grade ≥2 bleeding affected "
            f"{100 * low.share_with_grade2_bleeding:.0f} % with prophylaxis below 10, "
            f"{100 * high.share_with_grade2_bleeding:.0f} % below 20 and "
            f"{100 * therapeutic.share_with_grade2_bleeding:.0f} % with therapeutic-only transfusion, "
            f"using {low.mean_transfusions:.1f}, {high.mean_transfusions:.1f} and "
            f"{therapeutic.mean_transfusions:.1f} transfusions per patient; grade ≥3 bleeding "
            f"{100 * low.share_with_grade3_bleeding:.1f} %, {100 * high.share_with_grade3_bleeding:.1f} % and "
            f"{100 * therapeutic.share_with_grade3_bleeding:.1f} %."
        )
        self.show_figure(self.renderer.render())


class PublishedBleedingData(FigureApp):
    """A static figure of the published calibration figures over the fitted curves (no controls)."""

    def __init__(self) -> None:
        super().__init__("Published bleeding figures and the fitted teaching model")
        points = bleeding_data.calibration_points()
        citations.cite(*dict.fromkeys(k for p in points for k in p.sources), by="figure: published bleeding data")
        model = calibrated.default_model()
        figure = drawing.new_figure(7.0, 4.2, dpi=80)
        thresholds = bleeding_data.transfusion_thresholds()
        drawing.draw_risk_curve(figure.add_subplot(), model, Covariates(), points, thresholds)
        self.describe(
            "Black squares: major bleeding on 1.9 % of days below 10 and 0.07 % at 10–20 ×10^9/L (Gmür) and "
            "grade ≥3 bleeding on 0.8 % of PLADO days; black circle: grade ≥2A bleeding on 13.3 % of PLADO days; "
            "dotted bars mark count bands we had to assume. Blue lines: the fitted model (solid grade ≥2, dashed "
            "grade ≥3) with shaded uncertainty bands; orange lines: thresholds 10, 20 and 50 ×10^9/L."
        )
        self.show_figure(png_bytes(figure))


def published_bleeding_data() -> PublishedBleedingData:
    """The published figures the bleeding model is calibrated to, plotted over the fitted curves."""
    return PublishedBleedingData()


def bleeding_explorer(platelet_count: float = 8.0, days: float = 3.0) -> BleedingExplorer:
    """The bleeding-risk explorer, starting at ``platelet_count`` ×10^9/L."""
    return BleedingExplorer(platelet_count, days)


def transfusion_strategy_explorer(patients: int = 10_000) -> TransfusionStrategyExplorer:
    """The transfusion-strategy comparison on a virtual cohort."""
    return TransfusionStrategyExplorer(patients)
