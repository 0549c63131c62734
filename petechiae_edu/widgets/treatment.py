"""Lesson 08's platelet transfusion thresholds table, filterable by guideline and clinical setting.

The table is text (an accessible HTML table with caption and header cells); unverified numbers are never shown.
Showing the table cites the guidelines of the rows on screen.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import citations
from ..content.treatment import TransfusionThreshold, guidelines, settings, threshold_for, transfusion_thresholds
from ..markup import html_table
from .app import TableApp

ALL = "all"
COLUMNS = ("Guideline", "Setting", "Transfuse at", "Advice", "Strength", "How we know", "Sources")
_STATUS_TEXT = {
    "read": "read in the guideline or its summary",
    "secondary": "read in a secondary summary",
    "unverified": "NOT verified: no number shown",
}
_STYLE = {"description_width": "initial"}


def _row(t: TransfusionThreshold) -> tuple[str, ...]:
    return (
        t.guideline_name,
        t.setting_name,
        t.threshold_text,
        t.advice,
        t.strength or "—",
        _STATUS_TEXT[t.status],
        citations.references_text(t.sources),
    )


class TransfusionThresholdsTable(TableApp):
    """Dropdowns for guideline and setting above a table of the matching thresholds."""

    def __init__(self, guideline: str | None = None, setting: str | None = None) -> None:
        super().__init__("Platelet transfusion thresholds (×10^9/L) by guideline and setting")
        self.entries = transfusion_thresholds()
        known_guidelines, known_settings = guidelines(), settings()
        if guideline is not None and guideline not in known_guidelines:
            raise ValueError(f"unknown guideline '{guideline}'; expected one of {', '.join(known_guidelines)}")
        if setting is not None and setting not in known_settings:
            raise ValueError(f"unknown setting '{setting}'; expected one of {', '.join(known_settings)}")
        self.guideline = widgets.Dropdown(
            options=[("All guidelines", ALL)] + [(name, key) for key, name in known_guidelines.items()],
            value=guideline or ALL,
            description="Guideline:",
            style=_STYLE,
        )
        self.setting = widgets.Dropdown(
            options=[("All settings", ALL)] + [(name, key) for key, name in known_settings.items()],
            value=setting or ALL,
            description="Setting:",
            style=_STYLE,
            layout=widgets.Layout(width="48em"),
        )
        self.controls = [self.guideline, self.setting]
        self.guideline.observe(self._on_change, names="value")
        self.setting.observe(self._on_change, names="value")
        self.refresh()

    @property
    def selected(self) -> tuple[TransfusionThreshold, ...]:
        """The entries that pass both filters, in file order."""
        return tuple(
            t
            for t in self.entries
            if self.guideline.value in (ALL, t.guideline) and self.setting.value in (ALL, t.setting)
        )

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(_row(t) for t in self.selected)

    def _on_change(self, _change: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected
        for t in chosen:
            citations.cite(*t.sources, by="transfusion thresholds table")
        self.show_table(
            html_table(self.title, COLUMNS, (_row(t) for t in chosen))
            if chosen
            else "<p>No guideline in the course gives advice for this combination.</p>"
        )
        numbers = sorted({t.threshold_text for t in chosen if t.threshold is not None})
        numbers_text = f"; thresholds shown: {', '.join(numbers)}" if numbers else "; no numerical threshold"
        self.describe(f"{len(chosen)} recommendations shown{numbers_text}.")

    def __str__(self) -> str:
        return "\n".join([self.title, *(" | ".join(row) for row in self.rows)])


def transfusion_thresholds_table(
    guideline: str | None = None, setting: str | None = None
) -> TransfusionThresholdsTable:
    """The thresholds table, optionally starting filtered to one guideline and/or one setting."""
    return TransfusionThresholdsTable(guideline, setting)


__all__ = ["TransfusionThresholdsTable", "threshold_for", "transfusion_thresholds_table"]
