"""``etom-kg validate FILE...``: check RDF files against the shipped SHACL shapes.

Exit 0 when the data conforms at the chosen level (``--fail-on``), 1 when it
does not, 2 when an input cannot be read.
"""
from __future__ import annotations

from ._options import add_limit_arguments

LEVELS = ("violation", "warning", "info")


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="validate RDF files (e.g. your extension of eTOM) with the SHACL shapes",
        description="Validate RDF files against the etom-kg SHACL shapes, with the shipped "
                    "graph as context (so parents such as 1.1.1.5 are found). Only results "
                    "about nodes described in the given files are reported. Any RDF syntax: "
                    "Turtle, N-Triples, N-Quads, RDF/XML, JSON-LD, TriG.")
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files to validate (together)")
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text",
                   help="text (grouped by element), json, or turtle (SHACL report graph)")
    p.add_argument("--lang", choices=("ru", "en"), default="en",
                   help="language of the text output (default: en)")
    p.add_argument("--fail-on", choices=LEVELS, default="violation",
                   help="lowest severity that makes the exit status 1 (default: violation); "
                        "the json 'conforms' field follows the same level")
    p.add_argument("--engine", choices=("fast", "pyshacl"), default="fast",
                   help="fast (default: each shape is one SPARQL query in Oxigraph) or pyshacl "
                        "(plain pySHACL, the reference; same results, slower)")
    add_limit_arguments(p)
    p.set_defaults(run=_run)


def _run(args) -> int:
    import sys

    from ..validation.api import validate

    report = validate(list(args.files), engine=args.engine)
    if args.format == "json":
        text = report.to_json(fail_on=args.fail_on) + "\n"
    elif args.format == "turtle":
        text = report.to_turtle()
    else:
        text = report.to_text(args.lang)
    sys.stdout.write(text)
    return 0 if report.conforms_at(args.fail_on) else 1
