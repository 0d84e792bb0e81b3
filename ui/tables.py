"""Described tables (``domain.tables``) on the page: Swedish number formats, totals in bold.

``st.dataframe`` shows its cells as plain text, so names that come from files need no escaping.
"""

from __future__ import annotations

import streamlit as st

from domain.markup import escape
from domain.tables import Table, texts

ROW_STYLE = {"total": "font-weight: 700;", "warning": "background-color: #fdecea;", "": ""}


def show(table: Table, key: str, *, wrap: bool = False,
         lines: tuple[str, list[tuple[float, ...]]] | None = None) -> None:
    """A described table on the page: Swedish headers, cells by the one formatting path, scrolling
    sideways rather than cut on a narrow screen; numbers right-aligned, totals bold, flagged rows shaded.

    ``wrap``: a short table of long texts (formulas, explanations) set with its lines wrapped instead;
    its cells are Markdown there, so they pass ``domain.markup.escape``.

    ``lines``: a column of small line charts after the name, (label, one series per row): a sparkline
    of an indicator's months, on the page only."""
    frame = texts(table)
    config = {}
    if lines is not None:
        label, series = lines
        frame.insert(1, label, [list(values) for values in series])
        config[label] = st.column_config.LineChartColumn(label, width="small")
    if wrap:
        st.table(frame.map(escape).rename(columns=escape).style.hide(axis="index"))
        return
    shown = frame  # a Styler only where a row is emphasised: rendering one costs more than the table's data
    if any(table.emphasis):
        shown = frame.style.apply(lambda row: [ROW_STYLE[table.emphasis_of(row.name)]] * len(row), axis=1)
    # The first column (the name) stays in view while the others scroll.
    # A report table (one with a total row) is shown whole, its total never below the fold; a long
    # list (a log) scrolls within 20 rows.
    rows = len(table.rows) if "total" in table.emphasis and len(table.rows) <= 60 else min(len(table.rows), 20)
    height = 35 * (rows + 1) + 3 + 30  # and room for a sideways scroll bar
    st.dataframe(shown, hide_index=True, width="stretch", height=height, key=key, column_config={
        c.label: st.column_config.TextColumn(
            alignment="left" if c.kind in ("text", "identifier") else "right", pinned=number == 0)
        for number, c in enumerate(table.columns)} | config)
