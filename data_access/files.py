"""Reading the tables that municipal systems export: CSV in any of their dialects, and xlsx.

Nothing here knows what the columns mean; ``data_access.formats`` does. Every way a file can fail
to be a table ends in a ``FileReadError`` whose message is Swedish, names the file, and says what to
do where that helps; the work spent on a hostile file is bounded (size, rows, columns, inflation).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 200
MAX_ROWS = 5_000_000
MAX_FIELD_CHARS = 100_000
# Bytes that cp1252 leaves undefined: a file holding them was written in some other encoding.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Letters that Mac Roman and DOS (cp850/cp437) put where cp1252 has punctuation: å ä ö Å Ä Ö é
# read as cp1252 come out as these, next to ordinary letters.
_FOREIGN_CODEPAGE = re.compile(r"[A-Za-z][\u0080-\u009f\u2020\u2021\u201e\u201d\u0160\u0161\u0152\u0153"
                               r"\u2026\u2030\u2039\u203a\u02c6\u02dc\u0192\u017d\u017e\u0178]"
                               r"|[\u2020\u2021\u201e\u0160\u0161\u0152\u0153\u2030\u0192\u017d\u017e]"
                               r"[A-Za-z]")

csv.field_size_limit(MAX_FIELD_CHARS)


class FileReadError(ValueError):
    """The file cannot be read as a table; the message is Swedish and names the file."""


@dataclass(frozen=True)
class RawTable:
    """Header and rows as text/values, with the file's own row numbers (header = row 1)."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]


def printable(value: object, limit: int = 60) -> str:
    """A value as it may be shown in a message: control characters escaped (``\\x00``), cut at ``limit``."""
    text = "" if value is None else str(value)
    shown = "".join(
        ch if (ch.isprintable() or ch == " ") and ch != "\ufffd" else (f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        for ch in text[: limit + 1]
    )
    return shown[:limit] + "…" if len(text) > limit or len(shown) > limit else shown


def decode_text(content: bytes, file_name: str = "filen") -> str:
    """UTF-8 (with or without BOM), or cp1252 as older Windows exports write; anything else is refused.

    The encoding is decided for the whole file. A file that starts as UTF-8 (a BOM, or valid
    multi-byte sequences) and then holds bytes that are not UTF-8 mixes two encodings and is
    refused rather than guessed at, as are UTF-16 and files that read as Mac Roman or DOS text.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(content) >= 4 and content[1:4:2] == b"\x00\x00"):
        raise FileReadError(f"{file_name}: filen verkar vara sparad som UTF-16 och kan inte läsas; spara den "
                            "som UTF-8 eller som CSV (semikolonavgränsad) i Excel")
    has_bom = content.startswith(b"\xef\xbb\xbf")
    body = content[3:] if has_bom else content
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        byte = body[exc.start:exc.start + 1].hex()
        if has_bom or _has_utf8_sequences(body):
            raise FileReadError(
                f"{file_name}: filen blandar teckenkodningar: den är UTF-8 men rad {line} har ett tecken som "
                f"inte är UTF-8 (byte 0x{byte}); spara hela filen som UTF-8 och läs in den igen") from None
    undefined = next((b for b in body if b in _CP1252_UNDEFINED), None)
    if undefined is not None:
        raise FileReadError(f"{file_name}: filens teckenkodning känns inte igen (byte 0x{undefined:02x} finns "
                            "varken i UTF-8 eller Windows-1252); spara filen som UTF-8")
    text = body.decode("cp1252")
    foreign = _FOREIGN_CODEPAGE.search(text)
    if foreign:
        line = text.count("\n", 0, foreign.start()) + 1
        raise FileReadError(
            f'{file_name}: rad {line} innehåller "{printable(foreign.group())}", vilket tyder på att filen är '
            "sparad med en annan teckenkodning (t.ex. Mac Roman eller DOS); spara den som UTF-8")
    return text


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold a multi-byte UTF-8 character (as Å, Ä, Ö are written in UTF-8)."""
    return _UTF8_SEQUENCE.search(data) is not None


def _sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _first_line(text: str) -> str:
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end]
        if line.strip():
            return line
        position = end + 1
    return ""


def read_csv(content: bytes, file_name: str) -> RawTable:
    text = decode_text(content, file_name)
    first = _first_line(text)
    if not first:
        raise FileReadError(f"{file_name}: filen är tom")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first))
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    number = 0
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if headers is None:
                headers = [cell.strip() for cell in row]
                if len(headers) > MAX_COLUMNS:
                    raise FileReadError(f"{file_name}: rubrikraden har {len(headers)} kolumner; högst "
                                        f"{MAX_COLUMNS} läses")
                continue
            if len(rows) >= MAX_ROWS:
                raise FileReadError(f"{file_name}: filen har fler än {MAX_ROWS:,} rader".replace(",", " ")
                                    + "; dela upp den per år eller månad")
            rows.append((number, row[:MAX_COLUMNS]))
    except csv.Error:
        raise FileReadError(f"{file_name}: rad {number + 1} kan inte läsas som CSV (ett fält är längre än "
                            f"{MAX_FIELD_CHARS} tecken eller ett citattecken saknar sin avslutning)") from None
    return RawTable(file_name, headers or [], rows)


def check_xlsx_archive(content: bytes, file_name: str) -> None:
    """Refuse archives that inflate far beyond any real budget workbook (zip bombs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        raise FileReadError(f"{file_name}: filen är inte en giltig xlsx-fil (den går inte att öppna som "
                            "arbetsbok); spara den på nytt i Excel som .xlsx eller som CSV") from None
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = max(1, sum(info.compress_size for info in infos))
        if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
            raise FileReadError(
                f"{file_name}: arbetsboken packas upp till {total // (1024 * 1024)} MB och läses inte "
                "(misstänkt komprimeringsbomb)"
            )
        if len(infos) > 10_000:
            raise FileReadError(f"{file_name}: arbetsboken har {len(infos)} delar och läses inte")


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if value is None:
        return ""
    return value


def read_xlsx(content: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """The first sheet (or ``sheet``) of a workbook; formulas are not evaluated, cached values read.

    The sheet's own ``<dimension>`` is ignored (a workbook may claim a million rows it does not
    have), and at most ``MAX_COLUMNS`` columns and ``MAX_ROWS`` rows are read.
    """
    from openpyxl import load_workbook

    check_xlsx_archive(content, file_name)
    unreadable = (f"{file_name}: filen kunde inte läsas som xlsx (arbetsboken är skadad eller inte en "
                  "Excel-arbetsbok); spara den på nytt i Excel som .xlsx eller som CSV")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for broken files; the user gets one clear message
        raise FileReadError(unreadable) from None
    try:
        if not workbook.sheetnames:
            raise FileReadError(f"{file_name}: arbetsboken har inga blad")
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                names = ", ".join(printable(name, 40) for name in workbook.sheetnames[:20])
                raise FileReadError(f'{file_name}: bladet "{printable(sheet, 40)}" finns inte (blad: {names})')
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        headers: list[str] | None = None
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_ROWS:
                raise FileReadError(f"{file_name}: bladet har fler än {MAX_ROWS} rader; dela upp filen")
            if not any(value is not None and str(value).strip() for value in values):
                continue
            cells = [_cell(value) for value in values]
            if headers is None:
                headers = [str(cell).strip() for cell in cells]
                while headers and headers[-1] == "":
                    headers.pop()
                continue
            rows.append((number, cells))
    except FileReadError:
        raise
    except Exception:
        raise FileReadError(unreadable) from None
    finally:
        workbook.close()
    return RawTable(file_name, headers or [], rows)


def read_table(content: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    lower = file_name.lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        return read_xlsx(content, file_name, sheet)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if content.startswith(b"PK\x03\x04"):
            raise FileReadError(f"{file_name}: filen är en arbetsbok (xlsx) men heter .csv; byt filändelse "
                                "till .xlsx eller spara den som CSV")
        return read_csv(content, file_name)
    raise FileReadError(f"{file_name}: okänt filformat (använd .csv eller .xlsx)")
