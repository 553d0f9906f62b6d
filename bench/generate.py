"""Synthetic benchmark data (written to bench/results/data/, never committed).

* ``extension(n)``: a SKOS process tree of ``n`` operator-defined level-3
  elements under the 11 CRM level-2 elements, as a user would validate it;
  1 % of them are broken in one of three ways (missing English label, an ID
  that does not continue its parent's, a malformed ID).
* ``ea(n)`` → ``ea-v2-N.nt``: a realistic ArchiMate enterprise-architecture
  model of about ``n`` triples, shaped exactly as ``etom-kg import-archimate``
  writes a real model (typed elements with name and identifier; every
  relationship as the direct triple *and* as a reified ``archimate:Relationship``
  node; organisation folders; views), plus an operator's eTOM alignment.
  The model is tiled from "domains" of an operator, each shaped like the
  ArchiMetal case study (496 elements, 761 relationships, 67 views, ~11.9k
  triples): its element-type and relationship-type counts (±20 % per domain;
  relationships the chains below do not make are drawn from ArchiMetal's
  source-type/relationship/target-type signatures), with the layered chains
  a real model has built in: process trees (composition, triggering),
  component -assignment-> function -realization-> service -serving->
  process, component -composition-> interface, functions -access-> data
  objects -realization-> business objects, processes -access-> business
  objects, node -assignment-> system software -realization-> technology
  service -serving-> component. About 80 % of the
  sub-processes of an automated domain are served; a small pool of 50
  enterprise platforms serves processes in many domains; "manual" domains
  (those aligned to 1.1.1.3, 1.1.1.9, 1.3.4, 1.3.6) have no application support.
  Only the 3 top business functions and 4 top business processes of a domain
  are aligned (``etom:classifiedUnder``), all under the domain's one target:
  every 4th domain under a CRM level-2 element (cycling from 1.1.1.5), the
  others under the 14 other level-1 groupings. At 10^6 triples (994,566):
  82 domains of ~12k triples, 42k elements, 65k relationships, 5.5k views,
  574 aligned elements (1.4 % of the elements): 14 per CRM element (2
  domains; 7 for 1.1.1.4), the other 406 under the level-1 groupings. Smaller
  sizes are a prefix of larger ones (whole domains, fixed seeds).
* ``ea_dense(n)`` → ``ea-dense-N.nt``: the stress case (the old ``ea``), not a
  real model: one business process, application and data object per 12
  triples, and *every* business process aligned to a CRM element (~7.6k per
  CRM element at 10^6); relationships as ``archimate:source``/``target`` nodes,
  not as import-archimate writes them.

Run: ``python bench/generate.py ea|ea-dense|extension N`` (prints the file path).
"""
from __future__ import annotations

import os
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "results" / "data"
CRM = ["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", "1.1.1.7",
       "1.1.1.9", "1.1.1.10", "1.1.1.11", "1.1.1.12"]
ETOM = "https://w3id.org/etom-kg/ontology#"
PROCESS = "https://w3id.org/etom-kg/process/P"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCTERMS = "http://purl.org/dc/terms/"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
EXT = "https://example.org/operator/process/"
ARCHI = "https://purl.org/archimate#"
EA_TERMS = "https://w3id.org/etom-kg/ea#"          # ea: terms of ontology/enterprise.ttl
EA = "https://example.org/ea/"                     # IRIs of the dense stress case only
MODEL_ID = "id-etom-kg-bench-operator"
EA_BASE = f"https://w3id.org/etom-kg/ea/{MODEL_ID}/"  # import-archimate's default base

# Level-2 CRM elements in the order CRM domains take them (1.1.1.5, the benchmark's
# example, first so that every size has one), and the other level-1 groupings.
CRM_CYCLE = CRM[4:] + CRM[:4]
OTHER = ["1.1.2", "1.1.3", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "1.2.4",
         "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.3.6", "1.3.7"]
MANUAL = {"1.1.1.3", "1.1.1.9", "1.3.4", "1.3.6"}  # no application serves these domains
THEMES = {
    "1.1.1.1": "CRM support and readiness", "1.1.1.2": "Customer interface management",
    "1.1.1.3": "Marketing fulfilment response", "1.1.1.4": "Selling",
    "1.1.1.5": "Order handling", "1.1.1.6": "Problem handling",
    "1.1.1.7": "Customer QoS/SLA management", "1.1.1.9": "Retention and loyalty",
    "1.1.1.10": "Bill invoice management", "1.1.1.11": "Bill payments and receivables",
    "1.1.1.12": "Bill inquiry handling", "1.1.2": "Service management",
    "1.1.3": "Resource management", "1.1.4": "Partner management",
    "1.2.1": "Marketing and offer", "1.2.2": "Service development",
    "1.2.3": "Resource development", "1.2.4": "Supply chain", "1.3.1": "Enterprise planning",
    "1.3.2": "Enterprise risk", "1.3.3": "Enterprise effectiveness",
    "1.3.4": "Knowledge and research", "1.3.5": "Finance and assets",
    "1.3.6": "Stakeholder relations", "1.3.7": "Human resources",
}

# ArchiMetal 3.1 (Open Group case study) as `etom-kg import-archimate` reads it:
# elements by type, and relationships by signature (source type/property/target type).
ARCHIMETAL_ELEMENTS = dict((k, int(v)) for k, v in (kv.split("=") for kv in """
BusinessObject=58 BusinessProcess=57 BusinessFunction=47 DataObject=40 ApplicationFunction=35
ApplicationService=34 ApplicationComponent=30 BusinessActor=21 BusinessRole=17 Goal=16
BusinessService=12 Assessment=11 Material=10 Node=10 Location=10 BusinessEvent=10 Facility=7
ValueStream=6 TechnologyProcess=6 Requirement=6 WorkPackage=5 SystemSoftware=4
TechnologyService=4 Driver=4 ApplicationCollaboration=4 Deliverable=4 Grouping=3 Stakeholder=3
Plateau=3 DistributionNetwork=2 Equipment=2 Device=2 ApplicationInteraction=2 Representation=2
Junction=2 Contract=1 Product=1 CommunicationNetwork=1 TechnologyFunction=1
ApplicationInterface=1 BusinessInterface=1 BusinessCollaboration=1""".split()))
ARCHIMETAL_RELATIONSHIPS = [(int(c), tuple(sig.split("/"))) for c, sig in (
    item.strip().split(" ") for item in """
56 BusinessProcess/access/BusinessObject, 50 BusinessFunction/flow/BusinessFunction
36 ApplicationComponent/flow/ApplicationComponent, 34 BusinessFunction/access/BusinessObject
31 BusinessProcess/triggering/BusinessProcess, 31 ApplicationService/serving/BusinessProcess
30 ApplicationComponent/realization/ApplicationService
24 ApplicationFunction/serving/BusinessFunction
20 ApplicationService/serving/ApplicationFunction
19 BusinessFunction/aggregation/BusinessFunction, 17 Facility/access/Material
15 DataObject/realization/BusinessObject
14 ApplicationFunction/composition/ApplicationFunction
14 BusinessFunction/specialization/BusinessFunction, 13 DataObject/specialization/DataObject
12 Requirement/realization/Goal, 11 BusinessRole/assignment/BusinessProcess
10 ApplicationComponent/serving/BusinessRole, 10 BusinessEvent/triggering/BusinessProcess
9 BusinessObject/association/BusinessObject, 9 BusinessProcess/flow/BusinessProcess
9 BusinessActor/assignment/BusinessProcess, 9 Assessment/association/Goal
9 ApplicationComponent/realization/BusinessFunction
8 BusinessProcess/realization/BusinessService, 8 DataObject/association/DataObject
8 BusinessFunction/realization/ValueStream, 8 ApplicationService/serving/ApplicationComponent
6 BusinessObject/aggregation/BusinessObject, 6 Assessment/influence/Assessment
6 BusinessService/serving/BusinessActor, 6 Location/composition/Location
5 BusinessService/serving/BusinessProcess, 5 BusinessFunction/flow/BusinessActor
5 DistributionNetwork/association/Facility, 5 Driver/association/Assessment
5 DataObject/aggregation/DataObject, 5 Location/assignment/Node
5 Stakeholder/association/Driver, 5 ValueStream/composition/ValueStream
5 TechnologyProcess/triggering/TechnologyProcess
5 ApplicationComponent/serving/BusinessProcess, 5 Goal/association/Assessment
5 Node/composition/SystemSoftware, 5 BusinessFunction/flow/BusinessRole
4 BusinessObject/composition/BusinessObject, 4 ValueStream/triggering/ValueStream
4 WorkPackage/realization/Deliverable, 4 Facility/assignment/TechnologyProcess
4 ApplicationComponent/access/BusinessObject
4 ApplicationCollaboration/aggregation/ApplicationComponent
4 BusinessRole/flow/BusinessFunction, 4 BusinessProcess/triggering/BusinessEvent
3 Location/assignment/BusinessFunction, 3 Deliverable/realization/BusinessProcess
3 Plateau/aggregation/BusinessProcess, 3 Junction/triggering/BusinessProcess
3 BusinessProcess/triggering/Junction
3 ApplicationComponent/association/ApplicationCollaboration
3 Node/realization/TechnologyService, 3 BusinessActor/flow/BusinessFunction
2 BusinessService/serving/BusinessService, 2 DataObject/association/BusinessObject
2 BusinessService/serving/BusinessInterface, 2 Deliverable/realization/ApplicationComponent
2 BusinessFunction/realization/BusinessService
2 ApplicationCollaboration/assignment/ApplicationInteraction
2 Plateau/aggregation/ApplicationComponent, 2 WorkPackage/aggregation/WorkPackage
2 Deliverable/realization/BusinessService, 2 Stakeholder/association/Goal
2 Plateau/aggregation/BusinessService, 2 BusinessActor/assignment/BusinessService
2 Driver/association/Stakeholder, 2 DataObject/composition/DataObject
2 ApplicationComponent/serving/BusinessService, 2 BusinessService/serving/BusinessFunction
2 DistributionNetwork/association/Material
2 ApplicationInteraction/realization/ApplicationService, 2 Goal/association/Driver
2 ApplicationComponent/association/ApplicationComponent, 2 Plateau/triggering/Plateau
2 Requirement/aggregation/Requirement, 2 ApplicationService/serving/BusinessService
2 BusinessActor/assignment/BusinessFunction, 2 Node/association/CommunicationNetwork
2 Assessment/association/Driver, 2 ApplicationInterface/serving/ApplicationService
2 BusinessFunction/association/BusinessActor
2 ApplicationComponent/composition/ApplicationComponent
2 Representation/realization/BusinessObject, 2 Grouping/realization/BusinessFunction
2 ApplicationCollaboration/realization/ApplicationService, 2 Node/composition/Node
1 ApplicationCollaboration/association/ApplicationComponent
1 BusinessActor/association/BusinessObject, 1 BusinessCollaboration/assignment/BusinessProcess
1 Goal/aggregation/Goal, 1 ApplicationService/serving/ApplicationService
1 TechnologyFunction/realization/TechnologyService, 1 BusinessProcess/serving/BusinessService
1 DistributionNetwork/assignment/TechnologyProcess, 1 Grouping/assignment/TechnologyProcess
1 ApplicationComponent/access/DataObject, 1 BusinessService/realization/Goal
1 WorkPackage/realization/ApplicationService, 1 ApplicationInterface/serving/BusinessInterface
1 Location/serving/BusinessActor, 1 Device/realization/ApplicationComponent
1 SystemSoftware/flow/Equipment, 1 WorkPackage/realization/BusinessService
1 BusinessProcess/composition/BusinessProcess, 1 ApplicationService/serving/BusinessFunction
1 BusinessEvent/association/BusinessObject, 1 Node/composition/Device
1 ApplicationService/realization/Goal, 1 Assessment/association/Assessment
1 BusinessProcess/association/ApplicationService, 1 Node/assignment/TechnologyFunction
1 BusinessFunction/serving/BusinessFunction
""".replace("\n", ", ").split(", ") if item.strip())]
ARCHIMETAL_VIEWS = 67
VIEWPOINTS = ["Application Usage", "Information Structure", "Organization", "Motivation",
              "Technology", "Service Realization", "Stakeholder", "Layered",
              "Business Process Cooperation", "Application Cooperation"]
# Organisation folders as modelling tools lay them out (label, element types).
LAYERS = [
    ("Strategy", "Resource Capability CourseOfAction ValueStream"),
    ("Business", "BusinessActor BusinessRole BusinessCollaboration BusinessInterface "
                 "BusinessProcess BusinessFunction BusinessInteraction BusinessEvent "
                 "BusinessService BusinessObject Contract Representation Product"),
    ("Application", "ApplicationComponent ApplicationCollaboration ApplicationInterface "
                    "ApplicationFunction ApplicationInteraction ApplicationProcess "
                    "ApplicationEvent ApplicationService DataObject"),
    ("Technology & Physical", "Node Device SystemSoftware TechnologyCollaboration "
                              "TechnologyInterface Path CommunicationNetwork TechnologyFunction "
                              "TechnologyProcess TechnologyInteraction TechnologyEvent "
                              "TechnologyService Artifact Equipment Facility DistributionNetwork "
                              "Material"),
    ("Motivation", "Stakeholder Driver Assessment Goal Outcome Principle Requirement "
                   "Constraint Meaning Value"),
    ("Implementation & Migration", "WorkPackage Deliverable ImplementationEvent Plateau Gap"),
    ("Other", "Location Grouping Junction"),
    ("Relations", "Relationship"),
    ("Views", "ArchiMateView"),
]
FOLDER_OF = {kind: n for n, (_, kinds) in enumerate(LAYERS, start=1) for kind in kinds.split()}

WORDS = {
    "verb": "Capture Validate Approve Register Check Allocate Configure Activate Notify Close "
            "Track Analyse Resolve Escalate Rate Collect Report Schedule Dispatch Review "
            "Assess Plan Reconcile Archive Publish",
    "noun": "customer order|service request|trouble ticket|invoice|payment|contract|offer|"
            "subscription|appointment|credit check|number port|SIM card|bill dispute|"
            "loyalty points|campaign response|SLA breach|network resource|field visit|"
            "catalogue entry|partner settlement|customer account|product instance|"
            "work order|quote|refund",
    "system": "Portal|Order Manager|Case Manager|Rating Engine|Inventory|Provisioning|"
              "Workflow|Catalogue|Self-care App|Reporting|Mediation|Collections|Scheduler|"
              "Document Store|Notification Hub|Address Service|Fraud Check|Data Mart",
    "platform": "Enterprise CRM|Convergent Billing|Order Management|Product Catalogue|"
                "Service Inventory|Resource Inventory|Service Orchestration|Workforce "
                "Management|Trouble Ticketing|Customer Portal|Payment Gateway|Enterprise "
                "Service Bus|Identity Management|Data Warehouse|Document Management|"
                "Network Management|Partner Portal|Revenue Assurance|ERP Finance|HR Suite|"
                "Contact Centre|Campaign Management|Fraud Management|Analytics|Mediation",
}
WORDS = {k: (v.split("|") if "|" in v else v.split()) for k, v in WORDS.items()}
PLATFORMS = 50
PLATFORMS_PER_DOMAIN = 3


def _lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def _plain(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def extension(n: int, broken: float = 0.01, seed: int = 1) -> Path:
    """N-Triples file with ``n`` extension elements, ``broken`` of them faulty."""
    rng = random.Random(seed)
    path = DATA / f"extension-{n}.nt"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    bad = set(rng.sample(range(n), max(1, int(n * broken))))
    lines = []
    for i in range(n):
        parent = CRM[i % len(CRM)]
        number = i // len(CRM) + 1
        # Developer 2 numbers the operator's own elements (clause 5.2).
        pid = f"2.{parent[2:]}.{number}"
        s = f"<{EXT}E{i}>"
        kind = i % 3 if i in bad else None
        if kind == 1:       # the ID does not continue the parent's ID
            pid = f"2.{CRM[(i + 1) % len(CRM)][2:]}.{number}"
        elif kind == 2:     # a malformed ID (leading zero)
            pid = f"2.{parent[2:]}.0{number}"
        lines += [
            f"{s} <{RDF_TYPE}> <{ETOM}ProcessElement> .",
            f'{s} <{SKOS}notation> "{pid}"^^<{ETOM}ProcessId> .',
            f"{s} <{SKOS}prefLabel> {_lit(f'Операция оператора {i}', 'ru')} .",
            f"{s} <{SKOS}broader> <{PROCESS}{parent.replace('.', '-')}> .",
            f"{s} <{SKOS}inScheme> <https://w3id.org/etom-kg/scheme/etom> .",
            f"{s} <{SKOS}definition> {_lit(f'Операция {i}, выполняемая оператором.', 'ru')} .",
            f"{s} <{SKOS}definition> {_lit(f'Operator step {i} of {parent}.', 'en')} .",
        ]
        if kind != 0:       # kind 0: the English label is missing
            lines.append(f"{s} <{SKOS}prefLabel> {_lit(f'Operator step {i}', 'en')} .")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


# -- realistic enterprise-architecture model ------------------------------------------


class _Part:
    """Elements, relationships and views of one part of the model: a domain or the
    platform pool. Identifiers are ``id-<part>-e<n>`` / ``-r<n>`` / ``-v<n>``."""

    def __init__(self, key: str, index: int, title: str, rng: random.Random):
        self.key, self.index, self.title, self.rng = key, index, title, rng
        self.elements: list[tuple[str, str, str]] = []          # (id, type, name)
        self.kind: dict[str, str] = {}
        self.by_type: dict[str, list[str]] = defaultdict(list)
        self.rels: list[tuple[str, str, str, str, dict]] = []   # (id, property, src, tgt, extra)
        self.edges: dict[tuple[str, str, str], None] = {}
        self.signatures: dict[tuple[str, str, str], int] = defaultdict(int)
        self.views: list[tuple[str, str, str | None, list[str]]] = []
        self.docs: dict[str, str] = {}
        self.aligned: list[tuple[str, str]] = []                # (element id, eTOM ID)

    def el(self, kind: str, name: str) -> str:
        eid = f"id-{self.key}-e{len(self.elements) + 1}"
        self.elements.append((eid, kind, name))
        self.kind[eid] = kind
        self.by_type[kind].append(eid)
        return eid

    def rel(self, prop: str, src: str, tgt: str, kinds: dict[str, str] | None = None,
            **extra) -> str | None:
        """Add a relationship unless it would be a loop or repeat an existing one."""
        if src == tgt or (src, prop, tgt) in self.edges:
            return None
        rid = f"id-{self.key}-r{len(self.rels) + 1}"
        if prop == "access" and "accessType" not in extra:
            extra["accessType"] = self.rng.choices(
                ["write", "read", "unspecified"], [79, 32, 1])[0]  # ArchiMetal's mix
        if prop == "association" and "isDirected" not in extra:
            extra["isDirected"] = self.rng.random() < 0.1
        self.rels.append((rid, prop, src, tgt, extra))
        self.edges[(src, prop, tgt)] = None
        kinds = kinds or self.kind
        self.signatures[(kinds.get(src), prop, kinds.get(tgt))] += 1
        return rid

    def name(self, pool: str) -> str:
        return self.rng.choice(WORDS[pool])

    def process_name(self) -> str:
        return f"{self.name('verb')} {self.name('noun')}"


def _platforms(rng: random.Random) -> _Part:
    """The enterprise platforms every domain may use: component, function, two
    services, two data objects each."""
    part = _Part("ep", 1, "Enterprise platforms", rng)
    for i in range(PLATFORMS):
        label = f"{WORDS['platform'][i % len(WORDS['platform'])]} {'AB'[i // 25]}"
        comp = part.el("ApplicationComponent", label)
        part.docs[comp] = f"Shared enterprise platform {label}."
        func = part.el("ApplicationFunction", f"{label} processing")
        part.rel("assignment", comp, func)
        for what in ("self-service", "back-office"):
            part.rel("realization", func, part.el("ApplicationService", f"{label} {what} API"))
        for access in ("write", "read"):
            part.rel("access", func, part.el("DataObject", f"{label} {part.name('noun')} record"),
                     accessType=access)
    comps = part.by_type["ApplicationComponent"]
    part.views.append(("id-ep-v1", "Enterprise platform landscape", "Application Cooperation",
                       list(comps)))
    return part


def _domain(d: int, platforms: _Part, seed: int) -> _Part:
    """One domain of the operator, shaped like ArchiMetal, aligned to one eTOM element."""
    rng = random.Random(seed * 1_000_003 + d)
    target = CRM_CYCLE[(d // 4) % len(CRM_CYCLE)] if d % 4 == 0 else \
        OTHER[(d - d // 4 - 1) % len(OTHER)]
    manual = target in MANUAL
    part = _Part(f"d{d + 1}", d + 2, f"{THEMES[target]} (domain {d + 1})", rng)
    f = rng.uniform(0.8, 1.2)

    def k(n: float) -> int:
        return max(1, round(n * f))

    theme = THEMES[target]
    # Business: 3 top functions aggregating sub-functions, 4 top processes composed of
    # sub-processes (triggering each other), some of those split once more.
    top_bf = [part.el("BusinessFunction", f"{theme} {w}") for w in
              ("management", "operations", "support")]
    sub_bf = []
    for top in top_bf:
        for word in rng.sample(["management", "handling", "control", "planning", "support",
                                "analysis", "administration", "monitoring"], rng.randint(4, 8)):
            sub = part.el("BusinessFunction", f"{part.name('noun').capitalize()} {word}")
            part.rel("aggregation", top, sub)
            sub_bf.append(sub)
    top_bp, sub_bp = [], []
    for _ in range(4):
        top = part.el("BusinessProcess", f"{theme}: {part.name('noun')} end-to-end")
        top_bp.append(top)
        chain = []
        for _ in range(rng.randint(5, 11)):
            sub = part.el("BusinessProcess", part.process_name())
            part.rel("composition", top, sub)
            chain.append(sub)
            if rng.random() < 0.25:
                for _ in range(rng.randint(1, 2)):
                    leaf = part.el("BusinessProcess", part.process_name())
                    part.rel("composition", sub, leaf)
                    sub_bp.append(leaf)
        for a, b in zip(chain, chain[1:]):
            part.rel("triggering", a, b)
        sub_bp += chain
    part.aligned = [(e, target) for e in top_bf + top_bp]
    tree = set(top_bf + sub_bf + top_bp + sub_bp)

    objects = [part.el("BusinessObject", part.name("noun").capitalize())
               for _ in range(k(ARCHIMETAL_ELEMENTS["BusinessObject"]))]
    used_objects = []
    for bp in sub_bp:
        for obj in rng.sample(objects, rng.randint(1, 2)):
            part.rel("access", bp, obj)
            used_objects.append(obj)
    for bf in top_bf + sub_bf:
        if rng.random() < 0.5:
            part.rel("access", bf, rng.choice(objects))

    # Application: component -assignment-> function -realization-> service; some
    # components realize services directly; interfaces composed into components.
    comps = [part.el("ApplicationComponent", f"{theme.split()[0]} {part.name('system')}")
             for _ in range(k(ARCHIMETAL_ELEMENTS["ApplicationComponent"]))]
    for comp in comps:
        if rng.random() < 0.25:
            part.docs[comp] = f"Application of the {theme.lower()} domain."
    funcs = []
    for comp in comps:
        for _ in range(2 if rng.random() < 0.17 else 1):
            func = part.el("ApplicationFunction", f"{part.name('noun').capitalize()} processing")
            part.rel("assignment", comp, func)
            funcs.append(func)
    services = []
    for _ in range(k(ARCHIMETAL_ELEMENTS["ApplicationService"])):
        svc = part.el("ApplicationService", f"{part.process_name()} service")
        part.rel("realization", rng.choice(funcs) if rng.random() < 0.6 else rng.choice(comps),
                 svc)
        services.append(svc)
    interfaces = []
    for _ in range(k(4)):
        iface = part.el("ApplicationInterface", f"{part.name('system')} API")
        part.rel("composition", rng.choice(comps), iface)
        interfaces.append(iface)
    data = [part.el("DataObject", f"{part.name('noun').capitalize()} record")
            for _ in range(k(ARCHIMETAL_ELEMENTS["DataObject"]))]
    for func in funcs:
        for obj in rng.sample(data, rng.randint(1, 2)):
            part.rel("access", func, obj)
    for comp in comps:
        if rng.random() < 0.1:
            part.rel("access", comp, rng.choice(data))
    realized = used_objects or objects
    for obj in rng.sample(data, min(len(data), k(15))):
        part.rel("realization", obj, rng.choice(realized))

    # Who serves the process trees (nothing in a manual domain).
    chosen = rng.sample(range(PLATFORMS), PLATFORMS_PER_DOMAIN)
    shared = [s for i in chosen for s in platforms.by_type["ApplicationService"][2 * i:2 * i + 2]]
    kinds = {**platforms.kind, **part.kind}
    if not manual:
        for iface in interfaces:
            if rng.random() < 0.5:
                part.rel("assignment", iface, rng.choice(services))
            else:
                part.rel("serving", iface, rng.choice(sub_bp))
        for bp in sub_bp + [b for b in top_bp if rng.random() < 0.3]:
            if rng.random() >= 0.8:
                continue   # about one sub-process in five has no application support
            for _ in range(1 if rng.random() < 0.7 else 2):
                roll = rng.random()
                server = rng.choice(services) if roll < 0.75 else \
                    rng.choice(comps) if roll < 0.85 else rng.choice(shared)
                part.rel("serving", server, bp, kinds)
        for bf in top_bf + sub_bf:
            if rng.random() < 0.8:
                if rng.random() < 0.75:
                    part.rel("serving", rng.choice(funcs), bf)
                else:
                    part.rel("realization", rng.choice(comps), bf)

    # Technology: node -assignment-> system software -realization-> technology
    # service -serving-> application components.
    nodes = [part.el("Node", f"{theme.split()[0]} server {i + 1}")
             for i in range(k(ARCHIMETAL_ELEMENTS["Node"]))]
    for i in range(k(ARCHIMETAL_ELEMENTS["SystemSoftware"])):
        sw = part.el("SystemSoftware", rng.choice(["Database", "Application server",
                                                   "Message broker", "Container runtime"]))
        part.rel("assignment", rng.choice(nodes), sw)
        ts = part.el("TechnologyService", f"{part.elements[-1][2]} hosting")
        part.rel("realization", sw, ts)
        for comp in rng.sample(comps, min(len(comps), rng.randint(2, 4))):
            part.rel("serving", ts, comp)

    # The rest of ArchiMetal's element types, then its relationships up to its
    # counts per signature (business processes and functions outside the trees only,
    # so that the noise never adds support to an aligned process).
    for kind, count in ARCHIMETAL_ELEMENTS.items():
        for _ in range(k(count) - len(part.by_type[kind])):
            part.el(kind, "" if kind == "Junction" else
                    f"{part.name('noun').capitalize()} {kind[0].lower()}{kind[1:]}")
    for _ in range(k(5)):  # loose processes and functions take part in the noise
        part.el("BusinessProcess", part.process_name())
        part.el("BusinessFunction", f"{part.name('noun').capitalize()} handling")
    # Per relationship type, the noise fills what the chains left of ArchiMetal's
    # count of that type, shared out over its signatures in ArchiMetal's proportions.
    pools = {kind: [e for e in ids if e not in tree] for kind, ids in part.by_type.items()}
    wanted: dict[tuple[str, str, str], int] = {}
    for count, sig in ARCHIMETAL_RELATIONSHIPS:
        if pools.get(sig[0]) and pools.get(sig[2]):
            wanted[sig] = max(0, k(count) - part.signatures[sig])
    for prop in {sig[1]: None for sig in wanted}:
        have = sum(n for sig, n in part.signatures.items() if sig[1] == prop)
        room = sum(k(c) for c, sig in ARCHIMETAL_RELATIONSHIPS if sig[1] == prop) - have
        asked = sum(n for sig, n in wanted.items() if sig[1] == prop)
        if asked > max(room, 0):
            for sig in [sig for sig in wanted if sig[1] == prop]:
                wanted[sig] = round(wanted[sig] * max(room, 0) / asked)
    for (src_kind, prop, tgt_kind), need in wanted.items():
        sources, targets = pools[src_kind], pools[tgt_kind]
        for _ in range(need):
            for _attempt in range(5):
                extra = {}
                if prop == "flow" and rng.random() < 0.5:
                    extra["name"] = part.name("noun").capitalize()
                if prop == "influence" and rng.random() < 0.5:
                    extra["modifier"] = rng.choice(["+", "++", "-"])
                if part.rel(prop, rng.choice(sources), rng.choice(targets), **extra):
                    break
    _views(part, k(ARCHIMETAL_VIEWS), top_bp)
    return part


def _views(part: _Part, count: int, seeds: list[str]) -> None:
    """Views as modellers draw them: a connected neighbourhood of a few to ~20
    elements and the relationships among them."""
    rng = part.rng
    around: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rid, _, src, tgt, _ in part.rels:
        around[src].append((rid, tgt))
        around[tgt].append((rid, src))
    ids = [e for e, _, _ in part.elements]
    names = {e: label for e, _, label in part.elements}
    words = ["overview", "landscape", "detail", "support", "information"]
    for n in range(count):
        seed = seeds[n] if n < len(seeds) else rng.choice(ids)
        size = rng.randint(6, 22)
        members, frontier = {seed: None}, [seed]
        while frontier and len(members) < size:
            node = frontier.pop(0)
            for _, other in around[node]:
                if other not in members and len(members) < size:
                    members[other] = None
                    frontier.append(other)
        refs = dict(members)
        for node in members:
            for rid, other in around[node]:
                if other in members:
                    refs[rid] = None
        viewpoint = rng.choice(VIEWPOINTS) if rng.random() < 0.2 else None
        name = names[seed] if n < len(seeds) else \
            f"{part.title.split(' (')[0]} {rng.choice(words)} {n + 1}"
        part.views.append((f"id-{part.key}-v{n + 1}", name, viewpoint, list(refs)))


def _emit(part: _Part, out) -> int:
    """Write ``part`` as `import-archimate` would; return the number of triples."""
    model = f"<{EA_BASE}{MODEL_ID}>"
    has_concept, ident, name = f"<{ARCHI}hasConcept>", f"<{ARCHI}identifier>", f"<{ARCHI}name>"
    lines = []
    add = lines.append
    folders: dict[int, list[str]] = defaultdict(list)
    kinds = {}
    for eid, kind, label in part.elements:
        node = f"<{EA_BASE}{eid}>"
        kinds[eid] = kind
        if kind == "Junction":
            add(f"{node} <{RDF_TYPE}> <{ARCHI}Junction> .")
            add(f'{node} <{ARCHI}junctionType> "and" .')
        else:
            add(f"{node} <{RDF_TYPE}> <{ARCHI}{kind}> .")
        add(f"{model} {has_concept} {node} .")
        add(f"{node} {ident} {_plain(eid)} .")
        add(f"{node} {name} {_lit(label, 'en')} .")
        if eid in part.docs:
            add(f"{node} <{ARCHI}documentation> {_lit(part.docs[eid], 'en')} .")
        folders[FOLDER_OF[kind]].append(node)
    for eid, target in part.aligned:
        add(f"<{EA_BASE}{eid}> <{ETOM}classifiedUnder> <{PROCESS}{target.replace('.', '-')}> .")
    for rid, prop, src, tgt, extra in part.rels:
        node, s, o, p = f"<{EA_BASE}{rid}>", f"<{EA_BASE}{src}>", f"<{EA_BASE}{tgt}>", \
            f"<{ARCHI}{prop}>"
        add(f"{s} {p} {o} .")
        add(f"{node} <{RDF_TYPE}> <{ARCHI}Relationship> .")
        add(f"{node} <{RDF_TYPE}> <{RDF}Statement> .")
        add(f"{node} <{RDF}subject> {s} .")
        add(f"{node} <{RDF}predicate> {p} .")
        add(f"{node} <{RDF}object> {o} .")
        add(f"{model} {has_concept} {node} .")
        add(f"{node} {ident} {_plain(rid)} .")
        if "accessType" in extra:
            add(f"{node} <{ARCHI}accessType> {_plain(extra['accessType'])} .")
        if "modifier" in extra:
            add(f"{node} <{ARCHI}influenceModifier> {_plain(extra['modifier'])} .")
        if "isDirected" in extra:
            add(f'{node} <{ARCHI}isDirected> "{str(extra["isDirected"]).lower()}"'
                f"^^<{XSD_BOOLEAN}> .")
        if "name" in extra:
            add(f"{node} {name} {_lit(extra['name'], 'en')} .")
        folders[FOLDER_OF["Relationship"]].append(node)
    for vid, label, viewpoint, refs in part.views:
        node = f"<{EA_BASE}{vid}>"
        add(f"{node} <{RDF_TYPE}> <{ARCHI}ArchiMateView> .")
        add(f"{model} {has_concept} {node} .")
        add(f"{node} {ident} {_plain(vid)} .")
        if viewpoint:
            add(f"{node} <{EA_TERMS}viewpoint> {_plain(viewpoint)} .")
        add(f"{node} {name} {_lit(label, 'en')} .")
        for ref in refs:
            add(f"{node} <{DCTERMS}references> <{EA_BASE}{ref}> .")
        folders[FOLDER_OF["ArchiMateView"]].append(node)
    # One sub-folder per part in each top-level folder (organization/<top>-<part>).
    for top, items in sorted(folders.items()):
        folder = f"<{EA_BASE}organization/{top}-{part.index}>"
        add(f"<{EA_BASE}organization/{top}> <{DCTERMS}hasPart> {folder} .")
        add(f"{folder} <{RDF_TYPE}> <{EA_TERMS}Folder> .")
        add(f"{folder} <{RDFS_LABEL}> {_lit(part.title, 'en')} .")
        for item in items:
            add(f"{folder} <{DCTERMS}hasPart> {item} .")
    out.write("\n".join(lines) + "\n")
    return len(lines)


def _model_header(out) -> int:
    model = f"<{EA_BASE}{MODEL_ID}>"
    lines = [f"{model} <{RDF_TYPE}> <{ARCHI}Model> .",
             f"{model} <{ARCHI}identifier> {_plain(MODEL_ID)} .",
             f"{model} <{ARCHI}name> "
             f"{_lit('Operator enterprise architecture (synthetic)', 'en')} .",
             f"{model} <{ARCHI}documentation> "
             f"{_lit('Synthetic benchmark model generated by etom-kg bench/generate.py.', 'en')} ."]
    for top, (label, _) in enumerate(LAYERS, start=1):
        folder = f"<{EA_BASE}organization/{top}>"
        lines += [f"{model} <{DCTERMS}hasPart> {folder} .",
                  f"{folder} <{RDF_TYPE}> <{EA_TERMS}Folder> .",
                  f"{folder} <{RDFS_LABEL}> {_lit(label, 'en')} ."]
    out.write("\n".join(lines) + "\n")
    return len(lines)


def ea(n: int, seed: int = 2) -> Path:
    """A realistic ArchiMate model of about ``n`` triples, as import-archimate
    writes one, with the operator's eTOM alignment (``ea-v2-N.nt``)."""
    path = DATA / f"ea-v2-{n}.nt"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            platforms = _platforms(random.Random(seed))
            total = _model_header(out) + _emit(platforms, out)
            d, last = 0, 0
            # Whole domains, stopping at the one that gets closest to n.
            while d == 0 or total + last / 2 < n:
                last = _emit(_domain(d, platforms, seed), out)
                total += last
                d += 1
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def ea_dense(n: int, seed: int = 2) -> Path:
    """The stress case: N-Triples of about ``n`` triples in which *every* business
    process is aligned to a CRM element and served by its own application."""
    rng = random.Random(seed)
    path = DATA / f"ea-dense-{n}.nt"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    per = 12   # triples per (process, application, data object) unit below
    units = max(1, n // per)
    lines = []
    for i in range(units):
        proc, app, obj, rel = (f"<{EA}process/{i}>", f"<{EA}application/{i}>",
                               f"<{EA}data/{i}>", f"<{EA}relation/{i}>")
        target = CRM[rng.randrange(len(CRM))]
        lines += [
            f"{proc} <{RDF_TYPE}> <{ARCHI}BusinessProcess> .",
            f'{proc} <{ARCHI}name> "Business process {i}"@en .',
            f"{proc} <{ETOM}classifiedUnder> <{PROCESS}{target.replace('.', '-')}> .",
            f"{app} <{RDF_TYPE}> <{ARCHI}ApplicationComponent> .",
            f'{app} <{ARCHI}name> "Application {i}"@en .',
            f"{obj} <{RDF_TYPE}> <{ARCHI}DataObject> .",
            f'{obj} <{ARCHI}name> "Data object {i}"@en .',
            f"{rel} <{RDF_TYPE}> <{ARCHI}ServingRelationship> .",
            f"{rel} <{ARCHI}source> {app} .",
            f"{rel} <{ARCHI}target> {proc} .",
            f"{app} <{ARCHI}serving> {proc} .",
            f"{app} <{ARCHI}access> {obj} .",
        ]
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    kind, size = sys.argv[1], int(float(sys.argv[2]))
    print({"extension": extension, "ea": ea, "ea-dense": ea_dense}[kind](size))
