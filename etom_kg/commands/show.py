"""``etom-kg show ID``: one process in full (names, place, characteristic, functions)."""
from __future__ import annotations

import textwrap

from ._options import add_lang_argument

KIND_NAMES = {
    "ProcessArea": ("главная область процессов", "process area"),
    "HorizontalProcessGrouping": ("горизонтальная группа процессов", "horizontal process grouping"),
    "ProcessGrouping": ("группа процессов уровня 1", "level-1 process grouping"),
    "ProcessElement": ("элемент процессов", "process element"),
}


def register(sub) -> None:
    parser = sub.add_parser("show", help="show one process: names, parent, children, "
                                         "verticals, characteristic and functions")
    parser.add_argument("id", metavar="ID", help="process ID, e.g. 1.1.1.5")
    add_lang_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def names(labels: dict[str, str], lang: str, sep: str = " / ") -> str:
    """The names in the requested language(s); falls back to what exists."""
    if lang != "both":
        return labels.get(lang) or next(iter(labels.values()), "")
    return sep.join(labels[k] for k in ("ru", "en") if labels.get(k))


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


def render(process, lang: str) -> str:
    langs = ("ru", "en") if lang == "both" else (lang,)
    kind = KIND_NAMES.get(process.kind or "", (process.kind or "?",) * 2)
    kind_text = names({"ru": kind[0], "en": kind[1]}, lang)
    out = [f"{process.id}  {names(process.labels, lang)}",
           f"  level:     {process.level} ({kind_text})"]
    if process.parent:
        out.append(f"  parent:    {process.parent.id}  {names(process.parent.labels, lang)}")
    if process.children:
        out.append("  children:")
        out += [f"    {c.id:<10} {names(c.labels, lang)}" for c in process.children]
    if process.verticals:
        out.append("  verticals: " + "; ".join(
            f"{names(v.labels, lang)}" + (f" ({v.id})" if v.id else "")
            for v in process.verticals))
    for code in langs:
        text = process.definitions.get(code)
        if text:
            title = ("functional characteristic (ru)" if code == "ru" and process.functions
                     else f"definition ({code})")
            out += [f"  {title}:", _wrap(text, "    ")]
    if process.functions:
        out.append("  functions:")
        for f in process.functions:
            for i, code in enumerate(langs):
                if f.labels.get(code):
                    lead = f"{f.order}. " if i == 0 else " " * len(f"{f.order}. ")
                    out.append(textwrap.fill(f.labels[code], width=100,
                                             initial_indent="    " + lead,
                                             subsequent_indent="    " + " " * len(lead)))
    if process.handoffs:
        out.append("  hand-offs:")
        for h in process.handoffs:
            arrow = "→ to  " if h.direction == "out" else "← from"
            out.append(f"    {arrow} {h.other.id}  {names(h.other.labels, lang)}")
            out.append(f"           {names(h.subject, lang, ' / ')}")
    return "\n".join(out)


def run(args) -> int:
    import dataclasses
    import json

    from ..graph.kg import load

    process = load(links=False).process(args.id)
    if args.format == "json":
        print(json.dumps(dataclasses.asdict(process), ensure_ascii=False, indent=2))
    else:
        print(render(process, args.lang))
    return 0
