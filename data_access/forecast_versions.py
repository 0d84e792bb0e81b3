"""Saved forecast versions: locked, named, never overwritten.

The database refuses to change or delete a saved version (migration 0009), and each version carries
a content hash that a printed paper quotes and ``verify_versions`` recomputes.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import case, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_access import audit
from data_access import schema as s
from data_access.formats import FieldError, name_key, same_but_case, typed_name
from data_access.limits import TITLE_NAME, text_length
from domain.access import SAVE_FORECAST, Actor
from domain.forecast_view import MANAGERS_METHOD, VersionLine
from domain.integrity import VersionCheck, version_hash

MAX_NAME = min(text_length(s.forecast_versions, "name"), TITLE_NAME)


class VersionError(ValueError):
    """A version could not be saved; the message is Swedish."""


class AlreadySavedVersion(VersionError):
    """The same author saved the same forecast under this name a moment ago (a second click on Spara)."""


def save_version(engine: Engine, *, name: str, year: int, cutoff_month: int, data_version: int, actor: Actor,
                 lines: list[VersionLine], note: str = "", volumes: pd.DataFrame | None = None) -> int:
    """Save a new locked version; a name that exists already is refused, never overwritten.

    ``volumes`` (category, month, is_actual, care_days, cost_kr) is the placements' year as it stood
    at the cut-off, kept so that a later forecast's change can be split into volume and price.
    """
    audit.authorise(engine, actor, SAVE_FORECAST, object_=str(name)[:200])
    author = actor.identity
    try:
        name = typed_name(name, MAX_NAME, missing="Versionen måste ha ett namn.")
    except FieldError as exc:
        raise VersionError(str(exc)) from None
    if not lines:
        raise VersionError("Det finns inga prognosrader att spara.")
    header = dict(name=name, year=int(year), cutoff_month=int(cutoff_month), data_version=int(data_version),
                  created_at=dt.datetime.now(dt.timezone.utc), author=author, note=note or "")
    line_rows = [dict(
        activity=line.activity, method=line.method, params=json.dumps(line.params, ensure_ascii=False, sort_keys=True),
        actual_ytd_kr=int(line.actual_ytd_kr), point_kr=int(line.point_kr), p10_kr=int(line.p10_kr),
        p50_kr=int(line.p50_kr), p90_kr=int(line.p90_kr),
        budget_kr=None if line.budget_kr is None else int(line.budget_kr),
        prob_within_target=None if line.prob_within_target is None else float(line.prob_within_target),
        comment=line.comment or "") for line in lines]
    month_rows = [dict(activity=line.activity, month=int(month), is_actual=int(is_actual), amount_kr=int(amount))
                  for line in lines for month, is_actual, amount in line.months]
    volume_rows = [dict(category=str(row.category), month=int(row.month), is_actual=int(row.is_actual),
                        care_days=float(row.care_days), cost_kr=int(row.cost_kr))
                   for row in volumes.itertuples(index=False)] if volumes is not None and not volumes.empty else []
    digest = version_hash(header, line_rows, month_rows, volume_rows)
    with engine.connect() as connection:
        twin = same_but_case(name, connection.execute(select(s.forecast_versions.c.name)
                                                      .order_by(s.forecast_versions.c.id)).scalars())
    if twin is not None and twin != name:  # the same name again is a second click, answered below
        raise _taken(twin)
    try:
        with engine.begin() as connection:
            version_id = connection.execute(insert(s.forecast_versions).values(**header, content_sha256=digest)
                                            .returning(s.forecast_versions.c.id)).scalar_one()
            # A name that differs from a saved one in case only, saved at the same moment, is refused here.
            connection.execute(insert(s.forecast_version_names).values(name_key=name_key(name),
                                                                      version_id=version_id))
            connection.execute(insert(s.forecast_version_lines), [dict(row, version_id=version_id)
                                                                  for row in line_rows])
            audit.record(connection, user=author, action="prognosversion sparad", object_=name,
                   after={"år": year, "brytmånad": cutoff_month, "dataversion": data_version,
                          "prognos, kr": sum(line.point_kr for line in lines),
                          "kommentarer": {line.activity: line.comment for line in lines if line.comment},
                          "kontrollsumma": digest})
            if month_rows:
                connection.execute(insert(s.forecast_version_months), [dict(row, version_id=version_id)
                                                                       for row in month_rows])
            if volume_rows:
                connection.execute(insert(s.forecast_version_volumes), [dict(row, version_id=version_id)
                                                                        for row in volume_rows])
    except IntegrityError as exc:
        if _same_as_saved(engine, header, line_rows):
            raise AlreadySavedVersion(f'Versionen "{name}" är redan sparad och låst.') from exc
        raise _taken(name) from exc
    return int(version_id)


def _taken(name: str) -> VersionError:
    return VersionError(f'Det finns redan en version som heter "{name}". Sparade versioner skrivs aldrig över; '
                        "välj ett annat namn.")


def _same_as_saved(engine: Engine, header: dict, line_rows: list[dict]) -> bool:
    """Whether the version already saved under ``header``'s name holds these very lines, by the same author."""
    v, line = s.forecast_versions.c, s.forecast_version_lines.c
    with engine.connect() as connection:
        saved = connection.execute(select(v.id, v.author, v.year, v.cutoff_month, v.data_version)
                                   .where(v.name == header["name"])).first()
        if saved is None or (saved.author, saved.year, saved.cutoff_month, saved.data_version) != \
                (header["author"], header["year"], header["cutoff_month"], header["data_version"]):
            return False
        stored = connection.execute(select(line.activity, line.point_kr, line.comment)
                                    .where(line.version_id == saved.id)).all()
    return sorted((r.activity, int(r.point_kr), r.comment) for r in stored) == \
        sorted((r["activity"], r["point_kr"], r["comment"]) for r in line_rows)


SAMPLE_VERSIONS = "sample_versions"  # dataset_info: the ids of the versions the sample locked, kept through clear


def sample_ids(info: dict[str, str]) -> set[int]:
    """The ids of every version the sample locked, as ``dataset_info`` keeps them."""
    return {int(i) for i in info.get(SAMPLE_VERSIONS, "").split(",") if i.strip().isdigit()}


def sample_version_ids(connection) -> set[int]:
    """The versions Exempelkommun's sample locked, when the data are no longer the sample's: still locked and
    verified (``verify_versions``), but no period's forecast and no year's 5 % verdict (2026-12-06 walk: after
    ``clear`` a municipality's own 2019–2024 would have been judged against the sample's delårsrapporter)."""
    from data_access.queries import dataset_info_in

    info = dataset_info_in(connection)
    return set() if info.get("sample") == "ja" else sample_ids(info)


def list_versions(engine: Engine, year: int | None = None, *, with_sample: bool = False) -> pd.DataFrame:
    """The saved versions with their totals, oldest first; the sample's once its data are gone are left out
    (``sample_version_ids``) unless ``with_sample``."""
    v, line = s.forecast_versions.c, s.forecast_version_lines.c
    query = (select(v.id, v.name, v.year, v.cutoff_month, v.created_at, v.author, v.note, v.data_version,
                    v.content_sha256, func.sum(line.point_kr).label("point_kr"),
                    func.sum(line.budget_kr).label("budget_kr"), func.count(line.id).label("lines"),
                    func.sum(case((line.method == MANAGERS_METHOD, 1), else_=0)).label("managers_lines"))
             .join(s.forecast_version_lines, line.version_id == v.id)
             .group_by(v.id, v.name, v.year, v.cutoff_month, v.created_at, v.author, v.note, v.data_version,
                       v.content_sha256)
             .order_by(v.id))
    if year is not None:
        query = query.where(v.year == year)
    with engine.connect() as connection:
        hidden = set() if with_sample else sample_version_ids(connection)
        if hidden:
            query = query.where(v.id.not_in(sorted(hidden)))
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["id", "name", "year", "cutoff_month", "created_at", "author", "note",
                                       "data_version", "content_sha256", "point_kr", "budget_kr", "lines",
                                       "managers_lines"])


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


def verify_versions(engine: Engine) -> list[VersionCheck]:
    """Recompute every saved version's content hash from its rows as they stand now.

    Each check also carries the hash written in the audit trail when the version was saved (the
    trail's own chain protects that copy), so a version rewritten together with its stored hash
    is caught as well.
    """
    v, a = s.forecast_versions.c, s.audit_log.c
    children = (s.forecast_version_lines, s.forecast_version_months, s.forecast_version_volumes)
    checks = []
    with engine.connect() as connection:
        audited, logged = {}, set()
        for name, after in connection.execute(select(a.object, a.after).where(a.action == "prognosversion sparad")
                                              .order_by(a.id)):
            logged.add(name)
            try:
                audited.setdefault(name, json.loads(after or "{}").get("kontrollsumma"))
            except ValueError:
                continue
        for header in connection.execute(select(s.forecast_versions).order_by(v.id)).mappings().all():
            rows = [connection.execute(select(table).where(table.c.version_id == header["id"])).mappings().all()
                    for table in children]
            checks.append(VersionCheck(id=int(header["id"]), name=header["name"], stored=header["content_sha256"],
                                       computed=version_hash(header, *rows), audited=audited.get(header["name"]),
                                       logged=header["name"] in logged))
    return checks


def trusted_versions(engine: Engine) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The saved versions the pages and papers may build on (``list_versions``), and why any other was left out.

    A version whose rows, checksum or audit-trail entry do not hold (``verify_versions``) is never a period's
    forecast nor the one the 5 % rule judges: one inserted with SQL past the panel became both, without a word
    (2026-12-07 audit walk).
    """
    problems = {check.id: check.problem for check in verify_versions(engine) if check.problem}
    saved = list_versions(engine)
    return saved[~saved["id"].isin(problems)].reset_index(drop=True), tuple(problems.values())
