"""Health claims for lesson 11: statements paraphrased from popular web articles, each with an evidence-based
verdict, the explanation and its sources (``data/claims.toml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import require_one_of
from .loader import content_schema

VERDICTS = ("supported", "partly supported", "not supported", "misleading")


@content_schema("claims", array="claim")
@dataclass(frozen=True)
class HealthClaim:
    """A claim as a reader might meet it, and what the evidence says about it."""

    key: str
    claim: str = field(metadata={"help": "the claim, paraphrased in our own words"})
    seen_in: str = field(metadata={"help": "where such claims appear, e.g. 'popular web articles'"})
    verdict: str = field(metadata={"help": "'supported', 'partly supported', 'not supported' or 'misleading'"})
    explanation: str
    reading_tip: str = field(metadata={"help": "what this claim teaches about reading health claims"})
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        require_one_of("verdict", self.verdict, VERDICTS)


def claims(data_dir: Path | None = None) -> tuple[HealthClaim, ...]:
    """Every claim of ``data/claims.toml``, in file order (cached)."""
    from . import store

    return store.entries("claims.toml", HealthClaim, array="claim", data_dir=data_dir)
