"""Self-check question banks: one TOML file per lesson in ``data/quizzes/``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError
from .loader import content_schema
from .pictures import Picture


@dataclass(frozen=True)
class QuizOption:
    """One option of a self-check question. ``good = true`` marks the right one: the word the cases use."""

    text: str
    good: bool


@content_schema("quiz", array="question")
@dataclass(frozen=True)
class QuizQuestion:
    """A single-best-answer question with the explanation shown after the student answers.

    Each option is a record, ``{ text = "…", good = true }``, so reordering the options never changes the
    answer; exactly one option of a question is ``good = true``. ``picture`` (optional) is a drawing shown above
    the question (:class:`~petechiae_edu.content.pictures.Picture`: a blood film or a patch of skin).
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

    def __post_init__(self) -> None:
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
