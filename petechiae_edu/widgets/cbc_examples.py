"""The CBC interpreter's practice presets: invented teaching counts, not patients.

Counts are ×10^9/L, haemoglobin g/dL, MCV fL, PT and APTT in seconds, fibrinogen g/L, D-dimer mg/L FEU;
None means not measured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CbcExample:
    """An invented blood count for practice (counts ×10^9/L, haemoglobin g/dL; None: not measured)."""

    label: str
    age_years: float
    sex: str
    platelets: float
    wbc: float
    anc: float
    lymphocytes: float
    haemoglobin: float
    blasts_percent: float | None
    monocytes: float | None = None
    eosinophils: float | None = None
    basophils: float | None = None
    mcv: float | None = None
    film: tuple[str, ...] = ()
    pt_seconds: float | None = None
    aptt_seconds: float | None = None
    fibrinogen: float | None = None
    d_dimer: float | None = None

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "label"}


EXAMPLES: dict[str, CbcExample] = {
    "normal": CbcExample("Normal adult count", 35, "female", 250, 7.0, 4.2, 2.1, 13.8, None),
    "healthy_toddler": CbcExample("Healthy toddler (18 months)", 1.5, "male", 320, 10.5, 3.1, 6.4, 11.8, None),
    "isolated_thrombocytopenia": CbcExample(
        "Isolated thrombocytopenia (young adult)", 24, "female", 18, 6.8, 4.0, 2.2, 13.1, 0
    ),
    "pancytopenia": CbcExample("Pancytopenia (child of 5)", 5, "male", 22, 2.1, 0.4, 1.5, 6.9, None),
    "leukocytosis_with_blasts": CbcExample("Leukocytosis with blasts (adult)", 67, "male", 31, 52.0, 0.9, 3.5, 8.4, 64),
    "hyperleukocytosis": CbcExample("Hyperleukocytosis (adult, blasts)", 58, "female", 40, 180.0, 4.0, 3.0, 7.9, 88),
    "suspected_apl": CbcExample(
        "DIC with blasts: suspect APL (adult)",
        38,
        "female",
        25,
        1.8,
        0.5,
        1.0,
        9.0,
        30,
        film=("auer_rods",),
        pt_seconds=18,
        aptt_seconds=38,
        fibrinogen=0.7,
        d_dimer=12,
    ),
    "microangiopathic_picture": CbcExample(
        "Microangiopathic picture (adult)",
        35,
        "female",
        15,
        9.0,
        6.0,
        2.0,
        8.5,
        None,
        film=("schistocytes",),
        pt_seconds=12.5,
        aptt_seconds=30,
        fibrinogen=3.0,
        d_dimer=1.2,
    ),
    "dic_pattern": CbcExample(
        "DIC pattern (adult with sepsis)",
        60,
        "male",
        45,
        18.0,
        15.0,
        1.5,
        14.2,
        None,
        pt_seconds=17,
        aptt_seconds=42,
        fibrinogen=0.9,
        d_dimer=6,
    ),
    "neutrophilia_left_shift_basophilia": CbcExample(
        "Neutrophilia, left shift, basophilia (adult)",
        52,
        "male",
        420,
        85.0,
        60.0,
        4.0,
        12.0,
        2,
        monocytes=2.0,
        eosinophils=3.0,
        basophils=5.0,
        film=("left_shift",),
    ),
    "pseudothrombocytopenia": CbcExample(
        "Platelet clumps (adult)", 50, "female", 78, 6.5, 4.0, 2.0, 13.5, 0, film=("platelet_clumps",)
    ),
    "lymphocytosis": CbcExample("Lymphocytosis (older adult)", 71, "male", 190, 16.5, 4.3, 11.2, 14.6, None),
}
