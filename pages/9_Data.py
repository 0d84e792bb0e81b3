"""Vilka data finns, hänger de ihop, och hur läser controllern in nya?"""

import streamlit as st

from domain import quality
from domain.access import IMPORT, SEE_AUDIT
from domain.formatting import count_text
from domain.markup import escape
from domain.periods import Month, month_label
from domain.tables import audit_table
from settings import get_settings
from ui import auth, import_panel, layout, period, register_panel, state, tables, upload

layout.setup("Data")

def audit_panel() -> None:
    """The audit trail, filterable by event and user."""
    st.markdown("Alla ändringar: importer, sparade prognosversioner och scenarier, rolländringar, inloggningar "
                "och nekade försök. Loggen kan bara byggas på; databasen vägrar ändra eller ta bort en rad.")
    intact, sentence, problems = state.verification()
    (st.success if intact else st.error)(escape(sentence))
    for problem in problems[:20]:
        st.markdown(f"- {escape(problem)}")
    st.caption("Varje post bär en kontrollsumma (SHA-256) av sitt innehåll och föregående posts summa, och varje "
               "sparad prognosversion en av alla sina rader. Samma kontroll görs med python -m data_access granska.")
    everything = state.audit_entries()
    columns = st.columns(2)
    action = columns[0].selectbox("Händelse", ["Alla", *sorted(everything["action"].unique())],
                                  key="data_audit_action", placeholder="Välj")
    user = columns[1].selectbox("Användare", ["Alla", *sorted(everything["user_name"].unique())],
                                key="data_audit_user", placeholder="Välj")
    shown = state.audit_entries(None if action == "Alla" else action, None if user == "Alla" else user)
    tables.show(audit_table(shown), key="data_audit_table")


with layout.guard():
    key = state.db_key()
    settings = get_settings()
    st.title("Data")
    layout.sample_notice(key)
    actor = auth.actor()
    # Whoever cannot import sees the checks first; the audit trail is for controller and admin.
    names = (["Importera", "Datakontroller", "Importlogg och innehåll"] if actor.may(IMPORT)
             else ["Datakontroller", "Importlogg och innehåll", "Importera"])
    names += ["Register"]
    names += ["Granskningslogg"] if actor.may(SEE_AUDIT) else []
    # Keyed, so that the tab chosen stays chosen when a change in it draws the page again (a saved register
    # change jumped back to Importera).
    tabs = dict(zip(names, st.tabs(names, key="data_tab")))
    tab_import, tab_quality, tab_log = tabs["Importera"], tabs["Datakontroller"], tabs["Importlogg och innehåll"]

    with tab_import:
        import_panel.import_panel(actor, settings)

    with tab_quality:
        latest = state.latest_month(key)
        if latest is None:
            st.info("Inget utfall inläst.")
        else:
            year = st.selectbox("År", sorted(state.years(key), reverse=True), key="data_quality_year",
                                index=sorted(state.years(key), reverse=True).index(latest[0]), placeholder="Välj")
            through = latest[1] if year == latest[0] else 12
            findings = quality.coverage_findings(state.coverage(key, year), year, through)
            if findings.empty:
                st.success(f"Inga luckor {year}: alla verksamheter har både budget och utfall för varje "
                           f"bokförd månad t.o.m. {month_label(year, through)}.")
            else:
                st.warning(f"{count_text(len(findings), 'avvikelse', 'avvikelser')} i täckningen {year}.")
                tables.show(quality.coverage_findings_table(findings), key="data_quality_findings")
            summary = state.summary(key)
            if lagging := quality.lagging_sources(summary):
                st.warning(lagging)
            if leading := quality.leading_sources(summary):
                st.info(leading)
            st.subheader("Placeringar mot bokföringen")
            placements = quality.placement_findings(state.placement_reconciliation(key, year, through), year)
            if placements.empty:
                st.info("Ingen insatskategori är kopplad till en verksamhet, eller så saknas volymer för året. "
                        "Koppla kategorierna under Register.")
            else:
                flagged = placements[placements["Kontroll"] != "Stämmer"]
                if flagged.empty:
                    st.success("Placeringarnas kostnader ryms i de kopplade verksamheternas bokförda kostnader.")
                else:
                    st.warning(f"{count_text(len(flagged), 'verksamhet', 'verksamheter')} har placeringar som kostar mer än verksamheten har "
                               "bokfört samma månader. Volymfilen och bokföringen stämmer inte överens.")
                tables.show(quality.placement_findings_table(placements), key="data_quality_placements")
                st.caption("Bokförd kostnad är verksamhetens kostnader utan intäkter för samma månader som "
                           "volymerna; skillnaden är verksamhetens övriga kostnader, negativ när placeringarna "
                           "ensamma kostar mer än hela verksamheten.")
        st.subheader("Kontrollera en rapporttabell")
        st.markdown("Ladda upp en tabell ur en rapport (t.ex. driftredovisningen) för att räkna om dess "
                    "avvikelse- och summakolumner. Tabellen sparas inte.")
        report = upload.file_uploader("Rapporttabell", ["csv", "xlsx"], key="data_report_upload")
        if report is not None:
            from data_access.files import FileReadError, read_table

            try:
                table = read_table(report.getvalue(), report.name)
            except FileReadError as exc:
                st.error(escape(exc))
            else:
                mismatches = quality.check_report_table(table.headers, [cells for _, cells in table.rows],
                                                        [number for number, _ in table.rows])
                if mismatches.empty:
                    st.success("Alla avvikelser och summor i tabellen stämmer med raderna.")
                else:
                    st.warning(f"{count_text(len(mismatches), 'värde stämmer', 'värden stämmer')} inte med raderna.")
                    tables.show(quality.mismatch_table(mismatches), key="data_report_mismatches")

    with tab_log:
        tables.frame(import_panel.summary_frame(state.summary(key)), key="data_summary")
        st.subheader("Importlogg")
        import_panel.undo_panel(actor)
    with tabs["Register"]:
        register_panel.register_panel(actor, key)
    if "Granskningslogg" in tabs:
        with tabs["Granskningslogg"]:
            audit_panel()
    # The month the sidebar's papers and nämndläge are made for, beside the latest booked (2026-12-07 walk: the
    # sidebar said July, the footer August).
    shown = period.chosen(key)
    layout.footer(key, period=Month(*shown) if shown else None)
