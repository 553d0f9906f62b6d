"""The ``etom-kg`` command: argument parsing → one API call → printing.

Each sub-command lives in ``etom_kg/commands/<name>.py`` and exposes
``register(subparsers)``; modules import heavy libraries only inside their
``run`` functions so that start-up stays fast. Exit codes: 0 ok, 1 the data
does not conform / nothing matched where that is a finding, 2 bad input or usage.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import commands
from .core.errors import EtomKgError


def _command_modules(argv: list[str]) -> list[str]:
    """The command modules to import: only the one named on the command line, if any.

    Importing every command costs ~60 ms of start-up; ``etom-kg show`` needs one.
    """
    # A directory listing, not pkgutil: importing pkgutil alone costs ~8 ms.
    names = sorted(entry.name[:-3] for folder in commands.__path__
                   for entry in os.scandir(folder)
                   if entry.name.endswith(".py") and not entry.name.startswith("_"))
    words = [a for a in argv if not a.startswith("-")]
    if words and words[0].replace("-", "_") in names:
        return [words[0].replace("-", "_")]
    return names


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="etom-kg",
        description="eTOM CRM (ГОСТ Р 53633.3-2009) knowledge graph: show, query, "
                    "validate, classify, merge, export.")
    parser.add_argument("--debug", action="store_true",
                        help="show Python tracebacks instead of one-line errors")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules(sys.argv[1:] if argv is None else argv):
        importlib.import_module(f"{commands.__name__}.{name}").register(sub)
    return parser




def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"etom-kg {__version__}")
        return 0
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    from .io import guard  # the command runs in a worker: Ctrl-C and --timeout act at once

    if argv is None:  # as a program: `kill` stops like Ctrl-C (temporaries removed)
        _on_sigterm()
    try:
        return int(guard.run(args.run, args, timeout=getattr(args, "timeout", None),
                             what=f"etom-kg {args.command}") or 0)
    except EtomKgError as exc:
        if args.debug:
            raise
        _say(f"etom-kg: error: {exc}")
        return _finish(exc.exit_code, argv)
    except KeyboardInterrupt as exc:  # Ctrl-C: 130; `kill` (SIGTERM): 143, as shells say
        return _finish(143 if isinstance(exc, _Terminated) else 130, argv)
    except BrokenPipeError:  # e.g. `etom-kg tree | head`
        sys.stderr.close()
        return 0
    except (MemoryError, RecursionError, OSError, UnicodeError) as exc:
        if args.debug:
            raise
        _say(f"etom-kg: error: {_describe(exc)}")
        return _finish(2, argv)
    except Exception as exc:  # a bug of ours: still one line; --debug shows where
        if args.debug:
            raise
        if isinstance(exc, RuntimeError) and str(exc).startswith("Symlink loop"):
            _say(f"etom-kg: error: {_first_line(exc)}")  # Path.resolve
            return _finish(2, argv)
        _say(f"etom-kg: internal error: {type(exc).__name__}: {_first_line(exc)} "
             "(--debug shows the traceback)")
        return _finish(1, argv)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is."""


def _on_sigterm() -> None:
    import signal
    import threading

    def stop(signum, frame):
        raise _Terminated

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def _say(line: str) -> None:
    """Print an error line; a file name that is not UTF-8 shows as U+FFFD, never crashes."""
    print(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), file=sys.stderr)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _describe(exc: BaseException) -> str:
    """One line for an error no command turned into an EtomKgError, naming the file if known."""
    if isinstance(exc, MemoryError):
        return "not enough memory for this input (see ETOM_KG_MAX_* limits in the README)"
    if isinstance(exc, RecursionError):
        return "input nested too deeply to process (Python's recursion limit)"
    if isinstance(exc, UnicodeEncodeError):  # the output, not the input
        return (f"cannot print these characters in the {exc.encoding} encoding of the output; "
                "use a UTF-8 locale or PYTHONIOENCODING=utf-8")
    if isinstance(exc, UnicodeError):
        return f"text is not valid UTF-8 ({_first_line(exc)})"
    name = getattr(exc, "filename", None)
    reason = getattr(exc, "strerror", None) or _first_line(exc)
    return f"{os.fsdecode(name)}: {reason}" if name else reason


def _finish(code: int, argv) -> int:
    """``code``; as a program, with engine work still running, end the process hard."""
    from .io import atomic, guard

    if argv is None and guard.runaway():  # stuck in Rust: no way to stop it but to exit
        atomic.cleanup()
        guard.stop_children()  # e.g. HermiT's Java, which would outlive us
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
