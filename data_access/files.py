"""Reading the tables that municipal systems export: CSV in any of their dialects, and xlsx.

Nothing here knows what the columns mean; ``data_access.formats`` does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200


class FileReadError(ValueError):
    """The file cannot be read as a table; the message is Swedish and names the file."""


@dataclass(frozen=True)
class RawTable:
    """Header and rows as text/values, with the file's own row numbers (header = row 1)."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252 as older Windows exports write."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_csv(content: bytes, file_name: str) -> RawTable:
    text = decode_text(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise FileReadError(f"{file_name}: filen är tom")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if headers is None:
            headers = [cell.strip() for cell in row]
            continue
        rows.append((number, list(row)))
    return RawTable(file_name, headers or [], rows)


def check_xlsx_archive(content: bytes, file_name: str) -> None:
    """Refuse archives that inflate far beyond any real budget workbook (zip bombs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise FileReadError(f"{file_name}: filen är inte en giltig xlsx-fil") from exc
    with archive:
        total = sum(info.file_size for info in archive.infolist())
        packed = max(1, sum(info.compress_size for info in archive.infolist()))
        if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
            raise FileReadError(
                f"{file_name}: arbetsboken packas upp till {total // (1024 * 1024)} MB och läses inte "
                "(misstänkt komprimeringsbomb)"
            )


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if value is None:
        return ""
    return value


def read_xlsx(content: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """The first sheet (or ``sheet``) of a workbook; formulas are not evaluated, cached values read."""
    from openpyxl import load_workbook

    check_xlsx_archive(content, file_name)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise FileReadError(f"{file_name}: filen kunde inte läsas som xlsx ({type(exc).__name__})") from exc
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                names = ", ".join(workbook.sheetnames)
                raise FileReadError(f'{file_name}: bladet "{sheet}" finns inte (blad: {names})')
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in values]
            if not any(str(cell).strip() for cell in cells):
                continue
            if headers is None:
                headers = [str(cell).strip() for cell in cells]
                continue
            rows.append((number, cells))
    finally:
        workbook.close()
    return RawTable(file_name, headers or [], rows)


def read_table(content: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    lower = file_name.lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        return read_xlsx(content, file_name, sheet)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return read_csv(content, file_name)
    raise FileReadError(f"{file_name}: okänt filformat (använd .csv eller .xlsx)")
