"""Where the course lives: the lessons (notebooks) and the content store (data).

An installed wheel carries both inside the package, under ``petechiae_edu/_course``; an editable install or
a plain checkout keeps them at the top of the repository, beside the package. :func:`course_root` hides the
difference so that every other module asks one question.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class CourseNotFoundError(RuntimeError):
    """The lessons and content store could not be found next to the installed package."""


@cache
def course_root() -> Path:
    """Return the folder that holds ``data/`` and ``notebooks/``.

    Looks first inside the package (wheel install), then beside it (checkout or editable install).
    """
    candidates = (_PACKAGE_DIR / "_course", _PACKAGE_DIR.parent)
    for candidate in candidates:
        if (candidate / "data").is_dir() and (candidate / "notebooks").is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise CourseNotFoundError(
        f"The course files (data/ and notebooks/) were not found; looked in {looked}. "
        "Reinstall petechiae-edu from a wheel or from a full checkout."
    )


def data_dir() -> Path:
    """The content store: TOML files with facts, sources, quizzes and datasets."""
    return course_root() / "data"


def lessons_dir() -> Path:
    """The lesson notebooks as shipped (read-only originals; students work on copies)."""
    return course_root() / "notebooks"
