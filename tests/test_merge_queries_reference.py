"""The three merge queries answer exactly what their descriptions say.

Each query's rows are compared with a reference written here in plain Python:
it walks the merged graph with pyoxigraph pattern lookups (no SPARQL), following
the query header's ``# description:`` and the comments in the query. Models: the
ArchiMetal case study with a hand-made alignment, the telco test landscape, and a
small synthetic model built to take every branch of the descriptions, and hand-written
exchange files with junctions, capabilities, step numbers, Russian names and a duplicate
identifier.
"""
from __future__ import annotations

import re
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
LABEL = _n("http://www.w3.org/2000/01/rdf-schema#label")
JUNCTION, JUNCTION_TYPE = _n(AM + "Junction"), _n(AM + "junctionType")
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

    def names(self, node, lang: str | None = None) -> set:
        """Names (archimate:name, rdfs:label) in ``lang`` (a language range), else English or
        language-less, else any; or {None}: an unnamed thing still gives its row."""
        found = self.objects(node, NAME) | self.objects(node, LABEL)

        def language(o):
            return (o.language or "") if isinstance(o, ox.Literal) else None

        if lang is not None:
            wanted = {o for o in found if language(o) is not None and (
                language(o).lower() == lang.lower()
                or language(o).lower().startswith(lang.lower() + "-"))}
            if wanted:
                return wanted
        english = {o for o in found if language(o) in ("en", "")}
        return english or found or {None}

    @staticmethod
    def text(name, node) -> str:
        """What the path shows for a thing: its name, else the end of its IRI."""
        return name.value if name is not None else re.sub(r"^.*[/#]", "", node.value)

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
        """(via, relation, application component, junction) for everything serving or realizing
        ``served`` or a junction (And/Or) that serves or realizes it: the component itself,
        or one that is assigned to, realizes, is composed of or aggregates (any number of
        steps) the serving/realizing element, which is no junction itself."""
        targets = {(served, None)}
        for prop in (SERVING, REALIZATION):
            targets |= {(j, j) for j in self.subjects(prop, served)
                        if JUNCTION in self.types(j)}
        for target, junction in targets:
            for relation, prop in (("serving", SERVING), ("realization", REALIZATION)):
                for via in self.subjects(prop, target):
                    if JUNCTION in self.types(via):
                        continue
                    upstream = self.closure({via}, lambda n: self.backward(
                        n, (ASSIGNMENT, REALIZATION, COMPOSITION, AGGREGATION)))
                    for app in upstream:
                        if APPLICATION_COMPONENT in self.types(app):
                            yield via, relation, app, junction

    def supported(self, standard) -> bool:
        return any(next(self.serving(served), None)
                   for element in self.subjects(CLASSIFIED_UNDER, standard)
                   for served in self.parts(element))

    # -- enterprise-applications-for-process
    def applications(self, process: str, lang: str | None = None) -> set:
        rows = set()
        for standard, pid in self.standards(process):
            for element in self.subjects(CLASSIFIED_UNDER, standard):
                for served in self.parts(element):
                    for via, relation, app, junction in self.serving(served):
                        kinds = [t.value for t in self.objects(junction, JUNCTION_TYPE)] \
                            if junction is not None else []
                        for label, e_name, a_name, v_name, s_name in product(
                                self.labels(standard, "en"), self.names(element, lang),
                                self.names(app, lang), self.names(via, lang),
                                self.names(served, lang)):
                            path = (self.text(a_name, app)
                                    + ("" if via == app else " ⇒ " + self.text(v_name, via))
                                    + f" —{relation}→ "
                                    + (f"({(kinds or ['and'])[0]} junction) → " if junction
                                       else "")
                                    + self.text(s_name, served)
                                    + ("" if served == element
                                       else " ⊂ " + self.text(e_name, element)))
                            rows.add((pid, label, element, e_name, app, a_name, via,
                                      ox.Literal(relation), junction, served, ox.Literal(path)))
        return rows

    # -- processes-without-application
    def gaps(self, process: str | None, lang: str | None = None) -> set:
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
        """(accessor, assignedFrom): starting from the served element and any junction that
        serves it, the start itself and the elements on a path serving or realizing it: the
        serving/realizing element, what is assigned to or realizes it (any number of steps),
        and what composes it (one step, e.g. the component of an interface or of a
        sub-component) — a container by aggregation is not on the path — and the behaviour
        each of them is assigned to (a component's function). Only application elements
        (or the served element itself) count as accessors."""
        starts = {served} | {j for j in self.subjects(SERVING, served)
                             if JUNCTION in self.types(j)}
        holders = set(starts)
        for start in starts:
            for via in self.backward(start, (SERVING, REALIZATION)):
                tops = {via} | self.subjects(COMPOSITION, via)
                holders |= self.closure(tops, lambda n: self.backward(n, (ASSIGNMENT, REALIZATION)))
        found = set()
        for holder in holders:
            found.add((holder, None))
            found |= {(a, holder) for a in self.objects(holder, ASSIGNMENT) if a != holder}
        return {(a, frm) for a, frm in found
                if a == served or self.types(a) & APPLICATION_CLASSES}

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

    def data_objects(self, process: str, lang: str | None = None) -> set:
        rows = set()
        for standard, pid in self.standards(process):
            for element in self.subjects(CLASSIFIED_UNDER, standard):
                for served in self.parts(element):
                    for accessor, assigned_from in self.accessors(served):
                        for accessed in self.objects(accessor, ACCESS):
                            for obj, kind in self.objects_of(accessed):
                                rows |= set(product(
                                    [pid], [element], self.names(element, lang), [obj],
                                    self.names(obj, lang), [ox.Literal(kind)], [accessor],
                                    self.names(accessor, lang),
                                    self.access_types(accessor, accessed),
                                    self.names(accessed, lang), [assigned_from]))
        return rows


QUERIES = {
    "enterprise-applications-for-process": (Reference.applications, (
        "id", "labelEn", "element", "elementName", "application", "applicationName", "via",
        "relation", "junction", "served", "path")),
    "processes-without-application": (Reference.gaps, (
        "processElement", "id", "labelRu", "labelEn", "modelled")),
    "data-objects-for-process": (Reference.data_objects, (
        "id", "element", "elementName", "object", "objectName", "objectType", "accessor",
        "accessorName", "accessType", "accessedName", "assignedFrom")),
}


def query_rows(kg, name: str, process: str | None, lang: str | None = None) -> set:
    _, columns = QUERIES[name]
    params = {"process": process}
    if lang is not None:
        params["lang"] = lang
    rows = kg.query(name, **params)
    assert rows.variables == list(columns)
    return {tuple(row.terms[c] for c in columns) for row in rows}


def reference_rows(kg, name: str, process: str | None, lang: str | None = None) -> set:
    method, _ = QUERIES[name]
    return method(Reference(kg.store), process, lang)


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


@pytest.fixture(scope="module", params=["archimetal", "telco", "junctions", "claims",
                                        "synthetic"])
def model(request, tmp_path_factory):
    if request.param == "archimetal":
        return _load(SHARED / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml",
                     FIXTURES / "archimetal-alignment.ttl")
    if request.param in ("telco", "junctions", "claims"):
        # claims: capabilities, step numbers, Russian names and a duplicate identifier
        return _load(FIXTURES / {"telco": "telco-landscape.xml", "junctions": "junctions.xml",
                                 "claims": "claims-and-strategy.xml"}[request.param])
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.ttl"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return _load(path)


@pytest.mark.parametrize("name", list(QUERIES))
@pytest.mark.parametrize("process", IDS)
def test_the_query_rows_are_exactly_what_its_description_says(model, name, process):
    assert query_rows(model, name, process) == reference_rows(model, name, process)


@pytest.mark.parametrize("name", ["enterprise-applications-for-process",
                                  "data-objects-for-process"])
@pytest.mark.parametrize("lang", ["ru", "en", "de"])
def test_names_come_in_the_asked_language_else_english_else_any(model, name, lang):
    assert query_rows(model, name, "1.1.1", lang) == reference_rows(model, name, "1.1.1", lang)


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
        # named in Russian only: that name; interface by composition; realization
        ("1.1.1.6", "problem", "Проблемы", "billing", "billing-if", "serving"),
        ("1.1.1.6", "problem", "Проблемы", "flow-engine", "ticket-flow", "realization"),
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
    # the unnamed component has no name (the path shows its IRI's end); the one named in
    # en-GB only falls back to that name
    assert {r.applicationName for r in rows if r.application == EX + "crm"} == {None}
    assert {r.applicationName for r in rows if r.application == EX + "billing"} == {"Billing"}
    assert {r.path for r in rows if r.application == EX + "crm"} == \
        {"crm ⇒ Case service —serving→ ship-step ⊂ Take order"}


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


@pytest.fixture(scope="module")
def junctions():
    return _load(FIXTURES / "junctions.xml")


def test_applications_serve_through_and_or_junctions_and_the_path_says_so(junctions):
    rows = junctions.query("enterprise-applications-for-process", process="1.1.1")
    assert {(r.id, r.applicationName, r.path) for r in rows} == {
        ("1.1.1.5", "Order Manager", "Order Manager —serving→ (and junction) → Take orders"),
        ("1.1.1.6", "Order Manager",
         "Order Manager —serving→ (and junction) → Обработка обращений"),
        ("1.1.1.12", "CRM-система", "CRM-система —serving→ (or junction) → Bill inquiries"),
        ("1.1.1.4", "Workflow engine",
         "Workflow engine ⇒ Sales flow —realization→ (and junction) → Selling"),
    }
    assert {r.id for r in junctions.query("processes-without-application",
                                          process="1.1.1")}.isdisjoint(
        {"1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.12"})  # no false gaps
    russian = junctions.query("enterprise-applications-for-process", process="1.1.1.5",
                              lang="ru")
    assert {(r.elementName, r.applicationName) for r in russian} == \
        {("Приём заказов", "Менеджер заказов")}


def test_a_components_assigned_function_that_accesses_data_counts(junctions):
    rows = junctions.query("data-objects-for-process", process="1.1.1.5")
    got = {(r.objectName, r.objectType, r.accessorName, r.accessType,
            _local(r.terms["assignedFrom"]) and r.assignedFrom.rsplit("/", 1)[-1]) for r in rows}
    assert got == {("Order record", "DataObject", "Order administration", "write", "app-om")}
    cases = junctions.query("data-objects-for-process", process="1.1.1.12", lang="ru")
    assert {(r.objectName, r.accessorName) for r in cases} == \
        {("Карточка обращения", "Ведение обращений")}


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


@pytest.mark.parametrize("name", list(QUERIES))
@pytest.mark.parametrize("lang", [None, "ru"])
def test_the_sparql_text_and_the_embedded_form_give_the_same_rows(model, name, lang):
    from etom_kg.graph.queries import get

    query = get(name)
    params = {"process": "1.1.1"}
    if lang and any(p.name == "lang" for p in query.params):
        params["lang"] = lang
    bindings = query.bindings(params)

    def rows(text):
        return {tuple(r.terms.get(c) for c in QUERIES[name][1])
                for r in model.sparql(text, bindings)}

    assert rows(query.text) == rows(query.embedded_text)
