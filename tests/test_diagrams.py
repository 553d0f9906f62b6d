"""Pictograms, the CRM decomposition (Figure 3) and link diagrams are drawn from the graph."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree

import etom_kg
from etom_kg.publish import diagrams
from etom_kg.core.namespaces import ETOM

SVG = "{http://www.w3.org/2000/svg}"
V = "https://w3id.org/etom-kg/vertical/"

EXTENSION = """\
@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix vertical: <https://w3id.org/etom-kg/vertical/> .
@prefix scheme: <https://w3id.org/etom-kg/scheme/> .
process:P1-1-1-13 a etom:ProcessElement, skos:Concept ;
    skos:notation "1.1.1.13"^^etom:ProcessId ; etom:level 2 ; skos:inScheme scheme:etom ;
    skos:broader process:P1-1-1 ; etom:inVerticalGrouping vertical:Billing ;
    skos:prefLabel "Управление скидками"@ru, "Discount management"@en .
process:P1-1-1-14 a etom:ProcessElement, skos:Concept ;
    skos:notation "1.1.1.14"^^etom:ProcessId ; etom:level 2 ; skos:inScheme scheme:etom ;
    skos:broader process:P1-1-1 ;
    skos:prefLabel "Учёт обращений"@ru, "Contact accounting"@en .
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    path = tmp_path_factory.mktemp("ext") / "extension.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return etom_kg.load(extra=[path]), path


def parse(svg: str):
    root = ElementTree.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def cells(root):
    return {(r.get("data-row"), r.get("data-column")): r.get("data-highlighted") == "true"
            for r in root.iter(f"{SVG}rect") if r.get("class") == "cell"}


def dark(root):
    return {key for key, on in cells(root).items() if on}


def all_text(root) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def graph_verticals(kg, process_id):
    """The verticals the graph states for an element, read without the named queries."""
    import pyoxigraph as ox

    notation = ox.Literal(process_id, datatype=ox.NamedNode(ETOM + "ProcessId"))
    rows = kg.sparql("SELECT ?v WHERE { ?p skos:notation ?id ; etom:inVerticalGrouping ?v }",
                     {"id": notation})
    return {r["v"] for r in rows}


def crm_children(kg):
    return [r["id"] for r in kg.query("children", process="1.1.1")]


# ------------------------------------------------------------------ pictogram
def test_pictogram_of_customer_interface_management_darkens_crm_under_f_a_b(kg):
    root = parse(diagrams.pictogram(kg, "1.1.1.2"))
    assert dark(root) == {("1.1.1", V + "Fulfillment"), ("1.1.1", V + "Assurance"),
                          ("1.1.1", V + "Billing")}


@pytest.mark.parametrize("element", ["1.1.1.1", "1.1.1.5", "1.1.1.6", "1.1.1.9", "1.1.1.12"])
def test_pictogram_of_each_crm_element_darkens_exactly_its_verticals_in_the_crm_row(kg, element):
    expected = {("1.1.1", v) for v in graph_verticals(kg, element)}
    assert expected
    assert dark(parse(diagrams.pictogram(kg, element))) == expected


def test_every_crm_element_has_a_pictogram_matching_the_graph(kg):
    for element in crm_children(kg):
        assert dark(parse(diagrams.pictogram(kg, element))) == \
            {("1.1.1", v) for v in graph_verticals(kg, element)}, element


def test_pictogram_of_crm_darkens_the_whole_crm_row_of_the_operations_matrix(kg):
    root = parse(diagrams.pictogram(kg, "1.1.1"))
    ops = {V + c for c in ("OperationsSupportReadiness", "Fulfillment", "Assurance", "Billing")}
    assert dark(root) == {("1.1.1", c) for c in ops}


def test_pictogram_of_the_operations_area_darkens_its_four_by_four_matrix(kg):
    root = parse(diagrams.pictogram(kg, "1.1"))
    assert len(dark(root)) == 16
    assert {row for row, _ in dark(root)} == {"1.1.1", "1.1.2", "1.1.3", "1.1.4"}


def test_pictogram_shows_the_whole_level_1_structure_ops_sip_and_em(kg):
    root = parse(diagrams.pictogram(kg, "1.3.2"))
    all_cells = cells(root)
    assert len(all_cells) == 4 * 4 + 4 * 3 + 7
    assert dark(root) == {("1.3.2", "")}


def test_pictogram_text_is_searchable_cyrillic_and_english(kg):
    assert "Управление взаимоотношениями с клиентами" in all_text(
        parse(diagrams.pictogram(kg, "1.1.1", "ru")))
    assert "Fulfillment" in all_text(parse(diagrams.pictogram(kg, "1.1.1", "en")))


def test_a_new_element_of_an_extension_gets_its_place_in_the_pictogram(extended):
    kg, _ = extended
    assert dark(parse(diagrams.pictogram(kg, "1.1.1.13"))) == {("1.1.1", V + "Billing")}
    # No vertical stated: only the CRM row heading is darkened, no cell is claimed.
    root = parse(diagrams.pictogram(kg, "1.1.1.14"))
    assert dark(root) == set()
    headings = {r.get("data-row"): r.get("data-highlighted") for r in root.iter(f"{SVG}rect")
                if r.get("class") == "row-heading"}
    assert headings["1.1.1"] == "true"
    assert [k for k, v in headings.items() if v == "true"] == ["1.1.1"]


def test_output_is_deterministic(kg):
    assert diagrams.pictogram(kg, "1.1.1.5") == diagrams.pictogram(etom_kg.load(), "1.1.1.5")
    assert diagrams.decomposition(kg) == diagrams.decomposition(etom_kg.load())


# -------------------------------------------------------------- decomposition
def placed(root):
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "element":
            assert g.get("data-id") not in out, "an element is drawn twice"
            out[g.get("data-id")] = set(g.get("data-columns").split())
    return out


def test_every_crm_element_appears_once_in_its_vertical_columns(kg):
    drawn = placed(parse(diagrams.decomposition(kg, "1.1.1")))
    assert sorted(drawn) == sorted(crm_children(kg))
    for element, columns in drawn.items():
        assert columns == graph_verticals(kg, element), element


def test_customer_interface_and_retention_span_fulfillment_assurance_billing(kg):
    drawn = placed(parse(diagrams.decomposition(kg, "1.1.1")))
    fab = {V + "Fulfillment", V + "Assurance", V + "Billing"}
    assert drawn["1.1.1.2"] == fab and drawn["1.1.1.9"] == fab
    assert [e for e, c in drawn.items() if len(c) > 1] == ["1.1.1.2", "1.1.1.9"]


def test_decomposition_names_in_russian_or_english_as_text(kg):
    ru = all_text(parse(diagrams.decomposition(kg, "1.1.1", "ru")))
    en = all_text(parse(diagrams.decomposition(kg, "1.1.1", "en")))
    assert "Обработка заказов" in ru and "1.1.1.5" in ru
    assert "Order handling" in en and "Обработка" not in en


def test_decomposition_of_an_extension_shows_the_new_elements(extended):
    kg, _ = extended
    drawn = placed(parse(diagrams.decomposition(kg, "1.1.1")))
    assert drawn["1.1.1.13"] == {V + "Billing"}
    assert drawn["1.1.1.14"] == set()   # drawn in the extra column "no vertical grouping"
    assert len(drawn) == len(crm_children(kg)) == 13


def test_decomposition_renders_to_a_non_blank_png_of_the_expected_size(kg):
    import cairosvg
    from PIL import Image

    svg = diagrams.decomposition(kg, "1.1.1", "ru")
    root = parse(svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=1440)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == (1440, round(1440 * height / width))
    histogram = image.histogram()
    dark_pixels = sum(histogram[:128])
    assert 0.01 * image.size[0] * image.size[1] < dark_pixels < 0.5 * image.size[0] * image.size[1]


# ---------------------------------------------------------------------- links
def test_links_diagram_shows_every_application_data_entity_and_api_of_the_element(kg):
    root = parse(diagrams.links(kg, "1.1.1.10", "en"))
    drawn = {(g.get("data-query"), g.get("data-iri")) for g in root.iter(f"{SVG}g")
             if g.get("class") == "linked"}
    expected = set()
    for query, key in (("applications-for-process", "application"),
                       ("data-for-process", "entity"), ("apis-for-process", "api")):
        expected |= {(query, r[key]) for r in kg.query(query, process="1.1.1.10")}
    assert drawn == expected
    assert {q for q, _ in drawn} == {"applications-for-process", "data-for-process",
                                     "apis-for-process"}
    assert "Bill invoice management" in all_text(root)


# ------------------------------------------------------------------------ CLI
def cli(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True)


def test_cli_writes_a_decomposition_svg_with_an_extension(tmp_path, extended):
    _, extension = extended
    out = tmp_path / "crm.svg"
    result = cli("diagram", "decomposition", "-o", str(out), "--lang", "en",
                 "--data", str(extension))
    assert result.returncode == 0, result.stderr
    assert "Discount management" in all_text(parse(out.read_text(encoding="utf-8")))


def test_cli_unknown_process_is_a_one_line_error_and_writes_nothing(tmp_path):
    out = tmp_path / "x.svg"
    result = cli("diagram", "pictogram", "1.1.1.99", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("etom-kg: error:") and result.stderr.count("\n") == 1
    assert not out.exists()


LEVEL_3 = Path(__file__).resolve().parent / "fixtures" / "extensions" / "order-handling-level-3.ttl"


def test_level_3_extension_sits_in_its_parents_vertical_in_the_decomposition_and_pictogram():
    kg = etom_kg.load(extra=[LEVEL_3])
    columns, placed = diagrams.decomposition_layout(kg, "1.1.1.5")
    where = {p.id: [columns[i].iri for i in p.columns] for p in placed if p.id.startswith("2.")}
    # 2.1.1.5.1 and .2 state no vertical: they inherit Fulfillment from 1.1.1.5;
    # 2.1.1.5.10 states Assurance and keeps it. Nothing lands outside the verticals.
    assert where == {"2.1.1.5.1": [V + "Fulfillment"], "2.1.1.5.2": [V + "Fulfillment"],
                     "2.1.1.5.10": [V + "Assurance"]}
    cells, _ = diagrams.highlighted_cells(kg, "2.1.1.5.1.1")
    assert cells == {("1.1.1", V + "Fulfillment")}


def test_cli_writes_png_when_the_file_ends_in_png(tmp_path):
    out = tmp_path / "crm.png"
    result = cli("diagram", "decomposition", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stdout == "" and f"{out}" in result.stderr and "PNG" in result.stderr


def test_cli_dash_writes_the_svg_to_standard_output_and_nothing_else(tmp_path):
    result = subprocess.run([sys.executable, "-m", "etom_kg.cli", "diagram", "pictogram",
                             "1.1.1.5", "-o", "-"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert parse(result.stdout).tag == SVG + "svg"
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_cli_without_cairosvg_refuses_png_in_one_line(tmp_path):
    # A Python whose import of cairosvg fails, as in an install without the 'png' extra.
    code = ("import sys; sys.modules['cairosvg'] = None; from etom_kg.cli import main; "
            f"sys.exit(main(['diagram', 'pictogram', '1.1.1.5', '-o', {str(tmp_path / 'p.png')!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pip install 'etom-kg[png]'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_links_diagram_of_an_extension_shows_its_parents_links_marked_inherited():
    kg = etom_kg.load(extra=[LEVEL_3])
    root = parse(diagrams.links(kg, "2.1.1.5.2", lang="ru"))
    linked = [g for g in root.iter(SVG + "g") if g.get("class") == "linked"]
    assert linked and {g.get("data-inherited-from") for g in linked} == {"1.1.1.5"}
    text = all_text(root)
    assert "Оформление заказов клиентов" in text  # TAM 5.3.1 by its Russian name
    assert "унаследовано от элемента выше" in text
    tam = [g.get("data-iri").rsplit("/", 1)[-1] for g in linked
           if g.get("data-query") == "applications-for-process" and "/tam/" in g.get("data-iri")]
    assert tam.index("A5-3-3") < tam.index("A5-3-10")  # natural order
