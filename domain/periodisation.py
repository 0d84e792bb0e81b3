"""Spreading an annual budget over months (periodiserad budget)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MIN_HISTORY_YEARS = 2
HISTORY_YEARS = 3


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` whole kronor by ``weights`` so that the parts add up exactly.

    Largest-remainder rounding: each part is floored, and the kronor left over go
    to the parts with the largest fractional remainders.
    """
    weight_sum = float(sum(weights))
    if weight_sum <= 0:
        raise ValueError("vikterna måste ha en positiv summa")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    exact = [magnitude * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    left = magnitude - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


def seasonal_profile(history: Mapping[tuple[int, int], float], budget_year: int) -> list[float] | None:
    """Monthly shares from the last complete years' utfall before ``budget_year``.

    Uses up to three years that have all twelve months; needs at least two. Returns
    ``None`` (use a linear profile) when history is short or when the shares are not
    all of one sign, which happens for lines that switch between net cost and net income.
    """
    years = sorted({y for y, _ in history if y < budget_year}, reverse=True)
    complete = [y for y in years if all((y, m) in history for m in range(1, 13))][:HISTORY_YEARS]
    if len(complete) < MIN_HISTORY_YEARS:
        return None
    sums = [sum(history[(y, m)] for y in complete) for m in range(1, 13)]
    total = sum(sums)
    if total == 0:
        return None
    shares = [s / total for s in sums]
    if any(share < 0 for share in shares):
        return None
    return shares


def periodise(annual_kr: int, history: Mapping[tuple[int, int], float], budget_year: int) -> tuple[list[int], str]:
    """The twelve monthly budget amounts and the name of the profile used (``säsong`` or ``linjär``)."""
    profile = seasonal_profile(history, budget_year)
    if profile is None:
        return allocate(annual_kr, [1.0] * 12), "linjär"
    return allocate(annual_kr, profile), "säsong"
