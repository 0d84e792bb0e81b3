"""The period selector shared by every page (year and senast bokförda månad)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from domain.periods import MONTH_NAMES
from ui import state

YEAR_KEY, MONTH_KEY = "period_year", "period_month"
_STORE = {YEAR_KEY: "_period_year_store", MONTH_KEY: "_period_month_store"}


@dataclass(frozen=True)
class PeriodChoice:
    year: int
    month: int
    latest: tuple[int, int]


def _remember(widget_key: str) -> None:
    st.session_state[_STORE[widget_key]] = st.session_state[widget_key]


def period_selector(key: tuple[str, int]) -> PeriodChoice | None:
    """Render the selector in the sidebar; the choice survives a change of page."""
    latest = state.latest_month(key)
    if latest is None:
        return None
    years = [y for y in state.years(key) if y <= latest[0]]
    for widget_key, default in ((YEAR_KEY, latest[0]),):
        stored = st.session_state.get(_STORE[widget_key], default)
        st.session_state[widget_key] = stored if stored in years else default
    with st.sidebar:
        st.markdown("**Period**")
        year = st.selectbox("År", years, key=YEAR_KEY, on_change=_remember, args=(YEAR_KEY,))
        last = state.last_month_of_year(key, year) or 12
        months = list(range(1, last + 1))
        stored = st.session_state.get(_STORE[MONTH_KEY], last)
        st.session_state[MONTH_KEY] = stored if stored in months else last
        month = st.selectbox("Senast bokförda månad", months, key=MONTH_KEY,
                             format_func=lambda m: MONTH_NAMES[m - 1], on_change=_remember, args=(MONTH_KEY,))
    return PeriodChoice(int(year), int(month), latest)
