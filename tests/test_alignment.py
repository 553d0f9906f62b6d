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


# -- real modelling patterns ------------------------------------------------------------

CLAIMS = "https://w3id.org/etom-kg/ea/id-claims/"


@pytest.fixture(scope="module")
def claims():
    kg = etom_kg.load()
    return kg, merge(kg, FIXTURES / "claims-and-strategy.xml")


def _aligned(result, base):
    return {(a.element[len(base):], a.target_id, a.confidence.rsplit("#", 1)[-1])
            for a in result.alignment.alignments}


def test_capabilities_value_streams_services_and_events_with_an_etom_id_are_aligned(claims):
    _, result = claims
    assert {("cap-orders", "1.1.1.5", "HighConfidence"), ("vs-crm", "1.1.1", "HighConfidence"),
            ("bs-problems", "1.1.1.6", "HighConfidence"),
            ("be-bill-query", "1.1.1.12", "HighConfidence")} <= _aligned(result, CLAIMS)


def test_step_numbers_are_candidates_not_alignments_nor_conflicts(claims):
    _, result = claims
    aligned = {e for e, _, _ in _aligned(result, CLAIMS)}
    assert not {"bp-receive", "bp-validate"} & aligned
    entries = {u.element[len(CLAIMS):]: u for u in result.alignment.unaligned}
    assert entries["bp-receive"].candidate_ids == ("1.2",)
    assert entries["bp-receive"].reason.startswith("candidate:")
    assert entries["bp-validate"].candidate_ids == ("2.1",)
    assert result.conflicts == []  # "2.1" is nobody's claim to an eTOM ID


def test_a_real_etom_id_with_the_standard_name_is_aligned_without_a_declaration(claims):
    _, result = claims
    got = _aligned(result, CLAIMS)
    assert ("bp-sell", "1.1.1.4", "HighConfidence") in got
    assert ("bp-ru", "1.1.1.6", "HighConfidence") in got  # the Russian name is the standard's


def test_a_model_that_declares_etom_numbering_gets_medium_alignments_and_conflicts(tmp_path):
    text = (FIXTURES / "claims-and-strategy.xml").read_text(encoding="utf-8")
    declared = text.replace('<name xml:lang="en">Claims handling</name>',
                            '<name xml:lang="en">Claims handling</name>\n  <documentation>'
                            'Processes are numbered as in eTOM (GOST R 53633).</documentation>')
    path = tmp_path / "declared.xml"
    path.write_text(declared, encoding="utf-8")
    kg = etom_kg.load()
    result = merge(kg, path)
    assert ("bp-receive", "1.2", "MediumConfidence") in _aligned(result, CLAIMS)
    assert [c.asserted for c in result.conflicts if c.kind == "unknown-id"] == ["2.1"]


def test_etom_ids_on_other_element_types_and_duplicate_identifiers_are_reported(claims):
    _, result = claims
    entries = {}
    for u in result.alignment.unaligned:
        entries.setdefault(u.element[len(CLAIMS):], []).append(u)
    assert "BusinessActor" in entries["actor-desk"][0].reason
    assert any("several ArchiMate types" in u.reason for u in entries["dup-1"])
    assert result.duplicates == ["dup-1 (BusinessProcess and ApplicationComponent)"]
    assert "identifiers used twice" in result.summary()


def test_the_whole_report_goes_to_json_and_to_the_provenance_graph(claims, tmp_path, capsys):
    import json

    from etom_kg.cli import main

    kg, result = claims
    rows = kg.sparql("""SELECT ?n ?el ?reason WHERE { GRAPH <https://w3id.org/etom-kg/graph/provenance> {
        ?n a <https://w3id.org/etom-kg/ea#NotAligned> ;
           <https://w3id.org/etom-kg/ea#notAlignedElement> ?el ;
           <https://w3id.org/etom-kg/ea#reason> ?reason ;
           <http://www.w3.org/ns/prov#wasDerivedFrom> ?g } }""",
                     {"g": ox.NamedNode(result.name)})
    assert {(r.el, r.reason) for r in rows} == {(u.element, u.reason)
                                               for u in result.alignment.unaligned}
    report = tmp_path / "report.json"
    assert main(["merge", str(FIXTURES / "claims-and-strategy.xml"), "-o",
                 str(tmp_path / "m.trig"), "--sources-only", "--report", str(report)]) == 0
    assert f"wrote {report}" in capsys.readouterr().out
    data = json.loads(report.read_text(encoding="utf-8"))["sources"][0]
    assert data["duplicateIdentifiers"] and len(data["alignment"]["notAligned"]) == \
        len(result.alignment.unaligned)
    entry = next(u for u in data["alignment"]["notAligned"]
                 if u["element"].endswith("/bp-receive"))
    assert entry["candidateIds"] == ["1.2"] and entry["type"] == "BusinessProcess"
    assert entry["names"] == [{"lang": "en", "name": "1.2 Receive claim"}]


def test_removing_a_source_removes_its_report_entries(tmp_path):
    kg = etom_kg.load()
    result = merge(kg, FIXTURES / "claims-and-strategy.xml")
    kg.remove(result.name)
    assert not kg.sparql("ASK { ?n a <https://w3id.org/etom-kg/ea#NotAligned> }")


@pytest.mark.parametrize("vocabulary, namespace", [
    ("bp4mc2", "http://bp4mc2.org/def/archimate#"),
    ("ArchiMEO", "http://ikm-group.ch/archiMEO/archimate#"),
])
def test_other_archimate_rdf_vocabularies_are_recognised(tmp_path, vocabulary, namespace):
    path = tmp_path / f"{vocabulary}.ttl"
    path.write_text(f"""
        PREFIX am: <{namespace}>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX p: <http://bp4mc2.org/archimate/telco/>
        p:pd-1 a owl:DatatypeProperty ; rdfs:label "eTOM process ID" .
        <urn:uuid:1> a am:BusinessProcess ; rdfs:label "Handle orders"@en ; p:pd-1 "1.1.1.5" .
        <urn:uuid:2> a am:BusinessProcess ; rdfs:label "1.1.1.4 Selling"@en .
        <urn:uuid:3> a am:ApplicationComponent ; rdfs:label "Billing"@en .
    """, encoding="utf-8")
    kg = etom_kg.load()
    report = merge(kg, path).alignment
    assert {(a.element, a.target_id) for a in report.alignments} == {
        ("urn:uuid:1", "1.1.1.5"), ("urn:uuid:2", "1.1.1.4")}
    assert [u.element for u in report.unaligned] == ["urn:uuid:3"]
    assert report.vocabulary.startswith({"bp4mc2": "bp4mc2", "ArchiMEO": "ArchiMEO"}[vocabulary])
    assert "vocabulary:" in report.summary()


def test_an_unknown_vocabulary_is_said_to_be_unknown(tmp_path):
    path = tmp_path / "mystery.ttl"
    path.write_text("""
        PREFIX x: <https://example.org/my-ea-ontology#>
        <https://example.org/e1> a x:Prozess ; x:bezeichnung "Auftrag annehmen" .
        <https://example.org/e2> a x:Anwendung ; x:bezeichnung "SAP" .
    """, encoding="utf-8")
    kg = etom_kg.load()
    report = merge(kg, path).alignment
    assert report.vocabulary == "unknown"
    assert "vocabulary unknown: classes from https://example.org/my-ea-ontology#" in \
        report.summary()
