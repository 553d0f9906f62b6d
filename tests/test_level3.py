"""The informative level-3 module says exactly what the public reference says, and
level 3 works everywhere level 2 does, without changing any level-2 answer.

The reference is ../shared/reference/etom-structure.md (sections 3, 3b and 4): its
markdown tables are parsed here, independently of how the module was written.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import etom_kg
from etom_kg.core.namespaces import SHIPPED_PREFIX, process_iri

ETOM = "https://w3id.org/etom-kg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
R16 = "https://w3id.org/etom-kg/tmf-etom/r16/P"
RANK = {"low": 0, "medium": 1, "high": 2}
L3_GRAPH = SHIPPED_PREFIX + "etom-crm-l3"


# -- the reference, parsed ---------------------------------------------------------
def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _tables(text: str):
    """(section heading, header, rows) of every markdown table, in order."""
    heading, lines = "", text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#"):
            heading = line.lstrip("# ").strip()
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-| ]+\|$", lines[i + 1]) \
                and not lines[i - 1].startswith("|"):
            header = [c.lower() for c in _cells(line)]
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(header, _cells(row))))
            yield heading, header, rows


def _word(text: str) -> str:
    return re.search(r"high|medium|low", text).group(0)


def _element_confidence(cell: str) -> str:
    cell = cell.lower().replace("*", "")
    for part in cell.split(";"):
        if "legacy" in part or re.search(r"\bids?\b", part):
            return _word(part)
    return _word(cell)


def _r16_confidence(cell: str) -> str:
    cell = cell.lower().replace("*", "")
    for part in cell.split(";"):
        if "r16" in part:
            return _word(part)
    return _element_confidence(cell)


def _r16_ids(cell: str) -> list[str]:
    """The R16 IDs a cell gives for certain: before any parenthesis or ';', never '?'/'.x'."""
    head = re.split(r"[(;]", cell)[0]
    return [m.group(1) for m in re.finditer(r"(\d+(?:\.\d+)+)(?![\d.]*[?x])", head)]


def _name(cell: str) -> str:
    if cell.startswith("("):  # "(name not in excerpt; R14.5 list suggests NAME – medium)"
        found = re.search(r"suggests (.+?) –", cell)
        return found.group(1) if found else None
    # A trailing remark in parentheses (other release's name, deletion, ...) is not the name;
    # "Manage Request (Including Self Service)" keeps its parenthesis.
    return re.sub(r" \((?=[^)]*(?::|deleted|addition|suffix))[^)]*\)", "", cell).strip()


@pytest.fixture(scope="module")
def reference(shared) -> dict[str, dict]:
    """Legacy ID -> name, parent, R16 IDs, element and mapping confidence, deleted."""
    text = (shared / "reference" / "etom-structure.md").read_text(encoding="utf-8")
    rows: dict[str, dict] = {}
    in_scope = False
    for heading, header, table in _tables(text):
        if heading.startswith("3. Level-3") or heading.startswith("1.1.1.") \
                or heading.startswith("3b."):
            in_scope = True
        elif heading.startswith("4. Further"):
            in_scope = True
        elif heading.startswith("5."):
            in_scope = False
        if not in_scope or "legacy id" not in header and "legacy (original) id" not in header:
            continue
        for row in table:
            if "legacy (original) id" in header:          # section 4
                legacy, conf = row["legacy (original) id"], "high"
                if "medium" in row["name"]:
                    conf = "medium"
                entry = dict(name=_name(row["name"]), r16=[row["r16 id"]], conf=conf, mconf=conf,
                             deleted=False, section=4)
            else:                                          # sections 3 and 3b
                legacy = row["legacy id"]
                if not re.fullmatch(r"1\.1\.1\.\d+(\.\d+)+", legacy):
                    continue                               # "?" rows: names without an ID
                r16_cell = next((v for k, v in row.items() if k.startswith("r16 id")), "")
                conf = _element_confidence(row["confidence"])
                mconf = min(conf, _r16_confidence(row["confidence"]), key=RANK.get)
                entry = dict(name=_name(row["name"]), r16=_r16_ids(r16_cell), conf=conf,
                             mconf=mconf, deleted="deleted" in row["name"].lower(), section=3)
            if not re.fullmatch(r"1\.1\.1\.\d+(\.\d+)+", legacy):
                continue                                   # "?" rows: names without an ID
            entry["parent"] = legacy.rsplit(".", 1)[0]
            rows[legacy] = entry
    return rows


@pytest.fixture(scope="module")
def module_ids(kg) -> set[str]:
    return {r.id for r in kg.sparql(
        f"SELECT (STR(?n) AS ?id) WHERE {{ GRAPH <{L3_GRAPH}> {{ ?e a etom:ProcessElement ; "
        "skos:notation ?n }}")}


def _l2_ids(kg) -> set[str]:
    return {r.id for r in kg.query("children", process="1.1.1")}


# -- the module against the reference ---------------------------------------------
def test_the_reference_has_the_rows_this_test_relies_on(reference):
    assert len(reference) > 80
    assert reference["1.1.1.5.4"]["name"] == "Track & Manage Customer Order Handling"
    assert reference["1.1.1.5.3"]["deleted"] and reference["1.1.1.4.4"]["deleted"]
    assert reference["1.1.1.9.1"]["r16"] == ["1.3.4.2", "1.3.4.4"]
    assert reference["1.1.1.1.3"] == dict(name="Support Problem Handling", r16=["1.3.1.3"],
                                          conf="medium", mconf="medium", deleted=False,
                                          section=3, parent="1.1.1.1")


def test_the_module_holds_every_reference_row_under_a_crm_element_and_no_other_id(
        kg, reference, module_ids):
    level2 = _l2_ids(kg)
    expected = set()
    for pid in sorted(reference, key=lambda i: i.count(".")):
        parent = reference[pid]["parent"]
        if parent in level2 or parent in expected:
            expected.add(pid)
    # Rows under post-2007 level-2 elements (1.1.1.16, 1.1.1.22, ...) have no parent here.
    assert "1.1.1.16.3" in reference and "1.1.1.16.3" not in expected
    assert module_ids == expected
    assert len(module_ids) == 87


def test_every_element_has_the_reference_name_parent_confidence_and_deletion(
        kg, reference, module_ids):
    for pid in sorted(module_ids):
        ref = reference[pid]
        p = kg.process(pid)
        assert p.labels["en"] == ref["name"], pid
        assert p.labels["ru"] and p.labels["ru"] != ref["name"], pid
        assert p.parent.id == ref["parent"], pid
        assert p.level == pid.count(".") - 1 and p.kind == "ProcessElement", pid
        facts = kg.sparql("""SELECT ?c ?deprecated WHERE {
            ?e etom:confidence ?c . OPTIONAL { ?e owl:deprecated ?deprecated } }""",
                          {"e": __import__("pyoxigraph").NamedNode(process_iri(pid))})
        assert [r.c for r in facts] == [ETOM + ref["conf"].title() + "Confidence"], pid
        assert bool(facts[0].deprecated) == ref["deleted"], pid
        if ref["conf"] != "high":  # nothing uncertain reads as certain, even in `show`
            assert f"Confidence: {ref['conf']}" in p.definitions["en"], pid


def test_the_crosswalk_is_the_reference_r16_column_with_its_confidence(kg, reference,
                                                                        module_ids):
    links = kg.sparql("""SELECT (STR(?sn) AS ?legacy) (STR(?on) AS ?r16) ?c ?p ?direct WHERE {
        ?l a etom:CrosswalkLink ; etom:linkSubject ?s ; etom:linkObject ?o ;
           etom:confidence ?c ; etom:mappingProperty ?p .
        ?s skos:notation ?sn . ?o skos:notation ?on .
        BIND(EXISTS { ?s ?p ?o } AS ?direct) }""")
    got = {}
    for r in links:
        if r.legacy in module_ids:
            got.setdefault(r.legacy, []).append(r)
    for pid in sorted(module_ids):
        ref = reference[pid]
        rows = got.get(pid, [])
        assert sorted(r.r16 for r in rows) == sorted(ref["r16"]), pid
        for r in rows:
            assert r.c == ETOM + ref["mconf"].title() + "Confidence", pid
            # A low mapping is never stated as a plain SKOS fact, only as a qualified link.
            assert r.direct == (ref["mconf"] != "low"), pid
            assert r.p == SKOS + ("narrowMatch" if len(ref["r16"]) > 1 else "exactMatch"), pid


def test_no_id_appears_that_the_reference_lacks(kg, shared):
    text = (shared / "reference" / "etom-structure.md").read_text(encoding="utf-8")
    known = set(re.findall(r"\d+(?:\.\d+)+", text))
    # The module's elements, and the R16 elements its crosswalk names (with their parents).
    ids = {r.id for r in kg.sparql(f"""SELECT DISTINCT (STR(?n) AS ?id) WHERE {{
        {{ GRAPH <{L3_GRAPH}> {{ ?e skos:notation ?n }} }}
        UNION {{ GRAPH <{SHIPPED_PREFIX}links/crosswalk-l3> {{ ?l etom:linkObject ?o }}
                 ?o skos:broader* ?e . ?e skos:notation ?n }} }}""")}
    assert len(ids) > 150
    assert ids - known == set()


def test_russian_names_are_declared_the_projects_translation_and_sources_are_public(
        kg, module_ids):
    for pid in module_ids:
        rows = kg.sparql("""SELECT ?note ?src WHERE { ?e skos:editorialNote ?note ;
            dcterms:source ?src . FILTER(LANG(?note) = "en") }""",
                         {"e": __import__("pyoxigraph").NamedNode(process_iri(pid))})
        assert any("project's own translation" in r.note for r in rows), pid
        sources = {r.src for r in rows} - {"https://w3id.org/etom-kg/source/etom-reference-level3"}
        assert sources, pid  # a public page or TM Forum publication, besides the compilation
        assert not any("GOST" in s for s in sources), pid


def test_level_3_elements_sit_in_the_verticals_of_their_parent(kg, module_ids):
    for pid in module_ids:
        mine = [v.vertical for v in kg.query("verticals", process=pid)]
        parent = [v.vertical for v in kg.query("verticals", process=pid.rsplit(".", 1)[0])]
        assert mine == parent and mine, pid


def test_names_without_an_id_are_a_note_on_the_parent_not_an_element(kg):
    notes = [r.note for r in kg.sparql(
        'SELECT ?note WHERE { process:P1-1-1-1 skos:note ?note . FILTER(LANG(?note) = "en") }')]
    assert len(notes) == 1
    for name in ("Support Order Handling", "Manage Campaign", "Support Billing & Collections"):
        assert name in notes[0]
    assert "none is minted" in notes[0]
    assert not kg.sparql('ASK { ?e skos:prefLabel "Manage Campaign"@en }')


# -- level 3 works everywhere, and level 2 stays as it was ------------------------------
L2_QUERIES = ("element", "children", "functions", "verticals", "handoffs", "ancestors",
              "applications-for-process", "oda-components-for-process", "data-for-process",
              "apis-for-process")


def test_level_2_answers_are_the_same_with_and_without_the_level_3_module(kg):
    without = etom_kg.load(levels=2)
    for pid in ["1.1", "1.1.1"] + sorted(_l2_ids(kg)):
        for name in L2_QUERIES:
            if name == "children" and pid.count(".") == 3:
                continue  # the only level-2 answer level 3 extends, on purpose
            assert kg.query(name, process=pid) == without.query(name, process=pid), (name, pid)
    for text in ("заказ", "credit", "счет", "CRM"):
        def level2(rows):
            return [r for r in rows if r.kind == "process" and r.id.count(".") <= 3]
        assert level2(kg.query("search", text=text)) == level2(without.query("search", text=text))
    assert set(kg.graph_names()) - set(without.graph_names()) == {
        SHIPPED_PREFIX + "etom-crm-l3", SHIPPED_PREFIX + "links/crosswalk-l3"}
    assert without.query("children", process="1.1.1.5") == []


def test_levels_must_be_2_or_3():
    from etom_kg.core.errors import UsageError

    with pytest.raises(UsageError, match="levels must be 2 or 3"):
        etom_kg.load(levels=4)


def test_tree_of_order_handling_lists_its_level_3_children():
    out = subprocess.run([sys.executable, "-m", "etom_kg.cli", "tree", "1.1.1.5", "--lang", "en",
                          "--depth", "1"], capture_output=True, text=True, check=True).stdout
    assert [line.split()[0] for line in out.splitlines()] == [
        "1.1.1.5"] + [f"1.1.1.5.{n}" for n in range(1, 9)]
    assert "  1.1.1.5.4  Track & Manage Customer Order Handling" in out.splitlines()


def test_named_queries_work_at_level_3(kg):
    assert [r.id for r in kg.query("children", process="1.1.1.5.6")] == ["1.1.1.5.6.1",
                                                                         "1.1.1.5.6.2"]
    assert [r.id for r in kg.query("ancestors", process="1.1.1.5.6.2")] == [
        "1.1", "1.1.1", "1.1.1.5", "1.1.1.5.6"]
    hits = {(r.id, r.field) for r in kg.query("search", text="Authorize Credit")}
    assert ("1.1.1.5.2", "label") in hits


def test_crosswalk_queries_work_both_ways(kg):
    forward = kg.sparql("""SELECT (STR(?n) AS ?id) WHERE {
        process:P1-1-1-5-4 skos:exactMatch ?r . ?r skos:notation ?n }""")
    assert [r.id for r in forward] == ["1.3.3.3"]
    back = kg.sparql(f"""SELECT (STR(?n) AS ?id) WHERE {{
        ?e skos:exactMatch <{R16}1-3-3-3-1> ; skos:notation ?n }}""")
    assert [r.id for r in back] == ["1.1.1.5.4.1"]
    # A level-3 element reaches the TM Forum links through its own crosswalk.
    assert {r.componentId for r in kg.query("oda-components-for-process",
                                              process="1.1.1.10.1")} >= {"TMFC030", "TMFC031"}


def test_an_extension_may_hang_under_a_level_3_element(tmp_path):
    data = tmp_path / "ext.ttl"
    data.write_text("""
        PREFIX etom: <https://w3id.org/etom-kg/ontology#>
        PREFIX process: <https://w3id.org/etom-kg/process/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX ex: <https://example.org/op/>
        ex:Check a etom:ProcessElement ;
            skos:notation "2.1.1.5.4.1"^^etom:ProcessId ;
            skos:prefLabel "Контроль сроков заказа"@ru , "Order deadline check"@en ;
            skos:definition "Контроль сроков выполнения заказа."@ru , "Checks order deadlines."@en ;
            skos:broader process:P1-1-1-5-4 .
        """, encoding="utf-8")
    report = etom_kg.validate(data)
    # Clause 5.2 numbers only down to level 3: a level-4 extension is a warning, no more.
    assert [(r.focus, r.source_shape.rsplit("#")[1], r.severity) for r in report.results] == [
        ("https://example.org/op/Check", "ProcessLevelBeyondStandard", "Warning")]
    kg = etom_kg.load(extra=[data])
    assert "2.1.1.5.4.1" in [r.id for r in kg.query("children", process="1.1.1.5.4")]


def test_a_level_3_decomposition_diagram_of_one_element(kg):
    from etom_kg.publish.diagrams import decomposition

    svg = decomposition(kg, "1.1.1.5", "en")
    for n in range(1, 9):
        assert f"1.1.1.5.{n}" in svg


def test_a_level_3_element_inherits_its_parents_links_marked_inherited_and_not_certain(kg):
    parent = {r.applicationId for r in kg.query("applications-for-process", process="1.1.1.5")
              if "1.1.1.5 (GOST)" in r.via}
    rows = kg.query("applications-for-process", process="1.1.1.5.4")
    assert parent and {r.applicationId for r in rows} >= parent
    for r in rows:
        assert "inherited" in r.via and r.confidence in ("medium", "low"), r
    data = kg.query("data-for-process", process="1.1.1.5.4.1")
    assert data and all("inherited" in r.via and r.confidence != "high" for r in data)
    # Its own crosswalk route is not marked inherited.
    own = kg.query("oda-components-for-process", process="1.1.1.10.1")
    assert any(r.confidence == "high" and any("inherited" not in route
                                               for route in r.via.split("; ")) for r in own)


def test_tree_marks_what_is_not_certain_and_fits_100_columns():
    def tree(*args):
        return subprocess.run([sys.executable, "-m", "etom_kg.cli", "tree", *args],
                              capture_output=True, text=True, check=True).stdout.splitlines()

    assert "  1.1.1.4.1  Manage Prospect (low confidence)" in tree("1.1.1.4", "--lang", "en")
    assert "  1.1.1.5.4  Track & Manage Customer Order Handling" in tree("1.1.1.5", "--lang", "en")
    assert "  1.1.1.9.2  Формирование знаний о клиенте (достоверность низкая)" in tree(
        "1.1.1.9", "--lang", "ru")
    assert max(map(len, tree("1.1.1"))) <= 100  # both languages, level 4 included
