"""``etom-kg validate FILE...``: check RDF files against SHACL shapes (the shipped ones,
the user's own, or both).

Exit 0 when no result is at least as severe as ``--fail-on`` (default: violation),
1 otherwise, 2 when an input cannot be read. The JSON says both verdicts:
``conforms`` (SHACL's: no result at all, as ``Report.conforms``) and ``passed``
(the exit decision at ``failOn``, as ``Report.conforms_at``).
"""
from __future__ import annotations

from ._options import add_lang_argument, add_limit_arguments

LEVELS = ("violation", "warning", "info")


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="validate RDF files (e.g. your extension of eTOM) with SHACL shapes",
        description="Validate RDF files against the etom-kg SHACL shapes (or your own, "
                    "--shapes), with the shipped graph as context (so parents such as "
                    "1.1.1.5 are found; results about the shipped graph's own nodes are "
                    "left out). Any RDF syntax: Turtle, N-Triples, N-Quads, RDF/XML, "
                    "JSON-LD, TriG.")
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files to validate (together)")
    p.add_argument("--shapes", action="append", metavar="SHAPES", default=None,
                   help="a SHACL shapes file to validate with instead of the shipped shapes "
                        "(repeatable); add --shipped-shapes to use both")
    p.add_argument("--shipped-shapes", action="store_true",
                   help="with --shapes: the shipped shapes as well")
    p.add_argument("--no-context", dest="context", action="store_false",
                   help="judge the files alone, without the shipped graph; every result is "
                        "reported")
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text",
                   help="text (grouped by element), json, or turtle (SHACL report graph)")
    add_lang_argument(p, ("ru", "en"))
    p.add_argument("--fail-on", choices=LEVELS, default="violation",
                   help="lowest severity that makes the exit status 1 (default: violation); "
                        "json: 'passed' is this decision, 'conforms' is SHACL's (no results)")
    p.add_argument("--engine", choices=("fast", "pyshacl"), default="fast",
                   help="fast (default: each shape is one SPARQL query in Oxigraph) or pyshacl "
                        "(plain pySHACL, the reference; same results, slower)")
    p.add_argument("--explain", action="store_true",
                   help="also print, on stderr, how each shape ran: compiled to SPARQL, or "
                        "evaluated by pySHACL and why")
    add_limit_arguments(p)
    p.set_defaults(run=_run)


def _run(args) -> int:
    import sys

    from ..validation.api import validate

    report = validate(list(args.files), engine=args.engine, shapes=args.shapes,
                      shipped_shapes=True if args.shipped_shapes else None,
                      context=args.context)
    if args.format == "json":
        text = report.to_json(args.fail_on) + "\n"
    elif args.format == "turtle":
        text = report.to_turtle()
    else:
        text = report.to_text(args.lang)
    sys.stdout.write(text)
    if args.explain:
        sys.stderr.write(report.explain())
    return 0 if report.conforms_at(args.fail_on) else 1
