"""Described tables (``domain.tables``) on the page: Swedish number formats, totals in bold.

``st.dataframe`` shows its cells as plain text, so names that come from files need no escaping.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

import pandas as pd
import pyarrow as pa
import streamlit as st

from domain.markup import escape
from domain.tables import Column, Table, text_rows

ROW_STYLE = {"total": "font-weight: 700;", "warning": "background-color: #fdecea;", "": ""}

# The same table, with the same text, is drawn for every session of a data version: its Arrow form is
# made once per process and shared (read-only), so a session sends it without converting it again.
_ARROW_LIMIT = 512
_arrow_tables: OrderedDict[tuple, pa.Table] = OrderedDict()
_arrow_lock = threading.Lock()


def _arrow(labels: list[str], rows: list[list]) -> pa.Table:
    """Rows of text cells (and a sparkline's list of numbers) under ``labels`` as an Arrow table, from
    the process's cache when the same content was converted before."""
    key = (tuple(labels), tuple(tuple(tuple(cell) if isinstance(cell, list) else cell for cell in row)
                                for row in rows))
    with _arrow_lock:
        found = _arrow_tables.get(key)
        if found is not None:
            _arrow_tables.move_to_end(key)
            return found
    converted = pa.Table.from_pandas(pd.DataFrame(rows, columns=labels), preserve_index=False)
    with _arrow_lock:
        _arrow_tables[key] = converted
        while len(_arrow_tables) > _ARROW_LIMIT:
            _arrow_tables.popitem(last=False)
    return converted


@functools.lru_cache(maxsize=256)
def _column_config(columns: tuple[Column, ...]) -> dict:
    """Text columns, numbers right-aligned; the first column (the name) stays in view while the others
    scroll."""
    return {c.label: st.column_config.TextColumn(
        alignment="left" if c.kind in ("text", "identifier") else "right", pinned=number == 0)
        for number, c in enumerate(columns)}


def show(table: Table, key: str, *, wrap: bool = False,
         lines: tuple[str, list[tuple[float, ...]]] | None = None) -> None:
    """A described table on the page: Swedish headers, cells by the one formatting path, scrolling
    sideways rather than cut on a narrow screen; numbers right-aligned, totals bold, flagged rows shaded.

    ``wrap``: a short table of long texts (formulas, explanations) set with its lines wrapped instead;
    its cells are Markdown there, so they pass ``domain.markup.escape``.

    ``lines``: a column of small line charts after the name, (label, one series per row): a sparkline
    of an indicator's months, on the page only."""
    labels, rows = table.labels, text_rows(table)
    config = {}
    if lines is not None:
        label, series = lines
        labels = [labels[0], label, *labels[1:]]
        rows = [[row[0], list(values), *row[1:]] for row, values in zip(rows, series)]
        config[label] = st.column_config.LineChartColumn(label, width="small")
    if wrap:
        frame = pd.DataFrame(rows, columns=labels)
        st.table(frame.map(escape).rename(columns=escape).style.hide(axis="index"))
        return
    if any(table.emphasis):  # a Styler only here: rendering one costs more than the table's data
        shown = pd.DataFrame(rows, columns=labels).style.apply(
            lambda row: [ROW_STYLE[table.emphasis_of(row.name)]] * len(row), axis=1)
    else:
        shown = _arrow(labels, rows)
    # A report table (one with a total row) is shown whole, its total never below the fold; a long
    # list (a log) scrolls within 20 rows.
    count = len(table.rows) if "total" in table.emphasis and len(table.rows) <= 60 else min(len(table.rows), 20)
    height = 35 * (count + 1) + 3 + 30  # and room for a sideways scroll bar
    st.dataframe(shown, hide_index=True, width="stretch", height=height, key=key,
                 column_config=_column_config(table.columns) | config)
