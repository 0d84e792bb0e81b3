"""The calibrated distribution of the year-end forecast's standardised error.

The year-end forecast states its uncertainty as P + |P|·s·z (see ``forecasting.yearend``): P the
point forecast, s the series' relative scale, z a standardised error. The distribution of z is
learned, not assumed: ``learn`` takes the standardised errors z = (A − P)/(|P|·s) of the same
procedure on many public series with known outcomes (the monthly series of the M3 and Tourism
forecasting competitions, cut at August) and keeps their empirical quantiles, one table per number
n of past years in the series' own track record (fewer past years, a less certain s, wider tails)
and, within it, per fifth of the scale s (an estimated scale is too small where it is small and too
large where it is large: the table per fifth corrects that, so that a stated probability holds
whatever its size).

This is split conformal prediction with a normalised nonconformity score |z|: when the public
series and a municipality's series are exchangeable after standardisation, the interval
P + |P|·s·[q(0,1), q(0,9)] contains the outcome 80 % of the time. ``benchmarks/forecast_accuracy.py``
measures the coverage on the full sets, in-sample and across sets (learned on one, tested on the
other), and writes ``calibration.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

MAX_TRACK_YEARS = 5
MIN_COUNT = 200
SCALE_BINS = 5
TABLE = Path(__file__).with_name("calibration.json")
PROBABILITIES = np.round(np.arange(0.005, 1.0, 0.005), 3)


def parse(data: dict) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """A table as ``learn`` writes it → per number of past years: the edges between the fifths of s,
    and one row of quantiles per fifth."""
    return {int(n): (np.asarray(entry["scale_edges"], dtype=float), np.asarray(entry["quantiles"], dtype=float))
            for n, entry in data["buckets"].items()}


@cache
def _table() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    return parse(json.loads(TABLE.read_text(encoding="utf-8")))


def _row(track_years: int, relative_scale: float, table: dict | None = None) -> np.ndarray:
    table = table if table is not None else _table()
    n = min(max(int(track_years), 0), MAX_TRACK_YEARS)
    edges, rows = table[min(table, key=lambda key: (abs(key - n), key))]
    return rows[int(np.searchsorted(edges, relative_scale, side="right"))]


def quantiles(track_years: int, relative_scale: float, probabilities: np.ndarray, table: dict | None = None) -> np.ndarray:
    """Quantiles of z for a track record of ``track_years`` past years and scale ``relative_scale``
    (linear between the grid's probabilities 0,005 … 0,995; held at the ends beyond them). ``table``
    (from ``parse``) instead of the shipped one, for measuring another table."""
    row = _row(track_years, relative_scale, table)
    return np.interp(np.asarray(probabilities, dtype=float), PROBABILITIES, row)


def probability_within(track_years: int, relative_scale: float, limit: float, table: dict | None = None) -> float:
    """P(|s·z| ≤ limit): the stated probability that the outcome lands within ± ``limit`` of P."""
    row = _row(track_years, relative_scale, table)
    bound = limit / relative_scale
    upper = np.interp(bound, row, PROBABILITIES, left=0.0, right=1.0)
    lower = np.interp(-bound, row, PROBABILITIES, left=0.0, right=1.0)
    return float(upper - lower)


def learn(z: np.ndarray, track_years: np.ndarray, relative_scale: np.ndarray, *, source: str) -> dict:
    """The quantile tables of standardised errors ``z``, per number of past years and fifth of s.

    A number of past years with fewer than ``SCALE_BINS`` × ``MIN_COUNT`` errors is pooled with its
    neighbours (first the smaller numbers) until it has them.
    """
    z = np.asarray(z, dtype=float)
    n = np.minimum(np.asarray(track_years, dtype=int), MAX_TRACK_YEARS)
    s = np.asarray(relative_scale, dtype=float)
    keep = np.isfinite(z) & np.isfinite(s)
    z, n, s = z[keep], n[keep], s[keep]
    buckets = {}
    for years in range(MAX_TRACK_YEARS + 1):
        low, high = years, years
        members = n == years
        while members.sum() < SCALE_BINS * MIN_COUNT and (low > 0 or high < MAX_TRACK_YEARS):
            low, high = (low - 1, high) if low > 0 else (low, high + 1)
            members = (n >= low) & (n <= high)
        if members.sum() < SCALE_BINS:
            continue
        edges = np.quantile(s[members], np.arange(1, SCALE_BINS) / SCALE_BINS)
        bins = np.searchsorted(edges, s[members], side="right")
        rows = [np.quantile(z[members][bins == k], PROBABILITIES) for k in range(SCALE_BINS)]
        buckets[str(years)] = {"count": int(members.sum()), "past_years": [low, high],
                               "scale_edges": [round(float(v), 6) for v in edges],
                               "quantiles": [[round(float(v), 5) for v in row] for row in rows]}
    return {"source": source, "probabilities": [float(p) for p in PROBABILITIES], "buckets": buckets}


def save(table: dict, path: Path = TABLE) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _table.cache_clear()
