"""The content store: ``data/*.toml`` turned into typed, validated, cached records.

This list is the content package's public face; :mod:`.store` (loading) and :mod:`.check` (checking a whole
folder) keep no export list of their own.
"""

from .check import ContentProblems, SourceRuleError, StoreReport, check_store, source_rule_problems, validate_all
from .course_plan import LessonPlan, Objective
from .errors import ContentError, FieldError
from .loader import content_schema, load_records
from .quizzes import QuizOption, QuizQuestion
from .records import (
    GlossaryTerm,
    LesionSizeDefinition,
    LeukaemiaType,
    PetechiaeCause,
    RedFlag,
    ReferenceRange,
    RiskFactor,
    Source,
    UrgencyTier,
)
from .store import (
    clear_cache,
    course_plan,
    entries,
    glossary,
    lesion_size_definitions,
    leukaemia_types,
    on_clear_cache,
    petechiae_causes,
    quiz,
    red_flags,
    reference_ranges,
    risk_factors,
    source_keys,
    sources,
    urgency_tiers,
)

__all__ = [
    "ContentError",
    "ContentProblems",
    "FieldError",
    "GlossaryTerm",
    "LesionSizeDefinition",
    "LessonPlan",
    "LeukaemiaType",
    "Objective",
    "PetechiaeCause",
    "QuizOption",
    "QuizQuestion",
    "RedFlag",
    "ReferenceRange",
    "RiskFactor",
    "Source",
    "SourceRuleError",
    "StoreReport",
    "UrgencyTier",
    "check_store",
    "clear_cache",
    "content_schema",
    "course_plan",
    "entries",
    "glossary",
    "lesion_size_definitions",
    "leukaemia_types",
    "load_records",
    "on_clear_cache",
    "petechiae_causes",
    "quiz",
    "red_flags",
    "reference_ranges",
    "risk_factors",
    "source_keys",
    "source_rule_problems",
    "sources",
    "urgency_tiers",
    "validate_all",
]
