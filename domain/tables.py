"""Tables described once and rendered three ways: on the page, in the PDF and in the workbook.

A ``Table`` holds its rows as stored values (numbers, points in time, texts) and, per column, a
Swedish label and a kind. The page and the PDF show ``texts(table)``, written by the one
formatting path (``domain.formatting``); the workbook writes ``workbook_cell`` values, real
numbers and dates with a number format, so that a spreadsheet can sort and sum them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from numbers import Real

import pandas as pd

from domain.formatting import (EMPTY, PROBABILITY_FORMAT, calendar_day, format_date, format_number,
                               format_number_short, format_percent, format_probability, format_timestamp, format_tkr,
                               is_missing, local_time)
from domain.periods import MONTH_NAMES, month_label

KIND_NAMES = {"utfall": "Utfall", "budget": "Budget", "prognos": "Prognos", "volymer": "Volymer",
              "volymbudget": "Volymbudget", "volymprognos": "Volymprognos", "sjukfranvaro": "Sjukfrånvaro",
              "sjukfranvaro_kommun": "Sjukfrånvaro, kommunen", "personalomsattning": "Personalomsättning",
              "indikatorer": "Målstruktur", "indikatorvarden": "Indikatorvärden", "uppdrag": "Uppdrag och initiativ",
              "kolada": "Kolada",
              "alla": "Alla data", "register": "Register", "installningar": "Inställningar"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # "text", "count" (a whole number), "number" (as published: up to two decimals),
    # "tkr" (kronor shown in tkr), "tkr_change" (an avvikelse in tkr, written with its sign as the key
    # figures write it: +4 342), "count_change" (an avvikelse in days or kronor per day, likewise signed),
    # "percent" (a ratio), "probability" (a ratio in whole percent),
    # "change" (a ratio with its sign: a forecast's error), "points_change" (a change in percentage points,
    # signed, one decimal: −2,3), "timestamp" (a point in time, stored in
    # UTC), "month" (a calendar month: a period or a date), "date" (a calendar day: a date or its ISO text),
    # "identifier" (a number that is a name) or
    # "measure" (each cell a ``Measure`` carrying its own kind).
    kind: str = "text"
    width: int = 14  # characters: a hint for the workbook's and the PDF's column widths


@dataclass(frozen=True)
class Measure:
    """A cell of a "measure" column, whose rows differ in unit (an indicator table): the value and the
    kind it is written as ("percent", "count" or "number")."""

    value: float | None
    unit: str
    month: str = ""  # the month the value is from, when not the column's own ("aug"): written after it


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, object], ...]
    # Per row: "total" (bold, a rule above), "heading" (bold, and on paper never the last row of a page: the
    # rows under it belong to it), "warning" (shaded) or "" (as is); empty = all as is.
    emphasis: tuple[str, ...] = ()
    sheet: str = ""  # the workbook sheet's name when the title will not do (see ``sheet_name``)
    note: str = ""  # a sentence under the table wherever it is shown: what a column's figures are, beside others

    def emphasis_of(self, index: int) -> str:
        return self.emphasis[index] if index < len(self.emphasis) else ""

    @property
    def labels(self) -> list[str]:
        return [column.label for column in self.columns]


_SHEET_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
_TITLE_TAIL = re.compile(r"(,? \d{4})?(, t?kr)?$")


def sheet_name(table: Table) -> str:
    """A table's workbook sheet: its own name, or its title without year or unit, none of the characters
    Excel forbids, at most 31 characters ("Driftredovisning 2025, tkr" → "Driftredovisning")."""
    name = table.sheet or _TITLE_TAIL.sub("", table.title)
    return _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Tabell"


def cell_text(column: Column, value: object) -> str:
    """A cell as the page and the PDF show it."""
    if isinstance(value, Measure):
        text = cell_text(Column(column.key, column.label, value.unit), value.value)
        return f"{text} ({value.month})" if value.month and text != EMPTY else text
    if column.kind == "timestamp":
        return format_timestamp(value)
    if is_missing(value) or value == "":
        return "" if column.kind == "text" else EMPTY
    if column.kind == "date":
        return format_date(value) if calendar_day(value) is not None else str(value)
    if isinstance(value, str):  # a word in place of a number: a suppressed figure ("prickad")
        return value
    if column.kind == "count":
        return format_number(value)
    if column.kind == "count_change":
        return format_number(value, plus=True)
    if column.kind == "points_change":
        return format_number(value, 1, plus=True)
    if column.kind == "number":
        return format_number_short(value)
    if column.kind == "tkr":
        return format_tkr(value, unit=False)
    if column.kind == "tkr_change":
        return format_tkr(value, unit=False, plus=True)
    if column.kind == "percent":
        return format_percent(value)
    if column.kind == "probability":
        return format_probability(value)
    if column.kind == "change":
        return format_percent(value, plus=True)
    if column.kind == "identifier":
        return str(int(value)) if isinstance(value, Real) else str(value)
    if column.kind == "month":
        return month_label(value.year, value.month)
    return str(value)


def with_total_row(frame: pd.DataFrame, label_column: str, numbers: list[str]) -> pd.DataFrame:
    """A table with a Summa row recomputed from its rows (blank where a column has no figures)."""
    total = {label_column: "Summa", **{c: frame[c].sum(min_count=1) for c in numbers}}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def text_rows(table: Table) -> list[list[str]]:
    """Every row's cells as the page and the PDF show them."""
    return [[cell_text(c, row.get(c.key)) for c in table.columns] for row in table.rows]


def texts(table: Table) -> pd.DataFrame:
    """The table as text under its Swedish headers (for ``st.dataframe`` and the PDF)."""
    return pd.DataFrame(text_rows(table), columns=table.labels)


def workbook_cell(column: Column, value: object) -> tuple[object, str | None]:
    """A cell's value for the workbook and its number format: numbers stay numbers, times are dates."""
    if isinstance(value, Measure):
        number, form = workbook_cell(Column(column.key, column.label, value.unit), value.value)
        # The month stays a part of the number format, so the cell is still a number: 6,1 % (aug).
        return number, (f'{form}" ({value.month})"' if value.month and form else form)
    if is_missing(value) or value == "":
        return None, None
    if column.kind == "date":  # a date a spreadsheet sorts and filters (2026-12-06 walk: the comments' were text)
        day = calendar_day(value)
        return (dt.datetime(day.year, day.month, day.day), "d mmm yyyy") if day is not None else (str(value), None)
    if isinstance(value, str) and column.kind not in ("text", "timestamp"):
        return value, None
    if column.kind == "timestamp":
        when = local_time(value)
        return dt.datetime(when.year, when.month, when.day, when.hour, when.minute, when.second), "yyyy-mm-dd hh:mm"
    if column.kind == "count":
        return int(round(float(value))), "#,##0"
    if column.kind == "count_change":
        return int(round(float(value))), "+#,##0;-#,##0;0"
    if column.kind == "points_change":
        return round(float(value), 1), "+0.0;-0.0;0.0"
    if column.kind == "number":
        # As on the page (at most two decimals, none written out as zeros), without the decimal comma that
        # "#,##0.##" leaves after a whole number.
        decimals = next(d for d in (0, 1, 2) if round(float(value), d) == round(float(value), 2))
        return round(float(value), decimals), "#,##0" + ("." + "0" * decimals if decimals else "")
    if column.kind == "tkr":
        return round(float(value) / 1000), "#,##0"
    if column.kind == "tkr_change":
        return round(float(value) / 1000), "+#,##0;-#,##0;0"
    # A ratio is written rounded as the page rounds it: Excel's own rounding of 0.965 showed "97 %" beside the
    # page's and the PDF's "96 %".
    if column.kind == "percent":  # "6,2 %", with the space of the pages
        return _as_shown(value, 1), '0.0" "%'
    if column.kind == "probability":  # beyond 99 % and under 1 % the format writes words, for the value as it is
        ratio = float(value)
        return (ratio if not 0.005 <= ratio < 0.995 else _as_shown(ratio, 0)), PROBABILITY_FORMAT
    if column.kind == "change":
        return _as_shown(value, 1), '+0.0" "%;-0.0" "%;0.0" "%'
    if column.kind == "identifier":
        return int(value) if isinstance(value, Real) else str(value), "0"
    if column.kind == "month":
        return dt.datetime(value.year, value.month, 1), "mmm yyyy"
    return str(value), None


def _as_shown(ratio, decimals: int) -> float:
    """A ratio rounded to the percent figures the pages write (``formatting.format_percent``'s rounding), and
    rounded again after the division, so that the cell holds 0.037 and not 0.037000000000000005."""
    return round(round(float(ratio) * 100.0, decimals) / 100.0, decimals + 2)


# ---------------------------------------------------------------- the logs

_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Keys of the audit trail's before/after whose whole numbers are months, and those that are names.
_MONTH_KEYS = {"from_month", "månad", "brytmånad", "cutoff_month"}
_NAME_KEYS = {"år", "year", "import", "id", "nr", "version"}
_KIND_PREFIX = re.compile(r"^([a-z_]+): ")
# Keys written by earlier releases, as the trail shows them.
_KEY_LABELS = {"prognos_kr": "prognos, kr"}


def change_text(stored: str | None) -> str:
    """An audit entry's before/after (stored as JSON) as readable text: "roll: controller; rader: 12"."""
    from domain.scenarios import ASSUMPTION_LABELS  # scenarios describes its tables here

    if not isinstance(stored, str) or not stored:  # None, or NaN where pandas filled a gap in the column
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(value, dict):
        return str(value)

    def plain(item, key: str = "") -> str:
        if isinstance(item, (list, dict)) and not item:
            return "inga"
        if isinstance(item, list):
            return "–".join(plain(part, key) for part in item)
        if isinstance(item, dict):
            return ", ".join(f"{ASSUMPTION_LABELS.get(k, k)}: {plain(v, k)}" for k, v in item.items())
        if isinstance(item, bool):
            return "ja" if item else "nej"
        if isinstance(item, int) and key in _MONTH_KEYS and 1 <= item <= 12:
            return MONTH_NAMES[item - 1]
        if isinstance(item, int) and key in _NAME_KEYS:
            return str(item)  # a year or a number that names something: no thousands space
        if isinstance(item, (int, float)):
            return format_number_short(item)
        month = _ISO_MONTH.match(str(item))
        if month and 1 <= int(month.group(2)) <= 12:
            return month_label(int(month.group(1)), int(month.group(2)))
        return str(item)

    return "; ".join(f"{_KEY_LABELS.get(key, key)}: {plain(item, key)}" for key, item in value.items())


def audit_object_text(stored: object) -> str:
    """An audit entry's object as the interface names it: "sjukfranvaro_kommun: x.csv" → "Sjukfrånvaro, kommunen: x.csv"."""
    text = "" if stored is None else str(stored)
    kind = _KIND_PREFIX.match(text)
    if kind and kind.group(1) in KIND_NAMES:
        return f"{KIND_NAMES[kind.group(1)]}: {text[kind.end():]}"
    return text


def import_log_table(history: pd.DataFrame) -> Table:
    """The import log (``import_history``): number, time, kind, file, rows, outcome, who, why, checksum."""
    rows = []
    for record in history.to_dict("records"):
        status = record["outcome"]
        if record.get("undone"):
            status += ", ångrad"
        reverts = record.get("reverts_id")
        if reverts is not None and not pd.isna(reverts):
            status = f"ångrar import {int(reverts)}"
        rows.append({"id": record["id"], "at": record["imported_at"], "kind": KIND_NAMES.get(record["kind"],
                                                                                             record["kind"]),
                     "file": record["file_name"], "rows": record["rows"], "outcome": status,
                     "user": record["user_name"], "reason": record.get("reason") or "",
                     "sha256": record["content_sha256"]})
    return Table("Importlogg", (
        Column("id", "Nr", "identifier", 6), Column("at", "Tid", "timestamp", 17), Column("kind", "Typ", width=18),
        Column("file", "Fil", width=30), Column("rows", "Rader", "count", 10), Column("outcome", "Resultat", width=22),
        Column("user", "Användare", width=18), Column("reason", "Varför", width=30),
        Column("sha256", "Kontrollsumma (SHA-256)", width=66)), tuple(rows))


def audit_table(entries: pd.DataFrame) -> Table:
    """The audit trail (``data_access.audit.entries``): time, who, what happened, to what, before and after."""
    from domain.integrity import short

    # The post's number and checksum, as granska names them (2026-12-07 audit walk: "post 21" could not be found in
    # the table, nor an archived workbook compared with the chain).
    rows = tuple({"id": record["id"], "at": record["at"], "user": record["user_name"], "action": record["action"],
                  "object": audit_object_text(record["object"]), "before": change_text(record["before"]),
                  "after": change_text(record["after"]), "hash": short(record.get("row_hash")) or "saknas"}
                 for record in entries.to_dict("records"))
    return Table("Granskningslogg", (
        Column("id", "Post", "identifier", 6), Column("at", "Tid", "timestamp", 17),
        Column("user", "Användare", width=18), Column("action", "Händelse", width=22),
        Column("object", "Vad", width=40), Column("before", "Före", width=40), Column("after", "Efter", width=40),
        Column("hash", "Kontrollsumma", width=14)), rows)


# ---------------------------------------------------------------- sick leave


def sick_leave_monthly_table(monthly: pd.DataFrame) -> Table:
    """The nämnd's sick leave per month: the rate, its parts by length, and the long-term share."""
    from domain.sick_leave import LENGTH_LABELS

    columns = (Column("period", "Månad", "month", 12), Column("rate", "Sjukfrånvaro", "percent", 14),
               *(Column(f"rate_{key}", label, "percent", 12) for key, label in LENGTH_LABELS.items()),
               Column("long_term_share", "Andel långtid", "percent", 14))
    rows = tuple({c.key: row.get(c.key) for c in columns} for row in monthly.to_dict("records"))
    return Table("Sjukfrånvaro per månad", columns, rows)
