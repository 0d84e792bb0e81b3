"""Locked versions and the audit trail hold in the database itself, and their hashes reveal any change (issue 17)."""

import threading

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from data_access import audit
from data_access.engine import make_engine, migrate
from data_access.forecast_versions import (AlreadySavedVersion, VersionError, list_versions, save_version,
                                         verify_versions)
from data_access.importer import ACCEPT_ALL, import_file
from data_access.sample import clear_data
from data_access.scenarios import save_scenario
from domain.access import ADMIN, CONTROLLER, Actor
from domain.integrity import GENESIS, audit_row_hash
from tests.data.revisions import at_revision
from tests.forecasting.test_views_and_versions import line

KALLE = Actor("kalle@kommun.se", CONTROLLER)
VERSION_REFUSAL = "sparad prognosversion är låst"
AUDIT_REFUSAL = "granskningsloggen kan inte"
UTFALL = "period;verksamhet;belopp\n2025-08;A;100\n".encode()


def saved_version(engine) -> int:
    volumes = pd.DataFrame([{"category": "HVB", "month": m, "is_actual": int(m <= 8), "care_days": 30.5,
                             "cost_kr": 100_000} for m in range(1, 13)])
    return save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=KALLE,
                        lines=[line("A"), line("B", point=-2_000)], volumes=volumes)


def refused(engine, statement: str, message: str) -> None:
    with pytest.raises(DBAPIError) as caught:
        with engine.begin() as connection:
            connection.execute(text(statement))
    assert message in str(caught.value), str(caught.value)


def test_saved_versions_cannot_be_changed_or_deleted_by_sql(engine):
    """Regression for issue 17, finding 1: a raw UPDATE or DELETE of a saved version worked on both databases."""
    version_id = saved_version(engine)
    before = verify_versions(engine)
    for table, change in (("forecast_versions", "note = 'ändrad'"), ("forecast_version_lines", "point_kr = 0"),
                          ("forecast_version_months", "amount_kr = 0"), ("forecast_version_volumes", "cost_kr = 0"),
                          ("forecast_version_names", "name_key = 'x'")):
        refused(engine, f"UPDATE {table} SET {change}", VERSION_REFUSAL)
    # Children first, as the foreign keys would otherwise stop the header's deletion anyway.
    for table in ("forecast_version_volumes", "forecast_version_months", "forecast_version_lines",
                  "forecast_version_names"):
        refused(engine, f"DELETE FROM {table} WHERE version_id = {version_id}", VERSION_REFUSAL)
    refused(engine, f"DELETE FROM forecast_versions WHERE id = {version_id}", VERSION_REFUSAL)
    if engine.dialect.name == "postgresql":
        for table in ("forecast_version_volumes", "forecast_version_months", "forecast_version_lines",
                      "forecast_version_names", "forecast_versions"):
            refused(engine, f"TRUNCATE {table} CASCADE", VERSION_REFUSAL)
        refused(engine, "INSERT INTO forecast_version_lines (id, version_id, activity, method, params, actual_ytd_kr, "
                        "point_kr, p10_kr, p50_kr, p90_kr, comment) SELECT id, version_id, activity, method, params, "
                        "actual_ytd_kr, 0, 0, 0, 0, '' FROM forecast_version_lines "
                        "ON CONFLICT (id) DO UPDATE SET point_kr = 0", VERSION_REFUSAL)
    assert verify_versions(engine) == before and all(check.problem is None for check in before)


def test_sqlite_replace_cannot_overwrite_a_locked_row(sqlite_url):
    """Regression for issue 17, finding 2: INSERT OR REPLACE / REPLACE INTO replaced audit entries on SQLite."""
    engine = make_engine(sqlite_url)
    migrate(engine)
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    version_id = saved_version(engine)
    entries_before = audit.entries(engine)
    columns = "(id, at, user_name, action, object)"
    for verb in ("INSERT OR REPLACE INTO", "REPLACE INTO"):
        refused(engine, f"{verb} audit_log {columns} VALUES (1, '2025-01-01 00:00:00', 'x', 'y', 'z')", AUDIT_REFUSAL)
        refused(engine, f"{verb} forecast_versions (id, name, year, cutoff_month, data_version, created_at, author) "
                        f"VALUES ({version_id}, 'x', 2025, 8, 1, '2025-01-01 00:00:00', 'x')", VERSION_REFUSAL)
        # A new id but an existing unique key: REPLACE would silently delete the row it collides with.
        refused(engine, f"{verb} forecast_versions (id, name, year, cutoff_month, data_version, created_at, author) "
                        "VALUES (999, 'Prognos delår 2 2025', 2025, 8, 1, '2025-01-01 00:00:00', 'x')",
                VERSION_REFUSAL)
        refused(engine, f"{verb} forecast_version_lines (id, version_id, activity, method, actual_ytd_kr, point_kr, "
                        f"p10_kr, p50_kr, p90_kr) VALUES (999, {version_id}, 'A', 'x', 0, 0, 0, 0, 0)", VERSION_REFUSAL)
        refused(engine, f"{verb} forecast_version_months (id, version_id, activity, month, is_actual, amount_kr) "
                        f"VALUES (999, {version_id}, 'A', 1, 1, 0)", VERSION_REFUSAL)
        refused(engine, f"{verb} forecast_version_volumes (id, version_id, category, month, is_actual, care_days, "
                        f"cost_kr) VALUES (999, {version_id}, 'HVB', 1, 1, 0, 0)", VERSION_REFUSAL)
        refused(engine, f"{verb} forecast_version_names (name_key, version_id) VALUES ('x', {version_id})",
                VERSION_REFUSAL)
    refused(engine, f"INSERT INTO audit_log {columns} VALUES (1, '2025-01-01 00:00:00', 'x', 'y', 'z') "
                    "ON CONFLICT (id) DO UPDATE SET user_name = 'x'", AUDIT_REFUSAL)
    with engine.connect() as connection:  # the trick that would let REPLACE fire delete triggers changes nothing
        connection.execute(text("PRAGMA recursive_triggers = ON"))
        with pytest.raises(DBAPIError, match=AUDIT_REFUSAL):
            connection.execute(text(f"REPLACE INTO audit_log {columns} VALUES (2, '2025-01-01', 'x', 'y', 'z')"))
        connection.rollback()
    pd.testing.assert_frame_equal(audit.entries(engine), entries_before)
    assert audit.verify(engine).ok


def test_a_new_version_with_a_taken_name_is_still_refused_in_swedish(engine):
    saved_version(engine)
    with pytest.raises(VersionError, match="finns redan") as caught:
        save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=KALLE,
                     lines=[line("A", point=-5_000)])
    assert not isinstance(caught.value, AlreadySavedVersion)


def test_a_name_that_differs_from_a_saved_one_in_case_only_is_refused_in_the_database_itself(engine):
    """"Prognos delår 2 2025" and "PROGNOS DELÅR 2 2025" could both be locked, for the same cut-off, and a list
    or a footer could not tell the nämnd which was meant. The save names the version already saved; a second
    version with the twin name written with SQL is refused by the locked table of caseless name keys."""
    from data_access.formats import name_key

    version_id = saved_version(engine)
    with pytest.raises(VersionError, match='Det finns redan en version som heter "Prognos delår 2 2025"'):
        save_version(engine, name="PROGNOS DELÅR 2 2025", year=2025, cutoff_month=8, data_version=1, actor=KALLE,
                     lines=[line("A", point=-5_000)])
    with pytest.raises(DBAPIError):
        with engine.begin() as connection:
            twin = connection.execute(text(
                "INSERT INTO forecast_versions (name, year, cutoff_month, data_version, created_at, author, note) "
                "VALUES ('PROGNOS DELÅR 2 2025', 2025, 8, 1, '2025-09-01 08:00:00+00:00', 'x', '') RETURNING id"
            )).scalar_one()
            connection.execute(text("INSERT INTO forecast_version_names (name_key, version_id) VALUES (:key, :id)"),
                               {"key": name_key("PROGNOS DELÅR 2 2025"), "id": twin})
    assert list(list_versions(engine)["name"]) == ["Prognos delår 2 2025"] and version_id


def test_migration_0017_keys_the_saved_versions_and_leaves_them_as_they_were(db_url):
    """Two versions saved before under names that differ in case only both stay; the elder's name holds the key."""
    engine = make_engine(db_url)
    with at_revision(engine, "0016") as connection:
        for number, name in ((1, "Gammal"), (2, "GAMMAL")):
            connection.execute(text("INSERT INTO forecast_versions (id, name, year, cutoff_month, data_version, "
                                    "created_at, author, note) VALUES (:id, :name, 2025, 8, 3, "
                                    "'2025-09-01 08:00:00+00:00', 'anna', '')"), {"id": number, "name": name})
    migrate(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_id FROM forecast_version_names")).scalars().all() == [1]
        assert connection.execute(text("SELECT name FROM forecast_versions ORDER BY id")).scalars().all() == \
            ["Gammal", "GAMMAL"]
    with pytest.raises(VersionError, match='som heter "Gammal"'):
        save_version(engine, name="gammal", year=2025, cutoff_month=8, data_version=1, actor=KALLE,
                     lines=[line("A", point=-5_000)])
    engine.dispose()


def test_a_second_click_on_save_is_told_the_version_is_saved(engine):
    """Regression for issue 18: a double submit saved the version and also showed "Det finns redan en version"."""
    saved_version(engine)
    with pytest.raises(AlreadySavedVersion, match='"Prognos delår 2 2025" är redan sparad och låst'):
        saved_version(engine)


def test_clear_keeps_versions_and_the_audit_trail(engine):
    version_id = saved_version(engine)
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    clear_data(engine, Actor("ada", ADMIN))
    assert list(list_versions(engine)["id"]) == [version_id]
    assert list(audit.entries(engine)["action"])[:3] == ["alla data borttagna", "import", "prognosversion sparad"]
    assert audit.verify(engine).ok


def test_the_chain_links_every_entry_to_the_one_before(engine):
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    saved_version(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, at, user_name, action, object, before, after, prev_hash, row_hash "
                                       "FROM audit_log ORDER BY id")).mappings().all()
    assert rows[0]["prev_hash"] == GENESIS
    for earlier, later in zip(rows, rows[1:]):
        assert later["prev_hash"] == earlier["row_hash"]
    assert all(row["row_hash"] == audit_row_hash(row, row["prev_hash"]) for row in rows)
    report = audit.verify(engine)
    assert report.ok and report.entries == 2 and report.head == rows[-1]["row_hash"]


def tamper(engine, *statements: str) -> None:
    """Change the tables as someone who owns the database could, with the triggers out of the way."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # triggers do not fire
            for statement in statements:
                connection.execute(text(statement))
        else:
            triggers = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _sql in triggers:
                connection.execute(text(f"DROP TRIGGER {name}"))
            for statement in statements:
                connection.execute(text(statement))
            for _name, sql in triggers:
                connection.execute(text(sql))


def test_verification_says_where_the_chain_breaks(engine):
    """Regression for issue 17 (tamper evidence): a change made past the triggers is found and located."""
    for amount in range(100, 104):  # four imports that each change the amount: one that changes nothing is not saved
        import_file(engine, "utfall", f"period;verksamhet;belopp\n2025-08;A;{amount}\n".encode(), "utfall.csv",
                    actor=KALLE, accept=ACCEPT_ALL)
    ids = list(audit.entries(engine)["id"])[::-1]
    tamper(engine, f"UPDATE audit_log SET user_name = 'någon annan' WHERE id = {ids[1]}",
           f"DELETE FROM audit_log WHERE id = {ids[2]}")
    report = audit.verify(engine)
    assert not report.ok and report.entries == 3
    assert report.problems[0].startswith(f"post {ids[1]}: innehållet stämmer inte")
    assert report.problems[1].startswith(f"post {ids[3]}: kedjan bryts, posten pekar inte på post {ids[1]}")


def test_verification_finds_a_changed_version(engine):
    version_id = saved_version(engine)
    assert [c.problem for c in verify_versions(engine)] == [None]
    tamper(engine, f"UPDATE forecast_version_lines SET point_kr = point_kr + 1 WHERE version_id = {version_id}")
    [check] = verify_versions(engine)
    assert "raderna stämmer inte med kontrollsumman" in check.problem
    # Rewriting the stored hash too is caught by the copy in the (chained) audit trail.
    tamper(engine, f"UPDATE forecast_versions SET content_sha256 = '{check.computed}' WHERE id = {version_id}")
    [check] = verify_versions(engine)
    assert "inte den som skrevs i granskningsloggen" in check.problem


def test_concurrent_writers_keep_one_chain(engine):
    """Appends are serialised: two writers at once never chain to the same entry."""
    errors = []

    def write(actor):
        try:
            for number in range(8):
                save_scenario(engine, actor=actor, name=f"{actor.identity} {number}", year=2025, cutoff_month=8,
                              base_label="Statistisk prognos aug 2025", assumptions={"personnel_kr": float(number + 1)})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(Actor(f"c{i}", CONTROLLER),)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit.verify(engine)
    assert report.ok and report.entries == 24, report.problems


def test_migration_hashes_the_rows_that_were_there(db_url):
    engine = make_engine(db_url)
    with at_revision(engine, "0008") as connection:
        for number in range(3):
            connection.execute(text("INSERT INTO audit_log (at, user_name, action, object, after) VALUES "
                                    "(:at, 'anna', 'import', :object, '{\"rader\": 1}')"),
                               {"at": f"2025-0{number + 1}-01 10:00:00.123456+00:00", "object": f"fil {number}"})
        connection.execute(text("INSERT INTO forecast_versions (id, name, year, cutoff_month, data_version, created_at, "
                                "author, note) VALUES (1, 'Gammal', 2025, 8, 3, '2025-09-01 08:00:00+00:00', 'anna', '')"))
        connection.execute(text("INSERT INTO forecast_version_lines (version_id, activity, method, params, actual_ytd_kr, "
                                "point_kr, p10_kr, p50_kr, p90_kr, budget_kr, prob_within_target, comment) VALUES "
                                "(1, 'A', 'ETS', '{}', -1, -2, -3, -2, -1, NULL, 0.5, '')"))
    migrate(engine)
    report = audit.verify(engine)
    assert report.ok and report.entries == 4  # the three entries, and the version's from migration 0019
    [check] = verify_versions(engine)
    assert check.stored and check.problem is None
    # A version saved before the trail recorded versions has its entry from the upgrade (migration 0019), so it
    # is not taken for one written past the panel (2026-12-07 audit walk).
    assert audit.entries(engine, action="prognosversion sparad")["user_name"].tolist() == ["migrering"]
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    assert audit.verify(engine).ok
    engine.dispose()


def test_migration_0009_downgrades_and_upgrades_again(engine):
    import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL)
    saved_version(engine)
    with at_revision(engine, "0008", down=True):
        pass
    refused(engine, "DELETE FROM audit_log", AUDIT_REFUSAL)  # 0006's append-only triggers are back
    migrate(engine)
    assert audit.verify(engine).ok and [c.problem for c in verify_versions(engine)] == [None]
    refused(engine, "UPDATE forecast_version_lines SET point_kr = 0", VERSION_REFUSAL)


def test_a_typed_name_with_hidden_characters_is_refused_everywhere_and_nothing_is_written(engine):
    """2026-12-05 walk with hostile names: a version locked as "-1 🙂 עברית \u202eabc" turned every sentence that
    named the forecast backwards, on the page, every slide's footer and the papers; the same override was taken
    in a scenario's name and the comparison group's. Comments and register names already refused it: every
    typed name now goes through one check (``formats.typed_name``)."""
    from data_access import kolada
    from data_access.dataset import DatasetError, set_municipality
    from data_access.forecast_versions import MAX_NAME
    from tests.data.test_import_safety import checksum

    before = checksum(engine)
    for name in ("Delår 2 \u202ecba", "Delår\u200b2", "x" * (MAX_NAME + 1)):
        with pytest.raises(VersionError, match="^Namnet "):
            save_version(engine, name=name, year=2025, cutoff_month=8, data_version=1, actor=KALLE, lines=[line("A")])
    with pytest.raises(DatasetError, match="^Kommunens namn .* osynligt tecken"):
        set_municipality(engine, Actor("ada", ADMIN), "Norrtälje\u202e")
    with pytest.raises(kolada.SettingsError, match="^Gruppens namn .* osynligt tecken"):
        kolada.save_settings(engine, KALLE, municipality="0188", group=["0114"], group_name="Grannar\u202e")
    with pytest.raises(kolada.SettingsError, match="^Gruppens namn får vara högst"):
        kolada.save_settings(engine, KALLE, municipality="0188", group=["0114"], group_name="G" * 201)
    assert checksum(engine) == before  # not even a log line
    assert MAX_NAME == 80


def test_a_new_kommun_name_is_a_new_data_version(engine):
    """2026-12-05 walk: a name set with `python -m data_access kommun` stood on a running server's pages for
    minutes, its caches keyed by a data version that the rename did not change."""
    from data_access import queries
    from data_access.dataset import set_municipality

    before = queries.data_version(engine)
    set_municipality(engine, Actor("ada", ADMIN), "Norrtälje kommun")
    assert queries.data_version(engine) > before
    assert queries.dataset_info(engine)["municipality"] == "Norrtälje kommun"


def test_walk_2026_12_06_the_samples_locked_versions_no_longer_count_once_its_data_are_cleared(sample_url):
    """After ``clear`` the sample's six locked "Delårsrapport 2 ÅÅÅÅ" stayed, and a municipality's own 2019–2024
    would have been judged by the 5 % rule against Exempelkommun's forecasts. They stay locked and verified, but
    no period's forecast, no verdict and no import's caution counts them; a sample loaded again has them back,
    none saved twice; a renamed sample is still the sample (its banner stays) and is not replaced by load-sample."""
    from data_access.dataset import set_municipality
    from data_access.importer import plan_import
    from data_access.queries import dataset_info
    from data_access.sample import SampleLoadError, load_sample

    engine = make_engine(sample_url)
    ada = Actor("ada", ADMIN)
    sample = list(list_versions(engine)["name"])
    assert sample == [f"Delårsrapport 2 {year}" for year in range(2019, 2025)]
    clear_data(engine, ada)
    assert list_versions(engine).empty and list(list_versions(engine, with_sample=True)["name"]) == sample
    assert len(verify_versions(engine)) == 6 and all(check.problem is None for check in verify_versions(engine))
    own = "Månad;Verksamhet;Belopp\n" + "".join(f"2024-{m:02d};Egen;100\n" for m in range(1, 13))
    assert import_file(engine, "utfall", own.encode(), "egen.csv", actor=ada, accept=ACCEPT_ALL).ok
    corrected = own.replace("2024-08;Egen;100", "2024-08;Egen;200").encode()
    assert not [c for c in plan_import(engine, "utfall", corrected, "r.csv").cautions if c.code.startswith("lasta")]
    with pytest.raises(SampleLoadError):  # the municipality's own data are never replaced by the sample
        load_sample(engine)
    clear_data(engine, ada)
    load_sample(engine)
    assert list(list_versions(engine)["name"]) == sample  # the same six count again; none saved twice
    set_municipality(engine, ada, "Norrtälje kommun")
    assert dataset_info(engine)["sample"] == "ja"
    with pytest.raises(SampleLoadError):
        load_sample(engine)


def test_audit_walk_2026_12_07_a_version_written_past_the_panel_is_never_the_periods_forecast(engine):
    """As the app role a revisor inserted a version with SQL (no checksum, no audit entry), and a line into a
    locked version; the pages and papers took the first for the period's forecast and the 5 % rule's, and kept
    showing the second as locked, without a word. Neither is used now, and every page says why."""
    from sqlalchemy import insert, select

    from data_access import queries
    from data_access import schema as s
    from data_access.forecast_versions import trusted_versions
    from domain.forecast_view import official_forecast
    from domain.integrity import excluded_versions_notice

    honest = saved_version(engine)
    key = queries.versions_key(engine)
    with engine.begin() as connection:
        header = dict(connection.execute(select(s.forecast_versions).where(s.forecast_versions.c.id == honest))
                      .mappings().one())
        forged = connection.execute(insert(s.forecast_versions).values(
            {**{k: v for k, v in header.items() if k not in ("id", "content_sha256")},
             "name": "Delårsrapport 2 2025 rättad", "author": "ekonomichef"}).returning(s.forecast_versions.c.id)
        ).scalar_one()
        lines = [dict(r) for r in connection.execute(select(s.forecast_version_lines)
                                                     .where(s.forecast_version_lines.c.version_id == honest)).mappings()]
        connection.execute(insert(s.forecast_version_lines), [
            {**{k: v for k, v in r.items() if k != "id"}, "version_id": forged, "point_kr": r["point_kr"] - 1_000_000}
            for r in lines])
    saved, problems = trusted_versions(engine)
    assert saved["id"].tolist() == [honest]
    assert problems == ('Prognosversion "Delårsrapport 2 2025 rättad" (id %d) har ingen post "prognosversion sparad" '
                        "i granskningsloggen: den har inte sparats genom panelen, eller posten har tagits bort." % forged,)
    assert official_forecast(saved, 2025, 8, -1.0).version_id == honest
    assert excluded_versions_notice(problems).startswith("En sparad prognosversion klarar inte granskningen och "
                                                         "används varken på sidorna eller i mötespapperen: ")
    # A line added to the locked version: the key every cache reads by changes, and the version is left out too.
    with engine.begin() as connection:
        connection.execute(insert(s.forecast_version_lines).values(
            {**{k: v for k, v in lines[0].items() if k != "id"}, "activity": "Hemlig tillagd verksamhet"}))
    assert queries.versions_key(engine) > key
    saved, problems = trusted_versions(engine)
    assert saved.empty and len(problems) == 2 and "versionen har ändrats efter att den sparades" in problems[0]


def test_audit_walk_2026_12_07_an_import_log_row_rewritten_with_sql_is_found(engine):
    """The panel's role may write in the import log; a revisor rewrote an import's file name and user there and
    granska still said "kedjan är hel". The audit trail's chained record of the import now finds it."""
    from data_access.audit import verify_import_log
    from data_access.forecast_versions import verify_versions
    from domain.integrity import verification_summary

    result = import_file(engine, "utfall", UTFALL, "aug.csv", actor=KALLE, accept=ACCEPT_ALL)
    assert result.ok and verify_import_log(engine) == []
    tamper(engine, f"UPDATE import_log SET user_name = 'ekonomichef', file_name = 'aug_godkand.csv' "
                   f"WHERE id = {result.import_id}")
    [problem] = verify_import_log(engine)
    assert problem == (f"Import nr {result.import_id}: importloggen (utfall: aug_godkand.csv, ekonomichef) stämmer inte "
                       "med granskningsloggen (utfall: aug.csv, kalle@kommun.se); importloggen har ändrats efter "
                       "importen.")
    held, sentence, problems = verification_summary(audit.verify(engine), verify_versions(engine), [problem])
    assert not held and problems == [problem] and sentence.startswith("Granskningen hittade 1 ändring")


def test_what_an_import_replaced_cannot_be_rewritten_so_an_undo_puts_back_only_what_was_imported(engine):
    """The rows an import replaced are kept for its undo (``import_changes``). Rewritten with SQL, an undo would put
    back figures nobody imported: the database refuses it (migration 0020), and the undo still works."""
    from data_access.importer import revert_import
    from data_access.queries import monthly_ledger

    first = import_file(engine, "utfall", UTFALL, "aug.csv", actor=KALLE, accept=ACCEPT_ALL)
    second = import_file(engine, "utfall", UTFALL.replace(b";100", b";250"), "aug_rattad.csv", actor=KALLE,
                         accept=ACCEPT_ALL)
    assert first.ok and second.ok
    refusal = "det en import ersatte sparas för att kunna ångras"
    refused(engine, "UPDATE import_changes SET removed = replace(removed, '100', '900000')", refusal)
    refused(engine, "DELETE FROM import_changes", refusal)
    if engine.dialect.name == "postgresql":
        refused(engine, "TRUNCATE import_changes", refusal)
    else:
        refused(engine, "REPLACE INTO import_changes (id, import_id, table_name, scope, removed) "
                        "SELECT id, import_id, table_name, scope, '[]' FROM import_changes", refusal)
    undone = revert_import(engine, second.import_id, actor=KALLE, reason="fel fil")
    assert undone.ok and (undone.removed, undone.restored) == (1, 1), undone.message
    assert monthly_ledger(engine, [2025])["actual_kr"].tolist() == [100.0]


def test_a_row_added_to_what_an_import_replaced_is_found_and_its_undo_refused(engine):
    """``import_changes`` takes inserts only; a row added past the panel for an import would make its undo put
    back figures nobody imported. The import's audit entry holds the digest of what it kept for its undo:
    granska names the import, the undo is refused and nothing changes; the untouched imports pass."""
    from data_access.audit import verify_import_log
    from data_access.importer import preview_revert, revert_import
    from data_access.queries import monthly_ledger
    from tests.data.test_import_safety import data_checksum

    first = import_file(engine, "utfall", UTFALL, "aug.csv", actor=KALLE, accept=ACCEPT_ALL)
    second = import_file(engine, "utfall", UTFALL.replace(b";100", b";250"), "aug_rattad.csv", actor=KALLE,
                         accept=ACCEPT_ALL)
    assert first.ok and second.ok and verify_import_log(engine) == []
    assert preview_revert(engine, second.import_id, actor=KALLE, reason="prov").ok
    tamper(engine, "INSERT INTO import_changes (import_id, table_name, scope, removed) VALUES "
                   f"({second.import_id}, 'actuals', '[[\"year\", \"month\", \"activity\"], [2025, 7, \"A\"]]', "
                   "'[{\"year\": 2025, \"month\": 7, \"activity\": \"A\", \"account_group\": \"\", "
                   "\"amount_kr\": 900000}]')")
    assert verify_import_log(engine) == [
        f"Import nr {second.import_id} (utfall: aug_rattad.csv): det som sparades för att kunna ångra importen har "
        "ändrats efter importen, så en ångring skulle lägga tillbaka rader som ingen har importerat."]
    state = data_checksum(engine)
    for attempt in (preview_revert, revert_import):
        undone = attempt(engine, second.import_id, actor=KALLE, reason="fel fil")
        assert not undone.ok and undone.message.startswith(
            f"Import {second.import_id} (aug_rattad.csv) kan inte ångras: det som sparades för att kunna ångra")
    assert data_checksum(engine) == state
    assert monthly_ledger(engine, [2025])["actual_kr"].tolist() == [250.0]
