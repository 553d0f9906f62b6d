"""``etom-kg export --format archimate -o crm.xml``: the CRM decomposition for EA tools."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export the CRM decomposition as an ArchiMate 3.1 model",
        description="Write the decomposition of a process (default 1.1.1, CRM) as an ArchiMate "
                    "Model Exchange File (3.1): level-1 groupings as business functions, process "
                    "elements as business processes, composition relationships, ru and en names "
                    "and documentation, the eTOM ID and etom-kg IRI as properties. Identifiers "
                    "derive from the eTOM IDs, so repeated exports are identical. Imports into "
                    "Archi (File › Import › Open Exchange XML Model).")
    p.add_argument("--format", choices=("archimate",), default="archimate",
                   help="output format (default: archimate)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xml", help="output file")
    p.add_argument("--process", default="1.1.1", metavar="ID",
                   help="root process of the exported decomposition (default: 1.1.1)")
    p.add_argument("--with-links", action="store_true",
                   help="add the linked TAM application types (application components serving "
                        "the processes) and SID ABEs (business objects they access)")
    p.set_defaults(run=_run)


def _run(args) -> int:
    from ..io.archimate import export_archimate
    from ..graph.kg import load
    from ..io.atomic import atomic_write

    data = export_archimate(load(), args.process, with_links=args.with_links)
    atomic_write(args.output, data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return 0
