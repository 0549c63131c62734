"""The content store: ``data/*.toml`` turned into typed, validated, cached records."""

from .errors import ContentError, FieldError
from .loader import content_schema, load_records
from .quizzes import QuizQuestion
from .records import (
    GlossaryTerm,
    LesionSizeDefinition,
    LessonPlan,
    LeukaemiaType,
    PetechiaeCause,
    RedFlag,
    ReferenceRange,
    RiskFactor,
    Source,
)
from .store import (
    clear_cache,
    course_plan,
    entries,
    glossary,
    lesion_size_definitions,
    leukaemia_types,
    petechiae_causes,
    quiz,
    red_flags,
    reference_ranges,
    risk_factors,
    source_keys,
    sources,
    validate_all,
)

__all__ = [
    "ContentError",
    "FieldError",
    "GlossaryTerm",
    "LesionSizeDefinition",
    "LessonPlan",
    "LeukaemiaType",
    "PetechiaeCause",
    "QuizQuestion",
    "RedFlag",
    "ReferenceRange",
    "RiskFactor",
    "Source",
    "clear_cache",
    "content_schema",
    "course_plan",
    "entries",
    "glossary",
    "lesion_size_definitions",
    "leukaemia_types",
    "load_records",
    "petechiae_causes",
    "quiz",
    "red_flags",
    "reference_ranges",
    "risk_factors",
    "source_keys",
    "sources",
    "validate_all",
]
