"""The case engine: walking a branching clinical case, its clock, its deadlines, its best path and its summary.

A case (``data/cases/*.toml``, loaded by :mod:`petechiae_edu.content.cases`) is a set of steps; a step may ask a
decision whose options each take some time (``minutes``) and lead to a next step (``next``, or by default the next
non-branch step in file order, a rule the loaded case keeps in ``Case.next_step_index``). :func:`walk` follows a
student's choices through it:

* the **clock** starts at minute 0 (arrival, or the first visit of a clinic case) and each chosen option adds its
  ``minutes``;
* an option's **actions** are done when it is chosen, so they are recorded at the clock *before* the option's own
  minutes are added;
* a **deadline** (``[[case.deadlines]]``: an action within N minutes of minute 0, or of the minute the step named
  by its ``from_step`` is reached) is met when the path gives that action (at or after that step) within N
  minutes; the result says when it was given, or that it never was. A deadline whose step is not on the path does
  not apply. A deadline met only after a branch step (a deterioration after a delaying choice) is reported as
  "met, but after a delay the best path avoided";
* the **best path** takes the first good option of every decision from step 1.

Assumptions and limits
    * The clock is the case author's teaching clock: the minutes an option takes are plausible round figures set
      so that a delay has a visible cost, not measured times from a study; so is what happens after a delaying
      choice. Only the deadlines (and the figures quoted in the feedback) carry sources.
    * A deadline is scored on the action word alone (``parenteral_antibiotics_now``); the engine does not judge
      the dose, route or drug, which the option's feedback teaches.
    * :func:`all_paths` enumerates every path for tests; it stops with an error beyond ``limit`` paths.

Units: minutes throughout (1 day = 1440 minutes). Pure: no I/O, no widgets; it reads the loaded case it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

MINUTES_PER_DAY = 1440


class CaseLike(Protocol):
    """A loaded case (``petechiae_edu.content.cases.Case``): what the engine reads from it."""

    @property
    def key(self) -> str: ...
    @property
    def steps(self) -> Sequence[Any]: ...
    @property
    def deadlines(self) -> Sequence[Any]: ...

    def next_step_index(self, step_index: int, option: Any = None) -> int | None: ...


@dataclass(frozen=True)
class Choice:
    """One decision on a path: what was chosen, at which minute of the case clock, and whether it was good."""

    step_index: int  # from 0, in the case file's order
    step_title: str
    prompt: str
    option_number: int  # from 1
    option_text: str
    good: bool
    minute: float  # the clock when the choice was made (its actions happen then)
    minutes: float  # the time the choice took before the next step
    actions: tuple[str, ...]


@dataclass(frozen=True)
class TimedAction:
    """An action word (content.vocabulary.ACTIONS) and the minute of the case clock it was done."""

    action: str
    minute: float
    position: int = 0  # where on the path it was done: the index into ``CasePath.steps`` of the step it was chosen at


@dataclass(frozen=True)
class DeadlineResult:
    """One deadline of the case, scored on a path.

    A deadline with ``from_step`` starts when the path reaches that step (``starts_at``); on a path that never
    reaches it the deadline does not apply (``reached`` is False: neither met nor missed).
    """

    action: str
    within_minutes: float
    why: str
    sources: tuple[str, ...]
    given_at: float | None  # the first minute the path gave the action (from the deadline's start); None: never
    starts_at: float | None = 0.0  # the minute the deadline's clock starts; None: its step is not on this path
    from_title: str | None = None  # the title of the step that starts it (None: minute 0)
    after_delay: bool = False  # the action came only after a branch step (a deterioration the best path avoids)

    @property
    def reached(self) -> bool:
        """The deadline applies on this path (it starts at minute 0, or its step was reached)."""
        return self.starts_at is not None

    @property
    def met(self) -> bool:
        return (
            self.starts_at is not None
            and self.given_at is not None
            and self.given_at - self.starts_at <= self.within_minutes
        )

    @property
    def missed(self) -> bool:
        return self.reached and not self.met

    def text(self) -> str:
        """E.g. 'parenteral antibiotics now within 60 minutes: missed (given at minute 70)', or 'empirical IV
        antibiotics within 60 minutes of reaching “At the hospital” (minute 50): met (given at minute 55)'."""
        what = f"{action_words(self.action)} within {duration_text(self.within_minutes)}"
        if self.from_title is not None:
            what += f" of reaching “{self.from_title}”"
            if self.starts_at is None:
                return f"{what}: does not apply (that step was not on this path)"
            what += f" ({clock_text(self.starts_at, short=True)})"
        if self.given_at is None:
            return f"{what}: missed (never given)"
        when = f"given at {clock_text(self.given_at, short=True)}"
        if self.from_title is not None and self.starts_at is not None:
            after = self.given_at - self.starts_at
            when = "given on reaching it" if after == 0 else f"given {duration_text(after)} after reaching it"
        if not self.met:
            return f"{what}: missed ({when})"
        if self.after_delay:
            return f"{what}: met, but after a delay the best path avoided ({when})"
        return f"{what}: met ({when})"


@dataclass(frozen=True)
class CasePath:
    """A walk through a case: the steps reached in order, the choices, the actions with their times, the clock."""

    case_key: str
    steps: tuple[int, ...]  # indices (from 0) of the steps reached, in order
    arrivals: tuple[float, ...]  # the clock (minutes) when each of those steps was reached
    choices: tuple[Choice, ...]
    actions: tuple[TimedAction, ...]
    clock: float  # minutes at the end of the walk (or now, when it is not finished)
    deadlines: tuple[DeadlineResult, ...]
    finished: bool  # False: the walk stopped at a decision still to be made
    is_best: bool  # the same choices as the best path (only True for a finished path)

    @property
    def all_good(self) -> bool:
        """Every decision on the path was answered with a good option."""
        return all(choice.good for choice in self.choices)

    @property
    def missed(self) -> tuple[DeadlineResult, ...]:
        """The deadlines that applied on this path and were not met in time."""
        return tuple(result for result in self.deadlines if result.missed)

    def given(self, action: str) -> float | None:
        """The first minute ``action`` was done on this path, or None."""
        return next((timed.minute for timed in self.actions if timed.action == action), None)


_ABBREVIATIONS = {"atra": "ATRA", "ivig": "IVIG", "crp": "CRP", "iv": "IV", "tls": "TLS"}
# action words whose plain reading would be clumsy next to "within N minutes"
_PHRASES = {
    "antibiotics_within_1h": "empirical IV antibiotics",
    "non_heparin_anticoagulant": "non-heparin anticoagulant",
    "same_day_specialist": "same-day specialist assessment",
}


def action_words(action: str) -> str:
    """An action word as text: 'parenteral_antibiotics_now' -> 'parenteral antibiotics now', 'start_atra' ->
    'start ATRA', 'antibiotics_within_1h' -> 'empirical IV antibiotics' (the deadline gives the time)."""
    if action in _PHRASES:
        return _PHRASES[action]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in action.split("_"))


def duration_text(minutes: float) -> str:
    """'60 minutes', '2 hours', '3 days'."""
    if minutes >= MINUTES_PER_DAY and minutes % MINUTES_PER_DAY == 0:
        days = int(minutes // MINUTES_PER_DAY)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes >= 120 and minutes % 60 == 0:
        return f"{int(minutes // 60)} hours"
    return f"{minutes:g} minutes"


def clock_text(minutes: float, *, short: bool = False) -> str:
    """The case clock in words: 'Minute 40 since arrival', 'Minute 150 (2 h 30 min) since arrival', or in days
    for clinic cases: 'Day 3 (3 days since the start of the case)'. ``short``: 'minute 40', 'day 3'."""
    if minutes >= MINUTES_PER_DAY:
        days = minutes / MINUTES_PER_DAY
        shown = f"{round(days)}" if abs(days - round(days)) < 0.1 else f"{days:.1f}"
        return f"day {shown}" if short else f"Day {shown} ({shown} days since the start of the case)"
    if short:
        return f"minute {minutes:g}"
    if minutes >= 120:
        hours, rest = divmod(minutes, 60)
        return f"Minute {minutes:g} ({hours:g} h {rest:g} min) since arrival"
    return f"Minute {minutes:g} since arrival"


def _check_option_number(number: object, count: int, where: str) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= count:
        raise ValueError(f"choice {number!r} at {where}; expected a whole number from 1 to {count}")
    return number


def _walk(case: CaseLike, choices: Sequence[int]) -> CasePath:
    remaining = list(choices)
    index, clock = 0, 0.0
    steps, arrivals = [0], [0.0]
    made: list[Choice] = []
    actions: list[TimedAction] = []
    finished = True
    while True:
        step = case.steps[index]
        option = None
        if step.decision is not None:
            if not remaining:
                finished = False
                break
            options = step.decision.options
            where = f"step {index + 1} ('{step.title}') of '{case.key}'"
            number = _check_option_number(remaining.pop(0), len(options), where)
            option = options[number - 1]
            made.append(
                Choice(
                    index,
                    step.title,
                    step.decision.prompt,
                    number,
                    option.text,
                    option.good,
                    clock,
                    option.minutes,
                    tuple(option.actions),
                )
            )
            actions.extend(TimedAction(action, clock, len(steps) - 1) for action in option.actions)
            clock += option.minutes
        following = case.next_step_index(index, option)
        if following is None:
            break
        if following in steps:
            raise ValueError(f"'{case.key}' loops back to step {following + 1}; the loader should have refused it")
        index = following
        steps.append(index)
        arrivals.append(clock)
    if remaining:
        raise ValueError(f"{len(remaining)} choice(s) left over: '{case.key}' ended at step {index + 1}")
    timed = tuple(actions)
    results = tuple(_score(case, deadline, steps, arrivals, timed) for deadline in case.deadlines)
    return CasePath(case.key, tuple(steps), tuple(arrivals), tuple(made), timed, clock, results, finished, False)


def _score(
    case: CaseLike, deadline: Any, steps: list[int], arrivals: list[float], timed: tuple[TimedAction, ...]
) -> DeadlineResult:
    """Score one deadline on a walked path: from minute 0, or from the arrival at its ``from_step``."""
    from_step = getattr(deadline, "from_step", None)
    start, title = 0, None
    if from_step is not None:
        index = next(i for i, step in enumerate(case.steps) if step.key == from_step)
        title = case.steps[index].title
        start = steps.index(index) if index in steps else -1
    common = (deadline.action, deadline.within_minutes, deadline.why, tuple(deadline.sources))
    if start < 0:
        return DeadlineResult(*common, None, None, title)
    given = next((t for t in timed if t.action == deadline.action and t.position >= start), None)
    delayed = given is not None and any(case.steps[steps[p]].branch for p in range(start + 1, given.position + 1))
    return DeadlineResult(*common, None if given is None else given.minute, arrivals[start], title, delayed)


def best_choices(case: CaseLike) -> tuple[int, ...]:
    """The option numbers (from 1) of the best path: the first good option of every decision it meets."""
    chosen: list[int] = []
    while True:
        path = _walk(case, chosen)
        if path.finished:
            return tuple(chosen)
        options = case.steps[path.steps[-1]].decision.options
        chosen.append(next(number for number, option in enumerate(options, start=1) if option.good))


def walk(case: CaseLike, choices: Sequence[int]) -> CasePath:
    """Follow ``choices`` (option numbers from 1, one per decision met, in order) from step 1 of ``case``.

    Steps without a decision are passed through. When the choices run out before the case ends, the path stops
    at the decision still to be made (``finished`` is False). A choice out of range, or choices left over after the
    case ended, raise ValueError naming the step.
    """
    path = _walk(case, choices)
    if path.finished and tuple(choice.option_number for choice in path.choices) == best_choices(case):
        return CasePath(**{**path.__dict__, "is_best": True})
    return path


def best_path(case: CaseLike) -> CasePath:
    """The path that takes the first good option of every decision from step 1."""
    return walk(case, best_choices(case))


def all_paths(case: CaseLike, *, limit: int = 5000) -> tuple[CasePath, ...]:
    """Every finished path through ``case`` (depth first, options in file order); ValueError beyond ``limit``."""
    found: list[CasePath] = []
    pending: list[tuple[int, ...]] = [()]
    best = best_choices(case)
    while pending:
        chosen = pending.pop()
        path = _walk(case, chosen)
        if path.finished:
            found.append(CasePath(**{**path.__dict__, "is_best": chosen == best}))
            if len(found) > limit:
                raise ValueError(f"'{case.key}' has more than {limit} paths; raise limit to enumerate them")
            continue
        count = len(case.steps[path.steps[-1]].decision.options)
        pending.extend((*chosen, number) for number in range(count, 0, -1))
    return tuple(found)


def summary_rows(path: CasePath) -> tuple[tuple[str, str, str, str], ...]:
    """(decision, your choice, when, good or not) for every decision on the path: the summary table's rows."""
    return tuple(
        (
            choice.step_title,
            choice.option_text,
            clock_text(choice.minute, short=True),
            "good choice" if choice.good else "not the best choice",
        )
        for choice in path.choices
    )


def summary_text(case: CaseLike, path: CasePath) -> str:
    """The end-of-case summary as plain text: each decision with its time and verdict, each deadline met or
    missed, and the best path with its timings (the case player shows the same as HTML)."""
    lines = [f"Case '{path.case_key}': {len(path.choices)} decisions, case clock at the end: "
             f"{clock_text(path.clock, short=True)}."]  # fmt: skip
    lines += [f"- {when}: {title}: “{text}” ({verdict})" for title, text, when, verdict in summary_rows(path)]
    if path.deadlines:
        lines.append("Deadlines:")
        lines += [f"- {result.text()}" for result in path.deadlines]
    if path.is_best:
        lines.append("You took the best path.")
    else:
        best = best_path(case)
        lines.append("The best path:")
        lines += [f"- {when}: {title}: “{text}”" for title, text, when, _verdict in summary_rows(best)]
        lines += [f"  (best path: {result.text()})" for result in best.deadlines]
    return "\n".join(lines)
