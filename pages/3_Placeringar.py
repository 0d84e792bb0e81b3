"""Hur mycket av placeringarnas avvikelse är volym, hur mycket är pris, i vilka kategorier, och vart är volymerna på väg?"""

import streamlit as st

from domain import placements as pl
from domain.formatting import format_kr
from ui import charts, inputs, layout, state, tables

layout.setup("Placeringar")

with layout.guard():
    key, period = layout.start("Placeringar: dygn × à-pris",
                               empty="Det finns inget utfall i databasen ännu. Läs in volymer och volymbudget på "
                                     "sidan Data.")
    year, month = period.year, period.month
    layout.await_forecasts(key, year, month, ("kategorier",))
    table = state.placement_table(key, year, month)
    if table.empty:
        st.info("Det finns inga volymer inlästa. Läs in volymer, volymbudget och volymprognos på sidan Data.")
        st.stop()
    _, _, _, forecast_cutoff, _ = state.placement_data(key, year, month)
    span = pl.volume_span(table, year)

    options = pl.comparison_choices(table, year, forecast_cutoff)
    if st.session_state.get("plac_comparison") not in options:  # a choice another period offered
        st.session_state.pop("plac_comparison", None)
    comparison = st.radio("Jämför", list(options), format_func=options.get, horizontal=True,
                          key="plac_comparison",
                          help="Controllernas volymprognos är filen volymprognos på sidan Data: helårets dygn och "
                               "kostnad per insatskategori. Verksamheternas prognos på Budget mot utfall och Prognos är deras "
                               "ekonomiska helårsprognos per verksamhet.")
    view = state.placement_comparison(key, year, month, comparison)
    layout.headline(view.headline)
    for note in (pl.volumes_behind(table, year, month),
                 pl.forecast_before_volumes(table, year, forecast_cutoff, comparison)):
        if note:
            st.info(note)

    tab_bridge, tab_volumes, tab_prices, tab_trend = layout.tabs(
        ["Volym, mix och pris", "Volymer (dygn och dagar)", "À-priser (kr per dygn eller dag)",
         "Utveckling och ytterfall"],
        key="plac_tab", keep=("plac_trend_category", "plac_index_1", "plac_index_2"))

    with tab_bridge:
        if tab_bridge.open:
            charts.show(state.placement_bridge_figure(key, year, month, comparison), key="plac_bridge")
            tables.show(view.effects, key="plac_effects")
            with st.expander("Kontrollera ett påstående: andra sätt att räkna"):
                st.markdown("Rapporttexter anger ibland volymeffekt till budgetpris och priseffekt till budgetvolym. "
                            "Då återstår en samspelsterm. Här är de beloppen, så att ett påstående i en rapport "
                            "kan prövas mot tabellerna. Tecknen är avvikelsens, som ovan: en kostnadsökning i rapporten "
                            "står här med minus.")
                tables.show(view.sequential, key="plac_sequential")

    with tab_volumes:
        if tab_volumes.open:
            tables.show(pl.volume_days_table(table, year, span), key="placements_volumes")

    with tab_prices:
        if tab_prices.open:
            tables.show(pl.prices_table(table, year, span), key="plac_prices")
            st.caption("À-pris = kostnad / dygn, kronor per dygn (per dag för kategorier som räknas i dagar). "
                       "Avvikelse = budget − utfall (eller prognos): positiv avvikelse betyder lägre à-pris än budgeterat.")

    with tab_trend:
        if tab_trend.open:
            names = list(table["category"])
            chosen = st.selectbox("Kategori", names, key="plac_trend_category", placeholder="Välj")
            charts.show(state.placement_trend_figure(key, year, month, chosen), key="plac_trend_chart")
            cols = st.columns(3)
            first = inputs.percent_slider(f"Uppräkning {year + 1}", 0.0, 20.0, 3.5, 0.1, key="plac_index_1",
                                          container=cols[0])
            second = inputs.percent_slider(f"Uppräkning {year + 2}", 0.0, 20.0, 3.1, 0.1, key="plac_index_2",
                                           container=cols[1])
            base = pl.plan_base(table, chosen)
            if base is not None:
                plan = pl.plan_prices(base[1], [first / 100, second / 100])
                cols[2].metric(f"À-pris plan {year + 2}", format_kr(plan[1]),
                               help=f"{base[0]} {year}: {format_kr(base[1])}; plan {year + 1}: {format_kr(plan[0])}.")
            outliers = state.placement_outliers(key, year, month)
            st.markdown("**Ytterfall: månader där à-priset är långt över det vanliga**")
            if outliers.empty:
                st.caption("Inga månader med ovanligt högt à-pris senaste två åren.")
            else:
                tables.show(pl.outliers_table(outliers), key="plac_outliers")
                st.caption("Vanligt à-pris = median för de föregående 24 månaderna. Ett ytterfall är oftast några få "
                           "mycket dyra placeringar.")
    layout.footer(key, pl.comparison_source(comparison, table, year, month, forecast_cutoff), period=period)
