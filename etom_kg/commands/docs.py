"""``etom-kg docs -o DIR``: the static HTML documentation site."""
from __future__ import annotations

from ._options import add_data_argument


def register(sub) -> None:
    parser = sub.add_parser("docs", help="write a static HTML site: ontology (pyLODE), one page "
                                         "per process, SHACL rules")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into")
    add_data_argument(parser)
    parser.add_argument("--no-links", action="store_true",
                        help="leave out applications, data entities and APIs (faster)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..publish.docs import build
    from ..graph.kg import load

    files = build(load(extra=args.data), args.output, links=not args.no_links)
    print(f"wrote {len(files)} files to {args.output}")
    return 0
