"""The clause 5.2 process-ID grammar: parse, format, level, parent, order, errors."""
from __future__ import annotations

import pytest

from etom_kg.core.errors import InvalidProcessId
from etom_kg.core.ids import ProcessId, is_valid, natural_sorted, parse


@pytest.mark.parametrize("text, level", [
    ("1.1", 0), ("1.1.1", 1), ("1.1.1.5", 2), ("1.1.1.5.3", 3), ("1.1.1.10", 2),
    ("2.3.7", 1), ("123456.1.1.1.5", 2), ("000001.2.1.1.5.3", 3),
])
def test_level_is_components_after_prefix_minus_two(text, level):
    assert parse(text).level == level


def test_components_and_named_parts():
    pid = parse("123456.1.1.1.12.3")
    assert pid.prefix == "123456"
    assert pid.components == (1, 1, 1, 12, 3)
    assert (pid.developer, pid.area, pid.group, pid.element, pid.sub_element) == (1, 1, 1, 12, 3)
    assert parse("1.2").group is None and parse("1.2.4").element is None


def test_format_round_trips_and_construction_checks_the_grammar():
    for text in ("1.1", "1.1.1.10", "123456.2.3.4.5.6"):
        assert str(parse(text)) == text
    assert str(ProcessId(1, 1, (1, 5))) == "1.1.1.5"
    assert ProcessId(1, 1, (1, 5)) == parse("1.1.1.5")
    with pytest.raises(InvalidProcessId):
        ProcessId(3, 1, (1,))


def test_parent_is_the_id_less_its_last_component():
    assert str(parse("1.1.1.5.3").parent) == "1.1.1.5"
    assert str(parse("123456.1.1.1.5").parent) == "123456.1.1.1"
    assert parse("1.1").parent is None
    assert [str(a) for a in parse("2.1.1.5.3").ancestors()] == ["2.1.1.5", "2.1.1", "2.1"]


def test_accepts_parent_follows_the_hierarchy_rules():
    child = parse("2.1.1.5.1")
    assert child.accepts_parent(parse("1.1.1.5"))          # developer 2 under the standard
    assert child.accepts_parent(parse("2.1.1.5"))
    assert not parse("1.1.1.5.1").accepts_parent(parse("2.1.1.5"))   # 1 under 2 forbidden
    assert not child.accepts_parent(parse("1.1.1.6"))      # wrong path
    assert not child.accepts_parent(parse("1.1.1"))        # wrong level
    assert parse("123456.1.1.1.5").accepts_parent(parse("1.1.1"))
    assert not parse("123456.1.1.1.5").accepts_parent(parse("654321.1.1.1"))
    assert not parse("1.1").accepts_parent(parse("1.1"))


def test_standard_ids_and_deeper_levels():
    assert parse("1.1.1.5").is_standard
    assert not parse("2.1.1.5").is_standard and not parse("123456.1.1.1.5").is_standard
    assert str(parse("123456.1.1.1.5").unprefixed) == "1.1.1.5"
    assert not parse("1.1.1.5.3").beyond_standard
    deep = parse("2.1.1.5.3.2")                            # accepted, documented extension
    assert deep.level == 4 and deep.beyond_standard


def test_natural_order():
    ids = ["1.1.1.10", "1.1.1.9", "1.1.1.9.1", "123456.1.1.1.9", "1.1", "2.1.1.1", "1.2"]
    assert natural_sorted(ids) == ["1.1", "1.1.1.9", "123456.1.1.1.9", "1.1.1.9.1",
                                   "1.1.1.10", "1.2", "2.1.1.1"]
    assert parse("1.1.1.9") < parse("1.1.1.10")
    assert natural_sorted(["x", "1.1"]) == ["1.1", "x"]


@pytest.mark.parametrize("text, position, words", [
    ("", None, "empty"),
    ("1", 1, "too few"),
    ("1.", 2, "empty component"),
    ("1..5", 2, "empty component"),
    (".1.1", 0, "empty component"),
    ("3.1.1", 0, "developer must be 1"),
    ("1.4.1", 2, "area must be 1"),
    ("1.1.01", 4, "leading zero"),
    ("1.1.0", 4, "positive"),
    ("12345.1.1", 0, "six-digit organisation prefix"),
    ("1234567.1.1", 0, "six-digit organisation prefix"),
    ("123456", 6, "complete ID"),
    ("123456.1", 7, "complete ID"),
    ("1.1.a", 4, "'a'"),
    ("1.1 ", 3, "space"),
    ("1,1", 1, "','"),
])
def test_errors_say_what_and_where(text, position, words):
    with pytest.raises(InvalidProcessId) as info:
        parse(text)
    assert info.value.position == position
    assert words in info.value.reason
    assert info.value.text == text
    assert not is_valid(text)


def test_non_string_is_rejected():
    with pytest.raises(InvalidProcessId):
        parse(115)
