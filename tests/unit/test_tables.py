"""One table description, rendered as text and as workbook cells (issue 18)."""

import datetime as dt

import pandas as pd
import pytest

from domain.tables import Column, audit_table, cell_text, import_log_table, texts, workbook_cell


def test_cells_as_text_follow_the_one_formatting_path():
    assert cell_text(Column("n", "Rader", "count"), 1234567) == "1\u00a0234\u00a0567"
    assert cell_text(Column("b", "Belopp", "tkr"), -1_234_600) == "\u22121\u00a0235"
    assert cell_text(Column("p", "Andel", "percent"), 0.015) == "1,5\u00a0%"
    assert cell_text(Column("t", "Tid", "timestamp"), "2026-01-15 13:05:00") == "15\u00a0jan\u00a02026 14:05"
    assert cell_text(Column("i", "Nr", "identifier"), 12.0) == "12"
    assert cell_text(Column("x", "Text"), None) == "" and cell_text(Column("n", "Rader", "count"), None) == "–"


def test_workbook_cells_are_numbers_and_local_dates():
    assert workbook_cell(Column("t", "Tid", "timestamp"), "2026-07-01 10:00:00") == \
        (dt.datetime(2026, 7, 1, 12, 0), "yyyy-mm-dd hh:mm")
    assert workbook_cell(Column("b", "Belopp", "tkr"), -1_234_600) == (-1235, "#,##0")
    assert workbook_cell(Column("n", "Rader", "count"), 72.0) == (72, "#,##0")
    # 2026-12-05 walk: the workbook's formula bar showed 0.03700000000000001 for a cell written "3,7 %".
    assert repr(workbook_cell(Column("p", "Andel", "percent"), 0.03699)[0]) == "0.037"
    assert repr(workbook_cell(Column("c", "Mot prognos", "change"), -0.0370001)[0]) == "-0.037"
    assert workbook_cell(Column("x", "Text"), float("nan")) == (None, None)


def test_workbook_percent_and_numbers_read_as_on_the_page():
    """Walkthrough: the workbook wrote "6,2%" (no space) and 450 as "450," under "#,##0.##"."""
    assert workbook_cell(Column("p", "Andel", "percent"), 0.062) == (0.062, '0.0" "%')
    assert workbook_cell(Column("c", "Förändring", "change"), -0.019) == (-0.019, '+0.0" "%;-0.0" "%;0.0" "%')
    assert [workbook_cell(Column("v", "Värde", "number"), value)[1] for value in (450.0, 12.5, 3.25, 2.004, 0.7)] \
        == ["#,##0", "#,##0.0", "#,##0.00", "#,##0", "#,##0.0"]


def test_a_workbook_ratio_is_rounded_as_the_page_rounds_it():
    """2026-12-05 walkthrough: 0.965 was "96 %" on Prognos and in the PDF, "97 %" in the workbook (Excel's own
    rounding of the unrounded value)."""
    from domain.formatting import format_percent, format_probability

    for value in (0.965, 0.125, 0.994, 0.42):
        cell, _ = workbook_cell(Column("p", "Sannolikhet", "probability"), value)
        assert format_probability(cell) == format_probability(value) and round(cell * 100) == cell * 100
    for value in (0.0625, 0.0349, -0.0185):
        cell, _ = workbook_cell(Column("p", "Andel", "percent"), value)
        assert format_percent(cell) == format_percent(value) and cell == pytest.approx(round(value * 100, 1) / 100, abs=1e-15)


def test_the_logs_read_in_swedish():
    history = pd.DataFrame([{"id": 3, "imported_at": "2026-01-15 13:05:00", "kind": "sjukfranvaro_kommun",
                             "file_name": "sjuk.csv", "rows": 12000, "outcome": "importerad", "user_name": "anna",
                             "reverts_id": None, "reason": None, "content_sha256": "ab" * 32, "undone": True}])
    shown = texts(import_log_table(history))
    assert list(shown.columns) == ["Nr", "Tid", "Typ", "Fil", "Rader", "Resultat", "Användare", "Varför",
                                   "Kontrollsumma (SHA-256)"]
    assert shown.iloc[0].tolist()[:6] == ["3", "15\u00a0jan\u00a02026 14:05", "Sjukfrånvaro, kommunen", "sjuk.csv",
                                          "12\u00a0000", "importerad, ångrad"]
    entries = pd.DataFrame([{"id": 1, "at": "2026-01-15 13:05:00", "user_name": "anna", "action": "import",
                             "object": "utfall: aug.csv", "before": None, "after": '{"rader": 12345}',
                             "row_hash": "a83c49fc68f7" + "0" * 52}])
    shown = texts(audit_table(entries))
    # The post's number and checksum, as granska names them (2026-12-07 audit walk).
    assert shown.iloc[0].tolist() == ["1", "15\u00a0jan\u00a02026 14:05", "anna", "import", "Utfall: aug.csv", "",
                                      "rader: 12\u00a0345", "a83c49fc68f7"]


def test_a_whole_number_in_the_workbook_is_the_one_the_page_shows():
    # A count that arrives with a fraction (a share of kronor, a mean) was cut with int() in the workbook
    # while the page and the PDF rounded it: 637,6 read 638 on screen and 637 in Excel (issue 21).
    count = Column("n", "Antal", "count")
    for value in (637.6, 637.4, -12.7, 2.5, 3.5):
        assert workbook_cell(count, value)[0] == int(cell_text(count, value).replace("\u2212", "-").replace("\xa0", ""))


def test_a_stated_probability_never_reads_as_certainty():
    """Issue 15: a calibrated probability is shown in whole percent but never as 0 or 100 %, on the page, in the
    sentences and in the workbook (whose number format carries the same rule)."""
    column = Column("p", "Sannolikhet inom ±5 %", "probability")
    assert cell_text(column, 0.998) == "över 99\u00a0%"
    assert cell_text(column, 0.994) == "99\u00a0%"
    assert cell_text(column, 0.42) == "42\u00a0%"
    assert cell_text(column, 0.004) == "under 1\u00a0%"
    assert cell_text(column, float("nan")) == "–"
    value, number_format = workbook_cell(column, 0.998)
    assert value == 0.998 and number_format.startswith('[>=0.995]"över 99 %";[<0.005]"under 1 %"')


def test_an_avvikelse_in_tkr_is_written_with_its_sign_everywhere():
    """2026-12-05 walk: the key figures said "+4 342 tkr" above a Driftredovisning whose Avvikelse said "4 342"
    (page and PDF); an avvikelse column writes its sign as the figures do, and the workbook's format keeps it."""
    column = Column("v", "Avvikelse", "tkr_change")
    assert [cell_text(column, v) for v in (4_342_400, -510_000, 200)] == ["+4\u00a0342", "\u2212510", "0"]
    assert workbook_cell(column, 4_342_400) == (4342, "+#,##0;-#,##0;0")
    assert cell_text(Column("b", "Budget", "tkr"), 4_342_400) == "4\u00a0342"
    days = Column("d", "Avvikelse", "count_change")
    assert [cell_text(days, v) for v in (128.0, -1_038.4)] == ["+128", "\u22121\u00a0038"]
    assert workbook_cell(days, -1_038.4) == (-1038, "+#,##0;-#,##0;0")


def test_walkthrough_2026_12_06_a_comments_date_is_a_date_in_the_workbook():
    """A controller's walk: the workbook's Kommentarer held "31 aug 2025" as text, which a spreadsheet cannot sort
    or filter. A "date" column is written by the one formatting path on the page and in the PDF, and is a date
    in the workbook."""
    from domain.goals import Goal, comments_table

    day = Column("date", "Datum", "date")
    for stored in (dt.date(2025, 8, 31), "2025-08-31", pd.Timestamp("2025-08-31")):
        assert cell_text(day, stored) == "31\u00a0aug\u00a02025"
        assert workbook_cell(day, stored) == (dt.datetime(2025, 8, 31), "d mmm yyyy")
    assert workbook_cell(day, None) == (None, None) and cell_text(day, None) == "–"
    table = comments_table([Goal("1", "Trygghet", (), (), None, comment="Fler besök", comment_date="2025-08-31")])
    assert texts(table)["Datum"].tolist() == ["31\u00a0aug\u00a02025"]
    assert workbook_cell(table.columns[2], table.rows[0]["date"])[0] == dt.datetime(2025, 8, 31)
