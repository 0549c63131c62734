"""Simulation 2 as apps: :func:`progression_explorer` and :func:`compare_progression`.

The explorer keeps one persistent figure and redraws only the moving artists (BlitRenderer), so a slider move
costs the model (a few ms) plus one blit and a cheap PNG encode. Sources of the preset and of the symptom
rules are registered with :func:`~petechiae_edu.citations.cite` when an app is created or the preset changes.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import citations, validation
from ..calibrated import preset_parameters
from ..content import progression_data
from ..figures.progression import ProgressionFigure, comparison_figure
from ..figures.render import BlitRenderer, png_bytes
from ..models.progression import FIVE_YEARS_DAYS, PRESETS, ProgressionResult, simulate, treatment_response
from ..models.symptoms import SymptomRuleSet, SymptomTimeline, course_rules, symptom_timeline
from .app import FigureApp
from .controls import labelled_slider

HEALTHY = "healthy"
PRESET_ORDER = (*(key for key in PRESETS if key != HEALTHY), HEALTHY)  # the leukaemias first, the reference last
WINDOW_DAYS = {"acute": 540, "chronic": FIVE_YEARS_DAYS, HEALTHY: FIVE_YEARS_DAYS}
SIMULATED_DAYS = FIVE_YEARS_DAYS
# the symptom rules (data/symptom_rules.toml) whose thresholds the description and the figure's bands use
PETECHIAE_RULE, SEVERE_NEUTROPENIA_RULE, LEUKOCYTOSIS_RULE = "petechiae", "neutropenia_severe", "leukocytosis"


def _preset_sources(key: str) -> tuple[str, ...]:
    record = progression_data.progression_presets()[key]
    rule_keys = [k for rule in course_rules().rules for k in rule.sources]
    return tuple(dict.fromkeys([*record.all_source_keys(), *rule_keys]))


def _threshold(rules: SymptomRuleSet, key: str) -> float:
    rule = rules.by_key.get(key)
    if rule is None:
        raise ValueError(f"data/symptom_rules.toml has no rule '{key}'; lesson 05's explorer describes counts by it")
    return rule.threshold


def figure_bands(rules: SymptomRuleSet | None = None) -> dict:
    """The figure's bands from the course's data: the adult reference ranges and the petechiae threshold."""
    rules = rules or course_rules()
    return {"reference_ranges": rules.first_abnormal_limits, "bleeding_band": _threshold(rules, PETECHIAE_RULE)}


def describe_course(result: ProgressionResult, timeline: SymptomTimeline) -> str:
    """One or two sentences: what the counts do and when signs appear (the app's live description)."""
    name = progression_data.progression_presets()[result.preset].name
    rules = course_rules()
    petechiae_count = _threshold(rules, PETECHIAE_RULE)
    severe_anc = _threshold(rules, SEVERE_NEUTROPENIA_RULE)
    high_wbc = _threshold(rules, LEUKOCYTOSIS_RULE)
    parts = []
    below = result.first_day("platelets", below=petechiae_count)
    if below is not None:
        parts.append(
            f"Platelets fall below {petechiae_count:g} ×10^9/L on day {below}; petechiae expected from day "
            f"{timeline.first_day(PETECHIAE_RULE)}"
        )
    else:
        parts.append(f"Platelets stay above {petechiae_count:g} ×10^9/L (lowest {result.platelets.min():.0f} ×10^9/L)")
    if timeline.first_abnormal_day is not None:
        parts.append(f"first abnormal count on day {timeline.first_abnormal_day} ({timeline.first_abnormal_count})")
    severe = result.first_day("anc", below=severe_anc)
    if severe is not None:
        parts.append(f"ANC below {severe_anc:g} ×10^9/L from day {severe}")
    peak = float(result.wbc.max())
    if peak > high_wbc:
        parts.append(f"peak WBC {peak:.0f} ×10^9/L")
    sentence = f"{name}: " + "; ".join(parts) + "."
    response = treatment_response(result)
    if response.kind == "induction":
        sentence += f" Induction from day {response.start_day:.0f}"
        if response.remission_day is not None:
            sentence += f": remission on day {response.remission_day}"
            sentence += (
                f", relapse on day {response.relapse_day}."
                if response.relapse_day is not None
                else ", no relapse in the simulated years."
            )
        else:
            sentence += ": no remission."
    elif response.kind == "tki":
        sentence += (
            f" TKI from day {response.start_day:.0f}: leukaemic burden falls fast "
            f"({-response.fast_slope_per_day:.3f}/day), then slowly ({-response.slow_slope_per_day:.3f}/day)."
            if response.fast_slope_per_day and response.slow_slope_per_day
            else f" TKI from day {response.start_day:.0f}."
        )
    elif result.parameters.treatment == "watch_and_wait":
        sentence += " Watch and wait: no treatment."
    return sentence


class ProgressionExplorer(FigureApp):
    """Preset, clone growth, treatment start and a treatment toggle → counts, symptoms and a description."""

    def __init__(self, preset: str = "aml", *, log_time: bool = False) -> None:
        super().__init__("Acute versus chronic: how leukaemias progress")
        presets = progression_data.progression_presets()
        if preset not in presets:
            raise ValueError(f"unknown preset {preset!r}; expected one of: {', '.join(presets)}")
        options = [(presets[k].name, k) for k in PRESET_ORDER if k in presets]
        self.preset_menu = widgets.Dropdown(
            options=options, value=preset, description="Preset:", style={"description_width": "initial"}
        )
        self.growth = labelled_slider(
            "Clone net growth", minimum=0.0, maximum=15.0, step=0.05, value=0.0, unit="% per day", readout_format=".2f"
        )
        self.start = labelled_slider(
            "Treatment start", minimum=0, maximum=SIMULATED_DAYS - 1, step=1, value=0, unit="day", readout_format=".0f"
        )
        self.treat = widgets.Checkbox(value=True, description="Give the usual treatment", indent=False)
        self.time_axis = widgets.Dropdown(
            options=[("linear", False), ("log", True)],
            value=log_time,
            description="Time axis:",
            style={"description_width": "initial"},
        )
        self.controls = [self.preset_menu, self.growth.box, self.start.box, widgets.HBox([self.treat, self.time_axis])]
        self.plot = ProgressionFigure(WINDOW_DAYS[presets[preset].kind], log_time=log_time, **figure_bands())
        self.renderer = BlitRenderer(self.plot.figure, self.plot.animated)
        self.result: ProgressionResult | None = None
        self.timeline: SymptomTimeline | None = None
        self._loading = False
        self._load_preset(preset)
        self.preset_menu.observe(lambda change: self._load_preset(change["new"]), names="value")
        self.growth.observe(lambda _change: self.update())
        self.start.observe(lambda _change: self.update())
        self.treat.observe(lambda _change: self.update(), names="value")
        self.time_axis.observe(lambda _change: self._rescale(), names="value")

    def _load_preset(self, key: str) -> None:
        """New preset: reset the sliders to its values, set the time window, cite its sources."""
        self.parameters = preset_parameters(key)
        citations.cite(*_preset_sources(key), by="progression explorer")
        self._loading = True
        try:
            self.growth.value = round(self.parameters.clone_net_growth * 100, 2)
            self.start.value = self.parameters.treatment_start_day
        finally:
            self._loading = False
        self.start.slider.disabled = self.parameters.treatment in ("none", "watch_and_wait")
        self.treat.disabled = self.start.slider.disabled
        kind = progression_data.progression_presets()[key].kind
        self._rescale(WINDOW_DAYS[kind])

    def _rescale(self, days: int | None = None) -> None:
        self.plot.set_time_axis(days or self.plot.days, bool(self.time_axis.value))
        self.update(refresh_background=True)

    def simulate(self) -> ProgressionResult:
        growth = self.growth.value / 100 if self.parameters.clone_start_fraction > 0 else None
        return simulate(
            self.parameters,
            days=SIMULATED_DAYS,
            treatment=bool(self.treat.value),
            treatment_start_day=self.start.value,
            clone_net_growth=growth,
        )

    def update(self, *, refresh_background: bool = False) -> None:
        if self._loading:
            return
        self.result = self.simulate()
        self.timeline = symptom_timeline(self.result)
        self.describe(describe_course(self.result, self.timeline))
        self.plot.update(self.result, self.timeline)
        if refresh_background:
            self.plot.set_title(progression_data.progression_presets()[self.result.preset].name)
            self.renderer.refresh_background()
        self.show_figure(self.renderer.render())


def progression_explorer(preset: str = "aml", *, log_time: bool = False) -> ProgressionExplorer:
    """The explorer of lesson 05: choose a leukaemia, its growth and treatment; see counts and signs."""
    return ProgressionExplorer(preset, log_time=validation.flag(log_time, "log_time"))


class ProgressionComparison(FigureApp):
    """Two presets side by side on a linear and a log time axis (a static figure)."""

    def __init__(self, presets: tuple[str, ...] = ("aml", "cml"), *, treatment: bool = False) -> None:
        super().__init__("Acute versus chronic, side by side")
        known = progression_data.progression_presets()
        for key in presets:
            if key not in known:
                raise ValueError(f"unknown preset {key!r}; expected one of: {', '.join(known)}")
            citations.cite(*_preset_sources(key), by="progression comparison")
        self.results = [simulate(preset_parameters(key), treatment=treatment) for key in presets]
        self.timelines = [symptom_timeline(r) for r in self.results]
        labels = [known[key].name for key in presets]
        bands = figure_bands()
        self.show_figure(png_bytes(comparison_figure(self.results, labels, **bands)))
        sentences = []
        for result, timeline, label in zip(self.results, self.timelines, labels, strict=True):
            petechiae = timeline.first_day(PETECHIAE_RULE)
            sentences.append(
                f"{label}: first abnormal count on day {timeline.first_abnormal_day}, "
                + (
                    f"petechiae expected from day {petechiae}"
                    if petechiae is not None
                    else f"platelets never below {bands['bleeding_band']:g} ×10^9/L"
                )
                + f", peak WBC {result.wbc.max():.0f} ×10^9/L"
            )
        self.describe(("Treated. " if treatment else "Untreated. ") + "; ".join(sentences) + ".")


def compare_progression(*presets: str, treatment: bool = False) -> ProgressionComparison:
    """Acute and chronic leukaemia side by side (default AML and CML), untreated unless ``treatment=True``."""
    return ProgressionComparison(presets or ("aml", "cml"), treatment=treatment)
