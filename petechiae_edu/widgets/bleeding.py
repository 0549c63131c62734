"""Simulation 1 as apps: the bleeding-risk explorer and the transfusion-strategy comparison.

The explorer is a :class:`petechiae_edu.live.LiveApp`: its motion lives in the browser (tables computed once in
:mod:`.bleeding_live`), so it answers a key press within a frame in JupyterLab, Voilà and an offline handout.
The strategy comparison lives in :mod:`.transfusion_strategy` (also live); it is re-exported here.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import calibrated, citations
from ..content import bleeding_data
from ..content.skin_data import skin_tones
from ..figures import bleeding as drawing
from ..figures.render import png_bytes
from ..live import LiveApp
from ..models import bleeding, petechiae
from ..models.bleeding import COVARIATE_LEVELS, Covariates
from ..models.bleeding_model import DailyBleedingRisk, daily_bleeding_risk
from . import bleeding_live as live_tables
from .app import FigureApp
from .bleeding_live import RISK_FACTORS, days_phrase, percent, risk_factor_phrase
from .controls import labelled_slider, skin_tone_dropdown
from .transfusion_strategy import TransfusionStrategyExplorer, transfusion_strategy_explorer  # noqa: F401 (moved)

SKIN_TONE_NOTE = "The skin tone needs Python (the body is redrawn): open the lesson in Jupyter to change it."
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


class BleedingExplorer(LiveApp):
    """Platelet count → daily bleeding risk (with band and published points) and petechiae on a body map.

    A live figure (:mod:`petechiae_edu.live`): every count on the slider, day and risk-factor combination is
    computed once (:mod:`.bleeding_live`), so the marker, curves, spots and description move in the browser with
    no kernel round trip. The skin tone redraws the body from Python (a kernel path; disabled in handouts).
    """

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
        options = {group: covariate_options(group) for group in RISK_FACTORS}
        self.fever = widgets.Checkbox(value=False, description=options["fever"][1][0], indent=False)
        self.haematocrit = widgets.Checkbox(value=False, description=options["haematocrit"][1][0], indent=False)
        self.straining = widgets.Checkbox(value=False, description="Coughing or vomiting (straining)", indent=False)
        self.inr = widgets.Dropdown(options=options["inr"], value="none", description="INR:")
        self.aptt = widgets.Dropdown(options=options["aptt"], value="none", description="aPTT:")
        self.skin_tone = skin_tone_dropdown(skin_tone, by="figure: skin tones")
        self.result: DailyBleedingRisk | None = None
        self.spots: petechiae.PetechiaeSample | None = None
        for name in ("platelets", "fever", "haematocrit", "inr", "aptt", "straining", "days"):
            self.bind(name, getattr(self, name))
        self.bind("skin_tone", self.skin_tone, kernel=True, note=SKIN_TONE_NOTE)
        self.controls = [
            self.platelets.box,
            widgets.HBox([self.fever, self.haematocrit, self.inr, self.aptt]),
            widgets.HBox([self.straining, self.skin_tone]),
            self.days.box,
        ]
        self.figure, self.artists = drawing.build_explorer_figure(
            self.model, Covariates(), bleeding_data.calibration_points(), thresholds, skin_tone=skin_tone
        )
        labels = {group: [label for label, _level in options[group]] for group in RISK_FACTORS}
        tables, regions = live_tables.explorer_tables(self.control_specs, self.model, labels)
        self.start(
            self.figure,
            axes={"risk": self.artists.risk_axes, "body": self.artists.body_axes},
            rows=[["platelets"], ["fever", "haematocrit", "inr", "aptt"], ["straining", "skin_tone"], ["days"]],
            marks=live_tables.marks(regions),
            description=live_tables.description(),
            tables=tables,
        )

    @property
    def covariates(self) -> Covariates:
        return Covariates(
            fever=COVARIATE_LEVELS["fever"][int(self.fever.value)],
            haematocrit=COVARIATE_LEVELS["haematocrit"][int(self.haematocrit.value)],
            inr=self.inr.value,
            aptt=self.aptt.value,
        )

    def on_kernel_control(self, name: str) -> None:
        """The skin tone: redraw the body (the static layer) in the new tone."""
        drawing.set_skin_tone(self.artists, self.skin_tone.value)
        self.redraw(self.figure)

    def update(self) -> None:
        """Recompute the description for the current controls (the browser moves the figure itself)."""
        count = self.platelets.value
        self.result = daily_bleeding_risk(count, self.covariates, model=self.model)
        self.spots = self.sampler.sample(count, self.days.value, straining=self.straining.value)
        self.describe(self.sentence())

    def sentence(self) -> str:
        r = self.result
        factors = [box.description for box in (self.fever, self.haematocrit) if box.value]
        factors += [menu.label for menu in (self.inr, self.aptt) if menu.value != "none"]
        return (
            f"At {r.platelet_count:g} ×10^9/L, {risk_factor_phrase(factors, r.odds_ratio)}, the model gives a "
            f"{percent(r.grade2)} chance per day of WHO grade ≥2 bleeding (band {percent(r.grade2_band[0])}–"
            f"{percent(r.grade2_band[1])}) and {percent(r.grade3)} of grade ≥3 (band {percent(r.grade3_band[0])}–"
            f"{percent(r.grade3_band[1])}); the body shows {self.spots.total} petechiae after "
            f"{days_phrase(int(self.days.value))} on Fitzpatrick type "
            f"{skin_tones()[self.skin_tone.value].fitzpatrick} skin (illustrative numbers)."
        )

    def naive_png(self) -> bytes:
        """The same picture by the old kernel path (new figure + full PNG), for the benchmark."""
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
