"""Simulation 2 as apps: :func:`progression_explorer` and :func:`compare_progression`.

Both are live figures (:mod:`petechiae_edu.live`): matplotlib draws the static layer as SVG (sharp on a projector,
alive in an offline handout). The explorer's clone-growth slider and treatment toggle move in the browser from
tables computed once (:mod:`.progression_live`, which says what keeps a kernel path and why); the comparison is
a static SVG with its description. Sources of the preset and of the symptom
rules are registered with :func:`~petechiae_edu.citations.cite` when an app is created or the preset changes.
"""

from __future__ import annotations

import asyncio

import ipywidgets as widgets

from .. import citations, validation
from ..calibrated import preset_parameters
from ..content import progression_data
from ..figures.progression import LiveProgressionFigure, comparison_figure
from ..live import LiveApp
from ..models.progression import FIVE_YEARS_DAYS, PRESETS, ProgressionResult, simulate, treatment_response
from ..models.symptoms import SymptomRuleSet, SymptomTimeline, course_rules, symptom_timeline
from . import progression_live as live_tables
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


PRESET_NOTE = "Choosing another preset needs Python (it resets the sliders): open the lesson in Jupyter."
START_NOTE = "The treatment start needs Python (each start day is a new set of courses): open the lesson in Jupyter."
TIME_NOTE = "The time scale needs Python (the axis is redrawn): open the lesson in Jupyter."


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where a dragged slider sends many values); False in scripts and tests, even
    when another library runs an event loop in this thread (the browser tests' Playwright does)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


REST_SECONDS = 0.3  # the treatment start's tables are recomputed once the slider has rested this long


class ProgressionExplorer(LiveApp):
    """Preset, clone growth, treatment start and a treatment toggle → counts, symptoms and a description.

    A live figure (:mod:`petechiae_edu.live`): the courses of every clone-growth step, with and without treatment,
    are computed once per preset and treatment start (:mod:`.progression_live`), so the growth slider and the
    treatment toggle move the curves, markers and description in the browser. The preset, the treatment start and
    the time scale keep a kernel path (why: :mod:`.progression_live`).
    """

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
        self.result: ProgressionResult | None = None
        self.timeline: SymptomTimeline | None = None
        self._loading = True  # nothing is computed until the first build
        self._pending: asyncio.TimerHandle | None = None
        self.bind("preset", self.preset_menu, kernel=True, note=PRESET_NOTE)
        self.bind("growth", self.growth)
        self.bind("start", self.start, kernel=True, note=START_NOTE)
        self.bind("treat", self.treat)
        self.bind("time_axis", self.time_axis, kernel=True, note=TIME_NOTE)
        self._load_preset(preset)

    @property
    def window(self) -> int:
        """Days shown on the time axis (acute leukaemias: 540; chronic and healthy: five years)."""
        return WINDOW_DAYS[progression_data.progression_presets()[self.preset_menu.value].kind]

    def _load_preset(self, key: str) -> None:
        """New preset: reset the sliders to its values, cite its sources, rebuild the figure and tables."""
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
        self._build()

    def _course(self, growth: float | None, treated: bool) -> tuple[ProgressionResult, SymptomTimeline, str]:
        result = simulate(
            self.parameters,
            days=SIMULATED_DAYS,
            treatment=treated,
            treatment_start_day=self.start.value,
            clone_net_growth=None if growth is None else growth / 100,
        )
        timeline = symptom_timeline(result)
        return result, timeline, describe_course(result, timeline)

    def _tables(self, rules: SymptomRuleSet):
        return live_tables.explorer_tables(
            self.control_specs,
            model=(self.parameters,),
            start=float(self.start.value),
            window=self.window,
            grows=self.parameters.clone_start_fraction > 0,
            rules=rules,
            course=self._course,
        )

    def _build(self) -> None:
        """The static layer for the preset and time scale, the tables for the treatment start (a kernel path)."""
        rules = course_rules()
        window, log_time = self.window, bool(self.time_axis.value)
        plot = LiveProgressionFigure(
            window,
            log_time=log_time,
            title=progression_data.progression_presets()[self.parameters.preset].name,
            marker_counts=live_tables.marker_counts(rules),
            **figure_bands(rules),
        )
        entry = live_tables.course_entry(
            (self.parameters,),
            float(self.growth.value),
            bool(self.treat.value),
            float(self.start.value),
            window,
            self.parameters.clone_start_fraction > 0,
            rules,
            self._course,
        )
        plot.show(**live_tables.picture(entry, window, log_time, float(self.start.value), rules))
        LiveApp.start(  # self.start is the treatment-start slider (kept for scenarios and tests)
            self,
            plot.figure,
            axes={**dict(zip(live_tables.QUANTITIES, plot.count_axes, strict=True)), "strip": plot.strip_axes},
            rows=[["preset"], ["growth"], ["start"], ["treat", "time_axis"]],
            marks=live_tables.marks(rules),
            description=live_tables.description(),
            tables=self._tables(rules),
        )

    def on_kernel_control(self, name: str) -> None:
        """Preset: reset and rebuild; treatment start: new tables; time scale: redraw the static layer."""
        if self._loading:
            return
        if name == "preset":
            self._load_preset(self.preset_menu.value)
        elif name == "start":
            self._soon(self._refresh_tables)
        else:
            self._build()

    def _refresh_tables(self) -> None:
        self._pending = None
        self.live.tables = self._tables(course_rules()).tables

    def _soon(self, job) -> None:
        """Run ``job`` once the control rests (in a kernel: a dragged slider sends many values; only the last
        is computed); outside a kernel, or with no running event loop (tests, scripts), run it now."""
        try:
            loop = asyncio.get_running_loop() if in_kernel() else None
        except RuntimeError:
            loop = None
        if loop is None:
            job()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(REST_SECONDS, job)

    def simulate(self) -> ProgressionResult:
        growth = self.growth.value / 100 if self.parameters.clone_start_fraction > 0 else None
        return simulate(
            self.parameters,
            days=SIMULATED_DAYS,
            treatment=bool(self.treat.value),
            treatment_start_day=self.start.value,
            clone_net_growth=growth,
        )

    def update(self) -> None:
        """Recompute the course and the description in Python (the browser moves the figure itself)."""
        if self._loading:
            return
        self.result = self.simulate()
        self.timeline = symptom_timeline(self.result)
        self.describe(self.sentence())

    def sentence(self) -> str:
        """The description of the current course (the front end shows the same string from its tables)."""
        return describe_course(self.result, self.timeline)


def progression_explorer(preset: str = "aml", *, log_time: bool = False) -> ProgressionExplorer:
    """The explorer of lesson 05: choose a leukaemia, its growth and treatment; see counts and signs."""
    return ProgressionExplorer(preset, log_time=validation.flag(log_time, "log_time"))


class ProgressionComparison(LiveApp):
    """Two presets side by side on a linear and a log time axis (a static figure: an SVG, no controls)."""

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
        figure = comparison_figure(self.results, labels, **bands)
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
        self._sentence = ("Treated. " if treatment else "Untreated. ") + "; ".join(sentences) + "."
        self.start(figure, axes={}, rows=[], marks=[], description=[self._sentence], tables={})

    def update(self) -> None:
        self.describe(self._sentence)

    def sentence(self) -> str:
        return self._sentence


def compare_progression(*presets: str, treatment: bool = False) -> ProgressionComparison:
    """Acute and chronic leukaemia side by side (default AML and CML), untreated unless ``treatment=True``."""
    return ProgressionComparison(presets or ("aml", "cml"), treatment=treatment)
