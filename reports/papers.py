"""Build the meeting papers from a ``MeetingPack``: a PDF (A4 landscape) and an xlsx workbook.

Both are built in memory and returned whole: a failure never leaves a half-written file. A chart
that cannot be drawn is replaced by a sentence saying so, and listed in ``Papers.warnings``.
Every text cell of the workbook is stored as text, never as a formula, whatever it begins with.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from domain import meeting
from domain.formatting import format_number, format_percent
from domain.integrity import ChainReport, chain_note
from domain.markup import formula_like
from domain.placements import FORMULA
from domain.sick_leave import DIMENSIONS, LENGTH_LABELS, SUPPRESSED
from domain.forecast_view import forecast_lines_table
from domain.tables import Table, audit_table, import_log_table, sick_leave_monthly_table, texts, workbook_cell

@dataclass(frozen=True)
class Papers:
    pdf: bytes
    xlsx: bytes
    warnings: list[str] = field(default_factory=list)


def _font_path() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


# ---------------------------------------------------------------- tables shared by PDF and workbook

def statement_table(pack: meeting.MeetingPack) -> tuple[list[str], list[list[object]]]:
    from domain.periods import period_label

    span = period_label(pack.year, pack.month)
    header = ["Tkr", f"Budget {span}", f"Utfall {span}", "Avvikelse", f"Utfall samma period {pack.year - 1}",
              "Budget helår", "Prognos", "Avvikelse budget–prognos"]
    rows = []
    for _, row in pack.overview.statement.iterrows():
        rows.append([row["label"], *[_tkr(row[c]) for c in ("budget_ytd", "actual_ytd", "variance_ytd",
                                                             "actual_prev_ytd", "budget_year", "forecast",
                                                             "forecast_variance")]])
    return header, rows


def volume_rows(pack: meeting.MeetingPack) -> tuple[list[str], list[list[object]]]:
    header = ["Kategori", "Enhet", "Utfall hittills", "Periodiserad budget", "Budget helår", "Prognos (controller)",
              "Prognos (statistisk)", "Avvikelse budget–prognos", "À-pris utfall", "À-pris budget", "À-pris prognos"]
    table = pack.volume_table
    rows = [[r["category"], r["unit"], *[_round(r[c]) for c in ("days_ytd", "budget_days_ytd", "budget_days",
                                                                  "forecast_days", "stat_days",
                                                                  "days_variance_forecast", "price_ytd",
                                                                  "budget_price", "forecast_price")]]
            for _, r in table.iterrows()] if not table.empty else []
    return header, rows


def decomposition_rows(pack: meeting.MeetingPack) -> tuple[list[str], list[list[object]]]:
    header = ["Kategori", "Grupp", "Kostnad budget, tkr", "Kostnad prognos, tkr", "Volym, tkr", "Mix, tkr",
              "Pris, tkr", "Summa, tkr"]
    if pack.placements is None:
        return header, []
    rows = [[r["category"], r["group"], *[_tkr(r[c]) for c in ("cost_a", "cost_b", "volume", "mix", "price",
                                                                 "total")]]
            for _, r in pack.placements.categories.iterrows()]
    return header, rows


def sick_rows(pack: meeting.MeetingPack) -> tuple[list[str], list[list[object]]]:
    """Sick leave by group, small groups suppressed exactly as on the page."""
    header = ["Indelning", "Grupp", "Anställda", "Sjukfrånvaro", *LENGTH_LABELS.values(), "Anmärkning"]
    rows = []
    for dimension, table in pack.sick_breakdowns.items():
        for _, r in table.iterrows():
            if r["suppressed"]:
                rows.append([DIMENSIONS[dimension], r["group"], SUPPRESSED, SUPPRESSED,
                             *[SUPPRESSED] * len(LENGTH_LABELS), r["reason"]])
            else:
                rows.append([DIMENSIONS[dimension], r["group"], int(r["employees"]), float(r["rate"]),
                             *[float(r[c] / r["scheduled_hours"]) for c in LENGTH_LABELS], r["reason"]])
    return header, rows


def _tkr(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value) / 1000.0, 0)


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 0)


# ---------------------------------------------------------------- PDF

def _integrity_notes(pack: meeting.MeetingPack, chain: ChainReport | None) -> list[str]:
    """The checksums a reader can compare the printed papers with: saved versions and the audit trail."""
    return pack.version_notes + ([chain_note(chain)] if chain is not None else [])


_TABLE_FONT = 8.5
_CELL_PADDING = 2.4  # mm, both sides together
_CELL_SLACK = 2.2  # mm more than the measured text: the cell's own margins


def _place_image(pdf, image: bytes) -> None:
    """The chart at full text width below what the page already holds, shrunk to fit above the footer."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        ratio = picture.height / picture.width
    top, room = pdf.get_y(), pdf.h - 16 - pdf.get_y()
    width = min(pdf.epw, room / ratio)
    pdf.image(io.BytesIO(image), x=pdf.l_margin, y=top, w=width, h=width * ratio)


def _cell_texts(rows: list[list[object]], percent_columns: tuple[int, ...], percent_decimals: int) -> list[list[str]]:
    return [["–" if value is None else
             (format_percent(value, percent_decimals) if index in percent_columns else format_number(value))
             if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) else str(value)
             for index, value in enumerate(row)] for row in rows]


def column_widths(pdf, header: list[str], texts: list[list[str]], numeric: list[bool]) -> list[float]:
    """Widths (mm) that fit the page: numbers never wrap, a header wraps only between words, and the
    text columns give up what the page lacks (their cells wrap)."""
    def width(text: str, bold: bool = True) -> float:  # bold, the widest a cell is set in
        pdf.set_font("DejaVu", "B" if bold else "", _TABLE_FONT)
        return pdf.get_string_width(text) + _CELL_PADDING + _CELL_SLACK

    columns = list(zip(*texts)) if texts else [()] * len(header)
    words = [max(width(word) for word in (title.split() or [""])) for title in header]
    content = [max((width(text) for text in column), default=0.0) for column in columns]
    whole = [width(title) for title in header]
    wanted = [max(c, w, h / 2) for c, w, h in zip(content, words, whole)]
    available = pdf.epw
    if sum(wanted) > available:
        fixed = sum(w for w, n in zip(wanted, numeric) if n)
        flexible = [i for i, n in enumerate(numeric) if not n]
        room = available - fixed
        share = sum(wanted[i] for i in flexible)
        for i in flexible:
            wanted[i] = max(words[i], room * wanted[i] / share if share else words[i])
        total = sum(wanted)
        return [w * min(1.0, (available - 0.01) / total) for w in wanted]
    # Room to spare: headers on one line where it fits.
    spare = available - sum(wanted)
    for i in sorted(range(len(header)), key=lambda i: whole[i] - wanted[i]):
        grow = min(max(whole[i] - wanted[i], 0.0), spare)
        wanted[i] += grow
        spare -= grow
    return [w * min(1.0, (available - 0.01) / sum(wanted)) for w in wanted]


def _draw_table(pdf, header: list[str], rows: list[list[object]], percent_columns: tuple[int, ...] = (),
                bold_rows: frozenset[int] = frozenset(), percent_decimals: int = 0) -> None:
    """Rows of values (numbers formatted here) as a table; see ``_draw_texts``."""
    def number(value: object) -> bool:
        return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)

    # A column of numbers (some perhaps suppressed or missing) is set flush right.
    numeric = [any(number(row[i]) for row in rows)
               and all(number(row[i]) or row[i] in (None, SUPPRESSED, "–", "") for row in rows)
               for i in range(len(header))]
    _draw_texts(pdf, header, _cell_texts(rows, percent_columns, percent_decimals), numeric,
                {i: "total" for i in bold_rows})


def _draw_described(pdf, table: Table) -> None:
    """A described table (``domain.tables``) as the page shows it."""
    _draw_texts(pdf, table.labels, [list(row) for row in texts(table).itertuples(index=False)],
                [c.kind not in ("text", "identifier") for c in table.columns],
                {i: e for i, e in enumerate(table.emphasis) if e})


def _draw_texts(pdf, header: list[str], cells: list[list[str]], numeric: list[bool], emphasis: dict[int, str]) -> None:
    """A table as a printed report sets it: computed widths, wrapped cells, headings repeated on a new
    page, numbers flush right, totals in bold, flagged rows shaded."""
    from fpdf.fonts import FontFace

    widths = column_widths(pdf, header, cells, numeric)
    pdf.set_font("DejaVu", "", _TABLE_FONT)
    styles = {"total": FontFace(emphasis="BOLD"), "warning": FontFace(fill_color=(253, 236, 234))}
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", line_height=4.4,
                   text_align=tuple("RIGHT" if n else "LEFT" for n in numeric), borders_layout="HORIZONTAL_LINES",
                   headings_style=FontFace(emphasis="BOLD"), repeat_headings=1, padding=(0.6, _CELL_PADDING / 2),
                   v_align="TOP") as table:
        table.row(header)
        for number, row in enumerate(cells):
            style = styles.get(emphasis.get(number, ""))
            cells_of_row = table.row()
            for text in row:
                cells_of_row.cell(text, style=style)


def _scenario_figure(scenario: dict) -> bytes:
    """The scenario's bridge: against budget from zero when there is a budget, else the net result."""
    from reports import figures

    result = scenario["result"]
    if scenario.get("budget") is None:
        return figures.waterfall(scenario["base_label"], scenario["base_point"], result.steps, "Scenario",
                                 result.point, costs=False)
    return figures.variance_bridge("Grundprognos", scenario["base_point"] - scenario["budget"], result.steps,
                                   "Med scenariot", result.variance)


def build_pdf(pack: meeting.MeetingPack, progress: Callable[[float, str], None] | None = None,
              chain: ChainReport | None = None) -> tuple[bytes, list[str]]:
    from fpdf import FPDF

    from reports import figures

    progress = progress or (lambda share, text: None)
    warnings: list[str] = []
    footer = f"{pack.municipality} · {pack.cutoff_label} · {pack.forecast_label}" + \
        (" · exempeldata (påhittad kommun)" if pack.is_sample else "")

    class Papers(FPDF):
        def footer(self) -> None:  # on every page, also those a long table breaks onto
            self.set_y(-12)
            self.set_font("DejaVu", "", 8.5)
            self.cell(0, 5, f"{footer} · sida {self.page_no()}")

    pdf = Papers(orientation="L", unit="mm", format="A4")
    fonts = _font_path()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=16)

    def page(title: str, headline: str = "") -> None:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 20)
        pdf.multi_cell(0, 11, title, new_x="LMARGIN", new_y="NEXT")
        if headline:
            pdf.set_font("DejaVu", "", 13)
            pdf.multi_cell(0, 6.5, headline, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def bullets(lines: list[str]) -> None:
        pdf.set_font("DejaVu", "", 11)
        for line in lines:
            pdf.multi_cell(0, 5.5, f"•  {line}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    drawers = {
        "prognos": lambda: figures.forecast(pack),
        "verksamheter": lambda: figures.variances(meeting.largest_variances(pack.overview.activity_variance),
                                                  pack.overview.variance_ytd),
        "placeringar": lambda: figures.waterfall("Budget", pack.placements.cost_a, pack.placement_steps, "Prognos",
                                                 pack.placements.cost_b, costs=True),
        "sjukfranvaro": lambda: figures.sick_leave(pack.sick_monthly, pack.sick_trend),
    }
    screens = pack.screens
    total_steps = len(screens) + 5
    for number, screen in enumerate(screens, start=1):
        progress(number / total_steps, f"Ritar: {screen.title}")
        page(screen.title, screen.headline)
        scenario = next((s for s in pack.scenarios if f"scenario-{s['id']}" == screen.key), None)
        if scenario is not None:
            bullets(scenario["conditions"] + [f"Sparat av {scenario['author']}."])
        draw = drawers.get(screen.key) or (lambda: _scenario_figure(scenario))
        try:
            image = draw()
        except Exception as error:  # a chart must never stop the papers; say so on the page
            warnings.append(f"{screen.title}: diagrammet kunde inte ritas ({type(error).__name__}).")
            pdf.set_font("DejaVu", "", 12)
            pdf.multi_cell(0, 7, "Diagrammet kunde inte ritas. Siffrorna finns i tabellerna och i arbetsboken.")
            continue
        _place_image(pdf, image)

    def table_page(title: str, header: list[str], rows: list[list[object]],
                   percent_columns: tuple[int, ...] = (), bold_rows: frozenset[int] = frozenset(),
                   percent_decimals: int = 0) -> None:
        page(title)
        _draw_table(pdf, header, rows, percent_columns, bold_rows, percent_decimals)

    progress((len(screens) + 1) / total_steps, "Skriver tabeller")
    header, rows = statement_table(pack)
    levels = list(pack.overview.statement["level"])
    table_page(f"Driftredovisning {pack.year}, tkr", header, rows,
               bold_rows=frozenset(i for i, level in enumerate(levels) if level in ("summa", "delsumma")))
    lines = forecast_lines_table(pack.forecast_table)
    page(lines.title)
    _draw_described(pdf, lines)
    header, rows = volume_rows(pack)
    if rows:
        table_page("Volymer och à-priser", header, rows)
    header, rows = sick_rows(pack)
    if rows:
        table_page("Sjukfrånvaro per grupp, hittills i år", header, rows,
                   percent_columns=(3, 4, 5, 6), percent_decimals=1)
    progress((total_steps - 1) / total_steps, "Metodbeskrivning")
    page("Om siffrorna")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, pack.method_note)
    pdf.ln(3)
    pdf.multi_cell(0, 6, FORMULA)
    pdf.ln(3)
    for note in _integrity_notes(pack, chain):
        pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
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

    def sheet(title: str, header: list[str], rows: list[list[object]], percent_columns: tuple[int, ...] = (),
              tkr_columns: tuple[int, ...] = ()) -> None:
        worksheet = workbook.create_sheet(title)
        put(worksheet.cell(row=1, column=1), note)
        for index, text in enumerate(header, start=1):
            put(worksheet.cell(row=2, column=index), text)
            worksheet.cell(row=2, column=index).font = Font(bold=True)
        for target, row in enumerate(rows, start=3):
            for index, value in enumerate(row, start=1):
                cell = worksheet.cell(row=target, column=index)
                put(cell, value)
                if cell.data_type == "n" and cell.value is not None:
                    cell.number_format = "0.0%" if index - 1 in percent_columns else "#,##0"
        worksheet.freeze_panes = "B3"
        for column in worksheet.columns:
            letter = column[0].column_letter
            worksheet.column_dimensions[letter].width = min(60, max(12, *(len(str(c.value or "")) for c in column[1:])))
        worksheet.column_dimensions["A"].width = max(worksheet.column_dimensions["A"].width, 34)

    def table_sheet(table: Table, title: str | None = None) -> None:
        """A described table: Swedish headers, real numbers and dates with their formats, totals in bold."""
        worksheet = workbook.create_sheet(title or table.title)
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
                if table.emphasis_of(target - 3) == "total":
                    cell.font = Font(bold=True)
        worksheet.freeze_panes = "B3"

    about = workbook.active
    about.title = "Om rapporten"
    lines = [[note], ["Metod", pack.method_note], ["Placeringar", FORMULA],
             *(["Prognosversion", text] for text in pack.version_notes),
             *([["Granskningslogg", chain_note(chain)]] if chain is not None else []),
             *([screen.title, screen.headline] for screen in pack.screens)]
    for number, line in enumerate(lines, start=1):
        for index, text in enumerate(line, start=1):
            put(about.cell(row=number, column=index), text)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 140
    about.freeze_panes = "A2"

    header, rows = statement_table(pack)
    sheet("Driftredovisning", header, rows)
    table_sheet(forecast_lines_table(pack.forecast_table), "Prognos")
    header, rows = volume_rows(pack)
    if rows:
        sheet("Volymer och à-priser", header, rows)
    header, rows = decomposition_rows(pack)
    if rows:
        sheet("Volym, mix och pris", header, rows)
    if not pack.sick_monthly.empty:
        table_sheet(sick_leave_monthly_table(pack.sick_monthly))
    header, rows = sick_rows(pack)
    if rows:
        sheet("Sjukfrånvaro per grupp", header, rows, percent_columns=(3, 4, 5, 6))
    if pack.scenarios:
        sheet("Scenarier", ["Scenario", "Sparat av", "Resultat, tkr", "Avvikelse mot budget, tkr", "Mening"],
              [[s["name"], s["author"], _tkr(s["result"].point), _tkr(s["result"].variance),
                " ".join([s["effect"], *s["conditions"]])]
               for s in pack.scenarios])
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
