"""Platelet transfusion thresholds from the guidelines (``data/transfusion_thresholds.toml``), with lookups.

Each entry is one guideline's advice for one clinical setting. ``threshold`` is in ×10^9/L (None when the advice
is not a number, e.g. "no prophylactic transfusion", or when the number was not verified). ``status`` says how
the course knows it: "read" (read in the guideline or its own summary), "secondary" (read in a secondary
summary) or "unverified" (quoted elsewhere but not checked: the course shows no number for it).

This is the course's only table of transfusion thresholds: the bleeding-risk figure of lesson 04 marks the rows
that carry a ``chart_label`` (:func:`charted_thresholds`), and nothing else restates a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import FieldError, require_one_of
from .loader import content_schema
from .store import entries
from .vocabulary import CONDITIONS, require_words

STATUSES = ("read", "secondary", "unverified")
# "threshold": transfuse below the number; "avoid": no prophylactic platelets (only for life-threatening or
# critical-site bleeding, as the advice says); "raise": a higher threshold or more support than the usual one.
KINDS = ("threshold", "avoid", "raise")
COMPARISONS = ("<", "≤")
THRESHOLDS_FILE = "transfusion_thresholds.toml"


@content_schema("transfusion_thresholds", array="threshold")
@dataclass(frozen=True)
class TransfusionThreshold:
    """One guideline's platelet transfusion advice for one setting."""

    key: str
    guideline: str = field(metadata={"help": "guideline key, e.g. 'aabb2015', 'aabb_ictmg2025', 'asco2018'"})
    guideline_name: str
    year: int
    setting: str = field(metadata={"help": "setting key shared across guidelines, e.g. 'lumbar_puncture'"})
    setting_name: str
    advice: str = field(metadata={"help": "the recommendation in words"})
    status: str = field(metadata={"help": "'read', 'secondary' or 'unverified'"})
    sources: tuple[str, ...]
    threshold: float | None = None
    comparison: str | None = None
    strength: str | None = None
    note: str | None = None
    kind: str = field(default="threshold", metadata={"help": "'threshold', 'avoid' or 'raise'"})
    conditions: tuple[str, ...] = ()  # controlled words (content.vocabulary.CONDITIONS) the advice is about
    chart_label: str | None = field(
        default=None, metadata={"help": "short name of the line the bleeding-risk figure draws at this threshold"}
    )

    def __post_init__(self) -> None:
        require_one_of("status", self.status, STATUSES)
        require_one_of("kind", self.kind, KINDS)
        require_words("conditions", self.conditions, CONDITIONS)
        if self.kind == "avoid" and self.threshold is not None:
            raise FieldError("threshold", "advice of kind 'avoid' gives no prophylactic threshold; leave it out")
        if self.threshold is not None:
            if self.status == "unverified":
                raise FieldError("threshold", "an unverified threshold must not be shipped as a number")
            if not 0 < self.threshold <= 150:
                raise FieldError("threshold", f"{self.threshold} ×10^9/L is not a plausible transfusion threshold")
            if self.comparison not in COMPARISONS:
                raise FieldError("comparison", f"'{self.comparison}' must be one of {', '.join(COMPARISONS)}")
        elif self.comparison is not None:
            raise FieldError("comparison", "give a comparison only together with a threshold")
        if self.chart_label is not None and self.threshold is None:
            raise FieldError("chart_label", "only a row with a threshold can be drawn as a line on the figure")

    @property
    def threshold_text(self) -> str:
        """The threshold as written on a ward chart, or what stands in for it."""
        if self.threshold is not None:
            return f"{self.comparison}{self.threshold:g} ×10^9/L"
        if self.kind == "avoid":
            return "no prophylactic platelets"
        if self.status == "unverified":
            return "not verified (no number shown)"
        return "no number"

    def summary(self) -> str:
        return f"{self.guideline_name}, {self.setting_name}: {self.threshold_text}. {self.advice}"


def transfusion_thresholds(data_dir: Path | None = None) -> tuple[TransfusionThreshold, ...]:
    """Every threshold entry, in file order."""
    return entries(THRESHOLDS_FILE, TransfusionThreshold, array="threshold", data_dir=data_dir)


def charted_thresholds(data_dir: Path | None = None) -> tuple[TransfusionThreshold, ...]:
    """The rows the bleeding-risk figure draws as lines (those with a ``chart_label``), in file order."""
    return tuple(t for t in transfusion_thresholds(data_dir) if t.chart_label is not None)


def guidelines(data_dir: Path | None = None) -> dict[str, str]:
    """Guideline key → its display name, in file order."""
    names: dict[str, str] = {}
    for t in transfusion_thresholds(data_dir):
        names.setdefault(t.guideline, t.guideline_name)
    return names


def settings(data_dir: Path | None = None) -> dict[str, str]:
    """Setting key → its display name, in file order."""
    names: dict[str, str] = {}
    for t in transfusion_thresholds(data_dir):
        names.setdefault(t.setting, t.setting_name)
    return names


def threshold_for(setting: str, guideline: str | None = None, *, data_dir: Path | None = None) -> TransfusionThreshold:
    """The advice for ``setting``: from ``guideline`` if given, else from the newest guideline with a verified entry.

    Raises KeyError naming the known settings (or the guidelines that cover the setting).
    """
    rows = transfusion_thresholds(data_dir)
    matching = [t for t in rows if t.setting == setting]
    if not matching:
        known = ", ".join(sorted({t.setting for t in rows}))
        raise KeyError(f"no transfusion threshold for setting '{setting}'; known settings: {known}")
    if guideline is not None:
        chosen = [t for t in matching if t.guideline == guideline]
        if not chosen:
            covering = ", ".join(t.guideline for t in matching)
            raise KeyError(f"guideline '{guideline}' gives no advice for '{setting}'; guidelines that do: {covering}")
        return chosen[0]
    verified = [t for t in matching if t.status != "unverified"] or matching
    return max(verified, key=lambda t: t.year)
