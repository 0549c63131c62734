"""Record type for presenting features of leukaemia (lesson 06): how often each is present, or how strongly
it is associated with a later diagnosis."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError, require_one_of
from .loader import content_schema

FEATURE_POPULATIONS = ("children", "adults")
FEATURE_MEASURES = ("percent_of_cases", "odds_ratio")
LEUKAEMIA_GROUPS = ("any", "acute", "chronic")


@content_schema("presenting_features", array="feature")
@dataclass(frozen=True)
class PresentingFeature:
    """One feature at or before diagnosis, with one published number.

    ``measure`` is 'percent_of_cases' (share of patients who had the feature at diagnosis, %) or 'odds_ratio'
    (how much more often cases than matched controls had the feature recorded before diagnosis).
    """

    key: str
    feature: str
    population: str = field(metadata={"help": "'children' or 'adults'"})
    leukaemia_group: str = field(metadata={"help": "'any', 'acute' or 'chronic'"})
    measure: str = field(metadata={"help": "'percent_of_cases' or 'odds_ratio'"})
    value: float
    study: str
    sources: tuple[str, ...]
    interval_low: float | None = None
    interval_high: float | None = None
    involves_skin_bleeding: bool = False
    note: str | None = None

    def __post_init__(self) -> None:
        require_one_of("population", self.population, FEATURE_POPULATIONS)
        require_one_of("leukaemia_group", self.leukaemia_group, LEUKAEMIA_GROUPS)
        require_one_of("measure", self.measure, FEATURE_MEASURES)
        if self.measure == "percent_of_cases" and not 0 <= self.value <= 100:
            raise FieldError("value", f"{self.value} is not a percentage (0–100)")
        if self.measure == "odds_ratio" and self.value <= 0:
            raise FieldError("value", f"{self.value} must be a positive odds ratio")
        if (self.interval_low is None) != (self.interval_high is None):
            raise FieldError("interval_low", "give both ends of the interval or neither")
        if (
            self.interval_low is not None
            and self.interval_high is not None
            and not self.interval_low <= self.value <= self.interval_high
        ):
            interval = f"{self.interval_low}–{self.interval_high}"
            raise FieldError("value", f"{self.value} lies outside its interval {interval}")
