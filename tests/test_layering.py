"""The house plan, checked: models are pure (no plotting, widgets, content store, citations or file I/O) and
no module of the package grows past 450 lines (DESIGN.md: data flows one way; split a module by role)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import petechiae_edu

PACKAGE = Path(petechiae_edu.__file__).parent
MODELS = PACKAGE / "models"
MAX_LINES = 450

# A model knows nothing downstream (figures, widgets) and reads nothing: its data come in as arguments.
FORBIDDEN_IMPORTS = (
    "matplotlib",
    "ipywidgets",
    "IPython",
    "petechiae_edu.content",
    "petechiae_edu.citations",
    "petechiae_edu.calibrated",
    "petechiae_edu.figures",
    "petechiae_edu.widgets",
    "tomllib",
    "pathlib",
)
FILE_IO_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "loadtxt",
    "genfromtxt",
    "fromfile",
    "tofile",
    "savetxt",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` imports, with relative imports resolved against ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _called_name(node) in ("import_module", "__import__"):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def forbidden_imports(source: str, module: str) -> list[str]:
    return sorted(
        name
        for name in imported_modules(source, module)
        for forbidden in FORBIDDEN_IMPORTS
        if name == forbidden or name.startswith(forbidden + ".")
    )


def file_io_calls(source: str) -> list[str]:
    return sorted(
        f"{_called_name(node)}() on line {node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _called_name(node) in FILE_IO_CALLS
    )


MODEL_FILES = sorted(MODELS.glob("*.py"))
PACKAGE_FILES = sorted(p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts)


def test_the_models_package_is_found():
    assert len(MODEL_FILES) >= 10
    assert PACKAGE / "models" / "bleeding.py" in MODEL_FILES


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_a_model_imports_no_plotting_widgets_content_or_citations(path):
    found = forbidden_imports(path.read_text(encoding="utf-8"), _module_name(path))
    assert not found, f"{path.name} imports {', '.join(found)}; models take their data as arguments"


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_a_model_does_no_file_io(path):
    found = file_io_calls(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} does file I/O: {', '.join(found)}"


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_passes_450_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by role"


# --- the checker itself catches what it should ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line, caught",
    [
        ("from ..content import entries", "petechiae_edu.content"),
        ("from .. import content", "petechiae_edu.content"),
        ("from .. import citations", "petechiae_edu.citations"),
        ("from ..content.bleeding_data import CALIBRATION_FILE", "petechiae_edu.content.bleeding_data"),
        ("import petechiae_edu.content", "petechiae_edu.content"),
        ("from matplotlib.figure import Figure", "matplotlib.figure"),
        ("import tomllib", "tomllib"),
        ("importlib.import_module('petechiae_edu.widgets')", "petechiae_edu.widgets"),
    ],
)
def test_the_checker_catches_a_forbidden_import(line, caught):
    assert caught in forbidden_imports(line, "petechiae_edu.models.example")


def test_the_checker_allows_sibling_models_and_numpy():
    source = "import numpy as np\nfrom scipy.optimize import least_squares\nfrom .bleeding import Covariates\n"
    assert forbidden_imports(source, "petechiae_edu.models.example") == []


def test_the_checker_catches_file_io():
    assert file_io_calls("text = open('x').read()\n") == ["open() on line 1"]
    assert file_io_calls("data = path.read_text()\n") == ["read_text() on line 1"]


# --- the modules models may import from the package top: pure, like a model ----------------------------------

MODEL_HELPERS = [PACKAGE / "validation.py", PACKAGE / "units.py"]


@pytest.mark.parametrize("path", MODEL_HELPERS, ids=lambda p: p.name)
def test_the_validator_and_the_units_table_are_as_pure_as_a_model(path):
    source = path.read_text(encoding="utf-8")
    found = forbidden_imports(source, _module_name(path))
    assert not found, f"{path.name} imports {', '.join(found)}; models import it, so it must stay pure"
    assert not file_io_calls(source)


def test_the_bleeding_curve_is_a_leaf_and_the_fit_depends_on_the_curve_only():
    """code-review §2.3: bleeding ← bleeding_fit ← bleeding_model, never the other way."""

    def sibling_models(name: str) -> set[str]:
        path = MODELS / f"{name}.py"
        found = imported_modules(path.read_text(encoding="utf-8"), _module_name(path))
        return {m.split(".")[2] for m in found if m.startswith("petechiae_edu.models.") and m.count(".") >= 2}

    assert sibling_models("bleeding") == set()
    assert sibling_models("bleeding_fit") == {"bleeding"}
    assert sibling_models("bleeding_model") == {"bleeding", "bleeding_fit"}
