"""Typed rows from SPARQL results: RDF terms become Python values."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import pyoxigraph as ox

from ..core.namespaces import XSD

_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}


def to_python(term):
    """The natural Python value of an RDF term (IRIs and strings as str)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in _INTEGER_TYPES:
            return int(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        if dt == XSD + "decimal":
            return Decimal(term.value)
        if dt in (XSD + "double", XSD + "float"):
            return float(term.value)
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


class Row(Mapping):
    """One result row: ``row["label"]`` or ``row.label``; ``row.terms`` keeps RDF terms."""

    __slots__ = ("_values", "terms")

    def __init__(self, variables: list[str], terms: list):
        self.terms = dict(zip(variables, terms))
        self._values = {v: to_python(t) for v, t in self.terms.items()}

    def __getitem__(self, key: str):
        return self._values[key]

    def __getattr__(self, key: str):
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def language(self, key: str) -> str | None:
        """The language tag of a literal value, if any."""
        term = self.terms.get(key)
        return term.language if isinstance(term, ox.Literal) else None

    def __repr__(self) -> str:
        return f"Row({self._values!r})"


class Rows(list):
    """A list of :class:`Row` that remembers the result variables in order."""

    def __init__(self, variables: list[str], rows=()):
        super().__init__(rows)
        self.variables = variables


def rows_from_solutions(solutions: ox.QuerySolutions) -> Rows:
    variables = [v.value for v in solutions.variables]
    return Rows(variables, (Row(variables, [s[v] for v in variables]) for s in solutions))
