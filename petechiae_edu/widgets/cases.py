"""Lesson 10's case player: a clinical case unfolds step by step, and the student decides what comes next.

Pick a case, read the history and examination, choose the next test or decision, see the results (counts
flagged against the reference ranges for the patient's age and sex, in words and symbols, never colour alone; an
infant given in months is read at months / 12 years)
and the feedback that explains each choice with its sources. Cases branch: a choice takes time on the case clock
("Minute 40 since arrival", or days for a clinic case) and a delaying choice leads to a step where the patient has
deteriorated, announced as a consequence of that choice. The end shows a summary (each decision, when, good or not;
each deadline met or missed; the best path with its timings; diagnosis and teaching points).

"Play this case again" restarts the same case and version so the student can try another path; "New version" draws
new counts for the same story. Without a seed each learner gets their own version
(:func:`petechiae_edu.learner.learner_seed`), stable across reloads. A step whose results name a drawn blood film
(``film = "apl"``) shows that drawing, captioned as the typical film, not this patient's. ``choose(n)``,
``next_step()`` and ``replay()`` do what the buttons do, for tests and for a class working through a case together.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .. import citations
from ..calibrated import generate_case, reference_band
from ..content.cases import Case, case, case_keys
from ..learner import learner_seed
from ..markup import html_table, live_region
from ..models.case_path import CasePath, action_words, best_path, clock_text, duration_text, walk
from ..models.cases import CaseVersion, CountValue, StepVersion
from ..pictures import RenderedPicture, render_film
from .app import DescribedApp
from .case_summary import consequence_html, summary_html

_RANGE_KEYS = {"neutrophils": "anc"}
_FLAG_TEXT = {"low": "LOW ▼", "high": "HIGH ▲", "normal": "normal"}
RESULT_COLUMNS = ("Test", "Result", "Units", "Reference range", "Flag")


def learner_case_seed(case_key: str) -> int:
    """This learner's own version of ``case_key``: stable across reloads, different between learners."""
    return learner_seed("case", case_key)


def reference_range(value: CountValue, age_years: float, sex: str) -> tuple[float, float] | None:
    """The course's reference range of a count for the patient's age and sex (children's ranges by age band),
    or None when the course has no range for that value at that age."""
    band = reference_band(_RANGE_KEYS.get(value.analyte, value.analyte), age_years, sex)
    if band is None or band.units != value.units:
        return None
    return band.low, band.high


def flag(value: CountValue, age_years: float, sex: str) -> str:
    """'low', 'normal' or 'high' against the range for the patient's age and sex ('' when there is no range)."""
    limits = reference_range(value, age_years, sex)
    if limits is None:
        return ""
    low, high = limits
    return "low" if value.value < low else "high" if value.value > high else "normal"


def step_film(case_key: str, step_index: int) -> str | None:
    """The drawn film (``content.pictures.FILMS``) the case file gives step ``step_index`` (from 0), or None."""
    results = case(case_key).steps[step_index].results
    return None if results is None else results.film


def film_caption() -> str:
    """The caption of a case's film. It never names the diagnosis: the case reveals that in its own time."""
    return (
        "What the blood film looks like: a drawing of a typical film with the findings above, not this patient's film."
    )


def results_html(step: StepVersion, version: CaseVersion) -> str:
    """The results of a step as an accessible table with a caption, then the written findings."""
    parts = []
    if step.counts:
        rows = []
        for value in step.counts:
            limits = reference_range(value, version.age, version.sex)
            shown_range = "—" if limits is None else f"{limits[0]:g}–{limits[1]:g}"
            flag_word = _FLAG_TEXT.get(flag(value, version.age, version.sex), "")
            rows.append((value.label, value.shown, value.units, shown_range, flag_word))
        caption = f"Results (reference ranges for a {version.patient})"
        parts.append(html_table(caption, RESULT_COLUMNS, rows, row_headers=True))
    if step.findings:
        items = "".join(f"<li>{escape(finding)}</li>" for finding in step.findings)
        parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


class CasePlayer(DescribedApp):
    """One case at a time, one step at a time, along the path the student's choices make.

    The description line says where the student is. ``choices`` maps each step answered (index from 0) to the
    option first chosen there: that first answer sets the path; choosing again at the same step only shows the
    other option's feedback.
    """

    def __init__(self, case_key: str | None = None, seed: int | None = None) -> None:
        super().__init__("Clinical cases")
        self.keys = case_keys()
        if case_key is None:
            case_key = self.keys[0]
        if case_key not in self.keys:
            raise KeyError(f"unknown case '{case_key}'; expected one of: {', '.join(self.keys)}")
        self.per_learner = seed is None  # the seed follows the learner (and the case) unless one was given
        titles = {key: case(key).title for key in self.keys}
        self.case_picker = widgets.Dropdown(
            options=[(f"Case {n}: {titles[key]}", key) for n, key in enumerate(self.keys, start=1)],
            value=case_key,
            description="Case:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.new_version_button = widgets.Button(
            description="New version", tooltip="Same story, new blood counts (a new seed)", icon="refresh"
        )
        self.replay_button = widgets.Button(
            description="Play this case again",
            tooltip="Start this case again with the same counts, to try another path",
            icon="undo",
            layout=widgets.Layout(width="auto"),
        )
        self.header = widgets.HTML()
        self.step_html = widgets.HTML()
        self.choice = widgets.RadioButtons(
            options=[],
            value=None,
            description="Your choice:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.choose_button = widgets.Button(description="Submit my choice", tooltip="Check the chosen option")
        self.feedback = widgets.HTML()
        self.history = widgets.HTML()  # the feedback of every earlier choice on this path, kept
        self.next_button = widgets.Button(description="Next step", tooltip="Go on to the next step of the case")
        self.controls = [
            self.case_picker,
            self.new_version_button,
            self.replay_button,
            self.choice,
            self.choose_button,
            self.next_button,
        ]
        self.record: Case = case(case_key)
        self.choices: dict[int, int] = {}  # step index -> option number first chosen
        self.path: CasePath = walk(self.record, ())
        self.position = 0  # which step of the path is shown (from 0)
        self.attempts: list[CasePath] = []  # finished paths of this case and version, oldest first
        self.kept_feedback: list[str] = []  # one HTML paragraph per choice made on this path
        self.picture: RenderedPicture | None = None  # the drawn film of the step shown, if it has one
        self.version: CaseVersion = generate_case(case_key, learner_case_seed(case_key) if seed is None else seed)

        self.case_picker.observe(self._on_case_change, names="value")
        self.new_version_button.on_click(lambda _button: self.new_version())
        self.replay_button.on_click(lambda _button: self.replay())
        self.choose_button.on_click(lambda _button: self._on_choose())
        self.next_button.on_click(lambda _button: self.next_step())
        self._start()

    # --- the actions a student (or a test) takes -------------------------------------------------

    def choose(self, option_number: int) -> bool:
        """Choose option ``option_number`` (counting from 1) of this step's decision; True when it is good."""
        decision = self.step.decision
        if decision is None:
            raise RuntimeError(f"step {self.step_index + 1} of '{self.version.case_key}' asks no decision")
        count = len(decision.options)
        if isinstance(option_number, bool) or not isinstance(option_number, int) or not 1 <= option_number <= count:
            raise ValueError(f"option_number = {option_number!r}; expected a whole number from 1 to {count}")
        self.choice.value = option_number
        return self._on_choose()

    def next_step(self) -> int:
        """Go on to the next step of the path; returns how many steps have been shown (counting from 1)."""
        if self.step.decision is not None and self.step_index not in self.choices:
            raise RuntimeError("choose an option first: this step asks for a decision")
        if self.position + 1 >= len(self.path.steps):
            raise RuntimeError(
                f"the case has ended at step {self.position + 1}; press “Play this case again” or pick another case"
            )
        self.position += 1
        self._show_step()
        return self.position + 1

    def replay(self) -> CasePath | None:
        """Start the same case and version again (same seed), to try another path. Returns the path just left
        (kept in ``attempts`` when it was finished), or None when nothing had been chosen."""
        left = self.path if self.path.choices else None
        self._start(keep_attempt=True)
        return left

    def new_version(self, seed: int | None = None) -> CaseVersion:
        """The same case with new counts (a new seed, or ``seed``), back at step 1."""
        if seed is None:
            seed = self.version.seed + 1
        self.version = generate_case(self.version.case_key, seed)
        self.attempts = []
        self._start()
        return self.version

    def select_case(self, case_key: str) -> None:
        """Switch to another case (what the dropdown does)."""
        self.case_picker.value = case_key

    # --- state -----------------------------------------------------------------------------------

    @property
    def step_index(self) -> int:
        """The index (from 0, in the case file's order) of the step shown."""
        return self.path.steps[self.position]

    @property
    def step(self) -> StepVersion:
        return self.version.steps[self.step_index]

    @property
    def clock(self) -> float:
        """The case clock (minutes since the start) when the step shown was reached."""
        return self.path.arrivals[self.position]

    @property
    def finished(self) -> bool:
        return self.path.finished and self.position == len(self.path.steps) - 1

    @property
    def good_choices(self) -> int:
        """Decisions whose first answer was a good option."""
        return sum(choice.good for choice in self.path.choices)

    def outline(self) -> str:
        """The case in one sentence that does not depend on the version: where it starts, how many decisions its
        best path asks and the deadlines it scores. E.g. 'A feverish, drowsy toddler...: starts at minute 0; the
        best path asks 3 decisions; deadline: parenteral antibiotics now within 60 minutes.'"""
        best = best_path(self.record)
        deadlines = "; ".join(
            f"{action_words(d.action)} within {duration_text(d.within_minutes)}"
            + (f" of reaching “{d.from_title}”" if d.from_title else "")
            for d in best.deadlines
        )
        scored = f"; deadlines: {deadlines}" if deadlines else "; no timed deadlines"
        return (
            f"{self.record.title}: starts at {clock_text(0, short=True)}; the best path asks {len(best.choices)} "
            f"decisions{scored}."
        )

    def kinds_summary(self) -> str:
        """How many cases the player offers, by kind, e.g. '15 cases: 4 leukaemias, 5 mimics and 6 emergencies.'"""
        kinds = [case(key).kind for key in self.keys]
        plurals = {"leukaemia": "leukaemias", "mimic": "mimics", "emergency": "emergencies"}
        parts = [f"{n} {kind if n == 1 else plurals[kind]}" for kind in plurals if (n := kinds.count(kind))]
        listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        return f"{len(kinds)} cases: {listed}."

    # --- drawing ---------------------------------------------------------------------------------

    def _on_case_change(self, change: dict) -> None:
        key = change["new"]
        self.record = case(key)
        self.attempts = []
        self.version = generate_case(key, learner_case_seed(key) if self.per_learner else self.version.seed)
        self._start()

    def _start(self, keep_attempt: bool = False) -> None:
        if keep_attempt and self.path.finished:
            self.attempts.append(self.path)
        citations.cite(*self.version.sources, by="case player")
        self.choices = {}
        self.kept_feedback = []
        self.path = walk(self.record, ())
        self.position = 0
        self.history.value = ""
        self._show_step()

    def _show_step(self) -> None:
        version, step = self.version, self.step
        number = self.position + 1
        clock = clock_text(self.clock)
        self.header.value = (
            f"<h3>{escape(version.title)}</h3><p>A {escape(version.patient)} · version {version.seed} · "
            f'step {number}</p><p class="pe-case-clock"><strong>Case clock: {escape(clock)}</strong></p>'
        )
        body = ""
        if step.branch:
            body += consequence_html(self.clock - self.path.arrivals[self.position - 1], self.clock)
        body += f"<h4>{escape(step.title)}</h4><p>{escape(step.text)}</p>{results_html(step, version)}"
        film = step_film(version.case_key, self.step_index)
        self.picture = None
        if film is not None:
            self.picture = render_film(film, seed=version.seed, named=False)
            body += self.picture.html(film_caption())
        if step.decision is not None:
            body += f"<p><strong>{escape(step.decision.prompt)}</strong></p>"
        self.step_html.value = body
        self.feedback.value = ""
        asks = step.decision is not None
        self.choice.options = (
            [(option.text, n) for n, option in enumerate(step.decision.options, start=1)] if asks else []
        )
        self.choice.value = None
        self.choice.layout.display = None if asks else "none"
        self.choose_button.layout.display = None if asks else "none"
        self.choose_button.disabled = not asks
        self._update_next_button()
        shown = " with results" if step.has_results else ""
        if self.picture is not None:
            shown += " and a drawing of the blood film"
        then = "; choose what to do next." if asks else "."
        worse = " The patient has deteriorated after your last choice." if step.branch else ""
        self.describe(
            f"{version.title}, version {version.seed}, step {number} ({clock}): {step.title}{shown}{then}{worse}"
        )
        if self.finished:
            self.feedback.value = self._wrap_up_html()

    def _on_choose(self) -> bool:
        decision = self.step.decision
        if decision is None or self.choice.value is None:
            self.feedback.value = "<p>Choose an option first.</p>"
            return False
        number = self.choice.value
        option = decision.options[number - 1]
        first = self.step_index not in self.choices
        if first:
            self.choices[self.step_index] = number
            self.path = walk(self.record, [*self.path_choices(), number])
            record = self.path.choices[-1]
            self.kept_feedback.append(
                f"<li>{escape(clock_text(record.minute, short=True).capitalize())}, {escape(record.step_title)}: "
                f"“{escape(option.text)}” ({'good choice' if option.good else 'not the best choice'}). "
                f"{escape(option.feedback)}</li>"
            )
            self.history.value = (
                f"<details><summary>Your choices so far ({len(self.kept_feedback)})</summary>"
                f"<ol>{''.join(self.kept_feedback)}</ol></details>"
            )
        citations.cite(*option.sources, by="case player")
        verdict = "A good choice." if option.good else "Not the best choice."
        html = (
            f"<p><strong>{verdict}</strong> {escape(option.feedback)}</p>"
            f"<p><small>Sources: {citations.references_html(option.sources)}</small></p>"
        )
        if not option.good:
            better = [o.text for o in decision.options if o.good]
            html += f"<p>A better choice: {escape(' / '.join(better))}.</p>"
        chosen = decision.options[self.choices[self.step_index] - 1]
        if not first:
            html += (
                f"<p>Your first choice here, “{escape(chosen.text)}”, sets the path the case follows; press “Play "
                "this case again” to try this one.</p>"
            )
        elif option.minutes:
            html += f"<p>This takes time: the case clock moves on {escape(_minutes_words(option.minutes))}.</p>"
        html = live_region(html=html, description=False)
        if self.finished:
            html += self._wrap_up_html()
        self.feedback.value = html
        self._update_next_button()
        self.describe(f"You chose option {number}, “{option.text}”: {verdict.lower().rstrip('.')}.")
        return option.good

    def path_choices(self) -> list[int]:
        """The option numbers chosen on this path so far, in order."""
        return [choice.option_number for choice in self.path.choices]

    def summary(self) -> str:
        """The end-of-case summary as HTML ('' until the case has ended)."""
        return self._wrap_up_html() if self.finished else ""

    def _wrap_up_html(self) -> str:
        return summary_html(self.record, self.path, self.version, attempt=len(self.attempts) + 1)

    def _update_next_button(self) -> None:
        waiting = self.step.decision is not None and self.step_index not in self.choices
        last = self.position + 1 >= len(self.path.steps)
        self.next_button.disabled = waiting or last

    @property
    def widget(self) -> widgets.VBox:
        """The whole player as one widget."""
        top = widgets.HBox([self.case_picker, self.new_version_button, self.replay_button])
        return widgets.VBox(
            [
                top,
                self.header,
                self.step_html,
                self.choice,
                self.choose_button,
                self.feedback,
                self.next_button,
                self.history,
                self.description_html,
            ]
        )


def _minutes_words(minutes: float) -> str:
    if minutes >= 1440:
        days = minutes / 1440
        return f"by {days:g} day{'s' if days != 1 else ''}"
    return f"by {minutes:g} minutes"


def case_player(case_key: str | None = None, seed: int | None = None) -> CasePlayer:
    """Play a clinical case step by step. ``case_key`` picks the case (default: the first); ``seed`` fixes the
    version of its counts (default: this learner's own version, stable across reloads and different between
    learners: :func:`petechiae_edu.learner.learner_seed`)."""
    return CasePlayer(case_key, seed)
