"""``etom-kg query NAME``: run a named query with its parameters bound safely."""
from __future__ import annotations

from ._options import add_format_argument, add_lang_argument, add_limit_arguments, \
    add_output_argument, add_source_arguments


def register(sub) -> None:
    p = sub.add_parser("query", help="run a named query (see 'etom-kg queries')",
                       description="Run a named SPARQL query over the shipped graph "
                                   "(plus --data files). Parameter values are bound as RDF "
                                   "terms, never pasted into the query text.")
    p.add_argument("name", metavar="NAME", help="query name, e.g. children")
    p.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                   help="a query parameter, e.g. --param process=1.1.1.5 (repeatable)")
    add_format_argument(p)
    add_source_arguments(p)
    add_output_argument(p)
    add_limit_arguments(p)
    p.set_defaults(run=_run)


def parse_params(items) -> dict:
    """``["k=v", ...]`` → ``{"k": "v"}``; a value may itself contain '='."""
    from ..core.errors import UsageError

    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        if key in params:
            raise UsageError(f"--param {key!r} given twice")
        params[key] = value
    return params


def _run(args) -> int:
    from ..graph import queries
    from ..core.errors import UsageError
    from ..publish.tables import render
    from ..graph.kg import load
    from ._options import write_output

    params = parse_params(args.param)
    named = queries.get(args.name)
    named.bindings(params)  # unknown/missing parameters fail before any loading
    if args.endpoint and args.data:
        raise UsageError("--data cannot be used with --endpoint; upload files with "
                         "'etom-kg push --data FILE'")
    rows = load(extra=args.data, endpoint=args.endpoint, store=args.store).query(args.name, **params)
    write_output(args.output, render(rows.variables, rows, args.format))
    return 0
