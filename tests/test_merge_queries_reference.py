"""The three merge queries answer exactly what their descriptions say.

Each query's rows are compared with a reference written here in plain Python:
it walks the merged graph with pyoxigraph pattern lookups (no SPARQL), following
the query header's ``# description:`` and the comments in the query. Models: the
ArchiMetal case study with a hand-made alignment, the telco test landscape, and a
small synthetic model built to take every branch of the descriptions.
"""
from __future__ import annotations

from collections import deque
from itertools import product
from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.ea.merge import merge
from etom_kg.core.namespaces import ETOM, RDF, SKOS, XSD

FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AM = "https://purl.org/archimate#"
EX = "https://example.org/syn/"
IDS = ["1.1.1"] + [f"1.1.1.{n}" for n in range(1, 13) if n != 8]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


TYPE, NOTATION, BROADER = _n(RDF + "type"), _n(SKOS + "notation"), _n(SKOS + "broader")
PREF_LABEL, CLASSIFIED_UNDER = _n(SKOS + "prefLabel"), _n(ETOM + "classifiedUnder")
PROCESS_ELEMENT, PROCESS_ID = _n(ETOM + "ProcessElement"), _n(ETOM + "ProcessId")
R_SUBJECT, R_PREDICATE, R_OBJECT = _n(RDF + "subject"), _n(RDF + "predicate"), _n(RDF + "object")
NAME, ACCESS_TYPE = _n(AM + "name"), _n(AM + "accessType")
COMPOSITION, AGGREGATION, ASSIGNMENT = _n(AM + "composition"), _n(AM + "aggregation"), \
    _n(AM + "assignment")
REALIZATION, SERVING, ACCESS = _n(AM + "realization"), _n(AM + "serving"), _n(AM + "access")
APPLICATION_COMPONENT = _n(AM + "ApplicationComponent")
DATA_OBJECT, BUSINESS_OBJECT = _n(AM + "DataObject"), _n(AM + "BusinessObject")
APPLICATION_CLASSES = {_n(AM + c) for c in (
    "ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface",
    "ApplicationFunction", "ApplicationProcess", "ApplicationInteraction", "ApplicationService")}
TRUE, FALSE = (ox.Literal(v, datatype=_n(XSD + "boolean")) for v in ("true", "false"))


# -- the reference: plain pattern lookups over every graph -------------------------------


class Reference:
    """What the descriptions of the three queries say, computed by walking the store."""

    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, s, p) -> set:
        if not isinstance(s, (ox.NamedNode, ox.BlankNode)):
            return set()
        return {q.object for q in self.store.quads_for_pattern(s, p, None)}

    def subjects(self, p, o) -> set:
        return {q.subject for q in self.store.quads_for_pattern(None, p, o)}

    def closure(self, start, step) -> set:
        """``start`` and everything reached from it by repeating ``step`` (cycles allowed)."""
        seen, todo = set(start), deque(start)
        while todo:
            for nxt in step(todo.popleft()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def forward(self, node, props):
        return set().union(*(self.objects(node, p) for p in props))

    def backward(self, node, props):
        return set().union(*(self.subjects(p, node) for p in props))

    def types(self, node) -> set:
        return self.objects(node, TYPE)

    def names(self, node) -> set:
        """English or language-less names, or {None}: an unnamed thing still gives its row."""
        found = {o for o in self.objects(node, NAME)
                 if isinstance(o, ox.Literal) and (o.language or "") in ("en", "")}
        return found or {None}

    def labels(self, node, lang: str) -> set:
        found = {o for o in self.objects(node, PREF_LABEL)
                 if isinstance(o, ox.Literal) and o.language == lang}
        return found or {None}

    def standards(self, process: str | None):
        """(element of the standard, its ID) for the process and its descendants, or for all."""
        if process is None:
            roots = {q.subject for q in self.store.quads_for_pattern(None, NOTATION, None)}
        else:
            roots = self.subjects(NOTATION, ox.Literal(process, datatype=PROCESS_ID))
        below = self.closure(roots, lambda n: self.subjects(BROADER, n))
        return {(s, i) for s in below for i in self.objects(s, NOTATION)}

    def parts(self, element) -> set:
        """The element and its sub-processes: composition or aggregation, any depth."""
        return self.closure({element}, lambda n: self.forward(n, (COMPOSITION, AGGREGATION)))

    def serving(self, served):
        """(via, relation, application component) for everything serving or realizing ``served``:
        the component itself, or one that is assigned to, realizes, is composed of or
        aggregates (any number of steps) the serving/realizing element."""
        for relation, prop in (("serving", SERVING), ("realization", REALIZATION)):
            for via in self.subjects(prop, served):
                upstream = self.closure({via}, lambda n: self.backward(
                    n, (ASSIGNMENT, REALIZATION, COMPOSITION, AGGREGATION)))
                for app in upstream:
                    if APPLICATION_COMPONENT in self.types(app):
                        yield via, relation, app

    def supported(self, standard) -> bool:
        return any(next(self.serving(served), None)
                   for element in self.subjects(CLASSIFIED_UNDER, standard)
                   for served in self.parts(element))

    # -- enterprise-applications-for-process
    def applications(self, process: str) -> set:
        rows = set()
        for standard, pid in self.standards(process):
            for element in self.subjects(CLASSIFIED_UNDER, standard):
                for served in self.parts(element):
                    for via, relation, app in self.serving(served):
                        rows |= set(product([pid], self.labels(standard, "en"), [element],
                                            self.names(element), [app], self.names(app), [via],
                                            [ox.Literal(relation)]))
        return rows

    # -- processes-without-application
    def gaps(self, process: str | None) -> set:
        rows = set()
        for standard, pid in self.standards(process):
            if PROCESS_ELEMENT not in self.types(standard) or self.supported(standard):
                continue
            modelled = TRUE if self.subjects(CLASSIFIED_UNDER, standard) else FALSE
            rows |= set(product([standard], [pid], self.labels(standard, "ru"),
                                self.labels(standard, "en"), [modelled]))
        return rows

    # -- data-objects-for-process
    def accessors(self, served) -> set:
        """The served element itself, and the application elements on a path serving or
        realizing it: the serving/realizing element, what is assigned to or realizes it
        (any number of steps), and what composes it (one step, e.g. the component of an
        interface or of a sub-component). A container by aggregation is not on the path."""
        found = set()
        for via in self.backward(served, (SERVING, REALIZATION)):
            tops = {via} | self.subjects(COMPOSITION, via)
            chain = self.closure(tops, lambda n: self.backward(n, (ASSIGNMENT, REALIZATION)))
            found |= {a for a in chain if self.types(a) & APPLICATION_CLASSES}
        return found | {served}

    def objects_of(self, accessed):
        """(object, objectType): the accessed data/business object, and the data objects that
        realize an accessed business object."""
        types = self.types(accessed)
        if DATA_OBJECT in types:
            yield accessed, "DataObject"
        if BUSINESS_OBJECT in types:
            yield accessed, "BusinessObject"
            for realizer in self.subjects(REALIZATION, accessed):
                if DATA_OBJECT in self.types(realizer):
                    yield realizer, "DataObject"

    def access_types(self, accessor, accessed) -> set:
        found = set()
        for rel in self.subjects(R_PREDICATE, ACCESS):
            if accessor in self.objects(rel, R_SUBJECT) and accessed in self.objects(rel, R_OBJECT):
                found |= self.objects(rel, ACCESS_TYPE)
        return found or {None}

    def data_objects(self, process: str) -> set:
        rows = set()
        for standard, pid in self.standards(process):
            for element in self.subjects(CLASSIFIED_UNDER, standard):
                for served in self.parts(element):
                    for accessor in self.accessors(served):
                        for accessed in self.objects(accessor, ACCESS):
                            for obj, kind in self.objects_of(accessed):
                                rows |= set(product(
                                    [pid], [element], self.names(element), [obj],
                                    self.names(obj), [ox.Literal(kind)], [accessor],
                                    self.names(accessor), self.access_types(accessor, accessed),
                                    self.names(accessed)))
        return rows


QUERIES = {
    "enterprise-applications-for-process": (Reference.applications, (
        "id", "labelEn", "element", "elementName", "application", "applicationName", "via",
        "relation")),
    "processes-without-application": (Reference.gaps, (
        "processElement", "id", "labelRu", "labelEn", "modelled")),
    "data-objects-for-process": (Reference.data_objects, (
        "id", "element", "elementName", "object", "objectName", "objectType", "accessor",
        "accessorName", "accessType", "accessedName")),
}


def query_rows(kg, name: str, process: str | None) -> set:
    _, columns = QUERIES[name]
    rows = kg.query(name, process=process)
    assert rows.variables == list(columns)
    return {tuple(row.terms[c] for c in columns) for row in rows}


def reference_rows(kg, name: str, process: str | None) -> set:
    method, _ = QUERIES[name]
    return method(Reference(kg.store), process)


# -- the synthetic model -------------------------------------------------------------------

SYNTHETIC = """\
PREFIX : <https://example.org/syn/>
PREFIX archimate: <https://purl.org/archimate#>
PREFIX etom: <https://w3id.org/etom-kg/ontology#>
PREFIX process: <https://w3id.org/etom-kg/process/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

# 1.1.1.5: an aligned process with two usable names (and a Russian one), a
# sub-process by composition (which composes the aligned one back: a cycle) and
# one by aggregation.
:take a archimate:BusinessProcess ; archimate:name "Take order"@en, "Take order"^^xsd:string,
    "Принять заказ"@ru ; etom:classifiedUnder process:P1-1-1-5 .
:check a archimate:BusinessProcess ; archimate:name "Check order" .
:ship a archimate:BusinessProcess ; archimate:name "Ship order"@en .
:take archimate:composition :check .
:check archimate:composition :take .
:ship-step a archimate:BusinessProcess .
:take archimate:aggregation :ship .
:ship archimate:composition :ship-step .

# a component serving the composed sub-process directly ...
:om a archimate:ApplicationComponent ; archimate:name "Order Manager"@en .
:om archimate:serving :check .
# ... inside a container by aggregation: an application of the process, but its
# other data is not this process's data
:suite a archimate:ApplicationComponent ; archimate:name "Suite"@en .
:suite archimate:aggregation :om .
# an unnamed component assigned to a function that realizes a service serving the
# aggregated sub-process
:crm a archimate:ApplicationComponent .
:crm-fn a archimate:ApplicationFunction ; archimate:name "Case handling"@en .
:crm-svc a archimate:ApplicationService ; archimate:name "Case service"@en, "Fallservice"@de .
:crm archimate:assignment :crm-fn .
:crm-fn archimate:realization :crm-svc .
:crm-svc archimate:serving :ship-step .

# data: the aligned process itself reads a business object (no relationship node,
# so no access type) that a data object realizes; the components, the function
# and the service access data objects; the container too
:bill a archimate:BusinessObject ; archimate:name "Bill"@en .
:bill-record a archimate:DataObject ; archimate:name "Bill record"@en .
:bill-record archimate:realization :bill .
# only data objects realizing an accessed *business* object count, and only directly
:bill-print a archimate:Representation ; archimate:name "Printed bill"@en .
:bill-print archimate:realization :bill .
:bill-archive a archimate:DataObject ; archimate:name "Bill archive"@en .
:bill-archive archimate:realization :bill-record .
:order-copy a archimate:DataObject ; archimate:name "Order copy"@en .
:order-copy archimate:realization :order .
:take archimate:access :bill .
:order a archimate:DataObject ; archimate:name "Order"@en .
:case a archimate:DataObject ; archimate:name "Case"@en, "Fall"@de .
:catalogue a archimate:DataObject .
:suite-data a archimate:DataObject ; archimate:name "Suite data"@en .
:rules a archimate:BusinessObject ; archimate:name "Rules"@en .
:om archimate:access :order .
:crm-fn archimate:access :case .
:crm archimate:access :catalogue .
:crm-svc archimate:access :rules .
:suite archimate:access :suite-data .
:check archimate:access :order .

# access relationships described as etom_kg.io.archimate writes them
:r-om-order a archimate:Relationship, rdf:Statement ; rdf:subject :om ;
    rdf:predicate archimate:access ; rdf:object :order ; archimate:accessType "write" .
:r-fn-case-1 a archimate:Relationship, rdf:Statement ; rdf:subject :crm-fn ;
    rdf:predicate archimate:access ; rdf:object :case ; archimate:accessType "readwrite" .
:r-fn-case-2 a archimate:Relationship, rdf:Statement ; rdf:subject :crm-fn ;
    rdf:predicate archimate:access ; rdf:object :case ; archimate:accessType "read" .
:r-crm-cat a archimate:Relationship, rdf:Statement ; rdf:subject :crm ;
    rdf:predicate archimate:access ; rdf:object :catalogue .
:r-check-order a archimate:Relationship, rdf:Statement ; rdf:subject :check ;
    rdf:predicate archimate:access ; rdf:object :order ; archimate:accessType "read" .

# 1.1.1.6: an aligned function named in Russian only, served through an interface
# its component is composed of, and realized by an application process another
# component is assigned to
:problem a archimate:BusinessFunction ; archimate:name "Проблемы"@ru ;
    etom:classifiedUnder process:P1-1-1-6 .
:billing a archimate:ApplicationComponent ; archimate:name "Billing"@en-gb .
:billing-if a archimate:ApplicationInterface ; archimate:name "Billing API"@en .
:ticket-flow a archimate:ApplicationProcess ; archimate:name "Ticket flow"@en .
:billing archimate:composition :billing-if .
:billing-if archimate:serving :problem .
:flow-engine a archimate:ApplicationComponent ; archimate:name "Flow engine"@en .
:flow-engine archimate:assignment :ticket-flow .
:ticket-flow archimate:realization :problem .
:ticket a archimate:DataObject ; archimate:name "Ticket"@en .
:invoice a archimate:DataObject ; archimate:name "Invoice"@en .
:flow-log a archimate:DataObject ; archimate:name "Flow log"@en .
:billing-if archimate:access :ticket .
:billing archimate:access :invoice .
:ticket-flow archimate:access :flow-log .

# 1.1.1.4: aligned and reading its own data, but served by no application
:sell a archimate:BusinessProcess ; archimate:name "Sell"@en ;
    etom:classifiedUnder process:P1-1-1-4 .
:quote a archimate:DataObject ; archimate:name "Quote"@en .
:sell archimate:access :quote .

# 1.1.1.9: served only by a part of a container, and through a parent process
# (serving the parent does not serve its part)
:pay a archimate:BusinessProcess ; archimate:name "Take payment"@en ;
    etom:classifiedUnder process:P1-1-1-9 .
:till a archimate:ApplicationComponent ; archimate:name "Till"@en .
:shop a archimate:ApplicationComponent ; archimate:name "Shop"@en .
:shop archimate:aggregation :till .
:till archimate:serving :pay .
:shop-data a archimate:DataObject ; archimate:name "Shop data"@en .
:shop archimate:access :shop-data .
:payments a archimate:BusinessProcess ; archimate:name "Payments"@en .
:payments archimate:composition :pay .
:ledger a archimate:ApplicationComponent ; archimate:name "Ledger"@en .
:ledger archimate:serving :payments .
:ledger-data a archimate:DataObject ; archimate:name "Ledger data"@en .
:ledger archimate:access :ledger-data .

# 1.1.1.11 and 1.1.1.12: one unnamed element aligned with both, served directly
:nameless a archimate:BusinessProcess ;
    etom:classifiedUnder process:P1-1-1-11, process:P1-1-1-12 .
:om archimate:serving :nameless .

# 1.1.1.10: supported only by realization of a sub-process by aggregation
:care a archimate:BusinessProcess ; archimate:name "Care"@en ;
    etom:classifiedUnder process:P1-1-1-10 ; archimate:aggregation :care-step .
:care-step a archimate:BusinessProcess .
:care-proc a archimate:ApplicationProcess ; archimate:realization :care-step .
:care-app a archimate:ApplicationComponent ; archimate:name "Care app"@en ;
    archimate:assignment :care-proc .

# a process of the model's own below 1.1.1.5 (two levels below 1.1.1), served
:own a etom:ProcessElement ; skos:broader process:P1-1-1-5 ;
    skos:notation "1.1.1.5.1"^^etom:ProcessId .
:deep a archimate:BusinessProcess ; archimate:name "Deep task"@en ; etom:classifiedUnder :own .
:deep-app a archimate:ApplicationComponent ; archimate:name "Deep app"@en ;
    archimate:serving :deep .
"""


def _load(*sources):
    kg = etom_kg.load()
    for source in sources:
        merge(kg, source)
    return kg


@pytest.fixture(scope="module", params=["archimetal", "telco", "synthetic"])
def model(request, tmp_path_factory):
    if request.param == "archimetal":
        return _load(SHARED / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml",
                     FIXTURES / "archimetal-alignment.ttl")
    if request.param == "telco":
        return _load(FIXTURES / "telco-landscape.xml")
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.ttl"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return _load(path)


@pytest.mark.parametrize("name", list(QUERIES))
@pytest.mark.parametrize("process", IDS)
def test_the_query_rows_are_exactly_what_its_description_says(model, name, process):
    assert query_rows(model, name, process) == reference_rows(model, name, process)


def test_without_a_process_the_gaps_cover_every_process_element(model):
    name = "processes-without-application"
    assert query_rows(model, name, None) == reference_rows(model, name, None)


# -- the synthetic model takes every branch (so the comparison above is not vacuous) --------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.ttl"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return _load(path)


def _local(term) -> str | None:
    if term is None:
        return None
    return term.value[len(EX):] if isinstance(term, ox.NamedNode) else term.value


def test_applications_of_the_synthetic_model_as_a_reader_expects(synthetic):
    rows = synthetic.query("enterprise-applications-for-process", process="1.1.1")
    got = {(r.id, _local(r.terms["element"]), r.elementName, _local(r.terms["application"]),
            _local(r.terms["via"]), r.relation) for r in rows}
    assert got == {
        # a sub-process by composition, served directly and by the container
        ("1.1.1.5", "take", "Take order", "om", "om", "serving"),
        ("1.1.1.5", "take", "Take order", "suite", "om", "serving"),
        # a sub-process by aggregation: component → function → service → serving
        ("1.1.1.5", "take", "Take order", "crm", "crm-svc", "serving"),
        # named in Russian only: no element name; interface by composition; realization
        ("1.1.1.6", "problem", None, "billing", "billing-if", "serving"),
        ("1.1.1.6", "problem", None, "flow-engine", "ticket-flow", "realization"),
        # served by a part of a container: both are its applications
        ("1.1.1.9", "pay", "Take payment", "till", "till", "serving"),
        ("1.1.1.9", "pay", "Take payment", "shop", "till", "serving"),
        # one unnamed element aligned with two processes
        ("1.1.1.11", "nameless", None, "om", "om", "serving"),
        ("1.1.1.11", "nameless", None, "suite", "om", "serving"),
        ("1.1.1.12", "nameless", None, "om", "om", "serving"),
        ("1.1.1.12", "nameless", None, "suite", "om", "serving"),
        # realization of a sub-process by aggregation
        ("1.1.1.10", "care", "Care", "care-app", "care-proc", "realization"),
        # the model's own process two levels below
        ("1.1.1.5.1", "deep", "Deep task", "deep-app", "deep-app", "serving"),
    }
    # "Take order"@en and the language-less "Take order" are two names: two rows each
    assert len([r for r in rows if r.id == "1.1.1.5"]) == 6
    # the unnamed component has no name, the one named in en-GB only neither
    assert {r.applicationName for r in rows if r.application in (EX + "crm", EX + "billing")} \
        == {None}


def test_data_objects_of_the_synthetic_model_as_a_reader_expects(synthetic):
    rows = synthetic.query("data-objects-for-process", process="1.1.1")
    got = {(r.id, _local(r.terms["object"]), r.objectType, _local(r.terms["accessor"]),
            r.accessType, r.accessedName) for r in rows}
    assert got == {
        ("1.1.1.5", "bill", "BusinessObject", "take", None, "Bill"),        # the element itself
        ("1.1.1.5", "bill-record", "DataObject", "take", None, "Bill"),     # realizes it
        ("1.1.1.5", "order", "DataObject", "check", "read", "Order"),       # a sub-process
        ("1.1.1.5", "order", "DataObject", "om", "write", "Order"),         # the component
        ("1.1.1.5", "case", "DataObject", "crm-fn", "readwrite", "Case"),   # its function,
        ("1.1.1.5", "case", "DataObject", "crm-fn", "read", "Case"),        # two relationships
        ("1.1.1.5", "catalogue", "DataObject", "crm", None, None),          # unnamed
        ("1.1.1.5", "rules", "BusinessObject", "crm-svc", None, "Rules"),   # the service
        ("1.1.1.6", "ticket", "DataObject", "billing-if", None, "Ticket"),  # the interface,
        ("1.1.1.6", "invoice", "DataObject", "billing", None, "Invoice"),   # composed of it
        ("1.1.1.6", "flow-log", "DataObject", "ticket-flow", None, "Flow log"),  # realizes
        ("1.1.1.4", "quote", "DataObject", "sell", None, "Quote"),          # unserved itself
        ("1.1.1.11", "order", "DataObject", "om", "write", "Order"),
        ("1.1.1.12", "order", "DataObject", "om", "write", "Order"),
    }
    # neither the container's data (suite, shop) nor the parent process's (ledger), nor
    # what realizes a data object, a representation, or a realizer of a realizer
    assert not {"suite-data", "shop-data", "ledger-data", "order-copy", "bill-print",
                "bill-archive"} & {o for _, o, *_ in got}


def test_coverage_gaps_of_the_synthetic_model_as_a_reader_expects(synthetic):
    rows = synthetic.query("processes-without-application", process="1.1.1")
    # Level 2 (the informative level-3 elements below are gaps as well).
    assert {r.id: r.modelled for r in rows if r.id.count(".") == 3} == {
        "1.1.1.1": False, "1.1.1.2": False, "1.1.1.3": False, "1.1.1.4": True,
        "1.1.1.7": False}


# -- where a query and its description part ways -------------------------------------------


def _tiny(tmp_path, body: str):
    path = tmp_path / "tiny.ttl"
    path.write_text("PREFIX : <https://example.org/syn/>\n"
                    "PREFIX archimate: <https://purl.org/archimate#>\n"
                    "PREFIX etom: <https://w3id.org/etom-kg/ontology#>\n"
                    "PREFIX process: <https://w3id.org/etom-kg/process/>\n" + body,
                    encoding="utf-8")
    return _load(path)


def test_data_accessed_by_an_untyped_aligned_element_is_listed(tmp_path):
    kg = _tiny(tmp_path, """
        :task etom:classifiedUnder process:P1-1-1-5 ; archimate:access :order .
        :order a archimate:DataObject .
    """)
    assert reference_rows(kg, "data-objects-for-process", "1.1.1.5")  # the description: one row
    assert query_rows(kg, "data-objects-for-process", "1.1.1.5") == \
        reference_rows(kg, "data-objects-for-process", "1.1.1.5")


def test_a_component_composed_of_the_serving_one_lends_its_data_but_an_aggregate_does_not(tmp_path):
    kg = _tiny(tmp_path, """
        :task a archimate:BusinessProcess ; etom:classifiedUnder process:P1-1-1-5 .
        :part a archimate:ApplicationComponent ; archimate:serving :task .
        :whole a archimate:ApplicationComponent ; archimate:composition :part ;
            archimate:access :other .
        :suite a archimate:ApplicationComponent ; archimate:aggregation :part ;
            archimate:access :unrelated .
        :other a archimate:DataObject .
        :unrelated a archimate:DataObject .
    """)
    objects = {row[3] for row in query_rows(kg, "data-objects-for-process", "1.1.1.5")}
    assert objects == {ox.NamedNode(EX + "other")}
    assert query_rows(kg, "data-objects-for-process", "1.1.1.5") == \
        reference_rows(kg, "data-objects-for-process", "1.1.1.5")
