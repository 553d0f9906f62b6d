"""Remote SPARQL endpoints: push the graph to a real Oxigraph server, query it remotely.

The server (PyPI package ``oxigraph``) is started on 127.0.0.1 by the fixture;
every named query must give the same rows remotely as in the embedded engine.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import etom_kg
from etom_kg.cli import main
from etom_kg.graph.remote import RemoteKnowledgeGraph, push
from etom_kg.core.errors import EtomKgError, UsageError
from etom_kg.graph.queries import library

REPO = Path(__file__).resolve().parents[1]


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the 'oxigraph' server (PyPI package oxigraph, test extra) is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _oxigraph_serve(location):
    """Base URL of `oxigraph serve` on loopback over ``location`` (stopped on exit)."""
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("oxigraph serve exited: " + proc.stderr.read().decode())
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve did not answer within 10 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of a fresh Oxigraph server on loopback (stopped after the module)."""
    with _oxigraph_serve(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def pushed(server):
    """The shipped graph pushed twice: under its own graph names, and into the default graph."""
    local = etom_kg.load()
    by_name = push(server + "/store")
    into_default = push(server + "/store", "default")
    return local, by_name, into_default


def example_params(query) -> dict:
    """Parameter values taken from the query's own header ('e.g. X')."""
    params = {}
    for p in query.params:
        match = re.search(r"e\.g\.\s+(\S+)", p.description)
        assert match, f"{query.name}: parameter {p.name} has no example"
        params[p.name] = match.group(1).rstrip(",.")
    return params


def as_comparable(rows):
    return rows.variables, sorted(repr(sorted((k, str(v)) for k, v in r.terms.items()))
                                  for r in rows)


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_gives_the_same_rows_remotely(pushed, server, name):
    local, _, _ = pushed
    params = example_params(library()[name])
    expected = local.query(name, **params)
    # The default graph of the server holds the union (pushed with graph="default").
    remote = etom_kg.load(endpoint=server + "/query")
    assert as_comparable(remote.query(name, **params)) == as_comparable(expected)


@pytest.mark.parametrize("name", ["element", "children", "functions", "handoffs", "verticals"])
def test_named_graphs_can_be_chosen_as_the_default_graph(pushed, server, name):
    # SPARQL 1.1 default-graph-uri: one per named graph, for servers without a union default graph.
    local, _, _ = pushed
    params = example_params(library()[name])
    named = RemoteKnowledgeGraph(server + "/query", graphs=local.graph_names())
    assert as_comparable(named.query(name, **params)) == as_comparable(local.query(name, **params))


def test_push_uploads_every_shipped_graph_under_its_own_name(pushed, server):
    local, by_name, into_default = pushed
    assert sorted(by_name) == local.graph_names()
    assert sum(by_name.values()) == len(local)
    remote = RemoteKnowledgeGraph(server + "/query")
    rows = remote.sparql("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r.g: r.n for r in rows} == by_name
    assert into_default == {"default": len({(q.subject, q.predicate, q.object)
                                            for q in local.store})}


def test_pushing_again_replaces_rather_than_duplicates(pushed, server):
    before = RemoteKnowledgeGraph(server + "/query").sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0].n
    push(server + "/store")
    after = RemoteKnowledgeGraph(server + "/query").sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0].n
    assert after == before


def test_remote_process_equals_embedded_process(pushed, server):
    local, _, _ = pushed
    assert etom_kg.load(endpoint=server + "/query").process("1.1.1.5") == local.process("1.1.1.5")


def test_remote_ask_and_construct(pushed, server):
    remote = etom_kg.load(endpoint=server + "/query")
    assert remote.sparql("ASK { process:P1-1-1-5 skos:broader process:P1-1-1 }") is True
    triples = remote.sparql("CONSTRUCT { ?p skos:broader process:P1-1-1 } "
                            "WHERE { ?p skos:broader process:P1-1-1 }")
    local = etom_kg.load().sparql("CONSTRUCT { ?p skos:broader process:P1-1-1 } "
                                  "WHERE { ?p skos:broader process:P1-1-1 }")
    assert set(triples) == set(local) and len(local) == 11


def test_a_user_file_can_be_pushed_and_queried(server, tmp_path):
    data = tmp_path / "extension.ttl"
    data.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "<urn:x:order-intake> skos:prefLabel \"Order intake\"@en .\n",
                    encoding="utf-8")
    assert main(["push", "--endpoint", server + "/store", "--data", str(data)]) == 0
    remote = RemoteKnowledgeGraph(server + "/query")
    rows = remote.sparql("SELECT ?g WHERE { GRAPH ?g { <urn:x:order-intake> ?p ?o } }")
    assert [r.g for r in rows] == [data.resolve().as_uri()]


def test_a_query_syntax_error_is_one_line(server):
    with pytest.raises(EtomKgError) as info:
        RemoteKnowledgeGraph(server + "/query").sparql("SELECT WHERE {")
    assert "HTTP 400" in str(info.value) and "\n" not in str(info.value)


def test_an_unreachable_endpoint_is_a_one_line_error():
    url = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(EtomKgError) as info:
        RemoteKnowledgeGraph(url).query("children", process="1.1.1")
    assert str(info.value).startswith(url + ": cannot connect") and "\n" not in str(info.value)


def test_only_http_endpoints_are_accepted():
    with pytest.raises(UsageError):
        etom_kg.load(endpoint="file:///etc/passwd")


def test_authorization_comes_from_the_environment(monkeypatch):
    from etom_kg.graph.remote import AUTH_ENV, _headers

    monkeypatch.setenv(AUTH_ENV, "Bearer s3cret")
    assert _headers({})["Authorization"] == "Bearer s3cret"
    monkeypatch.delenv(AUTH_ENV)
    assert "Authorization" not in _headers({})


def test_push_cli_reports_graphs_and_fails_cleanly(server, capsys):
    assert main(["push", "--endpoint", server + "/store"]) == 0
    out = capsys.readouterr().out
    assert "triples → https://w3id.org/etom-kg/graph/etom-kg/etom-crm" in out
    url = f"http://127.0.0.1:{_free_port()}/store"
    assert main(["push", "--endpoint", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("etom-kg: error: " + url) and err.count("\n") == 1


def test_query_and_sparql_commands_accept_an_endpoint(pushed, server, capsys, tmp_path):
    assert main(["query", "children", "--param", "process=1.1.1", "--format", "csv",
                 "--endpoint", server + "/query"]) == 0
    remote = capsys.readouterr().out
    assert main(["query", "children", "--param", "process=1.1.1", "--format", "csv"]) == 0
    assert remote == capsys.readouterr().out and "Order handling" in remote
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?id WHERE { process:P1-1-1-5 skos:notation ?id }", encoding="utf-8")
    assert main(["sparql", str(query), "--format", "csv", "--endpoint", server + "/query"]) == 0
    assert capsys.readouterr().out.splitlines() == ["id", "1.1.1.5"]
    assert main(["query", "children", "--param", "process=1.1.1", "--data", str(query),
                 "--endpoint", server + "/query"]) == 2
    assert "--data cannot be used with --endpoint" in capsys.readouterr().err


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory):
    """A plain `oxigraph serve` (default graph = the default graph, not the union) after
    `etom-kg push`: what a new user starts."""
    with _oxigraph_serve(tmp_path_factory.mktemp("oxigraph-plain")) as base:
        yield base


def test_an_empty_server_says_so_instead_of_answering_nothing(plain_server, capsys):
    assert main(["query", "children", "--param", "process=1.1.1",
                 "--endpoint", plain_server + "/query"]) == 2
    err = capsys.readouterr().err
    assert "holds no data" in err and "etom-kg push" in err and err.count("\n") == 1


@pytest.fixture(scope="module")
def plain_pushed(plain_server):
    push(plain_server + "/store")   # each graph under its own name, default graph empty
    return plain_server


@pytest.mark.parametrize("name", sorted(library()))
def test_named_queries_after_a_plain_push_give_the_embedded_rows(plain_pushed, name):
    plain_server = plain_pushed
    params = example_params(library()[name])
    remote = etom_kg.load(endpoint=plain_server + "/query")
    assert as_comparable(remote.query(name, **params)) == \
        as_comparable(etom_kg.load().query(name, **params))


def test_a_user_query_after_a_plain_push_sees_the_pushed_graphs(plain_pushed, capsys,
                                                                 tmp_path):
    plain_server = plain_pushed
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?id WHERE { process:P1-1-1-5 skos:notation ?id }", encoding="utf-8")
    assert main(["sparql", str(query), "--format", "csv",
                 "--endpoint", plain_server + "/query"]) == 0
    assert capsys.readouterr().out.splitlines() == ["id", "1.1.1.5"]
    # a query with its own FROM gets exactly that dataset from the server
    crm = "https://w3id.org/etom-kg/graph/etom-kg/etom-crm"
    remote = RemoteKnowledgeGraph(plain_server + "/query")
    assert remote.sparql(f"ASK FROM <{crm}> {{ process:P1-1-1-5 skos:notation ?id }}") is True
    assert remote.sparql("ASK FROM <urn:nothing> { ?s ?p ?o }") is False


def test_unrelated_data_in_the_default_graph_does_not_hide_the_pushed_graphs(plain_pushed):
    # Someone's own triple in the default graph of the plain server: the named graphs,
    # where push put etom-kg, are still the ones queried.
    other = etom_kg.load(links=False)
    for graph in list(other.store.named_graphs()):
        other.store.remove_graph(graph)
    import pyoxigraph as ox
    other.store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"),
                            ox.NamedNode("urn:x:o"), ox.NamedNode("urn:x:g")))
    push(plain_pushed + "/store", "default", kg=other)
    remote = etom_kg.load(endpoint=plain_pushed + "/query")
    assert len(remote.query("children", process="1.1.1")) == 11
    assert remote.sparql("ASK { <urn:x:s> <urn:x:p> <urn:x:o> }") is False   # not in the union
