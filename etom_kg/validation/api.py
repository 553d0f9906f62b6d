"""Validate RDF data with the shipped SHACL shapes, with the shipped graph as context.

How :func:`validate` works:

1. A *working copy* is built in one in-memory Oxigraph store (its default
   graph): the user's data (files, or an rdflib graph, which is only read; a
   dataset's named graphs are merged), what the data implies — the inverse of
   every ``skos:broader`` / ``skos:narrower`` the user asserts — and the
   shipped graph as context (``context=True``; with ``context=False`` only the
   TBox ``etom.ttl``, so class hierarchy still works). A minimal extension
   element (type, notation, ru/en labels, definition, ``skos:broader``) is thus
   complete; its level and ID components follow from the ID, never demanded.
2. The subjects of the user's data are noted before the rest is added.
3. The shapes are evaluated on the working copy: by default each shape is
   compiled into one SPARQL query run once in Oxigraph (:mod:`etom_kg.validation.fastshacl`;
   a shape the compiler does not cover goes to pySHACL); ``engine="pyshacl"``
   runs plain pySHACL on all shapes. Both give the same results.
4. Only results whose focus node is a subject of the user's data are kept.
   Messages come from the shape's ``sh:message`` (ru and en) with ``{$this}``,
   ``{?id}`` and ``{?value}`` filled in.

Standard element vs extension (the shapes' criterion): a standard element has
its IRI in the project's namespace ``https://w3id.org/etom-kg/``, which only
the shipped graph may use; everything else is an extension. Nodes the user's
data introduces in that namespace are reported by ``shapes:NoNewProjectIri``
(its target nodes are supplied here, per run).
"""
from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..core import ids
from ..core.errors import UsageError
from ..core.namespaces import BASE, SH, SHAPES, SKOS
from ..io import limits
from ..io.reading import load_file, refuse_triple_terms
from ..core.resources import data_dir, data_files

SEVERITIES = ("Violation", "Warning", "Info")
_RANK = {name: i for i, name in enumerate(SEVERITIES)}

_NOTATION = ox.NamedNode(SKOS + "notation")
_BROADER = ox.NamedNode(SKOS + "broader")
_NARROWER = ox.NamedNode(SKOS + "narrower")
_PREFLABEL = ox.NamedNode(SKOS + "prefLabel")


@dataclass(frozen=True)
class Result:
    """One validation result about the user's data."""

    focus: str                       # IRI (or _:blank node id) of the focus node
    id: str | None                   # its process ID, if it has one
    path: str | None                 # IRI of the result path (SPARQL syntax if complex)
    value: str | None                # the value node (IRI or literal's text)
    severity: str                    # "Violation", "Warning" or "Info"
    source_shape: str                # IRI of the shape
    message: dict = field(default_factory=dict)   # {"ru": ..., "en": ...}

    def to_dict(self) -> dict:
        return {"focus": self.focus, "id": self.id, "path": self.path, "value": self.value,
                "severity": self.severity, "sourceShape": self.source_shape,
                "message": dict(self.message)}


@dataclass
class Report:
    """The outcome of :func:`validate`: results about the user's data only."""

    results: list[Result]
    labels: dict = field(default_factory=dict, repr=False)   # focus -> {lang: label}
    _graph: object = field(default=None, repr=False)

    @property
    def conforms(self) -> bool:
        """True when there is no result of any severity (the SHACL meaning)."""
        return not self.results

    def conforms_at(self, level: str = "violation") -> bool:
        """True when no result is at least as severe as ``level`` (violation|warning|info)."""
        limit = _RANK[level.capitalize()]
        return not any(_RANK[r.severity] <= limit for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def to_json(self, fail_on: str | None = None) -> str:
        """``{"conforms": bool, "results": [...]}``; ``conforms`` at ``fail_on`` if given."""
        conforms = self.conforms if fail_on is None else self.conforms_at(fail_on)
        return json.dumps({"conforms": conforms,
                           "results": [r.to_dict() for r in self.results]},
                          ensure_ascii=False, indent=2)

    def to_text(self, lang: str = "en") -> str:
        """Results grouped by focus node, each headed by the element's ID and label."""
        if not self.results:
            return ("Данные соответствуют формам: результатов нет.\n" if lang == "ru"
                    else "The data conforms: no results.\n")
        groups: dict[str, list[Result]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        lines = []
        for focus, results in groups.items():
            label = self.labels.get(focus, {})
            name = label.get(lang) or label.get("en") or label.get("ru") or ""
            head = results[0].id or focus
            lines.append(" ".join(x for x in (head, f"— {name}" if name else "",
                                               f"<{focus}>" if results[0].id else "") if x))
            for r in results:
                shape = r.source_shape.rsplit("#", 1)[-1]
                text = r.message.get(lang) or r.message.get("en") or ""
                lines.append(f"  {r.severity}: {text} [{shape}]")
        n = {s: self.count(s) for s in SEVERITIES}
        if lang == "ru":
            lines.append(f"Нарушений: {n['Violation']}, предупреждений: {n['Warning']}, "
                         f"замечаний: {n['Info']}.")
        else:
            lines.append(f"{n['Violation']} violation(s), {n['Warning']} warning(s), "
                         f"{n['Info']} info.")
        return "\n".join(lines) + "\n"

    @property
    def graph(self):
        """The SHACL validation report (rdflib Graph) of the kept results."""
        if callable(self._graph):   # built on first use: most callers never ask for it
            self._graph = self._graph()
        return self._graph

    def to_turtle(self) -> str:
        return self.graph.serialize(format="turtle")


# -- inputs ----------------------------------------------------------------------
def _load_user(work: ox.Store, data) -> None:
    """Read ``data`` into the default graph of ``work`` (a dataset's named graphs merged)."""
    if isinstance(data, (str, Path)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not data:
            raise UsageError("nothing to validate: no input files given")
        for path in data:
            load_file(work, Path(path), ox.DefaultGraph())
    else:
        try:
            import rdflib
        except ImportError:  # pragma: no cover
            raise UsageError("data must be a path, a list of paths or an rdflib graph") from None
        if not isinstance(data, rdflib.Graph):
            raise UsageError(f"cannot validate a {type(data).__name__}: give a path, a list "
                             "of paths or an rdflib graph")
        # Through N-Quads, so the caller's graph is only read, never touched.
        text = data.serialize(format="nquads" if data.context_aware else "nt", encoding="utf-8")
        work.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                         for q in ox.parse(text, format=ox.RdfFormat.N_QUADS,
                                           rename_blank_nodes=True))
    # One default graph: queries then need no union over named graphs (which costs).
    for graph in list(work.named_graphs()):
        work.bulk_extend([ox.Quad(q.subject, q.predicate, q.object)
                          for q in work.quads_for_pattern(None, None, None, graph)])
        work.remove_graph(graph)


def _load_context(work: ox.Store, context: bool) -> None:
    """Add the shipped graph (or only the TBox) to the default graph of ``work``,
    parsed straight into the store: no Python object per triple."""
    from ..graph.shipped import load_shipped

    if context:
        load_shipped(work, named=False)
    else:
        path = data_dir("ontology") / "etom.ttl"
        work.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())


@lru_cache(maxsize=1)
def _shipped_subjects() -> frozenset:
    from ..graph.shipped import shipped_quads

    return frozenset(q.subject for q in shipped_quads())


@lru_cache(maxsize=4)
def _shapes_ntriples(paths: tuple[str, ...]) -> bytes:
    store = ox.Store()
    for path in paths:
        load_file(store, Path(path), ox.DefaultGraph())
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


# -- derivation --------------------------------------------------------------------
def _derive(user: ox.Store) -> None:
    """Add the inverse of every ``skos:broader`` / ``skos:narrower`` link in ``user``,
    so an extension may state one direction.

    Level and ID components are not materialised: they follow from the ID, no
    shape demands them, and the shapes that compare stated ones with the ID
    (ProcessIdComponentsMatch, ProcessLevelMatchesId) compute them from the ID
    themselves, so derived copies could never change a result. A SPARQL update
    inside Oxigraph: no Python object per derived triple, and blank nodes stay
    the same nodes.
    """
    for p, inverse in ((_BROADER, _NARROWER), (_NARROWER, _BROADER)):
        user.update(f"INSERT {{ ?o {inverse} ?s }} WHERE {{ ?s {p} ?o FILTER(!isLiteral(?o)) }}")


# -- rendering ----------------------------------------------------------------------
def _term_text(term) -> str:
    import rdflib

    if isinstance(term, rdflib.Literal):
        return f'"{term}"' + (f"@{term.language}" if term.language else "")
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return f"<{term}>"


def _plain(term) -> str | None:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _path_text(graph, path) -> str | None:
    """IRI of a simple path, or the SPARQL property-path syntax of a complex one."""
    import rdflib

    from .fastshacl import _path

    if path is None:
        return None
    return str(path) if isinstance(path, rdflib.URIRef) else _path(graph, path)


def _fill(template: str, this, pid, value) -> str:
    subs = {"this": _term_text(this), "id": pid or _term_text(this),
            "value": _term_text(value) if value is not None else ""}
    return re.sub(r"\{[?$](this|id|value)\}", lambda m: subs[m.group(1)], template)


def _data_graph(work: ox.Store):
    """An in-memory rdflib graph of ``work`` whose SPARQL queries run in Oxigraph.

    pySHACL walks triples for Core constraints (fast in rdflib's memory store)
    and runs each SPARQL-based target once as a plain query string: Oxigraph
    answers those 10-100x faster than rdflib's own SPARQL engine.
    """
    import rdflib
    from oxrdflib import OxigraphStore
    from oxrdflib._converter import from_ox
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    oxigraph = rdflib.Graph(store=OxigraphStore(store=work), identifier=DATASET_DEFAULT_GRAPH_ID)

    class _Graph(rdflib.Graph):
        def query(self, query_object, processor="sparql", result="sparql", initNs=None,
                  initBindings=None, use_store_provided=True, **kwargs):
            if isinstance(query_object, str) and not initBindings and not kwargs:
                return oxigraph.query(query_object, initNs=initNs or {})
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)

    graph = _Graph()
    graph.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph)
               for q in work)
    return graph


# -- preparing a run ------------------------------------------------------------------
@dataclass
class Prepared:
    """Everything a validation run needs: the working copy and the shapes."""

    work: ox.Store                 # shipped context + user's data + what it implies
    user_subjects: set             # N-Triples text of terms: results are kept for these only
    shapes: object                 # rdflib Graph of the shapes (never changed)
    key: tuple | None              # cache key of the shapes (None: a caller's graph)
    extra_targets: dict            # shape (rdflib node) -> [rdflib nodes]: per-run targets

    def shapes_with_targets(self):
        """A copy of the shapes with the per-run sh:targetNode statements added."""
        import rdflib
        from rdflib.namespace import SH as S

        graph = rdflib.Graph()
        for triple in self.shapes:
            graph.add(triple)
        for shape, nodes in self.extra_targets.items():
            for node in nodes:
                graph.add((shape, S.targetNode, node))
        return graph

    def user_nodes(self) -> set:
        """The user's subjects as rdflib terms."""
        import rdflib

        return {rdflib.URIRef(s[1:-1]) if s.startswith("<") else rdflib.BNode(s[2:])
                for s in self.user_subjects}


@lru_cache(maxsize=4)
def _cached_shapes(paths: tuple[str, ...]):
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=_shapes_ntriples(paths), format="nt")
    return graph


def _subjects_tsv(work: ox.Store, snapshot) -> bytes:
    """The distinct subjects of ``work`` as SPARQL TSV; ``snapshot`` is set once the
    query has fixed the data it reads (query results may not cross threads)."""
    try:
        solutions = work.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
    finally:
        snapshot.set()
    return solutions.serialize(format=ox.QueryResultsFormat.TSV)


def _shapes_compiled(shapes):
    """:func:`_shapes`, with the compiled form of the shipped shapes cached as well."""
    graph, key = _shapes(shapes)
    if key is not None:
        _compiled_cached(key)
    return graph, key


def _shapes(shapes):
    """``(rdflib graph, cache key)`` of the shapes to use (shipped ones by default)."""
    import rdflib

    if isinstance(shapes, rdflib.Graph):
        graph = rdflib.Graph()
        for triple in shapes:
            graph.add(triple)
        return graph, None
    if shapes is None:
        shapes = data_files("shapes", "*.ttl")
    if isinstance(shapes, (str, Path)):
        shapes = [shapes]
    paths = tuple(str(Path(p).resolve()) for p in shapes)
    return _cached_shapes(paths), paths


def prepare(data, *, shapes=None, context: bool = True, derive: bool = True) -> Prepared:
    """Read ``data`` and build the working copy and the shapes (see the module doc)."""
    from concurrent.futures import ThreadPoolExecutor

    # The shapes (rdflib import, parse, compilation: Python) are read on a second
    # thread while Oxigraph, which releases the GIL, parses the user's data.
    with ThreadPoolExecutor(max_workers=2) as pool:
        shapes_ready = pool.submit(_shapes_compiled, shapes)
        work = ox.Store()
        _load_user(work, data)
        limits.check_hierarchy(work, data)  # the cycle shape is quadratic in the depth
        # The user's subjects, from a snapshot of ``work`` taken now (it holds the
        # user's data only), listed on the other thread while the inverse links are
        # derived: as TSV text, one string per subject, no Python object per solution.
        snapshot = threading.Event()
        tsv = pool.submit(_subjects_tsv, work, snapshot)
        snapshot.wait()
        if derive:
            _derive(work)
        _load_context(work, context)
        user_subjects = set(tsv.result().decode("utf-8").split("\n")[1:])
        user_subjects.discard("")
        graph, key = shapes_ready.result()
    import rdflib

    extra = {}
    no_new_iri = rdflib.URIRef(SHAPES + "NoNewProjectIri")
    if (no_new_iri, rdflib.RDF.type, None) in graph:
        ours = [n[1:-1] for n in user_subjects if n.startswith("<" + BASE)]
        shipped = _shipped_subjects() if ours else frozenset()  # parsed only when needed
        extra[no_new_iri] = sorted(rdflib.URIRef(n) for n in ours if ox.NamedNode(n) not in shipped)
    return Prepared(work, user_subjects, graph, key, extra)


# -- engines: both give (focus, path, value, severity, shape, component), rdflib terms -------
@lru_cache(maxsize=4)
def _compiled_cached(key):
    from . import fastshacl

    return fastshacl.compile_all(_cached_shapes(key))


def _shape_rows(prep: Prepared, c) -> list | None:
    """``[(focus, value, component)]`` of one compiled shape; ``None``: Oxigraph failed on it."""
    from oxrdflib._converter import from_ox

    from . import fastshacl

    try:
        solutions = list(fastshacl.run(prep.work, [c], prep.extra_targets))
    except (OSError, ValueError, SyntaxError, RuntimeError):
        return None
    return [(from_ox(focus), None if value is None else from_ox(value), check.component)
            for _c, check, focus, value in solutions if str(focus) in prep.user_subjects]


def _run_fast(prep: Prepared) -> list[tuple]:
    """Compiled shapes in Oxigraph; the shapes the compiler does not cover in pySHACL.

    The shape queries run on a thread per CPU: Oxigraph releases the GIL while it
    evaluates a query, so two cores validate in about half the time.
    """
    from concurrent.futures import ThreadPoolExecutor

    from . import fastshacl

    compiled, left = (_compiled_cached(prep.key) if prep.key is not None
                      else fastshacl.compile_all(prep.shapes))
    left = list(left)
    with ThreadPoolExecutor(max_workers=min(len(compiled), os.cpu_count() or 1) or 1) as pool:
        rows = list(pool.map(lambda c: _shape_rows(prep, c), compiled))
    out = []
    for c, found in zip(compiled, rows):
        if found is None:
            left.append(c.shape)     # never skipped: pySHACL evaluates it instead
            continue
        out += [(focus, c.path, value, c.severity, c.shape, component)
                for focus, value, component in found]
    if left:
        out += _run_pyshacl(prep, only=left)
    return out


def _run_pyshacl(prep: Prepared, only=None) -> list[tuple]:
    """Plain pySHACL on the working copy (all shapes, or only the shapes in ``only``)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH as S

    from . import fastshacl

    shapes = prep.shapes_with_targets()
    if only is not None:
        for shape in fastshacl.top_level_shapes(shapes):
            if shape not in only:
                shapes.add((shape, S.deactivated, rdflib.Literal(True)))
    _conforms, report, _text = pyshacl.validate(
        _data_graph(prep.work), shacl_graph=shapes, advanced=True, inference="none",
        abort_on_first=False, allow_warnings=False, inplace=True, meta_shacl=False)
    keep = prep.user_nodes()
    out = []
    for r in report.subjects(rdflib.RDF.type, S.ValidationResult):
        focus = report.value(r, S.focusNode)
        if focus in keep:
            out.append((focus, report.value(r, S.resultPath), report.value(r, S.value),
                        str(report.value(r, S.resultSeverity)), report.value(r, S.sourceShape),
                        str(report.value(r, S.sourceConstraintComponent))))
    return out


# -- the API --------------------------------------------------------------------------
ENGINES = ("fast", "pyshacl")


def validate(data, *, shapes=None, context: bool = True, derive: bool = True,
             engine: str = "fast") -> Report:
    """Validate ``data`` (a path, a list of paths or an rdflib graph) with SHACL.

    ``shapes``: shapes files or an rdflib graph instead of the shipped shapes.
    ``context``: include the shipped graph (so parents such as 1.1.1.5 are
    found); results are reported only for nodes that are subjects of ``data``.
    ``derive``: complete the user's hierarchy links with their inverses (see
    the module doc); ``derive=False`` judges the data exactly
    as given, the way the shipped graph itself is held to the shapes.
    ``engine``: ``"fast"`` (each shape compiled into one SPARQL query run in
    Oxigraph, see :mod:`etom_kg.validation.fastshacl`) or ``"pyshacl"`` (plain pySHACL);
    both give the same results.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}: choose fast or pyshacl")
    prep = prepare(data, shapes=shapes, context=context, derive=derive)
    if engine == "pyshacl":  # rdflib has no triple terms: one line, not an AssertionError
        refuse_triple_terms(prep.work, data, "--engine pyshacl")
    raw = _run_fast(prep) if engine == "fast" else _run_pyshacl(prep)
    return _report(prep, raw)


def _templates(shapes, shape) -> dict:
    import rdflib
    from rdflib.namespace import SH as S

    return {m.language: str(m) for m in shapes.objects(shape, S.message)
            if isinstance(m, rdflib.Literal) and m.language in ("ru", "en")}


def _report(prep: Prepared, raw: list[tuple]) -> Report:
    shapes_graph = prep.shapes
    results = []
    labels: dict[str, dict] = {}
    templates: dict = {}
    kept = []
    for focus, path, value, severity, shape, component in set(raw):
        node = _to_ox(focus)
        notations = sorted(q.object.value for q in prep.work.quads_for_pattern(node, _NOTATION, None))
        pid = ", ".join(notations) or None
        if shape not in templates:
            templates[shape] = _templates(shapes_graph, shape)
        message = {}
        for lang in ("ru", "en"):
            template = templates[shape].get(lang) or templates[shape].get("en") or str(shape)
            message[lang] = _fill(template, focus, pid, value)
        result = Result(focus=_plain(focus), id=pid, path=_path_text(shapes_graph, path),
                        value=_plain(value), severity=severity.rsplit("#", 1)[-1],
                        source_shape=_plain(shape), message=message)
        results.append(result)
        kept.append((focus, path, value, severity, shape, component, message))
        if result.focus not in labels:
            labels[result.focus] = {
                q.object.language: q.object.value
                for q in prep.work.quads_for_pattern(node, _PREFLABEL, None)
                if isinstance(q.object, ox.Literal) and q.object.language}
    results.sort(key=lambda r: (ids.sort_key(r.id or "~"), r.focus, _RANK[r.severity],
                                r.source_shape, r.path or "", r.value or ""))
    return Report(results=results, labels=labels,
                  _graph=lambda: _report_graph(shapes_graph, kept))


def _to_ox(term):
    from oxrdflib._converter import to_ox

    return to_ox(term)


def _report_graph(shapes_graph, kept: list[tuple]):
    """The SHACL validation report graph, with the rendered, language-tagged messages."""
    import rdflib
    from rdflib.namespace import SH as S

    out = rdflib.Graph()
    out.bind("sh", SH)
    report_node = rdflib.BNode()
    out.add((report_node, rdflib.RDF.type, S.ValidationReport))
    for focus, path, value, severity, shape, component, message in kept:
        r = rdflib.BNode()
        out.add((report_node, S.result, r))
        out.add((r, rdflib.RDF.type, S.ValidationResult))
        out.add((r, S.focusNode, focus))
        out.add((r, S.resultSeverity, rdflib.URIRef(severity)))
        out.add((r, S.sourceShape, shape))
        out.add((r, S.sourceConstraintComponent, rdflib.URIRef(component)))
        if path is not None:
            out.add((r, S.resultPath, path))
            if not isinstance(path, rdflib.URIRef):
                _copy_path(shapes_graph, path, out)
        if value is not None:
            out.add((r, S.value, value))
        for lang, text in message.items():
            out.add((r, S.resultMessage, rdflib.Literal(text, lang=lang)))
    out.add((report_node, S.conforms, rdflib.Literal(not kept)))
    return out


def _copy_path(source, node, target) -> None:
    """Copy the blank-node structure of a SHACL property path into ``target``."""
    import rdflib

    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for p, o in source.predicate_objects(n):
            target.add((n, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)


__all__ = ["validate", "prepare", "Report", "Result", "SEVERITIES", "ENGINES"]
