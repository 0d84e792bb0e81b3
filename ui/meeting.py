"""Nämndläge: the dashboard at the board meeting, one message per screen, reachable by ?namndlage=1."""

from __future__ import annotations


import streamlit as st

from domain import meeting
from domain.formatting import format_mnkr
from domain.markup import escape
from ui import charts, state

PARAMETER, SCREEN = "namndlage", "skarm"

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1.2rem !important; max-width: 100% !important;
    padding-left: 2.5rem !important; padding-right: 2.5rem !important; }
html, body, [class*="css"] { font-size: 22px; }
p.np-meeting-title { font-size: 2.1rem !important; font-weight: 700; margin: 0 0 0.2rem 0; line-height: 1.2; }
p.np-meeting-headline { font-size: 1.45rem !important; line-height: 1.3; margin: 0 0 0.3rem 0; }
p.np-meeting-footer { font-size: 0.95rem !important; color: #333; border-top: 1px solid #ccc; padding-top: 0.2rem;
    margin: 0; }
p.np-meeting-step { font-size: 1rem !important; color: #333; margin: 0.4rem 0 0 0; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.4rem; }
</style>
"""

# Arrow keys (and PageDown/PageUp from a presenter remote) press the on-screen buttons.
_KEYS = """<!doctype html>
<script>
const doc = window.parent.document;
if (!doc.__namndlageKeys) {
  doc.__namndlageKeys = true;
  doc.addEventListener("keydown", (event) => {
    const forward = ["ArrowRight", "PageDown", " "].includes(event.key);
    const back = ["ArrowLeft", "PageUp"].includes(event.key);
    if (!forward && !back) return;
    const label = forward ? "Nästa" : "Föregående";
    const button = [...doc.querySelectorAll("button")].find((b) => b.innerText.includes(label));
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>
"""


def active() -> bool:
    return st.query_params.get(PARAMETER) == "1"


def _go(index: int) -> None:
    st.query_params[SCREEN] = str(index + 1)


def _leave() -> None:
    st.query_params.clear()


def render() -> None:
    """The meeting deck; the page that was asked for is not drawn."""
    st.markdown(_CSS, unsafe_allow_html=True)
    key = state.db_key()
    latest = state.latest_month(key)
    if latest is None:
        st.info("Det finns inga data att visa ännu.")
        return
    year, month = (st.session_state.get("_period_year_store", latest[0]),
                   st.session_state.get("_period_month_store", latest[1]))
    if (year, month) > latest or month == 12:
        year, month = latest
    with st.spinner("Förbereder nämndläget …"):
        pack = state.meeting_pack(key, state.scenarios_key(), year, month, state.versions_key())
    screens = pack.screens
    index = meeting.screen_index(st.query_params.get(SCREEN, "1"), len(screens))
    screen = screens[index]
    st.markdown(f'<p class="np-meeting-title">{escape(screen.title)}</p>'
                f'<p class="np-meeting-headline">{escape(screen.headline)}</p>', unsafe_allow_html=True)
    _draw(screen.key, pack)
    left, middle, right = st.columns([1, 4, 1])
    left.button("◀ Föregående", key="meeting_previous", disabled=index == 0, on_click=_go, args=(index - 1,),
                width="stretch")
    middle.markdown(f'<p class="np-meeting-step" style="text-align:center">Bild {index + 1} av {len(screens)} · '
                    "piltangenterna bläddrar</p>", unsafe_allow_html=True)
    right.button("Nästa ▶", key="meeting_next", disabled=index == len(screens) - 1, on_click=_go, args=(index + 1,),
                 width="stretch")
    sample = " · exempeldata (påhittad kommun)" if pack.is_sample else ""
    st.markdown(f'<p class="np-meeting-footer">{escape(pack.municipality)} · {escape(pack.cutoff_label)} · '
                f"{escape(pack.forecast_label)}{sample}</p>", unsafe_allow_html=True)
    leave, papers = st.columns([3, 2])
    leave.button("Avsluta nämndläge", key="meeting_leave", on_click=_leave, type="tertiary")
    with papers.popover("Mötespapper", width="stretch"):
        from ui.export import papers_panel

        papers_panel(key, prefix="meeting")
    st.iframe(_KEYS, height=1)


def _draw(screen_key: str, pack: meeting.MeetingPack) -> None:
    height = 360  # the whole screen, footer included, fits a 1280×720 projector
    if screen_key == "prognos":
        figure = charts.forecast_fan(pack.cumulative_actual, pack.cumulative_budget, pack.fan, point=pack.board.point,
                                     manual_total=pack.manual_total)
    elif screen_key == "verksamheter":
        figure = charts.variance_chart(meeting.largest_variances(pack.overview.activity_variance),
                                       pack.overview.variance_ytd, pack.overview.adherence_ytd)
    elif screen_key == "placeringar":
        figure = charts.cost_bridge_chart("Budget", pack.placements.cost_a, pack.placement_steps, "Prognos",
                                          pack.placements.cost_b)
    elif screen_key == "sjukfranvaro":
        monthly = pack.sick_monthly.tail(24)
        figure = charts.sick_leave_chart(monthly, None, pack.sick_trend, monthly["sick_hours"].rolling(12).sum()
                                         / monthly["scheduled_hours"].rolling(12).sum(), None)
    else:
        scenario = next(s for s in pack.scenarios if f"scenario-{s['id']}" == screen_key)
        figure = charts.bridge_chart(scenario["base_label"], scenario["base_point"], scenario["result"].steps,
                                     "Scenario", scenario["result"].point)
        st.markdown(f"Resultat med scenariot: **{format_mnkr(scenario['result'].point)}** (sparat av "
                    f"{escape(scenario['author'])})")
    figure.update_layout(height=height, font=dict(size=20), title=None, legend=dict(y=-0.2, font=dict(size=18)),
                         margin=dict(t=20))
    figure.update_traces(textfont_size=18, selector=dict(type="bar"))
    st.plotly_chart(figure, key=f"meeting_chart_{screen_key}")
