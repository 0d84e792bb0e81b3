"""Statistical year-end forecasts (statsmodels): monthly series in, results objects out."""
