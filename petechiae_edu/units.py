"""The one unit each blood-count value is written in, shared by the content store and the models.

Platelets and white cells in ×10^9/L (= ×10^3/µL), haemoglobin in g/dL. Content refuses a reference range in
another unit; the models refuse a count that looks per µL.
"""

from __future__ import annotations

BLOOD_COUNT_UNITS: dict[str, str] = {
    "haemoglobin": "g/dL",
    "wbc": "×10^9/L",
    "anc": "×10^9/L",
    "lymphocytes": "×10^9/L",
    "monocytes": "×10^9/L",
    "eosinophils": "×10^9/L",
    "basophils": "×10^9/L",
    "platelets": "×10^9/L",
}
