"""``etom-kg tree [ID]``: the decomposition as an indented tree."""
from __future__ import annotations

import textwrap

from ._options import add_lang_argument
from .show import names


def register(sub) -> None:
    parser = sub.add_parser("tree", help="the process decomposition as an indented tree")
    parser.add_argument("id", metavar="ID", nargs="?",
                        help="root process ID (default: every process area)")
    add_lang_argument(parser)
    parser.add_argument("--depth", type=int, default=None,
                        help="levels to show below the root (default: all)")
    parser.set_defaults(run=run)


# Elements of the informative level-3 module that are not confirmed verbatim say so.
UNCERTAIN = {"medium": ("достоверность средняя", "medium confidence"),
             "low": ("достоверность низкая", "low confidence")}


def lines(kg, process_id: str, labels: dict, lang: str, depth, indent: int = 0,
          confidence: str | None = None):
    mark = ""
    if confidence in UNCERTAIN:
        ru, en = UNCERTAIN[confidence]
        mark = f" ({names({'ru': ru, 'en': en}, lang, ' / ')})"
    lead = f"{'  ' * indent}{process_id:<10} "
    # Output fits 100 columns: a long name goes on under itself, not past the edge.
    yield from textwrap.wrap(f"{lead}{names(labels, lang, ' — ')}{mark}", width=100,
                             subsequent_indent=" " * len(lead), break_on_hyphens=False)
    if depth is not None and depth <= 0:
        return
    for child in kg.query("children", process=process_id):
        child_labels = {k: child[f"label{k.title()}"] for k in ("ru", "en")
                        if child.get(f"label{k.title()}")}
        yield from lines(kg, child["id"], child_labels, lang,
                         None if depth is None else depth - 1, indent + 1,
                         child.get("confidence"))


def run(args) -> int:
    from ..graph.kg import load

    kg = load(links=False)
    if args.id:
        roots = [kg.process(args.id)]
        roots = [(p.id, p.labels) for p in roots]
    else:
        roots = [(r["id"], {k: r[f"label{k.title()}"] for k in ("ru", "en")
                            if r.get(f"label{k.title()}")})
                 for r in kg.query("areas")]
    for pid, labels in roots:
        for line in lines(kg, pid, labels, args.lang, args.depth):
            print(line)
    return 0

