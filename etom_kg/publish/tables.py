"""Printing result rows as an aligned table, CSV or JSON (shared by the query commands)."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

FORMATS = ("table", "csv", "json")


def add_format_argument(parser, formats: Sequence[str] = FORMATS) -> None:
    """The shared ``--format`` option."""
    parser.add_argument("--format", choices=tuple(formats), default=formats[0],
                        help=f"output format (default: {formats[0]})")


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


def render(columns: Sequence[str], rows: Iterable[Mapping], fmt: str = "table") -> str:
    """Render ``rows`` (mappings keyed by ``columns``) in ``fmt``; ends with a newline.

    JSON is a list of objects keyed by the columns (unbound values are ``null``);
    CSV has a header line; the table pads columns and turns line breaks into spaces.
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
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    cells = [[_text(row.get(c)) for c in columns] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        padded = [v + " " * (w - _width(v)) for v, w in zip(values, widths)]
        return "  ".join(padded).rstrip()

    lines = [line(columns), line(["-" * w for w in widths])]
    lines.extend(line(r) for r in cells)
    return "\n".join(lines) + "\n"
