"""Printing result rows as a table that fits the terminal, as CSV or as JSON.

The table (``text``) is for people: IRIs in the project's namespaces are shown
as CURIEs (``process:P1-1-1-5``), and when the columns are wider than the
terminal (``COLUMNS``, else the terminal's width, else 100) the widest columns
are narrowed and their cells wrapped onto several lines. CSV and JSON are for
programs and carry every value unchanged.
"""
from __future__ import annotations

import csv
import io
import json
import os
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

FORMATS = ("text", "csv", "json")
DEFAULT_WIDTH = 100
_MIN_COLUMN = 8      # no column is narrowed below this (or its natural width)
_WORD_COLUMN = 36    # ... nor below its longest word (IDs, names of queries), up to this width
MAX_LINES = 4        # a longer cell is cut, ending in "…" (csv and json carry it whole)


def terminal_width() -> int:
    """``COLUMNS`` if set, else the terminal's width, else 100 (output to a file or pipe)."""
    try:
        value = int(os.environ.get("COLUMNS", ""))
        if value > 0:
            return value
    except ValueError:
        pass
    try:
        return os.get_terminal_size(1).columns or DEFAULT_WIDTH
    except OSError:
        return DEFAULT_WIDTH


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)  # exact: a float could change the number
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _width(text: str) -> int:
    """Display width: East Asian wide characters count twice, combining marks zero."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


# Short names for the project's other namespaces, for display only (queries use PREFIXES).
_DISPLAY = {"tam": "tam/", "sid": "sid/", "oda": "oda/", "api": "api/",
            "r16": "tmf-etom/r16/", "tmf-oda": "tmf-etom/oda/"}


def _prefixes() -> list[tuple[str, str]]:
    from ..core.namespaces import BASE, PREFIXES

    known = {**{p: BASE + path for p, path in _DISPLAY.items()}, **PREFIXES}
    # Longest namespace first, so process: wins over the project's base.
    return sorted(((ns, p) for p, ns in known.items()), key=lambda x: -len(x[0]))


def compact(value: str, prefixes=None) -> str:
    """An IRI in a known namespace as a CURIE (``process:P1-1-1-5``); other text unchanged."""
    if not value.startswith(("http://", "https://")) or " " in value:
        return value
    for namespace, prefix in prefixes if prefixes is not None else _prefixes():
        if value.startswith(namespace):
            local = value[len(namespace):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
    return value


def fit(widths: Sequence[int], available: int, minimum: Sequence[int] | None = None) -> list[int]:
    """Column widths that fit ``available`` characters: each column gets at least its
    ``minimum`` (or what fits, if even the minimums do not), and the rest of the room
    is shared out so that columns lacking little are made whole first, and the widest
    ones share what is left equally."""
    widths = list(widths)
    if sum(widths) <= available:
        return widths
    minimum = [min(m, w) for m, w in zip(minimum or [_MIN_COLUMN] * len(widths), widths)]
    if sum(minimum) >= available:  # too many columns: narrow ones keep their width,
        small = [i for i, w in enumerate(widths) if w <= _MIN_COLUMN]  # the rest shrink alike
        room = max(available - sum(widths[i] for i in small), 1)
        rest = sum(m for i, m in enumerate(minimum) if i not in small) or 1
        return [widths[i] if i in small else max(4, int(m * room / rest))
                for i, m in enumerate(minimum)]
    out = list(minimum)
    left = available - sum(minimum)
    todo = sorted((i for i in range(len(out)) if widths[i] > out[i]),
                  key=lambda i: widths[i] - out[i])
    while todo:
        share, extra = divmod(left, len(todo))
        first = todo[0]
        if widths[first] - out[first] <= share:
            left -= widths[first] - out[first]
            out[first] = widths[first]
            todo.pop(0)
            continue
        for k, i in enumerate(todo):
            out[i] += share + (1 if k < extra else 0)
        break
    return out


def _wrap(text: str, width: int, max_lines: int = MAX_LINES) -> list[str]:
    if _width(text) <= width:
        return [text]
    lines = textwrap.wrap(text, width=width, break_long_words=True,
                          break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:max(width - 1, 0)].rstrip() + "…"
    return lines


def render(columns: Sequence[str], rows: Iterable[Mapping], fmt: str = "text", *,
           headers: Mapping[str, str] | None = None, width: int | None = None,
           indent: int = 0, max_lines: int = MAX_LINES) -> str:
    """Render ``rows`` (mappings keyed by ``columns``) in ``fmt``; ends with a newline.

    JSON is a list of objects keyed by the columns (unbound values are ``null``);
    CSV has a header line; the table (``text``; ``table`` is the same) shows
    ``headers`` (column → heading, e.g. Russian) and fits ``width`` (default: the
    terminal's) less ``indent``, a cell taking at most ``max_lines`` lines.
    """
    rows = list(rows)
    if fmt == "json":
        data = [{c: _json_value(row.get(c)) for c in columns} for row in rows]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else
                             _text(row.get(c)) if isinstance(row.get(c), bool) else row.get(c)
                             for c in columns])
        return out.getvalue()
    if fmt not in ("text", "table"):
        raise ValueError(f"unknown format {fmt!r}")
    prefixes = _prefixes()
    titles = [(headers or {}).get(c, c) for c in columns]
    cells = [[compact(_text(row.get(c)), prefixes) for c in columns] for row in rows]
    natural = [max([_width(t)] + [_width(r[i]) for r in cells]) for i, t in enumerate(titles)]
    available = (width or terminal_width()) - indent - 2 * (len(columns) - 1)
    longest_word = [max([_width(w) for r in [titles] + cells for w in r[i].split()] + [0])
                    for i in range(len(columns))]
    minimum = [max(_MIN_COLUMN, min(_WORD_COLUMN, longest_word[i], natural[i]))
               for i in range(len(columns))]
    widths = fit(natural, available, minimum)

    def lines(values) -> list[str]:
        wrapped = [_wrap(v, w, max_lines) for v, w in zip(values, widths)]
        height = max((len(w) for w in wrapped), default=1)
        out = []
        for k in range(height):
            parts = [(w[k] if k < len(w) else "") for w in wrapped]
            padded = [p + " " * (w - _width(p)) for p, w in zip(parts, widths)]
            out.append(" " * indent + "  ".join(padded).rstrip())
        return out

    result = lines(titles) + [" " * indent + "  ".join("-" * w for w in widths)]
    for r in cells:
        result += lines(r)
    return "\n".join(result) + "\n"
