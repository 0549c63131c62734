"""Health claims: the content is valid and sourced, bad claims are refused, and the checker tallies ratings."""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu import citations, claim_checker, content
from petechiae_edu.content import ContentError
from petechiae_edu.content.claims import VERDICTS, claims

REQUIRED = {"spots-are-cancer", "persistence-and-spread", "surgery-treats-leukaemia", "one-to-three-weeks"}


def test_there_are_the_four_required_claims_and_at_least_four_more():
    keys = {claim.key for claim in claims()}
    assert REQUIRED <= keys
    assert len(keys - REQUIRED) >= 4


def test_every_claim_has_a_known_verdict_an_explanation_a_tip_and_resolving_sources():
    known = content.source_keys()
    for claim in claims():
        assert claim.verdict in VERDICTS
        assert len(claim.explanation) > 80 and claim.reading_tip.strip()
        assert claim.sources and set(claim.sources) <= known, claim.key


def test_more_than_one_kind_of_verdict_is_used():
    assert len({claim.verdict for claim in claims()}) >= 3


def test_the_normal_platelet_claim_rests_on_hara_and_quotes_its_figure():
    claim = next(c for c in claims() if c.key == "normal-platelets-rule-out")
    assert claim.verdict == "not supported"
    assert "hara1990" in claim.sources and "17.8%" in claim.explanation


def test_the_surgery_claim_is_not_supported():
    claim = next(c for c in claims() if c.key == "surgery-treats-leukaemia")
    assert claim.verdict == "not supported"


def _break(folder: Path, old: str, new: str) -> None:
    path = folder / "claims.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_verdict_is_refused_naming_the_claim(scratch_data):
    _break(scratch_data, 'verdict = "not supported"', 'verdict = "false"')
    with pytest.raises(ContentError, match=r"claims.toml, entry 'spots-are-cancer'.*field 'verdict': 'false' is not"):
        claims(scratch_data)


def test_a_claim_without_sources_is_refused(scratch_data):
    _break(scratch_data, 'sources = ["clarke2016"]', "sources = []")
    with pytest.raises(ContentError, match="field 'sources': a clinical statement needs at least one source key"):
        claims(scratch_data)


def test_a_claim_without_a_reading_tip_is_refused(scratch_data):
    _break(
        scratch_data,
        'reading_tip = "Ask what the thing described actually is. A sign of a disease is not the disease."\n',
        "",
    )
    with pytest.raises(ContentError, match="field 'reading_tip': required field is missing"):
        claims(scratch_data)


@pytest.fixture
def checker(fresh_citations):
    return claim_checker()


def test_nothing_is_revealed_before_rating(checker):
    assert all(card.verdict_html.value == "" for card in checker.cards)
    assert (
        checker.description == f"You have rated 0 of {len(checker)} claims; 0 of your ratings agree with the evidence."
    )


def test_rating_a_claim_reveals_its_verdict_and_sources(checker):
    assert checker.rate(1, "not supported") is True
    html = checker.cards[0].verdict_html.value
    assert "Verdict: not supported." in html and "You agree with the evidence." in html
    assert 'data-source="leung2001"' in html and "Leung &amp; Chan 2001" in html and "Reading tip" in html


def test_a_disagreeing_rating_still_shows_the_evidence(checker):
    assert checker.rate(1, "supported") is False
    assert "You said “supported”." in checker.cards[0].verdict_html.value


def test_ratings_can_be_given_as_numbers(checker):
    assert checker.rate(1, 3) is True  # 3 = not supported


def test_the_tally_counts_ratings_and_agreements(checker):
    checker.rate(1, "not supported")
    checker.rate(2, "supported")
    checker.rate(3, "not supported")
    assert (
        checker.description == f"You have rated 3 of {len(checker)} claims; 2 of your ratings agree with the evidence."
    )


def test_changing_a_rating_updates_the_tally(checker):
    checker.rate(2, "supported")
    checker.rate(2, "misleading")
    assert "1 of your ratings agree" in checker.description


def test_the_verdict_tally_counts_every_claim(checker):
    tally = checker.verdict_tally()
    numbers = [int(part.rsplit(" ", 1)[1]) for part in tally.split(", ")]
    assert sum(numbers) == len(checker) == len(claims())


@pytest.mark.parametrize(
    ("number", "rating", "message"),
    [
        (0, "supported", "expected a whole number from 1 to"),
        (1, "true", "expected one of: supported, partly supported"),
        (1, 5, "rating = 5; expected 1 to 4"),
    ],
)
def test_bad_ratings_are_refused_clearly(checker, number, rating, message):
    with pytest.raises(ValueError, match=message):
        checker.rate(number, rating)


def test_revealed_claims_are_cited(checker):
    checker.rate(9, "not supported")
    assert "cancernet_aml_stats" in citations.used()


def test_reveal_all_shows_every_verdict(checker):
    checker.reveal_all()
    assert all("Verdict:" in card.verdict_html.value for card in checker.cards)
