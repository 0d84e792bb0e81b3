"""Placements: care days × price per day (placeringsdygn × à-pris), and why costs deviate.

The deviation between two states A (e.g. budget) and B (e.g. prognos) of a group of
categories with volumes v and prices p is split by the midpoint (Shapley) convention:

    Volymeffekt  = ΔV · P̄                       (the group's change in days at the average price)
    Mixeffekt    = Σ_i (Δv_i − ΔV · s̄_i) · p̄_i  (the shift between categories)
    Priseffekt   = Σ_i Δp_i · v̄_i               (the change in price per day at average volume)

with p̄_i = (p_Ai + p_Bi)/2, v̄_i = (v_Ai + v_Bi)/2, s̄_i = v̄_i / Σ v̄, P̄ = Σ s̄_i · p̄_i. The three
parts add up to Σ (v_Bi p_Bi − v_Ai p_Ai) with no residual and do not depend on the order of the
factors. Amounts are rounded to whole kronor with the price effect taking the rounding, so that
the parts add up to the krona.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.formatting import level_in_mnkr, lower_first
from domain.periods import behind_note, booked_through, month_label, period_label
from domain.tables import Column, Table, with_total_row

FORMULA = ("Volymeffekt = (dygn A − dygn B) × genomsnittligt à-pris; Mixeffekt = förskjutning mellan "
           "kategorierna inom gruppen till kategoriernas genomsnittliga à-pris; Priseffekt = (à-pris A − à-pris B) "
           "× genomsnittliga dygn. Genomsnitt = (A + B)/2 (mittpunktsmetoden): delarna summerar exakt till "
           "avvikelsen, utan restpost och oberoende av ordning. En grupp med både dygn och dagar delas per "
           "enhet, så att bara lika slags dagar läggs ihop.")


def formula(a_label: str, b_label: str) -> str:
    """How the effects are counted, with A and B named (the papers have no comparison selector to say it)."""
    return (f"Effekterna visas som avvikelse, A − B, där A är {lower_first(a_label)} och B "
            f"{lower_first(b_label)}: plus = lägre kostnad än A (gynnsamt), som varje avvikelse. {FORMULA}")


EFFECTS = ("volume", "mix", "price", "total")
# An effect in words, (favourable, unfavourable): what the bar of a bridge says it is.
EFFECT_WORDS = {"volume": ("mindre volym", "större volym"),
                "mix": ("billigare placeringsformer", "dyrare placeringsformer"),
                "price": ("lägre à-pris", "högre à-pris")}


@dataclass(frozen=True)
class Decomposition:
    """Per category and per group: cost A, cost B, and the three effects (kronor, cost sign)."""

    categories: pd.DataFrame  # category, group, days_a, price_a, cost_a, days_b, price_b, cost_b, volume, mix, price, total
    groups: pd.DataFrame  # group, cost_a, cost_b, volume, mix, price, total

    @property
    def cost_a(self) -> float:
        return float(self.groups["cost_a"].sum())

    @property
    def cost_b(self) -> float:
        return float(self.groups["cost_b"].sum())

    @property
    def favourable(self) -> Decomposition:
        """The same split in the sign every avvikelse is shown in: A − B, plus = less cost than A (favourable).
        The decomposition itself keeps the cost sign (B − A) of the published figures; every rendering reads
        this one, so that the sign is turned in one place."""
        def turned(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.assign(**{effect: -frame[effect] for effect in EFFECTS})

        return Decomposition(turned(self.categories), turned(self.groups))


def _prices(days: np.ndarray, prices: np.ndarray, other: np.ndarray) -> np.ndarray:
    """A price for every category: where a side has no volume (new or ended category) or no
    price, the other side's price is used, so that no effect divides by zero."""
    result = np.where(np.isfinite(prices) & (days > 0), prices, other)
    return np.where(np.isfinite(result), result, 0.0)


def unit_groups(groups: pd.Series, units: pd.Series) -> pd.Series:
    """A group counting in several units (dygn of placements, dagar of öppenvård or kontaktfamilj) split by
    unit, "barn och unga, dygn": a change in days is added up only where a day is the same thing."""
    several = units.groupby(groups).transform("nunique") > 1
    return groups.where(~several, groups + ", " + units.astype(str))


def decompose(frame: pd.DataFrame) -> Decomposition:
    """Split cost B − cost A into volume, mix and price per group.

    ``frame`` columns: category, group, days_a, price_a, days_b, price_b (prices may be NaN
    where a side has no days); with a column ``unit``, a group is split by unit (``unit_groups``).
    """
    data = frame.copy().reset_index(drop=True)
    if "unit" in data:
        data["group"] = unit_groups(data["group"], data["unit"])
        data = data.drop(columns="unit")
    days_a = data["days_a"].fillna(0.0).to_numpy(float)
    days_b = data["days_b"].fillna(0.0).to_numpy(float)
    raw_a = data["price_a"].to_numpy(float)
    raw_b = data["price_b"].to_numpy(float)
    price_a = _prices(days_a, raw_a, raw_b)
    price_b = _prices(days_b, raw_b, price_a)
    price_a = _prices(days_a, price_a, price_b)
    data["price_a"], data["price_b"] = price_a, price_b
    data["cost_a"] = np.round(days_a * price_a)
    data["cost_b"] = np.round(days_b * price_b)
    mid_days = (days_a + days_b) / 2
    mid_price = (price_a + price_b) / 2
    delta_days = days_b - days_a
    volume = np.zeros(len(data))
    mix = np.zeros(len(data))
    for _, index in data.groupby("group", sort=False).groups.items():
        rows = np.asarray(index)
        total_mid = mid_days[rows].sum()
        shares = mid_days[rows] / total_mid if total_mid > 0 else np.zeros(len(rows))
        group_delta = delta_days[rows].sum()
        # Per category, volume + mix = Δv·p̄ and price = Δp·v̄ (the midpoint split of its own cost);
        # summed over the group, volume = ΔV·P̄ and mix = the shift between categories.
        volume[rows] = group_delta * shares * mid_price[rows]
        mix[rows] = (delta_days[rows] - group_delta * shares) * mid_price[rows]
    data["volume"] = np.round(volume)
    data["mix"] = np.round(mix)
    data["total"] = data["cost_b"] - data["cost_a"]
    data["price"] = data["total"] - data["volume"] - data["mix"]
    columns = ["cost_a", "cost_b", "volume", "mix", "price", "total"]
    groups = data.groupby("group", sort=False, as_index=False)[columns].sum()
    return Decomposition(data, groups)


def shapley_price_effect(frame: pd.DataFrame) -> pd.Series:
    """The unrounded midpoint price effect per category (for checking the rounded one)."""
    days_a = frame["days_a"].to_numpy(float)
    days_b = frame["days_b"].to_numpy(float)
    return pd.Series((frame["price_b"] - frame["price_a"]).to_numpy(float) * (days_a + days_b) / 2)


def unit_price(cost: float, days: float) -> float:
    """Kronor per dygn; NaN where there are no days."""
    return float(cost) / float(days) if days else float("nan")


def volume_tables(volumes: pd.DataFrame, budgets: pd.DataFrame, forecasts: pd.DataFrame,
                  categories: pd.DataFrame, year: int, through_month: int) -> pd.DataFrame:
    """The delårsrapport's "Volymer" and "Mått och à-pris" in one frame, per category.

    volumes: year, month, category, care_days, cost_kr. budgets: year, category, care_days,
    unit_price_kr. forecasts (the controllers' own): category, care_days, unit_price_kr for the cut-off.
    Periodised budget days = budget × months / 12, as the reports do, over the months whose volumes are
    booked: when the ledger runs ahead of the volumes (September's utfall in, its volymer not), the budget of
    jan–sep against the costs of jan–aug showed a volume gain that was one month's budget. The months used are
    in the column through_month (``volume_span`` names them).
    """
    this = volumes[(volumes["year"] == year) & (volumes["month"] <= through_month)]
    through_month = booked_through(this, through_month, 0)
    last = volumes[volumes["year"] == year - 1]
    ytd = this.groupby("category")[["care_days", "cost_kr"]].sum()
    previous = last.groupby("category")[["care_days", "cost_kr"]].sum()
    budget = budgets[budgets["year"] == year].set_index("category")
    own = forecasts.set_index("category") if not forecasts.empty else pd.DataFrame(columns=["care_days", "unit_price_kr"])
    rows = []
    for _, category in categories.sort_values("sort_order").iterrows():
        name = category["name"]
        days = float(ytd["care_days"].get(name, 0.0))
        cost = float(ytd["cost_kr"].get(name, 0.0))
        budget_days = float(budget["care_days"].get(name, np.nan))
        budget_price = float(budget["unit_price_kr"].get(name, np.nan))
        rows.append({
            "category": name, "group": category["client_group"] or "övriga", "unit": category["unit"],
            "days_ytd": days, "budget_days_ytd": budget_days * through_month / 12,
            "budget_days": budget_days,
            "forecast_days": float(own["care_days"].get(name, np.nan)) if name in own.index else np.nan,
            "days_last_year": float(previous["care_days"].get(name, np.nan)) if name in previous.index else np.nan,
            "price_ytd": unit_price(cost, days), "budget_price": budget_price,
            "forecast_price": float(own["unit_price_kr"].get(name, np.nan)) if name in own.index else np.nan,
            "price_last_year": unit_price(previous["cost_kr"].get(name, 0.0), previous["care_days"].get(name, 0.0))
            if name in previous.index else np.nan,
            "cost_ytd": cost,
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["through_month"] = through_month
    # Avvikelse in days: positive = fewer days than budgeted (favourable), as in the report.
    frame["days_variance_ytd"] = frame["budget_days_ytd"] - frame["days_ytd"]
    frame["days_variance_forecast"] = frame["budget_days"] - frame["forecast_days"]
    # Avvikelse in price likewise: positive = a lower price than budgeted (favourable).
    frame["price_variance_ytd"] = frame["budget_price"] - frame["price_ytd"]
    frame["price_variance_forecast"] = frame["budget_price"] - frame["forecast_price"]
    return frame


def volumes_through(table: pd.DataFrame) -> int:
    """The last month of ``volume_tables``' year whose volumes are read; 0 when none are."""
    return int(table["through_month"].iloc[0]) if not table.empty else 0


def volume_span(table: pd.DataFrame, year: int) -> str:
    """The months that ``volume_tables``' utfall and periodised budget cover: "jan–aug 2025"."""
    through = volumes_through(table)
    return period_label(year, through) if through else f"{year}, inga volymer bokförda"


def volumes_behind(table: pd.DataFrame, year: int, month: int) -> str:
    """Said when the volumes end before the chosen month: the utfall and the periodised budget are then
    those of the months booked, and the page must not read as the chosen month's."""
    through = int(table["through_month"].iloc[0]) if not table.empty else month
    if not through:
        return f"Det finns inga volymer bokförda för {year}; utfall och periodiserad budget är noll."
    return behind_note("Volymerna är inlästa", "utfall och periodiserad budget gäller", year, month, through)


def outlier_months(volumes: pd.DataFrame, *, window: int = 24, threshold: float = 3.5) -> pd.DataFrame:
    """Months where a category's à-pris jumps far above its usual level (ytterfall).

    Usual level = median of the category's price over the preceding ``window`` months; a month is
    flagged when it lies more than ``threshold`` robust standard deviations (1,4826 × MAD) above it
    and at least 25 % above the median.
    """
    flagged = []
    for category, rows in volumes.sort_values(["year", "month"]).groupby("category"):
        prices = (rows["cost_kr"] / rows["care_days"].where(rows["care_days"] > 0)).to_numpy(float)
        for i in range(6, len(rows)):
            history = prices[max(0, i - window):i]
            history = history[np.isfinite(history)]
            if len(history) < 6 or not np.isfinite(prices[i]):
                continue
            median = float(np.median(history))
            spread = 1.4826 * float(np.median(np.abs(history - median)))
            if prices[i] > median * 1.25 and prices[i] > median + threshold * max(spread, 1e-9):
                row = rows.iloc[i]
                flagged.append({"category": category, "year": int(row["year"]), "month": int(row["month"]),
                                "price": float(prices[i]), "usual_price": median,
                                "excess_kr": float((prices[i] - median) * row["care_days"])})
    return pd.DataFrame(flagged, columns=["category", "year", "month", "price", "usual_price", "excess_kr"])


COMPARISONS = {
    "budget_forecast": ("Budget helår", "Controllernas volymprognos"),
    "budget_statistical": ("Budget helår", "Statistisk prognos"),
    "budget_actual": ("Periodiserad budget", "Utfall hittills"),
}


def comparison_choices(table: pd.DataFrame, year: int, forecast_cutoff: int | None) -> dict[str, str]:
    """The comparisons Placeringar offers, by key, the one it opens on first. A year whose volumes are booked
    through December opens on its utfall against the year's budget, and offers no statistical forecast: a
    forecast of a booked year is not its figure (2026-12-06 walk: ?period=2024-12 opened on the controllers'
    August forecast, and the statistical forecast's choice drew the utfall under a forecast's name). The
    controllers' forecast stays, said to be made before the year ended."""
    span = volume_span(table, year)
    if volumes_through(table) == 12:
        choices = {"budget_actual": f"Budget helår → utfall {span}"}
        if forecast_cutoff:
            choices["budget_forecast"] = f"Budget → {lower_first(forecast_name(year, forecast_cutoff))}, gjord före " \
                                         "årets slut"
        return choices
    choices = {"budget_forecast": "Budget → controllernas volymprognos"} if forecast_cutoff else {}
    return choices | {"budget_statistical": "Budget → statistisk prognos",
                      "budget_actual": f"Periodiserad budget → utfall {span}"}


def forecast_before_volumes(table: pd.DataFrame, year: int, cutoff: int | None, comparison: str) -> str:
    """Said over the controllers' volume forecast when volumes are read for later months than it was made at: the
    page is unchanged by them until a new forecast is read (2026-12-07 controller walk: September's volumes were
    imported and Placeringar, opening on the August forecast, showed the same figures as before). "" otherwise."""
    through = volumes_through(table)
    if comparison != "budget_forecast" or not cutoff or not through or through <= cutoff or through == 12:
        return ""
    return (f"Controllernas volymprognos är gjord per {month_label(year, cutoff)} och räknar inte med volymerna "
            f"till och med {month_label(year, through)}: den ändras när en ny volymprognos läses in på sidan Data. "
            f"Budget → statistisk prognos och Periodiserad budget → utfall {volume_span(table, year)} räknar med "
            "de senaste volymerna.")


def forecast_name(year: int, cutoff: int | None) -> str:
    """The controllers' volume forecast named with its month ("Controllernas volymprognos aug 2025"): under a
    September footer the name alone was read as September's. "" when none is read."""
    return f"{COMPARISONS['budget_forecast'][1]} {month_label(year, cutoff)}" if cutoff else ""


def comparison_source(comparison: str, table: pd.DataFrame, year: int, month: int, cutoff: int | None) -> str:
    """The footer's source of the comparison shown: "controllernas volymprognos aug 2025", "statistisk
    volymprognos aug 2025" or "utfall och volymer jan–aug 2025". The footer named the controllers' forecast
    under every comparison."""
    if comparison == "budget_forecast":
        return lower_first(forecast_name(year, cutoff)) or "ingen volymprognos inläst"
    if comparison == "budget_statistical":
        return f"statistisk volymprognos {month_label(year, month)}"
    return f"utfall och volymer {volume_span(table, year)}"


def comparison_frame(table: pd.DataFrame, comparison: str, *, split_units: bool = True) -> pd.DataFrame:
    """The two states (A, B) of a comparison as input for ``decompose``; with ``split_units`` false, by client
    group alone (volume at A's price adds kronor, as published reports do)."""
    if comparison == "budget_actual":
        a_days, a_price, b_days, b_price = "budget_days_ytd", "budget_price", "days_ytd", "price_ytd"
    elif comparison == "budget_statistical":
        a_days, a_price, b_days, b_price = "budget_days", "budget_price", "stat_days", "stat_price"
    else:
        a_days, a_price, b_days, b_price = "budget_days", "budget_price", "forecast_days", "forecast_price"
    frame = pd.DataFrame({"category": table["category"], "group": table["group"],
                          "days_a": table[a_days], "price_a": table[a_price],
                          "days_b": table[b_days], "price_b": table[b_price]})
    if split_units and "unit" in table:
        frame["unit"] = table["unit"]
    return frame


def group_effects(decomposition: Decomposition) -> list[tuple[str, str, float]]:
    """(group, effect, kronor in the decomposition's sign) for every volume, mix and price effect not zero to
    the krona."""
    return [(str(group["group"]), effect, float(group[effect]))
            for _, group in decomposition.groups.iterrows()
            for effect in ("volume", "mix", "price") if round(group[effect]) != 0]


def bridge_steps(decomposition: Decomposition) -> list[tuple[str, float]]:
    """Volume, mix and price per group as avvikelse (positive = less cost than A, favourable), largest effect
    first (for the waterfall). Each bar says in words what happened ("Vuxna: högre à-pris", "Barn och unga,
    dygn: billigare placeringsformer"): the nämnd reads the bars on a slide, and "mix" said nothing to a
    politician (2026-12-06 walk)."""
    steps = [(f"{name[:1].upper()}{name[1:]}: {EFFECT_WORDS[effect][value < 0]}", value)
             for name, effect, value in group_effects(decomposition.favourable)]
    return sorted(steps, key=lambda step: -abs(step[1]))


def largest_steps(steps: list[tuple[str, float]], largest: int | None) -> list[tuple[str, float]]:
    """A bridge's ``largest`` steps, largest first, and the rest as one step "Övriga effekter (n st.)", so that
    they still add up to the krona; every step when ``largest`` is None or only one more would be merged."""
    if largest is None or len(steps) <= largest + 1:
        return steps
    ordered = sorted(steps, key=lambda step: -abs(step[1]))
    rest = ordered[largest:]
    return ordered[:largest] + [(f"Övriga effekter ({len(rest)} st.)", float(sum(v for _, v in rest)))]


@dataclass(frozen=True)
class CostBridge:
    """A cost bridge drawn as avvikelse against A: zero is A's cost, positive is less cost (favourable, as every
    avvikelse), and the steps add up to A − B. Drawn from zero, two totals of some 100 000 tkr left the steps
    of a few thousand as slivers beside them; the totals are named in the first and the last label instead."""

    start_label: str
    steps: list[tuple[str, float]]
    end_label: str
    end: float  # A − B, kronor
    axis_title: str


def cost_bridge(a_label: str, cost_a: float, steps: list[tuple[str, float]], b_label: str,
                cost_b: float, *, largest: int | None = None) -> CostBridge:
    """``bridge_steps`` (avvikelse sign) from A's cost to B's, for the screen, the meeting slide and the PDF
    alike. With
    ``largest``, the steps beyond the largest ones are one step "Övriga effekter" (a slide has room for a
    few rows; more, and the chart leaves every other name out)."""
    from domain.formatting import format_tkr

    steps = largest_steps(steps, largest)
    return CostBridge(f"{a_label}, {format_tkr(cost_a)}", steps, f"{b_label}, {format_tkr(cost_b)}",
                      float(cost_a) - float(cost_b),
                      f"Avvikelse mot {a_label[:1].lower()}{a_label[1:]}, tkr (+ = lägre kostnad)")


def sequential_effects(frame: pd.DataFrame) -> pd.DataFrame:
    """Other conventions, for checking a published claim: volume at A's price, price at A's volume,
    and the interaction term that these leave over."""
    data = frame.fillna({"days_a": 0.0, "days_b": 0.0})
    price_a = data["price_a"].fillna(data["price_b"]).fillna(0.0)
    price_b = data["price_b"].fillna(price_a)
    rows = pd.DataFrame({"group": data["group"],
                         "volume_at_a_price": (data["days_b"] - data["days_a"]) * price_a,
                         "price_at_a_volume": (price_b - price_a) * data["days_a"],
                         "interaction": (data["days_b"] - data["days_a"]) * (price_b - price_a)})
    return rows.groupby("group", sort=False, as_index=False).sum()


def plan_base(table: pd.DataFrame, category: str) -> tuple[str, float] | None:
    """The à-pris a plan year starts from, and its name: this year's expected price, the controllers'
    forecast, else the price so far, else the budget (a plan on the budget price alone stood below this
    year's utfall and forecast, and would budget the coming years too low)."""
    rows = table[table["category"] == category]
    if rows.empty:
        return None
    row = rows.iloc[0]
    for column, name in (("forecast_price", "Controllernas volymprognos"), ("price_ytd", "Utfall hittills"),
                         ("budget_price", "Budget")):
        value = float(row.get(column, np.nan))
        if np.isfinite(value) and value > 0:
            return name, value
    return None


def plan_prices(budget_price: float, indexation: list[float]) -> list[float]:
    """Plan-year prices: the budget price raised by each year's indexation in turn."""
    prices, price = [], budget_price
    for rate in indexation:
        price = price * (1 + rate)
        prices.append(price)
    return prices


def comparison_labels(table: pd.DataFrame, comparison: str) -> tuple[str, str]:
    """The names of a comparison's two states (``COMPARISONS``); for the utfall of a year whose volumes are booked
    through December, "Budget helår" and "Helårets utfall" (2026-12-06 walk: a booked year said "utfall
    hittills" against "periodiserad budget")."""
    if comparison == "budget_actual" and volumes_through(table) == 12:
        return "Budget helår", "Helårets utfall"
    return COMPARISONS[comparison]


def headline(decomposition: Decomposition, comparison: str, labels: tuple[str, str] | None = None) -> str:
    """Placeringar's sentence: how far B's cost lies from A's, and each group's effects as avvikelse (plus =
    less cost than A, favourable, as in the bridge and the table); ``labels`` (``comparison_labels``) name A and
    B where the comparison's own names do not fit."""
    from domain.formatting import format_mnkr

    a, b = labels or COMPARISONS[comparison]
    total = float(decomposition.groups["total"].sum())
    if level_in_mnkr(total):
        return f"Placeringskostnaden enligt {b.lower()} är i nivå med {a.lower()}."
    word = "högre" if total > 0 else "lägre"
    parts = []
    for _, group in decomposition.favourable.groups.iterrows():
        name = str(group["group"])
        parts.append(f"{name[:1].upper()}{name[1:]}: volym {format_mnkr(group['volume'], plus=True)}, mix "
                     f"{format_mnkr(group['mix'], plus=True)}, pris {format_mnkr(group['price'], plus=True)}")
    return (f"Placeringskostnaden enligt {b.lower()} är {format_mnkr(abs(total))} {word} än {a.lower()}. "
            "Avvikelse per grupp (plus = lägre kostnad): " + ". ".join(parts) + ".")


@dataclass(frozen=True)
class ComparisonView:
    """What Placeringar shows for one comparison: the decomposition, its sentence and its two tables."""

    decomposition: Decomposition
    headline: str
    effects: Table
    sequential: Table
    labels: tuple[str, str]  # A's and B's names (``comparison_labels``)


def comparison_view(table: pd.DataFrame, comparison: str) -> ComparisonView:
    """One comparison of ``placement_table`` (``COMPARISONS``) decomposed and described once."""
    decomposition = decompose(comparison_frame(table, comparison))
    a_label, b_label = comparison_labels(table, comparison)
    return ComparisonView(decomposition, headline(decomposition, comparison, (a_label, b_label)),
                          effects_table(decomposition, a_label, b_label),
                          sequential_effects_table(comparison_frame(table, comparison, split_units=False)),
                          (a_label, b_label))


def volume_days_table(table: pd.DataFrame, year: int, span: str) -> Table:
    """Care days per category (``placement_table``) with a Summa row, described once for every rendering."""
    columns = (Column("category", "Kategori", width=30), Column("unit", "Enhet", width=8),
               Column("days_ytd", f"Utfall {span}", "count"), Column("budget_days_ytd", "Periodiserad budget", "count"),
               Column("days_variance_ytd", "Avvikelse", "count_change"), Column("budget_days", "Budget helår", "count"),
               Column("forecast_days", "Prognos (controller)", "count"),
               Column("stat_days", "Prognos (statistisk)", "count"),
               Column("days_variance_forecast", "Avvikelse budget–prognos (controller)", "count_change"),
               Column("days_last_year", f"Utfall {year - 1}", "count"))
    numbers = [c.key for c in columns[2:]]
    frame = table[[c.key for c in columns]]
    units = list(dict.fromkeys(frame["unit"]))
    # Where the categories count in several units (dygn, dagar), a Summa per unit, and the sum of them all as
    # delårsrapporter print it, named for what it adds.
    totals = [{"category": "Summa" if len(units) == 1 else f"Summa, {unit}", "unit": unit,
               **{c: frame.loc[frame["unit"] == unit, c].sum(min_count=1) for c in numbers}} for unit in units]
    if len(units) > 1:
        totals.append({"category": "Summa, " + " och ".join(units), "unit": "",
                       **{c: frame[c].sum(min_count=1) for c in numbers}})
    rows = tuple(frame.to_dict("records")) + tuple(totals)
    note = ("Avvikelse = budget − utfall (eller prognos): positiv avvikelse betyder färre dygn eller dagar än "
            "budgeterat. Periodiserad budget = budget helår × antal månader / 12.")
    if len(units) > 1:  # said in the papers too, where the row stands without the page around it
        note += (f" Raden {totals[-1]['category']} visas som i verksamheternas rapporter men lägger ihop två "
                 "enheter; summan per enhet står ovanför.")
    return Table("Volymer per kategori", columns, rows, ("",) * len(frame) + ("total",) * len(totals), note=note)


def effects_table(decomposition: Decomposition, a_label: str, b_label: str) -> Table:
    """The decomposition per category: cost A and B, and the volume, mix and price effects as avvikelse
    (A − B, plus = less cost, as the bridge), with a Summa row."""
    # The avvikelse next to the costs, then its volume, mix and price, the group last: at 1280 px the effects,
    # the point of the table, lay beyond the grid's right edge, and then the avvikelse they add up to did
    # (2026-12-05 walks).
    columns = (Column("category", "Kategori", width=30),
               Column("cost_a", f"{a_label}, tkr", "tkr"), Column("cost_b", f"{b_label}, tkr", "tkr"),
               Column("total", "Avvikelse", "tkr_change", 10),
               Column("volume", "Volym", "tkr_change", 10), Column("mix", "Mix", "tkr_change", 10),
               Column("price", "Pris", "tkr_change", 10), Column("group", "Grupp", width=14))
    frame = with_total_row(decomposition.favourable.categories[[c.key for c in columns]], "category",
                           [c.key for c in columns[1:-1]])
    rows = tuple(frame.to_dict("records"))
    return Table("Volym, mix och pris, tkr", columns, rows, ("",) * (len(rows) - 1) + ("total",),
                 note=formula(a_label, b_label))


def sequential_effects_table(frame: pd.DataFrame) -> Table:
    """``sequential_effects`` described once, as avvikelse (plus = less cost than A) like the effects above it."""
    columns = (Column("group", "Grupp", width=16), Column("volume_at_a_price", "Volym till A-pris, tkr", "tkr_change"),
               Column("price_at_a_volume", "Pris till A-volym, tkr", "tkr_change"),
               Column("interaction", "Samspel, tkr", "tkr_change"))
    rows = tuple({c.key: (-r[c.key] if c.key != "group" else r[c.key]) for c in columns}
                 for r in sequential_effects(frame).to_dict("records"))
    return Table("Andra sätt att räkna", columns, rows)


def prices_table(table: pd.DataFrame, year: int, span: str) -> Table:
    """À-pris per category (``placement_table``): utfall, budget, the two forecasts and last year."""
    columns = (Column("category", "Kategori", width=30), Column("price_ytd", f"Utfall {span}", "count"),
               Column("budget_price", "Budget", "count"),
               Column("price_variance_ytd", "Avvikelse budget–utfall", "count_change"),
               Column("forecast_price", "Prognos (controller)", "count"),
               Column("stat_price", "Prognos (statistisk)", "count"),
               Column("price_variance_forecast", "Avvikelse budget–prognos (controller)", "count_change"),
               Column("price_last_year", f"Utfall {year - 1}", "count"))
    rows = tuple({c.key: r.get(c.key) for c in columns} for r in table.to_dict("records"))
    return Table("À-pris per kategori, kr", columns, rows)


def outliers_table(outliers: pd.DataFrame) -> Table:
    """``outlier_months`` described once, the latest month first and within a month the largest merkostnad."""
    outliers = outliers.sort_values(["year", "month", "excess_kr"], ascending=False)
    columns = (Column("month", "Månad", "month", 10), Column("category", "Kategori", width=30),
               Column("price", "À-pris, kr", "count", 10), Column("usual_price", "Vanligt à-pris, kr", "count", 12),
               Column("excess_kr", "Merkostnad, tkr", "tkr", 12))
    rows = tuple({"month": pd.Period(year=int(r["year"]), month=int(r["month"]), freq="M"), "category": r["category"],
                  "price": r["price"], "usual_price": r["usual_price"], "excess_kr": r["excess_kr"]}
                 for r in outliers.to_dict("records"))
    return Table("Ytterfall", columns, rows)
