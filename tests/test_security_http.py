"""Talking to endpoints: no credential leaves for another origin or shows up in any output,
and a misbehaving server costs one line and a bounded time, never a traceback.

Every server here is a thread listening on 127.0.0.1 only, speaking raw bytes so that
it can lie the ways real broken servers and attackers do.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest

from etom_kg.cli import main
from etom_kg.core.errors import EtomKgError, UsageError
from etom_kg.graph.remote import AUTH_ENV, RemoteKnowledgeGraph, push, redact

SECRET = "Bearer s3cr3t-T0KEN-do-not-print"
PASSWORD = "hunter2-pass-word"
ONE_ROW = json.dumps({"head": {"vars": ["id"]},
                      "results": {"bindings": [{"id": {"type": "literal",
                                                       "value": "1.1.1.5"}}]}}).encode()


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class RawServer:
    """A TCP server on 127.0.0.1 that records requests and answers with ``respond``."""

    respond: object
    requests: list = field(default_factory=list)

    def __post_init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk or not chunk[:1].isalpha():   # not HTTP (a TLS hello): hang up
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in lines[1:])}
            length = int(headers.get("content-length", 0))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            request = Request(method, path, headers, body)
            self.requests.append(request)
            self.respond(self, request, conn)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self):
        self.closed = True
        self.sock.close()


@pytest.fixture
def serve():
    servers = []

    def start(respond) -> RawServer:
        server = RawServer(respond)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.close()


def answer(status: str = "200 OK", body: bytes = ONE_ROW, headers: dict | None = None):
    def respond(server, request, conn):
        head = {"Content-Type": "application/sparql-results+json",
                "Content-Length": str(len(body)), **(headers or {})}
        conn.sendall(f"HTTP/1.1 {status}\r\n".encode()
                     + "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode()
                     + b"\r\n" + body)
    return respond


def redirect(status: int, location: str):
    return answer(f"{status} Moved", b"", {"Location": location, "Content-Length": "0"})


def run_cli(capsys, *args, stdin: str = "ASK { ?s ?p ?o }") -> tuple[int, str, str]:
    import io

    capsys.readouterr()
    real, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = main(list(args))
    finally:
        sys.stdin = real
    out, err = capsys.readouterr()
    return code, out, err


def no_secret(*texts):
    for text in texts:
        assert SECRET not in text and "s3cr3t" not in text and PASSWORD not in text


# -- redirects -----------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_is_refused_and_nothing_reaches_it(serve, capsys,
                                                                      monkeypatch, status):
    monkeypatch.setenv(AUTH_ENV, SECRET)
    elsewhere = serve(answer())
    endpoint = serve(redirect(status, elsewhere.url + "/sparql"))
    code, out, err = run_cli(capsys, "sparql", "-", "--endpoint", endpoint.url + "/sparql")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "redirected to another origin" in err
    assert elsewhere.requests == []
    no_secret(out, err)


def test_a_redirect_to_another_host_keeps_the_credentials_home(serve, monkeypatch):
    monkeypatch.setenv(AUTH_ENV, SECRET)
    endpoint = serve(redirect(302, "http://localhost.invalid/sparql"))
    with pytest.raises(EtomKgError, match="redirected to another origin") as info:
        RemoteKnowledgeGraph(endpoint.url, graphs=[]).sparql("ASK {}")
    no_secret(str(info.value))
    assert endpoint.requests[0].headers["authorization"] == SECRET  # sent to the named one only


def test_https_to_http_is_another_origin():
    from etom_kg.graph.remote import _Target

    here = _Target("https://example.org/sparql")
    assert here.join("http://example.org/sparql").origin != here.origin
    assert here.join("https://example.org:8443/sparql").origin != here.origin
    assert here.join("//example.org/other").origin == here.origin
    assert here.join("https://EXAMPLE.org:443/x").origin == here.origin


@pytest.mark.parametrize("status", [307, 308])
def test_a_same_origin_307_or_308_is_followed_with_method_and_body(serve, status):
    def respond(server, request, conn):
        if request.path.startswith("/old"):
            redirect(status, "/new")(server, request, conn)
        else:
            answer()(server, request, conn)
    endpoint = serve(respond)
    rows = RemoteKnowledgeGraph(endpoint.url + "/old", graphs=[]).sparql(
        "SELECT ?id WHERE { ?p skos:notation ?id }")
    assert [r.id for r in rows] == ["1.1.1.5"]
    first, second = endpoint.requests
    assert (first.method, second.method) == ("POST", "POST") and second.path == "/new"
    assert second.body == first.body and b"query=" in second.body


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_redirect_that_would_turn_the_post_into_a_get_is_refused(serve, status):
    endpoint = serve(redirect(status, "/elsewhere"))
    with pytest.raises(EtomKgError) as info:
        RemoteKnowledgeGraph(endpoint.url, graphs=[]).sparql("ASK {}")
    assert "would turn the POST into a GET" in str(info.value)
    assert len(endpoint.requests) == 1


def test_endless_redirects_stop(serve):
    endpoint = serve(redirect(307, "/again"))
    with pytest.raises(EtomKgError, match="redirects"):
        RemoteKnowledgeGraph(endpoint.url, graphs=[]).sparql("ASK {}")
    assert len(endpoint.requests) <= 6


def test_push_does_not_follow_a_redirect_elsewhere(serve, monkeypatch, capsys):
    monkeypatch.setenv(AUTH_ENV, SECRET)
    elsewhere = serve(answer("204 No Content", b""))
    store = serve(redirect(307, elsewhere.url + "/store"))
    code, out, err = run_cli(capsys, "push", "--endpoint", store.url + "/store")
    assert code == 2 and "redirected to another origin" in err and err.count("\n") == 1
    assert elsewhere.requests == []
    no_secret(out, err)


# -- secrets -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [SECRET + "\nX-Injected: 1", "Bearer\r\ns3cr3t",
                                   "Bearer s3cr3t\x1b[2J", "Bearer s3cr3t-ключ"])
def test_a_broken_authorization_variable_is_one_line_without_the_secret(serve, capsys,
                                                                        monkeypatch, value):
    monkeypatch.setenv(AUTH_ENV, value)
    endpoint = serve(answer())
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", endpoint.url)
    assert code == 2 and err.count("\n") == 1 and AUTH_ENV in err
    assert endpoint.requests == []
    no_secret(out, err)


def test_a_password_in_the_url_is_used_but_never_printed(serve, capsys):
    endpoint = serve(answer("401 Unauthorized", b"wrong password for user etom"))
    url = f"http://etom:{PASSWORD}@127.0.0.1:{endpoint.port}/sparql"
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", url)
    assert code == 2 and "HTTP 401" in err and "etom:***@127.0.0.1" in err
    no_secret(out, err)
    import base64
    sent = endpoint.requests[0].headers["authorization"]
    assert base64.b64decode(sent.split()[1]).decode() == f"etom:{PASSWORD}"


@pytest.mark.parametrize("url", [
    f"http://etom:{PASSWORD}@127.0.0.1:notaport/sparql",
    f"ftp://etom:{PASSWORD}@127.0.0.1/sparql",
    f"http://etom:{PASSWORD}@127.0.0.1/spa rql",
    f"http://etom:{PASSWORD}@/sparql",
])
def test_a_bad_url_with_a_password_is_refused_without_printing_it(capsys, url):
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", url)
    assert code == 2 and err.count("\n") == 1
    no_secret(out, err)


def test_an_unreachable_endpoint_with_a_password_does_not_print_it(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://etom:{PASSWORD}@127.0.0.1:{port}/sparql?api_key=k3y-{PASSWORD}"
    code, out, err = run_cli(capsys, "sparql", "-", "--endpoint", url)
    assert code == 2 and "cannot connect" in err
    no_secret(out, err)
    assert repr(RemoteKnowledgeGraph(url)).count("***") == 2


def test_a_server_echoing_the_credential_back_does_not_get_it_printed(serve, capsys,
                                                                     monkeypatch):
    monkeypatch.setenv(AUTH_ENV, SECRET)

    def echo(server, request, conn):
        answer("403 Forbidden", f"token {request.headers['authorization']} refused".encode(),
               {"Content-Type": "text/plain"})(server, request, conn)
    endpoint = serve(echo)
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", endpoint.url)
    assert code == 2 and "HTTP 403" in err
    no_secret(out, err)


def test_debug_output_does_not_print_the_password_either(serve):
    endpoint = serve(answer("500 Internal Server Error", b"boom"))
    url = f"http://etom:{PASSWORD}@127.0.0.1:{endpoint.port}/sparql"
    done = subprocess.run([sys.executable, "-m", "etom_kg.cli", "--debug", "query", "children",
                           "-p", "process=1.1.1", "--endpoint", url],
                          capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "ETOM_KG_AUTHORIZATION": SECRET,
                               **{k: v for k, v in __import__("os").environ.items()
                                  if k == "PYTHONPATH"}})
    assert done.returncode != 0 and "HTTP 500" in done.stderr
    no_secret(done.stdout, done.stderr)


def test_redact_hides_passwords_and_secret_parameters():
    assert redact("https://u:p4ss@h.example/s?x=1&access_token=abc") == \
        "https://u:***@h.example/s?x=1&access_token=***"
    assert redact("http://h/sparql") == "http://h/sparql"


# -- misbehaving servers ---------------------------------------------------------------

def trickle(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 100000\r\n\r\n")
    for _ in range(60):
        conn.sendall(b" ")
        time.sleep(0.5)


def trickle_headers(server, request, conn):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60:
        conn.sendall(bytes([byte]))
        time.sleep(0.5)


@pytest.mark.parametrize("respond", [trickle, trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_timeout(serve, respond):
    endpoint = serve(respond)
    started = time.monotonic()
    with pytest.raises(EtomKgError) as info:
        RemoteKnowledgeGraph(endpoint.url, graphs=[], timeout=2).sparql("ASK {}")
    assert time.monotonic() - started < 4
    assert "timeout of 2 s" in str(info.value) and "\n" not in str(info.value)


def huge_length(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 107374182400\r\n\r\n{")


def truncated(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 5000\r\n\r\n" + ONE_ROW[:20])


def broken_chunks(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n" + ONE_ROW + b"\r\n0\r\n\r\n")


def cut_chunks(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\nfff\r\n" + ONE_ROW[:30])


def not_http(server, request, conn):
    conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian\r\n")


def silent_close(server, request, conn):
    pass


def endless(server, request, conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    block = b"10000\r\n" + b" " * 0x10000 + b"\r\n"
    try:
        for _ in range(10000):
            conn.sendall(block)
    except OSError:
        pass


def garbage_json(server, request, conn):
    answer(body=b"{\"head\": [[[[")(server, request, conn)


def html_page(server, request, conn):
    answer(body=b"<html>login</html>", headers={"Content-Type": "text/html"})(server, request,
                                                                              conn)


def gzip_unasked(server, request, conn):
    answer(body=b"\x1f\x8b\x08\x00junk", headers={"Content-Encoding": "gzip"})(server, request,
                                                                                conn)


@pytest.mark.parametrize("respond, words", [
    (huge_length, "107374182400 bytes"),
    (truncated, "cut short"),
    (broken_chunks, "chunked"),
    (cut_chunks, "chunked"),
    (not_http, "does not speak HTTP"),
    (silent_close, "closed the connection"),
    (endless, "larger than"),
    (garbage_json, "unreadable"),
    (html_page, "unexpected answer"),
    (gzip_unasked, "gzip"),
], ids=lambda v: getattr(v, "__name__", "")[:20] if callable(v) else None)
def test_a_misbehaving_server_gets_one_line_and_exit_2(serve, capsys, monkeypatch, respond,
                                                       words):
    monkeypatch.setenv("ETOM_KG_MAX_RESPONSE_BYTES", str(4 * 1024 * 1024))
    endpoint = serve(respond)
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", endpoint.url + "/sparql")
    assert code == 2 and out == ""
    assert err.startswith(f"etom-kg: error: {endpoint.url}/sparql: ") and err.count("\n") == 1
    assert words in err


def test_the_answer_size_limit_is_an_api_argument_too(serve):
    endpoint = serve(answer())
    with pytest.raises(EtomKgError, match="larger than the 10 bytes"):
        RemoteKnowledgeGraph(endpoint.url, graphs=[], max_bytes=10).sparql("ASK {}")
    assert len(RemoteKnowledgeGraph(endpoint.url, graphs=[], max_bytes=len(ONE_ROW)
                                    ).sparql("SELECT ?id {}")) == 1


def test_a_header_given_to_the_api_cannot_inject_lines(serve):
    endpoint = serve(answer())
    with pytest.raises(UsageError) as info:
        RemoteKnowledgeGraph(endpoint.url, headers={"X-Key": "v\r\nX-Evil: 1"})
    assert "v\r\n" not in str(info.value)
    with pytest.raises(UsageError):
        push(endpoint.url, headers={"Bad Name": "v"})
    assert endpoint.requests == []


def test_an_entity_bomb_as_a_graph_answer_is_refused_not_expanded(serve, capsys):
    entities = '<!ENTITY a0 "xxxxxxxxxxxxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://e/"><rdf:Description rdf:about="http://e/s">'
            '<ex:p>&a9;</ex:p></rdf:Description></rdf:RDF>').encode()
    endpoint = serve(answer(body=bomb, headers={"Content-Type": "application/rdf+xml"}))
    code, out, err = run_cli(capsys, "sparql", "-", "--endpoint", endpoint.url,
                             stdin="CONSTRUCT WHERE { ?s ?p ?o }")
    assert code == 2 and out == "" and err.count("\n") == 1 and endpoint.url in err


def test_https_to_a_server_without_tls_is_one_line(serve, capsys, monkeypatch):
    monkeypatch.setenv(AUTH_ENV, SECRET)
    endpoint = serve(answer())
    url = f"https://127.0.0.1:{endpoint.port}/sparql"
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", url)
    assert code == 2 and err.startswith(f"etom-kg: error: {url}: ") and err.count("\n") == 1
    no_secret(out, err)


@pytest.mark.parametrize("body", [ONE_ROW, b'{"head": {}, "boolean": true}'])
def test_a_well_formed_but_wrong_answer_to_a_named_query_is_one_line(serve, capsys, body):
    endpoint = serve(answer(body=body))
    code, out, err = run_cli(capsys, "links", "1.1.1.5", "--endpoint", endpoint.url)
    assert code == 2 and out == "" and err.count("\n") == 1 and endpoint.url in err
    with pytest.raises(EtomKgError, match="not its table"):
        RemoteKnowledgeGraph(endpoint.url, graphs=[]).process("1.1.1.5")


def test_the_cli_timeout_comes_from_the_environment(serve, capsys, monkeypatch):
    monkeypatch.setenv("ETOM_KG_TIMEOUT", "1.5")
    endpoint = serve(trickle)
    started = time.monotonic()
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", endpoint.url)
    assert code == 2 and "timeout of 1.5 s" in err and time.monotonic() - started < 3.5
    monkeypatch.setenv("ETOM_KG_TIMEOUT", "soon")
    code, out, err = run_cli(capsys, "query", "children", "-p", "process=1.1.1",
                             "--endpoint", endpoint.url)
    assert code == 2 and "ETOM_KG_TIMEOUT" in err and err.count("\n") == 1


def test_a_partial_answer_cut_at_the_servers_time_limit_is_not_taken_for_whole(serve):
    endpoint = serve(answer(headers={"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning"
                                                                             " incomplete"}))
    with pytest.raises(EtomKgError, match="partial"):
        RemoteKnowledgeGraph(endpoint.url, graphs=[]).sparql("SELECT ?id {}")
