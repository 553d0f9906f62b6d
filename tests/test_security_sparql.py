"""A user's SPARQL never reaches the network, however it is spelled, and FROM means FROM.

The guard decides on the parsed query; each attack below names a recording HTTP
server on 127.0.0.1 and the test checks that it received nothing.
"""
from __future__ import annotations

import http.server
import io
import re
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import etom_kg
from etom_kg.cli import main
from etom_kg.core.errors import UsageError
from etom_kg.graph import guard
from etom_kg.graph.queries import library
from etom_kg.graph.remote import RemoteKnowledgeGraph

CRM = "https://w3id.org/etom-kg/graph/etom-kg/etom-crm"


@pytest.fixture(scope="module")
def recorder():
    """A SPARQL-looking server on 127.0.0.1 that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            seen.append(f"{self.command} {self.path}")
            body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/sparql", seen
    httpd.shutdown()
    httpd.server_close()


def attacks(url: str) -> list[str]:
    escaped = "".join(f"\\u{ord(c):04X}" for c in url)
    return [
        f"SELECT * WHERE {{ # a comment ended by a bare CR\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # CR LF\r\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} "
        "LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"ASK {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url[:-6]}>\nSELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        # an escaped quote that rdflib (SPARQL 1.1, 19.2) and Oxigraph read differently
        f"SELECT * WHERE {{ BIND('\\u0027' AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} "
        "BIND('x' AS ?b) }",
        f'SELECT * WHERE {{ BIND("\\u0022\\u0022" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} '
        'BIND("\\"\\"\\"" AS ?b) }',
        f"SELECT * WHERE {{ ?s ?p <urn:a\\u003E . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


REFUSED = "SERVICE is not allowed|escapes a delimiter"


def test_every_spelling_of_service_is_refused_by_the_api(kg, recorder):
    url, seen = recorder
    for text in attacks(url):
        with pytest.raises(UsageError, match=REFUSED):
            kg.sparql(text)
    assert seen == []


def sparql_from_stdin(text: str) -> int:
    """`etom-kg sparql -` with ``text`` on standard input; its exit code."""
    real, sys.stdin = sys.stdin, io.StringIO(text)
    try:
        return main(["sparql", "-"])
    finally:
        sys.stdin = real


def test_every_spelling_of_service_is_refused_by_the_cli(recorder, capsys):
    url, seen = recorder
    for text in attacks(url):
        capsys.readouterr()
        code = sparql_from_stdin(text)
        err = capsys.readouterr().err
        assert code == 2 and re.search(REFUSED, err) and err.count("\n") == 1, text
    assert seen == []


def test_service_is_refused_for_a_remote_endpoint_too(recorder):
    url, seen = recorder
    count = len(seen)
    with pytest.raises(UsageError, match="SERVICE is not allowed"):
        RemoteKnowledgeGraph(url).sparql(attacks(url)[0])
    assert len(seen) == count   # refused before anything was sent


def test_the_rdflib_view_refuses_service_and_load(recorder):
    url, seen = recorder
    kg = etom_kg.load(links=False)
    with pytest.raises(UsageError):
        kg.graph.query(attacks(url)[0])
    with pytest.raises(UsageError):
        kg.graph.update(f"LOAD <{url}/data.ttl>")
    with pytest.raises(UsageError):
        kg.graph.update(f"# x\rLOAD <{url}/data.ttl> INTO GRAPH <urn:x>")
    with pytest.raises(UsageError):
        kg.graph.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    from rdflib.plugins.sparql import prepareQuery

    prepared = prepareQuery(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    with pytest.raises(UsageError):
        kg.graph.query(prepared)
    assert seen == []
    assert len(kg.graph.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")) == 3


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service skos:notation \"1.1.1.5\"^^etom:ProcessId }",
    "SELECT ?from WHERE { ?from skos:notation \"1.1.1.5\"^^etom:ProcessId }",
    "# SERVICE <http://127.0.0.1:9/> { }\rSELECT ?p WHERE { ?p skos:notation ?n "
    "FILTER(STR(?n) = \"1.1.1.5\") }",
    "SELECT ?p WHERE { ?p skos:notation ?n FILTER(STR(?n) = \"1.1.1.5\" "
    "&& !CONTAINS(\"SERVICE <x> {}\", \"FROM <x>\")) }",
    "SELECT ?p WHERE { ?p skos:notation ?n FILTER(STR(?n) = \"1.1.1.5\") } # FROM <urn:x>",
    "SELECT ?p WHERE { ?p skos:notation ?n FILTER(STR(?n) = \"1.1.1.5\") "
    "FILTER(?p != <urn:SERVICE>) }",
])
def test_queries_that_only_mention_the_words_still_run(kg, text):
    assert len(kg.sparql(text)) == 1


def test_named_queries_pass_the_guard_and_are_never_parsed_on_the_way(kg, monkeypatch):
    for query in library().values():
        assert guard.shape(query.text) == guard.QueryShape(), query.name
        guard.check_nesting(query.text)
    monkeypatch.setattr(guard, "shape", None)   # kg.query must not need it
    assert len(kg.query("children", process="1.1.1")) == 11


# -- the dataset clause ------------------------------------------------------------------

def test_from_a_graph_that_does_not_exist_counts_nothing(kg):
    assert kg.sparql("SELECT (COUNT(*) AS ?n) FROM <urn:no-such-graph> "
                     "WHERE { ?s ?p ?o }")[0].n == 0


def test_from_a_shipped_graph_counts_exactly_that_graph(kg):
    alone = kg.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CRM}> {{ ?s ?p ?o }} }}")[0].n
    assert 0 < alone < len(kg)
    assert kg.sparql(f"SELECT (COUNT(*) AS ?n) FROM <{CRM}> WHERE {{ ?s ?p ?o }}")[0].n == alone


def test_from_named_limits_the_graphs_a_query_can_name(kg):
    rows = kg.sparql(f"SELECT DISTINCT ?g FROM NAMED <{CRM}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert [r.g for r in rows] == [CRM]
    # FROM NAMED alone: the default graph is empty (SPARQL 1.1, 13.2)
    assert kg.sparql(f"ASK FROM NAMED <{CRM}> {{ ?s ?p ?o }}") is False


def test_from_in_the_cli(capsys, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n)\r# comment\rFROM <urn:nothing> WHERE { ?s ?p ?o }",
                     encoding="utf-8")
    assert main(["sparql", str(query), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "0"]


def test_from_and_graphs_together_are_refused(kg):
    with pytest.raises(UsageError, match="FROM"):
        kg.sparql("SELECT * FROM <urn:x> WHERE { ?s ?p ?o }", graphs=[CRM])


@pytest.mark.parametrize("text", ["LOAD <{url}>", "# x\rLOAD <{url}> INTO GRAPH <urn:g>"])
def test_a_load_given_as_a_query_is_refused_before_anything_is_sent(kg, recorder, text):
    url, seen = recorder
    count = len(seen)
    with pytest.raises(UsageError, match="LOAD is not allowed"):
        kg.sparql(text.format(url=url))
    with pytest.raises(UsageError, match="LOAD is not allowed"):
        RemoteKnowledgeGraph(url, graphs=[]).sparql(text.format(url=url))
    assert len(seen) == count


def test_an_update_hidden_behind_a_cr_comment_changes_nothing(kg):
    size = len(kg)
    with pytest.raises(UsageError):
        kg.sparql("# x\rINSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert len(kg) == size


def test_from_a_web_address_is_never_fetched(kg, recorder):
    url, seen = recorder
    count = len(seen)
    assert kg.sparql(f"SELECT (COUNT(*) AS ?n) FROM <{url}> FROM NAMED <{url}/g> "
                     "WHERE { ?s ?p ?o }")[0].n == 0
    assert len(kg.graph.query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")) == 0
    assert len(seen) == count


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <urn:p> " + "(" * 300 + ")" * 300 + " }",      # minutes to parse
    "SELECT * WHERE " + "{" * 20000 + "}" * 20000,                       # crashes the parser
    "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "SELECT * WHERE { ?s <urn:p> " + "[ <urn:p> " * 500 + "]" * 500 + " }",
])
def test_a_query_nested_absurdly_deep_is_one_line_not_a_crash_or_a_hang(kg, capsys, text):
    with pytest.raises(UsageError, match="nests"):
        kg.sparql(text)
    code = sparql_from_stdin(text)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1


def test_a_reasonably_nested_query_still_runs(kg):
    text = ("SELECT ?p WHERE { { { ?p skos:notation ?n FILTER(((STR(?n) = \"1.1.1.5\"))) } } "
            "FILTER(\"{{{{((((\" != \"x\") }")
    assert len(kg.sparql(text)) == 1


# Pieces that make the parsers disagree if anything does: quotes, escapes of quotes,
# comments ended by CR or LF, IRIs, brackets. pyoxigraph refuses a SERVICE call to port 9
# with an OSError before connecting: a harmless witness that the engine tried.
PIECES = ['"', "'", '"""', "\'\'\'", "\\u0022", "\\u0027", "\\u0053", "#", "\r", "\n", "<",
          ">", "\\u003C", "\\u003E", "BIND(", " AS ?x)", "?s ?p ", ".", " ", "\\", "{", "}"]
SKELETONS = ["SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o }",
             "VALUES ?e { <http://127.0.0.1:9/s> } SERVICE SILENT ?e { ?s ?p ?o }",
             "\\u0053ERVICE <http://127.0.0.1:9/s> { ?s ?p ?o }"]


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(SKELETONS),
       st.lists(st.sampled_from(PIECES), max_size=6))
def test_no_spelling_gets_a_service_call_past_the_guard(kg, before, skeleton, after):
    text = f"SELECT * WHERE {{ {''.join(before)} {skeleton} {''.join(after)} }}"
    try:
        kg.sparql(text)
    except UsageError:
        return   # refused (or a syntax error): nothing ran
    except OSError as exc:   # the engine tried to call the service
        pytest.fail(f"SERVICE got past the guard: {text!r} ({exc})")
