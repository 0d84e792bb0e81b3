"""The audit trail records every write and cannot be changed (issue 9, first part)."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from data_access import schema as s
from data_access.audit import entries
from data_access.forecast_versions import save_version
from data_access.importer import ACCEPT_ALL, import_file
from data_access.scenarios import delete_scenario, rename_scenario, save_scenario
from domain.access import CONTROLLER, LOCAL, Actor

ANNA = Actor("anna", CONTROLLER)
BERTIL = Actor("bertil", CONTROLLER)
from tests.forecasting.test_views_and_versions import line


def test_every_write_is_recorded_with_who_and_what(engine):
    import_file(engine, "utfall", "period;verksamhet;belopp\n2025-08;A;100\n".encode(), "utfall.csv", actor=ANNA, accept=ACCEPT_ALL)
    import_file(engine, "utfall", "period;verksamhet;belopp\n2025-13;A;100\n".encode(), "fel.csv", actor=ANNA, accept=ACCEPT_ALL)
    save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=ANNA,
                 lines=[line(comment="Två placeringar avslutas")])
    scenario_id, _ = save_scenario(engine, actor=BERTIL, name="HVB", year=2025, cutoff_month=8,
                                   base_label="Statistisk prognos aug 2025", assumptions={"personnel_kr": 1.0})
    rename_scenario(engine, scenario_id, "HVB hem", BERTIL)
    delete_scenario(engine, scenario_id, BERTIL)
    log = entries(engine).iloc[::-1]
    assert list(log["action"]) == ["import", "prognosversion sparad", "scenario sparat", "scenario omdöpt",
                                   "scenario borttaget"]  # the rejected import wrote nothing
    assert list(log["user_name"]) == ["anna", "anna", "bertil", "bertil", "bertil"]
    renamed = log[log["action"] == "scenario omdöpt"].iloc[0]
    assert '"HVB"' in renamed["before"] and '"HVB hem"' in renamed["after"]
    assert "Två placeringar avslutas" in log[log["action"] == "prognosversion sparad"].iloc[0]["after"]
    assert list(entries(engine, user="anna")["action"]) == ["prognosversion sparad", "import"]


def test_entries_cannot_be_changed_or_deleted(engine):
    import_file(engine, "utfall", "period;verksamhet;belopp\n2025-08;A;100\n".encode(), "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL)
    for statement in (update(s.audit_log).values(user_name="någon annan"), delete(s.audit_log)):
        with pytest.raises(DBAPIError, match="granskningsloggen kan inte"):
            with engine.begin() as connection:
                connection.execute(statement)
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="granskningsloggen kan inte"):
            with engine.begin() as connection:
                connection.execute(text("TRUNCATE audit_log"))
    assert list(entries(engine)["user_name"]) == ["lokal användare"]
