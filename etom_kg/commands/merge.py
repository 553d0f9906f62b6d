"""``etom-kg merge SOURCE... -o OUT.trig``: etom-kg plus your EA graphs, one named graph each."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "merge", help="merge RDF graphs or ArchiMate models with etom-kg (named graphs)",
        description="Load etom-kg and add every SOURCE (any RDF syntax, or an ArchiMate 3.x "
                    "exchange file) as a named graph of its own, with provenance (file, format, "
                    "time, triple count) in the graph …/graph/provenance. Prints, per source, "
                    "the conflicts with the standard (reported, never corrected) and the "
                    "alignment of its elements with eTOM processes, TAM, ODA and SID "
                    "(written to …/graph/alignment/<source>). Writes TriG or N-Quads; "
                    "Turtle/N-Triples only with --flat (one graph, named graphs lost).")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="RDF file or ArchiMate .xml")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file: .trig or .nq (.ttl or .nt with --flat)")
    p.add_argument("--flat", action="store_true",
                   help="write the union of all graphs as one graph (Turtle/N-Triples)")
    p.add_argument("--name", action="append", metavar="IRI",
                   help="graph name for the corresponding SOURCE (repeat in order; default "
                        "https://w3id.org/etom-kg/graph/source/<file stem>)")
    p.add_argument("--base", metavar="IRI",
                   help="IRI base for the elements of ArchiMate sources (default "
                        "https://w3id.org/etom-kg/ea/<model identifier>/)")
    p.add_argument("--no-align", action="store_true", help="do not align elements")
    p.add_argument("--report", metavar="FILE",
                   help="write the whole report (per source: duplicate identifiers, conflicts, "
                        "every alignment and every element not aligned, with reasons, types "
                        "and names) as JSON to FILE ('-' for standard output)")
    p.add_argument("--sources-only", action="store_true",
                   help="write only the sources, their alignment and provenance, not etom-kg")
    p.set_defaults(run=_run)


def _run(args) -> int:
    import json
    import sys
    from pathlib import Path

    from ..core.errors import UsageError
    from ..io.atomic import atomic_write
    from ..graph.kg import load
    from ..ea.merge import OUTPUT_FORMATS, default_name, merge, write

    names = args.name or []
    if len(names) > len(args.sources):
        raise UsageError("more --name options than sources")
    suffix = Path(args.output).suffix.lower()
    if suffix not in OUTPUT_FORMATS:  # fail before any work is done
        raise UsageError(f"{args.output}: unknown output extension {suffix or '(none)'!r}; "
                         f"use .trig or .nq (or .ttl/.nt with --flat)")
    kg = load()
    shipped = set(kg.graph_names())
    taken: set[str] = set()
    results = []
    for i, source in enumerate(args.sources):
        name = names[i] if i < len(names) else default_name(Path(source))
        base, n = name, 2
        while name in taken:  # two files with one stem: model.xml, model-2 …
            name = f"{base}-{n}"
            n += 1
        taken.add(name)
        results.append(merge(kg, source, name, base=args.base, align=not args.no_align))
    graphs = None
    if args.sources_only:
        graphs = [g for g in kg.graph_names() if g not in shipped]
    write(kg, args.output, flat=args.flat, graphs=graphs)
    out = sys.stderr if args.report == "-" else sys.stdout
    for result in results:
        print(result.summary(), file=out)
    print(f"wrote {args.output}: {len(graphs or kg.graph_names())} graphs", file=out)
    if args.report:
        text = json.dumps({"sources": [r.as_dict() for r in results]}, ensure_ascii=False,
                          indent=2) + "\n"
        if args.report == "-":
            sys.stdout.write(text)
        else:
            atomic_write(args.report, text)
            print(f"wrote {args.report}: the merge report (JSON)", file=out)
    return 0
