"""Record type for measured platelet kinetics (lesson 02): survival and splenic pooling by spleen status."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError
from .loader import content_schema


@content_schema("platelet_kinetics", array="group")
@dataclass(frozen=True)
class PlateletKineticsGroup:
    """One group of people in a labelled-platelet study: survival (days), recovery and pooling (%)."""

    key: str
    name: str
    survival_days: float = field(metadata={"help": "mean survival of labelled platelets, days"})
    survival_sd_days: float
    recovery_percent: float = field(metadata={"help": "share of infused labelled platelets found circulating, %"})
    recovery_sd_percent: float
    sources: tuple[str, ...]
    pooled_percent: float | None = field(default=None, metadata={"help": "splenic pooling at 30 min, %"})
    pooled_sd_percent: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.survival_days <= 30:
            raise FieldError("survival_days", f"{self.survival_days} is not a platelet survival in days (0–30)")
        for name in ("recovery_percent", "pooled_percent"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 110:
                raise FieldError(name, f"{value} is not a percentage (0–110; recoveries can exceed 100 by error)")
