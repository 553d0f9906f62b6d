"""``etom-kg classify FILE``: which standard elements your real processes belong to (clause 7.2)."""
from __future__ import annotations

from ._options import add_data_argument, add_format_argument, add_lang_argument, \
    add_output_argument


def register(sub) -> None:
    p = sub.add_parser(
        "classify", help="classify your real processes under standard elements (clause 7.2)",
        description="For every process in FILE that declares the functions it performs "
                    "(etom:performsFunction), list the standard eTOM elements it belongs to: "
                    "a real process belongs to an element when it performs one of that "
                    "element's functions (ГОСТ Р 53633.3-2009, clause 7.2). Inferred with OWL: "
                    "etom:classifiedUnder is the property chain performsFunction ∘ isFunctionOf. "
                    "Processes that declare no function, or a function no element has, are "
                    "listed as unclassified with the reason.")
    p.add_argument("file", metavar="FILE", help="RDF file with your real processes")
    p.add_argument("--engine", choices=("sparql", "hermit", "owlrl", "auto"), default="sparql",
                   help="sparql (the two OWL 2 RL rules of the chain as one query; same "
                        "results as HermiT, fast), hermit (owlready2 + HermiT, needs Java), "
                        "owlrl (OWL 2 RL closure, no Java); auto = hermit when Java is "
                        "available, else owlrl (default: sparql)")
    add_format_argument(p)
    add_lang_argument(p)
    add_data_argument(p)
    add_output_argument(p)
    p.set_defaults(run=_run)


def _short(iri) -> str:
    """An IRI without a name, shortened for the table (csv and json keep it whole)."""
    if not iri:
        return ""
    local = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return f"<…{local}>" if local != iri else iri


def _run(args) -> int:
    from ..graph.kg import load
    from ..publish.i18n import pick, word
    from ..publish.tables import render
    from ..reason.classify import COLUMNS, classify
    from ._options import write_output

    results = classify(load(extra=args.data), args.file, engine=args.engine)
    if not results and not results.unclassified:
        from ._options import say

        say(f"etom-kg: note: {args.file} has no real process (etom:RealProcess, or a subject "
            "of etom:performsFunction) to classify")
    lang = "ru" if args.lang == "both" else args.lang
    rows = results.rows(lang)
    if args.lang == "en":  # the function's English name where the graph has one
        english = [c.function_label_en for c in results] + [None] * len(results.unclassified)
        rows = [{**r, "functionLabel": en or r["functionLabel"]} for r, en in zip(rows, english)]
    if args.format != "text":
        write_output(args.output, render(COLUMNS, rows, args.format), lang=lang)
        return 0
    # For people: names instead of IRIs, the element's name in the chosen language.
    table = [{"label": r["label"] or r["process"], "elementId": r["elementId"] or "—",
              "element": pick({"ru": r["elementLabelRu"], "en": r["elementLabelEn"]}, args.lang),
              "function": r["functionLabel"] or _short(r["function"]),
              "reason": r["reason"] or ""} for r in rows]
    columns = ["label", "elementId", "element", "function"]
    if results.unclassified:
        columns.append("reason")
    headers = {"label": word("process", args.lang), "elementId": "ID",
               "element": word("element", args.lang), "function": word("function", args.lang),
               "reason": word("reason", args.lang)}
    write_output(args.output, render(columns, table, headers=headers), lang=lang)
    return 0
