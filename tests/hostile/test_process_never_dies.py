"""Inputs that used to kill the process outright (SIGABRT, SIGSEGV) or run for minutes.

Each runs the real ``etom-kg`` in a child process with its address space capped
at 3 GiB (``prlimit --as``): it must end by itself, fast, with exit 2, one
stderr line naming the file and the limit, a modest peak memory, and the
user's previous output untouched.
"""
from __future__ import annotations

import json

import pytest

from .cases import RDF_NS
from .conftest import one_line, run_capped

PEAK_MB = 600  # far below the cap: refused before the engine sees the bytes
PREVIOUS = b"previous output\n"


def _unicode_entity_bomb() -> bytes:
    # Entity names need not be ASCII: &ж1; is as good a name as &a1;.
    entities = '<!ENTITY ж0 "' + "ж" * 60 + '">\n' + "".join(
        f'<!ENTITY ж{i} "' + f"&ж{i - 1};" * 10 + '">\n' for i in range(1, 10))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
            f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&ж9;</ex:p>'
            f"</rdf:Description>\n</rdf:RDF>\n").encode()


def _rdfxml_nested(depth: int) -> bytes:
    return (f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
            + "<rdf:Description><ex:p>" * depth + "</ex:p></rdf:Description>" * depth
            + "</rdf:RDF>\n").encode()


# name, file name, content, a word the message must hold, the line it must name
KILLERS = [
    ("unicode-entity-bomb", "bomb.rdf", _unicode_entity_bomb, "entit", 3),
    ("jsonld-list-10000-deep", "deep.jsonld",
     lambda: b'{"@id": "http://example.org/s", "http://example.org/p": '
             + b'{"@list": [' * 10_000 + b"1" + b"]}" * 10_000 + b"}", "nested", 1),
    ("turtle-collections-1000000-deep", "deep.ttl",
     lambda: b"@prefix ex: <http://example.org/> .\nex:s ex:p " + b"( 1 " * 1_000_000
             + b")" * 1_000_000 + b" .\n", "nested", 2),
    ("turtle-blank-nodes-deep", "blank.ttl",
     lambda: b"@prefix ex: <http://example.org/> .\nex:s ex:p\n" + b"[ ex:p " * 300_000
             + b"1" + b" ]" * 300_000 + b" .\n", "nested", 3),
    ("ntriples-quoted-triples-deep", "star.nt",
     lambda: b"<< " * 100_000 + b"<http://example.org/s> <http://example.org/p> "
             b"<http://example.org/o>" + b" >> <http://example.org/p> <http://example.org/o>"
             * 100_000 + b" .\n", "nested", 1),
    ("rdfxml-200000-deep", "deep.rdf", lambda: _rdfxml_nested(200_000), "nested", 2),
    ("literal-over-16-mib", "long.nt",
     lambda: b'<http://example.org/s> <http://example.org/p> "' + b"x" * (17 * 2 ** 20)
             + b'" .\n', "16 mib", None),
    ("iri-over-16-mib", "long.ttl",
     lambda: b"<http://example.org/s> <http://example.org/p> <http://example.org/"
             + b"x" * (17 * 2 ** 20) + b"> .\n", "16 mib", None),
    ("jsonld-string-over-16-mib", "long.jsonld",
     lambda: b'{"@id": "http://example.org/s", "http://example.org/p": "'
             + b"x" * (17 * 2 ** 20) + b'"}', "16 mib", None),
]


@pytest.mark.parametrize("name,filename,content,why,line", KILLERS, ids=[k[0] for k in KILLERS])
def test_a_file_that_would_kill_the_engine_is_refused_in_one_line(name, filename, content, why,
                                                                   line, tmp_path):
    path = tmp_path / filename
    path.write_bytes(content())
    out = tmp_path / "out.trig"
    out.write_bytes(PREVIOUS)
    result = run_capped("merge", path, "-o", out, timeout=60)
    assert result.code == 2, (result.code, result.err[-2000:])
    message = one_line(result.err)
    assert str(path) in message and why in message.lower(), message
    if line is not None:
        assert f"{path}:{line}:" in message, message
    assert result.peak_mb < PEAK_MB, result.peak_mb
    assert result.seconds < 30, result.seconds  # RDF/XML 200 000 deep took minutes
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([filename, "out.trig"])


def test_the_same_guards_hold_for_validate_and_query(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_bytes(_unicode_entity_bomb())
    for argv in (("validate", bomb), ("query", "children", "-p", "process=1.1.1", "--data", bomb)):
        result = run_capped(*argv, timeout=60)
        assert result.code == 2, result.err[-2000:]
        assert f"{bomb}:3:" in one_line(result.err)
        assert result.peak_mb < PEAK_MB


def _scoped_contexts(n: int) -> bytes:
    context = {f"t{i}": f"http://example.org/t{i}" for i in range(n)}
    context["T"] = {"@id": "http://example.org/T", "@context": {"x": "http://example.org/x"}}
    nodes = [{"@type": "T", "@id": f"http://example.org/n{i}", "x": i} for i in range(n)]
    return json.dumps({"@context": context, "@graph": nodes}).encode()


def test_jsonld_whose_scoped_contexts_make_the_parser_quadratic_is_refused(tmp_path):
    import etom_kg
    from etom_kg.io import limits

    slow = tmp_path / "scoped.jsonld"
    slow.write_bytes(_scoped_contexts(8000))  # 400 KB that the parser chewed on for 38 s
    result = run_capped("merge", slow, "-o", tmp_path / "out.trig", timeout=60)
    assert result.code == 2, result.err[-2000:]
    assert str(slow) in one_line(result.err) and "ETOM_KG_MAX_CONTEXT_WORK" in result.err
    assert result.seconds < 20
    # One context, however large, is what tools write: never refused.
    plain = tmp_path / "plain.jsonld"
    plain.write_text(json.dumps({
        "@context": {f"t{i}": f"http://example.org/t{i}" for i in range(20_000)},
        "@graph": [{"@id": f"http://example.org/n{i}", "t1": i} for i in range(20_000)]}))
    kg = etom_kg.load(links=False)
    before = len(kg)
    kg.add(plain)
    assert len(kg) == before + 20_000
    small = tmp_path / "small.jsonld"
    small.write_bytes(_scoped_contexts(50))
    kg.add(small)
    assert limits.MAX_CONTEXT_WORK == 10 ** 8


@pytest.mark.parametrize("brackets", ["{}", "()"], ids=["braces", "parentheses"])
def test_a_query_nested_5000_deep_is_one_line_not_a_segfault(brackets, tmp_path):
    opening, closing = brackets
    if opening == "{":
        text = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    else:
        text = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    query = tmp_path / "deep.rq"
    query.write_text(text, encoding="utf-8")
    result = run_capped("sparql", query, timeout=60)
    assert result.code == 2, (result.code, result.err[-2000:])  # not 139 (SIGSEGV)
    assert str(query) in one_line(result.err) and "nested" in result.err
    piped = run_capped("sparql", "-", stdin=text.encode(), timeout=60)
    assert piped.code == 2 and "standard input" in one_line(piped.err)


def test_a_deep_query_through_the_api_raises_instead_of_killing_the_interpreter():
    import etom_kg
    from etom_kg.core.errors import EtomKgError
    from etom_kg.io import limits

    kg = etom_kg.load(links=False)
    with pytest.raises(EtomKgError, match="nest"):
        kg.sparql("SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000)
    ok = "SELECT * WHERE " + "{ " * limits.MAX_QUERY_NESTING + "?s ?p ?o " \
        + "} " * limits.MAX_QUERY_NESTING + "LIMIT 1"
    assert len(kg.sparql(ok)) == 1
    # Brackets inside strings, IRIs and comments are not nesting.
    assert kg.sparql('ASK { FILTER("' + "{" * 5000 + '" != "") } # ' + "(" * 5000) is True


def test_a_query_at_the_nesting_limit_runs_even_from_a_thread_with_a_small_stack():
    import subprocess
    import sys

    script = (
        "import threading, etom_kg\n"
        "from etom_kg.io import limits\n"
        "threading.stack_size(512 * 1024)  # web servers' worker threads may have so little\n"
        "kg = etom_kg.load(links=False)\n"
        "d = limits.MAX_QUERY_NESTING\n"
        "def ask():\n"
        "    print(len(kg.sparql('SELECT * WHERE ' + '{ ' * d + '?s ?p ?o ' + '} ' * d"
        " + 'LIMIT 3')))\n"
        "t = threading.Thread(target=ask)\n"
        "t.start()\n"
        "t.join()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])  # not -11 (SIGSEGV)
    assert done.stdout.strip() == "3"
