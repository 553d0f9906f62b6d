"""The standard cannot be forged, and an on-disk store keeps exactly what the user loaded.

- a TriG / N-Quads file never puts triples into etom-kg's own graph names,
  whether given with --data, with --store, or through the API;
- a store whose shipped graphs differ from the package's gets the package's back;
- reloading a dataset file replaces exactly the graphs it held; a load cut short
  by a kill is said on every later run until the file is loaded again;
- --store never writes among a user's files.
"""
from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.core.errors import EtomKgError, InputError

REPO = Path(__file__).resolve().parents[1]
CRM = "https://w3id.org/etom-kg/graph/etom-kg/etom-crm"
P1115 = "https://w3id.org/etom-kg/process/P1-1-1-5"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FORGED = "Подделка стандарта"


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def cli(*args) -> Done:
    """``etom-kg ARGS`` in this process (a subprocess only where a kill is needed)."""
    from etom_kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    gc.collect()   # the store of that run is closed before the next opens it
    return Done(code, out.getvalue(), err.getvalue())


def forged_file(tmp_path, graph: str, suffix: str) -> Path:
    path = tmp_path / f"forged{suffix}"
    if suffix == ".trig":
        path.write_text(f"<{graph}> {{ <{P1115}> <{SKOS}prefLabel> \"{FORGED}\"@ru . }}\n"
                        f"<urn:x:mine> <{SKOS}prefLabel> \"mine\"@en .\n", encoding="utf-8")
    else:
        path.write_text(f"<{P1115}> <{SKOS}prefLabel> \"{FORGED}\"@ru <{graph}> .\n",
                        encoding="utf-8")
    return path


OWN_NAMES = [
    CRM,
    "https://w3id.org/etom-kg/graph/etom-kg/brand-new-standard-file",
    "https://w3id.org/etom-kg/graph/provenance",
    "https://w3id.org/etom-kg/graph/alignment/some-source",
    "https://w3id.org/etom-kg/graph/store",
    "http://w3id.org/etom-kg/graph/etom-kg/etom-crm",
    "https://W3ID.ORG/etom-kg/graph/etom-kg/etom-crm",
    "https://w3id.org/etom-kg/graph/etom%2Dkg/etom-crm",
]


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
@pytest.mark.parametrize("graph", OWN_NAMES)
def test_a_dataset_file_cannot_write_into_etom_kgs_own_graphs(tmp_path, graph, suffix):
    path = forged_file(tmp_path, graph, suffix)
    kg = etom_kg.load(links=False)
    before = len(kg)
    with pytest.raises(InputError) as info:
        kg.add(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert len(kg) == before
    with pytest.raises(EtomKgError):
        kg.merge(path)


def test_the_forgery_is_refused_by_query_and_sparql_with_or_without_a_store(tmp_path):
    path = forged_file(tmp_path, CRM, ".trig")
    store = tmp_path / "store"
    for args in (["query", "element", "-p", "process=1.1.1.5", "--data", str(path)],
                 ["sparql", str(REPO / "queries" / "areas.rq"), "--data", str(path)],
                 ["query", "element", "-p", "process=1.1.1.5", "--data", str(path),
                  "--store", str(store)]):
        done = cli(*args)
        assert done.returncode == 2 and done.stdout == "", args
        assert len(done.stderr.splitlines()) == 1 and str(path) in done.stderr
    later = cli("query", "element", "-p", "process=1.1.1.5", "--store", str(store),
                "--format", "csv")
    assert later.returncode == 0 and FORGED not in later.stdout and "1.1.1.5" in later.stdout


def test_a_forged_store_is_repaired_on_the_next_open(tmp_path):
    store = tmp_path / "store"
    kg = etom_kg.load(store=store)
    label = ox.NamedNode(SKOS + "prefLabel")
    kg.store.add(ox.Quad(ox.NamedNode(P1115), label, ox.Literal(FORGED, language="ru"),
                         ox.NamedNode(CRM)))   # as an older etom-kg let a TriG file do
    kg.store.add(ox.Quad(ox.NamedNode(P1115), label, ox.Literal(FORGED, language="ru"),
                         ox.NamedNode("https://w3id.org/etom-kg/graph/etom-kg/extra")))
    del kg
    again = etom_kg.load(store=store)
    assert again.query("element", process="1.1.1.5")[0].labelRu != FORGED
    assert not again.sparql(f'ASK {{ ?s ?p "{FORGED}"@ru }}')
    assert sorted(again.shipped_graph_names()) == sorted(etom_kg.load().shipped_graph_names())


def test_a_removed_shipped_triple_is_put_back(tmp_path):
    store = tmp_path / "store"
    kg = etom_kg.load(store=store)
    quad = next(kg.store.quads_for_pattern(ox.NamedNode(P1115), None, None, ox.NamedNode(CRM)))
    kg.store.remove(quad)
    del kg
    assert etom_kg.load(store=store).sparql(
        f"ASK {{ GRAPH <{CRM}> {{ {quad.subject} {quad.predicate} {quad.object} }} }}")


# -- reloading a dataset file ------------------------------------------------------------

def two_graphs(label_a: str, with_b: bool) -> str:
    text = (f"<urn:x:a> {{ <urn:x:s> <{SKOS}prefLabel> \"{label_a}\"@en . }}\n"
            f"<urn:x:s> <{SKOS}note> \"default graph\" .\n")
    if with_b:
        text += f"<urn:x:b> {{ <urn:x:s> <{SKOS}note> \"only in b\" . }}\n"
    return text


def user_quads(kg) -> list[tuple[str, str]]:
    return sorted((q.graph_name.value, str(q.object)) for q in kg.store
                  if q.graph_name.value.startswith(("urn:x:", "file:")))


def test_reloading_a_trig_file_replaces_all_its_graphs(tmp_path):
    data, store = tmp_path / "two.trig", tmp_path / "store"
    data.write_text(two_graphs("first", with_b=True), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    data.write_text(two_graphs("second", with_b=False), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    kg = etom_kg.load(store=store)
    assert user_quads(kg) == [(data.resolve().as_uri(), '"default graph"'),
                              ("urn:x:a", '"second"@en')]
    assert len(kg) == len(etom_kg.load()) + 2


def test_a_file_cannot_take_over_another_files_graph(tmp_path):
    one, other, store = tmp_path / "one.trig", tmp_path / "other.trig", tmp_path / "store"
    one.write_text(two_graphs("one", with_b=False), encoding="utf-8")
    other.write_text(two_graphs("other", with_b=False), encoding="utf-8")
    etom_kg.load(extra=[one], store=store)
    with pytest.raises(InputError, match="urn:x:a"):
        etom_kg.load(extra=[other], store=store)
    assert ("urn:x:a", '"one"@en') in user_quads(etom_kg.load(store=store))
    with pytest.raises(EtomKgError):   # the same without a store: never merged silently
        etom_kg.load(extra=[one, other])


KILLER = textwrap.dedent("""
    import os, signal, sys
    from etom_kg.graph import store as s
    calls = []
    original = s.DiskStore._save
    def save(self):
        calls.append(1)
        if len(calls) == int(sys.argv[3]):   # die before this write of the manifest
            os.kill(os.getpid(), signal.SIGKILL)
        original(self)
    s.DiskStore._save = save
    import etom_kg
    etom_kg.load(extra=[sys.argv[2]], store=sys.argv[1])
""")


def kill_during_reload(store: Path, data: Path, at: int) -> None:
    killed = subprocess.run([sys.executable, "-c", KILLER, str(store), str(data), str(at)],
                            capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def test_a_reload_killed_before_it_changed_anything_leaves_the_old_content(tmp_path):
    data, store = tmp_path / "two.trig", tmp_path / "store"
    data.write_text(two_graphs("first", with_b=True), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    data.write_text(two_graphs("second", with_b=False), encoding="utf-8")
    kill_during_reload(store, data, at=1)   # the file parsed, the store not yet touched
    later = cli("query", "children", "-p", "process=1.1.1", "--store", str(store))
    assert later.returncode == 0 and later.stderr == ""
    assert ("urn:x:a", '"first"@en') in user_quads(etom_kg.load(store=store))


def test_a_reload_killed_midway_is_said_on_every_later_run(tmp_path):
    data, store = tmp_path / "two.trig", tmp_path / "store"
    data.write_text(two_graphs("first", with_b=True), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    data.write_text(two_graphs("second", with_b=False), encoding="utf-8")
    kill_during_reload(store, data, at=2)   # old graphs gone, new written, not yet recorded
    for _ in range(2):
        later = cli("query", "children", "-p", "process=1.1.1", "--store", str(store),
                    "--format", "csv")
        assert later.returncode == 0 and len(later.stdout.splitlines()) == 12
        assert "did not finish" in later.stderr and str(data) in later.stderr
        assert len(later.stderr.splitlines()) == 1
    again = cli("query", "children", "-p", "process=1.1.1", "--store", str(store),
                "--data", str(data))
    assert again.returncode == 0 and again.stderr.count("did not finish") == 1
    assert cli("query", "children", "-p", "process=1.1.1", "--store", str(store)).stderr == ""
    assert user_quads(etom_kg.load(store=store)) == [
        (data.resolve().as_uri(), '"default graph"'), ("urn:x:a", '"second"@en')]


def test_a_reload_killed_at_any_moment_never_goes_unsaid(tmp_path):
    """A real kill at a random moment of a large reload: either the store holds the
    whole new file, or every later run says the load did not finish."""
    import time

    data, store = tmp_path / "big.nq", tmp_path / "store"
    data.write_text("<urn:x:s> <urn:x:p> \"old\" <urn:x:g> .\n", encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    with data.open("w", encoding="utf-8") as out:
        for i in range(60000):
            out.write(f"<urn:x:s{i}> <urn:x:p> \"new {i}\" <urn:x:g> .\n")
    proc = subprocess.Popen([sys.executable, "-m", "etom_kg.cli", "query", "areas",
                             "--store", str(store), "--data", str(data)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    count = cli("query", "statistics", "--store", str(store))
    assert count.returncode == 0
    kg = etom_kg.load(store=store)
    held = sum(1 for _ in kg.store.quads_for_pattern(None, None, None, ox.NamedNode("urn:x:g")))
    # the old content (killed before any change), the new, or a warning: never a silent mix
    assert held in (1, 60000) or "did not finish" in count.stderr, (held, count.stderr)


# -- the store folder ---------------------------------------------------------------------

def test_a_folder_of_user_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "my documents"
    folder.mkdir()
    (folder / "LOG").write_text("my own log\n", encoding="utf-8")
    (folder / "notes.txt").write_text("notes\n", encoding="utf-8")
    done = cli("query", "children", "-p", "process=1.1.1", "--store", str(folder))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert "not an etom-kg store" in done.stderr and str(folder) in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["LOG", "notes.txt"]
    assert (folder / "LOG").read_text(encoding="utf-8") == "my own log\n"


def test_an_oxigraph_store_that_etom_kg_did_not_make_is_refused(tmp_path):
    folder = tmp_path / "someone-elses-store"
    other = ox.Store(str(folder))
    other.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("theirs")))
    other.flush()
    del other
    with pytest.raises(InputError, match="Oxigraph store that etom-kg did not create"):
        etom_kg.load(store=folder)
    kept = ox.Store.read_only(str(folder))
    assert len(kept) == 1


def test_an_empty_or_new_folder_becomes_a_store(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert len(etom_kg.load(store=empty).query("children", process="1.1.1")) == 11
    assert len(etom_kg.load(store=tmp_path / "new" / "deep").query("areas")) > 0
