"""Role assignments: who is läsare, controller or admin, kept in the database and changed by admins.

An identity is an e-mail address or an OIDC subject, compared without case. Anyone who logs in and
has no assignment is a läsare. The administrators named in the configuration are always admins,
so a new installation (and one whose last admin left) can always be managed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from data_access import audit
from data_access import schema as s
from domain.access import ADMIN, MANAGE_ROLES, READER, ROLES, Actor, normalise_identity


class RoleError(ValueError):
    """The message is Swedish."""


def resolve(engine: Engine, *, email: str | None, subject: str | None, name: str = "",
            admins: frozenset[str] = frozenset()) -> Actor:
    """The actor for a logged-in user: configured admin, else the stored role, else läsare."""
    email, subject = normalise_identity(email or ""), normalise_identity(subject or "")
    identity = email or subject
    if not identity:
        raise RoleError("Inloggningen gav varken e-postadress eller användar-id.")
    candidates = [c for c in (email, subject) if c]
    if any(c in admins for c in candidates):
        return Actor(identity=identity, role=ADMIN, name=name)
    r = s.user_roles.c
    with engine.connect() as connection:
        rows = dict(connection.execute(select(r.identity, r.role).where(r.identity.in_(candidates))).all())
    role = next((rows[c] for c in candidates if c in rows), READER)
    return Actor(identity=identity, role=role, name=name)


def assignments(engine: Engine) -> pd.DataFrame:
    r = s.user_roles.c
    with engine.connect() as connection:
        rows = connection.execute(select(r.identity, r.role, r.granted_by, r.granted_at)
                                  .order_by(r.role, r.identity)).mappings().all()
    return pd.DataFrame(rows, columns=["identity", "role", "granted_by", "granted_at"])


def set_role(engine: Engine, actor: Actor, identity: str, role: str) -> str:
    """Give ``identity`` a role (``läsare`` removes the assignment). Returns the stored identity."""
    audit.authorise(engine, actor, MANAGE_ROLES, object_=str(identity)[:200])
    identity = normalise_identity(identity)
    if not identity:
        raise RoleError("Ange en e-postadress eller ett användar-id.")
    if len(identity) > 200:
        raise RoleError("E-postadressen eller användar-id:t får vara högst 200 tecken.")
    if role not in ROLES:
        raise RoleError(f'Okänd roll "{role}". Välj läsare, controller eller admin.')
    if identity == actor.identity and role != ADMIN:
        raise RoleError("Du kan inte ta bort din egen administratörsroll; be en annan administratör.")
    r = s.user_roles.c
    with engine.begin() as connection:
        before = connection.execute(select(r.role).where(r.identity == identity)).scalar()
        if before == role or (before is None and role == READER):
            return identity
        now = dt.datetime.now(dt.timezone.utc)
        if role == READER:
            connection.execute(delete(s.user_roles).where(r.identity == identity))
        elif before is None:
            connection.execute(insert(s.user_roles).values(identity=identity, role=role, granted_by=actor.identity,
                                                           granted_at=now))
        else:
            connection.execute(update(s.user_roles).where(r.identity == identity)
                               .values(role=role, granted_by=actor.identity, granted_at=now))
        audit.record(connection, user=actor.identity, action="roll ändrad", object_=identity,
                     before={"roll": before or READER}, after={"roll": role})
    return identity


def record_login(engine: Engine, actor: Actor, issued_at: int | None) -> None:
    """Record a login once per sign-in (its ID token's issue time), not once per browser tab or reload."""
    when = dt.datetime.fromtimestamp(issued_at, dt.timezone.utc).isoformat() if issued_at else "okänd tid"
    a = s.audit_log.c
    with engine.begin() as connection:
        seen = connection.execute(select(a.id).where(a.action == "inloggning", a.user_name == actor.identity,
                                                     a.object == f"inloggad {when}").limit(1)).first()
        if seen is None:
            audit.record(connection, user=actor.identity, action="inloggning", object_=f"inloggad {when}",
                         after={"roll": actor.role})
