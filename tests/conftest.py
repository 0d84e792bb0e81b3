"""Shared fixtures: real SQLite databases, PostgreSQL when TEST_DATABASE_URL is set, the sample."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access.engine import make_engine, migrate  # noqa: E402
from data_access.sample import load_sample  # noqa: E402

# The test process itself forks no forecast workers: a forked child keeps copies of the browser
# driver's pipes open, and the driver would then wait for ever at the end of the session. The
# servers that the browser tests start do use them, and one test checks the pool directly.
os.environ["NAMNDPANELEN_FORECAST_WORKERS"] = "1"
# Pages compute what they show; tests/pages/test_forecast_store.py turns the background computation on.
os.environ["NAMNDPANELEN_PRECOMPUTE"] = "0"

REFERENCE = ROOT.parent / "shared" / "reference"
PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_SKIP = "TEST_DATABASE_URL är inte satt: PostgreSQL-testerna hoppas över"


def pytest_report_header(config):
    return [f"PostgreSQL: {PG_URL or 'inte konfigurerad (' + PG_SKIP + ')'}"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def postgres_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Each database test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    load_sample(engine)
    store_latest_forecasts(engine)
    engine.dispose()
    return path


def store_latest_forecasts(engine) -> None:
    """Store the latest period's forecasts and its year's track record as the server's background computation does (the command line's
    path after an import), once per session.

    Every page test then reads them from the database's store (the path of a second server process);
    tests/pages/test_forecast_store.py covers computing and storing them.
    """
    from data_access.forecast_store import compute_latest, compute_record
    from domain.periods import RECORD_CUTOFFS

    compute_latest(engine)
    compute_record(engine, tuple(RECORD_CUTOFFS))


@pytest.fixture
def sample_url(sample_db_file, tmp_path) -> str:
    """A private copy of the loaded sample database."""
    copy = tmp_path / "sample.sqlite3"
    shutil.copy(sample_db_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(scope="session")
def norrtalje_files(tmp_path_factory) -> dict[str, Path]:
    from tests.fixtures.norrtalje import write_canonical_files

    return write_canonical_files(tmp_path_factory.mktemp("norrtalje"))


from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("namndpanelen", deadline=None, max_examples=200)
hypothesis_settings.load_profile("namndpanelen")


@pytest.fixture(scope="session")
def norrtalje_volume_files(tmp_path_factory):
    from tests.fixtures.norrtalje import write_volume_files

    return write_volume_files(tmp_path_factory.mktemp("norrtalje_volumes"))
