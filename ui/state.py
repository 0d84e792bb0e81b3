"""The engine, the data version and the cached loaders every page uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from data_access import queries
from data_access.sample import ensure_ready
from settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@st.cache_resource(show_spinner="Förbereder databasen …")
def _engine(url: str, load_sample: bool) -> Engine:
    from data_access.engine import make_engine

    engine = make_engine(url)
    ensure_ready(engine, load_sample_on_empty=load_sample)
    return engine


def engine() -> Engine:
    settings = get_settings()
    return _engine(settings.database_url, settings.load_sample_on_empty)


def db_key() -> tuple[str, int]:
    """(database URL, data version): changes after every import, so every cache refreshes."""
    settings = get_settings()
    return settings.database_url, queries.data_version(engine())


@st.cache_data(show_spinner=False)
def dataset_info(key: tuple[str, int]) -> dict[str, str]:
    return queries.dataset_info(engine())


@st.cache_data(show_spinner=False)
def latest_month(key: tuple[str, int]) -> tuple[int, int] | None:
    return queries.latest_actual_month(engine())


@st.cache_data(show_spinner=False)
def years(key: tuple[str, int]) -> list[int]:
    return queries.available_years(engine())


@st.cache_data(show_spinner=False)
def last_month_of_year(key: tuple[str, int], year: int) -> int | None:
    return queries.last_month_of_year(engine(), year)


@st.cache_data(show_spinner=False)
def ledger(key: tuple[str, int], years: tuple[int, ...]) -> pd.DataFrame:
    return queries.monthly_ledger(engine(), list(years))


@st.cache_data(show_spinner=False)
def activities(key: tuple[str, int]) -> pd.DataFrame:
    return queries.activities(engine())


@st.cache_data(show_spinner=False)
def manual_forecasts(key: tuple[str, int], year: int | None = None) -> pd.DataFrame:
    return queries.manual_forecasts(engine(), year)


@st.cache_data(show_spinner=False)
def summary(key: tuple[str, int]) -> dict:
    return queries.summary(engine())


@st.cache_data(show_spinner=False)
def coverage(key: tuple[str, int], year: int) -> pd.DataFrame:
    return queries.coverage(engine(), year)


@st.cache_data(show_spinner=False)
def actual_rows(key: tuple[str, int], year: int, through_month: int, activity: str | None,
                account_group: str | None) -> pd.DataFrame:
    return queries.actual_rows(engine(), year, through_month, activity, account_group)


@st.cache_data(show_spinner=False)
def import_log(key: tuple[str, int]) -> pd.DataFrame:
    return queries.import_log(engine())


@st.cache_data(show_spinner=False)
def budget_overview(key: tuple[str, int], year: int, month: int):
    """The Budget mot utfall figures for one period, computed once per data version."""
    from domain import budget

    frame = ledger(key, (year - 1, year))
    acts = activities(key)
    choice = budget.choose_manual_forecast(manual_forecasts(key, year), year, month, list(acts["activity"]))
    return budget.build_overview(frame, acts, choice, year, month), choice.cutoff_month
