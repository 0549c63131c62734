"""Jump an explorer to a prepared state: named scenarios from ``data/scenarios.toml``.

    app = bleeding_explorer()
    load_scenario(app, "Platelets 8 with fever")     # by name (any case) or key ("platelets-8-with-fever")
    scenario_picker(app)                              # a drop-down of the scenarios for this explorer

A scenario names its explorer (the public factory, e.g. ``bleeding_explorer``) and sets control values by
attribute path (``"platelets.value" = 8.0``), in the order written. Nothing here knows any explorer's
controls, so a new explorer gets scenarios by adding entries to the data file.
"""

from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

from . import citations
from .content import entries
from .content.scenarios import Scenario

SCENARIO_FILE = "scenarios.toml"


class ScenarioError(ValueError):
    """A scenario is unknown, is for another explorer, or names a control the explorer does not have."""


def scenarios(explorer: str | None = None, *, data_dir: Path | None = None) -> tuple[Scenario, ...]:
    """Every scenario (in file order), or those for ``explorer`` (a factory name such as ``bleeding_explorer``)."""
    every = entries(SCENARIO_FILE, Scenario, array="scenario", data_dir=data_dir)
    return every if explorer is None else tuple(s for s in every if s.explorer == explorer)


def find_scenario(name: str, *, data_dir: Path | None = None) -> Scenario:
    """The scenario called ``name`` (its name in any case, or its key)."""
    if not isinstance(name, str):
        known = "; ".join(s.name for s in scenarios(data_dir=data_dir))
        raise ScenarioError(f"scenario name = {name!r} is not text; expected a scenario name such as: {known}")
    wanted = name.strip().casefold()
    for scenario in scenarios(data_dir=data_dir):
        if wanted in (scenario.key.casefold(), scenario.name.casefold()):
            return scenario
    known = "; ".join(f"{s.name} ({s.explorer})" for s in scenarios(data_dir=data_dir))
    raise ScenarioError(f"no scenario called {name!r}; known scenarios: {known}")


def explorer_class(factory_name: str) -> type | None:
    """The app class a public factory returns (from its return annotation), or None if it has none."""
    import petechiae_edu

    try:
        factory = getattr(petechiae_edu, factory_name)
    except AttributeError:
        raise ScenarioError(f"no explorer called {factory_name!r} in petechiae_edu") from None
    return typing.get_type_hints(factory).get("return")


def explorer_name(app: Any) -> str | None:
    """The factory name a scenario would use for ``app`` (e.g. ``bleeding_explorer``), if any scenario fits."""
    for factory_name in dict.fromkeys(s.explorer for s in scenarios()):
        cls = explorer_class(factory_name)
        if cls is not None and isinstance(app, cls):
            return factory_name
    return None


def _resolve(app: Any, path: str, scenario: Scenario) -> tuple[Any, str]:
    """The object holding the last attribute of ``path`` and that attribute's name."""
    *parents, last = path.split(".")
    target = app
    walked = []
    for part in parents:
        if not hasattr(target, part):
            available = ", ".join(_control_names(target)) or "none"
            where = type(app).__name__ + "".join(f".{p}" for p in walked)
            raise ScenarioError(
                f"scenario {scenario.name!r}: {where} has no control {part!r} (in {path!r}); "
                f"its controls are: {available}"
            )
        target = getattr(target, part)
        walked.append(part)
    if not hasattr(target, last):
        raise ScenarioError(
            f"scenario {scenario.name!r}: {type(app).__name__}.{'.'.join(parents)} has no attribute {last!r} "
            f"(in {path!r})"
        )
    return target, last


def _control_names(obj: Any) -> list[str]:
    return (
        sorted(
            name
            for name in vars(obj)
            if not name.startswith("_") and hasattr(getattr(obj, name), "value") and name != "image"
        )
        if hasattr(obj, "__dict__")
        else []
    )


def _check_value(target: Any, attribute: str, value: Any, path: str, scenario: Scenario) -> None:
    """Refuse values a widget would silently clamp (sliders) or reject (menus), naming what it accepts."""
    widget = getattr(target, "slider", target)  # a labelled slider keeps its range on .slider
    if attribute == "value" and isinstance(value, int | float) and not isinstance(value, bool):
        low, high = getattr(widget, "min", None), getattr(widget, "max", None)
        if low is not None and high is not None and not low <= value <= high:
            raise ScenarioError(
                f"scenario {scenario.name!r}: {path} = {value} is outside the control's range {low}–{high}"
            )
    options = getattr(widget, "options", None)
    if attribute == "value" and options is not None and hasattr(widget, "label"):
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        if value not in values:
            raise ScenarioError(
                f"scenario {scenario.name!r}: {path} = {value!r} is not one of the menu's values: "
                + ", ".join(repr(v) for v in values)
            )


def load_scenario(app: Any, name: str) -> Scenario:
    """Set ``app``'s controls to the scenario called ``name``; return the scenario (its ``summary`` says what
    to point out). The app redraws as each control changes, like a student moving it."""
    return apply_scenario(app, find_scenario(name))


def apply_scenario(app: Any, scenario: Scenario) -> Scenario:
    """Set ``app``'s controls to ``scenario`` (a record, e.g. from a draft data folder); see :func:`load_scenario`."""
    expected = explorer_class(scenario.explorer)
    if expected is not None and not isinstance(app, expected):
        raise ScenarioError(
            f"scenario {scenario.name!r} is for {scenario.explorer}(), but the app is a {type(app).__name__}; "
            f"scenarios for it: {', '.join(s.name for s in scenarios(explorer_name(app))) or 'none'}"
        )
    resolved = [(path, value, *_resolve(app, path, scenario)) for path, value in scenario.controls.items()]
    for path, value, target, attribute in resolved:
        _check_value(target, attribute, value, path, scenario)
    for path, value, target, attribute in resolved:
        try:
            setattr(target, attribute, value)
        except Exception as error:  # a widget trait refusing the value
            raise ScenarioError(f"scenario {scenario.name!r}: could not set {path} = {value!r} ({error})") from None
        now = getattr(target, attribute)
        if isinstance(value, float) and not isinstance(now, bool) and not math.isclose(float(now), value):
            raise ScenarioError(f"scenario {scenario.name!r}: {path} became {now} instead of {value}")
    citations.cite(*scenario.sources, by=f"scenario: {scenario.name}")
    return scenario


def scenario_picker(app: Any, *, description: str = "Scenario:"):
    """A drop-down of the scenarios for ``app``'s explorer; choosing one loads it into the app."""
    import ipywidgets as widgets

    factory_name = explorer_name(app)
    available = scenarios(factory_name) if factory_name else ()
    if not available:
        raise ScenarioError(f"no scenarios in data/{SCENARIO_FILE} are for a {type(app).__name__}")
    picker = widgets.Dropdown(
        options=[("Choose a prepared scenario…", None), *((s.name, s.key) for s in available)],
        value=None,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="32em"),
    )

    def on_choice(change: dict) -> None:
        if change["new"] is not None:
            chosen = load_scenario(app, change["new"])
            picker.tooltip = chosen.summary

    picker.observe(on_choice, names="value")
    return picker
