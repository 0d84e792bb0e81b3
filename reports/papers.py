"""Build the meeting papers from a ``MeetingPack``: a PDF (A4 landscape) and an xlsx workbook.

Both are built in memory and returned whole: a failure never leaves a half-written file. A chart
that cannot be drawn is replaced by a sentence saying so, and listed in ``Papers.warnings``.
Every text cell of the workbook is stored as text, never as a formula, whatever it begins with.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from domain import comparison, goals, meeting, scenarios
from domain.integrity import ChainReport, chain_note
from domain.markup import formula_like, plain
from domain.budget import statement_note, statement_table
from domain.forecast_view import forecast_lines_table
from domain.placements import effects_table, formula, prices_table, volume_days_table, volume_span
from domain.sick_leave import breakdowns_table
from domain.tables import (Table, audit_table, import_log_table, sheet_name, sick_leave_monthly_table, texts,
                           workbook_cell)

@dataclass(frozen=True)
class Papers:
    pdf: bytes
    xlsx: bytes
    warnings: list[str] = field(default_factory=list)


def _font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


# ---------------------------------------------------------------- tables shared by PDF and workbook

def described_tables(pack: meeting.MeetingPack) -> list[Table]:
    """The papers' tables in their order, each described once and rendered in the PDF and the workbook as
    on the page: the driftredovisning, the forecast per verksamhet, volumes, à-priser, the volume, mix and
    price effects, sick leave by group, the nämnd's indicators and the 5 % rule year by year."""
    found = [statement_table(pack.overview, statement_note(pack.overview, pack.official)),
             forecast_lines_table(pack.forecast_table, pack.official.label if pack.official.locked else "")]
    if not pack.volume_table.empty:
        span = volume_span(pack.volume_table, pack.year).replace(f" {pack.year}", "")
        found += [volume_days_table(pack.volume_table, pack.year, span),
                  prices_table(pack.volume_table, pack.year, span)]
    if pack.placements is not None:
        found.append(effects_table(pack.placements, "Budget helår", pack.placement_basis))
    if pack.sick_breakdowns:
        found.append(breakdowns_table(list(pack.sick_breakdowns.values()), pack.sick_span))
    if pack.goals:
        found.append(goals.area_summary_table(pack.goals))
        found.append(goals.all_goals_table(pack.goals, pack.year, pack.month))
        every_item = goals.all_items(pack.goals, pack.goal_orphans)
        if not every_item.empty:
            found.append(goals.items_summary_table(goals.items_summary(every_item)))
        if pack.goal_orphans:
            found.append(goals.items_table(pack.goal_orphans, goals.ORPHANS_TITLE, "Uppdrag utan inriktningsmål"))
        commented = goals.comments_table(pack.goals, pack.goal_orphans)
        if commented.rows:
            found.append(commented)
    if pack.goal_indicators:
        found.append(goals.indicators_table(pack.goal_indicators, pack.year, pack.month))
    shown = [i for goal in pack.goals for i in goal.indicators] + list(pack.goal_indicators)
    if shown:
        found.append(goals.formulas_table(shown))
    if pack.five_percent:
        found.append(goals.five_percent_table(pack.five_percent))
    if pack.comparisons:
        found += comparison.comparison_tables(pack.comparisons, pack.municipality)
    return found


# ---------------------------------------------------------------- PDF

def _integrity_notes(pack: meeting.MeetingPack, chain: ChainReport | None) -> list[str]:
    """The checksums a reader can compare the printed papers with: saved versions and the audit trail."""
    return [*pack.version_notes, *([chain_note(chain)] if chain is not None else [])]


_SMALLEST_FONT = 6.5
_TABLE_FONT = 8.5
_CELL_PADDING = 2.4  # mm, both sides together
_CELL_SLACK = 2.2  # mm more than the measured text: the cell's own margins
_NUMBER_GAP = 2.5  # mm more before a text column that follows a number column


def _place_image(pdf, image: bytes) -> None:
    """The chart at full text width below what the page already holds, shrunk to fit above the footer."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        ratio = picture.height / picture.width
    top, room = pdf.get_y(), pdf.h - 16 - pdf.get_y()
    width = min(pdf.epw, room / ratio)
    pdf.image(io.BytesIO(image), x=pdf.l_margin, y=top, w=width, h=width * ratio)


def _words(text: str) -> list[str]:
    """The words a line may break between: split at spaces and line breaks, not at a no-break space."""
    return [word for word in re.split(r"[ \t\n]+", text) if word]


def _measures(pdf, header: list[str], texts: list[list[str]], size: float):
    """Per column at type size ``size`` (mm, bold, the widest a cell is set in): the longest word of the
    header and the text cells, the widest cell, and the whole header on one line."""
    def width(text: str) -> float:
        return pdf.get_string_width(text) + _CELL_PADDING + _CELL_SLACK

    pdf.set_font("DejaVu", "B", size)
    columns = list(zip(*texts)) if texts else [()] * len(header)
    # A line breaks between words, never in one; a no-break space ("31 aug 2025", "1 234 kr") joins its words.
    words = [max(width(word) for word in [*_words(title), *(w for text in column for w in _words(text)), ""])
             for title, column in zip(header, columns)]
    content = [max((width(text) for text in column), default=0.0) for column in columns]
    whole = [width(title) for title in header]
    return words, content, whole


def _least(words, content, whole, numeric: list[bool]) -> list[float]:
    """The narrowest a column may be: a number on one line under a header of at most two lines; text
    down to its longest word."""
    return [max(c, w, h / 2) if n else w for w, c, h, n in zip(words, content, whole, numeric)]


def table_font(pdf, header: list[str], texts: list[list[str]], numeric: list[bool]) -> float:
    """The table's type size: the house size, or smaller for a wide table, so that no word is broken."""
    return next((size for size in (_TABLE_FONT, 7.5, _SMALLEST_FONT)
                 if sum(_least(*_measures(pdf, header, texts, size), numeric)) <= pdf.epw), _SMALLEST_FONT)


def column_widths(pdf, header: list[str], texts: list[list[str]], numeric: list[bool],
                  size: float = _TABLE_FONT) -> list[float]:
    """Widths (mm) that fit the page: numbers never wrap, a header wraps only between words, and the
    text columns give up what the page lacks (their cells wrap)."""
    words, content, whole = _measures(pdf, header, texts, size)
    wanted = [max(c, w, h / 2) for c, w, h in zip(content, words, whole)]
    available = pdf.epw
    if sum(wanted) > available:
        fixed = sum(w for w, n in zip(wanted, numeric) if n)
        flexible = [i for i, n in enumerate(numeric) if not n]
        # Each text column keeps its longest word and shares what room is left by how much more it wants.
        spare = max(available - fixed - sum(words[i] for i in flexible), 0.0)
        more = sum(wanted[i] - words[i] for i in flexible)
        for i in flexible:
            wanted[i] = words[i] + (spare * (wanted[i] - words[i]) / more if more else 0.0)
        total = sum(wanted)
        return [w * min(1.0, (available - 0.01) / total) for w in wanted]
    # Room to spare: headers on one line where it fits.
    spare = available - sum(wanted)
    for i in sorted(range(len(header)), key=lambda i: whole[i] - wanted[i]):
        grow = min(max(whole[i] - wanted[i], 0.0), spare)
        wanted[i] += grow
        spare -= grow
    return [w * min(1.0, (available - 0.01) / sum(wanted)) for w in wanted]


def _draw_described(pdf, table: Table) -> None:
    """A described table (``domain.tables``) as the page shows it. A table that runs a little over its page
    is set up to a point smaller, so that it keeps to one page: at the house size the forecast table's
    Summa nämnden stood alone on a page of its own, under a repeated heading. A heading row never ends a page
    (``_keep_headings``)."""
    header = table.labels
    cells = [list(row) for row in texts(table).itertuples(index=False)]
    numeric = [c.kind not in ("text", "identifier") for c in table.columns]
    emphasis = {i: e for i, e in enumerate(table.emphasis) if e}
    size = table_font(pdf, header, cells, numeric)
    one_page = False
    for smaller in (size, size - 0.5, size - 1.0):
        if smaller < _SMALLEST_FONT:
            break
        with pdf.offset_rendering() as trial:
            _draw_texts(trial.pdf, header, cells, numeric, emphasis, smaller)
        if not trial.page_break_triggered:
            size, one_page = smaller, True
            break
    widths = _widths(pdf, header, cells, numeric, size)  # one set for every part the table is drawn in
    start = 0
    for stop in [] if one_page else _keep_headings(pdf, header, cells, numeric, emphasis, size, widths):
        if stop > start:  # at 0: the table begins on the next page
            _draw_texts(pdf, header, cells[start:stop], numeric, _from(emphasis, start), size, widths)
        pdf.add_page()
        start = stop
    _draw_texts(pdf, header, cells[start:], numeric, _from(emphasis, start), size, widths)


def _from(emphasis: dict[int, str], start: int) -> dict[int, str]:
    return {number - start: kind for number, kind in emphasis.items() if number >= start}


def _keep_headings(pdf, header, cells, numeric, emphasis, size, widths) -> list[int]:
    """The rows before which the table begins a new page, so that a heading row (an inriktningsmål with its
    bedömning) is never the last row on a page, its indicators on the next (2026-12-06 walk: the papers gave
    a goal's bedömning without the reasons under it). Found by drawing the table on trial up to each heading
    and the row after it: when that row begins a new page, the heading goes with it. A part after a break
    begins on a page of its own, so a trial draws only the rows since the last break."""
    breaks: list[int] = []
    for heading in sorted(n for n, kind in emphasis.items() if kind == "heading" and n + 1 < len(cells)):
        if breaks and heading <= breaks[-1]:
            continue
        start = breaks[-1] if breaks else 0

        def pages(stop: int) -> int:
            with pdf.offset_rendering() as trial:  # drawn on the document itself, and rewound after the block
                if breaks:
                    trial.pdf.add_page()
                if stop > start:
                    _draw_texts(trial.pdf, header, cells[start:stop], numeric, _from(emphasis, start), size, widths)
                reached = trial.pdf.page
            return reached

        if pages(heading + 2) > pages(heading + 1):
            breaks.append(heading)
    return breaks


def _widths(pdf, header: list[str], cells: list[list[str]], numeric: list[bool], size: float) -> list[float]:
    """The table's column widths: computed to their texts, a text column right after a number column starting a
    little further off ("5 340 6 % högre" read as one), the room taken from the text columns, which may wrap."""
    widths = column_widths(pdf, header, cells, numeric, size)
    for i in range(1, len(numeric)):
        if numeric[i - 1] and not numeric[i]:
            widths[i] += _NUMBER_GAP
    excess = sum(widths) - (pdf.epw - 0.01)  # fpdf refuses a table a rounding wider than the page
    text_width = sum(w for w, n in zip(widths, numeric) if not n)
    if excess > 0 and text_width > 0:
        widths = [w if n else w - excess * w / text_width for w, n in zip(widths, numeric)]
    return widths


def _draw_texts(pdf, header: list[str], cells: list[list[str]], numeric: list[bool], emphasis: dict[int, str],
                size: float, widths: list[float] | None = None) -> None:
    """A table as a printed report sets it: computed widths (``_widths``), wrapped cells, headings repeated on a
    new page, numbers flush right, totals and heading rows in bold, flagged rows shaded."""
    from fpdf.fonts import FontFace

    widths = widths or _widths(pdf, header, cells, numeric, size)
    after_number = {i for i in range(1, len(numeric)) if numeric[i - 1] and not numeric[i]}
    side = _CELL_PADDING / 2
    padding = {i: (0.6, side, 0.6, side + _NUMBER_GAP) for i in after_number}
    pdf.set_font("DejaVu", "", size)
    styles = {"total": FontFace(emphasis="BOLD"), "heading": FontFace(emphasis="BOLD"),
              "warning": FontFace(fill_color=(253, 236, 234))}
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", line_height=4.4,
                   text_align=tuple("RIGHT" if n else "LEFT" for n in numeric), borders_layout="HORIZONTAL_LINES",
                   headings_style=FontFace(emphasis="BOLD"), repeat_headings=1, padding=(0.6, side),
                   v_align="TOP") as table:
        for number, row in enumerate([header, *cells], start=-1):
            style = styles.get(emphasis.get(number, ""))
            cells_of_row = table.row()
            for column, text in enumerate(row):
                cells_of_row.cell(text, style=style, padding=padding.get(column))


def _scenario_figure(scenario: dict) -> bytes:
    """The scenario's bridge, as on the screens: against budget from zero when there is a budget, else the
    net result from zero."""
    from reports import figures

    result = scenario["result"]
    return figures.result_bridge(scenario["base_label"], scenario["base_point"], result.steps, "Med scenariot",
                                 result.point, scenario.get("budget"))


def build_pdf(pack: meeting.MeetingPack, progress: Callable[[float, str], None] | None = None,
              chain: ChainReport | None = None) -> tuple[bytes, list[str]]:
    from fpdf import FPDF

    from reports import figures

    progress = progress or (lambda share, text: None)
    warnings: list[str] = []
    class Papers(FPDF):
        # The title of the page a long table began on; a page it breaks onto is headed "… (forts.)".
        continuing = ""
        # The slide's footer under its page, the period's under the tables: the forecast named as on the slides, when
        # a version was saved stands with its checksum among the notes, not on every page (2026-12-06 walk).
        foot = pack.footer()

        def header(self) -> None:
            if self.continuing:
                self.set_font("DejaVu", "B", 13)
                self.multi_cell(0, 7, f"{self.continuing} (forts.)", new_x="LMARGIN", new_y="NEXT", align="L")
                self.ln(1)

        def normalize_text(self, text: str) -> str:  # every text the papers write, tables' cells included
            return super().normalize_text(plain(text))

        def footer(self) -> None:  # on every page, also those a long table breaks onto
            self.set_y(-12)
            self.set_font("DejaVu", "", 8.5)
            self.cell(0, 5, f"{self.foot} · sida {self.page_no()} av {{nb}}")  # fpdf2 writes the count at the end

    pdf = Papers(orientation="L", unit="mm", format="A4")
    # The document's own title, shown by a reader's title bar and found by a search in a diarium.
    pdf.set_title(f"Mötespapper {pack.municipality} · {pack.cutoff_label}")
    pdf.set_lang("sv-SE")
    fonts = _font_path()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=16)

    def page(title: str, headline: str = "", *, new: bool = True) -> None:
        pdf.continuing = ""
        if new:
            pdf.add_page()  # writes the footer of the page before
            pdf.foot = pack.footer()
        else:  # a section under the one before, on the same page
            pdf.ln(8)
        pdf.continuing = title
        pdf.set_font("DejaVu", "B", 20)
        pdf.multi_cell(0, 11, title, new_x="LMARGIN", new_y="NEXT", align="L")
        if headline:
            pdf.set_font("DejaVu", "", 13)
            pdf.multi_cell(0, 6.5, headline, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(2)

    def bullets(lines: list[str]) -> None:
        pdf.set_font("DejaVu", "", 11)
        for line in lines:
            pdf.multi_cell(0, 5.5, f"•  {line}", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(2)

    drawers = {
        "prognos": lambda: figures.year(pack),
        "verksamheter": lambda: figures.variances(pack.activity_variances, pack.overview.variance_ytd),
        "placeringar": lambda: figures.cost_bridge(pack.placement_bridge()),
        "sjukfranvaro": lambda: figures.sick_leave(pack.sick_monthly, pack.sick_trend),
        "femprocent": lambda: figures.five_percent(pack.five_percent),
        "mal": lambda: figures.goal_summary(goals.area_summary_table(pack.goals)),
        "jamforelse": lambda: figures.comparison(comparison.chart_rows(comparison.largest(pack.comparisons))),
    }
    screens = pack.screens
    total_steps = len(screens) + 5
    for number, screen in enumerate(screens, start=1):
        progress(number / total_steps, f"Ritar: {screen.title}")
        page(screen.title, screen.headline)
        pdf.foot = pack.footer(screen)  # written when the page ends, so set for the page just begun
        if screen.through:  # the slide's own "Volymer t.o.m. augusti 2025" beside a footer of September's data
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, screen.through, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        scenario = next((s for s in pack.scenarios if f"scenario-{s['id']}" == screen.key), None)
        if scenario is not None:
            bullets(scenario["conditions"] + ([scenario["note"]] if scenario["note"] else []))
        if screen.key == "jamforelse":
            bullets([pack.comparison_slide_source])
        draw = drawers.get(screen.key) or (lambda: _scenario_figure(scenario))
        try:
            image = draw()
        except Exception as error:  # a chart must never stop the papers; say so on the page
            warnings.append(f"{screen.title}: diagrammet kunde inte ritas ({type(error).__name__}).")
            pdf.set_font("DejaVu", "", 12)
            pdf.multi_cell(0, 7, "Diagrammet kunde inte ritas. Siffrorna finns i tabellerna och i arbetsboken.",
                           align="L")
            continue
        _place_image(pdf, image)

    progress((len(screens) + 1) / total_steps, "Skriver tabeller")
    def section(table: Table, new: bool) -> None:
        page(table.title, new=new)
        if table.note:  # under the title, where it is read first and never pushed off a full page
            pdf.set_font("DejaVu", "", 9)
            pdf.multi_cell(0, 4.5, table.note, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1.5)
        _draw_described(pdf, table)

    for number, table in enumerate(described_tables(pack)):
        # A table that fits whole under the one before goes there: a summary of four rows and a list of one took a
        # page each (2026-12-07 walk, 25 pages).
        together = False
        if number:
            with pdf.offset_rendering() as trial:
                section(table, new=False)
            together = not trial.page_break_triggered
        section(table, new=not together)
    progress((total_steps - 1) / total_steps, "Metodbeskrivning")
    page("Om siffrorna")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, pack.method_note, align="L")
    pdf.ln(3)
    for note in _integrity_notes(pack, chain):
        pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT", align="L")
    progress(1.0, "Klar")
    return bytes(pdf.output()), warnings


# ---------------------------------------------------------------- workbook

def put(cell, value) -> None:
    """Write ``value`` to a workbook cell: numbers as numbers, anything else as text, never a formula.

    Text that a spreadsheet would evaluate (starting with =, +, -, @, tab or CR) is also marked with
    Excel's quote prefix, so that it stays text even when someone edits the cell.
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        cell.value = float(value)
    elif value is None:
        cell.value = None
    else:
        cell.value = str(value)
        cell.data_type = "s"
        if formula_like(cell.value):
            cell.quotePrefix = True


def build_xlsx(pack: meeting.MeetingPack, audit: pd.DataFrame | None = None,
               trail: pd.DataFrame | None = None, chain: ChainReport | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    note = f"{pack.municipality} · {pack.cutoff_label} · {pack.forecast_label}" + \
        (" · exempeldata (påhittad kommun)" if pack.is_sample else "")

    def table_sheet(table: Table) -> None:
        """A described table: Swedish headers, real numbers and dates with their formats, totals in bold."""
        worksheet = workbook.create_sheet(sheet_name(table))
        put(worksheet.cell(row=1, column=1), note)
        for index, column in enumerate(table.columns, start=1):
            put(worksheet.cell(row=2, column=index), column.label)
            worksheet.cell(row=2, column=index).font = Font(bold=True)
            worksheet.column_dimensions[worksheet.cell(row=2, column=index).column_letter].width = column.width
        for target, row in enumerate(table.rows, start=3):
            for index, column in enumerate(table.columns, start=1):
                value, number_format = workbook_cell(column, row.get(column.key))
                cell = worksheet.cell(row=target, column=index)
                if isinstance(value, dt.datetime):
                    cell.value = value
                else:
                    put(cell, value)
                if number_format and cell.value is not None:
                    cell.number_format = number_format
                if table.emphasis_of(target - 3) in ("total", "heading"):
                    cell.font = Font(bold=True)
        if table.note:
            put(worksheet.cell(row=len(table.rows) + 4, column=1), table.note)
        worksheet.freeze_panes = "B3"

    about = workbook.active
    about.title = "Om rapporten"
    lines = [[note], ["Metod", pack.method_note], ["Placeringar", formula("Budget helår", pack.placement_basis)],
             *(["Prognosversion", text] for text in pack.version_notes),
             *([["Granskningslogg", chain_note(chain)]] if chain is not None else []),
             *([screen.title, screen.headline] for screen in pack.screens)]
    for number, line in enumerate(lines, start=1):
        for index, text in enumerate(line, start=1):
            put(about.cell(row=number, column=index), text)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 140
    about.freeze_panes = "A2"

    for table in described_tables(pack):
        table_sheet(table)
    if not pack.sick_monthly.empty:
        table_sheet(sick_leave_monthly_table(pack.sick_monthly))
    if pack.scenarios:
        table_sheet(scenarios.meeting_table(pack.scenarios))
    for frame, describe in ((audit, import_log_table), (trail, audit_table)):
        if frame is not None and not frame.empty:
            table_sheet(describe(frame))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(pack: meeting.MeetingPack, audit: pd.DataFrame | None = None,
          progress: Callable[[float, str], None] | None = None, trail: pd.DataFrame | None = None,
          chain: ChainReport | None = None) -> Papers:
    """``chain`` (the audit trail verified as the papers are made) prints its last checksum as an anchor."""
    pdf, warnings = build_pdf(pack, progress, chain)
    return Papers(pdf=pdf, xlsx=build_xlsx(pack, audit, trail, chain), warnings=warnings)
