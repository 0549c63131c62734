"""One input validator for the whole package: numbers in clinical units, counts, days, seeds, sizes, choices.

Every model and the blood-count interpreter check their inputs here, so one bad value gets the same answer
everywhere. Each check returns the clean value or raises an error whose message names the parameter, the value
given and what was expected, with its unit:

    >>> count(8, "platelet_count")
    8.0
    >>> try:
    ...     count(2500, "platelet_count")
    ... except ValueError as error:
    ...     print(error)
    platelet_count = 2500 looks like a count per µL; expected ×10^9/L (divide by 1000: 2500/µL = 2.5 ×10^9/L)

The rules, in the order they are applied:

* **type**: a number is an ``int``, a ``float`` or a numpy real scalar. ``bool`` is not a number (``True`` is not
  1 ×10^9/L), a string is not a number (``'8'`` is refused, not parsed), ``None`` is "missing";
* **finiteness**: NaN and ±inf are refused;
* **range**: below 0 is "negative", then the parameter's own limits;
* **the one per-µL rule** (:data:`PER_MICROLITRE_ABOVE`): a platelet count above 2000, or a white-cell count above
  1000, was almost surely typed per µL (2500/µL = 2.5 ×10^9/L) and is refused with the conversion; a haemoglobin
  above 25 g/dL was typed in g/L.

Wrong types raise :class:`InputTypeError` (a ``TypeError`` that is also a ``ValueError``, so callers that catch
either keep working); wrong values raise :class:`InputValueError` (a ``ValueError``). Pure: no I/O, no widgets.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .units import BLOOD_COUNT_UNITS

__all__ = [
    "MAX_PATIENTS",
    "PER_MICROLITRE_ABOVE",
    "InputTypeError",
    "InputValueError",
    "choice",
    "count",
    "count_array",
    "days",
    "flag",
    "fraction",
    "instance",
    "number",
    "percentage",
    "seed",
    "size",
    "value_range",
    "whole_number",
]

# The one per-µL rule: above these, a value was almost surely typed per µL (or haemoglobin in g/L). Platelet counts
# above 2000 ×10^9/L are extraordinary even in essential thrombocythaemia; leukaemic white counts can reach a few
# hundred ×10^9/L, so the white-cell ceiling is generous.
PER_MICROLITRE_ABOVE: dict[str, float] = {
    "platelets": 2000.0,
    "wbc": 1000.0,
    "anc": 1000.0,
    "lymphocytes": 1000.0,
    "monocytes": 1000.0,
    "eosinophils": 1000.0,
    "basophils": 1000.0,
    "haemoglobin": 25.0,
}
MAX_PATIENTS = 1_000_000  # a virtual cohort larger than this needs more memory than a laptop has (about 1.5 GB)


class InputTypeError(TypeError, ValueError):
    """An input of the wrong type (text, ``True``, ``None``, a list where one number was expected ...)."""


class InputValueError(ValueError):
    """An input of the right type with an impossible or implausible value (NaN, negative, per µL, out of range)."""


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _shown(value: object, result: float) -> str:
    """The value as the user gave it: whole numbers in full (10000000, not 1e+07), other numbers as %g."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    return f"{result:g}"


def number(
    value: object,
    name: str,
    *,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    above: float | None = None,
    expected: str | None = None,
) -> float:
    """``value`` as a float, or an error naming ``name``, the value and the ``unit`` or ``expected`` wording.

    ``low``/``high`` are inclusive limits, ``above`` an exclusive lower limit (``above=0``: must be positive).
    A ``low`` of 0 (or ``above=0``) gives the message "is negative" for a value below 0.
    """
    what = expected or (f"a number in {unit}" if unit else "a number")
    if value is None:
        raise InputTypeError(f"{name} is missing; expected {what}")
    if not _is_real(value):
        raise InputTypeError(f"{name} = {value!r} is not a number; expected {what}")
    result = float(value)  # type: ignore[arg-type]
    if not math.isfinite(result):
        raise InputValueError(f"{name} = {result} is not a finite number; expected {what}")
    unit_text = f" {unit}" if unit else ""
    shown = _shown(value, result)
    if result < 0 and ((low is not None and low >= 0) or (above is not None and above >= 0)):
        raise InputValueError(f"{name} = {shown} is negative; expected a number ≥ 0{' in ' + unit if unit else ''}")
    if above is not None and not result > above:
        raise InputValueError(f"{name} = {shown}{unit_text} must be above {above:g}{unit_text}; expected {what}")
    if (low is not None and result < low) or (high is not None and result > high):
        bounds = (
            f"{low:g}–{high:g}{unit_text}"
            if low is not None and high is not None
            else f"≥ {low:g}{unit_text}"
            if low is not None
            else f"≤ {high:g}{unit_text}"
        )
        raise InputValueError(f"{name} = {shown}{unit_text} is outside {bounds}; expected {what}")
    return result


def _per_microlitre_message(name: str, shown: str, value: float, quantity: str) -> str:
    if quantity == "haemoglobin":
        return f"{name} = {shown} looks like g/L; expected g/dL (divide by 10: {shown} g/L = {value / 10:g} g/dL)"
    return (
        f"{name} = {shown} looks like a count per µL; expected ×10^9/L "
        f"(divide by 1000: {shown}/µL = {value / 1000:g} ×10^9/L)"
    )


def count(value: object, name: str, *, quantity: str = "platelets", high: float | None = None) -> float:
    """A blood count (``quantity``: platelets, wbc, anc, lymphocytes ... in ×10^9/L; haemoglobin in g/dL) ≥ 0.

    Refuses a value that looks per µL (or haemoglobin in g/L) with the conversion. ``high`` is a model's own
    upper limit below the per-µL ceiling; a value above it is refused with the same conversion as a hint.
    """
    unit = BLOOD_COUNT_UNITS[quantity]
    result = number(value, name, unit=unit, low=0.0)
    ceiling = PER_MICROLITRE_ABOVE[quantity]
    shown = _shown(value, result)
    if result > ceiling:
        raise InputValueError(_per_microlitre_message(name, shown, result, quantity))
    if high is not None and result > high:
        raise InputValueError(
            f"{name} = {shown} {unit} is above {high:g} {unit}, the highest this model is meant for; "
            f"if it is a count per µL, divide by 1000 ({shown}/µL = {result / 1000:g} {unit})"
        )
    return result


def count_array(values: object, name: str, *, quantity: str = "platelets", high: float | None = None) -> np.ndarray:
    """One count or an array of counts as a float array, each checked as by :func:`count` (the first bad one named)."""
    if _is_real(values):
        return np.asarray(count(values, name, quantity=quantity, high=high))
    if values is None or isinstance(values, str | bytes | bool | np.bool_ | dict):
        count(values, name, quantity=quantity, high=high)  # raises, naming the value
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise InputTypeError(f"{name} = {values!r} is not a number or an array of numbers") from None
    if array.size == 0:
        raise InputValueError(f"no {name} given; expected at least one count in {BLOOD_COUNT_UNITS[quantity]}")
    if array.dtype.kind not in "iuf":
        for item in array.flat:
            count(item, name, quantity=quantity, high=high)
        raise InputTypeError(f"{name} = {values!r} is not an array of numbers")
    result = array.astype(float)
    bad = ~np.isfinite(result) | (result < 0) | (result > min(PER_MICROLITRE_ABOVE[quantity], high or math.inf))
    if bad.any():
        count(result[bad].flat[0], name, quantity=quantity, high=high)
    return result


def percentage(value: object, name: str, *, high: float = 100.0) -> float:
    """A percentage 0–``high`` (0–100 unless a model allows more, e.g. production at 1000 % of normal)."""
    return number(value, name, unit="%", low=0.0, high=high, expected=f"a percentage 0–{high:g}")


def fraction(value: object, name: str, *, high: float = 1.0) -> float:
    """A fraction 0–``high`` (not a percentage: 0.15, not 15)."""
    result = number(value, name, low=0.0, expected=f"a fraction 0–{high:g} (not a percentage)")
    if result > high:
        hint = f" (a percentage? {result:g} % = {result / 100:g})" if 1 < result <= 100 else ""
        raise InputValueError(f"{name} = {result:g} is above {high:g}; expected a fraction 0–{high:g}{hint}")
    return result


def whole_number(value: object, name: str, *, low: int | None = None, high: int | None = None, unit: str = "") -> int:
    """A whole number (``int`` or numpy integer, not a float such as 10.0, not ``True``) within ``low``–``high``."""
    unit_text = f" of {unit}" if unit else ""
    limits = (
        f" from {low} to {high}"
        if low is not None and high is not None
        else f" ≥ {low}"
        if low is not None
        else f" ≤ {high}"
        if high is not None
        else ""
    )
    what = f"a whole number{unit_text}{limits}, e.g. {low if low is not None else 7}"
    if value is None:
        raise InputTypeError(f"{name} is missing; expected {what}")
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise InputTypeError(f"{name} = {value!r} ({type(value).__name__}) is not a whole number; expected {what}")
    result = int(value)
    if low is not None and low >= 0 and result < 0:
        raise InputValueError(f"{name} = {result} is negative; expected {what}")
    if (low is not None and result < low) or (high is not None and result > high):
        raise InputValueError(f"{name} = {result} is out of range; expected {what}")
    return result


def days(value: object, name: str = "days", *, low: float = 0.0, high: float | None = None, whole: bool = False):
    """A number of days (or a day), ``low``–``high``; ``whole=True`` asks for a whole number of days."""
    if whole:
        return whole_number(value, name, low=int(low), high=None if high is None else int(high), unit="days")
    return number(value, name, unit="days", low=low, high=high)


def seed(value: object, name: str = "seed") -> int:
    """A random seed: a whole number ≥ 0 (any size). ``None`` is refused: the same seed must give the same result."""
    if value is None:
        raise InputTypeError(
            f"{name} is missing (None); expected a whole number ≥ 0 such as 7, so that every run gives the same result"
        )
    return whole_number(value, name, low=0)


def size(value: object, name: str, *, high: int, unit: str = "") -> int:
    """A size (patients, draws ...): a whole number from 1 to ``high``, checked before anything is allocated."""
    return whole_number(value, name, low=1, high=high, unit=unit)


def flag(value: object, name: str) -> bool:
    """A yes/no switch: ``True`` or ``False`` only (the text ``'no'`` is not false)."""
    if not isinstance(value, bool | np.bool_):
        raise InputTypeError(f"{name} = {value!r} is not True or False; expected a bool")
    return bool(value)


def choice(value: object, name: str, choices: Iterable[Any]) -> Any:
    """One of ``choices``, of the same type (``'2'`` is not 2, ``True`` is not 1)."""
    options = tuple(choices)
    for option in options:
        if type(value) is type(option) and value == option:
            return value
        if _is_real(value) and _is_real(option) and not isinstance(option, float) and value == option:
            return option
    listed = ", ".join(repr(o) for o in options)
    raise InputValueError(f"{name} = {value!r} is not one of {listed}")


def instance(value: object, name: str, kind: type | tuple[type, ...], hint: str = "") -> Any:
    """``value`` if it is a ``kind``; otherwise a TypeError naming the type expected (and how to get one)."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(k.__name__ for k in kinds)
        raise InputTypeError(
            f"{name} = {value!r} ({type(value).__name__}) is not a {expected}{'; ' + hint if hint else ''}"
        )
    return value


def value_range(
    value: object, name: str, *, unit: str = "", low: float | None = None, high: float | None = None
) -> tuple[float, float]:
    """A (low, high) pair of finite numbers within ``low``–``high``, its first not above its second."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise InputTypeError(f"{name} = {value!r} is not a (low, high) pair; expected two numbers in {unit}".rstrip())
    first = number(value[0], f"{name}[0]", unit=unit, low=low, high=high)
    second = number(value[1], f"{name}[1]", unit=unit, low=low, high=high)
    if first > second:
        raise InputValueError(f"{name} = {tuple(value)!r} is reversed; expected (low, high) with low ≤ high")
    return first, second
