"""Typed results of mapping an inventory: rows, suggestions, evidence."""
from __future__ import annotations

from dataclasses import dataclass, field

#: Confidence bands by best score. "low" means: no good match; the suggestions are
#: still shown so that a reviewer sees what came closest. Chosen on the dev split
#: (bench/mapping_eval.py prints how the bands separate in-scope from out-of-scope rows).
HIGH, LOW = 0.6, 0.3
BANDS = ("high", "medium", "low")


def band(score: float) -> str:
    """The confidence band of a score: high, medium or low (= no good match)."""
    if score >= HIGH:
        return "high"
    return "medium" if score >= LOW else "low"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Words of the row that matched one text of the graph (a label, function, definition...)."""

    words: tuple[str, ...]   # the row's words, as written
    field: str               # label, altLabel, hiddenLabel, function, definition, level3, ...
    text: str                # the graph's text that matched
    lang: str
    source: str              # IRI of the resource whose text it is

    def as_dict(self) -> dict:
        return {"words": list(self.words), "field": self.field, "text": self.text,
                "lang": self.lang, "source": self.source}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One eTOM element suggested for a row, with its score in [0, 1] and why."""

    id: str
    iri: str
    score: float
    label: dict                       # {"ru": ..., "en": ...}
    evidence: tuple[Evidence, ...]
    parent_id: str | None = None      # the level-2 element of a level-3 suggestion
    parent_label: dict | None = None

    @property
    def band(self) -> str:
        return band(self.score)

    def as_dict(self) -> dict:
        out = {"id": self.id, "score": round(self.score, 3), "label": dict(self.label),
               "evidence": [e.as_dict() for e in self.evidence], "confidence": self.band}
        if self.parent_id:
            out["parent"] = {"id": self.parent_id, "label": dict(self.parent_label or {})}
        return out


@dataclass(slots=True)
class RowMapping:
    """One data row of the inventory (numbered from 1, header excluded) and its suggestions."""

    row: int
    text: str
    suggestions: list[Suggestion]
    values: dict = field(default_factory=dict)      # the row's original cells, by header
    warnings: list[str] = field(default_factory=list)

    @property
    def best(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    @property
    def score(self) -> float:
        return self.best.score if self.best else 0.0

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def no_good_match(self) -> bool:
        return self.band == "low"

    def as_dict(self) -> dict:
        return {"row": self.row, "text": self.text,
                "suggestions": [s.as_dict() for s in self.suggestions],
                "confidence": self.band}


@dataclass
class InventoryMapping:
    """The mapping of a whole inventory: rows in file order and how they were read."""

    rows: list[RowMapping]
    source: str | None = None          # the inventory file, when there is one
    columns: list[str] = field(default_factory=list)
    name_column: str | None = None
    description_column: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def as_list(self) -> list[dict]:
        return [r.as_dict() for r in self.rows]

    def footprint(self, kg):
        from .footprint import footprint

        return footprint(kg, self)
