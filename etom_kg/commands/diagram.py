"""``etom-kg diagram pictogram|decomposition|links``: figures drawn from the graph (SVG or PNG)."""
from __future__ import annotations

from ._options import add_data_argument, add_lang_argument, add_output_argument

KINDS = {
    "pictogram": "the level-1 eTOM matrix with the place of a process darkened (clause 5.1)",
    "decomposition": "the sub-processes placed in their vertical columns (Figure 3)",
    "links": "a process with its applications, data entities and APIs",
}


def register(sub) -> None:
    parser = sub.add_parser("diagram", help="draw a pictogram, decomposition or links diagram "
                                            "as SVG (or PNG: -o FILE.png)")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, help_text in KINDS.items():
        p = kinds.add_parser(kind, help=help_text,
                             description=f"Draw {help_text}. The format follows the output "
                                         "file's name: .png writes PNG (needs the 'png' "
                                         "extra: cairosvg), anything else SVG; -o - writes "
                                         "the SVG to standard output.")
        p.add_argument("id", metavar="ID", nargs="?" if kind == "decomposition" else None,
                       default="1.1.1" if kind == "decomposition" else None,
                       help="process ID" + (" (default: 1.1.1)" if kind == "decomposition" else ""))
        add_output_argument(p, required=True, metavar="FILE.svg|FILE.png|-",
                            what="the drawing")
        add_lang_argument(p, choices=("ru", "en"))
        add_data_argument(p)
        p.set_defaults(run=run)


def to_png(svg: str) -> bytes:
    """The SVG rendered as PNG by cairosvg; a one-line UsageError when it is not installed."""
    from ..core.errors import UsageError

    try:
        import cairosvg
    except (ImportError, OSError):  # OSError: the module is there but libcairo is not
        raise UsageError("writing PNG needs cairosvg and the cairo library: "
                         "pip install 'etom-kg[png]' (or write .svg)") from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2)


def run(args) -> int:
    from pathlib import Path

    from ..graph.kg import load
    from ..publish import diagrams
    from ._options import to_stdout, write_output

    png = not to_stdout(args.output) and Path(args.output).suffix.lower() == ".png"
    if png:
        to_png("<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>")  # fail early
    kg = load(extra=args.data)
    draw = {"pictogram": diagrams.pictogram, "decomposition": diagrams.decomposition,
            "links": diagrams.links}[args.kind]
    svg = draw(kg, args.id, lang=args.lang)
    write_output(args.output, to_png(svg) if png else svg, lang=args.lang,
                 note=", PNG" if png else ", SVG")
    return 0
