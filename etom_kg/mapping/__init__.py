"""Inventory mapping: an operator's process sheet → scored, explained eTOM suggestions.

- ``text``      words → terms (pymorphy3 lemmas for Russian, Snowball stems for English)
- ``index``     the candidates and their texts, read from the graph (labels, definitions,
                functions, hand-offs, level-3 names, glossary terms, hidden labels)
- ``rank``      BM25 ranking (bm25s), scores in [0, 1], evidence
- ``results``   typed results (:class:`InventoryMapping`, :class:`RowMapping`, ...)
- ``output``    table, CSV, JSON, Turtle renderings
- ``review``    the reviewer's XLSX and ``--apply``: reviewed sheet → RDF
- ``footprint`` the level-2 footprint (coverage per element) and its heat map
"""
from __future__ import annotations

from .results import Evidence, InventoryMapping, RowMapping, Suggestion

__all__ = ["Evidence", "InventoryMapping", "RowMapping", "Suggestion", "map_inventory"]


def map_inventory(kg, source, top: int = 3, *, name_column: str | None = None,
                  description_column: str | None = None, delimiter: str | None = None,
                  encoding: str | None = None, sheet: str | None = None,
                  matcher=None, semantic: bool = False) -> InventoryMapping:
    """Map an inventory onto the CRM elements of ``kg``.

    ``source`` is a CSV/XLSX path, a :class:`~etom_kg.io.spreadsheet.Sheet` or an
    iterable of rows (strings, (name, description) pairs or dicts with
    ``name``/``description``). Each data row
    gets its ``top`` best elements, best first, each with a score in [0, 1] and
    the evidence for it. ``semantic=True`` blends in a sentence encoder's
    similarity (needs ``etom-kg[semantic]``; see :mod:`.semantic`). ``kg`` is not
    modified.
    """
    from pathlib import Path

    from ..core.errors import UsageError
    from ..io.spreadsheet import Sheet, read_sheet, sheet_from_rows
    from .rank import Matcher

    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise UsageError(f"top must be a positive whole number, not {top!r}")
    if isinstance(source, Sheet):          # already read (the CLI reads before it loads)
        sheet_ = source
    elif isinstance(source, (str, Path)):
        sheet_ = read_sheet(source, name_column=name_column,
                            description_column=description_column, delimiter=delimiter,
                            encoding=encoding, sheet=sheet)
    else:
        sheet_ = sheet_from_rows(source)
    matcher = matcher or Matcher.for_graph(kg)
    texts = [row.name if not row.description else f"{row.name}. {row.description}"
             for row in sheet_.rows]
    similarities = [None] * len(texts)
    if semantic:
        from .semantic import SemanticScorer

        scorer = SemanticScorer(matcher)
        similarities = []
        for start in range(0, len(texts), 512):   # bounded memory: rows × texts of the graph
            similarities.extend(scorer.rows(texts[start:start + 512]))
    rows = []
    for row, text, similarity in zip(sheet_.rows, texts, similarities):
        values = dict(zip(sheet_.columns, row.cells))
        rows.append(RowMapping(row.number, text, matcher.suggest(text, top, similarity), values))
    desc = sheet_.description_column
    return InventoryMapping(rows, sheet_.path, list(sheet_.columns),
                            sheet_.columns[sheet_.name_column],
                            sheet_.columns[desc] if desc is not None else None,
                            list(sheet_.warnings))
