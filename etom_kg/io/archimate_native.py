"""Archi's native ``.archimate`` files, read with the mapping of :mod:`etom_kg.io.archimate`.

The file is first turned into the Open Exchange Format tree Archi itself would
export (File › Export › Model to Open Exchange File…): identifiers get Archi's
``id-`` prefix (so that UUIDs become valid xs:IDs), property keys become property
definitions, folders become organizations, diagram bounds and bendpoints become
absolute. The exchange reader then makes the RDF, so a native file and its
exchange export give the same triples wherever Archi's export is lossless.
Sketch and canvas views, profiles and images are not ArchiMate content and are
left out. A zipped ``.archimate`` (a model with images) is read from its
``model.xml``.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from ..core.errors import InputError
from . import limits

ARCHI = "http://www.archimatetool.com/archimate"
NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Archi's access types (an EMF enum; absent means write, Archi's default).
_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}
_DEFAULT_SIZE = {"DiagramObject": (120, 55), "Group": (400, 140), "Note": (185, 80),
                 "DiagramModelReference": (120, 55)}


def unzip(data: bytes, path) -> bytes:
    """The model of a zipped .archimate file (Archi's format when a model holds images)."""
    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("model.xml")
            if info.file_size > limits.MAX_FILE_BYTES:
                raise InputError(f"the zipped model is {info.file_size} bytes unpacked, more "
                                 f"than etom-kg reads", path=path)
            return archive.read(info)
    except (zipfile.BadZipFile, KeyError):
        raise InputError("a zip file without the model.xml of an Archi model", path=path) \
            from None


def _q(tag: str) -> str:
    return f"{{{NS3}}}{tag}"


def _type(node) -> str:
    return node.get(f"{{{XSI}}}type", "").rsplit(":", 1)[-1]


def _ident(value: str | None) -> str:
    """Archi's exporter prefixes ``id-`` so that every identifier is a valid xs:ID."""
    value = value or ""
    return value if value.startswith("id-") else f"id-{value}"


def to_exchange(root, path) -> ET.Element:
    """The exchange-format tree for an Archi model tree."""
    return _Converter(root, path).run()


class _Converter:
    def __init__(self, root, path):
        self.root = root
        self.path = path
        self.keys: dict[str, str] = {}      # property key → definition identifier
        self.views: dict[str, str] = {}     # view id → name
        self.centres: dict[str, tuple[int, int]] = {}

    def run(self) -> ET.Element:
        root = self.root
        model = ET.Element(_q("model"), {"identifier": _ident(root.get("id"))})
        if root.get("version"):
            model.set("version", root.get("version"))
        ET.SubElement(model, _q("name")).text = root.get("name") or ""
        purpose = root.find("purpose")
        if purpose is not None and (purpose.text or ""):
            ET.SubElement(model, _q("documentation")).text = purpose.text
        for node in root.iter("element"):
            if _type(node) == "ArchimateDiagramModel":
                self.views[node.get("id")] = node.get("name") or ""
        self.properties(model, root)
        elements, relationships, views = [], [], []
        for node in root.iter("element"):
            kind = _type(node)
            if kind == "ArchimateDiagramModel":
                views.append(node)
            elif kind.endswith("Relationship"):
                relationships.append(node)
            elif kind in ("SketchModel", "CanvasModel") or kind.startswith("Canvas") or \
                    kind.startswith("Sketch"):
                continue
            else:
                elements.append(node)
        if elements:
            box = ET.SubElement(model, _q("elements"))
            for node in elements:
                self.element(box, node)
        if relationships:
            box = ET.SubElement(model, _q("relationships"))
            for node in relationships:
                self.relationship(box, node)
        folders = [f for f in root.findall("folder")]
        if folders:
            box = ET.SubElement(model, _q("organizations"))
            for folder in folders:
                item = self.folder(folder)
                if item is not None:
                    box.append(item)
        if self.keys:
            box = ET.SubElement(model, _q("propertyDefinitions"))
            for key, ident in self.keys.items():
                pd = ET.SubElement(box, _q("propertyDefinition"),
                                   {"identifier": ident, "type": "string"})
                ET.SubElement(pd, _q("name")).text = key
        if views:
            diagrams = ET.SubElement(ET.SubElement(model, _q("views")), _q("diagrams"))
            for node in views:
                self.view(diagrams, node)
        # properties were collected as they came; their definitions must precede use in
        # nothing but identity, so the order of the sections is the schema's
        return model

    def texts(self, target, node) -> None:
        if node.get("name") is not None:
            ET.SubElement(target, _q("name")).text = node.get("name")
        doc = node.find("documentation")
        if doc is not None and (doc.text or ""):
            ET.SubElement(target, _q("documentation")).text = doc.text

    def properties(self, target, node) -> None:
        props = node.findall("property")
        if not props:
            return
        box = ET.SubElement(target, _q("properties"))
        for prop in props:
            key = prop.get("key") or ""
            ident = self.keys.setdefault(key, f"propid-{len(self.keys) + 1}")
            item = ET.SubElement(box, _q("property"), {"propertyDefinitionRef": ident})
            ET.SubElement(item, _q("value")).text = prop.get("value") or ""

    def element(self, box, node) -> None:
        kind = _type(node)
        if kind == "Junction":
            kind = "OrJunction" if node.get("type") == "or" else "AndJunction"
        el = ET.SubElement(box, _q("element"), {"identifier": _ident(node.get("id")),
                                                f"{{{XSI}}}type": kind})
        self.texts(el, node)
        self.properties(el, node)

    def relationship(self, box, node) -> None:
        kind = _type(node)[:-len("Relationship")]
        attrs = {"identifier": _ident(node.get("id")), "source": _ident(node.get("source")),
                 "target": _ident(node.get("target")), f"{{{XSI}}}type": kind}
        if kind == "Access":
            attrs["accessType"] = _ACCESS.get(node.get("accessType", "0"), "Write")
        if kind == "Influence" and node.get("strength"):
            attrs["modifier"] = node.get("strength")
        if kind == "Association" and node.get("directed") == "true":
            attrs["isDirected"] = "true"
        rel = ET.SubElement(box, _q("relationship"), attrs)
        self.texts(rel, node)
        self.properties(rel, node)

    def folder(self, folder) -> ET.Element | None:
        item = ET.Element(_q("item"))
        ET.SubElement(item, _q("label")).text = folder.get("name") or ""
        doc = folder.find("documentation")
        if doc is not None and (doc.text or ""):
            ET.SubElement(item, _q("documentation")).text = doc.text
        for sub in folder.findall("folder"):
            child = self.folder(sub)
            if child is not None:
                item.append(child)
        for node in folder.findall("element"):
            kind = _type(node)
            if kind.startswith(("Sketch", "Canvas")):
                continue
            ET.SubElement(item, _q("item"), {"identifierRef": _ident(node.get("id"))})
        return item

    # -- diagrams
    def view(self, diagrams, node) -> None:
        attrs = {"identifier": _ident(node.get("id")), f"{{{XSI}}}type": "Diagram"}
        if node.get("viewpoint"):
            attrs["viewpoint"] = node.get("viewpoint").replace("_", " ").title()
        view = ET.SubElement(diagrams, _q("view"), attrs)
        ET.SubElement(view, _q("name")).text = node.get("name") or ""
        doc = node.find("documentation")
        if doc is not None and (doc.text or ""):
            ET.SubElement(view, _q("documentation")).text = doc.text
        self.properties(view, node)
        connections = []
        for child in node.findall("child"):
            self.node(view, child, 0, 0, connections)
        for conn in connections:
            self.connection(view, conn)

    def node(self, parent, child, dx: int, dy: int, connections: list) -> None:
        kind = _type(child)
        bounds = child.find("bounds")
        x, y, w, h = (int(float(bounds.get(k, d))) if bounds is not None else d
                      for k, d in (("x", 0), ("y", 0), ("width", -1), ("height", -1)))
        default = _DEFAULT_SIZE.get(kind, (120, 55))
        w, h = (w if w > 0 else default[0]), (h if h > 0 else default[1])
        x, y = max(x + dx, 0), max(y + dy, 0)
        self.centres[child.get("id")] = (x + w // 2, y + h // 2)
        attrs = {"identifier": _ident(child.get("id"))}
        if kind == "DiagramObject":
            attrs["elementRef"] = _ident(child.get("archimateElement"))
        attrs.update({"x": str(x), "y": str(y), "w": str(w), "h": str(h)})
        attrs[f"{{{XSI}}}type"] = {"DiagramObject": "Element", "Group": "Container"}.get(
            kind, "Label")
        node = ET.SubElement(parent, _q("node"), attrs)
        if kind == "Group":
            ET.SubElement(node, _q("label")).text = child.get("name") or ""
        elif kind == "Note":
            content = child.find("content")
            ET.SubElement(node, _q("label")).text = content.text if content is not None \
                and content.text else ""
        elif kind == "DiagramModelReference":
            ET.SubElement(node, _q("label")).text = self.views.get(child.get("model"), "")
        elif kind != "DiagramObject":
            ET.SubElement(node, _q("label")).text = child.get("name") or kind
        doc = child.find("documentation")
        if doc is not None and (doc.text or "") and kind != "DiagramObject":
            ET.SubElement(node, _q("documentation")).text = doc.text
        self.style(node, child)
        if kind == "DiagramModelReference" and child.get("model") in self.views:
            ET.SubElement(node, _q("viewRef"), {"ref": _ident(child.get("model"))})
        connections += child.findall("sourceConnection")
        for grandchild in child.findall("child"):
            self.node(node, grandchild, x, y, connections)

    def style(self, node, child) -> None:
        fill, line = _rgb(child.get("fillColor")), _rgb(child.get("lineColor"))
        font = _rgb(child.get("fontColor")) or (0, 0, 0)
        if not fill and not line and not child.get("fontColor") and not child.get("lineWidth"):
            return
        style = ET.SubElement(node, _q("style"),
                              {"lineWidth": child.get("lineWidth")} if child.get("lineWidth")
                              else {})
        if line:
            ET.SubElement(style, _q("lineColor"), _color(line))
        if fill:
            attrs = _color(fill)
            if child.get("alpha"):
                attrs["a"] = str(round(int(child.get("alpha")) * 100 / 255))
            ET.SubElement(style, _q("fillColor"), attrs)
        if child.get("fontColor"):
            ET.SubElement(ET.SubElement(style, _q("font")), _q("color"), _color(font))

    def connection(self, view, conn) -> None:
        source, target = conn.get("source"), conn.get("target")
        attrs = {"identifier": _ident(conn.get("id"))}
        if conn.get("archimateRelationship"):
            attrs["relationshipRef"] = _ident(conn.get("archimateRelationship"))
            attrs[f"{{{XSI}}}type"] = "Relationship"
        else:
            attrs[f"{{{XSI}}}type"] = "Line"
        attrs["source"], attrs["target"] = _ident(source), _ident(target)
        xml = ET.SubElement(view, _q("connection"), attrs)
        if conn.get("name") and not conn.get("archimateRelationship"):
            ET.SubElement(xml, _q("label")).text = conn.get("name")
        line = _rgb(conn.get("lineColor"))
        if line or conn.get("lineWidth"):
            style = ET.SubElement(xml, _q("style"), {"lineWidth": conn.get("lineWidth")}
                                  if conn.get("lineWidth") else {})
            if line:
                ET.SubElement(style, _q("lineColor"), _color(line))
        cx, cy = self.centres.get(source, (0, 0))
        for point in conn.findall("bendpoint"):  # relative to the source's centre in Archi
            bx = max(cx + int(float(point.get("startX", 0))), 0)
            by = max(cy + int(float(point.get("startY", 0))), 0)
            ET.SubElement(xml, _q("bendpoint"), {"x": str(bx), "y": str(by)})


def _rgb(text: str | None):
    if not text or not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
        return None
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def _color(rgb) -> dict:
    return {"r": str(rgb[0]), "g": str(rgb[1]), "b": str(rgb[2])}


def read_native(root, path, base):
    """An Archi model tree as RDF (an :class:`~etom_kg.io.archimate.ImportedModel`)."""
    from .archimate import _Reader

    if root.get("id") is None:
        raise InputError("an Archi model without an id attribute", path=path)
    major = re.match(r"\d+", root.get("version") or "4")
    if major and int(major.group()) < 4:
        raise InputError(f"an Archi {root.get('version')} model (ArchiMate 2): open and save it "
                         "in Archi 4 or later, or export it from Archi as Open Exchange format "
                         "(File › Export › Model to Open Exchange File…)", path=path)
    try:
        return _Reader(to_exchange(root, path), path, base).run()
    except InputError as exc:  # say how to get the file etom-kg reads without doubt
        raise InputError(f"{exc.reason} (in Archi: File › Export › Model to Open Exchange "
                         "File…, then give etom-kg that .xml file)", path=path) from None
