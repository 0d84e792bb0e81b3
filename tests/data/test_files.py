"""Reading real exports: separators, encodings, xlsx (issue 2, point 5)."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from data_access.files import FileReadError, RawTable, read_table
from data_access.formats import validate

ROWS = [("2025-08", "Ekonomiskt bistånd", "övriga kostnader", "−1\u00a0234\u00a0567,50")]


def csv_bytes(separator: str, encoding: str, bom: bool = False) -> bytes:
    lines = [separator.join(["Månad", "Verksamhet", "Kontogrupp", "Belopp"])]
    for row in ROWS:
        lines.append(separator.join(f'"{c}"' if separator == "," and "," in c else c for c in row))
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1252":
        text = text.replace("\u00a0", " ").replace("−", "-")
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize("separator", [";", ",", "\t"])
@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_csv_dialects(separator, encoding, bom):
    table = read_table(csv_bytes(separator, encoding, bom), "utfall.csv")
    records, problems = validate("utfall", table)
    assert problems == []
    assert records[0]["verksamhet"] == "Ekonomiskt bistånd"
    assert records[0]["kontogrupp"] == "övriga kostnader"
    assert records[0]["belopp"] == -1234568  # rounded to whole kronor


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_and_named_sheet():
    import datetime as dt

    content = workbook_bytes({
        "Försättsblad": [["Utfall"], ["Exempelkommun"]],
        "Data": [["Period", "Verksamhet", "Belopp"], [dt.datetime(2025, 8, 1), "A", 1000.4], ["2025-09", "A", "=1+1"]],
    })
    first = read_table(content, "utfall.xlsx")
    assert first.headers == ["Utfall"]
    table = read_table(content, "utfall.xlsx", sheet="Data")
    records, problems = validate("utfall", table)
    # A formula is never evaluated: its text is not a number.
    assert [(p.row, p.column) for p in problems] == [(3, "belopp")] and records == []
    records, problems = validate("utfall", RawTable(table.file_name, table.headers, table.rows[:1]))
    assert problems == []
    assert records[0]["period"].iso == "2025-08" and records[0]["belopp"] == 1000
    with pytest.raises(FileReadError, match='bladet "Saknas" finns inte'):
        read_table(content, "utfall.xlsx", sheet="Saknas")


def test_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(FileReadError, match="komprimeringsbomb"):
        read_table(buffer.getvalue(), "bomb.xlsx")


def test_not_an_xlsx_and_unknown_extension():
    with pytest.raises(FileReadError, match="inte en giltig xlsx-fil"):
        read_table(b"hello", "fake.xlsx")
    with pytest.raises(FileReadError, match="okänt filformat"):
        read_table(b"a;b", "data.pdf")


def test_missing_column_is_named():
    table = read_table("Månad;Verksamhet\n2025-08;A\n".encode(), "utfall.csv")
    _, problems = validate("utfall", table)
    assert len(problems) == 1
    assert str(problems[0]).startswith('utfall.csv, rad 1, kolumn "Belopp, kr": kolumnen "Belopp, kr" saknas')


def test_an_older_excel_file_is_told_how_to_be_saved():
    """2026-12-05 walk of the month-end: an .xls export is the commonest wrong file; it is told what to do."""
    from data_access.files import FileReadError, open_table

    with pytest.raises(FileReadError, match=r"^utfall\.xls: en äldre Excel-fil \(\.xls\) läses inte; spara om filen "
                                            r"som Excel-arbetsbok \(\.xlsx\) eller CSV"):
        open_table(b"\xd0\xcf\x11\xe0", "utfall.xls")
    with pytest.raises(FileReadError, match="okänt filformat"):
        open_table(b"%PDF", "utfall.pdf")
