"""Engine creation and schema migration (Alembic, applied at start-up)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text, update
from sqlalchemy.engine import Connection, Engine, make_url

from data_access import schema as s

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Advisory lock keys (PostgreSQL) of the start-up: migrating, and filling a new database.
MIGRATION_LOCK = 0x4E50_0001
SAMPLE_LOCK = 0x4E50_0002


class DatabaseUnavailable(RuntimeError):
    """The database could not be opened or brought up to date; the message says why and what to do, in Swedish."""


# What the database's or the driver's own (English) words mean for the one who installs: the first found is said.
_DATABASE_PROBLEMS = (
    (("could not parse sqlalchemy url", "invalid url"),
     "DATABASE_URL går inte att tolka: skriv den som postgresql://användare@värd:5432/databas eller "
     "sqlite:////sökväg/till/fil.sqlite3"),
    (("password authentication failed", "role \"", "no password supplied"),
     "databasen nekade inloggningen: kontrollera användare och lösenord i DATABASE_URL"),
    (("no schema has been selected", "invalidschemaname", 'schema "'),
     "schemat som DATABASE_URL anger (search_path) finns inte: skapa det eller rätta adressen"),
    (('database "',),
     "databasen i DATABASE_URL finns inte på servern: skapa den (createdb) eller rätta namnet"),
    (("connection refused", "could not connect", "could not translate host name", "timeout expired",
      "name or service not known"),
     "databasservern svarar inte på adressen i DATABASE_URL: kontrollera värd, port och att servern är igång"),
    # The schema left out of the address: the app's role then meets the database's default schema, where it may
    # not create (2026-12-07 install walk: the page said to run the migrations already run).
    (("permission denied for schema public",),
     "databasanvändaren i DATABASE_URL får inte skapa tabeller i schemat public: saknar adressen schemat som "
     "panelen migrerades till (…/databas?options=-csearch_path%3Dnamndpanelen)? Rätta adressen, eller kör "
     "migreringarna som ägarrollen, python -m data_access migrate --agare ÄGARE --app-roll APPROLL, och starta "
     "sedan igen"),
    (("permission denied", "insufficientprivilege", "must be owner"),
     "databasanvändaren i DATABASE_URL får inte skapa eller ändra tabellerna: kör migreringarna som ägarrollen, "
     "python -m data_access migrate --agare ÄGARE --app-roll APPROLL (README, Låsta versioner och granskningslogg), "
     "och starta sedan igen"),
    (("unable to open database file", "readonly database", "read-only", "not a directory", "file exists"),
     "SQLite-filen i DATABASE_URL kan inte öppnas för skrivning: kontrollera att mappen finns och får skrivas"),
)


def database_problem(error: BaseException) -> str:
    """Why the database could not be opened, said for the administrator in Swedish, with the driver's first line
    after it for the log: "databasen i DATABASE_URL finns inte … (FATAL: database "x" does not exist)"."""
    text_ = f"{type(error).__name__}: {error}"
    lowered = text_.lower()
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
    first = first if len(first) <= 200 else first[:199] + "…"
    for needles, said in _DATABASE_PROBLEMS:
        if any(needle in lowered for needle in needles):
            return f"{said} ({first})"
    return f"kunde inte öppna databasen ({first})"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file if needed."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - driver hook
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def serialise(connection: Connection, key: int) -> None:
    """Hold a write lock named ``key`` until this transaction ends; other holders of ``key`` wait.

    PostgreSQL: a transaction-scoped advisory lock (it needs no privilege on any table). SQLite has
    one write lock for the whole database: a statement that writes nothing takes it, and it is held
    to the end of the transaction, so the other writers wait (busy timeout) instead of failing later.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        connection.execute(update(s.dataset_info).where(s.dataset_info.c.key == "\x00").values(value=""))


@contextmanager
def exclusive(engine: Engine, key: int) -> Iterator[None]:
    """Run the block while no other process (of any replica) runs a block with the same ``key``.

    PostgreSQL: a session-level advisory lock held on a connection of its own for the block, so the
    block may commit as often as it likes. SQLite: nothing (one server uses one file).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


class SchemaNotCurrent(RuntimeError):
    """The database is not at the newest migration; the message says where it stands and what to run, in Swedish."""


def schema_version(engine: Engine) -> tuple[str | None, str]:
    """(the migration the database stands at, None before the first; the newest migration), read without writing."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision(), head


def require_current(engine: Engine) -> None:
    """Refuse a database whose schema is not the newest, without creating or changing anything in it.

    For the commands that only read: run as a superuser against a database (or a search_path) with no tables
    yet, migrating first would create the tables where nobody meant them to be.
    """
    current, head = schema_version(engine)
    if current == head:
        return
    run = "kör python -m data_access migrate (på PostgreSQL som ägarrollen, med --agare ÄGARE --app-roll APPROLL)"
    if current is None:
        raise SchemaNotCurrent("databasen i DATABASE_URL har inga av panelens tabeller (är det rätt databas och "
                               f"schema?): {run}")
    raise SchemaNotCurrent(f"databasen står på migrering {current}, den senaste är {head}: {run}")


def migrate(engine: Engine, *, owner: str | None = None, app_role: str | None = None) -> list[str]:
    """Bring the schema to the newest migration (idempotent).

    PostgreSQL only: with ``owner`` the migrations run as that role (``SET LOCAL ROLE``), so that it
    owns every table; with ``app_role`` that role is then given the application's privileges
    (``data_access.privileges``), in the same transaction. Returns the privilege statements run.
    """
    from data_access.privileges import PrivilegeError, grant_application_role

    if (owner or app_role) and engine.dialect.name != "postgresql":
        raise PrivilegeError("Ägarroll och programroll gäller bara PostgreSQL.")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # replicas starting together migrate one at a time
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if owner:
            connection.execute(text(f"SET LOCAL ROLE {connection.dialect.identifier_preparer.quote(owner)}"))
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        return grant_application_role(connection, app_role) if app_role else []
