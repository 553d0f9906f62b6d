"""``etom-kg tree [ID]``: the decomposition as an indented tree."""
from __future__ import annotations

from ._options import add_data_argument, add_lang_argument
from .show import names


def register(sub) -> None:
    parser = sub.add_parser("tree", help="the process decomposition as an indented tree")
    parser.add_argument("id", metavar="ID", nargs="?",
                        help="root process ID (default: every process area)")
    add_lang_argument(parser)
    parser.add_argument("--depth", type=int, default=None,
                        help="levels to show below the root (default: all)")
    add_data_argument(parser)
    parser.set_defaults(run=run)


def lines(kg, process_id: str, labels: dict, lang: str, depth, indent: int = 0,
          width: int | None = None):
    """The tree under ``process_id`` as text lines, each at most ``width`` columns wide."""
    import textwrap

    from ..publish.tables import terminal_width

    width = width or terminal_width()
    lead = f"{'  ' * indent}{process_id:<10} "
    yield from textwrap.wrap(lead + names(labels, lang, " — "), width=width,
                             subsequent_indent=" " * min(len(lead), width // 2),
                             break_on_hyphens=False) or [lead.rstrip()]
    if depth is not None and depth <= 0:
        return
    for child in kg.query("children", process=process_id):
        child_labels = {k: child[f"label{k.title()}"] for k in ("ru", "en")
                        if child.get(f"label{k.title()}")}
        yield from lines(kg, child["id"], child_labels, lang,
                         None if depth is None else depth - 1, indent + 1, width)


def run(args) -> int:
    from ..graph.kg import load

    kg = load(extra=args.data, links=False)
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

