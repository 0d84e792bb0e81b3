"""Issue 18: every number, date and name the user reads is Swedish text, never a raw value.

Each page (every tab's content that is drawn without a click), the nämndläge slides, the Scenarier
page with decimal assumptions and the Data page's preview of an uploaded file are rendered under
AppTest on the sample data. All the text a user can read is collected (Markdown, captions, alerts,
metrics, widget labels, options and values, table and dataframe cells as displayed) and searched
for what only a program writes: a decimal point, an ISO date or time, a snake_case identifier,
"nan"/"None", an integer of five digits or more without a thousands separator, and a hyphen where
a minus sign or a dash belongs ("-2", "-29 år").
"""

from __future__ import annotations

import html
import re

import numpy as np

import pytest
from streamlit import dataframe_util

from tests.conftest import ROOT
from tests.pages.tabs import every_tab, open_tab

PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]

LEAKS = {
    "decimal point": re.compile(r"\d\.\d"),
    "ISO date or time": re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b|\d{2}:\d{2}:\d{2}"),
    "snake_case identifier": re.compile(r"\b[a-zåäö]+_[a-zåäö_]+\b", re.IGNORECASE),
    "missing value": re.compile(r"\b(nan|None|NaN|NaT|null)\b"),
    "ungrouped integer": re.compile(r"(?<![\d\u00a0\u202f ,])\d{5,}(?!\d)"),
    "hyphen for a minus or a dash": re.compile(r"(?<![\w\-–])-\d"),
    "comma as thousands separator": re.compile(r"(?<![\d,])\d{1,3}(,\d{3})+(?![\d,])"),
}

# What is legitimately written so, each as narrowly as it occurs.
ALLOWED = [
    re.compile(r"\b[0-9a-f]{12}\b|\b[0-9a-f]{64}\b"),           # a checksum (short form or whole SHA-256)
    re.compile(r"[\w./-]+\.(csv|txt|xlsx|json)\b"),              # a file name as the user named it
    re.compile(r"python -m data_access( \w+)?"),                  # the command line, quoted
    re.compile(r"\?namndlage=1(&skarm=\d+)?"),                    # the meeting address
    re.compile(r"NAMNDPANELEN_[A-Z_]+"),                          # a setting's name
    re.compile(r"(?<![\d,.])\d{1,2}(\.\d{1,2})+\.?(?=\s+[A-ZÅÄÖ])"),  # a goal's number before its name: 7.3 Rätt insats
    re.compile(r"\?mal=[\w.-]+"),                                 # a goal's address
    re.compile(r"\b[NU]\d{5}\b"),                                   # a Kolada KPI's id: N31001
    re.compile(r"CC\s+BY\s+4\.0"),                                 # Kolada's licence, by its name
    re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL),                  # a file's content as written, set as code
]
STRIP = [re.compile(r"<style>.*?</style>", re.DOTALL), re.compile(r"<[^>]+>")]


def _cells(proto) -> list[str]:
    """A table's header and cells as the browser shows them: the Styler's display values when there are any."""
    arrow = proto.arrow_data
    frame = dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.data)
    if arrow.HasField("styler") and arrow.styler.display_values:
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.styler.display_values)
    # A column of small line charts (an indicator's months) holds lists of numbers that are drawn, not written.
    return [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()
                                              if not isinstance(v, (list, tuple, np.ndarray))]


def _number_shown(proto, value) -> str:
    if value is None:
        return ""
    try:
        return proto.format % value if proto.format else str(value)
    except (TypeError, ValueError):
        return str(value)


def visible_texts(node, where: str = "") -> list[tuple[str, str]]:
    """(where, text) for everything a user can read under ``node``."""
    found: list[tuple[str, str]] = []
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if hasattr(node, "children"):
        label = getattr(proto, "label", "") if proto is not None and kind in ("tab", "expander") else ""
        if label:
            found.append((f"{where}/{kind}", label))
        inner = f"{where}/{label}" if label else where
        for child in node.children.values():
            found += visible_texts(child, inner)
        return found
    place = f"{where}/{kind}"
    if kind in ("dataframe", "table"):
        return [(place, text) for text in _cells(proto)]
    if kind in ("plotly_chart", "iframe", "html", "divider", "page_link", "event", "unknown", "vega_lite_chart"):
        # Charts are read by chart_config_leaks; a page link's text is its label, shown in the sidebar.
        return [(place, proto.label)] if kind == "page_link" else []
    texts = []
    for field in ("body", "label", "help", "placeholder", "delta"):
        if proto is not None and field in [f.name for f in proto.DESCRIPTOR.fields]:
            texts.append(str(getattr(proto, field)))
    if proto is not None and "options" in [f.name for f in proto.DESCRIPTOR.fields]:
        texts += [str(option) for option in proto.options]
    if kind == "number_input":
        texts.append(_number_shown(proto, node.value))
    elif kind == "text_input":
        texts.append(str(node.value or ""))
    return [(place, text) for text in texts if text]


def text_leaks(text: str, place: str) -> list[str]:
    """What in ``text`` is not written the Swedish way (numbers, dates, identifiers), with its context."""
    plain = text
    for pattern in STRIP:
        plain = pattern.sub(" ", plain)
    plain = html.unescape(plain)
    for pattern in ALLOWED:
        plain = pattern.sub(" ", plain)
    found = []
    for name, pattern in LEAKS.items():
        for match in pattern.finditer(plain):
            start = max(0, match.start() - 40)
            found.append(f"{place}: {name}: …{plain[start:match.end() + 40]}…")
    return found


def leaks(at, where: str) -> list[str]:
    assert not at.exception, (where, [e.value for e in at.exception])
    return [leak for place, text in visible_texts(at._tree, where) for leak in text_leaks(text, place)]


# What a chart writes in words: trace names, hover texts (Plotly's %{…} placeholders are formatted by the
# chart's own Swedish separators), text on bars, tick labels, titles and annotations.
CHART_TEXT_KEYS = frozenset({"name", "text", "hovertemplate", "hovertext", "texttemplate", "ticktext", "customdata"})


def chart_texts(value, key: str = "") -> list[str]:
    """Every string a chart's spec shows, its placeholders removed."""
    if isinstance(value, dict):
        return [text for name, inner in value.items() for text in chart_texts(inner, name)]
    if isinstance(value, list):
        return [text for inner in value for text in chart_texts(inner, key)]
    if isinstance(value, str) and key in CHART_TEXT_KEYS:
        return [re.sub(r"%\{[^}]*\}", " ", value)]
    return []


def chart_config_leaks(at, where: str) -> list[str]:
    """Charts whose toolbar is not the Swedish one (``ui.charts.CONFIG``): Plotly's own tooltips are English;
    and what a chart writes (names, hover texts, labels) that is not written the Swedish way."""
    import json

    from ui import charts

    found = []
    for chart in at.get("plotly_chart"):
        config = json.loads(chart.proto.config)
        if config.get("locale") != "sv" or config.get("locales") != json.loads(json.dumps(charts.CONFIG["locales"])):
            found.append(f"{where}: diagram utan svensk verktygsrad: {sorted(config)}")
        spec = json.loads(chart.proto.spec)
        found += [leak for text in chart_texts(spec) for leak in text_leaks(text, f"{where}/diagram")]
        layout = spec["layout"]
        for name, axis in layout.items():  # ticks given as an array lose their suffix: they need their texts
            if name.startswith(("xaxis", "yaxis")) and "tickvals" in axis and "ticktext" not in axis:
                found.append(f"{where}: {name} har tickvals utan ticktext (t.ex. utan %)")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_issue_18_every_page_writes_swedish_numbers_and_dates(app_test, sample_url, page):
    """... and every chart's toolbar speaks Swedish (its tooltips were Plotly's English ones)."""
    at = app_test(page, sample_url).run()
    assert leaks(at, page) == [] and chart_config_leaks(at, page) == []
    for label, shown in every_tab(at):  # a tab is drawn only when chosen
        assert leaks(shown, f"{page}, fliken {label}") == []
        assert chart_config_leaks(shown, f"{page}, fliken {label}") == []


def test_the_toolbar_s_every_button_has_a_swedish_title():
    """The buttons Plotly shows on a 2D chart after ``modeBarButtonsToRemove`` all have a Swedish title (their
    English titles as plotly.js 2 and 3 write them), and Streamlit's own English "Fullscreen" is hidden."""
    from ui import charts
    from ui.layout import _CSS

    kept = ["Download plot as a png", "Download plot as a PNG", "Zoom in", "Zoom out", "Autoscale", "Reset axes"]
    dictionary = charts.CONFIG["locales"]["sv"]["dictionary"]
    assert all(title in dictionary and dictionary[title] != title for title in kept)
    assert '.modebar-btn[data-title="Fullscreen"]' in _CSS


def test_issue_18_saved_versions_and_age_groups_are_written_in_swedish(app_test, sample_url):
    from data_access.engine import make_engine
    from data_access.forecast_versions import save_version
    from domain.access import CONTROLLER, Actor
    from tests.forecasting.test_views_and_versions import line

    engine = make_engine(sample_url)
    save_version(engine, name="Prognos delår 2 2025", year=2025, cutoff_month=8, data_version=1,
                 actor=Actor("anna", CONTROLLER), lines=[line()])
    engine.dispose()
    at = open_tab(app_test("pages/2_Prognos.py", sample_url).run(), "prognos_tab", "Spara version")
    assert leaks(at, "prognos, sparad version") == []
    listing = next(t.value for t in at.dataframe if "Kontrollsumma" in t.value.columns)
    assert re.fullmatch(r"\d{1,2}\u00a0[a-zåäö]{3}\u00a0\d{4} \d{2}:\d{2}", listing["Tid"].iloc[-1])
    at = open_tab(app_test("pages/4_Sjukfranvaro.py", sample_url).run(), "sick_tab", "Grupper")
    at.radio(key="sick_dimension").set_value("age_group").run()
    assert leaks(at, "sjukfrånvaro per åldersgrupp") == []
    ages = next(t for t in at.dataframe if "Åldersgrupp" in t.value.columns).value["Åldersgrupp"]
    assert list(ages) == ["–29 år", "30–49 år", "50– år"]


@pytest.fixture
def meeting_url(sample_url):
    """The sample with a scenario for the meeting whose assumptions have decimals."""
    from data_access.engine import make_engine
    from data_access.scenarios import save_scenario
    from domain.access import CONTROLLER, Actor

    engine = make_engine(sample_url)
    save_scenario(engine, actor=Actor("controller", CONTROLLER), name="Dyrare HVB", year=2025, cutoff_month=8,
                  base_label="Preliminär statistisk prognos aug 2025", for_meeting=True,
                  assumptions={"categories": {"Institutionsplaceringar barn och unga": {
                      "days_pct": 2.5, "placements": -2, "from_month": 10, "price_pct": 1.5}},
                      "state_grants_kr": -3_000_000.0, "sick_leave_points": -0.5})
    engine.dispose()
    return sample_url


def test_issue_18_namndlage_writes_swedish_numbers_and_dates(app_test, meeting_url):
    at = app_test("app.py", meeting_url)
    at.query_params["namndlage"] = "1"
    at.run()
    screens = int(re.search(r"Bild 1 av (\d+)", "\n".join(m.value for m in at.markdown)).group(1))
    found, shown = [], []
    for number in range(1, screens + 1):
        at.query_params["skarm"] = str(number)
        at.run()
        found += leaks(at, f"skärm {number}")
        shown += [m.value for m in at.markdown]
    assert found == []
    everything = "\n".join(shown)
    assert "Data t.o.m. augusti 2025" in everything
    assert re.search(r"stiger med 1,5\s%", everything) and "sjunker med 0,5 procentenheter" in everything


def test_issue_18_scenario_page_with_assumptions_writes_swedish_numbers(app_test, meeting_url):
    at = app_test("pages/5_Scenarier.py", meeting_url).run()
    at.selectbox(key="scen_category").set_value("Institutionsplaceringar barn och unga").run()
    at.select_slider(key="scen_price").set_value(1.5).run()
    at.select_slider(key="scen_sick").set_value(-0.5).run()
    at.select_slider(key="scen_place").set_value(-2).run()
    at.selectbox(key="scen_from").set_value(10).run()
    at.text_input(key="scen_grants").set_value("-3000").run()
    assert at.text_input(key="scen_grants").value == "\u22123\u00a0000"
    assert leaks(at, "scenarier") == []
    assert any(re.search(r"Statsbidrag om 3,0\smnkr uteblir\.", m.value) for m in at.markdown)
    assert any(re.search(r"stiger med 1,5\s%", m.value) for m in at.markdown)
    from data_access.engine import make_engine
    from data_access.scenarios import list_scenarios

    first = int(list_scenarios(make_engine(meeting_url), 2025)["id"].iloc[0])
    at.selectbox(key="scen_chosen").set_value(first).run()  # a saved scenario, chosen as a user does
    assert any(c.value.startswith("Sparat av controller") for c in at.caption)  # its time, in Swedish


def test_every_amount_scenarier_cannot_read_is_named_with_how_to_write_it(app_test, sample_url):
    """Walkthrough: with "1,5" in one field and "abc" in another, only the first was named, and "inte ett heltal"
    did not say that the field counts whole tkr."""
    nbsp = "\u00a0"
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    at.text_input(key="scen_personnel").set_value("1,5").run()
    at.text_input(key="scen_grants").set_value("abc").run()
    said = html.unescape(" ".join(e.value for e in at.error))  # as the browser shows the escaped text
    assert 'Ökade personalkostnader: "1,5" är inte ett heltal' in said
    assert 'Ändrat statsbidrag: "abc" är inte ett tal' in said
    assert f"(hela tkr: 1{nbsp}500 är 1,5{nbsp}mnkr)" in said and not at.exception


def test_issue_18_import_preview_writes_swedish_headers_and_numbers(app_test, sample_url):
    at = app_test("pages/9_Data.py", sample_url).run()
    content = ("period;verksamhet;kontogrupp;belopp;omrade\n"
               "2025-08;Ekonomiskt bistånd;personalkostnader;148889;Individ- och familjeomsorg\n"
               "2025-08;Ekonomiskt bistånd;intäkter;-17423;Individ- och familjeomsorg\n"
               "2025-09;Ekonomiskt bistånd;personalkostnader;4718459;Individ- och familjeomsorg\n").encode()
    at.file_uploader[0].set_value(("utfall_2025-09.csv", content, "text/csv")).run()
    assert leaks(at, "förhandsgranskning") == []
    effect = next(d.value for d in at.dataframe if "Period" in d.value.columns)
    assert {"Period", "Verksamhet", "Rader nu", "Belopp efter, tkr"} <= set(effect.columns)
    shown = "\n".join(text for _, text in visible_texts(at._tree))
    assert not re.search(r"\b(period|verksamhet|kontogrupp|belopp|omrade)\b \|", shown)


def test_issue_18_typed_amounts_are_read_the_swedish_way():
    from ui.inputs import whole_number

    assert whole_number("-3000", -100_000, 100_000) == -3000
    assert whole_number("\u22123\u00a0000", -100_000, 100_000) == -3000
    assert whole_number("3 000,0", -100_000, 100_000) == 3000
    assert whole_number(" ", -100_000, 100_000) == 0
    with pytest.raises(ValueError, match="inte ett tal; skriv ett heltal från −100 000 till 100 000"):
        whole_number("tre", -100_000, 100_000)
    with pytest.raises(ValueError, match="inte ett heltal"):
        whole_number("2,5", -100_000, 100_000)
    with pytest.raises(ValueError, match="utanför"):
        whole_number("200 000", -100_000, 100_000)
