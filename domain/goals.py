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
  Where the indicator has no prognos but at least a year of months, its year-end is forecast from
  them (``forecasting.indicators``) and judged with its P10–P90 (``_by_interval``).
* **Trend** (``trend``): this period against the same period last year, in the good direction; without a
  value for the period, the last two whole years against each other.
* **The 5 % rule** (``five_percent_rule``): |locked delår 2-version − December outcome| / |December
  outcome|, Uppfyllt at 5 % or less; "Ej utvärderad" until December is booked.
* **Bedömning of an inriktningsmål** (``goal_assessment``): from its indicators and its uppdrag and
  initiativ; see that function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from domain.formatting import (format_date, format_number_short, format_percent, is_missing, listing,
                               lower_first, upper_first)
from domain.budget import adherence, outcome_against_forecast
from domain.integrity import short as short_digest
from domain.periods import DELAR_2, MONTH_ABBREVIATIONS, MONTH_NAMES, booked_through, long_month_label, month_label
from domain.sick_leave import monthly as sick_monthly, period_rate, turnover
from domain.tables import Column, Table

MET, PARTLY, NOT_MET, NOT_ASSESSED = "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej utvärderad"
ASSESSMENTS = (MET, PARTLY, NOT_MET, NOT_ASSESSED)
# A shape as well as a colour, so that the bedömning reads on a black-and-white printout.
SYMBOLS = {MET: "✓", PARTLY: "◐", NOT_MET: "✗", NOT_ASSESSED: "–"}
POSITIVE, NEGATIVE, UNCHANGED, NO_TREND = "Positiv", "Negativ", "Oförändrad", "–"
DIRECTIONS = {"higher": "högre är bättre", "lower": "lägre är bättre", "band": "inom intervallet"}
DEFAULT_TOLERANCE = 0.05  # "Delvis uppfyllt": worse than the target by at most this share of its size
FIVE_PERCENT = 0.05
# The rule as the page states it, one point a line (``assess``, ``_by_interval`` and ``goal_assessment``).
RULE_POINTS = (
    "Det som bedöms är, i tur och ordning: årets utfall när året är stängt; den inlästa prognosen; en "
    "statistisk prognos ur indikatorns månader (minst tolv) med intervallet P10–P90; annars månadens utfall mot "
    "den nivå som behövs just nu för att nå målet i december (en rak linje från fjolårets utfall).",
    "Mot målet: ✓ uppfyllt när värdet når målet; ◐ delvis uppfyllt när det missar med högst 5 % av målvärdet; "
    "✗ ej uppfyllt när det missar med mer; – ej utvärderad utan målvärde eller utan värde.",
    "Med en statistisk prognos: ✓ när prognosen når målet och även intervallets sämre ände missar med högst "
    "5 %; ✗ när prognosen missar med mer än 5 % och inte ens intervallets bättre ände når målet; annars ◐.",
    "Trend: perioden mot samma period i fjol, i indikatorns goda riktning; utan ett värde för perioden (som regeln "
    "om 5 %, som bedöms en gång om året) de två senaste hela åren mot varandra.",
    "Beräknade indikatorer fylls av panelen själv ur bokföringen, de sparade prognosversionerna och personaldata.",
    "Ett inriktningsmål bedöms av sina indikatorer, uppdrag och initiativ: ✓ när allt är uppfyllt (ett slutfört "
    "uppdrag eller ett som följer plan räknas som uppfyllt, ett som avviker från plan som delvis); ✗ när mer än "
    "hälften är ej uppfyllt; annars ◐.",
    "En controller kan ändra en bedömning med en daterad kommentar; regelns bedömning visas då bredvid.",
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
           tolerance: float | None = None, formatter=None,
           statistical: tuple[float, float, float] | None = None) -> Assessment:
    """The suggested bedömning by the rule in this module's docstring; ``formatter`` writes a value in
    the indicator's unit for the basis sentence. ``statistical`` is the year-end forecast from the
    indicator's months (point, P10, P90; ``forecasting.indicators``), used after a manual prognos."""
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
    if statistical is not None:
        return _by_interval(statistical, target, direction, tolerance, write, goal)
    if not is_missing(month_value) and month is not None:
        if direction != "band" and not is_missing(baseline) and month < 12:
            needed = Target(trajectory(baseline, target.value, month))
            return Assessment(compare(month_value, needed, direction, _tolerance(target, direction, tolerance)),
                              f"utfall {write(month_value)} mot {write(needed.value)} som behövs efter {month} "
                              f"månader för att nå {goal}", month_value)
        return Assessment(compare(month_value, target, direction, tolerance), f"utfall {write(month_value)} mot {goal}",
                          month_value)
    return Assessment(NOT_ASSESSED, "inget utfall eller prognos för året")


def _by_interval(forecast: tuple[float, float, float], target: Target, direction: str, tolerance: float | None,
                 write, goal: str) -> Assessment:
    """The forecast-based bedömning: Uppfyllt when the forecast meets the target and even the worse end of
    its P10–P90 falls short by at most the tolerance; Ej uppfyllt when the forecast falls short by more
    than the tolerance and even the better end does not reach the target; otherwise Delvis uppfyllt."""
    point, p10, p90 = forecast
    margin = _tolerance(target, direction, tolerance)
    if direction == "band":
        worse = max(shortfall(p10, target, direction), shortfall(p90, target, direction))
        better = 0.0 if p10 <= target.high and p90 >= target.low else min(
            shortfall(p10, target, direction), shortfall(p90, target, direction))
    else:
        low_end, high_end = (p10, p90) if direction == "higher" else (p90, p10)
        worse, better = shortfall(low_end, target, direction), shortfall(high_end, target, direction)
    gap = shortfall(point, target, direction)
    if gap <= 1e-12 and worse <= margin + 1e-12:
        value = MET
    elif gap > margin + 1e-12 and better > 1e-12:
        value = NOT_MET
    else:
        value = PARTLY
    return Assessment(value, f"statistisk prognos {write(point)} (P10–P90 {write(p10)}–{write(p90)}) mot {goal}",
                      point)


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
    # December not booked and no version locked per delår 2: the verksamheternas prognos will be judged
    unlocked: bool = False
    name: str | None = None  # the locked version judged by its name alone ('Låst version "Delår 2"'), for a sentence
    # The judged version's SHA-256, whose start the table prints: an archived paper names the very version that was
    # judged, which ``granska --kontrollsumma`` finds (the papers gave checksums of the period's versions alone).
    digest: str | None = None
    ahead: bool = False  # the period is before the year's delår 2: no forecast per delår 2 is known yet

    @property
    def outcome_vs_forecast(self) -> float | None:
        """The outcome against the forecast, (utfall − prognos) / |utfall| on the signed net result: plus is a
        result better than forecast, as every avvikelse in the product; None where the rule is not judged."""
        return None if self.deviation is None else outcome_against_forecast(self.forecast_kr, self.outcome_kr)


def judged_rule(history: list[RuleYear], year: int, month: int) -> RuleYear | None:
    """The 5 % rule's row of the period's year once its delår 2 has passed; before it (2026-12-07 walk: June 2024's
    slide named a delår 2 version of August 2024) no version of the year is judged yet."""
    if month < DELAR_2:
        return None
    return next((r for r in history if r.year == year), None)


def judges_managers(history: list[RuleYear], year: int, month: int, official) -> bool:
    """Whether the 5 % rule judges the verksamheternas prognos of the period: at delår 2, with no version locked and
    the verksamheternas prognos per delår 2 imported for the year (the year's row of ``five_percent_history``).
    Later in the year the verksamheternas prognos may be a later month's. The same test for Prognos and the
    meeting's first slide."""
    rule = judged_rule(history, year, month)
    return month == DELAR_2 and rule is not None and rule.unlocked and \
        (official is None or not official.locked)


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
                    "inom 5\u00a0% av utfallet" if met else "mer än 5\u00a0% från utfallet")


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
                         imported: dict[int, float] | None = None,
                         period: tuple[int, int] | None = None) -> list[RuleYear]:
    """The rule for every year in ``years``: the latest locked version saved per delår 2 within its own year
    (the forecast that the delårsrapport printed) against the year's booked outcome. A version saved after its
    year ended never takes the place of one saved before, and of versions all saved afterwards (a closed year
    entered afterwards, as the sample's) the first counts: the verdict cannot be rewritten once the outcome is
    known (2026-12-06 walk: a statistical forecast locked for 2023 in December 2026 turned −1,9 % into −0,2 %).
    A year without a locked version is judged on the verksamheternas prognos imported per delår 2
    (``imported``), named as such, when there is one for the whole nämnd. A version is named with whose
    forecast it holds. ``period`` (year, month): a period before its year's delår 2 knows no forecast per delår 2
    of that year, locked or imported, so that its link reads the same after August's version is locked."""
    from domain.forecast_view import judged_by_rule, locked_version_name, version_basis

    imported = imported or {}
    judged_ids = judged_by_rule(versions)
    rows = []
    for year in years:
        short = digest = None
        if period is not None and year == period[0] and period[1] < DELAR_2:
            rows.append(RuleYear(year, None, None, None, None, NOT_ASSESSED,
                                 f"delår 2 ({long_month_label(year, DELAR_2)}) kommer efter den valda perioden",
                                 ahead=True))
            continue
        if year in judged_ids:
            judged = versions[versions["id"] == judged_ids[year]].iloc[0]
            digest = judged.get("content_sha256")
            digest = digest if isinstance(digest, str) else None
            basis = version_basis(judged["managers_lines"], judged["lines"]).lower()
            short = locked_version_name(judged["name"])
            name, point = f"{short}, {basis}", float(judged["point_kr"])
        elif year in imported and not is_missing(outcomes.get(year)):
            name, point = f"Verksamheternas prognos aug {year} (importerad)", imported[year]
        elif year in imported:
            # Not judged before December is booked, and no figure said: the period's own forecast, on every
            # page and in the papers, is another (2026-12-05 walkthrough: the papers' 5 % table gave −365 766
            # beside a first page of −368 226, before anything was locked).
            rows.append(RuleYear(year, None, None, None, None, NOT_ASSESSED,
                                 f"december {year} är inte bokförd ännu; regeln bedöms på den version som låses per "
                                 f"delår 2, annars på verksamheternas prognos per delår 2", unlocked=True))
            continue
        else:
            name, point = None, None
        rule = five_percent_rule(year, name, point, outcomes.get(year))
        rows.append(replace(rule, name=short, digest=digest) if short and rule.version else rule)
    return rows


def five_percent_table(history: list[RuleYear]) -> Table:
    # The figures and the bedömning first, the version's name and the reason after them: at 1280 px the column
    # the rule is about lay beyond the window's edge behind a name of 36 characters.
    columns = (Column("year", "År", "identifier", 6), Column("forecast_kr", "Prognos, tkr", "tkr"),
               Column("outcome_kr", "Utfall december, tkr", "tkr"),
               Column("outcome_vs_forecast", "Utfall mot prognos", "change", 10),
               Column("assessment", "Bedömning", width=18), Column("version", "Prognos per delår 2", width=36),
               Column("checksum", "Kontrollsumma", width=14), Column("reason", "Varför", width=40))
    rows = tuple({"year": r.year, "version": r.version or "", "forecast_kr": r.forecast_kr, "outcome_kr": r.outcome_kr,
                  "outcome_vs_forecast": r.outcome_vs_forecast, "checksum": short_digest(r.digest) or "–",
                  "assessment": f"{SYMBOLS[r.assessment]} {r.assessment}",
                  "reason": r.reason} for r in history)
    return Table("Prognos per delår 2 mot utfallet i december", columns, rows, sheet="Regeln om 5 %")


# The rule itself, in plain words, before its record on the meeting's slide (2026-12-07 walk: a member read "2024
# års prognos vid delår 2 … träffade decemberutfallet" and nowhere what the rule asks).
RULE_SAID = "Nämndens regel: prognosen vid delår 2 i augusti ska hamna inom 5\u00a0% av decemberutfallet."


def five_percent_sentence(history: list[RuleYear], *, stated: bool = False) -> str:
    """The rule's message in one sentence: the latest judged year, and how often it has held; ``stated``: the rule
    said first (``RULE_SAID``), where no page around the sentence says it."""
    judged = [r for r in history if r.assessment != NOT_ASSESSED]
    if not judged:
        pending = history[-1] if history else None
        return ("Regeln om högst 5\u00a0% avvikelse mellan prognosen per delår 2 och decemberutfallet kan ännu inte "
                "bedömas" + (f": {pending.reason}." if pending else "."))
    last = judged[-1]
    held = sum(r.assessment == MET for r in judged)
    verb = "träffade" if last.assessment == MET else "missade"
    which = f" ({lower_first(last.version)})" if last.version else ""  # 'Låst version "…"'
    # The amounts are in the table beside it (page and papers): the sentence says which way and how far, as the
    # signed column does, in few enough words to leave the slide's chart its height at 1280×720.
    return ((f"{RULE_SAID} " if stated else "")
            + f"{last.year} års prognos vid delår 2{which} {verb} decemberutfallet{_which_way(last)}. "
            f"Regeln har hållit {held} av {len(judged)} bedömda år." + _coming(history[-1], last.year))


def _which_way(row: RuleYear) -> str:
    """How far, and which way, the outcome fell from the forecast (2026-12-05: "med 0,3 % avvikelse" beside a
    table of "+0,3 %" left the reader to work out whether that was good news)."""
    signed = row.outcome_vs_forecast
    if signed is None or format_percent(abs(signed)) == format_percent(0.0):
        return f" med {format_percent(row.deviation)} avvikelse"
    return f": utfallet blev {format_percent(abs(signed))} {'bättre' if signed > 0 else 'sämre'} än prognosen"


def _coming(row: RuleYear, judged_year: int) -> str:
    """The year the rule will judge next, once its December is booked, and on which forecast: a walk of the
    meeting link (2026-12-05) found the nämnd shown the preliminary statistical forecast while nothing said
    that, with no version locked per delår 2, the rule would judge the verksamheternas prognos."""
    if row.year <= judged_year or row.outcome_kr is not None:
        return ""
    if row.ahead:
        return (f" {row.year} bedöms på den version som låses per delår 2 i {MONTH_NAMES[DELAR_2 - 1]}, annars på "
                "verksamheternas prognos per delår 2.")
    if row.version is not None:
        return f" {row.year} bedöms på {lower_first(row.version)}."
    if row.unlocked:
        return (f" För {row.year} är ingen version låst per delår 2; utan en låst version bedöms verksamheternas "
                "prognos per delår 2.")
    return ""


# ---------------------------------------------------------------- uppdrag, initiativ and goals

ITEM_KINDS = ("Uppdrag", "Nämndinitiativ")
NO_GOAL = "Utan inriktningsmål"  # the goal column of an uppdrag or initiativ that no goal holds
ORPHANS_TITLE = "Uppdrag och initiativ utan inriktningsmål"  # the table of those uppdrag and initiativ
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


def _item_state(status: str, plan: str) -> str:
    """An uppdrag's or initiativ's standing: "finished", "on plan" (under way as planned) or "off plan"."""
    return "finished" if status == "Slutförd" else "on plan" if plan == ON_PLAN else "off plan"


def goal_assessment(indicators: list[str], items: list[tuple[str, str]]) -> Assessment:
    """An inriktningsmål's bedömning from its indicators' bedömningar and its uppdrag and initiativ
    ((status, plan) pairs). An item that is finished or follows plan counts as Uppfyllt, one that
    deviates from plan as Delvis uppfyllt. With nothing assessed the goal is Ej utvärderad; when
    everything is Uppfyllt it is Uppfyllt; when more than half is Ej uppfyllt it is Ej uppfyllt;
    otherwise Delvis uppfyllt."""
    marks = [value for value in indicators if value != NOT_ASSESSED]
    states = [_item_state(status, plan) for status, plan in items]
    marks += [PARTLY if state == "off plan" else MET for state in states]
    if not marks:
        return Assessment(NOT_ASSESSED, "ingen indikator, inget uppdrag och inget initiativ är bedömt")
    counts = {value: marks.count(value) for value in (MET, PARTLY, NOT_MET)}
    # An item under way on plan counts as met, and is said to be under way: a walk (2026-12-05) read a goal
    # "Uppfyllt" with "2 av 2 … uppfyllda" whose two uppdrag had only begun.
    going = states.count("on plan")
    # Without brackets of its own: the basis is written in brackets after a bedömning changed by hand.
    under_way = f", varav {going} pågår enligt plan;" if going else ","
    # What counts as "delvis" said where an uppdrag or initiativ off plan is one (second 2026-12-07 walk: "1 delvis"
    # under a goal whose one indicator was met, the initiativ off plan unnamed).
    off = states.count("off plan")
    partly = f"{counts[PARTLY]} delvis" + (f" (varav {off} uppdrag eller initiativ som avviker från plan)" if off else "")
    basis = (f"{counts[MET]} av {len(marks)} bedömda indikatorer, uppdrag och initiativ uppfyllda{under_way} "
             f"{partly} och {counts[NOT_MET]} ej")
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
    key: str = ""               # a computed indicator's key (COMPUTED); "" for an imported one
    area: str = ""              # målområde
    goal: str = ""              # inriktningsmål
    responsible: str = ""
    suggested: Assessment | None = None  # the rule's bedömning, when a controller has overridden it
    comment: str = ""           # the latest comment, and its date
    comment_date: str = ""
    series: tuple[float, ...] = ()  # the monthly values of last year and this year, for a sparkline
    stored_name: str = ""       # the name in the goal structure, when ``name`` adds the unit
    through: int | None = None  # the month ``month_value`` is from (the cut-off, or the last month read before it)


def _indicator(name: str, origin: str, unit: str, direction: str, formula: str, yearly: dict[int, float],
               month_value, last_year, forecast, target: Target, year: int, month: int, *, key: str = "",
               computed: bool = True, tolerance: float | None = None,
               statistical: tuple[float, float, float] | None = None, through: int | None = None) -> Indicator:
    """An indicator and its bedömning; ``through`` is the month ``month_value`` is from when a source ends
    before the cut-off ``month`` (sick leave read to August in September): the pace to the target is
    judged after that many months, and the tables name the month."""
    write = (lambda v: format_percent(v)) if unit == "percent" else (lambda v: format_number_short(v))
    through = None if is_missing(month_value) else (through or month)
    assessment = assess(direction, target, outcome=yearly.get(year), forecast=forecast, month_value=month_value,
                        month=through or month, baseline=yearly.get(year - 1), tolerance=tolerance, formatter=write,
                        statistical=statistical)
    if is_missing(forecast) and statistical is not None:
        forecast = statistical[0]  # the Prognos column shows the statistical forecast the bedömning rests on
    if is_missing(month_value) or is_missing(last_year):  # no month to compare: the last two whole years
        change = trend(yearly.get(year - 1), yearly.get(year - 2), direction, target)
    else:
        change = trend(month_value, last_year, direction, target)
    return Indicator(name, origin, unit, direction, formula, yearly, month_value, last_year, forecast, target,
                     assessment, change, computed, key, through=through)


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
                                                                             float | None, int | None]:
    """Sick leave weighted by hours (Σ sick hours / Σ scheduled hours, never an average of rates): every
    closed year, this year to the last month read up to ``month``, the same months last year, and that
    month (None when this year has none)."""
    if rows.empty:
        return {}, None, None, None
    yearly = {y: _sick_rate(rows[rows["year"] == y]) for y in _closed_years(rows, "scheduled_hours")}
    # The months the Sjukfrånvaro page shows (``sick_leave.view``): to the last one read.
    through = booked_through(rows[(rows["year"] == year) & (rows["month"] <= month)], month, None)
    within = [_sick_rate(rows[(rows["year"] == y) & (rows["month"] <= (through or month))]) for y in (year, year - 1)]
    return {y: v for y, v in yearly.items() if v is not None}, within[0], within[1], through


def external_turnover(rows: pd.DataFrame) -> pd.Series:
    """External staff turnover over twelve months (leavers / average headcount), per (year, month)."""
    if rows.empty:
        return pd.Series(dtype=float)
    return turnover(rows).set_index(["year", "month"])["turnover_external"].dropna()


def turnover_by_period(series: pd.Series, year: int, month: int) -> tuple[dict[int, float], float | None,
                                                                          float | None, int | None]:
    """``external_turnover`` at each closed year's December, at the last month read up to ``month`` this year,
    at the same month last year, and that month (None when this year has none)."""
    at = lambda y, m: float(series[(y, m)]) if (y, m) in series.index else None  # noqa: E731
    yearly = {int(y): float(series[(y, m)]) for y, m in series.index if m == 12}
    months = [int(m) for y, m in series.index if y == year and m <= month]
    through = max(months) if months else None
    return yearly, at(year, through) if through else None, at(year - 1, through or month), through


ADHERENCE_TARGET = 0.0  # a budget in balance: utfall not above budget


def along_months(series: pd.Series, year: int, month: int) -> tuple[float, ...]:
    """A computed indicator's sparkline: ``series`` (per (year, month)) over all of last year and this year
    to ``month``; months it lacks are left out."""
    keys = [(year - 1, m) for m in range(1, 13)] + [(year, m) for m in range(1, month + 1)]
    return tuple(float(series[key]) for key in keys if key in series.index and math.isfinite(series[key]))


def adherence_by_month(ledger: pd.DataFrame) -> pd.Series:
    """Budgetföljsamhet from January to each booked month, per (year, month): ``_adherence`` of the year's
    rows to that month."""
    if ledger.empty:
        return pd.Series(dtype=float)
    sums = ledger.groupby(["year", "month"])[["budget_kr", "actual_kr"]].sum()
    booked = ledger.groupby(["year", "month"])["actual_kr"].count() > 0
    to_date = sums.groupby(level="year").cumsum()[booked]
    return pd.Series([adherence(b - a, b) for b, a in zip(to_date["budget_kr"], to_date["actual_kr"])],
                     index=to_date.index, dtype=float)


def computed_indicators(ledger: pd.DataFrame, forecast_adherence: float | None, history: list[RuleYear],
                        sick_rows: pd.DataFrame, turnover_rows: pd.DataFrame, year: int, month: int,
                        forecast_label: str = "helårsprognosen") -> list[Indicator]:
    """The indicators the product fills itself, for ``year`` at cut-off ``month``: budgetföljsamhet
    (target a budget in balance; its prognos is ``forecast_label``, the period's one forecast), the 5 %
    rule, sick leave and external staff turnover (no target of their own until one is set)."""
    # What was booked by the end of the period: a link to August 2024 judged budgetföljsamhet by the whole of
    # 2024 once December was booked (2026-12-06 walk).
    ledger, sick_rows, turnover_rows = (_through(frame, year, month) for frame in (ledger, sick_rows, turnover_rows))
    found = []
    yearly, now, before = adherence_by_period(ledger, year, month)
    found.append(_indicator(
        "Budgetföljsamhet (avvikelse i % av budget)", "KF", "percent", "higher",
        f"(budget − utfall) / budget, med nämndens nettokostnad som ett positivt belopp (positivt = lägre "
        f"kostnad än budget); prognos: {forecast_label} mot budget",
        yearly, now, before, forecast_adherence, Target(ADHERENCE_TARGET), year, month, key="budgetfoljsamhet"))
    found[-1] = replace(found[-1], series=along_months(adherence_by_month(ledger), year, month))
    rule = {r.year: r.deviation for r in history if r.deviation is not None}
    this_year = next((r for r in history if r.year == year), five_percent_rule(year, None, None, None))
    found.append(replace(_indicator(
        "Avvikelse mellan prognos per delår 2 och resultat i december", "Nämnd", "percent", "lower",
        "|låst version per delår 2 − utfall december| / |utfall december|",
        # The year's own deviation once December is booked, beside the year before's (2026-12-06 walk: at
        # ?period=2024-12 the row showed "–" and a trend of 2022 against 2023).
        rule, rule.get(year) if month == 12 else None, rule.get(year - 1) if month == 12 else None, None,
        Target(FIVE_PERCENT), year, month, key="femprocent"),
        assessment=Assessment(this_year.assessment, this_year.reason, this_year.deviation)))
    yearly, now, before, through = sick_leave_by_period(sick_rows, year, month)
    found.append(_indicator(
        "Sjukfrånvaro, % av ordinarie arbetstid", "Nämnd", "percent", "lower",
        "sjuktimmar / ordinarie timmar (viktat med timmar) för perioden",
        yearly, now, before, None, Target(), year, month, key="sjukfranvaro", through=through))
    if not sick_rows.empty:
        rates = sick_monthly(sick_rows).set_index(["year", "month"])["rate"]  # as on Sjukfrånvaro, weighted by hours
        found[-1] = replace(found[-1], series=along_months(rates, year, month))
    leavers = external_turnover(turnover_rows)
    yearly, now, before, through = turnover_by_period(leavers, year, month)
    found.append(_indicator(
        "Extern personalomsättning, 12 månader", "Nämnd", "percent", "lower",
        "avgångar till annan arbetsgivare under tolv månader / genomsnittligt antal anställda",
        yearly, now, before, None, Target(), year, month, key="personalomsattning", through=through))
    found[-1] = replace(found[-1], series=along_months(leavers, year, month))
    return found


def _through(frame: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """The rows of a monthly frame (year, month) up to and including ``month`` of ``year``."""
    if frame.empty:
        return frame
    return frame[(frame["year"] < year) | ((frame["year"] == year) & (frame["month"] <= month))]


def indicators_table(indicators: list[Indicator], year: int, month: int) -> Table:
    """The indicators as the delårsrapport prints them: three years' utfall, this year to the cut-off,
    mål, prognos, bedömning (with its symbol), trend, and how a computed value is computed."""
    from domain.tables import Measure

    years = [year - 3, year - 2, year - 1]
    columns = (Column("name", "Indikator", width=40), Column("origin", "KF/nämnd", width=8),
               *(Column(f"y{y}", f"Utfall {y}", "measure", 10) for y in years),
               Column("now", f"Utfall {month_label(year, month)}", "measure", 10),
               Column("target", f"Mål {year}", "measure", 10), Column("forecast", f"Prognos {year}", "measure", 10),
               Column("assessment", "Bedömning", width=18), Column("trend", "Trend", width=10))
    rows = []
    for item in indicators:
        measure = lambda value: Measure(value, item.unit)  # noqa: E731
        target = item.target.value if item.direction != "band" else None
        rows.append({"name": item.name, "origin": item.origin,
                     **{f"y{y}": measure(item.yearly.get(y)) for y in years},
                     "now": Measure(item.month_value, item.unit, _earlier_month(item, month)),
                     "target": measure(target),
                     "forecast": measure(item.forecast),
                     "assessment": f"{item.assessment.symbol} {item.assessment.value}", "trend": item.trend})
    return Table(f"Nämndens indikatorer {year}", columns, tuple(rows), sheet="Indikatorer",
                 note=earlier_months_note(indicators, year, month))


def _earlier_month(item: Indicator, month: int) -> str:
    """The month an indicator's value is from when it is not the cut-off ``month`` ("aug"), else ""."""
    return MONTH_ABBREVIATIONS[item.through - 1] if item.through and item.through != month else ""


def earlier_months_note(indicators: list[Indicator], year: int, month: int) -> str:
    """The sentences under an indicator table whose values are not all from the cut-off month, and where a
    trend stands beside no value for the period (the 5 % rule's "Positiv" beside "–" in the papers, with the
    rule for it on the page only: 2026-12-05 walk)."""
    notes = []
    if any(_earlier_month(i, month) for i in indicators):
        notes.append(f"Utfall {month_label(year, month)}: där indikatorns senaste värde är från en tidigare månad "
                     "står månaden inom parentes, och takten mot målet bedöms efter den månaden.")
    if any(is_missing(i.month_value) and i.trend != NO_TREND for i in indicators):
        notes.append("Trend: perioden mot samma period i fjol; utan ett värde för perioden de två senaste hela "
                     "åren mot varandra.")
    return " ".join(notes)


def formulas_table(indicators: list[Indicator]) -> Table:
    """What each bedömning rests on, and how each indicator's value is had: computed by the product
    (with the formula) or imported."""
    columns = (Column("name", "Indikator", width=40), Column("basis", "Grund för bedömningen", width=40),
               Column("source", "Källa", width=12), Column("formula", "Beräkning", width=70))
    rows = tuple({"name": item.name, "basis": item.assessment.basis,
                  "source": "beräknad" if item.computed else "inläst", "formula": item.formula}
                 for item in indicators)
    return Table("Så bedöms och räknas indikatorerna", columns, rows, sheet="Indikatorernas grund")


# ---------------------------------------------------------------- the goal structure

LEVELS = ("indikator", "mal", "uppdrag")  # what a controller's note is about
UNIT_KINDS = {"procent": "percent"}       # an imported unit → how its values are written (else "number")
UNIT_SUFFIX = {"antal": "antal", "kr": "kr", "dagar": "dagar", "timmar": "timmar", "poäng": "poäng"}
COMPUTED_NAMES = {"budgetfoljsamhet": "budgetföljsamhet", "femprocent": "regeln om 5 %",
                  "sjukfranvaro": "sjukfrånvaro", "personalomsattning": "personalomsättning"}
ITEM_MARK = {"Slutförd": MET}  # an uppdrag's contribution to its goal (see goal_assessment)


@dataclass(frozen=True)
class Note:
    """The latest note on one object and year: a comment, and what it changed."""

    comment: str
    date: str  # ÅÅÅÅ-MM-DD
    author: str
    assessment: str | None = None
    status: str | None = None
    plan: str | None = None


@dataclass(frozen=True)
class Item:
    """An uppdrag or nämndinitiativ, with the latest note's status, plan and comment applied."""

    name: str
    kind: str
    goal: str
    responsible: str
    status: str
    plan: str
    comment: str
    comment_date: str


@dataclass(frozen=True)
class Goal:
    """An inriktningsmål: its indicators, uppdrag and initiativ, and its bedömning."""

    area: str
    name: str
    indicators: tuple[Indicator, ...]
    items: tuple[Item, ...]
    assessment: Assessment
    suggested: Assessment | None = None  # the rule's bedömning, when a controller has overridden it
    comment: str = ""
    comment_date: str = ""

    @property
    def slug(self) -> str:
        return goal_slug(self.name)

    @property
    def responsible(self) -> tuple[str, ...]:
        found = [i.responsible for i in self.indicators] + [i.responsible for i in self.items]
        return tuple(sorted({r for r in found if r}))


def goal_slug(name: str) -> str:
    """The name of a goal in a link: its number when it has one ("7.3"), otherwise its words."""
    import re
    import unicodedata

    number = re.match(r"^\s*(\d+(?:\.\d+)*)\.?\s", name + " ")
    if number:
        return number.group(1)
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "mal"


def natural_key(name: str) -> tuple:
    """Goals in their numbers' order: 2.3 before 10.1."""
    import re

    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", name) if part)


def latest_notes(notes: pd.DataFrame, year: int) -> dict[tuple[str, str], Note]:
    """Per (level, name), the latest note for ``year``: what applies now."""
    found: dict[tuple[str, str], Note] = {}
    if notes.empty:
        return found
    chosen = notes[notes["year"] == year].sort_values("id")
    for row in chosen.to_dict("records"):
        at = pd.Timestamp(row["at"])
        found[(row["level"], row["name"])] = Note(
            row["comment"], at.strftime("%Y-%m-%d"), row["author"],
            *(None if is_missing(row.get(k)) else row.get(k) for k in ("assessment", "status", "plan")))
    return found


def _changed_by(note: Note) -> str:
    return f"ändrad av {note.author} {format_date(note.date)}: {note.comment.rstrip('.')}"


def _imported_indicator(spec: dict, values: pd.DataFrame, year: int, month: int, tolerance: float | None,
                        year_end: tuple[float, float, float, int] | None = None) -> Indicator:
    """An indicator from its imported values: whole years, the value at the cut-off month (or the latest
    month before it), the same month last year, this year's target and prognos."""
    kind = UNIT_KINDS.get(spec["unit"], "number")
    scale = 0.01 if kind == "percent" else 1.0  # percentages are imported as written: 5,6 for 5,6 %

    def value(v):
        return None if is_missing(v) else float(v) * scale

    rows = values[values["indicator"] == spec["name"]]
    whole = rows[rows["month"] == 0].set_index("year")
    yearly = {int(y): value(v) for y, v in whole["actual"].items() if not is_missing(v)}
    monthly = rows[(rows["month"] > 0) & rows["actual"].notna()]
    this_year = monthly[(monthly["year"] == year) & (monthly["month"] <= month)]
    month_value = last_year = through = None
    if not this_year.empty:
        latest = this_year.sort_values("month").iloc[-1]
        month_value, through = value(latest["actual"]), int(latest["month"])
        same = monthly[(monthly["year"] == year - 1) & (monthly["month"] == latest["month"])]
        last_year = value(same["actual"].iloc[0]) if not same.empty else None
    target_row = whole.loc[year] if year in whole.index else None
    if target_row is None:
        target, forecast = Target(), None
    else:
        target = Target(value(target_row["target"]), value(target_row["target_low"]), value(target_row["target_high"]))
        forecast = value(target_row["forecast"])
    direction = spec["direction"]
    if direction == "band" and not target.missing:
        target = Target(None, target.low, target.high)
    series = tuple(value(v) for v in monthly[monthly["year"].isin([year - 1, year])
                                             & ~((monthly["year"] == year) & (monthly["month"] > month))]
                   .sort_values(["year", "month"])["actual"])
    label = spec["name"] + (f", {UNIT_SUFFIX[spec['unit']]}" if spec["unit"] in UNIT_SUFFIX else "")
    statistical = None if year_end is None else tuple(v * scale for v in year_end[:3])
    formula = "inläst från fil"
    if statistical is not None and is_missing(forecast) and year not in yearly:
        formula += (f"; prognosen är statistisk ur {year_end[3]} månaders utfall (slumpvandring med drift, "
                    "P10–P90 med driftens osäkerhet)")
    indicator = _indicator(label, spec["origin"], kind, direction, formula, yearly, month_value, last_year,
                           forecast, target, year, month, computed=False,
                           tolerance=None if tolerance is None or target.missing else tolerance * _size(target),
                           statistical=statistical, through=through)
    return replace(indicator, series=series, stored_name=spec["name"])


def _size(target: Target) -> float:
    if not is_missing(target.value):
        return abs(target.value)
    return max(abs(target.low), abs(target.high))


def build_goals(structure: pd.DataFrame, values: pd.DataFrame, items: pd.DataFrame, notes: pd.DataFrame,
                computed: list[Indicator], year: int, month: int, tolerance: float = DEFAULT_TOLERANCE,
                year_ends: dict[str, tuple[float, float, float, int]] | None = None
                ) -> tuple[list[Goal], list[Indicator], tuple[Item, ...]]:
    """The inriktningsmål in their numbers' order, each with its indicators (imported ones from their
    values, computed ones from ``computed``), uppdrag and initiativ, bedömning and latest comment; the
    computed indicators the structure does not place under any goal; the uppdrag and initiativ that
    name no goal."""
    latest = latest_notes(notes, year)
    by_key = {i.key: i for i in computed}
    placed: set[str] = set()
    indicators: dict[str, list[Indicator]] = {}
    areas: dict[str, str] = {}
    for spec in structure.to_dict("records"):
        if spec["computed"]:
            base = by_key.get(spec["computed"])
            if base is None:  # nothing to compute it from yet: the goal stays, without it
                indicators.setdefault(spec["goal"], [])
                areas.setdefault(spec["goal"], spec["area"])
                continue
            placed.add(spec["computed"])
            indicator = replace(base, name=spec["name"], origin=spec["origin"], stored_name=spec["name"])
        else:
            indicator = _imported_indicator(spec, values, year, month, tolerance, (year_ends or {}).get(spec["name"]))
        note = latest.get(("indikator", spec["name"]))
        if note is not None:
            indicator = replace(indicator, comment=note.comment, comment_date=note.date)
            if note.assessment:
                indicator = replace(indicator, suggested=indicator.assessment, assessment=Assessment(
                    note.assessment, _changed_by(note), indicator.assessment.compared))
        indicator = replace(indicator, area=spec["area"], goal=spec["goal"], responsible=spec["responsible"])
        indicators.setdefault(spec["goal"], []).append(indicator)
        areas.setdefault(spec["goal"], spec["area"])
    goal_items: dict[str, list[Item]] = {}
    for row in items.to_dict("records"):
        note = latest.get(("uppdrag", row["name"]))
        item = Item(row["name"], row["kind"], row["goal"], row["responsible"],
                    (note.status if note and note.status else row["status"]),
                    (note.plan if note and note.plan else row["plan"]),
                    note.comment if note else row["comment"], note.date if note else row["comment_date"])
        goal_items.setdefault(row["goal"], []).append(item)
        if row.get("area"):
            areas.setdefault(row["goal"], row["area"])
    goals = []
    for name in sorted(set(indicators) | {g for g in goal_items if g}, key=natural_key):
        own, tasks = tuple(indicators.get(name, ())), tuple(goal_items.get(name, ()))
        rule = goal_assessment([i.assessment.value for i in own], [(t.status, t.plan) for t in tasks])
        note = latest.get(("mal", name))
        goal = Goal(areas.get(name, ""), name, own, tasks, rule)
        if note is not None:
            goal = replace(goal, comment=note.comment, comment_date=note.date)
            if note.assessment:
                goal = replace(goal, suggested=rule, assessment=Assessment(note.assessment, _changed_by(note)))
        goals.append(goal)
    return goals, [i for i in computed if i.key not in placed], tuple(goal_items.get("", ()))


def all_items(goals: list[Goal], items_without_goal: tuple[Item, ...] = ()) -> pd.DataFrame:
    """Every uppdrag and initiativ as rows of kind, status and plan (for ``items_summary``)."""
    rows = [{"kind": t.kind, "status": t.status, "plan": t.plan} for g in goals for t in g.items]
    rows += [{"kind": t.kind, "status": t.status, "plan": t.plan} for t in items_without_goal]
    return pd.DataFrame(rows, columns=["kind", "status", "plan"])


def area_summary_table(goals: list[Goal]) -> Table:
    """Per målområde, how many inriktningsmål have each bedömning (symbols, so it reads in black and white)."""
    columns = (Column("area", "Målområde", width=30), Column("goals", "Inriktningsmål", "count", 10),
               *(Column(value, f"{SYMBOLS[value]} {value}", "count", 10) for value in ASSESSMENTS))
    rows = []
    for area in sorted({g.area for g in goals}, key=natural_key):
        own = [g for g in goals if g.area == area]
        rows.append({"area": area or "(utan målområde)", "goals": len(own),
                     **{value: sum(g.assessment.value == value for g in own) for value in ASSESSMENTS}})
    rows.append({"area": "Summa", "goals": len(goals),
                 **{value: sum(g.assessment.value == value for g in goals) for value in ASSESSMENTS}})
    return Table("Inriktningsmålens bedömning per målområde", columns, tuple(rows),
                 ("",) * (len(rows) - 1) + ("total",), sheet="Mål per målområde")


_NUMBER_WORDS = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")


def _number_word(count: int) -> str:
    return _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)


def _names(goals: list[Goal], limit: int = 3) -> str:
    return listing([g.name for g in goals], limit)


def _overridden(judged) -> bool:
    return judged.suggested is not None and judged.suggested.value != judged.assessment.value


def goals_sentence(goals: list[Goal], closed: bool = False) -> str:
    """The goal follow-up in one sentence: "Nio av tio inriktningsmål bedöms nås; 7.3 Rätt insats i rätt
    tid bedöms inte nås.\"" For a year booked through December (``closed``), whose goals are judged by the
    year's outcome, in the past tense: "Nio av tio inriktningsmål nåddes; 7.3 … nåddes inte."."""
    if not goals:
        return "Ingen målstruktur är inläst: läs in målområden, inriktningsmål och indikatorer på sidan Data."
    met = [g for g in goals if g.assessment.value == MET]
    partly = [g for g in goals if g.assessment.value == PARTLY]
    missed = [g for g in goals if g.assessment.value == NOT_MET]
    pending = [g for g in goals if g.assessment.value == NOT_ASSESSED]
    reached, partly_reached, not_reached = (("nåddes", "nåddes delvis", "nåddes inte") if closed else
                                            ("bedöms nås", "bedöms delvis nås", "bedöms inte nås"))
    parts = [f"{_number_word(len(met)).capitalize()} av {_number_word(len(goals))} inriktningsmål {reached}"]
    if partly:
        parts.append(f"{_names(partly)} {partly_reached}")
    if missed:
        parts.append(f"{_names(missed)} {not_reached}")
    if pending:
        parts.append(f"{_number_word(len(pending))} saknar underlag för en bedömning")  # also in a closed year
    # A bedömning a controller has changed is said, so that the sentence is not taken for the rule's alone; one
    # set by hand to what the rule says is no change (a walk counted it among those "ändrade för hand").
    changed = sum(_overridden(g) for g in goals) + sum(_overridden(i) for g in goals for i in g.indicators)
    if changed == 1:
        parts.append("en bedömning är ändrad för hand, med kommentar")
    elif changed:
        parts.append(f"{_number_word(changed)} bedömningar är ändrade för hand, med kommentar")
    return "; ".join(parts) + "."


def goal_indicators_table(goal: Goal, year: int, month: int) -> Table:
    """One inriktningsmål's indicators with the delårsrapport's columns, the bedömning and trend first
    after the name, then this year's mål, prognos and utfall (so that they are in view on a projector
    without scrolling sideways), the earlier years, KF/nämnd and ansvarig; the latest comments follow the table
    (``comment_lines``), as in the report."""
    base = indicators_table(list(goal.indicators), year, month)
    name, origin, *past, now, target, forecast, assessment, change = base.columns
    # This year's mål, prognos and utfall next to the bedömning they decide, in view at 1280 px on a
    # projector; the earlier years after them.
    columns = (name, assessment, change, target, forecast, now, *past, origin,
               Column("responsible", "Ansvarig", width=20))
    rows = tuple(row | {"responsible": item.responsible,
                        "assessment": row["assessment"] + (" (ändrad)" if item.suggested is not None else "")}
                 for row, item in zip(base.rows, goal.indicators))
    return Table(goal.name, columns, rows, sheet=f"Mål {goal.slug}", note=base.note)


def items_basis(items: tuple[Item, ...], beside_indicators: bool = False) -> str:
    """Under a goal, the uppdrag and initiativ its bedömning counted: "Underlag: 2 uppdrag och initiativ, 1 slutfört,
    1 pågår enligt plan (se Senaste kommentarer)"; ``beside_indicators``, for a goal with indicators too."""
    states = [_item_state(item.status, item.plan) for item in items]
    finished, going = states.count("finished"), states.count("on plan")
    parts = [f"{finished} slutfört" if finished == 1 else f"{finished} slutförda",
             f"{going} pågår enligt plan", f"{len(items) - finished - going} avviker från plan"]
    counts = (finished, going, len(items) - finished - going)
    said = ", ".join(part for part, count in zip(parts, counts) if count)
    what = "uppdrag eller initiativ" if len(items) == 1 else "uppdrag och initiativ"
    lead = "Underlag utöver indikatorerna" if beside_indicators else "Underlag"
    return f"{lead}: {len(items)} {what}, {said} (se Senaste kommentarer)"


def all_goals_table(goals_: list[Goal], year: int, month: int) -> Table:
    """Every inriktningsmål with its indicators under it, for the papers: a bold row per goal with its
    bedömning, then its indicators' rows as ``goal_indicators_table`` gives them."""
    columns = None
    rows, emphasis = [], []
    for goal in goals_:
        table = goal_indicators_table(goal, year, month)
        columns = table.columns
        from domain.tables import Measure

        blank = {column.key: Measure(None, "text") for column in table.columns if column.kind == "measure"}
        rows.append(blank | {"name": goal.name, "assessment": f"{goal.assessment.symbol} {goal.assessment.value}"
                             + (" (ändrad)" if goal.suggested is not None else "")})
        emphasis.append("heading")
        rows += list(table.rows)
        emphasis += [""] * len(table.rows)
        if goal.items:
            # What the bedömning of a goal without indicators rests on (2026-12-07 walk: "✓ Uppfyllt" stood over
            # nothing, and the uppdrag it counted were three pages further on), and beside indicators (second walk
            # that day: "◐ Delvis uppfyllt" over one indicator "✓ Uppfyllt", its initiativ off plan unsaid).
            rows.append(blank | {"name": items_basis(goal.items, bool(goal.indicators)), "assessment": ""})
            emphasis.append("")
    if columns is None:
        columns = goal_indicators_table(Goal("", "", (), (), Assessment(NOT_ASSESSED, "")), year, month).columns
    return Table(f"Inriktningsmål och indikatorer {year}", columns, tuple(rows), tuple(emphasis),
                 sheet="Mål och indikatorer",
                 note=earlier_months_note([i for g in goals_ for i in g.indicators], year, month))


def comment_lines(goal: Goal) -> list[str]:
    """"Senaste kommentar (2025-08-31), indikator: …" for each of the goal's indicators that has one."""
    return [f"Senaste kommentar ({format_date(i.comment_date)}), {i.stored_name or i.name}: {i.comment}"
            for i in goal.indicators if i.comment]


def goal_comment_line(goal: Goal) -> str:
    return f"Senaste kommentar ({format_date(goal.comment_date)}): {goal.comment}"


def comments_table(goals_: list[Goal], orphans: tuple | list = ()) -> Table:
    """Every dated latest comment on a goal, an indicator or an uppdrag, goal by goal, then those on uppdrag and
    initiativ with no goal (for the papers; 2026-12-06 walk: the one initiativ without a goal, "avvikelse från
    plan", was counted in the summary and its comment was nowhere in the papers)."""
    columns = (Column("goal", "Inriktningsmål", width=30), Column("about", "Gäller", width=36),
               Column("date", "Datum", "date", 11), Column("comment", "Senaste kommentar", width=60))
    rows = []
    for goal in goals_:
        if goal.comment:
            rows.append({"goal": goal.name, "about": "Inriktningsmålet", "date": goal.comment_date,
                         "comment": goal.comment})
        rows += [{"goal": goal.name, "about": i.stored_name or i.name, "date": i.comment_date,
                  "comment": i.comment}
                 for i in goal.indicators if i.comment]
        rows += [{"goal": goal.name, "about": t.name, "date": t.comment_date, "comment": t.comment}
                 for t in goal.items if t.comment]
    rows += [{"goal": NO_GOAL, "about": t.name, "date": t.comment_date, "comment": t.comment}
             for t in orphans if t.comment]
    return Table("Senaste kommentarer", columns, tuple(rows), sheet="Kommentarer")


def items_table(items: tuple[Item, ...] | list[Item], title: str = "Uppdrag och nämndinitiativ",
                sheet: str = "Uppdrag") -> Table:
    columns = (Column("name", "Uppdrag/nämndinitiativ", width=44), Column("kind", "Typ", width=14),
               Column("responsible", "Ansvarig", width=20), Column("plan", "Prognos för slutförande", width=16),
               Column("status", "Status", width=12), Column("comment", "Senaste kommentar", width=40))
    rows = tuple({"name": t.name, "kind": t.kind, "responsible": t.responsible, "plan": t.plan, "status": t.status,
                  "comment": f"{format_date(t.comment_date)}: {t.comment}" if t.comment_date and t.comment else t.comment}
                 for t in items)
    return Table(title, columns, rows, sheet=sheet)


_EARLIER = {"assessment": "regeln", "status": "importen", "plan": "importen"}


def history_table(notes: pd.DataFrame) -> Table:
    """Every saved note, newest first: who changed what, when, and why.

    A change names what it replaced: the object's previous note's value for the same year, or, for its
    first change, the rule or the import ("bedömning: regeln → Uppfyllt", "bedömning: Uppfyllt → Delvis uppfyllt")."""
    columns = (Column("at", "Tid", "timestamp", 16), Column("author", "Av", width=16),
               Column("level", "Gäller", width=12), Column("name", "Namn", width=36),
               Column("year", "År", "identifier", 6), Column("change", "Ändring", width=34),
               Column("comment", "Kommentar", width=50))
    level_names = {"indikator": "Indikator", "mal": "Inriktningsmål", "uppdrag": "Uppdrag/initiativ"}
    labels = {"assessment": "bedömning", "status": "status", "plan": "plan"}
    latest: dict[tuple, str] = {}
    rows = []
    for row in notes.sort_values("id").to_dict("records") if not notes.empty else []:
        change = []
        for field, label in labels.items():
            value = row.get(field)
            if is_missing(value):
                continue
            key = (row["level"], row["name"], row["year"], field)
            change.append(f"{label}: {latest.get(key, _EARLIER[field])} → {value}")
            latest[key] = str(value)
        rows.append({"at": row["at"], "author": row["author"], "level": level_names.get(row["level"], row["level"]),
                     "name": row["name"], "year": row["year"], "change": ", ".join(change) or "kommentar",
                     "comment": row["comment"]})
    return Table("Ändrade bedömningar och kommentarer", columns, tuple(reversed(rows)), sheet="Målkommentarer")


def note_targets(built: tuple[Goal, ...] | list[Goal], orphans: tuple | list, level: str) -> dict[str, dict]:
    """What the form for a note offers at ``level`` ("indikator", "mal" or "uppdrag"): per name shown, the
    name stored in the goal structure and the current bedömning, or status and plan, that a change replaces."""
    if level == "indikator":
        return {i.name: {"stored": i.stored_name or i.name, "assessment": i.assessment.value}
                for g in built for i in g.indicators}
    if level == "mal":
        return {g.name: {"stored": g.name, "assessment": g.assessment.value} for g in built}
    return {t.name: {"stored": t.name, "status": t.status, "plan": t.plan}
            for t in [*(t for g in built for t in g.items), *orphans]}


def keep_label(current: str | None) -> str:
    """The form's first choice, which leaves a value as it is, naming that value."""
    return f"Behåll: {current}" if current else "Behåll"


def filter_goals(built: tuple[Goal, ...] | list[Goal], area: str | None = None, responsible: str | None = None,
                 slug: str | None = None) -> list[Goal]:
    """The goals shown: one målområde, one ansvarig (a goal with any indicator or uppdrag of theirs), or
    one goal by its link name; None for all."""
    return [g for g in built if (area is None or g.area == area) and (responsible is None or responsible in g.responsible)
            and (slug is None or g.slug == slug)]


@dataclass(frozen=True)
class GoalSection:
    """One inriktningsmål's tables and comment lines as Mål och indikatorer shows them."""

    indicators: Table | None
    comments: tuple[str, ...]
    items: Table | None


@dataclass(frozen=True)
class PageView:
    """Mål och indikatorer for one data version, notes and period: the goals and every sentence and table
    the page shows, worked out once (``page_view``)."""

    built: tuple[Goal, ...]
    unplaced: tuple
    orphans: tuple
    sentence: str
    summary: Table | None
    sections: dict[str, GoalSection]
    items_summary: Table
    orphan_items: Table | None
    history: Table | None
    indicators: Table | None
    formulas: Table
    five_percent_sentence: str
    five_percent: Table
    as_of: str = ""  # for a period before the latest booked month: what the page shows as it stands today


def as_of_note(built: list[Goal], orphans, notes: pd.DataFrame, year: int, month: int,
               latest: tuple[int, int] | None) -> str:
    """Said on a period before the latest booked month: the uppdrag's status and comments are the ones last
    read, and a bedömning changed by hand holds for its whole year; they are shown as they stand today, not as
    they stood at the period's end, which the product does not know. 2026-12-06 walk: ?period=2025-04 showed
    statuses and comments of 31 aug 2025, and a bedömning changed in December, without a word."""
    if latest is None or (year, month) >= tuple(latest):
        return ""
    dated = [t.comment_date for g in built for t in g.items if t.comment_date] + \
        [t.comment_date for t in orphans if t.comment_date]
    parts = []
    if dated:
        parts.append(f"Uppdragens och initiativens status och kommentarer är de senast inlästa (per "
                     f"{format_date(max(dated))})")
    by_hand = not notes.empty and bool(((notes["year"] == year) & (notes["assessment"].notna()
                                                                 | notes["status"].notna())).any())
    if by_hand:
        parts.append("bedömningar och status som ändrats för hand gäller hela året")
    if not parts:
        return ""
    return (f"{upper_first('; '.join(parts))}: de visas som de står i dag, inte som de stod i "
            f"{long_month_label(year, month)}. Indikatorernas värden och de beräknade indikatorerna gäller perioden.")


def page_view(built: list[Goal], unplaced, orphans, notes: pd.DataFrame, history: list[RuleYear], year: int,
              month: int, latest: tuple[int, int] | None = None) -> PageView:
    sections = {goal.slug: GoalSection(goal_indicators_table(goal, year, month) if goal.indicators else None,
                                       tuple(comment_lines(goal)), items_table(goal.items) if goal.items else None)
                for goal in built}
    every = [i for g in built for i in g.indicators] + list(unplaced)
    return PageView(
        built=tuple(built), unplaced=tuple(unplaced), orphans=tuple(orphans),
        sentence=goals_sentence(built, closed=month == 12),
        summary=area_summary_table(built) if built else None, sections=sections,
        items_summary=items_summary_table(items_summary(all_items(built, orphans))),
        orphan_items=items_table(orphans, ORPHANS_TITLE) if orphans else None,
        history=history_table(notes) if not notes.empty else None,
        indicators=indicators_table(list(unplaced), year, month) if unplaced else None,
        formulas=formulas_table(every), five_percent_sentence=five_percent_sentence(history),
        five_percent=five_percent_table(history), as_of=as_of_note(built, orphans, notes, year, month, latest))
