"""Every page through AppTest: no exception, and the figures the user sees."""

import html
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access import schema as s
from data_access.engine import make_engine, migrate
from domain.forecast_view import year_over_said
from domain.markup import escape
from sample_data import SAMPLE_FILES
from tests.conftest import ROOT
from tests.data.test_import_safety import data_checksum
from tests.fixtures.norrtalje import load_into
from tests.pages.tabs import lock_version, open_tab

PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample(app_test, sample_url, page):
    at = app_test(page, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_database(app_test, tmp_path, monkeypatch, page):
    monkeypatch.setenv("NAMNDPANELEN_LOAD_SAMPLE", "0")
    at = app_test(page, f"sqlite:///{tmp_path / 'empty.sqlite3'}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page == "app.py":  # 2026-12-07 new-municipality walk: Start said "Inget utfall inläst" and not where to begin
        assert any(i.value.startswith("Inget utfall är inläst ännu. Börja på sidan Data") for i in at.info)


def number(text: str) -> float:
    """A figure as the page writes it ("−9\u00a0562") as a number."""
    return float(text.replace("\u2212", "-").replace("\u00a0", ""))


def frame_with(at, column: str):
    """The shown table that has ``column`` (AppTest cannot look dataframes up by key)."""
    for element in [*at.table, *at.dataframe]:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with column {column!r}")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_budget_page_shows_norrtalje_figures(app_test, tmp_path, norrtalje_files):
    url = f"sqlite:///{tmp_path / 'norrtalje.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    load_into(engine, norrtalje_files, "activity")
    at = app_test("pages/1_Budget_mot_utfall.py", url).run()
    assert not at.exception
    shown = metrics(at)
    # No version is locked: the period's forecast is the preliminary statistical one (a single year of history:
    # the budget for the months left, so the year's deviation so far), named so. Norrtälje's own forecast is named
    # beside it and is the table's forecast column: the report's Summa driftbudget prognos (reference
    # norrtalje_2025_driftredovisning.csv: −369 528, 3 436 under budget, budgetföljsamhet +0,9 %).
    assert shown["Helårsprognos"] == "\u2212363\u00a0000\u00a0tkr"
    assert shown["Avvikelse mot budget"] == shown["Avvikelse hittills"]
    caption = " ".join(c.value for c in at.caption)
    assert ("Helårsprognos: Preliminär statistisk prognos aug 2025. Verksamheternas prognos aug 2025: "
            "\u2212369\u00a0528\u00a0tkr") in caption
    table = frame_with(at, "Avvikelse budget–prognos")
    rows = table.set_index("Tkr")
    assert number(rows.loc["Summa driftbudget", "Verksamheternas prognos"]) == -369528
    assert number(rows.loc["Summa driftbudget", "Avvikelse budget–prognos"]) == 3436
    assert number(rows.loc["Placeringskostnader", "Avvikelse"]) == -9562
    assert number(rows.loc["Ekonomiskt bistånd", "Avvikelse budget–prognos"]) == 25075
    assert "Socialkontor" in rows.index
    assert "tolftedel" not in caption  # the budget is read per month: the report's own periodisation


def test_norrtalje_walk_2026_12_07_a_yearly_budget_spread_in_twelfths_is_said_on_the_page(app_test, tmp_path):
    """2026-12-07 Norrtälje walk: a yearly budget without history was spread evenly, and the page said nothing."""
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    url = f"sqlite:///{tmp_path / 'yearly.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    budget = "År;Verksamhet;Belopp\n2025;Familjerätt;1 200 000\n2025;Försörjningsstöd;12 000 000\n"
    utfall = "Månad;Verksamhet;Belopp\n2025-01;Familjerätt;95 000\n2025-01;Försörjningsstöd;1 010 000\n"
    for kind, content in (("budget", budget), ("utfall", utfall)):
        assert import_file(engine, kind, content.encode(), f"{kind}.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    at = app_test("pages/1_Budget_mot_utfall.py", url).run()
    assert not at.exception
    assert metrics(at)["Periodiserad budget"] == "\u22121\u00a0100\u00a0tkr"
    assert ("Den periodiserade budgeten är budget helår fördelad jämnt, en tolftedel per månad, för alla "
            "verksamheter: det finns inte två hela års utfall") in " ".join(c.value for c in at.caption)


def test_budget_page_totals_and_period_selector(app_test, tmp_path, norrtalje_files):
    url = f"sqlite:///{tmp_path / 'totals.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    load_into(engine, norrtalje_files, "totals")
    at = app_test("pages/1_Budget_mot_utfall.py", url).run()
    shown = metrics(at)
    assert shown["Avvikelse hittills"] == "+9\u00a0964\u00a0tkr"
    assert shown["Budgetföljsamhet utfall"] == "+4,0\u00a0%"
    # The report's own forecast, beside the period's statistical one: 3 437 tkr under budget.
    rows = frame_with(at, "Avvikelse budget–prognos").set_index("Tkr")
    assert number(rows.loc["Summa driftbudget", "Avvikelse budget–prognos"]) == 3437


def test_period_selector_changes_the_figures(app_test, sample_url):
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert at.selectbox(key="period_year").value == 2025
    assert at.selectbox(key="period_month").value == 8
    assert any("Hittills, jan–aug 2025" in m.value for m in at.markdown)
    # Walkthrough: the metric's +4 744 (the statistical forecast) beside the table's 7 204 (the managers') was not
    # explained; the caption names both forecasts and both deviations.
    assert metrics(at)["Avvikelse mot budget"] == "+4\u00a0773\u00a0tkr"
    caption = " ".join(c.value for c in at.caption)
    assert ("Verksamheternas prognos aug 2025: \u2212365\u00a0766\u00a0tkr, avvikelse mot budget +7\u00a0204\u00a0tkr"
            in caption)
    at.selectbox(key="period_month").set_value(4).run()
    assert any("Hittills, jan–apr 2025" in m.value for m in at.markdown)
    # 2026-12-04 walkthrough: the variance chart's "Avvikelse, tkr" did not say over which months.
    open_tab(at, "budget_tab", "Avvikelse per verksamhet")
    titles = [a["text"] for chart in at.get("plotly_chart") for a in json.loads(chart.proto.spec)["layout"]["annotations"]]
    assert "Avvikelse, tkr<br>jan–apr 2025" in titles
    open_tab(at, "budget_tab", "Driftredovisning")
    # Walkthrough: "Senast bokförda månad: april" read wrong with August booked; the list says what it chooses.
    assert at.selectbox(key="period_month").label == "Data till och med"
    assert not at.exception
    at.selectbox(key="period_year").set_value(2024).run()
    assert at.selectbox(key="period_month").value == 4  # the chosen month is kept
    assert any("Hittills, jan–apr 2024" in m.value for m in at.markdown)


def test_a_period_in_the_address_is_shown_and_follows_the_sidebar(app_test, sample_url):
    """A link with ?period=2025-06 shows June 2025 also after later months are booked; a period chosen in the
    sidebar is written into the address; the latest month needs none; a month not booked is named and the latest
    month shown instead."""
    at = app_test("pages/1_Budget_mot_utfall.py", sample_url)
    at.query_params["period"] = "2025-06"
    at.run()
    assert (at.selectbox(key="period_year").value, at.selectbox(key="period_month").value) == (2025, 6)
    assert any("Hittills, jan–jun 2025" in m.value for m in at.markdown)
    assert at.query_params.get("period") == "2025-06" and not at.warning
    at.selectbox(key="period_year").set_value(2024).run()
    assert at.query_params.get("period") == "2024-06"
    assert any("Hittills, jan–jun 2024" in m.value for m in at.markdown)
    at.selectbox(key="period_year").set_value(2025).run()
    at.selectbox(key="period_month").set_value(8).run()
    assert "period" not in at.query_params
    assert not at.exception

    for asked in ("2025-09", "2031-01", "1999-05", "13-2025", "aug 2025'; DROP TABLE actuals;--", "<b>x</b>"):
        wrong = app_test("pages/1_Budget_mot_utfall.py", sample_url)
        wrong.query_params["period"] = asked
        wrong.run()
        assert not wrong.exception, asked
        if asked == "aug 2025'; DROP TABLE actuals;--":
            continue
        assert [w.value for w in wrong.warning] == [
            f"Adressen ber om perioden {escape(asked)}, som inte finns bland de bokförda månaderna. Sidan visar "
            "augusti 2025, den senast bokförda månaden."], asked
        assert wrong.selectbox(key="period_month").value == 8 and "period" not in wrong.query_params


def test_walk_2026_12_06_prognos_for_a_booked_december_links_to_where_the_years_forecast_is_judged(app_test,
                                                                                                    sample_url):
    """Prognos for 2024-12 said only "välj en tidigare månad": the socialdirektör looking for how delår 2 held had
    no way on. The page links to Mål och indikatorer for the same period."""
    page = app_test("pages/2_Prognos.py", sample_url)
    page.query_params["period"] = "2024-12"
    page.run()
    assert not page.exception and page.info[0].value.startswith("2024 är bokfört till och med december.")
    link = page.get("page_link")[0].proto
    assert link.label == "Hur delår 2-prognosen för 2024 höll: Mål och indikatorer › Regeln om 5 %"
    assert link.page.endswith("Mal_och_indikatorer") or "6_Mal_och_indikatorer" in link.page
    assert "period=2024-12" in link.query_string


def test_a_booked_december_shows_the_years_outcome_and_the_deck_says_why_it_shows_another_month(app_test,
                                                                                                   sample_url):
    """2026-12-04 walkthrough: ?period=2024-12 put the verksamheternas prognos from August 2024 (−355 916 tkr)
    as the year-end beside the known result (−355 003), and the deck's link for December 2024 showed August
    2025 in silence. A booked year shows its outcome; the deck says why it shows the latest month."""
    nbsp = "\u00a0"
    page = app_test("pages/1_Budget_mot_utfall.py", sample_url)
    page.query_params["period"] = "2024-12"
    page.run()
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    assert "Helårsprognos" not in metrics and "Verksamheternas prognos" not in metrics
    assert metrics["Helårets utfall"] == metrics["Utfall"]
    assert metrics["Budgetföljsamhet helår"] == metrics["Budgetföljsamhet utfall"]
    said = [html.unescape(m.value) for m in page.markdown if m.value.startswith('<p class="np-headline">')]
    assert said == ['<p class="np-headline">Helåret 2024: nettokostnaden blev 12,1\u00a0mnkr högre än budgeten '
                    '(\u22123,5\u00a0%).</p>'], said
    caption = " ".join(c.value for c in page.caption)
    assert "2024 är bokfört till och med december: helårets siffror är utfallet." in caption
    assert f"Verksamheternas prognos aug 2024 var \u2212355{nbsp}916{nbsp}tkr" in caption

    deck = deck_at(app_test, sample_url, skarm="1", period="2024-12")
    # 2026-12-06 walk: said in one line above the slide, which keeps to 1280×720.
    assert [html.unescape(m.value) for m in deck.markdown if "np-meeting-notice" in m.value
            and m.value.startswith("<p")] == [
        '<p class="np-meeting-notice">December 2024 är ett bokfört helår: bilderna visar augusti 2025, den senast '
        "bokförda månaden.</p>"]
    assert "Data t.o.m. augusti 2025" in " ".join(m.value for m in deck.markdown)


def deck_at(app_test, url: str, **address: str):
    """The meeting deck opened from the kallelse's link with ``address`` (skarm, period), run once, unbroken."""
    deck = app_test("pages/1_Budget_mot_utfall.py", url)
    deck.query_params.update({"namndlage": "1", **address})
    deck.run()
    assert not deck.exception
    return deck


def test_the_meeting_deck_shows_the_period_in_its_address(app_test, sample_url):
    """The kallelse's link (?namndlage=1&period=2025-06) opens June's deck; starting the deck from a page puts the
    page's period in the address."""
    meeting = deck_at(app_test, sample_url, skarm="1", period="2025-06")
    assert "Data t.o.m. juni 2025" in " ".join(m.value for m in meeting.markdown)
    page = app_test("pages/2_Prognos.py", sample_url)
    page.query_params["period"] = "2025-05"
    page.run()
    page.button(key="start_meeting").click().run()
    assert {k: page.query_params.get(k) for k in ("namndlage", "skarm", "period")} == {
        "namndlage": "1", "skarm": "1", "period": "2025-05"}
    assert "Data t.o.m. maj 2025" in " ".join(m.value for m in page.markdown)
    # Walkthrough: a deck link with an unbooked period showed August in silence, and "skarm=99" stayed.
    wrong = deck_at(app_test, sample_url, skarm="99", period="2025-11")
    assert [w.value for w in wrong.warning] == [
        "Adressen ber om perioden 2025-11, som inte finns bland de bokförda månaderna. Bilderna visar augusti 2025, "
        "den senast bokförda månaden."]
    assert "Data t.o.m. augusti 2025" in " ".join(m.value for m in wrong.markdown)
    assert "period" not in wrong.query_params
    shown, count = re.search(r"Bild (\d+) av (\d+)", " ".join(m.value for m in wrong.markdown)).groups()
    assert shown == count and wrong.query_params["skarm"] == count  # the last slide, and the address says so


def test_drilldown_to_rows(app_test, sample_url):
    at = open_tab(app_test("pages/1_Budget_mot_utfall.py", sample_url).run(), "budget_tab", "Fördjupning")
    at.selectbox(key="budget_drill_activity").set_value("Ekonomiskt bistånd").run()
    groups = frame_with(at, "Kontogrupp")
    assert "Kontogrupp" in groups.columns and len(groups) >= 2
    at.selectbox(key="budget_drill_group").set_value("övriga kostnader").run()
    months = frame_with(at, "Månad")
    assert list(months["Månad"]) == ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "Summa"]
    rows = frame_with(at, "Belopp, kr")
    booked = sum(number(v) for v in rows["Belopp, kr"])
    shown = [number(v) for v in months["Utfall, tkr"]]
    assert len(rows) == 8 and abs(-booked / 1000 - sum(shown[:-1])) <= 8 * 0.5
    assert shown[-1] == round(-booked / 1000)  # every level has its Summa row, the krona total rounded once
    # 2026-12-05 walkthrough: the last step, one month's booked rows, had no control of its own.
    at.selectbox(key="budget_drill_month").set_value(8).run()
    august = frame_with(at, "Belopp, kr")
    assert len(august) == 1 and number(august["Belopp, kr"].iloc[0]) == number(rows["Belopp, kr"].iloc[-1])
    assert [e.label for e in at.expander if e.label.startswith("Visa bokförda rader")] == [
        "Visa bokförda rader för aug 2025"]


def test_data_page_preview_rejects_and_imports(app_test, sample_url):
    at = app_test("pages/9_Data.py", sample_url).run()
    assert not at.exception
    summary = frame_with(at, "Tabell")
    rows = summary.set_index("Tabell").loc["Utfall", "Rader"]
    assert int(rows.replace("\u00a0", "")) > 4000 and "\u00a0" in rows  # "4 960", grouped as Swedish
    assert summary.set_index("Tabell").loc["Utfall", "Första"] == "jan 2019"
    log = frame_with(at, "Kontrollsumma (SHA-256)")
    assert len(log) == len(SAMPLE_FILES) and set(log["Resultat"]) == {"importerad"}
    trail = frame_with(at, "Händelse")
    # Each sample file's import, and the delårsrapport 2 versions locked for the closed years 2019–2024.
    assert list(trail["Händelse"].value_counts().sort_index().items()) == [
        ("import", len(SAMPLE_FILES)), ("prognosversion sparad", 6)]
    assert set(trail["Användare"]) == {"exempeldata"}
    at.selectbox(key="data_audit_user").set_value("exempeldata").run()
    assert len(frame_with(at, "Händelse")) == len(SAMPLE_FILES) + 6


def test_page_docstrings_state_one_question():
    for page in PAGES:
        source = Path(ROOT / page).read_text(encoding="utf-8")
        first = source.split('"""')[1]
        assert first.strip().endswith("?"), page


def test_prognos_page_shows_the_forecast_and_saves_a_locked_version(app_test, sample_url):
    at = app_test("pages/2_Prognos.py", sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    # 2026-12-05 walkthrough: the figure was "Statistisk helårsprognos" or "Låst version" here and "Helårsprognos"
    # on Budget mot utfall; one name, its source in the help.
    assert shown["Helårsprognos"].endswith("tkr")
    # Issue 18: one sign on the screen: the interval is the result against budget, like the avvikelse.
    low, high = shown["Avvikelse mot budget, P10–P90"].removesuffix("\u00a0mnkr").split(" till ")
    assert low[0] in "+\u2212" and high[0] in "+\u2212"
    number = lambda text: float(text.replace("\u2212", "-").replace(",", "."))
    avvikelse = number(shown["Avvikelse mot budget"].removesuffix("\u00a0tkr").replace("\u00a0", "")) / 1000
    assert number(low) <= avvikelse <= number(high)
    assert shown["Sannolikhet inom ±5\u00a0%"].endswith("%")  # "%" never alone on a line (2026-12-06 walk)
    assert any("Den statistiska prognosen pekar på" in m.value for m in at.markdown)
    table = frame_with(at, "Statistisk prognos")
    tkr = lambda text: float(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", ""))
    total = tkr(table[table["Verksamhet"] == "Summa nämnden"].iloc[0]["Statistisk prognos"])
    rows = [tkr(v) for v in table[table["Verksamhet"] != "Summa nämnden"]["Statistisk prognos"]]
    assert total == pytest.approx(sum(rows), abs=len(rows))  # each shown rounded to whole tkr
    open_tab(at, "prognos_tab", "Träffsäkerhet")
    assert any("höll sig inom 5\u00a0%" in m.value for m in at.markdown)

    open_tab(at, "prognos_tab", "Spara version")
    assert at.text_input(key="prognos_version_name_2025_8").value == "Delårsrapport 2 2025"  # as earlier years'
    statistical = metrics(at)["Helårsprognos"]
    before = len(frame_with(at, "Kontrollsumma"))
    at.text_area(key="prognos_version_note").set_value("Inför delårsrapporten")
    # 2026-12-05: a locked version cannot be undone, so the first click asks, naming the version and its figure.
    at.button(key="prognos_version_save").click().run()
    assert [html.unescape(w.value) for w in at.warning if w.value.startswith("Lås versionen")] == [
        f'Lås versionen "Delårsrapport 2 2025"? Den statistiska prognosen: {statistical}, brytmånad aug 2025. '
        "En låst version kan inte ändras eller tas bort; en ny bedömning sparas som en ny version. "
        f"{year_over_said(2025)}: versionen sparas efter årets slut, och den blir den version som regeln om "
        "5\u00a0% bedömer för året."]  # the sample's year has ended (2026-12-06 walk), said with today's date
    assert year_over_said(2025).startswith("Året 2025 är slut (i dag är det ")
    assert len(frame_with(at, "Kontrollsumma")) == before and not at.success
    at.button(key="prognos_version_cancel").click().run()
    assert not [w for w in at.warning if w.value.startswith("Lås versionen")]
    assert len(frame_with(at, "Kontrollsumma")) == before
    lock_version(at)
    assert [s.value for s in at.success] == ['Versionen "Delårsrapport 2 2025" är sparad och låst.']
    assert not at.error and len(frame_with(at, "Kontrollsumma")) == before + 1
    # The form is empty again and offers the next free name, not the one just saved (a walk found the
    # comment kept for the next version).
    assert at.text_input(key="prognos_version_name_2025_8").value == "Delårsrapport 2 2025 (2)"
    assert at.text_area(key="prognos_version_note").value == ""
    saved = frame_with(at, "Kontrollsumma").set_index("Version")
    # Beside the sample's locked delårsrapport 2 of each closed year.
    assert saved.loc["Delårsrapport 2 2025", "Sparad av"] == "lokal användare"
    assert set(saved.drop(index="Delårsrapport 2 2025")["Sparad av"]) == {"exempeldata"}


def test_prognos_page_locks_the_verksamheternas_forecast(app_test, sample_url):
    """2026-12-03 walkthrough: the controller locks the delårsrapport's own forecast, and it becomes the
    helårsprognos (the figure beside "Verksamheternas prognos"), with its basis in the versions table."""
    at = app_test("pages/2_Prognos.py", sample_url).run()
    managers = metrics(at)["Verksamheternas prognos aug 2025"]  # named with its month (2026-12-07 walk)
    open_tab(at, "prognos_tab", "Spara version")
    assert not any(c.value.startswith("Utan egen prognos") for c in at.caption)
    # 2026-12-04 walkthrough: the notice said the version to lock enters the 5 % rule, as if nothing stood there.
    assert any("regeln om 5\u00a0% bedömer i dag verksamheternas importerade prognos per delår 2" in i.value
               for i in at.info)
    at.radio(key="prognos_version_basis").set_value("managers").run()
    at.text_input(key="prognos_version_name_2025_8").set_value("Delårsrapport 2 2025").run()
    lock_version(at)
    assert [s.value for s in at.success] == ['Versionen "Delårsrapport 2 2025" är sparad och låst.']
    shown = metrics(at)
    assert shown["Helårsprognos"] == managers
    saved = frame_with(at, "Kontrollsumma").set_index("Version")
    assert saved.loc["Delårsrapport 2 2025", "Grund"] == "Verksamheternas prognos"
    # 2026-12-04 walkthrough: the table per verksamhet held no locked version, and summed to another figure.
    open_tab(at, "prognos_tab", "Per verksamhet")
    lines = frame_with(at, "Låst version").set_index("Verksamhet")
    assert lines.loc["Summa nämnden", "Låst version"] + "\u00a0tkr" == managers
    tkr = lambda text: float(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", ""))
    parts = lines.drop(index="Summa nämnden")["Låst version"].map(tkr)
    assert tkr(lines.loc["Summa nämnden", "Låst version"]) == pytest.approx(parts.sum(), abs=len(parts))


def test_a_locked_version_whose_months_are_corrected_says_so_on_every_page_and_slide(app_test, sample_url):
    """2026-12-04 walkthrough: August was corrected after delår 2 was locked, and slide 1 and the papers kept
    saying the locked 7,2 mnkr beside a statistical forecast that had moved, with nothing to say why. The
    locked figure stays; Prognos, Budget mot utfall and the slide say the utfall it was made on has changed."""
    from sqlalchemy import select

    from data_access import schema as s
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    closed = deck_at(app_test, sample_url, skarm="1", period="2024-08")  # the sample's delår 2 of 2024
    headline = " ".join(html.unescape(m.value) for m in closed.markdown if m.value.startswith('<p class="np-meeting'))
    assert '<p class="np-meeting-headline np-meeting-long">Helårsprognosen (låst version' in headline and \
        "har ändrats sedan" not in headline, headline
    at = app_test("pages/2_Prognos.py", sample_url).run()
    open_tab(at, "prognos_tab", "Spara version")
    lock_version(at)
    assert not at.exception
    engine = make_engine(sample_url)
    c = s.actuals.c
    with engine.connect() as connection:
        rows = connection.execute(select(c.account_group, c.amount_kr).where(
            c.year == 2025, c.month == 8, c.activity == "Ekonomiskt bistånd")).all()
    lines = "".join(f"2025-08;IFO;Ekonomiskt bistånd;{group};{amount + (1_000_000 if n == 0 else 0)}\n"
                    for n, (group, amount) in enumerate(rows))
    assert import_file(engine, "utfall", ("Månad;Område;Verksamhet;Kontogrupp;Belopp\n" + lines).encode(),
                       "rättelse.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    engine.dispose()
    said = "Utfallet som versionen bygger på har ändrats sedan den låstes, 1,0\u00a0mnkr sämre; den låsta siffran står kvar."
    prognos = app_test("pages/2_Prognos.py", sample_url).run()
    assert any(said in c.value for c in prognos.caption)
    budget = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert any(said in c.value for c in budget.caption)
    deck = deck_at(app_test, sample_url, skarm="1")
    headline = " ".join(html.unescape(m.value) for m in deck.markdown if m.value.startswith('<p class="np-meeting'))
    assert 'Helårsprognosen (låst version "Delårsrapport 2 2025") pekar på' in headline
    assert "Utfallet har ändrats sedan versionen låstes (1,0\u00a0mnkr sämre)" in headline


def test_prognos_page_change_bridge_after_a_new_month(app_test, sample_url):
    at = app_test("pages/2_Prognos.py", sample_url)
    at.session_state["_period_month_store"] = 7
    open_tab(at.run(), "prognos_tab", "Spara version")
    at.text_input(key="prognos_version_name_2025_7").set_value("Prognos jul 2025")
    lock_version(at)
    at.selectbox(key="period_month").set_value(8).run()
    open_tab(at, "prognos_tab", "Varför ändrades prognosen")
    assert not at.exception
    tkr = lambda text: float(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", ""))
    steps = ["Nya utfall", "Rättade utfall", "Omprövad prognos"]
    bridge = frame_with(at, "Omprövad prognos").set_index("Verksamhet")[[*steps, "Förändring"]].map(tkr)
    parts = bridge.drop(index="Summa nämnden")
    assert bridge.loc["Summa nämnden", "Förändring"] == pytest.approx(parts["Förändring"].sum(), abs=len(parts))
    assert (parts[steps].sum(axis=1) - parts["Förändring"]).abs().max() <= 2  # each cell rounded to whole tkr
    placements = frame_with(at, "À-pris nu, kr")
    effects = placements[["Volym, tkr", "À-pris, tkr", "Förändring, tkr"]].map(tkr)
    assert ((effects["Volym, tkr"] + effects["À-pris, tkr"] - effects["Förändring, tkr"]).abs() <= 1).all()
    assert set(placements["Kategori"]) >= {"Institutionsplaceringar barn och unga", "Stödboende unga"}
    waterfalls = [trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]
                  if trace["type"] == "waterfall"]
    # Issue 18: drawn horizontally from zero, as the result against budget; names pass domain.markup.
    assert waterfalls and all(trace["orientation"] == "h" for trace in waterfalls)
    # A long name is set over several lines; days are added up within one unit (dygn or dagar).
    labels = [html.unescape(label.replace("<br>", " ")) for trace in waterfalls for label in trace["y"]]
    assert "Omprövad modell" in labels and "Placeringar barn och unga, dygn: volym" in labels
    assert all(len(line) <= 28 for trace in waterfalls for label in trace["y"]
               for line in html.unescape(label).split("<br>"))


def test_walk_2026_12_07_without_a_saved_version_the_change_is_said_against_last_months_forecast(app_test, sample_url):
    """Varför ändrades prognosen said only "Det finns ingen sparad version för 2025 att jämföra med"; the socialdirektör
    asked what changed since July. It compares with the statistical forecast after July on today's bookings, says the
    change in a sentence, and the bridge's steps add up from the one to the other."""
    at = app_test("pages/2_Prognos.py", sample_url).run()
    open_tab(at, "prognos_tab", "Varför ändrades prognosen")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="prognos_bridge_version").value == 0  # the month before, the only choice
    assert not any("ingen sparad version" in i.value for i in at.info)
    said = next(html.unescape(m.value) for m in at.markdown if m.value.startswith('<p class="np-headline"')
                and "sedan den statistiska prognosen efter juli" in html.unescape(m.value))
    assert said.startswith("<p class=\"np-headline\">Den statistiska prognosen har ändrats med ")
    [waterfall] = [trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]
                   if trace["type"] == "waterfall"]
    names = [html.unescape(label.replace("<br>", " ")) for label in waterfall["y"]]
    assert names[0] == "Statistisk prognos efter juli" and names[-1] == "Statistisk prognos nu"
    values = waterfall["x"]
    assert sum(values[1:-1]) == pytest.approx(values[-1] - values[0], abs=1)
    assert names[2] == "Rättade utfall, övrigt" and values[2] == 0  # the same bookings on both sides


def test_placements_page_on_norrtalje_tables(app_test, tmp_path, norrtalje_volume_files, norrtalje_files):
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    url = f"sqlite:///{tmp_path / 'plac.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    load_into(engine, norrtalje_files, "totals")
    for kind in ("volymbudget", "volymprognos", "volymer"):
        assert import_file(engine, kind, norrtalje_volume_files[kind].read_bytes(), f"{kind}.csv", actor=LOCAL, accept=ACCEPT_ALL).ok
    at = app_test("pages/3_Placeringar.py", url).run()
    assert not at.exception, [e.value for e in at.exception]
    open_tab(at, "plac_tab", "Volymer (dygn och dagar)")
    volumes = frame_with(at, "Avvikelse budget–prognos (controller)")
    rows = volumes.set_index("Kategori")
    assert rows.loc["Arvoderad familjehemsvård barn och unga",
                    "Avvikelse budget–prognos (controller)"] == "\u22129\u00a0566"
    # The report adds dygn and dagar into one total (reference: 108 931, avvikelse −20 421); the table shows
    # it named for what it adds, beside a Summa per unit.
    assert rows.loc["Summa, dygn och dagar", "Avvikelse budget–prognos (controller)"] == "\u221220\u00a0421"
    assert rows.loc["Summa, dygn och dagar", "Prognos (controller)"] == "108\u00a0931"
    assert rows.loc["Summa, dygn", "Prognos (controller)"] == "69\u00a0470"
    assert rows.loc["Summa, dagar", "Prognos (controller)"] == "39\u00a0461"
    # 2026-12-04 walkthrough: the papers printed the sum of two units without the page's caveat; it is the
    # table's own note now, so the PDF and the workbook say it as the page does.
    assert any("Raden Summa, dygn och dagar visas som i verksamheternas rapporter men lägger ihop två enheter"
               in c.value for c in at.caption)
    tkr = lambda text: float(text.replace("\u2212", "-").replace("\u00a0", ""))
    open_tab(at, "plac_tab", "Volym, mix och pris")
    shown = frame_with(at, "Volym")
    bridge = shown[["Volym", "Mix", "Pris", "Avvikelse"]].map(tkr)
    assert ((bridge["Volym"] + bridge["Mix"] + bridge["Pris"] - bridge["Avvikelse"]).abs() <= 2).all()  # whole tkr
    # Avvikelse as everywhere (second walk): budget − prognos, the forecast's higher cost shown with a minus.
    costs = shown.filter(like=", tkr").map(tkr)
    assert ((costs.iloc[:, 0] - costs.iloc[:, 1] - bridge["Avvikelse"]).abs() <= 2).all()
    assert bridge["Avvikelse"].iloc[-1] < 0
    at.radio(key="plac_comparison").set_value("budget_actual").run()
    assert any("enligt utfall hittills" in m.value for m in at.markdown)


def test_placements_page_trend_on_the_sample(app_test, sample_url):
    at = open_tab(app_test("pages/3_Placeringar.py", sample_url).run(), "plac_tab", "Utveckling och ytterfall")
    assert not at.exception
    at.selectbox(key="plac_trend_category").set_value("Stödboende unga").run()
    at.select_slider(key="plac_index_1").set_value(4.0).run()
    assert not at.exception
    assert metrics(at)["À-pris plan 2027"].endswith("kr")


def test_sick_leave_page_suppresses_small_groups(app_test, sample_url):
    at = app_test("pages/4_Sjukfranvaro.py", sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    parts = [shown[label] for label in ("Dag 1–14", "Dag 15–59", "Dag 60–")]
    total = shown["Sjukfrånvaro jan–aug 2025"]
    from domain.numbers import parse_number

    assert abs(sum(parse_number(p.replace("\u00a0%", "")) for p in parts)
               - parse_number(total.replace("\u00a0%", ""))) <= 0.15  # each shown rounded to one decimal
    assert any("Rensat för säsong" in m.value for m in at.markdown)
    open_tab(at, "sick_tab", "Grupper")
    at.radio(key="sick_dimension").set_value("unit").run()
    table = frame_with(at, "Anmärkning")
    familjeratt = table[table["Enhet"] == "Familjerätt"].iloc[0]
    assert familjeratt["Sjukfrånvaro"] == "prickad" and familjeratt["Anställda, minst"] == "–"
    # Third 2026-12-07 walk: every prickad group has one remark, so that the table does not say which one is small.
    from domain import sick_leave as sl

    assert set(table.loc[table["Sjukfrånvaro"] == "prickad", "Anmärkning"]) == {sl.HIDDEN_REMARK}
    assert not (table.loc[table["Sjukfrånvaro"] != "prickad", "Anmärkning"] == sl.HIDDEN_REMARK).any()
    at.select_slider(key="sick_hourly_cost").set_value(1250).run()
    assert at.select_slider(key="sick_hourly_cost").proto.options[125] == "1\u00a0250\u00a0kr"  # the field, too
    assert any("med 1\u00a0250\u00a0kr per timme" in c.value for c in at.caption)  # not "1250 kr"


def test_turnover_chart_hides_the_groups_its_rule_hides(app_test, sample_url, monkeypatch):
    """Personalomsättning plotted every yrkesgrupp, however small. With the threshold at six, the five
    familjerättssekreterare are hidden and the next smallest group with them; the caption names both."""
    monkeypatch.setenv("NAMNDPANELEN_MIN_GROUP", "6")
    at = open_tab(app_test("pages/4_Sjukfranvaro.py", sample_url).run(), "sick_tab", "Personalomsättning")
    assert not at.exception, [e.value for e in at.exception]
    names = {trace["name"] for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]}
    assert "Socialsekreterare, extern" in names
    assert not any(name.startswith("Familjerättssekreterare") for name in names)
    caption = next(html.unescape(c.value) for c in at.caption if "Prickade den senaste månaden" in c.value)
    assert "färre än 6 anställda" in caption and "Familjerättssekreterare" in caption
    hidden = caption.split("Prickade den senaste månaden: ")[1].rstrip(".").split(", ")
    assert len(hidden) >= 2 and not any(name.startswith(tuple(hidden)) for name in names)


def test_scenario_page_sliders_change_the_result(app_test, sample_url):
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    base = metrics(at)
    assert base["Helårsprognos med scenariot"] == base["Grundprognos, helår"]
    at.selectbox(key="scen_category").set_value("Institutionsplaceringar barn och unga").run()
    at.select_slider(key="scen_place").set_value(-2).run()
    at.selectbox(key="scen_from").set_value(10).run()
    at.selectbox(key="scen_category").set_value("Stödboende unga").run()
    assert at.select_slider(key="scen_place").value == 0  # each category keeps its own assumptions
    changed = metrics(at)
    assert changed["Helårsprognos med scenariot"] != base["Grundprognos, helår"]
    assert any("Med scenariot ökar överskottet" in m.value and
               "Två placeringar inom institutionsplaceringar barn och unga avslutas från och med oktober." in m.value
               for m in at.markdown)
    at.select_slider(key="scen_sick").set_value(-1.0).run()
    assert any("Sjukfrånvaron sjunker med 1 procentenhet." in m.value for m in at.markdown)
    at.text_input(key="scen_name").set_value("Två HVB hem")
    at.checkbox(key="scen_meeting").check()
    at.button(key="scen_save").click().run()
    assert any('sparades som "Två HVB hem". Det visas på nämndmötet.' in s.value for s in at.success)
    # Issue 18: the form is cleared after saving, and a second save of the same makes no copy.
    assert at.text_input(key="scen_name").value == "" and at.checkbox(key="scen_meeting").value is False
    at.text_input(key="scen_name").set_value("Två HVB hem")
    at.button(key="scen_save").click().run()
    assert any('redan sparat som "Två HVB hem"' in i.value for i in at.info) and not at.error
    shown = next(c for c in at.checkbox if c.label == "Visas på nämndmötet")
    assert shown.value is True
    shown.uncheck().run()
    assert not at.exception and next(c for c in at.checkbox if c.label == "Visas på nämndmötet").value is False
    at.checkbox(key="scen_meeting").check()
    at.button(key="scen_reset").click().run()
    assert metrics(at)["Helårsprognos med scenariot"] == base["Grundprognos, helår"]
    assert at.checkbox(key="scen_meeting").value is False


def test_an_earlier_period_moves_scenarier_from_month_to_its_first_open_month(app_test, sample_url):
    """Walkthrough: after choosing July, "från och med" still said September, a month the period's forecast has
    no assumption for; an untouched category now starts from the new period's first open month, a category
    with an assumption keeps its own."""
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    assert at.selectbox(key="scen_from").value == 9
    at.selectbox(key="scen_category").set_value("Stödboende unga").run()
    at.select_slider(key="scen_place").set_value(1).run()
    at.selectbox(key="scen_from").set_value(11).run()
    at.selectbox(key="scen_category").set_value("Institutionsplaceringar barn och unga").run()
    at.selectbox(key="period_month").set_value(7).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="scen_from").value == 8 and at.selectbox(key="scen_from").options[0] == "augusti"
    at.selectbox(key="scen_category").set_value("Stödboende unga").run()
    assert at.selectbox(key="scen_from").value == 11 and at.select_slider(key="scen_place").value == 1


def test_at_most_three_saved_scenarios_are_compared_and_the_page_says_so_in_swedish(app_test, sample_url):
    """Four chosen: the first three are compared, with a Swedish message (Streamlit's own limit said it in
    English, in the list of choices)."""
    from data_access.engine import make_engine
    from data_access.scenarios import list_scenarios, save_scenario
    from domain.access import CONTROLLER, Actor

    engine = make_engine(sample_url)
    for places in (-1, -2, -3, -4):
        save_scenario(engine, name=f"{-places} färre placeringar", actor=Actor("controller", CONTROLLER), year=2025,
                      cutoff_month=8, base_label="Statistisk prognos aug 2025", for_meeting=False,
                      assumptions={"categories": {"Institutionsplaceringar barn och unga": {
                          "days_pct": 0, "placements": places, "from_month": 10, "price_pct": 0}}})
    saved = sorted(int(i) for i in list_scenarios(engine)["id"])
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    at.multiselect(key="scen_compare").set_value(saved[:2]).run()
    assert list(frame_with(at, "Inom P10–P90")["Scenario"]) == ["1 färre placeringar", "2 färre placeringar"]
    # 2026-12-06 walk: what each assumes stands beside its totals.
    assert list(frame_with(at, "Antaganden")["Antaganden"]) == [
        f"{n} inom institutionsplaceringar barn och unga avslutas från och med oktober."
        for n in ("En placering", "Två placeringar")]
    assert not at.warning
    at.multiselect(key="scen_compare").set_value(saved).run()
    assert [w.value for w in at.warning] == ["Högst tre scenarier jämförs åt gången: de tre först valda visas. Ta "
                                             "bort ett val för att visa ett annat."]
    assert list(frame_with(at, "Inom P10–P90")["Scenario"]) == [
        "1 färre placeringar", "2 färre placeringar", "3 färre placeringar"]
    assert not at.exception


def test_walkthrough_2026_12_05_a_renamed_scenario_is_listed_by_its_new_name_at_once(app_test, sample_url):
    """Byt namn said "Namnet är ändrat." while the list and Jämför scenarier kept the old name (renamed after
    they were drawn, and a new name as long as the old left the list's cache as it was); and the list chose its
    first scenario unasked, so that the wrong one was renamed. Nothing is chosen until the user chooses, and
    the list offers no English "Select all"."""
    from data_access.engine import make_engine
    from data_access.scenarios import list_scenarios, save_scenario
    from domain.access import Actor

    engine = make_engine(sample_url)
    for days, name in ((5, "Fler HVB-dygn"), (-5, "Statsbidrag uteblir")):
        save_scenario(engine, name=name, actor=Actor("lokal användare", "admin"), year=2025, cutoff_month=8,
                      base_label="Statistisk prognos aug 2025", for_meeting=False,
                      assumptions={"categories": {"Institutionsplaceringar barn och unga": {
                          "days_pct": days, "placements": 0, "from_month": 9, "price_pct": 0}}})
    ids = dict(zip(list_scenarios(engine)["name"], list_scenarios(engine)["id"].astype(int)))
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    assert at.selectbox(key="scen_chosen").value is None
    assert not [b for b in at.button if b.key in ("scen_rename", "scen_delete", "scen_load")]
    assert at.multiselect(key="scen_compare").proto.select_all == 0
    at.selectbox(key="scen_chosen").set_value(ids["Fler HVB-dygn"]).run()
    # 2026-12-06 walk: loaded, the sliders show the category the scenario changes, not the first one at 0.
    at.button(key="scen_load").click().run()
    assert at.selectbox(key="scen_category").value == "Institutionsplaceringar barn och unga"
    assert at.session_state["scen_days"] == 5
    at.text_input(key="scen_new_name").set_value("Färre HVB-dygn")  # as long as the old name
    at.button(key="scen_rename").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ['Scenariot heter nu "Färre HVB-dygn".']
    chosen = at.selectbox(key="scen_chosen")
    assert chosen.value == ids["Fler HVB-dygn"] and chosen.format_func(chosen.value).startswith("Färre HVB-dygn (")
    assert "Färre HVB-dygn" in at.multiselect(key="scen_compare").options
    assert "Fler HVB-dygn" not in at.multiselect(key="scen_compare").options
    assert at.text_input(key="scen_new_name").value == ""
    # 2026-12-06 walk: one click deleted; now the page asks, naming the scenario, and Avbryt keeps it.
    at.button(key="scen_delete").click().run()
    assert [w.value for w in at.warning] == ['Ta bort scenariot "Färre HVB-dygn"? Borttaget kan det inte hämtas '
                                             'tillbaka.']
    assert "Färre HVB-dygn" in list_scenarios(engine)["name"].tolist()
    at.button(key="scen_delete_cancel").click().run()
    assert not at.warning and "Färre HVB-dygn" in list_scenarios(engine)["name"].tolist()
    at.button(key="scen_delete").click().run()
    at.button(key="scen_delete_confirm").click().run()
    assert [s.value for s in at.success] == ['Scenariot "Färre HVB-dygn" är borttaget.']
    assert at.selectbox(key="scen_chosen").value is None
    offered = at.multiselect(key="scen_compare").options
    assert "Statsbidrag uteblir" in offered and "Färre HVB-dygn" not in offered
    engine.dispose()


def test_a_scenario_the_deck_leaves_out_is_said_on_scenarier_not_on_the_namnds_slides(app_test, sample_url):
    """Walkthrough: after a later month was imported, the nämnd's first slide told the controller to "Gör om det
    på sidan Scenarier". The presenter reads it where scenarios are marked for the meeting; the deck says nothing."""
    from data_access.engine import make_engine
    from data_access.scenarios import save_scenario
    from domain.access import CONTROLLER, Actor

    engine = make_engine(sample_url)
    save_scenario(engine, name="Julis antaganden", actor=Actor("controller", CONTROLLER), year=2025, cutoff_month=7,
                  base_label="Statistisk prognos jul 2025", for_meeting=True,
                  assumptions={"categories": {}, "state_grants_kr": -1_000_000.0})
    engine.dispose()
    at = app_test("pages/5_Scenarier.py", sample_url).run()
    assert not at.exception
    said = [w.value for w in at.warning]
    assert said == ['Scenariot "Julis antaganden" (juli 2025) för nämndmötet visas inte, eftersom bilderna visar '
                    "data t.o.m. augusti 2025. Gör om det med den månadens data och markera det för nämndmötet."]
    at = app_test("app.py", sample_url)
    at.query_params["namndlage"] = "1"
    at.run()
    assert not at.exception
    shown = " ".join(str(m.value) for m in at.markdown)
    assert "Julis antaganden" not in shown and "Gör om" not in shown


def test_a_scenario_slide_names_the_forecast_it_starts_from(app_test, sample_url):
    """2026-12-04 walkthrough: the scenario slide's bridge started at "Grundprognos" while Scenarier's started at
    the period's forecast by name; the slide and the papers name it as the page does."""
    from data_access.engine import make_engine
    from data_access.scenarios import save_scenario
    from domain.access import CONTROLLER, Actor

    engine = make_engine(sample_url)
    save_scenario(engine, name="Statsbidraget", actor=Actor("controller", CONTROLLER), year=2025, cutoff_month=8,
                  base_label="Preliminär statistisk prognos aug 2025", for_meeting=True,
                  assumptions={"categories": {}, "state_grants_kr": -1_000_000.0})
    engine.dispose()
    at = app_test("app.py", sample_url)
    at.query_params.update({"namndlage": "1", "skarm": "99"})  # the last slide: the scenario
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [html.unescape(label.replace("<br>", " ")) for chart in at.get("plotly_chart")
              for trace in json.loads(chart.proto.spec)["data"] if trace["type"] == "waterfall" for label in trace["y"]]
    assert labels and not any("Grundprognos" in label for label in labels), labels
    assert any(label.startswith("Preliminär statistisk prognos aug 2025") for label in labels), labels


def test_data_page_register_is_kept_by_an_admin(app_test, sample_url):
    """Issue 16: the register on the Data page; an admin adds a verksamhet and maps a category to it."""
    at = app_test("pages/9_Data.py", sample_url).run()
    assert not at.exception
    activities = frame_with(at, "Område")
    assert "Ekonomiskt bistånd" in set(activities["Verksamhet"])
    at.text_input(key="data_reg_activity_name_+ Ny …").set_value("Ny verksamhet")
    at.text_input(key="data_reg_activity_area_+ Ny …").set_value("Individ- och familjeomsorg")
    next(b for b in at.button if b.label == "Spara verksamheten").click().run()
    assert not at.exception and not at.error
    assert "Ny verksamhet" in set(frame_with(at, "Område")["Verksamhet"])
    # 2026-12-05 walk with hostile names: the save was confirmed by nothing that stayed on the screen, and a
    # stored name typed again as new (with a trailing space) silently moved it to another område.
    assert "Ny verksamhet är sparad i registret." in [m.value for m in at.success]
    at.text_input(key="data_reg_activity_name_+ Ny …").set_value("Ekonomiskt bistånd ")
    at.text_input(key="data_reg_activity_area_+ Ny …").set_value("x")
    next(b for b in at.button if b.label == "Spara verksamheten").click().run()
    assert [e.value for e in at.error] == [
        'verksamheten "Ekonomiskt bistånd" finns redan i registret; välj den i listan för att ändra den']
    assert frame_with(at, "Område").set_index("Verksamhet").loc["Ekonomiskt bistånd", "Område"] != "x"
    at.run()
    categories = frame_with(at, "Verksamhet i bokföringen")
    first = categories["Kategori"].iloc[0]
    at.selectbox(key="data_reg_category").set_value(first).run()
    at.selectbox(key=f"data_reg_category_activity_{first}").set_value("Ny verksamhet")
    next(b for b in at.button if b.label == "Spara kategorin").click().run()
    assert not at.exception and not at.error
    mapped = frame_with(at, "Verksamhet i bokföringen").set_index("Kategori")
    assert mapped.loc[first, "Verksamhet i bokföringen"] == "Ny verksamhet"


def test_issue_19_the_track_record_is_read_from_the_store_not_computed_on_a_page_request(app_test, sample_url,
                                                                                         monkeypatch):
    """The Träffsäkerhet tab fitted every verksamhet's earlier years on request (in the forecast processes since
    2026-12-06, but still once per process and on a page request). It is stored once per data version, as the
    forecasts (here by the command line's path, every cut-off month); the tab reads it, and computes nothing."""
    from data_access import forecast_store
    from forecasting import board

    calls = []
    monkeypatch.setattr(board, "track_record_from_ledger", lambda *a, **k: calls.append(a))
    engine = make_engine(sample_url)
    stored = {month for month, in engine.connect().execute(
        select(s.forecast_results.c.cutoff_month).where(s.forecast_results.c.kind == forecast_store.RECORD,
                                                        s.forecast_results.c.year == 2025))}
    engine.dispose()
    assert stored == {4, 8, 10}
    at = app_test("pages/2_Prognos.py", sample_url).run()
    open_tab(at, "prognos_tab", "Träffsäkerhet")
    assert not at.exception and calls == []
    assert any("höll sig inom 5\u00a0%" in m.value for m in at.markdown)
    shown = frame_with(at, "Utfall december, tkr")
    assert list(shown["År"].unique()) == ["2019", "2020", "2021", "2022", "2023", "2024"]
    at.selectbox(key="prognos_record_cutoff").set_value(4).run()
    assert not at.exception and calls == [] and any("Delår 1-prognosen höll sig" in m.value for m in at.markdown)


def test_issue_16_undo_on_the_data_page_asks_why_and_takes_the_first_click(app_test, sample_url):
    from data_access.importer import ACCEPT_ALL, import_file
    from domain.access import LOCAL

    engine = make_engine(sample_url)
    saved = import_file(engine, "utfall", "Månad;Verksamhet;Kontogrupp;Belopp\n2025-09;Ekonomiskt bistånd;"
                        "övriga kostnader;1 000\n".encode(), "utfall_sep.csv", actor=LOCAL, accept=ACCEPT_ALL)
    engine.dispose()
    assert saved.ok
    at = app_test("pages/9_Data.py", sample_url).run()
    assert at.selectbox(key="data_undo_id").value == saved.import_id
    # No reason given: the click is answered, not ignored.
    at.button(key="data_undo").click().run()
    assert any("Ange varför importen ångras." in e.value for e in at.error)
    # A reason typed and the button clicked at once (no Enter first) asks once more, saying what the undo will
    # do (2026-12-05 walkthrough: an undo went at one click, an import and a locked version ask first).
    before = data_checksum(make_engine(sample_url))
    at.text_input(key="data_undo_reason").input("Fel fil")
    at.button(key="data_undo").click().run()
    assert not at.exception
    question = [html.unescape(w.value) for w in at.warning if "Ångra importen?" in w.value]
    assert question == [f"Import {saved.import_id} (utfall_sep.csv) ångras: 1 rad tas bort och 0 tidigare rader "
                        "återställs. Ångra importen?"], question
    assert data_checksum(make_engine(sample_url)) == before  # asking changed nothing
    at.button(key="data_undo_cancel").click().run()
    assert not any("Ångra importen?" in w.value for w in at.warning)
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert not at.exception
    assert any(f"Import {saved.import_id} (utfall_sep.csv) är ångrad" in html.unescape(s.value) for s in at.success)


def test_the_footer_says_which_month_the_page_shows_when_it_is_not_the_latest(app_test, sample_url):
    """2026-12-05 walkthrough: with August chosen, every footer said "data t.o.m. sep 2025", read as the page's
    own month; the deck said August."""
    at = app_test("pages/6_Mal_och_indikatorer.py", sample_url)
    at.session_state["_period_month_store"] = 7
    at.run()
    footer = [html.unescape(m.value) for m in at.markdown if 'class="np-footer"' in m.value]
    assert len(footer) == 1 and "visar t.o.m. jul 2025; databasen har data t.o.m. aug 2025" in footer[0], footer
    at.session_state["_period_month_store"] = 8
    at.selectbox(key="period_month").set_value(8).run()
    footer = [html.unescape(m.value) for m in at.markdown if 'class="np-footer"' in m.value]
    assert "· data t.o.m. aug 2025" in footer[0] and "visar" not in footer[0], footer
    # A page without a period (Data) says what the database holds, whatever month another page had chosen.
    data = app_test("pages/9_Data.py", sample_url)
    data.session_state["period_year"], data.session_state["period_month"] = 2025, 7  # as another page left them
    data.run()
    footer = [html.unescape(m.value) for m in data.markdown if 'class="np-footer"' in m.value]
    assert "· data t.o.m. aug 2025" in footer[0] and "visar" not in footer[0], footer


def test_walkthrough_2026_12_05_start_shows_and_keeps_the_period_the_pages_show(app_test, sample_url):
    """Opened after Budget mot utfall?period=2025-06, Start dropped the period from the address, had no period
    selector and said only "Senast bokförda månad", though its question is which period is shown."""
    at = app_test("app.py", sample_url)
    at.query_params["period"] = "2025-06"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Sidorna visar t.o.m."] == "jun 2025" and shown["Senast bokförda månad"] == "aug 2025"
    assert at.selectbox(key="period_month").value == 6 and at.query_params["period"] == "2025-06"
    assert "visar t.o.m. jun 2025; databasen har data t.o.m. aug 2025" in " ".join(m.value for m in at.markdown)


def test_walkthrough_2026_12_06_placeringar_opens_a_booked_year_on_its_utfall(app_test, sample_url):
    """?period=2024-12 opened on the controllers' August forecast of 2024, and "Budget → statistisk prognos" drew
    the utfall under a forecast's name. A year whose volumes are booked through December opens on its utfall
    against the year's budget; the controllers' forecast stays, said to be made before the year ended. A choice
    another period offered is not kept where this one does not offer it."""
    at = app_test("pages/3_Placeringar.py", sample_url).run()
    assert at.radio(key="plac_comparison").value == "budget_forecast"
    at.radio(key="plac_comparison").set_value("budget_statistical").run()
    at.query_params["period"] = "2024-12"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.radio(key="plac_comparison")
    assert choice.value == "budget_actual" and list(choice.options) == [
        "Budget helår → utfall jan–dec 2024", "Budget → controllernas volymprognos aug 2024, gjord före årets slut"]
    said = html.unescape(next(m.value for m in at.markdown if m.value.startswith('<p class="np-headline"')))
    assert "Placeringskostnaden enligt helårets utfall är 7,0\u00a0mnkr högre än budget helår." in said


def test_walk_2026_12_06_a_database_that_cannot_be_opened_is_said_on_the_page(app_test, tmp_path):
    """An app role that may not create the tables, or a wrong address, gave "Något gick fel när sidan skulle visas
    … kontakta förvaltningens controller", twice: the page says why in Swedish and what to do, once."""
    (tmp_path / "fil.txt").write_text("en fil, ingen mapp")
    at = app_test("pages/2_Prognos.py", f"sqlite:///{tmp_path}/fil.txt/x.sqlite3").run()
    assert not at.exception
    import html

    said = [html.unescape(e.value) for e in at.error]
    assert [text.split(":")[0] for text in said] == ["Databasen kunde inte öppnas"]
    assert "SQLite-filen i DATABASE_URL kan inte öppnas för skrivning" in said[0]
    assert "Databasen kunde inte öppnas." in [c.value for c in at.sidebar.caption]


def test_walk_2026_12_07_start_states_the_year_end_forecast_as_budget_mot_utfall_does(app_test, sample_url):
    """Start showed only months; a socialdirektör looked there first for the helårsprognos. It states the period's
    standing and year-end in the same sentence as Budget mot utfall, and while the period's forecast is computed
    it says so instead of another figure."""
    from domain.budget import start_headline

    def said(at):
        return next(m.value for m in at.markdown if 'class="np-headline"' in m.value)

    start = app_test("app.py", sample_url).run()
    budget = app_test("pages/1_Budget_mot_utfall.py", sample_url).run()
    assert not start.exception and not budget.exception
    assert said(start) == said(budget) and "Helårsprognosen" in said(start) and "mnkr" in said(start)
    overview = type("Overview", (), {"closed": False, "year": 2025, "through_month": 8, "variance_ytd": 4.3e6,
                                     "adherence_ytd": 0.018})()
    assert start_headline(overview, None, computing=True) == (
        "Jan–aug 2025: nettokostnaden är 4,3\u00a0mnkr lägre än den periodiserade budgeten (+1,8\u00a0%). Helårsprognosen "
        "för aug 2025 beräknas; den står här, under Prognos och under Budget mot utfall när den är klar.")

