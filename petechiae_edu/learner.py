"""Who is learning: a stable, private identity for the per-student shuffles and case versions.

The self-check shuffles its options per student, and the case player draws a different version of a case per
student: stable for one learner (the same order and the same counts after a reload or a restart) and different
between learners. The identity is, in order of preference:

1. ``PETECHIAE_EDU_LEARNER`` (an instructor may set it, e.g. for a shared lab machine);
2. ``JUPYTERHUB_USER`` (a class hub names each student's server);
3. a random identity kept in the student's workspace (``.petechiae-edu-learner``, made on first use, so the
   same workspace gives the same order on every reload);
4. the operating-system user name (outside a workspace).

Nothing leaves the computer: the identity only seeds :func:`learner_seed`, a SHA-256 digest.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import secrets
from pathlib import Path

LEARNER_FILE = ".petechiae-edu-learner"


def _workspace_identity(start: Path | None = None) -> str | None:
    from .results.answers import find_workspace

    workspace = find_workspace(start)
    if workspace is None:
        return None
    path = workspace / LEARNER_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except FileNotFoundError:
        pass
    except OSError:
        return None
    identity = secrets.token_hex(16)
    try:
        with path.open("x", encoding="utf-8") as handle:  # never overwrite one written meanwhile
            handle.write(identity + "\n")
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip() or identity
    except OSError:
        return None
    return identity


def learner_id(start: Path | None = None) -> str:
    """The learner's identity (see the module docstring for where it comes from); never empty."""
    for variable in ("PETECHIAE_EDU_LEARNER", "JUPYTERHUB_USER"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    in_workspace = _workspace_identity(start)
    if in_workspace:
        return in_workspace
    try:
        return getpass.getuser() or "learner"
    except (KeyError, OSError):
        return "learner"


def learner_seed(*parts: str, learner: str | None = None) -> int:
    """A whole number in 0–2^31−1 fixed by the learner and ``parts`` (e.g. the lesson and the question key).

    The same learner and parts always give the same number; another learner almost surely a different one.
    """
    who = learner_id() if learner is None else learner
    if not isinstance(who, str) or not who:
        raise ValueError(f"learner must be non-empty text, got {who!r}")
    digest = hashlib.sha256("\x1f".join((who, *parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
