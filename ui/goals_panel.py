"""Mål och indikatorer: one inriktningsmål as the delårsrapport prints it, and the controllers' form
for changing a bedömning, a status or a comment (each change dated, signed and kept)."""

from __future__ import annotations

import streamlit as st

from data_access import goals as stored_goals
from data_access.formats import ITEM_PLANS, ITEM_STATUSES
from domain import goals
from domain.access import ASSESS_GOALS, AccessDenied
from domain.markup import escape, escape_lines
from ui import layout, state, tables

SPARKLINE = "Månader"
PAGE = "pages/6_Mal_och_indikatorer.py"
_LEVEL_LABELS = {"indikator": "En indikator", "mal": "Ett inriktningsmål", "uppdrag": "Ett uppdrag eller initiativ"}
_KEEP = "(behåll)"
# The value widgets in the page's tabs, kept across a look at another tab (``layout.tabs``).
KEPT = ("goal_area", "goal_responsible", "goal_note_level", *(f"goal_note_name_{level}" for level in _LEVEL_LABELS),
        "goal_note_assessment", "goal_note_status", "goal_note_plan", "goal_note_comment")


def goal_section(goal: goals.Goal, section: goals.GoalSection) -> None:
    """An inriktningsmål: its bedömning with symbol and ground, its indicators and its uppdrag/initiativ
    (``section``: the goal's tables, made once for every session)."""
    assessment = goal.assessment
    st.subheader(escape(f"{assessment.symbol} {goal.name}"), anchor=f"mal-{goal.slug}")
    changed = (f"Regeln gav {goal.suggested.symbol} {goal.suggested.value.lower()} "
               f"({goal.suggested.basis}).") if goal.suggested else ""
    st.markdown(f"**Bedömning: {escape(assessment.value)}** · {escape(assessment.basis.rstrip('.'))}. "
                f"{escape(changed)}  \n"
                f"Målområde: {escape(goal.area or 'inget angivet')}")
    st.page_link(PAGE, label="Länk till målet", icon=":material/link:", query_params={"mal": goal.slug})
    if goal.comment:
        st.caption(escape_lines(goals.goal_comment_line(goal)))
    if section.indicators is not None:
        tables.show(section.indicators, key=f"goal_table_{goal.slug}",
                    lines=(SPARKLINE, [i.series for i in goal.indicators]))
        for line in section.comments:
            st.caption(escape_lines(line))
    if section.items is not None:  # a few rows of long names and comments, set whole (2026-12-06 walk: the grid
        tables.show(section.items, key=f"goal_items_{goal.slug}", wrap=True)  # cut them at its edge)


def items_section(view: goals.PageView) -> None:
    """The uppdrag and nämndinitiativ by status and plan, and those no inriktningsmål holds."""
    st.subheader("Uppdrag och nämndinitiativ")
    tables.show(view.items_summary, key="goal_items_summary")
    if view.orphan_items is not None:
        st.markdown(f"**{escape(view.orphan_items.title)}**")
        tables.show(view.orphan_items, key="goal_orphans", wrap=True)


def computed_section(view: goals.PageView, year: int) -> None:
    """The indicators the panel computes itself (those no goal holds) and how every indicator is judged."""
    if view.indicators is not None:
        st.subheader("Indikatorer som panelen beräknar" if view.built else f"Nämndens indikatorer {year}")
        tables.show(view.indicators, key="goal_indicators", lines=(SPARKLINE, [i.series for i in view.unplaced]))
    st.subheader("Så bedöms och räknas indikatorerna")
    st.markdown("\n".join(f"- {escape(point)}" for point in goals.RULE_POINTS))
    tables.show(view.formulas, key="goal_formulas", wrap=True)


def five_percent_section(view: goals.PageView) -> None:
    """The nämnd's rule: the delår 2 forecast within 5 % of December's result, year by year."""
    st.subheader("Regeln om 5 %")
    layout.headline(view.five_percent_sentence)
    st.markdown("Nämndens indikator, ordagrant ur delårsrapporten: *”Avvikelse mellan prognos per delår 2 och "
                "fastställt resultat per december ska inte avvika mer än 5\u00a0%.”* Prognosen i augusti får alltså "
                "hamna högst 5\u00a0% från årets fastställda resultat.")
    tables.show(view.five_percent, key="goal_five_percent")
    st.caption("Prognosen är den senast låsta versionen per delår 2 (augusti) som sparades under året, med sin "
               "grund (verksamheternas eller den statistiska prognosen); en version som låses efter årets slut "
               "ersätter den inte (av versioner som alla sparats i efterhand gäller den först låsta). Utfallet är "
               "årets bokförda nettokostnad när alla tolv månader är bokförda. Lås den prognos som delårsrapporten "
               "bygger på under Prognos › Spara version när delår 2 är klart.")


_LINK_SHOWN = "goal_link_shown"


def linked_goal() -> str | None:
    """The link name of the goal in the address (?mal=7.3), or None. Set again, so that the browser's address
    bar shows it after "Länk till målet" (a link within the page leaves the bar as it was): the address is
    what a reader copies and sends."""
    linked = st.query_params.get("mal")
    if not linked:
        st.session_state.pop(_LINK_SHOWN, None)
    elif st.session_state.get(_LINK_SHOWN) != linked:  # once per visit to the goal, not on every rerun
        st.query_params["mal"] = linked
        st.session_state[_LINK_SHOWN] = linked
    return linked


def show_all_button() -> None:
    """Back from one goal's link to every goal: the address loses its ?mal=."""
    st.button("Visa alla mål", icon=":material/list:", key="goal_show_all", on_click=st.query_params.clear)


def _change(container, label: str, options, key: str, current: str | None) -> str | None:
    """A choice of a new value, first "Behåll: <today's value>"; None when the value is kept."""
    chosen = container.selectbox(label, [_KEEP, *options], key=key,
                                 format_func=lambda option: goals.keep_label(current) if option == _KEEP else option,
                                 placeholder="Välj")
    return None if chosen == _KEEP else chosen


def note_form(actor, built: tuple[goals.Goal, ...], orphans: tuple, year: int) -> None:
    """Change a bedömning (an indicator's or an inriktningsmål's), an uppdrag's status and plan, or add a
    comment: the comment is required, and the change is dated, signed and kept with its history."""
    if not layout.role_notice(actor, ASSESS_GOALS, "ser bedömningarna", "ändra dem"):
        return
    done = st.session_state.pop("goal_note_done", None)
    if done:
        st.success(done)
        # A saved change empties the form (set, not deleted: the browser keeps a deleted widget's text), so
        # that a second click on Spara cannot save the same change again.
        st.session_state["goal_note_comment"] = ""
        for field in ("goal_note_assessment", "goal_note_status", "goal_note_plan"):
            st.session_state[field] = _KEEP
    level = st.radio("Vad gäller ändringen?", list(_LEVEL_LABELS), format_func=_LEVEL_LABELS.get, horizontal=True,
                     key="goal_note_level")
    targets = goals.note_targets(built, orphans, level)
    if not targets:
        st.caption("Det finns inget att bedöma på den nivån ännu.")
        return
    name = st.selectbox("Välj", list(targets), key=f"goal_note_name_{level}", placeholder="Välj")
    current = targets[name]
    assessment = status = plan = None
    if level in ("indikator", "mal"):
        assessment = _change(st, "Ny bedömning", goals.ASSESSMENTS, "goal_note_assessment", current.get("assessment"))
    else:
        left, right = st.columns(2)
        status = _change(left, "Status", dict.fromkeys(ITEM_STATUSES.values()), "goal_note_status",
                         current.get("status"))
        plan = _change(right, "Prognos för slutförande", dict.fromkeys(ITEM_PLANS.values()), "goal_note_plan",
                       current.get("plan"))
    comment = st.text_area("Kommentar (krävs; visas med dagens datum)", key="goal_note_comment", max_chars=2000)
    if st.button("Spara", key="goal_note_save"):
        try:
            stored_goals.add_note(state.engine(), actor=actor, level=level, name=current["stored"], year=year,
                                  comment=comment, assessment=assessment, status=status, plan=plan)
        except (stored_goals.GoalNoteError, AccessDenied) as refusal:
            st.error(escape(str(refusal)))
            return
        st.session_state["goal_note_done"] = f"Sparat: {escape(name)}."
        st.rerun()

