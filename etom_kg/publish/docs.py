"""A static HTML documentation site: processes, vocabularies, ontology, SHACL rules.

Every page is written here from the graph (named queries for what they answer,
a few bulk queries for the rest), so an element of a user extension gets its
page, its place in the index tree and a mark saying where it comes from. One
page per resource, with a ru/en switch (``site/site.js``) rather than the text
twice; a client-side search over IDs and names reads ``search-index.js``.
Nothing is fetched from the network. pyLODE's view of the TBox is added as
``ontology-pylode.html`` when the ``docs`` extra is installed.

Links between pages are relative; every page is rendered before the first
file is written, and each file is written with :func:`etom_kg.io.atomic.atomic_write`.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import diagrams
from ..core.errors import EtomKgError, InputError, UnknownProcess
from ..core.ids import ProcessId
from ..core.namespaces import ETOM, ONTOLOGY, PREFIXES, SCHEME, SHIPPED_PREFIX
from ..io.atomic import atomic_write

LANGS = ("ru", "en")
#: Diagrams are shown at a width where their smallest text is at least this many CSS px.
MIN_TEXT_PX = 11
#: Routes shown in a link table before the rest is folded away.
MAX_ROUTES = 1

WORDS = {
    "site": ("eTOM: управление взаимоотношениями с клиентами (ГОСТ Р 53633.3-2009)",
             "eTOM Customer Relationship Management (GOST R 53633.3-2009)"),
    "processes": ("Процессы", "Processes"),
    "decomposition-tree": ("Декомпозиция процессов", "Process decomposition"),
    "vocabularies": ("Словари", "Vocabularies"),
    "glossary": ("Глоссарий", "Glossary"),
    "ontology": ("Онтология", "Ontology"),
    "shapes": ("Правила SHACL", "SHACL rules"),
    "search": ("Поиск: ID или название (/)", "Search: ID or name (/)"),
    "parent": ("Родитель", "Parent"),
    "level": ("Уровень", "Level"),
    "level-n": ("уровень", "level"),
    "kind": ("Вид", "Kind"),
    "children": ("Декомпозиция", "Decomposition"),
    "verticals": ("Вертикальные группы", "Vertical groupings"),
    "source": ("Источник", "Source"),
    "pictogram": ("Пиктограмма", "Pictogram"),
    "pictogram-note": ("Место элемента в структуре eTOM уровня 1 (затемнено).",
                       "Where the element sits in the level-1 eTOM structure (darkened)."),
    "characteristic": ("Функциональная характеристика", "Functional characteristic"),
    "definition": ("Определение", "Definition"),
    "functions": ("Функции", "Functions"),
    "handoffs": ("Передачи между процессами", "Hand-offs"),
    "direction": ("Направление", "Direction"),
    "process": ("Процесс", "Process"),
    "what": ("Что передаётся", "What is handed over"),
    "to": ("передаёт в", "hands over to"),
    "from": ("получает от", "receives from"),
    "links": ("Связи с моделями TM Forum", "Links to the TM Forum models"),
    "no-links": ("нет связей", "no links"),
    "decomposition": ("Диаграмма декомпозиции", "Decomposition diagram"),
    "extension": ("расширение", "extension"),
    "extension-from": ("Элемент расширения из файла", "Extension element from the file"),
    "extension-note": ("Элементы расширения (--data) отмечены знаком «расширение».",
                       "Elements of an extension (--data) are marked “extension”."),
    "id": ("ID", "ID"),
    "name": ("Наименование", "Name"),
    "confidence": ("Достоверность", "Confidence"),
    "basis": ("Основание", "Basis"),
    "route": ("Маршрут", "Route"),
    "block": ("Функциональный блок", "Functional block"),
    "domain": ("Домен SID", "SID domain"),
    "role": ("Роль", "Role"),
    "not-certain": ("не подтверждено", "not certain"),
    "not-certain-note": (
        "Связи средней и низкой достоверности — сопоставления проекта или косвенные маршруты "
        "(таблица соответствия релизов, совместное отнесение); TM Forum их не подтверждает.",
        "Medium and low confidence links are project mappings or indirect routes (release "
        "crosswalk, co-assignment), not confirmed by TM Forum."),
    "more": ("ещё", "more"),
    "inherited": ("унаследовано от", "inherited from"),
    "inherited-note": (
        "Связи с пометкой ↑ унаследованы от элемента выше по иерархии (у элемента уровня 3 "
        "и у элемента расширения); собственные связи элемента показаны без пометки.",
        "Links marked ↑ are inherited from an element higher up (for a level-3 element and "
        "for an extension element); the element's own links carry no mark."),
    "no-picture": ("Рисунок не построен", "No picture"),
    "concepts": ("понятий", "concepts"),
    "term": ("Термин", "Term"),
    "term-kind": ("термин", "term"),
    "alt": ("Синонимы", "Also called"),
    "note": ("Примечание", "Note"),
    "embodied": ("Воплощают", "Embodied by"),
    "broader": ("Входит в", "Broader"),
    "type": ("Тип", "Type"),
    "defined-in": ("Файл", "File"),
    "version": ("Версия", "Version"),
    "license": ("Лицензия", "Licence"),
    "classes": ("Классы", "Classes"),
    "object-properties": ("Объектные свойства", "Object properties"),
    "datatype-properties": ("Свойства-значения", "Datatype properties"),
    "annotation-properties": ("Свойства-аннотации", "Annotation properties"),
    "datatypes": ("Типы данных", "Datatypes"),
    "individuals": ("Именованные индивиды", "Named individuals"),
    "reused": ("Используемые внешние термины", "Terms reused from other vocabularies"),
    "subclass-of": ("Подкласс", "Subclass of"),
    "subclasses": ("Подклассы", "Subclasses"),
    "disjoint": ("Не пересекается с", "Disjoint with"),
    "equivalent": ("Эквивалентен", "Equivalent to"),
    "domain-of": ("Область определения", "Domain"),
    "range": ("Область значений", "Range"),
    "inverse": ("Обратное", "Inverse of"),
    "chain": ("Цепочка свойств", "Property chain"),
    "subproperty-of": ("Подсвойство", "Subproperty of"),
    "characteristics": ("Характеристики", "Characteristics"),
    "anonymous": ("выражение класса (см. Turtle)", "class expression (see the Turtle)"),
    "pylode": ("То же в представлении pyLODE (на английском)",
               "The same as documented by pyLODE (in English)"),
    "shape": ("Форма", "Shape"),
    "severity": ("Серьёзность", "Severity"),
    "targets": ("Цели", "Targets"),
    "description": ("Описание и сообщение", "Description and message"),
    "shapes-intro": ("форм SHACL из файлов", "SHACL shapes from the files"),
    "Violation": ("нарушение", "Violation"),
    "Warning": ("предупреждение", "Warning"),
    "Info": ("сведения", "Info"),
    "footer": ("Сайт построен командой etom-kg docs из графа знаний etom-kg",
               "Built by etom-kg docs from the etom-kg knowledge graph"),
}

#: Words of the link routes the link queries spell in English (``… via exactMatch and …``).
ROUTE_WORDS_RU = {"GOST": "ГОСТ", "release crosswalk": "соответствие релизов", "via": "через",
                  "and": "и"}

#: Element IDs the page frame uses: a concept's anchor never takes one of them.
PAGE_IDS = frozenset({"search", "q", "hits", "tree", "vocabularies"})
_KIND_CLASSES = (ETOM + "ProcessArea", ETOM + "HorizontalProcessGrouping",
                 ETOM + "ProcessGrouping", ETOM + "ProcessElement")
_LINK_RANK = {"high": 3, "medium": 2, "low": 1}


# --------------------------------------------------------------------------- html bits
def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _word(key: str) -> dict:
    ru, en = WORDS[key]
    return {"ru": ru, "en": en}


def tr(texts: dict | None, tag: str = "span", cls: str = "") -> str:
    """Text in the reader's language: one element per language, the switch shows one.

    A text missing in one language is shown (tagged with its own language) in both.
    """
    texts = texts or {}
    extra = f" {cls}" if cls else ""
    ru, en = texts.get("ru"), texts.get("en")
    if ru and en and ru != en:
        return (f'<{tag} class="lang-ru{extra}" lang="ru">{_e(ru)}</{tag}>'
                f'<{tag} class="lang-en{extra}" lang="en">{_e(en)}</{tag}>')
    only = ru or en or ""
    attrs = f' class="{cls}"' if cls else ""
    return f'<{tag}{attrs} lang="{"ru" if ru else "en"}">{_e(only)}</{tag}>'


def w(key: str, tag: str = "span", cls: str = "") -> str:
    """An interface word in both languages (one shown)."""
    return tr(_word(key), tag, cls)


def _both(texts: dict, sep: str = " · ") -> str:
    """Plain text naming both languages (titles, search index)."""
    seen = []
    for lang in LANGS:
        if texts.get(lang) and texts[lang] not in seen:
            seen.append(texts[lang])
    return sep.join(seen)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("site", name).read_text(encoding="utf-8")


def page(titles: dict, body: str, root: str = "", nav: list | None = None) -> str:
    """A complete page: the header (site name, menu, search, ru/en switch), ``body``, footer."""
    links = "".join(f'<a href="{root}{href}">{tr(label)}</a>' for href, label in (nav or []))
    title = {lang: f"{titles.get(lang) or titles.get('en') or titles.get('ru')} — etom-kg"
             for lang in LANGS}
    placeholder = _word("search")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="ru" data-lang="ru" data-root="{root}" data-title-ru="{_e(title["ru"])}" '
        f'data-title-en="{_e(title["en"])}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title['ru'])}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{root}style.css">\n'
        f'<script src="{root}site.js"></script>\n'
        f'<script src="{root}search-index.js" defer></script>\n'
        "</head>\n<body>\n"
        '<header class="top"><div class="bar">'
        f'<a class="brand" href="{root}index.html">etom-kg</a>'
        f'<nav class="site">{links}</nav>'
        '<form class="search" id="search" role="search" autocomplete="off">'
        f'<input type="search" id="q" aria-label="search" placeholder="{_e(placeholder["ru"])}" '
        f'data-placeholder-ru="{_e(placeholder["ru"])}" '
        f'data-placeholder-en="{_e(placeholder["en"])}">'
        '<ul class="hits" id="hits"></ul></form>'
        '<div class="langs" role="group" aria-label="language">'
        '<button type="button" data-set-lang="ru" aria-pressed="true">RU</button>'
        '<button type="button" data-set-lang="en" aria-pressed="false">EN</button></div>'
        "</div></header>\n"
        f"<main>\n{body}\n</main>\n"
        f'<footer><div>{w("footer")}.</div></footer>\n'
        "</body>\n</html>\n")


def _svg_figure(svgs: dict[str, str], caption: dict | None = None, cls: str = "") -> str:
    """Inline SVGs (one per language) sized so that their smallest text is legible.

    The drawings say ``width="180mm"`` (print); on screen a fixed pixel width is
    computed from the smallest ``font-size`` in user units. A figure wider than the
    column scrolls inside itself, so the page never grows wider than the window.
    """
    parts = []
    for lang, svg in svgs.items():
        svg = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
        head_end = svg.index(">")
        head, rest = svg[:head_end], svg[head_end:]
        box = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', head)
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
        if box:
            vw, vh = float(box.group(3)), float(box.group(4))
            width = math.ceil(vw * MIN_TEXT_PX / min(sizes)) if sizes else math.ceil(vw)
            height = math.ceil(vh * width / vw)
            head = re.sub(r'\s(width|height)="[^"]*"', "", head)
            head += f' width="{width}" height="{height}"'
        head += f' class="lang-{lang}" lang="{lang}" role="img"'
        parts.append(head + rest.rstrip())
    caption_html = f"<figcaption>{tr(caption)}</figcaption>" if caption else ""
    return (f'<figure class="{" ".join(("diagram", cls)).strip()}">' + "\n".join(parts)
            + caption_html + "</figure>")


def _table(headers: list[str], rows: list[list[str]], cls: str = "",
           widths: tuple[int, ...] = ()) -> str:
    """A table; ``widths`` (per cent per column) fix the layout so long cells wrap."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cols = ("<colgroup>" + "".join(f'<col style="width:{x}%">' for x in widths) + "</colgroup>"
            if widths else "")
    fixed = " fixed" if widths else ""
    return (f'<div class="table-wrap"><table class="{cls}{fixed}">{cols}<thead><tr>{head}</tr>'
            f"</thead><tbody>\n{body}\n</tbody></table></div>")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _curie(iri: str) -> str:
    for prefix, base in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(base) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(base):] or "-"):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def _langs(row, stem: str) -> dict:
    return {lang: str(row[stem + suffix]) for lang, suffix in (("ru", "Ru"), ("en", "En"))
            if row.get(stem + suffix)}


def _values(variable: str, iris) -> str:
    import pyoxigraph as ox

    return f"VALUES ?{variable} {{ {' '.join(str(ox.NamedNode(i)) for i in sorted(set(iris)))} }}"


def _labels_of(kg, iris) -> dict[str, dict]:
    """ru/en names (skos:prefLabel, else rdfs:label) of resources, in one query."""
    iris = [i for i in set(iris) if i]
    if not iris:
        return {}
    rows = kg.sparql(f"""SELECT ?x ?pRu ?pEn ?lRu ?lEn WHERE {{ {_values("x", iris)}
        OPTIONAL {{ ?x skos:prefLabel ?pRu FILTER(LANGMATCHES(LANG(?pRu), "ru")) }}
        OPTIONAL {{ ?x skos:prefLabel ?pEn FILTER(LANGMATCHES(LANG(?pEn), "en")) }}
        OPTIONAL {{ ?x rdfs:label ?lRu FILTER(LANGMATCHES(LANG(?lRu), "ru")) }}
        OPTIONAL {{ ?x rdfs:label ?lEn FILTER(LANGMATCHES(LANG(?lEn), "en")) }} }}""")
    out: dict[str, dict] = {}
    for r in rows:
        names = out.setdefault(r["x"], {})
        for lang, keys in (("ru", ("pRu", "lRu")), ("en", ("pEn", "lEn"))):
            value = next((r[k] for k in keys if r.get(k)), None)
            if value and (lang not in names or value < names[lang]):
                names[lang] = str(value)
    return out


def _file_of(graph: str) -> str:
    """A short name for a named graph: the file it was read from."""
    if graph.startswith(SHIPPED_PREFIX):
        return f"ontology/{graph[len(SHIPPED_PREFIX):]}.ttl"
    if graph.startswith("file:"):
        return Path(unquote(urlsplit(graph).path)).name
    return graph


# --------------------------------------------------------------------------- the model
@dataclass
class Node:
    """A process with a valid ID, as the site shows it."""

    iri: str
    id: str
    labels: dict
    definitions: dict
    level: int | None
    graph: str
    parent_iri: str | None = None
    kind: dict = field(default_factory=dict)
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)

    @property
    def extension(self) -> bool:
        return not self.graph.startswith(SHIPPED_PREFIX)

    @property
    def file(self) -> str:
        return f"process/{self.id}.html"

    def chain(self) -> list["Node"]:
        out, node = [], self.parent
        while node is not None and node not in out:
            out.insert(0, node)
            node = node.parent
        return out


def read_processes(kg, notes: list[str] | None = None) -> dict[str, Node]:
    """Every process (a member of an etom:Process class or below a process area) with an ID.

    Notations are read as strings, so an extension's plain ``"1.1.1.5.1"`` is found
    as well as ``"1.1.1.5.1"^^etom:ProcessId``; a notation that is not a process ID
    (clause 5.2) gets no page and a note.
    """
    rows = kg.sparql("""SELECT ?iri ?id ?level ?labelRu ?labelEn ?definitionRu ?definitionEn
                               ?parent ?graph WHERE {
        { ?iri a/rdfs:subClassOf* etom:Process } UNION { ?iri skos:broader+/a etom:ProcessArea }
        GRAPH ?graph { ?iri skos:notation ?notation }
        BIND(STR(?notation) AS ?id)
        OPTIONAL { ?iri etom:level ?level }
        OPTIONAL { ?iri skos:prefLabel ?labelRu FILTER(LANGMATCHES(LANG(?labelRu), "ru")) }
        OPTIONAL { ?iri skos:prefLabel ?labelEn FILTER(LANGMATCHES(LANG(?labelEn), "en")) }
        OPTIONAL { ?iri skos:definition ?definitionRu
                   FILTER(LANGMATCHES(LANG(?definitionRu), "ru")) }
        OPTIONAL { ?iri skos:definition ?definitionEn
                   FILTER(LANGMATCHES(LANG(?definitionEn), "en")) }
        OPTIONAL { ?iri skos:broader ?parent FILTER EXISTS { ?parent skos:notation ?pn } }
    } ORDER BY ?iri ?graph ?parent ?labelRu ?labelEn ?definitionRu ?definitionEn""")
    by_iri: dict[str, Node] = {}
    by_id: dict[str, Node] = {}
    notes = notes if notes is not None else []
    # The standard keeps its IDs: an extension element reusing one is the one left out.
    for r in sorted(rows, key=lambda r: not r["graph"].startswith(SHIPPED_PREFIX)):
        iri, text = r["iri"], str(r["id"]).strip()
        if iri in by_iri:
            continue
        try:
            pid = ProcessId.parse(text)
        except EtomKgError:
            notes.append(f"no page for {iri}: its notation {text!r} is not a process ID")
            by_iri[iri] = None
            continue
        if str(pid) in by_id:
            notes.append(f"no page for {iri}: ID {pid} is already the ID of {by_id[str(pid)].iri}")
            by_iri[iri] = None
            continue
        level = r.get("level")
        node = Node(iri, str(pid), _langs(r, "label"), _langs(r, "definition"),
                    int(level) if isinstance(level, int) else pid.level, r["graph"],
                    r.get("parent"))
        by_iri[iri] = by_id[node.id] = node
    for node in by_id.values():
        parent = by_iri.get(node.parent_iri) if node.parent_iri else None
        if parent is not None and parent is not node:
            node.parent = parent
            parent.children.append(node)
    for node in by_id.values():
        node.children.sort(key=lambda n: ProcessId.parse(n.id).sort_key())
    if by_id:
        iris = _values("x", [n.iri for n in by_id.values()])
        kinds = kg.sparql(f"SELECT ?x ?type WHERE {{ {iris} ?x a ?type }}")
        found: dict[str, set] = {}
        for r in kinds:
            found.setdefault(r["x"], set()).add(r["type"])
        labels = _labels_of(kg, _KIND_CLASSES)
        for node in by_id.values():
            kind = next((k for k in _KIND_CLASSES if k in found.get(node.iri, ())), None)
            node.kind = labels.get(kind, {}) if kind else {}
    return dict(sorted(by_id.items(), key=lambda item: ProcessId.parse(item[0]).sort_key()))


@dataclass
class Scheme:
    iri: str
    slug: str
    labels: dict
    definitions: dict
    graph: str
    concepts: list[dict] = field(default_factory=list)
    pure: bool = True       # only skos:Concept members: a glossary, not a TM Forum model

    @property
    def file(self) -> str:
        return f"scheme/{self.slug}.html"


def read_schemes(kg) -> list[Scheme]:
    """Every skos:ConceptScheme other than the process schemes, with its concepts."""
    rows = kg.sparql("""SELECT ?s ?graph ?labelRu ?labelEn ?definitionRu ?definitionEn WHERE {
        GRAPH ?graph { ?s a skos:ConceptScheme }
        OPTIONAL { ?s skos:prefLabel|rdfs:label|dcterms:title ?labelRu
                   FILTER(LANGMATCHES(LANG(?labelRu), "ru")) }
        OPTIONAL { ?s skos:prefLabel|rdfs:label|dcterms:title ?labelEn
                   FILTER(LANGMATCHES(LANG(?labelEn), "en")) }
        OPTIONAL { ?s skos:definition|dcterms:description ?definitionRu
                   FILTER(LANGMATCHES(LANG(?definitionRu), "ru")) }
        OPTIONAL { ?s skos:definition|dcterms:description ?definitionEn
                   FILTER(LANGMATCHES(LANG(?definitionEn), "en")) }
    } ORDER BY ?s ?graph""")
    processes = {r["s"] for r in kg.sparql("""SELECT DISTINCT ?s WHERE {
        VALUES ?top { etom:Process etom:TmfProcessElement etom:VerticalProcessGrouping }
        ?k rdfs:subClassOf* ?top . ?m a ?k ; skos:inScheme|skos:topConceptOf ?s }""")}
    schemes: dict[str, Scheme] = {}
    slugs: set[str] = set()
    for r in rows:
        if (r["s"] in schemes or r["s"] in processes
                or not r["s"].startswith(("http://", "https://", "urn:"))):
            continue
        slug = _slug(_local(r["s"])).lower()
        while slug in slugs:
            slug += "-x"
        slugs.add(slug)
        schemes[r["s"]] = Scheme(r["s"], slug, _langs(r, "label") or {"en": _local(r["s"])},
                                 _langs(r, "definition"), r["graph"])
    if not schemes:
        return []
    concepts = kg.sparql(f"""SELECT ?s ?c ?notation ?identifier ?labelRu ?labelEn
                                    ?definitionRu ?definitionEn ?graph WHERE {{
        {_values("s", schemes)}
        ?c skos:inScheme|skos:topConceptOf ?s .
        OPTIONAL {{ GRAPH ?graph {{ ?c skos:prefLabel ?anyLabel }} }}
        OPTIONAL {{ ?c skos:notation ?n BIND(STR(?n) AS ?notation) }}
        OPTIONAL {{ ?c dcterms:identifier ?i BIND(STR(?i) AS ?identifier) }}
        OPTIONAL {{ ?c skos:prefLabel ?labelRu FILTER(LANGMATCHES(LANG(?labelRu), "ru")) }}
        OPTIONAL {{ ?c skos:prefLabel ?labelEn FILTER(LANGMATCHES(LANG(?labelEn), "en")) }}
        OPTIONAL {{ ?c skos:definition ?definitionRu
                    FILTER(LANGMATCHES(LANG(?definitionRu), "ru")) }}
        OPTIONAL {{ ?c skos:definition ?definitionEn
                    FILTER(LANGMATCHES(LANG(?definitionEn), "en")) }}
    }} ORDER BY ?s ?c ?graph ?notation ?identifier ?labelRu ?labelEn""")
    extra = kg.sparql(f"""SELECT ?c ?p ?o WHERE {{ {_values("s", schemes)}
        ?c skos:inScheme|skos:topConceptOf ?s .
        {{ ?c skos:altLabel ?o BIND("alt" AS ?p) }}
        UNION {{ ?c skos:broader ?o BIND("broader" AS ?p) }}
        UNION {{ ?c a ?o BIND("type" AS ?p) }}
        UNION {{ ?c dcterms:source ?o FILTER(isIRI(?o)) BIND("source" AS ?p) }}
        UNION {{ ?o dcterms:subject ?c BIND("subject-of" AS ?p) }} }}""")
    notes: dict[str, dict[str, list[str]]] = {}
    for r in kg.sparql(f"""SELECT DISTINCT ?c ?note ?lang WHERE {{ {_values("s", schemes)}
            ?c skos:inScheme|skos:topConceptOf ?s ; skos:scopeNote ?n .
            BIND(STR(?n) AS ?note) BIND(LCASE(LANG(?n)) AS ?lang) }} ORDER BY ?c ?note"""):
        lang = next((code for code in LANGS if str(r.get("lang") or "").startswith(code)), "")
        for code in (lang,) if lang else LANGS:
            notes.setdefault(r["c"], {}).setdefault(code, []).append(str(r["note"]))
    facts: dict[str, dict[str, list]] = {}
    for r in extra:
        facts.setdefault(r["c"], {}).setdefault(r["p"], []).append(r["o"])
    seen: set[tuple[str, str]] = set()
    anchors: dict[str, set] = {}
    for r in concepts:
        scheme = schemes[r["s"]]
        if (scheme.iri, r["c"]) in seen:
            continue
        seen.add((scheme.iri, r["c"]))
        mine = facts.get(r["c"], {})
        types = {t for t in mine.get("type", ()) if t.startswith(ETOM)}
        scheme.pure &= not types
        used = anchors.setdefault(scheme.iri, set(PAGE_IDS))
        anchor = _slug(_local(r["c"]))
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        scheme.concepts.append({
            "iri": r["c"], "anchor": anchor, "notation": r.get("notation") or r.get("identifier"),
            "labels": _langs(r, "label"), "definitions": _langs(r, "definition"),
            "alt": sorted({str(a) for a in mine.get("alt", ())}),
            "broader": sorted(mine.get("broader", ())), "types": sorted(types),
            "notes": {k: " ".join(v) for k, v in notes.get(r["c"], {}).items()},
            "sources": sorted(mine.get("source", ())),
            "subject-of": sorted(mine.get("subject-of", ())),
            "graph": r.get("graph") or scheme.graph})
    for scheme in schemes.values():
        scheme.concepts.sort(key=_concept_key)
    return sorted(schemes.values(), key=lambda s: (not s.pure, _both(s.labels).lower(), s.iri))


def _concept_key(concept: dict):
    parts = re.findall(r"\d+|\D+", concept["notation"] or "")
    numeric = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
    name = (concept["labels"].get("ru") or concept["labels"].get("en") or "").lower()
    return (concept["notation"] is None, numeric, name, concept["iri"])


# --------------------------------------------------------------------------- the site
class _Remembering:
    """The graph, with the answers of named queries kept for the build.

    A site asks the same questions again and again (every pictogram reads the
    level-1 frame); the graph does not change while the site is built.
    """

    def __init__(self, kg):
        self._kg = kg
        self._answers: dict = {}

    def query(self, name: str, **params):
        key = (name, tuple(sorted((k, str(v)) for k, v in params.items())))
        if key not in self._answers:
            self._answers[key] = self._kg.query(name, **params)
        return self._answers[key]

    def process(self, process_id: str):
        from ..graph.model import get_process

        return get_process(self, process_id)

    def __getattr__(self, name):
        return getattr(self._kg, name)


@dataclass
class Site:
    kg: object
    processes: dict[str, Node]
    schemes: list[Scheme]
    links: bool
    vocabulary: dict[str, dict]          # English word of a link vocabulary → {ru, en}
    concept_pages: dict[str, str]        # concept IRI → page#anchor
    has_pylode: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def process_iris(self) -> dict[str, Node]:
        return {n.iri: n for n in self.processes.values()}

    def nav(self) -> list:
        items = [("index.html", _word("processes"))]
        glossaries = sorted((s for s in self.schemes if s.pure),
                            key=lambda s: not s.graph.startswith(SHIPPED_PREFIX))
        if glossaries:
            items.append((glossaries[0].file, _word("glossary")))
        if self.schemes:
            items.append(("vocabularies.html", _word("vocabularies")))
        items += [("ontology.html", _word("ontology")), ("shapes.html", _word("shapes"))]
        return items

    def page(self, titles: dict, body: str, root: str = "") -> str:
        return page(titles, body, root, self.nav())


def _vocabulary(kg) -> dict[str, dict]:
    rows = kg.sparql("""SELECT ?en ?ru WHERE {
        VALUES ?class { etom:ConfidenceLevel etom:LinkBasis etom:DataRole etom:ApiRole }
        ?x a ?class ; rdfs:label ?en, ?ru . FILTER(lang(?en) = "en" && lang(?ru) = "ru") }""")
    return {str(r["en"]): {"ru": str(r["ru"]), "en": str(r["en"])} for r in rows}


def _process_ref(site: Site, node: Node, root: str = "../") -> str:
    mark = f' <span class="badge ext">{w("extension")}</span>' if node.extension else ""
    return (f'<a href="{root}{node.file}"><span class="id">{_e(node.id)}</span> '
            f"{tr(node.labels)}</a>{mark}")


def _id_ref(site: Site, pid: str | None, labels: dict, root: str = "../") -> str:
    node = site.processes.get(pid or "")
    if node is not None:
        return _process_ref(site, node, root)
    return f'<span class="id">{_e(pid or "")}</span> {tr(labels)}'


def _safe(call, default=None):
    """A named query for an element the query cannot find (yet) gives nothing, not a crash."""
    try:
        return call()
    except EtomKgError:
        return default


def process_page(site: Site, node: Node) -> str:
    kg = site.kg
    detail = _safe(lambda: kg.process(node.id))
    parts = []
    crumbs = " › ".join(f'<a href="../{p.file}"><span class="id">{_e(p.id)}</span> '
                        f"{tr(p.labels)}</a>" for p in node.chain())
    if crumbs:
        parts.append(f'<div class="crumbs">{crumbs}</div>')
    mark = f' <span class="badge ext">{w("extension")}</span>' if node.extension else ""
    parts.append(f'<h1><span class="id">{_e(node.id)}</span> {tr(node.labels)}{mark}</h1>')

    facts = []
    if node.kind:
        facts.append((w("kind"), tr(node.kind)))
    if node.level is not None:
        facts.append((w("level"), _e(node.level)))
    if node.parent:
        facts.append((w("parent"), _process_ref(site, node.parent)))
    if detail and detail.verticals:
        facts.append((w("verticals"), "; ".join(tr(v.labels) for v in detail.verticals)))
    sources = [r["s"] for r in kg.sparql(
        f"SELECT ?s WHERE {{ <{node.iri}> dcterms:source ?s FILTER(isIRI(?s)) }} ORDER BY ?s")]
    if sources:
        names = _labels_of(kg, sources)
        facts.append((w("source"), "; ".join(tr(names.get(s) or {"en": _curie(s)})
                                             for s in sources)))
    if node.extension:
        facts.append((w("extension-from"), f"<code>{_e(_file_of(node.graph))}</code>"))
    facts.append(("IRI", f'<code class="iri">{_e(node.iri)}</code>'))
    parts.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
                 + "</dl>")

    text = node.definitions
    functions = detail.functions if detail else []
    if text:
        parts.append(f"<h2>{w('characteristic' if functions else 'definition')}</h2>")
        parts.append(tr(text, "p", "text"))
    if functions:
        parts.append(f"<h2>{w('functions')}</h2><ol class=\"functions\">")
        for f in functions:
            value = f' value="{f.order}"' if f.order else ""
            parts.append(f"<li{value}>{tr(f.labels)}</li>")
        parts.append("</ol>")

    parts.append(f"<h2>{w('pictogram')}</h2>")
    try:
        pictures = {lang: diagrams.pictogram(kg, node.id, lang) for lang in LANGS}
        parts.append(_svg_figure(pictures, _word("pictogram-note"), "pictogram"))
    except UnknownProcess:
        # The named queries match typed IDs; a plain string notation is not found by them.
        fix = f'"{node.id}"^^etom:ProcessId'
        parts.append(f'<p class="note">{w("no-picture")}: ' + tr({
            "ru": f"именованные запросы не находят {node.id}; запишите skos:notation как {fix}",
            "en": f"the named queries do not find {node.id}; write its skos:notation as {fix}"})
            + "</p>")
    except EtomKgError as exc:
        parts.append(f'<p class="note">{w("no-picture")}: {_e(exc)}</p>')

    if node.children:
        parts.append(f"<h2>{w('children')}</h2><ul class=\"plain\">")
        parts += [f"<li>{_process_ref(site, c)}</li>" for c in node.children]
        parts.append("</ul>")
        drawn = _safe(lambda: {lang: diagrams.decomposition(kg, node.id, lang) for lang in LANGS})
        if drawn:
            parts.append(f"<h3>{w('decomposition')}</h3>")
            parts.append(_svg_figure(drawn, None, "decomposition"))

    if detail and detail.handoffs:
        parts.append(f"<h2>{w('handoffs')}</h2>")
        rows = [[w("to" if h.direction == "out" else "from"),
                 _id_ref(site, h.other.id, h.other.labels), tr(h.subject)]
                for h in detail.handoffs]
        parts.append(_table([w("direction"), w("process"), w("what")], rows, "handoffs"))

    if site.links and (node.level or 0) >= 2:
        parts.append(link_tables(site, node))
    titles = {lang: f"{node.id} {node.labels.get(lang) or _both(node.labels)}" for lang in LANGS}
    return site.page(titles, "\n".join(parts), root="../")


# --------------------------------------------------------------------------- links
# (group, query, column naming the linked resource, column with its ID, heading)
LINK_GROUPS = (
    ("applications", "applications-for-process", "application", "applicationId",
     ("Типы приложений TAM", "TAM application types")),
    ("components", "oda-components-for-process", "component", "componentId",
     ("Компоненты ODA", "ODA components")),
    ("data", "data-for-process", "entity", None, ("Сущности данных (SID)", "Data entities (SID)")),
    ("apis", "apis-for-process", "api", "apiId", ("Открытые API", "Open APIs")),
)


#: Column widths (per cent) of each link table, in the order of its columns.
LINK_WIDTHS = {"applications": (8, 34, 16, 17, 25), "components": (9, 24, 16, 13, 15, 23),
               "data": (25, 13, 12, 15, 15, 20), "apis": (8, 24, 18, 13, 15, 22)}


def _split(text) -> list[str]:
    return [part for part in str(text or "").split("; ") if part]


_ROUTE = re.compile(r"(\S+) \(([^)]*)\)(?: via (.*?))?( inherited(?: from (\S+))?)?")


def _inherited_from(text: str) -> str | None:
    """The element a route is inherited from (``… inherited [from 1.1.1.5]``), else None."""
    match = _ROUTE.fullmatch(text)
    if not match or not match.group(4):
        return None
    return match.group(5) or match.group(1)


def _route(site: Site, text: str, lang: str) -> str:
    """One route of a link (``1.3.3 (TMF ODA) via exactMatch and release crosswalk``)."""
    match = _ROUTE.fullmatch(text)
    if not match:
        return _e(text)
    pid, scheme, steps, inherited, source = match.groups()

    def ref(pid, standard=True):
        node = site.processes.get(pid) if standard else None
        return (f'<a class="id" href="../{node.file}">{_e(pid)}</a>' if node
                else f'<span class="id">{_e(pid)}</span>')

    out = ref(pid, scheme == "GOST")
    if lang == "ru":
        scheme = ROUTE_WORDS_RU.get(scheme, scheme)
    out += f" ({_e(scheme)})"
    if steps:
        words = [ROUTE_WORDS_RU.get(s, s) if lang == "ru" else s for s in steps.split(" and ")]
        joiner = f" {ROUTE_WORDS_RU['and']} " if lang == "ru" else " and "
        out += f" {ROUTE_WORDS_RU['via'] if lang == 'ru' else 'via'} {_e(joiner.join(words))}"
    if inherited:
        out += " ↑" + (f" {ref(source)}" if source else "")
    return out


def _routes(site: Site, routes: list[str]) -> str:
    cells = []
    for lang in LANGS:
        shown = "<br>".join(_route(site, r, lang) for r in routes[:MAX_ROUTES])
        rest = routes[MAX_ROUTES:]
        if rest:
            shown += (f' <details><summary>{_e(WORDS["more"][LANGS.index(lang)])} {len(rest)}'
                      f"</summary>{'<br>'.join(_route(site, r, lang) for r in rest)}</details>")
        cells.append(f'<span class="lang-{lang} route" lang="{lang}">{shown}</span>')
    return "".join(cells)


def _vocab(site: Site, word: str) -> dict:
    return site.vocabulary.get(word) or {"en": word}


def collect_links(site: Site, node: Node) -> list[tuple[str, tuple, list[dict]]]:
    """The linked resources of a process per group, one entry per resource (an API used
    by several components is one entry listing its roles).

    An extension element also gets the links of the nearest standard element above it,
    each marked ``inherited`` with that element's ID; its own link wins over the same
    link inherited.
    """
    kg = site.kg
    ancestor = next((a for a in reversed(node.chain()) if not a.extension), None)
    asked = [(node.id, None)]
    if node.extension and ancestor is not None:
        asked.append((ancestor.id, ancestor.id))
    found = {}
    for group, query, key, id_key, heading in LINK_GROUPS:
        rows = []
        for pid, via in asked:
            got = _safe(lambda q=query, p=pid: kg.query(q, process=p), []) or []
            rows += [dict(r, _inherited=via) for r in got]
        if group == "applications":
            rows = [r for r in rows if r.get("kind") != "ODA component"]
        found[group] = (key, id_key, heading, rows)
    names = _labels_of(kg, [r[key] for key, _, _, rows in found.values() for r in rows
                            if r.get(key)])
    extra = {}
    entity_iris = [r["entity"] for r in found["data"][3] if r.get("entity")]
    block_iris = [r["component"] for r in found["components"][3] if r.get("component")]
    if entity_iris or block_iris:
        for r in kg.sparql(f"""SELECT ?x ?dRu ?dEn WHERE {{ {_values("x", entity_iris + block_iris)}
                ?x etom:inSidDomain|etom:inFunctionalBlock ?d .
                OPTIONAL {{ ?d skos:prefLabel ?dRu FILTER(LANGMATCHES(LANG(?dRu), "ru")) }}
                OPTIONAL {{ ?d skos:prefLabel ?dEn FILTER(LANGMATCHES(LANG(?dEn), "en")) }} }}"""):
            extra[r["x"]] = _langs(r, "d")
    out = []
    for group, (key, id_key, heading, rows) in found.items():
        items: dict[str, dict] = {}
        for r in rows:
            iri = r.get(key)
            if not iri or (r["_inherited"] and iri in items and not items[iri]["inherited"]):
                continue
            item = items.setdefault(iri, {"inherited": r["_inherited"],
                "iri": iri, "id": r.get(id_key) if id_key else None,
                "name": names.get(iri) or {"en": r.get("label") or _local(iri)},
                "confidence": r.get("confidence") or "", "basis": [], "via": [], "roles": [],
                "group": extra.get(iri) or ({"en": r["functionalBlock"]}
                                            if r.get("functionalBlock") else
                                            {"en": r["domain"]} if r.get("domain") else {})})
            if _LINK_RANK.get(r.get("confidence"), 0) > _LINK_RANK.get(item["confidence"], 0):
                item["confidence"] = r["confidence"]
            for b in _split(r.get("basis")):
                if b not in item["basis"]:
                    item["basis"].append(b)
            for v in _split(r.get("via")):
                if v not in item["via"]:
                    item["via"].append(v)
            if r.get("role"):
                role = (r["role"], r.get("component") or "")
                if role not in item["roles"]:
                    item["roles"].append(role)
        for item in items.values():
            # The link queries may mark inherited routes themselves (``… inherited``).
            sources = [_inherited_from(v) for v in item["via"]]
            if not item["inherited"] and sources and all(sources):
                item["inherited"] = sources[0]
        ordered = sorted(items.values(), key=lambda i: (-_LINK_RANK.get(i["confidence"], 0),
                                                         _natural(i["id"] or ""),
                                                         _both(i["name"]).lower()))
        out.append((group, heading, ordered))
    return out


def _natural(text: str):
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.findall(r"\d+|\D+", text))


def link_tables(site: Site, node: Node) -> str:
    parts = [f"<h2>{w('links')}</h2>"]
    uncertain = inherited = False
    groups = collect_links(site, node)
    if not any(items for _, _, items in groups):
        return parts[0] + f'<p class="note">{w("no-links")}</p>'
    for group, heading, items in groups:
        title = {"ru": heading[0], "en": heading[1]}
        parts.append(f'<h3 id="links-{group}">{tr(title)} <span class="muted">({len(items)})</span>'
                     "</h3>")
        if not items:
            parts.append(f'<p class="note">{w("no-links")}</p>')
            continue
        headers = ([w("id")] if group != "data" else []) + [w("name")]
        headers += {"components": [w("block")], "data": [w("domain"), w("role")],
                    "apis": [w("role")]}.get(group, [])
        headers += [w("confidence"), w("basis"), w("route")]
        rows = []
        for item in items:
            page = site.concept_pages.get(item["iri"])
            name = tr(item["name"])
            if page:
                name = f'<a href="../{page}">{name}</a>'
            row = [] if group == "data" else [f'<span class="id">{_e(item["id"] or "")}</span>']
            row.append(name)
            if group == "components":
                row.append(tr(item["group"]))
            if group == "data":
                row.append(tr(item["group"]))
                row.append("; ".join(tr(_vocab(site, role)) for role in
                                     dict.fromkeys(r for r, _ in item["roles"])))
            if group == "apis":
                by_role: dict[str, list[str]] = {}
                for role, component in item["roles"]:
                    by_role.setdefault(role, []).append(component)
                row.append("; ".join(
                    tr(_vocab(site, role))
                    + (f' <span class="id">{_e(", ".join(c for c in cs if c))}</span>'
                       if any(cs) else "")
                    for role, cs in by_role.items()))
            certain = item["confidence"] == "high"
            uncertain |= not certain
            conf = tr(_vocab(site, item["confidence"])) if item["confidence"] else ""
            if not certain and item["confidence"]:
                conf += f' <small>({w("not-certain")})</small>'
            row.append(f'<span class="conf conf-{_e(item["confidence"] or "none")}">{conf}</span>')
            row.append("; ".join(tr(_vocab(site, b)) for b in item["basis"]))
            route = _routes(site, item["via"])
            if item["inherited"]:
                inherited = True
                source = site.processes.get(item["inherited"])
                where = (f'<a class="id" href="../{source.file}">{_e(source.id)}</a>' if source
                         else f'<span class="id">{_e(item["inherited"])}</span>')
                route = f'<div class="inherited">↑ {w("inherited")} {where}</div>' + route
            row.append(route)
            rows.append(row)
        parts.append(_table(headers, rows, f"links links-{group}", LINK_WIDTHS[group]))
    if inherited:
        parts.append(f'<p class="note">↑ {w("inherited-note")}</p>')
    if uncertain:
        parts.append(f'<p class="note">* {w("not-certain-note")}</p>')
    return "\n".join(parts)


# --------------------------------------------------------------------------- index
def _tree(site: Site, nodes: list[Node], seen: set, depth: int = 0) -> str:
    items = []
    for node in nodes:
        if node.id in seen:
            continue
        seen.add(node.id)
        ref = _process_ref(site, node, "")
        inner = _tree(site, node.children, seen, depth + 1) if node.children else ""
        if inner:
            # Foldable; the levels below the level-2 elements start folded.
            opened = " open" if depth < 3 else ""
            items.append(f'<li class="level-{depth}"><details{opened}><summary>{ref}</summary>'
                         f"{inner}</details></li>")
        else:
            items.append(f'<li class="level-{depth} leaf">{ref}</li>')
    cls = ' class="tree"' if depth == 0 else ""
    return f"<ul{cls}>" + "\n".join(items) + "</ul>" if items else ""


def index_page(site: Site) -> str:
    kg = site.kg
    meta = kg.sparql(f"""SELECT ?dRu ?dEn WHERE {{
        OPTIONAL {{ <{ONTOLOGY}> dcterms:description ?dRu FILTER(LANGMATCHES(LANG(?dRu), "ru")) }}
        OPTIONAL {{ <{ONTOLOGY}> dcterms:description ?dEn FILTER(LANGMATCHES(LANG(?dEn), "en")) }}
    }} LIMIT 1""")
    parts = [f"<h1>{w('site')}</h1>"]
    if meta and _langs(meta[0], "d"):
        parts.append(tr(_langs(meta[0], "d"), "p", "text"))
    extension = [n for n in site.processes.values() if n.extension]
    roots = [n for n in site.processes.values() if n.parent is None]
    parts.append(f'<h2 id="tree">{w("decomposition-tree")}</h2>')
    levels: dict[int, int] = {}
    for node in site.processes.values():
        if node.level is not None:
            levels[node.level] = levels.get(node.level, 0) + 1
    if levels:
        counts = {lang: ", ".join(f"{WORDS['level-n'][LANGS.index(lang)]} {level}: {n}"
                                  for level, n in sorted(levels.items())) for lang in LANGS}
        parts.append(f'<p class="muted">{tr(counts)}</p>')
    if extension:
        files = sorted({_file_of(n.graph) for n in extension})
        parts.append(f'<p class="note">{w("extension-note")} ({len(extension)}: '
                     f"{_e(', '.join(files))})</p>")
    seen: set[str] = set()
    parts.append(_tree(site, roots, seen))
    # Elements in a skos:broader cycle have no root above them: listed, not lost.
    stray = [n for n in site.processes.values() if n.id not in seen]
    if stray:
        parts.append(_tree(site, stray, seen))
    if site.schemes:
        parts.append(f'<h2 id="vocabularies">{w("vocabularies")}</h2>')
        parts.append(_scheme_list(site, ""))
    parts.append(f"<h2>{w('ontology')} · SHACL</h2><ul class=\"plain\">"
                 f'<li><a href="ontology.html">{w("ontology")}</a></li>'
                 f'<li><a href="shapes.html">{w("shapes")}</a></li></ul>')
    return site.page(_word("site"), "\n".join(parts))


def _scheme_list(site: Site, root: str) -> str:
    return "<ul class=\"plain\">" + "".join(
        f'<li><a href="{root}{s.file}">{tr(s.labels)}</a> <span class="muted">'
        f"({len(s.concepts)} {w('concepts')})</span></li>" for s in site.schemes) + "</ul>"


def vocabularies_page(site: Site) -> str:
    body = f"<h1>{w('vocabularies')}</h1>" + _scheme_list(site, "")
    return site.page(_word("vocabularies"), body)


def _any_ref(site: Site, iri: str, names: dict) -> str:
    """A link to wherever the site documents ``iri`` (process, term, concept), else its name."""
    node = site.process_iris.get(iri)
    if node is not None:
        return _process_ref(site, node)
    label = names.get(iri)
    text = tr(label) if label else f"<code>{_e(_curie(iri))}</code>"
    if iri == ONTOLOGY:
        return f'<a href="../ontology.html">{text}</a>'
    if iri.startswith(ETOM):
        return f'<a href="../ontology.html#{_e(_local(iri))}">{text}</a>'
    if iri in site.concept_pages:
        return f'<a href="../{site.concept_pages[iri]}">{text}</a>'
    page = next((s.file for s in site.schemes if s.iri == iri), None)
    if page is None and iri == SCHEME + "etom":
        page = "index.html#tree"                 # the process scheme: the decomposition tree
    return f'<a href="../{page}">{text}</a>' if page else text


def _concept_ref(scheme: Scheme, iri: str) -> str:
    target = next((c for c in scheme.concepts if c["iri"] == iri), None)
    if target is None:
        return f"<code>{_e(_curie(iri))}</code>"
    notation = f'<span class="id">{_e(target["notation"])}</span> ' if target["notation"] else ""
    return f'<a href="#{_e(target["anchor"])}">{notation}{tr(target["labels"])}</a>'


def scheme_page(site: Site, scheme: Scheme) -> str:
    """A concept scheme as a table: notation, term (and synonyms), definition, broader."""
    own = scheme.graph.startswith(SHIPPED_PREFIX)   # else the whole scheme is an extension
    mark = "" if own else (f' <span class="badge ext">{w("extension")}</span> '
                           f'<code class="muted">{_e(_file_of(scheme.graph))}</code>')
    parts = [f"<h1>{tr(scheme.labels)}{mark}</h1>"]
    if scheme.definitions:
        parts.append(tr(scheme.definitions, "p", "text"))
    types = _labels_of(site.kg, {t for c in scheme.concepts for t in c["types"]})
    kinds = "; ".join(tr(types.get(t) or {"en": _curie(t)})
                      for t in sorted({t for c in scheme.concepts for t in c["types"]}))
    parts.append(f'<p class="muted">{len(scheme.concepts)} {w("concepts")}'
                 + (f" · {kinds}" if kinds else "")
                 + f' · <code class="iri">{_e(scheme.iri)}</code></p>')
    names = _labels_of(site.kg, {i for c in scheme.concepts for key in ("subject-of", "sources")
                                 for i in c[key]})
    numbered = any(c["notation"] for c in scheme.concepts)
    nested = any(c["broader"] for c in scheme.concepts)
    rows = []
    for c in scheme.concepts:
        ext = (f' <span class="badge ext">{w("extension")}</span>'
               if own and not c["graph"].startswith(SHIPPED_PREFIX) else "")
        term = f'<strong>{tr(c["labels"] or {"en": _local(c["iri"])})}</strong>{ext}'
        if c["alt"]:
            term += f'<div class="muted">{w("alt")}: {_e("; ".join(c["alt"]))}</div>'
        if scheme.pure and c["labels"].get("ru") and c["labels"].get("en"):
            # A glossary gives the other language's term as its equivalent, as the standard does.
            term += tr({"ru": f'англ. {c["labels"]["en"]}', "en": f'рус. {c["labels"]["ru"]}'},
                       "div", "muted")
        about = tr(c["definitions"], "div") if c["definitions"] else ""
        if c["notes"]:
            about += f'<div class="muted">{w("note")}: {tr(c["notes"])}</div>'
        if c["subject-of"]:
            about += (f'<div class="muted">{w("embodied")}: '
                      + "; ".join(_any_ref(site, i, names) for i in c["subject-of"]) + "</div>")
        if c["sources"]:
            about += (f'<div class="muted">{w("source")}: '
                      + "; ".join(tr(names.get(i) or {"en": _curie(i)}) for i in c["sources"])
                      + "</div>")
        cells = [f'<span class="id">{_e(c["notation"] or "")}</span>'] if numbered else []
        cells += [term, about]
        if nested:
            cells.append("; ".join(_concept_ref(scheme, b) for b in c["broader"]))
        rows.append(f'<tr id="{_e(c["anchor"])}" title="{_e(c["iri"])}">'
                    + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    headers = ([w("id")] if numbered else []) + [w("term"), w("definition")]
    headers += [w("broader")] if nested else []
    widths = (["9%"] if numbered else []) + ["28%", ""] + (["20%"] if nested else [])
    parts.append('<div class="table-wrap"><table class="scheme"><colgroup>'
                 + "".join(f'<col style="width:{x}">' if x else "<col>" for x in widths)
                 + "</colgroup><thead><tr>" + "".join(f"<th>{h}</th>" for h in headers)
                 + "</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")
    return site.page(scheme.labels, "\n".join(parts), root="../")


# --------------------------------------------------------------------------- ontology
TERM_KINDS = (
    ("classes", "owl:Class"), ("object-properties", "owl:ObjectProperty"),
    ("datatype-properties", "owl:DatatypeProperty"),
    ("annotation-properties", "owl:AnnotationProperty"), ("datatypes", "rdfs:Datatype"),
)
TERM_FACTS = (
    ("subclass-of", "rdfs:subClassOf"), ("equivalent", "owl:equivalentClass"),
    ("disjoint", "owl:disjointWith"), ("subproperty-of", "rdfs:subPropertyOf"),
    ("domain-of", "rdfs:domain"), ("range", "rdfs:range"), ("inverse", "owl:inverseOf"),
)


def ontology_page(site: Site) -> str:
    """The TBox: every class, property, datatype and named individual of the etom namespace."""
    kg = site.kg
    rows = kg.sparql(f"""SELECT ?x ?kind ?graph WHERE {{
        GRAPH ?graph {{ ?x a ?kind }}
        VALUES ?kind {{ {" ".join(k for _, k in TERM_KINDS)} owl:NamedIndividual }}
        FILTER(STRSTARTS(STR(?x), "{ETOM}")) }} ORDER BY ?x""")
    kinds: dict[str, str] = {}
    graphs: dict[str, str] = {}
    order = [k for _, k in TERM_KINDS] + ["owl:NamedIndividual"]
    for r in rows:
        kind = _curie(r["kind"])
        if r["x"] not in kinds or order.index(kind) < order.index(kinds[r["x"]]):
            kinds[r["x"]] = kind
        graphs.setdefault(r["x"], r["graph"])
    terms = sorted(kinds, key=lambda iri: _local(iri).lower())
    names = _labels_of(kg, terms)
    definitions = {r["x"]: _langs(r, "d") for r in kg.sparql(f"""SELECT ?x ?dRu ?dEn WHERE {{
        {_values("x", terms or [ETOM])}
        OPTIONAL {{ ?x skos:definition|rdfs:comment ?dRu FILTER(LANGMATCHES(LANG(?dRu), "ru")) }}
        OPTIONAL {{ ?x skos:definition|rdfs:comment ?dEn FILTER(LANGMATCHES(LANG(?dEn), "en")) }}
    }}""")}
    facts: dict[str, dict[str, list[str]]] = {}
    predicates = " ".join(p for _, p in TERM_FACTS) + " rdf:type owl:propertyChainAxiom"
    for r in kg.sparql(f"""SELECT ?x ?p ?o WHERE {{ {_values("x", terms or [ETOM])}
            VALUES ?p {{ {predicates} }} ?x ?p ?o }}"""):
        facts.setdefault(r["x"], {}).setdefault(_curie(r["p"]), []).append(r["o"])
    subclasses: dict[str, list[str]] = {}
    for x in terms:
        for sup in facts.get(x, {}).get("rdfs:subClassOf", []):
            subclasses.setdefault(sup, []).append(x)
    others = sorted({o for f in facts.values() for vs in f.values() for o in vs
                     if isinstance(o, str) and o.startswith(("http", "urn"))} - set(terms))
    names.update(_labels_of(kg, others))

    def ref(iri) -> str:
        if not isinstance(iri, str) or not iri.startswith(("http", "urn")):
            return f'<span class="muted">{w("anonymous")}</span>'
        label = names.get(iri)
        text = f"{tr(label)} <code>{_e(_curie(iri))}</code>" if label else \
            f"<code>{_e(_curie(iri))}</code>"
        return f'<a href="#{_e(_local(iri))}">{text}</a>' if iri in kinds else text

    meta = kg.sparql(f"""SELECT ?tRu ?tEn ?dRu ?dEn ?version ?license WHERE {{
        OPTIONAL {{ <{ONTOLOGY}> dcterms:title ?tRu FILTER(LANGMATCHES(LANG(?tRu), "ru")) }}
        OPTIONAL {{ <{ONTOLOGY}> dcterms:title ?tEn FILTER(LANGMATCHES(LANG(?tEn), "en")) }}
        OPTIONAL {{ <{ONTOLOGY}> dcterms:description ?dRu FILTER(LANGMATCHES(LANG(?dRu), "ru")) }}
        OPTIONAL {{ <{ONTOLOGY}> dcterms:description ?dEn FILTER(LANGMATCHES(LANG(?dEn), "en")) }}
        OPTIONAL {{ <{ONTOLOGY}> owl:versionInfo ?version }}
        OPTIONAL {{ <{ONTOLOGY}> dcterms:license ?license }} }} LIMIT 1""")
    m = meta[0] if meta else {}
    parts = [f"<h1>{tr(_langs(m, 't') or _word('ontology'))}</h1>"]
    if _langs(m, "d"):
        parts.append(tr(_langs(m, "d"), "p", "text"))
    info = [("IRI", f'<code class="iri">{_e(ONTOLOGY)}</code>')]
    if m.get("version"):
        info.append((w("version"), _e(m["version"])))
    if m.get("license"):
        info.append((w("license"), f'<a href="{_e(m["license"])}">{_e(m["license"])}</a>'))
    if site.has_pylode:
        info.append(("pyLODE", f'<a href="ontology-pylode.html">{w("pylode")}</a>'))
    parts.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in info)
                 + "</dl>")
    sections = [(key, kind) for key, kind in TERM_KINDS] + [("individuals", "owl:NamedIndividual")]
    toc = []
    for key, kind in sections:
        mine = [t for t in terms if kinds[t] == kind]
        if not mine:
            continue
        toc.append(f'<li><a href="#kind-{key}">{w(key)}</a> ({len(mine)})</li>')
        parts.append(f'<h2 id="kind-{key}">{w(key)}</h2>')
        for iri in mine:
            local = _local(iri)
            out = [f'<section class="term" id="{_e(local)}"><h3>'
                   f"{tr(names.get(iri) or {'en': local})} <code>{_e(_curie(iri))}</code></h3>"]
            if definitions.get(iri):
                out.append(tr(definitions[iri], "p", "text"))
            rows_ = []
            mine_facts = facts.get(iri, {})
            for word, predicate in TERM_FACTS:
                values = mine_facts.get(predicate, [])
                if values:
                    rows_.append((w(word), "; ".join(ref(v) for v in sorted(values, key=str))))
            if subclasses.get(iri):
                rows_.append((w("subclasses"), "; ".join(ref(v) for v in sorted(subclasses[iri]))))
            if kind == "owl:NamedIndividual":
                types = [t for t in mine_facts.get("rdf:type", []) if t != PREFIXES["owl"] +
                         "NamedIndividual"]
                if types:
                    rows_.append((w("type"), "; ".join(ref(t) for t in sorted(types))))
            else:
                traits = [_curie(t).split(":")[1] for t in mine_facts.get("rdf:type", [])
                          if t.startswith(PREFIXES["owl"]) and "Property" in t
                          and _curie(t) not in (kind, "owl:AnnotationProperty")]
                if traits:
                    rows_.append((w("characteristics"), _e(", ".join(sorted(traits)))))
            if mine_facts.get("owl:propertyChainAxiom"):
                rows_.append((w("chain"), '<span class="muted">owl:propertyChainAxiom</span>'))
            rows_.append((w("defined-in"), f"<code>{_e(_file_of(graphs[iri]))}</code>"))
            out.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>"
                                                       for k, v in rows_) + "</dl></section>")
            parts.append("".join(out))
    reused = sorted({_curie(r["x"]) for r in kg.sparql(f"""SELECT ?x WHERE {{
        GRAPH <{SHIPPED_PREFIX}etom> {{ ?x a ?k }}
        VALUES ?k {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
        FILTER(!STRSTARTS(STR(?x), "{ETOM}")) }}""")})
    if reused:
        toc.append(f'<li><a href="#kind-reused">{w("reused")}</a> ({len(reused)})</li>')
        parts.append(f'<h2 id="kind-reused">{w("reused")}</h2><p class="text">'
                     + ", ".join(f"<code>{_e(c)}</code>" for c in reused) + "</p>")
    parts.insert(3, '<ul class="toc">' + "".join(toc) + "</ul>")
    return site.page(_word("ontology"), "\n".join(parts))


def pylode_page(kg) -> str | None:
    """The TBox (ontology/etom.ttl) documented by pyLODE's OntPub profile; None without pyLODE."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub  # pyLODE configures root logging on import: undone below
    except ImportError:
        return None
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    import pyoxigraph as ox
    import rdflib

    data = kg.store.dump(format=ox.RdfFormat.N_TRIPLES,
                         from_graph=ox.NamedNode(SHIPPED_PREFIX + "etom"))
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    # pyLODE writes every label of a term side by side ("process elementэлемент процессов"):
    # its page is the English view; ontology.html has both languages with a switch.
    for triple in list(graph):
        text = triple[2]
        if isinstance(text, rdflib.Literal) and text.language and \
                not text.language.lower().startswith("en"):
            graph.remove(triple)
    return _fix_dangling_anchors(OntPub(ontology=graph, sort_subjects=True).make_html())


def _fix_dangling_anchors(text: str) -> str:
    """Point pyLODE's in-page links to absent anchors at the IRI they display.

    pyLODE 3.3 links an IRI that merely shares the ontology's base (the version IRI
    ``…/ontology/0.1.0``) as ``#0.1.0``, an anchor that does not exist on the page.
    """
    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def repair(match):
        fragment, label = match.group(1), match.group(2)
        if fragment in ids or not re.match(r"https?://", label):
            return match.group(0)
        return f'<a href="{label}">{label}</a>'

    return re.sub(r'<a href="#([^"]+)">([^<]*)</a>', repair, text)


# --------------------------------------------------------------------------- SHACL
def shapes_page(site: Site) -> str:
    """Every shipped SHACL shape with an IRI, per file: severity, targets, text, message."""
    import rdflib
    from rdflib.namespace import RDF, RDFS, SH

    from ..core.resources import data_files

    files = data_files("shapes", "*.ttl")
    parts = [f"<h1>{w('shapes')}</h1>"]
    total = 0
    sections = []
    for path in files:
        graph = rdflib.Graph()
        graph.parse(path, format="turtle")
        shapes = sorted({s for t in (SH.NodeShape, SH.PropertyShape)
                         for s in graph.subjects(RDF.type, t)
                         if isinstance(s, rdflib.URIRef)}, key=str)
        if not shapes:
            continue

        def texts(node, *props, graph=graph) -> dict:
            found = {}
            for prop in props:
                for lit in sorted(graph.objects(node, prop), key=str):
                    lang = getattr(lit, "language", None) or ""
                    for key in ((lang,) if lang in LANGS else LANGS):
                        found.setdefault(key, str(lit))
            return found

        rows = []
        for shape in shapes:
            severity = _local(str(graph.value(shape, SH.severity) or SH.Violation))
            kinds = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            targets = sorted({str(t) for p in kinds for t in graph.objects(shape, p)})
            messages = texts(shape, SH.message)
            for nested in list(graph.objects(shape, SH.property)) + list(graph.objects(shape,
                                                                                     SH.sparql)):
                for lang, text in texts(nested, SH.message).items():
                    messages.setdefault(lang, text)
            label = texts(shape, RDFS.label, SH.name)
            comment = texts(shape, RDFS.comment, SH.description)
            name = _local(str(shape))
            target_html = "<br>".join(
                f'<a href="ontology.html#{_e(_local(t))}"><code>{_e(_curie(t))}</code></a>'
                if t.startswith(ETOM) else f"<code>{_e(_curie(t))}</code>" for t in targets)
            text = tr(label, "strong") + (tr(comment, "div") if comment else "") + \
                (tr(messages, "div", "muted") if messages else "")
            sev = tr(_word(severity)) if severity in WORDS else _e(severity)
            rows.append(f'<tr id="{_e(name)}"><td><code>{_e(name)}</code></td>'
                        f'<td class="num">{sev}</td><td>{target_html}</td><td>{text}</td></tr>')
        total += len(rows)
        sections.append(f'<h2 id="file-{_e(path.stem)}"><code>shapes/{_e(path.name)}</code> '
                        f'<span class="muted">({len(rows)})</span></h2>'
                        '<div class="table-wrap"><table class="shapes"><colgroup>'
                        '<col style="width:22%"><col style="width:11%"><col style="width:20%">'
                        f"<col></colgroup><thead><tr><th>{w('shape')}</th><th>{w('severity')}</th>"
                        f"<th>{w('targets')}</th><th>{w('description')}</th></tr></thead><tbody>"
                        + "\n".join(rows) + "</tbody></table></div>")
    parts.append(f'<p class="muted">{total} {w("shapes-intro")} '
                 + ", ".join(f"<code>{_e(p.name)}</code>" for p in files) + ".</p>")
    return site.page(_word("shapes"), "\n".join(parts + sections))


# --------------------------------------------------------------------------- search
def search_index(site: Site) -> str:
    """The client-side search index: JSON, assigned to a variable so that file:// works."""
    items = []
    for node in site.processes.values():
        item = {"id": node.id, "ru": node.labels.get("ru", ""), "en": node.labels.get("en", ""),
                "url": node.file, "kind": "p", "rank": 0}
        if node.extension:
            item["ext"] = 1
        items.append(item)
    kinds = {"p": {"ru": "процесс", "en": "process"}, "term": _word("term-kind"),
             "ext": _word("extension")}
    classes = _labels_of(site.kg, {t for s in site.schemes for c in s.concepts for t in c["types"]})
    for n, scheme in enumerate(site.schemes):
        for c in scheme.concepts:
            kind = c["types"][0] if c["types"] else "term" if scheme.pure else f"s{n}"
            if kind not in kinds:
                kinds[kind] = classes.get(kind) or scheme.labels
            item = {"id": c["notation"] or "", "ru": c["labels"].get("ru", ""),
                    "en": c["labels"].get("en", ""), "url": f"{scheme.file}#{c['anchor']}",
                    "kind": kind, "rank": 1 if scheme.pure else 2}
            if c["alt"]:
                item["alt"] = " ".join(c["alt"])
            items.append(item)
    data = json.dumps({"kinds": kinds, "items": items}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True)
    return ("/* etom-kg search index (JSON), generated by etom-kg docs */\n"
            f"window.ETOM_KG_SEARCH = {data.replace('</', '<' + chr(92) + '/')};\n")


# --------------------------------------------------------------------------- build
def _check_output(out: Path) -> None:
    """Fail before the work if ``out`` cannot become a folder (a file in the way)."""
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                raise InputError(f"cannot create the output folder: {folder} is not a folder",
                                 path=out)
            return


def build(kg, out_dir, *, links: bool = True, notes: list[str] | None = None) -> list[Path]:
    """Write the site into ``out_dir`` (created if missing); return the files written.

    ``links`` adds the TAM applications, ODA components, data entities and APIs of
    each level-2 (and deeper) element, with confidence, basis and route. ``notes``
    (a list) receives one line per thing left out (a notation that is not an ID,
    pyLODE not installed).
    """
    notes = notes if notes is not None else []
    out = Path(out_dir)
    _check_output(out)
    kg = _Remembering(kg)
    processes = read_processes(kg, notes)
    schemes = read_schemes(kg)
    concept_pages = {c["iri"]: f"{s.file}#{c['anchor']}" for s in schemes for c in s.concepts}
    site = Site(kg, processes, schemes, links, _vocabulary(kg), concept_pages, notes=notes)
    # Everything is rendered before the first file is written, so a failure on the
    # way (bad extension, unknown process) leaves the output folder untouched.
    pylode = pylode_page(kg)
    site.has_pylode = pylode is not None
    if pylode is None:
        notes.append("pyLODE is not installed: ontology-pylode.html left out "
                     "(pip install 'etom-kg[docs]'); ontology.html has the same terms")
    contents = {"style.css": _asset("style.css"), "site.js": _asset("site.js"),
                "search-index.js": search_index(site), "index.html": index_page(site),
                "shapes.html": shapes_page(site), "ontology.html": ontology_page(site)}
    if pylode is not None:
        contents["ontology-pylode.html"] = pylode
    if schemes:
        contents["vocabularies.html"] = vocabularies_page(site)
    for scheme in schemes:
        contents[scheme.file] = scheme_page(site, scheme)
    for node in processes.values():
        contents[node.file] = process_page(site, node)
    try:
        for folder in sorted({(out / name).parent for name in contents}):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror}", path=out) from None
    return [atomic_write(out / name, text) for name, text in contents.items()]
