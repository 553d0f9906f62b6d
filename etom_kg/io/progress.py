"""A progress bar on the terminal for long reads (imports and merges of big files).

The bar appears only when the stream (stderr) is a terminal and only once the
work has taken longer than ``delay`` seconds, so short loads, pipes, logs and
tests print nothing. It counts bytes read, so it works with any parser that
pulls from a file object (pyoxigraph's ``Store.load`` does).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

WIDTH = 30  # characters of the bar itself


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover (loop always returns)


class ProgressReader:
    """A binary file whose ``read`` advances a progress bar on ``stream``.

    Use as a context manager: ``with ProgressReader(path) as f: store.load(f, ...)``.
    ``clock`` is injectable so the delay can be tested without waiting.
    """

    def __init__(self, path, *, label: str | None = None, stream=None, delay: float = 1.0,
                 clock=time.monotonic):
        self.path = Path(path)
        self.label = label or self.path.name
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.clock = clock
        self.total = self.path.stat().st_size
        self.done = 0
        self.shown = False
        self._file = None
        self._start = 0.0
        self._last = 0.0
        try:
            self.enabled = bool(self.stream.isatty())
        except (AttributeError, ValueError):  # closed or not a real stream
            self.enabled = False

    def __enter__(self) -> "ProgressReader":
        self._file = open(self.path, "rb")  # noqa: SIM115 (closed in __exit__)
        self._start = self._last = self.clock()
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()
        if self.shown:
            if exc[0] is None:
                self._draw(final=True)
            self.stream.write("\n")
            self.stream.flush()

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.done += len(data)
        if self.enabled:
            now = self.clock()
            if now - self._start >= self.delay and (not self.shown or now - self._last >= 0.1):
                self._last = now
                self._draw()
        return data

    def line(self, final: bool = False) -> str:
        """The text of the bar, e.g. ``big.nt  [######-----]  58%  12.0 MB/20.6 MB  3.1 s``."""
        fraction = 1.0 if final or not self.total else min(self.done / self.total, 1.0)
        filled = int(WIDTH * fraction)
        elapsed = self.clock() - self._start
        return (f"{self.label}  [{'#' * filled}{'-' * (WIDTH - filled)}] {fraction:4.0%}  "
                f"{_size(self.done)}/{_size(self.total)}  {elapsed:.1f} s")

    def _draw(self, final: bool = False) -> None:
        self.shown = True
        self.stream.write("\r" + self.line(final))
        self.stream.flush()


__all__ = ["ProgressReader"]
