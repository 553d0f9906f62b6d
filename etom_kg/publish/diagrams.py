"""SVG pictograms (clause 5.1), decomposition diagrams (Figure 3) and link diagrams.

Everything drawn is read from the graph with the named queries (``children``,
``verticals``, ``ancestors``, ``element`` and the link-layer queries), so an
element added by a user extension appears in its diagrams. The SVG is written
as XML text: labels stay ``<text>`` (searchable, Cyrillic as Unicode), every
matrix cell carries ``data-row`` / ``data-column`` / ``data-highlighted`` so a
program can read what is darkened, and the same graph always gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from xml.sax.saxutils import escape, quoteattr

from ..core.errors import UsageError

#: Drawing width in user units; the SVG says ``width="180mm"``: the text block of A4.
WIDTH = 720
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
DARK, LIGHT, LINE, TEXT_DARK, TEXT = "#3a3a3a", "#ffffff", "#555555", "#ffffff", "#111111"
HEADING = "#e8e8e8"

# Areas without ``skos:notation``-carrying children are not matrix areas; the list
# of areas itself has no named query yet, so it is this one small query.
# --------------------------------------------------------------------------- text
def _char_width(ch: str, size: float) -> float:
    """A conservative advance width for DejaVu Sans (wide enough that text fits)."""
    if ch == " ":
        return 0.32 * size
    if ch in "il.,:;!|'()[]":  # DejaVu's digits are all as wide as "0"
        return 0.34 * size
    if ch.isupper() or ch in "мшщжфыюМШЩЖФЫЮmwMW":
        return 0.74 * size
    return 0.61 * size


def text_width(text: str, size: float) -> float:
    return sum(_char_width(c, size) for c in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (a too-long word is split)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


class Svg:
    """A tiny SVG writer: elements appended as text, attributes escaped."""

    def __init__(self, title: str):
        self.parts: list[str] = []
        self.title = title

    def add(self, tag: str, attrs: dict, content: str | None = None) -> None:
        text = "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)
        self.parts.append(f"<{tag}{text}/>" if content is None else f"<{tag}{text}>{content}</{tag}>")

    def rect(self, x, y, w, h, fill=LIGHT, **attrs) -> None:
        self.add("rect", {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h), "fill": fill,
                          "stroke": LINE, "stroke-width": "0.8", **_dashes(attrs)})

    def text(self, x, y, lines, size=9.0, anchor="middle", fill=TEXT, weight=None,
             valign="middle", cls=None) -> None:
        """Lines of text centred (by default) on (x, y)."""
        lines = [line for line in lines if line is not None]
        if not lines:
            return
        leading = size * 1.2
        first = y - (len(lines) - 1) * leading / 2 + size * 0.35 if valign == "middle" else y + size
        spans = "".join(f'<tspan x="{_n(x)}" y="{_n(first + i * leading)}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        self.add("text", {"class": cls, "font-size": _n(size), "text-anchor": anchor,
                          "fill": fill, "font-weight": weight}, spans)

    def line(self, x1, y1, x2, y2) -> None:
        self.add("line", {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2),
                          "stroke": LINE, "stroke-width": "0.8"})

    def render(self, height: float) -> str:
        head = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
                f'width="180mm" height="{_n(height * 180 / WIDTH)}mm" '
                f'viewBox="0 0 {WIDTH} {_n(height)}" font-family={quoteattr(FONT)}>\n'
                f"<title>{escape(self.title)}</title>\n")
        # A control character in a label would make the SVG not well-formed XML: drop it.
        return _XML_INVALID.sub("", head + "\n".join(self.parts) + "\n</svg>\n")


_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _n(value: float) -> str:
    """Numbers with at most two decimals and no trailing zeros (stable output)."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _dashes(attrs: dict) -> dict:
    """Python keywords to SVG attributes: ``cls`` → ``class``, ``data_row`` → ``data-row``."""
    return {("class" if k == "cls" else k.replace("_", "-")): v for k, v in attrs.items()}


def _label(row, lang: str, stem: str = "label") -> str:
    key = stem + ("Ru" if lang == "ru" else "En")
    other = stem + ("En" if lang == "ru" else "Ru")
    return row.get(key) or row.get(other) or ""


# ---------------------------------------------------------------- level-1 frame
@dataclass
class Column:
    iri: str
    number: int
    abbreviation: str | None
    labels: dict


@dataclass
class Row:
    id: str
    labels: dict


@dataclass
class Area:
    id: str
    labels: dict
    rows: list[Row] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)


def _labels(row) -> dict:
    return {"ru": row.get("labelRu") or row.get("labelEn") or "",
            "en": row.get("labelEn") or row.get("labelRu") or ""}


def frame(kg) -> list[Area]:
    """The level-1 structure: each area with its horizontal groupings (rows) and verticals."""
    areas = []
    for area_row in kg.query("areas"):
        area_id = area_row["id"]
        element = kg.query("element", process=area_id)[0]
        area = Area(area_id, _labels(element))
        area.rows = [Row(r["id"], _labels(r)) for r in kg.query("children", process=area_id)]
        area.columns = [Column(v["vertical"], int(v["column"]), v.get("abbreviation"), _labels(v))
                        for v in kg.query("verticals", process=area_id) if v.get("column")]
        areas.append(area)
    return areas


def highlighted_cells(kg, process_id: str) -> tuple[set[tuple[str, str]], set[str]]:
    """Where ``process_id`` sits in the level-1 matrix, as the graph says.

    Returns ``(cells, rows)``: ``cells`` are (row ID, vertical IRI) pairs to darken;
    ``rows`` are rows known without a column: a grouping of an area without verticals
    (its one cell is darkened), or in a matrix area an element whose vertical grouping
    the graph does not state (only the row heading is darkened, no cell is claimed).
    """
    from ..graph.model import get_process

    process = get_process(kg, process_id)
    areas = {a.id: a for a in frame(kg)}
    if process.id in areas:
        area = areas[process.id]
        if area.columns:
            return {(r.id, c.iri) for r in area.rows for c in area.columns}, set()
        return set(), {r.id for r in area.rows}
    chain = [r["id"] for r in kg.query("ancestors", process=process.id)] + [process.id]
    row_of = {r.id: a for a in areas.values() for r in a.rows}
    row_id = next((i for i in chain if i in row_of), None)
    if row_id is None:
        raise UsageError(f"{process.id} is not placed in the level-1 structure "
                         f"(no ancestor is a horizontal grouping)")
    area = row_of[row_id]
    if process.id == row_id:
        if area.columns:
            return {(row_id, c.iri) for c in area.columns}, set()
        return set(), {row_id}
    # The nearest process on the way up that names its vertical groupings decides.
    columns = {c.iri for c in area.columns}
    for pid in reversed(chain[chain.index(row_id) + 1:]):
        verticals = {v["vertical"] for v in kg.query("verticals", process=pid)} & columns
        if verticals:
            return {(row_id, v) for v in verticals}, set()
    return set(), {row_id}


def pictogram(kg, process_id: str, lang: str = "ru") -> str:
    """The level-1 eTOM structure (Figure 1) with the place of ``process_id`` darkened."""
    from ..graph.model import get_process

    process = get_process(kg, process_id)
    cells, rows = highlighted_cells(kg, process_id)
    areas = frame(kg)
    svg = Svg(f"{process.id} {process.label(lang)}")
    # As on the eTOM chart: matrix areas side by side, strategy (higher number)
    # at the left, operations at the right; areas without verticals as bands below.
    matrix = sorted((a for a in areas if a.columns and a.rows), key=lambda a: a.id, reverse=True)
    bands = [a for a in areas if not a.columns and a.rows]
    gap, y0 = 8, 30
    svg.text(WIDTH / 2, 14, [f"{process.id}  {process.label(lang)}"], size=11, weight="bold",
             cls="caption")
    bottom = y0
    total_columns = sum(len(a.columns) + 1.6 for a in matrix) or 1
    usable = WIDTH - gap * (len(matrix) + 1)
    x = gap
    for area in matrix:
        width = usable * (len(area.columns) + 1.6) / total_columns
        bottom = max(bottom, _matrix_block(svg, area, x, y0, width, cells, rows, lang))
        x += width + gap
    y = bottom + gap
    for area in bands:
        y = _band_block(svg, area, gap, y, WIDTH - 2 * gap, rows, lang) + gap
    return svg.render(y)


def _matrix_block(svg, area, x, y, width, cells, rows, lang) -> float:
    size = 8.0
    head_w = width * 1.6 / (len(area.columns) + 1.6)
    col_w = (width - head_w) / len(area.columns)
    svg.rect(x, y, width, 20, fill=HEADING, data_area=area.id)
    svg.text(x + width / 2, y + 10, [f"{area.id}  {area.labels[lang]}"], size=9, weight="bold")
    y += 20
    col_lines = [wrap(c.labels[lang], col_w - 6, size) for c in area.columns]
    head_h = max(len(lines) for lines in col_lines) * size * 1.2 + 8
    for i, (column, lines) in enumerate(zip(area.columns, col_lines)):
        cx = x + head_w + i * col_w
        svg.rect(cx, y, col_w, head_h, fill=HEADING, data_vertical=column.iri)
        svg.text(cx + col_w / 2, y + head_h / 2, lines, size=size)
    svg.rect(x, y, head_w, head_h, fill=HEADING)
    y += head_h
    row_lines = [[row.id] + wrap(row.labels[lang], head_w - 6, size) for row in area.rows]
    row_h = max(len(lines) for lines in row_lines) * size * 1.2 + 8
    for row, lines in zip(area.rows, row_lines):
        whole = row.id in rows
        svg.rect(x, y, head_w, row_h, fill=DARK if whole else LIGHT, cls="row-heading",
                 data_row=row.id, data_highlighted=str(whole).lower())
        svg.text(x + head_w / 2, y + row_h / 2, lines, size=size,
                 fill=TEXT_DARK if whole else TEXT)
        for i, column in enumerate(area.columns):
            on = (row.id, column.iri) in cells
            svg.rect(x + head_w + i * col_w, y, col_w, row_h, fill=DARK if on else LIGHT,
                     cls="cell", data_row=row.id, data_column=column.iri,
                     data_highlighted=str(on).lower())
        y += row_h
    return y


def _band_block(svg, area, x, y, width, rows, lang) -> float:
    size = 8.0
    svg.rect(x, y, width, 20, fill=HEADING, data_area=area.id)
    svg.text(x + width / 2, y + 10, [f"{area.id}  {area.labels[lang]}"], size=9, weight="bold")
    y += 20
    cell_w = width / len(area.rows)
    lines = [[row.id] + wrap(row.labels[lang], cell_w - 6, size) for row in area.rows]
    cell_h = max(len(ls) for ls in lines) * size * 1.2 + 8
    for i, (row, ls) in enumerate(zip(area.rows, lines)):
        on = row.id in rows
        svg.rect(x + i * cell_w, y, cell_w, cell_h, fill=DARK if on else LIGHT, cls="cell",
                 data_row=row.id, data_column="", data_highlighted=str(on).lower())
        svg.text(x + i * cell_w + cell_w / 2, y + cell_h / 2, ls, size=size,
                 fill=TEXT_DARK if on else TEXT)
    return y + cell_h


# ---------------------------------------------------------------- decomposition
@dataclass
class Placed:
    id: str
    labels: dict
    columns: list[int]          # indexes into the diagram's columns (contiguous span)


def decomposition_layout(kg, process_id: str = "1.1.1") -> tuple[list[Column], list[Placed]]:
    """The children of ``process_id`` and the vertical columns each one spans."""
    from ..graph.model import get_process

    process = get_process(kg, process_id)
    chain = [r["id"] for r in kg.query("ancestors", process=process.id)] + [process.id]
    area_id = chain[0]
    columns = [Column(v["vertical"], int(v["column"]), v.get("abbreviation"), _labels(v))
               for v in kg.query("verticals", process=area_id) if v.get("column")]
    index = {c.iri: i for i, c in enumerate(columns)}
    placed, loose = [], []
    for child in kg.query("children", process=process.id):
        mine = sorted(index[v["vertical"]] for v in kg.query("verticals", process=child["id"])
                      if v["vertical"] in index)
        (placed if mine else loose).append(Placed(child["id"], _labels(child), mine))
    if loose:
        # Children whose vertical grouping the graph does not state get a column of their own.
        columns.append(Column("", len(columns) + 1, None,
                              {"ru": "Вне вертикальных групп", "en": "No vertical grouping"}))
        for item in loose:
            item.columns = [len(columns) - 1]
    return columns, placed + loose


def decomposition(kg, process_id: str = "1.1.1", lang: str = "ru") -> str:
    """Figure 3: the level-2 elements of a grouping placed in their vertical columns."""
    from ..graph.model import get_process

    process = get_process(kg, process_id)
    columns, items = decomposition_layout(kg, process.id)
    if not items:
        raise UsageError(f"{process.id} has no sub-processes to draw")
    if not columns:
        columns = [Column("", 1, None, {"ru": "", "en": ""})]
        for item in items:
            item.columns = [0]
    size, gap, pad = 8.5, 6, 8
    svg = Svg(f"{process.id} {process.label(lang)}")
    col_w = (WIDTH - 2 * pad - gap * (len(columns) - 1)) / len(columns)
    title = wrap(f"{process.id}  {process.label(lang)}", WIDTH - 2 * pad, 11)
    svg.text(WIDTH / 2, 6, title, size=11, weight="bold", valign="top", cls="caption")
    y = 14 + len(title) * 13.2
    head = [wrap(c.labels[lang] + (f" ({c.abbreviation})" if c.abbreviation else ""),
                 col_w - 8, size) for c in columns]
    head_h = max(len(h) for h in head) * size * 1.2 + 10
    for i, (column, lines) in enumerate(zip(columns, head)):
        cx = pad + i * (col_w + gap)
        svg.rect(cx, y, col_w, head_h, fill=HEADING, cls="column-heading",
                 data_vertical=column.iri)
        svg.text(cx + col_w / 2, y + head_h / 2, lines, size=size, weight="bold")
    y += head_h + gap

    def box_lines(item):
        span = len(range(item.columns[0], item.columns[-1] + 1))
        width = span * col_w + (span - 1) * gap
        return [item.id] + wrap(item.labels[lang], width - 10, size)

    box_h = max(len(box_lines(i)) for i in items) * size * 1.2 + 10
    # A spanning element goes above the single-column elements of its columns when it
    # precedes them all in ID order (1.1.1.2), below them otherwise (1.1.1.9), as in Figure 3.
    singles = [i for i in items if len(i.columns) == 1]
    order = {it.id: n for n, it in enumerate(items)}

    def above(item):
        inside = [s for s in singles if s.columns[0] in range(item.columns[0], item.columns[-1] + 1)]
        return all(order[item.id] < order[s.id] for s in inside)

    spanning = [i for i in items if len(i.columns) > 1]
    sequence = ([i for i in spanning if above(i)] + singles
                + [i for i in spanning if not above(i)])
    tops = [y] * len(columns)
    for item in sequence:
        first, last = item.columns[0], item.columns[-1]
        span = range(first, last + 1)
        top = max(tops[c] for c in span)
        bx = pad + first * (col_w + gap)
        bw = len(span) * col_w + (len(span) - 1) * gap
        svg.add("g", {"class": "element", "data-id": item.id,
                      "data-columns": " ".join(columns[c].iri for c in span)},
                _box(bx, top, bw, box_h, box_lines(item), size))
        for c in span:
            tops[c] = top + box_h + gap
    return svg.render(max(tops) + pad - gap)


def _box(x, y, w, h, lines, size) -> str:
    inner = Svg("")
    inner.rect(x, y, w, h, fill=LIGHT, rx="3")
    leading = size * 1.2
    first = y + h / 2 - (len(lines) - 1) * leading / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{_n(x + w / 2)}" y="{_n(first + i * leading)}"'
        f'{" font-weight=" + quoteattr("bold") if i == 0 else ""}>{escape(line)}</tspan>'
        for i, line in enumerate(lines))
    inner.add("text", {"font-size": _n(size), "text-anchor": "middle", "fill": TEXT}, spans)
    return "".join(inner.parts)


# ---------------------------------------------------------------- links
#: The link-layer named queries drawn by :func:`links`, with the column naming each
#: linked resource and the column with its identifier (if the query has one).
LINK_QUERIES = (
    ("applications-for-process", "application", "applicationId",
     {"ru": "Приложения (TAM, ODA)", "en": "Applications (TAM, ODA)"}),
    ("data-for-process", "entity", None,
     {"ru": "Сущности данных (SID)", "en": "Data entities (SID)"}),
    ("apis-for-process", "api", "apiId",
     {"ru": "Open API", "en": "Open APIs"}),
)
_RANK = {"high": 3, "medium": 2, "low": 1}


@dataclass
class Linked:
    iri: str
    text: str
    confidence: str
    inherited: str | None = None   # the standard element an extension inherits it from


def link_targets(kg, process_id: str, lang: str = "en") -> list[tuple[str, dict, list[Linked]]]:
    """For each link query: (query name, heading, the distinct linked resources).

    A link an element below level 2 inherits from an element above it (the link
    queries mark its routes) is marked ``inherited``; names are in ``lang`` where the
    graph has them.
    """
    from ..core.ids import natural_key
    from ..graph.model import inherited_from

    out = []
    for name, key, id_key, heading in LINK_QUERIES:
        seen: dict[str, Linked] = {}
        rows = kg.query(name, process=process_id)
        names = _names_in(kg, {row.get(key) for row in rows if row.get(key)}, lang)
        for row in rows:
            iri = row.get(key)
            if not iri:
                continue
            label = (names.get(iri) or row.get("label") or row.get(id_key or "")
                     or iri.rsplit("/", 1)[-1])
            ident = row.get(id_key) if id_key else None
            text = label if not ident or ident in label else f"{ident} {label}"
            confidence = row.get("confidence") or ""
            via = inherited_from([r for r in str(row.get("via") or "").split("; ") if r])
            old = seen.get(iri)
            if old is not None and old.inherited is None:
                via = None  # one row of the element's own: the link is its own
            if old is None or _RANK.get(confidence, 0) > _RANK.get(old.confidence, 0):
                seen[iri] = Linked(iri, text, confidence, via)
            elif via is None:
                old.inherited = None
        out.append((name, heading, sorted(seen.values(),
                                          key=lambda i: (natural_key(i.text), i.iri))))
    return out


def _names_in(kg, iris, lang: str) -> dict[str, str]:
    """The ``lang`` names (skos:prefLabel) the graph has for ``iris``."""
    import pyoxigraph as ox

    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
    rows = kg.sparql(f"""SELECT ?x ?name WHERE {{ VALUES ?x {{ {values} }}
        ?x skos:prefLabel ?name FILTER(LANGMATCHES(LANG(?name), "{lang}")) }}""")
    return {r["x"]: r["name"] for r in rows}


def links(kg, process_id: str, lang: str = "ru") -> str:
    """The element with the applications, data entities and APIs the link layer gives it."""
    from ..graph.model import get_process

    process = get_process(kg, process_id)
    groups = link_targets(kg, process.id, lang)
    size, pad, gap = 7.5, 8, 10
    svg = Svg(f"{process.id} {process.label(lang)}")
    title = [process.id] + wrap(process.label(lang), WIDTH / 2, 11)
    box_h = len(title) * 13.2 + 10
    bx, bw = WIDTH / 4, WIDTH / 2
    svg.add("g", {"class": "process", "data-id": process.id},
            _box(bx, pad, bw, box_h, title, 11).replace('fill="#ffffff"', f'fill="{HEADING}"', 1))
    col_w = (WIDTH - 2 * pad - gap * (len(groups) - 1)) / len(groups)
    top = pad + box_h + 24
    bottom = top
    for i, (name, heading, items) in enumerate(groups):
        x = pad + i * (col_w + gap)
        svg.line(WIDTH / 2, pad + box_h, x + col_w / 2, top)
        lines = wrap(f"{heading[lang]} — {len(items)}", col_w - 8, 8.5)
        head_h = len(lines) * 10.2 + 8
        svg.rect(x, top, col_w, head_h, fill=HEADING, cls="link-heading", data_query=name)
        svg.text(x + col_w / 2, top + head_h / 2, lines, size=8.5, weight="bold")
        y = top + head_h + 4
        for item in items:
            marker = f" ↑{item.inherited}" if item.inherited else ""
            ls = wrap(item.text + marker, col_w - 10, size)
            h = len(ls) * size * 1.2 + 6
            dash = None if item.confidence in ("high", "") else "3 2"
            svg.add("g", {"class": "linked", "data-query": name, "data-iri": item.iri,
                          "data-confidence": item.confidence or None,
                          "data-inherited-from": item.inherited},
                    f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(col_w)}" height="{_n(h)}" '
                    f'fill="{LIGHT}" stroke="{LINE}" stroke-width="0.8"'
                    + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                    + _text_left(x + 5, y + 3, ls, size))
            y += h + 3
        if not items:
            svg.text(x + col_w / 2, y + 8, ["—"], size=size)
            y += 16
        bottom = max(bottom, y)
    note = {"ru": "пунктир — средняя или низкая достоверность связи",
            "en": "dashed — medium or low confidence of the link"}[lang]
    if any(i.inherited for _, _, items in groups for i in items):
        note += {"ru": "; ↑ — унаследовано от элемента выше",
                 "en": "; ↑ — inherited from the element above"}[lang]
    svg.text(pad, bottom + 6, [note], size=7, anchor="start", valign="top")
    return svg.render(bottom + 20)


def _text_left(x, y, lines, size) -> str:
    spans = "".join(f'<tspan x="{_n(x)}" y="{_n(y + size + i * size * 1.2)}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text font-size="{_n(size)}" fill="{TEXT}">{spans}</text>'
