"""The reviewer's workbook and ``--apply``: a reviewed sheet becomes RDF.

Each reviewed row becomes an ``etom:RealProcess`` that performs
(``etom:performsFunction``) the function of its element that best matches the
row's text, so that clause 7.2 classification (``etom-kg classify``) places it
under that element; ``etom:classifiedUnder`` is also stated. Provenance:
``etom:mappingScore``, ``etom:confidence``, ``etom:reviewDecision``,
``etom:sourceRow`` and PROV (``prov:wasDerivedFrom`` the inventory,
``prov:wasGeneratedBy`` the mapping activity).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from ..core.namespaces import ETOM, FUNCTION, PROCESS, PROV, RDF, RDFS, XSD, slug
from .results import band

META_SHEET = "etom-kg"
CONFIRMED = "confirmed"
ROW = "row"
ACCEPT = {"да", "д", "yes", "y", "ok", "ок", "+", "x", "х", "v", "✓", "✔", "true", "истина",
          "accept", "accepted", "принять", "принято", "верно"}
REJECT = {"нет", "н", "no", "n", "-", "—", "–", "false", "ложь", "reject", "rejected",
          "отклонить", "отклонено", "none", "нет соответствия", "вне crm", "out of scope"}
_ID = re.compile(r"^\s*(\d+(?:\.\d+)+)")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


@dataclass
class Decision:
    """One row's outcome: the element it is classified under (None = rejected)."""

    row: int
    name: str
    description: str
    element_id: str | None
    score: float | None
    decision: str            # confirmed | accepted | rejected | suggested | unmatched


# -- the reviewer's workbook ------------------------------------------------------------
def suggestion_text(s, lang: str) -> str:
    label = s.label.get(lang) or s.label.get("en") or s.label.get("ru") or ""
    text = f"{s.id} {label}".strip()
    if s.parent_id:
        text += f" (< {s.parent_id})"
    return text


def evidence_text(s, lang: str = "en") -> str:
    arrow = "→"
    return "; ".join(f"{', '.join(e.words)} {arrow} {e.text} ({e.field})" for e in s.evidence)


def review_workbook(mapping, top: int, lang: str = "ru", choices=()) -> bytes:
    """The reviewer's XLSX: original columns, row, top suggestions, confidence, confirmed.

    ``choices`` (element IDs) fill the drop-down list of the 'confirmed' column, after
    да/нет (yes/no); anything else may still be typed.
    """
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("mapping")
    head = list(mapping.columns) + [ROW]
    for k in range(1, top + 1):
        head += [f"suggestion {k}", f"score {k}", f"evidence {k}"]
    head += ["confidence", CONFIRMED]
    sheet.freeze_panes = "A2"
    for i, name in enumerate(head, start=1):
        width = (45 if name in (mapping.name_column, mapping.description_column)
                 else 40 if name.startswith(("suggestion", "evidence")) else 12)
        sheet.column_dimensions[get_column_letter(i)].width = width
    yes_no = ["да", "нет"] if lang == "ru" else ["yes", "no"]
    listed = ",".join(yes_no + list(choices))
    if len(listed) > 250:             # Excel's limit for a literal list is 255 characters
        listed = ",".join(yes_no)
    pick = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                          showErrorMessage=False)
    sheet.data_validations.append(pick)
    column = get_column_letter(len(head))
    pick.add(f"{column}2:{column}{len(mapping.rows) + 1}")
    sheet.append(head)
    for r in mapping.rows:
        cells = [_safe(r.values.get(c, "")) for c in mapping.columns] + [r.row]
        for k in range(top):
            if k < len(r.suggestions):
                s = r.suggestions[k]
                cells += [suggestion_text(s, lang), round(s.score, 3), _safe(evidence_text(s))]
            else:
                cells += ["", None, ""]
        cells += [r.band, ""]
        sheet.append(cells)
    meta = book.create_sheet(META_SHEET)
    for key, value in (("source", Path(mapping.source).name if mapping.source else ""),
                       ("name column", mapping.name_column or ""),
                       ("description column", mapping.description_column or ""),
                       ("top", top),
                       ("how to review", "Write in 'confirmed' an element ID (e.g. 1.1.1.5), "
                                         "'да'/'yes' to accept suggestion 1, 'нет'/'no' for "
                                         "no CRM element; leave it empty to skip the row.")):
        meta.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(text):
    """A cell value that a spreadsheet program shows as text, never runs as a formula."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


# -- reading the reviewed workbook -------------------------------------------------------
def read_reviewed(path, matcher) -> tuple[list[Decision], dict, list[str]]:
    """The decisions of a reviewed workbook, its metadata and warnings for skipped rows."""
    import warnings as _warnings

    import openpyxl

    from ..io.spreadsheet import Note, _check_xlsx, _cell

    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", path=path)
    with open(path, "rb") as handle:
        _check_xlsx(path, handle.read(8))
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}",
                         path=path) from None
    try:
        meta = {}
        if META_SHEET in book.sheetnames:
            for values in book[META_SHEET].iter_rows(values_only=True):
                if values and values[0]:
                    meta[str(values[0])] = _cell(values[1] if len(values) > 1 else "")
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, ())]
        keys = [h.strip().lower() for h in header]
        if CONFIRMED not in keys or ROW not in keys:
            raise InputError("not a reviewed etom-kg sheet: no 'confirmed' and 'row' columns "
                             "(write one with etom-kg map INVENTORY --format xlsx)",
                             path=path, line=1)
        c_conf, c_row = keys.index(CONFIRMED), keys.index(ROW)
        c_sug = keys.index("suggestion 1") if "suggestion 1" in keys else None
        c_score = keys.index("score 1") if "score 1" in keys else None
        name_col = meta.get("name column")
        c_name = keys.index(name_col.lower()) if name_col and name_col.lower() in keys else 0
        desc_col = meta.get("description column")
        c_desc = keys.index(desc_col.lower()) if desc_col and desc_col.lower() in keys else None
        decisions, notes, unreviewed = [], [], []
        for line, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values] + [""] * len(header)
            raw = values[c_conf] if c_conf < len(values) else None
            answer = _cell(raw).strip()
            if not any(cells):
                continue
            row_no = _int(cells[c_row])
            if row_no is None:
                raise InputError(f"the 'row' column holds {cells[c_row]!r}, not a row number",
                                 path=path, line=line, column=c_row + 1)
            if not answer:
                unreviewed.append(row_no)
                continue
            score = _float(cells[c_score]) if c_score is not None else None
            low = answer.lower().rstrip(".!")
            if raw is True or low in ACCEPT:
                first = _ID.match(cells[c_sug]) if c_sug is not None else None
                if not first:
                    raise InputError(f"row {row_no} accepts suggestion 1, but there is none",
                                     path=path, line=line, column=c_conf + 1)
                element, decision = first.group(1), "accepted"
            elif raw is False or low in REJECT:
                element, decision, score = None, "rejected", None
            else:
                match = _ID.match(answer)
                if not match:
                    raise InputError(f"'confirmed' of row {row_no} is {answer!r}: write an "
                                     "element ID such as 1.1.1.5, 'да'/'yes' or 'нет'/'no'",
                                     path=path, line=line, column=c_conf + 1)
                element, decision = match.group(1), "confirmed"
                first = _ID.match(cells[c_sug]) if c_sug is not None else None
                if not first or first.group(1) != element:
                    score = None   # the score was for another element
            if element is not None and matcher.candidate(element) is None:
                raise InputError(f"row {row_no}: {element} is not a CRM element of the graph",
                                 path=path, line=line, column=c_conf + 1)
            desc = cells[c_desc] if c_desc is not None else ""
            decisions.append(Decision(row_no, cells[c_name], desc, element, score, decision))
    finally:
        book.close()
    if unreviewed:
        shown = ", ".join(map(str, unreviewed[:10])) + (", …" if len(unreviewed) > 10 else "")
        notes.append(Note(f"{len(unreviewed)} row(s) not reviewed (empty 'confirmed') left "
                          f"out: rows {shown}", f"непроверенных строк (пустой столбец "
                          f"'confirmed'): {len(unreviewed)}, не включены: строки {shown}"))
    return decisions, meta, notes


def _int(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() and value >= 1 else None


def _float(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def decisions_from_mapping(mapping) -> list[Decision]:
    """Unreviewed decisions: the first suggestion of every row that has a good match."""
    out = []
    for r in mapping.rows:
        good = r.best is not None and not r.no_good_match
        name = r.values.get(mapping.name_column, r.text) if mapping.name_column else r.text
        desc = r.values.get(mapping.description_column, "") if mapping.description_column else ""
        out.append(Decision(r.row, name or r.text, desc, r.best.id if good else None,
                            r.score if r.best else None, "suggested" if good else "unmatched"))
    return out


# -- RDF ---------------------------------------------------------------------------------
def inventory_base(source: str | None) -> str:
    """The IRI namespace of an inventory's rows, from its file name."""
    stem = Path(source).stem if source else "inventory"
    return f"urn:etom-kg:inventory:{slug(stem)}:"


def to_turtle(decisions, matcher, *, source: str | None, base: str | None = None) -> bytes:
    """Turtle for the decisions (each row an etom:RealProcess with its provenance)."""
    import pyoxigraph as ox

    base = base or inventory_base(source)
    nn, lit = ox.NamedNode, ox.Literal
    a = nn(RDF + "type")
    inventory = nn(base.rstrip(":#/") if base.endswith(":") else base + "inventory")
    activity = nn(base + "mapping")
    triples = [
        ox.Triple(inventory, a, nn(PROV + "Entity")),
        ox.Triple(inventory, nn(RDFS + "label"), lit(Path(source).name if source else "inventory")),
        ox.Triple(activity, a, nn(PROV + "Activity")),
        ox.Triple(activity, nn(RDFS + "label"), lit("etom-kg map", language="en")),
        ox.Triple(activity, nn(PROV + "used"), inventory),
    ]
    for d in decisions:
        node = nn(f"{base}row-{d.row}")
        add = lambda p, o: triples.append(ox.Triple(node, nn(p), o))  # noqa: E731
        add(RDF + "type", nn(ETOM + "RealProcess"))
        lang = "ru" if _CYRILLIC.search(d.name) else "en"
        add(RDFS + "label", lit(d.name, language=lang))
        if d.description:
            add("http://purl.org/dc/terms/description",
                lit(d.description, language="ru" if _CYRILLIC.search(d.description) else "en"))
        add(ETOM + "sourceRow", lit(str(d.row), datatype=nn(XSD + "positiveInteger")))
        add(ETOM + "reviewDecision", lit(d.decision))
        add(PROV + "wasDerivedFrom", inventory)
        add(PROV + "wasGeneratedBy", activity)
        if d.element_id is None:
            continue
        cand = matcher.candidate(d.element_id)
        add(ETOM + "classifiedUnder", nn(cand.iri))
        function, matched = matcher.best_function(cand, f"{d.name} {d.description}")
        if function:
            add(ETOM + "performsFunction", nn(function))
            if not matched:
                add(RDFS + "comment", lit(
                    "No word of the row matched a function of the element; its first "
                    "function is assumed.", language="en"))
        if d.score is not None:
            add(ETOM + "mappingScore", lit(f"{d.score:.3f}", datatype=nn(XSD + "decimal")))
            level = {"high": "HighConfidence", "medium": "MediumConfidence",
                     "low": "LowConfidence"}[band(d.score)]
            add(ETOM + "confidence", nn(ETOM + level))
    prefixes = {"etom": ETOM, "prov": PROV, "rdfs": RDFS, "xsd": XSD,
                "dcterms": "http://purl.org/dc/terms/", "function": FUNCTION,
                "process": PROCESS}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
