"""The documentation site: a page per process, pyLODE ontology page, SHACL rules, no dead links."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from defusedxml import ElementTree

import etom_kg
from etom_kg.publish import docs

EXTENSION = """\
@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix vertical: <https://w3id.org/etom-kg/vertical/> .
process:P1-1-1-13 a etom:ProcessElement, skos:Concept ;
    skos:notation "1.1.1.13"^^etom:ProcessId ; etom:level 2 ;
    skos:broader process:P1-1-1 ; etom:inVerticalGrouping vertical:Billing ;
    skos:prefLabel "Управление скидками"@ru, "Discount management"@en .
"""


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids, self.svgs, self.depth, self.raw = [], set(), 0, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if attrs.get(key):
                self.hrefs.append(attrs[key])
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "svg":
            self.svgs += 1


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ext")
    extension = folder / "extension.ttl"
    extension.write_text(EXTENSION, encoding="utf-8")
    kg = etom_kg.load(extra=[extension])
    out = tmp_path_factory.mktemp("site")
    written = docs.build(kg, out)
    return kg, out, written


def test_one_page_per_process_including_the_extension(site):
    kg, out, _ = site
    ids = {str(r["id"]) for r in kg.sparql(
        "SELECT (STR(?n) AS ?id) WHERE { ?p skos:notation ?n ; skos:broader* ?a . "
        "?a a etom:ProcessArea }")}
    pages = {p.stem for p in (out / "process").glob("*.html")}
    assert pages == ids
    assert {"1.1.1.5", "1.1.1.13", "1.1", "1.3.7"} <= pages


def test_every_relative_link_and_anchor_resolves(site):
    _, out, written = site
    pages = [p for p in written if p.suffix == ".html"]
    assert len(pages) > 30
    parsed = {p.resolve(): parse(p) for p in pages}
    checked = 0
    for path, page in parsed.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.name}: dead link {href}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, f"{path.name}: no anchor {href}"
            checked += 1
    assert checked > 100


def test_element_page_has_pictogram_characteristic_functions_and_links_in_both_languages(site):
    kg, out, _ = site
    path = out / "process" / "1.1.1.5.html"
    text = path.read_text(encoding="utf-8")
    process = kg.process("1.1.1.5")
    for lang in ("ru", "en"):
        assert process.labels[lang] in text
        assert process.definitions[lang].replace('"', "&quot;").replace("'", "&#x27;") in text
        for function in process.functions:
            assert function.labels[lang].replace('"', "&quot;").replace("'", "&#x27;") in text
    assert parse(path).svgs == 4           # pictogram and level-3 decomposition, per language
    # Inline SVG is well-formed XML with the cells a program can read.
    start = text.index("<svg")
    svg = text[start:text.index("</svg>", start) + 6]
    root = ElementTree.fromstring(svg.encode("utf-8"))
    darkened = {(r.get("data-row"), r.get("data-column"))
                for r in root.iter("{http://www.w3.org/2000/svg}rect")
                if r.get("data-highlighted") == "true"}
    assert darkened == {("1.1.1", "https://w3id.org/etom-kg/vertical/Fulfillment")}
    apps = {r["application"] for r in kg.query("applications-for-process", process="1.1.1.5")}
    assert apps and all(iri in text for iri in apps)


def test_extension_element_page_and_index_entry(site):
    _, out, _ = site
    assert "Управление скидками" in (out / "process" / "1.1.1.13.html").read_text(encoding="utf-8")
    index = out / "index.html"
    assert "process/1.1.1.13.html" in parse(index).hrefs
    # The CRM page's decomposition diagram includes the new element.
    assert "Discount management" in (out / "process" / "1.1.1.html").read_text(encoding="utf-8")


def test_ontology_page_made_by_pylode_documents_the_classes_and_properties(site):
    _, out, _ = site
    text = (out / "ontology.html").read_text(encoding="utf-8")
    assert "pyLODE" in text
    for term in ("ProcessElement", "VerticalProcessGrouping", "inVerticalGrouping", "hasFunction"):
        assert f'id="{term}"' in text


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
    text = (out / "shapes.html").read_text(encoding="utf-8")
    assert "Violation" in text


def test_cli_docs_into_a_missing_parent_folder_fails_in_one_line(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "file.txt"
    target.write_text("x")
    result = subprocess.run([sys.executable, "-m", "etom_kg.cli", "docs", "--no-links",
                             "-o", str(target / "site")], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("etom-kg: error:") and result.stderr.count("\n") == 1
