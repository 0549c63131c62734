"""Lesson 06's charts of presenting features: % of children with each feature, and odds ratios in adults."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..content.presentation import PresentingFeature
from .palette import COLOURS
from .render import new_figure

SKIN_BLEEDING_COLOUR = COLOURS["marker"]  # vermillion, always with a hatch as well (not colour alone)


def draw_feature_frequencies(features: Sequence[PresentingFeature], title: str) -> Figure:
    """Horizontal bars: % of patients with each feature at diagnosis, most frequent at the top.

    Bleeding and bruising features are hatched and coloured so the skin signs stand out.
    """
    ordered = sorted(features, key=lambda f: f.value)
    figure = new_figure(8.0, 0.9 + 0.27 * len(ordered), dpi=90)
    axes = figure.subplots()
    positions = np.arange(len(ordered))
    for y, feature in zip(positions, ordered, strict=True):
        skin = feature.involves_skin_bleeding
        axes.barh(
            y,
            feature.value,
            color=SKIN_BLEEDING_COLOUR if skin else COLOURS["model"],
            hatch="//" if skin else None,
            edgecolor="white",
            height=0.7,
        )
        axes.text(feature.value + 1, y, f"{feature.value:g}%", va="center", fontsize=8)
    axes.set_yticks(positions, labels=[f.feature for f in ordered], fontsize=9)
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of children with the feature at diagnosis")
    axes.set_title(title, fontsize=10, loc="left")
    return figure


def draw_odds_ratios(features: Sequence[PresentingFeature], title: str) -> Figure:
    """Forest plot of odds ratios (log scale) with 95% CIs, grouped acute then chronic."""
    ordered = sorted(features, key=lambda f: (f.leukaemia_group != "acute", f.value))
    figure = new_figure(8.0, 1.1 + 0.38 * len(ordered), dpi=90)
    axes = figure.subplots()
    positions = np.arange(len(ordered))
    for y, feature in zip(positions, ordered, strict=True):
        colour = SKIN_BLEEDING_COLOUR if feature.involves_skin_bleeding else COLOURS["model"]
        marker = "s" if feature.involves_skin_bleeding else "o"
        if feature.interval_low is not None:
            axes.plot([feature.interval_low, feature.interval_high], [y, y], color=colour, lw=2)
        axes.scatter([feature.value], [y], color=colour, marker=marker, s=40, zorder=3)
        right = feature.interval_high if feature.interval_high is not None else feature.value
        axes.text(right * 1.1, y, f"OR {feature.value:g}", va="center", fontsize=8)
    axes.set_xscale("log")
    axes.set_xlim(0.8, 80)
    axes.axvline(1.0, color=COLOURS["neutral"], ls="--", lw=1)
    axes.set_yticks(positions, labels=[f"{f.feature} ({f.leukaemia_group})" for f in ordered], fontsize=9)
    axes.set_xlabel("odds ratio, cases vs matched controls (log scale; 1 = no association)")
    axes.set_title(title, fontsize=10, loc="left")
    return figure
