"""The controlled words that let tests read the clinical content: urgency tiers, signs, conditions, actions.

Free text teaches; these tags make what the text teaches checkable. A red flag lists the ``signs`` that must all be
present for it to apply; a case step lists the signs known by then; a case names the ``conditions`` it is about;
an option lists the ``actions`` it takes. ``tests/test_clinical_safety.py`` states the course's safety rules over
these tags (for example: a case whose patient has fever and a neutrophil count ≤0.5 ×10^9/L offers antibiotics
within the hour as its best option). A misspelt tag is refused with the list of allowed words, so a rule cannot
be dodged by a typo. The words are defined where they are used in ``data/`` (see ``data/urgency_tiers.toml``).
"""

from __future__ import annotations

from .errors import FieldError

# Fastest first. Each tier is defined, with its source, in data/urgency_tiers.toml.
URGENCIES = ("emergency", "immediate", "very urgent", "urgent", "routine")

SIGNS = (
    "fever",  # measured ≥38 °C now, or a reliable history of fever
    "non_blanching_rash",  # petechiae or purpura that stay under a pressed glass
    "purpura",  # non-blanching lesions larger than 2 mm
    "spreading_rash",
    "looks_unwell",
    "signs_of_sepsis",  # e.g. prolonged capillary refill, tachycardia, mottled or cold peripheries, hypotension
    "meningism",
    "mucosal_bleeding",
    "on_chemotherapy",
    "on_heparin",
    "new_medicine",
    "pallor",
    "hepatosplenomegaly",
    "lymphadenopathy",
    "bone_pain",
    "breathlessness",
    "confusion",
    "visual_disturbance",
    "reduced_urine_output",
    "bloody_diarrhoea",
    "thrombosis",
    "mechanical_cause",  # coughing, vomiting, straining, strangulation: petechiae in the SVC territory
    "palpable_purpura",
    "abdominal_pain",
    "joint_pain",
)

CONDITIONS = (
    "meningococcal_disease",
    "bacterial_sepsis",
    "group_a_streptococcus",
    "viral_infection",
    "neutropenic_sepsis",
    "acute_promyelocytic_leukaemia",
    "dic",
    "hyperleukocytosis",
    "leukostasis",
    "tumour_lysis_syndrome",
    "ttp",
    "hus",
    "hit",
    "itp",
    "drug_induced_immune_thrombocytopenia",
    "aml",
    "all",
    "cml",
    "cll",
    "mechanical_petechiae",
    "iga_vasculitis",
    # mimic cases added for issue 14 (helper C)
    "non_accidental_injury",  # bruising or petechiae from physical abuse
    "infectious_mononucleosis",  # EBV glandular fever
    "neuroblastoma",
    "aplastic_anaemia",
)

ACTIONS = (
    "emergency_hospital_assessment",  # now: emergency department, blue-light transfer
    "parenteral_antibiotics_now",  # IV/IM antibiotics at once, before results or transfer
    "antibiotics_within_1h",  # empirical broad-spectrum IV antibiotics within 1 hour of arrival
    "blood_cultures",
    "fluid_resuscitation",
    "senior_help",
    "full_blood_count",
    "blood_film",
    "coagulation_screen",  # PT, APTT, fibrinogen, D-dimer
    "crp",
    "throat_swab",
    "observation_in_hospital",
    "safety_net",
    "same_day_specialist",
    "very_urgent_blood_count",
    "routine_review",
    "watch_and_wait",
    "start_atra",
    "platelet_transfusion",
    "platelet_transfusion_for_life_threatening_bleeding",
    "fibrinogen_replacement",
    "plasma",
    "red_cell_transfusion",
    "plasma_exchange",
    "stop_heparin",
    "non_heparin_anticoagulant",
    "stop_suspected_drug",
    "cytoreduction",
    "leukapheresis",
    "iv_hydration",
    "urate_lowering",  # allopurinol or rasburicase
    "tls_monitoring",  # potassium, phosphate, calcium, urate, creatinine, urine output
    "renal_replacement",
    "lumbar_puncture",
    "central_line",
    "bone_marrow_examination",
    "steroids",
    "ivig",
    "delay",  # waiting, booking a clinic, repeating the test later
    "continue_antibiotics",  # keep antibiotics already started going
    "tranexamic_acid",
    "heparin",  # starting or continuing any heparin
    "continue_heparin",  # keeping heparin (any type) going
    "start_warfarin",
    "stop_antibiotics",
    "urinalysis",  # urine dipstick (blood, protein), with a protein:creatinine ratio when protein is found
    "blood_pressure_check",  # measured and read against the normal range for age (and height in children)
    "abdominal_ultrasound",  # e.g. to look for intussusception in IgA vasculitis
    # helper C (issue 14): mimic cases
    "safeguarding_referral",  # refer to children's social care under local safeguarding procedures
    "urine_catecholamines",  # urine homovanillic and vanillylmandelic acid (HVA, VMA)
    "stool_culture",  # stool culture / PCR, e.g. for Shiga-toxin-producing E. coli
)


def require_words(field: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """Raise a :class:`FieldError` naming the first word of ``values`` that is not in ``allowed``."""
    for value in values:
        if value not in allowed:
            raise FieldError(field, f"'{value}' is not one of {', '.join(allowed)}")
    if len(set(values)) != len(values):
        raise FieldError(field, f"a word is listed twice in {list(values)}")
