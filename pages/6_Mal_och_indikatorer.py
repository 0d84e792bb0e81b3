"""Når nämnden sina mål, och håller prognosen per delår 2 inom 5 % av decemberutfallet?"""

import streamlit as st

from domain import budget as b
from domain import goals
from ui import layout, state, tables

layout.setup("Mål och indikatorer")

with layout.guard():
    key, period = layout.start("Mål och indikatorer")
    year, month = period.year, period.month
    overview, _ = state.budget_overview(key, year, month)
    end = b.year_end(overview, state.official_forecast(key, year, month, wait=False))
    indicators, history = state.goal_indicators(key, state.versions_key(), year, month, end.adherence, end.label)
    layout.headline(goals.five_percent_sentence(history))

    st.subheader(f"Nämndens indikatorer {year}")
    tables.show(goals.indicators_table(indicators, year, month), key="goal_indicators")
    st.caption(goals.RULE_CAPTION)
    with st.expander("Så bedöms och räknas indikatorerna"):
        tables.show(goals.formulas_table(indicators), key="goal_formulas", wrap=True)

    st.subheader("Regeln om 5 %")
    st.markdown("*Avvikelse mellan prognos per delår 2 och fastställt resultat per december ska inte avvika mer "
                "än 5 %.*")
    tables.show(goals.five_percent_table(history), key="goal_five_percent")
    st.caption("Prognosen är den senast sparade låsta versionen per delår 2 (augusti) det året, den som "
               "delårsrapporten bygger på; utfallet är årets bokförda nettokostnad när alla tolv månader är "
               "bokförda. Spara versionen under Prognos › Spara version när delår 2 är klart.")
    layout.footer(key)
