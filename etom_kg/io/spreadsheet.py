"""Reading a process inventory: a CSV or XLSX sheet → header, rows, the name column.

CSV is read the way Russian users save it: UTF-8 with or without a BOM, UTF-16
with a BOM, or Windows-1251; ``,``, ``;`` or tab as the delimiter (detected from
the header line, overridable). XLSX is read with openpyxl in read-only mode
(values as last computed by the spreadsheet program). The input file is only
ever read. Every problem that stops reading is an :class:`InputError` naming the
file (and row/column where known); problems of single rows become warnings.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError

MAX_BYTES = 256 * 1024 * 1024          # a larger sheet is not a process inventory
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024  # zip bombs: refuse before openpyxl inflates them
MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 10_000                # longer cells are cut for matching, with a warning

#: Header texts that name the process-name and description columns (compared
#: case-, space- and punctuation-insensitively), best first.
NAME_HEADERS = ("наименование процесса", "название процесса", "процесс", "бизнес-процесс",
                "наименование", "название", "process name", "process", "name", "title")
DESCRIPTION_HEADERS = ("описание процесса", "описание", "краткое описание", "комментарий",
                       "process description", "description", "comment", "details")


class Note(str):
    """A warning in English (the string itself) that also carries its Russian text."""

    ru: str

    def __new__(cls, en: str, ru: str):
        note = super().__new__(cls, en)
        note.ru = ru
        return note


@dataclass
class SheetRow:
    """One data row: its number (1 = first row under the header) and its cells."""

    number: int
    cells: list[str]
    name: str
    description: str = ""


@dataclass
class Sheet:
    """A read inventory: header, data rows, the chosen columns and the warnings met."""

    path: str | None
    columns: list[str]
    rows: list[SheetRow]
    name_column: int
    description_column: int | None
    warnings: list[str] = field(default_factory=list)


def _key(text) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").lower().replace("ё", "е")).split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


# -- CSV ---------------------------------------------------------------------------------
def _decode(data: bytes, path, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", path=path) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding} text at byte {exc.start}", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\0" in data[:65536]:
        raise InputError("not a text file (NUL bytes): unknown encoding or a binary file; "
                         "save the sheet as CSV (UTF-8) or XLSX", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    # cp1251 decodes almost any byte: accept it only when the result reads as Russian.
    high = [c for c in text if ord(c) > 127]
    cyrillic = sum(1 for c in high if "\u0400" <= c <= "\u04ff")
    if (high and cyrillic / len(high) < 0.9) or not _reads_as_russian(text):
        raise InputError("unknown text encoding (neither UTF-8 nor Windows-1251); "
                         "give it with --encoding", path=path)
    return text


def _reads_as_russian(text: str) -> bool:
    """True unless the longer Cyrillic words are mostly unknown to the Russian dictionary
    (text in another 8-bit encoding, e.g. Greek or KOI8-R, read as Windows-1251)."""
    words = re.findall(r"[а-яё]{4,}", text[:200_000].lower())[:400]
    if len(words) < 3:
        return True
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="ru")
    known = sum(morph.word_is_known(w) for w in words)
    return known / len(words) >= 0.4


def _sniff(text: str, delimiter: str | None) -> str:
    if delimiter:
        return {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
    head = text.split("\n", 1)[0]
    counts = {d: head.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _read_csv(path: Path, encoding, delimiter) -> tuple[list[list[str]], list[str]]:
    data = path.read_bytes()
    text = _decode(data, path, encoding)
    sep = _sniff(text, delimiter)
    csv.field_size_limit(MAX_BYTES)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise InputError(f"more than {MAX_ROWS} rows", path=path)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", path=path, line=len(rows) + 1) from None
    return rows, []


# -- XLSX --------------------------------------------------------------------------------
def _check_xlsx(path: Path, data_head: bytes) -> None:
    import zipfile

    if data_head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("a password-protected (encrypted) workbook or an old .xls file: "
                         "save it without a password as .xlsx or CSV", path=path)
    if not data_head.startswith(b"PK"):
        raise InputError("not an XLSX workbook (not a zip archive)", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable XLSX workbook: {exc}", path=path) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(f"the workbook unpacks to {unpacked} bytes (more than "
                         f"{MAX_XLSX_UNPACKED}); refusing a possible zip bomb", path=path)


def _read_xlsx(path: Path, sheet_name: str | None) -> tuple[list[list[str]], list[str]]:
    import warnings as _warnings

    import openpyxl

    with open(path, "rb") as handle:
        head = handle.read(8)
    _check_xlsx(path, head)
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")   # openpyxl warns about styles and extensions
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}",
                         path=path) from None
    notes = []
    try:
        if sheet_name:
            if sheet_name not in book.sheetnames:
                raise InputError(f"no sheet named {sheet_name!r} (sheets: "
                                 f"{', '.join(book.sheetnames)})", path=path)
            ws = book[sheet_name]
        else:
            ws = book.worksheets[0] if book.worksheets else None
            if ws is None:
                raise InputError("the workbook has no worksheet", path=path)
        merged = _merged_ranges(book, ws)
        rows = []
        try:
            for values in ws.iter_rows(values_only=True):
                rows.append([_cell(v) for v in values])
                if len(rows) > MAX_ROWS + 1:
                    raise InputError(f"more than {MAX_ROWS} rows", path=path)
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}",
                             path=path, line=len(rows) + 1) from None
        for (r1, c1, r2, c2) in merged:   # a merged block reads as its top-left value
            if r1 - 1 < len(rows) and c1 - 1 < len(rows[r1 - 1]):
                value = rows[r1 - 1][c1 - 1]
                for r in range(r1, min(r2, len(rows)) + 1):
                    row = rows[r - 1]
                    row.extend([""] * (c2 - len(row)))
                    for c in range(c1, c2 + 1):
                        row[c - 1] = value
        if merged:
            notes.append(Note(f"{len(merged)} merged cell range(s): each read as its top-left value",
                              f"объединённых диапазонов ячеек: {len(merged)}; каждый прочитан "
                              "как значение его левой верхней ячейки"))
    finally:
        book.close()
    return rows, notes


_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merged_ranges(book, ws) -> list[tuple[int, int, int, int]]:
    """Merged ranges of ``ws`` read from its XML (openpyxl's read-only mode drops them)."""
    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not path or archive is None:
        return []
    try:
        with archive.open(path) as handle:
            tail = b""
            ranges = []
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                data = tail + chunk
                ranges.extend(_MERGE.findall(data))
                tail = data[-200:]
    except (KeyError, OSError):
        return []
    seen = set()
    out = []
    for a, b, c, d in ranges:
        key = (int(b), _col(a), int(d), _col(c))
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def _formula_rows(path: Path, sheet_name, lines: dict, column: int) -> list[int]:
    """Data rows (of ``lines``: sheet line → row number) whose name cell is a formula."""
    import warnings as _warnings

    import openpyxl

    found = []
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = book[sheet_name] if sheet_name else book.worksheets[0]
        last = max(lines)
        for line, values in enumerate(ws.iter_rows(values_only=True, max_row=last), start=1):
            if line in lines and column < len(values):
                value = values[column]
                if isinstance(value, str) and value.startswith("="):
                    found.append(lines[line])
    finally:
        book.close()
    return found


# -- columns -----------------------------------------------------------------------------
def _find_column(header: list[str], wanted: str | None, known, path, what: str) -> int | None:
    keys = [_key(h) for h in header]
    if wanted is not None:
        if wanted.isdigit() and 1 <= int(wanted) <= len(header):
            return int(wanted) - 1
        if _key(wanted) in keys:
            return keys.index(_key(wanted))
        raise InputError(f"no {what} column {wanted!r} (columns: "
                         f"{', '.join(repr(h) for h in header)})", path=path, line=1)
    for name in known:
        if _key(name) in keys:
            return keys.index(_key(name))
    for name in known:                    # "Наименование бизнес-процесса (L3)" and the like
        for i, k in enumerate(keys):
            if k and _key(name) in k:
                return i
    return None


def read_sheet(path, *, name_column: str | None = None, description_column: str | None = None,
               delimiter: str | None = None, encoding: str | None = None,
               sheet: str | None = None) -> Sheet:
    """Read an inventory sheet (CSV or XLSX, chosen by the file's first bytes and name)."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    if path.is_dir():
        raise InputError("is a directory, not a spreadsheet", path=path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file is too large ({size} bytes; at most {MAX_BYTES})", path=path)
    if size == 0:
        raise InputError("the file is empty", path=path)
    with open(path, "rb") as handle:
        head = handle.read(8)
    is_xlsx = (path.suffix.lower() in (".xlsx", ".xlsm", ".xls")
               or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")))
    rows, notes = _read_xlsx(path, sheet) if is_xlsx else _read_csv(path, encoding, delimiter)
    skipped = 0
    while rows and not any(rows[0]):       # blank lines above the header
        rows.pop(0)
        skipped += 1
        notes.append(Note("blank line above the header skipped",
                          "пустая строка над заголовком пропущена"))
    if not rows:
        raise InputError("the sheet is empty (no header and no rows)", path=path)
    header = [h if h else f"column {i + 1}" for i, h in enumerate(rows[0])]
    name_i = _find_column(header, name_column, NAME_HEADERS, path, "name")
    if name_i is None:
        raise InputError("no process-name column found (looked for a header such as "
                         "'Наименование процесса', 'Процесс', 'Name'; columns: "
                         f"{', '.join(repr(h) for h in header)}); name it with --name-column",
                         path=path, line=1)
    desc_i = _find_column(header, description_column, DESCRIPTION_HEADERS, path, "description")
    if desc_i == name_i:
        desc_i = None
    data = []
    empty_rows: dict[int, int] = {}        # sheet line → data row number, rows with no name
    offset = 1 + skipped
    for number, cells in enumerate(rows[1:], start=1):
        cells = [_cell(c) for c in cells]
        if not any(cells):
            empty_rows[number + offset] = number   # blank, or formulas with no saved value
            continue
        cells.extend([""] * (len(header) - len(cells)))
        name = cells[name_i] if name_i < len(cells) else ""
        desc = cells[desc_i] if desc_i is not None and desc_i < len(cells) else ""
        if not name:
            notes.append(Note(f"row {number}: empty process name in column {header[name_i]!r}; "
                              "skipped", f"строка {number}: пустое наименование процесса в "
                              f"столбце {header[name_i]!r}; строка пропущена"))
            empty_rows[number + offset] = number
            continue
        if name.startswith("=") and not is_xlsx:
            notes.append(Note(f"row {number}: the name is a formula ({name[:40]}); matched as text",
                              f"строка {number}: наименование — формула ({name[:40]}); "
                              "сопоставляется как текст"))
        for label, text in (("name", name), ("description", desc)):
            if len(text) > MAX_CELL_CHARS:
                what = "наименовании" if label == "name" else "описании"
                notes.append(Note(f"row {number}: the {label} has {len(text)} characters; only "
                                  f"the first {MAX_CELL_CHARS} are matched",
                                  f"строка {number}: в {what} {len(text)} символов; "
                                  f"сопоставляются первые {MAX_CELL_CHARS}"))
        data.append(SheetRow(number, cells, name[:MAX_CELL_CHARS], desc[:MAX_CELL_CHARS]))
    if is_xlsx and empty_rows:
        for number in _formula_rows(path, sheet, empty_rows, name_i):
            notes.append(Note(f"row {number}: the name is a formula with no saved value (the "
                              "file was never recalculated); open and save it in the "
                              "spreadsheet program",
                              f"строка {number}: наименование — формула без сохранённого "
                              "значения (файл не пересчитывался); откройте и сохраните его "
                              "в программе электронных таблиц"))
    if not data:
        raise InputError(f"no data rows with a process name under the header "
                         f"(name column {header[name_i]!r})", path=path)
    return Sheet(str(path), header, data, name_i, desc_i, notes)


def sheet_from_rows(rows) -> Sheet:
    """A sheet from Python rows: strings (names), (name, description) pairs or dicts."""
    data, header = [], ["name", "description"]
    for number, item in enumerate(rows, start=1):
        if isinstance(item, str):
            name, desc = item, ""
        elif isinstance(item, dict):
            name = str(item.get("name") or item.get("text") or "")
            desc = str(item.get("description") or "")
        else:
            name, desc = (list(item) + ["", ""])[:2]
        name, desc = _cell(name), _cell(desc)
        if name:
            data.append(SheetRow(number, [name, desc], name[:MAX_CELL_CHARS],
                                 desc[:MAX_CELL_CHARS]))
    return Sheet(None, header, data, 0, 1, [])
