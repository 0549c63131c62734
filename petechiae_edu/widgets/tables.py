"""Tables from the content store, shown in lessons: glossary, differential diagnosis, red flags, size cut-offs.

Each call cites the sources of the rows it shows. The result renders as an accessible HTML table (caption,
header cells) in a notebook and as plain text elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import citations, content
from ..content.vocabulary import URGENCIES
from ..markup import Markup, html_table

SOURCES_COLUMN = "Sources"

EVERYONE = "all"  # a red flag's population when it holds for children and adults


@dataclass(frozen=True)
class Table:
    """A captioned table with a source column."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_sources: tuple[tuple[str, ...], ...] = ()  # source keys per row: shown as numbered links in HTML

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> tuple[str, ...]:
        index = self.columns.index(name)
        return tuple(row[index] for row in self.rows)

    def __str__(self) -> str:
        lines = [self.caption]
        for row in self.rows:
            lines.append(" | ".join(row))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.row_sources or SOURCES_COLUMN not in self.columns:
            return html_table(self.caption, self.columns, self.rows)
        # a narrow column of numbered links, the full references under the table
        index = self.columns.index(SOURCES_COLUMN)
        cells, notes = citations.numbered_sources(self.row_sources)
        rows = [(*row[:index], Markup(cell), *row[index + 1 :]) for row, cell in zip(self.rows, cells, strict=True)]
        return html_table(self.caption, self.columns, rows, notes=notes)


def glossary_terms(*keys: str) -> Table:
    """Definitions of the glossary terms ``keys`` (all terms when none are given)."""
    terms = content.glossary()
    unknown = [key for key in keys if key not in terms]
    if unknown:
        raise KeyError(f"unknown glossary terms {unknown}; known terms include: {', '.join(sorted(terms)[:12])} …")
    chosen = [terms[key] for key in keys] if keys else sorted(terms.values(), key=lambda t: t.term.lower())
    for term in chosen:
        citations.cite(*term.sources, by="glossary")
    rows = tuple((t.term, t.definition, citations.references_text(t.sources)) for t in chosen)
    return Table("Glossary", ("Term", "Meaning", "Sources"), rows, tuple(t.sources for t in chosen))


def differential_table(category: str | None = None) -> Table:
    """The differential diagnosis of petechiae, optionally one category, with what sets each cause apart."""
    causes = list(content.petechiae_causes().values())
    if category is not None:
        categories = sorted({c.category for c in causes})
        if category not in categories:
            raise ValueError(f"unknown category '{category}'; expected one of: {', '.join(categories)}")
        causes = [c for c in causes if c.category == category]
    for cause in causes:
        citations.cite(*cause.sources, by="differential diagnosis")
    rows = tuple(
        (
            c.name,
            "; ".join(c.distinguishing_features),
            c.platelets,
            c.fever,
            c.urgency,
            citations.references_text(c.sources),
        )
        for c in causes
    )
    return Table(
        "Causes of petechiae and what sets them apart",
        ("Cause", "Distinguishing features", "Platelet count", "Fever", "How urgent", "Sources"),
        rows,
        tuple(c.sources for c in causes),
    )


def red_flag_table(population: str | None = None) -> Table:
    """Findings that call for emergency care, a specialist or a blood count, fastest first (by the course's urgency
    scale); ``population`` is one the flags name ('children', 'adults') or None for every flag."""
    flags = list(content.red_flags().values())
    if population is not None:
        populations = sorted({f.population for f in flags} - {EVERYONE})
        if population not in populations:
            raise ValueError(f"population must be one of {', '.join(populations)} (or None); got {population!r}")
        flags = [f for f in flags if f.population in (population, EVERYONE)]
    flags.sort(key=lambda f: URGENCIES.index(f.urgency))
    for flag in flags:
        citations.cite(*flag.sources, by="red flags")
    rows = tuple(
        (f.finding, f.population, f.action, f.urgency, f.why, citations.references_text(f.sources)) for f in flags
    )
    return Table(
        "Red flags: when petechiae and other findings need a blood count or a specialist",
        ("Finding", "Who", "What to do", "How fast", "Why", "Sources"),
        rows,
        tuple(f.sources for f in flags),
    )


def size_definitions_table() -> Table:
    """How different sources draw the size lines between petechiae, purpura and ecchymoses."""
    definitions = content.lesion_size_definitions().values()
    for definition in definitions:
        citations.cite(*definition.sources, by="size definitions")
    rows = tuple(
        (
            d.name,
            f"< {d.petechia_below_mm:g} mm",
            (
                f"{d.petechia_below_mm:g}–{d.ecchymosis_above_mm:g} mm"
                if d.ecchymosis_above_mm
                else f"≥ {d.petechia_below_mm:g} mm"
            ),
            f"> {d.ecchymosis_above_mm:g} mm" if d.ecchymosis_above_mm else "not defined",
            "yes" if d.used_in_lessons else "",
            citations.references_text(d.sources),
        )
        for d in definitions
    )
    return Table(
        "Size cut-offs for non-blanching spots, by source",
        ("Definition", "Petechia", "Purpura", "Ecchymosis", "Used in these lessons", "Sources"),
        rows,
        tuple(d.sources for d in definitions),
    )


def reference_ranges_table() -> Table:
    """The adult reference ranges the course uses, with their units."""
    ranges = content.reference_ranges().values()
    for reference in ranges:
        citations.cite(*reference.sources, by="reference ranges")
    rows = tuple(
        (r.analyte, f"{r.low:g}–{r.high:g}", r.units, r.sex, r.note or "", citations.references_text(r.sources))
        for r in ranges
    )
    return Table(
        "Reference ranges used in these lessons (adults)",
        ("Blood value", "Range", "Units", "Sex", "Note", "Sources"),
        rows,
        tuple(r.sources for r in ranges),
    )
