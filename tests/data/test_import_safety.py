"""Imports that cannot silently damage the books (issue 16): the plan, the register, undo, hostile files.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access import limits, queries
from data_access import schema as s
from data_access.engine import make_engine
from data_access.files import MAX_FIELD_CHARS
from data_access.formats import FORMATS
from data_access.importer import ACCEPT_ALL, import_file, plan_import, revert_import
from domain.access import LOCAL
from tests.conftest import ROOT

HEADER = "Månad;Område;Verksamhet;Kontogrupp;Belopp\n"
BOOKED = (HEADER
          + "2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;4 700 000\n"
          + "2025-08;IFO;Ekonomiskt bistånd;köp av tjänster;9 492\n"
          + "2025-08;IFO;Ekonomiskt bistånd;personalkostnader;17 994\n"
          + "2025-08;IFO;Familjerätt;personalkostnader;300 000\n")


def checksum(engine) -> dict[str, str]:
    """A digest of every table's full content, ordered by primary key."""
    digests = {}
    with engine.connect() as connection:
        for table in s.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            digests[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return digests


def data_checksum(engine) -> dict[str, str]:
    """Every table but the logs (which record the attempt itself)."""
    return {k: v for k, v in checksum(engine).items() if k not in ("import_log", "audit_log", "import_changes")}


@pytest.fixture
def booked(engine):
    assert import_file(engine, "utfall", BOOKED.encode(), "aug.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    return engine


def codes(plan) -> list[str]:
    return [c.code.split(":")[0] for c in plan.cautions]


def refused_unless_accepted(engine, content: bytes, plan, caution) -> bool:
    """Whether the file is refused, with nothing changed, when every caution of its plan but ``caution`` is
    accepted."""
    before = data_checksum(engine)
    result = import_file(engine, "utfall", content, plan.file_name, actor=LOCAL,
                         accept=[c.code for c in plan.cautions if c != caution])
    return not result.ok and data_checksum(engine) == before


def test_august_row_in_a_september_file_is_shown_and_needs_acceptance(booked):
    """Regression for issue 16: one August row in a September file removed two booked August rows unseen."""
    september = (HEADER + "2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;4 700 000\n"
                 + "".join(f"2025-09;IFO;Familjerätt;personalkostnader;{n}\n" for n in range(300_000, 300_020)))
    plan = plan_import(booked, "utfall", september.encode(), "sep.csv")
    assert plan.ok and plan.rows_removed == 2
    removed = next(c for c in plan.cautions if c.code.startswith("borttagna"))
    assert "2 sparade rader tas bort" in removed.title
    assert "köp av tjänster" in removed.detail and "9\u00a0492\u00a0kr" in removed.detail
    outside = next(c for c in plan.cautions if c.code.startswith("perioder"))
    assert "aug 2025 (1 rad)" in outside.detail and "sep 2025" in outside.detail
    effect = plan.effect.set_index(["year", "month", "activity"])
    assert effect.loc[(2025, 8, "Ekonomiskt bistånd"), "value_before"] == 4_727_486
    assert effect.loc[(2025, 8, "Ekonomiskt bistånd"), "value_after"] == 4_700_000
    before = data_checksum(booked)
    refused = import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL)
    assert not refused.ok and {c.code for c in refused.cautions} == {c.code for c in plan.cautions}
    assert data_checksum(booked) == before
    partly = import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL,
                         accept=[plan.cautions[0].code])
    assert not partly.ok and data_checksum(booked) == before
    assert import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL,
                       accept=[c.code for c in plan.cautions]).ok


@pytest.mark.parametrize("typed, near", [
    ("Ekonomiskt bistand", "Ekonomiskt bistånd"),
    ("ekonomiskt  Bistånd ", "Ekonomiskt bistånd"),
    ("Ekonomiskt bistånd.", "Ekonomiskt bistånd"),
    ("Familjeratt", "Familjerätt"),
])
def test_a_typo_is_not_a_new_verksamhet_without_acceptance(booked, typed, near):
    """Regression for issue 16: "Ekonomiskt bistand" created a phantom verksamhet."""
    content = (HEADER + f"2025-09;IFO;{typed};övriga kostnader;4 700 000\n").encode()
    plan = plan_import(booked, "utfall", content, "sep.csv")
    if " ".join(typed.split()) == near:
        assert plan.cautions == []
        return
    caution = next(c for c in plan.cautions if c.code.startswith("namn:verksamhet"))
    assert f'Menade du "{near}"' in caution.detail and "rad 2" in caution.detail
    before = data_checksum(booked)
    assert not import_file(booked, "utfall", content, "sep.csv", actor=LOCAL).ok
    assert data_checksum(booked) == before


def test_a_typo_on_several_rows_names_every_row(booked):
    """Walkthrough: a typo on four rows named only the first, and the controller corrected one row of four."""
    rows = "".join(f"2025-09;IFO;Ekonomiskt bistand;{group};{amount}\n"
                   for group, amount in (("övriga kostnader", 100), ("personalkostnader", 200),
                                         ("lokalkostnader", 300), ("intäkter", -400)))
    plan = plan_import(booked, "utfall", (HEADER + rows).encode(), "sep.csv")
    caution = next(c for c in plan.cautions if c.code.startswith("namn:verksamhet"))
    assert caution.detail.startswith('sep.csv, raderna 2, 3, 4 och 5, kolumn "Verksamhet":')
    from data_access.importer import _rows_text

    assert _rows_text(list(range(2, 16))) == "raderna 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 och 4 till"
    assert _rows_text([7]) == "rad 7"


def test_the_plan_marks_a_typo_where_it_lists_the_rows_added(booked):
    """Walkthrough: with a typo, the plan's sentence said the rows "läggs till" and its table listed the typo as
    if it were a known verksamhet; only the caution below said otherwise. The sentence, the page's table and
    the command line now mark the name."""
    from data_access.importer import plan_effect, plan_text
    from ui.import_panel import effect_frame

    rows = ("2025-09;IFO;Ekonomiskt bistand;övriga kostnader;100\n2025-09;IFO;Ekonomiskt bistand;intäkter;-40\n"
            "2025-09;IFO;Familjerätt;övriga kostnader;50\n2025-09;IFO;Gruppbostad Solrosen;övriga kostnader;70\n")
    plan = plan_import(booked, "utfall", (HEADER + rows).encode(), "sep.csv")
    assert plan.rows_on_new_names == 2
    assert plan_effect(plan).endswith(" 2 rader står på ett nytt namn som liknar ett känt: är det ett stavfel, "
                                      "hamnar de under det nya namnet i stället för det kända (se varningen).")
    shown = set(effect_frame(plan)["Verksamhet"])
    assert {'Ekonomiskt bistand (nytt namn, liknar "Ekonomiskt bistånd")', "Familjerätt",
            "Gruppbostad Solrosen (nytt namn)"} <= shown
    assert 'sep 2025 · Ekonomiskt bistand (nytt namn, liknar "Ekonomiskt bistånd"): 0 → 60 kr' in plan_text(plan)
    plain = plan_import(booked, "utfall", (HEADER + rows.splitlines(True)[2]).encode(), "sep.csv")
    assert plain.rows_on_new_names == 0 and plan_effect(plain).endswith("tas bort.")
    # 2026-12-05 walkthrough: one row was "de".
    one = plan_import(booked, "utfall", (HEADER + rows.splitlines(True)[0]).encode(), "sep.csv")
    assert plan_effect(one).endswith(" 1 rad står på ett nytt namn som liknar ett känt: är det ett stavfel, "
                                     "hamnar den under det nya namnet i stället för det kända (se varningen).")


@pytest.mark.parametrize("typed, shown", [
    ("Ekonomiskt bist\u0430nd", "kyrilliska"),           # Cyrillic а
    ("Ekonomiskt\u200b bistånd", "\\u200b"),              # zero-width space
    ("Ekonomiskt bist\u00adånd", "\\xad"),                # soft hyphen
    ("Ekonomiskt\x00bistånd", "\\x00"),                   # NUL (PostgreSQL refused it raw)
])
def test_look_alike_names_are_refused_with_the_character_shown(booked, typed, shown):
    """Regression for issue 16: homoglyphs and invisible characters made look-alike verksamheter."""
    content = (HEADER + f"2025-09;IFO;{typed};övriga kostnader;1\n").encode()
    before = data_checksum(booked)
    result = import_file(booked, "utfall", content, "sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok
    problem = result.problems[0]
    assert "rad 2" in str(problem) and shown in problem.message
    assert problem.column in ("verksamhet", None)
    assert all(ch.isprintable() for ch in str(problem))
    assert data_checksum(booked) == before


def test_a_decomposed_name_is_the_same_name(booked):
    """Regression for issue 16: a non-NFC "å" is normalised, not a new verksamhet."""
    decomposed = unicodedata.normalize("NFD", "Ekonomiskt bistånd")
    plan = plan_import(booked, "utfall", (HEADER + f"2025-09;IFO;{decomposed};intäkter;−1\n").encode(), "s.csv")
    # No new name; Familjerätt has no September yet, and −1 kr is far less than August's month.
    assert plan.ok and codes(plan) == ["tackning", "liten_manad"]


def test_duplicated_rows_need_acceptance(booked):
    """Regression for issue 16: ten duplicated rows passed as valid and doubled the amounts."""
    rows = "".join(f"2025-09;IFO;Familjerätt;personalkostnader;{1000 + n}\n" for n in range(62))
    dup = "".join(f"2025-09;IFO;Familjerätt;personalkostnader;{1000 + n}\n" for n in range(10))
    plan = plan_import(booked, "utfall", (HEADER + rows + dup).encode(), "sep.csv")
    caution = next(c for c in plan.cautions if c.code.startswith("dubbletter"))
    assert "10 rader är exakta dubbletter" in caution.title and "rad 64 = rad 2" in caution.detail


@pytest.mark.parametrize("kind, header, row, column", [
    ("utfall", "period;verksamhet;belopp", "2025-08;A;9223372036854775807", "belopp"),
    ("utfall", "period;verksamhet;belopp", "2025-08;A;" + "9" * 40, "belopp"),
    ("utfall", "period;verksamhet;belopp", "2025-08;A;100000000001", "belopp"),
    ("volymer", "period;kategori;dygn;kostnad", "2025-08;HVB;9200000000000000000;1", "dygn"),
    ("volymbudget", "ar;kategori;dygn;pris", "2025;HVB;10;inf", "pris"),
    ("volymbudget", "ar;kategori;dygn;pris", "2025;HVB;10;1e30", "pris"),
    ("sjukfranvaro_kommun", "period;sjuktimmar;ordinarie_timmar",
     "2025-08;1000000000000000000000000000000;1", "sjuktimmar"),
    ("personalomsattning", "period;enhet;anstallda;avgangar_extern;avgangar_intern",
     "2025-08;E;3000000000;0;0", "anstallda"),
    ("utfall", "period;verksamhet;belopp", "2025-02-30;A;1", "period"),
    ("utfall", "period;verksamhet;belopp", "2025-08 hello;A;1", "period"),
])
def test_absurd_values_are_refused_on_both_databases(engine, kind, header, row, column):
    """Regression for issue 16: 9,2·10^18 kr, 10^30 hours and inf prices were stored; or crashed."""
    before = checksum(engine)
    result = import_file(engine, kind, f"{header}\n{row}\n".encode(), "orimlig.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and result.problems[0].row == 2 and result.problems[0].column == column
    assert result.problems[0].value != ""
    after = checksum(engine)
    assert {k: v for k, v in after.items() if k != "import_log"} == {
        k: v for k, v in before.items() if k != "import_log"}


def test_text_longer_than_its_column_is_refused_on_both_databases(engine):
    """Regression for issue 16: Kön longer than 50 characters crashed PostgreSQL with a DataError."""
    long = "K" * 51
    content = ("period;enhet;kon;aldersgrupp;sjuktimmar_dag1_14;sjuktimmar_dag15_59;sjuktimmar_dag60;"
               f"ordinarie_timmar;anstallda\n2025-08;E;{long};30-49;1;0;0;100;5\n").encode()
    result = import_file(engine, "sjukfranvaro", content, "s.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and result.problems[0].column == "kon" and "högst 50 tecken" in result.problems[0].message


def test_text_limits_are_the_schemas_own():
    """One place knows the limits: every imported text field fits the column it is stored in."""
    for field, (table, column) in limits.TEXT_COLUMNS.items():
        declared = table.c[column].type.length
        assert limits.max_length(field) <= (declared or 10**9)
    stored = {"kon": 50, "aldersgrupp": 50, "verksamhet": 200, "kategori": 200}
    assert {k: limits.max_length(k) for k in stored} == stored
    for kind, fmt in FORMATS.items():
        for spec in fmt.fields:
            for value in ("x" * 2001,):
                try:
                    parsed = spec.parse(value)
                except ValueError:
                    continue
                assert not isinstance(parsed, str), (kind, spec.name)


def xlsx(sheet_xml: str | None, *, workbook_sheets: bool = True) -> bytes:
    """A minimal workbook written by hand, to break it in exactly one place."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheets = ('<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets>' if workbook_sheets
                  else "<sheets/>")
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' + sheets
            + "</workbook>"))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        if sheet_xml is not None:
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '{dimension}<sheetData>{rows}</sheetData></worksheet>')
GOOD_ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c><c r="B1" t="inlineStr"><is><t>'
             'verksamhet</t></is></c><c r="C1" t="inlineStr"><is><t>belopp</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>2025-08</t></is></c><c r="B2" t="inlineStr"><is><t>A'
             '</t></is></c><c r="C2"><v>100</v></c></row>')


def test_handwritten_workbook_reads():
    from data_access.files import read_xlsx

    table = read_xlsx(xlsx(SHEET.format(dimension="", rows=GOOD_ROWS)), "ok.xlsx")
    assert table.headers == ["period", "verksamhet", "belopp"] and table.rows[0][1][:3] == ["2025-08", "A", 100]


def zip_with_unsupported_version() -> bytes:
    content = bytearray(xlsx(SHEET.format(dimension="", rows=GOOD_ROWS)))
    # "version needed to extract" 7.0 in every local and central header: zipfile cannot read it.
    for signature, offset in ((b"PK\x03\x04", 4), (b"PK\x01\x02", 6)):
        start = 0
        while (found := content.find(signature, start)) >= 0:
            content[found + offset] = 70
            start = found + 4
    return bytes(content)


CRASHERS = {
    "bom_then_cp1252.csv": "\ufeffperiod;verksamhet;belopp\n2025-08;Ekonomiskt bist".encode() + b"\xe5nd;1\n",
    "utf8_then_stray.csv": "period;verksamhet;belopp\n2025-08;Ekonomiskt bistånd;1\n2025-08;A\xe9;1\n".encode("utf-8")
                           .replace(b"A\xc3\xa9", b"A\xe9"),
    "utf16.csv": "period;verksamhet;belopp\n2025-08;Månad;1\n".encode("utf-16"),
    "macroman.csv": "period;verksamhet;belopp\n2025-08;Ekonomiskt bistånd;1\n".encode("mac_roman"),
    "huge_field.csv": b'period;verksamhet;belopp\n2025-08;"' + b"x" * (MAX_FIELD_CHARS + 10) + b'";1\n',
    "broken_xml.xlsx": xlsx('<?xml version="1.0"?><worksheet><sheetData><row r="1"><c'),
    "no_sheet.xlsx": xlsx(None, workbook_sheets=False),
    "zip_version.xlsx": zip_with_unsupported_version(),
    "not_a_zip.xlsx": b"PK\x03\x04garbage",
    "csv_named_xlsx.csv": xlsx(SHEET.format(dimension="", rows=GOOD_ROWS)),
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_files_that_crashed_the_importer_are_refused_in_swedish(engine, name):
    """Regression for issue 16: each crash class (UnicodeDecodeError, csv field limit, ParseError, …)."""
    before = data_checksum(engine)
    result = import_file(engine, "utfall", CRASHERS[name], name, actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok
    message = str(result.problems[0])
    assert message.startswith(name)
    assert all(word not in message for word in ("Error", "Exception", "KeyError", "\ufffd", "\x00"))
    assert all(ch.isprintable() for ch in message)
    assert data_checksum(engine) == before


def test_hints_for_utf16_and_mixed_encodings(engine):
    hints = {name: str(plan_import(engine, "utfall", CRASHERS[name], name).problems[0])
             for name in ("utf16.csv", "bom_then_cp1252.csv", "macroman.csv")}
    assert "UTF-16" in hints["utf16.csv"] and "spara den som UTF-8" in hints["utf16.csv"]
    assert "blandar teckenkodningar" in hints["bom_then_cp1252.csv"]
    assert "Mac Roman" in hints["macroman.csv"]


def test_a_mixed_encoding_names_the_row_the_letter_and_the_field(engine):
    """2026-12-07 walk: "rad 21 har ett tecken som inte är UTF-8 (byte 0xd6)" gave no letter to search for."""
    content = (HEADER + "2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;1\n").encode() \
        + "2025-08;IFO;Öppna insatser;övriga kostnader;2\n".encode("cp1252")
    problem = plan_import(engine, "utfall", content, "blandad.csv").problems[0]
    assert (problem.row, problem.value) == (3, "Öppna insatser")
    assert str(problem).startswith('blandad.csv, rad 3: filen blandar teckenkodningar: den är UTF-8 men har ett '
                                   'tecken som inte är UTF-8 ("Ö" i "Öppna insatser", byte 0xd6)')


def test_a_workbook_claiming_a_million_rows_is_cheap(engine):
    """Regression for issue 16: a <dimension> of A1:XFD1048576 cost minutes of CPU in preview()."""
    import time

    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = xlsx(SHEET.format(dimension='<dimension ref="A1:XFD1048576"/>', rows=GOOD_ROWS + far))
    started = time.process_time()
    plan = plan_import(engine, "utfall", content, "stor.xlsx")
    assert time.process_time() - started < 20
    assert plan.ok or plan.problems


def test_duplicated_and_misspelt_headers_are_refused():
    """Regression for issue 16: a duplicated column used the first copy; "Kontogrup" was ignored."""
    from data_access.files import RawTable
    from data_access.formats import validate

    twice = RawTable("t.csv", ["Månad", "Verksamhet", "Belopp", "Summa"], [(2, ["2025-08", "A", "1", "2"])])
    _records, problems = validate("utfall", twice)
    assert problems and '"Belopp, kr" finns två gånger' in problems[0].message and "kolumn 4" in problems[0].message
    typo = RawTable("t.csv", ["Månad", "Verksamhet", "Kontogrup", "Belopp"], [(2, ["2025-08", "A", "x", "1"])])
    _records, problems = validate("utfall", typo)
    assert problems and 'menade du "Kontogrupp"?' in problems[0].message and problems[0].column == "Kontogrup"
    # 2026-12-05 walk of the month-end: a misspelt required column was told twice (not recognised, and missing).
    misspelt = RawTable("t.csv", ["Månad", "Verksamhet", "Beloop kr"], [(2, ["2025-08", "A", "1"])])
    _records, problems = validate("utfall", misspelt)
    assert [p.message for p in problems] == [
        'kolumnen "Beloop kr" känns inte igen; menade du "Belopp, kr"? Byt namn på kolumnen (eller ta bort den)']
    # 2026-12-06 walk: "Belop" was told "Belopp, kr", a name neither the format nor the sample writes.
    short = RawTable("t.csv", ["Månad", "Verksamhet", "Belop"], [(2, ["2025-08", "A", "1"])])
    assert [p.message for p in validate("utfall", short)[1]] == [
        'kolumnen "Belop" känns inte igen; menade du "Belopp"? Byt namn på kolumnen (eller ta bort den)']
    extra = RawTable("t.csv", ["Månad", "Verksamhet", "Belopp", "Ansvar", "Konto"], [(2, ["2025-08", "A", "1", "", ""])])
    assert validate("utfall", extra)[1] == []


def test_volume_forecast_keeps_the_categorys_unit(engine):
    """Regression for issue 16: every volymprognos import reset the unit from dagar to dygn."""
    volumes = "period;kategori;dygn;kostnad;enhet\n2025-08;Kontaktfamilj;10;1000;dagar\n"
    assert import_file(engine, "volymer", volumes.encode(), "v.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    forecast = "period;kategori;dygn;pris\n2025-08;Kontaktfamilj;120;100\n"
    assert import_file(engine, "volymprognos", forecast.encode(), "vp.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    with engine.connect() as connection:
        assert connection.execute(select(s.categories.c.unit)).scalar() == "dagar"


def test_undo_restores_every_table_exactly(booked):
    """Regression for issue 16: an accepted import can be undone; checksums of every table match."""
    before = data_checksum(booked)
    correction = (HEADER + "2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;4 800 000\n"
                  + "2025-09;Ny avdelning;Ny verksamhet;personalkostnader;5\n")
    result = import_file(booked, "utfall", correction.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok and data_checksum(booked) != before
    assert not revert_import(booked, result.import_id, actor=LOCAL, reason="").ok
    undone = revert_import(booked, result.import_id, actor=LOCAL, reason="fel fil")
    assert undone.ok and undone.restored == 3 and undone.skipped == []
    assert data_checksum(booked) == before
    assert not revert_import(booked, result.import_id, actor=LOCAL, reason="igen").ok
    with booked.connect() as connection:
        log = connection.execute(select(s.import_log).order_by(s.import_log.c.id.desc())).mappings().first()
        trail = connection.execute(select(s.audit_log.c.action).order_by(s.audit_log.c.id.desc())).scalar()
    assert log["reverts_id"] == result.import_id and log["reason"] == "fel fil" and trail == "import ångrad"


def test_undo_leaves_what_a_later_import_replaced(booked):
    first = import_file(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;1\n"
                                           "2025-09;IFO;Ekonomiskt bistånd;personalkostnader;2\n").encode(),
                        "sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    later = import_file(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;7\n").encode(),
                        "sep_rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert first.ok and later.ok
    undone = revert_import(booked, first.import_id, actor=LOCAL, reason="test")
    assert undone.ok and undone.skipped == ["sep 2025 · Familjerätt"] and "1 del hade" in undone.message
    with booked.connect() as connection:
        rows = connection.execute(select(s.actuals.c.activity, s.actuals.c.amount_kr)
                                  .where(s.actuals.c.month == 9)).all()
    assert rows == [("Familjerätt", 7)]


def test_undo_of_the_later_import_gives_the_earlier_back(booked):
    first = import_file(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;1\n").encode(),
                        "sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    state = data_checksum(booked)
    later = import_file(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;7\n").encode(),
                        "sep2.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert revert_import(booked, later.import_id, actor=LOCAL, reason="test").ok
    assert data_checksum(booked) == state
    assert revert_import(booked, first.import_id, actor=LOCAL, reason="test").skipped == []


def test_ten_concurrent_imports_all_land_or_are_told(db_url):
    """Regression for issue 16: concurrent imports raced (IntegrityError on activities and uq_actuals_key)."""
    from data_access.engine import migrate

    engine = make_engine(db_url)
    migrate(engine)
    results, errors = [], []

    def work(n: int) -> None:
        try:
            content = (HEADER + f"2025-08;IFO;Ny verksamhet;personalkostnader;{n}\n"
                       + f"2025-{8 + n % 2:02d};IFO;Delad {n % 3};intäkter;−{n}\n").encode()
            results.append(import_file(make_engine(db_url), "utfall", content, f"f{n}.csv", actor=LOCAL,
                                       accept=ACCEPT_ALL))
        except Exception as exc:  # the assertion below names it
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and len(results) == 10
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    with engine.connect() as connection:
        names = connection.execute(select(s.activities.c.name).order_by(s.activities.c.name)).scalars().all()
        count = connection.execute(select(func.count()).select_from(s.import_log)).scalar()
    assert names == ["Delad 0", "Delad 1", "Delad 2", "Ny verksamhet"] and count == 10


def test_undo_of_a_typo_import_after_a_full_month(booked):
    """Regression for issue 16: undoing the typo'd re-import failed (UNIQUE actuals.id) because SQLite gave
    the new rows the ids of the rows they replaced; the phantom verksamhet could then never be removed."""
    september = (HEADER + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;4 700 000\n"
                 + "2025-09;IFO;Ekonomiskt bistånd;köp av tjänster;9 000\n"
                 + "2025-09;IFO;Familjerätt;personalkostnader;300 000\n"
                 + "2025-09;IFO;Familjerätt;övriga kostnader;3 000\n")
    assert import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    state = data_checksum(booked)
    typo = september.replace("Ekonomiskt bistånd", "Ekonomiskt bistand")
    result = import_file(booked, "utfall", typo.encode(), "sep_stavfel.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok
    undone = revert_import(booked, result.import_id, actor=LOCAL, reason="stavfel")
    assert undone.ok, undone.message
    assert data_checksum(booked) == state
    assert "Ekonomiskt bistand" not in set(queries.activities(booked)["activity"])


def test_a_changed_saved_amount_and_a_file_of_another_kind_need_acceptance(booked):
    """Issue 16: utfall_2025-09.csv read as budget replaced the adopted budget without a word."""
    correction = HEADER + "2025-08;IFO;Familjerätt;personalkostnader;310 000\n"
    plan = plan_import(booked, "utfall", correction.encode(), "rättelse.csv")
    changed = next(c for c in plan.cautions if c.code.startswith("andrade"))
    assert changed.title == "1 sparad rad får ett nytt värde" and "blir 310\u00a0000\u00a0kr" in changed.detail
    # 2026-12-07 new-municipality walk: the file's row is named, not only period, verksamhet and kontogrupp.
    assert "rättelse.csv ändrar redan sparade värden: rad 2, aug 2025" in changed.detail
    wrong = plan_import(booked, "budget", "År;Verksamhet;Belopp\n2025;Familjerätt;1\n".encode(), "utfall_2025-09.csv")
    assert "Filnamnet tyder på utfall, men filen läses som budget" in [c.title for c in wrong.cautions]


def test_a_file_named_for_a_month_it_holds_no_row_of_needs_acceptance(booked):
    """2026-12-07 walk: August's file saved as utfall_2025-09.csv was said only as "62 sparade rader får nya
    värden". The name's month (or year) against the rows' is a caution of its own; a name that matches, or names
    no single period, is not."""
    august = HEADER + "2025-08;IFO;Familjerätt;personalkostnader;310 000\n"
    state = data_checksum(booked)
    plan = plan_import(booked, "utfall", august.encode(), "utfall_2025-09.csv")
    caution = next(c for c in plan.cautions if c.code.startswith("namnperiod"))
    assert caution.title == "Filnamnet anger sep 2025, men filen har rader för aug 2025"
    assert "utfall_2025-09.csv" in caution.detail
    for name in ("utfall 202509.csv", "utfall_2025_09.csv"):
        assert "namnperiod" in codes(plan_import(booked, "utfall", august.encode(), name))
    for name in ("utfall_2025-08.csv", "utfall_2025.csv", "utfall_2024-2025.csv", "utfall.csv", "utfall_20250901.csv"):
        assert "namnperiod" not in codes(plan_import(booked, "utfall", august.encode(), name)), name
    assert "namnperiod" in codes(plan_import(booked, "utfall", august.encode(), "utfall_2026.csv"))
    assert not import_file(booked, "utfall", august.encode(), "utfall_2025-09.csv", actor=LOCAL).ok
    assert data_checksum(booked) == state


def test_a_correction_to_a_month_a_locked_version_was_made_on_says_so(booked):
    """2026-12-04 walkthrough: a correction of August 2025 after "Prognos delår 2 2025" was locked on it passed
    with "1 sparad rad får ett nytt värde", and the result said "62 rader lästes och 62 sparades". The plan
    names the locked version the month belongs to, and the result says how many rows were changed."""
    from data_access.forecast_versions import save_version
    from domain.access import CONTROLLER, Actor
    from tests.forecasting.test_views_and_versions import line

    save_version(booked, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("kalle@kommun.se", CONTROLLER), lines=[line("Ekonomiskt bistånd")])
    save_version(booked, name="Prognos jul 2025", year=2025, cutoff_month=7, data_version=1,
                 actor=Actor("kalle@kommun.se", CONTROLLER), lines=[line("Ekonomiskt bistånd")])
    correction = BOOKED.replace("17 994", "999 999")
    plan = plan_import(booked, "utfall", correction.encode(), "rättelse.csv")
    changed = next(c for c in plan.cautions if c.code.startswith("andrade"))
    assert changed.title == "1 sparad rad får ett nytt värde, mer än 10 gånger det tidigare"
    assert changed.detail.endswith("Kontrollera decimaler och enhet (kr, inte tkr).")
    # 2026-12-07 first-import walk: a value many times smaller is headed so too (a file in tkr over one in kr).
    smaller = next(c for c in plan_import(booked, "utfall", BOOKED.replace("4 700 000", "4 700").encode(),
                                          "tkr.csv").cautions if c.code.startswith("andrade"))
    assert smaller.title == "1 sparad rad får ett nytt värde, mer än 10 gånger mindre än det tidigare"
    assert smaller.detail.endswith("Kontrollera decimaler och enhet (kr, inte tkr).")
    locked = next(c for c in plan.cautions if c.code.startswith("lasta"))
    assert locked.title == "Rättelsen gäller månader som en låst prognosversion bygger på"
    assert locked.detail.startswith('rättelse.csv ändrar utfallet för aug 2025, som den låsta versionen '
                                    '"Prognos delår 2 2025" (aug 2025) räknade med.')  # not the July version
    before = data_checksum(booked)
    refused = import_file(booked, "utfall", correction.encode(), "rättelse.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if not c.code.startswith("lasta")])
    assert not refused.ok and data_checksum(booked) == before
    done = import_file(booked, "utfall", correction.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert "4 rader lästes och 4 sparades (aug 2025). Av dem 1 ändrad och 3 oförändrade." in done.message
    # The same file again changes nothing: no caution about the locked version, nothing said changed.
    again = plan_import(booked, "utfall", correction.encode(), "rättelse.csv")
    assert "lasta" not in codes(again)
    new = import_file(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;1\n").encode(),
                      "sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert new.message.startswith("sep.csv: 1 rad lästes och 1 sparades (sep 2025).") and "Av dem" not in new.message


def test_walk_2026_12_06_a_locked_august_version_is_not_said_to_count_with_september(booked):
    """A file correcting August and September said "ändrar utfallet för aug 2025 och sep 2025, som den låsta
    versionen … (aug 2025) räknade med": a version locked at August never counted with September."""
    from data_access.forecast_versions import save_version
    from domain.access import CONTROLLER, Actor
    from tests.forecasting.test_views_and_versions import line

    september = HEADER + "2025-09;IFO;Familjerätt;personalkostnader;1\n"
    assert import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    save_version(booked, name="Delårsrapport 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("kalle@kommun.se", CONTROLLER), lines=[line("Ekonomiskt bistånd")])
    both = BOOKED.replace("17 994", "999 999") + "2025-09;IFO;Familjerätt;personalkostnader;2\n"
    locked = next(c for c in plan_import(booked, "utfall", both.encode(), "rättelse.csv").cautions
                  if c.code.startswith("lasta"))
    assert locked.detail.startswith('rättelse.csv ändrar utfallet för aug 2025, som den låsta versionen '
                                    '"Delårsrapport 2 2025" (aug 2025) räknade med.')


def test_a_month_read_for_some_verksamheter_only_needs_acceptance_on_both_databases(booked):
    """2026-12-04 walkthrough: a September file with 3 of 14 verksamheter was saved with "3 rader är giltiga",
    and every page moved to September with a 30 mnkr surplus that was a half-read month. The plan names the
    verksamheter that had utfall the month before and have none now; nothing is saved without acceptance."""
    half = (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;310 000\n").encode()
    plan = plan_import(booked, "utfall", half, "sep.csv")
    short = next(c for c in plan.cautions if c.code.startswith("tackning"))
    assert short.code == "tackning:2025-9"
    assert short.title == "Månaden har utfall för färre verksamheter än månaden före"
    assert short.detail.startswith("sep.csv: sep 2025 saknar Ekonomiskt bistånd (1 av 2 verksamheter med utfall "
                                   "aug 2025).")
    assert refused_unless_accepted(booked, half, plan, short)
    # The whole month, or a correction of a month already whole, asks nothing about coverage.
    whole = half + b"2025-09;IFO;Ekonomiskt bist\xc3\xa5nd;\xc3\xb6vriga kostnader;4 800 000\n"
    assert "tackning" not in codes(plan_import(booked, "utfall", whole, "sep.csv"))
    assert import_file(booked, "utfall", whole, "sep.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    correction = (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;320 000\n").encode()
    assert "tackning" not in codes(plan_import(booked, "utfall", correction, "rättelse.csv"))


@pytest.mark.parametrize("written, thousands, decimal", [("1.500", "1 500", "1,5"), ("−12.345", "−12 345", "−12,345")])
def test_a_point_that_may_be_a_thousands_point_is_refused_on_both_databases(booked, written, thousands, decimal):
    """2026-12-04 walkthrough: "1.500" in an utfall file was saved as 1,5 kr without a word (shown as 0 tkr),
    where the ledger meant 1 500 kr. An amount in kronor has at most two decimals: a point before exactly three
    digits is refused with both readings; "12.345,50" and "1.5" are read as before."""
    before = data_checksum(booked)
    result = import_file(booked, "utfall", (HEADER + f"2025-09;IFO;Familjerätt;personalkostnader;{written}\n"
                                             + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;12.345,50\n"
                                             + "2025-09;IFO;Ekonomiskt bistånd;intäkter;-1.5\n").encode(),
                         "sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and data_checksum(booked) == before
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (2, "belopp", written)
    assert problem.message == (f'"{written}" kan läsas både som {thousands} kr och som {decimal} kr; skriv tusental '
                               "med mellanslag (1 500) och decimaler med komma (1,5), och belopp i kronor, inte i "
                               "tkr eller mnkr")  # 2026-12-06 walk: "0.152" meant 0,152 mnkr


def test_a_changed_comment_is_said_as_a_comment_not_as_a_changed_amount(engine):
    """2026-12-04 walkthrough: the verksamheternas prognos imported again with a new comment was cautioned as
    "1 sparad rad får ett nytt värde: … (64 070 000 kr) blir 64 070 000 kr", an amount that did not change."""
    first = "Månad;Verksamhet;Belopp;Kommentar\n2025-08;Ekonomiskt bistånd;-64070000;Osäker\n"
    assert import_file(engine, "prognos", first.encode(), "p.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    again = first.replace("Osäker", "Fler hushåll i höst")
    changed = next(c for c in plan_import(engine, "prognos", again.encode(), "p2.csv").cautions
                   if c.code.startswith("andrade"))
    assert 'får kommentaren "Fler hushåll i höst"' in changed.detail and " blir " not in changed.detail


def test_a_file_of_another_type_is_told_which_type_its_columns_fit(engine):
    """2026-12-04 walkthrough: a volume file uploaded as utfall was refused with "kolumnen verksamhet saknas"
    alone; the message names the type whose columns the file has."""
    volumes = "Period;Kategori;Grupp;Enhet;Dygn;Kostnad\n2025-08;HVB barn;Barn och unga;dygn;310;1 500 000\n"
    plan = plan_import(engine, "utfall", volumes.encode(), "volymer_aug.csv")
    assert not plan.ok and plan.problems[0].message == (
        'kolumnen "Verksamhet" saknas (hittade kolumner: Period, Kategori, Grupp, Enhet, Dygn, Kostnad); kolumnerna '
        "passar filtypen Volymer: välj den typen")


VOLUME_HEADER = "Period;Kategori;Grupp;Enhet;Dygn;Kostnad\n"
FAMILY = "Arvoderad familjehemsvård barn och unga;barn och unga;dygn"


def test_a_care_day_count_with_a_misplaced_decimal_needs_acceptance_on_both_databases(engine):
    """2026-12-05 walkthrough: September's dygn written "1.5" (for about 800) with the month's cost was saved
    with "10 rader är giltiga", 419 000 kr per dygn against 761, and moved volume, mix and price on every
    page. The plan names the row, the figures and the price they give against the category's price so far."""
    history = VOLUME_HEADER + "".join(f"2025-{m:02d};{FAMILY};800;608 800\n" for m in range(1, 8))
    assert import_file(engine, "volymer", history.encode(), "jan-jul.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    wrong = (VOLUME_HEADER + f"2025-08;{FAMILY};1.5;628 172\n").encode()
    plan = plan_import(engine, "volymer", wrong, "aug.csv")
    price = next(c for c in plan.cautions if c.code.startswith("apris"))
    assert price.code == "apris:1"
    assert price.title == "1 månad har ett à-pris mer än 10 gånger högre eller lägre än tidigare"
    assert price.detail == (
        'aug.csv, kolumnerna "Dygn" och "Kostnad": rad 2, Arvoderad familjehemsvård barn och unga aug 2025: '
        "1,5 dygn och 628\u00a0172 kr ger 418\u00a0781 kr per dygn (tidigare i snitt 761 kr). Kontrollera "
        "decimaler och tusental i dygn och kostnad; godkänn bara om priset verkligen är så.")
    before = data_checksum(engine)
    refused = import_file(engine, "volymer", wrong, "aug.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if c != price])
    assert not refused.ok and data_checksum(engine) == before
    # A plausible month, and a correction of a stored month, are compared with the other months only.
    right = (VOLUME_HEADER + f"2025-08;{FAMILY};820;640 000\n").encode()
    assert "apris" not in codes(plan_import(engine, "volymer", right, "aug.csv"))
    corrected = (VOLUME_HEADER + f"2025-07;{FAMILY};80 000;608 800\n").encode()
    assert codes(plan_import(engine, "volymer", corrected, "jul.csv")).count("apris") == 1


def test_what_a_volume_file_changes_shows_its_dygn_beside_its_cost(engine):
    """2026-12-05 walkthrough: "Vad filen ändrar" for a volume file showed the cost only, so that dygn written
    "1.5" for 800 changed nothing the table showed. The dygn now and after stand beside the cost, per month and
    in the Summa row, on the page and on the command line."""
    from data_access.importer import plan_text
    from ui.import_panel import effect_frame

    history = VOLUME_HEADER + "".join(f"2025-{m:02d};{FAMILY};800;608 800\n" for m in range(1, 8))
    assert import_file(engine, "volymer", history.encode(), "jan-jul.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    changed = (VOLUME_HEADER + f"2025-06;{FAMILY};800;608 800\n2025-07;{FAMILY};1.5;608 800\n"
               f"2025-08;{FAMILY};820;640 000\n")
    shown = effect_frame(plan_import(engine, "volymer", changed.encode(), "jul-aug.csv")).set_index("Period")
    assert shown.loc["jul 2025", ["Dygn nu", "Dygn efter"]].tolist() == ["800", "1,5"]
    assert shown.loc["aug 2025", ["Dygn nu", "Dygn efter"]].tolist() == ["0", "820"]
    # 2026-12-05 walkthrough: the Summa row added dygn and dagar (öppenvård, kontaktfamilj) together.
    assert shown.loc["Summa", ["Dygn nu", "Dygn efter"]].tolist() == ["", ""]
    assert list(shown.columns[1:]) == ["Kostnad nu, tkr", "Kostnad efter, tkr", "Skillnad, tkr", "Dygn nu",
                                       "Dygn efter", "Rader nu", "Rader efter"]
    # A change of dygn alone is a change; a stored month the file replaces before a month new to the database
    # (2026-12-07 new-municipality walk).
    assert list(shown.index) == ["jul 2025", "aug 2025", "jun 2025", "Summa"]
    plan = plan_import(engine, "volymer", changed.encode(), "jul-aug.csv")
    text = plan_text(plan)
    assert "kr; rader 1 → 1; dygn 800 → 1,5)" in text and "kr; rader 0 → 1; dygn 0 → 820)" in text
    # 2026-12-05 walkthrough: the page listed 19 unchanged months around the one that changed; it shows the
    # changes with their Summa, and the unchanged apart.
    assert list(effect_frame(plan, "changed")["Period"]) == ["jul 2025", "aug 2025", "Summa"]
    assert list(effect_frame(plan, "unchanged")["Period"]) == ["jun 2025"]
    # The caution of a changed month says what changes: "ändras, med samma kostnad" read as a routine correction.
    corrected = next(c for c in plan.cautions if c.code.startswith("andrade"))
    assert f"jul 2025 · {FAMILY.split(';')[0]} (608 800 kr) ändras: antal dygn 800 → 1,5, med samma kostnad" \
        in corrected.detail.replace("\u00a0", " ")


def test_a_file_of_many_months_alike_has_no_main_period_to_be_outside(booked):
    """2026-12-05 walkthrough: a re-imported history of volymer, ten rows a month, was told it "gäller mest jan 2019
    (10 rader) men har också rader för jan 2019 (10 rader), feb 2019 …", cut at ten months without "och N till"."""
    rows = "".join(f"2025-{m:02d};IFO;Ekonomiskt bistånd;övriga kostnader;{1000 + m}\n" for m in range(1, 9))
    assert import_file(booked, "utfall", (HEADER + rows).encode(), "jan-aug.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    again = rows.replace(";1008\n", ";2008\n")
    plan = plan_import(booked, "utfall", (HEADER + again).encode(), "jan-aug.csv")
    assert plan.ok and "perioder" not in codes(plan) and "andrade" in codes(plan)


def test_changed_rows_are_listed_largest_first_and_alike_in_period_order(booked):
    """2026-12-05 walkthrough: a year's budget changed by hand listed its months "dec, mar, nov, jun …"."""
    rows = "".join(f"2025-{m:02d};IFO;Familjerätt;övriga kostnader;{10_000 + m}\n" for m in range(1, 8))
    assert import_file(booked, "utfall", (HEADER + rows).encode(), "jan-jul.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    changed = {1: 15_001, 3: 15_003, 5: 90_005, 7: 15_007}
    again = "".join(f"2025-{m:02d};IFO;Familjerätt;övriga kostnader;{changed.get(m, 10_000 + m)}\n"
                    for m in range(1, 8))
    plan = plan_import(booked, "utfall", (HEADER + again).encode(), "jan-jul.csv")
    detail = next(c for c in plan.cautions if c.code.startswith("andrade")).detail
    assert [detail.index(f"{month} 2025") for month in ("maj", "jan", "mar", "jul")] == sorted(
        detail.index(f"{month} 2025") for month in ("maj", "jan", "mar", "jul")), detail


def test_an_amount_far_below_its_kontogrupp_needs_acceptance_on_both_databases(booked):
    """2026-12-05 walkthrough: "1.5" in a September utfall file (meant as 1,5 mnkr) was saved as 2 kr without a
    word; only amounts far above the history were cautioned. A row more than 500 times below its verksamhet's and
    kontogrupp's mean month (six months saved or more) is named with its row and the mean, and needs acceptance."""
    history = HEADER + "".join(f"2025-{m:02d};IFO;Familjerätt;personalkostnader;300 000\n" for m in range(1, 8))
    assert import_file(booked, "utfall", history.encode(), "jan-jul.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    september = (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;1.5\n"
                 + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;4 700 000\n")
    plan = plan_import(booked, "utfall", september.encode(), "sep.csv")
    small = next(c for c in plan.cautions if c.code.startswith("sma"))
    assert small.title == "1 rad har ett ovanligt litet belopp för sin kontogrupp"
    assert small.detail == ("sep.csv: rad 2, Familjerätt, personalkostnader sep 2025: 2\u00a0kr (kontogruppens "
                            "månad i snitt 300\u00a0000\u00a0kr). Kontrollera decimaler och enhet (kr, inte tkr "
                            "eller mnkr).")
    before = data_checksum(booked)
    refused = import_file(booked, "utfall", september.encode(), "sep.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if c is not small])
    assert not refused.ok and data_checksum(booked) == before
    # The same month written in kronor asks nothing; nor does a verksamhet with less than six months saved.
    whole = september.replace(";1.5\n", ";310 000\n")
    assert "sma" not in codes(plan_import(booked, "utfall", whole.encode(), "sep.csv"))
    young = HEADER + "2025-09;IFO;Ekonomiskt bistånd;köp av tjänster;3\n"
    assert "sma" not in codes(plan_import(booked, "utfall", young.encode(), "sep.csv"))
    # 2026-12-06 walk: an income's month (negative in the ledger) was set beside its mean without the sign.
    income = HEADER + "".join(f"2025-{m:02d};IFO;Familjerätt;intäkter;-40 000\n" for m in range(1, 8))
    assert import_file(booked, "utfall", income.encode(), "intakter.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    plan = plan_import(booked, "utfall", (HEADER + "2025-09;IFO;Familjerätt;intäkter;-18\n").encode(), "sep.csv")
    assert "intäkter sep 2025: \u221218\u00a0kr (kontogruppens månad i snitt \u221240\u00a0000\u00a0kr)" in next(
        c for c in plan.cautions if c.code.startswith("sma")).detail


def test_an_undo_is_previewed_with_the_counts_it_will_give_and_the_preview_changes_nothing(booked):
    """2026-12-05 walkthrough: an undo went at one click, while an import and a locked version ask first. The
    question states what the undo will remove and restore; asking writes nothing, not even to the logs."""
    from data_access.importer import preview_revert

    correction = BOOKED.replace("17 994", "18 500").replace("300 000", "310 000")
    done = import_file(booked, "utfall", correction.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    state = checksum(booked)
    preview = preview_revert(booked, done.import_id, actor=LOCAL, reason="fel fil")
    assert preview.ok and checksum(booked) == state  # every table, the import log and the audit trail
    assert preview.message == (f"Import {done.import_id} (rättelse.csv) ångras: 4 rader tas bort och 4 tidigare "
                               "rader återställs.")
    undone = revert_import(booked, done.import_id, actor=LOCAL, reason="fel fil")
    assert (undone.removed, undone.restored) == (preview.removed, preview.restored) == (4, 4)
    again = preview_revert(booked, done.import_id, actor=LOCAL, reason="fel fil")
    assert not again.ok and again.message == f"Import {done.import_id} (rättelse.csv) är redan ångrad."


def test_walk_2026_12_07_an_undo_names_the_locked_versions_made_on_the_months_it_changes(booked):
    """Controller walk (2026-12-07): September's utfall was imported, a version locked on it, and the import undone
    after the question "62 rader tas bort och 0 tidigare rader återställs. Ångra importen?"; September's meeting
    link then fell back to August with the locked version out of sight. A correcting file names the locked versions
    it touches; the undo's question now does too, and asking still changes nothing."""
    from data_access.forecast_versions import save_version
    from data_access.importer import preview_revert
    from domain.access import CONTROLLER, Actor
    from tests.forecasting.test_views_and_versions import line

    kalle = Actor("kalle@kommun.se", CONTROLLER)
    september = HEADER + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;4 800 000\n"
    done = import_file(booked, "utfall", september.encode(), "utfall_2025-09.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert done.ok
    save_version(booked, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=kalle,
                 lines=[line("Ekonomiskt bistånd")])
    save_version(booked, name="Månadsprognos september 2025", year=2025, cutoff_month=9, data_version=2,
                 actor=kalle, lines=[line("Ekonomiskt bistånd")])
    state = checksum(booked)
    preview = preview_revert(booked, done.import_id, actor=LOCAL, reason="fel månad")
    assert preview.ok and checksum(booked) == state
    assert preview.message == (
        f"Import {done.import_id} (utfall_2025-09.csv) ångras: 1 rad tas bort och 0 tidigare rader återställs. "
        "Ångringen tar bort utfallet för sep 2025, som den låsta versionen \"Månadsprognos "
        "september 2025\" (sep 2025) räknade med. En låst version ändras aldrig: den står kvar som den låstes, men "
        "sidorna visar inte dess period förrän utfallet för sep 2025 läses in igen.")  # not the August version
    # A correction of a month both versions counted with, undone: both are named, and the pages go on.
    correction = BOOKED.replace("17 994", "18 500")
    fixed = import_file(booked, "utfall", correction.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    said = preview_revert(booked, fixed.import_id, actor=LOCAL, reason="fel fil").message
    assert said.endswith("Ångringen ändrar utfallet för aug 2025, som de låsta versionerna \"Prognos "
                         "delår 2 2025\" (aug 2025) och \"Månadsprognos september 2025\" (sep 2025) räknade med. En "
                         "låst version ändras aldrig: den står kvar som den låstes, och sidorna visar de nya utfallen "
                         "bredvid den.")
    # Done, the result (the command line's answer, and the import log's) says it too.
    undone = revert_import(booked, fixed.import_id, actor=LOCAL, reason="fel fil")
    assert "Ångringen ändrade utfallet för aug 2025, som de låsta versionerna" in undone.message
    # An undo that moves no booked month of a locked version's says nothing of versions.
    volumes = import_file(booked, "utfall", (HEADER + "2026-01;IFO;Familjerätt;personalkostnader;1 000\n").encode(),
                          "jan.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert "låst" not in preview_revert(booked, volumes.import_id, actor=LOCAL, reason="prov").message


def test_walk_2026_12_06_a_copy_of_last_month_or_a_file_in_mnkr_needs_acceptance(booked):
    """A controller's walk: a copy of August's file named September (every amount the same, to the krona) was
    accepted without a word, and a file in mnkr ("0.2") was flagged for a third of its rows only: the others
    rounded to 0 kr. Each month is now set beside the month before it, on both databases; nothing is saved
    without acceptance."""
    copy = BOOKED.replace("2025-08", "2025-09").encode()
    plan = plan_import(booked, "utfall", copy, "sep.csv")
    repeated = next(c for c in plan.cautions if c.code.startswith("upprepad"))
    assert repeated.code == "upprepad:2025-9"
    assert repeated.detail.startswith("sep.csv: alla 4 belopp för sep 2025 (per verksamhet och kontogrupp) är "
                                      "desamma som för aug 2025.")
    assert refused_unless_accepted(booked, copy, plan, repeated)
    in_mnkr = (HEADER + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;4,8\n"
               + "2025-09;IFO;Ekonomiskt bistånd;köp av tjänster;0\n"
               + "2025-09;IFO;Ekonomiskt bistånd;personalkostnader;0\n"
               + "2025-09;IFO;Familjerätt;personalkostnader;0,3\n").encode()
    small = next(c for c in plan_import(booked, "utfall", in_mnkr, "sep.csv").cautions
                 if c.code.startswith("liten_manad"))
    assert small.detail == ("sep.csv: beloppen för sep 2025 är sammanlagt 5\u00a0kr (utan tecken) mot "
                            "5\u00a0027\u00a0486\u00a0kr för "
                            "aug 2025. Är filen i tkr eller mnkr? Beloppen ska stå i kronor; små belopp i tkr eller "
                            "mnkr avrundas till noll kronor.")
    # A real September, a little different from August, asks neither.
    real = BOOKED.replace("2025-08", "2025-09").replace("4 700 000", "4 650 000").encode()
    assert not {"upprepad", "liten_manad"} & set(codes(plan_import(booked, "utfall", real, "sep.csv")))


def test_walk_2026_12_06_a_file_that_changes_nothing_says_so(booked):
    """August's file read again was a green "62 rader är giltiga … läggs 0 rader till" with nothing to say it
    held a month already saved as it stands."""
    from data_access.importer import plan_effect

    plan = plan_import(booked, "utfall", BOOKED.encode(), "aug_igen.csv")
    assert plan.changes_nothing
    assert plan_effect(plan) == ("Filen ändrar ingenting: allt den innehåller är redan sparat med samma värden "
                                 "(aug 2025). Kontrollera att det är den fil du menade att läsa in.")
    assert not plan_import(booked, "utfall", BOOKED.replace("300 000", "300 001").encode(), "aug.csv").changes_nothing
    # Saved anyway (the command line, or another import in between on the page): nothing written and nothing logged,
    # as the Data page holds it back, and the message says so.
    before = checksum(booked)  # every table, the logs too
    result = import_file(booked, "utfall", BOOKED.encode(), "aug_igen.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok and result.saved_nothing and result.import_id is None
    assert result.message == ("aug_igen.csv: 4 rader lästes; inget sparades, allt fanns redan med samma värden "
                              "(aug 2025).")
    assert checksum(booked) == before


def test_walk_2026_12_06_a_row_with_another_delimiter_is_said_as_one(engine):
    """A row written with commas in a semicolon file gave three problems ("… är inte en giltig månad", "värde
    saknas" twice) and none said why. It is one problem now, naming the delimiter the row seems to use."""
    row = "2025-09,IFO,Ekonomiskt bistånd,övriga kostnader,4 800 000"
    plan = plan_import(engine, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;300 000\n"
                                          + row + "\n").encode(), "sep.csv")
    assert [(p.row, p.column_name, p.value) for p in plan.problems] == [(3, "Månad", row)]
    assert plan.problems[0].message == (f'raden "{row}" har ett enda fält där rubrikraden har 5: den verkar '
                                        "avgränsad med komma, inte som resten av filen; skriv den med filens "
                                        "avgränsare")
    # A row that is only short (a missing amount) keeps its own problems.
    short = plan_import(engine, "utfall", (HEADER + "2025-09;IFO;Familjerätt;personalkostnader\n").encode(), "s.csv")
    assert [p.message for p in short.problems] == ["värde saknas; skriv 0 om det är noll"]


def test_walk_2026_12_06_a_typo_in_a_corrected_month_says_it_is_counted_twice(booked):
    """August corrected with "Ekonomiskt bistand": the saved August rows under "Ekonomiskt bistånd" stay, so the
    amount is counted twice, while the preview said the rows went under the new name "i stället för" the known
    one. The caution and the sentence say that those rows stay and how much they hold; a new month, where the
    known name has no rows, is said as before."""
    from data_access.importer import plan_effect

    rows = ("2025-08;IFO;Ekonomiskt bistand;övriga kostnader;4 800 000\n"
            "2025-08;IFO;Ekonomiskt bistand;köp av tjänster;9 500\n")
    plan = plan_import(booked, "utfall", (HEADER + rows).encode(), "aug.csv")
    assert plan.rows_on_new_names == 2 and plan.rows_beside_known == 3
    caution = next(c for c in plan.cautions if c.code.startswith("namn:verksamhet"))
    assert ('Menade du "Ekonomiskt bistånd"? För aug 2025 finns redan 3 sparade rader under "Ekonomiskt bistånd" '
            "(4\u00a0727\u00a0486\u00a0kr) som står kvar: sparas filen med det nya namnet räknas de två gånger."
            ) in caution.detail
    assert "räknas beloppen två gånger" in plan_effect(plan) and "i stället för" not in plan_effect(plan)
    # A file that also holds the known name for the month replaces its saved rows there: none of them stays.
    with_known = plan_import(booked, "utfall", (HEADER + rows + "2025-08;IFO;Ekonomiskt bistånd;övriga kostnader;"
                                                "4 700 000\n").encode(), "aug.csv")
    assert with_known.rows_beside_known == 0 and with_known.rows_removed == 2
    september = plan_import(booked, "utfall", (HEADER + rows.replace("2025-08", "2025-09")).encode(), "sep.csv")
    assert september.rows_beside_known == 0 and "i stället för det kända" in plan_effect(september)
    before = data_checksum(booked)
    assert not import_file(booked, "utfall", (HEADER + rows).encode(), "aug.csv", actor=LOCAL).ok
    assert data_checksum(booked) == before


def test_walk_2026_12_06_a_volume_or_sick_leave_preview_is_not_introduced_as_amounts(engine):
    """The preview of a volume, sick-leave or turnover file said "belopp med bokföringens tecken … kostnad
    positiv, intäkt negativ" above a table of dygn or hours. The heading names what the table counts; the sign
    is explained only above amounts."""
    from ui.import_panel import effect_heading

    volumes = (VOLUME_HEADER + f"2025-08;{FAMILY};820;640 000\n").encode()
    assert effect_heading(plan_import(engine, "volymer", volumes, "v.csv")) == (
        "**Vad filen ändrar**, per period (kostnad i tkr och dygn):")
    sick = Path(ROOT, "sample_data", "sjukfranvaro.csv").read_bytes()
    assert effect_heading(plan_import(engine, "sjukfranvaro", sick, "s.csv")) == (
        "**Vad filen ändrar**, per period (ordinarie timmar):")
    assert "bokföringens tecken" in effect_heading(plan_import(engine, "utfall", BOOKED.encode(), "u.csv"))


def test_walk_2026_12_07_a_file_with_the_reports_signs_needs_acceptance_on_both_databases(booked):
    """2026-12-07 controller walk: an October utfall file with every sign reversed (costs negative, as the report
    shows net cost) was saved without a word and turned the year into a 96 mnkr surplus. A month whose sign is the
    opposite of what its verksamhet's kontogrupp has booked (six months or more, nine in ten of one sign) is named
    with its row and the usual month, and needs acceptance; nothing is saved without it."""
    history = HEADER + "".join(f"2025-{m:02d};IFO;Familjerätt;personalkostnader;300 000\n"
                               f"2025-{m:02d};IFO;Familjerätt;intäkter;-40 000\n" for m in range(1, 8))
    assert import_file(booked, "utfall", history.encode(), "jan-jul.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    reversed_ = (HEADER + "2025-09;IFO;Familjerätt;personalkostnader;-310 000\n"
                 + "2025-09;IFO;Familjerätt;intäkter;41 000\n")
    plan = plan_import(booked, "utfall", reversed_.encode(), "sep.csv")
    sign = next(c for c in plan.cautions if c.code.startswith("tecken"))
    assert sign.title == "2 rader har omvänt tecken mot vad kontogrupperna bokfört tidigare"
    assert sign.detail.startswith(
        "sep.csv: rad 2, Familjerätt, personalkostnader sep 2025: \u2212310\u00a0000\u00a0kr (tidigare i snitt "
        "300\u00a0000\u00a0kr i månaden); rad 3, Familjerätt, intäkter sep 2025: 41\u00a0000\u00a0kr (tidigare i "
        "snitt \u221240\u00a0000\u00a0kr i månaden). Belopp anges med bokföringens tecken")
    before = data_checksum(booked)
    refused = import_file(booked, "utfall", reversed_.encode(), "sep.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if c is not sign])
    assert not refused.ok and data_checksum(booked) == before
    # The month with the ledger's signs asks nothing; nor does a small credit among costs, nor a verksamhet with
    # less than six months saved (Ekonomiskt bistånd has one).
    right = reversed_.replace(";-310 000\n", ";310 000\n").replace(";41 000\n", ";-41 000\n")
    assert "tecken" not in codes(plan_import(booked, "utfall", right.encode(), "sep.csv"))
    credit = HEADER + "2025-09;IFO;Familjerätt;personalkostnader;-5 000\n"
    assert "tecken" not in codes(plan_import(booked, "utfall", credit.encode(), "sep.csv"))
    young = HEADER + "2025-09;IFO;Ekonomiskt bistånd;övriga kostnader;-4 700 000\n"
    assert "tecken" not in codes(plan_import(booked, "utfall", young.encode(), "sep.csv"))


def test_walk_2026_12_07_norrtalje_utfall_in_tkr_with_the_reports_signs_is_set_against_the_budget(engine):
    """2026-12-07 Norrtälje walk: the driftredovisning pasted in as the first utfall, in tkr and with the report's
    signs, against a budget in kronor, was saved with no word of either (the ledger had no history for the
    kontogrupp checks), and Budget mot utfall said "+100,1 %". Set against the saved budget of the same verksamheter
    and months, both are said, with file, row, column and value, and nothing is saved without acceptance."""
    budget = ("År;Område;Verksamhet;Kontogrupp;Belopp\n"
              "2025;Socialkontor;Försörjningsstöd;övriga kostnader;12 000 000\n"
              "2025;Socialkontor;Familjerätt;personalkostnader;3 600 000\n")
    assert import_file(engine, "budget", budget.encode(), "budget.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    in_tkr = HEADER + "2025-01;Socialkontor;Försörjningsstöd;övriga kostnader;-1 000\n" \
                      "2025-01;Socialkontor;Familjerätt;personalkostnader;-300\n"
    plan = plan_import(engine, "utfall", in_tkr.encode(), "utfall_tkr.csv")
    scale = next(c for c in plan.cautions if c.code == "budget_skala")
    sign = next(c for c in plan.cautions if c.code == "budget_tecken")
    assert scale.title == "Utfallet är mer än 500 gånger mindre än budgeten för samma månader"
    assert scale.detail == (
        'utfall_tkr.csv, kolumn "Belopp": rad 2, Försörjningsstöd jan 2025: \u22121\u00a0000\u00a0kr mot budgetens '
        '1\u00a0000\u00a0000\u00a0kr; rad 3, Familjerätt jan 2025: \u2212300\u00a0kr mot budgetens '
        '300\u00a0000\u00a0kr. '
        "Sammanlagt 1\u00a0300\u00a0kr mot budgetens 1\u00a0300\u00a0000\u00a0kr (utan tecken). Är filen i tkr eller "
        "mnkr? Beloppen ska stå i kronor.")
    assert sign.detail.startswith('utfall_tkr.csv, kolumn "Belopp": rad 2, Försörjningsstöd jan 2025')
    assert "; 2 av 2 verksamheter och månader med budget har utfall med andra tecknet." in sign.detail
    before = data_checksum(engine)
    refused = import_file(engine, "utfall", in_tkr.encode(), "utfall_tkr.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if c is not scale])
    assert not refused.ok and data_checksum(engine) == before
    # In kronor with the ledger's signs nothing is asked of the budget.
    right = HEADER + "2025-01;Socialkontor;Försörjningsstöd;övriga kostnader;980 000\n" \
                     "2025-01;Socialkontor;Familjerätt;personalkostnader;310 000\n"
    assert not {"budget_skala", "budget_tecken"} & set(codes(plan_import(engine, "utfall", right.encode(), "u.csv")))


def test_walk_2026_12_07_norrtalje_a_reports_subtotal_named_as_its_omrade_is_not_taken_for_a_verksamhet(engine):
    """2026-12-07 Norrtälje walk: the forecast file's delsumma row "Socialkontor" was accepted as a new verksamhet
    beside the område of that name, and doubled the verksamheternas prognos (−737 370 tkr). It is said as the
    område's name, with its verksamheter, and needs acceptance."""
    budget = ("År;Område;Verksamhet;Kontogrupp;Belopp\n"
              "2025;Socialkontor;Försörjningsstöd;övriga kostnader;12 000 000\n"
              "2025;Socialkontor;Familjerätt;personalkostnader;3 600 000\n")
    assert import_file(engine, "budget", budget.encode(), "budget.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    forecast = ("Månad;Verksamhet;Belopp\n2025-08;Försörjningsstöd;12 100 000\n2025-08;Familjerätt;3 500 000\n"
                "2025-08;socialkontor;15 600 000\n")
    plan = plan_import(engine, "prognos", forecast.encode(), "prognos.csv")
    area = next(c for c in plan.cautions if c.code == "omrade:socialkontor")
    assert area.title == '"socialkontor" är ett område, inte en verksamhet'
    assert area.detail == (
        'prognos.csv, rad 4, kolumn "Verksamhet": "socialkontor" är namnet på området "Socialkontor" (Försörjningsstöd '
        "och Familjerätt). Är raden rapportens delsumma för området? Sparas den som en ny verksamhet räknas områdets "
        "belopp två gånger. Ta bort raden; godkänn bara om det är en ny verksamhet.")
    assert not any(c.code.startswith("nya:") for c in plan.cautions)
    before = data_checksum(engine)
    refused = import_file(engine, "prognos", forecast.encode(), "prognos.csv", actor=LOCAL,
                          accept=[c.code for c in plan.cautions if c is not area])
    assert not refused.ok and data_checksum(engine) == before


def test_norrtalje_walk_2026_12_07_how_each_budget_was_spread_is_read_on_both_databases(engine):
    """The Budget page's periodisation caption reads how each verksamhet's budget was spread: in twelfths without
    history, as it is where read per month."""
    yearly = "År;Verksamhet;Belopp\n2025;Familjerätt;1 200 000\n"
    monthly = "Månad;Verksamhet;Belopp\n2025-01;Försörjningsstöd;1 000 000\n"
    for content in (yearly, monthly):
        assert import_file(engine, "budget", content.encode(), "budget.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    assert queries.budget_profiles(engine, 2025).to_dict("records") == [
        {"activity": "Familjerätt", "profile": "linjär"}, {"activity": "Försörjningsstöd", "profile": "månad"}]
    assert queries.budget_profiles(engine, 2024).empty


def test_first_import_walk_2026_12_07_a_forecast_against_the_budget_a_summa_row_and_every_row_of_a_sum(engine):
    """2026-12-07 first-import walk: a verksamheternas prognos in tkr, or with the report's signs, was saved without
    a word (the utfall check did not look at forecasts); a row "Summa" at the foot of an utfall file became a new
    verksamhet; and the tkr caution named row 2 for a sum over rows 2–4."""
    budget = ("År;Verksamhet;Kontogrupp;Belopp\n2025;Familjerätt;personalkostnader;1 200 000\n"
              "2025;Försörjningsstöd;övriga kostnader;12 000 000\n")
    assert import_file(engine, "budget", budget.encode(), "budget.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    in_tkr = "Månad;Verksamhet;Belopp\n2025-02;Familjerätt;1 250\n2025-02;Försörjningsstöd;11 900\n"
    plan = plan_import(engine, "prognos", in_tkr.encode(), "prognos_tkr.csv")
    scale = next(c for c in plan.cautions if c.code == "budget_skala")
    assert scale.title == "Prognosen är mer än 500 gånger mindre än budget helår för samma verksamheter"
    assert scale.detail.startswith('prognos_tkr.csv, kolumn "Belopp": rad 2, Familjerätt prognos per feb 2025: '
                                   "1\u00a0250\u00a0kr mot budget helår 1\u00a0200\u00a0000\u00a0kr; rad 3, ")
    assert "budget_tecken" not in codes(plan)
    signed = "Månad;Verksamhet;Belopp\n2025-02;Familjerätt;-1 250 000\n2025-02;Försörjningsstöd;-11 900 000\n"
    assert codes(plan_import(engine, "prognos", signed.encode(), "p.csv")) == ["budget_tecken"]
    right = "Månad;Verksamhet;Belopp\n2025-02;Familjerätt;1 250 000\n2025-02;Försörjningsstöd;11 900 000\n"
    assert codes(plan_import(engine, "prognos", right.encode(), "p.csv")) == []
    # A sum over several rows of the file names them all.
    rows = "Månad;Verksamhet;Kontogrupp;Belopp\n"
    split = rows + "2025-01;Familjerätt;personalkostnader;60\n2025-01;Familjerätt;övriga kostnader;40\n"
    detail = next(c for c in plan_import(engine, "utfall", split.encode(), "u.csv").cautions
                  if c.code == "budget_skala").detail
    assert detail.startswith('u.csv, kolumn "Belopp": raderna 2 och 3, Familjerätt jan 2025: sammanlagt '
                             "100\u00a0kr mot budgetens 100\u00a0000\u00a0kr.")
    # A total row is asked about as one, not listed among new verksamheter.
    total = rows + "2025-01;Familjerätt;personalkostnader;100 000\n2025-01;Summa;;100 000\n"
    plan = plan_import(engine, "utfall", total.encode(), "u.csv")
    summa = next(c for c in plan.cautions if c.code == "summa:Summa")
    assert summa.title == '"Summa" ser ut som en summarad, inte en verksamhet'
    assert summa.detail.startswith('u.csv, rad 3, kolumn "Verksamhet": "Summa" läggs annars till som en ny')
    assert not any(c.code.startswith("nya:") for c in plan.cautions)
    before = data_checksum(engine)
    assert not import_file(engine, "utfall", total.encode(), "u.csv", actor=LOCAL,
                           accept=[c.code for c in plan.cautions if c is not summa]).ok
    assert data_checksum(engine) == before
