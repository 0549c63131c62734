"""Self-check question banks: one TOML file per lesson in ``data/quizzes/``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import FieldError
from .loader import content_schema


@content_schema("quiz", array="question")
@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice question with the explanation shown after the student answers."""

    key: str
    prompt: str
    options: tuple[str, ...]
    answer: int = field(metadata={"help": "position of the right option, counting from 1"})
    explanation: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise FieldError("options", f"a question needs at least two options, got {len(self.options)}")
        if len(set(self.options)) != len(self.options):
            raise FieldError("options", "two options have the same text")
        if not 1 <= self.answer <= len(self.options):
            raise FieldError(
                "answer",
                f"{self.answer} is not an option number; expected 1 to {len(self.options)} (counting from 1)",
            )

    @property
    def correct_option(self) -> str:
        """The text of the right option."""
        return self.options[self.answer - 1]
