"""The engine, the data version and the cached loaders every page uses."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from data_access import queries
from data_access.kolada import Settings as ComparisonSettings
from data_access.sample import ensure_ready
from domain.periods import period_label, rows_through
from settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

LOG = logging.getLogger("namndpanelen")

# Loaders whose results every session reads as the same objects (``st.cache_resource``), not as copies
# unpickled for each session (``st.cache_data``, which cost a quarter of a Prognos visit): pages and the
# functions they call read these results and never change them, which tests/pages/test_shared_results.py
# checks by drawing every page and comparing the results before and after.
SHARED = ("budget_overview", "board_forecast", "sick_leave", "sick_leave_view")
# The comparison's settings are part of the meeting's cache keys: read as their one line of text (every field is
# in it), the key is hashed in a sixth of the time Streamlit takes field by field, on every visit to the deck.
SETTINGS_HASH = {ComparisonSettings: repr}


@st.cache_resource(show_spinner="Förbereder databasen (vid första starten: tabellerna och exempeldata) …")
def _engine(url: str, load_sample: bool) -> Engine:
    from data_access.engine import DatabaseUnavailable, database_problem, make_engine

    try:
        engine = make_engine(url)
        ensure_ready(engine, load_sample_on_empty=load_sample)
    except Exception as error:  # said on the page in Swedish, not cached: the next visit tries again
        LOG.exception("Databasen kunde inte öppnas")
        raise DatabaseUnavailable(f"Databasen kunde inte öppnas: {database_problem(error)}.") from error
    return engine


def engine() -> Engine:
    settings = get_settings()
    return _engine(settings.database_url, settings.load_sample_on_empty)


@st.cache_resource(show_spinner=False)
def preload_forecasting() -> threading.Thread:
    """Import the forecast models and start their processes in the background, once per server."""
    from forecasting import parallel

    return parallel.warm_up()


def db_key() -> tuple[str, int]:
    """(database URL, data version): changes after every import, so every cache refreshes."""
    settings = get_settings()
    return settings.database_url, queries.stamp(engine())[0]


@st.cache_data(show_spinner=False)
def dataset_info(key: tuple[str, int]) -> dict[str, str]:
    return queries.dataset_info(engine())


@st.cache_data(show_spinner=False)
def latest_month(key: tuple[str, int]) -> tuple[int, int] | None:
    return queries.latest_actual_month(engine())


@st.cache_data(show_spinner=False)
def years(key: tuple[str, int]) -> list[int]:
    return queries.available_years(engine())


@st.cache_data(show_spinner=False)
def last_month_of_year(key: tuple[str, int], year: int) -> int | None:
    return queries.last_month_of_year(engine(), year)


@st.cache_data(show_spinner=False)
def ledger(key: tuple[str, int], years: tuple[int, ...]) -> pd.DataFrame:
    return queries.monthly_ledger(engine(), list(years))


@st.cache_data(show_spinner=False)
def activities(key: tuple[str, int]) -> pd.DataFrame:
    return queries.activities(engine())


def report_order(key: tuple[str, int]) -> dict[str, int]:
    """Each verksamhet's place in the report (the register's sort order)."""
    acts = activities(key)
    return {str(a): int(o) for a, o in zip(acts["activity"], acts["sort_order"]) if pd.notna(o)}


@st.cache_data(show_spinner=False)
def categories(key: tuple[str, int]) -> pd.DataFrame:
    return queries.categories(engine())


@st.cache_data(show_spinner=False)
def manual_forecasts(key: tuple[str, int], year: int | None = None) -> pd.DataFrame:
    return queries.manual_forecasts(engine(), year)


@st.cache_data(show_spinner=False)
def budget_profiles(key: tuple[str, int], year: int) -> pd.DataFrame:
    return queries.budget_profiles(engine(), year)


@st.cache_data(show_spinner=False)
def summary(key: tuple[str, int]) -> dict:
    return queries.summary(engine())


def has_volumes(key: tuple[str, int]) -> bool:
    """Whether any placements' volumes are read."""
    return bool((summary(key).get("volumes") or {}).get("rows"))


@st.cache_data(show_spinner=False)
def coverage(key: tuple[str, int], year: int) -> pd.DataFrame:
    return queries.coverage(engine(), year)


@st.cache_data(show_spinner=False)
def placement_reconciliation(key: tuple[str, int], year: int, through_month: int) -> pd.DataFrame:
    return queries.placement_reconciliation(engine(), year, through_month)


@st.cache_data(show_spinner=False)
def actual_rows(key: tuple[str, int], year: int, through_month: int, activity: str | None,
                account_group: str | None, month: int | None = None) -> pd.DataFrame:
    return queries.actual_rows(engine(), year, through_month, activity, account_group, month)


@st.cache_data(show_spinner=False)
def import_log(key: tuple[str, int]) -> pd.DataFrame:
    """The import log as the Data page lists it (``import_history``), once per data version."""
    from data_access.importer import import_history

    return import_history(engine())


def audit_chain():
    """The audit trail's hash chain walked as it stands now (never cached)."""
    from data_access.audit import verify

    return verify(engine())


def verification() -> tuple[bool, str, list[str]]:
    """The audit chain and every saved version checked against their hashes; never cached."""
    from data_access.audit import verify, verify_import_log
    from data_access.forecast_versions import verify_versions
    from domain.integrity import verification_summary

    return verification_summary(verify(engine()), verify_versions(engine()), verify_import_log(engine()))


def audit_entries(action: str | None = None, user: str | None = None) -> pd.DataFrame:
    """Never cached: the audit trail is read as it stands."""
    from data_access.audit import entries

    return entries(engine(), action=action, user=user)


@st.cache_resource(show_spinner=False, max_entries=64)
def budget_overview(key: tuple[str, int], year: int, month: int):
    """The Budget mot utfall figures for one period, computed once per data version and shared by every
    session (``SHARED``: read, never changed)."""
    from domain import budget

    frame = ledger(key, (year - 1, year))
    acts = activities(key)
    choice = budget.choose_manual_forecast(manual_forecasts(key, year), year, month, list(acts["activity"]))
    return budget.build_overview(frame, acts, choice, year, month), choice.cutoff_month


@st.cache_resource(show_spinner=False, max_entries=64)
def budget_figure(key: tuple[str, int], year: int, month: int, name: str):
    """A Budget mot utfall chart ("variance", "monthly" or "cumulative"), built once per data version
    and period and shared by every session: ``st.plotly_chart`` reads a figure, it never changes it."""
    from domain import budget as b
    from ui import charts

    overview, _ = budget_overview(key, year, month)
    if name == "variance":
        return charts.variance_chart(overview.activity_variance, overview.variance_ytd, overview.adherence_ytd,
                                     period=period_label(year, month))
    frame = b.cumulative(overview.monthly) if name == "cumulative" else overview.monthly
    return charts.monthly_chart(frame, cumulative=name == "cumulative", forecast_label=overview.forecast_label)


@st.cache_resource(show_spinner=False, max_entries=64)
def placement_trend_figure(key: tuple[str, int], year: int, month: int, category: str):
    """A category's volume trend with its forecast, built once per data version and shared."""
    from ui import charts

    volumes = placement_data(key, year, month)[0]
    table = placement_table(key, year, month)
    unit = table.set_index("category").loc[category, "unit"]
    return charts.volume_trend_chart(volumes[volumes["category"] == category],
                                     category_forecasts(key, year, month).get(category), year, month, unit)


@st.cache_data(show_spinner=False)
def placement_outliers(key: tuple[str, int], year: int, month: int) -> pd.DataFrame:
    """Months of the last two years with a unit price far above the usual (``outlier_months``)."""
    from domain.placements import outlier_months

    outliers = outlier_months(placement_data(key, year, month)[0])
    return outliers[outliers["year"] >= year - 1]


def _year_course(key: tuple[str, int], year: int, month: int):
    """The year's accumulated utfall and budget, the forecast's fan by month label, the board and the
    verksamheternas own year-end (None without one)."""
    from domain import forecast_view as fv
    from domain.periods import MONTH_ABBREVIATIONS

    board = board_forecast(key, year, month)[0]
    manual = manual_at(key, year, month)[0]
    actual, budget_year = fv.cumulative_year(ledger(key, (year,)), year, month)
    # The band's months are blank where the board's spread is untested (``forecast_view.as_stated``).
    monthly = fv.as_stated(board).monthly
    fan = monthly.assign(label=[MONTH_ABBREVIATIONS[p.month - 1] for p in monthly["period"]])
    return actual, budget_year, fan, board, fv.manual_total(manual)


def forecast_fan_figure(key: tuple[str, int], year: int, month: int):
    """Prognos's year chart (utfall, budget and the forecast's fan, the ±5 % around the period's forecast)."""
    return _forecast_fan_figure(key, versions_key(), year, month)


@st.cache_resource(show_spinner=False, max_entries=32)
def _forecast_fan_figure(key: tuple[str, int], vkey: int, year: int, month: int):
    """``forecast_fan_figure``, built once per data version and saved versions, and shared."""
    from ui import charts

    actual, budget_year, fan, board, manual_total = _year_course(key, year, month)
    official = _official_forecast(key, vkey, year, month, True)
    return charts.forecast_fan(actual, budget_year, fan, point=board.point, manual_total=manual_total,
                               locked=official.locked_point if official is not None else None,
                               manual_label=manual_at(key, year, month)[1])


def result_path_figure(key: tuple[str, int], year: int, month: int):
    """The result against budget over the year, as on the meeting's first slide, and its caption; (None, "")
    for a nämnd with no budget."""
    return _result_path_figure(key, versions_key(), year, month)


@st.cache_resource(show_spinner=False, max_entries=32)
def _result_path_figure(key: tuple[str, int], vkey: int, year: int, month: int):
    """``result_path_figure``, built once per data version and saved versions, and shared."""
    from domain import forecast_view as fv
    from ui import charts

    actual, budget_year, fan, board, manual_total = _year_course(key, year, month)
    if board.budget is None:
        return None, ""
    months = _locked_months(key, vkey, year, month)
    path = fv.result_path(actual, budget_year, fan, manual_total,
                          fv.version_course(months) if months is not None else None, manual_at(key, year, month)[1])
    return charts.result_path_chart(path), fv.result_path_caption(path)


def _locked_months(key: tuple[str, int], vkey: int, year: int, month: int) -> pd.DataFrame | None:
    """The months of the period's locked version, when its forecast is one; None otherwise."""
    official = official_forecast(key, year, month)
    return version_months(key, vkey, official.version_id) if official is not None and official.locked else None


@st.cache_resource(show_spinner=False, max_entries=64)
def bridge_figure(start_label: str, start: float, steps: tuple[tuple[str, float], ...], end_label: str, end: float,
                  budget: float | None):
    """A result bridge (``charts.result_bridge_chart``) built once per content and shared by every session: a
    Scenarier visit with the sliders untouched, or set as in another session, draws the same bridge."""
    from ui import charts

    return charts.result_bridge_chart(start_label, start, list(steps), end_label, end, budget)


@st.cache_resource(show_spinner=False, max_entries=64)
def placement_comparison(key: tuple[str, int], year: int, month: int, comparison: str):
    """Placeringar's decomposition, sentence and tables for one comparison (``domain.placements.comparison_view``),
    worked out once per data version and shared by every session."""
    from domain import placements as pl

    return pl.comparison_view(placement_table(key, year, month), comparison)


@st.cache_resource(show_spinner=False, max_entries=64)
def placement_bridge_figure(key: tuple[str, int], year: int, month: int, comparison: str):
    """Placeringar's volume, mix and price bridge for one comparison, built once per data version and shared."""
    from domain import placements as pl
    from ui import charts

    view = placement_comparison(key, year, month, comparison)
    decomposition = view.decomposition
    a_label, b_label = view.labels
    return charts.cost_bridge_chart(pl.cost_bridge(a_label, decomposition.cost_a, pl.bridge_steps(decomposition),
                                                   b_label, decomposition.cost_b))


def _ledger_until(key: tuple[str, int], year: int) -> pd.DataFrame:
    first = years(key)[0] if years(key) else year
    return ledger(key, tuple(range(first, year + 1)))


_computing: dict[tuple, Future] = {}
_computing_guard = threading.Lock()


@st.cache_resource(show_spinner=False)
def _background() -> ThreadPoolExecutor:
    """The threads that fit this server process's models: never a page's own thread.

    A few, so that a long computation (another period, a data version just replaced) never holds
    up the one a page waits for; the fits themselves share the forecast worker processes.
    """
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="prognosberäkning")


def _fetch_or_compute(kind: str, key: tuple[str, int], year: int, month: int):
    from data_access import forecast_store

    try:
        return forecast_store.obtain(engine(), key[1], year, month, kind)[0]
    except Exception:
        LOG.exception("Prognosen (%s, %s-%02d) kunde inte beräknas", kind, year, month)
        raise


def start_forecast(kind: str, key: tuple[str, int], year: int, month: int) -> Future:
    """The result of ``kind`` for the period, read from the store or computed in the background thread.

    One computation per result and process at a time (the store's claim makes it one across
    processes and replicas); a page only ever waits for it. A computation that failed is started
    again by the next request.
    """
    return _in_background((key, year, month, kind), _fetch_or_compute, kind, key, year, month)


def _in_background(entry: tuple, function, *arguments) -> Future:
    """``function(*arguments)`` in a background thread, once at a time per ``entry``.

    The callback that forgets a finished computation is added after the guard is let go: a future already done
    runs it at once in this thread, and ``_forget`` takes the guard. Added under it, a result read from the store
    before the callback was added held the guard for ever, and with it every page that asked for a forecast and
    the server's stop (2026-12-07 walk: Varför ändrades prognosen waited with no bar, and SIGTERM left the
    process running)."""
    with _computing_guard:
        future = _computing.get(entry)
        submitted = future is None or (future.done() and future.exception() is not None)
        if submitted:
            future = _background().submit(function, *arguments)
            _computing[entry] = future
    if submitted:
        future.add_done_callback(lambda done: _forget(entry, done))
    return future


def _forget(entry: tuple, future: Future) -> None:
    """A finished result lives on in the loaders' caches and the store, not here; only that it is done."""
    if future.exception() is None:
        with _computing_guard:
            if len(_finished) > 1000:
                _finished.clear()
            _finished.add(entry)
            if _computing.get(entry) is future:
                del _computing[entry]


_finished: set[tuple] = set()


def forecast_to_wait_for(kind: str, key: tuple[str, int], year: int, month: int) -> Future | None:
    """The computation of the period's ``kind`` that a page has to wait for, or None when this process
    has it already (read from the store or computed)."""
    if (key, year, month, kind) in _finished:
        return None
    return start_forecast(kind, key, year, month)


def typical_seconds(kind: str) -> float | None:
    from data_access import forecast_store

    return forecast_store.typical_seconds(engine(), kind)


@st.cache_resource(show_spinner=False, max_entries=32)
def board_forecast(key: tuple[str, int], year: int, month: int):
    """The statistical forecast of every verksamhet at the cut-off, fitted once per data version and shared
    by every session (``SHARED``)."""
    from forecasting.board import series_by_activity

    board = start_forecast("nämnd", key, year, month).result()
    frame = _ledger_until(key, year)
    return board, series_by_activity(frame, "actual_kr", pd.Period(year=year, month=month, freq="M"))


_ready: set[tuple] = set()


def forecast_ready(key: tuple[str, int], year: int, month: int) -> bool:
    """Whether the statistical forecast of the period is computed (by any process), without computing it.

    Once stored, a data version's forecast stays stored: the database is asked until it is, not on every rerun.
    """
    from data_access import forecast_store
    from forecasting import serial

    if (key, year, month) not in _ready and forecast_store.exists(engine(), key[1], year, month, "nämnd",
                                                                  serial.CODE_VERSION):
        _ready.add((key, year, month))
    return (key, year, month) in _ready


def official_forecast(key: tuple[str, int], year: int, month: int, *, wait: bool = True):
    """The period's forecast by the one rule (``domain.forecast_view.OfficialForecast``).

    With ``wait=False`` a statistical forecast that is not computed yet is not waited for: the result
    is then the locked version, or None.
    """
    return _official_forecast(key, versions_key(), year, month, wait or forecast_ready(key, year, month))


@st.cache_resource(show_spinner=False, max_entries=64)
def _official_forecast(key: tuple[str, int], vkey: int, year: int, month: int, statistical: bool):
    """The rule applied once per data version, saved versions and period: a small frozen answer that every
    session shares, instead of each reading the whole board forecast back from the cache."""
    import dataclasses

    from data_access.forecast_versions import version_lines
    from domain.forecast_view import official_forecast as rule

    board = board_forecast(key, year, month)[0] if statistical else None
    official = rule(versions(key, vkey), year, month, board.point if board is not None else None)
    if official is None:
        return None
    corrected = 0.0
    if official.locked:
        saved = version_lines(engine(), official.version_id)
        lines = zip(saved["activity"], saved["point_kr"].astype(float))
        # The utfall the version was made on against the same verksamheter's utfall booked now.
        booked = budget_overview(key, year, month)[0].activity_variance.set_index("activity")["actual_ytd"]
        now = booked.reindex(saved["activity"]).fillna(0.0)
        corrected = float(now.sum() - saved["actual_ytd_kr"].astype(float).sum())
    else:
        lines = ((activity, float(line.point)) for activity, line in board.lines.items())
    return dataclasses.replace(official, lines=tuple(sorted(lines)), corrected_kr=corrected)


@st.cache_resource(show_spinner=False, max_entries=4)
def precompute(key: tuple[str, int]) -> bool:
    """Start the latest period's forecasts in the background thread (``start_forecast``), and when the nämnd's is
    done, its year's track record at each cut-off month, one after the other.

    Called by every page's footer: after a server start or an import the forecasts are being fitted
    (or read from the store) while the first page is read, so Prognos, Scenarier and nämndläge open
    without waiting for a fit. Once per data version and process.
    """
    latest = latest_month(key)
    if latest is None:
        return True
    from domain.periods import DELAR_2, RECORD_CUTOFFS

    _newest[key[0]] = key
    board = start_forecast("nämnd", key, *latest)
    start_forecast("kategorier", key, *latest)
    cutoffs = tuple(sorted(RECORD_CUTOFFS, key=lambda month: month != DELAR_2))
    board.add_done_callback(lambda _: _records(key, latest[0], cutoffs))
    return True


_newest: dict[str, tuple[str, int]] = {}  # per database, the data version whose track records are being computed


def _records(key: tuple[str, int], year: int, cutoffs: tuple[int, ...]) -> None:
    """The year's track record at each cut-off month in turn, delår 2's first, so that a forecast asked for
    meanwhile waits behind one cut-off's fits at most. Each starts when the one before is done, from its
    callback: no background thread ever waits for another's job (after a run of imports, four threads each
    waiting for a cut-off queued behind them held every page that needed a forecast, 2026-12-06 walk). A data
    version replaced by a newer one stops its chain."""
    from data_access.forecast_store import RECORD

    if not cutoffs or _newest.get(key[0]) != key:
        return
    start_forecast(RECORD, key, year, cutoffs[0]).add_done_callback(
        lambda done: None if done.exception() is not None else _records(key, year, cutoffs[1:]))


@st.cache_resource(show_spinner=False, max_entries=32)
def forecast_lines(key: tuple[str, int], vkey: int, year: int, month: int):
    """Prognos's table per verksamhet (``forecast_view.forecast_lines_table``, with the locked version's
    column when one is the period's forecast) and how many verksamheter's own forecasts lie outside
    P10–P90: built once per data version, saved versions and period, shared by every session."""
    from domain import forecast_view as fv

    official = _official_forecast(key, vkey, year, month, True)
    table = fv.forecast_table(board_forecast(key, year, month)[0], manual_at(key, year, month)[0], official,
                              report_order(key))
    label = official.label if official is not None and official.locked else ""
    return fv.forecast_lines_table(table, label), fv.outside_count(table)


@st.cache_data(show_spinner=False)
def manual_at(key: tuple[str, int], year: int, month: int) -> tuple[pd.DataFrame, str]:
    """The managers' latest forecast at or before the cut-off, net per verksamhet (report sign)."""
    from domain.budget import choose_manual_forecast

    choice = choose_manual_forecast(manual_forecasts(key, year), year, month, [])
    frame = choice.per_activity_group.groupby("activity", as_index=False)["forecast_kr"].sum() \
        if not choice.per_activity_group.empty else pd.DataFrame(columns=["activity", "forecast_kr"])
    return frame, choice.label


@st.cache_data(show_spinner=False)
def track_record(key: tuple[str, int], year: int, cutoff_month: int) -> pd.DataFrame:
    """The nämnd's forecast at the cut-off for each year before ``year`` against its December outcome
    (``forecast_view.track_record``), from the verksamheter's track record stored once per data version
    (``forecast_store.RECORD``; computed in the background thread, the page waits)."""
    from data_access.forecast_store import RECORD
    from domain.forecast_view import track_record as record

    return record(start_forecast(RECORD, key, year, cutoff_month).result(), cutoff_month)


def versions_key() -> int:
    """Changes whenever a forecast version is saved (``queries.stamp``)."""
    return queries.stamp(engine())[1]


def versions(key: tuple[str, int], vkey: int) -> pd.DataFrame:
    """The saved versions that hold under verification (``forecast_versions.trusted_versions``)."""
    return _checked_versions(key, vkey)[0]


@st.cache_data(show_spinner=False)
def version_problems(key: tuple[str, int], vkey: int) -> tuple[str, ...]:
    """Why a saved version is left out of every page and the papers; empty when every version holds. Kept apart
    from the versions themselves: every page's banner asks for it on every rerun, and a cached result is
    copied out whole each time it is read."""
    return _checked_versions(key, vkey)[1]


@st.cache_data(show_spinner=False)
def _checked_versions(key: tuple[str, int], vkey: int) -> tuple[pd.DataFrame, tuple[str, ...]]:
    from data_access.forecast_versions import trusted_versions

    return trusted_versions(engine())


@st.cache_data(show_spinner=False)
def version_months(key: tuple[str, int], vkey: int, version_id: int) -> pd.DataFrame:
    from data_access.forecast_versions import version_months as months_of

    return months_of(engine(), version_id)


@st.cache_data(show_spinner=False)
def version_volumes(key: tuple[str, int], vkey: int, version_id: int) -> pd.DataFrame:
    from data_access.forecast_versions import version_volumes as volumes_of

    return volumes_of(engine(), version_id)


def compared_year(key: tuple[str, int], vkey: int, year: int, month: int, chosen: int) \
        -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """What Varför ändrades prognosen compares the period's forecast with (``forecast_view.change_choices``): the
    months of a saved version, its placements' months and whose forecast it holds; or for ``LAST_MONTH`` the
    statistical forecast a month earlier on today's bookings, with its placements (computed in the background, once
    per data version: wait for both with ``layout.await_forecasts`` first)."""
    from domain import forecast_view as fv

    if chosen == fv.LAST_MONTH:
        before = fv.month_before(month)
        board, actuals = board_forecast(key, year, before)
        return fv.current_months(board, actuals), placement_months(key, year, before), "Statistisk prognos"
    same_year = fv.versions_of_year(versions(key, vkey), year)
    return (version_months(key, vkey, chosen), version_volumes(key, vkey, chosen),
            fv.basis_of(same_year, chosen))


@st.cache_data(show_spinner=False)
def year_outcomes(key: tuple[str, int]) -> dict[int, float]:
    """Full-year net result (report sign) of every year with twelve booked months."""
    frame = ledger(key, tuple(years(key)))
    booked = frame.dropna(subset=["actual_kr"])
    complete = booked.groupby("year")["month"].nunique()
    totals = -booked.groupby("year")["actual_kr"].sum()
    return {int(y): float(totals[y]) for y in complete.index if complete[y] == 12}


def outcomes_known(key: tuple[str, int], year: int, month: int) -> dict[int, float]:
    """``year_outcomes`` as the period chosen knew them: the chosen year's December is no outcome before December
    is the month chosen (a link to aug 2024 judged 2024 on its December result, beside a first slide that still
    forecast it), and later years are none."""
    return {y: v for y, v in year_outcomes(key).items() if y < year or (y == year and month == 12)}


@st.cache_data(show_spinner=False)
def interim_forecasts(key: tuple[str, int]) -> dict[int, float]:
    """The verksamheternas prognos imported per delår 2 for the whole nämnd, per year (``domain.goals``):
    what the 5 % rule judges for a year without a locked delår 2-version."""
    from domain import goals

    return goals.imported_interim_forecasts(manual_forecasts(key), ledger(key, tuple(years(key))))


@st.cache_data(show_spinner=False)
def five_percent_history(key: tuple[str, int], vkey: int, year: int, month: int):
    """The 5 % rule for every year up to the period's, as the period knew it (``domain.goals``), once per data version
    and saved versions."""
    from domain import goals

    return goals.five_percent_history(versions(key, vkey), outcomes_known(key, year, month),
                                      [y for y in years(key) if y <= year], interim_forecasts(key),
                                      period=(year, month))


def rule_judges_managers(key: tuple[str, int], year: int, month: int, official) -> bool:
    """Whether the 5 % rule judges the period's verksamheternas prognos (``goals.judges_managers``), as the meeting's
    first slide decides it."""
    from domain import goals

    return goals.judges_managers(five_percent_history(key, versions_key(), year, month), year, month, official)


@st.cache_data(show_spinner=False)
def goal_indicators(key: tuple[str, int], vkey: int, year: int, month: int, forecast_adherence: float | None,
                    forecast_label: str):
    """The indicators the product computes itself and the 5 % rule for every year, once per data version
    and saved versions (``domain.goals``)."""
    from domain import goals

    booked = ledger(key, tuple(years(key)))
    history = five_percent_history(key, vkey, year, month)
    rows, _, turnover_rows = sick_leave(key)
    indicators = goals.computed_indicators(booked, forecast_adherence, history, rows, turnover_rows, year, month,
                                           forecast_label)
    return indicators, history


def goal_notes_key() -> int:
    """Changes with every note a controller saves on Mål och indikatorer (one small query per run)."""
    from data_access import goals as stored_goals

    return stored_goals.notes_version(engine())


def indicator_year_ends(structure: pd.DataFrame, values: pd.DataFrame, year: int, month: int) -> dict:
    """Each imported indicator's statistical year-end from its months (``forecasting.indicators``): a few
    arithmetic operations per indicator, no model fit."""
    from forecasting.indicators import year_ends

    if structure.empty or values.empty:
        return {}
    imported = structure[structure["computed"] == ""]
    bounds = {r.name: ((0.0, 100.0) if r.unit == "procent" else (None, None) if r.unit == "kr" else (0.0, None))
              for r in imported.itertuples()}
    monthly = values[(values["month"] > 0) & values["indicator"].isin(bounds)]
    return {name: (f.point, f.p10, f.p90, f.months) for name, f in year_ends(monthly, bounds, year, month).items()}


@st.cache_resource(show_spinner=False, max_entries=32)
def goal_summary_figure(key: tuple[str, int], vkey: int, nkey: int, year: int, month: int,
                        forecast_adherence: float | None, forecast_label: str):
    """The goals per målområde as a chart (``charts.goal_summary_chart``), built once and shared."""
    from ui import charts

    return charts.goal_summary_chart(goal_page(key, vkey, nkey, year, month, forecast_adherence,
                                               forecast_label).summary)


@st.cache_resource(show_spinner=False, max_entries=16)
def goal_page(key: tuple[str, int], vkey: int, nkey: int, year: int, month: int,
              forecast_adherence: float | None, forecast_label: str):
    """Mål och indikatorer's goals, sentences and tables (``domain.goals.page_view``), worked out once per
    data version, notes and period and shared by every session."""
    from domain import goals

    return goals.page_view(*goal_follow_up(key, vkey, nkey, year, month, forecast_adherence, forecast_label),
                           year, month, latest_month(key))


@st.cache_data(show_spinner=False)
def goal_follow_up(key: tuple[str, int], vkey: int, nkey: int, year: int, month: int,
                   forecast_adherence: float | None, forecast_label: str):
    """The goal structure with every indicator's bedömning and the controllers' notes applied
    (``domain.goals.build_goals``): the goals, the computed indicators no goal holds, the uppdrag and
    initiativ no goal holds, the notes and the 5 % rule's history."""
    from data_access import goals as stored_goals
    from domain import goals

    computed, history = goal_indicators(key, vkey, year, month, forecast_adherence, forecast_label)
    structure, values, items = stored_goals.structure(engine())
    notes = stored_goals.notes(engine())
    built, unplaced, orphans = goals.build_goals(structure, values, items, notes, computed, year, month,
                                                 year_ends=indicator_year_ends(structure, values, year, month))
    return built, unplaced, orphans, notes, history


@st.cache_data(show_spinner=False)
def placement_data(key: tuple[str, int], year: int, month: int):
    """Volumes of this and last year, budgets, the controllers' forecast and categories."""
    engine_ = engine()
    volumes = queries.monthly_volumes(engine_, list(range(years(key)[0] if years(key) else year, year + 1)))
    forecasts, cutoff = queries.volume_forecasts(engine_, year, month)
    return volumes, queries.volume_budgets(engine_), forecasts, cutoff, queries.categories(engine_)


@st.cache_data(show_spinner=False)
def placement_table(key: tuple[str, int], year: int, month: int) -> pd.DataFrame:
    """The Volymer / Mått och à-pris table with the statistical forecast beside the controllers'."""
    from domain.placements import volume_tables

    volumes, budgets, forecasts, _, cats = placement_data(key, year, month)
    table = volume_tables(volumes, budgets, forecasts, cats, year, month)
    if table.empty:
        return table
    statistical = category_forecasts(key, year, month)
    table["stat_days"] = [statistical[c].days.point if c in statistical else float("nan") for c in table["category"]]
    table["stat_price"] = [statistical[c].price if c in statistical else float("nan") for c in table["category"]]
    return table


@st.cache_data(show_spinner=False)
def category_forecasts(key: tuple[str, int], year: int, month: int):
    return start_forecast("kategorier", key, year, month).result()


@st.cache_data(show_spinner=False)
def placement_months(key: tuple[str, int], year: int, month: int) -> pd.DataFrame:
    """The placements' year at the cut-off (booked, then forecast), as saved with a forecast version."""
    from domain.forecast_view import placement_months as months_of

    volumes = placement_data(key, year, month)[0]
    if volumes.empty:
        return months_of({}, volumes, year, month)
    return months_of(category_forecasts(key, year, month), volumes, year, month)


def category_groups(key: tuple[str, int], year: int, month: int) -> tuple[dict[str, str], dict[str, str]]:
    """Each placement category's client group and unit."""
    categories = placement_data(key, year, month)[4]
    return (dict(zip(categories["name"], categories["client_group"])),
            dict(zip(categories["name"], categories["unit"])))


@st.cache_resource(show_spinner=False, max_entries=8)
def sick_leave(key: tuple[str, int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sick-leave hours per group and month, the municipality's hours, and staff turnover; shared
    (``SHARED``)."""
    engine_ = engine()
    return (queries.sick_leave_rows(engine_, years(key) or [0]), queries.municipality_sick_leave(engine_),
            queries.staff_turnover(engine_))


@st.cache_resource(show_spinner=False, max_entries=64)
def sick_leave_view(key: tuple[str, int], year: int, month: int, minimum: int):
    """The Sjukfrånvaro page's figures for one period (``domain.sick_leave.view``), once per data version;
    shared (``SHARED``)."""
    from domain.sick_leave import view

    return view(*sick_leave(key), year, month, minimum)


@st.cache_data(show_spinner=False)
def sick_leave_breakdown(key: tuple[str, int], year: int, month: int, dimension: str, minimum: int):
    from domain.sick_leave import breakdown

    shown = sick_leave_view(key, year, month, minimum)
    return breakdown(shown.this_year, dimension, minimum=minimum, before=shown.last_year)


@st.cache_resource(show_spinner=False, max_entries=64)
def sick_leave_figure(key: tuple[str, int], year: int, month: int, minimum: int, name: str,
                      national: float | None = None):
    """A Sjukfrånvaro chart ("trend", "length" or "turnover"), built once per data version and shared."""
    from ui import charts

    shown = sick_leave_view(key, year, month, minimum)
    if name == "length":
        return charts.length_chart(shown.monthly.tail(24))
    if name == "turnover":
        return charts.turnover_chart(shown.turnover_by_group, "occupation")
    trend = sick_leave_trend(key, year, month)
    return charts.sick_leave_chart(shown.monthly.tail(36), shown.municipality.tail(36)
                                   if shown.municipality is not None else None,
                                   trend.trend if trend is not None else None, shown.rolling.tail(36), national)


@st.cache_data(show_spinner=False)
def sick_leave_trend(key: tuple[str, int], year: int, month: int):
    from domain.sick_leave import monthly
    from forecasting.season import seasonal_trend

    series = monthly(rows_through(sick_leave(key)[0], year, month)).set_index("period")["rate"]
    try:
        return seasonal_trend(series)
    except ValueError:
        return None


@st.cache_data(show_spinner=False)
def scenario_inputs(key: tuple[str, int], year: int, month: int, hourly_cost: float, vkey: int):
    """Everything a scenario is computed on, cached so that a slider move does no fitting. The base is
    the period's forecast by the one rule (a locked version when there is one)."""
    from domain.forecast_view import official_forecast as rule
    from domain.scenarios import build_inputs
    from domain.sick_leave import monthly as sick_monthly

    board, _ = board_forecast(key, year, month)
    categories = category_forecasts(key, year, month)
    rows = sick_leave(key)[0]
    recent = sick_monthly(rows_through(rows, year, month)).tail(12) \
        if not rows.empty else None
    scheduled = float(recent["scheduled_hours"].mean()) if recent is not None and len(recent) else 0.0
    official = rule(versions(key, vkey), year, month, board.point)
    return build_inputs(board, categories, scheduled_hours_per_month=scheduled, hourly_cost_kr=hourly_cost,
                        base_label=official.name, base_point=official.point)


def scenarios_key() -> tuple[int, int]:
    from data_access.scenarios import scenarios_key as key_of

    return key_of(engine())


@st.cache_data(show_spinner=False)
def saved_scenarios(skey: tuple[int, int], year: int) -> pd.DataFrame:
    from data_access.scenarios import list_scenarios

    return list_scenarios(engine(), year)


def _meeting_scenarios(key: tuple[str, int], year: int, month: int, vkey: int) -> tuple[list, list, list]:
    """The year's scenarios marked for the meeting: those computed on the period's base forecast, those that
    cannot be computed on it (name, why) and those saved for another month (name, month)."""
    from data_access.scenarios import list_scenarios
    from domain import scenarios
    from domain.sick_leave import HOURLY_COST_KR

    marked, failed = [], []
    saved = list_scenarios(engine(), year)
    dropped = []
    if not saved.empty:
        saved = saved[saved["for_meeting"] == 1]
        dropped = [(row.name, int(row.cutoff_month)) for row in saved.itertuples() if row.cutoff_month != month]
        saved = saved[saved["cutoff_month"] == month]
    if not saved.empty:
        inputs = scenario_inputs(key, year, month, float(HOURLY_COST_KR), vkey)
        for row in saved.itertuples():
            try:
                scenario = scenarios.Scenario.from_dict(row.assumptions)
                result = scenarios.compute(scenario, inputs)
            except scenarios.ScenarioError as error:  # said on Scenarier, not left out in silence
                failed.append((row.name, str(error)))
                continue
            marked.append({"id": int(row.id), "name": row.name, "author": row.author, "created_at": row.created_at,
                           "result": result,
                           "note": scenarios.meeting_note(row.base_label, inputs.base_label),
                           "rebased": scenarios.rebased(row.base_label, inputs.base_label),
                           "base_point": inputs.base_point, "base_label": inputs.base_label, "budget": inputs.budget,
                           "effect": scenarios.effect_sentence(scenario, result, inputs),
                           "conditions": scenarios.listed_conditions(scenario)})
    return marked, failed, dropped


@st.cache_data(show_spinner=False)
def meeting_left_out(key: tuple[str, int], skey: tuple[int, int], year: int, month: int, vkey: int = 0) -> str | None:
    """What the presenter should know before the meeting: scenarios marked for it that the deck leaves out
    and why, or None. Said on Scenarier, where they are marked, not on the nämnd's slides."""
    from domain.meeting import left_out_note

    _, failed, dropped = _meeting_scenarios(key, year, month, vkey)
    return left_out_note(year, month, dropped, failed)


@st.cache_data(show_spinner=False, hash_funcs=SETTINGS_HASH)
def meeting_pack(key: tuple[str, int], skey: tuple[int, int], year: int, month: int, vkey: int = 0, nkey: int = 0,
                 compared=None):
    """Everything the meeting shows and the papers print, assembled once per data version.

    ``vkey`` (``versions_key()``) refreshes the pack when a forecast version is saved, ``nkey``
    (``goal_notes_key()``) when a bedömning or comment on Mål och indikatorer is, ``compared``
    (``comparison_settings()``; None = as now) when the comparison's settings are.
    """
    from domain import forecast_view as fv
    from domain import meeting, placements
    from domain import (
        sick_leave as sick,  # the loader of the same name is this module's
    )
    from settings import get_settings

    info = dataset_info(key)
    overview, _ = budget_overview(key, year, month)
    manual, manual_label = manual_at(key, year, month)
    actual, budget, fan, board, manual_total = _year_course(key, year, month)
    table = placement_table(key, year, month)
    decomposition, steps, basis = None, [], ""
    if not table.empty:
        compared_with = "budget_forecast" if table["forecast_days"].notna().any() else "budget_statistical"
        decomposition = placement_comparison(key, year, month, compared_with).decomposition
        basis = placements.COMPARISONS[compared_with][1]
        if compared_with == "budget_forecast":
            basis = placements.forecast_name(year, placement_data(key, year, month)[3]) or basis
        steps = placements.bridge_steps(decomposition)
    minimum = get_settings().min_group_size
    shown = sick_leave_view(key, year, month, minimum) \
        if not rows_through(sick_leave(key)[0], year, month).empty else None
    hidden = shown is None or shown.too_small  # nothing about fewer people than the threshold
    sick_monthly = pd.DataFrame() if hidden else shown.monthly
    trend = None if hidden else sick_leave_trend(key, year, month)
    breakdowns = {}
    headline = ""
    span = "" if hidden else period_label(year, shown.through_month)
    if not hidden and not shown.this_year.empty:
        for dimension in sick.DIMENSIONS:
            breakdowns[dimension] = sick_leave_breakdown(key, year, month, dimension, minimum)
        headline = sick.meeting_headline(span, shown.now["rate"], shown.before["rate"],
                                         trend.trend if trend is not None else pd.Series(dtype=float))
    marked, _, _ = _meeting_scenarios(key, year, month, vkey)
    saved_versions = versions(key, vkey)
    if not saved_versions.empty:
        saved_versions = saved_versions[(saved_versions["year"] == year) & (saved_versions["cutoff_month"] == month)]
    version_rows = [{"id": int(r.id), "name": r.name, "author": r.author, "created_at": r.created_at,
                     "digest": r.content_sha256}
                    for r in saved_versions.itertuples()]
    official = _official_forecast(key, vkey, year, month, True)  # with each verksamhet's figure
    from domain.budget import year_end

    end = year_end(overview, official)
    built, unplaced, orphans, _, history = goal_follow_up(key, vkey, nkey, year, month, end.adherence, end.label)
    compared = compared or comparison_settings()
    found = comparisons(key, compared, year) if compared.ready else []
    return meeting.MeetingPack(
        municipality=info.get("municipality", "Kommun ej angiven"), is_sample=info.get("sample") == "ja",
        year=year, month=month, forecast_label=official.label, official=official,
        overview=overview, board=board, forecast_table=fv.forecast_table(board, manual, official, report_order(key)),
        fan=fan,
        cumulative_actual=actual, cumulative_budget=budget, manual_total=manual_total, manual_label=manual_label,
        placements=decomposition, placement_steps=steps, volume_table=table, sick_monthly=sick_monthly,
        sick_trend=trend.trend if trend is not None else None, sick_breakdowns=breakdowns, sick_headline=headline,
        sick_span=span, sick_through=0 if hidden else shown.through_month,
        scenarios=marked, minimum_group=minimum, versions=version_rows, goal_indicators=unplaced,
        five_percent=history, goals=built, goal_orphans=orphans, comparisons=found,
        comparison_group=compared.group_name,
        comparison_source=comparison_source(key, compared, year),
        comparison_slide_source=comparison_source(key, compared, year, slide=True),
        placement_basis=basis,
        locked_months=version_months(key, vkey, official.version_id) if official.locked else None)



def comparison_settings():
    """The comparison's settings, read on every rerun (one small query): a saved change shows at once."""
    from data_access import kolada

    return kolada.settings(engine())


@st.cache_data(show_spinner=False, max_entries=16)
def kolada_described(key: tuple[str, int]) -> dict:
    """Kolada's title and publication date per KPI as of the latest fetch (a fetch is an import: a new
    data version)."""
    from data_access import kolada

    return kolada.described_kpis(engine())


@st.cache_data(show_spinner=False, max_entries=2)
def _kolada_stored(key: tuple[str, int]) -> pd.DataFrame:
    """Every stored Kolada value with its fetch time and source, read once per data version."""
    from data_access import kolada

    return kolada.stored_values(engine())


@st.cache_data(show_spinner=False, max_entries=8)
def kolada_values(key: tuple[str, int], year: int) -> pd.DataFrame:
    """The stored Kolada values a period in ``year`` compares with (``comparison.published_by``), once per data
    version and year."""
    from domain import comparison

    return comparison.published_by(_kolada_stored(key), year)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=SETTINGS_HASH)
def comparisons(key: tuple[str, int], settings, year: int) -> list:
    """Every KPI compared with the group (``domain.comparison.comparisons``) as a period in ``year`` sees it."""
    from domain import comparison

    return comparison.comparisons(kolada_values(key, year), settings.municipality, settings.group)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs=SETTINGS_HASH)
def comparison_figure(key: tuple[str, int], settings, year: int):
    """The cost KPIs against the group, built once per data version, settings and year."""
    from domain import comparison
    from ui import charts

    return charts.comparison_chart(comparison.chart_rows(comparisons(key, settings, year)))


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=SETTINGS_HASH)
def comparison_source(key: tuple[str, int], settings, year: int, slide: bool = False) -> str:
    """Where the compared values come from (``comparison.source_line``); on the slide the group and only
    the KPIs it shows."""
    from domain import comparison

    found = comparisons(key, settings, year) if settings.ready else []
    if not found:
        return ""
    values = kolada_values(key, year)
    shown = values[values["kpi"].isin([c.kpi.id for c in found])]
    sample = dataset_info(key).get("sample") == "ja"
    if slide:
        return comparison.group_line(settings) + " " + comparison.source_line(
            [c.kpi for c in comparison.largest(found)], shown["fetched_at"], shown["source"], kolada_described(key),
            ids=False, sample=sample)
    return comparison.source_line([c.kpi for c in found], shown["fetched_at"], shown["source"],
                                  kolada_described(key), sample=sample)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=SETTINGS_HASH)
def comparison_trend(key: tuple[str, int], settings, year: int, kpi_id: str, own_name: str):
    """One KPI's five years against the group: its sentence, chart and table, once per data version."""
    from domain import comparison
    from ui import charts

    kpi = comparison.KPI_BY_ID[kpi_id]
    values = kolada_values(key, year)
    history = comparison.trend(values, settings.municipality, settings.group, kpi)
    return (comparison.trend_sentence(values, settings.municipality, settings.group, kpi, history),
            charts.comparison_trend_chart(history, kpi.unit, own_name), comparison.trend_table(history, kpi, own_name))


def comparison_page(key: tuple[str, int], settings, year: int, month: int):
    """Jämförelse's sentences and tables (``domain.comparison.page_view``), shared by every session of a data
    version, saved versions, settings and period, and made again once the statistical forecast is ready."""
    return _comparison_page(key, versions_key(), settings, year, month, forecast_ready(key, year, month))


@st.cache_resource(show_spinner=False, max_entries=32, hash_funcs=SETTINGS_HASH)
def _comparison_page(key: tuple[str, int], vkey: int, settings, year: int, month: int, ready: bool):
    from domain import budget as b
    from domain import comparison

    values = kolada_values(key, year)
    found = comparisons(key, settings, year) if settings.ready else []
    scope = settings.scope or comparison.default_scope(activities(key))
    estimate = None
    if found:
        overview, _ = budget_overview(key, year, month)
        official = official_forecast(key, year, month, wait=False)
        end = b.year_end(overview, official)
        cost = comparison.scoped_net_cost(None if end.closed else official, b.activity_year_ends(overview), scope)
        estimate = comparison.year_estimate(cost, year, values, settings.municipality, settings.group, end.label,
                                            outcome=end.closed)
    own_name = dataset_info(key).get("municipality", "")
    return comparison.page_view(found, settings, values, own_name, estimate, scope)
