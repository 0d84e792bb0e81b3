"""The register of names (issue 16): kept by an admin, audit-logged, names checked as imports check them."""

import pytest
from sqlalchemy import select

from data_access import queries
from data_access import schema as s
from data_access.importer import ACCEPT_ALL, import_file, plan_import
from data_access.register import ActivityEntry, CategoryEntry, RegisterError, remove, save_activity, save_category
from domain.access import CONTROLLER, LOCAL, AccessDenied, Actor

KALLE = Actor("kalle@kommun.se", CONTROLLER)


def test_an_admin_adds_a_name_before_its_first_file_and_the_import_then_knows_it(engine):
    version = queries.data_version(engine)
    save_activity(engine, LOCAL, ActivityEntry("Ekonomiskt bistånd", "Individ- och familjeomsorg"))
    assert queries.data_version(engine) > version
    plan = plan_import(engine, "utfall", "period;verksamhet;belopp\n2025-08;Ekonomiskt bistånd;1\n".encode(), "u.csv")
    assert plan.cautions == []
    typo = plan_import(engine, "utfall", "period;verksamhet;belopp\n2025-08;Ekonomiskt bistand;1\n".encode(), "u.csv")
    assert [c.code for c in typo.cautions] == ["namn:verksamhet:Ekonomiskt bistand"]
    with engine.connect() as connection:
        trail = connection.execute(select(s.audit_log.c.action, s.audit_log.c.object)).all()
    assert ("register ändrat", "verksamhet: Ekonomiskt bistånd") in trail


def test_category_mapping_unit_and_order(engine):
    save_activity(engine, LOCAL, ActivityEntry("Institutionsvård barn och unga"))
    save_category(engine, LOCAL, CategoryEntry("HVB barn", "Barn och unga", "dygn", "Institutionsvård barn och unga"))
    save_category(engine, LOCAL, CategoryEntry("HVB barn", "Barn och unga", "dagar", "Institutionsvård barn och unga", 7))
    row = queries.categories(engine).iloc[0]
    assert (row["unit"], row["activity"], row["sort_order"]) == ("dagar", "Institutionsvård barn och unga", 7)
    with pytest.raises(RegisterError, match="finns inte i registret"):
        save_category(engine, LOCAL, CategoryEntry("HVB vuxna", activity="Saknas"))
    with pytest.raises(RegisterError, match="ingen känd enhet"):
        save_category(engine, LOCAL, CategoryEntry("HVB vuxna", unit="timmar"))


def test_names_are_checked_as_imports_check_them(engine):
    for bad in ("Ekonomiskt bist\u0430nd", "A\u200bB", "x" * 201, " "):
        with pytest.raises(RegisterError):
            save_activity(engine, LOCAL, ActivityEntry(bad))
    assert queries.activities(engine).empty


def test_a_name_in_use_cannot_be_removed_one_unused_can(engine):
    assert import_file(engine, "utfall", "period;verksamhet;belopp\n2025-08;A;1\n".encode(), "u.csv", actor=LOCAL,
                       accept=ACCEPT_ALL).ok
    save_activity(engine, LOCAL, ActivityEntry("B"))
    with pytest.raises(RegisterError, match="används av 1 rad "):
        remove(engine, LOCAL, "verksamhet", "A")
    remove(engine, LOCAL, "verksamhet", "B")
    assert list(queries.activities(engine)["activity"]) == ["A"]


def test_a_controller_cannot_change_the_register(engine):
    with pytest.raises(AccessDenied):
        save_activity(engine, KALLE, ActivityEntry("X"))
    with pytest.raises(AccessDenied):
        remove(engine, KALLE, "verksamhet", "X")
    assert queries.activities(engine).empty


def test_a_new_name_never_changes_a_stored_one(engine):
    """2026-12-05 walk with hostile names: "Familjehemsvård barn och unga " (a trailing space) added under
    "Ny …" found the stored verksamhet and moved it to the område "x", without a word. The form for a new
    name refuses a stored name, and one that differs from it only in case; nothing is written."""
    from tests.data.test_import_safety import data_checksum

    save_activity(engine, LOCAL, ActivityEntry("Familjehemsvård barn och unga", "Individ- och familjeomsorg"),
                  new=True)
    before = data_checksum(engine)
    for typed in ("Familjehemsvård barn och unga ", "familjehemsvård barn och unga"):
        with pytest.raises(RegisterError, match='verksamheten "Familjehemsvård barn och unga" finns redan'):
            save_activity(engine, LOCAL, ActivityEntry(typed, "x"), new=True)
    save_category(engine, LOCAL, CategoryEntry("HVB barn", "Barn och unga"), new=True)
    with pytest.raises(RegisterError, match='kategorin "HVB barn" finns redan'):
        save_category(engine, LOCAL, CategoryEntry("hvb BARN", "Vuxna"), new=True)
    assert {k: v for k, v in data_checksum(engine).items() if k != "categories"} == \
        {k: v for k, v in before.items() if k != "categories"}
    assert queries.activities(engine).set_index("activity").loc["Familjehemsvård barn och unga", "area"] == \
        "Individ- och familjeomsorg"
    # The form for a stored name still changes it.
    save_activity(engine, LOCAL, ActivityEntry("Familjehemsvård barn och unga", "IFO"))
    assert queries.activities(engine)["area"].tolist() == ["IFO"]
