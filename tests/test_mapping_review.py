"""The review round trip: map → reviewer's XLSX → edit 'confirmed' → --apply → RDF that
validates, classifies (clause 7.2) and answers the named queries."""
from __future__ import annotations

import pytest

from conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "mapping" / "inventory.csv"
ETOM = "https://w3id.org/etom-kg/ontology#"


def cli(*args):
    """Run the command in this process (a cold start per call would cost seconds)."""
    import contextlib
    import io
    import types

    from etom_kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The review sheet of the fixture, filled in by a reviewer with openpyxl."""
    import openpyxl

    folder = tmp_path_factory.mktemp("review")
    sheet = folder / "review.xlsx"
    done = cli("map", FIXTURE, "--format", "xlsx", "-o", sheet, "--lang", "ru")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(sheet)
    ws = book["mapping"]
    head = [c.value for c in ws[1]]
    col = head.index("confirmed") + 1
    row_col = head.index("row") + 1
    answers = {1: "да", 2: "1.1.1.6", 3: "yes", 4: "1.1.1.10 Управление выставлением счетов",
               6: "1.1.1.12", 8: True, 9: "нет"}            # 5, 7 and 10 left unreviewed
    for r in range(2, ws.max_row + 1):
        number = ws.cell(r, row_col).value
        if number in answers:
            ws.cell(r, col, answers[number])
    edited = folder / "review-done.xlsx"
    book.save(edited)
    return folder, sheet, edited


def test_the_review_sheet_keeps_the_original_columns_then_suggestions_and_an_empty_confirmed(
        reviewed):
    import openpyxl

    _, sheet, _ = reviewed
    ws = openpyxl.load_workbook(sheet)["mapping"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["№", "Наименование процесса", "Описание", "Владелец", "expected"]
    assert head[5:9] == ["row", "suggestion 1", "score 1", "evidence 1"]
    assert head[-2:] == ["confidence", "confirmed"]
    first = [c.value for c in ws[2]]
    assert first[6].startswith("1.1.1.5 Обработка заказов")
    assert 0 < first[7] <= 1 and "ШПД" in first[8]
    assert all(ws.cell(r, len(head)).value is None for r in range(2, ws.max_row + 1))
    [pick] = ws.data_validations.dataValidation          # a drop-down on 'confirmed'
    assert pick.formula1.startswith('"да,нет,1.1.1.1,') and "1.1.1.12" in pick.formula1


@pytest.fixture(scope="module")
def applied(reviewed):
    folder, _, edited = reviewed
    out = folder / "inventory.ttl"
    done = cli("map", "--apply", edited, "-o", out, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "3 row(s) not reviewed" in done.stderr and f"wrote {out}" in done.stderr
    return out


def test_apply_writes_real_processes_with_score_decision_and_source_row(applied):
    import rdflib

    g = rdflib.Graph().parse(applied)
    E = rdflib.Namespace(ETOM)
    real = set(g.subjects(rdflib.RDF.type, E.RealProcess))
    assert len(real) == 7
    by_row = {int(g.value(s, E.sourceRow)): s for s in real}
    assert set(by_row) == {1, 2, 3, 4, 6, 8, 9}
    assert str(g.value(by_row[1], E.reviewDecision)) == "accepted"
    assert str(g.value(by_row[2], E.reviewDecision)) == "confirmed"
    assert str(g.value(by_row[9], E.reviewDecision)) == "rejected"
    assert g.value(by_row[9], E.classifiedUnder) is None
    assert 0 < float(g.value(by_row[1], E.mappingScore)) <= 1
    assert g.value(by_row[1], E.confidence) == E.HighConfidence
    assert g.value(by_row[1], rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert str(g.value(by_row[1], rdflib.RDFS.label)) == "Приём заявок на подключение ШПД"


def test_the_applied_rdf_validates_with_the_shipped_shapes(applied):
    import etom_kg

    report = etom_kg.validate(applied)
    assert report.conforms, report


def test_classify_finds_every_accepted_or_confirmed_row_under_its_element(kg, applied):
    # The SPARQL engine applies the same OWL 2 RL rules as owlrl and HermiT
    # (test_classify.py shows they agree) in a fraction of the time.
    found = {(c.label, c.element_id) for c in kg.classify(applied, engine="sparql")}
    assert found == {
        ("Приём заявок на подключение ШПД", "1.1.1.5"),
        ("Регистрация жалоб абонентов на качество связи", "1.1.1.6"),
        ("Работа с дебиторской задолженностью физлиц", "1.1.1.11"),
        ("Ежемесячное выставление счетов абонентам", "1.1.1.10"),
        ("Разбор спорных начислений по счёту", "1.1.1.12"),
        ("Inbound call handling in the contact centre", "1.1.1.2"),
    }


def test_the_function_performed_is_the_one_the_row_talks_about(kg, applied):
    functions = {c.label: c.function.rsplit("/", 1)[1] for c in kg.classify(applied,
                                                                           engine="sparql")}
    assert functions["Регистрация жалоб абонентов на качество связи"] == "F1-1-1-6-2"


def test_the_applied_rows_answer_sparql_over_the_merged_graph(applied):
    import etom_kg

    kg = etom_kg.load([applied])
    rows = kg.sparql("SELECT ?p WHERE { ?p etom:classifiedUnder process:P1-1-1-12 }")
    assert len(rows) == 1
    assert kg.query("element", process="1.1.1.12")   # the standard is still there


def test_a_typo_in_confirmed_is_an_error_naming_the_row_and_nothing_is_written(
        reviewed, tmp_path):
    import openpyxl

    _, sheet, _ = reviewed
    book = openpyxl.load_workbook(sheet)
    ws = book["mapping"]
    col = [c.value for c in ws[1]].index("confirmed") + 1
    ws.cell(3, col, "1.1.1.8")
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    out = tmp_path / "out.ttl"
    out.write_text("previous content", encoding="utf-8")
    done = cli("map", "--apply", bad, "-o", out)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "bad.xlsx:3" in done.stderr and "1.1.1.8" in done.stderr
    assert out.read_text(encoding="utf-8") == "previous content"


def test_apply_refuses_a_sheet_that_is_not_a_review_sheet(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Процесс", "Описание"])
    book.save(tmp_path / "plain.xlsx")
    done = cli("map", "--apply", tmp_path / "plain.xlsx", "-o", tmp_path / "x.ttl")
    assert done.returncode == 2 and "confirmed" in done.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_map_ttl_writes_the_unreviewed_best_matches_and_leaves_out_of_scope_rows_unclassified(
        kg, tmp_path):
    out = tmp_path / "suggested.ttl"
    assert cli("map", FIXTURE, "--format", "ttl", "-o", out).returncode == 0
    found = {c.element_id for c in kg.classify(out, engine="sparql")}
    assert found == {"1.1.1.2", "1.1.1.5", "1.1.1.6", "1.1.1.9", "1.1.1.10", "1.1.1.11",
                     "1.1.1.12"}
    assert '"suggested"' in out.read_text(encoding="utf-8")
