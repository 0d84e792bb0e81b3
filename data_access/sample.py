"""Loading Exempelkommun's sample files through the same importer a user uses."""

from __future__ import annotations

import json

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine

from data_access import audit
from data_access import schema as s
from data_access.forecast_versions import SAMPLE_VERSIONS, sample_ids
from data_access.importer import ACCEPT_ALL, CLEARED, ImportResult, import_file
from data_access.queries import dataset_info, is_empty, log_change, set_dataset_info
from domain.access import ADMIN, CLEAR_DATA, Actor
from sample_data import CATEGORY_ACTIVITY, MUNICIPALITY, SAMPLE_DIR, SAMPLE_FILES
from sample_data.generate import IFO_ACTIVITIES, KOLADA_GROUP, KOLADA_GROUP_NAME, KOLADA_OWN

SAMPLE_LOADER = Actor(identity="exempeldata", role=ADMIN)


class SampleLoadError(RuntimeError):
    pass


def clear_data(engine: Engine, actor: Actor) -> None:
    """Remove every data row (the import log and the audit trail are kept: they are the history)."""
    audit.authorise(engine, actor, CLEAR_DATA)
    user = actor.identity
    with engine.begin() as connection:
        audit.record(connection, user=user, action="alla data borttagna")
        # A log row of its own: the data version changes, and imports before it can no longer be undone.
        log_change(connection, kind="alla", what="", outcome=CLEARED, message="Alla data borttagna.", user=user)
        for table in (s.actuals, s.budgets, s.forecasts_manual, s.volumes, s.volume_budgets, s.volume_forecasts,
                      s.sick_leave, s.municipality_sick_leave, s.staff_turnover,
                      s.goal_indicators, s.goal_values, s.goal_items, s.kolada_values,
                      s.activities, s.categories):
            connection.execute(delete(table))
        # Which locked versions were the sample's is kept: they stay locked, but no longer count.
        connection.execute(delete(s.dataset_info).where(s.dataset_info.c.key != SAMPLE_VERSIONS))


def load_sample(engine: Engine, *, actor: Actor = SAMPLE_LOADER, replace_sample: bool = True) -> list[ImportResult]:
    """Load the sample into an empty database (or reload it over an earlier sample).

    Refuses to touch a database that holds the municipality's own data.
    """
    if not is_empty(engine):
        info = dataset_info(engine)  # a renamed sample may hold the municipality's own imports beside it
        if info.get("sample") != "ja" or info.get("municipality") != MUNICIPALITY or not replace_sample:
            raise SampleLoadError("Databasen innehåller redan egna data; exempeldata läses bara in i en tom databas.")
        clear_data(engine, actor)
    results = []
    for kind, file_name in SAMPLE_FILES:
        path = SAMPLE_DIR / file_name
        result = import_file(engine, kind, path.read_bytes(), f"sample_data/{file_name}", actor=actor,
                             accept=ACCEPT_ALL)
        if not result.ok:
            raise SampleLoadError("\n".join(str(p) for p in result.problems[:20]) or result.message)
        results.append(result)
    locked = lock_interim_forecasts(engine, actor)
    ids = sorted(sample_ids(dataset_info(engine)) | set(locked))
    with engine.begin() as connection:
        set_dataset_info(connection, municipality=MUNICIPALITY, sample="ja", kolada_municipality=KOLADA_OWN[0],
                         **{SAMPLE_VERSIONS: ",".join(map(str, ids))},
                         kolada_group=",".join(area for area, _name in KOLADA_GROUP),
                         kolada_group_name=KOLADA_GROUP_NAME, kolada_group_id="",
                         kolada_scope=json.dumps(sorted(IFO_ACTIVITIES), ensure_ascii=False))
        for category, activity in CATEGORY_ACTIVITY.items():
            connection.execute(update(s.categories).where(s.categories.c.name == category).values(activity=activity))
    return results


INTERIM_MONTH = 8  # delår 2


def lock_interim_forecasts(engine: Engine, actor: Actor) -> list[int]:
    """Lock, for every closed year, the verksamheternas prognos imported per delår 2 as a saved version
    "Delårsrapport 2 ÅÅÅÅ": what the sample's delårsrapporter printed, kept as a municipality keeps
    its own, so that the nämnd's 5 % rule is judged on locked versions. Each line holds the year's
    utfall to August and the prognos for the rest of the year spread evenly over September–December."""
    from data_access import queries
    from data_access.forecast_versions import save_version
    from domain.forecast_view import managers_line

    years = queries.available_years(engine)
    ledger = queries.monthly_ledger(engine, years)
    forecasts = queries.manual_forecasts(engine)
    from data_access.forecast_versions import list_versions

    version = queries.data_version(engine)
    kept = set(list_versions(engine, with_sample=True)["name"]) if years else set()  # a reload keeps those it locked
    saved = []
    for year in years:
        if f"Delårsrapport 2 {year}" in kept:
            continue
        booked = ledger[(ledger["year"] == year) & ledger["actual_kr"].notna()]
        interim = forecasts[(forecasts["year"] == year) & (forecasts["cutoff_month"] == INTERIM_MONTH)]
        if booked["month"].nunique() < 12 or interim.empty:
            continue
        lines = []
        for activity, rows in interim.groupby("activity", sort=True):
            point = -int(rows["amount_kr"].sum())
            mine = booked[booked["activity"] == activity]
            budget = ledger[(ledger["year"] == year) & (ledger["activity"] == activity)]["budget_kr"].sum(min_count=1)
            months = [(m, -int(mine.loc[mine["month"] == m, "actual_kr"].sum())) for m in range(1, INTERIM_MONTH + 1)]
            lines.append(managers_line(str(activity), months, point, None if budget != budget else -int(budget),
                                       "; ".join(c for c in rows["comment"] if c)))
        saved.append(save_version(engine, name=f"Delårsrapport 2 {year}", year=year, cutoff_month=INTERIM_MONTH,
                                  data_version=version, actor=actor, lines=lines,
                                  note=f"Verksamheternas prognos per augusti {year}, som i delårsrapporten. Låst när "
                                       "exempeldata lästes in: dagen är inläsningens, inte rapportens."))
    return saved


def ensure_ready(engine: Engine, *, load_sample_on_empty: bool) -> None:
    """Migrate, and fill a brand-new database with the sample when so configured."""
    from data_access.engine import SAMPLE_LOCK, exclusive, migrate

    migrate(engine)
    if not load_sample_on_empty:
        return
    with exclusive(engine, SAMPLE_LOCK):  # replicas starting together fill it once
        if is_empty(engine) and not dataset_info(engine):
            load_sample(engine)
