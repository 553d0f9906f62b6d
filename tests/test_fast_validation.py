"""The fast engine gives exactly the results of plain pySHACL on the same shapes and data.

The reference is pySHACL 0.40 used plainly: an in-memory rdflib graph of the same
working copy (shipped context + the user's data + what it implies), the same
shapes, no focus filter, no Oxigraph behind its queries; its results are then
restricted to the user's nodes, as ``validate()`` restricts them. Results are
compared as sets of (focus, path, value, severity, source shape).
"""
from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib

from etom_kg.validation import fastshacl
from etom_kg.core.resources import data_files
from etom_kg.validation.api import _path_text, _run_fast, prepare, to_rdflib, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
SH = rdflib.SH


def _rows(raw, graph, keep) -> Counter:
    return Counter((focus, _path_text(graph, path), value, str(severity), shape)
                   for focus, path, value, severity, shape, _component in raw if keep(focus))


def reference(prep) -> Counter:
    """Plain pySHACL on an rdflib copy of the working copy (literals as stored)."""
    import pyshacl

    data = rdflib.Graph()
    for q in prep.work:
        data.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    shapes = prep.shapes_with_targets()
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                                inference="none", allow_warnings=False)
    keep = prep.keeps()
    top = next(report.subjects(rdflib.RDF.type, SH.ValidationReport))
    return Counter((report.value(r, SH.focusNode),
                    _path_text(report, report.value(r, SH.resultPath)),
                    report.value(r, SH.value), str(report.value(r, SH.resultSeverity)),
                    report.value(r, SH.sourceShape))
                   for r in report.objects(top, SH.result)
                   if keep(report.value(r, SH.focusNode)))


def fast(prep) -> Counter:
    return _rows(_run_fast(prep), prep.shapes, prep.keeps())


def test_every_shipped_shape_is_compiled_none_left_to_pyshacl():
    prep = prepare(FIXTURES / "valid" / "01-valid-minimal-extension-element.ttl")
    compiled, left = fastshacl.compile_all(prep.shapes)
    assert left == []
    assert len(compiled) == len(fastshacl.top_level_shapes(prep.shapes)) >= 30


FIXTURE_FILES = sorted(FIXTURES.glob("*/*.ttl"))
AS_GIVEN = [p for p in FIXTURE_FILES if "# mode: as-given" in p.read_text(encoding="utf-8")]


def test_fast_equals_plain_pyshacl_on_all_fixtures():
    # One run per mode over all fixtures of that mode (a run costs seconds, mostly for
    # the shipped context). Merged, a few fixtures repair each other (ex:Loyalty is in
    # two), so results of most, not all, shapes appear.
    hit = set()
    for as_given in (False, True):
        files = AS_GIVEN if as_given else [p for p in FIXTURE_FILES if p not in AS_GIVEN]
        assert files
        prep = prepare(files, derive=not as_given)
        expected = reference(prep)
        assert fast(prep) == expected, "derive=False" if as_given else "derived"
        hit |= {row[4] for row in expected}
    assert len(hit) >= 35


def test_fast_equals_plain_pyshacl_on_the_shipped_graph():
    prep = prepare(data_files("ontology", "*.ttl"), derive=False)
    assert len(prep.user_subjects) > 500
    assert fast(prep) == reference(prep) == Counter()


# -- generated extensions ---------------------------------------------------------------
CRM = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
       "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]
HEAD = """@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix vertical: <https://w3id.org/etom-kg/vertical/> .
@prefix ex: <https://example.org/op/> .
"""
BREAKAGES = ["no-en-label", "wrong-path", "leading-zero", "duplicate-id", "reserved-id",
             "no-definition", "two-parents", "ops-level-2-no-vertical", "prefixed-no-modifies",
             "untyped-id", "empty-label", "related-to-parent", "two-ids", "project-iri",
             "level-2-in-non-vertical", "exact-and-broad", "wrong-level"]


def extension(n: int, broken: float, seed: int) -> tuple[str, set[str]]:
    """Turtle of ``n`` level-3 elements under the CRM elements, ``broken`` of them faulty."""
    rng = random.Random(seed)
    bad = dict(zip(rng.sample(range(n), max(len(BREAKAGES), int(n * broken))),
                   BREAKAGES * n))
    out = [HEAD]
    for i in range(n):
        parent = CRM[i % len(CRM)]
        pid = f"2.{parent[2:]}.{i // len(CRM) + 1}"
        name = f"ex:E{i}"
        broader = f"process:P{parent.replace('.', '-')}"
        kind = bad.get(i)
        extra = []
        labels = [f'"Операция {i}"@ru', f'"Step {i}"@en']
        definitions = [f'"Операция оператора {i}."@ru', f'"Operator step {i}."@en']
        typed = '"{}"^^etom:ProcessId'
        if kind == "no-en-label":
            labels = labels[:1]
        elif kind == "wrong-path":
            pid = f"2.{CRM[(i + 1) % len(CRM)][2:]}.{i // len(CRM) + 1}"
        elif kind == "leading-zero":
            pid = f"2.{parent[2:]}.0{i // len(CRM) + 1}"
        elif kind == "duplicate-id":
            pid = f"2.{parent[2:]}.1"
        elif kind == "reserved-id":
            pid = f"1.{parent[2:]}.{900 + i}"
        elif kind == "no-definition":
            definitions = []
        elif kind == "two-parents":
            broader += f", process:P{CRM[(i + 3) % len(CRM)].replace('.', '-')}"
        elif kind == "ops-level-2-no-vertical":
            pid, broader = f"2.1.1.{40 + i}", "process:P1-1-1"
        elif kind == "level-2-in-non-vertical":
            pid, broader = f"2.1.1.{40 + i}", "process:P1-1-1"
            extra.append("etom:inVerticalGrouping process:P1-1-1-5")
        elif kind == "prefixed-no-modifies":
            pid = f"123456.{parent}"
        elif kind == "untyped-id":
            typed = '"{}"'
        elif kind == "empty-label":
            labels = ['" "@ru', f'"Step {i}"@en']
        elif kind == "related-to-parent":
            extra.append(f"skos:related {broader}")
        elif kind == "two-ids":
            extra.append(f'skos:notation "{pid}.{i}"^^etom:ProcessId')
        elif kind == "project-iri":
            name = f"process:P2-{i}"
        elif kind == "exact-and-broad":
            extra.append(f"skos:exactMatch ex:E{i + 1}; skos:broadMatch ex:E{i + 1}")
        elif kind == "wrong-level":
            extra.append('etom:level "2"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>')
        lines = [f"{name} a etom:ProcessElement", "skos:notation " + typed.format(pid),
                 f"skos:broader {broader}", *extra]
        if labels:
            lines.append("skos:prefLabel " + ", ".join(labels))
        if definitions:
            lines.append("skos:definition " + ", ".join(definitions))
        out.append(" ;\n  ".join(lines) + " .\n")
    return "\n".join(out), set(bad.values())


def test_fast_equals_plain_pyshacl_on_a_generated_extension_with_broken_elements(tmp_path):
    text, kinds = extension(300, 0.01, 1)
    assert kinds == set(BREAKAGES)
    path = tmp_path / "extension.ttl"
    path.write_text(text, encoding="utf-8")
    prep = prepare(path)
    expected = reference(prep)
    shapes_hit = {row[4] for row in expected}
    assert len(shapes_hit) >= 15, "the generated breakage should reach most shapes"
    assert fast(prep) == expected


def test_validate_gives_the_same_report_with_either_engine(tmp_path):
    text, _ = extension(60, 0.2, 3)
    path = tmp_path / "extension.ttl"
    path.write_text(text, encoding="utf-8")
    a, b = validate(path), validate(path, engine="pyshacl")
    assert a.results == b.results and a.results
    assert a.to_text("ru") == b.to_text("ru")


def test_a_shape_the_compiler_does_not_cover_is_evaluated_by_pyshacl_not_skipped(tmp_path):
    shapes = rdflib.Graph()
    for p in data_files("shapes", "*.ttl"):
        shapes.parse(p)
    odd = rdflib.URIRef("https://example.org/shapes#LabelsLongEnough")
    # sh:qualifiedValueShapesDisjoint is outside the compiled subset.
    shapes.parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{odd}> a sh:PropertyShape ; sh:targetClass skos:Concept ; sh:path skos:prefLabel ;
            sh:qualifiedValueShape [ sh:languageIn ("ru") ] ; sh:qualifiedMaxCount 0 ;
            sh:qualifiedValueShapesDisjoint true .""", format="turtle")
    assert odd in fastshacl.compile_all(shapes)[1]
    report = validate(FIXTURES / "valid" / "01-valid-minimal-extension-element.ttl",
                      shapes=shapes)
    assert {r.source_shape for r in report.results} == {str(odd)}
    assert report.engines[str(odd)] == "evaluated by pySHACL: sh:qualifiedValueShapesDisjoint"
    assert set(report.engines.values()) == {
        "compiled to SPARQL, run in Oxigraph", "evaluated by pySHACL: sh:qualifiedValueShapesDisjoint"}


def test_a_pattern_oxigraph_cannot_compile_is_left_to_pyshacl():
    shapes = rdflib.Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/s#Look> a sh:PropertyShape ; sh:targetSubjectsOf skos:prefLabel ;
            sh:path skos:prefLabel ; sh:pattern "^(?!Step)" .""", format="turtle")
    compiled, left = fastshacl.compile_all(shapes)
    assert compiled == [] and [str(s) for s in left] == ["https://example.org/s#Look"]
    assert re.compile("^(?!Step)")   # valid for Python's re, which pySHACL uses
