"""The virtual-patient explorer: one simulated patient's course, played day by day, and the survival chart.

:func:`virtual_patient` plays one patient of :func:`petechiae_edu.patients.simulate_patients` (the patient's
number is the seed): a Play button drives the day slider (with its labelled number twin); the figure shows the
counts with a moving day marker, infection days, bleeding, treatment and death, and the body with the petechiae
of that day's platelet count, in the chosen skin tone. Moving the day redraws only the marker, the dots and the
spots (blitted); a new skin tone or patient redraws the figure once. :func:`survival_chart` shows the survival
curves from diagnosis with the published series beside them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import ipywidgets as widgets

from .. import citations, patients, validation
from ..content import patient_data
from ..figures import virtual_patient as drawing
from ..figures.render import BlitRenderer, png_bytes
from ..models import petechiae
from ..models.survival import PatientCourse
from .app import FigureApp
from .controls import labelled_slider, skin_tone_dropdown

DAYS_BEFORE_DIAGNOSIS = 60  # the player starts two months before diagnosis, as the counts start to fall


def _what_happens(course: PatientCourse, day: int, spots: int) -> str:
    if course.death_day is not None and day >= course.death_day:
        return f"the patient died of {course.cause} on this day; the model's counts stop at death"
    events = []
    if course.intracranial[day]:
        events.append("an intracranial bleed")
    if course.bleeding_grade3[day]:
        events.append("WHO grade ≥3 bleeding")
    elif course.bleeding_grade2[day]:
        events.append("WHO grade 2 bleeding")
    if course.infected[day]:
        events.append("an infection with fever (≥38 °C)")
    if course.treatment_start_day is not None and course.treatment_start_day <= day < course.treatment_start_day + 7:
        events.append("treatment under way")
    if course.transformation_day is not None and day >= course.transformation_day:
        events.append("blast phase")
    events.append(f"{spots} petechiae visible" if spots else "no petechiae")
    return ", ".join(events)


PLAY_INTERVAL_SECONDS = 0.15
PLAY_STEP_DAYS = 2


class DayPlayer:
    """A Play/Pause button for the day slider, stepped by the kernel's event loop.

    ipywidgets' ``Play`` draws icon-only buttons without accessible names (a screen reader hears "button, button,
    button"); this is one labelled toggle button ("Play" / "Pause"). It needs a kernel, like every control of the
    explorer; ``on_step(days)`` moves the day and returns False at the end, which stops the playing.
    """

    def __init__(self, on_step: Callable[[int], bool]) -> None:
        self.button = widgets.ToggleButton(
            value=False, description="Play", icon="play", tooltip="Play the course day by day (press again to pause)"
        )
        self._on_step = on_step
        self._pending: asyncio.TimerHandle | None = None
        self.button.observe(self._toggled, names="value")

    def _toggled(self, change) -> None:
        if change["new"]:
            self.button.description, self.button.icon = "Pause", "pause"
            self._schedule()
        else:
            self.button.description, self.button.icon = "Play", "play"
            if self._pending is not None:
                self._pending.cancel()
                self._pending = None

    def _schedule(self) -> None:
        try:
            loop = asyncio.get_running_loop()  # a kernel handles widget messages inside its running event loop
        except RuntimeError:  # no running loop (a plain script or a test): nothing steps by itself
            return
        self._pending = loop.call_later(PLAY_INTERVAL_SECONDS, self.tick)

    def tick(self) -> None:
        """One step of playing (called by the event loop; tests call it directly)."""
        self._pending = None
        if not self.button.value:
            return
        if self._on_step(PLAY_STEP_DAYS):
            self._schedule()
        else:
            self.button.value = False


class VirtualPatientExplorer(FigureApp):
    """One virtual patient's course day by day (teaching model)."""

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
        self.preset, self.treatment, self.supportive_care, self.days = preset, treatment, supportive_care, days
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
        self.player = DayPlayer(self.advance)
        self.course = self._simulate(self.patient_number.value)
        self.day = labelled_slider(
            "Day after diagnosis", minimum=-1.0, maximum=1.0, step=1.0, value=0.0, unit="days", readout_format=".0f"
        )
        self._set_range()
        self._build_figure()
        self.day.observe(self._on_day)
        self.skin_tone.observe(self._on_redraw, names="value")
        self.patient_number.observe(self._on_patient, names="value")
        self.controls = [
            self.day.box,
            widgets.HBox([self.player.button, self.patient_number, self.skin_tone]),
        ]
        self.update()

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
        return max(self.course.diagnosis_day - DAYS_BEFORE_DIAGNOSIS, 0)

    @property
    def course_day(self) -> int:
        """The course day shown now (slider: days after diagnosis)."""
        day = round(self.day.value) + self.course.diagnosis_day
        return min(max(day, self.first_day), self.course.last_day)

    def _set_range(self) -> None:
        low = self.first_day - self.course.diagnosis_day
        high = self.course.last_day - self.course.diagnosis_day
        slider = self.day.slider
        slider.min, slider.max = -(10**6), 10**6  # widen first so min ≤ max holds at every step
        slider.value = min(max(slider.value, low), high)
        slider.min, slider.max = low, high
        self.day.number.min, self.day.number.max = low, high

    def _build_figure(self) -> None:
        self.figure, self.artists = drawing.build_course_figure(self.course, self.first_day, self.skin_tone.value)
        self.renderer = BlitRenderer(self.figure, self.artists.animated)

    # ---------------------------------------------------------------------------------------------- events

    def advance(self, days: int) -> bool:
        """Move the day on by ``days`` (the Play button's step); False once the last day is shown."""
        last = float(self.day.slider.max)
        self.day.value = min(float(self.day.value) + days, last)
        return float(self.day.value) < last

    def _on_day(self, _change=None) -> None:
        self.update()

    def _on_redraw(self, _change=None) -> None:
        self._build_figure()
        self.update()

    def _on_patient(self, change) -> None:
        self.course = self._simulate(change["new"])
        self._set_range()
        self._build_figure()
        self.update()

    def update(self) -> None:
        """The description first, then the image (only the moving artists are redrawn)."""
        day = self.course_day
        count = self.course.platelets[day]
        alive = self.course.death_day is None or day <= self.course.death_day
        spots = self.sampler.sample(float(count), 3.0).positions if alive and count == count else []
        drawing.move_day(self.artists, self.course, day, spots)
        after = day - self.course.diagnosis_day
        when = f"Day {after} after diagnosis" if after >= 0 else f"{-after} days before diagnosis"
        if alive:
            counts = (
                f"platelets {count:.0f} ×10^9/L, neutrophils {self.course.anc[day]:.2f} ×10^9/L, "
                f"haemoglobin {self.course.haemoglobin[day]:.1f} g/dL"
            )
        else:
            counts = "no counts after death"
        self.describe(f"{when} ({self.preset.upper()}): {counts}; {_what_happens(self.course, day, len(spots))}.")
        self.show_figure(self.renderer.render())

    def png_from_scratch(self) -> bytes:
        """The whole figure drawn again (for tests and handouts)."""
        return png_bytes(self.figure)


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
