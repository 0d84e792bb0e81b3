"""The one place where figures become Swedish text: tkr, mnkr, kr, percent, hours.

Babel's ``sv_SE`` locale gives the grouping (no-break space) and the decimal
comma; the minus sign is replaced by the real minus U+2212 as Swedish
typography requires. Every table cell of every session passes through here, so
figures of up to 15 digits are grouped by Python's own formatting, which gives Babel's
``sv_SE`` text at a tenth of the cost (a test holds the two equal).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

from babel.numbers import format_decimal

from domain.periods import long_month_label, month_label, period_label  # re-exported for the UI

MINUS = "\u2212"
NBSP = "\u00a0"
EMPTY = "–"

__all__ = [
    "EMPTY", "MINUS", "NBSP", "count_text", "listing", "format_number", "format_number_short", "format_tkr",
    "format_mnkr", "format_kr",
    "format_percent", "format_hours", "month_label", "long_month_label", "period_label",
    "tkr", "format_range_mnkr", "format_timestamp", "range_label", "is_missing", "is_formatted_number", "share_text",
    "calendar_day",
]

# A figure as the functions below write it: "5 022", "−1 234,5", "+12 %", "3 400 tkr", and "–" for none.
_FORMATTED = re.compile(rf"[+\-{MINUS}]?\d{{1,3}}(?:[ {NBSP}\u202f]\d{{3}})*(?:,\d+)?(?:[ {NBSP}]?(?:%|tkr|mnkr|kr))?"
                        rf"|{EMPTY}")


def is_formatted_number(text: str) -> bool:
    """Whether ``text`` is a figure written by this module (a cell to set to the right), "–" included."""
    return _FORMATTED.fullmatch(text) is not None


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA: a value that is not there."""
    return _is_missing(value)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, float) and math.isnan(value) or (
            hasattr(value, "__float__") and math.isnan(float(value))  # pandas NA, numpy nan
        )
    except (TypeError, ValueError):
        return True


def format_number(value: Real | Decimal | None, decimals: int = 0, *, plus: bool = False) -> str:
    """``-1234.5`` → ``−1 235`` (decimals=0) or ``−1 234,5`` (decimals=1)."""
    if _is_missing(value):
        return EMPTY
    number = round(float(value), decimals)
    if number == 0:
        number = 0.0  # no "−0"
    text = _swedish(number, decimals, trim=False)
    if plus and number > 0:
        text = "+" + text
    return text


def format_number_short(value: Real | Decimal | None, max_decimals: int = 2, *, plus: bool = False) -> str:
    """A number with only the decimals it has: ``1.5`` → ``1,5``, ``-3000.0`` → ``−3 000``."""
    if _is_missing(value):
        return EMPTY
    number = round(float(value), max_decimals)
    if number == 0:
        number = 0.0
    text = _swedish(number, max_decimals, trim=True)
    if plus and number > 0:
        text = "+" + text
    return text


# Up to 15 significant digits (every figure of a municipality) Python and Babel print a float's digits
# alike; beyond that Babel prints the shortest repr and Python the binary value's own digits.
_SIGNIFICANT = 15


def _swedish(number: float, decimals: int, *, trim: bool) -> str:
    """``number`` (already rounded to ``decimals``) with Swedish grouping, decimal comma and minus sign;
    ``trim`` drops trailing zero decimals (Babel's ``#,##0.##``) where otherwise they are kept (``#,##0.00``)."""
    if not abs(number) < 10.0 ** (_SIGNIFICANT - max(decimals, 0)):
        pattern = "#,##0" + ("." + ("#" if trim else "0") * decimals if decimals > 0 else "")
        return format_decimal(number, format=pattern, locale="sv_SE").replace("-", MINUS)
    text = f"{number:,.{max(decimals, 0)}f}"
    if trim and decimals > 0:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", NBSP).replace(".", ",").replace("-", MINUS)


def listing(items: Sequence[str], limit: int) -> str:
    """Items in a sentence, at most ``limit`` named: "a", "a och b", "a, b och c", "a, b och 3 till". One more
    than ``limit`` is named too: "och 1 till" took as much room as the name it hid (2026-12-05 walk)."""
    named = list(items if len(items) <= limit + 1 else items[:limit])
    if len(items) > len(named):
        return f"{', '.join(named)} och {len(items) - len(named)} till"
    return f"{', '.join(named[:-1])} och {named[-1]}" if len(named) > 1 else "".join(named)


def count_text(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: ``1 rad``, ``2 rader``, ``12 345 rader``."""
    return f"{format_number(count)} {singular if count == 1 else plural}"


def tkr(kronor: Real | Decimal | None) -> float | None:
    """Kronor to thousands of kronor as a number (for charts and exports)."""
    if _is_missing(kronor):
        return None
    return float(kronor) / 1000.0


def format_tkr(kronor: Real | Decimal | None, *, unit: bool = True, plus: bool = False) -> str:
    """Kronor shown in whole tkr: ``10 000 000`` → ``10 000 tkr``."""
    if _is_missing(kronor):
        return EMPTY
    text = format_number(float(kronor) / 1000.0, 0, plus=plus)
    return f"{text}{NBSP}tkr" if unit else text


def format_mnkr(kronor: Real | Decimal | None, decimals: int = 1, *, plus: bool = False) -> str:
    """Kronor in millions, as spoken at meetings: ``3 400 000`` → ``3,4 mnkr``.

    An amount that is not zero but would read as zero millions is written in tkr instead (``46 000`` →
    ``46 tkr``, not ``0,0 mnkr``), so a sentence never calls a change of some thousands nothing.

    The millions are those of the amount in whole tkr as ``format_tkr`` writes it, rounded half up: a sentence's
    "6,4 mnkr" beside a bar's "+6 450" (6 449 600 kr) read as a miscount (2026-12-06 walk).
    """
    if _is_missing(kronor):
        return EMPTY
    millions = _millions(kronor, decimals)
    if millions == 0 and float(kronor) != 0:
        return format_tkr(kronor, plus=plus)
    return f"{format_number(millions, decimals, plus=plus)}{NBSP}mnkr"


def _millions(kronor: Real | Decimal, decimals: int) -> float:
    """The amount in millions as the product writes it: the whole tkr ``format_tkr`` shows, rounded half up."""
    thousands = Decimal(round(float(kronor) / 1000.0))
    return float((thousands / 1000).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def as_written_mnkr(kronor: Real | Decimal, decimals: int = 1) -> float:
    """The kronor that ``format_mnkr`` writes: a difference of two written figures is the one a reader computes."""
    return _millions(kronor, decimals) * 1_000_000


def format_mnkr_number(kronor: Real | Decimal | None, decimals: int = 1, *, plus: bool = False) -> str:
    """``format_mnkr``'s figure without its unit, for a range or a clause that names the unit once."""
    if _is_missing(kronor):
        return EMPTY
    return format_number(_millions(kronor, decimals), decimals, plus=plus)


def share_text(ratio: float, *, plus: bool = False) -> str:
    """A share said in a sentence: ``format_percent``, or "under 0,1 %" where that would write "0,0 %" of a share
    that is not nil (a scenario's deficit of 0,2 mnkr was "0,0 % av budget", 2026-12-06 walk)."""
    if not _is_missing(ratio) and ratio and round(abs(float(ratio)) * 1000) == 0:
        return f"under 0,1{NBSP}%"
    return format_percent(ratio, plus=plus)


def level_in_mnkr(kronor: float) -> bool:
    """Whether an amount is said "i nivå med": under 0,05 mnkr either way, a figure that rounds to 0,0 mnkr."""
    return round(kronor / 1e5) == 0


def result_text(difference: float, budget: float | None) -> str:
    """A result against the budget as said at meetings: "ett överskott om 4,7 mnkr, 1,3 % av budget", "ett
    underskott om …", or "ett resultat i nivå med budget" (under 0,05 mnkr either way)."""
    if level_in_mnkr(difference):
        return "ett resultat i nivå med budget"
    word = "ett överskott" if difference > 0 else "ett underskott"
    share = f", {share_text(abs(difference) / abs(budget))} av budget" if budget else ""
    return f"{word} om {format_mnkr(abs(difference))}{share}"


def net_text(kronor: float) -> str:
    """A year's net result (report sign) in words, the cost as a cost: "en nettokostnad om 368,2 mnkr"."""
    if kronor <= 0:
        return f"en nettokostnad om {format_mnkr(-kronor)}"
    return f"ett nettoöverskott om {format_mnkr(kronor)}"


def format_kr(kronor: Real | Decimal | None, *, suffix: str = "kr") -> str:
    if _is_missing(kronor):
        return EMPTY
    return f"{format_number(kronor, 0)}{NBSP}{suffix}" if suffix else format_number(kronor, 0)


def format_percent(ratio: Real | Decimal | None, decimals: int = 1, *, plus: bool = False) -> str:
    """A ratio as percent: ``-0.041`` → ``−4,1 %``."""
    if _is_missing(ratio) or (isinstance(ratio, float) and math.isinf(ratio)):
        return EMPTY
    return f"{format_number(float(ratio) * 100.0, decimals, plus=plus)}{NBSP}%"


# The workbook's number format of the same rule (Excel's conditional sections).
PROBABILITY_FORMAT = '[>=0.995]"över 99 %";[<0.005]"under 1 %";0" "%'


def format_probability(ratio: Real | Decimal | None) -> str:
    """A model's stated probability in whole percent, never certainty: ``0.998`` → ``över 99 %``,
    ``0.003`` → ``under 1 %``, ``0.42`` → ``42 %``. A calibrated forecast cannot promise 0 or 100 %."""
    if _is_missing(ratio) or (isinstance(ratio, float) and math.isinf(ratio)):
        return EMPTY
    if float(ratio) >= 0.995:
        return f"över 99{NBSP}%"
    if round(float(ratio) * 100.0) < 1:  # 0.005 rounds to 0: never "0 %"
        return f"under 1{NBSP}%"
    return format_percent(ratio, 0)


def upper_first(text: str) -> str:
    """A phrase as the start of a sentence: "jan–aug 2025" → "Jan–aug 2025" (the rest as it is)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """A label inside a sentence: 'Låst version "Delår 2"' → 'låst version "Delår 2"' (the rest as it is)."""
    return text[:1].lower() + text[1:]


def format_hours(hours: Real | None) -> str:
    if _is_missing(hours):
        return EMPTY
    return f"{format_number(hours, 0)}{NBSP}timmar"




def local_time(value: object, zone: str = "Europe/Stockholm"):
    """A stored point in time in local time (a pandas Timestamp).

    Every time is stored in UTC; SQLite hands it back without its zone, so a naive time is UTC.
    """
    import pandas as pd

    when = pd.Timestamp(value)
    return (when.tz_localize("UTC") if when.tzinfo is None else when).tz_convert(zone)


def format_timestamp(value: object, zone: str = "Europe/Stockholm") -> str:
    """A point in time as Swedish text in local time: ``1 dec 2026 14:05``."""
    if _is_missing(value) or value == "":
        return EMPTY
    when = local_time(value, zone)
    return f"{_day_text(when.year, when.month, when.day)} {when:%H:%M}"


def calendar_day(value: object):
    """A calendar day (``datetime.date``) from a date, a time or its ISO text ("2025-08-31"); None for anything
    else."""
    import datetime as dt

    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def format_date(value: object) -> str:
    """A calendar day as Swedish text: ``2025-08-31`` → ``31 aug 2025`` (no-break spaces)."""
    if _is_missing(value) or value == "":
        return EMPTY
    day = calendar_day(value)
    if day is None:
        raise ValueError(f"inget datum: {value!r}")
    return _day_text(day.year, day.month, day.day)


def _day_text(year: int, month: int, day: int) -> str:
    """``31 aug 2025`` joined by no-break spaces: a date is never split over two lines of a table or a PDF."""
    return f"{day} {month_label(year, month)}".replace(" ", NBSP)


def format_range_mnkr(low: float, high: float, decimals: int = 1) -> str:
    """Two amounts as one range: ``360 600 000, 372 200 000`` → ``360,6–372,2 mnkr``."""
    first, second = sorted((low, high))
    return f"{format_mnkr_number(first, decimals)}–{format_mnkr_number(second, decimals)}{NBSP}mnkr"


_RANGE_HYPHEN = re.compile(r"(?<=\d)-|(?<![\w-])-(?=\d)")


def range_label(text: object) -> str:
    """A span of numbers in a label with the en dash Swedish print uses: ``30-49 år`` → ``30–49 år``,
    ``-29 år`` → ``–29 år``, ``50- år`` → ``50– år``. Files may write either; only the display changes."""
    return _RANGE_HYPHEN.sub("–", "" if text is None else str(text))


# Said wherever amounts rounded to tkr stand above a sum: the sum is of the kronor, not of the rounded rows.
ROUNDING_NOTE = ("Belopp i tkr avrundas var för sig; summor räknas i kronor och kan skilja någon tkr från summan av "
                 "de avrundade raderna.")
