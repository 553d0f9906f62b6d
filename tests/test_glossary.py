"""The glossary (clause 3) and the provisions of clauses 4 and 6.2–6.4 say what the
standard says: every term and statement is checked against the standard's own text."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pyoxigraph import NamedNode

TERM = "https://w3id.org/etom-kg/term/"
SOURCE = "https://w3id.org/etom-kg/source/GOST-R-53633-3-2009-clause-"
ETOM = "https://w3id.org/etom-kg/ontology#"
P = "https://w3id.org/etom-kg/process/"

# The one repair of the glossary's wording: eTOM typed with Cyrillic letters.
REPAIRS = {"еТОМ": "eTOM"}


def normalise(text: str) -> str:
    """The text without layout: markdown markers, list bullets, repaired OCR, one space."""
    text = text.replace("**", "")
    for wrong, right in REPAIRS.items():
        text = text.replace(wrong, right)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def standard(shared) -> str:
    return (shared / "seeds" / "gost-r-53633.3-2009.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clause3(standard) -> dict[int, dict]:
    """Clause number -> raw ru name, en name(s), definition and note, as the text has them."""
    text = standard[standard.index("# 3 Термины"):standard.index("#### 4 Общие")]
    terms: dict[int, dict] = {}
    last = None
    for line in text.splitlines():
        line = re.sub(r"^- ", "", line.strip())
        m = re.match(r"3\s*\.\s*(\d+)\s+(.+?)\s+\(([^)]+)\):\s+(.+)$", line)
        if m:
            last = int(m.group(1))
            terms[last] = dict(ru=normalise(m.group(2)), en=m.group(3), raw=m.group(4),
                               definition=normalise(m.group(4)), note=None, raw_note="")
        elif line.startswith("Примечание") and last:
            raw = re.sub(r"^Примечание\s*-\s*", "", line)
            terms[last].update(note=normalise(raw), raw_note=raw)
    return terms


def _one(kg, subject: str, prop: str, lang: str | None = None) -> list:
    """The values of ``prop`` on ``subject`` (only those in ``lang``, if given)."""
    where = "" if lang is None else f'FILTER(LANG(?o) = "{lang}")'
    return [r.o for r in kg.sparql(f"SELECT ?o WHERE {{ ?s {prop} ?o {where} }}",
                                   {"s": NamedNode(subject)})]


@pytest.fixture(scope="module")
def terms(kg) -> dict[int, str]:
    """Clause number -> term IRI, from the graph."""
    rows = kg.sparql("""SELECT ?t ?src WHERE { ?t skos:inScheme scheme:glossary ;
        dcterms:source ?src . FILTER(STRSTARTS(STR(?src), STR(source:GOST-R-53633-3-2009-clause-3-))) }""")
    return {int(r.src.rsplit("-", 1)[1]): r.t for r in rows}


def test_the_text_has_19_terms_and_the_graph_has_each_once(clause3, terms):
    assert sorted(clause3) == list(range(1, 20))
    assert sorted(terms) == list(range(1, 20))


@pytest.mark.parametrize("n", range(1, 20))
def test_every_term_has_the_names_definition_and_note_of_the_standard(kg, clause3, terms, n):
    given, term = clause3[n], terms[n]
    assert _one(kg, term, "skos:prefLabel", "ru") == [given["ru"]]
    english, _, abbreviation = given["en"].partition("; ")
    assert _one(kg, term, "skos:prefLabel", "en") == [english]
    for lang in ("ru", "en"):
        assert _one(kg, term, "skos:altLabel", lang) == ([abbreviation] if abbreviation else [])
    assert [normalise(d) for d in _one(kg, term, "skos:definition", "ru")] == [given["definition"]]
    notes = _one(kg, term, "skos:scopeNote", "ru")
    assert [normalise(d) for d in notes] == ([given["note"]] if given["note"] else [])
    # The English definition (and note) are the project's own words, never missing.
    assert len(_one(kg, term, "skos:definition", "en")) == 1
    assert len(_one(kg, term, "skos:scopeNote", "en")) == len(notes)
    assert _one(kg, term, "dcterms:source") == [SOURCE + f"3-{n}"]


def test_abbreviations_are_alternative_labels(kg, terms):
    alts = {n: _one(kg, terms[n], "skos:altLabel", "en") for n in terms}
    assert {n: a for n, a in alts.items() if a} == {11: ["eTOM"], 13: ["BSS"], 14: ["OSS"]}


@pytest.mark.parametrize("n", range(1, 20))
def test_every_repair_of_the_text_is_recorded(kg, clause3, terms, n):
    given = clause3[n]
    changes = " ".join(_one(kg, terms[n], "skos:changeNote", "en"))
    for wrong in REPAIRS:
        if wrong in given["raw"] + given["raw_note"]:
            assert f"“{wrong}”" in changes, n
    stored = _one(kg, terms[n], "skos:definition", "ru")[0]
    if stored != " ".join(given["raw"].split()):  # anything but the exact words is recorded
        assert changes, n


def test_clauses_are_sources_with_their_number(kg):
    for n in range(1, 20):
        labels = _one(kg, SOURCE + f"3-{n}", "rdfs:label", "en")
        assert labels == [f"GOST R 53633.3-2009, clause 3.{n}"]
        assert _one(kg, SOURCE + f"3-{n}", "dcterms:isPartOf") == [SOURCE + "3"]


# What embodies each term (dcterms:subject, see README "What is in the graph").
EMBODIED = {
    "process-elements": {ETOM + "ProcessElement"},
    "process": {ETOM + "Process"},
    "business-process": {ETOM + "RealProcess"},
    "customer": {P + "P1-1-1"},
    "product": {P + "P1-2-1"},
    "service": {P + "P1-1-2"},
    "resource": {P + "P1-1-3", P + "P1-2-3"},
    "supply-chain": {P + "P1-2-4"},
    "supplier": {P + "P1-1-4"},
    "partner": {P + "P1-1-4"},
    "enterprise": {P + "P1-3"},
    "oss": {ETOM + "TamApplicationType"},
    "bss": {ETOM + "TamApplicationType"},
    "end-to-end-process-flow": {ETOM + "VerticalProcessGrouping"},
    "etom": {"https://w3id.org/etom-kg/scheme/etom"},
    "entity": {ETOM + "SidEntity"},
    "hierarchical-process-decomposition": {ETOM + "level"},
}


def test_what_embodies_a_term_points_to_it(kg):
    rows = kg.sparql("SELECT ?thing ?term WHERE { ?thing dcterms:subject ?term . "
                     "?term skos:inScheme scheme:glossary }")
    got: dict[str, set] = {}
    for r in rows:
        got.setdefault(r.term.removeprefix(TERM), set()).add(r.thing)
    for slug, things in EMBODIED.items():
        assert things <= got.get(slug, set()), slug
    # Only the two operator terms have nothing in the graph that is one.
    assert set(got) == set(EMBODIED)
    for things in got.values():  # every subject is a resource the graph describes
        for thing in things:
            assert kg.sparql("ASK { ?t ?p ?o }", {"t": NamedNode(thing)}), thing


# -- provisions of clauses 4 and 6.2–6.4 ----------------------------------------
def _raw_clause(standard: str, number: str) -> str:
    """The paragraphs of clause ``number`` (e.g. 6.3), up to the next clause or heading."""
    start = re.search(rf"^(?:- )?{re.escape(number)} ", standard, re.M)
    rest = standard[start.end():]
    stop = re.search(r"^(?:- )?\d\.\d+ |^#", rest, re.M)
    return rest[:stop.start()]


def _clause_text(standard: str, number: str) -> str:
    return normalise(_raw_clause(standard, number))


@pytest.fixture(scope="module")
def provisions(kg) -> list:
    return list(kg.sparql("""SELECT ?p ?text ?src (GROUP_CONCAT(STR(?on); separator=" ") AS ?on)
        WHERE { ?p a etom:Provision ; skos:definition ?text ; dcterms:source ?src .
                ?on etom:provision ?p . FILTER(LANG(?text) = "ru") }
        GROUP BY ?p ?text ?src ORDER BY ?p"""))


@pytest.mark.parametrize("number", ["4.1", "4.2", "4.3", "6.2", "6.3", "6.4"])
def test_the_provisions_of_a_clause_are_its_whole_text_and_cite_it(kg, standard, provisions,
                                                                    number):
    mine = [p for p in provisions if p.src == SOURCE + number.replace(".", "-")]
    assert mine, number
    assert " ".join(normalise(p.text) for p in mine) == _clause_text(standard, number)
    raw = _raw_clause(standard, number)
    for wrong in REPAIRS:  # a repaired clause says so on the provision that has the repair
        if wrong in raw:
            assert any(f"“{wrong}”" in " ".join(_one(kg, p.p, "skos:changeNote", "en"))
                       for p in mine), number


def test_provisions_sit_on_the_scheme_the_grouping_and_the_elements_they_are_about(provisions):
    by_text = {normalise(p.text)[:40]: set(p.on.split()) for p in provisions}

    def where(start):
        return next(v for k, v in by_text.items() if k.startswith(start))

    assert "https://w3id.org/etom-kg/scheme/etom" in where("Расширенная схема")
    assert P + "P1-1-1-2" in where("Процессы обслуживания и поддержки")  # any channel
    assert {P + "P1-1-1", P + "P1-1-1-4"} <= where("Процессы CRM включают")  # wholesale
    assert P + "P1-1-1-9" in where("Эта информация")  # personalisation, customer value
    assert all(v for v in by_text.values())


def test_provisions_have_an_english_rendering_and_labels(kg, provisions):
    for p in provisions:
        assert len(_one(kg, p.p, "skos:definition", "en")) == 1
        assert {lang: len(_one(kg, p.p, "rdfs:label", lang)) for lang in ("ru", "en")} == {
            "ru": 1, "en": 1}


# -- the term command and search --------------------------------------------------
def etom_kg(*args):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args],
                          capture_output=True, text=True)


def test_term_shows_the_standards_definition_in_100_columns():
    done = etom_kg("term", "продукт")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "3.9  продукт (product)"
    assert max(map(len, lines)) <= 100
    text = " ".join(done.stdout.split())
    assert "Материальная и/или нематериальная сущность, предлагаемая или предоставляемая " \
           "организацией связи клиенту." in text
    assert "1.2.1 Marketing & Offer Management" in text
    assert "ГОСТ Р 53633.3-2009, пункт 3.9" in text


def test_term_in_english_by_abbreviation_and_the_whole_glossary():
    done = etom_kg("term", "oss", "--lang", "en")
    assert done.stdout.splitlines()[0] == "3.14  operations support system (OSS)"
    assert not re.search("[а-яА-Я]", done.stdout)
    listing = etom_kg("term", "--lang", "ru").stdout.splitlines()
    assert len(listing) == 19 and listing[14] == "3.15  сквозной процесс"
    # A word that is part of several terms shows the term that is exactly that word.
    assert etom_kg("term", "Процесс", "--lang", "ru").stdout.startswith("3.10  процесс\n")


def test_an_unknown_term_is_a_one_line_error():
    done = etom_kg("term", "кот")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("etom-kg: error: no term of the glossary (clause 3) matches 'кот'; "
                           "`etom-kg term` lists them all\n")


def test_search_finds_terms_and_says_so(kg):
    rows = kg.query("search", text="сквозн")
    assert ("3.15", "label", "ru", "term") in [(r.id, r.field, r.lang, r.kind) for r in rows]
    assert all(r.kind == "term" for r in rows if r.id == "3.15")
    by_note = kg.query("search", text="обработанные материалы")
    assert [(r.id, r.field, r.kind) for r in by_note] == [("3.9", "note", "term")]


def test_the_term_query_lists_the_glossary_in_clause_order(kg):
    rows = kg.query("term")
    assert [r.clause for r in rows] == [f"3.{n}" for n in range(1, 20)]
    assert [r.clause for r in kg.query("term", text="ПРОЦЕСС")] == ["3.1", "3.2", "3.10",
                                                                   "3.15", "3.19"]
