"""Är socialtjänsten dyr mot liknande kommuner och riket (Kolada), och var placerar årets prognos oss?"""

import streamlit as st

from domain import comparison
from domain.markup import escape
from ui import auth, charts, comparison_panel, layout, state, tables

layout.setup("Jämförelse")

with layout.guard():
    key, period = layout.start("Jämförelse med liknande kommuner")
    settings = state.comparison_settings()
    own_name = state.dataset_info(key).get("municipality", "")
    view = state.comparison_page(key, settings, period.year, period.month)
    found = view.found
    layout.headline(view.headline)
    for change in comparison.title_changes(state.kolada_described(key)):
        st.warning(escape(change))
    if found:
        st.caption(escape(view.caption))
        st.subheader("Kostnad per invånare mot jämförelsegruppen")
        charts.show(state.comparison_figure(key, settings), toolbar=False,
                        key="comparison_chart")
        for number, table in enumerate(view.tables):
            st.markdown(f"**{escape(table.title)}**")
            tables.show(table, key=f"comparison_table_{number}")

        st.subheader(f"{period.year}, innan Kolada har siffran")
        layout.headline(view.estimate_sentence)
        st.caption(escape(view.estimate_caption))

        st.subheader("Fem år")
        labels = {c.kpi.id: c.kpi.label for c in found}
        chosen = st.selectbox("Nyckeltal", list(labels), format_func=labels.get, key="comparison_kpi")
        figure, trend_table = state.comparison_trend(key, settings, chosen, own_name)
        charts.show(figure, toolbar=False, key="comparison_trend")
        tables.show(trend_table, key="comparison_trend_table")
        st.caption(escape(state.comparison_source(key, settings)))

    with st.expander("Inställningar och hämtning från Kolada", expanded=not found):
        st.markdown("Värdena hämtas från Koladas öppna API när du trycker på knappen (aldrig när sidan öppnas) "
                    "och sparas i databasen med tid och källa. Utan internet: spara svaret eller exporten från "
                    "kolada.se och läs in filen under Data (typen Kolada). Nyckeltalen beskrivs i "
                    "docs/jamforelse.md.")
        actor = auth.actor()
        comparison_panel.fetch_button(actor, settings, period.year - 1)
        comparison_panel.settings_form(actor, settings, list(state.activities(key)["activity"]))
    layout.footer(key)
