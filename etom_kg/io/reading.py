"""Read RDF files into a pyoxigraph store: format by extension, errors as InputError.

pyoxigraph never fetches anything while parsing (no owl:imports, no remote
JSON-LD contexts, no external XML entities), reads Turtle with bare-CR line
endings, and is ~30x faster than rdflib's parsers.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from . import limits
from ..core.errors import InputError

# Extensions users and their tools produce; pyoxigraph's own table lacks some.
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}

FORMAT_NAMES = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def rdf_format(path: Path, format: str | None = None) -> ox.RdfFormat:
    """The RDF syntax of ``path``: from ``format`` if given, else its extension."""
    if format is not None:
        try:
            return FORMAT_NAMES[format.lower()]
        except KeyError:
            raise InputError(f"unknown RDF format {format!r}", path=path) from None
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown file extension {path.suffix or '(none)'!r}; "
                         f"expected one of {known}", path=path)
    return fmt


def check_readable(path: Path) -> int:
    """The size of ``path`` in bytes, or an InputError saying why it cannot be read."""
    if path.is_dir():
        raise InputError("is a directory, not a file", path=path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from None
    limits.check_size(path)
    if size == 0:
        raise InputError("file is empty", path=path)
    return size


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or an InputError saying why they cannot be read."""
    path = Path(path)
    check_readable(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from None
    if not data.strip():
        raise InputError("file is empty", path=path)
    return data


def parse_error(exc: Exception, path: Path) -> InputError:
    """Turn a pyoxigraph parse error into a one-line InputError with line/column."""
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "offset", None)
    message = str(exc).split("\n", 1)[0]
    return InputError(f"not valid RDF: {message}", path=path, line=line, column=column)


def load_file(store: ox.Store, path, graph: ox.NamedNode | ox.DefaultGraph | None = None,
              format: str | None = None) -> None:
    """Parse ``path`` into ``store``: triples into ``graph`` (default: the default graph).

    All or nothing: a file that fails to parse or holds a literal over the limit
    leaves the store as it was (a file that might hold one is read into a scratch
    store first and checked there). Each file gets fresh blank-node ids, so
    merging files never conflates their nodes.
    A dataset file (TriG, N-Quads) keeps its named graphs; its default graph goes
    into ``graph``. The raw bytes are checked against :mod:`etom_kg.io.limits`
    (entities, nesting) before the engine sees them; a UTF-8 byte-order mark
    (Windows editors write one) is skipped.
    """
    path = Path(path)
    if format is None and path.suffix.lower() in (".xml", ".archimate"):
        from .archimate import is_archimate, load_archimate

        if path.suffix.lower() == ".archimate" or is_archimate(path):  # an EA model, not RDF/XML
            load_archimate(store, path, graph)
            return
    fmt = rdf_format(path, format)
    size = check_readable(path)
    base = path.resolve().as_uri()
    suspect = size > (limits.MAX_LITERAL_CHARS or 0) and _may_hold_long_literal(path, fmt)
    target = ox.Store() if suspect else store
    try:
        data = read_bytes(path)
        _check_bytes(data, fmt, path)
        if data[:3] == _BOM and fmt not in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
            data = data[3:]
        by_path = len(data) > _IN_MEMORY and data[:3] != _BOM
        if by_path:
            data = None  # checked; let the parser read the file again (page cache)
        if fmt.supports_datasets and isinstance(graph, ox.NamedNode):
            _load_dataset_into(target, data if data is not None else path.read_bytes(),
                               fmt, base, graph)
        elif data is not None:
            target.load(data, format=fmt, base_iri=base, to_graph=graph or ox.DefaultGraph())
        elif sys.stderr is not None and sys.stderr.isatty():
            from .progress import ProgressReader

            with ProgressReader(path) as reader:  # a bar on the terminal for long reads
                target.load(reader, format=fmt, base_iri=base,
                            to_graph=graph or ox.DefaultGraph())
        else:  # no terminal, no bar: let Oxigraph read the file itself (faster)
            target.load(path=str(path), format=fmt, base_iri=base,
                        to_graph=graph or ox.DefaultGraph())
    except SyntaxError as exc:
        raise parse_error(exc, path) from None
    except MemoryError as exc:
        if "buffer maximal size" in str(exc):  # one token over the parser's fixed buffer
            raise limits.LimitError(
                f"a literal or IRI is longer than {limits.PARSER_BUFFER // 1024 // 1024} MiB, "
                "the longest the RDF parser accepts", path=path) from None
        raise limits.LimitError("not enough memory to read this file", path=path) from None
    except (ValueError, OSError) as exc:  # pyoxigraph reports bad encodings this way
        raise InputError(f"cannot be read: {str(exc).splitlines()[0]}", path=path) from None
    if suspect:
        _check_literals(target, graph, path)
        store.bulk_extend(target)


_BOM = b"\xef\xbb\xbf"
_IN_MEMORY = 64 * 1024 * 1024  # larger files are checked in memory, then parsed from disk


def _check_bytes(data: bytes, fmt, path: Path) -> None:
    """The checks on raw bytes that keep the engine from running away (see io.limits)."""
    if fmt == ox.RdfFormat.RDF_XML:
        # pyoxigraph expands internal DTD entities without limit (billion laughs).
        limits.check_xml_entities(data, path)
        limits.check_nesting(data, path, "xml")
    elif fmt == ox.RdfFormat.JSON_LD:
        limits.check_nesting(data, path, "json")
        limits.check_jsonld_contexts(data, path)
    elif fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):  # nesting: << >> only
        limits.check_nesting(data, path, "ntriples")
    else:
        limits.check_nesting(data, path, "turtle")


def _may_hold_long_literal(path: Path, fmt) -> bool:
    """False when no line can be longer than the literal limit and literals cannot span lines.

    A newline in every block of a quarter of the limit bounds every line to half
    the limit: a scan for one byte per block, at memory speed, that spares the
    SPARQL check over every literal (1.1 s per 10^6 triples) in the common case.
    """
    if fmt not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE,
                   ox.RdfFormat.TRIG):
        return True
    line_based = fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
    block = max(limits.MAX_LITERAL_CHARS // 4, 1)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(block):
            if b"\n" not in chunk:
                return True
            if not line_based and (b'"""' in tail + chunk or b"'''" in tail + chunk):
                return True  # a long Turtle string may span lines
            tail = chunk[-2:]
    return False


def _load_dataset_into(store, data: bytes, fmt, base: str, graph: ox.NamedNode) -> None:
    quads = [ox.Quad(q.subject, q.predicate, q.object,
                     graph if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name)
             for q in ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True)]
    store.bulk_extend(quads)


def _check_literals(store: ox.Store, graph, path: Path) -> None:
    limit = limits.MAX_LITERAL_CHARS
    where = (f"GRAPH {graph} {{ ?s ?p ?o }}" if isinstance(graph, ox.NamedNode)
             else "?s ?p ?o")
    rows = list(store.query(f"SELECT ?s ?p (STRLEN(STR(?o)) AS ?n) WHERE {{ {where} "
                            f"FILTER(ISLITERAL(?o) && STRLEN(STR(?o)) > {limit}) }} LIMIT 1",
                            use_default_graph_as_union=not isinstance(graph, ox.NamedNode)))
    if rows:
        s, p, n = rows[0]["s"], rows[0]["p"], rows[0]["n"]
        raise InputError(f"a literal of {n.value} characters (object of {s} {p}) is longer "
                         f"than the {limit} characters etom-kg accepts", path=path)


def refuse_triple_terms(store: ox.Store, source, engine: str) -> None:
    """Refuse RDF-star / RDF 1.2 triple terms before they reach an rdflib-based engine.

    rdflib (pySHACL, OWL RL) and owlready2 (HermiT) have no triple terms: they
    would fail deep inside with an assertion. ``source`` names the input file(s).
    """
    if not store.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?s) || isTRIPLE(?o)) }",
                       use_default_graph_as_union=True):
        return
    if isinstance(source, (list, tuple)):
        source = ", ".join(str(s) for s in source)
    where = source if isinstance(source, (str, Path)) else "<data>"
    raise InputError(f"holds RDF-star triple terms (<< s p o >>), which {engine} cannot "
                     "read; use the default engine", path=where)
