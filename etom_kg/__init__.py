"""etom-kg: eTOM CRM (ГОСТ Р 53633.3-2009) as an OWL 2 + SKOS knowledge graph.

Files → KnowledgeGraph → query / validate / classify / merge → results::

    import etom_kg

    kg = etom_kg.load(["my-extension.ttl"])      # the standard plus your files
    kg.process("1.1.1.5").label("ru")            # 'Обработка заказов'
    kg.query("children", process="1.1.1")        # a named query (etom-kg queries)
    report = etom_kg.validate("my-extension.ttl")
    print(report)                                # the human report; report.conforms

Every error etom-kg raises on purpose is an :class:`EtomKgError` (importable
from here, as are its subclasses); the CLI turns it into one line and exit 2.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~9 ms)

from .core.errors import EtomKgError, InputError, InvalidProcessId, UnknownProcess, UsageError

if TYPE_CHECKING:  # imported lazily at run time: `import etom_kg` stays fast
    from os import PathLike

    from .graph.kg import KnowledgeGraph
    from .mapping import InventoryMapping
    from .validation.api import Report

__all__ = [
    "EtomKgError",
    "InputError",
    "InvalidProcessId",
    "UnknownProcess",
    "UsageError",
    "ReasonerUnavailable",
    "InconsistentOntology",
    "KnowledgeGraph",
    "load",
    "map_inventory",
    "validate",
    "__version__",
]

# Names loaded on first use (module __getattr__), each from the module that defines it.
_LAZY = {
    "KnowledgeGraph": ".graph.kg",
    "ReasonerUnavailable": ".reason.classify",
    "InconsistentOntology": ".reason.classify",
}


def load(extra: str | PathLike | list[str | PathLike] = (), *, endpoint: str | None = None,
         links: bool = True, store: str | PathLike | None = None,
         levels: int = 3) -> KnowledgeGraph:
    """The knowledge graph: the shipped standard plus your ``extra`` RDF files.

    ``extra``: one path or a list of paths (any RDF syntax), each added as a named
    graph; an extension's plain-string IDs are read as IDs and its levels, ID
    components and inherited verticals derived (see :mod:`etom_kg.graph.derive`).
    ``endpoint``: query this SPARQL 1.1 endpoint instead (nothing is loaded).
    ``links=False``: the standard only, without the TM Forum link layer (faster).
    ``levels=2``: without the informative level-3 module (level 2 is the same).
    ``store``: keep the graph on disk in this folder (load once, query often).

    Raises :class:`InputError` for a file that cannot be read (one line, naming it).
    """
    from .graph.kg import load as _load

    return _load(extra, endpoint=endpoint, links=links, store=store, levels=levels)


def validate(data, *, shapes=None, context: bool = True, derive: bool = True,
             engine: str = "fast", shipped_shapes: bool | None = None,
             timeout: float | None = None) -> Report:
    """Check ``data`` against the shipped SHACL shapes; return the :class:`Report`.

    ``data``: a path or a list of paths, an rdflib ``Graph``, or RDF text (Turtle,
    N-Triples, JSON-LD or RDF/XML; told apart from a path by its content).
    ``shapes``: your own shapes (files or an rdflib graph; ``shipped_shapes=True`` checks
    the shipped ones as well, see :func:`etom_kg.validation.api.validate`). ``context``: use the shipped
    graph to resolve parents such as 1.1.1.5 (results are only about ``data``).
    ``derive``: complete ``skos:broader``/``skos:narrower`` with their inverses first.
    ``engine``: ``"fast"`` (shapes compiled to SPARQL) or ``"pyshacl"``; same results.
    ``timeout`` (seconds): raise :class:`etom_kg.io.guard.Timeout` when exceeded.

    ``str(report)`` is the human report; ``report.conforms`` is SHACL's (no results at
    all), ``report.conforms_at("violation")`` the CLI's default pass/fail.
    """
    from .io import guard
    from .validation.api import validate as _validate

    return guard.call(_validate, _rdf_text_as_graph(data), timeout=timeout, what="validation",
                      shapes=shapes, context=context, derive=derive, engine=engine,
                      shipped_shapes=shipped_shapes)


def _rdf_text_as_graph(data):
    """RDF given as text becomes an rdflib Graph; paths and graphs pass unchanged."""
    if not isinstance(data, str) or ("\n" not in data and not data.lstrip().startswith(
            ("@prefix", "PREFIX", "@base", "BASE", "<", "{", "["))):
        return data
    import rdflib

    text = data.lstrip()
    fmt = ("json-ld" if text.startswith(("{", "[")) else
           "xml" if text.startswith(("<?xml", "<rdf:RDF")) else "turtle")
    try:
        return rdflib.Graph().parse(data=data, format=fmt)
    except Exception as exc:  # the parsers raise many types; the user needs one line
        raise InputError(f"cannot parse the RDF text as {fmt}: "
                         f"{' '.join(str(exc).split())[:200]}", path="<text>") from None


def map_inventory(source, top: int = 3, *, extra: str | PathLike | list[str | PathLike] = (),
                  name_column: str | int | None = None, description_column: str | int | None = None,
                  delimiter: str | None = None, encoding: str | None = None,
                  sheet: str | None = None, semantic: bool = False) -> InventoryMapping:
    """Suggest CRM elements for each row of an operator's process inventory, best first.

    ``source``: a CSV or XLSX path, or rows (strings, ``(name, description)`` pairs or
    dicts with ``name``/``description``); blank rows are skipped, numbering kept.
    ``top``: suggestions per row, each with a score in [0, 1], a confidence band and
    the evidence (which words matched which label, function or definition).
    ``extra``: your RDF files added to the standard, as in :func:`load` (your own
    hidden labels, extension elements below 1.1.1).
    ``name_column``/``description_column``: a header or a 1-based column number
    (default: found by header); ``delimiter``, ``encoding`` (CSV) and ``sheet`` (XLSX)
    override what is detected. ``semantic=True`` blends in a sentence encoder's
    similarity (needs ``etom-kg[semantic]``).

    Raises :class:`InputError` for an unreadable inventory (one line naming the file
    and row) and :class:`UsageError` for ``top`` < 1. ``kg.map_inventory`` does the
    same on a graph you already loaded.
    """
    from .graph.kg import load as _load
    from .mapping import map_inventory as _map

    def column(c):  # the reader takes "3" for the third column
        return None if c is None else str(c)

    return _map(_load(extra), source, top, name_column=column(name_column),
                description_column=column(description_column), delimiter=delimiter,
                encoding=encoding, sheet=sheet, semantic=semantic)


def __getattr__(name: str):
    # importlib.metadata costs ~70 ms: read the version only when asked for.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("etom-kg")
        except PackageNotFoundError:  # a source tree without install
            return "0.0.0"
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'etom_kg' has no attribute {name!r}")
