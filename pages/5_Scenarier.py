"""Vad blir årets resultat om antagandena ändras, och klarar vi då budgeten och regeln om 5 %?"""

import streamlit as st

from domain.markup import escape
from domain.sick_leave import HOURLY_COST_KR
from ui import layout, scenario_panel, state

layout.setup("Scenarier")

with layout.guard():
    key, period = layout.start("Scenarier")
    year, month = period.year, period.month
    layout.closed_year_stop(year, month, "Välj en tidigare månad för att pröva scenarier.")
    layout.await_forecasts(key, year, month, ("nämnd", "kategorier"))
    vkey, skey = state.versions_key(), state.scenarios_key()
    inputs = state.scenario_inputs(key, year, month, float(st.session_state.get("sick_hourly_cost", HOURLY_COST_KR)),
                                   vkey)
    names = sorted(inputs.categories)
    first_month = scenario_panel.prepare(names, year, month)
    scenario_panel.panel(inputs, names, first_month)

    st.divider()
    saved = state.saved_scenarios(skey, year)
    tab_save, tab_compare = st.tabs(["Spara och hämta", "Jämför scenarier"])
    with tab_save:
        left_out = state.meeting_left_out(key, skey, year, month, vkey)
        if left_out:
            st.warning(escape(left_out), icon=":material/slideshow:")
        scenario_panel.save_and_load(key, inputs, saved, year, month, first_month)
    with tab_compare:
        scenario_panel.compare(inputs, saved)
    layout.footer(key, inputs.base_label, period=period)
