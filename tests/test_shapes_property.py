"""Random extension trees, valid and broken in known ways: SHACL and etom_kg.core.ids must agree.

The oracle uses only :mod:`etom_kg.core.ids` (syntax, parent acceptance, uniqueness);
SHACL's verdict is the set of elements with a Violation from ``validate()``.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from etom_kg.core.errors import InvalidProcessId
from etom_kg.core.ids import parse
from etom_kg.validation.api import validate

EX = "https://example.org/op/"
HEAD = """@prefix etom: <https://w3id.org/etom-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix process: <https://w3id.org/etom-kg/process/> .
@prefix ex: <https://example.org/op/> .
"""
STANDARD_PARENTS = {"1.1.1.5": "process:P1-1-1-5", "1.1.1.6": "process:P1-1-1-6",
                    "1.1.1.10": "process:P1-1-1-10"}


@st.composite
def trees(draw):
    """Elements (name, id, parent name-or-standard-id) of a developer-2 tree under CRM elements."""
    elements = []
    for i in range(draw(st.integers(1, 6))):
        if elements and draw(st.booleans()):
            parent_name, parent_id = draw(st.sampled_from([(n, p) for n, p, _ in elements]))
        else:
            parent_id = draw(st.sampled_from(sorted(STANDARD_PARENTS)))
            parent_name = parent_id
        own = "2" + parent_id[1:] + "." + str(draw(st.integers(1, 30)))
        elements.append((f"E{i}", own, parent_name))
    breakage = draw(st.sampled_from(["none", "wrong-path", "leading-zero", "duplicate",
                                     "developer-1"]))
    victim = draw(st.integers(0, len(elements) - 1))
    name, pid, parent = elements[victim]
    if breakage == "wrong-path":
        parts = pid.split(".")
        parts[-2] = str(int(parts[-2]) + 40)       # no such group/element anywhere
        elements[victim] = (name, ".".join(parts), parent)
    elif breakage == "leading-zero":
        elements[victim] = (name, pid.rsplit(".", 1)[0] + ".0" + pid.rsplit(".", 1)[1], parent)
    elif breakage == "duplicate":
        elements.append((f"E{len(elements)}", pid, parent))
    elif breakage == "developer-1":
        elements[victim] = (name, "654321" + "." + "1" + pid[1:], parent)   # prefixed, dev 1
    return elements


def turtle(elements) -> str:
    out = [HEAD]
    for name, pid, parent in elements:
        broader = STANDARD_PARENTS.get(parent, f"ex:{parent}")
        out.append(f'ex:{name} a etom:ProcessElement ;\n  skos:notation "{pid}"^^etom:ProcessId ;\n'
                   f'  skos:prefLabel "Э {name}"@ru , "E {name}"@en ;\n'
                   f'  skos:definition "Определение."@ru , "Definition."@en ;\n'
                   f'  skos:broader {broader} .\n')
    return "\n".join(out)


def oracle(elements) -> set[str]:
    """Elements that break a MUST rule, judged with etom_kg.core.ids alone."""
    ids_of = {name: pid for name, pid, _ in elements}
    bad = set()
    seen: dict[str, list[str]] = {}
    for name, pid, parent in elements:
        seen.setdefault(pid, []).append(name)
    for name, pid, parent in elements:
        if len(seen[pid]) > 1:
            bad.add(name)
        try:
            me = parse(pid)
        except InvalidProcessId:
            bad.add(name)
            continue
        if me.prefix is not None:
            bad.add(name)          # a prefixed element must name what it modifies: it does not
        parent_text = parent if parent in STANDARD_PARENTS else ids_of[parent]
        try:
            if not me.accepts_parent(parse(parent_text)):
                bad.add(name)
        except InvalidProcessId:
            pass                   # the parent's own syntax error is reported on the parent
    return {EX + n for n in bad}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_shacl_and_the_id_grammar_agree(tmp_path_factory, elements):
    path = tmp_path_factory.mktemp("tree") / "ext.ttl"
    path.write_text(turtle(elements), encoding="utf-8")
    report = validate(path)
    violating = {r.focus for r in report.results if r.severity == "Violation"}
    assert violating == oracle(elements)
