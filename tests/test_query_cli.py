"""`etom-kg queries`, `etom-kg query` and `etom-kg sparql`, run as a user runs them."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest


def cli(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args], input=stdin,
                          capture_output=True, text=True, encoding="utf-8")


def one_line_error(done, *fragments):
    assert done.returncode == 2, done
    assert done.stdout == ""
    assert done.stderr.startswith("etom-kg: error: ") and done.stderr.count("\n") == 1, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr


CHILDREN_OF_CRM = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
                   "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]


def test_queries_lists_every_query_with_its_parameters():
    done = cli("queries")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[2:]}
    for name in ("element", "children", "descendants", "ancestors", "functions",
                 "vertical-members", "search", "handoffs", "hygiene", "statistics"):
        assert name in lines
    assert "process (etom:ProcessId)" in lines["children"]
    assert "vertical (xsd:string)" in lines["vertical-members"]
    assert "text (xsd:string)" in lines["search"]


def test_queries_as_json_describes_parameters_and_result_columns():
    done = cli("queries", "--format", "json")
    by_name = {q["name"]: q for q in json.loads(done.stdout)}
    assert by_name["search"]["params"] == [
        {"name": "text", "type": "xsd:string", "required": True,
         "description": "the text to look for, e.g. заказ or credit"}]
    assert by_name["ancestors"]["returns"] == ["ancestor", "id", "level", "labelRu", "labelEn"]
    assert by_name["hygiene"]["params"] == []


def test_query_as_json_is_a_list_of_objects_keyed_by_result_variables():
    done = cli("query", "children", "--param", "process=1.1.1", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["id"] for row in rows] == CHILDREN_OF_CRM
    assert list(rows[0]) == ["child", "id", "level", "labelRu", "labelEn", "confidence"]
    assert rows[4] == {"child": "https://w3id.org/etom-kg/process/P1-1-1-5", "id": "1.1.1.5",
                       "level": 2, "labelRu": "Обработка заказов", "labelEn": "Order handling",
                       "confidence": None}


def test_query_as_csv_has_a_header_and_one_line_per_row():
    done = cli("query", "ancestors", "-p", "process=1.1.1.5", "--format", "csv")
    assert done.returncode == 0
    assert list(csv.reader(io.StringIO(done.stdout))) == [
        ["ancestor", "id", "level", "labelRu", "labelEn"],
        ["https://w3id.org/etom-kg/process/P1-1", "1.1", "0", "Основная деятельность",
         "Operations"],
        ["https://w3id.org/etom-kg/process/P1-1-1", "1.1.1", "1", "Управление взаимоотношениями "
         "с клиентами", "Customer Relationship Management"],
    ]


def test_query_as_table_aligns_columns():
    done = cli("query", "functions", "--param", "process=1.1.1.5")
    assert done.returncode == 0
    header, rule, *rows = done.stdout.splitlines()
    assert header.split() == ["function", "order", "labelRu", "labelEn", "definitionRu",
                              "definitionEn"]
    assert set(rule) <= {"-", " "}
    assert len(rows) == 7
    column = header.index("order")
    assert [row[column:].split()[0] for row in rows] == [str(n) for n in range(1, 8)]


def test_query_with_cyrillic_parameter_value():
    done = cli("query", "vertical-members", "--param", "vertical=выполнение заказов",
               "--format", "json")
    assert [row["id"] for row in json.loads(done.stdout) if row["level"] == 2] == [
        "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.9"]


def test_a_query_that_finds_nothing_prints_the_header_and_succeeds():
    done = cli("query", "children", "--param", "process=1.1.1.5.4.1", "--format", "csv")
    assert (done.returncode, done.stdout) == (0, "child,id,level,labelRu,labelEn,confidence\n")
    assert cli("query", "children", "-p", "process=1.1.1.5.4.1", "--format",
               "json").stdout == "[]\n"


@pytest.mark.parametrize("args, fragments", [
    (["query", "nope"], ["unknown query 'nope'", "etom-kg queries"]),
    (["query", "children", "--param", "proc=1.1.1"], ["unknown parameter 'proc'"]),
    (["query", "children"], ["missing required parameter 'process'"]),
    (["query", "children", "--param", "1.1.1"], ["expected KEY=VALUE"]),
    (["query", "children", "-p", "process=1.1.1", "-p", "process=1.1"], ["given twice"]),
    (["query", "children", "-p", "process=1.1.1", "--data", "missing.ttl"],
     ["missing.ttl: no such file"]),
])
def test_bad_query_usage_is_a_one_line_error_with_exit_2(args, fragments):
    one_line_error(cli(*args), *fragments)


def test_query_over_added_data(tmp_path):
    data = tmp_path / "operator.ttl"
    data.write_text("""
        PREFIX etom: <https://w3id.org/etom-kg/ontology#>
        PREFIX process: <https://w3id.org/etom-kg/process/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        process:P123456-1-1-1-5 a etom:ProcessElement ;
            skos:notation "123456.1.1.1.5"^^etom:ProcessId ;
            skos:prefLabel "Order handling, operator variant"@en ;
            skos:broader process:P1-1-1 .
        """, encoding="utf-8")
    done = cli("query", "children", "-p", "process=1.1.1", "--data", str(data), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "123456.1.1.1.5" in [row["id"] for row in json.loads(done.stdout)]


def test_bad_data_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    one_line_error(cli("query", "children", "-p", "process=1.1.1", "--data", str(bad)),
                   f"{bad}:2")


# -- etom-kg sparql ---------------------------------------------------------------------
def test_sparql_from_a_file_with_predeclared_prefixes(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?f WHERE { process:P1-1-1-5 etom:hasFunction ?f } ORDER BY ?f "
                     "LIMIT 2", encoding="utf-8")
    done = cli("sparql", str(query), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"f": "https://w3id.org/etom-kg/function/F1-1-1-5-1"},
                                       {"f": "https://w3id.org/etom-kg/function/F1-1-1-5-2"}]


def test_sparql_from_standard_input_and_ask():
    done = cli("sparql", "-", "--format", "json",
               stdin="ASK { ?e skos:notation \"1.1.1.5\"^^etom:ProcessId }")
    assert (done.returncode, done.stdout) == (0, "true\n")
    done = cli("sparql", "-", stdin="ASK { ?e skos:notation \"1.1.1.8\"^^etom:ProcessId }")
    assert done.stdout.splitlines()[-1].strip() == "false"


def test_sparql_construct_as_turtle():
    done = cli("sparql", "-", "--format", "turtle", stdin=(
        "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e skos:notation \"1.1.1.5\"^^etom:ProcessId ;"
        " skos:prefLabel ?l }"))
    assert done.returncode == 0, done.stderr
    import pyoxigraph as ox

    triples = list(ox.parse(done.stdout, format=ox.RdfFormat.TURTLE))
    assert sorted(t.object.value for t in triples) == ["Order handling", "Обработка заказов"]


def test_sparql_sees_added_data(tmp_path):
    data = tmp_path / "d.ttl"
    data.write_text("<https://operator.example/p> a <https://w3id.org/etom-kg/ontology#RealProcess> .",
                    encoding="utf-8")
    done = cli("sparql", "-", "--data", str(data), "--format", "csv",
               stdin="SELECT ?p WHERE { ?p a etom:RealProcess }")
    assert done.stdout == "p\nhttps://operator.example/p\n"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <https://x/a> <https://x/b> <https://x/c> }",
    "PREFIX ex: <https://x/>\n# remove everything\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://unreachable.invalid/data.ttl>",
    "drop graph <https://w3id.org/etom-kg/graph/etom-kg/etom>",
])
def test_sparql_update_is_refused(update):
    one_line_error(cli("sparql", "-", stdin=update), "SPARQL Update is not allowed")


def test_sparql_syntax_error_and_missing_file():
    one_line_error(cli("sparql", "-", stdin="SELECT ?x WHERE { ?x"), "SPARQL syntax error")
    one_line_error(cli("sparql", "no-such-query.rq"), "no-such-query.rq: no such file")
    one_line_error(cli("sparql", "-", "--format", "turtle", stdin="SELECT * WHERE { }"),
                   "needs a CONSTRUCT or DESCRIBE query")
