"""``etom-kg links ID``: what a process links to in the TM Forum models, with confidence and basis.

Everything comes from the shipped named queries (applications-for-process,
oda-components-for-process, data-for-process, apis-for-process), so the command
shows exactly what a user of the query library gets, grouped per model.
"""
from __future__ import annotations

import json

from ._options import add_lang_argument

# The query behind each group, and the group's title (ru, en).
GROUPS = (
    ("applications", "TAM application types", "Типы приложений TAM"),
    ("components", "ODA components", "Компоненты ODA"),
    ("data", "Data entities (SID)", "Сущности данных (SID)"),
    ("apis", "Open APIs", "Open API"),
)
NOT_CERTAIN = {"en": "medium and low confidence links are project mappings or indirect routes "
                     "(crosswalk, co-assignment), not confirmed by TM Forum",
               "ru": "связи средней и низкой достоверности — сопоставления проекта или косвенные "
                     "маршруты, TM Forum их не подтверждает"}
HEADERS_RU = {"confidence": "достоверность", "id": "ID", "name": "наименование", "basis": "основание",
              "via": "маршрут", "block": "функциональный блок", "role": "роль",
              "component": "компонент"}
MAX_ROUTES = 3  # the table shows the first routes; --format json has all of them


def register(sub) -> None:
    p = sub.add_parser("links", help="applications, ODA components, data entities and APIs "
                                     "linked to a process, with confidence and basis",
                       description="Everything a process links to in the TM Forum models "
                                   "(through its descendants and the crosswalk to the renumbered "
                                   "TM Forum elements), grouped, each link with its confidence "
                                   "and basis. Medium and low confidence links are marked as "
                                   "not certain.")
    p.add_argument("id", metavar="ID", help="process ID of the standard, e.g. 1.1.1.5")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="output format (default: table)")
    add_lang_argument(p)
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


def collect(kg, process_id: str) -> dict:
    """The links of one process, grouped, as plain data (what ``--format json`` prints)."""
    from ..core.errors import UnknownProcess
    from ..core.ids import parse

    parse(process_id)  # InvalidProcessId names what is wrong with the ID
    element = kg.query("element", process=process_id)
    if not element:
        raise UnknownProcess(process_id)
    head = element[0]
    found = {
        "applications": [r for r in kg.query("applications-for-process", process=process_id)
                         if r["kind"] != "ODA component"],
        "components": kg.query("oda-components-for-process", process=process_id),
        "data": kg.query("data-for-process", process=process_id),
        "apis": kg.query("apis-for-process", process=process_id),
    }
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
        if group == "components":
            item["functionalBlock"] = {"ru": name.get("blockRu"), "en": row.get("functionalBlock")}
        if group == "data":
            item["role"] = {"ru": vocab.get(row["role"]), "en": row["role"]}
            item["domain"] = {"ru": name.get("domainRu"), "en": row.get("domain")}
        if group == "apis":
            item["role"] = {"ru": vocab.get(row["role"]), "en": row["role"]}
            item["required"] = row.get("required")
            item["component"] = row.get("component")
        return item

    result = {"process": {"id": head["id"], "iri": head["iri"],
                          "name": {"ru": head.get("labelRu"), "en": head.get("labelEn")}}}
    for group, _, _ in GROUPS:
        result[group] = [link(group, r) for r in found[group]]
    result["_vocabulary"] = vocab
    return result


def _pick(labels: dict, lang: str) -> str:
    if lang == "both":
        return " / ".join(v for v in (labels.get("ru"), labels.get("en")) if v)
    return labels.get(lang) or labels.get("en") or labels.get("ru") or ""


def render(data: dict, lang: str) -> str:
    """The grouped table for a terminal."""
    from ..publish.tables import render as table

    vocab = data["_vocabulary"]
    ru = lang == "ru"

    def word(en: str) -> str:
        return vocab.get(en, en) if ru else en

    def confidence(item) -> str:
        text = word(item["confidence"])
        if not item["certain"]:
            text += " (не подтверждено)" if ru else " (not certain)"
        return text

    def via(item) -> str:
        routes = item["via"]
        more = len(routes) - MAX_ROUTES
        shown = "; ".join(routes[:MAX_ROUTES])
        return shown + (f"; … (+{more})" if more > 0 else "")

    out = [f"{data['process']['id']}  {_pick(data['process']['name'], lang)}"]
    uncertain = False
    for group, title_en, title_ru in GROUPS:
        items = data[group]
        title = {"ru": title_ru, "en": title_en, "both": f"{title_ru} / {title_en}"}[lang]
        out += ["", f"{title} ({len(items)})"]
        if not items:
            out.append("  " + ("нет связей" if ru else "no links"))
            continue
        uncertain |= any(not i["certain"] for i in items)
        rows = []
        for i in items:
            row = {"confidence": confidence(i), "id": i["id"] or "", "name": _pick(i["name"], lang),
                   "basis": "; ".join(word(b) for b in i["basis"]), "via": via(i)}
            if group == "components":
                row["block"] = _pick(i["functionalBlock"], lang)
            if group in ("data", "apis"):
                row["role"] = _pick(i["role"], "ru" if ru else "en")
            if group == "apis":
                row["component"] = i["component"] or ""
            rows.append(row)
        columns = {"applications": ["confidence", "id", "name", "basis", "via"],
                   "components": ["confidence", "id", "name", "block", "basis", "via"],
                   "data": ["confidence", "name", "role", "basis", "via"],
                   "apis": ["confidence", "id", "name", "role", "component", "basis", "via"]}[group]
        if ru:
            rows = [{HEADERS_RU[k]: v for k, v in row.items()} for row in rows]
            columns = [HEADERS_RU[c] for c in columns]
        out += ["  " + line for line in table(columns, rows).rstrip("\n").split("\n")]
    if uncertain:
        note = {"ru": NOT_CERTAIN["ru"], "en": NOT_CERTAIN["en"],
                "both": NOT_CERTAIN["ru"] + "\n   " + NOT_CERTAIN["en"]}[lang]
        out += ["", "* " + note]
    return "\n".join(out) + "\n"


def _run(args) -> int:
    from ..graph.kg import load

    data = collect(load(endpoint=args.endpoint), args.id)
    if args.format == "json":
        data = {k: v for k, v in data.items() if not k.startswith("_")}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render(data, args.lang), end="")
    return 0
