"""Saved forecast versions: locked, named, never overwritten."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access import audit
from data_access import schema as s
from domain.access import SAVE_FORECAST, Actor
from domain.forecast_view import VersionLine

MAX_NAME = 200


class VersionError(ValueError):
    """A version could not be saved; the message is Swedish."""


def save_version(engine: Engine, *, name: str, year: int, cutoff_month: int, data_version: int, actor: Actor,
                 lines: list[VersionLine], note: str = "", volumes: pd.DataFrame | None = None) -> int:
    """Save a new locked version; a name that exists already is refused, never overwritten.

    ``volumes`` (category, month, is_actual, care_days, cost_kr) is the placements' year as it stood
    at the cut-off, kept so that a later forecast's change can be split into volume and price.
    """
    audit.authorise(engine, actor, SAVE_FORECAST, object_=str(name)[:200])
    author = actor.identity
    name = " ".join(name.split())
    if not name:
        raise VersionError("Versionen måste ha ett namn.")
    if len(name) > MAX_NAME:
        raise VersionError(f"Namnet får vara högst {MAX_NAME} tecken.")
    if not lines:
        raise VersionError("Det finns inga prognosrader att spara.")
    try:
        with engine.begin() as connection:
            version_id = connection.execute(insert(s.forecast_versions).values(
                name=name, year=year, cutoff_month=cutoff_month, data_version=data_version,
                created_at=dt.datetime.now(dt.timezone.utc), author=author, note=note,
            ).returning(s.forecast_versions.c.id)).scalar_one()
            connection.execute(insert(s.forecast_version_lines), [dict(
                version_id=version_id, activity=line.activity, method=line.method,
                params=json.dumps(line.params, ensure_ascii=False, sort_keys=True),
                actual_ytd_kr=line.actual_ytd_kr, point_kr=line.point_kr, p10_kr=line.p10_kr, p50_kr=line.p50_kr,
                p90_kr=line.p90_kr, budget_kr=line.budget_kr, prob_within_target=line.prob_within_target,
                comment=line.comment,
            ) for line in lines])
            audit.record(connection, user=author, action="prognosversion sparad", object_=name,
                   after={"år": year, "brytmånad": cutoff_month, "dataversion": data_version,
                          "prognos_kr": sum(line.point_kr for line in lines),
                          "kommentarer": {line.activity: line.comment for line in lines if line.comment}})
            connection.execute(insert(s.forecast_version_months), [dict(
                version_id=version_id, activity=line.activity, month=month, is_actual=int(is_actual),
                amount_kr=amount) for line in lines for month, is_actual, amount in line.months])
            if volumes is not None and not volumes.empty:
                connection.execute(insert(s.forecast_version_volumes), [dict(
                    version_id=version_id, category=str(row.category), month=int(row.month),
                    is_actual=int(row.is_actual), care_days=float(row.care_days), cost_kr=int(row.cost_kr),
                ) for row in volumes.itertuples(index=False)])
    except IntegrityError as exc:
        raise VersionError(f'Det finns redan en version som heter "{name}". Sparade versioner skrivs aldrig '
                           "över; välj ett annat namn.") from exc
    return int(version_id)


def versions_key(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.coalesce(func.max(s.forecast_versions.c.id), 0))).scalar())


def list_versions(engine: Engine, year: int | None = None) -> pd.DataFrame:
    v, line = s.forecast_versions.c, s.forecast_version_lines.c
    query = (select(v.id, v.name, v.year, v.cutoff_month, v.created_at, v.author, v.note, v.data_version,
                    func.sum(line.point_kr).label("point_kr"), func.sum(line.budget_kr).label("budget_kr"))
             .join(s.forecast_version_lines, line.version_id == v.id)
             .group_by(v.id, v.name, v.year, v.cutoff_month, v.created_at, v.author, v.note, v.data_version)
             .order_by(v.id))
    if year is not None:
        query = query.where(v.year == year)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["id", "name", "year", "cutoff_month", "created_at", "author", "note",
                                       "data_version", "point_kr", "budget_kr"])


def version_lines(engine: Engine, version_id: int) -> pd.DataFrame:
    line = s.forecast_version_lines.c
    query = select(line.activity, line.method, line.params, line.actual_ytd_kr, line.point_kr, line.p10_kr,
                   line.p50_kr, line.p90_kr, line.budget_kr, line.prob_within_target, line.comment) \
        .where(line.version_id == version_id).order_by(line.activity)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["activity", "method", "params", "actual_ytd_kr", "point_kr", "p10_kr",
                                       "p50_kr", "p90_kr", "budget_kr", "prob_within_target", "comment"])


def version_months(engine: Engine, version_id: int) -> pd.DataFrame:
    month = s.forecast_version_months.c
    query = select(month.activity, month.month, month.is_actual, month.amount_kr) \
        .where(month.version_id == version_id).order_by(month.activity, month.month)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["activity", "month", "is_actual", "amount_kr"])


def version_volumes(engine: Engine, version_id: int) -> pd.DataFrame:
    """The placements' care days and cost per category and month saved with a version (may be empty)."""
    volume = s.forecast_version_volumes.c
    query = select(volume.category, volume.month, volume.is_actual, volume.care_days, volume.cost_kr) \
        .where(volume.version_id == version_id).order_by(volume.category, volume.month)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["category", "month", "is_actual", "care_days", "cost_kr"])
