"""The goal structure as stored (imported by ``data_access.importer``), and the controllers' notes.

A note is a dated comment on an indicator, an inriktningsmål or an uppdrag/initiativ, with an
overriding bedömning (or, for an uppdrag, a new status and plan). Notes are append-only in the
database itself (migration 0013): the latest per object and year applies, the others are its history.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from data_access import audit
from data_access import schema as s
from data_access.formats import ITEM_PLANS, ITEM_STATUSES
from data_access.limits import text_length
from domain.access import ASSESS_GOALS, Actor
from domain.goals import ASSESSMENTS, LEVELS

MAX_COMMENT = 2000


class GoalNoteError(ValueError):
    """A note that cannot be saved, said in Swedish."""


def structure(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The indicators, their values and the uppdrag/initiativ, as stored."""
    with engine.connect() as connection:
        indicators = pd.read_sql(select(s.goal_indicators).order_by(s.goal_indicators.c.id), connection)
        values = pd.read_sql(select(s.goal_values).order_by(s.goal_values.c.indicator, s.goal_values.c.year,
                                                           s.goal_values.c.month), connection)
        items = pd.read_sql(select(s.goal_items).order_by(s.goal_items.c.id), connection)
    return indicators, values, items


def notes(engine: Engine) -> pd.DataFrame:
    """Every note, oldest first."""
    with engine.connect() as connection:
        return pd.read_sql(select(s.goal_notes).order_by(s.goal_notes.c.id), connection)


def notes_version(engine: Engine) -> int:
    """Changes with every note saved: the key of the page's cache of notes."""
    with engine.connect() as connection:
        return int(connection.execute(select(s.goal_notes.c.id).order_by(s.goal_notes.c.id.desc()).limit(1))
                   .scalar() or 0)


def _text(value: object, limit: int, what: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(value or "")).split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in text):
        raise GoalNoteError(f"{what} innehåller ett osynligt tecken eller styrtecken; skriv utan det.")
    if len(text) > limit:
        raise GoalNoteError(f"{what} är {len(text)} tecken lång; högst {limit} tecken får plats.")
    return text


def _lines(value: object, limit: int, what: str) -> str:
    """A text written over several lines (a comment), each line as ``_text`` makes it and the lines kept apart by
    one line break; blank lines are left out. The pages show the lines as written (``domain.markup.escape_lines``)."""
    lines = [_text(line, limit, what) for line in str(value or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > limit:
        raise GoalNoteError(f"{what} är {len(text)} tecken lång; högst {limit} tecken får plats.")
    return text


def add_note(engine: Engine, *, actor: Actor, level: str, name: str, year: int, comment: str,
             assessment: str | None = None, status: str | None = None, plan: str | None = None) -> int:
    """Save a controller's note; a comment is required, and says why a bedömning was changed.

    Refused (AccessDenied) unless the actor may assess goals; the note and the audit entry are
    written in one transaction."""
    audit.authorise(engine, actor, ASSESS_GOALS, object_=f"{level}: {str(name)[:300]}")
    if level not in LEVELS:
        raise GoalNoteError(f'"{level}" är ingen nivå i målstrukturen.')
    comment = _lines(comment, MAX_COMMENT, "Kommentaren")
    if not comment:
        raise GoalNoteError("Skriv en kommentar: den visas med datum i tabellen och förklarar ändringen.")
    name = _text(name, text_length(s.goal_notes, "name"), "Namnet")
    if assessment is not None and assessment not in ASSESSMENTS:
        raise GoalNoteError(f'"{assessment}" är ingen bedömning (tillåtna: {", ".join(ASSESSMENTS)}).')
    if status is not None and status not in set(ITEM_STATUSES.values()):
        raise GoalNoteError(f'"{status}" är ingen status.')
    if plan is not None and plan not in set(ITEM_PLANS.values()):
        raise GoalNoteError(f'"{plan}" är varken enligt plan eller avvikelse från plan.')
    table = {"indikator": s.goal_indicators, "mal": s.goal_indicators, "uppdrag": s.goal_items}[level]
    column = table.c.goal if level == "mal" else table.c.name
    with engine.begin() as connection:
        known = connection.execute(select(column).where(column == name).limit(1)).first() is not None
        if level == "mal" and not known:
            known = connection.execute(select(s.goal_items.c.goal).where(s.goal_items.c.goal == name).limit(1)
                                       ).first() is not None
        if not known:
            raise GoalNoteError(f'"{name}" finns inte i målstrukturen.')
        note_id = connection.execute(insert(s.goal_notes).values(
            at=dt.datetime.now(dt.timezone.utc), author=actor.identity[:200], level=level, name=name, year=int(year),
            assessment=assessment, status=status, plan=plan, comment=comment).returning(s.goal_notes.c.id)).scalar_one()
        audit.record(connection, user=actor.identity, action="målbedömning sparad", object_=f"{level}: {name}"[:500],
                     after={"år": int(year), "bedömning": assessment, "status": status, "plan": plan,
                            "kommentar": comment})
    return int(note_id)
