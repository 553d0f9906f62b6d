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
