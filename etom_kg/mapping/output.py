"""Renderings of a mapping: a table that fits 100 columns, CSV, JSON."""
from __future__ import annotations

import csv
import io
import json

WIDTH = 100
_HEAD = {
    "en": ("row", "process", "best match", "score", "confidence", "next", "evidence",
           "no good match"),
    "ru": ("стр.", "процесс", "лучшее соответствие", "оценка", "уверенность", "далее",
           "основание", "нет хорошего соответствия"),
}
BAND_NAMES = {"en": {"high": "high", "medium": "medium", "low": "low"},
              "ru": {"high": "высокая", "medium": "средняя", "low": "низкая"}}


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(s, lang):
    return s.label.get(lang) or s.label.get("en") or s.label.get("ru") or ""


def table(mapping, lang: str = "en") -> str:
    """One line per row (best match, score, band, the next level-2 IDs), then its best
    evidence."""
    lang = "ru" if lang == "ru" else "en"
    row_h, proc_h, best_h, score_h, band_h, next_h, ev_h, none_h = _HEAD[lang]
    w_row, w_proc, w_best, w_score, w_band = 5, 26, 26, 6, 13
    lines = [f"{row_h:>{w_row}}  {proc_h:<{w_proc}}  {best_h:<{w_best}}  {score_h:>{w_score}}  "
             f"{band_h:<{w_band}}{next_h}", "-" * WIDTH]
    for r in mapping.rows:
        best = r.best
        if best is None:
            lines.append(f"{r.row:>{w_row}}  {_cut(r.text, w_proc):<{w_proc}}  {none_h}")
            continue
        name = _cut(f"{best.id} {_label(best, lang)}", w_best)
        # The next branches by their level-2 IDs: level-3 IDs would not fit in 100 columns.
        rest = " ".join(s.parent_id or s.id for s in r.suggestions[1:])
        band = BAND_NAMES[lang][r.band]
        line = (f"{r.row:>{w_row}}  {_cut(r.text, w_proc):<{w_proc}}  {name:<{w_best}}  "
                f"{best.score:>{w_score}.2f}  {band:<{w_band}}{rest}")
        lines.append(line[:WIDTH].rstrip())
        if best.evidence:
            e = best.evidence[0]
            indent = " " * (w_row + 2)
            lines.append(indent + _cut(f"{ev_h}: {', '.join(e.words)} → {e.text}",
                                       WIDTH - len(indent)))
    return "\n".join(lines) + "\n"


def as_csv(mapping, top: int, lang: str = "en") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["row", "text", "confidence"]
    for k in range(1, top + 1):
        head += [f"id {k}", f"label {k}", f"score {k}", f"evidence {k}"]
    writer.writerow(head)
    from .review import evidence_text

    for r in mapping.rows:
        cells = [r.row, r.text, r.band]
        for k in range(top):
            if k < len(r.suggestions):
                s = r.suggestions[k]
                cells += [s.id, _label(s, lang), f"{s.score:.3f}", evidence_text(s)]
            else:
                cells += ["", "", "", ""]
        writer.writerow(cells)
    return out.getvalue()


def as_json(mapping) -> bytes:
    """A JSON list in UTF-8, one row object per line.

    Each row is encoded on its own by the C encoder (``indent=`` would be 10× slower)
    and kept as UTF-8 bytes: half the memory of a Python string of Cyrillic text.
    """
    rows = [json.dumps(r.as_dict(), ensure_ascii=False).encode("utf-8") for r in mapping.rows]
    return b"[\n" + b",\n".join(rows) + b"\n]\n" if rows else b"[]\n"
