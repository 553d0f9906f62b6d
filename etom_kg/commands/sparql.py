"""``etom-kg sparql FILE|-``: run the user's own read-only SPARQL query."""
from __future__ import annotations

import re

from ._options import add_limit_arguments, add_source_arguments

GRAPH_FORMATS = ("turtle", "ntriples")

# Update operations that can start a SPARQL 1.1 Update request (after its prologue).
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_PROLOGUE = re.compile(r"\s*(?:#[^\r\n]*[\r\n]?|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)


def register(sub) -> None:
    p = sub.add_parser("sparql", help="run your own SPARQL query (read-only)",
                       description="Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) "
                                   "over the union of the shipped graph and any --data files "
                                   "(a FROM clause chooses the graphs instead). "
                                   "The etom-kg prefixes (etom:, process:, skos: ...) are "
                                   "predeclared. SPARQL Update and SERVICE are refused.")
    p.add_argument("file", metavar="FILE|-", help="file with the query, or - for standard input")
    p.add_argument("--format", choices=("table", "csv", "json") + GRAPH_FORMATS,
                   default="table",
                   help="output format (default: table; turtle/ntriples for CONSTRUCT/DESCRIBE)")
    add_source_arguments(p)
    add_limit_arguments(p, rows=True)
    p.set_defaults(run=_run)


def is_update(text: str) -> bool:
    """True when ``text`` looks like a SPARQL Update request rather than a query."""
    position = 0
    while (match := _PROLOGUE.match(text, position)) and match.end() > position:
        position = match.end()
    return bool(_UPDATE.match(text[position:].lstrip()))


def _read(spec: str) -> str:
    import sys
    from pathlib import Path

    from ..core.errors import InputError

    path = Path(spec)
    try:
        if spec == "-":  # bytes, decoded here: the terminal's encoding may not be UTF-8
            path = "standard input"
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else \
                sys.stdin.read().encode("utf-8", "surrogateescape")
            return data.decode("utf-8-sig")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a query file", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    except OSError as exc:  # permission denied, a symlink loop, an I/O error
        raise InputError(exc.strerror or str(exc), path=path) from None


def _run(args) -> int:
    import json

    import pyoxigraph as ox

    from ..core.errors import UsageError
    from ..publish.tables import render
    from ..graph.kg import load
    from ..core.namespaces import PREFIXES
    from ..graph.results import Row, Rows

    text = _read(args.file)
    name = "standard input" if args.file == "-" else args.file
    if is_update(text):
        raise UsageError(f"{name}: SPARQL Update is not allowed; etom-kg sparql only runs "
                         "queries (SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes the graph")
    if args.endpoint and args.data:
        raise UsageError("--data cannot be used with --endpoint; upload files with "
                         "'etom-kg push --data FILE'")
    from ..io import limits

    limits.check_query_nesting(text, path=name)  # before loading anything
    try:
        kg = load(extra=args.data, endpoint=args.endpoint, store=args.store)
        result = kg.sparql(text) if args.endpoint else kg.sparql(text, limit=args.limit)
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None
    if isinstance(result, bool):
        if args.format in GRAPH_FORMATS:
            raise UsageError(f"--format {args.format} needs a CONSTRUCT or DESCRIBE query")
        if args.format == "json":
            print(json.dumps(result))
        else:
            print(render(["ask"], [{"ask": result}], args.format), end="")
        return 0
    if isinstance(result, Rows):
        if args.format in GRAPH_FORMATS:
            raise UsageError(f"--format {args.format} needs a CONSTRUCT or DESCRIBE query")
        print(render(result.variables, result, args.format), end="")
        return 0
    triples = result  # CONSTRUCT / DESCRIBE
    if args.format in GRAPH_FORMATS:
        fmt = ox.RdfFormat.TURTLE if args.format == "turtle" else ox.RdfFormat.N_TRIPLES
        kwargs = {"prefixes": PREFIXES} if args.format == "turtle" else {}
        print(ox.serialize(triples, format=fmt, **kwargs).decode("utf-8"), end="")
        return 0
    columns = ["subject", "predicate", "object"]
    rows = [Row(columns, [t.subject, t.predicate, t.object]) for t in triples]
    print(render(columns, rows, args.format), end="")
    return 0
