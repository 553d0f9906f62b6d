"""The shipped shapes run unchanged in another SHACL engine (Apache Jena SHACL, from Debian).

Given the user's file plus the shipped graph, as they are (no inverse links
derived, nothing added), Jena reports what ``etom-kg validate`` reports about
the user's nodes. One exception, by design: ``shapes:NoNewProjectIri`` gets its
target nodes from etom-kg per run (the user's nodes in the project namespace
that the shipped graph lacks: which graph a node came from is not in the data),
so in another engine it selects nothing; and those nodes, which pose as
standard elements, are held to ``shapes:BroaderNarrowerConsistent`` there (both
hierarchy directions stated) where etom-kg, knowing them for the user's,
derives the other direction. Results about them are left out of the comparison.

Needs ``java`` and Debian's ``libapache-jena-java`` (``.ci/run`` installs it); the
test is skipped, saying so, when either is missing. Debian's ``jena-core`` jar
keeps xerces' message files under the unrelocated package name, so they are
copied where the relocated classes look for them.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import rdflib

from etom_kg.core.resources import data_files
from etom_kg.graph.shipped import load_shipped
from etom_kg.validation.api import prepare, validate

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
JENA_JARS = Path("/usr/share/java")
SH = rdflib.SH
NO_NEW_IRI = "https://w3id.org/etom-kg/shapes#NoNewProjectIri"
LOGGING = ("log4j-over-slf4j", "slf4j-log4j12", "jcl-over-slf4j", "slf4j-jcl", "slf4j-simple",
           "slf4j-nop", "slf4j-jdk")


def _debian_jars(package: str) -> list[str]:
    """The jars of a Debian package and of the Java packages it depends on."""
    seen, todo = set(), [package]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", name],
                                 capture_output=True, text=True).stdout
        todo += [alt.split("|")[0].split()[0] for alt in depends.split(",")
                 if alt.strip() and alt.split("|")[0].split()[0].endswith("-java")]
    jars = []
    for name in sorted(seen):
        files = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True).stdout
        jars += [f for f in files.split() if f.startswith(str(JENA_JARS)) and f.endswith(".jar")
                 and not any(x in f for x in LOGGING)]
    return jars


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    """A function running Jena's ``shacl validate`` on data and shapes files."""
    if shutil.which("java") is None:
        pytest.skip("no java on this machine: Jena SHACL cannot run")
    if not (JENA_JARS / "jena-shacl.jar").is_file() or shutil.which("dpkg-query") is None:
        pytest.skip("Jena SHACL is not installed (apt-get install -y libapache-jena-java)")
    fix = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(JENA_JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                out = fix / name[len("org/apache/jena/ext/"):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    classpath = ":".join([str(fix)] + _debian_jars("libapache-jena-java"))

    def run(data: Path, shapes: Path) -> rdflib.Graph:
        done = subprocess.run(["java", "-cp", classpath, "shacl.shacl", "validate",
                               "--shapes", str(shapes), "--data", str(data)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return rdflib.Graph().parse(data=done.stdout, format="turtle")
    return run


def _user_and_shipped(files: list[Path], out: Path) -> None:
    """The user's files and the shipped graph, as they are, in one N-Triples file."""
    import pyoxigraph as ox

    store = ox.Store()
    load_shipped(store, named=False)
    for f in files:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=f.as_uri())
    ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in store], output=str(out),
                 format=ox.RdfFormat.N_TRIPLES)


def _shipped_shapes(out: Path) -> None:
    with out.open("w", encoding="utf-8") as stream:
        for path in data_files("shapes", "*.ttl"):
            stream.write(rdflib.Graph().parse(path).serialize(format="nt"))


def _key(graph: rdflib.Graph, keep) -> Counter:
    report = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    return Counter((str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.sourceShape)),
                    str(graph.value(r, SH.resultSeverity)),
                    str(graph.value(r, SH.sourceConstraintComponent)))
                   for r in graph.objects(report, SH.result)
                   if keep(graph.value(r, SH.focusNode)))


def test_jena_on_the_users_file_and_the_shipped_graph_reports_what_etom_kg_reports(
        jena, tmp_path):
    from test_fast_validation import extension

    generated = tmp_path / "generated.ttl"
    generated.write_text(extension(80, 0.2, 7)[0], encoding="utf-8")
    files = [p for p in sorted(FIXTURES.glob("*/*.ttl"))
             if "# mode: as-given" not in p.read_text(encoding="utf-8")] + [generated]
    data, shapes = tmp_path / "data.nt", tmp_path / "shapes.nt"
    _user_and_shipped(files, data)
    _shipped_shapes(shapes)

    ours = validate(files)
    posing = {r.focus for r in ours.results if r.source_shape == NO_NEW_IRI}
    assert posing, "the data should hold nodes posing as standard elements"
    keep = prepare(files).keeps()

    def compared(focus) -> bool:
        return keep(focus) and str(focus) not in posing
    expected = _key(ours.graph, compared)
    assert sum(expected.values()) > 50 and len({k[1] for k in expected}) >= 20
    assert _key(jena(data, shapes), compared) == expected
