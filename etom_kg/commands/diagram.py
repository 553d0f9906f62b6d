"""``etom-kg diagram pictogram|decomposition|links``: SVG figures drawn from the graph."""
from __future__ import annotations

KINDS = {
    "pictogram": "the level-1 eTOM matrix with the place of a process darkened (clause 5.1)",
    "decomposition": "the sub-processes placed in their vertical columns (Figure 3)",
    "links": "a process with its applications, data entities and APIs",
}


def register(sub) -> None:
    parser = sub.add_parser("diagram", help="draw a pictogram, decomposition or links diagram as SVG")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, help_text in KINDS.items():
        p = kinds.add_parser(kind, help=help_text)
        p.add_argument("id", metavar="ID", nargs="?" if kind == "decomposition" else None,
                       default="1.1.1" if kind == "decomposition" else None,
                       help="process ID" + (" (default: 1.1.1)" if kind == "decomposition" else ""))
        p.add_argument("-o", "--output", required=True, metavar="FILE.svg", help="SVG file to write")
        p.add_argument("--lang", choices=("ru", "en"), default="ru",
                       help="language of the names (default: ru)")
        p.add_argument("--data", action="append", default=[], metavar="FILE",
                       help="an extension RDF file to load with the shipped graph (repeatable)")
        p.set_defaults(run=run)


def run(args) -> int:
    from ..publish import diagrams
    from ..graph.kg import load
    from ..io.atomic import atomic_write

    kg = load(extra=args.data)
    draw = {"pictogram": diagrams.pictogram, "decomposition": diagrams.decomposition,
            "links": diagrams.links}[args.kind]
    atomic_write(args.output, draw(kg, args.id, lang=args.lang))
    return 0
