"""ArchiMate exchange format ⇄ RDF, on real exchange files from ../shared/testdata."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

import etom_kg
from etom_kg.io.archimate import (ARCHIMATE, EA, NS3, export_archimate, read_archimate,
                               validate_exchange)
from etom_kg.core.errors import InputError

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _models(shared):
    root = shared / "testdata" / "archimate"
    files = sorted(p for p in root.rglob("*.xml") if "legacy" not in str(p))
    assert len(files) == 17
    return files


def _xml_counts(path):
    tree = ET.parse(path)
    ns = {"a": NS3}
    elements = tree.findall("a:elements/a:element", ns)
    relationships = tree.findall("a:relationships/a:relationship", ns)
    return {e.get("identifier"): e.get(XSI_TYPE) for e in elements}, \
        {r.get("identifier"): r for r in relationships}


def _store(model):
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in model.triples)
    return store


def test_every_element_and_relationship_of_every_model_appears_in_the_rdf(shared):
    for path in _models(shared):
        elements, relationships = _xml_counts(path)
        model = read_archimate(path)
        assert (model.elements, model.relationships) == (len(elements), len(relationships)), path
        store = _store(model)
        for identifier, kind in elements.items():
            node = ox.NamedNode(model.base + identifier)
            types = {q.object.value for q in store.quads_for_pattern(node, RDF_TYPE, None)}
            expected = ARCHIMATE + ("Junction" if kind.endswith("Junction") else kind)
            assert expected in types, (path.name, identifier)
        rows = list(store.query(
            "SELECT ?r ?s ?p ?o WHERE { ?r a <%sRelationship> ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o . ?s ?p ?o }" % ARCHIMATE))
        assert len(rows) == len(relationships), path
        for row in rows:
            xml = relationships[row["r"].value[len(model.base):]]
            assert row["s"].value == model.base + xml.get("source")
            assert row["o"].value == model.base + xml.get("target")
            assert row["p"].value.lower() == ARCHIMATE.lower() + xml.get(XSI_TYPE).lower()


def test_archisurance_keeps_properties_definitions_organizations_and_views(shared):
    path = shared / "testdata/archimate/archi-tests/archisurance.xml"
    model = read_archimate(path)
    assert (model.elements, model.relationships, model.views, model.property_definitions) == \
        (120, 178, 17, 3)
    store = _store(model)
    kinds = {}
    for row in store.query("SELECT ?t (COUNT(?x) AS ?n) WHERE { ?x a ?t } GROUP BY ?t"):
        kinds[row["t"].value] = int(row["n"].value)
    assert kinds[ARCHIMATE + "ApplicationComponent"] == 10
    assert kinds[ARCHIMATE + "DataObject"] == 4
    assert kinds[ARCHIMATE + "BusinessProcess"] == 9
    assert kinds[EA + "PropertyDefinition"] == 3
    assert kinds[EA + "Folder"] >= 1
    text = path.read_text(encoding="utf-8")
    assert kinds[ARCHIMATE + "Property"] == text.count("propertyDefinitionRef=")


def test_names_and_documentation_keep_their_languages(shared):
    model = read_archimate(shared / "testdata/archimate/opengroup-examples/Basic_Model_Properties.xml")
    names = {(t.object.value, t.object.language) for t in model.triples
             if t.predicate.value == ARCHIMATE + "name"}
    assert ("A Business Actor", "en") in names
    keys = {t.object.value for t in model.triples if t.predicate.value == ARCHIMATE + "propertyKey"}
    assert keys == {"Cost", "User Property"}


def test_access_types_become_the_vocabulary_values(shared):
    model = read_archimate(shared / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml")
    values = {t.object.value for t in model.triples if t.predicate.value == ARCHIMATE + "accessType"}
    assert values <= {"read", "write", "readwrite", "unspecified"} and "write" in values


def test_import_is_deterministic(shared):
    path = shared / "testdata/archimate/archi-tests/archisurance.xml"
    assert read_archimate(path).turtle() == read_archimate(path).turtle()


def test_an_archimate_2_1_file_is_refused_in_one_line(shared):
    path = shared / "testdata/archimate/legacy-archimate2.1/Archisurance_v2.1.xml"
    with pytest.raises(InputError) as err:
        read_archimate(path)
    message = str(err.value)
    assert "\n" not in message and "ArchiMate 2.1" in message and str(path) in message


def test_other_xml_and_broken_xml_are_refused(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><catalog xmlns="urn:x"><item/></catalog>')
    with pytest.raises(InputError, match="not an ArchiMate 3.x model exchange file"):
        read_archimate(other)
    broken = tmp_path / "broken.xml"
    broken.write_text(f'<model xmlns="{NS3}" identifier="m">\n<elements>\n</model>')
    with pytest.raises(InputError) as err:
        read_archimate(broken)
    assert err.value.line == 3


def test_dtds_and_entities_are_refused(tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    f'<model xmlns="{NS3}" identifier="m"><name>&x;</name></model>')
    with pytest.raises(InputError, match="refused XML"):
        read_archimate(evil)


def test_a_relationship_to_a_missing_element_is_an_error(tmp_path):
    bad = tmp_path / "dangling.xml"
    bad.write_text(f'<model xmlns="{NS3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                   'identifier="m"><name>m</name><elements><element identifier="a" '
                   'xsi:type="BusinessActor"><name>a</name></element></elements><relationships>'
                   '<relationship identifier="r" source="a" target="nowhere" '
                   'xsi:type="Serving"/></relationships></model>')
    with pytest.raises(InputError, match="'nowhere' is not an element"):
        read_archimate(bad)


# -- export --------------------------------------------------------------------


@pytest.fixture(scope="module")
def xsd(shared):
    return shared / "testdata/xsd/archimate3.1"


def test_the_crm_export_validates_against_the_official_schemas(xsd):
    kg = etom_kg.load()
    for with_links in (False, True):
        data = export_archimate(kg, with_links=with_links)
        assert validate_exchange(data, xsd) == []


def test_the_validator_does_find_errors(xsd):
    data = export_archimate(etom_kg.load())
    unknown_type = data.replace(b'xsi:type="Composition"', b'xsi:type="UsedBy"', 1)
    assert validate_exchange(unknown_type, xsd)
    no_identifier = data.replace(b'identifier="id-P1-1-1-5" ', b"", 1)
    assert any("identifier" in e for e in validate_exchange(no_identifier, xsd))


def test_the_crm_export_has_processes_compositions_ids_and_both_languages():
    data = export_archimate(etom_kg.load())
    root = ET.fromstring(data)
    ns = {"a": NS3}
    elements = root.findall("a:elements/a:element", ns)
    kinds = {e.get("identifier"): e.get(XSI_TYPE) for e in elements}
    assert kinds["id-P1-1-1"] == "BusinessFunction"
    # The 11 elements of the standard and the 87 of the informative level-3 module.
    assert sum(k == "BusinessProcess" for k in kinds.values()) == 11 + 87
    order = next(e for e in elements if e.get("identifier") == "id-P1-1-1-5")
    names = {n.get("{http://www.w3.org/XML/1998/namespace}lang"): n.text
             for n in order.findall("a:name", ns)}
    assert names == {"ru": "Обработка заказов", "en": "Order handling"}
    values = [v.text for v in order.iter(f"{{{NS3}}}value")]
    assert "1.1.1.5" in values
    rels = root.findall("a:relationships/a:relationship", ns)
    assert len(rels) == 11 + 87
    assert all(r.get(XSI_TYPE) == "Composition" for r in rels)
    assert sum(r.get("source") == "id-P1-1-1" for r in rels) == 11


def test_the_export_is_deterministic():
    assert export_archimate(etom_kg.load(), with_links=True) == \
        export_archimate(etom_kg.load(), with_links=True)


def test_links_add_application_components_and_business_objects():
    root = ET.fromstring(export_archimate(etom_kg.load(), with_links=True))
    ns = {"a": NS3}
    kinds = [e.get(XSI_TYPE) for e in root.findall("a:elements/a:element", ns)]
    assert "ApplicationComponent" in kinds and "BusinessObject" in kinds
    rel_kinds = {r.get(XSI_TYPE) for r in root.findall("a:relationships/a:relationship", ns)}
    assert rel_kinds == {"Composition", "Serving", "Access"}


def test_export_then_import_round_trips_and_aligns_every_process(tmp_path):
    from etom_kg.ea.merge import merge

    path = tmp_path / "crm.xml"
    path.write_bytes(export_archimate(etom_kg.load()))
    kg = etom_kg.load()
    result = merge(kg, path)
    assert result.conflicts == []
    aligned = {a.target_id for a in result.alignment.alignments}
    below = {r.id for r in etom_kg.load().query("descendants", process="1.1.1")}
    assert {f"1.1.1.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12)} < below
    assert aligned == {"1.1.1"} | below
    assert {a.rule.rsplit("#")[-1] for a in result.alignment.alignments} == \
        {"rule-process-id-property"}
