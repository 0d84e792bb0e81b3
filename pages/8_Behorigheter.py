"""Vem får läsa in siffror, spara prognoser och dela ut roller?"""

import streamlit as st

from data_access.roles import RoleError, assignments, set_role
from domain.access import MANAGE_ROLES, ROLES, AccessDenied, roles_table
from domain.markup import escape
from settings import get_settings
from ui import auth, layout, state, tables

layout.setup("Behörigheter")

ROLE_HELP = {
    "läsare": "ser allt men ändrar inget (förvalt för alla som loggar in)",
    "controller": "läser in filer, sparar prognosversioner, scenarier och kommentarer",
    "admin": "som controller, och delar ut roller",
}

with layout.guard():
    st.title("Behörigheter")
    actor = auth.actor()
    if not actor.may(MANAGE_ROLES):
        st.info(f"Du har rollen {actor.role}. Bara en administratör kan se och ändra behörigheter.")
        st.stop()
    if not auth.login_configured():
        st.info("Lokalt läge: ingen inloggning är inställd, så rollerna nedan gäller först när panelen körs med "
                "inloggning (se README, Inloggning). De kan förberedas här.")
    st.markdown("\n".join(f"- **{role}**: {text}" for role, text in ROLE_HELP.items()))
    admins = sorted(get_settings().admins)
    if admins:
        st.caption("Administratörer enligt inställningen NAMNDPANELEN_ADMIN (alltid admin): "
                   + ", ".join(escape(admin) for admin in admins))

    with st.form("roles_form", clear_on_submit=True):
        columns = st.columns([3, 2])
        identity = columns[0].text_input("E-postadress eller användar-id", key="roles_identity",
                                         placeholder="fornamn.efternamn@kommun.se")
        role = columns[1].selectbox("Roll", ROLES, index=1, key="roles_role", placeholder="Välj")
        submitted = st.form_submit_button("Spara roll", type="primary")
    if submitted:
        try:
            stored = set_role(state.engine(), actor, identity, role)
        except (RoleError, AccessDenied) as error:
            st.error(escape(error))
        else:
            st.success(f"{escape(stored)} har nu rollen {role}.")

    current = assignments(state.engine())
    st.subheader("Tilldelade roller")
    if current.empty:
        st.caption("Inga roller är tilldelade ännu: alla som loggar in är läsare.")
    else:
        tables.show(roles_table(current), key="roles_table")
        st.caption("Sätt rollen läsare för att ta bort en tilldelning. Varje ändring står i granskningsloggen "
                   "på sidan Data.")
