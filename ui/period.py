"""The period selector shared by every page (year and senast bokförda månad), and the period in the address."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from domain.formatting import upper_first
from domain.markup import escape
from domain.periods import MONTH_NAMES, Month, address_period, long_month_label
from ui import state
from ui.layout import PERIOD_SLOT

YEAR_KEY, MONTH_KEY = "period_year", "period_month"
_STORE = {YEAR_KEY: "_period_year_store", MONTH_KEY: "_period_month_store"}
PARAMETER = "period"  # ?period=2025-08: a link that shows that month, also after later months are imported


@dataclass(frozen=True)
class PeriodChoice:
    year: int
    month: int
    latest: tuple[int, int]


def _remember(widget_key: str) -> None:
    """A period chosen in the sidebar replaces the one in the address; the page writes the new one there."""
    st.session_state[_STORE[widget_key]] = st.session_state[widget_key]
    st.query_params.pop(PARAMETER, None)


def _from_address(key: tuple[str, int]) -> tuple[int, int] | None:
    """The address's period when it names a booked month; it becomes the session's choice."""
    text = st.query_params.get(PARAMETER)
    found = address_period(text, state.latest_month(key), state.years(key)) if text is not None else None
    if found is not None:
        st.session_state[_STORE[YEAR_KEY]], st.session_state[_STORE[MONTH_KEY]] = found
    return found


def _asked(key: tuple[str, int], latest: tuple[int, int]) -> tuple[int, int]:
    """The period asked for: the address's, else the session's choice, else the latest booked month."""
    found = _from_address(key) or (st.session_state.get(_STORE[YEAR_KEY], latest[0]),
                                   st.session_state.get(_STORE[MONTH_KEY], latest[1]))
    return int(found[0]), int(found[1])


def chosen(key: tuple[str, int]) -> tuple[int, int] | None:
    """The period for what is drawn before or without the selector (the meeting deck, the papers): the
    address's, else the session's choice, else the latest booked month; a booked December, which has no
    forecast to present, gives the latest month."""
    latest = state.latest_month(key)
    if latest is None:
        return None
    return _shown(_asked(key, latest), latest)


def _shown(asked: tuple[int, int], latest: tuple[int, int]) -> tuple[int, int]:
    """The month drawn for the one asked for: the latest booked instead of a month not booked or a December."""
    found = tuple(latest) if asked > tuple(latest) or asked[1] == 12 else asked
    return int(found[0]), int(found[1])


def earlier_than_latest(key: tuple[str, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The period the session has chosen and the latest booked month, when the choice is an earlier month: after
    an import of a new month the pages go on showing the choice (2026-12-07 controller walk: "Alla sidor visar nu
    de nya siffrorna" over a July that stayed July)."""
    latest = state.latest_month(key)
    if latest is None:
        return None
    shown = chosen(key)
    return (shown, tuple(latest)) if shown is not None and shown < tuple(latest) else None


def show_latest() -> None:
    """Every page shows the latest booked month again: the session's choice and the address's period go."""
    for stored in _STORE.values():
        st.session_state.pop(stored, None)
    st.query_params.pop(PARAMETER, None)


def closed_year_notice(key: tuple[str, int], shows: str, short: bool = False) -> str | None:
    """Why the deck or the papers show another month than the booked December asked for (``shows``:
    "Bilderna visar", "Mötespapperen gäller"); None when they show the month asked for. ``short``: one line
    above a slide, which must keep to 1280×720 (2026-12-06 walk: the box of two lines pushed the footer and
    the buttons off every slide)."""
    latest = state.latest_month(key)
    if latest is None:
        return None
    asked = _asked(key, latest)
    shown = _shown(asked, latest)
    if asked == shown or asked > tuple(latest):
        return None
    if short:
        return (f"{upper_first(long_month_label(*asked))} är ett bokfört helår: {shows.lower()} "
                f"{long_month_label(*shown)}, den senast bokförda månaden.")
    return (f"{upper_first(long_month_label(*asked))} är ett bokfört helår, utan prognos att visa för nämnden. "
            f"{shows} {long_month_label(*shown)}, den senast bokförda månaden; helåret {asked[0]} finns på "
            "sidan Budget mot utfall.")


def refuse_unbooked(key: tuple[str, int], shows: str) -> None:
    """A period in the address that is not a booked month (or not a period at all) is said in Swedish and
    taken out of the address; what is drawn is the latest booked month (``shows``: "Sidan visar", "Bilderna
    visar")."""
    asked = st.query_params.get(PARAMETER)
    latest = state.latest_month(key)
    if asked is None or latest is None or _from_address(key) is not None:
        return
    st.query_params.pop(PARAMETER, None)
    st.warning(f"Adressen ber om perioden {escape(asked)}, som inte finns bland de bokförda månaderna. "
               f"{shows} {long_month_label(*latest)}, den senast bokförda månaden.")


def period_selector(key: tuple[str, int]) -> PeriodChoice | None:
    """Render the selector in the sidebar; the choice survives a change of page, and a period other than
    the latest month is written in the address, so that the address shows the same figures to whoever
    opens it."""
    latest = state.latest_month(key)
    if latest is None:
        return None
    years = [y for y in state.years(key) if y <= latest[0]]
    refuse_unbooked(key, "Sidan visar")
    for widget_key, default in ((YEAR_KEY, latest[0]),):
        stored = st.session_state.get(_STORE[widget_key], default)
        st.session_state[widget_key] = stored if stored in years else default
    with st.session_state.get(PERIOD_SLOT) or st.sidebar:
        st.markdown("**Period**")
        year = st.selectbox("År", years, key=YEAR_KEY, on_change=_remember, args=(YEAR_KEY,), placeholder="Välj")
        last = state.last_month_of_year(key, year) or 12
        months = list(range(1, last + 1))
        stored = st.session_state.get(_STORE[MONTH_KEY], last)
        st.session_state[MONTH_KEY] = stored if stored in months else last
        month = st.selectbox("Data till och med", months, key=MONTH_KEY,
                             format_func=lambda m: MONTH_NAMES[m - 1], on_change=_remember, args=(MONTH_KEY,),
                             placeholder="Välj")
    shown = Month(int(year), int(month)).iso
    if (int(year), int(month)) != tuple(latest) and st.query_params.get(PARAMETER) != shown:
        st.query_params[PARAMETER] = shown
    return PeriodChoice(int(year), int(month), latest)
