"""`etom-kg show` and `etom-kg tree` as a user runs them."""
from __future__ import annotations

import json
import subprocess
import sys


def etom_kg(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True)


def test_show_prints_order_handling_in_full_in_both_languages():
    result = etom_kg("show", "1.1.1.5")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "1.1.1.5  Обработка заказов / Order handling"
    assert "level:     2 (элемент процессов / process element)" in out
    assert "parent:    1.1.1  Управление взаимоотношениями с клиентами / Customer Relationship Management" in out
    assert "verticals: Выполнение заказов / Fulfillment (F)" in out
    assert "functional characteristic (ru):" in out and "Процессы обработки заказов" in out
    assert "7. Управление подготовкой к оказанию услуг" in out
    assert "← from 1.1.1.2" in out


def test_show_in_one_language_only():
    out = etom_kg("show", "1.1.1.7", "--lang", "en").stdout
    assert out.startswith("1.1.1.7  Customer QoS/SLA management")
    assert "Обработка" not in out and "Управление" not in out
    assert "→ to   1.1.1.10  Bill invoice management" in out


def test_show_a_grouping_lists_its_children():
    out = etom_kg("show", "1.1.1", "--lang", "ru").stdout
    assert "1.1.1.9    Обеспечение лояльности и удержание клиентов" in out
    assert "1.1.1.8" not in out


def test_show_json_is_the_typed_process():
    data = json.loads(etom_kg("show", "1.1.1.10", "--format", "json").stdout)
    assert data["id"] == "1.1.1.10" and data["level"] == 2
    assert [f["order"] for f in data["functions"]] == list(range(1, 8))
    assert data["parent"]["id"] == "1.1.1"


def test_unknown_and_invalid_ids_are_one_line_errors_with_exit_2():
    missing = etom_kg("show", "1.1.1.8")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == "etom-kg: error: process 1.1.1.8 not found in the graph\n"
    invalid = etom_kg("show", "1.1.x")
    assert invalid.returncode == 2 and len(invalid.stderr.splitlines()) == 1
    assert "invalid process ID '1.1.x'" in invalid.stderr


def test_tree_shows_the_crm_decomposition_indented_in_natural_order():
    out = etom_kg("tree", "1.1.1", "--lang", "en").stdout.splitlines()
    assert out[0] == "1.1.1      Customer Relationship Management"
    level2 = [line for line in out[1:] if not line.startswith("   ")]
    assert [line.split()[0] for line in level2] == [
        "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
        "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]
    assert all(line.startswith("  ") and line.lstrip().startswith("1.1.1.") for line in out[1:])
    # The informative level-3 elements follow their parent, one step further in.
    after = out[out.index(level2[4]) + 1].split()[0]
    assert after == "1.1.1.5.1" and out[out.index(level2[4]) + 1].startswith("    1.1.1.5.1 ")


def test_tree_without_id_starts_at_the_three_areas_in_both_languages():
    out = etom_kg("tree", "--depth", "0").stdout.splitlines()
    assert out == ["1.1        Основная деятельность — Operations",
                   "1.2        Стратегия, инфраструктура и продукт — Strategy, Infrastructure & Product",
                   "1.3        Управление организацией — Enterprise Management"]
