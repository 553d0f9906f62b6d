"""The progress bar for long imports: only on a terminal, only after a delay."""
from __future__ import annotations

import io
import itertools

import pyoxigraph as ox

from etom_kg.io.progress import ProgressReader


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def slow_clock(step: float):
    """A clock that advances ``step`` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: next(ticks) * step


def big_file(tmp_path, n=3000):
    path = tmp_path / "big.nt"
    path.write_text("".join(f"<urn:x:s{i}> <urn:x:p> \"{i}\" .\n" for i in range(n)),
                    encoding="utf-8")
    return path


def load(reader) -> ox.Store:
    store = ox.Store()
    with reader as f:
        store.load(f, format=ox.RdfFormat.N_TRIPLES)
    return store


def test_a_slow_load_on_a_terminal_shows_a_bar_that_ends_at_100_percent(tmp_path):
    stream = Terminal()
    store = load(ProgressReader(big_file(tmp_path), stream=stream, clock=slow_clock(0.5)))
    assert len(store) == 3000
    text = stream.getvalue()
    assert text.startswith("\rbig.nt  [")
    assert text.rstrip("\n").rsplit("\r", 1)[-1].split("]")[1].strip().startswith("100%")
    assert text.endswith("\n") and text.count("\n") == 1


def test_a_load_faster_than_the_delay_prints_nothing(tmp_path):
    stream = Terminal()
    load(ProgressReader(big_file(tmp_path), stream=stream, delay=1.0, clock=lambda: 0.0))
    assert stream.getvalue() == ""


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    stream = io.StringIO()
    store = load(ProgressReader(big_file(tmp_path), stream=stream, clock=slow_clock(5.0)))
    assert stream.getvalue() == "" and len(store) == 3000


def test_the_bar_reads_the_file_unchanged(tmp_path):
    path = big_file(tmp_path)
    through_bar = load(ProgressReader(path, stream=Terminal(), clock=slow_clock(1.0)))
    direct = ox.Store()
    direct.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    assert set(through_bar) == set(direct)


def test_the_bar_line_shows_name_fraction_and_sizes(tmp_path):
    path = big_file(tmp_path)
    reader = ProgressReader(path, stream=Terminal(), clock=lambda: 2.0)
    with reader as f:
        f.read(path.stat().st_size // 2)
        line = reader.line()
    assert line.startswith("big.nt  [" + "#" * 15 + "-" * 15 + "]  50%")
    assert "kB/" in line and line.endswith("0.0 s")
