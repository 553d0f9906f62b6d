"""Serialization round trips: every output format reads back to the same graph, text unchanged."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from etom_kg.io.reading import load_file

TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
                  "trig": ox.RdfFormat.TRIG}
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "rdfxml": ".rdf", "jsonld": ".jsonld",
          "trig": ".trig"}
CYRILLIC = "Обработка заказов — «ёЁ» ґ Ѣ 𝔈 مرحبا 漢字 e\u0301"


def _rdflib(triples) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"),
                format="nt")
    return graph


def _triples(kg):
    return [ox.Triple(q.subject, q.predicate, q.object) for q in kg.store]


@pytest.mark.parametrize("name", sorted(TRIPLE_FORMATS))
def test_the_shipped_graph_reads_back_isomorphic_from_every_format(kg, name, tmp_path):
    triples = _triples(kg)
    path = tmp_path / f"etom{SUFFIX[name]}"
    path.write_bytes(ox.serialize(triples, format=TRIPLE_FORMATS[name]))
    store = ox.Store()
    load_file(store, path, ox.DefaultGraph() if name != "trig" else None)
    back = [ox.Triple(q.subject, q.predicate, q.object) for q in store]
    assert isomorphic(_rdflib(back), _rdflib(triples))


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_merged_dataset_reads_back_with_the_same_named_graphs(tmp_path, suffix, repo):
    import etom_kg
    from etom_kg.ea.merge import write

    kg = etom_kg.load()
    kg.merge(repo / "tests" / "fixtures" / "enterprise" / "telco-landscape.xml")
    out = write(kg, tmp_path / f"merged{suffix}")
    store = ox.Store()
    load_file(store, out)
    assert set(store.named_graphs()) == set(kg.store.named_graphs())
    for graph in kg.store.named_graphs():
        mine = [ox.Triple(q.subject, q.predicate, q.object)
                for q in kg.store.quads_for_pattern(None, None, None, graph)]
        back = [ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, graph)]
        assert isomorphic(_rdflib(back), _rdflib(mine)), graph


def test_rdflib_reads_the_merged_trig_as_the_same_dataset(tmp_path, repo):
    import etom_kg
    from etom_kg.ea.merge import write

    kg = etom_kg.load()
    kg.merge(repo / "tests" / "fixtures" / "enterprise" / "telco-landscape.xml")
    out = write(kg, tmp_path / "merged.trig")
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert sum(len(g) for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier
               ) == len(kg.store)


@pytest.mark.parametrize("name", sorted(TRIPLE_FORMATS))
def test_non_ascii_text_round_trips_byte_for_byte(name, tmp_path):
    subject = ox.NamedNode("https://w3id.org/etom-kg/process/P1-1-1-5")
    triples = [ox.Triple(subject, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                         ox.Literal(CYRILLIC, language="ru")),
               ox.Triple(subject, ox.NamedNode("https://example.org/заметка"),
                         ox.Literal(CYRILLIC))]
    path = tmp_path / f"text{SUFFIX[name]}"
    path.write_bytes(ox.serialize(triples, format=TRIPLE_FORMATS[name]))
    assert CYRILLIC.encode("utf-8") in path.read_bytes()  # written as UTF-8, not escaped
    store = ox.Store()
    load_file(store, path, ox.DefaultGraph() if name != "trig" else None)
    values = sorted(q.object.value.encode("utf-8") for q in store)
    assert values == [CYRILLIC.encode("utf-8")] * 2
    assert {q.predicate.value for q in store} >= {"https://example.org/заметка"}


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["CR", "CRLF"])
def test_turtle_with_cr_line_endings_loads(newline, tmp_path):
    import etom_kg

    text = ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            "<https://example.org/p> skos:prefLabel \"Обработка\"@ru ;\n"
            "  skos:note \"\"\"две\nстроки\"\"\" .\n").replace("\n", newline)
    path = tmp_path / "cr.ttl"
    path.write_bytes(text.encode("utf-8"))
    kg = etom_kg.load()
    before = len(kg)
    kg.add(path)
    assert len(kg) == before + 2
    assert kg.sparql('ASK { ?p skos:prefLabel "Обработка"@ru }') is True
