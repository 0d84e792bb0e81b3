import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from domain.formatting import (
    MINUS, format_kr, format_mnkr, format_number, format_number_short, format_percent, format_tkr, is_formatted_number,
    lower_first, month_label, period_label, upper_first,
)
from domain.periods import Month, PeriodFormatError, address_period, parse_month, parse_year


@pytest.mark.parametrize("text, expected", [
    ("2025-08", Month(2025, 8)), ("2025-8", Month(2025, 8)), ("202508", Month(2025, 8)),
    ("2025-08-31", Month(2025, 8)), ("aug 2025", Month(2025, 8)), ("Augusti 2025", Month(2025, 8)),
    ("maj 2024", Month(2024, 5)), (dt.date(2025, 1, 15), Month(2025, 1)), ("2025/12", Month(2025, 12)),
])
def test_months(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "13-2025", "augustus 2025", "", "2025"])
def test_bad_months_name_the_value(text):
    with pytest.raises(PeriodFormatError) as error:
        parse_month(text)
    if text:
        assert f'"{text}" är inte en giltig månad (skriv år och månad, t.ex. 2025-09)' == str(error.value)


def test_a_total_row_is_named_as_one():
    """2026-12-05 walk of the month-end: "Summa" at the foot of an export was refused with no word of what it was."""
    with pytest.raises(PeriodFormatError, match=r'^"Summa" är inte en giltig månad \(är raden en summarad\? Ta bort '
                                                 r"den ur filen\)$"):
        parse_month("Summa")


def test_years():
    assert parse_year("2025") == 2025
    assert parse_year(2025.0) == 2025
    with pytest.raises(PeriodFormatError):
        parse_year("25")


def test_swedish_display():
    assert format_tkr(10_000_000) == "10\u00a0000\u00a0tkr"
    assert format_tkr(-9_562_000) == "\u22129\u00a0562\u00a0tkr"
    assert format_tkr(9_964_000, plus=True) == "+9\u00a0964\u00a0tkr"
    assert format_percent(-0.041) == "\u22124,1\u00a0%"
    assert format_percent(0.0) == "0,0\u00a0%"
    assert format_mnkr(3_400_000) == "3,4\u00a0mnkr"
    assert format_kr(6562) == "6\u00a0562\u00a0kr"
    assert format_number(-0.04, 1) == "0,0"  # never "−0,0"
    assert format_tkr(None) == "–" and format_percent(float("nan")) == "–"
    assert month_label(2025, 8) == "aug 2025"
    assert period_label(2025, 8) == "jan–aug 2025"
    assert Month(2025, 11).shift(3) == Month(2026, 2)


def test_issue_18_numbers_keep_only_their_decimals():
    from domain.formatting import format_number_short

    assert format_number_short(1.5) == "1,5"
    assert format_number_short(0.5) == "0,5"
    assert format_number_short(-2.0) == "\u22122"
    assert format_number_short(-3000) == "\u22123\u00a0000"
    assert format_number_short(-0.0) == "0"
    assert format_number_short(2.5, plus=True) == "+2,5"


def test_issue_18_stored_times_are_utc_and_shown_in_swedish_time():
    from domain.formatting import format_timestamp

    # SQLite gives the stored UTC time back without its zone.
    assert format_timestamp(dt.datetime(2026, 12, 1, 13, 44, 14)) == "1\u00a0dec\u00a02026 14:44"
    assert format_timestamp("2026-12-01 14:13:06.857317") == "1\u00a0dec\u00a02026 15:13"
    assert format_timestamp(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.timezone.utc)) == "1\u00a0jul\u00a02026 14:00"
    assert format_timestamp(None) == "–"


def test_issue_18_number_ranges_in_labels_take_a_dash():
    from domain.formatting import range_label

    assert [range_label(t) for t in ("-29 år", "30-49 år", "50- år")] == ["–29 år", "30–49 år", "50– år"]
    assert range_label("–29 år") == "–29 år"
    assert range_label("Nämnd- och styrelseverksamhet") == "Nämnd- och styrelseverksamhet"


def test_issue_18_data_through_names_the_last_month():
    from domain.periods import long_month_label

    assert long_month_label(2025, 8) == "augusti 2025"


@settings(max_examples=2000, deadline=None)
@given(value=st.one_of(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
                       st.integers(min_value=-10**15, max_value=10**15),
                       st.decimals(min_value=-10**12, max_value=10**12, places=3, allow_nan=False)),
       decimals=st.integers(min_value=0, max_value=3))
def test_the_fast_grouping_gives_babels_swedish_text_for_every_figure(value, decimals):
    """Figures are grouped by Python's own formatting; Babel's sv_SE is the reference it must equal."""
    from babel.numbers import format_decimal

    def babel(number, pattern):
        number = round(float(number), decimals)
        text = format_decimal(0.0 if number == 0 else number, format=pattern, locale="sv_SE").replace("-", MINUS)
        return text

    fixed = "#,##0" + ("." + "0" * decimals if decimals else "")
    trimmed = "#,##0" + ("." + "#" * decimals if decimals else "")
    assert format_number(value, decimals) == babel(value, fixed)
    assert format_number_short(value, decimals) == babel(value, trimmed)


@given(value=st.one_of(st.none(), st.floats(min_value=-1e14, max_value=1e14, allow_nan=False),
                       st.integers(min_value=-10**14, max_value=10**14)),
       decimals=st.integers(min_value=0, max_value=3), plus=st.booleans())
def test_every_figure_the_formatting_writes_is_known_as_a_figure(value, decimals, plus):
    """A table's columns of figures are set to the right by ``is_formatted_number``, which must know every
    text the formatting functions write (one knowledge of the formats, in ``domain.formatting``)."""
    texts = [format_number(value, decimals, plus=plus), format_number_short(value, decimals, plus=plus),
             format_tkr(value, plus=plus), format_tkr(value, unit=False, plus=plus), format_kr(value),
             format_mnkr(value, plus=plus), format_percent(None if value is None else value / 1e12, plus=plus)]
    assert all(map(is_formatted_number, texts)), texts


@pytest.mark.parametrize("text", ["1.5 %", "12a", "abc", "", "1,5,5", "Exempelkommun", "2025-08", "aug 2025"])
def test_a_text_that_is_not_a_figure_is_not_taken_for_one(text):
    assert not is_formatted_number(text)


def test_figures_beyond_the_fast_range_are_still_grouped_in_swedish():
    assert format_number(-1.5e18) == "\u22121\xa0500\xa0000\xa0000\xa0000\xa0000\xa0000"
    assert format_number(12345678.25, 1) == "12\xa0345\xa0678,2"
    assert format_number_short(3000.0) == "3\xa0000" and format_number_short(-1.5) == "\u22121,5"


def test_a_result_and_a_net_cost_are_said_the_same_way_on_every_page():
    """Walkthrough: a slide said "Helårsprognosen … är −368,2 mnkr", which reads as a loss to a politician,
    while another said "en nettokostnad om 355,9 mnkr". One phrase for each, a cost said as a cost."""
    from domain.formatting import net_text, result_text

    nbsp = "\u00a0"
    assert net_text(-368_226_000) == f"en nettokostnad om 368,2{nbsp}mnkr"
    assert net_text(1_200_000) == f"ett nettoöverskott om 1,2{nbsp}mnkr"
    assert result_text(4_744_000, -372_970_000) == f"ett överskott om 4,7{nbsp}mnkr, 1,3{nbsp}% av budget"
    assert result_text(-2_000_000, -100_000_000) == f"ett underskott om 2,0{nbsp}mnkr, 2,0{nbsp}% av budget"
    assert result_text(40_000, -100_000_000) == "ett resultat i nivå med budget"


def test_a_phrase_starts_or_continues_a_sentence_in_one_place():
    assert upper_first("jan–aug 2025") == "Jan–aug 2025"
    assert lower_first('Låst version "Delår 2"') == 'låst version "Delår 2"'
    assert upper_first("") == "" and lower_first("") == ""


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-06", (2025, 6)), ("2025-6", (2025, 6)), ("202506", (2025, 6)), ("jun 2025", (2025, 6)),
    (" 2025-08 ", (2025, 8)), ("2024-12", (2024, 12)),
    ("2025-09", None), ("2031-01", None), ("2019-05", None), ("2025-13", None), ("", None), (None, None),
    ("aug 2025'; DROP TABLE actuals;--", None), ("<script>", None),
])
def test_a_period_in_a_link_is_a_booked_month_or_nothing(value, expected):
    assert address_period(value, (2025, 8), [2022, 2023, 2024, 2025]) == expected


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.text(), st.integers(), st.floats()))
def test_a_link_cannot_break_the_period_it_asks_for(value):
    """Whatever the address holds: a booked month of a known year, or nothing, never an exception."""
    found = address_period(value, (2025, 8), [2024, 2025])
    assert found is None or (found <= (2025, 8) and found[0] in (2024, 2025) and 1 <= found[1] <= 12)


def test_a_listing_never_hides_one_name_behind_och_1_till():
    """2026-12-05 walk: a half-loaded month's warning named five verksamheter "och 1 till"."""
    from domain.formatting import listing

    assert listing(["a", "b", "c"], 2) == "a, b och c"
    assert listing(["a", "b", "c", "d"], 2) == "a, b och 2 till"
    assert listing(["a"], 2) == "a" and listing([], 2) == ""


def test_walkthrough_2026_12_06_a_share_that_is_not_nil_is_not_said_to_be_nil():
    """A scenario's deficit of 0,2 mnkr was said to be "0,0 % av budget"."""
    from domain.formatting import result_text, share_text

    assert share_text(-0.0004, plus=True) == "under 0,1\u00a0%" and share_text(0.0) == "0,0\u00a0%"
    assert share_text(-0.013, plus=True) == "\u22121,3\u00a0%" and share_text(None) == "–"
    assert result_text(160_000.0, 373_000_000.0) == "ett överskott om 0,2\u00a0mnkr, under 0,1\u00a0% av budget"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10_000_000_000, max_value=10_000_000_000))
def test_walkthrough_2026_12_06_mnkr_is_the_tkr_shown_rounded_half_up(kronor):
    """A scenario's sentence said "6,4 mnkr" beside its bar's "+6 450" (6 449 600 kr): the millions a sentence
    writes are those of the whole tkr every table writes, rounded half up, so that the reader's own rounding of the
    table's figure gives the sentence's."""
    from decimal import ROUND_HALF_UP, Decimal

    from domain.formatting import format_range_mnkr

    tkr = int(format_tkr(kronor, unit=False).replace(MINUS, "-").replace("\u00a0", ""))
    written = format_mnkr(kronor)
    if written.endswith("tkr"):
        assert abs(tkr) < 50 and kronor != 0
        return
    expected = (Decimal(tkr) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert float(written.removesuffix("\u00a0mnkr").replace(MINUS, "-").replace("\u00a0", "").replace(",", ".")) \
        == float(expected)
    assert format_range_mnkr(kronor, kronor).startswith(written.removesuffix("\u00a0mnkr") + "–")


def test_walkthrough_2026_12_06_a_figure_on_the_line_of_rounding_reads_alike_in_tkr_and_mnkr():
    assert (format_tkr(6_449_600), format_mnkr(6_449_600)) == ("6\u00a0450\u00a0tkr", "6,5\u00a0mnkr")
    assert (format_tkr(-6_449_600), format_mnkr(-6_449_600, plus=True)) == ("\u22126\u00a0450\u00a0tkr",
                                                                           "\u22126,5\u00a0mnkr")


def test_walk_2026_12_06_a_month_as_swedish_excel_saves_it_is_read():
    """A ledger saved from Excel with the month formatted "mmm-åå" wrote "sep-25" on every row, and the whole file
    was refused row by row."""
    from domain.periods import Month, PeriodFormatError, parse_month

    assert parse_month("sep-25") == parse_month("Sep-2025") == Month(2025, 9)
    assert parse_month("maj-24") == Month(2024, 5)
    for text in ("sep-5", "abc-25", "25-sep", "sep 25"):
        with pytest.raises(PeriodFormatError):
            parse_month(text)
