"""Vilka mål når nämnden i år, och håller prognosen per delår 2 inom 5 % av decemberutfallet?"""

import streamlit as st

from domain import budget as b
from domain import goals
from domain.markup import escape
from ui import auth, charts, goals_panel, layout, state, tables

ALL = "Alla"
GOALS_TAB = "Inriktningsmål"

layout.setup("Mål och indikatorer")

with layout.guard():
    key, period = layout.start("Mål och indikatorer")
    year, month = period.year, period.month
    layout.await_year_end(key, year, month)
    overview, _ = state.budget_overview(key, year, month)
    end = b.year_end(overview, state.official_forecast(key, year, month, wait=False))
    follow_up = (key, state.versions_key(), state.goal_notes_key(), year, month, end.adherence, end.label)
    view = state.goal_page(*follow_up)
    built = view.built
    layout.headline(view.sentence)
    if view.as_of:
        st.info(escape(view.as_of))

    if built:
        linked = goals_panel.linked_goal()  # a goal's own address: that goal alone, in its tab
        tab_overview, tab_goals, tab_items, tab_computed, tab_rule, tab_change = layout.tabs(
            ["Översikt", GOALS_TAB, "Uppdrag och initiativ", "Beräknade indikatorer", "Regeln om 5 %",
             "Ändra en bedömning"], key="goal_tab", default=GOALS_TAB if linked else None,
            keep=goals_panel.KEPT)
        with tab_overview:
            if tab_overview.open:
                charts.show(state.goal_summary_figure(*follow_up), toolbar=False, key="goal_summary_chart")
                tables.show(view.summary, key="goal_summary")
                layout.headline(view.five_percent_sentence)
                st.caption(f"Varje inriktningsmål med sina indikatorer, uppdrag och bedömningens grund finns under "
                           f"fliken {GOALS_TAB}; regeln om 5 % år för år under fliken Regeln om 5 %.")
        with tab_goals:
            if tab_goals.open:
                chosen = goals.filter_goals(built, slug=linked) if linked else []
                if linked and not chosen:
                    st.warning(f'Inget inriktningsmål har länknamnet "{escape(linked)}"; alla mål visas.')
                if chosen:
                    goals_panel.show_all_button()
                else:
                    areas = [ALL, *dict.fromkeys(g.area for g in built)]
                    people = [ALL, *sorted({r for g in built for r in g.responsible})]
                    first, second = st.columns(2)
                    area = first.selectbox("Målområde", areas, key="goal_area", placeholder="Välj")
                    person = second.selectbox("Ansvarig", people, key="goal_responsible", placeholder="Välj")
                    chosen = goals.filter_goals(built, None if area == ALL else area,
                                                None if person == ALL else person)
                for goal in chosen:
                    goals_panel.goal_section(goal, view.sections[goal.slug])
        with tab_items:
            if tab_items.open:
                goals_panel.items_section(view)
        with tab_computed:
            if tab_computed.open:
                goals_panel.computed_section(view, year)
        with tab_rule:
            if tab_rule.open:
                goals_panel.five_percent_section(view)
        with tab_change:
            if tab_change.open:
                goals_panel.note_form(auth.actor(), built, view.orphans, year)
                if view.history is not None:
                    st.subheader("Historik: ändrade bedömningar och kommentarer")
                    tables.show(view.history, key="goal_history")
    else:
        st.info("Läs in målstrukturen (typen Målstruktur), indikatorernas värden och uppdragen på sidan Data; "
                "formaten visas där, under Så ska filen se ut. Tills dess visas de indikatorer som panelen beräknar "
                "själv.")
        goals_panel.computed_section(view, year)
        goals_panel.five_percent_section(view)
    layout.footer(key, period=period)
