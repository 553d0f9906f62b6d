"""Reading the W3C SHACL test suite (``../shared/testdata/w3c-shacl``) and comparing reports.

Not a test module: ``tests/test_w3c_shacl.py`` and ``bench/`` use it. A test is a
``sht:Validate`` entry of a ``manifest.ttl`` (followed through ``mf:include``):
a data graph, a shapes graph and the expected ``sh:ValidationReport``. Reports
are compared as the suite intends: ``sh:conforms`` and the multiset of
(focus node, ``sh:sourceConstraintComponent``, severity, ``sh:resultPath``,
``sh:value``), blank nodes by count.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import rdflib

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.SH
BLANK = "_:blank"


@dataclass(frozen=True)
class Case:
    name: str            # e.g. core/property/uniqueLang-002
    data: Path
    shapes: Path
    conforms: bool
    results: Counter     # of comparison keys


def _graph(path: Path) -> rdflib.Graph:
    """The file as written: rdflib otherwise normalises literals ("1"^^xsd:boolean
    becomes "true", which W3C core/property/uniqueLang-002 tells apart)."""
    saved, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        return rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def _key(graph, focus, component, severity, path, value) -> tuple:
    def norm(term):
        return BLANK if isinstance(term, rdflib.BNode) else term
    return (norm(focus), norm(component), norm(severity), norm(path), norm(value))


def report_key(graph: rdflib.Graph, report) -> tuple[bool, Counter]:
    """``(conforms, multiset of keys)`` of the ``sh:ValidationReport`` node ``report``."""
    conforms = graph.value(report, SH.conforms)
    results = Counter(
        _key(graph, graph.value(r, SH.focusNode), graph.value(r, SH.sourceConstraintComponent),
             graph.value(r, SH.resultSeverity), graph.value(r, SH.resultPath),
             graph.value(r, SH.value))
        for r in graph.objects(report, SH.result))
    return bool(conforms.toPython()) if conforms is not None else not results, results


def graph_key(graph: rdflib.Graph) -> tuple[bool, Counter]:
    """The key of the one report in a report graph (its top-level results only)."""
    reports = list(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"{len(reports)} reports"
    return report_key(graph, reports[0])


def rows_key(rows) -> tuple[bool, Counter]:
    """The key of engine rows ``(focus, path, value, severity, shape, component)``."""
    rows = list(rows)
    return not rows, Counter(
        _key(None, focus, rdflib.URIRef(str(component)), rdflib.URIRef(str(severity)), path,
             value) for focus, path, value, severity, _shape, component in rows)


def cases(root: Path, part: str = "core") -> list[Case]:
    """Every ``sht:Validate`` test below ``root/part/manifest.ttl``, in manifest order."""
    out: list[Case] = []
    todo, seen = [root / part / "manifest.ttl"], set()
    while todo:
        path = todo.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        g = _graph(path)
        for manifest in g.subjects(rdflib.RDF.type, MF.Manifest):
            todo += [Path(str(i).removeprefix("file://")) for i in g.objects(manifest, MF.include)]
            for entries in g.objects(manifest, MF.entries):
                for test in rdflib.collection.Collection(g, entries):
                    if (test, rdflib.RDF.type, SHT.Validate) not in g:
                        continue
                    action = g.value(test, MF.action)
                    data = Path(str(g.value(action, SHT.dataGraph)).removeprefix("file://"))
                    shapes = Path(str(g.value(action, SHT.shapesGraph)).removeprefix("file://"))
                    conforms, results = report_key(g, g.value(test, MF.result))
                    name = str(path.relative_to(root).parent / Path(str(test)).name)
                    out.append(Case(name.removesuffix(".ttl"), data, shapes, conforms, results))
    return out


def load(case: Case) -> tuple[rdflib.Graph, rdflib.Graph]:
    """``(data graph, shapes graph)`` of a test, read by rdflib as written."""
    return _graph(case.data), _graph(case.shapes)


def pyshacl_key(case: Case) -> tuple[bool, Counter]:
    """Plain pySHACL's report on a test (the reference engine)."""
    import pyshacl

    data, shapes = load(case)
    _c, report, _t = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                      advanced=True, allow_warnings=False)
    return graph_key(report)
