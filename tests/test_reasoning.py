"""OWL 2 DL consistency of the shipped ontology under HermiT (owlready2)."""
from __future__ import annotations

import pytest

import etom_kg
from etom_kg.reason.classify import Consistency, check_consistency, consistency

pytestmark = pytest.mark.slow

TTL_PREFIXES = """
PREFIX etom: <https://w3id.org/etom-kg/ontology#>
PREFIX function: <https://w3id.org/etom-kg/function/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX process: <https://w3id.org/etom-kg/process/>
"""


def with_addition(tmp_path, turtle: str):
    path = tmp_path / "addition.ttl"
    path.write_text(TTL_PREFIXES + turtle, encoding="utf-8")
    return etom_kg.load(extra=[path])


def test_the_whole_shipped_ontology_is_consistent_under_hermit(kg):
    result = check_consistency(kg)
    assert result == Consistency(True, None)
    assert consistency(kg) is True


def test_a_function_that_is_also_a_process_is_inconsistent_and_named(tmp_path):
    # etom:Function and etom:Process are disjoint classes in the TBox.
    kg = with_addition(tmp_path, "function:F1-1-1-5-3 a etom:ProcessElement .")
    result = check_consistency(kg)
    assert not result
    assert consistency(kg) is False
    assert "https://w3id.org/etom-kg/function/F1-1-1-5-3" in result.reason
    assert "disjoint" in result.reason


def test_a_function_given_to_two_elements_is_inconsistent(tmp_path):
    # hasFunction is inverse-functional, so 1.1.1.5 and 1.1.1.6 would be one
    # individual, yet elementNumber (functional) gives it two values: 5 and 6.
    kg = with_addition(tmp_path, "process:P1-1-1-6 etom:hasFunction function:F1-1-1-5-3 .")
    result = check_consistency(kg)
    assert result.consistent is False
    assert result.reason.startswith("HermiT: the ontology is inconsistent")


def test_an_import_is_never_fetched(tmp_path):
    # The unreachable import would make owlready2 try the network; it is dropped.
    kg = with_addition(tmp_path, "<https://operator.example/onto> a owl:Ontology ; "
                                 "owl:imports <http://unreachable.invalid/ontology.owl> .")
    assert consistency(kg)


def test_consistency_can_be_limited_to_some_graphs(kg):
    tbox = [g for g in kg.graph_names() if g.endswith("/etom")]
    assert len(tbox) == 1
    assert consistency(kg, graphs=tbox)
