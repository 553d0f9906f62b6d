"""A static HTML documentation site of the ontology, the processes and the SHACL rules.

The TBox page is made by pyLODE (OntPub profile); the process pages and the list
of SHACL rules are written here from the graph with the named queries, so an
element of a user extension gets its own page. Links between pages are relative,
and every page is written with :func:`etom_kg.io.atomic.atomic_write`.
"""
from __future__ import annotations

import html
from pathlib import Path

from . import diagrams
from ..core.namespaces import SHIPPED_PREFIX
from ..core.errors import InputError
from ..io.atomic import atomic_write

LANGS = ("ru", "en")
CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;
line-height:1.4;color:#111}h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc}
section.lang{margin-top:1.5em}svg{max-width:100%;height:auto}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}
.id{font-family:"DejaVu Sans Mono",monospace}nav a{margin-right:1em}ol li{margin:.2em 0}"""

WORDS = {
    "ru": {"parent": "Родитель", "children": "Декомпозиция", "verticals": "Вертикальные группы",
           "pictogram": "Пиктограмма", "characteristic": "Функциональная характеристика",
           "definition": "Определение", "functions": "Функции", "handoffs": "Передачи",
           "to": "передаёт в", "from": "получает от", "links": "Связи",
           "none": "нет", "decomposition": "Диаграмма декомпозиции"},
    "en": {"parent": "Parent", "children": "Decomposition", "verticals": "Vertical groupings",
           "pictogram": "Pictogram", "characteristic": "Functional characteristic",
           "definition": "Definition", "functions": "Functions", "handoffs": "Hand-offs",
           "to": "hands over to", "from": "receives from", "links": "Links",
           "none": "none", "decomposition": "Decomposition diagram"},
}


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def page(title: str, body: str, root: str = "") -> str:
    nav = (f'<nav><a href="{root}index.html">Index</a><a href="{root}ontology.html">Ontology</a>'
           f'<a href="{root}shapes.html">SHACL rules</a></nav>')
    return ("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_e(title)}</title>\n<link rel=\"stylesheet\" href=\"{root}style.css\">\n"
            f"</head>\n<body>\n{nav}\n{body}\n</body>\n</html>\n")


def process_file(process_id: str) -> str:
    """Relative path of a process page, from the site root."""
    return f"process/{process_id}.html"


def processes(kg) -> list[str]:
    """Every process with an ID: the areas and everything below them, parents first."""
    ids = []
    for area in diagrams.frame(kg):
        ids.append(area.id)
        ids += [r["id"] for r in kg.query("descendants", process=area.id)]
    return ids


def _inline_svg(svg: str) -> str:
    """An SVG document as an inline element (no XML declaration, no fixed mm size)."""
    body = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return body


def process_page(kg, process_id: str, known: set[str], with_links: bool) -> str:
    process = kg.process(process_id)

    def ref(pid, labels, lang):
        label = _e(labels.get(lang) or next(iter(labels.values()), ""))
        if pid in known:
            return f'<a class="id" href="{_e(pid)}.html">{_e(pid)}</a> {label}'
        return f'<span class="id">{_e(pid or "")}</span> {label}'

    groups = diagrams.link_targets(kg, process.id) if with_links else []
    title = f"{process.id} {process.label('ru')} / {process.label('en')}"
    parts = [f"<h1><span class=\"id\">{_e(process.id)}</span> {_e(process.label('ru'))}<br>"
             f"{_e(process.label('en'))}</h1>"]
    for lang in LANGS:
        w = WORDS[lang]
        out = [f'<section class="lang" lang="{lang}" id="{lang}">',
               f"<h2>{_e(process.label(lang))} ({lang})</h2>"]
        if process.parent:
            out.append(f"<p>{w['parent']}: {ref(process.parent.id, process.parent.labels, lang)}</p>")
        if process.verticals:
            out.append(f"<p>{w['verticals']}: "
                       + "; ".join(_e(v.label(lang)) for v in process.verticals) + "</p>")
        out.append(f"<h3>{w['pictogram']}</h3>")
        out.append(_inline_svg(diagrams.pictogram(kg, process.id, lang)))
        text = process.definitions.get(lang)
        if text:
            out.append(f"<h3>{w['characteristic'] if process.functions else w['definition']}</h3>"
                       f"<p>{_e(text)}</p>")
        if process.functions:
            out.append(f"<h3>{w['functions']}</h3><ol>")
            out += [f'<li value="{f.order}">{_e(f.labels.get(lang, ""))}</li>'
                    if f.order else f"<li>{_e(f.labels.get(lang, ''))}</li>"
                    for f in process.functions]
            out.append("</ol>")
        if process.children:
            out.append(f"<h3>{w['children']}</h3><ul>")
            out += [f"<li>{ref(c.id, c.labels, lang)}</li>" for c in process.children]
            out.append("</ul>")
            if any(c.id for c in process.children):
                out.append(f"<h4>{w['decomposition']}</h4>")
                out.append(_inline_svg(diagrams.decomposition(kg, process.id, lang)))
        if process.handoffs:
            out.append(f"<h3>{w['handoffs']}</h3><ul>")
            for h in process.handoffs:
                verb = w["to"] if h.direction == "out" else w["from"]
                subject = _e(h.subject.get(lang) or next(iter(h.subject.values()), ""))
                out.append(f"<li>{verb} {ref(h.other.id, h.other.labels, lang)}: {subject}</li>")
            out.append("</ul>")
        if groups:
            out.append(f"<h3>{w['links']}</h3>")
            for _name, heading, items in groups:
                out.append(f"<h4>{_e(heading[lang])}</h4>")
                if not items:
                    out.append(f"<p>{w['none']}</p>")
                    continue
                out.append("<ul>")
                out += [f'<li>{_e(i.text)} <small>({_e(i.confidence)}; '
                        f'<span class="iri">{_e(i.iri)}</span>)</small></li>' for i in items]
                out.append("</ul>")
        out.append("</section>")
        parts += out
    return page(title, "\n".join(parts), root="../")


def shapes_page() -> str:
    """Every shipped SHACL shape with an IRI: its severity, targets and messages."""
    import rdflib
    from rdflib.namespace import RDF, RDFS, SH

    from ..core.resources import data_files

    graph = rdflib.Graph()
    files = data_files("shapes", "*.ttl")
    for path in files:
        graph.parse(path, format="turtle")
    shapes = sorted({s for s in graph.subjects(RDF.type, SH.NodeShape)}
                    | {s for s in graph.subjects(RDF.type, SH.PropertyShape)}, key=str)
    shapes = [s for s in shapes if isinstance(s, rdflib.URIRef)]
    rows = []
    for shape in shapes:
        severity = graph.value(shape, SH.severity) or SH.Violation
        targets = sorted(str(t) for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                          SH.targetObjectsOf) for t in graph.objects(shape, p))

        def texts(prop, node=shape):
            found = {}
            for lit in graph.objects(node, prop):
                found.setdefault(getattr(lit, "language", None) or "", str(lit))
            return found

        messages = texts(SH.message)
        for nested in graph.objects(shape, SH.property):
            for lang, text in texts(SH.message, nested).items():
                messages.setdefault(lang, text)
        for nested in graph.objects(shape, SH.sparql):
            for lang, text in texts(SH.message, nested).items():
                messages.setdefault(lang, text)
        comment = texts(RDFS.comment) or texts(SH.description)
        label = texts(RDFS.label) or texts(SH.name)
        name = str(shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        rows.append(
            f'<tr id="{_e(name)}"><td class="id">{_e(name)}</td>'
            f"<td>{_e(str(severity).rsplit('#', 1)[-1])}</td>"
            f"<td>{'<br>'.join(_e(t) for t in targets)}</td>"
            + "".join(f"<td lang=\"{lang}\">{_e(label.get(lang, ''))}"
                      f"{'<br>' if label.get(lang) else ''}{_e(comment.get(lang, ''))}"
                      f"{'<br><i>' + _e(messages[lang]) + '</i>' if messages.get(lang) else ''}</td>"
                      for lang in LANGS)
            + "</tr>")
    body = ("<h1>SHACL rules / Правила SHACL</h1>"
            f"<p>{len(rows)} shapes from {', '.join(_e(p.name) for p in files)}.</p>"
            "<table><tr><th>Shape</th><th>Severity</th><th>Targets</th>"
            "<th>Описание и сообщение (ru)</th><th>Description and message (en)</th></tr>"
            + "\n".join(rows) + "</table>")
    return page("SHACL rules", body)


def ontology_page(kg) -> str:
    """The TBox (ontology/etom.ttl) documented by pyLODE's OntPub profile."""
    import logging

    import rdflib

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub  # pyLODE configures root logging on import: undone below
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    import pyoxigraph as ox

    data = kg.store.dump(format=ox.RdfFormat.N_TRIPLES,
                         from_graph=ox.NamedNode(SHIPPED_PREFIX + "etom"))
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return _fix_dangling_anchors(OntPub(ontology=graph, sort_subjects=True).make_html())


def _fix_dangling_anchors(text: str) -> str:
    """Point pyLODE's in-page links to absent anchors at the IRI they display.

    pyLODE 3.3 links an IRI that merely shares the ontology's base (the version IRI
    ``…/ontology/0.1.0``) as ``#0.1.0``, an anchor that does not exist on the page.
    """
    import re

    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def repair(match):
        fragment, label = match.group(1), match.group(2)
        if fragment in ids or not re.match(r"https?://", label):
            return match.group(0)
        return f'<a href="{label}">{label}</a>'

    return re.sub(r'<a href="#([^"]+)">([^<]*)</a>', repair, text)


def index_page(kg, ids: list[str]) -> str:
    items = []
    for pid in ids:
        row = kg.query("element", process=pid)[0]
        depth = pid.count(".") - 1
        items.append(f'<li style="margin-left:{depth * 1.5}em"><a class="id" '
                     f'href="{process_file(pid)}">{_e(pid)}</a> {_e(row.get("labelRu") or "")}'
                     f' — {_e(row.get("labelEn") or "")}</li>')
    body = ("<h1>etom-kg: eTOM CRM (ГОСТ Р 53633.3-2009)</h1>"
            '<p><a href="ontology.html">Ontology (classes and properties)</a> · '
            '<a href="shapes.html">SHACL rules</a></p>'
            "<h2>Процессы / Processes</h2><ul>" + "\n".join(items) + "</ul>")
    return page("etom-kg", body)


def build(kg, out_dir, *, links: bool = True) -> list[Path]:
    """Write the site into ``out_dir`` (created if missing); return the files written.

    ``links`` adds the applications, data entities and APIs of each level-2 (and
    deeper) element from the link-layer queries.
    """
    out = Path(out_dir)
    ids = processes(kg)
    known = set(ids)
    # Everything is rendered before the first file is written, so a failure on the
    # way (bad extension, unknown process) leaves the output folder untouched.
    contents = {"style.css": CSS + "\n", "index.html": index_page(kg, ids),
                "shapes.html": shapes_page(), "ontology.html": ontology_page(kg)}
    for pid in ids:
        level = kg.query("element", process=pid)[0].get("level")
        with_links = links and (level or 0) >= 2
        contents[process_file(pid)] = process_page(kg, pid, known, with_links)
    try:
        (out / "process").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror}", path=out) from None
    return [atomic_write(out / name, text) for name, text in contents.items()]
