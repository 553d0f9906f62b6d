"""ArchiMate Model Exchange File Format (3.x) ⇄ RDF.

Import maps a model to the Apache-2.0 ArchiMate 3.2 OWL vocabulary of
A. D. Mendoza (``https://purl.org/archimate#``): elements are instances of its
classes (``archimate:BusinessProcess`` …), every relationship is asserted as a
direct triple with the relationship property (``archimate:serving`` …) *and*
described by a node of its own (``archimate:Relationship`` + RDF 1.1
reification: ``rdf:subject/predicate/object``) that carries the identifier,
names, documentation, properties and type attributes. The vocabulary suggests
RDF-star for that node; plain reification says the same in RDF 1.1, which
rdflib, pySHACL and Owlready2 all read. Exchange-format parts the vocabulary
lacks (property definitions, organization folders) use the few ``ea:`` terms
declared in ``ontology/enterprise.ttl``.

IRIs are ``<base><identifier>``; the default base is
``https://w3id.org/etom-kg/ea/<model identifier>/``, so the same model gives the
same IRIs wherever the file lies. Nothing here fetches anything: XML is parsed
with defusedxml (no DTDs, no entities), export validation uses local schemas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import InputError
from ..core.namespaces import BASE, DCTERMS, ETOM, RDF, RDFS

ARCHIMATE = "https://purl.org/archimate#"
EA = BASE + "ea#"
DC = "http://purl.org/dc/elements/1.1/"
NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"
NS2 = "http://www.opengroup.org/xsd/archimate"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
DEFAULT_BASE = BASE + "ea/"

PREFIXES = {"archimate": ARCHIMATE, "ea": EA, "rdf": RDF, "rdfs": RDFS, "dc": DC,
            "dcterms": DCTERMS, "etom": ETOM}

# Exchange-format relationship type → property of the vocabulary.
RELATIONSHIPS = {
    "Composition": "composition", "Aggregation": "aggregation", "Assignment": "assignment",
    "Realization": "realization", "Serving": "serving", "Access": "access",
    "Influence": "influence", "Triggering": "triggering", "Flow": "flow",
    "Specialization": "specialization", "Association": "association",
}
# Every element type of the 3.1 schema (junctions are handled apart).
ELEMENTS = frozenset("""
BusinessActor BusinessRole BusinessCollaboration BusinessInterface BusinessProcess
BusinessFunction BusinessInteraction BusinessEvent BusinessService BusinessObject Contract
Representation Product ApplicationComponent ApplicationCollaboration ApplicationInterface
ApplicationFunction ApplicationInteraction ApplicationProcess ApplicationEvent
ApplicationService DataObject Node Device SystemSoftware TechnologyCollaboration
TechnologyInterface Path CommunicationNetwork TechnologyFunction TechnologyProcess
TechnologyInteraction TechnologyEvent TechnologyService Artifact Equipment Facility
DistributionNetwork Material Stakeholder Driver Assessment Goal Outcome Principle
Requirement Constraint Meaning Value Resource Capability CourseOfAction ValueStream
WorkPackage Deliverable ImplementationEvent Plateau Gap Grouping Location
""".split())
JUNCTIONS = {"AndJunction": "and", "OrJunction": "or"}
# Exchange format AccessTypeEnum → the vocabulary's lower-case values.
ACCESS_TYPES = {"Access": "unspecified", "Read": "read", "Write": "write",
                "ReadWrite": "readwrite"}


def _a(local: str) -> ox.NamedNode:
    return ox.NamedNode(ARCHIMATE + local)


def _e(local: str) -> ox.NamedNode:
    return ox.NamedNode(EA + local)


A = ox.NamedNode(RDF + "type")
IDENTIFIER, NAME, DOC = _a("identifier"), _a("name"), _a("documentation")
HAS_CONCEPT, HAS_PROPERTY = _a("hasConcept"), _a("hasProperty")
HAS_PART = ox.NamedNode(DCTERMS + "hasPart")
REFERENCES = ox.NamedNode(DCTERMS + "references")
LABEL = ox.NamedNode(RDFS + "label")


@dataclass
class ImportedModel:
    """An ArchiMate model as RDF triples, with the counts read from the XML."""

    triples: list[ox.Triple]
    model: ox.NamedNode
    base: str
    elements: int = 0
    relationships: int = 0
    views: int = 0
    property_definitions: int = 0
    names: dict[str, list[str]] = field(default_factory=dict)  # identifier → names

    def turtle(self) -> bytes:
        """The triples as Turtle, sorted so that the same model gives the same bytes."""
        return ox.serialize(sorted(self.triples, key=str), format=ox.RdfFormat.TURTLE,
                            prefixes=PREFIXES)


# -- reading -------------------------------------------------------------------


def _parse_xml(data: bytes, path):
    """Parse XML with defusedxml: no DTDs, no entities, nothing fetched."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise InputError(f"not well-formed XML: {reason}", path=path, line=line,
                         column=None if column is None else column + 1) from None
    except DefusedXmlException as exc:
        raise InputError(f"refused XML: {type(exc).__name__} (DTDs and entities are not "
                         f"accepted in model exchange files)", path=path) from None


def root_namespace(data: bytes) -> str | None:
    """Namespace of the root element of an XML document (cheap sniff, no full parse)."""
    match = re.search(rb"<(?![?!])([A-Za-z_][\w.-]*:)?model\b[^>]*", data[:4096])
    if not match:
        return None
    prefix = (match.group(1) or b"").rstrip(b":").decode()
    attr = b"xmlns" + (b":" + prefix.encode() if prefix else b"")
    ns = re.search(attr + rb'\s*=\s*["\']([^"\']*)["\']', match.group(0))
    return ns.group(1).decode() if ns else None


def is_archimate(path) -> bool:
    """True if ``path`` is an XML file whose root is an ArchiMate ``model`` (any version)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return root_namespace(head) in (NS3, NS2)


def _q(tag: str) -> str:
    return f"{{{NS3}}}{tag}"


def _xsi_type(node) -> str:
    value = node.get(f"{{{XSI}}}type", "")
    return value.rsplit(":", 1)[-1]


def _lang_literal(node) -> ox.Literal:
    text = node.text or ""
    lang = node.get(f"{{{XML}}}lang")
    if lang:
        try:
            return ox.Literal(text, language=lang)
        except ValueError:
            pass  # an invalid tag: keep the text rather than drop it
    return ox.Literal(text)


def read_archimate(path, *, base: str | None = None, data: bytes | None = None) -> ImportedModel:
    """Read an ArchiMate 3.x exchange file into RDF triples.

    An ArchiMate 2.1 file or any other XML raises :class:`InputError` (one line).
    """
    from .reading import read_bytes

    path = Path(path)
    if data is None:
        data = read_bytes(path)
    root = _parse_xml(data, path)
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if ns == NS2:
        raise InputError("ArchiMate 2.1 exchange format (namespace "
                         f"{NS2}) is not supported; export the model as ArchiMate 3.x "
                         "(Open Exchange Format 3.0/3.1)", path=path)
    if ns != NS3 or local != "model":
        found = f"{{{ns}}}{local}" if ns else local
        raise InputError(f"not an ArchiMate 3.x model exchange file: root element is {found}, "
                         f"expected {{{NS3}}}model", path=path)
    return _Reader(root, path, base).run()


class _Reader:
    def __init__(self, root, path: Path, base: str | None):
        self.root = root
        self.path = path
        model_id = root.get("identifier")
        if not model_id:
            raise InputError("the model has no identifier attribute", path=path)
        self.base = base if base is not None else f"{DEFAULT_BASE}{model_id}/"
        try:
            self.model = ox.NamedNode(self.base + model_id)
        except ValueError:
            raise InputError(f"base {self.base!r} does not make valid IRIs", path=path) from None
        self.triples: list[ox.Triple] = []
        self.known: set[str] = set()
        self.propdefs: dict[str, tuple[ox.NamedNode, str]] = {}
        self.names: dict[str, list[str]] = {}

    def iri(self, identifier: str | None) -> ox.NamedNode:
        if not identifier:
            raise InputError("an element, relationship, view or property definition has no "
                             "identifier (or refers to none)", path=self.path)
        try:
            return ox.NamedNode(self.base + identifier)
        except ValueError:  # xs:ID allows no spaces, no <>"{}|^`\
            raise InputError(f"identifier {identifier!r} is not a valid xs:ID (no spaces or "
                             "<>\"{}|^`\\ allowed)", path=self.path) from None

    def register(self, identifier: str | None) -> None:
        if identifier in self.known:  # xs:ID: unique; a second one would fuse two concepts
            raise InputError(f"identifier {identifier!r} is used twice", path=self.path)
        self.iri(identifier)
        self.known.add(identifier)

    def add(self, s, p, o) -> None:
        self.triples.append(ox.Triple(s, p, o))

    def texts(self, node, subject, *, names=NAME, docs=DOC, identifier=None) -> None:
        for child in node.findall(_q("name")):
            literal = _lang_literal(child)
            self.add(subject, names, literal)
            if identifier is not None:
                self.names.setdefault(identifier, []).append(literal.value)
        for child in node.findall(_q("documentation")):
            self.add(subject, docs, _lang_literal(child))

    def properties(self, node, subject, owner_id: str) -> None:
        container = node.find(_q("properties"))
        if container is None:
            return
        for n, prop in enumerate(container.findall(_q("property")), start=1):
            ref = prop.get("propertyDefinitionRef")
            if ref not in self.propdefs:
                raise InputError(f"property of {owner_id} refers to an undefined property "
                                 f"definition {ref!r}", path=self.path)
            definition, key = self.propdefs[ref]
            pnode = ox.NamedNode(f"{subject.value}/property/{n}")
            self.add(subject, HAS_PROPERTY, pnode)
            self.add(pnode, A, _a("Property"))
            self.add(pnode, _a("propertyKey"), ox.Literal(key))
            self.add(pnode, _e("propertyDefinition"), definition)
            for value in prop.findall(_q("value")):
                self.add(pnode, _a("propertyValue"), _lang_literal(value))

    def run(self) -> ImportedModel:
        root, model = self.root, self.model
        self.add(model, A, _a("Model"))
        self.add(model, IDENTIFIER, ox.Literal(root.get("identifier")))
        if root.get("version"):
            self.add(model, ox.NamedNode(DCTERMS + "hasVersion"), ox.Literal(root.get("version")))
        self.texts(root, model)
        metadata = root.find(_q("metadata"))
        if metadata is not None:  # Dublin Core metadata, kept in its own vocabulary
            for child in metadata:
                if child.tag.startswith(f"{{{DC}}}") and (child.text or "").strip():
                    self.add(model, ox.NamedNode(DC + child.tag.split("}")[1]),
                             ox.Literal(child.text.strip()))

        definitions = root.find(_q("propertyDefinitions"))
        count_defs = 0
        for pd in [] if definitions is None else definitions.findall(_q("propertyDefinition")):
            pid = pd.get("identifier")
            node = self.iri(pid)
            names = [c.text or "" for c in pd.findall(_q("name"))]
            self.propdefs[pid] = (node, names[0] if names else pid)
            self.add(node, A, _e("PropertyDefinition"))
            self.add(node, IDENTIFIER, ox.Literal(pid))
            self.add(node, _e("valueType"), ox.Literal(pd.get("type", "string")))
            self.texts(pd, node)
            count_defs += 1
        self.properties(root, model, root.get("identifier"))

        elements = root.find(_q("elements"))
        count_elements = 0
        for el in [] if elements is None else elements.findall(_q("element")):
            self.element(el)
            count_elements += 1
        relationships = root.find(_q("relationships"))
        rels = [] if relationships is None else relationships.findall(_q("relationship"))
        for rel in rels:  # register all first: a relationship may point at another one
            self.register(rel.get("identifier"))
        for rel in rels:
            self.relationship(rel)

        organizations = root.find(_q("organizations"))
        if organizations is not None:
            for n, item in enumerate(organizations.findall(_q("item")), start=1):
                self.organization(item, model, f"organization/{n}")
        count_views = 0
        views = root.find(_q("views"))
        diagrams = None if views is None else views.find(_q("diagrams"))
        for view in [] if diagrams is None else diagrams.findall(_q("view")):
            self.view(view)
            count_views += 1
        # Two relationships of one type between the same ends share their direct edge.
        return ImportedModel(list(dict.fromkeys(self.triples)), model, self.base, count_elements, len(rels),
                             count_views, count_defs, self.names)

    def element(self, el) -> None:
        eid, kind = el.get("identifier"), _xsi_type(el)
        self.register(eid)
        node = self.iri(eid)
        if kind in JUNCTIONS:
            self.add(node, A, _a("Junction"))
            self.add(node, _a("junctionType"), ox.Literal(JUNCTIONS[kind]))
        elif kind in ELEMENTS:
            self.add(node, A, _a(kind))
        else:
            raise InputError(f"element {eid} has unknown ArchiMate 3.x type {kind!r}",
                             path=self.path)
        self.add(self.model, HAS_CONCEPT, node)
        self.add(node, IDENTIFIER, ox.Literal(eid))
        self.texts(el, node, identifier=eid)
        self.properties(el, node, eid)

    def relationship(self, rel) -> None:
        rid, kind = rel.get("identifier"), _xsi_type(rel)
        if kind not in RELATIONSHIPS:
            raise InputError(f"relationship {rid} has unknown ArchiMate 3.x type {kind!r}",
                             path=self.path)
        ends = []
        for end in ("source", "target"):
            ref = rel.get(end)
            if ref not in self.known:
                raise InputError(f"relationship {rid}: {end} {ref!r} is not an element or "
                                 f"relationship of the model", path=self.path)
            ends.append(self.iri(ref))
        node, prop = self.iri(rid), _a(RELATIONSHIPS[kind])
        source, target = ends
        self.add(source, prop, target)  # the direct edge queries follow
        self.add(node, A, _a("Relationship"))
        self.add(node, A, ox.NamedNode(RDF + "Statement"))
        self.add(node, ox.NamedNode(RDF + "subject"), source)
        self.add(node, ox.NamedNode(RDF + "predicate"), prop)
        self.add(node, ox.NamedNode(RDF + "object"), target)
        self.add(self.model, HAS_CONCEPT, node)
        self.add(node, IDENTIFIER, ox.Literal(rid))
        if kind == "Access":
            self.add(node, _a("accessType"),
                     ox.Literal(ACCESS_TYPES.get(rel.get("accessType", "Access"), "unspecified")))
        if kind == "Influence" and rel.get("modifier") is not None:
            self.add(node, _a("influenceModifier"), ox.Literal(rel.get("modifier")))
        if kind == "Association":
            directed = rel.get("isDirected", "false") in ("true", "1")
            self.add(node, _a("isDirected"),
                     ox.Literal("true" if directed else "false",
                                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))
        self.texts(rel, node, identifier=rid)
        self.properties(rel, node, rid)

    def organization(self, item, parent, path: str) -> None:
        todo = [(item, parent, path)]  # a stack, not recursion: folders may nest thousands deep
        while todo:
            item, parent, path = todo.pop()
            ref = item.get("identifierRef")
            if ref is not None:
                self.add(parent, HAS_PART, self.iri(ref))
                continue
            node = self.iri(item.get("identifier")) if item.get("identifier") else \
                ox.NamedNode(self.base + path)
            self.add(parent, HAS_PART, node)
            self.add(node, A, _e("Folder"))
            for label in item.findall(_q("label")):
                self.add(node, LABEL, _lang_literal(label))
            for doc in item.findall(_q("documentation")):
                self.add(node, DOC, _lang_literal(doc))
            for n, child in enumerate(item.findall(_q("item")), start=1):
                todo.append((child, node, f"{path}-{n}"))

    def view(self, view) -> None:
        vid = view.get("identifier")
        node = self.iri(vid)
        self.add(node, A, _a("ArchiMateView"))
        self.add(self.model, HAS_CONCEPT, node)
        self.add(node, IDENTIFIER, ox.Literal(vid))
        if view.get("viewpoint"):
            self.add(node, _e("viewpoint"), ox.Literal(view.get("viewpoint")))
        self.texts(view, node)
        self.properties(view, node, vid)
        shown = set()
        for child in view.iter():
            for attr in ("elementRef", "relationshipRef"):
                ref = child.get(attr)
                if ref is not None and ref not in shown:
                    shown.add(ref)
                    self.add(node, REFERENCES, self.iri(ref))


# -- export ----------------------------------------------------------------------

EXPORT_MODEL_ID = "id-etom-kg-crm"
_PROPERTY_DEFINITIONS = (  # identifier, name (the alignment rules read these keys back)
    ("pd-etom-id", "eTOM process ID"),
    ("pd-iri", "etom-kg IRI"),
    ("pd-tam-id", "TAM application ID"),
    ("pd-sid-abe", "SID ABE"),
)


def _xml_id(iri: str, prefix: str = "") -> str:
    """A stable xs:ID from an IRI's last segment (``…/process/P1-1-1-5`` → ``id-P1-1-1-5``)."""
    local = re.sub(r"[^A-Za-z0-9_.-]", "-", iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return f"id-{prefix}{local}"


def _id_key(text: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.\s]", text)]


def export_archimate(kg, root: str = "1.1.1", *, with_links: bool = False) -> bytes:
    """The decomposition under process ``root`` as an ArchiMate 3.1 exchange file.

    Level-1 groupings become BusinessFunctions, process elements BusinessProcesses,
    joined by composition; names and documentation in ru and en; the eTOM ID and
    the etom-kg IRI as properties. ``with_links`` adds the TAM application types
    (ApplicationComponent, serving) and SID ABEs (BusinessObject, access) linked
    to the processes. Identifiers derive from the IRIs: the same graph gives the
    same bytes.
    """
    import xml.etree.ElementTree as ET

    from ..core.errors import UnknownProcess

    rows = kg.sparql("""SELECT ?p ?id ?parent ?element WHERE {
            ?r skos:notation ?root .
            ?p skos:broader* ?r ; skos:notation ?id .
            FILTER(DATATYPE(?id) = etom:ProcessId)
            OPTIONAL { ?p skos:broader ?parent FILTER EXISTS { ?parent skos:broader* ?r } }
            BIND(EXISTS { ?p a etom:ProcessElement } AS ?element) }""",
                     {"root": ox.Literal(root, datatype=ox.NamedNode(ETOM + "ProcessId"))})
    if not rows:
        raise UnknownProcess(root)
    processes = sorted({(r.id, r.p, r.parent, r.element) for r in rows},
                       key=lambda t: _id_key(t[0]))
    texts = _texts(kg, [p for _, p, _, _ in processes])

    ET.register_namespace("", NS3)
    ET.register_namespace("xsi", XSI)
    q = _q
    model = ET.Element(q("model"), {"identifier": EXPORT_MODEL_ID})
    model.set(f"{{{XSI}}}schemaLocation",
              f"{NS3} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd")
    _names(model, {"en": f"eTOM {root} decomposition (etom-kg)",
                   "ru": f"Декомпозиция eTOM {root} (etom-kg)"}, q)
    doc = ET.SubElement(model, q("documentation"), {f"{{{XML}}}lang": "en"})
    doc.text = ("Exported from etom-kg: process groupings as business functions, process "
                "elements as business processes, composition for decomposition.")
    elements = ET.SubElement(model, q("elements"))
    relationships = ET.SubElement(model, q("relationships"))
    used_defs = {"pd-etom-id", "pd-iri"}
    rels: list[tuple[str, str, str, str, dict]] = []
    for pid, iri, parent, is_element in processes:
        el = ET.SubElement(elements, q("element"), {
            "identifier": _xml_id(iri),
            f"{{{XSI}}}type": "BusinessProcess" if is_element else "BusinessFunction"})
        _names(el, texts[iri]["names"], q)
        for lang, text in sorted(texts[iri]["docs"].items()):
            d = ET.SubElement(el, q("documentation"), {f"{{{XML}}}lang": lang})
            d.text = text
        _properties(el, [("pd-etom-id", pid), ("pd-iri", iri)], q)
        if parent:
            rels.append(("Composition", _xml_id(parent), _xml_id(iri), "composition", {}))
    if with_links:
        links = _links(kg, [iri for _, iri, _, _ in processes])
        for target, info in sorted(links["targets"].items()):
            el = ET.SubElement(elements, q("element"), {
                "identifier": info["xml_id"], f"{{{XSI}}}type": info["type"]})
            _names(el, info["names"], q)
            _properties(el, info["props"] + [("pd-iri", target)], q)
            used_defs.update(k for k, _ in info["props"])
        for kind, source, target in sorted(links["relations"]):
            rels.append((kind, source, target, kind.lower(), {}))
    for kind, source, target, word, attrs in rels:
        ET.SubElement(relationships, q("relationship"), {
            "identifier": f"id-rel-{word}-{source[3:]}-{target[3:]}",
            "source": source, "target": target, f"{{{XSI}}}type": kind, **attrs})
    definitions = ET.SubElement(model, q("propertyDefinitions"))
    for pd_id, pd_name in _PROPERTY_DEFINITIONS:
        if pd_id in used_defs:
            pd = ET.SubElement(definitions, q("propertyDefinition"),
                               {"identifier": pd_id, "type": "string"})
            ET.SubElement(pd, q("name")).text = pd_name
    ET.indent(model)
    return ET.tostring(model, encoding="utf-8", xml_declaration=True) + b"\n"


def _names(parent, names: dict[str, str], q) -> None:
    import xml.etree.ElementTree as ET

    for lang in sorted(names, key=lambda lang: (lang != "ru", lang)):
        ET.SubElement(parent, q("name"), {f"{{{XML}}}lang": lang}).text = names[lang]


def _properties(parent, pairs, q) -> None:
    import xml.etree.ElementTree as ET

    box = ET.SubElement(parent, q("properties"))
    for ref, value in pairs:
        prop = ET.SubElement(box, q("property"), {"propertyDefinitionRef": ref})
        ET.SubElement(prop, q("value")).text = value


def _texts(kg, iris) -> dict[str, dict]:
    out = {iri: {"names": {}, "docs": {}} for iri in iris}
    for r in kg.sparql("""SELECT ?p ?label ?definition WHERE {
            ?p skos:prefLabel ?label . OPTIONAL { ?p skos:definition ?definition
            FILTER(LANG(?definition) = LANG(?label)) } }"""):
        if r.p in out:
            lang = r.language("label") or "en"
            out[r.p]["names"].setdefault(lang, r.label)
            if r.definition:
                out[r.p]["docs"].setdefault(lang, r.definition)
    return out


def _links(kg, process_iris) -> dict:
    """TAM application types and SID ABEs linked to the processes (links/*.ttl)."""
    wanted = set(process_iris)
    targets: dict[str, dict] = {}
    relations = set()
    for r in kg.sparql("""SELECT ?p ?x ?class ?notation ?label WHERE {
            VALUES ?linkClass { etom:ProcessApplicationLink etom:ProcessDataLink }
            ?link a ?linkClass ; etom:linkSubject ?p ; etom:linkObject ?x .
            VALUES ?class { etom:TamApplicationType etom:SidAbe }
            ?x a ?class ; skos:prefLabel ?label .
            OPTIONAL { ?x skos:notation ?notation } }"""):
        if r.p not in wanted:
            continue
        tam = r.get("class") == ETOM + "TamApplicationType"
        info = targets.setdefault(r.x, {
            "xml_id": _xml_id(r.x, "tam-" if tam else "sid-"),
            "type": "ApplicationComponent" if tam else "BusinessObject",
            "names": {}, "props": []})
        lang = r.language("label") or "en"
        label = f"{r.notation} {r.label}" if tam and r.notation else r.label
        info["names"].setdefault(lang, label)
        if tam and r.notation and ("pd-tam-id", r.notation) not in info["props"]:
            info["props"].append(("pd-tam-id", r.notation))
        if not tam and lang == "en":
            info["props"] = [("pd-sid-abe", r.label)]
        if tam:
            relations.add(("Serving", info["xml_id"], _xml_id(r.p)))
        else:
            relations.add(("Access", _xml_id(r.p), info["xml_id"]))
    return {"targets": targets, "relations": relations}


def validate_exchange(data: bytes, schema_dir) -> list[str]:
    """Errors of an exchange file against the 3.1 XSDs in ``schema_dir`` (empty = valid).

    Offline: the schemas' imports of ``http://www.w3.org/2001/xml.xsd`` are
    redirected to ``schema_dir/xml.xsd``; nothing is ever fetched. Needs the
    optional ``xmlschema`` package.
    """
    import xmlschema

    schema = _schema(str(Path(schema_dir).resolve()))
    try:
        return [f"{e.path}: {e.reason}" for e in schema.iter_errors(data.decode("utf-8"))]
    except xmlschema.XMLSchemaException as exc:  # e.g. an xsi:type the schema lacks
        return [" ".join(str(exc).split())]


@lru_cache(maxsize=4)
def _schema(schema_dir: str):
    import xmlschema

    folder = Path(schema_dir)
    local_xml = (folder / "xml.xsd").as_uri()
    mapping = {"http://www.w3.org/2001/xml.xsd": local_xml,
               "http://www.w3.org/2001/03/xml.xsd": local_xml}
    return xmlschema.XMLSchema(
        [str(folder / "archimate3_Diagram.xsd"), str(folder / "dc.xsd")],
        uri_mapper=lambda uri: mapping.get(uri, uri), allow="local", defuse="always")
