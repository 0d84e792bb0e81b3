"""Importing a file: read, validate whole, then write in one transaction, and log it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, tuple_, update
from sqlalchemy.engine import Connection, Engine

from data_access import audit
from data_access import schema as s
from data_access.files import FileReadError, RawTable, read_table
from data_access.formats import FORMATS, Problem, validate
from domain.access import IMPORT, Actor
from domain.formatting import format_number
from domain.periodisation import periodise
from settings import get_settings


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or why it wrote nothing."""

    kind: str
    file_name: str
    ok: bool
    rows_read: int
    rows_written: int
    problems: list[Problem] = field(default_factory=list)
    periods: tuple[str, str] | None = None

    @property
    def message(self) -> str:
        if self.ok:
            span = f" ({self.periods[0]}–{self.periods[1]})" if self.periods else ""
            return f"{self.file_name}: {self.rows_read} rader lästa, {self.rows_written} rader sparade{span}."
        return f"{self.file_name}: inget sparades, {len(self.problems)} fel hittades."


def preview(kind: str, content: bytes, file_name: str, sheet: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Read and validate without writing: the Data page shows this before the user confirms."""
    if kind not in FORMATS:
        return [], [Problem(file_name, None, None, kind, f'"{kind}" är ingen känd importtyp')]
    limit_mb = get_settings().max_upload_mb
    if len(content) > limit_mb * 1024 * 1024:
        size = format_number(len(content) / 1024 / 1024, 1)
        return [], [Problem(file_name, None, None, f"{size} MB",
                            f"filen är {size} MB, större än gränsen {limit_mb} MB, och läses inte "
                            "(gränsen ställs in med NAMNDPANELEN_MAX_UPLOAD_MB)")]
    try:
        table: RawTable = read_table(content, file_name, sheet)
    except FileReadError as exc:
        return [], [Problem(file_name, None, None, "", str(exc).removeprefix(f"{file_name}: "))]
    return validate(kind, table)


def import_file(engine: Engine, kind: str, content: bytes, file_name: str, *,
                actor: Actor, sheet: str | None = None) -> ImportResult:
    """Import one file. All or nothing: a file with any problem writes no data rows.

    Refused (AccessDenied) unless the actor's role may import; the refusal is in the audit trail.
    """
    audit.authorise(engine, actor, IMPORT, object_=f"{kind}: {file_name}"[:500])
    user = actor.identity
    records, problems = preview(kind, content, file_name, sheet)
    digest = hashlib.sha256(content).hexdigest()
    if problems:
        result = ImportResult(kind, file_name, False, len(records), 0, problems)
        _log(engine, result, digest, user)
        return result
    with engine.begin() as connection:
        written, span = _WRITERS[kind](connection, records)
        result = ImportResult(kind, file_name, True, len(records), written, [], span)
        _log(connection, result, digest, user)
        audit.record(connection, user=user, action="import", object_=f"{kind}: {file_name}",
               after={"rader": len(records), "sparade": written, "period": span, "sha256": digest})
    return result


def _log(target: Engine | Connection, result: ImportResult, digest: str, user: str) -> None:
    message = result.message
    if result.problems:
        message += "\n" + "\n".join(str(p) for p in result.problems[:50])
    values = dict(
        imported_at=dt.datetime.now(dt.timezone.utc), kind=result.kind, file_name=result.file_name[:500],
        content_sha256=digest, rows=result.rows_read, outcome="importerad" if result.ok else "avvisad",
        message=message, user_name=user,
    )
    if isinstance(target, Connection):
        target.execute(insert(s.import_log).values(**values))
    else:
        with target.begin() as connection:
            connection.execute(insert(s.import_log).values(**values))


def _span(months: list[tuple[int, int]]) -> tuple[str, str] | None:
    if not months:
        return None
    first, last = min(months), max(months)
    return f"{first[0]:04d}-{first[1]:02d}", f"{last[0]:04d}-{last[1]:02d}"


def _sum_by_key(records: list[dict], key_fields: tuple[str, ...], value_fields: tuple[str, ...]) -> dict:
    """Several ledger rows with the same key (e.g. one per konto) add up to one stored row."""
    totals: dict[tuple, dict] = {}
    for record in records:
        key = tuple(record[k] for k in key_fields)
        if key not in totals:
            totals[key] = dict(record)
        else:
            for name in value_fields:
                totals[key][name] += record[name]
    return totals


def _register_activities(connection: Connection, records: list[dict]) -> None:
    existing = {row.name: row.area for row in connection.execute(select(s.activities.c.name, s.activities.c.area))}
    next_order = (connection.execute(select(func.max(s.activities.c.sort_order))).scalar() or 0) + 1
    for record in records:
        name, area = record["verksamhet"], record.get("omrade") or ""
        if name not in existing:
            connection.execute(insert(s.activities).values(name=name, area=area, sort_order=next_order))
            existing[name] = area
            next_order += 1
        elif area and existing[name] != area:
            connection.execute(update(s.activities).where(s.activities.c.name == name).values(area=area))
            existing[name] = area


def _register_categories(connection: Connection, records: list[dict]) -> None:
    existing = {row.name for row in connection.execute(select(s.categories.c.name))}
    next_order = (connection.execute(select(func.max(s.categories.c.sort_order))).scalar() or 0) + 1
    for record in records:
        name = record["kategori"]
        values = {"unit": record.get("enhet") or "dygn"}
        if record.get("grupp"):
            values["client_group"] = record["grupp"]
        if name not in existing:
            connection.execute(insert(s.categories).values(name=name, sort_order=next_order, **values))
            existing.add(name)
            next_order += 1
        else:
            connection.execute(update(s.categories).where(s.categories.c.name == name).values(**values))


def _replace(connection: Connection, table, scope_columns: tuple, scopes: set[tuple], rows: list[dict]) -> int:
    """Delete the rows the file covers (per period and key), then insert the new ones."""
    scope_list = sorted(scopes)
    for start in range(0, len(scope_list), 500):
        chunk = scope_list[start:start + 500]
        connection.execute(delete(table).where(tuple_(*scope_columns).in_(chunk)))
    if rows:
        connection.execute(insert(table), rows)
    return len(rows)


def _write_actuals(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_activities(connection, records)
    totals = _sum_by_key(records, ("period", "verksamhet", "kontogrupp"), ("belopp",))
    rows = [dict(year=p.year, month=p.month, activity=a, account_group=g, amount_kr=r["belopp"])
            for (p, a, g), r in totals.items()]
    scopes = {(r["year"], r["month"], r["activity"]) for r in rows}
    c = s.actuals.c
    written = _replace(connection, s.actuals, (c.year, c.month, c.activity), scopes, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


def _actuals_history(connection: Connection, activities: set[str], before_year: int) -> tuple[dict, dict]:
    """Monthly utfall per (activity, account group) and per activity, for seasonal profiles."""
    c = s.actuals.c
    query = (
        select(c.activity, c.account_group, c.year, c.month, func.sum(c.amount_kr).label("amount"))
        .where(c.activity.in_(sorted(activities)), c.year < before_year, c.year >= before_year - 3)
        .group_by(c.activity, c.account_group, c.year, c.month)
    )
    by_group: dict[tuple, dict] = defaultdict(dict)
    by_activity: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for row in connection.execute(query):
        by_group[(row.activity, row.account_group)][(row.year, row.month)] = float(row.amount)
        by_activity[row.activity][(row.year, row.month)] += float(row.amount)
    return by_group, by_activity


def _write_budgets(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_activities(connection, records)
    monthly = [r for r in records if r.get("period") is not None]
    annual = [r for r in records if r.get("period") is None]
    rows: list[dict] = []
    for (p, a, g), r in _sum_by_key(monthly, ("period", "verksamhet", "kontogrupp"), ("belopp",)).items():
        rows.append(dict(year=p.year, month=p.month, activity=a, account_group=g, amount_kr=r["belopp"],
                         profile="månad"))
    annual_totals = _sum_by_key(annual, ("ar", "verksamhet", "kontogrupp"), ("belopp",))
    histories: dict[int, tuple[dict, dict]] = {}
    for (year, activity, group), record in annual_totals.items():
        if year not in histories:
            names = {a for (y, a, _) in annual_totals if y == year}
            histories[year] = _actuals_history(connection, names, year)
        by_group, by_activity = histories[year]
        history = by_group.get((activity, group)) or by_activity.get(activity) or {}
        amounts, profile = periodise(record["belopp"], history, year)
        rows.extend(dict(year=year, month=m, activity=activity, account_group=group, amount_kr=amounts[m - 1],
                         profile=profile) for m in range(1, 13))
    c = s.budgets.c
    # A monthly file replaces the months it names; an annual file replaces the whole year.
    scopes_monthly = {(r["year"], r["month"], r["activity"]) for r in rows if r["profile"] == "månad"}
    scopes_annual = {(r["year"], r["activity"]) for r in rows if r["profile"] != "månad"}
    if scopes_annual:
        _replace(connection, s.budgets, (c.year, c.activity), scopes_annual, [])
    written = _replace(connection, s.budgets, (c.year, c.month, c.activity), scopes_monthly, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


def _write_forecasts(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_activities(connection, records)
    totals = _sum_by_key(records, ("period", "verksamhet", "kontogrupp"), ("belopp",))
    rows = []
    for (p, a, g), r in totals.items():
        rows.append(dict(year=p.year, cutoff_month=p.month, activity=a, account_group=g, amount_kr=r["belopp"],
                         comment=r.get("kommentar") or ""))
    scopes = {(r["year"], r["cutoff_month"], r["activity"]) for r in rows}
    c = s.forecasts_manual.c
    written = _replace(connection, s.forecasts_manual, (c.year, c.cutoff_month, c.activity), scopes, rows)
    return written, _span([(r["year"], r["cutoff_month"]) for r in rows])


def _write_volumes(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_categories(connection, records)
    totals = _sum_by_key(records, ("period", "kategori"), ("dygn", "kostnad"))
    rows = [dict(year=p.year, month=p.month, category=k, care_days=r["dygn"], cost_kr=r["kostnad"])
            for (p, k), r in totals.items()]
    c = s.volumes.c
    written = _replace(connection, s.volumes, (c.year, c.month, c.category),
                       {(r["year"], r["month"], r["category"]) for r in rows}, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


def _write_volume_budgets(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_categories(connection, records)
    rows = [dict(year=r["ar"], category=r["kategori"], care_days=r["dygn"], unit_price_kr=r["pris"]) for r in records]
    c = s.volume_budgets.c
    written = _replace(connection, s.volume_budgets, (c.year, c.category),
                       {(r["year"], r["category"]) for r in rows}, rows)
    return written, _span([(r["year"], 1) for r in rows] + [(r["year"], 12) for r in rows])


def _write_volume_forecasts(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    _register_categories(connection, records)
    rows = [dict(year=r["period"].year, cutoff_month=r["period"].month, category=r["kategori"],
                 care_days=r["dygn"], unit_price_kr=r["pris"]) for r in records]
    c = s.volume_forecasts.c
    written = _replace(connection, s.volume_forecasts, (c.year, c.cutoff_month, c.category),
                       {(r["year"], r["cutoff_month"], r["category"]) for r in rows}, rows)
    return written, _span([(r["year"], r["cutoff_month"]) for r in rows])


def _write_sick_leave(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    values = ("sjuktimmar_dag1_14", "sjuktimmar_dag15_59", "sjuktimmar_dag60", "ordinarie_timmar", "anstallda")
    totals = _sum_by_key(records, ("period", "enhet", "kon", "aldersgrupp", "yrkesgrupp"), values)
    rows = [dict(year=p.year, month=p.month, unit=u, gender=k, age_group=a, occupation=y,
                 sick_hours_day1_14=r["sjuktimmar_dag1_14"], sick_hours_day15_59=r["sjuktimmar_dag15_59"],
                 sick_hours_day60=r["sjuktimmar_dag60"], scheduled_hours=r["ordinarie_timmar"],
                 employees=r["anstallda"])
            for (p, u, k, a, y), r in totals.items()]
    c = s.sick_leave.c
    written = _replace(connection, s.sick_leave, (c.year, c.month, c.unit),
                       {(r["year"], r["month"], r["unit"]) for r in rows}, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


def _write_municipality_sick_leave(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    totals = _sum_by_key(records, ("period",), ("sjuktimmar", "ordinarie_timmar"))
    rows = [dict(year=p.year, month=p.month, sick_hours=r["sjuktimmar"], scheduled_hours=r["ordinarie_timmar"])
            for (p,), r in totals.items()]
    c = s.municipality_sick_leave.c
    written = _replace(connection, s.municipality_sick_leave, (c.year, c.month),
                       {(r["year"], r["month"]) for r in rows}, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


def _write_staff_turnover(connection: Connection, records: list[dict]) -> tuple[int, tuple | None]:
    totals = _sum_by_key(records, ("period", "enhet", "yrkesgrupp"), ("anstallda", "avgangar_extern", "avgangar_intern"))
    rows = [dict(year=p.year, month=p.month, unit=u, occupation=y, employees=r["anstallda"],
                 leavers_external=r["avgangar_extern"], leavers_internal=r["avgangar_intern"])
            for (p, u, y), r in totals.items()]
    c = s.staff_turnover.c
    written = _replace(connection, s.staff_turnover, (c.year, c.month, c.unit),
                       {(r["year"], r["month"], r["unit"]) for r in rows}, rows)
    return written, _span([(r["year"], r["month"]) for r in rows])


_WRITERS = {
    "utfall": _write_actuals,
    "budget": _write_budgets,
    "prognos": _write_forecasts,
    "volymer": _write_volumes,
    "volymbudget": _write_volume_budgets,
    "volymprognos": _write_volume_forecasts,
    "sjukfranvaro": _write_sick_leave,
    "sjukfranvaro_kommun": _write_municipality_sick_leave,
    "personalomsattning": _write_staff_turnover,
}
