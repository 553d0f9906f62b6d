"""Aligning enterprise-architecture elements with etom-kg resources.

The rules (each an ``ea:AlignmentRule`` individual in ``ontology/enterprise.ttl``,
named by every alignment it produces):

``ea:rule-process-id-property``
    An element where an eTOM ID sensibly appears (ArchiMate business/application
    process, function, interaction or event, business service, capability, value
    stream; an ``etom:RealProcess``; or an untyped resource of a plain RDF
    source) with a property whose key reads like "eTOM ID" / "process ID", or a
    ``skos:notation`` / ``dcterms:identifier``, holding a process ID the graph
    knows → ``element etom:classifiedUnder process``. High.
``ea:rule-process-id-in-name``
    The same kinds of element named "1.1.1.5 Order Handling", "1.1.1.5 - …",
    "1.1.1.5: …" or "Order Handling (1.1.1.5)" → ``etom:classifiedUnder``, only
    where the number is plausibly an eTOM ID: high when the rest of the name is
    the standard label (any language) or empty; medium when the model declares
    eTOM numbering (a model property such as "numbering = eTOM", or "eTOM" in the
    model's name or documentation); otherwise ("1.2 Receive claim": a step
    number) the element is reported as a *candidate*, not aligned.
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
aligns are reported with the reason, as are eTOM IDs on elements of other types
and elements carrying two ArchiMate types (a duplicate identifier fused on
import); the whole report goes into the provenance graph (``ea:NotAligned``)
and, with ``merge --report``, to JSON. Sources in another ArchiMate RDF
vocabulary (ArchiMEO; bp4mc2's archimate2rdf) are read by class local name, with
``rdfs:label`` names and labelled datatype properties; a source in a vocabulary
etom-kg does not know is said to be so.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
import textwrap
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..io.archimate import ARCHIMATE, EA
from ..core.namespaces import (ALIGNMENT_PREFIX, BASE, DCTERMS, ETOM, PROV, PROVENANCE_GRAPH, RDF,
                               RDFS, SHIPPED_PREFIX, SKOS, SOURCE, VOID, XSD, slug)

BEHAVIOUR = {"BusinessProcess", "BusinessFunction", "BusinessInteraction", "BusinessEvent",
             "BusinessService", "Capability", "ValueStream",
             "ApplicationProcess", "ApplicationFunction", "ApplicationInteraction"}
# Other ArchiMate RDF vocabularies, read by class local name (the same names as ArchiMate's).
OTHER_VOCABULARIES = {
    "http://ikm-group.ch/archiMEO/archimate#": "ArchiMEO",
    "http://bp4mc2.org/def/archimate#": "bp4mc2 archimate2rdf",
}
_KNOWN_NAMESPACES = (ARCHIMATE, EA, ETOM, SKOS, RDF, RDFS, "http://www.w3.org/2002/07/owl#",
                     "http://www.w3.org/ns/prov#", DCTERMS, *OTHER_VOCABULARIES)
_DECLARES_ETOM = re.compile(r"(?i)\be-?tom\b|53633")
_KEY_NUMBERING = re.compile(r"(?i)numbering|framework|reference|нумерац")
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
_LANG_ORDER = {"en": 0, "": 1}
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
    type: str = ""                      # ArchiMate type (local name) or other class
    candidate_ids: tuple[str, ...] = ()  # numbers in the name that may be eTOM IDs
    names: tuple[tuple[str, str], ...] = ()  # (language, name), every name


@dataclass
class AlignmentReport:
    source: str
    graph: str
    alignments: list[Alignment] = field(default_factory=list)
    unaligned: list[Unaligned] = field(default_factory=list)
    vocabulary: str = "ArchiMate (https://purl.org/archimate#)"
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The whole report as plain data (what ``merge --report`` writes as JSON)."""
        return {
            "source": self.source, "alignmentGraph": self.graph, "vocabulary": self.vocabulary,
            "notes": list(self.notes),
            "aligned": [{"element": a.element, "name": a.name, "target": a.target,
                         "targetId": a.target_id, "predicate": a.predicate,
                         "rule": a.rule.rsplit("#", 1)[-1],
                         "confidence": a.confidence.rsplit("#", 1)[-1].replace(
                             "Confidence", "").lower(), "evidence": a.evidence}
                        for a in self.alignments],
            "notAligned": [{"element": u.element, "name": u.name, "type": u.type,
                            "kind": u.kind, "reason": u.reason,
                            "unknownIds": list(u.unknown_ids),
                            "candidateIds": list(u.candidate_ids),
                            "names": [{"lang": lang, "name": n} for lang, n in u.names]}
                           for u in self.unaligned],
        }

    def summary(self, limit: int = 10) -> str:
        where = f" (graph {self.graph})" if self.alignments else ""
        lines = [f"vocabulary: {self.vocabulary}"] if not self.vocabulary.startswith(
            "ArchiMate (") else []
        lines += [f"note: {n}" for n in self.notes]
        lines.append(f"aligned: {len(self.alignments)}{where}")
        for a in self.alignments[:limit]:
            rule = a.rule.rsplit("#", 1)[-1]
            lines.append(f"  {a.name or a.element} -> {a.target_id} [{rule}, "
                         f"{a.confidence.rsplit('#', 1)[-1]}]")
        if len(self.alignments) > limit:
            lines.append(f"  … and {len(self.alignments) - limit} more")
        lines.append(f"not aligned: {len(self.unaligned)}")
        for u in self.unaligned[:limit]:
            lines += textwrap.wrap(f"{u.name or u.element} ({u.type or u.kind}): {u.reason}",
                                   98, initial_indent="  ", subsequent_indent="      ")
        if len(self.unaligned) > limit:
            lines.append(f"  … and {len(self.unaligned) - limit} more (all of them: "
                         f"merge --report FILE, or ea:NotAligned in the provenance graph)")
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


def _split_key(text: str) -> str:
    """A property key or IRI local name as words: ``etomProcessId`` → ``etom Process Id``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[a-z]{2})(?=[A-Z]{2,}\b)|[_-]", " ", text)


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _element_facts(kg, graph: str):
    """Per subject of ``graph``: types, names (with languages), ID values, property pairs.

    Properties are ArchiMate properties (key → values) and, for other vocabularies,
    literal-valued predicates outside the known ones, keyed by their rdfs:label
    (any graph) or local name.
    """
    g = ox.NamedNode(graph)
    facts: dict[str, dict] = {}

    def get(s):
        return facts.setdefault(s, {"types": set(), "names": [], "ids": [], "props": []})

    prop_key, prop_value = {}, {}
    owner = {}
    other: list[tuple[str, str, str]] = []
    for q in kg.store.quads_for_pattern(None, None, None, g):
        if not isinstance(q.subject, ox.NamedNode):
            continue
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == RDF + "type" and isinstance(o, ox.NamedNode):
            get(s)["types"].add(o.value)
        elif p in NAME_PROPS and isinstance(o, ox.Literal):
            get(s)["names"].append((o.language or "", o.value))
        elif p in ID_PROPS and isinstance(o, ox.Literal):
            get(s)["ids"].append(o.value)
        elif p == ARCHIMATE + "hasProperty" and isinstance(o, ox.NamedNode):
            owner.setdefault(o.value, []).append(s)
        elif p == ARCHIMATE + "propertyKey":
            prop_key[s] = o.value
        elif p == ARCHIMATE + "propertyValue":
            prop_value.setdefault(s, []).append(o.value)
        elif isinstance(o, ox.Literal) and not p.startswith(_KNOWN_NAMESPACES):
            other.append((s, p, o.value))
    for pnode, owners in owner.items():
        for s in owners:
            for value in prop_value.get(pnode, []):
                get(s)["props"].append((prop_key.get(pnode, ""), value))
    keys: dict[str, str] = {}
    for s, p, value in other:
        if p not in keys:
            label = next((q.object.value for q in kg.store.quads_for_pattern(
                ox.NamedNode(p), ox.NamedNode(RDFS + "label"), None)
                if isinstance(q.object, ox.Literal)), None)
            keys[p] = label or _split_key(_local(p))
        get(s)["props"].append((keys[p], value))
    return facts


def _archimate_types(types: set[str]) -> set[str]:
    """Local names of the element's classes in ArchiMate or a recognised other vocabulary."""
    found = set()
    for t in types:
        for ns in (ARCHIMATE, *OTHER_VOCABULARIES):
            if t.startswith(ns):
                found.add(t[len(ns):])
    return found


def _is_ea_element(types: set[str]) -> bool:
    """Typed as an ArchiMate element or a real process (untyped resources only count
    when they carry something that looks like an ID)."""
    return bool(_archimate_types(types)) or ETOM + "RealProcess" in types


def _kind(types: set[str]) -> str | None:
    local = _archimate_types(types)
    if local & BEHAVIOUR or ETOM + "RealProcess" in types:
        return "behaviour"
    if local & APPLICATION:
        return "application"
    if local & DATA:
        return "data"
    if local or types & {EA + "Folder", EA + "PropertyDefinition", RDF + "Statement"}:
        return "other" if local - _NOT_ELEMENTS else None
    return "behaviour" if not types or types <= {SKOS + "Concept"} else None


# ArchiMate concepts that are no model elements (nothing to align, nothing to report).
_NOT_ELEMENTS = {"Model", "Relationship", "ArchiMateView", "Junction", "Property", "Grouping",
                 "Location"} | {n[0].upper() + n[1:] for n in (
                     "composition", "aggregation", "assignment", "realization", "serving",
                     "access", "influence", "triggering", "flow", "specialization",
                     "association")}


def _type_name(types: set[str]) -> str:
    local = sorted(_archimate_types(types) - {"Element"})
    if local:
        return ", ".join(local)
    return ", ".join(sorted(_local(t) for t in types)) or "untyped"


def _declares_etom(kg, graph: str, facts: dict) -> bool:
    """Does the source say that it numbers its processes the eTOM way?

    A model (archimate:Model) property keyed like "numbering"/"framework" whose value
    names eTOM (or GOST R 53633), or "eTOM" in the model's name or documentation.
    """
    for s, f in facts.items():
        if ARCHIMATE + "Model" not in f["types"]:
            continue
        if any(_KEY_NUMBERING.search(k) and _DECLARES_ETOM.search(v) for k, v in f["props"]):
            return True
        if any(_DECLARES_ETOM.search(n) for _, n in f["names"]):
            return True
        for q in kg.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(ARCHIMATE +
                                            "documentation"), None, ox.NamedNode(graph)):
            if _DECLARES_ETOM.search(q.object.value):
                return True
    return False


def _vocabulary(facts: dict) -> tuple[str, list[str]]:
    """Which ArchiMate vocabulary the source uses, and the namespaces of unknown classes."""
    namespaces: dict[str, int] = {}
    for f in facts.values():
        for t in f["types"]:
            ns = re.match(r"^(.*[/#])", t)
            if ns:
                namespaces[ns.group(1)] = namespaces.get(ns.group(1), 0) + 1
    if ARCHIMATE in namespaces:
        return "ArchiMate (https://purl.org/archimate#)", []
    for ns, name in OTHER_VOCABULARIES.items():
        if ns in namespaces:
            return (f"{name} ({ns}): classes read by name, rdfs:label as names; the EA "
                    "queries need the https://purl.org/archimate# vocabulary (import the "
                    "exchange file instead)"), []
    unknown = sorted((ns for ns in namespaces if not ns.startswith(_KNOWN_NAMESPACES)
                      and not ns.startswith(BASE)), key=lambda ns: -namespaces[ns])
    return "", unknown


def align(kg, source_graph: str, *, time: _dt.datetime | None = None) -> AlignmentReport:
    """Align the elements of ``source_graph``, write the alignment graph and the report."""
    cat = _Catalogue(kg)
    short = slug(source_graph.rsplit("/", 1)[-1] or source_graph)
    graph = ALIGNMENT_PREFIX + short
    n = 2
    while ox.NamedNode(graph) in set(kg.store.named_graphs()):
        graph = f"{ALIGNMENT_PREFIX}{short}-{n}"
        n += 1
    report = AlignmentReport(source_graph, graph)
    facts = _element_facts(kg, source_graph)
    declared = _declares_etom(kg, source_graph, facts)
    for element, f in sorted(facts.items()):
        if element.startswith(SHIPPED_PREFIX) or element.startswith(BASE) \
                and not element.startswith(BASE + "ea/"):
            continue  # etom-kg's own resources are judged by the conflict report
        names = sorted(f["names"], key=lambda ln: (_LANG_ORDER.get(ln[0], 2), ln))
        f["names"] = [n for _, n in names]  # English first, for the report
        kind = _kind(f["types"])
        if kind is None or (not f["names"] and not f["ids"] and not f["props"]):
            continue
        name = f["names"][0] if f["names"] else ""
        local = _archimate_types(f["types"]) - _NOT_ELEMENTS
        if len(local) > 1:
            report.unaligned.append(Unaligned(
                element, name, kind or "other",
                f"one node with several ArchiMate types ({', '.join(sorted(local))}): an "
                "identifier used twice in the model?", type=_type_name(f["types"]),
                names=tuple(names)))
        if kind == "other":
            ids = _etom_ids(f, cat)
            if ids:
                report.unaligned.append(Unaligned(
                    element, name, kind,
                    f"eTOM ID {', '.join(ids)} on a {_type_name(f['types'])}: only processes, "
                    "functions, interactions, events, services, capabilities and value "
                    "streams are aligned with eTOM processes", type=_type_name(f["types"]),
                    names=tuple(names)))
            continue
        found, problems, candidates = _rules(kind, f, cat, declared)
        best = {}
        for item in found:  # one alignment per target and rule: the most confident
            key = (item[0], item[1], item[3])
            if key not in best or (best[key][4] != HIGH and item[4] == HIGH):
                best[key] = item
        found = list(best.values())
        for pred, target, tid, rule, conf, evidence in found:
            report.alignments.append(Alignment(element, name, pred, target, tid, rule, conf,
                                               evidence))
        if not found and (problems or candidates or _is_ea_element(f["types"])):
            reason = "; ".join(problems) or {
                "behaviour": "no eTOM process ID in its name or properties",
                "application": "no known TAM application or ODA component ID",
                "data": "no known SID ABE name",
            }[kind]
            unknown = tuple(sorted({m.group(1) for m in map(_UNKNOWN.match, problems) if m}))
            report.unaligned.append(Unaligned(element, name, kind, reason, unknown,
                                              _type_name(f["types"]),
                                              tuple(sorted(set(candidates))), tuple(names)))
    report.alignments = sorted(set(report.alignments),
                               key=lambda a: (a.target_id, a.element, a.rule))
    vocabulary, unknown_ns = _vocabulary(facts)
    if vocabulary:
        report.vocabulary = vocabulary
    elif not report.alignments and not report.unaligned and unknown_ns:
        report.vocabulary = "unknown"
        report.notes.append(
            "vocabulary unknown: classes from " + ", ".join(unknown_ns[:3])
            + ("…" if len(unknown_ns) > 3 else "") + "; etom-kg reads ArchiMate as "
            "https://purl.org/archimate# (or ArchiMEO, bp4mc2 archimate2rdf), eTOM IDs as "
            "skos:notation/dcterms:identifier, names as rdfs:label/skos:prefLabel")
    else:
        report.vocabulary = "plain RDF"
    _write(kg, report, time, PROVENANCE_GRAPH, VOID)
    return report


def _etom_ids(f, cat) -> list[str]:
    """Known eTOM IDs an element carries in a property, identifier or name."""
    values = [v for k, v in f["props"] if _KEY_PROCESS.search(_split_key(k))] + f["ids"]
    values += [m.group("id") for name in f["names"] for p in NAME_PATTERNS
               if (m := p.match(name))]
    return sorted({v.strip() for v in values if v.strip() in cat.processes})


def _rules(kind, f, cat: _Catalogue, declared: bool = False):
    found, problems, candidates = [], [], []
    props = f["props"]
    if kind == "behaviour":
        values = [(v, f"property {k!r} = {v!r}") for k, v in props
                  if _KEY_PROCESS.search(_split_key(k))]
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
                    known = pid in cat.processes
                    matches = known and (not rest or rest in cat.labels.get(pid, set()))
                    if matches or known and declared:
                        found.append((CLASSIFIED_UNDER, cat.processes[pid], pid,
                                      EA + "rule-process-id-in-name",
                                      HIGH if matches else MEDIUM, f"name {name!r}"))
                    elif declared:
                        problems.append(f"eTOM ID {pid} in the name {name!r} is not in etom-kg")
                    else:
                        candidates.append(pid)
                        why = (f"the rest of the name is not eTOM {pid}'s name" if known
                               else f"{pid} is no eTOM ID")
                        problems.append(f"candidate: {pid} in {name!r} may be a step number "
                                        f"({why}; the model does not declare eTOM numbering)")
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
    return found, problems, candidates


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
    prov = ox.NamedNode(provenance_graph)
    _write_not_aligned(kg, report, prov)
    if not quads:
        return
    kg.store.bulk_extend(quads)
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


def _write_not_aligned(kg, report: AlignmentReport, prov: ox.NamedNode) -> None:
    """The not-aligned part of the report, one ``ea:NotAligned`` node per entry, in the
    provenance graph (IRIs ``<source graph>#not-aligned-…``: removed with the source)."""
    a = ox.NamedNode(RDF + "type")
    source = ox.NamedNode(report.source)
    quads = []
    for u in report.unaligned:
        digest = hashlib.sha1(f"{u.element} {u.reason}".encode()).hexdigest()[:16]
        node = ox.NamedNode(f"{report.source}#not-aligned-{digest}")
        quads += [
            ox.Quad(node, a, ox.NamedNode(EA + "NotAligned"), prov),
            ox.Quad(node, ox.NamedNode(EA + "notAlignedElement"), ox.NamedNode(u.element), prov),
            ox.Quad(node, ox.NamedNode(EA + "reason"), ox.Literal(u.reason), prov),
            ox.Quad(node, ox.NamedNode(EA + "elementType"), ox.Literal(u.type or u.kind), prov),
            ox.Quad(node, ox.NamedNode(PROV + "wasDerivedFrom"), source, prov),
        ]
        quads += [ox.Quad(node, ox.NamedNode(EA + "candidateId"), ox.Literal(c), prov)
                  for c in u.candidate_ids]
        for lang, text in u.names:
            literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
            quads.append(ox.Quad(node, ox.NamedNode(RDFS + "label"), literal, prov))
    for note in report.notes:
        quads.append(ox.Quad(source, ox.NamedNode(RDFS + "comment"), ox.Literal(note), prov))
    kg.store.bulk_extend(list(dict.fromkeys(quads)))
