"""Read side: parameterised, aggregated SQL returning plain DataFrames and values."""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time

import pandas as pd
from sqlalchemy import case, event, func, literal, select, union_all
from sqlalchemy.engine import Connection, Engine

from data_access import schema as s


def select_frame(engine: Engine, query, columns: list[str]) -> pd.DataFrame:
    """Run a select and return its rows as a DataFrame with ``columns``."""
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=columns)


def _latest_id(table):
    """The newest row's id of a table that only grows (0 when empty): a cache key that changes on a write."""
    return select(func.coalesce(func.max(table.c.id), 0))


def log_change(connection: Connection, *, kind: str, what: str, outcome: str, message: str, user: str) -> None:
    """A line in the import log for a change that is no import (the register, the kommun's name, all data
    removed): the data version changes with it, so every page and every server shows the change."""
    connection.execute(s.import_log.insert().values(
        imported_at=dt.datetime.now(dt.timezone.utc), kind=kind, file_name=what[:500], content_sha256="", rows=0,
        outcome=outcome, message=message, user_name=user[:200]))


def data_version(engine: Engine) -> int:
    """Changes whenever an import (or any other write) is logged: the key of every cache."""
    with engine.connect() as connection:
        return int(connection.execute(_latest_id(s.import_log)).scalar())


def _versions_key():
    """The newest version's id plus the newest version line's: changes when a version is saved, and when a line is
    added to one past the panel (2026-12-07 audit walk: the pages kept showing such a version as it was)."""
    return select(_latest_id(s.forecast_versions).scalar_subquery()
                  + _latest_id(s.forecast_version_lines).scalar_subquery())


def versions_key(engine: Engine) -> int:
    """Changes whenever a forecast version is saved (or a line added to one)."""
    with engine.connect() as connection:
        return int(connection.execute(_versions_key()).scalar())


# How old the stamp that every page run asks for may be. A write in this process is seen at once (see
# ``stamp``); a write through another process (a second replica, the command line) within this time.
STAMP_MAX_AGE = 1.0
_stamps: dict[str, tuple[float, tuple[int, int]]] = {}
_stamps_guard = threading.Lock()
_last_commit = -math.inf


@event.listens_for(Engine, "commit")
def _committed(connection) -> None:
    global _last_commit
    _last_commit = time.monotonic()


def stamp(engine: Engine) -> tuple[int, int]:
    """(data version, saved versions' key) in one query: the keys every page run reads its caches by.

    With 30 sessions opening a page in the same second, each would ask the database; the answer is kept
    for ``STAMP_MAX_AGE`` seconds and shared. Never across a write in this process: an answer is neither
    kept nor used within ``STAMP_MAX_AGE`` of a commit through any engine of the process, so an import or a
    saved version shows on the next page run.
    """
    url = engine.url.render_as_string(hide_password=False)
    now = time.monotonic()
    quiet = now - _last_commit >= STAMP_MAX_AGE
    with _stamps_guard:
        held = _stamps.get(url)
    if quiet and held is not None and now - held[0] < STAMP_MAX_AGE:
        return held[1]
    with engine.connect() as connection:
        answer = connection.execute(select(_latest_id(s.import_log).scalar_subquery(),
                                           _versions_key().scalar_subquery())).one()
    answer = (int(answer[0]), int(answer[1]))
    if quiet:
        with _stamps_guard:
            _stamps[url] = (now, answer)
    return answer


def dataset_info(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dataset_info_in(connection)


def dataset_info_in(connection: Connection) -> dict[str, str]:
    """``dataset_info`` read inside an open connection or transaction."""
    return {row.key: row.value for row in connection.execute(select(s.dataset_info))}


def set_dataset_info(connection: Connection, **values: str) -> None:
    for key, value in values.items():
        connection.execute(s.dataset_info.delete().where(s.dataset_info.c.key == key))
        connection.execute(s.dataset_info.insert().values(key=key, value=value))


def is_empty(engine: Engine) -> bool:
    """True when no data table holds a row (import log aside)."""
    with engine.connect() as connection:
        for name, (table, _month) in s.PERIOD_TABLES.items():
            if name == "import_log":
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar():
                return False
    return True


def summary(engine: Engine) -> dict[str, dict[str, object]]:
    """Row count and first/last period per table (for the CLI and the Data page)."""
    result: dict[str, dict[str, object]] = {}
    with engine.connect() as connection:
        for name, (table, month_column) in sorted(s.PERIOD_TABLES.items()):
            count = connection.execute(select(func.count()).select_from(table)).scalar() or 0
            first = last = None
            if count and name == "import_log":
                low, high = connection.execute(select(func.min(table.c.imported_at), func.max(table.c.imported_at))).one()
                # In UTC with its offset: the Data page and importlogg say local time (2026-12-07 walk: an hour
                # apart with nothing to tell which is which).
                first, last = (_utc(value).isoformat(timespec="seconds") for value in (low, high))
            elif count:
                if month_column is None:
                    low, high = connection.execute(select(func.min(table.c.year), func.max(table.c.year))).one()
                    first, last = str(low), str(high)
                else:
                    index = table.c.year * 100 + table.c[month_column]
                    low, high = connection.execute(select(func.min(index), func.max(index))).one()
                    first, last = f"{low // 100:04d}-{low % 100:02d}", f"{high // 100:04d}-{high % 100:02d}"
            result[name] = {"rows": int(count), "first_period": first, "last_period": last}
    return result


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored time in UTC: SQLite gives it back without its zone, PostgreSQL in the session's."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def summary_json(engine: Engine) -> str:
    return json.dumps(summary(engine), ensure_ascii=False, indent=2, sort_keys=True)


def latest_actual_month(engine: Engine) -> tuple[int, int] | None:
    """The latest booked month (senast bokförda månad)."""
    with engine.connect() as connection:
        value = connection.execute(select(func.max(s.actuals.c.year * 100 + s.actuals.c.month))).scalar()
    return None if value is None else (int(value) // 100, int(value) % 100)


def available_years(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        years = connection.execute(
            union_all(select(s.actuals.c.year.label("year")), select(s.budgets.c.year.label("year")))
            .subquery().select().distinct()
        ).scalars()
        return sorted({int(y) for y in years})


def last_month_of_year(engine: Engine, year: int) -> int | None:
    with engine.connect() as connection:
        value = connection.execute(select(func.max(s.actuals.c.month)).where(s.actuals.c.year == year)).scalar()
    return None if value is None else int(value)


def activities(engine: Engine) -> pd.DataFrame:
    query = select(s.activities.c.name.label("activity"), s.activities.c.area, s.activities.c.sort_order) \
        .order_by(s.activities.c.sort_order)
    return select_frame(engine, query, ["activity", "area", "sort_order"])


def monthly_ledger(engine: Engine, years: list[int]) -> pd.DataFrame:
    """Monthly utfall and budget per activity and account group for ``years`` (ledger sign, kronor).

    Columns: year, month, activity, account_group, actual_kr, budget_kr (NaN where none).
    """
    a, b = s.actuals.c, s.budgets.c
    actual_q = select(a.year, a.month, a.activity, a.account_group, func.sum(a.amount_kr).label("actual_kr"),
                      literal(None).label("budget_kr")).where(a.year.in_(years)) \
        .group_by(a.year, a.month, a.activity, a.account_group)
    budget_q = select(b.year, b.month, b.activity, b.account_group, literal(None).label("actual_kr"),
                      func.sum(b.amount_kr).label("budget_kr")).where(b.year.in_(years)) \
        .group_by(b.year, b.month, b.activity, b.account_group)
    frame = select_frame(engine, union_all(actual_q, budget_q),
                         ["year", "month", "activity", "account_group", "actual_kr", "budget_kr"])
    if frame.empty:
        return frame
    frame["actual_kr"] = pd.to_numeric(frame["actual_kr"], errors="coerce")
    frame["budget_kr"] = pd.to_numeric(frame["budget_kr"], errors="coerce")
    return frame.groupby(["year", "month", "activity", "account_group"], as_index=False).sum(min_count=1)


def manual_forecasts(engine: Engine, year: int | None = None) -> pd.DataFrame:
    """The managers' imported forecasts per cut-off, activity and account group (ledger sign)."""
    f = s.forecasts_manual.c
    query = select(f.year, f.cutoff_month, f.activity, f.account_group, f.amount_kr, f.comment)
    if year is not None:
        query = query.where(f.year == year)
    return select_frame(engine, query.order_by(f.year, f.cutoff_month, f.activity),
                        ["year", "cutoff_month", "activity", "account_group", "amount_kr", "comment"])


def actual_rows(engine: Engine, year: int, through_month: int, activity: str | None = None,
                account_group: str | None = None, month: int | None = None) -> pd.DataFrame:
    """The stored rows behind a figure (drill-down to the data)."""
    a = s.actuals.c
    query = select(a.year, a.month, a.activity, a.account_group, a.amount_kr) \
        .where(a.year == year, a.month <= through_month)
    if activity is not None:
        query = query.where(a.activity == activity)
    if account_group is not None:
        query = query.where(a.account_group == account_group)
    if month is not None:
        query = query.where(a.month == month)
    return select_frame(engine, query.order_by(a.month, a.activity, a.account_group),
                        ["year", "month", "activity", "account_group", "amount_kr"])


def coverage(engine: Engine, year: int) -> pd.DataFrame:
    """Per activity and month of ``year``: whether utfall and budget exist (for data-quality checks)."""
    a, b = s.actuals.c, s.budgets.c
    has_actual = select(a.activity, a.month, literal(1).label("actual"), literal(0).label("budget")) \
        .where(a.year == year).group_by(a.activity, a.month)
    has_budget = select(b.activity, b.month, literal(0).label("actual"), literal(1).label("budget")) \
        .where(b.year == year).group_by(b.activity, b.month)
    union = union_all(has_actual, has_budget).subquery()
    query = select(union.c.activity, union.c.month, func.max(union.c.actual).label("actual"),
                   func.max(union.c.budget).label("budget")).group_by(union.c.activity, union.c.month)
    return select_frame(engine, query, ["activity", "month", "actual", "budget"])




def budget_profiles(engine: Engine, year: int) -> pd.DataFrame:
    """How each verksamhet's budget of ``year`` was spread over the months (``periodisation.periodise``): "månad"
    (read per month), "säsong" or "linjär", once per verksamhet and profile."""
    b = s.budgets.c
    return select_frame(engine, select(b.activity, b.profile).where(b.year == year).distinct()
                        .order_by(b.activity, b.profile), ["activity", "profile"])


def categories(engine: Engine) -> pd.DataFrame:
    c = s.categories.c
    return select_frame(engine, select(c.name, c.client_group, c.unit, c.sort_order, c.activity)
                        .order_by(c.sort_order), ["name", "client_group", "unit", "sort_order", "activity"])


def monthly_volumes(engine: Engine, years: list[int]) -> pd.DataFrame:
    """Care days and cost per category and month (already one row per key in the table)."""
    v = s.volumes.c
    query = select(v.year, v.month, v.category, func.sum(v.care_days).label("care_days"),
                   func.sum(v.cost_kr).label("cost_kr")).where(v.year.in_(years)) \
        .group_by(v.year, v.month, v.category).order_by(v.year, v.month, v.category)
    frame = select_frame(engine, query, ["year", "month", "category", "care_days", "cost_kr"])
    return frame.astype({"care_days": float, "cost_kr": float})


def volume_budgets(engine: Engine) -> pd.DataFrame:
    b = s.volume_budgets.c
    return select_frame(engine, select(b.year, b.category, b.care_days, b.unit_price_kr).order_by(b.year, b.category),
                 ["year", "category", "care_days", "unit_price_kr"])


def volume_forecasts(engine: Engine, year: int, through_month: int) -> tuple[pd.DataFrame, int | None]:
    """The controllers' latest volume forecast made at or before the cut-off."""
    f = s.volume_forecasts.c
    with engine.connect() as connection:
        cutoff = connection.execute(select(func.max(f.cutoff_month))
                                    .where(f.year == year, f.cutoff_month <= through_month)).scalar()
        if cutoff is None:
            return pd.DataFrame(columns=["category", "care_days", "unit_price_kr"]), None
        rows = connection.execute(select(f.category, f.care_days, f.unit_price_kr)
                                  .where(f.year == year, f.cutoff_month == cutoff)).mappings().all()
    return pd.DataFrame(rows, columns=["category", "care_days", "unit_price_kr"]), int(cutoff)


def sick_leave_rows(engine: Engine, years: list[int]) -> pd.DataFrame:
    """Sick-leave hours per group and month (already aggregated groups, never individuals)."""
    k = s.sick_leave.c
    query = select(k.year, k.month, k.unit, k.gender, k.age_group, k.occupation,
                   func.sum(k.sick_hours_day1_14).label("sick_hours_day1_14"),
                   func.sum(k.sick_hours_day15_59).label("sick_hours_day15_59"),
                   func.sum(k.sick_hours_day60).label("sick_hours_day60"),
                   func.sum(k.scheduled_hours).label("scheduled_hours"),
                   func.sum(k.employees).label("employees")) \
        .where(k.year.in_(years)).group_by(k.year, k.month, k.unit, k.gender, k.age_group, k.occupation)
    columns = ["year", "month", "unit", "gender", "age_group", "occupation", "sick_hours_day1_14",
               "sick_hours_day15_59", "sick_hours_day60", "scheduled_hours", "employees"]
    return select_frame(engine, query, columns)


def municipality_sick_leave(engine: Engine) -> pd.DataFrame:
    m = s.municipality_sick_leave.c
    return select_frame(engine, select(m.year, m.month, m.sick_hours, m.scheduled_hours).order_by(m.year, m.month),
                 ["year", "month", "sick_hours", "scheduled_hours"])


def staff_turnover(engine: Engine) -> pd.DataFrame:
    t = s.staff_turnover.c
    query = select(t.year, t.month, t.unit, t.occupation, func.sum(t.employees).label("employees"),
                   func.sum(t.leavers_external).label("leavers_external"),
                   func.sum(t.leavers_internal).label("leavers_internal")) \
        .group_by(t.year, t.month, t.unit, t.occupation).order_by(t.year, t.month)
    return select_frame(engine, query, ["year", "month", "unit", "occupation", "employees", "leavers_external",
                                       "leavers_internal"])


def placement_reconciliation(engine: Engine, year: int, through_month: int) -> pd.DataFrame:
    """Per verksamhet that placement categories belong to: their placement cost and the verksamhet's
    booked gross cost (costs only, income left out) for the same months, in kronor (costs positive).

    Only the months that both sources have booked are compared.
    """
    c, v, a = s.categories.c, s.volumes.c, s.actuals.c
    ledger_months = select(a.month).where(a.year == year, a.month <= through_month).distinct()
    placement_months = select(v.month).where(v.year == year, v.month <= through_month).distinct()
    with engine.connect() as connection:
        months = set(connection.execute(ledger_months).scalars()) & set(connection.execute(placement_months).scalars())
    if not months:
        return pd.DataFrame(columns=["activity", "categories", "placement_kr", "ledger_cost_kr", "months"])
    placements = (select(c.activity, func.count(func.distinct(c.name)).label("categories"),
                         func.sum(v.cost_kr).label("placement_kr"))
                  .join(s.categories, c.name == v.category)
                  .where(v.year == year, v.month.in_(sorted(months)), c.activity != "")
                  .group_by(c.activity).subquery())
    ledger = (select(a.activity, func.sum(case((a.amount_kr > 0, a.amount_kr), else_=0)).label("ledger_cost_kr"))
              .where(a.year == year, a.month.in_(sorted(months)))
              .group_by(a.activity).subquery())
    query = (select(placements.c.activity, placements.c.categories, placements.c.placement_kr,
                    func.coalesce(ledger.c.ledger_cost_kr, 0).label("ledger_cost_kr"))
             .select_from(placements.outerjoin(ledger, ledger.c.activity == placements.c.activity))
             .order_by(placements.c.activity))
    frame = select_frame(engine, query, ["activity", "categories", "placement_kr", "ledger_cost_kr"])
    return frame.assign(months=len(months))
