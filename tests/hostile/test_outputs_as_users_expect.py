"""``-o`` writes the way users expect: devices and FIFOs written through, links followed,
modes kept, read-only files refused, no temporary left behind after a crash."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest

from etom_kg.io.atomic import atomic_write, remove_stale_temporaries

from .conftest import one_line

EXPORTED = b"<?xml"  # etom-kg export writes an ArchiMate exchange file


def test_o_dev_stdout_writes_to_standard_output_and_leaves_the_device_alone(tmp_path):
    done = subprocess.run([sys.executable, "-m", "etom_kg.cli", "export", "-o", "/dev/stdout"],
                          capture_output=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(EXPORTED)
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode) \
        or not os.path.isfile("/dev/stdout")
    assert list(tmp_path.iterdir()) == []


def test_o_on_a_character_device_writes_through(cli):
    before = os.stat("/dev/null")
    assert cli("export", "-o", "/dev/null").code == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.")]


def test_o_on_a_fifo_feeds_the_reader(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("export", "-o", fifo)
    reader.join(30)
    assert result.code == 0, result.err
    assert received and len(received[0]) > 1000
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_o_on_a_symlink_replaces_its_target_and_keeps_the_link(cli, tmp_path):
    real = tmp_path / "data" / "crm.ttl"
    real.parent.mkdir()
    real.write_bytes(b"old\n")
    link = tmp_path / "latest.ttl"
    link.symlink_to(real)
    result = cli("export", "-o", link)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes().startswith(EXPORTED)
    assert sorted(p.name for p in real.parent.iterdir()) == ["crm.ttl"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path):
    link = tmp_path / "out.ttl"
    link.symlink_to(tmp_path / "target.ttl")
    atomic_write(link, "content")
    assert link.is_symlink() and (tmp_path / "target.ttl").read_text() == "content"


def test_overwriting_keeps_the_file_mode(cli, tmp_path):
    out = tmp_path / "private.ttl"
    out.write_bytes(b"old\n")
    out.chmod(0o600)
    assert cli("export", "-o", out).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(EXPORTED)


def test_a_new_file_gets_the_usual_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.ttl", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o644


def test_a_read_only_file_is_not_replaced_behind_the_users_back(cli, tmp_path):
    out = tmp_path / "frozen.ttl"
    out.write_bytes(b"keep me\n")
    out.chmod(0o444)
    result = cli("export", "-o", out)
    assert result.code == 2
    line = one_line(result.err)
    assert str(out) in line and "read-only" in line
    assert out.read_bytes() == b"keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frozen.ttl"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_temporary_left_by_a_killed_write_is_removed_by_the_next(tmp_path):
    stale = tmp_path / f".crm.ttl.etom-kg-{_dead_pid()}-0.tmp"
    stale.write_bytes(b"half writt")
    alive = tmp_path / f".crm.ttl.etom-kg-{os.getppid()}-0.tmp"  # a live process: its own
    alive.write_bytes(b"in progress")
    someone_elses = tmp_path / ".notes.txt.tmp"
    someone_elses.write_bytes(b"not ours")
    atomic_write(tmp_path / "crm.ttl", "new")
    assert not stale.exists()
    assert alive.exists() and someone_elses.exists()
    assert (tmp_path / "crm.ttl").read_text() == "new"
    assert remove_stale_temporaries(tmp_path) == []


def test_a_killed_write_leaves_a_temporary_that_says_what_it_is(tmp_path):
    script = ("import os, etom_kg.io.atomic as a\n"
              "os.fsync = lambda fd: os.kill(os.getpid(), 9)\n"
              f"a.atomic_write({str(tmp_path / 'crm.ttl')!r}, 'x' * 1000)\n")
    subprocess.run([sys.executable, "-c", script], timeout=60)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".crm.ttl.etom-kg-") and left[0].endswith(".tmp")
    atomic_write(tmp_path / "crm.ttl", "done")
    assert [p.name for p in tmp_path.iterdir()] == ["crm.ttl"]


def test_an_unwritable_output_folder_is_one_line(cli, tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, *args, **kwargs):  # as root every folder is writable: fake EACCES
        if str(path).startswith(str(tmp_path)) and ".etom-kg-" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    out = tmp_path / "crm.ttl"
    result = cli("export", "-o", out)
    assert result.code == 2
    line = one_line(result.err)
    assert str(out) in line and "Permission denied" in line
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def failing_store():
    """A Graph Store Protocol endpoint that accepts two PUTs, then fails."""
    import http.server

    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(self.path)
            self.send_response(204 if len(received) <= 2 else 503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/store", received
    httpd.shutdown()
    httpd.server_close()


def test_a_push_that_fails_part_way_says_which_graphs_it_already_replaced(cli, failing_store):
    url, received = failing_store
    result = cli("push", "--endpoint", url)
    assert result.code == 2, result
    line = one_line(result.err)
    assert "HTTP 503" in line and "2 of" in line and "already replaced" in line
    assert len(received) == 3


def test_the_push_api_lists_the_replaced_graphs(kg, failing_store):
    from etom_kg.core.errors import EtomKgError
    from etom_kg.graph.remote import push

    url, received = failing_store
    with pytest.raises(EtomKgError) as caught:
        push(url, kg=kg)
    assert len(caught.value.replaced) == 2
    assert all(g.startswith("https://") for g in caught.value.replaced)
