"""Roles are enforced in the functions that write, not only by hiding buttons (issue 9)."""

import pytest

from data_access.audit import entries
from data_access.forecast_versions import list_versions, save_version
from data_access.importer import ACCEPT_ALL, import_file
from data_access.queries import summary_json
from data_access.roles import RoleError, assignments, resolve, set_role
from data_access.sample import clear_data
from data_access.scenarios import (
    delete_scenario,
    list_scenarios,
    rename_scenario,
    save_scenario,
)
from domain.access import (
    ADMIN,
    CONTROLLER,
    LOCAL,
    READER,
    AccessDenied,
    Actor,
    configured_admins,
)
from tests.forecasting.test_views_and_versions import line

LISA = Actor("lisa@kommun.se", READER)
KALLE = Actor("kalle@kommun.se", CONTROLLER)
ADA = Actor("ada@kommun.se", ADMIN)
UTFALL = "period;verksamhet;belopp\n2025-08;A;100\n".encode()


def scenario(engine, actor, name="HVB"):
    return save_scenario(engine, actor=actor, name=name, year=2025, cutoff_month=8,
                         base_label="Statistisk prognos aug 2025", assumptions={"personnel_kr": 1.0})


def test_a_reader_is_refused_on_every_write_path_and_nothing_is_written(engine):
    scenario_id, _ = scenario(engine, KALLE)
    before = summary_json(engine)
    refusals = [
        lambda: import_file(engine, "utfall", UTFALL, "utfall.csv", actor=LISA, accept=ACCEPT_ALL),
        lambda: save_version(engine, actor=LISA, name="Min version", year=2025, cutoff_month=8, data_version=1,
                             lines=[line()]),
        lambda: scenario(engine, LISA, "Mitt scenario"),
        lambda: rename_scenario(engine, scenario_id, "Nytt", LISA),
        lambda: delete_scenario(engine, scenario_id, LISA),
        lambda: clear_data(engine, LISA),
        lambda: set_role(engine, LISA, "lisa@kommun.se", ADMIN),
    ]
    for attempt in refusals:
        with pytest.raises(AccessDenied, match="har rollen läsare och får inte"):
            attempt()
    assert summary_json(engine) == before
    assert list_versions(engine).empty and list(list_scenarios(engine)["name"]) == ["HVB"]
    assert assignments(engine).empty
    refused = entries(engine, action="åtgärd nekad")
    assert len(refused) == len(refusals) and set(refused["user_name"]) == {"lisa@kommun.se"}


def test_a_controller_writes_but_cannot_manage_roles_or_clear(engine):
    assert import_file(engine, "utfall", UTFALL, "utfall.csv", actor=KALLE, accept=ACCEPT_ALL).ok
    save_version(engine, actor=KALLE, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                 lines=[line()])
    scenario(engine, KALLE)
    with pytest.raises(AccessDenied, match="kräver rollen admin"):
        set_role(engine, KALLE, "kalle@kommun.se", ADMIN)
    with pytest.raises(AccessDenied):
        clear_data(engine, KALLE)
    actions = list(entries(engine, user="kalle@kommun.se")["action"].iloc[::-1])
    assert actions == ["import", "prognosversion sparad", "scenario sparat", "åtgärd nekad", "åtgärd nekad"]


def test_roles_are_stored_resolved_and_audited(engine):
    admins = configured_admins("Ada@Kommun.se, root-subject")
    assert admins == {"ada@kommun.se", "root-subject"}
    assert resolve(engine, email="Kalle@Kommun.se ", subject="abc", admins=admins).role == READER
    assert set_role(engine, ADA, "  Kalle@Kommun.SE", CONTROLLER) == "kalle@kommun.se"
    assert resolve(engine, email="kalle@kommun.se", subject="abc", admins=admins) == Actor("kalle@kommun.se",
                                                                                            CONTROLLER)
    # no e-mail claim: the subject is the identity
    set_role(engine, ADA, "sub-123", CONTROLLER)
    assert resolve(engine, email=None, subject="sub-123", admins=admins).role == CONTROLLER
    # the configured admin is admin whatever the table says, by e-mail or by subject
    assert resolve(engine, email="ada@kommun.se", subject="x", admins=admins).role == ADMIN
    assert resolve(engine, email="", subject="root-subject", admins=admins).role == ADMIN
    set_role(engine, ADA, "kalle@kommun.se", ADMIN)
    set_role(engine, ADA, "kalle@kommun.se", READER)  # back to the default: the row goes
    assert list(assignments(engine)["identity"]) == ["sub-123"]
    changes = entries(engine, action="roll ändrad").iloc[::-1]
    assert [(r.object, r.before, r.after) for r in changes.itertuples()] == [
        ("kalle@kommun.se", '{"roll": "läsare"}', '{"roll": "controller"}'),
        ("sub-123", '{"roll": "läsare"}', '{"roll": "controller"}'),
        ("kalle@kommun.se", '{"roll": "controller"}', '{"roll": "admin"}'),
        ("kalle@kommun.se", '{"roll": "admin"}', '{"roll": "läsare"}'),
    ]
    assert set(changes["user_name"]) == {"ada@kommun.se"}


def test_bad_role_requests_get_swedish_messages(engine):
    with pytest.raises(RoleError, match="Okänd roll"):
        set_role(engine, ADA, "kalle@kommun.se", "superuser")
    with pytest.raises(RoleError, match="Ange en e-postadress"):
        set_role(engine, ADA, "   ", CONTROLLER)
    with pytest.raises(RoleError, match="din egen administratörsroll"):
        set_role(engine, ADA, "ada@kommun.se", READER)
    with pytest.raises(RoleError, match="varken e-postadress"):
        resolve(engine, email=None, subject=None)
    assert assignments(engine).empty


def test_lokalt_lage_is_one_local_admin(engine):
    assert LOCAL.identity == "lokal användare" and LOCAL.may("manage_roles")
    assert import_file(engine, "utfall", UTFALL, "utfall.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    assert list(entries(engine)["user_name"]) == ["lokal användare"]


def test_hostile_texts_are_stored_as_text_and_change_nothing_else(engine):
    hostile = "'; DROP TABLE scenarios; --"
    _, saved_as = scenario(engine, KALLE, hostile)
    set_role(engine, ADA, "x'); DROP TABLE user_roles; --@kommun.se", CONTROLLER)
    assert saved_as == hostile and list(list_scenarios(engine)["name"]) == [hostile]
    assert list(assignments(engine)["identity"]) == ["x'); drop table user_roles; --@kommun.se"]
    assert entries(engine, action="scenario sparat").iloc[0]["object"] == hostile


def test_a_refused_page_says_what_the_role_sees_and_which_role_the_rest_takes():
    from domain.access import ASSESS_GOALS, CLEAR_DATA, IMPORT, notice

    assert notice(LISA, IMPORT, "ser alla data") == (
        "Du har rollen läsare: du ser alla data men kan inte läsa in filer. Det kräver rollen controller eller "
        "admin; be förvaltningens administratör om behörighet.")
    assert "kan inte ändra dem. Det kräver rollen controller eller admin" in notice(
        LISA, ASSESS_GOALS, "ser bedömningarna", "ändra dem")
    assert "Det kräver rollen admin;" in notice(KALLE, CLEAR_DATA, "ser alla data")
