"""Generated extensions: the fast engine reports exactly what plain pySHACL reports.

Each example is an extension file written the way users write them, and worse:
labels and definitions of arbitrary Unicode (leading, trailing and inner
whitespace, NBSP, zero-width characters, newlines, Cyrillic, CJK, Arabic,
emoji), language tags in any case, typed literals of every XSD numeric type in
canonical and other valid forms and out of range, process IDs of every shape
(prefixed, reserved, leading zeros, too deep, malformed), broader chains and
cycles. The shipped shapes judge it without context (the TBox only), and the
fast engine's results (focus, path, value, severity, shape; a multiset) must be
plain pySHACL's on the file as rdflib reads it, plus the inverse hierarchy links.

Where plain pySHACL departs from SHACL the generator stays clear, and says why:
control characters U+001C-U+001F (Python's ``\\s`` counts them as whitespace,
XPath and Rust do not), numerals with inner whitespace or underscores (Python's
``int()`` accepts them, XSD does not), and IDs ending in a newline (Python's
``$`` matches before a final newline, XPath's does not).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings, strategies as st

from etom_kg.core.resources import data_dir
from etom_kg.validation.api import _path_text, _run_fast, prepare

SH = rdflib.SH
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = "http://www.w3.org/2001/XMLSchema#"
HEAD = """@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/op/> .
"""
# Whitespace and invisible characters users paste, and other scripts.
ODD = [" ", "\t", "\n", "\r", "\u00a0", "\u200b", "\u200d", "\ufeff", "\u2003",
       "\u3000", "\u2028"]
TEXT = st.text(alphabet=st.one_of(
    st.sampled_from(ODD),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    st.sampled_from("ЖжЁёабвгдеОрдерИсполнение漢字نصّ🙂ñé")), max_size=12)
LANGS = st.sampled_from(["ru", "en", "RU", "En", "EN", "ru-RU", "en-gb", "EN-US", "de", "zh-Hans"])
NUMERIC = {   # datatype: valid lexical forms (canonical and not) and ill-formed / out of range
    "integer": ["3", "-7", "+3", "003", "0", "-0"],
    "decimal": ["3", "3.0", "3.50", "-.5", "+1.25", "0.0"],
    "double": ["3", "3.0E0", "1e3", "-0", "INF", "-INF", "NaN", "1.5E-2"],
    "float": ["3", "1e3", "INF", "NaN", "0.5"],
    "long": ["3", "-9223372036854775808", "9223372036854775808"],
    "int": ["3", "2147483648"], "short": ["3", "32768"], "byte": ["3", "127", "128", "-129"],
    "nonNegativeInteger": ["3", "0", "-1"], "positiveInteger": ["3", "0"],
    "nonPositiveInteger": ["-3", "0", "1"], "negativeInteger": ["-3", "0"],
    "unsignedLong": ["3", "-1"], "unsignedInt": ["3", "4294967296"],
    "unsignedShort": ["3", "65536"], "unsignedByte": ["3", "256"],
}
PARENTS = ["process:P1-1-1-5", "process:P1-1-1-6", "process:P1-1-1-10", "process:P1-1-1"]


def _lit(text: str) -> str:
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


@st.composite
def process_ids(draw):
    base = draw(st.sampled_from(["2.1.1.5", "2.1.1.6", "2.1.1.10", "1.1.1.5", "2.1.1"]))
    tail = draw(st.lists(st.integers(0, 12), max_size=3))
    pid = ".".join([base] + [str(t) for t in tail])
    form = draw(st.sampled_from(["plain", "plain", "prefixed", "leading-zero", "junk", "untyped"]))
    if form == "prefixed":
        pid = "123456." + pid
    elif form == "leading-zero":
        pid += ".07"
    elif form == "junk":
        pid = draw(st.sampled_from(["", " 2.1.1.5.1", "2..1", "2.1.1.5.x", "2.1.1.5.1 "]))
    typed = "" if form == "untyped" else "^^etom:ProcessId"
    return _lit(pid) + typed


@st.composite
def extensions(draw):
    n = draw(st.integers(1, 5))
    names = [f"ex:E{i}" for i in range(n)]
    out = [HEAD]
    for i, name in enumerate(names):
        lines = [f"{name} a etom:ProcessElement"]
        for _ in range(draw(st.integers(0, 2))):
            lines.append(f"skos:notation {draw(process_ids())}")
        for _ in range(draw(st.integers(0, 3))):
            lines.append(f"skos:prefLabel {_lit(draw(TEXT))}@{draw(LANGS)}")
        for _ in range(draw(st.integers(0, 2))):
            text = _lit(draw(TEXT))
            lines.append(f"skos:definition {text}" + (f"@{draw(LANGS)}" if draw(st.booleans()) else ""))
        # Chains and cycles among the user's own elements, or a standard parent.
        for _ in range(draw(st.integers(0, 2))):
            lines.append("skos:broader " + draw(st.sampled_from(PARENTS + names)))
        if draw(st.booleans()):
            datatype = draw(st.sampled_from(sorted(NUMERIC)))
            lines.append(f"etom:level {_lit(draw(st.sampled_from(NUMERIC[datatype])))}"
                         f"^^xsd:{datatype}")
        if draw(st.booleans()):
            lines.append("skos:related " + draw(st.sampled_from(PARENTS + names)))
        out.append(" ;\n  ".join(lines) + " .\n")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _tbox() -> rdflib.Graph:
    return rdflib.Graph().parse(data_dir("ontology") / "etom.ttl", format="turtle")


def reference(text: str, prep) -> Counter:
    """Plain pySHACL on the file as rdflib reads it (literals as written), the TBox and the
    inverse of every skos:broader / skos:narrower link."""
    import pyshacl

    saved, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        data = rdflib.Graph().parse(data=text, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = saved
    for s, o in list(data.subject_objects(SKOS.broader)):
        if not isinstance(o, rdflib.Literal):
            data.add((o, SKOS.narrower, s))
    for s, o in list(data.subject_objects(SKOS.narrower)):
        if not isinstance(o, rdflib.Literal):
            data.add((o, SKOS.broader, s))
    data += _tbox()
    _c, report, _t = pyshacl.validate(data, shacl_graph=prep.shapes_with_targets(),
                                      advanced=True, inference="none", allow_warnings=False)
    top = next(report.subjects(rdflib.RDF.type, SH.ValidationReport))
    return Counter(_key(report.value(r, SH.focusNode), _path_text(report, report.value(r, SH.resultPath)),
                        report.value(r, SH.value), report.value(r, SH.resultSeverity),
                        report.value(r, SH.sourceShape))
                   for r in report.objects(top, SH.result))


def _key(focus, path, value, severity, shape) -> tuple:
    if isinstance(value, rdflib.Literal) and value.language:   # tags are case-insensitive
        value = rdflib.Literal(str(value), lang=value.language.lower())
    if isinstance(value, rdflib.BNode):
        value = "_:blank"
    return (focus, path, value, str(severity), shape)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=extensions())
def test_fast_engine_equals_plain_pyshacl_on_generated_extensions(tmp_path, text):
    path = tmp_path / "extension.ttl"
    path.write_text(text, encoding="utf-8")
    prep = prepare(path, context=False)
    fast = Counter(_key(f, _path_text(prep.shapes, p), v, sev, shape)
                   for f, p, v, sev, shape, _component in _run_fast(prep))
    assert fast == reference(text, prep)
