"""How long a lesson's core path takes a student: an estimate from the notebook, for authors.

A lesson has a **core path** (everything a student works through in a session) and, at its end, optional
**deep dives** (headed ``## Optional deep dive: …``) for a second session or self-study. The estimate counts only
the core path: the cells before the first deep-dive heading, leaving out instructor notes (cells tagged
``instructor`` or whose text starts with ``### Instructor``: the student edition removes them).

The estimate in minutes is the sum of four allowances, each a stated assumption, not a measurement:

* **Reading:** the words of the core markdown cells at :data:`WORDS_PER_MINUTE` = 130 words a minute. The
  average adult silent reading rate for English non-fiction is 238 words a minute (most adults 175–300; Brysbaert M.,
  "How many words do we read per minute? A review and meta-analysis of reading rate", *J Mem Lang* 2019;109:104047,
  doi:10.1016/j.jml.2019.104047). Dense clinical text full of numbers, units and study detail, read to learn rather
  than to skim, is ASSUMED to go at about half that speed. Link targets of rendered citations are not counted as
  words (the reader sees "Slichter 2004", not its URL).
* **Interactive widgets:** :data:`MINUTES_PER_WIDGET` = 3 minutes for each code cell that ends by showing one of
  the course's interactive widgets (:data:`INTERACTIVE_WIDGETS`): time to move the controls and read the result.
  A clinical case played in the case player (``case_player``) gets :data:`MINUTES_PER_CASE` = 6 minutes: at least
  three decisions, each with a vignette to read and feedback.
* **Figures and tables:** :data:`MINUTES_PER_FIGURE` = 1 minute for each other cell that ends by showing
  something (a chart, a table), and :data:`MINUTES_PER_PRINTED_RESULT` = 0.5 minute for each cell that prints a
  short result.
* **Self-check:** :data:`MINUTES_PER_SELF_CHECK_ITEM` = 1 minute per item of the lesson's bank (read a vignette,
  choose, read the feedback).

Limits: the allowances are round numbers chosen by the authors, not timed with students; a slow reader, a reader
in a second language or a student who does every "Try this" twice will take longer. Only the widgets and cases a
cell shows are counted: a "Try this" that sends the student to more cases in the same player is not. The estimate
is a budget for authors (tests/test_lessons.py keeps every core path within :data:`CORE_PATH_LIMIT_MINUTES`), not a
promise.

:func:`core_path_time` is pure (a notebook as a dict in, a :class:`CoreTime` out); :func:`course_times` reads the
shipped lessons and their self-check banks. Authors print the table with ``python -m petechiae_edu.lesson_time``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import validation

WORDS_PER_MINUTE = 130
MINUTES_PER_WIDGET = 3.0
MINUTES_PER_CASE = 6.0
MINUTES_PER_FIGURE = 1.0
MINUTES_PER_PRINTED_RESULT = 0.5
MINUTES_PER_SELF_CHECK_ITEM = 1.0
CORE_PATH_LIMIT_MINUTES = 45.0
DEEP_DIVE_HEADING = "## Optional deep dive"
INSTRUCTOR_TAG = "instructor"
INSTRUCTOR_HEADING = "### Instructor"

# The course's interactive widgets: functions whose result a student manipulates (sliders, drop-downs, buttons).
INTERACTIVE_WIDGETS: frozenset[str] = frozenset(
    {
        "widget_check",
        "lesion_size_classifier",
        "lesion_gallery",
        "platelet_balance_explorer",
        "bleeding_explorer",
        "transfusion_strategy_explorer",
        "progression_explorer",
        "compare_progression",
        "virtual_patient",
        "cbc_interpreter",
        "film_atlas",
        "case_player",
        "claim_checker",
        "doubling_time_explorer",
        "leukaemia_table",
        "risk_factor_chart",
        "presenting_features_chart",
        "bleeding_age_curves",
        "survival_chart",
        "transfusion_thresholds_table",
        "scenario_picker",
    }
)
# Cells that show nothing a student reads as content (the lesson's plumbing).
_NOT_CONTENT = frozenset({"start_lesson", "show_sources", "self_check", "glossary_terms"})

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"\S*[0-9A-Za-zÀ-ÿ]\S*")
_CALL = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_PLAYER_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)$")
_ASSIGN = re.compile(r"(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")


@dataclass(frozen=True)
class CoreTime:
    """A lesson's core-path estimate: its parts and the total, in minutes."""

    words: int
    widgets: int
    cases: int
    figures: int
    printed: int
    self_check_items: int

    @property
    def reading_minutes(self) -> float:
        """Minutes to read the core markdown at :data:`WORDS_PER_MINUTE`."""
        return self.words / WORDS_PER_MINUTE

    @property
    def minutes(self) -> float:
        """The whole core path in minutes: reading plus the widget, figure, printed-result and self-check allowances."""
        return (
            self.reading_minutes
            + self.widgets * MINUTES_PER_WIDGET
            + self.cases * MINUTES_PER_CASE
            + self.figures * MINUTES_PER_FIGURE
            + self.printed * MINUTES_PER_PRINTED_RESULT
            + self.self_check_items * MINUTES_PER_SELF_CHECK_ITEM
        )


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def is_instructor_cell(cell: Mapping[str, Any]) -> bool:
    """True for an instructor note: tagged ``instructor`` or starting with ``### Instructor``."""
    tags = cell.get("metadata", {}).get("tags", [])
    return INSTRUCTOR_TAG in tags or _source(cell).lstrip().startswith(INSTRUCTOR_HEADING)


def is_deep_dive_heading(cell: Mapping[str, Any]) -> bool:
    """True for a markdown cell with a ``## Optional deep dive`` heading line."""
    if cell.get("cell_type") != "markdown":
        return False
    return any(line.startswith(DEEP_DIVE_HEADING) for line in _source(cell).splitlines())


def core_cells(notebook: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The cells of the core path: before the first deep-dive heading, without instructor notes."""
    cells: list[Mapping[str, Any]] = []
    for cell in notebook.get("cells", []):
        if is_deep_dive_heading(cell):
            break
        if not is_instructor_cell(cell):
            cells.append(cell)
    return cells


def count_words(markdown: str) -> int:
    """Words a reader sees in ``markdown``: link targets dropped, table rules and bare symbols not counted."""
    return len(_WORD.findall(_LINK.sub(r"\1", markdown)))


def code_cell_kind(source: str, widget_names: frozenset[str] = frozenset()) -> str | None:
    """What a code cell shows: ``"case"``, ``"widget"``, ``"figure"``, ``"printed"`` or None (nothing to read).

    The last line decides: a bare call of ``case_player`` is a case; a bare call of one of
    :data:`INTERACTIVE_WIDGETS`, or a bare name in ``widget_names`` (variables an earlier cell set to a widget, as
    when a cell ends with ``player``), is a widget; another bare call (not the lesson's plumbing) is a figure or table;
    a cell that calls ``print(`` shows a printed result.
    """
    lines = [line.strip() for line in source.strip().splitlines() if line.strip()]
    if not lines:
        return None
    last = lines[-1]
    call = _CALL.match(last)
    if call and call.group(1) == "case_player":
        return "case"
    if call and call.group(1) in INTERACTIVE_WIDGETS:
        return "widget"
    if _PLAYER_NAME.match(last) and last in widget_names:
        return "case" if widget_names and f"{last}:case" in widget_names else "widget"
    if "print(" in source:
        return "printed"
    if call and call.group(1) not in _NOT_CONTENT and not last.startswith(("_", "plt.")):
        return "figure"
    assigned_to_underscore = _CALL.match(last.removeprefix("_ =").strip()) if last.startswith("_ =") else None
    if last.startswith("plt.show") or (assigned_to_underscore and assigned_to_underscore.group(1) not in _NOT_CONTENT):
        return "figure"
    return None


def _widget_assignments(source: str) -> set[str]:
    """Names a cell binds to a widget (``player = case_player(...)``); a case player also yields ``name:case``."""
    names: set[str] = set()
    for match in _ASSIGN.finditer(source):
        name, function = match.group(1), match.group(2)
        if function in INTERACTIVE_WIDGETS:
            names.add(name)
            if function == "case_player":
                names.add(f"{name}:case")
    return names


def core_path_time(notebook: Mapping[str, Any], self_check_items: int) -> CoreTime:
    """Estimate the core path of ``notebook`` (nbformat JSON as a dict) with a bank of ``self_check_items`` items."""
    self_check_items = validation.whole_number(self_check_items, "self_check_items", low=0, unit="self-check items")
    words = widgets = cases = figures = printed = 0
    widget_names: set[str] = set()
    unshown: set[str] = set()  # widgets bound to a name that no later cell shows: they display where made
    for cell in core_cells(notebook):
        if cell.get("cell_type") == "markdown":
            words += count_words(_source(cell))
        elif cell.get("cell_type") == "code":
            kind = code_cell_kind(_source(cell), frozenset(widget_names))
            if kind in ("widget", "case") and _source(cell).strip() in unshown:
                unshown.discard(_source(cell).strip())
            assigned = _widget_assignments(_source(cell))
            if "print(" not in _source(cell):  # a cell that prints uses its widget; it does not show it
                unshown |= {name for name in assigned if ":" not in name}
            widget_names |= assigned
            widgets += kind == "widget"
            cases += kind == "case"
            figures += kind == "figure"
            printed += kind == "printed"
    for name in unshown:
        if f"{name}:case" in widget_names:
            cases += 1
        else:
            widgets += 1
    return CoreTime(words, widgets, cases, figures, printed, self_check_items)


@dataclass(frozen=True)
class LessonTime:
    """One lesson's row in the course's time table."""

    stem: str
    core: CoreTime

    @property
    def within_limit(self) -> bool:
        """True when the core path fits :data:`CORE_PATH_LIMIT_MINUTES`."""
        return self.core.minutes <= CORE_PATH_LIMIT_MINUTES


def self_check_size(number: str, data_dir: Path | None = None) -> int:
    """How many items lesson ``number``'s bank (``data/quizzes/NN.toml``) holds; 0 when it has none.

    The items are counted in the TOML itself, not through the content loader, so that a bank being edited (with a
    source key not yet added, say) still gets its time; ``petechiae-edu check`` is where banks are validated.
    """
    from . import paths

    bank = (data_dir or paths.data_dir()) / "quizzes" / f"{number}.toml"
    if not bank.exists():
        return 0
    return len(tomllib.loads(bank.read_text(encoding="utf-8")).get("question", []))


def course_times(paths: Sequence[Path] | None = None) -> list[LessonTime]:
    """The core-path estimate of every lesson (default: the shipped lessons), with each lesson's bank size."""
    from .lessons import lesson_files

    rows = []
    for path in lesson_files() if paths is None else paths:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        rows.append(LessonTime(Path(path).stem, core_path_time(notebook, self_check_size(Path(path).name[:2]))))
    return rows


def time_table(rows: Sequence[LessonTime]) -> str:
    """A plain-text table of core-path minutes per lesson, with the allowances it assumes."""
    columns = ("words", "read", "widgets", "cases", "figures", "printed", "items", "core min")
    header = f"{'lesson':<24}" + "".join(f" {name:>8}" for name in columns)
    lines = [header, "-" * len(header)]
    for row in rows:
        core = row.core
        values = (core.words, f"{core.reading_minutes:.1f}", core.widgets, core.cases, core.figures, core.printed)
        values += (core.self_check_items, f"{core.minutes:.1f}")
        flag = "" if row.within_limit else f"  over {CORE_PATH_LIMIT_MINUTES:.0f}"
        lines.append(f"{row.stem:<24}" + "".join(f" {value:>8}" for value in values) + flag)
    lines.append(
        f"Assumes {WORDS_PER_MINUTE} words a minute, {MINUTES_PER_WIDGET:g} min per widget, {MINUTES_PER_CASE:g} per "
        f"case, {MINUTES_PER_FIGURE:g} per figure or table, {MINUTES_PER_PRINTED_RESULT:g} per printed result, "
        f"{MINUTES_PER_SELF_CHECK_ITEM:g} per self-check item; deep dives and instructor notes not counted."
    )
    return "\n".join(lines)


def main() -> int:
    """``python -m petechiae_edu.lesson_time``: print every lesson's core-path estimate; exit 1 if one is over."""
    rows = course_times()
    print(time_table(rows))
    return 0 if all(row.within_limit for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
