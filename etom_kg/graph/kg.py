"""KnowledgeGraph: the shipped ontology plus the user's sources, as named graphs.

The engine is an in-memory pyoxigraph store (fast to load and query);
``kg.graph`` is an rdflib Dataset over the *same* store (via oxrdflib), so
every rdflib feature keeps working without a copy.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from . import queries as _queries
from ..core.errors import EtomKgError, InputError, UsageError
from ..core.namespaces import GRAPH, PREFIXES, SHIPPED_PREFIX
from ..io import guard, limits
from ..io.reading import load_file
from .shipped import load_shipped, shipped_digest, shipped_quads
from .results import Rows, rows_from_solutions

# Strings, IRIs and comments are blanked out so that SERVICE is only seen as a keyword.
_SERVICE = re.compile(r"\bSERVICE\b", re.I)

_PARSED_BEFORE: set[tuple] = set()  # (links, levels) already loaded in this process
_STORE_META = ox.NamedNode(GRAPH + "store")
_DIGEST = ox.NamedNode(GRAPH + "store#shippedDigest")


class KnowledgeGraph:
    """The shipped graph and any added sources, each in its own named graph."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()
        self._rdflib = None

    # -- building -------------------------------------------------------------
    @classmethod
    def shipped(cls, *, links: bool = True, levels: int = 3) -> "KnowledgeGraph":
        """The shipped graph; ``links=False`` leaves out the TM Forum link layer,
        ``levels=2`` the informative level-3 module."""
        kg = cls()
        if (links, levels) in _PARSED_BEFORE:  # later graphs: copy the parsed quads
            kg.store.bulk_extend(shipped_quads(core_only=not links, levels=levels))
        else:                         # the first: Oxigraph parses straight into the store
            load_shipped(kg.store, links=links, levels=levels)  # (half the time; what a
            _PARSED_BEFORE.add((links, levels))                 # cold `show` waits for)
        return kg

    @classmethod
    def persistent(cls, directory, *, links: bool = True, levels: int = 3) -> "KnowledgeGraph":
        """A graph kept on disk in ``directory`` (created if needed): load once, query often.

        The shipped graphs are (re)loaded only when the store lacks them or they
        changed since (a digest of the shipped files is kept in the store).
        """
        try:
            store = ox.Store(str(directory))
            kg = cls(store)
            kg.on_disk = True  # RocksDB reclaims removed data itself
            digest = ox.Literal(shipped_digest(links, levels))
            if next(store.quads_for_pattern(_STORE_META, _DIGEST, digest, _STORE_META),
                    None) is None:
                for graph in kg.shipped_graph_names():
                    store.remove_graph(ox.NamedNode(graph))
                store.bulk_extend(shipped_quads(core_only=not links, levels=levels))
                store.remove_graph(_STORE_META)
                store.add(ox.Quad(_STORE_META, _DIGEST, digest, _STORE_META))
                store.flush()
        except (OSError, RuntimeError) as exc:  # RocksDB: I/O errors, disk full, corruption
            raise guard.store_error(exc, directory) from None
        return kg

    def add(self, path, name: str | None = None, format: str | None = None, *,
            replace: bool = False) -> str:
        """Parse a file into a named graph (default name: the file's URI); return the name.

        An existing graph of that name is an error, or is replaced when ``replace``
        (the new file is parsed completely before the old graph goes).
        """
        path = Path(path)
        if format is None and _is_ea_model(path):  # aligned with etom-kg, as `merge` does
            from ..ea.merge import default_name

            name = name or default_name(path)
            if replace and ox.NamedNode(name) in set(self.store.named_graphs()):
                self.remove(name)
            return self.merge(path, name).name
        graph = ox.NamedNode(name or path.resolve().as_uri())
        if graph in set(self.store.named_graphs()):
            if not replace:
                raise UsageError(f"a graph named {graph.value} is already loaded")
            scratch = ox.Store()
            load_file(scratch, path, graph, format)
            before = len(self.store)
            self.store.remove_graph(graph)
            guard.compact(self, before - len(self.store))
            self.store.bulk_extend(scratch)
        else:
            load_file(self.store, path, graph, format)
        return graph.value

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def shipped_graph_names(self) -> list[str]:
        return [g for g in self.graph_names() if g.startswith(SHIPPED_PREFIX)]

    def __len__(self) -> int:
        return len(self.store)

    # -- rdflib view ----------------------------------------------------------
    @property
    def graph(self):
        """An rdflib ``Dataset`` over the same store (default graph = union)."""
        if self._rdflib is None:
            import rdflib
            from oxrdflib import OxigraphStore

            dataset = rdflib.Dataset(store=OxigraphStore(store=self.store), default_union=True)
            for prefix, iri in PREFIXES.items():
                dataset.bind(prefix, iri, override=True)
            self._rdflib = dataset
        return self._rdflib

    # -- asking -----------------------------------------------------------------
    def sparql(self, text: str, bindings: dict | None = None, *, graphs=None,
               timeout: float | None = None, limit: int | None = None):
        """Run a read-only SPARQL query over the union of all graphs.

        SELECT gives :class:`Rows`, ASK a bool, CONSTRUCT/DESCRIBE a list of triples.
        ``bindings`` maps variable names to pyoxigraph terms (bound with VALUES).
        UPDATE is refused: the store is only ever queried, never updated, here.
        ``timeout`` (seconds) and ``limit`` (rows or triples) stop a runaway query
        with :class:`~etom_kg.io.guard.ResourceLimit`; defaults in :mod:`etom_kg.io.limits`.
        """
        if _SERVICE.search(_queries.masked(text)):
            # pyoxigraph would fetch the remote endpoint: no network unless asked for.
            raise UsageError("SPARQL SERVICE is not allowed: etom-kg never reaches the "
                             "network from a query")
        depth = limits.check_query_nesting(text)  # the engine's parser recurses: SIGSEGV
        text = _queries.bind(text, bindings or {})
        kwargs = {"use_default_graph_as_union": True}
        if graphs is not None:
            kwargs = {"default_graph": [ox.NamedNode(g) for g in graphs]}
        limit = limits.MAX_ROWS if limit is None else limit
        if depth > limits.SHALLOW_QUERY:  # parsed on a worker's stack, whatever the caller's
            return guard.run(self._evaluate, text, kwargs, limit, timeout=timeout,
                             what="the query")
        return guard.call(self._evaluate, text, kwargs, limit, timeout=timeout, what="the query")

    def _evaluate(self, text: str, kwargs: dict, limit: int | None):
        try:
            result = self.store.query(text, prefixes=PREFIXES, **kwargs)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error (queries are read-only): "
                             f"{str(exc).splitlines()[0]}") from None
        if isinstance(result, ox.QuerySolutions):
            return rows_from_solutions(_Bounded(result, limit))
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(guard.bounded(result, limit))

    def query(self, name: str, **params) -> Rows:
        """Run the named query ``name`` with its parameters bound safely.

        The embedded engine runs the query's :attr:`~etom_kg.graph.queries.NamedQuery.embedded_text`:
        the same answers as the ``.rq`` text, in the form Oxigraph evaluates fastest.
        """
        named = _queries.get(name)
        return self.sparql(named.embedded_text, named.bindings(params))

    def process(self, process_id: str):
        """The process with this ID, as a :class:`etom_kg.graph.model.Process`."""
        from .model import get_process

        return get_process(self, process_id)

    # -- delegated jobs (each lives in its own module) ----------------------------
    def validate(self, data, *, timeout: float | None = None, **kwargs):
        from ..validation.api import validate

        return guard.call(validate, data, timeout=timeout, what="validation", **kwargs)

    def classify(self, data, *, timeout: float | None = None, **kwargs):
        from ..reason.classify import classify

        return guard.call(classify, self, data, timeout=timeout, what="classification",
                          **kwargs)

    def merge(self, source, name: str | None = None, **kwargs):
        from ..ea.merge import merge

        return merge(self, source, name, **kwargs)

    def map_inventory(self, source, top: int = 3, **kwargs):
        from ..mapping import map_inventory

        return map_inventory(self, source, top, **kwargs)

    def remove(self, name: str) -> None:
        """Drop a named graph that was added or merged, with its alignment and provenance."""
        from ..ea.merge import remove

        before = len(self.store)
        remove(self, name)  # UsageError if there is no such graph
        guard.compact(self, before - len(self.store))


class _Bounded:
    """Query solutions that stop at the row limit and when the caller stops waiting."""

    def __init__(self, solutions, limit):
        self.variables = solutions.variables
        self._rows = guard.bounded(solutions, limit)

    def __iter__(self):
        return self._rows


def _is_ea_model(path: Path) -> bool:
    from ..io.archimate import is_archimate

    suffix = path.suffix.lower()
    return suffix == ".archimate" or suffix == ".xml" and is_archimate(path)


def load(extra=(), *, endpoint: str | None = None, links: bool = True,
         store=None, levels: int = 3) -> KnowledgeGraph:
    """The shipped knowledge graph (parsed once per process), plus ``extra`` files.

    Each call returns an independent graph: adding to one never changes another.
    ``links=False`` loads only the standard (TBox, frame, CRM), without the TM Forum
    application/data link layer: a quarter of the triples, for quick look-ups.
    ``levels=2`` leaves out the informative level-3 module (elements below level 2
    from public TM Forum sources, and their crosswalk); level 2 is the same either way.
    ``store=DIR`` keeps the graph on disk (see :meth:`KnowledgeGraph.persistent`);
    ``extra`` files then replace the graphs of the same name loaded before.
    """
    if endpoint is not None:
        from .remote import RemoteKnowledgeGraph

        return RemoteKnowledgeGraph(endpoint)
    if store is not None:
        kg = KnowledgeGraph.persistent(store, links=links, levels=levels)
    else:
        kg = KnowledgeGraph.shipped(links=links, levels=levels)
    if isinstance(extra, (str, Path)):
        extra = [extra]
    for path in extra:
        kg.add(path, replace=store is not None)
    return kg


__all__ = ["KnowledgeGraph", "load", "EtomKgError"]
