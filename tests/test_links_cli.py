"""`etom-kg links ID` as a user runs it: everything a process links to, with confidence and basis."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest


def etom_kg(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True)


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
    tmf622 = [a for a in data["apis"] if a["id"] == "TMF622" and a["component"] == "TMFC003"
              and a["role"]["en"] == "exposes"]
    assert tmf622 and tmf622[0]["required"] is True and tmf622[0]["confidence"] == "high"


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
    assert len(order_handling["apis"]) == len(apis)
    assert [a["iri"] for a in order_handling["apis"]] == [r["api"] for r in apis]
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
    assert "medium (not certain)" in tam_line and "project mapping" in tam_line
    tmfc003 = next(line for line in out.splitlines() if line.split()[1:2] == ["TMFC003"])
    assert tmfc003.split()[0] == "high" and "not certain" not in tmfc003 and "1.3.3" in tmfc003
    assert "not confirmed by TM Forum" in out
    assert "Обработка" not in out


def test_table_in_russian_translates_names_confidence_basis_and_roles():
    out = etom_kg("links", "1.1.1.10", "--lang", "ru").stdout
    assert out.splitlines()[0] == "1.1.1.10  Управление выставлением счетов"
    assert "Компоненты ODA (2)" in out and "TMFC030" in out and "TMFC031" in out
    assert "средняя (не подтверждено)" in out and "сопоставление проекта" in out
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
