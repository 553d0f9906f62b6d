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
lacks use ``ea:`` terms declared in ``ontology/enterprise.ttl``:

* property definitions (``ea:PropertyDefinition``, ``ea:hasPropertyDefinition``);
  properties are nodes ``<owner>/property/<n>`` in file order;
* organization folders (``ea:Folder``, ``dcterms:hasPart``, ``ea:position``;
  unnamed folders are ``<base>organization/<n>[-<m>…]``);
* views: ``archimate:ArchiMateView`` with ``ea:viewpoint``; every diagram node
  (``ea:ElementNode`` / ``ea:ContainerNode`` / ``ea:LabelNode``) and connection
  (``ea:RelationshipConnection`` / ``ea:LineConnection``) is an IRI from its
  identifier with ``ea:inView``, ``ea:position`` (drawing order among its
  siblings), ``ea:parentNode`` (nesting), ``ea:x/y/w/h`` (xsd:integer),
  ``ea:elementRef`` / ``ea:relationshipRef`` / ``ea:conceptRef``,
  ``ea:sourceNode`` / ``ea:targetNode``, ``ea:bendpoints "x,y x,y"``,
  ``ea:source/targetAttachment``, ``ea:label`` (with language),
  ``ea:viewRef``, and the style as ``ea:lineColor`` / ``ea:fillColor`` /
  ``ea:fontColor`` ("#rrggbb") with ``ea:*Alpha``, ``ea:lineWidth``,
  ``ea:fontName/Size/Style`` (``ea:hasFont`` keeps an empty font);
* metadata: Dublin Core as ``dc:`` triples, ``ea:metadataSchema(Version)``;
  content from other namespaces (the schema's ``any``) and viewpoint
  definitions are kept verbatim as ``rdf:XMLLiteral``.

:mod:`etom_kg.io.archimate_export` writes all of it back; import → export →
import gives the same triples (tests/test_archimate_roundtrip.py).

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
ARCHI = "http://www.archimatetool.com/archimate"  # Archi's native .archimate files
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
BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XML_LITERAL = ox.NamedNode(RDF + "XMLLiteral")
POSITION, IN_VIEW = _e("position"), _e("inView")
# Diagram node and connection types (xsi:type) → ea: classes.
NODE_TYPES = {"Element": "ElementNode", "Container": "ContainerNode", "Label": "LabelNode"}
CONNECTION_TYPES = {"Relationship": "RelationshipConnection", "Line": "LineConnection",
                    "NestingRelationship": "NestingConnection"}


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
    duplicates: list[str] = field(default_factory=list)  # identifiers used twice, described

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
    return root_namespace(head) in (NS3, NS2, ARCHI)


def load_archimate(store: ox.Store, path, graph=None, *, base: str | None = None):
    """Read an exchange (or Archi) file into ``store``, in ``graph``; return the model."""
    model = read_archimate(path, base=base)
    graph = graph if graph is not None else ox.DefaultGraph()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in model.triples)
    return model


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
    if data.startswith(b"PK"):  # a zipped Archi model (one with images)
        from .archimate_native import unzip

        data = unzip(data, path)
    root = _parse_xml(data, path)
    ns, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if ns == ARCHI:
        from .archimate_native import read_native

        return read_native(root, path, base)
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
        self.seen_ids: dict[str, str] = {}   # identifier → what first carried it
        self.propdefs: dict[str, tuple[ox.NamedNode, str]] = {}
        self.names: dict[str, list[str]] = {}
        self.duplicates: list[str] = []

    def iri(self, identifier: str) -> ox.NamedNode:
        try:
            return ox.NamedNode(self.base + identifier)
        except ValueError:
            raise InputError(f"identifier {identifier!r} does not make a valid IRI",
                             path=self.path) from None

    def add(self, s, p, o) -> None:
        self.triples.append(ox.Triple(s, p, o))

    def claim(self, identifier: str | None, what: str) -> None:
        """Note an identifier; a second concept with the same one is reported, not fused."""
        if not identifier:
            raise InputError(f"a {what} has no identifier attribute", path=self.path)
        if identifier in self.seen_ids:
            self.duplicates.append(f"{identifier} ({self.seen_ids[identifier]} and {what})")
        else:
            self.seen_ids[identifier] = what

    def texts(self, node, subject, *, names=NAME, docs=DOC, identifier=None, tag="name") -> None:
        for child in node.findall(_q(tag)):
            literal = _lang_literal(child)
            self.add(subject, names, literal)
            if identifier is not None:
                self.names.setdefault(identifier, []).append(literal.value)
        for child in node.findall(_q("documentation")):
            self.add(subject, docs, _lang_literal(child))

    def extensions(self, node, subject, prop: str = "extension") -> None:
        """Children from other namespaces (the schema's ``any``), kept as XML literals."""
        import xml.etree.ElementTree as ET

        for child in node:
            if not isinstance(child.tag, str) or child.tag.startswith(f"{{{NS3}}}") or \
                    (prop == "metadataExtension" and child.tag.startswith(f"{{{DC}}}")):
                continue  # Dublin Core metadata has triples of its own
            text = ET.tostring(child, encoding="unicode").strip()
            self.add(subject, _e(prop), ox.Literal(text, datatype=XML_LITERAL))

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
        self.claim(root.get("identifier"), "model")
        if root.get("version") is not None:
            self.add(model, ox.NamedNode(DCTERMS + "hasVersion"), ox.Literal(root.get("version")))
        self.texts(root, model)
        self.extensions(root, model)
        metadata = root.find(_q("metadata"))
        if metadata is not None:  # Dublin Core metadata, kept in its own vocabulary
            self.add(model, _e("hasMetadata"), ox.Literal("true", datatype=BOOLEAN))
            for tag, prop in (("schema", "metadataSchema"),
                              ("schemaversion", "metadataSchemaVersion")):
                child = metadata.find(_q(tag))
                if child is not None:
                    self.add(model, _e(prop), ox.Literal(child.text or ""))
            for child in metadata:
                if child.tag.startswith(f"{{{DC}}}") and (child.text or "").strip():
                    self.add(model, ox.NamedNode(DC + child.tag.split("}")[1]),
                             ox.Literal(child.text.strip()))
            self.extensions(metadata, model, "metadataExtension")

        definitions = root.find(_q("propertyDefinitions"))
        count_defs = 0
        for pd in [] if definitions is None else definitions.findall(_q("propertyDefinition")):
            pid = pd.get("identifier")
            self.claim(pid, "property definition")
            node = self.iri(pid)
            names = [c.text or "" for c in pd.findall(_q("name"))]
            self.propdefs[pid] = (node, names[0] if names else pid)
            self.add(model, _e("hasPropertyDefinition"), node)
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
            self.claim(rel.get("identifier"), f"{_xsi_type(rel) or 'untyped'} relationship")
            self.known.add(rel.get("identifier"))
        for rel in rels:
            self.relationship(rel)

        views = root.find(_q("views"))
        diagrams = None if views is None else views.find(_q("diagrams"))
        view_list = [] if diagrams is None else diagrams.findall(_q("view"))
        for view in view_list:
            self.claim(view.get("identifier"), "view")
            self.known.add(view.get("identifier"))
        if views is not None:
            viewpoints = views.find(_q("viewpoints"))
            if viewpoints is not None:  # viewpoint definitions: rare; kept verbatim
                import xml.etree.ElementTree as ET

                self.add(model, _e("viewpoints"),
                         ox.Literal(ET.tostring(viewpoints, encoding="unicode").strip(),
                                    datatype=XML_LITERAL))
        n = 0
        for organizations in root.findall(_q("organizations")):
            for item in organizations.findall(_q("item")):
                if item.get("identifierRef") is None:
                    n += 1
                self.organization(item, model, n, "organization")
        count_views = 0
        for view in view_list:
            self.view(view)
            count_views += 1
        # Two relationships of one type between the same ends share their direct edge.
        return ImportedModel(list(dict.fromkeys(self.triples)), model, self.base, count_elements,
                             len(rels), count_views, count_defs, self.names,
                             duplicates=self.duplicates)

    def element(self, el) -> None:
        eid, kind = el.get("identifier"), _xsi_type(el)
        self.claim(eid, kind or "untyped element")
        node = self.iri(eid)
        if kind in JUNCTIONS:
            self.add(node, A, _a("Junction"))
            self.add(node, _a("junctionType"), ox.Literal(JUNCTIONS[kind]))
        elif kind in ELEMENTS:
            self.add(node, A, _a(kind))
        else:
            raise InputError(f"element {eid} has unknown ArchiMate 3.x type {kind!r}",
                             path=self.path)
        self.known.add(eid)
        self.add(self.model, HAS_CONCEPT, node)
        self.add(node, IDENTIFIER, ox.Literal(eid))
        self.texts(el, node, identifier=eid)
        self.extensions(el, node)
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
                     ox.Literal("true" if directed else "false", datatype=BOOLEAN))
        self.texts(rel, node, identifier=rid)
        self.extensions(rel, node)
        self.properties(rel, node, rid)

    def organization(self, item, parent, n: int, path: str) -> None:
        # A stack, not recursion: folders may nest thousands deep (RecursionError before).
        todo = [(item, parent, n, path)]
        while todo:
            item, parent, n, path = todo.pop()
            ref = item.get("identifierRef")
            if ref is not None:
                if ref not in self.known:
                    raise InputError(f"organization item refers to {ref!r}, which is not an "
                                     f"element, relationship or view of the model",
                                     path=self.path)
                self.add(parent, HAS_PART, self.iri(ref))
                continue
            path = f"{path}-{n}" if "/" in path else f"{path}/{n}"
            if item.get("identifier"):
                self.claim(item.get("identifier"), "organization folder")
            node = self.iri(item.get("identifier")) if item.get("identifier") else \
                ox.NamedNode(self.base + path)
            self.add(parent, HAS_PART, node)
            self.add(node, A, _e("Folder"))
            self.add(node, POSITION, _int(n))
            if item.get("identifier"):
                self.add(node, IDENTIFIER, ox.Literal(item.get("identifier")))
            for label in item.findall(_q("label")):
                self.add(node, LABEL, _lang_literal(label))
            for doc in item.findall(_q("documentation")):
                self.add(node, DOC, _lang_literal(doc))
            k, children = 0, []
            for child in item.findall(_q("item")):
                if child.get("identifierRef") is None:
                    k += 1
                children.append((child, node, k, path))
            todo.extend(reversed(children))  # the order recursion visited them in

    def view(self, view) -> None:
        vid = view.get("identifier")
        node = self.iri(vid)
        self.add(node, A, _a("ArchiMateView"))
        self.add(self.model, HAS_CONCEPT, node)
        self.add(node, IDENTIFIER, ox.Literal(vid))
        if view.get("viewpoint"):
            self.add(node, _e("viewpoint"), ox.Literal(view.get("viewpoint")))
        if view.get("viewpointRef"):
            self.add(node, _e("viewpointRef"), ox.Literal(view.get("viewpointRef")))
        self.texts(view, node)
        self.extensions(view, node)
        self.properties(view, node, vid)
        shown = set()
        for child in view.iter():
            for attr in ("elementRef", "relationshipRef"):
                ref = child.get(attr)
                if ref is not None and ref not in shown:
                    shown.add(ref)
                    self.add(node, REFERENCES, self.iri(ref))
        nodes = {}
        for n, child in enumerate(view.findall(_q("node")), start=1):
            self.diagram_node(child, node, node, n, nodes)
        connections = view.findall(_q("connection"))
        for child in connections:
            nodes[child.get("identifier")] = None
        for n, child in enumerate(connections, start=1):
            for end in ("source", "target"):
                if child.get(end) is not None and child.get(end) not in nodes:
                    raise InputError(f"diagram connection {child.get('identifier')}: {end} "
                                     f"{child.get(end)!r} is not a node or connection of view "
                                     f"{vid}", path=self.path)
            self.connection(child, node, n, nodes)

    def _concept(self, item, view, n: int, kind: str) -> ox.NamedNode:
        """What diagram nodes and connections share: identity, labels, style, view refs."""
        nid = item.get("identifier")
        if not nid:
            raise InputError(f"a diagram {kind} in view {view.value[len(self.base):]} has no "
                             "identifier", path=self.path)
        self.claim(nid, f"diagram {kind}")
        node = self.iri(nid)
        self.add(node, IDENTIFIER, ox.Literal(nid))
        self.add(node, IN_VIEW, view)
        self.add(node, POSITION, _int(n))
        self.texts(item, node, names=_e("label"), tag="label")
        style = item.find(_q("style"))
        if style is not None:
            self.style(style, node)
        for ref in item.findall(_q("viewRef")):
            if ref.get("ref") not in self.known:
                raise InputError(f"diagram {kind} {nid} refers to view {ref.get('ref')!r}, "
                                 "which the model lacks", path=self.path)
            self.add(node, _e("viewRef"), self.iri(ref.get("ref")))
        return node

    def diagram_node(self, item, view, parent, n: int, nodes: dict) -> None:
        kind = _xsi_type(item)
        if kind not in NODE_TYPES:
            raise InputError(f"diagram node {item.get('identifier')} has unknown type "
                             f"{kind!r} (expected Element, Container or Label)", path=self.path)
        node = self._concept(item, view, n, "node")
        nodes[item.get("identifier")] = node
        self.add(node, A, _e(NODE_TYPES[kind]))
        if parent != view:
            self.add(node, _e("parentNode"), parent)
        for attr in ("x", "y", "w", "h"):
            if item.get(attr) is not None:
                self.add(node, _e(attr), _number(item.get(attr)))
        for attr, prop in (("elementRef", "elementRef"), ("conceptRef", "conceptRef")):
            ref = item.get(attr)
            if ref is not None:
                if ref not in self.known:
                    raise InputError(f"diagram node {item.get('identifier')} shows {ref!r}, "
                                     "which is not a concept of the model", path=self.path)
                self.add(node, _e(prop), self.iri(ref))
        if item.get("xpathPart") is not None:
            self.add(node, _e("xpathPart"), ox.Literal(item.get("xpathPart")))
        for k, child in enumerate(item.findall(_q("node")), start=1):
            self.diagram_node(child, view, node, k, nodes)

    def connection(self, item, view, n: int, nodes: dict) -> None:
        kind = _xsi_type(item)
        if kind not in CONNECTION_TYPES:
            raise InputError(f"diagram connection {item.get('identifier')} has unknown type "
                             f"{kind!r} (expected Relationship or Line)", path=self.path)
        node = self._concept(item, view, n, "connection")
        nodes[item.get("identifier")] = node
        self.add(node, A, _e(CONNECTION_TYPES[kind]))
        ref = item.get("relationshipRef")
        if ref is not None:
            if ref not in self.known:
                raise InputError(f"diagram connection {item.get('identifier')} shows {ref!r}, "
                                 "which is not a relationship of the model", path=self.path)
            self.add(node, _e("relationshipRef"), self.iri(ref))
        for end in ("source", "target"):
            if item.get(end) is not None:  # a connection may end at a node or a connection
                self.add(node, _e(end + "Node"), self.iri(item.get(end)))
        points = [f"{p.get('x')},{p.get('y')}" for p in item.findall(_q("bendpoint"))]
        if points:
            self.add(node, _e("bendpoints"), ox.Literal(" ".join(points)))
        for tag in ("sourceAttachment", "targetAttachment"):
            point = item.find(_q(tag))
            if point is not None:
                self.add(node, _e(tag), ox.Literal(f"{point.get('x')},{point.get('y')}"))

    def style(self, style, node) -> None:
        if style.get("lineWidth") is not None:
            self.add(node, _e("lineWidth"), _number(style.get("lineWidth")))
        for tag in ("lineColor", "fillColor"):
            self.color(style.find(_q(tag)), node, tag)
        font = style.find(_q("font"))
        if font is not None:
            self.add(node, _e("hasFont"), ox.Literal("true", datatype=BOOLEAN))
            for attr, prop in (("name", "fontName"), ("size", "fontSize"),
                               ("style", "fontStyle")):
                if font.get(attr) is not None:
                    self.add(node, _e(prop), ox.Literal(font.get(attr)))
            self.color(font.find(_q("color")), node, "fontColor")

    def color(self, item, node, prop: str) -> None:
        if item is None:
            return
        try:
            rgb = [int(item.get(c)) for c in "rgb"]
            text = "#" + "".join(f"{v:02x}" for v in rgb)
            if not all(0 <= v <= 255 for v in rgb):
                raise ValueError
        except (TypeError, ValueError):
            raise InputError(f"{prop} of diagram item {node.value[len(self.base):]} is not an "
                             "RGB colour (r, g, b from 0 to 255)", path=self.path) from None
        self.add(node, _e(prop), ox.Literal(text))
        if item.get("a") is not None:
            self.add(node, _e(prop.replace("Color", "Alpha")), _number(item.get("a")))


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=INTEGER)


def _number(text: str) -> ox.Literal:
    """An integer attribute as xsd:integer; anything else kept as written."""
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(str(int(text)), datatype=INTEGER)
    return ox.Literal(text)


# -- export (etom_kg.io.archimate_export; kept importable from here) ----------------------


def export_archimate(kg, root: str = "1.1.1", *, with_links: bool = False) -> bytes:
    """The decomposition under process ``root`` as an exchange file (see archimate_export)."""
    from .archimate_export import export_archimate as _export

    return _export(kg, root, with_links=with_links)


def validate_exchange(data: bytes, schema_dir) -> list[str]:
    """Errors of an exchange file against the 3.1 XSDs in ``schema_dir`` (empty = valid)."""
    from .archimate_export import validate_exchange as _validate

    return _validate(data, schema_dir)
