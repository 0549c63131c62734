"""The virtual-patient explorer: one simulated patient's course, played day by day, and the survival chart.

:func:`virtual_patient` plays one patient of :func:`petechiae_edu.patients.simulate_patients` (the patient's
number is the seed). It is a live figure (:mod:`petechiae_edu.live`): for every day of the slider's window the
description, the counts the dots sit on and the petechiae of that day's platelet count are computed once
(:mod:`.virtual_patient_live`), so the day line, dots, spots and description move in the browser with no kernel
round trip, in JupyterLab, Voilà and an offline handout. The counts panel and the body (in the chosen skin tone)
are matplotlib's static SVG layer.

Kernel paths (and why): the **patient number** (10,001 seeds, each a new simulated course: too many to
precompute; a new number simulates and sends that patient's tables and figure, about 0.1 s), the **skin tone**
(the body is part of the static layer and is redrawn by Python). In a handout (no kernel) these are disabled
or absent, with a note. The day slider and its **Play** button work there too: Play is the live front end's own
(a labelled ▶/⏸ toggle that steps the day in the browser, ``PLAY_STEP_DAYS`` days every ``PLAY_INTERVAL_MS`` ms,
and stops on the last day), so it needs no kernel. :func:`survival_chart` shows the survival curves from
diagnosis with the published series beside them (a kernel-side figure).
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import citations, patients, validation
from ..content import patient_data
from ..figures import virtual_patient as drawing
from ..figures.body import spot_colour
from ..figures.render import png_bytes
from ..live import LiveApp
from ..models import petechiae
from ..models.survival import PatientCourse
from . import virtual_patient_live as live_tables
from .app import FigureApp
from .controls import labelled_slider, skin_tone_dropdown
from .virtual_patient_live import DAYS_BEFORE_DIAGNOSIS

SKIN_TONE_NOTE = "The skin tone needs Python (the body is redrawn): open the lesson in Jupyter to change it."
KERNEL_NOTE = (
    "The patient number needs Python (each number is a new simulated course): open the lesson in Jupyter "
    "to change it. The day slider and Play work without Python."
)


PLAY_INTERVAL_MS = 150
PLAY_STEP_DAYS = 2
PLAY_LABEL = "Play the course day by day"


class VirtualPatientExplorer(LiveApp):
    """One virtual patient's course day by day (teaching model); the day moves in the browser."""

    def __init__(
        self,
        preset: str = "aml",
        *,
        seed: int = 0,
        treatment: bool = False,
        supportive_care: bool = False,
        days: int = 365,
        skin_tone: int = 2,
    ) -> None:
        preset = patients.require_adult_preset(preset)  # the childhood ALL preset is refused, with why
        super().__init__("A virtual patient, day by day (teaching model)")
        self.preset, self.treatment, self.supportive_care = preset, treatment, supportive_care
        self.days = validation.whole_number(days, "days", low=1)
        citations.cite(*petechiae.SOURCES, by="model: petechiae (illustrative)")
        self.sampler = petechiae.PetechiaeSampler()
        self.skin_tone = skin_tone_dropdown(skin_tone, by="figure: skin tones")
        self.patient_number = widgets.BoundedIntText(
            value=validation.whole_number(seed, "seed", low=0, high=10_000),
            min=0,
            max=10_000,
            description="Patient number (seed):",
            style={"description_width": "initial"},
        )
        self.course = self._simulate(self.patient_number.value)
        self.day = labelled_slider(
            "Day after diagnosis",
            minimum=-float(DAYS_BEFORE_DIAGNOSIS),
            maximum=float(self.days),
            step=1.0,
            value=0.0,
            unit="days",
            readout_format=".0f",
        )
        self.bind(
            "day", self.day, play_interval_ms=PLAY_INTERVAL_MS, play_label=PLAY_LABEL, play_step_count=PLAY_STEP_DAYS
        )
        self.bind("skin_tone", self.skin_tone, kernel=True, note=SKIN_TONE_NOTE)
        self.patient_number.observe(self._on_patient, names="value")
        self.controls = [
            self.day.box,
            widgets.HBox([self.patient_number, self.skin_tone]),
        ]
        self.kernel_note = widgets.HTML(f'<p class="pe-live-note" role="note">{KERNEL_NOTE}</p>')
        self._send()

    # ---------------------------------------------------------------------------------------------- state

    def _simulate(self, seed: int) -> PatientCourse:
        group = patients.simulate_patients(
            self.preset,
            patients=1,
            days=self.days,
            treatment=self.treatment,
            supportive_care=self.supportive_care,
            seed=seed,
        )
        return group.patient(0)

    @property
    def first_day(self) -> int:
        return live_tables.first_day(self.course)

    @property
    def course_day(self) -> int:
        """The course day of the slider's day (days after diagnosis + the diagnosis day; may lie outside the
        drawn course: before its first day or after death)."""
        return round(self.day.value) + self.course.diagnosis_day

    def _send(self) -> None:
        """Draw this patient's figure and send it with its tables (at start, and for a new patient number)."""
        self.figure, self.artists = drawing.build_course_figure(
            self.course, self.first_day, self.skin_tone.value, window=(-DAYS_BEFORE_DIAGNOSIS, self.days)
        )
        self._park_moving_artists()
        tables, regions = live_tables.course_tables(self.control_specs, self.course, self.preset, self.sampler)
        colour = "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in spot_colour(self.skin_tone.value)))
        self.start(
            self.figure,
            axes={
                "course": self.artists.day_line.axes,
                "haemoglobin": self.artists.dots[2].axes,
                "body": self.artists.body_ax,
            },
            rows=[["day"], ["skin_tone"]],
            marks=live_tables.marks(regions, colour),
            description=live_tables.description(),
            tables=tables,
        )

    def _park_moving_artists(self) -> None:
        """Give each dot one point (the SVG then holds the marker the front end moves); no spots in the layer."""
        day = self.first_day
        drawing.move_day(self.artists, self.course, day, [])

    # ---------------------------------------------------------------------------------------------- events

    def on_kernel_control(self, name: str) -> None:
        """The skin tone: redraw the static layer (the body) in the new tone."""
        self.figure, self.artists = drawing.build_course_figure(
            self.course, self.first_day, self.skin_tone.value, window=(-DAYS_BEFORE_DIAGNOSIS, self.days)
        )
        self._park_moving_artists()
        self.redraw(self.figure)

    def _on_patient(self, change) -> None:
        self.course = self._simulate(change["new"])
        self._send()

    def update(self) -> None:
        """The description for the current day (the browser moves the figure itself)."""
        self.describe(self.sentence())

    def sentence(self) -> str:
        """What the description says for the current day (equals the front end's text for that day)."""
        return live_tables.day_sentence(self.course, self.preset, round(self.day.value), self.sampler)

    def png_from_scratch(self) -> bytes:
        """The whole figure drawn at the current day as PNG (the old kernel path, for the benchmark)."""
        day = min(max(self.course_day, self.first_day), self.course.last_day)
        sample = live_tables.spots_on(self.course, day, self.sampler)
        drawing.move_day(self.artists, self.course, day, sample.positions if sample else [])
        try:
            return png_bytes(self.figure)
        finally:
            self._park_moving_artists()

    @property
    def widget(self) -> widgets.VBox:
        """Title, the kernel-side control (patient number) with its note, and the live figure (day, Play)."""
        from html import escape

        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        return widgets.VBox([heading, widgets.HBox([self.patient_number]), self.kernel_note, self.live])


def virtual_patient(
    preset: str = "aml",
    *,
    seed: int = 0,
    treatment: bool = False,
    supportive_care: bool = False,
    days: int = 365,
    skin_tone: int = 2,
) -> VirtualPatientExplorer:
    """Play one virtual patient's course day by day (``seed`` picks the patient; see ``simulate_patients``)."""
    return VirtualPatientExplorer(
        preset, seed=seed, treatment=treatment, supportive_care=supportive_care, days=days, skin_tone=skin_tone
    )


class SurvivalChart(FigureApp):
    """Survival from diagnosis, untreated (with and without supportive care) and with induction, for AML beside
    the published series of older adults (checks, never fitted). Childhood ALL is not offered: the model's event
    rates are adult ones (see :data:`petechiae_edu.patients.REFUSED_PRESETS`)."""

    PRESETS = (("AML in older adults (published series shown)", "aml"),)
    GROUPS = ("Untreated, supportive care", "Untreated, no supportive care", "Induction + supportive care")

    def __init__(self, patients_per_group: int = 2000, seed: int = 0, preset: str = "aml") -> None:
        patients.require_adult_preset(preset)  # 'all' is refused with the reason before the menu check
        super().__init__("Virtual patients: survival from diagnosis (teaching model)")
        self.patients_per_group = validation.whole_number(patients_per_group, "patients_per_group", low=10)
        self.seed = validation.whole_number(seed, "seed", low=0)
        self.preset = widgets.Dropdown(
            options=self.PRESETS,
            value=validation.choice(preset, "preset", tuple(key for _label, key in self.PRESETS)),
            description="Leukaemia:",
        )
        self.preset.disabled = len(self.PRESETS) == 1  # shows what is offered; childhood ALL is refused
        self.show_checks = widgets.Checkbox(
            value=True, description="Show the published series (checks, never fitted)", indent=False
        )
        self.groups: dict = {}
        self._simulated_preset: str | None = None
        self.preset.observe(lambda _change: self.update(), names="value")
        self.show_checks.observe(lambda _change: self.update(), names="value")
        self.controls = [self.preset, self.show_checks]
        self.update()

    def _checks(self) -> list[tuple[float, float, str, str]]:
        if self.preset.value != "aml" or not self.show_checks.value:
            return []
        figures = patient_data.figures()
        shown = (
            "oran_untreated_median_months", "seer_supportive_dead_3_months", "seer_supportive_dead_6_months",
            "seer_supportive_alive_1_year", "dharmani_no_care_dead_60_days", "dharmani_no_care_dead_180_days",
            "kantarjian2010_8_week_mortality", "kantarjian2010_median_months", "kantarjian2010_alive_1_year",
        )  # fmt: skip
        for key in shown:
            citations.cite(*figures[key].sources, by="check: virtual patient")

        def alive(key: str) -> float:
            return 1 - figures[key].value

        care, bare, induced = self.GROUPS
        supportive = "Published: supportive care only (Oran 2012; SEER–Medicare 2023)"
        nothing = "Published: no treatment, no supportive care (Dharmani 2023)"
        intensive = "Published: intensive chemotherapy, age ≥70 (Kantarjian 2010)"
        return [
            (figures["oran_untreated_median_months"].value * 30.44, 0.5, supportive, care),
            (91.0, alive("seer_supportive_dead_3_months"), supportive, care),
            (183.0, alive("seer_supportive_dead_6_months"), supportive, care),
            (365.0, figures["seer_supportive_alive_1_year"].value, supportive, care),
            (60.0, alive("dharmani_no_care_dead_60_days"), nothing, bare),
            (180.0, alive("dharmani_no_care_dead_180_days"), nothing, bare),
            (56.0, alive("kantarjian2010_8_week_mortality"), intensive, induced),
            (figures["kantarjian2010_median_months"].value * 30.44, 0.5, intensive, induced),
            (365.0, figures["kantarjian2010_alive_1_year"].value, intensive, induced),
        ]

    def update(self) -> None:
        """Simulate the three groups for the chosen preset, describe them, then draw."""
        preset, n, seed = self.preset.value, self.patients_per_group, self.seed
        if self._simulated_preset != preset:  # the checkbox only redraws
            self._simulated_preset = preset
            self.groups = {
                "Untreated, no supportive care": patients.simulate_patients(preset, patients=n, seed=seed),
                "Untreated, supportive care": patients.simulate_patients(
                    preset, patients=n, supportive_care=True, seed=seed
                ),
                "Induction + supportive care": patients.simulate_patients(
                    preset, patients=n, treatment=True, supportive_care=True, seed=seed
                ),
            }
        checks = self._checks()
        parts = [
            f"{label}: {100 * (1 - g.dead_by(91)):.0f} % alive at 3 months, "
            f"{100 * (1 - g.dead_by(365)):.0f} % at 1 year"
            for label, g in self.groups.items()
        ]
        marks = (
            " Black-edged marks: published series of older adults in the colour of the line they compare with "
            "(checks, never fitted)."
            if checks
            else " Published series hidden."
        )
        self.describe(
            f"{preset.upper()}: share alive against days after diagnosis for {n:,} virtual patients per line. "
            + "; ".join(parts)
            + "."
            + marks
        )
        self.show_figure(png_bytes(drawing.survival_figure(self.groups, checks)))


def survival_chart(patients_per_group: int = 2000, seed: int = 0, preset: str = "aml") -> SurvivalChart:
    """Survival curves from diagnosis (untreated, supportive care, induction) beside the published AML series."""
    return SurvivalChart(patients_per_group, seed, preset)
