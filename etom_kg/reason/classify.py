"""OWL reasoning: consistency of the graph and the clause 7.2 classification.

Clause 7.2 of ГОСТ Р 53633.3-2009: a real process belongs to a standard element
when it performs one of the functions of that element's characteristic. The
TBox says this with a property chain (``ontology/etom.ttl``)::

    etom:classifiedUnder  owl:propertyChainAxiom ( etom:performsFunction etom:isFunctionOf )
    etom:isFunctionOf     owl:inverseOf etom:hasFunction

Engines: ``hermit`` (owlready2 + HermiT, needs Java), ``owlrl`` (the OWL 2 RL
rules prp-inv and prp-spo2 applied by the ``owlrl`` package, no Java) and
``sparql`` (the same two rules written as one SPARQL query). The default is
``sparql``: for this chain it gives exactly what HermiT gives (the test suite
compares the three engines on the fixtures) in a fraction of the time; the
reasoners stay available on request. ``auto`` picks HermiT when Java is
available and OWL 2 RL otherwise.

A real process that cannot be classified is not dropped: ``classify`` returns
it in :attr:`Classifications.unclassified`, with the reason (it declares no
function, or a function no standard element has).

owlready2 reads N-Triples, not Turtle: the store is serialized to a temporary
N-Triples file (without ``owl:imports``, so nothing is ever fetched) and read
into a fresh ``owlready2.World`` on every call, never the global default world.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import EtomKgError, UsageError
from ..core.namespaces import ETOM, OWL, PREFIXES, RDFS, SKOS

ENGINES = ("auto", "hermit", "owlrl", "sparql")

_OWL_IMPORTS = ox.NamedNode(OWL + "imports")
_PERFORMS = ox.NamedNode(ETOM + "performsFunction")
_CLASSIFIED_UNDER = ETOM + "classifiedUnder"


class ReasonerUnavailable(EtomKgError):
    """The requested reasoner cannot run here (e.g. HermiT without Java)."""


class InconsistentOntology(EtomKgError):
    """The graph is logically inconsistent, so nothing can be inferred from it."""


# -- Java / owlready2 plumbing ------------------------------------------------------
def java_available() -> bool:
    """True when a ``java`` executable is on the PATH (HermiT needs one)."""
    import owlready2

    return shutil.which(owlready2.JAVA_EXE or "java") is not None


def _write_ntriples(quads, path: Path) -> None:
    """Serialize the triples of ``quads`` (graph names dropped) without owl:imports."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads
               if q.predicate != _OWL_IMPORTS)
    with open(path, "wb") as handle:
        ox.serialize(triples, handle, format=ox.RdfFormat.N_TRIPLES)


def _run_hermit(quads, *, infer_property_values: bool):
    """Load ``quads`` into a fresh owlready2 World and run HermiT on it.

    Returns the world (caller closes it). Raises :class:`InconsistentOntology`
    or :class:`ReasonerUnavailable`.
    """
    import owlready2

    if not java_available():
        raise ReasonerUnavailable("HermiT needs Java, and no 'java' executable was found; "
                                  "use --engine owlrl or --engine sparql")
    fd, name = tempfile.mkstemp(prefix="etom-kg-", suffix=".nt")
    os.close(fd)
    path = Path(name)
    world = owlready2.World()
    try:
        _write_ntriples(quads, path)
        ontology = world.get_ontology("http://etom-kg.invalid/reasoning/")
        with open(path, "rb") as handle:
            ontology.load(fileobj=handle, format="ntriples", only_local=True)
        from owlready2 import reasoning  # HermiT makes a base IRI of its working folder:
        reasoning._subprocess_kargs["cwd"] = tempfile.gettempdir()  # "/" or "a[1]" fail
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=infer_property_values,
                                           debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentOntology("HermiT: the ontology is inconsistent") from None
        except owlready2.OwlReadyJavaError as exc:
            detail = [line for line in str(exc).strip().splitlines()  # the cause, not a stack line
                      if line.strip() and not line.strip().startswith("at ")]
            raise ReasonerUnavailable(f"HermiT failed: {detail[-1] if detail else exc}") from None
    except BaseException:
        world.close()
        raise
    finally:
        path.unlink(missing_ok=True)
    return world


# -- consistency ----------------------------------------------------------------------
@dataclass(frozen=True)
class Consistency:
    """Outcome of an OWL 2 DL consistency check; truthy when consistent."""

    consistent: bool
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.consistent


_DISJOINT_CLASH = """
SELECT ?x ?a ?b WHERE {
  { ?a owl:disjointWith ?b }
  UNION
  { ?all a owl:AllDisjointClasses ; owl:members ?list .
    ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER(?a != ?b) }
  ?x rdf:type/rdfs:subClassOf* ?a .
  ?x rdf:type/rdfs:subClassOf* ?b .
} ORDER BY ?x ?a ?b LIMIT 1
"""


def _explain(quads) -> str:
    """A best-effort reason for an inconsistency: an individual in two disjoint classes."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    for row in store.query(_DISJOINT_CLASH, prefixes=PREFIXES):
        return (f"HermiT: the ontology is inconsistent: {row['x'].value} is a member of the "
                f"disjoint classes {row['a'].value} and {row['b'].value}")
    return "HermiT: the ontology is inconsistent"


def check_consistency(kg, *, graphs=None) -> Consistency:
    """OWL 2 DL consistency of the knowledge graph (all graphs, or the named ``graphs``)."""
    quads = _quads(kg, graphs)
    try:
        world = _run_hermit(quads, infer_property_values=False)
    except InconsistentOntology:
        return Consistency(False, _explain(quads))
    world.close()
    return Consistency(True)


def consistency(kg, *, graphs=None) -> bool:
    """True when the knowledge graph is OWL 2 DL consistent under HermiT.

    :func:`check_consistency` gives the same answer together with the reason.
    """
    return check_consistency(kg, graphs=graphs).consistent


def _quads(kg, graphs=None) -> list[ox.Quad]:
    if graphs is None:
        return list(kg.store)
    quads = []
    for name in graphs:
        quads.extend(kg.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return quads


# -- classification (clause 7.2) ------------------------------------------------------
@dataclass(frozen=True, order=True)
class Classification:
    """A real process classified under a standard element, and the function that says so."""

    process: str                 # IRI of the real process (from the user's graph)
    element_id: str              # e.g. "1.1.1.5"
    function: str                # IRI of the performed function of that element
    label: str | None            # the real process's label
    element: str                 # IRI of the standard element
    element_label_ru: str | None
    element_label_en: str | None
    function_label: str | None   # the function's label (ru, else en)
    function_label_en: str | None = None  # the function's English label, if any

    def as_dict(self) -> dict:
        """The row as ``etom-kg classify --format json`` prints it (keys: :data:`COLUMNS`)."""
        return {"process": self.process, "label": self.label, "element": self.element,
                "elementId": self.element_id, "elementLabelRu": self.element_label_ru,
                "elementLabelEn": self.element_label_en, "function": self.function,
                "functionLabel": self.function_label}


COLUMNS = ("process", "label", "element", "elementId", "elementLabelRu", "elementLabelEn",
           "function", "functionLabel", "reason")

REASONS = {
    "no-function": ("не указана ни одна выполняемая функция (etom:performsFunction)",
                    "declares no function it performs (etom:performsFunction)"),
    "unknown-function": ("функция не принадлежит ни одному элементу стандарта",
                         "the function belongs to no element of the standard"),
}


@dataclass(frozen=True)
class Unclassified:
    """A real process (or one of its functions) that no standard element takes, and why."""

    process: str                 # IRI of the real process
    label: str | None
    function: str | None         # the function that leads nowhere (None: no function at all)
    reason: str                  # "no-function" or "unknown-function" (see REASONS)

    def reason_text(self, lang: str = "en") -> str:
        """The reason in ``ru`` or ``en``."""
        ru, en = REASONS[self.reason]
        return ru if lang == "ru" else en

    def as_dict(self, lang: str = "en") -> dict:
        """The row as ``etom-kg classify --format json`` prints it, the reason in ``lang``."""
        return {"process": self.process, "label": self.label, "element": None,
                "elementId": None, "elementLabelRu": None, "elementLabelEn": None,
                "function": self.function, "functionLabel": None,
                "reason": self.reason_text(lang)}


class Classifications(list):
    """The classifications (a sorted list of :class:`Classification`), and in
    :attr:`unclassified` the real processes or functions that lead to no element."""

    def __init__(self, items=(), unclassified=()):
        super().__init__(items)
        self.unclassified: list[Unclassified] = list(unclassified)

    def rows(self, lang: str = "en") -> list[dict]:
        """Classified and unclassified alike as rows keyed by :data:`COLUMNS`."""
        return ([{**c.as_dict(), "reason": None} for c in self]
                + [u.as_dict(lang) for u in self.unclassified])

# The two OWL 2 RL rules behind the chain, as SPARQL: prp-inv (hasFunction ⇄
# isFunctionOf) and prp-spo2 (performsFunction ∘ isFunctionOf → classifiedUnder).
# (pyoxigraph substitutions must be projected, hence ?data in the SELECT.)
_SPARQL_ENGINE = """
SELECT DISTINCT ?process ?element ?data WHERE {
  GRAPH ?data { ?process etom:performsFunction ?function }
  { ?function etom:isFunctionOf ?element } UNION { ?element etom:hasFunction ?function }
}
"""

# Details of an inferred (process, element) pair: which declared functions lead
# there, and the labels to show.
_DETAILS = """
SELECT DISTINCT ?process ?element ?data ?function ?id ?labelRu ?labelEn ?flRu ?flEn WHERE {
  GRAPH ?data { ?process etom:performsFunction ?function }
  { ?function etom:isFunctionOf ?element } UNION { ?element etom:hasFunction ?function }
  OPTIONAL { ?element skos:notation ?id }
  OPTIONAL { ?element skos:prefLabel ?labelRu FILTER(LANG(?labelRu) = "ru") }
  OPTIONAL { ?element skos:prefLabel ?labelEn FILTER(LANG(?labelEn) = "en") }
  OPTIONAL { ?function skos:prefLabel ?flRu FILTER(LANG(?flRu) = "ru") }
  OPTIONAL { ?function skos:prefLabel ?flEn FILTER(LANG(?flEn) = "en") }
}
"""

_LABEL_PREDICATES = (ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(RDFS + "label"))


def _label(store, node: ox.NamedNode, graph) -> str | None:
    """The node's label in ``graph``: skos:prefLabel before rdfs:label; ru, en, untagged, any."""
    rank = {"ru": 0, "en": 1, None: 2}
    best = None
    for p_rank, predicate in enumerate(_LABEL_PREDICATES):
        for quad in store.quads_for_pattern(node, predicate, None, graph):
            if isinstance(quad.object, ox.Literal):
                key = (p_rank, rank.get(quad.object.language, 3), quad.object.value)
                best = min(best, key) if best else key
    return best[2] if best else None


def _context_store(kg, data) -> tuple[ox.Store, ox.NamedNode]:
    """A private store: every graph of ``kg`` plus ``data`` in its own named graph.

    ``kg`` is never modified.
    """
    store = ox.Store()
    store.bulk_extend(kg.store)
    name = ox.NamedNode("https://w3id.org/etom-kg/graph/classify/data")
    if isinstance(data, (str, os.PathLike)):
        from ..io.reading import load_file

        path = Path(data)
        load_file(store, path, name)  # says why a path cannot be read (missing, a folder ...)
    elif isinstance(data, ox.Store):
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in data)
    elif hasattr(data, "triples"):  # an rdflib Graph
        nt = data.serialize(format="nt", encoding="utf-8")
        store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    else:
        raise UsageError(f"cannot classify {type(data).__name__}: give a file path, "
                         "an rdflib Graph or a pyoxigraph Store")
    return store, name


def _pairs_sparql(store, data) -> set[tuple[str, str]]:
    rows = store.query(_SPARQL_ENGINE, prefixes=PREFIXES, use_default_graph_as_union=True,
                       substitutions={ox.Variable("data"): data})
    return {(r["process"].value, r["element"].value) for r in rows
            if isinstance(r["process"], ox.NamedNode) and isinstance(r["element"], ox.NamedNode)}


def _real_processes(store, data) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, _PERFORMS, None, data)
            if isinstance(q.subject, ox.NamedNode)}


def _pairs_owlrl(store, data) -> set[tuple[str, str]]:
    import owlrl
    import rdflib

    graph = rdflib.Graph()
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store
                       if q.predicate != _OWL_IMPORTS), format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=nt.decode("utf-8"), format="nt")
    owlrl.DeductiveClosure(_semantics(owlrl), axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    real = _real_processes(store, data)
    return {(str(s), str(o)) for s, o in graph.subject_objects(rdflib.URIRef(_CLASSIFIED_UNDER))
            if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef) and str(s) in real}


class _BlankNodes(list):
    """A list with set-speed ``in``: owlrl tests every triple against its blank nodes."""

    def __init__(self):
        super().__init__()
        self._seen = set()

    def __contains__(self, node) -> bool:
        return node in self._seen

    def append(self, node) -> None:
        self._seen.add(node)
        super().append(node)


def _semantics(owlrl):
    """owlrl's OWL 2 RL rules, without the list scan that made them quadratic in blank nodes
    (a 20 000-member owl:unionOf list: minutes instead of seconds)."""
    class Semantics(owlrl.OWLRL_Semantics):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.bnodes = _BlankNodes()

    return Semantics


def _pairs_hermit(store, data) -> set[tuple[str, str]]:
    world = _run_hermit(list(store), infer_property_values=True)
    try:
        prop = world[_CLASSIFIED_UNDER]
        if prop is None:
            raise UsageError("the TBox has no etom:classifiedUnder property")
        real = _real_processes(store, data)
        return {(s.iri, o.iri) for s, o in prop.get_relations()
                if hasattr(s, "iri") and hasattr(o, "iri") and s.iri in real}
    finally:
        world.close()


def classify(kg, data, *, engine: str = "sparql") -> Classifications:
    """Classify the real processes of ``data`` under the standard elements (clause 7.2).

    ``data`` is a file path, an rdflib Graph or a pyoxigraph Store. Every
    process in it that declares ``etom:performsFunction`` is reported under each
    element one of whose functions it performs, one row per performed function,
    sorted. A real process (``etom:RealProcess`` or one declaring a function) with
    no function, or a function no element has, is listed in ``.unclassified``.
    ``engine``: ``sparql`` (default), ``hermit``, ``owlrl`` or ``auto``. ``kg`` is
    not modified.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown reasoning engine {engine!r} (engines: {', '.join(ENGINES)})")
    store, data_graph = _context_store(kg, data)
    if engine == "auto":
        engine = "hermit" if java_available() else "owlrl"
    if engine != "sparql":  # rdflib and owlready2 have no triple terms
        from ..io.reading import refuse_triple_terms

        refuse_triple_terms(store, data, f"--engine {engine}")
    if engine == "owlrl":  # its fixpoint makes a pass over everything per level of a chain
        from ..io.limits import check_rl_depth

        check_rl_depth(store, data)
    pairs = {"hermit": _pairs_hermit, "owlrl": _pairs_owlrl, "sparql": _pairs_sparql}[
        engine](store, data_graph)
    from ..core.ids import natural_key

    found = sorted(_details(store, data_graph, pairs), key=lambda c: (
        c.process, natural_key(c.element_id), natural_key(c.function)))
    return Classifications(found, _unclassified(store, data_graph, found))


_REAL_PROCESS = ox.NamedNode(ETOM + "RealProcess")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _unclassified(store, data, found) -> list[Unclassified]:
    """Processes of ``data`` without a function, and functions that reach no element."""
    used = {(c.process, c.function) for c in found}
    declared: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, _RDF_TYPE, _REAL_PROCESS, data):
        if isinstance(quad.subject, ox.NamedNode):
            declared.setdefault(quad.subject.value, [])
    for quad in store.quads_for_pattern(None, _PERFORMS, None, data):
        if isinstance(quad.subject, ox.NamedNode):
            functions = declared.setdefault(quad.subject.value, [])
            if isinstance(quad.object, ox.NamedNode):
                functions.append(quad.object.value)
    out = []
    for process, functions in declared.items():
        label = _label(store, ox.NamedNode(process), data)
        if not functions:
            out.append(Unclassified(process, label, None, "no-function"))
        out += [Unclassified(process, label, f, "unknown-function")
                for f in sorted(set(functions)) if (process, f) not in used]
    return sorted(out, key=lambda u: (u.process, u.function or ""))


def _details(store, data_graph, pairs):
    for process, element in pairs:
        rows = store.query(_DETAILS, prefixes=PREFIXES, use_default_graph_as_union=True,
                           substitutions={ox.Variable("data"): data_graph,
                                          ox.Variable("process"): ox.NamedNode(process),
                                          ox.Variable("element"): ox.NamedNode(element)})
        label = _label(store, ox.NamedNode(process), data_graph)
        seen = set()
        for row in rows:
            function = row["function"].value
            if function in seen:
                continue
            seen.add(function)
            yield Classification(
                process=process, element_id=_value(row["id"]) or "", function=function,
                label=label, element=element,
                element_label_ru=_value(row["labelRu"]), element_label_en=_value(row["labelEn"]),
                function_label=_value(row["flRu"]) or _value(row["flEn"]),
                function_label_en=_value(row["flEn"]))


def _value(term):
    return None if term is None else term.value


__all__ = ["Classification", "Classifications", "Unclassified", "REASONS", "Consistency", "InconsistentOntology", "ReasonerUnavailable",
           "check_consistency", "classify", "consistency", "java_available", "ENGINES",
           "COLUMNS"]
