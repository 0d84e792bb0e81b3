"""Importing a file: read, validate whole, show what it will change, then write in one transaction.

The steps a file goes through, on the Data page and on the command line alike:

1. ``plan_import`` reads and validates the file (errors refuse it whole) and compares it with the
   database: which booked rows it replaces or removes, per period and key, which names are new to
   the register (with the nearest known name), exact duplicate rows and implausible amounts.
   Those are *warnings*: each must be accepted before the file is saved.
2. ``import_file`` takes the import lock, plans again inside its transaction (so what was
   accepted is what is written, even if someone imported in between), writes, records what it
   replaced, and logs the import; any failure writes nothing and is told in Swedish.
3. ``revert_import`` puts back what an import replaced, for the parts that are still its own.
"""

from __future__ import annotations

import math

import datetime as dt
import difflib
import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import case, delete, func, insert, select, tuple_, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import audit
from data_access import schema as s
from data_access.engine import serialise
from data_access.files import FileReadError, Source, open_table, printable, source_digest, source_size
from data_access.formats import FORMATS, Problem, Validated, heading_of, in_file_terms, validate_source
from domain.access import IMPORT, Actor
from domain.formatting import count_text, format_kr, format_number, format_number_short, listing, upper_first
from domain.periodisation import periodise
from domain.periods import month_label
from domain.tables import KIND_NAMES
from settings import get_settings

LOG = logging.getLogger("namndpanelen.import")
ACCEPT_ALL = "*"
CLEARED = "rensad"
# A period holding fewer than this share of a file's rows is "outside the file's main period".
MINOR_PERIOD_SHARE = 0.1
# A verksamhet's month more than this many times its largest earlier month is flagged.
OUTLIER_FACTOR = 10
# An amount this many times smaller than its kontogrupp's usual month is flagged: kronor written as tkr or mnkr.
SMALL_FACTOR = 500
# A kontogrupp with this many months saved, this share of them of one sign, has a usual sign; a month of the other
# sign at least this share of its usual size is flagged (a file with the report's signs).
SIGN_MONTHS, SIGN_SHARE, SIGN_SIZE = 6, 0.9, 0.1
_LOCK_KEY = 7_406_211
NO_REASON = "Ange varför importen ångras."
# Kinds whose yearly lines are saved as monthly amounts (periodised).
MONTHLY_FROM_YEARLY = frozenset({"budget"})
# What an undo removes and restores, saved rows or (a periodised kind) monthly amounts: the noun, and the noun
# with its participles once the undo is done (singular, plural).
_UNDO_WORDS = {
    False: (("rad", "rader"), ("rad borttagen", "rader borttagna"),
            ("tidigare rad återställd", "tidigare rader återställda")),
    True: (("månadsbelopp", "månadsbelopp"), ("månadsbelopp borttaget", "månadsbelopp borttagna"),
           ("tidigare månadsbelopp återställt", "tidigare månadsbelopp återställda")),
}


@dataclass(frozen=True)
class Caution:
    """Something the file will do that the controller must see and accept before it is saved."""

    code: str
    title: str
    detail: str

    def __str__(self) -> str:
        return f"{self.title}: {self.detail}"


@dataclass(frozen=True)
class ImportPlan:
    """What a file holds and what saving it would do; nothing is written by making a plan."""

    kind: str
    file_name: str
    records: list[dict]
    problems: list[Problem]
    cautions: list[Caution] = field(default_factory=list)
    effect: pd.DataFrame | None = None
    rows_replaced: int = 0
    rows_removed: int = 0
    rows_added: int = 0
    span: tuple[str, str] | None = None
    rows_read: int = 0
    # Names not in a register, per effect column ("activity", "category", …): the known name each looks like,
    # or None. The plan's table and sentence mark them, so that a typo does not read as a known name.
    new_names: dict[str, dict[str, str | None]] = field(default_factory=dict)
    rows_on_new_names: int = 0  # rows of the file on a new name that looks like a known one (a likely typo)
    # Saved rows under such a known name, in the periods of the file's look-alike rows, that saving keeps: a typo
    # in a corrected month is then counted beside the rows it was meant to replace.
    rows_beside_known: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes_nothing(self) -> bool:
        """A valid file whose every row is already saved with the same values."""
        return self.ok and self.rows_read > 0 and not (self.rows_added or self.rows_replaced or self.rows_removed)

    def name_shown(self, column: str, value: object) -> str:
        """A key as the plan shows it: a new name marked as new, with the known name it looks like."""
        text = printable(value, 80)
        news = self.new_names.get(column, {})
        if value not in news:
            return text
        near = news[value]
        return f'{text} (nytt namn, liknar "{printable(near, 80)}")' if near else f"{text} (nytt namn)"


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or why it wrote nothing."""

    kind: str
    file_name: str
    ok: bool
    rows_read: int
    rows_written: int
    problems: list[Problem] = field(default_factory=list)
    periods: tuple[str, str] | None = None
    cautions: list[Caution] = field(default_factory=list)
    import_id: int | None = None
    # Of the rows written, how many were new and how many replaced a stored row with another value; and how
    # many stored rows went without replacement. None where the import does not count them.
    changes: tuple[int, int, int] | None = None

    @property
    def saved_nothing(self) -> bool:
        """A valid file whose every row was already saved with the same values: nothing written, nothing logged."""
        return self.ok and self.import_id is None and self.changes == (0, 0, 0)

    @property
    def message(self) -> str:
        if self.saved_nothing:
            span = f" ({_span_label(self.periods)})" if self.periods else ""
            return (f"{self.file_name}: {format_number(self.rows_read)} {_rows(self.rows_read)} lästes; inget "
                    f"sparades, allt fanns redan med samma värden{span}.")
        if self.ok:
            span = f" ({_span_label(self.periods)})" if self.periods else ""
            number = f" Import nr {self.import_id}." if self.import_id is not None else ""
            written = format_number(self.rows_written)
            # A yearly budget line is saved as twelve months: "558 rader lästes och 6 696 sparades" read as rows
            # of the file.
            saved = f"sparades som {written} månadsbelopp" if self.kind in MONTHLY_FROM_YEARLY \
                and self.rows_written != self.rows_read else f"{written} sparades"
            return (f"{self.file_name}: {format_number(self.rows_read)} {_rows(self.rows_read)} lästes och {saved}"
                    f"{span}.{self._changes_text()}{number}")
        if self.cautions and not self.problems:
            count = len(self.cautions)
            return (f"{self.file_name}: inget sparades; {count} {'varning' if count == 1 else 'varningar'} "
                    "måste godkännas först.")
        if len(self.problems) == 1 and self.problems[0].row is None:  # the whole file refused: its message says why
            return f"{self.file_name}: inget sparades, filen kunde inte läsas."
        return f"{self.file_name}: inget sparades, {len(self.problems)} fel hittades."


    def _changes_text(self) -> str:
        """ " Av dem 1 ändrad och 61 oförändrade." where stored rows were replaced (a correction read as "62
        sparades" looked like 62 new rows); nothing when every row is new."""
        if self.changes is None:
            return ""
        added, changed, removed = self.changes
        unchanged = max(self.rows_written - added - changed, 0)
        if not (changed or removed or unchanged):
            return ""
        parts = [f"{format_number(n)} {word}" for n, word in
                 ((added, "ny" if added == 1 else "nya"), (changed, "ändrad" if changed == 1 else "ändrade"),
                  (unchanged, "oförändrad" if unchanged == 1 else "oförändrade")) if n]
        gone = (f"; {format_number(removed)} sparad{'' if removed == 1 else 'e'} rad{'' if removed == 1 else 'er'} "
                "togs bort") if removed else ""
        return f" Av dem {listing(parts, 3)}{gone}." if parts else f" {upper_first(gone[2:])}."


def _rows(count: int) -> str:
    return "rad" if count == 1 else "rader"


def _span_label(span: tuple[str, str]) -> str:
    """ "jan–aug 2025" as months, or "2020–2024" when the rows are whole years (January to December)."""
    if span[0][5:7] == "01" and span[1][5:7] == "12":
        first, last = span[0][:4], span[1][:4]
    else:
        first, last = (month_label(int(p[:4]), int(p[5:7])) for p in span)
    return first if first == last else f"{first}–{last}"


# ----------------------------------------------------------------------------------------------
# What each kind writes: the target rows and the scopes (key columns) they replace


@dataclass
class _Write:
    table: object
    deletes: list[tuple[tuple[str, ...], set[tuple]]]
    rows: list[dict]
    key: tuple[str, ...]
    span: tuple[str, str] | None
    names: dict[str, set[str]] = field(default_factory=dict)


_KEYS = {
    "actuals": ("year", "month", "activity", "account_group"),
    "budgets": ("year", "month", "activity", "account_group"),
    "forecasts_manual": ("year", "cutoff_month", "activity", "account_group"),
    "volumes": ("year", "month", "category"),
    "volume_budgets": ("year", "category"),
    "volume_forecasts": ("year", "cutoff_month", "category"),
    "sick_leave": ("year", "month", "unit", "gender", "age_group", "occupation"),
    "municipality_sick_leave": ("year", "month"),
    "staff_turnover": ("year", "month", "unit", "occupation"),
    "goal_indicators": ("name",),
    "goal_values": ("indicator", "year", "month"),
    "goal_items": ("name",),
    "kolada_values": ("kpi", "municipality", "year"),
}
# The figure whose sum the effect table shows per scope, and its Swedish name.
_MAIN_VALUE = {
    "actuals": "amount_kr", "budgets": "amount_kr", "forecasts_manual": "amount_kr", "volumes": "cost_kr",
    "volume_budgets": "care_days", "volume_forecasts": "care_days", "sick_leave": "scheduled_hours",
    "municipality_sick_leave": "scheduled_hours", "staff_turnover": "employees",
    # The goal structure has no figure that adds up: its effect is counted in rows.
    "goal_indicators": None, "goal_values": None, "goal_items": None, "kolada_values": None,
}
# A second figure shown beside the main one: a volume file's dygn, which its cost alone does not show.
_SECOND_VALUE = {"volumes": "care_days"}
# Where the effect is shown coarser than the scope a file replaces: Kolada's values per KPI, not per
# KPI, kommun and year (a fetch replaces hundreds of single values).
_EFFECT_GROUP = {"kolada_values": ("kpi",)}
DATA_TABLES = tuple(getattr(s, name) for name in _KEYS)


def _span(months: Iterable[tuple[int, int]]) -> tuple[str, str] | None:
    months = list(months)
    if not months:
        return None
    first, last = min(months), max(months)
    return f"{first[0]:04d}-{first[1]:02d}", f"{last[0]:04d}-{last[1]:02d}"


def _sum_by_key(records: list[dict], key_fields: tuple[str, ...], value_fields: tuple[str, ...]) -> dict:
    """Several ledger rows with the same key (e.g. one per konto) add up to one stored row."""
    totals: dict[tuple, dict] = {}
    for record in records:
        key = tuple(record[k] for k in key_fields)
        if key not in totals:
            totals[key] = {name: record[name] for name in value_fields} | {
                k: v for k, v in record.items() if k not in value_fields}
        else:
            for name in value_fields:
                totals[key][name] += record[name]
    return totals


def _ledger_rows(records: list[dict], table, period_column: str, with_comment: bool = False) -> _Write:
    totals = _sum_by_key(records, ("period", "verksamhet", "kontogrupp"), ("belopp",))
    rows = []
    for (p, a, g), r in totals.items():
        row = {"year": p.year, period_column: p.month, "activity": a, "account_group": g, "amount_kr": r["belopp"]}
        if with_comment:
            row["comment"] = r.get("kommentar") or ""
        rows.append(row)
    scopes = {(r["year"], r[period_column], r["activity"]) for r in rows}
    return _Write(table, [(("year", period_column, "activity"), scopes)], rows, _KEYS[table.name],
                  _span((r["year"], r[period_column]) for r in rows),
                  {"verksamhet": {r["verksamhet"] for r in records}})


def _build_actuals(connection: Connection, records: list[dict]) -> _Write:
    return _ledger_rows(records, s.actuals, "month")


def _build_forecasts(connection: Connection, records: list[dict]) -> _Write:
    return _ledger_rows(records, s.forecasts_manual, "cutoff_month", with_comment=True)


def _actuals_history(connection: Connection, activities: set[str], before_year: int) -> tuple[dict, dict]:
    """Monthly utfall per (activity, account group) and per activity, for seasonal profiles."""
    c = s.actuals.c
    query = (
        select(c.activity, c.account_group, c.year, c.month, func.sum(c.amount_kr).label("amount"))
        .where(c.activity.in_(sorted(activities)), c.year < before_year, c.year >= before_year - 3)
        .group_by(c.activity, c.account_group, c.year, c.month)
    )
    by_group: dict[tuple, dict] = defaultdict(dict)
    by_activity: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for row in connection.execute(query):
        by_group[(row.activity, row.account_group)][(row.year, row.month)] = float(row.amount)
        by_activity[row.activity][(row.year, row.month)] += float(row.amount)
    return by_group, by_activity


def _build_budgets(connection: Connection, records: list[dict]) -> _Write:
    monthly = [r for r in records if r.get("period") is not None]
    annual = [r for r in records if r.get("period") is None]
    rows: list[dict] = []
    for (p, a, g), r in _sum_by_key(monthly, ("period", "verksamhet", "kontogrupp"), ("belopp",)).items():
        rows.append(dict(year=p.year, month=p.month, activity=a, account_group=g, amount_kr=r["belopp"],
                         profile="månad"))
    annual_totals = _sum_by_key(annual, ("ar", "verksamhet", "kontogrupp"), ("belopp",))
    histories: dict[int, tuple[dict, dict]] = {}
    for (year, activity, group), record in annual_totals.items():
        if year not in histories:
            names = {a for (y, a, _) in annual_totals if y == year}
            histories[year] = _actuals_history(connection, names, year)
        by_group, by_activity = histories[year]
        history = by_group.get((activity, group)) or by_activity.get(activity) or {}
        amounts, profile = periodise(record["belopp"], history, year)
        rows.extend(dict(year=year, month=m, activity=activity, account_group=group, amount_kr=amounts[m - 1],
                         profile=profile) for m in range(1, 13))
    # A monthly file replaces the months it names; an annual file replaces the whole year.
    deletes = []
    annual_scopes = {(r["year"], r["activity"]) for r in rows if r["profile"] != "månad"}
    if annual_scopes:
        deletes.append((("year", "activity"), annual_scopes))
    monthly_scopes = {(r["year"], r["month"], r["activity"]) for r in rows if r["profile"] == "månad"}
    if monthly_scopes:
        deletes.append((("year", "month", "activity"), monthly_scopes))
    return _Write(s.budgets, deletes, rows, _KEYS["budgets"], _span((r["year"], r["month"]) for r in rows),
                  {"verksamhet": {r["verksamhet"] for r in records}})


def _build_volumes(connection: Connection, records: list[dict]) -> _Write:
    totals = _sum_by_key(records, ("period", "kategori"), ("dygn", "kostnad"))
    rows = [dict(year=p.year, month=p.month, category=k, care_days=r["dygn"], cost_kr=r["kostnad"])
            for (p, k), r in totals.items()]
    return _Write(s.volumes, [(("year", "month", "category"), {(r["year"], r["month"], r["category"]) for r in rows})],
                  rows, _KEYS["volumes"], _span((r["year"], r["month"]) for r in rows),
                  {"kategori": {r["kategori"] for r in records}})


def _build_volume_budgets(connection: Connection, records: list[dict]) -> _Write:
    rows = [dict(year=r["ar"], category=r["kategori"], care_days=r["dygn"], unit_price_kr=r["pris"]) for r in records]
    return _Write(s.volume_budgets, [(("year", "category"), {(r["year"], r["category"]) for r in rows})], rows,
                  _KEYS["volume_budgets"], _span([(r["year"], 1) for r in rows] + [(r["year"], 12) for r in rows]),
                  {"kategori": {r["kategori"] for r in records}})


def _build_volume_forecasts(connection: Connection, records: list[dict]) -> _Write:
    rows = [dict(year=r["period"].year, cutoff_month=r["period"].month, category=r["kategori"],
                 care_days=r["dygn"], unit_price_kr=r["pris"]) for r in records]
    scopes = {(r["year"], r["cutoff_month"], r["category"]) for r in rows}
    return _Write(s.volume_forecasts, [(("year", "cutoff_month", "category"), scopes)], rows,
                  _KEYS["volume_forecasts"], _span((r["year"], r["cutoff_month"]) for r in rows),
                  {"kategori": {r["kategori"] for r in records}})


def _build_sick_leave(connection: Connection, records: list[dict]) -> _Write:
    values = ("sjuktimmar_dag1_14", "sjuktimmar_dag15_59", "sjuktimmar_dag60", "ordinarie_timmar", "anstallda")
    totals = _sum_by_key(records, ("period", "enhet", "kon", "aldersgrupp", "yrkesgrupp"), values)
    rows = [dict(year=p.year, month=p.month, unit=u, gender=k, age_group=a, occupation=y,
                 sick_hours_day1_14=r["sjuktimmar_dag1_14"], sick_hours_day15_59=r["sjuktimmar_dag15_59"],
                 sick_hours_day60=r["sjuktimmar_dag60"], scheduled_hours=r["ordinarie_timmar"],
                 employees=r["anstallda"])
            for (p, u, k, a, y), r in totals.items()]
    return _Write(s.sick_leave, [(("year", "month", "unit"), {(r["year"], r["month"], r["unit"]) for r in rows})],
                  rows, _KEYS["sick_leave"], _span((r["year"], r["month"]) for r in rows),
                  {"enhet": {r["enhet"] for r in records}})


def _build_municipality_sick_leave(connection: Connection, records: list[dict]) -> _Write:
    totals = _sum_by_key(records, ("period",), ("sjuktimmar", "ordinarie_timmar"))
    rows = [dict(year=p.year, month=p.month, sick_hours=r["sjuktimmar"], scheduled_hours=r["ordinarie_timmar"])
            for (p,), r in totals.items()]
    return _Write(s.municipality_sick_leave, [(("year", "month"), {(r["year"], r["month"]) for r in rows})], rows,
                  _KEYS["municipality_sick_leave"], _span((r["year"], r["month"]) for r in rows))


def _build_staff_turnover(connection: Connection, records: list[dict]) -> _Write:
    totals = _sum_by_key(records, ("period", "enhet", "yrkesgrupp"),
                         ("anstallda", "avgangar_extern", "avgangar_intern"))
    rows = [dict(year=p.year, month=p.month, unit=u, occupation=y, employees=r["anstallda"],
                 leavers_external=r["avgangar_extern"], leavers_internal=r["avgangar_intern"])
            for (p, u, y), r in totals.items()]
    return _Write(s.staff_turnover, [(("year", "month", "unit"), {(r["year"], r["month"], r["unit"]) for r in rows})],
                  rows, _KEYS["staff_turnover"], _span((r["year"], r["month"]) for r in rows),
                  {"enhet": {r["enhet"] for r in records}})


def _build_goal_indicators(connection: Connection, records: list[dict]) -> _Write:
    rows = [dict(name=r["indikator"], area=r["malomrade"], goal=r["inriktningsmal"], origin=r["niva"],
                 unit=r["enhet"], direction=r["riktning"], responsible=r["ansvarig"] or "",
                 computed=r["beraknad"] or "") for r in records]
    return _Write(s.goal_indicators, [(("name",), {(r["name"],) for r in rows})], rows, _KEYS["goal_indicators"],
                  None, {"indikator": {r["name"] for r in rows}})


def _build_goal_values(connection: Connection, records: list[dict]) -> _Write:
    rows = []
    for r in records:
        period = r.get("period")
        year, month = (period.year, period.month) if period is not None else (r["ar"], 0)
        rows.append(dict(indicator=r["indikator"], year=year, month=month, actual=r["utfall"], target=r["mal"],
                         target_low=r["mal_fran"], target_high=r["mal_till"], forecast=r["prognos"]))
    scopes = {(r["indicator"], r["year"], r["month"]) for r in rows}
    return _Write(s.goal_values, [(("indicator", "year", "month"), scopes)], rows, _KEYS["goal_values"],
                  _span([(r["year"], r["month"] or 1) for r in rows] + [(r["year"], r["month"] or 12) for r in rows]))


def _build_goal_items(connection: Connection, records: list[dict]) -> _Write:
    rows = [dict(name=r["namn"], kind=r["typ"], area=r["malomrade"] or "", goal=r["inriktningsmal"] or "", responsible=r["ansvarig"] or "",
                 status=r["status"], plan=r["plan"], comment=r["kommentar"] or "", comment_date=r["datum"] or "")
            for r in records]
    return _Write(s.goal_items, [(("name",), {(r["name"],) for r in rows})], rows, _KEYS["goal_items"], None)


def _build_kolada(connection: Connection, records: list[dict]) -> _Write:
    rows = [dict(kpi=r["kpi"], municipality=r["kommun_id"], name=r["kommun"] or "", year=r["ar"], value=r["varde"])
            for r in records]
    scopes = {(r["kpi"], r["municipality"], r["year"]) for r in rows}
    return _Write(s.kolada_values, [(("kpi", "municipality", "year"), scopes)], rows, _KEYS["kolada_values"],
                  _span([(r["year"], 1) for r in rows] + [(r["year"], 12) for r in rows]))


_BUILDERS = {
    "utfall": _build_actuals,
    "budget": _build_budgets,
    "prognos": _build_forecasts,
    "volymer": _build_volumes,
    "volymbudget": _build_volume_budgets,
    "volymprognos": _build_volume_forecasts,
    "sjukfranvaro": _build_sick_leave,
    "sjukfranvaro_kommun": _build_municipality_sick_leave,
    "personalomsattning": _build_staff_turnover,
    "indikatorer": _build_goal_indicators,
    "indikatorvarden": _build_goal_values,
    "uppdrag": _build_goal_items,
    "kolada": _build_kolada,
}


# ----------------------------------------------------------------------------------------------
# Reading and comparing


def read_and_validate(kind: str, content: Source, file_name: str, sheet: str | None = None,
                      progress: Callable[[float], None] | None = None) -> Validated:
    """Read a file (bytes, or a path read in chunks) and validate it whole; nothing touches the database."""
    if kind not in FORMATS:
        return Validated([], [Problem(file_name, None, None, kind, f'"{kind}" är ingen känd importtyp')])
    limit_mb = get_settings().max_upload_mb
    size = source_size(content)
    if size > limit_mb * 1024 * 1024:
        shown = format_number(size / 1024 / 1024, 1)
        return Validated([], [Problem(file_name, None, None, f"{shown} MB",
                                      f"filen är {shown} MB, större än gränsen {limit_mb} MB, och läses inte "
                                      "(gränsen ställs in med NAMNDPANELEN_MAX_UPLOAD_MB)")])
    try:
        return validate_source(kind, open_table(content, file_name, sheet), progress)
    except FileReadError as exc:
        return Validated([], [Problem(file_name, exc.row, exc.column or None, exc.value,
                                      exc.detail or str(exc).removeprefix(f"{file_name}: "))])


def fold_name(name: str) -> str:
    """A name reduced to what a reader sees: no case, accents, spacing, punctuation or look-alike letters."""
    decomposed = unicodedata.normalize("NFKD", str(name).casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = letters.translate(_CONFUSABLES)
    return "".join(ch for ch in letters if ch.isalnum())


# Cyrillic and Greek letters that look like Latin ones.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "α": "a", "β": "b", "ε": "e",
    "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
})


def nearest_name(name: str, known: Collection[str]) -> str | None:
    """The known name this one is most likely a misspelling of, or None."""
    if not known:
        return None
    folded = fold_name(name)
    by_fold = {fold_name(k): k for k in known}
    if folded in by_fold:
        return by_fold[folded]
    near = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.85)
    return by_fold[near[0]] if near else None


_SINGULAR = {"verksamheter": "ny verksamhet", "insatskategorier": "ny insatskategori", "enheter": "ny enhet",
             "indikatorer": "ny indikator"}
_REGISTERS = {
    "verksamhet": ("verksamheter", lambda c: select(s.activities.c.name)),
    "kategori": ("insatskategorier", lambda c: select(s.categories.c.name)),
    "enhet": ("enheter", lambda c: select(s.sick_leave.c.unit).distinct().union(
        select(s.staff_turnover.c.unit).distinct())),
    "indikator": ("indikatorer", lambda c: select(s.goal_indicators.c.name)),
}


def _rows_text(numbers: list[int], shown: int = 10) -> str:
    """Rows of a file in a message: "rad 12", "raderna 12, 14 och 16", "raderna 12, 14, … och 7 till"."""
    return f"rad {numbers[0]}" if len(numbers) == 1 else f"raderna {listing([str(n) for n in numbers], shown)}"


_EFFECT_COLUMNS = {"verksamhet": "activity", "kategori": "category", "enhet": "unit", "indikator": "indicator"}


def _kept_beside(connection: Connection, write: _Write, column: str, name: str, near: str) -> tuple[int, float, list]:
    """The saved rows under the known name ``near``, in the periods where the file puts rows on the new ``name``,
    that saving the file keeps (neither deleted by it nor replaced by a row of its own): their number, the sum of
    the table's figure and their periods. 2026-12-06 walk: September corrected with "Ekonomiskt bitånd" kept
    September's "Ekonomiskt bistånd" and counted 4,9 mnkr twice, while the preview said "i stället för"."""
    table = write.table
    periods_of = [c for c in ("year", "month", "cutoff_month") if c in table.c]
    if column not in table.c or "year" not in periods_of:
        return 0, 0.0, []
    periods = {tuple(row[c] for c in periods_of) for row in write.rows if row.get(column) == name}
    if not periods:
        return 0, 0.0, []
    stored = connection.execute(select(table).where(table.c[column] == near,
                                                    table.c.year.in_(sorted({p[0] for p in periods})))).mappings()
    replaced = {tuple(row[c] for c in write.key) for row in write.rows}
    kept = [row for row in stored if tuple(row[c] for c in periods_of) in periods
            and tuple(row[c] for c in write.key) not in replaced
            and not any(tuple(row[c] for c in columns) in values for columns, values in write.deletes)]
    value = _MAIN_VALUE.get(table.name)
    total = float(sum(row[value] or 0 for row in kept)) if value else 0.0
    return len(kept), total, sorted({_period_of(dict(row)) for row in kept})


def _name_cautions(connection: Connection, write: _Write, records: list[dict], file_name: str,
                   headings: dict[str, str]) -> tuple[list[Caution], dict[str, dict[str, str | None]], int, int]:
    """A caution per new name that looks like a known one, and one for the plainly new names; with every new
    name and the known one it looks like (None), per effect column, the number of rows on a look-alike and the
    number of saved rows under the known names that stay beside them (``_kept_beside``)."""
    cautions: list[Caution] = []
    new_names: dict[str, dict[str, str | None]] = {}
    typo_rows: set[int] = set()
    beside = 0
    value = _MAIN_VALUE.get(write.table.name)  # the figure whose sum a kept row's caution says
    for field_name, names in write.names.items():
        plural, query = _REGISTERS[field_name]
        known = {row[0] for row in connection.execute(query(connection))}
        new = sorted(names - known)
        if not new:
            continue
        rows: dict[str, list[int]] = {name: [] for name in new}
        for record in records:
            found = rows.get(record[field_name])
            if found is not None:
                found.append(record["_row"])
        plain = []
        areas = _areas(connection, records) if field_name == "verksamhet" else {}
        for name in new:
            area = areas.get(name.casefold())
            if area is not None:
                # 2026-12-07 Norrtälje walk: the report's delsumma "Socialkontor" in a file of forecasts became a
                # verksamhet beside the område of that name, and doubled the verksamheternas prognos.
                new_names.setdefault(_EFFECT_COLUMNS[field_name], {})[name] = None
                members = area[1]
                cautions.append(Caution(
                    f"omrade:{name}", f'"{printable(name)}" är ett område, inte en verksamhet',
                    f'{file_name}, {_rows_text(rows[name])}, kolumn "{heading_of(headings, field_name)}": '
                    f'"{printable(name)}" är namnet på området "{printable(area[0])}"'
                    + (f" ({listing([printable(m, 40) for m in members], 5)})" if members else "")
                    + ". Är raden rapportens delsumma för området? Sparas den som en ny verksamhet räknas områdets "
                      "belopp två gånger. Ta bort raden; godkänn bara om det är en ny verksamhet."))
                continue
            if field_name == "verksamhet" and TOTAL_NAME.match(name.strip().casefold()):
                # 2026-12-07 first-import walk: a row "Summa" at the foot of an utfall file became a verksamhet.
                new_names.setdefault(_EFFECT_COLUMNS[field_name], {})[name] = None
                cautions.append(Caution(
                    f"summa:{name}", f'"{printable(name)}" ser ut som en summarad, inte en verksamhet',
                    f'{file_name}, {_rows_text(rows[name])}, kolumn "{heading_of(headings, field_name)}": '
                    f'"{printable(name)}" läggs annars till som en ny verksamhet, och beloppen räknas då två gånger: '
                    "i sina verksamheter och som egen. Ta bort summaraden; godkänn bara om det är en verksamhet."))
                continue
            near = nearest_name(name, known)
            new_names.setdefault(_EFFECT_COLUMNS[field_name], {})[name] = near
            if near is not None:
                typo_rows.update(rows[name])
                count, total, periods = _kept_beside(connection, write, _EFFECT_COLUMNS[field_name], name, near)
                beside += count
                twice = "" if not count else (
                    f" För {listing([_period_text(p) for p in periods], 4)} finns redan "
                    f"{count_text(count, 'sparad rad', 'sparade rader')} under \"{printable(near)}\""
                    + (f" ({format_number(total)}{_VALUE_UNITS.get(value, '')})" if value else "")
                    + f" som står kvar: sparas filen med det nya namnet räknas {'den' if count == 1 else 'de'} "
                      "två gånger.")
                cautions.append(Caution(
                    f"namn:{field_name}:{name}", f'Nytt namn "{printable(name)}" liknar "{printable(near)}"',
                    f'{file_name}, {_rows_text(rows[name])}, kolumn "{heading_of(headings, field_name)}": '
                    f'"{printable(name)}" finns inte i '
                    f'registret. Menade du "{printable(near)}"?{twice} Rätta filen om det är samma {field_name}; '
                    f"godkänn bara om det är en ny {field_name}."))
            else:
                plain.append(name)
        if plain:
            listed = ", ".join(f'"{printable(n, 40)}" (rad {rows[n][0]})' for n in plain[:20])
            more = f" och {len(plain) - 20} till" if len(plain) > 20 else ""
            known_text = count_text(len(known), "känd " + _SINGULAR[plural].removeprefix("ny "), "kända " + plural)
            what = "registret är tomt" if not known else \
                f"{'det' if len(plain) == 1 else 'de'} finns inte bland {known_text}"
            cautions.append(Caution(
                f"nya:{field_name}:{len(plain)}",
                f"{len(plain)} {_SINGULAR[plural] if len(plain) == 1 else 'nya ' + plural} läggs till i registret",
                f'{file_name}, kolumn "{heading_of(headings, field_name)}": {listed}{more}; {what}.'))
    return cautions, new_names, len(typo_rows), beside


# A report's total row by its name: "Summa", "Summa IFO", "Totalt", "Delsumma".
TOTAL_NAME = re.compile(r"(delsumma|summa|totalt?)(\b|$)")


def _areas(connection: Connection, records: list[dict]) -> dict[str, tuple[str, list[str]]]:
    """The områden of the register and of the file itself (its Område column), by their name in lower case: the
    name as written and the verksamheter in it."""
    areas: dict[str, tuple[str, list[str]]] = {}
    a = s.activities.c
    known = [(row.area, row.name) for row in connection.execute(
        select(a.area, a.name).where(a.area != "").order_by(a.sort_order, a.name))]
    in_file = [(r.get("omrade") or "", r.get("verksamhet") or "") for r in records]
    for area, name in known + in_file:
        if area:
            members = areas.setdefault(area.casefold(), (area, []))[1]
            if name and name not in members and name.casefold() != area.casefold():
                members.append(name)
    return areas


def _duplicate_caution(validated: Validated, file_name: str) -> list[Caution]:
    hashes, numbers = validated.row_hashes, validated.row_numbers
    if len(hashes) < 2:
        return []
    ordered = np.sort(hashes)
    if not (ordered[1:] == ordered[:-1]).any():
        return []
    del ordered
    order = np.argsort(hashes, kind="stable").astype(np.int32)
    ordered = hashes[order]
    repeats = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if repeats.size == 0:
        return []
    # For each repeated row, the first row with the same content.
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    first_of = starts[np.searchsorted(starts, repeats, side="right") - 1]
    pairs = sorted(zip(numbers[order[repeats]].tolist(), numbers[order[first_of]].tolist()))
    listed = ", ".join(f"rad {row} = rad {first}" for row, first in pairs[:10])
    more = f" och {len(pairs) - 10} till" if len(pairs) > 10 else ""
    title = f"{len(pairs)} rader är exakta dubbletter" if len(pairs) > 1 else "1 rad är en exakt dubblett"
    return [Caution(f"dubbletter:{len(pairs)}", title,
                    f"{file_name}: {listed}{more}. Rader med samma nyckel summeras, så dubbletter räknas "
                    "två gånger; ta bort dem om de inte är avsedda.")]


def _existing_rows(connection: Connection, write: _Write) -> list[dict]:
    """The stored rows in the scopes the import replaces.

    One statement per 400 distinct names: the rows between the first and last period of the
    file for those names, kept when their scope is one the import replaces.
    """
    table = write.table
    rows: dict[int, dict] = {}
    for columns, scopes in write.deletes:
        if not scopes:
            continue
        periods = [c for c in columns if c in ("year", "month", "cutoff_month")]
        names = [c for c in columns if c not in periods]
        condition = []
        if periods:
            firsts = [tuple(scope[columns.index(c)] for c in periods) for scope in scopes]
            first, last = min(firsts), max(firsts)
            if len(periods) == 1:
                condition = [table.c[periods[0]].between(first[0], last[0])]
            else:
                period = tuple_(*(table.c[c] for c in periods))
                condition = [period >= tuple_(*first), period <= tuple_(*last)]
        name_sets = sorted({tuple(scope[columns.index(c)] for c in names) for scope in scopes})
        if len(names) == 1:
            name_sets = [values[0] for values in name_sets]
        for start in range(0, max(len(name_sets), 1), 400):
            where = list(condition)
            if names:
                keys = table.c[names[0]] if len(names) == 1 else tuple_(*(table.c[c] for c in names))
                where.append(keys.in_(name_sets[start:start + 400]))
            for row in connection.execute(select(table).where(*where)).mappings():
                if tuple(row[c] for c in columns) in scopes:
                    rows[row["id"]] = dict(row)
    return list(rows.values())


def _period_of(row: dict) -> tuple[int, int] | None:
    """A row's (year, month), month 0 for a whole year; None for a row without a period (a goal)."""
    if row.get("year") is None:
        return None
    month = row.get("month", row.get("cutoff_month"))
    return int(row["year"]), int(month) if month is not None else 0


def _period_text(period: tuple[int, int] | None) -> str:
    if period is None:
        return ""
    year, month = period
    return str(year) if month == 0 else month_label(year, month)


_VALUE_UNITS = {"amount_kr": "\u00a0kr", "cost_kr": "\u00a0kr", "care_days": "\u00a0dygn",
                "scheduled_hours": "\u00a0timmar"}
_VALUE_NAMES = {"amount_kr": "belopp", "cost_kr": "kostnad", "care_days": "antal dygn",
                "scheduled_hours": "ordinarie timmar", "employees": "antal anställda"}


def _row_text(row: dict, kind_table: str) -> str:
    key = _KEYS[kind_table]
    parts = [_period_text(_period_of(row))] if _period_of(row) is not None else []
    parts += [printable(row[k], 40) for k in key if k not in ("year", "month", "cutoff_month") and row[k] != ""]
    return " · ".join(parts) + f" ({_value_text(row, kind_table)})"


def _value_text(row: dict, kind_table: str) -> str:
    """A row's main figure with its unit: "4 632 688 kr"; for a row without one, what it holds."""
    value_column = _MAIN_VALUE[kind_table]
    if value_column is None:  # a goal's row: its values as the interface writes them
        shown = [v for k, v in row.items() if k not in _KEYS[kind_table] and k not in ("id", "import_id")
                 and v is not None and v == v and v != ""]
        if not shown:
            return "tomt"
        return "; ".join(format_number_short(v) if isinstance(v, float) else printable(v, 30) for k, v in row.items()
                         if k not in _KEYS[kind_table] and k not in ("id", "import_id") and v is not None
                         and v == v and v != "")
    return f"{format_number(row[value_column])}{_VALUE_UNITS.get(value_column, '')}"


def _change_text(old: dict, new: dict, kind_table: str, value_columns: list[str]) -> str:
    """A changed row in words: its main figure's change, or, where that is the same, what else changes
    ("får en ny kommentar"), so that a changed comment is not read as a changed amount."""
    value = _MAIN_VALUE[kind_table]
    if value is None or old.get(value) != new.get(value):
        return f"{_row_text(old, kind_table)} blir {_value_text(new, kind_table)}"
    others = [c for c in value_columns if c != value and old.get(c) != new.get(c)]
    if others == ["comment"]:
        return f'{_row_text(old, kind_table)} får kommentaren "{printable(new.get("comment") or "", 80)}"'
    # A named figure beside the main one (a volume's dygn) is said with its change: "ändras, med samma
    # kostnad" alone read as a routine correction where dygn went from 767 to 1,5.
    named = [f"{_VALUE_NAMES[c]} {format_number_short(old.get(c))} → {format_number_short(new.get(c))}"
             for c in others if c in _VALUE_NAMES]
    return (f"{_row_text(old, kind_table)} ändras" + (f": {', '.join(named)}" if named else "")
            + f", med samma {_VALUE_NAMES.get(value, 'värde')}")


def _change_cautions(write: _Write, existing: list[dict], records: list[dict],
                     file_name: str) -> tuple[list[Caution], int, int, int]:
    name = write.table.name
    key = write.key
    new_keys = {tuple(r[k] for k in key) for r in write.rows}
    old_by_key = {tuple(r[k] for k in key): r for r in existing}
    value_columns = [c for c in write.rows[0] if c not in key] if write.rows else []
    removed = [r for k, r in old_by_key.items() if k not in new_keys]
    new_by_key = {tuple(r[k] for k in key): r for r in write.rows}
    changed_rows = [(old, new_by_key[k]) for k, old in old_by_key.items()
                    if k in new_by_key and any(old.get(c) != new_by_key[k].get(c) for c in value_columns)]
    changed = len(changed_rows)
    added = len(new_keys - set(old_by_key))
    cautions = []
    if changed_rows:
        value = _MAIN_VALUE[name]
        # The largest changes first, to the thousand kronor; alike, in period order (a year's budget spread
        # over its months was listed "dec, mar, nov, jun …").
        ordered = sorted(changed_rows, key=lambda pair: tuple(str(pair[0][k]).zfill(6) for k in key))
        if value is not None:
            ordered.sort(key=lambda pair: -round(abs(float(pair[1][value]) - float(pair[0][value])), -3))
        # An outcome's or budget's month named with the file's row it comes from (2026-12-07 new-municipality walk:
        # the caution named period, verksamhet and kontogrupp, not where in the file to look).
        lines = _file_lines(records) if name in ("actuals", "budgets") else {}

        def where(new: dict) -> str:
            line = lines.get(_line_key(lines, new["activity"], new["account_group"], new["year"], new["month"])) \
                if lines else None
            return "" if line is None else f"rad {line}, "

        listed = "; ".join(where(new) + _change_text(old, new, name, value_columns) for old, new in ordered[:8])
        more = f" och {changed - 8} till" if changed > 8 else ""
        title = f"{changed} sparade rader får nya värden" if changed > 1 else "1 sparad rad får ett nytt värde"
        # A value many times its old one, or many times smaller (not nought), is more likely a misplaced decimal or
        # unit than a correction (2026-12-07 first-import walk: a forecast replaced in tkr, 32 500 000 kr becoming
        # 32 500 kr, was headed as any correction).
        pairs = [] if value is None else [(abs(float(old[value] or 0)), abs(float(new[value] or 0)))
                                          for old, new in changed_rows]
        jumps = sum(1 for before, after in pairs if before and after > OUTLIER_FACTOR * before)
        drops = sum(1 for before, after in pairs if after and after * OUTLIER_FACTOR < before)
        if jumps:
            title += (f", mer än {OUTLIER_FACTOR} gånger det tidigare" if changed == 1 else
                      f", {jumps} av dem mer än {OUTLIER_FACTOR} gånger de tidigare")
        if drops:
            title += (f", mer än {OUTLIER_FACTOR} gånger mindre än det tidigare" if changed == 1 else
                      f", {drops} av dem mer än {OUTLIER_FACTOR} gånger mindre än de tidigare")
        check = " Kontrollera decimaler och enhet (kr, inte tkr)." if jumps or drops else ""
        order = " (störst ändring först)" if changed > 1 else ""
        cautions.append(Caution(f"andrade:{changed}", title,
                                f"{file_name} ändrar redan sparade värden{order}: {listed}{more}. Godkänn om det är "
                                f"en avsedd rättelse eller en ny version av filen.{check}"))
    if removed:
        first = sorted(removed, key=lambda r: tuple(str(r[k]) for k in key))[:10]
        listed = "; ".join(_row_text(r, name) for r in first)
        more = f" och {len(removed) - 10} till" if len(removed) > 10 else ""
        title = f"{len(removed)} sparade rader tas bort" if len(removed) > 1 else "1 sparad rad tas bort"
        cautions.append(Caution(
            f"borttagna:{len(removed)}", f"{title} utan ersättning",
            f"{file_name} ersätter allt för de perioder och nycklar filen nämner, och raderna {listed}{more} finns "
            "inte i filen. Kontrollera att filen är komplett för dessa perioder."))
    # Rows of a period that holds only a small part of the file, where data is already stored.
    periods: Counter = Counter()
    for record in records:
        if record.get("period") is not None:
            periods[(record["period"].year, record["period"].month)] += record.get("_count", 1)
    total = sum(periods.values())
    main = periods.most_common(1)[0][0] if periods else None
    # Only a file with a main period (half its rows or more) has periods outside it: a file of many months
    # alike, such as a re-imported history, was told its first month was both its main period and outside it.
    if len(periods) > 1 and periods[main] >= 0.5 * total:
        stored = {_period_of(r) for r in existing} - {None}
        minor = sorted(p for p, n in periods.items() if n < MINOR_PERIOD_SHARE * total and p in stored and p != main)
        if minor:
            texts = ", ".join(f"{_period_text(p)} ({periods[p]} {_rows(periods[p])})" for p in minor[:10]) + (
                f" och {len(minor) - 10} till" if len(minor) > 10 else "")
            cautions.append(Caution(
                "perioder:" + ",".join(f"{y}-{m}" for y, m in minor),
                "Filen ändrar redan sparade perioder utanför sin huvudperiod",
                f"{file_name} gäller mest {_period_text(main)} ({count_text(periods[main], 'rad', 'rader')}) men har också rader för "
                f"{texts}, som redan har sparade data; de ersätts för samma nycklar."))
    return cautions, changed, len(removed), added


def _outlier_cautions(connection: Connection, write: _Write, file_name: str) -> list[Caution]:
    """A verksamhet's month far beyond anything it has booked before (a misplaced decimal or unit)."""
    if write.table.name not in ("actuals", "budgets") or not write.rows:
        return []
    c = write.table.c
    monthly = (select(c.activity, c.year, c.month, func.sum(c.amount_kr).label("amount"))
               .where(c.activity.in_(sorted({r["activity"] for r in write.rows})))
               .group_by(c.activity, c.year, c.month).subquery())
    query = (select(monthly.c.activity, func.max(func.abs(monthly.c.amount)).label("largest"),
                    func.count().label("months")).group_by(monthly.c.activity))
    largest = {row.activity: (float(row.largest or 0), int(row.months)) for row in connection.execute(query)}
    totals: dict[tuple, int] = defaultdict(int)
    for r in write.rows:
        totals[(r["activity"], r["year"], r["month"])] += r["amount_kr"]
    flagged = []
    for (activity, year, month), amount in sorted(totals.items()):
        known, months = largest.get(activity, (0.0, 0))
        if months >= 6 and known > 0 and abs(amount) > OUTLIER_FACTOR * known:
            flagged.append(f"{printable(activity, 40)} {month_label(year, month)}: {format_number(amount)} kr "
                           f"(störst hittills {format_number(known)} kr)")
    if not flagged:
        return []
    more = f" och {len(flagged) - 5} till" if len(flagged) > 5 else ""
    return [Caution(f"orimliga:{len(flagged)}", f"{len(flagged)} månadsbelopp är mer än {OUTLIER_FACTOR} gånger "
                    "större än något tidigare", f"{file_name}: " + "; ".join(flagged[:5]) + more +
                    ". Kontrollera decimaler och enhet (kr, inte tkr).")]


def _file_lines(records: list[dict]) -> dict[tuple, int]:
    """The file's row of each (verksamhet, kontogrupp, year, month) of an outcome or budget; a yearly line's month
    is None."""
    lines: dict[tuple, int] = {}
    for r in records:
        period = r.get("period")
        lines.setdefault((r.get("verksamhet"), r.get("kontogrupp"), period.year if period else r.get("ar"),
                          period.month if period else None), r["_row"])
    return lines


def _month_and_year_totals(write: _Write) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """The rows to write summed per (verksamhet, kontogrupp, year, month) and per (verksamhet, kontogrupp, year)."""
    totals: dict[tuple, int] = defaultdict(int)
    years: dict[tuple, int] = defaultdict(int)
    for r in write.rows:
        totals[(r["activity"], r["account_group"], r["year"], r["month"])] += r["amount_kr"]
        years[(r["activity"], r["account_group"], r["year"])] += r["amount_kr"]
    return totals, years


def _line_key(lines: dict[tuple, int], activity: str, group: str, year: int, month: int) -> tuple:
    """The file's line a month comes from: its own, or a yearly line's, named by its year (month None)."""
    key = (activity, group, year, month)
    return key if key in lines else (activity, group, year, None)


def _flagged_lines(flagged: dict[tuple, tuple[int | None, int, float]],
                   beside: Callable[[int, float], str]) -> tuple[int, str]:
    """Flagged months of an outcome or budget file, (verksamhet, kontogrupp, year, month) → (row, amount, usual),
    as a caution names them: how many, and the first five by row, each with ``beside(amount, usual)``."""
    texts = [("" if line is None else f"rad {line}, ") + f"{printable(activity, 40)}, {printable(group, 40)} "
             + (month_label(year, month) if month is not None else str(year))
             + f": {format_kr(amount)} ({beside(amount, usual)})"
             for (activity, group, year, month), (line, amount, usual)
             in sorted(flagged.items(), key=lambda item: (item[1][0] or 0, item[0][2], item[0][3] or 0))]
    more = f" och {len(texts) - 5} till" if len(texts) > 5 else ""
    return len(texts), "; ".join(texts[:5]) + more


def _sign_cautions(connection: Connection, write: _Write, records: list[dict], file_name: str) -> list[Caution]:
    """Amounts whose sign is the opposite of what their verksamhet and kontogrupp have always booked: a file
    exported with the report's signs (net cost negative), which would turn the year's deficit into a surplus
    (2026-12-07 controller walk: every sign reversed passed without a word and showed a 96 mnkr surplus).

    A kontogrupp counts when it has ``SIGN_MONTHS`` months or more saved, at least ``SIGN_SHARE`` of them with one
    sign; a file month of the other sign is flagged when it is at least ``SIGN_SIZE`` of the group's usual month
    (a small credit among costs is not)."""
    if write.table.name not in ("actuals", "budgets") or not write.rows:
        return []
    c = write.table.c
    monthly = (select(c.activity, c.account_group, func.sum(c.amount_kr).label("amount"))
               .where(c.activity.in_(sorted({r["activity"] for r in write.rows})))
               .group_by(c.activity, c.account_group, c.year, c.month).subquery())
    m = monthly.c
    query = (select(m.activity, m.account_group, func.count().label("months"),
                    func.sum(case((m.amount > 0, 1), else_=0)).label("positive"),
                    func.sum(case((m.amount < 0, 1), else_=0)).label("negative"),
                    func.avg(func.abs(m.amount)).label("usual"))
             .group_by(m.activity, m.account_group))
    usual = {}
    for row in connection.execute(query):
        months, positive, negative = int(row.months), int(row.positive or 0), int(row.negative or 0)
        if months >= SIGN_MONTHS and max(positive, negative) >= SIGN_SHARE * months:
            usual[(row.activity, row.account_group)] = (1 if positive > negative else -1, float(row.usual or 0))
    totals, years = _month_and_year_totals(write)
    lines = _file_lines(records)
    flagged: dict[tuple, tuple[int | None, int, float]] = {}
    for (activity, group, year, month), amount in totals.items():
        sign, mean = usual.get((activity, group), (0, 0.0))
        if not sign or amount * sign >= 0 or abs(amount) < SIGN_SIZE * mean:
            continue
        key = _line_key(lines, activity, group, year, month)
        flagged[key] = (lines.get(key), amount if key[3] is not None else years[key[:3]], math.copysign(mean, sign))
    if not flagged:
        return []
    count, listed = _flagged_lines(flagged, lambda amount, usual: f"tidigare i snitt {format_kr(usual)} i månaden")
    return [Caution(f"tecken:{count}",
                    "1 rad har omvänt tecken mot vad kontogruppen bokfört tidigare" if count == 1 else
                    f"{format_number(count)} rader har omvänt tecken mot vad kontogrupperna bokfört tidigare",
                    f"{file_name}: {listed}. Belopp anges med bokföringens tecken: kostnader positiva, intäkter negativa. En fil som "
                    "tagits ut med rapportens tecken (nettokostnad negativ) har alla tecken omvända.")]


def _budget_cautions(connection: Connection, write: _Write, records: list[dict], file_name: str,
                     headings: dict[str, str], said: list[Caution]) -> list[Caution]:
    """Utfall, or a verksamheternas prognos, set against the saved budget of the same verksamheter, for a ledger
    without the history that ``_small_cautions`` and ``_sign_cautions`` need (2026-12-07 Norrtälje walk: the
    driftredovisning pasted in as utfall, in tkr and with the report's signs, against a budget in kronor, was saved
    with no word of either, and the page showed "+100,1 %"; the first-import walk did the same with a forecast).
    Per verksamhet and month (a forecast: against the year's budget), net: the file's amounts added up more than
    ``SMALL_FACTOR`` times smaller than the budget's (``budget_skala``), or of the other sign for at least half of
    the verksamheter and months compared (``budget_tecken``). Not said where the history has said it (``said``)."""
    forecast = write.table.name == "forecasts_manual"
    if write.table.name not in ("actuals", "forecasts_manual") or not write.rows:
        return []
    month_column = "cutoff_month" if forecast else "month"
    in_file: dict[tuple, int] = defaultdict(int)
    for r in write.rows:
        in_file[(r["year"], r[month_column], r["activity"])] += r["amount_kr"]
    b = s.budgets.c
    query = (select(b.year, b.month, b.activity, func.sum(b.amount_kr).label("amount"))
             .where(b.activity.in_(sorted({a for _, _, a in in_file})))
             .group_by(b.year, b.month, b.activity))
    query = query.where(b.year.in_(sorted({y for y, _, _ in in_file}))) if forecast else \
        query.where(tuple_(b.year, b.month).in_(sorted({(y, m) for y, m, _ in in_file})))
    budget: dict[tuple, int] = defaultdict(int)
    for row in connection.execute(query):
        budget[(int(row.year), None if forecast else int(row.month), row.activity)] += int(row.amount or 0)
    planned_for = {key: budget.get((key[0], None if forecast else key[1], key[2]), 0) for key in in_file}
    compared = sorted(key for key in in_file if planned_for[key])
    if not compared:
        return []
    rows: dict[tuple, list[int]] = defaultdict(list)
    for r in records:
        period = r.get("period")
        if period is not None:
            rows[(period.year, period.month, r.get("verksamhet"))].append(r["_row"])
    what, against, of_budget = ("Prognosen", "budget helår", "budget helår") if forecast else \
        ("Utfallet", "budgeten", "budgetens")

    def examples(keys: list[tuple]) -> str:
        shown = []
        for key in sorted(keys, key=lambda key: (min(rows.get(key) or [0]), key))[:3]:
            lines = rows.get(key) or []
            where = f"{_rows_text(lines, 3)}, " if lines else ""
            when = f"prognos per {month_label(key[0], key[1])}" if forecast else month_label(key[0], key[1])
            shown.append(f"{where}{printable(key[2], 40)} {when}: {'sammanlagt ' if len(lines) > 1 else ''}"
                         f"{format_kr(in_file[key])} mot {of_budget} {format_kr(planned_for[key])}")
        return "; ".join(shown) + (f" och {len(keys) - 3} till" if len(keys) > 3 else "")

    cautions = []
    column = f'kolumn "{heading_of(headings, "belopp")}"'
    size = sum(abs(in_file[key]) for key in compared)
    planned = sum(abs(planned_for[key]) for key in compared)
    codes = {caution.code.split(":")[0] for caution in said}
    if size * SMALL_FACTOR < planned and not codes & {"sma", "liten_manad"}:
        cautions.append(Caution(
            "budget_skala", f"{what} är mer än {SMALL_FACTOR} gånger mindre än {against} för samma "
                            + ("verksamheter" if forecast else "månader"),
            f"{file_name}, {column}: {examples(compared)}. Sammanlagt {format_kr(size)} mot {of_budget} "
            f"{format_kr(planned)} (utan tecken). Är filen i tkr eller mnkr? Beloppen ska stå i kronor."))
    opposite = [key for key in compared if in_file[key] * planned_for[key] < 0]
    if len(opposite) * 2 >= len(compared) and "tecken" not in codes:
        cautions.append(Caution(
            "budget_tecken", f"{what} har omvänt tecken mot {against} för samma verksamheter",
            f"{file_name}, {column}: {examples(opposite)}; {len(opposite)} av {len(compared)} "
            + ("verksamheter med budget" if forecast else "verksamheter och månader med budget")
            + f" har {'prognos' if forecast else 'utfall'} med andra tecknet. Belopp anges med bokföringens tecken: "
              "kostnader positiva, intäkter negativa. En fil som tagits ut med rapportens tecken (nettokostnad "
              "negativ) har alla tecken omvända."))
    return cautions


def _small_cautions(connection: Connection, write: _Write, records: list[dict], file_name: str) -> list[Caution]:
    """Amounts far below what their verksamhet and kontogrupp usually book in a month ("1.5" meant as 1,5 mnkr).

    The usual month is the mean of the absolute amounts already saved for the same verksamhet and kontogrupp
    (six months or more); a month that is not zero and more than ``SMALL_FACTOR`` times smaller is flagged,
    once per line of the file (a year's budget line is spread over twelve months).
    """
    if write.table.name not in ("actuals", "budgets") or not write.rows:
        return []
    c = write.table.c
    query = (select(c.activity, c.account_group, func.avg(func.abs(c.amount_kr)).label("usual"),
                    func.count().label("months"))
             .where(c.activity.in_(sorted({r["activity"] for r in write.rows})))
             .group_by(c.activity, c.account_group))
    usual = {(row.activity, row.account_group): (float(row.usual or 0), int(row.months))
             for row in connection.execute(query)}
    totals, years = _month_and_year_totals(write)
    lines = _file_lines(records)
    flagged: dict[tuple, tuple[int | None, int, float]] = {}
    for (activity, group, year, month), amount in totals.items():
        mean, months = usual.get((activity, group), (0.0, 0))
        if months < 6 or amount == 0 or abs(amount) * SMALL_FACTOR >= mean:
            continue
        key = _line_key(lines, activity, group, year, month)
        flagged[key] = (lines.get(key), amount if key[3] is not None else years[key[:3]], mean)
    if not flagged:
        return []
    count, listed = _flagged_lines(flagged, lambda amount, mean: "kontogruppens månad i snitt "
                                                                 + format_kr(math.copysign(mean, amount)))
    return [Caution(f"sma:{count}",
                    "1 rad har ett ovanligt litet belopp för sin kontogrupp" if count == 1 else
                    f"{format_number(count)} rader har ovanligt små belopp för sina kontogrupper",
                    f"{file_name}: {listed}. Kontrollera decimaler och enhet (kr, inte tkr eller mnkr).")]


def _locked_cautions(connection: Connection, write: _Write, existing: list[dict],
                     file_name: str) -> list[Caution]:
    """Booked months that a locked forecast version was made on, given other figures by the file.

    A locked version never changes: it stays the helårsprognos of its period, now beside utfall it did not
    know. The controller is told so before saving, with the versions named, rather than finding the pages
    disagree afterwards."""
    if write.table.name != "actuals" or not existing:
        return []
    before: dict[tuple[int, int], int] = defaultdict(int)
    after: dict[tuple[int, int], int] = defaultdict(int)
    for row in existing:
        before[(int(row["year"]), int(row["month"]))] += int(row["amount_kr"])
    for row in write.rows:
        if (int(row["year"]), int(row["month"])) in before:
            after[(int(row["year"]), int(row["month"]))] += int(row["amount_kr"])
    corrected = sorted(p for p in before if before[p] != after.get(p, 0))
    versions, relied = _versions_relying_on(connection, corrected)
    if not versions:
        return []
    named = listing([_version_named(row) for row in versions], 4)
    months = listing([month_label(*p) for p in relied], 6)
    several = len(versions) > 1
    which = "de låsta versionerna" if several else "den låsta versionen"
    return [Caution("lasta:" + ",".join(str(row.id) for row in versions),
                    f"Rättelsen gäller månader som {'låsta prognosversioner' if several else 'en låst prognosversion'} "
                    "bygger på",
                    f"{file_name} ändrar utfallet för {months}, som {which} {named} räknade med. En låst version "
                    "ändras aldrig: den förblir helårsprognos för sin period, och sidorna visar de nya utfallen "
                    "bredvid den. Spara en ny version under Prognos om prognosen ska bygga på rättelsen.")]


def _month_cautions(connection: Connection, write: _Write, file_name: str) -> list[Caution]:
    """What a file of utfall does to a month against the month before it, read in one query of the saved months
    (the file's own months where it holds both):

    - fewer verksamheter with utfall than the saved month before had (``tackning``): a month booked for three of
      fourteen verksamheter becomes the latest booked month of every page, its year-to-date far below the
      periodised budget, and the nämnd would meet a surplus that is a half-read month;
    - the same amounts, krona for krona, per verksamhet and kontogrupp (``upprepad``: last month's file with the
      month changed);
    - amounts adding up (without their sign) to more than ``SMALL_FACTOR`` times less (``liten_manad``: a file in
      tkr or mnkr, whose small amounts round to nothing, so that no row of it is flagged as small). 2026-12-06
      walk: a copy of August named September, and a file in mnkr, were accepted with one caution for 20 of 62 rows.
    """
    if write.table.name != "actuals" or not write.rows:
        return []
    c = write.table.c
    in_file: dict[tuple[int, int], dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for row in write.rows:
        in_file[(int(row["year"]), int(row["month"]))][(row["activity"], row["account_group"])] += row["amount_kr"]
    before = {p: (p[0] - 1, 12) if p[1] == 1 else (p[0], p[1] - 1) for p in in_file}
    saved: dict[tuple[int, int], dict[tuple, int]] = defaultdict(dict)
    query = (select(c.year, c.month, c.activity, c.account_group, func.sum(c.amount_kr).label("amount"))
             .where(tuple_(c.year, c.month).in_(sorted(set(in_file) | set(before.values()))))
             .group_by(c.year, c.month, c.activity, c.account_group))
    for row in connection.execute(query):
        saved[(int(row.year), int(row.month))][(row.activity, row.account_group)] = int(row.amount or 0)
    months = {**saved, **{period: dict(amounts) for period, amounts in in_file.items()}}  # after the import
    short, cautions = [], []
    for period in sorted(in_file):
        previous = {activity for activity, _ in saved.get(before[period], {})}
        missing = sorted(previous - {activity for activity, _ in in_file[period]}
                         - {activity for activity, _ in saved.get(period, {})})
        if missing:
            short.append((period, len(previous), missing))
        now, then = months[period], months.get(before[period], {})
        size, earlier = sum(abs(v) for v in now.values()), sum(abs(v) for v in then.values())
        if len(now) >= 3 and now == then and size:
            cautions.append(Caution(
                f"upprepad:{period[0]}-{period[1]}", "Månaden har samma belopp som månaden före, krona för krona",
                f"{file_name}: alla {format_number(len(now))} belopp för {month_label(*period)} (per verksamhet och "
                f"kontogrupp) är desamma som för {month_label(*before[period])}. Är det förra månadens fil med en ny "
                "månad? Godkänn bara om beloppen verkligen är desamma."))
        elif earlier and size * SMALL_FACTOR < earlier:
            cautions.append(Caution(
                f"liten_manad:{period[0]}-{period[1]}",
                f"Månadens belopp är sammanlagt mer än {SMALL_FACTOR} gånger mindre än månaden före",
                f"{file_name}: beloppen för {month_label(*period)} är sammanlagt {format_kr(size)} (utan tecken) mot "
                f"{format_kr(earlier)} för {month_label(*before[period])}. Är filen i tkr eller mnkr? Beloppen ska "
                "stå i kronor; små belopp i tkr eller mnkr avrundas till noll kronor."))
    if short:
        said = "; ".join(
            f"{month_label(*period)} saknar {listing([printable(name, 60) for name in missing], 5)} "
            f"({len(missing)} av {had} verksamheter med utfall {month_label(*before[period])})"
            for period, had, missing in short[:6])
        cautions.insert(0, Caution(
            "tackning:" + ",".join(f"{y}-{m}" for (y, m), _, _ in short),
            "Månaden har utfall för färre verksamheter än månaden före",
            f"{file_name}: {said}. Sparas filen blir månaden bokförd utan deras utfall, och sidorna räknar "
            "perioden som om kostnaderna vore noll. Godkänn bara om verksamheterna inte ska ha utfall."))
    return cautions


def _price_cautions(connection: Connection, write: _Write, existing: list[dict], records: list[dict],
                    file_name: str, headings: dict[str, str]) -> list[Caution]:
    """A category's month whose à-pris (kostnad / dygn) is more than ``OUTLIER_FACTOR`` times above or below
    the category's price over its stored months (at least six): a misplaced decimal in dygn ("1.5" for 1 500)
    or in kostnad, which the amounts alone do not show, would move volume, mix and price on every page."""
    if write.table.name != "volumes" or not write.rows:
        return []
    c = write.table.c
    history = {row.category: [float(row.cost), float(row.days), int(row.months)] for row in connection.execute(
        select(c.category, func.sum(c.cost_kr).label("cost"), func.sum(c.care_days).label("days"),
               func.count().label("months"))
        .where(c.category.in_(sorted({r["category"] for r in write.rows})), c.care_days > 0)
        .group_by(c.category))}
    for old in existing:  # the stored months the file replaces are not the price it is compared with
        if old["category"] in history and old["care_days"] and old["care_days"] > 0:
            known = history[old["category"]]
            known[0], known[1], known[2] = known[0] - old["cost_kr"], known[1] - old["care_days"], known[2] - 1
    flagged = []
    for row in sorted(write.rows, key=lambda r: (r["category"], r["year"], r["month"])):
        cost, days, months = history.get(row["category"], (0.0, 0.0, 0))
        if months < 6 or days <= 0 or cost <= 0 or not row["care_days"] or row["care_days"] <= 0:
            continue
        known, price = cost / days, row["cost_kr"] / row["care_days"]
        if known / OUTLIER_FACTOR <= price <= known * OUTLIER_FACTOR:
            continue
        lines = [r["_row"] for r in records if r["kategori"] == row["category"]
                 and (r["period"].year, r["period"].month) == (row["year"], row["month"])]
        flagged.append(f"{_rows_text(lines)}, {printable(row['category'], 60)} "
                       f"{month_label(row['year'], row['month'])}: "
                       f"{format_number_short(row['care_days'])} dygn och {format_number(row['cost_kr'])} kr ger "
                       f"{format_number(price)} kr per dygn (tidigare i snitt {format_number(known)} kr)")
    if not flagged:
        return []
    more = f" och {len(flagged) - 5} till" if len(flagged) > 5 else ""
    return [Caution(f"apris:{len(flagged)}",
                    f"{count_text(len(flagged), 'månad har', 'månader har')} ett à-pris mer än {OUTLIER_FACTOR} gånger "
                    "högre eller lägre än tidigare",
                    f'{file_name}, kolumnerna "{heading_of(headings, "dygn")}" och '
                    f'"{heading_of(headings, "kostnad")}": '
                    + "; ".join(flagged[:5]) + more +
                    ". Kontrollera decimaler och tusental i dygn och kostnad; godkänn bara om priset verkligen är så.")]


def _effect(write: _Write, existing: list[dict]) -> pd.DataFrame:
    """Per period and key: stored rows and sum now, and after the import (``value_*``); a volume file also
    its dygn (``second_*``, named in ``second_name``)."""
    name = write.table.name
    value = _MAIN_VALUE[name] or "_rows"  # rows counted where there is no figure to sum
    second = _SECOND_VALUE.get(name)
    group = list(_EFFECT_GROUP.get(name) or (write.deletes[-1][0] if write.deletes else []))

    def frame(rows: list[dict], suffix: str) -> pd.DataFrame:
        columns = [f"rows_{suffix}", f"value_{suffix}"] + ([f"second_{suffix}"] if second else [])
        if not rows:
            return pd.DataFrame(columns=[*group, *columns])
        data = pd.DataFrame(rows).assign(_rows=1)
        grouped = data.groupby(group, dropna=False)
        result = grouped[value].agg(["size", "sum"]).rename(columns={"size": columns[0], "sum": columns[1]})
        if second:
            result[columns[2]] = grouped[second].sum(min_count=1)
        return result.reset_index()

    before = frame(existing, "before")
    after = frame(write.rows, "after")
    merged = before.merge(after, on=group, how="outer")
    numbers = ["rows_before", "rows_after", "value_before", "value_after"] + (["second_before", "second_after"]
                                                                              if second else [])
    for column in numbers:
        merged[column] = pd.to_numeric(merged[column], errors="coerce").fillna(0)
    merged["difference"] = merged["value_after"] - merged["value_before"]
    merged["value_name"] = value
    # Whether the file changes the scope: its figure, its rows or, for a volume file, its dygn.
    merged["changed"] = (merged["difference"] != 0) | (merged["rows_before"] != merged["rows_after"])
    merged["_second"] = 0
    if second:
        merged["second_name"] = second
        merged["_second"] = -(merged["second_after"] - merged["second_before"]).abs()
        merged["changed"] |= merged["_second"] != 0
    # Stored figures the file replaces first, what changes most first, then what changes in dygn alone; then the
    # scopes new to the database in their own order (a first import's months from January, 2026-12-07
    # new-municipality walk: "dec 2024, nov 2024, apr 2024, jan 2024 …" by size); unchanged scopes last.
    replacing = merged["rows_before"] > 0
    merged["_unchanged"] = (~merged["changed"]).astype(int)
    merged["_new"] = (~replacing).astype(int)
    merged["_size"] = -merged["difference"].abs().where(replacing, 0)
    merged["_second"] = merged["_second"].where(replacing, 0)
    order = ["_unchanged", "_new", "_size", "_second"]
    return merged.sort_values([*order, *group]).drop(columns=order).reset_index(drop=True)


# Words in a file name that say what it holds, and the kind they belong to.
_NAME_HINTS = {"utfall": "utfall", "budget": "budget", "prognos": "prognos", "volym": "volymer",
               "sjuk": "sjukfranvaro", "personal": "personalomsattning", "omsattning": "personalomsattning"}


def _kind_caution(kind: str, file_name: str) -> list[Caution]:
    """A file named for another kind than the one chosen (utfall_2025-09.csv read as budget)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", file_name.lower()) if not unicodedata.combining(ch))
    named = {hint_kind for word, hint_kind in _NAME_HINTS.items() if word in plain}
    related = {kind, *(k for k in named if kind.startswith(k[:5]))}
    if not named or named & related:
        return []
    other = sorted(named)[0]
    return [Caution(f"typ:{other}", f"Filnamnet tyder på {other}, men filen läses som {kind}",
                    f"{file_name}: kontrollera att rätt typ är vald; en fil läst som fel typ ersätter den typens "
                    "sparade data.")]


# A year and month in a file name ("utfall_2025-09.csv", "utfall 202509.csv"), or a year alone ("budget_2026.csv").
_NAME_MONTH = re.compile(r"(?<!\d)(20\d\d)[-_. ]?(0[1-9]|1[0-2])(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _name_period_caution(file_name: str, write: _Write) -> list[Caution]:
    """A file named for a month (or a year) it holds no row of: August's file saved again as September's, whose
    only sign was that August's saved rows got new values (2026-12-07 walk). A name with two periods names none."""
    records = write.rows
    if not records or "year" not in records[0]:
        return []
    month_key = next((key for key in ("month", "cutoff_month") if key in records[0]), None)
    named_months = {(int(y), int(m)) for y, m in _NAME_MONTH.findall(file_name)}
    named_years = {int(y) for y in _NAME_YEAR.findall(file_name)}
    if month_key and len(named_months) == 1:
        named = next(iter(named_months))
        held = sorted({(int(r["year"]), int(r[month_key])) for r in records})
        if named in held:
            return []
        said, holds = month_label(*named), listing([month_label(*period) for period in held], 4)
    elif len(named_years) == 1 and not named_months:
        named = next(iter(named_years))
        held = sorted({int(r["year"]) for r in records})
        if named in held:
            return []
        said, holds = str(named), listing([str(year) for year in held], 4)
    else:
        return []
    return [Caution(f"namnperiod:{said}", f"Filnamnet anger {said}, men filen har rader för {holds}",
                    f"{file_name}: kontrollera att det är rätt fil innan den sparas; raderna sparas för {holds}.")]


def _plan(connection: Connection, kind: str, validated: Validated,
          file_name: str) -> tuple[ImportPlan, _Write, list[dict]]:
    """The plan, with the rows to write and the stored rows they replace (kept for the write itself)."""
    records = validated.records
    write = _BUILDERS[kind](connection, records)
    refused = in_file_terms(_reference_problems(connection, kind, records, file_name), validated.headings)
    if refused:
        return ImportPlan(kind, file_name, [], refused, rows_read=validated.rows_read), write, []
    existing = _existing_rows(connection, write)
    change_cautions, changed, removed, added = _change_cautions(write, existing, records, file_name)
    name_cautions, new_names, typo_rows, beside = _name_cautions(connection, write, records, file_name,
                                                                 validated.headings)
    cautions = (_kind_caution(kind, file_name) + _name_period_caution(file_name, write) + name_cautions
                + _duplicate_caution(validated, file_name) + change_cautions
                + _outlier_cautions(connection, write, file_name)
                + _small_cautions(connection, write, records, file_name)
                + _sign_cautions(connection, write, records, file_name)
                + _locked_cautions(connection, write, existing, file_name)
                + _month_cautions(connection, write, file_name)
                + _price_cautions(connection, write, existing, records, file_name, validated.headings))
    cautions += _budget_cautions(connection, write, records, file_name, validated.headings, cautions)
    plan = ImportPlan(kind, file_name, records, [], cautions, _effect(write, existing), changed, removed, added,
                      write.span, validated.rows_read, new_names, typo_rows, beside)
    return plan, write, existing


def _reference_problems(connection: Connection, kind: str, records: list[dict], file_name: str) -> list[Problem]:
    """Rows that name what the database does not hold, or may not be given by a file: an indicator's
    values for an indicator not in the goal structure, or for one the product computes itself."""
    if kind != "indikatorvarden":
        return []
    known = {row.name: row.computed for row in connection.execute(
        select(s.goal_indicators.c.name, s.goal_indicators.c.computed))}
    problems = []
    for record in records:
        name = record["indikator"]
        if name not in known:
            near = nearest_name(name, known)
            hint = f'; menade du "{printable(near, 200)}"?' if near else "; läs in målstrukturen (indikatorer) först"
            problems.append(Problem(file_name, record["_row"], "indikator", name,
                                    f"indikatorn finns inte i målstrukturen{hint}"))
        elif known[name]:
            problems.append(Problem(file_name, record["_row"], "indikator", name,
                                    "indikatorn beräknas av panelen själv ur bokföringen, prognosversionerna "
                                    "eller personaldata; dess värden läses inte in från fil"))
        if len(problems) >= 1000:
            break
    return problems


def plan_import(engine: Engine, kind: str, content: Source, file_name: str, sheet: str | None = None, *,
                progress: Callable[[float], None] | None = None) -> ImportPlan:
    """Everything the Data page and ``--forhandsgranska`` show before a file is saved; writes nothing.

    ``progress`` is called with the share of the file read so far (0–1), for a progress bar.
    """
    validated = read_and_validate(kind, content, file_name, sheet, progress)
    if validated.problems:
        return ImportPlan(kind, file_name, [], validated.problems, rows_read=validated.rows_read)
    try:
        with engine.connect() as connection:
            return _plan(connection, kind, validated, file_name)[0]
    except SQLAlchemyError:
        LOG.exception("förhandsgranskning av %s misslyckades", file_name)
        return ImportPlan(kind, file_name, [], [_database_problem(file_name)], rows_read=validated.rows_read)


def _database_problem(file_name: str) -> Problem:
    return Problem(file_name, None, None, "", "databasen kunde inte läsa eller spara filens rader; ingenting "
                   "sparades. Försök igen om en stund, och kontakta systemförvaltaren om felet kvarstår")


# ----------------------------------------------------------------------------------------------
# Writing


def _lock(connection: Connection) -> None:
    """Serialise imports and reverts: one at a time, so check-then-write cannot race."""
    serialise(connection, _LOCK_KEY)


def _register_names(connection: Connection, kind: str, records: list[dict]) -> list[tuple[str, list, list]]:
    """Add new verksamheter/kategorier (and areas, groups, units given in the file) to the register.

    Returns the changes as (table, scope, rows before) for the undo record.
    """
    changes = []
    if kind in ("utfall", "budget", "prognos"):
        existing = {row.name: dict(row._mapping) for row in connection.execute(select(s.activities))}
        next_order = max((r["sort_order"] for r in existing.values()), default=0) + 1
        for record in records:
            name, area = record["verksamhet"], record.get("omrade") or ""
            if name not in existing:
                row = dict(name=name, area=area, sort_order=next_order)
                connection.execute(insert(s.activities).values(**row))
                changes.append(("activities", [name], []))
                existing[name] = row
                next_order += 1
            elif area and existing[name]["area"] != area:
                changes.append(("activities", [name], [dict(existing[name])]))
                connection.execute(update(s.activities).where(s.activities.c.name == name).values(area=area))
                existing[name] = existing[name] | {"area": area}
    elif kind in ("volymer", "volymbudget", "volymprognos"):
        existing = {row.name: dict(row._mapping) for row in connection.execute(select(s.categories))}
        next_order = max((r["sort_order"] for r in existing.values()), default=0) + 1
        for record in records:
            name = record["kategori"]
            values = {}
            # Only what the file states is changed: a file without enhet keeps the stored unit.
            if record.get("enhet"):
                values["unit"] = record["enhet"]
            if record.get("grupp"):
                values["client_group"] = record["grupp"]
            if name not in existing:
                row = dict(name=name, sort_order=next_order, client_group="", unit="dygn") | values
                connection.execute(insert(s.categories).values(**row))
                changes.append(("categories", [name], []))
                existing[name] = row
                next_order += 1
            elif any(existing[name].get(k) != v for k, v in values.items()):
                changes.append(("categories", [name], [dict(existing[name])]))
                connection.execute(update(s.categories).where(s.categories.c.name == name).values(**values))
                existing[name] = existing[name] | values
    return changes


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)


def _write(connection: Connection, kind: str, records: list[dict], import_id: int, write: _Write,
           existing: list[dict]) -> tuple[int, tuple | None, str]:
    """Replace the plan's scopes by its rows, recording per scope the rows it takes out (for undo), and the
    digest of that record (``audit.replaced_digest``) for the import's audit entry.

    ``existing`` are the stored rows in those scopes, read for the plan in this same transaction.
    """
    changes = _register_names(connection, kind, records)
    table = write.table
    pool = {row["id"]: row for row in existing}
    for columns, scopes in write.deletes:
        by_scope: dict[tuple, list] = defaultdict(list)
        for row_id, row in list(pool.items()):
            scope = tuple(row[c] for c in columns)
            if scope in scopes:
                by_scope[scope].append(row)
                del pool[row_id]
        ordered = sorted(scopes)
        # ``existing`` holds every stored row of these scopes, read under the import lock in this
        # transaction: with none, there is nothing to delete.
        for start in range(0, len(ordered), 400) if by_scope else ():
            chunk = ordered[start:start + 400]
            connection.execute(delete(table).where(tuple_(*(table.c[c] for c in columns)).in_(chunk)))
        changes.extend((table.name, [list(columns), list(scope)], by_scope.get(scope, [])) for scope in ordered)
    rows = [row | {"import_id": import_id} for row in write.rows]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(table), rows[start:start + 5000])
    kept = [(name, _json(scope), _json(before)) for name, scope, before in changes]
    if kept:
        connection.execute(insert(s.import_changes), [
            dict(import_id=import_id, table_name=name, scope=scope, removed=removed) for name, scope, removed in kept])
    return len(rows), write.span, audit.replaced_digest(kept)


def _accepted(cautions: list[Caution], accept: Collection[str] | str) -> list[Caution]:
    """The cautions not yet accepted."""
    if accept == ACCEPT_ALL:
        return []
    return [c for c in cautions if c.code not in accept]


def import_file(engine: Engine, kind: str, content: Source, file_name: str, *,
                actor: Actor, sheet: str | None = None, accept: Collection[str] | str = (),
                progress: Callable[[float], None] | None = None, save_unchanged: bool = False) -> ImportResult:
    """Import one file. All or nothing: a file with any problem, or a warning not accepted, writes no rows.

    A file that changes nothing (every row already saved with the same values) is not saved or logged, as the
    Data page holds it back, unless ``save_unchanged``: an API's answer is saved to record when it was fetched.

    ``accept`` holds the codes of the plan's cautions that the user has accepted (or ``ACCEPT_ALL``).
    The plan is made again under the import lock, so a caution that arose after the preview
    (someone else imported in between) refuses the file until it, too, is accepted.
    Refused (AccessDenied) unless the actor's role may import; the refusal is in the audit trail.
    """
    audit.authorise(engine, actor, IMPORT, object_=f"{kind}: {file_name}"[:500])
    user = actor.identity
    with ThreadPoolExecutor(max_workers=1) as beside:  # the checksum is computed while the file is read
        digest_of = beside.submit(source_digest, content)
        validated = read_and_validate(kind, content, file_name, sheet, progress)
        digest = digest_of.result()
    records, read = validated.records, validated.rows_read
    if validated.problems:
        result = ImportResult(kind, file_name, False, read, 0, validated.problems)
        _log_refusal(engine, result, digest, user)
        return result
    try:
        with engine.begin() as connection:
            _lock(connection)
            plan, write, existing = _plan(connection, kind, validated, file_name)
            if plan.problems:
                result = ImportResult(kind, file_name, False, read, 0, plan.problems)
                _log(connection, result, digest, user)
                return result
            open_cautions = _accepted(plan.cautions, accept)
            if open_cautions:
                result = ImportResult(kind, file_name, False, read, 0, [], cautions=open_cautions)
                _log(connection, result, digest, user)
                return result
            if plan.changes_nothing and not save_unchanged:
                return ImportResult(kind, file_name, True, read, 0, [], plan.span, changes=(0, 0, 0))
            import_id = _log(connection, ImportResult(kind, file_name, True, read, 0), digest, user)
            written, span, replaced = _write(connection, kind, records, import_id, write, existing)
            result = ImportResult(kind, file_name, True, read, written, [], span, import_id=import_id,
                                  changes=(plan.rows_added, plan.rows_replaced, plan.rows_removed))
            connection.execute(update(s.import_log).where(s.import_log.c.id == import_id)
                               .values(message=result.message, rows=read))
            audit.record(connection, user=user, action="import", object_=f"{kind}: {file_name}"[:500],
                         after={"rader": read, "sparade": written, **({"period": span} if span else {}),
                                "sha256": digest, "import": import_id, audit.REPLACED_KEY: replaced}
                         | ({"godkända varningar": [c.title for c in plan.cautions]} if plan.cautions else {}))
        return result
    except SQLAlchemyError:
        LOG.exception("import av %s misslyckades", file_name)
        result = ImportResult(kind, file_name, False, read, 0, [_database_problem(file_name)])
        _log_refusal(engine, result, digest, user)
        return result


def _log(connection: Connection, result: ImportResult, digest: str, user: str, *, reverts: int | None = None,
         reason: str = "") -> int:
    message = result.message
    details = [str(p) for p in result.problems[:50]] + [str(c) for c in result.cautions[:50]]
    if details:
        message += "\n" + "\n".join(details)
    values = dict(
        imported_at=dt.datetime.now(dt.timezone.utc), kind=result.kind, file_name=result.file_name[:500],
        content_sha256=digest, rows=result.rows_read, outcome=_outcome(result, reverts),
        message=message, user_name=user[:200], reverts_id=reverts, reason=reason,
    )
    return int(connection.execute(insert(s.import_log).values(**values).returning(s.import_log.c.id)).scalar())


def _outcome(result: ImportResult, reverts: int | None) -> str:
    if reverts is not None:
        return "ångrad"
    if result.ok:
        return "importerad"
    return "ej godkänd" if result.cautions and not result.problems else "avvisad"


def _log_refusal(engine: Engine, result: ImportResult, digest: str, user: str) -> None:
    """A refusal is logged in its own transaction; if even that fails, the user still gets the refusal."""
    try:
        with engine.begin() as connection:
            _log(connection, result, digest, user)
    except SQLAlchemyError:
        LOG.exception("importloggen kunde inte skrivas för %s", result.file_name)


# ----------------------------------------------------------------------------------------------
# Undo


@dataclass(frozen=True)
class RevertResult:
    ok: bool
    message: str
    restored: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)


def revert_import(engine: Engine, import_id: int, *, actor: Actor, reason: str) -> RevertResult:
    """Undo an import: remove the rows it wrote and put back exactly the rows it replaced.

    Only what is still the import's own is reverted. A scope (period and key the import replaced)
    that a later import has written to, or taken rows of this import out of, is left as the later
    import made it and named in the result. Names the import added to the register go again when
    nothing refers to them. One transaction, logged in the import log and the audit trail.
    """
    audit.authorise(engine, actor, IMPORT, object_=f"ångra import {import_id}")
    reason = " ".join(str(reason or "").split())
    if not reason:
        return RevertResult(False, NO_REASON)
    log = s.import_log.c
    try:
        with engine.begin() as connection:
            _lock(connection)
            entry, refusal = _undoable(connection, import_id)
            if refusal:
                return RevertResult(False, refusal)
            years = _undone_years(connection, import_id)
            before = _monthly_actuals(connection, years)
            restored, removed, skipped = _revert(connection, import_id)
            result = ImportResult(entry["kind"], entry["file_name"], True, 0, 0)
            revert_id = _log(connection, result, entry["content_sha256"], actor.identity, reverts=import_id,
                             reason=reason)
            message = _revert_text(entry, import_id, removed, restored, skipped, done=True)
            locked = _locked_after_undo(connection, before, _monthly_actuals(connection, years), done=True)
            message = f"{message} {locked}" if locked else message
            connection.execute(update(s.import_log).where(log.id == revert_id).values(message=message))
            audit.record(connection, user=actor.identity, action="import ångrad",
                         object_=f"{entry['kind']}: {entry['file_name']}"[:500],
                         before={"import": import_id}, after={"varför": reason, "borttagna": removed,
                                                               "återställda": restored, "orörda": len(skipped)})
        return RevertResult(True, message, restored, removed, skipped)
    except SQLAlchemyError:
        LOG.exception("ångra import %s misslyckades", import_id)
        return RevertResult(False, "Databasen kunde inte ångra importen; ingenting ändrades. Försök igen.")


def preview_revert(engine: Engine, import_id: int, *, actor: Actor, reason: str) -> RevertResult:
    """What ``revert_import`` would do, asked before it is done: the same undo in a transaction that is rolled
    back, so the counts are the ones the undo will give, and the same refusals. Changes nothing."""
    audit.authorise(engine, actor, IMPORT, object_=f"ångra import {import_id}")
    if not " ".join(str(reason or "").split()):
        return RevertResult(False, NO_REASON)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                _lock(connection)
                entry, refusal = _undoable(connection, import_id)
                if refusal:
                    return RevertResult(False, refusal)
                years = _undone_years(connection, import_id)
                before = _monthly_actuals(connection, years)
                restored, removed, skipped = _revert(connection, import_id)
                locked = _locked_after_undo(connection, before, _monthly_actuals(connection, years))
            finally:
                transaction.rollback()
        message = _revert_text(entry, import_id, removed, restored, skipped, done=False)
        return RevertResult(True, f"{message} {locked}" if locked else message, restored, removed, skipped)
    except SQLAlchemyError:
        LOG.exception("förhandsgranskning av ångrad import %s misslyckades", import_id)
        return RevertResult(False, "Databasen kunde inte läsa importen; ingenting ändrades. Försök igen.")


def _versions_relying_on(connection: Connection, months: list[tuple[int, int]]) -> tuple[list, list[tuple[int, int]]]:
    """The locked forecast versions (the sample's aside) made on or after one of ``months`` of their own year, and
    those of ``months`` that one of them counted with: a later month is no concern of an August version."""
    if not months:
        return [], []
    from data_access.forecast_versions import sample_version_ids

    v = s.forecast_versions.c
    hidden = sample_version_ids(connection)
    versions = [row for row in connection.execute(
        select(v.id, v.name, v.year, v.cutoff_month).where(v.year.in_(sorted({y for y, _ in months}))).order_by(v.id))
        if row.id not in hidden and any(y == row.year and m <= row.cutoff_month for y, m in months)]
    relied = [p for p in months if any(p[0] == row.year and p[1] <= row.cutoff_month for row in versions)]
    return versions, relied


def _version_named(row) -> str:
    """'"Månadsprognos september 2025" (sep 2025)'."""
    return f'"{printable(row.name, 80)}" ({month_label(row.year, row.cutoff_month)})'


def _undone_years(connection: Connection, import_id: int) -> list[int] | None:
    """The years of utfall an undo of the import can change: none when it wrote no utfall, ``None`` (every
    year) when a scope of utfall is not bounded by year."""
    c = s.import_changes.c
    years: set[int] = set()
    for scope in connection.execute(select(c.scope).where(c.import_id == import_id,
                                                         c.table_name == s.actuals.name)).scalars():
        columns, values = json.loads(scope)
        if "year" not in columns:
            return None
        years.add(int(values[columns.index("year")]))
    return sorted(years)


def _monthly_actuals(connection: Connection, years: list[int] | None) -> dict[tuple[int, int], int]:
    """The nämnd's booked utfall per month of ``years`` (every year for ``None``), summed in the database."""
    if years == []:
        return {}
    c = s.actuals.c
    query = select(c.year, c.month, func.sum(c.amount_kr).label("total")).group_by(c.year, c.month)
    if years is not None:
        query = query.where(c.year.in_(years))
    return {(int(row.year), int(row.month)): int(row.total) for row in connection.execute(query)}


def _locked_after_undo(connection: Connection, before: dict[tuple[int, int], int],
                       after: dict[tuple[int, int], int], *, done: bool = False) -> str:
    """What an undo does to the locked versions whose booked months it changes or removes, said before it is done,
    as a correcting file says it (2026-12-07 controller walk: undoing September's utfall hid the September version
    locked on it, and the question said nothing). Empty when no locked version counted with those months."""
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    versions, relied = _versions_relying_on(connection, changed)
    if not versions:
        return ""
    gone = [month_label(*p) for p in relied if p not in after]
    altered = [month_label(*p) for p in relied if p in after]
    change, remove = ("ändrade", "tog bort") if done else ("ändrar", "tar bort")
    what = " och ".join(part for part in (f"{change} utfallet för {listing(altered, 6)}" if altered else "",
                                         f"{remove} utfallet för {listing(gone, 6)}" if gone else "") if part)
    named = listing([_version_named(row) for row in versions], 4)
    several = len(versions) > 1
    said = (f"Ångringen {what}, som {'de låsta versionerna' if several else 'den låsta versionen'} "
            f"{named} räknade med. En låst version ändras aldrig: den står kvar som den låstes")
    unbooked = [row for row in versions if (row.year, row.cutoff_month) in before and
                (row.year, row.cutoff_month) not in after and not any(p > (row.year, row.cutoff_month) for p in after)]
    if unbooked:
        said += (", men sidorna visar inte dess period förrän utfallet för "
                 f"{listing([month_label(row.year, row.cutoff_month) for row in unbooked], 4)} läses in igen.")
    else:
        said += ", och sidorna visar de nya utfallen bredvid den."
    return said


def _undoable(connection: Connection, import_id: int) -> tuple[dict | None, str]:
    """The import's log entry, or why it cannot be undone."""
    log = s.import_log.c
    entry = connection.execute(select(s.import_log).where(log.id == import_id)).mappings().first()
    if entry is None or entry["outcome"] != "importerad":
        return None, f"Import {import_id} finns inte eller sparade inga data."
    if connection.execute(select(log.id).where(log.reverts_id == import_id)).first() is not None:
        return None, f"Import {import_id} ({entry['file_name']}) är redan ångrad."
    if connection.execute(select(log.id).where(log.id > import_id, log.outcome == CLEARED)).first():
        return None, f"Import {import_id} ({entry['file_name']}) kan inte ångras: alla data har tagits bort efter den."
    if audit.undo_changed(connection, import_id):
        return None, (f"Import {import_id} ({entry['file_name']}) kan inte ångras: {audit.UNDO_CHANGED}. Granska "
                      "databasen (python -m data_access granska).")
    return dict(entry), ""


def _revert_text(entry: dict, import_id: int, removed: int, restored: int, skipped: list[str], *, done: bool) -> str:
    """ "Import 15 (budget.csv) är ångrad: 48 månadsbelopp borttagna, …", or before it is done, the question's
    "Import 15 (budget.csv) ångras: 48 månadsbelopp tas bort, …"."""
    (one, many), removed_words, restored_words = _UNDO_WORDS[entry["kind"] in MONTHLY_FROM_YEARLY]
    if done:
        counts = f"{count_text(removed, *removed_words)}, {count_text(restored, *restored_words)}"
        message = f"Import {import_id} ({entry['file_name']}) är ångrad: {counts}."
    else:
        message = (f"Import {import_id} ({entry['file_name']}) ångras: {count_text(removed, one, many)} tas bort och "
                   f"{count_text(restored, 'tidigare ' + one, 'tidigare ' + many)} återställs.")
    if skipped:
        message += (f" {count_text(len(skipped), 'del', 'delar')} "
                    + ("hade redan ersatts av senare importer och lämnades orörda: " if done else
                       "har redan ersatts av senare importer och lämnas orörda: ")
                    + "; ".join(skipped[:10]) + ("…" if len(skipped) > 10 else ""))
    return message


def _revert(connection: Connection, import_id: int) -> tuple[int, int, list[str]]:
    changes = connection.execute(
        select(s.import_changes).where(s.import_changes.c.import_id == import_id).order_by(s.import_changes.c.id)
    ).mappings().all()
    tables = {t.name: t for t in DATA_TABLES}
    restored = removed = 0
    skipped: list[str] = []
    masters = []
    back: dict[str, list[dict]] = {}
    for change in changes:
        name = change["table_name"]
        scope = json.loads(change["scope"])
        before = json.loads(change["removed"])
        if name in ("activities", "categories"):
            masters.append((name, scope, before))
            continue
        table = tables[name]
        columns, values = scope
        condition = tuple_(*(table.c[c] for c in columns)) == tuple_(*values)
        # A later import that replaced any part of this scope wrote rows of its own there (every
        # import writes rows in each scope it deletes), so the scope is this import's own exactly
        # when every row in it is; a later import that was itself undone put this one's rows back.
        current = connection.execute(select(table.c.import_id).where(condition)).scalars().all()
        if any(owner != import_id for owner in current):
            skipped.append(_scope_text(name, columns, values))
            continue
        removed += connection.execute(delete(table).where(condition)).rowcount
        back.setdefault(name, []).extend(_typed(table, row) for row in before)
    # Everything the import wrote is gone before anything comes back: a database may have given
    # the import's rows the ids that the replaced rows had. A replaced row whose id a later
    # import's row now holds comes back under a new id.
    for name, rows in back.items():
        table = tables[name]
        wanted = [row["id"] for row in rows if row.get("id") is not None]
        taken = set()
        for start in range(0, len(wanted), 500):
            taken.update(connection.execute(select(table.c.id).where(table.c.id.in_(wanted[start:start + 500])))
                         .scalars())
        rows = [{k: v for k, v in row.items() if k != "id"} if row.get("id") in taken else row for row in rows]
        for kept_id in (True, False):
            batch = [row for row in rows if ("id" in row) == kept_id]
            if batch:
                connection.execute(insert(table), batch)
        restored += len(rows)
    for name, (key,), before in reversed(masters):
        master = s.activities if name == "activities" else s.categories
        if before:
            connection.execute(update(master).where(master.c.name == key).values(**_typed(master, before[0])))
        elif not _referenced(connection, name, key):
            connection.execute(delete(master).where(master.c.name == key))
    return restored, removed, skipped


def _scope_text(table_name: str, columns: list[str], values: list) -> str:
    row = dict(zip(columns, values))
    period = _period_text(_period_of(row))
    rest = [printable(v, 40) for c, v in row.items() if c not in ("year", "month", "cutoff_month")]
    return " · ".join([p for p in (period, *rest) if p])


def _typed(table, row: dict) -> dict:
    """A row read back from JSON, with its date-times as date-times again."""
    values = {}
    for column in table.c:
        if column.name in row:
            value = row[column.name]
            if value is not None and isinstance(column.type, s.DateTime) and isinstance(value, str):
                value = dt.datetime.fromisoformat(value)
            values[column.name] = value
    return values


def _referenced(connection: Connection, name: str, key: str) -> bool:
    if name == "activities":
        users = [(t, t.c.activity) for t in (s.actuals, s.budgets, s.forecasts_manual)]
    else:
        users = [(t, t.c.category) for t in (s.volumes, s.volume_budgets, s.volume_forecasts)]
    return any(connection.execute(select(t.c.id).where(col == key).limit(1)).first() is not None for t, col in users)


def import_history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The import log with, for each saved import, whether it has been undone and can be."""
    log = s.import_log.c
    undone = select(log.reverts_id).where(log.reverts_id.is_not(None))
    query = (select(log.id, log.imported_at, log.kind, log.file_name, log.rows, log.outcome, log.user_name,
                    log.reverts_id, log.reason, log.content_sha256, log.id.in_(undone).label("undone"))
             .order_by(log.id.desc()).limit(limit))
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=["id", "imported_at", "kind", "file_name", "rows", "outcome", "user_name",
                                       "reverts_id", "reason", "content_sha256", "undone"])


def _effect_lines(plan: ImportPlan, limit: int = 15) -> list[str]:
    """The plan's largest changes per period and key, as lines for the command line."""
    effect = plan.effect
    if effect is None or effect.empty:
        return []
    money = effect["value_name"].iloc[0] in ("amount_kr", "cost_kr")
    counted = effect["value_name"].iloc[0] == "_rows"  # the goal structure: rows only
    unit = " kr" if money else ""
    lines = ["Ändring per nyckel:" if counted else "Ändring per period (bokföringens tecken):"]
    for record in effect.head(limit).to_dict("records"):
        where = [_period_text(_period_of(record)),
                 *(plan.name_shown(c, record[c]) for c in ("activity", "category", "unit", "indicator", "name", "kpi")
                   if c in record)]
        if counted:
            lines.append(f"  {' · '.join(w for w in where if w)}: rader {format_number(record['rows_before'])} → "
                         f"{format_number(record['rows_after'])}")
            continue
        lines.append(f"  {' · '.join(w for w in where if w)}: {format_number(record['value_before'])} → "
                     f"{format_number(record['value_after'])}{unit} ({format_number(record['difference'], plus=True)}"
                     f"{unit}; rader {format_number(record['rows_before'])} → {format_number(record['rows_after'])}"
                     + (f"; dygn {format_number_short(record['second_before'])} → "
                        f"{format_number_short(record['second_after'])}" if "second_name" in record else "") + ")")
    if len(effect) > limit:
        lines.append(f"  … och {len(effect) - limit} perioder och nycklar till.")
    if not counted:
        total = effect["difference"].sum()
        lines.append(f"  Summa: {format_number(total, plus=True)}{unit}")
    return lines


def plan_effect(plan: ImportPlan) -> str:
    """What saving the file would do, in one sentence (the Data page and the command line say the same)."""
    if plan.changes_nothing:  # 2026-12-06 walk: August's file again, read as a success ("läggs 0 rader till")
        span = f" ({_span_label(plan.span)})" if plan.span else ""
        return (f"Filen ändrar ingenting: allt den innehåller är redan sparat med samma värden{span}. Kontrollera att "
                "det är den fil du menade att läsa in.")
    replaced = "får nytt värde" if plan.rows_replaced == 1 else "får nya värden"
    said = (f"Om filen sparas läggs {count_text(plan.rows_added, 'rad', 'rader')} till, "
            f"{count_text(plan.rows_replaced, 'sparad rad', 'sparade rader')} {replaced} och "
            f"{count_text(plan.rows_removed, 'rad', 'rader')} tas bort.")
    typos = plan.rows_on_new_names
    if typos and plan.rows_beside_known:
        said += (f" {count_text(typos, 'rad står', 'rader står')} på ett nytt namn som liknar ett känt, i månader "
                 "där det kända namnet redan har sparade rader som står kvar: är det ett stavfel räknas beloppen två "
                 "gånger (se varningen).")
    elif typos:
        said += (f" {count_text(typos, 'rad står', 'rader står')} på ett nytt namn som liknar ett känt: "
                 f"är det ett stavfel, hamnar {'den' if typos == 1 else 'de'} under det nya namnet i stället för det "
                 "kända (se varningen).")
    return said


def plan_text(plan: ImportPlan) -> str:
    """The plan as plain text for the command line: errors, or what saving would change."""
    if plan.problems:
        limit = get_settings().max_problems_shown
        lines = [str(p) for p in plan.problems[:limit]]
        if len(plan.problems) > limit:
            lines.append(f"… och {len(plan.problems) - limit} fel till.")
        lines.append(f"{plan.file_name}: {len(plan.problems)} fel; filen kan inte sparas.")
        return "\n".join(lines)
    span = f" ({_span_label(plan.span)})" if plan.span else ""
    lines = [f"{plan.file_name}: {count_text(plan.rows_read, 'rad giltig', 'rader giltiga')}{span}. "
             f"{plan_effect(plan)}"]
    lines += _effect_lines(plan)
    lines += [f"Varning: {c}" for c in plan.cautions]
    if plan.cautions:
        lines.append("Spara med --bekrafta när varningarna är granskade.")
    return "\n".join(lines)


def history_text(history: pd.DataFrame) -> str:
    """The import log as lines for the command line: number, time, kind, file, rows, outcome."""
    from domain.formatting import format_timestamp

    if history.empty:
        return "Importloggen är tom."
    lines = []
    for record in history.to_dict("records"):
        outcome = record["outcome"] + (", ångrad" if record["undone"] else "")
        if record["reverts_id"] is not None and not pd.isna(record["reverts_id"]):
            outcome = f"ångrar import nr {int(record['reverts_id'])}"
        lines.append(f"{int(record['id']):>5}  {format_timestamp(record['imported_at'])}  "
                     f"{KIND_NAMES.get(record['kind'], record['kind']).lower()}: {printable(record['file_name'], 60)}, "
                     f"{count_text(record['rows'], 'rad', 'rader')}, {outcome} ({printable(record['user_name'], 40)})")
    return "\n".join(lines)
