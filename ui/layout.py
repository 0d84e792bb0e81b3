"""Page frame: configuration, readable type, the data footer, and a guard against tracebacks."""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import logging
import time
from concurrent.futures import wait
from pathlib import Path

import streamlit as st

from data_access import forecast_store
from data_access.engine import DatabaseUnavailable
from data_access.sample import MUNICIPALITY as SAMPLE_MUNICIPALITY
from domain import access
from domain.access import MANAGE_ROLES
from domain.markup import escape
from domain.integrity import excluded_versions_notice
from domain.formatting import ROUNDING_NOTE, format_number, upper_first
from domain.periods import MONTH_NAMES, long_month_label, month_label
from settings import get_settings
from ui import state, tables

LOG = logging.getLogger("namndpanelen")
# Served by the app itself: a Material icon would be fetched from Google by every browser.
ICON = str(Path(__file__).parent / "assets" / "icon.png")
DOCS = Path(__file__).resolve().parents[1] / "docs"

# Streamlit writes "Press Enter to apply" under a field being typed in, in every language; its first part is
# replaced by the Swedish below (a text's count of characters, its second part, is left as it is). The
# ``data-testid`` attributes are those of Streamlit's own end-to-end tests; if a new Streamlit renames them,
# the English shows again and nothing else changes.
_KEYS_TO_APPLY = (('[data-testid="stTextInput"]', "Tryck Enter"), ('[data-testid="stNumberInput"]', "Tryck Enter"),
                  ('[data-testid="stTextArea"]', "Ctrl+Enter (⌘+Enter på Mac)"))
_INSTRUCTIONS = tuple((widget, f"{keys} för att använda") for widget, keys in _KEYS_TO_APPLY) + tuple(
    (f'[data-testid="stForm"] {widget}', f"{keys} för att spara formuläret") for widget, keys in _KEYS_TO_APPLY)
_INSTRUCTIONS_CSS = "".join(
    f'{widget} [data-testid="InputInstructions"] > span:first-child {{ font-size: 0; }}\n'
    f'{widget} [data-testid="InputInstructions"] > span:first-child::after {{ content: "{text}"; font-size: 12px; }}\n'
    for widget, text in _INSTRUCTIONS)
# The buttons over a table or a chart name themselves in a tooltip, in English; the open tooltip is found by the
# button that it describes (``aria-describedby`` is set on the button's wrapper while it shows).
_TOOLBAR = (("Show/hide columns", "Visa eller dölj kolumner"), ("Download as CSV", "Ladda ner som CSV"),
            ("Search", "Sök i tabellen"), ("Fullscreen", "Helskärm"), ("Close fullscreen", "Stäng helskärm"))
_TOOLBAR_CSS = "".join(
    f'body:has([aria-describedby] > button:is([aria-label="{label}"], [aria-label="{text}"])) [role="tooltip"] '
    f'[data-testid="stTooltipContent"] p {{ font-size: 0 !important; }}\n'
    f'body:has([aria-describedby] > button:is([aria-label="{label}"], [aria-label="{text}"])) [role="tooltip"] '
    f'[data-testid="stTooltipContent"] p::after {{ content: "{text}"; font-size: 0.875rem; }}\n'
    for label, text in _TOOLBAR)
# A screen reader reads a control by its name (``aria-label``, or a ``title``), which no style sheet reaches: the
# page renames Streamlit's own controls in the browser, as they are drawn (2026-12-06 walks: "Download as CSV",
# "Expand sidebar", "Help for Helårsprognos", "Remove Ekonomiskt bistånd" on a Swedish page).
_NAMES = _TOOLBAR + (
    ("Expand sidebar", "Visa sidomenyn"), ("Collapse sidebar", "Dölj sidomenyn"), ("Sidebar", "Sidomeny"),
    ("Link to heading", "Länk till rubriken"), ("Scroll tabs right", "Fler flikar till höger"),
    ("Scroll tabs left", "Fler flikar till vänster"), ("Open", "Öppna listan"), ("Clear all", "Rensa alla"),
    ("Clear value", "Rensa"), ("Copy to clipboard", "Kopiera"), ("file upload", "Välj fil"))
_NAME_PREFIXES = (("Help for ", "Hjälp om "), ("Remove ", "Ta bort "))
# Streamlit's own words that are the text of an element (selector, the English as a pattern, the Swedish): the
# link past the menu that a keyboard user's first Tab shows, read aloud in English under a Swedish look (2026-12-06
# walk); what a list of choices filtered to nothing says; the count of choices a screen reader is told.
_TEXTS = (('[data-testid="stSkipToContent"]', "^Skip to main content$", "Hoppa till sidans innehåll"),
          ('[role="listbox"][data-empty] > [role="option"] > span', "^No results$", "Inga träffar"),
          ('[role="log"] > div', "^(\\d+) options? available\\.$", "$1 val finns."))
_LABELS_JS = """<script>
(() => {
  if (window.__npSwedishNames) return;
  window.__npSwedishNames = true;
  const names = new Map(NAMES), prefixes = PREFIXES;
  const swedish = text => names.get(text)
    ?? prefixes.filter(([english]) => text.startsWith(english)).map(([e, s]) => s + text.slice(e.length))[0];
  const rename = () => {
    for (const attribute of ["aria-label", "title"])
      document.querySelectorAll(`[${attribute}]`).forEach(e => {
        const said = swedish(e.getAttribute(attribute));
        if (said) e.setAttribute(attribute, said);
      });
    // The text node itself is changed, not replaced: the node stays the one the page's own script updates.
    for (const [selector, english, said] of TEXTS)
      document.querySelectorAll(selector).forEach(e => {
        const node = e.firstChild, pattern = new RegExp(english);
        if (node && node.nodeType === Node.TEXT_NODE && pattern.test(node.nodeValue))
          node.nodeValue = node.nodeValue.replace(pattern, said);
      });
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; rename(); }); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  rename();
})();
</script>""".replace("NAMES", json.dumps(_NAMES, ensure_ascii=False)).replace(
    "PREFIXES", json.dumps(_NAME_PREFIXES, ensure_ascii=False)).replace("TEXTS", json.dumps(_TEXTS, ensure_ascii=False))

# The containers of the bars shown while forecasts are computed, each with a key of its own: a page that waits
# twice in one run (Varför ändrades prognosen: last month's forecasts, then this month's placements) drew two bars
# under one key, which Streamlit refused ("multiple elements with the same key").
WAITING = "np_forecast_wait"
_waits = itertools.count()

_CSS = """
<style>
html, body, [class*="css"] { font-size: 17px; }
[data-testid="stMetricValue"] { font-size: 1.7rem; }
[data-testid="stMetricLabel"] p { font-size: 0.92rem; }
.np-headline { font-size: 1.25rem; line-height: 1.45; margin: 0.2rem 0 0.8rem 0; }
.np-footer { color: #555; font-size: 0.85rem; border-top: 1px solid #ddd; margin-top: 2rem; padding-top: 0.4rem; }
.np-local { color: #444; font-size: 0.82rem; line-height: 1.35; margin: 0.2rem 0 0.5rem 0; }
.np-sample { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.3rem 0.6rem; font-size: 0.9rem;
             margin-bottom: 0.6rem; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 2.5rem; padding-bottom: 2rem; }
[data-testid="stSidebarHeader"] { height: 1rem; min-height: 1rem; }
h1 { padding-top: 0.2rem; }
.modebar-btn[data-title="Fullscreen"], .modebar-btn[data-title="Close fullscreen"] { display: none !important; }
/* The grid's toolbar (search, download, full screen) stands over the right end of the line above the grid. */
/* The script that names the toolbar's buttons in Swedish takes no room (a gap above the title). */
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
.np-more { color: #555; font-size: 0.82rem; margin: 0 0 0.2rem 0; padding-right: 7.5rem; }
@media (hover: none) { .np-more-keys { display: none; } }  /* a touch screen has no Skift key */
/* A touch screen draws a chart's toolbar at all times, over its title (a tablet, 2026-12-06 walk): left out there,
   as on a phone. */
@media (hover: none) { .js-plotly-plot .modebar-container { display: none !important; } }
/* A key figure keeps room for its value: beside an open menu on a tablet four in a row cut them ("−245 8…",
   2026-12-06 walk); they go two or three a row instead, and a long one ("+0,3 till +12,4 mnkr") wraps. */
[class*="st-key-np_figures_"] { flex-wrap: wrap; }
[class*="st-key-np_figures_"] > [data-testid="stElementContainer"] { flex: 1 1 0 !important; min-width: 10.5rem; }
[class*="st-key-np_figures_"] :is([data-testid="stMetricValue"], [data-testid="stMetricLabel"]) * {
  white-space: normal !important; text-overflow: clip !important; }
/* A row whose first figure is wide (Prognos's interval, "+0,3 till +12,4 mnkr", on one line at 1280 px). */
[class*="st-key-np_figures_wide_"] > [data-testid="stElementContainer"]:nth-child(1) { flex-grow: 1.75 !important; }
[class*="st-key-np_figures_wide_"] > [data-testid="stElementContainer"]:nth-child(n+2) { min-width: 8rem; }
@media (max-width: 640px) {
  [class*="st-key-np_figures_"] > [data-testid="stElementContainer"] { flex: 1 1 100% !important; } }
[data-testid="stMain"]:has([class*="st-key-WAITING"]) [data-stale="true"] { display: none !important; }
""".replace("WAITING", WAITING) + _INSTRUCTIONS_CSS + _TOOLBAR_CSS + tables.hint_css() + "</style>"


# The sidebar menu, in the order of a follow-up meeting. Streamlit discovers the pages from
# pages/ by itself (so a deep link works on a fresh server); this list only gives them
# Swedish names, which file names cannot carry well.
PAGES = (
    ("app.py", "Start"),
    ("pages/1_Budget_mot_utfall.py", "Budget mot utfall"),
    ("pages/2_Prognos.py", "Prognos"),
    ("pages/3_Placeringar.py", "Placeringar"),
    ("pages/4_Sjukfranvaro.py", "Sjukfrånvaro"),
    ("pages/5_Scenarier.py", "Scenarier"),
    ("pages/6_Mal_och_indikatorer.py", "Mål och indikatorer"),
    ("pages/7_Jamforelse.py", "Jämförelse"),
    ("pages/9_Data.py", "Data"),
)
ADMIN_PAGE = ("pages/8_Behorigheter.py", "Behörigheter")
PERIOD_SLOT = "_period_slot"  # the sidebar's place for the period selector, set anew in every run


@functools.cache
def _menu_page(path: str) -> st.Page:
    """The page at ``path`` as Streamlit registered it, built once per process.

    A link given a file name makes Streamlit resolve the file on disk in every run of every session
    (each step of that gives up the interpreter lock, which many simultaneous sessions then queue
    for); a link given the page goes straight to it."""
    return st.Page(path, default=path == PAGES[0][0])


def setup(title: str) -> None:
    """Configure the page and identify the user (login screen if needed).

    With ?namndlage=1 in the address, show the meeting deck instead and stop.
    """
    from ui import auth, meeting

    st.set_page_config(page_title=f"{title} · Nämndpanelen", page_icon=ICON, layout="wide",
                       initial_sidebar_state="collapsed" if meeting.active() else "auto")
    st.markdown(_CSS, unsafe_allow_html=True)
    st.html(_LABELS_JS, unsafe_allow_javascript=True)
    tables.new_page()
    try:
        current = auth.identify()
    except Exception:  # the user store could not be read: show nothing rather than guess a role
        LOG.exception("Användaren kunde inte identifieras")
        st.error("Inloggningen kunde inte kontrolleras. Felet är loggat på servern; försök igen om en stund.")
        st.stop()
    if meeting.active():
        with guard():
            meeting.render()
        st.stop()
    with st.sidebar:
        st.markdown("### Nämndpanelen")
        for path, label in PAGES + ((ADMIN_PAGE,) if current.may(MANAGE_ROLES) else ()):
            st.page_link(_menu_page(path), label=label)
        # The period comes next, above the meeting and the papers it decides, inside a 1280×720 window.
        st.session_state[PERIOD_SLOT] = st.container()
        st.button("Starta nämndläge", key="start_meeting", on_click=_start_meeting, icon=":material/slideshow:",
                  width="stretch",
                  help="Visar budget, prognos, placeringar och sjukfrånvaro en bild i taget för nämndmötet. "
                       "Adressen som då visas (med ?namndlage=1 och perioden) kan läggas i kallelsen: den "
                       "visar samma månad också när senare månader har lästs in.")
        with guard(brief=True):
            from ui.export import papers_panel

            papers_panel(state.db_key(), prefix="sidebar")
        st.divider()
        auth.sidebar_identity(current)


def _start_meeting() -> None:
    """The deck of the period on screen; its address, with that period, is the link for the kallelse."""
    from domain.periods import Month
    from ui.period import PARAMETER, chosen

    period = chosen(state.db_key())
    st.query_params["namndlage"] = "1"
    st.query_params["skarm"] = "1"
    if period is not None:
        st.query_params[PARAMETER] = Month(*period).iso


@functools.cache
def _sections(name: str) -> dict[str, str]:
    """A document in ``docs/`` by its second-level headings: heading → the text under it."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (DOCS / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in sections.items()}


def documentation(label: str, name: str, *headings: str) -> None:
    """Sections of the product's own documentation (``docs/name``, shipped with it) in a closed expander, for
    a reader who has the browser and not the files: each section whose heading starts with one of
    ``headings``, under that heading."""
    sections = _sections(name)
    with st.expander(label, icon=":material/description:"):
        for start in headings:
            for heading, text in sections.items():
                if heading.startswith(start):
                    st.markdown(f"**{heading}**\n\n{text}")


def figure_row(key: str, *, wide_first: bool = False):
    """A row of key figures (``st.metric``), side by side in equal widths as ``st.columns`` would set them, in one
    block: four columns are five blocks, each a message to every session that opens the page. ``wide_first``:
    the first figure is given the room of about two (an interval written as a range). The figures stand on one line
    at the foot of the row: a label that wraps ("Verksamheternas prognos aug 2025" at 1280 px) grows upwards."""
    return st.container(horizontal=True, gap="small", vertical_alignment="bottom",
                        key=f"np_figures_{'wide_' if wide_first else ''}{key}")


def headline(text: str) -> None:
    """A sentence that states the page's message in plain Swedish (escaped: it may contain names)."""
    st.markdown(f'<p class="np-headline">{escape(text)}</p>', unsafe_allow_html=True)


def tabs(labels: list[str], key: str, keep: tuple[str, ...] = (), default: str | None = None):
    """Tabs whose hidden content is neither computed nor sent: each session runs and receives only the
    chosen tab, and choosing another reruns the page (Streamlit's stateful tabs). The page draws a tab's
    content under ``if tab.open:``; the choice is kept in ``st.session_state[key]``.

    ``keep``: the keys of the widgets inside the tabs. Streamlit forgets a widget's value in a run that
    does not draw it; these values are held as the session's own, so a choice made in a tab is still
    there after a look at another. Such a widget takes its default from the session
    (``st.session_state.setdefault``), not from a ``value`` or ``index`` argument.

    ``default``: the tab chosen when the session has not chosen one (e.g. the one an address points into).
    It is given through the session, not to ``st.tabs``: a changed argument would make the tabs a new widget
    and lose the choice when the address changes."""
    for name in keep:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]
    if default is not None:
        st.session_state.setdefault(key, default)
    return st.tabs(labels, key=key, on_change="rerun")


def role_notice(actor, action: str, sees: str, cannot: str | None = None) -> bool:
    """True when ``actor`` may do ``action``; otherwise say what their role lets them see and which
    role the rest takes, and return False."""
    if actor.may(action):
        return True
    st.info(access.notice(actor, action, sees, cannot))
    return False


def sample_notice(key: tuple[str, int]) -> None:
    info = state.dataset_info(key)
    if info.get("sample") == "ja":
        name = info.get("municipality", "")
        # Renamed, the data are still the made-up municipality's (2026-12-06 walk): said so, not "X är påhittad".
        said = f"<b>{escape(name)}</b> är en påhittad kommun." if name == SAMPLE_MUNICIPALITY else (
            f"siffrorna kommer från den påhittade kommunen {SAMPLE_MUNICIPALITY}, inte från <b>{escape(name)}</b>.")
        st.markdown(f'<div class="np-sample">Exempeldata: {said} Siffrorna liknar en verklig socialnämnds men '
                    "beskriver ingen verklig verksamhet.</div>", unsafe_allow_html=True)
    excluded = excluded_versions_notice(state.version_problems(key, state.versions_key()))
    if excluded:
        st.error(escape(excluded))


def footer(key: tuple[str, int], extra: str = "", *, period=None, amounts: bool = True) -> None:
    """The page's last line: municipality, the month the page shows (``period``, the chosen one) against the
    latest booked, ``extra`` (the page's source), and how amounts are rounded (``amounts``: not on a page that
    shows no amounts in tkr)."""
    # The page is drawn: fit (or fetch) the latest forecasts while it is being read.
    state.preload_forecasting()
    if get_settings().precompute:
        state.precompute(key)
    info = state.dataset_info(key)
    latest = state.latest_month(key)
    parts = [info.get("municipality", "Kommun ej angiven")]
    shown = (period.year, period.month) if period is not None else None
    if latest and shown and shown != tuple(latest):
        # An earlier month chosen: "data t.o.m. sep" under a page of August was read as the page's own month.
        parts.append(f"visar t.o.m. {month_label(*shown)}; databasen har data t.o.m. {month_label(*latest)}")
    elif latest:
        parts.append(f"data t.o.m. {month_label(*latest)}")
    if extra:
        parts.append(extra)
    note = f"<br>{escape(ROUNDING_NOTE)}" if amounts else ""
    st.markdown(f'<div class="np-footer">{escape(" · ".join(parts))}{note}</div>', unsafe_allow_html=True)


@contextlib.contextmanager
def guard(*, brief: bool = False):
    """Show a Swedish message instead of a traceback if anything on the page fails; ``brief`` (the sidebar) says
    that the database could not be opened in a line, the page beside it says why."""
    try:
        yield
    except DatabaseUnavailable as error:  # the administrator's to mend: what failed and what to do
        if brief:
            st.caption("Databasen kunde inte öppnas.")
        else:
            st.error(escape(error))
    except Exception:  # Streamlit's own control flow (rerun, stop) is not an Exception subclass
        LOG.exception("Fel på sidan")
        st.error("Något gick fel när sidan skulle visas. Felet är loggat på servern; "
                 "försök igen eller kontakta förvaltningens controller.")


NO_DATA = "Det finns inget utfall i databasen ännu. Läs in utfall och budget på sidan Data."


def start(title: str, *, empty: str = NO_DATA):
    """The top of every page: title, sample notice and the shared period selector.

    Returns (data key, chosen period); stops the page with ``empty`` when nothing is booked yet.
    """
    from ui.period import period_selector

    key = state.db_key()
    st.title(title)
    sample_notice(key)
    period = period_selector(key)
    if period is None:
        st.info(empty)
        st.stop()
    return key, period


def closed_year_stop(year: int, month: int, message: str, *, rule_link: bool = False) -> None:
    """Pages about the rest of the year have nothing to say once December is booked. With ``rule_link``, a link
    to where the year's delår 2-forecast is judged against its December (Mål och indikatorer)."""
    if month == 12:
        st.info(f"{year} är bokfört till och med december. {message}")
        if rule_link:
            from domain.periods import Month
            from ui.period import PARAMETER

            st.page_link("pages/6_Mal_och_indikatorer.py", icon=":material/rule:",
                         label=f"Hur delår 2-prognosen för {year} höll: Mål och indikatorer › Regeln om 5 %",
                         query_params={PARAMETER: Month(year, month).iso})
        st.stop()


def await_year_end(key: tuple[str, int], year: int, month: int) -> None:
    """A page that states the period's year-end figure waits for the period's forecast as Prognos does, with
    the same progress bar: it never shows another forecast in its place while that one is computed (and then
    keeps it, since nothing draws the page again). A booked December has its outcome and waits for nothing."""
    if month < 12:
        await_forecasts(key, year, month)


def await_forecasts(key: tuple[str, int], year: int, month: int, kinds: tuple[str, ...] = ("nämnd",)) -> None:
    """Wait, with a progress bar that says what for, while the period's forecasts are computed.

    They are computed in the server's background thread (``state.start_forecast``), once per data
    version; this page only waits. The bar moves against how long the last computation took. A
    computation that failed is said so on the page (and logged), and the page stops there; the
    next visit starts it again.
    """
    futures = {kind: future for kind in kinds
               if (future := state.forecast_to_wait_for(kind, key, year, month)) is not None}
    _await(futures, lambda what: f"Beräknar {what} för {long_month_label(year, month)}: modellerna anpassas en "
                                 "gång efter varje import och sparas sedan för alla som öppnar sidan.",
           f" för {long_month_label(year, month)}")


def await_record(key: tuple[str, int], year: int, cutoff_month: int) -> None:
    """``await_forecasts`` for the track record of the years before ``year`` at the cut-off month
    (``state.track_record``)."""
    kind = forecast_store.RECORD
    future = state.forecast_to_wait_for(kind, key, year, cutoff_month)
    _await({kind: future} if future is not None else {},
           lambda what: f"Beräknar {what}: varje verksamhets prognos efter {MONTH_NAMES[cutoff_month - 1]} görs om "
                        f"för åren före {year}, med de data som fanns då. Det görs en gång och sparas för alla som "
                        "öppnar sidan; igen bara om tidigare års siffror ändras.", "")


def _await(futures: dict, text, where: str) -> None:
    """Wait for ``futures`` (by kind) with a progress bar that says ``text(what)``; a failure is said (``what``
    and ``where``) and stops the page."""
    # One placeholder whether or not there is anything to wait for: the page's later elements keep
    # their places from run to run, so a chosen tab stays chosen.
    slot = st.empty()
    wait(futures.values(), timeout=0.2)  # a result read from the store needs no progress bar
    pending = [kind for kind, future in futures.items() if not future.done()]
    if pending:
        typical = sum(state.typical_seconds(kind) or 0.0 for kind in pending)
        what = " och ".join(forecast_store.NAMES[kind] for kind in pending)
        estimate = f" Det brukar ta omkring {format_number(max(1, round(typical)))} sekunder." if typical else ""
        message = text(what) + estimate
        # In a keyed container: while it is on the page, what the page showed for the period before is hidden
        # (``_CSS``), not left under the bar as if it were this period's.
        bar = slot.container(key=f"{WAITING}_{next(_waits)}").progress(0.0, text=message)
        started = time.monotonic()
        while not all(futures[kind].done() for kind in pending):
            elapsed = time.monotonic() - started
            bar.progress(min(0.95, elapsed / typical if typical else elapsed / (elapsed + 10.0)), text=message)
            wait([futures[kind] for kind in pending], timeout=0.25)
        slot.empty()
    failed = [kind for kind, future in futures.items() if future.exception() is not None]
    if failed:
        what = " och ".join(forecast_store.NAMES[kind] for kind in failed)
        slot.error(f"{upper_first(what)}{where} kunde inte beräknas. Felet är loggat på servern. Ladda om sidan för "
                   "att försöka igen; består felet, kontakta systemförvaltaren.")
        st.stop()
