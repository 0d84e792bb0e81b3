"""Described tables (``domain.tables``) on the page: Swedish number formats, totals in bold.

``st.dataframe`` shows its cells as plain text, so names that come from files need no escaping.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from domain.formatting import EMPTY, is_formatted_number
from domain.markup import escape
from domain.tables import Column, Table, text_rows

ROW_STYLE = {"total": "font-weight: 700;", "heading": "font-weight: 700;", "warning": "background-color: #fdecea;",
             "": ""}
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
_PAGE_FRAME_PX = 300 + 2 * 85 + 2  # the sidebar, the main column's side padding and the grid's border
# Each character's advance in the grid's type (Source Sans, 14 px), as the browser's canvas measures it: a column
# the grid sizes itself is as wide as its longest text or its heading (set in semibold, about 3 % wider) and the
# padding measured beside them. Counting characters at one average width put "root (kommandoraden)" at 143 px
# where the grid took 164, and Sparade versioner scrolled at 1600 px with its line hidden (2026-12-07).
_GRID_TYPE_PX = {character: px for characters, px in {
    " ": 2.8, "i": 3.4, "j,.:;'·": 3.5, "l": 3.6, "I": 3.7, "!": 4.0, "f": 4.1, "()[]": 4.2, "-": 4.3, "t": 4.7,
    "r/": 4.9, "*": 5.8, "s": 5.9, "z\"?": 6.0, "x": 6.2, "c": 6.4, "vy": 6.5, "JY–": 6.7, "L": 6.8, "ekéF": 6.9,
    "0123456789−+_#=<>§": 7.0, "agåä": 7.1, "VX": 7.2, "EÉ✗": 7.4, "STZ": 7.5, "houöüAÅÄ": 7.6, "bn": 7.7,
    "dpq": 7.8, "P": 7.9, "CR": 8.0, "K": 8.1, "B": 8.2, "&": 8.5, "DG✓": 8.6, "UÜ": 9.0, "HN": 9.1, "OQÖ": 9.3,
    "w": 10.1, "M": 10.2, "W": 11.0, "%": 11.5, "m": 11.6, "@": 11.9, "◐": 12.2, "…": 13.3,
}.items() for character in characters}
_UNKNOWN_PX = 9.0  # a character not measured counts as a wide one
_HEADING_WEIGHT = 1.03
_CELL_PADDING_PX, _HEADING_PADDING_PX = 27, 20
_GIVEN_PADDING_PX = 34  # a column given its width keeps a little more room than the grid's own
_WIDE_PX = 135  # a text column after the first whose longest text is wider is given its width (about 20 characters)
_PINNED_PX = 330  # the pinned name column is given at most this (about 48 characters)


def _text_px(text: str) -> float:
    """The width of ``text`` in the grid's type."""
    return sum(_GRID_TYPE_PX.get(character, _UNKNOWN_PX) for character in text)


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
    """The style rules that hide a table's "more to the right" line where the window is wide enough, and that lay
    a still layer over every grid's row of headings.

    The cells are text as the page shows them: a click on a heading sorted them as text ("+1 323" before "+10",
    every "−" after every "+") and lifted a statement's total rows into its middle, and a pointer on a heading
    opened a menu in English. The grid's own buttons above it (columns, CSV, search, full screen) stay."""
    still = ('[data-testid="stDataFrameResizable"]::after{content:"";position:absolute;top:0;left:0;right:0;'
             f"height:{ROW_HEIGHT}px;z-index:2}}")
    return "".join(f"@media(min-width:{w}px){{.np-more-{w}{{display:none}}}}" for w in HINT_WIDTHS) + still


def _longest(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> list[float]:
    """Per column, the width (px) of its widest cell text (a sparkline's numbers are not text)."""
    return [max((_text_px(row[number]) for row in rows if isinstance(row[number], str)), default=0.0)
            for number in range(len(labels))]


def _heading_px(label: str) -> float:
    return _text_px(label) * _HEADING_WEIGHT + _HEADING_PADDING_PX


def _auto_width(label: str, text_px: float) -> float:
    """A column the grid sizes itself: as wide as its label or its widest text."""
    return max(_heading_px(label), text_px + _CELL_PADDING_PX)


def _fits(widths: list[float]) -> int:
    """The window width, rounded up to ``HINT_STEP``, from which columns of ``widths`` px fit beside the sidebar."""
    return int(-(-(_PAGE_FRAME_PX + sum(widths)) // HINT_STEP) * HINT_STEP)


def fits_from(labels: tuple[str, ...], rows: tuple[tuple, ...]) -> int:
    """The window width (px, rounded up to ``HINT_STEP``) from which the table fits beside the sidebar: each
    column as wide as its longest text, estimated from the grid's type."""
    return _fits([_auto_width(label, px) for label, px in zip(labels, _longest(labels, rows))])


@dataclass(frozen=True)
class _Grid:
    """How one table's grid is laid out, worked out once per content."""

    key: str        # the content's own id, added to the grid's key
    fits_from: int  # the window width from which it needs no sideways scrolling
    config: dict    # the columns' configuration


@functools.lru_cache(maxsize=512)
def _grid(columns: tuple[Column, ...], rows: tuple[tuple, ...], sparkline: str | None) -> _Grid:
    """Alignment and pinning per column, and a width for a column of longer texts after the first (left to
    itself the grid cuts such a text short where the table is narrower than the window); with a sparkline
    column (``sparkline``, its label) after the name."""
    labels = tuple(c.label for c in columns)
    longest = _longest(labels, rows)
    config, widths = {}, []
    for number, (column, text_px) in enumerate(zip(columns, longest)):
        # The grid sizes a column by its first rows only: a longer name further down was cut ("Familjerätt och
        # familjerådgivnin", 2026-12-07 socialdirektör walk), so the name column is given its longest text's width.
        wide = column.kind == "text" and text_px > (_WIDE_PX if number > 0 else 0)
        width = int(max(text_px + _GIVEN_PADDING_PX, _heading_px(column.label))) + 1 if wide else None
        if number == 0 and text_px > _PINNED_PX:
            # The pinned name column stays in view while the rest scrolls: a very long name (an indicator's,
            # an uppdrag's) is cut at this width, and shown whole when the cell is pointed at, rather than
            # pushing the bedömning and this year's figures out of a 1280 px window.
            width = _PINNED_PX + _GIVEN_PADDING_PX
        config[column.label] = st.column_config.TextColumn(
            alignment="left" if column.kind in ("text", "identifier") else "right", pinned=number == 0, width=width)
        # The window the table fits in counts a column at the width it is given, or else at its own.
        widths.append(width if width is not None else _auto_width(column.label, text_px))
    if sparkline is not None:
        config[sparkline] = st.column_config.LineChartColumn(sparkline, width="small")
        widths.insert(1, _auto_width(sparkline, 0))
    return _Grid(f"{hash((columns, rows)) & 0xFFFFFFFF:08x}", _fits(widths), config)


_HINTED = "_tables_hinted"


def new_page() -> None:
    """A page's run begins: no table on it has said yet that it continues to the right (``_more_hint``)."""
    st.session_state[_HINTED] = 0


def _more_hint(grid: _Grid) -> None:
    """The line "Tabellen fortsätter åt höger", in windows too narrow for the table: once a page, unless a later
    table needs it in wider windows than the earlier hints show in (ten goals' tables said it ten times)."""
    width = min(grid.fits_from, HINT_WIDTHS[-1])
    if grid.fits_from <= HINT_WIDTHS[0] or width <= st.session_state.get(_HINTED, 0):
        return
    st.session_state[_HINTED] = width
    st.markdown(f'<p class="np-more np-more-{width}">Tabellen fortsätter åt höger: dra den i sidled'
                '<span class="np-more-keys"> (eller håll Skift och rulla)</span> för att se alla kolumner.</p>',
                unsafe_allow_html=True)


def numeric_columns(labels: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The columns whose every filled cell is a number as the interface writes it (not all of them "–")."""
    found = []
    for number, label in enumerate(labels):
        cells = [row[number].strip() for row in rows if row[number].strip()]
        if cells and any(cell != EMPTY for cell in cells) and all(map(is_formatted_number, cells)):
            found.append(label)
    return tuple(found)


def frame(data: pd.DataFrame, key: str, *, wide: Iterable[str] = ()) -> None:
    """A frame of text cells already in the interface's formats (a file's effect, its problems) in a grid,
    with the line "Tabellen fortsätter åt höger" where the window is narrower than the grid; the columns
    named in ``wide`` are given a wide column, and a column of numbers is set to the right, as in every report
    table (2026-12-06 walk: "Rader 5 022" stood to the left in the import log)."""
    labels = tuple(str(label) for label in data.columns)
    rows = tuple(tuple("" if cell is None else str(cell) for cell in row) for row in data.itertuples(index=False))
    _more_hint(_Grid("", fits_from(labels, rows), {}))
    config = {label: st.column_config.TextColumn(label, alignment="right") for label in numeric_columns(labels, rows)}
    config |= {label: st.column_config.TextColumn(label, width="large", **(
        {"alignment": "right"} if label in config else {})) for label in wide if label in labels}
    st.dataframe(data, hide_index=True, width="stretch", key=key, column_config=config)


def show(table: Table, key: str, *, wrap: bool = False,
         lines: tuple[str, list[tuple[float, ...]]] | None = None) -> None:
    """A described table on the page: Swedish headers, cells by the one formatting path, scrolling
    sideways rather than cut on a narrow screen; numbers right-aligned, totals bold, flagged rows shaded.

    ``wrap``: a short table of long texts (formulas, explanations) set with its lines wrapped instead;
    its cells are Markdown there, so they pass ``domain.markup.escape``.

    ``lines``: a column of small line charts after the name, (label, one series per row): a sparkline
    of an indicator's months, on the page only."""
    plain = rows = tuple(map(tuple, text_rows(table)))
    labels = tuple(table.labels)
    if lines is not None:
        label, series = lines
        labels = (labels[0], label, *labels[1:])
        rows = tuple((row[0], tuple(values), *row[1:]) for row, values in zip(rows, series))
    if wrap:
        st.table(_styled(labels, rows, None, True))
        return
    grid = _grid(table.columns, plain, lines[0] if lines is not None else None)
    if any(table.emphasis):  # a Styler only here: it is the one way to bold or shade a row
        shown = _styled(labels, rows, tuple(ROW_STYLE[table.emphasis_of(n)] for n in range(len(rows))), False)
    else:
        shown = _arrow(labels, rows)
    # A report table (one with a total row) is shown whole, its total never below the fold; a long
    # list (a log) scrolls within 20 rows.
    _more_hint(grid)
    whole = "total" in table.emphasis or "heading" in table.emphasis
    count = len(table.rows) if whole and len(table.rows) <= 60 else min(len(table.rows), 20)
    height = ROW_HEIGHT * (count + 1) + 3 + SCROLLBAR  # borders, and room for a sideways scroll bar
    # The grid sizes its columns to their texts when it is first drawn and keeps those widths for its key: a
    # key of its own per content lets a table drawn anew with other rows (another breakdown, another level of a
    # drill-down) size its columns to them, instead of cutting a longer text short.
    st.dataframe(shown, hide_index=True, width="stretch", height=height, row_height=ROW_HEIGHT,
                 key=f"{key}-{grid.key}", column_config=grid.config)
    if table.note:
        st.caption(escape(table.note))
