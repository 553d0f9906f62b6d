"""Synthetic benchmark data (written to bench/results/data/, never committed).

* ``extension(n)``: a SKOS process tree of ``n`` operator-defined level-3
  elements under the 11 CRM level-2 elements, as a user would validate it;
  1 % of them are broken in one of three ways (missing English label, an ID
  that does not continue its parent's, a malformed ID).
* ``ea(n)``: an ArchiMate-style enterprise-architecture graph of about ``n``
  triples (application components, serving relations, data objects) whose
  business processes are classified under eTOM elements (``etom:classifiedUnder``).

Run: ``python bench/generate.py extension 10000`` (prints the file path).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "results" / "data"
CRM = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
       "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]
ETOM = "https://w3id.org/etom-kg/ontology#"
PROCESS = "https://w3id.org/etom-kg/process/P"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXT = "https://example.org/operator/process/"
ARCHI = "https://purl.org/archimate#"
EA = "https://example.org/ea/"


def _lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def extension(n: int, broken: float = 0.01, seed: int = 1) -> Path:
    """N-Triples file with ``n`` extension elements, ``broken`` of them faulty."""
    rng = random.Random(seed)
    path = DATA / f"extension-{n}.nt"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    bad = set(rng.sample(range(n), max(1, int(n * broken))))
    lines = []
    for i in range(n):
        parent = CRM[i % len(CRM)]
        number = i // len(CRM) + 1
        # Developer 2 numbers the operator's own elements (clause 5.2).
        pid = f"2.{parent[2:]}.{number}"
        s = f"<{EXT}E{i}>"
        kind = i % 3 if i in bad else None
        if kind == 1:       # the ID does not continue the parent's ID
            pid = f"2.{CRM[(i + 1) % len(CRM)][2:]}.{number}"
        elif kind == 2:     # a malformed ID (leading zero)
            pid = f"2.{parent[2:]}.0{number}"
        lines += [
            f"{s} <{RDF_TYPE}> <{ETOM}ProcessElement> .",
            f'{s} <{SKOS}notation> "{pid}"^^<{ETOM}ProcessId> .',
            f"{s} <{SKOS}prefLabel> {_lit(f'Операция оператора {i}', 'ru')} .",
            f"{s} <{SKOS}broader> <{PROCESS}{parent.replace('.', '-')}> .",
            f"{s} <{SKOS}inScheme> <https://w3id.org/etom-kg/scheme/etom> .",
            f"{s} <{SKOS}definition> {_lit(f'Операция {i}, выполняемая оператором.', 'ru')} .",
            f"{s} <{SKOS}definition> {_lit(f'Operator step {i} of {parent}.', 'en')} .",
        ]
        if kind != 0:       # kind 0: the English label is missing
            lines.append(f"{s} <{SKOS}prefLabel> {_lit(f'Operator step {i}', 'en')} .")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def ea(n: int, seed: int = 2) -> Path:
    """N-Triples EA graph of about ``n`` triples."""
    rng = random.Random(seed)
    path = DATA / f"ea-{n}.nt"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    per = 12   # triples per (process, application, data object) unit below
    units = max(1, n // per)
    lines = []
    for i in range(units):
        proc, app, obj, rel = (f"<{EA}process/{i}>", f"<{EA}application/{i}>",
                               f"<{EA}data/{i}>", f"<{EA}relation/{i}>")
        target = CRM[rng.randrange(len(CRM))]
        lines += [
            f"{proc} <{RDF_TYPE}> <{ARCHI}BusinessProcess> .",
            f'{proc} <{ARCHI}name> "Business process {i}"@en .',
            f"{proc} <{ETOM}classifiedUnder> <{PROCESS}{target.replace('.', '-')}> .",
            f"{app} <{RDF_TYPE}> <{ARCHI}ApplicationComponent> .",
            f'{app} <{ARCHI}name> "Application {i}"@en .',
            f"{obj} <{RDF_TYPE}> <{ARCHI}DataObject> .",
            f'{obj} <{ARCHI}name> "Data object {i}"@en .',
            f"{rel} <{RDF_TYPE}> <{ARCHI}ServingRelationship> .",
            f"{rel} <{ARCHI}source> {app} .",
            f"{rel} <{ARCHI}target> {proc} .",
            f"{app} <{ARCHI}serving> {proc} .",
            f"{app} <{ARCHI}accesses> {obj} .",
        ]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    kind, size = sys.argv[1], int(float(sys.argv[2]))
    print({"extension": extension, "ea": ea}[kind](size))
