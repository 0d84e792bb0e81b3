"""The admin command line as a user runs it (issue 2, point 3)."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def run(url: str, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "data_access", *arguments], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_summary_and_rejection(sqlite_url, tmp_path):
    good = tmp_path / "utfall.csv"
    good.write_text("Månad;Verksamhet;Belopp\n2025-07;A;1 000\n2025-08;A;2 000\n", encoding="cp1252")
    waiting = run(sqlite_url, "import", "utfall", str(good))
    assert waiting.returncode == 1 and "1 ny verksamhet läggs till i registret" in waiting.stderr
    assert "--bekrafta" in waiting.stderr
    done = run(sqlite_url, "import", "utfall", str(good), "--bekrafta")
    assert done.returncode == 0, done.stderr
    assert "2 rader lästes och 2 sparades" in done.stdout
    log = run(sqlite_url, "importlogg").stdout
    again = run(sqlite_url, "import", "utfall", str(good), "--bekrafta")  # the same file again: nothing to save
    assert again.returncode == 0 and again.stdout == ("utfall.csv: 2 rader lästes; inget sparades, allt fanns redan "
                                                      "med samma värden (jul 2025–aug 2025).\n")
    assert run(sqlite_url, "importlogg").stdout == log  # as the Data page: no import that changed nothing

    first, second = run(sqlite_url, "summary"), run(sqlite_url, "summary")
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["actuals"] == {"first_period": "2025-07", "last_period": "2025-08", "rows": 2}

    bad = tmp_path / "fel.csv"
    bad.write_text("Månad;Verksamhet;Belopp\n2025-09;A;1 000\n2025-13;A;12a\n", encoding="utf-8")
    refused = run(sqlite_url, "import", "utfall", str(bad))
    assert refused.returncode == 1
    assert 'fel.csv, rad 3, kolumn "Månad": "2025-13" är inte en giltig månad' in refused.stderr
    assert 'fel.csv, rad 3, kolumn "Belopp": "12a" är inte ett tal' in refused.stderr
    assert "Traceback" not in refused.stderr
    assert json.loads(run(sqlite_url, "summary").stdout)["actuals"]["rows"] == 2
    # A long list starts with where the faults lie, as the Data page does (2026-12-06 walk).
    many = tmp_path / "manga.csv"
    many.write_text("Månad;Verksamhet;Belopp\n" + "".join(f"2025-09;A;{n}a\n" for n in range(60)), encoding="utf-8")
    long = run(sqlite_url, "import", "utfall", str(many))
    assert long.returncode == 1 and long.stderr.startswith(
        'Felen gäller kolumnen "Belopp" på 60 rader (rad 2–61).\nmanga.csv, rad 2, kolumn "Belopp": "0a"')
    # A row with a field past the header's last: its file named once, and the rest said to be checked after it
    # (2026-12-07 audit walk: "fel.csv: fel.csv, rad 14: …", and four more faults appeared once it was mended).
    ragged = tmp_path / "ojamn.csv"
    ragged.write_text("Månad;Verksamhet;Belopp\n2025-13;A;1\n2025-09;A;5;extra\n", encoding="utf-8")
    refused = run(sqlite_url, "import", "utfall", str(ragged))
    assert refused.returncode == 1 and refused.stderr.startswith(
        'ojamn.csv, rad 3, kolumn "nr 4 (utan rubrik)": raden har 4 fält men rubrikraden 3; värdet "extra" står '
        'efter sista kolumnen ("Belopp"); står ett semikolon i en text, sätt texten inom citattecken ("…"), som '
        "Excel gör när filen sparas. Rätta det först: filens övriga värden prövas när varje rad har rubrikradens "
        "fält\n")
    assert long.stderr.count("är inte ett tal") == 60


def test_missing_file_and_unknown_kind(sqlite_url, tmp_path):
    missing = run(sqlite_url, "import", "utfall", str(tmp_path / "finns_inte.csv"))
    assert missing.returncode == 2 and "kunde inte läsas" in missing.stderr and "Traceback" not in missing.stderr
    unknown = run(sqlite_url, "import", "bokslut", "x.csv")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    # 2026-12-05 walkthrough: the operating system's and argparse's words were English.
    assert "(filen finns inte)" in missing.stderr
    assert "fel: TYP: 'bokslut' finns inte (välj bland 'utfall', " in unknown.stderr
    assert "usage" not in unknown.stderr and "användning: python -m data_access import" in unknown.stderr
    reason = run(sqlite_url, "angra", "1")
    assert reason.returncode == 2 and "fel: följande argument krävs: --varfor" in reason.stderr
    helped = run(sqlite_url, "--help")
    assert "visa den här hjälpen och avsluta" in helped.stdout and "show this" not in helped.stdout


def test_walkthrough_2026_12_05_output_piped_into_head_ends_quietly(sqlite_url):
    """``summary | head -3`` ended in a BrokenPipeError traceback."""
    env = {**os.environ, "DATABASE_URL": sqlite_url}
    # "true" reads nothing and is gone long before the command writes: the pipe is always closed by then.
    piped = subprocess.run(f"{sys.executable} -m data_access summary | true", shell=True, cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr, piped.stderr


def test_load_sample_only_into_an_empty_database(sqlite_url, tmp_path):
    loaded = run(sqlite_url, "load-sample")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(run(sqlite_url, "summary").stdout)["actuals"]["rows"] > 4000
    own = tmp_path / "own.csv"
    own.write_text("period;verksamhet;belopp\n2025-08;Egen;1\n", encoding="utf-8")
    run(sqlite_url, "clear", "--ja")
    run(sqlite_url, "import", "utfall", str(own), "--bekrafta")
    refused = run(sqlite_url, "load-sample")
    assert refused.returncode == 1 and "tom databas" in refused.stderr


def test_kommun_is_checked_and_audited_under_the_operating_system_user(sqlite_url):
    """Regression for issue 17, finding 3: ``kommun`` wrote the name without a permission check or audit entry."""
    import getpass

    from data_access.audit import entries
    from data_access.engine import make_engine

    done = run(sqlite_url, "kommun", '=HYPERLINK("http://evil","x")')
    assert done.returncode == 0, done.stderr
    empty = run(sqlite_url, "kommun", "   ")
    assert empty.returncode == 1 and "Ange kommunens namn" in empty.stderr
    log = entries(make_engine(sqlite_url))
    assert list(log["action"]) == ["kommunens namn ändrat"]
    assert log.iloc[0]["user_name"] == f"{getpass.getuser()} (kommandoraden)"
    assert "HYPERLINK" in log.iloc[0]["after"]


def test_cli_writes_name_the_operating_system_user(sqlite_url, tmp_path):
    """Regression for issue 17, finding 6 (second half): imports and roles from the command line are audited
    with the operating-system user, not an anonymous "kommandoraden"."""
    from data_access.audit import entries
    from data_access.engine import make_engine

    good = tmp_path / "utfall.csv"
    good.write_text("period;verksamhet;belopp\n2025-08;A;1\n", encoding="utf-8")
    env_user = {"LOGNAME": "kalle", "USER": "kalle", "LNAME": "kalle", "USERNAME": "kalle"}
    for arguments in (("import", "utfall", str(good), "--bekrafta"), ("roll", "lisa@kommun.se", "controller")):
        done = subprocess.run([sys.executable, "-m", "data_access", *arguments], cwd=ROOT,
                              env={**os.environ, "DATABASE_URL": sqlite_url, **env_user},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    log = entries(make_engine(sqlite_url))
    assert list(log["user_name"]) == ["kalle (kommandoraden)"] * 2
    assert list(log["action"]) == ["roll ändrad", "import"]


def test_granska_reports_an_intact_trail_and_fails_on_a_changed_one(sqlite_url, tmp_path):
    from sqlalchemy import text

    from data_access.engine import make_engine

    good = tmp_path / "utfall.csv"
    for amount in range(1, 4):  # three imports that each change the amount (one that changes nothing is not saved)
        good.write_text(f"period;verksamhet;belopp\n2025-08;A;{amount}\n", encoding="utf-8")
        assert run(sqlite_url, "import", "utfall", str(good), "--bekrafta").returncode == 0
    intact = run(sqlite_url, "granska")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "Granskningsloggen: 3 poster, kedjan är hel." in intact.stdout and "Allt stämmer." in intact.stdout
    head = intact.stdout.split("Senaste kontrollsumma: ")[1][:12]  # as printed in the meeting papers
    anchored = run(sqlite_url, "granska", "--kontrollsumma", head)
    assert anchored.returncode == 0 and f"Kontrollsumma {head}: post 3, finns kvar i kedjan." in anchored.stdout
    missing = run(sqlite_url, "granska", "--kontrollsumma", "0123456789ab")
    assert missing.returncode == 1 and "finns inte i granskningsloggen" in missing.stdout
    # A mistyped checksum is not said as a rewritten log (2026-12-06 walk): the chain is whole, check the copy first.
    assert "ändringar i efterhand" not in missing.stderr
    assert missing.stderr.startswith("Kedjan och versionerna är hela, men kontrollsumman 0123456789ab finns inte i "
                                     "granskningsloggen. Kontrollera först avskriften")
    with make_engine(sqlite_url).begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET user_name = 'någon annan' WHERE id = 2"))
    broken = run(sqlite_url, "granska")
    assert broken.returncode == 1
    assert "kedjan är bruten på 1 ställe:" in broken.stdout
    assert "post 2: innehållet stämmer inte med kontrollsumman" in broken.stdout
    # What to do next is said (2026-12-07 audit walk: "Granskningen hittade ändringar i efterhand." and no more).
    assert broken.stderr.startswith("Granskningen hittade ändringar i efterhand. Skicka inga mötespapper förrän det är "
                                    "utrett: kontakta databasadministratören")


def test_audit_walk_2026_12_07_granska_takes_a_versions_checksum_from_the_papers(sample_url):
    """The papers print a version's checksum beside the audit trail's, both "som revisionen kan jämföra med
    databasen"; given to granska, the version's was called a rewritten log (exit 1) while the same run listed the
    version as holding. It is recognised as the version's, and its state said."""
    from data_access.engine import make_engine
    from data_access.forecast_versions import verify_versions

    version = verify_versions(make_engine(sample_url))[-1]
    checked = run(sample_url, "granska", "--kontrollsumma", version.stored[:12])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (f'Kontrollsumma {version.stored[:12]}: prognosversionen "{version.name}" (id {version.id}), stämmer med '
            "versionens rader.") in checked.stdout
    assert f"  {version.name} (id {version.id}): kontrollsumma {version.stored[:12]} ({version.stored}) stämmer" \
        in checked.stdout and "Allt stämmer." in checked.stdout


def test_import_log_lists_numbers_for_undo(sqlite_url, tmp_path):
    """Issue 16: the number `angra` needs was only visible on the web page."""
    good = tmp_path / "utfall.csv"
    good.write_text("period;verksamhet;belopp\n2025-08;A;1\n", encoding="utf-8")
    done = run(sqlite_url, "import", "utfall", str(good), "--bekrafta")
    assert done.returncode == 0 and "Import nr 1." in done.stdout
    listed = run(sqlite_url, "importlogg")
    assert listed.returncode == 0 and "utfall: utfall.csv, 1 rad, importerad" in listed.stdout
    undone = run(sqlite_url, "angra", "1", "--varfor", "prov")
    assert undone.returncode == 0 and "är ångrad" in undone.stdout
    assert "ångrar import nr 1" in run(sqlite_url, "importlogg").stdout


def test_issue_15_an_import_on_the_command_line_leaves_the_forecasts_ready(sqlite_url, tmp_path):
    """A fresh server's first visitor to Prognos waited for the fit when the month came in on the command
    line; the command now computes and stores them, under the key the server reads."""
    from data_access import forecast_store, queries
    from data_access.engine import make_engine
    from forecasting import serial

    loaded = run(sqlite_url, "load-sample")
    assert loaded.returncode == 0, loaded.stderr
    assert ("Helårsprognosen per verksamhet och placeringarnas volymprognos för augusti 2025 är beräknade och "
            "sparade") in loaded.stdout
    assert "Delår 2-prognoserna för åren före 2025 (träffsäkerheten) är beräknade och sparade" in loaded.stdout
    engine = make_engine(sqlite_url)
    version = queries.stamp(engine)[0]
    for kind in ("nämnd", "kategorier"):
        stored = forecast_store.fetch(engine, version, 2025, 8, kind, serial.CODE_VERSION)
        assert stored is not None, kind
    board = serial.loads(forecast_store.fetch(engine, version, 2025, 8, "nämnd", serial.CODE_VERSION))
    assert (board.year, board.cutoff_month) == (2025, 8) and "Ekonomiskt bistånd" in board.lines

    # Issue 19: the managers' forecast is nothing the models read; the stored results are taken over.
    corrected = tmp_path / "prognos.csv"  # one verksamhet's forecast corrected (the same file again saves nothing)
    corrected.write_text((ROOT / "sample_data" / "prognos.csv").read_text(encoding="utf-8").replace(
        "2025-08;Bostadsverksamhet;5420000;", "2025-08;Bostadsverksamhet;5430000;"), encoding="utf-8")
    again = run(sqlite_url, "import", "prognos", str(corrected), "--bekrafta")
    assert again.returncode == 0, again.stderr
    assert ("Helårsprognosen per verksamhet och placeringarnas volymprognos för augusti 2025 är oförändrade: det "
            "de räknas på är detsamma som förut") in again.stdout
    assert "Delår 2-prognoserna för åren före 2025 (träffsäkerheten) är oförändrade" in again.stdout
    assert queries.data_version(engine) > version
    taken_over = forecast_store.fetch(engine, queries.data_version(engine), 2025, 8, "nämnd", serial.CODE_VERSION)
    assert serial.loads(taken_over).lines.keys() == board.lines.keys()

    september = tmp_path / "utfall_2025-09.csv"
    september.write_text("period;verksamhet;belopp\n2025-09;Ekonomiskt bistånd;1 000 000\n", encoding="utf-8")
    batch = run(sqlite_url, "import", "utfall", str(september), "--bekrafta", "--utan-prognos")
    assert batch.returncode == 0, batch.stderr
    assert "beräknade" not in batch.stdout
    # 2026-12-07 walk: September's utfall saved, and the volumes and sick leave still at August said nowhere.
    assert ("Utfallet är inläst t.o.m. sep 2025, men volymerna t.o.m. aug 2025, sjukfrånvaron t.o.m. aug 2025"
            in batch.stdout) and "läs in de senare månaderna med python -m data_access import." in batch.stdout
    engine.dispose()
    engine = make_engine(sqlite_url)
    assert not forecast_store.exists(engine, queries.data_version(engine), 2025, 9, "nämnd", serial.CODE_VERSION)
    engine.dispose()


def test_walk_2026_12_06_a_database_that_cannot_be_opened_is_said_in_swedish_with_what_to_do(tmp_path):
    """An administrator's wrong DATABASE_URL gave the driver's English ("no schema has been selected to create
    in … [SQL: CREATE TABLE alembic_version …]", "Could not parse SQLAlchemy URL") after "Fel: kunde inte öppna
    databasen"; the page said only "Något gick fel". Each common cause is said in Swedish with what to do, and the
    driver's first line after it."""
    from data_access.engine import database_problem

    unparsable = run("inte en adress", "summary")
    assert unparsable.returncode == 2 and unparsable.stderr.startswith("Fel: DATABASE_URL går inte att tolka: skriv "
                                                                        "den som postgresql://")
    (tmp_path / "fil.txt").write_text("en fil, ingen mapp")
    folder = run(f"sqlite:///{tmp_path}/fil.txt/x.sqlite3", "summary")
    assert folder.returncode == 2 and "SQLite-filen i DATABASE_URL kan inte öppnas för skrivning" in folder.stderr
    assert "Traceback" not in folder.stderr + unparsable.stderr and len(folder.stderr.splitlines()) == 1
    migrated = run(f"sqlite:///{tmp_path}/ny.sqlite3", "migrate")  # says where the schema stands
    assert migrated.returncode == 0 and "Databasen är migrerad till version 0020, den senaste." in migrated.stdout
    said = {message: database_problem(RuntimeError(message)) for message in (
        'connection failed: FATAL:  database "walk2_typo" does not exist',
        'InsufficientPrivilege: permission denied for schema walk2tom',
        "InvalidSchemaName: no schema has been selected to create in\nLINE 1: CREATE TABLE alembic_version",
        'connection failed: connection to server at "127.0.0.1", port 5433 failed: Connection refused')}
    assert [text.split(":")[0] for text in said.values()] == [
        "databasen i DATABASE_URL finns inte på servern", "databasanvändaren i DATABASE_URL får inte skapa eller "
        "ändra tabellerna", "schemat som DATABASE_URL anger (search_path) finns inte",
        "databasservern svarar inte på adressen i DATABASE_URL"]
    assert "migrate --agare" in said['InsufficientPrivilege: permission denied for schema walk2tom']
    # 2026-12-07 install walk: the schema left out of the address, with the migrations run, was told to migrate.
    public = database_problem(RuntimeError("InsufficientPrivilege: permission denied for schema public\nLINE 1: "
                                           "CREATE TABLE alembic_version"))
    assert public.startswith("databasanvändaren i DATABASE_URL får inte skapa tabeller i schemat public: saknar "
                             "adressen schemat som panelen migrerades till (…/databas?options=-csearch_path%3D"
                             "namndpanelen)? Rätta adressen")
    assert "LINE 1" not in said["InvalidSchemaName: no schema has been selected to create in\nLINE 1: CREATE TABLE "
                                "alembic_version"]


def test_commands_that_only_read_create_nothing_in_a_database_without_tables(db_url):
    """`summary` run as a superuser against a database with no tables yet (the systemd unit's check, a wrong
    search_path) created the whole schema there, since every command migrated first (2026-12-06 install walk).
    The commands that only read say where the schema stands and change nothing; `migrate` then brings it up."""
    from sqlalchemy import inspect

    from data_access.engine import make_engine

    engine = make_engine(db_url)
    for command in ("summary", "importlogg", "granska"):
        refused = run(db_url, command)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr == ("Fel: databasen i DATABASE_URL har inga av panelens tabeller (är det rätt databas "
                                  "och schema?): kör python -m data_access migrate (på PostgreSQL som ägarrollen, med "
                                  "--agare ÄGARE --app-roll APPROLL)\n")
        assert inspect(engine).get_table_names() == []
    assert run(db_url, "migrate").returncode == 0
    assert json.loads(run(db_url, "summary").stdout)["actuals"]["rows"] == 0
    engine.dispose()
