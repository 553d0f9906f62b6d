"""Bombs fail fast in bounded memory; nothing reaches the network unless asked."""
from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from etom_kg.io import limits
from etom_kg.core.errors import InputError

from .cases import BY_NAME, RDF_NS

MEMORY_CAP = 3 * 1024 ** 3  # address space of the child: a bomb must fail long before this


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def etom_kg_capped(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *map(str, args)],
                          capture_output=True, text=True, preexec_fn=_capped, timeout=300)


@pytest.mark.parametrize("argv", [
    ("query", "children", "--param", "process=1.1.1", "--data", "{f}"),
    ("classify", "{f}", "--engine", "sparql"),
    ("merge", "{f}", "-o", "{out}"),
], ids=lambda argv: argv[0])
def test_billion_laughs_rdfxml_fails_fast_with_one_line(argv, tmp_path, server):
    path = BY_NAME["billion-laughs"].make(tmp_path, server.url)
    out = tmp_path / "out.trig"
    out.write_bytes(b"previous\n")
    result = etom_kg_capped(*(a.format(f=path, out=out) for a in argv))
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{path}:3:" in result.stderr and "entit" in result.stderr  # the first <!ENTITY
    assert out.read_bytes() == b"previous\n"
    assert server.requests == []


def test_debug_shows_the_traceback_and_plain_mode_does_not(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b"@prefix ex: <http://example.org/> .\nex:s ex:p .\n")
    plain = etom_kg_capped("query", "children", "-p", "process=1.1.1", "--data", bad)
    debug = etom_kg_capped("--debug", "query", "children", "-p", "process=1.1.1", "--data", bad)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert f"{bad}:2:" in plain.stderr
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "InputError" in debug.stderr


def test_entity_guard_accepts_the_entities_protege_writes():
    data = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
            f'<!ENTITY owl "http://www.w3.org/2002/07/owl#">\n<!ENTITY ex "http://example.org/">\n]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}">\n'
            + "".join(f'<owl:Class xmlns:owl="&owl;" rdf:about="&ex;C{i}"/>\n' for i in range(5000))
            + "</rdf:RDF>\n").encode()
    limits.check_xml_entities(data, "ok.rdf")  # no exception


def test_entity_guard_refuses_a_quadratic_blowup_and_self_reference():
    big = "x" * 100_000
    quadratic = (f'<!DOCTYPE r [<!ENTITY big "{big}">]><r>' + "&big;" * 500 + "</r>").encode()
    with pytest.raises(InputError, match="entity bomb"):
        limits.check_xml_entities(quadratic, "q.rdf")
    loop = b'<!DOCTYPE r [\n<!ENTITY a "&b;">\n<!ENTITY b "&a;">]><r>&a;</r>'
    with pytest.raises(InputError, match="refers to itself") as caught:
        limits.check_xml_entities(loop, "loop.rdf")
    assert caught.value.line == 2


def test_entity_guard_survives_a_long_chain_of_entities():
    chain = "".join(f'<!ENTITY e{i} "&e{i - 1};">' if i else '<!ENTITY e0 "x">'
                    for i in range(20000))
    limits.check_xml_entities(f"<!DOCTYPE r [{chain}]><r>&e19999;</r>".encode(), "c.rdf")


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path):
    import etom_kg

    huge = tmp_path / "huge.nt"
    with open(huge, "wb") as handle:  # sparse: no disk space used
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(InputError, match="too large") as caught:
        etom_kg.load(extra=[huge])
    assert caught.value.path == str(huge)


def test_turtle_nested_up_to_the_limit_loads_and_deeper_is_refused(tmp_path):
    import etom_kg

    def nested(depth):
        return (b"@prefix ex: <http://example.org/> .\nex:s ex:p "
                + b"[ ex:p " * depth + b"1" + b" ]" * depth + b" .\n"
                + b"ex:s ex:q " + b"( " * depth + b")" * depth + b" .\n")

    ok, deep = tmp_path / "ok.ttl", tmp_path / "deep.ttl"
    ok.write_bytes(nested(limits.MAX_NESTING))
    deep.write_bytes(nested(limits.MAX_NESTING + 1))
    kg = etom_kg.load()
    before = len(kg)
    kg.add(ok)
    assert len(kg) > before + limits.MAX_NESTING
    with pytest.raises(InputError, match="nested") as caught:
        kg.add(deep)
    assert caught.value.path == str(deep)


def test_owl_imports_are_not_followed(tmp_path, server):
    import etom_kg

    onto = tmp_path / "imports.ttl"
    onto.write_text(f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                    f"  <http://www.w3.org/2002/07/owl#imports> <{server.url}/other.ttl> .\n",
                    encoding="utf-8")
    kg = etom_kg.load(extra=[onto])
    assert kg.sparql("ASK { ?o owl:imports ?x }") is True
    kg.classify(onto, engine="sparql")
    assert server.requests == []


def test_owl_imports_are_not_followed_by_the_cli(tmp_path, server, cli):
    onto = tmp_path / "imports.ttl"
    onto.write_text(f"<http://example.org/o> <http://www.w3.org/2002/07/owl#imports> "
                    f"<{server.url}/other.ttl> .\n", encoding="utf-8")
    out = tmp_path / "merged.trig"
    for argv in (["query", "children", "-p", "process=1.1.1", "--data", onto],
                 ["classify", onto, "--engine", "sparql"],
                 ["merge", onto, "-o", out]):
        assert cli(*argv).code == 0
    assert server.requests == []


def test_xinclude_is_not_processed(tmp_path, server):
    import etom_kg

    path = tmp_path / "xinclude.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF_NS}" '
                    f'xmlns:xi="http://www.w3.org/2001/XInclude">\n'
                    f'<rdf:Description rdf:about="http://example.org/s">'
                    f'<xi:include href="{server.url}/inc.xml" parse="xml"/></rdf:Description>\n'
                    f"</rdf:RDF>\n", encoding="utf-8")
    try:
        etom_kg.load(extra=[path])
    except InputError as error:
        assert error.path == str(path)
    assert server.requests == []


def test_user_sparql_with_service_does_not_reach_the_network(tmp_path, server, cli):
    query = tmp_path / "service.rq"
    query.write_text(f"SELECT * WHERE {{ SERVICE <{server.url}/sparql> {{ ?s ?p ?o }} }}\n",
                     encoding="utf-8")
    result = cli("sparql", query)
    assert result.code == 2
    assert result.err.count("\n") == 1 and str(query) in result.err
    assert server.requests == []
