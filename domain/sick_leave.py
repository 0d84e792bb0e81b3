"""Sick leave (sjukfrånvaro) from hours: rates, length split, breakdowns with privacy, cost, turnover.

A rate is always Σ sick hours / Σ scheduled hours over the group and months in question;
percentages are never averaged. Sick leave is personal data, so a breakdown follows one rule,
*primary and complementary suppression* (primär och kompletterande prickning):

1. primary: a group with fewer employees than the threshold is hidden;
2. complementary: while any group is hidden, the smallest remaining groups are hidden too until at
   least two groups are hidden and the hidden groups together have at least the threshold's number
   of employees;
3. a total shown beside the groups is itself hidden when it covers fewer than the threshold.

Total − shown groups then only ever gives the combined figure of several groups that together
reach the threshold, never one small group (nor a set of groups still under it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.periods import behind_note, booked_through, rows_through
from domain.tables import Column, Table, texts

LENGTH_COLUMNS = ("sick_hours_day1_14", "sick_hours_day15_59", "sick_hours_day60")
LENGTH_LABELS = {"sick_hours_day1_14": "Dag 1–14", "sick_hours_day15_59": "Dag 15–59", "sick_hours_day60": "Dag 60–"}
DIMENSIONS = {"gender": "Kön", "age_group": "Åldersgrupp", "occupation": "Yrkesgrupp", "unit": "Enhet"}
DEFAULT_MIN_GROUP = 5
ABSOLUTE_MIN_GROUP = 3
SUPPRESSED = "prickad"


def min_group_size(configured: int | None) -> int:
    """The suppression threshold: configurable, never below three employees."""
    return max(ABSOLUTE_MIN_GROUP, int(configured or DEFAULT_MIN_GROUP))


def _with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.copy()
    data["sick_hours"] = data[list(LENGTH_COLUMNS)].sum(axis=1)
    return data


def monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month: hours, the rate, the rate of each length band (adding up to the rate), long-term share."""
    data = _with_totals(frame)
    sums = data.groupby(["year", "month"], as_index=False)[
        [*LENGTH_COLUMNS, "sick_hours", "scheduled_hours"]].sum()
    sums["rate"] = sums["sick_hours"] / sums["scheduled_hours"]
    for column in LENGTH_COLUMNS:
        sums[f"rate_{column}"] = sums[column] / sums["scheduled_hours"]
    sums["long_term_share"] = sums["sick_hours_day60"] / sums["sick_hours"].where(sums["sick_hours"] > 0)
    sums["period"] = pd.PeriodIndex([pd.Period(year=int(y), month=int(m), freq="M")
                                     for y, m in zip(sums["year"], sums["month"])])
    sums = sums.sort_values("period").reset_index(drop=True)
    by_period = dict(zip(sums["period"], sums["rate"]))
    sums["rate_last_year"] = [by_period.get(p - 12, np.nan) for p in sums["period"]]
    return sums


def rolling_12(monthly_frame: pd.DataFrame) -> pd.Series:
    """Rolling 12-month rate: Σ sick hours over 12 months / Σ scheduled hours over the same months."""
    sick = monthly_frame["sick_hours"].rolling(12, min_periods=12).sum()
    scheduled = monthly_frame["scheduled_hours"].rolling(12, min_periods=12).sum()
    return sick / scheduled


def period_rate(frame: pd.DataFrame) -> dict[str, float]:
    """The rate and its length parts over all rows given (e.g. jan–aug); the parts add up to the rate."""
    data = _with_totals(frame)
    scheduled = float(data["scheduled_hours"].sum())
    if scheduled == 0:
        return {"rate": float("nan"), **{c: float("nan") for c in LENGTH_COLUMNS}, "long_term_share": float("nan")}
    sick = float(data["sick_hours"].sum())
    result = {"rate": sick / scheduled}
    result.update({c: float(data[c].sum()) / scheduled for c in LENGTH_COLUMNS})
    result["long_term_share"] = float(data["sick_hours_day60"].sum()) / sick if sick else float("nan")
    return result


@dataclass(frozen=True)
class Breakdown:
    """A breakdown by one dimension over a period, with suppressed cells marked."""

    dimension: str
    table: pd.DataFrame  # group, employees, sick_hours, scheduled_hours, rate, suppressed (bool), reason
    total: dict[str, float]

    @property
    def compared(self) -> bool:
        """Against the same months a year earlier (``breakdown``'s ``before``): the table then also has
        rate_before (empty where that year's group is absent, "prickad" where hidden) and change_points (only
        where both years are shown)."""
        return "rate_before" in self.table


def headcount(frame: pd.DataFrame) -> int:
    """Employees of a set of rows over a period: the smallest monthly headcount (0 for no rows)."""
    return int(frame.groupby(["year", "month"])["employees"].sum().min()) if len(frame) else 0


def too_small(frame: pd.DataFrame, *, minimum: int = DEFAULT_MIN_GROUP) -> bool:
    """True when the whole set of rows (e.g. the nämnd in a period) is under the threshold some month."""
    return headcount(frame) < min_group_size(minimum)


def suppress(employees: pd.Series, order: pd.Series, minimum: int, absent: pd.Series | None = None) -> pd.Series:
    """Primary and complementary suppression (see the module docstring) over groups' headcounts.

    ``order`` breaks ties between groups of equal headcount (the smaller is hidden first).
    ``absent`` marks groups that have no figure to show anyway (e.g. under twelve months of
    history): they count as hidden when a small group is protected, and a small one is itself a
    primary case. Returns a reason per group: "" for a shown group (or an absent, large one).
    """
    absent = pd.Series(False, index=employees.index) if absent is None else absent.astype(bool)
    reasons = pd.Series(np.where(employees < minimum, f"färre än {minimum} anställda", ""), index=employees.index)
    small = reasons != ""
    hidden = small | absent
    if small.any():
        queue = iter(pd.DataFrame({"employees": employees, "order": order})[~hidden]
                     .sort_values(["employees", "order"]).index)
        while int(hidden.sum()) < 2 or int(employees[hidden].sum()) < minimum:
            index = next(queue, None)
            if index is None:  # every group is hidden; the total is checked on its own
                break
            hidden[index] = True
            reasons[index] = "skyddar en annan prickad grupp"
    return reasons


def breakdown(frame: pd.DataFrame, dimension: str, *, minimum: int = DEFAULT_MIN_GROUP,
              before: pd.DataFrame | None = None) -> Breakdown:
    """Rate per group of ``dimension`` over all months in ``frame``, suppressed by the module's rule.

    Employees of a group = its smallest monthly headcount in the period, so that a group is shown
    only if it had at least ``minimum`` employees in every month. With ``before`` (the same months a year
    earlier) each group's rate then, suppressed by the same rule over that year's groups, and the change in
    percentage points between the two rates as shown (one decimal each), only where both are shown: a change
    beside one hidden rate would give it back (2026-12-06 walk: "för vilka" had no year to compare with).
    """
    minimum = min_group_size(minimum)
    data = _with_totals(frame)
    data["group"] = data[dimension].replace("", "Ej angiven")
    if dimension == "age_group":  # "30-49 år" and "30–49 år" are one group, shown with the dash
        from domain.formatting import range_label

        data["group"] = data["group"].map(range_label)
    per_month = data.groupby(["group", "year", "month"])["employees"].sum()
    employees = per_month.groupby(level="group").min()
    sums = data.groupby("group")[["sick_hours", "scheduled_hours", *LENGTH_COLUMNS]].sum()
    table = sums.join(employees.rename("employees")).reset_index()
    table["rate"] = table["sick_hours"] / table["scheduled_hours"]
    table["reason"] = suppress(table["employees"], table["scheduled_hours"], minimum)
    table["suppressed"] = table["reason"] != ""
    total_employees = headcount(data)
    total = period_rate(frame) | {"employees": total_employees, "suppressed": total_employees < minimum}
    for column in ("sick_hours", "scheduled_hours", "rate", *LENGTH_COLUMNS):
        table[column] = table[column].where(~table["suppressed"])
    if before is not None:
        earlier = breakdown(before, dimension, minimum=minimum).table.set_index("group") if not before.empty \
            else pd.DataFrame({"rate": [], "suppressed": []}, dtype=float)
        table["rate_before"] = table["group"].map(earlier["rate"].astype(object)
                                                  .where(~earlier["suppressed"].astype(bool), SUPPRESSED))
        known = pd.to_numeric(table["rate_before"].where(table["rate_before"] != SUPPRESSED), errors="coerce")
        table["change_points"] = (table["rate"] * 100).round(1) - (known * 100).round(1)
    if dimension == "age_group":
        table = table.iloc[sorted(range(len(table)), key=lambda i: _age_order(table["group"].iloc[i]))]
    else:
        table = table.sort_values("group")
    return Breakdown(dimension, table.reset_index(drop=True), total)


def _age_order(label: str) -> tuple:
    """Age groups youngest first: "–29 år" (up to 29) before "30–49 år" before "50– år"."""
    import re

    found = re.match(r"^\s*([–-])?\s*(\d+)", label)
    if found is None:
        return (2, 0, label)
    return (0 if found.group(1) else 1, int(found.group(2)), label)


COMPARED_NOTE = ("Samma period i fjol: samma månader året före, prickad efter samma regel över det årets grupper; "
                 "förändringen är skillnaden mellan de två visade talen och står bara där båda åren visas.")
EMPLOYEES_NOTE = ("Anställda, minst: gruppens minsta antal anställda någon månad under perioden; därför är "
                  "summan olika per indelning och lägre än antalet anställda en enskild månad.")


# The remark beside every prickad group, the small one and those hidden to protect it alike, as statistics offices
# mark both: "färre än 5 anställda" beside one and "skyddar en annan prickad grupp" beside the other said which was
# small, and, period by period, the month it fell under the threshold (third 2026-12-07 walk).
HIDDEN_REMARK = "prickad: gruppen eller en annan prickad grupp har för få anställda"


def breakdown_table(result: Breakdown) -> Table:
    """The breakdown described once: a suppressed group's figures are the word "prickad", never a number."""
    compared = (Column("rate_before", "Samma period i fjol", "percent", 12),
                Column("change_points", "Förändring, procentenheter", "points_change", 13)) if result.compared else ()
    columns = (Column("group", DIMENSIONS[result.dimension], width=24),
               Column("employees", "Anställda, minst", "count", 10),
               Column("rate", "Sjukfrånvaro", "percent", 12), *compared,
               *(Column(field, label, "percent", 12) for field, label in LENGTH_LABELS.items()),
               Column("reason", "Anmärkning", width=30))
    rows = []
    for _, row in result.table.iterrows():
        hidden = bool(row["suppressed"])
        then = {"rate_before": row["rate_before"], "change_points": SUPPRESSED if hidden else row["change_points"]} \
            if result.compared else {}
        rows.append({"group": row["group"], "employees": "–" if hidden else row["employees"],
                     "rate": SUPPRESSED if hidden else row["rate"], **then,
                     **{field: SUPPRESSED if hidden else row[field] / row["scheduled_hours"] for field in LENGTH_LABELS},
                     "reason": HIDDEN_REMARK if hidden else ""})
    return Table(f"Sjukfrånvaro per {DIMENSIONS[result.dimension].lower()}", columns, tuple(rows))


def breakdowns_table(results: list[Breakdown], span: str = "") -> Table:
    """Several breakdowns in one table (the meeting papers), each group under its dimension, suppressed
    exactly as on the page; ``span`` names the months read ("jan–aug 2025"), else "hittills i år"."""
    parts = [breakdown_table(result) for result in results]
    columns = (Column("dimension", "Indelning", width=16), Column("group", "Grupp", width=24),
               *(parts[0].columns[1:] if parts else ()))
    rows = tuple({"dimension": DIMENSIONS[result.dimension], **row}
                 for result, part in zip(results, parts) for row in part.rows)
    return Table(f"Sjukfrånvaro per grupp, {span or 'hittills i år'}", columns, rows, sheet="Sjukfrånvaro per grupp",
                 note=EMPLOYEES_NOTE + (f" {COMPARED_NOTE}" if any(r.compared for r in results) else ""))


def shown_table(result: Breakdown) -> pd.DataFrame:
    """The breakdown as the page shows it: Swedish labels, rates as text, hidden groups "prickad"."""
    return texts(breakdown_table(result))


def suppression_rule(minimum: int) -> str:
    """The rule in words, the same on the page and in the papers (third 2026-12-07 walk: the papers said only
    "grupper med färre än 5 anställda visas inte", without "någon månad" or the groups hidden to protect it)."""
    return (f"Grupper med färre än {minimum} anställda någon månad under perioden visas inte (prickas). Prickas "
            "någon grupp döljs också de minsta av de övriga, tills minst två grupper är dolda och de dolda "
            f"tillsammans har minst {minimum} anställda, så att ingen liten grupp kan räknas fram ur totalen.")


def suppression_note(result: Breakdown, minimum: int) -> str:
    """The caption under a breakdown: the rule in words, and the total when it may be shown."""
    from domain.formatting import format_percent

    total = "" if result.total["suppressed"] else f" Hela nämnden: {format_percent(result.total['rate'])}."
    return (suppression_rule(minimum) + " " + EMPLOYEES_NOTE
            + (f" {COMPARED_NOTE}" if result.compared else "")
            + total)


def suppressed_monthly(frame: pd.DataFrame, dimension: str, *, minimum: int = DEFAULT_MIN_GROUP) -> pd.DataFrame:
    """Monthly rate per group for a trend chart, each month's small groups (and complement) removed."""
    rows = []
    for (year, month), part in frame.groupby(["year", "month"]):
        result = breakdown(part, dimension, minimum=minimum).table
        result["year"], result["month"] = year, month
        rows.append(result)
    if not rows:
        return pd.DataFrame(columns=["group", "year", "month", "rate", "suppressed"])
    return pd.concat(rows, ignore_index=True)[["group", "year", "month", "rate", "suppressed"]]


# Wage with social costs per hour, until the controller sets another on Sjukfrånvaro (the meeting uses it).
HOURLY_COST_KR = 450


def cost_estimate(sick_hours: float, hourly_cost_kr: float) -> float:
    """What sick leave costs: sick hours × the hourly cost the controller sets (kronor)."""
    if hourly_cost_kr < 0:
        raise ValueError("timkostnaden kan inte vara negativ")
    return float(sick_hours) * float(hourly_cost_kr)


def headline(span: str, year: int, now_rate: float, before_rate: float, trend: str) -> str:
    """Sjukfrånvaro's first sentence: the period's rate, the same period last year, and the trend."""
    from domain.formatting import format_percent, upper_first

    return (f"{upper_first(span)}: {format_percent(now_rate)} av ordinarie arbetstid (samma period "
            f"{year - 1}: {format_percent(before_rate)}). {trend}")


def meeting_headline(span: str, now_rate: float, before_rate: float, trend: pd.Series) -> str:
    """The meeting's sick-leave sentence, naming the months read (``span``, "jan–aug 2025"): "Sjukfrånvaron
    jan–aug 2025 är 6,1 % (samma period i fjol 8,4 %)." with the trend after it. "hittills i år" under a
    September footer was read as January to September."""
    from domain.formatting import format_percent

    return (f"Sjukfrånvaron {span} är {format_percent(now_rate)} (samma period i fjol "
            f"{format_percent(before_rate)}). " + trend_sentence(trend))


def cost_caption(span: str, sick_hours: float, hourly_cost_kr: float) -> str:
    """How the parts add up, and what the period's sick hours cost at the hourly cost the controller sets."""
    from domain.formatting import format_hours, format_kr, format_tkr

    return (f"Dag 1–14 + dag 15–59 + dag 60– = total sjukfrånvaro. Sjukfrånvaron {span} motsvarar "
            f"{format_hours(sick_hours)}, uppskattningsvis {format_tkr(cost_estimate(sick_hours, hourly_cost_kr))} "
            f"med {format_kr(hourly_cost_kr)} per timme.")


def trend_sentence(trend: pd.Series, months: int = 12) -> str:
    """The change of the seasonally adjusted rate over the last ``months`` months in words."""
    from domain.formatting import format_number, format_percent

    clean = trend.dropna()
    if len(clean) <= months:
        return "Det finns för kort historik för att skilja trend från säsong (minst två år behövs)."
    start, end = float(clean.iloc[-months - 1]), float(clean.iloc[-1])
    points = (end - start) * 100
    if abs(points) < 0.2:
        return ("Rensat för säsong är sjukfrånvaron i stort sett oförändrad de senaste tolv månaderna "
                f"({format_percent(end)}).")
    word = "minskat" if points < 0 else "ökat"
    # The change between the two figures as written, so that the reader's subtraction gives it (2026-12-06 walk:
    # "från 8,5 % till 8,8 % (+0,4 procentenheter)").
    shown = round(end * 100, 1) - round(start * 100, 1)
    return (f"Rensat för säsong har sjukfrånvaron {word} från {format_percent(start)} till {format_percent(end)} "
            f"de senaste tolv månaderna ({format_number(shown, 1, plus=True)} procentenheter).")


def turnover(frame: pd.DataFrame, by: str | None = None, *, minimum: int | None = None,
             counted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rolling 12-month external and internal turnover: Σ leavers / average headcount over 12 months.

    With ``by`` and ``minimum``, each month's figures per group follow the module's suppression
    rule: a group's headcount is its smallest over the twelve months, and a hidden group's
    figures are NaN with ``suppressed`` true, so that neither the total nor the other groups give
    back a small group's leavers. Without ``by``, a total under the threshold is hidden.

    ``counted``: the sick-leave rows, whose headcount of a group of the same name counts for the rule where it
    is smaller, so that a group prickad under Grupper is prickad here too (third 2026-12-07 walk: a group of
    five in the turnover file and of one in the sick-leave file was hidden on one tab and on the next showed
    the month its one leaver left).
    """
    keys = ["year", "month"] + ([by] if by else [])
    sums = frame.groupby(keys, as_index=False)[["employees", "leavers_external", "leavers_internal"]].sum()
    if by and counted is not None and not counted.empty and by in counted:
        other = counted.groupby(keys, as_index=False)["employees"].sum().rename(columns={"employees": "counted"})
        sums = sums.merge(other, on=keys, how="left")
        sums["ruled"] = sums[["employees", "counted"]].min(axis=1)
        sums = sums.drop(columns="counted")
    else:
        sums["ruled"] = sums["employees"]
    groups = sums.groupby(by) if by else [(None, sums)]
    rows = []
    for name, part in groups:
        part = part.sort_values(["year", "month"]).reset_index(drop=True)
        average = part["employees"].rolling(12, min_periods=12).mean()
        part["window_employees"] = part["ruled"].rolling(12, min_periods=1).min()
        part = part.drop(columns="ruled")
        for kind in ("external", "internal"):
            part[f"turnover_{kind}"] = part[f"leavers_{kind}"].rolling(12, min_periods=12).sum() / average
        if by:
            part[by] = name
        rows.append(part)
    result = pd.concat(rows, ignore_index=True) if rows else sums
    if minimum is not None and not result.empty:
        result = _suppress_turnover(result, by, min_group_size(minimum))
    return result


def _suppress_turnover(result: pd.DataFrame, by: str | None, minimum: int) -> pd.DataFrame:
    result = result.copy()
    result["suppressed"] = result["window_employees"] < minimum  # a total under the threshold is hidden
    for _, month in result.groupby(["year", "month"]) if by else []:
        reasons = suppress(month["window_employees"], month["employees"], minimum,
                           absent=month["turnover_external"].isna())
        result.loc[month.index, "suppressed"] = reasons != ""
    for column in ("turnover_external", "turnover_internal", "leavers_external", "leavers_internal", "employees",
                   "window_employees"):
        result[column] = result[column].where(~result["suppressed"])
    return result


def turnover_note(by_group: pd.DataFrame, minimum: int) -> str:
    """What the turnover chart leaves out for privacy, in one caption."""
    minimum = min_group_size(minimum)
    text = (f"Yrkesgrupper med färre än {minimum} anställda någon av de tolv månaderna visas inte (prickas), och då "
            "prickas fler grupper så att ingen liten grupp kan räknas fram ur nämndens total. Antalet anställda "
            "är det minsta av personalomsättningsfilens och sjukfrånvarofilens för samma yrkesgrupp, så att en grupp "
            "som fliken Grupper prickar är prickad här också.")
    if by_group is None or by_group.empty or "suppressed" not in by_group:
        return text
    last = by_group[(by_group["year"] == by_group["year"].max())]
    last = last[last["month"] == last["month"].max()]
    hidden = sorted(last.loc[last["suppressed"].astype(bool), "occupation"])
    if hidden:
        text += " Prickade den senaste månaden: " + ", ".join(hidden) + "."
    return text


def municipality_monthly(municipality: pd.DataFrame, nämnd: pd.DataFrame) -> pd.DataFrame | None:
    """The municipality's monthly rate aligned to the nämnd's months (NaN where missing)."""
    if municipality.empty:
        return None
    data = municipality.assign(rate=municipality["sick_hours"] / municipality["scheduled_hours"])
    data = data.set_index(["year", "month"])["rate"]
    keys = list(zip(nämnd["year"], nämnd["month"]))
    return pd.DataFrame({"period": nämnd["period"], "rate": [data.get(k, np.nan) for k in keys]})


def municipality_period_rate(municipality: pd.DataFrame, year: int, through_month: int) -> float:
    part = municipality[(municipality["year"] == year) & (municipality["month"] <= through_month)]
    scheduled = float(part["scheduled_hours"].sum())
    return float(part["sick_hours"].sum()) / scheduled if scheduled else float("nan")


def parse_reference_level(text: str) -> float | None:
    """A national reference level typed by the user ("4,4" or "4,4 %"), in percent; None if empty or invalid."""
    from domain.numbers import NumberFormatError, parse_number

    cleaned = text.replace("%", "").strip()
    if not cleaned:
        return None
    try:
        value = float(parse_number(cleaned))
    except NumberFormatError:
        return None
    return value if 0 < value < 100 else None


@dataclass(frozen=True)
class SickLeaveView:
    """What the Sjukfrånvaro page shows for one period, computed once per data version."""

    too_small: bool
    now: dict
    before: dict
    monthly: pd.DataFrame
    rolling: pd.DataFrame
    municipality: pd.DataFrame | None
    municipality_rate: float | None
    sick_hours: float
    this_year: pd.DataFrame
    last_year: pd.DataFrame  # the same months a year earlier
    turnover_by_group: pd.DataFrame | None
    turnover_total: pd.DataFrame | None
    through_month: int  # the last month of the year with sick leave booked, at most the month chosen


def behind_sentence(year: int, month: int, through_month: int) -> str:
    """Said when the sick leave ends before the chosen month (``SickLeaveView.through_month``)."""
    return behind_note("Sjukfrånvaron är inläst", "siffrorna gäller", year, month, through_month,
                       f" och samma månader {year - 1}")


def view(rows: pd.DataFrame, municipality_rows: pd.DataFrame, turnover_rows: pd.DataFrame, year: int, month: int,
         minimum: int) -> SickLeaveView:
    """The period's rates, this and last year's same months, the monthly series and the turnover.

    The months are those booked, up to ``month``: when the ledger runs ahead of the sick leave (September's
    utfall in, its hours not), the page said "jan–sep" of the hours of jan–aug (``through_month``)."""
    until = rows_through(rows, year, month)
    this = until[until["year"] == year]
    through = booked_through(this, month, month)
    last = rows[(rows["year"] == year - 1) & (rows["month"] <= through)]
    series = monthly(until)
    by_group = total = None
    if not turnover_rows.empty:
        window = rows_through(turnover_rows, year, month)
        by_group = turnover(window, "occupation", minimum=minimum, counted=until)
        total = turnover(window, minimum=minimum)
        by_group = by_group[by_group["year"] >= year - 2]
    return SickLeaveView(
        too_small=bool(not this.empty and too_small(this, minimum=minimum)), now=period_rate(this),
        before=period_rate(last), monthly=series, rolling=rolling_12(series),
        municipality=municipality_monthly(municipality_rows, series),
        municipality_rate=municipality_period_rate(municipality_rows, year, through),
        sick_hours=float(this[list(LENGTH_COLUMNS)].sum().sum()), this_year=this, last_year=last,
        turnover_by_group=by_group, turnover_total=total, through_month=through)
