"""Options shared by several commands: one spelling, one meaning."""
from __future__ import annotations


def add_source_arguments(p) -> None:
    """``--data FILE...``, ``--endpoint URL``, ``--store DIR``."""
    p.add_argument("--data", action="extend", nargs="+", default=[], metavar="FILE",
                   help="RDF files to add to the graph as named graphs")
    p.add_argument("--endpoint", metavar="URL",
                   help="run the query on this SPARQL 1.1 endpoint instead of the embedded "
                        "graph (credentials: ETOM_KG_AUTHORIZATION environment variable)")
    p.add_argument("--store", metavar="DIR",
                   help="keep the graph (and --data files) in an on-disk store in DIR: "
                        "a large merged graph is loaded once and queried many times")


def add_lang_argument(parser, default: str = "both") -> None:
    """The shared ``--lang ru|en|both`` option."""
    parser.add_argument("--lang", choices=("ru", "en", "both"), default=default,
                        help=f"language of names and texts (default: {default})")


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
