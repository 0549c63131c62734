"""The checks a branching case passes at load (:mod:`petechiae_edu.content.cases`): its deadlines name ACTIONS words,
positive minutes, listed sources and known steps; its steps form a walkable story (unique keys, every ``next``
known, no loops, every step reachable from step 1). Errors name the step (number and title), the option and the
field.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .errors import FieldError
from .vocabulary import ACTIONS

if TYPE_CHECKING:
    from .cases import Case, Deadline, Step


def _where(number: int, step: Step) -> str:
    return f"step {number} ('{step.title}')"


def check_deadlines(deadlines: tuple[Deadline, ...], listed: set[str], step_keys: tuple[str, ...] = ()) -> None:
    """Each deadline names an ACTIONS word, a positive number of minutes, a reason, sources the case lists and,
    when it starts mid-case, a step key of the case (``from_step``)."""
    for number, deadline in enumerate(deadlines, start=1):
        where = f"deadline {number} ('{deadline.action}')"
        if deadline.action not in ACTIONS:
            raise FieldError("deadlines", f"{where}: action '{deadline.action}' is not one of the ACTIONS words")
        if deadline.from_step is not None and deadline.from_step not in step_keys:
            known = ", ".join(map(repr, step_keys)) or "none"
            raise FieldError(
                "deadlines", f"{where}: from_step = '{deadline.from_step}' names no step; the step keys are: {known}"
            )
        if not deadline.within_minutes > 0:
            raise FieldError(
                "deadlines", f"{where}: within_minutes = {deadline.within_minutes:g}; expected a positive number"
            )
        if not deadline.sources:
            raise FieldError("deadlines", f"{where} must cite at least one source")
        missing = [key for key in deadline.sources if key not in listed]
        if missing:
            raise FieldError(
                "deadlines", f"{where} cites {', '.join(missing)}, which the case's own sources list does not include"
            )


def check_branching(case: Case) -> None:
    """The steps form a walkable story: unique keys, every ``next`` known, no loops, every step reachable."""
    steps = case.steps
    seen: dict[str, int] = {}
    for number, step in enumerate(steps, start=1):
        if step.key is not None and step.key in seen:
            raise FieldError(
                "steps", f"{_where(number, step)}: key '{step.key}' is already used by step {seen[step.key]}"
            )
        if step.key is not None:
            seen[step.key] = number
    if steps[0].branch:
        raise FieldError("steps", f"{_where(1, steps[0])} is marked branch = true, but every case starts at step 1")
    edges: dict[int, list[int]] = {}
    for index, step in enumerate(steps):
        targets: list[int | None] = []
        options = step.decision.options if step.decision is not None else ()
        for option in options:
            where = f"{_where(index + 1, step)} option '{option.text}'"
            if not (math.isfinite(option.minutes) and option.minutes >= 0):
                raise FieldError(
                    "steps", f"{where}: minutes = {option.minutes:g}; expected 0 or more minutes (1 day = 1440)"
                )
            if option.end and option.next is not None:
                raise FieldError("steps", f"{where}: has both end = true and next = '{option.next}'; keep one")
            if option.next is not None and option.next not in seen:
                known = ", ".join(repr(k) for k in seen) or "none"
                raise FieldError(
                    "steps", f"{where}: next = '{option.next}' names no step of this case; the step keys are: {known}"
                )
            targets.append(case.next_step_index(index, option))
        if step.decision is None:
            targets.append(case.next_step_index(index))
        edges[index] = sorted({target for target in targets if target is not None})
    _refuse_loops(steps, edges)
    reached = _reachable(edges)
    for index, step in enumerate(steps):
        if index not in reached:
            why = (
                "no option's next names it"
                if step.branch
                else "every option before it jumps past it (or ends the case)"
            )
            hint = "; a branch step needs a key for an option's next to name" if step.branch and not step.key else ""
            raise FieldError("steps", f"{_where(index + 1, step)} can never be reached: {why}{hint}")


def _refuse_loops(steps: tuple[Step, ...], edges: dict[int, list[int]]) -> None:
    """A depth-first walk from step 1; a step met again on the path it is on is a loop (a path without end)."""
    state: dict[int, str] = {}

    def visit(index: int, trail: list[int]) -> None:
        state[index] = "open"
        for target in edges[index]:
            if state.get(target) == "open":
                loop = [*trail[trail.index(target) :], target]
                shown = " → ".join(_where(i + 1, steps[i]) for i in loop)
                raise FieldError("steps", f"a path loops ({shown}) and would never end; a path may not revisit a step")
            if target not in state:
                visit(target, [*trail, target])
        state[index] = "done"

    visit(0, [0])


def _reachable(edges: dict[int, list[int]]) -> set[int]:
    reached, frontier = {0}, [0]
    while frontier:
        for target in edges[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    return reached
