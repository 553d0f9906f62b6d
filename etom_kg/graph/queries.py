"""The named query library: ``queries/*.rq`` files with a declarative header.

A header is a run of comment lines at the top of the file::

    # name: children
    # description: direct sub-processes of a process
    # param: process  etom:ProcessId  eTOM process ID, e.g. 1.1.1.5
    # param: lang     xsd:string?     optional: a type ending in ? marks it optional
    # returns: child, id, labelRu, labelEn

Parameters are bound as RDF terms in a SPARQL ``VALUES`` block that opens the
WHERE group, written by pyoxigraph's own term serializer (N-Triples escaping), never by
pasting user text into the query, so a value can never change the query's
structure. (pyoxigraph's ``substitutions`` would be neater but only accepts
projected variables.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import InputError, UsageError
from ..core.namespaces import ETOM, PREFIXES, XSD
from ..core.resources import data_files

_HEADER = re.compile(r"^#\s*(name|description|param|returns):\s*(.*?)\s*$")


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


@dataclass(frozen=True)
class Param:
    name: str
    type: str           # a CURIE such as xsd:string, etom:ProcessId, or "iri"
    description: str
    required: bool = True

    def term(self, value) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``value`` (a literal of the declared type, or an IRI)."""
        if isinstance(value, (ox.NamedNode, ox.Literal)):
            return value
        text = str(value)
        if self.type == "iri":
            try:
                return ox.NamedNode(text)
            except ValueError:
                raise UsageError(f"parameter {self.name}: {text!r} is not an IRI") from None
        datatype = _expand(self.type)
        if datatype == XSD + "string":
            return ox.Literal(text)
        if datatype in (XSD + "integer", XSD + "boolean"):
            if isinstance(value, bool) or datatype == XSD + "boolean":
                text = str(value).lower()
                if text not in ("true", "false"):
                    raise UsageError(f"parameter {self.name}: {value!r} is not true/false")
            elif not re.fullmatch(r"[+-]?\d+", text):
                raise UsageError(f"parameter {self.name}: {value!r} is not an integer")
        return ox.Literal(text, datatype=ox.NamedNode(datatype))


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    path: Path
    params: tuple[Param, ...] = ()
    returns: tuple[str, ...] = field(default_factory=tuple)

    @cached_property
    def embedded_text(self) -> str:
        """The text as the embedded engine runs it (see :func:`embedded_form`)."""
        return embedded_form(self.text)

    def bindings(self, params: dict) -> dict[str, ox.NamedNode | ox.Literal]:
        """Check ``params`` against the header and turn them into RDF terms."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(declared))
        if unknown:
            expected = ", ".join(declared) or "none"
            raise UsageError(f"query {self.name}: unknown parameter {unknown[0]!r} "
                             f"(parameters: {expected})")
        missing = [p.name for p in self.params if p.required and params.get(p.name) is None]
        if missing:
            raise UsageError(f"query {self.name}: missing required parameter {missing[0]!r}")
        return {name: declared[name].term(value)
                for name, value in params.items() if value is not None}


# A comment ends at CR as at LF (SPARQL's COMMENT production); short strings hold neither.
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\r\n]*')


def masked(text: str) -> str:
    """``text`` with its strings, IRIs and comments blanked out, at the same offsets:
    what is left can be searched for keywords and braces."""
    return _SKIP.sub(lambda m: " " * len(m.group()), text)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def _where_brace(text: str) -> int | None:
    """Offset just after the ``{`` that opens the query's top-level WHERE group."""
    blank = masked(text)
    match = _WHERE.search(blank)
    if match:
        return match.end()
    form = _FORM.search(blank)
    if form and form.group(1).upper() in ("SELECT", "ASK"):  # WHERE is optional there
        brace = blank.find("{", form.end())
        return brace + 1 if brace >= 0 else None
    return None


_OPTIONAL = re.compile(r"\bOPTIONAL\s*\{", re.I)
_NOT_PLAIN = re.compile(r"\b(BIND|VALUES|SERVICE|GRAPH|MINUS|UNION|SELECT|LATERAL)\b", re.I)


def embedded_form(text: str) -> str:
    """``text`` with each plain OPTIONAL group evaluated row by row: same answers.

    Oxigraph 0.5 joins ``OPTIONAL { P }`` by evaluating P alone and hashing it,
    so one name per row costs every name of a merged model (about 150 of the
    165 ms of data-objects-for-process at 10^6 triples). Wrapped as
    ``LATERAL { OPTIONAL { P } }`` (SPARQL SEP-0006, which Oxigraph runs) P
    is looked up with the row's values instead. For P made of triple patterns
    and FILTERs only (no nested group, BIND or VALUES) both forms have the
    same answers; other OPTIONALs are left as written. The ``.rq`` files stay
    SPARQL 1.1: a remote endpoint gets them unchanged.
    """
    blank = masked(text)
    parts, done = [], 0
    for match in _OPTIONAL.finditer(blank):
        close = blank.find("}", match.end())
        if close < 0:
            break
        inner = blank[match.end():close]
        if "{" in inner or _NOT_PLAIN.search(inner):
            continue
        parts += [text[done:match.start()], "LATERAL { ", text[match.start():close + 1], " }"]
        done = close + 1
    parts.append(text[done:])
    return "".join(parts)


def bind(text: str, bindings: dict) -> str:
    """``text`` with a ``VALUES`` block binding each variable to one term.

    The block opens the top-level WHERE group, so the engine starts from the
    bound values (a trailing VALUES clause is joined only after the whole
    pattern has been evaluated: 20 s instead of 0.3 s on the link queries).
    """
    if not bindings:
        return text
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    terms = []
    for name in names:
        term = bindings[name]
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise UsageError(f"binding for {name!r} must be an IRI or a literal")
        terms.append(str(term))  # pyoxigraph's N-Triples form: escaped, cannot break out
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    at = _where_brace(text)
    if at is None:
        return f"{text.rstrip()}\n{block}\n"
    return f"{text[:at]}\n  {block}\n{text[at:]}"


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"name": [], "description": [], "param": [], "returns": []}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            fields[match.group(1)].append(match.group(2))
    if not fields["name"]:
        raise InputError("named query has no '# name:' header", path=path)
    params = []
    for spec in fields["param"]:
        parts = spec.split(None, 2)
        if len(parts) < 2:
            raise InputError(f"bad '# param:' header {spec!r}", path=path)
        name, type_ = parts[0], parts[1]
        required = not type_.endswith("?")
        params.append(Param(name, type_.rstrip("?"), parts[2] if len(parts) > 2 else "",
                            required))
    returns = tuple(r.strip() for r in ",".join(fields["returns"]).split(",") if r.strip())
    return NamedQuery(name=fields["name"][0], description=" ".join(fields["description"]),
                      text=text, path=path, params=tuple(params), returns=returns)


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    """All shipped named queries by name."""
    queries = {}
    for path in data_files("queries", "*.rq"):
        query = parse_query_file(path)
        if query.name in queries:
            raise InputError(f"duplicate query name {query.name!r}", path=path)
        queries[query.name] = query
    return queries


def get(name: str) -> NamedQuery:
    """The named query ``name`` or a UsageError listing the known names."""
    try:
        return library()[name]
    except KeyError:
        raise UsageError(f"unknown query {name!r}; run 'etom-kg queries' for the list") from None


PROCESS_ID = ox.NamedNode(ETOM + "ProcessId")
