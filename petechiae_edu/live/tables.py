"""Look-up tables a live figure sends once: numbers or texts over the grid of its controls.

A table's leading axes are controls (slider: one entry per step from min to max; checkbox: False, True;
dropdown: one per option, in order); trailing axes are flattened into one vector per state (a curve, a pool of
spot positions, the six numbers a sentence shows). Numbers travel as base64 little-endian typed arrays (a
quarter to a half of the size of JSON numbers); texts as a vocabulary of distinct strings and u16 indices.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

DTYPES = {"f32": "<f4", "u16": "<u2", "u8": "u1", "i32": "<i4"}


def slider_grid(minimum: float, maximum: float, step: float) -> np.ndarray:
    """The values a slider can take, min to max by step (the front end's index is round((v - min) / step))."""
    count = round((maximum - minimum) / step) + 1
    return np.round(minimum + step * np.arange(count), 10)


class Tables:
    """Tables indexed by the controls of one live app (``app.control_specs``: name -> spec)."""

    def __init__(self, control_specs: dict[str, dict]) -> None:
        self.specs = control_specs
        self.tables: dict[str, dict] = {}

    def grid(self, name: str) -> list[Any]:
        """The values of control ``name`` in the order tables index them."""
        spec = self._spec(name)
        if spec["kind"] == "slider":
            return [float(v) for v in slider_grid(spec["min"], spec["max"], spec["step"])]
        if spec["kind"] == "checkbox":
            return [False, True]
        return [value for _label, value in spec["options"]]

    def _spec(self, name: str) -> dict:
        if name not in self.specs:
            raise ValueError(f"table dimension {name!r} is not a bound control; bound: {', '.join(self.specs)}")
        return self.specs[name]

    def _shape(self, name: str, array: np.ndarray, dims: Sequence[str]) -> tuple[list[int], int]:
        shape = [len(self.grid(d)) for d in dims]
        if list(array.shape[: len(dims)]) != shape:
            raise ValueError(
                f"table {name!r}: leading shape {array.shape[: len(dims)]} != grid of {list(dims)} {shape}"
            )
        return shape, int(np.prod(array.shape[len(dims) :], dtype=int))

    def numbers(self, name: str, values, dims: Sequence[str] = (), dtype: str = "f32") -> None:
        """A numeric table: ``values.shape == (*grid sizes of dims, *trailing)``."""
        array = np.asarray(values)
        shape, width = self._shape(name, array, dims)
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype]).tobytes()
        self.tables[name] = {
            "dims": list(dims),
            "shape": shape,
            "width": width,
            "dtype": dtype,
            "data": base64.b64encode(data).decode("ascii"),
        }

    def texts(self, name: str, strings, dims: Sequence[str] = (), numbers=None) -> None:
        """A text table (same shape rule); ``numbers`` gives each string's number for marks (optional)."""
        array = np.asarray(strings, dtype=object)
        vocabulary: dict[str, int] = {}
        values: dict[str, float] = {}
        flat_numbers = None if numbers is None else np.asarray(numbers, dtype=float).ravel()
        indices = []
        for position, text in enumerate(array.ravel()):
            indices.append(vocabulary.setdefault(str(text), len(vocabulary)))
            if flat_numbers is not None:
                values[str(text)] = float(flat_numbers[position])
        if len(vocabulary) > 65535:
            raise ValueError(f"text table {name!r} has {len(vocabulary)} distinct strings; at most 65535")
        self.numbers(name, np.asarray(indices).reshape(array.shape), dims, dtype="u16")
        self.tables[name]["vocab"] = list(vocabulary)
        if flat_numbers is not None:
            self.tables[name]["numbers"] = [values[text] for text in vocabulary]

    def size(self) -> int:
        """Bytes of the tables as JSON (what the page and the kernel message carry)."""
        import json

        return len(json.dumps(self.tables))
