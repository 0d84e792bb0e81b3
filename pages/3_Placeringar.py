"""Hur mycket av placeringarnas avvikelse är volym, hur mycket är pris, i vilka kategorier, och vart är volymerna på väg?"""

import streamlit as st

from domain import placements as pl
from domain.formatting import format_kr, format_number, format_tkr
from domain.periods import MONTH_ABBREVIATIONS, month_label, period_label
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
    span = period_label(year, month)

    options = {"budget_forecast": "Budget → controllernas prognos", "budget_statistical": "Budget → statistisk prognos",
               "budget_actual": f"Periodiserad budget → utfall {span}"}
    if forecast_cutoff is None:
        options.pop("budget_forecast")
    comparison = st.radio("Jämförelse", list(options), format_func=options.get, horizontal=True,
                          key="plac_comparison")
    decomposition = pl.decompose(pl.comparison_frame(table, comparison))
    layout.headline(pl.headline(decomposition, comparison))

    tab_bridge, tab_volumes, tab_prices, tab_trend = st.tabs(
        ["Volym, mix och pris", "Volymer (dygn)", "À-priser (kr per dygn)", "Utveckling och ytterfall"])

    with tab_bridge:
        a_label, b_label = pl.COMPARISONS[comparison]
        steps = pl.bridge_steps(decomposition)
        st.plotly_chart(charts.cost_bridge_chart(a_label, decomposition.cost_a, steps, b_label, decomposition.cost_b),
                        key="plac_bridge")
        st.caption(pl.FORMULA)
        detail = tables.escaped(decomposition.categories[["category", "group", "cost_a", "cost_b", "volume", "mix",
                                                          "price", "total"]], "category", "group")
        shown = detail.rename(columns={"category": "Kategori", "group": "Grupp", "cost_a": f"{a_label}, tkr",
                                       "cost_b": f"{b_label}, tkr", "volume": "Volym", "mix": "Mix",
                                       "price": "Pris", "total": "Summa"})
        money = [c for c in shown.columns if c not in ("Kategori", "Grupp")]
        st.table(shown.style.format({c: lambda v: format_tkr(v, unit=False) for c in money}, na_rep="–")
                 .hide(axis="index"))
        with st.expander("Kontrollera ett påstående: andra sätt att räkna"):
            st.markdown("Rapporttexter anger ibland volymeffekt till budgetpris och priseffekt till budgetvolym. "
                        "Då återstår en samspelsterm. Här är de beloppen, så att ett påstående i en rapport "
                        "kan prövas mot tabellerna.")
            other = pl.sequential_effects(pl.comparison_frame(table, comparison))
            st.table(tables.escaped(other, "group").rename(columns={"group": "Grupp", "volume_at_a_price": "Volym till A-pris, tkr",
                                           "price_at_a_volume": "Pris till A-volym, tkr",
                                           "interaction": "Samspel, tkr"})
                     .style.format({c: lambda v: format_tkr(v, unit=False) for c in
                                    ("Volym till A-pris, tkr", "Pris till A-volym, tkr", "Samspel, tkr")})
                     .hide(axis="index"))

    with tab_volumes:
        tables.show(pl.volume_days_table(table, year, span), key="placements_volumes")
        st.caption("Avvikelse = budget − utfall (eller prognos): positiv avvikelse betyder färre dygn än budgeterat. "
                   "Periodiserad budget = budget helår × antal månader / 12.")

    with tab_prices:
        prices = tables.escaped(table, "category")[["category", "price_ytd", "budget_price", "price_variance_ytd", "forecast_price",
                        "stat_price", "price_variance_forecast", "price_last_year"]]
        shown = prices.rename(columns={
            "category": "Kategori", "price_ytd": f"Utfall {span}", "budget_price": "Budget",
            "price_variance_ytd": "Avvikelse utfall–budget", "forecast_price": "Prognos (controller)",
            "stat_price": "Prognos (statistisk)", "price_variance_forecast": "Avvikelse prognos–budget",
            "price_last_year": f"Utfall {year - 1}"})
        numbers = [c for c in shown.columns if c != "Kategori"]
        st.table(shown.style.format({c: lambda v: format_number(v) for c in numbers}, na_rep="–").hide(axis="index"))
        st.caption("À-pris = kostnad / dygn, kronor per dygn (per dag för kategorier som räknas i dagar).")

    with tab_trend:
        names = list(table["category"])
        chosen = st.selectbox("Kategori", names, key="plac_trend_category")
        volumes, budgets, _, _, _ = state.placement_data(key, year, month)
        forecasts = state.category_forecasts(key, year, month)
        unit = table.set_index("category").loc[chosen, "unit"]
        st.plotly_chart(charts.volume_trend_chart(volumes[volumes["category"] == chosen], forecasts.get(chosen),
                                                  year, month, unit), key="plac_trend_chart")
        budget_row = budgets[(budgets["year"] == year) & (budgets["category"] == chosen)]
        cols = st.columns(3)
        first = inputs.percent_slider(f"Uppräkning {year + 1}", 0.0, 20.0, 3.5, 0.1, key="plac_index_1",
                                      container=cols[0])
        second = inputs.percent_slider(f"Uppräkning {year + 2}", 0.0, 20.0, 3.1, 0.1, key="plac_index_2",
                                       container=cols[1])
        if not budget_row.empty:
            price = float(budget_row["unit_price_kr"].iloc[0])
            plan = pl.plan_prices(price, [first / 100, second / 100])
            cols[2].metric(f"À-pris plan {year + 2}", format_kr(plan[1]),
                           help=f"Budget {year}: {format_kr(price)}; plan {year + 1}: {format_kr(plan[0])}.")
        outliers = pl.outlier_months(volumes)
        outliers = outliers[outliers["year"] >= year - 1]
        st.markdown("**Ytterfall: månader där à-priset är långt över det vanliga**")
        if outliers.empty:
            st.caption("Inga månader med ovanligt högt à-pris senaste två åren.")
        else:
            shown = tables.escaped(outliers, "category").assign(Månad=[month_label(y, m) for y, m in zip(outliers["year"], outliers["month"])])
            shown = shown.rename(columns={"category": "Kategori", "price": "À-pris", "usual_price": "Vanligt à-pris",
                                          "excess_kr": "Merkostnad, tkr"})
            st.table(shown[["Månad", "Kategori", "À-pris", "Vanligt à-pris", "Merkostnad, tkr"]].style.format(
                {"À-pris": lambda v: format_number(v), "Vanligt à-pris": lambda v: format_number(v),
                 "Merkostnad, tkr": lambda v: format_tkr(v, unit=False)}).hide(axis="index"))
            st.caption("Vanligt à-pris = median för de föregående 24 månaderna. Ett ytterfall är oftast några få "
                       "mycket dyra placeringar.")
    footer = f"controllernas volymprognos {MONTH_ABBREVIATIONS[forecast_cutoff - 1]} {year}" if forecast_cutoff \
        else "ingen volymprognos inläst"
    layout.footer(key, footer)
