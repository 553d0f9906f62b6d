"""``etom-kg show ID``: one process in full (names, place, characteristic, functions)."""
from __future__ import annotations

import textwrap

from ..publish.i18n import pick, word
from ._options import add_data_argument, add_format_argument, add_lang_argument


def register(sub) -> None:
    parser = sub.add_parser("show", help="show one process: names, parent, children, "
                                         "verticals, characteristic and functions",
                            description="One process of the standard or of an extension "
                                        "(--data) in full: names, level, parent, children, "
                                        "vertical groupings, definition or functional "
                                        "characteristic, functions and hand-offs.")
    parser.add_argument("id", metavar="ID", help="process ID, e.g. 1.1.1.5")
    add_lang_argument(parser)
    add_format_argument(parser, formats=("text", "json"))
    add_data_argument(parser)
    parser.set_defaults(run=run)


def names(labels: dict[str, str], lang: str, sep: str = " / ") -> str:
    """The names in the requested language(s); falls back to what exists."""
    return pick(labels, lang, sep)


def render(process, lang: str, width: int | None = None) -> str:
    """``process`` as text for a terminal ``width`` columns wide (default: the terminal's)."""
    from ..publish.tables import terminal_width

    width = width or terminal_width()
    langs = ("ru", "en") if lang == "both" else (lang,)

    def fill(text: str, indent: str, hanging: str | None = None) -> str:
        return textwrap.fill(text, width=width, initial_indent=indent,
                             subsequent_indent=indent if hanging is None else hanging,
                             break_on_hyphens=False)

    def field(key: str, value: str = "") -> str:
        head = f"  {word(key, lang)}:"
        return fill(f"{head} {value}", "", " " * 4) if value else head

    kind = word(process.kind, lang) if process.kind else "?"
    extension = "" if process.standard else f", {word('extension', lang)}"
    out = [fill(f"{process.id}  {names(process.labels, lang)}", "", " " * 4),
           field("level", f"{process.level} ({kind}{extension})")]
    if process.parent:
        out.append(field("parent", f"{process.parent.id}  {names(process.parent.labels, lang)}"))
    if process.children:
        out.append(field("children"))
        id_width = max(len(c.id or "") for c in process.children)
        for c in process.children:
            lead = f"    {c.id or '':<{id_width}}  "
            out.append(fill(lead + names(c.labels, lang), "", " " * len(lead)))
    if process.verticals:
        out.append(field("verticals", "; ".join(
            names(v.labels, lang) + (f" ({v.id})" if v.id else "") for v in process.verticals)))
    for code in langs:
        text = process.definitions.get(code)
        if text:
            key = "characteristic" if code == "ru" and process.functions else "definition"
            suffix = f" ({code})" if lang == "both" else ""
            out += [f"  {word(key, lang)}{suffix}:", fill(text, "    ")]
    if process.functions:
        out.append(field("functions"))
        for f in process.functions:
            for i, code in enumerate(langs):
                if f.labels.get(code):
                    lead = f"{f.order}. " if i == 0 else " " * len(f"{f.order}. ")
                    out.append(fill(f.labels[code], "    " + lead, "    " + " " * len(lead)))
    if process.handoffs:
        out.append(field("handoffs"))
        for h in process.handoffs:
            arrow = word("to" if h.direction == "out" else "from", lang)
            out.append(fill(f"    {arrow} {h.other.id}  {names(h.other.labels, lang)}", "",
                            " " * 11))
            out.append(fill(names(h.subject, lang, " / "), " " * 11))
    return "\n".join(out)


def run(args) -> int:
    import dataclasses
    import json

    from ..graph.kg import load

    process = load(extra=args.data, links=False).process(args.id)
    if args.format == "json":
        print(json.dumps(dataclasses.asdict(process), ensure_ascii=False, indent=2))
    else:
        print(render(process, args.lang))
    return 0
