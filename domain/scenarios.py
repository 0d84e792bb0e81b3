"""What-if scenarios on the year-end forecast, computed arithmetically on its sample paths.

No model is refitted: every assumption is an amount in kronor (report sign: a cost increase is
negative) added to each simulated year total. Care-day changes are valued at the category's
forecast price; price changes apply to the remaining months' (changed) days.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from domain.formatting import (EMPTY, NBSP, format_mnkr, format_number_short, format_timestamp,
                               lower_first, share_text, upper_first)
from domain.forecast_view import untested
from domain.periods import MONTH_NAMES
from domain.tables import Column, Table

TARGET = 0.05


class ScenarioError(ValueError):
    """An assumption that cannot hold; the message is Swedish."""


@dataclass(frozen=True)
class CategoryAssumption:
    days_pct: float = 0.0          # change of the remaining months' care days, %
    placements: float = 0.0        # placements added (+) or ended (−) ...
    from_month: int = 12           # ... from the first day of this month
    price_pct: float = 0.0         # change of the à-pris for the remaining months, %


@dataclass(frozen=True)
class Scenario:
    categories: dict[str, CategoryAssumption] = field(default_factory=dict)
    personnel_kr: float = 0.0      # more personnel cost for the rest of the year (e.g. consultants), kr
    state_grants_kr: float = 0.0   # change in statsbidrag, kr (negative = not paid)
    migration_kr: float = 0.0      # change in ersättning från Migrationsverket, kr
    sick_leave_points: float = 0.0  # change in sick leave, percentage points (negative = lower)

    def to_dict(self) -> dict:
        return {**asdict(self), "categories": {k: asdict(v) for k, v in self.categories.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> "Scenario":
        """A scenario from its stored assumptions; ``ScenarioError`` names an unknown assumption or a value
        that is not a number (a scenario stored by another version, or changed outside the app)."""
        if not isinstance(data, dict):
            raise ScenarioError("antagandena går inte att läsa")
        categories = data.get("categories") or {}
        if not isinstance(categories, dict):
            raise ScenarioError("insatskategoriernas antaganden går inte att läsa")
        return cls(categories={str(name): CategoryAssumption(**_numbers(values, CategoryAssumption, str(name)))
                               for name, values in categories.items()},
                   **_numbers({k: v for k, v in data.items() if k != "categories"}, cls))


def _numbers(values, kind, where: str = "") -> dict:
    """``values`` as the fields of ``kind``, each a finite number (whole for a month)."""
    prefix = f"{where}: " if where else ""
    if not isinstance(values, dict):
        raise ScenarioError(f"{prefix}antagandena går inte att läsa")
    known = {f.name: f.type for f in fields(kind) if f.name != "categories"}
    result = {}
    for name, value in values.items():
        if name not in known:
            raise ScenarioError(f'{prefix}okänt antagande "{name}"')
        try:
            number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
        except OverflowError:
            number = math.nan
        if not math.isfinite(number):
            raise ScenarioError(f'{prefix}antagandet "{name}" är inte ett tal: "{str(value)[:40]}"')
        result[name] = int(number) if known[name] in (int, "int") else number
    return result


@dataclass(frozen=True)
class CategoryBase:
    """The forecast for one category's remaining months (care days per month, price per day)."""

    name: str
    remaining_days: dict[int, float]  # month → forecast days
    price: float


@dataclass(frozen=True)
class ScenarioInputs:
    """What a scenario is computed on: the base forecast and its paths."""

    year: int
    cutoff_month: int
    base_point: float
    base_totals: np.ndarray
    budget: float | None
    categories: dict[str, CategoryBase]
    scheduled_hours_per_month: float
    hourly_cost_kr: float
    base_label: str
    # The statistical forecast's own P10–P90 of the year total (report sign), the interval Prognos and the
    # slides show; the paths above lie around ``base_point``, which is a locked version's figure when one is.
    # None where the board states no interval (``forecast_view.untested``: half its net cost or more forecast for
    # want of history): whether a scenario lies inside it is then not said.
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class ScenarioResult:
    point: float
    steps: list[tuple[str, float]]
    variance: float | None
    adherence: float | None
    p10: float
    p90: float
    base_p10: float
    base_p90: float
    prob_deficit: float | None
    within_base_interval: bool | None  # None where the board states no interval
    within_target_band: bool


def days_from_month(year: int, from_month: int, placements: float) -> dict[int, float]:
    """Care days that ``placements`` add (or remove) from the first day of ``from_month`` to 31 December."""
    if not 1 <= from_month <= 12:
        raise ScenarioError("månaden måste vara 1–12")
    return {m: placements * calendar.monthrange(year, m)[1] for m in range(from_month, 13)}


def validate(scenario: Scenario, inputs: ScenarioInputs) -> None:
    for name, assumption in scenario.categories.items():
        if name not in inputs.categories:
            raise ScenarioError(f'okänd insatskategori "{name}"')
        if assumption.price_pct < -100:
            raise ScenarioError(f"{name}: à-priset kan inte sänkas mer än 100 %")
        if assumption.days_pct < -100:
            raise ScenarioError(f"{name}: dygnen kan inte minska mer än 100 %")
        if assumption.from_month <= inputs.cutoff_month and assumption.placements:
            raise ScenarioError(f"{name}: placeringar kan bara ändras från en månad efter "
                                f"{MONTH_NAMES[inputs.cutoff_month - 1]}")
        days = _scenario_days(inputs.year, inputs.categories[name], assumption)
        negative = [m for m, d in days.items() if d < -1e-9]
        if negative:
            raise ScenarioError(f"{name}: antalet dygn blir negativt i {MONTH_NAMES[negative[0] - 1]}"
                                + _fewest(inputs.year, inputs.categories[name], assumption))


def _fewest(year: int, base: CategoryBase, assumption: CategoryAssumption) -> str:
    """How many placements the forecast's days allow to end from the assumption's month, said after a
    refusal (2026-12-06 walk: "antalet dygn blir negativt i september" left the controller guessing)."""
    if assumption.placements >= 0:
        return ""
    scaled = [d / calendar.monthrange(year, m)[1] for m, d in _scaled_days(base, assumption).items()
              if m >= assumption.from_month]
    fewest = min(scaled) if scaled else 0.0
    most = int(math.floor(fewest + 1e-9))
    month = MONTH_NAMES[assumption.from_month - 1]
    have = (f"prognosen har som minst {format_number_short(fewest, 1)} placeringar om dagen en månad från och med "
            f"{month}")
    if most <= 0:
        return f": {have}, så ingen placering kan avslutas då"
    return f": högst {most} {'placering' if most == 1 else 'placeringar'} kan avslutas ({have})"


def _scaled_days(base: CategoryBase, assumption: CategoryAssumption) -> dict[int, float]:
    """The forecast's remaining days per month with the assumption's change in days (per cent)."""
    return {m: d * (1 + assumption.days_pct / 100) for m, d in base.remaining_days.items()}


def _scenario_days(year: int, base: CategoryBase, assumption: CategoryAssumption) -> dict[int, float]:
    added = days_from_month(year, assumption.from_month, assumption.placements) if assumption.placements else {}
    return {m: d + added.get(m, 0.0) for m, d in _scaled_days(base, assumption).items()}


def compute(scenario: Scenario, inputs: ScenarioInputs) -> ScenarioResult:
    """The scenario's year-end result, step by step from the base forecast (report sign, kronor)."""
    validate(scenario, inputs)
    steps: list[tuple[str, float]] = []
    for name, assumption in scenario.categories.items():
        base = inputs.categories[name]
        base_days = sum(base.remaining_days.values())
        days = _scenario_days(inputs.year, base, assumption)
        new_days = sum(days.values())
        volume = -(new_days - base_days) * base.price
        price = -new_days * base.price * assumption.price_pct / 100
        if volume:
            steps.append((f"{name}: volym", volume))
        if price:
            steps.append((f"{name}: à-pris", price))
    if scenario.personnel_kr:
        steps.append(("Personalkostnader", -scenario.personnel_kr))
    if scenario.state_grants_kr:
        steps.append(("Statsbidrag", scenario.state_grants_kr))
    if scenario.migration_kr:
        steps.append(("Ersättning från Migrationsverket", scenario.migration_kr))
    if scenario.sick_leave_points:
        remaining = 12 - inputs.cutoff_month
        hours = inputs.scheduled_hours_per_month * remaining * scenario.sick_leave_points / 100
        steps.append(("Sjukfrånvaro", -hours * inputs.hourly_cost_kr))
    shift = float(sum(value for _, value in steps))
    point = inputs.base_point + shift
    totals = inputs.base_totals + shift
    variance = None if inputs.budget is None else point - inputs.budget
    adherence = None if inputs.budget in (None, 0) else variance / abs(inputs.budget)
    # Every path moves by the same amount, and so do its percentiles.
    base_p10, base_p90 = (float(q) for q in np.percentile(inputs.base_totals, [10, 90]))
    # "Inom den statistiska prognosens P10–P90" is judged by that interval as every page shows it, not by the
    # paths moved onto a locked version (2026-12-06 walk: +3,3 mnkr inside "+0,3 till +12,4 mnkr" said "nej").
    return ScenarioResult(
        point=point, steps=steps, variance=variance, adherence=adherence,
        p10=base_p10 + shift, p90=base_p90 + shift,
        base_p10=base_p10, base_p90=base_p90,
        prob_deficit=None if inputs.budget is None else float(np.mean(totals < inputs.budget)),
        within_base_interval=None if inputs.interval is None else inputs.interval[0] <= point <= inputs.interval[1],
        within_target_band=abs(point - inputs.base_point) <= TARGET * abs(inputs.base_point),
    )


# The stored assumptions' names as the interface writes them (the audit trail shows them so).
ASSUMPTION_LABELS = {
    "categories": "kategorier", "placements": "placeringar", "from_month": "från månad", "days_pct": "dygn, %",
    "price_pct": "à-pris, %", "personnel_kr": "personalkostnader, kr", "state_grants_kr": "statsbidrag, kr",
    "migration_kr": "ersättning från Migrationsverket, kr", "sick_leave_points": "sjukfrånvaro, procentenheter",
}


def _sentence(text: str) -> str:
    return upper_first(text) + "."


NO_CHANGE = "Inga ändrade antaganden: grundprognosen gäller."


def listed_conditions(scenario: Scenario) -> list[str]:
    """The assumptions as a list to show (the meeting's slide and papers): never an empty list."""
    return conditions(scenario) or [NO_CHANGE]


def conditions(scenario: Scenario) -> list[str]:
    """The scenario's assumptions, one short sentence each."""
    said = []
    for name, assumption in scenario.categories.items():
        if assumption.placements:
            count = abs(assumption.placements)
            verb = "avslutas" if assumption.placements < 0 else "tillkommer"
            noun = "placering" if count == 1 else "placeringar"
            number = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem"}.get(int(count), format_number_short(count)) \
                if float(count).is_integer() else format_number_short(count)
            # "från och med": the days go from the month's first day (2026-12-06 walk: "avslutas i oktober").
            said.append(f"{number} {noun} inom {name.lower()} {verb} från och med "
                        f"{MONTH_NAMES[assumption.from_month - 1]}")
        if assumption.days_pct:
            said.append(f"dygnen inom {name.lower()} {'ökar' if assumption.days_pct > 0 else 'minskar'} "
                        f"med {format_number_short(abs(assumption.days_pct))}{NBSP}%")
        if assumption.price_pct:
            said.append(f"à-priset inom {name.lower()} {'stiger' if assumption.price_pct > 0 else 'sjunker'} "
                        f"med {format_number_short(abs(assumption.price_pct))}{NBSP}%")
    if scenario.personnel_kr:
        said.append(f"personalkostnaderna {'ökar' if scenario.personnel_kr > 0 else 'minskar'} med "
                    f"{format_mnkr(abs(scenario.personnel_kr))}")
    if scenario.state_grants_kr:
        # An amount, not the whole grant: "betalas inte ut" read as if all of it were lost.
        said.append(f"statsbidrag om {format_mnkr(abs(scenario.state_grants_kr))} "
                    + ("uteblir" if scenario.state_grants_kr < 0 else "tillkommer"))
    if scenario.migration_kr:
        said.append(f"ersättningen från Migrationsverket {'ökar' if scenario.migration_kr > 0 else 'minskar'} med "
                    f"{format_mnkr(abs(scenario.migration_kr))}")
    if scenario.sick_leave_points:
        said.append(f"sjukfrånvaron {'sjunker' if scenario.sick_leave_points < 0 else 'stiger'} med "
                    f"{format_number_short(abs(scenario.sick_leave_points))} procentenhet"
                    f"{'' if abs(scenario.sick_leave_points) == 1 else 'er'}")
    return [_sentence(text) for text in said]


def effect_sentence(scenario: Scenario, result: ScenarioResult, inputs: ScenarioInputs) -> str:
    """What the scenario does to the year's result, in one sentence: the slide's message."""
    # One sign on the screen: a net cost is named and written as a positive amount, a result against
    # budget as a surplus or a deficit.
    if not conditions(scenario):
        if inputs.budget is None:
            return f"Utan ändrade antaganden gäller grundprognosen: en nettokostnad om {format_mnkr(-inputs.base_point)}."
        base_variance = inputs.base_point - inputs.budget
        kind = "ett överskott" if base_variance >= 0 else "ett underskott"
        return (f"Utan ändrade antaganden gäller grundprognosen: {kind} om {format_mnkr(abs(base_variance))} mot "
                f"budget (nettokostnad {format_mnkr(-inputs.base_point)}).")
    if result.variance is None:
        return f"Med scenariot blir nettokostnaden {format_mnkr(-result.point)} för helåret."
    shift = result.point - inputs.base_point
    base_variance = inputs.base_point - inputs.budget
    kind = "överskottet" if base_variance >= 0 else "underskottet"
    verb = "ökar" if (shift > 0) == (base_variance >= 0) else "minskar"
    new_kind = "ett överskott" if result.variance >= 0 else "ett underskott"
    if round(shift / 1000) == 0:
        return (f"Scenariot ändrar resultatet med mindre än 1{NBSP}tkr: {new_kind} om "
                f"{format_mnkr(abs(result.variance))} ({share_text(result.adherence, plus=True)} av budget).")
    return (f"Med scenariot {verb} {kind} med {format_mnkr(abs(shift))} till {new_kind} om "
            f"{format_mnkr(abs(result.variance))} ({share_text(result.adherence, plus=True)} av budget).")


def summary_sentence(scenario: Scenario, result: ScenarioResult, inputs: ScenarioInputs) -> str:
    """The effect and then the assumptions, in short sentences to read aloud at the meeting."""
    return " ".join([effect_sentence(scenario, result, inputs), *conditions(scenario)])


def build_inputs(board, category_forecasts: dict, *, scheduled_hours_per_month: float, hourly_cost_kr: float,
                 base_label: str, base_point: float | None = None) -> ScenarioInputs:
    """Scenario inputs from the statistical forecast: the nämnd's paths and each category's remaining days.

    ``base_point``: the period's forecast when it is not the statistical one (a locked version). The
    paths are moved by the difference, so that the statistical spread lies around the period's forecast.
    """
    point = board.point if base_point is None else float(base_point)
    paths = board.lines and next(iter(board.lines.values())).paths
    totals = None
    if paths is not None and len(paths):
        totals = board.actual_ytd + sum(line.paths.sum(axis=1) for line in board.lines.values()) + (point - board.point)
    categories = {}
    for name, forecast in category_forecasts.items():
        monthly = forecast.days.monthly
        # Care days cannot be negative, whatever a declining series extrapolates to.
        remaining = {int(p.month): max(0.0, float(v)) for p, v in zip(monthly["period"], monthly["mean"])
                     if p.year == board.year and p.month > board.cutoff_month}
        price = forecast.price
        categories[name] = CategoryBase(name, remaining, float(price) if np.isfinite(price) else 0.0)
    return ScenarioInputs(
        year=board.year, cutoff_month=board.cutoff_month, base_point=point,
        base_totals=np.asarray(totals if totals is not None else [point], dtype=float), budget=board.budget,
        categories=categories, scheduled_hours_per_month=scheduled_hours_per_month, hourly_cost_kr=hourly_cost_kr,
        base_label=base_label, interval=None if untested(board) else (float(board.p10), float(board.p90)),
    )


def yes_no(answer: bool | None) -> str:
    """A test's answer as the scenario's figures say it: "ja", "nej", or "–" where it is not stated."""
    return EMPTY if answer is None else ("ja" if answer else "nej")


def comparison_table(named: list[tuple[str, ScenarioResult]],
                     assumed: list[Scenario] | None = None) -> Table:
    """Saved scenarios side by side: the year-end (report sign, as on every page), the result against budget,
    the board's two tests and, given the scenarios (``assumed``, in the same order), what each assumes
    (2026-12-06 walk: totals alone did not say why two scenarios differ)."""
    columns = (Column("name", "Scenario", width=30), Column("cost", "Helårsprognos, tkr", "tkr"),
               Column("variance", "Resultat mot budget, tkr", "tkr_change"),
               Column("adherence", "Budgetföljsamhet", "change", 12),
               Column("interval", "Inom P10–P90", width=10), Column("band", "Inom ±5 %", width=10),
               *((Column("assumes", "Antaganden", width=60),) if assumed is not None else ()))
    rows = tuple({"name": name, "cost": result.point, "variance": result.variance, "adherence": result.adherence,
                  "interval": yes_no(result.within_base_interval),
                  "band": "ja" if result.within_target_band else "nej",
                  **({"assumes": " ".join(conditions(assumed[i])) or NO_CHANGE}
                     if assumed is not None else {})}
                 for i, (name, result) in enumerate(named))
    return Table("Scenarier jämförda", columns, rows)


def meeting_table(marked: list[dict]) -> Table:
    """The scenarios marked for the meeting (``MeetingPack.scenarios``): who saved each, its effect and its
    assumptions, for the papers."""
    columns = (Column("name", "Scenario", width=30), Column("author", "Sparat av", width=18),
               Column("cost", "Helårsprognos, tkr", "tkr"),
               Column("variance", "Resultat mot budget, tkr", "tkr_change"),
               Column("effect", "Effekt", width=60), Column("conditions", "Antaganden", width=80))
    rows = tuple({"name": s["name"], "author": s["author"], "cost": s["result"].point,
                  "variance": s["result"].variance, "effect": s["effect"], "conditions": " ".join(s["conditions"])}
                 for s in marked)
    return Table("Scenarier", columns, rows)


def saved_note(author: str, created_at, saved_base: str | None, current_base: str) -> str:
    """Under a saved scenario: who saved it and when, and the forecast its result is reckoned on. A saved scenario
    keeps its assumptions, not its result: it is worked out on the period's forecast of today, and when that is
    another than the one it was saved against (a version locked since), the note says so, since the result may
    then differ from the one seen when it was saved."""
    note = f"Sparat av {author} {format_timestamp(created_at)}"
    if rebased(saved_base, current_base):
        return f"{note} mot {lower_first(saved_base)}; räknat nu mot {lower_first(current_base)}."
    return f"{note}."


def meeting_note(saved_base: str | None, current_base: str) -> str:
    """On the scenario's slide and in the papers: only that its result is reckoned on another forecast than the one
    it was saved against, when it is (2026-12-06 walk: "Sparat av lokal användare 6 dec 2026 12:51 mot …" stood
    among the assumptions for the nämnd; who saved it and when stay on Scenarier and in the papers' table)."""
    if not rebased(saved_base, current_base):
        return ""
    return (f"Scenariot sparades mot {lower_first(saved_base)}; resultatet räknas nu mot "
            f"{lower_first(current_base)}.")


def rebased(saved_base: str | None, current_base: str) -> bool:
    """Whether a saved scenario is reckoned on another forecast than the one it was saved against."""
    return bool(saved_base) and saved_base != current_base
