"""The shipped ontology files: which they are, their graph names, parsed once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..core.namespaces import SHIPPED_PREFIX
from ..core.resources import data_dir, data_files


def shipped_graph_name(path: Path) -> ox.NamedNode:
    """Named graph of a shipped ontology file, e.g. …/graph/etom-kg/etom-crm."""
    relative = path.relative_to(data_dir("ontology")).with_suffix("")
    return ox.NamedNode(SHIPPED_PREFIX + relative.as_posix())


# The standard itself (TBox, sources, levels 0-1, CRM level 2): all that `show`
# and `tree` read. The rest of ontology/ is the TM Forum link layer.
CORE_FILES = ("etom.ttl", "sources.ttl", "etom-frame.ttl", "etom-crm.ttl")


def shipped_files(links: bool = True) -> list[Path]:
    """The shipped ontology files; ``links=False``: the standard only (CORE_FILES)."""
    return [p for p in data_files("ontology", "*.ttl") if links or p.name in CORE_FILES]


def load_shipped(store: ox.Store, *, links: bool = True, named: bool = True) -> None:
    """Parse the shipped files straight into ``store`` (fresh blank nodes per file):
    each into its own named graph, or all into the default graph (``named=False``)."""
    for path in shipped_files(links):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri(),
                   to_graph=shipped_graph_name(path) if named else ox.DefaultGraph())


@lru_cache(maxsize=2)
def shipped_quads(core_only: bool = False) -> tuple[ox.Quad, ...]:
    """The shipped files parsed once per process, each file in its own named graph."""
    quads = []
    for path in shipped_files(links=not core_only):
        graph = shipped_graph_name(path)
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, graph)
                     for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                       base_iri=path.as_uri(), rename_blank_nodes=True))
    return tuple(quads)


def shipped_digest(links: bool) -> str:
    """A digest of the shipped files: a store holding another digest is out of date."""
    import hashlib

    digest = hashlib.sha256(b"links" if links else b"core")
    for path in shipped_files(links):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
