"""The embedded engine runs each named query in a faster form with the same answers.

``kg.query`` runs ``NamedQuery.embedded_text``: the ``.rq`` text with each plain
OPTIONAL group wrapped as ``LATERAL { OPTIONAL { … } }``. A remote endpoint gets
the ``.rq`` text as written (tests/test_endpoint.py compares the two on the
shipped graph); here both forms run on merged enterprise models.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import etom_kg
from etom_kg.ea.merge import merge
from etom_kg.graph.queries import embedded_form, library

FIXTURES = Path(__file__).parent / "fixtures" / "enterprise"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PROCESS_IDS = [None, "1.1", "1.1.1"] + [f"1.1.1.{n}" for n in range(1, 13) if n != 8]


def test_a_plain_optional_is_looked_up_row_by_row():
    text = 'SELECT * WHERE { ?s a ?c OPTIONAL { ?s rdfs:label ?l FILTER(LANG(?l) = "en") } }'
    assert embedded_form(text) == ('SELECT * WHERE { ?s a ?c LATERAL { OPTIONAL { ?s rdfs:label '
                                   '?l FILTER(LANG(?l) = "en") } } }')


@pytest.mark.parametrize("group", [
    "OPTIONAL { { ?s a ?c } UNION { ?s a ?d } }",          # a nested group
    "OPTIONAL { ?s ?p ?o FILTER NOT EXISTS { ?o a ?c } }",  # a group inside the FILTER
    "OPTIONAL { ?s ?p ?o BIND(STR(?o) AS ?text) }",         # BIND may rebind a row's variable
    "OPTIONAL { VALUES ?p { rdfs:label } ?s ?p ?o }",
    "OPTIONAL { GRAPH ?g { ?s ?p ?o } }",
    "OPTIONAL { SELECT ?s WHERE { ?s ?p ?o } }",
])
def test_other_optionals_are_left_as_written(group):
    text = f"SELECT * WHERE {{ ?s a ?c {group} }}"
    assert embedded_form(text) == text


def test_strings_iris_and_comments_are_not_rewritten():
    text = ('SELECT * WHERE {\n  # OPTIONAL { ?s ?p ?o }\n'
            '  ?s rdfs:comment "OPTIONAL { ?s ?p ?o }" ; <urn:OPTIONAL> ?o\n}')
    assert embedded_form(text) == text


def test_queries_without_optional_are_unchanged():
    text = library()["apis-for-process"].text
    assert "OPTIONAL" not in text and embedded_form(text) == text


def _load(*sources):
    kg = etom_kg.load()
    for source in sources:
        merge(kg, source)
    return kg


@pytest.fixture(scope="module", params=["archimetal", "telco"])
def model(request):
    if request.param == "archimetal":
        return _load(SHARED / "testdata/archimate/opengroup-case-studies/archimetal_3.1.xml",
                     FIXTURES / "archimetal-alignment.ttl")
    return _load(FIXTURES / "telco-landscape.xml")


def _runs(query):
    """Parameter sets for ``query``: every CRM process ID for a process parameter."""
    names = {p.name: p for p in query.params}
    if "process" in names:
        return [{"process": pid} for pid in PROCESS_IDS
                if pid is not None or not names["process"].required]
    params = {}
    for p in query.params:
        if p.required:
            params[p.name] = {"application": "TMFC003", "text": "заказ",
                              "vertical": "Fulfillment"}.get(p.name, "x")
    return [params]


def _comparable(rows):
    return rows.variables, sorted(repr(sorted((k, str(v)) for k, v in r.terms.items()))
                                  for r in rows)


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_answers_the_same_in_both_forms(model, name):
    query = library()[name]
    for params in _runs(query):
        bindings = query.bindings(params)
        standard = model.sparql(query.text, bindings)
        assert _comparable(model.sparql(query.embedded_text, bindings)) == \
            _comparable(standard), params


def test_the_comparison_is_not_vacuous(model):
    # the merge queries give rows with names and access types on these models
    rows = [r for pid in PROCESS_IDS[2:] for r in model.query("data-objects-for-process",
                                                              process=pid)]
    assert rows and any(r.objectName is not None for r in rows)
    assert "LATERAL" in library()["data-objects-for-process"].embedded_text


def test_the_embedded_engine_runs_the_embedded_form(monkeypatch):
    kg = etom_kg.load()
    seen = []
    original = type(kg)._run   # what kg.query runs (no user-query guard)

    def spy(self, text, bindings=None, **kwargs):
        seen.append(text)
        return original(self, text, bindings, **kwargs)

    monkeypatch.setattr(type(kg), "_run", spy)
    kg.query("data-objects-for-process", process="1.1.1.5")
    assert seen == [library()["data-objects-for-process"].embedded_text]
