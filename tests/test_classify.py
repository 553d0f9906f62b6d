"""Clause 7.2: a real process belongs to a standard element when it performs one of its functions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import etom_kg
from etom_kg.core.errors import InputError, UsageError
from etom_kg.reason.classify import classify

OPERATOR = Path(__file__).resolve().parent / "fixtures" / "classify" / "operator-processes.ttl"
OP = "https://operator.example/process/"
P = "https://w3id.org/etom-kg/process/"
F = "https://w3id.org/etom-kg/function/"

EXPECTED = [
    # (real process, its label, element ID, function)
    (OP + "connection-request", "Приём заявки на подключение", "1.1.1.5", F + "F1-1-1-5-1"),
    (OP + "connection-request", "Приём заявки на подключение", "1.1.1.5", F + "F1-1-1-5-3"),
    (OP + "monthly-invoice", "Monthly invoice run", "1.1.1.10", F + "F1-1-1-10-3"),
    (OP + "monthly-invoice", "Monthly invoice run", "1.1.1.10", F + "F1-1-1-10-4"),
    (OP + "subscriber-complaint", "Обработка жалобы абонента", "1.1.1.2", F + "F1-1-1-2-2"),
    (OP + "subscriber-complaint", "Обработка жалобы абонента", "1.1.1.6", F + "F1-1-1-6-2"),
]


def summary(results):
    return [(r.process, r.label, r.element_id, r.function) for r in results]


@pytest.fixture(scope="module")
def by_hermit():
    return classify(etom_kg.load(), OPERATOR, engine="hermit")


@pytest.mark.slow
def test_hermit_classifies_the_operators_processes_under_the_elements_whose_functions_they_perform(
        by_hermit):
    assert summary(by_hermit) == EXPECTED


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["owlrl", "sparql"])
def test_the_java_free_engines_agree_with_hermit(by_hermit, engine):
    # This is why the SPARQL engine can be the default: on the fixtures it finds exactly
    # what HermiT finds, classified and unclassified alike.
    found = classify(etom_kg.load(), OPERATOR, engine=engine)
    assert found == by_hermit
    assert found.unclassified == by_hermit.unclassified


def test_the_default_engine_is_the_sparql_one(kg):
    import inspect

    assert inspect.signature(classify).parameters["engine"].default == "sparql"
    assert summary(classify(kg, OPERATOR)) == EXPECTED


def test_processes_that_cannot_be_classified_are_listed_with_the_reason(kg):
    from etom_kg.reason.classify import Unclassified

    found = classify(kg, OPERATOR)
    assert found.unclassified == [
        Unclassified(OP + "office-move", "Переезд офиса", None, "no-function"),
        Unclassified(OP + "tariff-design", "Разработка тарифного плана", OP + "design-tariff",
                     "unknown-function"),
    ]
    assert found.unclassified[0].reason_text("ru").startswith("не указана ни одна")
    assert found.unclassified[1].reason_text("en") == ("the function belongs to no element of "
                                                       "the standard")


def test_results_carry_element_and_function_names(kg):
    first = classify(kg, OPERATOR, engine="sparql")[0]
    assert first.element == P + "P1-1-1-5"
    assert (first.element_label_ru, first.element_label_en) == ("Обработка заказов",
                                                                "Order handling")
    assert first.function_label == "Оформление, модификация и отмена заказа клиента"
    assert first.as_dict()["elementId"] == "1.1.1.5"


def test_processes_without_a_standard_function_are_not_classified(kg):
    processes = {r.process for r in classify(kg, OPERATOR, engine="sparql")}
    assert OP + "tariff-design" not in processes
    assert OP + "office-move" not in processes


def test_classify_leaves_the_knowledge_graph_unchanged():
    kg = etom_kg.load()
    before = set(kg.store)
    classify(kg, OPERATOR, engine="owlrl")
    assert set(kg.store) == before


def test_an_rdflib_graph_can_be_classified(kg):
    import rdflib

    graph = rdflib.Graph().parse(OPERATOR)
    assert summary(classify(kg, graph, engine="sparql")) == EXPECTED


def test_kg_classify_is_the_same_api(kg):
    assert summary(kg.classify(OPERATOR, engine="sparql")) == EXPECTED


def test_a_function_declared_from_the_function_side_also_classifies(tmp_path, kg):
    # isFunctionOf is the inverse of hasFunction: the chain must see either direction.
    data = tmp_path / "own-element.ttl"
    data.write_text("""
        PREFIX etom: <https://w3id.org/etom-kg/ontology#>
        PREFIX ex: <https://operator.example/>
        ex:number-porting a etom:RealProcess ; etom:performsFunction ex:port-number .
        ex:port-number a etom:Function ; etom:isFunctionOf <https://w3id.org/etom-kg/process/P1-1-1-5> .
        """, encoding="utf-8")
    for engine in ("sparql", "owlrl"):
        assert [(r.process, r.element_id) for r in classify(kg, data, engine=engine)] == [
            ("https://operator.example/number-porting", "1.1.1.5")], engine


def test_bad_input_is_reported_in_one_line(tmp_path, kg):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        classify(kg, bad, engine="sparql")
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputError, match="no such file"):
        classify(kg, tmp_path / "missing.ttl")
    with pytest.raises(UsageError, match="unknown reasoning engine"):
        classify(kg, OPERATOR, engine="pellet")


def cli(*args, columns: int = 100):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args], capture_output=True,
                          text=True, encoding="utf-8",
                          env={**os.environ, "COLUMNS": str(columns)})


def test_classify_command_prints_json_rows():
    done = cli("classify", str(OPERATOR), "--engine", "sparql", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["process"], r["label"], r["elementId"], r["function"]) for r in rows
            if r["elementId"]] == EXPECTED
    assert set(rows[0]) == {"process", "label", "element", "elementId", "elementLabelRu",
                            "elementLabelEn", "function", "functionLabel", "reason"}
    unclassified = [(r["process"], r["function"], r["reason"]) for r in rows if not r["element"]]
    assert unclassified == [
        (OP + "office-move", None, "не указана ни одна выполняемая функция (etom:performsFunction)"),
        (OP + "tariff-design", OP + "design-tariff",
         "функция не принадлежит ни одному элементу стандарта")]


def test_classify_command_table_and_missing_file():
    done = cli("classify", str(OPERATOR), columns=300)
    assert done.returncode == 0
    assert "Приём заявки на подключение" in done.stdout and "1.1.1.10" in done.stdout
    assert "Переезд офиса" in done.stdout and "почему не отнесён" in done.stdout
    narrow = cli("classify", str(OPERATOR)).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 100
    missing = cli("classify", "no-such-file.ttl")
    assert missing.returncode == 2
    assert missing.stderr.startswith("etom-kg: error: no-such-file.ttl: no such file")
    assert missing.stderr.count("\n") == 1
