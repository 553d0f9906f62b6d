"""``etom-kg validate``: formats, languages, --fail-on and exit codes, run as users run it."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
VALID = FIXTURES / "valid" / "01-valid-minimal-extension-element.ttl"
WARNINGS_ONLY = FIXTURES / "invalid" / "07-invalid-level-5.ttl"
VIOLATION = FIXTURES / "invalid" / "14-invalid-parent-id.ttl"


def run(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", "validate", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_conforming_file_exits_0():
    done = run(VALID, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stdout


def test_violation_exits_1_and_text_groups_by_element():
    done = run(VIOLATION, "--lang", "ru")
    assert done.returncode == 1
    assert done.stdout.startswith("2.1.1.6.1 — Элемент 2.1.1.6.1")
    assert "  Нарушение: " in done.stdout and "ParentIdIsIdLessLastComponent" in done.stdout


def test_fail_on_chooses_the_level():
    assert run(WARNINGS_ONLY).returncode == 0
    assert run(WARNINGS_ONLY, "--fail-on", "warning").returncode == 1
    assert run(WARNINGS_ONLY, "--fail-on", "info").returncode == 1


def test_json_output_is_as_specified():
    done = run(VIOLATION, "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert (data["conforms"], data["failOn"], data["passed"]) == (False, "violation", False)
    result = data["results"][0]
    assert result == {
        "focus": "https://example.org/op/Misplaced", "id": "2.1.1.6.1", "path": None,
        "value": "https://example.org/op/Misplaced", "severity": "Violation",
        "sourceShape": "https://w3id.org/etom-kg/shapes#ParentIdIsIdLessLastComponent",
        "sourceConstraintComponent": "http://www.w3.org/ns/shacl#InConstraintComponent",
        "message": result["message"]}
    assert set(result["message"]) == {"ru", "en"}


def test_turtle_output_is_a_shacl_report():
    import rdflib

    done = run(WARNINGS_ONLY, "--format", "turtle")
    graph = rdflib.Graph().parse(data=done.stdout, format="turtle")
    assert (None, rdflib.RDF.type, rdflib.SH.ValidationReport) in graph


def test_unreadable_input_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    done = run(bad)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "bad.ttl" in done.stderr
    assert run(tmp_path / "missing.ttl").returncode == 2


OWN_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix op: <https://example.org/rules#> .
op:OwnerRequired a sh:NodeShape ;
  sh:targetClass etom:ProcessElement ;
  sh:property op:HasOwner .
op:HasOwner sh:path <https://example.org/op/owner> ; sh:minCount 1 ;
  sh:message "Каждому процессу нужен владелец"@ru, "Every process needs an owner"@en .
"""


def test_own_shapes_alone_give_a_standard_report_with_every_field(tmp_path):
    import rdflib

    shapes = tmp_path / "rules.ttl"
    shapes.write_text(OWN_SHAPES, encoding="utf-8")
    done = run(VALID, "--shapes", shapes, "--format", "turtle")
    assert done.returncode == 1, done.stderr
    graph = rdflib.Graph().parse(data=done.stdout, format="turtle")
    sh = rdflib.SH
    (result,) = graph.subjects(rdflib.RDF.type, sh.ValidationResult)
    assert graph.value(result, sh.focusNode) == rdflib.URIRef("https://example.org/op/OrderCapture")
    assert graph.value(result, sh.sourceShape) == rdflib.URIRef("https://example.org/rules#HasOwner")
    assert graph.value(result, sh.sourceConstraintComponent) == sh.MinCountConstraintComponent
    assert graph.value(result, sh.resultPath) == rdflib.URIRef("https://example.org/op/owner")
    assert graph.value(result, sh.resultSeverity) == sh.Violation
    assert {str(m) for m in graph.objects(result, sh.resultMessage)} == {
        "Каждому процессу нужен владелец", "Every process needs an owner"}


def test_own_shapes_beside_the_shipped_ones_and_explain_says_how_each_ran(tmp_path):
    shapes = tmp_path / "rules.ttl"
    shapes.write_text(OWN_SHAPES, encoding="utf-8")
    done = run(VIOLATION, "--shapes", shapes, "--shipped-shapes", "--format", "json", "--explain")
    data = json.loads(done.stdout)
    assert {r["sourceShape"].rsplit("#", 1)[-1] for r in data["results"]} == {
        "HasOwner", "ParentIdIsIdLessLastComponent"}
    lines = done.stderr.splitlines()
    own = lines.index("https://example.org/rules#OwnerRequired")
    assert lines[own + 1] == "  compiled to SPARQL, run in Oxigraph"
    assert "https://w3id.org/etom-kg/shapes#UniqueProcessId" in lines
    assert max(map(len, lines)) <= 100


def test_no_context_reports_every_result_even_about_nodes_only_used_as_objects(tmp_path):
    shapes = tmp_path / "rules.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/rules#ParentsAreLabelled> a sh:NodeShape ;
          sh:targetObjectsOf skos:broader ;
          sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ] .""", encoding="utf-8")
    alone = json.loads(run(VALID, "--shapes", shapes, "--no-context", "--format", "json").stdout)
    assert [r["focus"] for r in alone["results"]] == ["https://w3id.org/etom-kg/process/P1-1-1-5"]
    # With the shipped graph as context the parent is labelled, and it is not the user's node.
    assert run(VALID, "--shapes", shapes).returncode == 0


def test_a_missing_shapes_file_exits_2(tmp_path):
    done = run(VALID, "--shapes", tmp_path / "nope.ttl")
    assert done.returncode == 2 and "nope.ttl" in done.stderr


@pytest.mark.parametrize("path", [WARNINGS_ONLY, VIOLATION, VALID], ids=lambda p: p.stem)
@pytest.mark.parametrize("level", ["violation", "warning", "info"])
def test_exit_status_json_and_python_report_agree_at_every_fail_on_level(path, level):
    from etom_kg.validation.api import validate

    report = validate(path)
    done = run(path, "--fail-on", level, "--format", "json")
    data = json.loads(done.stdout)
    assert data["conforms"] is report.conforms           # SHACL's: no result at all
    assert data["failOn"] == level
    assert data["passed"] is report.conforms_at(level)   # the exit decision
    assert done.returncode == (0 if data["passed"] else 1)
    assert report.conforms is (path == VALID)
    # warnings only: passes at violation level only; a violation fails at every level
    expected = {WARNINGS_ONLY: level == "violation", VIOLATION: False, VALID: True}[path]
    assert data["passed"] is expected


def test_text_output_is_str_of_the_python_report():
    from etom_kg.validation.api import validate

    for lang in ("ru", "en"):
        done = run(VIOLATION, "--lang", lang)
        assert done.stdout == validate(VIOLATION).to_text(lang)
    assert run(WARNINGS_ONLY).stdout == str(validate(WARNINGS_ONLY))


def test_russian_report_has_no_english_severity_word():
    for path in (VIOLATION, WARNINGS_ONLY):
        done = run(path, "--lang", "ru")
        assert done.stdout.strip()
        assert not re.search(r"\b(violations?|warnings?|info)\b", done.stdout, re.IGNORECASE), \
            done.stdout
    assert "Нарушение:" in run(VIOLATION, "--lang", "ru").stdout


def test_text_report_lines_fit_100_columns():
    for lang in ("ru", "en"):
        out = run(WARNINGS_ONLY, "--lang", lang).stdout
        assert out.count("ProcessLevelBeyondStandard") == 2
        assert max(map(len, out.splitlines())) <= 100, out
    assert "Предупреждение:" in run(WARNINGS_ONLY, "--lang", "ru").stdout
