"""Aligning enterprise-architecture elements with etom-kg resources.

The rules (each an ``ea:AlignmentRule`` individual in ``ontology/enterprise.ttl``,
named by every alignment it produces):

``ea:rule-process-id-property``
    A behaviour element (ArchiMate business/application process, function or
    interaction; an ``etom:RealProcess``; or an untyped resource of a plain RDF
    source) with an ArchiMate property whose key reads like "eTOM ID" /
    "process ID", or a ``skos:notation`` / ``dcterms:identifier``, holding a
    process ID the graph knows → ``element etom:classifiedUnder process``. High.
``ea:rule-process-id-in-name``
    The same kinds of element named "1.1.1.5 Order Handling", "1.1.1.5 - …",
    "1.1.1.5: …" or "Order Handling (1.1.1.5)" → ``etom:classifiedUnder``. High
    when the rest of the name is the standard label (any language) or empty,
    else medium.
``ea:rule-oda-component-id`` / ``ea:rule-tam-application-id``
    An application element (component, collaboration, interface, service) with a
    known ODA component ID (TMFCnnn) or TAM application ID in a property keyed
    "ODA …" / "TAM …" or in its name → ``element dcterms:conformsTo resource``.
``ea:rule-sid-abe-name``
    A data or business object whose property keyed "SID …"/"ABE …" (high) or whose
    name (medium) equals a known SID ABE name → ``dcterms:conformsTo``.

Every alignment is an asserted triple plus an ``rdf:Statement`` node carrying the
rule (``dcterms:conformsTo``), ``etom:confidence``, the evidence
(``rdfs:comment``) and the source graph (``prov:wasDerivedFrom``), all in the
graph ``…/graph/alignment/<source>``. Elements of these kinds that no rule
aligns are reported with the reason.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..io.archimate import ARCHIMATE, EA
from ..core.namespaces import (ALIGNMENT_PREFIX, DCTERMS, ETOM, PROV, PROVENANCE_GRAPH, RDF, RDFS,
                               SHIPPED_PREFIX, SKOS, SOURCE, VOID, XSD, slug)

BEHAVIOUR = {"BusinessProcess", "BusinessFunction", "BusinessInteraction",
             "ApplicationProcess", "ApplicationFunction", "ApplicationInteraction"}
APPLICATION = {"ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface",
               "ApplicationService"}
DATA = {"DataObject", "BusinessObject"}
NAME_PROPS = (ARCHIMATE + "name", SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")
ID_PROPS = (SKOS + "notation", DCTERMS + "identifier")

_PID = r"(?P<id>\d+(?:\.\d+)+)"
NAME_PATTERNS = (
    re.compile(rf"^\s*{_PID}\.?(?=\s|$|[-–—:])\s*(?:[-–—:]\s*)?(?P<rest>.*?)\s*$"),
    re.compile(rf"^\s*(?P<rest>.*?)\s*[(\[]\s*{_PID}\s*[)\]]\s*$"),
)
_KEY_PROCESS = re.compile(r"(?i)\b(e-?tom|process)\b.*\b(id|identifier|code|number|no)\b|^\s*e-?tom\s*$")
_KEY_ODA = re.compile(r"(?i)\boda\b")
_KEY_TAM = re.compile(r"(?i)\btam\b")
_KEY_SID = re.compile(r"(?i)\b(sid|abe)\b")
_ODA_ID = re.compile(r"\bTMFC\d{3}\b")

_UNKNOWN = re.compile(r"eTOM ID (\S+) ")
HIGH, MEDIUM = ETOM + "HighConfidence", ETOM + "MediumConfidence"
CLASSIFIED_UNDER = ETOM + "classifiedUnder"
CONFORMS_TO = DCTERMS + "conformsTo"


@dataclass(frozen=True)
class Alignment:
    element: str
    name: str
    predicate: str
    target: str
    target_id: str
    rule: str
    confidence: str
    evidence: str


@dataclass(frozen=True)
class Unaligned:
    element: str
    name: str
    kind: str
    reason: str
    unknown_ids: tuple[str, ...] = ()  # eTOM IDs the element names that etom-kg lacks


@dataclass
class AlignmentReport:
    source: str
    graph: str
    alignments: list[Alignment] = field(default_factory=list)
    unaligned: list[Unaligned] = field(default_factory=list)

    def summary(self, limit: int = 10) -> str:
        where = f" (graph {self.graph})" if self.alignments else ""
        lines = [f"aligned: {len(self.alignments)}{where}"]
        for a in self.alignments[:limit]:
            rule = a.rule.rsplit("#", 1)[-1]
            lines.append(f"  {a.name or a.element} -> {a.target_id} [{rule}, "
                         f"{a.confidence.rsplit('#', 1)[-1]}]")
        if len(self.alignments) > limit:
            lines.append(f"  … and {len(self.alignments) - limit} more")
        lines.append(f"not aligned: {len(self.unaligned)}")
        for u in self.unaligned[:limit]:
            lines.append(f"  {u.name or u.element} ({u.kind}): {u.reason}")
        if len(self.unaligned) > limit:
            lines.append(f"  … and {len(self.unaligned) - limit} more")
        return "\n".join(lines)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class _Catalogue:
    """What the etom-kg graphs (not the sources) offer to align with."""

    def __init__(self, kg):
        shipped = [g for g in kg.graph_names() if g.startswith(SHIPPED_PREFIX)]
        self.processes: dict[str, str] = {}
        self.labels: dict[str, set[str]] = {}
        self.oda: dict[str, str] = {}
        self.tam: dict[str, str] = {}
        self.abe: dict[str, tuple[str, str]] = {}
        if not shipped:
            return
        for r in kg.sparql("SELECT ?p ?id ?label WHERE { ?p skos:notation ?id "
                           "FILTER(DATATYPE(?id) = etom:ProcessId) "
                           "OPTIONAL { ?p skos:prefLabel ?label } }", graphs=shipped):
            self.processes[r.id] = r.p
            if r.label:
                self.labels.setdefault(r.id, set()).add(_norm(r.label))
        # TAM application types, ODA components (ontology/tam.ttl, oda.ttl): by notation.
        for r in kg.sparql("""SELECT ?x ?id ?kind WHERE {
                VALUES (?class ?kind) { (etom:TamApplicationType "tam") (etom:OdaComponent "oda") }
                ?x a ?class ; skos:notation ?id }""", graphs=shipped):
            (self.tam if r.kind == "tam" else self.oda)[r.id] = r.x
        # SID ABEs (ontology/sid.ttl): by English name, with or without the "ABE" suffix.
        for r in kg.sparql("""SELECT ?x ?label WHERE {
                ?x a etom:SidAbe ; skos:prefLabel ?label FILTER(LANG(?label) = "en") }""",
                           graphs=shipped):
            self.abe[_abe_key(r.label)] = (r.x, r.label)


def _abe_key(name: str) -> str:
    return re.sub(r"\s+abe$", "", _norm(name))


def _element_facts(kg, graph: str):
    """Per subject of ``graph``: ArchiMate types, names, ID values and property pairs."""
    g = ox.NamedNode(graph)
    facts: dict[str, dict] = {}

    def get(s):
        return facts.setdefault(s, {"types": set(), "names": [], "ids": [], "props": []})

    prop_key, prop_value = {}, {}
    owner = {}
    for q in kg.store.quads_for_pattern(None, None, None, g):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == RDF + "type" and isinstance(o, ox.NamedNode):
            get(s)["types"].add(o.value)
        elif p in NAME_PROPS and isinstance(o, ox.Literal):
            get(s)["names"].append((_LANG_ORDER.get(o.language or "", 2), o.value))
        elif p in ID_PROPS and isinstance(o, ox.Literal):
            get(s)["ids"].append(o.value)
        elif p == ARCHIMATE + "hasProperty" and isinstance(o, ox.NamedNode):
            owner.setdefault(o.value, []).append(s)
        elif p == ARCHIMATE + "propertyKey":
            prop_key[s] = o.value
        elif p == ARCHIMATE + "propertyValue":
            prop_value.setdefault(s, []).append(o.value)
    for pnode, owners in owner.items():
        for s in owners:
            for value in prop_value.get(pnode, []):
                get(s)["props"].append((prop_key.get(pnode, ""), value))
    return facts


def _is_ea_element(types: set[str]) -> bool:
    """Typed as an ArchiMate element or a real process (untyped resources only count
    when they carry something that looks like an ID)."""
    return any(t.startswith(ARCHIMATE) for t in types) or ETOM + "RealProcess" in types


_LANG_ORDER = {"en": 0, "": 1}


def _kind(types: set[str]) -> str | None:
    local = {t[len(ARCHIMATE):] for t in types if t.startswith(ARCHIMATE)}
    if local & BEHAVIOUR or ETOM + "RealProcess" in types:
        return "behaviour"
    if local & APPLICATION:
        return "application"
    if local & DATA:
        return "data"
    if local or types & {EA + "Folder", EA + "PropertyDefinition", RDF + "Statement"}:
        return None  # another ArchiMate concept: nothing to align it with
    return "behaviour" if not types or types <= {SKOS + "Concept"} else None


def align(kg, source_graph: str, *, time: _dt.datetime | None = None) -> AlignmentReport:
    """Align the elements of ``source_graph`` and write the alignment graph."""
    cat = _Catalogue(kg)
    short = slug(source_graph.rsplit("/", 1)[-1] or source_graph)
    graph = ALIGNMENT_PREFIX + short
    n = 2
    while ox.NamedNode(graph) in set(kg.store.named_graphs()):
        graph = f"{ALIGNMENT_PREFIX}{short}-{n}"
        n += 1
    report = AlignmentReport(source_graph, graph)
    for element, f in sorted(_element_facts(kg, source_graph).items()):
        if element.startswith(SHIPPED_PREFIX) or element.startswith("https://w3id.org/etom-kg/") \
                and not element.startswith("https://w3id.org/etom-kg/ea/"):
            continue  # etom-kg's own resources are judged by the conflict report
        f["names"] = [n for _, n in sorted(f["names"])]  # English first, for the report
        kind = _kind(f["types"])
        if kind is None or (not f["names"] and not f["ids"] and not f["props"]):
            continue
        name = f["names"][0] if f["names"] else ""
        found, problems = _rules(kind, f, cat)
        best = {}
        for item in found:  # one alignment per target and rule: the most confident
            key = (item[0], item[1], item[3])
            if key not in best or (best[key][4] != HIGH and item[4] == HIGH):
                best[key] = item
        found = list(best.values())
        for pred, target, tid, rule, conf, evidence in found:
            report.alignments.append(Alignment(element, name, pred, target, tid, rule, conf,
                                               evidence))
        if not found and (problems or _is_ea_element(f["types"])):
            reason = "; ".join(problems) or {
                "behaviour": "no eTOM process ID in its name or properties",
                "application": "no known TAM application or ODA component ID",
                "data": "no known SID ABE name",
            }[kind]
            unknown = tuple(sorted({m.group(1) for m in map(_UNKNOWN.match, problems) if m}))
            report.unaligned.append(Unaligned(element, name, kind, reason, unknown))
    report.alignments = sorted(set(report.alignments),
                               key=lambda a: (a.target_id, a.element, a.rule))
    _write(kg, report, time, PROVENANCE_GRAPH, VOID)
    return report


def _rules(kind, f, cat: _Catalogue):
    found, problems = [], []
    props = f["props"]
    if kind == "behaviour":
        values = [(v, f"property {k!r} = {v!r}") for k, v in props if _KEY_PROCESS.search(k)]
        values += [(v, f"identifier {v!r}") for v in f["ids"]]
        for value, evidence in values:
            pid = value.strip()
            if not re.fullmatch(r"\d+(?:\.\d+)+", pid):
                continue
            if pid in cat.processes:
                found.append((CLASSIFIED_UNDER, cat.processes[pid], pid,
                              EA + "rule-process-id-property", HIGH, evidence))
            else:
                problems.append(f"eTOM ID {pid} is not in etom-kg ({evidence})")
        if not found:
            for name in f["names"]:
                for pattern in NAME_PATTERNS:
                    m = pattern.match(name)
                    if not m:
                        continue
                    pid, rest = m.group("id"), _norm(m.group("rest") or "")
                    if pid not in cat.processes:
                        problems.append(f"eTOM ID {pid} in the name {name!r} is not in etom-kg")
                    else:
                        conf = HIGH if not rest or rest in cat.labels.get(pid, set()) else MEDIUM
                        found.append((CLASSIFIED_UNDER, cat.processes[pid], pid,
                                      EA + "rule-process-id-in-name", conf, f"name {name!r}"))
                    break
    elif kind == "application":
        texts = [(k, v, f"property {k!r} = {v!r}") for k, v in props]
        texts += [("", v, f"identifier {v!r}") for v in f["ids"]]
        texts += [("", n, f"name {n!r}") for n in f["names"]]
        for key, value, evidence in texts:
            for oda in _ODA_ID.findall(value):
                if oda in cat.oda:
                    found.append((CONFORMS_TO, cat.oda[oda], oda, EA + "rule-oda-component-id",
                                  HIGH, evidence))
                elif not key or _KEY_ODA.search(key):
                    problems.append(f"ODA component {oda} is not in etom-kg ({evidence})")
            if key and _KEY_TAM.search(key) or not key:
                candidates = [value.strip()] if key else \
                    [m.group("id") for p in NAME_PATTERNS if (m := p.match(value))]
                for tid in candidates:
                    if tid in cat.tam:
                        found.append((CONFORMS_TO, cat.tam[tid], tid,
                                      EA + "rule-tam-application-id", HIGH, evidence))
                    elif key:
                        problems.append(f"TAM application {tid} is not in etom-kg ({evidence})")
    elif kind == "data":
        for key, value in props:
            if _KEY_SID.search(key) and _abe_key(value) in cat.abe:
                target, label = cat.abe[_abe_key(value)]
                found.append((CONFORMS_TO, target, label, EA + "rule-sid-abe-name", HIGH,
                              f"property {key!r} = {value!r}"))
        if not found:
            for name in f["names"]:
                if _abe_key(name) in cat.abe:
                    target, label = cat.abe[_abe_key(name)]
                    found.append((CONFORMS_TO, target, label, EA + "rule-sid-abe-name", MEDIUM,
                                  f"name {name!r}"))
                    break
    return found, problems


def _write(kg, report: AlignmentReport, time, provenance_graph: str, void: str) -> None:
    g = ox.NamedNode(report.graph)
    a = ox.NamedNode(RDF + "type")
    quads = []
    for al in report.alignments:
        s, p, o = (ox.NamedNode(al.element), ox.NamedNode(al.predicate),
                   ox.NamedNode(al.target))
        digest = hashlib.sha1(f"{al.element} {al.predicate} {al.target} {al.rule}".encode())
        node = ox.NamedNode(f"{report.graph}#a-{digest.hexdigest()[:16]}")
        quads += [
            ox.Quad(s, p, o, g),
            ox.Quad(node, a, ox.NamedNode(RDF + "Statement"), g),
            ox.Quad(node, ox.NamedNode(RDF + "subject"), s, g),
            ox.Quad(node, ox.NamedNode(RDF + "predicate"), p, g),
            ox.Quad(node, ox.NamedNode(RDF + "object"), o, g),
            ox.Quad(node, ox.NamedNode(DCTERMS + "conformsTo"), ox.NamedNode(al.rule), g),
            ox.Quad(node, ox.NamedNode(ETOM + "confidence"), ox.NamedNode(al.confidence), g),
            ox.Quad(node, ox.NamedNode(RDFS + "comment"), ox.Literal(al.evidence), g),
            ox.Quad(node, ox.NamedNode(PROV + "wasDerivedFrom"),
                    ox.NamedNode(report.source), g),
            ox.Quad(node, ox.NamedNode(DCTERMS + "source"),
                    ox.NamedNode(SOURCE + "etom-kg-project"), g),
        ]
    quads = list(dict.fromkeys(quads))
    if not quads:
        return
    kg.store.bulk_extend(quads)
    prov = ox.NamedNode(provenance_graph)
    when = (time or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    stamp = ox.Literal(when.isoformat().replace("+00:00", "Z"),
                       datatype=ox.NamedNode(XSD + "dateTime"))
    kg.store.bulk_extend([
        ox.Quad(g, a, ox.NamedNode(PROV + "Entity"), prov),
        ox.Quad(g, a, ox.NamedNode(void + "Dataset"), prov),
        ox.Quad(g, ox.NamedNode(PROV + "wasDerivedFrom"), ox.NamedNode(report.source), prov),
        ox.Quad(g, ox.NamedNode(PROV + "generatedAtTime"), stamp, prov),
        ox.Quad(g, ox.NamedNode(void + "triples"),
                ox.Literal(str(len(quads)), datatype=ox.NamedNode(XSD + "integer")), prov),
    ])
