"""The register of names: verksamheter and insatskategorier as master data, kept by an admin.

An import adds names only when the controller accepts them (see ``importer``); here an admin
adds a name ahead of its first file, sets a verksamhet's område and order, a category's client
group, unit and the verksamhet in the ledger that carries its costs, and removes a name nothing
refers to. Every change is permission-checked and written to the audit trail with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access import audit
from data_access import schema as s
from data_access.formats import FieldError, clean_name, same_but_case
from data_access.limits import max_length
from data_access.queries import log_change
from domain.access import MANAGE_REGISTER, Actor
from domain.formatting import count_text

_TABLE_NAMES = {"actuals": "utfall", "budgets": "budget", "forecasts_manual": "prognoser", "volumes": "volymer",
                "volume_budgets": "volymbudget", "volume_forecasts": "volymprognoser"}

UNITS = ("dygn", "dagar")


class RegisterError(ValueError):
    """A register change that cannot be made; the message is Swedish."""


@dataclass(frozen=True)
class ActivityEntry:
    name: str
    area: str = ""
    sort_order: int | None = None


@dataclass(frozen=True)
class CategoryEntry:
    name: str
    client_group: str = ""
    unit: str = "dygn"
    activity: str = ""
    sort_order: int | None = None


def _clean(value: str, field: str, *, required: bool = True) -> str:
    if not required and not " ".join(str(value or "").split()):
        return ""
    try:
        return clean_name(value, max_length(field))
    except FieldError as exc:
        raise RegisterError(f"{field}: {exc}") from None


def _log(connection, actor: Actor, what: str) -> None:
    """A line in the import log too: the data version changes, so every page shows the new register."""
    log_change(connection, kind="register", what=what, outcome="registerändring", message=f"Registret ändrat: {what}",
               user=actor.identity)


def _users(table_name: str):
    if table_name == "activities":
        return [(t, t.c.activity) for t in (s.actuals, s.budgets, s.forecasts_manual)] + [
            (s.categories, s.categories.c.activity)]
    return [(t, t.c.category) for t in (s.volumes, s.volume_budgets, s.volume_forecasts)]


# The definite form ("kategorien" is no Swedish).
_THE = {"verksamhet": "verksamheten", "kategori": "kategorin"}


def _upsert(connection, actor: Actor, table, kind: str, values: dict, sort_order: int | None, new: bool) -> None:
    """Insert or update one register row (new names go last unless an order is given), audited.

    ``new``: the form for a new name, which never changes a stored one: a name that is stored already, or one
    that differs from a stored name only in case, is refused (a walk added "Familjehemsvård barn och unga "
    with a trailing space as new, and silently moved the stored verksamhet to another område)."""
    name = values["name"]
    before = connection.execute(select(table).where(table.c.name == name)).mappings().first()
    if new:
        same = before["name"] if before else same_but_case(name, connection.execute(select(table.c.name)).scalars())
        if same is not None:
            raise RegisterError(f'{_THE[kind]} "{same}" finns redan i registret; välj den i listan för att ändra den')
    if sort_order is None:
        sort_order = before["sort_order"] if before else (
            connection.execute(select(func.max(table.c.sort_order))).scalar() or 0) + 1
    values = values | {"sort_order": int(sort_order)}
    if before is None:
        connection.execute(insert(table).values(**values))
    else:
        connection.execute(update(table).where(table.c.name == name).values(**values))
    audit.record(connection, user=actor.identity, action="register ändrat", object_=f"{kind}: {name}",
                 before=dict(before) if before else None, after=values)
    _log(connection, actor, f"{kind} {name}")


def save_activity(engine: Engine, actor: Actor, entry: ActivityEntry, *, new: bool = False) -> None:
    """Add a verksamhet (``new``: only add), or change an existing one's område and order."""
    audit.authorise(engine, actor, MANAGE_REGISTER, object_=f"verksamhet: {entry.name}"[:500])
    name, area = _clean(entry.name, "verksamhet"), _clean(entry.area, "omrade", required=False)
    table = s.activities
    with engine.begin() as connection:
        _upsert(connection, actor, table, "verksamhet", {"name": name, "area": area}, entry.sort_order, new)


def save_category(engine: Engine, actor: Actor, entry: CategoryEntry, *, new: bool = False) -> None:
    """Add an insatskategori (``new``: only add), or change its client group, unit, verksamhet and order."""
    audit.authorise(engine, actor, MANAGE_REGISTER, object_=f"kategori: {entry.name}"[:500])
    name = _clean(entry.name, "kategori")
    group = _clean(entry.client_group, "grupp", required=False)
    activity = _clean(entry.activity, "verksamhet", required=False)
    if entry.unit not in UNITS:
        raise RegisterError(f'enhet: "{entry.unit}" är ingen känd enhet (dygn eller dagar)')
    table = s.categories
    with engine.begin() as connection:
        if activity and connection.execute(select(s.activities.c.name).where(s.activities.c.name == activity)).first() \
                is None:
            raise RegisterError(f'verksamheten "{activity}" finns inte i registret')
        _upsert(connection, actor, table, "kategori",
                {"name": name, "client_group": group, "unit": entry.unit, "activity": activity}, entry.sort_order,
                new)


def remove(engine: Engine, actor: Actor, kind: str, name: str) -> None:
    """Remove a verksamhet or kategori that no row refers to; one in use is refused with where."""
    table_name = {"verksamhet": "activities", "kategori": "categories"}[kind]
    audit.authorise(engine, actor, MANAGE_REGISTER, object_=f"{kind}: {name}"[:500])
    table = getattr(s, table_name)
    with engine.begin() as connection:
        before = connection.execute(select(table).where(table.c.name == name)).mappings().first()
        if before is None:
            raise RegisterError(f'{_THE[kind]} "{name}" finns inte i registret')
        for user, column in _users(table_name):
            count = connection.execute(select(func.count()).select_from(user).where(column == name)).scalar()
            if count:
                raise RegisterError(f'{_THE[kind]} "{name}" används av {count_text(count, "rad", "rader")} '
                                    f'({_TABLE_NAMES.get(user.name, user.name)}) och kan inte tas bort')
        try:
            connection.execute(table.delete().where(table.c.name == name))
        except IntegrityError:
            raise RegisterError(f'{_THE[kind]} "{name}" används och kan inte tas bort') from None
        audit.record(connection, user=actor.identity, action="register ändrat", object_=f"{kind}: {name}",
                     before=dict(before), after=None)
        _log(connection, actor, f"{kind} {name} borttagen")
