"""Går sjukfrånvaron ner, för vilka, och är det kort eller lång frånvaro?"""

import pandas as pd
import streamlit as st

from domain import sick_leave as sl
from domain.formatting import format_percent
from domain.markup import escape
from domain.periods import month_label, period_label
from settings import get_settings
from ui import charts, layout, state, tables
from ui.inputs import kronor_slider
from ui.period import period_selector

layout.setup("Sjukfrånvaro")

with layout.guard():
    key = state.db_key()
    st.title("Sjukfrånvaro")
    layout.sample_notice(key)
    period = period_selector(key)
    rows, municipality_rows, turnover_rows = state.sick_leave(key)
    if period is None or rows.empty:
        st.info("Det finns ingen sjukfrånvaro inläst. Läs in sjuktimmar och ordinarie timmar på sidan Data.")
        st.stop()
    year, month = period.year, period.month
    minimum = get_settings().min_group_size
    shown = state.sick_leave_view(key, year, month, minimum)
    span = period_label(year, shown.through_month)
    behind = sl.behind_sentence(year, month, shown.through_month)
    if behind:
        st.info(behind)
    if shown.too_small:
        st.info(f"Nämnden hade färre än {minimum} anställda någon månad {span}; sjukfrånvaron visas inte.")
        st.stop()
    now, before = shown.now, shown.before
    trend = state.sick_leave_trend(key, year, month)

    sentence = sl.trend_sentence(trend.trend if trend is not None else pd.Series(dtype=float))
    layout.headline(sl.headline(span, year, now["rate"], before["rate"], sentence))
    first = layout.figure_row("sick_rates")
    first.metric(f"Sjukfrånvaro {span}", format_percent(now["rate"]))
    first.metric(f"Samma period {year - 1}", format_percent(before["rate"]))
    first.metric("Kommunen samma period", format_percent(shown.municipality_rate))
    first.metric("Andel långtid (60– dagar)", format_percent(now["long_term_share"], 0))
    second = st.columns(4)
    for column, (field, label) in zip(second, sl.LENGTH_LABELS.items()):
        column.metric(label, format_percent(now[field]))
    hourly = kronor_slider("Timkostnad", 0, 2000, sl.HOURLY_COST_KR, 10, key="sick_hourly_cost", container=second[3],
                           help="Lön med personalomkostnader per timme, för att uppskatta kostnaden.")
    st.caption(sl.cost_caption(span, shown.sick_hours, hourly))

    tab_trend, tab_length, tab_groups, tab_turnover = layout.tabs(
        ["Över tid", "Kort och lång frånvaro", "Grupper", "Personalomsättning"], key="sick_tab",
        keep=("sick_national", "sick_dimension"))
    with tab_trend:
        if tab_trend.open:
            national_text = st.text_input("Rikssnitt att jämföra med, %", key="sick_national", placeholder="t.ex. 4,4",
                                          help="T.ex. 4,4 % för socialsekreterare, rikssnitt 2024. Lämna tomt för att "
                                               "inte visa någon linje.")
            national = sl.parse_reference_level(national_text)
            if national_text.strip() and national is None:
                st.warning(f'"{escape(national_text)}" är inte en procentsats mellan 0 och 100; skriv t.ex. 4,4.')
            charts.show(state.sick_leave_figure(key, year, month, minimum, "trend", national), key="sick_trend_chart")
            st.caption("Trend = sjukfrånvarons trend skild från säsongen (STL, statsmodels), så att en låg juli inte tas för en "
                       "förbättring. Rullande 12 månader = summan av sjuktimmar delad med summan av ordinarie timmar "
                       "för de senaste tolv månaderna.")
    with tab_length:
        if tab_length.open:
            charts.show(state.sick_leave_figure(key, year, month, minimum, "length"), key="sick_length_chart")
    with tab_groups:
        if tab_groups.open:
            labels = sl.DIMENSIONS
            dimension = st.radio("Dela upp efter", list(labels), format_func=labels.get, horizontal=True,
                                 key="sick_dimension")
            result = state.sick_leave_breakdown(key, year, month, dimension, minimum)
            tables.show(sl.breakdown_table(result), key="sick_breakdown")
            st.caption(sl.suppression_note(result, minimum))
    with tab_turnover:
        if tab_turnover.open:
            if shown.turnover_total is None:
                st.info("Ingen personalomsättning inläst (importtypen personalomsattning).")
            else:
                latest = shown.turnover_total.iloc[-1]
                columns = st.columns(2)
                columns[0].metric("Extern personalomsättning, 12 mån", format_percent(latest["turnover_external"]))
                columns[1].metric("Intern personalomsättning, 12 mån", format_percent(latest["turnover_internal"]))
                charts.show(state.sick_leave_figure(key, year, month, minimum, "turnover"), key="sick_turnover_chart")
                st.caption("Personalomsättning = avgångar under tolv månader / genomsnittligt antal anställda under "
                           "samma månader. Extern: lämnat kommunen. Intern: bytt till annan förvaltning. "
                           + escape(sl.turnover_note(shown.turnover_by_group, minimum)))
    layout.footer(key, f"sjukfrånvaro t.o.m. {month_label(year, shown.through_month)}", period=period)
