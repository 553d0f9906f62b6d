"""Work that grew faster than the input: bounded with a clear message, or made linear.

Speeds are measured in bench/robustness.py; here only what the user sees.
"""
from __future__ import annotations

import pytest

from etom_kg.io import limits
from etom_kg.io.guard import memory_used

from .cases import chain
from .conftest import one_line, run_capped


def test_validating_a_hierarchy_deeper_than_the_limit_is_one_line_not_a_minute(tmp_path):
    deep = tmp_path / "chain.ttl"
    deep.write_text(chain(10_000), encoding="utf-8")  # took ~55 s, quadratic in the depth
    result = run_capped("validate", deep, timeout=60)
    assert result.code == 2, result.err[-2000:]
    line = one_line(result.err)
    assert str(deep) in line and "ETOM_KG_MAX_HIERARCHY" in line and "1000 levels" in line
    assert result.seconds < 20


def test_a_hierarchy_within_the_limit_is_validated(tmp_path, monkeypatch):
    import etom_kg

    monkeypatch.setattr(limits, "MAX_HIERARCHY", 50)
    ok, deep = tmp_path / "ok.ttl", tmp_path / "deep.ttl"
    ok.write_text(chain(40), encoding="utf-8")
    deep.write_text(chain(60), encoding="utf-8")
    report = etom_kg.validate([ok])
    assert report.conforms_at("violation") in (True, False)  # validated, whatever it finds
    with pytest.raises(limits.LimitError, match="more than 50 levels"):
        etom_kg.validate([deep])


def test_a_cycle_in_a_hierarchy_is_still_reported_by_the_shapes(tmp_path):
    import etom_kg

    text = chain(30).replace("skos:broader process:P1-1-1-5", "skos:broader ex:E29")
    path = tmp_path / "cycle.ttl"
    path.write_text(text, encoding="utf-8")  # the depth walk does not loop on it
    report = etom_kg.validate([path])
    assert not report.conforms_at("violation")
    assert "NoHierarchicalCycle" in report.to_json()


def test_adding_and_removing_graphs_many_times_does_not_grow_the_process(tmp_path):
    import etom_kg

    data = tmp_path / "model.ttl"
    data.write_text("@prefix ex: <https://operator.example/x/> .\n" + "".join(
        f'ex:s{i} ex:p "value {i} of the operator model" ; ex:q ex:o{i % 100} .\n'
        for i in range(20_000)), encoding="utf-8")
    kg = etom_kg.load(links=False)
    size = len(kg)

    def cycle():
        name = kg.add(data, name="https://operator.example/graph/model")
        kg.remove(name)

    for _ in range(5):  # warm up: allocator pools, first copies
        cycle()
    before = memory_used()
    for _ in range(30):  # 1.2 million quads added and removed: +17 MiB before the fix
        cycle()
    grown = (memory_used() - before) / 2 ** 20
    assert len(kg) == size
    assert grown < 8, f"grew {grown:.1f} MiB over 30 cycles"  # allocator noise: ±5 MiB
    assert kg.sparql("ASK { ?s ?p ?o }") is True  # the graph still answers after a compaction


def test_owl_rl_on_a_deep_class_chain_is_refused_before_it_runs_for_minutes(cli, tmp_path):
    chain_file = tmp_path / "classes.ttl"
    chain_file.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix ex: <https://operator.example/> .\n"
        "@prefix etom: <https://w3id.org/etom-kg/ontology#> .\n"
        + "".join(f"ex:C{i + 1} rdfs:subClassOf ex:C{i} .\n" for i in range(300))
        + "ex:p a etom:RealProcess ; etom:performsFunction ex:f .\n", encoding="utf-8")
    result = cli("classify", chain_file, "--engine", "owlrl")  # 300 levels took 142 s
    assert result.code == 2
    line = one_line(result.err)
    assert str(chain_file) in line and "ETOM_KG_MAX_RL_DEPTH" in line
    assert cli("classify", chain_file, "--engine", "sparql").code == 0
