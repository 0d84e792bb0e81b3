"""The year-end forecast (helårsprognos) of one monthly series, with its uncertainty.

Values are in report sign (net cost negative): higher is better, and a deficit is a
year total below the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting import calibration
from forecasting import methods as m

MIN_HISTORY_YEARS = 2
SHORT_HISTORY = "för kort historik (mindre än två hela år) för en statistisk modell"
COMBINATION = "kombination"
MEMBERS = ("ETS", "SARIMAX", "log-SARIMAX", "Theta", "fjolårskvot", "block-ETS")
REFILTERED = ("ETS", "SARIMAX", "log-SARIMAX", "block-ETS")
TRACK_YEARS = calibration.MAX_TRACK_YEARS
PRIOR_WEIGHT = 1.0
MIN_SCALE = 1e-4
TARGET = 0.05
ABSURD_FACTOR = 3.0


@dataclass(frozen=True)
class YearEndForecast:
    """Results of ``forecast_year_end``.

    ``totals`` holds the simulated full-year totals (one per sample path): utfall so far
    plus the sum of each path's remaining months.
    """

    year: int
    cutoff_month: int
    actual_ytd: float
    point: float
    p10: float
    p50: float
    p90: float
    prob_within_target: float
    prob_deficit: float | None
    budget: float | None
    method: str
    params: dict[str, float]
    fallback_reason: str | None
    monthly: pd.DataFrame
    candidate_errors: dict[str, float] = field(default_factory=dict)
    totals: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    paths: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)

    @property
    def short_history(self) -> bool:
        """Forecast by the budget profile (or the run-rate) for want of ``MIN_HISTORY_YEARS`` full years: a spread no
        benchmark has tested, since the public series that calibrate it have no budget."""
        return self.fallback_reason == SHORT_HISTORY



def as_monthly(series: pd.Series) -> pd.Series:
    """A float series with a monthly PeriodIndex and no gaps; ``ValueError`` otherwise."""
    if not isinstance(series, pd.Series):
        raise ValueError("serien måste vara en pandas Series")
    index = series.index
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period("M")
    if not isinstance(index, pd.PeriodIndex) or index.freqstr not in ("M", "ME"):
        raise ValueError("serien måste ha ett månadsindex (PeriodIndex med frekvens M)")
    result = pd.Series(np.asarray(series, dtype=float), index=index).sort_index()
    if result.index.has_duplicates:
        raise ValueError("serien har samma månad flera gånger")
    expected = pd.period_range(result.index[0], result.index[-1], freq="M")
    if len(expected) != len(result):
        missing = expected.difference(result.index)
        raise ValueError(f"serien saknar månader: {', '.join(str(p) for p in missing[:6])}")
    if not np.all(np.isfinite(result.to_numpy())):
        raise ValueError("serien innehåller värden som saknas eller inte är ändliga")
    return result


def _complete_years_before(history: pd.Series, year: int) -> list[int]:
    counts = history[history.index.year < year].groupby(history[history.index.year < year].index.year).size()
    return [int(y) for y, n in counts.items() if n == 12]


def _candidate(name: str, history: pd.Series, year: int, cutoff_month: int, horizon: int,
               budget_months: pd.Series | None, **options) -> m.MethodForecast | None:
    function = m.MODELS.get(name) or m.BASELINES[name]
    budget_year = None
    if budget_months is not None:
        budget_year = budget_months[budget_months.index.year == year]
        budget_year = budget_year if len(budget_year) == 12 else None
    return function(history, year, cutoff_month, horizon, budget_months=budget_year, **options)


def is_absurd(candidate: m.MethodForecast, reference_mean: np.ndarray, actual_ytd: float) -> bool:
    """A fit that 'blew up': non-finite values, or a remainder far outside what the run-rate implies.

    statsmodels' ETS can return forecasts many times the level of the series on some data.
    A remainder more than ``ABSURD_FACTOR`` times the run-rate's remainder away from it, or
    sample paths whose spread exceeds the whole year's magnitude, is refused.
    """
    if not np.all(np.isfinite(candidate.mean)):
        return True
    reference = float(np.sum(reference_mean))
    scale = max(abs(reference), abs(actual_ytd) / 4.0, 1e-9)
    if abs(float(np.sum(candidate.mean)) - reference) > ABSURD_FACTOR * scale:
        return True
    if candidate.paths is not None:
        totals = candidate.paths.sum(axis=1)
        if not np.all(np.isfinite(totals)) or np.std(totals) > abs(actual_ytd) + abs(reference):
            return True
    return False


def forecast_year_end(series: pd.Series, cutoff: pd.Period | tuple[int, int], *,
                      budget_months: pd.Series | None = None, method: str = "auto", n_paths: int = 1000,
                      seed: int = 0, candidates: tuple[str, ...] = (*MEMBERS, "linjär framskrivning",
                                                                    "budgetprofil"),
                      track_record: bool = True) -> YearEndForecast:
    """Forecast the full-year total of ``series`` from its months up to ``cutoff``.

    Parameters
    ----------
    series : monthly values (report sign) with a PeriodIndex; later months are ignored.
    cutoff : the last closed month, e.g. ``pd.Period("2025-08", "M")`` for delår 2.
    budget_months : optional periodised budget per month (PeriodIndex), for the budget-profile
        method and the probability of a deficit.
    method : ``"auto"`` (the combination, or a baseline for short history) or one candidate's name.
    n_paths : number of simulated sample paths of the remaining months.
    track_record : False for the point forecast alone (a backtest): the past years are not
        forecast again, and the scale rests on the prior alone.

    Notes
    -----
    Point forecast: P = utfall hittills + Σ expected remaining months. With at least two complete
    years of history, the expected months are the median combination (``combine``) of ETS,
    SARIMAX, log-SARIMAX, Theta, the last-year ratio and, where the months left divide the year,
    block-ETS (the remainder as one block, ``methods.block_ets``), each guarded against absurd fits; with
    less, the budget profile (when a budget is given) or the run-rate.

    Uncertainty: the relative error of the year total, (A − P)/|P|, is modelled as s'·z. The scale s
    combines a prior from this year's month-to-month irregularity with the method's own errors on
    up to ``TRACK_YEARS`` past years at the same cut-off (``scale``); s' = s·max(d/s, r_min)^w widens
    it where the candidates disagree (d: the standard deviation of their year totals relative to |P|;
    ``calibration.effective_scale``). The distribution of z is not assumed: it is the empirical
    distribution of the standardised errors (A − P)/(|P|·s') of this same procedure on the monthly
    M3 and Tourism competition series, per number n of past years and fifth of s' (split conformal
    prediction with a normalised score; ``forecasting.calibration``). Hence
    P10 = P + |P|·s'·q_n(0,1) and P90 = P + |P|·s'·q_n(0,9).

    The sample paths carry totals T_i = P + |P|·s'·z_i (``_paths``); P(inom ±5 %) = share of paths
    with |T_i − P| ≤ 0,05·|P|; P(underskott) = share with T_i < budget.
    """
    history = as_monthly(series)
    period = cutoff if isinstance(cutoff, pd.Period) else pd.Period(year=cutoff[0], month=cutoff[1], freq="M")
    if not 1 <= period.month <= 12:
        raise ValueError("brytmånaden måste vara 1–12")
    history = history[history.index <= period]
    year, cutoff_month = period.year, period.month
    this_year = history[history.index.year == year]
    if len(this_year) != cutoff_month:
        raise ValueError(f"serien måste ha alla månader jan–{period.strftime('%m')} {year}")
    if method not in ("auto", COMBINATION) and method not in candidates:
        raise ValueError(f'okänd metod "{method}"')
    budget = None
    if budget_months is not None:
        budget_months = as_monthly(budget_months)
        budget_year = budget_months[budget_months.index.year == year]
        budget = float(budget_year.sum()) if len(budget_year) == 12 else None
    actual_ytd = float(this_year.sum())
    horizon = 12 - cutoff_month
    rng = np.random.default_rng(seed)
    if horizon == 0:
        return _result(year, cutoff_month, actual_ytd, np.zeros((max(n_paths, 1), 0)), np.zeros(0), budget,
                       "utfall", {}, None, {}, period)

    complete = _complete_years_before(history, year)
    fallback_reason = None
    baseline_name = "budgetprofil" if budget is not None and "budgetprofil" in candidates else "linjär framskrivning"
    combining = method in ("auto", COMBINATION)
    fitted: dict[str, m.MethodForecast] = {}
    if len(complete) < MIN_HISTORY_YEARS:
        fallback_reason = SHORT_HISTORY
    else:
        for name in (c for c in candidates if c in MEMBERS and (combining or c == method)):
            candidate = _fit(name, history, year, cutoff_month, horizon, budget_months)
            if candidate is not None:
                fitted[name] = candidate
            elif name in ("ETS", "SARIMAX"):
                fallback_reason = f"{name} gav orimliga värden och används inte"
    if combining and any(name in m.MODELS for name in fitted):
        selected = combine(list(fitted.values()))
    else:
        selected = fitted.get(method) or _fit(method if not combining else baseline_name, history, year,
                                              cutoff_month, horizon, budget_months)
        if selected is None:
            selected = _fit(baseline_name, history, year, cutoff_month, horizon, budget_months) \
                or m.run_rate(history, year, cutoff_month, horizon)
        fitted = {selected.method: selected} if selected.method in fitted else {}
    chosen = selected.method
    point = actual_ytd + float(np.sum(selected.mean))
    errors = _track_record(history, year, cutoff_month, budget_months, fitted, chosen) \
        if track_record and len(complete) >= 2 else {}
    own = errors.get(chosen, [])
    relative_scale = scale(_reference_scale(history, year, cutoff_month, horizon, point), own)
    disagreement = calibration.disagreement([actual_ytd + float(np.sum(f.mean)) for f in fitted.values()], point) \
        if chosen == COMBINATION else float("nan")
    effective = calibration.effective_scale(relative_scale, disagreement)
    paths = _paths(selected.mean, point, effective, len(own), horizon, n_paths, rng)
    params = {k: v for k, v in selected.params.items() if not k.startswith("_")}
    params |= {"relativ spridning s": relative_scale, "metodernas oenighet d": disagreement,
               "kalibrerad spridning s'": effective, "år i träffsäkerheten": float(len(own))}
    scores = {name: float(np.mean(np.abs(e))) for name, e in errors.items() if len(e) >= 2}
    return _result(year, cutoff_month, actual_ytd, paths, selected.mean, budget, chosen, params, fallback_reason,
                   scores, period)


def _reference_scale(history: pd.Series, year: int, cutoff_month: int, horizon: int, point: float) -> float:
    """The prior scale s_v: this year's month-to-month irregularity over the remaining months.

    d_k = y_k − y_{k−12} for the months so far this year (y_k minus the year's mean when last year
    is missing); s_v = sd(d)·√h / |P|, with h the months left and P the point forecast.
    """
    this_year = history[history.index.year == year].to_numpy(dtype=float)
    last_year = history[history.index.year == year - 1].to_numpy(dtype=float)
    changes = this_year - last_year[:cutoff_month] if len(last_year) == 12 else this_year - this_year.mean()
    spread = float(np.std(changes, ddof=1)) if len(changes) > 1 else 0.1 * abs(float(this_year.mean()))
    return spread * np.sqrt(horizon) / max(abs(point), 1e-9)


def combine(forecasts: list[m.MethodForecast]) -> m.MethodForecast:
    """The median of the candidates' remaining-year sums, as the mean of the middle candidate(s).

    With the candidates ordered by their sum of remaining months, the combination's months are
    those of the middle candidate (odd count) or the mean of the two middle ones (even count), so
    that the months add up exactly to the median sum. A median is robust to the one candidate that
    goes astray on a series, which a mean is not.
    """
    ordered = sorted(forecasts, key=lambda f: float(np.sum(f.mean)))
    middle = ordered[(len(ordered) - 1) // 2: len(ordered) // 2 + 1]
    mean = np.mean([f.mean for f in middle], axis=0)
    params = {f"{f.method}, återstår": float(np.sum(f.mean)) for f in forecasts}
    return m.MethodForecast(COMBINATION, mean, None, params)


def _fit(name: str, history: pd.Series, year: int, cutoff_month: int, horizon: int,
         budget_months: pd.Series | None, params: np.ndarray | None = None) -> m.MethodForecast | None:
    """One candidate at one origin, or None when it cannot be used there or gives absurd values."""
    options = {"n_paths": 0}
    if params is not None:
        options["params"] = params
    try:
        candidate = _candidate(name, history, year, cutoff_month, horizon, budget_months, **options)
    except (ValueError, IndexError, np.linalg.LinAlgError):
        return None
    if candidate is None:
        return None
    reference = m.run_rate(history, year, cutoff_month, horizon).mean
    actual_ytd = float(history[history.index.year == year].sum())
    return None if is_absurd(candidate, reference, actual_ytd) else candidate


def _track_record(history: pd.Series, year: int, cutoff_month: int, budget_months: pd.Series | None,
                  fitted: dict[str, m.MethodForecast], chosen: str) -> dict[str, list[float]]:
    """Rolling-origin relative errors on the series' own past years at the same cut-off.

    For each of the last ``TRACK_YEARS`` complete years that have a complete year before them, every
    candidate is forecast from that year's months up to the cut-off, and the combination from them
    as today. The models keep the parameters estimated now (rolling origin without re-estimation),
    so each origin costs one filter per model. Error e = (A − P) / |P|: the year's actual total A
    against the forecast total P, relative to the forecast, which is known when the forecast is made.
    """
    horizon = 12 - cutoff_month
    complete = _complete_years_before(history, year)
    years = [y for y in complete if y - 1 in complete][-TRACK_YEARS:]
    errors: dict[str, list[float]] = {name: [] for name in [*fitted, chosen]}
    for past in years:
        truncated = history[history.index < pd.Period(year=past, month=cutoff_month + 1, freq="M")]
        actual_year = history[history.index.year == past]
        ytd = float(actual_year.iloc[:cutoff_month].sum())
        at_origin = {}
        for name, today in fitted.items():
            raw = today.params.get("_raw") if name in REFILTERED else None
            candidate = _fit(name, truncated, past, cutoff_month, horizon, budget_months, raw)
            if candidate is not None:
                at_origin[name] = candidate
        if chosen == COMBINATION:
            if at_origin:
                at_origin[COMBINATION] = combine(list(at_origin.values()))
        elif chosen not in at_origin:
            candidate = _fit(chosen, truncated, past, cutoff_month, horizon, budget_months)
            if candidate is not None:
                at_origin[chosen] = candidate
        for name, candidate in at_origin.items():
            predicted = ytd + float(np.sum(candidate.mean))
            if predicted != 0:
                errors.setdefault(name, []).append((float(actual_year.sum()) - predicted) / abs(predicted))
    return errors


def scale(prior: float, errors: list[float]) -> float:
    """The forecast's relative scale s: the prior s_v updated by the series' own track record.

    s² = (K·s_v² + Σ e_i²) / (K + n), with K = ``PRIOR_WEIGHT`` pseudo-years of the prior and the
    n past relative errors e_i of the same method at the same cut-off.
    """
    n = len(errors)
    value = np.sqrt((PRIOR_WEIGHT * prior ** 2 + float(np.sum(np.square(errors)))) / (PRIOR_WEIGHT + n))
    return float(max(value, MIN_SCALE))


def _paths(mean: np.ndarray, point: float, relative_scale: float, track_years: int, horizon: int,
           n_paths: int, rng: np.random.Generator) -> np.ndarray:
    """Sample paths whose year totals follow the calibrated distribution of the forecast error.

    Total of path i: T_i = P + |P|·s·z_i, with z_i the calibrated quantiles of the standardised
    error at probabilities (i + ½)/n, in random order; the deviation T_i − P is spread over the
    remaining months in proportion to their expected size.
    """
    n = max(n_paths, 1)
    z = calibration.quantiles(track_years, relative_scale, (np.arange(n) + 0.5) / n)
    z = rng.permutation(z)
    weights = np.abs(mean) / float(np.abs(mean).sum()) if float(np.abs(mean).sum()) > 0 else np.full(horizon, 1 / horizon)
    deviation = abs(point) * relative_scale * z
    return mean[None, :] + deviation[:, None] * weights[None, :]


def summarise_totals(totals: np.ndarray, point: float, budget: float | None) -> dict[str, float | None]:
    """P10/P50/P90 of simulated year totals, the share within ±5 % of the point, and below the budget."""
    p10, p50, p90 = (float(v) for v in np.percentile(totals, [10, 50, 90]))
    within = float(np.mean(np.abs(totals - point) <= TARGET * abs(point))) if point != 0 else float("nan")
    deficit = float(np.mean(totals < budget)) if budget is not None else None
    return {"p10": p10, "p50": p50, "p90": p90, "prob_within_target": within, "prob_deficit": deficit}


def _result(year, cutoff_month, actual_ytd, paths, mean, budget, method, params, fallback_reason, scores, period):
    totals = actual_ytd + paths.sum(axis=1)
    point = actual_ytd + float(np.sum(mean))
    months = pd.period_range(period + 1, periods=len(mean), freq="M")
    cumulative = actual_ytd + np.cumsum(paths, axis=1) if paths.size else np.empty((0, 0))
    monthly = pd.DataFrame({
        "period": months,
        "mean": np.asarray(mean, dtype=float),
        "p10": np.percentile(paths, 10, axis=0) if paths.size else np.empty(0),
        "p90": np.percentile(paths, 90, axis=0) if paths.size else np.empty(0),
        "cum_mean": actual_ytd + np.cumsum(np.asarray(mean, dtype=float)),
        "cum_p10": np.percentile(cumulative, 10, axis=0) if paths.size else np.empty(0),
        "cum_p90": np.percentile(cumulative, 90, axis=0) if paths.size else np.empty(0),
    })
    return YearEndForecast(
        year=year, cutoff_month=cutoff_month, actual_ytd=actual_ytd, point=point,
        **summarise_totals(totals, point, budget), budget=budget,
        method=method, params=params, fallback_reason=fallback_reason, monthly=monthly,
        candidate_errors=scores, totals=totals, paths=paths,
    )


@dataclass(frozen=True)
class BacktestRow:
    year: int
    cutoff_month: int
    method: str
    forecast: float
    actual: float

    @property
    def abs_pct_error(self) -> float:
        return abs(self.forecast - self.actual) / abs(self.actual) if self.actual else float("nan")

    @property
    def within_target(self) -> bool:
        return bool(self.abs_pct_error <= TARGET)


def backtest_one(job: dict) -> YearEndForecast | None:
    """``forecast_year_end(**job)``, or None where the job's method cannot be used at its origin."""
    try:
        return forecast_year_end(**job)
    except ValueError:
        return None


def backtest(series: pd.Series, *, cutoffs: tuple[int, ...] = (4, 8, 10), budget_months: pd.Series | None = None,
             manual: dict[tuple[int, int], float] | None = None,
             methods: tuple[str, ...] = ("auto", "ETS", "SARIMAX", "linjär framskrivning", "budgetprofil",
                                         "fjolårskvot"),
             run=None) -> pd.DataFrame:
    """Forecast each past year's total at each cut-off and compare with its December outcome.

    Every complete year of ``series`` is forecast from its months up to each cut-off, by each
    method (``auto`` = the method the selection would have chosen then) and, where given, by the
    managers' own forecasts in ``manual`` keyed by (year, cut-off month). ``run`` computes a list of
    ``backtest_one`` jobs (``forecasting.parallel.forecast_many`` in the worker processes); by default
    they are computed here, one after the other.

    Returns
    -------
    DataFrame with year, cutoff_month, method, forecast, actual, abs_pct_error, within_target.
    """
    plan = BacktestPlan(series, cutoffs=cutoffs, budget_months=budget_months, manual=manual, methods=methods)
    return plan.frame(run(plan.jobs) if run is not None else [backtest_one(job) for job in plan.jobs])


class BacktestPlan:
    """``backtest``'s jobs, planned once, and the table made of their results: several series' jobs can then
    be computed together (``forecasting.board.track_record_from_ledger``)."""

    def __init__(self, series: pd.Series, *, cutoffs: tuple[int, ...], budget_months: pd.Series | None,
                 manual: dict[tuple[int, int], float] | None, methods: tuple[str, ...]) -> None:
        history = as_monthly(series)
        self.manual = manual or {}
        self.planned: list[tuple] = []  # each row in the table's order, with its job's number (None: the managers')
        self.jobs: list[dict] = []
        for year in sorted(set(history.index.year)):
            months = history[history.index.year == year]
            if len(months) != 12:
                continue
            actual = float(months.sum())
            for cutoff in cutoffs:
                period = pd.Period(year=year, month=cutoff, freq="M")
                for method in methods:
                    if method == "budgetprofil" and budget_months is None:
                        continue
                    self.planned.append((year, cutoff, method, actual, len(self.jobs)))
                    self.jobs.append(dict(series=history, cutoff=period, budget_months=budget_months, method=method,
                                          n_paths=0, track_record=False))
                if (year, cutoff) in self.manual:
                    self.planned.append((year, cutoff, "verksamheternas prognos", actual, None))

    def frame(self, results: list[YearEndForecast | None]) -> pd.DataFrame:
        """The table, from the results of ``jobs`` in their order."""
        rows: list[BacktestRow] = []
        for year, cutoff, method, actual, number in self.planned:
            if number is None:
                rows.append(BacktestRow(year, cutoff, method, float(self.manual[(year, cutoff)]), actual))
                continue
            result = results[number]
            if result is not None and (method == "auto" or result.method == method):  # else not usable there
                rows.append(BacktestRow(year, cutoff, method if method != "auto" else f"auto ({result.method})",
                                        result.point, actual))
        return pd.DataFrame([{"year": r.year, "cutoff_month": r.cutoff_month, "method": r.method,
                              "forecast": r.forecast, "actual": r.actual, "abs_pct_error": r.abs_pct_error,
                              "within_target": r.within_target} for r in rows],
                            columns=["year", "cutoff_month", "method", "forecast", "actual", "abs_pct_error",
                                     "within_target"])
