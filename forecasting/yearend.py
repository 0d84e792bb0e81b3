"""The year-end forecast (helårsprognos) of one monthly series, with its uncertainty.

Values are in report sign (net cost negative): higher is better, and a deficit is a
year total below the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting import methods as m

MIN_HISTORY_YEARS = 2
COMBINATION = "ETS + fjolårskvot"
BACKTEST_YEARS = 3
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


def _relative_errors(history: pd.Series, names: list[str], cutoff_month: int, year: int,
                     budget_months: pd.Series | None, fitted: dict[str, m.MethodForecast]) -> dict[str, list[float]]:
    """Rolling-origin errors of each method on the series' own past years at the same cut-off.

    Model parameters estimated at the current cut-off are held fixed across the origins
    (rolling origin without re-estimation), so the evaluation costs one filter per origin.
    Errors are of the remaining months' sum, relative to the year's actual total.
    """
    errors: dict[str, list[float]] = {name: [] for name in names}
    horizon = 12 - cutoff_month
    years = [y for y in _complete_years_before(history, year) if y - 1 in _complete_years_before(history, year)]
    for past in years[-BACKTEST_YEARS:]:
        truncated = history[history.index < pd.Period(year=past, month=cutoff_month + 1, freq="M")]
        actual_year = history[history.index.year == past]
        actual_total = float(actual_year.sum())
        if actual_total == 0:
            continue
        at_origin: dict[str, m.MethodForecast | None] = {}
        for name in names:
            options = {"n_paths": 0}
            if name in m.MODELS:
                options["params"] = fitted[name].params.get("_raw")
            try:
                if name == COMBINATION:
                    parts = at_origin.get("ETS"), at_origin.get("fjolårskvot")
                    candidate = _combine(*parts) if all(p is not None for p in parts) else None
                else:
                    candidate = _candidate(name, truncated, past, cutoff_month, horizon, budget_months, **options)
            except (ValueError, np.linalg.LinAlgError):
                candidate = None
            at_origin[name] = candidate
            if candidate is None or not np.all(np.isfinite(candidate.mean)):
                continue
            predicted = float(actual_year.iloc[:cutoff_month].sum() + candidate.mean.sum())
            errors[name].append((predicted - actual_total) / abs(actual_total))
    return errors


def _combine(model: m.MethodForecast, ratio: m.MethodForecast) -> m.MethodForecast:
    """The mean of ETS and the last-year ratio, with ETS's path deviations around it.

    Combining a model with a simple benchmark is a well-documented way to reduce forecast
    error when neither is reliably better on a series.
    """
    mean = (model.mean + ratio.mean) / 2
    paths = None if model.paths is None else model.paths - model.mean[None, :] + mean[None, :]
    return m.MethodForecast(COMBINATION, mean, paths, {**{k: v for k, v in model.params.items()},
                                                     "kvot": ratio.params.get("kvot", float("nan"))})


def forecast_year_end(series: pd.Series, cutoff: pd.Period | tuple[int, int], *,
                      budget_months: pd.Series | None = None, method: str = "auto", n_paths: int = 1000,
                      seed: int = 0, candidates: tuple[str, ...] = ("ETS", "SARIMAX", "linjär framskrivning",
                                                                    "budgetprofil", "fjolårskvot",
                                                                    COMBINATION)) -> YearEndForecast:
    """Forecast the full-year total of ``series`` from its months up to ``cutoff``.

    Parameters
    ----------
    series : monthly values (report sign) with a PeriodIndex; later months are ignored.
    cutoff : the last closed month, e.g. ``pd.Period("2025-08", "M")`` for delår 2.
    budget_months : optional periodised budget per month (PeriodIndex), for the budget-profile
        method and the probability of a deficit.
    method : ``"auto"`` (chosen by rolling-origin error) or one of the candidate names.
    n_paths : number of simulated sample paths of the remaining months.

    Notes
    -----
    The point forecast is utfall hittills + Σ expected remaining months. P10/P50/P90 are
    percentiles of the simulated totals T_i = utfall hittills + Σ_k path_{i,k}: the remaining
    months are summed path by path, never by adding monthly intervals. When a method's own
    past errors at this cut-off are larger than its model spread, the paths' deviations are
    widened to match that track record. P(inom ±5 %) = share of paths with
    |T_i − punkt| ≤ 0,05·|punkt|; P(underskott) = share with T_i < budget.
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
    if method != "auto" and method not in candidates:
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

    reference = m.run_rate(history, year, cutoff_month, horizon)
    complete = _complete_years_before(history, year)
    fallback_reason = None
    fitted: dict[str, m.MethodForecast] = {}
    baseline_name = "budgetprofil" if budget is not None and "budgetprofil" in candidates else "linjär framskrivning"
    names = []
    for name in (c for c in candidates if c in m.BASELINES):
        candidate = _candidate(name, history, year, cutoff_month, horizon, budget_months)
        if candidate is not None and not is_absurd(candidate, reference.mean, actual_ytd):
            names.append(name)
    if len(complete) < MIN_HISTORY_YEARS:
        fallback_reason = "för kort historik (mindre än två hela år) för en statistisk modell"
    else:
        for name in (c for c in candidates if c in m.MODELS):
            if method not in ("auto", name):
                continue
            try:
                candidate = _candidate(name, history, year, cutoff_month, horizon, budget_months,
                                       n_paths=n_paths, seed=seed)
            except (ValueError, np.linalg.LinAlgError):
                candidate = None
            if candidate is None or is_absurd(candidate, reference.mean, actual_ytd):
                fallback_reason = f"{name} gav orimliga värden och används inte"
                continue
            fitted[name] = candidate
            names.append(name)
    if COMBINATION in candidates and method in ("auto", COMBINATION) and "ETS" in fitted and "fjolårskvot" in names:
        fitted[COMBINATION] = _combine(fitted["ETS"], _candidate("fjolårskvot", history, year, cutoff_month,
                                                                 horizon, budget_months))
        names.append(COMBINATION)
    # The track record selects the method (auto) and calibrates the paths; a forced method
    # without paths needs neither.
    needs_errors = len(complete) >= MIN_HISTORY_YEARS and (method == "auto" or n_paths > 0)
    errors = _relative_errors(history, names, cutoff_month, year, budget_months, fitted) \
        if needs_errors else {name: [] for name in names}
    scores = {name: float(np.mean(np.abs(e))) for name, e in errors.items() if len(e) >= 2}

    if method != "auto":
        chosen = method if (method in fitted or method in names) else baseline_name
    elif scores:
        chosen = min(scores, key=lambda name: (scores[name], name not in m.BASELINES))
    elif "ETS" in fitted:
        # Two full years are enough for the model but not yet for a track record to choose by;
        # the baselines are the fallback for shorter history and for fits that blow up.
        chosen = "ETS"
    else:
        chosen = baseline_name
    if chosen in fitted:
        selected = fitted[chosen]
    else:
        selected = _candidate(chosen, history, year, cutoff_month, horizon, budget_months) or reference
        chosen = selected.method
    paths = _paths(selected, errors.get(chosen, []), history, year, cutoff_month, horizon, n_paths, rng)
    params = {k: v for k, v in selected.params.items() if not k.startswith("_")}
    return _result(year, cutoff_month, actual_ytd, paths, selected.mean, budget, chosen, params, fallback_reason,
                   scores, period)


def _paths(selected: m.MethodForecast, errors: list[float], history: pd.Series, year: int, cutoff_month: int,
           horizon: int, n_paths: int, rng: np.random.Generator) -> np.ndarray:
    """Sample paths of the remaining months, calibrated to the method's own track record."""
    n = max(n_paths, 1)
    this_year = history[history.index.year == year]
    scale_total = abs(float(this_year.sum()) + float(selected.mean.sum()))
    empirical = float(np.sqrt(np.mean(np.square(errors)) * (len(errors) + 1) / len(errors))) * scale_total \
        if len(errors) >= 2 else None
    if selected.paths is not None and len(selected.paths) == n:
        deviations = selected.paths - selected.mean[None, :]
        spread = float(np.std(deviations.sum(axis=1)))
        if empirical is not None and spread > 0 and empirical > spread:
            deviations = deviations * (empirical / spread)
        return selected.mean[None, :] + deviations
    if empirical is None:
        # No track record: month-to-month variation of the year so far, as independent months,
        # plus the same again for the uncertainty of the level.
        monthly_sd = float(np.std(this_year.to_numpy(), ddof=1)) if len(this_year) > 1 else abs(float(selected.mean[0]))
        shocks = rng.normal(0.0, monthly_sd, size=(n, horizon)) + rng.normal(0.0, monthly_sd / 2, size=(n, 1))
        return selected.mean[None, :] + shocks
    weights = np.abs(selected.mean) / max(float(np.abs(selected.mean).sum()), 1e-12)
    totals = rng.standard_t(df=5, size=(n, 1)) * empirical * np.sqrt(3 / 5)
    return selected.mean[None, :] + totals * weights[None, :]


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


def backtest(series: pd.Series, *, cutoffs: tuple[int, ...] = (4, 8, 10), budget_months: pd.Series | None = None,
             manual: dict[tuple[int, int], float] | None = None,
             methods: tuple[str, ...] = ("auto", "ETS", "SARIMAX", "linjär framskrivning", "budgetprofil",
                                         "fjolårskvot")) -> pd.DataFrame:
    """Forecast each past year's total at each cut-off and compare with its December outcome.

    Every complete year of ``series`` is forecast from its months up to each cut-off, by each
    method (``auto`` = the method the selection would have chosen then) and, where given, by the
    managers' own forecasts in ``manual`` keyed by (year, cut-off month).

    Returns
    -------
    DataFrame with year, cutoff_month, method, forecast, actual, abs_pct_error, within_target.
    """
    history = as_monthly(series)
    rows: list[BacktestRow] = []
    years = sorted(set(history.index.year))
    for year in years:
        months = history[history.index.year == year]
        if len(months) != 12:
            continue
        actual = float(months.sum())
        for cutoff in cutoffs:
            period = pd.Period(year=year, month=cutoff, freq="M")
            for method in methods:
                if method == "budgetprofil" and budget_months is None:
                    continue
                try:
                    result = forecast_year_end(history, period, budget_months=budget_months, method=method,
                                               n_paths=0)
                except ValueError:
                    continue
                if method != "auto" and result.method != method:
                    continue  # the method could not be used at this origin
                rows.append(BacktestRow(year, cutoff, method if method != "auto" else f"auto ({result.method})",
                                        result.point, actual))
            if manual and (year, cutoff) in manual:
                rows.append(BacktestRow(year, cutoff, "verksamheternas prognos", float(manual[(year, cutoff)]), actual))
    frame = pd.DataFrame([{"year": r.year, "cutoff_month": r.cutoff_month, "method": r.method,
                           "forecast": r.forecast, "actual": r.actual, "abs_pct_error": r.abs_pct_error,
                           "within_target": r.within_target} for r in rows],
                         columns=["year", "cutoff_month", "method", "forecast", "actual", "abs_pct_error",
                                  "within_target"])
    return frame
