"""``etom-kg docs -o DIR``: the static HTML documentation site."""
from __future__ import annotations

import sys
from pathlib import Path

from ._options import add_data_argument


def register(sub) -> None:
    parser = sub.add_parser(
        "docs", help="write a static HTML site: a page per process (ru/en switch), "
                     "vocabularies, ontology, SHACL rules, search",
        description="Write the documentation site into DIR: the decomposition tree, one page "
                    "per process (pictogram, characteristic, functions, hand-offs, links with "
                    "confidence and basis), a page per concept scheme (glossary, TAM, SID, ODA, "
                    "Open APIs), the ontology, the SHACL rules and a search over IDs and names. "
                    "Elements of --data files get pages too, marked as extension. pyLODE's "
                    "page of the TBox is added when the 'docs' extra is installed.")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder to write into (created if missing)")
    add_data_argument(parser, "their elements get pages too, marked as extension")
    parser.add_argument("--no-links", action="store_true",
                        help="leave out applications, data entities and APIs (faster)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..graph.kg import load
    from ..publish.docs import build

    from ..core.errors import UsageError

    if args.output == "-":
        raise UsageError("docs writes a folder of pages: give -o DIR (standard output "
                         "cannot hold a site)")
    notes: list[str] = []
    files = build(load(extra=args.data), args.output, links=not args.no_links, notes=notes)
    # Standard error, as every writer reports: standard output carries only results.
    for note in notes:
        print(f"etom-kg: note: {note}", file=sys.stderr)
    index = Path(args.output) / "index.html"
    print(f"wrote {len(files)} files to {args.output} (open {index})", file=sys.stderr)
    return 0
