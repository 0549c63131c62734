"""Lesson authoring: execute a lesson in place, then keep outputs only on its golden cells.

Committed lessons keep outputs (and execution counts) only on cells tagged ``nbval-check-output``: those
printed results are the regression test nbval checks. Everything else, and the notebook's widget state, is
stripped so that diffs stay readable and a student's first run starts clean.

Citations are written ``[@key]`` and rendered for readers (author–year linked to the DOI or PubMed, the key kept
in the link title) by ``cite`` and by ``refresh``; ``check`` reports any left unrendered or out of date.

    python -m petechiae_edu.authoring refresh notebooks/04-bleeding-risk.ipynb   # render citations, execute, strip
    python -m petechiae_edu.authoring cite notebooks/*.ipynb                     # render citations only
    python -m petechiae_edu.authoring glossary notebooks/*.ipynb                 # link jargon's first use
    python -m petechiae_edu.authoring strip notebooks/*.ipynb                    # strip only
    python -m petechiae_edu.authoring check notebooks/*.ipynb                    # report, change nothing
    python -m petechiae_edu.authoring check                                      # ... every lesson (CI does this)
    python -m petechiae_edu.authoring refit                                      # refit the bleeding model

``refit`` recomputes the bleeding model's shipped fit (``data/calibration/bleeding_fitted.toml``) from
``data/calibration/bleeding.toml`` with numpy alone; the package reads that file at run time and fits nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

GOLDEN_TAG = "nbval-check-output"
KERNEL_NAME = "python3"


def is_golden(cell: nbformat.NotebookNode) -> bool:
    return GOLDEN_TAG in cell.get("metadata", {}).get("tags", [])


def strip_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs and counts except on golden cells; drop widget state; set the kernel to python3."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            cell.get("metadata", {}).pop("execution", None)
            continue
        cell.metadata.pop("execution", None)
        if not is_golden(cell):
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": KERNEL_NAME,
    }
    return notebook


def hygiene_problems(path: Path) -> list[str]:
    """What a committed lesson must not carry: outputs off golden cells, widget state, another kernel."""
    notebook = nbformat.read(path, as_version=4)
    problems = []
    if notebook.metadata.get("kernelspec", {}).get("name") != KERNEL_NAME:
        problems.append(f"{path.name}: kernelspec name is not {KERNEL_NAME}")
    if "widgets" in notebook.metadata:
        problems.append(f"{path.name}: notebook metadata keeps widget state")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and not is_golden(cell):
            if cell.outputs:
                problems.append(f"{path.name}: cell {index} keeps outputs but is not a golden cell")
            if cell.execution_count is not None:
                problems.append(f"{path.name}: cell {index} keeps an execution count but is not a golden cell")
    return problems


def render_notebook_citations(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Render every citation of every markdown cell for readers (idempotent)."""
    from . import citations

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = citations.render_citations(cell.source)
    return notebook


def citation_problems(path: Path) -> list[str]:
    """Citations a reader would see as ``[@key]``, or rendered from an older bibliography."""
    from . import citations

    problems = []
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        if citations.unrendered_citations(cell.source):
            problems.append(f"{path.name}: cell {index} has unrendered citations; run 'authoring cite'")
        elif citations.render_citations(cell.source) != cell.source:
            problems.append(f"{path.name}: cell {index} has citations rendered from an older bibliography")
    return problems


def _glossary() -> dict[str, tuple[str, str]]:
    from . import content
    from .glossary_links import glossary_entries

    return glossary_entries(content.glossary().values())


def link_glossary(path: Path) -> list[str]:
    """Link the first use of each of the lesson's glossary terms to its glossary (:mod:`.glossary_links`);
    returns the term keys linked now."""
    from .glossary_links import link_first_uses

    notebook = nbformat.read(path, as_version=4)
    sources, linked = link_first_uses([(cell.cell_type, cell.source) for cell in notebook.cells], _glossary())
    for cell, source in zip(notebook.cells, sources, strict=True):
        cell.source = source
    if linked:
        nbformat.write(notebook, path)
    return linked


def glossary_problems(path: Path) -> list[str]:
    """Glossary terms of the lesson whose first use is not linked to the glossary."""
    from .glossary_links import unlinked_first_uses

    notebook = nbformat.read(path, as_version=4)
    missing = unlinked_first_uses([(cell.cell_type, cell.source) for cell in notebook.cells], _glossary())
    return (
        [f"{path.name}: first use of glossary term(s) {', '.join(missing)} not linked; run 'authoring glossary'"]
        if missing
        else []
    )


def cite(path: Path) -> None:
    """Render the lesson's citations in place."""
    nbformat.write(render_notebook_citations(nbformat.read(path, as_version=4)), path)


def execute_notebook(path: Path, timeout_seconds: int = 300) -> nbformat.NotebookNode:
    """Run every cell of a lesson in a fresh python3 kernel, in the lesson's own folder."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=timeout_seconds, kernel_name=KERNEL_NAME, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return notebook


def refresh(path: Path) -> None:
    """Render citations, execute in place and strip: golden outputs become what the code prints today."""
    cite(path)
    notebook = strip_notebook(execute_notebook(path))
    nbformat.write(notebook, path)


def refit(path: Path | None = None) -> Path:
    """Recompute the bleeding model's shipped fit and write it (default: the course's ``bleeding_fitted.toml``)."""
    from . import calibrated, paths
    from .content import bleeding_data, clear_cache

    target = path if path is not None else paths.data_dir() / bleeding_data.FITTED_FILE
    target.write_text(calibrated.fitted_model_text(), encoding="utf-8")
    clear_cache()  # the next default_model() reads the new file
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m petechiae_edu.authoring", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["refresh", "cite", "glossary", "strip", "check", "refit"])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="the lessons to act on (check: every lesson when none is named)"
    )
    arguments = parser.parse_args(argv)
    notebooks: list[Path] = arguments.notebooks
    if arguments.action == "refit":
        if notebooks:
            parser.error("refit takes no notebooks")
        print(f"wrote {refit()}")
        return 0
    if not notebooks:
        if arguments.action != "check":
            parser.error(f"name the notebooks to {arguments.action}, e.g. notebooks/04-bleeding-risk.ipynb")
        from . import paths

        notebooks = sorted(paths.lessons_dir().glob("*.ipynb"))
    problems: list[str] = []
    for path in notebooks:
        if arguments.action == "refresh":
            refresh(path)
            print(f"refreshed {path}")
        elif arguments.action == "cite":
            cite(path)
            print(f"rendered the citations of {path}")
        elif arguments.action == "glossary":
            linked = link_glossary(path)
            print(f"{path}: linked {', '.join(linked) if linked else 'nothing new'}")
        elif arguments.action == "strip":
            nbformat.write(strip_notebook(nbformat.read(path, as_version=4)), path)
            print(f"stripped {path}")
        else:
            problems += hygiene_problems(path) + citation_problems(path) + glossary_problems(path)
    for problem in problems:
        print(problem)
    if arguments.action == "check" and not problems:
        print(
            f"{len(notebooks)} lessons checked: outputs only on golden cells, kernel {KERNEL_NAME}, citations ok, "
            "glossary terms linked at first use"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
