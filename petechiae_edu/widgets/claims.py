"""Lesson 11's claim checker: rate each health claim, then see the evidence-based verdict and its sources.

Each claim is a card with four labelled choices (supported, partly supported, not supported, misleading).
Rating a claim reveals the verdict, the explanation, a tip on reading claims and the sources; a tally line
counts how many ratings agree with the evidence. ``rate(n, rating)`` does what a click does, for tests.
"""

from __future__ import annotations

from collections import Counter
from html import escape

import ipywidgets as widgets

from .. import citations
from ..content.claims import VERDICTS, HealthClaim, claims
from ..markup import live_region
from .app import DescribedApp

CITED_BY = "claim checker (lesson 11)"


class ClaimCard:
    """One claim: the student's rating, then the verdict revealed."""

    def __init__(self, number: int, claim: HealthClaim) -> None:
        self.number = number
        self.claim = claim
        self.rating = widgets.ToggleButtons(
            options=[(verdict.capitalize(), verdict) for verdict in VERDICTS],
            value=None,
            description=f"Your rating of claim {number}:",
            tooltips=[f"Rate claim {number} as {verdict}" for verdict in VERDICTS],
            style={"description_width": "initial", "button_width": "9em"},
        )
        self.verdict_html = widgets.HTML()
        prompt = widgets.HTML(
            f"<p><strong>Claim {number}.</strong> “{escape(claim.claim)}” <small>(as found in "
            f"{escape(claim.seen_in)})</small></p>"
        )
        self.box = widgets.VBox([prompt, self.rating, self.verdict_html])

    @property
    def rated(self) -> bool:
        return self.rating.value is not None

    @property
    def agrees(self) -> bool:
        return self.rating.value == self.claim.verdict

    def reveal(self) -> None:
        claim = self.claim
        citations.cite(*claim.sources, by=CITED_BY)
        if self.rated:
            mark = "You agree with the evidence." if self.agrees else f"You said “{self.rating.value}”."
        else:
            mark = ""
        self.verdict_html.value = live_region(
            html=f"<p><strong>Verdict: {escape(claim.verdict)}.</strong> "
            f"{escape(mark)}</p><p>{escape(claim.explanation)}</p><p><em>Reading tip:</em> "
            f"{escape(claim.reading_tip)}</p>"
            f"<p><small>Sources: {citations.references_html(claim.sources)}</small></p>",
            description=False,
        )


class ClaimChecker(DescribedApp):
    """All claims of lesson 11; the description is the live tally of ratings that agree with the evidence."""

    def __init__(self, entries: tuple[HealthClaim, ...]) -> None:
        super().__init__("Reading health claims critically")
        self.cards = [ClaimCard(number, claim) for number, claim in enumerate(entries, start=1)]
        for claim in entries:  # the lesson's sources list what its claims rest on, revealed or not (as a self-check)
            citations.cite(*claim.sources, by=CITED_BY)
        for card in self.cards:
            card.rating.observe(lambda change, card=card: self._on_rate(card), names="value")
        self.reveal_button = widgets.Button(description="Reveal all verdicts", tooltip="For instructors")
        self.reveal_button.on_click(lambda _button: self.reveal_all())
        self.controls = [*(card.rating for card in self.cards), self.reveal_button]
        self._update_tally()

    def __len__(self) -> int:
        return len(self.cards)

    def rate(self, claim_number: int, rating: str | int) -> bool:
        """Rate claim ``claim_number`` (from 1) as a verdict word or its number (1 = supported … 4 =
        misleading); returns True when the rating agrees with the evidence-based verdict."""
        if isinstance(claim_number, bool) or not isinstance(claim_number, int) or not 1 <= claim_number <= len(self):
            raise ValueError(f"claim_number = {claim_number!r}; expected a whole number from 1 to {len(self)}")
        if isinstance(rating, int) and not isinstance(rating, bool):
            if not 1 <= rating <= len(VERDICTS):
                raise ValueError(f"rating = {rating}; expected 1 to {len(VERDICTS)} ({', '.join(VERDICTS)})")
            rating = VERDICTS[rating - 1]
        if rating not in VERDICTS:
            raise ValueError(f"rating = {rating!r}; expected one of: {', '.join(VERDICTS)}")
        card = self.cards[claim_number - 1]
        card.rating.value = rating
        return card.agrees

    def reveal_all(self) -> None:
        for card in self.cards:
            card.reveal()

    def _on_rate(self, card: ClaimCard) -> None:
        card.reveal()
        self._update_tally()

    def _update_tally(self) -> None:
        rated = sum(card.rated for card in self.cards)
        agreed = sum(card.rated and card.agrees for card in self.cards)
        self.describe(
            f"You have rated {rated} of {len(self)} claims; {agreed} of your ratings agree with the evidence."
        )

    @property
    def tally_html(self) -> widgets.HTML:
        """The tally line (the app's live description)."""
        return self.description_html

    def verdict_tally(self) -> str:
        """How many claims have each verdict, e.g. 'supported 1, partly supported 2, ...'."""
        counts = Counter(card.claim.verdict for card in self.cards)
        return ", ".join(f"{verdict} {counts.get(verdict, 0)}" for verdict in VERDICTS)

    @property
    def widget(self) -> widgets.VBox:
        return widgets.VBox([*(card.box for card in self.cards), self.description_html, self.reveal_button])


def claim_checker() -> ClaimChecker:
    """Rate each health claim of lesson 11, then read the evidence-based verdict and its sources."""
    return ClaimChecker(claims())
