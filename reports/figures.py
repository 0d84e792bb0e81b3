"""Charts for the PDF, drawn with matplotlib in the same notation as the screens (IBCS)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from domain.formatting import format_number  # noqa: E402

GOOD, BAD, ACTUAL, FORECAST = "#2e7d32", "#c62828", "#404040", "#808080"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 11, "axes.spines.top": False,
                     "axes.spines.right": False, "hatch.color": FORECAST})
SWEDISH = FuncFormatter(lambda value, _: format_number(value))



def _plain(name: object) -> str:
    """A name as literal text: matplotlib would read a pair of dollar signs as mathematics."""
    return str(name).replace("$", r"\$")

def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def forecast(pack) -> bytes:
    figure, axis = plt.subplots(figsize=(11, 4.2))
    labels = list(pack.cumulative_budget["label"])
    x = np.arange(len(labels))
    budget = -pack.cumulative_budget["cumulative"].to_numpy() / 1000
    axis.bar(x - 0.2, budget, 0.38, facecolor="none", edgecolor=ACTUAL, linewidth=1.5, label="Budget")
    actual = -pack.cumulative_actual["cumulative"].to_numpy() / 1000
    axis.bar(x[: len(actual)] + 0.2, actual, 0.38, color=ACTUAL, label="Utfall")
    fan = pack.fan
    offset = len(actual)
    axis.bar(x[offset:offset + len(fan)] + 0.2, -fan["cum_mean"].to_numpy() / 1000, 0.38, facecolor="white",
             edgecolor=FORECAST, hatch="//", label="Prognos")
    axis.fill_between(x[offset:offset + len(fan)] + 0.2, -fan["cum_p10"].to_numpy() / 1000,
                      -fan["cum_p90"].to_numpy() / 1000, color="#1f5f8b", alpha=0.2, label="P10–P90")
    point = -pack.board.point / 1000
    axis.errorbar([x[-1] + 0.2], [point], yerr=[[point * 0.05], [point * 0.05]], color="#1f5f8b", capsize=8,
                  linewidth=2, label="±5 % kring prognosen")
    axis.set_xticks(x, labels)
    axis.yaxis.set_major_formatter(SWEDISH)
    axis.set_ylabel("Nettokostnad ackumulerat, tkr")
    axis.legend(ncol=5, loc="upper left", frameon=False)
    return _png(figure)


def variances(frame, total: float) -> bytes:
    data = frame.sort_values("variance_ytd")
    names = [_plain(name) for name in data["activity"]] + ["Summa"]
    values = list(data["variance_ytd"] / 1000) + [total / 1000]
    figure, axis = plt.subplots(figsize=(11, 4.2))
    y = np.arange(len(names))[::-1]
    axis.barh(y, values, color=[GOOD if v >= 0 else BAD for v in values])
    for position, value in zip(y, values):
        axis.text(value, position, f" {format_number(value, plus=True)} ", va="center",
                  ha="left" if value >= 0 else "right", fontsize=10)
    axis.set_yticks(y, names)
    axis.axvline(0, color="#333", linewidth=1)
    axis.xaxis.set_major_formatter(SWEDISH)
    axis.set_xlabel("Avvikelse, tkr (positiv = gynnsam)")
    span = max(abs(v) for v in values) * 1.35
    axis.set_xlim(-span, span)
    return _png(figure)


def waterfall(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str, end: float, *,
              costs: bool) -> bytes:
    """A bridge; ``costs`` = amounts are costs (an increase is unfavourable)."""
    labels = [_plain(start_label)] + [_plain(name) for name, _ in steps] + [_plain(end_label)]
    figure, axis = plt.subplots(figsize=(11, 4.2))
    level = start / 1000
    axis.bar(0, level, color=ACTUAL)
    levels = [level]
    for index, (_, value) in enumerate(steps, start=1):
        amount = value / 1000
        favourable = (amount < 0) if costs else (amount > 0)
        axis.bar(index, amount, bottom=level, color=GOOD if favourable else BAD)
        axis.text(index, level + amount, format_number(amount, plus=True), ha="center",
                  va="bottom" if amount >= 0 else "top", fontsize=9)
        level += amount
        levels.append(level)
    axis.bar(len(labels) - 1, end / 1000, color=ACTUAL)
    for index, total in ((0, start / 1000), (len(labels) - 1, end / 1000)):
        axis.text(index, total, format_number(total), ha="center", va="bottom" if total >= 0 else "top",
                  fontsize=9, fontweight="bold")
    low, high = min(levels + [end / 1000]), max(levels + [end / 1000])
    margin = max(high - low, abs(start / 1000) * 0.01, 1.0)
    axis.set_ylim(low - margin * 0.6, high + margin * 0.35)
    axis.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
    axis.yaxis.set_major_formatter(SWEDISH)
    axis.set_ylabel("tkr (axeln börjar inte vid noll)")
    return _png(figure)


def variance_bridge(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str,
                    end: float) -> bytes:
    """The result against budget from one total to another, horizontally, the axis at zero (the budget)."""
    labels = [_plain(start_label)] + [_plain(name) for name, _ in steps] + [_plain(end_label)]
    figure, axis = plt.subplots(figsize=(11, 0.9 + 0.45 * len(labels)))
    y = np.arange(len(labels))[::-1]
    level = start / 1000
    bars = [(0.0, level, ACTUAL)]
    for _, value in steps:
        amount = value / 1000
        bars.append((level, amount, GOOD if amount >= 0 else BAD))
        level += amount
    bars.append((0.0, end / 1000, ACTUAL))
    ends = []
    for position, (left, width, colour) in zip(y, bars):
        axis.barh(position, width, left=left, color=colour, height=0.6)
        tip = left + width
        ends.append(tip)
        total = colour == ACTUAL
        axis.text(tip, position, f" {format_number(width, plus=True)} ", va="center",
                  ha="left" if width >= 0 else "right", fontsize=10, fontweight="bold" if total else "normal")
    axis.axvline(0, color="#333", linewidth=1.2)
    low, high = min(0.0, *ends, *(b[0] for b in bars)), max(0.0, *ends, *(b[0] for b in bars))
    pad = max(high - low, 1.0) * 0.2
    axis.set_xlim(low - (pad if low < 0 else 0.0), high + (pad if high > 0 else 0.0))
    axis.set_yticks(y, labels)
    axis.xaxis.set_major_formatter(SWEDISH)
    axis.set_xlabel("Resultat mot budget, tkr (positivt = överskott)")
    return _png(figure)


def sick_leave(monthly, trend) -> bytes:
    data = monthly.tail(24)
    labels = [p.strftime("%m/%y") for p in data["period"]]
    figure, axis = plt.subplots(figsize=(11, 4.2))
    axis.plot(labels, data["rate"] * 100, color=ACTUAL, linewidth=2.5, marker="o", label="Nämnden")
    axis.plot(labels, data["rate_last_year"] * 100, color=ACTUAL, linewidth=1, linestyle=":", label="Samma månad i fjol")
    if trend is not None:
        axis.plot(labels, trend.reindex(data["period"]).to_numpy() * 100, color="#e0a800", linewidth=2.5,
                  label="Trend (säsongsrensad)")
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{format_number(v, 0)} %"))
    axis.set_ylim(bottom=0)
    axis.tick_params(axis="x", rotation=45)
    axis.legend(frameon=False, ncol=3, loc="lower left")
    return _png(figure)
