"""Merging enterprise-architecture graphs (RDF or ArchiMate XML) with etom-kg.

Each source goes into a named graph of its own, exactly as read; a
provenance graph records, per source graph, the file, its format, the time of
the merge and the triple count (PROV-O, DCTERMS, VoID). What a source says about
standard eTOM elements is compared with the standard and every contradiction
is *reported* (never corrected, never dropped). Alignment links (see
:mod:`etom_kg.ea.alignment`) go into a separate graph per source, so that removing
a source by name removes exactly what it brought.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import InputError, UsageError
from ..core.namespaces import (ALIGNMENT_PREFIX, DCTERMS, ETOM, FUNCTION, GRAPH, HANDOFF, PROCESS,
                               PROV, PROVENANCE_GRAPH, RDFS, SHIPPED_PREFIX, SKOS, SOURCE_PREFIX,
                               VERTICAL, VOID, XSD, reserved_graph, slug)

_STANDARD_NAMESPACES = (PROCESS, FUNCTION, VERTICAL, HANDOFF)
_ID = re.compile(r"\d+(?:\.\d+)+")

MEDIA_TYPES = {
    "TURTLE": "text/turtle", "N_TRIPLES": "application/n-triples",
    "N_QUADS": "application/n-quads", "TRIG": "application/trig",
    "RDF_XML": "application/rdf+xml", "JSON_LD": "application/ld+json", "N3": "text/n3",
}
ARCHIMATE_MEDIA_TYPE = "application/xml"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass(frozen=True)
class Conflict:
    """Something a source graph says that contradicts the standard."""

    kind: str            # label | parent | id | unknown-id | unknown-iri
    graph: str
    subject: str
    process_id: str | None
    asserted: str
    expected: str | None = None

    @property
    def message(self) -> str:
        what = {
            "label": "another label for standard ID",
            "parent": "another parent for standard ID",
            "id": "etom-kg IRI reused with a different ID; the standard ID is",
            "unknown-id": "eTOM ID not in etom-kg:",
            "unknown-iri": "etom-kg IRI that etom-kg does not define",
        }[self.kind]
        if self.kind == "unknown-id":
            return f"{self.subject}: {what} {self.asserted}"
        if self.kind == "unknown-iri":
            return f"{self.subject}: {what}"
        if self.kind == "id":
            return f"{self.subject}: {what} {self.expected}, the source says {self.asserted}"
        return (f"{self.subject}: {what} {self.process_id}: {self.asserted!r} "
                f"(standard: {self.expected!r})")


@dataclass
class MergeResult:
    """What one merge did: the graph(s) written, their size, conflicts, alignment."""

    name: str
    source: str
    format: str
    graphs: list[str]
    triples: int
    conflicts: list[Conflict] = field(default_factory=list)
    alignment: object = None  # etom_kg.ea.alignment.AlignmentReport
    duplicates: list[str] = field(default_factory=list)  # identifiers used twice in the file

    def as_dict(self) -> dict:
        """Everything this merge found, as plain data (``merge --report`` writes it as JSON)."""
        return {"graph": self.name, "source": self.source, "format": self.format,
                "graphs": self.graphs, "triples": self.triples,
                "duplicateIdentifiers": list(self.duplicates),
                "conflicts": [{"kind": c.kind, "subject": c.subject, "processId": c.process_id,
                               "asserted": c.asserted, "expected": c.expected,
                               "message": c.message} for c in self.conflicts],
                "alignment": self.alignment.as_dict() if self.alignment is not None else None}

    def summary(self) -> str:
        lines = [f"{self.source}: {self.triples} triples into {self.name} ({self.format})"]
        if self.duplicates:
            lines.append(f"  identifiers used twice (their concepts share one node): "
                         f"{len(self.duplicates)}")
            lines += [f"    {d}" for d in self.duplicates]
        lines.append(f"  conflicts with the standard: {len(self.conflicts)}")
        lines += [f"    {c.kind}: {c.message}" for c in self.conflicts]
        if self.alignment is not None:
            lines += ["  " + line for line in self.alignment.summary().splitlines()]
        return "\n".join(lines)


# -- reading a source ------------------------------------------------------------


def default_name(path: Path) -> str:
    """The graph name a file gets unless the caller gives one: …/graph/source/<file stem>."""
    return SOURCE_PREFIX + slug(Path(path).stem)


def _read_source(path: Path, graph: ox.NamedNode, format: str | None, base: str | None):
    """Quads of a source file (default-graph content in ``graph``) and its media type."""
    from ..io.archimate import is_archimate, read_archimate
    from ..io.reading import load_file

    if format in ("archimate", None) and (format == "archimate" or path.suffix.lower() ==
                                          ".archimate" or (path.suffix.lower() == ".xml"
                                                           and is_archimate(path))):
        model = read_archimate(path, base=base)
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in model.triples], \
            ARCHIMATE_MEDIA_TYPE, model
    from ..io.reading import rdf_format

    fmt = rdf_format(path, format)
    scratch = ox.Store()
    load_file(scratch, path, graph, format)
    return list(scratch), MEDIA_TYPES.get(_format_name(fmt), fmt.media_type), None


def _format_name(fmt: ox.RdfFormat) -> str:
    for name in MEDIA_TYPES:
        if getattr(ox.RdfFormat, name) == fmt:
            return name
    return ""


def _quads_of(source, graph: ox.NamedNode) -> list[ox.Quad]:
    """Quads from an in-memory source: an rdflib Graph/Dataset or pyoxigraph triples/quads."""
    if hasattr(source, "serialize") and hasattr(source, "triples"):  # an rdflib graph
        dataset = source.__class__.__name__ in ("Dataset", "ConjunctiveGraph")
        data = source.serialize(format="nquads" if dataset else "nt", encoding="utf-8")
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))  # N-Triples ⊂ N-Quads
    else:
        quads = list(source)
    out = []
    for q in quads:
        g = getattr(q, "graph_name", ox.DefaultGraph())
        out.append(ox.Quad(q.subject, q.predicate, q.object,
                           graph if isinstance(g, ox.DefaultGraph) else g))
    return out


# -- merge / remove ----------------------------------------------------------------


def merge(kg, source, name: str | None = None, *, format: str | None = None,
          base: str | None = None, align: bool = True, time: _dt.datetime | None = None,
          check: bool = True) -> MergeResult:
    """Add ``source`` to ``kg`` as the named graph ``name``; report conflicts and alignment.

    ``source`` is a file path (any RDF syntax, or an ArchiMate 3.x exchange file)
    or an in-memory rdflib graph / iterable of pyoxigraph triples (then ``name``
    is required). ``base`` sets the IRI base of an imported ArchiMate model.
    Nothing in the graph changes when the source cannot be read.
    """
    existing = {g.value for g in kg.store.named_graphs()}
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or default_name(path)
        described = path.resolve().as_uri()
        title = os.fsencode(path.name).decode("utf-8", "replace")  # a name that is not UTF-8
    else:
        if name is None:
            raise UsageError("merging an in-memory graph needs a name")
        path, described, title = None, None, name
    try:
        graph = _n(name)
    except ValueError:
        raise UsageError(f"graph name {name!r} is not an IRI") from None
    if name in existing:
        raise UsageError(f"a graph named {name} is already loaded; choose another name")
    if path is not None:
        quads, media_type, model = _read_source(path, graph, format, base)
    else:
        quads, media_type, model = _quads_of(source, graph), "application/n-quads", None
    quads = list(dict.fromkeys(quads))
    graphs = sorted({q.graph_name.value for q in quads} | {name})
    clash = [g for g in graphs if g in existing or reserved_graph(g)]
    if clash:
        raise InputError(f"the source's graph {clash[0]} already exists; named graphs of a "
                         f"source are never merged into existing ones", path=path or name)
    kg.store.bulk_extend(quads)
    when = (time or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    _record_provenance(kg, graphs, name, described, title, media_type, when, quads, model)
    result = MergeResult(name=name, source=title, format=media_type, graphs=graphs,
                         triples=len(quads), duplicates=list(getattr(model, "duplicates", [])))
    if check:
        result.conflicts = conflicts(kg, graphs)
    if align:
        from .alignment import align as _align

        result.alignment = _align(kg, name, time=when)
        if check:  # eTOM IDs that only appear in names or properties are conflicts too
            extra = {Conflict("unknown-id", name, u.element, None, pid)
                     for u in result.alignment.unaligned for pid in u.unknown_ids}
            result.conflicts = sorted(set(result.conflicts) | extra,
                                      key=lambda c: (c.graph, c.kind, c.subject, c.asserted))
    return result


def _record_provenance(kg, graphs, name, described, title, media_type, when, quads, model):
    prov = _n(PROVENANCE_GRAPH)
    a = _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    stamp = ox.Literal(when.isoformat().replace("+00:00", "Z"), datatype=_n(XSD + "dateTime"))
    counts: dict[str, int] = {}
    for q in quads:
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    out = []
    for g in graphs:
        node = _n(g)
        out += [
            ox.Quad(node, a, _n(PROV + "Entity"), prov),
            ox.Quad(node, a, _n(VOID + "Dataset"), prov),
            ox.Quad(node, _n(DCTERMS + "title"), ox.Literal(title), prov),
            ox.Quad(node, _n(DCTERMS + "format"), ox.Literal(media_type), prov),
            ox.Quad(node, _n(PROV + "generatedAtTime"), stamp, prov),
            ox.Quad(node, _n(VOID + "triples"),
                    ox.Literal(str(counts.get(g, 0)), datatype=_n(XSD + "integer")), prov),
        ]
        if described:
            out.append(ox.Quad(node, _n(PROV + "wasDerivedFrom"), _n(described), prov))
            out.append(ox.Quad(node, _n(DCTERMS + "source"), _n(described), prov))
        if g != name:
            out.append(ox.Quad(node, _n(DCTERMS + "isPartOf"), _n(name), prov))
        if model is not None:
            out.append(ox.Quad(node, _n(DCTERMS + "conformsTo"),
                               _n("https://w3id.org/etom-kg/source/archimate-exchange-format-3-1"),
                               prov))
            out.append(ox.Quad(node, _n(DCTERMS + "subject"), model.model, prov))
    kg.store.bulk_extend(out)


def merged_sources(kg) -> list[str]:
    """Names of the graphs merged as sources (those with provenance, no alignment graphs)."""
    rows = kg.sparql(f"""SELECT DISTINCT ?g WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{
        ?g a <{PROV}Entity> FILTER NOT EXISTS {{ ?g <{DCTERMS}isPartOf> ?whole }}
        FILTER(!STRSTARTS(STR(?g), "{ALIGNMENT_PREFIX}")) }} }} ORDER BY ?g""")
    return [r.g for r in rows]


def remove(kg, name: str) -> list[str]:
    """Remove a merged source: its graph(s), its alignment graph and their provenance."""
    prov = _n(PROVENANCE_GRAPH)
    parts = [q.subject.value for q in
             kg.store.quads_for_pattern(None, _n(DCTERMS + "isPartOf"), _n(name), prov)]
    aligned = [q.subject.value for q in
               kg.store.quads_for_pattern(None, _n(PROV + "wasDerivedFrom"), _n(name), prov)
               if q.subject.value.startswith(ALIGNMENT_PREFIX)]
    graphs = [name, *parts, *aligned]
    present = {g.value for g in kg.store.named_graphs()}
    if name not in present:
        raise UsageError(f"no graph named {name}")
    for g in graphs:
        node = _n(g)
        if g in present:
            kg.store.remove_graph(node)
        for q in list(kg.store.quads_for_pattern(node, None, None, prov)):
            kg.store.remove(q)
    for q in list(kg.store.quads_for_pattern(None, None, None, prov)):  # its report entries
        if q.subject.value.startswith(name + "#not-aligned-") if isinstance(
                q.subject, ox.NamedNode) else False:
            kg.store.remove(q)
    return graphs


# -- conflicts ------------------------------------------------------------------


@dataclass
class _Standard:
    id_of: dict[str, str]                 # IRI → ID
    iri_of: dict[str, str]                # ID → IRI
    labels: dict[str, dict[str, dict]]    # ID → lang → normalised label → label
    parent: dict[str, str | None]         # ID → parent ID
    iris: set[str]                        # every subject of the shipped graphs


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def standard(kg) -> _Standard:
    """The standard's IDs, labels and parents, read from the shipped graphs only."""
    shipped = [g for g in kg.graph_names() if g.startswith(SHIPPED_PREFIX)]
    std = _Standard({}, {}, {}, {}, set())
    if not shipped:
        return std
    for r in kg.sparql("SELECT ?p ?id ?parentId WHERE { ?p skos:notation ?id "
                       "FILTER(DATATYPE(?id) = etom:ProcessId) "
                       "OPTIONAL { ?p skos:broader ?q . ?q skos:notation ?parentId "
                       "FILTER(DATATYPE(?parentId) = etom:ProcessId) } }", graphs=shipped):
        std.id_of[r.p] = r.id
        std.iri_of[r.id] = r.p
        std.parent[r.id] = r.parentId
    for r in kg.sparql("SELECT ?id ?label WHERE { ?p skos:notation ?id ; skos:prefLabel ?label "
                       "FILTER(DATATYPE(?id) = etom:ProcessId) }", graphs=shipped):
        lang = r.language("label") or ""
        std.labels.setdefault(r.id, {}).setdefault(lang, {})[_norm(r.label)] = r.label
    for g in shipped:
        for q in kg.store.quads_for_pattern(None, None, None, _n(g)):
            if isinstance(q.subject, ox.NamedNode):
                std.iris.add(q.subject.value)
    return std


def _notation_id(term) -> str | None:
    if isinstance(term, ox.Literal) and (term.datatype.value == ETOM + "ProcessId"
                                         or _ID.fullmatch(term.value.strip())):
        return term.value.strip()
    return None


def conflicts(kg, graphs) -> list[Conflict]:
    """Contradictions between the given source graphs and the standard (sorted)."""
    std = standard(kg)
    found: set[Conflict] = set()
    label_props = {SKOS + "prefLabel", RDFS + "label"}
    for g in ([graphs] if isinstance(graphs, str) else graphs):
        quads = list(kg.store.quads_for_pattern(None, None, None, _n(g)))
        notation: dict[str, list[str]] = {}
        for q in quads:
            if q.predicate.value == SKOS + "notation" and isinstance(q.subject, ox.NamedNode):
                pid = _notation_id(q.object)
                if pid is not None:
                    notation.setdefault(q.subject.value, []).append(pid)

        def id_of(iri: str) -> str | None:
            if iri in std.id_of:
                return std.id_of[iri]
            ids = [i for i in notation.get(iri, []) if i in std.iri_of]
            return ids[0] if ids else None

        for s, ids in notation.items():
            for pid in ids:
                if s in std.id_of and std.id_of[s] != pid:
                    found.add(Conflict("id", g, s, std.id_of[s], pid, std.id_of[s]))
                elif pid not in std.iri_of:
                    found.add(Conflict("unknown-id", g, s, None, pid))
        for q in quads:
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(
                        _STANDARD_NAMESPACES) and term.value not in std.iris:
                    found.add(Conflict("unknown-iri", g, term.value, None, term.value))
            if isinstance(q.object, ox.Literal) and \
                    q.object.datatype.value == ETOM + "ProcessId" and \
                    q.object.value not in std.iri_of and \
                    q.predicate.value != SKOS + "notation":
                found.add(Conflict("unknown-id", g, str(q.subject).strip("<>"), None,
                                   q.object.value))
            if not isinstance(q.subject, ox.NamedNode):
                continue
            s, p = q.subject.value, q.predicate.value
            pid = id_of(s)
            if pid is None:
                continue
            if p in label_props and isinstance(q.object, ox.Literal):
                lang = q.object.language or ""
                labels = std.labels.get(pid, {})
                allowed = labels.get(lang, {}) if lang else \
                    {k: v for by_lang in labels.values() for k, v in by_lang.items()}
                if allowed and _norm(q.object.value) not in allowed:
                    expected = sorted(allowed.values())[0]
                    found.add(Conflict("label", g, s, pid,
                                       q.object.value + (f"@{lang}" if lang else ""), expected))
            elif p == SKOS + "broader" and isinstance(q.object, ox.NamedNode):
                parent = id_of(q.object.value)
                if parent != std.parent.get(pid):
                    found.add(Conflict("parent", g, s, pid, parent or q.object.value,
                                       std.parent.get(pid)))
        for q in quads:  # "X skos:narrower <standard element>" names X as its parent
            if q.predicate.value == SKOS + "narrower" and isinstance(q.object, ox.NamedNode) \
                    and isinstance(q.subject, ox.NamedNode):
                child = id_of(q.object.value)
                if child is None:
                    continue
                parent = id_of(q.subject.value)
                if parent != std.parent.get(child):
                    found.add(Conflict("parent", g, q.object.value, child,
                                       parent or q.subject.value, std.parent.get(child)))
    return sorted(found, key=lambda c: (c.graph, c.kind, c.subject, c.asserted))


# -- writing ---------------------------------------------------------------------

OUTPUT_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
                  ".nquads": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
                  ".nt": ox.RdfFormat.N_TRIPLES}


def serialize(kg, *, flat: bool = False, format: ox.RdfFormat | None = None,
              graphs=None) -> bytes:
    """The dataset (or ``graphs`` of it) as TriG/N-Quads, or as one flat Turtle graph.

    Quads are sorted, so the same content gives the same bytes (blank-node labels
    aside).
    """
    from ..io.archimate import PREFIXES as AX
    from ..core.namespaces import PREFIXES

    prefixes = {**PREFIXES, **AX, "void": VOID, "graph": GRAPH}
    names = [ox.NamedNode(g) for g in (graphs if graphs is not None else kg.graph_names())]
    quads = [q for g in names for q in kg.store.quads_for_pattern(None, None, None, g)]
    if flat:
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        return ox.serialize(triples, format=format or ox.RdfFormat.TURTLE, prefixes=prefixes)
    quads.sort(key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate),
                              str(q.object)))
    return ox.serialize(quads, format=format or ox.RdfFormat.TRIG, prefixes=prefixes)


def write(kg, path, *, flat: bool = False, graphs=None) -> Path:
    """Write the dataset to ``path`` (.trig/.nq; .ttl/.nt only with ``flat=True``), atomically."""
    from ..io.atomic import atomic_write

    path = Path(path)
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown output extension {path.suffix or '(none)'!r}; "
                         f"use .trig or .nq (or .ttl/.nt with --flat)")
    if fmt.supports_datasets and flat:
        raise UsageError(f"{path}: a flat graph is written as Turtle (.ttl) or N-Triples (.nt)")
    if not fmt.supports_datasets and not flat:
        raise UsageError(f"{path}: {path.suffix} holds a single graph and would lose the "
                         f"named graphs; write .trig or .nq, or ask for --flat")
    return atomic_write(path, serialize(kg, flat=flat, format=fmt, graphs=graphs))
