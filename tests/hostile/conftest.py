"""Shared tools for the hostile-input suite: a recording HTTP server and a CLI runner."""
from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest


@dataclass
class Recorder:
    """A local HTTP server on 127.0.0.1 that answers everything and records every request."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def server():
    recorder = Recorder(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            recorder.requests.append(f"{self.command} {self.path}")
            body = b'<!ENTITY x "fetched">' if self.path.endswith(".dtd") else b"{}"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args):  # keep test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield recorder
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run ``etom-kg ARGS`` in this process; any exception other than a clean exit fails the test."""
    from etom_kg.cli import main

    def run(*args) -> Result:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
