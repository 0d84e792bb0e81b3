"""The Scenarier page's controls: assumptions per category and in general, saved scenarios.

When an assumption moves, only the result reruns (the inputs and the result are fragments of
their own); the base forecast behind them is cached and never refitted.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.scenarios import (
    AlreadySaved,
    ScenarioStoreError,
    delete_scenario,
    rename_scenario,
    save_scenario,
    set_for_meeting,
)
from domain import scenarios as sc
from domain.access import SAVE_SCENARIO, AccessDenied
from domain.formatting import (
    format_kr,
    format_mnkr,
    format_number,
    format_percent,
    format_tkr,
)
from domain.markup import escape
from domain.periods import MONTH_NAMES
from ui import auth, charts, layout, state, tables
from ui.inputs import count_slider, whole_number, whole_number_input

GENERAL = {"scen_personnel": "0", "scen_grants": "0", "scen_migration": "0", "scen_sick": 0.0}
# The typed amounts in tkr: label and range.
AMOUNTS = {"scen_personnel": ("Ökade personalkostnader, tkr (t.ex. konsulter)", -50_000, 50_000),
           "scen_grants": ("Ändrat statsbidrag, tkr (negativt = uteblir)", -100_000, 100_000),
           "scen_migration": ("Ändrad ersättning från Migrationsverket, tkr", -100_000, 100_000)}
CATEGORY_WIDGETS = {"scen_days": "days_pct", "scen_place": "placements", "scen_from": "from_month",
                    "scen_price": "price_pct"}
DAYS_STEPS = list(range(-50, 51))
PRICE_STEPS = [x / 2 for x in range(-40, 41)]
SICK_STEPS = [x / 10 for x in range(-50, 51)]
STORE = "_scen_store"  # category → assumption; outlives the widgets, which show one category at a time
COMPARED = 3  # scenarios side by side at most
INPUTS = "scen_inputs"  # the two fragments' keys
RESULT = "scen_result"
METRIC_HEIGHT = 116  # px: a figure with its change below it


def percent_label(value: float) -> str:
    return format_percent(value / 100, 0 if float(value).is_integer() else 1, plus=True)


def points_label(value: float) -> str:
    return f"{format_number(value, 1, plus=True)} procentenheter"


# The sliders' labels, formatted once: Streamlit formats every option on every rerun.
DAYS_LABELS = {value: percent_label(value) for value in DAYS_STEPS}
PRICE_LABELS = {value: percent_label(value) for value in PRICE_STEPS}
SICK_LABELS = {value: points_label(value) for value in SICK_STEPS}
MONTH_LABELS = {month: MONTH_NAMES[month - 1] for month in range(1, 13)}


def neutral(first_month: int) -> dict[str, float]:
    return {"days_pct": 0, "placements": 0, "from_month": first_month, "price_pct": 0.0}


def show_category(first_month: int) -> None:
    """Put the chosen category's stored assumption into the widgets."""
    chosen = st.session_state["scen_category"]
    values = st.session_state[STORE].get(chosen, neutral(first_month))
    for widget, field in CATEGORY_WIDGETS.items():
        st.session_state[widget] = values[field]


def remember(first_month: int) -> None:
    """Store the widgets' values for the chosen category."""
    chosen = st.session_state["scen_category"]
    st.session_state[STORE][chosen] = {field: st.session_state[widget] for widget, field in CATEGORY_WIDGETS.items()}
    if st.session_state[STORE][chosen] == neutral(first_month):
        del st.session_state[STORE][chosen]


def reset(first_month: int) -> None:
    st.session_state[STORE] = {}
    for key_name, value in GENERAL.items():
        st.session_state[key_name] = value
    st.session_state["scen_meeting"] = False
    show_category(first_month)


def load(assumptions: dict, first_month: int, name: str = "") -> None:
    try:
        scenario = sc.Scenario.from_dict(assumptions)
    except sc.ScenarioError as error:  # stored by another version, or changed outside the app
        st.session_state["scen_saved_error"] = f'Scenariot "{escape(name)}" kan inte hämtas: {escape(error)}.'
        return
    st.session_state[STORE] = {name: {"days_pct": int(round(a.days_pct)), "placements": int(round(a.placements)),
                                      "from_month": max(first_month, int(a.from_month)), "price_pct": float(a.price_pct)}
                               for name, a in scenario.categories.items()}
    st.session_state["scen_personnel"] = format_number(scenario.personnel_kr / 1000)
    st.session_state["scen_grants"] = format_number(scenario.state_grants_kr / 1000)
    st.session_state["scen_migration"] = format_number(scenario.migration_kr / 1000)
    st.session_state["scen_sick"] = float(scenario.sick_leave_points)
    # The sliders show a category the scenario changes (2026-12-06 walk: they stayed at a category it leaves
    # alone and showed 0, as if nothing had been loaded).
    changed = list(st.session_state[STORE])
    if changed and st.session_state.get("scen_category") not in changed:
        st.session_state["scen_category"] = changed[0]
    show_category(first_month)


def read_scenario() -> sc.Scenario:
    categories = {name: sc.CategoryAssumption(days_pct=float(v["days_pct"]), placements=float(v["placements"]),
                                              from_month=int(v["from_month"]), price_pct=float(v["price_pct"]))
                  for name, v in st.session_state[STORE].items()}
    amounts, wrong = {}, []
    for key_name in AMOUNTS:  # every field that cannot be read is named, not only the first
        try:
            amounts[key_name] = typed_tkr(key_name)
        except sc.ScenarioError as error:
            wrong.append(str(error))
    if wrong:
        raise sc.ScenarioError(". ".join(wrong))
    return sc.Scenario(categories=categories,
                       personnel_kr=1000.0 * amounts["scen_personnel"],
                       state_grants_kr=1000.0 * amounts["scen_grants"],
                       migration_kr=1000.0 * amounts["scen_migration"],
                       sick_leave_points=float(st.session_state["scen_sick"]))


def typed_tkr(key_name: str) -> int:
    label, low, high = AMOUNTS[key_name]
    try:
        return whole_number(st.session_state[key_name], low, high)
    except ValueError as error:
        raise sc.ScenarioError(f"{label.split(',')[0]}: {error} (hela tkr: {format_number(1500)} är "
                               f"{format_mnkr(1_500_000)})") from None


def prepare(names: list[str], year: int, month: int) -> int:
    """Start every widget from "no change" and drop assumptions for months already closed.

    Returns the first month the assumptions can apply to. A widget without a value would start
    at its minimum.
    """
    first_month = month + 1
    st.session_state.setdefault(STORE, {})
    moved = st.session_state.get("_scen_period") != (year, month)
    if moved:
        st.session_state[STORE] = {name: v for name, v in st.session_state[STORE].items()
                                   if name in names and v["from_month"] >= first_month}
        st.session_state["_scen_period"] = (year, month)
    for key_name, value in GENERAL.items():
        st.session_state.setdefault(key_name, value)
    if st.session_state.get("scen_category") not in names:
        st.session_state["scen_category"] = names[0]
    # Another period: a category with no assumption starts from the new period's first open month (with July
    # booked, "från och med" stayed at September after August's), one with an assumption keeps its own.
    if moved or any(widget not in st.session_state for widget in CATEGORY_WIDGETS) or \
            st.session_state.get("scen_from") not in range(first_month, 13):
        show_category(first_month)
    return first_month


def show_result() -> None:
    """Rerun only the result when the interaction was a rerun of the inputs alone.

    A widget inside a fragment asks for that fragment's rerun; here the result is what has to
    be redrawn, as the widget itself already shows its new value. When the whole page is
    rerunning (a button outside the panel was clicked while a number was being typed), the
    whole page must still run, so the rerun is left as it is. A callback that sets a widget's
    value must not narrow its rerun: the new value is sent with the run the interaction started.
    """
    context = get_script_run_ctx()
    if context is not None and context.fragment_ids_this_run:
        st.rerun(scope=RESULT)


def remember_and_show(first_month: int) -> None:
    remember(first_month)
    show_result()


def panel(inputs: sc.ScenarioInputs, names: list[str], first_month: int) -> None:
    """Assumptions on the left, their effect on the right.

    Each side is a fragment of its own. Moving an assumption reruns only the result; choosing
    another category reruns only the inputs, which then show that category's assumption; the
    reset reruns the page. The forecast behind both is cached and never refitted.
    """
    left, right = st.columns([0.46, 0.54], gap="small")  # the longest category name fits at 1280 px
    with left:
        assumptions(inputs, names, first_month)
        # Outside the fragments: a reset sets every input, so the whole page reruns.
        st.button("Återställ till grundprognosen", key="scen_reset", on_click=reset, args=(first_month,))
    with right:
        effect(inputs)


@st.fragment(key=INPUTS)
def assumptions(inputs: sc.ScenarioInputs, names: list[str], first_month: int) -> None:
    months = list(range(first_month, 13))
    st.markdown("**Placeringar, resten av året**")
    st.selectbox("Insatskategori", names, key="scen_category", on_change=show_category, args=(first_month,),
                 placeholder="Välj")
    st.select_slider("Ändring av dygn", DAYS_STEPS, key="scen_days", format_func=DAYS_LABELS.__getitem__,
                     on_change=remember_and_show, args=(first_month,))
    columns = st.columns(2)
    count_slider("Antal placeringar", -20, 20, key="scen_place", on_change=remember_and_show,
                 args=(first_month,), container=columns[0],
                 help="Fler (+) eller färre (−) placeringar än i grundprognosen, t.ex. −2 om två avslutas.")
    columns[1].selectbox("från och med", months, key="scen_from", format_func=MONTH_LABELS.__getitem__,
                         on_change=remember_and_show, args=(first_month,), placeholder="Välj")
    st.select_slider("Ändring av à-pris", PRICE_STEPS, key="scen_price", format_func=PRICE_LABELS.__getitem__,
                     on_change=remember_and_show, args=(first_month,))
    st.markdown("**Övrigt, resten av året**")
    for key_name, (label, low, high) in AMOUNTS.items():
        whole_number_input(label, low, high, key=key_name, on_change=show_result)
    st.select_slider("Ändrad sjukfrånvaro", SICK_STEPS, key="scen_sick", format_func=SICK_LABELS.__getitem__,
                     on_change=show_result,
                     help=f"Värderas till {format_kr(inputs.hourly_cost_kr)} per sjuktimme (timkostnaden på sidan "
                   "Sjukfrånvaro).")


@st.fragment(key=RESULT)
def effect(inputs: sc.ScenarioInputs) -> None:
    try:
        scenario = read_scenario()
        result = sc.compute(scenario, inputs)
    except sc.ScenarioError as error:
        st.error(escape(error))
        return
    layout.headline(sc.summary_sentence(scenario, result, inputs))
    # Two columns of two figures (fewer blocks to send on every move than a grid of rows). The
    # first figure of each has room for a change below it, so that the second ones line up.
    left, right = st.columns([0.52, 0.48])  # the change below the first figure needs the room
    # The sign convention of every page: a result against budget is positive when it is a surplus; a
    # year-end forecast is in tkr with the report's sign, the same figure as on Budget mot utfall and Prognos.
    # Short labels, whole at 1280 px: the sentence above says that these are the scenario's figures.
    left.metric("Resultat mot budget", format_mnkr(result.variance, plus=True),
                delta=format_mnkr(result.point - inputs.base_point, plus=True) + " mot grundprognos",
                delta_arrow="off", delta_color="normal" if result.point >= inputs.base_point else "inverse",
                height=METRIC_HEIGHT)
    left.metric("Budgetföljsamhet", format_percent(result.adherence, plus=True))
    right.metric("Helårsprognos med scenariot", format_tkr(result.point), height=METRIC_HEIGHT)
    right.metric("Grundprognos, helår", format_tkr(inputs.base_point))
    # In the words of the slides' legend ("Sannolikt intervall (8 av 10)"): P10–P90 alone was jargon to the nämnd.
    st.markdown(f"Inom det sannolika intervallet (8 av 10, P10–P90): **{sc.yes_no(result.within_base_interval)}"
                "** · "
                f"Inom\u00a0±5\u00a0% av grundprognosen: **{'ja' if result.within_target_band else 'nej'}**")
    figure = state.bridge_figure(inputs.base_label, inputs.base_point, tuple(map(tuple, result.steps)),
                                 "Med scenariot", result.point, inputs.budget)
    charts.show(figure, key="scen_bridge")
    changed = st.session_state[STORE]
    caption = ("Ändrade kategorier: " + ", ".join(escape(name) for name in sorted(changed)) + ". ") if changed else ""
    st.caption(caption + "Stegen räknas på prognosens simulerade utfall utan att modellen skattas om: dygn "
               "värderas till kategorins prognostiserade à-pris, prisändringar gäller resten av årets dygn.")


def _save(key: tuple[str, int], inputs: sc.ScenarioInputs, year: int, month: int) -> None:
    """The save button's callback: save the sliders as a named scenario and say how it went."""
    name = st.session_state.get("scen_name", "")
    meeting = bool(st.session_state.get("scen_meeting", False))
    try:
        scenario = read_scenario()
        sc.validate(scenario, inputs)
        versions = state.versions(key, state.versions_key())
        same = versions[(versions["year"] == year) & (versions["cutoff_month"] == month)] \
            if not versions.empty else versions
        scenario_id, saved_as = save_scenario(
            state.engine(), actor=auth.actor(), name=name, year=year, cutoff_month=month,
            base_label=inputs.base_label, assumptions=scenario.to_dict(),
            base_version_id=int(same["id"].iloc[-1]) if len(same) else None, for_meeting=meeting)
    except AlreadySaved as already:
        st.session_state["scen_saved_info"] = escape(already)
    except (ScenarioStoreError, AccessDenied, sc.ScenarioError) as error:
        st.session_state["scen_saved_error"] = escape(error)
    else:
        wanted = " ".join(name.split())
        message = (f'Scenariot sparades som "{escape(saved_as)}".' if saved_as == wanted else
                   f'Namnet "{escape(wanted)}" fanns redan; scenariot sparades som "{escape(saved_as)}".')
        if meeting:
            message += " Det visas på nämndmötet."
        st.session_state["scen_saved_success"] = message
        st.session_state["scen_name"] = ""
        st.session_state["scen_meeting"] = False
        st.session_state["scen_chosen"] = scenario_id


def save_and_load(key: tuple[str, int], inputs: sc.ScenarioInputs, saved: pd.DataFrame, year: int, month: int,
                  first_month: int) -> None:
    """Save the current assumptions as a named scenario; load, rename or delete a saved one."""
    actor = auth.actor()
    may_save = actor.may(SAVE_SCENARIO)
    if not may_save:
        st.caption(f"Du har rollen {actor.role}: du kan pröva scenarier och hämta sparade till reglagen, men "
                   "spara, byta namn och ta bort kräver rollen controller.")
    for kind in ("success", "info", "error"):
        said = st.session_state.pop(f"scen_saved_{kind}", None)
        if said:
            getattr(st, kind)(said)
    columns = st.columns(2)
    columns[0].text_input("Scenariots namn", key="scen_name", disabled=not may_save,
                          placeholder="t.ex. Två HVB avslutas från oktober")
    columns[1].checkbox("Visa på nämndmötet", key="scen_meeting", disabled=not may_save)
    if may_save:
        # Saved in the button's callback, before the page is drawn again, so that the name field and the
        # meeting box can be emptied and the list can show the scenario just saved.
        st.button("Spara scenario", type="primary", key="scen_save", on_click=_save, args=(key, inputs, year, month))
    if saved.empty:
        st.caption(f"Inga sparade scenarier för {year}.")
    else:
        labels = {int(r.id): f"{r.name} ({r.author})" for r in saved.itertuples()}
        if st.session_state.get("scen_chosen") not in labels:
            st.session_state.pop("scen_chosen", None)  # deleted, or saved for another year
        # Nothing chosen until the user chooses: a first scenario chosen unasked was renamed by mistake.
        chosen = st.selectbox("Sparade scenarier", list(labels), format_func=labels.get, key="scen_chosen",
                              index=None, placeholder="Välj ett sparat scenario")
        if chosen is None:
            return
        row = saved[saved["id"] == chosen].iloc[0]
        st.caption(escape(sc.saved_note(row["author"], row["created_at"], row["base_label"], inputs.base_label)))
        if st.session_state.get("scen_delete_asked") == int(chosen):  # above the buttons, where the eye is
            shown = " Det visas på nämndmötet och försvinner därifrån." if row["for_meeting"] else ""
            st.warning(f'Ta bort scenariot "{escape(row["name"])}"?{shown} Borttaget kan det inte hämtas tillbaka.')
            yes, no = st.columns(2)
            yes.button("Ja, ta bort", key="scen_delete_confirm", type="primary", on_click=_delete,
                       args=(int(chosen), row["name"]))
            no.button("Avbryt", key="scen_delete_cancel", on_click=st.session_state.pop,
                      args=("scen_delete_asked", None))
        columns = st.columns(3)
        columns[0].button("Hämta till reglagen", key="scen_load", on_click=load,
                          args=(row["assumptions"], first_month, row["name"]))
        own = may_save and row["author"] == actor.identity
        shown_key = f"scen_shown_{int(chosen)}"
        st.session_state.setdefault(shown_key, bool(row["for_meeting"]))
        columns[0].checkbox("Visas på nämndmötet", key=shown_key, disabled=not own, on_change=show_at_meeting,
                            args=(int(chosen), shown_key))
        if own:
            # Renamed and deleted in the buttons' callbacks, before the page is drawn again, so that the list
            # and the comparison show the new name at once (done after them, the list kept the old one).
            columns[1].text_input("Nytt namn", key="scen_new_name", label_visibility="collapsed",
                                  placeholder="Nytt namn")
            columns[1].button("Byt namn", key="scen_rename", on_click=_rename, args=(int(chosen),))
            # Asked first (above), naming the scenario and whether the meeting shows it (2026-12-06 walk: one
            # click took a scenario marked for the meeting, and the message did not say which).
            columns[2].button("Ta bort", key="scen_delete", on_click=_ask_delete, args=(int(chosen),))
        elif may_save:
            columns[1].caption(f"Bara {escape(row['author'])}, som sparade scenariot, kan byta namn på eller ta bort "
                               "det.")


def _rename(scenario_id: int) -> None:
    try:
        name = rename_scenario(state.engine(), scenario_id, st.session_state.get("scen_new_name", ""), auth.actor())
    except (ScenarioStoreError, AccessDenied) as error:
        st.session_state["scen_saved_error"] = escape(error)
    else:
        st.session_state["scen_saved_success"] = f'Scenariot heter nu "{escape(name)}".'
        st.session_state["scen_new_name"] = ""
        # Chosen again, so that the list's box is sent its new label: kept as it was, it showed the old name
        # under the message saying the new one (2026-12-06 walk).
        st.session_state["scen_chosen"] = scenario_id


def _ask_delete(scenario_id: int) -> None:
    st.session_state["scen_delete_asked"] = scenario_id


def _delete(scenario_id: int, name: str) -> None:
    st.session_state.pop("scen_delete_asked", None)
    try:
        delete_scenario(state.engine(), scenario_id, auth.actor())
    except (ScenarioStoreError, AccessDenied) as error:
        st.session_state["scen_saved_error"] = escape(error)
    else:
        st.session_state["scen_saved_success"] = f'Scenariot "{escape(name)}" är borttaget.'
        st.session_state.pop("scen_chosen", None)


def show_at_meeting(scenario_id: int, widget_key: str) -> None:
    try:
        set_for_meeting(state.engine(), scenario_id, bool(st.session_state[widget_key]), auth.actor())
    except (ScenarioStoreError, AccessDenied) as error:
        st.session_state[widget_key] = not st.session_state[widget_key]
        st.error(escape(error))


def compare(inputs: sc.ScenarioInputs, saved: pd.DataFrame) -> None:
    """Two or three saved scenarios side by side, computed on today's base forecast."""
    if saved.empty:
        st.caption("Spara minst två scenarier för att jämföra dem.")
        return
    # At most three, said here in Swedish: Streamlit's own limit says so in English in the list of choices.
    picked = st.multiselect("Välj två eller tre scenarier", list(saved["id"]), placeholder="Välj scenarier",
                            format_func=lambda i: saved.set_index("id").loc[i, "name"], key="scen_compare",
                            select_all=False)  # "Select all", in English, and more than three are not compared
    if len(picked) > COMPARED:
        st.warning("Högst tre scenarier jämförs åt gången: de tre först valda visas. Ta bort ett val för att "
                   "visa ett annat.")
        picked = picked[:COMPARED]
    named, assumed = [], []
    for scenario_id in picked:
        row = saved.set_index("id").loc[scenario_id]
        try:
            scenario = sc.Scenario.from_dict(row["assumptions"])
            named.append((row["name"], sc.compute(scenario, inputs)))
            assumed.append(scenario)
        except sc.ScenarioError as error:
            st.warning(f"{escape(row['name'])}: {escape(error)}")
    if named:
        tables.show(sc.comparison_table(named, assumed), key="scen_compare_table", wrap=True)
