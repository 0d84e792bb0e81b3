"""The nämnd meeting: the screens in their fixed order, and the figures behind them.

Nämndläge, the PDF and the workbook are all made from one ``MeetingPack``, so that the meeting
papers say exactly what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from domain import comparison
from domain.forecast_view import (MANAGERS_DEFAULT, judged_by_rule, judged_sentence, managers_judged_sentence, saved_when,
                                  target_band, untested, untested_sentence)
from domain.formatting import (ROUNDING_NOTE, format_mnkr, format_probability, level_in_mnkr, lower_first,
                               net_text, result_text, upper_first)
from domain.goals import five_percent_sentence, goals_sentence, judged_rule, judges_managers
from domain.integrity import SHORT, short
from domain.periods import long_month_label, month_label, period_label
from domain.placements import volumes_through
from domain.sick_leave import suppression_rule

METHOD_NOTE = (
    "Belopp i tkr med rapportens tecken: nettokostnad negativ, positiv avvikelse är gynnsam. Budgetföljsamhet = "
    "avvikelse / |budget|. " + ROUNDING_NOTE + " Helårsprognosen: {forecast}. Den statistiska prognosen är per "
    "verksamhet medianen av ETS, SARIMAX, log-SARIMAX, Theta, fjolårskvoten och, när de återstående månaderna "
    "delar året jämnt (som efter augusti), block-ETS: årets återstod som ett block. Intervallet P10–P90 bygger på "
    "verksamhetens egna fel tidigare år och på felen hos samma metod i tusentals offentliga serier med känt "
    "utfall, så att det träffar utfallet "
    "8 gånger av 10. Nämndens regel: prognosen efter augusti ska ligga inom 5\u00a0% av "
    "decemberutfallet. Volym, mix och pris delas enligt mittpunktsmetoden och summerar exakt till "
    "kostnadsskillnaden. Sjukfrånvaro = sjuktimmar / ordinarie timmar. {suppression}"
)


def left_out_note(year: int, month: int, dropped: list[tuple[str, int]], failed: list[tuple[str, str]]) -> str | None:
    """Why scenarios marked for the meeting of the period ``year``-``month`` are not among its slides, or None:
    ``dropped`` were saved for another month (name, month), ``failed`` cannot be computed (name, why)."""
    notes = [f'Scenariot "{name}" för nämndmötet kan inte räknas på dagens data ({why}) och visas inte.'
             for name, why in failed]
    if dropped:
        names = ", ".join(f'"{name}" ({long_month_label(year, saved)})' for name, saved in dropped)
        one = len(dropped) == 1
        notes.insert(0, f"{'Scenariot' if one else 'Scenarierna'} {names} för nämndmötet visas inte, eftersom "
                        f"bilderna visar data t.o.m. {long_month_label(year, month)}. Gör om "
                        f"{'det' if one else 'dem'} med den månadens data och markera {'det' if one else 'dem'} för "
                        "nämndmötet.")
    return " ".join(notes) or None


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    headline: str
    source: str = ""  # the slide's own source when it is not the period's forecast (the footer names it)
    # What the slide's data run through when it ends before the period ("Volymer t.o.m. augusti 2025"); empty
    # when they run through the period, which the footer then says ("Data t.o.m. september 2025").
    through: str = ""


@dataclass(frozen=True)
class MeetingPack:
    municipality: str
    is_sample: bool
    year: int
    month: int
    forecast_label: str
    overview: object            # domain.budget.BudgetOverview
    board: object               # forecasting.board.BoardForecast
    forecast_table: pd.DataFrame
    fan: pd.DataFrame
    cumulative_actual: pd.DataFrame
    cumulative_budget: pd.DataFrame
    manual_total: float | None
    placements: object | None   # domain.placements.Decomposition
    placement_steps: list[tuple[str, float]]
    volume_table: pd.DataFrame
    sick_monthly: pd.DataFrame
    sick_trend: pd.Series | None
    sick_breakdowns: dict[str, object]  # dimension → domain.sick_leave.Breakdown
    sick_headline: str
    scenarios: list[dict] = field(default_factory=list)
    minimum_group: int = 5
    versions: list[dict] = field(default_factory=list)  # saved at this cut-off: name, author, created_at, digest
    official: object | None = None  # domain.forecast_view.OfficialForecast: the period's one forecast figure
    goal_indicators: list = field(default_factory=list)  # domain.goals.Indicator, computed by the product
    five_percent: list = field(default_factory=list)     # domain.goals.RuleYear, one per year
    goals: list = field(default_factory=list)            # domain.goals.Goal, the inriktningsmål with bedömning
    goal_orphans: tuple = ()                              # domain.goals.Item: uppdrag and initiativ with no goal
    comparisons: list = field(default_factory=list)       # domain.comparison.Comparison, one per KPI
    comparison_group: str = ""                            # the comparison group's name
    comparison_source: str = ""                           # "Källa: Kolada (RKA) …; hämtad …", every KPI in the tables
    comparison_slide_source: str = ""                     # the group and the source of the slide's KPIs
    placement_basis: str = "Statistisk prognos"            # whose year-end the placement bridge ends at
    sick_span: str = ""                                     # the months the sick leave covers ("jan–aug 2025")
    sick_through: int = 0                                   # the last month of the sick leave shown; 0: the period's
    # The locked version's months when the period's forecast is one (``version_months``), else None.
    locked_months: pd.DataFrame | None = None
    manual_label: str = MANAGERS_DEFAULT  # the managers' forecast with its month, "… aug 2025"

    @cached_property
    def result_path(self) -> pd.DataFrame | None:
        """The result against budget month by month (``domain.forecast_view.result_path``), the first slide's;
        None for a nämnd with no budget."""
        from domain.forecast_view import result_path, version_course

        if self.board.budget is None:
            return None
        locked = version_course(self.locked_months) if self.locked_months is not None else None
        return result_path(self.cumulative_actual, self.cumulative_budget, self.fan, self.manual_total, locked,
                           self.manual_label)

    def placement_bridge(self, largest: int | None = None):
        """The placements' bridge from the budget to ``placement_basis`` (``domain.placements.cost_bridge``)."""
        from domain.placements import cost_bridge

        return cost_bridge("Budget helår", self.placements.cost_a, self.placement_steps, self.placement_basis,
                           self.placements.cost_b, largest=largest)

    @cached_property
    def activity_variances(self) -> pd.DataFrame:
        """Slide 2's rows: the largest deviations so far and, while the year is open and has a budget, at year
        end by the period's forecast (``year_end_variances``): a nämnd at delår 2 asks where each verksamhet
        ends, not only where it stands (2026-12-06 walk: no slide said it)."""
        return largest_variances(self._variances)

    @cached_property
    def _variances(self) -> pd.DataFrame:
        frame = self.overview.activity_variance
        if self.overview.closed or self.board.budget is None:
            return frame
        return year_end_variances(frame, self.official)

    @property
    def forecast_name(self) -> str:
        """The period's forecast as a slide's footer names it: a locked version by its name, without when it was
        saved (the papers and Prognos say that); with it the footer took two lines at 1280×720 and the chart
        above it lost their height (2026-12-06 walk)."""
        return self.official.name if self.official is not None and self.official.name else self.forecast_label

    def footer(self, screen: Screen | None = None) -> str:
        """The line under a slide, and at the foot of its page in the papers: the kommun, how far the data run and
        the source of the figures, the slide's own where it has one (slide 3's placements go by the controllers'
        volume forecast, not the period's forecast). Without ``screen``: the period's, for the papers' tables."""
        through = screen.through if screen is not None and screen.through else self.cutoff_label
        source = screen.source if screen is not None and screen.source else self.forecast_name
        return f"{self.municipality} · {through} · {source}" + (" · exempeldata (påhittad kommun)"
                                                                if self.is_sample else "")

    @property
    def cutoff_label(self) -> str:
        # The data run through the cut-off month: "t.o.m." takes that month, not the span up to it.
        return f"Data t.o.m. {long_month_label(self.year, self.month)}"

    def _through(self, what: str, month: int) -> str:
        """A slide's own "t.o.m." when its data end before the period's month, else empty: September's deck
        showed the sick leave through August above a footer saying "Data t.o.m. september 2025"."""
        return f"{what} t.o.m. {long_month_label(self.year, month)}" if 0 < month < self.month else ""

    @property
    def method_note(self) -> str:
        forecast = self.forecast_label[:1].lower() + self.forecast_label[1:]
        note = METHOD_NOTE.format(suppression=suppression_rule(self.minimum_group), forecast=forecast)
        if self.comparisons:
            note += (f" Jämförelsen med liknande kommuner avser jämförelsegruppen {self.comparison_group}, mot "
                     f"gruppens median. {self.comparison_source}")
        return note

    @cached_property
    def version_notes(self) -> tuple[str, ...]:
        """One line per forecast version saved at this cut-off, with the checksum to compare with the database."""
        if not self.versions:
            return (f"Ingen prognosversion är sparad för brytmånad {month_label(self.year, self.month)}.",)
        in_force = self.official.version_id if self.official is not None else None
        judged = judged_by_rule(pd.DataFrame(self.versions).assign(year=self.year, cutoff_month=self.month)) \
            .get(self.year)
        standing = {(True, False): "; periodens helårsprognos, som papperen bygger på",
                    (True, True): "; periodens helårsprognos, som papperen bygger på, och den som regeln om 5\u00a0% "
                                  "bedömer",
                    (False, False): "; ersatt av en senare låst version för samma brytmånad",
                    (False, True): "; ersatt som helårsprognos av en senare låst version, men den som regeln om "
                                   "5\u00a0% bedömer: en version låst efter årets slut ersätter den aldrig där"}
        return tuple(f'Prognosversion "{v["name"]}", sparad {saved_when(v["created_at"], self.year)} av {v["author"]}, '
                f"kontrollsumma {short(v['digest']) or 'saknas'} (de första {SHORT} tecknen av SHA-256; "
                f"som revisionen kan jämföra med databasen)"
                f"{standing[v.get('id') == in_force, v.get('id') is not None and v.get('id') == judged]}."
                for v in self.versions)

    @property
    def _judged_after_delar_2(self):
        """The 5 % rule's year of the period once its delår 2 has passed (``goals.judged_rule``)."""
        return judged_rule(self.five_percent, self.year, self.month)

    @property
    def _managers_judged(self) -> bool:
        """At delår 2 with no version locked, the verksamheternas prognos per delår 2 (the chart's diamond) is the
        figure the 5 % rule judges; later in the year the diamond may be a later month's forecast."""
        return judges_managers(self.five_percent, self.year, self.month, self.official)

    @cached_property
    def screens(self) -> tuple[Screen, ...]:
        """The slides in order, worked out once per pack: every session of the meeting reads the same pack."""
        screens = [
            Screen("prognos", "Helårsprognos mot budget",
                   forecast_headline(self.board, self.official, self._judged_after_delar_2, self.manual_total,
                                     self._managers_judged)),
            Screen("verksamheter", "Avvikelse per verksamhet", variance_headline(self.overview,
                                                                                 self._variances)),
        ]
        if self.placements is not None:
            screens.append(Screen("placeringar", "Placeringar: volym, placeringsformer och à-pris",
                                  placement_headline(self.placements, self.placement_basis),
                                  f"placeringar: budget helår mot {self.placement_basis.lower()}",
                                  self._through("Volymer", volumes_through(self.volume_table))))
        if not self.sick_monthly.empty:
            screens.append(Screen("sjukfranvaro", "Sjukfrånvaro", self.sick_headline,
                                  through=self._through("Sjukfrånvaro", self.sick_through)))
        if self.goals:
            screens.append(Screen("mal", "Mål och indikatorer", goals_sentence(self.goals, closed=self.month == 12)))
        if any(r.deviation is not None for r in self.five_percent):
            screens.append(Screen("femprocent", "Regeln om 5 %", five_percent_sentence(self.five_percent, stated=True)))
        if comparison.largest(self.comparisons):
            screens.append(Screen("jamforelse", "Jämförelse med liknande kommuner",
                                  comparison.slide_sentence(self.comparisons)))
        for scenario in self.scenarios:
            screens.append(Screen(f"scenario-{scenario['id']}", f"Scenario: {scenario['name']}", scenario["effect"]))
        return tuple(screens)


# Slide 2's two panels, on the screen and in the papers: both are avvikelser, against the budget so far and at year end
# by the period's forecast (second 2026-12-07 walk: "Helårsprognos, tkr" over bars of avvikelser).
VARIANCE_PANELS = ("Mot budget hittills i år, tkr", "Mot budget helår enligt prognosen, tkr")
# On a phone held upright (half its width a column) the long titles ran into each other: the short ones stand under
# the slide's title "Avvikelse per verksamhet".
VARIANCE_PANELS_NARROW = ("Hittills i år, tkr", "Helår (prognos), tkr")


def _subject(official) -> str:
    """Whose year-end slide 1 states: a locked version as 'Helårsprognosen (låst version "Delår 2",
    verksamheternas prognos)', the period's preliminary forecast by its name (the footer alone said so,
    walkthrough), else "Prognosen"."""
    if official is not None and official.locked:
        return f"Helårsprognosen ({official.spoken})"
    return official.name if official is not None and official.name else "Prognosen"


def forecast_headline(board, official=None, judged=None, managers: float | None = None,
                      managers_judged: bool = False) -> str:
    """Slide 1's sentence. With a locked version, its figure first, then what the statistical forecast on
    today's data says of risk: the risk of a deficit and the ±5 % are the statistical forecast's, and a
    locked version does not take them from the nämnd (a walk found them gone the moment delår 2 was locked,
    while a corrected month had raised the risk from 12 to 23 %).

    ``managers`` is the verksamheternas own year-end (net, report sign), which the chart draws as a diamond: beside
    a preliminary statistical forecast it is said when it differs, so that the nämnd hears why the chart holds two
    year-end figures (2026-12-07 walk: the diamond's +7,2 mnkr stood beside a sentence of +4,8 mnkr alone).
    ``managers_judged``: the period is delår 2, no version is locked, and ``managers`` is the verksamheternas prognos per
    delår 2, which the 5 % rule then judges: the chance of landing within 5 % is said of that figure, not of the
    statistical one (second 2026-12-07 walk: "över 99 %" of the statistical figure was taken for the rule's
    chance, while slide 6 said the rule would judge the verksamheternas)."""
    if untested(board) and board.budget is not None:
        # Half the net cost or more forecast for want of history: the figure and why nothing is said of its spread
        # (2026-12-07 new-municipality walk: "risken för underskott är 43 %" and "99 %" with one year of history).
        figure = official.point if official is not None and official.locked else board.point
        return f"{_subject(official)} pekar på {result_text(figure - board.budget, board.budget)}. {untested_sentence(board)}"
    risk = f"risken för underskott är {format_probability(board.prob_deficit)}" \
        if board.prob_deficit is not None else ""
    within = format_probability(board.prob_within_target)
    # The ±5 % in kronor, and of which forecast: "inom ±5 % av den", after the locked figure, was read as the
    # locked figure's, and "över 99 %" as certainty about the result (walkthrough).
    band = target_band(board.point)
    if official is not None and official.locked:
        # The version's name without the minute it was saved (the footer says it): the slide is read aloud.
        # Whose forecast it is where it is not the statistical one beside it (2026-12-06 walk: slide 1 and the
        # papers' first page said neither, and the Prognos page only did).
        lead = _subject(official)
        # The chance that the outcome lands within 5 % of the locked figure itself, which the rule judges, by the
        # statistical forecast's distribution (2026-12-06 walk: the slide gave only the statistical figure's).
        held = board.prob_within(official.point)
        if round(official.point / 1e5) == round(board.point / 1e5) and not official.correction:
            # Against the budget without the net cost beside it: with the statistical forecast's risk after it, the
            # sentence took four lines at 1280×720 and left the chart under it 97 px (2026-12-06 walk).
            said = (f"{lead} är {net_text(official.point)}." if board.budget is None else
                    f"{lead} pekar på {result_text(official.point - board.budget, board.budget)}.")
            chance = format_probability(held) if held is not None else within
            return (f"{said} " + (f"{upper_first(risk)}, och s" if risk else "S")
                    + f"annolikheten att nettokostnaden landar inom ±5\u00a0% av helårsprognosen (nämndens krav, "
                      f"{target_band(official.point)}) är {chance}.")
        # Short, the slide is read aloud: the locked figure with its own chance, then the statistical one with the
        # risk of a deficit, both results without their share of the budget (with it, and the chance said after
        # the statistical figure, the sentence took four lines at 1280×720 and left the chart 80 px, 2026-12-06),
        # and a correction of the months the version was made on in the same sentence.
        first = (f"{lead} pekar på {result_text(official.point - board.budget, None)}" if board.budget is not None
                 else f"{lead} är {net_text(official.point)}")
        where = (f"pekar på {result_text(board.point - board.budget, None)}" if board.budget is not None
                 else f"är {net_text(board.point)}")
        subject = (f"Utfallet har ändrats sedan versionen låstes ({official.correction}); den statistiska prognosen "
                   "på dagens data" if official.correction else "Den statistiska prognosen")
        if held is None:  # a result stored without its simulated totals: the statistical figure's chance
            return (f"{first}. {subject} {where}; " + (f"{risk}, och " if risk else "")
                    + f"sannolikheten att nettokostnaden landar inom ±5\u00a0% av den statistiska är {within}.")
        return (f"{first}; nettokostnaden landar inom ±5\u00a0% av den med {format_probability(held)} sannolikhet. "
                f"{subject} {where}" + (f"; {risk}" if risk else "") + ".")
    subject = _subject(official)
    if board.budget is None:
        return f"{subject} för helåret är {net_text(board.point)}."
    if judged is not None and judged.name and judged.forecast_kr is not None and judged.outcome_kr is None:
        # After delår 2 the period's forecast is a new one, and the figure the 5 % rule judges is the locked delår
        # 2 version's: both are said, with the chance of landing within 5 % of the judged one (2026-12-06 walk:
        # September's slide said 7,0 mnkr and nothing of the 4,8 mnkr the nämnd had been shown in August).
        return (f"{subject} pekar på {result_text(board.point - board.budget, None)}" + (f"; {risk}" if risk else "")
                + ". " + judged_sentence(board, lower_first(judged.name), judged.forecast_kr))
    stated = f"{subject} pekar på {result_text(board.point - board.budget, board.budget)}" + \
        (f"; {risk}" if risk else "") + "."
    theirs = managers is not None and np.isfinite(managers)
    by_managers = managers_judged_sentence(board, managers) if managers_judged and theirs else None
    if by_managers is not None:
        return f"{stated} {by_managers}"
    own = ""
    if theirs and format_mnkr(managers - board.budget) != format_mnkr(board.point - board.budget):
        own = f" Verksamheternas egen prognos (romben) är {result_text(managers - board.budget, None)}."
    return (f"{stated} Sannolikheten att nettokostnaden landar inom ±5\u00a0% av prognosen (nämndens krav, {band}) "
            f"är {within}.{own}")


def variance_headline(overview, rows: pd.DataFrame | None = None) -> str:
    """Slide 2's sentence: the year so far, and its largest deviations with, when ``rows`` (``year_end_variances``)
    has them, the same verksamheter's deviations at year end."""
    frame = overview.activity_variance.sort_values("variance_ytd")
    worst, best = frame.iloc[0], frame.iloc[-1]
    at_end = dict(zip(rows["activity"], rows["variance_year"])) if rows is not None and "variance_year" in rows \
        else {}

    def year_end(activity: str) -> str:
        if activity not in at_end:
            return ""
        value = at_end[activity]
        if level_in_mnkr(value):
            return " (helårsprognos i nivå med budget)"
        return f" (helårsprognos {format_mnkr(abs(value))} {'bättre' if value > 0 else 'sämre'})"

    span = period_label(overview.year, overview.through_month)
    parts = [f"{upper_first(span)} är utfallet {format_mnkr(abs(overview.variance_ytd))} "
             f"{'bättre' if overview.variance_ytd >= 0 else 'sämre'} än budget."]
    # The year so far against its periodised budget, in the report's word, with the direction in words: the
    # walks read "underskott" and "överskott" as the year's result, and "(−4,6 mnkr)" without knowing what the
    # minus meant. In one clause, so that the sentence keeps to two lines at 1280×720 and the chart keeps the
    # height its names need.
    largest = [f"{row['activity']} {format_mnkr(abs(row['variance_ytd']))} {word}{year_end(row['activity'])}"
               for row, shown, word in ((worst, worst["variance_ytd"] < 0, "sämre"),
                                        (best, best["variance_ytd"] > 0, "bättre")) if shown]
    if largest:
        # One each way, and said so: "De största avvikelserna" named a favourable 0,7 mnkr beside unfavourable
        # ones of 1,7 left unnamed (third 2026-12-07 walk, August 2024).
        parts.append(f"{'Störst åt vardera hållet' if len(largest) > 1 else 'Störst avvikelse'}: {', '.join(largest)}.")
    return " ".join(parts)


def placement_headline(decomposition, basis: str = "Statistisk prognos") -> str:
    """The placement slide's sentence; ``basis`` names whose year-end it is ("Controllernas volymprognos"). Amounts
    are written without a sign and with their direction in words: the slides' signs mean favourable (+) and
    unfavourable (−), and a cost's "+" would read the other way."""
    total = float(decomposition.groups["total"].sum())
    if level_in_mnkr(total):
        return f"Enligt {basis.lower()} kostar placeringarna i nivå med budget."
    effects = {name: float(decomposition.groups[name].sum()) for name in ("volume", "mix", "price")}
    biggest = max(effects, key=lambda k: abs(effects[k]))
    more = effects[biggest] > 0
    # "Volym", as the bars say it: the groups' volumes are dygn and dagar, never added up as days (third 2026-12-07
    # walk: "fler dygn, sammanlagt 5,1 mnkr mer" counted the dagar's 0,1 mnkr among the dygn).
    words = {"volume": "större volym" if more else "mindre volym",
             "mix": "förskjutning mot dyrare placeringsformer" if more else "förskjutning mot billigare placeringsformer",
             "price": "högre à-priser" if more else "lägre à-priser"}
    # The effect summed over the groups, which the chart draws one by one, is said to be a sum (walkthrough:
    # "högre à-priser, 5,2 mnkr mer" had no bar of 5,2 to find).
    summed = "sammanlagt " if (decomposition.groups[biggest].abs() >= 0.5).sum() > 1 else ""
    return (f"Enligt {basis.lower()} kostar placeringarna {format_mnkr(abs(total))} "
            f"{'mer' if total > 0 else 'mindre'} än budgeterat. Störst effekt: {words[biggest]}, "
            f"{summed}{format_mnkr(abs(effects[biggest]))} {'mer' if more else 'mindre'}.")


def screen_index(value: object, count: int) -> int:
    """The screen to show from a URL parameter (1-based), kept within the deck."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        number = 1
    return int(np.clip(number, 1, max(count, 1))) - 1


def screen_note(value: object, count: int) -> str | None:
    """What to say when the address asks for a slide the deck does not have ("skarm=9" of seven): the deck
    showed its last slide without a word (2026-12-05 walk)."""
    shown = screen_index(value, count) + 1
    if value is None or str(value) == str(shown):
        return None
    return f'Bild "{str(value)[:20]}" finns inte; nämndläget har {count} bilder. Här visas bild {shown}.'


SCREEN_HEIGHT = 720  # px: every slide is laid out to fit a 1280×720 projector
SCREEN_WIDTH = 1280
HEIGHT_STEP = 40  # px: the screen sizes a slide is drawn for (each is one shared chart per slide)
TALLEST = 2160


def screen_scale(value: object) -> float:
    """How much larger than on a 1280×720 projector a slide is drawn, text and chart alike, on a screen whose
    16:9 height is ``value`` px (the height of the largest 16:9 area inside the browser's window, written by
    the page into a hidden field): 1 for a missing, malformed or smaller value, at most ``TALLEST`` / 720,
    in steps of ``HEIGHT_STEP`` px of that height. A 1920×1080 projector gets 1,5: the slide is the same
    slide, every part of it half as large again, so what fits at 720 fits there."""
    try:
        height = int(str(value))
    except (TypeError, ValueError):
        return 1.0
    height = min(max(height, SCREEN_HEIGHT), TALLEST)
    return (height // HEIGHT_STEP * HEIGHT_STEP) / SCREEN_HEIGHT


MOST_ROOM = 360  # px: at most this much more chart where the window is taller than the slide's 16:9 area


def screen_fit(value: object) -> tuple[float, int]:
    """``screen_scale`` and the px the chart may grow by. The page writes "H+R" in its hidden field: H the
    16:9 height as ``screen_scale`` reads it, R the window's height below the slide (a 16:10 projector, a
    tablet held upright, where a third of the screen stood empty under a short chart). R is given to the
    chart in steps of ``HEIGHT_STEP``, at most ``MOST_ROOM``; a missing or malformed part counts as none."""
    height, room, _ = _fit_parts(value)
    try:
        extra = int(room) if room else 0
    except ValueError:
        extra = 0
    return screen_scale(height), min(max(extra, 0), MOST_ROOM) // HEIGHT_STEP * HEIGHT_STEP


def on_phone(value: object, user_agent: str | None = None) -> bool:
    """Whether the page wrote "H+R+p" in its hidden field: a window as narrow as a phone held upright, where
    every chart is drawn as wide as the screen (``ui.meeting._figure``). Before the page has measured its
    window (the field is empty on a session's first view), a browser that calls itself a mobile one ("Mobi" in
    its User-Agent, as MDN advises) is taken for a phone, so that its first view is not drawn for a wide
    screen and redrawn a second later; the page's own measure decides from then on."""
    height, _, phone = _fit_parts(value)
    if not height:
        return mobile_browser(user_agent)
    return phone == "p"


def mobile_browser(user_agent: str | None) -> bool:
    """Whether a browser calls itself a mobile one: "Mobi" in its User-Agent, as MDN advises (a phone; a tablet
    leaves it out)."""
    return "Mobi" in (user_agent or "")


def _fit_parts(value: object) -> list[str]:
    """The hidden field's "H+R+p" as its three parts, "" for a part left out."""
    return (str(value if value is not None else "").split("+") + ["", ""])[:3]


def largest_variances(activity_variance: pd.DataFrame, count: int = 6) -> pd.DataFrame:
    """The ``count`` largest deviations by size, the rest (two or more) added up as "Övriga verksamheter". With a column
    ``variance_year`` (``year_end_variances``), a verksamhet's size is the larger of its two deviations."""
    size = activity_variance["variance_ytd"].abs()
    if "variance_year" in activity_variance:
        size = np.maximum(size, activity_variance["variance_year"].abs())
    frame = activity_variance.assign(size=size).sort_values("size", ascending=False)
    # The largest deviations so far, which the slide's sentence names, always among the rows drawn.
    picked = list(dict.fromkeys([frame["variance_ytd"].idxmin(), frame["variance_ytd"].idxmax()])) \
        if not frame.empty else []
    picked += [index for index in frame.index if index not in picked][:max(0, count - len(picked))]
    if len(frame) == len(picked) + 1:
        # One left over is drawn by its name: "Övriga verksamheter (1)" hid a verksamhet where its own bar had
        # room (2026-12-07 new-municipality walk, seven verksamheter).
        picked = list(frame.index)
    top, rest = frame[frame.index.isin(picked)], frame[~frame.index.isin(picked)]
    if not rest.empty:
        budget = float(rest["budget_ytd"].sum())
        variance = float(rest["variance_ytd"].sum())
        other = {"activity": f"Övriga verksamheter ({len(rest)})", "budget_ytd": budget,
                 "actual_ytd": float(rest["actual_ytd"].sum()), "variance_ytd": variance,
                 "relative": variance / abs(budget) if budget else float("nan")}
        if "variance_year" in rest:
            other["variance_year"] = float(rest["variance_year"].sum())
        top = pd.concat([top, pd.DataFrame([other])], ignore_index=True)
    return top.drop(columns=["size"])


def year_end_variances(activity_variance: pd.DataFrame, official) -> pd.DataFrame:
    """``activity_variance`` with each verksamhet's avvikelse at year end by the period's forecast
    (``official``, a ``domain.forecast_view.OfficialForecast`` with its lines): its line − budget helår,
    report sign, so that the column adds up to the helårsprognos against the budget that slide 1 shows; a
    verksamhet the forecast has no line for ends at its budget. Unchanged when the forecast has no lines."""
    if official is None or not official.lines:
        return activity_variance
    lines = dict(official.lines)
    return activity_variance.assign(variance_year=[
        lines.get(activity, budget) - budget
        for activity, budget in zip(activity_variance["activity"], activity_variance["budget_year"])])
