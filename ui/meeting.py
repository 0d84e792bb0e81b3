"""Nämndläge: the dashboard at the board meeting, one message per screen, reachable by ?namndlage=1."""

from __future__ import annotations

import functools

import streamlit as st

from domain import comparison, goals, meeting
from domain.markup import escape
from domain.placements import largest_steps
from domain.sick_leave import rolling_12
from ui import charts, layout, state
from ui.period import chosen, closed_year_notice, refuse_unbooked

PARAMETER, SCREEN = "namndlage", "skarm"
HEIGHT_KEY = "meeting_height"  # the screen's 16:9 height, for the slide's size (``domain.meeting.screen_scale``)

# Sizes in px on a 1280×720 projector; on a larger screen all of them grow by its ``screen_scale``.
ROOT_FONT = 22  # the slide's type: every text and control is sized in rem, relative to it
SLIDE_FONT, SLIDE_LABELS, SLIDE_TICK_SIZE, SLIDE_AXIS_TITLE = 20, 18, 17, 15
SLIDE_TICK_COLOR = "#333"  # a slide's axis names and scales, darker than on the pages
SLIDE_MIN_TEXT = 15  # a figure written in a bar is never shrunk below this to fit it
SLIDE_STEPS = 4  # a placement bridge's largest steps on its slide; the rest are one step
SLIDE_WRAP = 52  # a bridge's names on a slide: one line up to the longest category with its effect
SLIDE_CONDITIONS = 4  # a scenario slide lists this many assumptions; the rest are counted (all in the papers)
# A phone held upright (narrower than PHONE px): smaller type, and each chart at least PHONE_CHART px wide, to be
# swiped sideways, so that its names and figures keep their places instead of being cut or written over each other.
PHONE, PHONE_CHART = 700, 640
PHONE_FONT = charts.PHONE_FONT
# A tablet (narrower than TABLET px, wider than a phone): the 1280 px slide's type made smaller in proportion, so
# that "◀ Föregående" is not cut to "◀ För…" and the headline keeps its lines.
TABLET, TABLET_FONT = 1100, 18
CHART_BOX = "meeting_chart_box"  # a slide's chart, in a box of its own that a phone swipes sideways
CHART_FIT = "meeting_chart_fit"  # a chart on a phone held upright, as wide as the screen (``_figure``)
_PHONE_CSS = f"""@media (hover: none) {{ .np-meeting-keys {{ display: none; }} }}  /* a touch screen has no arrow keys */
@media (min-width: {PHONE + 1}px) and (max-width: {TABLET}px) {{
  html, body, [class*="css"] {{ font-size: {TABLET_FONT}px; }}
  /* A scenario's assumptions above its bridge, which then has the slide's width for its names. */
  .st-key-meeting_scenario [data-testid="stHorizontalBlock"] {{ flex-direction: column; }}
  .st-key-meeting_scenario [data-testid="stColumn"] {{ width: 100% !important; flex: 1 1 auto !important; }}
  .np-meeting-list p, .np-meeting-list li {{ font-size: 1rem !important; }}  /* the width of the slide to fill */
}}
@media (max-width: {PHONE}px) {{
  html, body, [class*="css"] {{ font-size: {PHONE_FONT}px; }}
  [data-testid="stMainBlockContainer"], .block-container {{ padding-left: 0.8rem !important;
      padding-right: 0.8rem !important; }}
  p.np-meeting-title {{ font-size: 1.6rem !important; }}
  p.np-meeting-headline {{ font-size: 1.15rem !important; }}
  .np-meeting-list p, .np-meeting-list li {{ font-size: 0.95rem !important; }}  /* a scenario's assumptions */
  /* The chart alone is swiped sideways at a readable width (its box scrolls, the chart keeps the width
     Streamlit measures it at); the title, the sentence and the buttons stay where they are. */
  .st-key-{CHART_BOX} {{ overflow-x: auto; overflow-y: hidden; }}
  .st-key-{CHART_BOX} [data-testid="stElementContainer"] {{ min-width: {PHONE_CHART}px; }}
  .np-meeting-swipe {{ display: inline; }}
}}
"""

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1.2rem !important; max-width: 100% !important;
    padding-left: 2.5rem !important; padding-right: 2.5rem !important; padding-bottom: 0.5rem !important; }
html, body, [class*="css"] { font-size: ROOT_FONTpx; }
p.np-meeting-title { font-size: 2.1rem !important; font-weight: 700; margin: 0 0 0.2rem 0; line-height: 1.2; }
p.np-meeting-headline { font-size: 1.45rem !important; line-height: 1.3; margin: 0 0 0.3rem 0;
    padding-bottom: 0.3rem; }
p.np-meeting-headline.np-meeting-long { font-size: 1.2rem !important; }
p.np-meeting-footer { font-size: 0.95rem !important; color: #333; border-top: 1px solid #ccc; padding-top: 0.2rem;
    margin: 0 0 0.5rem 0; }
.np-meeting-list p, .np-meeting-list li { font-size: 0.85rem !important; line-height: 1.3; margin: 0 0 0.2rem 0; }
.np-meeting-list ul { margin: 0 0 0.3rem 0; padding-left: 1.2rem; }
p.np-meeting-source { font-size: 0.85rem !important; color: #555; margin: 0 0 0.8rem 0; }
p.np-meeting-notice { font-size: 0.9rem !important; color: #5c4400; background: #fff4d6; margin: 0 0 0.4rem 0;
    padding: 0.15rem 0.6rem; border-radius: 0.3rem; }
p.np-meeting-step { font-size: 1rem !important; color: #333; margin: 0.4rem 0 0 0; }
.np-meeting-swipe { display: none; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.st-key-meeting_jumps { display: none !important; }
[data-testid="stMain"]:focus, [data-testid="stMain"]:focus-visible { outline: none !important; }
PHONE_RULES
</style>
"""

# Keys press the on-screen buttons, whatever has focus in the page: arrows and PageDown/PageUp (a
# presenter's remote) step, Home/End go to the first and last slide. Listened to in the capture
# phase of the page and of this frame, so no widget can keep them; typing in a field is left alone.
_KEYS = """<!doctype html>
<script>
const doc = window.parent.document;
const targets = {ArrowRight: "meeting_next", PageDown: "meeting_next", " ": "meeting_next",
                 ArrowLeft: "meeting_previous", PageUp: "meeting_previous",
                 Home: "meeting_first", End: "meeting_last"};
function press(event) {
  const target = targets[event.key];
  const typing = event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
  if (!target || typing || event.altKey || event.ctrlKey || event.metaKey) return;
  const button = doc.querySelector(`.st-key-${target} button`);
  if (button && !button.disabled) { event.preventDefault(); event.stopPropagation(); button.click(); }
}
// The listener of the frame drawn last replaces any earlier one (a frame redrawn with the slide
// leaves its old script behind).
if (window.parent.__namndlagePress) window.parent.removeEventListener("keydown", window.parent.__namndlagePress, true);
window.parent.__namndlagePress = press;
window.parent.addEventListener("keydown", press, true);
document.addEventListener("keydown", press, true);
// A screen larger than the 1280×720 a slide is laid out for tells the server the height of the largest 16:9
// area in the window (in steps of 40 px, in a hidden field), and the slide is drawn again, all of it larger;
// so is a window that is resized.
// The window's height below the slide goes to its chart (on a phone too).
// What the server drew the slide for stands in the footer (data-drawn), so that a value typed into the field
// while the server was still busy with the first slide, and lost, is typed again.
let sent = 0;
function fit() {
  const field = doc.querySelector(".st-key-meeting_height input");
  const footer = doc.querySelector("p.np-meeting-footer");
  if (!field || !footer) return false;
  const view = window.parent;
  const slide = Math.max(Math.floor(Math.min(view.innerHeight, view.innerWidth * HIGH / WIDE) / STEP) * STEP, HIGH);
  const room = Math.min(Math.floor(Math.max(view.innerHeight - slide, 0) / STEP) * STEP, ROOM);
  // A window as narrow as a phone held upright is said too ("+p"): its charts are drawn as wide as the screen.
  const phone = view.innerWidth <= NARROW ? "p" : "";
  const [drawnSlide, drawnRoom, drawnPhone] = (footer.dataset.drawn || "HIGH").split("+");
  if (slide === Math.max(parseInt(drawnSlide, 10) || HIGH, HIGH) && room === (parseInt(drawnRoom, 10) || 0)
      && phone === (drawnPhone || "")) return true;
  if (Date.now() - sent < 4000) return false;  // sent: the server is drawing it
  sent = Date.now();
  const wanted = phone ? `${slide}+${room}+p` : `${slide}+${room}`;
  // The field is Streamlit's: its value is set as typing would set it, and committed as Enter commits it (first
  // emptied, where it holds the value already, so that the value counts as typed).
  const setter = Object.getOwnPropertyDescriptor(window.parent.HTMLInputElement.prototype, "value").set;
  if (field.value === wanted) {
    setter.call(field, "");
    field.dispatchEvent(new Event("input", {bubbles: true}));
  }
  setter.call(field, String(wanted));
  field.dispatchEvent(new Event("input", {bubbles: true}));
  field.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter", keyCode: 13, bubbles: true}));
  return false;
}
if (window.parent.__namndlageFit) window.parent.removeEventListener("resize", window.parent.__namndlageFit);
let waiting = null;
window.parent.__namndlageFit = () => { clearTimeout(waiting); waiting = setTimeout(fit, 300); };
window.parent.addEventListener("resize", window.parent.__namndlageFit);
// Now, and every second while the page settles (the hidden field and the footer may not be drawn yet), until
// the slide is drawn for this window or a minute has passed.
if (window.parent.__namndlageSettle) clearInterval(window.parent.__namndlageSettle);
let tries = 0;
if (!fit()) {
  window.parent.__namndlageSettle = setInterval(() => {
    if (fit() || ++tries > 60) clearInterval(window.parent.__namndlageSettle);
  }, 1000);
}
</script>
""".replace("HIGH", str(meeting.SCREEN_HEIGHT)).replace("WIDE", str(meeting.SCREEN_WIDTH)).replace(
    "STEP", str(meeting.HEIGHT_STEP)).replace("ROOM", str(meeting.MOST_ROOM)).replace("NARROW", str(PHONE))

def active() -> bool:
    return st.query_params.get(PARAMETER) == "1"


def _go(index: int) -> None:
    st.query_params[SCREEN] = str(index + 1)


def _leave() -> None:
    st.query_params.clear()


def render() -> None:
    """The meeting deck; the page that was asked for is not drawn."""
    if HEIGHT_KEY in st.session_state:  # kept as the session's own: a run that stops early must not forget it
        st.session_state[HEIGHT_KEY] = st.session_state[HEIGHT_KEY]
    scale, room = meeting.screen_fit(st.session_state.get(HEIGHT_KEY))
    phone = meeting.on_phone(st.session_state.get(HEIGHT_KEY), st.context.headers.get("User-Agent"))
    st.markdown(_css(scale), unsafe_allow_html=True)
    key = state.db_key()
    refuse_unbooked(key, "Bilderna visar")
    closed = closed_year_notice(key, "Bilderna visar", short=True)
    if closed:
        st.markdown(f'<p class="np-meeting-notice">{escape(closed)}</p>', unsafe_allow_html=True)
    period = chosen(key)
    if period is None:
        st.info("Det finns inga data att visa ännu.")
        return
    year, month = period
    layout.await_forecasts(key, year, month, ("nämnd", "kategorier"))
    deck = (key, state.scenarios_key(), year, month, state.versions_key(), state.goal_notes_key(),
            state.comparison_settings())
    with st.spinner("Förbereder nämndläget …"):
        pack = _deck(*deck)
    screens = pack.screens
    index = meeting.screen_index(st.query_params.get(SCREEN, "1"), len(screens))
    note = meeting.screen_note(st.query_params.get(SCREEN), len(screens))
    if note:
        st.toast(escape(note))
    if st.query_params.get(SCREEN) != str(index + 1):  # the address names the slide on screen
        st.query_params[SCREEN] = str(index + 1)
    screen = screens[index]
    st.markdown(f'<p class="np-meeting-title">{escape(screen.title)}</p>'
                f'<p class="np-meeting-headline{" np-meeting-long" if long_headline(screen.headline) else ""}">'
                f'{escape(screen.headline)}</p>', unsafe_allow_html=True)
    # The comparison has a line of group and source under its chart, mostly in the room its chart has no axis
    # title for.
    sourced = screen.key == "jamforelse"
    footer = pack.footer(screen)
    height = chart_height(screen.title, screen.headline, footer, pack.comparison_slide_source if sourced else None,
                          notice=closed is not None)
    _draw(deck, screen.key, round(height * scale) + room, scale, phone)
    if sourced:
        st.markdown(f'<p class="np-meeting-source">{escape(pack.comparison_slide_source)}</p>',
                    unsafe_allow_html=True)
    left, middle, right = st.columns([1.3, 3.4, 1.3])  # "◀ Föregående" whole on a tablet
    left.button("◀ Föregående", key="meeting_previous", disabled=index == 0, on_click=_go, args=(index - 1,),
                width="stretch")
    middle.markdown(f'<p class="np-meeting-step" style="text-align:center">Bild {index + 1} av {len(screens)}'
                    '<span class="np-meeting-keys"> · piltangenterna bläddrar</span>'
                    # Until the page has said it is a phone, a chart is drawn wider than the screen and swiped:
                    # without a word its bars could lie out of sight. Once it has, the chart fits the screen.
                    + ("" if phone else '<span class="np-meeting-swipe"><br>Svep diagrammet i sidled för att se '
                       "hela</span>") + "</p>", unsafe_allow_html=True)
    right.button("Nästa ▶", key="meeting_next", disabled=index == len(screens) - 1, on_click=_go, args=(index + 1,),
                 width="stretch")
    with st.container(key="meeting_jumps"):
        st.button("Första bilden", key="meeting_first", on_click=_go, args=(0,), disabled=index == 0)
        st.button("Sista bilden", key="meeting_last", on_click=_go, args=(len(screens) - 1,),
                  disabled=index == len(screens) - 1)
        st.text_input("Fönstrets höjd", key=HEIGHT_KEY)  # written by the page when the window's height changes
    # With the value the slide is drawn for, which the page's script compares with its window.
    drawn = escape(str(st.session_state.get(HEIGHT_KEY) or ""))
    st.markdown(f'<p class="np-meeting-footer" data-drawn="{drawn}">{escape(footer)}</p>', unsafe_allow_html=True)
    leave, papers = st.columns([3, 2])
    leave.button("Avsluta nämndläge", key="meeting_leave", on_click=_leave, type="tertiary")
    with papers.popover("Mötespapper", width="stretch"):
        from ui.export import papers_panel

        papers_panel(key, prefix="meeting")
    st.iframe(_KEYS, height=1)


@functools.cache
def _css(scale: float) -> str:
    """The deck's style sheet with its type for a screen ``scale`` times a 1280×720 one."""
    return _CSS.replace("ROOT_FONT", f"{ROOT_FONT * scale:.2f}").replace("PHONE_RULES", _PHONE_CSS)


HEADLINE_LINE, LONG_LINE = 78, 94  # characters a line of headline holds at 1280 px, at its size and the smaller


def long_headline(headline: str) -> bool:
    """A headline longer than two lines at 1280 px is set smaller (``np-meeting-long``): at the slide's size a
    locked version's sentence took four lines and left the chart under it 100 px (2026-12-05 walk)."""
    return len(headline) > 2 * HEADLINE_LINE


def chart_height(title: str, headline: str, footer: str = "", source: str | None = None, notice: bool = False) -> int:
    """The chart's height in px, so that the whole screen fits a 1280×720 projector: the buttons, the footer
    and the row under it included. A second line of title, a third of headline or a second of footer (a
    placement forecast's or a locked version's long name) takes its room from the chart (about 52, 78 and 120
    characters a line at 1280 px; a long headline is set smaller, about 94 a line), and so does a line of source
    under the chart (``source``; about 130 a line), and the line of notice above the slide (``notice``)."""
    title_lines = 1 + len(title) // 52
    if long_headline(headline):
        headline_room = 35 * -(-len(headline) // LONG_LINE)
    else:
        headline_room = 42 * max(-(-len(headline) // HEADLINE_LINE), 2)
    footer_lines = 1 + len(footer) // 120
    source_room = 0 if source is None else 25 + 40 * (len(source) // 130)
    return max(200, 400 - 56 * (title_lines - 1) - headline_room - 33 * (footer_lines - 1) - source_room
               - 40 * notice)


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=state.SETTINGS_HASH)
def _deck(key, skey, year: int, month: int, vkey: int, nkey: int, compared) -> meeting.MeetingPack:
    """The meeting pack, read once per data version and period and shared by every session of the
    meeting (read only: the deck draws from it and changes nothing)."""
    return state.meeting_pack(key, skey, year, month, vkey, nkey, compared)


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=state.SETTINGS_HASH)
def _figure(deck: tuple, screen_key: str, height: int, scale: float, fitted: bool = False):
    """A slide's chart, built once per pack, slide and size: the nämnd opens the same slide at once. ``fitted``:
    for a phone held upright, as wide as its screen (``charts.for_phone``, the rule every page's chart follows
    there): a horizontal chart with its names above the bars, a time line with fewer dates."""
    figure = _slide_figure(deck, screen_key, height, scale)
    if not fitted:
        return figure
    return charts.for_phone(figure, height)


def _slide_figure(deck: tuple, screen_key: str, height: int, scale: float):
    pack = _deck(*deck)
    if screen_key == "prognos":
        path = pack.result_path
        if path is None:  # no budget to draw against: the net cost over the year
            figure = charts.forecast_fan(pack.cumulative_actual, pack.cumulative_budget, pack.fan,
                                         point=pack.board.point, manual_total=pack.manual_total,
                                         locked=pack.official.locked_point if pack.official is not None else None)
        else:
            figure = charts.result_path_chart(path)
    elif screen_key == "verksamheter":
        figure = charts.variance_chart(pack.activity_variances, pack.overview.variance_ytd,
                                       pack.overview.adherence_ytd, few_ticks=True)
        # Every bar named, also where a long sentence leaves the chart low: Plotly named every other bar at
        # 1280×720, and the two the headline names were among those left without (2026-12-05 walk).
        names = list(figure.layout.yaxis.categoryarray)
        figure.update_yaxes(tickmode="array", tickvals=names, ticktext=names, row=1, col=1)
    elif screen_key == "placeringar":
        figure = charts.cost_bridge_chart(pack.placement_bridge(largest=SLIDE_STEPS), wrap=SLIDE_WRAP)
    elif screen_key == "sjukfranvaro":
        monthly = pack.sick_monthly.tail(24)
        figure = charts.sick_leave_chart(monthly, None, pack.sick_trend, rolling_12(monthly), None)
    elif screen_key == "femprocent":
        figure = charts.five_percent_chart(pack.five_percent)
    elif screen_key == "mal":
        figure = charts.goal_summary_chart(goals.area_summary_table(pack.goals))
    elif screen_key == "jamforelse":
        # Two-line names overlap, and Plotly drops some, in the few pixels a row has at 1280×720.
        figure = charts.comparison_chart(comparison.chart_rows(comparison.largest(pack.comparisons)),
                                         names_only=True)
        figure.update_xaxes(title_text=None)  # the headline says what the scale is: mot gruppens median
        # Two legend entries a row at every width: on a tablet the four stood one under the other, in the
        # chart's own room, and its rows ran together.
        figure.update_layout(legend=dict(entrywidth=0.5, entrywidthmode="fraction"))
    else:
        scenario = _scenario_of(pack, screen_key)
        result = scenario["result"]
        figure = charts.result_bridge_chart(scenario["base_label"], scenario["base_point"],
                                            largest_steps(result.steps, SLIDE_STEPS), "Med scenariot",
                                            result.point, scenario["budget"], height=height, wrap=SLIDE_WRAP)
        figure.update_layout(font=dict(size=SLIDE_LABELS * scale), title=None, showlegend=False)
        figure.update_traces(textfont_size=SLIDE_LABELS * scale)
        return _legible(figure, scale)
    if screen_key == "prognos":  # the slide has no chart title: its unit goes on the axis, short enough to be
        # read whole beside a chart made low by a long sentence ("Mot budget ackumulerat, tkr" lost its unit)
        figure.update_yaxes(title_text="Mot budget, tkr", title_font_size=SLIDE_AXIS_TITLE * scale)
    # A chart without a legend gives the legend's room at its foot to the bars: on a low slide that room was a
    # third of the chart (2026-12-05 walk: the 5 % rule's figures stood on its lines).
    legend = figure.layout.showlegend is not False and any(t.showlegend is not False and t.name for t in figure.data)
    margin = dict(t=round(20 * scale)) if legend else dict(t=round(20 * scale), b=round(36 * scale))
    figure.update_layout(height=height, font=dict(size=SLIDE_FONT * scale), title=None,
                         legend=dict(font=dict(size=SLIDE_LABELS * scale)), margin=margin)
    figure.update_traces(textfont_size=SLIDE_LABELS * scale, selector=dict(type="bar"))
    return _legible(figure, scale)


def _legible(figure, scale: float):
    """Every slide's chart read from the back of the room: names and scales larger and darker than on the
    pages, a figure in a bar never shrunk below legible size, and on a larger screen every text larger
    with the rest of the slide (the notes written beside the bars and lines included)."""
    figure.update_layout(uniformtext=dict(minsize=SLIDE_MIN_TEXT * scale, mode="show"))
    figure.update_xaxes(tickfont=dict(size=SLIDE_TICK_SIZE * scale, color=SLIDE_TICK_COLOR))
    figure.update_yaxes(tickfont=dict(size=SLIDE_TICK_SIZE * scale, color=SLIDE_TICK_COLOR))
    if scale != 1:
        for note in figure.layout.annotations:
            if note.font.size is not None:
                note.font.size = note.font.size * scale
    return figure


def _scenario_of(pack: meeting.MeetingPack, screen_key: str) -> dict:
    return next(s for s in pack.scenarios if f"scenario-{s['id']}" == screen_key)


def _draw(deck: tuple, screen_key: str, height: int, scale: float, fitted: bool) -> None:
    box = CHART_FIT if fitted else CHART_BOX
    if screen_key.startswith("scenario-"):
        _scenario(_scenario_of(_deck(*deck), screen_key), _figure(deck, screen_key, height, scale, fitted), box)
        return
    with st.container(key=box):
        charts.show(_figure(deck, screen_key, height, scale, fitted), key=f"meeting_chart_{screen_key}",
                    toolbar=False, fitted=True)


def _scenario(scenario: dict, figure, box: str) -> None:
    """The assumptions beside the bridge from the base forecast's result to the scenario's."""
    said, drawn = st.container(key="meeting_scenario").columns([2, 3])
    conditions = scenario["conditions"]
    room = SLIDE_CONDITIONS - (1 if scenario["rebased"] else 0)  # a note on two forecasts takes a line or two
    if len(conditions) > room + 1:  # more would push the footer off a 720 px screen
        conditions = [*conditions[:room], f"… och {len(conditions) - room} antaganden till (alla i mötespapperen)."]
    listed = "".join(f"<li>{escape(text)}</li>" for text in conditions)
    note = f"<p>{escape(scenario['note'])}</p>" if scenario["note"] else ""
    said.markdown(f'<div class="np-meeting-list"><p><b>Antaganden</b></p><ul>{listed}</ul>{note}</div>',
                  unsafe_allow_html=True)
    with drawn, st.container(key=box):
        charts.show(figure, key=f"meeting_chart_scenario_{scenario['id']}", toolbar=False, fitted=True)
