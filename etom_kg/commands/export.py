"""``etom-kg export --format archimate -o OUT.xml``: a model or the CRM decomposition for EA tools."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export an EA model (with its eTOM alignment) or the CRM as ArchiMate 3.1",
        description="Write an ArchiMate Model Exchange File (3.1). With --data (ArchiMate "
                    "exchange files, Archi .archimate files, RDF files or a merged .trig): the "
                    "architect's model back, complete (elements, relationships, properties, "
                    "folders, views with their diagrams), plus the eTOM and TM Forum resources "
                    "its elements were aligned with, in a folder of their own, and each "
                    "alignment as a directed association with the eTOM ID, confidence and "
                    "basis as properties (medium/low named 'uncertain'). Without --data: the "
                    "decomposition of a process (default 1.1.1, CRM) with ru and en names, "
                    "the eTOM ID and etom-kg IRI as properties. Opens in Archi (File › Import "
                    "› Open Exchange XML Model).")
    p.add_argument("--format", choices=("archimate",), default="archimate",
                   help="output format (default: archimate)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xml",
                   help="output file ('-' for standard output)")
    p.add_argument("--data", action="extend", nargs="+", default=[], metavar="FILE",
                   help="models to export: ArchiMate .xml/.archimate files (aligned on the "
                        "way, as merge does), RDF files or a merged .trig (repeatable)")
    p.add_argument("--model", action="append", metavar="ID",
                   help="with --data: export only this model (identifier or IRI; repeatable)")
    p.add_argument("--no-alignment", action="store_true",
                   help="with --data: write the model only, without the eTOM elements and "
                        "alignment relationships")
    p.add_argument("--alignment-view", action="store_true",
                   help="with --data: add a view 'eTOM alignment' showing every alignment")
    p.add_argument("--process", metavar="ID",
                   help="without --data: root process of the exported decomposition "
                        "(default: 1.1.1)")
    p.add_argument("--with-links", action="store_true",
                   help="without --data: add what `etom-kg links` shows for the processes: "
                        "TAM application types and ODA components (serving), SID entities "
                        "(accessed), with confidence and basis as properties")
    p.set_defaults(run=_run)


def _run(args) -> int:
    import sys
    from pathlib import Path

    from ..core.errors import UsageError
    from ..graph.kg import load
    from ..io.archimate_export import export_archimate, export_model, summary
    from ..io.atomic import atomic_write

    kg = load()
    if args.data:
        if args.with_links or args.process:
            raise UsageError("--process and --with-links export the standard's processes; "
                             "they do not apply to a model given with --data")
        for path in args.data:
            if Path(path).suffix.lower() in (".trig", ".nq", ".nquads"):
                kg.add(path)  # a merged dataset: its alignment graphs come with it
            else:
                kg.merge(path)  # a model (exchange, Archi, or its RDF): aligned on the way
        warnings: list[str] = []
        data = export_model(kg, args.model, alignment=not args.no_alignment,
                            alignment_view=args.alignment_view, warnings=warnings)
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
    else:
        if args.model or args.alignment_view or args.no_alignment:
            raise UsageError("--model, --alignment-view and --no-alignment need --data MODEL")
        data = export_archimate(kg, args.process or "1.1.1", with_links=args.with_links)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        out = sys.stderr
    else:
        atomic_write(args.output, data)
        out = sys.stdout
    where = "standard output" if args.output == "-" else args.output
    print(f"wrote {where}: {summary(data)}", file=out)
    return 0
