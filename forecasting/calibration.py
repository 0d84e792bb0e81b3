"""The calibrated distribution of the year-end forecast's standardised error.

The year-end forecast states its uncertainty as P + |P|·s'·z (see ``forecasting.yearend``): P the
point forecast, s' the relative scale (below), z a standardised error. The distribution of z is
learned, not assumed: ``learn`` takes the standardised errors z = (A − P)/(|P|·s') of the same
procedure on many public series with known outcomes (the monthly series of the M3 and Tourism
forecasting competitions, cut at August) and keeps their empirical quantiles, one table per number
n of past years in the series' own track record (fewer past years, a less certain scale, wider
tails) and, within it, per fifth of s' (an estimated scale is too small where it is small and too
large where it is large: the table per fifth corrects that, so that a stated probability holds
whatever its size).

The scale s is the series' own (``yearend.scale``); it widens where the forecasting methods
disagree. With d the standard deviation of the candidates' year totals relative to |P|
(``disagreement``),

    s' = s · max(d/s, r_min)^w        (``effective_scale``; r_min = 0,05; s' = s with fewer than three
                                       candidates),

a weighted geometric mean of the series' own scale and the methods' disagreement. The weight w is
the slope of the least-squares line of log|z| on log max(d/s, r_min), learned with the table: on the
public series |z| grows with d/s (a year where the methods agree lands closer to the forecast than
its scale alone says). w = 0 in a table without it.

This is split conformal prediction with a normalised nonconformity score |z|: when the public
series and a municipality's series are exchangeable after standardisation, the interval
P + |P|·s'·[q(0,1), q(0,9)] contains the outcome 80 % of the time. ``benchmarks/forecast_accuracy.py``
measures the coverage on the full sets (with the shipped table, a table learned in the run, one
learned on the other half of the series, and one learned on the other set only) and writes
``calibration.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MAX_TRACK_YEARS = 5
MIN_COUNT = 200
SCALE_BINS = 5
TABLE = Path(__file__).with_name("calibration.json")
PROBABILITIES = np.round(np.arange(0.005, 1.0, 0.005), 3)
MIN_CANDIDATES = 3
RATIO_FLOOR = 0.05


@dataclass(frozen=True)
class Table:
    """A parsed table: per number of past years, the edges between the fifths of s' and one row of
    quantiles per fifth; and the weight w of the disagreement in s'."""

    buckets: dict[int, tuple[np.ndarray, np.ndarray]]
    disagreement_weight: float = 0.0


def parse(data: dict) -> Table:
    """A table as ``learn`` writes it."""
    return Table({int(n): (np.asarray(entry["scale_edges"], dtype=float), np.asarray(entry["quantiles"], dtype=float))
                  for n, entry in data["buckets"].items()},
                 float(data.get("disagreement_weight", 0.0)))


@cache
def _table() -> Table:
    return parse(json.loads(TABLE.read_text(encoding="utf-8")))


def disagreement(totals, point: float) -> float:
    """d: the standard deviation of the candidates' year totals relative to |P|; NaN with fewer than
    ``MIN_CANDIDATES`` candidates or P = 0."""
    values = np.asarray([v for v in totals if np.isfinite(v)], dtype=float)
    if len(values) < MIN_CANDIDATES or point == 0 or not np.isfinite(point):
        return float("nan")
    return float(np.std(values) / abs(point))


def effective_scale(relative_scale, disagreement_, table: Table | None = None):
    """s' = s · max(d/s, r_min)^w, the scale the errors are standardised by; s where d is NaN. For one
    year (floats, a float back) or many at once (arrays of one shape, an array back)."""
    table = table if table is not None else _table()
    s = np.asarray(relative_scale, dtype=float)
    d = np.asarray(disagreement_, dtype=float)
    widened = s
    if table.disagreement_weight != 0.0:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.maximum(d / s, RATIO_FLOOR)
            widened = np.where(np.isfinite(d), s * ratio ** table.disagreement_weight, s)
    return float(widened) if widened.ndim == 0 else widened


def _row(track_years: int, relative_scale: float, table: Table | None = None) -> np.ndarray:
    buckets = (table if table is not None else _table()).buckets
    n = min(max(int(track_years), 0), MAX_TRACK_YEARS)
    edges, rows = buckets[min(buckets, key=lambda key: (abs(key - n), key))]
    return rows[int(np.searchsorted(edges, relative_scale, side="right"))]


def quantiles(track_years: int, relative_scale: float, probabilities: np.ndarray, table: Table | None = None) -> np.ndarray:
    """Quantiles of z for a track record of ``track_years`` past years and scale ``relative_scale``
    (s', from ``effective_scale``; linear between the grid's probabilities 0,005 … 0,995; held at the
    ends beyond them). ``table`` (from ``parse``) instead of the shipped one, for measuring another table."""
    row = _row(track_years, relative_scale, table)
    return np.interp(np.asarray(probabilities, dtype=float), PROBABILITIES, row)


def probability_within(track_years: int, relative_scale: float, limit: float, table: Table | None = None) -> float:
    """P(|s'·z| ≤ limit): the stated probability that the outcome lands within ± ``limit`` of P."""
    row = _row(track_years, relative_scale, table)
    bound = limit / relative_scale
    upper = np.interp(bound, row, PROBABILITIES, left=0.0, right=1.0)
    lower = np.interp(-bound, row, PROBABILITIES, left=0.0, right=1.0)
    return float(upper - lower)


def learn(z: np.ndarray, track_years: np.ndarray, relative_scale: np.ndarray, *, source: str,
          disagreements: np.ndarray | None = None) -> dict:
    """The weight w and the quantile tables of standardised errors, per number of past years and fifth of s'.

    ``z`` = (A − P)/(|P|·s) with the series' own scale s; with ``disagreements`` (d per error, NaN where
    fewer than three candidates), w is the least-squares slope of log|z| on log max(d/s, r_min), and
    the tables hold the quantiles of z·s/s'. A number of past years with fewer than ``SCALE_BINS`` ×
    ``MIN_COUNT`` errors is pooled with its neighbours (first the smaller numbers) until it has them.
    """
    z = np.asarray(z, dtype=float)
    n = np.minimum(np.asarray(track_years, dtype=int), MAX_TRACK_YEARS)
    s = np.asarray(relative_scale, dtype=float)
    d = np.full(len(z), np.nan) if disagreements is None else np.asarray(disagreements, dtype=float)
    keep = np.isfinite(z) & np.isfinite(s) & (s > 0)
    z, n, s, d = z[keep], n[keep], s[keep], d[keep]
    weight = _disagreement_weight(z, s, d)
    effective = effective_scale(s, d, Table({}, weight))
    z, s = z * s / effective, effective
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
    return {"source": source, "disagreement_weight": round(weight, 4),
            "probabilities": [float(p) for p in PROBABILITIES], "buckets": buckets}


def _disagreement_weight(z: np.ndarray, s: np.ndarray, d: np.ndarray) -> float:
    """The least-squares slope of log|z| on log max(d/s, r_min), over the errors with a disagreement;
    0 with fewer than ``MIN_COUNT`` of them."""
    usable = np.isfinite(d) & (z != 0)
    if usable.sum() < MIN_COUNT:
        return 0.0
    x = np.log(np.maximum(d[usable] / s[usable], RATIO_FLOOR))
    y = np.log(np.abs(z[usable]))
    slope = np.cov(x, y, bias=True)[0, 1] / np.var(x) if np.var(x) > 0 else 0.0
    return float(np.clip(slope, 0.0, 1.0))


def save(table: dict, path: Path = TABLE) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _table.cache_clear()
