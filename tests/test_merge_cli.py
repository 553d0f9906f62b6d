"""The merge, import-archimate and export commands, as a user runs them."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from etom_kg.io.archimate import validate_exchange
from etom_kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"


def test_merge_writes_trig_and_prints_conflicts_and_alignment(tmp_path, capsys):
    out = tmp_path / "merged.trig"
    code = main(["merge", str(FIXTURES / "telco-landscape.xml"),
                 str(FIXTURES / "conflicting-ea.ttl"), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "telco-landscape.xml: 170 triples" in printed
    assert "unknown-id" in printed and "1.1.1.8" in printed
    assert "another label for standard ID 1.1.1.5" in printed
    assert "aligned: 7" in printed and "not aligned:" in printed
    store = ox.Store()
    store.load(out.read_bytes(), format=ox.RdfFormat.TRIG)
    names = {g.value for g in store.named_graphs()}
    assert {"https://w3id.org/etom-kg/graph/source/telco-landscape",
            "https://w3id.org/etom-kg/graph/source/conflicting-ea",
            "https://w3id.org/etom-kg/graph/alignment/telco-landscape",
            "https://w3id.org/etom-kg/graph/provenance",
            "https://w3id.org/etom-kg/graph/etom-kg/etom-crm"} <= names


def test_merge_writes_nquads_and_flat_turtle_only_when_asked(tmp_path, capsys):
    nq = tmp_path / "merged.nq"
    assert main(["merge", str(FIXTURES / "conflicting-ea.ttl"), "-o", str(nq),
                 "--sources-only", "--no-align"]) == 0
    quads = list(ox.parse(nq.read_bytes(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {"https://w3id.org/etom-kg/graph/source/conflicting-ea",
                      "https://w3id.org/etom-kg/graph/provenance"}
    ttl = tmp_path / "flat.ttl"
    assert main(["merge", str(FIXTURES / "conflicting-ea.ttl"), "-o", str(ttl)]) == 2
    assert "--flat" in capsys.readouterr().err and not ttl.exists()
    assert main(["merge", str(FIXTURES / "conflicting-ea.ttl"), "-o", str(ttl), "--flat"]) == 0
    assert list(ox.parse(ttl.read_bytes(), format=ox.RdfFormat.TURTLE))


def test_merge_of_a_broken_source_fails_in_one_line_and_writes_nothing(tmp_path, capsys, shared):
    out = tmp_path / "merged.trig"
    legacy = shared / "testdata/archimate/legacy-archimate2.1/Archisurance_v2.1.xml"
    assert main(["merge", str(FIXTURES / "telco-landscape.xml"), str(legacy),
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "ArchiMate 2.1" in err and str(legacy) in err
    assert not out.exists()


def test_import_archimate_writes_turtle_with_every_element(tmp_path, capsys, shared):
    out = tmp_path / "archisurance.ttl"
    model = shared / "testdata/archimate/archi-tests/archisurance.xml"
    assert main(["import-archimate", str(model), "-o", str(out)]) == 0
    assert "120 elements, 178 relationships" in capsys.readouterr().out
    store = ox.Store()
    store.load(out.read_bytes(), format=ox.RdfFormat.TURTLE)
    n = store.query("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?m "
                    "<https://purl.org/archimate#hasConcept> ?x . ?x "
                    "<https://purl.org/archimate#identifier> ?id FILTER NOT EXISTS { ?x a "
                    "<https://purl.org/archimate#ArchiMateView> } }")
    assert int(next(iter(n))["n"].value) == 120 + 178
    first = out.read_bytes()
    assert main(["import-archimate", str(model), "-o", str(out)]) == 0
    assert out.read_bytes() == first


def test_import_archimate_refuses_2_1(tmp_path, capsys, shared):
    legacy = shared / "testdata/archimate/legacy-archimate2.1/Archisurance_v2.1.xml"
    out = tmp_path / "x.ttl"
    assert main(["import-archimate", str(legacy), "-o", str(out)]) == 2
    assert "ArchiMate 2.1" in capsys.readouterr().err and not out.exists()


def test_export_archimate_is_valid_and_stable(tmp_path, shared):
    out = tmp_path / "crm.xml"
    assert main(["export", "--format", "archimate", "-o", str(out), "--with-links"]) == 0
    data = out.read_bytes()
    assert validate_exchange(data, shared / "testdata/xsd/archimate3.1") == []
    assert main(["export", "--format", "archimate", "-o", str(out), "--with-links"]) == 0
    assert out.read_bytes() == data


def test_export_of_an_unknown_process_is_an_error(tmp_path, capsys):
    out = tmp_path / "x.xml"
    assert main(["export", "-o", str(out), "--process", "1.1.1.8"]) == 2
    assert "1.1.1.8" in capsys.readouterr().err and not out.exists()
