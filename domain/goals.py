"""Goal follow-up: the bedömning of an indicator by a stated rule, its trend, and the nämnd's own
rule that the forecast made per delår 2 lands within 5 % of December's outcome.

The rules, as the page and docs/mal.md state them:

* **Bedömning of an indicator** (``assess``): the best evidence for the year decides. The year's
  outcome once the year is closed; else the year-end prognos; else this month's value against the
  *trajectory* (the level needed this month to reach the annual target, a straight line from last
  year's outcome to the target in December); else "Ej utvärderad". The value is compared with the
  target in the indicator's good direction (higher, lower, or within a band): at or better than the
  target is **Uppfyllt**; worse by at most the tolerance (by default 5 % of the target's size) is
  **Delvis uppfyllt**; worse than that is **Ej uppfyllt**. With no target, or no value, the
  indicator is **Ej utvärderad**, and the reason is said.
* **Trend** (``trend``): this period against the same period last year, in the good direction.
* **The 5 % rule** (``five_percent_rule``): |locked delår 2-version − December outcome| / |December
  outcome|, Uppfyllt at 5 % or less; "Ej utvärderad" until December is booked.
* **Bedömning of an inriktningsmål** (``goal_assessment``): from its indicators and its uppdrag and
  initiativ; see that function.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from domain.formatting import format_mnkr, format_percent, is_missing
from domain.budget import adherence
from domain.sick_leave import period_rate
from domain.tables import Column, Table

MET, PARTLY, NOT_MET, NOT_ASSESSED = "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej utvärderad"
ASSESSMENTS = (MET, PARTLY, NOT_MET, NOT_ASSESSED)
# A shape as well as a colour, so that the bedömning reads on a black-and-white printout.
SYMBOLS = {MET: "✓", PARTLY: "◐", NOT_MET: "✗", NOT_ASSESSED: "–"}
POSITIVE, NEGATIVE, UNCHANGED, NO_TREND = "Positiv", "Negativ", "Oförändrad", "–"
DIRECTIONS = {"higher": "högre är bättre", "lower": "lägre är bättre", "band": "inom intervallet"}
DEFAULT_TOLERANCE = 0.05  # "Delvis uppfyllt": worse than the target by at most this share of its size
FIVE_PERCENT = 0.05
DELAR_2 = 8  # the cut-off month of delår 2
RULE_CAPTION = (
    "Bedömningen följer en fast regel: årets utfall när året är stängt, annars helårsprognosen, annars "
    "månadens utfall mot den nivå som behövs just nu för att nå målet i december (en rak linje från "
    "fjolårets utfall). Bättre än eller lika med målet: ✓ uppfyllt; sämre med högst 5 % av målvärdet: "
    "◐ delvis uppfyllt; sämre än så: ✗ ej uppfyllt; utan målvärde eller utan värde: – ej utvärderad. "
    "Trend: perioden mot samma period i fjol, i indikatorns goda riktning. Beräknade indikatorer fylls av "
    "panelen själv ur bokföringen, de sparade prognosversionerna och personaldata."
)


@dataclass(frozen=True)
class Target:
    """A målvärde: a level (``value``) or, for direction "band", the band ``low``–``high``."""

    value: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def missing(self) -> bool:
        return is_missing(self.value) and (is_missing(self.low) or is_missing(self.high))


@dataclass(frozen=True)
class Assessment:
    value: str        # one of ASSESSMENTS
    basis: str        # what was compared, in Swedish: "prognos 450 mot mål 480"
    compared: float | None = None  # the value that was judged

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.value]


def shortfall(value: float, target: Target, direction: str) -> float:
    """How much worse than the target ``value`` is, in the indicator's unit (≤ 0 = at or better)."""
    if direction == "higher":
        return target.value - value
    if direction == "lower":
        return value - target.value
    if direction == "band":
        return max(target.low - value, value - target.high, 0.0)
    raise ValueError(f"okänd riktning: {direction}")


def _tolerance(target: Target, direction: str, tolerance: float | None) -> float:
    if tolerance is not None:
        return abs(tolerance)
    size = max(abs(target.low), abs(target.high)) if direction == "band" else abs(target.value)
    return DEFAULT_TOLERANCE * size


def compare(value: float, target: Target, direction: str, tolerance: float | None = None) -> str:
    """Uppfyllt, Delvis uppfyllt or Ej uppfyllt: ``value`` against ``target`` in the good direction.

    ``tolerance`` (in the indicator's unit) is how far short still counts as Delvis uppfyllt; by
    default 5 % of the target's size, so a target of zero has no such margin."""
    gap = shortfall(value, target, direction)
    if gap <= 1e-12:
        return MET
    return PARTLY if gap <= _tolerance(target, direction, tolerance) + 1e-12 else NOT_MET


def trajectory(baseline: float, target: float, month: int) -> float:
    """The level needed after ``month`` months to reach ``target`` in December from ``baseline``."""
    return baseline + (target - baseline) * month / 12.0


def assess(direction: str, target: Target, *, outcome: float | None = None, forecast: float | None = None,
           month_value: float | None = None, month: int | None = None, baseline: float | None = None,
           tolerance: float | None = None, formatter=None) -> Assessment:
    """The suggested bedömning by the rule in this module's docstring; ``formatter`` writes a value in
    the indicator's unit for the basis sentence."""
    write = formatter or (lambda v: f"{v:g}")
    if target.missing:
        return Assessment(NOT_ASSESSED, "inget målvärde angivet")
    goal = (f"mål {write(target.low)}–{write(target.high)}" if direction == "band"
            else f"mål {write(target.value)}")
    if not is_missing(outcome):
        return Assessment(compare(outcome, target, direction, tolerance), f"utfall {write(outcome)} mot {goal}",
                          outcome)
    if not is_missing(forecast):
        return Assessment(compare(forecast, target, direction, tolerance), f"prognos {write(forecast)} mot {goal}",
                          forecast)
    if not is_missing(month_value) and month is not None:
        if direction != "band" and not is_missing(baseline) and month < 12:
            needed = Target(trajectory(baseline, target.value, month))
            return Assessment(compare(month_value, needed, direction, _tolerance(target, direction, tolerance)),
                              f"utfall {write(month_value)} mot {write(needed.value)} som behövs efter {month} "
                              f"månader för att nå {goal}", month_value)
        return Assessment(compare(month_value, target, direction, tolerance), f"utfall {write(month_value)} mot {goal}",
                          month_value)
    return Assessment(NOT_ASSESSED, "inget utfall eller prognos för året")


def trend(now: float | None, last_year: float | None, direction: str, target: Target | None = None,
          unchanged_within: float = 0.0) -> str:
    """Positiv, Negativ or Oförändrad: ``now`` against the same period last year, in the good direction
    (for a band: nearer to or further from it); "–" when either is missing."""
    if is_missing(now) or is_missing(last_year):
        return NO_TREND
    if direction == "band":
        if target is None or target.missing:
            return NO_TREND
        change = shortfall(last_year, target, "band") - shortfall(now, target, "band")
    else:
        change = (now - last_year) if direction == "higher" else (last_year - now)
    if abs(change) <= unchanged_within + 1e-12:
        return UNCHANGED
    return POSITIVE if change > 0 else NEGATIVE


# ---------------------------------------------------------------- the nämnd's 5 % rule


@dataclass(frozen=True)
class RuleYear:
    """The 5 % rule for one year."""

    year: int
    version: str | None      # the locked delår 2-version judged, by name
    forecast_kr: float | None
    outcome_kr: float | None
    deviation: float | None  # |forecast − outcome| / |outcome|
    assessment: str
    reason: str


def five_percent_rule(year: int, version: str | None, forecast_kr: float | None, outcome_kr: float | None) -> RuleYear:
    """"Avvikelse mellan prognos per delår 2 och fastställt resultat per december ska inte avvika mer än
    5 %": Uppfyllt at 5 % or less, Ej uppfyllt above; Ej utvärderad, with the reason, until both exist."""
    if version is None or is_missing(forecast_kr):
        return RuleYear(year, None, None, outcome_kr, None, NOT_ASSESSED,
                        f"ingen prognos sparad eller inläst per delår 2 (augusti) {year}")
    if is_missing(outcome_kr):
        return RuleYear(year, version, forecast_kr, None, None, NOT_ASSESSED,
                        f"december {year} är inte bokförd ännu")
    if outcome_kr == 0:
        return RuleYear(year, version, forecast_kr, outcome_kr, None, NOT_ASSESSED, "utfallet är noll")
    deviation = abs(forecast_kr - outcome_kr) / abs(outcome_kr)
    met = deviation <= FIVE_PERCENT + 1e-12
    return RuleYear(year, version, forecast_kr, outcome_kr, deviation, MET if met else NOT_MET,
                    f"{format_percent(deviation)} från utfallet ({'högst' if met else 'mer än'} 5 %)")


def imported_interim_forecasts(forecasts: pd.DataFrame, ledger: pd.DataFrame) -> dict[int, float]:
    """The verksamheternas prognos imported per delår 2, as a total for the nämnd (report sign), for each
    year where it covers every verksamhet with a budget that year: the forecast the delårsrapport printed."""
    found = {}
    if forecasts.empty:
        return found
    interim = forecasts[forecasts["cutoff_month"] == DELAR_2]
    for year, rows in interim.groupby("year"):
        budgeted = set(ledger.loc[(ledger["year"] == year) & ledger["budget_kr"].notna(), "activity"])
        if budgeted and budgeted <= set(rows["activity"]):
            found[int(year)] = -float(rows["amount_kr"].sum())
    return found


def five_percent_history(versions: pd.DataFrame, outcomes: dict[int, float], years: list[int],
                         imported: dict[int, float] | None = None) -> list[RuleYear]:
    """The rule for every year in ``years``: the latest locked version saved per delår 2 of each year
    (the forecast that the delårsrapport printed) against the year's booked outcome. A year without a
    locked version is judged on the verksamheternas prognos imported per delår 2 (``imported``), named
    as such, when there is one for the whole nämnd."""
    imported = imported or {}
    rows = []
    for year in years:
        saved = versions[(versions["year"] == year) & (versions["cutoff_month"] == DELAR_2)] \
            if not versions.empty else versions
        if not saved.empty:
            latest = saved.sort_values("id").iloc[-1]
            name, point = f'Låst version "{latest["name"]}"', float(latest["point_kr"])
        elif year in imported:
            name, point = f"Verksamheternas prognos aug {year} (importerad)", imported[year]
        else:
            name, point = None, None
        rows.append(five_percent_rule(year, name, point, outcomes.get(year)))
    return rows


def five_percent_table(history: list[RuleYear]) -> Table:
    columns = (Column("year", "År", "identifier", 6), Column("version", "Prognos per delår 2", width=36),
               Column("forecast_kr", "Prognos, tkr", "tkr"), Column("outcome_kr", "Utfall december, tkr", "tkr"),
               Column("deviation", "Avvikelse", "percent", 10), Column("assessment", "Bedömning", width=18),
               Column("reason", "Varför", width=40))
    rows = tuple({"year": r.year, "version": r.version or "", "forecast_kr": r.forecast_kr, "outcome_kr": r.outcome_kr,
                  "deviation": r.deviation, "assessment": f"{SYMBOLS[r.assessment]} {r.assessment}",
                  "reason": r.reason} for r in history)
    return Table("Prognos per delår 2 mot utfallet i december", columns, rows, sheet="Regeln om 5 %")


def five_percent_sentence(history: list[RuleYear]) -> str:
    """The rule's message in one sentence: the latest judged year, and how often it has held."""
    judged = [r for r in history if r.assessment != NOT_ASSESSED]
    if not judged:
        pending = history[-1] if history else None
        return ("Regeln om högst 5 % avvikelse mellan prognosen per delår 2 och decemberutfallet kan ännu inte "
                "bedömas" + (f": {pending.reason}." if pending else "."))
    last = judged[-1]
    held = sum(r.assessment == MET for r in judged)
    verb = "träffade" if last.assessment == MET else "missade"
    # Net costs named as such and written as positive amounts, as on every screen.
    return (f"Prognosen per delår 2 {last.year}, en nettokostnad om {format_mnkr(-last.forecast_kr)}, {verb} "
            f"decemberutfallet ({format_mnkr(-last.outcome_kr)}) med {format_percent(last.deviation)} avvikelse. "
            f"Regeln har hållit {held} av {len(judged)} bedömda år.")


# ---------------------------------------------------------------- uppdrag, initiativ and goals

ITEM_KINDS = ("Uppdrag", "Nämndinitiativ")
ITEM_STATUSES = ("Ej påbörjad", "Påbörjad", "Slutförd")
ON_PLAN, OFF_PLAN = "Enligt plan", "Avvikelse från plan"


def items_summary(items: pd.DataFrame) -> pd.DataFrame:
    """The delårsrapport's "Sammanställning av nämndens uppdrag och initiativ": per kind and status, how
    many follow plan and how many deviate, with a total row. ``items`` has columns kind, status, plan."""
    rows = []
    for kind in ITEM_KINDS:
        for status in ITEM_STATUSES:
            chosen = items[(items["kind"] == kind) & (items["status"] == status)]
            if chosen.empty:
                continue
            on_plan = int((chosen["plan"] == ON_PLAN).sum())
            rows.append({"kind": kind, "status": status, "on_plan": on_plan, "off_plan": len(chosen) - on_plan,
                         "total": len(chosen)})
    frame = pd.DataFrame(rows, columns=["kind", "status", "on_plan", "off_plan", "total"])
    total = {"kind": "Summa", "status": "", **{c: int(frame[c].sum()) for c in ("on_plan", "off_plan", "total")}}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def items_summary_table(summary: pd.DataFrame) -> Table:
    columns = (Column("kind", "Uppdrag/nämndinitiativ", width=22), Column("status", "Status", width=12),
               Column("on_plan", "Enligt plan", "count", 12), Column("off_plan", "Avvikelse från plan", "count", 12),
               Column("total", "Totalt", "count", 8))
    rows = tuple(summary.to_dict("records"))
    return Table("Sammanställning av nämndens uppdrag och initiativ", columns, rows,
                 ("",) * (len(rows) - 1) + ("total",), sheet="Uppdrag och initiativ")


def goal_assessment(indicators: list[str], items: list[tuple[str, str]]) -> Assessment:
    """An inriktningsmål's bedömning from its indicators' bedömningar and its uppdrag and initiativ
    ((status, plan) pairs). An item that is finished or follows plan counts as Uppfyllt, one that
    deviates from plan as Delvis uppfyllt. With nothing assessed the goal is Ej utvärderad; when
    everything is Uppfyllt it is Uppfyllt; when more than half is Ej uppfyllt it is Ej uppfyllt;
    otherwise Delvis uppfyllt."""
    marks = [value for value in indicators if value != NOT_ASSESSED]
    marks += [MET if status == "Slutförd" or plan == ON_PLAN else PARTLY for status, plan in items]
    if not marks:
        return Assessment(NOT_ASSESSED, "ingen indikator, inget uppdrag och inget initiativ är bedömt")
    counts = {value: marks.count(value) for value in (MET, PARTLY, NOT_MET)}
    basis = f"{counts[MET]} uppfyllda, {counts[PARTLY]} delvis och {counts[NOT_MET]} ej uppfyllda av {len(marks)}"
    if counts[MET] == len(marks):
        return Assessment(MET, basis)
    if counts[NOT_MET] * 2 > len(marks):
        return Assessment(NOT_MET, basis)
    return Assessment(PARTLY, basis)


# ---------------------------------------------------------------- indicators the product computes itself


@dataclass(frozen=True)
class Indicator:
    """An indicator with its values: whole years that are closed, this year to the cut-off, and the
    year-end prognos; ``computed`` when the product fills it from its own data (never from a file)."""

    name: str
    origin: str          # "KF" or "Nämnd"
    unit: str            # "percent" (a ratio) or "count"
    direction: str       # "higher", "lower" or "band"
    formula: str
    yearly: dict[int, float]
    month_value: float | None
    last_year_same_period: float | None
    forecast: float | None
    target: Target
    assessment: Assessment
    trend: str
    computed: bool = True


def _indicator(name: str, origin: str, unit: str, direction: str, formula: str, yearly: dict[int, float],
               month_value, last_year, forecast, target: Target, year: int, month: int) -> Indicator:
    write = (lambda v: format_percent(v)) if unit == "percent" else (lambda v: f"{v:g}")
    assessment = assess(direction, target, outcome=yearly.get(year), forecast=forecast, month_value=month_value,
                        month=month, baseline=yearly.get(year - 1), formatter=write)
    return Indicator(name, origin, unit, direction, formula, yearly, month_value, last_year, forecast, target,
                     assessment, trend(month_value, last_year, direction))


def _closed_years(frame: pd.DataFrame, value: str) -> list[int]:
    booked = frame.dropna(subset=[value])
    months = booked.groupby("year")["month"].nunique()
    return [int(y) for y in months.index if months[y] == 12]


def _adherence(part: pd.DataFrame) -> float | None:
    """``domain.budget.adherence`` of the rows' net cost (ledger sign: budget − utfall is the avvikelse)."""
    if part["actual_kr"].isna().all():
        return None
    budget = float(part["budget_kr"].sum())
    value = adherence(budget - float(part["actual_kr"].sum()), budget)
    return None if is_missing(value) else value


def adherence_by_period(ledger: pd.DataFrame, year: int, month: int) -> tuple[dict[int, float], float | None,
                                                                                float | None]:
    """Budgetföljsamhet, (budget − utfall) / |budget| of the net cost (ledger sign): every closed year,
    this year to ``month`` and the same months last year."""
    yearly = {y: _adherence(ledger[ledger["year"] == y]) for y in _closed_years(ledger, "actual_kr")}
    within = [_adherence(ledger[(ledger["year"] == y) & (ledger["month"] <= month)]) for y in (year, year - 1)]
    return {y: v for y, v in yearly.items() if v is not None}, within[0], within[1]


def _sick_rate(part: pd.DataFrame) -> float | None:
    rate = period_rate(part)["rate"]  # the Sjukfrånvaro page's own rate, weighted by hours
    return None if is_missing(rate) else rate


def sick_leave_by_period(rows: pd.DataFrame, year: int, month: int) -> tuple[dict[int, float], float | None,
                                                                             float | None]:
    """Sick leave weighted by hours (Σ sick hours / Σ scheduled hours, never an average of rates): every
    closed year, this year to ``month`` and the same months last year."""
    if rows.empty:
        return {}, None, None
    yearly = {y: _sick_rate(rows[rows["year"] == y]) for y in _closed_years(rows, "scheduled_hours")}
    within = [_sick_rate(rows[(rows["year"] == y) & (rows["month"] <= month)]) for y in (year, year - 1)]
    return {y: v for y, v in yearly.items() if v is not None}, within[0], within[1]


def turnover_by_period(rows: pd.DataFrame, year: int, month: int) -> tuple[dict[int, float], float | None,
                                                                           float | None]:
    """External staff turnover over twelve months (leavers / average headcount): at each closed year's
    December, at ``month`` this year and at the same month last year."""
    if rows.empty:
        return {}, None, None
    from domain.sick_leave import turnover

    series = turnover(rows).set_index(["year", "month"])["turnover_external"].dropna()
    at = lambda y, m: float(series[(y, m)]) if (y, m) in series.index else None  # noqa: E731
    yearly = {int(y): float(series[(y, 12)]) for y, m in series.index if m == 12}
    return yearly, at(year, month), at(year - 1, month)


ADHERENCE_TARGET = 0.0  # a budget in balance: utfall not above budget


def computed_indicators(ledger: pd.DataFrame, forecast_adherence: float | None, history: list[RuleYear],
                        sick_rows: pd.DataFrame, turnover_rows: pd.DataFrame, year: int, month: int,
                        forecast_label: str = "helårsprognosen") -> list[Indicator]:
    """The indicators the product fills itself, for ``year`` at cut-off ``month``: budgetföljsamhet
    (target a budget in balance; its prognos is ``forecast_label``, the period's one forecast), the 5 %
    rule, sick leave and external staff turnover (no target of their own until one is set)."""
    found = []
    yearly, now, before = adherence_by_period(ledger, year, month)
    found.append(_indicator(
        "Budgetföljsamhet (avvikelse i % av budget)", "KF", "percent", "higher",
        f"(budget − utfall) / |budget| för nämndens nettokostnad; prognos: {forecast_label} mot budget",
        yearly, now, before, forecast_adherence, Target(ADHERENCE_TARGET), year, month))
    rule = {r.year: r.deviation for r in history if r.deviation is not None}
    this_year = next((r for r in history if r.year == year), five_percent_rule(year, None, None, None))
    found.append(replace(_indicator(
        "Avvikelse mellan prognos per delår 2 och resultat i december", "Nämnd", "percent", "lower",
        "|låst version per delår 2 − utfall december| / |utfall december|",
        rule, None, None, None, Target(FIVE_PERCENT), year, month),
        assessment=Assessment(this_year.assessment, this_year.reason, this_year.deviation)))
    yearly, now, before = sick_leave_by_period(sick_rows, year, month)
    found.append(_indicator(
        "Sjukfrånvaro, % av ordinarie arbetstid", "Nämnd", "percent", "lower",
        "sjuktimmar / ordinarie timmar (viktat med timmar) för perioden",
        yearly, now, before, None, Target(), year, month))
    yearly, now, before = turnover_by_period(turnover_rows, year, month)
    found.append(_indicator(
        "Extern personalomsättning, 12 månader", "Nämnd", "percent", "lower",
        "avgångar till annan arbetsgivare under tolv månader / genomsnittligt antal anställda",
        yearly, now, before, None, Target(), year, month))
    return found


def indicators_table(indicators: list[Indicator], year: int, month: int) -> Table:
    """The indicators as the delårsrapport prints them: three years' utfall, this year to the cut-off,
    mål, prognos, bedömning (with its symbol), trend, and how a computed value is computed."""
    from domain.periods import MONTH_ABBREVIATIONS
    from domain.tables import Measure

    years = [year - 3, year - 2, year - 1]
    columns = (Column("name", "Indikator", width=40), Column("origin", "KF/nämnd", width=8),
               *(Column(f"y{y}", f"Utfall {y}", "measure", 10) for y in years),
               Column("now", f"Utfall {MONTH_ABBREVIATIONS[month - 1]} {year}", "measure", 10),
               Column("target", f"Mål {year}", "measure", 10), Column("forecast", f"Prognos {year}", "measure", 10),
               Column("assessment", "Bedömning", width=18), Column("trend", "Trend", width=10))
    rows = []
    for item in indicators:
        measure = lambda value: Measure(value, item.unit)  # noqa: E731
        target = item.target.value if item.direction != "band" else None
        rows.append({"name": item.name, "origin": item.origin,
                     **{f"y{y}": measure(item.yearly.get(y)) for y in years},
                     "now": measure(item.month_value), "target": measure(target), "forecast": measure(item.forecast),
                     "assessment": f"{item.assessment.symbol} {item.assessment.value}", "trend": item.trend})
    return Table(f"Nämndens indikatorer {year}", columns, tuple(rows), sheet="Indikatorer")


def formulas_table(indicators: list[Indicator]) -> Table:
    """What each bedömning rests on, and how each indicator's value is had: computed by the product
    (with the formula) or imported."""
    columns = (Column("name", "Indikator", width=40), Column("basis", "Grund för bedömningen", width=40),
               Column("source", "Källa", width=12), Column("formula", "Beräkning", width=70))
    rows = tuple({"name": item.name, "basis": item.assessment.basis,
                  "source": "beräknad" if item.computed else "inläst", "formula": item.formula}
                 for item in indicators)
    return Table("Så bedöms och räknas indikatorerna", columns, rows, sheet="Indikatorernas grund")
