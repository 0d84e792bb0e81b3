"""The meeting papers from the browser: a button that builds them with progress, then the downloads."""

from __future__ import annotations

import streamlit as st

from domain.access import SEE_AUDIT
from domain.forecast_view import unlocked_papers_notice
from domain.markup import escape
from ui import auth, layout, state
from ui.period import chosen, closed_year_notice

_STORE = "_papers"


def papers_panel(key, *, prefix: str) -> None:
    """Build the PDF and the workbook on request; offer them only when both are complete.

    The workbook carries the import log and the audit trail only when asked for, by those who may see them
    (controller and admin): the papers go out to the nämnd and become public records, the logs are for the
    auditors. The audit trail's latest checksum is in the papers either way.
    """
    from reports.papers import build

    period = chosen(key)
    if period is None:
        return
    year, month = period
    closed = closed_year_notice(key, "Mötespapperen gäller")
    if closed:
        st.caption(escape(closed))
    else:  # a year still open: without a locked version the papers state the preliminary forecast
        official = state.official_forecast(key, year, month, wait=False)
        unlocked = unlocked_papers_notice(official is not None and official.locked, year, month,
                                          state.rule_judges_managers(key, year, month, official))
        if unlocked:
            st.caption(escape(unlocked))
    logs = auth.actor().may(SEE_AUDIT) and st.checkbox(
        "Med importlogg och granskningslogg (för revisionen, inte för utskick)", key=f"{prefix}_papers_logs")
    wanted = (key, period, logs)
    if st.button("Skapa mötespapper (PDF och Excel)", key=f"{prefix}_papers_build", width="stretch"):
        progress = st.progress(0.0, text="Förbereder …")
        try:
            layout.await_forecasts(key, year, month, ("nämnd", "kategorier"))
            pack = state.meeting_pack(key, state.scenarios_key(), year, month, state.versions_key(),
                                      state.goal_notes_key(), state.comparison_settings())
            papers = build(pack, state.import_log(key) if logs else None,
                           progress=lambda share, text: progress.progress(share, text),
                           trail=state.audit_entries() if logs else None, chain=state.audit_chain())
        except Exception:  # the papers are all or nothing: nothing half-written is offered
            state.LOG.exception("Mötespapperen kunde inte skapas")
            st.error("Mötespapperen kunde inte skapas. Felet är loggat på servern.")
            return
        finally:
            progress.empty()
        st.session_state[_STORE] = (wanted, papers)
    stored = st.session_state.get(_STORE)
    if stored and stored[0] == wanted:
        papers = stored[1]
        for warning in papers.warnings:
            st.warning(warning)
        name = f"namndpapper_{year}-{month:02d}"
        st.download_button("Ladda ner PDF", papers.pdf, file_name=f"{name}.pdf", mime="application/pdf",
                           key=f"{prefix}_papers_pdf", width="stretch")
        st.download_button("Ladda ner Excel", papers.xlsx, file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"{prefix}_papers_xlsx", width="stretch")
