#!/usr/bin/env python3
"""Build the student edition of the lessons and commit it to a git branch that nbgitpuller links pull.

    python deploy/publish_student_edition.py                       # commit to student-edition in this checkout
    python deploy/publish_student_edition.py --push origin         # ... and push the branch
    python deploy/publish_student_edition.py --repo /srv/course.git --lessons ~/course/notebooks

The branch holds only what students need: the student edition of every lesson (``petechiae-edu build --edition
student``: no instructor cells, self-checks kept), its README and a ``.gitattributes`` that hands notebook merges
to deploy/git_notebook_merge.py, at the top of the branch, so that nbgitpuller puts them into ``~/petechiae-edu``.
Every publish is a new commit on top of the previous one (never a rewritten history: nbgitpuller merges each
commit into every student's copy, keeping their edits).

The commit is made with a private index and git plumbing (``write-tree``, ``commit-tree``, ``update-ref``), so
the instructor's working tree, index and current branch are never touched, and ``--repo`` may be a bare
repository. Nothing is committed when the edition did not change. The author is whoever git is configured for.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_BRANCH = "student-edition"
BUILD_MANIFEST = ".petechiae-edu-output.json"  # build's own bookkeeping: not for students
# nbgitpuller merges lessons with deploy/git_notebook_merge.py (cell by cell) where the hub defines that driver
GIT_ATTRIBUTES = "*.ipynb merge=petechiae-notebook\n"


def _git(git_dir: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if check and result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def build_student_edition(out_dir: Path, lessons_dir: Path | None = None) -> list[Path]:
    """Write the student edition of every lesson (from ``lessons_dir``, default the installed course) to ``out_dir``."""
    from petechiae_edu.classroom.editions import build_edition, lesson_paths

    lessons = lesson_paths(lessons_dir) if lessons_dir is not None else None
    written = build_edition("student", out_dir, lessons=lessons)
    (out_dir / BUILD_MANIFEST).unlink(missing_ok=True)
    (out_dir / ".gitattributes").write_text(GIT_ATTRIBUTES, encoding="utf-8")
    return written


def commit_folder(repo: Path, branch: str, folder: Path, message: str) -> str | None:
    """Commit the contents of ``folder`` as the whole tree of ``branch`` in ``repo``; the new commit, or None.

    ``repo`` is a working copy or a bare repository. None means the tree equals the branch's last commit.
    """
    git_dir = Path(
        subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    ref = f"refs/heads/{branch}"
    parent = _git(git_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False) or None
    with tempfile.TemporaryDirectory(prefix="petechiae-edu-index-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index"), "GIT_WORK_TREE": str(folder)}
        _git(git_dir, "add", "--all", "--force", ".", env=env)
        tree = _git(git_dir, "write-tree", env=env)
    if parent is not None and _git(git_dir, "rev-parse", f"{parent}^{{tree}}") == tree:
        return None
    commit = _git(git_dir, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    _git(git_dir, "update-ref", "-m", "publish student edition", ref, commit, *([parent] if parent else []))
    return commit


def _default_message(repo: Path) -> str:
    from petechiae_edu import __version__

    source = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    origin = f" built from {source}" if source else ""
    return f"Student edition of petechiae-edu {__version__}{origin}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="git repository to commit to (default: .)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help=f"branch to commit to (default: {DEFAULT_BRANCH})")
    parser.add_argument(
        "--lessons", type=Path, default=None, help="folder of authored lessons (default: the installed course)"
    )
    parser.add_argument("--message", default=None, help="commit message")
    parser.add_argument("--push", metavar="REMOTE", default=None, help="push the branch to REMOTE afterwards")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="petechiae-edu-student-edition-") as scratch:
        edition = Path(scratch) / "edition"
        written = build_student_edition(edition, args.lessons)
        commit = commit_folder(args.repo, args.branch, edition, args.message or _default_message(args.repo))
    if commit is None:
        print(f"{args.branch}: the student edition is unchanged; nothing committed")
    else:
        print(f"{args.branch}: committed {commit[:12]} ({len(written)} lessons, student edition)")
    if args.push:
        subprocess.run(["git", "-C", str(args.repo), "push", args.push, args.branch], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
