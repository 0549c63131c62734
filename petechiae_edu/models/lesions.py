"""Naming a flat red-purple skin lesion by its diameter: petechia, purpura or ecchymosis.

Assumptions and limits: the name depends only on the diameter of a flat, non-blanching lesion. Sources draw
the lines in different places (Leung & Chan: below 2 mm a petechia, above 10 mm an ecchymosis; a paediatric
handbook: below 3 mm a petechia); the cut-offs are parameters so a lesson can show the disagreement. Real
lesions are judged also by whether they blanch, are raised (palpable) and where they sit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import validation

LARGEST_PLAUSIBLE_MM = 300.0  # 30 cm: anything larger is not a single skin lesion


@dataclass(frozen=True)
class LesionClass:
    """The name given to a lesion of ``diameter_mm`` under one set of cut-offs."""

    diameter_mm: float
    name: str
    petechia_below_mm: float
    ecchymosis_above_mm: float | None

    @property
    def rule(self) -> str:
        """The cut-off that decided, in words."""
        if self.name == "petechia":
            return f"below {self.petechia_below_mm:g} mm"
        if self.name == "ecchymosis":
            return f"above {self.ecchymosis_above_mm:g} mm"
        upper = f"–{self.ecchymosis_above_mm:g} mm" if self.ecchymosis_above_mm is not None else " mm or more"
        return f"{self.petechia_below_mm:g}{upper}"


def classify_lesion(
    diameter_mm: float, petechia_below_mm: float = 2.0, ecchymosis_above_mm: float | None = 10.0
) -> LesionClass:
    """Name a non-blanching lesion by its diameter in millimetres.

    >>> classify_lesion(1.0).name
    'petechia'
    >>> classify_lesion(5.0).name
    'purpura'
    >>> classify_lesion(25.0).name
    'ecchymosis'
    """
    diameter_mm = validation.number(
        diameter_mm, "diameter_mm", unit="mm", expected="a diameter in millimetres, e.g. 1.5"
    )
    petechia_below_mm = validation.number(
        petechia_below_mm, "petechia_below_mm", unit="mm", above=0.0, high=LARGEST_PLAUSIBLE_MM
    )
    if ecchymosis_above_mm is not None:
        ecchymosis_above_mm = validation.number(
            ecchymosis_above_mm, "ecchymosis_above_mm", unit="mm", above=0.0, high=LARGEST_PLAUSIBLE_MM
        )
    if diameter_mm <= 0:
        raise ValueError(f"diameter {diameter_mm} mm must be greater than 0 mm")
    if diameter_mm > LARGEST_PLAUSIBLE_MM:
        raise ValueError(
            f"diameter {diameter_mm} mm is larger than any single skin lesion (up to {LARGEST_PLAUSIBLE_MM:g} mm);"
            " was the value given in micrometres? Expected millimetres."
        )
    if ecchymosis_above_mm is not None and ecchymosis_above_mm <= petechia_below_mm:
        raise ValueError(
            f"ecchymosis cut-off {ecchymosis_above_mm} mm must be larger than the petechia cut-off "
            f"{petechia_below_mm} mm"
        )
    if diameter_mm < petechia_below_mm:
        name = "petechia"
    elif ecchymosis_above_mm is not None and diameter_mm > ecchymosis_above_mm:
        name = "ecchymosis"
    else:
        name = "purpura"
    return LesionClass(diameter_mm, name, petechia_below_mm, ecchymosis_above_mm)
