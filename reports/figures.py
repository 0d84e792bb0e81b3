"""Charts for the PDF, drawn with matplotlib in the same notation as the screens (IBCS)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from domain.forecast_view import (MANAGERS_DEFAULT, RULE_LINE_CAPTION, fan_rule_label, interval_known,  # noqa: E402
                                  interval_legend)
from domain.formatting import format_mnkr, format_number  # noqa: E402
from domain.markup import plain  # noqa: E402
from domain.meeting import VARIANCE_PANELS  # noqa: E402
from domain.periods import month_label  # noqa: E402
from domain.sick_leave import rolling_12  # noqa: E402

GOOD, BAD, ACTUAL, FORECAST = "#2e7d32", "#c62828", "#404040", "#808080"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 11, "axes.spines.top": False,
                     "axes.spines.right": False, "hatch.color": FORECAST})
SWEDISH = FuncFormatter(lambda value, _: format_number(value))



def _plain(name: object) -> str:
    """A name as literal text: matplotlib would read a pair of dollar signs as mathematics (and a direction
    control is shown as its code, as on the pages)."""
    return plain(str(name)).replace("$", r"\$")

def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def forecast(pack) -> bytes:
    """The net cost accumulated over the year, for a nämnd with no budget to draw the result against."""
    figure, axis = plt.subplots(figsize=(11, 5.2))
    labels = list(pack.cumulative_budget["label"])
    x = np.arange(len(labels))
    budget = -pack.cumulative_budget["cumulative"].to_numpy() / 1000
    axis.bar(x - 0.2, budget, 0.38, facecolor="none", edgecolor=ACTUAL, linewidth=1.5, label="Budget")
    actual = -pack.cumulative_actual["cumulative"].to_numpy() / 1000
    axis.bar(x[: len(actual)] + 0.2, actual, 0.38, color=ACTUAL, label="Utfall")
    fan = pack.fan
    offset = len(actual)
    axis.bar(x[offset:offset + len(fan)] + 0.2, -fan["cum_mean"].to_numpy() / 1000, 0.38, facecolor="white",
             edgecolor=FORECAST, hatch="//", label="Statistisk prognos")
    if interval_known(fan["cum_p10"]):
        axis.fill_between(x[offset:offset + len(fan)] + 0.2, -fan["cum_p10"].to_numpy() / 1000,
                          -fan["cum_p90"].to_numpy() / 1000, color="#1f5f8b", alpha=0.2, label="P10–P90")
    locked = pack.official.locked_point if pack.official is not None else None
    point = -(pack.board.point if locked is None else locked) / 1000  # the figure the 5 % rule judges
    axis.errorbar([x[-1] + 0.2], [point], yerr=[[abs(point) * 0.05], [abs(point) * 0.05]], color="#1f5f8b",
                  capsize=8, linewidth=2, label=fan_rule_label(locked is not None))
    axis.set_xticks(x, labels)
    axis.yaxis.set_major_formatter(SWEDISH)
    axis.set_ylabel("Nettokostnad ackumulerat, tkr")
    axis.legend(ncol=5, loc="upper left", frameon=False)
    return _png(figure)


def year(pack) -> bytes:
    """The first page's chart: the result against budget over the year, or the net cost without a budget."""
    path = pack.result_path
    return forecast(pack) if path is None else result_path(path)


def result_path(path) -> bytes:
    """The result against budget accumulated over the year (``domain.forecast_view.result_path``), as the
    first slide draws it: utfall solid, the forecast dashed with its P10–P90, zero the budget."""
    return _png(result_path_figure(path))


def result_path_figure(path):
    """``result_path``'s matplotlib figure, with the year-end figures written beside their markers."""
    figure, axis = plt.subplots(figsize=(11, 5.2))
    x = np.arange(len(path))
    ahead = path["mean"].notna().to_numpy()
    locked = path["locked"].notna().to_numpy()
    if interval_known(path["p10"].to_numpy()[ahead]):
        axis.fill_between(x[ahead], path["p10"].to_numpy()[ahead] / 1000, path["p90"].to_numpy()[ahead] / 1000,
                          color="#1f5f8b", alpha=0.18, linewidth=0, label=interval_legend(bool(locked.any())))
    axis.plot(x, path["actual"] / 1000, color=ACTUAL, linewidth=2.5, marker="o", label="Utfall")
    if locked.any():
        axis.plot(x[ahead], path["mean"].to_numpy()[ahead] / 1000, color="#1f5f8b", linewidth=1.8, linestyle=":",
                  label="Statistisk prognos")
        axis.plot(x[locked], path["locked"].to_numpy()[locked] / 1000, color="#1f5f8b", linewidth=2.5,
                  linestyle="--", marker="o", label="Låst version")
    else:
        axis.plot(x[ahead], path["mean"].to_numpy()[ahead] / 1000, color="#1f5f8b", linewidth=2.5, linestyle="--",
                  marker="o", label="Statistisk prognos")
    manual = path["manual"].notna().to_numpy()
    if manual.any():
        name = str(path["manual_name"].iloc[-1]) if "manual_name" in path else MANAGERS_DEFAULT
        axis.scatter(x[manual], path["manual"].to_numpy()[manual] / 1000, marker="D", s=90, color="#e0a800",
                     edgecolor="#333", zorder=3, label=_plain(name))
        # Its figure written out over the marker, as on the slide (the forecast's is on the right), on the side of
        # the forecast's line where its value lies: written to the left it lay on the dashed line, as November's.
        # No white ground, which hid the top of the interval in December.
        own = path["manual"].to_numpy()[manual][-1]
        main_line = path["locked" if locked.any() else "mean"].to_numpy()[locked if locked.any() else ahead]
        above = not len(main_line) or own >= main_line[-1]
        axis.annotate(format_mnkr(own, plus=True), (x[manual][-1], own / 1000), xytext=(0, 9 if above else -9),
                      textcoords="offset points", va="bottom" if above else "top", ha="center", fontsize=12,
                      color="#8a5a00", zorder=4)
    main = locked if locked.any() else ahead
    if main.any():
        end = path["locked" if locked.any() else "mean"].to_numpy()[main][-1]
        axis.annotate(format_mnkr(end, plus=True), (x[main][-1], end / 1000), xytext=(10, 0),
                      textcoords="offset points", va="center", fontsize=12, color="#1f5f8b")
    # Named in the legend: written on the line, "Budget" sat on the x axis's months wherever the scale starts at zero.
    axis.axhline(0, color="#333", linewidth=1.2, label="Budget (noll)")
    axis.set_xticks(x, list(path["label"]))
    axis.set_xlim(-0.5, len(path) - 0.2)
    axis.yaxis.set_major_formatter(SWEDISH)
    axis.set_ylabel("Mot budget ackumulerat, tkr")
    # Under the months, where no band or marker can reach it.
    axis.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    return figure


def variances(frame, total: float) -> bytes:
    """Avvikelse per verksamhet as on slide 2: so far and, when the frame has ``variance_year``
    (``domain.meeting.year_end_variances``), at year end by the period's forecast beside it, on one scale."""
    # As on the screens: the largest favourable avvikelse at the top, the largest unfavourable last before Summa.
    data = frame.sort_values("variance_ytd", ascending=False)
    names = [_plain(name) for name in data["activity"]] + ["Summa"]
    panels = [(VARIANCE_PANELS[0] if "variance_year" in data else "Avvikelse, tkr (positiv = gynnsam)",
               list(data["variance_ytd"] / 1000) + [total / 1000], 1.0)]
    if "variance_year" in data:
        ends = list(data["variance_year"] / 1000)
        panels.append((VARIANCE_PANELS[1], ends + [sum(ends)], 0.6))
    figure, axes = plt.subplots(1, len(panels), figsize=(11, 5.2), sharey=True, squeeze=False)
    y = np.arange(len(names))[::-1]
    span = max(abs(v) for _, values, _ in panels for v in values) * 1.45
    for axis, (title, values, alpha) in zip(axes[0], panels):
        axis.barh(y, values, color=[GOOD if v >= 0 else BAD for v in values], alpha=alpha)
        for position, value in zip(y, values):
            axis.text(value, position, f" {format_number(value, plus=True)} ", va="center",
                      ha="left" if value >= 0 else "right", fontsize=10)
        axis.axvline(0, color="#333", linewidth=1)
        axis.xaxis.set_major_formatter(SWEDISH)
        axis.xaxis.set_major_locator(MaxNLocator(nbins=4 if len(panels) > 1 else 8, symmetric=True))
        axis.set_xlim(-span, span)
        if len(panels) > 1:
            axis.set_title(title, fontsize=11)
        else:
            axis.set_xlabel(title)
    axes[0][0].set_yticks(y, names)
    if len(panels) > 1:
        figure.supxlabel("Avvikelse mot budget, tkr (positiv = gynnsam)", fontsize=10)
    return _png(figure)


def five_percent(history) -> bytes:
    """The 5 % rule year by year, as on the screen: the outcome against the forecast (plus = better than forecast),
    green within ±5 %, red beyond."""
    judged = [r for r in history if r.deviation is not None]
    values = [r.outcome_vs_forecast * 100 for r in judged]
    figure, axis = plt.subplots(figsize=(11, 5.2))
    x = np.arange(len(judged))
    axis.bar(x, values, color=[GOOD if abs(v) <= 5.0 + 1e-9 else BAD for v in values], width=0.6)
    for position, value in zip(x, values):
        axis.text(position, value, f"{format_number(value, 1, plus=True)} %", ha="center",
                  va="bottom" if value >= 0 else "top", fontsize=10)
    for level in (5.0, -5.0):
        axis.axhline(level, color="#333", linestyle="--", linewidth=1.5)
    axis.axhline(0.0, color="#333", linewidth=0.8)
    # A few points above the line, as on the slide: set on it, its g, p and · were struck through (2026-12-07 walk).
    axis.annotate(RULE_LINE_CAPTION, xy=(-0.4, 5.0), xytext=(3, 4), textcoords="offset points", va="bottom",
                  fontsize=10)
    axis.set_xticks(x, [str(r.year) for r in judged])
    span = max([6.0, *(abs(v) for v in values)]) * 1.6
    axis.set_ylim(-span, span)
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole per cent: "2 %" stood at 2,5
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{format_number(v, 0)} %"))
    axis.set_ylabel("Utfall mot prognos (+ = bättre)")
    return _png(figure)


def goal_summary(summary) -> bytes:
    """Per målområde, its inriktningsmål by bedömning as one stacked bar, as on the screen: each segment with
    its symbol and count, so that the page reads in black and white."""
    from domain.goals import ASSESSMENTS, MET, NOT_MET, PARTLY, SYMBOLS

    colours = {MET: GOOD, PARTLY: "#f9a825", NOT_MET: BAD}
    rows = [row for row in summary.rows if row["area"] != "Summa"][::-1]
    figure, axis = plt.subplots(figsize=(11, max(2.6, 0.5 * len(rows) + 1.2)))
    left = np.zeros(len(rows))
    for value in ASSESSMENTS:
        counts = np.array([row[value] for row in rows], dtype=float)
        if not counts.any():
            continue
        axis.barh([row["area"] for row in rows], counts, left=left, color=colours.get(value, "#9e9e9e"),
                  label=f"{SYMBOLS[value]} {value}", height=0.6)
        for position, (start, count) in enumerate(zip(left, counts)):
            if count:
                axis.text(start + count / 2, position, f"{SYMBOLS[value]} {int(count)}", ha="center", va="center",
                          fontsize=11, color="#222" if value == PARTLY else "white")
        left += counts
    axis.set_xlabel("Antal inriktningsmål")
    axis.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, frameon=False)
    return _png(figure)


def comparison(rows) -> bytes:
    """Each cost against the comparison group's median, as on the screen: the group's range grey, riket a
    diamond, ours a dot (green below the median, red above), our value and the median in the label."""
    rows = list(rows)
    figure, axis = plt.subplots(figsize=(11, max(2.4, 0.75 * len(rows) + 1.3)))
    y = np.arange(len(rows))[::-1]
    for position, row in zip(y, rows):
        axis.barh(position, (row.high - row.low) * 100, left=row.low * 100, color="#d9d9d9", height=0.5)
        if row.riket is not None:
            # A diamond, as on the screen and the slide (second 2026-12-07 walk: a grey tick in the papers).
            axis.plot(row.riket * 100, position, "D", markersize=9, color="#555", markeredgecolor="white")
        colour = GOOD if row.favourable else BAD if row.favourable is False else "#404040"
        axis.plot(row.own * 100, position, "o", markersize=13, color=colour, markeredgecolor="white")
    axis.set_yticks(y, [f"{_plain(r.label)}\n{r.own_text} · median {r.median_text}" for r in rows])
    axis.axvline(0, color="#222", linewidth=1.5)
    axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{format_number(v, 0, plus=True)} %"))
    # The dots' colours said too, as the page's legend says them (2026-12-06 walk: the PDF explained grey only).
    axis.set_xlabel("Skillnad mot jämförelsegruppens median (svart linje), %\nprick: vi (grön lägre, röd högre); "
                    "grått: de andra kommunernas spann; grå romb: riket")
    return _png(figure)


def bridge(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str, end: float, *,
           axis_title: str, signed: bool = True) -> bytes:
    """A bridge from one total to another, drawn horizontally from zero as on the screens: steps down the
    y-axis so long labels read across, a bar's length its amount. Every bridge is in avvikelse sign: a step
    up is favourable (green), a step down unfavourable (red)."""
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
        total = colour == ACTUAL and left == 0.0
        if total and width == 0:  # a bridge drawn against its start begins at zero, with no amount to show
            continue
        text = format_number(width, plus=signed or not total)  # totals against budget with their sign
        axis.text(tip, position, f" {text} ", va="center", ha="left" if width >= 0 else "right", fontsize=10,
                  fontweight="bold" if total else "normal")
    axis.axvline(0, color="#333", linewidth=1.2)
    low, high = min(0.0, *ends, *(b[0] for b in bars)), max(0.0, *ends, *(b[0] for b in bars))
    pad = max(high - low, 1.0) * 0.2
    # A step's label stands beyond its end: room on the side where a step ends near the axis's edge.
    steps_drawn = list(zip(ends[1:-1], (b[1] for b in bars[1:-1])))
    left = pad if low < 0 or any(w < 0 and e - low < pad for e, w in steps_drawn) else 0.0
    right = pad if high > 0 or any(w > 0 and high - e < pad for e, w in steps_drawn) else 0.0
    axis.set_xlim(low - left, high + right)
    axis.set_yticks(y, labels)
    axis.xaxis.set_major_formatter(SWEDISH)
    axis.set_xlabel(axis_title)
    return _png(figure)


def cost_bridge(drawn) -> bytes:
    """A cost bridge as avvikelse against its start (``domain.placements.cost_bridge``): a step up is less
    cost (green), as in every other bridge."""
    return bridge(drawn.start_label, 0.0, drawn.steps, drawn.end_label, drawn.end,
                  axis_title=drawn.axis_title)


def result_bridge(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str, end: float,
                  budget: float | None) -> bytes:
    """The nämnd's net result bridge: against budget where there is one (zero is the budget), otherwise the
    net result itself from zero."""
    if budget is None:
        return bridge(start_label, start, steps, end_label, end,
                      axis_title="Nettoresultat, tkr (negativt = nettokostnad)", signed=False)
    return bridge(start_label, start - budget, steps, end_label, end - budget,
                  axis_title="Resultat mot budget, tkr (positivt = överskott)")


def sick_leave(monthly, trend) -> bytes:
    data = monthly.tail(24)
    x = np.arange(len(data))
    figure, axis = plt.subplots(figsize=(11, 5.2))
    axis.plot(x, data["rate"] * 100, color=ACTUAL, linewidth=2.5, marker="o", label="Nämnden")
    axis.plot(x, data["rate_last_year"] * 100, color=ACTUAL, linewidth=1, linestyle=":", label="Samma månad i fjol")
    axis.plot(x, rolling_12(data).to_numpy() * 100, color="#1f5f8b", linewidth=2, linestyle="--",
              label="Rullande 12 månader")
    if trend is not None:
        axis.plot(x, trend.reindex(data["period"]).to_numpy() * 100, color="#e0a800", linewidth=2.5,
                  label="Trend (säsongsrensad)")
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{format_number(v, 0)} %"))
    axis.set_ylim(bottom=0)
    # Every quarter's first month, written out and level, as on the screens.
    first = [i for i, p in enumerate(data["period"]) if p.month in (1, 4, 7, 10)]
    axis.set_xticks(first, [month_label(data["period"].iloc[i].year, data["period"].iloc[i].month) for i in first])
    axis.set_ylabel("Sjukfrånvaro, % av ordinarie tid")
    axis.legend(frameon=False, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    return _png(figure)
