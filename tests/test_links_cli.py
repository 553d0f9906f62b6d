"""`etom-kg links ID` as a user runs it: everything a process links to, with confidence and basis."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def etom_kg(*args, columns: int = 100):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": str(columns)})


@pytest.fixture(scope="module")
def order_handling():
    result = etom_kg("links", "1.1.1.5", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_order_handling_lists_applications_components_data_and_apis(order_handling):
    data = order_handling
    assert data["process"] == {"id": "1.1.1.5", "iri": "https://w3id.org/etom-kg/process/P1-1-1-5",
                               "name": {"ru": "Обработка заказов", "en": "Order handling"}}
    tam = {a["id"]: a for a in data["applications"]}
    assert {"5.3", "5.3.1", "5.3.3", "5.3.5", "5.3.6", "5.3.10", "5.3.11"} <= set(tam)
    assert tam["5.3.1"]["name"] == {"ru": "Оформление заказов клиентов",
                                    "en": "Customer Order Establishment"}
    assert {c["id"] for c in data["components"]} == {"TMFC002", "TMFC003"}
    entities = {(e["name"]["en"], e["role"]["en"]) for e in data["data"]}
    assert ("Customer ABE", "uses") in entities
    assert ("Customer Product Order ABE", "co-assigned") in entities
    [tmf622] = [a for a in data["apis"] if a["id"] == "TMF622"]
    exposed = [c for c in tmf622["components"] if c["id"] == "TMFC003"
               and c["role"]["en"] == "exposes"]
    assert exposed and exposed[0]["required"] is True and tmf622["confidence"] == "high"


def test_every_link_carries_confidence_and_basis_and_only_high_is_certain(order_handling):
    for group in ("applications", "components", "data", "apis"):
        assert order_handling[group], group
        for link in order_handling[group]:
            assert link["confidence"] in ("high", "medium", "low")
            assert link["certain"] is (link["confidence"] == "high")
            assert link["basis"] and all(link["basis"])
            assert link["via"]
    # TAM pairs are the project's own mapping: never certain
    assert all(not a["certain"] and a["basis"] == ["project mapping"]
               for a in order_handling["applications"])


def test_the_json_agrees_with_the_named_queries(order_handling):
    import etom_kg as api

    kg = api.load()
    apis = kg.query("apis-for-process", process="1.1.1.5")
    # one item per API, in the query's order, with every (component, role) row of it
    assert [a["iri"] for a in order_handling["apis"]] == list(dict.fromkeys(r["api"] for r in apis))
    assert sorted((a["iri"], c["id"], c["role"]["en"]) for a in order_handling["apis"]
                  for c in a["components"]) == sorted((r["api"], r["component"], r["role"])
                                                      for r in apis)
    data = kg.query("data-for-process", process="1.1.1.5")
    assert {(d["iri"], d["confidence"]) for d in order_handling["data"]} == \
        {(r["entity"], r["confidence"]) for r in data}


def test_table_marks_medium_links_as_not_certain_in_english():
    result = etom_kg("links", "1.1.1.5", "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "1.1.1.5  Order handling"
    for title in ("TAM application types (7)", "ODA components (2)", "Data entities (SID) (9)",
                  "Open APIs ("):
        assert title in out
    tam_line = next(line for line in out.splitlines() if " 5.3.1 " in line)
    assert tam_line.split()[0] == "medium*" and "project mapping" in tam_line
    tmfc003 = next(line for line in out.splitlines() if line.split()[1:2] == ["TMFC003"])
    assert tmfc003.split()[0] == "high" and "not certain" not in tmfc003 and "1.3.3" in tmfc003
    assert "not confirmed by TM Forum" in out
    assert "Обработка" not in out


def test_table_in_russian_translates_names_confidence_basis_and_roles():
    out = etom_kg("links", "1.1.1.10", "--lang", "ru", columns=300).stdout
    assert out.splitlines()[0] == "1.1.1.10  Управление выставлением счетов"
    assert "Компоненты ODA (2)" in out and "TMFC030" in out and "TMFC031" in out
    assert "средняя*" in out and "сопоставление проекта" in out
    assert "* связи средней и низкой достоверности" in out
    assert "высокая" in out and "спецификация компонента ODA" in out
    assert "использует" in out and "Клиент (ABE)" in out
    assert "medium" not in out and "project mapping" not in out


def test_a_process_without_links_says_so():
    out = etom_kg("links", "1.1.1.1", "--lang", "en").stdout
    assert "TAM application types (0)\n  no links" in out


@pytest.mark.parametrize("arg, message", [
    ("1.1.9.9", "process 1.1.9.9 not found"),
    ("1.01", "invalid process ID '1.01'"),
])
def test_bad_ids_fail_with_one_line_and_exit_2(arg, message):
    result = etom_kg("links", arg)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("etom-kg: error:") and message in lines[0]


def test_open_apis_are_one_row_per_api_with_their_components():
    out = etom_kg("links", "1.1.1.5", "--lang", "en", "--format", "json").stdout
    apis = json.loads(out)["apis"]
    ids = [a["id"] for a in apis]
    assert len(ids) == len(set(ids)) == 27
    [tmf622] = [a for a in apis if a["id"] == "TMF622"]
    assert {c["id"] for c in tmf622["components"]} == {"TMFC002", "TMFC003"}
    table = etom_kg("links", "1.1.1.5", "--lang", "en").stdout
    assert "Open APIs (27)" in table
    assert sum(1 for line in table.splitlines() if line.split()[1:2] == ["TMF622"]) == 1


@pytest.mark.parametrize("lang", ["ru", "en", "both"])
def test_links_fit_100_columns(lang):
    out = etom_kg("links", "1.1.1.5", "--lang", lang).stdout
    assert max(len(line) for line in out.splitlines()) <= 100


def test_links_in_russian_translate_the_routes():
    out = etom_kg("links", "1.1.1.5", "--lang", "ru").stdout
    assert "1.1.1.5 (ГОСТ)" in out and "(GOST)" not in out
    assert "перекрёстную" in out and "release crosswalk" not in out and " via " not in out
