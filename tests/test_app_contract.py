"""The contract every public app keeps, checked for each app the package exports (scikit-learn's ``test_common``).

The apps are discovered, not listed: every public factory of ``petechiae_edu`` whose return annotation is an app
(:class:`~petechiae_edu.widgets.app.DescribedApp`). A new app is covered as soon as it is exported. For each one:
it is created, it registers its sources, it has a live description; moving its first control changes the
description and what it shows (the figure or table). Also here: every name in ``petechiae_edu.__all__`` resolves,
and the ``TYPE_CHECKING`` imports of ``petechiae_edu/__init__.py`` mirror its lazy name map.
"""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

import ipywidgets as widgets
import pytest

import petechiae_edu
from petechiae_edu import citations
from petechiae_edu.figures.render import css_size
from petechiae_edu.markup import DESCRIPTION_CLASS
from petechiae_edu.widgets.app import DescribedApp, FigureApp

# arguments for factories that need one (every other app is created with its defaults)
ARGUMENTS: dict[str, tuple] = {"self_check": ("01",)}
# apps that show a fixed picture: no control to move (their description and figure must still be there)
STATIC_APPS = {"published_bleeding_data", "compare_progression"}
# apps that rest on no source (lesson 00's check that widgets work)
SOURCELESS_APPS = {"widget_check"}
# public names from the widget layer that are not apps, and what they are instead
NOT_APPS = {
    "glossary_terms": "a Table (text and HTML)",
    "differential_table": "a Table",
    "red_flag_table": "a Table",
    "size_definitions_table": "a Table",
    "reference_ranges_table": "a Table",
    "spleen_studies_chart": "a StaticChart (an <img> with alt text)",
}


def _return_type(name: str) -> object:
    value = getattr(petechiae_edu, name)
    if not callable(value) or inspect.ismodule(value):
        return None
    return typing.get_type_hints(value).get("return")


def _is_app_factory(name: str) -> bool:
    returned = _return_type(name)
    return isinstance(returned, type) and issubclass(returned, DescribedApp)


APP_FACTORIES = sorted(name for name in petechiae_edu.__all__ if _is_app_factory(name))


def test_every_public_widget_factory_is_an_app_or_says_what_it_is():
    widget_names = {
        name for name, module in petechiae_edu._PUBLIC_NAMES.items() if module.startswith("petechiae_edu.widgets.")
    }
    uncovered = widget_names - set(APP_FACTORIES) - set(NOT_APPS)
    assert not uncovered, (
        f"{sorted(uncovered)} come from the widget layer but are not covered by the app contract: annotate the "
        "factory's return type with its DescribedApp subclass, or list the name in NOT_APPS with what it returns"
    )
    assert len(APP_FACTORIES) >= 16


def test_the_exemptions_name_real_apps():
    assert set(ARGUMENTS) | STATIC_APPS | SOURCELESS_APPS <= set(APP_FACTORIES)
    assert not set(NOT_APPS) & set(APP_FACTORIES)


# --- moving a control, whatever it is ------------------------------------------------------------------------


def _leaves(control: widgets.Widget) -> list[widgets.Widget]:
    """The controls inside boxes and accordions, in order."""
    children = getattr(control, "children", None)
    if children is None:
        return [control]
    return [leaf for child in children for leaf in _leaves(child)]


def _move(control: widgets.Widget) -> None:
    """Change a control the way a student would: another option, the other end of a range, a tick, a click."""
    if isinstance(control, widgets.Button):
        control.click()
    elif hasattr(control, "options") and hasattr(control, "index"):
        index = control.index
        control.index = 0 if index is None else (index + 1) % len(control.options)
    elif isinstance(control.value, bool):
        control.value = not control.value
    else:
        control.value = control.max if control.value < control.max else control.min


def _shown(app: DescribedApp) -> list[object]:
    return [getattr(widget, "value", None) for widget in app.shown()]


@pytest.fixture
def created(request, fresh_citations):
    name = request.param
    app = getattr(petechiae_edu, name)(*ARGUMENTS.get(name, ()))
    return name, app


@pytest.mark.parametrize("created", APP_FACTORIES, indirect=True)
def test_an_app_is_created_with_a_live_description_and_its_sources(created):
    name, app = created
    assert isinstance(app, DescribedApp)
    assert isinstance(app.widget, widgets.Widget)
    assert app.description.strip(), f"{name} starts with no description"
    html = app.description_html.value
    assert 'aria-live="polite"' in html and f'class="{DESCRIPTION_CLASS}"' in html
    if isinstance(app, FigureApp):
        assert bytes(app.image.value[:4]) == b"\x89PNG", f"{name} shows no figure"
        width, _height = css_size(app.image.value)
        assert app.image.layout.width == f"{width:g}px", f"{name}'s 2x PNG is not shown at its CSS size"
    if name not in SOURCELESS_APPS:
        assert citations.used(), f"{name} registered no sources"


@pytest.mark.parametrize("created", APP_FACTORIES, indirect=True)
def test_moving_a_control_changes_the_description_and_what_the_app_shows(created):
    name, app = created
    leaves = [leaf for control in app.controls for leaf in _leaves(control) if not getattr(leaf, "disabled", False)]
    if name in STATIC_APPS:
        assert not leaves, f"{name} has controls: take it out of STATIC_APPS"
        return
    assert leaves, f"{name} has no control a student can move (add it to app.controls)"
    before = (app.description, _shown(app))
    first, *rest = leaves
    _move(first)
    if app.description == before[0] and rest and isinstance(rest[0], widgets.Button):
        _move(rest[0])  # a choice that a button submits (a self-check answer)
    assert app.description != before[0], f"moving {first.description!r} left {name}'s description as it was"
    if before[1]:
        assert _shown(app) != before[1], f"moving {first.description!r} left what {name} shows as it was"


# --- the public names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", petechiae_edu.__all__)
def test_every_public_name_resolves(name):
    assert getattr(petechiae_edu, name) is not None
    assert name in dir(petechiae_edu)


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="has no attribute 'bleeding_explorr'"):
        petechiae_edu.bleeding_explorr  # noqa: B018


def _type_checking_imports() -> dict[str, str]:
    """name -> module of the imports under ``if TYPE_CHECKING:`` in petechiae_edu/__init__.py."""
    tree = ast.parse(Path(petechiae_edu.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
    )
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names:
            module = "petechiae_edu" + (f".{node.module}" if node.module else "")
            found[alias.asname or alias.name] = module if node.module else f"{module}.{alias.name}"
    return found


def test_the_type_checking_imports_mirror_the_lazy_name_map():
    assert _type_checking_imports() == petechiae_edu._PUBLIC_NAMES
