"""What the Prognos page shows, computed from forecasts and saved versions (no Streamlit, no SQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.formatting import (EMPTY, NBSP, as_written_mnkr, format_date, format_mnkr, format_mnkr_number,
                               format_number, format_probability, format_range_mnkr, format_timestamp, format_tkr,
                               level_in_mnkr, listing, local_time, lower_first, net_text, result_text)
from domain.budget import outcome_against_forecast
from domain.integrity import short
from domain.periods import DELAR_2, MONTH_ABBREVIATIONS, MONTH_NAMES, month_label
from domain.placements import Decomposition, decompose, group_effects
from domain.tables import Column, Table

TARGET = 0.05
MANAGERS_METHOD = "verksamheternas prognos"  # a line that holds the verksamhet's own forecast, not a model's
METHOD_NAMES = {"kombination": "Median av metoderna", "linjär framskrivning": "Linjär framskrivning",
                "budgetprofil": "Budgetprofil", "fjolårskvot": "Fjolårskvot", "utfall": "Utfall (helt år)"}
METHOD_CAPTION = ("Så räknas den statistiska prognosen: för varje verksamhet prognostiseras årets återstående månader "
                  "med flera beprövade metoder (ETS, SARIMAX, log-SARIMAX och Theta ur statsmodels, fjolårskvoten och, "
                  "när de återstående månaderna delar året jämnt som efter augusti, block-ETS, som ser återstoden "
                  "som ett block), och mittvärdet gäller: en metod som slår fel drar inte med sig prognosen. En "
                  "verksamhet med kortare historik än två hela år följer budgetens fördelning över året (utan budget "
                  "utfallets takt hittills). Intervallet P10–P90 ska innehålla decemberutfallet 8 gånger av 10: det "
                  "bygger på verksamhetens egna fel vid samma brytmånad tidigare år, är bredare när metoderna pekar åt "
                  "olika håll, och är prövat på tusentals offentliga serier med känt utfall.")


@dataclass(frozen=True)
class OfficialForecast:
    """The forecast of a period: the one figure every page, the meeting and the papers call helårsprognos.

    The rule: the latest locked version saved for the cut-off when there is one, otherwise the
    preliminary statistical forecast, named as such. ``statistical`` is the statistical forecast as
    computed now (None when it is not computed yet).
    """

    point: float
    label: str
    locked: bool
    statistical: float | None
    name: str = ""  # the label without when it was saved, short enough for a chart's axis
    version_id: int | None = None  # the locked version's id
    # Each verksamhet's year-end in this forecast (report sign), adding up to ``point``; empty until attached.
    lines: tuple[tuple[str, float], ...] = ()
    # How much the booked utfall through the cut-off has changed since the version was locked (now − then,
    # report sign, kr): a correction the locked figure does not know of. 0 when none, or nothing is locked.
    corrected_kr: float = 0.0
    basis: str = ""  # whose forecast a locked version holds (``version_basis``); empty when nothing is locked

    @property
    def locked_point(self) -> float | None:
        """The locked version's year-end, the figure the 5 % rule judges; None when nothing is locked."""
        return self.point if self.locked else None

    @property
    def spoken(self) -> str:
        """The forecast as a sentence names it, without the minute it was saved (the footer and Prognos say that;
        a headline is read aloud): 'låst version "Delår 2", verksamheternas prognos' or 'preliminär statistisk
        prognos aug 2025'. Whose forecast a locked version holds is said where it is not the statistical one."""
        whose = "" if not self.locked or self.basis in ("", "Statistisk prognos") else \
            f", {lower_first(self.basis)}" + ("" if self.basis.endswith("prognos") else " prognos")
        return f"{lower_first(self.name or self.label)}{whose}"

    @property
    def correction(self) -> str:
        """How the utfall a locked version was made on has changed since ("1,0 mnkr sämre"); empty when it
        has not, by 0,1 mnkr or more, or nothing is locked."""
        if not self.locked or level_in_mnkr(self.corrected_kr):
            return ""
        return f"{format_mnkr(abs(self.corrected_kr))} {'bättre' if self.corrected_kr > 0 else 'sämre'}"

    @property
    def correction_sentence(self) -> str:
        """Said beside a locked figure whose months have been corrected since; empty otherwise."""
        if not self.correction:
            return ""
        return (f"Utfallet som versionen bygger på har ändrats sedan den låstes, {self.correction}; den låsta "
                "siffran står kvar.")

    def scoped(self, scope: tuple[str, ...] | None) -> float | None:
        """The forecast of the verksamheter in ``scope`` (None = all): the sum of their own lines, report sign.
        None when the lines are not attached."""
        if scope is None:
            return self.point
        if not self.lines:
            return None
        chosen = set(scope)
        return float(sum(value for name, value in self.lines if name in chosen))


def against_budget(point: float, budget: float | None) -> float | None:
    """Avvikelse mot budget: prognos − budget in report sign (positive is favourable); None without a budget."""
    return None if budget is None else point - budget


def saved_when(created_at, year: int) -> str:
    """When a version of ``year`` was saved, as its label and the papers say it: "5 dec 2026 13:09", or "efter
    årets slut, 5 dec 2026 13:09" after its year ended (a closed year's delår 2 entered afterwards, as the sample
    and a municipality starting with the panel do: "sparad 5 dec 2026" beside a forecast of 2024 read as if the
    5 % rule's proof had been made after the fact without a word; "sparad i efterhand 5 dec 2026" was read as a
    back-dated version by the 2026-12-06 walk)."""
    afterwards = local_time(created_at).year > int(year)
    return ("efter årets slut, " if afterwards else "") + format_timestamp(created_at)


def locked_version_name(name: str) -> str:
    """A saved version as a sentence or a table names it: 'Låst version "Delårsrapport 2 2025"'."""
    return f'Låst version "{name}"'


def official_forecast(versions: pd.DataFrame, year: int, month: int,
                      statistical: float | None) -> OfficialForecast | None:
    """The forecast of (year, month) by the rule of ``OfficialForecast``; None when there is none yet."""
    saved = versions[(versions["year"] == year) & (versions["cutoff_month"] == month)] \
        if not versions.empty else versions
    if not saved.empty:
        row = saved[in_force(saved)].iloc[0]
        name = locked_version_name(row["name"])
        label = f"{name}, sparad {saved_when(row['created_at'], row['year'])}"
        basis = version_basis(row["managers_lines"], row["lines"]) if "lines" in row else ""
        return OfficialForecast(float(row["point_kr"]), label, True, statistical, name, int(row["id"]), basis=basis)
    if statistical is None:
        return None
    name = f"Preliminär statistisk prognos {MONTH_ABBREVIATIONS[month - 1]} {year}"
    return OfficialForecast(float(statistical), name, False, statistical, name)


def _local_now(now=None):
    """``now`` (a time; the present when None) in the municipality's time zone."""
    return local_time(pd.Timestamp.now(tz="UTC") if now is None else now)


def year_over(year: int, now=None) -> bool:
    """Whether the calendar year has ended at ``now`` (a time; the present when None): a version locked then is
    locked after the fact. The 5 % rule (``judged_by_rule``) goes by the calendar: a version saved after its year
    never takes another's place there."""
    return _local_now(now).year > year


def year_over_said(year: int, now=None) -> str:
    """"Året 2025 är slut (i dag är det 7 dec 2026)": the day is said, for the rule goes by the calendar while the
    books may end months earlier (2026-12-07 controller walk: "Året 2025 är slut" beside data to September read
    as a fault)."""
    return f"Året {year} är slut (i dag är det {format_date(_local_now(now).date())})"


def lock_notice(official: OfficialForecast | None, year: int, month: int, interim_imported: bool = False,
                now=None) -> str:
    """What locking a version does to the period's forecast, said before the controller saves one.

    The 5 % rule judges the forecast per delår 2 only: a version locked for another month does not enter it,
    and in August, before a version is locked, the rule holds the verksamheternas prognos imported per delår 2
    when there is one for the whole nämnd (``interim_imported``; ``goals.five_percent_history``). After the year
    has ended a new version for delår 2 never takes the place of one already locked there (``judged_by_rule``).
    """
    period = f"{MONTH_ABBREVIATIONS[month - 1]} {year}"
    interim = month == DELAR_2
    where = "på alla sidor, i nämndläget och i regeln om 5\u00a0%" if interim else "på alla sidor och i nämndläget"
    rule = "" if interim else (f" Regeln om 5\u00a0% bedömer prognosen per delår 2: bara en version låst för augusti "
                               f"{year} räknas där.")
    if official is not None and official.locked:
        if interim and year_over(year, now):  # 2026-12-06 walk: the form promised the rule a version it never got
            where = "på alla sidor och i nämndläget"
            rule = (f" {year_over_said(year, now)}: i regeln om 5\u00a0% ersätter en version som låses nu aldrig "
                    "den som redan är låst per delår 2.")
        return (f"Helårsprognosen för {period} är nu {lower_first(official.name)}. En ny låst "
                f"version för {period} ersätter den som helårsprognos {where}; den tidigare finns kvar, "
                f"oförändrad, bland de sparade versionerna.{rule}")
    now_said = ("helårsprognosen är den preliminära statistiska, och regeln om 5\u00a0% bedömer i dag verksamheternas "
                "importerade prognos per delår 2" if interim and interim_imported
                else "helårsprognosen är den preliminära statistiska")
    return f"Ingen version är låst för {period}: {now_said}. Den version du låser blir helårsprognos {where}.{rule}"


@dataclass(frozen=True)
class VersionLine:
    """One verksamhet's line of a saved forecast version (kronor, report sign)."""

    activity: str
    method: str
    params: dict[str, float]
    actual_ytd_kr: int
    point_kr: int
    p10_kr: int
    p50_kr: int
    p90_kr: int
    budget_kr: int | None
    prob_within_target: float | None
    comment: str
    months: tuple[tuple[int, bool, int], ...]  # (month, is_actual, amount_kr)


def version_lines(board, actuals: dict[str, pd.Series], comments: dict[str, str] | None = None) -> list[VersionLine]:
    """Lines to save for a board forecast: the figures, and every month as utfall or forecast."""
    comments = comments or {}
    lines = []
    for activity, line in sorted(board.lines.items()):
        year_actuals = actuals[activity][actuals[activity].index.year == board.year]
        months = [(int(p.month), True, int(round(v))) for p, v in year_actuals.items()
                  if p.month <= line.cutoff_month]
        months += [(int(p.month), False, int(round(v))) for p, v in zip(line.monthly["period"], line.monthly["mean"])]
        lines.append(VersionLine(
            activity=activity, method=line.method,
            params={k: round(float(v), 6) for k, v in line.params.items() if np.isfinite(v)},
            actual_ytd_kr=int(round(line.actual_ytd)), point_kr=int(round(line.point)),
            p10_kr=int(round(line.p10)), p50_kr=int(round(line.p50)), p90_kr=int(round(line.p90)),
            budget_kr=None if line.budget is None else int(round(line.budget)),
            prob_within_target=float(line.prob_within_target), comment=comments.get(activity, ""),
            months=tuple(months)))
    return lines


def managers_line(activity: str, actual_months: list[tuple[int, int]], point_kr: int, budget_kr: int | None,
                  comment: str = "") -> VersionLine:
    """A saved line for a verksamhet's own year-end forecast (kronor, report sign).

    ``actual_months`` is its utfall month by month to its cut-off. The rest of the year-end,
    ``point_kr`` less the utfall, is spread evenly over the months left; December takes the kronor the
    division leaves over, so that the months add up to the year-end to the krona. The line states no
    interval: P10, P50 and P90 are the point.
    """
    months = [(int(month), True, int(amount)) for month, amount in sorted(actual_months)]
    ytd = sum(amount for _, _, amount in months)
    cutoff = months[-1][0] if months else 0
    remaining = list(range(cutoff + 1, 13))
    if remaining:
        rest, left = divmod(int(point_kr) - ytd, len(remaining))
        months += [(month, False, rest + (left if month == 12 else 0)) for month in remaining]
    return VersionLine(activity=str(activity), method=MANAGERS_METHOD, params={}, actual_ytd_kr=ytd,
                       point_kr=int(point_kr), p10_kr=int(point_kr), p50_kr=int(point_kr), p90_kr=int(point_kr),
                       budget_kr=budget_kr, prob_within_target=None, comment=comment, months=tuple(months))


def managers_version_lines(board, actuals: dict[str, pd.Series], manual: pd.DataFrame,
                           comments: dict[str, str] | None = None) -> list[VersionLine]:
    """Lines to save for the verksamheternas own forecast (``manual``: activity, forecast_kr, report sign).

    Each verksamhet with a forecast of its own gets ``managers_line`` from its utfall to its cut-off;
    one without keeps its statistical line (``version_lines``), so that the version holds the whole
    nämnd and says so ("Statistisk och verksamheternas", ``version_basis``).
    """
    own = dict(zip(manual["activity"], manual["forecast_kr"])) if not manual.empty else {}
    lines = []
    for line in version_lines(board, actuals, comments):
        if line.activity not in own:
            lines.append(line)
            continue
        actual = [(month, amount) for month, is_actual, amount in line.months if is_actual]
        lines.append(managers_line(line.activity, actual, int(round(own[line.activity])), line.budget_kr,
                                   line.comment))
    return lines


def in_report_order(activities: Iterable[str], order: dict[str, int] | None = None) -> list[str]:
    """``activities`` in the report's order (``order``: activity → sort_order, from the register), and by
    name where the register has none."""
    order = order or {}
    return sorted(activities, key=lambda activity: (order.get(activity, 10_000), activity))


def without_own_forecast(board, manual: pd.DataFrame, order: dict[str, int] | None = None) -> list[str]:
    """The verksamheter of ``board`` that have no forecast of their own in ``manual``, in the report's order."""
    own = set(manual["activity"]) if not manual.empty else set()
    return in_report_order((activity for activity in board.lines if activity not in own), order)


def comment_frame(board, order: dict[str, int] | None = None) -> pd.DataFrame:
    """The form's table of comments to a version: every verksamhet of ``board`` in the report's order, each
    with an empty comment."""
    names = in_report_order(board.lines, order)
    return pd.DataFrame({"Verksamhet": names, "Kommentar": [""] * len(names)})


def default_version_name(year: int, cutoff_month: int, taken: Iterable[str] = ()) -> str:
    """The name offered for a new version of a cut-off: "Delårsrapport 2 2025" at a delår's cut-off, as the
    versions of earlier years are named, "Prognos okt 2025" at another month; numbered "(2)", "(3)" … past the
    names in ``taken``, so that the name offered can always be saved."""
    interim = {4: 1, 8: 2}.get(cutoff_month)
    name = f"Delårsrapport {interim} {year}" if interim else f"Prognos {MONTH_ABBREVIATIONS[cutoff_month - 1]} {year}"
    taken = set(taken)
    number, offered = 1, name
    while offered in taken:
        number += 1
        offered = f"{name} ({number})"
    return offered


def unlocked_papers_notice(locked: bool, year: int, month: int, managers_judged: bool = True) -> str:
    """Beside the button that builds the meeting papers, when no version is locked for the period: the papers
    then state the preliminary statistical forecast, and at delår 2 the 5 % rule will judge another figure
    (2026-12-07 walk: the papers' first page said 4,8 mnkr and their page on the rule that the verksamheternas
    prognos, 7,2 mnkr, would be judged, and nothing said so before they were built), or, with no verksamheternas
    prognos per delår 2 imported (``managers_judged`` false, ``goals.judges_managers``), nothing until a version is
    locked. Empty when one is locked."""
    if locked:
        return ""
    period = month_label(year, month)
    rule = ""
    if month == DELAR_2:
        rule = (" Regeln om 5\u00a0% bedömer då verksamheternas prognos per delår 2, inte den statistiska."
                if managers_judged else
                " Regeln om 5\u00a0% har då ingen prognos per delår 2 att bedöma: ingen verksamheternas prognos är "
                "inläst för året.")
    return (f"Ingen version är låst för {period}: papperen visar den preliminära statistiska prognosen.{rule} "
            "Lås en version under Prognos › Spara version innan papperen skickas ut.")


def lock_question(name: str, basis_label: str, year: int, month: int, latest: tuple[int, int] | None = None, *,
                  saved: pd.DataFrame | None = None, now=None) -> str:
    """Asked before a version is locked: its name, the figure it locks (``basis_labels``) and that it cannot
    be changed afterwards; when the year is over (December booked, ``latest``, or the calendar year ended,
    ``year_over``), that it is saved afterwards and, per delår 2, whether it enters the 5 % rule: not when
    a version is already locked there (named from ``saved``, the saved versions; ``judged_by_rule``)."""
    known = ""
    booked = latest is not None and tuple(latest) >= (year, 12)
    if booked or year_over(year, now):
        known = (f" December {year} är redan bokförd: versionen sparas i efterhand" if booked
                 else f" {year_over_said(year, now)}: versionen sparas efter årets slut")
        judged = judged_by_rule(saved).get(year) if saved is not None else None
        if month != DELAR_2:
            known += "."
        elif judged is None:
            known += ", och den blir den version som regeln om 5\u00a0% bedömer för året."
        else:
            first = saved.loc[saved["id"] == judged, "name"].iloc[0]
            known += (f', och i regeln om 5\u00a0% ersätter den inte "{" ".join(str(first).split())}", som redan är '
                      "låst per delår 2.")
    return (f'Lås versionen "{" ".join(name.split())}"? {basis_label}, brytmånad {MONTH_ABBREVIATIONS[month - 1]} '
            f"{year}. En låst version kan inte ändras eller tas bort; en ny bedömning sparas som en ny version."
            + known)


UNTESTED_SHARE = 0.5  # from this share of the net cost forecast for want of history, no probability is stated


def untested(board) -> bool:
    """Whether the nämnd's interval and probabilities are left unsaid: half or more of its net cost is forecast by
    verksamheter with less than two full years of history (``BoardForecast.short_history_share``), whose budget
    profile no benchmark has tested (2026-12-07 new-municipality walk: with one year of history every verksamhet
    followed its budget, and the headline still said "inom ±5 % … 99 %")."""
    return board.short_history_share >= UNTESTED_SHARE


def as_stated(board):
    """The board as its figures may be stated: its interval and probabilities blanked where they are ``untested``,
    for the headlines, the key figures and the charts' bands (the per-verksamhet table blanks its own lines)."""
    if not untested(board):
        return board
    blank = float("nan")
    return dataclasses.replace(board, p10=blank, p90=blank, prob_within_target=None, prob_deficit=None, totals=None,
                               monthly=board.monthly.assign(cum_p10=blank, cum_p90=blank))


def interval_known(low: Iterable[float]) -> bool:
    """Whether a chart draws its P10–P90 band: ``as_stated`` leaves the band's months blank (the month where a
    forecast joins the utfall keeps the utfall's value)."""
    return int(np.isfinite(np.asarray(list(low), dtype=float)).sum()) > 1


def untested_sentence(board) -> str:
    """Why a board ``untested`` states no interval: "Historiken är för kort för en statistisk prognos (mindre än två
    hela år) för 7 av 7 verksamheter: där är prognosen utfallet hittills plus budgeten för resten av året, och hur
    säker den är går inte att pröva. Ingen sannolikhet anges." """
    short = sum(1 for line in board.lines.values() if line.short_history)
    return (f"Historiken är för kort för en statistisk prognos (mindre än två hela år) för {format_number(short)} av "
            f"{format_number(len(board.lines))} verksamheter: där är prognosen utfallet hittills plus budgeten för "
            "resten av året, och hur säker den är går inte att pröva. Ingen sannolikhet anges.")


def fallback_caption(board) -> str:
    """Under the per-verksamhet table: the verksamheter forecast another way than the statistical methods, grouped by
    why ("Anmärkningar: för kort historik (…): A, B och C."); empty where none is. Each reason is said once (the walk
    of 2026-12-07 read the same reason seven times)."""
    reasons: dict[str, list[str]] = {}
    for activity, line in board.lines.items():
        if line.fallback_reason:
            reasons.setdefault(line.fallback_reason, []).append(activity)
    if not reasons:
        return ""
    return "Anmärkningar: " + "; ".join(f"{reason}: {listing(names, len(names))}"
                                         for reason, names in reasons.items()) + "."


def states_within(p10: float, p90: float) -> bool:
    """Whether "Sannolikhet inom ±5 %" says anything: not where P10–P90 reaches both sides of zero, since
    ±5 % of a net result close to zero is a few tkr, and its probability reads as a poor forecast."""
    return not (p10 < 0 < p90)


def forecast_table(board, manual: pd.DataFrame, official: OfficialForecast | None = None,
                   order: dict[str, int] | None = None) -> pd.DataFrame:
    """Per verksamhet: budget, the managers' forecast, the statistical one with P10–P90, and a flag.

    ``manual`` has activity and forecast_kr (report sign) for the chosen cut-off. The probability within
    ±5 % is left out (NaN) where the result may be either side of zero (``states_within``). When the
    period's forecast is a locked version (``official`` with its lines), its figure per verksamhet is the
    column locked, adding up to the helårsprognos every other page names: without it the papers' table
    of the helårsprognos per verksamhet summed to the statistical forecast beside a locked first page.
    The verksamheter stand in the report's order (``order``: activity → sort_order, from the register), as in
    the driftredovisning, and by name where the register has none.
    """
    manual_by = dict(zip(manual["activity"], manual["forecast_kr"])) if not manual.empty else {}
    rows = []
    for activity in in_report_order(board.lines, order):
        line = board.lines[activity]
        own = manual_by.get(activity, np.nan)
        # Budget profile for want of history: no interval and no ±5 % stated, and so nothing outside it.
        short = getattr(line, "short_history", False)
        low, high = (np.nan, np.nan) if short else (line.p10, line.p90)
        outside = bool(np.isfinite(own) and not short and not (low <= own <= high))
        rows.append({"activity": activity, "budget": line.budget if line.budget is not None else np.nan,
                     "manual": own, "point": line.point, "p10": low, "p90": high,
                     "variance": line.point - line.budget if line.budget is not None else np.nan,
                     "prob_within": line.prob_within_target
                     if states_within(line.p10, line.p90) and not short else np.nan,
                     "short": short,
                     "method": METHOD_NAMES.get(line.method, line.method),
                     "outside": outside})
    frame = pd.DataFrame(rows)
    stated = as_stated(board)
    short_board = stated is not board  # the nämnd's interval is left unsaid (``untested``)
    total = {"activity": "Summa nämnden", "budget": board.budget if board.budget is not None else np.nan,
             "manual": float(np.nansum(frame["manual"])) if frame["manual"].notna().any() else np.nan,
             "point": board.point, "p10": stated.p10, "p90": stated.p90,
             "variance": board.point - board.budget if board.budget is not None else np.nan,
             "prob_within": np.nan if short_board else board.prob_within_target,
             "method": "summa av verksamheterna", "outside": False, "short": short_board}
    total["outside"] = bool(np.isfinite(total["manual"]) and not short_board
                            and not (board.p10 <= total["manual"] <= board.p90))
    if official is not None and official.locked and official.lines:
        locked = dict(official.lines)
        frame["locked"] = [locked.get(activity, np.nan) for activity in frame["activity"]]
        total["locked"] = official.point
        # The locked forecast's own avvikelse beside it: the total row showed only the statistical one's, which a
        # member reading along it took for the helårsprognos's (2026-12-07 walk).
        frame["locked_variance"] = frame["locked"] - frame["budget"]
        total["locked_variance"] = total["locked"] - total["budget"]
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def basis_labels(board, manual: pd.DataFrame, manual_label: str) -> dict[str, str]:
    """The choice of what to lock, each with the helårsprognos it locks: the statistical forecast's, and the
    verksamheternas own summed with the statistical line of each verksamhet without one (as
    ``managers_version_lines`` saves it). Without the figures the choice was between two names."""
    labels = {"statistical": f"Den statistiska prognosen: {format_tkr(board.point)}"}
    if not manual.empty:
        own = dict(zip(manual["activity"], manual["forecast_kr"]))
        missing = without_own_forecast(board, manual)
        total = sum(own.get(activity, line.point) for activity, line in board.lines.items())
        labels["managers"] = f"{manual_label}: {format_tkr(total)}" + (
            f" (den statistiska för {len(missing)} utan egen)" if missing else "")
    return labels


def manual_total(manual: pd.DataFrame) -> float | None:
    """The verksamheternas own year-end forecast for the whole board; None when none is imported."""
    return float(manual["forecast_kr"].sum()) if not manual.empty else None


def locked_caption(official: OfficialForecast, statistical_point: float) -> str:
    """Under Prognos's figures, when a locked version is the period's forecast: which one, and the
    statistical figure beside it; empty when no version is locked."""
    if not official.locked:
        return ""
    return (f"Helårsprognosen är {lower_first(official.label)}; den statistiska prognosen med "
            f"dagens data är {format_tkr(statistical_point)}. {official.correction_sentence}").rstrip()


def manual_caption(label: str, present: bool) -> str:
    """Which of the verksamheternas forecasts the page sets beside the statistical one, in a sentence."""
    if not present:
        return "Verksamheterna har inte lämnat någon prognos för året ännu."
    return f"Bredvid visas {lower_first(label)} (den senast inlästa)."


def outside_count(frame: pd.DataFrame) -> int:
    """How many verksamheter's own forecasts lie outside P10–P90 in ``forecast_table`` (its total row not
    counted)."""
    return int(frame["outside"].iloc[:-1].sum())


def outside_sentence(count: int) -> str:
    """Under the table of ``forecast_lines_table``: how many verksamheter's own forecasts lie outside
    P10–P90 (its shaded rows), and what to do about it."""
    if count == 1:
        return ("En verksamhets egen prognos (den skuggade raden) ligger utanför det statistiska intervallet "
                "P10–P90. Be verksamheten kommentera sin prognos.")
    return (f"{format_number(count)} verksamheters egna prognoser (de skuggade raderna) ligger utanför det "
            "statistiska intervallet P10–P90. Be verksamheterna kommentera sina prognoser.")


def forecast_lines_table(frame: pd.DataFrame, locked_label: str = "") -> Table:
    """``forecast_table`` described once, for the page, the PDF and the workbook; with a locked version's
    column when the frame has one, named in the table's note (``locked_label``)."""
    locked = (Column("locked", "Låst version", "tkr", 11),
              Column("locked_variance", "Låst mot budget", "tkr_change", 11)) if "locked" in frame else ()
    # What answers "who drives the year-end" first, the figure and its avvikelse: at 1280 px the avvikelse stood
    # beyond the window's edge behind P10 and P90 (2026-12-07 socialdirektör walk). The verksamheternas own
    # forecast then stands beside the P10–P90 and the Kontroll that compare it with them.
    columns = (
        Column("activity", "Verksamhet", width=30), Column("budget", "Budget helår", "tkr", 11), *locked,
        Column("point", "Statistisk prognos", "tkr", 11), Column("variance", "Statistisk mot budget", "tkr_change", 12),
        # Without a verksamheternas prognos imported the column is left out, as in the driftredovisning: a column
        # of "–" beside the statistical forecast named a forecast nobody had made.
        *((Column("manual", "Verksamheternas prognos", "tkr", 13),)
          if "manual" in frame and frame["manual"].notna().any() else ()),
        Column("p10", "P10", "tkr", 10), Column("p90", "P90", "tkr", 10),
        # What a shaded row means before how a row was forecast: at 1 600 px the page showed no Kontroll column.
        Column("check", "Kontroll", width=26), Column("prob_within", "Sannolikhet inom ±5 %", "probability", 12),
        Column("method", "Statistisk metod", width=30))
    records = frame.to_dict("records")
    rows = tuple({c.key: record.get(c.key) for c in columns} | {"check": _check(record)} for record in records)
    emphasis = tuple("total" if number == len(records) - 1 else "warning" if record["outside"] else ""
                     for number, record in enumerate(records))
    note = (f"Helårsprognosen är {lower_first(locked_label)} (kolumnerna Låst version och Låst mot budget); P10, "
            "P90, Statistisk mot budget och sannolikheten gäller den statistiska prognosen.") if locked else ""
    # A reader who adds up the column gets another figure than the total's P10 and P90 (2026-12-05 walk): said where
    # the table stands, in the papers and the workbook too.
    if len(records) > 1 and not records[-1].get("short"):  # said of a P10 and P90 the total row shows
        note = (note + " " if note else "") + ("Nämndens P10 och P90 är inte summan av raderna: de är nämndens egna, "
                                               "ur verksamheternas utfall summerade år för år (alla verksamheter "
                                               "hamnar inte vid sin P10 samma år).")
    # A "–" for the probability is explained where it stands, also on a row whose Kontroll says something else.
    if any(not states_within(r["p10"], r["p90"]) for r in records[:-1]):
        note = (note + " " if note else "") + ("Sannolikhet inom ±5\u00a0% står som – där verksamhetens intervall "
                                               "rymmer resultat på båda sidor om noll: där är ±5\u00a0% några tkr.")
    return Table("Helårsprognos per verksamhet, tkr", columns, rows, emphasis, note=note)


def _check(record: dict) -> str:
    if record["outside"]:
        # Whose figure is outside what (2026-12-06 walk: the papers' "utanför P10–P90" said neither).
        return "egen prognos utanför\u00a0P10–P90"
    if record.get("short"):
        return "kort historik: inget intervall"
    return "" if states_within(record["p10"], record["p90"]) else "kring noll: ±5 % anges inte"


def range_text(p10: float, p90: float) -> str:
    """The P10–P90 interval in words; net costs (negative results) are spoken of as positive costs."""
    if p90 <= 0:
        return f"med 80\u00a0% sannolikhet blir nettokostnaden {format_range_mnkr(-p90, -p10)}"
    return f"med 80\u00a0% sannolikhet blir resultatet {format_range_mnkr(p10, p90)}"


# Over the dashed ±5 % line of the 5 % rule's chart, on the slide and in the papers.
RULE_LINE_CAPTION = "Nämndens gräns ±5 % · plus: bättre än prognosen"


def fan_rule_label(locked: bool) -> str:
    """The legend of the ±5 % bracket on the net cost chart: around the figure the 5 % rule judges."""
    return "±5 % kring låst version" if locked else "±5 % kring den statistiska"


def fan_caption(locked: bool, banded: bool = True) -> str:
    """Under Prognos's net cost chart: what each mark is, the ±5 % around the period's forecast (2026-12-06
    walk: with a locked version it stood around the statistical one, which the rule does not judge); the band
    only where the chart draws one (``banded``, not ``untested``)."""
    around = "den låsta versionens helårsprognos, den som regeln om 5 % bedömer" if locked else \
        "den statistiska prognosen"
    band = "Det skuggade bandet visar P10–P90 av de simulerade utfallen; det" if banded else "Det"
    return ("Nettokostnaden ackumulerad: utfall mörka staplar, budget med kontur, den statistiska prognosen randig. "
            f"{band} blå strecket med ändar i december visar ±5 % kring {around}, och romben verksamheternas egen "
            "prognos.")


def interval_legend(locked: bool) -> str:
    """The P10–P90 band's name in a chart's legend, in words a nämnd reads (2026-12-06 walk: "P10–P90, statistisk"
    on slide 1 was jargon): the statistical forecast's when a locked version is the forecast drawn beside it."""
    return "Statistiskt intervall (8 av 10)" if locked else "Sannolikt intervall (8 av 10)"


def interval_label(p10: float, p90: float, budget: float | None = None) -> str:
    """The P10–P90 interval for a metric.

    With a budget, as the result against it (positive = surplus), the sign the screen's other
    figures use: "−1,9 till +15,1 mnkr". Without one, as net cost when the whole interval is one.
    """
    if not (np.isfinite(p10) and np.isfinite(p90)):  # left unsaid (``as_stated``)
        return EMPTY
    if budget is not None and np.isfinite(budget):
        low, high = sorted((p10 - budget, p90 - budget))
        return (f"{format_mnkr_number(low, 1, plus=True)} till "
                f"{format_mnkr_number(high, 1, plus=True)}{NBSP}mnkr")
    return format_range_mnkr(-p90, -p10) if p90 <= 0 else format_range_mnkr(p10, p90)


def target_band(point: float) -> str:
    """The nämnd's ±5 % of a forecast's net cost, in mnkr: "±18,4 mnkr"."""
    return f"±{format_mnkr(abs(point) * TARGET)}"


def within_target_help(board) -> str:
    """What "Sannolikhet inom ±5 %" is a probability of, with the band in kronor."""
    return (f"Sannolikheten att decemberutfallets nettokostnad landar inom ±5\u00a0% av prognosen "
            f"({target_band(board.point)}), nämndens krav på prognosen efter augusti. Den gäller "
            "nettokostnaden, inte resultatet mot budget.")


def judged_sentence(board, spoken_name: str, forecast_kr: float) -> str:
    """After delår 2, the forecast the 5 % rule judges beside the period's: 'Regeln om 5 % bedömer delår 2-prognosen,
    ett överskott om 4,8 mnkr (låst version "Delårsrapport 2 2025"): nettokostnaden landar inom ±5 % av den med
    över 99 % sannolikhet.' The chance is by today's statistical distribution; left out for a result stored without
    its simulated totals."""
    said = result_text(forecast_kr - board.budget, None) if board.budget is not None else net_text(forecast_kr)
    held = board.prob_within(forecast_kr)
    chance = "" if held is None else \
        f": nettokostnaden landar inom ±5\u00a0% av den med {format_probability(held)} sannolikhet"
    return f"Regeln om 5\u00a0% bedömer delår 2-prognosen, {said} ({spoken_name}){chance}."


def managers_judged_sentence(board, managers: float, diamond: bool = True) -> str | None:
    """At delår 2 with no version locked, the figure the 5 % rule judges is the verksamheternas prognos (the charts'
    diamond): 'Utan en låst version bedömer regeln om 5 % verksamheternas egen prognos (romben), ett överskott om
    7,2 mnkr: nettokostnaden landar inom ±5 % av den (nämndens krav, ±18,3 mnkr) med över 99 % sannolikhet.' One
    sentence for Prognos and the meeting's first slide (2026-12-07 walks: Prognos put "nämndens krav" on the
    statistical forecast's band while the slide put it on the verksamheternas); ``diamond`` where a chart beside the
    sentence draws it. None for a result stored without its simulated totals."""
    held = board.prob_within(managers)
    if held is None or board.budget is None:
        return None
    named = " (romben)" if diamond else ""
    return (f"Utan en låst version bedömer regeln om 5\u00a0% verksamheternas egen prognos{named}, "
            f"{result_text(managers - board.budget, None)}: nettokostnaden landar inom ±5\u00a0% av den "
            f"(nämndens krav, {target_band(managers)}) med {format_probability(held)} sannolikhet.")


def judged_version(versions: pd.DataFrame, year: int, month: int,
                   official: OfficialForecast | None) -> tuple[str, float] | None:
    """The locked delår 2 version of ``year`` that the 5 % rule judges (``judged_by_rule``), as (name, year-end),
    when the period is after delår 2 and its forecast is another; None otherwise."""
    if month <= DELAR_2 or versions.empty:
        return None
    found = judged_by_rule(versions).get(int(year))
    if found is None or (official is not None and official.locked and official.version_id == found):
        return None
    row = versions[versions["id"] == found].iloc[0]
    return str(row["name"]), float(row["point_kr"])


def headline(board, manual_total: float | None, official: OfficialForecast | None = None,
             judged: tuple[str, float] | None = None, managers_judged: bool = False) -> str:
    """The forecast's message in plain Swedish (with the locked version first, when there is one), and after delår 2
    the version the 5 % rule judges (``judged_version``), as slide 1 says it (2026-12-07 revisor walk: in September
    the slide named the locked delår 2 version and Prognos did not). ``managers_judged`` (``goals.judges_managers``):
    the rule judges the verksamheternas prognos ``manual_total``, and "nämndens krav" stands by its band."""
    parts = []
    locked = official is not None and official.locked
    if locked:
        which = official.name[:1].lower() + official.name[1:] if official.name else "den låsta versionen"
        parts.append(f"Helårsprognosen är {which}, {net_text(official.point)}"
                     + (f": {result_text(official.point - board.budget, board.budget)}."
                        if board.budget is not None else "."))
    # Once the locked version is the statistical forecast of these same data, its figure is not said twice.
    same = locked and round(official.point / 1e5) == round(board.point / 1e5)
    if same:
        parts.append("Den statistiska prognosen på dagens data är densamma")
    elif board.budget is not None:
        parts.append(f"Den statistiska prognosen pekar på {result_text(board.point - board.budget, board.budget)}")
    else:
        parts.append(f"Den statistiska prognosen för helåret är {net_text(board.point)}")
    board = as_stated(board)
    said = board.prob_within_target is not None
    # With a budget the interval is the result against it, in the sign of the screen's other figures.
    if not said:
        parts[-1] += "."
        parts.append(untested_sentence(board))
    else:
        parts[-1] += (f" (med 80\u00a0% sannolikhet {interval_label(board.p10, board.p90, board.budget)} mot budget)."
                      if board.budget is not None else f" ({range_text(board.p10, board.p90)}).")
    # The board's rule, on the net cost: not the result against budget beside it (a politician read "inom ±5 %"
    # of a surplus of a few mnkr as near certainty about the surplus).
    # "Nämndens krav" stands by the band the rule judges: beside a locked version it stood by the statistical
    # forecast's (third 2026-12-07 walk).
    theirs = manual_total is not None and np.isfinite(manual_total)
    by_managers = managers_judged_sentence(board, manual_total, diamond=False) \
        if managers_judged and theirs and not locked else None
    other = (locked and not same) or by_managers is not None
    held = board.prob_within(official.point) if locked and not same else None
    # One ±5 % band in the paragraph, the one the rule judges, as on slide 1: the statistical forecast's beside
    # the judged figure's gave two bands a hundred thousand kronor apart (2026-12-07 install walk: "±18,4 mnkr" and
    # "±18,3 mnkr" in one paragraph). The statistical one is said where no other figure's chance is.
    if said and by_managers is None and held is None:
        parts.append(f"Sannolikheten att decemberutfallets nettokostnad landar inom ±5\u00a0% av "
                     f"{'den statistiska prognosen' if other else 'prognosen'} ({'' if other else 'nämndens krav, '}"
                     f"{target_band(board.point)}) är {format_probability(board.prob_within_target)}.")
    if by_managers is not None:
        parts.append(by_managers)
    if held is not None:  # the locked figure's own chance, by the same distribution (2026-12-06 walk)
        parts.append(f"Sannolikheten att nettokostnaden landar inom ±5\u00a0% av den låsta helårsprognosen "
                     f"(nämndens krav, {target_band(official.point)}) är {format_probability(held)}.")
    if theirs:
        # The gap between the two figures as written, so that the reader's subtraction gives it (third 2026-12-07
        # walk: "7,5 mnkr bättre" between 2,9 and 10,5 mnkr).
        base = board.budget if board.budget is not None else 0.0
        gap = as_written_mnkr(manual_total - base) - as_written_mnkr(board.point - base)
        # Without a stated interval, nothing is said of being in it.
        position = ("inom" if board.p10 <= manual_total <= board.p90 else "utanför") if said else ""
        within = f" och {position} dess intervall" if said else ""
        if locked and abs(official.point - manual_total) < 1000:  # the locked figure is theirs: not a third one
            parts.append(f"Den låsta versionen är verksamheternas egen prognos, {format_mnkr(abs(gap))} "
                         f"{'bättre' if gap > 0 else 'sämre'} än den statistiska{within}.")
        elif by_managers is not None:  # their figure is said just before
            parts.append(f"Den är {format_mnkr(abs(gap))} {'bättre' if gap > 0 else 'sämre'} än den statistiska"
                         f"{within}.")
        else:
            parts.append(f"Verksamheternas egen prognos ger ett {format_mnkr(abs(gap))} "
                         f"{'bättre' if gap > 0 else 'sämre'} resultat än den statistiska"
                         + (f", {position} dess intervall." if said else "."))
    if judged is not None:
        parts.append(judged_sentence(board, lower_first(locked_version_name(judged[0])), judged[1]))
    return " ".join(parts)


CHANGE_STEPS = ("Nya utfall", "Rättade utfall", "Omprövad prognos")


def _step(was_actual: pd.Series, is_actual: pd.Series) -> np.ndarray:
    was = was_actual.fillna(0).astype(int) == 1
    now = is_actual.fillna(0).astype(int) == 1
    return np.where(now & ~was, CHANGE_STEPS[0], np.where(now & was, CHANGE_STEPS[1], CHANGE_STEPS[2]))


def change_bridge(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Why the forecast changed since a saved version, per verksamhet, to the krona.

    Both frames hold activity, month, is_actual, amount_kr for one year. For months that were
    forecast then and are booked now the step is *nya utfall* (utfall − then forecast); for months
    still open it is *omprövad prognos* (forecast now − forecast then); months booked in both give
    *rättade utfall*. The steps add up to current total − previous total.
    """
    keys = ["activity", "month"]
    merged = previous.merge(current, on=keys, how="outer", suffixes=("_prev", "_cur"))
    merged[["amount_kr_prev", "amount_kr_cur"]] = merged[["amount_kr_prev", "amount_kr_cur"]].fillna(0)
    merged["delta"] = merged["amount_kr_cur"] - merged["amount_kr_prev"]
    merged["step"] = _step(merged["is_actual_prev"], merged["is_actual_cur"])
    table = merged.pivot_table(index="activity", columns="step", values="delta", aggfunc="sum", fill_value=0)
    for step in CHANGE_STEPS:
        if step not in table.columns:
            table[step] = 0
    table = table[list(CHANGE_STEPS)]
    table["Förändring"] = table.sum(axis=1)
    return table.reset_index()


def placement_months(forecasts: dict, volumes: pd.DataFrame, year: int, cutoff_month: int) -> pd.DataFrame:
    """The placements' year at a cut-off: booked months as booked, the rest as the statistical forecast.

    ``forecasts``: category → ``CategoryForecast`` (care days and cost, positive); ``volumes``: year,
    month, category, care_days, cost_kr. Returns category, month, is_actual, care_days, cost_kr.
    """
    booked = volumes[(volumes["year"] == year) & (volumes["month"] <= cutoff_month)]
    rows = [{"category": str(row.category), "month": int(row.month), "is_actual": 1,
             "care_days": float(row.care_days), "cost_kr": int(round(float(row.cost_kr)))}
            for row in booked.itertuples(index=False)]
    for category, forecast in forecasts.items():
        days, cost = forecast.days.monthly, forecast.cost.monthly
        for period, care_days, cost_kr in zip(days["period"], days["mean"], cost["mean"]):
            if period.year == year:
                rows.append({"category": str(category), "month": int(period.month), "is_actual": 0,
                             "care_days": max(float(care_days), 0.0), "cost_kr": int(round(float(cost_kr)))})
    return pd.DataFrame(rows, columns=["category", "month", "is_actual", "care_days", "cost_kr"])


@dataclass(frozen=True)
class PlacementChange:
    """How the placements' year changed between two forecasts (costs positive)."""

    by_step: dict[str, int]  # change in cost per bridge step (months newly booked, corrected, still open)
    decomposition: Decomposition  # the year's change split into volume, mix and price per group
    unsplit: int  # cost with no care days on one side, which has no volume or price
    units: tuple[tuple[str, str], ...] = ()  # (category, "dygn" or "dagar"): days of two units are never added

    @property
    def unchanged(self) -> bool:
        """No category's days or cost moved: the same placements on both sides (no volumes read since)."""
        return not any(self.by_step.values()) and not self.unsplit and \
            bool((self.decomposition.groups["total"].abs() < 0.5).all())


def placement_change(previous: pd.DataFrame, current: pd.DataFrame, groups: dict[str, str],
                     units: dict[str, str] | None = None) -> PlacementChange:
    """Compare the placements' year (``placement_months``) saved with a version against today's; ``groups``
    and ``units`` give each category's client group and unit (a group is split by unit, as on Placeringar)."""
    merged = previous.merge(current, on=["category", "month"], how="outer", suffixes=("_prev", "_cur"))
    for column in ("care_days", "cost_kr"):
        merged[[f"{column}_prev", f"{column}_cur"]] = merged[[f"{column}_prev", f"{column}_cur"]].fillna(0)
    merged["step"] = _step(merged["is_actual_prev"], merged["is_actual_cur"])
    merged["delta"] = merged["cost_kr_cur"] - merged["cost_kr_prev"]
    by_step = {step: int(merged.loc[merged["step"] == step, "delta"].sum()) for step in CHANGE_STEPS}
    year = merged.groupby("category", sort=True)[["care_days_prev", "cost_kr_prev", "care_days_cur",
                                                   "cost_kr_cur"]].sum()
    frame = pd.DataFrame({
        "category": year.index, "group": [groups.get(c) or "övriga" for c in year.index],
        "unit": [(units or {}).get(c) or "dygn" for c in year.index],
        "days_a": year["care_days_prev"].to_numpy(), "days_b": year["care_days_cur"].to_numpy(),
        # A side without days gets no price here; decompose gives it the other side's.
        "price_a": (year["cost_kr_prev"] / year["care_days_prev"].where(year["care_days_prev"] > 0)).to_numpy(),
        "price_b": (year["cost_kr_cur"] / year["care_days_cur"].where(year["care_days_cur"] > 0)).to_numpy(),
    })
    decomposition = decompose(frame)
    unsplit = int(sum(by_step.values()) - round(float(decomposition.groups["total"].sum())))
    units_of = tuple((str(c), (units or {}).get(c) or "dygn") for c in year.index)
    return PlacementChange(by_step, decomposition, unsplit, units_of)


# The step of the months still open, by the saved version's basis (``version_basis``): a version of the
# verksamheternas own forecast compared with the statistical forecast now changed its basis, not its model.
OPEN_STEP = {"Statistisk prognos": ("Omprövad prognos", "Omprövad modell"),
             "Verksamheternas prognos": ("Statistisk i stället för verksamheternas",) * 2,
             "Statistisk och verksamheternas": ("Omprövad prognos och byte av grund",) * 2}


def open_step(basis: str, placements: bool = False) -> str:
    """The name of the open months' step for a version of ``basis``, with or without the placements apart."""
    return OPEN_STEP.get(basis, OPEN_STEP["Statistisk prognos"])[1 if placements else 0]


def basis_caption(basis: str) -> str:
    """What the open months' step means when the version is not the statistical forecast; empty when it is."""
    if basis == "Statistisk prognos":
        return ""
    whose = "verksamheternas egen prognos" if basis == "Verksamheternas prognos" else \
        "verksamheternas egen prognos för en del verksamheter"
    return (f"Versionen bygger på {whose}, och den jämförs med den statistiska prognosen nu: för månader som "
            f"fortfarande är öppna är steget skillnaden mellan de två bedömningarna, inte en ny skattning av "
            f"modellen.")


def placements_apart(placements: PlacementChange | None) -> PlacementChange | None:
    """The placements' change to show apart in the bridge: none when absent or when nothing moved (2026-12-07 walk:
    September against August, with no volumes read since, captioned a volume, mix and price the chart did not
    have, over a table of zeros)."""
    return None if placements is None or placements.unchanged else placements


def bridge_caption(placements: bool, basis: str = "Statistisk prognos", kept: bool = False, *,
                   volumes: bool = True, version: bool = True) -> str:
    """What each step of ``change_steps`` is, with the placements apart or not, for a version of ``basis``;
    ``kept``: the comparison holds the placements, which have not changed since; ``volumes``: any placements are
    read at all; ``version``: the comparison is a saved version, not last month's forecast (2026-12-07 first-import
    walk: "Versionen sparades utan placeringar" with no version saved and no placements read)."""
    same_basis = not basis_caption(basis)
    if placements:
        return ("Placeringarna visas för sig: volym = ändrat antal dygn till genomsnittligt à-pris, mix = "
                "förskjutning mellan kategorierna, à-pris = ändrat pris per dygn (mittpunktsmetoden). "
                "Nya utfall, övrigt: månader som var prognos då och är bokförda nu, utom placeringarna. "
                "Rättade utfall, övrigt: ändrade bokningar i redan stängda månader. "
                + ("Omprövad modell: ny skattning av månader som fortfarande är öppna. " if same_basis else "")
                + "Stegen summerar exakt till förändringen; plus är ett bättre resultat.")
    return ("Nya utfall: månader som var prognos då och är bokförda nu (utfall − dåvarande prognos). "
            "Rättade utfall: ändrade bokningar i redan stängda månader. "
            + ("Omprövad prognos: ny bedömning av månader som fortfarande är öppna (ny skattning av modellen eller "
               "byte av metod). " if same_basis else "")
            + "Stegen summerar exakt till förändringen; plus är ett bättre resultat. "
            + ("Placeringarnas dygn och kostnader är desamma som i jämförelsen (inga nya volymer är inlästa sedan "
               "dess), så volym, mix och à-pris har inget att visa." if kept else
               "" if not volumes else
               "Versionen sparades utan placeringar, så volym och à-pris kan inte visas för sig." if version else
               "Prognosen månaden före har inga placeringar att jämföra med, så volym och à-pris kan inte visas för "
               "sig.")).strip()


# A placements' step in the change's bridge begins so: "Placeringar barn och unga, dygn: à-pris".
PLACEMENT_STEP = "Placeringar "

# The choice "the statistical forecast a month earlier" among the saved versions to compare with (ids start at 1).
LAST_MONTH = 0


def month_before(month: int) -> int:
    return month - 1


def last_month_label(month: int) -> str:
    """The previous month's statistical forecast, as the bridge's first bar names it: "Statistisk prognos efter juli"."""
    return f"Statistisk prognos efter {MONTH_NAMES[month_before(month) - 1]}"


def _last_month_said(month: int) -> str:
    return "den statistiska prognosen" + last_month_label(month).removeprefix("Statistisk prognos")


def change_choices(same_year: pd.DataFrame, month: int) -> dict[int, str]:
    """What Varför ändrades prognosen can compare the period's forecast with, the first one chosen: the versions of
    the year saved for an earlier month (the newest first), then the statistical forecast a month before, made again
    on today's bookings (``LAST_MONTH``), then the versions saved for this month. Without a saved version
    the tab still answers what changed since last month (2026-12-07 socialdirektör walk: it said only that there
    was no version to compare with)."""
    earlier = same_year[same_year["cutoff_month"] < month] if not same_year.empty else same_year
    # The versions of this month, never of a later one: June's link offered August's version once it was locked,
    # comparing June with a forecast made two months after it (third 2026-12-07 walk).
    this_month = same_year[same_year["cutoff_month"] == month] if not same_year.empty else same_year
    choices = {int(i): str(name) for i, name in zip(earlier["id"][::-1], earlier["name"][::-1])}
    if month > 1:
        choices[LAST_MONTH] = f"{last_month_label(month)} (på dagens bokningar)"
    choices.update({int(i): str(name) for i, name in zip(this_month["id"][::-1], this_month["name"][::-1])})
    return choices


def compared_label(chosen: int, name: str, month: int) -> str:
    """The chosen comparison as the bridge's first bar names it: a version by its name."""
    return last_month_label(month) if chosen == LAST_MONTH else name


def compared_said(chosen: int, name: str, month: int) -> str:
    """The chosen comparison inside a sentence: "den statistiska prognosen efter juli", 'versionen "Delår 2 2025"'."""
    return _last_month_said(month) if chosen == LAST_MONTH else f'versionen "{name}"'


def same_month(same_year: pd.DataFrame, chosen: int, month: int) -> bool:
    """Whether the chosen comparison is a version saved for the period's own month: then nothing has happened
    since it, and the bridge shows how the statistical forecast differs from it (``change_sentence``)."""
    if chosen == LAST_MONTH or same_year.empty:
        return False
    row = same_year[same_year["id"] == chosen]
    return bool(len(row)) and int(row["cutoff_month"].iloc[0]) == month


def change_sentence(then_said: str, then_total: float, now_total: float, budget: float | None,
                    steps: list[tuple[str, float]], *, same: bool = False) -> str:
    """The bridge in one sentence: how much the statistical forecast moved since ``then_said`` (``compared_said``),
    from what to what, and its two largest steps as the chart draws them (2026-12-07 socialdirektör walk: the
    change's total stood only in the caption's small type).

    The bridge ends in the statistical forecast, which is named: beside a locked version as the helårsprognos,
    "Helårsprognosen har ändrats … till 4,8 mnkr" contradicted the key figure of 7,2 mnkr above it (third
    2026-12-07 walk). A placements' step named among the largest is followed by the placements' sum: à-pris +2,3
    and volym −1,2 named alone hid that together they came to −0,1 mnkr, and the placements said as one step
    named a figure no bar showed.

    ``same``: ``then_said`` is a version saved for the same month (``same_month``), and the sentence says how the
    statistical forecast differs from it, not that anything changed since (third 2026-12-07 walk: "har ändrats med
    −2,4 mnkr sedan versionen 'Delårsrapport 2 2025'", a version locked that day of the verksamheternas prognos)."""
    change = now_total - then_total
    then_text, now_text = ((net_text(then_total), net_text(now_total)) if budget is None else
                           (result_text(then_total - budget, None), result_text(now_total - budget, None)))
    unchanged = level_in_mnkr(change)
    if same:
        opening = (f"Den statistiska prognosen ligger i nivå med {then_said}, som är sparad för samma månad:"
                   if unchanged else f"Den statistiska prognosen skiljer sig med {format_mnkr(change, plus=True)} "
                                     f"från {then_said}, som är sparad för samma månad:")
        span = f"{now_text} mot {then_text}"
    else:
        opening = (f"Den statistiska prognosen är i stort sett oförändrad sedan {then_said}:" if unchanged else
                   f"Den statistiska prognosen har ändrats med {format_mnkr(change, plus=True)} sedan {then_said},")
        span = f"från {then_text} till {now_text}"
    if unchanged:
        return f"{opening} {span}."
    largest = sorted((s for s in steps if not level_in_mnkr(s[1])), key=lambda s: -abs(s[1]))[:2]
    largest = [s for s in largest if abs(s[1]) >= 0.2 * abs(largest[0][1])]
    said = " och ".join(f"{lower_first(name)} {format_mnkr(value, plus=True)}" for name, value in largest)
    placed = [value for name, value in steps if name.startswith(PLACEMENT_STEP)]
    if len(placed) > 1 and any(name.startswith(PLACEMENT_STEP) for name, _ in largest):
        said += f"; placeringarna sammanlagt {format_mnkr(sum(placed), plus=True)}"
    return f"{opening} {span}" + (f". Störst: {said}" if said else "") + "."


def versions_of_year(versions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The saved versions of one year, oldest first (as ``versions`` holds them)."""
    return versions[versions["year"] == year] if not versions.empty else versions


def version_total(months: pd.DataFrame) -> float:
    """A saved version's year-end: the sum of its months (``version_months``), in kronor."""
    return float(months["amount_kr"].sum())


def change_steps(bridge: pd.DataFrame, placements: PlacementChange | None = None,
                 basis: str = "Statistisk prognos") -> list[tuple[str, float]]:
    """The nämnd's bridge from a saved version to now, in report sign, adding up to the krona.

    Without placements: nya utfall, rättade utfall, omprövad prognos. With them, the placements'
    change is taken out of those three and shown as volume, mix and price per group instead; the
    three then hold everything else, and omprövad prognos is the model's new estimate. The open
    months' step is named for the version's ``basis`` (``open_step``).
    """
    totals = {step: int(round(float(bridge[step].sum()))) for step in CHANGE_STEPS}
    if placements is None:
        return [(open_step(basis) if step == CHANGE_STEPS[2] else step, float(totals[step])) for step in CHANGE_STEPS]
    labels = {"Nya utfall": "Nya utfall, övrigt", "Rättade utfall": "Rättade utfall, övrigt",
              "Omprövad prognos": open_step(basis, placements=True)}
    steps = [(labels[step], float(totals[step] + placements.by_step[step])) for step in CHANGE_STEPS]
    effects = {"volume": "volym", "mix": "mix", "price": "à-pris"}
    steps += [(f"{PLACEMENT_STEP}{name}: {effects[effect]}", value)
              for name, effect, value in group_effects(placements.decomposition.favourable)]
    if placements.unsplit:
        steps.append((f"{PLACEMENT_STEP}utan dygn", -float(placements.unsplit)))
    return steps


def placement_change_table(placements: PlacementChange) -> pd.DataFrame:
    """Per category: care days and price then and now, and the effects in report sign."""
    data = placements.decomposition.favourable.categories
    return pd.DataFrame({
        "category": data["category"], "days_a": data["days_a"], "days_b": data["days_b"],
        "price_a": np.where(data["days_a"] > 0, data["price_a"], np.nan),
        "price_b": np.where(data["days_b"] > 0, data["price_b"], np.nan),
        "volume": data["volume"] + data["mix"], "price": data["price"], "total": data["total"],
    })


def track_record(backtests: dict[str, pd.DataFrame], cutoff_month: int) -> pd.DataFrame:
    """The nämnd's forecast at ``cutoff_month`` per past year against the December outcome.

    Sums each verksamhet's backtest (statistical = the automatic choice at the time; manual =
    the managers' own forecast where every verksamhet had one) and judges each against the
    5 % rule: |prognos − utfall| / |utfall| ≤ 5 %. ``deviation`` is the outcome against the forecast,
    (utfall − prognos) / |utfall| on the signed net result: plus is better than forecast (``DEVIATION_SIGN``).
    """
    frames = []
    for activity, frame in backtests.items():
        if frame.empty:
            continue
        part = frame[frame["cutoff_month"] == cutoff_month].copy()
        part["kind"] = np.where(part["method"].str.startswith("auto"), "statistisk",
                                np.where(part["method"] == MANAGERS_METHOD, "verksamheternas", "annan"))
        part = part[part["kind"] != "annan"]
        part["activity"] = activity
        frames.append(part)
    if not frames:
        return pd.DataFrame(columns=["year", "kind", "forecast", "actual", "deviation", "within_target"])
    data = pd.concat(frames)
    rows = []
    for (year, kind), group in data.groupby(["year", "kind"]):
        actual_total = float(data[(data["year"] == year) & (data["kind"] == "statistisk")]["actual"].sum())
        expected = set(data[(data["year"] == year) & (data["kind"] == "statistisk")]["activity"])
        if kind == "verksamheternas" and set(group["activity"]) != expected:
            continue
        forecast = float(group["forecast"].sum())
        deviation = outcome_against_forecast(forecast, actual_total) if actual_total else float("nan")
        rows.append({"year": int(year), "kind": kind, "forecast": forecast, "actual": actual_total,
                     "deviation": deviation, "within_target": bool(abs(deviation) <= TARGET)})
    return pd.DataFrame(rows, columns=["year", "kind", "forecast", "actual", "deviation", "within_target"])


def basis_of(versions: pd.DataFrame, version_id: int) -> str:
    """``version_basis`` of one version of ``list_versions``."""
    row = versions[versions["id"] == version_id].iloc[0]
    return version_basis(int(row["managers_lines"]), int(row["lines"]))


def version_basis(managers_lines: int, lines: int) -> str:
    """Whose forecast a saved version holds, from how many of its lines are the verksamheternas own."""
    if lines and managers_lines == lines:
        return "Verksamheternas prognos"
    return "Statistisk prognos" if not managers_lines else "Statistisk och verksamheternas"


def _with_basis(versions: pd.DataFrame) -> pd.DataFrame:
    """``list_versions`` with each version's ``version_basis`` as a column "basis"."""
    return versions.assign(basis=[version_basis(managers, lines) for managers, lines
                                  in zip(versions["managers_lines"], versions["lines"])])


def versions_against_outcome(versions: pd.DataFrame, outcomes: dict[int, float]) -> pd.DataFrame:
    """Each saved version's nämnd total against the year's final outcome, where known: ``deviation`` is the outcome
    against the version, (utfall − prognos) / |utfall| on the signed net result (``DEVIATION_SIGN``)."""
    frame = versions.copy()
    frame["outcome_kr"] = frame["year"].map(outcomes)
    frame["deviation"] = outcome_against_forecast(frame["point_kr"], frame["outcome_kr"])
    frame["within_target"] = frame["deviation"].abs() <= TARGET
    return frame


def cumulative_year(ledger: pd.DataFrame, year: int, through_month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative utfall (closed months) and budget (all months) of ``year``, report sign."""
    frame = ledger[ledger["year"] == year]
    monthly = frame.groupby("month")[["actual_kr", "budget_kr"]].sum(min_count=1).reindex(range(1, 13))
    budget = pd.DataFrame({"label": list(MONTH_ABBREVIATIONS),
                           "cumulative": (-monthly["budget_kr"]).cumsum().to_numpy()})
    actual = pd.DataFrame({"label": list(MONTH_ABBREVIATIONS[:through_month]),
                           "cumulative": (-monthly["actual_kr"].iloc[:through_month]).cumsum().to_numpy()})
    return actual, budget


def version_course(months: pd.DataFrame) -> pd.DataFrame:
    """A saved version's net cost accumulated month by month: label and cumulative (report sign), from its
    months (``version_months``: activity, month, is_actual, amount_kr)."""
    monthly = months.groupby("month")["amount_kr"].sum().reindex(range(1, 13), fill_value=0).cumsum()
    return pd.DataFrame({"label": [MONTH_ABBREVIATIONS[m - 1] for m in monthly.index],
                         "cumulative": monthly.to_numpy(dtype=float)})


MANAGERS_DEFAULT = "Verksamheternas prognos"


def managers_name(label: str) -> str:
    """The verksamheternas forecast named with its month ("Verksamheternas prognos aug 2025", ``manual_at``'s label)
    where there is one: after an import it may be a month older than the utfall beside it (2026-12-07 walk)."""
    return label if label.startswith(MANAGERS_DEFAULT) else MANAGERS_DEFAULT


def result_path(actual: pd.DataFrame, budget: pd.DataFrame, fan: pd.DataFrame,
                manual_total: float | None = None, locked: pd.DataFrame | None = None,
                manual_label: str = MANAGERS_DEFAULT) -> pd.DataFrame:
    """The result against budget, accumulated month by month, in report sign (positive = better than budget).

    ``actual`` and ``budget`` are ``cumulative_year``'s; ``fan`` holds the statistical forecast's cum_mean,
    cum_p10 and cum_p90 by label. Each month: actual = utfall − budget, mean, p10 and p90 = the forecast's −
    budget; the forecast starts at the last booked month, where its lines equal the utfall, so that they
    join. ``locked`` (``version_course``), when the period's forecast is a locked version, gives the column
    locked the same way, so that the chart draws the figure the sentence above it names; it starts from the
    version's own utfall at the cut-off, which a later correction leaves apart from today's. ``manual`` is the
    verksamheternas own year-end against the budget, in December; left out when the locked version is that
    same figure. ``manual_label`` names it with its month ("Verksamheternas prognos aug 2025"), in the column
    manual_name: in September's chart the diamond is August's forecast beside September's line.

    Drawn against zero (the budget), the year's result and its P10–P90 fill the chart; an accumulated net
    cost of some 370 mnkr beside its budget left a difference of a few mnkr, and its fan, as slivers.
    """
    frame = pd.DataFrame({"label": list(budget["label"]), "budget": budget["cumulative"].to_numpy(float)})

    def against_budget(labels, values) -> list[float]:
        known = dict(zip(labels, np.asarray(values, dtype=float)))
        return [known.get(label, np.nan) - level for label, level in zip(frame["label"], frame["budget"])]

    frame["actual"] = against_budget(actual["label"], actual["cumulative"])
    for source, column in (("cum_mean", "mean"), ("cum_p10", "p10"), ("cum_p90", "p90")):
        frame[column] = against_budget(fan["label"], fan[source])
    frame["locked"] = np.nan
    course = None if locked is None else np.asarray(against_budget(locked["label"], locked["cumulative"]))
    if course is not None and len(fan):
        ahead = frame["label"].isin(set(fan["label"]))
        frame.loc[ahead, "locked"] = course[ahead]
    if len(actual) and len(fan):
        last = frame.index[frame["label"] == actual["label"].iloc[-1]]
        today = float(frame.loc[last[0], "actual"])
        frame.loc[last, ["mean", "p10", "p90"]] = today
        if course is not None:
            # A locked version starts where it was made, from its own months: after a correction of those months
            # its line began at today's utfall and stepped by the correction into its own course, a step no
            # forecast holds (2026-12-05 walk). The gap at the cut-off is the correction, which the sentence names.
            own = course[last[0]]
            frame.loc[last, "locked"] = own if np.isfinite(own) else today
    frame["manual"] = np.nan
    if manual_total is not None and np.isfinite(manual_total) and len(frame):
        manual = manual_total - frame["budget"].iloc[-1]
        if not abs(frame["locked"].iloc[-1] - manual) < 1000:  # the locked version is not the same figure
            frame.loc[frame.index[-1], "manual"] = manual
    frame["manual_name"] = manual_label
    return frame.drop(columns="budget")


def result_path_caption(path: pd.DataFrame) -> str:
    """What ``result_path``'s chart draws, in words (the page's caption)."""
    # No band where the spread is untested (``as_stated``): the caption does not name one.
    band = " med sitt P10–P90 skuggat" if interval_known(path.loc[path["mean"].notna(), "p10"]) else ""
    if path["locked"].notna().any():
        lines = (f"den låsta versionen streckad, den statistiska prognosen prickad{band}"
                 + (", romben verksamheternas egen prognos" if path["manual"].notna().any() else ""))
    else:
        lines = f"prognos streckad{band.replace(' sitt', '')}, romben verksamheternas egen prognos"
    return (f"Resultatet mot budget månad för månad, ackumulerat (positivt = bättre än budget): utfall heldraget, "
            f"{lines}. Samma bild som nämndläget visar först.")


def current_months(board, actuals: dict[str, pd.Series]) -> pd.DataFrame:
    """The current forecast as activity, month, is_actual, amount_kr (for the change bridge)."""
    rows = []
    for line in version_lines(board, actuals):
        rows.extend({"activity": line.activity, "month": m, "is_actual": int(a), "amount_kr": v}
                    for m, a, v in line.months)
    return pd.DataFrame(rows, columns=["activity", "month", "is_actual", "amount_kr"])


# The outcome against a forecast is signed as every avvikelse in the product: plus is the favourable side.
DEVIATION_SIGN = ("Utfall mot prognos = (utfall − prognos) / |utfall| på nämndens nettoresultat i december: plus "
                  "betyder att resultatet blev bättre än prognosen (lägre nettokostnad), minus att det blev sämre, "
                  "som avvikelse mot budget på alla sidor.")


def record_sentence(record: pd.DataFrame, cutoff_month: int) -> str:
    name = {4: "Delår 1-prognosen", 8: "Delår 2-prognosen"}.get(cutoff_month,
                                                               f"Prognosen efter {MONTH_ABBREVIATIONS[cutoff_month - 1]}")
    parts = []
    for kind, label in (("statistisk", "den statistiska"), ("verksamheternas", "verksamheternas egen")):
        rows = record[record["kind"] == kind]
        if not rows.empty:
            parts.append(f"{label} {int(rows['within_target'].sum())} av {len(rows)} år")
    if not parts:
        return "Det finns ännu inga hela år att pröva prognosen mot."
    return f"{name} höll sig inom 5\u00a0% av decemberutfallet: " + ", ".join(parts) + "."


def track_record_table(record: pd.DataFrame) -> Table:
    """``track_record`` described once: each past year's forecast against December and the 5 % rule."""
    columns = (Column("year", "År", "identifier", 6), Column("kind", "Prognos", width=18),
               Column("forecast", "Prognos, tkr", "tkr"), Column("actual", "Utfall december, tkr", "tkr"),
               Column("deviation", "Utfall mot prognos", "change", 10), Column("within", "Inom 5 %", width=9))
    rows = tuple({"year": r["year"], "kind": r["kind"], "forecast": r["forecast"], "actual": r["actual"],
                  "deviation": r["deviation"], "within": "ja" if r["within_target"] else "nej"}
                 for r in record.to_dict("records"))
    emphasis = tuple("" if r["within_target"] else "warning" for r in record.to_dict("records"))
    return Table("Prognoserna tidigare år mot utfallet i december", columns, rows, emphasis)


def versions_known(saved: pd.DataFrame, year: int, month: int, cutoff_month: int) -> pd.DataFrame:
    """The saved versions (``list_versions``) made at ``cutoff_month`` for the chosen period's year or one before
    it, and not after the period (a link to apr 2023 listed delår 2 2024 and 2025 beside the track record)."""
    made = saved["year"] * 100 + saved["cutoff_month"]
    return saved[(saved["cutoff_month"] == cutoff_month) & (made <= year * 100 + month)]


def versions_outcome_table(judged: pd.DataFrame, cutoff_month: int) -> Table:
    """``versions_against_outcome`` described once: each saved version made at the cut-off against the final
    result."""
    columns = (Column("name", "Version", width=28), Column("basis", "Grund", width=24),
               Column("point_kr", "Prognos, tkr", "tkr"), Column("outcome_kr", "Utfall december, tkr", "tkr"),
               Column("deviation", "Utfall mot prognos", "change", 10))
    rows = tuple({c.key: r.get(c.key) for c in columns} for r in _with_basis(judged).to_dict("records"))
    return Table(f"Sparade versioner efter {MONTH_NAMES[cutoff_month - 1]} mot utfallet", columns, rows)


def change_table_caption(bridge: pd.DataFrame, basis: str = "Statistisk prognos") -> str:
    """Over the bridge's table when the chart above it shows the placements apart: the table's steps hold them,
    so its figures differ from the chart's steps of like names while both add up to the same change (2026-12-07
    controller walk: "Nya utfall, övrigt +21" in the chart, "Nya utfall +801" in the table, without a word)."""
    return ("Här ingår placeringarnas förändring i varje verksamhets steg; diagrammet ovan visar den för sig, som "
            "volym, mix och à-pris, och dess steg ”Nya utfall, övrigt” och ”" + open_step(basis, True)
            + "” är därför andra belopp än tabellens. Båda summerar till samma förändring, "
            f"{format_tkr(float(bridge['Förändring'].sum()), plus=True)}.")


def change_by_activity_table(bridge: pd.DataFrame, basis: str = "Statistisk prognos") -> Table:
    """``change_bridge`` described once: per verksamhet, the steps from the saved version to now, each a change
    written with its sign, as the bridge above it; the largest change first (the question is why)."""
    columns = (Column("activity", "Verksamhet", width=30),
               *(Column(step, open_step(basis) if step == CHANGE_STEPS[2] else step, "tkr_change")
                 for step in (*CHANGE_STEPS, "Förändring")))
    ordered = bridge.sort_values("Förändring", key=abs, ascending=False, kind="stable")
    rows = [{c.key: r.get(c.key) for c in columns} for r in ordered.to_dict("records")]
    rows.append({"activity": "Summa nämnden", **{c.key: float(bridge[c.key].sum()) for c in columns[1:]}})
    return Table("Förändring per verksamhet, tkr", columns, tuple(rows), ("",) * (len(rows) - 1) + ("total",))


def placement_change_rows_table(placements: PlacementChange) -> Table:
    """``placement_change_table`` described once: days and price then and now per category, the largest change
    first."""
    columns = (Column("category", "Kategori", width=30), Column("days_a", "Dygn då", "count", 10),
               Column("days_b", "Dygn nu", "count", 10), Column("price_a", "À-pris då, kr", "count", 12),
               Column("price_b", "À-pris nu, kr", "count", 12), Column("volume", "Volym, tkr", "tkr_change", 11),
               Column("price", "À-pris, tkr", "tkr_change", 11), Column("total", "Förändring, tkr", "tkr_change", 13))
    frame = placement_change_table(placements)
    ordered = frame.sort_values("total", key=abs, ascending=False, kind="stable")
    rows = [{c.key: r.get(c.key) for c in columns} for r in ordered.to_dict("records")]
    # Days and kronor add up; the categories' prices do not (a mix of prices is not a price): left blank. Dygn and
    # dagar are summed apart, the whole sum in kronor only (2026-12-07 walk: "Summa 56 918 → 57 449 dygn" held the
    # dagar of öppenvård and kontaktfamilj).
    unit = frame["category"].map(dict(placements.units)).fillna("dygn")
    money = ("volume", "price", "total")
    if unit.nunique() > 1:
        for name in sorted(unit.unique(), key=lambda u: (u != "dygn", u)):
            part = frame[unit == name]
            rows.append({"category": f"Summa, {name}", **{k: float(part[k].sum()) for k in ("days_a", "days_b",
                                                                                          *money)}})
        rows.append({"category": "Summa", **{k: float(frame[k].sum()) for k in money}})
    else:
        rows.append({"category": "Summa", **{k: float(frame[k].sum()) for k in ("days_a", "days_b", *money)}})
    emphasis = ("",) * len(ordered) + ("total",) * (len(rows) - len(ordered))
    # A category has no mix: its volume is its own change of days at its own price, and the column's sum is the
    # chart's volume and mix together (2026-12-07 socialdirektör walk: "Volym" named two amounts).
    note = ("Volym per kategori: ändrade dygn till kategorins eget à-pris. Mix finns bara mellan kategorier, så "
            "kolumnens summa är diagrammets volym och mix tillsammans.")
    return Table("Placeringarnas helår: dygn och à-pris då och nu", columns, tuple(rows), emphasis, note=note)


IN_FORCE, REPLACED, RULE = "helårsprognos", "ersatt", "regeln om 5\u00a0%"


def in_force(saved: pd.DataFrame) -> pd.Series:
    """The rule of ``OfficialForecast`` over saved versions: True for the latest saved of each cut-off, the
    period's helårsprognos; an earlier one of the same cut-off is replaced (it stays, unchanged)."""
    return saved["id"] == saved.groupby(["year", "cutoff_month"])["id"].transform("max")


def judged_by_rule(saved: pd.DataFrame) -> dict[int, int]:
    """Per year, the id of the locked version the 5 % rule judges (``goals.five_percent_history``): the latest
    saved per delår 2 within its own year; of versions all saved after the year ended (a closed year entered
    afterwards, as the sample's), the first. A version locked once the year is over never takes the place of
    another there, although it becomes the period's helårsprognos (``in_force``)."""
    if saved.empty:
        return {}
    found = {}
    for year, rows in saved[saved["cutoff_month"] == DELAR_2].sort_values("id").groupby("year"):
        in_year = rows[[local_time(at).year <= int(year) for at in rows["created_at"]]] \
            if "created_at" in rows else rows
        found[int(year)] = int((in_year.iloc[-1] if not in_year.empty else rows.iloc[0])["id"])
    return found


def version_status(saved: pd.DataFrame) -> dict[int, str]:
    """Each saved version's standing by ``in_force``, "helårsprognos" or "ersatt", and whether the 5 % rule judges
    it (``judged_by_rule``). 2026-12-06 walk: a version replaced as the helårsprognos by one locked after the year's
    end was still the one the rule judged, while this list called it only "ersatt"."""
    if saved.empty:
        return {}
    judged = set(judged_by_rule(saved).values())
    standing = {(True, True): f"{IN_FORCE} och {RULE}", (True, False): IN_FORCE,
                (False, True): f"{RULE} (ersatt som helårsprognos)", (False, False): REPLACED}
    return {int(i): standing[bool(now), int(i) in judged] for i, now in zip(saved["id"], in_force(saved))}


def versions_table(saved: pd.DataFrame) -> Table:
    """The saved (locked) versions: name, cut-off, whether it is the period's helårsprognos, who, when, the
    nämnd total and the checksum's start."""
    columns = (Column("name", "Version", width=28), Column("period", "Brytmånad", "month", 10),
               Column("status", "Gäller som", width=14), Column("basis", "Grund", width=24),
               Column("author", "Sparad av", width=18), Column("created_at", "Tid", "timestamp", 19),
               Column("point_kr", "Prognos, tkr", "tkr"), Column("checksum", "Kontrollsumma", width=14))
    status = version_status(saved)
    rows = tuple({"name": r["name"], "period": pd.Period(year=int(r["year"]), month=int(r["cutoff_month"]), freq="M"),
                  "status": status.get(int(r["id"]), ""), "basis": r["basis"], "author": r["author"],
                  "created_at": r["created_at"], "point_kr": r["point_kr"],
                  "checksum": short(r["content_sha256"]) or "–"} for r in _with_basis(saved).to_dict("records"))
    note = ("Gäller som: den senast låsta versionen för en brytmånad är periodens helårsprognos; en tidigare "
            "version för samma brytmånad är ersatt och finns kvar oförändrad."
            if any(REPLACED in text for text in status.values()) else "")
    if any(text.startswith(RULE) for text in status.values()):
        note += (" Regeln om 5\u00a0% bedömer den version som senast låsts per delår 2 under året; en version låst "
                 "efter årets slut ersätter den aldrig där, och av versioner som alla låsts efter årets slut gäller "
                 "den först låsta.")
    return Table("Sparade versioner", columns, rows, note=note)
