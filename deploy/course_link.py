#!/usr/bin/env python3
"""Print the nbgitpuller link that pulls the student edition into a student's home and opens a lesson.

    python deploy/course_link.py https://hub.example.org              # opens lesson 00
    python deploy/course_link.py https://hub.example.org 04-bleeding-risk.ipynb
    python deploy/course_link.py https://hub.example.org 04-bleeding-risk.ipynb --repo https://git.example.org/course

The link has the form

    HUB/hub/user-redirect/git-pull?repo=REPO&branch=student-edition&targetpath=petechiae-edu&urlpath=lab/tree/...

(query values URL-encoded). The first click clones the branch into ~/petechiae-edu; every later click merges the
newest commit into the student's copy (deploy/git_notebook_merge.py keeps their edits) and opens the lesson.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode

DEFAULT_REPO = "https://github.com/petechiae-edu/petechiae-edu"


def course_link(
    hub: str, lesson: str, repo: str, branch: str = "student-edition", folder: str = "petechiae-edu"
) -> str:
    """The full nbgitpuller link for ``lesson`` of the student edition on ``branch`` of ``repo``."""
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/{lesson}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub", help="the hub's address, e.g. https://hub.example.org")
    parser.add_argument("lesson", nargs="?", default="00-start-here.ipynb", help="lesson file to open")
    parser.add_argument("--repo", default=DEFAULT_REPO, help=f"git repository of the course (default {DEFAULT_REPO})")
    parser.add_argument("--branch", default="student-edition", help="branch with the student edition")
    args = parser.parse_args(argv)
    print(course_link(args.hub, args.lesson, args.repo, args.branch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
