"""Simulation 1 as apps: the bleeding-risk explorer and the transfusion-strategy comparison.

Both are :class:`FigureApp` subclasses wired with ``observe``. The explorer keeps one figure: moving the
platelet slider moves only the marker and the spots (blitted, see ``BlitRenderer``); changing a risk factor
redraws the curves once and refreshes the cached background.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import calibrated, citations, validation
from ..content import bleeding_data
from ..content.skin_data import skin_tones
from ..figures import bleeding as drawing
from ..figures.render import BlitRenderer, png_bytes
from ..models import bleeding, cohort, petechiae
from ..models.bleeding import COVARIATE_LEVELS, Covariates
from ..models.bleeding_model import DailyBleedingRisk, daily_bleeding_risk
from .app import FigureApp
from .controls import labelled_slider, skin_tone_dropdown

OUTCOME_WORDS = {"who_grade_2_or_more": "WHO grade ≥2 bleeding", "who_grade_3_or_more": "grade ≥3 bleeding"}


def covariate_options(group: str) -> list[tuple[str, str]]:
    """The levels of a risk-factor group as (label, level key) pairs, the reference level first, labelled as in
    ``data/calibration/bleeding.toml`` (``label`` of each level, ``reference_level`` for the reference)."""
    records = {c.key: c for c in bleeding_data.covariate_effects()}
    levels = [level for level in COVARIATE_LEVELS[group] if level != "none"]
    missing = [level for level in levels if level not in records]
    if missing:
        raise ValueError(
            f"{bleeding_data.CALIBRATION_FILE}: no [[covariate]] entry for level(s) {', '.join(missing)} of risk "
            f"factor '{group}'; the bleeding explorer needs a label for each"
        )
    return [(records[levels[0]].reference_level, "none"), *((records[level].label, level) for level in levels)]


def _in_sentence(label: str) -> str:
    """'Fever ≥38 °C' -> 'fever ≥38 °C'; abbreviations such as 'INR' and 'aPTT' keep their capitals."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def describe_published_data(points, thresholds) -> str:
    """What the published-data figure shows, built from the calibration points it draws and the thresholds it marks
    (so the text follows ``data/calibration/bleeding.toml``)."""
    parts = []
    for outcome, marker in (("who_grade_3_or_more", "squares"), ("who_grade_2_or_more", "circles")):
        shown = [p for p in drawing.shown_points(points) if p.outcome == outcome]
        if not shown:
            continue
        figures = "; ".join(
            f"{100 * p.value:.3g} % of days at {p.count_low:g}–{p.count_high:g} ×10^9/L"
            f"{' (band assumed)' if p.band_is_assumed else ''} ({citations.references_text(p.sources)})"
            for p in shown
        )
        parts.append(f"Black {marker if len(shown) > 1 else marker[:-1]}: {OUTCOME_WORDS[outcome]} on {figures}.")
    counts = [f"{count:g}" for count, _label in drawing.threshold_lines(thresholds)]
    listed = ", ".join(counts[:-1]) + f" and {counts[-1]}" if len(counts) > 1 else "".join(counts)
    return (
        " ".join(parts) + " Dotted bars mark count bands we had to assume. Blue lines: the fitted model (solid grade "
        "≥2, dashed grade ≥3) with shaded uncertainty bands"
        + (f"; orange lines: thresholds {listed} ×10^9/L." if counts else ".")
    )


def _percent(probability: float) -> str:
    value = 100 * probability
    return f"{value:.2g} %" if value < 1 else f"{value:.3g} %" if value < 10 else f"{value:.0f} %"


class BleedingExplorer(FigureApp):
    """Platelet count → daily bleeding risk (with band and published points) and petechiae on a body map."""

    def __init__(self, platelet_count: float = 8.0, days: float = 3.0, skin_tone: int = 2) -> None:
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
        fever, haematocrit = covariate_options("fever")[1][0], covariate_options("haematocrit")[1][0]
        self.fever = widgets.Checkbox(value=False, description=fever, indent=False)
        self.haematocrit = widgets.Checkbox(value=False, description=haematocrit, indent=False)
        self.straining = widgets.Checkbox(value=False, description="Coughing or vomiting (straining)", indent=False)
        self.inr = widgets.Dropdown(options=covariate_options("inr"), value="none", description="INR:")
        self.aptt = widgets.Dropdown(options=covariate_options("aptt"), value="none", description="aPTT:")
        self.skin_tone = skin_tone_dropdown(skin_tone, by="figure: skin tones")
        self.figure, self.artists = drawing.build_explorer_figure(
            self.model, self.covariates, bleeding_data.calibration_points(), thresholds, skin_tone=skin_tone
        )
        self.renderer = BlitRenderer(self.figure, self.artists.animated)
        self.result: DailyBleedingRisk | None = None
        self.spots: petechiae.PetechiaeSample | None = None
        self.platelets.observe(self._on_move)
        self.days.observe(self._on_move)
        self.straining.observe(self._on_move, names="value")
        self.skin_tone.observe(self._on_skin_tone, names="value")
        for control in (self.fever, self.haematocrit, self.inr, self.aptt):
            control.observe(self._on_risk_factors, names="value")
        self.controls = [
            self.platelets.box,
            widgets.HBox([self.fever, self.haematocrit, self.inr, self.aptt]),
            widgets.HBox([self.straining, self.skin_tone]),
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

    def _on_skin_tone(self, _change=None) -> None:
        drawing.set_skin_tone(self.artists, self.skin_tone.value)
        self.renderer.refresh_background()
        self.update()

    def _on_risk_factors(self, _change=None) -> None:
        drawing.update_curves(self.artists, self.model, self.covariates)
        self.renderer.refresh_background()
        self.update()

    def update(self) -> None:
        """Recompute for the current controls; the description first, then the image."""
        count = self.platelets.value
        self.result = daily_bleeding_risk(count, self.covariates, model=self.model)
        self.spots = self.sampler.sample(count, self.days.value, straining=self.straining.value)
        self.describe(self.sentence())
        drawing.update_marker(self.artists, count, self.result.grade2, self.result.grade3, self.spots)
        self.show_figure(self.renderer.render())

    def sentence(self) -> str:
        r = self.result
        factors = [_in_sentence(box.description) for box in (self.fever, self.haematocrit) if box.value]
        factors += [_in_sentence(menu.label) for menu in (self.inr, self.aptt) if menu.value != "none"]
        extra = f"with {', '.join(factors)} (odds × {r.odds_ratio:.2f})" if factors else "with no extra risk factors"
        days = int(self.days.value)
        return (
            f"At {r.platelet_count:g} ×10^9/L, {extra}, the model gives a {_percent(r.grade2)} chance per day of "
            f"WHO grade ≥2 bleeding (band {_percent(r.grade2_band[0])}–{_percent(r.grade2_band[1])}) and "
            f"{_percent(r.grade3)} of grade ≥3 (band {_percent(r.grade3_band[0])}–{_percent(r.grade3_band[1])}); "
            f"the body shows {self.spots.total} petechiae after {days} day{'s' if days != 1 else ''} "
            f"on Fitzpatrick type {skin_tones()[self.skin_tone.value].fitzpatrick} skin (illustrative numbers)."
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
        self.describe(describe_published_data(points, thresholds))
        self.show_figure(png_bytes(figure))


def published_bleeding_data() -> PublishedBleedingData:
    """The published figures the bleeding model is calibrated to, plotted over the fitted curves."""
    return PublishedBleedingData()


def bleeding_explorer(platelet_count: float = 8.0, days: float = 3.0, skin_tone: int = 2) -> BleedingExplorer:
    """The bleeding-risk explorer, starting at ``platelet_count`` ×10^9/L, the body drawn in ``skin_tone``
    (Fitzpatrick type 1–6)."""
    return BleedingExplorer(platelet_count, days, skin_tone)


def transfusion_strategy_explorer(patients: int = 10_000) -> TransfusionStrategyExplorer:
    """The transfusion-strategy comparison on a virtual cohort of ``patients`` (1000 or 10000) patients."""
    return TransfusionStrategyExplorer(validation.choice(patients, "patients", (1000, 10_000)))
