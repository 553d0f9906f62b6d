"""``etom-kg classify FILE``: which standard elements your real processes belong to (clause 7.2)."""
from __future__ import annotations

from ..publish.tables import FORMATS


def register(sub) -> None:
    p = sub.add_parser(
        "classify", help="classify your real processes under standard elements (clause 7.2)",
        description="For every process in FILE that declares the functions it performs "
                    "(etom:performsFunction), list the standard eTOM elements it belongs to: "
                    "a real process belongs to an element when it performs one of that "
                    "element's functions (ГОСТ Р 53633.3-2009, clause 7.2). Inferred with OWL: "
                    "etom:classifiedUnder is the property chain performsFunction ∘ isFunctionOf.")
    p.add_argument("file", metavar="FILE", help="RDF file with your real processes")
    p.add_argument("--engine", choices=("auto", "hermit", "owlrl", "sparql"), default="auto",
                   help="reasoner: hermit (owlready2 + HermiT, needs Java), owlrl (OWL 2 RL, "
                        "no Java), sparql (the same rules as one query); auto = hermit when "
                        "Java is available, else owlrl (default: auto)")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output format (default: table)")
    p.set_defaults(run=_run)


def _run(args) -> int:
    from ..publish.tables import render
    from ..graph.kg import load
    from ..reason.classify import COLUMNS, classify

    results = classify(load(), args.file, engine=args.engine)
    print(render(COLUMNS, [r.as_dict() for r in results], args.format), end="")
    return 0
