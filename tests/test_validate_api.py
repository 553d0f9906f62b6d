"""validate(): context from the shipped graph, results about the user's data only, no mutation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from etom_kg.core.errors import InputError, UsageError
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
    assert (data["conforms"], data["failOn"], data["passed"]) == (False, "violation", True)
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


# -- the user's own shapes: each SHACL rule judged as SHACL means it, by both engines ------
HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/op/> .
@prefix r: <https://example.org/rules#> .
"""
RULES = {
    # name: (shapes, data that conforms, data that fails, expected (focus, shape, component))
    "in-plain-literal": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:status ; sh:path ex:status ; sh:in ("A" "B") .',
        'ex:a ex:status "A" .', 'ex:a ex:status "C" .', ("ex:a", "r:S", "In")),
    "hasValue-plain-literal": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:status ; sh:path ex:status ; sh:hasValue "A" .',
        'ex:a ex:status "A" .', 'ex:a ex:status "a" .', ("ex:a", "r:S", "HasValue")),
    "datatype-byte": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; sh:datatype xsd:byte .',
        'ex:a ex:n "3"^^xsd:byte .', 'ex:a ex:n "300"^^xsd:byte .', ("ex:a", "r:S", "Datatype")),
    "datatype-ill-formed-nonNegativeInteger": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; '
        'sh:datatype xsd:nonNegativeInteger .',
        'ex:a ex:n "7"^^xsd:nonNegativeInteger .', 'ex:a ex:n "-1"^^xsd:nonNegativeInteger .',
        ("ex:a", "r:S", "Datatype")),
    "datatype-integer-not-another-type": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; sh:datatype xsd:integer .',
        'ex:a ex:n 7 .', 'ex:a ex:n "-1"^^xsd:nonNegativeInteger .', ("ex:a", "r:S", "Datatype")),
    "pattern-is-a-search": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ; sh:pattern "Joh" .',
        'ex:a ex:name "Hi Joh" .', 'ex:a ex:name "Hi Jo h" .', ("ex:a", "r:S", "Pattern")),
    "pattern-flags": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ; '
        'sh:pattern "^joh" ; sh:flags "i" .',
        'ex:a ex:name "JOHN" .', 'ex:a ex:name " John" .', ("ex:a", "r:S", "Pattern")),
    "implicit-class-target-used-by-sh-node": (
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        'ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .\n'
        'r:S a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:node ex:Person .',
        'ex:a a ex:Person ; ex:name "A" .', 'ex:a a ex:Person .', ("ex:a", None, "MinCount")),
    "hasValue-in-a-nested-shape-means-some-value": (
        'r:S a sh:NodeShape ; sh:targetSubjectsOf ex:tag ; '
        'sh:node [ sh:property [ sh:path ex:tag ; sh:hasValue "x" ] ] .',
        'ex:a ex:tag "x", "y" .', 'ex:a ex:tag "y" .', ("ex:a", "r:S", "Node")),
    "closed-shape": (
        'r:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:closed true ; '
        'sh:ignoredProperties (ex:note) ; sh:property [ sh:path ex:name ] .',
        'ex:a ex:name "A" ; ex:note "n" .', 'ex:a ex:name "A" ; ex:nickname "B" .',
        ("ex:a", "r:S", "Closed")),
    "xone": (
        'r:S a sh:NodeShape ; sh:targetSubjectsOf ex:id ; sh:xone ('
        ' [ sh:property [ sh:path ex:id ; sh:datatype xsd:integer ] ]'
        ' [ sh:property [ sh:path ex:id ; sh:minLength 3 ] ] ) .',
        'ex:a ex:id 7 .', 'ex:a ex:id 700 .', ("ex:a", "r:S", "Xone")),
    "literal-focus-node": (
        'r:S a sh:NodeShape ; sh:targetNode "forty-two" ; sh:datatype xsd:integer .',
        None, 'ex:a ex:p "forty-two" .', ('"forty-two"', "r:S", "Datatype")),
    "absent-target-node": (
        'r:S a sh:NodeShape ; sh:targetNode ex:ghost ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .',
        'ex:ghost ex:p 1 .', 'ex:a ex:p 1 .', ("ex:ghost", None, "MinCount")),
    "custom-severity": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:p ; sh:path ex:p ; sh:maxCount 1 ; '
        'sh:severity r:Advice .',
        'ex:a ex:p 1 .', 'ex:a ex:p 1, 2 .', ("ex:a", "r:S", "MaxCount")),
    "uniqueLang-only-when-true": (
        'r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:l ; sh:path ex:l ; sh:uniqueLang true .\n'
        'r:T a sh:PropertyShape ; sh:targetSubjectsOf ex:l ; sh:path ex:l ; '
        'sh:uniqueLang "1"^^xsd:boolean .',
        'ex:a ex:l "a"@en, "b"@de .', 'ex:a ex:l "a"@en, "b"@EN .', ("ex:a", "r:S", "UniqueLang")),
}


def _curie(text: str) -> str:
    return text.replace("ex:", EX).replace("r:", "https://example.org/rules#")


PYSHACL_DIFFERS = {"uniqueLang-only-when-true":
                   'pySHACL 0.40 reads sh:uniqueLang "1"^^xsd:boolean as true (W3C uniqueLang-002)'}


def _rule_params():
    for rule in sorted(RULES):
        for engine in ("fast", "pyshacl"):
            marks = [pytest.mark.xfail(reason=PYSHACL_DIFFERS[rule], strict=True)] \
                if engine == "pyshacl" and rule in PYSHACL_DIFFERS else []
            yield pytest.param(rule, engine, id=f"{rule}-{engine}", marks=marks)


@pytest.mark.parametrize(("rule", "engine"), list(_rule_params()))
def test_own_shape_rule_passes_and_fails_exactly(tmp_path, rule, engine):
    shapes_text, good, bad, (focus, shape, component) = RULES[rule]
    shapes = tmp_path / "rules.ttl"
    shapes.write_text(HEAD + shapes_text, encoding="utf-8")
    if good is not None:
        ok = tmp_path / "good.ttl"
        ok.write_text(HEAD + good, encoding="utf-8")
        assert validate(ok, shapes=shapes, context=False, engine=engine).results == []
    wrong = tmp_path / "bad.ttl"
    wrong.write_text(HEAD + bad, encoding="utf-8")
    report = validate(wrong, shapes=shapes, context=False, engine=engine)
    (result,) = report.results
    assert result.focus == _curie(focus).strip('"')
    if shape is not None:
        assert result.source_shape == _curie(shape)
    else:
        assert result.source_shape.startswith("_:")   # a blank-node property shape
    assert result.component == f"http://www.w3.org/ns/shacl#{component}ConstraintComponent"
    assert not report.conforms


def test_a_custom_severity_counts_against_conformance_and_keeps_its_iri(tmp_path):
    shapes_text, _good, bad, _expected = RULES["custom-severity"]
    shapes, data = tmp_path / "rules.ttl", tmp_path / "bad.ttl"
    shapes.write_text(HEAD + shapes_text, encoding="utf-8")
    data.write_text(HEAD + bad, encoding="utf-8")
    report = validate(data, shapes=shapes, context=False)
    assert report.results[0].severity == "https://example.org/rules#Advice"
    assert not report.conforms_at("violation")
    assert "  https://example.org/rules#Advice: " in report.to_text("en")
    assert report.to_text("en").endswith(
        "0 violation(s), 0 warning(s), 0 info, 1 of other severities.\n")


def test_turtle_numbers_as_written_are_judged_as_written(tmp_path):
    # 01 is "01"^^xsd:integer: not the term "1" that sh:in lists (the store would say "1").
    shapes, data = tmp_path / "rules.ttl", tmp_path / "data.ttl"
    shapes.write_text(HEAD + "r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; "
                             "sh:in (1 2.5) .", encoding="utf-8")
    data.write_text(HEAD + 'ex:a ex:n 1, 2.5 . ex:b ex:n 01 . ex:c ex:n 2.50 . '
                           'ex:d ex:label "see 2.1.1.5 and 1.0" .', encoding="utf-8")
    report = validate(data, shapes=shapes, context=False)
    assert sorted((r.focus, r.value) for r in report.results) == [
        (EX + "b", "01"), (EX + "c", "2.50")]
    assert report.engines["https://example.org/rules#S"].startswith("evaluated by pySHACL")


def test_with_context_results_about_the_shipped_graphs_nodes_stay_out(tmp_path):
    shapes = tmp_path / "rules.ttl"
    shapes.write_text(HEAD + """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        r:S a sh:NodeShape ; sh:targetObjectsOf skos:broader ; sh:class ex:Nothing .""",
                      encoding="utf-8")
    with_context = validate(MINIMAL, shapes=shapes)
    alone = validate(MINIMAL, shapes=shapes, context=False)
    assert with_context.results == []
    assert [r.focus for r in alone.results] == ["https://w3id.org/etom-kg/process/P1-1-1-5"]


@pytest.mark.parametrize(("name", "text", "rewritten"), [
    ("byte.ttl", '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<x:a> <x:p> "3"^^xsd:byte .', True),
    ("unused-prefix.ttl", '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<x:a> <x:p> "3" .', False),
    ("string.nt", '<x:a> <x:p> "3"^^<http://www.w3.org/2001/XMLSchema#string> .\n', False),
    ("int.nt", '<x:a> <x:p> "3"^^<http://www.w3.org/2001/XMLSchema#int> .\n', True),
    ("base-trick.ttl", '@base <http://www.w3.org/2001/XMLSchema> .\n<x:a> <x:p> "3"^^<#int> .', True),
    ("escaped.nt", '<x:a> <x:p> "3"^^<http://www.w3.org/2001/XMLSchema\\u0023int> .\n', True),
    ("ids-in-text.ttl", '<x:a> <x:p> "see 1.1.1.5 and 2.1.1.5.1" .', False),
    ("decimal.ttl", '<x:a> <x:p> 1.50 .', True),
])
def test_files_that_may_hold_literals_the_store_rewrites_are_read_as_written(
        tmp_path, name, text, rewritten):
    from etom_kg.validation.api import _may_rewrite

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _may_rewrite(path) is rewritten


def test_levels_typed_as_the_shipped_graph_types_them_stay_compiled(tmp_path):
    # etom:level "3"^^xsd:nonNegativeInteger: the store makes it an xsd:integer of the
    # same value, which the SPARQL-based target compares by value: the shape stays
    # compiled. "-3" is ill-formed (the store would give it a value): pySHACL judges it.
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "skos:broader process:P1-1-1-5 .",
        'skos:broader process:P1-1-1-5 ;\n    etom:level "{}"^^xsd:nonNegativeInteger .')
    level = SHAPES + "ProcessLevelMatchesId"
    for written, compiled, results in (("3", True, []), ("4", True, [EX + "OrderCapture"]),
                                       ("-3", False, [EX + "OrderCapture"])):
        path = tmp_path / f"level{written}.ttl"
        path.write_text(text.format(written), encoding="utf-8")
        report = validate(path)
        assert [r.focus for r in report.results if r.source_shape == level] == results
        assert report.engines[level].startswith("compiled") is compiled
        assert [r.focus for r in validate(path, engine="pyshacl").results] == results


def test_rewritten_literals_of_blank_nodes_are_judged_as_written(tmp_path):
    shapes, data = tmp_path / "rules.ttl", tmp_path / "data.ttl"
    shapes.write_text(HEAD + "r:S a sh:PropertyShape ; sh:targetSubjectsOf ex:n ; sh:path ex:n ; "
                             "sh:datatype xsd:byte .", encoding="utf-8")
    data.write_text(HEAD + '[] ex:n "3"^^xsd:byte . [] ex:n "300"^^xsd:byte ; ex:name "big" .',
                    encoding="utf-8")
    for engine in ("fast", "pyshacl"):
        report = validate(data, shapes=shapes, context=False, engine=engine)
        (result,) = report.results
        assert result.focus.startswith("_:") and (result.value, result.value_datatype) == (
            "300", "http://www.w3.org/2001/XMLSchema#byte")


# -- the two verdicts: SHACL's conforms and the --fail-on decision -------------------------
VIOLATION = FIXTURES / "invalid" / "14-invalid-parent-id.ttl"


@pytest.mark.parametrize("path, conforms, passed", [
    # warnings only: not SHACL-conformant, yet it passes at violation level
    (LEVEL5, False, {"violation": True, "warning": False, "info": False}),
    (VIOLATION, False, {"violation": False, "warning": False, "info": False}),
    (MINIMAL, True, {"violation": True, "warning": True, "info": True}),
])
def test_conforms_is_shacls_and_passed_is_the_fail_on_decision(path, conforms, passed):
    report = validate(path)
    assert report.conforms is conforms
    assert [c.toPython() for c in report.graph.objects(None, rdflib.SH.conforms)] == [conforms]
    for level, expected in passed.items():
        data = json.loads(report.to_json(level))
        assert data["conforms"] is conforms
        assert data["failOn"] == level
        assert data["passed"] is expected is report.conforms_at(level)


def test_an_unknown_fail_on_level_is_a_usage_error():
    with pytest.raises(UsageError):
        validate(LEVEL5).conforms_at("error")


def test_str_of_a_report_is_the_text_report_not_a_dataclass_repr():
    from etom_kg.publish.i18n import DEFAULT_LANG

    report = validate(LEVEL5)
    text = str(report)
    assert text == report.to_text() == report.to_text(DEFAULT_LANG)
    assert "Report(" not in text and "Result(" not in text
    assert "2.1.1.5.7.1" in text and "ProcessLevelBeyondStandard" in text
    assert str(validate(MINIMAL)) in ("Данные соответствуют формам: результатов нет.\n",
                                      "The data conforms: no results.\n")


def test_severities_are_words_of_the_chosen_language():
    report = validate(VIOLATION)
    assert "  Нарушение: " in report.to_text("ru")
    assert "  Violation: " in report.to_text("en")
    assert "  Предупреждение: " in validate(LEVEL5).to_text("ru")
