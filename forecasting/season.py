"""Trend separated from season (STL), so that a low July is not mistaken for improvement."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from forecasting.yearend import as_monthly

SEASON = 12


@dataclass(frozen=True)
class SeasonalTrend:
    observed: pd.Series
    trend: pd.Series
    seasonal: pd.Series
    adjusted: pd.Series  # observed − seasonal


def seasonal_trend(series: pd.Series) -> SeasonalTrend:
    """STL decomposition (statsmodels, robust) of a monthly series with at least two years.

    Notes
    -----
    observed = trend + seasonal + residual; the seasonally adjusted series is observed − seasonal.
    """
    from statsmodels.tsa.seasonal import STL

    data = as_monthly(series)
    if len(data) < 2 * SEASON:
        raise ValueError("minst två hela år behövs för att skilja trend från säsong")
    result = STL(data.to_timestamp(), period=SEASON, robust=True).fit()
    index = data.index
    return SeasonalTrend(
        observed=data,
        trend=pd.Series(result.trend.to_numpy(), index=index),
        seasonal=pd.Series(result.seasonal.to_numpy(), index=index),
        adjusted=pd.Series((data.to_numpy() - result.seasonal.to_numpy()), index=index),
    )
