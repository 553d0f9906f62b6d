"""One CLI: an option has one spelling, one default and one meaning in every command."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from etom_kg.cli import build_parser
from etom_kg.commands._options import DATA_HELP

# The commands that read the graph: each takes the user's files with --data.
READS_THE_GRAPH = ["show", "tree", "links", "export", "diagram pictogram",
                   "diagram decomposition", "diagram links", "docs", "query", "sparql", "push",
                   "classify", "map"]
HUMAN_FORMATS = {"text", "csv", "json", "turtle", "ntriples", "archimate"}
FILE_FORMATS = {"map": {"xlsx", "svg"}}  # map's review sheet and footprint heat map


def parsers() -> dict[str, argparse.ArgumentParser]:
    """Every (sub-)command's parser by its name as typed ("diagram pictogram")."""
    found = {}

    def walk(parser, prefix):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix}{name}"] = sub
                    walk(sub, f"{prefix}{name} ")

    walk(build_parser([]), "")
    return found


def option(parser, flag):
    return next((a for a in parser._actions if flag in a.option_strings), None)


def cli(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "etom_kg.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd,
                          env={**os.environ, "COLUMNS": "100", **(env or {})})


@pytest.mark.parametrize("command", READS_THE_GRAPH)
def test_every_command_that_reads_the_graph_takes_data_files_the_same_way(command):
    data = option(parsers()[command], "--data")
    assert data is not None, command
    assert (data.nargs, type(data).__name__, data.default) == ("+", "_ExtendAction", [])
    # the same words; a command may add what it does with the files beyond that
    assert data.help == DATA_HELP or data.help.startswith(DATA_HELP + "; "), data.help


def test_lang_has_one_default_and_one_meaning_everywhere():
    langs = {name: option(p, "--lang") for name, p in parsers().items() if option(p, "--lang")}
    assert {"show", "tree", "links", "classify", "diagram pictogram", "map"} <= set(langs)
    assert {a.default for a in langs.values()} == {"ru"}
    for name, action in langs.items():
        assert set(action.choices) <= {"ru", "en", "both"} and {"ru", "en"} <= set(action.choices)


def test_format_values_have_the_same_names_everywhere():
    for name, parser in parsers().items():
        action = option(parser, "--format")
        if action is not None:
            allowed = HUMAN_FORMATS | FILE_FORMATS.get(name, set())
            assert set(action.choices) <= allowed, (name, action.choices)
            assert action.default in ("text", "archimate"), name
    # "table", the name older versions used for text, still works
    done = cli("query", "areas", "--format", "table")
    assert done.returncode == 0 and done.stdout.startswith("area ")


def test_map_takes_the_shared_options_too(tmp_path):
    parser = parsers()["map"]
    assert option(parser, "--lang").default == "ru"
    assert set(option(parser, "--format").choices) <= HUMAN_FORMATS | {"xlsx", "svg"}
    assert option(parser, "--data").help == DATA_HELP
    inventory = tmp_path / "inventory.csv"
    inventory.write_text("Процесс;Описание\nПриём платежей;оплата счетов абонентами\n",
                         encoding="utf-8")
    # -o - is standard output, with nothing on standard error
    done = cli("map", str(inventory), "--format", "json", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.lstrip().startswith("[")
    # the names older versions used still work; a file written is reported on stderr
    out = tmp_path / "mapped.ttl"
    done = cli("map", str(inventory), "--format", "ttl", "-o", str(out))
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert done.stderr.startswith(f"записано {out} (") and "байт" in done.stderr
    assert "etom:RealProcess" in out.read_text(encoding="utf-8")
    table = cli("map", str(inventory), "--format", "table", "--lang", "en")
    assert table.returncode == 0 and "1.1.1.11" in table.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.csv", "mapped.ttl"]


def test_debug_is_accepted_after_the_command_name():
    done = cli("show", "1.1.1.99", "--debug")
    assert done.returncode != 0 and "Traceback" in done.stderr and "UnknownProcess" in done.stderr
    quiet = cli("show", "1.1.1.99")
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr


@pytest.mark.parametrize("args", [
    ["query", "areas"], ["sparql", "-"], ["diagram", "pictogram", "1.1.1.5"],
    ["classify", "CLASSIFY"]])
def test_dash_o_dash_is_standard_output_everywhere(tmp_path, args):
    from pathlib import Path

    fixture = Path(__file__).resolve().parent / "fixtures" / "classify" / "operator-processes.ttl"
    args = [str(fixture) if a == "CLASSIFY" else a for a in args]
    done = subprocess.run([sys.executable, "-m", "etom_kg.cli", *args, "-o", "-"],
                          input="SELECT ?x WHERE { ?x a etom:ProcessArea }", capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and done.stderr == ""
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_every_writer_says_what_it_wrote_on_standard_error(tmp_path):
    for args, name in ((["query", "areas"], "areas.txt"),
                       (["diagram", "pictogram", "1.1.1.5"], "p.svg")):
        out = tmp_path / name
        done = cli(*args, "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert done.stdout == "" and out.stat().st_size > 0
        assert done.stderr.startswith(f"записано {out} (") and "байт" in done.stderr
    english = cli("query", "areas", "-o", str(tmp_path / "a.txt"), env={"ETOM_KG_LANG": "en"})
    assert english.stderr.startswith(f"wrote {tmp_path / 'a.txt'} (") and "bytes" in english.stderr


@pytest.mark.parametrize("args", [
    ["show", "1.1", "--lang", "both"], ["links", "1.1.1.5", "--lang", "both"], ["queries"],
    ["query", "search", "-p", "text=заказ"], ["query", "descendants", "-p", "process=1.1"],
    ["tree", "--lang", "both"]])
def test_output_fits_100_columns(args):
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 100


def test_output_follows_the_terminal_width():
    done = cli("links", "1.1.1.5", env={"COLUMNS": "80"})
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def test_a_command_needing_an_extra_says_which_in_one_line(tmp_path):
    # An install without the extra: importing its module fails.
    code = ("import sys; sys.modules['pylode'] = None; from etom_kg.cli import main; "
            "from etom_kg.commands import docs; docs.run = lambda args: __import__('pylode'); "
            f"sys.exit(main(['docs', '-o', {str(tmp_path / 'site')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "pip install 'etom-kg[docs]'" in done.stderr


def test_the_public_api_has_real_signatures_and_every_exception():
    import inspect

    import etom_kg

    assert list(inspect.signature(etom_kg.load).parameters)[:1] == ["extra"]
    assert "engine" in inspect.signature(etom_kg.validate).parameters
    mapping = inspect.signature(etom_kg.map_inventory).parameters
    assert {"source", "top", "extra", "name_column", "semantic"} <= set(mapping)
    assert not any(p.kind is p.VAR_KEYWORD for p in mapping.values())
    for name in ("EtomKgError", "InputError", "InvalidProcessId", "UnknownProcess", "UsageError",
                 "ReasonerUnavailable", "InconsistentOntology"):
        error = getattr(etom_kg, name)
        assert issubclass(error, etom_kg.EtomKgError) and error.__doc__, name
    assert etom_kg.load.__doc__ and etom_kg.validate.__doc__ and etom_kg.map_inventory.__doc__
    kg_methods = [m for n, m in inspect.getmembers(etom_kg.KnowledgeGraph, inspect.isfunction)
                  if not n.startswith("_")]
    assert kg_methods and all(m.__doc__ for m in kg_methods)


def test_validate_accepts_rdf_text():
    import etom_kg

    text = """@prefix etom: <https://w3id.org/etom-kg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://op.example/e> a etom:ProcessElement ;
            skos:notation "2.1.1.5.1"^^etom:ProcessId ;
            skos:prefLabel "Приём заказа"@ru , "Order capture"@en ;
            skos:definition "Принимает заказ."@ru , "Takes an order."@en ;
            skos:broader <https://w3id.org/etom-kg/process/P1-1-1-5> ."""
    report = etom_kg.validate(text)
    assert not [r for r in report.results if r.severity == "Violation"], report.results
    with pytest.raises(etom_kg.InputError):
        etom_kg.validate("@prefix broken <x> .\n")
