"""Is a haemoglobin anaemia? The WHO cut-offs by age, sex and pregnancy, as opposed to a laboratory's range.

A reference range says where healthy people's values lie in one laboratory; the WHO guideline (2024) defines
anaemia by cut-offs: below 13.0 g/dL in men, 12.0 in non-pregnant women, lower in children and in pregnancy. The
two can disagree (a man at 13.5 g/dL is below many laboratories' ranges but not anaemic by WHO). The cut-offs come
in as data (``data/anaemia_cutoffs.toml``, through :mod:`petechiae_edu.calibrated`); nothing is read here.
Haemoglobin in g/dL, ages in years.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

NOT_PREGNANT = "not pregnant"
Finding = TypeVar("Finding")


@dataclass(frozen=True)
class AnaemiaCutoff:
    """Anaemia is a haemoglobin below ``below`` g/dL for ``population`` (age_min ≤ age < age_max, in years)."""

    key: str
    population: str
    age_min: float
    age_max: float
    sex: str
    pregnancy: str
    below: float
    sources: tuple[str, ...]

    def applies(self, age_years: float, sex: str, pregnancy: str = NOT_PREGNANT) -> bool:
        return self.age_min <= age_years < self.age_max and self.sex in ("any", sex) and self.pregnancy == pregnancy


def who_cutoff(
    cutoffs: Sequence[AnaemiaCutoff], age_years: float, sex: str, pregnancy: str = NOT_PREGNANT
) -> AnaemiaCutoff | None:
    """The cut-off for this age, sex and pregnancy, or None (WHO gives none under 6 months)."""
    return next((cutoff for cutoff in cutoffs if cutoff.applies(age_years, sex, pregnancy)), None)


def anaemia_note(
    haemoglobin: float, in_range: bool, age_years: float, sex: str, cutoffs: Sequence[AnaemiaCutoff]
) -> tuple[str, tuple[str, ...]]:
    """A sentence saying whether ``haemoglobin`` (g/dL) is anaemia by the WHO cut-off for this patient, beside
    what the laboratory range said (``in_range``: not below it), and the sources it rests on; ("", ()) when there
    is nothing to say (in range and not anaemia)."""
    cutoff = who_cutoff(cutoffs, age_years, sex)
    if cutoff is None:
        if in_range:
            return "", ()
        return "Below this laboratory's range; WHO gives no anaemia cut-off under 6 months of age.", ()
    anaemic = haemoglobin < cutoff.below
    who = f"the WHO cut-off for {cutoff.population}, {cutoff.below:.1f} g/dL"
    if in_range and not anaemic:
        return "", ()
    if in_range:
        note = f"Within this laboratory's range, but anaemia by {who}."
    elif anaemic:
        note = f"Below this laboratory's range, and anaemia by {who}."
    else:
        note = f"Below this laboratory's range, but not anaemia by {who}: a range and the WHO definition differ."
    pregnant = [c for c in cutoffs if c.pregnancy != NOT_PREGNANT and c.applies(age_years, sex, c.pregnancy)]
    if pregnant:
        lower = ", ".join(f"{c.below:.1f} g/dL in the {c.pregnancy}" for c in pregnant)
        note += f" In pregnancy the cut-offs are lower: {lower}."
    sources = tuple(dict.fromkeys(key for c in (cutoff, *pregnant) for key in c.sources))
    return note, sources


def annotate_haemoglobin(
    finding: Finding, age_years: float, sex: str, cutoffs: Sequence[AnaemiaCutoff], *, low_flag: str
) -> Finding:
    """The haemoglobin finding (a dataclass with ``value``, ``flag``, ``note`` and ``sources``) with the WHO reading
    in its note; unchanged when the cut-offs say nothing."""
    item: Any = finding
    note, sources = anaemia_note(item.value, item.flag != low_flag, age_years, sex, cutoffs)
    if not note:
        return finding
    grading = " Not graded: CTCAE anaemia grades were not verified for the course." if item.flag == low_flag else ""
    return dataclasses.replace(item, note=note + grading, sources=tuple(dict.fromkeys((*item.sources, *sources))))
