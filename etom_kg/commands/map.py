"""``etom-kg map INVENTORY``: suggest eTOM elements for an operator's process sheet."""
from __future__ import annotations

import sys

FORMATS = ("table", "csv", "xlsx", "json", "ttl", "svg")
MAX_WARNINGS = 20


def register(sub) -> None:
    p = sub.add_parser(
        "map", help="map an operator's process inventory (CSV/XLSX) onto eTOM CRM elements",
        description="For every row of INVENTORY (a CSV or XLSX sheet of the operator's own "
                    "processes, Russian or English) suggest the CRM elements it belongs to, best "
                    "first, each with a score in [0, 1], a confidence band and the evidence: "
                    "which words of the row matched which label, function or definition. A row "
                    "whose best score is low is flagged as 'no good match'. --format xlsx writes "
                    "a sheet to review; --apply turns the reviewed sheet into RDF "
                    "(etom:RealProcess rows that 'classify', 'merge' and the queries use). "
                    "--footprint prints how many processes map to each element instead.")
    p.add_argument("inventory", nargs="?", metavar="INVENTORY", help="CSV or XLSX file")
    p.add_argument("--apply", metavar="REVIEWED.xlsx",
                   help="turn a reviewed sheet (written by --format xlsx, 'confirmed' column "
                        "filled in) into RDF (Turtle)")
    p.add_argument("-o", "--output", default="-", metavar="FILE",
                   help="file to write ('-' = standard output, the default; xlsx needs a file)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="table, csv, xlsx (the review sheet), json, ttl (RDF of the best "
                        "good matches), svg (footprint heat map); default: table, or ttl "
                        "with --apply")
    p.add_argument("--top", type=int, default=3, metavar="K",
                   help="suggestions per row (default: 3)")
    p.add_argument("--footprint", action="store_true",
                   help="the level-2 footprint: processes per CRM element (table, json, svg)")
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
    p.add_argument("--lang", choices=("ru", "en"), default="en",
                   help="language of names and messages (default: en)")
    p.add_argument("--data", action="extend", nargs="+", default=[], metavar="FILE",
                   help="RDF files to add to the graph (e.g. your own hidden labels or "
                        "extension elements below 1.1.1)")
    p.set_defaults(run=_run)


def _say(args, en: str, ru: str) -> None:
    print(ru if args.lang == "ru" else en, file=sys.stderr)


def _run(args) -> int:
    from ..core.errors import UsageError
    from ..graph.kg import load
    from ..mapping import map_inventory
    from ..mapping.rank import Matcher

    fmt = args.format or ("ttl" if args.apply else "table")
    if args.apply and args.inventory:
        raise UsageError("give either INVENTORY or --apply REVIEWED.xlsx, not both")
    if not args.apply and not args.inventory:
        raise UsageError("give the inventory to map (CSV or XLSX), or --apply REVIEWED.xlsx")
    if args.top < 1:
        raise UsageError("--top must be 1 or more")
    if fmt == "xlsx" and args.output == "-":
        raise UsageError("--format xlsx writes a workbook: name the file with -o FILE.xlsx")
    if args.apply:
        if fmt != "ttl":
            raise UsageError("--apply writes RDF: use --format ttl (the default)")
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
        if fmt not in ("table", "json", "svg"):
            raise UsageError("--footprint is written as table, json or svg")
        data = {"table": lambda: fp.table(args.lang), "json": fp.json,
                "svg": lambda: fp.svg(kg, args.lang)}[fmt]()
        return _write(args, data, f"the footprint of {len(mapping)} rows",
                      f"покрытие по {len(mapping)} строкам")
    from ..mapping import output, review

    if fmt == "table":
        data = output.table(mapping, args.lang)
    elif fmt == "csv":
        data = output.as_csv(mapping, args.top, args.lang)
    elif fmt == "json":
        data = output.as_json(mapping)
    elif fmt == "xlsx":
        data = review.review_workbook(mapping, args.top, args.lang,
                                      [c.id for c in matcher.candidates if c.level == 2])
    else:
        data = review.to_turtle(review.decisions_from_mapping(mapping), matcher,
                                source=mapping.source, base=args.base).decode("utf-8")
    low = sum(r.no_good_match for r in mapping)
    return _write(args, data, f"{len(mapping)} rows ({low} with no good match)",
                  f"{len(mapping)} строк (без хорошего соответствия: {low})")


def _apply(args, matcher) -> int:
    from ..mapping import review

    decisions, meta, notes = review.read_reviewed(args.apply, matcher)
    _warn(args, args.apply, notes)
    data = review.to_turtle(decisions, matcher, source=meta.get("source") or args.apply,
                            base=args.base).decode("utf-8")
    kept = sum(d.element_id is not None for d in decisions)
    return _write(args, data, f"{len(decisions)} reviewed rows as RDF ({kept} classified)",
                  f"{len(decisions)} проверенных строк в RDF (отнесено к элементам: {kept})")


def _warn(args, path, notes) -> None:
    for note in notes[:MAX_WARNINGS]:
        _say(args, f"etom-kg: warning: {path}: {note}",
             f"etom-kg: предупреждение: {path}: {getattr(note, 'ru', note)}")
    if len(notes) > MAX_WARNINGS:
        more = len(notes) - MAX_WARNINGS
        _say(args, f"etom-kg: warning: {path}: {more} more warnings",
             f"etom-kg: предупреждение: {path}: ещё {more} предупреждений")


def _write(args, data, what_en: str, what_ru: str) -> int:
    from ..io.atomic import atomic_write

    if args.output == "-":   # xlsx, the one binary format, needs -o
        sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)
        return 0
    atomic_write(args.output, data)
    _say(args, f"wrote {args.output}: {what_en}", f"записан {args.output}: {what_ru}")
    return 0
