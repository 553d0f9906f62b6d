"""Named link queries with optional parameters, checked against the ODA reference CSV."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import etom_kg

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "tmf-oda"


@pytest.fixture(scope="module")
def kg():
    return etom_kg.load()


def csv_masters(*names):
    """(component, SID entity) pairs the ODA reference lists for entities under ``names``."""
    with open(REF / "tmf-oda-components_framework-mappings.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "SID"]
    return {(r["component_id"], r["ref_path"].split("|")[-1].replace("_", " ")) for r in rows
            if set(r["ref_path"].split("|")) & set(names)}


def masters(kg, **params):
    return {(str(r["applicationId"]), str(r["entityLabel"]))
            for r in kg.query("applications-mastering-data", **params)}


def test_asking_for_one_abe_gives_the_components_mastering_it(kg):
    expected = csv_masters("Customer_Billing_Account_ABE")
    assert expected and ("TMFC024", "Customer Billing Account ABE") in expected
    # the SID name, the English label and the Russian label all name the same entity
    for name in ("Customer_Billing_Account_ABE", "customer billing account abe",
                 "Расчётный счёт клиента (ABE)"):
        assert masters(kg, abe=name) == expected, name


def test_asking_for_an_abe_includes_its_parts(kg):
    # Customer Product Order ABE itself is mastered through its business entities
    expected = csv_masters("Customer_Product_Order_ABE")
    assert {c for c, _ in expected} == {"TMFC002", "TMFC003"}
    assert masters(kg, abe="Customer Order ABE") == expected  # the alternative label
    assert masters(kg, abe="Customer_Product_Order_ABE") == expected


def test_without_the_parameter_every_mastered_entity_is_listed(kg):
    everything = masters(kg)
    assert masters(kg, abe="Customer_Billing_Account_ABE") < everything


def test_an_unknown_abe_gives_no_rows(kg):
    assert masters(kg, abe="No Such ABE") == set()
