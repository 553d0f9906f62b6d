"""Options shared by the commands: one spelling, one default, one meaning everywhere.

``--data FILE...`` adds the user's RDF files to the graph (every command that
reads the graph), ``--lang ru|en|both`` picks the language of names and of the
program's own words, ``--format text|csv|json`` (plus graph formats where they
make sense) picks the output form, ``-o FILE`` writes to a file, ``-o -`` to
standard output. Writers say on standard error what they wrote, so standard
output carries only the result.
"""
from __future__ import annotations

import sys

from ..publish.i18n import DEFAULT_LANG, LANGS

DATA_HELP = "RDF file(s) to add to the graph, each as a named graph (repeatable)"
FORMATS = ("text", "csv", "json")


def add_data_argument(p, note: str = "") -> None:
    """``--data FILE...``: the user's files added to the graph (extensions, models);
    ``note`` says what the command does with them beyond that."""
    p.add_argument("--data", action="extend", nargs="+", default=[], metavar="FILE",
                   help=DATA_HELP + (f"; {note}" if note else ""))


def add_source_arguments(p) -> None:
    """``--data FILE...``, ``--endpoint URL``, ``--store DIR``."""
    add_data_argument(p)
    p.add_argument("--endpoint", metavar="URL",
                   help="run the query on this SPARQL 1.1 endpoint instead of the embedded "
                        "graph (credentials: ETOM_KG_AUTHORIZATION environment variable)")
    p.add_argument("--store", metavar="DIR",
                   help="keep the graph (and --data files) in an on-disk store in DIR: "
                        "a large merged graph is loaded once and queried many times")


def add_lang_argument(parser, choices=LANGS) -> None:
    """The shared ``--lang ru|en|both`` option (one default everywhere, see publish.i18n)."""
    default = DEFAULT_LANG if DEFAULT_LANG in choices else choices[0]
    parser.add_argument("--lang", choices=tuple(choices), default=default,
                        help=f"language of names and of the output's own words "
                             f"(default: {default}; ETOM_KG_LANG changes it)")


ALIASES = {"table": "text", "ttl": "turtle"}  # names older versions used, still accepted


def _format_name(text: str) -> str:
    return ALIASES.get(text, text)


def add_format_argument(parser, extra=(), formats=FORMATS) -> None:
    """The shared ``--format`` option: ``text`` (for people), ``csv``, ``json``, plus ``extra``."""
    choices = tuple(formats) + tuple(extra)
    parser.add_argument("--format", choices=choices, default=choices[0], type=_format_name,
                        help=f"output format (default: {choices[0]})")


def add_output_argument(parser, *, required: bool = False, metavar: str = "FILE",
                        what: str = "the output") -> None:
    """The shared ``-o/--output FILE`` option; ``-o -`` is standard output."""
    parser.add_argument("-o", "--output", required=required, metavar=metavar,
                        default=None if required else "-",
                        help=f"write {what} to this file ('-' = standard output"
                             f"{'' if required else ', the default'})")


def to_stdout(path) -> bool:
    return path is None or str(path) == "-"


def write_output(path, data: bytes | str, *, lang: str = DEFAULT_LANG, note: str = "") -> None:
    """``data`` to ``path`` (atomically) or to standard output for ``-``; a file written
    is reported on standard error: ``wrote FILE (N bytes)``."""
    if to_stdout(path):
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    from ..io.atomic import atomic_write
    from ..publish.i18n import word

    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    atomic_write(path, data)
    unit = "байт" if lang == "ru" else "bytes"
    print(f"{word('wrote', lang)} {path} ({size} {unit}{note})", file=sys.stderr)


def say(message: str) -> None:
    """A note for the person at the terminal (standard error: standard output stays data)."""
    print(message, file=sys.stderr)


def add_limit_arguments(parser, *, rows: bool = False) -> None:
    """``--timeout SECONDS`` (and ``--limit N`` rows): stop runaway work with one line."""
    from ..io import limits

    parser.add_argument("--timeout", type=_positive(float), default=limits.TIMEOUT,
                        metavar="SECONDS",
                        help="stop with an error after SECONDS (default: ETOM_KG_TIMEOUT or "
                             "none); Ctrl-C always stops at once")
    if rows:
        parser.add_argument("--limit", type=_positive(int), default=limits.CLI_MAX_ROWS,
                            metavar="N",
                            help="stop with an error when the result has more than N rows "
                                 f"(default: {limits.CLI_MAX_ROWS}, ETOM_KG_MAX_ROWS)")


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            import argparse

            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    parse.__name__ = kind.__name__
    return parse
