"""``etom-kg validate``: formats, languages, --fail-on and exit codes, run as users run it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
VALID = FIXTURES / "valid" / "01-valid-minimal-extension-element.ttl"
WARNINGS_ONLY = FIXTURES / "invalid" / "07-invalid-level-5.ttl"
VIOLATION = FIXTURES / "invalid" / "14-invalid-parent-id.ttl"


def run(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", "validate", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_conforming_file_exits_0():
    done = run(VALID)
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stdout


def test_violation_exits_1_and_text_groups_by_element():
    done = run(VIOLATION, "--lang", "ru")
    assert done.returncode == 1
    assert done.stdout.startswith("2.1.1.6.1 — Элемент 2.1.1.6.1")
    assert "Violation" in done.stdout and "ParentIdIsIdLessLastComponent" in done.stdout


def test_fail_on_chooses_the_level():
    assert run(WARNINGS_ONLY).returncode == 0
    assert run(WARNINGS_ONLY, "--fail-on", "warning").returncode == 1
    assert run(WARNINGS_ONLY, "--fail-on", "info").returncode == 1


def test_json_output_is_as_specified():
    done = run(VIOLATION, "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["conforms"] is False
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
