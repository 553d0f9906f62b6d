"""Inputs that used to end in a Python traceback: now one line naming the file, exit 2."""
from __future__ import annotations

import io
import os
import shutil
import sys

import pytest

from .conftest import one_line

NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"


def _model(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<model xmlns="{NS3}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-m">\n'
            f'<name xml:lang="en">Operator</name>\n{body}</model>\n')


def _element(identifier: str | None, name: str = "CRM", kind: str = "ApplicationComponent"):
    ident = "" if identifier is None else f' identifier="{identifier}"'
    return f'<element{ident} xsi:type="{kind}"><name xml:lang="en">{name}</name></element>'


ACTOR = _element("id-a", "Sales", "BusinessActor")
ARCHIMATE = {
    "element-without-identifier": (f"<elements>{_element(None)}</elements>", "no identifier"),
    "relationship-without-identifier": (
        f"<elements>{ACTOR}{_element('id-b')}</elements><relationships>"
        '<relationship source="id-a" target="id-b" xsi:type="Serving"/></relationships>',
        "no identifier"),
    "identifier-with-a-space": (f"<elements>{_element('id a')}</elements>", "'id a'"),
    "identifier-with-gt": (f"<elements>{_element('id&gt;a')}</elements>", "'id>a'"),
    "view-node-refers-to-a-bad-identifier": (
        f"<elements>{ACTOR}</elements><views><diagrams><view identifier=\"v1\" "
        'xsi:type="Diagram"><name xml:lang="en">V</name><node identifier="n1" '
        'elementRef="id a" xsi:type="Element" x="0" y="0" w="9" h="9"/></view></diagrams></views>',
        "'id a'"),
}


@pytest.mark.parametrize("case", sorted(ARCHIMATE))
@pytest.mark.parametrize("command", ["import-archimate", "merge"])
def test_a_broken_archimate_identifier_is_one_line(case, command, cli, tmp_path):
    body, why = ARCHIMATE[case]
    model = tmp_path / "model.xml"
    model.write_text(_model(body), encoding="utf-8")
    out = tmp_path / ("out.ttl" if command == "import-archimate" else "out.trig")
    out.write_bytes(b"previous\n")
    result = cli(command, model, "-o", out)
    assert result.code == 2, result
    line = one_line(result.err)
    assert str(model) in line and why in line, line
    assert out.read_bytes() == b"previous\n"


@pytest.mark.parametrize("command", ["import-archimate", "merge"])
def test_a_duplicate_identifier_is_reported_not_silently_fused(command, cli, tmp_path):
    model = tmp_path / "model.xml"
    model.write_text(_model(f"<elements>{ACTOR}{_element('id-a')}</elements>"), encoding="utf-8")
    out = tmp_path / ("out.ttl" if command == "import-archimate" else "out.trig")
    result = cli(command, model, "-o", out)
    assert "Traceback" not in result.err
    assert "id-a" in result.err + result.out and "twice" in (result.err + result.out).lower()


def test_folders_nested_3000_deep_are_read_without_recursion(cli, tmp_path):
    folders = '<item><label xml:lang="en">f</label>' * 3000 + "</item>" * 3000
    model = tmp_path / "deep.xml"
    model.write_text(_model(f"<elements>{ACTOR}</elements><organizations>{folders}"
                            "</organizations>"), encoding="utf-8")
    result = cli("import-archimate", model, "-o", tmp_path / "out.ttl")
    assert result.code == 0, result.err
    assert (tmp_path / "out.ttl").read_text(encoding="utf-8").count("Folder") >= 3000


TRIPLE = b'<http://example.org/s> <http://example.org/p> "x" .\n'
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("name,content", [
    ("bom.ttl", BOM + b"@prefix ex: <http://example.org/> .\nex:s ex:p 1 .\n"),
    ("bom.nt", BOM + TRIPLE),
    ("bom.trig", BOM + b"@prefix ex: <http://example.org/> .\nex:g { ex:s ex:p 1 . }\n"),
    ("bom.nq", BOM + TRIPLE),
])
def test_a_utf8_byte_order_mark_is_accepted(name, content, tmp_path):
    import etom_kg

    path = tmp_path / name
    path.write_bytes(content)
    kg = etom_kg.load(links=False)
    before = len(kg)
    kg.add(path)
    assert len(kg) == before + 1


def test_after_a_byte_order_mark_errors_still_name_the_right_line(tmp_path):
    import etom_kg
    from etom_kg.core.errors import InputError

    path = tmp_path / "bad.ttl"
    path.write_bytes(BOM + b"@prefix ex: <http://example.org/> .\nex:s ex:p .\n")
    with pytest.raises(InputError) as caught:
        etom_kg.load(extra=[path], links=False)
    assert caught.value.line == 2


def test_a_symlink_loop_is_one_line(cli, tmp_path):
    loop = tmp_path / "loop.ttl"
    os.symlink(tmp_path / "other.ttl", loop)
    os.symlink(loop, tmp_path / "other.ttl")
    for argv in (("validate", loop), ("merge", loop, "-o", tmp_path / "o.trig"),
                 ("sparql", loop), ("export", "-o", loop)):
        result = cli(*argv)
        assert result.code == 2, (argv, result)
        assert str(loop) in one_line(result.err)


def test_a_file_name_that_is_not_utf8_is_read_and_named(cli, tmp_path):
    name = os.fsdecode(b"\xff\xfeextension.ttl")
    good, bad = tmp_path / name, tmp_path / (name + ".bad.ttl")
    good.write_bytes(b"@prefix ex: <http://example.org/> .\nex:s ex:p 1 .\n")
    bad.write_bytes(b"@prefix ex: <http://example.org/> .\nex:s ex:p .\n")
    assert cli("merge", good, "-o", tmp_path / "o.trig").code == 0
    result = cli("validate", bad)
    assert result.code == 2
    assert "extension.ttl.bad.ttl:2:" in one_line(result.err)


STAR = b"@prefix ex: <http://example.org/> .\n<< ex:s ex:p ex:o >> ex:q 1 .\n"


@pytest.mark.parametrize("argv", [("validate", "{f}", "--engine", "pyshacl"),
                                  ("classify", "{f}", "--engine", "owlrl")],
                         ids=["pyshacl", "owlrl"])
def test_rdf_star_with_an_rdflib_engine_is_one_line(argv, cli, tmp_path):
    star = tmp_path / "star.ttl"
    star.write_bytes(STAR)
    result = cli(*(a.format(f=star) for a in argv))
    assert result.code == 2, result
    line = one_line(result.err)
    assert str(star) in line and "RDF-star" in line


def test_sparql_from_stdin_that_is_not_utf8_is_one_line(cli, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b'SELECT * WHERE { ?s ?p "\xff" }'), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    result = cli("sparql", "-")
    assert result.code == 2
    assert "standard input" in one_line(result.err) and "UTF-8" in result.err


def test_an_unreadable_query_file_is_one_line(cli, tmp_path, monkeypatch):
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1", encoding="utf-8")
    real_open = io.open

    def denied(file, *args, **kwargs):  # as root chmod 000 is readable: fake EACCES
        if str(file) == str(query):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    monkeypatch.setattr(io, "open", denied)
    result = cli("sparql", query)
    assert result.code == 2
    assert str(query) in one_line(result.err) and "Permission denied" in result.err


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    from etom_kg.graph.kg import KnowledgeGraph

    folder = tmp_path_factory.mktemp("store") / "kg"
    kg = KnowledgeGraph.persistent(folder, links=False)
    kg.store.flush()
    del kg
    return folder


def _damage(folder, how):
    if how == "CURRENT":
        (folder / "CURRENT").write_bytes(b"garbage\n")
    elif how == "truncated-sst":
        for sst in folder.glob("*.sst"):
            with open(sst, "r+b") as handle:
                handle.truncate(100)
    elif how == "empty-MANIFEST":
        for manifest in folder.glob("MANIFEST-*"):
            manifest.write_bytes(b"")


@pytest.mark.parametrize("how", ["CURRENT", "truncated-sst", "empty-MANIFEST"])
def test_a_damaged_store_is_one_line_saying_so(how, built_store, cli, tmp_path):
    store = tmp_path / "kg"
    shutil.copytree(built_store, store)
    _damage(store, how)
    result = cli("query", "children", "-p", "process=1.1.1", "--store", store)
    assert result.code == 2, result
    line = one_line(result.err)
    assert str(store) in line and "damaged" in line


def test_a_store_in_a_place_that_cannot_hold_one_is_one_line(cli, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_bytes(b"not a folder")
    result = cli("query", "children", "-p", "process=1.1.1", "--store", blocker / "kg")
    assert result.code == 2
    assert str(blocker / "kg") in one_line(result.err)


def test_a_full_disk_for_the_output_is_one_line_and_keeps_the_old_file(cli, tmp_path,
                                                                       monkeypatch):
    out = tmp_path / "crm.ttl"
    out.write_bytes(b"previous\n")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = cli("export", "-o", out)
    assert result.code == 2
    line = one_line(result.err)
    assert str(out) in line and "No space left" in line
    assert out.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["crm.ttl"]


def test_a_control_character_in_a_label_still_gives_well_formed_svg(cli, tmp_path):
    import xml.etree.ElementTree as ET

    extension = tmp_path / "ext.ttl"
    extension.write_text(
        '@prefix etom: <https://w3id.org/etom-kg/ontology#> .\n'
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '@prefix process: <https://w3id.org/etom-kg/process/> .\n'
        '@prefix scheme: <https://w3id.org/etom-kg/scheme/> .\n'
        'process:P1-1-1-13 a etom:ProcessElement, skos:Concept ;\n'
        '  skos:notation "1.1.1.13"^^etom:ProcessId ; etom:level 2 ; skos:inScheme scheme:etom ;\n'
        '  skos:broader process:P1-1-1 ;\n'
        '  skos:prefLabel "Bell\\u0007 and \\u001b escape"@en, "Звонок\\u0007"@ru .\n',
        encoding="utf-8")
    svg = tmp_path / "d.svg"
    result = cli("diagram", "decomposition", "1.1.1", "--data", extension, "-o", svg,
                 "--lang", "en")
    assert result.code == 0, result.err
    root = ET.parse(svg).getroot()  # well-formed XML
    assert any("Bell and  escape" in "".join(t.itertext()) for t in root.iter()
               if t.tag.endswith("text"))


@pytest.mark.parametrize("error,code,words", [
    (MemoryError(), 2, "not enough memory"),
    (RecursionError("maximum recursion depth exceeded"), 2, "nested too deeply"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 2, "UTF-8"),
    (OSError(5, "Input/output error", "/data/x.ttl"), 2, "/data/x.ttl: Input/output error"),
    (KeyError("bug"), 1, "internal error"),
], ids=["memory", "recursion", "unicode", "oserror", "bug"])
def test_any_unexpected_error_is_still_one_line(error, code, words, cli, monkeypatch):
    from etom_kg.commands import tree

    def fail(args):
        raise error

    monkeypatch.setattr(tree, "_run", fail, raising=False)
    monkeypatch.setattr(tree, "run", fail, raising=False)
    result = cli("tree")
    assert result.code == code, result
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], lines
    with pytest.raises(type(error)):  # --debug lets it through, traceback and all
        cli("--debug", "tree")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_classify_with_hermit_works_from_a_folder_whose_name_has_brackets(cli, tmp_path,
                                                                         monkeypatch, repo):
    folder = tmp_path / "a[1]"  # HermiT made a base IRI of it (and of "/"): it failed
    folder.mkdir()
    monkeypatch.chdir(folder)
    data = repo / "tests" / "fixtures" / "classify" / "operator-processes.ttl"
    result = cli("classify", data, "--engine", "hermit")
    assert result.code == 0, result.err
    assert "Обработка жалобы" in result.out  # subscriber-complaint, by its name


def test_a_store_another_process_has_open_is_one_line(built_store, tmp_path):
    import subprocess

    from etom_kg.graph.kg import KnowledgeGraph

    store = tmp_path / "kg"
    shutil.copytree(built_store, store)
    holder = KnowledgeGraph.persistent(store, links=False)  # keeps the lock
    done = subprocess.run([sys.executable, "-m", "etom_kg.cli", "query", "children", "-p",
                           "process=1.1.1", "--store", str(store)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert str(store) in line and ("another process" in line or "lock" in line.lower())
    assert len(holder) > 0
