"""``etom-kg term [TEXT]``: a term of the standard's glossary (ГОСТ Р 53633.3-2009, clause 3)."""
from __future__ import annotations

import textwrap

from ._options import add_lang_argument

WIDTH = 100
WORDS = {
    "ru": {"definition": "определение", "note": "примечание", "embodied": "воплощают в графе",
           "source": "источник", "clause": "ГОСТ Р 53633.3-2009, пункт"},
    "en": {"definition": "definition", "note": "note", "embodied": "embodied in the graph by",
           "source": "source", "clause": "GOST R 53633.3-2009, clause"},
}


def register(sub) -> None:
    parser = sub.add_parser(
        "term", help="a term of the standard's glossary (clause 3): names, definition, note "
                     "and what in the graph embodies it",
        description="Shows the terms of ГОСТ Р 53633.3-2009 clause 3 whose Russian or English "
                    "name or abbreviation contains TEXT (a term named exactly TEXT alone, when "
                    "there is one); without TEXT, lists every term. The Russian definitions and "
                    "notes are the standard's; the English ones are the project's own words.")
    parser.add_argument("text", metavar="TEXT", nargs="?",
                        help="a term's name or abbreviation, e.g. продукт, product or OSS")
    add_lang_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def find(kg, text: str | None) -> list:
    """The glossary rows for ``text``: the exact name if one matches, else every match."""
    from ..core.errors import UsageError

    rows = kg.query("term", text=text) if text is not None else kg.query("term")
    if text is not None:
        wanted = " ".join(text.split()).casefold()
        exact = [r for r in rows
                 if wanted in {n.casefold() for n in (r.labelRu, r.labelEn,
                                                       *str(r.altLabels or "").split(", "))}]
        rows = exact or rows
        if not rows:
            raise UsageError(f"no term of the glossary (clause 3) matches {text!r}; "
                             "`etom-kg term` lists them all")
    return list(rows)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent)


def render(row, lang: str) -> str:
    langs = ("ru", "en") if lang == "both" else (lang,)
    alt = f" ({row.altLabels})" if row.altLabels else ""
    head = {"ru": row.labelRu, "en": row.labelEn}
    title = (f"{row.labelRu} ({row.labelEn}){alt}" if lang == "both" else f"{head[lang]}{alt}")
    out = _wrap(f"{row.clause}  {title}", "")
    for code in langs:
        w = WORDS[code]
        suffix = f" ({code})" if lang == "both" else ""
        definition = row.definitionRu if code == "ru" else row.definitionEn
        note = row.noteRu if code == "ru" else row.noteEn
        out.append(f"  {w['definition']}{suffix}:")
        out += _wrap(definition, "    ")
        if note:
            out.append(f"  {w['note']}{suffix}:")
            out += _wrap(note, "    ")
    things = row.embodiedByRu if lang == "ru" else row.embodiedByEn
    if things:
        out.append("  " + " / ".join(WORDS[c]["embodied"] for c in langs) + ":")
        for thing in sorted(things.split("; ")):
            out += _wrap(thing, "    ")
    out.append("  " + " / ".join(WORDS[c]["source"] for c in langs) + ": "
               + " / ".join(f"{WORDS[c]['clause']} {row.clause}" for c in langs))
    return "\n".join(out)


def run(args) -> int:
    import json

    from ..graph.kg import load

    rows = find(load(), args.text)
    if args.format == "json":
        print(json.dumps([{k: v for k, v in row.items()} for row in rows],
                         ensure_ascii=False, indent=2))
    elif args.text is None:  # the glossary: one line per term
        for row in rows:
            names = {"ru": row.labelRu, "en": row.labelEn,
                     "both": f"{row.labelRu} — {row.labelEn}"}[args.lang]
            line = f"{row.clause:<5} {names}"
            print(line if len(line) <= WIDTH else line[:WIDTH - 1] + "…")
    else:
        print("\n\n".join(render(row, args.lang) for row in rows))
    return 0
