"""``etom-kg links ID``: what a process links to in the TM Forum models, with confidence and basis.

Everything comes from the shipped named queries (applications-for-process,
oda-components-for-process, data-for-process, apis-for-process), so the command
shows exactly what a user of the query library gets, grouped per model.
"""
from __future__ import annotations

import json

from ..graph.model import inherited_from, parse_route
from ..publish.i18n import pick, word
from ._options import add_data_argument, add_format_argument, add_lang_argument

# The query behind each group, and the group's title (ru, en).
GROUPS = (
    ("applications", "TAM application types", "Типы приложений TAM"),
    ("components", "ODA components", "Компоненты ODA"),
    ("data", "Data entities (SID)", "Сущности данных (SID)"),
    ("apis", "Open APIs", "Open API"),
)
MAX_ROUTES = 3  # the table shows the first routes; --format json has all of them


def register(sub) -> None:
    p = sub.add_parser("links", help="applications, ODA components, data entities and APIs "
                                     "linked to a process, with confidence and basis",
                       description="Everything a process links to in the TM Forum models "
                                   "(through its descendants and the crosswalk to the renumbered "
                                   "TM Forum elements), grouped, each link with its confidence "
                                   "and basis. Medium and low confidence links are marked as "
                                   "not certain. An element below level 2 (the standard's level 3, "
                                   "or an extension given with --data) also inherits the links "
                                   "of the elements above it, marked ↑ID and at most of medium "
                                   "confidence. Open APIs: one row per API.")
    p.add_argument("id", metavar="ID", help="process ID, e.g. 1.1.1.5")
    add_format_argument(p, formats=("text", "json"))
    add_lang_argument(p)
    add_data_argument(p)
    p.add_argument("--endpoint", metavar="URL",
                   help="ask this SPARQL 1.1 endpoint instead of the embedded graph "
                        "(credentials: ETOM_KG_AUTHORIZATION environment variable)")
    p.set_defaults(run=_run)


def _split(text) -> list[str]:
    return [part for part in str(text or "").split("; ") if part]


def _values_block(variable: str, iris) -> str:
    import pyoxigraph as ox

    terms = " ".join(str(ox.NamedNode(iri)) for iri in sorted(set(iris)))  # N-Triples form
    return f"VALUES ?{variable} {{ {terms} }}"


def _names(kg, iris) -> dict[str, dict]:
    """ru/en names of the linked resources, of their SID domain and ODA functional block."""
    if not iris:
        return {}
    rows = kg.sparql(f"""SELECT ?x ?ru ?en ?domainRu ?blockRu WHERE {{
        {_values_block("x", iris)}
        OPTIONAL {{ ?x skos:prefLabel ?ru FILTER(lang(?ru) = "ru") }}
        OPTIONAL {{ ?x skos:prefLabel ?en FILTER(lang(?en) = "en") }}
        OPTIONAL {{ ?x etom:inSidDomain/skos:prefLabel ?domainRu FILTER(lang(?domainRu) = "ru") }}
        OPTIONAL {{ ?x etom:inFunctionalBlock/skos:prefLabel ?blockRu FILTER(lang(?blockRu) = "ru") }}
    }}""")
    return {r["x"]: dict(r) for r in rows}


def _vocabulary(kg) -> dict[str, str]:
    """English word → Russian word for confidence levels, link bases and roles."""
    rows = kg.sparql("""SELECT ?en ?ru WHERE {
        VALUES ?class { etom:ConfidenceLevel etom:LinkBasis etom:DataRole etom:ApiRole }
        ?x a ?class ; rdfs:label ?en, ?ru . FILTER(lang(?en) = "en" && lang(?ru) = "ru") }""")
    return {str(r["en"]): str(r["ru"]) for r in rows}


def _found(kg, process_id: str) -> dict:
    return {
        "applications": [r for r in kg.query("applications-for-process", process=process_id)
                         if r["kind"] != "ODA component"],
        "components": kg.query("oda-components-for-process", process=process_id),
        "data": kg.query("data-for-process", process=process_id),
        "apis": kg.query("apis-for-process", process=process_id),
    }


def collect(kg, process_id: str) -> dict:
    """The links of one process, grouped, as plain data (what ``--format json`` prints).

    An element below level 2 (of the standard's level 3 or of an extension) inherits
    the links of the elements above it: the link queries mark those routes, and such
    a link carries ``inheritedFrom`` (the ID it comes from). Open APIs come one item per
    API, with the ODA components that expose or use it.
    """
    from ..core.ids import parse

    parse(process_id)  # InvalidProcessId names what is wrong with the ID
    head = kg.query("element", process=process_id)[0]  # UnknownProcess if there is none
    found = _found(kg, process_id)
    key = {"applications": "application", "components": "component", "data": "entity",
           "apis": "api"}
    names = _names(kg, [r[key[g]] for g, rows in found.items() for r in rows])
    vocab = _vocabulary(kg)

    def link(group: str, row) -> dict:
        iri = row[key[group]]
        name = names.get(iri, {})
        item = {
            "iri": iri,
            "id": {"applications": row.get("applicationId"), "components": row.get("componentId"),
                   "data": None, "apis": row.get("apiId")}[group],
            "name": {"ru": name.get("ru"), "en": name.get("en") or row.get("label")},
            "confidence": row["confidence"],
            "certain": row["confidence"] == "high",
            "basis": _split(row["basis"]),
            "via": _split(row["via"]),
        }
        inherited = inherited_from(item["via"])
        if inherited:
            item["inheritedFrom"] = inherited
        if group == "components":
            item["functionalBlock"] = {"ru": name.get("blockRu"), "en": row.get("functionalBlock")}
        if group == "data":
            item["role"] = {"ru": vocab.get(row["role"]), "en": row["role"]}
            item["domain"] = {"ru": name.get("domainRu"), "en": row.get("domain")}
        if group == "apis":
            item["components"] = [{"id": row.get("component"),
                                   "role": {"ru": vocab.get(row["role"]), "en": row["role"]},
                                   "required": row.get("required")}]
        return item

    result = {"process": {"id": head["id"], "iri": head["iri"],
                          "name": {"ru": head.get("labelRu"), "en": head.get("labelEn")}}}
    for group, _, _ in GROUPS:
        items, seen = [], {}
        for row in found[group]:
            item = link(group, row)
            same = seen.get(item["iri"])
            if same is None:
                seen[item["iri"]] = item
                items.append(item)
            elif group == "apis":
                _join_api(same, item)
        result[group] = items
    result["_vocabulary"] = vocab
    return result


_RANK = {"high": 3, "medium": 2, "low": 1}


def _join_api(item: dict, other: dict) -> None:
    """One API reached through several ODA components: one item, its components listed."""
    from ..core.ids import natural_key

    if _RANK[other["confidence"]] > _RANK[item["confidence"]]:
        item["confidence"], item["certain"] = other["confidence"], other["certain"]
    for field in ("basis", "via"):
        item[field] += [v for v in other[field] if v not in item[field]]
    for component in other["components"]:
        if component not in item["components"]:
            item["components"].append(component)
    item["components"].sort(key=lambda c: natural_key(c["id"]))
    item.pop("inheritedFrom", None)
    inherited = inherited_from(item["via"])
    if inherited:
        item["inheritedFrom"] = inherited


def route_text(route: str, lang: str) -> str:
    """A route ("1.3.3 (TMF ODA) via exactMatch and release crosswalk") in ``lang``."""
    match = parse_route(route)
    if not match:
        return route
    text = f"{match['id']} ({word(match['scheme'], lang)})"
    if match["prop"]:
        text += f" {word('via ', lang)}{word(match['prop'], lang)}"
    if match["release"]:
        text += f"{word(' and ', lang)}{word('release crosswalk', lang)}"
    if match["inherited"]:
        text += f", {word('inherited', lang)}"
        if match["source"]:
            text += f" {word('from element', lang)} {match['source']}"
    if match["component"]:
        text += f"{word(' and ', lang)}{match['component']}"
    return text


def render(data: dict, lang: str, width: int | None = None) -> str:
    """The grouped tables for a terminal ``width`` columns wide (default: the terminal's)."""
    import textwrap

    from ..core.ids import natural_key
    from ..publish.tables import render as table, terminal_width

    width = width or terminal_width()
    vocab = data["_vocabulary"]
    one = "ru" if lang == "both" else lang  # the program's words in one language per cell

    def term(en: str) -> str:
        """A word of the graph's vocabulary (confidence, basis, role) in ``lang``."""
        ru = vocab.get(en, en)
        return {"ru": ru, "en": en, "both": en if ru == en else f"{ru} / {en}"}[lang]

    def confidence(item) -> str:
        text = term(item["confidence"]) + ("" if item["certain"] else "*")
        if item.get("inheritedFrom"):
            text += f" ↑{item['inheritedFrom']}"
        return text

    def via(item) -> str:
        routes = [route_text(r, one) for r in item["via"]]
        more = len(routes) - MAX_ROUTES
        return "; ".join(routes[:MAX_ROUTES]) + (f"; … (+{more})" if more > 0 else "")

    def components(item) -> str:
        roles: dict = {}  # component → its roles, in order
        for c in item["components"]:
            roles.setdefault(c["id"], []).append(term(c["role"]["en"]))
        return "; ".join(f"{c} {', '.join(r)}" if c else ", ".join(r) for c, r in roles.items())

    out = [f"{data['process']['id']}  {pick(data['process']['name'], lang)}"]
    inherited = sorted({i["inheritedFrom"] for g, *_ in GROUPS for i in data[g]
                        if i.get("inheritedFrom")}, key=natural_key)
    if inherited:
        out.append(textwrap.fill(f"↑ {word('inherited from', lang)} {', '.join(inherited)}: "
                                 f"{word('inherited note', one)}", width=width,
                                 initial_indent="  ", subsequent_indent="    "))
    uncertain = False
    for group, title_en, title_ru in GROUPS:
        items = data[group]
        title = {"ru": title_ru, "en": title_en, "both": f"{title_ru} / {title_en}"}[lang]
        out += ["", f"{title} ({len(items)})"]
        if not items:
            out.append("  " + word("no links", lang))
            continue
        uncertain |= any(not i["certain"] for i in items)
        rows = []
        for i in items:
            row = {"confidence": confidence(i), "id": i["id"] or "", "name": pick(i["name"], lang),
                   "basis": "; ".join(term(b) for b in i["basis"]), "via": via(i)}
            if group == "components":
                row["block"] = pick(i["functionalBlock"], lang)
            if group == "data":
                row["role"] = pick(i["role"], lang)
            if group == "apis":
                row["components"] = components(i)
            rows.append(row)
        columns = {"applications": ["confidence", "id", "name", "basis", "via"],
                   "components": ["confidence", "id", "name", "block", "basis", "via"],
                   "data": ["confidence", "name", "role", "basis", "via"],
                   "apis": ["confidence", "id", "name", "components", "basis", "via"]}[group]
        out.append(table(columns, rows, headers={c: word(c, lang) for c in columns},
                         width=width, indent=2, max_lines=12).rstrip("\n"))
    if uncertain:
        out += ["", textwrap.fill("* " + word("not confirmed", one), width=width,
                                  subsequent_indent="  ")]
    return "\n".join(out) + "\n"


def _run(args) -> int:
    from ..core.errors import UsageError
    from ..graph.kg import load

    if args.endpoint and args.data:
        raise UsageError("--data cannot be used with --endpoint; upload files with "
                         "'etom-kg push --data FILE'")
    data = collect(load(extra=args.data, endpoint=args.endpoint), args.id)
    if args.format == "json":
        data = {k: v for k, v in data.items() if not k.startswith("_")}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render(data, args.lang), end="")
    return 0
