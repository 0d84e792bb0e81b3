"""Jämförelse: the sample's Kolada values against its fictional group, this year's estimate from the one
year-end forecast, the settings and the fetch from a local Kolada (issue 21)."""

import html

import pandas as pd

from data_access import kolada
from data_access.engine import make_engine
from domain import comparison
from tests.data.test_kolada import server  # noqa: F401 (the recorded Kolada, a fixture)
from tests.pages.tabs import open_tab
from tests.pages.test_pages import frame_with

PAGE = "pages/7_Jamforelse.py"


def captions(at) -> list[str]:
    return [html.unescape(c.value) for c in at.caption]


def headlines(at) -> list[str]:
    """The page's messages as the reader sees them (the markup escapes ":" and the like as entities)."""
    return [html.unescape(m.value) for m in at.markdown if m.value.startswith('<p class="np-headline"')]


def test_issue_21_the_page_answers_are_we_expensive_on_the_sample(app_test, sample_url):
    at = app_test(PAGE, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    first = headlines(at)[0]
    assert "Kostnaden för individ- och familjeomsorgen per invånare var 2024 6\u00a0% högre än i jämförelsegruppen" \
        in first and "Störst skillnad: kostnaden för HVB-hem" in first
    costs = frame_with(at, "Mot medianen").set_index("Nyckeltal")
    assert costs.loc["Ekonomiskt bistånd", "Exempelkommun"] == "1\u00a0552"
    assert costs.loc["Ekonomiskt bistånd", "Mot medianen"] == "24\u00a0% högre"
    # the sample's values are made up: credited to no one (2026-12-05 walk of the meeting link)
    assert any("Källa: exempeldata, påhittade värden i Koladas format (nyckeltal N30101" in c for c in captions(at))
    assert any("Jämförelsekommun A (fiktiv)" in c for c in captions(at))
    # No tkr on the page, so no word of how tkr are rounded (2026-12-05 walk of the meeting link).
    footers = [m.value for m in at.markdown if "np-footer" in m.value]
    assert footers and not any("avrundas" in f for f in footers)
    # Five years of the chosen nyckeltal, in its own tab; the settings in theirs.
    years = frame_with(open_tab(at, "comparison_tab", "Fem år"), "Gruppens median")
    assert list(years["År"])[-1] == "2024" and len(years) == 5
    assert not at.exception, [e.value for e in at.exception]
    assert [b.key for b in open_tab(at, "comparison_tab", "Inställningar och hämtning").button][:1] == [
        "comparison_fetch"]
    described = [e for e in at.expander if e.label == "Nyckeltalen och hur jämförelsen räknas"]
    assert any("N33007" in m.value for m in described[0].markdown)  # in the app, not a path to docs/


def test_issue_21_this_years_estimate_uses_the_year_end_every_page_shows(app_test, sample_url, monkeypatch):
    """The estimate divides the same year-end forecast as Budget mot utfall (its lines for the IFO verksamheter
    the sample chooses, as Prognos shows them) by the inhabitants Kolada publishes."""
    at = app_test(PAGE, sample_url).run()
    estimate = next(h for h in headlines(at) if "Uppskattning för 2025" in h)
    engine = make_engine(sample_url)
    settings = kolada.settings(engine)
    values = kolada.stored_values(engine)
    engine.dispose()
    caption = next(c for c in captions(at) if "En uppskattning på egna böcker" in c)
    assert "för 8 valda verksamheter" in caption and "46\u00a0850 invånare (2024)" in caption
    # The per-inhabitant figure shown is the caption's mnkr over the population, within rounding.
    mnkr = float(caption.split("verksamheter (")[1].split("\u00a0mnkr")[0].replace(",", "."))
    assert "summan av deras rader i prognosen" in caption
    # ... and the mnkr is the sum of those verksamheter's rows on Prognos (the same statistical lines).
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from ui import state

    key = state.db_key()
    board, _ = state.board_forecast(key, 2025, 8)
    scope = comparison.default_scope(state.activities(key))
    assert len(scope) == 8
    assert mnkr == round(-sum(board.lines[a].point for a in scope) / 1e6, 1)
    shown = int(estimate.split("nettokostnaden ")[1].split("\u00a0kr")[0].replace("\u00a0", ""))
    assert abs(shown - mnkr * 1e6 / 46_850) < 2.2
    found = comparison.year_estimate(mnkr * 1e6, 2025, values, settings.municipality, settings.group)
    assert f"plats {found.rank} av 8" in estimate


def test_issue_21_a_controller_fetches_from_kolada_and_the_values_are_an_import(app_test, sample_url, server,
                                                                                monkeypatch):
    monkeypatch.setenv("NAMNDPANELEN_KOLADA_URL", f"{server}/ok/v3")
    at = open_tab(app_test(PAGE, sample_url).run(), "comparison_tab", "Inställningar och hämtning")
    at.button(key="comparison_fetch").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Kolada API ") and "3 rader lästes och 3 sparades" in s.value for s in at.success)
    engine = make_engine(sample_url)
    stored = kolada.stored_values(engine)
    engine.dispose()
    assert set(stored[stored["source"].str.startswith("Kolada API")]["municipality"]) == {"0188", "0114", "0000"}


def test_issue_21_an_unreachable_kolada_is_said_and_nothing_changes(app_test, sample_url, monkeypatch):
    monkeypatch.setenv("NAMNDPANELEN_KOLADA_URL", "http://127.0.0.1:9/v3")
    monkeypatch.setenv("NAMNDPANELEN_KOLADA_TIMEOUT", "1")
    at = open_tab(app_test(PAGE, sample_url).run(), "comparison_tab", "Inställningar och hämtning")
    before = len(kolada.stored_values(make_engine(sample_url)))
    at.button(key="comparison_fetch").click().run(timeout=120)
    assert any("Kolada gick inte att nå från servern" in e.value for e in at.error)
    assert len(kolada.stored_values(make_engine(sample_url))) == before


def test_walkthrough_2026_12_05_a_link_to_2024_compares_with_what_kolada_had_published_then(app_test, sample_url):
    """?period=2024-08 showed Kolada's 2024 figures, which come out in the spring of 2025: a period compares
    with the years before its own, also once later years are fetched."""
    at = app_test(PAGE, sample_url)
    at.query_params["period"] = "2024-08"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    first = headlines(at)[0]
    assert "var 2023" in first and "2024" not in first
    assert "Uppskattning för 2024" in " ".join(headlines(at))
    assert any("invånare (2024)" in c for c in captions(at))  # the population may be the year's own
    years = frame_with(open_tab(at, "comparison_tab", "Fem år"), "Gruppens median")
    assert list(years["År"])[-1] == "2023"
    values = kolada.stored_values(make_engine(sample_url))
    others = values["kpi"] != comparison.POPULATION
    assert comparison.published_by(values[others], 2024)["year"].max() == 2023
    assert comparison.published_by(values[others], 2025)["year"].max() == 2024
    newer = values.iloc[[0]].assign(kpi=comparison.POPULATION, year=2025, value=47_100.0)
    known = comparison.published_by(pd.concat([values, newer]), 2025)
    assert known[known["kpi"] == comparison.POPULATION]["year"].max() == 2025  # SCB's newer figure, as docs say
    assert comparison.published_by(pd.concat([values, newer]), 2024)["year"].max() == 2024


def test_walkthrough_2026_12_06_a_booked_year_is_estimated_on_its_utfall(app_test, sample_url, monkeypatch):
    """?period=2024-12: the estimate said "med årets helårsprognos" beside a caption naming the year's utfall.
    A year booked through December is estimated on the utfall of the chosen verksamheter, and says so."""
    at = app_test(PAGE, sample_url)
    at.query_params["period"] = "2024-12"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    estimate = next(h for h in headlines(at) if "Uppskattning för 2024" in h)
    assert "med helårets utfall är nettokostnaden" in estimate and "helårsprognos" not in estimate
    caption = next(c for c in captions(at) if "En uppskattning på egna böcker" in c)
    assert "nettokostnaden i helårets utfall 2024 för 8 valda" in caption and "rader i driftredovisningen" in caption
    monkeypatch.setenv("DATABASE_URL", sample_url)
    from ui import state

    key = state.db_key()
    booked = state.budget_overview(key, 2024, 12)[0].activity_variance.set_index("activity")["actual_ytd"]
    scope = comparison.default_scope(state.activities(key))
    mnkr = float(caption.split("verksamheter (")[1].split("\u00a0mnkr")[0].replace(",", "."))
    assert mnkr == round(-booked.reindex(scope).sum() / 1e6, 1)
