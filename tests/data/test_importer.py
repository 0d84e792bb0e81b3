"""Each import kind, rejection without partial writes, idempotent re-import, the import log.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from sqlalchemy import func, select

from data_access import queries
from data_access import schema as s
from data_access.importer import ACCEPT_ALL, import_file, import_history, plan_effect, plan_import, revert_import
from domain.access import LOCAL


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


UTFALL = "Månad;Verksamhet;Kontogrupp;Belopp\n2025-07;A;personalkostnader;1 000\n2025-08;A;personalkostnader;2 000\n" \
         "2025-08;A;personalkostnader;500\n2025-08;B;intäkter;−300\n"


def test_utfall_import_sums_ledger_rows_and_logs(engine):
    result = import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok and result.rows_read == 4 and result.rows_written == 3
    ledger = queries.monthly_ledger(engine, [2025])
    august_a = ledger[(ledger["activity"] == "A") & (ledger["month"] == 8)]
    assert float(august_a["actual_kr"].sum()) == 2500
    log = import_history(engine)
    assert list(log["outcome"]) == ["importerad"] and log.iloc[0]["rows"] == 4
    assert len(log.iloc[0]["content_sha256"]) == 64


def test_the_plan_says_what_saving_would_do_in_one_sentence(engine):
    """Walkthrough: "Sparas filen får 0 sparade rader nya värden, 0 tas bort och 4 läggs till" read badly."""
    assert plan_effect(plan_import(engine, "utfall", UTFALL.encode(), "utfall.csv")) == (
        "Om filen sparas läggs 3 rader till, 0 sparade rader får nya värden och 0 rader tas bort.")
    import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    corrected = "period;verksamhet;kontogrupp;belopp\n2025-08;A;personalkostnader;9 999\n"
    assert plan_effect(plan_import(engine, "utfall", corrected.encode(), "rättelse.csv")) == (
        "Om filen sparas läggs 0 rader till, 1 sparad rad får nytt värde och 0 rader tas bort.")


def test_one_new_name_is_spoken_of_in_the_singular(engine):
    import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    content = "period;verksamhet;belopp\n2025-08;Zeta;1\n"
    cautions = [str(c) for c in plan_import(engine, "utfall", content.encode(), "ny.csv").cautions]
    assert any('"Zeta" (rad 2); det finns inte bland 2 kända verksamheter' in c for c in cautions), cautions


def test_reimport_replaces_instead_of_adding(engine):
    import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    before = queries.summary(engine)["actuals"]
    result = import_file(engine, "utfall", UTFALL.encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok and result.saved_nothing  # the same file again changes nothing and is not logged
    assert queries.summary(engine)["actuals"] == before
    corrected = "period;verksamhet;kontogrupp;belopp\n2025-08;A;personalkostnader;9 999\n"
    import_file(engine, "utfall", corrected.encode(), "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL)
    ledger = queries.monthly_ledger(engine, [2025])
    a8 = ledger[(ledger["activity"] == "A") & (ledger["month"] == 8)]
    assert float(a8["actual_kr"].sum()) == 9999
    assert float(ledger[(ledger["activity"] == "A") & (ledger["month"] == 7)]["actual_kr"].sum()) == 1000
    assert count(engine, s.import_log) == 2


def test_bad_last_row_writes_nothing(engine):
    good = "period;verksamhet;belopp\n" + "".join(f"2025-{m:02d};A;{m}00\n" for m in range(1, 9))
    bad = good + "2025-13;A;100\n"
    result = import_file(engine, "utfall", bad.encode(), "utfall_aug.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        'utfall_aug.csv, rad 10, kolumn "period": "2025-13" är inte en giltig månad (skriv år och månad, t.ex. '
        '2025-09)']
    assert count(engine, s.actuals) == 0 and count(engine, s.activities) == 0
    log = import_history(engine)
    assert list(log["outcome"]) == ["avvisad"]


def test_all_problems_reported_at_once(engine):
    content = "period;verksamhet;kontogrupp;belopp\n2025-08;;personal;12a\n2025-8;B;hyror;1\nfoo;C;;2\n"
    result = import_file(engine, "utfall", content.encode(), "fel.csv", actor=LOCAL, accept=ACCEPT_ALL)
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "verksamhet"), (2, "belopp"), (3, "kontogrupp"), (4, "period")}
    assert count(engine, s.actuals) == 0
    # Listed as the file reads, row by row (walkthrough: a bad month on row 5 was listed before a bad
    # amount on row 4, because the checks run column by column).
    content = "period;verksamhet;belopp\n2025-08;A;1\n2025-08;A;1\n2025-08;A;tolv tusen\n2025-13;A;1\n"
    result = import_file(engine, "utfall", content.encode(), "utfall_fel.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert [(p.row, p.column) for p in result.problems] == [(4, "belopp"), (5, "period")]


def test_annual_budget_is_periodised_to_the_krona(engine):
    history = "period;verksamhet;belopp\n" + "".join(
        f"{y}-{m:02d};A;{200 if m == 12 else 100}\n" for y in (2023, 2024) for m in range(1, 13))
    import_file(engine, "utfall", history.encode(), "historik.csv", actor=LOCAL, accept=ACCEPT_ALL)
    result = import_file(engine, "budget", "ar;verksamhet;belopp\n2025;A;1 300 001\n2025;Ny;120 000\n".encode(),
                         "budget.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok and result.rows_written == 24
    # 2026-12-05 walkthrough: "2 rader lästes och 24 sparades" read as rows of the file.
    assert result.message.startswith("budget.csv: 2 rader lästes och sparades som 24 månadsbelopp (2025).")
    ledger = queries.monthly_ledger(engine, [2025])
    a = ledger[ledger["activity"] == "A"].sort_values("month")
    assert a["budget_kr"].sum() == 1_300_001
    assert a.iloc[11]["budget_kr"] in (200_000, 200_001) and a.iloc[0]["budget_kr"] in (100_000, 100_001)
    new = ledger[ledger["activity"] == "Ny"]
    assert set(new["budget_kr"]) == {10_000}
    with engine.connect() as connection:
        profiles = dict(connection.execute(select(s.budgets.c.activity, s.budgets.c.profile).distinct()).all())
    assert profiles == {"A": "säsong", "Ny": "linjär"}
    # Importing the year again replaces it.
    again = import_file(engine, "budget", "ar;verksamhet;belopp\n2025;A;1 200 000\n".encode(), "budget2.csv",
                        actor=LOCAL, accept=ACCEPT_ALL)
    assert queries.monthly_ledger(engine, [2025]).query("activity == 'A'")["budget_kr"].sum() == 1_200_000
    undone = revert_import(engine, again.import_id, actor=LOCAL, reason="fel år")
    assert undone.ok and undone.message.endswith(": 12 månadsbelopp borttagna, 12 tidigare månadsbelopp återställda.")


def test_monthly_budget_used_as_is(engine):
    result = import_file(engine, "budget", "period;verksamhet;belopp\n2025-08;A;500\n2025-12;A;700\n".encode(),
                         "b.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert result.ok
    ledger = queries.monthly_ledger(engine, [2025])
    assert sorted(ledger["budget_kr"].dropna()) == [500, 700]


def test_budget_needs_year_or_period(engine):
    result = import_file(engine, "budget", "verksamhet;belopp\nA;1\n".encode(), "b.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and 'filen behöver kolumnen "År" eller "Månad"' in str(result.problems[0])


def test_volumes_volume_budget_forecast_and_sick_leave(engine):
    volumes = "Period;Kategori;Grupp;Enhet;Dygn;Kostnad\n2025-08;HVB;barn och unga;dygn;31;186 000\n" \
              "2025-08;Öppenvård;barn och unga;dagar;20,5;12 300\n"
    assert import_file(engine, "volymer", volumes.encode(), "v.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    budget = "År;Kategori;Dygn;À-pris\n2025;HVB;365;5 885\n"
    assert import_file(engine, "volymbudget", budget.encode(), "vb.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    twice = budget + "2025;HVB;300;5 000\n"
    result = import_file(engine, "volymbudget", twice.encode(), "vb2.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and "upprepar rad 2" in result.problems[0].message
    forecast = "Månad;Verksamhet;Belopp;Kommentar\n2025-08;A;1 000 000;Två nya placeringar\n"
    assert import_file(engine, "prognos", forecast.encode(), "p.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    assert queries.manual_forecasts(engine, 2025).iloc[0]["comment"] == "Två nya placeringar"
    sick = ("Period;Enhet;Kön;Åldersgrupp;Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60;"
            "Ordinarie timmar;Anställda\n2025-08;Enhet 1;Kvinna;30-49 år;10,5;0;20;1 650;10\n"
            "2025-08;Enhet 1;Man;30-49 år;100;100;100;200;2\n")
    result = import_file(engine, "sjukfranvaro", sick.encode(), "s.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and result.problems[0].row == 3
    assert "fler än de ordinarie" in result.problems[0].message
    assert import_file(engine, "sjukfranvaro", sick.splitlines(True)[0].encode() + sick.splitlines(True)[1].encode(),
                       "s.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    summary = queries.summary(engine)
    assert summary["volumes"]["rows"] == 2 and summary["volume_budgets"]["rows"] == 1
    assert summary["sick_leave"] == {"rows": 1, "first_period": "2025-08", "last_period": "2025-08"}
    with engine.connect() as connection:
        units = dict(connection.execute(select(s.categories.c.name, s.categories.c.unit)).all())
    assert units == {"HVB": "dygn", "Öppenvård": "dagar"}


def test_negative_days_refused(engine):
    result = import_file(engine, "volymer", "period;kategori;dygn;kostnad\n2025-08;HVB;−3;100\n".encode(), "v.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and result.problems[0].column == "dygn"


def test_a_file_above_the_upload_limit_is_refused_whole(engine, monkeypatch):
    monkeypatch.setenv("NAMNDPANELEN_MAX_UPLOAD_MB", "1")
    big = ("period;verksamhet;belopp\n" + "2025-08;A;100\n" * 100_000).encode()
    assert len(big) > 1024 * 1024
    result = import_file(engine, "utfall", big, "stor.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert not result.ok and result.rows_written == 0
    assert [str(p) for p in result.problems] == [
        "stor.csv: filen är 1,3 MB, större än gränsen 1 MB, och läses inte "
        "(gränsen ställs in med NAMNDPANELEN_MAX_UPLOAD_MB)"]
    assert queries.summary(engine)["actuals"]["rows"] == 0
    monkeypatch.setenv("NAMNDPANELEN_MAX_UPLOAD_MB", "2")
    assert import_file(engine, "utfall", big, "stor.csv", actor=LOCAL, accept=ACCEPT_ALL).ok


def test_issue_18_the_swedish_column_labels_shown_are_accepted_headers():
    from data_access.formats import FIELD_LABELS, FORMATS, validate_source
    from data_access.files import open_table

    for kind, spec in FORMATS.items():
        header = ";".join(FIELD_LABELS[f.name] for f in spec.fields)
        validated = validate_source(kind, open_table(f"{header}\n".encode(), "rubriker.csv"), None)
        assert [p.message for p in validated.problems] == ["filen innehåller inga datarader"], kind


def test_issue_18_age_groups_with_a_hyphen_or_a_dash_both_import(engine):
    """The sample now writes "30–49 år"; a municipality's older file with "30-49 år" still imports."""
    head = "Period;Enhet;Kön;Åldersgrupp;Sjuktimmar dag 1-14;Sjuktimmar dag 15-59;Sjuktimmar dag 60;" \
           "Ordinarie timmar;Anställda\n"
    for month, age in ((7, "30-49 år"), (8, "30–49 år")):
        sick = f"{head}2025-{month:02d};Enhet 1;Kvinna;{age};10,5;0;20;1 650;10\n"
        assert import_file(engine, "sjukfranvaro", sick.encode(), "s.csv", actor=LOCAL, accept=ACCEPT_ALL).ok


def test_issue_18_one_row_is_counted_in_the_singular(engine):
    result = import_file(engine, "utfall", "Månad;Verksamhet;Belopp\n2025-08;A;1 000\n".encode(), "en.csv",
                         actor=LOCAL, accept=ACCEPT_ALL)
    assert "1 rad lästes och 1 sparades" in result.message


def test_the_command_line_names_a_column_as_the_browser_does():
    """2026-12-05 notes: the command line said "kolumn period" where the browser's table said "Månad"; then both
    said "Månad" for a file whose column is headed "Period", which the controller had to translate back. Both
    name a column the file has by the file's own heading, and one it lacks by the import format's label."""
    from data_access.files import RawTable
    from data_access.formats import validate
    from ui.import_panel import problems_frame

    table = RawTable("x.csv", ["Period", "Verksamhet", "Belopp"], [(2, ["2025-13", "A", "1"])])
    problems = validate("utfall", table)[1]
    assert [str(p) for p in problems] == [
        'x.csv, rad 2, kolumn "Period": "2025-13" är inte en giltig månad (skriv år och månad, t.ex. 2025-09)']
    assert problems_frame(problems)["Kolumn"].tolist() == ["Period"]
    missing = validate("utfall", RawTable("y.csv", ["Period", "Verksamhet"], [(2, ["2025-08", "A"])]))[1]
    assert str(missing[0]).startswith('y.csv, rad 1, kolumn "Belopp, kr": kolumnen "Belopp, kr" saknas')
    assert problems_frame(missing)["Kolumn"].tolist() == ["Belopp, kr"]


def test_a_long_list_of_problems_says_which_columns_and_rows_it_concerns():
    """2026-12-06 walk: sixty rows with the same fault in "Belopp" read as sixty faults; the list says first that
    they lie in one column, on which rows."""
    from data_access.files import RawTable
    from data_access.formats import row_spans, validate, where_problems_lie

    rows = [(row, ["2025-08", "A", "tolv"]) for row in range(2, 64)] + [(64, ["2025-13", "A", "1"]),
                                                                          (66, ["2025-14", "A", "1"])]
    problems = validate("utfall", RawTable("x.csv", ["Period", "Verksamhet", "Belopp"], rows))[1]
    assert len(problems) == 64
    assert where_problems_lie(problems) == ('Felen gäller kolumnerna "Belopp" på 62 rader (rad 2–63) och "Period" på '
                                            '2 rader (rad 64 och 66).')
    assert where_problems_lie(problems[:3]) == 'Felen gäller kolumnen "Belopp" på 3 rader (rad 2–4).'
    assert row_spans([4, 9, 12, 13, 14, 20, 30, 40, 50]) == "4, 9, 12–14, 20 och 3 till"


def test_a_message_names_the_column_by_the_files_own_heading_in_problems_and_cautions(engine):
    """2026-12-05 note: a file headed "Verksamhetsnamn" and "Månad" was told about kolumn "Verksamhet" and "Månad",
    headings it does not have. A refused cell, a new name and a repeated key name the file's own heading; an API's
    answer (Kolada's keys) is still named as the interface names the field."""
    from data_access.files import TableSource
    from data_access.formats import headings_of, heading_of, validate_source

    bad = "Månad;Verksamhetsnamn;Belopp\n2025-08;A;1\n2025-14;A;2\n"
    result = import_file(engine, "utfall", bad.encode(), "bok.csv", actor=LOCAL, accept=ACCEPT_ALL)
    assert [str(p) for p in result.problems] == [
        'bok.csv, rad 3, kolumn "Månad": "2025-14" är inte en giltig månad (skriv år och månad, t.ex. 2025-09)']
    assert import_file(engine, "utfall", b"Period;Verksamhetsnamn;Belopp\n2025-08;Barn och unga;1\n", "a.csv",
                       actor=LOCAL, accept=ACCEPT_ALL).ok
    plan = plan_import(engine, "utfall", b"Period;Verksamhetsnamn;Belopp\n2025-08;Barn och ung;1\n", "b.csv")
    typo = next(c for c in plan.cautions if c.code.startswith("namn:"))
    assert typo.detail.startswith('b.csv, rad 2, kolumn "Verksamhetsnamn": "Barn och ung" finns inte i registret.')
    assert headings_of([" Period ", "", "Verksamhetsnamn"], {"period": 0, "verksamhet": 2, "kontogrupp": 1}) == {
        "period": "Period", "verksamhet": "Verksamhetsnamn"}
    assert heading_of({"mal": "Målvärde"}, "mal eller mal_fran") == "Målvärde eller Mål från"
    answer = TableSource("svar.json", ["kpi", "municipality", "period", "value"], iter(()), headed=False)
    assert validate_source("kolada", answer).headings == {}


def test_walk_2026_12_06_a_renamed_amount_column_is_asked_about_by_its_name():
    """A file headed "Summa kr" for "Belopp" was told only that "Belopp, kr" was missing, with an empty Värde,
    while "Kontogrup" was asked "menade du …". One missing column and one unknown: the unknown one is named as the
    likely column, with the name to give it; with two unknown columns nothing is guessed."""
    from data_access.files import RawTable
    from data_access.formats import validate

    headers = ["Månad", "Område", "Verksamhet", "Kontogrupp", "Summa kr"]
    problems = validate("utfall", RawTable("sep.csv", headers, [(2, ["2025-09", "IFO", "A", "övrigt", "1"])]))[1]
    assert [(p.row, p.column_name, p.value) for p in problems] == [(1, "Belopp, kr", "Summa kr")]
    assert problems[0].message == ('kolumnen "Belopp, kr" saknas (hittade kolumner: Månad, Område, Verksamhet, '
                                   'Kontogrupp, Summa kr); är "Summa kr" den kolumnen? Byt i så fall namn på den '
                                   'till "Belopp"')
    two = validate("utfall", RawTable("sep.csv", ["Månad", "Verksamhet", "Summa kr", "Att göra"],
                                      [(2, ["2025-09", "A", "1", "x"])]))[1]
    assert [p.value for p in two] == [""] and "är " not in two[0].message.split(")")[-1]


def test_walk_2026_12_07_the_effect_lists_replaced_figures_first_and_new_months_in_date_order(engine):
    """New-municipality walk (2026-12-07): a first import's "Vad filen ändrar, per period" came by size (dec 2024,
    nov 2024, apr 2024, jan 2024 …). Stored figures the file replaces come first, largest change first; the months
    new to the database follow from January; unchanged months last."""
    rows = "\n".join(f"2024-{month:02d};A;personalkostnader;{1000 + (month * 7919) % 13 * 100}"
                     for month in range(1, 13))
    first = plan_import(engine, "utfall", f"Månad;Verksamhet;Kontogrupp;Belopp\n{rows}\n".encode(), "utfall.csv")
    assert list(zip(first.effect["year"], first.effect["month"])) == [(2024, month) for month in range(1, 13)]
    import_file(engine, "utfall", f"Månad;Verksamhet;Kontogrupp;Belopp\n{rows}\n".encode(), "utfall.csv",
                actor=LOCAL, accept=ACCEPT_ALL)
    again = ("Månad;Verksamhet;Kontogrupp;Belopp\n2024-03;A;personalkostnader;1 000\n"
             "2024-05;A;personalkostnader;99 000\n2025-02;A;personalkostnader;5\n2025-01;A;personalkostnader;6\n"
             "2024-01;A;personalkostnader;" + str(1000 + 7919 % 13 * 100) + "\n")
    effect = plan_import(engine, "utfall", again.encode(), "rättelse.csv").effect
    assert list(zip(effect["year"], effect["month"]))[:4] == [(2024, 5), (2024, 3), (2025, 1), (2025, 2)]
    assert not effect["changed"].iloc[-1]
