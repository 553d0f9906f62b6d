"""User SPARQL never changes anything; a failed write never leaves a half-written file."""
from __future__ import annotations

import os

import pytest

from etom_kg.io.atomic import atomic_write

UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "PREFIX ex: <http://example.org/>\n# comment\nDELETE WHERE { ?s ?p ?o }",
    "DROP ALL", "CLEAR DEFAULT", "LOAD <http://127.0.0.1:9/x.ttl>",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "  base <http://example.org/>\n\ninsert data { <s> <p> <o> }",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]


@pytest.mark.parametrize("update", UPDATES)
def test_sparql_update_is_refused_with_one_line_and_exit_2(update, cli, tmp_path, server):
    query = tmp_path / "update.rq"
    query.write_text(update.replace("127.0.0.1:9", server.url[7:]), encoding="utf-8")
    result = cli("sparql", query)
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and str(query) in result.err
    assert result.out == ""
    assert server.requests == []


@pytest.mark.parametrize("update", UPDATES)
def test_the_api_never_runs_an_update(update, kg):
    from etom_kg.core.errors import EtomKgError

    size = len(kg)
    with pytest.raises(EtomKgError):
        kg.sparql(update.replace("127.0.0.1:9", "127.0.0.1:1"))
    assert len(kg) == size


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "result.ttl"
    out.write_bytes(b"previous\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        atomic_write(out, "new content that never lands")
    assert out.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.ttl"]


@pytest.mark.parametrize("argv", [
    ("import-archimate", "{model}", "-o", "{missing}/out.ttl"),
    ("export", "-o", "{missing}/crm.xml"),
    ("merge", "{model}", "-o", "{missing}/out.trig"),
    ("export", "-o", "{folder}"),
], ids=["import-missing-folder", "export-missing-folder", "merge-missing-folder",
        "export-onto-a-folder"])
def test_an_unwritable_output_is_one_line_exit_2_and_creates_nothing(argv, cli, tmp_path, repo):
    model = repo / "tests" / "fixtures" / "enterprise" / "telco-landscape.xml"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "keep.txt").write_bytes(b"keep")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = cli(*(a.format(model=model, missing=tmp_path / "missing", folder=folder)
                   for a in argv))
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
