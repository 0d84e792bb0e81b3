"""Jämförelse: the controllers' settings of the comparison and the button that fetches from Kolada."""

from __future__ import annotations

import streamlit as st

from data_access import kolada
from domain import comparison
from domain.access import IMPORT, AccessDenied
from domain.markup import escape
from settings import get_settings
from ui import layout, state

YEARS_BACK = 6  # five years of trend and the year before, for the latest year Kolada may not have yet


def client() -> kolada.Client:
    settings = get_settings()
    return kolada.Client(settings.kolada_url, timeout=settings.kolada_timeout)


def settings_section(actor, current: kolada.Settings, activities: list[str], latest_year: int) -> None:
    """How the values are fetched, the button that fetches them, and the settings."""
    st.markdown("Värdena hämtas från Koladas öppna API när du trycker på knappen (aldrig när sidan öppnas) "
                "och sparas i databasen med tid och källa. Utan internet: spara svaret eller exporten från "
                "kolada.se och läs in filen under Data (typen Kolada).")
    layout.documentation("Nyckeltalen och hur jämförelsen räknas", "jamforelse.md", "Nyckeltalen",
                         "Hur jämförelsen räknas", "I år, innan Kolada har siffran")
    fetch_button(actor, current, latest_year)
    settings_form(actor, current, activities)


def settings_form(actor, current: kolada.Settings, activities: list[str]) -> None:
    """Our kommun's Kolada id, the comparison group (Kolada's own group by its id, or kommuner by code)
    and the verksamheter whose forecast is compared with Kolada's net cost for IFO."""
    if not layout.role_notice(actor, IMPORT, "ser jämförelsen",
                              "ändra dess inställningar eller hämta från Kolada"):
        return
    done = st.session_state.pop("comparison_done", None)
    if done:
        st.success(done)
    with st.form("comparison_settings"):
        own = st.text_input("Kommunens id i Kolada (fyra siffror, t.ex. 0188)", value=current.municipality)
        group_id = st.text_input("Koladas kommungrupp (id som börjar med G, se kolada.se); gruppens kommuner "
                                 "hämtas från Kolada", value=current.group_id)
        members = st.text_input("… eller egna jämförelsekommuner (id, kommaseparerade)",
                                value="" if current.group_id else ",".join(current.group))
        name = st.text_input("Gruppens namn i panelen", value=current.group_name)
        chosen = st.multiselect("Verksamheter som hör till individ- och familjeomsorgen (för årets uppskattning; "
                                "inga valda = de i området individ- och familjeomsorg)", activities,
                                default=[a for a in (current.scope or ()) if a in activities],
                                placeholder="Välj verksamheter", select_all=False)  # its label is English
        if not st.form_submit_button("Spara inställningarna", type="primary"):
            return
    try:
        if group_id.strip() and members.strip():
            raise kolada.SettingsError("Ange antingen Koladas kommungrupp eller egna jämförelsekommuner, inte båda.")
        group, title = [m.strip() for m in members.split(",") if m.strip()], name
        if group_id.strip():
            chosen_group = kolada.checked_group_id(group_id)
            try:
                found = client().group(chosen_group)
            except kolada.KoladaError as error:
                raise kolada.SettingsError(f"{error} Utan kontakt med Kolada: ange jämförelsekommunerna själv med "
                                           "deras koder.") from None
            group, title = [m for m, _ in found.members], name or found.title
        kolada.save_settings(state.engine(), actor, municipality=own, group=group, group_name=title,
                             group_id=group_id.strip(), scope=chosen or None)
    except (kolada.SettingsError, AccessDenied) as error:
        st.error(escape(str(error)))
        return
    st.session_state["comparison_done"] = "Inställningarna är sparade."
    st.rerun()


def fetch_button(actor, current: kolada.Settings, latest_year: int) -> None:
    """Fetch the KPIs from Kolada now (never on page load); the values are imported like a file."""
    if not actor.may(IMPORT) or not current.ready:
        return
    if not st.button("Hämta från Kolada nu", icon=":material/cloud_download:", key="comparison_fetch"):
        return
    years = range(latest_year - YEARS_BACK, latest_year + 1)
    with st.spinner("Hämtar från Kolada …"):
        try:
            result = kolada.fetch(state.engine(), actor, client(), comparison.FETCHED, years)
        except (kolada.KoladaError, kolada.SettingsError, AccessDenied) as error:
            st.error(escape(str(error)))
            return
    if result.ok:
        st.session_state["comparison_done"] = result.message
        st.rerun()
    st.error(escape(result.message) + "".join(f"\n\n{escape(str(p))}" for p in result.problems[:10]))
