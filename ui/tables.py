"""Tables as the reports print them: Swedish number formats, totals in bold.

``st.table`` renders its cells as Markdown, so the text columns of a table shown with it pass
``escaped`` (names come from files). ``st.dataframe`` shows plain text and needs nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.formatting import format_tkr
from domain.markup import escape
from domain.periods import period_label
from domain.tables import Table, texts

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


ROW_STYLE = {"total": "font-weight: 700;", "warning": "background-color: #fdecea;", "": ""}


def show(table: Table, key: str) -> None:
    """A described table on the page: Swedish headers, cells by the one formatting path, scrolling
    sideways rather than cut on a narrow screen; numbers right-aligned, totals bold, flagged rows shaded."""
    frame = texts(table)
    shown = frame  # a Styler only where a row is emphasised: rendering one costs more than the table's data
    if any(table.emphasis):
        shown = frame.style.apply(lambda row: [ROW_STYLE[table.emphasis_of(row.name)]] * len(row), axis=1)
    # The first column (the name) stays in view while the others scroll.
    # Tall enough for every row of a short table (no total row hidden below the fold); a long
    # one (a log) scrolls within 20 rows.
    height = 35 * (min(len(table.rows), 20) + 1) + 3 + 16  # and a sideways scroll bar
    st.dataframe(shown, hide_index=True, width="stretch", height=height, key=key, column_config={
        c.label: st.column_config.TextColumn(
            alignment="left" if c.kind in ("text", "identifier") else "right", pinned=number == 0)
        for number, c in enumerate(table.columns)})
