"""Lesson 06's chart of presenting features: children (% at diagnosis) or adults (odds ratios), by Dropdown."""

from __future__ import annotations

import ipywidgets as widgets

from .. import citations, content
from ..content.presentation import PresentingFeature
from ..figures.presentation import draw_feature_frequencies, draw_odds_ratios
from ..figures.render import png_bytes
from .app import FigureApp

DATA_FILE = "presenting_features.toml"

# view key -> (label for the Dropdown, population, leukaemia groups shown); the sources of the records shown are
# added to the label by view_label(), rendered by petechiae_edu.citations
VIEWS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "children": ("Children: % with each feature at diagnosis", "children", ("any",)),
    "adults": ("Adults ≥40: odds ratios, acute and chronic", "adults", ("acute", "chronic")),
    "adults_acute": ("Adults ≥40: acute leukaemia only", "adults", ("acute",)),
    "adults_chronic": ("Adults ≥40: chronic leukaemia only", "adults", ("chronic",)),
}


def presenting_features(view: str = "children") -> tuple[PresentingFeature, ...]:
    """The features of one view ('children', 'adults', 'adults_acute' or 'adults_chronic'), as stored."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    _, population, groups = VIEWS[view]
    records = content.entries(DATA_FILE, PresentingFeature, array="feature")
    return tuple(r for r in records if r.population == population and r.leukaemia_group in groups)


def view_sources(view: str) -> tuple[str, ...]:
    """The source keys of the records a view shows, in file order."""
    return tuple(dict.fromkeys(key for record in presenting_features(view) for key in record.sources))


def view_label(view: str) -> str:
    """The Dropdown label of a view with its sources as readers cite them, e.g. '… (Clarke et al. 2016)'."""
    return f"{VIEWS[view][0]} ({citations.references_text(view_sources(view))})"


def by_frequency(features: tuple[PresentingFeature, ...]) -> tuple[PresentingFeature, ...]:
    """Features from the largest value to the smallest (ties keep the file's order)."""
    return tuple(sorted(features, key=lambda f: -f.value))


def describe_view(view: str) -> str:
    """One or two sentences saying what the chart of ``view`` shows, with its numbers."""
    features = by_frequency(presenting_features(view))
    if view == "children":
        top = ", ".join(f"{f.feature.lower()} {f.value:g}%" for f in features[:3])
        skin = "; ".join(f"{f.feature.lower()} {f.value:g}%" for f in features if f.involves_skin_bleeding)
        none = next((f for f in features if f.key == "child_asymptomatic"), None)
        tail = f"; {none.value:g}% had no symptoms" if none else ""
        everyone = "" if any(f.value >= 100 for f in features) else " No feature is present in every child."
        return (
            f"Bar chart of the share of children with each of {len(features)} features at leukaemia diagnosis: "
            f"most common {top}. Skin and bleeding features (hatched): {skin}{tail}.{everyone}"
        )
    parts = [
        f"{f.feature.lower()} OR {f.value:g}"
        + (f" ({f.interval_low:g}–{f.interval_high:g})" if f.interval_low is not None else "")
        + f" for {f.leukaemia_group} leukaemia"
        for f in features
    ]
    return (
        f"Odds ratios (log scale) for {len(features)} features recorded in primary care before diagnosis in "
        f"adults aged 40 or over: {'; '.join(parts)}. Even so, in the same study no single symptom or combination had "
        f"a positive predictive value above 1% ({citations.references_text(view_sources(view))})."
    )


class PresentingFeaturesChart(FigureApp):
    """Switch between the children's frequencies and the adults' odds ratios with a Dropdown."""

    def __init__(self, view: str = "children") -> None:
        super().__init__("Presenting features of leukaemia")
        presenting_features(view)  # checks the argument
        for record in content.entries(DATA_FILE, PresentingFeature, array="feature"):
            citations.cite(*record.sources, by="presenting features chart")
        self.view = widgets.Dropdown(
            options=[(view_label(key), key) for key in VIEWS],
            value=view,
            description="Show:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.controls = [self.view]
        self.features: tuple[PresentingFeature, ...] = ()
        self.view.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        view = self.view.value
        self.features = presenting_features(view)
        self.describe(describe_view(view))
        label = view_label(view)
        if view == "children":
            figure = draw_feature_frequencies(self.features, label)
        else:
            figure = draw_odds_ratios(self.features, label)
        self.show_figure(png_bytes(figure))


def presenting_features_chart(view: str = "children") -> PresentingFeaturesChart:
    """Lesson 06's chart; ``view`` is 'children', 'adults', 'adults_acute' or 'adults_chronic'."""
    return PresentingFeaturesChart(view)
