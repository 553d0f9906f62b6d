"""The documentation site, read as files: what an architect finds on each page.

The same site is opened in a real browser by tests/test_docs_browser.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from defusedxml import ElementTree

import etom_kg
from etom_kg.publish import docs

# An operator's extension as people write it: one element with a typed ID, two
# level-3 elements under 1.1.1.5 with a plain string notation, and a glossary.
EXTENSION = """\
@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix vertical: <https://w3id.org/etom-kg/vertical/> .
@prefix op: <https://operator.example/process/> .
process:P1-1-1-13 a etom:ProcessElement, skos:Concept ;
    skos:notation "1.1.1.13"^^etom:ProcessId ; etom:level 2 ;
    skos:broader process:P1-1-1 ; etom:inVerticalGrouping vertical:Billing ;
    skos:prefLabel "Управление скидками"@ru, "Discount management"@en .
op:feasibility a etom:ProcessElement, skos:Concept ;
    skos:notation "2.1.1.5.1" ; skos:broader process:P1-1-1-5 ;
    skos:prefLabel "Проверка технической возможности"@ru, "Technical feasibility check"@en ;
    skos:definition "Проверка, что услугу можно оказать по адресу клиента."@ru .
op:reservation a etom:ProcessElement, skos:Concept ;
    skos:notation "2.1.1.5.2" ; skos:broader process:P1-1-1-5 ;
    skos:prefLabel "Резервирование ресурсов <для заказа>"@ru .
op:long a etom:ProcessElement, skos:Concept ;
    skos:notation "2.1.1.5.3" ; skos:broader process:P1-1-1-5 ;
    skos:prefLabel "Согласование{0}"@ru, "Agreement{1}"@en .
op:loopA a etom:ProcessElement ; skos:notation "2.1.1.14" ; skos:broader op:loopB ;
    skos:prefLabel "Цикл А"@ru .
op:loopB a etom:ProcessElement ; skos:notation "2.1.1.15" ; skos:broader op:loopA ;
    skos:prefLabel "Цикл Б"@ru .
""".format("-".join(["ОченьДлинноеСловоБезПробелов"] * 12), "Word" * 60)
GLOSSARY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix g: <https://operator.example/glossary/> .
g:terms a skos:ConceptScheme ;
    skos:prefLabel "Термины и определения"@ru, "Terms and definitions"@en .
g:process a skos:Concept ; skos:inScheme g:terms ; skos:topConceptOf g:terms ;
    skos:prefLabel "процесс"@ru, "process"@en ;
    skos:definition "Совокупность связанных действий, превращающих входы в выходы."@ru,
        "A set of related activities that turn inputs into outputs."@en .
g:order a skos:Concept ; skos:inScheme g:terms ; skos:broader g:process ;
    skos:prefLabel "заказ клиента"@ru, "customer order"@en ; skos:altLabel "заявка"@ru ;
    skos:definition "Запрос клиента на предоставление продукта & услуги."@ru .
"""


class Page(HTMLParser):
    """Links, anchors, inline SVGs and the text a reader sees in each language."""

    VOID = {"br", "img", "input", "meta", "link", "col", "hr", "wbr", "source"}
    INLINE = {"a", "span", "strong", "small", "code", "em", "b", "i", "sup", "sub"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids, self.svgs = [], set(), 0
        self.stack: list[tuple[str, str | None]] = []
        self.seen = {"ru": [], "en": []}
        self.tree: dict[str, list[str]] = {}     # index: process ID → IDs of enclosing items
        self._items: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if attrs.get(key):
                self.hrefs.append(attrs[key])
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "svg":
            self.svgs += 1
        classes = (attrs.get("class") or "").split()
        only = next((c[5:] for c in classes if c in ("lang-ru", "lang-en")), None)
        if tag == "li":
            self._items.append(None)
        href = attrs.get("href") or ""
        match = re.fullmatch(r"process/(.+)\.html", href)
        if tag == "a" and match and self._items and self._items[-1] is None:
            self._items[-1] = match.group(1)
            self.tree[match.group(1)] = [i for i in self._items[:-1] if i]
        if tag not in self.INLINE:
            self._space()
        if tag not in self.VOID:
            self.stack.append((tag, only))

    def _space(self):
        for seen in self.seen.values():
            seen.append(" ")

    def handle_endtag(self, tag):
        if tag not in self.INLINE:
            self._space()
        if tag == "li" and self._items:
            self._items.pop()
        while self.stack:
            top, _ = self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data):
        if any(t in ("script", "style", "title") for t, _ in self.stack):
            return
        hidden = {only for _, only in self.stack if only}
        for lang in ("ru", "en"):
            if not hidden - {lang}:
                self.seen[lang].append(data)

    def text(self, lang: str) -> str:
        """What a reader sees with the switch on ``lang`` (whitespace collapsed)."""
        return " ".join("".join(self.seen[lang]).split())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


_BUILT: dict = {}


def build_site(tmp_path_factory):
    """The site of the standard with EXTENSION and GLOSSARY, built once per test session
    (tests/test_docs_browser.py opens the same site in a browser)."""
    if "site" not in _BUILT:
        folder = tmp_path_factory.mktemp("ext")
        (folder / "extension.ttl").write_text(EXTENSION, encoding="utf-8")
        (folder / "glossary.ttl").write_text(GLOSSARY, encoding="utf-8")
        kg = etom_kg.load(extra=[folder / "extension.ttl", folder / "glossary.ttl"])
        out = tmp_path_factory.mktemp("site")
        _BUILT["site"] = kg, out, docs.build(kg, out)
    return _BUILT["site"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory)


def test_one_page_per_process_including_extension_elements_with_a_plain_string_notation(site):
    kg, out, _ = site
    ids = {str(r["id"]) for r in kg.sparql(
        "SELECT (STR(?n) AS ?id) WHERE { ?p skos:notation ?n ; a ?type . "
        "VALUES ?type { etom:ProcessArea etom:ProcessGrouping etom:HorizontalProcessGrouping "
        "etom:ProcessElement } }")}
    pages = {p.stem for p in (out / "process").glob("*.html")}
    assert pages == ids
    assert {"1.1.1.5", "1.1.1.13", "2.1.1.5.1", "2.1.1.5.2", "1.1", "1.3.7"} <= pages
    level3 = parse(out / "process" / "2.1.1.5.1.html").text("ru")
    assert "Проверка технической возможности" in level3
    assert "Уровень 3" in level3 and "Родитель 1.1.1.5 Обработка заказов" in level3


def test_every_relative_link_and_anchor_resolves(site):
    _, out, written = site
    pages = [p for p in written if p.suffix == ".html"]
    assert len(pages) > 40
    parsed = {p.resolve(): parse(p) for p in pages}
    checked = 0
    for path, page in parsed.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.name}: dead link {href}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, f"{path.name}: no anchor {href}"
            checked += 1
    assert checked > 1000


def test_process_page_shows_each_text_once_with_a_language_switch(site):
    kg, out, _ = site
    path = out / "process" / "1.1.1.5.html"
    page, text = parse(path), path.read_text(encoding="utf-8")
    process = kg.process("1.1.1.5")
    ru, en = page.text("ru"), page.text("en")
    assert 'data-set-lang="ru"' in text and 'data-set-lang="en"' in text
    assert ru.count("Обработка заказов") >= 1 and "Order handling" not in ru
    assert "Order handling" in en and "Обработка заказов" not in en
    assert process.definitions["ru"] in ru and process.definitions["en"] in en
    for function in process.functions:
        assert ru.count(function.labels["ru"]) == 1, function.labels["ru"]
        assert function.labels["en"] in en and function.labels["en"] not in ru
    # The pictogram and the decomposition (the extension adds level 3): one SVG per language.
    assert page.svgs == 4
    figures = re.findall(r'<figure class="diagram (\w+)">(.*?)</figure>', text, flags=re.S)
    assert [(kind, body.count("<svg")) for kind, body in figures] == [("pictogram", 2),
                                                                      ("decomposition", 2)]


def test_russian_page_names_linked_resources_in_russian_with_confidence_and_basis(site):
    kg, out, _ = site
    page = parse(out / "process" / "1.1.1.5.html")
    ru, en = page.text("ru"), page.text("en")
    apps = [r for r in kg.query("applications-for-process", process="1.1.1.5")
            if r["kind"] != "ODA component"]
    assert apps
    names = docs._labels_of(kg, [r["application"] for r in apps])
    for row in apps:
        name = names[row["application"]]
        assert name["ru"] in ru and name["en"] not in ru
        assert name["en"] in en
        assert row["application"] not in ru          # no raw IRIs for names
    assert "средняя (не подтверждено)" in ru and "сопоставление проекта" in ru
    assert "medium (not certain)" in en and "project mapping" in en
    assert "высокая" in ru and "спецификация компонента ODA" in ru
    assert " via " not in ru and "через exactMatch" in ru


def test_an_extension_element_inherits_its_parents_links_marked_as_inherited(site):
    kg, out, _ = site
    text = (out / "process" / "2.1.1.5.1.html").read_text(encoding="utf-8")
    page = parse(out / "process" / "2.1.1.5.1.html")
    apps = {r["applicationId"] for r in kg.query("applications-for-process", process="1.1.1.5")
            if r["kind"] != "ODA component"}
    table = text[text.index('class="links links-applications'):]
    table = table[:table.index("</table>")]
    assert apps and all(f'<span class="id">{a}</span>' in table for a in apps)
    assert table.count("унаследовано от") == len(apps)
    assert "↑ унаследовано от 1.1.1.5" in page.text("ru")
    assert "↑ inherited from 1.1.1.5" in page.text("en")
    # The standard element's own page has nothing inherited.
    assert "унаследовано" not in (out / "process" / "1.1.1.5.html").read_text(encoding="utf-8")


def test_routes_the_link_queries_mark_as_inherited_read_in_russian(site):
    kg, _, _ = site
    nodes = docs.read_processes(kg)
    view = docs.Site(kg, nodes, [], True, {}, {})
    route = "1.3.3 (TMF ODA) via exactMatch and release crosswalk inherited from 1.1.1.5"
    assert docs._inherited_from(route) == "1.1.1.5"
    assert docs._inherited_from("1.1.1.5 (GOST) inherited") == "1.1.1.5"
    assert docs._inherited_from("1.1.1.5 (GOST)") is None
    ru = re.sub(r"<[^>]+>", "", docs._route(view, route, "ru"))
    assert ru == "1.3.3 (TMF ODA) через exactMatch и соответствие релизов ↑ 1.1.1.5"
    assert 'href="../process/1.1.1.5.html"' in docs._route(view, route, "en")
    assert docs._route(view, "an unexpected <route>", "ru") == "an unexpected &lt;route&gt;"


def test_open_apis_are_listed_once_per_api_with_their_roles(site):
    kg, out, _ = site
    text = (out / "process" / "1.1.1.5.html").read_text(encoding="utf-8")
    table = text[text.index('class="links links-apis'):]
    table = table[:table.index("</table>")]
    rows = kg.query("apis-for-process", process="1.1.1.5")
    apis = {r["api"] for r in rows}
    assert len(rows) > len(apis)                   # the query lists an API per component
    assert table.count("<tr>") - 1 == len(apis)    # the page: one row per API
    assert "зависит от" in table and "depends on" in table


def test_pictogram_is_drawn_at_a_size_where_its_text_is_legible(site):
    _, out, _ = site
    text = (out / "process" / "1.1.1.5.html").read_text(encoding="utf-8")
    for svg in re.findall(r"<svg.*?</svg>", text, flags=re.S):
        root = ElementTree.fromstring(svg.encode("utf-8"))
        width = float(root.get("width"))
        view = float(root.get("viewBox").split()[2])
        smallest = min(float(t.get("font-size")) for t in root.iter()
                       if t.get("font-size"))
        assert smallest * width / view >= docs.MIN_TEXT_PX
        darkened = {(r.get("data-row"), r.get("data-column"))
                    for r in root.iter("{http://www.w3.org/2000/svg}rect")
                    if r.get("data-highlighted") == "true"}
        if "pictogram" in (root.get("class") or "") or darkened:
            assert darkened == {("1.1.1", "https://w3id.org/etom-kg/vertical/Fulfillment")}


def test_index_shows_the_decomposition_tree_to_any_depth(site):
    _, out, _ = site
    index = parse(out / "index.html")
    tree = index.tree
    levels = {}
    for pid in tree:
        level = len(pid.split(".")) - 2
        levels[level] = levels.get(level, 0) + 1
    assert ", ".join(f"level {k}: {n}" for k, n in sorted(levels.items())) in index.text("en")
    assert tree["1.1"] == []
    assert tree["1.1.1"] == ["1.1"]
    assert tree["1.1.1.5"] == ["1.1", "1.1.1"]
    assert tree["2.1.1.5.1"] == ["1.1", "1.1.1", "1.1.1.5"]
    assert tree["1.1.1.13"] == ["1.1", "1.1.1"]
    assert tree["1.3.7"] == ["1.3"]
    # A skos:broader cycle (an error the validator reports) still gets its pages listed.
    assert tree["2.1.1.14"] == [] or tree["2.1.1.15"] == []


def test_extension_elements_are_marked_with_the_file_they_come_from(site):
    _, out, _ = site
    index = (out / "index.html").read_text(encoding="utf-8")
    item = index[index.index('href="process/2.1.1.5.1.html"'):]
    assert 'class="badge ext"' in item[:item.index("</li>")]
    standard = index[index.index('href="process/1.1.1.6.html"'):]
    assert 'class="badge ext"' not in standard[:standard.index("</li>")]
    page = parse(out / "process" / "2.1.1.5.1.html").text("ru")
    assert "расширение" in page and "extension.ttl" in page
    standard = (out / "process" / "1.1.1.5.html").read_text(encoding="utf-8")
    assert "badge ext" not in standard[standard.index("<h1>"):standard.index("</h1>")]
    # A name with markup characters is shown as text, never as markup.
    raw = (out / "process" / "2.1.1.5.2.html").read_text(encoding="utf-8")
    assert "Резервирование ресурсов &lt;для заказа&gt;" in raw and "<для" not in raw


def test_a_concept_scheme_gets_a_glossary_page_and_process_schemes_do_not(site):
    _, out, _ = site
    pages = {p.name for p in (out / "scheme").glob("*.html")}
    assert "terms.html" in pages and {"tam.html", "sid.html"} <= pages
    assert not {"etom.html", "tmf-etom-r16.html", "tmf-etom-oda.html"} & pages
    glossary = parse(out / "scheme" / "terms.html")
    ru, en = glossary.text("ru"), glossary.text("en")
    assert "Термины и определения" in ru and "Terms and definitions" in en
    assert "заказ клиента" in ru and "Синонимы: заявка" in ru
    assert "Запрос клиента на предоставление продукта & услуги." in ru
    assert "customer order" in en and "A set of related activities" in en
    assert {"order", "process"} <= glossary.ids
    nav = parse(out / "index.html")
    assert "scheme/terms.html" in nav.hrefs and "Глоссарий" in nav.text("ru")


def test_search_index_has_every_process_with_both_names(site):
    _, out, _ = site
    script = (out / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("{"):script.rindex("}") + 1])
    processes = {i["id"]: i for i in data["items"] if i["kind"] == "p"}
    assert set(processes) == {p.stem for p in (out / "process").glob("*.html")}
    assert processes["1.1.1.5"]["ru"] == "Обработка заказов"
    assert processes["1.1.1.5"]["en"] == "Order handling"
    assert processes["2.1.1.5.1"]["ext"] == 1 and "ext" not in processes["1.1.1.5"]
    terms = [i for i in data["items"] if i["ru"] == "заказ клиента"]
    assert terms and terms[0]["url"] == "scheme/terms.html#order"
    for item in data["items"]:
        assert (out / item["url"].split("#")[0]).is_file()


def test_ontology_page_documents_every_term_with_ru_and_en_names_apart(site):
    kg, out, _ = site
    page = parse(out / "ontology.html")
    for term in ("ProcessElement", "VerticalProcessGrouping", "inVerticalGrouping", "hasFunction",
                 "ProcessId", "HighConfidence", "TamApplicationType"):
        assert term in page.ids
    ru, en = page.text("ru"), page.text("en")
    assert "элемент процессов" in ru and "process element" not in ru
    assert "process element" in en and "элемент процессов" not in en
    assert "process elementэлемент" not in (out / "ontology.html").read_text(encoding="utf-8")


def test_shapes_page_lists_every_named_shape_with_severity_and_messages(site, repo):
    import rdflib
    from rdflib.namespace import RDF, SH

    _, out, _ = site
    graph = rdflib.Graph()
    for path in sorted((repo / "shapes").glob("*.ttl")):
        graph.parse(path)
    named = {s for t in (SH.NodeShape, SH.PropertyShape) for s in graph.subjects(RDF.type, t)
             if isinstance(s, rdflib.URIRef)}
    page = parse(out / "shapes.html")
    assert named
    for shape in named:
        assert str(shape).rsplit("#", 1)[-1].rsplit("/", 1)[-1] in page.ids
    assert "нарушение" in page.text("ru") and "Violation" in page.text("en")
    assert "Violation" not in page.text("ru")


def test_a_notation_that_is_not_an_id_gets_no_page_and_a_note(tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        "@prefix etom: <https://w3id.org/etom-kg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://x.example/a> a etom:ProcessElement ; skos:notation \"../../escape\" ;\n"
        "  skos:broader <https://w3id.org/etom-kg/process/P1-1-1> ;\n"
        "  skos:prefLabel \"<script>alert(1)</script>\"@ru .\n", encoding="utf-8")
    notes: list[str] = []
    out = tmp_path / "site"
    written = docs.build(etom_kg.load(extra=[hostile], links=False), out, links=False,
                         notes=notes)
    assert all(out.resolve() in p.resolve().parents for p in written)
    assert not (tmp_path / "escape.html").exists()
    assert any("'../../escape' is not a process ID" in n for n in notes)
    assert "<script>alert" not in "".join(p.read_text(encoding="utf-8") for p in written
                                          if p.suffix == ".html")


def _run_cli(args, block_pylode=False):
    prelude = "import sys; sys.modules['pylode'] = None; " if block_pylode else "import sys; "
    code = prelude + "from etom_kg.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_docs_without_pylode_builds_the_site_and_names_the_extra(tmp_path):
    extension = tmp_path / "extension.ttl"
    extension.write_text(EXTENSION, encoding="utf-8")
    out = tmp_path / "site"
    result = _run_cli(["docs", "--no-links", "-o", str(out), "--data", str(extension)],
                      block_pylode=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    note, wrote = result.stderr.splitlines()
    assert note.startswith("etom-kg: note: pyLODE is not installed") and "etom-kg[docs]" in note
    assert wrote.startswith(f"wrote {len(list(out.rglob('*.*')))} files to {out}")
    assert result.stdout == ""
    assert (out / "ontology.html").is_file() and not (out / "ontology-pylode.html").exists()
    assert (out / "process" / "2.1.1.5.1.html").is_file()
    assert 'href="ontology-pylode.html"' not in (out / "ontology.html").read_text(encoding="utf-8")


def test_docs_with_pylode_adds_its_page_linked_from_the_ontology_page(site):
    pytest.importorskip("pylode", reason="the 'docs' extra (pyLODE) is not installed")
    _, out, _ = site
    text = (out / "ontology-pylode.html").read_text(encoding="utf-8")
    assert "pyLODE" in text and "process element" in text
    assert "элемент процессов" not in text          # English only: no labels run together
    assert "ontology-pylode.html" in parse(out / "ontology.html").hrefs


def test_cli_docs_into_a_missing_parent_folder_fails_in_one_line(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = _run_cli(["docs", "--no-links", "-o", str(target / "site")])
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("etom-kg: error:") and result.stderr.count("\n") == 1
