"""Canonical Turtle: the one serialization every shipped .ttl file must be in.

The canonical form is rdflib's ``longturtle`` output (deterministic: subjects,
predicates and objects in a fixed order, one statement per line) of the
parsed file, with the project's prefixes bound.

    python -m etom_kg.io.canonical --check FILE...   exit 1 if a file is not canonical
    python -m etom_kg.io.canonical --write FILE...   rewrite files in place (atomically)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.namespaces import PREFIXES


def canonical_turtle(path: Path) -> str:
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    # Bind the prefixes the file itself declares, then the project's own.
    graph.parse(path, format="turtle")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=False)
    # longturtle orders top-level blank nodes by their (random) ids, so a file with
    # them has no fixed point; inline (nested) blank nodes are ordered stably.
    objects = set(graph.objects())
    loose = [s for s in graph.subjects() if isinstance(s, rdflib.BNode) and s not in objects]
    if loose:
        raise ValueError(f"{path}: top-level blank nodes have no canonical order; give them "
                         "IRIs or nest them (e.g. pairwise owl:disjointWith)")
    text = graph.serialize(format="longturtle")
    return text if text.endswith("\n") else text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etom_kg.io.canonical")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    from .atomic import atomic_write

    failed = False
    for path in args.files:
        if not path.is_file():
            continue  # an unmatched shell glob
        try:
            text = canonical_turtle(path)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        if path.read_text(encoding="utf-8") != text:
            if args.write:
                atomic_write(path, text)
                print(f"{path}: rewritten", file=sys.stderr)
            else:
                print(f"{path}: not in canonical form", file=sys.stderr)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
