"""A Python-made sentence cut into fragments, each sent as a text table over only the controls it depends on.

An explorer's description is built in Python from fragments (``sentence == "".join(fragments)``). Over the grid of
its precomputed controls, :func:`fragment_tables` finds, for each fragment position, which controls change it and
stores it as a text table over those controls only (a zero-dimensional table when no precomputed control changes
it, so a control on the kernel path can still change it by resending the tables). The front end joins the looked-up
strings, so its text equals Python's exactly, and the payload stays small: a fragment that only depends on one
slider costs one string per step, not one per state.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from ..live import Tables


def fragment_grid(
    tables: Tables, dims: Sequence[str], fragments: Callable[..., Sequence[str]]
) -> tuple[np.ndarray, list[list]]:
    """``fragments(*values)`` at every state of ``dims`` (in the tables' order) as an object array (*grid, K)."""
    grids = [tables.grid(name) for name in dims]
    first = list(fragments(*(grid[0] for grid in grids)))
    out = np.empty((*(len(grid) for grid in grids), len(first)), dtype=object)
    for index in itertools.product(*(range(len(grid)) for grid in grids)):
        parts = list(fragments(*(grid[i] for grid, i in zip(grids, index, strict=True))))
        if len(parts) != len(first):
            raise ValueError(f"fragments at state {index} give {len(parts)} parts, expected {len(first)}")
        out[index] = parts
    return out, grids


def fragment_tables(tables: Tables, prefix: str, grid: np.ndarray, dims: Sequence[str]) -> list[dict]:
    """Store fragment k of ``grid`` (object array (*grid of dims, K)) as text table ``{prefix}{k}`` over the dims
    it varies along; returns the description template (one table reference per fragment)."""
    template = []
    for k in range(grid.shape[-1]):
        values = grid[..., k]
        varying = [axis for axis in range(values.ndim) if not np.all(values == np.take(values, [0], axis=axis))]
        index = tuple(slice(None) if axis in varying else 0 for axis in range(values.ndim))
        reduced = np.asarray(values[index], dtype=object)
        tables.texts(f"{prefix}{k}", reduced, [dims[axis] for axis in varying])
        template.append({"table": f"{prefix}{k}"})
    return template
