"""Mål och indikatorer: the indicators the product computes and the nämnd's 5 % rule, evaluated from the
saved delår 2-versions and the booked December (issue 20)."""

from data_access.engine import make_engine
from data_access.forecast_versions import save_version
from domain.access import CONTROLLER, Actor
from tests.forecasting.test_views_and_versions import line
from tests.pages.test_pages import frame_with, metrics

PAGE = "pages/6_Mal_och_indikatorer.py"


def outcome_of(url: str, year: int) -> float:
    from sqlalchemy import text

    engine = make_engine(url)
    with engine.connect() as connection:
        booked = connection.execute(text("SELECT SUM(amount_kr) FROM actuals WHERE year = :y"), {"y": year}).scalar()
    engine.dispose()
    return -float(booked)


def test_issue_20_the_five_percent_rule_is_evaluated_from_saved_versions(app_test, sample_url):
    """A delår 2-version 4,9 % from December's outcome holds, one 5,1 % away does not, and the year whose
    December is not booked says so. A year without a locked version is judged on the verksamheternas
    prognos imported per delår 2 (the sample has one for every year, 0,3–2,0 % from the outcome)."""
    engine = make_engine(sample_url)
    controller = Actor("controller", CONTROLLER)
    for year, share in ((2023, 1.051), (2024, 1.049)):
        point = round(outcome_of(sample_url, year) * share)
        save_version(engine, name=f"Delår 2 {year}", year=year, cutoff_month=8, data_version=1, actor=controller,
                     lines=[line(activity="Ekonomiskt bistånd", point=point)])
    save_version(engine, name="Delår 2 2025", year=2025, cutoff_month=8, data_version=1, actor=controller,
                 lines=[line(activity="Ekonomiskt bistånd", point=-360_000_000)])
    engine.dispose()
    at = app_test(PAGE, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    headline = next(m.value for m in at.markdown if m.value.startswith('<p class="np-headline"'))
    assert "Prognosen per delår 2 2024" in headline and "träffade" in headline
    assert "Regeln har hållit 5 av 6 bedömda år" in headline
    rule = frame_with(at, "Prognos per delår 2").set_index("År")
    assert rule.loc["2023", "Bedömning"] == "✗ Ej uppfyllt" and rule.loc["2023", "Avvikelse"] == "5,1\u00a0%"
    assert rule.loc["2024", "Bedömning"] == "✓ Uppfyllt" and rule.loc["2024", "Avvikelse"] == "4,9\u00a0%"
    assert rule.loc["2025", "Bedömning"] == "– Ej utvärderad"
    assert rule.loc["2025", "Varför"] == "december 2025 är inte bokförd ännu"
    assert rule.loc["2024", "Prognos per delår 2"] == "Låst version \"Delår 2 2024\""
    assert rule.loc["2022", "Prognos per delår 2"] == "Verksamheternas prognos aug 2022 (importerad)"
    assert rule.loc["2022", "Bedömning"] == "✓ Uppfyllt" and rule.loc["2022", "Avvikelse"] == "0,3\u00a0%"
    indicators = frame_with(at, "KF/nämnd").set_index("Indikator")
    five = indicators.loc["Avvikelse mellan prognos per delår 2 och resultat i december"]
    assert five["Utfall 2023"] == "5,1\u00a0%" and five["Utfall 2024"] == "4,9\u00a0%"
    assert five["Bedömning"] == "– Ej utvärderad" and five["Mål 2025"] == "5,0\u00a0%"


def test_issue_20_computed_indicators_agree_with_the_pages(app_test, sample_url):
    """One figure everywhere: budgetföljsamhet as on Budget mot utfall, sick leave as on Sjukfrånvaro."""
    at = app_test(PAGE, sample_url).run()
    assert not at.exception, [e.value for e in at.exception]
    indicators = frame_with(at, "KF/nämnd").set_index("Indikator")
    budget = metrics(app_test("pages/1_Budget_mot_utfall.py", sample_url).run())
    adherence = indicators.loc["Budgetföljsamhet (avvikelse i % av budget)"]
    assert adherence["Utfall aug 2025"] == budget["Budgetföljsamhet utfall"].lstrip("+")
    assert adherence["Prognos 2025"] == budget["Budgetföljsamhet prognos"].lstrip("+")
    assert adherence["Mål 2025"] == "0,0\u00a0%" and adherence["Bedömning"].endswith("Uppfyllt")
    formulas = frame_with(at, "Beräkning").set_index("Indikator")
    assert formulas.loc["Budgetföljsamhet (avvikelse i % av budget)", "Källa"] == "beräknad"
    sick = metrics(app_test("pages/4_Sjukfranvaro.py", sample_url).run())
    leave = indicators.loc["Sjukfrånvaro, % av ordinarie arbetstid"]
    assert leave["Utfall aug 2025"] == sick["Sjukfrånvaro jan–aug 2025"]
    assert leave["Bedömning"] == "– Ej utvärderad"  # no target of its own yet
    assert leave["Trend"] == "Positiv"  # 6,1 % against 8,4 % the same months last year, lower is better
