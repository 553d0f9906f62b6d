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


# The standard itself (TBox, sources, levels 0-1, CRM level 2, the glossary and
# provisions of its clauses 3, 4 and 6), the informative level-3 module and the
# sources it cites: all that `show`, `tree` and `term` read. The rest of ontology/
# is the TM Forum link layer.
CORE_FILES = ("etom.ttl", "sources.ttl", "etom-frame.ttl", "etom-crm.ttl", "glossary.ttl",
              "provisions.ttl", "etom-crm-l3.ttl", "frameworx-sources.ttl")
# The informative module below level 2 (public TM Forum sources, not the standard):
# the elements and their crosswalk. ``levels=2`` leaves exactly these out.
LEVEL3_FILES = ("etom-crm-l3.ttl", "crosswalk-l3.ttl")
LEVELS = (2, 3)


def shipped_files(links: bool = True, levels: int = 3) -> list[Path]:
    """The shipped ontology files; ``links=False``: the standard only (CORE_FILES);
    ``levels=2``: without the informative level-3 module (LEVEL3_FILES)."""
    if levels not in LEVELS:
        from ..core.errors import UsageError

        raise UsageError(f"levels must be 2 or 3, not {levels!r}")
    return [p for p in data_files("ontology", "*.ttl")
            if (links or p.name in CORE_FILES) and (levels >= 3 or p.name not in LEVEL3_FILES)]


def load_shipped(store: ox.Store, *, links: bool = True, named: bool = True,
                 levels: int = 3) -> None:
    """Parse the shipped files straight into ``store`` (fresh blank nodes per file):
    each into its own named graph, or all into the default graph (``named=False``)."""
    for path in shipped_files(links, levels):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri(),
                   to_graph=shipped_graph_name(path) if named else ox.DefaultGraph())


@lru_cache(maxsize=4)
def shipped_quads(core_only: bool = False, levels: int = 3) -> tuple[ox.Quad, ...]:
    """The shipped files parsed once per process, each file in its own named graph."""
    quads = []
    for path in shipped_files(links=not core_only, levels=levels):
        graph = shipped_graph_name(path)
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, graph)
                     for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                       base_iri=path.as_uri(), rename_blank_nodes=True))
    return tuple(quads)


def shipped_digest(links: bool, levels: int = 3) -> str:
    """A digest of the shipped files: a store holding another digest is out of date."""
    import hashlib

    digest = hashlib.sha256((b"links" if links else b"core") + b"%d" % levels)
    for path in shipped_files(links, levels):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
