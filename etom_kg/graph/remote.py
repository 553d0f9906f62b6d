"""Remote engines: named queries over any SPARQL 1.1 Protocol endpoint, and ``push``.

``RemoteKnowledgeGraph(url)`` answers ``query``/``sparql``/``process`` exactly like
the embedded :class:`etom_kg.graph.kg.KnowledgeGraph` (same :class:`etom_kg.graph.results.Rows`),
but every query is sent over HTTP (SPARQL 1.1 Protocol, results as SPARQL JSON or
N-Triples, parsed by pyoxigraph so terms are identical to the embedded engine).
``push`` uploads graphs with the SPARQL 1.1 Graph Store HTTP Protocol (one ``PUT``
per graph, which replaces the graph: pushing twice leaves the same data).

Credentials never go on the command line: the ``Authorization`` header is taken
from the ``ETOM_KG_AUTHORIZATION`` environment variable (e.g. ``Bearer …`` or
``Basic …``) or from the ``headers`` argument of the API.
"""
from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from . import queries as _queries
from ..core.errors import EtomKgError, UsageError
from ..core.namespaces import PREFIXES
from .results import Rows, rows_from_solutions

AUTH_ENV = "ETOM_KG_AUTHORIZATION"
DEFAULT_TIMEOUT = 120.0

_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.5, application/sparql-results+xml;q=0.4")
# Graph results (CONSTRUCT/DESCRIBE) by media type.
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def _check_url(url: str) -> str:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urllib.parse.urlsplit(url).netloc:
        raise UsageError(f"endpoint {url!r} is not an http(s) URL")
    return url


def _headers(extra: dict | None) -> dict:
    headers = {"User-Agent": "etom-kg"}
    auth = os.environ.get(AUTH_ENV)
    if auth:
        headers["Authorization"] = auth.strip()
    headers.update(extra or {})
    return headers


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _request(method: str, url: str, *, data: bytes | None = None, headers: dict,
             timeout: float):
    """Send one HTTP request; return (media type, body). Failures are one-line errors."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            media = response.headers.get_content_type()
            return media, response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
        detail = " ".join(detail.split())[:300]
        raise EtomKgError(f"{url}: HTTP {exc.code} {exc.reason}"
                          + (f": {detail}" if detail else "")) from None
    except urllib.error.URLError as exc:
        raise EtomKgError(f"{url}: cannot connect: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise EtomKgError(f"{url}: {exc.strerror or exc}") from None


class RemoteKnowledgeGraph:
    """The knowledge graph behind a SPARQL 1.1 Protocol query endpoint.

    ``graphs``: named graphs to query as the default graph (sent as
    ``default-graph-uri``); without it the server's default graph is used, which
    must then be the union of its graphs (GraphDB and Neptune do that by default,
    Oxigraph with ``--union-default-graph``, Fuseki with ``unionDefaultGraph``).
    """

    def __init__(self, url: str, *, graphs=None, headers: dict | None = None,
                 timeout: float = DEFAULT_TIMEOUT):
        self.url = _check_url(url)
        self.graphs = list(graphs) if graphs is not None else None
        self.headers = dict(headers or {})
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteKnowledgeGraph({self.url!r})"

    def sparql(self, text: str, bindings: dict | None = None, *, graphs=None):
        """Run a read-only SPARQL query remotely; results as in the embedded graph."""
        text = _prologue() + _queries.bind(text, bindings or {})
        form = [("query", text)]
        for graph in (graphs if graphs is not None else self.graphs) or ():
            form.append(("default-graph-uri", str(graph)))
        headers = _headers({"Accept": _ACCEPT,
                            "Content-Type": "application/x-www-form-urlencoded",
                            **self.headers})
        media, body = _request("POST", self.url, data=urllib.parse.urlencode(form).encode(),
                               headers=headers, timeout=self.timeout)
        try:
            if media in _RESULT_TYPES:
                result = ox.parse_query_results(body, format=_RESULT_TYPES[media])
                if isinstance(result, ox.QueryBoolean):
                    return bool(result)
                return rows_from_solutions(result)
            if media in _GRAPH_TYPES:
                return [ox.Triple(q.subject, q.predicate, q.object)
                        for q in ox.parse(body, format=_GRAPH_TYPES[media])]
        except (SyntaxError, ValueError) as exc:
            raise EtomKgError(f"{self.url}: unreadable {media} answer: "
                              f"{str(exc).splitlines()[0]}") from None
        raise EtomKgError(f"{self.url}: unexpected answer of type {media!r}; "
                          "is this a SPARQL query endpoint?")

    def query(self, name: str, **params) -> Rows:
        """Run the shipped named query ``name`` remotely, parameters bound as RDF terms."""
        named = _queries.get(name)
        return self.sparql(named.text, named.bindings(params))

    def process(self, process_id: str):
        """The process with this ID (see :meth:`etom_kg.graph.kg.KnowledgeGraph.process`)."""
        from .model import get_process

        return get_process(self, process_id)


def _graph_triples(store: ox.Store, graph) -> bytes:
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, graph))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def push(url: str, graph: str | None = None, *, kg=None, headers: dict | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """Upload graphs to a SPARQL 1.1 Graph Store Protocol endpoint ``url``.

    ``kg`` defaults to the shipped graph. Without ``graph`` every named graph of
    ``kg`` is put under its own name (the names the embedded engine uses); with
    ``graph`` (an IRI, or ``"default"``) all of them are put together into that
    one graph. Each target graph is replaced. Returns {graph: triples sent}.
    """
    _check_url(url)
    if kg is None:   # the shipped graph, read here so that this module never imports kg
        from .shipped import load_shipped

        store = ox.Store()
        load_shipped(store)
    else:
        store = kg.store
    names = sorted(store.named_graphs(), key=lambda g: g.value)
    if graph is None:
        uploads = [(g.value, _graph_triples(store, g), _count(store, g)) for g in names]
    else:
        if graph != "default":
            try:
                ox.NamedNode(graph)
            except ValueError:
                raise UsageError(f"--graph {graph!r} is not an IRI") from None
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
        uploads = [(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
                    len(triples))]
    sent = {}
    for name, body, count in uploads:
        target = ("?default" if name == "default"
                  else "?" + urllib.parse.urlencode({"graph": name}))
        sep_url = url + ("&" + target[1:] if "?" in url else target)
        try:
            _request("PUT", sep_url, data=body, timeout=timeout,
                     headers=_headers({"Content-Type": "application/n-triples",
                                       **(headers or {})}))
        except EtomKgError as exc:  # the server now holds a mix: say which graphs are new
            done = ", ".join(list(sent)[:3]) + (f" and {len(sent) - 3} more" if len(sent) > 3
                                                 else "") if sent else "none"
            error = EtomKgError(f"{exc} (push stopped at graph {name}; {len(sent)} of "
                                f"{len(uploads)} graphs already replaced: {done})")
            error.replaced = list(sent)  # for API callers: what the server now holds anew
            raise error from None
        sent[name] = count
    return sent


def _count(store: ox.Store, graph) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


__all__ = ["RemoteKnowledgeGraph", "push", "AUTH_ENV"]
