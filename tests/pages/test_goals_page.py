"""Mål och indikatorer: the indicators the product computes and the nämnd's 5 % rule, evaluated from the
saved delår 2-versions and the booked December (issue 20)."""

import html
import re

from data_access.engine import make_engine
from data_access.forecast_versions import list_versions, save_version
from domain.access import CONTROLLER, Actor
from tests.forecasting.test_views_and_versions import line
from tests.pages.tabs import open_tab
from tests.pages.test_pages import frame_with, metrics

PAGE = "pages/6_Mal_och_indikatorer.py"


def tab(at, label: str):
    return open_tab(at, "goal_tab", label)


def indicator_rows(at):
    """Every indicator shown, from the goals' tables and the computed ones no goal holds (two tabs)."""
    import pandas as pd

    shown = []
    for label in ("Inriktningsmål", "Beräknade indikatorer"):
        shown += [e.value for e in [*tab(at, label).table, *at.dataframe] if "KF/nämnd" in e.value.columns]
    assert shown, "no indicator table"
    return pd.concat(shown, ignore_index=True).set_index("Indikator")


def outcome_of(url: str, year: int) -> float:
    from sqlalchemy import text

    engine = make_engine(url)
    with engine.connect() as connection:
        booked = connection.execute(text("SELECT SUM(amount_kr) FROM actuals WHERE year = :y"), {"y": year}).scalar()
    engine.dispose()
    return -float(booked)


def test_issue_20_the_five_percent_rule_is_evaluated_from_saved_versions(app_test, sample_url):
    """The year whose December is not booked says so. The sample locks the verksamheternas prognos per delår 2 of
    every closed year as "Delårsrapport 2 ÅÅÅÅ" (0,3–2,0 % from the outcome). A version locked later for a closed
    year, 4,9 % or 5,1 % from the outcome, is not the one judged (2026-12-06 walk: a version locked in December
    2026 for 2023 rewrote the rule's verdict; the thresholds are pinned in tests/unit/test_goals.py)."""
    engine = make_engine(sample_url)
    controller = Actor("controller", CONTROLLER)
    for year, share in ((2023, 1.051), (2024, 1.049)):
        point = round(outcome_of(sample_url, year) * share)
        save_version(engine, name=f"Delår 2 {year}", year=year, cutoff_month=8, data_version=1, actor=controller,
                     lines=[line(activity="Ekonomiskt bistånd", point=point)])
    save_version(engine, name="Delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=controller,
                 lines=[line(activity="Ekonomiskt bistånd", point=-360_000_000)])
    engine.dispose()
    at = tab(app_test(PAGE, sample_url).run(), "Regeln om 5 %")
    assert not at.exception, [e.value for e in at.exception]
    headline = next(m.value for m in at.markdown if m.value.startswith('<p class="np-headline"')
                    and "delår 2" in m.value)
    assert "2024 års prognos vid delår 2" in headline and "träffade" in headline
    assert ("(låst version &quot;Delårsrapport 2 2024&quot;, verksamheternas prognos)" in headline
            or '(låst version "Delårsrapport 2 2024", verksamheternas prognos)' in headline)
    assert "Regeln har hållit 6 av 6 bedömda år" in headline
    rule = frame_with(at, "Prognos per delår 2").set_index("År")
    assert rule.loc["2023", "Bedömning"] == "✓ Uppfyllt" and rule.loc["2023", "Utfall mot prognos"] == "\u22121,9\u00a0%"
    assert rule.loc["2024", "Bedömning"] == "✓ Uppfyllt" and rule.loc["2024", "Utfall mot prognos"] == "+0,3\u00a0%"
    assert rule.loc["2025", "Bedömning"] == "– Ej utvärderad"
    assert rule.loc["2025", "Varför"] == "december 2025 är inte bokförd ännu"
    assert rule.loc["2024", "Prognos per delår 2"] == "Låst version \"Delårsrapport 2 2024\", verksamheternas prognos"
    assert rule.loc["2022", "Prognos per delår 2"] == "Låst version \"Delårsrapport 2 2022\", verksamheternas prognos"
    assert rule.loc["2022", "Bedömning"] == "✓ Uppfyllt" and rule.loc["2022", "Utfall mot prognos"] == "+0,3\u00a0%"
    # The judged version's checksum beside it, as in the papers (2026-12-07: they gave the period's versions' alone).
    saved = list_versions(make_engine(sample_url))
    digests = dict(zip(saved["name"], saved["content_sha256"]))
    assert rule.loc["2024", "Kontrollsumma"] == digests["Delårsrapport 2 2024"][:12]
    assert rule.loc["2025", "Kontrollsumma"] == digests["Delår 2 2025"][:12]
    indicators = indicator_rows(at)
    five = indicators.loc["Avvikelse mellan prognos per delår 2 och resultat i december"]
    assert five["Utfall 2023"] == "1,9\u00a0%" and five["Utfall 2024"] == "0,3\u00a0%"
    assert five["Bedömning"] == "– Ej utvärderad" and five["Mål 2025"] == "5,0\u00a0%"


def test_issue_20_computed_indicators_agree_with_the_pages(app_test, sample_url):
    """One figure everywhere: budgetföljsamhet as on Budget mot utfall, sick leave as on Sjukfrånvaro."""
    at = app_test(PAGE, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    indicators = indicator_rows(at)
    budget = metrics(app_test("pages/1_Budget_mot_utfall.py", sample_url).run())
    adherence = indicators.loc["Budgetföljsamhet (avvikelse i % av budget)"]
    assert adherence["Utfall aug 2025"] == budget["Budgetföljsamhet utfall"].lstrip("+")
    assert adherence["Prognos 2025"] == budget["Budgetföljsamhet prognos"].lstrip("+")
    assert adherence["Mål 2025"] == "0,0\u00a0%" and adherence["Bedömning"].endswith("Uppfyllt")
    formulas = frame_with(tab(at, "Beräknade indikatorer"), "Beräkning").set_index("Indikator")
    assert formulas.loc["Budgetföljsamhet (avvikelse i % av budget)", "Källa"] == "beräknad"
    sick = metrics(app_test("pages/4_Sjukfranvaro.py", sample_url).run())
    leave = indicators.loc["Sjukfrånvaro, % av ordinarie arbetstid"]
    assert leave["Utfall aug 2025"] == sick["Sjukfrånvaro jan–aug 2025"]
    assert leave["Bedömning"] == "– Ej utvärderad"  # no target of its own yet
    assert leave["Trend"] == "Positiv"  # 6,1 % against 8,4 % the same months last year, lower is better
    # The computed indicators have their months too, under a goal or not (their sparklines were empty or
    # missing): last year's twelve and this year's eight; budgetföljsamhet's last point is the page's figure to August, sick leave's August's own rate.
    from ui.goals_panel import SPARKLINE

    for name in ("Budgetföljsamhet (avvikelse i % av budget)", "Sjukfrånvaro, % av ordinarie arbetstid",
                 "Extern personalomsättning, 12 månader"):
        assert len(indicators.loc[name, SPARKLINE]) == 20, name
    last = indicators.loc["Budgetföljsamhet (avvikelse i % av budget)", SPARKLINE][-1]
    from domain.formatting import format_percent

    assert format_percent(last) == adherence["Utfall aug 2025"]


SUMMARY = ("Åtta av tio inriktningsmål bedöms nås; 3.2 Öka tryggheten i hemmet bedöms delvis nås; 7.3 Rätt insats "
           "ska ges i rätt tid och av rätt aktör bedöms inte nås.")


def headlines(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith('<p class="np-headline"')]


def test_issue_20_the_page_answers_which_goals_will_be_reached(app_test, sample_url):
    at = app_test(PAGE, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    assert SUMMARY in headlines(at)[0]
    summary = frame_with(at, "Målområde").set_index("Målområde")
    assert summary.loc["Summa", "Inriktningsmål"] == "10" and summary.loc["Summa", "✓ Uppfyllt"] == "8"
    assert summary.loc["7 Arbete och försörjning", "✗ Ej uppfyllt"] == "1"
    titles = [h.value for h in tab(at, "Inriktningsmål").subheader]
    assert "✗ 7.3 Rätt insats ska ges i rätt tid och av rätt aktör" in titles and len(
        [t for t in titles if t[:1] in "✓◐✗–"]) == 10
    time_to_decide = indicator_rows(at).loc["Genomsnittlig utredningstid barn och unga, dagar"]
    assert time_to_decide["Mål 2025"] == "95" and time_to_decide["Prognos 2025"] == "112"
    assert time_to_decide["Bedömning"] == "✗ Ej uppfyllt" and time_to_decide["Trend"] == "Positiv"
    assert any(html.unescape(str(row)).startswith("31\u00a0aug\u00a02025: ")
               for row in frame_with(tab(at, "Inriktningsmål"), "Prognos för slutförande").to_numpy().ravel())
    items = frame_with(tab(at, "Uppdrag och initiativ"), "Enligt plan").set_index(["Uppdrag/nämndinitiativ", "Status"])
    assert items.loc[("Summa", ""), "Enligt plan"] == "8" and items.loc[("Summa", ""), "Avvikelse från plan"] == "3"
    assert "**Uppdrag och initiativ utan inriktningsmål**" in [m.value for m in at.markdown]


def test_issue_20_a_goal_has_its_own_link_and_the_filters_narrow_the_page(app_test, sample_url):
    at = app_test(PAGE, sample_url)
    at.query_params["mal"] = "7.3"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    goals_shown = [h.value for h in at.subheader if h.value[:1] in "✓◐✗–"]
    assert goals_shown == ["✗ 7.3 Rätt insats ska ges i rätt tid och av rätt aktör"]
    links = [(link.proto.label, dict(link.proto.query_string.split("=", 1) for _ in [0]) if link.proto.query_string
              else {}) for link in at.get("page_link")]
    assert ("Länk till målet", {"mal": "7.3"}) in links
    at.button(key="goal_show_all").click().run()
    assert len([h.value for h in at.subheader if h.value[:1] in "✓◐✗–"]) == 10
    # Ten goals' tables, and the line that a table continues to the right once, not ten times (walkthrough).
    # A later one only where it shows in wider windows than the earlier ones.
    widths = [int(re.search(r"np-more-(\d+)", m.value).group(1)) for m in at.markdown if 'class="np-more' in m.value]
    # The goals' indicator grids, and their uppdrag as whole-text tables (2026-12-06 walk).
    assert len(at.dataframe) + len(at.table) >= 10 and len(widths) <= 3 and widths == sorted(set(widths))
    at = tab(app_test(PAGE, sample_url).run(), "Inriktningsmål")
    at.selectbox(key="goal_area").select("3 Trygghet").run()
    assert [h.value for h in at.subheader if h.value[:1] in "✓◐✗–"] == [
        "✓ 3.1 Stärka tryggheten i hela kommunen", "◐ 3.2 Öka tryggheten i hemmet"]


def test_issue_20_a_controller_overrides_a_bedomning_with_a_dated_comment(app_test, sample_url):
    at = tab(app_test(PAGE, sample_url).run(), "Ändra en bedömning")
    at.radio(key="goal_note_level").set_value("mal").run()
    at.selectbox(key="goal_note_name_mal").select("7.3 Rätt insats ska ges i rätt tid och av rätt aktör").run()
    # The choice that keeps the bedömning names it (walkthrough: "(behåll)" did not say what was kept).
    assert at.selectbox(key="goal_note_assessment").options[0] == "Behåll: Ej uppfyllt"
    at.selectbox(key="goal_note_assessment").select("Delvis uppfyllt").run()
    at.button(key="goal_note_save").click().run()
    assert any("Skriv en kommentar" in e.value for e in at.error)  # a comment is required
    at.text_area(key="goal_note_comment").input("Åtgärderna ger effekt under hösten").run()
    at.button(key="goal_note_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "7.3 Rätt insats ska ges i rätt tid och av rätt aktör bedöms delvis nås" in headlines(at)[0]
    assert headlines(at)[0].endswith("; en bedömning är ändrad för hand, med kommentar.</p>")  # not the rule's alone
    history = frame_with(at, "Ändring")
    assert list(history["Ändring"]) == ["bedömning: regeln → Delvis uppfyllt"]  # what it replaced (walkthrough)
    # The saved change empties the form: a second click on Spara saves nothing twice (walkthrough: it did).
    assert at.text_area(key="goal_note_comment").value == ""
    assert at.selectbox(key="goal_note_assessment").value == "(behåll)"
    assert at.selectbox(key="goal_note_assessment").options[0] == "Behåll: Delvis uppfyllt"
    at.button(key="goal_note_save").click().run()
    assert any("Skriv en kommentar" in e.value for e in at.error)
    assert len(frame_with(at, "Ändring")) == 1
    tab(at, "Inriktningsmål")
    assert "◐ 7.3 Rätt insats ska ges i rätt tid och av rätt aktör" in [h.value for h in at.subheader]
    assert any("Regeln gav ✗ ej uppfyllt" in m.value and "Åtgärderna ger effekt under hösten" in m.value
               for m in at.markdown)
    # Another session, and a restart, see it too: it is in the database.
    again = app_test(PAGE, sample_url).run()
    assert "bedöms delvis nås" in headlines(again)[0]
    # And the meeting's goal slide, built once per data version, says it too.
    meeting = app_test("pages/1_Budget_mot_utfall.py", sample_url)
    meeting.query_params["namndlage"] = "1"
    meeting.query_params["skarm"] = "5"
    meeting.run()
    assert any("Mål och indikatorer" in m.value for m in meeting.markdown)
    assert any("7.3 Rätt insats ska ges i rätt tid och av rätt aktör bedöms delvis nås" in m.value
               for m in meeting.markdown)


def test_issue_20_an_unknown_or_hostile_goal_address_shows_every_goal(app_test, sample_url):
    at = app_test(PAGE, sample_url)
    at.query_params["mal"] = "[x](http://evil.example)"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warning = at.warning[0].value
    assert "Inget inriktningsmål har länknamnet" in warning and "](" not in warning
    assert len([h.value for h in at.subheader if h.value[:1] in "✓◐✗–"]) == 10


def test_walkthrough_2026_12_06_a_past_period_computes_its_indicators_from_what_was_booked_then(sample_url,
                                                                                                  monkeypatch):
    """?period=2024-08 judged budgetföljsamhet by the whole of 2024 (booked later), and ?period=2024-12 showed the
    5 % rule's row with "–" and a trend of 2022 against 2023. A period's computed indicators use the months booked
    by its end; a booked December gives the rule's row the year's deviation, and its trend against the year
    before."""
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from domain import goals
    from ui import state

    key = state.db_key()
    august, _ = state.goal_indicators(key, state.versions_key(), 2024, 8, -0.038, "helårsprognosen")
    adherence = next(i for i in august if i.key == "budgetfoljsamhet")
    assert 2024 not in adherence.yearly and adherence.assessment.compared == -0.038  # the forecast, not the year
    booked = state.ledger(key, tuple(state.years(key)))
    through = booked[(booked["year"] == 2024) & (booked["month"] <= 8)]
    assert adherence.month_value == goals._adherence(through)
    december, history = state.goal_indicators(key, state.versions_key(), 2024, 12, None, "helårsprognosen")
    rule = next(i for i in december if i.key == "femprocent")
    judged = {r.year: r.deviation for r in history if r.deviation is not None}
    assert rule.month_value == judged[2024] and rule.last_year_same_period == judged[2023]
    assert rule.trend == ("Positiv" if judged[2024] < judged[2023] else "Negativ")


def test_walkthrough_2026_12_06_a_past_period_says_which_goal_facts_stand_as_today(app_test, sample_url):
    """?period=2025-04 showed the uppdrag's statuses and comments of 31 aug 2025, and a bedömning changed by hand
    later, as if they were April's. A period before the latest booked month says they are shown as they stand
    today; the latest month says nothing of it."""
    from data_access import goals as stored_goals
    from domain.access import CONTROLLER, Actor

    engine = make_engine(sample_url)
    stored_goals.add_note(engine, actor=Actor("controller", CONTROLLER), level="mal",
                          name="7.3 Rätt insats ska ges i rätt tid och av rätt aktör", year=2025,
                          comment="Bedömd efter delår 2.", assessment="Delvis uppfyllt")
    engine.dispose()
    at = app_test(PAGE, sample_url).run()
    assert not at.exception and not [i for i in at.info if "som de står i dag" in i.value]
    at.query_params["period"] = "2025-04"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = [html.unescape(i.value) for i in at.info if "som de står i dag" in i.value]
    assert said == ["Uppdragens och initiativens status och kommentarer är de senast inlästa (per "
                    "31\u00a0aug\u00a02025); bedömningar och status som ändrats för hand gäller hela året: de visas "
                    "som de står i dag, inte som de stod i april 2025. Indikatorernas värden och de beräknade "
                    "indikatorerna gäller perioden."]
