"""Fuzzing the process-ID parser: it only ever raises InvalidProcessId, and valid IDs round-trip."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from etom_kg.core import ids
from etom_kg.core.errors import InvalidProcessId

positive = st.integers(min_value=1, max_value=10 ** 6).map(str)
prefix = st.integers(min_value=100000, max_value=999999).map(str)
valid_ids = st.builds(
    lambda pre, dev, area, path: ".".join(([pre] if pre else []) + [dev, area] + path),
    st.one_of(st.none(), prefix), st.sampled_from(["1", "2"]), st.sampled_from(["1", "2", "3"]),
    st.lists(positive, max_size=6))
id_like = st.text(alphabet="0123456789. \t\n-+_aé١٢۳\x00", max_size=40)


@settings(max_examples=1500)
@given(st.one_of(st.text(max_size=60), id_like, valid_ids))
def test_any_text_either_parses_and_formats_back_or_raises_invalid_process_id(text):
    try:
        pid = ids.parse(text)
    except InvalidProcessId as error:
        assert "\n" not in str(error).replace(repr(text), "")
        assert error.position is None or 0 <= error.position <= len(text)
    else:
        assert str(pid) == text
        assert ids.parse(str(pid)) == pid
        assert ids.is_valid(text)


@settings(max_examples=500)
@given(valid_ids)
def test_every_well_formed_id_round_trips_through_its_components(text):
    pid = ids.parse(text)
    rebuilt = ids.ProcessId(pid.developer, pid.area, pid.path, pid.prefix)
    assert rebuilt == pid and str(rebuilt) == text
    assert pid.level == len(text.split(".")) - 2 - (pid.prefix is not None)
    for ancestor in pid.ancestors():
        assert text.startswith(str(ancestor) + ".")


@settings(max_examples=300)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=10),
                 st.lists(st.text(max_size=3), max_size=3)))
def test_non_strings_are_refused_with_invalid_process_id(value):
    try:
        ids.parse(value)
    except InvalidProcessId:
        return
    raise AssertionError(f"{value!r} was accepted as a process ID")


@settings(max_examples=300)
@given(st.lists(st.one_of(valid_ids, st.text(max_size=12)), max_size=20))
def test_natural_sorting_never_raises_and_keeps_every_item(items):
    assert sorted(ids.natural_sorted(items)) == sorted(items)
