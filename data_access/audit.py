"""The audit trail: who changed what, when, with before and after. Append-only in the database,
and a hash chain (``domain.integrity``) shows whether anything was changed behind the database's back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from data_access import schema as s
from data_access.engine import serialise
from domain.access import AccessDenied, Actor, require
from domain.integrity import GENESIS, ChainReport, audit_row_hash, checksum_prefix, verify_chain

# Any constant will do: it only has to be the same for every writer of this database.
_APPEND_LOCK = 0x4E414D4E


def _serialise_appends(connection: Connection) -> None:
    """Hold the append lock until this transaction ends, so two writers never chain to the same entry."""
    serialise(connection, _APPEND_LOCK)


def record(connection: Connection, *, user: str, action: str, object_: str = "", before: object = None,
           after: object = None) -> None:
    """Add an entry in the same transaction as the write it describes, so both or neither are kept."""
    def dump(value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    _serialise_appends(connection)
    a = s.audit_log.c
    previous = connection.execute(select(a.row_hash).order_by(a.id.desc()).limit(1)).scalar() or GENESIS
    values = dict(at=dt.datetime.now(dt.timezone.utc), user_name=user or "okänd", action=action, object=object_,
                  before=dump(before), after=dump(after))
    connection.execute(insert(s.audit_log).values(**values, prev_hash=previous,
                                                  row_hash=audit_row_hash(values, previous)))


def entries(engine: Engine, *, action: str | None = None, user: str | None = None, limit: int = 1000) -> pd.DataFrame:
    a = s.audit_log.c
    query = select(a.id, a.at, a.user_name, a.action, a.object, a.before, a.after, a.row_hash) \
        .order_by(a.id.desc()).limit(limit)
    if action:
        query = query.where(a.action == action)
    if user:
        query = query.where(a.user_name == user)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["id", "at", "user_name", "action", "object", "before", "after", "row_hash"])


def verify(engine: Engine) -> ChainReport:
    """Walk the whole trail in id order and report where its hash chain breaks."""
    a = s.audit_log.c
    query = select(a.id, a.at, a.user_name, a.action, a.object, a.before, a.after, a.prev_hash, a.row_hash) \
        .order_by(a.id)
    with engine.connect() as connection:
        return verify_chain(connection.execute(query).mappings())


# The audit entry's name for the digest of what an import replaced (``replaced_digest``).
REPLACED_KEY = "ersatt_sha256"


def replaced_digest(rows) -> str:
    """SHA-256 of what an import replaced, as kept for its undo (``import_changes``): each row's table name, scope
    and replaced rows (JSON text), in the order written. Recorded in the import's audit entry, it finds a row added
    past the panel: the table takes inserts only, and an added row would make an undo put back figures nobody
    imported."""
    return hashlib.sha256(json.dumps([[str(part) for part in row] for row in rows],
                                     ensure_ascii=False).encode("utf-8")).hexdigest()


NOTHING_KEPT = replaced_digest([])  # an import that replaced nothing kept no rows


def kept_for_undo(connection: Connection, import_id: int | None = None) -> dict[int, str]:
    """``replaced_digest`` of the rows kept for each import's undo (of one import when ``import_id`` is given)."""
    c = s.import_changes.c
    query = select(c.import_id, c.table_name, c.scope, c.removed).order_by(c.import_id, c.id)
    if import_id is not None:
        query = query.where(c.import_id == import_id)
    grouped: dict[int, list] = {}
    for row in connection.execute(query):
        grouped.setdefault(int(row.import_id), []).append((row.table_name, row.scope, row.removed))
    return {number: replaced_digest(rows) for number, rows in grouped.items()}


def undo_changed(connection: Connection, import_id: int) -> bool:
    """Whether what the import kept for its undo differs from what its own audit entry recorded; False for an import
    recorded without the digest (before it was kept)."""
    a = s.audit_log.c
    # The entry names the import as ``"import": 15`` (sorted keys); the text narrows the search, the JSON decides.
    query = select(a.after).where(a.action == "import", a.after.contains(f'"import": {int(import_id)}', autoescape=True))
    recorded = next((said.get(REPLACED_KEY) for said in map(_said, connection.execute(query).scalars())
                     if said.get("import") == import_id), None)
    return recorded is not None and kept_for_undo(connection, import_id).get(import_id, NOTHING_KEPT) != recorded


def _said(after: str | None) -> dict:
    try:
        said = json.loads(after or "{}")
    except ValueError:
        return {}
    return said if isinstance(said, dict) else {}


UNDO_CHANGED = ("det som sparades för att kunna ångra importen har ändrats efter importen, så en ångring skulle "
                "lägga tillbaka rader som ingen har importerat")


def verify_import_log(engine: Engine) -> list[str]:
    """Each import the audit trail records, against the import log's row of the same number: who, which file and
    which content, and against what is kept for its undo (``replaced_digest``). The panel's role may write in the import log (an import's message is set once its rows are
    saved), so a row changed there past the panel is found by the chained copy in the audit trail (2026-12-07
    audit walk: a file name and a user rewritten with SQL went unnoticed)."""
    a, log = s.audit_log.c, s.import_log.c
    with engine.connect() as connection:
        logged = {int(row.id): row for row in connection.execute(
            select(log.id, log.kind, log.file_name, log.user_name, log.content_sha256))}
        audited = connection.execute(select(a.user_name, a.object, a.after).where(a.action == "import")
                                     .order_by(a.id)).all()
        kept = kept_for_undo(connection)
    problems = []
    for user, object_, after in audited:
        said = _said(after)
        number = said.get("import")
        if not isinstance(number, int):
            continue  # recorded before the audit trail named the import's number
        recorded = said.get(REPLACED_KEY)
        if recorded is not None and kept.get(number, NOTHING_KEPT) != recorded:
            problems.append(f"Import nr {number} ({object_}): {UNDO_CHANGED}.")
        row = logged.get(number)
        if row is None:
            problems.append(f"Import nr {number} ({object_}) står i granskningsloggen men saknas i importloggen.")
        elif (f"{row.kind}: {row.file_name}"[:500], row.user_name, row.content_sha256) != (
                object_, user[:200], said.get("sha256", row.content_sha256)):
            problems.append(f"Import nr {number}: importloggen ({row.kind}: {row.file_name}, {row.user_name}) stämmer "
                            f"inte med granskningsloggen ({object_}, {user}); importloggen har ändrats efter importen.")
    return problems


def entry_with_hash(engine: Engine, prefix: str) -> int | None:
    """The id of the entry whose hash starts with ``prefix`` (a checksum printed in earlier papers), if any."""
    prefix = checksum_prefix(prefix)
    if prefix is None:
        return None
    a = s.audit_log.c
    with engine.connect() as connection:
        return connection.execute(select(a.id).where(a.row_hash.startswith(prefix, autoescape=True))
                                  .order_by(a.id).limit(1)).scalar()


def authorise(engine: Engine, actor: Actor, action: str, object_: str = "") -> None:
    """Refuse a write the actor's role does not allow, and keep a record of the refusal."""
    try:
        require(actor, action)
    except AccessDenied:
        with engine.begin() as connection:
            record(connection, user=actor.identity, action="åtgärd nekad", object_=object_,
                   after={"roll": actor.role, "åtgärd": action})
        raise
