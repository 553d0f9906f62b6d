"""Merging EA graphs with etom-kg: named graphs, provenance, nothing lost, conflicts, removal."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.io.archimate import read_archimate
from etom_kg.core.errors import InputError, UsageError
from etom_kg.ea.merge import (PROVENANCE_GRAPH, SOURCE_PREFIX, conflicts, merge, merged_sources,
                           remove, serialize)

FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"
WHEN = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def _graph(store, name):
    import rdflib

    g = rdflib.Graph()
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in
                         store.quads_for_pattern(None, None, None, ox.NamedNode(name))],
                        format=ox.RdfFormat.N_TRIPLES)
    g.parse(data=data.decode(), format="nt")
    return g


def test_each_source_lands_in_its_own_graph_unchanged(shared):
    from rdflib.compare import isomorphic
    import rdflib

    kg = etom_kg.load()
    before = {g: len(list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(g))))
              for g in kg.graph_names()}
    model_path = shared / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml"
    r1 = merge(kg, model_path, align=False, time=WHEN)
    r2 = merge(kg, FIXTURES / "archimetal-alignment.ttl", align=False, time=WHEN)
    assert r1.name == SOURCE_PREFIX + "archimetal_3.1"
    # the shipped graphs are untouched
    for g, n in before.items():
        assert len(list(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))) == n
    # each source graph holds exactly what the source says: same count, isomorphic
    expected = rdflib.Graph().parse(
        data=ox.serialize(read_archimate(model_path).triples,
                          format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    got = _graph(kg.store, r1.name)
    assert len(got) == len(expected) == r1.triples
    assert isomorphic(got, expected)
    alignment_file = rdflib.Graph().parse(FIXTURES / "archimetal-alignment.ttl")
    got2 = _graph(kg.store, r2.name)
    assert len(got2) == len(alignment_file) == 3 and isomorphic(got2, alignment_file)
    assert merged_sources(kg) == sorted([r1.name, r2.name])


def test_provenance_records_file_format_time_and_count(shared):
    kg = etom_kg.load()
    r = merge(kg, FIXTURES / "conflicting-ea.ttl", align=False, time=WHEN)
    rows = kg.sparql("""SELECT ?file ?format ?time ?n WHERE { GRAPH ?prov {
        ?g prov:wasDerivedFrom ?file ; dcterms:format ?format ;
           prov:generatedAtTime ?time ; <http://rdfs.org/ns/void#triples> ?n } }""",
                     {"g": ox.NamedNode(r.name), "prov": ox.NamedNode(PROVENANCE_GRAPH)})
    assert len(rows) == 1
    row = rows[0]
    assert row.file == (FIXTURES / "conflicting-ea.ttl").resolve().as_uri()
    assert row.format == "text/turtle"
    assert row.time == "2024-01-02T03:04:05Z"
    assert row.n == r.triples == 9


def test_a_trig_source_keeps_its_named_graphs_and_removal_takes_them_all(tmp_path):
    source = tmp_path / "two.trig"
    source.write_text("""PREFIX ex: <https://example.org/>
        ex:a ex:p ex:b .
        GRAPH ex:g1 { ex:c ex:p ex:d . ex:e ex:p ex:f . }""")
    kg = etom_kg.load()
    n0 = len(kg)
    r = merge(kg, source, time=WHEN)
    assert r.graphs == sorted([r.name, "https://example.org/g1"])
    assert len(list(kg.store.quads_for_pattern(None, None, None,
                                               ox.NamedNode("https://example.org/g1")))) == 2
    removed = remove(kg, r.name)
    assert "https://example.org/g1" in removed
    assert len(kg) == n0


def test_remove_by_name_drops_graph_alignment_and_provenance():
    kg = etom_kg.load()
    n0 = len(kg)
    r = merge(kg, FIXTURES / "telco-landscape.xml", time=WHEN)
    assert r.alignment.alignments
    assert len(kg) > n0
    remove(kg, r.name)
    assert len(kg) == n0
    assert r.alignment.graph not in kg.graph_names()
    with pytest.raises(UsageError):
        remove(kg, r.name)


def test_a_name_cannot_be_merged_twice_and_bad_files_change_nothing(tmp_path):
    kg = etom_kg.load()
    merge(kg, FIXTURES / "conflicting-ea.ttl", align=False)
    with pytest.raises(UsageError, match="already loaded"):
        merge(kg, FIXTURES / "conflicting-ea.ttl")
    n = len(kg)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(InputError) as err:
        merge(kg, bad)
    assert str(bad) in str(err.value) and err.value.line == 1
    assert len(kg) == n


def test_conflicts_are_reported_and_nothing_is_overwritten(kg):
    work = etom_kg.load()
    r = merge(work, FIXTURES / "conflicting-ea.ttl", align=False)
    found = {(c.kind, c.subject.rsplit("/", 1)[-1], c.asserted) for c in r.conflicts}
    assert found == {
        ("label", "P1-1-1-5", "Order management@en"),
        ("label", "orders", "Order capture@en"),
        ("parent", "orders", "1.1.2"),
        ("id", "P1-1-1-6", "1.1.1.7"),
        ("unknown-id", "cleanup", "1.1.1.8"),
        ("unknown-iri", "P1-1-1-99", "https://w3id.org/etom-kg/process/P1-1-1-99"),
    }
    # The standard's own statements are still there, and only once per language.
    labels = work.sparql('SELECT ?l WHERE { GRAPH ?g { process:P1-1-1-5 skos:prefLabel ?l } '
                         'FILTER(STRSTARTS(STR(?g), "https://w3id.org/etom-kg/graph/etom-kg/")) }')
    assert sorted(r.l for r in labels) == ["Order handling", "Обработка заказов"]
    assert all(c.message and "\n" not in c.message for c in r.conflicts)


def test_sources_that_agree_with_the_standard_have_no_conflicts(shared):
    kg = etom_kg.load()
    r = merge(kg, shared / "testdata/archimate/archi-tests/archisurance.xml", align=False)
    assert r.conflicts == []
    assert conflicts(kg, r.name) == []


def test_serialize_trig_round_trips_every_graph(tmp_path):
    kg = etom_kg.load()
    merge(kg, FIXTURES / "telco-landscape.xml", time=WHEN)
    data = serialize(kg)
    again = ox.Store()
    again.load(data, format=ox.RdfFormat.TRIG)
    assert len(again) == len(kg)
    assert {g.value for g in again.named_graphs()} == set(kg.graph_names())
    assert serialize(kg) == data  # sorted: same dataset, same bytes
    flat = serialize(kg, flat=True)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in kg.store}
    assert len(list(ox.parse(flat, format=ox.RdfFormat.TURTLE))) == len(triples)


def test_an_rdflib_graph_can_be_merged_by_name():
    import rdflib

    g = rdflib.Graph()
    g.add((rdflib.URIRef("https://example.org/p"), rdflib.RDFS.label,
           rdflib.Literal("1.1.1.5 Order handling", lang="en")))
    kg = etom_kg.load()
    with pytest.raises(UsageError):
        merge(kg, g)
    r = merge(kg, g, "https://example.org/graph/mine")
    assert r.triples == 1
    assert [a.target_id for a in r.alignment.alignments] == ["1.1.1.5"]


def test_kg_merge_delegates_here():
    kg = etom_kg.load()
    r = kg.merge(FIXTURES / "conflicting-ea.ttl", "https://example.org/graph/c")
    assert r.name == "https://example.org/graph/c" and r.conflicts
