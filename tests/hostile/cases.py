"""One hostile or broken RDF file per case; each is written fresh by the test that uses it.

``line`` is the line the parser must name (None when no parser can know it).
``url`` is the recording server's address, for files that try to reach out.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    content: Callable[[str], bytes] | None   # None: the path is not a regular file
    line: int | None = None
    why: str = ""                              # a word the message must contain

    def make(self, folder: Path, url: str) -> Path:
        path = folder / self.filename
        if self.name == "directory":
            path.mkdir()
        elif self.content is not None:
            path.write_bytes(self.content(url))
        return path


def _bomb(levels: int = 9) -> bytes:
    entities = '<!ENTITY a0 "' + "a" * 60 + '">\n' + "".join(
        f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">\n' for i in range(1, levels + 1))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
            f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&a{levels};</ex:p>'
            f"</rdf:Description>\n</rdf:RDF>\n").encode()


def _truncated_turtle(url: str) -> bytes:
    from etom_kg.core.resources import data_files

    text = next(p for p in data_files("ontology", "*.ttl") if p.name == "etom-crm.ttl").read_bytes()
    # Cut inside a statement: after the first ' ;' past the middle, mid-line.
    cut = text.index(b" ;\n", len(text) // 2) + 3
    return text[:cut] + b"    skos:prefLabel \"\xd0\x9e\xd0\xb1\xd1\x80"


MALFORMED = [
    Case("bad-turtle", "bad.ttl",
         lambda u: b'@prefix ex: <http://example.org/> .\nex:s ex:p "unterminated .\n', 2),
    Case("truncated-turtle", "truncated.ttl", _truncated_turtle, line=None),
    Case("bad-ntriples", "bad.nt",
         lambda u: b'<http://example.org/s> <http://example.org/p> "x" .\n'
                   b'<http://example.org/s> <http://example.org/p> "x" <http://example.org/o> .\n',
         2),
    Case("bad-trig", "bad.trig",
         lambda u: b'@prefix ex: <http://example.org/> .\nex:g {\n ex:s ex:p ex:o .\n', None),
    Case("bad-rdfxml", "bad.rdf",
         lambda u: f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF_NS}">\n'
                   f'<rdf:Description rdf:about="http://example.org/s">\n</rdf:RDF>\n'.encode(),
         None),
    Case("bad-jsonld", "bad.jsonld",
         lambda u: b'{\n  "@id": "http://example.org/s",\n  "http://example.org/p": [1, }\n', 3),
    Case("cp1251-turtle", "cp1251.ttl",
         lambda u: '@prefix ex: <http://example.org/> .\nex:s ex:p "Привет" .\n'.encode("cp1251"),
         2),
    Case("utf16-turtle", "utf16.ttl",
         lambda u: '@prefix ex: <http://example.org/> .\nex:s ex:p "Привет" .\n'.encode("utf-16"),
         None),
    Case("unknown-extension", "model.docx", lambda u: b"PK\x03\x04 not rdf", why="extension"),
    Case("empty", "empty.ttl", lambda u: b"", why="empty"),
    Case("blank", "blank.ttl", lambda u: b"  \n\n", why="empty"),
    Case("directory", "folder.ttl", None, why="directory"),
    Case("missing", "missing.ttl", None, why="no such file"),
    # Hostile: they try to blow up memory or reach the network.
    Case("billion-laughs", "bomb.rdf", lambda u: _bomb(), line=3, why="entit"),
    Case("external-dtd-entity", "xxe.rdf",
         lambda u: (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{u}/xxe.dtd">]>\n'
                    f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
                    f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p>'
                    f"</rdf:Description>\n</rdf:RDF>\n").encode()),
    Case("external-parameter-entity", "xxe-param.rdf",
         lambda u: (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{u}/p.dtd"> %p;]>\n'
                    f'<rdf:RDF xmlns:rdf="{RDF_NS}"/>\n').encode()),
    Case("jsonld-remote-context", "remote.jsonld",
         lambda u: f'{{"@context": "{u}/context.jsonld", "@id": "http://example.org/s", '
                   f'"name": "x"}}'.encode()),
    Case("jsonld-remote-context-in-list", "remote2.jsonld",
         lambda u: f'{{"@context": [{{"@vocab": "http://example.org/"}}, "{u}/c2.jsonld"], '
                   f'"@id": "http://example.org/s", "name": "x"}}'.encode()),
    Case("jsonld-deep-nesting", "deep.jsonld",
         lambda u: b'{"@id": "http://example.org/s", "http://example.org/p": '
                   + b'{"http://example.org/p": ' * 70000 + b"1" + b"}" * 70001, line=1),
    Case("very-long-literal", "long.ttl",
         lambda u: b'<http://example.org/s> <http://example.org/p> "' + b"x" * (10 * 1024 * 1024 + 1)
                   + b'" .\n', why="literal"),
]

BY_NAME = {case.name: case for case in MALFORMED}


NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"


def _model(doctype: str = "", body: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
            f'<model xmlns="{NS3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'identifier="id-hostile">\n<name xml:lang="en">Hostile{body}</name>\n'
            f"</model>\n").encode()


def _truncated_model(url: str) -> bytes:
    text = (Path(__file__).resolve().parents[1] / "fixtures" / "enterprise"
            / "telco-landscape.xml").read_bytes()
    return text[: len(text) // 2]


# ArchiMate exchange files: read with defusedxml by import-archimate and merge.
ARCHIMATE = [
    Case("archimate-truncated", "truncated-model.xml", _truncated_model, why="xml"),
    Case("archimate-billion-laughs", "bomb-model.xml",
         lambda u: _model("<!DOCTYPE model [\n" + "".join(
             f'<!ENTITY a{i} "' + (f"&a{i - 1};" * 10 if i else "a" * 60) + '">\n'
             for i in range(10)) + "]>\n", "&a9;")),
    Case("archimate-external-entity", "xxe-model.xml",
         lambda u: _model(f'<!DOCTYPE model [<!ENTITY x SYSTEM "{u}/xxe.dtd">]>\n', "&x;")),
    Case("archimate-external-dtd", "dtd-model.xml",
         lambda u: _model(f'<!DOCTYPE model SYSTEM "{u}/model.dtd">\n')),
    Case("archimate-not-a-model", "not-a-model.xml",
         lambda u: b'<?xml version="1.0"?>\n<html><body>hello</body></html>\n'),
]


def chain(length: int) -> str:
    """An extension of eTOM: ``length`` elements, each the child of the one before (Turtle)."""
    out = ["@prefix etom: <https://w3id.org/etom-kg/ontology#> .\n"
           "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
           "@prefix process: <https://w3id.org/etom-kg/process/> .\n"
           "@prefix scheme: <https://w3id.org/etom-kg/scheme/> .\n"
           "@prefix ex: <https://operator.example/process/> .\n"]
    parent = "process:P1-1-1-5"
    for i in range(length):
        out.append(f"ex:E{i} a etom:ProcessElement, skos:Concept ; skos:inScheme scheme:etom ;\n"
                   f"  skos:broader {parent} ;\n"
                   f'  skos:prefLabel "Элемент {i}"@ru, "Element {i}"@en .\n')
        parent = f"ex:E{i}"
    return "".join(out)


def union(members: int) -> str:
    """An operator's class that is the union of ``members`` classes, and one real process."""
    names = " ".join(f"ex:C{i}" for i in range(members))
    return ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix etom: <https://w3id.org/etom-kg/ontology#> .\n"
            "@prefix ex: <https://operator.example/> .\n"
            f"ex:U a owl:Class ; owl:unionOf ( {names} ) .\n"
            "ex:p a etom:RealProcess ; etom:performsFunction ex:f .\n")
