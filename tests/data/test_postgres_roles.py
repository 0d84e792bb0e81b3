"""The PostgreSQL set-up from the README: an owner role migrates, the application's role owns nothing and
cannot get round the locks (issue 17)."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from data_access import audit
from data_access.__main__ import main
from data_access.dataset import set_municipality
from data_access.engine import make_engine, migrate
from data_access.forecast_versions import save_version, verify_versions
from data_access.importer import ACCEPT_ALL, import_file
from data_access.privileges import PrivilegeError, role_problems
from data_access.roles import set_role
from data_access.sample import clear_data
from data_access.scenarios import delete_scenario, rename_scenario, save_scenario
from domain.access import ADMIN, CONTROLLER, Actor
from tests.conftest import PG_SKIP, PG_URL
from tests.forecasting.test_views_and_versions import line

ADA = Actor("ada@kommun.se", ADMIN)
KALLE = Actor("kalle@kommun.se", CONTROLLER)
UTFALL = "period;verksamhet;belopp\n2025-08;A;100\n".encode()


def url_for(schema: str, user: str | None = None) -> str:
    url = make_url(PG_URL)
    if user:
        url = url.set(username=user, password=None)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture
def roles():
    """Two roles with names of their own, a schema the owner owns; all dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    suffix = uuid.uuid4().hex[:10]
    owner, app, schema = f"np_agare_{suffix}", f"np_app_{suffix}", f"t_roles_{suffix}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{owner}" NOLOGIN'))
        connection.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        connection.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{owner}"'))
    yield owner, app, schema
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        for role in (app, owner):
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def test_the_application_role_writes_but_cannot_bypass_the_locks(roles, capsys):
    """Regression for issue 17, finding 2: on PostgreSQL the application's own user owned the audit log
    and could DISABLE TRIGGER; now it owns nothing and every bypass is refused."""
    owner, app, schema = roles
    assert main(["--databas", url_for(schema), "migrate", "--agare", owner, "--app-roll", app]) == 0
    assert "GRANT SELECT, INSERT ON" in capsys.readouterr().out
    engine = make_engine(url_for(schema, app))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar() == app
        owners = set(connection.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = :schema"),
                                        {"schema": schema}).scalars())
        assert owners == {owner}
        assert role_problems(connection, app) == []
        assert role_problems(connection, owner)  # the owner could switch the triggers off; it is not the app
    migrate(engine)  # the application's start-up: already at the newest migration, nothing to do

    # Everything the application does, as the application's role.
    set_role(engine, ADA, "kalle@kommun.se", CONTROLLER)
    set_role(engine, ADA, "kalle@kommun.se", "läsare")
    assert import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL).ok
    corrected = UTFALL.replace(b";100", b";101")  # replaces rows: DELETE on data (the same file again saves nothing)
    assert import_file(engine, "utfall", corrected, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL).ok
    version_id = save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                              actor=KALLE, lines=[line()])
    scenario_id, _ = save_scenario(engine, actor=KALLE, name="HVB", year=2025, cutoff_month=8,
                                   base_label="Statistisk prognos aug 2025", assumptions={"personnel_kr": 1.0})
    rename_scenario(engine, scenario_id, "HVB hem", KALLE)
    delete_scenario(engine, scenario_id, KALLE)
    set_municipality(engine, ADA, "Norrtälje kommun")
    clear_data(engine, ADA)

    attempts = {
        "UPDATE audit_log SET user_name = 'x'": "permission denied",
        "DELETE FROM audit_log": "permission denied",
        "TRUNCATE audit_log": "permission denied",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL": "must be owner",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change": "must be owner",
        "DROP TRIGGER audit_log_no_change ON audit_log": "must be owner",
        "INSERT INTO audit_log (id, at, user_name, action, object) SELECT id, at, 'x', action, object FROM audit_log "
        "ON CONFLICT (id) DO UPDATE SET user_name = 'x'": "permission denied",
        f'SET ROLE "{owner}"': "permission denied",
        "SET session_replication_role = replica": "permission denied",
        "CREATE TRIGGER t BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION namndpanelen_refuse_change()":
            "permission denied",
    }
    for table in ("forecast_versions", "forecast_version_lines", "forecast_version_months",
                  "forecast_version_volumes", "forecast_version_names"):
        column = "id" if table == "forecast_versions" else "version_id"
        attempts[f"UPDATE {table} SET {column} = {column}"] = "permission denied"
        attempts[f"DELETE FROM {table}"] = "permission denied"
        attempts[f"TRUNCATE {table} CASCADE"] = "permission denied"
        attempts[f"ALTER TABLE {table} DISABLE TRIGGER USER"] = "must be owner"
    for table in ("goal_notes", "import_changes"):
        attempts[f"UPDATE {table} SET id = id"] = "permission denied"
        attempts[f"DELETE FROM {table}"] = "permission denied"
        attempts[f"ALTER TABLE {table} DISABLE TRIGGER USER"] = "must be owner"
    attempts["INSERT INTO forecast_version_lines (id, version_id, activity, method, params, actual_ytd_kr, point_kr, "
             "p10_kr, p50_kr, p90_kr, comment) SELECT id, version_id, activity, method, params, actual_ytd_kr, 0, 0, 0, "
             "0, '' FROM forecast_version_lines ON CONFLICT (id) DO UPDATE SET point_kr = 0"] = "permission denied"
    for statement, message in attempts.items():
        with pytest.raises(DBAPIError) as caught:
            with engine.begin() as connection:
                connection.execute(text(statement))
        assert message in str(caught.value), (statement, str(caught.value))

    report = audit.verify(engine)
    assert report.ok and report.entries == 10, report.problems
    assert [c.id for c in verify_versions(engine) if c.problem is None] == [version_id]
    engine.dispose()


def test_a_role_that_could_bypass_the_locks_is_not_given_the_application_grants(roles):
    owner, _app, schema = roles
    engine = make_engine(url_for(schema))
    migrate(engine, owner=owner)
    with pytest.raises(PrivilegeError, match="äger"):
        migrate(engine, owner=owner, app_role=owner)
    with pytest.raises(PrivilegeError, match="superanvändare"):
        migrate(engine, app_role=make_url(PG_URL).username)
    engine.dispose()
