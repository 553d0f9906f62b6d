"""``etom-kg sparql FILE|-``: run the user's own read-only SPARQL query."""
from __future__ import annotations

import re

from ._options import add_format_argument, add_limit_arguments, add_output_argument, \
    add_source_arguments

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
    add_format_argument(p, extra=GRAPH_FORMATS)
    add_source_arguments(p)
    add_output_argument(p)
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
    from ..core.errors import UsageError
    from ..graph.kg import load
    from ._options import write_output

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
    write_output(args.output, _format(result, args.format))
    return 0


def _format(result, fmt: str) -> str:
    """A query result as text in ``fmt``."""
    import json

    import pyoxigraph as ox

    from ..core.errors import UsageError
    from ..core.namespaces import PREFIXES
    from ..graph.results import Row, Rows
    from ..publish.tables import render

    if not isinstance(result, (bool, Rows)) and fmt in GRAPH_FORMATS:  # CONSTRUCT / DESCRIBE
        kind = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        kwargs = {"prefixes": PREFIXES} if fmt == "turtle" else {}
        return ox.serialize(result, format=kind, **kwargs).decode("utf-8")
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query")
    if isinstance(result, bool):
        return json.dumps(result) + "\n" if fmt == "json" else render(["ask"], [{"ask": result}], fmt)
    if isinstance(result, Rows):
        return render(result.variables, result, fmt)
    columns = ["subject", "predicate", "object"]
    return render(columns, [Row(columns, [t.subject, t.predicate, t.object]) for t in result], fmt)
