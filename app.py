"""Nämndpanelen: vilken kommun och vilken period visas, vad säger helårsprognosen, och var hittar man vad?"""

import streamlit as st

from domain import budget
from domain.markup import escape
from domain.periods import month_label
from ui import layout, state
from ui.period import period_selector

layout.setup("Start")

PAGE_QUESTIONS = {
    "pages/1_Budget_mot_utfall.py": "Var står nämnden mot budget hittills i år, per månad och per verksamhet, "
                                    "och vad säger helårsprognosen?",
    "pages/2_Prognos.py": "Vart är nämnden på väg vid årets slut, hur säker är prognosen, och håller den "
                          "regeln om 5 %?",
    "pages/3_Placeringar.py": "Hur mycket av placeringarnas avvikelse är volym, mix och pris, i vilka kategorier, "
                              "och vart är volymerna på väg?",
    "pages/4_Sjukfranvaro.py": "Går sjukfrånvaron ner, för vilka, och är det kort eller lång frånvaro? "
                               "Med personalomsättningen bredvid.",
    "pages/5_Scenarier.py": "Vad blir årets resultat om två placeringar avslutas, priset stiger eller "
                            "statsbidraget uteblir, och klarar vi då budgeten?",
    "pages/6_Mal_och_indikatorer.py": "Når nämnden sina mål? Budgetföljsamheten, sjukfrånvaron och regeln att "
                                      "prognosen per delår 2 ska ligga inom 5 % av decemberutfallet.",
    "pages/7_Jamforelse.py": "Är vi dyra? Kostnad per invånare och andelen med ekonomiskt bistånd mot liknande "
                             "kommuner och riket (Kolada), och var årets prognos skulle placera oss.",
    "pages/9_Data.py": "För controllern: läs in månadens utfall, budget, volymer, sjukfrånvaro och prognoser, "
                       "se importloggen och kontrollera att data hänger ihop.",
}

with layout.guard():
    key = state.db_key()
    info = state.dataset_info(key)
    latest = state.latest_month(key)
    st.title("Nämndpanelen")
    # The kommun named in the sentence, whole: as a figure beside the months a longer name was cut ("Övertorneå
    # kommu…", 2026-12-06 walk).
    municipality = info.get("municipality", "")
    st.markdown(f"Ekonomisk uppföljning för socialnämnden{f' i **{escape(municipality)}**' if municipality else ''}: "
                "budget mot utfall, helårsprognos, placeringar, sjukfrånvaro, scenarier, mål och jämförelse med "
                "liknande kommuner.")
    layout.sample_notice(key)
    if latest is None:  # a new installation: where to begin (2026-12-07 new-municipality walk)
        st.info("Inget utfall är inläst ännu. Börja på sidan Data: läs in budget och utfall (filformaten står i "
                "docs/importformat.md), eller exempeldata med `python -m data_access load-sample`.")
        st.page_link("pages/9_Data.py", label="Till sidan Data")
    summary = state.summary(key)
    # The period every page shows, chosen here as on them: Start lost a period chosen on another page.
    period = period_selector(key)
    if period is not None:
        official = state.official_forecast(key, period.year, period.month, wait=False)
        computing = period.month < 12 and not state.forecast_ready(key, period.year, period.month)
        layout.headline(budget.start_headline(state.budget_overview(key, period.year, period.month)[0], official,
                                              computing))
    columns = st.columns(3)
    columns[0].metric("Sidorna visar t.o.m.", month_label(period.year, period.month) if period else "–")
    columns[1].metric("Senast bokförda månad", month_label(*latest) if latest else "Inget utfall inläst")
    first = summary["actuals"]["first_period"]
    columns[2].metric("Utfall från", month_label(int(first[:4]), int(first[5:])) if first else "–")

    st.subheader("Sidor")
    for path, label in layout.PAGES[1:]:
        st.page_link(path, label=label)
        st.caption(PAGE_QUESTIONS[path])
    layout.footer(key, period=period)
