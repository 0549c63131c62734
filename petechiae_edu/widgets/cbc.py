"""Lesson 07's CBC interpreter: type a blood count, see each value flagged and the patterns named.

Labelled number boxes (units in every label), a results table that writes each flag in words and symbols
(never colour alone), the named patterns with what they suggest next, and a one-sentence live description.
The example presets are invented teaching counts, not patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from .. import citations
from ..calibrated import course_ranges
from ..models.cbc import ADULT_AGE_YEARS, CbcInterpretation, CbcRanges, interpret_cbc
from .app import DescribedApp

CUSTOM = "custom"
_STYLE = {"description_width": "14em"}


@dataclass(frozen=True)
class CbcExample:
    """An invented blood count for practice (counts ×10^9/L, haemoglobin g/dL)."""

    label: str
    age_years: float
    sex: str
    platelets: float
    wbc: float
    anc: float
    lymphocytes: float
    haemoglobin: float
    blasts_percent: float | None


EXAMPLES: dict[str, CbcExample] = {
    "normal": CbcExample("Normal adult count", 35, "female", 250, 7.0, 4.2, 2.1, 13.8, None),
    "isolated_thrombocytopenia": CbcExample(
        "Isolated thrombocytopenia (young adult)", 24, "female", 18, 6.8, 4.0, 2.2, 13.1, 0
    ),
    "pancytopenia": CbcExample("Pancytopenia (child of 5)", 5, "male", 22, 2.1, 0.4, 1.5, 6.9, None),
    "leukocytosis_with_blasts": CbcExample(
        "Leukocytosis with blasts (adult)", 67, "male", 31, 52.0, 0.9, 3.5, 8.4, 64
    ),
    "lymphocytosis": CbcExample("Lymphocytosis (older adult)", 71, "male", 190, 16.5, 4.3, 11.2, 14.6, None),
}


def _number(label: str, value: float, maximum: float, step: float) -> widgets.BoundedFloatText:
    return widgets.BoundedFloatText(
        value=value,
        min=0,
        max=maximum,
        step=step,
        description=label,
        style=_STYLE,
        layout=widgets.Layout(width="24em"),
    )


class CbcInterpreter(DescribedApp):
    """Enter a count (or pick an example); read the flags, grades, patterns and next steps."""

    def __init__(self, example: str = "normal", ranges: CbcRanges | None = None) -> None:
        super().__init__("CBC interpreter (teaching aid, adult reference ranges)")
        if example not in EXAMPLES:
            raise ValueError(f"unknown example '{example}'; expected one of {', '.join(EXAMPLES)}")
        self.ranges = ranges if ranges is not None else course_ranges()
        start = EXAMPLES[example]
        self.preset = widgets.Dropdown(
            options=[(e.label, key) for key, e in EXAMPLES.items()] + [("Custom values", CUSTOM)],
            value=example,
            description="Example count:",
            style=_STYLE,
            layout=widgets.Layout(width="36em"),
        )
        self.age = _number("Age (years)", start.age_years, 120, 1)
        self.sex = widgets.Dropdown(
            options=[("Female", "female"), ("Male", "male")], value=start.sex, description="Sex:", style=_STYLE
        )
        self.haemoglobin = _number("Haemoglobin (g/dL)", start.haemoglobin, 25, 0.1)
        self.wbc = _number("White cells, WBC (×10^9/L)", start.wbc, 1000, 0.1)
        self.anc = _number("Neutrophils, ANC (×10^9/L)", start.anc, 1000, 0.1)
        self.lymphocytes = _number("Lymphocytes (×10^9/L)", start.lymphocytes, 1000, 0.1)
        self.platelets = _number("Platelets (×10^9/L)", start.platelets, 3000, 1)
        self.film_read = widgets.Checkbox(
            value=start.blasts_percent is not None, description="Blood film read", indent=False
        )
        self.blasts = _number("Blasts on film (% of white cells)", start.blasts_percent or 0, 100, 1)
        self.blasts.disabled = start.blasts_percent is None
        self.results_html = widgets.HTML()
        self._applying_preset = False
        self.result: CbcInterpretation | None = None
        self.error: str | None = None
        self.value_inputs = [
            self.age, self.sex, self.haemoglobin, self.wbc, self.anc, self.lymphocytes, self.platelets,
            self.film_read, self.blasts,
        ]
        self.controls = [self.preset, *self.value_inputs]
        self.preset.observe(self._on_preset, names="value")
        for control in self.value_inputs:
            control.observe(self._on_value, names="value")
        self.refresh()

    # --- state -----------------------------------------------------------------------------------------------

    def set_values(self, **values: float | str | None) -> None:
        """Set several inputs at once (names as in :class:`CbcExample`) and refresh once."""
        self._applying_preset = True
        try:
            for name, value in values.items():
                if name == "blasts_percent":
                    self.film_read.value = value is not None
                    self.blasts.value = 0 if value is None else value
                    self.blasts.disabled = value is None
                else:
                    getattr(self, "age" if name == "age_years" else name).value = value
        finally:
            self._applying_preset = False
        self.refresh()

    def _on_preset(self, change: dict) -> None:
        key = change["new"]
        if key == CUSTOM:
            return
        example = EXAMPLES[key]
        self.set_values(
            age_years=example.age_years, sex=example.sex, platelets=example.platelets, wbc=example.wbc,
            anc=example.anc, lymphocytes=example.lymphocytes, haemoglobin=example.haemoglobin,
            blasts_percent=example.blasts_percent,
        )

    def _on_value(self, _change: dict) -> None:
        if self._applying_preset:
            return
        self.blasts.disabled = not self.film_read.value
        if self.preset.value != CUSTOM:
            self.preset.value = CUSTOM
        self.refresh()

    def refresh(self) -> None:
        try:
            result = interpret_cbc(
                age_years=self.age.value,
                sex=self.sex.value,
                platelets=self.platelets.value,
                wbc=self.wbc.value,
                anc=self.anc.value,
                lymphocytes=self.lymphocytes.value,
                haemoglobin=self.haemoglobin.value,
                blasts_percent=self.blasts.value if self.film_read.value else None,
                ranges=self.ranges,
            )
        except ValueError as error:
            self.result, self.error = None, str(error)
            self.results_html.value = f'<p role="alert"><strong>Check the input:</strong> {escape(str(error))}</p>'
            self.describe(f"Input problem: {error}.")
            return
        self.result, self.error = result, None
        citations.cite(*result.sources, by="CBC interpreter")
        self.results_html.value = results_html(result)
        child = " Adult ranges are only approximate at this age." if result.age_years < ADULT_AGE_YEARS else ""
        self.describe(result.summary() + child)

    # --- display ---------------------------------------------------------------------------------------------

    @property
    def widget(self) -> widgets.VBox:
        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        return widgets.VBox([heading, *self.controls, self.description_html, self.results_html])


def table_rows(result: CbcInterpretation) -> list[tuple[str, str, str, str, str, str]]:
    """The results table as text: test, value, adult range, flag, grade, note."""
    return [
        (
            f.label,
            f"{f.value:g} {f.units}",
            f"{f.low:g}–{f.high:g} {f.units}",
            f.flag_text,
            f.grade or "—",
            f.note or "",
        )
        for f in result.findings
    ]


def results_html(result: CbcInterpretation) -> str:
    """An accessible HTML table of the findings, then the patterns with next steps, then the caveats."""
    head = "".join(f'<th scope="col">{c}</th>' for c in ("Test", "Value", "Adult range", "Flag", "Grade", "Note"))
    rows = []
    for row in table_rows(result):
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        cells += [f"<td>{escape(cell)}</td>" for cell in row[1:3]]
        flag = row[3]
        cells.append(f"<td><strong>{escape(flag)}</strong></td>" if flag != "normal" else f"<td>{flag}</td>")
        cells += [f"<td>{escape(cell)}</td>" for cell in row[4:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    blasts = "not read" if result.blasts_percent is None else f"{result.blasts_percent:g}% blasts"
    table = (
        '<table class="petechiae-edu-table"><caption style="text-align:left;font-weight:bold">'
        f"Blood count, age {result.age_years:g} years, {escape(result.sex)}; blood film: {escape(blasts)}"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if result.patterns:
        items = []
        for pattern in result.patterns:
            steps = "".join(f"<li>{escape(step)}</li>" for step in pattern.next_steps)
            keys = ", ".join(f"[@{key}]" for key in pattern.sources)
            items.append(
                f"<li><strong>{escape(pattern.name.capitalize())}</strong>: {escape(pattern.definition)} "
                f"What it suggests next:<ul>{steps}</ul><small>Sources: {escape(keys)}</small></li>"
            )
        patterns = f"<h4>Patterns named</h4><ul>{''.join(items)}</ul>"
    else:
        patterns = "<h4>Patterns named</h4><p>None of the patterns this aid knows.</p>"
    caveats = "".join(f"<li>{escape(c)}</li>" for c in result.caveats)
    return f"{table}{patterns}<ul class='petechiae-edu-caveats'>{caveats}</ul>"


def cbc_interpreter(example: str = "normal") -> CbcInterpreter:
    """The CBC interpreter app, starting from one of :data:`EXAMPLES` (``"normal"`` by default)."""
    return CbcInterpreter(example)
