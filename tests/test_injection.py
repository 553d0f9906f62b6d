"""A parameter value can never change a named query's structure: no extra rows, no odd errors."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etom_kg.graph.queries import library

ATTACKS = [
    '1.1.1.5" } UNION { ?iri ?p ?o } #',
    "1.1.1.5' } UNION { ?iri ?p ?o } #",
    '1.1.1.5"^^<http://www.w3.org/2001/XMLSchema#string>',
    '1.1.1.5"^^etom:ProcessId',
    '"1.1.1.5"^^<https://w3id.org/etom-kg/ontology#ProcessId>',
    "1.1.1.5\n} UNION { ?child ?p ?o }\n#",
    "1.1.1.5\r\n}} UNION {{",
    "} UNION {",
    "{ }",
    "?process",
    "<https://w3id.org/etom-kg/process/P1-1-1-5>",
    "process:P1-1-1-5",
    "1.1.1.5 ) } VALUES ?process { \"1.1.1\" }",
    "\\",
    '\\"',
    "1.1.1.5\u0000",
    "1.1.1.5" + "\u202e",
    '1.1.1.5" } SERVICE <http://127.0.0.1:9/sparql> { ?child ?p ?o } #',
    "1.1.1.5\r} SERVICE <http://127.0.0.1:9/sparql> { ?child ?p ?o } #",
    '1.1.1.5\\u0022 } \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #',
]

# The process queries of the query library itself (issue 4); queries added for
# other features are exercised by their own tests.
PROCESS_QUERIES = ["element", "children", "descendants", "ancestors", "functions", "handoffs",
                   "verticals"]


def test_the_process_queries_take_exactly_one_process_parameter():
    for name in PROCESS_QUERIES:
        assert [(p.name, p.type) for p in library()[name].params] == [
            ("process", "etom:ProcessId")], name


@pytest.mark.parametrize("value", ATTACKS)
@pytest.mark.parametrize("name", PROCESS_QUERIES)
def test_a_process_id_with_sparql_in_it_matches_nothing(kg, name, value):
    assert kg.query(name, process=value) == []


@pytest.mark.parametrize("value", ATTACKS)
def test_a_vertical_name_with_sparql_in_it_matches_nothing(kg, value):
    assert kg.query("vertical-members", vertical=value) == []


@pytest.mark.parametrize("value", ATTACKS + ['заказ" ) ) } UNION { ?process ?p ?found } #'])
def test_search_text_with_sparql_in_it_only_finds_texts_that_contain_it(kg, value):
    for row in kg.query("search", text=value):
        assert value.lower() in row.match.lower()


def test_a_genuine_search_still_works_after_the_attacks(kg):
    # Guards the tests above: they would pass vacuously if search found nothing at all.
    assert len(kg.query("search", text="заказ")) > 0
    assert len(kg.query("children", process="1.1.1")) == 11


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_search_text_returns_only_rows_containing_it(kg, text):
    for row in kg.query("search", text=text):
        assert text.lower() in row.match.lower()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40).filter(lambda t: t.strip() not in ("1.1", "1.1.1")))
def test_any_process_value_finds_at_most_the_process_with_that_exact_id(kg, text):
    rows = kg.query("element", process=text)
    assert [row.id for row in rows] in ([], [text])


def test_the_cli_passes_an_injection_attempt_as_a_plain_value():
    done = subprocess.run(
        [sys.executable, "-m", "etom_kg.cli", "query", "children", "--param",
         'process=1.1.1" } UNION { ?child ?p ?o } #', "--format", "json"],
        capture_output=True, text=True, encoding="utf-8")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "[]", "")
