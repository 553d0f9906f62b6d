"""KnowledgeGraph: the shipped ontology plus the user's sources, as named graphs.

The engine is an in-memory pyoxigraph store (fast to load and query);
``kg.graph`` is an rdflib Dataset over the *same* store (via oxrdflib), so
every rdflib feature keeps working without a copy.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from . import queries as _queries
from ..core.errors import EtomKgError, InputError, UsageError
from ..core.namespaces import (PREFIXES, PROVENANCE_GRAPH, SHIPPED_PREFIX, STANDARD_NAMESPACES,
                               merge_record_graph, reserved_graph)
from ..io.reading import load_file, rdf_format
from ..io import guard, limits
from .derive import prepare
from .guard import check_query
from .model import require_processes
from .shipped import load_shipped, shipped_quads
from .results import Rows, rows_from_solutions

_PARSED_BEFORE: set[tuple] = set()  # (links, levels) already loaded in this process


class KnowledgeGraph:
    """The shipped graph and any added sources, each in its own named graph."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()
        self._rdflib = None
        self._disk = None   # the store folder's bookkeeping (see graph.store), if on disk

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

        The shipped graphs are (re)loaded whenever their content differs from the
        package's; a folder that is neither empty nor an etom-kg store is refused
        (see :mod:`etom_kg.graph.store`).
        """
        from .store import DiskStore

        try:
            disk = DiskStore.open(directory, links=links, levels=levels)
        except (OSError, RuntimeError) as exc:  # RocksDB: I/O errors, disk full, corruption
            raise guard.store_error(exc, directory) from None
        kg = cls(disk.store)
        kg._disk = disk
        return kg

    def add(self, path, name: str | None = None, format: str | None = None, *,
            replace: bool = False) -> str:
        """Parse a file into a named graph (default name: the file's URI); return the name.

        A dataset file (TriG, N-Quads) keeps its named graphs. An existing graph of
        one of those names is an error, or is replaced when ``replace`` (the new file
        is parsed completely before the old graphs go; in an on-disk store, exactly
        the graphs the file held last time go). etom-kg's own graph names (the
        shipped standard, provenance, alignment) are refused: a file never speaks
        for the standard. An enterprise-architecture model is merged, as ``merge`` does.
        Then what the IDs say is made explicit (see :mod:`etom_kg.graph.derive`).
        """
        added = self._add(Path(path), name, format, replace)
        prepare(self.store)  # plain-string IDs typed; levels, components, verticals derived
        return added

    def _add(self, path: Path, name, format, replace: bool) -> str:
        if format is None and _is_ea_model(path):  # aligned with etom-kg, as `merge` does
            from ..ea.merge import default_name

            name = name or default_name(path)
            if replace and ox.NamedNode(name) in set(self.store.named_graphs()):
                self.remove(name)
            return self.merge(path, name).name
        try:
            graph = ox.NamedNode(name or path.resolve().as_uri())
        except ValueError:
            raise UsageError(f"graph name {name!r} is not an IRI") from None
        if reserved_graph(graph.value):
            raise UsageError(f"graph name {graph.value} is etom-kg's own; choose another")
        existing = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        if self._disk is None and not rdf_format(path, format).supports_datasets:
            if graph.value in existing:   # one graph: parse straight into the store
                if not replace:
                    raise UsageError(f"a graph named {graph.value} is already loaded")
            else:
                load_file(self.store, path, graph, format)
                return graph.value
        scratch = ox.Store()
        load_file(scratch, path, graph, format)
        names = sorted(g.value for g in scratch.named_graphs())
        forged = [g for g in names if reserved_graph(g) and not _user_records(scratch, g)]
        if forged:
            raise InputError(f"holds the graph {forged[0]}, a name etom-kg keeps for its "
                             "own graphs (the shipped standard, provenance, alignment); "
                             "rename that graph in the file (a merge written with "
                             "`merge --sources-only -o` loads as it is)", path=path)
        if self._disk is not None:
            self._disk.replace_source(graph.value, scratch, path, replace)
            return graph.value
        # Provenance records of several merged files accumulate in one graph.
        taken = [g for g in names + [graph.value] if g in existing and g != PROVENANCE_GRAPH]
        if taken and not replace:
            raise UsageError(f"a graph named {taken[0]} is already loaded")
        before = len(self.store)
        for name_ in taken:
            self.store.remove_graph(ox.NamedNode(name_))
        guard.compact(self, before - len(self.store))
        self.store.bulk_extend(scratch)
        return graph.value

    def graph_names(self) -> list[str]:
        """The names of all named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs())

    def shipped_graph_names(self) -> list[str]:
        """The names of the graphs of the shipped files (…/graph/etom-kg/…)."""
        return [g for g in self.graph_names() if g.startswith(SHIPPED_PREFIX)]

    def __len__(self) -> int:
        return len(self.store)

    # -- rdflib view ----------------------------------------------------------
    @property
    def graph(self):
        """An rdflib ``Dataset`` over the same store (default graph = union)."""
        if self._rdflib is None:
            import rdflib

            from .guard import guarded_rdflib_store

            # Queries and updates through rdflib are checked too (no SERVICE, no LOAD).
            dataset = rdflib.Dataset(store=guarded_rdflib_store(self.store), default_union=True)
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
        SERVICE is refused (etom-kg never reaches the network from a query); a
        dataset clause (FROM, FROM NAMED) is honoured as SPARQL 1.1 defines it.
        ``timeout`` (seconds) and ``limit`` (rows or triples) stop a runaway query
        with :class:`~etom_kg.io.guard.ResourceLimit`; defaults in :mod:`etom_kg.io.limits`.
        """
        shape = check_query(text)   # decided on the parsed query (see graph.guard)
        depth = limits.check_query_nesting(text)  # the engine's parser recurses: SIGSEGV
        if shape.dataset and graphs is not None:
            raise UsageError("the query's FROM clause and graphs= both choose the dataset; "
                             "use one of them")
        limit = limits.MAX_ROWS if limit is None else limit
        if depth > limits.SHALLOW_QUERY:  # parsed on a worker's stack, whatever the caller's
            return guard.run(self._run, text, bindings, graphs=graphs, dataset=shape.dataset,
                             limit=limit, timeout=timeout, what="the query")
        return guard.call(self._run, text, bindings, graphs=graphs, dataset=shape.dataset,
                          limit=limit, timeout=timeout, what="the query")

    def _run(self, text: str, bindings, *, graphs=None, dataset: bool = False,
             limit: int | None = None):
        text = _queries.bind(text, bindings or {})
        kwargs = {"use_default_graph_as_union": True}
        if graphs is not None:
            kwargs = {"default_graph": [ox.NamedNode(g) for g in graphs]}
        elif dataset:
            kwargs = {}   # Oxigraph builds the dataset from the query's FROM clauses
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
        named = _queries.get(name)   # shipped text: no user SPARQL to check
        bindings = named.bindings(params)
        require_processes(self, named, bindings)  # "1.1.1.99", "foo": an error, not no rows
        return self._run(named.embedded_text, bindings)

    def process(self, process_id: str):
        """The process with this ID, as a :class:`etom_kg.graph.model.Process`."""
        from .model import get_process

        return get_process(self, process_id)

    # -- delegated jobs (each lives in its own module) ----------------------------
    def validate(self, data, *, timeout: float | None = None, **kwargs):
        """Validate ``data`` with the shipped shapes (see :func:`etom_kg.validate`)."""
        from ..validation.api import validate

        return guard.call(validate, data, timeout=timeout, what="validation", **kwargs)

    def classify(self, data, *, engine: str = "sparql", timeout: float | None = None):
        """Classify the real processes of ``data`` under this graph's elements (clause 7.2);
        see :func:`etom_kg.reason.classify.classify`."""
        from ..reason.classify import classify

        return guard.call(classify, self, data, timeout=timeout, what="classification",
                          engine=engine)

    def merge(self, source, name: str | None = None, **kwargs):
        """Add an RDF file or ArchiMate model as a named graph with provenance and
        alignment (see :func:`etom_kg.ea.merge.merge`)."""
        from ..ea.merge import merge

        result = merge(self, source, name, **kwargs)
        prepare(self.store)
        return result

    def map_inventory(self, source, top: int = 3, **kwargs):
        """Suggest CRM elements for an inventory's rows (see :func:`etom_kg.mapping.map_inventory`)."""
        from ..mapping import map_inventory

        return map_inventory(self, source, top, **kwargs)

    def remove(self, name: str) -> None:
        """Drop a named graph that was added or merged, with its alignment and provenance."""
        from ..ea.merge import remove

        before = len(self.store)
        remove(self, name)  # UsageError if there is no such graph
        prepare(self.store)
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


def _user_records(store: ox.Store, graph: str) -> bool:
    """A provenance or alignment graph (as ``merge -o`` writes) that says nothing about
    the standard's own resources: it may come back from a file."""
    if not merge_record_graph(graph):
        return False
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(
                STANDARD_NAMESPACES):
            return False
    return True
