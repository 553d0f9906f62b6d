"""RDF → ArchiMate Model Exchange File Format 3.1 (the way back to the architect's tool).

Two exports live here:

* :func:`export_model` writes models read by :mod:`etom_kg.io.archimate` back
  as exchange XML — every element, relationship, property, property
  definition, organization folder and view with its diagram (nodes, bounds,
  connections, bendpoints, styles, labels, groups) — plus, when the graph holds
  an alignment (``etom-kg merge``), the eTOM / ODA / TAM / SID resources the
  model was aligned with (in a folder of their own) and each alignment as a
  directed Association carrying the eTOM ID, confidence and basis as
  properties; optionally a generated view "eTOM alignment".
* :func:`export_archimate` writes the standard's decomposition under a process
  (optionally with the TM Forum application and data links).

:func:`validate_exchange` checks a file against the official 3.1 schemas, from
a local folder only (nothing is ever fetched).
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import InputError, UsageError
from ..core.namespaces import BASE, DCTERMS, ETOM, RDF, RDFS, SKOS
from .archimate import (ACCESS_TYPES, ARCHIMATE, CONNECTION_TYPES, DC, EA, JUNCTIONS,
                        NODE_TYPES, NS3, RELATIONSHIPS, XML, XSI)

SCHEMA_LOCATION = f"{NS3} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
_A = ox.NamedNode(RDF + "type")
EA_BASE = BASE + "ea/"  # imported models: not etom-kg resources


def _q(tag: str) -> str:
    return f"{{{NS3}}}{tag}"


def _am(local: str) -> ox.NamedNode:
    return ox.NamedNode(ARCHIMATE + local)


def _ea(local: str) -> ox.NamedNode:
    return ox.NamedNode(EA + local)


_RELATIONSHIP_TYPE = {ARCHIMATE + prop: kind for kind, prop in RELATIONSHIPS.items()}
_ACCESS_TYPE = {value: kind for kind, value in ACCESS_TYPES.items() if kind != "Access"}
_JUNCTION_TYPE = {value: kind for kind, value in JUNCTIONS.items()}
_NODE_TYPE = {EA + cls: kind for kind, cls in NODE_TYPES.items()}
_CONNECTION_TYPE = {EA + cls: kind for kind, cls in CONNECTION_TYPES.items()}


class _Store:
    """Pattern look-ups over the union of all graphs (each answer once)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, s, p) -> list:
        return sorted({q.object for q in self.store.quads_for_pattern(s, p, None)}, key=str)

    def one(self, s, p):
        found = self.objects(s, p)
        return found[0] if found else None

    def value(self, s, p, default=None):
        term = self.one(s, p)
        return default if term is None else term.value

    def subjects(self, p, o) -> list:
        return sorted({q.subject for q in self.store.quads_for_pattern(None, p, o)}, key=str)

    def types(self, s) -> set[str]:
        return {t.value for t in self.objects(s, _A)}


def _position(store: _Store, node) -> tuple:
    value = store.value(node, _ea("position"), "0")
    return (int(value) if value.lstrip("-").isdigit() else 0, node.value)


def _write_texts(parent, store: _Store, subject, prop: ox.NamedNode, tag: str) -> None:
    for literal in sorted(store.objects(subject, prop),
                          key=lambda t: (t.language or "", t.value)):
        attrs = {f"{{{XML}}}lang": literal.language} if literal.language else {}
        ET.SubElement(parent, _q(tag), attrs).text = literal.value


def _extensions(parent, store: _Store, subject, prop: str = "extension") -> None:
    for literal in store.objects(subject, _ea(prop)):
        try:
            parent.append(ET.fromstring(literal.value))
        except ET.ParseError:
            raise InputError(f"{subject.value}: ea:{prop} is not well-formed XML") from None


# -- a model read from the graph -------------------------------------------------------

_ETOM_FOLDER = "id-etom-kg-folder"
_ALIGNMENT_VIEW = "id-etom-kg-alignment-view"
_ALIGNMENT_PROPERTIES = (  # key, definition identifier used when the model lacks the key
    ("eTOM ID", "id-etom-kg-pd-etom-id"),
    ("confidence", "id-etom-kg-pd-confidence"),
    ("basis", "id-etom-kg-pd-basis"),
    ("etom-kg IRI", "id-etom-kg-pd-iri"),
)
_CONFIDENCE = {ETOM + "HighConfidence": "high", ETOM + "MediumConfidence": "medium",
               ETOM + "LowConfidence": "low"}


def models_in(store: ox.Store) -> list[str]:
    """IRIs of the ArchiMate models (``archimate:Model``) in the graph, sorted."""
    return [m.value for m in _Store(store).subjects(_A, _am("Model"))]


def export_model(kg, models=None, *, alignment: bool = True, alignment_view: bool = False,
                 warnings: list | None = None) -> bytes:
    """The ArchiMate model(s) of ``kg`` as one exchange file, with their alignment.

    ``models`` selects models by IRI or identifier (default: every model in the
    graph; several are written as one, identified and named as the first).
    With ``alignment`` the eTOM/TM Forum resources the model's elements are
    aligned with (``etom:classifiedUnder`` / ``dcterms:conformsTo``, see
    :mod:`etom_kg.ea.alignment`) are added, with one directed Association per
    alignment; ``alignment_view`` adds a view "eTOM alignment" showing them.
    """
    store = getattr(kg, "store", kg)
    writer = _ModelWriter(_Store(store), _select(store, models), alignment, alignment_view)
    data = writer.run()
    if warnings is not None:
        warnings.extend(writer.warnings)
    return data


def _select(store: ox.Store, wanted) -> list[ox.NamedNode]:
    found = models_in(store)
    if not found:
        raise UsageError("the graph holds no ArchiMate model (archimate:Model) to export; "
                         "give an exchange file or a merged .trig with --data")
    if not wanted:
        return [ox.NamedNode(m) for m in found]
    s, chosen = _Store(store), []
    for w in ([wanted] if isinstance(wanted, str) else wanted):
        match = [m for m in found if m == w or s.value(ox.NamedNode(m), _am("identifier")) == w]
        if not match:
            raise UsageError(f"no model {w!r} in the graph; models: {', '.join(found)}")
        chosen.append(ox.NamedNode(match[0]))
    return chosen


class _ModelWriter:
    def __init__(self, store: _Store, models, alignment: bool, alignment_view: bool):
        self.s = store
        self.models = models
        self.alignment = alignment
        self.alignment_view = alignment_view
        self.warnings: list[str] = []   # what could not be written as it was read
        self.ids: dict[str, str] = {}   # IRI → identifier, for every concept written
        self.owner: dict[str, str] = {}  # identifier → IRI (clash check)

    def ident(self, node) -> str:
        if node.value in self.ids:
            return self.ids[node.value]
        value = self.s.value(node, _am("identifier"))
        if value is None:
            raise InputError(f"{node.value} has no archimate:identifier; it cannot be written "
                             "to an exchange file")
        return value

    def claim(self, node) -> str:
        ident = self.ident(node)
        if self.owner.setdefault(ident, node.value) != node.value:
            raise InputError(f"identifier {ident!r} is used by {self.owner[ident]} and "
                             f"{node.value}; export these models one at a time (--model)")
        self.ids[node.value] = ident
        return ident

    def run(self) -> bytes:
        s, first = self.s, self.models[0]
        ET.register_namespace("", NS3)
        ET.register_namespace("xsi", XSI)
        ET.register_namespace("dc", DC)
        root = ET.Element(_q("model"), {"identifier": self.claim(first)})
        version = s.value(first, ox.NamedNode(DCTERMS + "hasVersion"))
        if version is not None:
            root.set("version", version)
        root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
        _write_texts(root, s, first, _am("name"), "name")
        _write_texts(root, s, first, _am("documentation"), "documentation")
        _extensions(root, s, first)

        concepts = {"element": [], "relationship": [], "view": []}
        for model in self.models:
            for c in s.objects(model, _am("hasConcept")):
                types = s.types(c)
                kind = "relationship" if ARCHIMATE + "Relationship" in types else \
                    "view" if ARCHIMATE + "ArchiMateView" in types else "element"
                concepts[kind].append(c)
        for kind in concepts:
            concepts[kind] = sorted(set(concepts[kind]), key=lambda c: self.ident(c))
            for c in concepts[kind]:
                self.claim(c)
        definitions = sorted({d for m in self.models
                              for d in s.objects(m, _ea("hasPropertyDefinition"))},
                             key=self.ident)
        for d in definitions:
            self.claim(d)
        self.defs = {d.value: self.ident(d) for d in definitions}
        extra = self.aligned(concepts["element"], definitions) if self.alignment else None

        self.properties(root, first)
        if s.one(first, _ea("hasMetadata")) is not None:
            meta = ET.SubElement(root, _q("metadata"))
            for prop, tag in (("metadataSchema", "schema"),
                              ("metadataSchemaVersion", "schemaversion")):
                if s.one(first, _ea(prop)) is not None:
                    ET.SubElement(meta, _q(tag)).text = s.value(first, _ea(prop))
            for q in sorted({q for q in s.store.quads_for_pattern(first, None, None)
                             if q.predicate.value.startswith(DC)},
                            key=lambda q: (q.predicate.value, q.object.value)):
                ET.SubElement(meta, f"{{{DC}}}{q.predicate.value[len(DC):]}").text = \
                    q.object.value
            _extensions(meta, s, first, "metadataExtension")

        if concepts["element"] or extra and extra["elements"]:
            box = ET.SubElement(root, _q("elements"))
            for c in concepts["element"]:
                self.element(box, c)
            for item in extra["elements"] if extra else ():
                box.append(item)
        if concepts["relationship"] or extra and extra["relationships"]:
            box = ET.SubElement(root, _q("relationships"))
            for c in concepts["relationship"]:
                self.relationship(box, c)
            for item in extra["relationships"] if extra else ():
                box.append(item)
        items = [i for m in self.models for i in self.folder_items(m)]
        if extra and extra["folder"] is not None:
            items.append(extra["folder"])
        if items:
            box = ET.SubElement(root, _q("organizations"))
            box.extend(items)
        all_defs = [(d, self.defs[d.value]) for d in definitions]
        if all_defs or extra and extra["definitions"]:
            box = ET.SubElement(root, _q("propertyDefinitions"))
            for d, ident in all_defs:
                pd = ET.SubElement(box, _q("propertyDefinition"), {
                    "identifier": ident, "type": s.value(d, _ea("valueType"), "string")})
                _write_texts(pd, s, d, _am("name"), "name")
                _write_texts(pd, s, d, _am("documentation"), "documentation")
            for item in extra["definitions"] if extra else ():
                box.append(item)
        viewpoints = [v for m in self.models for v in s.objects(m, _ea("viewpoints"))]
        if concepts["view"] or viewpoints or extra and extra["view"] is not None:
            views = ET.SubElement(root, _q("views"))
            for literal in viewpoints[:1]:
                views.append(ET.fromstring(literal.value))
            diagrams = ET.SubElement(views, _q("diagrams"))
            for c in concepts["view"]:
                self.view(diagrams, c)
            if extra and extra["view"] is not None:
                diagrams.append(extra["view"])
            if not len(diagrams):
                views.remove(diagrams)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    # -- concepts
    def properties(self, parent, subject) -> None:
        nodes = self.s.objects(subject, _am("hasProperty"))
        if not nodes:
            return

        def order(node):
            tail = node.value.rsplit("/", 1)[-1]
            return (int(tail) if tail.isdigit() else 0, node.value)

        box = ET.SubElement(parent, _q("properties"))
        for node in sorted(nodes, key=order):
            definition = self.s.one(node, _ea("propertyDefinition"))
            if definition is None or definition.value not in self.defs:
                raise InputError(f"property {node.value} has no property definition of the "
                                 "exported model")
            prop = ET.SubElement(box, _q("property"),
                                 {"propertyDefinitionRef": self.defs[definition.value]})
            _write_texts(prop, self.s, node, _am("propertyValue"), "value")

    def element(self, box, c) -> None:
        s, types = self.s, self.s.types(c)
        if ARCHIMATE + "Junction" in types:
            kind = _JUNCTION_TYPE.get(s.value(c, _am("junctionType"), "and"), "AndJunction")
        else:
            kinds = sorted(t[len(ARCHIMATE):] for t in types if t.startswith(ARCHIMATE))
            if not kinds:
                raise InputError(f"{c.value} has no ArchiMate element type")
            kind = kinds[0]
            if len(kinds) > 1:  # an identifier used twice in the source file
                self.warnings.append(f"{self.ids[c.value]} has several types "
                                     f"({', '.join(kinds)}): written as {kind}")
        el = ET.SubElement(box, _q("element"), {"identifier": self.ids[c.value],
                                                f"{{{XSI}}}type": kind})
        _write_texts(el, s, c, _am("name"), "name")
        _write_texts(el, s, c, _am("documentation"), "documentation")
        _extensions(el, s, c)
        self.properties(el, c)

    def relationship(self, box, c) -> None:
        s = self.s
        ends = [s.one(c, ox.NamedNode(RDF + end)) for end in ("subject", "object")]
        prop = s.one(c, ox.NamedNode(RDF + "predicate"))
        if None in ends or prop is None or prop.value not in _RELATIONSHIP_TYPE:
            raise InputError(f"relationship {c.value} lacks its rdf:subject, rdf:predicate "
                             "(an ArchiMate relationship property) or rdf:object")
        for end in ends:
            if end.value not in self.ids:
                raise InputError(f"relationship {self.ident(c)} ends at {end.value}, which "
                                 "is not a concept of the exported model")
        kind = _RELATIONSHIP_TYPE[prop.value]
        attrs = {"identifier": self.ids[c.value], "source": self.ids[ends[0].value],
                 "target": self.ids[ends[1].value], f"{{{XSI}}}type": kind}
        if kind == "Access":  # always written: Archi reads a missing one as Write
            attrs["accessType"] = _ACCESS_TYPE.get(s.value(c, _am("accessType")), "Access")
        if kind == "Influence" and s.one(c, _am("influenceModifier")) is not None:
            attrs["modifier"] = s.value(c, _am("influenceModifier"))
        if kind == "Association" and s.value(c, _am("isDirected")) == "true":
            attrs["isDirected"] = "true"
        rel = ET.SubElement(box, _q("relationship"), attrs)
        _write_texts(rel, s, c, _am("name"), "name")
        _write_texts(rel, s, c, _am("documentation"), "documentation")
        _extensions(rel, s, c)
        self.properties(rel, c)

    def folder_items(self, parent) -> list:
        s, items = self.s, []
        parts = s.objects(parent, ox.NamedNode(DCTERMS + "hasPart"))
        folders = sorted((p for p in parts if EA + "Folder" in s.types(p)),
                         key=lambda p: _position(s, p))
        for folder in folders:
            attrs = {}
            if s.one(folder, _am("identifier")) is not None:
                attrs["identifier"] = self.claim(folder)
            item = ET.Element(_q("item"), attrs)
            _write_texts(item, s, folder, ox.NamedNode(RDFS + "label"), "label")
            _write_texts(item, s, folder, _am("documentation"), "documentation")
            item.extend(self.folder_items(folder))
            items.append(item)
        refs = sorted((self.ids[p.value] for p in parts if p.value in self.ids
                       and p not in folders))
        items += [ET.Element(_q("item"), {"identifierRef": ref}) for ref in refs]
        return items

    # -- views
    def view(self, diagrams, c) -> None:
        s = self.s
        attrs = {"identifier": self.ids[c.value], f"{{{XSI}}}type": "Diagram"}
        for prop in ("viewpoint", "viewpointRef"):
            if s.one(c, _ea(prop)) is not None:
                attrs[prop] = s.value(c, _ea(prop))
        view = ET.SubElement(diagrams, _q("view"), attrs)
        _write_texts(view, s, c, _am("name"), "name")
        _write_texts(view, s, c, _am("documentation"), "documentation")
        _extensions(view, s, c)
        self.properties(view, c)
        items = s.subjects(_ea("inView"), c)
        children: dict[str, list] = {}
        connections = []
        for item in items:
            types = s.types(item)
            if types & set(_CONNECTION_TYPE):
                connections.append(item)
            elif types & set(_NODE_TYPE):
                parent = s.one(item, _ea("parentNode"))
                children.setdefault(parent.value if parent else c.value, []).append(item)
        for item in items:
            self.claim(item)
        self.nodes(view, c.value, children)
        for item in sorted(connections, key=lambda n: _position(s, n)):
            self.connection(view, item)

    def nodes(self, parent_xml, parent: str, children: dict) -> None:
        s = self.s
        for item in sorted(children.get(parent, []), key=lambda n: _position(s, n)):
            kind = next(_NODE_TYPE[t] for t in sorted(s.types(item)) if t in _NODE_TYPE)
            attrs = {"identifier": self.ids[item.value]}
            for prop, attr in (("elementRef", "elementRef"), ("conceptRef", "conceptRef")):
                ref = s.one(item, _ea(prop))
                if ref is not None:
                    attrs[attr] = self.ref(ref, item)
            if s.one(item, _ea("xpathPart")) is not None:
                attrs["xpathPart"] = s.value(item, _ea("xpathPart"))
            for attr in ("x", "y", "w", "h"):
                if s.one(item, _ea(attr)) is not None:
                    attrs[attr] = s.value(item, _ea(attr))
            attrs[f"{{{XSI}}}type"] = kind
            node = ET.SubElement(parent_xml, _q("node"), attrs)
            self.view_concept(node, item)
            self.nodes(node, item.value, children)

    def ref(self, target, item) -> str:
        if target.value not in self.ids:
            raise InputError(f"diagram item {self.ids[item.value]} shows {target.value}, which "
                             "is not a concept of the exported model")
        return self.ids[target.value]

    def view_concept(self, xml, item) -> None:
        s = self.s
        _write_texts(xml, s, item, _ea("label"), "label")
        _write_texts(xml, s, item, _am("documentation"), "documentation")
        self.style(xml, item)
        for ref in s.objects(item, _ea("viewRef")):
            ET.SubElement(xml, _q("viewRef"), {"ref": self.ref(ref, item)})

    def style(self, xml, item) -> None:
        s = self.s
        width = s.value(item, _ea("lineWidth"))
        colors = {p: s.value(item, _ea(p)) for p in ("lineColor", "fillColor", "fontColor")}
        font = s.one(item, _ea("hasFont")) is not None
        if width is None and not font and not any(colors.values()):
            return
        style = ET.SubElement(xml, _q("style"), {"lineWidth": width} if width else {})

        def color(parent, prop, tag):
            if colors[prop]:
                h = colors[prop].lstrip("#")
                attrs = {"r": str(int(h[0:2], 16)), "g": str(int(h[2:4], 16)),
                         "b": str(int(h[4:6], 16))}
                alpha = s.value(item, _ea(prop.replace("Color", "Alpha")))
                if alpha is not None:
                    attrs["a"] = alpha
                ET.SubElement(parent, _q(tag), attrs)

        color(style, "lineColor", "lineColor")
        color(style, "fillColor", "fillColor")
        if font:
            attrs = {attr: s.value(item, _ea(prop)) for attr, prop in (
                ("name", "fontName"), ("size", "fontSize"), ("style", "fontStyle"))
                if s.one(item, _ea(prop)) is not None}
            color(ET.SubElement(style, _q("font"), attrs), "fontColor", "color")

    def connection(self, view, item) -> None:
        s = self.s
        kind = next(_CONNECTION_TYPE[t] for t in sorted(s.types(item)) if t in _CONNECTION_TYPE)
        attrs = {"identifier": self.ids[item.value]}
        ref = s.one(item, _ea("relationshipRef"))
        if ref is not None:
            attrs["relationshipRef"] = self.ref(ref, item)
        attrs[f"{{{XSI}}}type"] = kind
        for end in ("source", "target"):
            node = s.one(item, _ea(end + "Node"))
            if node is not None:
                attrs[end] = self.ref(node, item)
        xml = ET.SubElement(view, _q("connection"), attrs)
        self.view_concept(xml, item)
        points = [("sourceAttachment", s.value(item, _ea("sourceAttachment")))]
        points += [("bendpoint", p) for p in s.value(item, _ea("bendpoints"), "").split()]
        points.append(("targetAttachment", s.value(item, _ea("targetAttachment"))))
        for tag, point in points:
            if point:
                x, _, y = point.partition(",")
                ET.SubElement(xml, _q(tag), {"x": x, "y": y})

    # -- the alignment
    def aligned(self, elements, definitions) -> dict | None:
        """The eTOM/TM Forum resources the elements are aligned with, as XML to add."""
        s = self.s
        found = []  # (element, predicate, target, confidence, basis)
        for c in elements:
            for pred in (ETOM + "classifiedUnder", DCTERMS + "conformsTo"):
                for target in s.objects(c, ox.NamedNode(pred)):
                    if not isinstance(target, ox.NamedNode) or \
                            not target.value.startswith(BASE) or target.value.startswith(EA_BASE):
                        continue
                    found.append((c, pred, target, *self.evidence(c, pred, target)))
        if not found:
            return None
        out = {"elements": [], "relationships": [], "definitions": [], "folder": None,
               "view": None}
        keys = {}
        by_name = {s.value(d, _am("name")): self.defs[d.value] for d in definitions}
        for key, ident in _ALIGNMENT_PROPERTIES:
            if key in by_name:
                keys[key] = by_name[key]
            else:
                keys[key] = self.fresh(ident)
                pd = ET.Element(_q("propertyDefinition"), {"identifier": keys[key],
                                                           "type": "string"})
                ET.SubElement(pd, _q("name"), {f"{{{XML}}}lang": "en"}).text = key
                out["definitions"].append(pd)
        targets = {}
        for target in sorted({t for _, _, t, _, _ in found}, key=lambda t: t.value):
            info = self.target(target)
            ident = _xml_id(target.value, "etom-kg-")
            if ident in self.owner:  # already in the model (exported before): reuse it
                targets[target.value] = (self.owner[ident], ident, info)
                continue
            ident = self.fresh(ident)
            targets[target.value] = (target.value, ident, info)
            el = ET.Element(_q("element"), {"identifier": ident,
                                            f"{{{XSI}}}type": info["type"]})
            _names(el, info["names"], _q)
            for lang, text in sorted(info["docs"].items()):
                ET.SubElement(el, _q("documentation"), {f"{{{XML}}}lang": lang}).text = text
            pairs = [(keys["eTOM ID"], info["id"])] if info["id"] else []
            _properties(el, pairs + [(keys["etom-kg IRI"], target.value)], _q)
            out["elements"].append(el)
        folder = ET.Element(_q("item"), {"identifier": self.fresh(_ETOM_FOLDER)})
        ET.SubElement(folder, _q("label"), {f"{{{XML}}}lang": "en"}).text = \
            "eTOM and TM Forum (etom-kg alignment)"
        ET.SubElement(folder, _q("label"), {f"{{{XML}}}lang": "ru"}).text = \
            "eTOM и TM Forum (сопоставление etom-kg)"
        rels = []
        for c, pred, target, confidence, basis in sorted(found, key=lambda f: (
                self.ids[f[0].value], f[2].value)):
            _, target_id, info = targets[target.value]
            digest = hashlib.sha1(f"{c.value} {pred} {target.value}".encode()).hexdigest()[:12]
            ident = f"id-etom-kg-alignment-{digest}"
            if ident in self.owner:
                continue
            self.owner[ident] = ident
            rels.append((ident, c, target_id))
            verb = "classified under" if pred == ETOM + "classifiedUnder" else "conforms to"
            name = f"{verb} {info['id'] or info['names'].get('en', '')}".strip()
            if confidence not in ("high", "asserted"):  # visibly uncertain in any tool
                name += f" (uncertain: {confidence} confidence)"
            rel = ET.Element(_q("relationship"), {
                "identifier": ident, "source": self.ids[c.value], "target": target_id,
                f"{{{XSI}}}type": "Association", "isDirected": "true"})
            ET.SubElement(rel, _q("name"), {f"{{{XML}}}lang": "en"}).text = name
            _properties(rel, [(keys["eTOM ID"], info["id"] or target.value.rsplit("/", 1)[-1]),
                              (keys["confidence"], confidence), (keys["basis"], basis)], _q)
            out["relationships"].append(rel)
        for _, ident, _ in sorted(targets.values(), key=lambda t: t[1]):
            ET.SubElement(folder, _q("item"), {"identifierRef": ident})
        for ident, _, _ in rels:
            ET.SubElement(folder, _q("item"), {"identifierRef": ident})
        out["folder"] = folder
        if self.alignment_view and rels:
            out["view"] = self.view_of(rels, targets)
        return out

    def fresh(self, ident: str) -> str:
        """``ident``, or ``ident-2`` … when the model already uses it."""
        base, n = ident, 2
        while ident in self.owner:
            ident, n = f"{base}-{n}", n + 1
        self.owner[ident] = ident
        return ident

    def evidence(self, element, pred: str, target) -> tuple[str, str]:
        """(confidence, basis) of an alignment, from its rdf:Statement if it has one."""
        s, best = self.s, None
        rank = {"high": 3, "medium": 2, "low": 1}
        for st in s.subjects(ox.NamedNode(RDF + "subject"), element):
            if s.one(st, ox.NamedNode(RDF + "object")) != target or \
                    s.value(st, ox.NamedNode(RDF + "predicate")) != pred:
                continue
            conf = _CONFIDENCE.get(s.value(st, ox.NamedNode(ETOM + "confidence"), ""))
            if conf is None:
                continue
            rule = s.value(st, ox.NamedNode(DCTERMS + "conformsTo"), "")
            comment = s.value(st, ox.NamedNode(RDFS + "comment"), "")
            basis = "; ".join(x for x in (rule.rsplit("#", 1)[-1], comment) if x)
            if best is None or rank[conf] > rank[best[0]]:
                best = (conf, basis)
        return best or ("asserted", "asserted in the merged graph (no rule, no evidence)")

    def target(self, target) -> dict:
        s = self.s
        types = s.types(target)
        names, docs = {}, {}
        for label in s.objects(target, ox.NamedNode(SKOS + "prefLabel")):
            names.setdefault(label.language or "en", label.value)
        for text in s.objects(target, ox.NamedNode(SKOS + "definition")):
            docs.setdefault(text.language or "en", text.value)
        notation = [n.value for n in s.objects(target, ox.NamedNode(SKOS + "notation"))]
        if ETOM + "TamApplicationType" in types or ETOM + "OdaComponent" in types:
            kind = "ApplicationComponent"
        elif ETOM + "SidAbe" in types:
            kind = "BusinessObject"
        elif ETOM + "ProcessElement" in types:
            kind = "BusinessProcess"
        else:
            kind = "BusinessFunction"
        if not names:
            names = {"en": notation[0] if notation else target.value.rsplit("/", 1)[-1]}
        ident = notation[0] if notation else names.get("en", "") if kind == "BusinessObject" \
            else ""
        return {"type": kind, "names": names, "docs": docs, "id": ident}

    def view_of(self, rels, targets) -> ET.Element:
        """A generated view: aligned elements on the left, eTOM resources on the right."""
        view = ET.Element(_q("view"), {"identifier": self.fresh(_ALIGNMENT_VIEW),
                                       f"{{{XSI}}}type": "Diagram"})
        ET.SubElement(view, _q("name"), {f"{{{XML}}}lang": "en"}).text = "eTOM alignment"
        ET.SubElement(view, _q("name"), {f"{{{XML}}}lang": "ru"}).text = "Сопоставление с eTOM"
        left = sorted({self.ids[c.value] for _, c, _ in rels})
        right = sorted({t for _, _, t in rels})
        node_of = {}
        for column, idents in ((0, left), (1, right)):
            for row, ident in enumerate(idents):
                node_id = self.fresh(f"id-etom-kg-node-{column}-{ident}")
                node_of[(column, ident)] = node_id
                ET.SubElement(view, _q("node"), {
                    "identifier": node_id, "elementRef": ident, "x": str(24 + 480 * column),
                    "y": str(24 + 84 * row), "w": "240", "h": "60",
                    f"{{{XSI}}}type": "Element"})
        for ident, c, target_id in rels:
            ET.SubElement(view, _q("connection"), {
                "identifier": self.fresh(f"id-etom-kg-connection-{ident[len('id-etom-kg-'):]}"),
                "relationshipRef": ident, f"{{{XSI}}}type": "Relationship",
                "source": node_of[(0, self.ids[c.value])], "target": node_of[(1, target_id)]})
        return view


# -- the standard's decomposition -------------------------------------------------------

EXPORT_MODEL_ID = "id-etom-kg-crm"
_PROPERTY_DEFINITIONS = (  # identifier, name (the alignment rules read these keys back)
    ("pd-etom-id", "eTOM process ID"),
    ("pd-iri", "etom-kg IRI"),
    ("pd-tam-id", "TAM application ID"),
    ("pd-oda-id", "ODA component ID"),
    ("pd-sid-abe", "SID ABE"),
    ("pd-confidence", "confidence"),
    ("pd-basis", "basis"),
    ("pd-via", "via"),
    ("pd-role", "role"),
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
        links = _links(kg, processes)
        for target, info in sorted(links["targets"].items(), key=lambda t: t[1]["xml_id"]):
            el = ET.SubElement(elements, q("element"), {
                "identifier": info["xml_id"], f"{{{XSI}}}type": info["type"]})
            _names(el, info["names"], q)
            _properties(el, info["props"] + [("pd-iri", target)], q)
            used_defs.update(k for k, _ in info["props"])
        for kind, source, target, name, props in links["relations"]:
            rels.append((kind, source, target, kind.lower(), {"name": name, "props": props}))
            used_defs.update(k for k, _ in props)
    for kind, source, target, word, extra in rels:
        rel = ET.SubElement(relationships, q("relationship"), {
            "identifier": f"id-rel-{word}-{source[3:]}-{target[3:]}",
            "source": source, "target": target, f"{{{XSI}}}type": kind})
        if extra:
            ET.SubElement(rel, q("name"), {f"{{{XML}}}lang": "en"}).text = extra["name"]
            _properties(rel, extra["props"], q)
    definitions = ET.SubElement(model, q("propertyDefinitions"))
    for pd_id, pd_name in _PROPERTY_DEFINITIONS:
        if pd_id in used_defs:
            pd = ET.SubElement(definitions, q("propertyDefinition"),
                               {"identifier": pd_id, "type": "string"})
            ET.SubElement(pd, q("name")).text = pd_name
    ET.indent(model)
    return ET.tostring(model, encoding="utf-8", xml_declaration=True) + b"\n"


def _names(parent, names: dict[str, str], q) -> None:
    for lang in sorted(names, key=lambda lang: (lang != "ru", lang)):
        ET.SubElement(parent, q("name"), {f"{{{XML}}}lang": lang}).text = names[lang]


def _properties(parent, pairs, q) -> None:
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


_LINK_QUERIES = (  # named query, column of the linked resource, its ID column, kind
    ("applications-for-process", "application", "applicationId", "tam"),
    ("oda-components-for-process", "component", "componentId", "oda"),
    ("data-for-process", "entity", None, "sid"),
)


def _links(kg, processes) -> dict:
    """What `etom-kg links ID` shows for the exported processes, each link attached to the
    deepest process that has it: TAM application types and ODA components serving it,
    SID entities it accesses, with confidence, basis, route and role."""
    children: dict[str, list[str]] = {}
    for pid, _, parent, _ in processes:
        children.setdefault(parent, []).append(pid)
    ids = {iri: pid for pid, iri, _, _ in processes}
    found: dict[str, dict[str, tuple]] = {}  # process ID → target IRI → (kind, row)
    for pid, _, _, _ in processes:
        here = found.setdefault(pid, {})
        for name, column, id_column, kind in _LINK_QUERIES:
            for row in kg.query(name, process=pid):
                if kind == "tam" and row["kind"] == "ODA component":
                    continue  # listed by oda-components-for-process, as `links` does
                here.setdefault(row[column], (kind, row, id_column))
    names = {}
    targets_all = {t for rows in found.values() for t in rows}
    if targets_all:
        values = " ".join(f"<{t}>" for t in sorted(targets_all))
        for r in kg.sparql(f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }} "
                           "?x skos:prefLabel ?label }"):
            names.setdefault(r.x, {}).setdefault(r.language("label") or "en", r.label)
    targets: dict[str, dict] = {}
    relations = []
    kids_of = {pid: children.get(iri, []) for iri, pid in ids.items()}
    parent_of = {ids[iri]: ids.get(parent) for _, iri, parent, _ in processes}
    attached: dict[str, set[str]] = {}  # process ID → targets attached there
    for pid, _, parent, _ in sorted(processes, key=lambda t: len(t[0].split("."))):
        iri = next(i for i, p in ids.items() if p == pid)
        kids = [set(found.get(k, {})) for k in kids_of.get(pid, [])]
        below = set().union(*kids) if kids else set()
        common = set.intersection(*kids) if kids else set()
        ancestors, up = set(), parent_of.get(pid)
        while up:
            ancestors |= attached.get(up, set())
            up = parent_of.get(up)
        for target, (kind, row, id_column) in sorted(found[pid].items()):
            # A link belongs to the process that has it and none of whose sub-processes
            # has it, or to the process all of whose sub-processes have it (inherited);
            # it is written once, at the topmost such process.
            if target in ancestors or (target in below and target not in common):
                continue
            attached.setdefault(pid, set()).add(target)
            ident = row[id_column] if id_column else None
            prefix = {"tam": "tam-", "oda": "oda-", "sid": "sid-"}[kind]
            info = targets.setdefault(target, {
                "xml_id": _xml_id(target, prefix),
                "type": "BusinessObject" if kind == "sid" else "ApplicationComponent",
                "names": dict(names.get(target, {"en": row["label"]})),
                "props": [("pd-tam-id", ident)] if kind == "tam" else
                         [("pd-oda-id", ident)] if kind == "oda" else
                         [("pd-sid-abe", names.get(target, {}).get("en", row["label"]))]})
            if kind == "tam" and ident:
                info["names"] = {lang: f"{ident} {text}" if not text.startswith(ident) else text
                                 for lang, text in info["names"].items()}
            confidence = row["confidence"]
            props = [("pd-confidence", confidence), ("pd-basis", row["basis"] or ""),
                     ("pd-via", row["via"] or "")]
            if kind == "sid":
                props.append(("pd-role", row["role"]))
                word, source, end = "accesses", _xml_id(iri), info["xml_id"]
            else:
                word, source, end = "serves", info["xml_id"], _xml_id(iri)
            label = f"{word} ({confidence})" if confidence == "high" else \
                f"{word} (uncertain: {confidence} confidence)"
            relations.append(("Access" if kind == "sid" else "Serving", source, end, label,
                              props))
    return {"targets": targets, "relations": relations}


def validate_exchange(data: bytes, schema_dir) -> list[str]:
    """Errors of an exchange file against the 3.1 XSDs in ``schema_dir`` (empty = valid).

    Offline: the schemas' imports of ``http://www.w3.org/2001/xml.xsd`` are
    redirected to ``schema_dir/xml.xsd``; nothing is ever fetched. Uses lxml
    (libxml2) when installed, else the pure-Python ``xmlschema`` (the same
    verdicts, but minutes instead of a second on a large model).
    """
    folder = str(Path(schema_dir).resolve())
    try:
        import lxml.etree  # noqa: F401
    except ImportError:
        return _validate_xmlschema(data, folder)
    return _validate_lxml(data, folder)


def _validate_lxml(data: bytes, folder: str) -> list[str]:
    from lxml import etree

    schema, parser = _lxml_schema(folder)
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@lru_cache(maxsize=4)
def _lxml_schema(folder: str):
    from lxml import etree

    local = Path(folder)

    class Offline(etree.Resolver):
        def resolve(self, url, pubid, context):
            name = url.rsplit("/", 1)[-1]
            if (local / name).is_file():  # xml.xsd (W3C) and the schemas themselves
                return self.resolve_filename(str(local / name), context)
            raise InputError(f"the schemas refer to {url}, which is not in {folder}")

    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(Offline())
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
               f'<xs:import namespace="{NS3}" schemaLocation="archimate3_Diagram.xsd"/>'
               f'<xs:import namespace="{DC}" schemaLocation="dc.xsd"/></xs:schema>')
    schema = etree.XMLSchema(etree.fromstring(wrapper.encode(), parser,
                                              base_url=local.as_uri() + "/"))
    return schema, parser


def _validate_xmlschema(data: bytes, folder: str) -> list[str]:
    import xmlschema

    schema = _schema(folder)
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


def summary(data: bytes) -> str:
    """What an exchange file holds, in one line (elements, relationships, views, bytes)."""
    import defusedxml.ElementTree as DET

    root = DET.fromstring(data)
    count = {tag: len(root.findall(f"{_q(tag)}s/{_q(tag)}"))
             for tag in ("element", "relationship")}
    views = len(root.findall(f"{_q('views')}/{_q('diagrams')}/{_q('view')}"))
    aligned = sum(1 for r in root.iter(_q("relationship"))
                  if r.get("identifier", "").startswith("id-etom-kg-alignment-"))
    text = (f"{count['element']} elements, {count['relationship']} relationships, "
            f"{views} views")
    if aligned:
        text += f" ({aligned} alignment relationships to eTOM/TM Forum)"
    return f"{text}, {len(data)} bytes"
