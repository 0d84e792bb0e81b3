"""Wall time of the year-end distributions (1 000 paths) for every series of the sample, and of the backtest.

Series: every verksamhet's net cost, and every insatskategori's care days and cost, at the sample's
latest month. Printed: cold (fit) and warm (cached per data version, as the app does) times.

Usage: python benchmarks/forecast_speed.py
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import sys  # noqa: E402
import time  # noqa: E402
from functools import lru_cache  # noqa: E402

import pandas as pd  # noqa: E402
from _apptest import ROOT, cleanup, sample_database  # noqa: E402

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    from data_access import queries
    from data_access.engine import make_engine
    from forecasting import parallel
    from forecasting.board import (
        forecast_board,
        forecast_categories,
        series_by_activity,
    )
    from forecasting.yearend import backtest

    url = sample_database()
    engine = make_engine(url)
    latest = queries.latest_actual_month(engine)
    cutoff = pd.Period(year=latest[0], month=latest[1], freq="M")
    ledger = queries.monthly_ledger(engine, list(range(2019, cutoff.year + 1)))
    volumes = queries.monthly_volumes(engine, list(range(2019, cutoff.year + 1)))
    actuals = series_by_activity(ledger, "actual_kr", cutoff)
    budgets = series_by_activity(ledger, "budget_kr", pd.Period(year=cutoff.year, month=12, freq="M"))

    @lru_cache(maxsize=None)
    def cached(version: int):
        return (forecast_board(actuals, budgets, cutoff, n_paths=1000),
                forecast_categories(volumes, cutoff, n_paths=1000))

    def fit_all():
        start = time.perf_counter()
        forecast_board(actuals, budgets, cutoff, n_paths=1000)
        forecast_categories(volumes, cutoff, n_paths=1000)
        return time.perf_counter() - start

    # As in a fresh server: the app imports statsmodels' models and starts the worker processes in
    # the background when it starts (forecasting.parallel.warm_up); the first forecast of a data
    # version then fits every series.
    start = time.perf_counter()
    parallel.warm_up().join()
    warm_up_time = time.perf_counter() - start
    start = time.perf_counter()
    board, categories = cached(queries.data_version(engine))
    cold = time.perf_counter() - start
    again = min(fit_all() for _ in range(3))
    os.environ["NAMNDPANELEN_FORECAST_WORKERS"] = "1"
    serial = min(fit_all() for _ in range(3))
    os.environ.pop("NAMNDPANELEN_FORECAST_WORKERS")
    series_count = len(board.lines) + 2 * len(categories)
    start = time.perf_counter()
    cached(queries.data_version(engine))
    warm = time.perf_counter() - start
    print(f"serier: {series_count} ({len(board.lines)} verksamheter, {len(categories)} kategorier × dygn och kostnad)")
    print(f"modellerna inlästa och {parallel.workers()} processer startade: {warm_up_time:5.2f} s "
          "(i bakgrunden när appen startar)")
    print(f"helårsfördelningar, 1 000 banor, utan cache: {cold:6.2f} s första gången, {again:6.2f} s därefter; "
          f"i en enda process {serial:6.2f} s")
    print(f"helårsfördelningar, cachade per dataversion: {warm * 1000:6.2f} ms")

    start = time.perf_counter()
    rows = 0
    full_years = pd.Period(year=cutoff.year - 1, month=12, freq="M")
    for activity, series in actuals.items():
        rows += len(backtest(series[series.index <= full_years], cutoffs=(4, 8, 10), methods=("auto",)))
    print(f"backtest (alla år × brytmånad 4, 8, 10, automatisk metod): {time.perf_counter() - start:6.1f} s, "
          f"{rows} prognoser")
    cleanup(url)


if __name__ == "__main__":
    main()
