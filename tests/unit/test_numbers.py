from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.numbers import NumberFormatError, parse_number, to_whole_kronor


@pytest.mark.parametrize("text, expected", [
    ("1234", "1234"),
    ("1 234", "1234"),
    ("1\u00a0234\u00a0567", "1234567"),
    ("1\u202f234,50", "1234.50"),
    ("−9\u00a0562", "-9562"),
    ("\u22129562", "-9562"),
    ("-4,1", "-4.1"),
    ("12,5", "12.5"),
    ("3.5", "3.5"),
    ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1.234.567", "1234567"),
    ("(1 000)", "-1000"),
    ("1000-", "-1000"),
    ("+17 428", "17428"),
    ("250 kr", "250"),
    (" 0 ", "0"),
])
def test_swedish_number_variants(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12a", "--5", "1.2.3", "2025-13"])
def test_rejects_non_numbers(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_spreadsheet_values_pass_through():
    assert parse_number(1234) == 1234
    assert parse_number(12.5) == Decimal("12.5")
    with pytest.raises(NumberFormatError):
        parse_number(float("nan"))


def test_rounding_to_kronor_is_half_away_from_zero():
    assert to_whole_kronor(Decimal("2.5")) == 3
    assert to_whole_kronor(Decimal("-2.5")) == -3
    assert to_whole_kronor(Decimal("2.49")) == 2


def swedish(value: Decimal, thousands: str, minus: str) -> str:
    sign = minus if value < 0 else ""
    integer, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return sign + thousands.join(groups) + ("," + fraction if fraction else "")


@given(
    value=st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    thousands=st.sampled_from(["", " ", "\u00a0", "\u202f"]),
    minus=st.sampled_from(["-", "\u2212"]),
)
def test_any_swedish_rendering_parses_back(value, thousands, minus):
    assert parse_number(swedish(value, thousands, minus)) == value


@given(value=st.integers(min_value=-10**15, max_value=10**15))
def test_integers_round_trip_through_text(value):
    assert parse_number(str(value)) == value
    assert parse_number(swedish(Decimal(value), "\u00a0", "\u2212")) == value


@given(text=st.text(max_size=20))
def test_never_crashes_with_anything_but_a_number_error(text):
    try:
        result = parse_number(text)
    except NumberFormatError:
        return
    assert isinstance(result, Decimal) and result.is_finite()
