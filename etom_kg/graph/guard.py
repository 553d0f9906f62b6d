"""What a user's SPARQL text may do, decided on the parsed query, never on its text.

A query reaches the network with ``SERVICE`` (pyoxigraph and rdflib both fetch
the remote endpoint) and an update with ``LOAD``; etom-kg never does either
unless asked for, so both are refused. A dataset clause (``FROM`` /
``FROM NAMED``) is reported so that the engine honours it instead of replacing
it with the union of all graphs.

The decision is taken on rdflib's parse tree of the query (the SPARQL grammar,
``\\uXXXX`` escapes expanded, comments dropped), walked down to nested groups,
sub-queries, ``EXISTS`` filters and update ``WHERE`` clauses. Line ends are
normalised first (a comment ends at CR as at LF, which rdflib's grammar
forgets): every SPARQL token treats both alike, so the token structure is the
one the engine sees. A query rdflib cannot parse (Oxigraph extensions such as
``LATERAL``) falls back to a keyword scan of the query without its strings,
IRIs and comments, which can only err towards refusing.

Before any parser sees a user's text, its nesting is bounded (``io.limits.MAX_QUERY_NESTING``):
pyoxigraph's parser takes seconds on 100 nested parentheses, minutes on 300, and
crashes the process (stack overflow) on some 10 000 nested groups.

Only user texts are checked: the named queries ship with the package (a test
checks them), so the cold path never imports rdflib's parser (~0.3 s).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.errors import UsageError

SERVICE_REFUSED = ("SPARQL SERVICE is not allowed: etom-kg never reaches the network "
                   "from a query")
LOAD_REFUSED = "SPARQL LOAD is not allowed: etom-kg never reaches the network from an update"

# A query can only reach the network or choose its dataset when one of these is in
# its text outside IRIs (or hidden in an \\u escape): the rest is never parsed twice.
# IRIREF is SPARQL's own lexical rule; a span it matches cannot end a keyword's clause.
_MAYBE = re.compile(r"service|from|load|\\u", re.I)
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_nesting(text: str) -> None:
    """Refuse a query nested deeper than ``io.limits.MAX_QUERY_NESTING`` (default 64,
    ``ETOM_KG_MAX_QUERY_NESTING``; strings, IRIs and comments do not count)."""
    from ..io import limits
    from .queries import masked

    MAX_NESTING = limits.MAX_QUERY_NESTING  # noqa: N806 (read per call: it is configurable)

    blank = masked(text.replace("\r\n", "\n").replace("\r", "\n"))
    depth = deepest = 0
    for char in blank:
        if char in "{([":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise UsageError(f"the query nests groups, parentheses or brackets more "
                                     f"than {MAX_NESTING} deep; etom-kg refuses it (the "
                                     "engine would stall or crash on it)")
        elif char in "})]":
            depth = max(depth - 1, 0)


@dataclass(frozen=True)
class QueryShape:
    """What the parsed query holds that matters for running it safely."""

    service: bool = False     # a SERVICE pattern anywhere
    load: bool = False        # a LOAD operation (updates)
    dataset: bool = False     # a FROM / FROM NAMED dataset clause


def _unescape(text: str) -> str:
    def one(match):
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else match.group()
    return _ESCAPE.sub(one, text)


def _walk(node, found: set) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            found.add(name)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))


# A keyword, not part of a variable (?from), prefixed name (ex:service) or blank node.
def _keyword(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w?$:]){word}(?![\w:-])", re.I)


_FALLBACK = {"service": _keyword("SERVICE"), "load": _keyword("LOAD"),
             "dataset": _keyword("FROM")}


@lru_cache(maxsize=256)
def shape(text: str, *, update: bool = False) -> QueryShape:
    """The :class:`QueryShape` of a query (or of an update when ``update``)."""
    if not _MAYBE.search(_IRIREF.sub("<>", text)):
        return QueryShape()
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

        tree = (parseUpdate if update else parseQuery)(normal)
    except Exception:  # noqa: BLE001 - rdflib's grammar is narrower than Oxigraph's
        from .queries import masked

        blank = masked(_unescape(normal))
        return QueryShape(**{key: bool(rx.search(blank)) for key, rx in _FALLBACK.items()})
    found: set[str] = set()
    _walk(tree, found)
    return QueryShape(service="ServiceGraphPattern" in found, load="Load" in found,
                      dataset="DatasetClause" in found)


def check_escapes(text: str) -> None:
    """Refuse a ``\\uXXXX`` escape that stands for a SPARQL delimiter (a quote, ``<``,
    ``#``, a brace, a line break ...).

    SPARQL 1.1 (19.2) expands such escapes before parsing, as rdflib does;
    Oxigraph expands some only inside strings and IRIs. Where they disagree, a
    quote written ``\\u0027`` could hide a SERVICE from one parser and not the
    other, so the guard would not decide on what the engine runs. Letters,
    digits and non-ASCII characters, all that real queries escape, are kept.
    """
    for match in _ESCAPE.finditer(text):
        code = int(match.group(1) or match.group(2), 16)
        if code < 128 and not (chr(code).isalnum() or chr(code) in "_-"):
            raise UsageError(f"the query escapes a delimiter ({match.group()}); write the "
                             "character itself (engines disagree on where such escapes apply)")


def check_query(text: str) -> QueryShape:
    """The shape of a user's query; UsageError when it would reach the network (or
    is nested beyond ``io.limits.MAX_QUERY_NESTING``)."""
    check_escapes(text)
    check_nesting(text)
    found = shape(text)
    if found.service:
        raise UsageError(SERVICE_REFUSED)
    if found.load:   # only an update has LOAD; never send one anywhere as a query
        raise UsageError(LOAD_REFUSED)
    return found


def check_update(text: str) -> QueryShape:
    """As :func:`check_query`, for a SPARQL Update (LOAD refused too)."""
    check_escapes(text)
    check_nesting(text)
    found = shape(text, update=True)
    if found.service:
        raise UsageError(SERVICE_REFUSED)
    if found.load:
        raise UsageError(LOAD_REFUSED)
    return found


def _algebra_reaches_network(query) -> bool:
    """True when a prepared rdflib query (algebra) holds SERVICE or a dataset clause that
    rdflib's own evaluator would load from the web."""
    found: set[str] = set()
    _walk(getattr(query, "algebra", query), found)
    return "ServiceGraphPattern" in found or bool(getattr(query.algebra, "datasetClause", None))


def guarded_rdflib_store(store):
    """An oxrdflib store over ``store`` whose query and update refuse the network."""
    from oxrdflib import OxigraphStore

    class GuardedOxigraphStore(OxigraphStore):
        def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803
            if isinstance(query, str):
                if check_query(query).dataset:
                    if kwargs:  # rdflib's own evaluator would fetch FROM graphs from the web
                        raise UsageError("a query with FROM cannot take rdflib options here")
                    queryGraph = "__DATASET__"  # not the union: pyoxigraph honours FROM  # noqa: N806
            elif _algebra_reaches_network(query):
                raise UsageError(SERVICE_REFUSED)
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)

        def update(self, update, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803
            if isinstance(update, str):
                check_update(update)
            else:
                found: set[str] = set()
                _walk(getattr(update, "algebra", update), found)
                if "Load" in found or "ServiceGraphPattern" in found:
                    raise UsageError(LOAD_REFUSED)
            return super().update(update, initNs, initBindings, queryGraph, **kwargs)

    return GuardedOxigraphStore(store=store)
