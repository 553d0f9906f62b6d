"""An on-disk store (--store DIR): a large graph is loaded once and queried many times."""
from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.core.errors import InputError, UsageError

EXTENSION = """@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/p/OrderCapture> a etom:ProcessElement ;
    skos:notation "2.1.1.5.1"^^etom:ProcessId ;
    skos:prefLabel "{ru}"@ru , "Order capture"@en ;
    skos:broader <https://w3id.org/etom-kg/process/P1-1-1-5> .
"""


def etom_kg_cli(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True)


def test_a_store_keeps_the_shipped_graph_and_user_data_between_runs(tmp_path):
    data = tmp_path / "ext.ttl"
    data.write_text(EXTENSION.replace("{ru}", "Приём заказа"), encoding="utf-8")
    store = tmp_path / "store"
    first = etom_kg.load(extra=[data], store=store)
    assert len(first.query("children", process="1.1.1")) == 11
    del first  # closes the store
    again = etom_kg.load(store=store)  # no --data this time: still there
    rows = again.query("children", process="1.1.1.5")
    assert [(r["id"], r["labelRu"]) for r in rows if r["id"].startswith("2.")] == [
        ("2.1.1.5.1", "Приём заказа")]
    # Exactly the shipped graph and the file: the store's bookkeeping is not in the dataset.
    assert len(again) == len(etom_kg.load()) + 5


def test_loading_the_same_file_again_replaces_its_graph(tmp_path):
    data = tmp_path / "ext.ttl"
    store = tmp_path / "store"
    data.write_text(EXTENSION.replace("{ru}", "Приём заказа"), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    data.write_text(EXTENSION.replace("{ru}", "Регистрация заказа"), encoding="utf-8")
    kg = etom_kg.load(extra=[data], store=store)
    labels = [r["labelRu"] for r in kg.query("children", process="1.1.1.5")
              if r["id"].startswith("2.")]
    assert labels == ["Регистрация заказа"]


def test_a_broken_file_leaves_the_stored_graph_as_it_was(tmp_path):
    data = tmp_path / "ext.ttl"
    store = tmp_path / "store"
    data.write_text(EXTENSION.replace("{ru}", "Приём заказа"), encoding="utf-8")
    etom_kg.load(extra=[data], store=store)
    data.write_text("@prefix broken", encoding="utf-8")
    with pytest.raises(InputError):
        etom_kg.load(extra=[data], store=store)
    kept = etom_kg.load(store=store).query("children", process="1.1.1.5")
    assert [r["labelRu"] for r in kept if r["id"].startswith("2.")] == ["Приём заказа"]


def test_stale_shipped_graphs_are_reloaded(tmp_path):
    store = tmp_path / "store"
    kg = etom_kg.load(store=store)
    crm = ox.NamedNode("https://w3id.org/etom-kg/graph/etom-kg/etom-crm")
    kg.store.remove_graph(crm)  # as if an older etom-kg had written the store
    del kg
    assert len(etom_kg.load(store=store).query("children", process="1.1.1")) == 11


def test_added_graph_names_must_be_unique_without_a_store(tmp_path):
    data = tmp_path / "ext.ttl"
    data.write_text(EXTENSION.replace("{ru}", "Приём заказа"), encoding="utf-8")
    kg = etom_kg.load(extra=[data])
    with pytest.raises(UsageError):
        kg.add(data)


def test_query_command_with_a_store(tmp_path):
    data = tmp_path / "ext.ttl"
    data.write_text(EXTENSION.replace("{ru}", "Приём заказа"), encoding="utf-8")
    store = str(tmp_path / "store")
    loaded = etom_kg_cli("query", "children", "-p", "process=1.1.1.5", "--store", store,
                         "--data", str(data), "--format", "csv")
    assert loaded.returncode == 0, loaded.stderr
    reused = etom_kg_cli("query", "children", "-p", "process=1.1.1.5", "--store", store,
                         "--format", "csv")
    assert reused.stdout == loaded.stdout and "2.1.1.5.1" in reused.stdout
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    bad = etom_kg_cli("query", "children", "-p", "process=1.1.1", "--store", str(not_a_dir))
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    assert str(not_a_dir) in bad.stderr
