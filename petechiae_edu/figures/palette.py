"""One palette for the whole course: colour-blind safe (Okabe–Ito), never red-versus-green alone.

Figures use a white background so they read on a projector and inside dark notebook themes.
"""

from __future__ import annotations

# Okabe & Ito's eight colours, named by what they mean in the course.
COLOURS: dict[str, str] = {
    "model": "#0072B2",  # blue: model curves
    "data": "#000000",  # black: published data points
    "band": "#56B4E9",  # sky blue: uncertainty bands
    "marker": "#D55E00",  # vermillion: the student's current choice
    "threshold": "#E69F00",  # orange: guideline thresholds
    "normal": "#009E73",  # bluish green: healthy / reference range
    "leukaemia": "#CC79A7",  # reddish purple: leukaemic cells
    "neutral": "#999999",  # grey: context
    "blood": "#8B1A1A",  # dark red: extravasated blood (petechiae), always with a shape cue as well
    "skin": "#F2D3BC",  # light skin tone for drawn skin patches
    # darker or lighter shades of the colours above, for text, edges and drawn skin
    "threshold_text": "#7A4F00",  # dark orange: threshold labels (orange text is too pale to read)
    "normal_text": "#00573F",  # dark bluish green: reference-range labels
    "annotation": "#555555",  # dark grey: small notes on a figure
    "skin_edge": "#6B4F3A",  # brown: outlines of drawn skin
    "blood_edge": "#5A0F0F",  # very dark red: the outline of a drawn lesion
    "erythema": "#E8877A",  # pink-red: a blanching rash of widened vessels
    "glass": "#3A7CA5",  # steel blue: the glass slide of the glass test
    "title_text": "#333333",  # near-black: figure titles that carry a warning
}

# A sequence for several lines of the same kind, in the order they are used.
SERIES: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

BASE_STYLE: dict[str, object] = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#111111",
    "xtick.color": "#111111",
    "ytick.color": "#111111",
    "text.color": "#111111",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

# For a projector (``petechiae-edu present``): every figure is zoomed by PROJECTOR_SCALE (see
# figures/render.py: the same pixels, everything drawn in points 1.3 times larger: 11 pt type reads as 14.3 pt
# against the figure), and on top of that lines are drawn PROJECTOR_LINE_SCALE times thicker (a 1.5 pt curve
# becomes 2.7 pt against the figure). The rc style below applies to what is made inside ``course_style()``.
PROJECTOR_SCALE = 1.3
PROJECTOR_LINE_SCALE = 1.4

PROJECTOR_STYLE: dict[str, object] = {
    **BASE_STYLE,
    "lines.linewidth": 2.2,  # 1.5 by default; 2.9 pt against the figure after the zoom
    "lines.markersize": 7.0,
    "axes.linewidth": 1.2,
    "xtick.major.width": 1.2,
    "ytick.major.width": 1.2,
    "patch.linewidth": 1.2,
    "hatch.linewidth": 1.5,
    "errorbar.capsize": 4.0,
}
