"""Vart är nämnden på väg vid årets slut, hur säker är prognosen, och håller den regeln om 5 %?"""

import streamlit as st

from data_access.forecast_versions import AlreadySavedVersion, VersionError, save_version
from domain import forecast_view as fv
from domain.access import SAVE_FORECAST, AccessDenied
from domain.budget import official_help
from domain.formatting import format_probability, format_tkr
from domain.integrity import SHORT
from domain.markup import escape
from domain.periods import DELAR_2, RECORD_CUTOFFS, month_label
from ui import auth, charts, layout, state, tables

layout.setup("Prognos")


def save_form(actor, board, manual, manual_label: str, actuals, official, key, year: int, month: int) -> None:
    """Save the statistical forecast, or the verksamheternas own, as a locked version (controller and admin)."""
    if not layout.role_notice(actor, SAVE_FORECAST, "ser de sparade versionerna", "spara nya"):
        return
    st.markdown("Spara prognosen som en **låst version**, t.ex. inför delårsrapporten. En sparad version ändras "
                "aldrig; en ny bedömning sparas som en ny version.")
    st.info(escape(fv.lock_notice(official, year, month, year in state.interim_forecasts(key))))
    bases = fv.basis_labels(board, manual, manual_label)
    basis = "statistical"
    if not manual.empty:
        basis = st.radio("Vilken prognos ska låsas? (nettokostnad helår, hela nämnden)", list(bases),
                         format_func=bases.get, key="prognos_version_basis")
        missing = fv.without_own_forecast(board, manual, state.report_order(key))
        if basis == "managers" and missing:
            st.caption("Utan egen prognos, låses med den statistiska: " + ", ".join(escape(a) for a in missing) + ".")
    saved = state.versions(key, state.versions_key())
    taken = saved["name"] if not saved.empty else ()
    # After a save the form is empty again and offers the next free name. Set through the session before the
    # widgets are drawn (a value removed from the session stayed in the browser's field); the comments'
    # table is a new one.
    if st.session_state.pop("prognos_version_reset", False):
        st.session_state[f"prognos_version_name_{year}_{month}"] = fv.default_version_name(year, month, taken)
        st.session_state["prognos_version_note"] = ""
        st.session_state["prognos_version_round"] = st.session_state.get("prognos_version_round", 0) + 1
    fields = (f"prognos_version_name_{year}_{month}", "prognos_version_note",
              f"prognos_version_comments_{st.session_state.get('prognos_version_round', 0)}")
    st.session_state.setdefault(fields[0], fv.default_version_name(year, month, taken))
    name = st.text_input("Versionens namn", key=fields[0])
    note = st.text_area("Kommentar till versionen", key=fields[1])
    st.markdown("Kommentar per verksamhet (frivillig), sparas med versionen:")
    comments = st.data_editor(fv.comment_frame(board, state.report_order(key)), disabled=["Verksamhet"],
                              hide_index=True, width="stretch", key=fields[2])
    asking = f"prognos_version_asking_{year}_{month}"
    if not st.session_state.get(asking):
        st.button("Spara låst version …", type="primary", key="prognos_version_save", disabled=not name.strip(),
                  help=None if name.strip() else "Ge versionen ett namn först.",
                  on_click=lambda: st.session_state.update({asking: True}))
        if not name.strip():  # said, not only greyed out (a walk found the button dead without a word)
            st.caption("Ge versionen ett namn för att kunna låsa den.")
        confirmed = False
    else:  # a locked version cannot be undone: the figure and the name are asked for once more
        st.warning(escape(fv.lock_question(name, bases[basis], year, month, state.latest_month(key), saved=saved)))
        yes, no, _ = st.columns([1, 1, 3])
        confirmed = yes.button("Ja, lås versionen", type="primary", key="prognos_version_confirm")
        no.button("Avbryt", key="prognos_version_cancel", on_click=lambda: st.session_state.pop(asking, None))
    if confirmed:
        st.session_state.pop(asking, None)
        notes = dict(zip(comments["Verksamhet"], comments["Kommentar"]))
        lines = fv.managers_version_lines(board, actuals, manual, notes) if basis == "managers" \
            else fv.version_lines(board, actuals, notes)
        try:
            with st.spinner("Sparar versionen med placeringarnas prognos …"):
                save_version(state.engine(), name=name, year=year, cutoff_month=month, data_version=key[1],
                             actor=actor, lines=lines, note=note, volumes=state.placement_months(key, year, month))
        except AlreadySavedVersion as already:
            st.info(escape(already))
        except (VersionError, AccessDenied) as error:
            st.error(escape(error))
        else:  # run again, so that the figures above show the version that is now the helårsprognos
            st.session_state["prognos_version_saved"] = f'Versionen "{escape(name)}" är sparad och låst.'
            st.session_state["prognos_version_reset"] = True
            st.rerun()
    said = st.session_state.pop("prognos_version_saved", None)
    if said:
        st.success(said)


@st.fragment
def record_panel(key, year: int, month: int) -> None:
    """Past years' forecasts against December: the track record, computed once per data version and stored."""
    st.session_state.setdefault("prognos_record_cutoff", DELAR_2)
    cutoff = st.selectbox("Prognos gjord efter", list(RECORD_CUTOFFS), key="prognos_record_cutoff",
                          format_func=RECORD_CUTOFFS.get,
                          placeholder="Välj")
    layout.await_record(key, year, cutoff)
    record = state.track_record(key, year, cutoff)
    layout.headline(fv.record_sentence(record, cutoff))
    if not record.empty:
        charts.show(charts.track_record_chart(record), key="prognos_record_chart")
        tables.show(fv.track_record_table(record), key="prognos_record_table")
    saved = fv.versions_known(state.versions(key, state.versions_key()), year, month, cutoff)
    if not saved.empty:
        judged = fv.versions_outcome_table(fv.versions_against_outcome(saved, state.outcomes_known(key, year, month)),
                                           cutoff)
        st.markdown(f"**{judged.title}**")
        tables.show(judged, key="prognos_versions_outcome")

with layout.guard():
    key, period = layout.start("Prognos")
    year, month = period.year, period.month
    layout.closed_year_stop(year, month, "Helårets utfall är känt; välj en tidigare månad för att se vilken "
                                         "prognos som kunde göras då.", rule_link=True)
    layout.await_forecasts(key, year, month)
    board, actuals = state.board_forecast(key, year, month)
    manual, manual_label = state.manual_at(key, year, month)
    manual_total = fv.manual_total(manual)

    official = state.official_forecast(key, year, month)
    judged = fv.judged_version(state.versions(key, state.versions_key()), year, month, official)
    layout.headline(fv.headline(board, manual_total, official, judged,
                                state.rule_judges_managers(key, year, month, official)))
    first = layout.figure_row("prognos_year")
    first.metric("Helårsprognos", format_tkr(official.point), help=escape(official_help(official.label)))
    first.metric("Budget helår", format_tkr(board.budget))
    first.metric("Avvikelse mot budget", format_tkr(fv.against_budget(official.point, board.budget), plus=True))
    first.metric(fv.managers_name(manual_label), format_tkr(manual_total))
    if official.locked:  # the figures below are the statistical forecast's, not the locked version's
        st.markdown("**Den statistiska prognosens osäkerhet**")
    second = layout.figure_row("prognos_spread", wide_first=True)
    stated = fv.as_stated(board)
    second.metric("Avvikelse mot budget, P10–P90", fv.interval_label(stated.p10, stated.p90, board.budget),
                  help="Avvikelsen mot budget helår (positiv = överskott) om nettokostnaden hamnar vid P10 "
                       "respektive P90. Intervallet är kalibrerat så att utfallet hamnar i det 8 gånger av 10.")
    second.metric("Sannolikhet inom ±5\u00a0%", format_probability(stated.prob_within_target),
                  help=fv.within_target_help(board))
    second.metric("Sannolikhet för underskott", format_probability(stated.prob_deficit))
    st.caption(f"{fv.METHOD_CAPTION} {fv.manual_caption(manual_label, manual_total is not None)} "
               f"{escape(fv.locked_caption(official, board.point))}")

    tab_lines, tab_year, tab_record, tab_bridge, tab_save = layout.tabs(
        ["Per verksamhet", "Över året", "Träffsäkerhet", "Varför ändrades prognosen", "Spara version"],
        key="prognos_tab", keep=("prognos_record_cutoff", f"prognos_version_name_{year}_{month}", "prognos_version_note",
                                 "prognos_version_basis", "prognos_bridge_version"))

    with tab_lines:
        if tab_lines.open:
            lines, flagged = state.forecast_lines(key, state.versions_key(), year, month)
            st.markdown("**Helårsprognos per verksamhet, tkr**")
            if flagged:  # above the table: at 1280 px its Kontroll column, which says why, is beyond the edge
                st.warning(fv.outside_sentence(flagged))
            tables.show(lines, key="prognos_lines")
            if board.behind:
                st.caption("Ännu inte bokförda t.o.m. brytmånaden, prognos från senast bokförda månad: "
                           + ", ".join(escape(name) for name in board.behind) + ".")
            if remarks := fv.fallback_caption(board):
                st.caption(escape(remarks))

    with tab_year:
        if tab_year.open:
            path, caption = state.result_path_figure(key, year, month)
            if path is not None:
                charts.show(path, key="prognos_result_path")
                st.caption(caption)
            charts.show(state.forecast_fan_figure(key, year, month), key="prognos_fan")
            st.caption(fv.fan_caption(official.locked, not fv.untested(board)))

    with tab_record:
        if tab_record.open:
            record_panel(key, year, month)
            st.caption("Regeln: |prognos − fastställt resultat| / |fastställt resultat| ≤ 5 % på nämndens nettokostnad. "
                       "Den statistiska prognosen görs om för varje tidigare år med samma metod som i år (medianen av "
                       "metoderna, eller en enkel framskrivning där historiken är kort) och bara de data som fanns vid "
                       "tillfället. " + fv.DEVIATION_SIGN)  # once for the tab's tables (it stood under each)

    with tab_bridge:
        if tab_bridge.open:
            same_year = fv.versions_of_year(state.versions(key, state.versions_key()), year)
            choices = fv.change_choices(same_year, month)
            if not choices:
                st.info(f"Det finns ingen sparad version för {year} att jämföra med. Spara en version under "
                        "Spara version; nästa månad visar sidan här vad som ändrats sedan dess.")
            else:
                if st.session_state.get("prognos_bridge_version") not in choices:
                    st.session_state.pop("prognos_bridge_version", None)
                chosen = st.selectbox("Jämför med", list(choices), format_func=choices.get,
                                      key="prognos_bridge_version", placeholder="Välj")
                if chosen == fv.LAST_MONTH:
                    layout.await_forecasts(key, year, fv.month_before(month), ("nämnd", "kategorier"))
                previous, then_volumes, basis = state.compared_year(key, state.versions_key(), year, month, chosen)
                bridge = fv.change_bridge(previous, fv.current_months(board, actuals))
                placements = None
                if not then_volumes.empty:
                    layout.await_forecasts(key, year, month, ("kategorier",))
                    placements = fv.placement_change(then_volumes, state.placement_months(key, year, month),
                                                     *state.category_groups(key, year, month))
                apart = fv.placements_apart(placements)
                steps = fv.change_steps(bridge, apart, basis)
                layout.headline(fv.change_sentence(fv.compared_said(chosen, choices[chosen], month),
                                                   fv.version_total(previous), board.point, board.budget, steps,
                                                   same=fv.same_month(same_year, chosen, month)))
                charts.show(charts.result_bridge_chart(fv.compared_label(chosen, choices[chosen], month),
                                                       fv.version_total(previous), steps,
                                                       "Statistisk prognos nu", board.point, board.budget),
                            key="prognos_bridge_chart")
                changed_basis = fv.basis_caption(basis)
                if changed_basis:
                    st.info(changed_basis)
                st.caption(fv.bridge_caption(apart is not None, basis, kept=placements is not None,
                                             volumes=state.has_volumes(key), version=chosen != fv.LAST_MONTH))
                st.markdown("**Förändring per verksamhet, tkr**")
                if apart is not None:
                    st.caption(fv.change_table_caption(bridge, basis))
                tables.show(fv.change_by_activity_table(bridge, basis), key="prognos_change_table")
                if apart is not None:
                    st.markdown("**Placeringarnas helår: dygn och à-pris då och nu**")
                    tables.show(fv.placement_change_rows_table(apart), key="prognos_placement_change")

    with tab_save:
        if tab_save.open:
            save_form(auth.actor(), board, manual, manual_label, actuals, official, key, year, month)
            saved = state.versions(key, state.versions_key())
            if not saved.empty:
                st.markdown("**Sparade versioner**")
                tables.show(fv.versions_table(saved), key="prognos_versions")
                st.caption(f"Kontrollsumma: de första {SHORT} tecknen av SHA-256 över versionens alla rader, samma som i "
                           "mötespapperen. Kommandot python -m data_access granska räknar om den och visar hela summan.")
    layout.footer(key, f"prognos per {month_label(year, month)} · {official.label}", period=period)
