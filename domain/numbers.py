"""Parsing of numbers as Swedish municipal exports write them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = {"\u0020", "\u00a0", "\u202f", "\u2009", "\u2007", "'"}
_MINUSES = {"\u2212", "\u2013", "\u2010", "-"}
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")

# An empty cell or field, as every reader of numbers and months says it.
MISSING = "värde saknas"


class NumberFormatError(ValueError):
    """Raised when a text cannot be read as a number."""


def parse_number(value: object) -> Decimal:
    """Read a number written the Swedish way (or the plain way) as a Decimal.

    Accepts decimal comma or point, spaces, no-break spaces and apostrophes as
    thousands separators, the minus sign U+2212 (and a trailing minus or
    parentheses as some ledger systems print negatives), and a trailing ``kr``.
    A lone comma is always the decimal separator: ``1,234`` is 1.234, as in Swedish.
    """
    if isinstance(value, bool):
        raise NumberFormatError(f"{value!r} är inte ett tal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberFormatError(f"{value!r} är inte ett tal")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberFormatError(f"{value!r} är inte ett tal")
        return value
    text = "" if value is None else str(value)
    cleaned = "".join(ch for ch in text.strip() if ch not in _SPACES)
    if cleaned.lower().endswith("kr"):
        cleaned = cleaned[:-2]
    if cleaned == "":
        raise NumberFormatError(MISSING)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned and cleaned[0] in _MINUSES:
        negative, cleaned = not negative, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    elif cleaned and cleaned[-1] in _MINUSES:
        negative, cleaned = True, cleaned[:-1]
    cleaned = _normalise_separators(cleaned)
    refusal = f'"{text}" är inte ett tal (skriv bara siffror, t.ex. 12 500 eller −1 234,50)'
    if cleaned is None or not _NUMBER.match(cleaned):
        raise NumberFormatError(refusal)
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise NumberFormatError(refusal) from exc
    return -number if negative else number


def _normalise_separators(text: str) -> str | None:
    has_comma, has_point = "," in text, "." in text
    if has_comma and has_point:
        # The separator that comes last is the decimal one: 1.234,50 or 1,234.50.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        return text
    if has_comma:
        if text.count(",") > 1:
            return text.replace(",", "") if re.match(r"^\d{1,3}(,\d{3})+$", text) else None
        return text.replace(",", ".")
    if has_point and text.count(".") > 1:
        return text.replace(".", "") if _GROUPED.match(text) else None
    return text


def to_whole_kronor(value: Decimal) -> int:
    """Round an amount to whole kronor, halves away from zero as the ledger does."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
