"""Broken and hostile RDF files given to every entry point: one clear line, exit 2, nothing written.

Each case (see ``cases.py``) is fed to the Python API and to every CLI command
that reads RDF. Always: exit code 2, exactly one stderr line naming the file
(and the line where the parser knows it), no traceback, the user's previous
output file untouched, and no request reaching the local HTTP server.
"""
from __future__ import annotations

import pytest

from etom_kg.errors import InputError

from .cases import MALFORMED

# The billion-laughs file is fed in a memory-capped subprocess (test_bombs.py):
# should its guard ever break, it must not take the whole test run down with it.
IN_PROCESS = [case for case in MALFORMED if case.name != "billion-laughs"]
PREVIOUS = b"previous output - must survive\n"


def _query_file(folder):
    query = folder / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s a etom:Process } LIMIT 1\n", encoding="utf-8")
    return query


# Every CLI entry point that reads a user's RDF file: argv given the file, the
# folder and the output path (None when the command prints to standard output).
ENTRY_POINTS = {
    "query": lambda f, d, out: ["query", "children", "--param", "process=1.1.1", "--data", f],
    "sparql": lambda f, d, out: ["sparql", _query_file(d), "--data", f],
    "classify": lambda f, d, out: ["classify", f, "--engine", "sparql"],
}


@pytest.fixture(params=IN_PROCESS, ids=lambda case: case.name)
def hostile(request, tmp_path, server):
    case = request.param
    return case, case.make(tmp_path, server.url)


def _assert_one_line_naming(err: str, path, case) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("etom-kg: error: "), line
    assert str(path) in line, line
    if case.line is not None:
        assert f"{path}:{case.line}:" in line, line
    if case.why:
        assert case.why in line.lower(), line
    return line


@pytest.mark.parametrize("command", sorted(ENTRY_POINTS))
def test_cli_refuses_broken_input_with_one_line_and_exit_2(command, hostile, cli, tmp_path,
                                                           server):
    case, path = hostile
    out = tmp_path / "previous-output.txt"
    out.write_bytes(PREVIOUS)
    argv = ENTRY_POINTS[command](path, tmp_path, out)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli(*argv)
    assert result.code == 2, (result.code, result.err)
    _assert_one_line_naming(result.err, path, case)
    assert result.out == ""
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no stray temporary files
    assert server.requests == []


def test_api_raises_input_error_carrying_path_and_line(hostile, server):
    import etom_kg

    case, path = hostile
    with pytest.raises(InputError) as caught:
        etom_kg.load(extra=[path])
    error = caught.value
    assert error.path == str(path)
    if case.line is not None:
        assert error.line == case.line
    assert "\n" not in str(error)
    assert str(error).startswith(str(path))
    assert server.requests == []


def test_api_leaves_the_graph_unchanged_when_a_file_is_refused(hostile, kg, server):
    import etom_kg

    case, path = hostile
    graph = etom_kg.load()
    size = len(graph)
    with pytest.raises(InputError):
        graph.add(path)
    assert len(graph) == size
    assert server.requests == []


def test_classify_api_raises_input_error(hostile, kg, server):
    case, path = hostile
    with pytest.raises(InputError) as caught:
        kg.classify(path, engine="sparql")
    assert caught.value.path == str(path)
    assert server.requests == []
