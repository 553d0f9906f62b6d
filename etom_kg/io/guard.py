"""Long work that can be stopped: a worker thread, a deadline, a memory watch, Ctrl-C.

pyoxigraph evaluates a query (and parses a file) in Rust with the GIL released;
Python cannot interrupt it, so a Ctrl-C or a timeout in the same thread would
only be noticed once the engine returns, possibly minutes later. :func:`run`
therefore runs the work in a worker thread while the calling thread waits in
short, interruptible steps and watches the clock and the process's memory.
When a limit is reached or Ctrl-C is pressed, the caller gets the exception at
once (within ~50 ms); the worker is told to stop (:func:`check` raises in it
at its next row, and :func:`~etom_kg.io.atomic.atomic_write` refuses to put a
file in place). Work still stuck inside the engine cannot be killed in-process:
the CLI then ends the process (``os._exit``) after removing its temporary files;
an API caller's thread keeps running in the background until the engine call
returns. A hard kill needs a subprocess; measured 2026-11-30 on the shipped graph
(a 5-row query, 50 runs, 2-core VM): inline 0.8 ms, in a worker thread 1.3 ms,
in a forked child 27 ms, and a fork is unsafe once an on-disk store's threads run.
So: a thread, and a hard exit where the CLI must stop the engine.
"""
from __future__ import annotations

import os
import threading
import time

from ..core.errors import EtomKgError
from . import limits

_POLL = 0.05  # seconds between looks at the clock and the memory


class ResourceLimit(EtomKgError):
    """Work stopped because it ran into a time, memory or row limit (exit 2)."""


class Timeout(ResourceLimit):
    """Work that ran longer than its time limit (``--timeout``, ``ETOM_KG_TIMEOUT``)."""


class Cancelled(ResourceLimit):
    """Raised inside a worker whose caller stopped waiting (timeout, Ctrl-C, memory)."""


class _Job:
    def __init__(self, deadline: float | None, what: str):
        self.deadline = deadline
        self.what = what
        self.cancelled = threading.Event()
        self.done = threading.Event()
        self.result = None
        self.error: BaseException | None = None


_local = threading.local()
_runaway: list[threading.Thread] = []


def _job() -> _Job | None:
    return getattr(_local, "job", None)


def cancelled() -> bool:
    """True inside a worker whose caller has stopped waiting for it."""
    job = _job()
    return job is not None and job.cancelled.is_set()


def check() -> None:
    """Raise :class:`Cancelled` or :class:`Timeout` when the current work must stop.

    Long loops (rows of a result, shapes of a validation) call this now and then;
    outside a worker it only checks nothing and returns.
    """
    job = _job()
    if job is None:
        return
    if job.cancelled.is_set():
        raise Cancelled(f"{job.what} was stopped")
    if job.deadline is not None and time.monotonic() > job.deadline:
        job.cancelled.set()
        raise Timeout(_timeout_message(job))


def _timeout_message(job: _Job, seconds: float | None = None) -> str:
    return (f"{job.what} took longer than its time limit"
            + (f" of {seconds:g} s" if seconds else "")
            + " (--timeout, ETOM_KG_TIMEOUT)")


def memory_limit() -> tuple[int | None, bool]:
    """(bytes, virtual): the memory at which work is stopped, and whether it is address space.

    :data:`limits.MAX_MEMORY` if set (resident memory); else 90% of the address
    space limit (``ulimit -v``, ``prlimit --as``) when there is one, since
    reaching it makes the engine abort; else 80% of the machine's RAM.
    """
    if limits.MAX_MEMORY:
        return limits.MAX_MEMORY, False
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            return int(soft * 0.9), True
    except (ImportError, ValueError, OSError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8), False
    except (ValueError, OSError, AttributeError):
        return None, False


def memory_used(virtual: bool = False) -> int | None:
    """This process's resident (or virtual) memory in bytes, where the system tells (Linux)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            size, resident = handle.read().split()[:2]
    except (OSError, ValueError):
        return None
    return int(size if virtual else resident) * os.sysconf("SC_PAGE_SIZE")


def run(fn, *args, timeout: float | None = None, what: str = "the work", **kwargs):
    """``fn(*args, **kwargs)`` in a worker thread, stoppable by Ctrl-C, ``timeout`` and memory.

    ``timeout`` in seconds (default :data:`limits.TIMEOUT`; ``None``/0: none).
    Raises :class:`Timeout` or :class:`ResourceLimit` (memory) in the caller
    the moment a limit is reached, ``KeyboardInterrupt`` on Ctrl-C; otherwise
    returns what ``fn`` returns or raises what it raises. Nested calls (work
    already in a worker) run inline under the outer deadline.
    """
    timeout = limits.TIMEOUT if timeout is None else timeout
    outer = _job()
    if outer is not None:  # already in a worker: the outer caller is watching
        if timeout:
            deadline = time.monotonic() + timeout
            if outer.deadline is None or deadline < outer.deadline:
                saved = outer.deadline
                outer.deadline = deadline
                try:
                    return fn(*args, **kwargs)
                finally:
                    outer.deadline = saved
        return fn(*args, **kwargs)
    job = _Job(time.monotonic() + timeout if timeout else None, what)

    def work():
        _local.job = job
        try:
            job.result = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the caller, re-raised there
            _release(exc)
            job.error = exc
        finally:
            job.done.set()

    size = threading.stack_size()
    try:
        # Deep but legitimate recursion (rdflib, pySHACL, the engine's parsers) gets more room
        # than the 8 MiB of the main thread; it is only reserved, not used.
        threading.stack_size(32 * 1024 * 1024)
    except (ValueError, RuntimeError):
        pass
    try:
        worker = threading.Thread(target=work, name="etom-kg-worker", daemon=True)
        worker.start()
    finally:
        try:
            threading.stack_size(size)
        except (ValueError, RuntimeError):
            pass
    memory, virtual = memory_limit()
    try:
        while not job.done.wait(_POLL):
            if job.deadline is not None and time.monotonic() > job.deadline:
                raise Timeout(_timeout_message(job, timeout))
            if memory is not None:
                used = memory_used(virtual)
                if used is not None and used > memory:
                    raise ResourceLimit(
                        f"{job.what} was stopped: it needed more than {memory // 2**20} MiB "
                        "of memory (ETOM_KG_MAX_MEMORY, ulimit -v)")
    except BaseException:  # Timeout, memory, KeyboardInterrupt: tell the worker to stop
        job.cancelled.set()
        if not job.done.is_set():
            _runaway.append(worker)
        raise
    if job.error is not None:
        error = job.error
        job.error = None
        raise error
    return job.result


def stop_children() -> list[int]:
    """Send SIGTERM to this process's child processes (HermiT's Java); return their ids.

    Abandoned work may have started one; ending the process would orphan it.
    Linux only (read from /proc); elsewhere nothing is done.
    """
    import signal

    me, stopped = os.getpid(), []
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return stopped
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[1]) == me:
                os.kill(int(entry), signal.SIGTERM)
                stopped.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return stopped


def call(fn, *args, timeout: float | None = None, what: str = "the work", **kwargs):
    """:func:`run` when a time limit applies (``timeout`` or :data:`limits.TIMEOUT`), else inline.

    The API's entry points use this: no thread is started for the many small
    calls that need no limit.
    """
    if timeout or limits.TIMEOUT:
        return run(fn, *args, timeout=timeout, what=what, **kwargs)
    return fn(*args, **kwargs)


def compact(kg, removed: int) -> None:
    """Give back the memory of removed quads: copy an in-memory store once they outweigh it.

    pyoxigraph's in-memory store keeps what was removed (300 merge/remove cycles
    of a small model grew the process by 162 MB); a copy holds only the live
    quads. Amortised: a copy per removal of as many quads as the store holds.
    """
    import pyoxigraph as ox

    if getattr(kg, "_disk", None) is not None or removed <= 0:  # RocksDB reclaims its own
        return
    kg._garbage = getattr(kg, "_garbage", 0) + removed
    if kg._garbage < max(len(kg.store), 10_000):
        return
    fresh = ox.Store()
    fresh.bulk_extend(kg.store)
    kg.store = fresh
    kg._garbage = 0
    view = getattr(kg, "_rdflib", None)  # the rdflib view follows the graph to its new store
    if view is not None and hasattr(view.store, "_inner"):
        view.store._inner = fresh


def store_error(exc: BaseException, directory) -> EtomKgError:
    """One line for an on-disk store that cannot be opened or written (damaged, disk full)."""
    from ..core.errors import InputError

    reason = " ".join(str(exc).split()) or type(exc).__name__
    if "Corruption" in reason or "corrupt" in reason:
        reason += "; the store is damaged: remove the folder and run again to rebuild it"
    elif "lock file" in reason.lower():
        reason += " (another process has the store open)"
    return InputError(f"cannot use the store: {reason[:400]}", path=directory)


def _release(exc: BaseException) -> None:
    """Drop the locals of the failed frames here, in the worker.

    The engine's result iterators may only be freed by the thread that made them;
    the traceback (kept for ``--debug``) would otherwise free them in the caller's.
    """
    import traceback

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__context__


def runaway() -> bool:
    """True when work abandoned by :func:`run` is still running (the CLI then exits hard)."""
    _runaway[:] = [t for t in _runaway if t.is_alive()]
    return bool(_runaway)


def bounded(items, limit: int | None, what: str = "the query"):
    """Yield ``items``; :class:`ResourceLimit` past ``limit`` of them; checks the deadline."""
    for count, item in enumerate(items, 1):
        if count & 1023 == 0:
            check()
        if limit is not None and count > limit:
            raise ResourceLimit(f"{what} returned more than {limit} results; refine it "
                                "(LIMIT in the query) or raise the limit (--limit, "
                                "ETOM_KG_MAX_ROWS)")
        yield item


# -- the CLI's last line of defence (etom_kg.cli.main calls these) -------------------------
class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is."""


def stop_on_sigterm() -> None:
    """Make SIGTERM (``kill``) stop the program as Ctrl-C does: temporaries removed."""
    import signal

    def stop(signum, frame):
        raise Terminated

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def interrupt_code(exc: BaseException) -> int:
    """The exit status after an interruption: 143 for SIGTERM, 130 for Ctrl-C."""
    return 143 if isinstance(exc, Terminated) else 130


def say(line: str) -> None:
    """Print an error line; a file name that is not UTF-8 shows as U+FFFD, never crashes."""
    import sys

    print(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), file=sys.stderr)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def describe(exc: BaseException) -> tuple[int, str]:
    """(exit status, one line) for an error no command turned into an EtomKgError.

    Resource exhaustion, the system and encodings are the input's fault (2, naming
    the file where the error knows it); anything else is a bug of ours (1).
    """
    if isinstance(exc, MemoryError):
        reason = "not enough memory for this input (see ETOM_KG_MAX_* limits in the README)"
    elif isinstance(exc, RecursionError):
        reason = "input nested too deeply to process (Python's recursion limit)"
    elif isinstance(exc, UnicodeEncodeError):  # the output, not the input
        reason = (f"cannot print these characters in the {exc.encoding} encoding of the "
                  "output; use a UTF-8 locale or PYTHONIOENCODING=utf-8")
    elif isinstance(exc, UnicodeError):
        reason = f"text is not valid UTF-8 ({_first_line(exc)})"
    elif isinstance(exc, OSError):
        name = getattr(exc, "filename", None)
        reason = exc.strerror or _first_line(exc)
        reason = f"{os.fsdecode(name)}: {reason}" if name else reason
    elif isinstance(exc, RuntimeError) and str(exc).startswith("Symlink loop"):
        reason = _first_line(exc)  # pathlib's resolve() on a link loop
    else:
        return 1, (f"etom-kg: internal error: {type(exc).__name__}: {_first_line(exc)} "
                   "(--debug shows the traceback)")
    return 2, f"etom-kg: error: {reason}"


def finish(code: int, argv) -> int:
    """``code``; as a program, with engine work still running, end the process hard."""
    import sys

    from . import atomic

    if argv is None and runaway():  # stuck in Rust: no way to stop it but to exit
        atomic.cleanup()
        stop_children()  # e.g. HermiT's Java, which would outlive us
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    return code


__all__ = ["ResourceLimit", "Timeout", "Cancelled", "Terminated", "run", "call", "check",
           "cancelled", "bounded", "runaway", "memory_limit", "memory_used", "compact",
           "store_error", "stop_children", "stop_on_sigterm", "interrupt_code", "say",
           "describe", "finish"]
