"""The level-2 footprint of a mapped inventory: how many processes map to each element.

Conformance assessments report it: which CRM elements the operator's processes
cover, how densely, and which have none. Rows with no good match are counted
apart. The heat map is drawn on the layout of Figure 3 (the elements in their
vertical columns, as in ``etom-kg diagram``), each element shaded by its count.
"""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class FootprintRow:
    id: str
    label: dict
    count: int
    rows: tuple[int, ...]      # inventory row numbers mapped there

    def as_dict(self) -> dict:
        return {"id": self.id, "label": dict(self.label), "count": self.count,
                "rows": list(self.rows)}


@dataclass
class Footprint:
    elements: list[FootprintRow]
    no_good_match: tuple[int, ...]
    total: int

    @property
    def uncovered(self) -> list[str]:
        return [e.id for e in self.elements if not e.count]

    def as_dict(self) -> dict:
        return {"total": self.total, "elements": [e.as_dict() for e in self.elements],
                "uncovered": self.uncovered, "noGoodMatch": list(self.no_good_match)}

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"

    def table(self, lang: str = "en") -> str:
        ru = lang == "ru"
        head = ("элемент", "наименование", "процессов") if ru else ("element", "name", "processes")
        most = max([e.count for e in self.elements] + [1])
        lines = [f"{head[0]:<10}{head[1]:<52}{head[2]:>10}", "-" * 100]
        for e in self.elements:
            name = e.label.get("ru" if ru else "en") or ""
            name = name if len(name) <= 50 else name[:49] + "…"
            bar = "█" * round(24 * e.count / most)
            lines.append(f"{e.id:<10}{name:<52}{e.count:>10}  {bar}".rstrip())
        none = "нет хорошего соответствия" if ru else "no good match"
        lines.append(f"{'':<10}{none:<52}{len(self.no_good_match):>10}")
        if self.uncovered:
            import textwrap

            word = "без процессов: " if ru else "elements without processes: "
            lines.extend(textwrap.wrap(word + ", ".join(self.uncovered), 100))
        return "\n".join(lines) + "\n"

    def svg(self, kg, lang: str = "ru") -> str:
        return heat_map(kg, self, lang)


def footprint(kg, mapping) -> Footprint:
    """Count the rows whose best suggestion is a good match, per level-2 element."""
    from .index import read_candidates

    cands = [c for c in read_candidates(kg) if c.level == 2]
    by_id = {c.id: [] for c in cands}
    none = []
    for r in mapping.rows:
        if r.best is None or r.no_good_match:
            none.append(r.row)
            continue
        key = r.best.parent_id or r.best.id
        by_id.setdefault(key, []).append(r.row)
    labels = {c.id: c.labels for c in cands}
    elements = [FootprintRow(i, labels.get(i, {}), len(rows), tuple(rows))
                for i, rows in by_id.items()]
    return Footprint(elements, tuple(none), len(mapping.rows))


def heat_map(kg, fp: Footprint, lang: str = "ru") -> str:
    """SVG: the CRM elements in their Figure 3 columns, darker the more processes map there."""
    from xml.sax.saxutils import escape

    from ..publish.diagrams import WIDTH, decomposition_layout, wrap

    columns, items = decomposition_layout(kg, "1.1.1")
    counts = {e.id: e.count for e in fp.elements}
    most = max(list(counts.values()) + [1])
    size, gap, pad = 8.5, 6, 8
    ncol = max(1, len(columns))
    col_w = (WIDTH - 2 * pad - gap * (ncol - 1)) / ncol
    title = ("Покрытие элементов CRM процессами оператора" if lang == "ru"
             else "CRM elements covered by the operator's processes")
    parts = [f'<text x="{WIDTH / 2:.1f}" y="16" text-anchor="middle" font-size="11" '
             f'font-weight="bold">{escape(title)}</text>']
    y = 28.0
    for i, column in enumerate(columns):
        x = pad + i * (col_w + gap)
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="24" '
                     f'fill="#e8e8e8" stroke="#555555"/>')
        head = wrap(column.labels.get(lang, ""), col_w - 6, size)[:2]
        for k, line in enumerate(head):
            parts.append(f'<text x="{x + col_w / 2:.1f}" y="{y + 10 + k * 10:.1f}" '
                         f'text-anchor="middle" font-size="{size}">{escape(line)}</text>')
    y += 30
    box_h = 46
    tops = [y] * ncol
    for item in _figure3_order(items):
        span = range(item.columns[0], item.columns[-1] + 1) if item.columns else range(0, 1)
        top = max(tops[c] for c in span)
        x = pad + span[0] * (col_w + gap)
        w = len(span) * col_w + (len(span) - 1) * gap
        n = counts.get(item.id, 0)
        shade = n / most
        fill = _blend(shade) if n else "#ffffff"
        ink = "#ffffff" if shade > 0.55 else "#111111"
        parts.append(f'<g class="element" data-id="{item.id}" data-count="{n}">'
                     f'<rect x="{x:.1f}" y="{top:.1f}" width="{w:.1f}" height="{box_h}" '
                     f'fill="{fill}" stroke="#555555"' + ('' if n else ' stroke-dasharray="4 2"')
                     + '/>')
        lines = [f"{item.id}  ({n})"] + wrap(item.labels.get(lang, ""), w - 8, size)[:2]
        for k, line in enumerate(lines):
            parts.append(f'<text x="{x + w / 2:.1f}" y="{top + 12 + k * 11:.1f}" '
                         f'text-anchor="middle" font-size="{size}" fill="{ink}">'
                         f'{escape(line)}</text>')
        parts.append("</g>")
        for c in span:
            tops[c] = top + box_h + gap
    height = max(tops) + 24
    note = (f"нет хорошего соответствия: {len(fp.no_good_match)} из {fp.total}" if lang == "ru"
            else f"no good match: {len(fp.no_good_match)} of {fp.total}")
    parts.append(f'<text x="{pad}" y="{height - 8:.1f}" font-size="{size}">{escape(note)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="180mm" '
            f'viewBox="0 0 {WIDTH} {height:.1f}" font-family="DejaVu Sans, Arial, sans-serif">'
            f'<title>{escape(title)}</title>' + "".join(parts) + "</svg>\n")


def _figure3_order(items):
    """Drawing order of Figure 3: a spanning element goes above the single-column elements of
    its columns when it precedes them all in ID order (1.1.1.2), below them otherwise (1.1.1.9)."""
    order = {it.id: n for n, it in enumerate(items)}
    singles = [i for i in items if len(i.columns) == 1]

    def above(item):
        inside = [s for s in singles if s.columns[0] in range(item.columns[0], item.columns[-1] + 1)]
        return all(order[item.id] < order[s.id] for s in inside)

    spanning = [i for i in items if len(i.columns) > 1]
    return [i for i in spanning if above(i)] + singles + [i for i in spanning if not above(i)]


def _blend(shade: float) -> str:
    """White → dark blue, by the share of the largest count."""
    lo, hi = (0xde, 0xeb, 0xf7), (0x08, 0x30, 0x6b)
    rgb = [round(a + (b - a) * (0.15 + 0.85 * shade)) for a, b in zip(lo, hi)]
    return "#" + "".join(f"{v:02x}" for v in rgb)
