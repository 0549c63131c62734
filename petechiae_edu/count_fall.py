"""Lesson 05's one-liner: which count falls first, in the course's progression model, when the marrow fails.

``count_fall_order("chemotherapy")`` gives a healthy adult one block of chemotherapy (the AML preset's induction
block, killing dividing normal cells only) and reads the order in which the counts fall; ``count_fall_order("aml")``
(or ``"all"``) reads the same for an untreated acute leukaemia crowding the marrow. Lower limits are the course's
adult ranges for a woman (the model's one average adult has a haemoglobin of 14.5 g/dL, inside both sexes' ranges).
The sources for the biology (how long each cell lives in the blood, the marrow's store of neutrophils) are
registered when this runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import calibrated, citations
from .models import count_order, progression

SCENARIOS = ("chemotherapy", "aml", "all")
STOP_DAY = 30
DAYS_AFTER_STOP = 120
LIMITS_FOR = (40.0, "female")  # age (years) and sex whose adult ranges give the lower limits
SOURCES = ("lahoz_beneytez2016", "fliedner2002", "harker1977")


@dataclass(frozen=True)
class CountFallReport:
    """The order in which the ANC, platelets and haemoglobin fell in one simulated course (days from the start)."""

    scenario: str
    description: str
    falls: tuple[count_order.CountFall, ...]

    @property
    def order_of_relative_fall(self) -> tuple[str, ...]:
        """Counts in the order they fell to half their starting value (``"anc"``, ``"platelets"``, ...)."""
        return count_order.order_of_relative_fall(self.falls, 0.5)

    @property
    def order_of_leaving_range(self) -> tuple[str, ...]:
        """Counts in the order they went below the lower limit of their adult range."""
        return count_order.order_of_leaving_range(self.falls)

    def lines(self) -> list[str]:
        def when(event: str, day: int | None) -> str:
            return f"not {event} within the simulated days" if day is None else f"{event} on day {day}"

        text = [self.description]
        for fall in self.falls:
            half = fall.days_to_share[0.5]
            quarter = fall.days_to_share[0.75]
            text.append(
                f"- {fall.name}: from {fall.start_value:.3g} {fall.units}, {when('down a quarter', quarter)}, "
                f"{when('halved', half)}, {when(f'below {fall.lower_limit:g} {fall.units}', fall.days_below_limit)}"
            )
        names = count_order.COUNT_NAMES
        text.append("Fell to half first → last: " + " → ".join(names[q] for q in self.order_of_relative_fall))
        text.append("Left the adult range first → last: " + " → ".join(names[q] for q in self.order_of_leaving_range))
        return text

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return str(self)


def _lower_limits() -> dict[str, float]:
    limits = {}
    for quantity in count_order.FALLING_COUNTS:
        band = calibrated.reference_band(quantity, *LIMITS_FOR)
        if band is None:
            raise LookupError(f"the course has no adult reference range for {quantity!r} (data/reference_ranges.toml)")
        limits[quantity] = band.low
    return limits


def count_fall_order(scenario: str = "chemotherapy") -> CountFallReport:
    """Which count falls first in the model: ``"chemotherapy"`` (a healthy marrow stopped by one block of
    chemotherapy on day 30; days counted from then) or an untreated ``"aml"`` / ``"all"`` (days from day 0)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario {scenario!r} is not one of: {', '.join(SCENARIOS)}")
    citations.cite(*SOURCES, by="count fall order")
    if scenario == "chemotherapy":
        induction = calibrated.preset_parameters("aml")
        parameters = count_order.marrow_stop_parameters(
            calibrated.preset_parameters("healthy"),
            stop_day=STOP_DAY,
            normal_log_kill=induction.induction_normal_log_kill,
            block_days=induction.induction_days,
        )
        result = progression.simulate(parameters, days=STOP_DAY + DAYS_AFTER_STOP, treatment=True)
        from_day = STOP_DAY
        description = (
            f"A healthy adult's marrow stopped by one block of chemotherapy "
            f"({induction.induction_normal_log_kill:g} logs of dividing normal cells killed over "
            f"{induction.induction_days:g} days); days counted from the first day of the block:"
        )
    else:
        parameters = calibrated.preset_parameters(scenario)
        result = progression.simulate(parameters, treatment=False, days=progression.FIVE_YEARS_DAYS)
        from_day = 0
        description = f"Untreated {scenario.upper()} crowding the marrow; days counted from the start of the model:"
    falls = count_order.count_falls(result, from_day=from_day, lower_limits=_lower_limits())
    return CountFallReport(scenario=scenario, description=description, falls=falls)
