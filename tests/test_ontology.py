"""The shipped ontology says what ГОСТ Р 53633.3-2009 says, in well-formed OWL 2 + SKOS."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, Namespace, URIRef

from etom_kg.io.canonical import canonical_turtle
from etom_kg.core.namespaces import ETOM as ETOM_IRI
from etom_kg.core.namespaces import process_iri

ETOM = Namespace(ETOM_IRI)
DCTERMS = Namespace("http://purl.org/dc/terms/")
REPO = Path(__file__).resolve().parents[1]
SHIPPED_TTL = sorted((REPO / "ontology").rglob("*.ttl")) + sorted((REPO / "shapes").rglob("*.ttl"))

# Annex A (normative), Table A.1: ID, Russian name, English equivalent — exactly.
ANNEX_A = [
    ("1.1.1.1", "Поддержка и обеспечение готовности процессов CRM", "CRM-support and readiness"),
    ("1.1.1.2", "Управление интерфейсами с клиентами", "Customer interface management"),
    ("1.1.1.3", "Проведение маркетинга", "Marketing fulfilment response"),
    ("1.1.1.4", "Продажи", "Selling"),
    ("1.1.1.5", "Обработка заказов", "Order handling"),
    ("1.1.1.6", "Обработка проблем клиентов", "Problem handling"),
    ("1.1.1.7", "Управление QoS/SLA клиентов", "Customer QoS/SLA management"),
    ("1.1.1.9", "Обеспечение лояльности и удержание клиентов", "Retention and loyalty"),
    ("1.1.1.10", "Управление выставлением счетов", "Bill invoice management"),
    ("1.1.1.11", "Управление сбором платежей", "Bill payments and receivables management"),
    ("1.1.1.12", "Обработка запросов по счетам", "Bill inquiry handling"),
]

# Functions per element: the explicit list where Table 1 has one ("должны обеспечивать
# выполнение следующих функций"), otherwise one per "Процессы …" statement or its items.
FUNCTION_COUNTS = {"1.1.1.1": 3, "1.1.1.2": 7, "1.1.1.3": 3, "1.1.1.4": 4, "1.1.1.5": 7,
                   "1.1.1.6": 5, "1.1.1.7": 3, "1.1.1.9": 5, "1.1.1.10": 7, "1.1.1.11": 3,
                   "1.1.1.12": 5}

# Figure 3: the vertical columns each CRM element sits in.
VERTICALS = {
    "1.1.1.1": {"OperationsSupportReadiness"},
    "1.1.1.2": {"Fulfillment", "Assurance", "Billing"},
    "1.1.1.9": {"Fulfillment", "Assurance", "Billing"},
    "1.1.1.3": {"Fulfillment"}, "1.1.1.4": {"Fulfillment"}, "1.1.1.5": {"Fulfillment"},
    "1.1.1.6": {"Assurance"}, "1.1.1.7": {"Assurance"},
    "1.1.1.10": {"Billing"}, "1.1.1.11": {"Billing"}, "1.1.1.12": {"Billing"},
}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in (REPO / "ontology").rglob("*.ttl"):
        g.parse(path, format="turtle")
    return g


def label(g, node, lang, prop=SKOS.prefLabel):
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal) and o.language == lang]
    assert len(values) == 1, f"{node} has {len(values)} {prop} in {lang}"
    return str(values[0])


@pytest.mark.parametrize("path", SHIPPED_TTL, ids=lambda p: p.name)
def test_every_shipped_file_parses_and_is_in_canonical_form(path):
    assert canonical_turtle(path) == path.read_text(encoding="utf-8"), (
        f"{path} is not canonical: run `make fmt`")


@pytest.mark.parametrize("pid, ru, en", ANNEX_A)
def test_every_annex_a_row_has_its_exact_id_and_names(graph, pid, ru, en):
    node = URIRef(process_iri(pid))
    assert (node, SKOS.notation, Literal(pid, datatype=ETOM.ProcessId)) in graph
    assert label(graph, node, "ru") == ru
    assert label(graph, node, "en") == en
    assert (node, RDF.type, ETOM.ProcessElement) in graph
    assert (node, SKOS.broader, URIRef(process_iri("1.1.1"))) in graph
    assert (URIRef(process_iri("1.1.1")), SKOS.narrower, node) in graph


def test_annex_a_table_in_the_standard_text_matches_the_pinned_table(shared):
    text = (shared / "seeds" / "gost-r-53633.3-2009.txt").read_text(encoding="utf-8")
    annex = text[text.index("Таблица А.1"):]
    rows = re.findall(r"^(1\.1\.1\.\d+)\*?\t([^\t]+)\t([^\t]+?)\t", annex, re.MULTILINE)
    assert [(i, r.strip(), e.strip()) for i, r, e in rows] == ANNEX_A


def test_crm_has_exactly_the_eleven_elements_and_no_1_1_1_8(kg):
    ids = [row["id"] for row in kg.query("children", process="1.1.1")]
    assert ids == [pid for pid, _, _ in ANNEX_A]


@pytest.mark.parametrize("pid", FUNCTION_COUNTS)
def test_every_element_of_table_1_has_its_characteristic_and_functions(graph, pid):
    node = URIRef(process_iri(pid))
    characteristic = label(graph, node, "ru", SKOS.definition)
    assert characteristic.startswith(("Процесс", "Выпуск", "Цель")) and len(characteristic) > 150
    assert label(graph, node, "en", SKOS.definition)
    functions = list(graph.objects(node, ETOM.hasFunction))
    assert len(functions) == FUNCTION_COUNTS[pid]
    orders = sorted(int(o) for f in functions for o in graph.objects(f, ETOM.order))
    assert orders == list(range(1, FUNCTION_COUNTS[pid] + 1))
    for function in functions:
        assert (function, RDF.type, ETOM.Function) in graph
        assert label(graph, function, "ru") and label(graph, function, "en")
        assert label(graph, function, "ru", SKOS.definition)


def test_known_text_defects_are_repaired(graph):
    def text(pid):
        return label(graph, URIRef(process_iri(pid)), "ru", SKOS.definition)

    # 1.1.1.9 exists only on the scanned page 7.
    assert "схем лояльности для привлечения новых клиентов" in text("1.1.1.9")
    # 1.1.1.12 was interleaved across three columns.
    assert text("1.1.1.12").startswith(
        "Цель процессов состоит в своевременном и эффективном выполнении запросов и жалоб "
        "клиентов по счетам. Процессы должны управлять взаимодействиями с клиентами по "
        "вопросам биллинга.")
    assert "в электронном виде и рассылку счетов" in text("1.1.1.10")
    assert "К параметрам продуктов относятся" in text("1.1.1.7")
    assert "назначение и контроль хода восстановительных работ" in text("1.1.1.6")
    assert "управление работами по подготовке к оказанию услуг" in text("1.1.1.5")
    for pid, *_ in ANNEX_A:
        assert not re.search(r"QZH|кпиент|Фун шк|\s{2,}", text(pid)), pid


@pytest.mark.parametrize("pid, expected", VERTICALS.items())
def test_elements_sit_in_the_vertical_columns_of_figure_3(graph, pid, expected):
    got = {str(v).rsplit("/", 1)[1]
           for v in graph.objects(URIRef(process_iri(pid)), ETOM.inVerticalGrouping)}
    assert got == expected


def test_the_hand_offs_the_text_states_are_there(kg):
    out_of_7 = {(r["direction"], r["otherId"]) for r in kg.query("handoffs", process="1.1.1.7")}
    assert ("out", "1.1.1.10") in out_of_7  # SLA violations go to billing
    assert ("out", "1.1.1.4") in {(r["direction"], r["otherId"])
                                  for r in kg.query("handoffs", process="1.1.1.3")}
    assert {r["otherId"] for r in kg.query("handoffs", process="1.1.1.2")
            if r["direction"] == "out"} == {"1.1.1.5", "1.1.1.6", "1.1.1.7", "1.1.1.12"}
    assert ("in", "1.1.1.12") in {(r["direction"], r["otherId"])
                                  for r in kg.query("handoffs", process="1.1.1.10")}


def test_frame_has_areas_groupings_and_verticals(graph):
    def ids_of(cls):
        return {str(n) for s in graph.subjects(RDF.type, cls) for n in graph.objects(s, SKOS.notation)}

    assert ids_of(ETOM.ProcessArea) == {"1.1", "1.2", "1.3"}
    assert {"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "1.2.4"} <= ids_of(
        ETOM.HorizontalProcessGrouping)
    verticals = set(graph.subjects(RDF.type, ETOM.VerticalProcessGrouping))
    assert len(verticals) == 7
    for v in verticals:  # only horizontal groupings are numbered (clause 5.2, c)
        assert not list(graph.objects(v, SKOS.notation))
    assert label(graph, URIRef(process_iri("1.1")), "ru") == "Основная деятельность"
    assert label(graph, URIRef(process_iri("1.3")), "ru") == "Управление организацией"


def test_decomposition_is_skos_never_subclassing_between_processes(graph):
    processes = set(graph.subjects(SKOS.notation, None))
    for s, o in graph.subject_objects(RDFS.subClassOf):
        assert s not in processes and o not in processes
    for child, parent in graph.subject_objects(SKOS.broader):
        assert (parent, SKOS.narrower, child) in graph
    for parent, child in graph.subject_objects(SKOS.narrower):
        assert (child, SKOS.broader, parent) in graph


def test_one_scheme_with_top_concepts_and_typed_notations(graph):
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    etom_schemes = {s for s in schemes if str(s) == "https://w3id.org/etom-kg/scheme/etom"}
    assert len(etom_schemes) == 1
    scheme = etom_schemes.pop()
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == {
        URIRef(process_iri(p)) for p in ("1.1", "1.2", "1.3")}
    for concept in graph.subjects(SKOS.inScheme, scheme):
        for notation in graph.objects(concept, SKOS.notation):
            assert notation.datatype == ETOM.ProcessId


def test_every_term_and_individual_of_ours_has_labels_definition_and_source(graph):
    ours = ("https://w3id.org/etom-kg/ontology#", "https://w3id.org/etom-kg/process/",
            "https://w3id.org/etom-kg/vertical/", "https://w3id.org/etom-kg/function/",
            "https://w3id.org/etom-kg/handoff/", "https://w3id.org/etom-kg/source/",
            "https://w3id.org/etom-kg/scheme/etom")
    subjects = {s for s in graph.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(ours)}
    assert len(subjects) > 150
    for s in subjects:
        labels = list(graph.objects(s, SKOS.prefLabel)) or list(graph.objects(s, RDFS.label))
        assert {l.language for l in labels} >= {"ru", "en"}, s
        assert {d.language for d in graph.objects(s, SKOS.definition)} >= {"ru", "en"}, s
        assert list(graph.objects(s, DCTERMS.source)), s


def test_ontology_metadata(graph):
    onto = URIRef("https://w3id.org/etom-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert list(graph.objects(onto, OWL.versionIRI)) and list(graph.objects(onto, OWL.versionInfo))
    assert {t.language for t in graph.objects(onto, DCTERMS.title)} == {"ru", "en"}
    assert list(graph.objects(onto, DCTERMS.license)) and list(graph.objects(onto, DCTERMS.source))
    assert not list(graph.objects(onto, OWL.imports))  # nothing is fetched, ever


def test_ontology_is_owl2_dl_consistent_under_hermit(kg):
    from etom_kg.reason.classify import check_consistency

    result = check_consistency(kg)
    assert bool(result), str(result)
