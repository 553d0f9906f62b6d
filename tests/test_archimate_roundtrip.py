"""An architect's ArchiMate model goes through etom-kg and back to the tool complete.

Import → export → the exchange file holds the same elements, relationships,
properties, organizations, views, diagram nodes and connections (compared by
identifier, not by bytes), validates against the official 3.1 schemas, and reads
back into the same RDF. The comparison walks the XML on its own terms: it does
not use etom-kg's mapping.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.cli import main
from etom_kg.core.errors import InputError
from etom_kg.ea.merge import merge, write
from etom_kg.io.archimate import read_archimate
from etom_kg.io.archimate_export import export_model, validate_exchange

NS = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"
DEFAULTS = {("accessType", "Access"), ("isDirected", "false")}  # the schema's defaults


def _models(shared) -> list[Path]:
    root = shared / "testdata" / "archimate"
    return sorted(p for p in root.rglob("*.xml") if "legacy" not in str(p))


@pytest.fixture(scope="module")
def xsd(shared):
    return shared / "testdata/xsd/archimate3.1"


def _canonical(node) -> str:
    """An element without identifier, its attributes and content, order-free except points."""
    attrs = sorted((k, v) for k, v in node.attrib.items() if (k, v) not in DEFAULTS)
    kids = [c for c in node if "identifier" not in c.attrib]
    points = [_canonical(c) for c in kids if c.tag == NS + "bendpoint"]
    rest = sorted(_canonical(c) for c in kids if c.tag != NS + "bendpoint")
    text = (node.text or "") if not len(node) else (node.text or "").strip()
    return repr((node.tag, attrs, text, rest, points))


def inventory(data: bytes) -> dict:
    """Everything with an identifier, described by its own content and its parent's id;
    plus organization folders by label path and what each one holds."""
    root = ET.fromstring(data)
    parent_of = {child: parent for parent in root.iter() for child in parent}
    found = {}
    for node in root.iter():
        ident = node.get("identifier")
        if ident is None or node.tag == NS + "item":
            continue
        up = parent_of.get(node)
        while up is not None and up.get("identifier") is None:
            up = parent_of.get(up)
        attrs = sorted((k, v) for k, v in node.attrib.items()
                       if (k, v) not in DEFAULTS and k != "identifier"
                       and not k.endswith("schemaLocation"))
        kids = sorted(_canonical(c) for c in node
                      if "identifier" not in c.attrib and c.tag not in (NS + "elements",
                      NS + "relationships", NS + "organizations", NS + "views",
                      NS + "propertyDefinitions", NS + "item"))
        points = [_canonical(c) for c in node if c.tag == NS + "bendpoint"]
        found[ident] = (node.tag, attrs, kids, points, up.get("identifier") if up is not None
                        and up.tag != NS + "model" else None)
    folders = set()

    def walk(item, path):
        label = tuple(sorted(_canonical(c) for c in item if c.tag in (NS + "label",
                                                                      NS + "documentation")))
        here = path + (label, item.get("identifier"))
        if item.get("identifierRef"):
            folders.add((path, item.get("identifierRef")))
        else:
            folders.add((here, None))
        for child in item.findall(NS + "item"):
            walk(child, here)

    for box in root.findall(NS + "organizations"):
        for item in box.findall(NS + "item"):
            walk(item, ())
    return {"identified": found, "folders": folders}


def _store(model) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in model.triples)
    return store


def test_every_shared_model_comes_back_complete_valid_and_reads_back_the_same(shared, xsd,
                                                                              tmp_path):
    models = _models(shared)
    assert len(models) == 17
    for path in models:
        original = path.read_bytes()
        model = read_archimate(path)
        exported = export_model(_store(model), alignment=False)
        assert validate_exchange(exported, xsd) == [], path.name
        before, after = inventory(original), inventory(exported)
        assert after["identified"].keys() == before["identified"].keys(), path.name
        for ident, description in before["identified"].items():
            assert after["identified"][ident] == description, (path.name, ident)
        assert after["folders"] == before["folders"], path.name
        again = tmp_path / path.name
        again.write_bytes(exported)
        triples = set(read_archimate(again).triples)
        assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
                       for t in triples)  # so equal sets are isomorphic graphs
        assert triples == set(model.triples), path.name


def test_the_comparison_notices_a_moved_node_a_lost_bendpoint_and_a_lost_folder(shared):
    data = (shared / "testdata/archimate/archi-tests/archisurance.xml").read_bytes()
    base = inventory(data)
    root = ET.fromstring(data)
    node = next(root.iter(NS + "node"))
    node.set("x", str(int(node.get("x")) + 1))
    bend_owner = next(c for c in root.iter(NS + "connection") if c.find(NS + "bendpoint")
                      is not None)
    bend_owner.remove(bend_owner.find(NS + "bendpoint"))
    box = root.find(NS + "organizations")
    box.remove(box.find(NS + "item"))
    changed = inventory(ET.tostring(root))
    differ = [i for i in base["identified"] if base["identified"][i] != changed["identified"][i]]
    assert set(differ) == {node.get("identifier"), bend_owner.get("identifier")}
    assert changed["folders"] < base["folders"]


def test_diagram_layout_is_rdf_a_query_can_read(shared):
    model = read_archimate(shared / "testdata/archimate/archi-tests/archisurance.xml")
    store = _store(model)
    rows = list(store.query("""
        PREFIX ea: <https://w3id.org/etom-kg/ea#>
        PREFIX archimate: <https://purl.org/archimate#>
        SELECT ?view ?x ?y ?w ?h ?name WHERE {
          ?node ea:inView ?view ; ea:elementRef ?el ; ea:x ?x ; ea:y ?y ; ea:w ?w ; ea:h ?h .
          ?el archimate:name ?name } """))
    assert len(rows) > 100
    assert all(r["x"].datatype.value.endswith("#integer") for r in rows)
    bends = list(store.query("PREFIX ea: <https://w3id.org/etom-kg/ea#> "
                             "SELECT ?c ?b WHERE { ?c ea:bendpoints ?b }"))
    assert bends and all("," in r["b"].value for r in bends)


@pytest.fixture(scope="module")
def telco_export(xsd):
    kg = etom_kg.load()
    merge(kg, FIXTURES / "telco-landscape.xml")
    return kg, export_model(kg, alignment_view=True)


def test_the_merged_model_comes_back_with_its_etom_elements_and_alignment(telco_export, xsd):
    _, data = telco_export
    assert validate_exchange(data, xsd) == []
    root = ET.fromstring(data)
    elements = {e.get("identifier"): e for e in root.iter(NS + "element")}
    assert elements["id-etom-kg-P1-1-1-5"].get(XSI_TYPE) == "BusinessProcess"
    names = {n.text for n in elements["id-etom-kg-P1-1-1-5"].findall(NS + "name")}
    assert names == {"Обработка заказов", "Order handling"}
    definitions = {d.get("identifier"): d.find(NS + "name").text
                   for d in root.iter(NS + "propertyDefinition")}
    aligned = [r for r in root.iter(NS + "relationship")
               if r.get("identifier").startswith("id-etom-kg-alignment-")]
    assert aligned and all(r.get(XSI_TYPE) == "Association" for r in aligned)
    for rel in aligned:
        props = {definitions[p.get("propertyDefinitionRef")]: p.find(NS + "value").text
                 for p in rel.iter(NS + "property")}
        assert set(props) == {"eTOM ID", "confidence", "basis"}
        assert props["confidence"] in ("high", "medium", "low", "asserted")
        name = rel.find(NS + "name").text
        assert ("uncertain" in name) == (props["confidence"] in ("medium", "low")), name
    order = next(r for r in aligned if r.get("source") == "bp-order")
    assert order.get("target") == "id-etom-kg-P1-1-1-5"
    folder = next(i for i in root.iter(NS + "item") if i.get("identifier") == "id-etom-kg-folder")
    held = {i.get("identifierRef") for i in folder.findall(NS + "item")}
    assert "id-etom-kg-P1-1-1-5" in held and order.get("identifier") in held
    view = next(v for v in root.iter(NS + "view")
                if v.get("identifier") == "id-etom-kg-alignment-view")
    assert len(view.findall(NS + "connection")) == len(aligned)


def test_export_from_the_merged_trig_equals_export_from_the_model(telco_export, tmp_path):
    kg, data = telco_export
    trig = write(kg, tmp_path / "merged.trig", graphs=[g for g in kg.graph_names()
                                                      if "/etom-kg/graph/etom-kg/" not in g])
    again = etom_kg.load()
    again.add(trig)
    assert export_model(again, alignment_view=True) == data


def test_export_command_writes_the_model_or_standard_output(tmp_path, capsys, xsd):
    out = tmp_path / "back.xml"
    model = FIXTURES / "telco-landscape.xml"
    assert main(["export", "--format", "archimate", "--data", str(model), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "alignment relationships" in said
    assert validate_exchange(out.read_bytes(), xsd) == []
    assert main(["export", "--data", str(model), "--no-alignment", "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<?xml") and "id-etom-kg-" not in captured.out
    assert "wrote standard output" in captured.err


NATIVE = FIXTURES / "archi-native.archimate"


def test_an_archi_native_file_is_read_with_its_folders_views_and_layout(xsd):
    model = read_archimate(NATIVE)
    assert (model.elements, model.relationships, model.views) == (8, 8, 2)  # no sketch view
    exported = export_model(_store(model), alignment=False)
    assert validate_exchange(exported, xsd) == []
    root = ET.fromstring(exported)
    nodes = {n.get("identifier"): n for n in root.iter(NS + "node")}
    # Archi's bounds are relative to the group; the exchange format's are absolute
    nested = nodes["id-d0000000-0002-4000-8000-000000000002"]
    assert (nested.get("x"), nested.get("y"), nested.get("w"), nested.get("h")) == \
        ("48", "72", "120", "55")
    group = nodes["id-d0000000-0001-4000-8000-000000000001"]
    assert group.get(XSI_TYPE) == "Container" and group.find(NS + "label").text == \
        "Customer processes"
    note = nodes["id-d0000000-0006-4000-8000-000000000006"]
    assert note.get(XSI_TYPE) == "Label" and "Or junction" in note.find(NS + "label").text
    reference = nodes["id-d0000000-0007-4000-8000-000000000007"]
    assert reference.find(NS + "viewRef").get("ref") == "id-v0000000-0002-4000-8000-000000000002"
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iter(NS + "element")}
    assert types["id-j0000000-0001-4000-8000-000000000001"] == "OrJunction"
    access = {r.get("identifier"): r.get("accessType") for r in root.iter(NS + "relationship")}
    assert access["id-r0000000-0005-4000-8000-000000000005"] == "Write"  # Archi's default
    assert access["id-r0000000-0006-4000-8000-000000000006"] == "Read"
    labels = [i.find(NS + "label").text for i in root.find(NS + "organizations")]
    assert labels[:2] == ["Strategy", "Business"]


def test_an_archi_file_merges_aligns_and_answers_the_ea_queries(tmp_path, xsd):
    kg = etom_kg.load()
    result = merge(kg, NATIVE)
    assert {a.target_id for a in result.alignment.alignments} == {"1.1.1.5", "1.1.1.6",
                                                                   "TMFC002"}
    paths = {r.path for r in kg.query("enterprise-applications-for-process", process="1.1.1")}
    assert "Order Manager —serving→ (or junction) → Problem handling" in paths
    out = tmp_path / "back.xml"
    assert main(["export", "--data", str(NATIVE), "--alignment-view", "-o", str(out)]) == 0
    assert validate_exchange(out.read_bytes(), xsd) == []


def test_a_zipped_archi_file_is_read_and_a_broken_one_is_refused_in_one_line(tmp_path, capsys):
    import zipfile

    zipped = tmp_path / "with-images.archimate"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("model.xml", NATIVE.read_bytes())
        archive.writestr("images/logo.png", b"\x89PNG")
    assert set(read_archimate(zipped).triples) == set(read_archimate(NATIVE).triples)
    broken = tmp_path / "broken.archimate"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("other.xml", b"<x/>")
    assert main(["export", "--data", str(broken), "-o", str(tmp_path / "x.xml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(broken) in err and "model.xml" in err


def test_a_graph_takes_an_exchange_file_directly_and_aligns_it():
    kg = etom_kg.load()
    kg.add(FIXTURES / "telco-landscape.xml")
    rows = kg.query("enterprise-applications-for-process", process="1.1.1.5")
    assert {r.applicationName for r in rows} >= {"Order Manager"}


def test_a_legacy_2_1_file_is_refused_by_export_too(shared, tmp_path, capsys):
    legacy = shared / "testdata/archimate/legacy-archimate2.1/Archisurance_v2.1.xml"
    assert main(["export", "--data", str(legacy), "-o", str(tmp_path / "x.xml")]) == 2
    assert "ArchiMate 2.1" in capsys.readouterr().err
    assert not (tmp_path / "x.xml").exists()


def test_two_models_with_one_identifier_are_not_fused_on_export(shared):
    kg = etom_kg.load()
    path = shared / "testdata/archimate/opengroup-examples/Basic_Model.xml"
    merge(kg, path, "https://example.org/g/one", align=False)
    merge(kg, path, "https://example.org/g/two", base="https://example.org/other/", align=False)
    with pytest.raises(InputError, match="one at a time"):
        export_model(kg)


def test_with_links_exports_exactly_what_links_shows_uncertain_ones_marked(xsd):
    from etom_kg.commands.links import collect
    from etom_kg.io.archimate_export import export_archimate

    kg = etom_kg.load()
    data = export_archimate(kg, "1.1.1.5", with_links=True)
    assert validate_exchange(data, xsd) == []
    root = ET.fromstring(data)
    definitions = {d.get("identifier"): d.find(NS + "name").text
                   for d in root.iter(NS + "propertyDefinition")}

    def props(node):
        return {definitions[p.get("propertyDefinitionRef")]: p.find(NS + "value").text
                for p in node.iter(NS + "property")}

    elements = {e.get("identifier"): (e.get(XSI_TYPE), props(e))
                for e in root.iter(NS + "element")}
    iri_of = {ident: p["etom-kg IRI"] for ident, (_, p) in elements.items()}
    shown = collect(kg, "1.1.1.5")
    served, accessed, everywhere = {}, {}, set()
    for rel in root.iter(NS + "relationship"):
        kind = rel.get(XSI_TYPE)
        if kind == "Serving":
            everywhere.add(iri_of[rel.get("source")])
            if rel.get("target") == "id-P1-1-1-5":
                served[iri_of[rel.get("source")]] = (props(rel), rel.find(NS + "name").text)
        elif kind == "Access":
            everywhere.add(iri_of[rel.get("target")])
            if rel.get("source") == "id-P1-1-1-5":
                accessed[iri_of[rel.get("target")]] = (props(rel), rel.find(NS + "name").text)
    expected_served = {i["iri"]: i for i in shown["applications"] + shown["components"]}
    expected_data = {i["iri"]: i for i in shown["data"]}
    # what `links 1.1.1.5` shows is exported (at 1.1.1.5 or at the sub-process that has it)
    assert everywhere == expected_served.keys() | expected_data.keys()
    assert {i["iri"] for i in shown["components"]} <= everywhere  # the ODA components too
    assert served and accessed  # each Access to its own entity, not all to one
    for iri, (got, name) in list(served.items()) + list(accessed.items()):
        item = expected_served.get(iri) or expected_data[iri]
        assert got["confidence"] == item["confidence"]
        assert got["basis"] == "; ".join(item["basis"])
        assert ("uncertain" in name) == (not item["certain"])


@pytest.mark.parametrize("diagram, says", [
    ('<node identifier="n1" elementRef="a" x="1" y="1" w="9" h="9" xsi:type="Element"/>'
     '<connection identifier="c1" source="n1" target="nowhere" xsi:type="Line"/>',
     "target 'nowhere' is not a node or connection of view v"),
    ('<node elementRef="a" x="1" y="1" w="9" h="9" xsi:type="Element"/>',
     "has no identifier"),
    ('<node identifier="n1" elementRef="ghost" x="1" y="1" w="9" h="9" xsi:type="Element"/>',
     "shows 'ghost', which is not a concept of the model"),
    ('<node identifier="n1" elementRef="a" x="1" y="1" w="9" h="9" xsi:type="Element">'
     '<style><fillColor r="300" g="0" b="0"/></style></node>', "is not an RGB colour"),
    ('<node identifier="n1" x="1" y="1" w="9" h="9" xsi:type="Sticker"/>',
     "unknown type 'Sticker'"),
])
def test_a_broken_diagram_is_refused_in_one_line_naming_what_is_wrong(tmp_path, diagram, says):
    path = tmp_path / "broken-view.xml"
    path.write_text(
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m"><name>m</name>'
        '<elements><element identifier="a" xsi:type="BusinessActor"><name>a</name></element>'
        '</elements><views><diagrams><view identifier="v" xsi:type="Diagram"><name>v</name>'
        f'{diagram}</view></diagrams></views></model>', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_archimate(path)
    assert says in str(err.value) and "\n" not in str(err.value) and str(path) in str(err.value)


def test_query_and_sparql_take_an_exchange_file_with_data(tmp_path, capsys):
    model = str(FIXTURES / "junctions.xml")
    assert main(["query", "enterprise-applications-for-process", "-p", "process=1.1.1.5",
                 "--format", "json", "--data", model]) == 0
    assert "Order Manager —serving→ (and junction) → Take orders" in capsys.readouterr().out
    query = tmp_path / "apps.rq"
    query.write_text("SELECT ?name WHERE { ?app a <https://purl.org/archimate#ApplicationComponent> ;"
                     " <https://purl.org/archimate#name> ?name }", encoding="utf-8")
    assert main(["sparql", str(query), "--format", "csv", "--data", model]) == 0
    assert "Workflow engine" in capsys.readouterr().out


def test_exporting_a_fused_duplicate_identifier_says_what_was_written(tmp_path, capsys, xsd):
    out = tmp_path / "claims.xml"
    assert main(["export", "--data", str(FIXTURES / "claims-and-strategy.xml"), "-o",
                 str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: dup-1 has several types (ApplicationComponent, BusinessProcess)" in err
    assert validate_exchange(out.read_bytes(), xsd) == []
