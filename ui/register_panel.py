"""The Data page's register: verksamheter and insatskategorier, shown to all, kept by an admin."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.register import UNITS, ActivityEntry, CategoryEntry, RegisterError, remove, save_activity, \
    save_category
from domain.access import MANAGE_REGISTER, AccessDenied
from domain.formatting import format_number
from domain.markup import escape
from ui import state

NEW = "+ Ny …"  # a plain plus: the full-width one is missing from some systems' fonts


def _activities_frame(activities: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Ordning": [format_number(v) for v in activities["sort_order"]],
                         "Verksamhet": activities["activity"], "Område": activities["area"]})


def _categories_frame(categories: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Ordning": [format_number(v) for v in categories["sort_order"]],
                         "Kategori": categories["name"], "Grupp": categories["client_group"],
                         "Enhet": categories["unit"], "Verksamhet i bokföringen": categories["activity"]})


DONE = "data_reg_done"  # the last change's confirmation, shown above the register after the page is drawn again


def _run(action, success: str) -> None:
    try:
        action()
    except (RegisterError, AccessDenied) as refusal:
        st.error(escape(str(refusal)))
    else:
        st.session_state[DONE] = success
        st.rerun()


def register_panel(actor, key) -> None:
    st.markdown("Registret avgör vilka namn importerna känner igen. En import lägger bara till namn som "
                "controllern uttryckligen godkänner; här kan en admin lägga till namn i förväg, ändra område, "
                "ordning, grupp och enhet, ange vilken verksamhet i bokföringen som bär en insatskategoris "
                "kostnader, och ta bort namn som inget hänvisar till. Ändringar skrivs i granskningsloggen.")
    done = st.session_state.pop(DONE, None)
    if done:  # above the register, and in a toast where the window is scrolled down to the form
        st.success(escape(done))
        st.toast(escape(done))
    activities = state.activities(key)
    categories = state.categories(key)
    may_edit = actor.may(MANAGE_REGISTER)
    st.subheader("Verksamheter")
    st.dataframe(_activities_frame(activities), hide_index=True, width="stretch", key="data_reg_activities")
    if may_edit:
        _activity_form(actor, activities)
    st.subheader("Insatskategorier")
    st.dataframe(_categories_frame(categories), hide_index=True, width="stretch", key="data_reg_categories")
    if may_edit:
        _category_form(actor, activities, categories)
    else:
        st.caption("Registret ändras av en admin.")


def _choose(frame: pd.DataFrame, column: str, label: str, key: str):
    """The name chosen in a register (or a new one) and its stored row (None for a new name)."""
    chosen = st.selectbox(label, [NEW, *frame[column]], key=key, placeholder="Välj")
    return chosen, (frame[frame[column] == chosen].iloc[0] if chosen != NEW else None)


def _order(frame: pd.DataFrame, row, key: str) -> int:
    return st.number_input("Ordning", min_value=1, step=1,
                           value=int(len(frame) + 1 if row is None else row["sort_order"]), key=key)


def _activity_form(actor, activities: pd.DataFrame) -> None:
    with st.expander("Ändra eller lägg till en verksamhet"):
        chosen, row = _choose(activities, "activity", "Verksamhet", "data_reg_activity")
        with st.form("data_reg_activity_form"):
            name = st.text_input("Namn", value="" if row is None else row["activity"], disabled=row is not None,
                                 key=f"data_reg_activity_name_{chosen}")
            area = st.text_input("Område", value="" if row is None else row["area"],
                                 key=f"data_reg_activity_area_{chosen}")
            order = _order(activities, row, f"data_reg_activity_order_{chosen}")
            if st.form_submit_button("Spara verksamheten"):
                _run(lambda: save_activity(state.engine(), actor, ActivityEntry(name, area, int(order)),
                                           new=row is None),
                     f"{name} är sparad i registret.")
        if row is not None and st.button("Ta bort verksamheten", key="data_reg_activity_remove"):
            _run(lambda: remove(state.engine(), actor, "verksamhet", chosen), f"{chosen} är borttagen.")


def _category_form(actor, activities: pd.DataFrame, categories: pd.DataFrame) -> None:
    with st.expander("Ändra eller lägg till en insatskategori"):
        chosen, row = _choose(categories, "name", "Kategori", "data_reg_category")
        with st.form("data_reg_category_form"):
            name = st.text_input("Namn", value="" if row is None else row["name"], disabled=row is not None,
                                 key=f"data_reg_category_name_{chosen}")
            group = st.text_input("Grupp", value="" if row is None else row["client_group"],
                                  key=f"data_reg_category_group_{chosen}")
            unit = st.selectbox("Enhet", UNITS, index=UNITS.index(row["unit"]) if row is not None else 0,
                                key=f"data_reg_category_unit_{chosen}", placeholder="Välj")
            options = ["", *activities["activity"]]
            current = "" if row is None else row["activity"]
            activity = st.selectbox("Verksamhet i bokföringen", options,
                                    index=options.index(current) if current in options else 0,
                                    format_func=lambda v: v or "(ingen angiven)",
                                    key=f"data_reg_category_activity_{chosen}", placeholder="Välj")
            order = _order(categories, row, f"data_reg_category_order_{chosen}")
            if st.form_submit_button("Spara kategorin"):
                _run(lambda: save_category(state.engine(), actor, CategoryEntry(name, group, unit, activity,
                                                                                int(order)), new=row is None),
                     f"{name} är sparad i registret.")
        if row is not None and st.button("Ta bort kategorin", key="data_reg_category_remove"):
            _run(lambda: remove(state.engine(), actor, "kategori", chosen), f"{chosen} är borttagen.")
