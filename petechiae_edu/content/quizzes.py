"""Self-check question banks: one TOML file per lesson in ``data/quizzes/``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError, require_one_of
from .loader import content_schema
from .pictures import Picture

LEVELS = ("recall", "apply", "analyse")  # Bloom's levels an item may test
ITEM_KINDS = ("vignette", "evidence")  # a patient in front of the student, or reading a study or a claim


@dataclass(frozen=True)
class QuizOption:
    """One option of a self-check question. ``good = true`` marks the right one: the word the cases use.

    ``feedback`` says why this option is right or wrong for the patient in the stem: shown when the student
    checks it, so a wrong answer is corrected where the student went wrong (the bank lint requires it).
    """

    text: str
    good: bool
    feedback: str = ""


@content_schema("quiz", array="question")
@dataclass(frozen=True)
class QuizQuestion:
    """A single-best-answer question with the explanation shown after the student answers.

    Each option is a record, ``{ text = "…", good = true, feedback = "…" }``, so reordering the options never
    changes the answer; exactly one option of a question is ``good = true``. ``picture`` (optional) is a drawing
    shown above the question (:class:`~petechiae_edu.content.pictures.Picture`: a blood film or a patch of skin).

    ``objective``, ``level``, ``kind`` and ``fact`` describe the item for the bank lint
    (:mod:`petechiae_edu.content.bank_lint`): the lesson objective it assesses, its Bloom level, whether it is a
    clinical vignette or an evidence-reading item, and the one fact it tests (no fact is tested twice). They are
    optional in the record so a half-written bank still loads and the lint names what is missing.
    """

    key: str
    prompt: str
    options: tuple[QuizOption, ...] = field(
        metadata={"help": 'a list of { text = "…", good = true/false }, exactly one of them good = true'}
    )
    explanation: str
    sources: tuple[str, ...]
    picture: Picture | None = field(
        default=None,
        metadata={"help": 'optional drawing shown above the question: { kind = "film", film = "apl", seed = 3 }'},
    )
    objective: str = field(default="", metadata={"help": "the key of the lesson objective the item assesses"})
    level: str = field(default="", metadata={"help": "Bloom's level: " + " | ".join(LEVELS)})
    kind: str = field(default="", metadata={"help": "item kind: " + " | ".join(ITEM_KINDS)})
    fact: str = field(default="", metadata={"help": "the one fact or judgement tested; unique across the course"})

    def __post_init__(self) -> None:
        if self.level:
            require_one_of("level", self.level, LEVELS)
        if self.kind:
            require_one_of("kind", self.kind, ITEM_KINDS)
        if len(self.options) < 2:
            raise FieldError("options", f"a question needs at least two options, got {len(self.options)}")
        texts = [option.text for option in self.options]
        if len(set(texts)) != len(texts):
            raise FieldError("options", "two options have the same text")
        good = [number for number, option in enumerate(self.options, start=1) if option.good]
        if len(good) != 1:
            marked = f"options {', '.join(map(str, good))} are" if good else "no option is"
            raise FieldError(
                "options",
                f"{marked} marked good = true; expected exactly one right option per question "
                "(mark it good = true and every other option good = false)",
            )

    @property
    def good_option(self) -> QuizOption:
        """The right option."""
        return next(option for option in self.options if option.good)

    @property
    def good_number(self) -> int:
        """The position of the right option, counting from 1 (as the student sees the options)."""
        return 1 + self.options.index(self.good_option)
