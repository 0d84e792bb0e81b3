"""How our socialtjänst compares with similar municipalities: Kolada's published key figures.

The KPIs a socialnämnd is asked about are listed once, in ``KPIS``, with the ids Kolada gives them
(checked against Kolada's KPI list; the title is Kolada's own). Every comparison is against the
*median* of the comparison group (the group's middle kommun, which one expensive member does not
move) with the group's lowest and highest value beside it, and riket.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd

from domain.formatting import (NBSP, count_text, format_date, format_mnkr, format_number, format_percent,
                               is_missing, listing, lower_first)
from domain.tables import Column, Measure, Table

RIKET = "0000"
SOURCE = "Kolada (RKA), CC BY 4.0"


@dataclass(frozen=True)
class Kpi:
    id: str
    label: str  # short, for tables and charts
    subject: str  # the sentence's subject: "Kostnaden för ekonomiskt bistånd per invånare"
    title: str  # Kolada's own title of the KPI
    unit: str  # "kr/inv" or "procent" (Kolada publishes percent as 5.6, not 0.056)
    section: str
    # True when a lower value is better for the board's budget (a cost); colours follow impact, not sign.
    lower_is_better: bool = True


KPIS: tuple[Kpi, ...] = (
    Kpi("N30101", "Individ- och familjeomsorg, totalt", "Kostnaden för individ- och familjeomsorgen per invånare",
        "Kostnad individ- och familjeomsorg, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N30005", "Individ- och familjeomsorg, nettokostnad",
        "Nettokostnaden för individ- och familjeomsorgen per invånare",
        "Nettokostnad individ- och familjeomsorg, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N31001", "Ekonomiskt bistånd", "Kostnaden för ekonomiskt bistånd per invånare",
        "Kostnad ekonomiskt bistånd, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N33001", "Barn och unga", "Kostnaden för barn- och ungdomsvården per invånare",
        "Kostnad barn och ungdomsvård, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N33007", "Barn och unga: HVB-hem", "Kostnaden för HVB-hem för barn och unga per invånare",
        "Kostnad HVB-hem barn och unga, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N33008", "Barn och unga: familjehem", "Kostnaden för familjehemsvård för barn och unga per invånare",
        "Kostnad familjehemsvård barn och unga, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N35001", "Vuxna med missbruk", "Kostnaden för missbrukarvården för vuxna per invånare",
        "Kostnad missbrukarvård vuxna, kr/inv", "kr/inv", "Kostnad per invånare"),
    Kpi("N31807", "Invånare med ekonomiskt bistånd", "Andelen invånare med ekonomiskt bistånd",
        "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) av bef.", "procent",
        "Ekonomiskt bistånd"),
    Kpi("N31816", "Vuxna med långvarigt ekonomiskt bistånd", "Andelen vuxna med långvarigt ekonomiskt bistånd",
        "Vuxna biståndsmottagare med långvarigt ekonomiskt bistånd, andel (%) av befolkningen", "procent",
        "Ekonomiskt bistånd"),
    Kpi("N30001", "Nettokostnadsavvikelse IFO", "Nettokostnadsavvikelsen för individ- och familjeomsorgen",
        "Nettokostnadsavvikelse individ- och familjeomsorg, (%)", "procent", "Kostnad mot förväntad (strukturjusterad)"),
    Kpi("N00090", "Sjukfrånvaro, kommunens anställda", "Sjukfrånvaron bland kommunens anställda",
        "Sjukfrånvaro kommunalt anställda totalt, (%)", "procent", "Personal"),
)
KPI_BY_ID = {kpi.id: kpi for kpi in KPIS}
POPULATION = "N01951"  # Invånare totalt, antal (31 december)
WHOLE_IFO = "N30101"  # the whole individ- och familjeomsorg's cost per inhabitant: the page's and slide's first
ESTIMATE_KPI = KPI_BY_ID["N30005"]  # our books give net cost: compared with Kolada's net cost
FETCHED = (*[kpi.id for kpi in KPIS], POPULATION)


@dataclass(frozen=True)
class Comparison:
    kpi: Kpi
    year: int
    own: float
    median: float | None
    low: float | None
    high: float | None
    riket: float | None
    members: int  # the group's kommuner with a value that year
    rank: int  # our place among the group and us, 1 = lowest value

    @property
    def difference(self) -> float | None:
        """Ours minus the median: a ratio for kr/inv ("18 % lägre"), percentage points for a percent."""
        if self.median is None:
            return None
        if self.kpi.unit == "procent":
            return self.own - self.median
        return self.own / self.median - 1 if self.median else None

    @property
    def favourable(self) -> bool | None:
        if self.difference is None or abs(self.difference) < 1e-12:
            return None
        return (self.difference < 0) == self.kpi.lower_is_better

    @property
    def size(self) -> float:
        """How far from the median, comparable across units (a percentage point counts as 5 %)."""
        if self.difference is None:
            return 0.0
        return abs(self.difference) / 20 if self.kpi.unit == "procent" else abs(self.difference)


def _median(values: list[float]) -> float | None:
    return float(pd.Series(values).median()) if values else None


def shown(value: float | None, unit: str) -> float | None:
    """A value as it is shown and printed: whole kronor, or percent with one decimal (half to even, as the
    one formatting path rounds), so that a difference is the difference of the figures on the page."""
    if value is None or is_missing(value):
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("1" if unit == "kr/inv" else "0.1"),
                                                        rounding=ROUND_HALF_EVEN))


def compare(values: pd.DataFrame, own: str, group: tuple[str, ...], kpi: Kpi, year: int | None = None
            ) -> Comparison | None:
    """Our value against the group's for one KPI, in ``year`` or the latest year where we and at least one
    member of the group have a value. ``values``: kpi, municipality, year, value."""
    rows = values[(values["kpi"] == kpi.id) & values["value"].notna()]
    ours = rows[rows["municipality"] == own].set_index("year")["value"]
    theirs = rows[rows["municipality"].isin(group)]
    years = sorted(set(ours.index) & set(theirs["year"]), reverse=True)
    if year is not None:
        years = [y for y in years if y == year]
    if not years:
        return None
    chosen = int(years[0])
    group_values = [shown(v, kpi.unit) for v in theirs[theirs["year"] == chosen]["value"]]
    riket = rows[(rows["municipality"] == RIKET) & (rows["year"] == chosen)]["value"]
    mine = shown(ours[chosen], kpi.unit)
    return Comparison(kpi, chosen, mine, shown(_median(group_values), kpi.unit), min(group_values),
                      max(group_values), shown(riket.iloc[0], kpi.unit) if len(riket) else None, len(group_values),
                      1 + sum(v < mine for v in group_values))


def published_by(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """The values Kolada can have published while ``year`` runs: those of earlier years (a year's figures come
    out the following spring), and the number of inhabitants up to ``year`` itself (a newer figure from SCB is
    read in as ``POPULATION`` for the estimate). A link to an earlier period thus compares with what was known
    then, also once later years have been fetched."""
    known = (values["year"] < year) | ((values["kpi"] == POPULATION) & (values["year"] == year))
    return values[known].reset_index(drop=True)


def comparisons(values: pd.DataFrame, own: str, group: tuple[str, ...]) -> list[Comparison]:
    """Every KPI of ``KPIS`` that can be compared, in the table's order."""
    return [c for c in (compare(values, own, group, kpi) for kpi in KPIS) if c is not None]


def _value_text(kpi: Kpi, value: float | None) -> str:
    if value is None or is_missing(value):
        return "–"
    if kpi.unit == "procent":
        return format_percent(value / 100)
    return f"{format_number(value)}{NBSP}kr"


def _against(ratio: float, more: str, less: str, same: str) -> str:
    """A ratio − 1 in words, rounded to whole per cent: "6 % högre än", "i nivå med"."""
    return same if round(ratio * 100) == 0 else f"{format_percent(abs(ratio), 0)} {less if ratio < 0 else more}"


def difference_text(comparison: Comparison) -> str:
    """ "18 % lägre", "0,8 procentenheter högre", "i nivå med"."""
    difference = comparison.difference
    if difference is None:
        return ""
    if comparison.kpi.unit == "procent":
        if round(difference, 1) == 0:
            return "i nivå med"
        return f"{format_number(abs(difference), 1)} procentenheter {'lägre' if difference < 0 else 'högre'}"
    return _against(difference, "högre", "lägre", "i nivå med")


def sentence(comparison: Comparison) -> str:
    """ "Kostnaden för ekonomiskt bistånd per invånare var 2024 18 % lägre än i jämförelsegruppen (median
    3 210 kr)." """
    text = difference_text(comparison)
    verb = "låg" if comparison.kpi.unit == "procent" else "var"
    median = _value_text(comparison.kpi, comparison.median)
    if text == "i nivå med":
        return f"{comparison.kpi.subject} {verb} {comparison.year} i nivå med jämförelsegruppen (median {median})."
    return f"{comparison.kpi.subject} {verb} {comparison.year} {text} än i jämförelsegruppen (median {median})."


def headline(found: list[Comparison]) -> str:
    """The page's message: the whole IFO first, then the largest deviation from the group."""
    if not found:
        return ("Inga jämförbara värden från Kolada finns ännu: ange kommunens id och jämförelsegruppen och hämta "
                "värdena, eller läs in en fil från Kolada på sidan Data.")
    first = next((c for c in found if c.kpi.id == WHOLE_IFO), found[0])
    parts = [sentence(first)]
    others = [c for c in found if c is not first and c.kpi.unit == "kr/inv" and c.kpi.id != "N30005"]
    if others:
        largest = max(others, key=lambda c: c.size)
        if largest.size >= 0.05:
            text = sentence(largest)
            parts.append(f"Störst skillnad: {lower_first(text)}")
    worst = worst_said(found)
    if worst:
        parts.append(worst)
    return " ".join(parts)


def worst_said(found: list[Comparison], count: int = 2) -> str:
    """"Sämst i gruppen: invånare med ekonomiskt bistånd 4,0 %." (``worst_in_group``), on the page and the slide alike
    (the slide names one); empty where no share is the group's least favourable."""
    every = worst_in_group(found, None)
    worst = [f"{lower_first(x.kpi.label)} {format_number(x.own, 1)}{NBSP}%" for x in every[:count]]
    # The shares not named are counted: the slide named one where the page named two (third 2026-12-07 walk). One
    # is said in a word, "och en andel till" (2026-12-07 socialdirektör walk: "och 1 andel till"); named, the second
    # share's name took the slide's headline to four lines and its chart below the least a projector reads.
    left = len(every) - len(worst)
    rest = "" if left <= 0 else " och en andel till" if left == 1 else f" och {count_text(left, 'andel', 'andelar')} till"
    return f"Sämst i gruppen: {listing(worst, len(worst))}{rest}." if worst else ""


def largest(found: list[Comparison], count: int | None = None) -> list[Comparison]:
    """The meeting's slide: the whole IFO's cost per inhabitant first, then the ``count`` costs farthest from
    the group's median, the farthest first (2026-12-06 walk: the slide showed three extremes and not the whole,
    which the page's headline leads with). The IFO's net cost is left to the estimate, which it would repeat.
    By default three costs, or two where the slide's sentence names a share that is the group's least favourable
    (``worst_said``): with three and that share the sentence took four lines, and the slide no longer fit 1280×720."""
    if count is None:
        count = 2 if worst_in_group(found, 1) else 3
    costs = [c for c in found if c.kpi.unit == "kr/inv" and c.kpi.id != "N30005" and c.difference is not None]
    whole = [c for c in costs if c.kpi.id == WHOLE_IFO]
    return whole + sorted([c for c in costs if c.kpi.id != WHOLE_IFO], key=lambda c: c.size, reverse=True)[:count]


def _thing(kpi: Kpi) -> str:
    """What a cost is for: "Kostnaden för HVB-hem för barn och unga per invånare" → "HVB-hem för barn och unga"."""
    return kpi.subject.removeprefix("Kostnaden för ").removesuffix(" per invånare")


def worst_in_group(found: list[Comparison], count: int | None = 2) -> list[Comparison]:
    """The ``count`` shares (every one where None) where our value is the group's least favourable, the farthest from
    the median first:
    the slide's chart draws costs alone, and a walk (second 2026-12-07) found the shares where the kommun stood
    last of eight, ekonomiskt bistånd among them, on the page only."""
    last = [x for x in found if x.kpi.unit == "procent" and x.median is not None and x.members >= 2
            and x.favourable is False and x.rank == (x.members + 1 if x.kpi.lower_is_better else 1)]
    return sorted(last, key=lambda x: x.size, reverse=True)[:count]


def slide_sentence(found: list[Comparison]) -> str:
    """The meeting's message: "Kostnad per invånare 2024 mot jämförelsegruppens median: individ- och
    familjeomsorgen som helhet 6 % högre; störst skillnad för HVB-hem för barn och unga 26 % högre, ekonomiskt
    bistånd 24 % högre och familjehemsvård för barn och unga 15 % lägre." """
    chosen = largest(found)
    if not chosen:
        return "Inga jämförbara kostnader från Kolada finns ännu."
    whole = [f"{_thing(c.kpi)} som helhet {difference_text(c)}" for c in chosen if c.kpi.id == WHOLE_IFO]
    parts = [f"{_thing(c.kpi)} {difference_text(c)}" for c in chosen if c.kpi.id != WHOLE_IFO]
    listed = listing(parts, len(parts))
    said = f"{whole[0]}; störst skillnad för {listed}" if whole and parts else (whole[0] if whole else listed)
    # One share, beside two costs (``largest``): the sentence keeps to three lines at 1280×720.
    worst = worst_said(found, 1)
    return f"Kostnad per invånare {chosen[0].year} mot jämförelsegruppens median: {said}." + (f" {worst}" if worst else "")


def _measure(kpi: Kpi, value: float | None) -> Measure:
    value = shown(value, kpi.unit)  # the page, the PDF and the workbook show the same figure
    if value is None:
        return Measure(None, "number")
    return Measure(value / 100, "percent") if kpi.unit == "procent" else Measure(value, "count")


TABLE_GROUPS = (("kr/inv", "Kolada: kostnad per invånare, kr, mot jämförelsegruppen"),
                ("procent", "Kolada: andelar i procent, mot jämförelsegruppen"))


def comparison_tables(found: list[Comparison], own_name: str) -> list[Table]:
    """Every KPI in two tables, costs per inhabitant and percentages: ours, the group's median and how far
    from it, our place, the group's range, riket and Kolada's id."""
    tables = []
    for unit, title in TABLE_GROUPS:
        rows = tuple({"kpi": c.kpi.label, "year": c.year, "own": _measure(c.kpi, c.own),
                      "median": _measure(c.kpi, c.median), "difference": difference_text(c),
                      "rank": f"{c.rank} av {c.members + 1}", "low": _measure(c.kpi, c.low),
                      "high": _measure(c.kpi, c.high), "riket": _measure(c.kpi, c.riket), "id": c.kpi.id}
                     for c in found if c.kpi.unit == unit)
        if not rows:
            continue
        columns = (Column("kpi", "Nyckeltal", width=34), Column("year", "År", "identifier", 6),
                   Column("own", own_name or "Vi", "measure", 12), Column("median", "Gruppens median", "measure", 12),
                   Column("difference", "Mot medianen", width=20), Column("rank", "Plats (1\u00a0=\u00a0lägst)", width=10),
                   Column("low", "Lägst av de andra", "measure", 11), Column("high", "Högst av de andra", "measure", 11),
                   Column("riket", "Riket", "measure", 10), Column("id", "Kolada-id", width=9))
        tables.append(Table(title, columns, rows,
                            sheet="Jämförelse kr" if unit == "kr/inv" else "Jämförelse procent"))
    return tables


def trend(values: pd.DataFrame, own: str, group: tuple[str, ...], kpi: Kpi, years: int = 5) -> pd.DataFrame:
    """Year by year for the last ``years`` years: ours, the group's median, lowest and highest, riket."""
    rows = values[(values["kpi"] == kpi.id) & values["value"].notna()]
    ours = rows[rows["municipality"] == own]
    if ours.empty:
        return pd.DataFrame(columns=["year", "own", "median", "low", "high", "riket"])
    last = int(ours["year"].max())
    out = []
    for year in range(last - years + 1, last + 1):
        group_values = [float(v) for v in rows[(rows["year"] == year) & rows["municipality"].isin(group)]["value"]]
        mine = ours[ours["year"] == year]["value"]
        riket = rows[(rows["year"] == year) & (rows["municipality"] == RIKET)]["value"]
        out.append({"year": year, "own": float(mine.iloc[0]) if len(mine) else math.nan,
                    "median": _median(group_values) if group_values else math.nan,
                    "low": min(group_values) if group_values else math.nan,
                    "high": max(group_values) if group_values else math.nan,
                    "riket": float(riket.iloc[0]) if len(riket) else math.nan})
    return pd.DataFrame(out)


def trend_sentence(values: pd.DataFrame, own: str, group: tuple[str, ...], kpi: Kpi, frame: pd.DataFrame) -> str:
    """The five years (``trend``) in a sentence: the first and the latest year's difference from the group's
    median, and whether the gap has narrowed or widened (by more than a percent, or 0,2 percentage points):
    "Kostnaden för … per invånare mot gruppens median: 12 % högre 2020, 6 % högre 2024; skillnaden har minskat."
    """
    years = [int(y) for y, own_value, median in zip(frame["year"], frame["own"], frame["median"])
             if not is_missing(own_value) and not is_missing(median)]
    if not years:
        return ""
    first, last = (compare(values, own, group, kpi, year) for year in (years[0], years[-1]))
    if first is None or last is None or first.difference is None or last.difference is None:
        return sentence(last) if last is not None else ""
    # "i nivå med den 2024": "i nivå 2024" read as a level of its own (2026-12-06 walk).
    said = lambda found: difference_text(found).replace("i nivå med", "i nivå med den") + f" {found.year}"
    if first.year == last.year:
        return f"{kpi.subject} mot gruppens median: {said(last)}."
    change = ""
    if (first.difference > 0) == (last.difference > 0) and abs(first.size - last.size) > 0.01:
        change = "; skillnaden har minskat" if last.size < first.size else "; skillnaden har ökat"
    return f"{kpi.subject} mot gruppens median: {said(first)}, {said(last)}{change}."


def trend_table(frame: pd.DataFrame, kpi: Kpi, own_name: str) -> Table:
    columns = (Column("year", "År", "identifier", 6), Column("own", own_name or "Vi", "measure", 12),
               Column("median", "Gruppens median", "measure", 12), Column("low", "Lägst av de andra", "measure", 12),
               Column("high", "Högst av de andra", "measure", 12), Column("riket", "Riket", "measure", 12))
    rows = tuple({"year": int(r["year"]), **{k: _measure(kpi, None if is_missing(r[k]) else r[k])
                                              for k in ("own", "median", "low", "high", "riket")}}
                 for r in frame.to_dict("records"))
    return Table(f"{kpi.label}, {kpi.unit}, fem år", columns, rows, sheet="Jämförelse trend")


def group_caption(settings, values: pd.DataFrame) -> str:
    """Who we are compared with, and how to read the colours."""
    names = values[values["name"] != ""].drop_duplicates("municipality").set_index("municipality")["name"]
    members = [names.get(m, m) for m in settings.group]
    listed = ", ".join(members[:12]) + (f" och {len(members) - 12} till" if len(members) > 12 else "")
    return (f"Jämförelsegrupp: {settings.group_name} ({count_text(len(members), 'kommun', 'kommuner')}: {listed}). "
            "Medianen är gruppens mittersta värde och spannet dess lägsta till högsta, utan vår egen kommun; platsen "
            f"räknas bland alla {len(members) + 1}, vår egen med. Riket är Koladas värde för hela landet. Grönt är "
            "bättre för nämndens ekonomi än gruppens median, rött sämre.")


def group_line(settings) -> str:
    """ "Jämförelsegrupp: Liknande kommuner IFO (7 kommuner, 8 med vår egen)." The places are counted among all
    8 ("8 av 8"), the group's median and range among the other 7."""
    count = len(settings.group)
    return (f"Jämförelsegrupp: {settings.group_name} ({count_text(count, 'kommun', 'kommuner')}, "
            f"{count + 1} med vår egen).")


def source_line(kpis: list[Kpi], fetched: pd.Series, sources: pd.Series,
                described: dict[str, dict[str, str]] | None = None, *, ids: bool = True, sample: bool = False) -> str:
    """ "Källa: Kolada (RKA), CC BY 4.0; nyckeltal N30101, N31001; hämtad 1 dec 2026 (Koladas API); senast publicerad
    av Kolada 29 apr 2025." With the sample data (``sample``) the values are made up in Kolada's format, and the
    line says so instead of crediting Kolada: a copied slide would have cited Kolada for invented figures."""
    listed = ", ".join(k.id for k in kpis)
    when = fetched.dropna()
    latest = format_date(when.max().tz_convert("Europe/Stockholm").date()) if len(when) else "–"
    if sample:
        return ("Källa: exempeldata, påhittade värden i Koladas format" + (f" (nyckeltal {listed})" if ids else "")
                + f"; inlästa {latest}.")
    from_api = any(str(x).startswith("Kolada API") for x in sources.dropna())
    # A file's date is the day it was read here, not the day it was taken from Kolada.
    how, verb = ("Koladas API", "hämtad") if from_api else ("fil från Kolada", "inläst")
    line = f"Källa: {SOURCE}; nyckeltal {listed}; {verb} {latest} ({how})" if ids else f"Källa: {SOURCE}; {verb} {latest}"
    published = [(described or {}).get(k.id, {}).get("published", "") for k in kpis]
    published = [p for p in published if p]
    if published:
        line += f"; senast publicerad av Kolada {format_date(max(published))}"
    return line + "."


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


def title_changes(described: dict[str, dict[str, str]]) -> list[str]:
    """KPIs whose title in Kolada is no longer the one ``KPIS`` was written for: Kolada may change what an id
    measures, and a figure would then be compared under the wrong name."""
    expected = {kpi.id: kpi.title for kpi in KPIS} | {POPULATION: "Invånare totalt, antal"}
    changed = []
    for kpi_id, title in expected.items():
        now = (described.get(kpi_id) or {}).get("title", "")
        if now and _fold(now) != _fold(title):
            changed.append(f"{kpi_id}: Kolada kallar nu nyckeltalet ”{now}” (panelen är skriven för ”{title}”); "
                           "kontrollera att det mäter samma sak innan siffran används.")
    return changed


# ----------------------------------------------------------------------------------------------
# This year, before Kolada has it


@dataclass(frozen=True)
class Estimate:
    year: int
    net_cost: float  # kr, this year's forecast of the chosen verksamheter
    population: float
    population_year: int
    per_inhabitant: float
    compared_year: int  # the latest year Kolada has for the group
    group_values: tuple[float, ...]
    median: float
    rank: int  # our place with this year's estimate among last year's group, 1 = lowest
    own_published: float | None  # our own published value that year
    forecast_label: str = ""  # which year-end forecast: "Preliminär statistisk prognos aug 2025"
    outcome: bool = False  # the year is booked through December: the net cost is its utfall, not a forecast


def scoped_net_cost(official, managers: dict[str, float], scope: tuple[str, ...] | None) -> float:
    """The year's forecast net cost of the verksamheter in ``scope`` (None = all), in kronor (positive).

    The verksamheter's own lines of the period's one forecast (``domain.forecast_view.OfficialForecast``:
    the locked version's lines, or the statistical forecast's), added up, so that the figure is the sum
    of the rows Prognos shows for them. Without an official forecast, the verksamheternas own
    forecasts (``managers``, report sign) are added up the same way.
    """
    scoped = official.scoped(scope) if official is not None else None
    if scoped is None:
        chosen = set(managers) if scope is None else set(scope)
        scoped = sum(float(v) for name, v in managers.items() if name in chosen and not is_missing(v))
    return -float(scoped)


def year_estimate(net_cost: float, year: int, values: pd.DataFrame, own: str, group: tuple[str, ...],
                  forecast_label: str = "", outcome: bool = False) -> Estimate | None:
    """Where this year's forecast net cost per inhabitant would place us among the group's latest published
    values of ``ESTIMATE_KPI`` (our own books, not Kolada's figure: an estimate).

    The population is our latest published number of inhabitants (``POPULATION``). None when Kolada's
    values or the population are missing.
    """
    people = values[(values["kpi"] == POPULATION) & (values["municipality"] == own) & values["value"].notna()]
    published = values[(values["kpi"] == ESTIMATE_KPI.id) & values["value"].notna()]
    theirs = published[published["municipality"].isin(group)]
    if people.empty or theirs.empty or not net_cost:
        return None
    latest_people = people.sort_values("year").iloc[-1]
    population = float(latest_people["value"])
    if population <= 0:
        return None
    compared = int(theirs["year"].max())
    group_values = tuple(sorted(float(v) for v in theirs[theirs["year"] == compared]["value"]))
    per_inhabitant = net_cost / population
    mine = published[(published["municipality"] == own) & (published["year"] == compared)]["value"]
    return Estimate(year, net_cost, population, int(latest_people["year"]), per_inhabitant, compared, group_values,
                    float(pd.Series(group_values).median()), 1 + sum(v < per_inhabitant for v in group_values),
                    float(mine.iloc[0]) if len(mine) else None, forecast_label, outcome)


def estimate_sentence(estimate: Estimate | None) -> str:
    """This year's estimate in words. Against the group's latest published year, which is a year earlier,
    the estimate carries a year's cost growth that the group's figures do not (2026-12-06 walk: "9 % högre än
    jämförelsegruppens median 2024", where 2024 had been 5 % and the rest was our own growth in 2025). When
    our own value of that year is published, the sentence says first how the estimate has moved from it and
    where that year stood against the group, like with like, and then the cross-year placing, said to be one."""
    if estimate is None:
        return ("Årets uppskattning kräver kommunens invånarantal och gruppens nettokostnad för individ- och "
                "familjeomsorgen från Kolada.")
    difference = estimate.per_inhabitant / estimate.median - 1 if estimate.median else 0.0
    where = _against(difference, "högre än", "lägre än", "i nivå med")
    # A booked year is its utfall (2026-12-06 walk: "med årets helårsprognos" beside a caption saying utfall).
    basis = ("med helårets utfall är nettokostnaden" if estimate.outcome
             else "med årets helårsprognos blir nettokostnaden")
    figure = f"Uppskattning för {estimate.year}: {basis} {format_number(estimate.per_inhabitant)}{NBSP}kr per invånare"
    place = f"plats {estimate.rank} av {len(estimate.group_values) + 1} räknat från den lägsta"
    before = estimate.own_published
    if estimate.compared_year < estimate.year and before and estimate.median:
        moved = _against(estimate.per_inhabitant / before - 1, "mer än", "mindre än", "lika mycket som")
        stood = _against(before / estimate.median - 1, "högre än", "lägre än", "i nivå med")
        # The year before in a sentence of its own: "…(5 317 kr), då 5 % högre än …" read as a consequence, and
        # its 5 % as contradicting the 9 % after it (2026-12-07 install walk).
        return (f"{figure}, {moved} {estimate.compared_year} ({format_number(before)}{NBSP}kr). "
                f"{estimate.compared_year} låg nettokostnaden {stood} jämförelsegruppens median "
                f"({format_number(estimate.median)}{NBSP}kr). Mot gruppens värden {estimate.compared_year}, som ännu "
                f"inte har {estimate.year} års kostnadsökning, ligger uppskattningen {where} medianen, {place}.")
    return (f"{figure}, {where} jämförelsegruppens median {estimate.compared_year} "
            f"({format_number(estimate.median)}{NBSP}kr); {place}.")


def default_scope(activities: pd.DataFrame) -> tuple[str, ...] | None:
    """The verksamheter compared with Kolada's IFO when none are chosen: those in an area named individ- och
    familjeomsorg (politics and common costs are not IFO in Räkenskapssammandraget); None = all, when no area
    is so named."""
    named = [a for a, area in zip(activities["activity"], activities["area"])
             if "individ" in _fold(area) and "familjeomsorg" in _fold(area)]
    return tuple(named) or None


def estimate_caption(estimate: Estimate | None, scope: tuple[str, ...] | None) -> str:
    chosen = ("alla nämndens verksamheter" if scope is None
              else count_text(len(scope), "vald verksamhet", "valda verksamheter"))
    if estimate is None:
        return f"Uppskattningen avser {chosen}."
    which = f" ({lower_first(estimate.forecast_label)})" if estimate.forecast_label else ""
    booked = lower_first(estimate.forecast_label or "helårets utfall")
    cost, rows = (f"nettokostnaden i {booked}", "driftredovisningen") if estimate.outcome \
        else (f"helårsprognosens{which} nettokostnad", "prognosen")
    return (f"En uppskattning på egna böcker, inte Koladas siffra: {cost} för {chosen} "
            f"({format_mnkr(estimate.net_cost)}, summan av deras rader i {rows}) delat med "
            f"{format_number(estimate.population)} "
            f"invånare ({estimate.population_year}), jämförd med gruppens {ESTIMATE_KPI.title.lower()} "
            f"{estimate.compared_year} (nyckeltal {ESTIMATE_KPI.id}) i löpande priser. Koladas nettokostnad följer "
            "Räkenskapssammandragets avgränsning av individ- och familjeomsorgen; välj de verksamheter som hör "
            "dit under Inställningar.")


@dataclass(frozen=True)
class ChartRow:
    label: str
    low: float  # the group's lowest, as a ratio to its median − 1
    high: float
    own: float
    riket: float | None
    favourable: bool | None
    own_text: str
    median_text: str


def chart_rows(found: list[Comparison]) -> list[ChartRow]:
    """The cost KPIs (kr per invånare) placed against the group's median: 0 = the median, +0.2 = 20 % above."""
    rows = []
    for c in found:
        if c.kpi.unit != "kr/inv" or not c.median:
            continue
        rows.append(ChartRow(c.kpi.label, c.low / c.median - 1, c.high / c.median - 1, c.own / c.median - 1,
                             None if c.riket is None else c.riket / c.median - 1, c.favourable,
                             _value_text(c.kpi, c.own), _value_text(c.kpi, c.median)))
    return rows


@dataclass(frozen=True)
class PageView:
    """What Jämförelse shows for one data version, settings and period, worked out once."""

    found: tuple[Comparison, ...]
    headline: str
    caption: str
    tables: tuple[Table, ...]
    estimate_sentence: str
    estimate_caption: str


def page_view(found: list[Comparison], settings, values: pd.DataFrame, own_name: str, estimate: Estimate | None,
              scope: tuple[str, ...] | None) -> PageView:
    """The page's sentences and tables from the comparisons and the year's estimate."""
    if not found:
        return PageView((), headline(found), "", (), "", "")
    return PageView(tuple(found), headline(found), group_caption(settings, values),
                    tuple(comparison_tables(found, own_name)), estimate_sentence(estimate),
                    estimate_caption(estimate, scope))
