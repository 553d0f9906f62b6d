"""Limits on what etom-kg agrees to read and run, so hostile input fails fast in bounded memory.

The RDF engine (pyoxigraph) is fast but trusts its input: its RDF/XML parser
expands internal DTD entities without bound (a 1 KB "billion laughs" file
becomes gigabytes), its JSON-LD parser needs memory growing with the square of
the nesting depth, its RDF/XML parser time with the square of the depth, its
Turtle parser ~2 KB per open collection or blank node, and its SPARQL parser
recurses (a query nested 5 000 deep overflows the stack: SIGSEGV). None of
these can be caught once they start, so the checks here run on the raw bytes
*before* the engine sees them. Each raises :class:`LimitError` (an
:class:`~etom_kg.core.errors.InputError`: one line naming the file, exit 2).

Every limit can be changed for a run with an environment variable, or in
Python by assigning the module attribute (``limits.MAX_NESTING = 5000``):

=========================  ==========================  ===========================
attribute                  environment variable        default
=========================  ==========================  ===========================
``MAX_FILE_BYTES``         ``ETOM_KG_MAX_FILE_BYTES``   512 MiB per RDF file
``MAX_LITERAL_CHARS``      ``ETOM_KG_MAX_LITERAL``      10 Mi characters
``MAX_ENTITY_EXPANSION``   ``ETOM_KG_MAX_ENTITY``       16 Mi characters (+4× file)
``MAX_NESTING``            ``ETOM_KG_MAX_NESTING``      1 000 levels in a data file
``MAX_QUERY_NESTING``      ``ETOM_KG_MAX_QUERY_NESTING`` 64 levels in a SPARQL query
``MAX_HIERARCHY``          ``ETOM_KG_MAX_HIERARCHY``    1 000 skos:broader levels
``MAX_CONTEXT_WORK``       ``ETOM_KG_MAX_CONTEXT_WORK`` 10^8 (JSON-LD keys², if scoped)
``MAX_RL_DEPTH``           ``ETOM_KG_MAX_RL_DEPTH``     100 subClassOf levels (owlrl)
``MAX_ROWS``               (API only)                  none
``CLI_MAX_ROWS``           ``ETOM_KG_MAX_ROWS``         100 000 rows (``sparql --limit``)
``TIMEOUT``                ``ETOM_KG_TIMEOUT``          none (seconds)
``MAX_MEMORY``             ``ETOM_KG_MAX_MEMORY``       90% of ``ulimit -v``, else
                                                        80% of the machine's RAM
=========================  ==========================  ===========================

Sizes accept a suffix: ``ETOM_KG_MAX_MEMORY=2G``.
"""
from __future__ import annotations

import os
import re
from itertools import accumulate
from pathlib import Path

from ..core.errors import InputError


class LimitError(InputError):
    """Input refused because it exceeds one of the limits above (exit 2)."""


def _env_size(name: str, default):
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    units = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}
    factor = units.get(text[-1].lower(), 1)
    try:
        value = float(text[:-1] if factor != 1 else text) * factor
    except ValueError:
        return default  # a typo must not make the limit vanish silently: keep the default
    return int(value) if value > 0 else None


def _env_seconds(name: str, default):
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value and value > 0 else None


MAX_FILE_BYTES = _env_size("ETOM_KG_MAX_FILE_BYTES", 512 * 1024 * 1024)
"""Largest RDF file read (512 MiB): it is held in memory while parsing."""

MAX_LITERAL_CHARS = _env_size("ETOM_KG_MAX_LITERAL", 10 * 1024 * 1024)
"""Longest literal accepted (10 Mi characters); eTOM texts are a few KB at most."""

MAX_ENTITY_EXPANSION = _env_size("ETOM_KG_MAX_ENTITY", 16 * 1024 * 1024)
"""Most characters that XML entity references may add to a document, beyond 4× its size.

Ordinary RDF/XML (Protégé writes ``&owl;``, ``&xsd;`` ...) adds a few bytes per
reference; an entity bomb adds gigabytes.
"""

MAX_NESTING = _env_size("ETOM_KG_MAX_NESTING", 1000)
"""Deepest nesting in a data file: XML elements, JSON objects and arrays, Turtle
collections, blank nodes, graphs and quoted triples. Real files nest a few dozen deep."""

MAX_QUERY_NESTING = _env_size("ETOM_KG_MAX_QUERY_NESTING", 64)
"""Deepest nesting of ``{ }``, ``( )`` and ``[ ]`` in a SPARQL query (real ones stay below
15; the engine's parser takes seconds on 100 nested parentheses and crashes on thousands).
:mod:`etom_kg.graph.guard` refuses beyond 64 too."""

MAX_CONTEXT_WORK = _env_size("ETOM_KG_MAX_CONTEXT_WORK", 100_000_000)
"""JSON-LD with scoped or local contexts: an upper bound of the terms the parser copies.
Each application of a context copies the active one: 8 000 nodes of a type with a
scoped context under an 8 000-term context took 38 s for 400 KB (square of the size)."""

MAX_HIERARCHY = _env_size("ETOM_KG_MAX_HIERARCHY", 1000)
"""Deepest skos:broader chain validated: SHACL's cycle check costs the square of the depth
(eTOM has 7 levels; a chain of 10 000 extension elements took a minute)."""

MAX_RL_DEPTH = _env_size("ETOM_KG_MAX_RL_DEPTH", 100)
"""Deepest rdfs:subClassOf / subPropertyOf chain classified with OWL RL (owlrl): its
fixpoint makes a pass over the whole graph per level (60 levels: 17 s; 300: 142 s)."""

MAX_ROWS = None
"""Most rows (or triples) ``kg.sparql`` returns when not given ``limit``; ``None``: no limit.

Not read from the environment: etom-kg's own queries (alignment, merge checks) go
through ``kg.sparql`` too and must not be cut by a setting meant for output."""

CLI_MAX_ROWS = _env_size("ETOM_KG_MAX_ROWS", 100_000)
"""Default of the CLI's ``--limit``."""

TIMEOUT = _env_seconds("ETOM_KG_TIMEOUT", None)
"""Default time limit in seconds for queries, validation and classification; ``None``: none."""

MAX_MEMORY = _env_size("ETOM_KG_MAX_MEMORY", None)
"""Memory (bytes) at which long work is stopped; ``None``: derived from ``ulimit -v`` or RAM."""

PARSER_BUFFER = 16 * 1024 * 1024
"""Longest single token (literal, IRI) pyoxigraph's parsers accept (fixed in the engine)."""

_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s%;\"'>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|[^>]*)>")
# Any name at all between & and ; (not only ASCII: XML names may be Cyrillic, &ж1;),
# but not character references (&#...;).
_REFERENCE = re.compile(rb"&([^\s&;<>\"'#%]+);")
_PARAMETER_REFERENCE = re.compile(rb"%[^\s%;<>\"']+;")
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)


def check_size(path, limit: int | None = None) -> None:
    """Refuse a file over ``limit`` bytes (default :data:`MAX_FILE_BYTES`) before reading it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # reading it will report why (missing, permission ...)
    if limit is not None and size > limit:
        raise LimitError(f"file is too large ({size} bytes; etom-kg reads at most "
                         f"{limit} bytes, ETOM_KG_MAX_FILE_BYTES)", path=Path(path))


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def check_xml_entities(data: bytes, path, limit: int | None = None) -> None:
    """Refuse XML whose internal DTD entities would expand beyond the limit (entity bombs).

    The expansion of every declared entity is computed from its declaration
    (recursively, refusing self-reference), then multiplied by the number of
    times it is referenced. Nothing is expanded for real. Parameter entities
    (``%name;`` inside the DTD) could declare entities this check cannot see,
    so a DTD that uses them is refused.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at it as UTF-8 text
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"<!ENTITY" not in data:
        return
    limit = (MAX_ENTITY_EXPANSION or 0) + 4 * len(data) if limit is None else limit
    subset = _DOCTYPE_SUBSET.search(data)
    if subset and _PARAMETER_REFERENCE.search(_ENTITY.sub(b"", subset.group(1))):
        raise LimitError("XML parameter entities (%name; in the DTD) are not supported; "
                         "refused", path=Path(path), line=_line_of(data, subset.start()))
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
                    raise LimitError(f"XML entity &{inner.decode(errors='replace')}; refers "
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
                raise LimitError(f"XML entities would expand to more than {limit} characters "
                                 "(an entity bomb?); refused (ETOM_KG_MAX_ENTITY)",
                                 path=Path(path), line=line)


# -- nesting depth -----------------------------------------------------------------
# The text is reduced to its brackets with C-speed regex substitutions (strings,
# IRIs and comments removed first, so a bracket inside a literal never counts),
# then the deepest running sum is found with itertools.accumulate: ~100 MB/s.

_OPEN, _CLOSE = b"\x01", b"\x02"
_KEEP_DELETE = bytes(b for b in range(256) if b not in (1, 2))
_STEP = [0] * 256
_STEP[1], _STEP[2] = 1, -1

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_TURTLE_SKIP = re.compile(
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
    rb"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'"
    rb"|<[^<>\"{}|^`\\\s]*>"
    rb"|#[^\n\r]*", re.S)
# The same, also matching runs of bytes that cannot start a token or a bracket, so the
# regex engine moves a run at a time rather than a byte at a time (~15% faster).
_TURTLE_SKIP_RUNS = re.compile(_TURTLE_SKIP.pattern + rb"|[^\"'<#\[\](){}>\n]+", re.S)
_XML_SKIP = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S)
_XML_TAG_BODY = rb"[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*"
_XML_EMPTY = re.compile(rb"<[^/!?>]" + _XML_TAG_BODY + rb"(?<=/)>")
_XML_OPEN = re.compile(rb"<[^/!?>]" + _XML_TAG_BODY + rb">")
_XML_CLOSE = re.compile(rb"</[^>]*>")
# When there are as many '>' as '<' (none in attribute values or character data), every
# '/>' ends an empty element, every '</' an end tag and every other '<' a start tag.
_XML_MARKS = bytes.maketrans(b"<", _OPEN)
_XML_KEEP = bytes(b for b in range(256) if b not in (ord("<"), 2))


def _deepest(marked: bytes) -> int:
    """The deepest running sum of a text where \\x01 opens and \\x02 closes a level."""
    kept = marked.translate(None, _KEEP_DELETE)
    return max(accumulate(map(_STEP.__getitem__, kept)), default=0)


def _lines(mark: bytes = b""):
    """A substitution that keeps only ``mark`` and the line breaks of what it replaces."""
    def replace(match) -> bytes:
        return mark + b"\n" * match.group().count(b"\n")
    return replace


def _marked(data: bytes, syntax: str, lines: bool = False) -> bytes:
    """``data`` reduced to \\x01 (opens) and \\x02 (closes); ``lines`` keeps the line breaks."""
    fill = _lines(b" ") if lines else b" "
    text = data.translate(None, b"\x01\x02")
    if syntax == "xml":
        text = _XML_SKIP.sub(fill, text)
        if not lines and text.count(b"<") == text.count(b">"):  # the common case, C speed
            text = text.replace(b"</", _CLOSE).replace(b"/>", _CLOSE)
            return text.translate(_XML_MARKS, _XML_KEEP)
        text = _XML_EMPTY.sub(fill, text)
        text = _XML_OPEN.sub(_lines(_OPEN) if lines else _OPEN, text)
        return _XML_CLOSE.sub(_lines(_CLOSE) if lines else _CLOSE, text)
    if syntax == "json":
        text = _JSON_STRING.sub(fill, text)
        pairs = ((b"{", b"}"), (b"[", b"]"))
    else:
        text = (_TURTLE_SKIP.sub(fill, text) if lines
                else _TURTLE_SKIP_RUNS.sub(b" ", text))
        pairs = ((b"<<", b">>"), (b"(", b")"), (b"[", b"]"), (b"{", b"}"))
    for open_, close in pairs:
        text = text.replace(open_, _OPEN).replace(close, _CLOSE)
    return text


def nesting_depth(data: bytes, syntax: str) -> int:
    """The deepest nesting in ``data``: ``syntax`` is xml, json, turtle, ntriples or sparql."""
    return _deepest(_marked(data, syntax))


_KEEP_LINES = bytes(b for b in range(256) if b not in (1, 2, 10))


def _line_beyond(data: bytes, syntax: str, limit: int) -> int | None:
    """The line where nesting first goes deeper than ``limit`` (only run on refusal: slower).

    A deep file usually goes too deep early: its first megabyte is looked at first
    (a token cut at the end of that prefix could only mislead on its last line).
    """
    if len(data) > 1 << 20:
        head = data[:1 << 20]
        line = _line_beyond(head, syntax, limit)
        if line is not None and (line <= head.count(b"\n") or b"\n" not in data):
            return line
    line, depth = 1, 0
    for byte in _marked(data, syntax, lines=True).translate(None, _KEEP_LINES):
        if byte == 10:
            line += 1
        else:
            depth += 1 if byte == 1 else -1
            if depth > limit:
                return line
    return None


def _could_be_deeper(data: bytes, syntax: str, limit: int) -> bool:
    """False when there are too few opening marks for any nesting beyond ``limit`` (C speed)."""
    marks = {"xml": (b"<",), "json": (b"{", b"["), "ntriples": (b"<<",)}.get(
        syntax, (b"(", b"[", b"{", b"<<"))
    return sum(data.count(m) for m in marks) > limit


def check_nesting(data: bytes, path, syntax: str, limit: int | None = None) -> None:
    """Refuse a data file nested deeper than ``limit`` (default :data:`MAX_NESTING`)."""
    limit = MAX_NESTING if limit is None else limit
    if limit is None or not _could_be_deeper(data, syntax, limit):
        return
    depth = nesting_depth(data, syntax)
    if depth > limit:
        raise LimitError(f"nested {depth} levels deep; etom-kg reads at most {limit} "
                         "(ETOM_KG_MAX_NESTING)", path=Path(path),
                         line=_line_beyond(data, syntax, limit))


def check_jsonld_contexts(data: bytes, path, limit: int | None = None) -> None:
    """Refuse JSON-LD whose scoped or local contexts would make the parser work quadratically.

    A document with one context (what tools write) is never refused. With more,
    any key or type may apply a context that copies every term defined: at most
    (keys)² copies, counted at C speed.
    """
    limit = MAX_CONTEXT_WORK if limit is None else limit
    contexts = data.count(b'"@context"')
    if limit is None or contexts < 2:
        return
    keys = data.count(b'":') + data.count(b'" :')
    if keys * keys > limit:
        raise LimitError(f"{contexts} JSON-LD contexts (scoped or local) among {keys} keys: "
                         "the JSON-LD parser's work grows with the square of that; refused "
                         "(ETOM_KG_MAX_CONTEXT_WORK)", path=Path(path))


SHALLOW_QUERY = 24
"""Nesting up to which any thread's stack holds the engine's query parser (~4 KB a level:
a thread with a 512 KiB stack crashed at 200 levels); deeper queries go to a worker."""


def check_query_nesting(text: str, limit: int | None = None, path=None) -> int:
    """Refuse a SPARQL query nested deeper than :data:`MAX_QUERY_NESTING` (its parser recurses).

    Returns the depth, or 0 when the query is too short to be nested beyond
    :data:`SHALLOW_QUERY` (the common case, decided without a scan).
    """
    limit = MAX_QUERY_NESTING if limit is None else limit
    if len(text) < 2 * SHALLOW_QUERY:
        return 0
    data = text.encode("utf-8", "surrogatepass")
    if not _could_be_deeper(data, "sparql", SHALLOW_QUERY):
        return 0
    depth = nesting_depth(data, "sparql")
    if limit is not None and depth > limit:
        raise LimitError(f"the SPARQL query is nested {depth} levels deep; etom-kg runs at "
                         f"most {limit} (ETOM_KG_MAX_QUERY_NESTING)",
                         path=path if path is not None else "<query>")
    return depth


_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def check_hierarchy(store, source, limit: int | None = None, *,
                    up=(_SKOS + "broader",), down=(_SKOS + "narrower",),
                    what: str = "the skos:broader hierarchy", task: str = "etom-kg validates",
                    note: str = "", setting: str = "ETOM_KG_MAX_HIERARCHY") -> None:
    """Refuse data whose skos:broader/narrower chains are deeper than :data:`MAX_HIERARCHY`.

    ``up``/``down``: the properties that link a node to its parent / child (other
    hierarchies: rdfs:subClassOf for OWL RL). Linear in the links (a depth-first
    walk with an explicit stack; a cycle is not followed: the shapes report it).
    """
    import pyoxigraph as ox

    limit = MAX_HIERARCHY if limit is None else limit
    if limit is None:
        return
    parents: dict = {}
    for iri in up:
        for q in store.quads_for_pattern(None, ox.NamedNode(iri), None, None):
            parents.setdefault(q.subject, []).append(q.object)
    for iri in down:
        for q in store.quads_for_pattern(None, ox.NamedNode(iri), None, None):
            parents.setdefault(q.object, []).append(q.subject)
    if len(parents) <= limit:  # a chain needs a child per level
        return
    depth: dict = {}
    for start in parents:
        if start in depth:
            continue
        stack, on_path = [start], {start}
        while stack:
            node = stack[-1]
            up = next((p for p in parents.get(node, ()) if p not in depth and p not in on_path),
                      None)
            if up is not None:
                stack.append(up)
                on_path.add(up)
                continue
            depth[node] = 1 + max((depth[p] for p in parents.get(node, ()) if p in depth),
                                  default=0)
            if depth[node] > limit + 1:
                if isinstance(source, (list, tuple)):
                    source = ", ".join(str(s) for s in source)
                raise LimitError(
                    f"{what} is more than {limit} levels deep (at {node}); {task} at "
                    f"most {limit}{note} ({setting})",
                    path=source if isinstance(source, (str, os.PathLike)) else "<data>")
            stack.pop()
            on_path.discard(node)


def check_rl_depth(store, source, limit: int | None = None) -> None:
    """Refuse class or property chains deeper than :data:`MAX_RL_DEPTH` before OWL RL runs."""
    check_hierarchy(store, source, MAX_RL_DEPTH if limit is None else limit,
                    up=(_RDFS + "subClassOf", _RDFS + "subPropertyOf"), down=(),
                    what="the rdfs:subClassOf/subPropertyOf hierarchy",
                    task="--engine owlrl classifies",
                    note=" (a pass over the whole graph per level; --engine sparql has no limit)",
                    setting="ETOM_KG_MAX_RL_DEPTH")


def check_literals(quads, path, limit: int | None = None) -> None:
    """Refuse any literal longer than ``limit`` characters (default :data:`MAX_LITERAL_CHARS`)."""
    import pyoxigraph as ox

    limit = MAX_LITERAL_CHARS if limit is None else limit
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal) and len(term.value) > limit:
            raise LimitError(f"a literal of {len(term.value)} characters (object of "
                             f"{quad.subject} {quad.predicate}) is longer than the "
                             f"{limit} characters etom-kg accepts", path=Path(path))


__all__ = ["LimitError", "MAX_FILE_BYTES", "MAX_LITERAL_CHARS",
           "MAX_ENTITY_EXPANSION", "MAX_NESTING", "MAX_QUERY_NESTING", "MAX_ROWS",
           "CLI_MAX_ROWS", "TIMEOUT", "MAX_MEMORY", "PARSER_BUFFER", "check_size",
           "check_xml_entities", "check_nesting", "check_query_nesting", "nesting_depth",
           "check_literals", "check_hierarchy", "MAX_HIERARCHY",
           "check_jsonld_contexts", "MAX_CONTEXT_WORK", "check_rl_depth", "MAX_RL_DEPTH"]
