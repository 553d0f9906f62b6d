"""Limits on what etom-kg agrees to read, so hostile files fail fast in bounded memory.

pyoxigraph never fetches anything, but its RDF/XML parser expands *internal*
DTD entities without any bound: a 1 KB "billion laughs" file becomes
gigabytes of text. These checks run on the raw bytes before parsing (file
size, entity expansion) and on the parsed quads (literal length). Each raises
:class:`~etom_kg.core.errors.InputError` naming the file (and line where known).

Nesting depth needs no limit of ours: pyoxigraph parses nested Turtle/TriG
blank nodes and collections and nested RDF/XML with explicit stacks (memory
linear in the file size, no recursion), and refuses JSON-LD nested deeper than
65 536 levels itself.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.errors import InputError

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest RDF file read (512 MiB): it is held in memory while parsing."""

MAX_LITERAL_CHARS = 10 * 1024 * 1024
"""Longest literal accepted (10 Mi characters); eTOM texts are a few KB at most."""

MAX_ENTITY_EXPANSION = 16 * 1024 * 1024
"""Most characters that XML entity references may add to a document, beyond 4× its size.

Ordinary RDF/XML (Protégé writes ``&owl;``, ``&xsd;`` ...) adds a few bytes per
reference; an entity bomb adds gigabytes.
"""

_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s%;\"'>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|[^>]*)>")
_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:\-]*);")


def check_size(path, limit: int | None = None) -> None:
    """Refuse a file larger than ``limit`` bytes (default :data:`MAX_FILE_BYTES`) before reading it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # reading it will report why (missing, permission ...)
    if size > limit:
        raise InputError(f"file is too large ({size} bytes; etom-kg reads at most "
                         f"{limit} bytes)", path=Path(path))


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def check_xml_entities(data: bytes, path, limit: int | None = None) -> None:
    """Refuse XML whose internal DTD entities would expand beyond the limit (entity bombs).

    The expansion of every declared entity is computed from its declaration
    (recursively, refusing self-reference), then multiplied by the number of
    times it is referenced. Nothing is expanded for real.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at it as UTF-8 text
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"<!ENTITY" not in data:
        return
    limit = MAX_ENTITY_EXPANSION + 4 * len(data) if limit is None else limit
    values: dict[bytes, bytes] = {}
    first = None
    last_end = 0
    for match in _ENTITY.finditer(data):
        if match.group(1):  # parameter entities live in the DTD only
            continue
        first = match.start() if first is None else first
        last_end = match.end()
        value = match.group(3) if match.group(3) is not None else match.group(4)
        values.setdefault(match.group(2), value if value is not None else b"")
    if first is None:
        return
    line = _line_of(data, first)
    refs = {name: [r.group(1) for r in _REFERENCE.finditer(value)]
            for name, value in values.items()}
    sizes: dict[bytes, int] = {}
    # Sizes bottom-up by depth-first search with an explicit stack (a long chain of
    # entities must not hit Python's recursion limit).
    for root in values:
        if root in sizes:
            continue
        stack, on_path = [root], {root}
        while stack:
            name = stack[-1]
            inner = next((r for r in refs[name] if r in values and r not in sizes), None)
            if inner is not None:
                if inner in on_path:
                    raise InputError(f"XML entity &{inner.decode(errors='replace')}; refers "
                                     "to itself", path=Path(path), line=line)
                stack.append(inner)
                on_path.add(inner)
                continue
            total = len(_REFERENCE.sub(b"", values[name]))
            for r in refs[name]:
                total += sizes[r] if r in values else len(r) + 2
            sizes[name] = min(total, limit + 1)
            stack.pop()
            on_path.discard(name)

    expansion = 0
    for ref in _REFERENCE.finditer(data, last_end):
        name = ref.group(1)
        if name in values:
            expansion += sizes[name]
            if expansion > limit:
                raise InputError(f"XML entities would expand to more than {limit} characters "
                                 "(an entity bomb?); refused", path=Path(path), line=line)


def check_literals(quads, path, limit: int | None = None) -> None:
    """Refuse any literal longer than ``limit`` characters (default :data:`MAX_LITERAL_CHARS`)."""
    import pyoxigraph as ox

    limit = MAX_LITERAL_CHARS if limit is None else limit
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal) and len(term.value) > limit:
            raise InputError(f"a literal of {len(term.value)} characters (object of "
                             f"{quad.subject} {quad.predicate}) is longer than the "
                             f"{limit} characters etom-kg accepts", path=Path(path))


__all__ = ["MAX_FILE_BYTES", "MAX_LITERAL_CHARS", "MAX_ENTITY_EXPANSION", "check_size",
           "check_xml_entities", "check_literals"]
