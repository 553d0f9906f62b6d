"""Typed views of processes, built from the named queries (element, children, ...)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.errors import UnknownProcess


@dataclass(frozen=True)
class Ref:
    """A resource mentioned from a process: its IRI, ID (if any) and names."""

    iri: str
    id: str | None
    labels: dict[str, str]

    def label(self, lang: str = "en") -> str:
        """The name in ``lang``, else any name, else the ID or IRI."""
        return self.labels.get(lang) or next(iter(self.labels.values()), self.id or self.iri)


@dataclass(frozen=True)
class Function:
    """A function of a process's functional characteristic (table 1), in its order."""

    iri: str
    order: int | None
    labels: dict[str, str]
    definitions: dict[str, str]


@dataclass(frozen=True)
class Handoff:
    """A hand-off between two processes, seen from the process shown."""

    iri: str
    direction: str          # "out" (this process hands over) or "in" (it receives)
    other: Ref
    subject: dict[str, str]  # what is handed over, by language


@dataclass(frozen=True)
class Process:
    """A process area, grouping or element with everything ``etom-kg show`` prints."""

    iri: str
    id: str
    level: int | None
    kind: str | None
    labels: dict[str, str]
    definitions: dict[str, str]
    parent: Ref | None
    children: list[Ref] = field(default_factory=list)
    verticals: list[Ref] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    #: True for an element of the shipped standard (IRI in the project's namespace),
    #: False for an operator's extension loaded with ``--data``.
    standard: bool = True

    def label(self, lang: str = "en") -> str:
        """The name in ``lang``, else any name, else the ID."""
        return self.labels.get(lang) or next(iter(self.labels.values()), self.id)


def _langs(row, stem: str) -> dict[str, str]:
    return {lang: row[stem + suffix] for lang, suffix in (("ru", "Ru"), ("en", "En"))
            if row.get(stem + suffix)}


def get_process(kg, process_id: str) -> Process:
    """Look a process up by ID; InvalidProcessId for a malformed ID, UnknownProcess if absent."""
    from ..core.ids import ProcessId
    from ..core.namespaces import BASE

    pid = str(ProcessId.parse(process_id))
    rows = kg.query("element", process=pid)
    if not rows:
        raise UnknownProcess(pid)
    row = rows[0]
    parent = None
    if row.get("parent"):
        parent_row = kg.query("element", process=row["parentId"]) if row.get("parentId") else []
        parent = Ref(row["parent"], row.get("parentId"),
                     _langs(parent_row[0], "label") if parent_row else {})
    return Process(
        iri=row["iri"], id=pid, level=row.get("level"),
        kind=(row.get("kind") or "").rpartition("#")[2] or None,
        labels=_langs(row, "label"), definitions=_langs(row, "definition"), parent=parent,
        children=[Ref(r["child"], r["id"], _langs(r, "label"))
                  for r in kg.query("children", process=pid)],
        verticals=[Ref(r["vertical"], r.get("abbreviation"), _langs(r, "label"))
                   for r in kg.query("verticals", process=pid)],
        functions=[Function(r["function"], r.get("order"), _langs(r, "label"),
                            _langs(r, "definition"))
                   for r in kg.query("functions", process=pid)],
        handoffs=[Handoff(r["handoff"], r["direction"],
                          Ref(r["other"], r.get("otherId"), _langs(r, "otherLabel")),
                          _langs(r, "subject"))
                  for r in kg.query("handoffs", process=pid)],
        standard=row["iri"].startswith(BASE),
    )


def require_processes(kg, named, bindings: dict) -> None:
    """Refuse a process parameter that is not an ID (InvalidProcessId) or names no
    process in the graph (UnknownProcess), rather than answering with no rows."""
    from ..core.ids import parse

    for param in named.params:
        term = bindings.get(param.name)
        if term is None or param.type != "etom:ProcessId":
            continue
        parse(term.value)
        import pyoxigraph as ox

        store = getattr(kg, "store", None)
        if isinstance(store, ox.Store):  # embedded: one index lookup, no query
            from ..core.namespaces import SKOS

            found = next(store.quads_for_pattern(None, ox.NamedNode(SKOS + "notation"), term),
                         None) is not None
        else:
            found = kg.sparql("ASK { ?x skos:notation ?id }", {"id": term})
        if not found:
            raise UnknownProcess(term.value)


# A route of the link queries: "1.3.3 (TMF ODA) via exactMatch and release crosswalk
# inherited from 1.1.1.5 and TMFC003" — where the link was found, how it was reached,
# whether the element inherits it from an element above it, through which ODA component.
ROUTE = re.compile(r"^(?P<id>\S+) \((?P<scheme>[^)]*)\)"
                   r"(?: via (?P<prop>\w+)(?P<release> and release crosswalk)?)?"
                   r"(?P<inherited> inherited(?: from (?P<source>\S+))?)?"
                   r"(?: and (?P<component>\S+))?$")


def parse_route(route: str) -> dict | None:
    """The parts of a route of the link queries (id, scheme, prop, release, inherited,
    source, component), or None for a text that is not a route."""
    match = ROUTE.match(route)
    return match.groupdict() if match else None


def inherited_from(routes) -> str | None:
    """The ID of the element above that a link is inherited from, when every route of
    the link is inherited (the link queries mark them); None for a link of the element's own."""
    sources = []
    for route in routes:
        parts = parse_route(route)
        if not parts or not parts["inherited"]:
            return None
        sources.append(parts["source"] or parts["id"])
    return sources[0] if sources else None
