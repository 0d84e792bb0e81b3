"""Budget against utfall: the driftredovisning, the KPI row and the monthly series.

Figures arrive in ledger sign (costs positive, income negative) and leave in
report sign (net cost negative), so that avvikelse = utfall − budget is
positive when favourable, as in the delårsrapport.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.formatting import is_missing, listing, lower_first, upper_first
from domain.markup import escape
from domain.periods import MONTH_ABBREVIATIONS, month_label, period_label
from domain.tables import Column, Table, with_total_row

INCOME_GROUP = "intäkter"
CAPITAL_GROUP = "kapitalkostnader"
UNSPECIFIED_GROUP = "ospecificerat"
STATEMENT_COLUMNS = ("budget_ytd", "actual_ytd", "variance_ytd", "actual_prev_ytd", "budget_year", "forecast",
                     "forecast_variance")


def to_report_sign(ledger: pd.Series | float) -> pd.Series | float:
    """Ledger sign (cost +) to report sign (net cost −)."""
    return -ledger


def adherence(variance: float, budget: float) -> float:
    """Budgetföljsamhet: avvikelse as a share of the budget's magnitude (NaN for a zero budget)."""
    return float("nan") if budget == 0 else variance / abs(budget)


def outcome_against_forecast(forecast, outcome):
    """The outcome against a forecast, (utfall − prognos) / |utfall| on the signed net result: plus is a result
    better than forecast, as every avvikelse (numbers or pandas Series alike; the caller keeps out a zero outcome)."""
    return (outcome - forecast) / abs(outcome)


@dataclass(frozen=True)
class ForecastChoice:
    """Which forecast the page shows and where it comes from."""

    per_activity_group: pd.DataFrame  # activity, account_group, forecast_kr (report sign)
    label: str
    cutoff_month: int | None
    missing_activities: tuple[str, ...]


@dataclass(frozen=True)
class BudgetOverview:
    """Everything the Budget mot utfall page shows for one year and cut-off month."""

    year: int
    through_month: int
    budget_year: float
    budget_ytd: float
    actual_ytd: float
    variance_ytd: float
    adherence_ytd: float
    forecast: float
    forecast_variance: float
    adherence_forecast: float
    actual_prev_ytd: float
    forecast_label: str
    missing_forecast: tuple[str, ...]
    forecast_cutoff: int | None  # the month the shown forecast was made after; None = none imported
    statement: pd.DataFrame  # rows of the driftredovisning, report sign
    activity_variance: pd.DataFrame  # activity, budget_ytd, actual_ytd, variance_ytd, relative, budget_year
    monthly: pd.DataFrame  # month, budget, actual, forecast (report sign, NaN = blank)

    @property
    def closed(self) -> bool:
        """The year is booked through December: its figures are the outcome, and no forecast stands beside it."""
        return self.through_month == 12


def periodisation_caption(profiles: pd.DataFrame, order: dict[str, int] | None = None) -> str:
    """Said under the key figures where a yearly budget was spread evenly over the months for want of two full
    years of utfall (``queries.budget_profiles``): the periodiserad budget is then twelfths, not the nämnd's own
    periodisation (2026-12-07 Norrtälje walk: −248 643 tkr against the report's −247 748, with nothing on the page
    to say why). Empty where every budget follows a seasonal profile or was read per month."""
    if profiles.empty:
        return ""
    names = list(dict.fromkeys(profiles["activity"]))
    even = [name for name in names if "linjär" in set(profiles.loc[profiles["activity"] == name, "profile"])]
    if not even:
        return ""
    even.sort(key=lambda name: ((order or {}).get(name, len(names)), name))
    which = ("alla verksamheter" if len(even) == len(names) else
             f"{len(even)} av {len(names)} verksamheter ({listing([escape(name) for name in even], 4)})")
    return (f"Den periodiserade budgeten är budget helår fördelad jämnt, en tolftedel per månad, för {which}: det "
            "finns inte två hela års utfall att ta en säsongsprofil ur. Har nämnden en egen periodisering, läs in "
            "budgeten per månad (kolumnen Månad i stället för År).")


def choose_manual_forecast(forecasts: pd.DataFrame, year: int, through_month: int,
                           activities: list[str]) -> ForecastChoice:
    """The managers' latest forecast made at or before the cut-off month."""
    rows = forecasts[(forecasts["year"] == year) & (forecasts["cutoff_month"] <= through_month)] \
        if not forecasts.empty else forecasts
    if rows is None or rows.empty:
        empty = pd.DataFrame(columns=["activity", "account_group", "forecast_kr"])
        return ForecastChoice(empty, "Ingen prognos inläst", None, tuple(activities))
    cutoff = int(rows["cutoff_month"].max())
    latest = rows[rows["cutoff_month"] == cutoff]
    frame = latest.groupby(["activity", "account_group"], as_index=False)["amount_kr"].sum()
    frame["forecast_kr"] = to_report_sign(frame["amount_kr"].astype(float))
    missing = tuple(a for a in activities if a not in set(frame["activity"]))
    label = f"Verksamheternas prognos {MONTH_ABBREVIATIONS[cutoff - 1]} {year}"
    return ForecastChoice(frame[["activity", "account_group", "forecast_kr"]], label, cutoff, missing)


def _group_label(group: str) -> str:
    if group == INCOME_GROUP:
        return "Intäkter"
    if group == UNSPECIFIED_GROUP:
        return "Ej fördelat på kontogrupp"
    return "Kostnader"


def build_overview(ledger: pd.DataFrame, activities: pd.DataFrame, forecast: ForecastChoice,
                   year: int, through_month: int) -> BudgetOverview:
    """Compute the driftredovisning and KPIs.

    Parameters
    ----------
    ledger : monthly frame with year, month, activity, account_group, actual_kr, budget_kr (ledger sign)
        for ``year`` and ``year - 1``.
    activities : activity, area, sort_order (the order of the report).
    forecast : the chosen forecast; activities without one are forecast at their budget.

    Notes
    -----
    avvikelse = utfall − budget and avvikelse budget–prognos = prognos − budget, both on report-sign
    figures, so positive = favourable. Budgetföljsamhet = avvikelse / |budget|.
    """
    data = ledger.copy()
    data["actual"] = to_report_sign(data["actual_kr"].astype(float))
    data["budget"] = to_report_sign(data["budget_kr"].astype(float))
    this_year = data[data["year"] == year]
    ytd = this_year["month"] <= through_month
    prev = data[(data["year"] == year - 1) & (data["month"] <= through_month)]

    keys = ["activity", "account_group"]
    cells = pd.DataFrame({
        "budget_ytd": this_year[ytd].groupby(keys)["budget"].sum(min_count=1),
        "actual_ytd": this_year[ytd].groupby(keys)["actual"].sum(min_count=1),
        "budget_year": this_year.groupby(keys)["budget"].sum(min_count=1),
        "actual_prev_ytd": prev.groupby(keys)["actual"].sum(min_count=1),
    })
    if forecast.per_activity_group.empty:
        cells = cells.assign(forecast=np.nan).reset_index()
    else:
        fc = forecast.per_activity_group.set_index(keys)["forecast_kr"].rename("forecast")
        cells = cells.join(fc, how="outer").reset_index()
    cells[["budget_ytd", "actual_ytd", "budget_year"]] = cells[["budget_ytd", "actual_ytd", "budget_year"]].fillna(0.0)

    # An activity without a forecast is expected to end at its budget.
    has_forecast = set(forecast.per_activity_group["activity"]) if not forecast.per_activity_group.empty else set()
    fallback = ~cells["activity"].isin(has_forecast)
    cells.loc[fallback, "forecast"] = cells.loc[fallback, "budget_year"]

    order = activities.set_index("activity")
    known = set(order.index)
    extra = sorted(set(cells["activity"]) - known)
    areas = {a: ("" if a not in known else str(order.loc[a, "area"] or "")) for a in list(known) + extra}
    sort_key = {a: (int(order.loc[a, "sort_order"]) if a in known else 10_000 + i) for i, a in enumerate(extra)}
    sort_key.update({a: int(order.loc[a, "sort_order"]) for a in known})

    def summed(frame: pd.DataFrame) -> dict[str, float]:
        values = {c: float(frame[c].sum()) for c in ("budget_ytd", "actual_ytd", "budget_year")}
        values["actual_prev_ytd"] = float(frame["actual_prev_ytd"].sum()) if frame["actual_prev_ytd"].notna().any() \
            else np.nan
        values["forecast"] = float(frame["forecast"].sum()) if frame["forecast"].notna().any() else np.nan
        return values

    rows: list[dict[str, object]] = []
    group_kind = cells["account_group"].map(_group_label)
    # Amounts read without kontogrupp say nothing of income and costs: no rows of zeros for them (2026-12-07
    # Norrtälje walk: "Intäkter 0" and "Kostnader 0" above the report's 31 324 and −279 071).
    split = (cells["account_group"] != UNSPECIFIED_GROUP).any()
    for label in ("Intäkter", "Kostnader") if split else ():
        part = cells[group_kind == label]
        rows.append({"label": label, "level": "kontogrupp", **summed(part)})
        if label == "Kostnader":
            capital = cells[cells["account_group"] == CAPITAL_GROUP]
            # A kommun that books no kapitalkostnader on the nämnd has no such row (2026-12-07 new-municipality walk:
            # "varav kapitalkostnader 0" under every figure).
            if not capital.empty:
                rows.append({"label": "varav kapitalkostnader", "level": "varav", **summed(capital)})
    unspecified = cells[cells["account_group"] == UNSPECIFIED_GROUP]
    if not unspecified.empty and (unspecified[["budget_ytd", "actual_ytd", "budget_year"]].abs().sum().sum() > 0):
        rows.append({"label": "Ej fördelat på kontogrupp", "level": "kontogrupp", **summed(unspecified)})
    # Forecasts given only as net per activity cannot be split into income and costs.
    net_forecast_only = (cells["forecast"].notna() & (cells["account_group"] == UNSPECIFIED_GROUP)
                         & ~fallback).any()
    if net_forecast_only:
        for row in rows:
            row["forecast"] = np.nan
    rows.append({"label": "Summa driftbudget", "level": "summa", **summed(cells)})

    per_activity = cells.groupby("activity", as_index=False)[list(("budget_ytd", "actual_ytd", "budget_year"))].sum()
    per_activity["actual_prev_ytd"] = cells.groupby("activity")["actual_prev_ytd"].sum(min_count=1).values
    per_activity["forecast"] = cells.groupby("activity")["forecast"].sum(min_count=1).values
    per_activity["area"] = per_activity["activity"].map(areas)
    per_activity["order"] = per_activity["activity"].map(sort_key)
    per_activity = per_activity.sort_values("order")
    area_order = list(dict.fromkeys(per_activity["area"]))
    for area in area_order:
        members = per_activity[per_activity["area"] == area]
        for _, member in members.iterrows():
            rows.append({"label": member["activity"], "level": "verksamhet",
                         **{c: member[c] for c in ("budget_ytd", "actual_ytd", "budget_year", "actual_prev_ytd",
                                                   "forecast")}})
        if area and len(members) > 1:
            rows.append({"label": area, "level": "delsumma", **summed(members)})
    rows.append({"label": "Summa verksamheter", "level": "summa", **summed(per_activity)})

    statement = pd.DataFrame(rows)
    statement["variance_ytd"] = statement["actual_ytd"] - statement["budget_ytd"]
    statement["forecast_variance"] = statement["forecast"] - statement["budget_year"]
    statement = statement[["label", "level", *STATEMENT_COLUMNS]]

    total = statement[statement["label"] == "Summa driftbudget"].iloc[0]
    activity_variance = per_activity[["activity", "budget_ytd", "actual_ytd"]].copy()
    activity_variance["variance_ytd"] = activity_variance["actual_ytd"] - activity_variance["budget_ytd"]
    activity_variance["relative"] = [adherence(v, b) for v, b in zip(activity_variance["variance_ytd"],
                                                                        activity_variance["budget_ytd"])]
    activity_variance["forecast_variance"] = (per_activity["forecast"] - per_activity["budget_year"]).values
    activity_variance["budget_year"] = per_activity["budget_year"].values

    # Without a verksamheternas prognos the months after the cut-off are not drawn: the budget's remainder
    # spread over them was shown as a forecast nobody had made.
    monthly = monthly_series(this_year, through_month,
                             float(total["forecast"]) if forecast.cutoff_month is not None else np.nan)
    return BudgetOverview(
        year=year, through_month=through_month,
        budget_year=float(total["budget_year"]), budget_ytd=float(total["budget_ytd"]),
        actual_ytd=float(total["actual_ytd"]), variance_ytd=float(total["variance_ytd"]),
        adherence_ytd=adherence(float(total["variance_ytd"]), float(total["budget_ytd"])),
        forecast=float(total["forecast"]), forecast_variance=float(total["forecast_variance"]),
        adherence_forecast=adherence(float(total["forecast_variance"]), float(total["budget_year"])),
        actual_prev_ytd=float(total["actual_prev_ytd"]),
        forecast_label=forecast.label, missing_forecast=forecast.missing_activities,
        forecast_cutoff=forecast.cutoff_month, statement=statement, activity_variance=activity_variance.reset_index(drop=True), monthly=monthly,
    )


def monthly_series(this_year: pd.DataFrame, through_month: int, forecast_total: float) -> pd.DataFrame:
    """Per month: budget, utfall (blank after the cut-off) and the forecast of the remaining months.

    The forecast's remainder (prognos − utfall hittills) is spread over the open months in
    proportion to their periodised budget, so that the months add up to the full-year forecast.
    """
    by_month = this_year.groupby("month")[["budget", "actual"]].sum(min_count=1).reindex(range(1, 13))
    frame = pd.DataFrame({"month": range(1, 13), "budget": by_month["budget"].values,
                          "actual": by_month["actual"].values})
    frame.loc[frame["month"] > through_month, "actual"] = np.nan
    frame["forecast"] = np.nan
    open_months = frame["month"] > through_month
    if open_months.any() and not np.isnan(forecast_total):
        remainder = forecast_total - float(frame.loc[~open_months, "actual"].sum())
        weights = frame.loc[open_months, "budget"].fillna(0.0)
        if weights.abs().sum() > 0 and (weights.abs() > 0).all():
            shares = weights / weights.sum()
        else:
            shares = pd.Series(1.0 / open_months.sum(), index=weights.index)
        frame.loc[open_months, "forecast"] = remainder * shares
    frame["label"] = [MONTH_ABBREVIATIONS[m - 1] for m in frame["month"]]
    return frame


def has_forecast_months(monthly: pd.DataFrame) -> bool:
    """Whether the monthly chart has months to draw from a forecast: a year booked through December, or one with no
    forecast, has none, and then neither the chart's legend nor its caption names one (third 2026-12-07 walk)."""
    return bool(monthly["forecast"].notna().any())


def month_chart_caption(monthly: pd.DataFrame) -> str:
    """What the monthly chart's bars are: the months after the last booked one show the verksamheternas prognos,
    and a year booked through December has none (its caption named a forecast the chart did not draw)."""
    if has_forecast_months(monthly):
        return ("Utfall mörka staplar, budget med kontur, prognos randig: månaderna efter den senast bokförda visar "
                "verksamheternas prognos (dess återstod fördelad efter budgeten). Den statistiska prognosens månader "
                "finns på sidan Prognos, under Över året.")
    if monthly["actual"].notna().iloc[-1]:
        return "Utfall mörka staplar, budget med kontur. Årets alla månader är bokförda: ingen prognos visas."
    return ("Utfall mörka staplar, budget med kontur. Ingen verksamheternas prognos är inläst för årets återstående "
            "månader; den statistiska prognosens månader finns på sidan Prognos, under Över året.")


def cumulative(monthly: pd.DataFrame) -> pd.DataFrame:
    """Running totals; the forecast continues from the last closed month's utfall."""
    frame = monthly.copy()
    frame["budget"] = frame["budget"].cumsum()
    closed = frame["actual"].notna()
    frame["actual"] = frame["actual"].cumsum().where(closed)
    last_actual = float(frame.loc[closed, "actual"].iloc[-1]) if closed.any() else 0.0
    frame["forecast"] = (last_actual + frame["forecast"].fillna(0).cumsum()).where(monthly["forecast"].notna())
    return frame


def drilldown(ledger: pd.DataFrame, year: int, through_month: int, activity: str | None = None,
              account_group: str | None = None) -> pd.DataFrame:
    """One level down: nämnd → verksamhet → kontogrupp → månad, with budget, utfall and avvikelse."""
    data = ledger[(ledger["year"] == year) & (ledger["month"] <= through_month)].copy()
    data["actual"] = to_report_sign(data["actual_kr"].astype(float))
    data["budget"] = to_report_sign(data["budget_kr"].astype(float))
    if activity is None:
        level = "activity"
    elif account_group is None:
        data, level = data[data["activity"] == activity], "account_group"
    else:
        data = data[(data["activity"] == activity) & (data["account_group"] == account_group)]
        level = "month"
    frame = data.groupby(level, as_index=False)[["budget", "actual"]].sum(min_count=1).fillna(0.0)
    frame["variance"] = frame["actual"] - frame["budget"]
    frame = frame.rename(columns={level: "key"})
    if level == "month":
        frame = frame.sort_values("key")
    else:
        frame = frame.sort_values("variance")
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class YearEnd:
    """The year-end figures of Budget mot utfall: the period's forecast against the budget."""

    forecast: float
    variance: float
    adherence: float
    label: str
    official: bool = True  # the period's one forecast; False while only the managers' (or the budget) is there
    closed: bool = False  # December is booked: the figures are the year's outcome, no forecast

    @property
    def title(self) -> str:
        """The figure's short name on the page: the year-end only when it is the period's one forecast."""
        if self.closed:
            return "Helårets utfall"
        return "Helårsprognos" if self.official else "Verksamheternas prognos"

    @property
    def help(self) -> str:
        """The figure's (?) on the page: which forecast it is, and by which rule it is the period's."""
        return official_help(self.label) if self.official and not self.closed else self.label

    @property
    def adherence_title(self) -> str:
        return "Budgetföljsamhet helår" if self.closed else "Budgetföljsamhet prognos"


def official_help(label: str) -> str:
    """What "Helårsprognos" is, said beside the figure: the rule that makes it the period's, and which it is now."""
    return (f"{upper_first(label)}. Periodens helårsprognos är den senaste versionen som låsts för brytmånaden, "
            "annars den preliminära statistiska prognosen; samma siffra står på Budget mot utfall, Prognos, "
            "Scenarier, i nämndläget och i mötespapperen.")


def year_end(overview: BudgetOverview, official=None) -> YearEnd:
    """``official`` (``domain.forecast_view.OfficialForecast``) when there is one, else the overview's own.

    Without the period's official forecast, the figures are the managers' forecast (or the budget
    where none is imported), named as such. A year booked through December has its outcome: no forecast,
    official or the managers', stands beside it.
    """
    if overview.closed:
        return YearEnd(overview.actual_ytd, overview.variance_ytd, overview.adherence_ytd,
                       f"Helårets utfall {overview.year}", closed=True)
    if official is None:
        return YearEnd(overview.forecast, overview.forecast_variance, overview.adherence_forecast,
                       overview.forecast_label, official=False)
    variance = official.point - overview.budget_year
    return YearEnd(official.point, variance, adherence(variance, overview.budget_year), official.label)


def activity_year_ends(overview: BudgetOverview) -> dict[str, float]:
    """Each verksamhet's year end, report sign: its utfall when December is booked (the year's outcome, as
    ``year_end`` says it), else ``activity_forecasts``."""
    if overview.closed:
        frame = overview.activity_variance
        return {str(a): float(v) for a, v in zip(frame["activity"], frame["actual_ytd"])}
    return activity_forecasts(overview)


def activity_forecasts(overview: BudgetOverview) -> dict[str, float]:
    """Each verksamhet's year-end forecast (its budget where it has none), report sign."""
    rows = overview.statement[overview.statement["level"] == "verksamhet"]
    return {label: float(budget if is_missing(forecast) else forecast)
            for label, forecast, budget in zip(rows["label"], rows["forecast"], rows["budget_year"])}


_SIGN_NOTE = "Positiv avvikelse är gynnsam (lägre nettokostnad). Budgetföljsamhet = avvikelse i procent av budget, " \
             "målvärde 0,0\u00a0%."


def start_headline(overview: BudgetOverview, official=None, computing: bool = False) -> str:
    """Start's message: the period's standing and its year-end forecast as Budget mot utfall says it (2026-12-07
    walk: Start showed the months only, and a socialdirektör looked there first for the helårsprognos). While the
    period's statistical forecast is being computed (``computing``) and no version is locked, no other figure
    takes its place."""
    if computing and official is None and not overview.closed:
        return (f"{standing_sentence(overview)} Helårsprognosen för {month_label(overview.year, overview.through_month)}"
                " beräknas; den står här, under Prognos och under Budget mot utfall när den är klar.")
    return headline(overview, official)


def year_end_caption(overview: BudgetOverview, official=None) -> str:
    """Where the year-end figures come from, and the other forecast beside it with its name."""
    from domain.formatting import format_tkr
    from domain.markup import escape

    end = year_end(overview, official)
    if end.closed:
        parts = [f"{overview.year} är bokfört till och med december: helårets siffror är utfallet."]
        if overview.forecast_cutoff is not None:
            parts.append(f"{escape(overview.forecast_label)} var {format_tkr(overview.forecast)} (tabellens två "
                         "sista kolumner, per verksamhet).")
        return " ".join([*parts, _SIGN_NOTE])
    parts = [f"Helårsprognos: {escape(end.label)}."]
    if official is not None and overview.forecast_cutoff is not None:
        parts.append(f"{escape(overview.forecast_label)}: {format_tkr(overview.forecast)}, avvikelse mot budget "
                     f"{format_tkr(overview.forecast_variance, plus=True)} (tabellens två sista kolumner, per "
                     "verksamhet).")
    if official is not None and official.locked and official.statistical is not None:
        parts.append(f"Statistisk prognos med dagens data: {format_tkr(official.statistical)}.")
    if official is not None and official.correction_sentence:
        parts.append(official.correction_sentence)
    return " ".join([*parts, _SIGN_NOTE])


def headline(overview: BudgetOverview, official=None) -> str:
    """The page's message in one or two plain Swedish sentences."""
    from domain.formatting import result_text

    first = standing_sentence(overview)
    if np.isnan(overview.forecast) or overview.closed:
        return first  # a booked December: the year's outcome is known, and no forecast is said beside it
    if overview.forecast_cutoff is None and official is None:
        # No forecast exists for the year: the year-end figure is only the budget itself.
        return f"{first} Ingen helårsprognos finns ännu för {overview.year}."
    end = year_end(overview, official)
    # Named as slide 1 names it, without the minute a version was saved: 'Helårsprognosen (låst version "…",
    # sparad efter årets slut, 6 dec 2026 17:41)' made the sentence heavy on a projector (2026-12-06 walk).
    subject = f"Helårsprognosen ({official.spoken})" if end.official else end.label
    return f"{first} {subject} pekar på {result_text(end.variance, overview.budget_year)}."


def standing_sentence(overview: BudgetOverview) -> str:
    """Where the nämnd stands against the budget so far, or a booked year against the year's budget."""
    from domain.formatting import format_mnkr, format_percent, level_in_mnkr

    # A booked year is said as its outcome against the year's budget.
    closed = overview.closed
    span = f"Helåret {overview.year}" if closed else upper_first(period_label(overview.year, overview.through_month))
    verb, budget = ("blev", "budgeten") if closed else ("är", "den periodiserade budgeten")
    # In mnkr, as the year-end in the same sentence and on the slides ("4 342 tkr lägre …; ett överskott om 7,2
    # mnkr" mixed units, 2026-12-06 walk), and "i nivå med" under 0,05 mnkr as there (``result_text``).
    if level_in_mnkr(overview.variance_ytd):
        first = f"{span}: utfallet {verb} i nivå med {budget}."
    else:
        word = "lägre" if overview.variance_ytd > 0 else "högre"
        first = (f"{span}: nettokostnaden {verb} {format_mnkr(abs(overview.variance_ytd))} {word} än {budget} "
                 f"({format_percent(overview.adherence_ytd, plus=True)}).")
    return first


def drilldown_table(detail: pd.DataFrame, level: str) -> Table:
    """``drilldown`` described once: the level's names (or months), budget, utfall and avvikelse in tkr."""
    frame = detail.copy()
    if level == "Månad":
        frame["key"] = [MONTH_ABBREVIATIONS[int(m) - 1] for m in frame["key"]]
    columns = (Column("key", level, width=30), Column("budget", "Budget, tkr", "tkr"),
               Column("actual", "Utfall, tkr", "tkr"), Column("variance", "Avvikelse, tkr", "tkr_change"))
    rows = tuple(with_total_row(frame[[c.key for c in columns]], "key", ["budget", "actual", "variance"])
                 .to_dict("records"))
    return Table(f"Budget mot utfall per {level.lower()}", columns, rows,
                 ("",) * (len(rows) - 1) + ("total",))


def booked_rows_table(rows: pd.DataFrame) -> Table:
    """The booked rows behind a drill-down, whole kronor with the ledger's sign (cost positive)."""
    frame = rows.copy()
    frame["month"] = [MONTH_ABBREVIATIONS[int(m) - 1] for m in frame["month"]]
    columns = (Column("year", "År", "identifier", 6), Column("month", "Månad", width=6),
               Column("activity", "Verksamhet", width=30), Column("account_group", "Kontogrupp", width=24),
               Column("amount_kr", "Belopp, kr", "count"))
    return Table("Bokförda rader", columns,
                 tuple({c.key: row.get(c.key) for c in columns} for row in frame.to_dict("records")))


def statement_note(overview: BudgetOverview, official=None) -> str:
    """Under the driftredovisning: its forecast columns are the verksamheter's own, and, where the period's
    year-end figure is another forecast, which one that is and its figure (the papers showed the two with
    nothing between them)."""
    from domain.formatting import format_tkr

    if overview.forecast_cutoff is None:
        return ""
    end = year_end(overview, official)
    said = (f"Kolumnerna Verksamheternas prognos och Avvikelse budget–prognos är verksamheternas egen "
            f"helårsprognos ({lower_first(overview.forecast_label)}): {format_tkr(overview.forecast)}, avvikelse "
            f"mot budget {format_tkr(overview.forecast_variance, plus=True)}.")
    if end.closed:
        said = said.replace("egen helårsprognos", "egen helårsprognos, lämnad innan året var bokfört")
    elif end.label != overview.forecast_label:
        # 2026-12-06 walk: "i rubrikerna" pointed the papers' reader to headings the table's page does not have.
        said += (f" Periodens helårsprognos, den som nyckeltalen och meningarna anger, är {lower_first(end.label)}: "
                 f"{format_tkr(end.forecast)}, avvikelse mot budget {format_tkr(end.variance, plus=True)}; per "
                 "verksamhet står den i tabellen Helårsprognos per verksamhet.")
    return said


def statement_table(overview: BudgetOverview, note: str = "") -> Table:
    """The driftredovisning (``BudgetOverview.statement``) described once: tkr, sums and subtotals in bold;
    ``note`` (``statement_note``) under it. Without a verksamheternas prognos imported for the year the two forecast
    columns are left out: filled with the budget, they showed a forecast nobody had made."""
    year, through_month, statement = overview.year, overview.through_month, overview.statement
    span = period_label(year, through_month).replace(f" {year}", "")
    columns = (Column("label", "Tkr", width=34), Column("budget_ytd", f"Budget {span}", "tkr"),
               Column("actual_ytd", f"Utfall {span}", "tkr"), Column("variance_ytd", "Avvikelse", "tkr_change", 11),
               Column("actual_prev_ytd", f"Utfall {span} {year - 1}", "tkr"),
               Column("budget_year", "Budget helår", "tkr"))
    if overview.forecast_cutoff is not None:
        columns += (Column("forecast", "Verksamheternas prognos", "tkr"),
                    Column("forecast_variance", "Avvikelse budget–prognos", "tkr_change"))
    rows = tuple({c.key: row.get(c.key) for c in columns} for row in statement.to_dict("records"))
    emphasis = tuple("total" if level in ("summa", "delsumma") else "" for level in statement["level"])
    return Table(f"Driftredovisning {period_label(year, through_month)}, tkr", columns, rows, emphasis,
                 sheet="Driftredovisning", note=note)


def drill_month_label(year: int, month: int | None) -> str:
    """The drill-down's month choice: "Alla månader" or "aug 2025"."""
    return "Alla månader" if month is None else month_label(year, month)


def booked_rows_title(year: int, month: int | None) -> str:
    """The drill-down's booked rows, for every month shown or for the one chosen."""
    return ("Visa bokförda rader bakom siffrorna" if month is None else
            f"Visa bokförda rader för {month_label(year, month)}")
