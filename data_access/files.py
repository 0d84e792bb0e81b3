"""Reading the tables that municipal systems export: CSV in any of their dialects, and xlsx.

Nothing here knows what the columns mean; ``data_access.formats`` does. Every way a file can fail
to be a table ends in a ``FileReadError`` whose message is Swedish, names the file, and says what to
do where that helps; the work spent on a hostile file is bounded (size, rows, columns, inflation).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from domain.formatting import format_number

MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 200
MAX_ROWS = 5_000_000
MAX_FIELD_CHARS = 100_000
CHUNK_ROWS = 100_000
_READ_BLOCK = 1 << 20
_ARROW_BLOCK = 5 << 19
# Cells as text held by Arrow: string work on a column is vectorised instead of one Python call per cell.
TEXT = pd.StringDtype("pyarrow")
# Bytes that cp1252 leaves undefined: a file holding them was written in some other encoding.
_CP1252_UNDEFINED_BYTES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Letters that Mac Roman and DOS (cp850/cp437) put where cp1252 has punctuation: å ä ö Å Ä Ö é
# read as cp1252 come out as these, next to ordinary letters.
_FOREIGN_CODEPAGE = re.compile(r"[A-Za-z][\u0080-\u009f\u2020\u2021\u201e\u201d\u0160\u0161\u0152\u0153"
                               r"\u2026\u2030\u2039\u203a\u02c6\u02dc\u0192\u017d\u017e\u0178]"
                               r"|[\u2020\u2021\u201e\u0160\u0161\u0152\u0153\u2030\u0192\u017d\u017e]"
                               r"[A-Za-z]")

csv.field_size_limit(MAX_FIELD_CHARS)
T = TypeVar("T")


class NotPlainGrid(Exception):
    """The fast reader met a file that is not a plain grid; the general reader reads it instead."""


class FileReadError(ValueError):
    """The file cannot be read as a table; the message is Swedish and names the file. Where one row is the cause,
    ``row``, ``value`` and ``detail`` (the message without the file and row) locate it, and ``column`` where the
    cause is a column the header does not name."""

    def __init__(self, message: str, *, row: int | None = None, value: str = "", detail: str = "",
                 column: str = "") -> None:
        super().__init__(message)
        self.row, self.value, self.detail, self.column = row, value, detail, column


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


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold a multi-byte UTF-8 character (as Å, Ä, Ö are written in UTF-8)."""
    return _UTF8_SEQUENCE.search(data) is not None


DELIMITER_NAMES = {";": "ett semikolon", "\t": "en tabb"}  # the delimiters ``_sniff_delimiter`` finds besides ","


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
    """A whole (small) table in memory, read by the same rules as ``open_table``."""
    lower = file_name.lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        return read_xlsx(content, file_name, sheet)
    source = open_table(content, file_name, sheet)

    def collect(chunks: Iterator[Chunk]) -> list[tuple[int, list[object]]]:
        rows = []
        for chunk in map(Chunk.settle, chunks):
            rows.extend(zip(chunk.rows.tolist(), chunk.frame.astype(object).values.tolist()))
        return rows

    return RawTable(file_name, source.headers, source.read(collect))


# ----------------------------------------------------------------------------------------------
# Reading in chunks: what the importer uses, so that memory depends on the chunk, not the file


Source = bytes | Path


@dataclass
class Chunk:
    """Up to ``CHUNK_ROWS`` data rows: the file's own row numbers and the cells as text.

    A chunk straight from the reader may still hold blank rows and over-long fields;
    ``settle()`` drops the one and refuses the other (a reader of the chunk calls it, so that
    the work runs beside the reading).
    """

    rows: np.ndarray
    frame: pd.DataFrame
    file_name: str = ""
    settled: bool = True

    def settle(self) -> Chunk:
        if self.settled:
            return self
        frame, numbers = self.frame, self.rows
        keep = _nonblank_rows(frame)
        if not keep.all():
            frame, numbers = frame[keep].reset_index(drop=True), numbers[keep]
        longest = np.zeros(len(frame), dtype=np.int64)
        for name in frame.columns:
            column = text_array(frame[name])
            if (pc.max(pc.binary_length(column)).as_py() or 0) > MAX_FIELD_CHARS:
                longest = np.maximum(longest, pc.utf8_length(column).to_numpy(zero_copy_only=False))
        too_long = np.flatnonzero(longest > MAX_FIELD_CHARS)
        if too_long.size:
            raise FileReadError(f"{self.file_name}: rad {numbers[too_long[0]]} har ett fält som är längre "
                                f"än {MAX_FIELD_CHARS} tecken")
        return Chunk(numbers, frame)


@dataclass
class TableSource:
    """A table's header and its data rows in chunks (read once, in order)."""

    file_name: str
    headers: list[str]
    chunks: Iterator[Chunk]
    estimated_rows: int = 0
    # The same rows by the general reader, for when ``chunks`` raises ``NotPlainGrid``.
    general: Callable[[], Iterator[Chunk]] | None = None
    # Whether a person wrote the headings (a CSV file, a sheet): then a message names a column by them. The keys
    # of an API's answer ("municipality") are not the user's: there it is named as the interface names it.
    headed: bool = True

    def read(self, consume: Callable[[Iterator[Chunk]], T]) -> T:
        """``consume(chunks)``; again from the start with the general reader if the fast one gives up."""
        try:
            return consume(self.chunks)
        except NotPlainGrid:
            return consume(self.general())


def _blocks(source: Source) -> Iterator[bytes]:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            while block := handle.read(_READ_BLOCK):
                yield block
    else:
        for start in range(0, len(source), _READ_BLOCK):
            yield source[start:start + _READ_BLOCK]


def source_size(source: Source) -> int:
    return source.stat().st_size if isinstance(source, Path) else len(source)


def source_digest(source: Source) -> str:
    digest = hashlib.sha256()
    for block in _blocks(source):
        digest.update(block)
    return digest.hexdigest()


def _head(source: Source, size: int = 65536) -> bytes:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return handle.read(size)
    return source[:size]


def _field_around(block: bytes, at: int) -> str:
    """The field of a line that holds the byte at ``at``, read as Windows-1252 (the delimiter is not known yet: any
    of semicolon, comma and tab ends a field)."""
    start = max(block.rfind(b"\n", 0, at), *(block.rfind(mark, 0, at) for mark in (b";", b",", b"\t"))) + 1
    ends = [end for end in (block.find(mark, at) for mark in (b"\n", b"\r", b";", b",", b"\t")) if end >= 0]
    return block[start:min(ends, default=len(block))].decode("cp1252", errors="replace").strip().strip('"')


def detect_encoding(source: Source, file_name: str) -> str:
    """The one encoding of the whole file ("utf-8-sig", "utf-8" or "cp1252"), decided by reading it through.

    UTF-8 (with or without BOM), or cp1252 as older Windows exports write. A file that is UTF-8
    in part (a BOM, or UTF-8 letters) but holds bytes that are not UTF-8 mixes two encodings and is
    refused rather than guessed at, as are UTF-16, bytes that cp1252 leaves undefined, text that
    reads as Mac Roman or DOS, and a NUL byte anywhere (a CSV parser would drop it silently).
    """
    head = _head(source, 4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and head[1:4:2] == b"\x00\x00"):
        raise FileReadError(f"{file_name}: filen verkar vara sparad som UTF-16 och kan inte läsas; spara den "
                            "som UTF-8 eller som CSV (semikolonavgränsad) i Excel")
    has_bom = head.startswith(b"\xef\xbb\xbf")
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8_ok, line, bad_line, bad_byte, bad_field = True, 1, 1, "??", ""
    for block in _blocks(source):
        nul = block.find(b"\x00")
        if nul >= 0:
            at = line + block.count(b"\n", 0, nul)
            raise FileReadError(f"{file_name}: rad {at} innehåller ett nolltecken (\\x00); filen är skadad eller "
                                "inte en textfil")
        if utf8_ok:
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                utf8_ok = False
                bad_line = line + block.count(b"\n", 0, max(exc.start, 0))
                bad_byte = block[exc.start:exc.start + 1].hex() or "??"
                bad_field = _field_around(block, max(exc.start, 0))
        line += block.count(b"\n")
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok, bad_line = False, line
    if utf8_ok:
        return "utf-8-sig" if has_bom else "utf-8"
    # Not UTF-8 throughout: a file that has UTF-8 letters elsewhere mixes two encodings.
    previous = b""
    for block in _blocks(source):
        if has_bom or _has_utf8_sequences(previous[-3:] + block):
            # The byte as Windows-1252 reads it, and the field it stands in, to search for (2026-12-07 walk: "byte
            # 0xd6" alone, where the controller looks for an "Ö").
            letter = bytes.fromhex(bad_byte).decode("cp1252", errors="replace") if bad_byte != "??" else ""
            said = f'"{printable(letter)}" i "{printable(bad_field)}"' if letter.isprintable() and bad_field else \
                f"byte 0x{bad_byte}"
            detail = (f"filen blandar teckenkodningar: den är UTF-8 men har ett tecken som inte är UTF-8 ({said}, "
                      f"byte 0x{bad_byte}); spara hela filen som UTF-8 och läs in den igen")
            raise FileReadError(f"{file_name}, rad {bad_line}: {detail}", row=bad_line, value=bad_field, detail=detail)
        undefined = _CP1252_UNDEFINED_BYTES.search(block)
        if undefined:
            raise FileReadError(f"{file_name}: filens teckenkodning känns inte igen (byte 0x{undefined.group().hex()} "
                                "finns varken i UTF-8 eller Windows-1252); spara filen som UTF-8")
        previous = block
    text_line = 1
    for block in _blocks(source):
        text = block.decode("cp1252")
        foreign = _FOREIGN_CODEPAGE.search(text)
        if foreign:
            at = text_line + text.count("\n", 0, foreign.start())
            raise FileReadError(
                f'{file_name}: rad {at} innehåller "{printable(foreign.group())}", vilket tyder på att filen är '
                "sparad med en annan teckenkodning (t.ex. Mac Roman eller DOS); spara den som UTF-8")
        text_line += text.count("\n")
    return "cp1252"


def _csv_source(source: Source, file_name: str, chunk_rows: int) -> TableSource:
    encoding = detect_encoding(source, file_name)
    head = _head(source).decode(encoding, errors="ignore")
    first = _first_line(head)
    if not first:
        raise FileReadError(f"{file_name}: filen är tom")
    delimiter = _sniff_delimiter(first)
    try:
        header_cells = next(csv.reader([first], delimiter=delimiter))
    except csv.Error:  # a lone carriage return or a stray quote in the header row
        raise FileReadError(f"{file_name}, rad 1: rubrikraden kan inte läsas (ett ensamt radslut eller ett "
                            "citattecken mitt i raden); spara filen på nytt som CSV (semikolonavgränsad) i UTF-8"
                            ) from None
    headers = [cell.strip() for cell in header_cells]
    if len(headers) > MAX_COLUMNS:
        raise FileReadError(f"{file_name}: rubrikraden har {len(headers)} kolumner; högst {MAX_COLUMNS} läses")
    width = len(headers)

    def reader(engine: str):
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        options = dict(sep=delimiter, header=None, names=list(range(width)), dtype=str, na_filter=False,
                       skip_blank_lines=False, encoding=encoding, chunksize=chunk_rows, quotechar='"',
                       engine=engine)
        if engine == "python":
            options["on_bad_lines"] = lambda fields: fields[:width]
        return pd.read_csv(handle, **options)

    def frames(plain: bool) -> Iterator[pd.DataFrame]:
        """The parser's chunks; any way the parser fails becomes one Swedish refusal."""
        if plain:
            yield from _arrow_frames(source, delimiter, width, chunk_rows)
            return
        engine, produced = "c", 0
        while True:
            iterator = reader(engine)
            try:
                while True:
                    try:
                        frame = next(iterator)
                    except StopIteration:
                        return
                    produced += 1
                    yield frame.astype(TEXT)
            except pd.errors.ParserError as exc:
                _refuse_extra_fields(source, encoding, delimiter, headers, file_name)
                if engine == "c" and "Expected" in str(exc) and produced == 0:
                    engine = "python"
                    continue
                raise FileReadError(f"{file_name}: filen kan inte läsas som CSV (ett citattecken saknar sin "
                                    "avslutning eller raderna har olika många fält)") from None
            except (UnicodeDecodeError, csv.Error, ValueError, OverflowError, MemoryError):
                raise FileReadError(f"{file_name}: filen kan inte läsas som CSV; spara den på nytt som "
                                    "CSV (semikolonavgränsad) i UTF-8") from None

    def chunks(plain: bool) -> Iterator[Chunk]:
        seen_header, position = False, 0
        for frame in frames(plain):
            numbers = np.arange(position + 1, position + len(frame) + 1)
            position += len(frame)
            if not seen_header:
                keep = _nonblank_rows(frame)
                if not keep.any():
                    continue
                after = int(np.argmax(keep)) + 1
                frame, numbers = frame.iloc[after:].reset_index(drop=True), numbers[after:]
                seen_header = True
            if position > MAX_ROWS:
                raise FileReadError(f"{file_name}: filen har fler än {MAX_ROWS} rader; dela upp den per "
                                    "år eller månad")
            yield Chunk(numbers, frame, file_name, settled=False)

    sample = head.splitlines()
    average = max(1, sum(len(line) + 1 for line in sample) // max(1, len(sample)))
    plain = encoding.startswith("utf-8") and not _has_quotes(source)
    return TableSource(file_name, headers, chunks(plain), max(1, source_size(source) // average),
                       (lambda: chunks(False)) if plain else None)


def _refuse_extra_fields(source: Source, encoding: str, delimiter: str, headers: list[str], file_name: str) -> None:
    """Refuse a file with something in a field beyond the header's last column, naming the first such row
    and how many there are.

    Empty fields after the last column (a line ending in ";;", as some exports write) are read as
    nothing. A value there is not: in a comma-separated file, "717263,12" is two fields, and the
    reader would otherwise keep 717263 and drop the 12 without a word (2026-12-05 walk). A walk on
    2026-12-06 read the first row's message alone as one error in a file where every row had it.
    """
    width = len(headers)
    handle = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    first, rows, last = None, 0, 0
    try:
        for number, fields in enumerate(csv.reader(text, delimiter=delimiter, quotechar='"'), start=1):
            place = next((index for index in range(width, len(fields)) if fields[index].strip()), None)
            if place is None:
                continue
            rows, last = rows + 1, number
            if first is None:
                first = (number, len(fields), fields[place].strip(), place + 1)
    except csv.Error:
        if first is None:
            return  # the reader's own refusal names what is wrong
    finally:
        text.detach().close()
    if first is None:
        return
    number, count, extra, position = first
    # A controller's comment with a semicolon in it is the usual cause (2026-12-07 new-municipality walk): the remedy
    # is said, quotation marks around the text, as Excel writes it.
    hint = ("; i en kommaavgränsad fil blir ett decimalkomma två fält: spara filen semikolonavgränsad "
            "(CSV med semikolon, som Excel gör med svenska inställningar)" if delimiter == "," else
            f'; står {DELIMITER_NAMES.get(delimiter, "avgränsaren")} i en text, sätt texten inom citattecken ("…"), '
            "som Excel gör när filen sparas")
    named = f' ("{printable(headers[-1])}")' if headers[-1] else ""
    more = f"; så är det på {format_number(rows)} rader, rad {number}–{last}" if rows > 1 else ""
    # The rest of the file is checked once its rows have the header's fields: said, so that the fault is not taken
    # for the file's only one (2026-12-07 audit walk: four more appeared after it was mended).
    detail = (f'raden har {count} fält men rubrikraden {width}; värdet "{printable(extra)}" står efter sista '
              f"kolumnen{named}{more}{hint}. Rätta det först: filens övriga värden prövas när varje rad har "
              "rubrikradens fält")
    # The column is its place in the row: it has no heading (2026-12-07 walk: the table's Kolumn cell stood empty).
    raise FileReadError(f"{file_name}, rad {number}: {detail}", row=number, value=extra, detail=detail,
                        column=f"nr {position} (utan rubrik)")


def _arrow_options(delimiter: str, width: int) -> tuple:
    names = [str(index) for index in range(width)]
    return (pacsv.ReadOptions(column_names=names, block_size=1 << 20),
            pacsv.ParseOptions(delimiter=delimiter, quote_char=False, ignore_empty_lines=False),
            pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, strings_can_be_null=False))


def _has_quotes(source: Source) -> bool:
    return any(b'"' in block for block in _blocks(source))


def _nonblank_rows(frame: pd.DataFrame) -> np.ndarray:
    keep = np.zeros(len(frame), dtype=bool)
    for name in frame.columns:
        keep |= nonblank(text_array(frame[name]))
    return keep


def nonblank(array: pa.Array) -> np.ndarray:
    """Which cells hold something other than whitespace."""
    blank = pc.or_(pc.equal(pc.binary_length(array), 0), pc.utf8_is_space(array))
    return ~blank.to_numpy(zero_copy_only=False)


def text_array(column: pd.Series) -> pa.Array:
    """A text column as one Arrow string array (``string`` or ``large_string``) without nulls."""
    chunked = column.astype(TEXT).array.__arrow_array__()
    array = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
    if array.type not in (pa.string(), pa.large_string()):
        array = array.cast(pa.large_string())
    # A field a short line does not have is empty, as a field with nothing in it.
    return pc.fill_null(array, "") if array.null_count else array


def _segments(source: Source) -> Iterator[bytes]:
    """The file in pieces of about ``_ARROW_BLOCK`` bytes that end at a line break."""
    carry = b""
    for block in _blocks(source):
        block = carry + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            if len(block) > 4 * _ARROW_BLOCK:
                raise NotPlainGrid
            carry = block
            continue
        if cut >= _ARROW_BLOCK or len(block) >= _ARROW_BLOCK:
            carry = block[cut:]
            yield block[:cut]
        else:
            carry = block
    if carry:
        yield carry


def _arrow_frames(source: Source, delimiter: str, width: int, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """A file without quotation marks, read by Arrow's CSV reader a piece at a time.

    Every line must have as many fields as the header and no line may be blank (these count rows
    as the general reader does); otherwise ``NotPlainGrid`` hands the file to the general reader.
    """
    read, parse, convert = _arrow_options(delimiter, width)
    for segment in _segments(source):
        try:
            table = pacsv.read_csv(pa.py_buffer(segment), read_options=read, parse_options=parse,
                                   convert_options=convert)
        except (pa.ArrowException, OSError, ValueError):
            raise NotPlainGrid from None
        for start in range(0, table.num_rows, chunk_rows):
            part = table.slice(start, chunk_rows)
            yield pd.DataFrame({index: pd.Series(pd.arrays.ArrowStringArray(part.column(index)), copy=False)
                                for index in range(width)})


def _text_of(value: object) -> str:
    """A cell as text, numbers written out in full (never ``1e+20``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return np.format_float_positional(value, trim="-") if np.isfinite(value) else str(value)
    return str(value)


def frame_of(rows: list[tuple[int, list[object]]], width: int) -> Chunk:
    numbers = np.fromiter((number for number, _ in rows), dtype=np.int64, count=len(rows))
    cells = [[_text_of(value) for value in (list(cells) + [""] * width)[:width]] for _, cells in rows]
    return Chunk(numbers, pd.DataFrame(cells, columns=list(range(width)), dtype=object).astype(TEXT))


# The answer's own field names, so that a message names the field in the file.
KOLADA_HEADERS = ["kpi", "municipality", "municipality_title", "period", "value", "gender"]
_JSON_MESSAGES = {"Expecting value": "ett värde saknas", "Unterminated string": "en text avslutas inte",
                  "Expecting ',' delimiter": "ett kommatecken saknas", "Expecting ':' delimiter": "ett kolon saknas",
                  "Expecting property name": "ett fältnamn inom citattecken saknas",
                  "Extra data": "det finns mer efter dokumentets slut", "Invalid control character": "ett styrtecken",
                  "Invalid \\escape": "en ogiltig escape-sekvens"}
MAX_JSON_BYTES = 50 * 1024 * 1024


# ----------------------------------------------------------------------------------------------
# A saved answer from Kolada's API (a .json file) as a table: the ``kolada`` import format


def _shape_error(file_name: str, where: str, what: str) -> FileReadError:
    return FileReadError(f"{file_name}: {where}: {what}; filen ska vara ett svar från Koladas API som det sparades "
                         '(ett objekt med listan "values")')


def read_kolada_json(content: bytes, file_name: str) -> RawTable:
    """A saved Kolada data answer as rows of the ``kolada`` import format, one row per KPI, area, year
    and gender (row N is the N:th value in the file, counting from 2 as a table's first data row)."""
    if len(content) > MAX_JSON_BYTES:
        raise FileReadError(f"{file_name}: filen är {len(content) // (1024 * 1024)} MB; ett svar från Kolada "
                            f"får vara högst {MAX_JSON_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileReadError(f"{file_name}: filen är inte UTF-8-kodad JSON; spara svaret från Kolada som det "
                            "kom") from None
    except RecursionError:
        raise FileReadError(f"{file_name}: filen är för djupt nästlad för att vara ett svar från Kolada") from None
    except json.JSONDecodeError as error:
        ends_early = error.pos >= len(error.doc.rstrip())
        why = "filen slutar mitt i svaret" if ends_early else next(
            (text for start, text in _JSON_MESSAGES.items() if error.msg.startswith(start)), "")
        raise FileReadError(f"{file_name}: rad {error.lineno}, tecken {error.colno}: filen är inte giltig JSON"
                            + (f" ({why})" if why else "")) from None
    if isinstance(document, list):
        document = {"values": document}
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise _shape_error(file_name, "översta nivån", 'listan "values" saknas')
    rows: list[tuple[int, list[object]]] = []
    number = 1
    for index, entry in enumerate(document["values"], start=1):
        if not isinstance(entry, dict):
            raise _shape_error(file_name, f"post {index} i values", "posten är inget objekt")
        gendered = entry.get("values")
        base = [entry.get("kpi", ""), entry.get("municipality", entry.get("municipality_id", "")),
                entry.get("municipality_title", "") or "", entry.get("period", entry.get("year", ""))]
        if not isinstance(gendered, list):
            if "value" in entry:  # a flat list: one value per entry
                gendered = [entry]
            else:
                raise _shape_error(file_name, f"post {index} i values", 'listan "values" med värdena saknas')
        for item in gendered:
            if not isinstance(item, dict):
                raise _shape_error(file_name, f"post {index} i values", "ett värde är inget objekt")
            if item.get("isdeleted") is True:
                continue
            gender = str(item.get("gender", "T") or "T")
            if gender.upper() not in ("T", "TOTALT"):
                continue  # the comparison is of totals; the split by gender is left out
            value = item.get("value")
            number += 1
            rows.append((number, [*_json_cells(base), "" if value is None else _json_cell(value), "T"]))
    return RawTable(file_name, list(KOLADA_HEADERS), rows)


def _json_cell(value: object) -> object:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    return printable(json.dumps(value, ensure_ascii=False), 200)


def _json_cells(values: list[object]) -> list[object]:
    return ["" if v is None else _json_cell(v) for v in values]


def _whole_table_source(table: RawTable, chunk_rows: int, *, headed: bool = True) -> TableSource:
    """A table read whole (an xlsx sheet, a saved answer from Kolada) handed out in chunks."""
    width = len(table.headers)

    def chunks() -> Iterator[Chunk]:
        for start in range(0, len(table.rows), chunk_rows):
            yield frame_of(table.rows[start:start + chunk_rows], width)

    return TableSource(table.file_name, table.headers, chunks(), len(table.rows), headed=headed)


def open_table(source: Source, file_name: str, sheet: str | None = None, *,
               chunk_rows: int = CHUNK_ROWS) -> TableSource:
    """A file's header and data rows in chunks: CSV streamed from disk or memory, xlsx row by row."""
    lower = file_name.lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if _head(source, 4) == b"PK\x03\x04":
            raise FileReadError(f"{file_name}: filen är en arbetsbok (xlsx) men heter .csv; byt filändelse "
                                "till .xlsx eller spara den som CSV")
        return _csv_source(source, file_name, chunk_rows)
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        content = source.read_bytes() if isinstance(source, Path) else source
        return _whole_table_source(read_xlsx(content, file_name, sheet), chunk_rows)
    if lower.endswith(".json"):
        content = source.read_bytes() if isinstance(source, Path) else source
        return _whole_table_source(read_kolada_json(content, file_name), chunk_rows, headed=False)
    if lower.endswith(".xls") or lower.endswith(".ods"):  # the commonest month-end mistake: an older export
        what = "en äldre Excel-fil (.xls)" if lower.endswith(".xls") else "en OpenDocument-fil (.ods)"
        raise FileReadError(f"{file_name}: {what} läses inte; spara om filen som Excel-arbetsbok (.xlsx) eller CSV "
                            "och ladda upp den igen")
    raise FileReadError(f"{file_name}: okänt filformat (använd .csv eller .xlsx, eller .json sparad från Kolada)")
