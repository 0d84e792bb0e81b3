"""Norrtälje's delårsrapport per augusti 2025 as oracle for the driftredovisning (issue 3)."""

import csv
import dataclasses

import numpy as np
import pandas as pd
import pytest

from data_access import queries
from data_access.engine import make_engine, migrate
from domain import budget as b
from tests.conftest import REFERENCE
from tests.fixtures.norrtalje import load_into


def overview_for(url, files, which):
    engine = make_engine(url)
    migrate(engine)
    load_into(engine, files, which)
    ledger = queries.monthly_ledger(engine, [2024, 2025])
    activities = queries.activities(engine)
    choice = b.choose_manual_forecast(queries.manual_forecasts(engine, 2025), 2025, 8, list(activities["activity"]))
    return b.build_overview(ledger, activities, choice, 2025, 8)


def tkr(value):
    return round(value / 1000)


def row(statement, label):
    return statement[statement["label"] == label].iloc[0]


def test_totals_reproduce_the_published_variances(sqlite_url, norrtalje_files):
    overview = overview_for(sqlite_url, norrtalje_files, "totals")
    s = overview.statement
    assert tkr(row(s, "Summa driftbudget")["variance_ytd"]) == 9964
    assert abs(tkr(row(s, "Kostnader")["variance_ytd"]) - -7464) <= 1
    assert tkr(row(s, "Summa driftbudget")["forecast_variance"]) == 3437
    assert tkr(row(s, "Intäkter")["forecast_variance"]) == 19754
    assert abs(tkr(row(s, "Kostnader")["forecast_variance"]) - -16317) <= 1
    assert tkr(row(s, "varav kapitalkostnader")["forecast_variance"]) == 397
    # The report rounds each cell on its own: 48 751 − 31 324 = 17 427 where it prints 17 428.
    assert abs(tkr(row(s, "Intäkter")["variance_ytd"]) - 17428) <= 1
    assert abs(tkr(row(s, "varav kapitalkostnader")["variance_ytd"]) - 330) <= 1
    assert tkr(row(s, "Summa driftbudget")["actual_prev_ytd"]) == -239140
    assert round(overview.adherence_ytd * 100, 1) == 4.0
    assert round(overview.adherence_forecast * 100, 1) == 0.9  # 3 437 / 372 965; the report prints 1,0 %
    assert tkr(overview.budget_year) == -372965 and tkr(overview.forecast) == -369528


def published_per_activity():
    with (REFERENCE / "norrtalje_2025_driftredovisning_per_verksamhet.csv").open(encoding="utf-8") as handle:
        return {r["verksamhet"]: r for r in csv.DictReader(handle)}


def test_every_activity_row_and_the_socialkontor_subtotal(sqlite_url, norrtalje_files):
    overview = overview_for(sqlite_url, norrtalje_files, "activity")
    s = overview.statement
    for name, published in published_per_activity().items():
        shown = row(s, name)
        subtotal = name == "Socialkontor"
        assert shown["level"] == ("delsumma" if subtotal else "verksamhet")
        # The subtotal is recomputed from the six rows; the report rounds it on its own (±1 tkr).
        slack = 1 if subtotal else 0
        for column, published_column in (
            ("budget_ytd", "budget_jan_aug_2025"), ("actual_ytd", "utfall_jan_aug_2025"),
            ("variance_ytd", "avvikelse_jan_aug_2025"), ("budget_year", "budget_helar_2025"),
            ("forecast", "prognos_2025"), ("forecast_variance", "avvikelse_budget_prognos"),
        ):
            assert abs(tkr(shown[column]) - int(published[published_column])) <= slack, (name, column)
    assert tkr(row(s, "Placeringskostnader")["variance_ytd"]) == -9562
    assert tkr(row(s, "Ekonomiskt bistånd")["forecast_variance"]) == 25075
    six = s[(s["level"] == "verksamhet") & (s["label"] != "Socialnämnd")]
    assert row(s, "Socialkontor")["budget_ytd"] == six["budget_ytd"].sum()


def test_totals_are_recomputed_from_rows(sqlite_url, norrtalje_files):
    s = overview_for(sqlite_url, norrtalje_files, "activity").statement
    activities = s[s["level"] == "verksamhet"]
    total = row(s, "Summa verksamheter")
    for column in b.STATEMENT_COLUMNS:
        if column == "actual_prev_ytd":
            continue
        assert total[column] == pytest.approx(activities[column].sum())


def synthetic_ledger():
    rows = []
    for month in range(1, 13):
        rows.append(dict(year=2025, month=month, activity="A", account_group="personalkostnader",
                         actual_kr=100.0 if month <= 8 else np.nan, budget_kr=110.0))
    return pd.DataFrame(rows)


def test_unclosed_months_are_blank_and_forecast_months_add_up():
    activities = pd.DataFrame({"activity": ["A"], "area": [""], "sort_order": [1]})
    forecasts = pd.DataFrame([dict(year=2025, cutoff_month=8, activity="A", account_group="ospecificerat",
                                   amount_kr=1240, comment="")])
    choice = b.choose_manual_forecast(forecasts, 2025, 8, ["A"])
    overview = b.build_overview(synthetic_ledger(), activities, choice, 2025, 8)
    monthly = overview.monthly
    assert monthly.loc[monthly["month"] > 8, "actual"].isna().all()
    assert monthly.loc[monthly["month"] <= 8, "forecast"].isna().all()
    assert monthly["actual"].sum() + monthly["forecast"].sum() == pytest.approx(-1240)
    cumulative = b.cumulative(monthly)
    assert cumulative.loc[cumulative["month"] == 12, "forecast"].iloc[0] == pytest.approx(-1240)
    assert overview.variance_ytd == pytest.approx(80)  # -800 − (-880)
    assert b.headline(overview).startswith("Jan–aug 2025: utfallet är i nivå med den periodiserade budgeten.")
    # 2026-12-06 walk: the sentence said "4 342 tkr lägre" beside the year-end's "7,2 mnkr"; both in mnkr.
    larger = dataclasses.replace(overview, variance_ytd=4_342_000.0, adherence_ytd=0.018)
    assert b.headline(larger).startswith("Jan–aug 2025: nettokostnaden är 4,3\u00a0mnkr lägre än den periodiserade "
                                         "budgeten (+1,8\u00a0%).")
    # The locked version named as slide 1 names it, without the minute it was saved (2026-12-06 walk).
    from domain.forecast_view import OfficialForecast

    locked = OfficialForecast(-1000.0 + 7_200_000, 'Låst version "D2", sparad 20 sep 2025 10:00', True, -1240.0,
                              'Låst version "D2"', 1, basis="Verksamheternas prognos")
    said = b.headline(larger, locked)
    assert 'Helårsprognosen (låst version "D2", verksamheternas prognos) pekar på ett överskott' in said
    assert "sparad" not in said


def test_walk_2026_12_07_a_booked_year_names_no_forecast_under_its_monthly_chart():
    """Third 2026-12-07 walk: December 2024's monthly chart had "Verksamheternas prognos aug 2024" in its legend and
    a caption of months showing the verksamheternas prognos, with every month booked and no such bar drawn."""
    from ui import charts

    year = pd.DataFrame({"month": range(1, 13), "budget": -110.0, "actual": -100.0})
    booked = b.monthly_series(year, 12, -1200.0)
    assert booked["forecast"].isna().all()
    assert [trace.name for trace in charts.monthly_chart(booked, cumulative=False).data] == ["Budget", "Utfall"]
    assert b.month_chart_caption(booked).endswith("Årets alla månader är bokförda: ingen prognos visas.")
    open_year = b.monthly_series(year, 8, -1240.0)
    assert [trace.name for trace in charts.monthly_chart(open_year, cumulative=False).data][-1] == \
        "Verksamheternas prognos"
    assert "månaderna efter den senast bokförda visar verksamheternas prognos" in b.month_chart_caption(open_year)
    unforecast = b.monthly_series(year, 8, float("nan"))
    assert b.month_chart_caption(unforecast).endswith("Ingen verksamheternas prognos är inläst för årets återstående "
                                                      "månader; den statistiska prognosens månader finns på sidan "
                                                      "Prognos, under Över året.")


def test_walk_2026_12_07_a_nämnd_without_kapitalkostnader_has_no_such_row():
    """New-municipality walk (2026-12-07): the driftredovisning of a kommun that books no kapitalkostnader on the nämnd
    showed "varav kapitalkostnader 0"; the row stands where such costs are booked."""
    activities = pd.DataFrame({"activity": ["A"], "area": [""], "sort_order": [1]})
    none = b.choose_manual_forecast(pd.DataFrame(columns=["year", "cutoff_month", "activity", "account_group",
                                                          "amount_kr", "comment"]), 2025, 8, ["A"])
    plain = b.build_overview(synthetic_ledger(), activities, none, 2025, 8)
    assert list(plain.statement["label"])[:3] == ["Intäkter", "Kostnader", "Summa driftbudget"]
    capital = synthetic_ledger().assign(account_group="kapitalkostnader")
    booked = b.build_overview(pd.concat([synthetic_ledger(), capital]), activities, none, 2025, 8)
    assert "varav kapitalkostnader" in list(booked.statement["label"])


def test_missing_forecast_falls_back_to_budget():
    activities = pd.DataFrame({"activity": ["A"], "area": [""], "sort_order": [1]})
    choice = b.choose_manual_forecast(pd.DataFrame(columns=["year", "cutoff_month", "activity", "account_group",
                                                            "amount_kr", "comment"]), 2025, 8, ["A"])
    overview = b.build_overview(synthetic_ledger(), activities, choice, 2025, 8)
    assert overview.forecast == pytest.approx(overview.budget_year)
    assert overview.forecast_variance == 0


def test_headline_claims_no_forecast_when_none_is_imported():
    """Issue 15: with no forecast imported the headline said the year would land on budget."""
    activities = pd.DataFrame({"activity": ["A"], "area": [""], "sort_order": [1]})
    choice = b.choose_manual_forecast(pd.DataFrame(columns=["year", "cutoff_month", "activity", "account_group",
                                                            "amount_kr", "comment"]), 2025, 8, ["A"])
    text = b.headline(b.build_overview(synthetic_ledger(), activities, choice, 2025, 8))
    assert "Ingen helårsprognos finns ännu för 2025." in text and "pekar på" not in text


def test_without_a_verksamheternas_prognos_no_forecast_column_or_month_is_shown():
    """2026-12-07, a nämnd with no verksamheternas prognos imported: the driftredovisning's column "Verksamheternas
    prognos" held the budget (−371 399 on every row, avvikelse 0) beside a key figure of −366 335 tkr, and the
    monthly chart drew the budget's remainder as hatched forecast months. The two columns are left out and no
    forecast month is drawn; the caption points to the statistical forecast's months."""
    from domain.tables import texts

    activities = pd.DataFrame({"activity": ["A"], "area": [""], "sort_order": [1]})
    none = b.choose_manual_forecast(pd.DataFrame(columns=["year", "cutoff_month", "activity", "account_group",
                                                          "amount_kr", "comment"]), 2025, 8, ["A"])
    overview = b.build_overview(synthetic_ledger(), activities, none, 2025, 8)
    headers = list(texts(b.statement_table(overview)).columns)
    assert headers == ["Tkr", "Budget jan–aug", "Utfall jan–aug", "Avvikelse", "Utfall jan–aug 2024", "Budget helår"]
    assert not b.has_forecast_months(overview.monthly)
    assert b.month_chart_caption(overview.monthly).endswith(
        "Ingen verksamheternas prognos är inläst för årets återstående månader; den statistiska prognosens månader "
        "finns på sidan Prognos, under Över året.")
    theirs = pd.DataFrame({"year": [2025], "cutoff_month": [8], "activity": ["A"], "account_group": ["ospecificerat"],
                           "amount_kr": [1_300_000.0], "comment": [""]})
    imported = b.build_overview(synthetic_ledger(), activities,
                                b.choose_manual_forecast(theirs, 2025, 8, ["A"]), 2025, 8)
    assert list(texts(b.statement_table(imported)).columns)[-2:] == ["Verksamheternas prognos",
                                                                      "Avvikelse budget–prognos"]
    assert b.has_forecast_months(imported.monthly)


def test_the_papers_notice_names_no_forecast_for_the_rule_that_is_not_imported():
    """2026-12-07, a nämnd with no verksamheternas prognos imported: beside the papers' button, at delår 2 with no
    version locked, the sidebar said the 5 % rule would judge the verksamheternas prognos per delår 2."""
    from domain.forecast_view import unlocked_papers_notice

    nbsp = "\u00a0"
    assert f"Regeln om 5{nbsp}% bedömer då verksamheternas prognos per delår 2" in unlocked_papers_notice(
        False, 2025, 8, True)
    without = unlocked_papers_notice(False, 2025, 8, False)
    assert f"Regeln om 5{nbsp}% har då ingen prognos per delår 2 att bedöma: ingen verksamheternas prognos är " \
           "inläst för året." in without and "bedömer då" not in without
    assert "Regeln" not in unlocked_papers_notice(False, 2025, 9, False)
    assert unlocked_papers_notice(True, 2025, 8, False) == ""


def test_drilldown_levels_add_up(sample_url):
    engine = make_engine(sample_url)
    ledger = queries.monthly_ledger(engine, [2025])
    top = b.drilldown(ledger, 2025, 8)
    activity = top.iloc[0]["key"]
    groups = b.drilldown(ledger, 2025, 8, activity)
    assert groups["variance"].sum() == pytest.approx(top.iloc[0]["variance"])
    group = groups.iloc[0]["key"]
    months = b.drilldown(ledger, 2025, 8, activity, group)
    assert list(months["key"]) == list(range(1, 9))
    assert months["actual"].sum() == pytest.approx(groups.iloc[0]["actual"])
    rows = queries.actual_rows(engine, 2025, 8, activity, group)
    assert -rows["amount_kr"].sum() == pytest.approx(months["actual"].sum())
