"""Vilka mål når nämnden i år, och håller prognosen per delår 2 inom 5 % av decemberutfallet?"""

import streamlit as st

from domain import budget as b
from domain import goals
from domain.markup import escape
from ui import auth, goals_panel, layout, state, tables

ALL = "Alla"

layout.setup("Mål och indikatorer")

with layout.guard():
    key, period = layout.start("Mål och indikatorer")
    year, month = period.year, period.month
    overview, _ = state.budget_overview(key, year, month)
    end = b.year_end(overview, state.official_forecast(key, year, month, wait=False))
    follow_up = (key, state.versions_key(), state.goal_notes_key(), year, month, end.adherence, end.label)
    built, unplaced, orphans, notes, history = state.goal_follow_up(*follow_up)
    layout.headline(goals.goals_sentence(built))

    if built:
        linked = st.query_params.get("mal")  # a goal's own address: that goal alone, first
        chosen = goals.filter_goals(built, slug=linked) if linked else []
        if linked and not chosen:
            st.warning(f'Inget inriktningsmål har länknamnet "{escape(linked)}"; alla mål visas.')
        if chosen:
            goals_panel.show_all_button()
        else:
            summary = goals.area_summary_table(built)
            st.plotly_chart(state.goal_summary_figure(*follow_up), config={"displayModeBar": False},
                            key="goal_summary_chart")
            tables.show(summary, key="goal_summary")
            areas = [ALL, *dict.fromkeys(g.area for g in built)]
            people = [ALL, *sorted({r for g in built for r in g.responsible})]
            first, second = st.columns(2)
            area = first.selectbox("Målområde", areas, key="goal_area")
            person = second.selectbox("Ansvarig", people, key="goal_responsible")
            chosen = goals.filter_goals(built, None if area == ALL else area, None if person == ALL else person)
        for goal in chosen:
            goals_panel.goal_section(goal, year, month)

        st.subheader("Uppdrag och nämndinitiativ")
        tables.show(goals.items_summary_table(goals.items_summary(goals.all_items(built, orphans))),
                    key="goal_items_summary")
        if orphans:
            tables.show(goals.items_table(orphans, "Uppdrag och initiativ utan inriktningsmål"), key="goal_orphans")

        with st.expander("Ändra en bedömning, en status eller en kommentar"):
            goals_panel.note_form(auth.actor(), built, orphans, year)
        if not notes.empty:
            with st.expander("Historik: ändrade bedömningar och kommentarer"):
                tables.show(goals.history_table(notes), key="goal_history")
    else:
        st.info("Läs in målstrukturen (typen Målstruktur), indikatorernas värden och uppdragen på sidan Data; "
                "formaten beskrivs i docs/importformat.md. Tills dess visas de indikatorer som panelen beräknar "
                "själv.")

    if unplaced:
        st.subheader("Indikatorer som panelen beräknar" if built else f"Nämndens indikatorer {year}")
        tables.show(goals.indicators_table(unplaced, year, month), key="goal_indicators")
    with st.expander("Så bedöms och räknas indikatorerna"):
        st.caption(goals.RULE_CAPTION + " " + goals.GOAL_RULE_CAPTION)
        every = [i for g in built for i in g.indicators] + list(unplaced)
        tables.show(goals.formulas_table(every), key="goal_formulas", wrap=True)

    st.subheader("Regeln om 5 %")
    layout.headline(goals.five_percent_sentence(history))
    st.markdown("*Avvikelse mellan prognos per delår 2 och fastställt resultat per december ska inte avvika mer "
                "än 5 %.*")
    tables.show(goals.five_percent_table(history), key="goal_five_percent")
    st.caption("Prognosen är den senast sparade låsta versionen per delår 2 (augusti) det året, den som "
               "delårsrapporten bygger på; utfallet är årets bokförda nettokostnad när alla tolv månader är "
               "bokförda. Spara versionen under Prognos › Spara version när delår 2 är klart.")
    layout.footer(key)
