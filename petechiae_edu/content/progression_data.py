"""Record types for the progression presets in ``data/presets/progression.toml`` (simulation 2, lesson 05).

Each ``[[preset]]`` is one scenario (healthy, AML, ALL, CML, CLL). Every model parameter is a small table of
its own, so that a medical editor sees, beside each number, its unit and where it comes from:

    [preset.clone_birth_rate]
    value = 0.109
    unit = "per day"
    sources = ["bjh1997_ball_growth"]

A parameter either lists source keys, or says ``teaching_choice = true`` with a ``why``. A teaching choice is
a number picked to make the model behave plausibly where the course has no verified figure; the lesson says so.

The healthy preset holds the normal blood-formation parameters; the leukaemia presets hold only the clone and
the treatment, and inherit the rest from the healthy preset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

from .errors import FieldError, require_one_of
from .loader import content_schema

PRESET_FILE = "presets/progression.toml"
PRESET_KINDS = ("healthy", "acute", "chronic")
TREATMENT_KINDS = ("none", "induction", "tki", "watch_and_wait")


@dataclass(frozen=True)
class Parameter:
    """One model parameter: its value, unit, and either sources or an explicit teaching choice."""

    value: float
    unit: str
    sources: tuple[str, ...] = ()
    teaching_choice: bool = False
    why: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise FieldError("value", f"{self.value!r} is not a finite number")
        if not self.sources and not self.teaching_choice:
            raise FieldError("sources", "give source keys, or set teaching_choice = true with a 'why'")
        if self.teaching_choice and not self.why:
            raise FieldError("why", "a teaching choice must say why this value was chosen")


@content_schema("progression_presets", array="preset")
@dataclass(frozen=True)
class ProgressionPreset:
    """A scenario for the progression model: a leukaemia (or none) and its usual treatment."""

    key: str
    name: str
    kind: str = field(metadata={"help": "healthy, acute or chronic"})
    treatment: str = field(metadata={"help": "none, induction, tki or watch_and_wait"})
    summary: str
    sources: tuple[str, ...]
    published: tuple[str, ...] = ()  # published figures the preset is meant to reflect, in words
    # normal blood formation (healthy preset)
    stem_regrowth_rate: Parameter | None = None  # per day
    stem_reserve_rate: Parameter | None = None  # per day
    feedback_gain: Parameter | None = None  # dimensionless
    neutrophil_baseline: Parameter | None = None  # ANC ×10^9/L
    other_leukocyte_baseline: Parameter | None = None  # ×10^9/L
    haemoglobin_baseline: Parameter | None = None  # g/dL
    platelet_baseline: Parameter | None = None  # ×10^9/L
    neutrophil_transit_days: Parameter | None = None  # days
    neutrophil_lifespan_days: Parameter | None = None  # days
    red_cell_transit_days: Parameter | None = None  # days
    red_cell_lifespan_days: Parameter | None = None  # days
    platelet_transit_days: Parameter | None = None  # days
    platelet_lifespan_days: Parameter | None = None  # days
    other_leukocyte_transit_days: Parameter | None = None  # days
    other_leukocyte_lifespan_days: Parameter | None = None  # days
    # the leukaemic clone
    clone_birth_rate: Parameter | None = None  # per day
    clone_death_rate: Parameter | None = None  # per day
    clone_start_fraction: Parameter | None = None  # fraction of normal marrow
    clone_capacity: Parameter | None = None  # relative to normal marrow
    clone_marrow_weight: Parameter | None = None  # dimensionless
    clone_blood_count: Parameter | None = None  # ×10^9/L at full clone
    clone_blast_fraction: Parameter | None = None  # fraction
    # a differentiating clone (CML; Michor 2005 cascade)
    progenitor_death_rate: Parameter | None = None  # per day (d1)
    differentiated_death_rate: Parameter | None = None  # per day (d2)
    terminal_death_rate: Parameter | None = None  # per day (d3)
    progenitor_marrow_weight: Parameter | None = None  # dimensionless
    terminal_blood_count: Parameter | None = None  # ×10^9/L at full clone
    clone_platelet_output: Parameter | None = None  # relative to normal marrow
    clone_red_cell_output: Parameter | None = None  # relative to normal marrow
    # treatment
    treatment_start_day: Parameter | None = None  # day
    induction_days: Parameter | None = None  # days
    induction_clone_log_kill: Parameter | None = None  # log10
    induction_normal_log_kill: Parameter | None = None  # log10
    continuation_kill_rate: Parameter | None = None  # per day
    continuation_days: Parameter | None = None  # days
    tki_stem_output_divisor: Parameter | None = None  # dimensionless
    tki_progenitor_output_divisor: Parameter | None = None  # dimensionless

    def __post_init__(self) -> None:
        require_one_of("kind", self.kind, PRESET_KINDS)
        require_one_of("treatment", self.treatment, TREATMENT_KINDS)
        for name, value in self.parameters().items():
            if value.value < 0:
                raise FieldError(name, f"{value.value} {value.unit} is negative; rates and sizes must be ≥ 0")

    def parameters(self) -> dict[str, Parameter]:
        """The parameters this preset sets, by name (unset ones are inherited from the healthy preset)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), Parameter)}

    def all_source_keys(self) -> tuple[str, ...]:
        """Every source key the preset and its parameters cite, without repeats."""
        keys = list(self.sources)
        for parameter in self.parameters().values():
            keys.extend(parameter.sources)
        return tuple(dict.fromkeys(keys))


def progression_presets(data_dir=None) -> dict[str, ProgressionPreset]:
    """The presets by key, with every parameter's source keys checked against ``data/sources.toml``.

    (The loader checks a record's own ``sources``; the keys inside each parameter table are checked here.)
    """
    from .errors import ContentError
    from .store import entries, folder_of, source_keys

    records = entries(PRESET_FILE, ProgressionPreset, array="preset", data_dir=data_dir)
    known = source_keys(data_dir)
    for record in records:
        for name, parameter in record.parameters().items():
            for key in parameter.sources:
                if key not in known:
                    raise ContentError(
                        folder_of(data_dir) / PRESET_FILE,
                        f"unknown source key '{key}' (not in data/sources.toml)",
                        entry=f"'{record.key}'",
                        field=f"{name}.sources",
                    )
    presets = {record.key: record for record in records}
    if "healthy" not in presets:
        raise ContentError(folder_of(data_dir) / PRESET_FILE, "a 'healthy' preset is required (others inherit it)")
    return presets


@dataclass(frozen=True)
class MergedPreset:
    """A preset with every parameter filled in: its own, and the healthy preset's for the rest."""

    key: str
    treatment: str
    values: dict[str, float]  # parameter name -> value
    units: dict[str, str]  # parameter name -> unit
    sources: tuple[str, ...]  # the preset's and every parameter's source keys (the healthy ones included)


def merged_preset(name: str, data_dir=None) -> MergedPreset:
    """The preset ``name`` (``healthy``, ``aml``, ``all``, ``cml``, ``cll``; any case) with the parameters it does
    not set inherited from the healthy preset: the rule of ``data/presets/progression.toml``.

    Raises ValueError for an unknown name (listing the known ones) and TypeError for a name that is not text.
    """
    if not isinstance(name, str):
        raise TypeError(f"preset = {name!r} is not a preset name; expected one of the names in {PRESET_FILE}")
    presets = progression_presets(data_dir)
    key = name.strip().lower()
    if key not in presets:
        raise ValueError(f"unknown preset {name!r}; expected one of: {', '.join(presets)}")
    healthy, chosen = presets["healthy"], presets[key]
    merged = {**healthy.parameters(), **chosen.parameters()}
    sources = dict.fromkeys([*chosen.all_source_keys(), *healthy.all_source_keys()])
    return MergedPreset(
        key=key,
        treatment=chosen.treatment,
        values={n: p.value for n, p in merged.items()},
        units={n: p.unit for n, p in merged.items()},
        sources=tuple(sources),
    )
