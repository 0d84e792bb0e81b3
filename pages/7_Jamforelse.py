"""Är socialtjänsten dyr mot liknande kommuner och riket (Kolada), och var placerar årets prognos oss?"""

import streamlit as st

from domain import comparison
from domain.markup import escape
from ui import auth, charts, comparison_panel, layout, state, tables

layout.setup("Jämförelse")

with layout.guard():
    key, period = layout.start("Jämförelse med liknande kommuner")
    layout.await_year_end(key, period.year, period.month)
    settings = state.comparison_settings()
    own_name = state.dataset_info(key).get("municipality", "")
    view = state.comparison_page(key, settings, period.year, period.month)
    found = view.found
    layout.headline(view.headline)
    for change in comparison.title_changes(state.kolada_described(key)):
        st.warning(escape(change))
    if found:
        tab_group, tab_years, tab_settings = layout.tabs(
            ["Jämförelsegruppen", "Fem år", "Inställningar och hämtning"], key="comparison_tab",
            keep=("comparison_kpi",))
        with tab_group:
            if tab_group.open:
                st.caption(escape(view.caption))
                st.subheader("Kostnad per invånare mot jämförelsegruppen")
                charts.show(state.comparison_figure(key, settings, period.year), toolbar=False, key="comparison_chart")
                for number, table in enumerate(view.tables):
                    st.markdown(f"**{escape(table.title)}**")
                    tables.show(table, key=f"comparison_table_{number}")
                st.subheader(f"{period.year}, innan Kolada har siffran")
                layout.headline(view.estimate_sentence)
                st.caption(escape(view.estimate_caption))
        with tab_years:
            if tab_years.open:
                labels = {c.kpi.id: c.kpi.label for c in found}
                chosen = st.selectbox("Nyckeltal", list(labels), format_func=labels.get, key="comparison_kpi",
                                      placeholder="Välj")
                trend_sentence, figure, trend_table = state.comparison_trend(key, settings, period.year, chosen,
                                                                                 own_name)
                layout.headline(trend_sentence)
                charts.show(figure, toolbar=False, key="comparison_trend")
                tables.show(trend_table, key="comparison_trend_table")
        with tab_settings:
            if tab_settings.open:
                comparison_panel.settings_section(auth.actor(), settings, list(state.activities(key)["activity"]),
                                                  period.year - 1)
        st.caption(escape(state.comparison_source(key, settings, period.year)))
    else:
        comparison_panel.settings_section(auth.actor(), settings, list(state.activities(key)["activity"]),
                                          period.year - 1)
    layout.footer(key, period=period, amounts=False)  # kronor per inhabitant and per cent, no tkr
