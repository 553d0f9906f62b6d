"""A fast SHACL engine for the shipped shapes: each shape becomes one SPARQL query.

Every top-level shape (a node or property shape with a target) is compiled into
one SELECT query that returns its violating ``(constraint, focus, value)`` rows;
the query runs once per graph in Oxigraph instead of once per focus node.
The compiler covers most of SHACL Core and the SPARQL-based targets the shipped
shapes use (see :func:`compile_shape`); a shape using anything else is left to
pySHACL (:func:`etom_kg.validation.api.validate` runs those shapes there), never
skipped, and :func:`plan` says why. Results follow the SHACL specification (e.g.
``sh:pattern`` is an unanchored regex search, ``sh:in`` compares terms, not
values): ``tests/test_w3c_shacl.py`` runs the W3C SHACL Core suite and
``tests/test_fast_validation.py`` compares with plain pySHACL.

Oxigraph's store keeps typed literals as values: ``"3"^^xsd:byte`` becomes
``"3"^^xsd:integer``, ``"01"^^xsd:integer`` becomes ``"1"``. Literal constants
of a shape that the store would rewrite are not compiled (:func:`stable`), and
:mod:`etom_kg.validation.api` hands the shapes that may meet such literals in
the data to pySHACL with the literals as written.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Parameters a top-level shape may carry that are not constraints.
_NON_CONSTRAINT = {SH + p for p in (
    "path", "severity", "message", "name", "description", "order", "group", "target",
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "defaultValue",
    "qualifiedValueShapesDisjoint", "flags", "deactivated")}
XSD_STRING = XSD + "string"
FOCUS = "#FOCUS#"  # in a branch: where the focus-node pattern goes
TRUE = "true"     # the one lexical form of the boolean that switches a parameter on


class Unsupported(Exception):
    """The shape uses something the compiler does not translate (pySHACL evaluates it)."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint of a shape: ``component`` and whether rows carry a value."""

    component: str
    has_value: bool
    path_from_w: bool = False   # the result path is the row's ?w (sh:closed)


@dataclass
class CompiledShape:
    shape: object            # rdflib node of the shape
    severity: str            # IRI
    path: object             # rdflib node of sh:path (None for a node shape)
    targets: list            # SPARQL group patterns binding ?this
    checks: list             # Check per branch, index = ?k
    branches: list           # per check: (group pattern binding ?v and ?k, binds ?this first)
    prologue: str
    owner: object = None     # the top-level shape whose targets give the focus nodes
    written: dict = None     # store form (pyoxigraph) -> target literal as written (rdflib)

    def query(self, extra_nodes=()) -> str:
        targets = list(self.targets)
        if extra_nodes:
            targets.append("VALUES ?this { " + " ".join(_term(n) for n in extra_nodes) + " }")
        if not targets:
            return ""
        if len(targets) == 1 and re.match(r"\{ SELECT DISTINCT \?this WHERE", targets[0]):
            focus = targets[0]   # already distinct: another DISTINCT pass costs ~0.1 s per 10^5
        else:
            focus = " UNION ".join("{ " + t + " }" for t in targets)
            focus = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"
        if all(t.startswith(("VALUES", "[]")) or t.endswith("[] .") for t in targets):
            # Node, subjects-of and objects-of targets are one lookup per row: cheaper
            # than the whole focus set when a branch finds its few rows by itself.
            check = "FILTER (" + " || ".join(f"EXISTS {{ {t} }}" for t in targets) + ")"
        else:
            check = focus   # joined after the branch: evaluated once, hash-joined
        # Oxigraph joins in the written order. A FILTER sees only its own group, so
        # each branch has its focus pattern in its group.
        body = "\n  UNION ".join(
            "{ " + (f"{b} {check}" if first else f"{focus}\n    {b}").replace(FOCUS, focus) + " }"
            for b, first in self.branches)
        # ?w tells apart results with the same value (one per pair for sh:lessThan).
        return f"{self.prologue}SELECT DISTINCT ?k ?this ?v ?w WHERE {{\n  {body}\n}}"


# -- terms and paths ------------------------------------------------------------------
def _term(node, value: bool = False) -> str:
    """SPARQL syntax of a constant; ``value``: compared by value only (``sh:minInclusive``),
    so a literal the store rewrites to an equal value may be written as it is."""
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        if not value and not stable(node):
            raise Unsupported(f"literal {node.n3()} is not kept as written by Oxigraph")
        text = _string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype:
            return f"{text}^^<{node.datatype}>"
        return text
    raise Unsupported(f"blank node {node} as a constant")


_STABLE: dict = {}


def stable(literal) -> bool:
    """True if Oxigraph keeps ``literal`` (rdflib) exactly as written (term equality
    then means the same in a query as in SHACL)."""
    if literal.language or literal.datatype is None or str(literal.datatype) == XSD_STRING:
        return True
    key = (str(literal), str(literal.datatype))
    if key not in _STABLE:
        lit = ox.Literal(key[0], datatype=ox.NamedNode(key[1]))
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), lit))
        _STABLE[key] = next(iter(store)).object == lit
    return _STABLE[key]


def _stored(literal):
    """The pyoxigraph term the store holds for an rdflib literal."""
    lit = ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype)))
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), lit))
    return next(iter(store)).object


def _string(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def _path(g, node) -> str:
    """SPARQL property path of a SHACL path, with only the brackets SPARQL needs
    (also the ``path`` text of validation results)."""
    import rdflib
    from rdflib.collection import Collection

    S = rdflib.Namespace(SH)
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if not isinstance(node, rdflib.BNode):
        raise Unsupported("literal path")
    if g.value(node, rdflib.RDF.first) is not None:
        # A list is a sequence path, whatever else the node says (W3C path-strange-*).
        return "/".join(_path(g, p) for p in Collection(g, node))
    for prop, suffix in ((S.oneOrMorePath, "+"), (S.zeroOrMorePath, "*"), (S.zeroOrOnePath, "?")):
        inner = g.value(node, prop)
        if inner is not None:
            return f"({_path(g, inner)}){suffix}"
    inner = g.value(node, S.inversePath)
    if inner is not None:
        # ^ applies to one element: an IRI, a bracketed alternative or a modified path.
        single = isinstance(inner, rdflib.URIRef) or any(
            g.value(inner, p) is not None for p in (S.alternativePath, S.oneOrMorePath,
                                                    S.zeroOrMorePath, S.zeroOrOnePath))
        return "^" + (_path(g, inner) if single else f"({_path(g, inner)})")
    alternatives = g.value(node, S.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(g, p) for p in Collection(g, alternatives)) + ")"
    raise Unsupported("unknown path")


def _alternatives(g, node) -> list[str] | None:
    """The SPARQL paths of the members of an ``sh:alternativePath``, else None."""
    import rdflib
    from rdflib.collection import Collection

    if not isinstance(node, rdflib.BNode):
        return None
    members = g.value(node, rdflib.URIRef(SH + "alternativePath"))
    return None if members is None else [_path(g, m) for m in Collection(g, members)]


def _check_regex(regex: str, flag: str) -> None:
    """Oxigraph treats a pattern it cannot compile as an error (the FILTER drops the row):
    such a pattern must not be compiled, or its violations would be lost."""
    solutions = ox.Store().query(f'SELECT ?r WHERE {{ BIND (REGEX("", {regex}{flag}) AS ?r) }}')
    if next(iter(solutions))["r"] is None:
        raise Unsupported(f"pattern {regex} is not a regular expression Oxigraph accepts")


def _pattern(g, node, subject: str, obj: str) -> str:
    """Graph pattern ``subject path obj``; a sequence of IRIs is written last step first.

    Oxigraph joins in the written order, and its in-memory store looks a subject up
    in time proportional to the subject's number of triples: walking ``broader``
    then ``notation`` from every child looks each parent up once per child.
    Starting from the last step joins from the other end instead.
    """
    import rdflib

    if isinstance(node, rdflib.BNode) and g.value(node, rdflib.RDF.first) is not None:
        steps = _list(g, node)
        if len(steps) > 1 and all(isinstance(s, rdflib.URIRef) for s in steps):
            names = [subject] + [f"{obj}_{i}" for i in range(1, len(steps))] + [obj]
            return " ".join(f"{names[i]} <{steps[i]}> {names[i + 1]} ."
                            for i in reversed(range(len(steps))))
    return f"{subject} {_path(g, node)} {obj} ."


def _list(g, node) -> list:
    from rdflib.collection import Collection

    return list(Collection(g, node))


_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


# -- lexical spaces of the XSD datatypes (RDF 1.1: no whitespace, no other digits) -----------
_INT = "^[+-]?[0-9]+$"
_DEC = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$"
_FLOAT = "^([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$"
_RANGES = {   # bounded integer types: (lowest, highest), None for unbounded
    "integer": (None, None), "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
    "short": (-2**15, 2**15 - 1), "byte": (-2**7, 2**7 - 1),
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 2**8 - 1)}
_LEXICAL = {"decimal": _DEC, "float": _FLOAT, "double": _FLOAT,
            "boolean": "^(true|false|1|0)$", "string": None}


def _lexical(datatype: str, var: str) -> str:
    """SPARQL expression: the lexical form of ``var`` is in the lexical space of the XSD
    ``datatype``; datatypes outside the table are left to pySHACL."""
    name = datatype[len(XSD):]
    text = f"STR({var})"
    if name in _RANGES:
        low, high = _RANGES[name]
        tests = [f'REGEX({text}, "{_INT}")']
        # Compared as decimals: xsd:integer would overflow Oxigraph's 64-bit integers.
        number = f"<{XSD}decimal>({text})"
        # A number too large for the cast is beyond any finite bound: its sign decides.
        if low is not None:
            tests.append(f'COALESCE({number} >= {low}.0, !STRSTARTS({text}, "-"))')
        if high is not None:
            tests.append(f'COALESCE({number} <= {high}.0, STRSTARTS({text}, "-"))')
        return "(" + " && ".join(tests) + ")"
    if name not in _LEXICAL:
        raise Unsupported(f"datatype xsd:{name} (its lexical space)")
    regex = _LEXICAL[name]
    return "true" if regex is None else f'REGEX({text}, "{regex}")'


# -- conformance of a value node to a (nested) shape ---------------------------------------
class _Compiler:
    def __init__(self, g):
        self.g = g
        self.fresh = itertools.count()
        self.depth = 0

    def var(self) -> str:
        return f"?_v{next(self.fresh)}"

    def one(self, shape, pred):
        values = list(self.g.objects(shape, pred))
        if len(values) != 1:
            raise Unsupported(f"{len(values)} values of {pred}")
        return values[0]

    def value_condition(self, pred: str, obj, var: str) -> str:
        """SPARQL expression: ``var`` satisfies the value-type constraint ``pred obj``."""
        import rdflib

        g = self.g
        p = pred[len(SH):] if pred.startswith(SH) else None
        if p == "class":
            return f"EXISTS {{ {var} <{RDF_TYPE}>/<{SUBCLASS}>* {_term(obj)} }}"
        if p == "datatype":
            if str(obj) == RDF_LANGSTRING:
                return f'(isLiteral({var}) && LANG({var}) != "")'
            if not isinstance(obj, rdflib.URIRef):
                raise Unsupported("sh:datatype without an IRI")
            same = f'isLiteral({var}) && LANG({var}) = "" && DATATYPE({var}) = {_term(obj)}'
            if str(obj).startswith(XSD):
                return f"({same} && {_lexical(str(obj), var)})"
            if str(obj).startswith("http://www.w3.org/"):
                raise Unsupported(f"datatype {obj} (its lexical space)")
            return f"({same})"   # a datatype SHACL processors do not know: its IRI decides
        if p == "nodeKind":
            kinds = {"IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
                     "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
                     "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
                     "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
            kind = str(obj)[len(SH):]
            if kind not in kinds:
                raise Unsupported("node kind")
            return kinds[kind].format(v=var)
        if p == "pattern":
            flags = [str(f) for f in g.objects(self.current, rdflib.URIRef(SH + "flags"))]
            if len(flags) > 1 or any(set(f) - set("ixsm") for f in flags):
                raise Unsupported("flags")
            # A regex search, unanchored (XPath fn:matches), as SHACL defines it.
            regex = _string(str(obj))
            flag = f", {_string(flags[0])}" if flags else ""
            _check_regex(regex, flag)
            return f"(!isBlank({var}) && REGEX(STR({var}), {regex}{flag}))"
        if p in _COMPARE:
            # SPARQL's comparison; a value it cannot compare fails the constraint.
            return f"COALESCE({var} {_COMPARE[p]} {_term(obj, value=True)}, false)"
        if p == "in":
            # Terms, not values: SPARQL's IN would find "1"^^xsd:integer in (1.0).
            members = [_term(m) for m in _list(g, obj)]
            return "false" if not members else \
                "(" + " || ".join(f"sameTerm({var}, {m})" for m in members) + ")"
        if p == "hasValue":
            return f"sameTerm({var}, {_term(obj)})"
        if p == "languageIn":
            # SHACL defines sh:languageIn by SPARQL's langMatches: one call per
            # range (a third cheaper in Oxigraph than LCASE/STRSTARTS on LANG).
            ranges = [str(r).lower() for r in _list(g, obj)]
            if "*" in ranges:
                return f'(isLiteral({var}) && LANG({var}) != "")'
            tests = " || ".join(f"LANGMATCHES(LANG({var}), {_string(r)})" for r in ranges)
            return f"(isLiteral({var}) && ({tests or 'false'}))"
        if p in ("minLength", "maxLength"):
            op = ">=" if p == "minLength" else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {int(obj)})"
        if p == "not":
            return f"!({self.conforms(obj, var)})"
        if p == "and":
            return "(" + " && ".join(self.conforms(s, var) for s in _list(g, obj)) + ")" \
                if _list(g, obj) else "true"
        if p == "xone":
            members = _list(g, obj)
            count = " + ".join(f"IF({self.conforms(m, var)}, 1, 0)" for m in members) or "0"
            return f"({count} = 1)"
        if p == "or":
            return "(" + " || ".join(self.conforms(s, var) for s in _list(g, obj)) + ")" \
                if _list(g, obj) else "false"
        if p == "node":
            return self.conforms(obj, var)
        if p == "property":
            return self.property_conforms(obj, var)
        raise Unsupported(f"constraint {pred}")

    def conforms(self, shape, var: str) -> str:
        """SPARQL expression: ``var`` conforms to the nested ``shape``."""
        import rdflib

        self.depth += 1
        if self.depth > 20:
            raise Unsupported("recursive shapes")
        try:
            if _deactivated(self.g, shape):
                return "true"   # a deactivated shape has no constraints
            if self.g.value(shape, rdflib.URIRef(SH + "path")) is not None:
                return self.property_conforms(shape, var)
            parts = []
            for pred, obj in self.g.predicate_objects(shape):
                pred = str(pred)
                if pred == SH + "closed":
                    if _is_true(obj):
                        allowed = _closed_allowed(self.g, shape)
                        p_, o_ = self.var(), self.var()
                        test = f"FILTER ({p_} NOT IN ({', '.join(allowed)}))" if allowed else ""
                        parts.append(f"NOT EXISTS {{ {var} {p_} {o_} . {test} }}")
                    continue
                if pred == SH + "ignoredProperties":
                    continue
                if pred in (SH + "sparql", SH + "lessThan",
                            SH + "lessThanOrEquals", SH + "equals", SH + "disjoint",
                            SH + "qualifiedValueShape", SH + "uniqueLang",
                            SH + "minCount", SH + "maxCount"):
                    raise Unsupported(f"{pred} in a nested node shape")
                if not pred.startswith(SH) or pred in _NON_CONSTRAINT:
                    continue
                saved, self.current = getattr(self, "current", None), shape
                parts.append(self.value_condition(pred, obj, var))
                self.current = saved
            return "(" + " && ".join(parts) + ")" if parts else "true"
        finally:
            self.depth -= 1

    def distinct_values(self, var: str, path: str, n: int) -> str:
        """Graph pattern: ``var`` has ``n`` distinct values on ``path`` (pairwise, so the
        pattern stays correlated with ``var`` inside EXISTS; n is kept small)."""
        if n > 5:
            raise Unsupported("a count above 4 in a nested shape")
        vs = [self.var() for _ in range(n)]
        pattern = " ".join(f"{var} {path} {x} ." for x in vs)
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        return pattern + (f" FILTER ({' && '.join(pairs)})" if pairs else "")

    def property_conforms(self, shape, var: str) -> str:
        """SPARQL expression: ``var`` conforms to the nested property shape ``shape``."""
        import rdflib

        g = self.g
        path = _path(g, self.one(shape, rdflib.URIRef(SH + "path")))
        parts = []
        for pred, obj in g.predicate_objects(shape):
            pred = str(pred)
            if pred in (SH + "sparql", SH + "qualifiedMaxCount", SH + "xone",
                        SH + "qualifiedValueShapesDisjoint", SH + "uniqueLang", SH + "equals",
                        SH + "disjoint", SH + "lessThan", SH + "lessThanOrEquals", SH + "closed"):
                raise Unsupported(pred)
            if not pred.startswith(SH) or pred in _NON_CONSTRAINT or pred == SH + "qualifiedValueShape":
                continue
            v = self.var()
            if pred == SH + "minCount":
                n = int(obj)
                if n > 1:
                    parts.append(f"EXISTS {{ {self.distinct_values(var, path, n)} }}")
                else:
                    parts.append(f"EXISTS {{ {var} {path} {v} }}" if n == 1 else "true")
            elif pred == SH + "maxCount":
                n = int(obj)
                if n == 0:
                    parts.append(f"NOT EXISTS {{ {var} {path} {v} }}")
                elif n == 1:
                    w = self.var()
                    parts.append(f"NOT EXISTS {{ {var} {path} {v} . {var} {path} {w} . "
                                 f"FILTER (!sameTerm({v}, {w})) }}")
                else:
                    parts.append(f"NOT EXISTS {{ {self.distinct_values(var, path, n + 1)} }}")
            elif pred == SH + "hasValue":
                # Some value is the constant (not: every value is).
                parts.append(f"EXISTS {{ {var} {path} {_term(obj)} }}")
            elif pred == SH + "qualifiedMinCount":
                n = int(obj)
                qshape = self.one(shape, rdflib.URIRef(SH + "qualifiedValueShape"))
                if n > 1:
                    raise Unsupported("qualifiedMinCount > 1")
                if n == 1:
                    parts.append(f"EXISTS {{ {var} {path} {v} . FILTER ({self.conforms(qshape, v)}) }}")
            else:
                saved, self.current = getattr(self, "current", None), shape
                cond = self.value_condition(pred, obj, v)
                self.current = saved
                parts.append(f"NOT EXISTS {{ {var} {path} {v} . FILTER (!({cond})) }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"


# -- top-level shapes ---------------------------------------------------------------------
def _prologue(g, shape) -> str:
    """PREFIX lines from the sh:declare of every sh:prefixes of the shape's SPARQL targets."""
    import rdflib

    S = rdflib.Namespace(SH)
    lines = {}
    for target in g.objects(shape, S.target):
        for onto in g.objects(target, S.prefixes):
            for decl in g.objects(onto, S.declare):
                lines[str(g.value(decl, S.prefix))] = str(g.value(decl, S.namespace))
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(lines.items()))


def _targets(g, shape) -> list[str]:
    import rdflib

    S = rdflib.Namespace(SH)
    out = []
    classes = list(g.objects(shape, S.targetClass))
    if _implicit_class(g, shape):
        classes.append(shape)
    for c in classes:
        out.append(f"?this <{RDF_TYPE}>/<{SUBCLASS}>* {_term(c)} .")
    # A literal target the store rewrites ("4.0" -> "4") is looked up by value; the
    # results name it as written (CompiledShape.written).
    nodes = [_term(n, value=True) for n in g.objects(shape, S.targetNode)]
    if nodes:
        out.append("VALUES ?this { " + " ".join(nodes) + " }")
    for p in g.objects(shape, S.targetSubjectsOf):
        out.append(f"?this {_term(p)} [] .")
    for p in g.objects(shape, S.targetObjectsOf):
        out.append(f"[] {_term(p)} ?this .")
    for t in g.objects(shape, S.target):
        if (t, rdflib.RDF.type, S.SPARQLTarget) not in g:
            raise Unsupported("target type")
        if set(g.predicates(t)) - {rdflib.RDF.type, S.select, S.prefixes}:
            raise Unsupported("SPARQL target parameters")
        select = str(g.value(t, S.select)).strip()
        if not select.upper().startswith("SELECT") or re.search(r"[$][A-Za-z_]", select):
            raise Unsupported("SPARQL target with its own prologue or pre-bound variables")
        out.append("{ " + select + " }")
    return out


def _implicit_class(g, shape) -> bool:
    """A shape that is also a class targets its instances (SHACL 2.1.3.1)."""
    import rdflib

    return (shape, rdflib.RDF.type, rdflib.RDFS.Class) in g and any(
        (shape, rdflib.RDF.type, rdflib.URIRef(SH + k)) in g for k in ("NodeShape", "PropertyShape"))


def _deactivated(g, shape) -> bool:
    import rdflib

    return any(isinstance(v, rdflib.Literal) and str(v) in ("true", "1")
               and str(v.datatype) == XSD + "boolean"
               for v in g.objects(shape, rdflib.URIRef(SH + "deactivated")))


def _is_true(node) -> bool:
    import rdflib

    return isinstance(node, rdflib.Literal) and str(node) in ("true", "1") \
        and str(node.datatype) == XSD + "boolean"


def _closed_allowed(g, shape) -> list[str]:
    """SPARQL IRIs of the predicates a closed shape allows: the IRI paths of its property
    shapes and its sh:ignoredProperties."""
    import rdflib

    S = rdflib.Namespace(SH)
    allowed = {g.value(p, S.path) for p in g.objects(shape, S.property)}
    for ignored in g.objects(shape, S.ignoredProperties):
        allowed |= set(_list(g, ignored))
    return sorted(f"<{p}>" for p in allowed if isinstance(p, rdflib.URIRef))


def compile_top(g, shape) -> list[CompiledShape]:
    """Compile a top-level shape: its own constraints and, for a node shape, each of its
    ``sh:property`` shapes on the same focus nodes; raises :class:`Unsupported`."""
    import rdflib

    S = rdflib.Namespace(SH)
    if _deactivated(g, shape):
        return []
    if isinstance(shape, rdflib.BNode):
        raise Unsupported("blank-node top-level shape")
    units = [compile_shape(g, shape)]
    if g.value(shape, S.path) is None:
        for prop in sorted(g.objects(shape, S.property), key=str):
            if _deactivated(g, prop):
                continue
            if g.value(prop, S.path) is None:
                raise Unsupported("sh:property without sh:path")
            if isinstance(prop, rdflib.BNode) and any(True for _ in g.subjects(S.property, prop)
                                                      if _ != shape):
                raise Unsupported("a blank-node property shape shared by two shapes")
            units.append(compile_shape(g, prop, focus_of=shape))
    return units


def compile_shape(g, shape, focus_of=None) -> CompiledShape:
    """Compile one shape's own constraints, on the focus nodes of its targets (or of
    ``focus_of``'s targets: a property shape of a node shape); raises :class:`Unsupported`."""
    import rdflib

    S = rdflib.Namespace(SH)
    comp = _Compiler(g)
    comp.current = shape
    severity = g.value(shape, S.severity) or S.Violation
    path_node = g.value(shape, S.path)
    path = _path(g, path_node) if path_node is not None else None
    branches, checks = [], []

    flags = []   # (check index, SPARQL expression true when the focus node violates it)

    def branch(text, component, has_value, first=False):
        """``first``: ``text`` starts with a pattern that binds ?this (and finds few rows)."""
        branches.append((text + f" BIND ({len(checks)} AS ?k)", first))
        checks.append(Check(SH + component, has_value))

    def flag(expression, component, has_value):
        """A check decided per focus node alone: all such checks share one pass."""
        flags.append((len(checks), expression))
        checks.append(Check(SH + component, has_value))

    for pred, obj in sorted(g.predicate_objects(shape)):
        pred = str(pred)
        if not pred.startswith(SH) or pred in _NON_CONSTRAINT or pred == SH + "deactivated":
            continue
        name = pred[len(SH):]
        component = name[0].upper() + name[1:] + "ConstraintComponent"
        if path is None:
            # Node shape: the focus node is the value node.
            if name in ("property", "ignoredProperties"):
                continue   # a unit of its own (compile_top); read by sh:closed
            if name == "closed":
                if not _is_true(obj):
                    continue
                # One result per triple whose predicate the shape does not allow.
                allowed = _closed_allowed(g, shape)
                test = f"FILTER (?w NOT IN ({', '.join(allowed)}))" if allowed else ""
                branches.append((f"?this ?w ?v . {test} BIND ({len(checks)} AS ?k)", True))
                checks.append(Check(SH + component, True, path_from_w=True))
                continue
            if name in ("minCount", "maxCount", "uniqueLang", "equals", "disjoint",
                        "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
                        "sparql", "lessThan",
                        "lessThanOrEquals"):
                raise Unsupported(f"{pred} on a node shape")
            if name in ("and", "or", "xone", "not", "node", "class", "datatype", "nodeKind",
                        "pattern", "in", "languageIn", "minLength", "maxLength", "hasValue",
                        *_COMPARE):
                if name == "hasValue":
                    # No sh:value: the focus node is not the missing value (W3C issue 111).
                    flag(f"!sameTerm(?this, {_term(obj)})", component, False)
                    continue
                if name == "class":
                    branch(f"BIND (?this AS ?v) MINUS {{ ?v <{RDF_TYPE}>/<{SUBCLASS}>* {_term(obj)} }}",
                           component, True)
                    continue
                cond = comp.value_condition(pred, obj, "?this")
                flag(f"!({cond})", component, True)
                continue
            raise Unsupported(pred)
        v = "?v"
        if name == "minCount":
            n = int(obj)
            if n == 1:
                # One EXISTS per alternative, joined by ||: evaluation stops at the
                # first alternative that has a value, where the path as a whole
                # would look up all of them for every focus node.
                members = _alternatives(g, path_node)
                found = " || ".join(f"EXISTS {{ ?this {m} ?_c }}" for m in members) \
                    if members else f"EXISTS {{ ?this {path} ?_c }}"
                flag(f"!({found})", component, False)
            elif n > 1:
                # Counted per focus node, those without any value included (OPTIONAL).
                branch(f"{{ SELECT ?this (COUNT(DISTINCT ?_c) AS ?_n) WHERE {{ {FOCUS} "
                       f"OPTIONAL {{ ?this {path} ?_c }} }} GROUP BY ?this }} "
                       f"FILTER (?_n < {n})", component, False, first=True)
        elif name == "maxCount":
            n = int(obj)
            if n == 0:
                flag(f"EXISTS {{ ?this {path} ?_c }}", component, False)
            elif n == 1:
                flag(f"EXISTS {{ ?this {path} ?_c . ?this {path} ?_d . "
                     f"FILTER (!sameTerm(?_c, ?_d)) }}", component, False)
            else:
                branch(f"{{ SELECT ?this (COUNT(DISTINCT ?_c) AS ?_n) WHERE {{ ?this {path} ?_c }} "
                       f"GROUP BY ?this }} FILTER (?_n > {n})", component, False)
        elif name == "uniqueLang":
            # Only the literal true switches it on: "1"^^xsd:boolean is another term
            # (W3C core/property/uniqueLang-002).
            if not (isinstance(obj, rdflib.Literal) and str(obj) == TRUE
                    and str(obj.datatype) == XSD + "boolean"):
                continue
            # Grouped by node and language rather than a self-join on the path:
            # half the time on 10^5 nodes with two labels each.
            # One result per duplicated language: ?w carries the language.
            branch(f"{{ SELECT ?this ?_lang WHERE {{ {{ SELECT ?this ?_a (LCASE(LANG(?_a)) AS ?_lang) "
                   f"WHERE {{ ?this {path} ?_a . FILTER (isLiteral(?_a)) }} }} "
                   f'FILTER (?_lang != "") }} GROUP BY ?this ?_lang '
                   f"HAVING (COUNT(DISTINCT ?_a) > 1) }} BIND (?_lang AS ?w)", component, False,
                   first=True)
        elif name in ("lessThan", "lessThanOrEquals"):
            op = "<" if name == "lessThan" else "<="
            branch(f"?this {path} ?v . ?this {_term(obj)} ?w . "
                   f"FILTER (!COALESCE(?v {op} ?w, false))", component, True, first=True)
        elif name == "disjoint":
            # The other property first: it usually has far fewer values.
            branch(f"?this {_term(obj)} ?v . ?this {path} ?v .", component, True, first=True)
        elif name == "equals":
            branch(f"?this {path} ?v . FILTER NOT EXISTS {{ ?this {_term(obj)} ?v }}",
                   component, True, first=True)
            branch(f"?this {_term(obj)} ?v . FILTER NOT EXISTS {{ ?this {path} ?v }}",
                   component, True, first=True)
        elif name == "hasValue":
            flag(f"NOT EXISTS {{ ?this {path} {_term(obj)} }}", component, False)
        elif name == "qualifiedValueShape":
            continue   # read by sh:qualifiedMinCount / sh:qualifiedMaxCount
        elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
            if any(isinstance(d, rdflib.Literal) and str(d) in ("true", "1")
                   for d in g.objects(shape, S.qualifiedValueShapesDisjoint)):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            n = int(obj)
            cond = comp.conforms(comp.one(shape, S.qualifiedValueShape), "?_c")
            # Counted per focus node; for the minimum, those with no such value as well.
            values = f"?this {path} ?_c . FILTER ({cond})"
            where = f"OPTIONAL {{ {values} }}" if name == "qualifiedMinCount" else values
            op = "<" if name == "qualifiedMinCount" else ">"
            branch(f"{{ SELECT ?this (COUNT(DISTINCT ?_c) AS ?_n) WHERE {{ {FOCUS} {where} }} "
                   f"GROUP BY ?this }} FILTER (?_n {op} {n})", component, False, first=True)
        elif name == "class":
            # An anti-join against the class's instances, evaluated once (not per value).
            branch(f"?this {path} ?v . MINUS {{ ?v <{RDF_TYPE}>/<{SUBCLASS}>* {_term(obj)} }}",
                   component, True, first=True)
        elif name in ("datatype", "nodeKind", "pattern", "in", "languageIn", *_COMPARE,
                      "minLength", "maxLength", "not", "and", "or", "xone", "node", "property"):
            if name == "property":
                raise Unsupported("sh:property inside a property shape")
            cond = comp.value_condition(pred, obj, v)
            branch(f"{_pattern(g, path_node, '?this', '?v')} FILTER (!({cond}))", component, True,
                   first=True)
        else:
            raise Unsupported(pred)
    if len(flags) == 1:
        # One check decided per focus node: a plain FILTER (no per-node BIND and join).
        k, expression = flags[0]
        branches.append((f"FILTER (COALESCE({expression}, false)) BIND ({k} AS ?k) "
                         f"BIND (?this AS ?v)", False))
    elif flags:
        # One pass over the focus nodes: each check's verdict bound once, then one row
        # per failed check (?k); ?v is the focus node, used by node-shape checks only.
        binds = " ".join(f"BIND (COALESCE({e}, false) AS ?_f{k})" for k, e in flags)
        pick = " || ".join(f"(?k = {k} && ?_f{k})" for k, _e in flags)
        values = " ".join(str(k) for k, _e in flags)
        branches.append((f"{binds} FILTER ({' || '.join(f'?_f{k}' for k, _e in flags)}) "
                         f"VALUES ?k {{ {values} }} FILTER ({pick}) BIND (?this AS ?v)", False))
    owner = shape if focus_of is None else focus_of
    written = {}
    for node in g.objects(owner, S.targetNode):
        if isinstance(node, rdflib.Literal) and not stable(node):
            written[_stored(node)] = node
    return CompiledShape(shape=shape, severity=str(severity), path=path_node,
                         targets=_targets(g, owner), checks=checks, branches=branches,
                         prologue=_prologue(g, owner), owner=owner, written=written)


def top_level_shapes(g) -> list:
    """Shapes evaluated on focus nodes of their own: every shape with a target (explicit
    or the implicit class target), and typed shapes no other shape uses."""
    import rdflib

    S = rdflib.Namespace(SH)
    shapes = set()
    for p in (S.targetClass, S.targetNode, S.targetSubjectsOf, S.targetObjectsOf, S.target):
        shapes |= set(g.subjects(p, None))
    for kind in (S.NodeShape, S.PropertyShape):
        for s in g.subjects(rdflib.RDF.type, kind):
            if _implicit_class(g, s) or not _nested(g, s):
                shapes.add(s)
    return sorted(shapes, key=str)


def _nested(g, shape) -> bool:
    """True if ``shape`` is used inside another shape (a value of a shape parameter)."""
    for _s, p, _o in g.triples((None, None, shape)):
        if str(p).startswith(SH):
            return True
    return False


def plan(g) -> tuple[list[CompiledShape], list, dict]:
    """``(compiled, left, how)``: the compiled units, the top-level shapes left to
    pySHACL, and per top-level shape ``None`` (compiled) or why it was left."""
    compiled, left, how = [], [], {}
    for shape in top_level_shapes(g):
        try:
            units = compile_top(g, shape)
            for c in units:   # syntax check: Oxigraph must accept what was written
                ox.Store().query(c.query(extra_nodes=[shape]) or "ASK {}")
        except Unsupported as exc:
            left.append(shape)
            how[shape] = str(exc)
            continue
        except (SyntaxError, ValueError, OSError) as exc:
            left.append(shape)
            how[shape] = f"Oxigraph does not accept the compiled query ({exc})"
            continue
        compiled += units
        how[shape] = None
    return compiled, left, how


def compile_all(g) -> tuple[list[CompiledShape], list]:
    """``(compiled, unsupported)``: compiled units and the shapes left to pySHACL."""
    compiled, left, _how = plan(g)
    return compiled, left


def run(store: ox.Store, compiled: list[CompiledShape], extra_targets: dict | None = None):
    """Yield ``(shape, check, focus, value, w)`` (pyoxigraph terms) for every violation;
    ``w`` is the result path where ``check.path_from_w``."""
    extra_targets = extra_targets or {}
    for c in compiled:
        text = c.query(extra_targets.get(c.owner, ()))
        if not text or not c.checks:
            continue
        for solution in store.query(text):
            check = c.checks[int(solution["k"].value)]
            value = solution["v"] if check.has_value else None
            yield c, check, solution["this"], value, solution["w"]
