"""Months and years as the municipal reports write them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from domain.numbers import MISSING

DELAR_1 = 4  # the cut-off month of delår 1
DELAR_2 = 8  # the cut-off month of delår 2, the forecast the nämnd's 5 % rule judges
# The cut-off months whose forecasts are judged against December (the track record), by their names on a page.
RECORD_CUTOFFS = {DELAR_1: "april (delår 1)", DELAR_2: "augusti (delår 2)", 10: "oktober"}
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_WORDS = re.compile(r"^([a-zåäö]+)\.?\s+(\d{4})$")
_WORDS_REVERSED = re.compile(r"^(\d{4})\s+([a-zåäö]+)\.?$")
# A month as Swedish Excel writes a date formatted "mmm-åå" when it saves a CSV: "sep-25" (2026-12-06 walk: a
# whole file refused, row by row); also "sep-2025".
_EXCEL = re.compile(r"^([a-zåäö]+)-(\d{2}|\d{4})$")


class PeriodFormatError(ValueError):
    """Raised when a text is not a month."""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; the unit of every monthly figure."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodFormatError(f"{self.month} är inte en månad (1–12)")

    @property
    def label(self) -> str:
        return f"{MONTH_ABBREVIATIONS[self.month - 1]} {self.year}"

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def _month_from_word(word: str) -> int | None:
    word = word.lower()
    for number, (abbreviation, name) in enumerate(zip(MONTH_ABBREVIATIONS, MONTH_NAMES), start=1):
        if word in (abbreviation, name) or (len(word) >= 3 and name.startswith(word)):
            return number
    return None


_TOTALS = {"summa", "totalt", "total", "sum", "s:a", "summa totalt"}


def parse_month(value: object) -> Month:
    """Read a month from ``2025-08``, ``2025-8``, ``202508``, a date, ``aug 2025`` or ``aug-25``."""
    if isinstance(value, (dt.date, dt.datetime)):
        return Month(value.year, value.month)
    text = "" if value is None else str(value).strip()
    if text == "":
        raise PeriodFormatError(MISSING)
    # What to write instead, and a total row named as one (a walk of the month-end found "Summa" at the foot
    # of an export refused with no word of what it was).
    hint = "är raden en summarad? Ta bort den ur filen" if text.casefold().rstrip(":") in _TOTALS else \
        "skriv år och månad, t.ex. 2025-09"
    error = PeriodFormatError(f'"{text}" är inte en giltig månad ({hint})')
    match = _ISO.match(text) or _COMPACT.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        day = match.group(3) if match.re is _ISO else None
        if day is not None:
            try:
                dt.date(year, month, int(day))
            except ValueError:
                raise error from None
    else:
        words = _WORDS.match(text.lower()) or _WORDS_REVERSED.match(text.lower()) or _EXCEL.match(text.lower())
        if not words:
            raise error
        word, year_text = (
            (words.group(2), words.group(1)) if words.re is _WORDS_REVERSED else (words.group(1), words.group(2))
        )
        found = _month_from_word(word)
        if found is None:
            raise error
        year, month = int(year_text) + (2000 if len(year_text) == 2 else 0), found
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise error
    return Month(year, month)


def address_period(value: object, latest: tuple[int, int] | None,
                   years: list[int] | tuple[int, ...] = ()) -> tuple[int, int] | None:
    """The booked month a page's address names (``?period=2025-08``, any form ``parse_month`` reads), so
    that a link in a kallelse keeps showing the month it was sent for after later months are imported.

    ``None`` when the address names no month, a month after ``latest`` (not yet booked) or a year outside
    ``years`` (when given); never an exception, whatever the address holds.
    """
    if value is None or latest is None:
        return None
    try:
        month = parse_month(value)
    except PeriodFormatError:
        return None
    chosen = (month.year, month.month)
    if chosen > tuple(latest) or (years and month.year not in years):
        return None
    return chosen


def parse_year(value: object) -> int:
    """Read a budget year (``2025``, ``2025.0`` from a spreadsheet)."""
    text = "" if value is None else str(value).strip()
    if text == "":
        raise PeriodFormatError(MISSING)
    if re.match(r"^\d{4}(\.0+)?$", text):
        year = int(float(text))
        if 1900 <= year <= 2200:
            return year
    raise PeriodFormatError(f'"{text}" är inte ett giltigt år')


def month_label(year: int, month: int) -> str:
    return Month(year, month).label


def long_month_label(year: int, month: int) -> str:
    """``augusti 2025``: a month written out, as in "data t.o.m. augusti 2025"."""
    return f"{MONTH_NAMES[Month(year, month).month - 1]} {year}"


def period_label(year: int, through_month: int) -> str:
    """``jan–aug 2025``: the year-to-date span the reports print as column heads."""
    if through_month == 1:
        return f"jan {year}"
    return f"jan–{MONTH_ABBREVIATIONS[through_month - 1]} {year}"


def booked_through(rows, month: int, default: int) -> int:
    """The last month that ``rows`` (one year's, columns month) hold, at most ``month``; ``default`` when they
    hold none. A source read to an earlier month than the ledger is shown for its own months."""
    return min(month, int(rows["month"].max())) if len(rows) else default


def behind_note(lead: str, covers: str, year: int, month: int, through: int, after: str = "") -> str:
    """Said when a source ends before the month chosen: "Volymerna är inlästa t.o.m. aug 2025: utfall och
    periodiserad budget gäller jan–aug 2025, inte september."; empty when it does not."""
    if through >= month:
        return ""
    return (f"{lead} t.o.m. {month_label(year, through)}: {covers} {period_label(year, through)}{after}, "
            f"inte {MONTH_NAMES[month - 1]}.")


def rows_through(frame, year: int, month: int):
    """The rows of ``frame`` (columns year and month) up to and including ``month`` of ``year``."""
    return frame[(frame["year"] < year) | ((frame["year"] == year) & (frame["month"] <= month))]
