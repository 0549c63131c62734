#!/usr/bin/env python3
"""A git merge driver that merges a course update into a student's lesson cell by cell (nbgitpuller's merges).

nbgitpuller brings each new commit of the course branch into a student's copy with ``git merge -Xours``: a line
merge of the notebook's JSON in which, where the student and the course changed the same lines, the student's
lines win. For a lesson that means a course correction to a cell the student had edited is dropped without a
word. With this driver git hands every ``*.ipynb`` merge to :func:`petechiae_edu.notebook_merge.merge_update`
(the same merge as ``petechiae-edu update``): course cells the student did not touch take the new version, the
student's edits and own cells stay in place, and where both changed a cell, the student's version stays and the
course's new version is placed under it with a note. Outputs and execution counts are never compared.

Wiring (deploy/jupyterhub_config.py does both):

- the course branch carries ``.gitattributes`` with ``*.ipynb merge=petechiae-notebook``
  (deploy/publish_student_edition.py writes it);
- the students' git knows the driver: ``merge.petechiae-notebook.driver = PYTHON THIS_FILE %O %A %B``, given
  to each single-user server through ``GIT_CONFIG_COUNT`` / ``GIT_CONFIG_KEY_n`` / ``GIT_CONFIG_VALUE_n``.

Where git has no such driver configured (another hub, a laptop) it falls back to its own line merge, as before.
If a file cannot be merged cell by cell (not a notebook, no cell ids), this driver does what nbgitpuller asked
for: ``git merge-file --ours``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

DRIVER_NAME = "petechiae-notebook"


def git_config_environment(python: str, driver: Path = Path(__file__)) -> dict[str, str]:
    """Environment variables that define the driver for every git a single-user server runs (git 2.31+)."""
    return {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": f"merge.{DRIVER_NAME}.name",
        "GIT_CONFIG_VALUE_0": "petechiae-edu: merge course updates into a lesson cell by cell",
        "GIT_CONFIG_KEY_1": f"merge.{DRIVER_NAME}.driver",
        "GIT_CONFIG_VALUE_1": f"'{python}' '{driver.resolve()}' %O %A %B",
    }


def _write_notebook(path: Path, notebook: dict) -> None:
    # nbformat's own layout (indent 1, sorted keys), so the next line diff stays small
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def merge(base: Path, ours: Path, theirs: Path) -> int:
    """Merge ``theirs`` (the course) into ``ours`` (the student's file, rewritten in place) from ``base``."""
    from petechiae_edu.notebook_merge import NotMergeable, merge_update

    try:
        notebooks = [json.loads(path.read_text(encoding="utf-8")) for path in (base, ours, theirs)]
        result = merge_update(*notebooks, version=time.strftime("%Y-%m-%d"))
    except (ValueError, NotMergeable, OSError) as problem:
        print(f"petechiae-notebook merge: {ours.name}: {problem}; merging line by line instead", file=sys.stderr)
        line_merge = subprocess.run(["git", "merge-file", "--ours", "--quiet", str(ours), str(base), str(theirs)])
        return 0 if line_merge.returncode == 0 else 1
    _write_notebook(ours, result.notebook)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: git_notebook_merge.py BASE OURS THEIRS   (git's %O %A %B)", file=sys.stderr)
        return 2
    return merge(*(Path(arg) for arg in args))


if __name__ == "__main__":
    sys.exit(main())
