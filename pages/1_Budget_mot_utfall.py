"""Var står vi mot budget, månad för månad och per verksamhet, och vart är vi på väg?"""

import streamlit as st

from domain import budget as b
from domain.formatting import count_text, format_percent, format_tkr
from domain.markup import escape
from domain.periods import period_label
from ui import charts, layout, state, tables

layout.setup("Budget mot utfall")

with layout.guard():
    key, period = layout.start("Budget mot utfall")
    year, month = period.year, period.month
    layout.await_year_end(key, year, month)
    overview, forecast_cutoff = state.budget_overview(key, year, month)
    span = period_label(year, month)

    official = state.official_forecast(key, year, month, wait=False)
    end = b.year_end(overview, official)
    layout.headline(b.headline(overview, official))
    st.markdown(f"**Hittills, {span}**")
    first = layout.figure_row("budget_ytd")
    first.metric("Periodiserad budget", format_tkr(overview.budget_ytd))
    first.metric("Utfall", format_tkr(overview.actual_ytd))
    first.metric("Avvikelse hittills", format_tkr(overview.variance_ytd, plus=True))
    first.metric("Budgetföljsamhet utfall", format_percent(overview.adherence_ytd, plus=True))
    st.markdown(f"**Helår {year}**")
    second = layout.figure_row("budget_year")
    second.metric("Budget helår", format_tkr(overview.budget_year))
    second.metric(end.title, format_tkr(end.forecast), help=escape(end.help))
    second.metric("Avvikelse mot budget", format_tkr(end.variance, plus=True))
    second.metric(end.adherence_title, format_percent(end.adherence, plus=True))
    st.caption(b.year_end_caption(overview, official))
    if periodisation := b.periodisation_caption(state.budget_profiles(key, year), state.report_order(key)):
        st.caption(periodisation)
    if overview.missing_forecast and forecast_cutoff is not None:
        st.caption("Prognos saknas för " + ", ".join(escape(name) for name in overview.missing_forecast)
                   + "; där räknas budget som prognos.")

    tab_table, tab_month, tab_variance, tab_drill = layout.tabs(
        ["Driftredovisning", "Månad för månad", "Avvikelse per verksamhet", "Fördjupning"], key="budget_tab",
        keep=("budget_month_view", "budget_drill_activity", "budget_drill_group", "budget_drill_month"))
    with tab_table:
        if tab_table.open:
            statement = b.statement_table(overview, b.statement_note(overview, official))
            st.subheader(statement.title)
            tables.show(statement, key="budget_statement")
            if overview.statement.loc[overview.statement["level"] == "kontogrupp", "forecast"].isna().any():
                st.caption("Prognosen är lämnad netto per verksamhet och kan inte delas upp på intäkter och kostnader.")
    with tab_month:
        if tab_month.open:
            view = st.radio("Visa", ["Per månad", "Ackumulerat"], horizontal=True, key="budget_month_view")
            charts.show(state.budget_figure(key, year, month, "cumulative" if view == "Ackumulerat" else "monthly"),
                            key="budget_month_chart")
            st.caption(b.month_chart_caption(overview.monthly))
    with tab_variance:
        if tab_variance.open:
            charts.show(state.budget_figure(key, year, month, "variance"), key="budget_variance_chart")
            st.caption("Grönt är gynnsamt (lägre nettokostnad än budget), rött ogynnsamt.")
    with tab_drill:
        if tab_drill.open:
            ledger = state.ledger(key, (year - 1, year))
            names = list(state.activities(key)["activity"])
            chosen = st.selectbox("Verksamhet", ["Hela nämnden", *names], key="budget_drill_activity",
                                  placeholder="Välj")
            activity = None if chosen == "Hela nämnden" else chosen
            group = None
            if activity is not None:
                groups = sorted(ledger[(ledger["activity"] == activity) & (ledger["year"] == year)]["account_group"].unique())
                picked = st.selectbox("Kontogrupp", ["Alla kontogrupper", *groups], key="budget_drill_group",
                                      placeholder="Välj")
                group = None if picked == "Alla kontogrupper" else picked
            shown_month = None
            if group is not None:  # the last step before the booked rows: one month, or all of them
                shown_month = st.selectbox("Månad", [None, *range(1, month + 1)], key="budget_drill_month",
                                           format_func=lambda m: b.drill_month_label(year, m))
            level = "Verksamhet" if activity is None else ("Kontogrupp" if group is None else "Månad")
            detail = b.drilldown(ledger, year, month, activity, group)
            tables.show(b.drilldown_table(detail, level), key="budget_drill_table")
            with st.expander(b.booked_rows_title(year, shown_month)):
                rows = state.actual_rows(key, year, month, activity, group, shown_month)
                st.caption(f"{count_text(len(rows), 'rad', 'rader')}, belopp i kronor med bokföringens tecken "
                           "(kostnad positiv).")
                tables.show(b.booked_rows_table(rows), key="budget_drill_rows")
    layout.footer(key, f"visar {span} · {end.label}", period=period)
