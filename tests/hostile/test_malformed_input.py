"""Broken and hostile RDF files given to every entry point: one clear line, exit 2, nothing written.

Each case (see ``cases.py``) is fed to the Python API and to every CLI command
that reads RDF. Always: exit code 2, exactly one stderr line naming the file
(and the line where the parser knows it), no traceback, the user's previous
output file untouched, and no request reaching the local HTTP server.
"""
from __future__ import annotations

import pytest

from etom_kg.core.errors import InputError

from .cases import ARCHIMATE, MALFORMED

# The billion-laughs file is fed in a memory-capped subprocess (test_bombs.py):
# should its guard ever break, it must not take the whole test run down with it.
IN_PROCESS = [case for case in MALFORMED if case.name != "billion-laughs"]
PREVIOUS = b"previous output - must survive\n"


def _query_file(folder):
    query = folder / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s a etom:Process } LIMIT 1\n", encoding="utf-8")
    return query


# Every CLI entry point that reads a user's RDF file: argv given the file, the
# folder and the output path; and the output file's extension (None when the
# command prints to standard output only).
ENTRY_POINTS = {
    "query": (lambda f, d, out: ["query", "children", "--param", "process=1.1.1", "--data", f],
              None),
    "sparql": (lambda f, d, out: ["sparql", _query_file(d), "--data", f], None),
    "classify": (lambda f, d, out: ["classify", f, "--engine", "sparql"], None),
    "merge": (lambda f, d, out: ["merge", f, "-o", out], ".trig"),
}
# Commands that read ArchiMate exchange files (XML).
XML_ENTRY_POINTS = {
    "import-archimate": (lambda f, d, out: ["import-archimate", f, "-o", out], ".ttl"),
    "merge": (lambda f, d, out: ["merge", f, "-o", out], ".trig"),
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


def _run_refused(cli, build, suffix, path, folder, case, server, check_line=True):
    out = folder / f"previous-output{suffix or '.txt'}"
    out.write_bytes(PREVIOUS)
    argv = build(path, folder, out)
    before = sorted(p.name for p in folder.iterdir())
    result = cli(*argv)
    assert result.code == 2, (result.code, result.err)
    _assert_one_line_naming(result.err, path, case if check_line else
                            type(case)(case.name, case.filename, case.content))
    if suffix is None:
        assert result.out == ""
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in folder.iterdir()) == before  # no stray temporary files
    assert server.requests == []


@pytest.mark.parametrize("command", sorted(ENTRY_POINTS))
def test_cli_refuses_broken_input_with_one_line_and_exit_2(command, hostile, cli, tmp_path,
                                                           server):
    case, path = hostile
    build, suffix = ENTRY_POINTS[command]
    _run_refused(cli, build, suffix, path, tmp_path, case, server)


@pytest.mark.parametrize("case", ARCHIMATE, ids=lambda case: case.name)
@pytest.mark.parametrize("command", sorted(XML_ENTRY_POINTS))
def test_cli_refuses_broken_or_hostile_archimate_files(command, case, cli, tmp_path, server):
    build, suffix = XML_ENTRY_POINTS[command]
    path = case.make(tmp_path, server.url)
    _run_refused(cli, build, suffix, path, tmp_path, case, server)


@pytest.mark.parametrize("case", [c for c in IN_PROCESS if c.name != "very-long-literal"],
                         ids=lambda case: case.name)
def test_import_archimate_refuses_files_that_are_not_exchange_files(case, cli, tmp_path,
                                                                    server):
    build, suffix = XML_ENTRY_POINTS["import-archimate"]
    path = case.make(tmp_path, server.url)
    _run_refused(cli, build, suffix, path, tmp_path, case, server, check_line=False)


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
