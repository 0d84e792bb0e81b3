"""Vilka mål når nämnden i år, och håller prognosen per delår 2 inom 5 % av decemberutfallet?"""

import streamlit as st

from domain import budget as b
from domain import goals
from domain.markup import escape
from ui import auth, charts, goals_panel, layout, state, tables

ALL = "Alla"

layout.setup("Mål och indikatorer")

with layout.guard():
    key, period = layout.start("Mål och indikatorer")
    year, month = period.year, period.month
    overview, _ = state.budget_overview(key, year, month)
    end = b.year_end(overview, state.official_forecast(key, year, month, wait=False))
    follow_up = (key, state.versions_key(), state.goal_notes_key(), year, month, end.adherence, end.label)
    view = state.goal_page(*follow_up)
    built = view.built
    layout.headline(view.sentence)

    if built:
        linked = st.query_params.get("mal")  # a goal's own address: that goal alone, first
        chosen = goals.filter_goals(built, slug=linked) if linked else []
        if linked and not chosen:
            st.warning(f'Inget inriktningsmål har länknamnet "{escape(linked)}"; alla mål visas.')
        if chosen:
            goals_panel.show_all_button()
        else:
            charts.show(state.goal_summary_figure(*follow_up), toolbar=False,
                            key="goal_summary_chart")
            tables.show(view.summary, key="goal_summary")
            areas = [ALL, *dict.fromkeys(g.area for g in built)]
            people = [ALL, *sorted({r for g in built for r in g.responsible})]
            first, second = st.columns(2)
            area = first.selectbox("Målområde", areas, key="goal_area")
            person = second.selectbox("Ansvarig", people, key="goal_responsible")
            chosen = goals.filter_goals(built, None if area == ALL else area, None if person == ALL else person)
        for goal in chosen:
            goals_panel.goal_section(goal, view.sections[goal.slug])

        st.subheader("Uppdrag och nämndinitiativ")
        tables.show(view.items_summary, key="goal_items_summary")
        if view.orphan_items is not None:
            tables.show(view.orphan_items, key="goal_orphans")

        with st.expander("Ändra en bedömning, en status eller en kommentar"):
            goals_panel.note_form(auth.actor(), built, view.orphans, year)
        if view.history is not None:
            with st.expander("Historik: ändrade bedömningar och kommentarer"):
                tables.show(view.history, key="goal_history")
    else:
        st.info("Läs in målstrukturen (typen Målstruktur), indikatorernas värden och uppdragen på sidan Data; "
                "formaten beskrivs i docs/importformat.md. Tills dess visas de indikatorer som panelen beräknar "
                "själv.")

    if view.indicators is not None:
        st.subheader("Indikatorer som panelen beräknar" if built else f"Nämndens indikatorer {year}")
        tables.show(view.indicators, key="goal_indicators",
                    lines=(goals_panel.SPARKLINE, [i.series for i in view.unplaced]))
    with st.expander("Så bedöms och räknas indikatorerna"):
        st.caption(goals.RULE_CAPTION + " " + goals.GOAL_RULE_CAPTION)
        tables.show(view.formulas, key="goal_formulas", wrap=True)

    st.subheader("Regeln om 5 %")
    layout.headline(view.five_percent_sentence)
    st.markdown("*Avvikelse mellan prognos per delår 2 och fastställt resultat per december ska inte avvika mer "
                "än 5 %.*")
    tables.show(view.five_percent, key="goal_five_percent")
    st.caption("Prognosen är den senast sparade låsta versionen per delår 2 (augusti) det året, den som "
               "delårsrapporten bygger på; utfallet är årets bokförda nettokostnad när alla tolv månader är "
               "bokförda. Spara versionen under Prognos › Spara version när delår 2 är klart.")
    layout.footer(key)
