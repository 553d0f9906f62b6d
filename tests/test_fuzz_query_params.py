"""Fuzzing query parameters: a value can only select a process or nothing, never alter the query."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etom_kg.core.errors import EtomKgError

INJECTIONS = ['" } ; DROP ALL ; #', "1.1.1> } UNION { ?child ?p ?o } #", "1.1.1\" . } #",
              "\\\" ) } #", "1.1.1'^^xsd:string", "?child", "1.1.1 } LIMIT 1 #", "\u202e1.1.1"]
values = st.one_of(st.text(max_size=40), st.sampled_from(INJECTIONS),
                   st.builds(lambda a, b: a + b, st.sampled_from(["1.1.1", "1.1.1.5", "1.1"]),
                             st.sampled_from(INJECTIONS)))
FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _children(kg, value):
    try:
        return [row["id"] for row in kg.query("children", process=value)]
    except EtomKgError:
        return None  # refused as an invalid ID: also "not found"


@FUZZ
@given(values)
def test_a_process_value_finds_the_children_of_that_exact_id_or_nothing(kg, value):
    known = {row["id"] for row in kg.sparql(
        "SELECT (STR(?n) AS ?id) WHERE { ?p skos:notation ?n }")}
    found = _children(kg, value)
    if value in known:
        assert found == _children(kg, str(value))
    else:
        assert not found, (value, found)


@FUZZ
@given(values)
def test_a_search_text_only_returns_texts_that_contain_it(kg, text):
    try:
        rows = kg.query("search", text=text)
    except EtomKgError:
        return
    for row in rows:
        assert text.lower() in str(row["match"]).lower()


def test_the_graph_is_unchanged_after_the_fuzzing(kg):
    import etom_kg

    assert len(kg) == len(etom_kg.load())
