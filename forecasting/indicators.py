"""The year-end of a goal indicator from its monthly values, with an 80 % interval that holds.

An indicator's months (a share, a count, a number of days) are few and short: one or two years of
months. A fitted exponential-smoothing model's intervals cover the outcome far less often than they
claim on series that short (about half the time for an 80 % interval, tests/forecasting/
test_indicators.py), because they ignore that the trend itself is estimated. So the year-end is
forecast as a random walk with drift, the drift estimated from the months, and the interval takes
the drift's uncertainty and Student's t into account: var = s² (h + h²/n) for h months ahead from
n monthly changes. On a random walk it covers 80 %; on a trend with noise around it, more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MIN_MONTHS = 12     # at least a year of months before a year-end is forecast
MAX_MONTHS = 36     # the last three years at most: older months say little about this December
COVERAGE = 0.80     # P10–P90


@dataclass(frozen=True)
class YearEnd:
    point: float
    p10: float
    p90: float
    months: int  # how many months it rests on


def year_end(values: Sequence[float], steps: int, low: float | None = None,
             high: float | None = None) -> YearEnd | None:
    """December's value ``steps`` months after the last of ``values`` (consecutive months, oldest first),
    kept within ``low``–``high`` (a share between 0 and 100 %); None with fewer than ``MIN_MONTHS``."""
    series = np.asarray(values, dtype=float)[-MAX_MONTHS:]
    if len(series) < MIN_MONTHS or not np.isfinite(series).all() or steps < 0:
        return None
    if steps == 0:
        last = float(series[-1])
        return YearEnd(last, last, last, len(series))
    changes = np.diff(series)
    n = len(changes)
    drift, spread = float(changes.mean()), float(changes.std(ddof=1))
    point = float(series[-1]) + drift * steps
    width = float(stats.t.ppf(0.5 + COVERAGE / 2, n - 1)) * spread * np.sqrt(steps + steps * steps / n)
    bounded = lambda v: float(np.clip(v, -np.inf if low is None else low, np.inf if high is None else high))  # noqa: E731
    return YearEnd(bounded(point), bounded(point - width), bounded(point + width), len(series))


def year_ends(monthly: pd.DataFrame, bounds: dict[str, tuple[float | None, float | None]], year: int,
              month: int) -> dict[str, YearEnd]:
    """Per indicator, the forecast of December ``year`` from its monthly values (columns indicator,
    year, month, actual) up to the cut-off ``month``: the unbroken run of months that ends at the last
    month read this year, at or before the cut-off, forecast the months from there to December. An
    indicator read to August keeps its forecast when September's finances are booked, as its bedömning
    keeps the month it rests on (``domain.goals``); one with no value this year, or too short a run, has
    none."""
    found = {}
    if monthly.empty or month >= 12:
        return found
    cutoff = year * 12 + month - 1
    for name, rows in monthly.dropna(subset=["actual"]).groupby("indicator"):
        index = rows["year"].astype(int) * 12 + rows["month"].astype(int) - 1
        values = pd.Series(rows["actual"].to_numpy(dtype=float), index=index.to_numpy()).sort_index()
        values = values[values.index <= cutoff]
        if values.empty or values.index[-1] < year * 12:
            continue
        breaks = np.flatnonzero(np.diff(values.index.to_numpy()) != 1)
        run = values.iloc[breaks[-1] + 1:] if len(breaks) else values
        low, high = bounds.get(name, (None, None))
        forecast = year_end(run.to_numpy(), 12 - (int(values.index[-1]) - year * 12 + 1), low, high)
        if forecast is not None:
            found[str(name)] = forecast
    return found
