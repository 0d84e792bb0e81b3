"""The audit trail: who changed what, when, with before and after. Append-only in the database."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from data_access import schema as s
from domain.access import AccessDenied, Actor, require


def record(connection: Connection, *, user: str, action: str, object_: str = "", before: object = None,
           after: object = None) -> None:
    """Add an entry in the same transaction as the write it describes, so both or neither are kept."""
    def dump(value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    connection.execute(insert(s.audit_log).values(
        at=dt.datetime.now(dt.timezone.utc), user_name=user or "okänd", action=action, object=object_,
        before=dump(before), after=dump(after)))


def entries(engine: Engine, *, action: str | None = None, user: str | None = None, limit: int = 1000) -> pd.DataFrame:
    a = s.audit_log.c
    query = select(a.id, a.at, a.user_name, a.action, a.object, a.before, a.after).order_by(a.id.desc()).limit(limit)
    if action:
        query = query.where(a.action == action)
    if user:
        query = query.where(a.user_name == user)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["id", "at", "user_name", "action", "object", "before", "after"])


def authorise(engine: Engine, actor: Actor, action: str, object_: str = "") -> None:
    """Refuse a write the actor's role does not allow, and keep a record of the refusal."""
    try:
        require(actor, action)
    except AccessDenied:
        with engine.begin() as connection:
            record(connection, user=actor.identity, action="åtgärd nekad", object_=object_,
                   after={"roll": actor.role, "åtgärd": action})
        raise
