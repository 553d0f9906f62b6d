"""A fast SHACL engine for the shipped shapes: each shape becomes one SPARQL query.

Every top-level shape (a node or property shape with a target) is compiled into
one SELECT query that returns its violating ``(constraint, focus, value)`` rows;
the query runs once per graph in Oxigraph instead of once per focus node.
The compiler covers the part of SHACL Core and SHACL-SPARQL the shipped shapes
use (see :func:`_compile_shape`); a shape using anything else is left to
pySHACL (:func:`etom_kg.validation.api.validate` runs those shapes there), never
skipped. Results follow pySHACL 0.40's reading of the constraints (e.g.
``sh:pattern`` matches from the start of the string, like Python's
``re.match``), so both engines give the same results: ``tests/test_fast_validation.py``
checks this on fixtures, the shipped graph and generated extensions.
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
    "qualifiedValueShapesDisjoint", "flags")}


class Unsupported(Exception):
    """The shape uses something the compiler does not translate (pySHACL evaluates it)."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint of a shape: ``component`` and whether rows carry a value."""

    component: str
    has_value: bool


@dataclass
class CompiledShape:
    shape: object            # rdflib node of the shape
    severity: str            # IRI
    path: object             # rdflib node of sh:path (None for a node shape)
    targets: list            # SPARQL group patterns binding ?this
    checks: list             # Check per branch, index = ?k
    branches: list           # per check: (group pattern binding ?v and ?k, binds ?this first)
    prologue: str

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
            "{ " + (f"{b} {check}" if first else f"{focus}\n    {b}") + " }"
            for b, first in self.branches)
        return f"{self.prologue}SELECT DISTINCT ?k ?this ?v WHERE {{\n  {body}\n}}"


# -- terms and paths ------------------------------------------------------------------
def _term(node) -> str:
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        text = _string(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype:
            return f"{text}^^<{node.datatype}>"
        return text
    raise Unsupported(f"blank node {node} as a constant")


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
    if g.value(node, rdflib.RDF.first) is not None:
        return "/".join(_path(g, p) for p in Collection(g, node))
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
            if str(obj).startswith(XSD) or str(obj).startswith("http://www.w3.org/2000/01/rdf-schema#"):
                raise Unsupported("XSD datatype (well-formedness checks)")
            return f'(isLiteral({var}) && LANG({var}) = "" && DATATYPE({var}) = {_term(obj)})'
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
            # pySHACL matches with re.match (anchored at the start), not re.search.
            regex = _string("^(?:" + str(obj) + ")")
            flag = f", {_string(flags[0])}" if flags else ""
            _check_regex(regex, flag)
            return f"(!isBlank({var}) && REGEX(STR({var}), {regex}{flag}))"
        if p == "in":
            members = [_term(m) for m in _list(g, obj)]
            return "false" if not members else f"({var} IN ({', '.join(members)}))"
        if p == "hasValue":
            return f"sameTerm({var}, {_term(obj)})"
        if p == "languageIn":
            # SHACL defines sh:languageIn by SPARQL's langMatches: one call per
            # range (a third cheaper in Oxigraph than LCASE/STRSTARTS on LANG).
            ranges = [str(r).lower() for r in _list(g, obj)]
            if any("-" in r for r in ranges):
                raise Unsupported("language range with subtags")
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
            if self.g.value(shape, rdflib.URIRef(SH + "path")) is not None:
                return self.property_conforms(shape, var)
            parts = []
            for pred, obj in self.g.predicate_objects(shape):
                pred = str(pred)
                if pred == SH + "deactivated" or pred == SH + "sparql":
                    raise Unsupported(pred)
                if not pred.startswith(SH) or pred in _NON_CONSTRAINT:
                    continue
                saved, self.current = getattr(self, "current", None), shape
                parts.append(self.value_condition(pred, obj, var))
                self.current = saved
            return "(" + " && ".join(parts) + ")" if parts else "true"
        finally:
            self.depth -= 1

    def property_conforms(self, shape, var: str) -> str:
        """SPARQL expression: ``var`` conforms to the nested property shape ``shape``."""
        import rdflib

        g = self.g
        path = _path(g, self.one(shape, rdflib.URIRef(SH + "path")))
        parts = []
        for pred, obj in g.predicate_objects(shape):
            pred = str(pred)
            if pred in (SH + "deactivated", SH + "sparql", SH + "qualifiedMaxCount",
                        SH + "qualifiedValueShapesDisjoint", SH + "uniqueLang", SH + "equals",
                        SH + "disjoint", SH + "lessThan", SH + "lessThanOrEquals", SH + "closed"):
                raise Unsupported(pred)
            if not pred.startswith(SH) or pred in _NON_CONSTRAINT or pred == SH + "qualifiedValueShape":
                continue
            v = self.var()
            if pred == SH + "minCount":
                n = int(obj)
                if n > 1:
                    raise Unsupported("minCount > 1 in a nested shape")
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
                    raise Unsupported("maxCount > 1 in a nested shape")
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
    if (shape, rdflib.RDF.type, rdflib.RDFS.Class) in g or \
            (shape, rdflib.RDF.type, rdflib.OWL.Class) in g:
        raise Unsupported("implicit class target")
    for c in g.objects(shape, S.targetClass):
        out.append(f"?this <{RDF_TYPE}>/<{SUBCLASS}>* {_term(c)} .")
    nodes = [_term(n) for n in g.objects(shape, S.targetNode)]
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


def compile_shape(g, shape) -> CompiledShape:
    """Compile one top-level shape; raises :class:`Unsupported`."""
    import rdflib

    S = rdflib.Namespace(SH)
    if g.value(shape, S.deactivated) is not None:
        raise Unsupported("sh:deactivated")
    if isinstance(shape, rdflib.BNode):
        raise Unsupported("blank-node top-level shape")
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
            if name in ("minCount", "maxCount", "uniqueLang", "equals", "disjoint",
                        "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
                        "sparql", "closed", "ignoredProperties", "xone", "property", "lessThan",
                        "lessThanOrEquals", "minInclusive", "maxInclusive", "minExclusive",
                        "maxExclusive"):
                raise Unsupported(f"{pred} on a node shape")
            if name in ("and", "or", "not", "node", "class", "datatype", "nodeKind", "pattern",
                        "in", "languageIn", "minLength", "maxLength", "hasValue"):
                if name == "hasValue":
                    raise Unsupported("sh:hasValue on a node shape")
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
                raise Unsupported("minCount > 1")
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
            if not (isinstance(obj, rdflib.Literal) and obj.value is True):
                if isinstance(obj, rdflib.Literal) and obj.value is False:
                    continue
                raise Unsupported("sh:uniqueLang value")
            # Grouped by node and language rather than a self-join on the path:
            # half the time on 10^5 nodes with two labels each.
            branch(f"{{ SELECT ?this WHERE {{ {{ SELECT ?this ?_a (LCASE(LANG(?_a)) AS ?_lang) "
                   f"WHERE {{ ?this {path} ?_a . FILTER (isLiteral(?_a)) }} }} "
                   f'FILTER (?_lang != "") }} GROUP BY ?this ?_lang '
                   f"HAVING (COUNT(DISTINCT ?_a) > 1) }}", component, False, first=True)
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
        elif name == "class":
            # An anti-join against the class's instances, evaluated once (not per value).
            branch(f"?this {path} ?v . MINUS {{ ?v <{RDF_TYPE}>/<{SUBCLASS}>* {_term(obj)} }}",
                   component, True, first=True)
        elif name in ("datatype", "nodeKind", "pattern", "in", "languageIn",
                      "minLength", "maxLength", "not", "and", "or", "node", "property"):
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
    return CompiledShape(shape=shape, severity=str(severity), path=path_node,
                         targets=_targets(g, shape), checks=checks, branches=branches,
                         prologue=_prologue(g, shape))


def top_level_shapes(g) -> list:
    """Shapes pySHACL would evaluate with targets: every node/property shape with a target."""
    import rdflib

    S = rdflib.Namespace(SH)
    shapes = set()
    for p in (S.targetClass, S.targetNode, S.targetSubjectsOf, S.targetObjectsOf, S.target):
        shapes |= set(g.subjects(p, None))
    for kind in (S.NodeShape, S.PropertyShape):
        shapes |= {s for s in g.subjects(rdflib.RDF.type, kind)
                   if (None, S.property, s) not in g and (None, S.node, s) not in g
                   and not _nested(g, s)}
    return sorted(shapes, key=str)


def _nested(g, shape) -> bool:
    """True if ``shape`` is only used inside another shape (a value of a shape parameter)."""
    for _s, p, _o in g.triples((None, None, shape)):
        if str(p).startswith(SH):
            return True
    return False


def compile_all(g) -> tuple[list[CompiledShape], list]:
    """``(compiled, unsupported)``: compiled shapes and the shapes left to pySHACL."""
    compiled, unsupported = [], []
    for shape in top_level_shapes(g):
        try:
            c = compile_shape(g, shape)
            ox.Store().query(c.query(extra_nodes=[shape]) or "ASK {}")   # syntax check
        except Unsupported:
            unsupported.append(shape)
            continue
        except (SyntaxError, ValueError, OSError):
            unsupported.append(shape)
            continue
        compiled.append(c)
    return compiled, unsupported


def run(store: ox.Store, compiled: list[CompiledShape], extra_targets: dict | None = None):
    """Yield ``(shape, check, focus, value)`` (pyoxigraph terms) for every violation."""
    extra_targets = extra_targets or {}
    for c in compiled:
        text = c.query(extra_targets.get(c.shape, ()))
        if not text or not c.checks:
            continue
        for solution in store.query(text):
            check = c.checks[int(solution["k"].value)]
            value = solution["v"] if check.has_value else None
            yield c, check, solution["this"], value
