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

The HTTP exchange is written on :mod:`http.client` rather than urllib, because
the guarantees it has to give are not urllib's: credentials never follow a
redirect to another origin (scheme, host, port) and a POST is never turned into
a GET; ``timeout`` bounds the whole call (a watchdog closes the socket at the
deadline, since socket timeouts only bound each read); the answer's size is
bounded (:data:`MAX_RESPONSE_BYTES`); every failure is one line that never
contains a credential (:func:`redact`).
"""
from __future__ import annotations

import base64
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request

import pyoxigraph as ox

from . import queries as _queries
from ..core.errors import EtomKgError, UsageError
from ..core.namespaces import PREFIXES
from .guard import check_query
from .results import Rows, rows_from_solutions

AUTH_ENV = "ETOM_KG_AUTHORIZATION"
MAX_BYTES_ENV = "ETOM_KG_MAX_RESPONSE_BYTES"
TIMEOUT_ENV = "ETOM_KG_TIMEOUT"
DEFAULT_TIMEOUT = 120.0
"""Seconds a whole request may take (``ETOM_KG_TIMEOUT`` or ``timeout=`` change it)."""
MAX_RESPONSE_BYTES = 512 * 1024 * 1024
"""Largest answer read from an endpoint (512 MiB; ``ETOM_KG_MAX_RESPONSE_BYTES`` or
the ``max_bytes`` argument change it): it is held in memory while parsed."""
MAX_REDIRECTS = 5

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
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that commonly carry a secret (…?api_key=…, ?access_token=…).
_SECRET_PARAM = ("key", "token", "secret", "pass", "pwd", "auth", "sig", "credential")


# -- URLs and secrets --------------------------------------------------------------

def redact(url: str) -> str:
    """``url`` fit to print: the password of ``user:password@`` and secret-looking
    query values replaced by ``***``."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{hostport}" if ":" in userinfo else f"{user}@{hostport}"
    query = parts.query
    if query:
        pairs = []
        for item in query.split("&"):
            name, eq, value = item.partition("=")
            if eq and any(s in name.lower() for s in _SECRET_PARAM):
                value = "***"
            pairs.append(name + eq + value)
        query = "&".join(pairs)
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class _Target:
    """A checked http(s) URL: origin, path to request, credentials from ``user:pass@``."""

    def __init__(self, url: str):
        shown = redact(url)
        if any(ord(c) < 33 or ord(c) == 127 for c in url):
            raise UsageError(f"endpoint {shown!r} contains spaces or control characters")
        try:
            parts = urllib.parse.urlsplit(url)
            port = parts.port
        except ValueError:
            raise UsageError(f"endpoint {shown!r} is not a valid URL (bad host or port)") from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise UsageError(f"endpoint {shown!r} is not an http(s) URL")
        self.url = url
        self.shown = shown
        self.scheme = scheme
        try:   # an internationalised host name goes on the wire in its ASCII form
            self.host = parts.hostname.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise UsageError(f"endpoint {shown!r} has an invalid host name") from None
        self.port = port or _DEFAULT_PORTS[scheme]
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.path = urllib.parse.quote(path, safe="/:@!$&'()*+,;=?%~")
        self.userinfo = None
        if parts.username is not None:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            self.userinfo = (user, password)

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port

    def origin_text(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def join(self, location: str) -> "_Target":
        return _Target(urllib.parse.urljoin(self.url, location))


def _check_url(url: str) -> str:
    _Target(url)
    return url


def _check_header(name: str, value: str) -> None:
    """Refuse a header that would break the request: the value is never printed."""
    if not name or any(ord(c) <= 32 or ord(c) >= 127 or c in ":()<>@,;\\\"/[]?={}" for c in name):
        raise UsageError(f"HTTP header name {name!r} is not a valid token")
    if any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in value):
        where = f"the {AUTH_ENV} environment variable" if name == "Authorization" \
            else f"the value of HTTP header {name}"
        raise UsageError(f"{where} holds a line break or control character; it must be "
                         "one line, e.g. 'Bearer TOKEN' (the value is not shown)")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        where = f"the {AUTH_ENV} environment variable" if name == "Authorization" \
            else f"the value of HTTP header {name}"
        raise UsageError(f"{where} holds characters outside Latin-1 (the value is not "
                         "shown); encode it as HTTP requires") from None


def _headers(extra: dict | None) -> dict:
    headers = {"User-Agent": "etom-kg"}
    auth = os.environ.get(AUTH_ENV)
    if auth and auth.strip():
        headers["Authorization"] = auth.strip()
    headers.update(extra or {})
    for name, value in headers.items():
        _check_header(str(name), str(value))
    return headers


def _timeout(given: float | None) -> float:
    if given is not None:
        return float(given)
    text = os.environ.get(TIMEOUT_ENV)
    if text:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise UsageError(f"{TIMEOUT_ENV}={text[:40]!r} is not a number of seconds")
        return value
    return DEFAULT_TIMEOUT


def _max_bytes(given: int | None) -> int:
    if given is not None:
        return int(given)
    text = os.environ.get(MAX_BYTES_ENV)
    if text:
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"{MAX_BYTES_ENV}={text[:40]!r} is not a number of bytes") from None
    return MAX_RESPONSE_BYTES


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# -- one HTTP exchange ----------------------------------------------------------------

class _Deadline:
    """The end of the whole call; closes the socket when it passes."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.end = time.monotonic() + timeout
        self.fired = threading.Event()

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def passed(self) -> bool:
        return self.fired.is_set() or time.monotonic() >= self.end

    def watch(self, conn) -> threading.Timer:
        def close():
            self.fired.set()
            sock = conn.sock
            if sock is not None:
                try:  # the plain socket's shutdown, also under TLS: unblocks any read
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass
        timer = threading.Timer(self.left(), close)
        timer.daemon = True
        timer.start()
        return timer


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connection(target: _Target, timeout: float):
    """A connection to ``target``, through the environment's proxy if it has one."""
    proxy = urllib.request.getproxies().get(target.scheme)
    if proxy and not _is_loopback(target.host) and not urllib.request.proxy_bypass(target.host):
        via = _Target(proxy if "://" in proxy else "http://" + proxy)
        tunnel_headers = {}
        if via.userinfo:
            token = base64.b64encode(":".join(via.userinfo).encode()).decode()
            tunnel_headers["Proxy-Authorization"] = "Basic " + token
        if target.scheme == "https":
            conn = http.client.HTTPSConnection(via.host, via.port, timeout=timeout,
                                               context=ssl.create_default_context())
            conn.set_tunnel(target.host, target.port, headers=tunnel_headers)
            return conn, target.path, {}
        conn = http.client.HTTPConnection(via.host, via.port, timeout=timeout)
        return conn, target.url, tunnel_headers
    if target.scheme == "https":
        return (http.client.HTTPSConnection(target.host, target.port, timeout=timeout,
                                            context=ssl.create_default_context()),
                target.path, {})
    return http.client.HTTPConnection(target.host, target.port, timeout=timeout), target.path, {}


def _exchange(method: str, target: _Target, data, headers: dict, deadline: _Deadline,
              max_bytes: int):
    """Send one request; return (status, reason, response headers, body)."""
    conn, path, extra = _connection(target, deadline.left())
    response = None
    headers = {**headers, **extra}
    timer = deadline.watch(conn)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        status = response.status
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        limit = max_bytes if 200 <= status < 300 else 4000
        length = response.getheader("Content-Length")
        if length is not None and 200 <= status < 300:
            try:
                announced = int(length)
            except ValueError:
                raise EtomKgError(f"{target.shown}: malformed HTTP answer "
                                  f"(Content-Length {length[:30]!r})") from None
            if announced > max_bytes:
                raise EtomKgError(f"{target.shown}: the answer ({announced} bytes announced) "
                                  f"is larger than the {max_bytes} bytes etom-kg reads (set "
                                  f"{MAX_BYTES_ENV} to allow more)")
        body = bytearray()
        while True:
            if deadline.passed():
                raise TimeoutError
            chunk = response.read1(65536)
            if not chunk:
                break
            body += chunk
            if len(body) > limit:
                if limit == max_bytes:
                    raise EtomKgError(f"{target.shown}: the answer is larger than the "
                                      f"{max_bytes} bytes etom-kg reads (set {MAX_BYTES_ENV} "
                                      "to allow more)")
                break  # an error page: its beginning is enough
        if deadline.passed():
            raise TimeoutError
        if response.length and 200 <= status < 300:   # closed before Content-Length bytes
            raise EtomKgError(f"{target.shown}: the answer was cut short ({len(body)} of "
                              f"{len(body) + response.length} bytes received)")
        if encoding != "identity" and 200 <= status < 300:
            raise EtomKgError(f"{target.shown}: the answer is {encoding}-encoded, which "
                              "etom-kg did not ask for")
        return status, response.reason, response.headers, bytes(body)
    except EtomKgError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure of the exchange is one line
        if deadline.passed():
            raise EtomKgError(f"{target.shown}: no complete answer within the timeout of "
                              f"{deadline.timeout:g} s") from None
        if isinstance(exc, http.client.IncompleteRead) and getattr(response, "chunked", False):
            raise EtomKgError(f"{target.shown}: malformed HTTP answer (broken chunked "
                              "encoding, or cut short)") from None
        raise EtomKgError(f"{target.shown}: {_describe(exc)}") from None
    finally:
        timer.cancel()
        conn.close()


def _describe(exc: Exception) -> str:
    """One line saying what went wrong, in words that cannot hold a credential."""
    if isinstance(exc, (ConnectionRefusedError, socket.gaierror)):
        return f"cannot connect: {exc.strerror or type(exc).__name__}"
    if isinstance(exc, http.client.IncompleteRead):
        return f"the answer was cut short ({len(exc.partial)} bytes received)"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.BadStatusLine):
        return "the server does not speak HTTP (no valid status line)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or type(exc).__name__}"
    if isinstance(exc, http.client.HTTPException):
        return f"malformed HTTP answer ({type(exc).__name__})"
    if isinstance(exc, ValueError):   # http.client: a bad chunk size line
        return "malformed HTTP answer (broken chunked encoding)"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError):
        return f"cannot connect: {exc.strerror or type(exc).__name__}"
    return f"the exchange failed ({type(exc).__name__})"


def _request(method: str, url: str, *, data: bytes | None = None, headers: dict,
             timeout: float, max_bytes: int | None = None):
    """Send one HTTP request; return (media type, body). Failures are one-line errors.

    Redirects are followed only within the same origin and only when they keep
    the method and body (307, 308); anything else stops with one line.
    """
    target = _Target(url)
    deadline = _Deadline(_timeout(timeout))
    limit = _max_bytes(max_bytes)
    secrets = [v for k, v in headers.items() if k.lower() == "authorization"]
    if target.userinfo:
        secrets += [target.userinfo[1]]
    # user:password@ in the URL: Basic at once; Digest when the server asks for it
    # (a server that wants Digest may refuse Basic without a challenge: ask again bare).
    own = target.userinfo is not None and not any(k.lower() == "authorization" for k in headers)
    if own:
        token = base64.b64encode(":".join(target.userinfo).encode("utf-8")).decode()
        headers = {**headers, "Authorization": "Basic " + token}
        secrets.append(headers["Authorization"])
    solicited = digest_tried = False
    hops = 0
    try:
        while True:
            status, reason, answer, body = _exchange(method, target, data, headers, deadline,
                                                     limit)
            if status == 401 and own and target.userinfo and not digest_tried:
                challenge = _digest_challenge(answer)
                if challenge is None and not solicited:
                    solicited = True
                    headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
                    continue
                if challenge is not None:   # e.g. Virtuoso's /sparql-graph-crud-auth
                    digest_tried = True
                    header = _digest_authorization(method, target, data, challenge)
                    if header:
                        headers = {**headers, "Authorization": header}
                        secrets.append(header)
                        continue
            if status in (301, 302, 303, 307, 308):
                location = answer.get("Location")
                if not location:
                    raise EtomKgError(f"{target.shown}: HTTP {status} redirect without a "
                                      "Location")
                try:
                    new = target.join(location.strip())
                except UsageError:
                    raise EtomKgError(f"{target.shown}: the endpoint redirected to a URL "
                                      "that is not http(s)") from None
                if new.origin != target.origin:
                    raise EtomKgError(f"{target.shown}: the endpoint redirected to another "
                                      f"origin ({new.origin_text()}); etom-kg does not follow "
                                      "it with your request and credentials: give that URL "
                                      "if you trust it")
                if status in (301, 302, 303) and method not in ("GET", "HEAD"):
                    raise EtomKgError(f"{target.shown}: HTTP {status} redirect to {new.shown}, "
                                      f"which would turn the {method} into a GET: give that "
                                      "URL instead")
                hops += 1
                if hops > MAX_REDIRECTS:
                    raise EtomKgError(f"{target.shown}: more than {MAX_REDIRECTS} redirects")
                target = new
                continue
            if 200 <= status < 300 and (answer.get("X-SQL-State") or "").strip() == "S1TAT":
                # Virtuoso's "anytime" query: cut at the server's time limit, answered
                # as if complete.
                raise EtomKgError(f"{target.shown}: the answer is partial: the server "
                                  "stopped the query at its time limit (Virtuoso "
                                  "X-SQL-State S1TAT); raise its MaxQueryExecutionTime")
            if not 200 <= status < 300:
                detail = body[:2000].decode("utf-8", "replace").strip()
                detail = " ".join(detail.split())[:300]
                raise EtomKgError(f"{target.shown}: HTTP {status} {reason}"
                                  + (f": {detail}" if detail else ""))
            return answer.get_content_type(), body
    except EtomKgError as exc:
        message = _scrub(str(exc), secrets)   # a server may echo the credential back
        if message != str(exc):
            raise EtomKgError(message) from None
        raise


def _scrub(message: str, secrets) -> str:
    """``message`` with every credential (and each word of it) replaced by ``***``."""
    for secret in secrets:
        for part in sorted({secret, *secret.split()}, key=len, reverse=True):
            if len(part) >= 4 and part.lower() not in ("basic", "bearer", "digest"):
                message = message.replace(part, "***")
    return message


def _digest_challenge(answer) -> dict | None:
    for value in answer.get_all("WWW-Authenticate") or ():
        scheme, _, rest = value.strip().partition(" ")
        if scheme.lower() == "digest":
            return urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
    return None


def _digest_authorization(method: str, target: _Target, data, challenge: dict) -> str | None:
    """The Digest ``Authorization`` answer to ``challenge`` (RFC 7616), computed by the
    standard library's digest handler for the URL's ``user:password@``."""
    handler = urllib.request.HTTPDigestAuthHandler()
    bare = f"{target.scheme}://{target.origin_text().split('://', 1)[1]}{target.path}"
    handler.add_password(challenge.get("realm"), bare, *target.userinfo)
    request = urllib.request.Request(bare, data=data, method=method)
    try:
        value = handler.get_authorization(request, challenge)
    except (ValueError, KeyError):
        return None
    return f"Digest {value}" if value else None


# -- the query endpoint ---------------------------------------------------------------

_UNION_HELP = ("start Oxigraph with --union-default-graph, set Fuseki's unionDefaultGraph, "
               "or push with --graph default")
MAX_DATASET_GRAPHS = 1000


class RemoteKnowledgeGraph:
    """The knowledge graph behind a SPARQL 1.1 Protocol query endpoint.

    ``graphs``: named graphs to query as the default graph (sent as
    ``default-graph-uri``). Without it the server's default graph is used when it
    holds data (GraphDB, Neptune, Virtuoso, Oxigraph with ``--union-default-graph``
    make it the union of all graphs); when it is empty but the server has named
    graphs (what ``push`` makes on a plain ``oxigraph serve``), those graphs are
    queried as the default graph, so the answers are never silently empty.
    ``max_bytes`` bounds the size of an answer (default :data:`MAX_RESPONSE_BYTES`).
    """

    def __init__(self, url: str, *, graphs=None, headers: dict | None = None,
                 timeout: float | None = None, max_bytes: int | None = None):
        target = _Target(url)
        self._url = url
        self.url = target.shown   # what is printed: never a password
        self.graphs = list(graphs) if graphs is not None else None
        self.headers = dict(headers or {})
        for name, value in self.headers.items():
            _check_header(str(name), str(value))
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._dataset = None   # the graphs found for the default graph, once probed

    def __repr__(self) -> str:
        return f"RemoteKnowledgeGraph({self.url!r})"

    def _post(self, text: str, graphs) -> object:
        form = [("query", text)]
        for graph in graphs or ():
            form.append(("default-graph-uri", str(graph)))
        headers = _headers({"Accept": _ACCEPT,
                            "Content-Type": "application/x-www-form-urlencoded",
                            **self.headers})
        media, body = _request("POST", self._url, data=urllib.parse.urlencode(form).encode(),
                               headers=headers, timeout=self.timeout, max_bytes=self.max_bytes)
        try:
            if media in _RESULT_TYPES:
                result = ox.parse_query_results(body, format=_RESULT_TYPES[media])
                if isinstance(result, ox.QueryBoolean):
                    return bool(result)
                return rows_from_solutions(result)
            if media in _GRAPH_TYPES:
                if media == "application/rdf+xml":
                    from ..io.limits import check_xml_entities

                    # pyoxigraph expands internal DTD entities without bound: an
                    # entity bomb would abort the process, not raise.
                    try:
                        check_xml_entities(body, "answer")
                    except EtomKgError as exc:
                        raise EtomKgError(f"{self.url}: {getattr(exc, 'reason', exc)}") from None
                return [ox.Triple(q.subject, q.predicate, q.object)
                        for q in ox.parse(body, format=_GRAPH_TYPES[media])]
        except (SyntaxError, ValueError, OSError) as exc:
            why = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            secrets = [v for k, v in headers.items() if k.lower() == "authorization"]
            raise EtomKgError(_scrub(f"{self.url}: unreadable {media} answer: {why}",
                                     secrets)) from None
        raise EtomKgError(f"{self.url}: unexpected answer of type {media!r}; "
                          "is this a SPARQL query endpoint?")

    def default_graphs(self) -> list[str] | None:
        """The graphs queried as the default graph: ``graphs`` if given; else None when
        the server's default graph holds the eTOM processes (or, lacking them anywhere,
        any data); else every named graph of the server, which then hold them."""
        if self.graphs is not None:
            return self.graphs
        if self._dataset is None:
            self._dataset = self._probe()
        return self._dataset or None

    def _ask_bool(self, text: str) -> bool:
        answer = self._post(_prologue() + text, None)
        if not isinstance(answer, bool):
            raise EtomKgError(f"{self.url}: the endpoint answered ASK without a boolean; "
                              "is this a SPARQL query endpoint?")
        return answer

    def _probe(self) -> list[str]:
        if self._ask_bool("ASK { ?p a etom:ProcessElement }"):
            return []
        rows = self._post(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
                          f"LIMIT {MAX_DATASET_GRAPHS + 1}", None)
        terms = [r.terms.get("g") for r in rows] if isinstance(rows, Rows) else []
        names = sorted(t.value for t in terms if isinstance(t, ox.NamedNode))
        in_named = bool(names) and self._ask_bool(
            "ASK { GRAPH ?g { ?p a etom:ProcessElement } }")
        if not in_named and self._ask_bool("ASK { ?s ?p ?o }"):
            return []   # the user's own data, in the default graph
        if not names:
            raise EtomKgError(f"{self.url}: the endpoint holds no data; upload the graph "
                              "first: etom-kg push --endpoint GRAPH-STORE-URL")
        if len(names) > MAX_DATASET_GRAPHS:
            raise EtomKgError(f"{self.url}: the default graph lacks the eTOM processes and "
                              f"there are over {MAX_DATASET_GRAPHS} named graphs; "
                              + _UNION_HELP)
        return names

    def sparql(self, text: str, bindings: dict | None = None, *, graphs=None):
        """Run a read-only SPARQL query remotely; results as in the embedded graph.

        SERVICE is refused as in the embedded engine; a query with its own FROM
        clause is sent as written (the server builds that dataset).
        """
        shape = check_query(text)
        if shape.dataset and graphs is not None:
            raise UsageError("the query's FROM clause and graphs= both choose the dataset; "
                             "use one of them")
        return self._ask(text, bindings, graphs=graphs, dataset=shape.dataset)

    def _ask(self, text: str, bindings, *, graphs=None, dataset: bool = False):
        text = _prologue() + _queries.bind(text, bindings or {})
        if graphs is None and not dataset:
            graphs = self.default_graphs()
        return self._post(text, graphs)

    def query(self, name: str, **params) -> Rows:
        """Run the shipped named query ``name`` remotely, parameters bound as RDF terms."""
        from .model import require_processes

        named = _queries.get(name)
        bindings = named.bindings(params)
        require_processes(self, named, bindings)  # "1.1.1.99", "foo": an error, not no rows
        rows = self._ask(named.text, bindings)
        # A server that answers something else must not become a KeyError downstream.
        missing = [v for v in named.returns if not isinstance(rows, Rows)
                   or v not in rows.variables]
        if not isinstance(rows, Rows) or missing:
            raise EtomKgError(f"{self.url}: the answer to query {name} is not its table "
                              f"(missing {', '.join(missing[:3]) or 'rows'}); is this a "
                              "SPARQL 1.1 endpoint?")
        return rows

    def process(self, process_id: str):
        """The process with this ID (see :meth:`etom_kg.graph.kg.KnowledgeGraph.process`)."""
        from .model import get_process

        return get_process(self, process_id)


def _graph_triples(store: ox.Store, graph) -> bytes:
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, graph))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def push(url: str, graph: str | None = None, *, kg=None, headers: dict | None = None,
         timeout: float | None = None) -> dict[str, int]:
    """Upload graphs to a SPARQL 1.1 Graph Store Protocol endpoint ``url``.

    ``kg`` defaults to the shipped graph. Without ``graph`` every named graph of
    ``kg`` is put under its own name (the names the embedded engine uses); with
    ``graph`` (an IRI, or ``"default"``) all of them are put together into that
    one graph. Each target graph is replaced. Returns {graph: triples sent}.
    ``timeout`` bounds each upload.
    """
    _check_url(url)
    extra = dict(headers or {})
    for name, value in extra.items():
        _check_header(str(name), str(value))
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
        target = ("default" if name == "default"
                  else urllib.parse.urlencode({"graph": name}))
        sep_url = url + ("&" if "?" in url else "?") + target
        try:
            _request("PUT", sep_url, data=body, timeout=timeout,
                     headers=_headers({"Content-Type": "application/n-triples", **extra}))
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


__all__ = ["RemoteKnowledgeGraph", "push", "redact", "AUTH_ENV", "MAX_RESPONSE_BYTES"]
