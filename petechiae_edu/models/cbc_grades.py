"""Single blood values: input checks in clinical units, platelet and neutropenia grades, lymphocyte trend.

Units: counts ×10^9/L (= ×10^3/µL), haemoglobin g/dL, MCV fL, PT and APTT s, fibrinogen g/L, D-dimer mg/L FEU,
intervals in months.

* :func:`check_count` refuses a missing, negative or non-finite value, a count that looks per µL and a
  haemoglobin that looks in g/L, naming the field, the value and the unit expected.
* :func:`check_measurement` does the same for the MCV and the coagulation screen (a fibrinogen in mg/dL or a
  D-dimer in µg/L is refused with the conversion).
* :func:`platelet_grade` grades a low platelet count by CTCAE (grade 1: below the lower limit down to 75;
  2: <75–50; 3: <50–25; 4: <25 ×10^9/L; ctcae_v5).
* :func:`neutropenia_grade` grades a low ANC as neutropenia per ASCO/IDSA (Taplitz 2018, read in a
  glossary; the same cut-offs are CTCAE v5.0 grades 2–4, ctcae_v5): mild 1.0–1.5, moderate 0.5–1.0, severe
  <0.5 ×10^9/L; profound <0.1 ×10^9/L (IDSA, Freifeld 2011, read in a children's hospital pathway).
* :func:`lymphocyte_trend` reads two lymphocyte counts against the progressive-lymphocytosis criterion of iwCLL
  2018 (doubling time under 6 months, or a rise of 50 % or more within 2 months; hallek2018_iwcll), one criterion
  among several: marrow failure and symptoms lead the list. It assumes steady exponential growth between the
  counts; iwCLL estimates the doubling time over serial counts.

Pure functions, no I/O; :func:`petechiae_edu.models.cbc.interpret_cbc` uses them for a whole count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .. import validation
from ..units import BLOOD_COUNT_UNITS

# The per-µL ceilings (one rule for the whole package) are petechiae_edu.validation.PER_MICROLITRE_ABOVE.
_UNIT = BLOOD_COUNT_UNITS
# Other measurements: (unit, lowest plausible, highest plausible, what a value above the highest probably is).
_MEASUREMENTS = {
    "mcv": ("fL", 40.0, 200.0, None),
    "pt_seconds": ("s", 5.0, 200.0, None),
    "aptt_seconds": ("s", 10.0, 300.0, None),
    "fibrinogen": ("g/L", 0.0, 15.0, "mg/dL (divide by 100: {value:g} mg/dL = {converted:g} g/L)"),
    "d_dimer": ("mg/L FEU", 0.0, 100.0, "µg/L or ng/mL FEU (divide by 1000: {value:g} µg/L = {converted:g} mg/L)"),
}

PLATELET_GRADE_SOURCES = ("ctcae_v5",)
NEUTROPENIA_SOURCES = ("taplitz2018", "ctcae_v5")
PROFOUND_NEUTROPENIA_SOURCES = ("freifeld2011_idsa", "spectrum_alberta_childrens")


def check_number(value: object, field: str, unit: str) -> float:
    """``value`` as a float ≥ 0, or an error naming ``field``, the value and ``unit`` (missing, not a number, not
    finite, negative); see :func:`petechiae_edu.validation.number`."""
    return validation.number(value, field, unit=unit, low=0.0)


def check_count(value: object, field: str) -> float:
    """A blood value of ``field`` (platelets, wbc, anc, lymphocytes: ×10^9/L; haemoglobin: g/dL) as a float.

    Also refuses a count that looks per µL, or a haemoglobin that looks in g/L, saying how to convert it (the one
    per-µL rule of :func:`petechiae_edu.validation.count`).
    """
    return validation.count(value, field, quantity=field)


def check_measurement(value: object, field: str) -> float:
    """An MCV (fL), PT or APTT (s), fibrinogen (g/L) or D-dimer (mg/L FEU) as a float, or ValueError naming the
    field, the value, the unit and the plausible range (with the conversion when the value looks like another unit)."""
    unit, lowest, highest, other_unit = _MEASUREMENTS[field]
    number = check_number(value, field, unit)
    if number > highest and other_unit is not None:
        divisor = 100 if field == "fibrinogen" else 1000
        hint = other_unit.format(value=number, converted=number / divisor)
        raise ValueError(f"{field} = {number:g} looks like {hint}; expected {unit}")
    if not lowest <= number <= highest:
        raise ValueError(
            f"{field} = {number:g} {unit} is outside {lowest:g}–{highest:g} {unit}; check the value and its unit"
        )
    return number


def platelet_grade(count: float, lower_limit: float) -> str | None:
    """CTCAE grade of a platelet count (×10^9/L) below ``lower_limit`` of its range; None when not below."""
    count = check_count(count, "platelets")
    lower_limit = check_count(lower_limit, "platelets")
    if count >= lower_limit:
        return None
    if count < 25:
        return "CTCAE grade 4"
    if count < 50:
        return "CTCAE grade 3"
    if count < 75:
        return "CTCAE grade 2"
    return "CTCAE grade 1"


def neutropenia_grade(anc: float) -> str | None:
    """Neutropenia by ANC (×10^9/L): mild 1.0–1.5, moderate 0.5–1.0, severe <0.5, profound <0.1; else None.

    A negative, non-finite or per-µL ANC (1500 for 1.5 ×10^9/L) is refused, as in the blood-count interpreter.
    """
    anc = check_count(anc, "anc")
    if anc < 0.1:
        return "profound neutropenia"
    if anc < 0.5:
        return "severe neutropenia"
    if anc < 1.0:
        return "moderate neutropenia"
    if anc < 1.5:
        return "mild neutropenia"
    return None


# --- CLL: is the lymphocyte count rising fast enough to treat? ------------------------------------------------

# iwCLL 2018 (hallek2018_iwcll): progressive lymphocytosis, a rise of 50% or more within 2 months or a doubling time
# under 6 months, is ONE of the criteria of active disease; marrow failure and symptoms lead the list.
CLL_DOUBLING_MONTHS = 6.0
CLL_RISE_FRACTION = 0.5
CLL_RISE_WINDOW_MONTHS = 2.0


@dataclass(frozen=True)
class LymphocyteTrend:
    """Two lymphocyte counts (×10^9/L) ``months_apart`` apart, read against the CLL treatment criteria."""

    earlier: float
    later: float
    months_apart: float
    doubling_months: float  # inf when the count is not rising
    rise_fraction: float

    @property
    def doubling_under_6_months(self) -> bool:
        return self.doubling_months < CLL_DOUBLING_MONTHS

    @property
    def rise_over_50_percent_in_2_months(self) -> bool:
        """A rise of 50% or more within 2 months (iwCLL 2018 says 'at least 50%')."""
        return self.months_apart <= CLL_RISE_WINDOW_MONTHS and self.rise_fraction >= CLL_RISE_FRACTION

    @property
    def meets_a_treatment_criterion(self) -> bool:
        return self.doubling_under_6_months or self.rise_over_50_percent_in_2_months

    def summary(self) -> str:
        doubling = (
            "not rising" if math.isinf(self.doubling_months) else f"doubling time {self.doubling_months:.1f} months"
        )
        verdict = "meets" if self.meets_a_treatment_criterion else "does not meet"
        return (
            f"Lymphocytes {self.earlier:g} → {self.later:g} ×10^9/L in {self.months_apart:g} months "
            f"(rise {self.rise_fraction:+.0%}): {doubling}; {verdict} the progressive-lymphocytosis criterion, one of "
            "the iwCLL 2018 criteria (marrow failure and symptoms lead the list)."
        )


def lymphocyte_trend(earlier: float, later: float, months_apart: float) -> LymphocyteTrend:
    """Doubling time of the lymphocyte count, assuming steady exponential growth between two counts.

    Counts in ×10^9/L, interval in months. The criteria (doubling under 6 months, or a rise of 50% or more
    within 2 months) are two of the CLL treatment indications; a real decision weighs many more.
    """
    first = check_count(earlier, "lymphocytes")
    second = check_count(later, "lymphocytes")
    interval = check_number(months_apart, "months_apart", "months")
    if first == 0 or interval == 0:
        raise ValueError("earlier lymphocytes and months_apart must both be above 0 to compute a doubling time")
    growth = second / first
    doubling = interval * math.log(2) / math.log(growth) if growth > 1 else math.inf
    return LymphocyteTrend(first, second, interval, doubling, growth - 1)


def check_film(film: Iterable[str] | None, known: tuple[str, ...]) -> tuple[str, ...]:
    """The film words, each once; ValueError naming a word that is not one of ``known``."""
    if film is None:
        return ()
    if isinstance(film, str):
        film = (film,)
    words = tuple(dict.fromkeys(film))
    for word in words:
        if word not in known:
            raise ValueError(f"film finding {word!r} is not one of {', '.join(known)}")
    return words


def check_differential(values: dict[str, float], part_names: tuple[str, ...], rounding_per_part: float) -> None:
    """ValueError when the parts of the white count add up to more than the total (beyond rounding)."""
    parts = [name for name in part_names if name in values]
    total = sum(values[name] for name in parts)
    if total > values["wbc"] + rounding_per_part * len(parts):
        named = " + ".join(f"{name} {values[name]:g}" for name in parts)
        raise ValueError(
            f"the differential ({named}) adds up to {total:g} ×10^9/L: the parts of the white count "
            f"cannot exceed wbc = {values['wbc']:g} ×10^9/L (a value typed per µL, or in the wrong box?)"
        )
