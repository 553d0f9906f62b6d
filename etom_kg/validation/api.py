"""Validate RDF data with SHACL shapes (the shipped ones, the user's own, or both).

How :func:`validate` works:

1. A *working copy* is built in one in-memory Oxigraph store (its default
   graph): the user's data (files, or an rdflib graph, which is only read; a
   dataset's named graphs are merged), what the data implies — the inverse of
   every ``skos:broader`` / ``skos:narrower`` the user asserts (``derive``) —
   and, with ``context=True``, the shipped graph (so parents such as 1.1.1.5
   are found). With ``context=False`` the data is judged alone (with the shipped
   shapes, beside the TBox ``etom.ttl`` they are written against).
2. The subjects of the user's data are noted before the rest is added.
3. The shapes are evaluated on the working copy: by default each shape is
   compiled into one SPARQL query run once in Oxigraph (:mod:`etom_kg.validation.fastshacl`;
   a shape the compiler does not cover goes to pySHACL, and ``Report.engines``
   says which and why); ``engine="pyshacl"`` runs plain pySHACL on all shapes.
   Oxigraph stores typed literals as values (``"3"^^xsd:byte`` becomes an
   ``xsd:integer``): when the data holds literals the store rewrites, the shapes
   whose Core constraints read them, or whose SPARQL targets meet an ill-formed
   one, run in pySHACL on the literals as written (:func:`_touches`).
4. Without context every result is reported; with context, results about the
   shipped graph's own nodes (those the user's data does not describe) are left
   out. Messages come from the shape's ``sh:message`` with ``{$this}``,
   ``{?id}``, ``{$path}`` and ``{?value}`` filled in.

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
from ..core.errors import InputError, UsageError
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
    severity: str                    # "Violation", "Warning", "Info" or a custom IRI
    source_shape: str                # IRI of the shape
    message: dict = field(default_factory=dict)   # {"ru": ..., "en": ...}
    component: str = ""              # IRI of the sh:sourceConstraintComponent
    value_datatype: str | None = None   # a literal value's datatype IRI (None: plain/IRI)
    value_language: str | None = None   # a literal value's language tag

    def to_dict(self) -> dict:
        out = {"focus": self.focus, "id": self.id, "path": self.path, "value": self.value,
               "severity": self.severity, "sourceShape": self.source_shape,
               "sourceConstraintComponent": self.component, "message": dict(self.message)}
        if self.value_datatype:
            out["valueDatatype"] = self.value_datatype
        if self.value_language:
            out["valueLanguage"] = self.value_language
        return out


def _rank(severity: str) -> int:
    """Order of severities; a custom severity counts as a violation (it is not conformance)."""
    return _RANK.get(severity, 0)


@dataclass
class Report:
    """The outcome of :func:`validate`: results about the user's data only.

    Two verdicts, kept apart on purpose:

    - :attr:`conforms` is SHACL's ``sh:conforms``: true iff there is no result of
      any severity (the same value as ``sh:conforms`` in :meth:`to_turtle` and
      ``"conforms"`` in :meth:`to_json`).
    - :meth:`conforms_at` (``level``) is the pass/fail decision of ``etom-kg validate
      --fail-on LEVEL``: its exit status is 0 iff ``conforms_at(LEVEL)``, which the
      JSON carries as ``"passed"`` beside ``"failOn"``. A file with warnings only
      does not conform, yet passes at the default level ``violation``.

    ``str(report)`` is the human report, the CLI's ``--format text`` (:meth:`to_text`).
    """

    results: list[Result]
    labels: dict = field(default_factory=dict, repr=False)   # focus -> {lang: label}
    _graph: object = field(default=None, repr=False)
    engines: dict = field(default_factory=dict, repr=False)   # shape IRI -> how it ran

    def __str__(self) -> str:
        return self.to_text()

    def explain(self) -> str:
        """Per shape, its IRI and, indented below (within 100 columns), how it ran:
        compiled to SPARQL, or evaluated by pySHACL and why."""
        import textwrap

        return "".join(f"{shape}\n" + textwrap.fill(how, 100, initial_indent="  ",
                                                     subsequent_indent="    ",
                                                     break_long_words=False) + "\n"
                       for shape, how in sorted(self.engines.items()))

    @property
    def conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true when there is no result of any severity."""
        return not self.results

    def conforms_at(self, level: str = "violation") -> bool:
        """True when no result is at least as severe as ``level`` (violation|warning|info):
        the CLI's ``--fail-on`` decision (exit 0) and the JSON's ``"passed"``."""
        key = level.capitalize() if isinstance(level, str) else level
        if key not in _RANK:
            raise UsageError(f"unknown severity level {level!r}: choose violation, warning "
                             "or info")
        limit = _RANK[key]
        return not any(_rank(r.severity) <= limit for r in self.results)

    def count(self, severity: str) -> int:
        """How many results have ``severity`` ("Violation", "Warning", "Info" or an IRI)."""
        return sum(1 for r in self.results if r.severity == severity)

    def to_json(self, fail_on: str = "violation") -> str:
        """``{"conforms", "failOn", "passed", "results"}``: ``conforms`` is :attr:`conforms`
        (SHACL), ``passed`` is :meth:`conforms_at` ``(fail_on)`` (the CLI's exit 0)."""
        return json.dumps({"conforms": self.conforms, "failOn": fail_on.lower(),
                           "passed": self.conforms_at(fail_on),
                           "results": [r.to_dict() for r in self.results]},
                          ensure_ascii=False, indent=2)

    def to_text(self, lang: str | None = None) -> str:
        """Results grouped by focus node, each headed by the element's ID and label;
        ``lang`` (ru|en) defaults to the CLI's (``ETOM_KG_LANG``, else ru)."""
        import textwrap

        from ..publish.i18n import DEFAULT_LANG, word

        lang = lang or DEFAULT_LANG
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
                # A custom severity is an IRI: printed as written.
                sev = word(r.severity, lang).capitalize() if r.severity in _RANK else r.severity
                # Within 100 columns; an IRI or long word is never cut.
                lines.extend(textwrap.wrap(f"{sev}: {text} [{shape}]", 100,
                                           initial_indent="  ", subsequent_indent="    ",
                                           break_long_words=False, break_on_hyphens=False))
        n = {s: self.count(s) for s in SEVERITIES}
        if lang == "ru":
            lines.append(f"Нарушений: {n['Violation']}, предупреждений: {n['Warning']}, "
                         f"сведений: {n['Info']}.")
        else:
            lines.append(f"{n['Violation']} violation(s), {n['Warning']} warning(s), "
                         f"{n['Info']} info.")
        other = len(self.results) - sum(n.values())
        if other:   # custom severities (a shape's own sh:severity IRI)
            lines[-1] = lines[-1][:-1] + (f", других: {other}." if lang == "ru"
                                          else f", {other} of other severities.")
        return "\n".join(lines) + "\n"

    @property
    def graph(self):
        """The SHACL validation report (rdflib Graph) of the kept results."""
        if callable(self._graph):   # built on first use: most callers never ask for it
            self._graph = self._graph()
        return self._graph

    def to_turtle(self) -> str:
        return self.graph.serialize(format="turtle")


# -- terms -------------------------------------------------------------------------
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"


def to_rdflib(term):
    """An rdflib term for a pyoxigraph term, as written: a plain literal stays plain
    (oxrdflib's converter makes it ``^^xsd:string``, which pySHACL's ``sh:in`` and
    ``sh:hasValue`` then tell apart from the shapes' plain constants)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib.Literal(term.value)
        # normalize=False: rdflib would otherwise rewrite "01" to "1" as Oxigraph does.
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    raise TypeError(f"not an RDF term: {term!r}")


# -- inputs ----------------------------------------------------------------------
# Bytes that can stand for a literal Oxigraph's store rewrites: an XSD datatype IRI, an
# escape that may spell one. Turtle's numeric shorthand adds its own (see _may_rewrite).
_MARKERS = (b"XMLSchema", b"\\u", b"\\U")
_SHORTHAND = re.compile(
    rb"(?:^|[\s,(\[])[+-]?(?:[+]|0[0-9]|-0|[0-9]*[.][0-9]+(?![.][0-9])|[0-9]+[eE])",
    re.MULTILINE)
_JSON_NUMBER = re.compile(rb"[:\[,]\s*-?[0-9]")


_XSD_PREFIX = re.compile(rb"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*"
                         rb"<http://www\.w3\.org/2001/XMLSchema#>", re.IGNORECASE)


def _may_rewrite(path: Path) -> bool:
    """False when ``path`` cannot hold a literal the store would rewrite (a scan of the
    bytes: no XSD datatype but xsd:string in use, no escape, no non-canonical Turtle
    number). A declared but unused ``xsd:`` prefix does not count."""
    import mmap

    from ..io.reading import rdf_format

    fmt = rdf_format(path)
    with path.open("rb") as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            return False
        # Mapped, not read: no copy of a file of 10^8 bytes for a search.
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _holds_rewritable(data, fmt)


def _holds_rewritable(data, fmt) -> bool:
    if fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3,
                   ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        if any(data.find(m) >= 0 for m in _MARKERS):
            return True
        return fmt == ox.RdfFormat.JSON_LD and _JSON_NUMBER.search(data) is not None
    if data.find(b"\\u") >= 0 or data.find(b"\\U") >= 0:
        return True
    if data.find(b"XMLSchema") >= 0:
        names = [re.escape(n or b"") + b":" for n in _XSD_PREFIX.findall(data)]
        used = re.compile(rb"\^\^\s*(?:<http://www\.w3\.org/2001/XMLSchema#"
                          + b"".join(b"|" + n for n in names) + rb")(?!string\b)")
        rest = _XSD_PREFIX.sub(b"", data).replace(
            b"^^<http://www.w3.org/2001/XMLSchema#string>", b"")
        if used.search(data) or b"XMLSchema" in rest:   # any other mention: to be safe
            return True
    return fmt not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) and \
        _SHORTHAND.search(data) is not None


@dataclass
class Rewritten:
    """Literals of the user's data as written, where the store holds another form."""

    originals: dict = field(default_factory=dict)   # (s, p, stored o) -> [literals as written]
    also_stored: set = field(default_factory=set)   # (s, p, o) written exactly as stored
    predicates: set = field(default_factory=set)    # IRIs of predicates with such literals
    ill_formed: set = field(default_factory=set)    # ... with one the store gave a value

    def note(self, quads) -> None:
        """Record the literals of ``quads`` (as parsed) that the store rewrites."""
        candidates = [q for q in quads if isinstance(q.object, ox.Literal)
                      and not q.object.language and q.object.datatype.value != _XSD_STRING
                      and q.object.datatype.value.startswith(_XSD)]
        if not candidates:
            return
        scratch = ox.Store()
        scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x-etom-kg:{i}"), ox.NamedNode("urn:x:p"),
                                    q.object) for i, q in enumerate(candidates))
        stored = {int(q.subject.value.rsplit(":", 1)[1]): q.object for q in scratch}
        for i, q in enumerate(candidates):
            if stored[i] == q.object:
                self.also_stored.add((q.subject, q.predicate, q.object))
            else:
                self.originals.setdefault((q.subject, q.predicate, stored[i]), []).append(q.object)
                self.predicates.add(q.predicate.value)
                if not _well_formed(q.object):
                    self.ill_formed.add(q.predicate.value)

    def __bool__(self) -> bool:
        return bool(self.originals)


def _well_formed(literal: ox.Literal) -> bool:
    """False for a literal of a bounded integer type out of its range ("300"^^xsd:byte):
    the store, which checks no range, makes it an xsd:integer with a value."""
    from .fastshacl import _INT, _RANGES

    name = literal.datatype.value[len(_XSD):]
    if name not in _RANGES:
        return True   # the store rewrote it, so its parser read a value: well-formed
    if not re.match(_INT, literal.value):
        return False
    low, high = _RANGES[name]
    number = int(literal.value)
    return (low is None or number >= low) and (high is None or number <= high)


def _files(data) -> list[Path] | None:
    """The paths in ``data`` (None: an rdflib graph)."""
    if isinstance(data, (str, Path)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if not data:
            raise UsageError("nothing to validate: no input files given")
        return [Path(p) for p in data]
    return None


def _scan(paths: list[Path]) -> set[Path]:
    """The files that may hold literals the store rewrites (unreadable ones: load_file
    reports them)."""
    out = set()
    for path in paths:
        try:
            if path.is_file() and _may_rewrite(path):
                out.add(path)
        except (OSError, InputError):
            pass
    return out


def _load_user(work: ox.Store, data, rewritten: Rewritten, as_written=frozenset()) -> None:
    """Read ``data`` into the default graph of ``work`` (a dataset's named graphs merged);
    the files in ``as_written`` keep note, in ``rewritten``, of the literals the store
    rewrites (an rdflib graph always does)."""
    paths = _files(data)
    if paths is not None:
        for path in paths:
            if path in as_written:
                _load_as_written(work, path, rewritten)
            else:
                load_file(work, path, ox.DefaultGraph())
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
        quads = [ox.Quad(q.subject, q.predicate, q.object)
                 for q in ox.parse(text, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True)]
        rewritten.note(quads)
        work.bulk_extend(quads)
    # One default graph: queries then need no union over named graphs (which costs).
    for graph in list(work.named_graphs()):
        work.bulk_extend([ox.Quad(q.subject, q.predicate, q.object)
                          for q in work.quads_for_pattern(None, None, None, graph)])
        work.remove_graph(graph)


def _note_rewritten(paths, rewritten: Rewritten) -> bool:
    """Note the literals of ``paths`` (already in the store) that the store rewrote;
    False if one of them is about a blank node (the store's ids differ from the parser's)."""
    from ..io.reading import rdf_format

    candidates = []
    for path in sorted(paths):
        for q in ox.parse(path=str(path), format=rdf_format(path),
                          base_iri=path.resolve().as_uri(), rename_blank_nodes=True):
            o = q.object
            if isinstance(o, ox.Literal) and not o.language and o.datatype.value.startswith(_XSD) \
                    and o.datatype.value != _XSD_STRING:
                candidates.append(ox.Quad(q.subject, q.predicate, o))
    noted = Rewritten()
    noted.note(candidates)
    if any(isinstance(s, ox.BlankNode) for s, _p, _o in noted.originals):
        return False
    rewritten.originals.update(noted.originals)
    rewritten.also_stored |= noted.also_stored
    rewritten.predicates |= noted.predicates
    rewritten.ill_formed |= noted.ill_formed
    return True


def _load_as_written(work: ox.Store, path: Path, rewritten: Rewritten) -> None:
    """Load ``path`` keeping note of the literals as written (the parser keeps them; the
    store does not). ``load_file`` first, for its checks and its error messages."""
    from ..io.reading import rdf_format

    load_file(ox.Store(), path, ox.DefaultGraph())
    quads = [ox.Quad(q.subject, q.predicate, q.object)
             for q in ox.parse(path=str(path), format=rdf_format(path),
                               base_iri=path.resolve().as_uri(), rename_blank_nodes=True)]
    rewritten.note(quads)
    work.bulk_extend(quads)


def _load_context(work: ox.Store, context: bool, vocabulary: bool) -> None:
    """Add the shipped graph (or, with ``vocabulary`` only, the TBox ``etom.ttl`` the
    shipped shapes are written against) to the default graph of ``work``, parsed
    straight into the store: no Python object per triple."""
    from ..graph.shipped import load_shipped

    if context:
        load_shipped(work, named=False)
    elif vocabulary:
        path = data_dir("ontology") / "etom.ttl"
        work.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())


@lru_cache(maxsize=1)
def _shipped_subjects() -> frozenset:
    from ..graph.shipped import shipped_quads

    return frozenset(q.subject for q in shipped_quads())


@lru_cache(maxsize=4)
def _cached_shapes(paths: tuple[str, ...]):
    """The shapes files as an rdflib graph, every term as written (parsed by Oxigraph's
    parser, never its store: ``"1"^^xsd:boolean`` must not become ``true``)."""
    import rdflib

    from ..io.reading import rdf_format

    graph = rdflib.Graph()
    for path in paths:
        path = Path(path)
        load_file(ox.Store(), path, ox.DefaultGraph())   # its checks and error messages
        for q in ox.parse(path=str(path), format=rdf_format(path),
                          base_iri=path.as_uri(), rename_blank_nodes=True):
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


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

    from .fastshacl import Unsupported, _path

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    try:
        return _path(graph, path)
    except Unsupported:
        return _plain(path)


def _fill(template: str, this, pid, value, path) -> str:
    subs = {"this": _term_text(this), "id": pid or _term_text(this),
            "value": _term_text(value) if value is not None else "", "path": path or ""}
    return re.sub(r"\{[?$](this|id|value|path)\}", lambda m: subs[m.group(1)], template)


def _data_graph(prep: "Prepared"):
    """An in-memory rdflib graph of the working copy, literals as the user wrote them,
    whose plain SPARQL queries run in Oxigraph (unless the store rewrote literals).

    pySHACL walks triples for Core constraints (fast in rdflib's memory store)
    and runs each SPARQL-based target once as a plain query string: Oxigraph
    answers those 10-100x faster than rdflib's own SPARQL engine.
    """
    import rdflib
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    work, rewritten = prep.work, prep.rewritten
    graph_class = rdflib.Graph
    if not rewritten:
        oxigraph = rdflib.Graph(store=OxigraphStore(store=work),
                                identifier=DATASET_DEFAULT_GRAPH_ID)

        class _Graph(rdflib.Graph):
            def query(self, query_object, processor="sparql", result="sparql", initNs=None,
                      initBindings=None, use_store_provided=True, **kwargs):
                if isinstance(query_object, str) and not initBindings and not kwargs:
                    return oxigraph.query(query_object, initNs=initNs or {})
                return super().query(query_object, processor, result, initNs, initBindings,
                                     use_store_provided, **kwargs)
        graph_class = _Graph

    graph = graph_class()
    triples = []
    for q in work:
        key = (q.subject, q.predicate, q.object)
        written = rewritten.originals.get(key) if rewritten else None
        if written is None:
            triples.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
            continue
        objects = list(written) + ([q.object] if key in rewritten.also_stored else [])
        triples += [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(o)) for o in objects]
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


# -- preparing a run ------------------------------------------------------------------
@dataclass
class Prepared:
    """Everything a validation run needs: the working copy and the shapes."""

    work: ox.Store                 # (shipped context +) user's data + what it implies
    user_subjects: set             # N-Triples text of the subjects of the user's data
    shapes: object                 # rdflib Graph of the shapes (never changed)
    key: tuple | None              # cache key of the shapes (None: a caller's graph)
    extra_targets: dict            # shape (rdflib node) -> [rdflib nodes]: per-run targets
    context: bool = True           # the shipped graph is in the working copy
    rewritten: Rewritten = field(default_factory=Rewritten)   # literals the store rewrote

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

    def keeps(self):
        """A test of a result's focus node (rdflib): kept in the report? Without context
        every result is; with it, not those about the shipped graph's own nodes."""
        if not self.context:
            return lambda focus: True

        def keep(focus) -> bool:
            if _plain_nt(focus) in self.user_subjects:
                return True
            return _to_ox(focus) not in _shipped_subjects()
        return keep


def _plain_nt(term) -> str:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return term.n3()


def _subjects_tsv(work: ox.Store, snapshot) -> bytes:
    """The distinct subjects of ``work`` as SPARQL TSV; ``snapshot`` is set once the
    query has fixed the data it reads (query results may not cross threads)."""
    try:
        solutions = work.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
    finally:
        snapshot.set()
    return solutions.serialize(format=ox.QueryResultsFormat.TSV)


def _shapes_compiled(shapes, shipped_shapes):
    """:func:`_shapes`, with the compiled form of file shapes cached as well."""
    graph, key = _shapes(shapes, shipped_shapes)
    if key is not None:
        _compiled_cached(key)
    return graph, key


SHIPPED = "shipped"   # in a list of shapes: the shipped shapes


def _uses_shipped(shapes, shipped_shapes) -> bool:
    if shipped_shapes is not None:
        return shipped_shapes
    if shapes is None:
        return True
    return isinstance(shapes, (list, tuple)) and any(str(p) == SHIPPED for p in shapes)


def _shapes(shapes, shipped_shapes=None):
    """``(rdflib graph, cache key)`` of the shapes to use: ``shapes`` (files, an rdflib
    graph, or None for the shipped ones), plus the shipped ones if ``shipped_shapes``."""
    import rdflib

    if shipped_shapes is None:
        shipped_shapes = shapes is None
    if isinstance(shapes, rdflib.Graph):
        graph = rdflib.Graph()
        for triple in shapes:
            graph.add(triple)
        if shipped_shapes:
            for triple in _shapes(None)[0]:
                graph.add(triple)
        return graph, None
    if isinstance(shapes, (str, Path)):
        shapes = [shapes]
    files = [] if shapes is None else [p for p in shapes if str(p) != SHIPPED]
    if shipped_shapes or (shapes is not None and any(str(p) == SHIPPED for p in shapes)):
        files = list(data_files("shapes", "*.ttl")) + files
    if not files:
        raise UsageError("no shapes to validate with")
    paths = tuple(str(Path(p).resolve()) for p in files)
    return _cached_shapes(paths), paths


def prepare(data, *, shapes=None, context: bool = True, derive: bool = True,
            shipped_shapes: bool | None = None) -> Prepared:
    """Read ``data`` and build the working copy and the shapes (see the module doc)."""
    from concurrent.futures import ThreadPoolExecutor

    # The shapes (rdflib import, parse, compilation: Python) are read on a second
    # thread while Oxigraph, which releases the GIL, parses the user's data.
    with ThreadPoolExecutor(max_workers=3) as pool:
        shapes_ready = pool.submit(_shapes_compiled, shapes, shipped_shapes)
        work = ox.Store()
        rewritten = Rewritten()
        # The files are scanned for literals the store would rewrite while Oxigraph
        # loads them (it releases the GIL); the rare file that may hold some is then
        # loaded again, as written.
        paths = _files(data)
        scan = pool.submit(_scan, paths) if paths else None
        try:
            _load_user(work, data, rewritten)
            again = scan.result() if scan is not None else set()
            if again and not _note_rewritten(again, rewritten):
                # A rewritten literal of a blank node: only a load that shares the
                # parser's blank nodes can put the literal as written back on it.
                work.clear()
                rewritten = Rewritten()
                _load_user(work, data, rewritten, as_written=again)
        except BaseException:
            shapes_ready.cancel()
            raise
        limits.check_hierarchy(work, data)  # the cycle shape is quadratic in the depth
        # The user's subjects, from a snapshot of ``work`` taken now (it holds the
        # user's data only), listed on the other thread while the inverse links are
        # derived: as TSV text, one string per subject, no Python object per solution.
        snapshot = threading.Event()
        tsv = pool.submit(_subjects_tsv, work, snapshot)
        snapshot.wait()
        if derive:
            _derive(work)
        _load_context(work, context, _uses_shipped(shapes, shipped_shapes))
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
    return Prepared(work, user_subjects, graph, key, extra, context, rewritten)


# -- engines: both give (focus, path, value, severity, shape, component), rdflib terms -------
@lru_cache(maxsize=4)
def _compiled_cached(key):
    from . import fastshacl

    return fastshacl.plan(_cached_shapes(key))


def _shape_rows(prep: Prepared, c) -> list | None:
    """``[(focus, value, component, path)]`` of one compiled unit; ``None``: Oxigraph failed."""
    from . import fastshacl

    try:
        solutions = list(fastshacl.run(prep.work, [c], prep.extra_targets))
    except (OSError, ValueError, SyntaxError, RuntimeError):
        return None
    written = c.written or {}
    out = []
    for _c, check, focus, value, w in solutions:
        node = written.get(focus) or to_rdflib(focus)
        # A node-shape check's value is the focus node itself: named as written too.
        out.append((node, None if value is None else
                    node if value == focus else to_rdflib(value), check.component,
                    to_rdflib(w) if check.path_from_w else c.path))
    return out


def _touches(c, rewritten: Rewritten) -> bool:
    """Might the compiled unit ``c`` meet a literal the store rewrote? Its Core constraints
    and targets: if they name the predicate. Its SPARQL-based targets compare by value,
    which the store keeps, unless the literal was ill-formed ("300"^^xsd:byte): then if
    they name the predicate, in full or by a prefixed name."""
    core = " ".join([b for b, _first in c.branches]
                    + [t for t in c.targets if not t.startswith("{ ")])
    if any(f"<{p}>" in core for p in rewritten.predicates):
        return True
    sparql = " ".join(t for t in c.targets if t.startswith("{ "))
    for p in rewritten.ill_formed:
        local = re.split(r"[#/:]", p)[-1]
        if f"<{p}>" in sparql or (local and re.search(rf":{re.escape(local)}\b", sparql)):
            return True
    return False


def _run_fast(prep: Prepared, how: dict | None = None) -> list[tuple]:
    """Compiled shapes in Oxigraph; the shapes the compiler does not cover in pySHACL.

    The shape queries run on a thread per CPU: Oxigraph releases the GIL while it
    evaluates a query, so two cores validate in about half the time. ``how`` (if
    given) is filled with shape -> "compiled" or the reason it went to pySHACL.
    """
    from concurrent.futures import ThreadPoolExecutor

    from . import fastshacl

    compiled, left, reasons = (_compiled_cached(prep.key) if prep.key is not None
                               else fastshacl.plan(prep.shapes))
    left, reasons = list(left), dict(reasons)
    for shape in prep.extra_targets:   # per-run targets: a shape without others gets some
        reasons.setdefault(shape, None)
    if prep.rewritten:
        moved = {c.owner for c in compiled if _touches(c, prep.rewritten)}
        for shape in moved:
            reasons[shape] = ("the data holds literals Oxigraph's store rewrites "
                              "(e.g. xsd:byte, non-canonical numbers) on its paths")
        compiled = [c for c in compiled if c.owner not in moved]
        left += sorted(moved, key=str)
    with ThreadPoolExecutor(max_workers=min(len(compiled), os.cpu_count() or 1) or 1) as pool:
        rows = list(pool.map(lambda c: _shape_rows(prep, c), compiled))
    out, failed = [], set()
    for c, found in zip(compiled, rows):
        if found is None:
            failed.add(c.owner)
            continue
        out.append((c.owner, [(focus, path, value, c.severity, c.shape, component)
                              for focus, value, component, path in found]))
    # A unit Oxigraph failed on: its whole top-level shape goes to pySHACL, never skipped.
    rows_out = [row for owner, found in out if owner not in failed for row in found]
    for shape in failed:
        reasons[shape] = "Oxigraph failed on the compiled query"
    left += sorted(failed, key=str)
    if how is not None:
        for shape, why in reasons.items():
            how[_plain(shape)] = ("compiled to SPARQL, run in Oxigraph" if why is None
                                  else f"evaluated by pySHACL: {why}")
    if left:
        rows_out += _run_pyshacl(prep, only=left)
    return rows_out


_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


def _run_pyshacl(prep: Prepared, only=None) -> list[tuple]:
    """Plain pySHACL on the working copy (all shapes, or only the shapes in ``only``)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH as S

    from . import fastshacl

    shapes = prep.shapes_with_targets()
    if only is not None:
        only = set(only)
        # The other shapes lose their targets, not their meaning: sh:node may refer to them.
        for shape in fastshacl.top_level_shapes(shapes):
            if shape not in only:
                for t in _TARGETS:
                    shapes.remove((shape, S[t], None))
                shapes.remove((shape, rdflib.RDF.type, rdflib.RDFS.Class))
    _conforms, report, _text = pyshacl.validate(
        _data_graph(prep), shacl_graph=shapes, advanced=True, inference="none",
        abort_on_first=False, allow_warnings=False, inplace=True, meta_shacl=False)
    out = []
    # Top-level results only: those nested in sh:detail explain them, they are not others.
    for top in report.subjects(rdflib.RDF.type, S.ValidationReport):
        for r in report.objects(top, S.result):
            path = report.value(r, S.resultPath)
            if isinstance(path, rdflib.BNode):
                path = _same_path_in(shapes, report, r, path)
            out.append((report.value(r, S.focusNode), path, report.value(r, S.value),
                        str(report.value(r, S.resultSeverity)), report.value(r, S.sourceShape),
                        str(report.value(r, S.sourceConstraintComponent))))
    return out


def _same_path_in(shapes, report, result, path):
    """The shapes graph's node for a complex result path (pySHACL copies it)."""
    from rdflib.namespace import SH as S

    shape = report.value(result, S.sourceShape)
    own = shapes.value(shape, S.path)
    return own if own is not None else path


# -- the API --------------------------------------------------------------------------
ENGINES = ("fast", "pyshacl")


def validate(data, *, shapes=None, context: bool = True, derive: bool = True,
             engine: str = "fast", shipped_shapes: bool | None = None) -> Report:
    """Validate ``data`` (a path, a list of paths or an rdflib graph) with SHACL.

    ``shapes``: shapes files (``"shipped"`` in the list stands for the shipped
    shapes) or an rdflib graph; the shipped shapes by default, and beside the
    given ones if ``shipped_shapes=True``.
    ``context``: include the shipped graph (so parents such as 1.1.1.5 are
    found); results about its own nodes are then left out. ``context=False``:
    the data alone, every result reported.
    ``derive``: complete the user's hierarchy links with their inverses (see
    the module doc); ``derive=False`` judges the data exactly
    as given, the way the shipped graph itself is held to the shapes.
    ``engine``: ``"fast"`` (each shape compiled into one SPARQL query run in
    Oxigraph, see :mod:`etom_kg.validation.fastshacl`) or ``"pyshacl"`` (plain pySHACL);
    both give the same results. ``Report.engines`` says how each shape ran.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}: choose fast or pyshacl")
    prep = prepare(data, shapes=shapes, context=context, derive=derive,
                   shipped_shapes=shipped_shapes)
    how: dict = {}
    if engine == "pyshacl":  # rdflib has no triple terms: one line, not an AssertionError
        refuse_triple_terms(prep.work, data, "--engine pyshacl")
    if engine == "fast":
        raw = _run_fast(prep, how)
    else:
        raw = _run_pyshacl(prep)
        from . import fastshacl
        how = {_plain(s): "evaluated by pySHACL: --engine pyshacl"
               for s in fastshacl.top_level_shapes(prep.shapes)}
    report = _report(prep, raw)
    report.engines = how
    return report


def _templates(shapes, shape) -> dict:
    """``{lang: template}`` from ``sh:message``; "" holds a message without a language."""
    import rdflib
    from rdflib.namespace import SH as S

    out = {}
    for m in shapes.objects(shape, S.message):
        if isinstance(m, rdflib.Literal):
            out.setdefault((m.language or "").lower(), str(m))
    return out


def _default_message(component: str, path: str | None, lang: str) -> str:
    name = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    where = f" ({path})" if path else ""
    if lang == "ru":
        return f"Нарушено ограничение sh:{name}{where}: {{$this}}"
    return f"{{$this}} does not satisfy sh:{name}{where}"


def _report(prep: Prepared, raw: list[tuple]) -> Report:
    import rdflib

    shapes_graph = prep.shapes
    keep = prep.keeps()
    results = []
    labels: dict[str, dict] = {}
    templates: dict = {}
    kept = []
    for focus, path, value, severity, shape, component in raw:
        if not keep(focus):
            continue
        node = _to_ox(focus)
        notations = sorted(q.object.value for q in prep.work.quads_for_pattern(node, _NOTATION, None)) \
            if not isinstance(focus, rdflib.Literal) else []
        pid = ", ".join(notations) or None
        if shape not in templates:
            templates[shape] = _templates(shapes_graph, shape)
        path_text = _path_text(shapes_graph, path)
        message = {}
        for lang in ("ru", "en"):
            own = templates[shape]
            template = (own.get(lang) or own.get("") or own.get("en")
                        or next(iter(own.values()), None)
                        or _default_message(component, path_text, lang))
            message[lang] = _fill(template, focus, pid, value, path_text)
        sev = severity[len(SH):] if severity.startswith(SH) and severity[len(SH):] in _RANK \
            else severity
        is_literal = isinstance(value, rdflib.Literal)
        result = Result(focus=_plain(focus), id=pid, path=path_text,
                        value=_plain(value), severity=sev, source_shape=_plain(shape),
                        message=message, component=component,
                        value_datatype=str(value.datatype) if is_literal and value.datatype
                        else None,
                        value_language=value.language if is_literal else None)
        results.append(result)
        kept.append((focus, path, value, severity, shape, component, message))
        if result.focus not in labels and not isinstance(focus, rdflib.Literal):
            labels[result.focus] = {
                q.object.language: q.object.value
                for q in prep.work.quads_for_pattern(node, _PREFLABEL, None)
                if isinstance(q.object, ox.Literal) and q.object.language}
    results.sort(key=lambda r: (ids.sort_key(r.id or "~"), r.focus, _rank(r.severity),
                                r.source_shape, r.path or "", r.value or "", r.component))
    return Report(results=results, labels=labels,
                  _graph=lambda: _report_graph(shapes_graph, kept))


def _to_ox(term):
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or _XSD_STRING)))


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


__all__ = ["validate", "prepare", "Report", "Result", "SEVERITIES", "ENGINES", "SHIPPED"]
