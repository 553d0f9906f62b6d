"""Every shape has a valid and an invalid fixture; invalid fixtures pin their results.

Fixture files (vocpub style) live in ``tests/fixtures/shapes/{valid,invalid}/``:

* ``# covers: shapes:X`` — the fixture exercises shape X without breaking it;
* ``# expect: FOCUS shapes:X sh:Severity`` — one expected result;
* ``# mode: as-given`` — validate with ``derive=False`` (nothing completed from
  the IDs or hierarchy links), the way the shipped graph is held to the shapes.

A fixture's results (focus node, source shape, severity) must be *exactly* its
expectations: a valid fixture has none; an invalid one has no surprise result.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib

from etom_kg.core.namespaces import SHAPES
from etom_kg.core.resources import data_files
from etom_kg.validation.api import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
PREFIXES = {"ex": "https://example.org/op/", "process": "https://w3id.org/etom-kg/process/",
            "vertical": "https://w3id.org/etom-kg/vertical/", "shapes": SHAPES}
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))


def _expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def _header(path: Path, key: str) -> list[list[str]]:
    return [line.split()[2:] for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(rf"# {key}: ", line)]


def expectations(path: Path) -> set[tuple[str, str, str]]:
    return {(_expand(focus), _expand(shape), severity.removeprefix("sh:"))
            for focus, shape, severity in _header(path, "expect")}


def covered(path: Path) -> set[str]:
    return {_expand(shape) for (shape,) in _header(path, "covers")}


def shipped_shapes() -> set[str]:
    graph = rdflib.Graph()
    for path in data_files("shapes", "*.ttl"):
        graph.parse(path)
    shapes = set()
    for kind in (rdflib.SH.NodeShape, rdflib.SH.PropertyShape):
        shapes |= {str(s) for s in graph.subjects(rdflib.RDF.type, kind)
                   if isinstance(s, rdflib.URIRef)}
    return shapes


def found(path: Path) -> set[tuple[str, str, str]]:
    derive = not _header(path, "mode") == [["as-given"]]
    return {(r.focus, r.source_shape, r.severity) for r in validate(path, derive=derive).results}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_has_no_result(path):
    assert found(path) == set()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_pinned_results(path):
    expected = expectations(path)
    assert expected, f"{path.name} pins no expectation"
    assert found(path) == expected


def test_every_shape_has_a_valid_and_an_invalid_fixture():
    shapes = shipped_shapes()
    assert len(shapes) >= 30
    with_valid = set().union(*(covered(p) for p in VALID))
    with_invalid = {shape for p in INVALID for _, shape, _ in expectations(p)}
    assert shapes - with_valid == set(), "shapes without a valid fixture"
    assert shapes - with_invalid == set(), "shapes without an invalid fixture"
    assert with_valid | with_invalid <= shapes, "fixtures name shapes that do not exist"


def test_every_shape_is_named_labelled_sourced_and_has_a_severity_and_bilingual_message():
    graph = rdflib.Graph()
    for path in data_files("shapes", "*.ttl"):
        graph.parse(path)
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    for shape in map(rdflib.URIRef, shipped_shapes()):
        assert str(shape).startswith(SHAPES)
        assert graph.value(shape, rdflib.SH.severity) in (rdflib.SH.Violation, rdflib.SH.Warning,
                                                          rdflib.SH.Info), shape
        assert graph.value(shape, dcterms.source) is not None, shape
        for prop in (rdflib.SH.message, rdflib.RDFS.label):
            langs = sorted(m.language for m in graph.objects(shape, prop))
            assert langs == ["en", "ru"], (shape, prop)
        for message in graph.objects(shape, rdflib.SH.message):
            assert re.search(r"\{[?$](id|this|value)\}", message), (shape, str(message))


def test_shapes_pass_shacl_shacl():
    import pyshacl

    graph = rdflib.Graph()
    for path in data_files("shapes", "*.ttl"):
        graph.parse(path)
    conforms, _, text = pyshacl.validate(graph, shacl_graph=graph, advanced=True, meta_shacl=True)
    assert conforms, text


def test_shape_files_are_canonical():
    from etom_kg.io.canonical import canonical_turtle

    for path in data_files("shapes", "*.ttl"):
        assert path.read_text(encoding="utf-8") == canonical_turtle(path), path.name


def test_the_shipped_files_validate_clean_through_the_api():
    # Plain pySHACL on the shipped graph gives nothing either:
    # test_fast_validation.py::test_fast_equals_plain_pyshacl_on_the_shipped_graph.
    report = validate(data_files("ontology", "*.ttl"), derive=False)
    assert report.results == []
