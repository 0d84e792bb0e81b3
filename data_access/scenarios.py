"""Saved scenarios: named, with author, time and the base forecast they were made on.

Saving only ever inserts: two users who save at the same moment both keep their scenario
(a name already taken gets a number added). Renaming and deleting are allowed for the author only;
a deleted scenario is hidden, not erased.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access import audit
from data_access import schema as s
from data_access.formats import FieldError, name_key, same_but_case, typed_name
from data_access.limits import TITLE_NAME, text_length
from domain.access import SAVE_SCENARIO, Actor
from domain.scenarios import Scenario

MAX_NAME = min(text_length(s.scenarios, "name"), TITLE_NAME)


class ScenarioStoreError(ValueError):
    """The message is Swedish."""


class AlreadySaved(ScenarioStoreError):
    """The same author has already saved these assumptions for this period (a second click on Spara)."""

    def __init__(self, name: str):
        super().__init__(f'Scenariot är redan sparat som "{name}".')
        self.name = name


def _clean(name: str) -> str:
    try:
        return typed_name(name, MAX_NAME, missing="Scenariot måste ha ett namn.")
    except FieldError as exc:
        raise ScenarioStoreError(str(exc)) from None


def _live_names(connection, but: int | None = None) -> list[str]:
    """The live scenarios' names, but scenario ``but``'s."""
    c = s.scenarios.c
    return list(connection.execute(select(c.name).where(c.deleted == 0, c.id != (but or 0)).order_by(c.id)).scalars())


def save_scenario(engine: Engine, *, actor: Actor, name: str, year: int, cutoff_month: int, base_label: str,
                  assumptions: dict, base_version_id: int | None = None, for_meeting: bool = False) -> tuple[int, str]:
    """Insert a scenario; returns its id and the name it was saved under.

    A name already taken gets a number added. The same assumptions saved again by the same author
    for the same period raise ``AlreadySaved`` instead of making a copy.
    """
    audit.authorise(engine, actor, SAVE_SCENARIO, object_=str(name)[:200])
    Scenario.from_dict(assumptions)  # ScenarioError: only assumptions that can be read back are stored
    author = actor.identity
    wanted = _clean(name)
    payload = json.dumps(assumptions, ensure_ascii=False, sort_keys=True)
    c = s.scenarios.c
    with engine.connect() as connection:
        same = connection.execute(select(c.name).where(
            c.deleted == 0, c.author == author, c.year == year, c.cutoff_month == cutoff_month,
            c.assumptions == payload).order_by(c.id)).first()
    if same is not None:
        raise AlreadySaved(same.name)
    # Each try reads the names once and takes the first free one (free but for case too); a name taken by
    # another save in the same moment, in any case, is met by the unique indexes, and the next try reads again.
    for _ in range(50):
        try:
            with engine.begin() as connection:
                names = _live_names(connection)
                candidate = next(tried for tried in (wanted if n == 1 else f"{wanted} ({n})" for n in range(1, 1000))
                                 if same_but_case(tried, names) is None)
                scenario_id = connection.execute(insert(s.scenarios).values(
                    name=candidate, name_key=name_key(candidate), author=author,
                    created_at=dt.datetime.now(dt.timezone.utc),
                    year=year, cutoff_month=cutoff_month, base_label=base_label, base_version_id=base_version_id,
                    assumptions=payload, for_meeting=int(for_meeting),
                ).returning(s.scenarios.c.id)).scalar_one()
                audit.record(connection, user=author, action="scenario sparat", object_=candidate,
                       after={"år": year, "brytmånad": cutoff_month, "grund": base_label, "antaganden": assumptions})
            return int(scenario_id), candidate
        except IntegrityError:
            continue
    raise ScenarioStoreError(f'Kunde inte spara "{wanted}": för många scenarier med samma namn.')


def list_scenarios(engine: Engine, year: int | None = None) -> pd.DataFrame:
    c = s.scenarios.c
    query = select(c.id, c.name, c.author, c.created_at, c.year, c.cutoff_month, c.base_label, c.base_version_id,
                   c.assumptions, c.for_meeting).where(c.deleted == 0).order_by(c.id)
    if year is not None:
        query = query.where(c.year == year)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "name", "author", "created_at", "year", "cutoff_month", "base_label",
                                        "base_version_id", "assumptions", "for_meeting"])
    frame["assumptions"] = [json.loads(a) for a in frame["assumptions"]]
    return frame


def _own(connection, scenario_id: int, user: str) -> str:
    """The scenario's current name, if ``user`` (an identity) may change it."""
    row = connection.execute(select(s.scenarios.c.author, s.scenarios.c.deleted, s.scenarios.c.name)
                             .where(s.scenarios.c.id == scenario_id)).first()
    if row is None or row.deleted:
        raise ScenarioStoreError("Scenariot finns inte.")
    if row.author != user:
        raise ScenarioStoreError(f"Bara {row.author}, som sparade scenariot, kan ändra eller ta bort det.")
    return row.name


def rename_scenario(engine: Engine, scenario_id: int, new_name: str, actor: Actor) -> str:
    audit.authorise(engine, actor, SAVE_SCENARIO, object_=str(new_name)[:200])
    user = actor.identity
    name = _clean(new_name)
    try:
        with engine.begin() as connection:
            old = _own(connection, scenario_id, user)
            other = same_but_case(name, _live_names(connection, but=scenario_id))
            if other is not None:
                raise ScenarioStoreError(f'Det finns redan ett scenario som heter "{other}".')
            connection.execute(update(s.scenarios).where(s.scenarios.c.id == scenario_id)
                               .values(name=name, name_key=name_key(name)))
            audit.record(connection, user=user, action="scenario omdöpt", object_=name, before={"namn": old},
                   after={"namn": name})
    except IntegrityError as exc:
        raise ScenarioStoreError(f'Det finns redan ett scenario som heter "{name}".') from exc
    return name


def set_for_meeting(engine: Engine, scenario_id: int, for_meeting: bool, actor: Actor) -> None:
    """Show a saved scenario at the meeting, or stop showing it (the author only)."""
    audit.authorise(engine, actor, SAVE_SCENARIO, object_=f"scenario {scenario_id}")
    user = actor.identity
    with engine.begin() as connection:
        name = _own(connection, scenario_id, user)
        before = connection.execute(select(s.scenarios.c.for_meeting)
                                    .where(s.scenarios.c.id == scenario_id)).scalar_one()
        if bool(before) == bool(for_meeting):
            return
        connection.execute(update(s.scenarios).where(s.scenarios.c.id == scenario_id)
                           .values(for_meeting=int(for_meeting)))
        audit.record(connection, user=user, action="scenario ändrat", object_=name,
                     before={"visas på nämndmötet": bool(before)}, after={"visas på nämndmötet": bool(for_meeting)})


def delete_scenario(engine: Engine, scenario_id: int, actor: Actor) -> None:
    audit.authorise(engine, actor, SAVE_SCENARIO, object_=f"scenario {scenario_id}")
    user = actor.identity
    with engine.begin() as connection:
        old = _own(connection, scenario_id, user)
        audit.record(connection, user=user, action="scenario borttaget", object_=old, before={"namn": old})
        connection.execute(update(s.scenarios).where(s.scenarios.c.id == scenario_id)
                           .values(deleted=1, name=s.scenarios.c.name + f" [borttaget {scenario_id}]"))


def scenarios_key(engine: Engine) -> tuple[int, int]:
    """Changes with every save, rename, meeting mark or delete (for caches): the live scenarios' ids, names and
    marks, read whole (a year holds a few dozen) and digested. A sum of the names' lengths missed a rename to a
    name as long as the old."""
    c = s.scenarios.c
    query = select(c.id, c.name, c.for_meeting).where(c.deleted == 0).order_by(c.id)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    digest = hashlib.sha256(repr(rows).encode("utf-8")).digest()
    return len(rows), int.from_bytes(digest[:8], "big")
