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


@dataclass
class Capped:
    """A finished ``etom-kg`` child process: exit code, output, and its peak memory."""

    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float


# The address space each capped child gets: a runaway parser or query must be
# stopped by etom-kg's own limits far below this, and can never take the machine.
ADDRESS_SPACE = 3 * 1024 ** 3


def run_capped(*args, stdin: bytes | None = None, cwd=None, env=None, timeout: float = 120,
               interrupt_after: float | None = None, cap: int = ADDRESS_SPACE,
               signal_number: int | None = None) -> Capped:
    """Run ``python -m etom_kg.cli ARGS`` with its address space capped (like ``prlimit --as``).

    The peak resident memory comes from the kernel's accounting of that child
    (``wait4``). ``interrupt_after``: send SIGINT (or ``signal_number``) after so many seconds; the
    returned ``seconds`` then count from the signal to the exit.
    """
    import os
    import resource
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as inp:
        inp.write(stdin or b"")
        inp.seek(0)
        child = subprocess.Popen([sys.executable, "-m", "etom_kg.cli", *map(str, args)],
                                 stdin=inp, stdout=out, stderr=err, cwd=cwd, env=env,
                                 preexec_fn=limit)
        start = time.monotonic()
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            child.send_signal(signal.SIGINT if signal_number is None else signal_number)
            start = time.monotonic()
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Capped(child.returncode, out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024, seconds)


def one_line(err: str) -> str:
    """The single ``etom-kg: error:`` line of ``err``; fails on a traceback or several lines."""
    assert "Traceback" not in err, err[-3000:]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-3000:]
    assert lines[0].startswith("etom-kg: error: "), lines[0]
    return lines[0]
