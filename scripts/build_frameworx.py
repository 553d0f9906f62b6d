"""Generate the Frameworx link layer (ontology/{tam,sid,oda,openapi,etom-current,frameworx-sources}.ttl
and ontology/links/*.ttl) from ../shared/reference and scripts/frameworx_data.py.

    .venv/bin/python scripts/build_frameworx.py && .venv/bin/python -m etom_kg.canonical --write ontology/*.ttl ontology/links/*.ttl
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

sys.path.insert(0, str(Path(__file__).resolve().parent))
import frameworx_data as D  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference"
BASE = "https://w3id.org/etom-kg/"
ETOM = Namespace(BASE + "ontology#")
PROCESS = Namespace(BASE + "process/")
SCHEME = Namespace(BASE + "scheme/")
SOURCE = Namespace(BASE + "source/")
R16 = Namespace(BASE + "tmf-etom/r16/")
ODAE = Namespace(BASE + "tmf-etom/oda/")
TAM = Namespace(BASE + "tam/")
ODA = Namespace(BASE + "oda/")
SID = Namespace(BASE + "sid/")
API = Namespace(BASE + "api/")
LINK = Namespace(BASE + "link/")
CONF = {"H": ETOM.HighConfidence, "M": ETOM.MediumConfidence, "L": ETOM.LowConfidence}
CONF_WORD = {"H": ("high", "высокая"), "M": ("medium", "средняя"), "L": ("low", "низкая")}
BASIS = {"tmf": ETOM.TmfModelElementBasis, "oda": ETOM.OdaComponentSpecBasis, "project": ETOM.ProjectMappingBasis}
BASIS_WORD = {"tmf": ("TM Forum model element", "элемент модели TM Forum"),
              "oda": ("ODA component specification", "спецификация компонента ODA"),
              "project": ("project mapping", "сопоставление проекта")}
R16_RELEASE = "Frameworx R16.0"
CRM_DOMAINS = ("1.1.", "1.3.")  # Market/Sales and Customer domains of the renumbered eTOM


def graph(**extra) -> Graph:
    g = Graph(bind_namespaces="none")
    for p, ns in {"etom": ETOM, "process": PROCESS, "scheme": SCHEME, "source": SOURCE, "skos": SKOS,
                  "dcterms": DCTERMS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "r16": R16,
                  "odaetom": ODAE, "tam": TAM, "oda": ODA, "sid": SID, "api": API, "link": LINK, **extra}.items():
        g.bind(p, ns)
    return g


def en_ru(g, s, p, en, ru):
    g.add((s, p, Literal(en, lang="en")))
    g.add((s, p, Literal(ru, lang="ru")))


def local(id_: str) -> str:
    return "P" + id_.replace(".", "-")


def ru_name(en: str) -> str:
    try:
        return D.RU[en]
    except KeyError:
        raise SystemExit(f"no Russian name for {en!r}")


def nice(name: str) -> str:
    return name.replace("_", " ")


# ------------------------------------------------------------------ reading the reference
def oda_rows():
    with open(REF / "tmf-oda" / "tmf-oda-components_framework-mappings.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def api_rows():
    with open(REF / "tmf-oda" / "tmf-oda-components_apis.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def crm_components(rows) -> set[str]:
    """ODA components with an eTOM process in the Market/Sales or Customer domain."""
    return {r["component_id"] for r in rows if r["kind"] == "eTOM" and r["ref_id"].startswith(CRM_DOMAINS)}


def version_key(v: str):
    return tuple(int(x) for x in re.findall(r"\d+", v))


# ------------------------------------------------------------------ sources
SOURCES = {
    "tmf-frameworx-r16": ("TM Forum Frameworx 16.0, browsable HTML export", "TM Forum Frameworx 16.0, HTML-экспорт модели",
                          "http://ilsa.kz/etom/main/", "Process, application and entity pages of the Frameworx R16.0 model, with current and original process identifiers.",
                          "Страницы процессов, приложений и сущностей модели Frameworx R16.0 с текущими и исходными идентификаторами процессов."),
    "tmf-frameworx-r16-5": ("TM Forum Frameworx R16.5, browsable HTML", "TM Forum Frameworx R16.5, HTML-версия модели",
                            "https://tmforum.org/Browsable_HTML_Frameworx_R16.5/main/", "The Frameworx R16.5 model as published by TM Forum.",
                            "Модель Frameworx R16.5 в публикации TM Forum."),
    "tmf-frameworx-19": ("TM Forum Frameworx 19.0, browsable HTML export", "TM Forum Frameworx 19.0, HTML-экспорт модели",
                         "http://www.magnocorrea.com/framewox19/main/", "The Frameworx 19.0 model, used where R16 pages were not available.",
                         "Модель Frameworx 19.0; используется там, где страницы R16 недоступны."),
    "tmf-moda": ("TM Forum MODA model export (2022–2025)", "Экспорт модели TM Forum MODA (2022–2025)",
                 "https://tmforum.org/MODA/EARoot/", "The current TM Forum model repository export: renamed processes, verticals, functional framework.",
                 "Экспорт текущего репозитория моделей TM Forum: переименованные процессы, вертикали, функциональная модель."),
    "tmf-sid-r20": ("TM Forum SID R20.0, browsable HTML", "TM Forum SID R20.0, HTML-версия",
                    "https://tmforum.org/Browsable_HTML_SID_R20.0/content/", "The Information Framework R20.0: domains and aggregate business entities.",
                    "Информационная модель R20.0: домены и агрегированные бизнес-сущности."),
    "tmf-gb922-sid": ("TM Forum Information Framework (SID, GB922)", "Информационная модель TM Forum (SID, GB922)",
                      "https://tmforum.org/Browsable_HTML_SID_v22.0/html/EARoot/", "The TM Forum shared information and data model.",
                      "Общая информационная модель данных TM Forum."),
    "tmf-ngoss-amkb": ("TM Forum NGOSS EA model export (2005–2008)", "Экспорт модели NGOSS TM Forum (2005–2008)",
                       "http://amkbcloud.com/webpub-models/webpub_amkb-ngoss/EARoot/", "The older NGOSS enterprise-architecture model with legacy eTOM numbering and explicit dependencies.",
                       "Прежняя модель архитектуры предприятия NGOSS со старой нумерацией eTOM и явными зависимостями."),
    "tmf-gb921-r14-5": ("TM Forum GB921 Business Process Framework Processes R14.5.0", "TM Forum GB921, процессы бизнес-процессной модели, R14.5.0",
                        "https://id.scribd.com/document/360626853/GB921-Business-Process-Framework-Processes-R14-5-0", "The process list of release 14.5, including elements marked deleted.",
                        "Перечень процессов выпуска 14.5, включая отмеченные как удалённые."),
    "tmf-ce-doc": ("TM Forum TAM Customer Management domain excerpt", "Выдержка TAM TM Forum о домене управления клиентами",
                   "https://www.scribd.com/document/328830004/Customer-Experience", "A list of the customer-domain application types of the Application Framework.",
                   "Перечень типов приложений домена клиента прикладной модели."),
    "tmf-gb929-tam": ("TM Forum GB929 Application Framework (TAM), Addendum D R17.5.1", "TM Forum GB929, прикладная модель (TAM), приложение D, R17.5.1",
                      "https://pdfcoke.com/documents/gb929dapplicationframeworkr1751pdf-9o888yng19or", "The application framework document; its table of contents names the level-1 application types.",
                      "Документ прикладной модели; его оглавление называет типы приложений уровня 1."),
    "tmf-open-api-table": ("TM Forum Open API Table", "Таблица открытых API TM Forum",
                           "https://github.com/mufaqar/OpenAPITable", "The table of TM Forum Open API numbers, names and domains.",
                           "Таблица номеров, наименований и доменов открытых API TM Forum."),
    "tmf-oda-component-directory": ("TM Forum ODA component specifications (v1.0.0 publication)", "Спецификации компонентов ODA TM Forum (публикация v1.0.0)",
                                    "https://github.com/tmforum-rand/TMForum-ODA-Ready-for-publication/tree/v1.0.0", "The published set of ODA component specifications with their process, data and API mappings.",
                                    "Опубликованный набор спецификаций компонентов ODA с сопоставлениями процессов, данных и API."),
}


def build_sources(components: dict) -> Graph:
    g = graph()
    for key, (en, ru, url, den, dru) in SOURCES.items():
        s = SOURCE[key]
        g.add((s, RDF.type, DCTERMS.BibliographicResource))
        en_ru(g, s, RDFS.label, en, ru)
        en_ru(g, s, SKOS.definition, den, dru)
        g.add((s, RDFS.seeAlso, URIRef(url)))
        g.add((s, DCTERMS.source, s))
    for cid, c in sorted(components.items()):
        s = SOURCE["tmf-oda-" + cid]
        g.add((s, RDF.type, DCTERMS.BibliographicResource))
        name = nice_component(c["name"])
        en_ru(g, s, RDFS.label, f"ODA component specification {cid} {name} v{c['version']}",
              f"Спецификация компонента ODA {cid} {name} v{c['version']}")
        en_ru(g, s, SKOS.definition, f"The TM Forum specification of ODA component {cid}, version {c['version']}.",
              f"Спецификация TM Forum компонента ODA {cid}, версия {c['version']}.")
        g.add((s, DCTERMS.identifier, Literal(f"{cid} v{c['version']}")))
        g.add((s, DCTERMS.isPartOf, SOURCE["tmf-oda-component-directory"]))
        g.add((s, DCTERMS.source, SOURCE["tmf-oda-component-directory"]))
    g.add((DCTERMS.BibliographicResource, RDF.type, OWL.Class))
    return g


def nice_component(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("Configurationand", "Configuration and")


# ------------------------------------------------------------------ concepts
def concept(g, s, cls, scheme, en, ru, sources, confidence=None, notation=None, dt=None, identifier=None):
    g.add((s, RDF.type, OWL.NamedIndividual))
    g.add((s, RDF.type, cls))
    g.add((s, SKOS.inScheme, scheme))
    en_ru(g, s, SKOS.prefLabel, en, ru)
    for src in sources:
        g.add((s, DCTERMS.source, SOURCE[src]))
    if confidence:
        g.add((s, ETOM.confidence, CONF[confidence]))
    if notation:
        g.add((s, SKOS.notation, Literal(notation, datatype=dt)))
    if identifier:
        g.add((s, DCTERMS.identifier, Literal(identifier)))


def scheme_node(g, s, en, ru, den, dru, sources, release=None):
    g.add((s, RDF.type, OWL.NamedIndividual))
    g.add((s, RDF.type, SKOS.ConceptScheme))
    en_ru(g, s, SKOS.prefLabel, en, ru)
    en_ru(g, s, SKOS.definition, den, dru)
    for src in sources:
        g.add((s, DCTERMS.source, SOURCE[src]))
    if release:
        g.add((s, ETOM.tmfRelease, Literal(release)))


def hierarchy(g, child, parent, scheme):
    if parent is None:
        g.add((child, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, child))
    else:
        g.add((child, SKOS.broader, parent))
        g.add((parent, SKOS.narrower, child))


def build_r16() -> Graph:
    g = graph()
    sch = SCHEME["tmf-etom-r16"]
    scheme_node(g, sch, "TM Forum eTOM, Frameworx R16.0 numbering", "eTOM TM Forum в нумерации Frameworx R16.0",
                "The renumbered TM Forum process elements that the crosswalk from the standard's identifiers names, as numbered in Frameworx R16.0/R16.5; identifiers differ in later releases.",
                "Перенумерованные элементы процессов TM Forum, на которые указывает соответствие идентификаторам стандарта, в нумерации Frameworx R16.0/R16.5; в более поздних выпусках идентификаторы другие.",
                ["tmf-frameworx-r16", "tmf-frameworx-r16-5"], R16_RELEASE)
    for id_, en, parent, conf, srcs, alt in D.R16:
        s = R16[local(id_)]
        concept(g, s, ETOM.TmfProcessElement, sch, en, ru_name(en), srcs, conf, id_, ETOM.TmfProcessId)
        if alt:
            en_ru(g, s, SKOS.altLabel, alt, ru_name(alt))
        g.add((s, ETOM.tmfRelease, Literal(R16_RELEASE)))
        level = id_.count(".")
        en_ru(g, s, SKOS.definition,
              f"The TM Forum Business Process Framework {'domain' if level == 1 else f'level-{level} process'} numbered {id_} in Frameworx R16.0, named “{en}”.",
              f"{'Домен' if level == 1 else f'Процесс уровня {level}'} бизнес-процессной модели TM Forum с номером {id_} в Frameworx R16.0, «{ru_name(en)}».")
        hierarchy(g, s, R16[local(parent)] if parent else None, sch)
    return g


def build_oda(rows, components) -> tuple[Graph, dict]:
    """ODA components, functional blocks and the eTOM elements their specifications cite."""
    g = graph()
    sch = SCHEME["oda"]
    scheme_node(g, sch, "TM Forum ODA components", "Компоненты ODA TM Forum",
                "The TM Forum Open Digital Architecture components whose specifications map them to Market/Sales or Customer domain processes.",
                "Компоненты открытой цифровой архитектуры TM Forum, спецификации которых сопоставляют их процессам доменов рынка и продаж или клиента.",
                ["tmf-oda-component-directory"])
    blocks = {c["block"] for c in components.values()}
    block_ru = {"CoreCommerce": "Ядро коммерции", "PartyManagement": "Управление участниками",
                "Production": "Производство", "IntelligenceManagement": "Управление аналитикой"}
    for b in sorted(blocks):
        s = ODA["block/" + b]
        en = nice_component(b)
        concept(g, s, ETOM.OdaFunctionalBlock, sch, en, block_ru[b], ["tmf-oda-component-directory"], "H")
        en_ru(g, s, SKOS.definition, f"The ODA functional block {en}.", f"Функциональный блок ODA «{block_ru[b]}» ({en}).")
        hierarchy(g, s, None, sch)
    for cid, c in sorted(components.items()):
        s = ODA[cid]
        name = nice_component(c["name"])
        concept(g, s, ETOM.OdaComponent, sch, f"{cid} {name}", f"Компонент ODA {cid} «{name}»",
                ["tmf-oda-" + cid], "H", cid, ETOM.OdaComponentId, cid)
        en_ru(g, s, SKOS.definition,
              f"The ODA component {cid} “{name}” of the {nice_component(c['block'])} functional block, as specified in version {c['version']}.",
              f"Компонент ODA {cid} «{name}» функционального блока «{block_ru[c['block']]}» по спецификации версии {c['version']}.")
        g.add((s, ETOM.inFunctionalBlock, ODA["block/" + c["block"]]))
        g.add((s, ETOM.componentVersion, Literal(c["version"])))
        g.add((s, ETOM.lifecycleStatus, Literal(c["status"])))
        hierarchy(g, s, ODA["block/" + c["block"]], sch)

    # eTOM elements cited by the ODA specifications (Market/Sales and Customer domains only).
    esch = SCHEME["tmf-etom-oda"]
    cited = defaultdict(dict)  # id -> {version: name}
    for r in rows:
        if r["kind"] == "eTOM" and r["component_id"] in components and r["ref_id"].startswith(CRM_DOMAINS):
            cited[r["ref_id"]][r["framework_version"]] = nice(r["ref_name"])
    versions = sorted({v for d in cited.values() for v in d}, key=version_key)
    scheme_node(g, esch, f"TM Forum eTOM as cited by ODA component specifications (GB921 {versions[0]}–{versions[-1]})",
                f"eTOM TM Forum в нумерации спецификаций компонентов ODA (GB921 {versions[0]}–{versions[-1]})",
                "Process elements of the Market/Sales and Customer domains that ODA component specifications map to, in the numbering of the GB921 release each specification cites; each element records that release.",
                "Элементы процессов доменов рынка и продаж и клиента, которым сопоставлены компоненты ODA, в нумерации выпуска GB921, указанного в спецификации; у каждого элемента записан этот выпуск.",
                ["tmf-oda-component-directory"], ", ".join(versions))
    for id_, byver in sorted(cited.items()):
        s = ODAE[local(id_)]
        latest = max(byver, key=version_key)
        en = byver[latest]
        concept(g, s, ETOM.TmfProcessElement, esch, en, ru_name(en), ["tmf-oda-component-directory"], "H", id_, ETOM.TmfProcessId)
        for v, n in byver.items():
            g.add((s, ETOM.tmfRelease, Literal(v)))
            if n != en:
                en_ru(g, s, SKOS.altLabel, n, ru_name(n))
        level = id_.count(".")
        en_ru(g, s, SKOS.definition,
              f"The level-{level} TM Forum process {id_} “{en}” as numbered in GB921 {', '.join(sorted(byver, key=version_key))}, cited by ODA component specifications.",
              f"Процесс TM Forum уровня {level} {id_} «{ru_name(en)}» в нумерации GB921 {', '.join(sorted(byver, key=version_key))}, на который ссылаются спецификации компонентов ODA.")
        parent = id_.rsplit(".", 1)[0]
        while parent not in cited and parent.count(".") >= 2:
            parent = parent.rsplit(".", 1)[0]
        hierarchy(g, s, ODAE[local(parent)] if parent in cited else None, esch)
    return g, cited


def sid_key(name):
    return name


def build_sid(rows, components) -> tuple[Graph, dict]:
    g = graph()
    sch = SCHEME["sid"]
    scheme_node(g, sch, "TM Forum SID entities linked to CRM", "Сущности SID TM Forum, связанные с CRM",
                "Domains, aggregate business entities and business entities of the TM Forum Information Framework that the CRM processes or their applications touch.",
                "Домены, агрегированные бизнес-сущности и бизнес-сущности информационной модели TM Forum, с которыми работают процессы CRM или их приложения.",
                ["tmf-gb922-sid", "tmf-sid-r20"])
    entities = {}  # key -> (en, kind, parent, domain, conf, sources, alt, release)
    for r in rows:
        if r["kind"] != "SID" or r["component_id"] not in components:
            continue
        path = r["ref_path"].split("|")
        domain = path[0]
        for i, key in enumerate(path[1:], start=1):
            parent = path[i - 1] if i > 1 else None
            kind = "BE" if key.endswith("_BE") else "ABE"
            old = entities.get(key)
            srcs = set(old[5]) if old else set()
            srcs.add("tmf-oda-" + r["component_id"])
            entities[key] = (nice(key), kind, parent, domain, "H", sorted(srcs), None, r["framework_version"])
    for key, en, kind, parent, domain, conf, srcs, alt in D.SID_EXTRA:
        if key in entities:
            old = entities[key]
            entities[key] = old[:5] + (sorted(set(old[5]) | set(srcs)), alt or old[6], old[7])
        else:
            entities[key] = (en, kind, parent, domain, conf, srcs, alt, None)
    for dom in sorted({e[3] for e in entities.values()}):
        s = SID["domain/" + dom]
        concept(g, s, ETOM.SidDomain, sch, nice(dom), D.SID_DOMAIN_RU[dom], ["tmf-gb922-sid"], "H")
        en_ru(g, s, SKOS.definition, f"The SID {nice(dom)}.", f"{D.SID_DOMAIN_RU[dom]} информационной модели SID.")
        hierarchy(g, s, None, sch)
    for key, (en, kind, parent, domain, conf, srcs, alt, release) in sorted(entities.items()):
        s = SID[key]
        ru = sid_ru(en)
        cls = ETOM.SidBusinessEntity if kind == "BE" else ETOM.SidAbe
        concept(g, s, cls, sch, en, ru, srcs, conf)
        if alt:
            en_ru(g, s, SKOS.altLabel, alt, sid_ru(alt))
        if release:
            g.add((s, ETOM.tmfRelease, Literal(release)))
        g.add((s, ETOM.inSidDomain, SID["domain/" + domain]))
        what = ("business entity" if kind == "BE" else "aggregate business entity", "бизнес-сущность" if kind == "BE" else "агрегированная бизнес-сущность")
        en_ru(g, s, SKOS.definition, f"The SID {what[0]} {en} in the {nice(domain)}.",
              f"{what[1].capitalize()} SID «{ru}» ({en}); {D.SID_DOMAIN_RU[domain].lower()}.")
        hierarchy(g, s, SID[parent] if parent else SID["domain/" + domain], sch)
    return g, entities


def sid_ru(en: str) -> str:
    core = re.sub(r"[ _]?(ABE|BE)$", "", en.replace("_", " ")).strip()
    suffix = "BE" if en.endswith("BE") and not en.endswith("ABE") else "ABE"
    for phrase, ru in D.SID_RU_WORDS:
        if core == phrase:
            return f"{ru} ({suffix})"
    raise SystemExit(f"no Russian name for SID entity {en!r}")


def build_tam() -> tuple[Graph, dict]:
    g = graph()
    sch = SCHEME["tam"]
    scheme_node(g, sch, "TM Forum TAM application types linked to CRM", "Типы приложений TAM TM Forum, связанные с CRM",
                "Application types of the TM Forum Application Framework (GB929) in the Customer and Market/Sales domains, with identifiers as seen in the Frameworx R16–R19 exports.",
                "Типы приложений прикладной модели TM Forum (GB929) доменов клиента и рынка и продаж с идентификаторами по экспортам Frameworx R16–R19.",
                ["tmf-gb929-tam"], "Frameworx R16.0–R19.0")
    index = {}
    for id_, en, parent, conf, srcs in D.TAM:
        key = id_ if id_ else en
        s = TAM["A" + id_.replace(".", "-")] if id_ else TAM[re.sub(r"[^A-Za-z]+", "", en)]
        index[key] = s
        concept(g, s, ETOM.TamApplicationType, sch, en, ru_name(en), srcs, conf,
                id_, ETOM.TamApplicationId if id_ else None, id_)
        if id_ in D.TAM_ALT:
            en_ru(g, s, SKOS.altLabel, D.TAM_ALT[id_], "Управление удержанием клиентов")
        if id_ and "." not in id_:
            den, dru = f"The TAM application domain {id_} “{en}”.", f"Прикладной домен TAM {id_} «{ru_name(en)}»."
        elif id_:
            den, dru = f"The TAM application type {id_} “{en}”.", f"Тип приложения TAM {id_} «{ru_name(en)}»."
        else:
            den, dru = f"The TAM application type “{en}”, whose identifier was not seen.", f"Тип приложения TAM «{ru_name(en)}»; его идентификатор не найден."
        en_ru(g, s, SKOS.definition, den, dru)
        hierarchy(g, s, index[parent] if parent else None, sch)
    return g, index


def build_apis(api_csv, components, extra_ids) -> tuple[Graph, dict]:
    g = graph()
    sch = SCHEME["tmf-open-api"]
    scheme_node(g, sch, "TM Forum Open APIs linked to CRM", "Открытые API TM Forum, связанные с CRM",
                "Open APIs exposed or used by the CRM-related ODA components, or named for a CRM process.",
                "Открытые API, которые предоставляют или используют компоненты ODA, связанные с CRM, или которые названы для процессов CRM.",
                ["tmf-open-api-table"])
    index = json.loads((REF / "tmf-oda" / "tmf-api-index.json").read_text(encoding="utf-8"))
    names = {}
    for key in sorted(index, key=lambda k: version_key(k.split("_v")[1]) if "_v" in k else (0,)):
        names[key.split("_")[0]] = index[key]["name"]  # the latest version's name wins
    csv_names = {r["api_id"]: r["api_name"] for r in api_csv if r["api_name"]}
    ids = {r["api_id"] for r in api_csv if r["component_id"] in components} | set(extra_ids)
    out = {}
    for aid in sorted(ids):
        name = names.get(aid) or csv_names.get(aid) or D.API_NAMES.get(aid)
        s = API[aid]
        out[aid] = s
        srcs = ["tmf-open-api-table"] if (aid in names or aid in D.API_NAMES) else ["tmf-oda-component-directory"]
        en = f"{aid} {name}" if name else aid
        concept(g, s, ETOM.OpenApi, sch, en, f"Открытый API {aid}" + (f" «{name}»" if name else ""), srcs,
                "H" if name else "M", aid, ETOM.OpenApiId, aid)
        en_ru(g, s, SKOS.definition,
              f"The TM Forum Open API {aid}" + (f", {name}." if name else "; its name is not given in the reference data."),
              f"Открытый API TM Forum {aid}" + (f" ({name})." if name else "; наименование в справочных данных не указано."))
        hierarchy(g, s, None, sch)
    return g, out


# ------------------------------------------------------------------ links
class Links:
    def __init__(self, labels):
        self.g = graph()
        self.labels = labels  # IRI -> (en, ru)

    def add(self, cls, kind, subj, obj, conf, basis, sources, rationale=None, extra=(), basis_element=None,
            relation=("linked to", "связан с"), name_suffix=""):
        key = f"{short(subj)}--{short(obj)}{name_suffix}"
        s = LINK[f"{kind}/{key}"]
        g = self.g
        if (s, RDF.type, cls) in g:
            raise SystemExit(f"duplicate link {s}")
        g.add((s, RDF.type, OWL.NamedIndividual))
        g.add((s, RDF.type, cls))
        g.add((s, ETOM.linkSubject, subj))
        g.add((s, ETOM.linkObject, obj))
        g.add((s, ETOM.confidence, CONF[conf]))
        g.add((s, ETOM.basis, BASIS[basis]))
        for src in sources:
            g.add((s, DCTERMS.source, SOURCE[src]))
        if basis == "project":
            g.add((s, DCTERMS.source, SOURCE["etom-kg-project"]))
            if not rationale:
                raise SystemExit(f"project mapping {s} needs a rationale")
        if rationale:
            en_ru(g, s, ETOM.rationale, *rationale)
        if basis_element is not None:
            g.add((s, ETOM.basisElement, basis_element))
        for p, o in extra:
            g.add((s, p, o))
        se, sr = self.labels[subj]
        oe, or_ = self.labels[obj]
        en_ru(g, s, RDFS.label, f"{se} — {relation[0]} — {oe}", f"{sr} — {relation[1]} — {or_}")
        be, br = BASIS_WORD[basis]
        ce, cr = CONF_WORD[conf]
        en_ru(g, s, SKOS.definition, f"Qualified link: {se} {relation[0]} {oe}; basis: {be}; confidence: {ce}.",
              f"Квалифицированная связь: {sr} {relation[1]} {or_}; основание: {br}; достоверность: {cr}.")
        return s


def short(iri) -> str:
    text = str(iri)
    for ns, tag in ((PROCESS, "gost"), (R16, "r16"), (ODAE, "oda-etom"), (TAM, "tam"), (ODA, "oda"), (SID, "sid"), (API, "api")):
        if text.startswith(str(ns)):
            return f"{tag}-{text[len(str(ns)):]}"
    raise ValueError(text)


def label_index(*graphs) -> dict:
    out = {}
    for g in graphs:
        for s, o in g.subject_objects(SKOS.prefLabel):
            en, ru = out.get(s, (None, None))
            if o.language == "en":
                en = str(o)
            elif o.language == "ru":
                ru = str(o)
            out[s] = (en, ru)
    labelled = {}
    for s, (en, ru) in out.items():
        notation = None
        for g in graphs:
            notation = notation or g.value(s, SKOS.notation)
        if notation is not None and not str(en).startswith(str(notation)):
            en, ru = f"{notation} {en}", f"{notation} {ru}"
        labelled[s] = (en, ru)
    return labelled


def ref(term: str):
    if term.startswith("r16:"):
        return R16[local(term[4:])]
    if term.startswith("oda:"):
        return ODAE[local(term[4:])]
    return PROCESS[local(term)]


def main() -> int:
    rows = oda_rows()
    apis = api_rows()
    comp_ids = crm_components(rows)
    components = {}
    for r in rows:
        if r["component_id"] in comp_ids:
            components[r["component_id"]] = {"name": r["component_name"], "version": r["component_version"],
                                             "block": r["functional_block"], "status": r["status"]}
    sources = build_sources(components)
    r16 = build_r16()
    oda, cited = build_oda(rows, components)
    sid, entities = build_sid(rows, components)
    tam, tam_index = build_tam()
    api, api_index = build_apis(apis, components, [a for _, a, *_ in D.PROCESS_API])
    crm = Graph().parse(ROOT / "ontology" / "etom-crm.ttl")
    labels = label_index(crm, r16, oda, sid, tam, api)

    # crosswalk
    cw = Links(labels)
    for subj, obj, rel, conf, basis, srcs, ren, rru in D.CROSSWALK:
        s, o = ref(subj), ref(obj)
        if s not in labels or o not in labels:
            raise SystemExit(f"crosswalk end missing: {subj} {obj}")
        prop = SKOS[rel]
        rel_words = {"exactMatch": ("exact match", "точное соответствие"), "closeMatch": ("close match", "близкое соответствие"),
                     "broadMatch": ("broader match", "более широкое соответствие"), "narrowMatch": ("narrower match", "более узкое соответствие"),
                     "relatedMatch": ("related match", "связанное соответствие")}[rel]
        cw.add(ETOM.CrosswalkLink, "crosswalk", s, o, conf, basis, srcs, (ren, rru) if ren else None,
               extra=[(ETOM.mappingProperty, prop)], relation=rel_words)
        if conf != "L":  # a low-confidence mapping stays qualified only
            cw.g.add((s, prop, o))

    # process -> application
    pa = Links(labels)
    for proc, apps, conf, ren, rru, srcs in D.PROCESS_TAM:
        for a in apps:
            pa.add(ETOM.ProcessApplicationLink, "process-application", ref(proc), tam_index[a], conf, "project", srcs,
                   (ren, rru), relation=("is supported by", "поддерживается"))
    for r in rows:
        if r["kind"] == "eTOM" and r["component_id"] in components and r["ref_id"] in cited:
            s, o = ODAE[local(r["ref_id"])], ODA[r["component_id"]]
            key = (s, o)
            link = LINK[f"process-application/{short(s)}--{short(o)}"]
            if (link, RDF.type, ETOM.ProcessApplicationLink) in pa.g:
                pa.g.add((link, ETOM.tmfRelease, Literal(r["framework_version"])))
                continue
            pa.add(ETOM.ProcessApplicationLink, "process-application", s, o, "H", "oda", ["tmf-oda-" + r["component_id"]],
                   extra=[(ETOM.tmfRelease, Literal(r["framework_version"]))], basis_element=o,
                   relation=("is supported by", "поддерживается"))

    # process -> data
    pd = Links(labels)
    for subj, ent, role, conf, basis, srcs, comp, ren, rru in D.PROCESS_DATA:
        role_iri = {"uses": ETOM.UsesRole, "coassigned": ETOM.CoAssignedRole}[role]
        pd.add(ETOM.ProcessDataLink, "process-data", ref(subj), SID[ent], conf, basis, srcs,
               (ren, rru) if ren else None, extra=[(ETOM.dataRole, role_iri)],
               basis_element=ODA[comp] if comp else None, relation=("works on", "работает с"))

    # application -> data
    ad = Links(labels)
    for r in rows:
        if r["kind"] == "SID" and r["component_id"] in components:
            ent = r["ref_path"].split("|")[-1]
            ad.add(ETOM.ApplicationDataLink, "application-data", ODA[r["component_id"]], SID[ent], "H", "oda",
                   ["tmf-oda-" + r["component_id"]], extra=[(ETOM.dataRole, ETOM.MastersRole),
                                                             (ETOM.tmfRelease, Literal(r["framework_version"]))],
                   basis_element=ODA[r["component_id"]], relation=("masters", "ведёт"))
    for app, ent, conf, rat in D.TAM_DATA:
        ad.add(ETOM.ApplicationDataLink, "application-data", tam_index[app], SID[ent], conf,
               "tmf" if rat is None else "project", ["tmf-ngoss-amkb"], rat,
               extra=[(ETOM.dataRole, ETOM.UsesRole)], relation=("uses", "использует"))

    # application -> API, process -> API
    aa = Links(labels)
    for r in apis:
        if r["component_id"] not in components:
            continue
        role = ETOM.ExposesRole if r["api_role"] == "exposedAPIs" else ETOM.DependsOnRole
        words = ("exposes", "предоставляет") if role == ETOM.ExposesRole else ("depends on", "зависит от")
        extra = [(ETOM.apiRole, role), (ETOM.apiRequired, Literal(r["required"] == "True"))]
        extra += [(ETOM.apiSpecVersions, Literal(v)) for v in r["spec_major_versions"].split(";") if v]
        aa.add(ETOM.ApplicationApiLink, "application-api", ODA[r["component_id"]], api_index[r["api_id"]], "H", "oda",
               ["tmf-oda-" + r["component_id"]], extra=extra, basis_element=ODA[r["component_id"]], relation=words,
               name_suffix="-" + ("exposes" if role == ETOM.ExposesRole else "depends"))
    for subj, aid, conf, ren, rru in D.PROCESS_API:
        aa.add(ETOM.ProcessApiLink, "process-api", ref(subj), api_index[aid], conf, "project", ["tmf-open-api-table"],
               (ren, rru), extra=[(ETOM.apiRole, ETOM.RealisedByRole)], relation=("is realised by", "реализуется через"))

    # coverage notes
    cov = graph()
    for pid, (en, ru) in D.COVERAGE.items():
        s = LINK["coverage/" + local(pid)]
        cov.add((s, RDF.type, OWL.NamedIndividual))
        cov.add((s, RDF.type, ETOM.CoverageNote))
        cov.add((s, ETOM.coverageOf, PROCESS[local(pid)]))
        en_ru(cov, s, ETOM.coverageReason, en, ru)
        pe, pr = labels[PROCESS[local(pid)]]
        en_ru(cov, s, RDFS.label, f"Coverage of {pe}", f"Покрытие: {pr}")
        en_ru(cov, s, SKOS.definition, f"Why {pe} has no or only weak application and data links.",
              f"Почему у элемента {pr} нет связей с приложениями и данными или они слабые.")
        cov.add((s, DCTERMS.source, SOURCE["etom-kg-project"]))

    out = {
        "ontology/frameworx-sources.ttl": sources, "ontology/etom-current.ttl": r16, "ontology/oda.ttl": oda,
        "ontology/sid.ttl": sid, "ontology/tam.ttl": tam, "ontology/openapi.ttl": api,
        "ontology/links/crosswalk.ttl": cw.g, "ontology/links/process-application.ttl": pa.g,
        "ontology/links/process-data.ttl": pd.g, "ontology/links/application-data.ttl": ad.g,
        "ontology/links/api.ttl": aa.g, "ontology/links/coverage.ttl": cov,
    }
    for rel, g in out.items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        g.serialize(path, format="longturtle")
        print(f"{rel}: {len(g)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
