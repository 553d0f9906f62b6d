"""Aligning EA elements with etom-kg, and the enterprise queries on the merged graph."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.ea.alignment import NAME_PATTERNS
from etom_kg.ea.merge import merge

FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"
TELCO = "https://w3id.org/etom-kg/ea/id-telco-landscape/"


@pytest.fixture(scope="module")
def telco():
    kg = etom_kg.load()
    return kg, merge(kg, FIXTURES / "telco-landscape.xml")


@pytest.fixture(scope="module")
def archimetal(shared):
    kg = etom_kg.load()
    merge(kg, shared / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml")
    merge(kg, FIXTURES / "archimetal-alignment.ttl")
    return kg


@pytest.mark.parametrize("name, pid, rest", [
    ("1.1.1.5 Order Handling", "1.1.1.5", "Order Handling"),
    ("1.1.1.5 - Order Handling", "1.1.1.5", "Order Handling"),
    ("1.1.1.5: Order Handling", "1.1.1.5", "Order Handling"),
    ("Order Handling (1.1.1.5)", "1.1.1.5", "Order Handling"),
    ("Order Handling [1.1.1.5]", "1.1.1.5", "Order Handling"),
    ("1.1.1.12", "1.1.1.12", ""),
])
def test_the_common_ways_of_naming_an_id_are_recognised(name, pid, rest):
    match = next(m for p in NAME_PATTERNS if (m := p.match(name)))
    assert (match.group("id"), match.group("rest")) == (pid, rest)


@pytest.mark.parametrize("name", ["Order Handling", "ArchiMate 3.1 model", "Release 2.0a"])
def test_names_without_a_leading_or_bracketed_id_do_not_match(name):
    assert not any(p.match(name) for p in NAME_PATTERNS)


def test_telco_elements_are_aligned_by_the_documented_rules(telco):
    _, result = telco
    got = {(a.element[len(TELCO):], a.target_id, a.rule.rsplit("#", 1)[-1],
            a.confidence.rsplit("#", 1)[-1]) for a in result.alignment.alignments}
    assert got == {
        ("bp-order", "1.1.1.5", "rule-process-id-in-name", "HighConfidence"),
        ("bp-problem", "1.1.1.6", "rule-process-id-in-name", "MediumConfidence"),
        ("bp-bill-inquiry", "1.1.1.12", "rule-process-id-property", "HighConfidence"),
        ("bp-selling", "1.1.1.4", "rule-process-id-in-name", "HighConfidence"),
        ("app-order-manager", "TMFC002", "rule-oda-component-id", "HighConfidence"),
        ("app-billing", "5.15", "rule-tam-application-id", "HighConfidence"),
        ("bo-bill", "Customer Bill ABE", "rule-sid-abe-name", "MediumConfidence"),
    }


def test_what_could_not_be_aligned_is_reported_with_a_reason(telco):
    _, result = telco
    unaligned = {u.element[len(TELCO):]: u.reason for u in result.alignment.unaligned}
    assert "1.1.1.8" in unaligned["bp-legacy"] and "not in etom-kg" in unaligned["bp-legacy"]
    assert unaligned["bp-invoice-run"] == "no eTOM process ID in its name or properties"
    assert "app-crm" in unaligned and "do-order" in unaligned
    assert not {"bp-order", "app-billing"} & set(unaligned)
    assert [c.asserted for c in result.conflicts if c.kind == "unknown-id"] == ["1.1.1.8"]


def test_alignment_triples_live_in_their_own_graph_with_rule_and_confidence(telco):
    kg, result = telco
    graph = ox.NamedNode(result.alignment.graph)
    rows = kg.sparql("""SELECT ?rule ?confidence WHERE { GRAPH ?g {
        ?e etom:classifiedUnder process:P1-1-1-5 .
        ?st rdf:subject ?e ; rdf:predicate etom:classifiedUnder ; rdf:object process:P1-1-1-5 ;
            dcterms:conformsTo ?rule ; etom:confidence ?confidence } }""", {"g": graph})
    assert [(r.rule.rsplit("#")[-1], r.confidence.rsplit("#")[-1]) for r in rows] == \
        [("rule-process-id-in-name", "HighConfidence")]
    # the source graph itself gained nothing
    source = ox.NamedNode(result.name)
    assert not list(kg.store.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/etom-kg/ontology#classifiedUnder"), None, source))


def test_every_rule_is_documented_in_the_ontology(kg):
    rows = kg.sparql("""SELECT ?rule WHERE { ?rule a <https://w3id.org/etom-kg/ea#AlignmentRule> ;
        skos:definition ?en , ?ru ; rdfs:label ?l ; dcterms:source ?s
        FILTER(LANG(?en) = "en" && LANG(?ru) = "ru") }""")
    assert {r.rule.rsplit("#")[-1] for r in rows} == {
        "rule-process-id-property", "rule-process-id-in-name", "rule-oda-component-id",
        "rule-tam-application-id", "rule-sid-abe-name"}


# -- enterprise queries --------------------------------------------------------


def test_applications_for_a_process_follow_serving_realization_and_assignment(telco):
    kg, _ = telco
    rows = kg.query("enterprise-applications-for-process", process="1.1.1")
    got = {(r.id, r.applicationName, r.via[len(TELCO):], r.relation) for r in rows}
    assert got == {
        ("1.1.1.5", "Order Manager", "app-order-manager", "serving"),       # direct
        ("1.1.1.6", "CRM Suite", "app-crm-svc", "serving"),                 # assignment → realization → serving
        ("1.1.1.12", "Bill Calculation (5.15)", "app-billing-if", "serving"),  # composition → interface
    }
    assert {r.id for r in kg.query("enterprise-applications-for-process", process="1.1.1.5")} \
        == {"1.1.1.5"}


def test_data_objects_for_a_process_come_from_access_relationships(telco):
    kg, _ = telco
    rows = kg.query("data-objects-for-process", process="1.1.1")
    got = {(r.id, r.objectName, r.objectType, r.accessorName, r.accessType) for r in rows}
    assert got == {
        ("1.1.1.5", "Customer Order", "DataObject", "Order Manager", "write"),
        ("1.1.1.6", "Trouble ticket", "DataObject", "Case handling", "readwrite"),
        ("1.1.1.12", "Customer Bill", "BusinessObject", "Answer billing questions", "read"),
    }


def test_processes_without_application_are_the_coverage_gaps(telco):
    kg, _ = telco
    rows = kg.query("processes-without-application", process="1.1.1")
    # Level 2; the informative level-3 elements are gaps too (nothing is classified under them).
    gaps = {r.id: r.modelled for r in rows if r.id.count(".") == 3}
    assert set(gaps) == {"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.7", "1.1.1.9",
                         "1.1.1.10", "1.1.1.11"}
    assert gaps["1.1.1.4"] is True and gaps["1.1.1.1"] is False
    assert [r for r in kg.query("processes-without-application", process="1.1.1.5")
            if r.id == "1.1.1.5"] == []


def test_archimetal_answers_which_applications_and_data_serve_which_process(archimetal):
    apps = archimetal.query("enterprise-applications-for-process", process="1.1.1.5")
    assert {(r.elementName, r.applicationName) for r in apps} == {
        ("Accept order", "CRM system"),
        ("Accept order", "Order management application"),
        ("Create order", "CRM system"),
    }
    data = archimetal.query("data-objects-for-process", process="1.1.1.5")
    assert {(r.elementName, r.objectName, r.accessType) for r in data} == {
        ("Accept order", "Order data", "write"),
        ("Accept order", "Shipping order data", "write"),
        ("Create order", "Customer data", "write"),
        ("Create order", "Order data", "write"),
        ("Create order", "Product data", "write"),
    }
    gaps = {r.id for r in archimetal.query("processes-without-application") if r.id.count(".") == 3}
    assert gaps == {"1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.6", "1.1.1.7", "1.1.1.9",
                    "1.1.1.10", "1.1.1.11", "1.1.1.12"}
