"""Candidate methods for the months that remain of a year.

Every method takes the monthly history up to the cut-off and returns the expected
value of each remaining month and, where it has a model of its own, simulated
sample paths of those months. Baselines get their paths from their own track record
(see ``forecasting.yearend``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SEASON = 12


@dataclass(frozen=True)
class MethodForecast:
    """Expected remaining months, optional sample paths (n_paths × months), fitted parameters."""

    method: str
    mean: np.ndarray
    paths: np.ndarray | None = None
    params: dict[str, float] = field(default_factory=dict)


def preload() -> None:
    """Import statsmodels' models ahead of the first fit, which would otherwise spend about a second on it."""
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401
    import statsmodels.tsa.forecasting.theta  # noqa: F401
    import statsmodels.tsa.statespace.sarimax  # noqa: F401


def _year_slices(history: pd.Series, year: int) -> pd.Series:
    return history[history.index.year == year]


def run_rate(history: pd.Series, year: int, cutoff_month: int, horizon: int, **_) -> MethodForecast:
    """Linear run-rate: every remaining month at the average of the months so far (utfall × 12 / månader)."""
    ytd = _year_slices(history, year)
    level = float(ytd.mean())
    return MethodForecast("linjär framskrivning", np.full(horizon, level), params={"månadsnivå": level})


def budget_profile(history: pd.Series, year: int, cutoff_month: int, horizon: int, *,
                   budget_months: pd.Series | None = None, **_) -> MethodForecast | None:
    """Utfall so far plus the remaining periodised budget."""
    if budget_months is None or len(budget_months) < cutoff_month + horizon:
        return None
    remaining = np.asarray(budget_months.iloc[cutoff_month:cutoff_month + horizon], dtype=float)
    if not np.all(np.isfinite(remaining)):
        return None
    return MethodForecast("budgetprofil", remaining, params={"återstående budget": float(remaining.sum())})


def last_year_ratio(history: pd.Series, year: int, cutoff_month: int, horizon: int, **_) -> MethodForecast | None:
    """Last year's remaining months scaled by this year's utfall / last year's same-period utfall."""
    last = _year_slices(history, year - 1)
    if len(last) < 12:
        return None
    ytd = float(_year_slices(history, year).sum())
    last_ytd = float(last.iloc[:cutoff_month].sum())
    if last_ytd == 0 or np.sign(last_ytd) != np.sign(ytd):
        return None
    ratio = ytd / last_ytd
    remaining = np.asarray(last.iloc[cutoff_month:cutoff_month + horizon], dtype=float) * ratio
    return MethodForecast("fjolårskvot", remaining, params={"kvot": ratio})


def ets(history: pd.Series, year: int, cutoff_month: int, horizon: int, *, n_paths: int = 1000,
        seed: int = 0, params: np.ndarray | None = None, **_) -> MethodForecast:
    """ETS(A,N,A) from statsmodels, fitted by maximum likelihood (or smoothed with given ``params``).

    Additive error and season work for net costs that are negative, zero in some months or lumpy.
    Sample paths come from ``ETSModelResults.simulate``.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # statsmodels warns about convergence on short or flat series; the guard in yearend judges the fit.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Heuristic initial states (from the first years) leave only the smoothing parameters to
        # estimate, which keeps the fit fast and stable; short series estimate the states too.
        if params is not None:
            initialization = "heuristic" if len(params) == 2 else "estimated"
        else:
            initialization = "heuristic" if len(history) >= 3 * SEASON else "estimated"
        model = ETSModel(history.astype(float), error="add", trend=None, seasonal="add",
                         seasonal_periods=SEASON, initialization_method=initialization)
        result = model.smooth(params) if params is not None else model.fit(disp=False, maxiter=300)
        mean = np.asarray(result.forecast(horizon), dtype=float)
        paths = None
        if n_paths:
            simulated = result.simulate(horizon, repetitions=n_paths, anchor="end",
                                        rng=np.random.default_rng(seed))
            paths = np.asarray(simulated, dtype=float).reshape(horizon, n_paths).T
    names = list(getattr(result.model, "param_names", [])) or [str(i) for i in range(len(result.params))]
    fitted = {name: float(value) for name, value in zip(names, np.asarray(result.params))}
    return MethodForecast("ETS", mean, paths, fitted | {"_raw": np.asarray(result.params)})


def sarimax(history: pd.Series, year: int, cutoff_month: int, horizon: int, *, n_paths: int = 1000,
            seed: int = 0, params: np.ndarray | None = None, **_) -> MethodForecast:
    """Seasonal ARIMA(0,1,1)(0,1,1)12 (the airline model) from statsmodels' SARIMAX.

    Paths are drawn from the fitted model's ψ-weights: the h-step forecast errors are
    e_k = Σ_{j<k} ψ_j ε_{k−j} with ε ~ N(0, σ²), the same process ``simulate`` draws from.
    """
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(history.astype(float), order=(0, 1, 1), seasonal_order=(0, 1, 1, SEASON))
        result = model.smooth(params) if params is not None else model.fit(disp=False, maxiter=200)
        mean = np.asarray(result.forecast(horizon), dtype=float)
        paths = None
        if n_paths:
            psi = np.asarray(result.impulse_responses(steps=horizon - 1), dtype=float).ravel()[:horizon]
            sigma = float(np.sqrt(max(float(np.asarray(result.params)[-1]), 0.0)))
            shocks = np.random.default_rng(seed).normal(0.0, sigma, size=(n_paths, horizon))
            errors = np.zeros_like(shocks)
            for k in range(horizon):
                errors[:, k] = shocks[:, : k + 1] @ psi[: k + 1][::-1]
            paths = mean[None, :] + errors
    fitted = {name: float(value) for name, value in zip(result.param_names, np.asarray(result.params))}
    return MethodForecast("SARIMAX", mean, paths, fitted | {"_raw": np.asarray(result.params)})


def _orientation(history: pd.Series) -> float:
    """+1 for a series of mostly positive values, −1 for net costs in report sign (negative)."""
    return 1.0 if float(history.mean()) >= 0 else -1.0


def log_sarimax(history: pd.Series, year: int, cutoff_month: int, horizon: int, *,
                params: np.ndarray | None = None, **_) -> MethodForecast | None:
    """The airline model on the logarithm of the series (turned positive), for growth in per cent.

    Only for series whose every month is strictly positive once costs are turned positive; the
    expected month is exp of the log forecast (the median, which is what the combination uses).
    """
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    sign = _orientation(history)
    values = history.to_numpy(dtype=float) * sign
    if len(values) < 2 * SEASON or not np.all(values > 0):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SARIMAX(pd.Series(np.log(values), index=history.index), order=(0, 1, 1),
                        seasonal_order=(0, 1, 1, SEASON))
        result = model.smooth(params) if params is not None else model.fit(disp=False, maxiter=200)
        mean = sign * np.exp(np.asarray(result.forecast(horizon), dtype=float))
    fitted = {name: float(value) for name, value in zip(result.param_names, np.asarray(result.params))}
    return MethodForecast("log-SARIMAX", mean, None, fitted | {"_raw": np.asarray(result.params)})


def theta(history: pd.Series, year: int, cutoff_month: int, horizon: int, **_) -> MethodForecast | None:
    """The Theta method (Assimakopoulos & Nikolopoulos) from statsmodels, seasonally adjusted.

    Theta was the best single method of the M3 competition's monthly series. It is re-estimated at
    every origin: the fit is closed-form apart from one smoothing parameter.
    """
    from statsmodels.tsa.forecasting.theta import ThetaModel

    sign = _orientation(history)
    if len(history) < 2 * SEASON:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ThetaModel(history.astype(float) * sign, period=SEASON).fit()
        mean = sign * np.asarray(result.forecast(horizon), dtype=float)
    return MethodForecast("Theta", mean, None, {"theta": 2.0})


def blocks(values: np.ndarray, horizon: int) -> np.ndarray:
    """The values summed in blocks of ``horizon``, counted back from the last (a shorter first block is dropped)."""
    usable = len(values) - len(values) % horizon
    return values[len(values) - usable:].reshape(-1, horizon).sum(axis=1)


def block_ets(history: pd.Series, year: int, cutoff_month: int, horizon: int, *,
              params: np.ndarray | None = None, **_) -> MethodForecast | None:
    """The months that remain as one block: damped ETS(A,Ad,A) on the history summed in blocks.

    Temporal aggregation. The months up to the cut-off are summed in blocks of ``horizon`` months,
    counted back from the cut-off, so that the months that remain are the next block; with
    p = 12/h blocks a year (three after August) the block series is seasonal with period p. Its
    one-step forecast B is the remainder of the year. Only where h divides the year and the block
    series has at least 2p + 1 blocks. The months are last year's same months shifted equally to
    add up to B: m_k = L_k + (B − Σ L)/h. Summing before fitting smooths the month-to-month noise
    that the monthly models must see through.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if SEASON % horizon:
        return None
    period = SEASON // horizon
    summed = blocks(history.to_numpy(dtype=float), horizon)
    if len(summed) < 2 * period + 1:
        return None
    sign = 1.0 if float(summed.mean()) >= 0 else -1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(pd.Series(summed * sign), error="add", trend="add", damped_trend=True, seasonal="add",
                         seasonal_periods=period, initialization_method="estimated")
        result = model.smooth(params) if params is not None else model.fit(disp=False, maxiter=300)
        total = sign * float(np.asarray(result.forecast(1), dtype=float)[0])
    last = _year_slices(history, year - 1)
    shape = np.asarray(last.iloc[cutoff_month:cutoff_month + horizon], dtype=float) if len(last) == SEASON \
        else np.zeros(horizon)
    mean = shape + (total - float(shape.sum())) / horizon
    names = list(getattr(result.model, "param_names", [])) or [str(i) for i in range(len(result.params))]
    fitted = {name: float(value) for name, value in zip(names, np.asarray(result.params))}
    return MethodForecast("block-ETS", mean, None, fitted | {"_raw": np.asarray(result.params)})


BASELINES = {"linjär framskrivning": run_rate, "budgetprofil": budget_profile, "fjolårskvot": last_year_ratio}
MODELS = {"ETS": ets, "SARIMAX": sarimax, "log-SARIMAX": log_sarimax, "Theta": theta, "block-ETS": block_ets}
