"""The nämnd's year-end forecast: one forecast per verksamhet, and their sum.

The nämnd's total is the sum of its verksamheter, path by path: sample path i of the
total is the sum of each verksamhet's path i. Each verksamhet's paths come from its own
random stream, so the sum treats the verksamheter as independent of each other. Their errors
are not independent in practice (a common price or demand shock moves many at once), so the
nämnd's total is also forecast as one series, with its own calibrated interval; when that
interval is wider than the sum's, the sum's deviations from the point are widened to match it.
The point forecast is always the sum of the verksamheter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.parallel import forecast_many
from forecasting.yearend import TARGET, BacktestPlan, YearEndForecast, backtest_one, summarise_totals


@dataclass(frozen=True)
class BoardForecast:
    year: int
    cutoff_month: int
    lines: dict[str, YearEndForecast]
    actual_ytd: float
    point: float
    p10: float
    p50: float
    p90: float
    prob_within_target: float
    prob_deficit: float | None
    budget: float | None
    monthly: pd.DataFrame  # period, cum_mean, cum_p10, cum_p90 for the nämnd
    skipped: tuple[str, ...]
    behind: tuple[str, ...] = ()  # verksamheter whose last booked month is before the cut-off
    totals: np.ndarray | None = None  # the simulated year totals the summary figures are taken from

    @property
    def short_history_share(self) -> float:
        """The share of the nämnd's net cost (the lines' year-ends, in absolute value) forecast for want of history
        (``YearEndForecast.short_history``), whose spread no benchmark has tested."""
        whole = sum(abs(line.point) for line in self.lines.values())
        short = sum(abs(line.point) for line in self.lines.values() if line.short_history)
        return short / whole if whole else 0.0

    def prob_within(self, value: float) -> float | None:
        """The share of the simulated year totals within ±5 % of ``value``, a figure other than the point (a locked
        version's): P(|Y − v| ≤ 0,05·|v|) by the same calibrated distribution as ``prob_within_target``, which is
        this with v = ``point``. None when the totals are not kept or ``value`` is zero."""
        if self.totals is None or value == 0:
            return None
        return float(np.mean(np.abs(self.totals - value) <= TARGET * abs(value)))


def series_by_activity(frame: pd.DataFrame, value: str, through: pd.Period) -> dict[str, pd.Series]:
    """Long frame (year, month, activity, value) → monthly series per activity, report sign.

    Months without bookings inside an activity's span, or earlier in its first year, count as zero.
    """
    result: dict[str, pd.Series] = {}
    data = frame.dropna(subset=[value])
    for activity, rows in data.groupby("activity", sort=True):
        monthly = rows.groupby(["year", "month"])[value].sum()
        index = pd.PeriodIndex([pd.Period(year=int(y), month=int(m), freq="M") for y, m in monthly.index])
        series = pd.Series(-monthly.to_numpy(dtype=float), index=index).sort_index()
        series = series[series.index <= through]
        if series.empty:
            continue
        # Gaps inside the booked span are months without bookings, and so are the months of the
        # first year before an activity's first booking (a unit started during the year); months
        # after the last booking are not closed for this activity and stay open for the forecast.
        span = pd.period_range(pd.Period(year=series.index[0].year, month=1, freq="M"), series.index[-1], freq="M")
        result[str(activity)] = series.reindex(span, fill_value=0.0)
    return result


def forecast_board(actuals: dict[str, pd.Series], budgets: dict[str, pd.Series], cutoff: pd.Period, *,
                   n_paths: int = 1000, seed: int = 0) -> BoardForecast:
    """Forecast every verksamhet at ``cutoff`` and add them up to the nämnd."""
    jobs: dict[str, dict] = {}
    skipped, behind = [], []
    for number, (activity, series) in enumerate(sorted(actuals.items())):
        this_year = series[series.index.year == cutoff.year]
        if this_year.abs().sum() == 0:
            skipped.append(activity)
            continue
        own_cutoff = min(cutoff, series.index[-1])
        if own_cutoff < cutoff:
            behind.append(activity)
        budget = budgets.get(activity)
        if budget is not None:
            span = pd.period_range(pd.Period(year=budget.index.min().year, month=1, freq="M"),
                                   pd.Period(year=budget.index.max().year, month=12, freq="M"), freq="M")
            budget = budget.reindex(span, fill_value=0.0)
        jobs[activity] = {"series": series, "cutoff": own_cutoff, "budget_months": budget, "n_paths": n_paths,
                          "seed": seed + number}
    if not jobs:
        raise ValueError("det finns inget utfall att göra en prognos på")
    whole = _board_series(jobs, cutoff)
    total_job = [{"series": whole, "cutoff": cutoff, "n_paths": n_paths, "seed": seed + len(jobs)}] \
        if whole is not None else []
    done = forecast_many(list(jobs.values()) + total_job)
    lines = dict(zip(jobs, done[:len(jobs)], strict=True))
    own_total = done[len(jobs)] if total_job else None
    horizon = 12 - cutoff.month
    n = max(n_paths, 1)
    # A verksamhet that is not yet booked up to the cut-off has forecast months before it; per
    # path they join the starting point, so that the months after the cut-off line up.
    before = np.zeros(n)
    after = np.zeros((n, horizon))
    mean = np.zeros(horizon)
    for line in lines.values():
        early = line.paths.shape[1] - horizon
        before += line.paths[:, :early].sum(axis=1)
        after += line.paths[:, early:]
        mean += line.monthly["mean"].to_numpy()[early:]
    actual_ytd = float(sum(line.actual_ytd for line in lines.values()))
    point = float(sum(line.point for line in lines.values()))
    start = actual_ytd + before
    totals = start + after.sum(axis=1)
    widen = _widening(totals, point, own_total)
    if widen > 1:
        before = before * widen + (1 - widen) * before.mean()
        after = (after - after.mean(axis=0)) * widen + after.mean(axis=0)
        start = actual_ytd + before
        totals = start + after.sum(axis=1)
    budgets_known = [line.budget for line in lines.values() if line.budget is not None]
    # A verksamhet with no adopted budget has a budget of zero: its whole cost is a deviation, as on
    # Budget mot utfall. Only a board where no verksamhet has a budget has none.
    budget = float(sum(budgets_known)) if budgets_known else None
    cumulative = start[:, None] + np.cumsum(after, axis=1)
    months = pd.period_range(cutoff + 1, periods=horizon, freq="M")
    monthly = pd.DataFrame({
        "period": months,
        "mean": mean,
        "cum_mean": point - np.sum(mean) + np.cumsum(mean),
        "cum_p10": np.percentile(cumulative, 10, axis=0) if horizon else np.empty(0),
        "cum_p90": np.percentile(cumulative, 90, axis=0) if horizon else np.empty(0),
    })
    return BoardForecast(
        year=cutoff.year, cutoff_month=cutoff.month, lines=lines, actual_ytd=actual_ytd, point=point,
        **summarise_totals(totals, point, budget), budget=budget, monthly=monthly, skipped=tuple(skipped), behind=tuple(behind),
        totals=totals,
    )


def board_from_ledger(ledger: pd.DataFrame, year: int, month: int, *, n_paths: int = 1000):
    """The nämnd's forecast at (year, month) from the monthly ledger (year, month, activity, actual_kr,
    budget_kr; ledger sign), and the verksamheters' series it was made from."""
    cutoff = pd.Period(year=year, month=month, freq="M")
    actuals = series_by_activity(ledger, "actual_kr", cutoff)
    budgets = series_by_activity(ledger, "budget_kr", pd.Period(year=year, month=12, freq="M"))
    return forecast_board(actuals, budgets, cutoff, n_paths=n_paths), actuals


def categories_from_volumes(volumes: pd.DataFrame, year: int, month: int, *, n_paths: int = 500):
    """Every category's forecast at (year, month) from the monthly volumes, later months left out."""
    known = volumes[(volumes["year"] < year) | ((volumes["year"] == year) & (volumes["month"] <= month))]
    return forecast_categories(known, pd.Period(year=year, month=month, freq="M"), n_paths=n_paths)


def _board_series(jobs: dict[str, dict], cutoff: pd.Period) -> pd.Series | None:
    """The nämnd's monthly total up to the cut-off, when every verksamhet is booked to it."""
    if any(job["cutoff"] != cutoff for job in jobs.values()):
        return None
    frame = pd.concat([job["series"] for job in jobs.values()], axis=1).fillna(0.0)
    return frame.sum(axis=1)


def _widening(totals: np.ndarray, point: float, own_total) -> float:
    """How much wider the nämnd total's own calibrated P10–P90 is than that of the summed paths (≥ 1)."""
    if own_total is None or len(totals) < 2:
        return 1.0
    summed = float(np.subtract(*np.percentile(totals, [90, 10])))
    own = float(own_total.p90 - own_total.p10)
    return own / summed if summed > 0 and np.isfinite(own) and own > summed else 1.0


@dataclass(frozen=True)
class CategoryForecast:
    """A category's statistical year-end days and cost; the price is cost / days."""

    category: str
    days: YearEndForecast
    cost: YearEndForecast

    @property
    def price(self) -> float:
        return self.cost.point / self.days.point if self.days.point else float("nan")


def forecast_categories(volumes: pd.DataFrame, cutoff: pd.Period, *, n_paths: int = 500,
                        seed: int = 0) -> dict[str, CategoryForecast]:
    """Forecast care days and cost of every category booked in the cut-off's year.

    ``volumes``: year, month, category, care_days, cost_kr (costs positive).
    """
    frame = volumes.rename(columns={"category": "activity"})
    days = series_by_activity(frame.assign(care_days=-frame["care_days"]), "care_days", cutoff)
    cost = series_by_activity(frame.assign(cost_kr=-frame["cost_kr"]), "cost_kr", cutoff)
    candidates = ("ETS", "linjär framskrivning", "fjolårskvot")
    chosen, jobs = [], []
    for number, category in enumerate(sorted(days)):
        series = days[category]
        if series[series.index.year == cutoff.year].sum() == 0:
            continue
        own = min(cutoff, series.index[-1])
        chosen.append(category)
        jobs += [{"series": series, "cutoff": own, "n_paths": n_paths, "seed": seed + 2 * number,
                  "candidates": candidates},
                 {"series": cost[category], "cutoff": own, "n_paths": n_paths, "seed": seed + 2 * number + 1,
                  "candidates": candidates}]
    done = forecast_many(jobs)
    return {category: CategoryForecast(category, done[2 * i], done[2 * i + 1]) for i, category in enumerate(chosen)}


def track_record_from_ledger(ledger: pd.DataFrame, manual: pd.DataFrame, year: int,
                             cutoff_month: int) -> dict[str, pd.DataFrame]:
    """Every verksamhet's past years forecast at ``cutoff_month`` against their December outcome
    (``yearend.backtest`` with the automatic choice, and the managers' own forecasts of those years), from the
    monthly ledger (ledger sign) and the managers' imported forecasts (year, cutoff_month, activity, amount_kr;
    ledger sign) before ``year``. Every verksamhet's jobs go to the worker processes together."""
    end = pd.Period(year=year - 1, month=12, freq="M")
    actuals = series_by_activity(ledger, "actual_kr", end)
    budgets = series_by_activity(ledger, "budget_kr", end)
    own = manual[(manual["cutoff_month"] == cutoff_month) & (manual["year"] < year)]
    sums = own.groupby(["activity", "year"])["amount_kr"].sum()
    plans = {}
    for activity, actual in actuals.items():
        budget = budgets.get(activity)
        mine = sums[activity] if activity in sums.index.get_level_values(0) else pd.Series(dtype=float)
        plans[activity] = BacktestPlan(
            actual, cutoffs=(cutoff_month,), methods=("auto",),
            budget_months=budget.reindex(actual.index, fill_value=0.0) if budget is not None else None,
            manual={(int(y), cutoff_month): -float(amount) for y, amount in mine.items()})
    done = forecast_many([job for plan in plans.values() for job in plan.jobs], backtest_one)
    records, start = {}, 0
    for activity, plan in plans.items():
        records[activity] = plan.frame(done[start:start + len(plan.jobs)])
        start += len(plan.jobs)
    return records
