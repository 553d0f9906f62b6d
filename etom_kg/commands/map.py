"""``etom-kg map INVENTORY``: suggest eTOM elements for an operator's process sheet."""
from __future__ import annotations

from ._options import add_data_argument, add_format_argument, add_lang_argument, \
    add_output_argument

# text, csv, json as everywhere; xlsx (the review sheet), turtle (RDF), svg (the heat map)
EXTRA_FORMATS = ("xlsx", "turtle", "svg")
MAX_WARNINGS = 20


def register(sub) -> None:
    p = sub.add_parser(
        "map", help="map an operator's process inventory (CSV/XLSX) onto eTOM CRM elements",
        description="For every row of INVENTORY (a CSV or XLSX sheet of the operator's own "
                    "processes, Russian or English) suggest the CRM elements it belongs to, best "
                    "first, each with a score in [0, 1], a confidence band and the evidence: "
                    "which words of the row matched which label, function or definition. A row "
                    "whose best score is low is flagged as 'no good match'. --format text (the "
                    "table), csv, json, xlsx (a sheet to review), turtle (RDF of the best good "
                    "matches), svg (the footprint's heat map). --apply turns the reviewed sheet "
                    "into RDF (etom:RealProcess rows that 'classify', 'merge' and the queries "
                    "use). --footprint prints how many processes map to each element instead. "
                    "Your own hidden labels or extension elements below 1.1.1 come with --data.")
    p.add_argument("inventory", nargs="?", metavar="INVENTORY", help="CSV or XLSX file")
    p.add_argument("--apply", metavar="REVIEWED.xlsx",
                   help="turn a reviewed sheet (written by --format xlsx, 'confirmed' column "
                        "filled in) into RDF (Turtle, the only form it writes)")
    add_output_argument(p, what="the result (xlsx needs a file)")
    add_format_argument(p, extra=EXTRA_FORMATS)
    p.add_argument("--top", type=int, default=3, metavar="K",
                   help="suggestions per row (default: 3)")
    p.add_argument("--footprint", action="store_true",
                   help="the level-2 footprint: processes per CRM element (text, json, svg)")
    p.add_argument("--name-column", metavar="COL",
                   help="header (or 1-based number) of the process-name column "
                        "(default: found by header, e.g. 'Наименование процесса', 'Name')")
    p.add_argument("--description-column", metavar="COL",
                   help="header (or number) of the description column (default: 'Описание', "
                        "'Description' when present)")
    p.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: detected)")
    p.add_argument("--encoding", metavar="NAME",
                   help="CSV encoding (default: UTF-8 with or without BOM, else Windows-1251)")
    p.add_argument("--sheet", metavar="NAME", help="XLSX worksheet (default: the first)")
    p.add_argument("--base", metavar="IRI",
                   help="namespace of the rows' IRIs in RDF output (default: "
                        "urn:etom-kg:inventory:<file name>:)")
    p.add_argument("--semantic", action="store_true",
                   help="blend in a multilingual sentence encoder's similarity (finds rows "
                        "by meaning, not only by shared words; needs etom-kg[semantic]; "
                        "about 25 ms per row)")
    add_lang_argument(p, choices=("ru", "en"))
    add_data_argument(p)
    p.set_defaults(run=_run)


def _say(args, en: str, ru: str) -> None:
    from ._options import say

    say(ru if args.lang == "ru" else en)


def _run(args) -> int:
    from ..core.errors import UsageError
    from ..graph.kg import load
    from ..mapping import map_inventory
    from ..mapping.rank import Matcher
    from ._options import to_stdout

    fmt = "turtle" if args.apply and args.format == "text" else args.format  # --apply: RDF
    if args.apply and args.inventory:
        raise UsageError("give either INVENTORY or --apply REVIEWED.xlsx, not both")
    if not args.apply and not args.inventory:
        raise UsageError("give the inventory to map (CSV or XLSX), or --apply REVIEWED.xlsx")
    if args.top < 1:
        raise UsageError("--top must be 1 or more")
    if fmt == "xlsx" and to_stdout(args.output):
        raise UsageError("--format xlsx writes a workbook: name the file with -o FILE.xlsx")
    if args.apply:
        if fmt != "turtle":
            raise UsageError("--apply writes RDF: use --format turtle (the default with --apply)")
        return _apply(args, Matcher.for_graph(load(args.data)))
    from ..io.spreadsheet import read_sheet

    # The sheet first: a broken file is reported before the graph is loaded.
    sheet = read_sheet(args.inventory, name_column=args.name_column,
                       description_column=args.description_column, delimiter=args.delimiter,
                       encoding=args.encoding, sheet=args.sheet)
    kg = load(args.data)
    matcher = Matcher.for_graph(kg)
    mapping = map_inventory(kg, sheet, args.top, matcher=matcher, semantic=args.semantic)
    _warn(args, args.inventory, mapping.warnings)
    if args.footprint or fmt == "svg":
        fp = mapping.footprint(kg)
        if fmt not in ("text", "json", "svg"):
            raise UsageError("--footprint is written as text, json or svg")
        data = {"text": lambda: fp.table(args.lang), "json": fp.json,
                "svg": lambda: fp.svg(kg, args.lang)}[fmt]()
        return _write(args, data, f"the footprint of {len(mapping)} rows",
                      f"покрытие, строк: {len(mapping)}")
    from ..mapping import output, review

    if fmt == "text":
        data = output.table(mapping, args.lang)
    elif fmt == "csv":
        data = output.as_csv(mapping, args.top, args.lang)
    elif fmt == "json":
        data = output.as_json(mapping).decode("utf-8")
    elif fmt == "xlsx":
        data = review.review_workbook(mapping, args.top, args.lang,
                                      [c.id for c in matcher.candidates if c.level == 2])
    else:
        data = review.to_turtle(review.decisions_from_mapping(mapping), matcher,
                                source=mapping.source, base=args.base).decode("utf-8")
    low = sum(r.no_good_match for r in mapping)
    return _write(args, data, f"{len(mapping)} rows, {low} with no good match",
                  f"строк: {len(mapping)}, без хорошего соответствия: {low}")


def _apply(args, matcher) -> int:
    from ..mapping import review

    decisions, meta, notes = review.read_reviewed(args.apply, matcher)
    _warn(args, args.apply, notes)
    data = review.to_turtle(decisions, matcher, source=meta.get("source") or args.apply,
                            base=args.base).decode("utf-8")
    kept = sum(d.element_id is not None for d in decisions)
    return _write(args, data, f"{len(decisions)} reviewed rows as RDF, {kept} classified",
                  f"проверенных строк в RDF: {len(decisions)}, отнесено к элементам: {kept}")


def _warn(args, path, notes) -> None:
    for note in notes[:MAX_WARNINGS]:
        _say(args, f"etom-kg: warning: {path}: {note}",
             f"etom-kg: предупреждение: {path}: {getattr(note, 'ru', note)}")
    if len(notes) > MAX_WARNINGS:
        more = len(notes) - MAX_WARNINGS
        _say(args, f"etom-kg: warning: {path}: {more} more warnings",
             f"etom-kg: предупреждение: {path}: ещё {more} предупреждений")


def _write(args, data, what_en: str, what_ru: str) -> int:
    from ._options import write_output

    write_output(args.output, data, lang=args.lang,
                 note=f"; {what_ru if args.lang == 'ru' else what_en}")
    return 0
