"""What an inventory row is matched against, read from the graph.

Every process element below CRM (1.1.1) that carries an ID is a candidate:
the level-2 elements of the standard, and level-3 elements or a user's
extensions as soon as the graph holds them (``skos:broader+`` finds them; no
code change). A candidate's text is ontology data only: its labels
(pref/alt/hidden, so ``ontology/vocabulary.ttl`` adds the operator's jargon),
its definition, the functions of Table 1 (names and definitions), the hand-offs
it sends or receives, the names of its sub-elements, and glossary concepts
linked to it by a SKOS mapping/semantic relation, ``dcterms:subject`` or
``rdfs:seeAlso`` (in either direction).

A level-3 element is also a candidate of its own: the ranking orders the
level-2 branches by their documents, and names the sub-element instead when it
matches the row better than its parent does (see ``rank``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..core.namespaces import process_iri

#: (field, its weight in the ranking document). A weight repeats the field's terms
#: in the BM25 document, the usual cheap stand-in for BM25F; chosen on the dev split.
FIELDS = {
    "label": 3, "altLabel": 3, "hiddenLabel": 3, "function": 2, "level3": 2,
    "glossary": 1, "definition": 1, "function definition": 1, "hand-off": 1,
}

_TEXTS = """
SELECT ?c ?id ?level ?parent ?field ?source ?text WHERE {
  ?c skos:broader+ ?root ; skos:notation ?n .
  BIND(STR(?n) AS ?id)
  OPTIONAL { ?c etom:level ?level }
  OPTIONAL { ?c skos:broader ?parent . ?parent skos:broader+ ?root . }
  {
    VALUES (?p ?field) { (skos:prefLabel "label") (skos:altLabel "altLabel")
                         (skos:hiddenLabel "hiddenLabel") (skos:definition "definition") }
    ?c ?p ?text . BIND(?c AS ?source)
  } UNION {
    ?c etom:hasFunction ?source .
    VALUES (?p ?field) { (skos:prefLabel "function") (skos:altLabel "function")
                         (skos:hiddenLabel "function") (skos:definition "function definition") }
    ?source ?p ?text .
  } UNION {
    ?source etom:fromProcess|etom:toProcess ?c ; a etom:Handoff .
    ?source skos:prefLabel|skos:definition ?text . BIND("hand-off" AS ?field)
  } UNION {
    VALUES ?rel { skos:related skos:exactMatch skos:closeMatch skos:broadMatch
                  skos:narrowMatch skos:relatedMatch dcterms:subject rdfs:seeAlso }
    { ?source ?rel ?c } UNION { ?c ?rel ?source }
    ?source a skos:Concept .
    FILTER NOT EXISTS { ?source skos:notation ?other }
    ?source skos:prefLabel|skos:altLabel|skos:hiddenLabel|skos:definition ?text .
    BIND("glossary" AS ?field)
  }
  FILTER(isLiteral(?text))
}
"""


@dataclass
class Snippet:
    """One text of the graph that a candidate is matched on."""

    field: str
    text: str
    lang: str
    source: str      # IRI of the resource that says it (element, function, hand-off, term)


@dataclass
class Candidate:
    """An element an inventory row may map to."""

    iri: str
    id: str
    level: int
    parent: str | None = None            # IRI of the parent candidate (level 3 → level 2)
    labels: dict = field(default_factory=dict)
    snippets: list = field(default_factory=list)


def read_candidates(kg, root: str = "1.1.1") -> list[Candidate]:
    """The candidates under ``root`` with the texts they are matched on, in ID order."""
    import pyoxigraph as ox

    rows = kg.sparql(_TEXTS, {"root": ox.NamedNode(process_iri(root))})
    found: dict[str, Candidate] = {}
    seen = set()
    for row in rows:
        iri = row["c"]
        cand = found.get(iri)
        if cand is None:
            level = row["level"] if row["level"] is not None else _level(row["id"])
            cand = found[iri] = Candidate(iri, row["id"], int(level), row["parent"])
        elif row["parent"] and not cand.parent:
            cand.parent = row["parent"]
        term = row.terms["text"]
        lang = term.language or ""
        if row["field"] == "label" and lang and row["source"] == iri:
            cand.labels.setdefault(lang, row["text"])
        key = (iri, row["field"], row["source"], row["text"], lang)
        if key not in seen:
            seen.add(key)
            cand.snippets.append(Snippet(row["field"], row["text"], lang, row["source"]))
    for cand in found.values():   # sub-element names count for their parent's branch too
        if cand.parent in found:
            found[cand.parent].snippets.extend(
                Snippet("level3", s.text, s.lang, s.source) for s in cand.snippets
                if s.field in ("label", "altLabel", "hiddenLabel"))
    for cand in found.values():
        cand.snippets.sort(key=lambda s: (s.field, s.source, s.lang, s.text))
    return sorted(found.values(), key=lambda c: _id_key(c.id))


def _level(process_id: str) -> int:
    from ..core.errors import InvalidProcessId
    from ..core.ids import ProcessId

    try:
        return ProcessId.parse(process_id).level
    except InvalidProcessId:
        return process_id.count(".") - 1


def _id_key(process_id: str):
    return tuple(int(p) if p.isdigit() else 0 for p in process_id.split("."))
