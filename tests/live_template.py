"""Test helper: what live.js shows for a live app's state, computed in Python from the tables it was sent.

The same index arithmetic as ``lookup`` in petechiae_edu/live/live.js, so a kernel-side test can check that the
tables and the description template reproduce Python's sentence (the browser tests check live.js itself).
"""

from __future__ import annotations

import base64

import numpy as np

DTYPES = {"f32": "<f4", "u16": "<u2", "u8": "u1", "i32": "<i4"}


def grid_index(spec: dict, value) -> int:
    if spec["kind"] == "slider":
        return round((value - spec["min"]) / spec["step"])
    if spec["kind"] == "checkbox":
        return int(value)
    return [option[1] for option in spec["options"]].index(value)


def lookup(app, name: str) -> list:
    """Table ``name`` at the app's front-end state: strings for a text table, numbers otherwise."""
    table = app.live.tables[name]
    specs = {c["name"]: c for c in app.live.spec["controls"]}
    offset = 0
    for dim, size in zip(table["dims"], table["shape"], strict=True):
        offset = offset * size + grid_index(specs[dim], app.live.state[dim])
    raw = np.frombuffer(base64.b64decode(table["data"]), dtype=DTYPES[table["dtype"]])
    raw = raw[offset * table["width"] :][: table["width"]]
    return [table["vocab"][k] for k in raw] if "vocab" in table else [float(v) for v in raw]


def template_text(app) -> str:
    """The description the front end assembles from the template (literal strings and table references)."""
    parts = []
    for part in app.live.spec["description"]:
        if isinstance(part, str):
            parts.append(part)
        elif "table" in part:
            parts.append(str(lookup(app, part["table"])[part.get("item", 0)]))
        else:
            raise AssertionError(f"this helper reads table references only, not {part}")
    return "".join(parts)
