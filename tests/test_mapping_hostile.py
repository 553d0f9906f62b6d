"""Hostile and broken inventories: one-line errors naming the file (exit 2), or per-row
warnings where the rest can go on; the input is never modified; output is atomic."""
from __future__ import annotations

import contextlib
import io
import os
import types
import zipfile

import pytest

from conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "mapping" / "inventory.csv"


def cli(*args):
    from etom_kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return types.SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def fails(path, *extra, words=()):
    """The command fails with exit 2 and one line naming the file (and the given words)."""
    done = cli("map", path, *extra)
    assert done.returncode == 2, done
    line = done.stderr.strip()
    assert "\n" not in line and str(path) in line, line
    for word in words:
        assert word in line, line
    return line


def xlsx(path, rows, edit=None):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    if edit:
        edit(ws)
    book.save(path)
    return path


def test_an_empty_file_and_a_header_without_rows_are_errors(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    fails(empty, words=("empty",))
    header = tmp_path / "header.csv"
    header.write_text("Наименование процесса;Описание\n;\n", encoding="utf-8")
    fails(header, words=("no data rows",))
    fails(xlsx(tmp_path / "empty.xlsx", []), words=("empty",))


def test_a_sheet_without_a_name_column_says_which_columns_it_has(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Код;Владелец\n1;ДИТ\n", encoding="utf-8")
    line = fails(path, words=("process-name column", "'Код'", "--name-column"))
    assert line.startswith(f"etom-kg: error: {path}:1:")
    done = cli("map", path, "--name-column", "Владелец")
    assert done.returncode == 0
    fails(path, "--name-column", "Наименование", words=("no name column 'Наименование'",))


def test_name_and_description_columns_can_be_given_by_header_or_number(tmp_path, kg):
    from etom_kg.mapping import map_inventory

    path = tmp_path / "inv.csv"
    path.write_text("A;B;C\nx;Приём платежей;через терминалы\n", encoding="utf-8")
    mapping = map_inventory(kg, path, name_column="2", description_column="c")
    assert mapping.name_column == "B" and mapping.description_column == "C"
    assert mapping[0].text == "Приём платежей. через терминалы"
    assert mapping[0].best.id == "1.1.1.11"


def test_a_password_protected_or_legacy_workbook_is_named_as_such(tmp_path):
    # An encrypted .xlsx is an OLE2 compound file, like an old .xls.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    fails(path, words=("password-protected",))


def test_a_corrupt_workbook_is_an_error_not_a_traceback(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [["Процесс"], ["Приём платежей"]])
    data = good.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    fails(cut, words=("XLSX",))
    hollow = tmp_path / "hollow.xlsx"
    with zipfile.ZipFile(hollow, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    fails(hollow, words=("XLSX",))


def test_an_unknown_encoding_is_an_error_and_can_be_given(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("Процесс\nПриём платежей\n".encode("utf-16-le"))   # no BOM
    fails(utf16, words=("encoding",))
    greek = tmp_path / "greek.csv"
    greek.write_bytes("Process\nΠληρωμές πελατών και είσπραξη οφειλών\n".encode("iso-8859-7"))
    fails(greek, words=("encoding",))
    assert cli("map", greek, "--encoding", "iso-8859-7").returncode == 0
    fails(greek, "--encoding", "klingon", words=("unknown encoding",))


def test_formula_cells_are_read_as_their_values_or_warned_about(tmp_path, kg):
    from etom_kg.mapping import map_inventory

    def formulas(ws):
        ws["A3"] = '=CONCATENATE("Приём ","платежей")'   # never computed: no saved value

    path = xlsx(tmp_path / "f.xlsx", [["Процесс"], ["Выставление счетов"]], formulas)
    mapping = map_inventory(kg, path)
    assert [r.row for r in mapping] == [1]
    assert any("row 2" in w and "formula" in w for w in mapping.warnings)
    csv_path = tmp_path / "f.csv"
    csv_path.write_text('Процесс\n"=A1&""счета"""\nПриём платежей\n', encoding="utf-8")
    warned = map_inventory(kg, csv_path).warnings
    assert any("row 1" in w and "formula" in w for w in warned)


def test_merged_cells_read_as_their_top_left_value(tmp_path, kg):
    from etom_kg.mapping import map_inventory

    def merge(ws):
        ws.merge_cells("B2:B3")

    path = xlsx(tmp_path / "m.xlsx", [["Процесс", "Группа"], ["Приём платежей", "Биллинг"],
                                      ["Выставление счетов", None]], merge)
    mapping = map_inventory(kg, path)
    assert [r.values["Группа"] for r in mapping] == ["Биллинг", "Биллинг"]
    assert any("merged" in w for w in mapping.warnings)


def test_a_one_megabyte_cell_is_cut_with_a_warning(tmp_path, kg):
    from etom_kg.mapping import map_inventory

    path = tmp_path / "big.csv"
    path.write_text("Процесс;Описание\nПриём платежей;" + "оплата " * 150_000 + "\n",
                    encoding="utf-8")
    mapping = map_inventory(kg, path)
    assert mapping[0].best.id == "1.1.1.11"
    assert any("row 1" in w and "characters" in w for w in mapping.warnings)


def test_100_000_rows_are_read_and_a_larger_sheet_is_refused(tmp_path, monkeypatch):
    from etom_kg.io import spreadsheet

    path = tmp_path / "many.csv"
    path.write_text("Процесс\n" + "Приём платежей\n" * 100_000, encoding="utf-8")
    sheet = spreadsheet.read_sheet(path)
    assert len(sheet.rows) == 100_000 and sheet.rows[-1].number == 100_000
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 1000)
    fails(path, words=("more than 1000 rows",))


def test_rows_without_a_name_are_skipped_with_a_warning_and_keep_their_numbers(tmp_path, kg):
    from etom_kg.mapping import map_inventory

    path = tmp_path / "gaps.csv"
    path.write_text("Процесс;Описание\nПриём платежей;\n;только описание\n\nВыставление счетов;\n",
                    encoding="utf-8")
    mapping = map_inventory(kg, path)
    assert [r.row for r in mapping] == [1, 4]
    assert any(w.startswith("row 2: empty process name") for w in mapping.warnings)
    said = cli("map", path, "--lang", "ru").stderr
    assert "предупреждение" in said and "строка 2: пустое наименование процесса" in said


def test_the_input_is_never_modified_and_a_failed_run_leaves_the_output_alone(tmp_path):
    source = tmp_path / "inv.xlsx"
    xlsx(source, [["Процесс"], ["Приём платежей"]])
    before = (source.read_bytes(), os.stat(source).st_mtime_ns)
    out = tmp_path / "out.xlsx"
    assert cli("map", source, "--format", "xlsx", "-o", out).returncode == 0
    assert (source.read_bytes(), os.stat(source).st_mtime_ns) == before
    kept = tmp_path / "kept.json"
    kept.write_text("[]", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("Код\n1\n", encoding="utf-8")
    assert cli("map", bad, "--format", "json", "-o", kept).returncode == 2
    assert kept.read_text(encoding="utf-8") == "[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "inv.xlsx", "kept.json",
                                                         "out.xlsx"]


def test_usage_mistakes_are_one_line_errors(tmp_path):
    assert cli("map").returncode == 2
    assert cli("map", FIXTURE, "--format", "xlsx").returncode == 2        # xlsx needs -o
    assert cli("map", FIXTURE, "--top", "0").returncode == 2
    done = cli("map", tmp_path / "missing.csv")
    assert done.returncode == 2 and "no such file" in done.stderr
    done = cli("map", tmp_path)
    assert done.returncode == 2 and "directory" in done.stderr


def test_cells_that_look_like_formulas_are_written_as_text_in_the_review_sheet(tmp_path):
    import openpyxl

    path = tmp_path / "inj.csv"
    path.write_text('Процесс\n"=HYPERLINK(""http://x"",""Приём платежей"")"\n', encoding="utf-8")
    out = tmp_path / "review.xlsx"
    assert cli("map", path, "--format", "xlsx", "-o", out).returncode == 0
    cell = openpyxl.load_workbook(out)["mapping"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
