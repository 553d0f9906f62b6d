"""validate(): context from the shipped graph, results about the user's data only, no mutation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from etom_kg.core.errors import InputError
from etom_kg.validation.api import Report, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
MINIMAL = FIXTURES / "valid" / "01-valid-minimal-extension-element.ttl"
LEVEL5 = FIXTURES / "invalid" / "07-invalid-level-5.ttl"
EX = "https://example.org/op/"
SHAPES = "https://w3id.org/etom-kg/shapes#"


def test_a_minimal_extension_element_validates_clean_with_the_shipped_graph_as_context():
    report = validate(MINIMAL)
    assert isinstance(report, Report)
    assert report.conforms and report.results == []


def test_without_context_the_standard_parent_is_missing():
    report = validate(MINIMAL, context=False)
    shapes = {r.source_shape for r in report.results}
    assert SHAPES + "ProcessParentIsProcess" in shapes
    assert not report.conforms


def test_results_carry_focus_id_severity_shape_and_both_languages():
    report = validate(LEVEL5)
    assert report.conforms_at("violation") and not report.conforms_at("warning")
    result = next(r for r in report.results if r.focus == EX + "L5")
    assert result.id == "2.1.1.5.7.1.1"
    assert result.severity == "Warning"
    assert result.source_shape == SHAPES + "ProcessLevelBeyondStandard"
    assert result.path == "http://www.w3.org/2004/02/skos/core#notation"
    assert result.value == "2.1.1.5.7.1.1"
    assert "2.1.1.5.7.1.1" in result.message["en"] and "2.1.1.5.7.1.1" in result.message["ru"]
    assert "{" not in result.message["en"] + result.message["ru"]


def test_only_results_about_the_users_nodes_are_reported(tmp_path):
    # The user's file mentions a standard element only as an object: nothing about it is reported.
    report = validate(FIXTURES / "invalid" / "13-invalid-parent-level.ttl")
    assert {r.focus for r in report.results} == {EX + "Skip"}


def test_an_rdflib_graph_is_accepted_and_never_mutated():
    graph = rdflib.Graph().parse(LEVEL5)
    before = set(graph)
    report = validate(graph)
    assert set(graph) == before
    assert {r.focus for r in report.results} == {EX + "L4", EX + "L5"}


def test_a_list_of_files_is_validated_together(tmp_path):
    child = tmp_path / "child.ttl"
    child.write_text(MINIMAL.read_text(encoding="utf-8").replace("OrderCapture", "Child")
                     .replace('"2.1.1.5.1"', '"2.1.1.5.1.1"').replace("process:P1-1-1-5 .", "ex:OrderCapture ."),
                     encoding="utf-8")
    alone = validate(child)
    together = validate([MINIMAL, child])
    assert SHAPES + "ProcessParentIsProcess" in {r.source_shape for r in alone.results}
    assert {r.source_shape for r in together.results} == {SHAPES + "ProcessLevelBeyondStandard"}


@pytest.mark.parametrize("fmt", ["nt", "xml", "json-ld", "trig"])
def test_any_rdf_syntax(tmp_path, fmt):
    graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    graph.parse(LEVEL5)
    suffix = {"nt": ".nt", "xml": ".rdf", "json-ld": ".jsonld", "trig": ".trig"}[fmt]
    path = tmp_path / ("data" + suffix)
    path.write_text(graph.serialize(format=fmt), encoding="utf-8")
    assert {r.focus for r in validate(path).results} == {EX + "L4", EX + "L5"}


def test_unreadable_input_is_an_input_error_naming_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate(bad)
    assert "bad.ttl:2" in str(info.value)
    with pytest.raises(InputError):
        validate(tmp_path / "missing.ttl")


def test_json_text_and_report_graph():
    report = validate(LEVEL5)
    data = json.loads(report.to_json())
    assert data["conforms"] is False
    assert json.loads(report.to_json(fail_on="violation"))["conforms"] is True
    first = data["results"][0]
    assert set(first) == {"focus", "id", "path", "value", "severity", "sourceShape",
                          "sourceConstraintComponent", "message", "valueDatatype"}
    assert first["value"] == "2.1.1.5.7.1"
    assert first["valueDatatype"] == "https://w3id.org/etom-kg/ontology#ProcessId"
    text = report.to_text("ru")
    assert "2.1.1.5.7.1 — Элемент 2.1.1.5.7.1" in text and "предупреждений: 2" in text
    sh = rdflib.SH
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, sh.ValidationResult))) == 2
    assert {m.language for m in graph.objects(None, sh.resultMessage)} == {"ru", "en"}
