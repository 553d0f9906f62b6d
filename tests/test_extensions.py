"""An operator's extension is first-class: written the natural way, it is found, shown, drawn,
linked and exported like the standard itself.

The fixture is what a Russian-speaking architect first writes: level-3 elements under
1.1.1.5 with plain-string IDs, no level, no ID components, no verticals.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.graph.derive import DERIVED_GRAPH

LEVEL_3 = Path(__file__).resolve().parent / "fixtures" / "extensions" / "order-handling-level-3.ttl"
OP = "https://operator.example/etom/"
V = "https://w3id.org/etom-kg/vertical/"
ETOM = "https://w3id.org/etom-kg/ontology#"


@pytest.fixture(scope="module")
def extended():
    return etom_kg.load([LEVEL_3])


def cli(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", env={**os.environ, "COLUMNS": "100"})


def test_a_plain_string_id_is_an_id_everywhere(extended):
    process = extended.process("2.1.1.5.1")
    assert process.iri == OP + "OrderCapture" and process.label("ru") == "Приём заказа"
    assert process.parent.id == "1.1.1.5" and not process.standard
    assert [r["id"] for r in extended.query("element", process="2.1.1.5.1")] == ["2.1.1.5.1"]
    assert [c.id for c in process.children] == ["2.1.1.5.1.1"]
    ours = [r["id"] for r in extended.query("descendants", process="1.1.1.5")
            if r["id"].startswith("2.")]  # the standard's own level 3, if shipped, aside
    assert ours == ["2.1.1.5.1", "2.1.1.5.1.1", "2.1.1.5.2", "2.1.1.5.10"]


def test_level_and_id_components_are_derived_for_every_element_with_an_id(extended):
    assert [(r["id"], r["level"]) for r in extended.query("children", process="1.1.1.5")
            if r["id"].startswith("2.")] == [
        ("2.1.1.5.1", 3), ("2.1.1.5.2", 3), ("2.1.1.5.10", 3)]  # natural order: 2 before 10
    assert extended.process("2.1.1.5.1.1").level == 4
    rows = extended.sparql("""SELECT ?d ?a ?g ?e ?s WHERE {
        ?x skos:notation "2.1.1.5.10"^^etom:ProcessId ; etom:developer ?d ; etom:areaNumber ?a ;
           etom:groupNumber ?g ; etom:elementNumber ?e ; etom:subElementNumber ?s }""")
    assert [tuple(r.values()) for r in rows] == [(2, 1, 1, 5, 10)]


def test_verticals_are_inherited_from_the_parent_unless_the_element_states_its_own(extended):
    def verticals(pid):
        return [v.iri for v in extended.process(pid).verticals]

    assert verticals("2.1.1.5.1") == [V + "Fulfillment"]      # from 1.1.1.5
    assert verticals("2.1.1.5.1.1") == [V + "Fulfillment"]    # two levels down
    assert verticals("2.1.1.5.10") == [V + "Assurance"]       # its own, kept
    members = {r["id"] for r in extended.query("vertical-members", vertical="F")}
    assert {"2.1.1.5.1", "2.1.1.5.2", "2.1.1.5.1.1"} <= members and "2.1.1.5.10" not in members


def test_derived_facts_live_in_their_own_graph_and_the_standard_needs_none():
    assert DERIVED_GRAPH not in etom_kg.load().graph_names()
    kg = etom_kg.load([LEVEL_3])
    derived = list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH)))
    assert derived and all(q.subject.value.startswith(OP) or q.predicate.value.endswith("narrower")
                           for q in derived)
    # What the user wrote is kept, only the ID is typed: the file's graph has no plain IDs left.
    user = LEVEL_3.resolve().as_uri()
    notations = [q.object for q in kg.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation"), None, ox.NamedNode(user))]
    assert len(notations) == 4 and {n.datatype.value for n in notations} == {ETOM + "ProcessId"}


def test_only_ids_of_processes_are_typed(tmp_path):
    data = tmp_path / "other.ttl"
    data.write_text("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix etom: <https://w3id.org/etom-kg/ontology#> .
        <https://x.example/catalogue-item> a skos:Concept ; skos:notation "1.1.1.5" .
        <https://x.example/odd> a etom:ProcessElement ; skos:notation "OH-1" ;
            skos:broader <https://w3id.org/etom-kg/process/P1-1-1-5> .
        """, encoding="utf-8")
    kg = etom_kg.load([data])
    plain = {r["n"] for r in kg.sparql(
        "SELECT (STR(?v) AS ?n) WHERE { ?x skos:notation ?v FILTER(DATATYPE(?v) = xsd:string) }")}
    assert plain == {"1.1.1.5", "OH-1"}  # not a process / not an ID: left as written
    assert kg.process("1.1.1.5").standard


def test_show_tree_and_query_take_the_extension_with_data():
    shown = cli("show", "2.1.1.5.1", "--data", str(LEVEL_3))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == [
        "2.1.1.5.1  Приём заказа",
        "  уровень: 3 (элемент процессов, расширение)",
        "  родитель: 1.1.1.5  Обработка заказов"]
    assert "  вертикальные группы: Выполнение заказов (F)" in shown.stdout
    tree = cli("tree", "1.1.1.5", "--data", str(LEVEL_3), "--lang", "en")
    assert [line for line in tree.stdout.splitlines() if " 1.1.1.5." not in line] == [
        "1.1.1.5    Order handling", "  2.1.1.5.1  Order capture",
        "    2.1.1.5.1.1 Web order capture", "  2.1.1.5.2  Credit check",
        "  2.1.1.5.10 Order tracking"]
    query = cli("query", "element", "-p", "process=2.1.1.5.1.1", "--data", str(LEVEL_3),
                "--format", "json")
    assert json.loads(query.stdout)[0]["level"] == 4


def test_an_extension_inherits_its_parents_links_marked_as_inherited():
    done = cli("links", "2.1.1.5.2", "--data", str(LEVEL_3), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    tam = {a["id"]: a for a in data["applications"]}
    assert "5.3.1" in tam and tam["5.3.1"]["inheritedFrom"] == "1.1.1.5"
    assert all(item["inheritedFrom"] == "1.1.1.5" for group in ("applications", "components",
                                                                "data", "apis")
               for item in data[group])
    table = cli("links", "2.1.1.5.2", "--data", str(LEVEL_3), "--lang", "ru").stdout
    assert "↑ унаследовано от 1.1.1.5: элемент ниже уровня 2 наследует связи" in table
    assert "средняя* ↑1.1.1.5" in table and "высокая" not in table  # inherited: not certain


def test_a_level_2_element_does_not_inherit_links(kg):
    from etom_kg.commands.links import collect

    data = collect(kg, "1.1.1.5")
    assert data["applications"] and data["apis"]
    assert not any("inheritedFrom" in i for g in ("applications", "components", "data", "apis")
                   for i in data[g])


def test_an_extension_is_drawn_in_its_parents_column(tmp_path):
    out = tmp_path / "oh.svg"
    done = cli("diagram", "decomposition", "1.1.1.5", "--data", str(LEVEL_3), "-o", str(out))
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert "Приём заказа" in svg and "Вне вертикальных групп" not in svg


def test_a_process_parameter_naming_no_process_is_an_error_in_the_cli_and_the_api(extended):
    for value, message in (("1.1.1.99", "process 1.1.1.99 not found"),
                           ("foo", "invalid process ID 'foo'")):
        done = cli("query", "children", "-p", f"process={value}")
        assert done.returncode == 2 and done.stdout == ""
        assert message in done.stderr and done.stderr.count("\n") == 1
    with pytest.raises(etom_kg.UnknownProcess):
        extended.query("children", process="2.1.1.5.99")
    with pytest.raises(etom_kg.InvalidProcessId):
        extended.process("2.1.1.5.x")


def test_an_extension_is_exported_with_the_decomposition(tmp_path):
    out = tmp_path / "oh.xml"
    done = cli("export", "--data", str(LEVEL_3), "--process", "1.1.1.5", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr.startswith(f"wrote {out}")
    xml = out.read_text(encoding="utf-8")
    assert all(pid in xml for pid in ("2.1.1.5.1", "2.1.1.5.1.1", "2.1.1.5.2", "2.1.1.5.10"))
    assert "Приём заказа" in xml
