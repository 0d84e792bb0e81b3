"""The data version every page run reads is shared for a moment, never across a write (issue 19)."""

import datetime as dt
import time

from sqlalchemy import insert

from data_access import queries
from data_access import schema as s


def _log_row(connection) -> None:
    connection.execute(insert(s.import_log).values(
        imported_at=dt.datetime.now(dt.timezone.utc), kind="utfall", file_name="utfall.csv", content_sha256="0" * 64,
        rows=1, outcome="sparad"))


def test_issue_19_the_stamp_is_the_data_version_and_the_versions_key(engine):
    assert queries.stamp(engine) == (queries.data_version(engine), queries.versions_key(engine))


def test_issue_19_a_write_in_this_process_is_seen_by_the_next_run(engine, db_url):
    from data_access.engine import make_engine

    before = queries.stamp(engine)
    other = make_engine(db_url)  # another engine of the same process: a second session, an import
    try:
        with other.begin() as connection:
            _log_row(connection)
    finally:
        other.dispose()
    assert queries.stamp(engine)[0] == before[0] + 1 == queries.data_version(engine)


def test_issue_19_a_write_by_another_process_is_seen_within_the_stated_age(engine, monkeypatch):
    monkeypatch.setattr(queries, "STAMP_MAX_AGE", 0.3)
    time.sleep(0.35)  # no commit of this process within the age
    before = queries.stamp(engine)
    raw = engine.raw_connection()  # the driver's own connection: no event of this process sees its commit
    try:
        cursor = raw.cursor()
        cursor.execute("INSERT INTO import_log (imported_at, kind, file_name, content_sha256, rows, outcome) "
                       "VALUES ('2026-01-01 00:00:00', 'utfall', 'x.csv', '', 1, 'sparad')")
        raw.commit()
    finally:
        raw.close()
    assert queries.stamp(engine) == before  # shared for the moment
    time.sleep(0.35)
    assert queries.stamp(engine)[0] == before[0] + 1
