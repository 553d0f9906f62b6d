"""The Frameworx link layer: crosswalk, application/data/API links, and their named queries."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import etom_kg

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "tmf-oda"
CRM_L2 = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
          "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]


@pytest.fixture(scope="module")
def kg():
    return etom_kg.load()


def by(rows, key):
    return {str(r[key]): r for r in rows}


def test_order_handling_reaches_customer_order_applications_and_components(kg):
    rows = by(kg.query("applications-for-process", process="1.1.1.5"), "applicationId")
    assert {"5.3", "5.3.1", "5.3.3", "5.3.5", "5.3.6", "5.3.10", "5.3.11"} <= set(rows)
    assert rows["TMFC002"]["confidence"] == "high" and rows["TMFC003"]["confidence"] == "high"
    # TAM pairs are inferred by the project: never shown as certain
    assert rows["5.3.1"]["confidence"] == "medium" and rows["5.3.1"]["basis"] == "project mapping"
    assert "1.3.3" in str(rows["TMFC003"]["via"])


def test_bill_invoice_management_reaches_bill_components_through_1_3_9(kg):
    rows = by(kg.query("oda-components-for-process", process="1.1.1.10"), "componentId")
    assert set(rows) == {"TMFC030", "TMFC031"}
    assert all("1.3.9" in str(r["via"]) for r in rows.values())


def test_order_handling_data_and_apis(kg):
    data = {(str(r["label"]), str(r["role"])): str(r["confidence"]) for r in kg.query("data-for-process", process="1.1.1.5")}
    assert data[("Customer Product Order ABE", "co-assigned")] == "medium"
    assert data[("Customer ABE", "uses")] == "high"
    apis = [r for r in kg.query("apis-for-process", process="1.1.1.5")]
    tmf622 = [r for r in apis if str(r["apiId"]) == "TMF622" and str(r["component"]) == "TMFC003"
              and str(r["role"]) == "exposes"]
    assert tmf622 and str(tmf622[0]["required"]) == "True" and tmf622[0]["confidence"] == "high"


def test_processes_for_and_impact_of_a_component(kg):
    procs = {(str(r["processId"]), str(r["scheme"])) for r in kg.query("processes-for-application", application="TMFC003")}
    assert ("1.1.1.5", "GOST R 53633") in procs and ("1.3.3", "TM Forum Frameworx R16") in procs
    impact = kg.query("impact-of-application", application="TMFC024")
    kinds = {(str(r["kind"]), str(r["label"])) for r in impact}
    assert ("data", "Customer Billing Account ABE") in kinds
    assert any(k == "process" and str(r["affectedId"]) == "1.1.1.11" for r in impact for k in [str(r["kind"])])


def test_mastering_data_matches_the_oda_csv(kg):
    rows = {(str(r["applicationId"]), str(r["entityLabel"])) for r in kg.query("applications-mastering-data")}
    with open(REF / "tmf-oda-components_framework-mappings.csv", newline="", encoding="utf-8") as f:
        csv_rows = [r for r in csv.DictReader(f) if r["kind"] == "SID"]
    components = {c for c, _ in rows}
    expected = {(r["component_id"], r["ref_path"].split("|")[-1].replace("_", " "))
                for r in csv_rows if r["component_id"] in components}
    assert rows == expected
    assert {"TMFC002", "TMFC003", "TMFC024", "TMFC030", "TMFC031"} <= components


def test_every_crm_element_is_covered_or_reported(kg):
    gaps = {(str(r["processId"]), str(r["gap"])) for r in kg.query("coverage-gaps")}
    for pid in CRM_L2:
        apps = kg.query("applications-for-process", process=pid)
        data = kg.query("data-for-process", process=pid)
        assert apps or (pid, "no application link") in gaps, pid
        assert data or (pid, "no data link") in gaps, pid
    assert ("1.1.1.1", "no data link") in gaps
    assert all(str(r["reason"]) for r in kg.query("coverage-gaps"))


def test_every_link_has_basis_confidence_label_and_source(kg):
    bad = kg.sparql("""SELECT ?l WHERE { ?l a/rdfs:subClassOf* etom:Link .
        FILTER(NOT EXISTS { ?l etom:basis ?b } || NOT EXISTS { ?l etom:confidence ?c }
               || NOT EXISTS { ?l dcterms:source ?s } || NOT EXISTS { ?l rdfs:label ?en FILTER(lang(?en) = "en") }
               || NOT EXISTS { ?l rdfs:label ?ru FILTER(lang(?ru) = "ru") }) }""")
    assert list(bad) == []
    unexplained = kg.sparql("""SELECT ?l WHERE { ?l etom:basis etom:ProjectMappingBasis .
        FILTER NOT EXISTS { ?l etom:rationale ?r } }""")
    assert list(unexplained) == []


def test_exact_match_only_where_the_reference_says_same_element(kg):
    exact = {(str(r["s"]), str(r["o"])) for r in kg.sparql(
        "SELECT ?s ?o WHERE { ?a skos:exactMatch ?b . ?a skos:notation ?s . ?b skos:notation ?o }")}
    for pid in ("1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.9"):
        assert not any(s == pid for s, _ in exact), pid
    assert ("1.1.1.5", "1.3.3") in exact and ("1.1.1.10", "1.3.9") in exact
    # release drift: R16 1.3.9.1 is ODA-cited 1.3.9.4, not 1.3.9.1
    assert ("1.3.9.1", "1.3.9.4") in exact


def test_low_mappings_are_not_asserted_and_mappings_avoid_classes(kg):
    assert not kg.sparql("""ASK { ?m etom:confidence etom:LowConfidence ; etom:linkSubject ?s ;
                                  etom:linkObject ?o ; etom:mappingProperty ?p . ?s ?p ?o }""")
    assert not kg.sparql("""ASK { VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch skos:relatedMatch }
                                  ?a ?p ?b . { ?a a owl:Class } UNION { ?b a owl:Class } }""")


def test_current_ids_use_their_own_datatype(kg):
    wrong = kg.sparql("""SELECT ?e WHERE { ?e a etom:TmfProcessElement ; skos:notation ?n .
                        FILTER(DATATYPE(?n) != etom:TmfProcessId) }""")
    assert list(wrong) == []
    assert kg.sparql("ASK { scheme:tmf-etom-r16 etom:tmfRelease \"Frameworx R16.0\" }")


def test_every_row_carries_confidence():
    for name in ("applications-for-process", "data-for-process", "apis-for-process", "oda-components-for-process",
                 "processes-for-application", "impact-of-application", "applications-mastering-data", "coverage-gaps"):
        assert "confidence" in etom_kg.graph.queries.get(name).returns, name
