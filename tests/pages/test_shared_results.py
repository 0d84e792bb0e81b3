"""The results every session reads as the same objects (``ui.state.SHARED``) are never changed by a page
(issue 19): with every page drawn, each of its tabs, the scenario sliders moved and every screen of the
meeting shown, each shared result is still the same object and pickles to the same bytes as before."""

import html
import pickle
import re

import pandas as pd
import pytest

from settings import get_settings
from tests.pages.tabs import every_tab
from ui import state


def _shared(key, year, month):
    minimum = get_settings().min_group_size
    return {"budget_overview": state.budget_overview(key, year, month),
            "board_forecast": state.board_forecast(key, year, month),
            "sick_leave": state.sick_leave(key),
            "sick_leave_view": state.sick_leave_view(key, year, month, minimum)}


def _run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_issue_19_no_page_changes_the_results_every_session_shares(app_test, sample_url):
    _run(app_test("pages/1_Budget_mot_utfall.py", sample_url))  # the environment now names the sample
    key = state.db_key()
    year, month = state.latest_month(key)
    shared = _shared(key, year, month)
    assert set(shared) == set(state.SHARED)
    assert all(_shared(key, year, month)[name] is value for name, value in shared.items())
    before = {name: pickle.dumps(value) for name, value in shared.items()}

    for page in ("pages/1_Budget_mot_utfall.py", "pages/2_Prognos.py", "pages/4_Sjukfranvaro.py",
                 "pages/6_Mal_och_indikatorer.py", "pages/7_Jamforelse.py"):
        at = _run(app_test(page, sample_url))
        for _, at in every_tab(at):
            assert not at.exception, (page, [e.value for e in at.exception])
    at = _run(app_test("pages/5_Scenarier.py", sample_url))
    at.selectbox(key="scen_category").set_value("Institutionsplaceringar barn och unga").run()
    at.select_slider(key="scen_place").set_value(-2).run()
    at.select_slider(key="scen_sick").set_value(-1.0).run()
    assert not at.exception, [e.value for e in at.exception]
    meeting = app_test("app.py", sample_url)
    meeting.query_params["namndlage"] = "1"
    _run(meeting)
    screens = int(re.search(r"Bild 1 av (\d+)", "\n".join(m.value for m in meeting.markdown)).group(1))
    for number in range(2, screens + 1):
        meeting.query_params["skarm"] = str(number)
        _run(meeting)

    after = _shared(key, year, month)
    assert all(after[name] is value for name, value in shared.items())
    assert {name: pickle.dumps(value) for name, value in after.items()} == before


def test_issue_19_a_scenario_bridge_is_built_once_per_content():
    """Scenarier's bridge is shared by every session that draws the same scenario, and is the chart the
    builder makes for it; another scenario gets its own."""
    from ui import charts

    steps = (("Institutionsplaceringar barn och unga: volym", -1_200_000.0), ("Personalkostnader", -300_000.0))
    first = state.bridge_figure("Statistisk prognos aug 2025", -368_226_000.0, steps, "Med scenariot",
                                -369_726_000.0, -372_970_000.0)
    assert state.bridge_figure("Statistisk prognos aug 2025", -368_226_000.0, steps, "Med scenariot",
                               -369_726_000.0, -372_970_000.0) is first
    built = charts.result_bridge_chart("Statistisk prognos aug 2025", -368_226_000.0, list(steps), "Med scenariot",
                                       -369_726_000.0, -372_970_000.0)
    assert first.to_plotly_json() == built.to_plotly_json()
    other = state.bridge_figure("Statistisk prognos aug 2025", -368_226_000.0, steps[:1], "Med scenariot",
                                -369_426_000.0, -372_970_000.0)
    assert other is not first


def test_a_phone_gets_names_above_the_bars_and_the_shared_chart_is_left_as_it_was():
    """2026-12-05 walkthrough: on a phone a horizontal chart's names took the screen's width and its bars lay out
    of sight. ``names_above`` writes each name above its bar, in the axis's serial numbers on the side of the
    screen's top, on a copy: the chart the other sessions share keeps its names on the axis."""
    from ui import charts

    steps = (("Barn och unga, dygn: pris", -4_274_000.0), ("Vuxna: pris", -944_000.0))
    shared = charts.result_bridge_chart("Budget helår", -94_191_000.0, list(steps), "Volymprognos", -99_409_000.0,
                                        None)
    before = shared.to_plotly_json()
    phone = charts.names_above(shared, 15, 300)
    assert shared.to_plotly_json() == before
    names = [(html.unescape(note.text), note.y) for note in phone.layout.annotations]  # names are escaped
    # The waterfall's axis runs downwards: a name stands above its bar, at a smaller serial number.
    gap = (1 - charts.PHONE_GAP) / 2
    assert names == [("Budget helår", -gap), ("Barn och unga, dygn: pris", 1 - gap), ("Vuxna: pris", 2 - gap),
                     ("Volymprognos", 3 - gap)]
    assert phone.layout.yaxis.showticklabels is False and phone.layout.height >= 4 * charts.PHONE_ROW
    # 2026-12-06 walk: the grid lines at the bars' height ran through the figures beside the bars.
    assert phone.layout.yaxis.showgrid is False
    # A slide and a page follow one rule on a phone: a chart drawn sideways gets its names above the bars.
    assert charts.for_phone(shared, 300).to_plotly_json() == \
        charts.names_above(shared, charts.PHONE_FONT, 300).to_plotly_json()


def test_walkthrough_2026_12_05_the_medians_line_stays_beside_the_bars_on_a_phone():
    """Slide 7 on a phone: the group's median, a line across the chart drawn above the traces, ran through the
    names written above the bars. On a phone it is drawn beside each bar only, below its name."""
    from domain.comparison import ChartRow
    from ui import charts

    rows = [ChartRow("Barn och unga: HVB-hem", -0.1, 0.4, 0.26, 0.12, False, "", ""),
            ChartRow("Ekonomiskt bistånd", -0.08, 0.1, 0.24, 0.05, False, "", "")]
    shared = charts.comparison_chart(rows, names_only=True)
    assert [s.yref for s in shared.layout.shapes] == ["y domain"]
    phone = charts.names_above(shared, 15, 300)
    gap = (1 - charts.PHONE_GAP) / 2
    assert [(s.x0, s.yref, s.y0, s.y1) for s in phone.layout.shapes] == [(0, "y", -gap, gap),
                                                                         (0, "y", 1 - gap, 1 + gap)]
    names = {note.y for note in phone.layout.annotations}
    assert all(not (s.y0 < y < s.y1) for s in phone.layout.shapes for y in names)  # no line through a name
    assert [s.yref for s in shared.layout.shapes] == ["y domain"]  # the shared chart is left as it was


def test_walkthrough_2026_12_06_a_page_s_charts_are_drawn_for_a_phone():
    """2026-12-06 walk on a phone: Sjukfrånvaro's months ran together ("okt 2022jan 2023apr 2023") under a title
    cut at the screen's edge, and Jämförelse's names left its plot 50 px. A page's chart on a phone gets the
    slides' treatment (``charts.for_phone``, a copy): a time line at most five dates and its title on lines; a
    horizontal chart its names above the bars, a name with its figures on two lines where one line is too long,
    the bars clear of the names."""
    from domain.comparison import ChartRow
    from ui import charts

    periods = pd.Series([pd.Period(f"{2023 + (m // 12)}-{m % 12 + 1:02d}", "M") for m in range(30)])
    nämnd = pd.DataFrame({"period": periods, "rate": 0.07})
    shared = charts.sick_leave_chart(nämnd, None, None, pd.Series(0.07, index=range(30)), None)
    before = shared.to_plotly_json()
    phone = charts.for_phone(shared)
    assert shared.to_plotly_json() == before
    assert len(phone.layout.xaxis.tickvals) <= 5
    assert phone.layout.title.text == "Sjukfrånvaro per månad, % av ordinarie<br>arbetstid"
    assert phone.layout.margin.t > shared.layout.margin.t

    rows = [ChartRow("Individ- och familjeomsorg, nettokostnad", -0.1, 0.4, 0.26, 0.12, False, "5 317 kr", "5 041 kr"),
            ChartRow("Ekonomiskt bistånd", -0.08, 0.1, 0.24, 0.05, False, "1 552 kr", "1 250 kr")]
    phone = charts.for_phone(charts.comparison_chart(rows))
    names = [html.unescape(note.text) for note in phone.layout.annotations if note.xref == "paper"]
    assert names == ["Ekonomiskt bistånd<br><b>1 552 kr</b> · median 1 250 kr",
                     "Individ- och familjeomsorg, nettokostnad<br><b>5 317 kr</b> · median 5 041 kr"]
    half = (1 - phone.layout.bargap) / 2  # a name stands on the edge of its bar's share of the row
    assert phone.data[0].width == pytest.approx(2 * half)
    assert [note.y % 1 for note in phone.layout.annotations if note.xref == "paper"] == pytest.approx([half, half])


def test_walkthrough_2026_12_06_the_variance_charts_titles_keep_apart_on_a_narrow_screen():
    """Budget mot utfall › Avvikelse per verksamhet on a phone and a tablet: the two columns' titles ran into
    each other ("Avvikelse jan–aug 2025, tkrAvvikelse i % av budge") and the percent labels stood on end. On a
    page each title takes two short lines, from the plot's left edge and to its right edge, and the percent scale
    level labels at zero and its farthest line."""
    from ui import charts

    gaps = pd.DataFrame({"activity": ["Ekonomiskt bistånd", "Familjerätt"], "variance_ytd": [8_463_000.0, -510_000.0],
                         "relative": [0.18, -0.03]})
    page = charts.variance_chart(gaps, 7_953_000.0, 0.02, period="jan–aug 2025")
    assert [(note.text, note.x, note.xanchor) for note in page.layout.annotations][:2] == [
        ("Avvikelse, tkr<br>jan–aug 2025", 0, "left"), ("Avvikelse<br>i % av budget", 1, "right")]
    assert page.layout.xaxis2.tickangle == 0 and list(page.layout.xaxis2.ticktext)[0] == "0\u00a0%"
    slide = charts.variance_chart(gaps, 7_953_000.0, 0.02, few_ticks=True)
    assert [note.text for note in slide.layout.annotations][:2] == ["Avvikelse, tkr", "Avvikelse i % av budget"]


def test_walkthrough_2026_12_06_slide_two_on_a_phone_keeps_its_figures_and_one_scale():
    """Slide 2 with the year-end column: both columns on one scale, and on a phone held upright each axis is
    widened until its figures fit beside their bars ("+12 256" was cut at the screen's edge), still on one
    scale."""
    from ui import charts

    rows = pd.DataFrame({"activity": ["Ekonomiskt bistånd", "Institutionsvård barn och unga"],
                         "variance_ytd": [8_463_000.0, -4_594_000.0], "variance_year": [12_256_000.0, -7_141_000.0],
                         "relative": [0.18, -0.03]})
    slide = charts.variance_chart(rows, 3_869_000.0, 0.01, few_ticks=True)
    assert [note.text for note in slide.layout.annotations][:2] == ["Mot budget hittills i år, tkr",
                                                                         "Mot budget helår enligt prognosen, tkr"]
    assert list(slide.data[1].x) == pytest.approx([-7_141.0, 12_256.0, 5_115.0])  # Summa: the column's sum
    assert slide.layout.xaxis.range == slide.layout.xaxis2.range
    phone = charts.for_phone(slide, 600)
    reach = phone.layout.xaxis2.range[1]
    assert phone.layout.xaxis.range == phone.layout.xaxis2.range and reach > slide.layout.xaxis2.range[1]
    width = charts.PHONE_WIDTH * (phone.layout.xaxis2.domain[1] - phone.layout.xaxis2.domain[0])
    size = phone.data[1].textfont.size
    for value, text in zip(phone.data[1].x, phone.data[1].text):  # figure's end within the axis
        assert abs(value) + len(text) * size * 0.6 * 2 * reach / width <= reach + 1e-6
    # Second 2026-12-07 walk: the widened scale has room beside every bar, and a figure written inside one too short
    # for it ran across the zero line; the long titles ran into each other in half a phone's width.
    assert all(trace.textposition == "outside" for trace in phone.data)
    assert [note.text for note in phone.layout.annotations][:2] == ["Hittills i år, tkr", "Helår (prognos), tkr"]
    assert [note.text for note in slide.layout.annotations][:2] == ["Mot budget hittills i år, tkr",
                                                                         "Mot budget helår enligt prognosen, tkr"]


def test_walk_2026_12_07_the_farthest_bars_label_stands_inside_it_on_the_slide():
    """On a tablet's slide 2 the year-end column's "+12 256" stood beside its bar, past the chart's edge ("+12 2").
    A bar reaching 80 % of the scale's farthest value or more has its label inside, at its end; the others beside
    it, every label at one size."""
    from ui import charts

    frame = pd.DataFrame({"activity": ["Ekonomiskt bistånd", "Familjerätt", "Institutionsvård"],
                          "variance_ytd": [8_463_000.0, 548_000.0, -4_594_000.0],
                          "variance_year": [12_256_000.0, 714_000.0, -7_141_000.0]})
    figure = charts.variance_chart(frame, 4_417_000.0, 0.01, few_ticks=True)
    so_far, year_end = figure.data
    # Sorted by the avvikelse so far, the sum (+5 829) last.
    assert list(year_end.y) == ["Institutionsvård", "Familjerätt", "Ekonomiskt bistånd", "Summa"]
    assert list(year_end.textposition) == ["outside", "outside", "inside", "outside"]
    assert list(so_far.textposition) == ["outside"] * 4  # 8 463 is 69 % of 12 256
    assert year_end.constraintext == "none" and year_end.insidetextanchor == "end"
