"""Tables as the reports print them: Swedish number formats, totals in bold.

``st.table`` renders its cells as Markdown, so the text columns of a table shown with it pass
``escaped`` (names come from files). ``st.dataframe`` shows plain text and needs nothing.
"""

from __future__ import annotations

import pandas as pd

import re

from data_access.importer import KIND_NAMES
from domain.formatting import format_number, format_number_short, format_tkr
from domain.markup import escape
from domain.periods import MONTH_ABBREVIATIONS, month_label, period_label

_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KIND_PREFIX = re.compile(r"^([a-z_]+): ")

EMPHASIS = {"summa": "font-weight: 700; border-top: 1px solid #999;", "delsumma": "font-weight: 700;",
            "kontogrupp": "", "varav": "font-style: italic;", "verksamhet": ""}


def escaped(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``frame`` whose text ``columns`` are safe to render as Markdown (see domain.markup)."""
    return frame.assign(**{column: [escape(value) for value in frame[column]] for column in columns})


def statement_columns(year: int, through_month: int) -> dict[str, str]:
    span = period_label(year, through_month).replace(f" {year}", "")
    return {
        "label": "Tkr",
        "budget_ytd": f"Budget {span}",
        "actual_ytd": f"Utfall {span}",
        "variance_ytd": "Avvikelse",
        "actual_prev_ytd": f"Utfall {span} {year - 1}",
        "budget_year": "Budget helår",
        "forecast": "Verksamheternas prognos",
        "forecast_variance": "Avvikelse budget–prognos",
    }


def styled_statement(statement: pd.DataFrame, year: int, through_month: int):
    """A Styler showing tkr in Swedish format; the underlying values stay numbers (kronor)."""
    names = statement_columns(year, through_month)
    frame = escaped(statement, "label").rename(columns=names)
    levels = frame.pop("level")
    money = [c for c in frame.columns if c != "Tkr"]
    styler = frame.style.format({c: lambda v: format_tkr(v, unit=False) for c in money}, na_rep="–")
    styler = styler.apply(lambda row: [EMPHASIS.get(levels.loc[row.name], "")] * len(row), axis=1)
    return styler.hide(axis="index")


def styled_drilldown(frame: pd.DataFrame, key_label: str):
    shown = frame.rename(columns={"key": key_label, "budget": "Budget, tkr", "actual": "Utfall, tkr",
                                  "variance": "Avvikelse, tkr"})
    if key_label == "Månad":
        shown[key_label] = [MONTH_ABBREVIATIONS[int(m) - 1] for m in shown[key_label]]
    money = ["Budget, tkr", "Utfall, tkr", "Avvikelse, tkr"]
    return shown.style.format({c: lambda v: format_tkr(v, unit=False) for c in money}, na_rep="–") \
        .hide(axis="index")


def styled_booked_rows(rows: pd.DataFrame):
    """The booked rows behind a drill-down: Swedish headers, month names, whole kronor in Swedish format."""
    shown = rows.rename(columns={
        "year": "År", "month": "Månad", "activity": "Verksamhet", "account_group": "Kontogrupp",
        "amount_kr": "Belopp, kr"})
    shown["Månad"] = [MONTH_ABBREVIATIONS[int(m) - 1] for m in shown["Månad"]]
    return shown.style.format({"Belopp, kr": format_number, "År": str}, na_rep="–").hide(axis="index")


def change_text(stored: str | None) -> str:
    """An audit entry's before/after (stored as JSON) as readable text: "roll: controller; rader: 12"."""
    import json

    if not isinstance(stored, str) or not stored:  # None, or NaN where pandas filled a gap in the column
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(value, dict):
        return str(value)

    def plain(item) -> str:
        if isinstance(item, list):
            return "–".join(plain(part) for part in item)
        if isinstance(item, dict):
            return ", ".join(f"{k}: {plain(v)}" for k, v in item.items())
        if isinstance(item, bool):
            return "ja" if item else "nej"
        if isinstance(item, (int, float)):
            return format_number_short(item)
        month = _ISO_MONTH.match(str(item))
        if month and 1 <= int(month.group(2)) <= 12:
            return month_label(int(month.group(1)), int(month.group(2)))
        return str(item)

    return "; ".join(f"{key}: {plain(item)}" for key, item in value.items())


def audit_object_text(stored: object) -> str:
    """An audit entry's object as the interface names it: "sjukfranvaro_kommun: x.csv" → "Sjukfrånvaro, kommunen: x.csv"."""
    text = "" if stored is None else str(stored)
    kind = _KIND_PREFIX.match(text)
    if kind and kind.group(1) in KIND_NAMES:
        return f"{KIND_NAMES[kind.group(1)]}: {text[kind.end():]}"
    return text


def styled_money(frame: pd.DataFrame, money: list[str], *, flag: str | None = None):
    """A Styler for ``st.dataframe``: ``money`` columns in tkr; rows whose ``flag`` column is not
    "Stämmer" shaded as a warning."""
    styler = frame.style.format({column: (lambda v, signed=column == "Skillnad": format_tkr(v, unit=False,
                                                                                         plus=signed))
                                 for column in money}, na_rep="–")
    if flag is not None:
        styler = styler.apply(lambda row: ["background-color: #fdecea;" if row[flag] != "Stämmer" else ""]
                              * len(row), axis=1)
    return styler
