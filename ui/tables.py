"""Described tables (``domain.tables``) on the page: Swedish number formats, totals in bold.

``st.dataframe`` shows its cells as plain text, so names that come from files need no escaping.
"""

from __future__ import annotations

import functools

import pandas as pd
import pyarrow as pa
import streamlit as st

from domain.markup import escape
from domain.tables import Column, Table, text_rows

ROW_STYLE = {"total": "font-weight: 700;", "warning": "background-color: #fdecea;", "": ""}
# Rows (and the header) in px: 2.1875 rem at the pages' 17 px type (ui.layout), set explicitly so that the
# height given for a table fits its rows to the pixel and a total row is never cut off at the bottom.
ROW_HEIGHT = 37
SCROLLBAR = 14
# A table wider than the window scrolls sideways, which the grid itself does not show until it is touched:
# a line above such a table says so. Whether it is wider is known only in the browser, so the line carries
# the window width from which the table fits (in steps of ``HINT_STEP`` px) and the page's style sheet
# (``hint_css``) hides it from that width on.
HINT_STEP = 40
HINT_WIDTHS = range(1000, 2401, HINT_STEP)
_CHAR_PX, _HEADER_CHAR_PX, _CELL_PADDING_PX = 6.3, 6.6, 17
_PAGE_FRAME_PX = 300 + 2 * 85 + 2  # the sidebar, the main column's side padding and the grid's border


def _frame(labels, rows) -> pd.DataFrame:
    """Rows of text cells (and a sparkline's numbers as a tuple) under ``labels``."""
    return pd.DataFrame([[list(cell) if isinstance(cell, tuple) else cell for cell in row] for row in rows],
                        columns=list(labels))


@functools.lru_cache(maxsize=512)
def _arrow(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> pa.Table:
    """The same table, with the same text, is drawn for every session of a data version: its Arrow form
    is made once per process and shared (read-only), so a session sends it without converting it again."""
    return pa.Table.from_pandas(_frame(labels, rows), preserve_index=False)


@functools.lru_cache(maxsize=128)  # a styled table of 40 rows keeps about 0,17 MB
def _styled(labels: tuple[str, ...], rows: tuple[tuple, ...], row_styles: tuple[str, ...] | None,
            wrap: bool) -> "pd.io.formats.style.Styler":
    """A table with shaded or bold rows (``row_styles``), or a wrapped table of escaped Markdown cells,
    styled once per process and content and shared like ``_arrow``."""
    frame = _frame(labels, rows)
    styler = frame.map(escape).rename(columns=escape).style.hide(axis="index") if wrap else frame.style
    if row_styles is not None:
        styler.apply(lambda row: [row_styles[row.name]] * len(row), axis=1)
    # Streamlit computes and translates a Styler's styles each time it draws one (``_compute`` and
    # ``_translate``, some 30 times the cost of the table's Arrow conversion): they are worked out here,
    # once, and later calls answer from what was kept. Nothing changes the Styler after this, so
    # sessions share it. The translation's cell by cell "body" gives only the cells' display texts, and
    # the cells are texts already: without it Streamlit takes them as they are, and the Styler keeps
    # about half the memory.
    styler._compute()
    translated = styler._translate(False, False) | {"body": []}
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: translated
    return styler


def hint_css() -> str:
    """The style rules that hide a table's "more to the right" line where the window is wide enough."""
    return "".join(f"@media(min-width:{w}px){{.np-more-{w}{{display:none}}}}" for w in HINT_WIDTHS)


@functools.lru_cache(maxsize=512)
def fits_from(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> int:
    """The window width (px, rounded up to ``HINT_STEP``) from which the table fits beside the sidebar: each
    column as wide as its longest text, estimated from the grid's type."""
    width = _PAGE_FRAME_PX
    for number, label in enumerate(labels):
        cells = [row[number] for row in rows if isinstance(row[number], str)]
        width += max([len(label) * _HEADER_CHAR_PX, *(len(cell) * _CHAR_PX for cell in cells)]) + _CELL_PADDING_PX
    return int(-(-width // HINT_STEP) * HINT_STEP)


@functools.lru_cache(maxsize=512)
def _content_id(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> str:
    return f"{hash((labels, rows)) & 0xFFFFFFFF:08x}"


def _more_hint(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> None:
    width = fits_from(labels, rows)
    if width <= HINT_WIDTHS[0]:
        return
    st.markdown(f'<p class="np-more np-more-{min(width, HINT_WIDTHS[-1])}">Tabellen fortsätter åt höger: dra den i '
                "sidled (eller håll Skift och rulla) för att se alla kolumner.</p>", unsafe_allow_html=True)


@functools.lru_cache(maxsize=256)
def _column_config(columns: tuple[Column, ...], widths: tuple[int | None, ...]) -> dict:
    """Text columns, numbers right-aligned; the first column (the name) stays in view while the others
    scroll. A column of longer texts after the first is given the width of its longest text (``widths``):
    left to itself the grid cuts such a text short where the table is narrower than the window."""
    return {c.label: st.column_config.TextColumn(
        alignment="left" if c.kind in ("text", "identifier") else "right", pinned=number == 0,
        width=width) for number, (c, width) in enumerate(zip(columns, widths))}


@functools.lru_cache(maxsize=512)
def _text_widths(columns: tuple[Column, ...], rows: tuple[tuple, ...]) -> tuple[int | None, ...]:
    widths = []
    for number, column in enumerate(columns):
        texts = [row[number] for row in rows if isinstance(row[number], str)]
        longest = max(map(len, texts), default=0)
        wide = number > 0 and column.kind == "text" and longest > 20
        widths.append(int(max(longest * _CHAR_PX * 1.1, len(column.label) * _HEADER_CHAR_PX) + 2 * _CELL_PADDING_PX)
                      if wide else None)
    return tuple(widths)


def show(table: Table, key: str, *, wrap: bool = False,
         lines: tuple[str, list[tuple[float, ...]]] | None = None) -> None:
    """A described table on the page: Swedish headers, cells by the one formatting path, scrolling
    sideways rather than cut on a narrow screen; numbers right-aligned, totals bold, flagged rows shaded.

    ``wrap``: a short table of long texts (formulas, explanations) set with its lines wrapped instead;
    its cells are Markdown there, so they pass ``domain.markup.escape``.

    ``lines``: a column of small line charts after the name, (label, one series per row): a sparkline
    of an indicator's months, on the page only."""
    labels, rows = table.labels, text_rows(table)
    plain = tuple(map(tuple, rows))
    config = {}
    if lines is not None:
        label, series = lines
        labels = [labels[0], label, *labels[1:]]
        rows = [[row[0], tuple(values), *row[1:]] for row, values in zip(rows, series)]
        config[label] = st.column_config.LineChartColumn(label, width="small")
    labels, rows = tuple(labels), tuple(map(tuple, rows))
    if wrap:
        st.table(_styled(labels, rows, None, True))
        return
    if any(table.emphasis):  # a Styler only here: it is the one way to bold or shade a row
        shown = _styled(labels, rows, tuple(ROW_STYLE[table.emphasis_of(n)] for n in range(len(rows))), False)
    else:
        shown = _arrow(labels, rows)
    # A report table (one with a total row) is shown whole, its total never below the fold; a long
    # list (a log) scrolls within 20 rows.
    _more_hint(labels, rows)
    count = len(table.rows) if "total" in table.emphasis and len(table.rows) <= 60 else min(len(table.rows), 20)
    height = ROW_HEIGHT * (count + 1) + 3 + SCROLLBAR  # borders, and room for a sideways scroll bar
    # The grid sizes its columns to their texts when it is first drawn and keeps those widths for its key: a
    # key of its own per content lets a table drawn anew with other rows (another breakdown, another level of a
    # drill-down) size its columns to them, instead of cutting a longer text short.
    st.dataframe(shown, hide_index=True, width="stretch", height=height, row_height=ROW_HEIGHT,
                 key=f"{key}-{_content_id(labels, rows)}",
                 column_config=_column_config(table.columns, _text_widths(table.columns, plain[:200])) | config)
