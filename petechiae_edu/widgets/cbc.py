"""Lesson 07's CBC interpreter: type a blood count, see each value flagged for the patient's age and patterns named.

The main count (age, sex, haemoglobin, white cells, neutrophils, lymphocytes, platelets) is always shown; the rest of
the differential with the MCV, the blood film and the coagulation screen sit in sections that open (an Accordion),
each with a checkbox saying whether it was done, so the app is not a wall of controls. Every number box is labelled
with its unit. The results table writes each flag in words and symbols (never colour alone) beside the range for the
patient's age; the named patterns come with their urgency, next steps and sources; a one-sentence live description
updates with every change. The example presets are invented teaching counts, not patients.

For the most urgent named pattern that implies one film (``film`` in ``data/cbc_patterns.toml``: suspected APL,
a microangiopathic picture, CML, platelet clumps, isolated thrombocytopenia) the app
shows "what the film would show": a drawn blood film captioned as an illustration of the typical film, not this
patient's, with the pattern's note on what the drawing shows and where a real film may differ.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import citations
from ..calibrated import course_anaemia_cutoffs, course_patterns, course_ranges
from ..content import cbc_rules
from ..content.pictures import FILM_NAMES
from ..markup import Emphasis, html_table, live_region
from ..models.cbc import ADULT_AGE_YEARS, FILM_FINDINGS, NO_RANGE, CbcInterpretation, CbcRanges, interpret_cbc
from ..models.cbc_ranges import ReferenceTable
from ..pictures import RenderedPicture, render_film
from ..validation import PER_MICROLITRE_ABOVE
from .app import DescribedApp
from .cbc_examples import EXAMPLES

CUSTOM = "custom"
_STYLE = {"description_width": "16em"}
FILM_WORDS = tuple(word for word in FILM_FINDINGS if word != "blasts")  # blasts have their own % box
_FILM_LABEL = {
    "auer_rods": "Auer rods",
    "smudge_cells": "Smudge cells",
    "schistocytes": "Schistocytes (red-cell fragments)",
    "platelet_clumps": "Platelet clumps",
    "large_platelets": "Large platelets",
    "left_shift": "Left shift (immature granulocytes)",
    "abnormal_promyelocytes": "Abnormal promyelocytes (APL)",
}
SECTION_TITLES = ("Rest of the differential and MCV", "Blood film", "Coagulation screen")
RESULT_COLUMNS = ("Test", "Value", "Range for this age", "Flag", "Grade", "Note")


def _number(label: str, value: float | None, maximum: float, step: float) -> widgets.BoundedFloatText:
    return widgets.BoundedFloatText(
        value=0 if value is None else value,
        min=0,
        max=maximum,
        step=step,
        description=label,
        style=_STYLE,
        layout=widgets.Layout(width="26em"),
    )


def _given(value: float | None, ordinary: float) -> float:
    return ordinary if value is None else value


def _switch(label: str, value: bool) -> widgets.Checkbox:
    return widgets.Checkbox(value=value, description=label, indent=False)


class CbcInterpreter(DescribedApp):
    """Enter a count (or pick an example); read the flags for the age, grades, patterns, urgency and next steps."""

    def __init__(self, example: str = "normal", ranges: CbcRanges | ReferenceTable | None = None) -> None:
        super().__init__("CBC interpreter (teaching aid; reference ranges for the patient's age)")
        if example not in EXAMPLES:
            raise ValueError(f"unknown example '{example}'; expected one of {', '.join(EXAMPLES)}")
        self.ranges = ranges if ranges is not None else course_ranges()
        self.patterns = course_patterns()
        start = EXAMPLES[example]
        self.preset = widgets.Dropdown(
            options=[(e.label, key) for key, e in EXAMPLES.items()] + [("Custom values", CUSTOM)],
            value=example,
            description="Example count:",
            style=_STYLE,
            layout=widgets.Layout(width="40em"),
        )
        self.age = _number("Age (years)", start.age_years, 120, 1)
        self.sex = widgets.Dropdown(
            options=[("Female", "female"), ("Male", "male")], value=start.sex, description="Sex:", style=_STYLE
        )
        self.haemoglobin = _number("Haemoglobin (g/dL)", start.haemoglobin, 25, 0.1)
        self.wbc = _number("White cells, WBC (×10^9/L)", start.wbc, 1000, 0.1)
        self.anc = _number("Neutrophils, ANC (×10^9/L)", start.anc, 1000, 0.1)
        self.lymphocytes = _number("Lymphocytes (×10^9/L)", start.lymphocytes, 1000, 0.1)
        self.platelets = _number("Platelets (×10^9/L)", start.platelets, PER_MICROLITRE_ABOVE["platelets"], 1)
        # section 1: the rest of the differential, and the MCV
        self.differential_counted = _switch("Monocytes, eosinophils and basophils counted", start.monocytes is not None)
        # unticked boxes start at ordinary adult values, so ticking a section does not invent an abnormal count
        self.monocytes = _number("Monocytes (×10^9/L)", _given(start.monocytes, 0.3), 1000, 0.1)
        self.eosinophils = _number("Eosinophils (×10^9/L)", _given(start.eosinophils, 0.2), 1000, 0.1)
        self.basophils = _number("Basophils (×10^9/L)", _given(start.basophils, 0.05), 1000, 0.01)
        self.mcv_measured = _switch("MCV measured", start.mcv is not None)
        self.mcv = _number("Mean cell volume, MCV (fL)", _given(start.mcv, 90), 200, 1)
        # section 2: the blood film
        self.film_read = _switch("Blood film read", start.blasts_percent is not None or bool(start.film))
        self.blasts = _number("Blasts on film (% of white cells)", start.blasts_percent, 100, 1)
        self.film_boxes = {word: _switch(_FILM_LABEL[word], word in start.film) for word in FILM_WORDS}
        # section 3: the coagulation screen
        self.coagulation_done = _switch("Coagulation screen done", start.pt_seconds is not None)
        self.pt = _number("Prothrombin time, PT (s)", _given(start.pt_seconds, 12), 200, 0.1)
        self.aptt = _number("APTT (s)", _given(start.aptt_seconds, 30), 300, 0.1)
        self.fibrinogen = _number("Fibrinogen (g/L)", _given(start.fibrinogen, 3), 15, 0.1)
        self.d_dimer = _number("D-dimer (mg/L FEU)", _given(start.d_dimer, 0.3), 100, 0.1)

        self.sections = widgets.Accordion(
            children=[
                widgets.VBox(
                    [
                        self.differential_counted,
                        self.monocytes,
                        self.eosinophils,
                        self.basophils,
                        self.mcv_measured,
                        self.mcv,
                    ]
                ),
                widgets.VBox([self.film_read, self.blasts, *self.film_boxes.values()]),
                widgets.VBox([self.coagulation_done, self.pt, self.aptt, self.fibrinogen, self.d_dimer]),
            ]
        )
        self.sections.titles = SECTION_TITLES
        self.results_html = widgets.HTML()
        self.film_html = widgets.HTML()
        self.film: str | None = None  # the drawn film shown now (content.pictures.FILMS), or None
        self.film_pattern: str | None = None  # the key of the pattern it illustrates
        self.picture: RenderedPicture | None = None
        self._applying_preset = False
        self.result: CbcInterpretation | None = None
        self.error: str | None = None
        self.value_inputs = [
            self.age,
            self.sex,
            self.haemoglobin,
            self.wbc,
            self.anc,
            self.lymphocytes,
            self.platelets,
            self.differential_counted,
            self.monocytes,
            self.eosinophils,
            self.basophils,
            self.mcv_measured,
            self.mcv,
            self.film_read,
            self.blasts,
            *self.film_boxes.values(),
            self.coagulation_done,
            self.pt,
            self.aptt,
            self.fibrinogen,
            self.d_dimer,
        ]
        self.controls = [
            self.preset,
            self.age,
            self.sex,
            self.haemoglobin,
            self.wbc,
            self.anc,
            self.lymphocytes,
            self.platelets,
            self.sections,
        ]
        self.preset.observe(self._on_preset, names="value")
        for control in self.value_inputs:
            control.observe(self._on_value, names="value")
        self._enable_sections()
        self.refresh()

    # --- state -----------------------------------------------------------------------------------------------

    def set_values(self, **values: object) -> None:
        """Set several inputs at once (names as in :class:`CbcExample`; None: not measured) and refresh once."""
        boxes = {
            "age_years": self.age,
            "sex": self.sex,
            "haemoglobin": self.haemoglobin,
            "wbc": self.wbc,
            "anc": self.anc,
            "lymphocytes": self.lymphocytes,
            "platelets": self.platelets,
            "monocytes": self.monocytes,
            "eosinophils": self.eosinophils,
            "basophils": self.basophils,
            "mcv": self.mcv,
            "pt_seconds": self.pt,
            "aptt_seconds": self.aptt,
            "fibrinogen": self.fibrinogen,
            "d_dimer": self.d_dimer,
        }
        unknown = sorted(set(values) - set(boxes) - {"blasts_percent", "film"})
        if unknown:
            raise ValueError(
                f"unknown input(s) {', '.join(unknown)}; expected some of {', '.join(boxes)}, blasts_percent, film"
            )
        self._applying_preset = True
        try:
            for name, value in values.items():
                if name in boxes and value is not None:
                    boxes[name].value = value
            if "monocytes" in values:
                self.differential_counted.value = values["monocytes"] is not None
            if "mcv" in values:
                self.mcv_measured.value = values["mcv"] is not None
            if "pt_seconds" in values:
                self.coagulation_done.value = values["pt_seconds"] is not None
            if "blasts_percent" in values or "film" in values:
                blasts = values.get("blasts_percent")
                film = tuple(values.get("film") or ())  # type: ignore[arg-type]
                self.film_read.value = blasts is not None or bool(film)
                self.blasts.value = 0 if blasts is None else blasts
                for word, box in self.film_boxes.items():
                    box.value = word in film
        finally:
            self._applying_preset = False
        self._enable_sections()
        self.refresh()

    def _enable_sections(self) -> None:
        for box in (self.monocytes, self.eosinophils, self.basophils):
            box.disabled = not self.differential_counted.value
        self.mcv.disabled = not self.mcv_measured.value
        for box in (self.blasts, *self.film_boxes.values()):
            box.disabled = not self.film_read.value
        for box in (self.pt, self.aptt, self.fibrinogen, self.d_dimer):
            box.disabled = not self.coagulation_done.value

    def _on_preset(self, change: dict) -> None:
        key = change["new"]
        if key == CUSTOM:
            return
        self.set_values(**EXAMPLES[key].values())

    def _on_value(self, _change: dict) -> None:
        if self._applying_preset:
            return
        self._enable_sections()
        if self.preset.value != CUSTOM:
            self.preset.value = CUSTOM
        self.refresh()

    def inputs(self) -> dict[str, object]:
        """The count as the interpreter takes it (None for what was not measured)."""
        counted = self.differential_counted.value
        coagulation = self.coagulation_done.value
        film_read = self.film_read.value
        return {
            "age_years": self.age.value,
            "sex": self.sex.value,
            "haemoglobin": self.haemoglobin.value,
            "wbc": self.wbc.value,
            "anc": self.anc.value,
            "lymphocytes": self.lymphocytes.value,
            "platelets": self.platelets.value,
            "monocytes": self.monocytes.value if counted else None,
            "eosinophils": self.eosinophils.value if counted else None,
            "basophils": self.basophils.value if counted else None,
            "mcv": self.mcv.value if self.mcv_measured.value else None,
            "blasts_percent": self.blasts.value if film_read else None,
            "film": tuple(word for word, box in self.film_boxes.items() if film_read and box.value),
            "pt_seconds": self.pt.value if coagulation else None,
            "aptt_seconds": self.aptt.value if coagulation else None,
            "fibrinogen": self.fibrinogen.value if coagulation else None,
            "d_dimer": self.d_dimer.value if coagulation else None,
        }

    def refresh(self) -> None:
        try:
            result = interpret_cbc(
                **self.inputs(),  # type: ignore[arg-type]
                ranges=self.ranges,
                patterns=self.patterns,
                anaemia_cutoffs=course_anaemia_cutoffs(),
            )
        except ValueError as error:
            self.result, self.error = None, str(error)
            self.results_html.value = live_region(
                html=f"<p><strong>Check the input:</strong> {escape(str(error))}</p>", description=False, alert=True
            )
            self.describe(f"Input problem: {error}.")
            self._show_film(None)
            return
        self.result, self.error = result, None
        citations.cite(*result.sources, by="CBC interpreter")
        self.results_html.value = results_html(result)
        adult_only = isinstance(self.ranges, CbcRanges) or getattr(self.ranges, "adult_only", False)
        child = (
            " Adult ranges are only approximate at this age."
            if (adult_only and result.age_years < ADULT_AGE_YEARS)
            else ""
        )
        self._show_film(result)
        drawn = "" if self.film is None else f" A drawing shows the typical film of {FILM_NAMES[self.film]}."
        self.describe(f"{result.summary()} Count of a {result.age_years:g}-year-old {result.sex}.{child}{drawn}")

    @property
    def patterns_by_key(self) -> dict[str, cbc_rules.CbcPatternRule]:
        return cbc_rules.cbc_patterns()

    def _show_film(self, result: CbcInterpretation | None) -> None:
        """Draw the film of the most urgent named pattern that implies one; clear it when none does."""
        rules = self.patterns_by_key
        for pattern in result.patterns if result is not None else ():
            rule = rules.get(pattern.key)
            film = None if rule is None or result is None else rule.film_for_age(result.age_years)
            if rule is None or film is None:
                continue
            if (film, pattern.key) != (self.film, self.film_pattern):
                self.picture = render_film(film)
                caption = (
                    f"What the film would show ({pattern.name}): an illustration of the typical film of "
                    f"{FILM_NAMES[film]}, not this patient's film. {rule.film_note}"
                )
                self.film_html.value = f"<h4>What the film would show</h4>{self.picture.html(caption)}"
                self.film, self.film_pattern = film, pattern.key
            return
        self.film = self.film_pattern = self.picture = None
        self.film_html.value = ""

    # --- display ---------------------------------------------------------------------------------------------

    def shown(self) -> list[widgets.Widget]:
        return [self.results_html, self.film_html]


def table_rows(result: CbcInterpretation) -> list[tuple[str, str, str, str, str, str]]:
    """The results table as text: test, value, range for this age, flag, grade, note."""
    rows = []
    for f in result.findings:
        if f.flag == NO_RANGE:
            reference = "no range for this age"
        else:
            reference = f"{f.low:g}–{f.high:g} {f.units}" + (f" ({f.range_label})" if f.range_label else "")
        rows.append((f.label, f"{f.value:g} {f.units}", reference, f.flag_text, f.grade or "—", f.note or ""))
    return rows


def _extras(result: CbcInterpretation) -> str:
    parts = []
    if result.mcv is not None:
        parts.append(f"MCV {result.mcv:g} fL")
    film = [] if result.blasts_percent is None else [f"{result.blasts_percent:g}% blasts"]
    film += [_FILM_LABEL.get(word, word).split(" (")[0].lower() for word in result.film if word != "blasts"]
    parts.append("blood film: " + (", ".join(film) if film else "not read"))
    c = result.coagulation
    if c is not None:
        screen = [
            f"{name} {value:g} {unit}"
            for name, value, unit in (
                ("PT", c.pt_seconds, "s"),
                ("APTT", c.aptt_seconds, "s"),
                ("fibrinogen", c.fibrinogen, "g/L"),
                ("D-dimer", c.d_dimer, "mg/L FEU"),
            )
            if value is not None
        ]
        parts.append("coagulation: " + ", ".join(screen))
    return "; ".join(parts)


def results_html(result: CbcInterpretation) -> str:
    """An accessible HTML table of the findings, then the patterns with urgency and next steps, then the caveats."""
    rows = [(*row[:3], row[3] if row[3] == "normal" else Emphasis(row[3]), *row[4:]) for row in table_rows(result)]
    caption = f"Blood count, age {result.age_years:g} years, {result.sex}; {_extras(result)}"
    table = html_table(caption, RESULT_COLUMNS, rows, row_headers=True)
    if result.patterns:
        items = []
        for pattern in result.patterns:
            steps = "".join(f"<li>{escape(step)}</li>" for step in pattern.next_steps)
            items.append(
                f"<li><strong>{escape(pattern.name[:1].upper() + pattern.name[1:])}</strong> — urgency: "
                f"<strong>{escape(pattern.urgency)}</strong>. {escape(pattern.definition)} "
                f"What it suggests next:<ul>{steps}</ul>"
                f"<small>Sources: {citations.references_html(pattern.sources)}</small></li>"
            )
        patterns = f"<h4>Patterns named</h4><ul>{''.join(items)}</ul>"
    elif any(f.flag in ("low", "high") for f in result.findings):
        patterns = (
            "<h4>Patterns named</h4><p>No named pattern. The values flagged above still need a clinician's "
            "reading: no named pattern does <strong>not</strong> mean routine.</p>"
        )
    else:
        patterns = "<h4>Patterns named</h4><p>No pattern: every value is within the range for this age.</p>"
    caveats = "".join(f"<li>{escape(c)}</li>" for c in result.caveats)
    return f"{table}{patterns}<ul class='petechiae-edu-caveats'>{caveats}</ul>"


def cbc_interpreter(example: str = "normal") -> CbcInterpreter:
    """The CBC interpreter app, starting from one of :data:`EXAMPLES` (``"normal"`` by default)."""
    return CbcInterpreter(example)
