"""The Data page's import: upload, see what the file would change, accept each warning, save; and undo.

Nothing is written before the controller has seen the plan and accepted every warning one by
one. The import log lists every saved import with a button to undo it (with a reason).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.formats import FORMATS, MANY_PROBLEMS, column_label, where_problems_lie
from data_access.importer import (ImportPlan, import_file, import_history, plan_effect, plan_import,
                                  preview_revert, revert_import)
from domain.access import IMPORT, AccessDenied
from domain.tables import KIND_NAMES, Column, Table, import_log_table
from domain.formatting import count_text, format_number, format_number_short, format_timestamp, format_tkr
from domain.markup import escape
from domain.quality import imported_sentence, lagging_sources, leading_sources
from domain.periods import long_month_label, month_label
from ui import layout, period, state, tables
from ui.upload import file_uploader

# In the order of the controller's work: the month's books and the verksamheternas prognos first, then the
# placements, the staff, the goals and the comparison (the formats' own order put the prognos ninth).
KIND_LABELS = {
    "utfall": "Utfall (bokfört per månad)", "budget": "Budget (år eller månad)",
    "prognos": "Prognos (verksamheternas egen)", "volymer": "Volymer (dygn och kostnad)",
    "volymbudget": "Volymbudget (dygn och à-pris)", "volymprognos": "Volymprognos (controllernas dygn och à-pris)",
    "sjukfranvaro": "Sjukfrånvaro (timmar)",
    "sjukfranvaro_kommun": "Sjukfrånvaro, hela kommunen (timmar)",
    "personalomsattning": "Personalomsättning (anställda och avgångar)",
    "indikatorer": "Målstruktur (målområden, inriktningsmål och indikatorer)",
    "indikatorvarden": "Indikatorvärden (utfall, mål och prognos)",
    "uppdrag": "Uppdrag och nämndinitiativ",
    "kolada": "Kolada (nyckeltal för jämförelsen: CSV från kolada.se eller JSON från Koladas API)",
}
_SCOPE_LABELS = {"activity": "Verksamhet", "category": "Kategori", "unit": "Enhet", "indicator": "Indikator",
                 "name": "Namn", "kpi": "KPI", "municipality": "Kommun-id"}
_VALUE_LABELS = {"amount_kr": ("Belopp nu, tkr", "Belopp efter, tkr", "Skillnad, tkr"),
                 "cost_kr": ("Kostnad nu, tkr", "Kostnad efter, tkr", "Skillnad, tkr"),
                 "care_days": ("Dygn nu", "Dygn efter", "Skillnad, dygn"),
                 "scheduled_hours": ("Ordinarie timmar nu", "Ordinarie timmar efter", "Skillnad, timmar"),
                 "employees": ("Anställda nu", "Anställda efter", "Skillnad")}


# A list of problems this long or shorter is set with its messages wrapped, whole; a longer one scrolls.
WRAPPED_PROBLEMS = MANY_PROBLEMS
FIRST_WHOLE = 5  # of a longer list, the problems shown with their whole text above the grid


def problems_frame(problems) -> pd.DataFrame:
    """The problems under Swedish headers, each column named as the interface names it ("Månad", not "period")."""
    return pd.DataFrame([{"Rad": "" if p.row is None else format_number(p.row),
                          "Kolumn": p.column_name,
                          "Värde": p.value, "Fel": p.message} for p in problems])


def problems_table(problems) -> Table:
    """The same problems as a described table, for a short list set with its lines wrapped."""
    frame = problems_frame(problems)
    columns = (Column("Rad", "Rad", "identifier", 6), Column("Kolumn", "Kolumn", width=14),
               Column("Värde", "Värde", width=20), Column("Fel", "Fel", width=80))
    return Table("Fel i filen", columns, tuple(frame.to_dict("records")))


def show_problems(problems, key: str) -> None:
    """A file's problems: a short list with every message whole (cut at the grid's edge, "… skriv tusental med
    mellanslag (1 500) och de…" lost its advice), a long one in a grid that scrolls."""
    if len(problems) <= WRAPPED_PROBLEMS:
        tables.show(problems_table(problems), key=key, wrap=True)
    else:  # the first whole (2026-12-06 walk: 62 rows' "… och decima" cut, the same advice on every row)
        st.markdown(f"{escape(where_problems_lie(problems))} De första {FIRST_WHOLE} felen "
                    f"med hela texten, sedan alla {format_number(len(problems))} i en tabell:")
        tables.show(problems_table(problems[:FIRST_WHOLE]), key=f"{key}_first", wrap=True)
        tables.frame(problems_frame(problems), key=key)


def effect_frame(plan: ImportPlan, part: str = "all") -> pd.DataFrame:
    """The plan's effect per period and key, with Swedish headers and formats; a new name is marked
    (``ImportPlan.name_shown``). ``part``: "all", "changed" (with the Summa row) or "unchanged" (without it),
    so that the page can show what the file changes without twenty unchanged months around it."""
    effect = plan.effect
    if effect is None or effect.empty:
        return pd.DataFrame()
    if part != "all":
        effect = effect[effect["changed"] == (part == "changed")]
        if effect.empty:
            return pd.DataFrame()
    value = effect["value_name"].iloc[0]
    if value == "_rows":  # the goal structure: no figure, only the rows per key
        return pd.DataFrame([
            {**({"Period": _period(record)} if "year" in record else {}),
             **{label: plan.name_shown(column, record[column]) for column, label in _SCOPE_LABELS.items()
                if column in record},
             "Rader nu": format_number(record["rows_before"]), "Rader efter": format_number(record["rows_after"])}
            for record in effect.to_dict("records")])
    money = value in ("amount_kr", "cost_kr")
    labels = _VALUE_LABELS[value]

    def shown(number) -> str:
        return format_tkr(number, unit=False) if money else format_number(number)

    second = _VALUE_LABELS[effect["second_name"].iloc[0]] if "second_name" in effect else None

    def figures(record) -> dict:
        """The figures of one row: the value now, after and the difference, a volume file's dygn beside
        them, and the rows last (the sentence above the table counts them)."""
        row = {labels[0]: shown(record["value_before"]), labels[1]: shown(record["value_after"]),
               labels[2]: format_tkr(record["difference"], unit=False, plus=True) if money
               else format_number(record["difference"], plus=True)}
        if second is not None:
            row |= {second[0]: format_number_short(record["second_before"]),
                    second[1]: format_number_short(record["second_after"])}
        return row | {"Rader nu": format_number(record["rows_before"]),
                      "Rader efter": format_number(record["rows_after"])}

    rows = [{"Period": _period(record),
             **{label: plan.name_shown(column, record[column]) for column, label in _SCOPE_LABELS.items()
                if column in record},
             **figures(record)} for record in effect.to_dict("records")]
    if money and len(rows) > 1 and part != "unchanged":
        sums = figures(effect[["value_before", "value_after", "difference", "rows_before", "rows_after"]
                              + (["second_before", "second_after"] if second is not None else [])].sum())
        if second is not None:  # dygn and dagar (öppenvård, kontaktfamilj) are never added together
            sums |= {second[0]: "", second[1]: ""}
        rows.append({"Period": "Summa", **{label: "" for label in _SCOPE_LABELS.values() if label in rows[0]},
                     **sums})
    return pd.DataFrame(rows)


def effect_heading(plan: ImportPlan) -> str:
    """The heading of what the file changes: what its table counts, and the sign only where it holds amounts
    (a volume or sick-leave file's hours were introduced as "belopp med bokföringens tecken", 2026-12-06 walk)."""
    value = plan.effect["value_name"].iloc[0] if plan.effect is not None and not plan.effect.empty else ""
    if value == "_rows":
        return "**Vad filen ändrar**, rader per nyckel:"
    if value == "amount_kr":
        return ("**Vad filen ändrar**, per period (belopp med bokföringens tecken, som i filen: kostnad positiv, "
                "intäkt negativ):")
    measure = {"cost_kr": "kostnad i tkr och dygn", "care_days": "dygn", "scheduled_hours": "ordinarie timmar",
               "employees": "anställda"}.get(value)
    return f"**Vad filen ändrar**, per period ({measure}):" if measure else "**Vad filen ändrar**, per period:"


def _period(record: dict) -> str:
    """A scope's period: a month, or a whole year (no month, or month 0)."""
    month = record.get("month", record.get("cutoff_month"))
    return month_label(int(record["year"]), int(month)) if month else str(int(record["year"]))


def _plan_summary(plan: ImportPlan) -> str:
    valid = "giltig" if plan.rows_read == 1 else "giltiga"
    return f"{plan.file_name}: {count_text(plan.rows_read, 'rad', 'rader')} är {valid}. {plan_effect(plan)}"


def _planned(kind: str, content: bytes, upload, sheet: str | None) -> ImportPlan:
    """The file's plan, made once per file, type, sheet and data version.

    Every tick of a warning's checkbox reruns the page; the file is not read and checked again for it.
    """
    key = (upload.file_id, kind, sheet, state.db_key())
    kept = st.session_state.get("data_plan")
    if kept is not None and kept[0] == key:
        return kept[1]
    checking = f"Kontrollerar {escape(upload.name)} …"
    bar = st.progress(0.0, text=checking)
    plan = plan_import(state.engine(), kind, content, upload.name, sheet,
                       progress=lambda share: bar.progress(share, text=checking))
    bar.empty()
    st.session_state["data_plan"] = (key, plan)
    return plan


def import_panel(actor, settings) -> None:
    """Upload, check, see the effect, accept each warning, save."""
    if not layout.role_notice(actor, IMPORT, "ser alla data"):
        return
    st.markdown("Välj vad filen innehåller och ladda upp den (.csv eller .xlsx; nyckeltal från Kolada även .json). "
                "Filen kontrolleras först och du ser vad den skulle ändra; inget sparas förrän du har godkänt "
                "varje varning och bekräftat.")
    kind = st.selectbox("Filens innehåll", list(KIND_LABELS), format_func=KIND_LABELS.get, key="data_kind",
                        placeholder="Välj")
    st.caption("Kolumner: " + " · ".join(
        column_label(f.name) + ("" if f.required else " (frivillig)") for f in FORMATS[kind].fields))
    layout.documentation("Så ska filen se ut", "importformat.md", f"`{kind}` ")
    done = st.session_state.pop("data_import_done", None)
    if done:
        shown, latest = period.earlier_than_latest(state.db_key()) or (None, None)
        st.success(imported_sentence(done, shown, latest))
        summary = state.summary(state.db_key())
        lagging = lagging_sources(summary)
        if lagging:  # 2026-12-07 walk: September's utfall saved, and slides 3 and 4 still at August without a word
            st.info(lagging)
        leading = leading_sources(summary)
        if leading:
            st.info(leading)
        if latest is not None:
            st.button(f"Visa {long_month_label(*latest)} på alla sidor", key="data_show_latest",
                      on_click=period.show_latest)
    upload = file_uploader("Fil", ["csv", "txt", "xlsx", "json"],
                           key=f"data_upload_{st.session_state.get('data_upload_round', 0)}")
    sheet = None
    if upload is None or upload.name.lower().endswith(".xlsx"):  # a csv or json file has no sheets to name
        sheet = st.text_input("Blad i xlsx-filen (tomt = första bladet)", key="data_sheet").strip() or None
    if upload is None:
        return
    content = upload.getvalue()
    plan = _planned(kind, content, upload, sheet)
    if plan.problems:
        whole = [p for p in plan.problems if p.row is None]
        count = len(plan.problems)
        whole_text = "".join(f"\n\n{escape(p.message)}" for p in whole)
        # A refusal of the whole file is not counted as "1 fel": its message says how many rows it concerns.
        found = "filen kunde inte läsas" if count == len(whole) == 1 else f"{count} fel hittades"
        st.error(f"{escape(upload.name)}: {found}. Inget har sparats. Rätta filen och ladda upp den "
                 f"igen.{whole_text}")
        rows = [p for p in plan.problems if p.row is not None]
        if rows:
            show_problems(rows[: settings.max_problems_shown], "data_problems")
        return
    (st.info if plan.cautions or plan.changes_nothing else st.success)(escape(_plan_summary(plan)))
    st.markdown(effect_heading(plan))
    # A name marked new ("… (nytt namn, liknar "Ekonomiskt bistånd")") has the room to be read whole.
    marked = {_SCOPE_LABELS[column] for column, names in plan.new_names.items() if names and column in _SCOPE_LABELS}
    changed, unchanged = effect_frame(plan, "changed"), effect_frame(plan, "unchanged")
    if changed.empty:
        st.markdown("Filen ändrar inget som redan är sparat.")
    else:
        tables.frame(changed, key="data_effect", wide=marked)
    if not unchanged.empty:
        # Rows of the summary, not of the file: "558 rader är giltiga" above "Oförändrat: 126 rader" read as
        # two counts of the same rows.
        # The file's own count beside it (2026-12-07 walk: "62 rader är giltiga" over "Oförändrat: 14 rader").
        with st.expander(f"Oförändrat: {count_text(len(unchanged), 'rad', 'rader')} i sammanställningen (filens "
                         f"{format_number(plan.rows_read)} rader summerade per period) där filen har samma värden "
                         "som databasen"):
            tables.frame(unchanged, key="data_effect_same", wide=marked)
    if plan.changes_nothing:
        # Nothing to save: a save would only log an import that changed nothing and say that the pages show new
        # figures (2026-12-06 walk: the same file twice became "Import nr 15" in the log).
        st.markdown("Det finns inget att spara.")
        return
    accepted = []
    if plan.cautions:
        count = len(plan.cautions)
        st.warning("1 varning. Läs och godkänn den innan filen kan sparas." if count == 1 else
                   f"{count} varningar. Läs och godkänn var och en innan filen kan sparas.")
        for number, caution in enumerate(plan.cautions):
            with st.container(border=True):
                st.markdown(f"**{escape(caution.title)}**")
                st.text(caution.detail)
                if st.checkbox("Jag har granskat detta och vill spara ändå", key=f"data_accept_{number}"):
                    accepted.append(caution.code)
    ready = len(accepted) == len(plan.cautions)
    if st.button("Spara i databasen", type="primary", key="data_confirm", disabled=not ready):
        try:
            saving = st.progress(0.0, text="Sparar …")
            result = import_file(state.engine(), kind, content, upload.name, actor=actor, sheet=sheet,
                                 accept=accepted, progress=lambda share: saving.progress(share, text="Sparar …"))
            saving.empty()
        except AccessDenied as refusal:
            st.error(escape(str(refusal)))
            return
        if result.saved_nothing:  # another import saved the same values since the preview
            st.info(escape(result.message))
        elif result.ok:
            # A fresh uploader: the saved file's plan is gone, and a second click cannot import it again.
            # 2026-12-06 walk: "Alla sidor visar nu de nya siffrorna" while Prognos still computed the forecast.
            st.session_state["data_import_done"] = escape(result.message)
            st.session_state["data_upload_round"] = st.session_state.get("data_upload_round", 0) + 1
            st.rerun()
        elif result.cautions:
            st.error("Databasen har ändrats sedan filen granskades; nya varningar måste godkännas: "
                     + "; ".join(escape(c.title) for c in result.cautions))
        else:
            st.error(escape(result.message))
            show_problems(result.problems, "data_problems_after")


def undo_panel(actor) -> None:
    """Undo a saved import, with a reason; only for those who may import."""
    done = st.session_state.pop("data_undo_done", None)
    if done:
        st.success(done)
        leading = leading_sources(state.summary(state.db_key()))
        if leading:  # an undone utfall leaves the months of the other sources it was read with
            st.info(leading)
    history = import_history(state.engine())
    tables.show(import_log_table(history), key="data_log")
    if not actor.may(IMPORT):
        return
    undoable = history[(history["outcome"] == "importerad") & ~history["undone"].astype(bool)]
    if undoable.empty:
        return
    with st.expander("Ångra en import"):
        options = {int(r["id"]): f"{int(r['id'])}: {KIND_NAMES.get(r['kind'], r['kind'])}, {r['file_name']}"
                   for r in undoable.to_dict("records")}
        chosen = st.selectbox("Import", list(options), format_func=options.get, key="data_undo_id", placeholder="Välj")
        reason = st.text_input("Varför ångras importen?", key="data_undo_reason")
        asked = st.session_state.get("data_undo_asking")  # (import, reason, the question) once asked
        if asked is None or asked[:2] != (chosen, reason):
            # Never disabled: a reason typed but not yet committed (no Enter) arrives with the click
            # itself, and an empty one is refused with a message that says what is missing.
            if st.button("Ångra importen …", key="data_undo"):
                _ask_undo(actor, chosen, reason)
            return
        # Asked once more, with what the undo will remove and restore, as an import and a locked version are.
        st.warning(escape(asked[2]))
        yes, no, _ = st.columns([1.5, 1, 3.5])
        confirmed = yes.button("Ja, ångra importen", type="primary", key="data_undo_confirm")
        no.button("Avbryt", key="data_undo_cancel", on_click=lambda: st.session_state.pop("data_undo_asking", None))
        if confirmed:
            st.session_state.pop("data_undo_asking", None)
            try:
                result = revert_import(state.engine(), chosen, actor=actor, reason=reason)
            except AccessDenied as refusal:
                st.error(escape(str(refusal)))
                return
            if result.ok:
                st.session_state["data_undo_done"] = escape(result.message)
                st.rerun()
            st.error(escape(result.message))


def _ask_undo(actor, chosen: int | None, reason: str) -> None:
    """The first click: an import and a reason are needed; then the question names what the undo will do."""
    if chosen is None:
        st.error("Välj vilken import som ska ångras.")
        return
    try:
        preview = preview_revert(state.engine(), chosen, actor=actor, reason=reason)
    except AccessDenied as refusal:
        st.error(escape(str(refusal)))
        return
    if not preview.ok:
        st.error(escape(preview.message))
        return
    st.session_state["data_undo_asking"] = (chosen, reason, f"{preview.message} Ångra importen?")
    st.rerun()


_TABLE_NAMES = {"actuals": "Utfall", "budgets": "Budget (per månad)", "forecasts_manual": "Prognoser",
                "volumes": "Volymer", "volume_budgets": "Volymbudget", "volume_forecasts": "Volymprognoser",
                "municipality_sick_leave": "Sjukfrånvaro, kommunen", "staff_turnover": "Personalomsättning",
                "sick_leave": "Sjukfrånvaro", "goal_values": "Indikatorvärden", "kolada_values": "Nyckeltal från Kolada",
                "import_log": "Importlogg"}


def _period_text(value: object) -> str:
    """A table's first or last period as the interface writes it: "jan 2019", "2019" or a point in time."""
    text = "" if value is None else str(value)
    if not text:
        return "–"
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return month_label(int(text[:4]), int(text[5:]))
    if len(text) == 4 and text.isdigit():
        return text
    return format_timestamp(text)


def summary_frame(summary: dict) -> pd.DataFrame:
    """What each table holds: rows and first and last period, in Swedish."""
    return pd.DataFrame([{"Tabell": _TABLE_NAMES.get(name, name), "Rader": format_number(values["rows"]),
                          "Första": _period_text(values["first_period"]),
                          "Sista": _period_text(values["last_period"])} for name, values in summary.items()])
