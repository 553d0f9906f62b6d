"""Long work can be stopped (Ctrl-C, --timeout) and bounded (rows, memory), in one line.

The engine evaluates queries in Rust, where Python cannot interrupt it; etom-kg
runs the work in a worker thread and the main thread stays responsive.
"""
from __future__ import annotations

import os
import sys
import textwrap

import pytest

from etom_kg.io import guard
from etom_kg.io.atomic import atomic_write

from .cases import chain
from .conftest import one_line, run_capped

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }\n"
SORTED_CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f\n"
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(?a = ?d) }\n"


def _query(tmp_path, text, name="q.rq"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_runaway_select_star_ends_at_the_row_limit_in_one_line(tmp_path, cli):
    from etom_kg.io import limits

    query = _query(tmp_path, CROSS_JOIN)
    result = run_capped("sparql", query, "--format", "csv", "--limit", "2000", timeout=60)
    assert result.code == 2, result.err[-2000:]
    assert "more than 2000 results" in one_line(result.err) and "--limit" in result.err
    assert result.out == ""
    assert result.peak_mb < 600
    assert limits.CLI_MAX_ROWS == 100_000  # the default, documented in --help
    assert "100000" in " ".join(cli("sparql", "--help").out.split())


def test_timeout_stops_a_query_stuck_inside_the_engine(tmp_path):
    query = _query(tmp_path, SORTED_CROSS_JOIN)  # ORDER BY: nothing comes out before the end
    result = run_capped("sparql", query, "--timeout", "1.5", timeout=60)
    assert result.code == 2, result.err[-2000:]
    assert "time limit of 1.5 s" in one_line(result.err)
    assert result.seconds < 10


def test_the_timeout_can_come_from_the_environment(tmp_path):
    env = {**os.environ, "ETOM_KG_TIMEOUT": "1"}
    result = run_capped("sparql", _query(tmp_path, SLOW_COUNT), env=env, timeout=60)
    assert result.code == 2 and "ETOM_KG_TIMEOUT" in one_line(result.err)


def test_a_query_that_needs_too_much_memory_is_stopped_in_one_line(tmp_path):
    env = {**os.environ, "ETOM_KG_MAX_MEMORY": "400M"}
    result = run_capped("sparql", _query(tmp_path, SORTED_CROSS_JOIN), env=env, timeout=120)
    assert result.code == 2, result.err[-2000:]
    assert "memory" in one_line(result.err)
    assert result.peak_mb < 1500  # stopped near 400 MiB, long before the 3 GiB cap


@pytest.mark.parametrize("argv", [("sparql", "{slow}"), ("validate", "{chain}")],
                         ids=["sparql", "validate"])
def test_ctrl_c_stops_long_work_within_a_second_with_exit_130(argv, tmp_path):
    slow = _query(tmp_path, SLOW_COUNT)
    long_chain = tmp_path / "chain.ttl"
    long_chain.write_text(chain(2500), encoding="utf-8")  # validates for well over 3 s
    env = {**os.environ, "ETOM_KG_MAX_HIERARCHY": "10000"}
    result = run_capped(*(a.format(slow=slow, chain=long_chain) for a in argv), env=env,
                        interrupt_after=2.5, timeout=30)
    assert result.code == 130, (result.code, result.err[-2000:])
    assert result.seconds < 1.0, result.seconds
    assert "Traceback" not in result.err
    assert result.out == ""  # nothing half printed


def test_kill_stops_long_work_at_once_with_exit_143(tmp_path):
    import signal

    result = run_capped("sparql", _query(tmp_path, SLOW_COUNT), interrupt_after=2.5,
                        signal_number=signal.SIGTERM, timeout=30)
    assert result.code == 143, (result.code, result.err[-2000:])
    assert result.seconds < 1.0 and result.err == "" and result.out == ""


def test_the_api_gives_a_time_limit_and_a_row_limit(tmp_path):
    long_chain = tmp_path / "chain.ttl"
    long_chain.write_text(chain(900), encoding="utf-8")
    script = textwrap.dedent(f"""
        import time, etom_kg
        from etom_kg.io.guard import Timeout, ResourceLimit
        kg = etom_kg.load(links=False)
        start = time.monotonic()
        try:
            kg.sparql({SLOW_COUNT!r}, timeout=0.5)
        except Timeout as exc:
            print("timeout", round(time.monotonic() - start, 1), exc)
        try:
            kg.sparql({CROSS_JOIN!r}, limit=1000)
        except ResourceLimit as exc:
            print("limit", exc)
        print(len(kg.sparql("SELECT * WHERE {{ ?s ?p ?o }} LIMIT 5", timeout=30)))
        start = time.monotonic()
        try:
            etom_kg.validate({str(long_chain)!r}, timeout=0.5)
        except Timeout as exc:
            print("validate", round(time.monotonic() - start, 1))
    """)
    import subprocess

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("timeout ") and float(lines[0].split()[1]) < 2, done
    assert lines[1].startswith("limit ") and "more than 1000 results" in lines[1]
    assert lines[2] == "5"
    assert lines[3].startswith("validate ") and float(lines[3].split()[1]) < 2, done


def test_a_write_asked_for_after_a_timeout_never_lands(tmp_path):
    import threading

    out = tmp_path / "result.ttl"
    out.write_bytes(b"previous\n")
    release = threading.Event()
    outcome = []

    def slow_then_write():
        release.wait(10)
        try:
            atomic_write(out, "late content")
        except guard.Cancelled as exc:
            outcome.append(exc)
        finally:
            outcome.append("done")

    with pytest.raises(guard.Timeout):
        guard.run(slow_then_write, timeout=0.2, what="the export")
    release.set()
    for _ in range(200):
        if "done" in outcome:
            break
        threading.Event().wait(0.01)
    assert isinstance(outcome[0], guard.Cancelled)
    assert out.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.ttl"]


def test_work_that_fails_in_the_worker_raises_its_own_error_in_the_caller():
    def broken():
        raise ValueError("bad value")

    with pytest.raises(ValueError, match="bad value") as caught:
        guard.run(broken)
    assert caught.traceback[-1].name == "broken"  # --debug still shows where
    assert guard.run(lambda x: x * 2, 21) == 42
