"""Writing result files the way users expect: all or nothing, never a half-written file.

- A regular file (or a new one) is written to a temporary file beside it and
  renamed over it: readers see the old content or the new, never a mix. The
  file keeps its permission bits (a 0600 file stays 0600).
- A symbolic link is followed: its *target* is replaced (atomically there) and
  the link stays a link.
- Anything else (``/dev/stdout``, a terminal, a FIFO, a character device) is
  written through: renaming a file over it would replace the device itself.
- A read-only file is not replaced behind the user's back: that is an error.
- Temporaries are named ``.NAME.etom-kg-PID-N.tmp``; those of a process that
  has died (killed mid-write) are removed by the next write to the same folder.
"""
from __future__ import annotations

import itertools
import os
import re
import stat
from pathlib import Path

from ..core.errors import InputError


class OutputError(InputError, OSError):
    """An output file cannot be written (it names the file; still an ``OSError``)."""


_pending: set[str] = set()           # temporaries being written by this process
_counter = itertools.count()
_TEMPORARY = re.compile(r"^\..+\.etom-kg-(\d+)-\d+\.tmp$")


def atomic_write(path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` (see the module docstring for links and special files).

    If anything fails, the previous content of ``path`` (if any) is untouched and
    no temporary file is left behind. Returns ``path``.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode(encoding)
    try:
        info = os.stat(path)  # follows a symbolic link to its target
    except FileNotFoundError:
        info = None
    except OSError as exc:  # a symlink loop, a name too long, a folder we may not enter
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError("output path is a directory", path=path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        return _write_through(path, data)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("output folder does not exist", path=path)
    if info is not None and (not info.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise OutputError("the file is read-only; etom-kg does not replace it (make it "
                          "writable or remove it first)", path=path)
    remove_stale_temporaries(folder)
    tmp = folder / f".{target.name}.etom-kg-{os.getpid()}-{next(_counter)}.tmp"
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    _pending.add(str(tmp))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)
                if info is not None and os.geteuid() == 0:  # root keeps the owner, too
                    try:
                        os.fchown(handle.fileno(), info.st_uid, info.st_gid)
                    except OSError:
                        pass
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _not_cancelled()
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
    except OSError as exc:
        if isinstance(exc, InputError):
            raise
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from exc
    finally:
        _pending.discard(str(tmp))
    return path


def _write_through(path: Path, data: bytes) -> Path:
    """Write to a device, FIFO or ``/dev/stdout`` in place: there is nothing to rename."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from exc
    return path


def _not_cancelled() -> None:
    """After Ctrl-C or a timeout the caller has given up: do not put the file in place."""
    from . import guard

    if guard.cancelled():
        raise guard.Cancelled("writing was stopped")


def remove_stale_temporaries(folder) -> list[Path]:
    """Remove temporaries left in ``folder`` by etom-kg processes that have died; return them."""
    removed = []
    try:
        names = [e.name for e in os.scandir(folder) if e.name.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None or _alive(int(match.group(1))):
            continue
        try:
            os.unlink(os.path.join(folder, name))
            removed.append(Path(folder) / name)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's live process (or cannot tell): leave its file alone
    return True


def cleanup() -> None:
    """Remove this process's temporaries now (before a hard exit after Ctrl-C or a timeout)."""
    for name in list(_pending):
        try:
            os.unlink(name)
        except OSError:
            pass
        _pending.discard(name)


def _umask() -> int:
    try:  # Linux tells without changing it (os.umask would race with other threads)
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


__all__ = ["atomic_write", "OutputError", "remove_stale_temporaries", "cleanup"]
