"""petechiae-edu: interactive lessons on petechiae, platelets, bleeding and leukaemia.

Educational use only, not for diagnosis. The names a lesson uses are importable from here; each is loaded
on first use so that ``import petechiae_edu`` stays quick.
"""

# ruff: noqa: F401
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

DISCLAIMER = (
    "Educational use only, not for diagnosis: these lessons and their teaching models are for learning "
    "haematology, not for judging a real patient."
)

# public name -> module that defines it
_PUBLIC_NAMES: dict[str, str] = {
    # citations
    "cite": "petechiae_edu.citations",
    "start_lesson": "petechiae_edu.citations",
    "show_sources": "petechiae_edu.citations",
    "bibliography": "petechiae_edu.citations",
    # content store
    "content": "petechiae_edu.content",
    # lessons and course map
    "course_map": "petechiae_edu.lessons",
    "widget_check": "petechiae_edu.widgets.check",
    # glossary and tables
    "glossary_terms": "petechiae_edu.widgets.tables",
    "differential_table": "petechiae_edu.widgets.tables",
    "red_flag_table": "petechiae_edu.widgets.tables",
    "size_definitions_table": "petechiae_edu.widgets.tables",
    "reference_ranges_table": "petechiae_edu.widgets.tables",
    # lesson 01
    "classify_lesion": "petechiae_edu.models.lesions",
    "lesion_size_classifier": "petechiae_edu.widgets.lesions",
    "draw_skin": "petechiae_edu.figures.skin",
    "skin_picture": "petechiae_edu.figures.skin",
    "skin_description": "petechiae_edu.figures.skin",
    "lesion_contrast_by_tone": "petechiae_edu.figures.skin",
    "lesion_gallery": "petechiae_edu.widgets.skin_gallery",
    # self-checks
    "self_check": "petechiae_edu.widgets.quiz",
    # simulation 1: bleeding (lesson 04)
    "bleeding_explorer": "petechiae_edu.widgets.bleeding",
    "transfusion_strategy_explorer": "petechiae_edu.widgets.bleeding",
    "published_bleeding_data": "petechiae_edu.widgets.bleeding",
    "bleeding_age_curves": "petechiae_edu.widgets.bleeding_checks",
    "bleeding_check_table": "petechiae_edu.widgets.bleeding_checks",
    "daily_bleeding_risk": "petechiae_edu.calibrated",
    "count_where_risk_multiplies": "petechiae_edu.calibrated",
    "fit_bleeding_model": "petechiae_edu.calibrated",
    "simulate_cohort": "petechiae_edu.calibrated",
    # simulation 2: progression (lesson 05)
    "progression_explorer": "petechiae_edu.widgets.progression",
    "compare_progression": "petechiae_edu.widgets.progression",
    "simulate": "petechiae_edu.calibrated",
    "count_fall_order": "petechiae_edu.count_fall",
    "treatment_response": "petechiae_edu.models.progression",
    "symptom_timeline": "petechiae_edu.calibrated",
    "simulate_patients": "petechiae_edu.patients",
    "virtual_patient": "petechiae_edu.widgets.virtual_patient",
    "survival_chart": "petechiae_edu.widgets.virtual_patient",
    # lesson 02: blood, marrow and platelets
    "platelet_balance_explorer": "petechiae_edu.widgets.platelet_balance",
    "spleen_studies_chart": "petechiae_edu.widgets.platelet_balance",
    # lesson 03: the leukaemias and who gets them
    "leukaemia_table": "petechiae_edu.widgets.leukaemias",
    "risk_factor_chart": "petechiae_edu.widgets.leukaemias",
    # lesson 06: recognising it
    "presenting_features_chart": "petechiae_edu.widgets.presentation",
    # lesson 07: diagnosis
    "interpret_cbc": "petechiae_edu.calibrated",
    "cbc_interpreter": "petechiae_edu.widgets.cbc",
    "draw_blood_film": "petechiae_edu.figures.blood_film",
    "film_description": "petechiae_edu.figures.blood_film",
    "film_atlas": "petechiae_edu.widgets.film_atlas",
    "neutropenia_grade": "petechiae_edu.models.cbc_grades",
    "lymphocyte_trend": "petechiae_edu.models.cbc_grades",
    "doubling_time_explorer": "petechiae_edu.widgets.doubling_time",
    # lesson 08: treatment and supportive care
    "transfusion_thresholds_table": "petechiae_edu.widgets.treatment",
    "threshold_for": "petechiae_edu.content.treatment",
    # lesson 10: clinical cases
    "generate_case": "petechiae_edu.calibrated",
    "case_player": "petechiae_edu.widgets.cases",
    # lesson 11: reading health claims critically
    "claim_checker": "petechiae_edu.widgets.claims",
    # classroom: scenarios for explorers
    "load_scenario": "petechiae_edu.scenarios",
    "scenario_picker": "petechiae_edu.scenarios",
}

# The same names imported eagerly, for type checkers and IDEs only (ruff cannot see the dynamic __all__: F401);
# tests/test_app_contract.py checks that this block and the map above agree.
if TYPE_CHECKING:
    from . import content
    from .calibrated import (
        count_where_risk_multiplies,
        daily_bleeding_risk,
        fit_bleeding_model,
        generate_case,
        interpret_cbc,
        simulate,
        simulate_cohort,
        symptom_timeline,
    )
    from .citations import bibliography, cite, show_sources, start_lesson
    from .content.treatment import threshold_for
    from .count_fall import count_fall_order
    from .figures.blood_film import draw_blood_film, film_description
    from .figures.skin import draw_skin, lesion_contrast_by_tone, skin_description, skin_picture
    from .lessons import course_map
    from .models.cbc_grades import lymphocyte_trend, neutropenia_grade
    from .models.lesions import classify_lesion
    from .models.progression import treatment_response
    from .patients import simulate_patients
    from .scenarios import load_scenario, scenario_picker
    from .widgets.bleeding import bleeding_explorer, published_bleeding_data, transfusion_strategy_explorer
    from .widgets.bleeding_checks import bleeding_age_curves, bleeding_check_table
    from .widgets.cases import case_player
    from .widgets.cbc import cbc_interpreter
    from .widgets.check import widget_check
    from .widgets.claims import claim_checker
    from .widgets.doubling_time import doubling_time_explorer
    from .widgets.film_atlas import film_atlas
    from .widgets.lesions import lesion_size_classifier
    from .widgets.leukaemias import leukaemia_table, risk_factor_chart
    from .widgets.platelet_balance import platelet_balance_explorer, spleen_studies_chart
    from .widgets.presentation import presenting_features_chart
    from .widgets.progression import compare_progression, progression_explorer
    from .widgets.quiz import self_check
    from .widgets.skin_gallery import lesion_gallery
    from .widgets.tables import (
        differential_table,
        glossary_terms,
        red_flag_table,
        reference_ranges_table,
        size_definitions_table,
    )
    from .widgets.treatment import transfusion_thresholds_table
    from .widgets.virtual_patient import survival_chart, virtual_patient

__all__ = ["DISCLAIMER", "__version__", *sorted(_PUBLIC_NAMES)]


def __getattr__(name: str) -> Any:
    module_name = _PUBLIC_NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module 'petechiae_edu' has no attribute '{name}'")
    module = importlib.import_module(module_name)
    value = module if name == "content" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC_NAMES))
