"""What an element's ID already says, made explicit on load, so an extension is never half-visible.

Two steps, run by :class:`~etom_kg.graph.kg.KnowledgeGraph` after every file it adds:

1. **Normalise** (in the element's own graph): a plain ``xsd:string``
   ``skos:notation`` that follows the clause 5.2 grammar, on a process (typed
   as one, or with a ``skos:broader``), becomes ``"…"^^etom:ProcessId``. Every
   query binds IDs with that datatype; without this the element would be found
   by ``children`` but not by ``element`` or ``show``. (Validation still reads the
   file as written and says that the datatype is preferred.)
2. **Derive** (into the graph :data:`DERIVED_GRAPH`, rebuilt from scratch each
   time, so its triples are always those of the current sources and are easy to
   tell apart from what anyone wrote): for every element with an ID,
   ``etom:level`` and the ID components (``etom:developer``, ``etom:areaNumber``,
   ``etom:groupNumber``, ``etom:elementNumber``, ``etom:subElementNumber``,
   ``etom:organisationPrefix``) where not stated; ``skos:narrower`` from the
   parent where only ``skos:broader`` was written; and the parent's vertical
   groupings (``etom:inVerticalGrouping``) for an element that states none of its
   own, down any depth. The shipped standard states all of this already, so the
   graph is empty until a user file adds elements.
"""
from __future__ import annotations

import pyoxigraph as ox

from ..core.errors import InvalidProcessId
from ..core.ids import parse
from ..core.namespaces import ETOM, GRAPH, RDF, SKOS, XSD

DERIVED_GRAPH = GRAPH + "derived"

_G = ox.NamedNode(DERIVED_GRAPH)
_NOTATION = ox.NamedNode(SKOS + "notation")
_BROADER = ox.NamedNode(SKOS + "broader")
_NARROWER = ox.NamedNode(SKOS + "narrower")
_TYPE = ox.NamedNode(RDF + "type")
_PROCESS_ID = ox.NamedNode(ETOM + "ProcessId")
_STRING = ox.NamedNode(XSD + "string")
_VERTICAL = ox.NamedNode(ETOM + "inVerticalGrouping")
_LEVEL = ox.NamedNode(ETOM + "level")
_NON_NEGATIVE = ox.NamedNode(XSD + "nonNegativeInteger")
_POSITIVE = ox.NamedNode(XSD + "positiveInteger")
_COMPONENTS = tuple(ox.NamedNode(ETOM + name) for name in (
    "developer", "areaNumber", "groupNumber", "elementNumber", "subElementNumber"))
_PREFIX = ox.NamedNode(ETOM + "organisationPrefix")
_PROCESS_CLASSES = {ox.NamedNode(ETOM + name) for name in (
    "Process", "ProcessArea", "HorizontalProcessGrouping", "ProcessGrouping", "ProcessElement")}


class _Stated:
    """What the graphs (all but the derived one) state for one predicate: subject → objects.

    One scan per predicate instead of one lookup per element: 10,000 extension
    elements are prepared in a fraction of a second.
    """

    def __init__(self, store: ox.Store):
        self.store = store
        self._cache: dict = {}

    def __call__(self, subject, predicate) -> list:
        table = self._cache.get(predicate)
        if table is None:
            table = {}
            for q in self.store.quads_for_pattern(None, predicate, None):
                if q.graph_name != _G:
                    table.setdefault(q.subject, []).append(q.object)
            self._cache[predicate] = table
        return table.get(subject, [])


def _is_process(stated, subject) -> bool:
    return (any(t in _PROCESS_CLASSES for t in stated(subject, _TYPE))
            or bool(stated(subject, _BROADER)))


def normalise(store: ox.Store) -> int:
    """Type plain-string process IDs as ``etom:ProcessId`` where they are; return how many."""
    stated = _Stated(store)
    changed = []
    for quad in store.quads_for_pattern(None, _NOTATION, None):
        literal = quad.object
        if not isinstance(literal, ox.Literal) or literal.datatype != _STRING:
            continue
        if literal.language or not _is_process(stated, quad.subject):
            continue
        try:
            parse(literal.value)
        except InvalidProcessId:
            continue  # not an ID: left for validation to report as written
        changed.append(quad)
    for quad in changed:
        store.remove(quad)
        store.add(ox.Quad(quad.subject, _NOTATION, ox.Literal(quad.object.value,
                                                              datatype=_PROCESS_ID),
                          quad.graph_name))
    return len(changed)


def derive(store: ox.Store) -> int:
    """Rebuild :data:`DERIVED_GRAPH` from the current graphs; return its number of triples."""
    if _G in set(store.named_graphs()):
        store.remove_graph(_G)
    stated = _Stated(store)
    elements = {}
    for quad in store.quads_for_pattern(None, _NOTATION, None):
        literal = quad.object
        if isinstance(literal, ox.Literal) and literal.datatype == _PROCESS_ID:
            try:
                elements.setdefault(quad.subject, parse(literal.value))
            except InvalidProcessId:
                continue
    out: list[ox.Quad] = []
    literals: dict = {}  # the same few numbers again and again: built once each

    def number(value, datatype):
        key = (value, datatype)
        if key not in literals:
            literals[key] = ox.Literal(str(value), datatype=datatype)
        return literals[key]

    verticals: dict = {}
    narrower = {}  # parent → its stated children, as a set for quick membership
    # Parents before children, so an inherited vertical passes down any number of levels.
    for subject, pid in sorted(elements.items(), key=lambda item: item[1].sort_key()):
        def missing(predicate, value):
            if not stated(subject, predicate):
                out.append(ox.Quad(subject, predicate, value, _G))

        missing(_LEVEL, number(pid.level, _NON_NEGATIVE))
        for predicate, component in zip(_COMPONENTS, pid.components):
            missing(predicate, number(component, _POSITIVE))
        if pid.prefix is not None:
            missing(_PREFIX, ox.Literal(pid.prefix))
        parents = stated(subject, _BROADER)
        for parent in parents:
            if parent not in narrower:
                narrower[parent] = set(stated(parent, _NARROWER))
            if subject not in narrower[parent]:
                out.append(ox.Quad(parent, _NARROWER, subject, _G))
        own = stated(subject, _VERTICAL)
        if own:
            verticals[subject] = own
            continue
        inherited = sorted({v for p in parents for v in verticals.get(p, ())}, key=str)
        if inherited:
            verticals[subject] = inherited
            out += [ox.Quad(subject, _VERTICAL, v, _G) for v in inherited]
    if out:
        store.extend(out)
    return len(out)


def prepare(store: ox.Store) -> None:
    """Both steps, in order (what the knowledge graph runs after loading files)."""
    normalise(store)
    derive(store)


__all__ = ["DERIVED_GRAPH", "normalise", "derive", "prepare"]
