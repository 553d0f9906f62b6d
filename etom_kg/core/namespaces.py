"""The project's namespaces, defined once (plain strings: no rdflib import here)."""

BASE = "https://w3id.org/etom-kg/"

ETOM = BASE + "ontology#"            # TBox: classes, properties, datatypes
ONTOLOGY = BASE + "ontology"         # the owl:Ontology IRI
PROCESS = BASE + "process/"          # process areas, groupings and elements (P1-1-1-5)
VERTICAL = BASE + "vertical/"        # vertical process groupings
FUNCTION = BASE + "function/"        # functions of functional characteristics
HANDOFF = BASE + "handoff/"          # hand-offs between processes
SCHEME = BASE + "scheme/"            # SKOS concept schemes
SOURCE = BASE + "source/"            # standards, clauses and tables cited as sources
SHAPES = BASE + "shapes#"            # SHACL shapes
GRAPH = BASE + "graph/"              # names of the named graphs etom-kg creates
SHIPPED_PREFIX = GRAPH + "etom-kg/"   # the shipped files, one graph each (…/etom-kg/etom-crm)
SOURCE_PREFIX = GRAPH + "source/"     # a merged source file (…/source/<file stem>)
ALIGNMENT_PREFIX = GRAPH + "alignment/"  # what merge aligned in a source
PROVENANCE_GRAPH = GRAPH + "provenance"  # PROV records of merges and alignments

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ARCHIMATE = "https://purl.org/archimate#"   # ArchiMate 3.2 as OWL (imported EA models)
EA = BASE + "ea#"                           # the few EA terms ArchiMate's OWL lacks
VOID = "http://rdfs.org/ns/void#"

# Prefixes offered to every query (named or the user's own).
PREFIXES = {
    "etom": ETOM,
    "process": PROCESS,
    "vertical": VERTICAL,
    "function": FUNCTION,
    "handoff": HANDOFF,
    "scheme": SCHEME,
    "source": SOURCE,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "dcterms": DCTERMS,
    "prov": PROV,
    "archimate": ARCHIMATE,
    "ea": EA,
    "void": VOID,
}


def process_iri(process_id: str) -> str:
    """IRI of a standard process: dots become dashes, prefixed with ``P``."""
    return PROCESS + "P" + process_id.replace(".", "-")


def slug(text: str) -> str:
    """``text`` reduced to the characters safe in the last segment of a graph IRI."""
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "source"


STORE_PREFIX = GRAPH + "store"        # bookkeeping of an on-disk store (older stores kept it here)
_RESERVED = (SHIPPED_PREFIX, PROVENANCE_GRAPH, ALIGNMENT_PREFIX, STORE_PREFIX)


def reserved_graph(name: str) -> bool:
    """True for the graph names etom-kg writes itself (the shipped standard, provenance,
    alignment, store bookkeeping): user data never goes there.

    Compared after percent-decoding, case-insensitively and for http or https
    alike, so that no spelling of such a name passes for another.
    """
    from urllib.parse import unquote

    def key(iri: str) -> str:
        text = unquote(iri).lower()
        return text.split("://", 1)[-1] if text.startswith(("http://", "https://")) else text

    name = key(name)
    return any(name.startswith(key(prefix)) for prefix in _RESERVED)


# The namespaces of the standard itself: records a user's file brings (provenance,
# alignment) may point at these, but never say anything about them.
STANDARD_NAMESPACES = (ETOM, ONTOLOGY, PROCESS, VERTICAL, FUNCTION, HANDOFF, SCHEME, SOURCE,
                       SHAPES)


def merge_record_graph(name: str) -> bool:
    """True for the provenance and alignment graphs that ``merge -o`` writes beside a
    source: a file may bring them back, as long as they only describe the user's graphs."""
    return name == PROVENANCE_GRAPH or name.startswith(ALIGNMENT_PREFIX)
