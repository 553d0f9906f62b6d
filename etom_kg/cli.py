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

# Optional modules → the extra that installs them (pyproject.toml [project.optional-dependencies]).
EXTRAS = {"pylode": "docs", "cairosvg": "png", "cairocffi": "png"}


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
    if not words and "--version" in argv and not {"-h", "--help"} & set(argv):
        return []   # `etom-kg --version` needs no command
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
    _accept_debug_anywhere(sub)
    return parser


def _accept_debug_anywhere(subparsers) -> None:
    """``--debug`` after the command name too (``etom-kg show 9.9 --debug``)."""
    for parser in set(subparsers.choices.values()):
        if not any("--debug" in a.option_strings for a in parser._actions):
            parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                                help="show Python tracebacks instead of one-line errors")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_debug_anywhere(action)




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
        guard.stop_on_sigterm()
    try:
        return int(guard.run(args.run, args, timeout=getattr(args, "timeout", None),
                             what=f"etom-kg {args.command}") or 0)
    except EtomKgError as exc:
        if args.debug:
            raise
        guard.say(f"etom-kg: error: {exc}")
        return guard.finish(exc.exit_code, argv)
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get((exc.name or "").partition(".")[0])
        if args.debug:
            raise
        if extra is None:  # not an optional part: the safety net's one line
            code, line = guard.describe(exc)
            guard.say(line)
            return guard.finish(code, argv)
        guard.say(f"etom-kg: error: {args.command} needs {exc.name}, which the default "
                  f"install leaves out: pip install 'etom-kg[{extra}]'")
        return guard.finish(2, argv)
    except KeyboardInterrupt as exc:  # Ctrl-C: 130; `kill` (SIGTERM): 143, as shells say
        return guard.finish(guard.interrupt_code(exc), argv)
    except BrokenPipeError:  # e.g. `etom-kg tree | head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # MemoryError, OSError, a bug...: still one line
        if args.debug:
            raise
        code, line = guard.describe(exc)
        guard.say(line)
        return guard.finish(code, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
